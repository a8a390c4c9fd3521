/* Drill-down pages of the full-screen program as plain lines: an object with every
 * field, its holders and peers; a process with everything it takes part in. No curses:
 * the lines are built here and drawn by tui.c, so they are unit-tested. */
#ifndef IPCTOP_DETAIL_H
#define IPCTOP_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "panes.h"
#include "snapshot.h"

enum line_style {
	LS_NORMAL,
	LS_TITLE,
	LS_SECTION,       /* a heading inside the page */
	LS_COLUMNS,       /* a table header */
	LS_CHANGED,       /* a value changed since the last snapshot */
	LS_STALE,
	LS_DIM,
};

struct doc_line {
	char *text;                 /* escaped: no control bytes */
	enum line_style style;
	pid_t pid;                  /* Enter opens this process (0: none) */
	bool has_obj;               /* Enter opens this object */
	struct obj_ident obj;
};

struct doc {
	struct doc_line *lines;
	size_t n, alloc;
};

void doc_free(struct doc *d);
/* Append a line; it takes text (malloc'd, or NULL). */
struct doc_line *doc_add(struct doc *d, enum line_style style, char *text);
/* The first line at or after i that Enter acts on, or d->n. */
size_t doc_next_action(const struct doc *d, size_t i);

/* Every field of o (before: the same object in the previous snapshot, to mark what
 * changed; may be NULL), its persistence and stale verdict, the kernel's per-semaphore
 * values, its holders, its peer and the peer's holders. */
void doc_object(struct doc *d, const struct snapshot *snap, const struct ipc_object *o,
		const struct ipc_object *before, bool utf8);
/* A process and every object it holds, maps or is recorded on. */
void doc_process(struct doc *d, const struct snapshot *snap, pid_t pid, bool utf8);

#endif
