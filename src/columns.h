/* Object kinds and their columns, described once: batch headers, JSON keys,
 * --list-columns, --columns and --sort all read these tables. */
#ifndef IPCTOP_COLUMNS_H
#define IPCTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

enum col_type {
	CT_INT,       /* int field */
	CT_U64,       /* uint64_t field */
	CT_U32,       /* uint32_t field */
	CT_I64,       /* int64_t field */
	CT_PID,       /* pid_t field, 0 shown as none */
	CT_KEY,       /* SysV key: text 0x%08x, JSON unsigned */
	CT_NAME,      /* the object's name bytes */
	CT_USER,      /* uid_t field shown as a user name */
	CT_GROUP,     /* gid_t field shown as a group name */
	CT_ID,        /* uid_t/gid_t number */
	CT_MODE,      /* permission bits, octal */
	CT_PERMS,     /* permission bits, rwxrwxrwx */
	CT_TIME,      /* int64_t seconds since the epoch, 0 = never */
	CT_DEV,       /* uint64_t dev_t, major:minor */
	CT_FLAG,      /* bit of the mode field (mask in aux) */
	CT_PERSIST,   /* enum persistence */
	CT_NOTIFY,    /* POSIX mq notification method */
	CT_SEMS,      /* SysV per-semaphore values */
	CT_COMM,      /* const char * command name, NULL when the process is gone */
	CT_HOLDERS,   /* the object's holders (text: pid/command/fd+end, JSON: array) */
	CT_PEER_HOLDERS, /* the holders of a socket's peer */
	CT_STALE,     /* stale reason and since (JSON: object or null) */
	CT_SOCKTYPE,  /* int SOCK_* */
	CT_SOCKSTATE, /* int TCP_* state as UNIX sockets use it */
	CT_SIGSET,    /* uint64_t signal mask, bit n-1 = signal n */
	CT_CLOCK,     /* int clockid */
	CT_INODES,    /* a socket's pending connections (inode list) */
	CT_WATCHES,   /* inotify watches */
	CT_BOOLFIELD, /* bool field */
	CT_STRFIELD,  /* char array field */
	CT_OFFSET,    /* uint64_t file offset, UINT64_MAX shown as EOF */
	CT_STRPTR,    /* const char * field (any bytes but NUL), NULL shown as none */
	CT_PROTO,     /* int protocol: tcp, udp; a netlink socket's family (route, ...) */
	CT_TARGETS,   /* epoll's watched fds */
	CT_STRLIST,   /* struct strlist field: text comma-separated, JSON an array */
};

/* When a column's field is valid. */
enum col_cond {
	CC_ALWAYS,
	CC_CREATOR,   /* has_creator */
	CC_ATTR,      /* has_attr */
	CC_RSS,       /* has_rss */
	CC_VALUE,     /* has_value */
	CC_SEMS,      /* has_sems */
	CC_NOTIFY,    /* notify_pid != 0 */
	CC_STATUS,    /* has_status */
	CC_FILL,      /* has_fill */
	CC_PEER,      /* peer != 0 */
	CC_QUEUES,    /* has_queues and not listening */
	CC_LISTEN,    /* has_queues and listening */
	CC_NAMED,     /* name != NULL */
	CC_FILE,      /* file_inode != 0 */
	CC_SIGQ,      /* has_attr (SigQ read) */
	CC_REMOTE,    /* remote != NULL */
	CC_SIZE,      /* has_size */
	CC_STAT,      /* has_stat */
	CC_INODE,     /* inode != 0 */
	CC_DBUS_STATS,/* has_dbus_stats */
	CC_DBUS_RULES,/* has_dbus_rules */
	CC_NS,        /* ipc_ns != 0 */
};

struct column {
	const char *name;         /* JSON key and --columns/--sort name */
	const char *header;       /* text table header */
	enum col_type type;
	size_t offset;            /* of the field in struct ipc_object */
	enum col_cond cond;
	unsigned int aux;         /* CT_FLAG: the mode bit */
	const char *help;         /* untranslated, for --list-columns and the man page */
};

enum cell_type {
	CELL_NULL, CELL_INT, CELL_UINT, CELL_STR, CELL_BYTES, CELL_BOOL,
	CELL_SEMS,    /* obj's sems */
	CELL_HOLDERS, /* holders[0..n) */
	CELL_STALE,   /* obj's stale reason/since */
	CELL_SIGSET,  /* u is the mask */
	CELL_INODES,  /* obj's pending */
	CELL_WATCHES, /* obj's watches */
	CELL_TARGETS, /* obj's epoll targets */
	CELL_STRLIST, /* list */
};

/* A column's value for one object, before formatting. */
struct cell {
	enum cell_type type;
	int64_t i;
	uint64_t u;
	const char *s;            /* CELL_STR, CELL_BYTES; not owned */
	size_t len;
	bool b;
	bool by_u;                /* CELL_STR that sorts by u (a device number) */
	const struct ipc_object *obj; /* CELL_SEMS, CELL_STALE, CELL_INODES, CELL_WATCHES,
				       * CELL_TARGETS */
	const struct strlist *list;   /* CELL_STRLIST */
	const struct holder *holders; /* CELL_HOLDERS */
	size_t nholders;
	char buf[32];             /* storage for short formatted strings */
};

struct kind_class {
	const char *name;         /* JSON "kind" and --only name */
	const char *title;        /* untranslated section title */
	const char *short_title;  /* untranslated, for summaries */
	const int *columns;       /* all columns, in order, ending with -1 */
	const int *defaults;      /* shown in text by default, ending with -1 */
	int default_sort;         /* column index */
};

/* Name of a signal without "SIG" ("USR1", "RT3"), or NULL outside 1..64. */
const char *signal_name(int signo, char *buf, size_t len);
const char *sock_type_name(int type);
const char *sock_state_name(int state);
const char *clock_name(int clockid);
/* "route", "sock_diag", "kobject_uevent", ... or NULL. */
const char *netlink_protocol_name(int protocol);
/* "r", "w", "rw" or "-". */
const char *access_name(unsigned int access);
/* "master", "slave", or NULL for no end. */
const char *end_name(enum holder_end role);

extern const struct column columns[];
extern const size_t ncolumns;
extern const struct kind_class kind_classes[KIND_COUNT];

int column_by_name(const char *name);
/* The column of this kind with that name, or -1. */
int kind_column_by_name(enum ipc_kind kind, const char *name);
bool kind_has_column(enum ipc_kind kind, int col);
void column_value(int col, const struct ipc_object *obj, struct cell *out);
int cell_compare(const struct cell *a, const struct cell *b);
/* Whether a column's values have an order (--sort). */
bool column_sortable(int col);
int kind_by_name(const char *name);
const char *persistence_name(enum persistence p);

/* Whether the process takes part in the object: holds or maps it, or the kernel
 * recorded it as creator, last user, notified process or last operator. */
bool object_involves(const struct ipc_object *o, pid_t pid);

/* Objects of one kind, sorted by sort_col (a column of that kind, or -1 for the
 * kind's default order); with npids > 0 only those involving one of pids.
 * Returns a malloc'd array. */
const struct ipc_object **kind_rows(const struct snapshot *snap, enum ipc_kind kind,
				    int sort_col, bool reverse, const pid_t *pids, size_t npids,
				    size_t *n);

#endif
