/* Shared by the fuzz targets (built with clang's libFuzzer by run-fuzz.sh) and by
 * replay.c, which calls the same entry point from make check without clang. */
#ifndef IPCTOP_FUZZ_H
#define IPCTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One input; returns 0. A broken invariant abort()s (libFuzzer saves the input). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() with the failed condition on stderr: an invariant, not an error path. */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,    \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

/* The input as a NUL-terminated string (malloc'd; it ends at its first NUL, as a
 * command-line argument would). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = (char *)malloc(size + 1);

	FUZZ_CHECK(s != NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The value of a hexadecimal digit, or -1: a reference independent of the code under test. */
static inline int fuzz_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
