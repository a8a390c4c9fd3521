/* Fuzz target: the D-Bus report of src/parse_dbus.h (what the collecting child writes
 * down a pipe) and the D-Bus address escaping.
 *   dbus_report_parse   any bytes: unique names are distinct and not empty; the
 *                       report written back (dbus_report_write) parses to the same
 *                       report, with no bad record
 *   dbus_address_escape the output holds only the address characters and %XX, and
 *                       decodes to the input
 *   dbus_unique_numbers ":A.B" only */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "parse_dbus.h"

static bool strlist_eq(const struct strlist *a, const struct strlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static bool opt_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_same(const struct dbus_report *a, const struct dbus_report *b)
{
	FUZZ_CHECK(opt_eq(a->error, b->error));
	FUZZ_CHECK(opt_eq(a->self, b->self));
	FUZZ_CHECK(a->stats == b->stats);
	FUZZ_CHECK(opt_eq(a->stats_error, b->stats_error));
	FUZZ_CHECK(strlist_eq(&a->activatable, &b->activatable));
	FUZZ_CHECK(a->nconns == b->nconns);
	for (size_t i = 0; i < a->nconns; i++) {
		const struct dbus_conn_rec *x = &a->conns[i], *y = &b->conns[i];

		FUZZ_CHECK(strcmp(x->unique, y->unique) == 0);
		FUZZ_CHECK(x->has_pid == y->has_pid && x->pid == y->pid);
		FUZZ_CHECK(x->has_uid == y->has_uid && x->uid == y->uid);
		FUZZ_CHECK(strlist_eq(&x->names, &y->names) && strlist_eq(&x->queued, &y->queued));
		FUZZ_CHECK(x->has_stats == y->has_stats);
		if (x->has_stats)
			FUZZ_CHECK(x->match_rules == y->match_rules && x->in_messages == y->in_messages &&
				   x->out_messages == y->out_messages && x->in_bytes == y->in_bytes &&
				   x->out_bytes == y->out_bytes);
		FUZZ_CHECK(x->has_rules == y->has_rules && strlist_eq(&x->rules, &y->rules));
	}
}

static bool address_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '_' || c == '/' || c == '.' || c == '\\' || c == '*';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstring(data, size);

	struct dbus_report r, again;
	struct strbuf out = { 0 };

	dbus_report_parse(buf, size, &r);
	for (size_t i = 0; i < r.nconns; i++) {
		FUZZ_CHECK(r.conns[i].unique[0] != '\0');
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(r.conns[i].unique, r.conns[j].unique) != 0);
	}
	dbus_report_write(&out, &r);
	dbus_report_parse(out.s ? out.s : "", out.len, &again);
	FUZZ_CHECK(again.bad == 0);
	check_same(&r, &again);
	dbus_report_free(&r);
	dbus_report_free(&again);
	free(out.s);

	/* escaping: only address characters and %XX, decoding to the input */
	char *esc = dbus_address_escape(buf, size);
	size_t k = 0;

	for (const char *p = esc; *p; k++) {
		FUZZ_CHECK(k < size);
		if (*p == '%') {
			int hi = fuzz_hex_digit(p[1]), lo = hi >= 0 ? fuzz_hex_digit(p[2]) : -1;

			FUZZ_CHECK(hi >= 0 && lo >= 0);
			FUZZ_CHECK((unsigned char)buf[k] == (unsigned char)(hi * 16 + lo));
			FUZZ_CHECK(!address_char((unsigned char)buf[k]));
			p += 3;
		} else {
			FUZZ_CHECK(address_char((unsigned char)*p) && *p == buf[k]);
			p++;
		}
	}
	FUZZ_CHECK(k == size);
	free(esc);

	uint64_t a, b;

	dbus_unique_numbers(buf, &a, &b);
	if (a || b)
		FUZZ_CHECK(buf[0] == ':');
	free(buf);
	return 0;
}
