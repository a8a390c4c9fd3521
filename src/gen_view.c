/* The stress view (see gen_view.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"
#include "gen_view.h"
#include "nls.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of a running process, 0 when gone. */
static double proc_cpu(pid_t pid)
{
	char path[64], buf[1024];
	FILE *f;
	double s = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');
		unsigned long ut, st;

		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
			s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	fclose(f);
	return s;
}

void gen_view_sample(struct gen_view *v)
{
	struct gen_result res[GEN_MECH_COUNT];
	double now = mono_now();
	size_t n;

	if (!v->run)
		return;
	n = gen_results(v->run, res, GEN_MECH_COUNT);
	for (size_t i = 0; i < n; i++) {
		enum gen_mech_id m = res[i].mech;
		double cpu = res[i].cpu_s;

		for (size_t k = 0; k < res[i].npids; k++)
			cpu += proc_cpu(res[i].pids[k]);
		if (v->t_last > 0 && now > v->t_last) {
			double dt = now - v->t_last;

			memmove(&v->rate[m][0], &v->rate[m][1], (GEN_SPARK - 1) * sizeof(double));
			v->rate[m][GEN_SPARK - 1] = (double)(res[i].received - v->last[m]) / dt;
			v->cpu_pct[m] = 100.0 * (cpu - v->cpu_last[m]) / dt;
		}
		v->last[m] = res[i].received;
		v->cpu_last[m] = cpu;
	}
	if (v->t_last > 0)
		v->nsamples++;
	v->t_last = now;
}

static void sparkline(struct strbuf *b, const double *r, unsigned int n, bool utf8)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
					      "\u2587", "\u2588" };
	static const char ascii[] = "_.-=+*#@";
	double max = 0;

	if (n > GEN_SPARK)
		n = GEN_SPARK;
	for (unsigned int i = GEN_SPARK - n; i < GEN_SPARK; i++)
		max = fmax(max, r[i]);
	for (unsigned int i = GEN_SPARK - n; i < GEN_SPARK; i++) {
		int lvl = max > 0 ? (int)(r[i] / max * 7.0 + 0.5) : 0;

		if (r[i] <= 0) {
			strbuf_add(b, " ", 1);
			continue;
		}
		if (utf8)
			strbuf_add(b, blocks[lvl], strlen(blocks[lvl]));
		else
			strbuf_add(b, &ascii[lvl], 1);
	}
}

/* Whether a mechanism's objects are of this kind. */
static bool mech_kind(enum gen_mech_id m, enum ipc_kind k)
{
	switch (m) {
	case GEN_PIPE:
		return k == KIND_PIPE;
	case GEN_FIFO:
		return k == KIND_FIFO;
	case GEN_UNIX_STREAM:
	case GEN_UNIX_DGRAM:
	case GEN_UNIX_SEQPACKET:
	case GEN_SOCKETPAIR:
		return k == KIND_UNIX;
	case GEN_TCP:
		return k == KIND_INET;
	case GEN_POSIX_MQ:
		return k == KIND_POSIX_MQ;
	case GEN_POSIX_SHM:
		return k == KIND_POSIX_SHM || k == KIND_POSIX_SEM;
	case GEN_EVENTFD:
		return k == KIND_EVENTFD;
	default:
		return false;
	}
}

/* Which mechanism of the run an object belongs to: held by its workers, or (SysV,
 * which have no holders by descriptor) named with the run's key. -1: none. */
static int object_mech(const struct ipc_object *o, const struct gen_result *res, size_t n)
{
	pid_t me = getpid();

	if (gen_object_owner(o) == me && o->kind == KIND_SYSV_MSG)
		return GEN_SYSV_MSG;
	if (gen_object_owner(o) == me && (o->kind == KIND_SYSV_SHM || o->kind == KIND_SYSV_SEM))
		return GEN_SYSV_SHM;
	for (size_t h = 0; h < o->nholders; h++)
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < res[i].npids; k++)
				if (o->holders[h].pid == res[i].pids[k] && mech_kind(res[i].mech, o->kind))
					return (int)res[i].mech;
	return -1;
}

/* The kernel's side of one object, one line. */
static char *kernel_side(const struct ipc_object *o, bool utf8)
{
	struct strbuf b = { 0 };
	char *name = o->name ? text_escape(o->name, o->name_len, utf8, NULL) : NULL;

	strbuf_printf(&b, "    %-10s ", kind_classes[o->kind].name);
	switch (o->kind) {
	case KIND_PIPE:
	case KIND_FIFO:
		strbuf_printf(&b, "inode %-10llu ", (unsigned long long)o->inode);
		if (o->has_fill)
			strbuf_printf(&b, _("fill %llu / %llu bytes"), (unsigned long long)o->size,
				      (unsigned long long)o->max_size);
		else
			strbuf_printf(&b, _("fill unknown"));
		break;
	case KIND_POSIX_MQ:
		strbuf_printf(&b, "/%s ", name ? name : "?");
		if (o->has_attr)
			strbuf_printf(&b, _("depth %llu / %llu messages"), (unsigned long long)o->count,
				      (unsigned long long)o->max_count);
		break;
	case KIND_SYSV_MSG:
		strbuf_printf(&b, _("id %d: depth %llu messages, %llu / %llu bytes"), o->id,
			      (unsigned long long)o->count, (unsigned long long)o->size,
			      (unsigned long long)o->max_size);
		break;
	case KIND_SYSV_SEM:
		strbuf_printf(&b, _("id %d: waiters %d (ncnt) %d (zcnt)"), o->id, o->ncnt_total, o->zcnt_total);
		break;
	case KIND_SYSV_SHM:
		strbuf_printf(&b, _("id %d: %llu bytes, %llu attached"), o->id, (unsigned long long)o->size,
			      (unsigned long long)o->count);
		break;
	case KIND_POSIX_SEM:
		strbuf_printf(&b, "/%s ", name ? name : "?");
		if (o->has_value)
			strbuf_printf(&b, _("value %d, waiters %d"), o->sem_value, o->sem_waiters);
		break;
	case KIND_POSIX_SHM:
		strbuf_printf(&b, "/%s %llu bytes", name ? name : "?", (unsigned long long)o->size);
		break;
	case KIND_UNIX:
	case KIND_INET:
		strbuf_printf(&b, "inode %-10llu ", (unsigned long long)o->inode);
		if (o->has_queues)
			strbuf_printf(&b, _("receive queue %u, send queue %u"), o->rqueue, o->wqueue);
		break;
	case KIND_EVENTFD:
		strbuf_printf(&b, "inode %-10llu count %llu", (unsigned long long)o->inode,
			      (unsigned long long)o->counter);
		break;
	default:
		strbuf_printf(&b, "inode %llu", (unsigned long long)o->inode);
		break;
	}
	free(name);
	return b.s;
}

void doc_stress(struct doc *d, const struct snapshot *snap, const struct gen_view *v, bool utf8)
{
	struct gen_result res[GEN_MECH_COUNT];
	const struct gen_params *p;
	size_t n;

	doc_free(d);
	if (!v->run) {
		doc_add(d, LS_TITLE, xstrdup(_("Traffic generator")));
		doc_add(d, LS_NORMAL, xstrdup(_("  not running: g starts it")));
		return;
	}
	p = gen_run_params(v->run);
	n = gen_results(v->run, res, GEN_MECH_COUNT);

	const char *err = gen_run_error(v->run);

	doc_add(d, LS_TITLE, xasprintf(_("Traffic generator: %zu-byte messages, %s, %s, %.0f s: %s"),
					p->msg_size, p->pattern == GEN_PINGPONG ? "pingpong" : "stream",
					p->rate ? _("rate-limited") : _("as fast as possible"), p->duration,
					err ? _("failed") : v->state > 0 ? _("running") :
					v->stopped ? _("stopped") : _("finished")));
	if (err)
		doc_add(d, LS_STALE, xasprintf("  %s", err));
	doc_add(d, LS_COLUMNS, xasprintf("  %-15s %5s %11s %9s %9s %9s %6s %6s  %s", _("MECHANISM"), _("PAIRS"),
					  _("MSGS/S"), _("MB/S"), _("P50"), _("P99"), _("CPU%"), _("ERRORS"),
					  _("RATE, LAST REFRESHES")));
	for (size_t i = 0; i < n; i++) {
		const struct gen_result *r = &res[i];
		/* the last refresh's rate while it runs, the run's average once it is over */
		double now_rate = v->nsamples && v->state > 0 ? v->rate[r->mech][GEN_SPARK - 1] : r->msgs_per_s;
		char p50[16], p99[16];
		struct strbuf b = { 0 };

		gen_format_ns(r->lat_p50, p50, sizeof(p50));
		gen_format_ns(r->lat_p99, p99, sizeof(p99));
		strbuf_printf(&b, "  %-15s %5u %11.0f %9.2f %9s %9s %6.0f %6llu  ", gen_mech_name(r->mech), r->pairs,
			      now_rate, now_rate * (double)(r->mech == GEN_EVENTFD ? 8 : p->msg_size) / 1e6, p50, p99,
			      v->cpu_pct[r->mech], (unsigned long long)r->errors);
		sparkline(&b, v->rate[r->mech], v->nsamples, utf8);
		doc_add(d, r->errors ? LS_STALE : LS_NORMAL, b.s);
	}
	if (!snap)
		return;
	doc_add(d, LS_NORMAL, xstrdup(""));
	doc_add(d, LS_SECTION, xstrdup(_("The kernel's side (this snapshot)")));
	for (size_t i = 0; i < n; i++) {
		bool head = false;

		for (size_t k = 0; k < snap->nobjects; k++) {
			const struct ipc_object *o = &snap->objects[k];

			if (object_mech(o, res, n) != (int)res[i].mech)
				continue;
			if (!head)
				doc_add(d, LS_NORMAL, xasprintf("  %s", gen_mech_name(res[i].mech)));
			head = true;

			struct doc_line *l = doc_add(d, LS_NORMAL, kernel_side(o, utf8));

			l->has_obj = true;
			object_ident(o, &l->obj);
		}
	}
}
