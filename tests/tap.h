/* A tiny header-only TAP producer for the C unit tests.
 *
 *   ok(cond, "description %d", ...);
 *   is_int(got, expected, "description");      any integer type (as long long)
 *   is_u64(got, expected, "description");
 *   is_str(got, expected, "description");      NULL-safe
 *   skip(n, "reason");                         n tests marked # SKIP
 *   todo_start("reason"); ... todo_end();      known failures, marked # TODO
 *   return tap_done();                         prints the plan, 0 if all passed
 *
 * Descriptions must not contain '#' or newlines (TAP directives). */
#ifndef IPCTOP_TAP_H
#define IPCTOP_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count;          /* tests run */
static int tap_failures;       /* failed, not counting TODO tests */
static const char *tap_todo;   /* reason while inside todo_start()/todo_end() */

__attribute__((format(printf, 4, 0)))
static inline bool tap_vreport(bool pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	if (tap_todo)
		printf(" # TODO %s", tap_todo);
	putchar('\n');
	if (!pass) {
		printf("#   Failed %stest at %s line %d.\n", tap_todo ? "(TODO) " : "", file, line);
		if (!tap_todo)
			tap_failures++;
	}
	fflush(stdout);
	return pass;
}

__attribute__((format(printf, 4, 5)))
static inline bool tap_ok(bool pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

/* A string on a diagnostic line, C-escaped: \\, \" and \xHH for the rest. */
static inline void tap_diag_str(const char *label, const char *s)
{
	printf("#   %8s: ", label);
	if (!s) {
		puts("NULL");
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	puts("\"");
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_is_int(long long got, long long exp, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;
	bool pass = got == exp;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#        got: %lld\n#   expected: %lld\n", got, exp);
	return pass;
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_is_u64(uint64_t got, uint64_t exp, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;
	bool pass = got == exp;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#        got: %" PRIu64 " (0x%" PRIx64 ")\n"
		       "#   expected: %" PRIu64 " (0x%" PRIx64 ")\n", got, got, exp, exp);
	return pass;
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_is_str(const char *got, const char *exp, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;
	bool pass = (got && exp) ? strcmp(got, exp) == 0 : got == exp;

	va_start(ap, fmt);
	tap_vreport(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag_str("got", got);
		tap_diag_str("expected", exp);
	}
	return pass;
}

static inline void skip(int n, const char *reason)
{
	for (int i = 0; i < n; i++)
		printf("ok %d # SKIP %s\n", ++tap_count, reason);
	fflush(stdout);
}

static inline void todo_start(const char *reason)
{
	tap_todo = reason;
}

static inline void todo_end(void)
{
	tap_todo = NULL;
}

/* Print the plan; returns the exit status. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failures)
		printf("# Looks like you failed %d test%s of %d.\n", tap_failures,
		       tap_failures == 1 ? "" : "s", tap_count);
	fflush(stdout);
	return tap_failures ? 1 : 0;
}

#define ok(cond, ...) tap_ok((cond) ? true : false, __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, exp, ...) \
	tap_is_int((long long)(got), (long long)(exp), __FILE__, __LINE__, __VA_ARGS__)
#define is_u64(got, exp, ...) \
	tap_is_u64((uint64_t)(got), (uint64_t)(exp), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, exp, ...) tap_is_str((got), (exp), __FILE__, __LINE__, __VA_ARGS__)

#endif
