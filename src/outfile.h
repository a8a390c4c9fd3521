/* --output: a file replaced atomically, so a reader (node_exporter's textfile
 * collector) never sees half of it. */
#ifndef IPCTOP_OUTFILE_H
#define IPCTOP_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
	char *path;             /* the file to replace */
	char *tmp;              /* the temporary file next to it, NULL when none is open */
	int fd;                 /* open on tmp */
	FILE *f;                /* render here: a memory stream, written to fd at commit */
	char *buf;
	size_t len;
};

/* Start a new version of path: a temporary file in the same directory (its name starts
 * with '.' and does not end in path's suffix, so a collector skips it), mode 0644; the
 * caller writes to o->f.
 * Returns 0, or -1 with a message in err naming the file, the operation and why. */
int outfile_begin(struct outfile *o, const char *path, char *err, size_t errlen);
/* Flush, fsync and rename the temporary file over path (then fsync the directory).
 * On any failure the temporary file is removed and path is left as it was. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Drop the version being written (removes the temporary file). */
void outfile_abort(struct outfile *o);

#endif
