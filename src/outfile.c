/* --output: write a temporary file in the target's directory, fsync it, rename it over
 * the target. rename() within one filesystem is atomic: a reader opens either the old
 * file or the new one, whole. The snapshot is rendered into memory first, so a failed
 * write has its own errno (ENOSPC, EIO) to report. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nls.h"
#include "outfile.h"
#include "xalloc.h"

#define OUTFILE_MODE 0644

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path);
	char *dir = xstrdup(dirname(copy));

	free(copy);
	return dir;
}

int outfile_begin(struct outfile *o, const char *path, char *err, size_t errlen)
{
	char *copy = xstrdup(path), *dir = dir_of(path);
	const char *base = basename(copy);
	size_t len = strlen(dir) + strlen(base) + 16;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->path = xstrdup(path);
	o->tmp = xmalloc(len);
	/* ".NAME.XXXXXX": hidden, and not ending in ".prom" */
	snprintf(o->tmp, len, "%s/.%s.XXXXXX", dir, base);
	free(copy);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		snprintf(err, errlen, _("cannot write %s: cannot create a temporary file in %s: %s"),
			 path, dir, strerror(errno));
		free(dir);
		free(o->tmp);
		o->tmp = NULL;
		outfile_abort(o);
		return -1;
	}
	free(dir);
	/* mkostemp makes it 0600; the collector may run as another user */
	if (fchmod(o->fd, OUTFILE_MODE) < 0) {
		snprintf(err, errlen, _("cannot write %s: %s: %s"), path, "fchmod", strerror(errno));
		outfile_abort(o);
		return -1;
	}
	o->f = open_memstream(&o->buf, &o->len);
	if (!o->f) {
		snprintf(err, errlen, _("cannot write %s: %s: %s"), path, "open_memstream", strerror(errno));
		outfile_abort(o);
		return -1;
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	free(o->buf);
	o->buf = NULL;
	free(o->path);
	o->path = NULL;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	const char *what = "write";
	bool failed = ferror(o->f);

	if (fclose(o->f) != 0 || failed) {
		o->f = NULL;
		errno = ENOMEM;         /* a memory stream fails only for want of memory */
		goto fail;
	}
	o->f = NULL;
	for (size_t done = 0; done < o->len;) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			goto fail;
		}
		done += (size_t)n;
	}
	if (fsync(o->fd) < 0) {
		what = "fsync";
		goto fail;
	}
	if (close(o->fd) < 0) {
		o->fd = -1;
		what = "close";
		goto fail;
	}
	o->fd = -1;
	if (rename(o->tmp, o->path) < 0) {
		what = "rename";
		goto fail;
	}
	free(o->tmp);
	o->tmp = NULL;

	/* the rename itself survives a crash once the directory is on disk */
	char *dir = dir_of(o->path);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	outfile_abort(o);
	return 0;
fail:
	/* TRANSLATORS: the file, the system call that failed (write, fsync, rename), why */
	snprintf(err, errlen, _("cannot write %s: %s: %s"), o->path, what, strerror(errno));
	outfile_abort(o);
	return -1;
}
