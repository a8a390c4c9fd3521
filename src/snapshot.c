/* Snapshot lifetime, and the collect -> classify phases. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse_dbus.h"
#include "nls.h"
#include "snapshot.h"
#include "util.h"
#include "xalloc.h"

struct snapshot *snapshot_new(void)
{
	struct snapshot *snap = xcalloc(1, sizeof(*snap));

	clock_gettime(CLOCK_REALTIME, &snap->taken);
	if (gethostname(snap->hostname, sizeof(snap->hostname) - 1) != 0)
		snap->hostname[0] = '\0';
	return snap;
}

/* What an object owns; its members of the kind-specific union by kind. */
void object_free(struct ipc_object *o)
{
	free(o->name);
	o->name = NULL;
	free(o->stale_text);
	o->stale_text = NULL;
	switch (o->kind) {
	case KIND_SYSV_SEM:
		free(o->sems);
		break;
	case KIND_UNIX:
	case KIND_INET:
	case KIND_NETLINK:
		free(o->pending);
		free(o->remote);
		free(o->bus_name);
		break;
	case KIND_DBUS:
		strlist_free(&o->dbus_names);
		strlist_free(&o->dbus_queued);
		strlist_free(&o->dbus_rules);
		break;
	case KIND_INOTIFY:
		for (size_t w = 0; w < o->nwatches; w++)
			free(o->watches[w].path);
		free(o->watches);
		break;
	case KIND_EPOLL:
		free(o->targets);
		break;
	default:
		break;
	}
}

void snapshot_truncate(struct snapshot *snap, size_t n)
{
	while (snap->nobjects > n)
		object_free(&snap->objects[--snap->nobjects]);
}

void snapshot_free(struct snapshot *snap)
{
	if (!snap)
		return;
	for (size_t i = 0; i < snap->nobjects; i++)
		object_free(&snap->objects[i]);
	for (size_t i = 0; i < snap->ndbus_buses; i++) {
		struct dbus_bus *b = &snap->dbus_buses[i];

		free(b->label);
		free(b->address);
		free(b->path);
		free(b->error);
		free(b->stats_error);
		strlist_free(&b->activatable);
	}
	free(snap->dbus_buses);
	xbigarray_free(snap->objects, snap->objects_alloc, sizeof(*snap->objects));
	free(snap->by_kind);
	xbigarray_free(snap->holders, snap->holders_alloc, sizeof(*snap->holders));
	for (size_t i = 0; i < snap->nnotes; i++) {
		free(snap->notes[i].source);
		free(snap->notes[i].message);
	}
	free(snap->notes);
	for (size_t i = 0; i < snap->nprocs; i++) {
		free(snap->procs[i].comm);
		free(snap->procs[i].cmdline);
	}
	free(snap->procs);
	for (size_t i = 0; i < snap->nnamespaces; i++)
		free(snap->namespaces[i].container);
	free(snap->namespaces);
	free(snap->pid_ns);
	free(snap);
}

struct ipc_object *snapshot_add(struct snapshot *snap, enum ipc_kind kind)
{
	if (snap->nobjects == snap->objects_alloc) {
		size_t n = snap->objects_alloc ? snap->objects_alloc * 2 : 64;

		snap->objects = xbigarray(snap->objects, snap->objects_alloc, n, sizeof(*snap->objects));
		snap->objects_alloc = n;
	}
	struct ipc_object *obj = &snap->objects[snap->nobjects++];

	memset(obj, 0, sizeof(*obj));
	obj->kind = kind;
	obj->persistence = PERSIST_KERNEL;
	return obj;
}

int object_set_name(struct ipc_object *obj, const char *name, size_t len)
{
	free(obj->name);
	obj->name = xmalloc(len + 1);
	memcpy(obj->name, name, len);
	obj->name[len] = '\0';
	obj->name_len = len;
	return 0;
}

void object_set_file(struct ipc_object *obj, const struct stat *st)
{
	obj->inode = st->st_ino;
	obj->dev = st->st_dev;
	obj->uid = st->st_uid;
	obj->gid = st->st_gid;
	obj->mode = st->st_mode & 07777;
	obj->time_a = st->st_atim.tv_sec;
	obj->time_b = st->st_mtim.tv_sec;
	obj->time_c = st->st_ctim.tv_sec;
	obj->time_c_nsec = st->st_ctim.tv_nsec;
}

void snapshot_note(struct snapshot *snap, const char *source, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		xalloc_die();
	snap->notes = xreallocarray(snap->notes, snap->nnotes + 1, sizeof(*snap->notes));
	snap->notes[snap->nnotes].source = xstrdup(source);
	snap->notes[snap->nnotes].message = msg;
	snap->nnotes++;
}

struct ipc_limit *snapshot_limit(struct snapshot *snap, const char *name,
				 const char *description, const char *unit)
{
	for (size_t i = 0; i < snap->nlimits; i++)
		if (strcmp(snap->limits[i].name, name) == 0)
			return &snap->limits[i];
	if (snap->nlimits == LIMITS_MAX)
		return NULL;
	struct ipc_limit *l = &snap->limits[snap->nlimits++];

	memset(l, 0, sizeof(*l));
	l->name = name;
	l->description = description;
	l->unit = unit;
	return l;
}

/* Kinds whose objects have holders, found by the process scan. */
#define HOLDER_KINDS (KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_POSIX_SHM) | \
		      KIND_BIT(KIND_POSIX_SEM) | KIND_BIT(KIND_PIPE) | KIND_BIT(KIND_FIFO) |          \
		      KIND_BIT(KIND_UNIX) | KIND_BIT(KIND_EVENTFD) | KIND_BIT(KIND_SIGNALFD) |        \
		      KIND_BIT(KIND_INOTIFY) | KIND_BIT(KIND_TIMERFD) | KIND_BIT(KIND_PIDFD) |         \
		      KIND_BIT(KIND_SIGNAL) | KIND_BIT(KIND_LOCK) | KIND_BIT(KIND_INET) |            \
		      KIND_BIT(KIND_NETLINK) | KIND_BIT(KIND_EPOLL) | KIND_BIT(KIND_PTY) |            \
		      KIND_BIT(KIND_MEMFD) | KIND_BIT(KIND_SHARED_ANON) | KIND_BIT(KIND_SHARED_FILE) | \
		      KIND_BIT(KIND_DBUS))
/* Kinds that record pids of their users. */
#define PID_KINDS (KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM) | \
		   KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_PIDFD))


/* Kinds known by the one process they are of (cpid), not by holders. */
#define PROCESS_KINDS (KIND_BIT(KIND_SIGNAL) | KIND_BIT(KIND_LOCK) | KIND_BIT(KIND_DBUS))

/* The IPC namespace of a process, 0 unknown. */
static uint64_t process_ipc_ns(const struct snapshot *snap, pid_t pid)
{
	const struct process *p = pid > 0 ? snapshot_process(snap, pid) : NULL;

	return p ? p->ns_ipc : 0;
}

/* --namespace: only the namespaced objects of that namespace stay (before the scan:
 * no holder points at an object yet). */
static void keep_namespace(struct snapshot *snap, uint64_t ns)
{
	size_t kept = 0;

	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		if ((KIND_BIT(o->kind) & NS_KINDS) && o->ipc_ns != ns) {
			object_free(o);
			continue;
		}
		if (kept != i)
			snap->objects[kept] = *o;
		kept++;
	}
	snap->nobjects = kept;
}

void snapshot_merge_objects(struct snapshot *snap, size_t *to)
{
	size_t kept = 0, hk = 0;

	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		if (to[i] != i) {
			object_free(o);
			/* merged: into an object before it, already given its new index */
			to[i] = to[i] == SIZE_MAX ? SIZE_MAX : to[to[i]];
			continue;
		}
		if (kept != i)
			snap->objects[kept] = *o;
		to[i] = kept++;
	}
	snap->nobjects = kept;
	for (size_t i = 0; i < snap->nholders; i++) {
		struct holder h = snap->holders[i];

		if (to[h.object] == SIZE_MAX)
			continue;
		h.object = to[h.object];
		snap->holders[hk++] = h;
	}
	snap->nholders = hk;
}

/* --namespace, for the kinds that are not in an IPC namespace: an object stays when a
 * process in the namespace holds it (signals, locks, D-Bus connections: when their
 * process is in it); one with no holder seen, only in ipctop's own namespace. After the
 * scan and before the link phase: holders still name their objects by index. A socket
 * whose peer a process of the namespace holds stays too (the other end of its
 * connections, a bus daemon's end of its D-Bus connections), as object_in_namespace
 * has it for the full-screen view. */
static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static bool is_conn_socket(const struct ipc_object *o)
{
	return o->kind == KIND_UNIX || o->kind == KIND_INET;
}

/* Whether the process of a signal, lock or D-Bus connection is in ns (a lock of no
 * process, an OFD lock's, as an object of no holder: of ipctop's own namespace). */
static bool process_in(const struct snapshot *snap, const struct ipc_object *o, uint64_t ns)
{
	return o->cpid > 0 ? process_ipc_ns(snap, o->cpid) == ns : ns == snap->own_ipc_ns;
}

static void keep_namespace_holders(struct snapshot *snap, uint64_t ns)
{
	enum { NO_HOLDER, HELD_HERE, HELD_ELSEWHERE };
	unsigned char *held = xcalloc(snap->nobjects + 1, 1);
	size_t *to = xcalloc(snap->nobjects + 1, sizeof(*to));
	pid_t last = 0;
	uint64_t last_ns = 0;

	for (size_t i = 0; i < snap->nholders; i++) {
		const struct holder *h = &snap->holders[i];

		if (h->pid != last) {
			last = h->pid;
			last_ns = process_ipc_ns(snap, last);
		}
		if (last_ns == ns)
			held[h->object] = HELD_HERE;
		else if (held[h->object] == NO_HOLDER)
			held[h->object] = HELD_ELSEWHERE;
	}
	/* the sockets held here, by inode: their peers stay */
	uint64_t *here = xcalloc(snap->nobjects + 1, sizeof(*here));
	size_t nhere = 0;

	for (size_t i = 0; i < snap->nobjects; i++)
		if (is_conn_socket(&snap->objects[i]) && held[i] == HELD_HERE)
			here[nhere++] = snap->objects[i].inode;
	qsort(here, nhere, sizeof(*here), u64_cmp);
	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];
		bool keep = (KIND_BIT(o->kind) & NS_KINDS) || held[i] == HELD_HERE ||
			    ((KIND_BIT(o->kind) & PROCESS_KINDS) ? process_in(snap, o, ns) :
			     held[i] == NO_HOLDER && ns == snap->own_ipc_ns);

		if (!keep && is_conn_socket(o) && o->peer && nhere)
			keep = bsearch(&o->peer, here, nhere, sizeof(*here), u64_cmp) != NULL;
		to[i] = keep ? i : SIZE_MAX;
	}
	snapshot_merge_objects(snap, to);
	free(here);
	free(held);
	free(to);
}

/* Whether a process in ns holds the object (after the link phase). */
static bool held_in(const struct snapshot *snap, const struct ipc_object *o, uint64_t ns)
{
	for (size_t i = 0; i < o->nholders; i++)
		if ((i == 0 || o->holders[i].pid != o->holders[i - 1].pid) &&
		    process_ipc_ns(snap, o->holders[i].pid) == ns)
			return true;
	return false;
}

bool object_in_namespace(const struct snapshot *snap, const struct ipc_object *o, uint64_t ns)
{
	if (KIND_BIT(o->kind) & NS_KINDS)
		return o->ipc_ns == ns;
	if (KIND_BIT(o->kind) & PROCESS_KINDS)
		return process_in(snap, o, ns);
	if (held_in(snap, o, ns))
		return true;
	if (is_conn_socket(o) && o->peer_obj && held_in(snap, o->peer_obj, ns))
		return true;
	return !o->nholders && ns == snap->own_ipc_ns;
}

/* The namespace of an object that is not in one: its processes', when they are all in
 * one (holders, or the process of a signal, lock or D-Bus connection), else 0. */
static uint64_t process_ns(const struct snapshot *snap, const struct ipc_object *o)
{
	uint64_t ns = 0;

	if (KIND_BIT(o->kind) & PROCESS_KINDS)
		return process_ipc_ns(snap, o->cpid);
	for (size_t i = 0; i < o->nholders; i++) {
		if (i > 0 && o->holders[i].pid == o->holders[i - 1].pid)
			continue;
		uint64_t n = process_ipc_ns(snap, o->holders[i].pid);

		if (!n || (ns && n != ns))
			return 0;
		ns = n;
	}
	return ns;
}

void snapshot_absorb(struct snapshot *dst, struct snapshot *src, size_t at)
{
	size_t n = dst->nobjects + src->nobjects;

	if (src->nobjects > dst->nobjects) {
		/* dst takes src's array, the larger (the UNIX sockets: tens of thousands of
		 * objects), its own objects put first: copying the larger into new memory of
		 * dst's would touch every page of it a second time */
		if (n > src->objects_alloc) {
			src->objects = xbigarray(src->objects, src->objects_alloc, n, sizeof(*src->objects));
			src->objects_alloc = n;
		}
		if (dst->nobjects) {
			memmove(src->objects + dst->nobjects, src->objects,
				src->nobjects * sizeof(*src->objects));
			memcpy(src->objects, dst->objects, dst->nobjects * sizeof(*dst->objects));
		}
		xbigarray_free(dst->objects, dst->objects_alloc, sizeof(*dst->objects));
		dst->objects = src->objects;
		dst->objects_alloc = src->objects_alloc;
		src->objects = NULL;
		src->objects_alloc = 0;
	} else if (src->nobjects) {
		if (n > dst->objects_alloc) {
			dst->objects = xbigarray(dst->objects, dst->objects_alloc, n, sizeof(*dst->objects));
			dst->objects_alloc = n;
		}
		memcpy(dst->objects + dst->nobjects, src->objects, src->nobjects * sizeof(*src->objects));
	}
	dst->nobjects = n;
	src->nobjects = 0;
	if (src->nnotes) {
		if (at > dst->nnotes)
			at = dst->nnotes;
		dst->notes = xreallocarray(dst->notes, dst->nnotes + src->nnotes, sizeof(*dst->notes));
		memmove(dst->notes + at + src->nnotes, dst->notes + at, (dst->nnotes - at) * sizeof(*dst->notes));
		memcpy(dst->notes + at, src->notes, src->nnotes * sizeof(*src->notes));
		dst->nnotes += src->nnotes;
		src->nnotes = 0;
	}
}

/* UNIX sockets are dumped (netlink) by a thread of their own, into a snapshot of their
 * own, while this one collects the rest up to the process table: the two take about
 * as long, and neither reads what the other writes. */
struct unix_job {
	struct snapshot *snap;
	size_t notes_at;
	pthread_t thread;
	bool running;
};

static void *unix_job_main(void *arg)
{
	unix_collect(((struct unix_job *)arg)->snap);
	return NULL;
}

static void unix_job_start(struct unix_job *job, struct snapshot *snap)
{
	job->running = false;
	job->notes_at = snap->nnotes;
	if (usable_cpus() < 2) {
		unix_collect(snap);
		return;
	}
	job->snap = snapshot_new();
	job->running = thread_start(&job->thread, unix_job_main, job) == 0;
	if (!job->running) {
		snapshot_free(job->snap);
		unix_collect(snap);
	}
}

static void unix_job_finish(struct unix_job *job, struct snapshot *snap)
{
	if (!job->running)
		return;
	pthread_join(job->thread, NULL);
	job->running = false;
	snapshot_absorb(snap, job->snap, job->notes_at);
	snap->unix_files_listed = job->snap->unix_files_listed;
	snapshot_free(job->snap);
}

void snapshot_collect(struct snapshot *snap, const struct collect_opts *opts)
{
	struct unix_job unix_job = { .running = false };
	unsigned int k = opts->kinds;
	struct stat st;

	/* D-Bus buses are found, and their connections joined, through the UNIX sockets */
	if (k & KIND_BIT(KIND_DBUS))
		k |= KIND_BIT(KIND_UNIX);
	snap->kinds_collected = k;
	snap->own_ipc_ns = stat("/proc/self/ns/ipc", &st) == 0 ? st.st_ino : 0;

	/* collect: the kernel's tables of objects */
	if (k & KIND_BIT(KIND_SYSV_MSG))
		sysv_msg_collect(snap);
	if (k & KIND_BIT(KIND_SYSV_SHM))
		sysv_shm_collect(snap);
	if (k & KIND_BIT(KIND_SYSV_SEM))
		sysv_sem_collect(snap);
	if (k & KIND_BIT(KIND_POSIX_MQ))
		posix_mq_collect(snap);
	if (k & (KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM)))
		posix_shm_collect(snap, k & KIND_BIT(KIND_POSIX_SHM), k & KIND_BIT(KIND_POSIX_SEM));
	if (k & KIND_BIT(KIND_UNIX))
		unix_job_start(&unix_job, snap);
	if (k & KIND_BIT(KIND_INET))
		inet_collect(snap);
	if (k & KIND_BIT(KIND_NETLINK))
		netlink_collect(snap);
	if (k & KIND_BIT(KIND_LOCK))
		locks_collect(snap);
	/* the other IPC namespaces' objects; the namespaces (and containers) for the
	 * objects that are of their holders' */
	if (opts->all_namespaces && (k & NS_KINDS))
		ns_collect(snap, k & NS_KINDS);
	else
		ns_discover(snap, opts->all_namespaces || opts->ns_only);
	uint64_t ns_only = 0;

	if (opts->ns_only) {
		size_t matches;
		const struct ipc_namespace *ns = snapshot_namespace_named(snap, opts->ns_only, &matches);

		if (matches > 1)
			snapshot_note(snap, "namespaces", _("%s names %zu IPC namespaces: give one's inode "
							    "(the NS column)"), opts->ns_only, matches);
		else if (!ns)
			snapshot_note(snap, "namespaces", _("no process is in IPC namespace %s"),
				      opts->ns_only);
		ns_only = ns ? ns->ino : UINT64_MAX;
		keep_namespace(snap, ns_only);
	}

	/* processes after the objects, so a pid an object recorded is seen alive if it
	 * is; then who holds what */
	if (k & (HOLDER_KINDS | PID_KINDS))
		procs_collect(snap, opts->pids, opts->npids);
	unix_job_finish(&unix_job, snap);
	if (k & HOLDER_KINDS)
		proc_scan(snap, k);
	if (k & KIND_BIT(KIND_DBUS))
		dbus_collect(snap, opts->dbus_address);
	if (ns_only)
		keep_namespace_holders(snap, ns_only);

	/* link, classify */
	snapshot_link(snap);
	snapshot_classify(snap);
	limits_collect(snap);
}

static const char *pid_comm(const struct snapshot *snap, pid_t pid, int64_t t)
{
	const struct process *p = pid > 0 ? snapshot_process_at(snap, pid, t) : NULL;

	return p ? p->comm : NULL;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int holder_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->object != y->object)
		return x->object < y->object ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* descriptors before mappings */
	if (x->fd != y->fd)
		return x->fd == -1 ? 1 : y->fd == -1 ? -1 : x->fd < y->fd ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* The object of each socket's peer, by inode, through a sorted index. */
struct inode_ref {
	uint64_t inode;
	size_t object;
};

static int inode_ref_cmp(const void *a, const void *b)
{
	const struct inode_ref *x = a, *y = b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

static bool is_socket(enum ipc_kind k)
{
	return k == KIND_UNIX || k == KIND_INET || k == KIND_NETLINK;
}

static void link_peers(struct snapshot *snap)
{
	size_t n = 0;

	for (size_t i = 0; i < snap->nobjects; i++)
		n += is_socket(snap->objects[i].kind);
	if (!n)
		return;

	struct inode_ref *refs = xcalloc(n, sizeof(*refs));

	n = 0;
	for (size_t i = 0; i < snap->nobjects; i++)
		if (is_socket(snap->objects[i].kind))
			refs[n++] = (struct inode_ref){ snap->objects[i].inode, i };
	qsort(refs, n, sizeof(*refs), inode_ref_cmp);
	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];
		struct inode_ref key = { .inode = o->peer }, *hit;

		if (!is_socket(o->kind) || !o->peer)
			continue;
		hit = bsearch(&key, refs, n, sizeof(*refs), inode_ref_cmp);
		o->peer_obj = hit ? &snap->objects[hit->object] : NULL;
	}
	free(refs);
}

void snapshot_link(struct snapshot *snap)
{
	/* holders: grouped by object, each object given its slice */
	if (snap->nholders)
		qsort(snap->holders, snap->nholders, sizeof(*snap->holders), holder_cmp);
	for (size_t i = 0; i < snap->nholders;) {
		struct ipc_object *o = &snap->objects[snap->holders[i].object];
		size_t j = i;

		o->holders = &snap->holders[i];
		for (; j < snap->nholders && snap->holders[j].object == snap->holders[i].object; j++) {
			if (snap->holders[j].fd < 0)
				continue;
			if (o->kind == KIND_PTY) {
				o->masters += snap->holders[j].role == END_MASTER;
				o->slaves += snap->holders[j].role == END_SLAVE;
			}
			o->readers += (snap->holders[j].access & HOLD_READ) != 0;
			o->writers += (snap->holders[j].access & HOLD_WRITE) != 0;
		}
		o->nholders = j - i;
		i = j;
	}

	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		switch (o->kind) {
		case KIND_SYSV_MSG:
			/* last msgsnd and msgrcv */
			o->cpid_comm = pid_comm(snap, o->cpid, o->time_a);
			o->lpid_comm = pid_comm(snap, o->lpid, o->time_b);
			break;
		case KIND_SYSV_SHM:
			/* the creator ran before the creation (<= ctime); the last user at the
			 * last attach or detach */
			o->cpid_comm = pid_comm(snap, o->cpid, o->time_c);
			o->lpid_comm = pid_comm(snap, o->lpid, max64(o->time_a, o->time_b));
			break;
		case KIND_POSIX_MQ:
			o->notify_comm = pid_comm(snap, o->notify_pid, 0);
			break;
		case KIND_PIDFD:
			o->target_comm = pid_comm(snap, o->target_pid, 0);
			break;
		case KIND_SIGNAL:
		case KIND_LOCK:
			o->cpid_comm = pid_comm(snap, o->cpid, 0);
			break;
		default:
			break;
		}
	}
	link_peers(snap);
	dbus_link(snap);
	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];
		if (!(KIND_BIT(o->kind) & NS_KINDS))
			o->ipc_ns = process_ns(snap, o);
		const struct ipc_namespace *ns = o->ipc_ns ? snapshot_namespace(snap, o->ipc_ns) : NULL;

		o->container = ns ? ns->container : NULL;
	}

	/* objects by kind: a counting sort of their indexes */
	size_t count[KIND_COUNT] = { 0 };

	for (size_t i = 0; i < snap->nobjects; i++)
		count[snap->objects[i].kind]++;
	snap->kind_first[0] = 0;
	for (int k = 0; k < KIND_COUNT; k++)
		snap->kind_first[k + 1] = snap->kind_first[k] + count[k];
	free(snap->by_kind);
	snap->by_kind = xcalloc(snap->nobjects + 1, sizeof(*snap->by_kind));
	memcpy(count, snap->kind_first, sizeof(count));
	for (size_t i = 0; i < snap->nobjects; i++)
		snap->by_kind[count[snap->objects[i].kind]++] = i;
}

