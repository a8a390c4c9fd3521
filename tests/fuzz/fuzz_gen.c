/* Fuzz target: the generator's SPEC (gen_parse_spec) and the names that carry a
 * generator's pid (src/gen_spec.c). The input, as a NUL-terminated string, is checked
 * against a reference written here:
 *   gen_parse_spec   accepts exactly the lists of NAME or NAME:N (N 1..32, digits only),
 *                    each mechanism once ("all" is each), with the same pair counts; on
 *                    refusal the message is one line of printable ASCII
 *   gen_name_owner   a pid only for "ipctop-gen-" + digits (no leading 0) + '-' or '/' + more */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "gen.h"

static const char *const names[GEN_MECH_COUNT] = {
	"pipe", "fifo", "unix-stream", "unix-dgram", "unix-seqpacket", "socketpair",
	"posix-mq", "sysv-msg", "posix-shm", "sysv-shm", "eventfd", "tcp",
};

/* The reference: 0 and the pair counts, or -1. */
static int reference(const char *s, unsigned int *pairs)
{
	memset(pairs, 0, GEN_MECH_COUNT * sizeof(*pairs));
	if (!*s)
		return -1;
	for (const char *p = s;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p), nlen = 0;
		unsigned long n = 1;

		while (nlen < len && p[nlen] != ':')
			nlen++;
		if (nlen < len) {
			size_t dl = len - nlen - 1;

			if (dl == 0 || dl > 2)
				return -1;
			n = 0;
			for (size_t i = 0; i < dl; i++) {
				char c = p[nlen + 1 + i];

				if (c < '0' || c > '9')
					return -1;
				n = n * 10 + (unsigned long)(c - '0');
			}
			if (n < 1 || n > 32)
				return -1;
		}
		bool all = nlen == 3 && memcmp(p, "all", 3) == 0, found = all;

		for (int m = 0; m < GEN_MECH_COUNT; m++) {
			if (!all && !(strlen(names[m]) == nlen && memcmp(names[m], p, nlen) == 0))
				continue;
			found = true;
			if (pairs[m])
				return -1;
			pairs[m] = (unsigned int)n;
		}
		if (!found)
			return -1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static pid_t name_reference(const char *s)
{
	const char *pre = "ipctop-gen-";
	size_t pl = strlen(pre), i;
	long pid = 0;

	if (strncmp(s, "sem.", 4) == 0 && strlen(s) > 4)
		s += 4;
	if (*s == '/')
		s++;
	if (strncmp(s, pre, pl) != 0 || s[pl] < '1' || s[pl] > '9')
		return 0;
	for (i = pl; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i - pl >= 8)
			return 0;
		pid = pid * 10 + (s[i] - '0');
	}
	if ((s[i] != '-' && s[i] != '/') || s[i + 1] == '\0')
		return s[i] == '-' || s[i] == '/' ? (pid_t)pid : 0;
	return (pid_t)pid;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);

	struct gen_spec sp;
	unsigned int want[GEN_MECH_COUNT];
	char err[256];
	int rc = gen_parse_spec(s, &sp, err, sizeof(err));
	int ref = reference(s, want);

	FUZZ_CHECK(rc == ref);
	if (rc == 0) {
		for (int m = 0; m < GEN_MECH_COUNT; m++)
			FUZZ_CHECK(sp.pairs[m] == want[m]);
	} else {
		FUZZ_CHECK(strlen(err) > 0 && strlen(err) < sizeof(err));
		for (const char *p = err; *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
	}

	pid_t owner = gen_name_owner(s, strlen(s));
	pid_t want_owner = name_reference(s);

	FUZZ_CHECK(owner == want_owner);
	if (owner > 0)
		FUZZ_CHECK(gen_key_owner(gen_key(owner, (unsigned int)size)) == (owner & 0x3FFFFF));
	free(s);
	return 0;
}
