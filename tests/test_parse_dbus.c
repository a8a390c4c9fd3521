/* Unit tests of src/parse_dbus.h: the D-Bus report written and read back, hostile
 * strings, records that do not read, address escaping, unique names. TAP on stdout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parse_dbus.h"
#include "tap.h"

static void add(struct strlist *l, const char *s)
{
	strlist_add(l, s, strlen(s));
}

static void parse_str(const char *s, struct dbus_report *r)
{
	dbus_report_parse(s, strlen(s), r);
}

static void test_round_trip(void)
{
	struct dbus_report w = { 0 }, r;
	struct strbuf b = { 0 };

	w.self = strdup(":1.9");
	w.stats = true;
	add(&w.activatable, "org.example.Act");
	struct dbus_conn_rec *c = dbus_report_add_conn(&w, ":1.0", 4);

	c->has_pid = c->has_uid = true;
	c->pid = 1234;
	c->uid = 4294967295u;
	add(&c->names, "org.example.A");
	add(&c->names, "org.example.B");
	c->has_stats = true;
	c->match_rules = 3;
	c->out_messages = 7;
	c->out_bytes = 4096;
	c->has_rules = true;
	add(&c->rules, "arg0='tab\there\\nnot a newline\nnewline'");
	c = dbus_report_add_conn(&w, ":1.1", 4);
	add(&c->queued, "org.example.A");
	dbus_report_write(&b, &w);

	parse_str(b.s, &r);
	is_int(r.bad, 0, "a written report reads back with no bad record");
	is_str(r.self, ":1.9", "own unique name");
	ok(r.stats && !r.stats_error, "statistics answered");
	is_int(r.activatable.n, 1, "one activatable name");
	is_str(r.activatable.n ? r.activatable.v[0] : NULL, "org.example.Act", "its name");
	is_int(r.nconns, 2, "two connections");
	if (r.nconns == 2) {
		const struct dbus_conn_rec *a = &r.conns[0], *q = &r.conns[1];

		is_str(a->unique, ":1.0", "first unique name");
		ok(a->has_pid && a->pid == 1234 && a->has_uid && a->uid == 4294967295u, "its pid and uid (largest uid)");
		ok(a->names.n == 2 && strcmp(a->names.v[1], "org.example.B") == 0, "its two names in order");
		ok(a->has_stats && a->match_rules == 3 && a->out_messages == 7 && a->out_bytes == 4096 &&
		   a->in_messages == 0, "its statistics");
		ok(a->has_rules && a->rules.n == 1, "its match rule");
		is_str(a->rules.n ? a->rules.v[0] : NULL, "arg0='tab\there\\nnot a newline\nnewline'",
		       "a rule with a tab, a backslash and a newline reads back exactly");
		ok(!q->has_pid && !q->has_uid && !q->has_stats && !q->has_rules, "second: nothing known but its names");
		ok(q->queued.n == 1 && q->names.n == 0, "second: queued for one name, owns none");
	}
	dbus_report_free(&r);
	dbus_report_free(&w);
	free(b.s);
}

static void test_bad_records(void)
{
	struct dbus_report r;

	parse_str("C\t:1.0\t5\t0\n"
		  "O\t:1.7\torg.x\n"          /* an unknown connection */
		  "C\t:1.0\t6\t0\n"           /* a second :1.0 */
		  "C\t:1.1\t4294967296\t0\n"  /* pid out of range */
		  "C\t\t1\t1\n"               /* empty unique name */
		  "O\t:1.0\tbad\\escape\n"    /* \e is no escape */
		  "Z\t:1.0\n"                 /* unknown record */
		  "X\t2\n"                    /* not 0 or 1 */
		  "T\t:1.0\t1\t2\t3\t4\n"     /* a field short */
		  "H\n"                       /* heartbeat: fine */
		  "O\t:1.0\torg.ok\n"
		  "X\t0\tAccessDenied\n"
		  "S\t:1.5\n"
		  "cut short", &r);
	is_int(r.bad, 9, "nine bad records counted (one of them the line cut short)");
	is_int(r.nconns, 1, "one connection");
	ok(r.nconns == 1 && r.conns[0].pid == 5 && r.conns[0].names.n == 1 &&
	   strcmp(r.conns[0].names.v[0], "org.ok") == 0, "the first :1.0 stands, with the good name");
	ok(!r.stats && r.stats_error && strcmp(r.stats_error, "AccessDenied") == 0, "why no statistics");
	is_str(r.self, ":1.5", "own name after bad records");
	dbus_report_free(&r);

	parse_str("", &r);
	ok(r.nconns == 0 && r.bad == 0 && !r.self && !r.error, "an empty report: nothing, nothing bad");
	dbus_report_free(&r);

	dbus_report_parse("C\t:1.0\x00\t1\t1\n", 12, &r);
	ok(r.nconns == 0 && r.bad == 1, "a NUL byte makes a record bad");
	dbus_report_free(&r);

	struct strbuf b = { 0 };

	dbus_report_write_error(&b, "cannot connect:\tno\n");
	parse_str(b.s, &r);
	is_str(r.error, "cannot connect:\tno\n", "an error reads back exactly");
	dbus_report_free(&r);
	free(b.s);
}

static void test_address(void)
{
	char *e = dbus_address_escape("/run/user/1000/bus", 18);

	is_str(e, "/run/user/1000/bus", "a plain path is unchanged");
	free(e);
	e = dbus_address_escape("/tmp/a b,c=d;%", 14);
	is_str(e, "/tmp/a%20b%2cc%3dd%3b%25", "space, comma, equals, semicolon and percent are escaped");
	free(e);
	e = dbus_address_escape("\xc3\xa9", 2);
	is_str(e, "%c3%a9", "non-ASCII bytes are escaped");
	free(e);
}

static void test_unique(void)
{
	uint64_t a, b;

	dbus_unique_numbers(":1.42", &a, &b);
	ok(a == 1 && b == 42, ":1.42 is 1 and 42");
	dbus_unique_numbers("org.example", &a, &b);
	ok(a == 0 && b == 0, "a well-known name has no numbers");
	dbus_unique_numbers(":1.", &a, &b);
	ok(a == 0 && b == 0, ":1. is not a unique name");
	dbus_unique_numbers(":1.2x", &a, &b);
	ok(a == 0 && b == 0, ":1.2x is not a unique name");
	dbus_unique_numbers(NULL, &a, &b);
	ok(a == 0 && b == 0, "NULL has no numbers");
}

int main(void)
{
	test_round_trip();
	test_bad_records();
	test_address();
	test_unique();
	return tap_done();
}
