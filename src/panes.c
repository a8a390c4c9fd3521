/* Panes of the full-screen program: their objects, order, search and identity. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "panes.h"
#include "parse_dbus.h"
#include "util.h"
#include "xalloc.h"

const struct pane_class pane_classes[PANE_COUNT] = {
	[PANE_PIPES] = { N_("Pipes"), '1', KIND_BIT(KIND_PIPE) | KIND_BIT(KIND_FIFO) },
	[PANE_UNIX] = { N_("UNIX"), '2', KIND_BIT(KIND_UNIX) },
	[PANE_POSIX_MQ] = { N_("POSIX mq"), '3', KIND_BIT(KIND_POSIX_MQ) },
	[PANE_SYSV_MSG] = { N_("SysV msg"), '4', KIND_BIT(KIND_SYSV_MSG) },
	[PANE_POSIX_SHM] = { N_("POSIX shm"), '5', KIND_BIT(KIND_POSIX_SHM) },
	[PANE_SYSV_SHM] = { N_("SysV shm"), '6', KIND_BIT(KIND_SYSV_SHM) },
	[PANE_SEMS] = { N_("Sems"), '7', KIND_BIT(KIND_POSIX_SEM) | KIND_BIT(KIND_SYSV_SEM) },
	[PANE_EVENTS] = { N_("Events"), '8',
			  KIND_BIT(KIND_EVENTFD) | KIND_BIT(KIND_SIGNALFD) | KIND_BIT(KIND_INOTIFY) |
			  KIND_BIT(KIND_TIMERFD) | KIND_BIT(KIND_PIDFD) | KIND_BIT(KIND_EPOLL) |
			  KIND_BIT(KIND_PTY) },
	[PANE_SIGNALS] = { N_("Signals"), '9', KIND_BIT(KIND_SIGNAL) },
	[PANE_LOCKS] = { N_("Locks"), '0', KIND_BIT(KIND_LOCK) },
	[PANE_NET] = { N_("Net"), 'N', KIND_BIT(KIND_INET) | KIND_BIT(KIND_NETLINK) },
	/* memory shared by mapping it without a name in /dev/shm: many objects (every shell
	 * maps gconv-modules.cache shared), so a pane of their own */
	[PANE_MAPS] = { N_("Mappings"), 'M', KIND_BIT(KIND_MEMFD) | KIND_BIT(KIND_SHARED_ANON) |
		       KIND_BIT(KIND_SHARED_FILE) },
	[PANE_DBUS] = { N_("D-Bus"), 'B', KIND_BIT(KIND_DBUS) },
	[PANE_PROCS] = { N_("Procs"), 'P', 0 },
};

const struct proc_column proc_columns[PC_COUNT] = {
	[PC_PID] = { "pid", "PID", N_("process id") },
	[PC_USER] = { "user", "USER", N_("effective user") },
	[PC_STATE] = { "state", "S", N_("process state (R, S, D, Z, T...)") },
	[PC_OBJECTS] = { "objects", "OBJS", N_("IPC objects it holds by descriptor or mapping") },
	[PC_PIPES] = { "pipes", "PIPES", N_("pipes and FIFOs it holds") },
	[PC_SOCKETS] = { "sockets", "SOCKS", N_("sockets it holds: UNIX, local TCP/UDP, netlink") },
	[PC_QUEUES] = { "queues", "MQ", N_("POSIX message queues it has open") },
	[PC_SHM] = { "shm", "SHM", N_("shared memory it maps or has open: POSIX, SysV, memfd, shared mappings") },
	[PC_SEMS] = { "sems", "SEM", N_("POSIX semaphores it maps") },
	[PC_EVENTS] = { "events", "EVENT", N_("eventfd, signalfd, inotify, timerfd, pidfd, epoll and pty descriptors") },
	[PC_COMMAND] = { "command", "COMMAND", N_("command name") },
};

/* Columns that read best at the end of a row: long lists. */
static bool column_last(const char *name)
{
	return strcmp(name, "holders") == 0 || strcmp(name, "peer_holders") == 0;
}

size_t pane_columns(enum pane_id pane, bool all, const char **names, size_t max)
{
	size_t n = 0;

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(pane_classes[pane].kinds & KIND_BIT(k)))
			continue;
		const int *cols = all ? kind_classes[k].columns : kind_classes[k].defaults;

		for (; *cols >= 0 && n < max; cols++) {
			bool dup = false;

			for (size_t i = 0; i < n && !dup; i++)
				dup = strcmp(names[i], columns[*cols].name) == 0;
			if (!dup)
				names[n++] = columns[*cols].name;
		}
	}
	/* in a pane of several kinds, the holders go after every kind's own columns */
	const char *tmp[PANE_MAX_COLUMNS];
	size_t out = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && out < PANE_MAX_COLUMNS; i++)
			if (column_last(names[i]) == (pass == 1))
				tmp[out++] = names[i];
	memcpy(names, tmp, out * sizeof(*names));
	return n;
}

/* Case-insensitive search of needle (lower case) in the bytes s[0..len). */
static bool bytes_contain(const char *s, size_t len, const char *needle, size_t nlen)
{
	if (nlen == 0)
		return true;
	for (size_t i = 0; i + nlen <= len; i++) {
		size_t j = 0;

		while (j < nlen && tolower((unsigned char)s[i + j]) == (unsigned char)needle[j])
			j++;
		if (j == nlen)
			return true;
	}
	return false;
}

static bool str_contains(const char *s, const char *needle, size_t nlen)
{
	return s && bytes_contain(s, strlen(s), needle, nlen);
}

static bool number_contains(uint64_t v, const char *fmt, const char *needle, size_t nlen)
{
	char buf[32];

	snprintf(buf, sizeof(buf), fmt, v);
	return str_contains(buf, needle, nlen);
}

static bool process_matches(const struct snapshot *snap, pid_t pid, const char *needle, size_t nlen)
{
	const struct process *p = snapshot_process(snap, pid);

	return pid > 0 && (number_contains((uint64_t)pid, "%" PRIu64, needle, nlen) ||
			   (p && (str_contains(p->comm, needle, nlen) ||
				  str_contains(user_label(p->euid), needle, nlen))));
}

bool process_matches_text(const struct snapshot *snap, pid_t pid, const char *text)
{
	size_t nlen = text ? strlen(text) : 0;

	if (nlen == 0)
		return true;
	char *needle = xstrdup(text);

	for (char *c = needle; *c; c++)
		*c = (char)tolower((unsigned char)*c);

	bool hit = process_matches(snap, pid, needle, nlen);

	free(needle);
	return hit;
}

bool object_matches(const struct snapshot *snap, const struct ipc_object *o, const char *text)
{
	size_t nlen = text ? strlen(text) : 0;

	if (nlen == 0)
		return true;
	char *needle = xstrdup(text);

	for (char *c = needle; *c; c++)
		*c = (char)tolower((unsigned char)*c);

	bool hit = false;

	if (o->name) {
		/* what the user sees (escaped) and the bytes themselves */
		char *shown = text_escape(o->name, o->name_len, true, NULL);

		hit = bytes_contain(o->name, o->name_len, needle, nlen) || str_contains(shown, needle, nlen);
		free(shown);
	}
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		hit = hit || number_contains((uint32_t)o->key, "0x%08" PRIx64, needle, nlen) ||
		      number_contains((uint64_t)o->id, "%" PRIu64, needle, nlen) ||
		      process_matches(snap, o->cpid, needle, nlen) ||
		      process_matches(snap, o->lpid, needle, nlen);
		break;
	case KIND_SIGNAL:
	case KIND_LOCK:
		hit = hit || process_matches(snap, o->cpid, needle, nlen);
		break;
	case KIND_EVENTFD:
		hit = hit || number_contains((uint64_t)o->id, "%" PRIu64, needle, nlen);
		break;
	case KIND_INET:
		hit = hit || str_contains(o->remote, needle, nlen) ||
		      str_contains(o->protocol == IPPROTO_TCP ? "tcp" : "udp", needle, nlen);
		break;
	case KIND_NETLINK:
		hit = hit || str_contains(netlink_protocol_name(o->protocol), needle, nlen) ||
		      number_contains(o->portid, "%" PRIu64, needle, nlen);
		break;
	case KIND_DBUS:
		hit = hit || str_contains(o->dbus_label, needle, nlen) ||
		      process_matches(snap, o->cpid, needle, nlen);
		for (size_t i = 0; i < o->dbus_names.n && !hit; i++)
			hit = str_contains(o->dbus_names.v[i], needle, nlen);
		for (size_t i = 0; i < o->dbus_queued.n && !hit; i++)
			hit = str_contains(o->dbus_queued.v[i], needle, nlen);
		break;
	case KIND_UNIX:
		hit = hit || str_contains(o->bus_name, needle, nlen);
		break;
	default:
		break;
	}
	hit = hit || (o->inode && number_contains(o->inode, "%" PRIu64, needle, nlen));
	if (o->kind <= KIND_FIFO || o->kind == KIND_LOCK || o->has_stat)
		hit = hit || str_contains(user_label(o->uid), needle, nlen);
	for (size_t i = 0; i < o->nholders && !hit; i++)
		hit = process_matches(snap, o->holders[i].pid, needle, nlen);
	free(needle);
	return hit;
}

static bool involves_any(const struct ipc_object *o, const pid_t *pids, size_t npids)
{
	for (size_t i = 0; i < npids; i++)
		if (object_involves(o, pids[i]))
			return true;
	return npids == 0;
}

struct row_order {
	bool by_column;         /* else by kind */
	bool reverse;
};

/* A row and its sort value, computed once: the comparisons then only compare. The
 * entries stay in place (a cell may point into its own buffer); their addresses are
 * sorted. */
struct row_key {
	const struct ipc_object *o;
	struct cell v;
};

static int row_compare(const void *pa, const void *pb, void *arg)
{
	const struct row_key *ka = *(const struct row_key *const *)pa;
	const struct row_key *kb = *(const struct row_key *const *)pb;
	const struct ipc_object *a = ka->o, *b = kb->o;
	const struct row_order *ord = arg;
	int r = 0;

	if (ord->by_column) {
		/* the same name can mean a different type in another kind */
		if (ka->v.type != kb->v.type && ka->v.type != CELL_NULL && kb->v.type != CELL_NULL)
			r = (ka->v.type > kb->v.type) - (ka->v.type < kb->v.type);
		else
			r = cell_compare(&ka->v, &kb->v);
	}
	/* ties keep a stable, meaningful order */
	if (r == 0)
		r = (a->kind > b->kind) - (a->kind < b->kind);
	if (r == 0)
		r = (a->id > b->id) - (a->id < b->id);
	if (r == 0 && a->name && b->name)
		r = strcmp(a->name, b->name);
	if (r == 0)
		r = (a->inode > b->inode) - (a->inode < b->inode);
	if (r == 0)
		r = (a->cpid > b->cpid) - (a->cpid < b->cpid);
	if (r == 0 && a->nholders && b->nholders)
		r = (a->holders[0].pid > b->holders[0].pid) - (a->holders[0].pid < b->holders[0].pid) ?:
		    (a->holders[0].fd > b->holders[0].fd) - (a->holders[0].fd < b->holders[0].fd);
	return ord->reverse ? -r : r;
}

const struct ipc_object **pane_rows(const struct snapshot *snap, enum pane_id pane,
				    const struct pane_query *q, size_t *n)
{
	const struct ipc_object **rows = xcalloc(snap->nobjects + 1, sizeof(*rows));
	unsigned int kinds = pane_classes[pane].kinds;
	size_t count = 0;

	/* only the pane's kinds, through the link phase's grouping when there is one */
	for (int k = 0; k < KIND_COUNT; k++) {
		size_t first = snap->by_kind ? snap->kind_first[k] : 0;
		size_t last = snap->by_kind ? snap->kind_first[k + 1] : snap->nobjects;

		if (!(kinds & KIND_BIT(k)))
			continue;
		for (size_t j = first; j < last; j++) {
			const struct ipc_object *o = &snap->objects[snap->by_kind ? snap->by_kind[j] : j];

			if (o->kind != (enum ipc_kind)k || (q->stale_only && !o->stale) ||
			    (q->ipc_ns && !object_in_namespace(snap, o, q->ipc_ns)) ||
			    !involves_any(o, q->pids, q->npids) || !object_matches(snap, o, q->filter))
				continue;
			rows[count++] = o;
		}
	}

	const char *sort = q->sort;

	if (!sort) {
		int k = 0;

		while (k < KIND_COUNT && !(kinds & KIND_BIT(k)))
			k++;
		sort = k < KIND_COUNT ? columns[kind_classes[k].default_sort].name : "kind";
	}

	struct row_order ord = { .by_column = strcmp(sort, "kind") != 0, .reverse = q->reverse };
	int col_of[KIND_COUNT];

	for (int k = 0; k < KIND_COUNT; k++)
		col_of[k] = (kinds & KIND_BIT(k)) && ord.by_column ? kind_column_by_name(k, sort) : -1;

	struct row_key *keys = xcalloc(count + 1, sizeof(*keys));
	struct row_key **order = xcalloc(count + 1, sizeof(*order));

	for (size_t i = 0; i < count; i++) {
		keys[i].o = rows[i];
		keys[i].v.type = CELL_NULL;
		if (col_of[rows[i]->kind] >= 0)
			column_value(col_of[rows[i]->kind], rows[i], &keys[i].v);
		order[i] = &keys[i];
	}
	qsort_r(order, count, sizeof(*order), row_compare, &ord);
	for (size_t i = 0; i < count; i++)
		rows[i] = order[i]->o;
	free(order);
	free(keys);
	*n = count;
	return rows;
}

void object_ident(const struct ipc_object *o, struct obj_ident *id)
{
	memset(id, 0, sizeof(*id));
	id->kind = o->kind;
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		id->a = (uint64_t)o->id;
		id->b = (uint32_t)o->key;
		break;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
	case KIND_FIFO:
		id->a = o->dev;
		id->b = o->inode;
		break;
	case KIND_UNIX:
		id->a = o->inode;
		if (o->inode == 0) {    /* a socket file with no socket: the file */
			id->b = o->file_dev;
			id->c = o->file_inode;
		}
		break;
	case KIND_PIPE:
	case KIND_INET:
	case KIND_NETLINK:
		id->a = o->inode;
		break;
	case KIND_EVENTFD:
		id->a = (uint64_t)o->id;
		break;
	case KIND_MEMFD:
	case KIND_SHARED_ANON:
	case KIND_SHARED_FILE:
		id->a = o->dev;
		id->b = o->inode;
		break;
	case KIND_PTY:
		id->a = (uint64_t)o->id;
		id->b = o->dev;         /* its devpts instance */
		break;
	case KIND_SIGNALFD:
	case KIND_INOTIFY:
	case KIND_TIMERFD:
	case KIND_PIDFD:
	case KIND_EPOLL:
		/* one object per open file description: known by its first descriptor */
		if (o->nholders) {
			id->a = (uint64_t)o->holders[0].pid;
			id->b = (uint64_t)(uint32_t)o->holders[0].fd;
		}
		break;
	case KIND_SIGNAL:
		id->a = (uint64_t)o->cpid;
		break;
	case KIND_LOCK:
		id->a = (uint64_t)o->cpid;
		id->b = o->inode;
		id->c = o->lock_start;
		break;
	case KIND_DBUS:
		/* the bus (its listening socket, else its place in the list) and the unique name */
		id->a = o->bus && o->bus->listen_inode ? o->bus->listen_inode : (uint64_t)o->bus_index;
		dbus_unique_numbers(o->name, &id->b, &id->c);
		break;
	case KIND_COUNT:
		break;
	}
}

int ident_compare(const struct obj_ident *x, const struct obj_ident *y)
{
	if (x->kind != y->kind)
		return (x->kind > y->kind) - (x->kind < y->kind);
	if (x->a != y->a)
		return (x->a > y->a) - (x->a < y->a);
	if (x->b != y->b)
		return (x->b > y->b) - (x->b < y->b);
	return (x->c > y->c) - (x->c < y->c);
}

static int entry_compare(const void *a, const void *b)
{
	return ident_compare(&((const struct ident_entry *)a)->id, &((const struct ident_entry *)b)->id);
}

void ident_index_build(struct ident_index *ix, const struct snapshot *snap)
{
	ix->n = snap->nobjects;
	ix->e = xcalloc(ix->n + 1, sizeof(*ix->e));
	for (size_t i = 0; i < ix->n; i++) {
		object_ident(&snap->objects[i], &ix->e[i].id);
		ix->e[i].obj = &snap->objects[i];
	}
	qsort(ix->e, ix->n, sizeof(*ix->e), entry_compare);
}

const struct ipc_object *ident_index_find(const struct ident_index *ix, const struct obj_ident *id)
{
	struct ident_entry key = { .id = *id };
	const struct ident_entry *e = ix->e ? bsearch(&key, ix->e, ix->n, sizeof(*ix->e), entry_compare) : NULL;

	return e ? e->obj : NULL;
}

void ident_index_free(struct ident_index *ix)
{
	free(ix->e);
	ix->e = NULL;
	ix->n = 0;
}

bool object_grew(const struct ipc_object *now, const struct ipc_object *before)
{
	if (!before || now->kind != before->kind)
		return false;
	switch (now->kind) {
	case KIND_SIGNAL:
		return now->sigq > before->sigq ||
		       (now->sig_pending | now->sig_shared) & ~(before->sig_pending | before->sig_shared);
	case KIND_LOCK:
		return false;
	case KIND_UNIX:
	case KIND_INET:
	case KIND_NETLINK:
		if (now->rqueue > before->rqueue || now->npending > before->npending)
			return true;
		break;
	case KIND_EVENTFD:
	case KIND_TIMERFD:
		if (now->counter > before->counter)
			return true;
		break;
	case KIND_SYSV_SEM:
		if (now->ncnt_total + now->zcnt_total > before->ncnt_total + before->zcnt_total)
			return true;
		break;
	case KIND_POSIX_SEM:
		if (now->sem_waiters > before->sem_waiters)
			return true;
		break;
	case KIND_DBUS:
		/* messages piling up in the daemon for it, or from it */
		if (now->dbus_out_messages > before->dbus_out_messages ||
		       now->dbus_in_messages > before->dbus_in_messages ||
		       now->dbus_names.n > before->dbus_names.n)
			return true;
		break;
	default:
		break;
	}
	return now->size > before->size || now->count > before->count ||
	       now->nholders > before->nholders;
}

char *object_label(const struct snapshot *snap, const struct ipc_object *o, bool utf8)
{
	char buf[160];
	const char *comm;

	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		snprintf(buf, sizeof(buf), "id %d key 0x%08x", o->id, (unsigned int)o->key);
		break;
	case KIND_PIPE:
		snprintf(buf, sizeof(buf), "pipe:[%" PRIu64 "]", o->inode);
		break;
	case KIND_UNIX:
		if (o->name)
			return text_escape(o->name, o->name_len, utf8, NULL);
		snprintf(buf, sizeof(buf), "socket:[%" PRIu64 "]", o->inode);
		break;
	case KIND_INET:
		if (o->name)
			return xasprintf("%s %.*s%s%s", o->protocol == IPPROTO_TCP ? "tcp" : "udp",
					 (int)o->name_len, o->name, o->remote ? " -> " : "",
					 o->remote ? o->remote : "");
		snprintf(buf, sizeof(buf), "socket:[%" PRIu64 "]", o->inode);
		break;
	case KIND_NETLINK: {
		const char *proto = netlink_protocol_name(o->protocol);

		snprintf(buf, sizeof(buf), "netlink %s port %" PRIu32, proto ? proto : "?", o->portid);
		break;
	}
	case KIND_EVENTFD:
		snprintf(buf, sizeof(buf), "eventfd %d", o->id);
		break;
	case KIND_SIGNALFD:
	case KIND_INOTIFY:
	case KIND_TIMERFD:
	case KIND_EPOLL:
		snprintf(buf, sizeof(buf), "%s", kind_classes[o->kind].name);
		if (o->nholders)
			snprintf(buf, sizeof(buf), "%s of %d fd %d", kind_classes[o->kind].name,
				 (int)o->holders[0].pid, o->holders[0].fd);
		break;
	case KIND_PIDFD:
		comm = o->target_comm ? o->target_comm : "?";
		if (o->target_pid > 0) {
			char *c = text_escape(comm, strlen(comm), utf8, NULL);

			snprintf(buf, sizeof(buf), "pidfd of %d (%s)", (int)o->target_pid, c);
			free(c);
		} else {
			snprintf(buf, sizeof(buf), "pidfd of an exited process");
		}
		break;
	case KIND_SIGNAL: {
		const struct process *p = snapshot_process(snap, o->cpid);
		char *c = text_escape(p ? p->comm : "?", strlen(p ? p->comm : "?"), utf8, NULL);

		snprintf(buf, sizeof(buf), "signals of %d (%s)", (int)o->cpid, c);
		free(c);
		break;
	}
	case KIND_PTY:
		snprintf(buf, sizeof(buf), "/dev/pts/%d", o->id);
		break;
	case KIND_MEMFD:
	case KIND_SHARED_ANON:
		if (o->name) {
			char *name = text_escape(o->name, o->name_len, utf8, NULL);
			char *s = xasprintf("%s:%s", o->kind == KIND_MEMFD ? "memfd" : "anon_shmem", name);

			free(name);
			return s;
		}
		snprintf(buf, sizeof(buf), "%s inode %" PRIu64, o->kind == KIND_MEMFD ? "memfd" : "/dev/zero",
			 o->inode);
		break;
	case KIND_SHARED_FILE:
		if (o->name)
			return text_escape(o->name, o->name_len, utf8, NULL);
		snprintf(buf, sizeof(buf), "inode %" PRIu64, o->inode);
		break;
	case KIND_DBUS: {
		/* bus labels and names come from outside: escaped as a whole */
		char *raw = xasprintf("%s %s%s%s%s", o->dbus_label ? o->dbus_label : "?", o->name ? o->name : "?",
				      o->dbus_names.n ? " (" : "", o->dbus_names.n ? o->dbus_names.v[0] : "",
				      o->dbus_names.n ? ")" : "");
		char *s = text_escape(raw, strlen(raw), utf8, NULL);

		free(raw);
		return s;
	}
	case KIND_LOCK:
		if (o->name) {
			char *path = text_escape(o->name, o->name_len, utf8, NULL);
			char *s = xasprintf("%s %s %s", o->lock_type, o->lock_access, path);

			free(path);
			return s;
		}
		snprintf(buf, sizeof(buf), "%s %s inode %" PRIu64, o->lock_type, o->lock_access, o->inode);
		break;
	default:
		if (o->name) {
			/* POSIX names are shown with their leading '/'; FIFO paths already have it */
			char *name = text_escape(o->name, o->name_len, utf8, NULL);
			char *s = o->kind == KIND_FIFO ? name : xasprintf("/%s", name);

			if (s != name)
				free(name);
			return s;
		}
		snprintf(buf, sizeof(buf), "inode %" PRIu64, o->inode);
		break;
	}
	return xstrdup(buf);
}

struct proc_order {
	enum proc_col col;
	bool reverse;
};

static int proc_compare(const void *pa, const void *pb, void *arg)
{
	const struct proc_row *a = pa, *b = pb;
	const struct proc_order *ord = arg;
	int r = 0;

	switch (ord->col) {
	case PC_PID:
		break;
	case PC_USER:
		r = strcmp(user_label(a->p->euid), user_label(b->p->euid));
		break;
	case PC_STATE:
		r = (a->p->state > b->p->state) - (a->p->state < b->p->state);
		break;
	case PC_OBJECTS:
		r = (a->objects > b->objects) - (a->objects < b->objects);
		break;
	case PC_COMMAND:
		r = strcmp(a->p->comm, b->p->comm);
		break;
	default:
		r = (a->count[ord->col] > b->count[ord->col]) - (a->count[ord->col] < b->count[ord->col]);
		break;
	}
	if (r == 0)
		r = (a->p->pid > b->p->pid) - (a->p->pid < b->p->pid);
	return ord->reverse ? -r : r;
}

static enum proc_col kind_family(enum ipc_kind k)
{
	switch (k) {
	case KIND_PIPE:
	case KIND_FIFO:
		return PC_PIPES;
	case KIND_UNIX:
	case KIND_INET:
	case KIND_NETLINK:
		return PC_SOCKETS;
	case KIND_POSIX_MQ:
	case KIND_SYSV_MSG:
		return PC_QUEUES;
	case KIND_POSIX_SHM:
	case KIND_SYSV_SHM:
	case KIND_MEMFD:
	case KIND_SHARED_ANON:
	case KIND_SHARED_FILE:
		return PC_SHM;
	case KIND_POSIX_SEM:
	case KIND_SYSV_SEM:
		return PC_SEMS;
	case KIND_EVENTFD:
	case KIND_SIGNALFD:
	case KIND_INOTIFY:
	case KIND_TIMERFD:
	case KIND_PIDFD:
	case KIND_EPOLL:
	case KIND_PTY:
		return PC_EVENTS;
	default:
		return PC_COUNT;
	}
}

struct proc_row *proc_rows(const struct snapshot *snap, const char *filter, enum proc_col sort,
			   bool reverse, size_t *n)
{
	struct proc_row *all = xcalloc(snap->nprocs + 1, sizeof(*all));

	for (size_t i = 0; i < snap->nprocs; i++)
		all[i].p = &snap->procs[i];
	/* holders are sorted by object, then pid: count each (object, pid) pair once */
	for (size_t i = 0; i < snap->nholders; i++) {
		const struct holder *h = &snap->holders[i];

		if (i > 0 && h[-1].object == h->object && h[-1].pid == h->pid)
			continue;
		const struct process *p = snapshot_process(snap, h->pid);

		if (!p)
			continue;
		struct proc_row *r = &all[p - snap->procs];
		enum proc_col fam = kind_family(snap->objects[h->object].kind);

		r->objects++;
		if (fam != PC_COUNT)
			r->count[fam]++;
	}

	char *needle = xstrdup(filter ? filter : "");
	size_t nlen = strlen(needle), count = 0;

	for (char *c = needle; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (size_t i = 0; i < snap->nprocs; i++) {
		if (all[i].objects == 0 && !all[i].p->unreadable)
			continue;
		if (nlen && !process_matches(snap, all[i].p->pid, needle, nlen))
			continue;
		all[count++] = all[i];
	}
	free(needle);

	struct proc_order ord = { sort, reverse };

	qsort_r(all, count, sizeof(*all), proc_compare, &ord);
	*n = count;
	return all;
}
