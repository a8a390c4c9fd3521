/* Fuzz target: sysv_parse(), the text of /proc/sysvipc/{msg,shm,sem}.
 *
 * Invariants beyond "no crash, no leak":
 *  - on failure nothing is returned (no records, no bad lines);
 *  - on success every non-blank line after the header is either a record or a bad
 *    line: nrec + bad_lines is exactly the number of such lines;
 *  - every record has the same fields (the header's), including key and id, and a key
 *    that fits a key_t;
 *  - the records, written back in the kernel's format, parse to the same records. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static const char *const field_name[SF_COUNT] = {
	[SF_KEY] = "key", [SF_ID] = "shmid", [SF_PERMS] = "perms",
	[SF_SIZE] = "size", [SF_CPID] = "cpid", [SF_LPID] = "lpid", [SF_NATTCH] = "nattch",
	[SF_CBYTES] = "cbytes", [SF_QNUM] = "qnum", [SF_LSPID] = "lspid", [SF_LRPID] = "lrpid",
	[SF_NSEMS] = "nsems",
	[SF_UID] = "uid", [SF_GID] = "gid", [SF_CUID] = "cuid", [SF_CGID] = "cgid",
	[SF_ATIME] = "atime", [SF_DTIME] = "dtime", [SF_CTIME] = "ctime",
	[SF_STIME] = "stime", [SF_RTIME] = "rtime",
	[SF_OTIME] = "otime",
	[SF_RSS] = "rss", [SF_SWAP] = "swap",
};

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Lines after the first that hold something other than whitespace. */
static size_t nonblank_body_lines(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len, *nl = memchr(p, '\n', len);
	size_t n = 0;

	if (!nl)
		return 0;
	p = nl + 1;
	for (;;) {
		const uint8_t *e = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *lend = e ? e : end;
		bool blank = true;

		for (const uint8_t *q = p; q < lend; q++)
			if (!is_space(*q))
				blank = false;
		if (!blank)
			n++;
		if (!e)
			return n;
		p = e + 1;
	}
}

/* Write the records as the kernel would (fields in a fixed order) and parse that. */
static void check_round_trip(const struct sysv_table *t)
{
	uint32_t has = t->rec[0].has;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f != NULL);
	for (int k = 0; k < SF_COUNT; k++)
		if (has & (1u << k))
			fprintf(f, " %10s", field_name[k]);
	fputc('\n', f);
	for (size_t i = 0; i < t->nrec; i++) {
		const struct sysv_record *r = &t->rec[i];

		for (int k = 0; k < SF_COUNT; k++) {
			if (!(has & (1u << k)))
				continue;
			if (k == SF_KEY)
				fprintf(f, " %10" PRId64, r->key);
			else if (k == SF_PERMS)
				fprintf(f, " %5" PRIo64, r->v[k]);
			else
				fprintf(f, " %10" PRIu64, r->v[k]);
		}
		fputc('\n', f);
	}
	FUZZ_CHECK(fclose(f) == 0);

	struct sysv_table again;

	FUZZ_CHECK(sysv_parse(text, len, &again) == 0);
	FUZZ_CHECK(again.nrec == t->nrec);
	FUZZ_CHECK(again.bad_lines == 0);
	for (size_t i = 0; i < t->nrec; i++) {
		const struct sysv_record *a = &t->rec[i], *b = &again.rec[i];

		FUZZ_CHECK(a->has == b->has);
		FUZZ_CHECK(a->key == b->key);
		for (int k = 0; k < SF_COUNT; k++)
			FUZZ_CHECK(a->v[k] == b->v[k]);
	}
	sysv_table_free(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sysv_table t;

	if (sysv_parse((const char *)data, size, &t) < 0) {
		FUZZ_CHECK(t.rec == NULL && t.nrec == 0 && t.bad_lines == 0);
		return 0;
	}
	FUZZ_CHECK(t.nrec + t.bad_lines == nonblank_body_lines(data, size));
	FUZZ_CHECK(t.nrec == 0 || t.rec != NULL);
	for (size_t i = 0; i < t.nrec; i++) {
		const struct sysv_record *r = &t.rec[i];

		FUZZ_CHECK(r->has == t.rec[0].has);
		FUZZ_CHECK((r->has & (1u << SF_KEY)) && (r->has & (1u << SF_ID)));
		FUZZ_CHECK((r->has >> SF_COUNT) == 0);
		FUZZ_CHECK(r->key >= INT32_MIN && r->key <= INT32_MAX);
		for (int k = 0; k < SF_COUNT; k++)
			FUZZ_CHECK((r->has & (1u << k)) || r->v[k] == 0);
	}
	if (t.nrec > 0)
		check_round_trip(&t);
	sysv_table_free(&t);
	return 0;
}
