#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
#include "strbuf.h"
#include "xalloc.h"

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2; v = c & 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; v = c & 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

bool codepoint_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The length of the run of printable ASCII at s (but c, which needs escaping). */
static size_t ascii_run(const unsigned char *s, size_t len, unsigned char c)
{
	size_t n = 0;

	while (n < len && s[n] >= 0x20 && s[n] < 0x7f && s[n] != '\\' && s[n] != c)
		n++;
	return n;
}

char *text_escape(const char *s, size_t len, bool utf8, size_t *width)
{
	struct strbuf b = { 0 };
	const unsigned char *u = (const unsigned char *)s;
	size_t w = ascii_run(u, len, '\\');

	/* most names and numbers are printable ASCII: one copy, one column a byte */
	if (w == len) {
		char *out = xmalloc(len + 1);

		memcpy(out, s, len);
		out[len] = '\0';
		if (width)
			*width = len;
		return out;
	}
	strbuf_add(&b, s, w);
	for (size_t i = w; i < len;) {
		uint32_t cp;
		size_t n = ascii_run(u + i, len - i, '\\');
		char esc[8];

		if (n) {
			strbuf_add(&b, s + i, n);
			w += n;
			i += n;
			continue;
		}
		n = utf8_decode(u + i, len - i, &cp);
		if (n == 1 && cp == '\\') {
			strbuf_add(&b, "\\\\", 2);
			w += 2;
		} else if (n == 1 && cp == '\n') {
			strbuf_add(&b, "\\n", 2);
			w += 2;
		} else if (n == 1 && cp == '\t') {
			strbuf_add(&b, "\\t", 2);
			w += 2;
		} else if (n >= 1 && !codepoint_is_control(cp) && (n == 1 || utf8)) {
			int cw = n == 1 ? 1 : wcwidth((wchar_t)cp);

			if (cw < 0) {
				/* unprintable in this locale: escape each byte */
				for (size_t k = 0; k < n; k++) {
					snprintf(esc, sizeof(esc), "\\x%02x", u[i + k]);
					strbuf_add(&b, esc, 4);
					w += 4;
				}
			} else {
				strbuf_add(&b, s + i, n);
				w += (size_t)cw;
			}
		} else {
			if (n == 0)
				n = 1;
			for (size_t k = 0; k < n; k++) {
				snprintf(esc, sizeof(esc), "\\x%02x", u[i + k]);
				strbuf_add(&b, esc, 4);
				w += 4;
			}
		}
		i += n;
	}
	if (width)
		*width = w;
	return b.s;
}

bool json_write_string(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool exact = true;

	fputc('"', f);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = ascii_run(u + i, len - i, '"');

		if (n) {        /* written as it is, at once */
			fwrite(s + i, 1, n, f);
			i += n;
			continue;
		}
		n = utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			fputs("\\ufffd", f);
			exact = false;
			i++;
			continue;
		}
		if (cp == '"')
			fputs("\\\"", f);
		else if (cp == '\\')
			fputs("\\\\", f);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (codepoint_is_control(cp) && cp <= 0xffff)
			fprintf(f, "\\u%04x", (unsigned int)cp);
		else
			fwrite(s + i, 1, n, f);
		i += n;
	}
	fputc('"', f);
	return exact;
}

bool prom_write_label_value(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool exact = true;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(u + i, len - i, &cp);

		if (n == 0 || cp == 0) {
			fputs("\xef\xbf\xbd", f);   /* U+FFFD */
			exact = false;
			i++;
			continue;
		}
		if (cp == '\\')
			fputs("\\\\", f);
		else if (cp == '"')
			fputs("\\\"", f);
		else if (cp == '\n')
			fputs("\\n", f);
		else
			fwrite(s + i, 1, n, f);
		i += n;
	}
	return exact;
}

char *hex_encode(const char *s, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *out = xmalloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[(unsigned char)s[i] >> 4];
		out[2 * i + 1] = digits[(unsigned char)s[i] & 0xf];
	}
	out[len * 2] = '\0';
	return out;
}

bool locale_is_utf8(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}
