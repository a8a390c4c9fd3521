/* Making object names safe: any byte but NUL may be in a name. */
#ifndef IPCTOP_ESCAPE_H
#define IPCTOP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decode one UTF-8 sequence; returns its length (1-4) or 0 if the bytes at s are not
 * valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* True for code points that must never reach a terminal raw: C0, DEL, C1, line and
 * paragraph separators, and bidirectional controls that reorder the rest of a line. */
bool codepoint_is_control(uint32_t cp);

/* Escape for a terminal: printable ASCII and (when utf8) printable UTF-8 pass through,
 * backslash becomes "\\", everything else "\n", "\t" or "\xHH" per byte.
 * Returns a malloc'd string; *width (if non-NULL) gets its display width in cells. */
char *text_escape(const char *s, size_t len, bool utf8, size_t *width);
/* Whether the locale's character set (LC_CTYPE) is UTF-8. */
bool locale_is_utf8(void);

/* Write s as a JSON string (with quotes). Invalid UTF-8 bytes become U+FFFD.
 * Returns true if the bytes were valid UTF-8 (so the string is exact). */
bool json_write_string(FILE *f, const char *s, size_t len);

/* Write s as a Prometheus text-format label value (without the quotes): backslash,
 * double quote and line feed escaped as the format says (\\, \", \n), everything else as
 * is; invalid UTF-8 bytes and NUL (an abstract socket name may hold one) become U+FFFD.
 * Returns true if the value is exact. */
bool prom_write_label_value(FILE *f, const char *s, size_t len);

/* Lower-case hex of the bytes, malloc'd. */
char *hex_encode(const char *s, size_t len);

#endif
