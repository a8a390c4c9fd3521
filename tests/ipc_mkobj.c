/*
 * ipc_mkobj: create real IPC objects in a real process, print what ipctop must
 * report about each (one JSON line per object), wait, then remove them all.
 *
 * Usage: ipc_mkobj [-p PREFIX] SPEC...      (see usage() below)
 *
 * Every object is removed on every way out: on stdin EOF or SIGTERM/SIGINT/SIGHUP by
 * this process, and if it is killed outright, by a guard child forked before any
 * object exists (so it holds none of them) that removes whatever it was told about.
 *
 * Some specs need other processes to hold objects (holders, ends, peers). Those
 * children are forked once the objects they need exist, drop every fd and mapping
 * inherited from the helper that is not theirs to hold (so holders are exact), die
 * with the helper (PR_SET_PDEATHSIG) and are killed and reaped by it on exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OBJECTS 64
#define MAX_CHILDREN 64
#define MAX_HOLDS 16
#define LISTEN_BACKLOG 16
#define CHILD_COMM "ipc_mkobj-child"   /* 15 bytes: the whole of a comm */

/* O_FILE: a file to unlink (FIFO, bound socket); O_DIR: our temporary directory */
enum okind { O_MSG, O_SHM, O_SEM, O_MQ, O_PSHM, O_PSEM, O_FILE, O_DIR };

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
static pid_t children[MAX_CHILDREN];   /* holding children, killed and reaped on exit */
static int nchildren;
static pid_t helper_pid;
static bool in_child;
static char tmpdir[256];               /* for FIFOs and sockets, made when first needed */
static int guard_fd = -1;
static pid_t guard_pid = -1;
static volatile sig_atomic_t got_signal;
static char pidstr[16];
static char commstr[40];     /* our command name as a JSON string, quotes included */

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ipc_mkobj: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (in_child)
		_exit(1);   /* the objects are the helper's to remove */
	exit(1);   /* atexit removes what exists */
}

static void usage(void)
{
	fputs("usage: ipc_mkobj [-p PREFIX] [-k KEY] SPEC...\n"
	      "  -k KEY: SysV keys KEY, KEY+1, ... (the same in two IPC namespaces)\n"
	      "  sysv_msg:MODE:NMSGS:BYTES       queue, NMSGS messages of BYTES each\n"
	      "  sysv_shm:MODE:SIZE:NATTACH      segment attached NATTACH times\n"
	      "  sysv_shm_private:MODE:SIZE      IPC_PRIVATE segment, not attached\n"
	      "  sysv_shm_rmid:MODE:SIZE         attached, then IPC_RMID (marked for removal)\n"
	      "  sysv_sem:MODE:V1,V2,...         set with these values\n"
	      "  posix_mq:MODE:NAME:MAXMSG:MSGSIZE:NMSGS\n"
	      "  posix_mq_notify:MODE:NAME:MAXMSG:MSGSIZE:SIGNO  empty, notification by signal\n"
	      "  posix_shm:MODE:NAME:SIZE\n"
	      "  posix_sem:MODE:NAME:VALUE\n"
	      "Specs with holders in other processes (child pids are in the output):\n"
	      "  pipe:NBYTES                     we keep the write end, a child the read end\n"
	      "  fifo:NAME:NWRITERS              FIFO in a temporary directory; we read, each\n"
	      "                                  of NWRITERS children writes 10 bytes\n"
	      "  socketpair:NBYTES               UNIX stream pair, one end in a child, NBYTES\n"
	      "                                  sent to it and unread\n"
	      "  unix_listen:NAME:PENDING        listening stream socket (NAME in a temporary\n"
	      "                                  directory, or abstract as @NAME), PENDING\n"
	      "                                  connections from a child, not accepted\n"
	      "  tcp_loopback:NBYTES             listener on 127.0.0.1 and a connection to it,\n"
	      "                                  the client end in a child, NBYTES sent to us\n"
	      "  udp_loopback:NBYTES             two connected UDP sockets on 127.0.0.1, NBYTES\n"
	      "                                  queued to the first; one unconnected on ::1\n"
	      "  netlink                         a bound NETLINK_ROUTE socket\n"
	      "  inotify                         watching the temporary directory and /dev/shm\n"
	      "  eventfd:COUNT[:semaphore]\n"
	      "  signalfd:SIG,SIG,...            signals blocked; the first one raised, pending\n"
	      "  shared_signalfd:SIG             a signalfd a child inherits, and one of the\n"
	      "                                  same mask we alone hold\n"
	      "  sysv_shm_attach:MODE:SIZE:NPROCS   attached by us and NPROCS-1 children, the\n"
	      "                                  first child read-only\n"
	      "  posix_shm_map:MODE:NAME:SIZE:NPROCS  we hold an fd and a mapping, NPROCS-1\n"
	      "                                  children a mapping each (the first read-only)\n"
	      "  posix_sem_map:MODE:NAME:VALUE:NPROCS sem_open in us and NPROCS-1 children\n"
	      "  posix_mq_open:MODE:NAME:NPROCS  open in us (rw) and NPROCS-1 children: the\n"
	      "                                  first O_RDONLY, the second O_WRONLY, then rw\n"
	      "  stale_mq:MODE:NAME              made by a child that exited: nobody holds it\n"
	      "  stale_sockfile:NAME             a socket file whose socket was closed\n"
	      "  flock:NAME                      a file we hold flock(LOCK_EX) on, and a child\n"
	      "                                  blocked waiting for it\n"
	      "  signal_pending                  SIGWINCH pending for our thread, SIGURG for the\n"
	      "                                  process, both blocked\n"
	      "  stale_shm:MODE:SIZE             SysV segment made by a child that exited\n"
	      "  epoll                           an epoll instance watching a pipe's read end\n"
	      "                                  (EPOLLIN) and an eventfd (EPOLLOUT)\n"
	      "  pty                             a pseudo-terminal: we hold the master, a child\n"
	      "                                  the slave\n"
	      "  memfd:NAME:SIZE                 we hold the fd, a child only a mapping of it\n"
	      "  shared_anon:SIZE                MAP_SHARED|MAP_ANONYMOUS, mapped by us and by a\n"
	      "                                  forked child\n"
	      "  shared_file:NAME:SIZE           a file in a temporary directory mapped shared by\n"
	      "                                  us (rw) and a child (r)\n"
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

	if (m->kind == O_MQ || m->kind == O_PSHM || m->kind == O_PSEM || m->kind == O_FILE ||
	    m->kind == O_DIR) {
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
	case O_FILE:
		unlink(name);
		break;
	case O_DIR:
		rmdir(name);
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
		for (int i = n - 1; i >= 0; i--)   /* files before their directory */
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
	guard_pid = pid;
}

static void remove_all(void)
{
	if (getpid() != helper_pid)
		return;
	/* the holders go first: nothing of ours outlives the helper */
	for (int i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	for (int i = 0; i < nchildren; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	nchildren = 0;
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
		/* it exits on EOF; reap it rather than leave it to whatever init there is */
		while (waitpid(guard_pid, NULL, 0) < 0 && errno == EINTR)
			;
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

/* lead + prefix + the name's bytes (s is plain text, or x:HEX) */
static void decode_name_after(const char *lead, const char *prefix, const char *s, char *out,
			      size_t outsz)
{
	size_t n = (size_t)snprintf(out, outsz, "%s%s", lead, prefix);

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
	if (strlen(out) >= outsz - 1)
		die("name too long");
}

static void decode_name(const char *prefix, const char *s, char *out, size_t outsz)
{
	decode_name_after("/", prefix, s, out, outsz);
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

static long key_base = -1;      /* -k: keys from here on, else by pid */

static key_t new_key(void)
{
	/* keys in a range of our own, varied by pid so parallel runs do not meet */
	static int seq;

	if (key_base >= 0)
		return (key_t)(key_base + seq++);
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
	/* a byte limit of this queue's own, below the default (as the owner may set it), so
	 * that a report of another queue's or the default limit does not pass for it */
	struct msqid_ds ds;

	if (msgctl(m->id, IPC_STAT, &ds) < 0)
		die("msgctl IPC_STAT: %s", strerror(errno));
	if (ds.msg_qbytes > 8192 + 1024) {
		ds.msg_qbytes -= (msglen_t)(1 + getpid() % 1024);
		if (msgctl(m->id, IPC_SET, &ds) < 0)
			die("msgctl IPC_SET: %s", strerror(errno));
	}
	struct { long mtype; char mtext[8192]; } msg = { .mtype = 1 };

	if (bytes > sizeof(msg.mtext) || nmsgs * bytes > ds.msg_qbytes)
		die("message too large");
	memset(msg.mtext, 'm', bytes);
	time_t t0 = time(NULL);

	for (unsigned long i = 0; i < nmsgs; i++)
		if (msgsnd(m->id, &msg, bytes, IPC_NOWAIT) < 0)
			die("msgsnd: %s", strerror(errno));
	print_common("sysv_msg", mode);
	printf(", \"id\": %d, \"key\": %u, \"cuid\": %u, \"cgid\": %u, \"messages\": %lu, "
	       "\"used_bytes\": %lu, \"lspid\": %s, \"lspid_command\": %s, \"lrpid\": null, "
	       "\"lrpid_command\": null, \"recv_time\": null, \"max_bytes\": %lu%s}",
	       m->id, (unsigned int)m->key, geteuid(), getegid(), nmsgs, nmsgs * bytes,
	       nmsgs ? pidstr : "null", nmsgs ? commstr : "null", (unsigned long)ds.msg_qbytes,
	       nmsgs ? "" : ", \"send_time\": null");
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
		/* a child forked later must not inherit it: that would change nattch and lpid */
		if (madvise(m->addr[i], size, MADV_DONTFORK) < 0)
			die("madvise: %s", strerror(errno));
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

/* ---- processes that hold objects ---- */

/* Close every fd but those in keep[] (unsorted, n small). */
static void close_all_but(const int *keep, int n)
{
	unsigned int lo = 0;

	for (;;) {
		unsigned int next = UINT_MAX;   /* the lowest kept fd at or above lo */

		for (int i = 0; i < n; i++)
			if (keep[i] >= 0 && (unsigned int)keep[i] >= lo && (unsigned int)keep[i] < next)
				next = (unsigned int)keep[i];
		if (next == UINT_MAX) {
			close_range(lo, ~0U, 0);
			return;
		}
		if (next > lo)
			close_range(lo, next - 1, 0);
		lo = next + 1;
	}
}

/*
 * Fork a process to hold objects. In the helper: returns the child's pid and sets
 * *report to the read end of a pipe the child writes one line to (read it with
 * child_read). In the child: returns 0 once it holds nothing of the helper's but the
 * fds in keep[] (plus stderr; stdin and stdout are /dev/null), with *report the write
 * end. A lasting child waits for death (child_report_and_wait); a passing one _exits
 * and the helper reaps it (child_reap).
 */
static pid_t child_fork(const int *keep, int nkeep, int *report, bool lasting)
{
	int p[2];

	if (lasting && nchildren == MAX_CHILDREN)
		die("too many child processes");
	if (nkeep > 8)
		die("too many fds to keep");
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0) {
		close(p[1]);
		if (lasting)
			children[nchildren++] = pid;
		*report = p[0];
		return pid;
	}
	in_child = true;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != helper_pid)   /* the helper died before prctl */
		_exit(1);
	prctl(PR_SET_NAME, CHILD_COMM);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The helper's SysV and POSIX shm mappings are MADV_DONTFORK; its semaphores
	 * cannot be (glibc remembers them), so they leave through sem_close. */
	for (int i = 0; i < nmade; i++)
		if (made[i].sem) {
			sem_close(made[i].sem);
			made[i].sem = NULL;
		}
	int k[10];

	if (nkeep > 0)
		memcpy(k, keep, sizeof(int) * (size_t)nkeep);
	k[nkeep] = p[1];
	k[nkeep + 1] = STDERR_FILENO;
	close_all_but(k, nkeep + 2);
	int null = open("/dev/null", O_RDWR);   /* lowest free: 0 */

	if (null != STDIN_FILENO || dup2(null, STDOUT_FILENO) < 0)
		die("child: /dev/null on stdin and stdout");
	*report = p[1];
	return 0;
}

/* In a child: tell the helper LINE, drop the pipe, then hold until killed. */
__attribute__((format(printf, 2, 3), noreturn))
static void child_report_and_wait(int report, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	va_end(ap);
	if (write(report, line, (size_t)n) != n)
		_exit(1);
	close(report);
	for (;;)
		pause();
}

/* In the helper: the child's line. EOF means it has closed the pipe, so it holds
 * exactly what it will hold from now on. */
static void child_read(int report, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		ssize_t r = read(report, buf + len, size - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == size - 1)
			break;
	}
	buf[len] = '\0';
	close(report);
	if (len == 0)
		die("a child process failed (see above)");
}

/* In the helper: wait for a passing child, which must have succeeded. */
static void child_reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("a child process failed (see above)");
}

/* ---- expected holders ---- */

struct hold {
	pid_t pid;
	int fd;                     /* -1: a mapping */
	unsigned long start, end;   /* mapping range */
	const char *access;         /* "r", "w", "rw" */
	const char *role;           /* a pty's end: "master", "slave", NULL */
};

struct holds {
	struct hold h[MAX_HOLDS];
	int n;
};

static struct hold *holds_add(struct holds *hs)
{
	if (hs->n == MAX_HOLDS)
		die("too many holders");
	struct hold *h = &hs->h[hs->n++];

	memset(h, 0, sizeof(*h));
	return h;
}

static struct hold *holds_fd(struct holds *hs, pid_t pid, int fd, const char *access)
{
	struct hold *h = holds_add(hs);

	h->pid = pid;
	h->fd = fd;
	h->access = access;
	return h;
}

static void holds_map(struct holds *hs, pid_t pid, unsigned long addr, size_t len, const char *access)
{
	struct hold *h = holds_add(hs);
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);

	h->pid = pid;
	h->fd = -1;
	h->start = addr;
	h->end = addr + (len + page - 1) / page * page;   /* a vma is whole pages */
	h->access = access;
}

static int hold_cmp(const void *a, const void *b)
{
	const struct hold *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->fd != y->fd)   /* fds first, mappings (-1) after */
		return x->fd < 0 ? 1 : y->fd < 0 ? -1 : x->fd < y->fd ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* , "KEY": [{"pid": .., "fd": .., "address": .., "access": ..}, ...] in the order ipctop sorts */
static void print_holds(const char *key, struct holds *hs)
{
	qsort(hs->h, (size_t)hs->n, sizeof(hs->h[0]), hold_cmp);
	printf(", \"%s\": [", key);
	for (int i = 0; i < hs->n; i++) {
		struct hold *h = &hs->h[i];

		printf("%s{\"pid\": %d, ", i ? ", " : "", (int)h->pid);
		if (h->fd >= 0)
			printf("\"fd\": %d, \"address\": null", h->fd);
		else
			printf("\"fd\": null, \"address\": \"%08lx-%08lx\"", h->start, h->end);
		printf(", \"access\": \"%s\", \"end\": ", h->access);
		printf(h->role ? "\"%s\"}" : "null}", h->role);
	}
	printf("]");
}

/* ---- files in our temporary directory ---- */

static const char *temp_dir(void)
{
	if (tmpdir[0])
		return tmpdir;
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/ipc_mkobj.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		die("mkdtemp %s: %s", tmpdir, strerror(errno));
	struct made *m = new_made(O_DIR);

	snprintf(m->name, sizeof(m->name), "%s", tmpdir);
	guard_record(m);
	return tmpdir;
}

/* Path of a new file NAME (prefix + name) in our directory; removed on exit. */
static struct made *new_file(const char *prefix, const char *name)
{
	const char *dir = temp_dir();
	struct made *m = new_made(O_FILE);
	char lead[300];

	snprintf(lead, sizeof(lead), "%s/", dir);
	decode_name_after(lead, prefix, name, m->name, sizeof(m->name));
	return m;
}

static void print_identity(const struct stat *st)
{
	printf(", \"inode\": %llu, \"dev\": \"%u:%u\"", (unsigned long long)st->st_ino,
	       major(st->st_dev), minor(st->st_dev));
}

static unsigned long long fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat: %s", strerror(errno));
	return (unsigned long long)st.st_ino;
}

static int sock_queue(int fd, unsigned long req)
{
	int v;

	if (ioctl(fd, req, &v) < 0)
		die("ioctl on a socket: %s", strerror(errno));
	return v;
}

/* ---- pipes and FIFOs ---- */

static void make_pipe(char **f, int nf)
{
	if (nf != 2)
		usage();
	unsigned long nbytes = parse_num(f[1]);
	int p[2];

	if (pipe(p) < 0)
		die("pipe: %s", strerror(errno));
	int cap = fcntl(p[1], F_GETPIPE_SZ);

	if (cap < 0 || nbytes > (unsigned long)cap)
		die("pipe: %lu bytes do not fit in %d", nbytes, cap);
	char buf[4096];

	memset(buf, 'p', sizeof(buf));
	for (unsigned long left = nbytes; left;) {
		ssize_t w = write(p[1], buf, left < sizeof(buf) ? left : sizeof(buf));

		if (w <= 0)
			die("pipe write: %s", strerror(errno));
		left -= (unsigned long)w;
	}
	int queued = sock_queue(p[0], FIONREAD);
	int report;
	pid_t child = child_fork(&p[0], 1, &report, true);

	if (child == 0)
		child_report_and_wait(report, "ok\n");
	close(p[0]);
	char line[64];

	child_read(report, line, sizeof(line));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, p[1], "w");
	holds_fd(&hs, child, p[0], "r");
	printf("{\"kind\": \"pipe\", \"expect\": {\"inode\": %llu, \"used_bytes\": %d, "
	       "\"capacity_bytes\": %d, \"readers\": 1, \"writers\": 1, \"persistence\": \"process\", "
	       "\"stale\": null", fd_inode(p[1]), queued, cap);
	print_holds("holders", &hs);
	printf("}}\n");
}

#define FIFO_WRITE_BYTES 10

static void make_fifo(const char *prefix, char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned long nwriters = parse_num(f[2]);

	if (nwriters > MAX_HOLDS - 1)
		die("too many writers");
	struct made *m = new_file(prefix, f[1]);
	mode_t old = umask(0);

	if (mkfifo(m->name, 0600) < 0) {
		umask(old);
		nmade--;
		die("mkfifo %s: %s", m->name, strerror(errno));
	}
	umask(old);
	guard_record(m);
	/* the reader first: a writer's non-blocking open fails without one */
	int r = open(m->name, O_RDONLY | O_NONBLOCK);

	if (r < 0)
		die("open %s: %s", m->name, strerror(errno));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, r, "r");
	for (unsigned long i = 0; i < nwriters; i++) {
		int report;
		pid_t child = child_fork(NULL, 0, &report, true);

		if (child == 0) {
			int w = open(m->name, O_WRONLY | O_NONBLOCK);

			if (w < 0)
				die("child: open %s: %s", m->name, strerror(errno));
			if (write(w, "0123456789", FIFO_WRITE_BYTES) != FIFO_WRITE_BYTES)
				die("child: write to the FIFO: %s", strerror(errno));
			child_report_and_wait(report, "%d\n", w);
		}
		char line[64];

		child_read(report, line, sizeof(line));
		holds_fd(&hs, child, atoi(line), "w");
	}
	struct stat st;

	if (fstat(r, &st) < 0)
		die("fstat: %s", strerror(errno));
	printf("{\"kind\": \"fifo\", \"expect\": {\"uid\": %u, \"gid\": %u, \"mode\": \"0600\", "
	       "\"persistence\": \"filesystem\", ", geteuid(), getegid());
	print_json_hex("path_hex", m->name);
	print_identity(&st);
	printf(", \"used_bytes\": %d, \"capacity_bytes\": %d, \"readers\": 1, \"writers\": %lu, "
	       "\"stale\": null", sock_queue(r, FIONREAD), fcntl(r, F_GETPIPE_SZ), nwriters);
	print_holds("holders", &hs);
	printf("}}\n");
}

/* ---- sockets ---- */

/* One UNIX socket's expectation. path: bytes of the bound name ('@' leading for
 * abstract), NULL if unbound. peer 0: none. listener: pending/backlog, no queues. */
struct unix_expect {
	unsigned long long inode, peer;
	const char *state;
	const char *path;
	bool abstract;
	int recvq, sendq;
	bool listener;
	int npending;
	unsigned long long pending[LISTEN_BACKLOG + 1];
	struct holds *holders, *peer_holders;
};

static void print_unix(const struct unix_expect *u)
{
	printf("{\"kind\": \"unix\", \"expect\": {\"inode\": %llu, \"type\": \"stream\", "
	       "\"state\": \"%s\"", u->inode, u->state);
	/* unbound: no name, so neither abstract nor not; no peer: nobody holds it */
	if (u->path) {
		printf(", ");
		print_json_hex("path_hex", u->path);
		printf(", \"abstract\": %s", u->abstract ? "true" : "false");
	} else {
		printf(", \"path\": null, \"abstract\": null");
	}
	if (u->peer)
		printf(", \"peer_inode\": %llu", u->peer);
	else
		printf(", \"peer_inode\": null");
	if (u->listener) {
		printf(", \"recv_queue_bytes\": null, \"send_queue_bytes\": null, "
		       "\"pending_connections\": %d, \"backlog\": %d, \"pending\": [",
		       u->npending, LISTEN_BACKLOG);
		for (int i = 0; i < u->npending; i++)
			printf("%s%llu", i ? ", " : "", u->pending[i]);
		printf("]");
	} else {
		printf(", \"recv_queue_bytes\": %d, \"send_queue_bytes\": %d, "
		       "\"pending_connections\": null, \"backlog\": null", u->recvq, u->sendq);
	}
	printf(", \"stale\": null");
	print_holds("holders", u->holders);
	if (u->peer)
		print_holds("peer_holders", u->peer_holders);
	else if (!u->listener)
		printf(", \"peer_holders\": null");
	printf("}}\n");
}

static void make_socketpair(char **f, int nf)
{
	if (nf != 2)
		usage();
	unsigned long nbytes = parse_num(f[1]);
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair: %s", strerror(errno));
	char buf[4096];

	memset(buf, 's', sizeof(buf));
	for (unsigned long left = nbytes; left;) {
		ssize_t w = send(sv[0], buf, left < sizeof(buf) ? left : sizeof(buf), MSG_DONTWAIT);

		if (w <= 0)
			die("send on the socket pair: %s", strerror(errno));
		left -= (unsigned long)w;
	}
	/* what sock_diag reports: the receiver's bytes, the sender's memory (skb truesize) */
	struct unix_expect a = { .inode = fd_inode(sv[0]), .peer = fd_inode(sv[1]),
				 .state = "established",
				 .recvq = sock_queue(sv[0], SIOCINQ), .sendq = sock_queue(sv[0], SIOCOUTQ) };
	struct unix_expect b = { .inode = a.peer, .peer = a.inode, .state = "established",
				 .recvq = sock_queue(sv[1], SIOCINQ), .sendq = sock_queue(sv[1], SIOCOUTQ) };
	int report;
	pid_t child = child_fork(&sv[1], 1, &report, true);

	if (child == 0)
		child_report_and_wait(report, "ok\n");
	close(sv[1]);
	char line[64];

	child_read(report, line, sizeof(line));
	struct holds ha = { .n = 0 }, hb = { .n = 0 };

	holds_fd(&ha, helper_pid, sv[0], "rw");
	holds_fd(&hb, child, sv[1], "rw");
	a.holders = &ha;
	a.peer_holders = &hb;
	b.holders = &hb;
	b.peer_holders = &ha;
	print_unix(&a);
	print_unix(&b);
}

static void make_unix_listen(const char *prefix, char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned long npending = parse_num(f[2]);

	if (npending > LISTEN_BACKLOG)
		die("at most %d pending connections", LISTEN_BACKLOG);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen;
	char name[512];             /* as ipctop shows it: the path, or '@' + abstract name */
	bool abstract = f[1][0] == '@';
	struct made *file = NULL;

	if (abstract) {
		decode_name_after("@", prefix, f[1] + 1, name, sizeof(name));
		if (strlen(name) > sizeof(sa.sun_path))
			die("abstract name too long");
		memcpy(sa.sun_path + 1, name + 1, strlen(name) - 1);
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
	} else {
		file = new_file(prefix, f[1]);
		snprintf(name, sizeof(name), "%s", file->name);
		if (strlen(name) >= sizeof(sa.sun_path)) {
			nmade--;
			die("socket path too long: %s", name);
		}
		memcpy(sa.sun_path, name, strlen(name));
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name) + 1);
	}
	int l = socket(AF_UNIX, SOCK_STREAM, 0);

	if (l < 0)
		die("socket: %s", strerror(errno));
	if (bind(l, (struct sockaddr *)&sa, salen) < 0) {
		if (file)
			nmade--;
		die("bind %s: %s", name, strerror(errno));
	}
	if (file)
		guard_record(file);
	if (listen(l, LISTEN_BACKLOG) < 0)
		die("listen: %s", strerror(errno));

	/* one child connects PENDING times; nobody accepts */
	int report;
	pid_t child = child_fork(NULL, 0, &report, true);

	if (child == 0) {
		char out[512];
		size_t n = 0;

		for (unsigned long i = 0; i < npending; i++) {
			int c = socket(AF_UNIX, SOCK_STREAM, 0);

			if (c < 0 || connect(c, (struct sockaddr *)&sa, salen) < 0)
				die("child: connect to %s: %s", name, strerror(errno));
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%d %llu %d %d\n", c, fd_inode(c),
					      sock_queue(c, SIOCINQ), sock_queue(c, SIOCOUTQ));
		}
		child_report_and_wait(report, "%s.\n", out);
	}
	char out[512];

	child_read(report, out, sizeof(out));
	struct holds hl = { .n = 0 }, hc[LISTEN_BACKLOG];
	struct unix_expect lu = { .inode = fd_inode(l), .state = "listen", .path = name,
				  .abstract = abstract, .listener = true, .holders = &hl };
	struct unix_expect cu[LISTEN_BACKLOG];
	char *line = out;

	holds_fd(&hl, helper_pid, l, "rw");
	for (unsigned long i = 0; i < npending; i++) {
		int fd, rq, sq;
		unsigned long long ino;

		if (sscanf(line, "%d %llu %d %d", &fd, &ino, &rq, &sq) != 4)
			die("bad report from the client child");
		line = strchr(line, '\n') + 1;
		hc[i].n = 0;
		holds_fd(&hc[i], child, fd, "rw");
		/* an unaccepted connection's server end has no inode yet (sock_diag says
		 * peer 0), and no holder: ipctop shows no peer */
		cu[i] = (struct unix_expect){ .inode = ino, .state = "established", .recvq = rq,
					      .sendq = sq, .holders = &hc[i] };
		/* sock_diag lists a listener's queue by the inodes of the connecting sockets */
		lu.pending[lu.npending++] = ino;
	}
	print_unix(&lu);
	for (unsigned long i = 0; i < npending; i++)
		print_unix(&cu[i]);
}

/* Bytes waiting on a socket, once the kernel has delivered nbytes (loopback delivers
 * in the sender's call, but poll rather than trust it). */
static int sock_wait_queued(int fd, int nbytes)
{
	for (int i = 0; i < 1000; i++) {
		int v = sock_queue(fd, SIOCINQ);

		if (v >= nbytes)
			return v;
		usleep(1000);
	}
	die("socket: %d bytes never arrived", nbytes);
}

/* An inet object as ipctop must show it; peer 0 for none, recvq -1 not checked. */
static void print_inet(const char *proto, unsigned long long inode, const char *state,
		       const char *local, const char *remote, unsigned long long peer,
		       struct holds *hs, struct holds *peer_hs, int recvq)
{
	printf("{\"kind\": \"inet\", \"expect\": {\"inode\": %llu, \"protocol\": \"%s\", "
	       "\"state\": \"%s\", \"local\": \"%s\", \"persistence\": \"process\", \"stale\": null",
	       inode, proto, state, local);
	if (remote)
		printf(", \"remote\": \"%s\"", remote);
	else
		printf(", \"remote\": null");
	if (peer)
		printf(", \"peer_inode\": %llu", peer);
	if (recvq >= 0)
		printf(", \"recv_queue_bytes\": %d", recvq);
	print_holds("holders", hs);
	if (peer_hs)
		print_holds("peer_holders", peer_hs);
	printf("}}\n");
}

static void endpoint(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, a, sizeof(a));
	snprintf(buf, len, "%s:%u", a, ntohs(sa->sin_port));
}

/* A listener on 127.0.0.1 (kept, backlog 1), a connection to it whose client end a
 * child holds with NBYTES sent to us and unread, and its server end (ours). */
static void make_tcp_loopback(char **f, int nf)
{
	if (nf != 2)
		usage();
	int nbytes = (int)parse_num(f[1]);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &len) < 0)
		die("TCP listener on 127.0.0.1: %s", strerror(errno));
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("TCP connect to 127.0.0.1:%u: %s", ntohs(sa.sin_port), strerror(errno));
	int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);

	if (s < 0)
		die("accept: %s", strerror(errno));
	char buf[4096];

	if (nbytes < 0 || (size_t)nbytes > sizeof(buf))
		die("tcp_loopback: at most %zu bytes", sizeof(buf));
	memset(buf, 't', sizeof(buf));
	if (nbytes && send(c, buf, (size_t)nbytes, 0) != nbytes)
		die("send on the TCP connection: %s", strerror(errno));
	int queued = sock_wait_queued(s, nbytes);
	struct sockaddr_in cs;

	len = sizeof(cs);
	if (getsockname(c, (struct sockaddr *)&cs, &len) < 0)
		die("getsockname: %s", strerror(errno));
	int report;
	pid_t child = child_fork(&c, 1, &report, true);

	if (child == 0)
		child_report_and_wait(report, "ok\n");
	char line[64], server[64], client[64];

	child_read(report, line, sizeof(line));
	endpoint(&sa, server, sizeof(server));
	endpoint(&cs, client, sizeof(client));

	struct holds hl = { .n = 0 }, hs = { .n = 0 }, hc = { .n = 0 };

	holds_fd(&hl, helper_pid, l, "rw");
	holds_fd(&hs, helper_pid, s, "rw");
	holds_fd(&hc, child, c, "rw");
	unsigned long long cino = fd_inode(c), sino = fd_inode(s);

	close(c);   /* the child's copy keeps the connection */
	print_inet("tcp", fd_inode(l), "listen", server, NULL, 0, &hl, NULL, -1);
	print_inet("tcp", sino, "established", server, client, cino, &hs, &hc, queued);
	print_inet("tcp", cino, "established", client, server, sino, &hc, &hs, 0);
}

/* Two UDP sockets on 127.0.0.1 connected to each other, NBYTES in one datagram sent
 * to the first; and one bound on ::1 and not connected. */
static void make_udp_loopback(char **f, int nf)
{
	if (nf != 2)
		usage();
	int nbytes = (int)parse_num(f[1]);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in b = a;
	socklen_t len = sizeof(a);
	int u1 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), u2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (u1 < 0 || u2 < 0 || bind(u1, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    bind(u2, (struct sockaddr *)&b, sizeof(b)) < 0 ||
	    getsockname(u1, (struct sockaddr *)&a, &len) < 0 ||
	    (len = sizeof(b), getsockname(u2, (struct sockaddr *)&b, &len)) < 0 ||
	    connect(u1, (struct sockaddr *)&b, sizeof(b)) < 0 || connect(u2, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("UDP pair on 127.0.0.1: %s", strerror(errno));
	char buf[1024];

	if (nbytes < 1 || (size_t)nbytes > sizeof(buf))
		die("udp_loopback: 1 to %zu bytes", sizeof(buf));
	memset(buf, 'u', sizeof(buf));
	if (send(u2, buf, (size_t)nbytes, 0) != nbytes)
		die("send on the UDP pair: %s", strerror(errno));
	sock_wait_queued(u1, nbytes);

	struct sockaddr_in6 six = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int u6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char ea[64], eb[64], e6[64], a6[INET6_ADDRSTRLEN];

	len = sizeof(six);
	if (u6 < 0 || bind(u6, (struct sockaddr *)&six, sizeof(six)) < 0 ||
	    getsockname(u6, (struct sockaddr *)&six, &len) < 0)
		die("UDP socket on ::1: %s", strerror(errno));
	inet_ntop(AF_INET6, &six.sin6_addr, a6, sizeof(a6));
	snprintf(e6, sizeof(e6), "[%s]:%u", a6, ntohs(six.sin6_port));
	endpoint(&a, ea, sizeof(ea));
	endpoint(&b, eb, sizeof(eb));

	struct holds h1 = { .n = 0 }, h2 = { .n = 0 }, h6 = { .n = 0 };

	holds_fd(&h1, helper_pid, u1, "rw");
	holds_fd(&h2, helper_pid, u2, "rw");
	holds_fd(&h6, helper_pid, u6, "rw");
	/* sock_diag counts a UDP socket's receive memory (skb truesize), not its bytes */
	print_inet("udp", fd_inode(u1), "established", ea, eb, fd_inode(u2), &h1, &h2, -1);
	print_inet("udp", fd_inode(u2), "established", eb, ea, fd_inode(u1), &h2, &h1, -1);
	print_inet("udp", fd_inode(u6), "unconnected", e6, NULL, 0, &h6, NULL, -1);
}

/* A NETLINK_ROUTE socket bound by the kernel's choice of port id. */
static void make_netlink(char **f, int nf)
{
	(void)f;
	if (nf != 1)
		usage();
	struct sockaddr_nl sn = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sn);
	int n = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (n < 0 || bind(n, (struct sockaddr *)&sn, sizeof(sn)) < 0 ||
	    getsockname(n, (struct sockaddr *)&sn, &len) < 0)
		die("netlink socket: %s", strerror(errno));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, n, "rw");
	printf("{\"kind\": \"netlink\", \"expect\": {\"inode\": %llu, \"protocol\": \"route\", "
	       "\"portid\": %u, \"dst_portid\": 0, \"persistence\": \"process\", \"stale\": null",
	       fd_inode(n), sn.nl_pid);
	print_holds("holders", &hs);
	printf("}}\n");
}

/* ---- eventfd, signalfd ---- */

/* The value of "KEY:" in /proc/self/fdinfo/FD, or -1. */
static long long fdinfo_value(int fd, const char *key, int base)
{
	char path[64], line[256];
	long long v = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *fp = fopen(path, "r");

	if (!fp)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, key, strlen(key)) == 0 && line[strlen(key)] == ':')
			v = strtoll(line + strlen(key) + 1, NULL, base);
	fclose(fp);
	return v;
}

static void make_eventfd(char **f, int nf)
{
	if (nf != 2 && nf != 3)
		usage();
	unsigned long count = parse_num(f[1]);
	bool semaphore = nf == 3;

	if (semaphore && strcmp(f[2], "semaphore") != 0)
		usage();
	if (count > UINT_MAX)
		die("eventfd count too large");
	int e = eventfd((unsigned int)count, semaphore ? EFD_SEMAPHORE : 0);

	if (e < 0)
		die("eventfd: %s", strerror(errno));
	long long id = fdinfo_value(e, "eventfd-id", 10);   /* Linux >= 6.8 */
	long long cnt = fdinfo_value(e, "eventfd-count", 16);

	if (cnt != (long long)count)
		die("eventfd: fdinfo says count %lld, not %lu", cnt, count);
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, e, "rw");
	printf("{\"kind\": \"eventfd\", \"expect\": {");
	if (id >= 0)
		printf("\"eventfd_id\": %lld, ", id);
	printf("\"count\": %lu, \"semaphore_mode\": %s, \"stale\": null", count,
	       semaphore ? "true" : "false");
	print_holds("holders", &hs);
	printf("}}\n");
}

static int parse_signal(const char *s)
{
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < SIGRTMIN; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev && strcmp(abbrev, s) == 0)
			return sig;
	}
	char *end;
	long sig = strtol(s, &end, 10);

	if (*end || sig < 1 || sig >= SIGRTMIN || !sigabbrev_np((int)sig))
		die("bad signal '%s' (names or numbers below SIGRTMIN)", s);
	return (int)sig;
}

static void make_signalfd(char **f, int nf)
{
	if (nf != 2)
		usage();
	sigset_t set;
	int first = 0;

	sigemptyset(&set);
	for (char *tok = strtok(f[1], ","); tok; tok = strtok(NULL, ",")) {
		int sig = parse_signal(tok);

		/* the ones that end the helper, or cannot be caught */
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGKILL || sig == SIGSTOP)
			die("signalfd: %s is not allowed here", tok);
		sigaddset(&set, sig);
		if (!first)
			first = sig;
	}
	if (!first)
		usage();
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask: %s", strerror(errno));
	int s = signalfd(-1, &set, 0);

	if (s < 0)
		die("signalfd: %s", strerror(errno));
	raise(first);   /* blocked: stays pending, readable on the signalfd */
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, s, "rw");
	printf("{\"kind\": \"signalfd\", \"expect\": {\"signals\": [");
	for (int sig = 1, n = 0; sig < SIGRTMIN; sig++)
		if (sigismember(&set, sig) == 1)
			printf("%s\"%s\"", n++ ? ", " : "", sigabbrev_np(sig));
	printf("], \"stale\": null");
	print_holds("holders", &hs);
	printf("}}\n");
}

/* An inotify instance watching our temporary directory and /dev/shm: ipctop resolves
 * each watch's file handle to its path. */
static void make_inotify(char **f, int nf)
{
	(void)f;
	if (nf != 1)
		usage();
	const char *paths[2] = { temp_dir(), "/dev/shm" };
	const uint32_t masks[2] = { IN_CREATE, IN_DELETE };
	int in = inotify_init1(IN_CLOEXEC);
	struct holds hs = { .n = 0 };

	if (in < 0)
		die("inotify_init1: %s", strerror(errno));
	printf("{\"kind\": \"inotify\", \"expect\": {\"watches\": [");
	for (int i = 0; i < 2; i++) {
		struct stat st;
		int wd = inotify_add_watch(in, paths[i], masks[i]);

		if (wd < 0 || stat(paths[i], &st) < 0)
			die("inotify watch on %s: %s", paths[i], strerror(errno));
		printf("%s{\"wd\": %d, \"inode\": %llu, \"dev\": \"%u:%u\", \"mask\": %u, "
		       "\"path\": \"%s\"}", i ? ", " : "", wd, (unsigned long long)st.st_ino,
		       major(st.st_dev), minor(st.st_dev), (unsigned int)masks[i], paths[i]);
	}
	holds_fd(&hs, helper_pid, in, "r");
	printf("], \"stale\": null");
	print_holds("holders", &hs);
	printf("}}\n");
}

/* ---- shared memory and queues held by several processes ---- */

/* A new SysV segment under a key of ours; the next key if one is taken (in a PID
 * namespace of its own every run of a test has the same small pid). */
static int sysv_shm_create(unsigned long size, unsigned int mode, key_t *key)
{
	int id = -1;

	for (int tries = 0; tries < 16; tries++) {
		*key = new_key();
		id = shmget(*key, size, IPC_CREAT | IPC_EXCL | (int)mode);
		if (id >= 0 || errno != EEXIST)
			break;
	}
	return id;
}

static void make_sysv_shm_attach(char **f, int nf)
{
	if (nf != 4)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long size = parse_num(f[2]), nprocs = parse_num(f[3]);

	if (nprocs < 1 || nprocs > MAX_HOLDS)
		die("NPROCS must be 1..%d", MAX_HOLDS);
	struct made *m = new_made(O_SHM);

	m->id = sysv_shm_create(size, mode, &m->key);
	if (m->id < 0) {
		nmade--;
		die("shmget: %s", strerror(errno));
	}
	guard_record(m);
	time_t t0 = time(NULL);

	m->addr[0] = shmat(m->id, NULL, 0);
	if (m->addr[0] == (void *)-1)
		die("shmat: %s", strerror(errno));
	m->naddr = 1;
	if (madvise(m->addr[0], size, MADV_DONTFORK) < 0)
		die("madvise: %s", strerror(errno));
	struct holds hs = { .n = 0 };
	pid_t last = helper_pid;

	holds_map(&hs, helper_pid, (unsigned long)m->addr[0], size, "rw");
	for (unsigned long i = 1; i < nprocs; i++) {
		bool rdonly = i == 1;
		int report;
		pid_t child = child_fork(NULL, 0, &report, true);

		if (child == 0) {
			void *a = shmat(m->id, NULL, rdonly ? SHM_RDONLY : 0);

			if (a == (void *)-1)
				die("child: shmat: %s", strerror(errno));
			child_report_and_wait(report, "%lx\n", (unsigned long)a);
		}
		char line[64];

		child_read(report, line, sizeof(line));
		holds_map(&hs, child, strtoul(line, NULL, 16), size, rdonly ? "r" : "rw");
		last = child;
	}
	print_common("sysv_shm", mode);
	printf(", \"id\": %d, \"key\": %u, \"cuid\": %u, \"size_bytes\": %lu, \"nattch\": %lu, "
	       "\"cpid\": %s, \"cpid_command\": %s, \"lpid\": %d, \"lpid_command\": %s, "
	       "\"marked_for_removal\": false, \"detach_time\": null, \"stale\": null",
	       m->id, (unsigned int)m->key, geteuid(), size, nprocs, pidstr, commstr, (int)last,
	       last == helper_pid ? commstr : "\"" CHILD_COMM "\"");
	print_holds("holders", &hs);
	printf("}, \"range\": {\"attach_time\": [%lld, %lld]}}\n", (long long)t0, (long long)time(NULL));
}

static void make_posix_shm_map(const char *prefix, char **f, int nf)
{
	if (nf != 5)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long size = parse_num(f[3]), nprocs = parse_num(f[4]);

	if (nprocs < 1 || nprocs > MAX_HOLDS - 1 || size == 0)
		die("NPROCS must be 1..%d, SIZE above 0", MAX_HOLDS - 1);
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
	void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (a == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	if (madvise(a, size, MADV_DONTFORK) < 0)
		die("madvise: %s", strerror(errno));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, fd, "rw");
	holds_map(&hs, helper_pid, (unsigned long)a, size, "rw");
	for (unsigned long i = 1; i < nprocs; i++) {
		bool rdonly = i == 1;
		int report;
		pid_t child = child_fork(NULL, 0, &report, true);

		if (child == 0) {
			int cfd = shm_open(m->name, rdonly ? O_RDONLY : O_RDWR, 0);

			if (cfd < 0)
				die("child: shm_open: %s", strerror(errno));
			void *ca = mmap(NULL, size, rdonly ? PROT_READ : PROT_READ | PROT_WRITE,
					MAP_SHARED, cfd, 0);

			if (ca == MAP_FAILED)
				die("child: mmap: %s", strerror(errno));
			close(cfd);   /* held by the mapping alone */
			child_report_and_wait(report, "%lx\n", (unsigned long)ca);
		}
		char line[64];

		child_read(report, line, sizeof(line));
		holds_map(&hs, child, strtoul(line, NULL, 16), size, rdonly ? "r" : "rw");
	}
	print_common("posix_shm", mode);
	print_name_fields(m->name, "");
	print_file_identity(fd);
	printf(", \"size_bytes\": %lu, \"stale\": null", size);
	print_holds("holders", &hs);
	printf("}}\n");
}

static void make_posix_sem_map(const char *prefix, char **f, int nf)
{
	if (nf != 5)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long value = parse_num(f[3]), nprocs = parse_num(f[4]);

	if (nprocs < 1 || nprocs > MAX_HOLDS)
		die("NPROCS must be 1..%d", MAX_HOLDS);
	struct made *m = new_made(O_PSEM);

	decode_name(prefix, f[2], m->name, sizeof(m->name));
	mode_t old = umask(0);

	m->sem = sem_open(m->name, O_CREAT | O_EXCL, mode, (unsigned int)value);
	umask(old);
	if (m->sem == SEM_FAILED) {
		m->sem = NULL;
		nmade--;
		die("sem_open: %s", strerror(errno));
	}
	guard_record(m);
	/* glibc maps one sem_t from the start of /dev/shm/sem.NAME: the pointer is the mapping */
	struct holds hs = { .n = 0 };

	holds_map(&hs, helper_pid, (unsigned long)m->sem, sizeof(sem_t), "rw");
	for (unsigned long i = 1; i < nprocs; i++) {
		int report;
		pid_t child = child_fork(NULL, 0, &report, true);

		if (child == 0) {
			sem_t *s = sem_open(m->name, 0);

			if (s == SEM_FAILED)
				die("child: sem_open: %s", strerror(errno));
			child_report_and_wait(report, "%lx\n", (unsigned long)s);
		}
		char line[64];

		child_read(report, line, sizeof(line));
		holds_map(&hs, child, strtoul(line, NULL, 16), sizeof(sem_t), "rw");
	}
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm/sem.%s", m->name + 1);
	if (stat(path, &st) < 0)
		die("stat %s: %s", path, strerror(errno));
	int v = -1;

	sem_getvalue(m->sem, &v);
	print_common("posix_sem", mode);
	print_name_fields(m->name, "");
	print_identity(&st);
	printf(", \"value\": %d, \"waiters\": 0, \"stale\": null", v);
	print_holds("holders", &hs);
	printf("}}\n");
}

static void make_posix_mq_open(const char *prefix, char **f, int nf)
{
	if (nf != 4)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long nprocs = parse_num(f[3]);

	if (nprocs < 1 || nprocs > MAX_HOLDS)
		die("NPROCS must be 1..%d", MAX_HOLDS);
	struct made *m = new_made(O_MQ);
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };

	decode_name(prefix, f[2], m->name, sizeof(m->name));
	mode_t old = umask(0);

	m->mq = mq_open(m->name, O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, mode, &attr);
	umask(old);
	if (m->mq == (mqd_t)-1) {
		nmade--;
		die("mq_open: %s", strerror(errno));
	}
	guard_record(m);
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, m->mq, "rw");
	for (unsigned long i = 1; i < nprocs; i++) {
		int oflag = i == 1 ? O_RDONLY : i == 2 ? O_WRONLY : O_RDWR;
		int report;
		pid_t child = child_fork(NULL, 0, &report, true);

		if (child == 0) {
			mqd_t q = mq_open(m->name, oflag);

			if (q == (mqd_t)-1)
				die("child: mq_open: %s", strerror(errno));
			child_report_and_wait(report, "%d\n", (int)q);
		}
		char line[64];

		child_read(report, line, sizeof(line));
		holds_fd(&hs, child, atoi(line), i == 1 ? "r" : i == 2 ? "w" : "rw");
	}
	print_common("posix_mq", mode);
	print_name_fields(m->name, "");
	print_file_identity(m->mq);
	printf(", \"messages\": 0, \"max_messages\": 4, \"max_msg_size_bytes\": 64, "
	       "\"used_bytes\": 0, \"stale\": null");
	print_holds("holders", &hs);
	printf("}}\n");
}

/* ---- objects nobody holds any more ---- */

static void make_stale_mq(const char *prefix, char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned int mode = parse_mode(f[1]);
	char name[512];

	decode_name(prefix, f[2], name, sizeof(name));
	int report;
	pid_t child = child_fork(NULL, 0, &report, false);

	if (child == 0) {
		struct mq_attr attr = { .mq_maxmsg = 2, .mq_msgsize = 16 };

		umask(0);
		mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, mode, &attr);

		if (q == (mqd_t)-1)
			die("child: mq_open: %s", strerror(errno));
		struct stat st;

		fstat(q, &st);
		dprintf(report, "%llu %u:%u\n", (unsigned long long)st.st_ino, major(st.st_dev),
			minor(st.st_dev));
		_exit(0);
	}
	char line[128];

	child_read(report, line, sizeof(line));
	child_reap(child);
	struct made *m = new_made(O_MQ);

	snprintf(m->name, sizeof(m->name), "%s", name);
	guard_record(m);
	unsigned long long ino;
	char dev[32];

	if (sscanf(line, "%llu %31s", &ino, dev) != 2)
		die("bad report from the child");
	print_common("posix_mq", mode);
	print_name_fields(m->name, "");
	printf(", \"inode\": %llu, \"dev\": \"%s\", \"messages\": 0, \"max_messages\": 2, "
	       "\"max_msg_size_bytes\": 16, \"holders\": []}, \"nonnull\": [\"stale\"]}\n", ino, dev);
}

/* Whether /proc/locks shows pid blocked waiting ("->") for a lock. */
static bool lock_waiting(pid_t pid)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256], want[32];
	bool found = false;

	if (!f)
		return false;
	snprintf(want, sizeof(want), " %d ", (int)pid);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "->") && strstr(line, want);
	fclose(f);
	return found;
}

/* flock(LOCK_EX) held by us on a file of our directory, and a child blocked asking for
 * the same lock. */
static void make_flock(const char *prefix, char **f, int nf)
{
	if (nf != 2)
		usage();
	struct made *m = new_file(prefix, f[1]);
	int fd = open(m->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	struct stat st;

	if (fd < 0) {
		nmade--;
		die("open %s: %s", m->name, strerror(errno));
	}
	guard_record(m);
	if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0)
		die("flock %s: %s", m->name, strerror(errno));

	int report;
	pid_t child = child_fork(NULL, 0, &report, true);

	if (child == 0) {
		int cfd = open(m->name, O_RDWR | O_CLOEXEC);

		if (cfd < 0)
			_exit(1);
		dprintf(report, "%d\n", cfd);
		close(report);
		flock(cfd, LOCK_EX);    /* blocks until we are killed */
		for (;;)
			pause();
	}
	char line[64];

	child_read(report, line, sizeof(line));
	for (int i = 0; i < 2000 && !lock_waiting(child); i++)
		usleep(1000);
	if (!lock_waiting(child))
		die("flock: the child never waited for the lock");

	struct holds hh = { .n = 0 }, hw = { .n = 0 };

	holds_fd(&hh, helper_pid, fd, "rw");
	holds_fd(&hw, child, atoi(line), "rw");
	for (int w = 0; w < 2; w++) {
		printf("{\"kind\": \"lock\", \"expect\": {\"lock_type\": \"FLOCK\", \"access\": \"WRITE\", "
		       "\"waiting\": %s, \"pid\": %d, \"inode\": %llu, \"dev\": \"%u:%u\", \"start\": 0, "
		       "\"end\": null, ", w ? "true" : "false", (int)(w ? child : helper_pid),
		       (unsigned long long)st.st_ino, major(st.st_dev), minor(st.st_dev));
		print_json_hex("path_hex", m->name);
		print_holds("holders", w ? &hw : &hh);
		printf("}}\n");
	}
}

/* A signal pending for us, blocked: SIGUSR2 raised (thread) and sent to the process. */
static void make_signal_pending(char **f, int nf)
{
	(void)f;
	if (nf != 1)
		usage();
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGURG);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask: %s", strerror(errno));
	raise(SIGWINCH);                /* the thread's: SigPnd */
	kill(getpid(), SIGURG);         /* the process's: ShdPnd */
	/* other specs may leave signals pending too: these are among them */
	printf("{\"kind\": \"signal\", \"expect\": {\"pid\": %d, \"persistence\": \"process\"}, "
	       "\"contains\": {\"pending\": [\"WINCH\"], \"shared_pending\": [\"URG\"], "
	       "\"blocked\": [\"WINCH\", \"URG\"]}}\n", (int)helper_pid);
}

/* A socket file whose socket was closed: nothing is bound to it any more. */
static void make_stale_sockfile(const char *prefix, char **f, int nf)
{
	if (nf != 2)
		usage();
	struct made *m = new_file(prefix, f[1]);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct stat st;

	if (strlen(m->name) >= sizeof(sa.sun_path))
		die("stale_sockfile: the path is too long for a socket");
	memcpy(sa.sun_path, m->name, strlen(m->name));
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		nmade--;
		die("bind %s: %s", m->name, strerror(errno));
	}
	guard_record(m);
	close(s);
	if (lstat(m->name, &st) < 0)
		die("lstat %s: %s", m->name, strerror(errno));
	printf("{\"kind\": \"unix\", \"expect\": {\"state\": \"no-socket\", \"type\": null, "
	       "\"persistence\": \"filesystem\", \"file_inode\": %llu, \"file_dev\": \"%u:%u\", ",
	       (unsigned long long)st.st_ino, major(st.st_dev), minor(st.st_dev));
	print_json_hex("path_hex", m->name);
	printf(", \"peer_inode\": null, \"holders\": []}, \"nonnull\": [\"stale\"]}\n");
}

static void make_stale_shm(char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned int mode = parse_mode(f[1]);
	unsigned long size = parse_num(f[2]);
	int report;
	pid_t child = child_fork(NULL, 0, &report, false);

	if (child == 0) {
		key_t key;
		int id = sysv_shm_create(size, mode, &key);

		if (id < 0)
			die("child: shmget: %s", strerror(errno));
		dprintf(report, "%d %d\n", id, (int)key);
		_exit(0);
	}
	char line[64];
	int id, key;

	child_read(report, line, sizeof(line));
	if (sscanf(line, "%d %d", &id, &key) != 2)
		die("bad report from the child");
	struct made *m = new_made(O_SHM);

	m->key = (key_t)key;
	m->id = id;
	guard_record(m);
	child_reap(child);
	print_common("sysv_shm", mode);
	printf(", \"id\": %d, \"key\": %u, \"cuid\": %u, \"size_bytes\": %lu, \"nattch\": 0, "
	       "\"cpid\": %d, \"lpid\": null, \"attach_time\": null, \"detach_time\": null, "
	       "\"marked_for_removal\": false, \"holders\": []}, \"nonnull\": [\"stale\"]}\n",
	       m->id, (unsigned int)m->key, geteuid(), size, (int)child);
}

/* ---- epoll, ptys ---- */

static void print_epoll_target(int fd, uint32_t events, bool first)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat: %s", strerror(errno));
	printf("%s{\"fd\": %d, \"events\": %u, \"inode\": %llu, \"dev\": \"%u:%u\"}", first ? "" : ", ",
	       fd, events, (unsigned long long)st.st_ino, major(st.st_dev), minor(st.st_dev));
}

/* A signalfd a child inherits and we dup (one open file description, three holders),
 * and one more of the same mask that only we hold (alike, but not the same). */
static void make_shared_signalfd(char **f, int nf)
{
	if (nf != 2)
		usage();
	int sig = parse_signal(f[1]);

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGKILL || sig == SIGSTOP)
		die("shared_signalfd: %s is not allowed here", f[1]);
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask: %s", strerror(errno));
	int s = signalfd(-1, &set, 0);

	int d = s >= 0 ? dup(s) : -1;   /* a second descriptor of ours: three holders */

	if (s < 0 || d < 0)
		die("signalfd or dup: %s", strerror(errno));
	int report;
	pid_t child = child_fork(&s, 1, &report, true);

	if (child == 0)
		child_report_and_wait(report, "ok\n");   /* holds s, inherited */
	char line[64];

	child_read(report, line, sizeof(line));
	int lone = signalfd(-1, &set, 0);

	if (lone < 0)
		die("signalfd: %s", strerror(errno));
	struct holds hs = { .n = 0 }, ls = { .n = 0 };

	holds_fd(&hs, helper_pid, s, "rw");
	holds_fd(&hs, helper_pid, d, "rw");
	holds_fd(&hs, child, s, "rw");
	holds_fd(&ls, helper_pid, lone, "rw");
	printf("{\"kind\": \"signalfd\", \"expect\": {\"signals\": [\"%s\"], \"stale\": null",
	       sigabbrev_np(sig));
	print_holds("holders", &hs);
	printf("}}\n{\"kind\": \"signalfd\", \"expect\": {\"signals\": [\"%s\"], \"stale\": null",
	       sigabbrev_np(sig));
	print_holds("holders", &ls);
	printf("}}\n");
}

static void make_epoll(char **f, int nf)
{
	(void)f;
	if (nf != 1)
		usage();
	int p[2], e = eventfd(0, 0), ep = epoll_create1(0);

	if (pipe(p) < 0 || e < 0 || ep < 0)
		die("epoll: pipe, eventfd or epoll_create1: %s", strerror(errno));
	struct epoll_event in = { .events = EPOLLIN }, out = { .events = EPOLLOUT };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &in) < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, e, &out) < 0)
		die("epoll_ctl: %s", strerror(errno));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, ep, "rw");
	/* the kernel adds EPOLLERR and EPOLLHUP to every watch */
	printf("{\"kind\": \"epoll\", \"expect\": {\"target_count\": 2, \"persistence\": \"process\", "
	       "\"stale\": null, \"targets\": [");
	print_epoll_target(p[0], EPOLLIN | EPOLLERR | EPOLLHUP, true);
	print_epoll_target(e, EPOLLOUT | EPOLLERR | EPOLLHUP, false);
	printf("]");
	print_holds("holders", &hs);
	printf("}}\n");
}

static void make_pty(char **f, int nf)
{
	(void)f;
	if (nf != 1)
		usage();
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char slave[64];
	int index;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, slave, sizeof(slave)) != 0 || ioctl(master, TIOCGPTN, &index) < 0)
		die("pty: posix_openpt, grantpt, unlockpt or ptsname: %s", strerror(errno));
	int report;
	pid_t child = child_fork(NULL, 0, &report, true);

	if (child == 0) {
		int s = open(slave, O_RDWR | O_NOCTTY);

		if (s < 0)
			die("child: open %s: %s", slave, strerror(errno));
		child_report_and_wait(report, "%d\n", s);
	}
	char line[64];

	child_read(report, line, sizeof(line));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, master, "rw")->role = "master";
	holds_fd(&hs, child, atoi(line), "rw")->role = "slave";
	printf("{\"kind\": \"pty\", \"expect\": {\"index\": %d, \"tty\": \"pts/%d\", \"masters\": 1, "
	       "\"slaves\": 1, \"persistence\": \"process\", \"stale\": null", index, index);
	print_holds("holders", &hs);
	printf("}}\n");
}

/* ---- memfd and shared mappings ---- */

static unsigned long page_round(unsigned long len)
{
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);

	return (len + page - 1) / page * page;
}

static void make_memfd(const char *prefix, char **f, int nf)
{
	if (nf != 3)
		usage();
	char name[256];
	unsigned long size = parse_num(f[2]);

	decode_name_after("", prefix, f[1], name, sizeof(name));
	int fd = memfd_create(name, 0);

	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	if (ftruncate(fd, (off_t)size) < 0)
		die("ftruncate: %s", strerror(errno));
	int report;
	pid_t child = child_fork(&fd, 1, &report, true);

	if (child == 0) {
		void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (a == MAP_FAILED)
			die("child: mmap the memfd: %s", strerror(errno));
		close(fd);   /* held by the mapping alone */
		child_report_and_wait(report, "%lx\n", (unsigned long)a);
	}
	char line[64];

	child_read(report, line, sizeof(line));
	struct holds hs = { .n = 0 };

	holds_fd(&hs, helper_pid, fd, "rw");
	holds_map(&hs, child, strtoul(line, NULL, 16), size, "rw");
	printf("{\"kind\": \"memfd\", \"expect\": {");
	print_json_hex("name_hex", name);
	print_file_identity(fd);
	printf(", \"size_bytes\": %lu, \"uid\": %u, \"persistence\": \"process\", \"stale\": null",
	       size, geteuid());
	print_holds("holders", &hs);
	printf("}}\n");
}

/* The inode and device maps shows for the mapping at addr. */
static void maps_identity(unsigned long addr, unsigned long long *ino, char *dev, size_t devsz)
{
	FILE *fp = fopen("/proc/self/maps", "r");
	char line[1024];
	bool found = false;

	if (!fp)
		die("/proc/self/maps: %s", strerror(errno));
	while (!found && fgets(line, sizeof(line), fp)) {
		unsigned long start;
		unsigned int maj, min;

		if (sscanf(line, "%lx-%*x %*s %*x %x:%x %llu", &start, &maj, &min, ino) == 4 && start == addr) {
			snprintf(dev, devsz, "%u:%u", maj, min);
			found = true;
		}
	}
	fclose(fp);
	if (!found)
		die("no mapping at %lx in /proc/self/maps", addr);
}

static void make_shared_anon(char **f, int nf)
{
	if (nf != 2)
		usage();
	unsigned long size = parse_num(f[1]);
	void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED)
		die("mmap MAP_SHARED|MAP_ANONYMOUS: %s", strerror(errno));
	memset(a, 'a', size);
	int report;
	pid_t child = child_fork(NULL, 0, &report, true);

	if (child == 0)
		child_report_and_wait(report, "ok\n");   /* holds the mapping it inherited */
	char line[64];

	child_read(report, line, sizeof(line));
	/* children forked later must not inherit it */
	if (madvise(a, size, MADV_DONTFORK) < 0)
		die("madvise: %s", strerror(errno));
	unsigned long long ino;
	char dev[32];

	maps_identity((unsigned long)a, &ino, dev, sizeof(dev));
	struct holds hs = { .n = 0 };

	holds_map(&hs, helper_pid, (unsigned long)a, size, "rw");
	holds_map(&hs, child, (unsigned long)a, size, "rw");
	printf("{\"kind\": \"shared_anon\", \"expect\": {\"inode\": %llu, \"dev\": \"%s\", \"name\": null, "
	       "\"size_bytes\": %lu, \"persistence\": \"process\", \"stale\": null", ino, dev, page_round(size));
	print_holds("holders", &hs);
	printf("}}\n");
}

static void make_shared_file(const char *prefix, char **f, int nf)
{
	if (nf != 3)
		usage();
	unsigned long size = parse_num(f[2]);
	struct made *m = new_file(prefix, f[1]);
	int fd = open(m->name, O_CREAT | O_EXCL | O_RDWR, 0600);

	if (fd < 0) {
		nmade--;
		die("open %s: %s", m->name, strerror(errno));
	}
	guard_record(m);
	if (ftruncate(fd, (off_t)size) < 0)
		die("ftruncate: %s", strerror(errno));
	void *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (a == MAP_FAILED)
		die("mmap %s: %s", m->name, strerror(errno));
	/* the child maps it on its own, read-only */
	if (madvise(a, size, MADV_DONTFORK) < 0)
		die("madvise: %s", strerror(errno));
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat: %s", strerror(errno));
	close(fd);   /* held by the mapping alone */
	int report;
	pid_t child = child_fork(NULL, 0, &report, true);

	if (child == 0) {
		int cfd = open(m->name, O_RDONLY);
		void *ca = cfd < 0 ? MAP_FAILED : mmap(NULL, size, PROT_READ, MAP_SHARED, cfd, 0);

		if (ca == MAP_FAILED)
			die("child: map %s: %s", m->name, strerror(errno));
		close(cfd);
		child_report_and_wait(report, "%lx\n", (unsigned long)ca);
	}
	char line[64];

	child_read(report, line, sizeof(line));
	struct holds hs = { .n = 0 };

	holds_map(&hs, helper_pid, (unsigned long)a, size, "rw");
	holds_map(&hs, child, strtoul(line, NULL, 16), size, "r");
	printf("{\"kind\": \"shared_file\", \"expect\": {");
	print_json_hex("path_hex", m->name);
	print_identity(&st);
	printf(", \"size_bytes\": %lu, \"uid\": %u, \"mode\": \"0600\", \"persistence\": \"filesystem\", "
	       "\"stale\": null", size, geteuid());
	print_holds("holders", &hs);
	printf("}}\n");
}

int main(int argc, char **argv)
{
	const char *prefix = "";
	int opt;

	while ((opt = getopt(argc, argv, "p:k:")) != -1) {
		if (opt == 'p')
			prefix = optarg;
		else if (opt == 'k')
			key_base = strtol(optarg, NULL, 0);
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
	helper_pid = getpid();
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

			if (c && ((c == p + 1 && *p == 'x') || (c == p + 2 && p[0] == '@' && p[1] == 'x'))) {
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
		else if (strcmp(f[0], "pipe") == 0)
			make_pipe(f, nf);
		else if (strcmp(f[0], "fifo") == 0)
			make_fifo(prefix, f, nf);
		else if (strcmp(f[0], "socketpair") == 0)
			make_socketpair(f, nf);
		else if (strcmp(f[0], "unix_listen") == 0)
			make_unix_listen(prefix, f, nf);
		else if (strcmp(f[0], "tcp_loopback") == 0)
			make_tcp_loopback(f, nf);
		else if (strcmp(f[0], "udp_loopback") == 0)
			make_udp_loopback(f, nf);
		else if (strcmp(f[0], "netlink") == 0)
			make_netlink(f, nf);
		else if (strcmp(f[0], "inotify") == 0)
			make_inotify(f, nf);
		else if (strcmp(f[0], "eventfd") == 0)
			make_eventfd(f, nf);
		else if (strcmp(f[0], "signalfd") == 0)
			make_signalfd(f, nf);
		else if (strcmp(f[0], "shared_signalfd") == 0)
			make_shared_signalfd(f, nf);
		else if (strcmp(f[0], "sysv_shm_attach") == 0)
			make_sysv_shm_attach(f, nf);
		else if (strcmp(f[0], "posix_shm_map") == 0)
			make_posix_shm_map(prefix, f, nf);
		else if (strcmp(f[0], "posix_sem_map") == 0)
			make_posix_sem_map(prefix, f, nf);
		else if (strcmp(f[0], "posix_mq_open") == 0)
			make_posix_mq_open(prefix, f, nf);
		else if (strcmp(f[0], "stale_mq") == 0)
			make_stale_mq(prefix, f, nf);
		else if (strcmp(f[0], "stale_sockfile") == 0)
			make_stale_sockfile(prefix, f, nf);
		else if (strcmp(f[0], "flock") == 0)
			make_flock(prefix, f, nf);
		else if (strcmp(f[0], "signal_pending") == 0)
			make_signal_pending(f, nf);
		else if (strcmp(f[0], "stale_shm") == 0)
			make_stale_shm(f, nf);
		else if (strcmp(f[0], "epoll") == 0)
			make_epoll(f, nf);
		else if (strcmp(f[0], "pty") == 0)
			make_pty(f, nf);
		else if (strcmp(f[0], "memfd") == 0)
			make_memfd(prefix, f, nf);
		else if (strcmp(f[0], "shared_anon") == 0)
			make_shared_anon(f, nf);
		else if (strcmp(f[0], "shared_file") == 0)
			make_shared_file(prefix, f, nf);
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
