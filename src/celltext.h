/* Cells as text, shared by batch text and the full-screen program. */
#ifndef IPCTOP_CELLTEXT_H
#define IPCTOP_CELLTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* The text of one cell, malloc'd and escaped (no control bytes), and its display width. */
char *cell_text(const struct snapshot *snap, int col, const struct ipc_object *o,
		bool utf8, size_t *width);
/* Numbers are right-aligned in tables. */
bool column_right_aligned(int col);
/* Local time as 2026-11-21T10:00:00. */
void format_time(int64_t t, char *buf, size_t len);

#endif
