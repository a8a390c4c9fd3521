/*
 * workload: build a large IPC workload for bench/bench.sh, hold it until told to stop,
 * then remove all of it.
 *
 * Usage: workload [-p PROCS] [-f FDS]
 *
 * PROCS worker processes (default 500) hold FDS open descriptors each (default 25,
 * stdin/stdout/stderr included), so PROCS*FDS in all.  Workers come in pairs: the
 * first of a pair creates everything the two share, forks the second, and each closes
 * the other's ends.  A pair shares pipes (bytes queued), socketpairs (stream and
 * datagram, bytes queued), connected UNIX stream sockets (the first holds the listener
 * and the accepted ends; abstract names for even pairs, a socket file in a temp dir
 * for odd ones), one eventfd held by both and, every 16th pair, one of two FIFOs.
 * Some workers also attach a SysV segment, open a POSIX queue, map a POSIX segment
 * (keeping its fd) or open a POSIX semaphore; whatever is left of a budget is filled
 * with eventfds of its own.  The SysV queues, segments and semaphore sets use keys from
 * 0x1b0e0000 to 0x1b0effff, the POSIX names start with "ipctop-bench-<pid>-".
 *
 * Prints "READY <procs> <fds>" on stdout (the fds counted in /proc) once all of it
 * exists, then waits for stdin EOF or SIGTERM/SIGINT/SIGHUP.  Everything is removed on
 * every way out: by this process on EOF, a signal or an error; if it is killed outright,
 * its workers die with it (PR_SET_PDEATHSIG) and a guard child, forked before anything
 * existed, removes the named objects and the temp dir.  Before it starts it checks the
 * limits that could stop it and names the one that does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY_BASE        0x1b0e0000
#define KEY_SPAN        0x10000
#define SEG_SIZE        (64 * 1024)
#define MIN_FDS         8
#define STDIO_FDS       3

enum okind { O_MSG, O_SHM, O_SEM, O_MQ, O_PSHM, O_PSEM };
static const char *const okind_name[] = { "msg", "shm", "sem", "mq", "pshm", "psem" };

struct named {
	enum okind kind;
	int id;
	key_t key;
	char name[96];          /* POSIX name with its leading '/' */
};

/* What a pair of workers holds; computed the same way by the workers and the summary. */
struct pair_plan {
	bool has_b;
	int n_shared_efd, n_fifo, n_pipe, n_sockpair, n_conn;
	int own_efd_a, own_efd_b;
};

static int nprocs = 500, nfds = 25;
static char prefix[64];                 /* "ipctop-bench-<pid>-" */
static char tmpdir[PATH_MAX];
static char fifo_path[2][PATH_MAX + 16];

static struct named *objs;
static int nobjs;
static int n_msg, n_shm, n_sem, n_mq, n_pshm, n_psem;
static int first_of[6];                 /* index in objs[] of each kind's first object */
static long mq_maxmsg = 8, mq_msgsize = 256;

static pid_t *workers;                  /* pids reported ready */
static int nworkers;
static pid_t worker_pgid;
static int guard_fd = -1;
static pid_t main_pid;
static volatile sig_atomic_t got_signal;

static void cleanup(void);

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("workload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);        /* atexit: cleanup() */
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: workload [-p PROCS] [-f FDS]\n"
		"  -p PROCS  worker processes (default 500)\n"
		"  -f FDS    open descriptors per worker, stdio included (default 25, at least %d)\n"
		"Prints READY <procs> <fds> when the workload exists; stops on stdin EOF,\n"
		"SIGTERM, SIGINT or SIGHUP and removes everything it made.\n", MIN_FDS);
	exit(status);
}

static long read_long_file(const char *path, long fallback)
{
	FILE *f = fopen(path, "r");
	long v;

	if (!f)
		return fallback;
	if (fscanf(f, "%ld", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* ---- the guard: removes the named objects if the main process is killed ---- */

static void guard_send(const char *fmt, ...)
{
	char line[PATH_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) || write(guard_fd, line, (size_t)n) != n)
		die("cannot write to the guard process: %s", strerror(errno));
}

static void remove_named(enum okind kind, int id, key_t key, const char *name)
{
	union { struct msqid_ds m; struct shmid_ds s; struct semid_ds se; } ds;

	/* SysV ids can be reused: remove only if the key is still ours */
	switch (kind) {
	case O_MSG:
		if (msgctl(id, IPC_STAT, &ds.m) == 0 && ds.m.msg_perm.__key == key)
			msgctl(id, IPC_RMID, NULL);
		break;
	case O_SHM:
		if (shmctl(id, IPC_STAT, &ds.s) == 0 && ds.s.shm_perm.__key == key)
			shmctl(id, IPC_RMID, NULL);
		break;
	case O_SEM:
		if (semctl(id, 0, IPC_STAT, &ds.se) == 0 && ds.se.sem_perm.__key == key)
			semctl(id, 0, IPC_RMID);
		break;
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

/* The temp dir holds only our FIFOs and socket files. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

static void guard_main(int fd)
{
	struct named *rec = NULL;
	int n = 0, cap = 0;
	char dir[PATH_MAX + 64] = "";
	pid_t pgid = 0;
	bool done = false;
	FILE *in = fdopen(fd, "r");
	char line[PATH_MAX + 64];

	prctl(PR_SET_NAME, "ipcbench-guard");
	if (!in)
		_exit(1);
	while (fgets(line, sizeof(line), in)) {
		char word[8];

		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "done") == 0) {
			done = true;
		} else if (strncmp(line, "dir ", 4) == 0) {
			snprintf(dir, sizeof(dir), "%s", line + 4);
		} else if (sscanf(line, "pgid %d", &pgid) == 1) {
			continue;
		} else if (sscanf(line, "%7s", word) == 1) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				rec = realloc(rec, (size_t)cap * sizeof(*rec));
				if (!rec)
					_exit(1);
			}
			for (int k = 0; k < 6; k++)
				if (strcmp(word, okind_name[k]) == 0) {
					rec[n].kind = (enum okind)k;
					if (k <= O_SEM && sscanf(line, "%*s %d %d", &rec[n].id, &rec[n].key) == 2)
						n++;
					else if (k > O_SEM && sscanf(line, "%*s %95s", rec[n].name) == 1)
						n++;
				}
		}
	}
	if (!done) {
		if (pgid > 0)
			kill(-pgid, SIGKILL);
		for (int i = 0; i < n; i++)
			remove_named(rec[i].kind, rec[i].id, rec[i].key, rec[i].name);
		if (dir[0])
			remove_dir(dir);
	}
	_exit(0);
}

static void start_guard(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("cannot create the guard pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("cannot fork the guard process: %s", strerror(errno));
	if (pid == 0) {
		close(p[1]);
		/* signals are for the main process; EOF on the pipe is the guard's cue */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		guard_main(p[0]);
	}
	close(p[0]);
	guard_fd = p[1];
}

/* ---- removal by the main process, on every way out ---- */

static void cleanup(void)
{
	int status;

	if (getpid() != main_pid)
		return;
	if (worker_pgid > 0)
		kill(-worker_pgid, SIGKILL);
	for (int i = 0; i < nworkers; i++)
		kill(workers[i], SIGKILL);
	for (int i = nobjs - 1; i >= 0; i--)
		remove_named(objs[i].kind, objs[i].id, objs[i].key, objs[i].name);
	nobjs = 0;
	if (tmpdir[0])
		remove_dir(tmpdir);
	tmpdir[0] = '\0';
	if (guard_fd >= 0) {
		if (write(guard_fd, "done\n", 5) != 5)
			perror("workload: cannot tell the guard process we are done");
		close(guard_fd);
		guard_fd = -1;
	}
	/* we are a subreaper: every worker, orphaned or not, and the guard end up here */
	while (waitpid(-1, &status, __WALL) > 0 || errno == EINTR)
		;
}

static void on_signal(int sig)
{
	got_signal = sig;
}

/* ---- limits ---- */

/* The pids cgroup of this process, v1 or v2; returns false if there is none to read. */
static bool pids_cgroup(long *max, long *current)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[PATH_MAX + 64], path[PATH_MAX + 128];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *cg;
		char val[32];

		if (!ctl || !(cg = strchr(ctl + 1, ':')))
			continue;
		*cg++ = '\0';
		cg[strcspn(cg, "\n")] = '\0';
		ctl++;
		if (strcmp(ctl, "pids") == 0)
			snprintf(path, sizeof(path), "/sys/fs/cgroup/pids%s/pids.max", cg);
		else if (ctl[0] == '\0' && access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/pids.max", cg);
		else
			continue;
		FILE *m = fopen(path, "r");

		if (!m)
			continue;
		if (fscanf(m, "%31s", val) == 1) {
			found = true;
			*max = strcmp(val, "max") == 0 ? -1 : atol(val);
		}
		fclose(m);
		strcpy(path + strlen(path) - strlen("max"), "current");
		*current = read_long_file(path, 0);
	}
	fclose(f);
	return found;
}

static long tasks_now(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	long running, total = 0;

	if (f) {
		if (fscanf(f, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
			total = 0;
		fclose(f);
	}
	return total;
}

static void describe_process_limits(FILE *out)
{
	long cg_max = -1, cg_cur = 0;
	struct rlimit rl;

	fprintf(out, "  kernel.pid_max=%ld kernel.threads-max=%ld, tasks now %ld",
		read_long_file("/proc/sys/kernel/pid_max", -1),
		read_long_file("/proc/sys/kernel/threads-max", -1), tasks_now());
	if (getrlimit(RLIMIT_NPROC, &rl) == 0) {
		if (rl.rlim_cur == RLIM_INFINITY)
			fprintf(out, ", RLIMIT_NPROC unlimited");
		else
			fprintf(out, ", RLIMIT_NPROC=%llu%s", (unsigned long long)rl.rlim_cur,
				geteuid() == 0 ? " (not enforced for root)" : "");
	}
	if (pids_cgroup(&cg_max, &cg_cur)) {
		if (cg_max < 0)
			fprintf(out, ", pids cgroup: no limit");
		else
			fprintf(out, ", pids cgroup: %ld of %ld used", cg_cur, cg_max);
	}
	fputc('\n', out);
}

/* Checks what could stop us before making anything; dies naming the limit. */
static void check_limits(int fds_per_proc)
{
	long need_tasks = nprocs + 2;   /* workers, us, the guard */
	long tasks = tasks_now();
	long pid_max = read_long_file("/proc/sys/kernel/pid_max", LONG_MAX);
	long threads_max = read_long_file("/proc/sys/kernel/threads-max", LONG_MAX);
	long cg_max, cg_cur;
	struct rlimit rl;

	/* pids 1..300 are not reused once pid_max wraps */
	if (tasks + need_tasks > pid_max - 300)
		die("%d processes do not fit: kernel.pid_max is %ld and %ld tasks exist "
		    "(raise /proc/sys/kernel/pid_max)", nprocs, pid_max, tasks);
	if (tasks + need_tasks > threads_max)
		die("%d processes do not fit: kernel.threads-max is %ld and %ld tasks exist "
		    "(raise /proc/sys/kernel/threads-max)", nprocs, threads_max, tasks);
	if (pids_cgroup(&cg_max, &cg_cur) && cg_max >= 0 && cg_cur + need_tasks > cg_max)
		die("%d processes do not fit: this pids cgroup allows %ld and has %ld", nprocs,
		    cg_max, cg_cur);
	if (geteuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)(tasks + need_tasks) > rl.rlim_cur)
		fprintf(stderr, "workload: warning: RLIMIT_NPROC is %llu (ulimit -u); forks may fail\n",
			(unsigned long long)rl.rlim_cur);

	/* the first of a pair holds both ends of everything the pair shares */
	long nr_open = read_long_file("/proc/sys/fs/nr_open", 1048576);

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("cannot read RLIMIT_NOFILE: %s", strerror(errno));
	if (rl.rlim_cur < (rlim_t)fds_per_proc) {
		if (rl.rlim_max < (rlim_t)fds_per_proc) {
			if ((long)fds_per_proc > nr_open)
				die("-f %d needs %d descriptors in one process: fs.nr_open is %ld",
				    nfds, fds_per_proc, nr_open);
			rl.rlim_max = (rlim_t)fds_per_proc;
		}
		rl.rlim_cur = (rlim_t)fds_per_proc;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die("-f %d needs %d descriptors in one process: cannot raise RLIMIT_NOFILE "
			    "to %d: %s (ulimit -Hn; run as root)", nfds, fds_per_proc, fds_per_proc,
			    strerror(errno));
	}
	long file_max = read_long_file("/proc/sys/fs/file-max", LONG_MAX);
	long files_now = read_long_file("/proc/sys/fs/file-nr", 0);

	if (files_now + (long)nprocs * nfds > file_max) {
		if (geteuid() == 0)
			fprintf(stderr, "workload: warning: fs.file-max is %ld and %ld files are open; "
				"root may exceed it\n", file_max, files_now);
		else
			die("%ld open files do not fit: fs.file-max is %ld and %ld are open",
			    (long)nprocs * nfds, file_max, files_now);
	}

	/* SysV: the number of objects system-wide */
	long sem[4] = { 0, 0, 0, 0 };
	FILE *f = fopen("/proc/sys/kernel/sem", "r");

	if (f) {
		if (fscanf(f, "%ld %ld %ld %ld", &sem[0], &sem[1], &sem[2], &sem[3]) != 4)
			sem[3] = LONG_MAX;
		fclose(f);
	}
	long msgmni = read_long_file("/proc/sys/kernel/msgmni", LONG_MAX);
	long shmmni = read_long_file("/proc/sys/kernel/shmmni", LONG_MAX);
	int msg_used = count_lines("/proc/sysvipc/msg") - 1;
	int shm_used = count_lines("/proc/sysvipc/shm") - 1;
	int sem_used = count_lines("/proc/sysvipc/sem") - 1;

	if (msg_used + n_msg > msgmni)
		die("%d SysV queues do not fit: kernel.msgmni is %ld and %d exist", n_msg, msgmni, msg_used);
	if (shm_used + n_shm > shmmni)
		die("%d SysV segments do not fit: kernel.shmmni is %ld and %d exist", n_shm, shmmni, shm_used);
	if (sem_used + n_sem > sem[3])
		die("%d SysV semaphore sets do not fit: kernel.sem SEMMNI is %ld and %d exist", n_sem,
		    sem[3], sem_used);

	/* POSIX queues: stay within the per-queue limits (root may exceed queues_max) */
	long msg_max = read_long_file("/proc/sys/fs/mqueue/msg_max", mq_maxmsg);
	long msgsize_max = read_long_file("/proc/sys/fs/mqueue/msgsize_max", mq_msgsize);

	if (msg_max < mq_maxmsg)
		mq_maxmsg = msg_max;
	if (msgsize_max < mq_msgsize)
		mq_msgsize = msgsize_max;
	long queues_max = read_long_file("/proc/sys/fs/mqueue/queues_max", LONG_MAX);

	if (n_mq > queues_max && geteuid() != 0)
		die("%d POSIX queues do not fit: fs.mqueue.queues_max is %ld", n_mq, queues_max);
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		rlim_t need = (rlim_t)n_mq * (rlim_t)(mq_maxmsg * (mq_msgsize + 64));

		if (need > rl.rlim_cur) {
			rl.rlim_cur = need;
			if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
				rl.rlim_max = need;
			if (setrlimit(RLIMIT_MSGQUEUE, &rl) < 0)
				die("%d POSIX queues need %llu bytes: cannot raise RLIMIT_MSGQUEUE: %s",
				    n_mq, (unsigned long long)need, strerror(errno));
		}
	}
}

/* ---- the named objects, made by the main process ---- */

static struct named *new_named(enum okind kind)
{
	static int cap;

	if (nobjs == cap) {
		cap = cap ? 2 * cap : 256;
		objs = realloc(objs, (size_t)cap * sizeof(*objs));
		if (!objs)
			die("out of memory");
	}
	memset(&objs[nobjs], 0, sizeof(objs[nobjs]));
	objs[nobjs].kind = kind;
	return &objs[nobjs];
}

/* The next free key in our range; parallel runs start in different places. */
static key_t next_key(void)
{
	static int seq = -1;

	if (seq < 0)
		seq = (getpid() & 0xff) << 8;
	return (key_t)(KEY_BASE + (seq++ % KEY_SPAN));
}

static int sysv_create(enum okind kind, int *id_out)
{
	struct named *o = new_named(kind);

	for (int tries = 0; tries < KEY_SPAN; tries++) {
		o->key = next_key();
		if (kind == O_MSG)
			o->id = msgget(o->key, IPC_CREAT | IPC_EXCL | 0600);
		else if (kind == O_SHM)
			o->id = shmget(o->key, SEG_SIZE, IPC_CREAT | IPC_EXCL | 0600);
		else
			o->id = semget(o->key, 4, IPC_CREAT | IPC_EXCL | 0600);
		if (o->id >= 0 || errno != EEXIST)
			break;
	}
	if (o->id < 0)
		die("cannot create SysV %s with key 0x%08x: %s", okind_name[kind], (unsigned int)o->key,
		    errno == ENOSPC ? "No space left (a kernel.msgmni/shmmni/sem limit)" : strerror(errno));
	nobjs++;
	guard_send("%s %d %d\n", okind_name[kind], o->id, (int)o->key);
	*id_out = o->id;
	return nobjs - 1;
}

static void make_named_objects(void)
{
	char msgbuf[sizeof(long) + 256];
	int id;

	first_of[O_MSG] = nobjs;
	for (int i = 0; i < n_msg; i++) {
		sysv_create(O_MSG, &id);
		*(long *)msgbuf = 1;
		memset(msgbuf + sizeof(long), 'm', 256);
		for (int k = 0; k < 1 + i % 4; k++)
			if (msgsnd(id, msgbuf, 256, IPC_NOWAIT) < 0)
				die("cannot send to SysV queue %d: %s", id, strerror(errno));
	}
	first_of[O_SHM] = nobjs;
	for (int i = 0; i < n_shm; i++)
		sysv_create(O_SHM, &id);
	first_of[O_SEM] = nobjs;
	for (int i = 0; i < n_sem; i++) {
		unsigned short vals[4] = { 1, 0, 2, (unsigned short)i };

		sysv_create(O_SEM, &id);
		if (semctl(id, 0, SETALL, vals) < 0)
			die("cannot set SysV semaphore set %d: %s", id, strerror(errno));
	}

	/* POSIX: the name is told to the guard before it exists; unlinking nothing is harmless */
	first_of[O_MQ] = nobjs;
	for (int i = 0; i < n_mq; i++) {
		struct named *o = new_named(O_MQ);
		struct mq_attr attr = { .mq_maxmsg = mq_maxmsg, .mq_msgsize = mq_msgsize };
		char buf[256];

		snprintf(o->name, sizeof(o->name), "/%smq%d", prefix, i);
		guard_send("mq %s\n", o->name);
		mqd_t q = mq_open(o->name, O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, 0600, &attr);

		if (q == (mqd_t)-1)
			die("cannot create POSIX queue %s: %s%s", o->name, strerror(errno),
			    errno == EMFILE ? " (RLIMIT_MSGQUEUE or fs.mqueue.queues_max)" : "");
		nobjs++;
		memset(buf, 'q', sizeof(buf));
		for (int k = 0; k < 1 + i % 3 && k < mq_maxmsg; k++)
			if (mq_send(q, buf, (size_t)(mq_msgsize < 64 ? mq_msgsize : 64), 0) < 0)
				die("cannot send to POSIX queue %s: %s", o->name, strerror(errno));
		mq_close(q);
	}
	first_of[O_PSHM] = nobjs;
	for (int i = 0; i < n_pshm; i++) {
		struct named *o = new_named(O_PSHM);

		snprintf(o->name, sizeof(o->name), "/%sshm%d", prefix, i);
		guard_send("pshm %s\n", o->name);
		int fd = shm_open(o->name, O_CREAT | O_EXCL | O_RDWR, 0600);

		if (fd < 0)
			die("cannot create POSIX shm %s: %s", o->name, strerror(errno));
		nobjs++;
		if (ftruncate(fd, SEG_SIZE) < 0)
			die("cannot size POSIX shm %s: %s", o->name, strerror(errno));
		close(fd);
	}
	first_of[O_PSEM] = nobjs;
	for (int i = 0; i < n_psem; i++) {
		struct named *o = new_named(O_PSEM);

		snprintf(o->name, sizeof(o->name), "/%ssem%d", prefix, i);
		guard_send("psem %s\n", o->name);
		sem_t *s = sem_open(o->name, O_CREAT | O_EXCL, 0600, (unsigned int)(i % 3));

		if (s == SEM_FAILED)
			die("cannot create POSIX semaphore %s: %s", o->name, strerror(errno));
		nobjs++;
		sem_close(s);
	}
}

/* ---- the workers ---- */

/* Extra descriptors worker w keeps: a POSIX queue, a POSIX shm segment. */
static bool worker_has_mq(int w)   { return w % 5 == 1; }
static bool worker_has_pshm(int w) { return w % 5 == 3; }
static bool worker_has_psem(int w) { return w % 7 == 2; }       /* a mapping, no fd */
static bool worker_has_shmat(int w) { return w % 3 == 0; }      /* a mapping, no fd */

static int worker_extra_fds(int w)
{
	return worker_has_mq(w) + worker_has_pshm(w);
}

static void pair_plan(int k, struct pair_plan *p)
{
	int m = nfds - STDIO_FDS;
	int a = 2 * k, ex_a = 1 + worker_extra_fds(a);       /* the listener */

	memset(p, 0, sizeof(*p));
	p->has_b = a + 1 < nprocs;
	if (!p->has_b) {
		p->own_efd_a = m - ex_a;
		return;
	}
	int ex_b = worker_extra_fds(a + 1);
	int links = m - (ex_a > ex_b ? ex_a : ex_b);
	int rest = links;

	p->n_shared_efd = rest >= 4;
	rest -= p->n_shared_efd;
	p->n_fifo = k % 16 == 0 && rest >= 1;
	rest -= p->n_fifo;
	p->n_pipe = (rest + 2) / 3;
	p->n_sockpair = (rest + 1) / 3;
	p->n_conn = rest / 3;
	p->own_efd_a = m - ex_a - links;
	p->own_efd_b = m - ex_b - links;
}

struct ends {
	int *a, *b;             /* descriptors each side keeps; a shared eventfd is in both */
	int na, nb;
};

static int ready_fd = -1;

static void worker_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "E %d ", (int)getpid());
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(msg, "\n");
	if (write(ready_fd, msg, strlen(msg)) < 0)
		_exit(3);
	_exit(1);
}

static void queue_bytes(int fd, size_t n, const char *what)
{
	char buf[128];

	memset(buf, 'b', sizeof(buf));
	if (write(fd, buf, n < sizeof(buf) ? n : sizeof(buf)) < 0)
		worker_fail("cannot write to a %s: %s", what, strerror(errno));
}

static void keep(struct ends *e, int fd_a, int fd_b)
{
	if (fd_a >= 0)
		e->a[e->na++] = fd_a;
	if (fd_b >= 0)
		e->b[e->nb++] = fd_b;
}

static int make_listener(int k, struct sockaddr_un *addr, socklen_t *len)
{
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (l < 0)
		worker_fail("cannot create a UNIX socket: %s", strerror(errno));
	int n = snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/L%d.sock", tmpdir, k);

	if (k % 2 == 0 || n < 0 || (size_t)n >= sizeof(addr->sun_path)) {
		/* abstract: a NUL, then the name, no terminating NUL */
		n = snprintf(addr->sun_path + 1, sizeof(addr->sun_path) - 1, "%sL%d", prefix, k);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
		addr->sun_path[0] = '\0';
	} else {
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
	}
	if (bind(l, (struct sockaddr *)addr, *len) < 0)
		worker_fail("cannot bind UNIX socket %s%s: %s", addr->sun_path[0] ? "" : "@",
			    addr->sun_path + !addr->sun_path[0], strerror(errno));
	if (listen(l, 64) < 0)
		worker_fail("cannot listen on a UNIX socket: %s", strerror(errno));
	return l;
}

/* What the pair shares, made in the first worker before it forks the second. */
static void make_shared(int k, const struct pair_plan *p, struct ends *e)
{
	int fd[2], l;
	struct sockaddr_un addr;
	socklen_t alen;

	l = make_listener(k, &addr, &alen);
	keep(e, l, -1);
	for (int i = 0; i < p->n_shared_efd; i++) {
		int efd = eventfd((unsigned int)k, EFD_CLOEXEC);

		if (efd < 0)
			worker_fail("cannot create an eventfd: %s", strerror(errno));
		keep(e, efd, efd);
	}
	for (int i = 0; i < p->n_fifo; i++) {
		const char *path = fifo_path[(k / 16) % 2];
		int r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		int w = r < 0 ? -1 : open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

		if (w < 0)
			worker_fail("cannot open FIFO %s: %s", path, strerror(errno));
		queue_bytes(w, 16, "FIFO");
		keep(e, r, w);
	}
	for (int i = 0; i < p->n_pipe; i++) {
		if (pipe2(fd, O_CLOEXEC) < 0)
			worker_fail("cannot create a pipe: %s", strerror(errno));
		queue_bytes(fd[1], 32 + (size_t)i, "pipe");
		/* alternate the direction: A reads some, B reads others */
		if (i % 2)
			keep(e, fd[0], fd[1]);
		else
			keep(e, fd[1], fd[0]);
	}
	for (int i = 0; i < p->n_sockpair; i++) {
		if (socketpair(AF_UNIX, (i % 2 ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0, fd) < 0)
			worker_fail("cannot create a socketpair: %s", strerror(errno));
		queue_bytes(fd[0], 24, "socketpair");
		keep(e, fd[0], fd[1]);
	}
	for (int i = 0; i < p->n_conn; i++) {
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), s;

		if (c < 0 || connect(c, (struct sockaddr *)&addr, alen) < 0)
			worker_fail("cannot connect to the pair's UNIX listener: %s", strerror(errno));
		s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (s < 0)
			worker_fail("cannot accept a UNIX connection: %s", strerror(errno));
		queue_bytes(c, 20, "UNIX connection");
		keep(e, s, c);
	}
}

/* What a worker holds alone: eventfds to fill its budget, POSIX and SysV attachments. */
static void make_own(int w, int n_efd)
{
	for (int i = 0; i < n_efd; i++)
		if (eventfd((unsigned int)i, EFD_CLOEXEC) < 0)
			worker_fail("cannot create an eventfd: %s", strerror(errno));
	if (worker_has_mq(w)) {
		const char *name = objs[first_of[O_MQ] + (w / 5) % n_mq].name;

		if (mq_open(name, O_RDWR | O_NONBLOCK) == (mqd_t)-1)
			worker_fail("cannot open POSIX queue %s: %s", name, strerror(errno));
	}
	if (worker_has_pshm(w)) {
		const char *name = objs[first_of[O_PSHM] + (w / 5) % n_pshm].name;
		int fd = shm_open(name, O_RDWR, 0);
		char *p = fd < 0 ? MAP_FAILED : mmap(NULL, SEG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			worker_fail("cannot map POSIX shm %s: %s", name, strerror(errno));
		p[0] = 1;
	}
	if (worker_has_psem(w)) {
		const char *name = objs[first_of[O_PSEM] + (w / 7) % n_psem].name;

		if (sem_open(name, 0) == SEM_FAILED)
			worker_fail("cannot open POSIX semaphore %s: %s", name, strerror(errno));
	}
	if (worker_has_shmat(w)) {
		int id = objs[first_of[O_SHM] + (w / 3) % n_shm].id;
		char *p = shmat(id, NULL, 0);

		if (p == (void *)-1)
			worker_fail("cannot attach SysV segment %d: %s", id, strerror(errno));
		p[0] = 1;
	}
}

static void worker_hold(void)
{
	char msg[32];
	int n = snprintf(msg, sizeof(msg), "R %d\n", (int)getpid());

	if (write(ready_fd, msg, (size_t)n) != n)
		_exit(3);
	close(ready_fd);
	for (;;)
		pause();
}

/* Be killed when the process that forked us dies, even if it died just now. */
static void worker_tie_to(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "ipcbench-worker");
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	/* the very first worker starts the group the others join */
	setpgid(0, worker_pgid);
	worker_pgid = getpgrp();
	if (guard_fd >= 0)
		close(guard_fd);
	guard_fd = -1;
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
		worker_fail("cannot open /dev/null: %s", strerror(errno));
	close(null);
}

static void pair_main(int k, pid_t parent)
{
	struct pair_plan p;
	struct ends e;
	int m = nfds - STDIO_FDS;

	worker_tie_to(parent);
	pair_plan(k, &p);
	e.a = calloc((size_t)m, sizeof(int));
	e.b = calloc((size_t)m, sizeof(int));
	e.na = e.nb = 0;
	if (!e.a || !e.b)
		worker_fail("out of memory");
	if (p.has_b)
		make_shared(k, &p, &e);
	else
		keep(&e, make_listener(k, &(struct sockaddr_un){ 0 }, &(socklen_t){ 0 }), -1);

	pid_t me = getpid(), b = p.has_b ? fork() : 1;

	if (b < 0)
		worker_fail("cannot fork the second worker of pair %d: %s", k, strerror(errno));
	if (b == 0) {
		worker_tie_to(me);
		for (int i = 0; i < e.na; i++) {
			bool shared = false;

			for (int j = 0; j < e.nb && !shared; j++)
				shared = e.b[j] == e.a[i];
			if (!shared)
				close(e.a[i]);
		}
		make_own(2 * k + 1, p.own_efd_b);
		worker_hold();
	}
	if (p.has_b) {
		setpgid(b, worker_pgid);
		for (int j = 0; j < e.nb; j++) {
			bool shared = false;

			for (int i = 0; i < e.na && !shared; i++)
				shared = e.a[i] == e.b[j];
			if (!shared)
				close(e.b[j]);
		}
	}
	make_own(2 * k, p.own_efd_a);
	worker_hold();
}

/* ---- the main process ---- */

static long count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	long n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void fork_failed(int made)
{
	int err = errno;

	fprintf(stderr, "workload: cannot fork worker pair %d after %d of %d processes: %s\n",
		made / 2, made, nprocs, strerror(err));
	describe_process_limits(stderr);
	exit(1);
}

/* Reads "R pid" and "E pid message" lines until every worker is ready and has closed
 * the pipe (so that it is not among the descriptors we count). */
static void wait_ready(int rfd)
{
	char buf[65536];
	size_t len = 0;

	workers = calloc((size_t)nprocs, sizeof(*workers));
	if (!workers)
		die("out of memory");
	for (;;) {
		struct pollfd pfd = { .fd = rfd, .events = POLLIN };

		if (got_signal)
			die("stopped by signal %d while building the workload", (int)got_signal);
		if (poll(&pfd, 1, -1) < 0)
			continue;
		ssize_t r = read(rfd, buf + len, sizeof(buf) - len - 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 && nworkers == nprocs)
			break;
		if (r <= 0)
			die("only %d of %d worker processes came up (one died without a word; "
			    "dmesg may say why)", nworkers, nprocs);
		len += (size_t)r;
		buf[len] = '\0';
		char *line = buf, *nl;

		while ((nl = strchr(line, '\n'))) {
			int pid;

			*nl = '\0';
			if (line[0] == 'E')
				die("worker %s", line + 2);
			if (sscanf(line, "R %d", &pid) == 1 && nworkers < nprocs)
				workers[nworkers++] = pid;
			line = nl + 1;
		}
		len = strlen(line);
		memmove(buf, line, len);
	}
}

static void print_summary(long total_fds)
{
	long pipes = 0, sockpairs = 0, conns = 0, listeners = 0, shared_efd = 0, fifos = 0, own_efd = 0;
	int mq = 0, pshm = 0, psem = 0, shmat_n = 0;

	for (int k = 0; 2 * k < nprocs; k++) {
		struct pair_plan p;

		pair_plan(k, &p);
		pipes += p.n_pipe;
		sockpairs += p.n_sockpair;
		conns += p.n_conn;
		listeners++;
		shared_efd += p.n_shared_efd;
		fifos += p.n_fifo;
		own_efd += p.own_efd_a + p.own_efd_b;
	}
	for (int w = 0; w < nprocs; w++) {
		mq += worker_has_mq(w);
		pshm += worker_has_pshm(w);
		psem += worker_has_psem(w);
		shmat_n += worker_has_shmat(w);
	}
	fprintf(stderr,
		"workload: %d processes, %ld fds: %ld pipes, %ld socketpairs, %ld UNIX connections "
		"to %ld listeners, %ld shared + %ld own eventfds, %ld FIFO links; "
		"SysV %d queues, %d segments (%d attachments), %d semaphore sets; "
		"POSIX %d queues (%d fds), %d shm (%d fds+maps), %d semaphores (%d maps); "
		"temp dir %s\n",
		nworkers, total_fds, pipes, sockpairs, conns, listeners, shared_efd, own_efd, fifos,
		n_msg, n_shm, shmat_n, n_sem, n_mq, mq, n_pshm, pshm, n_psem, psem, tmpdir);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int parse_count(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || !*s || v < 1 || v > 1000000) {
		fprintf(stderr, "workload: bad %s '%s'\n", what, s);
		usage(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int opt, rp[2];

	while ((opt = getopt(argc, argv, "p:f:h")) != -1) {
		if (opt == 'p')
			nprocs = parse_count(optarg, "process count");
		else if (opt == 'f')
			nfds = parse_count(optarg, "fd count");
		else
			usage(opt == 'h' ? 0 : 2);
	}
	if (optind != argc)
		usage(2);
	if (nfds < MIN_FDS) {
		fprintf(stderr, "workload: -f must be at least %d\n", MIN_FDS);
		usage(2);
	}
	/* descriptors inherited from whoever started us would count as the workers' own */
	if (close_range(3, ~0U, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	main_pid = getpid();
	snprintf(prefix, sizeof(prefix), "ipctop-bench-%d-", (int)main_pid);
	n_msg = n_shm = n_sem = clamp(nprocs / 50, 4, 64);
	n_mq = clamp(nprocs / 100, 2, 16);
	n_pshm = n_psem = clamp(nprocs / 50, 4, 64);
	/* the first of a pair holds both sides' ends before it forks */
	check_limits(2 * nfds + 16);

	struct sigaction sa = { .sa_handler = on_signal };     /* no SA_RESTART: poll must wake */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("cannot become a child subreaper: %s", strerror(errno));
	start_guard();
	atexit(cleanup);

	const char *tmp = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/%sXXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	if (!mkdtemp(tmpdir)) {
		int err = errno;

		tmpdir[0] = '\0';
		die("cannot create a temp dir: %s", strerror(err));
	}
	guard_send("dir %s\n", tmpdir);
	for (int i = 0; i < 2; i++) {
		snprintf(fifo_path[i], sizeof(fifo_path[i]), "%s/fifo%d", tmpdir, i);
		if (mkfifo(fifo_path[i], 0600) < 0)
			die("cannot create FIFO %s: %s", fifo_path[i], strerror(errno));
	}
	make_named_objects();

	if (pipe(rp) < 0)
		die("cannot create the ready pipe: %s", strerror(errno));
	fcntl(rp[0], F_SETPIPE_SZ, 1 << 20);   /* workers need not wait for us to read */
	ready_fd = rp[1];
	for (int k = 0; 2 * k < nprocs; k++) {
		if (got_signal)
			die("stopped by signal %d while building the workload", (int)got_signal);
		pid_t pid = fork();

		if (pid < 0)
			fork_failed(2 * k);
		if (pid == 0) {
			close(rp[0]);
			pair_main(k, main_pid);
		}
		if (worker_pgid == 0) {
			worker_pgid = pid;
			guard_send("pgid %d\n", (int)pid);
		}
		setpgid(pid, worker_pgid);
	}
	close(rp[1]);
	ready_fd = -1;
	wait_ready(rp[0]);
	close(rp[0]);

	long total = 0;

	for (int i = 0; i < nworkers; i++)
		total += count_fds(workers[i]);
	print_summary(total);
	printf("READY %d %ld\n", nworkers, total);
	fflush(stdout);

	while (!got_signal) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		char c[256];

		if (poll(&pfd, 1, -1) < 0)
			continue;
		ssize_t r = read(STDIN_FILENO, c, sizeof(c));

		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
	cleanup();
	return 0;
}
