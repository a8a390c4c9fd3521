/* Socket files on disk in the usual directories: see sockfiles.c. */
#ifndef IPCTOP_SOCKFILES_H
#define IPCTOP_SOCKFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

struct sockfile {
	char *path;
	struct stat st;
};

struct sockfile_list {
	struct sockfile *f;
	size_t n, alloc;
	bool truncated;         /* the walk stopped at its limit of entries */
};

/* Every socket file under /run, /tmp, /var/tmp and /dev/shm, four levels deep at most,
 * not following links. */
void sockfiles_find(struct sockfile_list *out);
void sockfiles_free(struct sockfile_list *l);

#endif
