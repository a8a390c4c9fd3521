/* The D-Bus report: written by the collecting child, read back by ipctop. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_dbus.h"
#include "xalloc.h"

#define MAX_FIELDS 8

void strlist_add(struct strlist *l, const char *s, size_t len)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n] = xmalloc(len + 1);
	memcpy(l->v[l->n], s, len);
	l->v[l->n][len] = '\0';
	l->n++;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void put_field(struct strbuf *b, const char *s)
{
	strbuf_add(b, "\t", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			strbuf_add(b, "\\\\", 2);
		else if (*p == '\t')
			strbuf_add(b, "\\t", 2);
		else if (*p == '\n')
			strbuf_add(b, "\\n", 2);
		else
			strbuf_add(b, p, 1);
	}
}

static void put_record(struct strbuf *b, char type, const char *f1, const char *f2)
{
	strbuf_add(b, &type, 1);
	if (f1)
		put_field(b, f1);
	if (f2)
		put_field(b, f2);
	strbuf_add(b, "\n", 1);
}

void dbus_report_write_error(struct strbuf *b, const char *error)
{
	put_record(b, 'E', error, NULL);
}

void dbus_report_write(struct strbuf *b, const struct dbus_report *r)
{
	if (r->error)
		put_record(b, 'E', r->error, NULL);
	if (r->self)
		put_record(b, 'S', r->self, NULL);
	put_record(b, 'X', r->stats ? "1" : "0", r->stats_error);
	for (size_t i = 0; i < r->activatable.n; i++)
		put_record(b, 'A', r->activatable.v[i], NULL);
	for (size_t i = 0; i < r->nconns; i++) {
		const struct dbus_conn_rec *c = &r->conns[i];
		char pid[16] = "-", uid[16] = "-";

		if (c->has_pid)
			snprintf(pid, sizeof(pid), "%" PRIu32, c->pid);
		if (c->has_uid)
			snprintf(uid, sizeof(uid), "%" PRIu32, c->uid);
		strbuf_add(b, "C", 1);
		put_field(b, c->unique);
		put_field(b, pid);
		put_field(b, uid);
		strbuf_add(b, "\n", 1);
		for (size_t j = 0; j < c->names.n; j++)
			put_record(b, 'O', c->unique, c->names.v[j]);
		for (size_t j = 0; j < c->queued.n; j++)
			put_record(b, 'Q', c->unique, c->queued.v[j]);
		if (c->has_stats) {
			strbuf_add(b, "T", 1);
			put_field(b, c->unique);
			strbuf_printf(b, "\t%" PRIu32 "\t%" PRIu32 "\t%" PRIu32 "\t%" PRIu32 "\t%" PRIu32 "\n",
				      c->match_rules, c->in_messages, c->out_messages, c->in_bytes,
				      c->out_bytes);
		}
		if (c->has_rules)
			put_record(b, 'M', c->unique, NULL);
		for (size_t j = 0; j < c->rules.n; j++)
			put_record(b, 'R', c->unique, c->rules.v[j]);
	}
}

/* Split one line into unescaped fields (malloc'd); -1 when an escape is invalid, the
 * line holds a NUL byte or has too many fields. */
static int split_fields(const char *p, size_t len, char **f, size_t *nf)
{
	size_t n = 0;
	char *cur = NULL;
	size_t cl = 0;

	*nf = 0;
	if (memchr(p, '\0', len))
		return -1;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || p[i] == '\t') {
			if (n == MAX_FIELDS)
				goto bad;
			if (!cur)
				cur = xmalloc(1);
			cur[cl] = '\0';
			f[n++] = cur;
			cur = NULL;
			cl = 0;
			continue;
		}
		if (!cur)
			cur = xmalloc(len - i + 1);
		if (p[i] != '\\') {
			cur[cl++] = p[i];
			continue;
		}
		if (++i == len)
			goto bad;
		switch (p[i]) {
		case '\\':
			cur[cl++] = '\\';
			break;
		case 't':
			cur[cl++] = '\t';
			break;
		case 'n':
			cur[cl++] = '\n';
			break;
		default:
			goto bad;
		}
	}
	*nf = n;
	return 0;
bad:
	free(cur);
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	return -1;
}

/* A decimal uint32_t; -1 otherwise. */
static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

struct dbus_conn_rec *dbus_report_conn(struct dbus_report *r, const char *unique)
{
	for (size_t i = r->nconns; i-- > 0;)
		if (strcmp(r->conns[i].unique, unique) == 0)
			return &r->conns[i];
	return NULL;
}

struct dbus_conn_rec *dbus_report_add_conn(struct dbus_report *r, const char *unique, size_t len)
{
	if (r->nconns == r->alloc) {
		r->alloc = r->alloc ? r->alloc * 2 : 16;
		r->conns = xreallocarray(r->conns, r->alloc, sizeof(*r->conns));
	}
	struct dbus_conn_rec *c = &r->conns[r->nconns++];

	memset(c, 0, sizeof(*c));
	c->unique = xmalloc(len + 1);
	memcpy(c->unique, unique, len);
	c->unique[len] = '\0';
	return c;
}

/* One record; -1 when it does not read. */
static int parse_record(struct dbus_report *r, char **f, size_t nf)
{
	struct dbus_conn_rec *c;
	const char *t = f[0];

	if (strlen(t) != 1)
		return -1;
	switch (t[0]) {
	case 'H':
		return nf == 1 ? 0 : -1;        /* a heartbeat */
	case 'E':
		if (nf != 2 || r->error)
			return -1;
		r->error = xstrdup(f[1]);
		return 0;
	case 'S':
		if (nf != 2 || r->self)
			return -1;
		r->self = xstrdup(f[1]);
		return 0;
	case 'X':
		if ((nf != 2 && nf != 3) || (strcmp(f[1], "0") != 0 && strcmp(f[1], "1") != 0))
			return -1;
		r->stats = f[1][0] == '1';
		free(r->stats_error);
		r->stats_error = nf == 3 ? xstrdup(f[2]) : NULL;
		return 0;
	case 'A':
		if (nf != 2)
			return -1;
		strlist_add(&r->activatable, f[1], strlen(f[1]));
		return 0;
	case 'C': {
		uint32_t pid = 0, uid = 0;

		if (nf != 4)
			return -1;
		bool has_pid = strcmp(f[2], "-") != 0, has_uid = strcmp(f[3], "-") != 0;

		if (!f[1][0] || dbus_report_conn(r, f[1]) ||
		    (has_pid && parse_u32(f[2], &pid) < 0) || (has_uid && parse_u32(f[3], &uid) < 0))
			return -1;
		c = dbus_report_add_conn(r, f[1], strlen(f[1]));
		c->has_pid = has_pid;
		c->pid = pid;
		c->has_uid = has_uid;
		c->uid = uid;
		return 0;
	}
	case 'O':
	case 'Q':
	case 'R':
		if (nf != 3 || !(c = dbus_report_conn(r, f[1])))
			return -1;
		strlist_add(t[0] == 'O' ? &c->names : t[0] == 'Q' ? &c->queued : &c->rules, f[2], strlen(f[2]));
		if (t[0] == 'R')
			c->has_rules = true;
		return 0;
	case 'M':
		if (nf != 2 || !(c = dbus_report_conn(r, f[1])))
			return -1;
		c->has_rules = true;
		return 0;
	case 'T': {
		uint32_t v[5];

		if (nf != 7 || !(c = dbus_report_conn(r, f[1])))
			return -1;
		for (int i = 0; i < 5; i++)
			if (parse_u32(f[2 + i], &v[i]) < 0)
				return -1;
		c->has_stats = true;
		c->match_rules = v[0];
		c->in_messages = v[1];
		c->out_messages = v[2];
		c->in_bytes = v[3];
		c->out_bytes = v[4];
		return 0;
	}
	}
	return -1;
}

int dbus_report_parse(const char *buf, size_t len, struct dbus_report *r)
{
	const char *p = buf, *end = buf + len;

	memset(r, 0, sizeof(*r));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char *f[MAX_FIELDS];
		size_t nf;

		if (!eol) {
			r->bad++;       /* cut short */
			break;
		}
		if (split_fields(p, (size_t)(eol - p), f, &nf) < 0) {
			r->bad++;
		} else {
			if (parse_record(r, f, nf) < 0)
				r->bad++;
			for (size_t i = 0; i < nf; i++)
				free(f[i]);
		}
		p = eol + 1;
	}
	return 0;
}

void dbus_report_free(struct dbus_report *r)
{
	for (size_t i = 0; i < r->nconns; i++) {
		free(r->conns[i].unique);
		strlist_free(&r->conns[i].names);
		strlist_free(&r->conns[i].queued);
		strlist_free(&r->conns[i].rules);
	}
	free(r->conns);
	free(r->error);
	free(r->self);
	free(r->stats_error);
	strlist_free(&r->activatable);
	memset(r, 0, sizeof(*r));
}

char *dbus_address_escape(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *out = xmalloc(len * 3 + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '-' || c == '_' || c == '/' || c == '.' || c == '\\' || c == '*') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

void dbus_unique_numbers(const char *unique, uint64_t *a, uint64_t *b)
{
	char *end;

	*a = *b = 0;
	if (!unique || unique[0] != ':' || unique[1] < '0' || unique[1] > '9')
		return;
	errno = 0;
	uint64_t x = strtoull(unique + 1, &end, 10);

	if (errno || *end != '.' || end[1] < '0' || end[1] > '9')
		return;
	uint64_t y = strtoull(end + 1, &end, 10);

	if (errno || *end)
		return;
	*a = x;
	*b = y;
}
