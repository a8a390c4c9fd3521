/* Batch text: a summary, the limits, the notes, then one table per kind. */
#include "config.h"

#include <inttypes.h>
#include <sys/sysmacros.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "celltext.h"
#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "render.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

/* The columns a kind shows in text, in order; returns the count. */
static size_t text_columns(enum ipc_kind kind, const struct render_opts *ro, int *out)
{
	size_t n = 0;

	if (!ro->columns || ro->columns_add)
		for (const int *c = kind_classes[kind].defaults; *c >= 0; c++)
			out[n++] = *c;
	for (size_t i = 0; ro->columns && i < ro->ncolumns; i++) {
		int col = kind_column_by_name(kind, ro->columns[i]);
		bool dup = false;

		for (size_t j = 0; j < n; j++)
			dup |= out[j] == col;
		if (col >= 0 && !dup)
			out[n++] = col;
	}
	return n;
}

/* n spaces */
static void pad(FILE *f, size_t n)
{
	static const char spaces[] = "                                                                ";

	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		fwrite(spaces, 1, sizeof(spaces) - 1, f);
	fwrite(spaces, 1, n, f);
}

static void render_kind(FILE *f, const struct snapshot *snap, enum ipc_kind kind,
			const struct render_opts *ro)
{
	const struct kind_class *kc = &kind_classes[kind];
	int cols[64];
	size_t ncols = text_columns(kind, ro, cols);
	int sort = ro->sort_name ? kind_column_by_name(kind, ro->sort_name) : -1;
	size_t nrows;
	const struct ipc_object **rows = kind_rows(snap, kind, sort, ro->reverse, ro->pids, ro->npids, &nrows);

	fprintf(f, "\n%s: %zu\n", _(kc->title), nrows);
	if (nrows == 0 || ncols == 0) {
		free(rows);
		return;
	}

	/* every cell formatted once, into one buffer: its text, then its width */
	struct cell_at {
		uint32_t off, width;
	};
	size_t ncells = nrows * ncols, text_alloc = 0;
	struct cell_at *at = xbigarray(NULL, 0, ncells, sizeof(*at));
	char *text = NULL;
	size_t text_len = 0, colw[64];

	for (size_t c = 0; c < ncols; c++)
		colw[c] = strlen(columns[cols[c]].header);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			size_t w;
			char *cell = cell_text(snap, cols[c], rows[r], ro->utf8, &w);
			size_t len = strlen(cell);

			if (text_len + len + 1 > UINT32_MAX)
				xalloc_die();
			if (text_len + len + 1 > text_alloc) {
				size_t n = text_alloc ? text_alloc * 2 : 65536;

				while (n < text_len + len + 1)
					n *= 2;
				text = xbigarray(text, text_alloc, n, 1);
				text_alloc = n;
			}
			memcpy(text + text_len, cell, len + 1);
			at[r * ncols + c] = (struct cell_at){ (uint32_t)text_len, (uint32_t)w };
			text_len += len + 1;
			free(cell);
			if (w > colw[c])
				colw[c] = w;
		}

	for (size_t c = 0; c < ncols; c++) {
		const char *h = columns[cols[c]].header;
		bool last = c + 1 == ncols;

		if (column_right_aligned(cols[c]))
			fprintf(f, "%*s%s", (int)colw[c], h, last ? "\n" : " ");
		else
			fprintf(f, "%-*s%s", last ? 0 : (int)colw[c], h, last ? "\n" : " ");
	}
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			const struct cell_at *a = &at[r * ncols + c];
			bool last = c + 1 == ncols;

			if (column_right_aligned(cols[c]))
				pad(f, colw[c] - a->width);
			fputs(text + a->off, f);
			if (!column_right_aligned(cols[c]) && !last)
				pad(f, colw[c] - a->width);
			putc(last ? '\n' : ' ', f);
		}
	xbigarray_free(text, text_alloc, 1);
	xbigarray_free(at, ncells, sizeof(*at));
	free(rows);
}

static void render_limits(FILE *f, const struct snapshot *snap)
{
	fprintf(f, "\n%-15s %-48s %20s %20s %5s\n", _("RESOURCE"), _("DESCRIPTION"),
		_("LIMIT"), _("USED"), _("USE%"));
	for (size_t i = 0; i < snap->nlimits; i++) {
		const struct ipc_limit *l = &snap->limits[i];
		char lim[32] = "-", used[32] = "-", pct[16] = "-";

		if (l->has_limit)
			snprintf(lim, sizeof(lim), "%" PRIu64, l->limit);
		if (l->has_used)
			snprintf(used, sizeof(used), "%" PRIu64, l->used);
		if (l->has_limit && l->has_used && l->limit > 0)
			snprintf(pct, sizeof(pct), "%.0f%%", 100.0 * (double)l->used / (double)l->limit);
		fprintf(f, "%-15s %-48s %20s %20s %5s\n", l->name, _(l->description), lim, used, pct);
	}
}

/* --pid: who the process is, and how many objects of each kind it takes part in. */
static void render_process(FILE *f, const struct snapshot *snap, pid_t pid,
			   const struct render_opts *ro)
{
	const struct process *p = snapshot_process(snap, pid);

	if (!p) {
		fprintf(f, "\n%s %d: %s\n", _("Process"), (int)pid, _("not running"));
		return;
	}

	char *comm = text_escape(p->comm, strlen(p->comm), ro->utf8, NULL);
	const char *name = user_name(p->euid);
	char *user = name ? text_escape(name, strlen(name), ro->utf8, NULL) : NULL;

	fprintf(f, "\n%s %d (%s), %s ", _("Process"), (int)pid, comm, _("user"));
	if (user)
		fputs(user, f);
	else
		fprintf(f, "%u", (unsigned int)p->euid);
	free(user);
	if (p->unreadable)
		fprintf(f, ", %s", _("not readable: holders unknown"));
	fputc('\n', f);
	free(comm);
	if (p->cmdline) {
		char *cmd = text_escape(p->cmdline, strlen(p->cmdline), ro->utf8, NULL);

		fprintf(f, "  %s: %s\n", _("command line"), cmd);
		free(cmd);
	}
	fprintf(f, "  %s:", _("takes part in"));
	size_t n[KIND_COUNT] = { 0 }, total = 0;

	for (size_t i = 0; i < snap->nobjects; i++)
		if (object_involves(&snap->objects[i], pid))
			n[snap->objects[i].kind]++;
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(ro->kinds & (1u << k)) || !n[k])
			continue;
		fprintf(f, "%s %s %zu", total ? "," : "", _(kind_classes[k].short_title), n[k]);
		total += n[k];
	}
	fprintf(f, "%s\n", total ? "" : _(" nothing"));
}

/* The D-Bus section: each bus, reached or why not, before its connections' table. */
static void render_dbus_buses(FILE *f, const struct snapshot *snap, const struct render_opts *ro)
{
	fprintf(f, "\n%s: %zu\n", _("D-Bus buses"), snap->ndbus_buses);
	if (!snap->dbus_supported)
		fprintf(f, "  %s\n", _("ipctop was built without D-Bus support (sd-bus): buses are not read"));
	for (size_t i = 0; i < snap->ndbus_buses; i++) {
		const struct dbus_bus *b = &snap->dbus_buses[i];
		char *label = text_escape(b->label, strlen(b->label), ro->utf8, NULL);
		char *addr = text_escape(b->address, strlen(b->address), ro->utf8, NULL);

		fprintf(f, "  %s  %s", label, addr);
		for (size_t d = 0; d < b->ndaemons; d++) {
			const struct process *p = snapshot_process(snap, b->daemon_pids[d]);
			char *comm = p ? text_escape(p->comm, strlen(p->comm), ro->utf8, NULL) : xstrdup("?");

			fprintf(f, "%s%d(%s)", d ? "," : _("  daemon "), (int)b->daemon_pids[d], comm);
			free(comm);
		}
		fputc('\n', f);
		free(label);
		free(addr);
		if (!b->reached) {
			char *why = text_escape(b->error ? b->error : "?", strlen(b->error ? b->error : "?"),
						ro->utf8, NULL);

			fprintf(f, "    %s: %s\n", _("not read"), why);
			free(why);
			continue;
		}
		fprintf(f, "    %s: %zu%s\n", _("connections"), b->nconns,
			b->as_owner ? _(" (read as the bus's user)") : "");
		if (b->stats) {
			fprintf(f, "    %s\n", _("statistics: yes (org.freedesktop.DBus.Debug.Stats)"));
		} else {
			const char *why = b->stats_error ? b->stats_error : _("no connection to ask about");
			char *esc = text_escape(why, strlen(why), ro->utf8, NULL);

			fprintf(f, "    %s: %s\n", _("statistics: no"), esc);
			free(esc);
		}
		fprintf(f, "    %s: %zu", _("activatable, not running"), b->activatable.n);
		for (size_t a = 0; a < b->activatable.n; a++) {
			char *name = text_escape(b->activatable.v[a], strlen(b->activatable.v[a]), ro->utf8, NULL);

			fprintf(f, "%s%s", a ? ", " : " ", name);
			free(name);
		}
		fputc('\n', f);
	}
}

void render_text(FILE *f, const struct snapshot *snap, const struct render_opts *ro)
{
	char when[64];
	size_t count[KIND_COUNT] = { 0 };
	struct tm tm;
	time_t now = snap->taken.tv_sec;

	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	else
		snprintf(when, sizeof(when), "%lld", (long long)now);
	char *host = text_escape(snap->hostname, strlen(snap->hostname), ro->utf8, NULL);

	fprintf(f, "ipctop %s - %s - %s\n", PACKAGE_VERSION, when, host);
	free(host);

	for (size_t i = 0; i < snap->nobjects; i++)
		count[snap->objects[i].kind]++;
	fprintf(f, "%s:", _("Objects"));
	bool first = true;

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(ro->kinds & (1u << k)))
			continue;
		fprintf(f, "%s %s %zu", first ? "" : ",", _(kind_classes[k].short_title), count[k]);
		first = false;
	}
	fputc('\n', f);

	render_limits(f, snap);

	if (snap->nnotes) {
		fputc('\n', f);
		for (size_t i = 0; i < snap->nnotes; i++) {
			char *src = text_escape(snap->notes[i].source, strlen(snap->notes[i].source),
						ro->utf8, NULL);
			char *msg = text_escape(snap->notes[i].message, strlen(snap->notes[i].message),
						ro->utf8, NULL);

			fprintf(f, "%s: %s: %s\n", _("Note"), src, msg);
			free(src);
			free(msg);
		}
	}

	for (size_t i = 0; i < ro->npids; i++)
		render_process(f, snap, ro->pids[i], ro);

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(ro->kinds & (1u << k)))
			continue;
		if (k == KIND_DBUS)
			render_dbus_buses(f, snap, ro);
		render_kind(f, snap, (enum ipc_kind)k, ro);
	}
}
