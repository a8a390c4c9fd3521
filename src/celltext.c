/* One column's value of one object as display text: batch text and the full-screen
 * program format cells the same way. */
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
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#define MAX_TEXT_SEMS 16
#define MAX_TEXT_HOLDERS 8
#define MAX_TEXT_LIST 16

/* "1234:cat:3w" per descriptor ("1234:sshd:9u(master)" with an end), "1234:cat:mmap(rw)"
 * per mapping. The command is escaped. */
static char *holders_text(const struct snapshot *snap, const struct holder *h, size_t n,
			  bool utf8, size_t *width)
{
	struct strbuf b = { 0 };
	size_t w = 0;

	strbuf_add(&b, "", 0);
	for (size_t i = 0; i < n && i < MAX_TEXT_HOLDERS; i++) {
		const struct process *p = snapshot_process(snap, h[i].pid);
		size_t cw = 0;
		char *comm = text_escape(p ? p->comm : "?", strlen(p ? p->comm : "?"), utf8, &cw);
		size_t before = b.len;

		strbuf_printf(&b, "%s%d:", i ? "," : "", (int)h[i].pid);
		strbuf_add(&b, comm, strlen(comm));
		if (h[i].fd >= 0)
			strbuf_printf(&b, ":%d%s", h[i].fd,
				  h[i].access == (HOLD_READ | HOLD_WRITE) ? "u" : access_name(h[i].access));
		if (h[i].fd >= 0 && end_name(h[i].role))
			strbuf_printf(&b, "(%s)", end_name(h[i].role));
		else if (h[i].fd < 0)
			strbuf_printf(&b, ":mmap(%s)", access_name(h[i].access));
		/* every byte but the escaped command is ASCII */
		w += b.len - before - strlen(comm) + cw;
		free(comm);
	}
	if (n > MAX_TEXT_HOLDERS) {
		size_t before = b.len;

		strbuf_printf(&b, ",+%zu", n - MAX_TEXT_HOLDERS);
		w += b.len - before;
	}
	if (n == 0) {
		strbuf_add(&b, "-", 1);
		w = 1;
	}
	*width = w;
	return b.s;
}

void format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm))
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	else
		snprintf(buf, len, "%" PRId64, t);
}

/* The text of one cell, malloc'd, and its display width. */
char *cell_text(const struct snapshot *snap, int col, const struct ipc_object *o,
		       bool utf8, size_t *width)
{
	const struct column *c = &columns[col];
	struct cell v;
	char buf[64];

	column_value(col, o, &v);
	switch (v.type) {
	case CELL_NULL:
		snprintf(buf, sizeof(buf), "%s", c->type == CT_OFFSET ? "EOF" : "-");
		break;
	case CELL_INT:
		if (c->type == CT_TIME)
			format_time(v.i, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%" PRId64, v.i);
		break;
	case CELL_UINT:
		if (c->type == CT_KEY)
			snprintf(buf, sizeof(buf), "0x%08" PRIx64, v.u);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64, v.u);
		break;
	case CELL_BOOL:
		snprintf(buf, sizeof(buf), "%s", v.b ? "yes" : "no");
		break;
	case CELL_STR:
	case CELL_BYTES:
		/* user and group names come from NSS and are escaped like object names */
		return text_escape(v.s, v.type == CELL_STR ? strlen(v.s) : v.len, utf8, width);
	case CELL_SEMS: {
		size_t n = o->count, len = 0, alloc = n * 12 + 8;
		char *s = xmalloc(alloc);

		s[0] = '\0';
		for (size_t i = 0; i < n && i < MAX_TEXT_SEMS; i++)
			len += (size_t)snprintf(s + len, alloc - len, "%s%d", i ? "," : "",
						o->sems[i].value);
		if (n > MAX_TEXT_SEMS)
			len += (size_t)snprintf(s + len, alloc - len, ",...");
		*width = len;
		return s;
	}
	case CELL_HOLDERS:
		return holders_text(snap, v.holders, v.nholders, utf8, width);
	case CELL_STALE: {
		/* a translation may be UTF-8: escape it like any other text */
		const char *reason = o->stale ? _(o->stale_reason) : "-";

		return text_escape(reason, strlen(reason), utf8, width);
	}
	case CELL_SIGSET: {
		struct strbuf b = { 0 };
		char tmp[16];

		strbuf_add(&b, "", 0);
		for (int sig = 1; sig <= 64; sig++)
			if (v.u & (1ULL << (sig - 1)))
				strbuf_printf(&b, "%s%s", b.len ? "," : "", signal_name(sig, tmp, sizeof(tmp)));
		if (!b.len)
			strbuf_add(&b, "-", 1);
		*width = b.len;
		return b.s;
	}
	case CELL_INODES: {
		struct strbuf b = { 0 };

		strbuf_add(&b, "", 0);
		for (size_t i = 0; i < o->npending && i < MAX_TEXT_LIST; i++)
			strbuf_printf(&b, "%s%" PRIu64, i ? "," : "", o->pending[i]);
		if (o->npending > MAX_TEXT_LIST)
			strbuf_printf(&b, ",+%zu", o->npending - MAX_TEXT_LIST);
		if (!b.len)
			strbuf_add(&b, "-", 1);
		*width = b.len;
		return b.s;
	}
	case CELL_TARGETS: {
		struct strbuf b = { 0 };

		strbuf_add(&b, "", 0);
		for (size_t i = 0; i < o->ntargets && i < MAX_TEXT_LIST; i++)
			strbuf_printf(&b, "%s%d:0x%" PRIx32 "@%" PRIu64, i ? "," : "", o->targets[i].fd,
				      o->targets[i].events, o->targets[i].inode);
		if (o->ntargets > MAX_TEXT_LIST)
			strbuf_printf(&b, ",+%zu", o->ntargets - MAX_TEXT_LIST);
		if (!b.len)
			strbuf_add(&b, "-", 1);
		*width = b.len;
		return b.s;
	}
	case CELL_WATCHES: {
		struct strbuf b = { 0 };

		size_t w = 0;

		/* "wd:path" where the path is known (escaped), else "wd:inode@major:minor" */
		strbuf_add(&b, "", 0);
		for (size_t i = 0; i < o->nwatches && i < MAX_TEXT_LIST; i++) {
			const struct watch *wt = &o->watches[i];
			size_t before = b.len;

			strbuf_printf(&b, "%s%d:", i ? "," : "", wt->wd);
			w += b.len - before;
			if (wt->path) {
				size_t pw;
				char *esc = text_escape(wt->path, strlen(wt->path), utf8, &pw);

				strbuf_add(&b, esc, strlen(esc));
				w += pw;
				free(esc);
			} else {
				before = b.len;
				strbuf_printf(&b, "%" PRIu64 "@%u:%u", wt->inode, major(wt->dev), minor(wt->dev));
				w += b.len - before;
			}
		}
		if (o->nwatches > MAX_TEXT_LIST) {
			size_t before = b.len;

			strbuf_printf(&b, ",+%zu", o->nwatches - MAX_TEXT_LIST);
			w += b.len - before;
		}
		if (!b.len) {
			strbuf_add(&b, "-", 1);
			w = 1;
		}
		*width = w;
		return b.s;
	}
	case CELL_STRLIST: {
		struct strbuf b = { 0 };
		size_t w = 0;

		/* the strings escaped, comma-separated */
		strbuf_add(&b, "", 0);
		for (size_t i = 0; i < v.list->n && i < MAX_TEXT_LIST; i++) {
			size_t sw;
			char *esc = text_escape(v.list->v[i], strlen(v.list->v[i]), utf8, &sw);

			if (i) {
				strbuf_add(&b, ",", 1);
				w++;
			}
			strbuf_add(&b, esc, strlen(esc));
			w += sw;
			free(esc);
		}
		if (v.list->n > MAX_TEXT_LIST) {
			size_t before = b.len;

			strbuf_printf(&b, ",+%zu", v.list->n - MAX_TEXT_LIST);
			w += b.len - before;
		}
		if (!b.len) {
			strbuf_add(&b, "-", 1);
			w = 1;
		}
		*width = w;
		return b.s;
	}
	}
	*width = strlen(buf);
	return xstrdup(buf);
}

bool column_right_aligned(int col)
{
	switch (columns[col].type) {
	case CT_INT:
	case CT_U64:
	case CT_PID:
	case CT_ID:
	case CT_U32:
	case CT_I64:
		return true;
	default:
		return false;
	}
}
