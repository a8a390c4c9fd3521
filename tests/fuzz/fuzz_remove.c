/* Fuzz target: what --remove is given (remove_spec_parse and remove_spec_match in
 * src/remove_spec.c). The input, as a NUL-terminated string (it ends at its first NUL,
 * as an argv string would), is checked against a reference written here:
 *   KIND:...      KIND one of the removable kinds' names or the aliases msg, shm, sem
 *   SysV          "key:" and a number (decimal, or hexadecimal after 0x), 1..0xffffffff;
 *                 or an id: decimal digits, 0..INT_MAX
 *   POSIX         one optional leading '/', then a name with no '/', 1..NAME_MAX bytes
 *                 (4 fewer for a semaphore, whose file is "sem.NAME")
 *   fifo, unix    an absolute path shorter than PATH_MAX; for unix not "@..." (abstract)
 * An accepted spec matches an object with exactly what it names and not one that
 * differs in the kind, id, key or the name's last byte; a refusal says why in one line
 * of printable ASCII (the C locale: the escaped input cannot drive a terminal). */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "remove.h"

struct ref {
	enum ipc_kind kind;
	bool by_key;
	uint32_t key;
	int id;
	const char *name;
};

static const struct {
	const char *name;
	enum ipc_kind kind;
} kinds[] = {
	{ "sysv_msg", KIND_SYSV_MSG }, { "msg", KIND_SYSV_MSG },
	{ "sysv_shm", KIND_SYSV_SHM }, { "shm", KIND_SYSV_SHM },
	{ "sysv_sem", KIND_SYSV_SEM }, { "sem", KIND_SYSV_SEM },
	{ "posix_mq", KIND_POSIX_MQ }, { "posix_shm", KIND_POSIX_SHM },
	{ "posix_sem", KIND_POSIX_SEM }, { "fifo", KIND_FIFO }, { "unix", KIND_UNIX },
};

/* Digits of the base, at least one, value at most max. */
static bool number(const char *s, int base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		int d = fuzz_hex_digit((unsigned char)*s);

		if (d < 0 || d >= base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static int reference(const char *s, struct ref *r)
{
	const char *colon = strchr(s, ':');
	size_t i, n = sizeof(kinds) / sizeof(kinds[0]);

	if (!colon)
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(kinds[i].name) == (size_t)(colon - s) &&
		    memcmp(kinds[i].name, s, (size_t)(colon - s)) == 0)
			break;
	if (i == n)
		return -1;
	r->kind = kinds[i].kind;

	const char *v = colon + 1;
	uint64_t num;

	switch (r->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		if (strncmp(v, "key:", 4) == 0) {
			v += 4;
			bool hex = v[0] == '0' && (v[1] == 'x' || v[1] == 'X');

			if (!number(hex ? v + 2 : v, hex ? 16 : 10, UINT32_MAX, &num) || num == 0)
				return -1;
			r->by_key = true;
			r->key = (uint32_t)num;
			return 0;
		}
		if (!number(v, 10, INT_MAX, &num))
			return -1;
		r->id = (int)num;
		return 0;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		if (*v == '/')
			v++;
		if (!*v || strchr(v, '/') ||
		    strlen(v) > NAME_MAX - (r->kind == KIND_POSIX_SEM ? 4 : 0))
			return -1;
		r->name = v;
		return 0;
	default:
		if (*v != '/' || strlen(v) >= PATH_MAX)
			return -1;
		r->name = v;
		return 0;
	}
}

/* An object of the snapshot with what r names. */
static void object_for(const struct ref *r, struct ipc_object *o, char *name)
{
	memset(o, 0, sizeof(*o));
	o->kind = r->kind;
	o->id = r->id;
	o->key = (int32_t)r->key;
	if (r->name) {
		strcpy(name, r->name);
		o->name = name;
		o->name_len = strlen(name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);

	struct remove_spec sp;
	struct ref want = { 0 };
	char err[512];
	int rc = remove_spec_parse(s, &sp, err, sizeof(err));
	int ref = reference(s, &want);

	FUZZ_CHECK(rc == ref);
	if (rc < 0) {
		FUZZ_CHECK(strlen(err) > 0);
		for (const char *p = err; *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
		FUZZ_CHECK(sp.name == NULL);
		free(s);
		return 0;
	}
	FUZZ_CHECK(sp.kind == want.kind && sp.by_key == want.by_key);
	if (want.by_key)
		FUZZ_CHECK((uint32_t)sp.key == want.key);
	else if (!want.name)
		FUZZ_CHECK(sp.id == want.id);
	if (want.name)
		FUZZ_CHECK(sp.name && sp.name_len == strlen(want.name) &&
			   strcmp(sp.name, want.name) == 0);
	else
		FUZZ_CHECK(sp.name == NULL);

	struct ipc_object o;
	char *name = malloc(size + 2);

	FUZZ_CHECK(name != NULL);
	object_for(&want, &o, name);
	FUZZ_CHECK(remove_spec_match(&sp, &o));
	o.kind = want.kind == KIND_FIFO ? KIND_UNIX : KIND_FIFO;
	FUZZ_CHECK(!remove_spec_match(&sp, &o));
	object_for(&want, &o, name);
	if (want.name) {
		name[o.name_len - 1] ^= 1;
		FUZZ_CHECK(!remove_spec_match(&sp, &o));
	} else if (want.by_key) {
		o.key = (int32_t)(want.key ^ 1);
		o.id = 0;
		FUZZ_CHECK(!remove_spec_match(&sp, &o));
	} else {
		o.id = want.id ^ 1;
		FUZZ_CHECK(!remove_spec_match(&sp, &o));
	}
	remove_spec_free(&sp);
	free(name);
	free(s);
	return 0;
}
