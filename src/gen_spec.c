/* The generator's pure parts: SPEC (gen_parse_spec) and the names and keys that carry a
 * generator's pid. No I/O: unit-tested (tests/test_gen.c) and fuzzed (tests/fuzz/fuzz_gen.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "nls.h"

/* The names SPEC accepts, in mechanism order (the mechanisms' tables say the same). */
static const char *const mech_names[GEN_MECH_COUNT] = {
	"pipe", "fifo", "unix-stream", "unix-dgram", "unix-seqpacket", "socketpair",
	"posix-mq", "sysv-msg", "posix-shm", "sysv-shm", "eventfd", "tcp",
};

const char *gen_mech_name(enum gen_mech_id m)
{
	return m < GEN_MECH_COUNT ? mech_names[m] : "?";
}

int gen_mech_by_name(const char *name, size_t len)
{
	for (int m = 0; m < GEN_MECH_COUNT; m++)
		if (strlen(mech_names[m]) == len && memcmp(mech_names[m], name, len) == 0)
			return m;
	return -1;
}

/* ---- SPEC ---- */

/* "NAME" or "NAME:N", the text of one item quoted in messages (printable, shortened). */
static void quote_item(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < buflen; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch < 0x7f) {
			buf[o++] = (char)ch;
		} else {
			snprintf(buf + o, buflen - o, "\\x%02x", ch);
			o += 4;
		}
		if (i + 1 < len && o + 5 >= buflen) {
			buf[o++] = '.';
			break;
		}
	}
	buf[o] = '\0';
}

int gen_parse_spec(const char *s, struct gen_spec *out, char *err, size_t errlen)
{
	char q[80];
	size_t item = 0;

	memset(out, 0, sizeof(*out));
	if (!s || !*s) {
		snprintf(err, errlen, _("empty SPEC (expected mechanism names separated by commas)"));
		return -1;
	}
	for (const char *p = s;; item++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		size_t nlen = colon ? (size_t)(colon - p) : len;
		unsigned long n = 1;

		quote_item(p, len, q, sizeof(q));
		if (nlen == 0) {
			snprintf(err, errlen, _("item %zu of SPEC is empty%s%s%s"), item + 1,
				 len ? " ('" : "", q, len ? "')" : "");
			return -1;
		}
		if (colon) {
			const char *d = colon + 1;
			size_t dlen = len - nlen - 1;

			n = 0;
			for (size_t i = 0; i < dlen; i++) {
				if (d[i] < '0' || d[i] > '9' || n > GEN_MAX_PAIRS) {
					n = 0;
					break;
				}
				n = n * 10 + (unsigned long)(d[i] - '0');
			}
			if (dlen == 0 || dlen > 2 || n < 1 || n > GEN_MAX_PAIRS) {
				snprintf(err, errlen, _("bad number of pairs in '%s' (expected NAME:N, N from 1 to %d)"),
					 q, GEN_MAX_PAIRS);
				return -1;
			}
		}
		if (nlen == 3 && memcmp(p, "all", 3) == 0) {
			for (int m = 0; m < GEN_MECH_COUNT; m++) {
				if (out->pairs[m]) {
					snprintf(err, errlen, _("'%s' names '%s' a second time"), q, mech_names[m]);
					return -1;
				}
				out->pairs[m] = (unsigned int)n;
			}
		} else {
			int m = gen_mech_by_name(p, nlen);

			if (m < 0) {
				char nq[80];

				quote_item(p, nlen, nq, sizeof(nq));
				snprintf(err, errlen, _("unknown mechanism '%s' in SPEC (expected pipe, fifo, "
							"unix-stream, unix-dgram, unix-seqpacket, socketpair, "
							"posix-mq, sysv-msg, posix-shm, sysv-shm, eventfd, tcp or all)"),
					 nq);
				return -1;
			}
			if (out->pairs[m]) {
				snprintf(err, errlen, _("'%s' names '%s' a second time"), q, mech_names[m]);
				return -1;
			}
			out->pairs[m] = (unsigned int)n;
		}
		if (!end)
			break;
		p = end + 1;
		if (!*p) {
			snprintf(err, errlen, _("item %zu of SPEC is empty (a trailing comma)"), item + 2);
			return -1;
		}
	}
	return 0;
}

/* ---- names ---- */

int32_t gen_key(pid_t pid, unsigned int slot)
{
	return (int32_t)(GEN_KEY_BASE | ((uint32_t)pid & 0x3FFFFF) << 5 | (slot & 31));
}

pid_t gen_key_owner(int32_t key)
{
	uint32_t k = (uint32_t)key;

	if ((k & GEN_KEY_MASK) != GEN_KEY_BASE)
		return 0;
	return (pid_t)((k >> 5) & 0x3FFFFF);
}

/* "ipctop-gen-PID-" at the start of s: the pid, or 0. */
static pid_t prefix_pid(const char *s, size_t len)
{
	size_t pl = strlen(GEN_POSIX_PREFIX), i;
	long pid = 0;

	if (len <= pl || memcmp(s, GEN_POSIX_PREFIX, pl) != 0)
		return 0;
	for (i = pl; i < len && s[i] >= '0' && s[i] <= '9' && i < pl + 8; i++)
		pid = pid * 10 + (s[i] - '0');
	if (i == pl || (i < len && s[i] != '-' && s[i] != '/') || pid <= 0 || s[pl] == '0')
		return 0;
	if (i == len)
		return 0;
	return (pid_t)pid;
}

pid_t gen_name_owner(const char *name, size_t len)
{
	if (len > 4 && memcmp(name, "sem.", 4) == 0) {
		name += 4;
		len -= 4;
	}
	if (len && name[0] == '/') {
		name++;
		len--;
	}
	return prefix_pid(name, len);
}

pid_t gen_path_owner(const char *path)
{
	/* /tmp/ipctop-gen-PID/... */
	if (strncmp(path, "/tmp/", 5) != 0)
		return 0;
	return prefix_pid(path + 5, strlen(path + 5));
}

/* A whole generator command line as the full-screen program's prompt takes it:
 * "SPEC [--msg-size N] [--rate N] [--pattern stream|pingpong] [--duration S]",
 * words separated by spaces, "--opt=value" or "--opt value". p holds the defaults. */
int gen_parse_args(const char *line, struct gen_params *p, char *err, size_t errlen)
{
	char buf[512], *words[16], *save = NULL;
	size_t n = 0;

	if (strlen(line) >= sizeof(buf)) {
		snprintf(err, errlen, _("too long"));
		return -1;
	}
	strcpy(buf, line);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n == sizeof(words) / sizeof(words[0])) {
			snprintf(err, errlen, _("too many words"));
			return -1;
		}
		words[n++] = w;
	}
	if (n == 0 || words[0][0] == '-') {
		snprintf(err, errlen, _("expected SPEC first, e.g. pipe,posix-mq:2"));
		return -1;
	}
	if (gen_parse_spec(words[0], &p->spec, err, errlen) < 0)
		return -1;
	for (size_t i = 1; i < n; i++) {
		char *opt = words[i], *val = strchr(opt, '=');
		char *end;

		if (val)
			*val++ = '\0';
		else if (i + 1 < n)
			val = words[++i];
		if (!val || !*val) {
			snprintf(err, errlen, _("option '%.40s' needs a value"), opt);
			return -1;
		}
		errno = 0;
		if (strcmp(opt, "--pattern") == 0) {
			if (strcmp(val, "stream") == 0)
				p->pattern = GEN_STREAM;
			else if (strcmp(val, "pingpong") == 0)
				p->pattern = GEN_PINGPONG;
			else
				goto bad;
		} else if (strcmp(opt, "--duration") == 0) {
			double d = strtod(val, &end);

			if (*end || errno || !(d > 0 && d <= GEN_MAX_DURATION))
				goto bad;
			p->duration = d;
		} else if (strcmp(opt, "--msg-size") == 0 || strcmp(opt, "--rate") == 0) {
			bool size = opt[2] == 'm';
			long v;

			if (*val < '0' || *val > '9')
				goto bad;
			v = strtol(val, &end, 10);
			if (*end || errno || v < (size ? GEN_MIN_MSG : 1) || v > (size ? GEN_MAX_MSG : GEN_MAX_RATE))
				goto bad;
			if (size)
				p->msg_size = (size_t)v;
			else
				p->rate = v;
		} else {
			snprintf(err, errlen, _("unknown option '%.40s' (--msg-size, --rate, --pattern, "
						"--duration)"), opt);
			return -1;
		}
		continue;
bad:
		snprintf(err, errlen, _("invalid value for %s: '%.40s'"), opt, val);
		return -1;
	}
	return 0;
}
