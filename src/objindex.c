#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "objindex.h"
#include "xalloc.h"

/* 24 bytes: the table of a large snapshot takes megabytes, and each page of it is
 * touched (a value is an object's index; NOT_IPC is kept as UINT32_MAX) */
struct objindex_slot {
	uint64_t a, b;
	uint32_t value;
	uint8_t space;
	bool used;
};

static void grow(struct objindex *ix);

static uint64_t mix(uint64_t h)
{
	/* splitmix64's finaliser */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static uint64_t hash(unsigned int space, uint64_t a, uint64_t b)
{
	return mix(b ^ mix(a ^ ((uint64_t)space << 56)));
}

void objindex_init(struct objindex *ix)
{
	ix->size = 256;
	ix->used = 0;
	ix->slots = xbigcalloc(ix->size, sizeof(*ix->slots));
}

void objindex_reserve(struct objindex *ix, size_t n)
{
	size_t size = 256;

	while (size / 3 * 2 < n && size < SIZE_MAX / 4)
		size *= 2;
	if (size <= ix->size)
		return;
	if (ix->used == 0) {
		xbigarray_free(ix->slots, ix->size, sizeof(*ix->slots));
		ix->size = size;
		ix->slots = xbigcalloc(ix->size, sizeof(*ix->slots));
		return;
	}
	while (ix->size < size)
		grow(ix);
}

void objindex_free(struct objindex *ix)
{
	xbigarray_free(ix->slots, ix->size, sizeof(*ix->slots));
	ix->slots = NULL;
	ix->size = ix->used = 0;
}

static struct objindex_slot *find(const struct objindex *ix, unsigned int space, uint64_t a,
				  uint64_t b)
{
	size_t mask = ix->size - 1;

	for (size_t i = hash(space, a, b) & mask;; i = (i + 1) & mask) {
		struct objindex_slot *s = &ix->slots[i];

		if (!s->used || (s->space == space && s->a == a && s->b == b))
			return s;
	}
}

static void grow(struct objindex *ix)
{
	struct objindex old = *ix;

	ix->size *= 2;
	ix->used = 0;
	ix->slots = xbigcalloc(ix->size, sizeof(*ix->slots));
	for (size_t i = 0; i < old.size; i++)
		if (old.slots[i].used)
			objindex_put(ix, old.slots[i].space, old.slots[i].a, old.slots[i].b,
				     old.slots[i].value);
	xbigarray_free(old.slots, old.size, sizeof(*old.slots));
}

void objindex_put(struct objindex *ix, enum idx_space space, uint64_t a, uint64_t b, size_t value)
{
	if (value != NOT_IPC && value >= UINT32_MAX)
		abort();        /* an object's index: never near */
	/* keep the load under 2/3 so probes stay short */
	if (ix->used + 1 > ix->size / 3 * 2)
		grow(ix);

	struct objindex_slot *s = find(ix, space, a, b);

	if (!s->used) {
		s->used = true;
		s->space = space;
		s->a = a;
		s->b = b;
		ix->used++;
	}
	s->value = value == NOT_IPC ? UINT32_MAX : (uint32_t)value;
}

int objindex_get(const struct objindex *ix, enum idx_space space, uint64_t a, uint64_t b,
		 size_t *value)
{
	if (!ix->slots)
		return -1;

	const struct objindex_slot *s = find(ix, space, a, b);

	if (!s->used)
		return -1;
	*value = s->value == UINT32_MAX ? NOT_IPC : s->value;
	return 0;
}
