#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nls.h"
#include "xalloc.h"

void xalloc_die(void)
{
	fprintf(stderr, "ipctop: %s\n", _("out of memory"));
	exit(EXIT_FAILURE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		xalloc_die();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!q)
		xalloc_die();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		xalloc_die();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);

	va_end(ap);
	if (r < 0)
		xalloc_die();
	return s;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		xalloc_die();
	return p;
}

/* ---- arrays of megabytes ---- */

#if defined(__SANITIZE_ADDRESS__)
#define BIG_MAPPED 0            /* malloc'd, so AddressSanitizer sees them */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_MAPPED 0
#endif
#endif
#ifndef BIG_MAPPED
#define BIG_MAPPED 1
#endif

#define BIG_PAGE ((size_t)2 << 20)      /* a huge page */
#define BIG_MIN (BIG_PAGE / 2)          /* smaller arrays are malloc'd */

/* the bytes an array of n elements takes: from BIG_MIN up, whole huge pages mapped */
static size_t big_bytes(size_t n, size_t size, bool *mapped)
{
	if (size && n > (SIZE_MAX - BIG_PAGE) / size)
		xalloc_die();
	size_t bytes = n * size;

	*mapped = BIG_MAPPED && bytes >= BIG_MIN;
	return *mapped ? (bytes + BIG_PAGE - 1) & ~(BIG_PAGE - 1) : bytes;
}

/* bytes (whole huge pages) of address space at a huge page's boundary, inaccessible:
 * mmap only promises a page's, and a huge page needs its own */
static char *big_reserve(size_t bytes)
{
	char *p = mmap(NULL, bytes + BIG_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		xalloc_die();
	size_t head = (BIG_PAGE - (uintptr_t)p % BIG_PAGE) % BIG_PAGE;

	if (head)
		munmap(p, head);
	munmap(p + head + bytes, BIG_PAGE - head);
	return p + head;
}

static void *big_map(size_t bytes)
{
	void *p = mmap(big_reserve(bytes), bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		xalloc_die();
	/* (no huge pages here, or none on request: plain pages then) */
	(void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

void *xbigarray(void *p, size_t old_n, size_t new_n, size_t size)
{
	bool was_mapped = false, mapped;
	size_t old_bytes = p ? big_bytes(old_n, size, &was_mapped) : 0;
	size_t bytes = big_bytes(new_n, size, &mapped);

	if (!mapped) {
		if (was_mapped) {       /* shrinking below a huge page */
			void *q = xmalloc(bytes);

			memcpy(q, p, bytes);
			munmap(p, old_bytes);
			return q;
		}
		return xreallocarray(p, new_n, size);
	}
	if (!was_mapped) {
		void *q = big_map(bytes);

		if (p)
			memcpy(q, p, old_bytes < bytes ? old_bytes : bytes);
		free(p);
		return q;
	}
	if (bytes == old_bytes)
		return p;
	/* in place if the addresses after it are free, else the pages move, to a huge
	 * page's boundary again: nothing is copied either way */
	void *q = mremap(p, old_bytes, bytes, 0);

	if (q == MAP_FAILED)
		q = mremap(p, old_bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, big_reserve(bytes));
	if (q == MAP_FAILED)
		xalloc_die();
	(void)madvise(q, bytes, MADV_HUGEPAGE);
	return q;
}

void *xbigcalloc(size_t n, size_t size)
{
	bool mapped;
	size_t bytes = big_bytes(n, size, &mapped);

	return mapped ? big_map(bytes) : xcalloc(n, size);
}

void xbigarray_free(void *p, size_t n, size_t size)
{
	bool mapped;
	size_t bytes = big_bytes(n, size, &mapped);

	if (!p)
		return;
	if (mapped)
		munmap(p, bytes);
	else
		free(p);
}
