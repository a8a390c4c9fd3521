/* Fuzz target: src/escape.h, the escaping of object names (any bytes but NUL, and NUL
 * too here). Checked against an independent UTF-8 decoder written from the table of
 * well-formed byte sequences in the Unicode standard (3.9, table 3-7):
 *  - utf8_decode agrees with it at every offset, length and code point;
 *  - text_escape never lets a byte < 0x20 or 0x7f out, nor (in UTF-8 mode) a control,
 *    separator or bidirectional code point; without UTF-8 its output is printable
 *    ASCII as wide as it is long; and unescaping it gives back the input exactly;
 *  - json_write_string writes a quoted JSON string that is valid UTF-8 with no raw
 *    control byte; it returns true exactly when the input is valid UTF-8 (by the table
 *    and by a utf8_decode scan), and decoding the JSON gives back the input, with each
 *    invalid byte as U+FFFD;
 *  - prom_write_label_value writes valid UTF-8 with no raw line feed, NUL or unescaped
 *    double quote, whose only escapes are \\, \" and \n; undoing them gives back the
 *    input with each invalid byte and NUL as U+FFFD, and it returns true exactly then
 *    nothing was replaced;
 *  - hex_encode is lower-case hex that decodes to the input. */
#include "config.h"

#include <locale.h>
#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "fuzz.h"

/* Length of the well-formed UTF-8 sequence at s (and its code point), or 0. */
static size_t ref_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t n;

	if (len == 0)
		return 0;
	if (s[0] <= 0x7f) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	uint32_t v = s[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);

	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3f);
	*cp = v;
	return n;
}

static bool ref_valid(const uint8_t *s, size_t len)
{
	uint32_t cp;

	for (size_t i = 0; i < len;) {
		size_t n = ref_decode(s + i, len - i, &cp);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* What a terminal must never get raw; codepoint_is_control may add to these. */
static bool must_escape(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static size_t utf8_encode(uint32_t cp, uint8_t *out)
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | (cp >> 6));
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | (cp >> 12));
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | (cp >> 18));
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static void check_utf8_decode(const uint8_t *data, size_t size)
{
	uint32_t cp = 0, ref = 0;

	FUZZ_CHECK(utf8_decode(data, 0, &cp) == 0);
	for (size_t i = 0; i < size; i++) {
		size_t n = utf8_decode(data + i, size - i, &cp);
		size_t rn = ref_decode(data + i, size - i, &ref);

		FUZZ_CHECK(n == rn);
		if (n > 0) {
			uint8_t enc[4];

			FUZZ_CHECK(cp == ref);
			FUZZ_CHECK(utf8_encode(cp, enc) == n && memcmp(enc, data + i, n) == 0);
		}
	}
}

static void check_text_escape(const uint8_t *data, size_t size, bool utf8)
{
	size_t width = (size_t)-1;
	char *out = text_escape((const char *)data, size, utf8, &width);

	FUZZ_CHECK(out != NULL);
	const uint8_t *o = (const uint8_t *)out;
	size_t olen = strlen(out);

	for (size_t i = 0; i < olen; i++)
		FUZZ_CHECK(o[i] >= 0x20 && o[i] != 0x7f);
	if (!utf8) {
		for (size_t i = 0; i < olen; i++)
			FUZZ_CHECK(o[i] < 0x80);
		FUZZ_CHECK(width == olen);
	} else {
		uint32_t cp;

		for (size_t i = 0; i < olen;) {
			size_t n = ref_decode(o + i, olen - i, &cp);

			FUZZ_CHECK(n > 0);
			FUZZ_CHECK(!must_escape(cp) && !codepoint_is_control(cp));
			i += n;
		}
		FUZZ_CHECK(width <= olen);
	}
	/* the same without asking for the width */
	char *again = text_escape((const char *)data, size, utf8, NULL);

	FUZZ_CHECK(strcmp(again, out) == 0);
	free(again);

	/* unescape: \\ \n \t \xHH, everything else as is */
	uint8_t *back = malloc(olen + 1);
	size_t blen = 0;

	FUZZ_CHECK(back != NULL);
	for (size_t i = 0; i < olen;) {
		if (o[i] != '\\') {
			back[blen++] = o[i++];
			continue;
		}
		FUZZ_CHECK(i + 1 < olen);
		if (o[i + 1] == '\\') {
			back[blen++] = '\\';
			i += 2;
		} else if (o[i + 1] == 'n') {
			back[blen++] = '\n';
			i += 2;
		} else if (o[i + 1] == 't') {
			back[blen++] = '\t';
			i += 2;
		} else {
			FUZZ_CHECK(o[i + 1] == 'x' && i + 3 < olen);
			int h = fuzz_hex_digit(o[i + 2]), l = fuzz_hex_digit(o[i + 3]);

			FUZZ_CHECK(h >= 0 && l >= 0);
			back[blen++] = (uint8_t)(h << 4 | l);
			i += 4;
		}
	}
	FUZZ_CHECK(blen == size && (size == 0 || memcmp(back, data, size) == 0));
	free(back);
	free(out);
}

static void check_json(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f != NULL);
	bool exact = json_write_string(f, (const char *)data, size);

	FUZZ_CHECK(fclose(f) == 0);

	/* true exactly when the input is valid UTF-8, by the table and by utf8_decode */
	bool scan_valid = true;
	uint32_t cp;

	for (size_t i = 0; i < size;) {
		size_t n = utf8_decode(data + i, size - i, &cp);

		if (n == 0) {
			scan_valid = false;
			break;
		}
		i += n;
	}
	FUZZ_CHECK(exact == ref_valid(data, size));
	FUZZ_CHECK(exact == scan_valid);

	/* a JSON string: quoted, valid UTF-8, no raw control byte */
	const uint8_t *t = (const uint8_t *)text;

	FUZZ_CHECK(len >= 2 && t[0] == '"' && t[len - 1] == '"');
	FUZZ_CHECK(ref_valid(t, len));
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(t[i] >= 0x20);

	/* decode it */
	uint8_t *dec = malloc(len * 4 + 1);
	size_t dlen = 0;

	FUZZ_CHECK(dec != NULL);
	for (size_t i = 1; i < len - 1;) {
		FUZZ_CHECK(t[i] != '"');
		if (t[i] != '\\') {
			dec[dlen++] = t[i++];
			continue;
		}
		FUZZ_CHECK(i + 1 < len - 1);
		uint8_t e = t[i + 1];

		i += 2;
		switch (e) {
		case '"': dec[dlen++] = '"'; break;
		case '\\': dec[dlen++] = '\\'; break;
		case '/': dec[dlen++] = '/'; break;
		case 'b': dec[dlen++] = '\b'; break;
		case 'f': dec[dlen++] = '\f'; break;
		case 'n': dec[dlen++] = '\n'; break;
		case 'r': dec[dlen++] = '\r'; break;
		case 't': dec[dlen++] = '\t'; break;
		case 'u': {
			uint32_t u = 0;

			FUZZ_CHECK(i + 4 <= len - 1);
			for (int k = 0; k < 4; k++) {
				int h = fuzz_hex_digit(t[i + (size_t)k]);

				FUZZ_CHECK(h >= 0);
				u = u << 4 | (uint32_t)h;
			}
			i += 4;
			FUZZ_CHECK(u < 0xd800 || u > 0xdfff);    /* never a surrogate half */
			dlen += utf8_encode(u, dec + dlen);
			break;
		}
		default:
			FUZZ_CHECK(!"unknown JSON escape");
		}
	}

	/* expected: the input, each byte that starts no valid sequence as U+FFFD */
	uint8_t *want = malloc(size * 3 + 1);
	size_t wlen = 0;

	FUZZ_CHECK(want != NULL);
	for (size_t i = 0; i < size;) {
		size_t n = ref_decode(data + i, size - i, &cp);

		if (n == 0) {
			memcpy(want + wlen, "\xef\xbf\xbd", 3);
			wlen += 3;
			i++;
		} else {
			memcpy(want + wlen, data + i, n);
			wlen += n;
			i += n;
		}
	}
	FUZZ_CHECK(dlen == wlen && (wlen == 0 || memcmp(dec, want, wlen) == 0));
	if (exact)
		FUZZ_CHECK(dlen == size);
	free(want);
	free(dec);
	free(text);
}

static void check_prom(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f != NULL);
	bool exact = prom_write_label_value(f, (const char *)data, size);

	FUZZ_CHECK(fclose(f) == 0);
	const uint8_t *t = (const uint8_t *)text;

	FUZZ_CHECK(ref_valid(t, len));
	uint8_t *dec = malloc(len + 1);
	size_t dlen = 0;

	FUZZ_CHECK(dec != NULL);
	for (size_t i = 0; i < len;) {
		FUZZ_CHECK(t[i] != '\n' && t[i] != '"' && t[i] != 0);
		if (t[i] != '\\') {
			dec[dlen++] = t[i++];
			continue;
		}
		FUZZ_CHECK(i + 1 < len);
		FUZZ_CHECK(t[i + 1] == '\\' || t[i + 1] == '"' || t[i + 1] == 'n');
		dec[dlen++] = t[i + 1] == 'n' ? '\n' : t[i + 1];
		i += 2;
	}

	uint8_t *want = malloc(size * 3 + 1);
	size_t wlen = 0;
	bool replaced = false;
	uint32_t cp;

	FUZZ_CHECK(want != NULL);
	for (size_t i = 0; i < size;) {
		size_t n = ref_decode(data + i, size - i, &cp);

		if (n == 0 || cp == 0) {
			memcpy(want + wlen, "\xef\xbf\xbd", 3);
			wlen += 3;
			replaced = true;
			i++;
		} else {
			memcpy(want + wlen, data + i, n);
			wlen += n;
			i += n;
		}
	}
	FUZZ_CHECK(dlen == wlen && (wlen == 0 || memcmp(dec, want, wlen) == 0));
	FUZZ_CHECK(exact == !replaced);
	free(want);
	free(dec);
	free(text);
}

static void check_hex(const uint8_t *data, size_t size)
{
	char *hex = hex_encode((const char *)data, size);

	FUZZ_CHECK(hex != NULL && strlen(hex) == size * 2);
	for (size_t i = 0; i < size; i++) {
		int h = fuzz_hex_digit((uint8_t)hex[2 * i]), l = fuzz_hex_digit((uint8_t)hex[2 * i + 1]);

		FUZZ_CHECK(h >= 0 && l >= 0);
		FUZZ_CHECK(!(hex[2 * i] >= 'A' && hex[2 * i] <= 'F'));
		FUZZ_CHECK(!(hex[2 * i + 1] >= 'A' && hex[2 * i + 1] <= 'F'));
		FUZZ_CHECK((uint8_t)(h << 4 | l) == data[i]);
	}
	free(hex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool locale_set;

	if (!locale_set) {
		/* wcwidth() needs a UTF-8 locale to know any non-ASCII character */
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "en_US.UTF-8");
		locale_set = true;
	}
	check_utf8_decode(data, size);
	check_text_escape(data, size, false);
	check_text_escape(data, size, true);
	check_json(data, size);
	check_prom(data, size);
	check_hex(data, size);
	return 0;
}
