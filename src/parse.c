#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xalloc.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int parse_u64(const char *s, size_t len, int base, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -1;
		if (d >= (unsigned int)base)
			return -1;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return 0;
}

int parse_i64(const char *s, size_t len, int64_t *out)
{
	uint64_t u;
	bool neg = false;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (parse_u64(s, len, 10, &u) < 0)
		return -1;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)u;
	}
	return 0;
}

/* Next whitespace-separated token in [*p, end), or false at the end. */
static bool next_token(const char **p, const char *end, const char **tok, size_t *toklen)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	if (s == end)
		return false;
	*tok = s;
	while (s < end && !is_space(*s))
		s++;
	*toklen = (size_t)(s - *tok);
	*p = s;
	return true;
}

static const struct {
	const char *name;
	enum sysv_field field;
} sysv_header_names[] = {
	{ "key", SF_KEY }, { "msqid", SF_ID }, { "shmid", SF_ID }, { "semid", SF_ID },
	{ "perms", SF_PERMS }, { "size", SF_SIZE }, { "cpid", SF_CPID }, { "lpid", SF_LPID },
	{ "nattch", SF_NATTCH }, { "cbytes", SF_CBYTES }, { "qnum", SF_QNUM },
	{ "lspid", SF_LSPID }, { "lrpid", SF_LRPID }, { "nsems", SF_NSEMS },
	{ "uid", SF_UID }, { "gid", SF_GID }, { "cuid", SF_CUID }, { "cgid", SF_CGID },
	{ "atime", SF_ATIME }, { "dtime", SF_DTIME }, { "ctime", SF_CTIME },
	{ "stime", SF_STIME }, { "rtime", SF_RTIME }, { "otime", SF_OTIME },
	{ "rss", SF_RSS }, { "swap", SF_SWAP },
};

#define SYSV_MAX_COLUMNS 32

static int sysv_field_of(const char *tok, size_t len)
{
	for (size_t i = 0; i < sizeof(sysv_header_names) / sizeof(sysv_header_names[0]); i++)
		if (strlen(sysv_header_names[i].name) == len &&
		    memcmp(sysv_header_names[i].name, tok, len) == 0)
			return (int)sysv_header_names[i].field;
	return -1;
}

static int sysv_parse_line(const char *p, const char *end, const int *colfield, size_t ncols,
			   struct sysv_record *rec)
{
	const char *tok;
	size_t len, col = 0;

	memset(rec, 0, sizeof(*rec));
	while (next_token(&p, end, &tok, &len)) {
		if (col >= ncols)
			return -1;           /* more values than header columns */
		int f = colfield[col++];

		if (f < 0)
			continue;
		if (f == SF_KEY) {
			if (parse_i64(tok, len, &rec->key) < 0 ||
			    rec->key < INT32_MIN || rec->key > INT32_MAX)
				return -1;
		} else if (parse_u64(tok, len, f == SF_PERMS ? 8 : 10, &rec->v[f]) < 0) {
			return -1;
		}
		rec->has |= 1u << f;
	}
	if (col != ncols)
		return -1;                   /* truncated line */
	return 0;
}

int sysv_parse(const char *buf, size_t len, struct sysv_table *out)
{
	const char *p = buf, *end = buf + len;
	int colfield[SYSV_MAX_COLUMNS];
	size_t ncols = 0, alloc = 0;
	uint32_t seen = 0;

	memset(out, 0, sizeof(*out));

	/* header */
	const char *eol = memchr(p, '\n', len);
	const char *hend = eol ? eol : end;
	const char *tok;
	size_t toklen;

	while (next_token(&p, hend, &tok, &toklen)) {
		if (ncols == SYSV_MAX_COLUMNS)
			return -1;
		int f = sysv_field_of(tok, toklen);

		if (f >= 0) {
			if (seen & (1u << f))
				return -1;   /* a column named twice */
			seen |= 1u << f;
		}
		colfield[ncols++] = f;
	}
	if (!(seen & (1u << SF_KEY)) || !(seen & (1u << SF_ID)))
		return -1;
	p = hend;

	while (p < end) {
		if (*p == '\n') {
			p++;
			continue;
		}
		eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		struct sysv_record rec;

		if (sysv_parse_line(p, lend, colfield, ncols, &rec) == 0) {
			if (out->nrec == alloc) {
				alloc = alloc ? alloc * 2 : 16;
				out->rec = xreallocarray(out->rec, alloc, sizeof(*out->rec));
			}
			out->rec[out->nrec++] = rec;
		} else {
			/* a blank line is not an error */
			const char *q = p;

			while (q < lend && is_space(*q))
				q++;
			if (q < lend)
				out->bad_lines++;
		}
		p = lend;
	}
	return 0;
}

void sysv_table_free(struct sysv_table *t)
{
	free(t->rec);
	t->rec = NULL;
	t->nrec = 0;
}

int mq_status_parse(const char *buf, size_t len, struct mq_status *out)
{
	const char *p = buf, *end = buf + len, *tok;
	size_t toklen;

	memset(out, 0, sizeof(*out));
	while (next_token(&p, end, &tok, &toklen)) {
		const char *colon = memchr(tok, ':', toklen);

		if (!colon)
			return -1;
		size_t klen = (size_t)(colon - tok);
		const char *val = colon + 1;
		size_t vlen = toklen - klen - 1;
		uint64_t u;
		int64_t i;

		if (klen == 5 && memcmp(tok, "QSIZE", 5) == 0) {
			if (parse_u64(val, vlen, 10, &out->qsize) < 0)
				return -1;
			out->has |= 1;
		} else if (klen == 6 && memcmp(tok, "NOTIFY", 6) == 0) {
			if (parse_u64(val, vlen, 10, &u) < 0 || u > INT_MAX)
				return -1;
			out->notify = (int)u;
			out->has |= 2;
		} else if (klen == 5 && memcmp(tok, "SIGNO", 5) == 0) {
			if (parse_u64(val, vlen, 10, &u) < 0 || u > INT_MAX)
				return -1;
			out->signo = (int)u;
			out->has |= 4;
		} else if (klen == 10 && memcmp(tok, "NOTIFY_PID", 10) == 0) {
			if (parse_i64(val, vlen, &i) < 0 || i < 0 || i > INT_MAX)
				return -1;
			out->notify_pid = i;
			out->has |= 8;
		}
		/* unknown keys are ignored: newer kernels may add some */
	}
	return (out->has & 1) ? 0 : -1;
}

int u64_fields_parse(const char *buf, size_t len, uint64_t *out, size_t count)
{
	const char *p = buf, *end = buf + len, *tok;
	size_t toklen, n = 0;

	while (next_token(&p, end, &tok, &toklen)) {
		if (n == count || parse_u64(tok, toklen, 10, &out[n]) < 0)
			return -1;
		n++;
	}
	return n == count ? 0 : -1;
}

int sem_limits_parse(const char *buf, size_t len, uint64_t out[4])
{
	return u64_fields_parse(buf, len, out, 4);
}

int sysctl_u64_parse(const char *buf, size_t len, uint64_t *out)
{
	const char *p = buf, *end = buf + len, *tok;
	size_t toklen;

	if (!next_token(&p, end, &tok, &toklen) || parse_u64(tok, toklen, 10, out) < 0)
		return -1;
	if (next_token(&p, end, &tok, &toklen))
		return -1;
	return 0;
}

/*
 * glibc (>= 2.21) on 64-bit: struct new_sem { uint64_t data; int private; int pad; },
 * value in the low 32 bits of data, waiters in the high 32 bits.
 * On 32-bit: { unsigned int value; int private; int pad; unsigned int nwaiters; },
 * value shifted left by one (bit 0 flags waiters).
 */
int posix_sem_decode(const unsigned char *buf, size_t len, int *value, int *waiters)
{
#if __SIZEOF_POINTER__ == 8
	uint64_t data;

	if (len != 32)
		return -1;
	memcpy(&data, buf, sizeof(data));
	uint32_t v = (uint32_t)data, w = (uint32_t)(data >> 32);

	if (v > (uint32_t)INT_MAX || w > (uint32_t)INT_MAX)
		return -1;
	*value = (int)v;
	*waiters = (int)w;
	return 0;
#else
	uint32_t v, w;

	if (len != 16)
		return -1;
	memcpy(&v, buf, 4);
	memcpy(&w, buf + 12, 4);
	v >>= 1;
	if (w > (uint32_t)INT_MAX)
		return -1;
	*value = (int)v;
	*waiters = (int)w;
	return 0;
#endif
}
