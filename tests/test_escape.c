/* Unit tests of src/escape.h: UTF-8 decoding and making object names safe for
 * terminals and JSON. TAP on stdout. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tap.h"

/* ---- utf8_decode ---------------------------------------------------------- */

/* Decode s (its whole length) and check the length consumed and the code point. */
static void decodes(const char *s, size_t want_len, uint32_t want_cp, const char *what)
{
	uint32_t cp = 0xdeadbeef;
	size_t n = utf8_decode((const unsigned char *)s, strlen(s), &cp);

	ok(n == want_len && cp == want_cp, "utf8_decode: %s is U+%04X in %zu bytes",
	   what, (unsigned int)want_cp, want_len);
	if (n != want_len || cp != want_cp)
		printf("#   got %zu bytes, U+%04X\n", n, (unsigned int)cp);
}

static void rejects(const char *s, size_t len, const char *what)
{
	uint32_t cp;

	is_int(utf8_decode((const unsigned char *)s, len, &cp), 0, "utf8_decode: %s rejected", what);
}

static void test_utf8_decode(void)
{
	uint32_t cp = 1;

	decodes("A", 1, 'A', "ASCII");
	decodes("ab", 1, 'a', "first of two ASCII");
	ok(utf8_decode((const unsigned char *)"", 1, &cp) == 1 && cp == 0, "utf8_decode: NUL byte");
	decodes("\x7f", 1, 0x7f, "DEL");
	decodes("\xc2\x80", 2, 0x80, "smallest 2-byte");
	decodes("\xc3\xa9", 2, 0xe9, "e acute");
	decodes("\xdf\xbf", 2, 0x7ff, "largest 2-byte");
	decodes("\xe0\xa0\x80", 3, 0x800, "smallest 3-byte");
	decodes("\xe2\x82\xac", 3, 0x20ac, "euro sign");
	decodes("\xed\x9f\xbf", 3, 0xd7ff, "last before surrogates");
	decodes("\xee\x80\x80", 3, 0xe000, "first after surrogates");
	decodes("\xef\xbf\xbf", 3, 0xffff, "largest 3-byte");
	decodes("\xf0\x90\x80\x80", 4, 0x10000, "smallest 4-byte");
	decodes("\xf0\x9f\x98\x80", 4, 0x1f600, "emoji");
	decodes("\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF");
	decodes("\xc3\xa9z", 2, 0xe9, "2-byte followed by ASCII");

	rejects("", 0, "empty");
	rejects("\xc0\xaf", 2, "overlong C0 AF");
	rejects("\xc1\xbf", 2, "overlong C1 BF");
	rejects("\xc0\x80", 2, "overlong NUL");
	rejects("\xe0\x80\xaf", 3, "overlong 3-byte");
	rejects("\xe0\x9f\xbf", 3, "overlong 3-byte U+07FF");
	rejects("\xf0\x80\x80\xaf", 4, "overlong 4-byte");
	rejects("\xf0\x8f\xbf\xbf", 4, "overlong 4-byte U+FFFF");
	rejects("\xed\xa0\x80", 3, "surrogate U+D800");
	rejects("\xed\xbf\xbf", 3, "surrogate U+DFFF");
	rejects("\xf4\x90\x80\x80", 4, "U+110000");
	rejects("\xf7\xbf\xbf\xbf", 4, "U+1FFFFF");
	rejects("\xf8\x88\x80\x80\x80", 5, "5-byte form");
	rejects("\xfc\x84\x80\x80\x80\x80", 6, "6-byte form");
	rejects("\xfe", 1, "byte FE");
	rejects("\xff", 1, "byte FF");
	rejects("\x80", 1, "lone continuation 80");
	rejects("\xbf\xbf", 2, "lone continuation BF");
	rejects("\xc3", 1, "truncated 2-byte");
	rejects("\xe2\x82", 2, "truncated 3-byte");
	rejects("\xf0\x9f\x98", 3, "truncated 4-byte");
	rejects("\xc3\xa9", 1, "2-byte cut by len");
	rejects("\xf0\x9f\x98\x80", 3, "4-byte cut by len");
	rejects("\xc3\x28", 2, "bad continuation in 2-byte");
	rejects("\xe2\x28\xa1", 3, "bad 2nd byte in 3-byte");
	rejects("\xe2\x82\x28", 3, "bad 3rd byte in 3-byte");
	rejects("\xf0\x9f\x98\xc0", 4, "bad 4th byte in 4-byte");
}

/* ---- codepoint_is_control ------------------------------------------------- */

static void test_is_control(void)
{
	static const uint32_t controls[] = {
		0x00, 0x07, 0x0a, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
		0x2028, 0x2029, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
	};
	static const uint32_t printable[] = {
		0x20, 'A', 0x7e, 0xa0, 0xe9, 0x2027, 0x202f, 0x2065, 0x206a, 0x200d,
		0x20ac, 0xfffd, 0x1f600, 0x10ffff,
	};

	for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		ok(codepoint_is_control(controls[i]), "codepoint_is_control: U+%04X is a control",
		   (unsigned int)controls[i]);
	for (size_t i = 0; i < sizeof(printable) / sizeof(printable[0]); i++)
		ok(!codepoint_is_control(printable[i]), "codepoint_is_control: U+%04X is not",
		   (unsigned int)printable[i]);

	/* ARABIC LETTER MARK is in Unicode's Bidi_Control set with LRM and RLM */
	ok(codepoint_is_control(0x061c), "codepoint_is_control: U+061C ARABIC LETTER MARK is a control");
}

/* ---- text_escape ---------------------------------------------------------- */

static void escapes_n(const char *s, size_t len, bool utf8, const char *want, size_t want_width,
		      const char *what)
{
	size_t w = 12345;
	char *got = text_escape(s, len, utf8, &w);

	is_str(got, want, "text_escape %s: %s", utf8 ? "utf8" : "ascii", what);
	is_int(w, want_width, "text_escape %s: %s width", utf8 ? "utf8" : "ascii", what);
	free(got);
}

static void escapes(const char *s, bool utf8, const char *want, size_t want_width, const char *what)
{
	escapes_n(s, strlen(s), utf8, want, want_width, what);
}

/* Same result in both modes. */
static void escapes_both(const char *s, const char *want, size_t want_width, const char *what)
{
	escapes(s, true, want, want_width, what);
	escapes(s, false, want, want_width, what);
}

static void test_text_escape(bool have_utf8)
{
	escapes_both("", "", 0, "empty");
	escapes_both("a b", "a b", 3, "plain text unchanged");
	escapes_both("~!@$%^&*()_+{}|:<>?`-=[];',./\"", "~!@$%^&*()_+{}|:<>?`-=[];',./\"", 30,
		     "printable ASCII unchanged");
	escapes_both("\n", "\\n", 2, "newline");
	escapes_both("\t", "\\t", 2, "tab");
	escapes_both("\r", "\\x0d", 4, "carriage return");
	escapes_both("\x1b[2J", "\\x1b[2J", 7, "ESC sequence");
	escapes_both("\x7f", "\\x7f", 4, "DEL");
	escapes_both("\xff", "\\xff", 4, "invalid byte FF");
	escapes_both("\\", "\\\\", 2, "backslash doubled");
	escapes_both("a\\x41", "a\\\\x41", 6, "backslash cannot forge an escape");
	escapes_both("x\ty\n", "x\\ty\\n", 6, "mixed");
	escapes_n("a\0b", 3, true, "a\\x00b", 6, "NUL byte");
	escapes_n("a\0b", 3, false, "a\\x00b", 6, "NUL byte");
	escapes_both("\xc0\xaf", "\\xc0\\xaf", 8, "overlong");
	escapes_both("\xed\xa0\x80", "\\xed\\xa0\\x80", 12, "surrogate");
	escapes_both("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", 16, "above U+10FFFF");
	escapes_both("ab\xe2\x82", "ab\\xe2\\x82", 10, "truncated at the end");
	escapes_both("\xe2(", "\\xe2(", 5, "resync after a bad lead byte");
	escapes_both("\xc2\x85", "\\xc2\\x85", 8, "C1 NEL");
	escapes_both("\xc2\x9b" "31m", "\\xc2\\x9b" "31m", 11, "C1 CSI");
	escapes_both("abc\xe2\x80\xae" "fdp.exe", "abc\\xe2\\x80\\xae" "fdp.exe", 22,
		     "U+202E bidi override");
	escapes_both("\xe2\x81\xa6", "\\xe2\\x81\\xa6", 12, "U+2066 bidi isolate");
	escapes_both("\xe2\x80\xa8", "\\xe2\\x80\\xa8", 12, "U+2028 line separator");
	escapes_both("\xef\xbb\xbf", "\\xef\\xbb\\xbf", 12, "U+FEFF BOM");
	escapes("\xc3\xa9", false, "\\xc3\\xa9", 8, "e acute is escaped without UTF-8");
	escapes("\xe6\xbc\xa2", false, "\\xe6\\xbc\\xa2", 12, "CJK is escaped without UTF-8");

	char *p = text_escape("a\n", 2, true, NULL);

	is_str(p, "a\\n", "text_escape: width pointer may be NULL");
	free(p);

	/* From here the result depends on wcwidth() in a UTF-8 locale. */
	if (!have_utf8) {
		skip(18, "no UTF-8 locale");
		return;
	}
	escapes("\xc3\xa9", true, "\xc3\xa9", 1, "e acute passes");
	escapes("caf\xc3\xa9 \xe2\x82\xac", true, "caf\xc3\xa9 \xe2\x82\xac", 6, "cafe euro passes");
	escapes("\xe6\xbc\xa2\xe5\xad\x97", true, "\xe6\xbc\xa2\xe5\xad\x97", 4, "CJK is 2 cells each");
	escapes("\xf0\x9f\x98\x80", true, "\xf0\x9f\x98\x80", 2, "emoji is 2 cells");
	escapes("e\xcc\x81", true, "e\xcc\x81", 1, "combining accent is 0 cells");
	escapes("\xcd\xb8", true, "\\xcd\\xb8", 8, "unassigned U+0378 escaped");
	escapes("\xf4\x8f\xbf\xbf", true, "\\xf4\\x8f\\xbf\\xbf", 16, "noncharacter U+10FFFF escaped");
	escapes("\xc3\xa9\xff\xc3\xa9", true, "\xc3\xa9\\xff\xc3\xa9", 6, "bad byte between valid");
	escapes("\xd8\x9c", true, "\\xd8\\x9c", 8, "U+061C ARABIC LETTER MARK escaped");
}

/* ---- json_write_string ---------------------------------------------------- */

/* The JSON for s, malloc'd; *exact gets the return value. */
static char *json(const char *s, size_t len, bool *exact)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);

	if (!f)
		return NULL;
	*exact = json_write_string(f, s, len);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void json_is(const char *s, size_t len, const char *want, bool want_exact, const char *what)
{
	bool exact = !want_exact;
	char *got = json(s, len, &exact);

	is_str(got, want, "json_write_string: %s", what);
	ok(exact == want_exact, "json_write_string: %s returns %s", what, want_exact ? "true" : "false");
	free(got);
}

#define JSON_IS(s, want, exact, what) json_is(s, sizeof(s) - 1, want, exact, what)

static void test_json(void)
{
	JSON_IS("", "\"\"", true, "empty");
	JSON_IS("plain name", "\"plain name\"", true, "plain");
	JSON_IS("a/b", "\"a/b\"", true, "slash not escaped");
	JSON_IS("say \"hi\"", "\"say \\\"hi\\\"\"", true, "quotes");
	JSON_IS("back\\slash", "\"back\\\\slash\"", true, "backslash");
	JSON_IS("\n\t\r", "\"\\n\\t\\r\"", true, "newline tab CR");
	JSON_IS("\x1b[0m", "\"\\u001b[0m\"", true, "ESC as \\u001b");
	JSON_IS("\b\f\x01", "\"\\u0008\\u000c\\u0001\"", true, "other C0");
	JSON_IS("a\0b", "\"a\\u0000b\"", true, "NUL byte");
	JSON_IS("\x7f", "\"\\u007f\"", true, "DEL");
	JSON_IS("\xc2\x85", "\"\\u0085\"", true, "C1 NEL");
	JSON_IS("\xe2\x80\xae", "\"\\u202e\"", true, "U+202E bidi override");
	JSON_IS("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"", true, "U+2028 U+2029");
	JSON_IS("caf\xc3\xa9", "\"caf\xc3\xa9\"", true, "UTF-8 passes raw");
	JSON_IS("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"", true, "emoji passes raw");
	JSON_IS("\xff", "\"\\ufffd\"", false, "invalid byte FF");
	JSON_IS("a\xff" "b", "\"a\\ufffdb\"", false, "invalid byte inside");
	JSON_IS("\xc0\xaf", "\"\\ufffd\\ufffd\"", false, "overlong, one U+FFFD per byte");
	JSON_IS("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", false, "surrogate");
	JSON_IS("ok\xe2\x82", "\"ok\\ufffd\\ufffd\"", false, "truncated at the end");
	JSON_IS("\xef\xbf\xbd", "\"\xef\xbf\xbd\"", true, "a real U+FFFD is exact");
}

/* ---- prom_write_label_value ---------------------------------------------- */

static void prom_is(const char *s, size_t len, const char *want, bool want_exact, const char *what)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	bool exact = !want_exact;

	if (f) {
		exact = prom_write_label_value(f, s, len);
		if (fclose(f) != 0) {
			free(out);
			out = NULL;
		}
	}
	is_str(out, want, "prom_write_label_value: %s", what);
	ok(exact == want_exact, "prom_write_label_value: %s returns %s", what,
	   want_exact ? "true" : "false");
	free(out);
}

#define PROM_IS(s, want, exact, what) prom_is(s, sizeof(s) - 1, want, exact, what)

static void test_prom(void)
{
	PROM_IS("", "", true, "empty");
	PROM_IS("plain /name", "plain /name", true, "plain");
	PROM_IS("say \"hi\"", "say \\\"hi\\\"", true, "double quotes");
	PROM_IS("back\\slash", "back\\\\slash", true, "backslash doubled");
	PROM_IS("two\nlines", "two\\nlines", true, "line feed as \\n");
	PROM_IS("\\n", "\\\\n", true, "a backslash then n is not a line feed");
	PROM_IS("tab\tcr\r\x1b[0m", "tab\tcr\r\x1b[0m", true, "other controls as is (the format allows them)");
	PROM_IS("} x=\"1\"", "} x=\\\"1\\\"", true, "a name that looks like the end of the labels");
	PROM_IS("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80", true, "UTF-8 passes raw");
	PROM_IS("a\xff" "b", "a\xef\xbf\xbd" "b", false, "invalid byte as U+FFFD");
	PROM_IS("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", false, "overlong, one U+FFFD per byte");
	PROM_IS("@a\0b", "@a\xef\xbf\xbd" "b", false, "NUL of an abstract name as U+FFFD");
}

/* ---- hex_encode ----------------------------------------------------------- */

static void test_hex(void)
{
	char *h;

	h = hex_encode("", 0);
	is_str(h, "", "hex_encode: empty");
	free(h);
	h = hex_encode("abc", 3);
	is_str(h, "616263", "hex_encode: abc");
	free(h);
	h = hex_encode("\x00\xff\x10\x0f" "A", 5);
	is_str(h, "00ff100f41", "hex_encode: NUL, high bytes, lower-case");
	free(h);
}

int main(void)
{
	bool have_utf8 = setlocale(LC_ALL, "C.UTF-8") != NULL;

	ok(have_utf8, "setlocale C.UTF-8");
	test_utf8_decode();
	test_is_control();
	test_text_escape(have_utf8);
	test_json();
	test_prom();
	test_hex();
	return tap_done();
}
