/* Batch metrics in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector. Every metric is a gauge (a snapshot has no
 * counters), in base units; cardinality is bounded: label values are kinds, limits,
 * sources, and the few deepest queues and fullest listeners (no pids). */
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"
#include "render.h"
#include "xalloc.h"

/* A listener this full (pending connections / backlog, in tenths) is near saturation. */
#define LISTEN_NEAR_TENTHS 8

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A label pair: ,name="value" (or without the comma first). */
static void label(FILE *f, bool first, const char *name, const char *value, size_t len)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	prom_write_label_value(f, value, len);
	fputc('"', f);
}

/* The bytes an object holds or stands for, or false when it has no such size: a
 * segment's or file's size, the bytes queued in a queue or a pipe. */
static bool object_bytes(const struct ipc_object *o, uint64_t *bytes)
{
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		*bytes = o->size;
		return true;
	case KIND_POSIX_MQ:
		*bytes = o->size;
		return o->has_status;
	case KIND_PIPE:
	case KIND_FIFO:
		*bytes = o->size;
		return o->has_fill;
	case KIND_MEMFD:
	case KIND_SHARED_ANON:
	case KIND_SHARED_FILE:
		*bytes = o->size;
		return o->has_size;
	default:
		return false;
	}
}

static bool kind_namespaced(enum ipc_kind k)
{
	return (KIND_BIT(k) & NS_KINDS) != 0;
}

static bool kind_has_bytes(enum ipc_kind k)
{
	struct ipc_object probe = { .kind = k, .has_status = true, .has_fill = true, .has_size = true };
	uint64_t b;

	return object_bytes(&probe, &b);
}

/* Totals of one kind in one IPC namespace (0: a kind that is in none). */
struct tally {
	enum ipc_kind kind;
	uint64_t ns;
	uint64_t count, bytes, stale, stale_bytes;
};

static int tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->ns > y->ns) - (x->ns < y->ns);
}

/* Per kind and namespace; every collected kind has a row (of ours, when namespaced). */
static struct tally *tally_objects(const struct snapshot *snap, unsigned int kinds, size_t *n)
{
	size_t alloc = KIND_COUNT + 16, count = 0;
	struct tally *t = xcalloc(alloc, sizeof(*t));

	for (int k = 0; k < KIND_COUNT; k++)
		if (kinds & KIND_BIT(k))
			t[count++] = (struct tally){ .kind = (enum ipc_kind)k,
						     .ns = kind_namespaced((enum ipc_kind)k) ?
							   snap->own_ipc_ns : 0 };
	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *o = &snap->objects[i];
		uint64_t ns = kind_namespaced(o->kind) ? o->ipc_ns : 0;
		uint64_t b = 0;
		bool has = object_bytes(o, &b);
		size_t j;

		if (!(kinds & KIND_BIT(o->kind)))
			continue;
		for (j = 0; j < count && !(t[j].kind == o->kind && t[j].ns == ns); j++)
			;
		if (j == count) {
			if (count == alloc) {
				alloc *= 2;
				t = xreallocarray(t, alloc, sizeof(*t));
			}
			t[count++] = (struct tally){ .kind = o->kind, .ns = ns };
		}
		t[j].count++;
		if (has)
			t[j].bytes += b;
		if (o->stale) {
			t[j].stale++;
			if (has)
				t[j].stale_bytes += b;
		}
	}
	qsort(t, count, sizeof(*t), tally_cmp);
	*n = count;
	return t;
}

static void sample_tally(FILE *f, const char *metric, const struct tally *t, uint64_t v)
{
	fprintf(f, "%s{kind=\"%s\"", metric, kind_classes[t->kind].name);
	if (t->ns)
		fprintf(f, ",namespace=\"%" PRIu64 "\"", t->ns);
	fprintf(f, "} %" PRIu64 "\n", v);
}

static void objects_metrics(FILE *f, const struct snapshot *snap, unsigned int kinds)
{
	size_t n;
	struct tally *t = tally_objects(snap, kinds, &n);

	family(f, "ipctop_objects", "IPC objects of each kind (and IPC namespace).");
	for (size_t i = 0; i < n; i++)
		sample_tally(f, "ipctop_objects", &t[i], t[i].count);
	family(f, "ipctop_object_bytes",
	       "Bytes of the objects of each kind: segment and file sizes, bytes queued in "
	       "message queues and pipes.");
	for (size_t i = 0; i < n; i++)
		if (kind_has_bytes(t[i].kind))
			sample_tally(f, "ipctop_object_bytes", &t[i], t[i].bytes);

	/* only the kinds whose staleness this snapshot could judge: an absent series says
	 * "unknown", a zero says "none" */
	family(f, "ipctop_stale_objects", "Objects that look stale (nobody uses them any more).");
	for (size_t i = 0; i < n; i++)
		if (snapshot_stale_judged(snap, t[i].kind))
			sample_tally(f, "ipctop_stale_objects", &t[i], t[i].stale);
	family(f, "ipctop_stale_bytes", "Bytes of the objects that look stale.");
	for (size_t i = 0; i < n; i++)
		if (snapshot_stale_judged(snap, t[i].kind) && kind_has_bytes(t[i].kind))
			sample_tally(f, "ipctop_stale_bytes", &t[i], t[i].stale_bytes);
	free(t);
}

static void namespace_metrics(FILE *f, const struct snapshot *snap)
{
	family(f, "ipctop_namespace_info",
	       "An IPC namespace in use (1): whether it is ipctop's own, its container.");
	for (size_t i = 0; i < snap->nnamespaces; i++) {
		const struct ipc_namespace *ns = &snap->namespaces[i];
		const char *c = ns->container ? ns->container : "";

		fprintf(f, "ipctop_namespace_info{namespace=\"%" PRIu64 "\",own=\"%s\",", ns->ino,
			ns->own ? "true" : "false");
		label(f, true, "container", c, strlen(c));
		fputs("} 1\n", f);
	}
	family(f, "ipctop_namespace_processes", "Processes in each IPC namespace.");
	for (size_t i = 0; i < snap->nnamespaces; i++)
		if (snap->namespaces[i].nprocs)
			fprintf(f, "ipctop_namespace_processes{namespace=\"%" PRIu64 "\"} %zu\n",
				snap->namespaces[i].ino, snap->namespaces[i].nprocs);
}

/* Limits in base units: pages become bytes. */
static uint64_t limit_scale(const struct ipc_limit *l)
{
	long page = sysconf(_SC_PAGESIZE);

	return strcmp(l->unit, "pages") == 0 ? (uint64_t)(page > 0 ? page : 4096) : 1;
}

static bool limit_in_bytes(const struct ipc_limit *l)
{
	return strcmp(l->unit, "bytes") == 0 || strcmp(l->unit, "pages") == 0;
}

/* v * scale, exact while it fits in 64 bits (a sample value is a float64 anyway). */
static void scaled_value(FILE *f, uint64_t v, uint64_t scale)
{
	if (scale > 1 && v > UINT64_MAX / scale)
		fprintf(f, "%.17g\n", (double)v * (double)scale);
	else
		fprintf(f, "%" PRIu64 "\n", v * scale);
}

static void limit_family(FILE *f, const struct snapshot *snap, const char *name, const char *help,
			 bool bytes, bool used)
{
	family(f, name, help);
	for (size_t i = 0; i < snap->nlimits; i++) {
		const struct ipc_limit *l = &snap->limits[i];

		if (limit_in_bytes(l) != bytes || !(used ? l->has_used : l->has_limit))
			continue;
		fprintf(f, "%s{limit=\"%s\"} ", name, l->name);
		scaled_value(f, used ? l->used : l->limit, limit_scale(l));
	}
}

static void limits_metrics(FILE *f, const struct snapshot *snap)
{
	limit_family(f, snap, "ipctop_limit", "A system limit on IPC objects (a count).", false, false);
	limit_family(f, snap, "ipctop_limit_used", "How much of a limit is in use (a count).", false, true);
	limit_family(f, snap, "ipctop_limit_bytes", "A system limit on IPC objects, in bytes.", true, false);
	limit_family(f, snap, "ipctop_limit_used_bytes", "How much of a limit is in use, in bytes.",
		     true, true);
	family(f, "ipctop_limit_usage_ratio", "Use of a limit: used / limit (1 = exhausted).");
	for (size_t i = 0; i < snap->nlimits; i++) {
		const struct ipc_limit *l = &snap->limits[i];

		if (l->has_used && l->has_limit && l->limit > 0)
			fprintf(f, "ipctop_limit_usage_ratio{limit=\"%s\"} %.6g\n", l->name,
				(double)l->used / (double)l->limit);
	}
}

/* ---- the deepest queues and the fullest listeners: top few, by value ---- */

struct ranked {
	const struct ipc_object *o;
	double key;
};

static int ranked_compare(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	/* ties: a stable order between runs */
	return x->o->inode != y->o->inode ? (x->o->inode < y->o->inode ? -1 : 1) :
	       (x->o->id > y->o->id) - (x->o->id < y->o->id);
}

/* The objects of a kind that pass (key > 0), deepest first; at most top. */
static struct ranked *rank(const struct snapshot *snap, enum ipc_kind kind,
			   double (*key)(const struct ipc_object *), size_t top, size_t *n)
{
	size_t from = snap->by_kind ? snap->kind_first[kind] : 0;
	size_t to = snap->by_kind ? snap->kind_first[kind + 1] : snap->nobjects;
	struct ranked *r = xcalloc(to - from + 1, sizeof(*r));
	size_t count = 0;

	for (size_t i = from; i < to; i++) {
		const struct ipc_object *o = &snap->objects[snap->by_kind ? snap->by_kind[i] : i];
		double k;

		if (o->kind != kind || (k = key(o)) <= 0)
			continue;
		r[count].o = o;
		r[count++].key = k;
	}
	qsort(r, count, sizeof(*r), ranked_compare);
	*n = count < top ? count : top;
	return r;
}

static double queue_depth(const struct ipc_object *o)
{
	if (o->kind == KIND_POSIX_MQ && !o->has_status)
		return 0;
	/* bytes first; a queue of empty messages still counts */
	return (double)o->size + (o->count > 0 ? 0.5 : 0);
}

/* The labels naming a queue: kind, and for SysV its id and key, for POSIX its name. */
static void queue_labels(FILE *f, const struct ipc_object *o)
{
	fprintf(f, "{kind=\"%s\"", kind_classes[o->kind].name);
	/* a SysV id is a number of its namespace */
	if (o->ipc_ns)
		fprintf(f, ",namespace=\"%" PRIu64 "\"", o->ipc_ns);
	if (o->kind == KIND_SYSV_MSG) {
		fprintf(f, ",queue=\"%d\",key=\"0x%08x\"", o->id, (unsigned int)o->key);
	} else {
		char *name = xmalloc(o->name_len + 2);

		name[0] = '/';
		memcpy(name + 1, o->name, o->name_len);
		label(f, false, "queue", name, o->name_len + 1);
		free(name);
	}
	fputc('}', f);
}

static void queue_metrics(FILE *f, const struct snapshot *snap, size_t top)
{
	static const enum ipc_kind kinds[] = { KIND_SYSV_MSG, KIND_POSIX_MQ };
	struct ranked *r[2];
	size_t n[2];

	for (int i = 0; i < 2; i++)
		r[i] = rank(snap, kinds[i], queue_depth, top, &n[i]);
	family(f, "ipctop_queue_bytes", "Bytes queued in the deepest message queues.");
	for (int i = 0; i < 2; i++)
		for (size_t j = 0; j < n[i]; j++) {
			fputs("ipctop_queue_bytes", f);
			queue_labels(f, r[i][j].o);
			fprintf(f, " %" PRIu64 "\n", r[i][j].o->size);
		}
	family(f, "ipctop_queue_messages", "Messages in the deepest message queues.");
	for (int i = 0; i < 2; i++)
		for (size_t j = 0; j < n[i]; j++) {
			fputs("ipctop_queue_messages", f);
			queue_labels(f, r[i][j].o);
			fprintf(f, " %" PRIu64 "\n", r[i][j].o->count);
		}
	family(f, "ipctop_queue_capacity_bytes",
	       "Bytes the deepest message queues can hold (SysV msg_qbytes; POSIX: maximum "
	       "messages times maximum message size).");
	for (int i = 0; i < 2; i++)
		for (size_t j = 0; j < n[i]; j++) {
			const struct ipc_object *o = r[i][j].o;

			if (!o->has_attr)
				continue;
			fputs("ipctop_queue_capacity_bytes", f);
			queue_labels(f, o);
			fprintf(f, " %" PRIu64 "\n", o->kind == KIND_SYSV_MSG ? o->max_size :
				o->max_count * o->max_size);
		}
	family(f, "ipctop_queue_capacity_messages", "Messages the deepest POSIX message queues can hold.");
	for (size_t j = 0; j < n[1]; j++) {
		const struct ipc_object *o = r[1][j].o;

		if (!o->has_attr)
			continue;
		fputs("ipctop_queue_capacity_messages", f);
		queue_labels(f, o);
		fprintf(f, " %" PRIu64 "\n", o->max_count);
	}
	free(r[0]);
	free(r[1]);
}

static bool unix_listener(const struct ipc_object *o)
{
	return o->kind == KIND_UNIX && o->has_queues && o->sock_state == TCP_LISTEN;
}

static double listen_fill(const struct ipc_object *o)
{
	if (!unix_listener(o) || o->rqueue == 0)
		return 0;
	return o->wqueue ? (double)o->rqueue / (double)o->wqueue : (double)o->rqueue;
}

static void socket_labels(FILE *f, const struct ipc_object *o)
{
	char buf[40];

	fputc('{', f);
	if (o->name) {
		label(f, true, "socket", o->name, o->name_len);
	} else {
		snprintf(buf, sizeof(buf), "socket:[%" PRIu64 "]", o->inode);
		label(f, true, "socket", buf, strlen(buf));
	}
	fputc('}', f);
}

static void listen_metrics(FILE *f, const struct snapshot *snap, size_t top)
{
	size_t n, near = 0;
	struct ranked *r;

	if (!(snap->kinds_collected & KIND_BIT(KIND_UNIX)))
		return;
	r = rank(snap, KIND_UNIX, listen_fill, top, &n);
	family(f, "ipctop_unix_listen_backlog",
	       "Connections waiting to be accepted on the fullest UNIX listening sockets.");
	for (size_t i = 0; i < n; i++) {
		fputs("ipctop_unix_listen_backlog", f);
		socket_labels(f, r[i].o);
		fprintf(f, " %" PRIu32 "\n", r[i].o->rqueue);
	}
	family(f, "ipctop_unix_listen_backlog_max",
	       "The listen() backlog of the fullest UNIX listening sockets.");
	for (size_t i = 0; i < n; i++) {
		fputs("ipctop_unix_listen_backlog_max", f);
		socket_labels(f, r[i].o);
		fprintf(f, " %" PRIu32 "\n", r[i].o->wqueue);
	}
	free(r);
	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *o = &snap->objects[i];

		if (unix_listener(o) && o->rqueue > 0 &&
		    (uint64_t)o->rqueue * 10 >= (uint64_t)o->wqueue * LISTEN_NEAR_TENTHS)
			near++;
	}
	family(f, "ipctop_unix_listeners_near_saturation",
	       "UNIX listening sockets whose waiting connections fill at least 80% of the backlog.");
	fprintf(f, "ipctop_unix_listeners_near_saturation %zu\n", near);
}

static void process_metrics(FILE *f, const struct snapshot *snap)
{
	if (snap->nprocs > 0) {
		family(f, "ipctop_processes", "Processes seen.");
		fprintf(f, "ipctop_processes %zu\n", snap->nprocs);
	}
	if (snap->holders_scanned) {
		family(f, "ipctop_processes_unreadable",
		       "Processes whose descriptors or mappings could not be read (their holdings "
		       "are unknown).");
		fprintf(f, "ipctop_processes_unreadable %zu\n", snap->procs_unreadable);
	}
}

static void note_metrics(FILE *f, const struct snapshot *snap)
{
	family(f, "ipctop_source_problems",
	       "Problems reading a source this time (see ipctop --json's notes).");
	for (size_t i = 0; i < snap->nnotes; i++) {
		bool seen = false;
		size_t n = 0;

		for (size_t j = 0; j < snap->nnotes; j++) {
			bool same = strcmp(snap->notes[j].source, snap->notes[i].source) == 0;

			seen |= same && j < i;
			n += same;
		}
		if (seen)
			continue;
		fputs("ipctop_source_problems{", f);
		label(f, true, "source", snap->notes[i].source, strlen(snap->notes[i].source));
		fprintf(f, "} %zu\n", n);
	}
}

void render_prometheus(FILE *f, const struct snapshot *snap, const struct render_opts *ro)
{
	unsigned int kinds = ro->kinds & snap->kinds_collected;
	/* the format's numbers have a decimal point whatever LC_NUMERIC says */
	locale_t c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t saved = c_numeric ? uselocale(c_numeric) : (locale_t)0;

	family(f, "ipctop_snapshot_timestamp_seconds", "When the snapshot was taken.");
	fprintf(f, "ipctop_snapshot_timestamp_seconds %lld.%03ld\n", (long long)snap->taken.tv_sec,
		snap->taken.tv_nsec / 1000000);
	objects_metrics(f, snap, kinds);
	namespace_metrics(f, snap);
	limits_metrics(f, snap);
	queue_metrics(f, snap, ro->metrics_top);
	listen_metrics(f, snap, ro->metrics_top);
	process_metrics(f, snap);
	note_metrics(f, snap);
	if (c_numeric) {
		uselocale(saved);
		freelocale(c_numeric);
	}
}
