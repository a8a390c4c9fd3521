/* Holders: every process's /proc/PID/fd links (with fdinfo where the kind needs it)
 * and /proc/PID/maps, each read once, joined to the collected objects by identity
 * through a hash index. Pipes, FIFOs and the fd-based event objects exist only as
 * open files, so they are created here as they are found. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
		snap->holders_alloc = snap->holders_alloc ? snap->holders_alloc * 2 : 256;
		snap->holders = xreallocarray(snap->holders, snap->holders_alloc, sizeof(*snap->holders));
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

	snprintf(path, sizeof(path), "%d/fdinfo/%s", (int)sc->pid, fd);
	char *buf = read_file_at(sc->procfd, path, FDINFO_MAX, &len);

	memset(fi, 0, sizeof(*fi));
	if (!buf)
		return -1;
	int rc = fdinfo_parse(buf, len, fi);

	free(buf);
	if (rc < 0)
		xalloc_die();
	return 0;
}

/* Our own descriptor for the process's fd: it shares the open file description, so
 * unlike opening /proc/PID/fd/N it adds no reader or writer to a pipe. Needs ptrace
 * rights over the process (root). */
static int dup_remote_fd(struct scan *sc, int fd)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	if (sc->pidfd == -1) {
		sc->pidfd = (int)syscall(SYS_pidfd_open, sc->pid, 0);
		if (sc->pidfd < 0)
			sc->pidfd = -2;
	}
	if (sc->pidfd < 0)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, sc->pidfd, fd, 0);
#else
	(void)sc;
	(void)fd;
	return -1;
#endif
}

/* Capacity and bytes queued of a pipe or FIFO, through a duplicate of the holder's fd. */
static void pipe_fill(struct scan *sc, size_t obj, int fd)
{
	int dup = dup_remote_fd(sc, fd);
	struct stat st;

	if (dup < 0)
		return;
	/* the fd may have been closed and its number reused since readlink */
	if (fstat(dup, &st) < 0 || !S_ISFIFO(st.st_mode) || st.st_ino != sc->snap->objects[obj].inode) {
		close(dup);
		return;
	}

	int cap = fcntl(dup, F_GETPIPE_SZ);
	int queued = 0;

	if (cap >= 0 && ioctl(dup, FIONREAD, &queued) == 0 && queued >= 0) {
		struct ipc_object *o = &sc->snap->objects[obj];

		o->max_size = (uint64_t)cap;
		o->size = (uint64_t)queued;
		o->has_fill = true;
	}
	close(dup);
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
static int link_access(struct scan *sc, int fddir, const char *name, unsigned int *access)
{
	struct stat st;

	if (fstatat(fddir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == EACCES || errno == EPERM)
			sc->denied = true;
		return -1;
	}
	*access = ((st.st_mode & S_IRUSR) ? HOLD_READ : 0) | ((st.st_mode & S_IWUSR) ? HOLD_WRITE : 0);
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

static void scan_anon(struct scan *sc, const char *name, int fd, const char *type)
{
	enum ipc_kind kind;
	struct fdinfo fi;

	if (strcmp(type, "[eventfd]") == 0)
		kind = KIND_EVENTFD;
	else if (strcmp(type, "[signalfd]") == 0)
		kind = KIND_SIGNALFD;
	else if (strcmp(type, "inotify") == 0)
		kind = KIND_INOTIFY;
	else if (strcmp(type, "[timerfd]") == 0)
		kind = KIND_TIMERFD;
	else if (strcmp(type, "[pidfd]") == 0)
		kind = KIND_PIDFD;
	else if (strcmp(type, "[eventpoll]") == 0)
		kind = KIND_EPOLL;
	else
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
static int scan_status(struct scan *sc)
{
	char path[32];
	size_t len;
	struct proc_status st;

	snprintf(path, sizeof(path), "%d/status", (int)sc->pid);
	char *buf = read_file_at(sc->procfd, path, 1u << 20, &len);

	if (!buf)
		return -1;
	status_parse(buf, len, &st);
	free(buf);
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

/* A directory entry as getdents64 returns it (glibc declares no such type). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void scan_fd(struct scan *sc, int fddir, const char *name)
{
	char link[PATH_MAX + 1];
	uint64_t fd;

	if (parse_u64(name, strlen(name), 10, &fd) < 0 || fd > INT_MAX)
		return;
	ssize_t n = readlinkat(fddir, name, link, sizeof(link) - 1);

	if (n < 0) {
		/* ENOENT: closed meanwhile; a refusal means holders we cannot see */
		if (errno == EACCES || errno == EPERM)
			sc->denied = true;
		return;
	}
	link[n] = '\0';
	if (strncmp(link, "pipe:[", 6) == 0)
		scan_pipe(sc, fddir, name, (int)fd, link);
	else if (strncmp(link, "socket:[", 8) == 0)
		scan_socket(sc, (int)fd, link);
	else if (strncmp(link, "anon_inode:", 11) == 0)
		scan_anon(sc, name, (int)fd, link + 11);
	else if (link[0] == '/')
		scan_path(sc, fddir, name, (int)fd, link, (size_t)n);
}

/* Returns 0, or -1 with errno when the process's fds cannot be listed. The directory
 * is read with getdents64 into a buffer on the stack: no DIR to allocate, no fcntl
 * of fdopendir's, for each of thousands of processes. */
static int scan_fds(struct scan *sc)
{
	char path[32];
	union {
		char bytes[16384];
		struct linux_dirent64 align;
	} buf;

	snprintf(path, sizeof(path), "%d/fd", (int)sc->pid);
	int fddir = openat(sc->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fddir < 0)
		return -1;
	for (;;) {
		long n = syscall(SYS_getdents64, fddir, buf.bytes, sizeof(buf.bytes));

		if (n < 0) {
			int err = errno;

			close(fddir);
			errno = err;
			return -1;
		}
		if (n == 0)
			break;
		for (long off = 0; off < n;) {
			const struct linux_dirent64 *de = (const void *)(buf.bytes + off);

			if (de->d_reclen == 0)
				break;
			off += de->d_reclen;
			if (de->d_name[0] != '.')
				scan_fd(sc, fddir, de->d_name);
		}
	}
	close(fddir);
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

static int scan_maps(struct scan *sc)
{
	char path[32];
	size_t len;

	snprintf(path, sizeof(path), "%d/maps", (int)sc->pid);
	char *buf = read_file_at(sc->procfd, path, MAPS_MAX, &len);

	if (!buf)
		return -1;
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
	free(buf);
	return 0;
}

/* The IPC, mount and network namespaces: three stats, where libproc2 would stat all
 * eight (two of them already made by the namespace discovery, when it ran). */
static void read_namespaces(struct scan *sc, struct process *p)
{
	char path[40];
	struct stat st;
	const struct pid_ns *seen = snapshot_pid_ns(sc->snap, p->pid);

	if (seen) {     /* the namespace discovery stat'ed them a moment ago */
		p->ns_ipc = seen->ipc;
		p->ns_mnt = seen->mnt;
	} else {
		snprintf(path, sizeof(path), "%d/ns/ipc", (int)p->pid);
		if (fstatat(sc->procfd, path, &st, 0) == 0)
			p->ns_ipc = st.st_ino;
		snprintf(path, sizeof(path), "%d/ns/mnt", (int)p->pid);
		if (fstatat(sc->procfd, path, &st, 0) == 0)
			p->ns_mnt = st.st_ino;
	}
	if (sc->kinds & KIND_BIT(KIND_UNIX)) {
		snprintf(path, sizeof(path), "%d/ns/net", (int)p->pid);
		if (fstatat(sc->procfd, path, &st, 0) == 0)
			p->ns_net = st.st_ino;
	}
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

	for (size_t i = 0; i < snap->nprocs; i++) {
		struct process *p = &snap->procs[i];
		bool denied = false;

		sc.pid = p->pid;
		sc.self = p->pid == self;
		sc.pidfd = -1;
		sc.denied = false;
		read_namespaces(&sc, p);
		/* sock_diag sees our network namespace: another's sockets are invisible (a
		 * kernel thread, with no namespace of its own to show, is no concern) */
		if ((kinds & KIND_BIT(KIND_UNIX)) && p->ns_net != self_ns_net &&
		    !(p->ns_net == 0 && p->ppid == 2) && p->pid != 2)
			snap->netns_other++;
		/* the segments of the process's IPC namespace (collected if it is ours or
		 * every namespace was) */
		sc.ipc_ns = p->ns_ipc ? p->ns_ipc : self_ns_ipc;
		/* ENOENT, ESRCH: the process exited meanwhile; nothing to say */
		if (want_fds && ((scan_fds(&sc) < 0 && (errno == EACCES || errno == EPERM ||
							errno == EFBIG)) || sc.denied)) {
			snap->fds_unreadable++;
			denied = true;
		}
		if (want_maps && scan_maps(&sc) < 0 && (errno == EACCES || errno == EPERM ||
							errno == EFBIG)) {
			snap->maps_unreadable++;
			denied = true;
		}
		if (want_status && scan_status(&sc) < 0 && (errno == EACCES || errno == EPERM))
			denied = true;
		if (denied) {
			p->unreadable = true;
			snap->procs_unreadable++;
		}
		if (sc.pidfd >= 0)
			close(sc.pidfd);
	}
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
