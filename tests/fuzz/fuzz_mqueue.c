/* Fuzz target: the small kernel-text parsers of src/parse.h and its number parsers.
 * Every input goes to each of them:
 *   mq_status_parse    an mqueue file, "QSIZE:129 NOTIFY:2 SIGNO:0 NOTIFY_PID:8260"
 *   sem_limits_parse   /proc/sys/kernel/sem, four numbers
 *   sysctl_u64_parse   one number (a /proc/sys file)
 *   posix_sem_decode   the bytes of a /dev/shm/sem.* file
 *   parse_u64 (bases 8, 10, 16) and parse_i64, on the whole input and on each token
 *
 * The numbers are checked against strtoull/strtoll on a NUL-terminated copy: a token
 * of digits only parses exactly when it fits, to the same value, and anything else
 * (sign, space, prefix, other bytes) is refused. Success of mq_status_parse implies
 * QSIZE was seen, and what it returns, written back in the kernel's format, parses to
 * the same thing. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char *dup0(const char *s, size_t len)
{
	char *z = malloc(len + 1);

	FUZZ_CHECK(z != NULL);
	memcpy(z, s, len);
	z[len] = '\0';
	return z;
}

/* The reference: true and *out when [s, s+len) is only digits of base and fits. */
static bool ref_u64(const char *s, size_t len, int base, uint64_t *out)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = fuzz_hex_digit((unsigned char)s[i]);

		if (d < 0 || d >= base)
			return false;
	}

	char *z = dup0(s, len), *end;

	errno = 0;
	unsigned long long v = strtoull(z, &end, base);
	bool fits = errno != ERANGE;

	FUZZ_CHECK(end == z + len);
	free(z);
	*out = v;
	return fits;
}

static bool ref_i64(const char *s, size_t len, int64_t *out)
{
	size_t sign = len > 0 && (s[0] == '-' || s[0] == '+');

	if (len == sign)
		return false;
	for (size_t i = sign; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;

	char *z = dup0(s, len), *end;

	errno = 0;
	long long v = strtoll(z, &end, 10);
	bool fits = errno != ERANGE;

	FUZZ_CHECK(end == z + len);
	free(z);
	*out = v;
	return fits;
}

static void check_numbers(const char *s, size_t len)
{
	static const int bases[] = { 8, 10, 16 };
	uint64_t u, ru;
	int64_t i, ri;

	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		int rc = parse_u64(s, len, bases[b], &u);

		if (ref_u64(s, len, bases[b], &ru))
			FUZZ_CHECK(rc == 0 && u == ru);
		else
			FUZZ_CHECK(rc == -1);
	}
	int rc = parse_i64(s, len, &i);

	if (ref_i64(s, len, &ri))
		FUZZ_CHECK(rc == 0 && i == ri);
	else
		FUZZ_CHECK(rc == -1);
}

struct tokens {
	const char *tok[5];         /* the first five */
	size_t len[5];
	size_t n;                   /* all of them */
	bool all_have_colon;
};

static void tokenize(const char *s, size_t len, struct tokens *t)
{
	const char *end = s + len;

	memset(t, 0, sizeof(*t));
	t->all_have_colon = true;
	while (s < end) {
		while (s < end && is_space(*s))
			s++;
		if (s == end)
			break;
		const char *b = s;

		while (s < end && !is_space(*s))
			s++;
		if (!memchr(b, ':', (size_t)(s - b)))
			t->all_have_colon = false;
		check_numbers(b, (size_t)(s - b));
		if (t->n < 5) {
			t->tok[t->n] = b;
			t->len[t->n] = (size_t)(s - b);
		}
		t->n++;
	}
}

static void check_mq_status(const char *s, size_t len, const struct tokens *t)
{
	struct mq_status st;
	int rc = mq_status_parse(s, len, &st);

	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0)
		return;
	FUZZ_CHECK(st.has & 1);
	FUZZ_CHECK((st.has & ~15u) == 0);
	FUZZ_CHECK(t->all_have_colon);
	FUZZ_CHECK(st.notify >= 0 && st.signo >= 0);
	FUZZ_CHECK(st.notify_pid >= 0 && st.notify_pid <= INT_MAX);
	FUZZ_CHECK((st.has & 2) || st.notify == 0);
	FUZZ_CHECK((st.has & 4) || st.signo == 0);
	FUZZ_CHECK((st.has & 8) || st.notify_pid == 0);

	/* as fs/mqueue.c writes it */
	char line[128];
	int n = snprintf(line, sizeof(line), "QSIZE:%-10" PRIu64, st.qsize);

	if (st.has & 2)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " NOTIFY:%-5d", st.notify);
	if (st.has & 4)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " SIGNO:%-5d", st.signo);
	if (st.has & 8)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " NOTIFY_PID:%-6" PRId64 "\n",
			      st.notify_pid);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(line));

	struct mq_status again;

	FUZZ_CHECK(mq_status_parse(line, (size_t)n, &again) == 0);
	FUZZ_CHECK(again.has == st.has && again.qsize == st.qsize && again.notify == st.notify &&
		   again.signo == st.signo && again.notify_pid == st.notify_pid);
}

static void check_sem_limits(const char *s, size_t len, const struct tokens *t)
{
	uint64_t lim[4], ref[4];
	bool expect = t->n == 4;

	for (size_t i = 0; expect && i < 4; i++)
		expect = ref_u64(t->tok[i], t->len[i], 10, &ref[i]);
	int rc = sem_limits_parse(s, len, lim);

	FUZZ_CHECK(rc == (expect ? 0 : -1));
	if (rc == 0)
		FUZZ_CHECK(memcmp(lim, ref, sizeof(lim)) == 0);
}

static void check_sysctl(const char *s, size_t len, const struct tokens *t)
{
	uint64_t v, ref;
	bool expect = t->n == 1 && ref_u64(t->tok[0], t->len[0], 10, &ref);
	int rc = sysctl_u64_parse(s, len, &v);

	FUZZ_CHECK(rc == (expect ? 0 : -1));
	if (rc == 0)
		FUZZ_CHECK(v == ref);
}

static void check_posix_sem(const uint8_t *data, size_t size)
{
	int value = -1, waiters = -1;
	int rc = posix_sem_decode(data, size, &value, &waiters);

	FUZZ_CHECK(rc == 0 || rc == -1);
#if __SIZEOF_POINTER__ == 8
	bool expect = false;

	if (size == 32) {
		uint64_t word;

		memcpy(&word, data, sizeof(word));
		expect = (uint32_t)word <= INT_MAX && (word >> 32) <= INT_MAX;
		if (rc == 0)
			FUZZ_CHECK((uint32_t)value == (uint32_t)word &&
				   (uint32_t)waiters == (uint32_t)(word >> 32));
	}
	FUZZ_CHECK(rc == (expect ? 0 : -1));
#else
	FUZZ_CHECK(rc < 0 || size == 16);
#endif
	if (rc == 0)
		FUZZ_CHECK(value >= 0 && waiters >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct tokens t;

	check_numbers(s, size);
	tokenize(s, size, &t);
	check_mq_status(s, size, &t);
	check_sem_limits(s, size, &t);
	check_sysctl(s, size, &t);
	check_posix_sem(data, size);
	return 0;
}
