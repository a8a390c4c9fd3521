/* IPC namespaces: every one some process is in (the inode of its ns/ipc), the
 * container a process of it runs in (its cgroup), and the SysV objects and POSIX
 * queues of each. The kernel shows the files of /proc/sysvipc and the mqueue filesystem of the
 * opener's IPC namespace, so a short-lived child joins the namespace (setns), opens
 * the three files of /proc/sysvipc and mounts the namespace's mqueue filesystem
 * (detached, fsmount), and sends the descriptors back (SCM_RIGHTS); the parent reads
 * them with the same parsers and collectors as its own. /dev/shm is a tmpfs of the
 * mount namespace: another one's is listed through /proc/PID/root/dev/shm, once per
 * filesystem. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nls.h"
#include "parse_proc.h"
#include "snapshot.h"
#include "util.h"
#include "xalloc.h"

#define CGROUP_MAX (64u << 10)
#define CONTAINER_TRIES 4       /* processes of a namespace whose cgroup is read */
#define NS_FDS 4                /* msg, shm, sem, the mqueue root */

/* A mount namespace, by a process in it. */
struct mnt_ns {
	uint64_t ino, ipc_ns;
	pid_t pid;
};

static int pid_ns_cmp(const void *a, const void *b)
{
	const struct pid_ns *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int ns_cmp(const void *a, const void *b)
{
	const struct ipc_namespace *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

const struct ipc_namespace *snapshot_namespace(const struct snapshot *snap, uint64_t ino)
{
	struct ipc_namespace key = { .ino = ino };

	if (!snap->nnamespaces)
		return NULL;
	return bsearch(&key, snap->namespaces, snap->nnamespaces, sizeof(key), ns_cmp);
}

const struct ipc_namespace *snapshot_namespace_named(const struct snapshot *snap, const char *name,
						    size_t *matches)
{
	const struct ipc_namespace *found = NULL;
	char *end;
	unsigned long long ino;

	*matches = 0;
	errno = 0;
	ino = strtoull(name, &end, 10);
	/* an inode number; failing that, digits may be a container's short id too */
	if (*name >= '0' && *name <= '9' && !*end && !errno) {
		found = snapshot_namespace(snap, (uint64_t)ino);
		*matches = found != NULL;
		if (found)
			return found;
	}
	for (size_t i = 0; i < snap->nnamespaces; i++) {
		const char *c = snap->namespaces[i].container;
		const char *colon = c ? strchr(c, ':') : NULL;

		if (c && (strcmp(c, name) == 0 || (colon && strcmp(colon + 1, name) == 0))) {
			found = &snap->namespaces[i];
			++*matches;
		}
	}
	return *matches == 1 ? found : NULL;
}

static struct ipc_namespace *ns_find_or_add(struct snapshot *snap, uint64_t ino, pid_t pid,
					    size_t *alloc)
{
	/* few namespaces: a linear search while discovering, sorted at the end */
	for (size_t i = 0; i < snap->nnamespaces; i++)
		if (snap->namespaces[i].ino == ino)
			return &snap->namespaces[i];
	if (snap->nnamespaces == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		snap->namespaces = xreallocarray(snap->namespaces, *alloc, sizeof(*snap->namespaces));
	}
	struct ipc_namespace *ns = &snap->namespaces[snap->nnamespaces++];

	memset(ns, 0, sizeof(*ns));
	ns->ino = ino;
	ns->pid = pid;
	ns->own = ino == snap->own_ipc_ns;
	return ns;
}

static void read_container(struct ipc_namespace *ns, int procfd, pid_t pid)
{
	char path[32], name[96];
	size_t len;

	snprintf(path, sizeof(path), "%d/cgroup", (int)pid);
	char *buf = read_file_at(procfd, path, CGROUP_MAX, &len);

	if (buf && cgroup_container(buf, len, name, sizeof(name)) == 0)
		ns->container = xstrdup(name);
	free(buf);
}

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Every IPC namespace in use (ours first), and every mount namespace (mnts). */
static void discover(struct snapshot *snap, bool all, struct mnt_ns **mnts, size_t *nmnts)
{
	size_t alloc = 0, mnt_alloc = 0, pid_ns_alloc = 0;
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = NULL;
	struct stat st;
	uint64_t own_mnt = stat("/proc/self/ns/mnt", &st) == 0 ? st.st_ino : 0;

	*mnts = NULL;
	*nmnts = 0;
	if (snap->own_ipc_ns)
		ns_find_or_add(snap, snap->own_ipc_ns, getpid(), &alloc);
	if (all && procfd >= 0) {
		int dfd = dup(procfd);

		dir = dfd >= 0 ? fdopendir(dfd) : NULL;
		if (!dir && dfd >= 0)
			close(dfd);
	}
	struct dirent *d;
	int tries[64] = { 0 };  /* cgroup reads per namespace (index in snap->namespaces) */

	while (dir && (d = readdir(dir)) != NULL) {
		char path[300];

		if (!is_pid(d->d_name))
			continue;
		pid_t pid = (pid_t)atoi(d->d_name);

		snprintf(path, sizeof(path), "%s/ns/ipc", d->d_name);
		if (fstatat(procfd, path, &st, 0) < 0)
			continue;       /* gone, or a kernel thread's we may not see */
		uint64_t ipc = st.st_ino;
		struct ipc_namespace *ns = ns_find_or_add(snap, ipc, pid, &alloc);
		size_t idx = (size_t)(ns - snap->namespaces);

		ns->nprocs++;
		if (!ns->own && !ns->container && idx < 64 && tries[idx] < CONTAINER_TRIES) {
			tries[idx]++;
			read_container(ns, procfd, pid);
		}
		snprintf(path, sizeof(path), "%s/ns/mnt", d->d_name);
		if (fstatat(procfd, path, &st, 0) < 0)
			continue;
		if (snap->npid_ns == pid_ns_alloc) {
			pid_ns_alloc = pid_ns_alloc ? pid_ns_alloc * 2 : 256;
			snap->pid_ns = xreallocarray(snap->pid_ns, pid_ns_alloc, sizeof(*snap->pid_ns));
		}
		snap->pid_ns[snap->npid_ns++] = (struct pid_ns){ pid, ipc, st.st_ino };
		if (st.st_ino == own_mnt)
			continue;
		bool seen = false;

		for (size_t i = 0; i < *nmnts && !seen; i++)
			seen = (*mnts)[i].ino == st.st_ino;
		if (seen)
			continue;
		if (*nmnts == mnt_alloc) {
			mnt_alloc = mnt_alloc ? mnt_alloc * 2 : 8;
			*mnts = xreallocarray(*mnts, mnt_alloc, sizeof(**mnts));
		}
		(*mnts)[(*nmnts)++] = (struct mnt_ns){ .ino = st.st_ino, .ipc_ns = ipc, .pid = pid };
	}
	if (dir)
		closedir(dir);
	if (procfd >= 0)
		close(procfd);
	if (snap->nnamespaces)
		qsort(snap->namespaces, snap->nnamespaces, sizeof(*snap->namespaces), ns_cmp);
	if (snap->npid_ns)
		qsort(snap->pid_ns, snap->npid_ns, sizeof(*snap->pid_ns), pid_ns_cmp);
}

const struct pid_ns *snapshot_pid_ns(const struct snapshot *snap, pid_t pid)
{
	struct pid_ns key = { .pid = pid };

	return snap->npid_ns ? bsearch(&key, snap->pid_ns, snap->npid_ns, sizeof(key), pid_ns_cmp) : NULL;
}

void ns_discover(struct snapshot *snap, bool all)
{
	struct mnt_ns *mnts;
	size_t n;

	discover(snap, all, &mnts, &n);
	free(mnts);
}

int ns_open(uint64_t ino, pid_t hint)
{
	char path[40];
	struct stat st;
	int fd;

	/* the process that showed the namespace, if it is still in it; else any */
	if (hint > 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)hint);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == ino)
			return fd;
		if (fd >= 0)
			close(fd);
	}
	DIR *dir = opendir("/proc");
	struct dirent *d;

	if (!dir)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (!is_pid(d->d_name) || strlen(d->d_name) > 12)
			continue;
		snprintf(path, sizeof(path), "/proc/%.12s/ns/ipc", d->d_name);
		if (stat(path, &st) < 0 || st.st_ino != ino)
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == ino) {
			closedir(dir);
			return fd;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(dir);
	errno = ESRCH;
	return -1;
}

/* What the child says: per descriptor 0 sent, or the errno of opening it; and the
 * errno of setns (0 when it joined). */
struct ns_reply {
	int setns_err;
	int err[NS_FDS];
};

static void child_send(int sock, const struct ns_reply *r, const int *fds, int nfds)
{
	struct iovec iov = { .iov_base = (void *)r, .iov_len = sizeof(*r) };
	union {
		char buf[CMSG_SPACE(sizeof(int) * NS_FDS)];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	memset(&u, 0, sizeof(u));
	if (nfds > 0) {
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

/* In the child: only system calls (the parent may have threads). */
static void __attribute__((noreturn)) child_run(int sock, int nsfd, bool sysv, bool mq,
						 bool writable)
{
	static const char *const files[3] = { "/proc/sysvipc/msg", "/proc/sysvipc/shm",
					      "/proc/sysvipc/sem" };
	struct ns_reply r;
	int fds[NS_FDS], n = 0;

	memset(&r, 0, sizeof(r));
	if (setns(nsfd, CLONE_NEWIPC) < 0) {
		r.setns_err = errno;
		child_send(sock, &r, fds, 0);
		_exit(1);
	}
	for (int i = 0; i < 3; i++) {
		int fd = sysv ? open(files[i], O_RDONLY | O_CLOEXEC) : -1;

		if (fd < 0)
			r.err[i] = sysv ? errno : ENOENT;
		else
			fds[n++] = fd;
	}
	int err = ENOENT;
	int root = mq ? posix_mq_private_mount(writable, &err) : -1;

	if (root < 0)
		r.err[3] = err;
	else
		fds[n++] = root;
	child_send(sock, &r, fds, n);
	_exit(0);
}

/* Descriptors opened inside the namespace of nsfd: fds[i] or -1 with errs[i]. */
static int ns_child_fds(int nsfd, bool sysv, bool mq, bool writable, int fds[NS_FDS],
			int errs[NS_FDS], int *setns_err)
{
	int sv[2];
	struct ns_reply r;

	for (int i = 0; i < NS_FDS; i++)
		fds[i] = -1;
	*setns_err = 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid_t pid = fork();

	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_run(sv[1], nsfd, sysv, mq, writable);
	}
	close(sv[1]);

	union {
		char buf[CMSG_SPACE(sizeof(int) * NS_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = &r, .iov_len = sizeof(r) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t got;

	while ((got = recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	int e = errno;

	close(sv[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(r)) {
		errno = got < 0 ? e : EPROTO;
		return -1;
	}
	int received[NS_FDS], nrec = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			for (int i = 0; i < n && nrec < NS_FDS; i++)
				memcpy(&received[nrec++], CMSG_DATA(c) + sizeof(int) * (size_t)i, sizeof(int));
		}
	*setns_err = r.setns_err;
	for (int i = 0, k = 0; i < NS_FDS; i++) {
		errs[i] = r.err[i];
		if (!r.err[i] && k < nrec)
			fds[i] = received[k++];
	}
	return 0;
}

/* The SysV objects of another namespace, read in it: /proc/sysvipc shows the opener's
 * namespace and msgctl/semctl address the caller's, so this thread joins the namespace
 * for the time of reading them with the collectors it uses for its own (a queue's byte
 * limit and a set's values and waiters are only in msgctl/semctl), and then returns.
 * It first rejoins its own namespace, which is what returning takes: where that is not
 * allowed (CAP_SYS_ADMIN in a user namespace that does not own it) it does not leave.
 * Returns 0 when read, the errno of joining, or -1 when it could not have returned. */
static int collect_sysv_in(struct snapshot *snap, int nsfd, uint64_t ino, unsigned int kinds)
{
	int own = open("/proc/thread-self/ns/ipc", O_RDONLY | O_CLOEXEC);

	if (own < 0)
		return -1;
	if (setns(own, CLONE_NEWIPC) < 0) {
		close(own);
		return -1;
	}
	/* (joining drops the thread's SysV semaphore undo list: ipctop has none) */
	if (setns(nsfd, CLONE_NEWIPC) < 0) {
		int e = errno;

		close(own);
		return e;
	}
	if (kinds & KIND_BIT(KIND_SYSV_MSG))
		sysv_msg_collect_ns(snap, ino);
	if (kinds & KIND_BIT(KIND_SYSV_SHM))
		sysv_shm_collect_ns(snap, ino);
	if (kinds & KIND_BIT(KIND_SYSV_SEM))
		sysv_sem_collect_ns(snap, ino);
	if (setns(own, CLONE_NEWIPC) < 0) {
		/* allowed a moment ago; whatever came next would be read, or removed, in the
		 * wrong namespace */
		int e = errno;

		fprintf(stderr, _("ipctop: cannot return to its own IPC namespace (setns): %s\n"),
			strerror(e));
		abort();
	}
	close(own);
	return 0;
}

static void collect_one(struct snapshot *snap, struct ipc_namespace *ns, unsigned int kinds)
{
	bool sysv = kinds & (KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM));
	bool mq = kinds & KIND_BIT(KIND_POSIX_MQ);
	char source[64];
	int fds[NS_FDS], errs[NS_FDS], setns_err = 0;
	int nsfd = ns_open(ns->ino, ns->pid);

	snprintf(source, sizeof(source), "ipc:[%llu]", (unsigned long long)ns->ino);
	if (nsfd < 0) {
		if (errno != ESRCH)    /* its processes all exited meanwhile: nothing to say */
			snapshot_note(snap, source, _("cannot open the IPC namespace: %s"), strerror(errno));
		return;
	}
	/* read here, or else by the child (listed, without what msgctl/semctl give) */
	int in = sysv ? collect_sysv_in(snap, nsfd, ns->ino, kinds) : 0;
	bool child_sysv = in < 0;

	if (in > 0) {
		setns_err = in;
	} else if ((mq || child_sysv) &&
		   ns_child_fds(nsfd, child_sysv, mq, false, fds, errs, &setns_err) < 0) {
		snapshot_note(snap, source, _("cannot read the IPC namespace (a child to join it): %s"),
			      strerror(errno));
		close(nsfd);
		return;
	} else if (!mq && !child_sysv) {
		for (int i = 0; i < NS_FDS; i++) {
			fds[i] = -1;
			errs[i] = 0;
		}
	}
	close(nsfd);
	if (setns_err) {
		snapshot_note(snap, source, _("cannot join the IPC namespace (setns): %s%s"),
			      strerror(setns_err), setns_err == EPERM ? _(" (needs root)") : "");
		return;
	}
	ns->collected = true;
	static const enum ipc_kind sysv_kinds[3] = { KIND_SYSV_MSG, KIND_SYSV_SHM, KIND_SYSV_SEM };
	static const char *const names[NS_FDS] = { "/proc/sysvipc/msg", "/proc/sysvipc/shm",
						   "/proc/sysvipc/sem", "mqueue" };

	for (int i = 0; i < NS_FDS; i++) {
		bool want = i < 3 ? child_sysv && (kinds & KIND_BIT(sysv_kinds[i])) : mq;

		if (fds[i] < 0) {
			if (want && errs[i])
				snapshot_note(snap, source, _("cannot open %s in it: %s"), names[i],
					      strerror(errs[i]));
			continue;
		}
		if (!want) {
			close(fds[i]);
			continue;
		}
		switch (i) {
		case 0:
			sysv_msg_collect_fd(snap, fds[i], ns->ino);
			break;
		case 1:
			sysv_shm_collect_fd(snap, fds[i], ns->ino);
			break;
		case 2:
			sysv_sem_collect_fd(snap, fds[i], ns->ino);
			break;
		default:
			posix_mq_collect_root(snap, fds[i], ns->ino);
			close(fds[i]);
			break;
		}
	}
}

uint64_t ns_own_ipc(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) == 0 ? st.st_ino : 0;
}

int ns_mqueue_root(uint64_t ino, bool writable, int *err)
{
	int fds[NS_FDS], errs[NS_FDS], setns_err;
	int nsfd = ns_open(ino, 0);

	if (nsfd < 0) {
		*err = errno;
		return -1;
	}
	if (ns_child_fds(nsfd, false, true, writable, fds, errs, &setns_err) < 0) {
		*err = errno;
		close(nsfd);
		return -1;
	}
	close(nsfd);
	*err = setns_err ? setns_err : errs[3];
	return fds[3];
}

void ns_collect(struct snapshot *snap, unsigned int kinds)
{
	struct mnt_ns *mnts;
	size_t nmnts;

	discover(snap, true, &mnts, &nmnts);
	for (size_t i = 0; i < snap->nnamespaces; i++) {
		struct ipc_namespace *ns = &snap->namespaces[i];

		if (ns->own)
			ns->collected = true;
		else
			collect_one(snap, ns, kinds);
	}

	/* /dev/shm of the other mount namespaces: once per filesystem, ours excluded */
	bool shm = kinds & KIND_BIT(KIND_POSIX_SHM), sem = kinds & KIND_BIT(KIND_POSIX_SEM);
	uint64_t *devs = xcalloc(nmnts + 1, sizeof(*devs));
	size_t ndevs = 0;
	struct stat st;

	if (stat("/dev/shm", &st) == 0)
		devs[ndevs++] = st.st_dev;
	for (size_t i = 0; i < nmnts && (shm || sem); i++) {
		char path[64];
		bool seen = false;

		snprintf(path, sizeof(path), "/proc/%d/root/dev/shm", (int)mnts[i].pid);
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		for (size_t k = 0; k < ndevs && !seen; k++)
			seen = devs[k] == st.st_dev;
		if (seen)
			continue;
		devs[ndevs++] = st.st_dev;
		posix_shm_collect_dir(snap, path, mnts[i].ipc_ns, mnts[i].pid, shm, sem);
	}
	free(devs);
	free(mnts);
}
