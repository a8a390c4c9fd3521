/* The full-screen program's panes and the queries behind them: which objects a pane
 * shows, in which order, which match a search, and how an object is recognised from one
 * snapshot to the next. No curses here, so all of it is unit-tested. */
#ifndef IPCTOP_PANES_H
#define IPCTOP_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snapshot.h"

enum pane_id {
	PANE_PIPES,             /* pipes and FIFOs */
	PANE_UNIX,
	PANE_POSIX_MQ,
	PANE_SYSV_MSG,
	PANE_POSIX_SHM,
	PANE_SYSV_SHM,
	PANE_SEMS,              /* POSIX and SysV semaphores */
	PANE_EVENTS,            /* eventfd, signalfd, inotify, timerfd, pidfd, epoll, pty */
	PANE_SIGNALS,
	PANE_LOCKS,
	PANE_NET,               /* local TCP/UDP and netlink sockets */
	PANE_MAPS,              /* memfd, shared anonymous and file mappings */
	PANE_DBUS,              /* D-Bus connections */
	PANE_PROCS,             /* one row per process */
	PANE_COUNT
};

struct pane_class {
	const char *title;      /* untranslated tab title */
	int key;                /* the key that selects it */
	unsigned int kinds;     /* KIND_BIT()s of the objects it lists; 0 for processes */
};

extern const struct pane_class pane_classes[PANE_COUNT];

#define PANE_MAX_COLUMNS 64

/* The pane's column names: the union of its kinds' defaults (all == false) or of all
 * their columns, in order, each name once. Returns the count. */
size_t pane_columns(enum pane_id pane, bool all, const char **names, size_t max);

/* Which objects a pane lists, and how. */
struct pane_query {
	const char *sort;       /* column name, NULL for the first kind's default */
	bool reverse;
	const char *filter;     /* NULL or "" for all */
	bool stale_only;
	uint64_t ipc_ns;        /* only objects of this IPC namespace (object_in_namespace), 0 all */
	const pid_t *pids;      /* only objects these take part in (npids > 0) */
	size_t npids;
};

/* The pane's rows, malloc'd; *n gets the count. */
const struct ipc_object **pane_rows(const struct snapshot *snap, enum pane_id pane,
				    const struct pane_query *q, size_t *n);

/* Whether the object matches text (case-insensitive): its name or path, SysV key
 * (0x...) or id, inode, owner, or the pid, command or user of a holder. */
bool object_matches(const struct snapshot *snap, const struct ipc_object *o, const char *text);
/* Whether the process matches text (case-insensitive): its pid, command or user. */
bool process_matches_text(const struct snapshot *snap, pid_t pid, const char *text);

/* What recognises an object from one snapshot to the next. */
struct obj_ident {
	enum ipc_kind kind;
	uint64_t a, b, c;
};

void object_ident(const struct ipc_object *o, struct obj_ident *id);
int ident_compare(const struct obj_ident *x, const struct obj_ident *y);

/* A snapshot's objects sorted by identity. */
struct ident_index {
	struct ident_entry {
		struct obj_ident id;
		const struct ipc_object *obj;
	} *e;
	size_t n;
};

void ident_index_build(struct ident_index *ix, const struct snapshot *snap);
const struct ipc_object *ident_index_find(const struct ident_index *ix, const struct obj_ident *id);
void ident_index_free(struct ident_index *ix);

/* Whether an object holds more than before: queued bytes or messages, attachments,
 * holders, counter, waiters. */
bool object_grew(const struct ipc_object *now, const struct ipc_object *before);

/* A short label naming the object: "id 5 key 0x0000abcd", "/name", "pipe:[123]",
 * a path... escaped; malloc'd. */
char *object_label(const struct snapshot *snap, const struct ipc_object *o, bool utf8);

/* The processes pane. */
enum proc_col {
	PC_PID, PC_USER, PC_STATE, PC_OBJECTS, PC_PIPES, PC_SOCKETS, PC_QUEUES, PC_SHM,
	PC_SEMS, PC_EVENTS, PC_COMMAND, PC_COUNT
};

struct proc_column {
	const char *name;
	const char *header;
	const char *help;       /* untranslated */
};

extern const struct proc_column proc_columns[PC_COUNT];

struct proc_row {
	const struct process *p;
	size_t objects;         /* objects it holds by fd or mapping */
	size_t count[PC_COUNT]; /* the same by family (PC_PIPES ... PC_EVENTS) */
};

/* Processes holding at least one object, or whose fds could not be read; filtered by
 * pid, command or user; sorted by col. malloc'd. */
struct proc_row *proc_rows(const struct snapshot *snap, const char *filter, enum proc_col sort,
			   bool reverse, size_t *n);

#endif
