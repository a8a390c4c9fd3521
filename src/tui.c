/*
 * The full-screen program: a header with the system picture, one pane per mechanism,
 * drill-down pages for objects and processes, search, filter, tags and safe removal.
 *
 * Snapshots come from a worker thread (collector.c), so keys answer while a collection
 * runs. Key handlers return what must happen next (htop's Htop_Reaction): redraw,
 * rebuild the rows, collect now or quit; only tui_run() acts on it.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "celltext.h"
#include "collector.h"
#include "columns.h"
#include "detail.h"
#include "escape.h"
#include "nls.h"
#include "panes.h"
#include "remove.h"
#include "strbuf.h"
#include "tui.h"
#include "gen_view.h"
#include "util.h"
#include "xalloc.h"

#define MAX_CELL_WIDTH 40        /* a column but the last is cut here */
#define VIEW_DEPTH 32
#define INPUT_MAX 200
#define STATUS_SECONDS 5.0
#define EVENT_MIN_INTERVAL 0.5   /* seconds between collections that inotify asks for */

static volatile sig_atomic_t tui_stop;
static volatile sig_atomic_t curses_active;

static void tui_on_signal(int sig)
{
	(void)sig;
	tui_stop = 1;
}

/* Leave the terminal usable even when we crash, as htop's CRT_handleSIGSEGV does. */
static void tui_on_crash(int sig)
{
	if (curses_active)
		endwin();
	static const char msg[] = "ipctop: fatal signal; terminal restored\n";
	ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

enum color {
	C_DEFAULT, C_TITLE, C_TAB, C_TAB_ACTIVE, C_COLHEAD, C_COLHEAD_SORT, C_SELECT, C_STALE,
	C_GREW, C_TAGGED, C_BAR_LOW, C_BAR_MID, C_BAR_HIGH, C_DIM, C_KEY, C_SECTION, C_COUNT
};

/* What a key asks for. */
enum reaction {
	R_NONE = 0,
	R_REDRAW = 1,
	R_ROWS = 2,        /* rebuild the rows (and redraw) */
	R_COLLECT = 4,     /* collect now */
	R_QUIT = 8,
};

enum view_type { V_LIST, V_OBJECT, V_PROCESS, V_HELP, V_STRESS };

struct view {
	enum view_type type;
	struct obj_ident obj;
	pid_t pid;
	size_t sel, top;
};

struct pane_state {
	const char *cols[PANE_MAX_COLUMNS + 1];
	size_t ncols;
	size_t width[PANE_MAX_COLUMNS + 1];
	const char *sort;           /* NULL: the default */
	bool reverse;
	enum proc_col psort;
	size_t sel, top, left;
	bool has_sel;
	struct obj_ident sel_id;    /* the selected object, kept across snapshots */
	pid_t sel_pid;
};

enum input_mode { IN_NONE, IN_SEARCH, IN_FILTER, IN_GENERATE };

struct tui {
	const struct collect_opts *co;
	const struct render_opts *ro;
	struct tui_opts to;
	bool utf8, color;
	attr_t attr[C_COUNT];

	struct collector *collector;
	struct snapshot *snap, *prev;
	struct ident_index ix, prev_ix;
	double next_refresh;
	double event_due;       /* a collection asked for by inotify, at this time; 0 none */
	double last_request;    /* when a collection was last asked for */
	bool paused;
	int inotify_fd;

	int pane;
	struct pane_state ps[PANE_COUNT];
	const struct ipc_object **rows;
	struct proc_row *prows;
	size_t nrows;

	char filter[INPUT_MAX + 8];
	char search[INPUT_MAX + 8];
	char gen_line[INPUT_MAX + 8];   /* the generator's prompt */
	struct gen_view gv;             /* the generator's run, if any */
	bool stale_only;
	uint64_t ns_filter;     /* i: only this IPC namespace's objects (object_in_namespace), 0 all */
	enum input_mode input;
	size_t search_from;

	struct view stack[VIEW_DEPTH];
	size_t depth;               /* stack[depth - 1] is shown; stack[0] is the list */
	struct doc doc;

	struct obj_ident *tags;
	size_t ntags;

	char status[512];
	double status_until;

	/* screen geometry of the last draw, for the mouse */
	int tab_y, head_y, body_y, body_h;
	int tab_x0[PANE_COUNT], tab_x1[PANE_COUNT];
	int col_x0[PANE_MAX_COLUMNS + 1], col_x1[PANE_MAX_COLUMNS + 1];
	size_t ncol_x;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The IPC namespace after cur in the snapshot's list (by inode), 0 after the last. */
static uint64_t next_namespace(const struct snapshot *snap, uint64_t cur)
{
	for (size_t i = 0; i < snap->nnamespaces; i++)
		if (snap->namespaces[i].ino > cur)
			return snap->namespaces[i].ino;
	return 0;
}

static void __attribute__((format(printf, 2, 3))) set_status(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	t->status_until = now_seconds() + STATUS_SECONDS;
}

/* ---- colours ---- */

static void colors_init(struct tui *t)
{
	static const struct { short fg, bg; attr_t extra, mono; } scheme[C_COUNT] = {
		[C_DEFAULT] = { -1, -1, 0, 0 },
		[C_TITLE] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[C_TAB] = { COLOR_WHITE, COLOR_BLUE, 0, 0 },
		[C_TAB_ACTIVE] = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
		[C_COLHEAD] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
		[C_COLHEAD_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE },
		[C_SELECT] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[C_STALE] = { COLOR_RED, -1, A_BOLD, A_BOLD },
		[C_GREW] = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
		[C_TAGGED] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE },
		[C_BAR_LOW] = { COLOR_GREEN, -1, 0, 0 },
		[C_BAR_MID] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
		[C_BAR_HIGH] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
		[C_DIM] = { COLOR_CYAN, -1, 0, A_DIM },
		[C_KEY] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[C_SECTION] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	};

	t->color = !t->to.monochrome && has_colors();
	if (t->color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < C_COUNT; i++) {
		if (t->color && i > 0 && i < COLOR_PAIRS) {
			init_pair((short)i, scheme[i].fg, scheme[i].bg);
			t->attr[i] = COLOR_PAIR(i) | scheme[i].extra;
		} else {
			t->attr[i] = scheme[i].mono;
		}
	}
}

/* ---- text on the screen ---- */

/* Print s from display column skip, at most maxw columns; returns the columns used.
 * s is already escaped: it has no control bytes. */
static int put_clipped(int y, int x, const char *s, size_t skip, int maxw)
{
	mbstate_t st;
	size_t len = strlen(s), col = 0;
	int used = 0;

	memset(&st, 0, sizeof(st));
	move(y, x);
	for (size_t i = 0; i < len && used < maxw;) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			wc = L'?';
		}
		w = wcwidth(wc);
		if (w < 0)
			w = 1;
		if (col >= skip) {
			if (used + w > maxw)
				break;
			if (wc < 0x20 || wc == 0x7f)
				addch(' ');     /* callers escape; this is only a safety net */
			else if (n == 1 && wc == L'?' && (unsigned char)s[i] >= 0x80)
				addch('?');
			else
				addnstr(s + i, (int)n);
			used += w;
		}
		col += (size_t)w;
		i += n;
	}
	return used;
}

static size_t text_width(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s), width = 0;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < len;) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			wc = L'?';
		}
		int w = wcwidth(wc);

		width += w < 0 ? 1 : (size_t)w;
		i += n;
	}
	return width;
}

/* Append s padded or cut to exactly w display columns (right-aligned if right). */
static void add_cell(struct strbuf *b, const char *s, size_t w, bool right, bool last)
{
	size_t sw = text_width(s);

	if (last) {
		strbuf_add(b, s, strlen(s));
		return;
	}
	if (sw > w) {
		/* cut at w columns */
		mbstate_t st;
		size_t len = strlen(s), col = 0, i = 0;

		memset(&st, 0, sizeof(st));
		while (i < len) {
			wchar_t wc;
			size_t n = mbrtowc(&wc, s + i, len - i, &st);

			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&st, 0, sizeof(st));
				n = 1;
				wc = L'?';
			}
			int cw = wcwidth(wc);

			cw = cw < 0 ? 1 : cw;
			if (col + (size_t)cw > w)
				break;
			col += (size_t)cw;
			i += n;
		}
		strbuf_add(b, s, i);
		for (; col < w; col++)
			strbuf_add(b, " ", 1);
		return;
	}
	if (right)
		for (size_t i = sw; i < w; i++)
			strbuf_add(b, " ", 1);
	strbuf_add(b, s, strlen(s));
	if (!right)
		for (size_t i = sw; i < w; i++)
			strbuf_add(b, " ", 1);
}

/* ---- panes and rows ---- */

static bool pane_mixed(int pane)
{
	return __builtin_popcount(pane_classes[pane].kinds) > 1;
}

static void pane_init(struct tui *t, int pane)
{
	struct pane_state *ps = &t->ps[pane];
	const char *names[PANE_MAX_COLUMNS];
	size_t n = pane_columns((enum pane_id)pane, false, names, PANE_MAX_COLUMNS);

	ps->ncols = 0;
	if (pane_mixed(pane))
		ps->cols[ps->ncols++] = "kind";
	if (t->ro->columns && !t->ro->columns_add)
		n = 0;      /* -o replaces the defaults */
	for (size_t i = 0; i < n && ps->ncols < PANE_MAX_COLUMNS; i++)
		ps->cols[ps->ncols++] = names[i];
	/* -o names this pane's kinds have */
	const char *all[PANE_MAX_COLUMNS];
	size_t nall = pane_columns((enum pane_id)pane, true, all, PANE_MAX_COLUMNS);

	for (size_t i = 0; t->ro->columns && i < t->ro->ncolumns; i++)
		for (size_t j = 0; j < nall; j++) {
			bool dup = false;

			if (strcmp(all[j], t->ro->columns[i]) != 0)
				continue;
			for (size_t k = 0; k < ps->ncols; k++)
				dup |= strcmp(ps->cols[k], all[j]) == 0;
			if (!dup && ps->ncols < PANE_MAX_COLUMNS)
				ps->cols[ps->ncols++] = all[j];
		}
	if (ps->ncols == (pane_mixed(pane) ? 1u : 0u))   /* nothing from -o here: defaults */
		for (size_t i = 0; i < pane_columns((enum pane_id)pane, false, names, PANE_MAX_COLUMNS); i++)
			ps->cols[ps->ncols++] = names[i];
	ps->sort = NULL;
	for (size_t j = 0; t->ro->sort_name && j < nall; j++)
		if (strcmp(all[j], t->ro->sort_name) == 0)
			ps->sort = all[j];
	ps->reverse = t->ro->reverse;
	ps->psort = PC_PID;
	for (size_t i = 0; i <= PANE_MAX_COLUMNS; i++)
		ps->width[i] = 0;
}

static const char *column_header(int pane, const char *name)
{
	if (strcmp(name, "kind") == 0)
		return "KIND";
	for (int k = 0; k < KIND_COUNT; k++)
		if (pane_classes[pane].kinds & KIND_BIT(k)) {
			int col = kind_column_by_name((enum ipc_kind)k, name);

			if (col >= 0)
				return columns[col].header;
		}
	return name;
}

static bool column_right(int pane, const char *name)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (pane_classes[pane].kinds & KIND_BIT(k)) {
			int col = kind_column_by_name((enum ipc_kind)k, name);

			if (col >= 0)
				return column_right_aligned(col);
		}
	return false;
}

/* The text of one cell of a pane, malloc'd. */
static char *pane_cell(const struct tui *t, const char *name, const struct ipc_object *o)
{
	size_t w;

	if (strcmp(name, "kind") == 0)
		return xstrdup(kind_classes[o->kind].name);
	int col = kind_column_by_name(o->kind, name);

	if (col < 0)
		return xstrdup("");
	return cell_text(t->snap, col, o, t->utf8, &w);
}

static struct view *top_view(struct tui *t)
{
	return &t->stack[t->depth - 1];
}

static bool is_tagged(const struct tui *t, const struct obj_ident *id)
{
	for (size_t i = 0; i < t->ntags; i++)
		if (ident_compare(&t->tags[i], id) == 0)
			return true;
	return false;
}

static void toggle_tag(struct tui *t, const struct obj_ident *id)
{
	for (size_t i = 0; i < t->ntags; i++)
		if (ident_compare(&t->tags[i], id) == 0) {
			t->tags[i] = t->tags[--t->ntags];
			return;
		}
	t->tags = xreallocarray(t->tags, t->ntags + 1, sizeof(*t->tags));
	t->tags[t->ntags++] = *id;
}

static void rows_free(struct tui *t)
{
	free(t->rows);
	free(t->prows);
	t->rows = NULL;
	t->prows = NULL;
	t->nrows = 0;
}

/* Rebuild the rows of the current pane, keeping the selection on the same object. */
static void rows_build(struct tui *t)
{
	struct pane_state *ps = &t->ps[t->pane];

	rows_free(t);
	if (!t->snap)
		return;
	if (t->pane == PANE_PROCS) {
		t->prows = proc_rows(t->snap, t->filter, ps->psort, ps->reverse, &t->nrows);
		if (ps->has_sel)
			for (size_t i = 0; i < t->nrows; i++)
				if (t->prows[i].p->pid == ps->sel_pid) {
					ps->sel = i;
					break;
				}
	} else {
		struct pane_query q = {
			.sort = ps->sort, .reverse = ps->reverse, .filter = t->filter,
			.stale_only = t->stale_only, .ipc_ns = t->ns_filter,
			.pids = t->ro->pids, .npids = t->ro->npids,
		};

		t->rows = pane_rows(t->snap, (enum pane_id)t->pane, &q, &t->nrows);
		/* the selected object, found in the index once, then by address */
		const struct ipc_object *sel = ps->has_sel ? ident_index_find(&t->ix, &ps->sel_id) : NULL;

		for (size_t i = 0; sel && i < t->nrows; i++)
			if (t->rows[i] == sel) {
				ps->sel = i;
				break;
			}
	}
	if (ps->sel >= t->nrows)
		ps->sel = t->nrows ? t->nrows - 1 : 0;
}

static void remember_selection(struct tui *t)
{
	struct pane_state *ps = &t->ps[t->pane];

	/* the rows may still be another pane's until they are rebuilt */
	ps->has_sel = ps->sel < t->nrows && (t->pane == PANE_PROCS ? t->prows != NULL : t->rows != NULL);
	if (!ps->has_sel)
		return;
	if (t->pane == PANE_PROCS)
		ps->sel_pid = t->prows[ps->sel].p->pid;
	else
		object_ident(t->rows[ps->sel], &ps->sel_id);
}

/* ---- drill-down pages ---- */

/* Append "  KEY  TEXT" to d, TEXT wrapped at width under its own column (escaped text only). */
static void doc_wrapped(struct doc *d, const char *key, const char *text, size_t width, enum line_style style)
{
	const char *rest = text;
	bool first = true;

	do {
		size_t len = strlen(rest), take = len;

		if (len > width) {
			take = width;
			while (take > 0 && rest[take] != ' ')
				take--;
			if (take == 0)
				take = width;
		}
		if (d->n == d->alloc) {
			d->alloc = d->alloc ? d->alloc * 2 : 32;
			d->lines = xreallocarray(d->lines, d->alloc, sizeof(*d->lines));
		}
		struct doc_line *l = &d->lines[d->n++];

		memset(l, 0, sizeof(*l));
		l->text = xasprintf("  %-22s %.*s", first ? key : "", (int)take, rest);
		l->style = style;
		first = false;
		rest += take;
		while (*rest == ' ')
			rest++;
	} while (*rest);
}

/* The keys, then what the snapshot could not read and why (its notes). */
static void doc_help(struct doc *d, int cols, const struct snapshot *snap, bool utf8)
{
	static const char *const keys[][2] = {
		{ "Tab, Shift-Tab", N_("next, previous pane") },
		{ "1-9, 0, N, M, B, P", N_("pane: pipes, UNIX, POSIX mq, SysV msg, POSIX shm, SysV shm, "
					   "semaphores, event fds and ptys, signals, locks, local TCP/UDP "
					   "and netlink sockets, shared mappings (memfd, anonymous, files), "
					   "D-Bus connections, processes") },
		{ "Up, Down, PgUp, PgDn", N_("move the selection") },
		{ "Home, End", N_("first, last row") },
		{ "Left, Right", N_("scroll sideways") },
		{ "Enter", N_("details of the selected object or process; on a holder, its process") },
		{ "Esc, Backspace", N_("back to where you were") },
		{ "/ or F3", N_("search as you type; F3 or n: next match") },
		{ "\\ or F4", N_("filter rows by name, key, id, inode, pid, command or user") },
		{ "s", N_("show only objects that look stale") },
		{ "i", N_("objects of the next IPC namespace only (held by its processes), then all again") },
		{ "< >, F6", N_("sort by the previous, next column; F6: choose the sort column") },
		{ "I", N_("invert the sort order") },
		{ "c or F2", N_("choose the columns of this pane") },
		{ "Space, t", N_("tag the selected object (in details: space pauses)") },
		{ "U", N_("untag everything") },
		{ "d or F9", N_("remove the tagged objects, or the selected one, after a confirmation") },
		{ "g", N_("traffic generator: start one (SPEC and options, as --generate), or show "
			  "the stress view of the running one") },
		{ "G", N_("stop the traffic generator (its objects are removed)") },
		{ "p", N_("pause or resume the refresh") },
		{ "r, Ctrl-L", N_("refresh now") },
		{ "F1, ?, h", N_("this help") },
		{ "q, F10", N_("quit") },
		{ "", "" },
		{ N_("Mouse"), N_("click a row to select it, twice to open it; click a column header "
				  "to sort by it (again to invert); click a tab; wheel scrolls") },
		{ N_("Marks"), N_("first column: '*' tagged, '!' looks stale, '+' grew since the last refresh") },
	};

	doc_free(d);
	d->alloc = 32;
	d->lines = xcalloc(d->alloc, sizeof(*d->lines));
	d->lines[d->n++] = (struct doc_line){ .text = xasprintf(_("ipctop %s: keys"), PACKAGE_VERSION),
					      .style = LS_TITLE };
	/* descriptions wrap at the window's width, under their own column */
	size_t width = cols > 25 + 20 ? (size_t)cols - 25 - 1 : 20;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		doc_wrapped(d, keys[i][0][0] ? _(keys[i][0]) : "", keys[i][0][0] ? _(keys[i][1]) : "",
			    width, LS_NORMAL);
	if (!snap || !snap->nnotes)
		return;
	doc_wrapped(d, "", "", width, LS_NORMAL);
	if (d->n == d->alloc) {
		d->alloc *= 2;
		d->lines = xreallocarray(d->lines, d->alloc, sizeof(*d->lines));
	}
	d->lines[d->n++] = (struct doc_line){ .text = xstrdup(_("What could not be read, and why")),
					      .style = LS_SECTION };
	for (size_t i = 0; i < snap->nnotes; i++) {
		char *src = text_escape(snap->notes[i].source, strlen(snap->notes[i].source), utf8, NULL);
		char *msg = text_escape(snap->notes[i].message, strlen(snap->notes[i].message), utf8, NULL);

		doc_wrapped(d, src, msg, width, LS_DIM);
		free(src);
		free(msg);
	}
}

/* Rebuild the page of the top view from the current snapshot. */
static void doc_build(struct tui *t)
{
	struct view *v = top_view(t);

	doc_free(&t->doc);
	if (v->type == V_HELP) {
		doc_help(&t->doc, COLS, t->snap, t->utf8);
	} else if (v->type == V_STRESS) {
		doc_stress(&t->doc, t->snap, &t->gv, t->utf8);
	} else if (!t->snap) {
		return;
	} else if (v->type == V_PROCESS) {
		doc_process(&t->doc, t->snap, v->pid, t->utf8);
	} else if (v->type == V_OBJECT) {
		const struct ipc_object *o = ident_index_find(&t->ix, &v->obj);

		if (o) {
			doc_object(&t->doc, t->snap, o, t->prev ? ident_index_find(&t->prev_ix, &v->obj) : NULL,
				   t->utf8);
		} else {
			struct doc *d = &t->doc;

			d->alloc = 2;
			d->lines = xcalloc(2, sizeof(*d->lines));
			d->lines[d->n++] = (struct doc_line){ .text = xstrdup(_(kind_classes[v->obj.kind].title)),
							      .style = LS_TITLE };
			d->lines[d->n++] = (struct doc_line){
				.text = xstrdup(_("  gone: removed, or its last holder closed it")),
				.style = LS_STALE };
		}
	}
	if (v->sel >= t->doc.n)
		v->sel = t->doc.n ? t->doc.n - 1 : 0;
}

static void push_view(struct tui *t, struct view v)
{
	if (t->depth == VIEW_DEPTH) {
		/* forget the oldest page but keep the list at the bottom */
		memmove(&t->stack[1], &t->stack[2], (VIEW_DEPTH - 2) * sizeof(t->stack[0]));
		t->depth--;
	}
	t->stack[t->depth++] = v;
	doc_build(t);
}

static void pop_view(struct tui *t)
{
	if (t->depth > 1) {
		t->depth--;
		doc_build(t);
	}
}

/* ---- snapshots ---- */

/* A new snapshot and its index, built by the worker; the one before last goes back to
 * the worker to be freed, so the main thread only sorts the pane's rows. */
static void adopt_snapshot(struct tui *t, struct snapshot *snap, struct ident_index *ix)
{
	remember_selection(t);
	collector_discard(t->collector, t->prev, &t->prev_ix);
	t->prev = t->snap;
	t->prev_ix = t->ix;
	t->snap = snap;
	t->ix = *ix;
	rows_build(t);
	if (t->gv.run)
		gen_view_sample(&t->gv);
	if (top_view(t)->type != V_LIST)
		doc_build(t);
}

/* ---- drawing ---- */

static void draw_meter(struct tui *t, int y, int x, int w, const char *label, uint64_t used, uint64_t limit)
{
	double frac = limit ? (double)used / (double)limit : 0;
	char pct[16];
	int lw = (int)strlen(label);

	if (frac > 1)
		frac = 1;
	snprintf(pct, sizeof(pct), "%.0f%%", limit ? 100.0 * (double)used / (double)limit : 0.0);
	if (w < lw + 4)
		return;
	attron(A_BOLD);
	mvaddstr(y, x, label);
	attroff(A_BOLD);
	int inner = w - lw - 2, filled = (int)lround(frac * inner);
	int pw = (int)strlen(pct);
	enum color c = frac >= 0.9 ? C_BAR_HIGH : frac >= 0.7 ? C_BAR_MID : C_BAR_LOW;

	addch('[');
	attron(t->attr[c]);
	for (int i = 0; i < inner; i++) {
		int ch = i < filled ? '|' : ' ';

		if (i >= inner - pw)
			ch = pct[i - (inner - pw)];
		addch((chtype)ch);
	}
	attroff(t->attr[c]);
	addch(']');
}

static int draw_header(struct tui *t, int cols, bool full)
{
	int y = 0;
	char buf[256], when[40] = "";
	const struct snapshot *s = t->snap;
	size_t stale = 0;

	if (s) {
		struct tm tm;
		time_t tt = s->taken.tv_sec;

		if (localtime_r(&tt, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		stale = s->nstale;
	}
	attron(t->attr[C_TITLE]);
	mvhline(y, 0, ' ', cols);
	char *host = s ? text_escape(s->hostname, strlen(s->hostname), t->utf8, NULL) : xstrdup("");

	snprintf(buf, sizeof(buf), " ipctop %s  %s  %s  %s %.1fs%s%s", PACKAGE_VERSION, host, when,
		 _("every"), t->to.delay, t->paused ? _("  [paused]") : "",
		 t->collector && collector_busy(t->collector) ? _("  [collecting]") : "");
	free(host);
	put_clipped(y, 0, buf, 0, cols);
	attroff(t->attr[C_TITLE]);
	y++;
	if (!full || !s)
		return y;

	/* counts per mechanism, from the link phase's grouping */
	size_t nkind[KIND_COUNT] = { 0 };

	for (int k = 0; k < KIND_COUNT; k++)
		nkind[k] = s->by_kind ? s->kind_first[k + 1] - s->kind_first[k] : 0;
	struct strbuf b = { 0 };

	/* the kinds present: with two dozen kinds, the zeros would push them off the line */
	size_t absent = 0;

	strbuf_add(&b, " ", 1);
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(s->kinds_collected & KIND_BIT(k)))
			continue;
		if (nkind[k])
			strbuf_printf(&b, "%s %zu  ", _(kind_classes[k].short_title), nkind[k]);
		else
			absent++;
	}
	if (absent)
		strbuf_printf(&b, ngettext("(%zu kind: none)", "(%zu kinds: none)", absent), absent);
	move(y, 0);
	clrtoeol();
	put_clipped(y, 0, b.s ? b.s : "", 0, cols);
	free(b.s);
	y++;

	/* limits as meters */
	static const struct { const char *limit, *label; } meters[] = {
		{ "msgmni", "msg" }, { "shmmni", "shm" }, { "shmall", "shmem" }, { "semmni", "sem" },
		{ "semmns", "sems" }, { "mq_queues_max", "mq" }, { "dev_shm", "/dev/shm" },
	};
	const struct ipc_limit *shown[8];
	const char *labels[8];
	size_t nshown = 0;

	for (size_t m = 0; m < sizeof(meters) / sizeof(meters[0]); m++)
		for (size_t i = 0; i < s->nlimits; i++)
			if (strcmp(s->limits[i].name, meters[m].limit) == 0 && s->limits[i].has_limit &&
			    s->limits[i].has_used) {
				labels[nshown] = meters[m].label;
				shown[nshown++] = &s->limits[i];
			}
	move(y, 0);
	clrtoeol();
	if (nshown) {
		int per = cols / (int)(nshown < 4 || cols >= 110 ? nshown : 4);

		if (per < 12)
			per = 12;
		for (size_t i = 0, x = 0; i < nshown && (int)x + per <= cols; i++, x += (size_t)per)
			draw_meter(t, y, (int)x + 1, per - 2, labels[i], shown[i]->used, shown[i]->limit);
	}
	y++;

	/* what could not be seen */
	move(y, 0);
	clrtoeol();
	snprintf(buf, sizeof(buf), " %s %zu   %s %zu   %s %zu", _("stale:"), stale, _("processes:"), s->nprocs,
		 _("not readable:"), s->procs_unreadable);
	if (stale)
		attron(t->attr[C_STALE]);
	put_clipped(y, 0, buf, 0, cols);
	if (stale)
		attroff(t->attr[C_STALE]);
	if (s->procs_unreadable && (int)strlen(buf) + 30 < cols) {
		const char *why = geteuid() != 0 ? _("(run as root to see their holders)")
						 : _("(refused even to root)");

		put_clipped(y, (int)strlen(buf) + 2, why, 0, cols - (int)strlen(buf) - 2);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  %s", why);
	}
	/* the notes themselves are on the help page */
	if (s->nnotes && (int)strlen(buf) + 30 < cols) {
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "   ");
		char *src = text_escape(s->notes[0].source, strlen(s->notes[0].source), t->utf8, NULL);
		char *note = xasprintf(ngettext("%zu note (first: %s): press ? to read it",
						"%zu notes (first: %s): press ? to read them", s->nnotes),
				       s->nnotes, src);

		attron(t->attr[C_DIM]);
		put_clipped(y, (int)strlen(buf), note, 0, cols - (int)strlen(buf));
		attroff(t->attr[C_DIM]);
		free(note);
		free(src);
	}
	return y + 1;
}

static void draw_tabs(struct tui *t, int y, int cols)
{
	int widths[PANE_COUNT], total = 0, start = 0;
	char labels[PANE_COUNT][48];

	for (int p = 0; p < PANE_COUNT; p++) {
		snprintf(labels[p], sizeof(labels[p]), "%c %s", pane_classes[p].key, _(pane_classes[p].title));
		widths[p] = (int)text_width(labels[p]);
		total += widths[p] + 1;
	}
	/* too narrow: start at a tab from which the active one is still visible */
	while (total > cols && start < t->pane) {
		int w = 0;

		for (int p = start; p <= t->pane; p++)
			w += widths[p] + 1;
		if (w <= cols)
			break;
		total -= widths[start] + 1;
		start++;
	}
	move(y, 0);
	clrtoeol();
	int x = 0;

	for (int p = 0; p < PANE_COUNT; p++)
		t->tab_x0[p] = t->tab_x1[p] = -1;
	if (start > 0) {
		mvaddch(y, 0, '<');
		x = 1;
	}
	for (int p = start; p < PANE_COUNT && x < cols; p++) {
		attron(t->attr[p == t->pane ? C_TAB_ACTIVE : C_TAB]);
		t->tab_x0[p] = x;
		x += put_clipped(y, x, labels[p], 0, cols - x);
		t->tab_x1[p] = x;
		attroff(t->attr[p == t->pane ? C_TAB_ACTIVE : C_TAB]);
		x++;
	}
}

/* The gutter mark and colour of an object row. */
static char row_mark(const struct tui *t, const struct ipc_object *o, enum color *c)
{
	struct obj_ident id;

	object_ident(o, &id);
	if (is_tagged(t, &id)) {
		*c = C_TAGGED;
		return '*';
	}
	if (o->stale) {
		*c = C_STALE;
		return '!';
	}
	if (t->prev && object_grew(o, ident_index_find(&t->prev_ix, &id))) {
		*c = C_GREW;
		return '+';
	}
	*c = C_DEFAULT;
	return ' ';
}

static const char *proc_cell(const struct proc_row *r, enum proc_col c, char *buf, size_t len)
{
	switch (c) {
	case PC_PID:
		snprintf(buf, len, "%d", (int)r->p->pid);
		break;
	case PC_USER:
		return user_label(r->p->euid);
	case PC_STATE:
		snprintf(buf, len, "%c", r->p->state);
		break;
	case PC_OBJECTS:
		snprintf(buf, len, "%zu", r->objects);
		break;
	case PC_COMMAND:
		return r->p->comm;
	default:
		snprintf(buf, len, "%zu", r->count[c]);
		break;
	}
	return buf;
}

/* Under the D-Bus pane's rows, where there is room: each bus, read or why not. */
static void draw_dbus_buses(struct tui *t, int y, int h, int cols)
{
	const struct snapshot *s = t->snap;
	size_t top = t->ps[t->pane].top, body = h > 1 ? (size_t)(h - 1) : 0;
	size_t shown = t->nrows > top ? t->nrows - top : 0;
	int first = t->nrows ? y + 2 + (int)(shown < body ? shown : body) : y + 4;

	if (first + (int)s->ndbus_buses + !s->dbus_supported > y + h)
		return;
	attron(t->attr[C_DIM]);
	if (!s->dbus_supported)
		put_clipped(first++, 2, _("ipctop was built without D-Bus support (sd-bus): buses are not read"),
			    0, cols - 2);
	for (size_t i = 0; i < s->ndbus_buses; i++) {
		const struct dbus_bus *b = &s->dbus_buses[i];
		char *raw = b->reached ? xasprintf(_("bus %s  %s: %zu connections, statistics %s, %zu activatable not running"),
						   b->label, b->address, b->nconns, b->stats ? _("yes") : _("no"),
						   b->activatable.n)
				       : xasprintf(_("bus %s  %s: not read: %s"), b->label, b->address,
						   b->error ? b->error : "?");
		char *line = text_escape(raw, strlen(raw), t->utf8, NULL);

		put_clipped(first++, 2, line, 0, cols - 2);
		free(line);
		free(raw);
	}
	attroff(t->attr[C_DIM]);
}

static void draw_list(struct tui *t, int y, int h, int cols)
{
	struct pane_state *ps = &t->ps[t->pane];
	bool procs = t->pane == PANE_PROCS;
	size_t ncols = procs ? PC_COUNT : ps->ncols;

	t->head_y = y;
	t->body_y = y + 1;
	t->body_h = h - 1;
	if (h < 2)
		return;
	/* keep the selection visible */
	size_t body = (size_t)(h - 1);

	if (ps->sel < ps->top)
		ps->top = ps->sel;
	if (ps->sel >= ps->top + body)
		ps->top = ps->sel - body + 1;
	if (ps->top > t->nrows)
		ps->top = 0;

	/* widths grow to fit what has been seen, and never jump back while scrolling */
	for (size_t c = 0; c < ncols; c++) {
		const char *hd = procs ? proc_columns[c].header : column_header(t->pane, ps->cols[c]);
		size_t w = text_width(hd);

		if (ps->width[c] < w)
			ps->width[c] = w;
	}
	char **cells = xcalloc(body * ncols + 1, sizeof(*cells));

	for (size_t r = 0; r < body && ps->top + r < t->nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			char buf[32];
			char *s;

			if (procs) {
				const char *v = proc_cell(&t->prows[ps->top + r], (enum proc_col)c, buf, sizeof(buf));

				s = text_escape(v, strlen(v), t->utf8, NULL);
			} else {
				s = pane_cell(t, ps->cols[c], t->rows[ps->top + r]);
			}
			size_t w = text_width(s);

			if (w > MAX_CELL_WIDTH && c + 1 < ncols)
				w = MAX_CELL_WIDTH;
			if (w > ps->width[c])
				ps->width[c] = w;
			cells[r * ncols + c] = s;
		}

	/* column header */
	struct strbuf hb = { 0 };
	size_t x = 1;

	strbuf_add(&hb, " ", 1);
	t->ncol_x = ncols;
	for (size_t c = 0; c < ncols; c++) {
		const char *hd = procs ? proc_columns[c].header : column_header(t->pane, ps->cols[c]);
		bool right = procs ? (c != PC_USER && c != PC_COMMAND && c != PC_STATE)
				   : column_right(t->pane, ps->cols[c]);

		t->col_x0[c] = (int)x - (int)ps->left;
		add_cell(&hb, hd, ps->width[c], right, c + 1 == ncols);
		x += ps->width[c];
		t->col_x1[c] = (int)x - (int)ps->left;
		strbuf_add(&hb, " ", 1);
		x++;
	}
	attron(t->attr[C_COLHEAD]);
	mvhline(y, 0, ' ', cols);
	put_clipped(y, 0, hb.s, ps->left, cols);
	attroff(t->attr[C_COLHEAD]);
	/* the sort column stands out */
	size_t sc = SIZE_MAX;

	for (size_t c = 0; c < ncols; c++)
		if (procs ? c == (size_t)ps->psort
			  : (ps->sort ? strcmp(ps->cols[c], ps->sort) == 0 : false))
			sc = c;
	if (!procs && !ps->sort) {
		/* the default order: the first kind's default sort column */
		for (int k = 0; k < KIND_COUNT && sc == SIZE_MAX; k++)
			if (pane_classes[t->pane].kinds & KIND_BIT(k))
				for (size_t c = 0; c < ncols; c++)
					if (strcmp(ps->cols[c], columns[kind_classes[k].default_sort].name) == 0)
						sc = c;
	}
	if (sc != SIZE_MAX && t->col_x1[sc] > 0 && t->col_x0[sc] < cols) {
		/* the header as the line has it, highlighted, and an arrow in the gap after it */
		const char *hd = procs ? proc_columns[sc].header : column_header(t->pane, ps->cols[sc]);
		bool right = procs ? (sc != PC_USER && sc != PC_COMMAND && sc != PC_STATE)
				   : column_right(t->pane, ps->cols[sc]);
		struct strbuf cb = { 0 };
		int x0 = t->col_x0[sc];
		size_t skip = 0;

		add_cell(&cb, hd, ps->width[sc], right, false);
		strbuf_add(&cb, ps->reverse ? "v" : "^", 1);
		if (x0 < 0) {
			skip = (size_t)-x0;
			x0 = 0;
		}
		attron(t->attr[C_COLHEAD_SORT]);
		put_clipped(y, x0, cb.s, skip, cols - x0);
		attroff(t->attr[C_COLHEAD_SORT]);
		free(cb.s);
	}
	free(hb.s);

	for (size_t r = 0; r < body; r++) {
		int yy = y + 1 + (int)r;

		move(yy, 0);
		clrtoeol();
		if (ps->top + r >= t->nrows)
			continue;
		struct strbuf lb = { 0 };
		enum color color = C_DEFAULT;
		char mark = ' ';

		if (!procs)
			mark = row_mark(t, t->rows[ps->top + r], &color);
		else if (t->prows[ps->top + r].p->unreadable)
			mark = '?';
		strbuf_add(&lb, &mark, 1);
		for (size_t c = 0; c < ncols; c++) {
			bool right = procs ? (c != PC_USER && c != PC_COMMAND && c != PC_STATE)
					   : column_right(t->pane, ps->cols[c]);

			add_cell(&lb, cells[r * ncols + c], ps->width[c], right, c + 1 == ncols);
			strbuf_add(&lb, " ", 1);
		}
		bool sel = ps->top + r == ps->sel;
		attr_t a = sel ? t->attr[C_SELECT] : t->attr[color];

		attron(a);
		if (sel)
			mvhline(yy, 0, ' ', cols);
		put_clipped(yy, 0, lb.s, ps->left, cols);
		attroff(a);
		free(lb.s);
	}
	for (size_t i = 0; i < body * ncols; i++)
		free(cells[i]);
	free(cells);
	if (t->nrows == 0 && h > 2) {
		const char *msg = !t->snap ? _("collecting...") :
				  t->filter[0] || t->stale_only || t->ns_filter ? _("nothing matches the filter") :
				  _("none on this machine");

		attron(t->attr[C_DIM]);
		put_clipped(y + 2, 2, msg, 0, cols - 2);
		attroff(t->attr[C_DIM]);
	}
	if (t->pane == PANE_DBUS && t->snap)
		draw_dbus_buses(t, y, h, cols);
}

static void draw_doc(struct tui *t, int y, int h, int cols)
{
	struct view *v = top_view(t);

	t->head_y = -1;
	t->body_y = y;
	t->body_h = h;
	if (h < 1)
		return;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
	for (int r = 0; r < h; r++) {
		size_t i = v->top + (size_t)r;

		move(y + r, 0);
		clrtoeol();
		if (i >= t->doc.n)
			continue;
		const struct doc_line *l = &t->doc.lines[i];
		attr_t a;

		switch (l->style) {
		case LS_TITLE:
			a = t->attr[C_TAB_ACTIVE];
			break;
		case LS_SECTION:
			a = t->attr[C_SECTION];
			break;
		case LS_COLUMNS:
			a = t->attr[C_COLHEAD];
			break;
		case LS_CHANGED:
			a = t->attr[C_GREW];
			break;
		case LS_STALE:
			a = t->attr[C_STALE];
			break;
		case LS_DIM:
			a = t->attr[C_DIM];
			break;
		default:
			a = 0;
			break;
		}
		if (i == v->sel)
			a = t->attr[C_SELECT];
		attron(a);
		if (i == v->sel || l->style == LS_COLUMNS)
			mvhline(y + r, 0, ' ', cols);
		put_clipped(y + r, 0, l->text ? l->text : "", 0, cols);
		attroff(a);
		if (l->pid || l->has_obj) {
			/* an arrow says Enter opens it */
			if (cols > 2 && i != v->sel) {
				attron(t->attr[C_DIM]);
				mvaddch(y + r, 0, '>');
				attroff(t->attr[C_DIM]);
			}
		}
	}
}

static void draw_status(struct tui *t, int y, int cols)
{
	move(y, 0);
	clrtoeol();
	if (t->input != IN_NONE) {
		const char *label = t->input == IN_SEARCH ? _("Search: ") :
				    t->input == IN_GENERATE ? _("Generate: ") : _("Filter: ");
		const char *text = t->input == IN_SEARCH ? t->search :
				   t->input == IN_GENERATE ? t->gen_line : t->filter;
		char *shown = text_escape(text, strlen(text), t->utf8, NULL);

		attron(t->attr[C_KEY]);
		int x = put_clipped(y, 0, label, 0, cols);

		attroff(t->attr[C_KEY]);
		x += put_clipped(y, x, shown, 0, cols - x);
		free(shown);
		attron(t->attr[C_DIM]);
		put_clipped(y, x + 1, t->input == IN_SEARCH ? _("(Enter: done, F3: next, Esc: cancel)") :
				      t->input == IN_GENERATE ? _("(SPEC [--rate N] [--msg-size N] [--pattern "
								  "pingpong] [--duration S]; Enter: start, "
								  "Esc: cancel)")
							      : _("(Enter: done, Esc: clear)"), 0, cols - x - 1);
		attroff(t->attr[C_DIM]);
		return;
	}
	if (t->status[0] && now_seconds() < t->status_until) {
		put_clipped(y, 0, t->status, 0, cols);
		return;
	}
	static const char *const fkeys[][2] = {
		{ "F1", N_("Help") }, { "F3", N_("Search") }, { "F4", N_("Filter") }, { "F6", N_("Sort") },
		{ "Enter", N_("Details") }, { "s", N_("Stale") }, { "F9", N_("Remove") }, { "F10", N_("Quit") },
	};
	int x = 0;

	for (size_t i = 0; i < sizeof(fkeys) / sizeof(fkeys[0]) && x < cols; i++) {
		if (i == 6 && t->to.readonly)
			continue;
		x += put_clipped(y, x, fkeys[i][0], 0, cols - x);
		attron(t->attr[C_KEY]);
		x += put_clipped(y, x, _(fkeys[i][1]), 0, cols - x);
		attroff(t->attr[C_KEY]);
		x++;
	}
	struct strbuf b = { 0 };

	strbuf_add(&b, "", 0);
	if (t->filter[0]) {
		char *f = text_escape(t->filter, strlen(t->filter), t->utf8, NULL);

		strbuf_printf(&b, " [%s %s]", _("filter:"), f);
		free(f);
	}
	if (t->stale_only)
		strbuf_printf(&b, " [%s]", _("stale only"));
	if (t->ns_filter) {
		const struct ipc_namespace *ns = t->snap ? snapshot_namespace(t->snap, t->ns_filter) : NULL;
		char *c = ns && ns->container ? text_escape(ns->container, strlen(ns->container), t->utf8, NULL) : NULL;

		strbuf_printf(&b, " [%s %llu%s%s]", _("ns"), (unsigned long long)t->ns_filter, c ? " " : "",
			      c ? c : "");
		free(c);
	}
	if (t->ntags)
		strbuf_printf(&b, " [%zu %s]", t->ntags, _("tagged"));
	if (t->ro->npids)
		strbuf_printf(&b, " [%s]", _("--pid"));
	if (t->to.readonly)
		strbuf_printf(&b, " [%s]", _("read-only"));
	if (b.len && x + 1 < cols) {
		attron(A_BOLD);
		put_clipped(y, x, b.s, 0, cols - x);
		attroff(A_BOLD);
	}
	free(b.s);
}

/* The screen, composed but not yet sent: a dialog drawn over it goes out with it, in
 * one update, not as a frame without it and then one with it (which flickers, and a
 * reader of the terminal can catch half-drawn). */
static void compose(struct tui *t)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < 4 || cols < 16) {
		mvaddnstr(0, 0, _("ipctop: terminal too small"), cols);
		wnoutrefresh(stdscr);
		return;
	}
	bool full = rows >= 14;
	int y = draw_header(t, cols, full);

	t->tab_y = y;
	draw_tabs(t, y++, cols);
	if (top_view(t)->type == V_LIST)
		draw_list(t, y, rows - 1 - y, cols);
	else
		draw_doc(t, y, rows - 1 - y, cols);
	draw_status(t, rows - 1, cols);
	wnoutrefresh(stdscr);
}

static void draw(struct tui *t)
{
	compose(t);
	doupdate();
}

/* ---- modal dialogs ---- */

/* Lines cut at newlines and wrapped at spaces to width columns; continuation lines
 * keep the first line's indent. malloc'd array of malloc'd strings. */
static char **wrap_lines(char **in, size_t n, size_t width, size_t *nout)
{
	char **out = NULL;
	size_t count = 0, alloc = 0;

	if (width < 8)
		width = 8;
	for (size_t i = 0; i < n; i++) {
		const char *p = in[i];
		size_t indent = strspn(p, " ");

		do {
			size_t line = strcspn(p, "\n"), take = line;

			if (text_width(p) > width || line < strlen(p)) {
				/* the longest prefix of whole words that fits */
				take = 0;
				for (size_t k = 0; k < line; k++) {
					char save[512];
					size_t len = k + 1 < sizeof(save) ? k + 1 : sizeof(save) - 1;

					memcpy(save, p, len);
					save[len] = '\0';
					if (text_width(save) > width)
						break;
					if (p[k] == ' ' || k + 1 == line)
						take = k + 1;
				}
				if (take == 0)
					take = line < width ? line : width;
			}
			if (count == alloc) {
				alloc = alloc ? alloc * 2 : 16;
				out = xreallocarray(out, alloc, sizeof(*out));
			}
			/* a cut inside a UTF-8 sequence would show '?': step back to its start */
			while (take > 0 && take < line && ((unsigned char)p[take] & 0xc0) == 0x80)
				take--;
			out[count++] = xasprintf("%*s%.*s", p == in[i] ? 0 : (int)indent, "", (int)take, p);
			p += take;
			if (*p == '\n')
				p++;
			while (*p == ' ')
				p++;
		} while (*p);
	}
	*nout = count;
	return out;
}

/* A centred box with lines; returns the key that closed it (one of keys, or ERR on quit).
 * Keys typed before the box was drawn are discarded, and the lines scroll (Up, Down,
 * PgUp, PgDn). A confirmation (keys holding 'y') takes its 'y' only once every line has
 * been on the screen: nobody agrees to remove what they were not shown. */
static int dialog(struct tui *t, const char *title, char **raw, size_t nraw, const char *keys,
		  const char *hint)
{
	bool confirm = strchr(keys, 'y') != NULL;
	size_t top = 0, seen = 0;     /* first line shown; lines shown so far */

	flushinp();
	for (;;) {
		int rows, cols;
		bool fits = false;

		getmaxyx(stdscr, rows, cols);
		compose(t);
		int w = cols - 4 > 100 ? 100 : cols - 4;
		size_t n;
		char **lines = wrap_lines(raw, nraw, w > 4 ? (size_t)(w - 4) : 1, &n);
		int h = (int)n + 4 > rows - 2 ? rows - 2 : (int)n + 4;
		size_t body = h > 3 ? (size_t)(h - 3) : 0;

		if (w < 10 || h < 4) {
			/* too small for a box: the question on the status line, and no 'y' */
			move(rows - 1, 0);
			clrtoeol();
			put_clipped(rows - 1, 0, confirm ? _("Too small to show what would be removed: n")
						     : title, 0, cols);
		} else {
			int y0 = (rows - h) / 2, x0 = (cols - w) / 2;

			if (top + body > n)
				top = n > body ? n - body : 0;
			if (top + body > seen)
				seen = top + body;
			fits = seen >= n;
			for (int y = y0; y < y0 + h; y++)
				mvhline(y, x0, ' ', w);
			attron(A_BOLD);
			mvhline(y0, x0, ACS_HLINE, w);
			mvhline(y0 + h - 1, x0, ACS_HLINE, w);
			mvvline(y0, x0, ACS_VLINE, h);
			mvvline(y0, x0 + w - 1, ACS_VLINE, h);
			mvaddch(y0, x0, ACS_ULCORNER);
			mvaddch(y0, x0 + w - 1, ACS_URCORNER);
			mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
			mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
			put_clipped(y0, x0 + 2, title, 0, w - 4);
			attroff(A_BOLD);
			for (size_t i = 0; i < body && top + i < n; i++)
				put_clipped(y0 + 1 + (int)i, x0 + 2, lines[top + i], 0, w - 4);
			attron(t->attr[C_KEY]);
			if (top + body < n) {
				char more[80];

				snprintf(more, sizeof(more), _("Down: %zu more lines"), n - top - body);
				put_clipped(y0 + h - 2, x0 + 2, more, 0, w - 4);
			} else {
				put_clipped(y0 + h - 2, x0 + 2, hint, 0, w - 4);
			}
			attroff(t->attr[C_KEY]);
		}
		refresh();
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		int ch = getch();

		if (tui_stop)
			return ERR;
		switch (ch) {
		case KEY_UP:
			top -= top > 0;
			continue;
		case KEY_DOWN:
			top++;
			continue;
		case KEY_PPAGE:
			top = top > body ? top - body : 0;
			continue;
		case KEY_NPAGE:
		case ' ':
			top += body ? body : 1;
			continue;
		case KEY_RESIZE:
		case ERR:
			continue;
		case 27:
			ch = 'n';
			break;
		case KEY_ENTER:
		case '\r':     /* nonl(): Return is CR */
			ch = '\n';
			break;
		}
		if ((ch == 'y' || ch == 'Y') && confirm && !fits) {
			beep();        /* not everything was shown yet */
			continue;
		}
		if (ch > 0 && ch < 256 && strchr(keys, ch))
			return ch;
	}
}

/* A list to pick from (sort column, columns to show); returns the index or -1.
 * With checks != NULL, space toggles checks[i] and Enter ends. */
static int pick_list(struct tui *t, const char *title, const char *const *items, size_t n, size_t sel,
		     bool *checks)
{
	size_t top = 0;

	for (;;) {
		int rows, cols;

		getmaxyx(stdscr, rows, cols);
		compose(t);
		int w = cols - 4 > 60 ? 60 : cols - 4, h = (int)n + 3 > rows - 2 ? rows - 2 : (int)n + 3;

		if (w < 10 || h < 4) {
			doupdate();
			return -1;
		}
		int y0 = (rows - h) / 2, x0 = (cols - w) / 2;
		size_t body = (size_t)(h - 3);

		if (sel < top)
			top = sel;
		if (sel >= top + body)
			top = sel - body + 1;
		for (int y = y0; y < y0 + h; y++)
			mvhline(y, x0, ' ', w);
		attron(A_BOLD);
		mvhline(y0, x0, ACS_HLINE, w);
		mvhline(y0 + h - 1, x0, ACS_HLINE, w);
		put_clipped(y0, x0 + 2, title, 0, w - 4);
		attroff(A_BOLD);
		for (size_t i = 0; i < body && top + i < n; i++) {
			char line[128];

			snprintf(line, sizeof(line), "%s%s", checks ? (checks[top + i] ? "[x] " : "[ ] ") : "",
				 items[top + i]);
			if (top + i == sel)
				attron(t->attr[C_SELECT]);
			mvhline(y0 + 1 + (int)i, x0 + 1, ' ', w - 2);
			put_clipped(y0 + 1 + (int)i, x0 + 2, line, 0, w - 4);
			if (top + i == sel)
				attroff(t->attr[C_SELECT]);
		}
		attron(t->attr[C_KEY]);
		put_clipped(y0 + h - 2, x0 + 2, checks ? _("Space: show/hide  Enter: done  Esc: cancel")
						       : _("Enter: choose  Esc: cancel"), 0, w - 4);
		attroff(t->attr[C_KEY]);
		refresh();
		int ch = getch();

		if (tui_stop)
			return -1;
		switch (ch) {
		case KEY_UP:
		case 'k':
			sel = sel ? sel - 1 : 0;
			break;
		case KEY_DOWN:
		case 'j':
			if (sel + 1 < n)
				sel++;
			break;
		case KEY_PPAGE:
			sel = sel > body ? sel - body : 0;
			break;
		case KEY_NPAGE:
			sel = sel + body < n ? sel + body : n - 1;
			break;
		case ' ':
			if (checks)
				checks[sel] = !checks[sel];
			break;
		case '\n':
		case KEY_ENTER:
			return (int)sel;
		case 27:
		case 'q':
			return -1;
		default:
			break;
		}
	}
}

/* ---- actions ---- */

static const struct ipc_object *selected_object(struct tui *t)
{
	struct view *v = top_view(t);

	if (v->type == V_OBJECT)
		return t->snap ? ident_index_find(&t->ix, &v->obj) : NULL;
	if (v->type == V_LIST && t->pane != PANE_PROCS && t->ps[t->pane].sel < t->nrows)
		return t->rows[t->ps[t->pane].sel];
	return NULL;
}

static void holders_summary(struct strbuf *b, const struct snapshot *snap, const struct ipc_object *o,
			    bool utf8)
{
	if (o->nholders == 0 && snap->procs_unreadable) {
		/* not "no holders": whoever holds it may be among those not read */
		strbuf_printf(b, ngettext("no holders seen (%zu process could not be read)",
					  "no holders seen (%zu processes could not be read)",
					  snap->procs_unreadable), snap->procs_unreadable);
		return;
	}
	if (o->nholders == 0) {
		strbuf_printf(b, "%s", _("no holders"));
		return;
	}
	strbuf_printf(b, ngettext("%zu holder:", "%zu holders:", o->nholders), o->nholders);
	for (size_t i = 0; i < o->nholders && i < 4; i++) {
		const struct process *p = snapshot_process(snap, o->holders[i].pid);
		char *c = text_escape(p ? p->comm : "?", strlen(p ? p->comm : "?"), utf8, NULL);

		if (o->holders[i].fd >= 0)
			strbuf_printf(b, " %d (%s) fd %d", (int)o->holders[i].pid, c, o->holders[i].fd);
		else
			strbuf_printf(b, " %d (%s) mmap", (int)o->holders[i].pid, c);
		free(c);
	}
	if (o->nholders > 4)
		strbuf_printf(b, " +%zu", o->nholders - 4);
}

static enum reaction do_remove(struct tui *t)
{
	if (t->to.readonly) {
		set_status(t, "%s", _("Removal is disabled: ipctop was started with --readonly"));
		return R_REDRAW;
	}
	if (!t->snap)
		return R_NONE;

	/* the tagged objects still here, or the selected one */
	const struct ipc_object **targets = xcalloc(t->ntags + 1, sizeof(*targets));
	size_t n = 0, gone = 0;

	for (size_t i = 0; i < t->ntags; i++) {
		const struct ipc_object *o = ident_index_find(&t->ix, &t->tags[i]);

		if (o)
			targets[n++] = o;
		else
			gone++;
	}
	if (t->ntags == 0) {
		const struct ipc_object *o = selected_object(t);

		if (o)
			targets[n++] = o;
	}
	if (n == 0) {
		set_status(t, "%s", gone ? _("The tagged objects are gone already") : _("Nothing selected to remove"));
		free(targets);
		return R_REDRAW;
	}

	/* the dialog: exactly what will be removed, its holders, what removal means */
	char **lines = xcalloc(n * 4 + 4, sizeof(*lines));
	size_t nl = 0, ok = 0;

	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		char *desc = removal_describe(targets[i], t->utf8);

		if (!removal_supported(targets[i], &why)) {
			lines[nl++] = xasprintf(_("skipped: %s: %s"), desc, _(why));
			free(desc);
			continue;
		}
		ok++;
		struct strbuf b = { 0 };
		char meaning[512];

		lines[nl++] = desc;
		holders_summary(&b, t->snap, targets[i], t->utf8);
		lines[nl++] = xasprintf("  %s", b.s);
		free(b.s);
		lines[nl++] = xasprintf("  %s", removal_meaning(targets[i], meaning, sizeof(meaning)));
		if (!removal_permitted(targets[i], meaning, sizeof(meaning)))
			lines[nl++] = xasprintf("  %s", meaning);
	}
	if (ok == 0) {
		int k = dialog(t, _("Nothing here can be removed"), lines, nl, "\nn", _("Enter: close"));

		(void)k;
	} else {
		char *title = xasprintf(ngettext("Remove %zu object?", "Remove %zu objects?", ok), ok);
		int k = dialog(t, title, lines, nl, "yYnN", _("y: remove   n, Esc: cancel"));

		free(title);
		if (k == 'y' || k == 'Y') {
			/* act: each object is re-checked right before removal */
			char **res = xcalloc(n + 1, sizeof(*res));
			size_t nres = 0, done = 0, failed = 0;

			for (size_t i = 0; i < n; i++) {
				char msg[512];

				if (!removal_supported(targets[i], NULL))
					continue;
				if (remove_object(targets[i], msg, sizeof(msg)) == 0) {
					struct obj_ident id;

					object_ident(targets[i], &id);
					if (is_tagged(t, &id))
						toggle_tag(t, &id);
					done++;
				} else {
					res[nres++] = xstrdup(msg);
					failed++;
				}
			}
			if (failed) {
				char *rt = xasprintf(_("Removed %zu, %zu failed"), done, failed);

				dialog(t, rt, res, nres, "\nn", _("Enter: close"));
				free(rt);
			} else {
				set_status(t, ngettext("Removed %zu object", "Removed %zu objects", done), done);
			}
			for (size_t i = 0; i < nres; i++)
				free(res[i]);
			free(res);
		}
	}
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	free(targets);
	return R_ROWS | R_COLLECT;
}

static void choose_columns(struct tui *t)
{
	struct pane_state *ps = &t->ps[t->pane];
	const char *all[PANE_MAX_COLUMNS + 1];
	size_t n = 0;

	if (t->pane == PANE_PROCS) {
		set_status(t, "%s", _("The processes pane has fixed columns"));
		return;
	}
	if (pane_mixed(t->pane))
		all[n++] = "kind";
	n += pane_columns((enum pane_id)t->pane, true, all + n, PANE_MAX_COLUMNS - n);
	bool checks[PANE_MAX_COLUMNS + 1] = { false };
	char *items[PANE_MAX_COLUMNS + 1] = { NULL };

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < ps->ncols; j++)
			checks[i] |= strcmp(ps->cols[j], all[i]) == 0;
		items[i] = xasprintf("%-18s %s", all[i], column_header(t->pane, all[i]));
	}
	if (pick_list(t, _("Columns"), (const char *const *)items, n, 0, checks) >= 0) {
		ps->ncols = 0;
		for (size_t i = 0; i < n; i++)
			if (checks[i])
				ps->cols[ps->ncols++] = all[i];
		memset(ps->width, 0, sizeof(ps->width));
		ps->left = 0;
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

static void sort_by(struct tui *t, size_t c)
{
	struct pane_state *ps = &t->ps[t->pane];

	remember_selection(t);
	if (t->pane == PANE_PROCS) {
		if (c < PC_COUNT)
			ps->psort = (enum proc_col)c;
		return;
	}
	if (c >= ps->ncols)
		return;
	int col = -1;

	for (int k = 0; k < KIND_COUNT && col < 0; k++)
		if (pane_classes[t->pane].kinds & KIND_BIT(k))
			col = kind_column_by_name((enum ipc_kind)k, ps->cols[c]);
	if (col >= 0 && !column_sortable(col)) {
		set_status(t, _("Column %s has no order"), ps->cols[c]);
		return;
	}
	ps->sort = ps->cols[c];
}

static size_t sort_index(struct tui *t)
{
	struct pane_state *ps = &t->ps[t->pane];

	if (t->pane == PANE_PROCS)
		return ps->psort;
	for (size_t c = 0; ps->sort && c < ps->ncols; c++)
		if (strcmp(ps->cols[c], ps->sort) == 0)
			return c;
	return 0;
}

static void choose_sort(struct tui *t)
{
	struct pane_state *ps = &t->ps[t->pane];
	size_t n = t->pane == PANE_PROCS ? PC_COUNT : ps->ncols;
	char *items[PANE_MAX_COLUMNS + 1] = { NULL };

	for (size_t i = 0; i < n; i++)
		items[i] = t->pane == PANE_PROCS ? xstrdup(proc_columns[i].name) : xstrdup(ps->cols[i]);
	int c = pick_list(t, _("Sort by"), (const char *const *)items, n, sort_index(t), NULL);

	if (c >= 0)
		sort_by(t, (size_t)c);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

static bool row_matches(struct tui *t, size_t i, const char *text)
{
	if (t->pane == PANE_PROCS)
		return process_matches_text(t->snap, t->prows[i].p->pid, text);
	return object_matches(t->snap, t->rows[i], text);
}

/* Move the selection to the first row from start (wrapping) matching the search. */
static bool search_next(struct tui *t, size_t start)
{
	struct pane_state *ps = &t->ps[t->pane];

	if (!t->search[0] || t->nrows == 0)
		return false;
	for (size_t k = 0; k < t->nrows; k++) {
		size_t i = (start + k) % t->nrows;

		if (row_matches(t, i, t->search)) {
			ps->sel = i;
			return true;
		}
	}
	return false;
}

static void input_add(char *buf, wint_t wc)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	size_t n = wcrtomb(mb, (wchar_t)wc, &st);

	if (n == (size_t)-1 || strlen(buf) + n > INPUT_MAX)
		return;
	mb[n] = '\0';
	strcat(buf, mb);
}

static void input_backspace(char *buf)
{
	size_t len = strlen(buf);

	/* drop a whole UTF-8 sequence */
	while (len > 0 && ((unsigned char)buf[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	buf[len] = '\0';
}

/* Start the generator the prompt describes, and show its stress view. */
static enum reaction start_generator(struct tui *t)
{
	struct gen_params p = { .msg_size = GEN_DEFAULT_MSG, .duration = 60 };
	char err[512];

	t->input = IN_NONE;
	if (gen_parse_args(t->gen_line, &p, err, sizeof(err)) < 0) {
		set_status(t, _("generator: %s"), err);
		return R_REDRAW;
	}
	gen_free(t->gv.run);
	memset(&t->gv, 0, sizeof(t->gv));
	t->gv.run = gen_start(&p, err, sizeof(err));
	if (!t->gv.run) {
		set_status(t, _("generator: %s"), err);
		return R_REDRAW;
	}
	t->gv.state = 1;
	gen_view_sample(&t->gv);
	if (top_view(t)->type == V_STRESS)
		doc_build(t);
	else
		push_view(t, (struct view){ .type = V_STRESS });
	set_status(t, _("generator started: G stops it"));
	return R_REDRAW | R_COLLECT;
}

/* Reap the generator's workers; at its end, remove its objects and say so. */
static bool poll_generator(struct tui *t)
{
	if (!t->gv.run || t->gv.state <= 0)
		return false;
	t->gv.state = gen_poll(t->gv.run);
	if (t->gv.state > 0)
		return false;
	gen_stop(t->gv.run);
	if (gen_run_error(t->gv.run))
		set_status(t, _("generator failed: %s"), gen_run_error(t->gv.run));
	else
		set_status(t, "%s", _("generator finished; its objects are removed"));
	if (top_view(t)->type == V_STRESS)
		doc_build(t);
	return true;
}

static enum reaction input_key(struct tui *t, wint_t wc, bool fkey)
{
	struct pane_state *ps = &t->ps[t->pane];
	char *buf = t->input == IN_SEARCH ? t->search : t->input == IN_GENERATE ? t->gen_line : t->filter;

	if (t->input == IN_GENERATE) {
		if (!fkey && wc == 27) {
			t->input = IN_NONE;
			return R_REDRAW;
		}
		if ((!fkey && (wc == '\n' || wc == '\r')) || (fkey && wc == KEY_ENTER))
			return start_generator(t);
		if ((fkey && wc == KEY_BACKSPACE) || (!fkey && (wc == 127 || wc == 8)))
			input_backspace(buf);
		else if (!fkey && iswprint((wint_t)wc))
			input_add(buf, wc);
		return R_REDRAW;
	}

	if (!fkey && (wc == 27)) {
		if (t->input == IN_SEARCH)
			ps->sel = t->search_from < t->nrows ? t->search_from : 0;
		else
			buf[0] = '\0';
		t->input = IN_NONE;
		return R_ROWS;
	}
	if ((!fkey && (wc == '\n' || wc == '\r')) || (fkey && wc == KEY_ENTER)) {
		t->input = IN_NONE;
		return R_REDRAW;
	}
	if ((fkey && wc == KEY_BACKSPACE) || (!fkey && (wc == 127 || wc == 8))) {
		input_backspace(buf);
	} else if (fkey && (wc == KEY_F(3) || wc == KEY_DOWN) && t->input == IN_SEARCH) {
		search_next(t, ps->sel + 1);
		return R_REDRAW;
	} else if (!fkey && iswprint((wint_t)wc)) {
		input_add(buf, wc);
	} else {
		return R_NONE;
	}
	if (t->input == IN_SEARCH) {
		if (!search_next(t, t->search_from))
			ps->sel = t->search_from < t->nrows ? t->search_from : 0;
		return R_REDRAW;
	}
	ps->sel = 0;
	ps->top = 0;
	return R_ROWS;
}

static void switch_pane(struct tui *t, int pane)
{
	remember_selection(t);
	t->pane = (pane + PANE_COUNT) % PANE_COUNT;
	t->depth = 1;
	t->input = IN_NONE;
}

static enum reaction open_selected(struct tui *t)
{
	struct view *v = top_view(t);

	if (v->type == V_LIST) {
		struct pane_state *ps = &t->ps[t->pane];

		if (ps->sel >= t->nrows)
			return R_NONE;
		remember_selection(t);
		if (t->pane == PANE_PROCS) {
			push_view(t, (struct view){ .type = V_PROCESS, .pid = t->prows[ps->sel].p->pid });
			return R_REDRAW | R_COLLECT;   /* with its command line */
		} else {
			struct view nv = { .type = V_OBJECT };

			object_ident(t->rows[ps->sel], &nv.obj);
			push_view(t, nv);
		}
		return R_REDRAW;
	}
	if (v->sel >= t->doc.n)
		return R_NONE;
	const struct doc_line *l = &t->doc.lines[v->sel];

	if (l->pid) {
		push_view(t, (struct view){ .type = V_PROCESS, .pid = l->pid });
		return R_REDRAW | R_COLLECT;   /* with its command line */
	} else if (l->has_obj) {
		push_view(t, (struct view){ .type = V_OBJECT, .obj = l->obj });
	} else {
		size_t next = doc_next_action(&t->doc, v->sel);

		if (next < t->doc.n)
			v->sel = next;  /* on to the next line that opens something */
	}
	return R_REDRAW;
}

static void move_sel(size_t *sel, size_t n, long delta)
{
	if (n == 0) {
		*sel = 0;
		return;
	}
	long s = (long)*sel + delta;

	if (s < 0)
		s = 0;
	if (s >= (long)n)
		s = (long)n - 1;
	*sel = (size_t)s;
}

static enum reaction handle_mouse(struct tui *t)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return R_NONE;
	struct view *v = top_view(t);
	size_t *sel = v->type == V_LIST ? &t->ps[t->pane].sel : &v->sel;
	size_t n = v->type == V_LIST ? t->nrows : t->doc.n;

	if (ev.bstate & BUTTON4_PRESSED) {
		move_sel(sel, n, -3);
		return R_REDRAW;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		move_sel(sel, n, 3);
		return R_REDRAW;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_RELEASED | BUTTON1_PRESSED)))
		return R_NONE;
	if (ev.y == t->tab_y) {
		for (int p = 0; p < PANE_COUNT; p++)
			if (ev.x >= t->tab_x0[p] && ev.x < t->tab_x1[p]) {
				switch_pane(t, p);
				return R_ROWS;
			}
		return R_NONE;
	}
	if (v->type == V_LIST && ev.y == t->head_y) {
		for (size_t c = 0; c < t->ncol_x; c++)
			if (ev.x >= t->col_x0[c] && ev.x <= t->col_x1[c]) {
				if (c == sort_index(t) && (t->pane == PANE_PROCS || t->ps[t->pane].sort))
					t->ps[t->pane].reverse = !t->ps[t->pane].reverse;
				else
					sort_by(t, c);
				return R_ROWS;
			}
		return R_NONE;
	}
	if (ev.y >= t->body_y && ev.y < t->body_y + t->body_h) {
		size_t top = v->type == V_LIST ? t->ps[t->pane].top : v->top;
		size_t i = top + (size_t)(ev.y - t->body_y);

		if (i >= n)
			return R_NONE;
		*sel = i;
		if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
			return open_selected(t);
		return R_REDRAW;
	}
	return R_NONE;
}

static enum reaction handle_key(struct tui *t, wint_t wc, bool fkey)
{
	if (t->input != IN_NONE)
		return input_key(t, wc, fkey);

	struct view *v = top_view(t);
	bool list = v->type == V_LIST;
	struct pane_state *ps = &t->ps[t->pane];
	size_t *sel = list ? &ps->sel : &v->sel;
	size_t n = list ? t->nrows : t->doc.n;
	int page = t->body_h > 1 ? t->body_h - 1 : 1;
	int key = fkey ? (int)wc : (wc < 128 ? (int)wc : -1);

	if (fkey) {
		switch (key) {
		case KEY_UP:
			move_sel(sel, n, -1);
			return R_REDRAW;
		case KEY_DOWN:
			move_sel(sel, n, 1);
			return R_REDRAW;
		case KEY_PPAGE:
			move_sel(sel, n, -page);
			return R_REDRAW;
		case KEY_NPAGE:
			move_sel(sel, n, page);
			return R_REDRAW;
		case KEY_HOME:
			*sel = 0;
			return R_REDRAW;
		case KEY_END:
			move_sel(sel, n, (long)n);
			return R_REDRAW;
		case KEY_LEFT:
			if (list)
				ps->left = ps->left >= 8 ? ps->left - 8 : 0;
			return R_REDRAW;
		case KEY_RIGHT:
			if (list)
				ps->left += 8;
			return R_REDRAW;
		case KEY_BTAB:
			switch_pane(t, t->pane - 1);
			return R_ROWS;
		case KEY_ENTER:
			return open_selected(t);
		case KEY_BACKSPACE:
			pop_view(t);
			return R_REDRAW;
		case KEY_F(1):
			push_view(t, (struct view){ .type = V_HELP });
			return R_REDRAW;
		case KEY_F(2):
			choose_columns(t);
			return R_ROWS;
		case KEY_F(3):
			goto search;
		case KEY_F(4):
			goto filter;
		case KEY_F(6):
			choose_sort(t);
			return R_ROWS;
		case KEY_F(9):
			return do_remove(t);
		case KEY_F(10):
			return R_QUIT;
		case KEY_MOUSE:
			return handle_mouse(t);
		case KEY_RESIZE:
			if (top_view(t)->type == V_HELP)
				doc_build(t);   /* the help wraps at the width */
			return R_REDRAW;
		default:
			return R_NONE;
		}
	}
	switch (key) {
	case 'q':
	case 'Q':
		return R_QUIT;
	case 'g':
		if (t->gv.run && t->gv.state > 0) {
			if (v->type != V_STRESS)
				push_view(t, (struct view){ .type = V_STRESS });
			return R_REDRAW;
		}
		if (t->to.readonly) {
			set_status(t, "%s", _("read-only: no traffic generator"));
			return R_REDRAW;
		}
		if (!t->gen_line[0])
			snprintf(t->gen_line, sizeof(t->gen_line), "pipe,posix-mq,sysv-shm,unix-stream --duration 60");
		t->input = IN_GENERATE;
		return R_REDRAW;
	case 'G':
		if (t->gv.run && t->gv.state > 0) {
			t->gv.state = 0;
			t->gv.stopped = true;
			gen_stop(t->gv.run);
			set_status(t, "%s", _("generator stopped; its objects are removed"));
			if (v->type == V_STRESS)
				doc_build(t);
		}
		return R_REDRAW | R_COLLECT;
	case '\t':
		switch_pane(t, t->pane + 1);
		return R_ROWS;
	case '\n':
	case '\r':
		return open_selected(t);
	case 27:
	case 127:
	case 8:
		if (t->depth > 1) {
			pop_view(t);
		} else if (t->filter[0] || t->stale_only || t->ns_filter) {
			t->filter[0] = '\0';
			t->stale_only = false;
			t->ns_filter = 0;
			return R_ROWS;
		}
		return R_REDRAW;
	case 'k':
		move_sel(sel, n, -1);
		return R_REDRAW;
	case 'j':
		move_sel(sel, n, 1);
		return R_REDRAW;
	case '?':
	case 'h':
		push_view(t, (struct view){ .type = V_HELP });
		return R_REDRAW;
	case '/':
search:
		if (!list || t->depth > 1) {
			t->depth = 1;
		}
		t->input = IN_SEARCH;
		t->search[0] = '\0';
		t->search_from = t->ps[t->pane].sel;
		return R_REDRAW;
	case 'n':
		if (list && search_next(t, ps->sel + 1))
			return R_REDRAW;
		return R_NONE;
	case '\\':
filter:
		t->depth = 1;
		t->input = IN_FILTER;
		return R_REDRAW;
	case 'i':
		if (!t->snap)
			return R_NONE;
		remember_selection(t);
		t->ns_filter = next_namespace(t->snap, t->ns_filter);
		if (t->ns_filter)
			set_status(t, _("Showing IPC namespace %llu only (i: next)"),
				   (unsigned long long)t->ns_filter);
		else
			set_status(t, "%s", _("Showing every IPC namespace"));
		return R_ROWS;
	case 's':
		remember_selection(t);
		t->stale_only = !t->stale_only;
		set_status(t, "%s", t->stale_only ? _("Showing only objects that look stale") : _("Showing all objects"));
		return R_ROWS;
	case '<':
	case ',':
		if (list) {
			size_t c = sort_index(t), nc = t->pane == PANE_PROCS ? PC_COUNT : ps->ncols;

			sort_by(t, c == 0 ? nc - 1 : c - 1);
		}
		return R_ROWS;
	case '>':
	case '.':
		if (list) {
			size_t c = sort_index(t), nc = t->pane == PANE_PROCS ? PC_COUNT : ps->ncols;

			sort_by(t, c + 1 >= nc ? 0 : c + 1);
		}
		return R_ROWS;
	case 'I':
		remember_selection(t);
		ps->reverse = !ps->reverse;
		return R_ROWS;
	case 'c':
		choose_columns(t);
		return R_ROWS;
	case ' ':
	case 't':
		if (list && t->pane != PANE_PROCS) {
			if (ps->sel < t->nrows) {
				struct obj_ident id;

				object_ident(t->rows[ps->sel], &id);
				toggle_tag(t, &id);
				move_sel(sel, n, 1);
			}
			return R_REDRAW;
		}
		if (key == 't')
			return R_NONE;
		/* fall through - elsewhere space pauses */
	case 'p':
		t->paused = !t->paused;
		set_status(t, "%s", t->paused ? _("Paused: p resumes, r refreshes once") : _("Resumed"));
		return t->paused ? R_REDRAW : R_COLLECT;
	case 'U':
		t->ntags = 0;
		return R_REDRAW;
	case 'd':
		return do_remove(t);
	case 'r':
	case 12:    /* Ctrl-L */
		clearok(stdscr, TRUE);
		return R_COLLECT;
	case 'P':
		switch_pane(t, PANE_PROCS);
		return R_ROWS;
	default:
		for (int p = 0; p < PANE_COUNT; p++)
			if (key == pane_classes[p].key) {
				switch_pane(t, p);
				return R_ROWS;
			}
		return R_NONE;
	}
}

/* ---- inotify: creations and removals in /dev/shm and /dev/mqueue appear at once ---- */

static int watch_dirs(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0)
		return -1;
	static const char *const dirs[] = { "/dev/shm", "/dev/mqueue" };
	int added = 0;

	for (size_t i = 0; i < 2; i++)
		added += inotify_add_watch(fd, dirs[i], IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
					   IN_ONLYDIR) >= 0;
	if (!added) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool drain(int fd)
{
	char buf[4096];
	bool any = false;

	while (read(fd, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

static void request_collection(struct tui *t)
{
	const struct view *v = top_view(t);

	t->last_request = now_seconds();
	collector_set_cmdline_pid(t->collector, v->type == V_PROCESS ? v->pid : 0);
	collector_request(t->collector);
}

int tui_run(const struct collect_opts *co, const struct render_opts *ro, const struct tui_opts *to)
{
	struct sigaction sa = { .sa_handler = tui_on_signal };
	struct sigaction crash = { .sa_handler = tui_on_crash };
	struct tui *t = xcalloc(1, sizeof(*t));

	t->co = co;
	t->ro = ro;
	t->to = *to;
	t->utf8 = ro->utf8;
	t->depth = 1;
	t->stack[0].type = V_LIST;
	for (int p = 0; p < PANE_COUNT; p++)
		pane_init(t, p);

	/* the terminal first: newterm fails with a message where initscr would exit(),
	 * with no worker running yet */
	SCREEN *scr = newterm(NULL, stdout, stdin);

	if (!scr) {
		const char *term = getenv("TERM");

		fprintf(stderr, "ipctop: %s '%s'\n", _("cannot use the terminal type"), term ? term : "");
		free(t);
		return EXIT_FAILURE;
	}
	endwin();       /* until the worker runs */

	t->collector = collector_start(co);
	if (!t->collector) {
		fprintf(stderr, "ipctop: %s: %s\n", _("cannot start the collection thread"), strerror(errno));
		delscreen(scr);
		free(t);
		return EXIT_FAILURE;
	}
	request_collection(t);
	t->inotify_fd = watch_dirs();

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGSEGV, &crash, NULL);
	sigaction(SIGBUS, &crash, NULL);
	sigaction(SIGFPE, &crash, NULL);
	sigaction(SIGILL, &crash, NULL);
	sigaction(SIGABRT, &crash, NULL);

	refresh();      /* back to the screen newterm set up */
	curses_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_init(t);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	timeout(200);      /* dialogs wait for keys in getch; the main loop polls */

	bool dirty = true;

	t->next_refresh = INFINITY;
	while (!tui_stop) {
		if (dirty)
			draw(t);
		dirty = false;

		double now = now_seconds();
		double wait = t->next_refresh - now;

		if (t->status[0] && t->status_until > now && t->status_until - now < wait)
			wait = t->status_until - now;
		if (t->event_due != 0 && t->event_due - now < wait)
			wait = t->event_due - now;
		if (collector_busy(t->collector) && wait > 0.5)
			wait = 0.5;     /* the header says [collecting] until it ends */
		int ms = wait <= 0 ? 0 : wait > 60 ? 60000 : (int)(wait * 1000) + 1;
		struct pollfd pfd[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = collector_fd(t->collector), .events = POLLIN },
			{ .fd = t->inotify_fd, .events = POLLIN },
		};
		int r = poll(pfd, t->inotify_fd >= 0 ? 3 : 2, ms);

		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (pfd[1].revents & POLLIN)) {
			struct ident_index ix;
			struct snapshot *snap = collector_take(t->collector, &ix);

			if (snap) {
				adopt_snapshot(t, snap, &ix);
				t->next_refresh = now_seconds() + t->to.delay;
				dirty = true;
			}
		}
		/* a burst of creations in /dev/shm must not become a burst of collections */
		if (r > 0 && t->inotify_fd >= 0 && (pfd[2].revents & POLLIN) && drain(t->inotify_fd) &&
		    !t->paused && t->event_due == 0)
			t->event_due = fmax(now_seconds(), t->last_request + EVENT_MIN_INTERVAL);
		if (t->event_due != 0 && now_seconds() >= t->event_due && !collector_busy(t->collector)) {
			request_collection(t);
			t->event_due = 0;
		}

		/* every key waiting, then one redraw; the rows are rebuilt after each key
		 * that asks for it, since the next key acts on them */
		enum reaction react = R_NONE;
		wint_t wc;
		int kr;

		nodelay(stdscr, TRUE);
		while (!(react & R_QUIT) && (kr = get_wch(&wc)) != ERR) {
			enum reaction r1 = handle_key(t, wc, kr == KEY_CODE_YES);

			if ((r1 & R_ROWS) && !(r1 & R_QUIT))
				rows_build(t);
			react |= r1 | R_REDRAW;
		}
		timeout(200);
		if (react & R_QUIT)
			break;
		if (react & R_COLLECT)
			request_collection(t);
		if (react)
			dirty = true;
		if (!t->paused && now_seconds() >= t->next_refresh && !collector_busy(t->collector)) {
			request_collection(t);
			t->next_refresh = INFINITY;
			dirty = true;
		}
		if (t->status[0] && now_seconds() >= t->status_until) {
			t->status[0] = '\0';
			dirty = true;
		}
		if (poll_generator(t)) {
			request_collection(t);
			dirty = true;
		}
	}
	endwin();
	curses_active = false;
	/* the terminal is restored: a second Ctrl-C during a slow last collection ends
	 * ipctop at once */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);

	gen_free(t->gv.run);        /* stops the workers, removes the objects */
	collector_stop(t->collector);
	if (t->inotify_fd >= 0)
		close(t->inotify_fd);
	rows_free(t);
	doc_free(&t->doc);
	if (t->snap) {
		ident_index_free(&t->ix);
		snapshot_free(t->snap);
	}
	if (t->prev) {
		ident_index_free(&t->prev_ix);
		snapshot_free(t->prev);
	}
	free(t->tags);
	free(t);
	delscreen(scr);
	return EXIT_SUCCESS;
}
