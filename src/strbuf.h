/* A growing NUL-terminated string, for text built piece by piece. */
#ifndef IPCTOP_STRBUF_H
#define IPCTOP_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;                /* malloc'd, NUL-terminated once anything was added */
	size_t len, alloc;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
