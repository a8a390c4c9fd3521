/* Fuzz target: command-line values (src/options.h) and the column and kind names they
 * are looked up by (src/columns.h). The input, as a NUL-terminated string (it ends at
 * its first NUL, as an argv string would), goes to each parser, and each answer is
 * checked against a reference written here:
 *   parse_seconds  digits with at most one '.', > 0 and <= max; the value within 1e-9
 *                  (relative) of strtod's
 *   parse_count    digits only, 1..max, the exact value
 *   split_list     refuses exactly the lists with an empty element; the elements joined
 *                  with ',' give back the string
 *   parse_kinds    the mask of the named kinds and groups, or the first bad name ("" for
 *                  an empty one)
 *   column_by_name, kind_column_by_name, kind_by_name: a hit has exactly that name */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "columns.h"
#include "fuzz.h"
#include "options.h"

static void check_seconds(const char *s, double max)
{
	double v = -1;
	int rc = parse_seconds(s, max, &v);
	bool grammar = true, digit = false, point = false;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (*p == '.' && !point)
			point = true;
		else
			grammar = false;
	}
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (!grammar || !digit) {
		FUZZ_CHECK(rc == -1);
		return;
	}
	if (rc == 0)
		FUZZ_CHECK(isfinite(v) && v > 0 && v <= max);

	double ref = strtod(s, NULL);   /* the C locale: '.' is the decimal point */

	if (ref < 1e-300)
		return;                 /* underflow: either answer is fair */
	if (rc == 0)
		FUZZ_CHECK(fabs(v - ref) <= 1e-9 * ref);
	if (ref <= max * (1 - 1e-9))
		FUZZ_CHECK(rc == 0);
	if (ref > max * (1 + 1e-9))
		FUZZ_CHECK(rc == -1);
}

static void check_count(const char *s, long max)
{
	long v = -1;
	int rc = parse_count(s, max, &v);
	unsigned long long ref = 0;
	bool digits = *s != '\0', big = false;

	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9') {
			digits = false;
			break;
		}
		if (ref > (ULLONG_MAX - 9) / 10)
			big = true;
		else
			ref = ref * 10 + (unsigned long long)(*p - '0');
	}
	bool expect = digits && !big && ref >= 1 && ref <= (unsigned long long)max;

	FUZZ_CHECK(rc == (expect ? 0 : -1));
	if (rc == 0)
		FUZZ_CHECK((unsigned long long)v == ref);
}

static void check_split(const char *s)
{
	size_t want = 1;
	bool empty = *s == '\0' || *s == ',';

	for (const char *p = s; *p; p++) {
		if (*p != ',')
			continue;
		want++;
		if (p[1] == ',' || p[1] == '\0')
			empty = true;
	}

	char **list = NULL;
	size_t n = 0;
	int rc = split_list(s, &list, &n);

	FUZZ_CHECK(rc == (empty ? -1 : 0));
	if (rc < 0)
		return;
	FUZZ_CHECK(n == want && list != NULL);

	const char *p = s;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(list[i]);

		FUZZ_CHECK(l > 0 && strchr(list[i], ',') == NULL);
		FUZZ_CHECK(strncmp(p, list[i], l) == 0);
		p += l;
		FUZZ_CHECK(*p == (i + 1 < n ? ',' : '\0'));
		if (*p)
			p++;
	}
	free_list(list, n);
}

/* The bits a kind name or group stands for (0: unknown): every kind of the kind table by
 * its own name, and the groups as the manual lists them. */
static unsigned int kind_bits(const char *name)
{
	static const struct {
		const char *name;
		unsigned int bits;
	} groups[] = {
		{ "sysv", (1u << KIND_SYSV_MSG) | (1u << KIND_SYSV_SHM) | (1u << KIND_SYSV_SEM) },
		{ "posix", (1u << KIND_POSIX_MQ) | (1u << KIND_POSIX_SHM) | (1u << KIND_POSIX_SEM) },
		{ "events", (1u << KIND_EVENTFD) | (1u << KIND_SIGNALFD) | (1u << KIND_INOTIFY) |
			    (1u << KIND_TIMERFD) | (1u << KIND_PIDFD) | (1u << KIND_EPOLL) },
		{ "sockets", (1u << KIND_UNIX) | (1u << KIND_INET) | (1u << KIND_NETLINK) },
		{ "shm", (1u << KIND_SYSV_SHM) | (1u << KIND_POSIX_SHM) | (1u << KIND_MEMFD) |
			 (1u << KIND_SHARED_ANON) | (1u << KIND_SHARED_FILE) },
		{ "all", (1u << KIND_COUNT) - 1 },
	};

	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(kind_classes[k].name, name) == 0)
			return 1u << k;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].bits;
	return 0;
}

static void check_kinds(const char *s)
{
	unsigned int mask = 0, want = 0;
	char *bad = (char *)"unset";
	int rc = parse_kinds(s, &mask, &bad);
	char **list;
	size_t n;

	FUZZ_CHECK(rc == 0 || rc == -1);
	if (split_list(s, &list, &n) < 0) {
		FUZZ_CHECK(rc == -1 && bad != NULL && strcmp(bad, "") == 0);
		free(bad);
		return;
	}
	const char *first_bad = NULL;

	for (size_t i = 0; i < n && !first_bad; i++) {
		unsigned int b = kind_bits(list[i]);

		if (b)
			want |= b;
		else
			first_bad = list[i];
	}
	if (first_bad) {
		FUZZ_CHECK(rc == -1 && bad != NULL && strcmp(bad, first_bad) == 0);
		free(bad);
	} else {
		FUZZ_CHECK(rc == 0 && bad == NULL && mask == want);
		FUZZ_CHECK(mask != 0 && (mask >> KIND_COUNT) == 0);
	}
	free_list(list, n);
}

static void check_names(const char *s)
{
	int c = column_by_name(s);

	FUZZ_CHECK(c >= -1 && c < (int)ncolumns);
	if (c >= 0)
		FUZZ_CHECK(strcmp(columns[c].name, s) == 0);
	for (int k = 0; k < KIND_COUNT; k++) {
		int kc = kind_column_by_name((enum ipc_kind)k, s);

		FUZZ_CHECK(kc >= -1 && kc < (int)ncolumns);
		if (kc >= 0)
			FUZZ_CHECK(strcmp(columns[kc].name, s) == 0 &&
				   kind_has_column((enum ipc_kind)k, kc));
		else if (c >= 0)
			FUZZ_CHECK(!kind_has_column((enum ipc_kind)k, c));
	}
	int k = kind_by_name(s);

	FUZZ_CHECK(k >= -1 && k < KIND_COUNT);
	if (k >= 0)
		FUZZ_CHECK(strcmp(kind_classes[k].name, s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);

	check_seconds(s, 86400.0);      /* --delay */
	check_seconds(s, 1e300);
	check_count(s, 1000000000L);    /* --iterations */
	check_count(s, LONG_MAX);
	check_split(s);
	check_kinds(s);
	check_names(s);
	free(s);
	return 0;
}
