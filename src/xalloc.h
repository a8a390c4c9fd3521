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
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
