/* The snapshot: plain data filled by the collectors, read by the renderers. */
#ifndef IPCTOP_SNAPSHOT_H
#define IPCTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum ipc_kind {
	KIND_SYSV_MSG,
	KIND_SYSV_SHM,
	KIND_SYSV_SEM,
	KIND_POSIX_MQ,
	KIND_POSIX_SHM,
	KIND_POSIX_SEM,
	KIND_PIPE,              /* anonymous pipes */
	KIND_FIFO,              /* named pipes */
	KIND_UNIX,              /* UNIX domain sockets */
	KIND_EVENTFD,
	KIND_SIGNALFD,
	KIND_INOTIFY,
	KIND_TIMERFD,
	KIND_PIDFD,
	KIND_SIGNAL,            /* a process's signals in flight */
	KIND_LOCK,              /* file locks, /proc/locks */
	KIND_INET,              /* TCP and UDP sockets between processes of this machine */
	KIND_NETLINK,           /* netlink sockets */
	KIND_EPOLL,             /* epoll instances */
	KIND_PTY,               /* pseudo-terminal pairs, by index */
	KIND_MEMFD,
	KIND_SHARED_ANON,       /* MAP_SHARED | MAP_ANONYMOUS regions */
	KIND_SHARED_FILE,       /* MAP_SHARED mappings of ordinary files */
	KIND_DBUS,              /* connections to a D-Bus bus */
	KIND_COUNT
};

#define KIND_BIT(k) (1u << (k))
/* Kinds that live in an IPC namespace (POSIX shm/sem: in a mount namespace's /dev/shm,
 * attributed to the IPC namespace of the processes that see it). The others carry
 * their holders' namespace (link phase), which limits and removal do not go by. */
#define NS_KINDS (KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM) | \
		  KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM))
#define UNIX_STATE_NO_SOCKET 0  /* below every TCP_* state */
#define EFD_MODE_SEMAPHORE 1u

enum persistence {
	PERSIST_PROCESS,
	PERSIST_KERNEL,
	PERSIST_FILESYSTEM,
};

/* One semaphore of a SysV set. */
struct sem_value {
	int value;
	int ncnt;   /* processes waiting for the value to increase */
	int zcnt;   /* processes waiting for the value to become zero */
	pid_t pid;  /* last process that operated on it */
};

/* Access through a holder: from the fd's flags or the mapping's perms. */
#define HOLD_READ  1u
#define HOLD_WRITE 2u

/* Which end of a two-ended object a holder has (the pipe-like ends go by access). */
enum holder_end {
	END_NONE,
	END_MASTER,             /* a pty's master (ptmx) */
	END_SLAVE,              /* a pty's slave (/dev/pts/N) */
};

/* A process holding an object: by a file descriptor, or by a mapping. */
struct holder {
	size_t object;          /* index in snapshot.objects */
	pid_t pid;
	int fd;                 /* -1 for a mapping */
	uint64_t start, end;    /* mapping address range */
	unsigned int access;    /* HOLD_READ | HOLD_WRITE */
	enum holder_end role;
};

/* A list of strings (malloc'd). */
struct strlist {
	char **v;
	size_t n;
};

/* A D-Bus bus ipctop found (link phase joins its connections to their sockets). */
struct dbus_bus {
	char *label;            /* "system", "session:UID", or the address given */
	char *address;          /* the D-Bus address connected to */
	char *path;             /* the listening socket's name ('@' abstract), NULL unknown */
	uint64_t listen_inode;  /* the listening socket, 0 unknown */
	pid_t daemon_pids[4];   /* processes holding it: dbus-daemon, dbus-broker(-launch) */
	size_t ndaemons;
	uid_t owner;            /* the daemon's user: whom ipctop authenticates as */
	bool has_owner;
	bool as_owner;          /* ipctop switched to the owner's uid to connect */
	bool reached;           /* the bus answered */
	bool absent;            /* the system bus's socket does not exist */
	char *error;            /* why not (translated), NULL when reached */
	bool stats;             /* org.freedesktop.DBus.Debug.Stats answered */
	char *stats_error;      /* why it did not, NULL unknown */
	struct strlist activatable;     /* activatable names no connection owns */
	size_t nconns;
	size_t bad;             /* records of the report that did not read */
};

/* One inotify watch of an inotify instance. */
struct watch {
	int wd;
	uint64_t inode;
	uint64_t dev;           /* dev_t (already decoded from the kernel's major<<20|minor) */
	uint32_t mask;
	char *path;             /* the watched file, as ipctop's mount namespace reaches it;
				 * NULL when it cannot be resolved */
};

/* One fd an epoll instance watches. */
struct epoll_watch {
	int fd;                 /* in the process that added it */
	uint32_t events;        /* EPOLL* bits */
	uint64_t inode;         /* the watched file's, 0 unknown (older kernels) */
	uint64_t dev;           /* dev_t (decoded from the kernel's major<<20|minor) */
};

/* A flat record for every kind: fields a kind lacks stay zero/unset.
 * Columns address fields by offset, so every field is a plain scalar. */
struct ipc_object {
	enum ipc_kind kind;
	enum persistence persistence;

	/* identity */
	int32_t key;            /* SysV key_t */
	int id;                 /* SysV id */
	char *name;             /* POSIX name without the leading '/' (any bytes but NUL) */
	size_t name_len;
	uint64_t inode;
	uint64_t dev;           /* st_dev of the backing file, 0 if none */

	/* ownership */
	uid_t uid, cuid;
	gid_t gid, cgid;
	bool has_creator;
	unsigned int mode;      /* permission bits, plus SHM_DEST/SHM_LOCKED for SysV shm;
				 * for an eventfd, EFD_MODE_SEMAPHORE */

	/* times, 0 = never */
	int64_t time_a;         /* shm attach, msg send, sem op, file access */
	int64_t time_b;         /* shm detach, msg receive, file modify */
	int64_t time_c;         /* change */
	long time_c_nsec;       /* ... its nanoseconds, for a file: part of its identity */

	/* pids the kernel records */
	pid_t cpid, lpid;       /* shm creator / last shmat-shmdt; msg last send / last receive */

	/* usage */
	uint64_t size;          /* shm size, mq bytes queued, msg bytes queued, file size */
	uint64_t max_size;      /* msg queue max bytes (msg_qbytes), mq max message size */
	uint64_t count;         /* msg/mq messages, shm nattch, sem nsems */
	uint64_t max_count;     /* mq max messages */
	uint64_t rss, swap;     /* SysV shm resident and swapped bytes */
	uint64_t allocated;     /* bytes of memory a /dev/shm file occupies */
	bool has_rss;
	bool has_attr;          /* msgctl/mq_getattr attributes could be read */
	bool has_sems;          /* SysV semaphore values could be read */
	bool has_status;        /* the POSIX mq file's QSIZE/NOTIFY line could be read */
	bool has_value;         /* POSIX semaphore value could be read */

	/* commands of the pids above, from the process table (link phase); NULL if gone */
	const char *cpid_comm, *lpid_comm;

	/* pipes and FIFOs: capacity in max_size, bytes queued in size when has_fill */
	bool has_fill;
	int readers, writers;   /* holders with each end open */

	/* memfd and shared mappings: size when has_size, owner, mode and times when has_stat */
	bool has_size, has_stat;

	/* sockets (and D-Bus connections: the daemon's end of theirs) */
	uint64_t peer;          /* peer socket inode, 0 none */
	const struct ipc_object *peer_obj; /* the peer, when it was collected (link phase) */

	/* What only some kinds have shares the same memory: a snapshot holds tens of
	 * thousands of objects. Read a member only for the kinds it names (snapshot_add
	 * zeroes all of it; snapshot_free frees its pointers by kind). */
	union {
		/* KIND_POSIX_MQ, KIND_POSIX_SEM, KIND_SYSV_SEM */
		struct {
			/* POSIX mq notification */
			int notify;             /* SIGEV_* when notify_pid != 0 */
			int notify_signo;
			pid_t notify_pid;
			const char *notify_comm;/* its command (link phase) */

			/* semaphores */
			int sem_value;          /* POSIX named semaphore value */
			int sem_waiters;        /* POSIX named semaphore waiters (glibc layout) */
			struct sem_value *sems; /* SysV: nsems entries, or NULL when unreadable */
			int ncnt_total, zcnt_total;
		};

		/* KIND_UNIX, KIND_INET, KIND_NETLINK: sockets. For UNIX ones inode is the
		 * socket's and name the bound path, or '@' + abstract name; for TCP and UDP
		 * name is the local endpoint, "127.0.0.1:80". */
		struct {
			int sock_type;          /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
			int sock_state;         /* TCP_ESTABLISHED (1), TCP_LISTEN (10), TCP_CLOSE (7), ...;
						 * UNIX_STATE_NO_SOCKET for a socket file nothing is bound to */
			int shutdown;           /* 1 receiving shut, 2 sending shut (sock_diag's bits), -1 unknown */
			bool abstract;          /* the name is abstract: '@' stands for the kernel's leading NUL */
			bool has_queues;
			uint64_t file_inode;    /* the bound file's inode and device, 0 if not bound to a file */
			uint64_t file_dev;      /* dev_t */
			uint32_t rqueue, wqueue;/* unread bytes (dgram: the first datagram's size) and send
						 * memory in use; listeners: pending connections and backlog */
			uint64_t *pending;      /* listeners: inodes of connections not yet accepted */
			size_t npending;

			int protocol;           /* IPPROTO_TCP, IPPROTO_UDP; netlink: NETLINK_ROUTE, ... */
			char *remote;           /* TCP/UDP: the remote endpoint, NULL when unconnected */
			uint32_t portid;        /* netlink: the socket's port id (0: the kernel's) */
			uint32_t dst_portid;    /* netlink: where it sends by default (0: the kernel) */
			uint32_t dst_group;

			/* KIND_UNIX: the D-Bus connection on this socket (either end), e.g.
			 * ":1.42 org.example.Foo" (link phase), NULL none */
			char *bus_name;
		};

		/* KIND_EVENTFD, KIND_SIGNALFD, KIND_TIMERFD, KIND_PIDFD, KIND_INOTIFY: fd-based
		 * event mechanisms (one object per open file description) */
		struct {
			uint64_t counter;       /* eventfd count, timerfd ticks */
			uint64_t sigmask;       /* signalfd mask, bit n-1 = signal n */
			int clockid;            /* timerfd */
			pid_t target_pid;       /* pidfd: the process it refers to (-1 gone) */
			int64_t value_ns, interval_ns;  /* timerfd: time to next expiry, period */
			const char *target_comm;/* its command (link phase) */
			struct watch *watches;  /* inotify */
			size_t nwatches;
		};

		/* KIND_SIGNAL: signals of a process (cpid), masks with bit n-1 = signal n */
		struct {
			uint64_t sig_pending, sig_shared, sig_blocked, sig_ignored, sig_caught;
			uint64_t sigq, sigq_limit;      /* signals queued for the user, RLIMIT_SIGPENDING */
		};

		/* KIND_LOCK: cpid holds it or waits for it; inode/dev of the file; name its path */
		struct {
			char lock_type[12];     /* FLOCK, POSIX, OFDLCK, LEASE, ... */
			char lock_access[8];    /* READ, WRITE, ... */
			bool lock_mandatory;
			bool lock_waiting;      /* blocked, waiting for lock lock_num */
			unsigned int lock_num;
			uint64_t lock_start, lock_end;  /* byte range, end UINT64_MAX = to end of file */
		};

		/* KIND_EPOLL: the watched fds (count is ntargets); KIND_PTY: id is the index,
		 * masters and slaves count the holders of each end (link phase) */
		struct {
			struct epoll_watch *targets;
			size_t ntargets;
			int masters, slaves;
		};

		/* KIND_DBUS: D-Bus connections: name is the unique name (":1.42"), cpid the
		 * process behind it (cpid_comm), uid its user when has_attr; inode the socket
		 * it holds to the bus and peer the daemon's end of it (link phase, 0 unknown),
		 * holders the holders of that socket; count the sockets that pid holds to
		 * the bus's daemon */
		struct {
			const struct dbus_bus *bus;
			const char *dbus_label;         /* the bus's label */
			size_t bus_index;
			struct strlist dbus_names;      /* well-known names it owns */
			struct strlist dbus_queued;     /* names it is queued for */
			struct strlist dbus_rules;      /* its match rules (has_dbus_rules) */
			bool has_dbus_stats, has_dbus_rules;
			uint32_t dbus_match_rules, dbus_in_messages, dbus_out_messages;
			uint32_t dbus_in_bytes, dbus_out_bytes;
		};
	};

	/* holders (link phase): a slice of snapshot.holders */
	struct holder *holders;
	size_t nholders;

	/* IPC namespace (SysV and POSIX kinds, NS_KINDS): the inode of its ns/ipc, 0
	 * unknown; POSIX shm/sem files of another mount namespace's /dev/shm were found
	 * through /proc/via_pid/root (0: ours). The other kinds: their holders' (or
	 * process's) when all are in one, else 0 (link phase). */
	uint64_t ipc_ns;
	pid_t via_pid;
	const char *container;  /* its namespace's (link phase), NULL none */

	/* classify */
	bool stale;
	const char *stale_reason;   /* untranslated, static (or stale_text) */
	char *stale_text;           /* a reason made for this object (malloc'd), or NULL */
	int64_t stale_since;        /* time the object was last seen used, 0 unknown */
};

struct note {
	char *source;           /* what could not be read, e.g. "/dev/mqueue" */
	char *message;          /* why, already translated */
};

/* A system limit and its current use. */
struct ipc_limit {
	const char *name;       /* stable identifier, e.g. "msgmni" */
	const char *description;/* untranslated; translate when shown */
	const char *unit;       /* "bytes", "pages", "" */
	bool has_limit, has_used;
	uint64_t limit, used;
};

#define LIMITS_MAX 24

/* A process, as libproc2 sees it. */
struct process {
	pid_t pid, ppid;
	uid_t euid;
	char state;
	char *comm;             /* command name (may hold any byte but NUL) */
	char *cmdline;          /* arguments joined by spaces, NULL if none or not read */
	uint64_t ns_ipc, ns_mnt;/* namespace inodes, 0 unknown */
	uint64_t ns_net;
	int64_t start_time;     /* seconds since the epoch (whole), 0 unknown: pid reuse checks */
	bool unreadable;        /* fds or maps could not be read (EACCES) */
};

/* An IPC namespace some process is in (src/namespaces.c). */
struct ipc_namespace {
	uint64_t ino;           /* the inode of /proc/PID/ns/ipc */
	pid_t pid;              /* a process in it (the first found) */
	size_t nprocs;          /* processes in it */
	bool own;               /* ipctop's own */
	bool collected;         /* its SysV objects and POSIX queues were read */
	char *container;        /* "docker:0123456789ab", from a process's cgroup; NULL none */
};

struct snapshot {
	struct timespec taken;  /* CLOCK_REALTIME when collection started */
	char hostname[256];

	struct ipc_object *objects;
	size_t nobjects, objects_alloc;

	struct ipc_limit limits[LIMITS_MAX];
	size_t nlimits;

	struct note *notes;
	size_t nnotes;

	struct process *procs;         /* sorted by pid */
	size_t nprocs;
	size_t procs_unreadable;       /* processes whose fds/maps could not be read */
	int64_t boot_time;             /* seconds since the epoch, 0 unknown */
	bool holders_scanned;          /* the process scan ran */
	bool fds_scanned, maps_scanned;/* ... and read every readable process's fds, maps */
	size_t fds_unreadable, maps_unreadable;

	struct holder *holders;        /* sorted by object, then pid, fd, address */
	size_t nholders, holders_alloc;

	/* link phase: object indexes grouped by kind (those of kind k are
	 * by_kind[kind_first[k] .. kind_first[k + 1])), so a view of a few kinds does not
	 * walk every object; classify: how many look stale */
	size_t *by_kind;
	size_t kind_first[KIND_COUNT + 1];
	size_t nstale;

	unsigned int kinds_collected;  /* 1u << KIND_* for each family collected */
	bool mq_listed;                /* the mqueue filesystem could be listed */
	bool unix_files_listed;        /* socket files were matched to bound sockets */
	size_t netns_other;            /* processes in another network namespace, or one
					* that could not be read: their sockets are not seen */

	/* D-Bus: the buses found, reached or not (their connections are KIND_DBUS
	 * objects); dbus_supported: ipctop was built with sd-bus */
	struct dbus_bus *dbus_buses;
	size_t ndbus_buses;
	bool dbus_supported;
	struct ipc_namespace *namespaces;  /* sorted by inode; ours too */
	size_t nnamespaces;
	/* the IPC and mount namespaces of each process as the namespace discovery saw them
	 * (sorted by pid), so the process scan need not stat them again */
	struct pid_ns { pid_t pid; uint64_t ipc, mnt; } *pid_ns;
	size_t npid_ns;
	uint64_t own_ipc_ns;           /* ipctop's IPC namespace inode, 0 unknown */
};

struct snapshot *snapshot_new(void);
void snapshot_free(struct snapshot *snap);
struct ipc_object *snapshot_add(struct snapshot *snap, enum ipc_kind kind);
void snapshot_note(struct snapshot *snap, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ipc_limit *snapshot_limit(struct snapshot *snap, const char *name,
				 const char *description, const char *unit);
int object_set_name(struct ipc_object *obj, const char *name, size_t len);
/* Free what the object owns (not the object). */
void object_free(struct ipc_object *o);
/* Drop the objects from index n on (those a failed collection added). */
void snapshot_truncate(struct snapshot *snap, size_t n);
struct stat;
/* Identity, owner, mode and times of an object backed by a file. */
void object_set_file(struct ipc_object *obj, const struct stat *st);

/* Collection options shared by the collectors. */
struct collect_opts {
	unsigned int kinds;     /* bit mask of 1u << KIND_* */
	const pid_t *pids;      /* --pid: processes whose command lines are read */
	size_t npids;
	const char *dbus_address;       /* --dbus-address: a bus to read besides those found */
	bool all_namespaces;    /* every IPC namespace in use, not only ours (root) */
	const char *ns_only;    /* --namespace: only the objects of this IPC namespace (its
				 * inode, or its container: "docker:ID", "ID" or "NAME"), NULL all */
};

void snapshot_collect(struct snapshot *snap, const struct collect_opts *opts);

/* Collectors: one per kernel source. */
void sysv_msg_collect(struct snapshot *snap);
void sysv_shm_collect(struct snapshot *snap);
void sysv_sem_collect(struct snapshot *snap);
/* The same for IPC namespace ns, which the calling thread has joined (setns). */
void sysv_msg_collect_ns(struct snapshot *snap, uint64_t ns);
void sysv_shm_collect_ns(struct snapshot *snap, uint64_t ns);
void sysv_sem_collect_ns(struct snapshot *snap, uint64_t ns);
/* The same from a descriptor of /proc/sysvipc/{msg,shm,sem} opened in IPC namespace ns
 * by a child that joined it, when this thread cannot (msgctl/semctl, which address the
 * caller's namespace, are not asked: byte limits and values unknown); fd is closed. */
void sysv_msg_collect_fd(struct snapshot *snap, int fd, uint64_t ns);
void sysv_shm_collect_fd(struct snapshot *snap, int fd, uint64_t ns);
void sysv_sem_collect_fd(struct snapshot *snap, int fd, uint64_t ns);
void posix_mq_collect(struct snapshot *snap);
/* The queues of the mqueue filesystem whose root is this descriptor (IPC namespace ns). */
void posix_mq_collect_root(struct snapshot *snap, int root, uint64_t ns);
/* The /dev/shm files of another mount namespace, through /proc/PID/root/dev/shm. */
void posix_shm_collect_dir(struct snapshot *snap, const char *dir, uint64_t ns, pid_t via_pid,
			   bool shm, bool sem);
/* A directory descriptor on the mqueue filesystem the collector lists (/dev/mqueue, or
 * a detached private mount, read-write when writable), or -1 with *err set. */
int posix_mq_root(bool writable, int *err);
/* A detached private mount of the mqueue filesystem of the caller's IPC namespace
 * (fsopen/fsmount), or -1 with *err set. Only system calls: safe in a forked child. */
int posix_mq_private_mount(bool writable, int *err);
void posix_shm_collect(struct snapshot *snap, bool shm, bool sem);
void unix_collect(struct snapshot *snap);
/* TCP and UDP sockets whose other end is on this machine (loopback, or both ends found
 * in the dump), and listeners bound to loopback. */
void inet_collect(struct snapshot *snap);
/* Whether a UNIX socket is bound to the file with this device and inode now: 1, 0, or
 * -1 with errno when sock_diag cannot tell. */
int unix_file_bound(uint64_t dev, uint64_t ino);
void netlink_collect(struct snapshot *snap);
/* The file the UNIX socket with this inode is bound to (0, 0 when none), asked of
 * sock_diag for that one socket. 0, ENOENT when there is no such socket, or an errno. */
int unix_socket_file(uint64_t inode, uint64_t *dev, uint64_t *file_inode);
void limits_collect(struct snapshot *snap);
void locks_collect(struct snapshot *snap);
/* The process table; command lines only of pids[0..npids). */
void procs_collect(struct snapshot *snap, const pid_t *pids, size_t npids);
/* Holders of the collected objects, and the fd-only objects, from every process. */
void proc_scan(struct snapshot *snap, unsigned int kinds);
/* D-Bus buses found through the UNIX sockets their daemons listen on (and the system
 * bus's standard socket, and extra), their connections as KIND_DBUS objects. After the
 * process scan, before the link phase. */
void dbus_collect(struct snapshot *snap, const char *extra);
/* Link phase: each connection joined to its socket, each socket given its bus name. */
void dbus_link(struct snapshot *snap);
/* IPC namespaces: every one some process is in, with its container (namespaces.c);
 * all false: only ours (nothing of /proc is walked). */
void ns_discover(struct snapshot *snap, bool all);
/* The SysV objects and POSIX queues (and /dev/shm files of other mount namespaces) of
 * every namespace ns_discover found other than ours, read joined to each. */
void ns_collect(struct snapshot *snap, unsigned int kinds);
/* The namespace a --namespace value names (inode, container or its id/name), or NULL;
 * matches: how many namespaces it names (a container's processes in several: NULL). */
const struct ipc_namespace *snapshot_namespace_named(const struct snapshot *snap, const char *name,
						    size_t *matches);
/* A process's IPC and mount namespaces as the discovery saw them, or NULL. */
const struct pid_ns *snapshot_pid_ns(const struct snapshot *snap, pid_t pid);
/* Before the link phase: objects dropped (to[i] == SIZE_MAX), merged into an earlier
 * one (to[i] < i: its holders become that one's) or kept (to[i] == i); the rest moves
 * down, holders follow. to is overwritten with the new indexes. */
void snapshot_merge_objects(struct snapshot *snap, size_t *to);
/* Moves src's objects to the end of dst, and its notes into dst's at position at
 * (where they would be had its collector run on dst then); src is left empty. */
void snapshot_absorb(struct snapshot *dst, struct snapshot *src, size_t at);
/* Whether an object is of IPC namespace ns: for SysV and POSIX kinds, it is in it;
 * for the others, a process in it holds the object (or is the process of a signal,
 * lock or D-Bus connection); an object with no holder seen, only of ipctop's own. */
bool object_in_namespace(const struct snapshot *snap, const struct ipc_object *o, uint64_t ns);
/* The namespace with this inode, or NULL. */
const struct ipc_namespace *snapshot_namespace(const struct snapshot *snap, uint64_t ino);
/* A descriptor of /proc/PID/ns/ipc of a live process in the IPC namespace ino (checked
 * to be it), or -1 with errno. */
int ns_open(uint64_t ino, pid_t hint);
/* ipctop's IPC namespace inode, 0 unknown. */
uint64_t ns_own_ipc(void);
/* A detached mount of the mqueue filesystem of IPC namespace ino, made by a child that
 * joins it, or -1 with *err set. */
int ns_mqueue_root(uint64_t ino, bool writable, int *err);
void snapshot_link(struct snapshot *snap);
/* Derived facts: stale objects and why. */
void snapshot_classify(struct snapshot *snap);
/* Whether the snapshot could judge objects of this kind stale (what the stale rules need
 * was fully read); false for the kinds never judged. */
bool snapshot_stale_judged(const struct snapshot *snap, enum ipc_kind kind);

/* A process's arguments joined by spaces (raw bytes, malloc'd), NULL when there
 * are none (kernel threads, zombies) or it is gone. */
char *proc_cmdline(pid_t pid);

/* The live process with this pid, or NULL. */
const struct process *snapshot_process(const struct snapshot *snap, pid_t pid);
/* The same, only if it was already running at time t (seconds since the epoch; 0 =
 * any time): a pid recorded at t and now used by a younger process is not it. */
const struct process *snapshot_process_at(const struct snapshot *snap, pid_t pid, int64_t t);

#endif
