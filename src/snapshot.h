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
	KIND_COUNT
};

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
	unsigned int mode;      /* permission bits, plus SHM_DEST/SHM_LOCKED for SysV shm */

	/* times, 0 = never */
	int64_t time_a;         /* shm attach, msg send, sem op, file access */
	int64_t time_b;         /* shm detach, msg receive, file modify */
	int64_t time_c;         /* change */

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
	const char *cpid_comm, *lpid_comm, *notify_comm;

	/* POSIX mq notification */
	int notify;             /* SIGEV_* when notify_pid != 0 */
	int notify_signo;
	pid_t notify_pid;

	/* semaphores */
	int sem_value;          /* POSIX named semaphore value */
	int sem_waiters;        /* POSIX named semaphore waiters (glibc layout) */
	struct sem_value *sems; /* SysV: nsems entries, or NULL when unreadable */
	int ncnt_total, zcnt_total;
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

	unsigned int kinds_collected;  /* 1u << KIND_* for each family collected */
	bool mq_listed;                /* the mqueue filesystem could be listed */
};

struct snapshot *snapshot_new(void);
void snapshot_free(struct snapshot *snap);
struct ipc_object *snapshot_add(struct snapshot *snap, enum ipc_kind kind);
void snapshot_note(struct snapshot *snap, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ipc_limit *snapshot_limit(struct snapshot *snap, const char *name,
				 const char *description, const char *unit);
int object_set_name(struct ipc_object *obj, const char *name, size_t len);
struct stat;
/* Identity, owner, mode and times of an object backed by a file. */
void object_set_file(struct ipc_object *obj, const struct stat *st);

/* Collection options shared by the collectors. */
struct collect_opts {
	unsigned int kinds;     /* bit mask of 1u << KIND_* */
};

void snapshot_collect(struct snapshot *snap, const struct collect_opts *opts);

/* Collectors: one per kernel source. */
void sysv_msg_collect(struct snapshot *snap);
void sysv_shm_collect(struct snapshot *snap);
void sysv_sem_collect(struct snapshot *snap);
void posix_mq_collect(struct snapshot *snap);
void posix_shm_collect(struct snapshot *snap, bool shm, bool sem);
void limits_collect(struct snapshot *snap);
void procs_collect(struct snapshot *snap);
void snapshot_link(struct snapshot *snap);

/* The live process with this pid, or NULL. */
const struct process *snapshot_process(const struct snapshot *snap, pid_t pid);

#endif
