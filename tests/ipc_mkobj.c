/*
 * ipc_mkobj: create real IPC objects in a real process, print what ipctop must
 * report about each (one JSON line per object), wait, then remove them all.
 *
 * Usage: ipc_mkobj [-p PREFIX] SPEC...      (see usage() below)
 *
 * Every object is removed on every way out: on stdin EOF or SIGTERM/SIGINT/SIGHUP by
 * this process, and if it is killed outright, by a guard child forked before any
 * object exists (so it holds none of them) that removes whatever it was told about.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OBJECTS 64

enum okind { O_MSG, O_SHM, O_SEM, O_MQ, O_PSHM, O_PSEM };

struct made {
	enum okind kind;
	int id;
	key_t key;
	char name[512];         /* POSIX name with leading '/' */
	void *addr[4];
	int naddr;
	mqd_t mq;
	sem_t *sem;
};

static struct made made[MAX_OBJECTS];
static int nmade;
static int guard_fd = -1;
static volatile sig_atomic_t got_signal;
static char pidstr[16];
static char commstr[40];     /* our command name as a JSON string, quotes included */

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ipc_mkobj: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);   /* atexit removes what exists */
}

static void usage(void)
{
	fputs("usage: ipc_mkobj [-p PREFIX] SPEC...\n"
	      "  sysv_msg:MODE:NMSGS:BYTES       queue, NMSGS messages of BYTES each\n"
	      "  sysv_shm:MODE:SIZE:NATTACH      segment attached NATTACH times\n"
	      "  sysv_shm_private:MODE:SIZE      IPC_PRIVATE segment, not attached\n"
	      "  sysv_shm_rmid:MODE:SIZE         attached, then IPC_RMID (marked for removal)\n"
	      "  sysv_sem:MODE:V1,V2,...         set with these values\n"
	      "  posix_mq:MODE:NAME:MAXMSG:MSGSIZE:NMSGS\n"
	      "  posix_mq_notify:MODE:NAME:MAXMSG:MSGSIZE:SIGNO  empty, notification by signal\n"
	      "  posix_shm:MODE:NAME:SIZE\n"
	      "  posix_sem:MODE:NAME:VALUE\n"
	      "NAME is appended to PREFIX; write it as x:HEX for arbitrary bytes.\n"
	      "Prints one JSON line per object, then READY; waits for stdin EOF or a signal.\n",
	      stderr);
	exit(2);
}

/* Tell the guard about an object, so it can remove it if we die. */
static void guard_record(const struct made *m)
{
	char line[1200];
	int n;

	if (m->kind == O_MQ || m->kind == O_PSHM || m->kind == O_PSEM) {
		n = snprintf(line, sizeof(line), "%d ", m->kind);
		for (const unsigned char *p = (const unsigned char *)m->name; *p; p++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x", *p);
		n += snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	} else {
		n = snprintf(line, sizeof(line), "%d %d %d\n", m->kind, m->id, (int)m->key);
	}
	if (write(guard_fd, line, (size_t)n) != n)
		die("cannot write to the guard: %s", strerror(errno));
}

static void remove_one(enum okind kind, int id, key_t key, const char *name)
{
	switch (kind) {
	case O_MSG: {
		struct msqid_ds ds;

		/* re-check identity: the id may have been reused */
		if (msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_perm.__key == key)
			msgctl(id, IPC_RMID, NULL);
		break;
	}
	case O_SHM: {
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_perm.__key == key)
			shmctl(id, IPC_RMID, NULL);
		break;
	}
	case O_SEM: {
		struct semid_ds ds;

		if (semctl(id, 0, IPC_STAT, &ds) == 0 && ds.sem_perm.__key == key)
			semctl(id, 0, IPC_RMID);
		break;
	}
	case O_MQ:
		mq_unlink(name);
		break;
	case O_PSHM:
		shm_unlink(name);
		break;
	case O_PSEM:
		sem_unlink(name);
		break;
	}
}

static void guard_main(int fd)
{
	static struct { int kind, id, key; char name[512]; } rec[MAX_OBJECTS];
	int n = 0;
	char buf[65536];
	size_t len = 0;
	bool done = false;

	prctl(PR_SET_NAME, "ipc_mkobj-guard");
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len - 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		char *line = buf, *nl;

		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (strcmp(line, "done") == 0) {
				done = true;
			} else if (n < MAX_OBJECTS) {
				char hex[1100] = "";

				if (sscanf(line, "%d %d %d", &rec[n].kind, &rec[n].id, &rec[n].key) == 3) {
					n++;
				} else if (sscanf(line, "%d %1099s", &rec[n].kind, hex) == 2) {
					size_t k;

					for (k = 0; hex[2 * k] && hex[2 * k + 1] && k < sizeof(rec[n].name) - 1; k++) {
						unsigned int byte;

						sscanf(hex + 2 * k, "%2x", &byte);
						rec[n].name[k] = (char)byte;
					}
					rec[n].name[k] = '\0';
					n++;
				}
			}
			line = nl + 1;
		}
		len = strlen(line);
		memmove(buf, line, len);
	}
	if (!done)
		for (int i = 0; i < n; i++)
			remove_one((enum okind)rec[i].kind, rec[i].id, rec[i].key, rec[i].name);
	_exit(0);
}

static void start_guard(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[1]);
		/* ignore the signals meant for the parent; EOF is our cue */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		guard_main(p[0]);
	}
	close(p[0]);
	guard_fd = p[1];
}

static void remove_all(void)
{
	for (int i = nmade - 1; i >= 0; i--) {
		struct made *m = &made[i];

		for (int a = 0; a < m->naddr; a++)
			shmdt(m->addr[a]);
		if (m->kind == O_MQ)
			mq_close(m->mq);
		if (m->kind == O_PSEM)
			sem_close(m->sem);
		remove_one(m->kind, m->id, m->key, m->name);
	}
	nmade = 0;
	if (guard_fd >= 0) {
		if (write(guard_fd, "done\n", 5) != 5)
			perror("ipc_mkobj: guard");
		close(guard_fd);
		guard_fd = -1;
	}
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static unsigned int parse_mode(const char *s)
{
	char *end;
	unsigned long m = strtoul(s, &end, 8);

	if (*end || m > 0777)
		die("bad mode '%s'", s);
	return (unsigned int)m;
}

static unsigned long parse_num(const char *s)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 10);

	if (errno || *end || !*s)
		die("bad number '%s'", s);
	return v;
}

static void decode_name(const char *prefix, const char *s, char *out, size_t outsz)
{
	size_t n = (size_t)snprintf(out, outsz, "/%s", prefix);

	if (strncmp(s, "x:", 2) == 0) {
		for (s += 2; s[0] && s[1] && n < outsz - 1; s += 2) {
			unsigned int b;

			if (sscanf(s, "%2x", &b) != 1 || b == 0)
				die("bad hex name");
			out[n++] = (char)b;
		}
		out[n] = '\0';
	} else {
		snprintf(out + n, outsz - n, "%s", s);
	}
}

/* JSON string of the name without its leading '/', as bytes with \u00XX for controls;
 * invalid UTF-8 is written as hex in a separate field by the caller. */
static void print_json_hex(const char *key, const char *s)
{
	printf("\"%s\": \"", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		printf("%02x", *p);
	printf("\"");
}

static key_t new_key(void)
{
	/* keys in a range of our own, varied by pid so parallel runs do not meet */
	static int seq;

	return (key_t)(0x1b0c0000 | ((getpid() & 0xfff) << 4) | (seq++ & 0xf));
}

static struct made *new_made(enum okind kind)
{
	if (nmade == MAX_OBJECTS)
		die("too many objects");
	struct made *m = &made[nmade++];

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->mq = (mqd_t)-1;
	return m;
}

static void print_common(const char *kind, unsigned int mode)
{
	printf("{\"kind\": \"%s\", \"expect\": {\"uid\": %u, \"gid\": %u, \"mode\": \"%04o\", "
	       "\"persistence\": \"kernel\"", kind, geteuid(), getegid(), mode);
}

static void make_sysv_msg(char **f, int nf)
{
	if (nf != 4)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long nmsgs = parse_num(f[2]), bytes = parse_num(f[3]);
	struct made *m = new_made(O_MSG);

	m->key = new_key();
	m->id = msgget(m->key, IPC_CREAT | IPC_EXCL | (int)mode);
	if (m->id < 0) {
		nmade--;
		die("msgget: %s", strerror(errno));
	}
	guard_record(m);
	struct { long mtype; char mtext[8192]; } msg = { .mtype = 1 };

	if (bytes > sizeof(msg.mtext))
		die("message too large");
	memset(msg.mtext, 'm', bytes);
	time_t t0 = time(NULL);

	for (unsigned long i = 0; i < nmsgs; i++)
		if (msgsnd(m->id, &msg, bytes, IPC_NOWAIT) < 0)
			die("msgsnd: %s", strerror(errno));
	print_common("sysv_msg", mode);
	printf(", \"id\": %d, \"key\": %u, \"cuid\": %u, \"cgid\": %u, \"messages\": %lu, "
	       "\"used_bytes\": %lu, \"lspid\": %s, \"lspid_command\": %s, \"lrpid\": null, "
	       "\"lrpid_command\": null, \"recv_time\": null%s}",
	       m->id, (unsigned int)m->key, geteuid(), getegid(), nmsgs, nmsgs * bytes,
	       nmsgs ? pidstr : "null", nmsgs ? commstr : "null", nmsgs ? "" : ", \"send_time\": null");
	if (nmsgs)
		printf(", \"range\": {\"send_time\": [%lld, %lld]}", (long long)t0, (long long)time(NULL));
	printf("}\n");
}

static void make_sysv_shm(char **f, int nf, bool private, bool rmid)
{
	if (nf != (private || rmid ? 3 : 4))
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long size = parse_num(f[2]);
	int nattach = rmid ? 1 : private ? 0 : (int)parse_num(f[3]);
	struct made *m = new_made(O_SHM);

	if (nattach > 4)
		die("at most 4 attachments");
	m->key = private ? IPC_PRIVATE : new_key();
	m->id = shmget(m->key, size, IPC_CREAT | IPC_EXCL | (int)mode);
	if (m->id < 0) {
		nmade--;
		die("shmget: %s", strerror(errno));
	}
	guard_record(m);
	time_t t0 = time(NULL);

	for (int i = 0; i < nattach; i++) {
		m->addr[i] = shmat(m->id, NULL, 0);
		if (m->addr[i] == (void *)-1)
			die("shmat: %s", strerror(errno));
		m->naddr++;
	}
	if (rmid && shmctl(m->id, IPC_RMID, NULL) < 0)
		die("shmctl IPC_RMID: %s", strerror(errno));
	print_common("sysv_shm", mode);
	printf(", \"id\": %d, \"key\": %u, \"cuid\": %u, \"size_bytes\": %lu, \"nattch\": %d, "
	       "\"cpid\": %s, \"cpid_command\": %s, \"lpid\": %s, \"lpid_command\": %s, "
	       "\"marked_for_removal\": %s, \"locked\": false, "
	       "\"detach_time\": null%s}",
	       /* IPC_RMID turns the key private */
	       m->id, rmid ? 0u : (unsigned int)m->key, geteuid(), size, nattach, pidstr, commstr,
	       nattach ? pidstr : "null", nattach ? commstr : "null",
	       rmid ? "true" : "false", nattach ? "" : ", \"attach_time\": null");
	if (nattach)
		printf(", \"range\": {\"attach_time\": [%lld, %lld]}", (long long)t0, (long long)time(NULL));
	printf("}\n");
}

static void make_sysv_sem(char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned short vals[64];
	int n = 0;

	for (char *tok = strtok(f[2], ","); tok; tok = strtok(NULL, ",")) {
		if (n == 64)
			die("too many semaphores");
		vals[n++] = (unsigned short)parse_num(tok);
	}
	struct made *m = new_made(O_SEM);

	m->key = new_key();
	m->id = semget(m->key, n, IPC_CREAT | IPC_EXCL | (int)mode);
	if (m->id < 0) {
		nmade--;
		die("semget: %s", strerror(errno));
	}
	guard_record(m);
	/* SETALL sets values without recording a pid; one semop per semaphore records ours */
	for (int i = 0; i < n; i++) {
		struct sembuf op = { .sem_num = (unsigned short)i, .sem_op = (short)vals[i], .sem_flg = IPC_NOWAIT };

		if (vals[i] && semop(m->id, &op, 1) < 0)
			die("semop: %s", strerror(errno));
	}
	print_common("sysv_sem", mode);
	printf(", \"id\": %d, \"key\": %u, \"nsems\": %d, \"ncnt\": 0, \"zcnt\": 0, \"semaphores\": [",
	       m->id, (unsigned int)m->key, n);
	for (int i = 0; i < n; i++)
		printf("%s{\"num\": %d, \"value\": %u, \"ncnt\": 0, \"zcnt\": 0, \"pid\": %s}",
		       i ? ", " : "", i, vals[i], vals[i] ? pidstr : "null");
	printf("]}}\n");
}

static void print_name_fields(const char *name, const char *skip)
{
	/* the checker compares bytes: name_hex is what ipctop's name must decode to */
	printf(", ");
	print_json_hex("name_hex", name + 1 + strlen(skip));
}

static void print_file_identity(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat: %s", strerror(errno));
	printf(", \"inode\": %llu, \"dev\": \"%u:%u\"", (unsigned long long)st.st_ino,
	       major(st.st_dev), minor(st.st_dev));
}

static void make_posix_mq(const char *prefix, char **f, int nf, bool notify)
{
	if (nf != 6)
		usage();
	int signo = notify ? (int)parse_num(f[5]) : 0;
	unsigned int mode = parse_mode(f[1]);
	struct made *m = new_made(O_MQ);
	unsigned long maxmsg = parse_num(f[3]), msgsize = parse_num(f[4]);
	unsigned long nmsgs = notify ? 0 : parse_num(f[5]);
	struct mq_attr attr = { .mq_maxmsg = (long)maxmsg, .mq_msgsize = (long)msgsize };

	decode_name(prefix, f[2], m->name, sizeof(m->name));
	mode_t old = umask(0);

	m->mq = mq_open(m->name, O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, mode, &attr);
	umask(old);
	if (m->mq == (mqd_t)-1) {
		nmade--;
		die("mq_open: %s", strerror(errno));
	}
	guard_record(m);
	char buf[8192];

	if (msgsize > sizeof(buf))
		die("message too large");
	memset(buf, 'q', msgsize);
	for (unsigned long i = 0; i < nmsgs; i++)
		if (mq_send(m->mq, buf, msgsize, 0) < 0)
			die("mq_send: %s", strerror(errno));
	if (notify) {
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = signo };

		signal(signo, SIG_IGN);
		if (mq_notify(m->mq, &sev) < 0)
			die("mq_notify: %s", strerror(errno));
	}
	print_common("posix_mq", mode);
	print_name_fields(m->name, "");
	print_file_identity(m->mq);
	printf(", \"messages\": %lu, \"max_messages\": %lu, \"max_msg_size_bytes\": %lu, "
	       "\"used_bytes\": %lu", nmsgs, maxmsg, msgsize, nmsgs * msgsize);
	if (notify)
		printf(", \"notify_pid\": %s, \"notify_command\": %s, \"notify\": \"signal\", "
		       "\"notify_signo\": %d}}\n", pidstr, commstr, signo);
	else
		printf(", \"notify_pid\": null, \"notify_command\": null, \"notify\": null}}\n");
}

static void make_posix_shm(const char *prefix, char **f, int nf)
{
	if (nf != 4)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long size = parse_num(f[3]);
	struct made *m = new_made(O_PSHM);

	decode_name(prefix, f[2], m->name, sizeof(m->name));
	mode_t old = umask(0);
	int fd = shm_open(m->name, O_CREAT | O_EXCL | O_RDWR, mode);

	umask(old);
	if (fd < 0) {
		nmade--;
		die("shm_open: %s", strerror(errno));
	}
	guard_record(m);
	if (ftruncate(fd, (off_t)size) < 0)
		die("ftruncate: %s", strerror(errno));
	print_common("posix_shm", mode);
	print_name_fields(m->name, "");
	print_file_identity(fd);
	printf(", \"size_bytes\": %lu}}\n", size);
	close(fd);
}

static void make_posix_sem(const char *prefix, char **f, int nf)
{
	if (nf != 4)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long value = parse_num(f[3]);
	struct made *m = new_made(O_PSEM);

	decode_name(prefix, f[2], m->name, sizeof(m->name));
	mode_t old = umask(0);

	m->sem = sem_open(m->name, O_CREAT | O_EXCL, mode, (unsigned int)value);
	umask(old);
	if (m->sem == SEM_FAILED) {
		nmade--;
		die("sem_open: %s", strerror(errno));
	}
	guard_record(m);
	int v = -1;

	sem_getvalue(m->sem, &v);
	print_common("posix_sem", mode);
	/* the name ipctop reports is the part after "sem." */
	print_name_fields(m->name, "");
	printf(", \"value\": %d, \"waiters\": 0}}\n", v);
}

int main(int argc, char **argv)
{
	const char *prefix = "";
	int opt;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt == 'p')
			prefix = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();

	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)getpid());
	char comm[17] = "";

	prctl(PR_GET_NAME, comm);
	snprintf(commstr, sizeof(commstr), "\"%s\"", comm);
	start_guard();
	atexit(remove_all);

	for (int i = optind; i < argc; i++) {
		char *spec = strdup(argv[i]);
		char *f[8];
		int nf = 0;

		/* split on ':' but keep "x:HEX" names together */
		for (char *p = spec; p && nf < 8;) {
			char *c = strchr(p, ':');

			if (c && c == p + 1 && *p == 'x') {
				c = strchr(c + 1, ':');
			}
			f[nf++] = p;
			if (c)
				*c++ = '\0';
			p = c;
		}
		if (strcmp(f[0], "sysv_msg") == 0)
			make_sysv_msg(f, nf);
		else if (strcmp(f[0], "sysv_shm") == 0)
			make_sysv_shm(f, nf, false, false);
		else if (strcmp(f[0], "sysv_shm_private") == 0)
			make_sysv_shm(f, nf, true, false);
		else if (strcmp(f[0], "sysv_shm_rmid") == 0)
			make_sysv_shm(f, nf, false, true);
		else if (strcmp(f[0], "sysv_sem") == 0)
			make_sysv_sem(f, nf);
		else if (strcmp(f[0], "posix_mq") == 0)
			make_posix_mq(prefix, f, nf, false);
		else if (strcmp(f[0], "posix_mq_notify") == 0)
			make_posix_mq(prefix, f, nf, true);
		else if (strcmp(f[0], "posix_shm") == 0)
			make_posix_shm(prefix, f, nf);
		else if (strcmp(f[0], "posix_sem") == 0)
			make_posix_sem(prefix, f, nf);
		else
			usage();
		free(spec);
	}
	printf("READY %d\n", getpid());
	fflush(stdout);

	/* wait for stdin EOF or a signal */
	while (!got_signal) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		char c[256];

		if (poll(&p, 1, -1) < 0)
			continue;
		if (read(STDIN_FILENO, c, sizeof(c)) <= 0)
			break;
	}
	remove_all();
	return 0;
}
