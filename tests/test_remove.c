/*
 * Unit tests of src/remove.h: specs, what can be removed and how it is described, and
 * the identity checks on real kernel objects: an object taken from a snapshot, then
 * destroyed and made again under the same name (or, for SysV, the same key, with the
 * snapshot's id pointed at the new one), must be refused with a message, and the new
 * object left alone. TAP on stdout. Every object made is removed on every way out: the
 * tests run in a child, and what it leaves (ended by a sanitizer, say) is removed here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "remove.h"
#include "snapshot.h"
#include "tap.h"

/* ---- what we made, removed on every way out ---- */

#define MAX_MADE 64

struct made {
	enum ipc_kind kind;
	int id;
	key_t key;
	char name[PATH_MAX];    /* POSIX name with '/', or a path */
};

/* In memory shared with the process that runs the tests in a child: it removes what
 * is left when they end without their own cleanup (a sanitizer ends a process with
 * _exit, which skips atexit). */
static struct made_list {
	struct made v[MAX_MADE];
	int n;
	char tmpdir[256];
} *made_list;
static char prefix[64];
static pid_t main_pid;

static void made_add(enum ipc_kind kind, int id, key_t key, const char *name)
{
	if (made_list->n == MAX_MADE) {
		fprintf(stderr, "too many objects\n");
		exit(1);
	}
	struct made *m = &made_list->v[made_list->n++];

	m->kind = kind;
	m->id = id;
	m->key = key;
	snprintf(m->name, sizeof(m->name), "%s", name ? name : "");
}

static void cleanup(void)
{
	if (getpid() != main_pid)
		return;
	for (int i = made_list->n - 1; i >= 0; i--) {
		struct made *m = &made_list->v[i];
		struct msqid_ds mds;
		struct shmid_ds sds;
		struct semid_ds seds;

		switch (m->kind) {
		case KIND_SYSV_MSG:
			if (msgctl(m->id, IPC_STAT, &mds) == 0 && mds.msg_perm.__key == m->key)
				msgctl(m->id, IPC_RMID, NULL);
			break;
		case KIND_SYSV_SHM:
			if (shmctl(m->id, IPC_STAT, &sds) == 0 && sds.shm_perm.__key == m->key)
				shmctl(m->id, IPC_RMID, NULL);
			break;
		case KIND_SYSV_SEM:
			if (semctl(m->id, 0, IPC_STAT, &seds) == 0 && seds.sem_perm.__key == m->key)
				semctl(m->id, 0, IPC_RMID);
			break;
		case KIND_POSIX_MQ:
			mq_unlink(m->name);
			break;
		case KIND_POSIX_SHM:
			shm_unlink(m->name);
			break;
		case KIND_POSIX_SEM:
			sem_unlink(m->name);
			break;
		default:
			unlink(m->name);
			break;
		}
	}
	made_list->n = 0;
	if (made_list->tmpdir[0])
		rmdir(made_list->tmpdir);
	made_list->tmpdir[0] = '\0';
}

static void on_signal(int sig)
{
	(void)sig;
	exit(1);        /* atexit: cleanup */
}

static pid_t tests_pid;

static void forward_signal(int sig)
{
	kill(tests_pid, sig);
}

/* Run the tests in a child; returns in it. Here: wait for it, remove what it left,
 * and exit with its status. */
static void run_tests_in_child(void)
{
	made_list = mmap(NULL, sizeof(*made_list), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	if (made_list == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(1);
	}
	fflush(stdout);
	tests_pid = fork();
	if (tests_pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		exit(1);
	}
	if (tests_pid == 0)
		return;
	signal(SIGINT, forward_signal);
	signal(SIGTERM, forward_signal);
	signal(SIGHUP, forward_signal);

	int status;

	while (waitpid(tests_pid, &status, 0) < 0)
		if (errno != EINTR)
			exit(1);
	main_pid = getpid();
	cleanup();
	if (WIFSIGNALED(status))
		fprintf(stderr, "test_remove: the tests were killed by signal %d\n", WTERMSIG(status));
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* ---- helpers ---- */

static key_t next_key(void)
{
	static int seq;

	return (key_t)(0x1b0d0000 | ((getpid() & 0xfff) << 4) | (seq++ & 0xf));
}

/* A fresh snapshot of these kinds; the object of that kind with that id or name. */
static struct snapshot *snap_of(unsigned int kinds)
{
	struct collect_opts co = { .kinds = kinds };
	struct snapshot *snap = snapshot_new();

	snapshot_collect(snap, &co);
	return snap;
}

static const struct ipc_object *find_id(const struct snapshot *snap, enum ipc_kind kind, int id)
{
	for (size_t i = 0; i < snap->nobjects; i++)
		if (snap->objects[i].kind == kind && snap->objects[i].id == id)
			return &snap->objects[i];
	return NULL;
}

static const struct ipc_object *find_name(const struct snapshot *snap, enum ipc_kind kind,
					  const char *name)
{
	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *o = &snap->objects[i];

		if (o->kind == kind && o->name && strcmp(o->name, name) == 0 && !o->abstract &&
		    (kind != KIND_UNIX || o->file_inode))
			return o;
	}
	return NULL;
}

static bool contains(const char *s, const char *part)
{
	return s && strstr(s, part) != NULL;
}

/* remove_object must refuse, with a message holding want. */
static void refuses(const struct ipc_object *o, unsigned int flags, const char *want, const char *what)
{
	char msg[1024] = "";
	int rc = remove_object_flags(o, flags, msg, sizeof(msg));

	ok(rc == -1 && contains(msg, want), "%s: refused, saying '%s'", what, want);
	printf("#   %s\n", msg);
}

static void removes(const struct ipc_object *o, const char *what)
{
	char msg[1024] = "";
	int rc = remove_object(o, msg, sizeof(msg));

	ok(rc == 0, "%s: removed", what);
	if (rc)
		printf("#   %s\n", msg);
}

/* ---- specs ---- */

static void spec_ok(const char *s, enum ipc_kind kind, bool by_key, long long num, const char *name)
{
	struct remove_spec sp;
	char err[512] = "";
	int rc = remove_spec_parse(s, &sp, err, sizeof(err));
	bool good = rc == 0 && sp.kind == kind && sp.by_key == by_key;

	if (good && name)
		good = sp.name && strcmp(sp.name, name) == 0 && sp.name_len == strlen(name);
	else if (good)
		good = by_key ? sp.key == (int32_t)(uint32_t)num : sp.id == num;
	ok(good, "spec '%s' parses", s);
	if (!good)
		printf("#   rc %d err '%s'\n", rc, err);
	if (rc == 0)
		remove_spec_free(&sp);
}

static void spec_bad(const char *s, const char *want)
{
	struct remove_spec sp;
	char err[512] = "";
	int rc = remove_spec_parse(s, &sp, err, sizeof(err));

	ok(rc == -1 && contains(err, want), "spec '%s' rejected: %s", s, err);
	if (rc == 0)
		remove_spec_free(&sp);
}

static void test_specs(void)
{
	spec_ok("sysv_shm:0", KIND_SYSV_SHM, false, 0, NULL);
	spec_ok("sysv_msg:32769", KIND_SYSV_MSG, false, 32769, NULL);
	spec_ok("shm:5", KIND_SYSV_SHM, false, 5, NULL);
	spec_ok("msg:5", KIND_SYSV_MSG, false, 5, NULL);
	spec_ok("sem:2147483647", KIND_SYSV_SEM, false, 2147483647, NULL);
	spec_ok("sysv_sem:key:0x1b0c0000", KIND_SYSV_SEM, true, 0x1b0c0000, NULL);
	spec_ok("shm:key:0xffffffff", KIND_SYSV_SHM, true, 0xffffffffLL, NULL);
	spec_ok("shm:key:43981", KIND_SYSV_SHM, true, 43981, NULL);
	spec_ok("posix_mq:/q", KIND_POSIX_MQ, false, 0, "q");
	spec_ok("posix_mq:q", KIND_POSIX_MQ, false, 0, "q");
	spec_ok("posix_shm:/a:b", KIND_POSIX_SHM, false, 0, "a:b");
	spec_ok("posix_sem:s", KIND_POSIX_SEM, false, 0, "s");
	spec_ok("fifo:/tmp/f", KIND_FIFO, false, 0, "/tmp/f");
	spec_ok("unix:/run/x.sock", KIND_UNIX, false, 0, "/run/x.sock");

	spec_bad("", "empty");
	spec_bad("sysv_shm", "no ':'");
	spec_bad(":5", "no kind");
	spec_bad("bogus:5", "unknown kind 'bogus'");
	spec_bad("pipe:5", "pipes have no name");
	spec_bad("eventfd:5", "cannot be removed");
	spec_bad("sysv_shm:", "invalid id ''");
	spec_bad("sysv_shm:abc", "invalid id 'abc'");
	spec_bad("sysv_shm:-1", "invalid id '-1'");
	spec_bad("sysv_shm:+1", "invalid id '+1'");
	spec_bad("sysv_shm: 1", "invalid id");
	spec_bad("sysv_shm:2147483648", "invalid id");
	spec_bad("sysv_shm:99999999999999999999", "invalid id");
	spec_bad("sysv_shm:key:", "invalid key");
	spec_bad("sysv_shm:key:0x", "invalid key");
	spec_bad("sysv_shm:key:0x100000000", "invalid key");
	spec_bad("sysv_shm:key:0", "IPC_PRIVATE");
	spec_bad("sysv_shm:key:zz", "invalid key 'zz'");
	spec_bad("sysv_shm:1\x1b[2J", "\\x1b");
	spec_bad("posix_mq:", "empty name");
	spec_bad("posix_mq:/", "empty name");
	spec_bad("posix_shm:a/b", "'/'");
	spec_bad("posix_shm://a", "'/'");
	spec_bad("fifo:relative", "absolute path");
	spec_bad("fifo:", "absolute path");
	spec_bad("unix:@abstract", "abstract");

	char longname[NAME_MAX + 2];

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	char spec[NAME_MAX + 16];

	snprintf(spec, sizeof(spec), "posix_shm:%s", longname);
	spec_bad(spec, "too long");

	/* matching */
	struct remove_spec sp;
	char err[256];
	struct ipc_object o = { .kind = KIND_SYSV_SHM, .id = 7, .key = 0x1234 };

	remove_spec_parse("shm:7", &sp, err, sizeof(err));
	ok(remove_spec_match(&sp, &o), "shm:7 matches segment 7");
	o.id = 8;
	ok(!remove_spec_match(&sp, &o), "shm:7 does not match segment 8");
	o.kind = KIND_SYSV_MSG;
	o.id = 7;
	ok(!remove_spec_match(&sp, &o), "shm:7 does not match queue 7");
	remove_spec_parse("shm:key:0x1234", &sp, err, sizeof(err));
	o.kind = KIND_SYSV_SHM;
	ok(remove_spec_match(&sp, &o), "shm:key:0x1234 matches by key");

	struct ipc_object u = { .kind = KIND_UNIX, .name = (char *)"@x", .name_len = 2, .abstract = true };

	remove_spec_parse("posix_mq:/q", &sp, err, sizeof(err));
	struct ipc_object q = { .kind = KIND_POSIX_MQ, .name = (char *)"q", .name_len = 1 };

	ok(remove_spec_match(&sp, &q), "posix_mq:/q matches queue q");
	q.name = (char *)"qq";
	q.name_len = 2;
	ok(!remove_spec_match(&sp, &q), "posix_mq:/q does not match queue qq");
	remove_spec_free(&sp);
	remove_spec_parse("unix:/x", &sp, err, sizeof(err));
	ok(!remove_spec_match(&sp, &u), "unix:/x does not match an abstract socket");
	remove_spec_free(&sp);
}

/* ---- removal_supported, describe, meaning ---- */

static void test_describe(void)
{
	const char *why = NULL;
	struct ipc_object o = { .kind = KIND_PIPE, .inode = 5 };

	ok(!removal_supported(&o, &why) && contains(why, "pipes have no name"), "a pipe cannot be removed");
	o.kind = KIND_EVENTFD;
	ok(!removal_supported(&o, NULL), "an eventfd cannot be removed");
	o.kind = KIND_LOCK;
	ok(!removal_supported(&o, NULL), "a lock cannot be removed");
	o.kind = KIND_SIGNAL;
	ok(!removal_supported(&o, NULL), "signals cannot be removed");

	struct ipc_object u = { .kind = KIND_UNIX, .inode = 9 };

	ok(!removal_supported(&u, &why) && contains(why, "not bound"), "an unnamed socket cannot be removed");
	u.name = (char *)"@abs";
	u.name_len = 4;
	u.abstract = true;
	ok(!removal_supported(&u, &why) && contains(why, "abstract"), "an abstract socket cannot be removed");
	u.name = (char *)"rel.sock";
	u.name_len = 8;
	u.abstract = false;
	ok(!removal_supported(&u, &why) && contains(why, "relative"), "a socket bound to a relative path cannot be removed");
	u.name = (char *)"/run/a.sock";
	u.name_len = 11;
	ok(!removal_supported(&u, &why) && contains(why, "identity"),
	   "a socket whose file's identity is unknown cannot be removed");
	u.file_inode = 77;
	ok(removal_supported(&u, NULL), "a socket bound to a known file can be removed");

	struct ipc_object s = { .kind = KIND_SYSV_SHM, .id = 32769, .key = 0xabcd };

	ok(removal_supported(&s, NULL), "a SysV segment can be removed");
	s.mode = SHM_DEST;
	ok(!removal_supported(&s, &why) && contains(why, "already marked"),
	   "a segment marked for removal is not removed again");
	s.mode = 0600;

	char *d = removal_describe(&s, false);

	is_str(d, "SysV shared memory segment id 32769 key 0x0000abcd", "describe a segment");
	free(d);

	char buf[512];

	s.count = 0;
	ok(contains(removal_meaning(&s, buf, sizeof(buf)), "destroyed now"), "meaning: an unattached segment");
	s.count = 3;
	ok(contains(removal_meaning(&s, buf, sizeof(buf)), "attached 3 times"),
	   "meaning: attached 3 times: %s", buf);
	struct holder h[3] = { { .pid = 10, .fd = -1 }, { .pid = 10, .fd = -1 }, { .pid = 11, .fd = -1 } };

	s.holders = h;
	s.nholders = 3;
	ok(contains(removal_meaning(&s, buf, sizeof(buf)), "2 processes still have it attached"),
	   "meaning: 2 processes hold it: %s", buf);

	struct ipc_object q = { .kind = KIND_POSIX_MQ, .name = (char *)"a\nb\x1b[31m\\", .inode = 3 };

	q.name_len = strlen(q.name);
	d = removal_describe(&q, false);
	is_str(d, "POSIX message queue /a\\nb\\x1b[31m\\\\", "describe escapes a queue's name");
	free(d);
	q.kind = KIND_POSIX_SEM;
	d = removal_describe(&q, true);
	ok(d && !strchr(d, '\n') && !strchr(d, '\x1b'), "describe never shows control bytes");
	free(d);
	ok(contains(removal_meaning(&q, buf, sizeof(buf)), "unlinked"), "meaning: a POSIX name is unlinked");

	u.sock_state = 10;
	ok(contains(removal_meaning(&u, buf, sizeof(buf)), "new clients cannot connect by path"),
	   "meaning: a listening socket");
	o.kind = KIND_PIPE;
	ok(contains(removal_meaning(&o, buf, sizeof(buf)), "cannot be removed"), "meaning: a pipe");
}

/* ---- SysV: the id now names another object ---- */

static int sysv_make(enum ipc_kind kind, key_t key)
{
	int id = kind == KIND_SYSV_MSG ? msgget(key, IPC_CREAT | IPC_EXCL | 0600) :
		 kind == KIND_SYSV_SHM ? shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600) :
		 semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);

	if (id >= 0)
		made_add(kind, id, key, NULL);
	return id;
}

static bool sysv_exists(enum ipc_kind kind, int id)
{
	struct msqid_ds m;
	struct shmid_ds s;
	struct semid_ds se;

	return kind == KIND_SYSV_MSG ? msgctl(id, IPC_STAT, &m) == 0 :
	       kind == KIND_SYSV_SHM ? shmctl(id, IPC_STAT, &s) == 0 :
	       semctl(id, 0, IPC_STAT, &se) == 0;
}

static void sysv_rmid(enum ipc_kind kind, int id)
{
	if (kind == KIND_SYSV_MSG)
		msgctl(id, IPC_RMID, NULL);
	else if (kind == KIND_SYSV_SHM)
		shmctl(id, IPC_RMID, NULL);
	else
		semctl(id, 0, IPC_RMID);
}

static void test_sysv(void)
{
	static const enum ipc_kind kinds[3] = { KIND_SYSV_MSG, KIND_SYSV_SHM, KIND_SYSV_SEM };
	static const char *names[3] = { "queue", "segment", "set" };
	key_t keys[3];
	int old[3], fresh[3];

	for (int i = 0; i < 3; i++) {
		do {
			keys[i] = next_key();
			old[i] = sysv_make(kinds[i], keys[i]);
		} while (old[i] < 0 && errno == EEXIST);
		if (old[i] < 0) {
			printf("# cannot make a SysV %s: %s\n", names[i], strerror(errno));
			skip(14, "SysV objects cannot be made");
			return;
		}
	}
	time_t made_at = time(NULL);
	struct snapshot *snap = snap_of(KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) |
					KIND_BIT(KIND_SYSV_SEM));

	for (int i = 0; i < 3; i++) {
		const struct ipc_object *o = find_id(snap, kinds[i], old[i]);

		if (!ok(o != NULL, "SysV %s %d is in the snapshot", names[i], old[i]))
			continue;
		struct ipc_object fake = *o;

		fake.time_c -= 7;
		refuses(&fake, 0, "change_time", "a SysV object with another change time");
		fake = *o;
		fake.key ^= 0x100;
		refuses(&fake, 0, "not removed: it changed since it was listed (key", "a SysV object with another key");
		ok(sysv_exists(kinds[i], old[i]), "... and the SysV %s is still there", names[i]);
	}

	/* the same key, a later change time: wait for the next second, make it again */
	while (time(NULL) <= made_at + 1)
		usleep(50000);
	for (int i = 0; i < 3; i++) {
		const struct ipc_object *o = find_id(snap, kinds[i], old[i]);

		sysv_rmid(kinds[i], old[i]);
		fresh[i] = sysv_make(kinds[i], keys[i]);
		if (!ok(o && fresh[i] >= 0, "SysV %s made again under key 0x%08x", names[i],
			(unsigned int)keys[i]))
			continue;
		struct ipc_object fake = *o;

		fake.id = fresh[i];     /* as if the id had been given to the new one */
		refuses(&fake, 0, "change_time", "the id of a SysV object made again");
		ok(sysv_exists(kinds[i], fresh[i]), "... and the new SysV %s is left alone", names[i]);
		refuses(o, 0, "it no longer exists", "the old SysV object");
	}
	snapshot_free(snap);

	/* REMOVE_IF_UNUSED: used since listed */
	snap = snap_of(KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM));
	const struct ipc_object *q = find_id(snap, KIND_SYSV_MSG, fresh[0]);
	const struct ipc_object *s = find_id(snap, KIND_SYSV_SHM, fresh[1]);
	struct { long mtype; char mtext[4]; } msg = { 1, "abc" };

	if (ok(q && s, "the new queue and segment are in a new snapshot")) {
		msgsnd(fresh[0], &msg, 3, IPC_NOWAIT);
		refuses(q, REMOVE_IF_UNUSED, "it was used since it was listed (send_time",
			"a queue sent to since it was listed, removing only if unused");
		void *a = shmat(fresh[1], NULL, SHM_RDONLY);

		refuses(s, REMOVE_IF_UNUSED, "nattch 1", "an attached segment, removing only if unused");
		if (a != (void *)-1)
			shmdt(a);
		refuses(s, REMOVE_IF_UNUSED, "attach_time", "a segment attached since it was listed");
		removes(q, "the queue sent to since, without REMOVE_IF_UNUSED");
		ok(!sysv_exists(KIND_SYSV_MSG, fresh[0]), "... and it is gone");
	}
	snapshot_free(snap);

	snap = snap_of(KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM));
	for (int i = 1; i < 3; i++) {
		const struct ipc_object *o = find_id(snap, kinds[i], fresh[i]);

		if (!ok(o != NULL, "the new SysV %s is in a new snapshot", names[i]))
			continue;
		removes(o, names[i]);
		ok(!sysv_exists(kinds[i], fresh[i]), "... and it is gone");
	}
	snapshot_free(snap);
}

/* ---- names and paths: the same name, a new inode ---- */

static int posix_make(enum ipc_kind kind, const char *name)
{
	int rc = 0;

	if (kind == KIND_POSIX_MQ) {
		struct mq_attr attr = { .mq_maxmsg = 2, .mq_msgsize = 16 };
		mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);

		rc = q == (mqd_t)-1 ? -1 : mq_close(q);
	} else if (kind == KIND_POSIX_SHM) {
		int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);

		rc = fd < 0 ? -1 : close(fd);
	} else {
		sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, 1);

		rc = s == SEM_FAILED ? -1 : sem_close(s);
	}
	return rc;
}

static bool posix_exists(enum ipc_kind kind, const char *name)
{
	if (kind == KIND_POSIX_MQ) {
		mqd_t q = mq_open(name, O_RDONLY);

		if (q == (mqd_t)-1)
			return false;
		mq_close(q);
		return true;
	}
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm/%s%s", kind == KIND_POSIX_SEM ? "sem." : "", name + 1);
	return lstat(path, &st) == 0;
}

static void posix_unlink(enum ipc_kind kind, const char *name)
{
	if (kind == KIND_POSIX_MQ)
		mq_unlink(name);
	else if (kind == KIND_POSIX_SHM)
		shm_unlink(name);
	else
		sem_unlink(name);
}

static void test_posix(enum ipc_kind kind, const char *what)
{
	char name[256];

	snprintf(name, sizeof(name), "/%s%s", prefix, what);
	if (posix_make(kind, name) < 0) {
		printf("# cannot make a %s: %s\n", what, strerror(errno));
		skip(7, "POSIX object cannot be made");
		return;
	}
	made_add(kind, 0, 0, name);

	struct snapshot *snap = snap_of(KIND_BIT(kind));
	const struct ipc_object *o = find_name(snap, kind, name + 1);

	if (!ok(o != NULL, "%s %s is in the snapshot", what, name)) {
		snapshot_free(snap);
		skip(6, "not in the snapshot");
		return;
	}
	struct ipc_object fake = *o;

	fake.dev ^= 1;
	refuses(&fake, 0, "dev", "a name on another device");
	posix_unlink(kind, name);
	ok(posix_make(kind, name) == 0, "%s made again under the same name", what);
	refuses(o, 0, "not removed: it changed since it was listed (inode", what);
	ok(posix_exists(kind, name), "... and the new %s is left alone", what);
	snapshot_free(snap);

	snap = snap_of(KIND_BIT(kind));
	o = find_name(snap, kind, name + 1);
	if (ok(o != NULL, "the new %s is in a new snapshot", what)) {
		removes(o, what);
		ok(!posix_exists(kind, name), "... and it is gone");
	}
	snapshot_free(snap);
}

static void test_fifo(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%sfifo", made_list->tmpdir, prefix);
	made_add(KIND_FIFO, 0, 0, path);
	if (mkfifo(path, 0600) < 0) {
		printf("# mkfifo: %s\n", strerror(errno));
		skip(8, "no FIFO");
		return;
	}
	int fd = open(path, O_RDWR | O_NONBLOCK);       /* FIFOs are seen while open */
	struct snapshot *snap = snap_of(KIND_BIT(KIND_FIFO));
	const struct ipc_object *o = find_name(snap, KIND_FIFO, path);
	struct stat st;

	if (!ok(o != NULL, "the FIFO is in the snapshot")) {
		snapshot_free(snap);
		close(fd);
		skip(7, "not in the snapshot");
		return;
	}
	unlink(path);
	mkfifo(path, 0600);
	refuses(o, 0, "inode", "a FIFO made again under the same path");
	ok(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode), "... and the new FIFO is left alone");
	unlink(path);
	close(creat(path, 0600));
	refuses(o, 0, "another type of file", "a FIFO replaced by a regular file");
	ok(lstat(path, &st) == 0 && S_ISREG(st.st_mode), "... and the file is left alone");
	unlink(path);
	refuses(o, 0, "no longer exists", "a FIFO that is gone");
	close(fd);
	mkfifo(path, 0600);
	refuses(o, 0, "no process has it open any more", "a FIFO nobody has open any more");
	ok(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode), "... and the FIFO at its path is left alone");
	unlink(path);
	snapshot_free(snap);

	/* one that is there */
	mkfifo(path, 0600);
	fd = open(path, O_RDWR | O_NONBLOCK);
	snap = snap_of(KIND_BIT(KIND_FIFO));
	o = find_name(snap, KIND_FIFO, path);
	if (ok(o != NULL, "a new FIFO is in a new snapshot")) {
		removes(o, "the FIFO");
		ok(lstat(path, &st) < 0 && errno == ENOENT, "... and its file is gone");
	}
	close(fd);
	snapshot_free(snap);
}

static int unix_bind(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static void test_unix(void)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%ssock", made_list->tmpdir, prefix);
	made_add(KIND_UNIX, 0, 0, path);
	int s = unix_bind(path);

	if (s < 0) {
		printf("# bind %s: %s\n", path, strerror(errno));
		skip(6, "no socket");
		return;
	}
	struct snapshot *snap = snap_of(KIND_BIT(KIND_UNIX));
	const struct ipc_object *o = find_name(snap, KIND_UNIX, path);

	if (!ok(o != NULL, "the socket is in the snapshot, with its file's identity")) {
		snapshot_free(snap);
		close(s);
		skip(5, "not in the snapshot");
		return;
	}
	unlink(path);
	int s2 = unix_bind(path);

	refuses(o, 0, "inode", "a socket whose path another socket is now bound to");
	ok(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode), "... and the new socket file is left alone");
	close(s);
	refuses(o, 0, "the socket is closed", "a socket that is closed");
	ok(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode), "... and the new socket file is still left alone");
	s = s2;
	snapshot_free(snap);

	snap = snap_of(KIND_BIT(KIND_UNIX));
	o = find_name(snap, KIND_UNIX, path);
	if (ok(o != NULL, "the new socket is in a new snapshot")) {
		removes(o, "the socket file");
		ok(lstat(path, &st) < 0 && errno == ENOENT, "... and it is gone");
	}
	close(s);
	snapshot_free(snap);
}

/* A socket file nothing is bound to: found, refused once replaced, then removed. */
static void test_unix_orphan(void)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%sorphan", made_list->tmpdir, prefix);
	made_add(KIND_UNIX, 0, 0, path);
	int s = unix_bind(path);

	if (s < 0) {
		printf("# bind %s: %s\n", path, strerror(errno));
		skip(5, "no socket");
		return;
	}
	close(s);       /* the file stays, with no socket */

	struct snapshot *snap = snap_of(KIND_BIT(KIND_UNIX));
	const struct ipc_object *o = find_name(snap, KIND_UNIX, path);

	if (!ok(o != NULL && o->inode == 0 && o->sock_state == UNIX_STATE_NO_SOCKET,
		"a socket file with no socket is in the snapshot, as a file")) {
		snapshot_free(snap);
		skip(4, "not in the snapshot");
		return;
	}
	/* the same path again, a new file (its inode number may well be the old one's) */
	unlink(path);
	s = unix_bind(path);
	if (s >= 0)
		close(s);
	refuses(o, 0, "changed", "a socket file made again at the same path");
	ok(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode), "... and the new socket file is left alone");
	snapshot_free(snap);

	snap = snap_of(KIND_BIT(KIND_UNIX));
	o = find_name(snap, KIND_UNIX, path);
	if (ok(o != NULL && o->inode == 0, "the new socket file is in a new snapshot")) {
		removes(o, "the socket file with no socket");
		ok(lstat(path, &st) < 0 && errno == ENOENT, "... and it is gone");
	}
	snapshot_free(snap);
}

int main(void)
{
	const char *p = getenv("IPCTOP_TEST_PREFIX");

	run_tests_in_child();
	main_pid = getpid();
	snprintf(prefix, sizeof(prefix), "%s", p && *p ? p : "");
	if (!prefix[0])
		snprintf(prefix, sizeof(prefix), "ipctop-test-%d-", (int)getpid());
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	test_specs();
	test_describe();
	test_sysv();
	if (geteuid() != 0) {
		skip(1, "the POSIX, FIFO and socket checks need root");
		return tap_done();
	}
	test_posix(KIND_POSIX_SHM, "shm");
	test_posix(KIND_POSIX_SEM, "sem");
	test_posix(KIND_POSIX_MQ, "mq");

	const char *t = getenv("TMPDIR");

	snprintf(made_list->tmpdir, sizeof(made_list->tmpdir), "%s/ipctop-test-remove.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(made_list->tmpdir)) {
		made_list->tmpdir[0] = '\0';
		skip(1, "no temporary directory");
	} else {
		test_fifo();
		test_unix();
		test_unix_orphan();
	}
	/* everything made was removed by the tests themselves */
	int left = 0;

	for (int i = 0; i < made_list->n; i++) {
		struct made *m = &made_list->v[i];
		struct stat st;

		if (m->kind == KIND_SYSV_MSG || m->kind == KIND_SYSV_SHM || m->kind == KIND_SYSV_SEM)
			left += sysv_exists(m->kind, m->id);
		else if (m->kind == KIND_POSIX_MQ || m->kind == KIND_POSIX_SHM || m->kind == KIND_POSIX_SEM)
			left += posix_exists(m->kind, m->name);
		else
			left += lstat(m->name, &st) == 0;
	}
	is_int(left, 0, "nothing the tests made is left");
	return tap_done();
}
