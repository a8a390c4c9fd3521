/* Collector: socket files on disk, in the directories where programs put them (/run,
 * /tmp, /var/tmp, /dev/shm), so that the UNIX socket collector can tell which have no
 * socket bound to them any more: left behind by a program that died. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockfiles.h"
#include "xalloc.h"

#define SOCKFILES_DEPTH 4        /* /run/user/1000/app/x.sock */
#define SOCKFILES_ENTRIES 50000  /* directory entries looked at, at most */

static const char *const sockfile_dirs[] = { "/run", "/tmp", "/var/tmp", "/dev/shm" };

struct walk {
	struct sockfile_list *out;
	size_t entries;
	char path[4096];
};

static void push(struct sockfile_list *l, const char *path, const struct stat *st)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->f = xreallocarray(l->f, l->alloc, sizeof(*l->f));
	}
	struct sockfile *f = &l->f[l->n++];

	f->path = xstrdup(path);
	f->st = *st;
}

static void walk_dir(struct walk *w, int dirfd, size_t plen, int depth)
{
	DIR *d = fdopendir(dirfd);

	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *de;

	while ((de = readdir(d)) && w->entries < SOCKFILES_ENTRIES) {
		struct stat st;
		size_t nlen = strlen(de->d_name);

		w->entries++;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type != DT_UNKNOWN && de->d_type != DT_SOCK && de->d_type != DT_DIR)
			continue;
		if (plen + 1 + nlen >= sizeof(w->path))
			continue;
		/* never follow a link: a directory is walked where it is */
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		w->path[plen] = '/';
		memcpy(w->path + plen + 1, de->d_name, nlen + 1);
		if (S_ISSOCK(st.st_mode)) {
			push(w->out, w->path, &st);
		} else if (S_ISDIR(st.st_mode) && depth > 1) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				walk_dir(w, sub, plen + 1 + nlen, depth - 1);
		}
		w->path[plen] = '\0';
	}
	closedir(d);
}

void sockfiles_find(struct sockfile_list *out)
{
	struct walk w = { .out = out };

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(sockfile_dirs) / sizeof(sockfile_dirs[0]); i++) {
		size_t len = strlen(sockfile_dirs[i]);
		int fd = open(sockfile_dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0)
			continue;
		memcpy(w.path, sockfile_dirs[i], len + 1);
		walk_dir(&w, fd, len, SOCKFILES_DEPTH);
	}
	out->truncated = w.entries >= SOCKFILES_ENTRIES;
}

void sockfiles_free(struct sockfile_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->f[i].path);
	free(l->f);
	memset(l, 0, sizeof(*l));
}
