/* Allocation that cannot fail: running out of memory ends the program with a message. */
#ifndef IPCTOP_XALLOC_H
#define IPCTOP_XALLOC_H

#include <stddef.h>

void xalloc_die(void) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Arrays of megabytes (a snapshot's objects and holders, hash tables): from 1 MiB up each
 * is a mapping of its own, which the kernel is asked to back with transparent huge
 * pages: such an array is touched page by page as it fills, and on a virtual machine a
 * page fault can cost tens of microseconds. Once mapped, growing one moves its pages,
 * copying nothing. p is NULL or what xbigarray returned for old_n elements of this size; the
 * array is freed with xbigarray_free, given its element count (under AddressSanitizer
 * they are malloc'd, for it to check). */
void *xbigarray(void *p, size_t old_n, size_t new_n, size_t size);
/* A new one of n elements, zeroed. */
void *xbigcalloc(size_t n, size_t size);
void xbigarray_free(void *p, size_t n, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
