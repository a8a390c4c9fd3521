/* Holders: every process's /proc/PID/fd links (with fdinfo where the kind needs it)
 * and /proc/PID/maps, each read once, joined to the collected objects by identity
 * through a hash index. Pipes, FIFOs and the fd-based event objects exist only as
 * open files, so they are created here as they are found. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "nls.h"
#include "objindex.h"
#include "parse.h"
#include "parse_proc.h"
#include "snapshot.h"
#include "util.h"
#include "xalloc.h"

#define FDINFO_MAX (4u << 20)   /* an inotify instance with many watches */
#define MAPS_MAX (256u << 20)

#define FD_KINDS (KIND_BIT(KIND_LOCK) | KIND_BIT(KIND_PIPE) | KIND_BIT(KIND_FIFO) | KIND_BIT(KIND_UNIX) |          \
		  KIND_BIT(KIND_EVENTFD) | KIND_BIT(KIND_SIGNALFD) | KIND_BIT(KIND_INOTIFY) |  \
		  KIND_BIT(KIND_TIMERFD) | KIND_BIT(KIND_PIDFD) | KIND_BIT(KIND_POSIX_MQ) |    \
		  KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM) | KIND_BIT(KIND_INET) |  \
		  KIND_BIT(KIND_NETLINK) | KIND_BIT(KIND_EPOLL) | KIND_BIT(KIND_PTY) |        \
		  KIND_BIT(KIND_MEMFD))
/* kinds found in maps only when a collector listed objects of them first */
#define MAP_KINDS (KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM))
/* kinds the maps scan itself finds: every process's maps are read for them */
#define MAP_FOUND_KINDS (KIND_BIT(KIND_MEMFD) | KIND_BIT(KIND_SHARED_ANON) | KIND_BIT(KIND_SHARED_FILE))

#define MOUNT_FDS_MAX 64
#define WATCH_PATHS_MAX 20000   /* open_by_handle_at calls per snapshot */

struct pf_fd;

struct scan {
	struct snapshot *snap;
	struct objindex ix;
	size_t *lock_next;      /* locks of the same pid and file: a chain through the index */
	bool have_locks;
	unsigned int kinds;
	int procfd;
	/* the process being scanned */
	pid_t pid;
	bool self;              /* it is ipctop */
	bool denied;            /* a descriptor of it could not be read (EACCES, EPERM) */
	uint64_t ipc_ns;        /* its IPC namespace: its /SYSV maps are that namespace's segments */
	int pidfd;              /* -1 not yet opened, -2 cannot be opened */
	const struct pf_fd *cur;        /* what the read phase found of the fd at hand */
	uint64_t devshm_dev;    /* st_dev of /dev/shm (POSIX shm and sem files), 0 unknown */
	/* inotify watches: a directory of each filesystem, to open the watched files by
	 * their handles; read from our mountinfo the first time a watch needs it */
	char *mountinfo;
	size_t mountinfo_len;
	struct { uint64_t dev; int fd; } mounts[MOUNT_FDS_MAX];
	size_t nmounts;
	size_t watch_paths;     /* resolved so far (at most WATCH_PATHS_MAX) */
	/* fd-based objects with no identity of their own, one per descriptor, to be merged
	 * where descriptors share an open file description (merge_shared_files) */
	struct anon_ref *anon;
	size_t nanon, anon_alloc;
};

struct anon_ref {
	size_t obj;
	pid_t pid;
	int fd;
	uint64_t sig;           /* what the same open file description must show alike */
};

/* ---- the read phase's records (see "the read phase" below) ---- */

/* What the read phase found of one descriptor. An *_err of -1: not read (the apply
 * phase reads it itself if it needs it), 0: read, else the errno of the read. */
struct pf_fd {
	int fd;
	int link_err;                   /* readlinkat */
	size_t link_off, link_len;      /* the link, in pf_proc.text */
	int acc_err;                    /* pipes: lstat of the link, for the access */
	mode_t acc_mode;
	int st_err;                     /* paths: statx of the target */
	struct stat st;
	int fi_err;                     /* anon inodes of IPC kinds: fdinfo */
	char *fdinfo;
	size_t fdinfo_len;
	int fill;                       /* pipes and FIFOs at first sight: FILL_* */
	uint64_t fill_cap, fill_queued;
};

/* What the read phase found of one process. */
struct pf_proc {
	size_t task;                    /* its index in snap->procs, + 1 once read */
	int fddir;                      /* /proc/PID/fd, open for the apply phase, or -1 */
	int dir_err;                    /* listing it (open, getdents): errno, or 0 */
	struct pf_fd *fds;
	size_t nfds, fds_alloc;
	char *text;                     /* the links, NUL-terminated */
	size_t text_len, text_alloc;
	char *maps, *status;
	size_t maps_len, status_len;
	int maps_err, status_err;       /* errno, or 0 */
	uint64_t ns_ipc, ns_mnt, ns_net;        /* 0 unknown */
};

static uint64_t lock_key(pid_t pid, uint64_t dev)
{
	return (uint64_t)pid << 40 ^ dev;
}

static void index_objects(struct scan *sc)
{
	struct snapshot *snap = sc->snap;

	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *o = &snap->objects[i];

		switch (o->kind) {
		case KIND_SYSV_SHM:
			/* a shmid is a number of its IPC namespace */
			objindex_put(&sc->ix, IDX_SHMID, o->ipc_ns, (uint64_t)o->id, i);
			break;
		case KIND_POSIX_MQ:
		case KIND_POSIX_SHM:
		case KIND_POSIX_SEM:
			objindex_put(&sc->ix, IDX_FILE, o->dev, o->inode, i);
			break;
		case KIND_UNIX:
		case KIND_INET:
		case KIND_NETLINK:
			objindex_put(&sc->ix, IDX_SOCKET, 0, o->inode, i);
			break;
		case KIND_LOCK: {
			size_t head;

			/* OFD locks show pid -1: they belong to a description, not a process */
			if (o->cpid <= 0)
				break;
			sc->have_locks = true;
			sc->lock_next[i] = SIZE_MAX;
			if (objindex_get(&sc->ix, IDX_LOCK, lock_key(o->cpid, o->dev), o->inode, &head) == 0)
				sc->lock_next[i] = head;
			objindex_put(&sc->ix, IDX_LOCK, lock_key(o->cpid, o->dev), o->inode, i);
			break;
		}
		default:
			break;
		}
	}
}

static struct holder *holder_add(struct snapshot *snap, size_t obj, pid_t pid, int fd, uint64_t start,
				 uint64_t end, unsigned int access)
{
	if (snap->nholders == snap->holders_alloc) {
		size_t n = snap->holders_alloc ? snap->holders_alloc * 2 : 256;

		snap->holders = xbigarray(snap->holders, snap->holders_alloc, n, sizeof(*snap->holders));
		snap->holders_alloc = n;
	}
	struct holder *h = &snap->holders[snap->nholders++];

	h->object = obj;
	h->pid = pid;
	h->fd = fd;
	h->start = start;
	h->end = end;
	h->access = access;
	h->role = END_NONE;
	return h;
}

/* The object of a file by device and inode; -1 when there is none, or the file was
 * seen not to be IPC. */
static int file_object(const struct scan *sc, uint64_t dev, uint64_t ino, size_t *obj)
{
	return objindex_get(&sc->ix, IDX_FILE, dev, ino, obj) == 0 && *obj != NOT_IPC ? 0 : -1;
}

static unsigned int fd_access(unsigned int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return HOLD_READ;
	case O_WRONLY:
		return HOLD_WRITE;
	case O_RDWR:
		return HOLD_READ | HOLD_WRITE;
	}
	return 0;
}

/* /proc/PID/fdinfo/FD, parsed. Returns 0, or -1 when it cannot be read (gone). */
static int read_fdinfo(struct scan *sc, const char *fd, struct fdinfo *fi)
{
	char path[64];
	size_t len;
	char *buf, *own = NULL;

	memset(fi, 0, sizeof(*fi));
	if (sc->cur && sc->cur->fi_err >= 0) {
		if (sc->cur->fi_err)
			return -1;
		buf = sc->cur->fdinfo;
		len = sc->cur->fdinfo_len;
	} else {
		snprintf(path, sizeof(path), "%d/fdinfo/%s", (int)sc->pid, fd);
		buf = own = read_file_at(sc->procfd, path, FDINFO_MAX, &len);
		if (!buf)
			return -1;
	}
	int rc = fdinfo_parse(buf, len, fi);

	free(own);
	if (rc < 0)
		xalloc_die();
	return 0;
}

/* Our own descriptor for the process's fd: it shares the open file description, so
 * unlike opening /proc/PID/fd/N it adds no reader or writer to a pipe. Needs ptrace
 * rights over the process (root). */
static int dup_remote_fd(int *pidfd, pid_t pid, int fd)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	if (*pidfd == -1) {
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (*pidfd < 0)
			*pidfd = -2;
	}
	if (*pidfd < 0)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, *pidfd, fd, 0);
#else
	(void)pidfd;
	(void)pid;
	(void)fd;
	return -1;
#endif
}

/* Capacity and bytes queued of the pipe or FIFO ino at a process's fd, through a
 * duplicate of it (pidfd: that process's, opened on first use). 0, or -1 unknown. */
static int fill_read(int *pidfd, pid_t pid, int fd, uint64_t ino, uint64_t *cap, uint64_t *queued)
{
	int dup = dup_remote_fd(pidfd, pid, fd);
	struct stat st;
	int rc = -1;

	if (dup < 0)
		return -1;
	/* the fd may have been closed and its number reused since readlink */
	if (fstat(dup, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_ino == ino) {
		int size = fcntl(dup, F_GETPIPE_SZ);
		int n = 0;

		if (size >= 0 && ioctl(dup, FIONREAD, &n) == 0 && n >= 0) {
			*cap = (uint64_t)size;
			*queued = (uint64_t)n;
			rc = 0;
		}
	}
	close(dup);
	return rc;
}

enum { FILL_NOT_READ, FILL_UNKNOWN, FILL_READ };

/* Capacity and bytes queued of a pipe or FIFO, at its first holder's fd. */
static void pipe_fill(struct scan *sc, size_t obj, int fd)
{
	struct ipc_object *o = &sc->snap->objects[obj];
	uint64_t cap = 0, queued = 0;
	int rc;

	if (sc->cur && sc->cur->fill != FILL_NOT_READ) {
		rc = sc->cur->fill == FILL_READ ? 0 : -1;
		cap = sc->cur->fill_cap;
		queued = sc->cur->fill_queued;
	} else {
		rc = fill_read(&sc->pidfd, sc->pid, fd, o->inode, &cap, &queued);
	}
	if (rc == 0) {
		o->max_size = cap;
		o->size = queued;
		o->has_fill = true;
	}
}

static size_t object_new(struct scan *sc, enum ipc_kind kind, uint64_t inode)
{
	struct ipc_object *o = snapshot_add(sc->snap, kind);

	o->inode = inode;
	o->persistence = PERSIST_PROCESS;
	return sc->snap->nobjects - 1;
}

/* "pipe:[123]" -> 123 */
static int link_inode(const char *link, size_t prefix_len, uint64_t *ino)
{
	const char *s = link + prefix_len;
	size_t n = strlen(s);

	if (n < 2 || s[n - 1] != ']')
		return -1;
	return parse_u64(s, n - 1, 10, ino);
}

/* The access of an fd without reading its fdinfo: /proc/PID/fd/N links carry the
 * description's read and write modes as their own permission bits. */
static unsigned int mode_access(mode_t mode)
{
	return ((mode & S_IRUSR) ? HOLD_READ : 0) | ((mode & S_IWUSR) ? HOLD_WRITE : 0);
}

static int link_access(struct scan *sc, int fddir, const char *name, unsigned int *access)
{
	struct stat st;

	if (sc->cur && sc->cur->acc_err >= 0) {
		errno = sc->cur->acc_err;
		st.st_mode = sc->cur->acc_mode;
	} else if (fstatat(fddir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = 0;
	}
	if (errno) {
		if (errno == EACCES || errno == EPERM)
			sc->denied = true;
		return -1;
	}
	*access = mode_access(st.st_mode);
	return 0;
}

static void scan_pipe(struct scan *sc, int fddir, const char *name, int fd, const char *link)
{
	uint64_t ino;
	size_t obj;
	bool is_new = false;
	unsigned int access;

	if (!(sc->kinds & KIND_BIT(KIND_PIPE)) || link_inode(link, 6, &ino) < 0)
		return;
	if (link_access(sc, fddir, name, &access) < 0)
		return;
	if (objindex_get(&sc->ix, IDX_PIPE, 0, ino, &obj) < 0) {
		obj = object_new(sc, KIND_PIPE, ino);
		objindex_put(&sc->ix, IDX_PIPE, 0, ino, obj);
		is_new = true;
	}
	holder_add(sc->snap, obj, sc->pid, fd, 0, 0, access);
	if (is_new)
		pipe_fill(sc, obj, fd);
}

static void scan_socket(struct scan *sc, int fd, const char *link)
{
	uint64_t ino;
	size_t obj;

	if (link_inode(link, 8, &ino) < 0)
		return;
	/* only sockets a collector reported: UNIX, local TCP/UDP, netlink */
	if (objindex_get(&sc->ix, IDX_SOCKET, 0, ino, &obj) == 0)
		holder_add(sc->snap, obj, sc->pid, fd, 0, 0, HOLD_READ | HOLD_WRITE);
}

/* Seconds and nanoseconds from fdinfo, saturated rather than overflowed. */
static int64_t to_ns(int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0)
		return 0;
	if (sec > (INT64_MAX - nsec) / 1000000000)
		return INT64_MAX;
	return sec * 1000000000 + nsec;
}

/* A directory on the filesystem of dev, from our mountinfo; -1 when not mounted here. */
static int mount_fd(struct scan *sc, uint64_t dev)
{
	for (size_t i = 0; i < sc->nmounts; i++)
		if (sc->mounts[i].dev == dev)
			return sc->mounts[i].fd;
	if (sc->nmounts == MOUNT_FDS_MAX)
		return -1;
	if (!sc->mountinfo) {
		sc->mountinfo = read_file_at(-1, "/proc/self/mountinfo", 16u << 20, &sc->mountinfo_len);
		if (!sc->mountinfo)
			sc->mountinfo = xstrdup("");
	}

	int fd = -1;
	char point[PATH_MAX];

	for (size_t pos = 0; pos < sc->mountinfo_len && fd < 0;) {
		const char *line = sc->mountinfo + pos;
		const char *nl = memchr(line, '\n', sc->mountinfo_len - pos);
		size_t n = nl ? (size_t)(nl - line) : sc->mountinfo_len - pos;
		unsigned int ma, mi;

		pos += n + 1;
		if (mountinfo_parse_line(line, n, &ma, &mi, point, sizeof(point)) == 0 &&
		    makedev(ma, mi) == dev)
			fd = open(point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);   /* not O_PATH: refused as mount_fd */
	}
	sc->mounts[sc->nmounts].dev = dev;
	sc->mounts[sc->nmounts++].fd = fd;     /* -1 remembered too */
	return fd;
}

/* The path of an inotify watch's file, through its handle (needs CAP_DAC_READ_SEARCH):
 * what lsfd and inotify-info show. */
static char *watch_path(struct scan *sc, uint64_t dev, const struct inotify_watch *w)
{
	if (!w->handle_bytes || sc->watch_paths >= WATCH_PATHS_MAX)
		return NULL;
	sc->watch_paths++;

	int mfd = mount_fd(sc, dev);

	if (mfd < 0)
		return NULL;
	struct file_handle *fh = xmalloc(sizeof(*fh) + w->handle_bytes);

	fh->handle_bytes = w->handle_bytes;
	fh->handle_type = w->handle_type;
	memcpy(fh->f_handle, w->handle, w->handle_bytes);

	int fd = open_by_handle_at(mfd, fh, O_PATH | O_CLOEXEC);

	free(fh);
	if (fd < 0)
		return NULL;

	char link[32], buf[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? xstrndup(buf, (size_t)n) : NULL;
}

/* FNV-1a over a value's bytes, continuing from h. */
static uint64_t sig_mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* What two descriptors of one open file description show alike (read a moment apart:
 * a timer's ticks or a counter may differ, and then they are not joined). */
static uint64_t anon_signature(const struct ipc_object *o)
{
	uint64_t h = sig_mix(0xcbf29ce484222325ULL, &o->kind, sizeof(o->kind));

	switch (o->kind) {
	case KIND_EVENTFD:
		h = sig_mix(h, &o->counter, sizeof(o->counter));
		h = sig_mix(h, &o->mode, sizeof(o->mode));
		break;
	case KIND_SIGNALFD:
		h = sig_mix(h, &o->sigmask, sizeof(o->sigmask));
		break;
	case KIND_TIMERFD:
		h = sig_mix(h, &o->clockid, sizeof(o->clockid));
		h = sig_mix(h, &o->interval_ns, sizeof(o->interval_ns));
		h = sig_mix(h, &o->counter, sizeof(o->counter));
		break;
	case KIND_PIDFD:
		h = sig_mix(h, &o->target_pid, sizeof(o->target_pid));
		break;
	case KIND_INOTIFY:
		h = sig_mix(h, &o->nwatches, sizeof(o->nwatches));
		for (size_t i = 0; i < o->nwatches; i++) {
			h = sig_mix(h, &o->watches[i].wd, sizeof(o->watches[i].wd));
			h = sig_mix(h, &o->watches[i].inode, sizeof(o->watches[i].inode));
		}
		break;
	case KIND_EPOLL:
		h = sig_mix(h, &o->ntargets, sizeof(o->ntargets));
		for (size_t i = 0; i < o->ntargets; i++) {
			h = sig_mix(h, &o->targets[i].fd, sizeof(o->targets[i].fd));
			h = sig_mix(h, &o->targets[i].inode, sizeof(o->targets[i].inode));
		}
		break;
	default:
		break;
	}
	return h;
}

static void anon_add(struct scan *sc, size_t obj, int fd)
{
	if (sc->nanon == sc->anon_alloc) {
		sc->anon_alloc = sc->anon_alloc ? sc->anon_alloc * 2 : 64;
		sc->anon = xreallocarray(sc->anon, sc->anon_alloc, sizeof(*sc->anon));
	}
	sc->anon[sc->nanon++] = (struct anon_ref){ obj, sc->pid, fd,
						   anon_signature(&sc->snap->objects[obj]) };
}

/* The kind of an anon_inode:TYPE link's TYPE; -1 when no IPC. */
static int anon_kind(const char *type, enum ipc_kind *kind)
{
	static const struct { const char *type; enum ipc_kind kind; } types[] = {
		{ "[eventfd]", KIND_EVENTFD }, { "[signalfd]", KIND_SIGNALFD },
		{ "inotify", KIND_INOTIFY }, { "[timerfd]", KIND_TIMERFD },
		{ "[pidfd]", KIND_PIDFD }, { "[eventpoll]", KIND_EPOLL },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].type) == 0) {
			*kind = types[i].kind;
			return 0;
		}
	return -1;
}

static void scan_anon(struct scan *sc, const char *name, int fd, const char *type)
{
	enum ipc_kind kind;
	struct fdinfo fi;

	if (anon_kind(type, &kind) < 0)
		return;
	/* ipctop's own pidfd is a tool of this scan, not IPC */
	if (kind == KIND_PIDFD && sc->self)
		return;
	if (!(sc->kinds & KIND_BIT(kind)) || read_fdinfo(sc, name, &fi) < 0)
		return;

	size_t obj;
	bool shared = false;

	/* an eventfd has a number of its own, so one shared through fork or SCM_RIGHTS is
	 * one object with several holders; the other kinds' fdinfo "ino:" is the one inode
	 * all anon_inode files share: they are one object per descriptor here, joined
	 * after the scan (merge_shared_files) */
	if (kind == KIND_EVENTFD && (fi.has & FDI_EVENTFD_ID) &&
	    objindex_get(&sc->ix, IDX_EVENTFD, 0, fi.eventfd_id, &obj) == 0) {
		shared = true;
	} else {
		obj = object_new(sc, kind, (fi.has & FDI_INO) ? fi.ino : 0);
		if (kind == KIND_EVENTFD && (fi.has & FDI_EVENTFD_ID))
			objindex_put(&sc->ix, IDX_EVENTFD, 0, fi.eventfd_id, obj);
	}

	struct ipc_object *o = &sc->snap->objects[obj];

	if (!shared) {
		switch (kind) {
		case KIND_EVENTFD:
			o->id = (fi.has & FDI_EVENTFD_ID) && fi.eventfd_id <= INT_MAX ? (int)fi.eventfd_id : -1;
			o->counter = fi.eventfd_count;
			if (fi.eventfd_semaphore)
				o->mode |= EFD_MODE_SEMAPHORE;
			break;
		case KIND_SIGNALFD:
			o->sigmask = fi.sigmask;
			break;
		case KIND_INOTIFY:
			if (fi.nwatches) {
				o->watches = xcalloc(fi.nwatches, sizeof(*o->watches));
				for (size_t i = 0; i < fi.nwatches; i++) {
					const struct inotify_watch *w = &fi.watches[i];

					o->watches[i].wd = w->wd;
					o->watches[i].inode = w->ino;
					/* the kernel's encoding: major << 20 | minor */
					o->watches[i].dev = makedev((unsigned int)(w->sdev >> 20),
								    (unsigned int)(w->sdev & 0xfffff));
					o->watches[i].mask = w->mask;
					o->watches[i].path = watch_path(sc, o->watches[i].dev, w);
				}
				o->nwatches = fi.nwatches;
			}
			break;
		case KIND_TIMERFD:
			o->clockid = fi.clockid;
			o->counter = fi.ticks;
			o->value_ns = to_ns(fi.value_sec, fi.value_nsec);
			o->interval_ns = to_ns(fi.interval_sec, fi.interval_nsec);
			break;
		case KIND_PIDFD:
			o->target_pid = (fi.has & FDI_PIDFD) ? fi.pidfd_pid : -1;
			break;
		case KIND_EPOLL:
			if (fi.ntargets) {
				o->targets = xcalloc(fi.ntargets, sizeof(*o->targets));
				for (size_t i = 0; i < fi.ntargets; i++) {
					const struct epoll_target *t = &fi.targets[i];

					o->targets[i].fd = t->fd;
					o->targets[i].events = t->events;
					o->targets[i].inode = t->ino;
					o->targets[i].dev = makedev((unsigned int)(t->sdev >> 20),
								    (unsigned int)(t->sdev & 0xfffff));
				}
				o->ntargets = fi.ntargets;
			}
			o->count = fi.ntargets;
			break;
		default:
			break;
		}
	}
	holder_add(sc->snap, obj, sc->pid, fd, 0, 0, fd_access(fi.flags));
	if (!shared && !(kind == KIND_EVENTFD && o->id >= 0))
		anon_add(sc, obj, fd);
	fdinfo_free(&fi);
}

#define STAT_MASK (STATX_TYPE | STATX_MODE | STATX_INO | STATX_UID | STATX_GID | STATX_ATIME | \
		   STATX_MTIME | STATX_CTIME | STATX_SIZE)

static void statx_to_stat(const struct statx *sx, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);
	st->st_rdev = makedev(sx->stx_rdev_major, sx->stx_rdev_minor);
	st->st_ino = sx->stx_ino;
	st->st_mode = sx->stx_mode;
	st->st_uid = sx->stx_uid;
	st->st_gid = sx->stx_gid;
	st->st_size = (off_t)sx->stx_size;
	st->st_atim.tv_sec = sx->stx_atime.tv_sec;
	st->st_mtim.tv_sec = sx->stx_mtime.tv_sec;
	st->st_ctim.tv_sec = sx->stx_ctime.tv_sec;
}

/* What a process's fd refers to. statx with AT_STATX_DONT_SYNC: a file on a dead NFS
 * server or a stopped FUSE daemon must not hang the scan in a revalidation. */
static int stat_fd_target(struct scan *sc, int fddir, const char *name, struct stat *st)
{
	struct statx sx;

	if (sc->cur && sc->cur->st_err >= 0) {
		if (!sc->cur->st_err) {
			*st = sc->cur->st;
			return 0;
		}
		errno = sc->cur->st_err;
		if (errno == EACCES || errno == EPERM)
			sc->denied = true;
		return -1;
	}
	if (statx(fddir, name, AT_STATX_DONT_SYNC, STAT_MASK, &sx) < 0) {
		if (errno == EACCES || errno == EPERM)
			sc->denied = true;
		return -1;
	}
	statx_to_stat(&sx, st);
	return 0;
}

/* A mapping's file, through /proc/PID/map_files (which needs CAP_SYS_ADMIN). */
static int stat_map_file(struct scan *sc, const struct map_entry *m, struct stat *st)
{
	char path[80];
	struct statx sx;

	snprintf(path, sizeof(path), "%d/map_files/%" PRIx64 "-%" PRIx64, (int)sc->pid, m->start, m->end);
	if (statx(sc->procfd, path, AT_STATX_DONT_SYNC, STAT_MASK, &sx) < 0)
		return -1;
	statx_to_stat(&sx, st);
	return 0;
}

/* The path of a mapped file from its map_files link, exact, into o's name (unchanged
 * when the link cannot be read). */
static void map_file_name(struct scan *sc, const struct map_entry *m, struct ipc_object *o)
{
	char path[80], target[PATH_MAX + 16];
	static const char deleted[] = " (deleted)";

	snprintf(path, sizeof(path), "%d/map_files/%" PRIx64 "-%" PRIx64, (int)sc->pid, m->start, m->end);
	ssize_t n = readlinkat(sc->procfd, path, target, sizeof(target));

	if (n <= 0 || (size_t)n >= sizeof(target))
		return;
	if (m->deleted && (size_t)n > sizeof(deleted) - 1 &&
	    memcmp(target + n - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1) == 0)
		n -= (ssize_t)(sizeof(deleted) - 1);
	object_set_name(o, target, (size_t)n);
}

/* Size, owner, mode and times of a memfd or a shared file. */
static void object_set_stat(struct ipc_object *o, const struct stat *st)
{
	object_set_file(o, st);
	o->size = (uint64_t)st->st_size;
	o->has_size = o->has_stat = true;
}

/* The locks this process holds or waits for on this file get the fd and the path. */
static void resolve_locks(struct scan *sc, const struct stat *st, int fddir, const char *name, int fd,
			  const char *link, size_t link_len)
{
	size_t i;
	unsigned int access = 0;

	if (objindex_get(&sc->ix, IDX_LOCK, lock_key(sc->pid, st->st_dev), st->st_ino, &i) < 0)
		return;
	link_access(sc, fddir, name, &access);
	for (; i != SIZE_MAX; i = sc->lock_next[i]) {
		struct ipc_object *o = &sc->snap->objects[i];

		if (o->name || o->cpid != sc->pid || o->dev != st->st_dev || o->inode != st->st_ino)
			continue;
		object_set_name(o, link, link_len);
		holder_add(sc->snap, i, sc->pid, fd, 0, 0, access);
	}
}

/* The devpts instance (its st_dev) of a master opened through the ptmx node at link,
 * as the kernel finds it (devpts_acquire): the filesystem of the node when that is a
 * devpts (its own ptmx), else the devpts mounted at "pts" beside the node, looked up
 * in the holder's mount namespace now (the kernel did at the open). 0 unknown. */
static uint64_t ptmx_instance(struct scan *sc, const char *name, const char *link,
			      size_t link_len, const struct stat *st)
{
	const char *slash = memrchr(link, '/', link_len);
	char path[PATH_MAX + 64];
	struct stat pts;
	struct statfs fs;

	snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)sc->pid, name);
	if (statfs(path, &fs) == 0 && fs.f_type == DEVPTS_SUPER_MAGIC)
		return st->st_dev;
	if (!slash || link[0] != '/')
		return 0;
	size_t dir_len = (size_t)(slash - link);

	if (snprintf(path, sizeof(path), "%d/root%.*s/pts", (int)sc->pid, (int)dir_len, link) >=
	    (int)sizeof(path) || fstatat(sc->procfd, path, &pts, 0) < 0)
		return 0;
	return pts.st_dev;
}

/* A pty end: the master (ptmx, its index in fdinfo) or a slave (/dev/pts/N, its
 * index in its device number), both known by device number, not path. One object per
 * devpts instance (containers have their own) and index. */
static void scan_pty(struct scan *sc, int fddir, const char *name, int fd, const struct stat *st,
		     const char *link, size_t link_len)
{
	uint64_t instance;
	int index;
	enum holder_end role;
	unsigned int access;
	size_t obj;

	if (st->st_rdev == makedev(5, 2)) {
		struct fdinfo fi;

		if (read_fdinfo(sc, name, &fi) < 0)
			return;
		/* Linux < 4.? has no tty-index: the master cannot be placed */
		index = (fi.has & FDI_TTY) ? fi.tty_index : -1;
		fdinfo_free(&fi);
		role = END_MASTER;
		instance = ptmx_instance(sc, name, link, link_len, st);
	} else {
		index = pty_slave_index(major(st->st_rdev), minor(st->st_rdev));
		role = END_SLAVE;
		instance = st->st_dev;  /* the node is the devpts instance's own */
	}
	if (index < 0 || link_access(sc, fddir, name, &access) < 0)
		return;
	if (objindex_get(&sc->ix, IDX_PTY, instance, (uint64_t)index, &obj) < 0) {
		char tty[24];
		int n = snprintf(tty, sizeof(tty), "pts/%d", index);

		obj = object_new(sc, KIND_PTY, 0);
		objindex_put(&sc->ix, IDX_PTY, instance, (uint64_t)index, obj);
		sc->snap->objects[obj].id = index;
		sc->snap->objects[obj].dev = instance;
		object_set_name(&sc->snap->objects[obj], tty, (size_t)n);
	}
	holder_add(sc->snap, obj, sc->pid, fd, 0, 0, access)->role = role;
}

/* A new memfd object, known by device and inode. */
static size_t memfd_new(struct scan *sc, uint64_t dev, uint64_t ino, const char *name, size_t len)
{
	size_t obj = object_new(sc, KIND_MEMFD, ino);
	struct ipc_object *o = &sc->snap->objects[obj];

	o->dev = dev;
	object_set_name(o, name, len);
	objindex_put(&sc->ix, IDX_FILE, dev, ino, obj);
	return obj;
}

static void scan_path(struct scan *sc, int fddir, const char *name, int fd, const char *link,
		      size_t link_len)
{
	struct stat st;
	size_t obj;
	unsigned int access;
	bool is_new = false, found;
	const char *mname;
	size_t mlen;

	if (stat_fd_target(sc, fddir, name, &st) < 0)
		return;
	if (sc->have_locks)
		resolve_locks(sc, &st, fddir, name, fd, link, link_len);
	if (S_ISCHR(st.st_mode)) {
		if (sc->kinds & KIND_BIT(KIND_PTY))
			scan_pty(sc, fddir, name, fd, &st, link, link_len);
		return;
	}
	found = file_object(sc, st.st_dev, st.st_ino, &obj) == 0;
	/* a memfd lives on an internal mount (major 0); a disk file named so is a file */
	bool memfd = !found && S_ISREG(st.st_mode) && major(st.st_dev) == 0 &&
		     (sc->kinds & KIND_BIT(KIND_MEMFD)) && memfd_link_name(link, link_len, &mname, &mlen) == 0;
	bool fifo = !found && S_ISFIFO(st.st_mode) && (sc->kinds & KIND_BIT(KIND_FIFO));

	if (!found && !memfd && !fifo)
		return;     /* a file, not IPC */
	/* shared mappings are held by their mappings alone: a descriptor of the file is
	 * no more IPC than any other open file */
	if (found && (sc->snap->objects[obj].kind == KIND_SHARED_FILE ||
		      sc->snap->objects[obj].kind == KIND_SHARED_ANON))
		return;
	if (link_access(sc, fddir, name, &access) < 0)
		return;
	if (memfd) {
		obj = memfd_new(sc, st.st_dev, st.st_ino, mname, mlen);
		object_set_stat(&sc->snap->objects[obj], &st);
	} else if (fifo) {
		obj = object_new(sc, KIND_FIFO, st.st_ino);
		objindex_put(&sc->ix, IDX_FILE, st.st_dev, st.st_ino, obj);

		struct ipc_object *o = &sc->snap->objects[obj];

		object_set_file(o, &st);
		object_set_name(o, link, link_len);
		o->persistence = PERSIST_FILESYSTEM;
		is_new = true;
	} else if (sc->snap->objects[obj].kind == KIND_MEMFD && !sc->snap->objects[obj].has_stat) {
		/* first seen mapped, where its size could not be read */
		object_set_stat(&sc->snap->objects[obj], &st);
	}
	holder_add(sc->snap, obj, sc->pid, fd, 0, 0, access);
	if (is_new)
		pipe_fill(sc, obj, fd);
}

/* Signals pending for the process: a KIND_SIGNAL object when any is. */
static int scan_status(struct scan *sc, const struct pf_proc *r)
{
	struct proc_status st;

	if (r->status_err) {
		errno = r->status_err;
		return -1;
	}
	status_parse(r->status, r->status_len, &st);
	if (!(st.has & (ST_SIGPND | ST_SHDPND)) || (st.sigpnd | st.shdpnd) == 0)
		return 0;

	struct ipc_object *o = snapshot_add(sc->snap, KIND_SIGNAL);

	o->persistence = PERSIST_PROCESS;
	o->cpid = sc->pid;
	o->sig_pending = st.sigpnd;
	o->sig_shared = st.shdpnd;
	o->sig_blocked = st.sigblk;
	o->sig_ignored = st.sigign;
	o->sig_caught = st.sigcgt;
	if (st.has & ST_SIGQ) {
		o->sigq = st.sigq_queued;
		o->sigq_limit = st.sigq_limit;
		o->has_attr = true;
	}
	return 0;
}

/* ---- the read phase: the kernel's answers, read a few processes ahead ----
 *
 * Most of a scan is the kernel answering /proc: a readlink for every descriptor, a
 * stat or an fdinfo for some, maps and status, namespace links. None of it depends on
 * what the scan has joined so far, so on a machine with more than one CPU reader
 * threads (one per CPU, at most PF_READERS; reader t takes the processes i with
 * i % readers == t) read up to PF_AHEAD processes ahead while this thread joins what
 * they read to the objects (the apply phase, in process order as before). The records
 * are a cache: what one lacks, the apply phase reads itself, as it does for the rare
 * kinds (ptys, FIFOs' and memfds' access, locks). With one CPU both phases run here,
 * one process after the other. */

#define PF_AHEAD 32
#define PF_READERS 4
/* A thread waiting for the other side is woken when there are this many records (or
 * free slots) for it, not at each: a wake-up costs more than reading a small process. */
#define PF_BATCH 8

/* A directory entry as getdents64 returns it (glibc declares no such type). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct pf_task {
	pid_t pid;
	bool ns_seen;                   /* ipc and mnt: the namespace discovery stat'ed them */
	uint64_t ns_ipc, ns_mnt;
};

struct prefetch {
	/* set before the reader starts, read-only after */
	int procfd;
	unsigned int kinds;
	bool want_fds, want_maps, want_status, want_net;
	pid_t self;
	const struct pf_task *tasks;
	size_t ntasks;
	size_t self_task;               /* ipctop's own index, or SIZE_MAX */
	/* the ring: task i in slot i % PF_AHEAD, ipctop's own in slot PF_AHEAD */
	struct pf_proc slots[PF_AHEAD + 1];
	struct pf_reader {
		struct prefetch *pf;
		size_t first;           /* its tasks: first, first + nreaders, ... */
		pthread_t thread;
		/* pipes and FIFOs it has seen, for their fill at first sight */
		struct objindex seen;
	} readers[PF_READERS];
	size_t nreaders;                /* readers meant (the stride), 0 none */
	size_t started;                 /* readers running: 0 .. started-1; the tasks of
					 * one that could not be started are read here */
	struct objindex seen_here;      /* as a reader's, for the tasks read here */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t consumed;                /* tasks the apply phase is done with */
	unsigned int readers_waiting;
	bool applier_waits;
	size_t wait_for;                /* the task it waits for */
};

static void pf_text(struct pf_proc *r, const char *text, size_t len, size_t *off)
{
	if (r->text_len + len + 1 > r->text_alloc) {
		r->text_alloc = (r->text_len + len + 1) * 2;
		r->text = xreallocarray(r->text, r->text_alloc, 1);
	}
	*off = r->text_len;
	memcpy(r->text + r->text_len, text, len);
	r->text[r->text_len + len] = '\0';
	r->text_len += len + 1;
}

/* The fill of a pipe or FIFO at the first fd a reader sees it at. The apply phase
 * makes its object at its first holder's fd (in process and fd order); that process's
 * reader met no holder before it either, so the fill is in that fd's record. */
static void pf_fill(struct objindex *seen, struct pf_fd *f, enum idx_space space, uint64_t a,
		    uint64_t ino, pid_t pid, int *pidfd)
{
	size_t any;

	if (objindex_get(seen, space, a, ino, &any) == 0)
		return;
	objindex_put(seen, space, a, ino, 0);
	f->fill = fill_read(pidfd, pid, f->fd, ino, &f->fill_cap, &f->fill_queued) == 0 ? FILL_READ
											   : FILL_UNKNOWN;
}

static void pf_read_fd(struct prefetch *pf, struct objindex *seen, struct pf_proc *r, pid_t pid,
		       const char *name, int fd, int *pidfd)
{
	char link[PATH_MAX + 1];
	uint64_t ino;

	if (r->nfds == r->fds_alloc) {
		r->fds_alloc = r->fds_alloc ? r->fds_alloc * 2 : 64;
		r->fds = xreallocarray(r->fds, r->fds_alloc, sizeof(*r->fds));
	}
	struct pf_fd *f = &r->fds[r->nfds++];

	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->acc_err = f->st_err = f->fi_err = -1;

	ssize_t n = readlinkat(r->fddir, name, link, sizeof(link) - 1);

	if (n < 0) {
		f->link_err = errno;
		return;
	}
	pf_text(r, link, (size_t)n, &f->link_off);
	f->link_len = (size_t)n;
	link[n] = '\0';
	if (strncmp(link, "pipe:[", 6) == 0) {
		struct stat st;

		if (!(pf->kinds & KIND_BIT(KIND_PIPE)) || link_inode(link, 6, &ino) < 0)
			return;
		if (fstatat(r->fddir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			f->acc_err = errno;
			return;
		}
		f->acc_err = 0;
		f->acc_mode = st.st_mode;
		pf_fill(seen, f, IDX_PIPE, 0, ino, pid, pidfd);
	} else if (link[0] == '/') {
		struct statx sx;

		if (statx(r->fddir, name, AT_STATX_DONT_SYNC, STAT_MASK, &sx) < 0) {
			f->st_err = errno;
			return;
		}
		f->st_err = 0;
		statx_to_stat(&sx, &f->st);
		if (S_ISFIFO(f->st.st_mode) && (pf->kinds & KIND_BIT(KIND_FIFO)))
			pf_fill(seen, f, IDX_FILE, f->st.st_dev, f->st.st_ino, pid, pidfd);
	} else if (strncmp(link, "anon_inode:", 11) == 0) {
		enum ipc_kind kind;
		char path[64];

		if (anon_kind(link + 11, &kind) < 0 || !(pf->kinds & KIND_BIT(kind)) ||
		    (kind == KIND_PIDFD && pid == pf->self))
			return;
		snprintf(path, sizeof(path), "%d/fdinfo/%s", (int)pid, name);
		f->fdinfo = read_file_at(pf->procfd, path, FDINFO_MAX, &f->fdinfo_len);
		f->fi_err = f->fdinfo ? 0 : errno ? errno : EIO;
	}
}

static void pf_read_fds(struct prefetch *pf, struct objindex *seen, struct pf_proc *r, pid_t pid)
{
	char path[32];
	union {
		char bytes[16384];
		struct linux_dirent64 align;
	} buf;
	int pidfd = -1;

	/* read with getdents64 into a buffer on the stack: no DIR to allocate, no fcntl of
	 * fdopendir's, for each of thousands of processes */
	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	r->fddir = openat(pf->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->fddir < 0) {
		r->dir_err = errno;
		return;
	}
	for (;;) {
		long n = syscall(SYS_getdents64, r->fddir, buf.bytes, sizeof(buf.bytes));

		if (n < 0)
			r->dir_err = errno;
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			const struct linux_dirent64 *de = (const void *)(buf.bytes + off);
			uint64_t fd;

			if (de->d_reclen == 0)
				break;
			off += de->d_reclen;
			if (de->d_name[0] != '.' && parse_u64(de->d_name, strlen(de->d_name), 10, &fd) == 0 &&
			    fd <= INT_MAX)
				pf_read_fd(pf, seen, r, pid, de->d_name, (int)fd, &pidfd);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
}

static uint64_t pf_ns(int procfd, pid_t pid, const char *ns)
{
	char path[40];
	struct stat st;

	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, ns);
	return fstatat(procfd, path, &st, 0) == 0 ? st.st_ino : 0;
}

/* Everything the apply phase needs of task i, into r. */
static void pf_read(struct prefetch *pf, struct objindex *seen, struct pf_proc *r, size_t i)
{
	const struct pf_task *t = &pf->tasks[i];
	char path[32];

	r->fddir = -1;
	r->dir_err = r->maps_err = r->status_err = 0;
	r->nfds = r->text_len = 0;
	r->maps = r->status = NULL;
	r->ns_ipc = t->ns_seen ? t->ns_ipc : pf_ns(pf->procfd, t->pid, "ipc");
	r->ns_mnt = t->ns_seen ? t->ns_mnt : pf_ns(pf->procfd, t->pid, "mnt");
	r->ns_net = pf->want_net ? pf_ns(pf->procfd, t->pid, "net") : 0;
	if (pf->want_fds)
		pf_read_fds(pf, seen, r, t->pid);
	if (pf->want_maps) {
		snprintf(path, sizeof(path), "%d/maps", (int)t->pid);
		r->maps = read_file_at(pf->procfd, path, MAPS_MAX, &r->maps_len);
		r->maps_err = r->maps ? 0 : errno ? errno : EIO;
	}
	if (pf->want_status) {
		snprintf(path, sizeof(path), "%d/status", (int)t->pid);
		r->status = read_file_at(pf->procfd, path, 1u << 20, &r->status_len);
		r->status_err = r->status ? 0 : errno ? errno : EIO;
	}
}

static struct pf_proc *pf_slot(struct prefetch *pf, size_t i)
{
	return i == pf->self_task ? &pf->slots[PF_AHEAD] : &pf->slots[i % PF_AHEAD];
}

static void *pf_reader(void *arg)
{
	struct pf_reader *rd = arg;
	struct prefetch *pf = rd->pf;

	for (size_t i = rd->first; i < pf->ntasks; i += pf->nreaders) {
		if (i == pf->self_task)
			continue;
		pthread_mutex_lock(&pf->lock);
		while (i >= pf->consumed + PF_AHEAD) {
			/* everything before i is read: what the applier waits for too */
			if (pf->applier_waits)
				pthread_cond_broadcast(&pf->cond);
			pf->readers_waiting++;
			pthread_cond_wait(&pf->cond, &pf->lock);
			pf->readers_waiting--;
		}
		pthread_mutex_unlock(&pf->lock);

		struct pf_proc *r = pf_slot(pf, i);

		pf_read(pf, &rd->seen, r, i);
		pthread_mutex_lock(&pf->lock);
		r->task = i + 1;
		if (pf->applier_waits && i >= pf->wait_for + PF_BATCH)
			pthread_cond_broadcast(&pf->cond);
		pthread_mutex_unlock(&pf->lock);
	}
	pthread_mutex_lock(&pf->lock);
	if (pf->applier_waits)          /* its last: nothing more will come from it */
		pthread_cond_broadcast(&pf->cond);
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

/* Readers keep up to PF_AHEAD processes' fd directories open, and each a pidfd, a
 * duplicate and a file it reads: under a low open-files limit they would meet EMFILE
 * and the processes' holders would be lost without a word. Read here, one at a time,
 * unless the limit leaves room for them several times over. */
static bool fds_for_readers(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	       rl.rlim_cur >= 4 * (PF_AHEAD + 1 + 3 * PF_READERS);
}

static void pf_start(struct prefetch *pf)
{
	size_t want = usable_cpus();

	for (size_t i = 0; i <= PF_AHEAD; i++)
		pf->slots[i].fddir = -1;
	for (size_t t = 0; t < PF_READERS; t++)
		objindex_init(&pf->readers[t].seen);
	objindex_init(&pf->seen_here);
	pf->nreaders = pf->started = 0;
	/* ipctop itself first, here, before a reader holds a pidfd or a duplicate of
	 * another process's pipe that its listing would show */
	if (pf->self_task != SIZE_MAX) {
		pf_read(pf, &pf->seen_here, pf_slot(pf, pf->self_task), pf->self_task);
		pf_slot(pf, pf->self_task)->task = pf->self_task + 1;
	}
	if (want < 2 || pf->ntasks < 2 || !fds_for_readers())
		return;
	if (want > PF_READERS)
		want = PF_READERS;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->cond, NULL);
	/* the stride is set before any reader starts and never changes */
	pf->nreaders = want;
	for (size_t t = 0; t < want; t++) {
		pf->readers[t].pf = pf;
		pf->readers[t].first = t;
	}
	while (pf->started < want &&
	       thread_start(&pf->readers[pf->started].thread, pf_reader, &pf->readers[pf->started]) == 0)
		pf->started++;
}

/* Task i's record, read by a reader (waited for) or here. */
static struct pf_proc *pf_get(struct prefetch *pf, size_t i)
{
	struct pf_proc *r = pf_slot(pf, i);

	if (i == pf->self_task)
		return r;
	if (!pf->nreaders || i % pf->nreaders >= pf->started) {
		pf_read(pf, &pf->seen_here, r, i);
		return r;
	}
	pthread_mutex_lock(&pf->lock);
	while (r->task != i + 1) {
		pf->applier_waits = true;
		pf->wait_for = i;
		pthread_cond_wait(&pf->cond, &pf->lock);
		pf->applier_waits = false;
	}
	pthread_mutex_unlock(&pf->lock);
	return r;
}

/* Done with task i's record: its slot is free again. */
static void pf_put(struct prefetch *pf, size_t i)
{
	struct pf_proc *r = pf_slot(pf, i);

	for (size_t k = 0; k < r->nfds; k++)
		free(r->fds[k].fdinfo);
	r->nfds = 0;
	free(r->maps);
	free(r->status);
	r->maps = r->status = NULL;
	if (r->fddir >= 0)
		close(r->fddir);
	r->fddir = -1;
	if (!pf->started)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->consumed = i + 1;
	if (pf->readers_waiting && (pf->consumed % PF_BATCH == 0 || pf->consumed == pf->ntasks))
		pthread_cond_broadcast(&pf->cond);
	pthread_mutex_unlock(&pf->lock);
}

static void pf_stop(struct prefetch *pf)
{
	for (size_t t = 0; t < pf->started; t++)
		pthread_join(pf->readers[t].thread, NULL);
	if (pf->nreaders) {
		pthread_cond_destroy(&pf->cond);
		pthread_mutex_destroy(&pf->lock);
	}
	for (size_t i = 0; i <= PF_AHEAD; i++) {
		free(pf->slots[i].fds);
		free(pf->slots[i].text);
	}
	for (size_t t = 0; t < PF_READERS; t++)
		objindex_free(&pf->readers[t].seen);
	objindex_free(&pf->seen_here);
}

/* ---- the apply phase ---- */

static void scan_fd(struct scan *sc, int fddir, const struct pf_fd *f, const char *link)
{
	char name[16];

	if (f->link_err) {
		/* ENOENT: closed meanwhile; a refusal means holders we cannot see */
		if (f->link_err == EACCES || f->link_err == EPERM)
			sc->denied = true;
		return;
	}
	snprintf(name, sizeof(name), "%d", f->fd);
	sc->cur = f;
	if (strncmp(link, "pipe:[", 6) == 0)
		scan_pipe(sc, fddir, name, f->fd, link);
	else if (strncmp(link, "socket:[", 8) == 0)
		scan_socket(sc, f->fd, link);
	else if (strncmp(link, "anon_inode:", 11) == 0)
		scan_anon(sc, name, f->fd, link + 11);
	else if (link[0] == '/')
		scan_path(sc, fddir, name, f->fd, link, f->link_len);
	sc->cur = NULL;
}

/* Returns 0, or -1 with errno when the process's fds could not be listed (those
 * listed before a failure are scanned). */
static int scan_fds(struct scan *sc, const struct pf_proc *r)
{
	for (size_t i = 0; i < r->nfds; i++)
		scan_fd(sc, r->fddir, &r->fds[i], r->fds[i].link_err ? "" : r->text + r->fds[i].link_off);
	if (r->dir_err) {
		errno = r->dir_err;
		return -1;
	}
	return 0;
}

/* The 8 hex digits of a /SYSV name against the segment's key. */
static bool sysv_key_matches(const char *hex, int32_t key)
{
	uint64_t v;

	return parse_u64(hex, 8, 16, &v) == 0 && (uint32_t)v == (uint32_t)key;
}

/* The object a mapping of a file not yet indexed makes, or NOT_IPC. */
static size_t map_object_new(struct scan *sc, const struct map_entry *m, enum map_class mc,
			     const char *name, size_t len)
{
	uint64_t dev = makedev(m->major, m->minor);
	struct stat st;
	size_t obj;
	struct ipc_object *o;

	switch (mc) {
	case MAPC_MEMFD:
		if (!(sc->kinds & KIND_BIT(KIND_MEMFD)))
			return NOT_IPC;
		obj = memfd_new(sc, dev, m->inode, name, len);
		if (stat_map_file(sc, m, &st) == 0)
			object_set_stat(&sc->snap->objects[obj], &st);
		return obj;
	case MAPC_SHARED_ANON:
		if (!(sc->kinds & KIND_BIT(KIND_SHARED_ANON)))
			return NOT_IPC;
		obj = object_new(sc, KIND_SHARED_ANON, m->inode);
		o = &sc->snap->objects[obj];
		o->dev = dev;
		if (len)
			object_set_name(o, name, len);
		objindex_put(&sc->ix, IDX_FILE, dev, m->inode, obj);
		return obj;
	case MAPC_SHARED_FILE: {
		if (!(sc->kinds & KIND_BIT(KIND_SHARED_FILE)))
			return NOT_IPC;
		/* /dev/shm files are POSIX shm and semaphores, collected or not */
		bool statted = !(sc->devshm_dev && dev == sc->devshm_dev) && stat_map_file(sc, m, &st) == 0;

		/* devices mapped shared (GPUs, frame buffers) are not files; without the right
		 * to stat map_files, FIXME: only those under /dev are known to be devices */
		if ((sc->devshm_dev && dev == sc->devshm_dev) || (statted && !S_ISREG(st.st_mode)) ||
		    (!statted && len >= 5 && memcmp(name, "/dev/", 5) == 0)) {
			objindex_put(&sc->ix, IDX_FILE, dev, m->inode, NOT_IPC);
			return NOT_IPC;
		}
		obj = object_new(sc, KIND_SHARED_FILE, m->inode);
		o = &sc->snap->objects[obj];
		if (statted)
			object_set_stat(o, &st);
		/* known by the device maps shows (on btrfs, stat's may differ) */
		o->dev = dev;
		object_set_name(o, name, len);
		/* maps writes a newline in a path as "\012" (and a backslash as is): where the
		 * path has one, the map_files link (root) gives the exact bytes */
		if (statted && memchr(name, '\\', len))
			map_file_name(sc, m, o);
		o->persistence = m->deleted ? PERSIST_PROCESS : PERSIST_FILESYSTEM;
		objindex_put(&sc->ix, IDX_FILE, dev, m->inode, obj);
		return obj;
	}
	default:
		return NOT_IPC;
	}
}

static int scan_maps(struct scan *sc, const struct pf_proc *r)
{
	const char *buf = r->maps;
	size_t len = r->maps_len;

	if (r->maps_err) {
		errno = r->maps_err;
		return -1;
	}
	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct map_entry m;
		size_t obj, nlen;
		const char *name;
		bool found = false;

		pos += n + 1;
		if (maps_parse_line(line, n, &m) < 0)
			continue;
		enum map_class mc = maps_classify(&m, &name, &nlen);

		/* a SysV segment: its inode is the shmid (0 is a valid one) */
		if (mc == MAPC_SYSV) {
			found = objindex_get(&sc->ix, IDX_SHMID, sc->ipc_ns, m.inode, &obj) == 0 &&
				(sysv_key_matches(m.path + 5, sc->snap->objects[obj].key) ||
				 /* removed while attached: its key is now IPC_PRIVATE */
				 (sc->snap->objects[obj].key == 0 && (sc->snap->objects[obj].mode & SHM_DEST)));
		} else if (m.inode == 0) {
			continue;
		} else {
			/* one lookup per file-backed mapping; an object only at first sight */
			if (objindex_get(&sc->ix, IDX_FILE, makedev(m.major, m.minor), m.inode, &obj) < 0)
				obj = map_object_new(sc, &m, mc, name, nlen);
			if (obj == NOT_IPC)
				continue;
			switch (sc->snap->objects[obj].kind) {
			case KIND_POSIX_SHM:
			case KIND_POSIX_SEM:
			case KIND_MEMFD:
				found = true;
				break;
			case KIND_SHARED_ANON:
			case KIND_SHARED_FILE:
				/* a private mapping of the file is a copy, not shared */
				found = m.shared;
				break;
			default:
				break;
			}
		}
		if (!found)
			continue;
		holder_add(sc->snap, obj, sc->pid, -1, m.start, m.end,
			   (m.read ? HOLD_READ : 0) | (m.write ? HOLD_WRITE : 0));

		struct ipc_object *o = &sc->snap->objects[obj];

		/* a shared anonymous region's file is as long as the mapping that made it */
		if (o->kind == KIND_SHARED_ANON && m.offset + (m.end - m.start) > o->size) {
			o->size = m.offset + (m.end - m.start);
			o->has_size = true;
		}
	}
	return 0;
}

static bool index_has_maps(const struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nobjects; i++)
		if (KIND_BIT(snap->objects[i].kind) & MAP_KINDS)
			return true;
	return false;
}

/* kcmp(2) of two descriptors' open file descriptions: 0 the same, else an order of
 * them the kernel keeps for the time of the scan; a descriptor that cannot be
 * compared (gone, not allowed) is ordered by pid and fd, and never the same. */
static int anon_cmp(const struct anon_ref *a, const struct anon_ref *b, bool *same)
{
	long r = syscall(SYS_kcmp, a->pid, b->pid, KCMP_FILE, a->fd, b->fd);

	*same = r == 0;
	if (r == 0 || r == 1 || r == 2)
		return r == 0 ? 0 : r == 1 ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

/* A merge sort: safe whatever the comparisons answer. */
static void anon_sort(struct anon_ref *a, struct anon_ref *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	bool same;

	anon_sort(a, tmp, h);
	anon_sort(a + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = anon_cmp(&a[j], &a[i], &same) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

static int anon_sig_cmp(const void *x, const void *y)
{
	const struct anon_ref *a = x, *b = y;

	if (a->sig != b->sig)
		return a->sig < b->sig ? -1 : 1;
	return (a->obj > b->obj) - (a->obj < b->obj);
}

/* Descriptors of one open file description (inherited through fork, passed over a
 * socket, dup'ed) are one object with several holders: among those that look alike,
 * kcmp tells which are the same; each is merged into the first. */
static void merge_shared_files(struct scan *sc)
{
	struct snapshot *snap = sc->snap;
	size_t *to = NULL;

	/* only descriptors kcmp can compare (their process alive, ptrace-readable), so
	 * that its answers order the rest consistently */
	size_t n = 0;

	for (size_t i = 0; i < sc->nanon; i++) {
		const struct anon_ref *r = &sc->anon[i];

		if (syscall(SYS_kcmp, r->pid, r->pid, KCMP_FILE, r->fd, r->fd) == 0)
			sc->anon[n++] = *r;
		else if (errno == ENOSYS)
			return;
	}
	sc->nanon = n;
	if (sc->nanon < 2)
		return;
	qsort(sc->anon, sc->nanon, sizeof(*sc->anon), anon_sig_cmp);

	struct anon_ref *tmp = xcalloc(sc->nanon, sizeof(*tmp));

	for (size_t i = 0, j; i < sc->nanon; i = j) {
		for (j = i + 1; j < sc->nanon && sc->anon[j].sig == sc->anon[i].sig; j++)
			;
		if (j - i < 2)
			continue;
		anon_sort(sc->anon + i, tmp, j - i);
		for (size_t k = i + 1, first = i; k < j; k++) {
			bool same;

			anon_cmp(&sc->anon[k - 1], &sc->anon[k], &same);
			if (!same) {
				first = k;
				continue;
			}
			if (!to) {
				to = xcalloc(snap->nobjects + 1, sizeof(*to));
				for (size_t o = 0; o < snap->nobjects; o++)
					to[o] = o;
			}
			/* into the one of them found first: indexes only go down */
			size_t a = sc->anon[first].obj, b = sc->anon[k].obj;

			if (b < a) {
				to[a] = b;
				sc->anon[first].obj = b;
			} else {
				to[b] = a;
			}
		}
	}
	free(tmp);
	if (to) {
		/* chains (a merged into b merged into c) resolve in index order */
		snapshot_merge_objects(snap, to);
		free(to);
	}
}

void proc_scan(struct snapshot *snap, unsigned int kinds)
{
	struct scan sc = { .snap = snap, .kinds = kinds };
	pid_t self = getpid();
	bool want_fds = (kinds & FD_KINDS) != 0;
	/* every process's maps cost time: read them only for kinds found there */
	bool want_maps = (kinds & MAP_FOUND_KINDS) || ((kinds & MAP_KINDS) && index_has_maps(snap));
	bool want_status = (kinds & KIND_BIT(KIND_SIGNAL)) != 0;

	if (!want_fds && !want_maps && !want_status)
		return;
	sc.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc.procfd < 0) {
		snapshot_note(snap, "/proc", _("cannot open: %s; holders unknown"), strerror(errno));
		return;
	}
	struct stat self_ns;
	uint64_t self_ns_ipc = stat("/proc/self/ns/ipc", &self_ns) == 0 ? self_ns.st_ino : 0;
	uint64_t self_ns_net = stat("/proc/self/ns/net", &self_ns) == 0 ? self_ns.st_ino : 0;
	struct stat devshm;

	sc.devshm_dev = stat("/dev/shm", &devshm) == 0 ? devshm.st_dev : 0;

	objindex_init(&sc.ix);
	/* the objects so far, and a guess at the pipes and other fd-only objects to come */
	objindex_reserve(&sc.ix, snap->nobjects + snap->nprocs * 4);
	sc.lock_next = xcalloc(snap->nobjects + 1, sizeof(*sc.lock_next));
	index_objects(&sc);

	struct prefetch pf = {
		.procfd = sc.procfd, .kinds = kinds, .want_fds = want_fds, .want_maps = want_maps,
		.want_status = want_status, .want_net = (kinds & KIND_BIT(KIND_UNIX)) != 0,
		.self = self, .ntasks = snap->nprocs, .self_task = SIZE_MAX,
	};
	struct pf_task *tasks = xcalloc(snap->nprocs + 1, sizeof(*tasks));

	for (size_t i = 0; i < snap->nprocs; i++) {
		/* the namespace discovery stat'ed the IPC and mount links a moment ago */
		const struct pid_ns *seen = snapshot_pid_ns(snap, snap->procs[i].pid);

		tasks[i].pid = snap->procs[i].pid;
		if (seen) {
			tasks[i].ns_seen = true;
			tasks[i].ns_ipc = seen->ipc;
			tasks[i].ns_mnt = seen->mnt;
		}
		if (tasks[i].pid == self)
			pf.self_task = i;
	}
	pf.tasks = tasks;
	pf_start(&pf);

	for (size_t i = 0; i < snap->nprocs; i++) {
		struct process *p = &snap->procs[i];
		bool denied = false;
		const struct pf_proc *r = pf_get(&pf, i);

		sc.pid = p->pid;
		sc.self = p->pid == self;
		sc.pidfd = -1;
		sc.denied = false;
		if (r->ns_ipc)
			p->ns_ipc = r->ns_ipc;
		if (r->ns_mnt)
			p->ns_mnt = r->ns_mnt;
		if (r->ns_net)
			p->ns_net = r->ns_net;
		/* sock_diag sees our network namespace: another's sockets are invisible (a
		 * kernel thread, with no namespace of its own to show, is no concern) */
		if ((kinds & KIND_BIT(KIND_UNIX)) && p->ns_net != self_ns_net &&
		    !(p->ns_net == 0 && p->ppid == 2) && p->pid != 2)
			snap->netns_other++;
		/* the segments of the process's IPC namespace (collected if it is ours or
		 * every namespace was) */
		sc.ipc_ns = p->ns_ipc ? p->ns_ipc : self_ns_ipc;
		/* ENOENT, ESRCH: the process exited meanwhile; nothing to say */
		if (want_fds && ((scan_fds(&sc, r) < 0 && (errno == EACCES || errno == EPERM ||
							  errno == EFBIG)) || sc.denied)) {
			snap->fds_unreadable++;
			denied = true;
		}
		if (want_maps && scan_maps(&sc, r) < 0 && (errno == EACCES || errno == EPERM ||
							   errno == EFBIG)) {
			snap->maps_unreadable++;
			denied = true;
		}
		if (want_status && scan_status(&sc, r) < 0 && (errno == EACCES || errno == EPERM))
			denied = true;
		if (denied) {
			p->unreadable = true;
			snap->procs_unreadable++;
		}
		if (sc.pidfd >= 0)
			close(sc.pidfd);
		pf_put(&pf, i);
	}
	pf_stop(&pf);
	free(tasks);
	merge_shared_files(&sc);
	snap->fds_scanned = want_fds;
	snap->maps_scanned = want_maps;
	snap->holders_scanned = true;
	objindex_free(&sc.ix);
	free(sc.lock_next);
	free(sc.anon);
	for (size_t i = 0; i < sc.nmounts; i++)
		if (sc.mounts[i].fd >= 0)
			close(sc.mounts[i].fd);
	free(sc.mountinfo);
	close(sc.procfd);
}
