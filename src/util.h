#ifndef IPCTOP_UTIL_H
#define IPCTOP_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

/* Read a whole file (at most max bytes) into a NUL-terminated malloc'd buffer.
 * Returns the buffer and sets *len, or NULL with errno set. */
char *read_file_at(int dirfd, const char *path, size_t max, size_t *len);
char *read_fd(int fd, size_t max, size_t *len);

/* Cached uid/gid to name; NULL when the id has no name. */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);
/* The user's name, or its number as text when it has none: never NULL. */
const char *user_label(uid_t uid);
void names_cache_free(void);

/* The CPUs this process may run on (its affinity), at least 1. */
size_t usable_cpus(void);
/* pthread_create for a worker thread that takes none of the asynchronous signals
 * (^C, SIGWINCH, SIGCHLD, ...): those are the program's main thread's to handle.
 * Returns pthread_create's result. */
int thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
