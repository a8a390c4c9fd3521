/* Unit tests for the big arrays (xbigarray, xbigcalloc, xbigarray_free): contents kept
 * through every kind of growth and shrinking (malloc'd, malloc'd to mapped, mapped,
 * mapped to malloc'd), zeroed when new, mapped arrays at a huge page's boundary, and
 * every mapping gone once freed (the bytes mapped, not the mappings: the kernel merges
 * neighbours). The snapshots of the tests in namespaces are too small
 * to reach the mapped arrays; a snapshot of thousands of processes does. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define MAPPED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAPPED 0
#endif
#endif
#ifndef MAPPED
#define MAPPED 1
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)

struct elem {
	uint64_t a, b;
	uint32_t c;
};

static struct elem pattern(size_t i)
{
	return (struct elem){ i * 0x9e3779b97f4a7c15ULL, ~(uint64_t)i, (uint32_t)(i ^ 0x5a5a5a5a) };
}

/* the first element of [0, n) that does not hold its pattern, or n */
static size_t first_wrong(const struct elem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct elem e = pattern(i);

		if (v[i].a != e.a || v[i].b != e.b || v[i].c != e.c)
			return i;
	}
	return n;
}

/* bytes of the process's mappings, its heap left out (malloc may keep that grown) */
static long long mapped_bytes(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	long long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;

		if (!strstr(line, "[heap]") && sscanf(line, "%llx-%llx", &start, &end) == 2)
			n += (long long)(end - start);
	}
	fclose(f);
	return n;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_grow_and_shrink(void)
{
	long long before = mapped_bytes();
	struct elem *v = NULL;
	size_t n = 0, big = 0, aligned = 0;

	/* doubling from 64 elements to 8 MiB of them: malloc'd, then mapped */
	for (size_t want = 64; want <= ((size_t)8 << 20) / sizeof(*v); want *= 2) {
		v = xbigarray(v, n, want, sizeof(*v));
		for (size_t i = n; i < want; i++)
			v[i] = pattern(i);
		n = want;
		if (first_wrong(v, n) != n) {
			ok(false, "grown to %zu elements: element %zu kept", n, first_wrong(v, n));
			return;
		}
		if (n * sizeof(*v) >= ((size_t)1 << 20)) {
			big++;
			aligned += (uintptr_t)v % HUGE_PAGE == 0;
		}
	}
	ok(true, "grown by doubling to %zu elements (%zu bytes), every element kept", n, n * sizeof(*v));
	ok(big >= 3, "of which %zu sizes of 1 MiB and more", big);
	if (MAPPED)
		is_int(aligned, big, "each of those at a huge page's boundary");
	else
		ok(true, "(malloc'd under AddressSanitizer: no boundary to check)");

	/* a mapped array shrunk, then below 1 MiB (malloc'd again), then grown again */
	size_t half = n / 2, small = 1000;

	v = xbigarray(v, n, half, sizeof(*v));
	is_int(first_wrong(v, half), half, "shrunk to %zu elements: kept", half);
	v = xbigarray(v, half, small, sizeof(*v));
	is_int(first_wrong(v, small), small, "shrunk below 1 MiB, to %zu elements: kept", small);
	v = xbigarray(v, small, n, sizeof(*v));
	for (size_t i = small; i < n; i++)
		v[i] = pattern(i);
	is_int(first_wrong(v, n), n, "grown again from %zu to %zu elements: kept", small, n);
	xbigarray_free(v, n, sizeof(*v));
	xbigarray_free(NULL, n, sizeof(*v));
	if (MAPPED)
		is_int(mapped_bytes(), before, "freed: the process maps as many bytes as before (%lld)", before);
	else    /* (its allocator maps as it likes; LeakSanitizer checks these) */
		skip(1, "malloc'd under AddressSanitizer");
}

static void test_calloc(void)
{
	long long before = mapped_bytes();
	size_t sizes[] = { 1, 4096, ((size_t)1 << 20) - 1, (size_t)1 << 20, ((size_t)5 << 20) + 3 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = xbigcalloc(sizes[k], 1);

		ok(all_zero(p, sizes[k]), "xbigcalloc of %zu bytes is zeroed", sizes[k]);
		memset(p, 0xa5, sizes[k]);
		if (MAPPED && sizes[k] >= ((size_t)1 << 20))
			ok((uintptr_t)p % HUGE_PAGE == 0, "  and at a huge page's boundary");
		xbigarray_free(p, sizes[k], 1);
	}
	if (MAPPED)
		is_int(mapped_bytes(), before, "all freed: as many bytes mapped as before (%lld)", before);
	else
		skip(1, "malloc'd under AddressSanitizer");
}

int main(void)
{
	test_grow_and_shrink();
	test_calloc();
	return tap_done();
}
