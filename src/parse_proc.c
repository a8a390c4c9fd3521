#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parse_proc.h"

/* ---- small helpers on byte ranges ------------------------------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool span_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static bool has_prefix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && memcmp(s, lit, n) == 0;
}

/* Strip spaces and tabs on both sides. */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

/* Next run of non-blank bytes in [*p, end), or false at the end. */
static bool next_word(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && is_blank(*s))
		s++;
	if (s == end)
		return false;
	*tok = s;
	while (s < end && !is_blank(*s))
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return true;
}

/* Next field of a line whose fields are separated by spaces only (maps, locks). */
static bool next_field(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return false;
	*tok = s;
	while (s < end && *s != ' ')
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return true;
}

static int parse_uint(const char *s, size_t len, int base, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(s, len, base, &v) < 0 || v > UINT_MAX)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_int(const char *s, size_t len, int *out)
{
	int64_t v;

	if (parse_i64(s, len, &v) < 0 || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* A non-negative int: fds, watch descriptors (hexadecimal for those). */
static int parse_nonneg(const char *s, size_t len, int base, int *out)
{
	uint64_t v;

	if (parse_u64(s, len, base, &v) < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* A signed 64-bit number printed unsigned (%llu of a time64_t): no sign, <= INT64_MAX. */
static int parse_u63(const char *s, size_t len, int64_t *out)
{
	uint64_t v;

	if (parse_u64(s, len, 10, &v) < 0 || v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/*
 * render_sigset_t(): _NSIG / 4 hex digits, 16 for 64 signals, 32 on MIPS (128).
 * Only the low 64 bits (signals 1 to 64) fit the caller's mask.
 */
static int parse_sigmask(const char *s, size_t len, uint64_t *out)
{
	uint64_t ignored;

	if (len == 0 || len > 32)
		return -1;
	if (len > 16) {
		if (parse_u64(s, len - 16, 16, &ignored) < 0)
			return -1;
		s += len - 16;
		len = 16;
	}
	return parse_u64(s, len, 16, out);
}

/* fdinfo "pos:\t%lli": a negative f_pos (FMODE_UNSIGNED_OFFSET files) keeps its bits. */
static int parse_pos(const char *s, size_t len, uint64_t *out)
{
	int64_t v;

	if (len > 0 && s[0] == '-') {
		if (parse_i64(s, len, &v) < 0)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	return parse_u64(s, len, 10, out);
}

/* timerfd "(%llu, %llu)". */
static int parse_timespec(const char *s, size_t len, int64_t *sec, int64_t *nsec)
{
	const char *comma;
	size_t alen, blen;
	const char *b;

	if (len < 2 || s[0] != '(' || s[len - 1] != ')')
		return -1;
	s++;
	len -= 2;
	comma = memchr(s, ',', len);
	if (!comma)
		return -1;
	alen = (size_t)(comma - s);
	b = comma + 1;
	blen = len - alen - 1;
	trim(&s, &alen);
	trim(&b, &blen);
	if (parse_u63(s, alen, sec) < 0 || parse_u63(b, blen, nsec) < 0)
		return -1;
	return 0;
}

/* ---- /proc/PID/fdinfo/N ----------------------------------------------------- */

/*
 * Next "key:value" of an inotify or epoll line. The value is glued to the colon
 * ("ino:3c501") or, when the word ends with the colon, is the next word
 * ("tfd:        5"). A word with no colon is a key with an empty value.
 */
static bool next_pair(const char **p, const char *end, const char **key, size_t *klen,
		      const char **val, size_t *vlen)
{
	const char *w;
	size_t wlen;

	if (!next_word(p, end, &w, &wlen))
		return false;
	const char *colon = memchr(w, ':', wlen);

	*key = w;
	if (!colon) {
		*klen = wlen;
		*val = w + wlen;
		*vlen = 0;
		return true;
	}
	*klen = (size_t)(colon - w);
	*val = colon + 1;
	*vlen = wlen - *klen - 1;
	if (*vlen == 0 && !next_word(p, end, val, vlen))
		*vlen = 0;
	return true;
}

/* Room for one more element; NULL when out of memory (the old array is kept). */
static void *grow(void *arr, size_t n, size_t *alloc, size_t size)
{
	if (n < *alloc)
		return arr;
	size_t nalloc = *alloc ? *alloc * 2 : 8;
	void *q = reallocarray(arr, nalloc, size);

	if (q)
		*alloc = nalloc;
	return q;
}

/* "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x [fhandle...]". A line
 * missing one of wd, ino, sdev, mask or with a malformed one is skipped. */
static int fdinfo_inotify(const char *p, const char *end, struct fdinfo *fi, size_t *alloc)
{
	struct inotify_watch w = { 0 };
	const char *key, *val, *hex = NULL;
	size_t klen, vlen, hexlen = 0;
	unsigned int seen = 0;
	uint64_t mask, hbytes = UINT64_MAX, htype = UINT64_MAX;

	while (next_pair(&p, end, &key, &klen, &val, &vlen)) {
		if (span_is(key, klen, "wd")) {
			if (parse_nonneg(val, vlen, 16, &w.wd) < 0)
				return 0;
			seen |= 1;
		} else if (span_is(key, klen, "ino")) {
			if (parse_u64(val, vlen, 16, &w.ino) < 0)
				return 0;
			seen |= 2;
		} else if (span_is(key, klen, "sdev")) {
			if (parse_u64(val, vlen, 16, &w.sdev) < 0)
				return 0;
			seen |= 4;
		} else if (span_is(key, klen, "mask")) {
			if (parse_u64(val, vlen, 16, &mask) < 0 || mask > UINT32_MAX)
				return 0;
			w.mask = (uint32_t)mask;
			seen |= 8;
		} else if (span_is(key, klen, "fhandle-bytes")) {
			/* a handle that cannot be read only leaves the path unknown */
			if (parse_u64(val, vlen, 16, &hbytes) < 0 || hbytes > WATCH_HANDLE_MAX)
				hbytes = UINT64_MAX;
		} else if (span_is(key, klen, "fhandle-type")) {
			if (parse_u64(val, vlen, 16, &htype) < 0 || htype > INT32_MAX)
				htype = UINT64_MAX;
		} else if (span_is(key, klen, "f_handle")) {
			hex = val;
			hexlen = vlen;
		}
	}
	if (seen != 15)
		return 0;
	if (hbytes != UINT64_MAX && htype != UINT64_MAX && hex && hexlen == 2 * hbytes && hbytes > 0) {
		size_t i;

		for (i = 0; i < hbytes; i++) {
			uint64_t byte;

			if (parse_u64(hex + 2 * i, 2, 16, &byte) < 0)
				break;
			w.handle[i] = (unsigned char)byte;
		}
		if (i == hbytes) {
			w.handle_bytes = (unsigned int)hbytes;
			w.handle_type = (int)htype;
		}
	}

	struct inotify_watch *arr = grow(fi->watches, fi->nwatches, alloc, sizeof(*arr));

	if (!arr)
		return -1;
	fi->watches = arr;
	fi->watches[fi->nwatches++] = w;
	return 0;
}

/* "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x": tfd and events
 * are needed; ino and sdev stay 0 on kernels that do not print them. */
static int fdinfo_epoll(const char *p, const char *end, struct fdinfo *fi, size_t *alloc)
{
	struct epoll_target t = { 0 };
	const char *key, *val;
	size_t klen, vlen;
	unsigned int seen = 0;
	uint64_t events;

	while (next_pair(&p, end, &key, &klen, &val, &vlen)) {
		if (span_is(key, klen, "tfd")) {
			if (parse_nonneg(val, vlen, 10, &t.fd) < 0)
				return 0;
			seen |= 1;
		} else if (span_is(key, klen, "events")) {
			if (parse_u64(val, vlen, 16, &events) < 0 || events > UINT32_MAX)
				return 0;
			t.events = (uint32_t)events;
			seen |= 2;
		} else if (span_is(key, klen, "ino")) {
			if (parse_u64(val, vlen, 16, &t.ino) < 0)
				return 0;
		} else if (span_is(key, klen, "sdev")) {
			if (parse_u64(val, vlen, 16, &t.sdev) < 0)
				return 0;
		}
	}
	if (seen != 3)
		return 0;

	struct epoll_target *arr = grow(fi->targets, fi->ntargets, alloc, sizeof(*arr));

	if (!arr)
		return -1;
	fi->targets = arr;
	fi->targets[fi->ntargets++] = t;
	return 0;
}

/* One "key:\tvalue" line of the common part or of a file type's show_fdinfo(). */
static void fdinfo_field(const char *key, size_t klen, const char *v, size_t vlen,
			 struct fdinfo *fi)
{
	/* "ticks:" and the other timer lines are too generic to trust without "clockid:" */
	bool timer = fi->has & FDI_TIMER;
	uint64_t u;
	int64_t sec, nsec;

	if (span_is(key, klen, "pos")) {
		if (parse_pos(v, vlen, &fi->pos) == 0)
			fi->has |= FDI_POS;
	} else if (span_is(key, klen, "flags")) {
		if (parse_uint(v, vlen, 8, &fi->flags) == 0)
			fi->has |= FDI_FLAGS;
	} else if (span_is(key, klen, "mnt_id")) {
		if (parse_int(v, vlen, &fi->mnt_id) == 0)
			fi->has |= FDI_MNT_ID;
	} else if (span_is(key, klen, "ino")) {
		if (parse_u64(v, vlen, 10, &fi->ino) == 0)
			fi->has |= FDI_INO;
	} else if (span_is(key, klen, "eventfd-count")) {
		if (parse_u64(v, vlen, 16, &fi->eventfd_count) == 0)
			fi->has |= FDI_EVENTFD;
	} else if (span_is(key, klen, "eventfd-id")) {
		if (parse_u64(v, vlen, 10, &fi->eventfd_id) == 0)
			fi->has |= FDI_EVENTFD_ID;
	} else if (span_is(key, klen, "eventfd-semaphore")) {
		if ((fi->has & FDI_EVENTFD) && parse_u64(v, vlen, 10, &u) == 0 && u <= 1)
			fi->eventfd_semaphore = u == 1;
	} else if (span_is(key, klen, "sigmask")) {
		if (parse_sigmask(v, vlen, &fi->sigmask) == 0)
			fi->has |= FDI_SIGMASK;
	} else if (span_is(key, klen, "clockid")) {
		if (parse_int(v, vlen, &fi->clockid) == 0)
			fi->has |= FDI_TIMER;
	} else if (span_is(key, klen, "ticks")) {
		if (timer)
			parse_u64(v, vlen, 10, &fi->ticks);
	} else if (span_is(key, klen, "settime flags")) {
		if (timer)
			parse_uint(v, vlen, 8, &fi->settime_flags);
	} else if (span_is(key, klen, "it_value")) {
		if (timer && parse_timespec(v, vlen, &sec, &nsec) == 0) {
			fi->value_sec = sec;
			fi->value_nsec = nsec;
		}
	} else if (span_is(key, klen, "it_interval")) {
		if (timer && parse_timespec(v, vlen, &sec, &nsec) == 0) {
			fi->interval_sec = sec;
			fi->interval_nsec = nsec;
		}
	} else if (span_is(key, klen, "Pid")) {
		if (parse_int(v, vlen, &fi->pidfd_pid) == 0)
			fi->has |= FDI_PIDFD;
	} else if (span_is(key, klen, "tty-index")) {
		if (parse_int(v, vlen, &fi->tty_index) == 0)
			fi->has |= FDI_TTY;
	}
	/* anything else (lock:, NSpid:, scm_fds:, fanotify, io_uring, drm-...) is skipped */
}

int fdinfo_parse(const char *buf, size_t len, struct fdinfo *out)
{
	const char *p = buf, *end = buf + len;
	size_t walloc = 0, talloc = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		size_t llen = (size_t)(lend - p);
		int rc = 0;

		if (has_prefix(p, llen, "inotify ")) {
			rc = fdinfo_inotify(p + 8, lend, out, &walloc);
		} else {
			const char *colon = memchr(p, ':', llen);

			if (colon && span_is(p, (size_t)(colon - p), "tfd")) {
				rc = fdinfo_epoll(p, lend, out, &talloc);
			} else if (colon) {
				const char *v = colon + 1;
				size_t vlen = (size_t)(lend - v);

				trim(&v, &vlen);
				fdinfo_field(p, (size_t)(colon - p), v, vlen, out);
			}
		}
		if (rc < 0) {
			fdinfo_free(out);
			return -1;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

void fdinfo_free(struct fdinfo *fi)
{
	free(fi->watches);
	free(fi->targets);
	memset(fi, 0, sizeof(*fi));
}

/* ---- /proc/PID/maps ------------------------------------------------------------ */

static const char deleted_suffix[] = " (deleted)";

/* A line handed in with its newline: tolerate one at the very end, no other. */
static int line_bounds(const char *line, size_t *len)
{
	if (*len > 0 && line[*len - 1] == '\n')
		(*len)--;
	if (memchr(line, '\n', *len) || memchr(line, '\0', *len))
		return -1;
	return 0;
}

int maps_parse_line(const char *line, size_t len, struct map_entry *out)
{
	const char *p = line, *end, *tok;
	size_t tlen;

	memset(out, 0, sizeof(*out));
	if (line_bounds(line, &len) < 0)
		return -1;
	end = line + len;

	/* 7f00a000-7f00b000 */
	if (!next_field(&p, end, &tok, &tlen))
		return -1;
	const char *dash = memchr(tok, '-', tlen);

	if (!dash || parse_u64(tok, (size_t)(dash - tok), 16, &out->start) < 0 ||
	    parse_u64(dash + 1, tlen - (size_t)(dash - tok) - 1, 16, &out->end) < 0)
		return -1;

	/* rw-s */
	if (!next_field(&p, end, &tok, &tlen) || tlen != 4 ||
	    (tok[0] != 'r' && tok[0] != '-') || (tok[1] != 'w' && tok[1] != '-') ||
	    (tok[2] != 'x' && tok[2] != '-') || (tok[3] != 's' && tok[3] != 'p'))
		return -1;
	out->read = tok[0] == 'r';
	out->write = tok[1] == 'w';
	out->exec = tok[2] == 'x';
	out->shared = tok[3] == 's';

	if (!next_field(&p, end, &tok, &tlen) || parse_u64(tok, tlen, 16, &out->offset) < 0)
		return -1;

	/* 00:01, hexadecimal; a minor above 0xff takes more digits */
	if (!next_field(&p, end, &tok, &tlen))
		return -1;
	const char *colon = memchr(tok, ':', tlen);

	if (!colon || parse_uint(tok, (size_t)(colon - tok), 16, &out->major) < 0 ||
	    parse_uint(colon + 1, tlen - (size_t)(colon - tok) - 1, 16, &out->minor) < 0)
		return -1;

	if (!next_field(&p, end, &tok, &tlen) || parse_u64(tok, tlen, 10, &out->inode) < 0)
		return -1;

	/* the kernel pads with spaces before the name; an anonymous line ends "0 " */
	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return 0;
	out->path = p;
	out->path_len = (size_t)(end - p);
	if (out->path_len > sizeof(deleted_suffix) - 1 &&
	    memcmp(end - (sizeof(deleted_suffix) - 1), deleted_suffix,
		   sizeof(deleted_suffix) - 1) == 0) {
		out->path_len -= sizeof(deleted_suffix) - 1;
		out->deleted = true;
	}
	return 0;
}

static const char memfd_prefix[] = "/memfd:";

enum map_class maps_classify(const struct map_entry *m, const char **name, size_t *name_len)
{
	const char *p = m->path;
	size_t n = m->path_len;

	*name = "";
	*name_len = 0;
	if (!p)
		return MAPC_OTHER;
	/* a SysV segment's inode is its shmid, and 0 is a valid one */
	if (m->major == 0 && m->deleted && n == 13 && memcmp(p, "/SYSV", 5) == 0)
		return MAPC_SYSV;
	if (m->inode == 0)
		return MAPC_OTHER;
	if (m->major == 0 && m->deleted) {
		if (has_prefix(p, n, memfd_prefix)) {
			*name = p + sizeof(memfd_prefix) - 1;
			*name_len = n - (sizeof(memfd_prefix) - 1);
			return MAPC_MEMFD;
		}
		if (span_is(p, n, "/dev/zero"))
			return m->shared ? MAPC_SHARED_ANON : MAPC_OTHER;
		/* another kernel-internal file (GPU buffers, ...), not a file anyone named */
		if (p[0] == '/' && !memchr(p + 1, '/', n - 1))
			return MAPC_OTHER;
	}
	if (!m->shared)
		return MAPC_OTHER;
	/* prctl(PR_SET_VMA_ANON_NAME) on a shared anonymous mapping (Linux >= 6.2) */
	if (m->major == 0 && !m->deleted && has_prefix(p, n, "[anon_shmem:") && p[n - 1] == ']') {
		*name = p + 12;
		*name_len = n - 13;
		return MAPC_SHARED_ANON;
	}
	if (p[0] != '/')
		return MAPC_OTHER;
	*name = p;
	*name_len = n;
	return MAPC_SHARED_FILE;
}

int memfd_link_name(const char *link, size_t len, const char **name, size_t *name_len)
{
	size_t pre = sizeof(memfd_prefix) - 1, suf = sizeof(deleted_suffix) - 1;

	if (len < pre + suf || !has_prefix(link, len, memfd_prefix) ||
	    memcmp(link + len - suf, deleted_suffix, suf) != 0)
		return -1;
	*name = link + pre;
	*name_len = len - pre - suf;
	return 0;
}

int pty_slave_index(unsigned int major, unsigned int minor)
{
	if (major < 136 || major > 143 || minor > 255)
		return -1;
	return (int)(minor + 256 * (major - 136));
}

/* ---- /proc/PID/status ----------------------------------------------------------- */

static int parse_uids(const char *p, size_t len, unsigned int uid[4])
{
	const char *end = p + len, *tok;
	size_t tlen;
	unsigned int v[4];
	int n = 0;

	while (next_word(&p, end, &tok, &tlen)) {
		if (n == 4 || parse_uint(tok, tlen, 10, &v[n]) < 0)
			return -1;
		n++;
	}
	if (n != 4)
		return -1;
	memcpy(uid, v, sizeof(v));
	return 0;
}

static void status_field(const char *key, size_t klen, const char *v, size_t vlen,
			 struct proc_status *st)
{
	const struct {
		const char *name;
		unsigned int bit;
		uint64_t *mask;
	} masks[] = {
		{ "SigPnd", ST_SIGPND, &st->sigpnd },
		{ "ShdPnd", ST_SHDPND, &st->shdpnd },
		{ "SigBlk", ST_SIGBLK, &st->sigblk },
		{ "SigIgn", ST_SIGIGN, &st->sigign },
		{ "SigCgt", ST_SIGCGT, &st->sigcgt },
	};

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		if (span_is(key, klen, masks[i].name)) {
			if (parse_sigmask(v, vlen, masks[i].mask) == 0)
				st->has |= masks[i].bit;
			return;
		}
	}
	if (span_is(key, klen, "SigQ")) {
		const char *slash = memchr(v, '/', vlen);
		uint64_t q, lim;

		if (slash && parse_u64(v, (size_t)(slash - v), 10, &q) == 0 &&
		    parse_u64(slash + 1, vlen - (size_t)(slash - v) - 1, 10, &lim) == 0) {
			st->sigq_queued = q;
			st->sigq_limit = lim;
			st->has |= ST_SIGQ;
		}
	} else if (span_is(key, klen, "Uid")) {
		if (parse_uids(v, vlen, st->uid) == 0)
			st->has |= ST_UID;
	}
}

int status_parse(const char *buf, size_t len, struct proc_status *out)
{
	const char *p = buf, *end = buf + len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		const char *colon = memchr(p, ':', (size_t)(lend - p));

		if (colon) {
			const char *v = colon + 1;
			size_t vlen = (size_t)(lend - v);

			trim(&v, &vlen);
			status_field(p, (size_t)(colon - p), v, vlen, out);
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

/* ---- /proc/locks ---------------------------------------------------------------- */

/* type, mode and access words: upper-case letters (and '*' for "*NOINODE*"), so
 * nothing odd reaches the screen. */
static bool is_lock_word(const char *s, size_t len, bool star)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (star && s[i] == '*')))
			return false;
	return true;
}

/* "08:01:5678" (major and minor hexadecimal, inode decimal), or "<none>:0". */
static int parse_lock_dev(const char *s, size_t len, struct lock_entry *out)
{
	if (span_is(s, len, "<none>:0")) {
		out->major = out->minor = 0;
		out->inode = 0;
		return 0;
	}
	const char *c1 = memchr(s, ':', len);

	if (!c1)
		return -1;
	const char *rest = c1 + 1;
	size_t rlen = len - (size_t)(rest - s);
	const char *c2 = memchr(rest, ':', rlen);

	if (!c2 || parse_uint(s, (size_t)(c1 - s), 16, &out->major) < 0 ||
	    parse_uint(rest, (size_t)(c2 - rest), 16, &out->minor) < 0 ||
	    parse_u64(c2 + 1, rlen - (size_t)(c2 - rest) - 1, 10, &out->inode) < 0)
		return -1;
	return 0;
}

/* A loff_t printed with %lld: never negative, at most INT64_MAX. */
static int parse_offset(const char *s, size_t len, uint64_t *out)
{
	if (parse_u64(s, len, 10, out) < 0 || *out > INT64_MAX)
		return -1;
	return 0;
}

int locks_parse_line(const char *line, size_t len, struct lock_entry *out)
{
	const char *p = line, *end, *tok;
	size_t tlen;
	int64_t pid;

	memset(out, 0, sizeof(*out));
	if (line_bounds(line, &len) < 0)
		return -1;
	end = line + len;

	/* "1:" */
	if (!next_field(&p, end, &tok, &tlen) || tlen < 2 || tok[tlen - 1] != ':' ||
	    parse_uint(tok, tlen - 1, 10, &out->num) < 0)
		return -1;

	/* "->", indented one more space per level of nesting */
	if (!next_field(&p, end, &tok, &tlen))
		return -1;
	if (span_is(tok, tlen, "->")) {
		out->waiter = true;
		if (!next_field(&p, end, &tok, &tlen))
			return -1;
	}
	if (tlen >= sizeof(out->type) || !is_lock_word(tok, tlen, false))
		return -1;
	memcpy(out->type, tok, tlen);

	/* ADVISORY, MANDATORY (before 5.15), *NOINODE*, ACTIVE/BREAKING/BREAKER (leases) */
	if (!next_field(&p, end, &tok, &tlen) || !is_lock_word(tok, tlen, true))
		return -1;
	out->mandatory = span_is(tok, tlen, "MANDATORY");

	if (!next_field(&p, end, &tok, &tlen) || tlen >= sizeof(out->access) ||
	    !is_lock_word(tok, tlen, false))
		return -1;
	memcpy(out->access, tok, tlen);

	if (!next_field(&p, end, &tok, &tlen) || parse_i64(tok, tlen, &pid) < 0 ||
	    pid < INT_MIN || pid > INT_MAX)
		return -1;
	out->pid = (int)pid;

	if (!next_field(&p, end, &tok, &tlen) || parse_lock_dev(tok, tlen, out) < 0)
		return -1;

	if (!next_field(&p, end, &tok, &tlen) || parse_offset(tok, tlen, &out->start) < 0)
		return -1;

	if (!next_field(&p, end, &tok, &tlen))
		return -1;
	if (span_is(tok, tlen, "EOF"))
		out->end = UINT64_MAX;
	else if (parse_offset(tok, tlen, &out->end) < 0)
		return -1;

	if (next_field(&p, end, &tok, &tlen))
		return -1;
	return 0;
}

/* ---- /proc/PID/mountinfo ---------------------------------------------------- */

/* The kernel's mangling of a path in mountinfo: space, tab, newline and backslash as
 * \ooo. Returns the decoded length, or -1 when it does not fit in size - 1. */
static int unmangle(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 3 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return (int)o;
}

int mountinfo_parse_line(const char *line, size_t len, unsigned int *major, unsigned int *minor,
			 char *point, size_t size)
{
	const char *p = line, *end = line + len, *w[5];
	size_t wl[5];

	if (!line || size == 0)
		return -1;
	if (len && end[-1] == '\n')
		end--;
	for (int i = 0; i < 5; i++)
		if (!next_word(&p, end, &w[i], &wl[i]))
			return -1;

	/* w[2] is "major:minor" */
	const char *colon = memchr(w[2], ':', wl[2]);
	uint64_t ma, mi;

	if (!colon || parse_u64(w[2], (size_t)(colon - w[2]), 10, &ma) < 0 ||
	    parse_u64(colon + 1, wl[2] - (size_t)(colon - w[2]) - 1, 10, &mi) < 0 ||
	    ma > 0xfff || mi > 0xfffff || wl[4] == 0 || w[4][0] != '/')
		return -1;
	if (unmangle(w[4], wl[4], point, size) < 0)
		return -1;
	*major = (unsigned int)ma;
	*minor = (unsigned int)mi;
	return 0;
}

/* ---- /proc/PID/cgroup: the container ---- */

#define CONTAINER_ID_SHORT 12

static size_t hex_run(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
		n++;
	return n;
}

static bool cg_prefix(const char *s, size_t len, const char *prefix, size_t *plen)
{
	*plen = strlen(prefix);
	return len >= *plen && memcmp(s, prefix, *plen) == 0;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static void set_container(char *out, size_t outlen, const char *runtime, const char *id, size_t idlen)
{
	if (outlen == 0)
		return;
	snprintf(out, outlen, "%s:%.*s", runtime, (int)idlen, id);
}

/* A container id: 64 hex digits (docker, podman, containerd, cri-o all use them). */
static bool container_id(const char *s, size_t len)
{
	return len == 64 && hex_run(s, len) == 64;
}

/* A machine or container name: not empty, no NUL or control byte. */
static bool plain_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* One path component: the runtime and id it names, or false. */
static bool component_container(const char *c, size_t n, const char *prev, size_t prevn,
				bool kube, char *out, size_t outlen)
{
	static const struct { const char *prefix, *runtime; } scopes[] = {
		{ "docker-", "docker" },
		{ "libpod-", "podman" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "crio" },
	};
	size_t pl;

	/* systemd cgroup driver: PREFIX<id>.scope */
	if (has_suffix(c, n, ".scope")) {
		size_t body = n - strlen(".scope");

		for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
			if (cg_prefix(c, body, scopes[i].prefix, &pl) && container_id(c + pl, body - pl)) {
				set_container(out, outlen, kube ? "kubepods" : scopes[i].runtime, c + pl,
					      CONTAINER_ID_SHORT);
				return true;
			}
		/* systemd-nspawn registers machine-NAME.scope */
		if (cg_prefix(c, body, "machine-", &pl) && plain_name(c + pl, body - pl)) {
			set_container(out, outlen, "nspawn", c + pl, body - pl);
			return true;
		}
	}
	if (cg_prefix(c, n, "systemd-nspawn@", &pl) && has_suffix(c, n, ".service") &&
	    n > pl + strlen(".service") && plain_name(c + pl, n - pl - strlen(".service"))) {
		set_container(out, outlen, "nspawn", c + pl, n - pl - strlen(".service"));
		return true;
	}
	/* cgroupfs driver: /docker/<id>, /kubepods/.../<id>, /lxc/NAME */
	if (container_id(c, n) && prev) {
		if (kube) {
			set_container(out, outlen, "kubepods", c, CONTAINER_ID_SHORT);
			return true;
		}
		if (prevn == 6 && memcmp(prev, "docker", 6) == 0) {
			set_container(out, outlen, "docker", c, CONTAINER_ID_SHORT);
			return true;
		}
	}
	if (prev && prevn == 3 && memcmp(prev, "lxc", 3) == 0 && plain_name(c, n)) {
		set_container(out, outlen, "lxc", c, n);
		return true;
	}
	return false;
}

/* The container one cgroup path names (the innermost component that names one). */
static bool path_container(const char *path, size_t len, char *out, size_t outlen)
{
	bool kube = false;
	bool found = false;
	const char *prev = NULL;
	size_t prevn = 0;

	for (size_t i = 0; i + 8 <= len; i++)
		if (memcmp(path + i, "kubepods", 8) == 0)
			kube = true;
	for (size_t pos = 0; pos < len;) {
		const char *c = path + pos;
		const char *slash = memchr(c, '/', len - pos);
		size_t n = slash ? (size_t)(slash - c) : len - pos;

		if (n > 0) {
			if (component_container(c, n, prev, prevn, kube, out, outlen))
				found = true;
			prev = c;
			prevn = n;
		}
		pos += n + 1;
	}
	return found;
}

int cgroup_container(const char *buf, size_t len, char *out, size_t outlen)
{
	bool found = false;

	if (outlen)
		out[0] = '\0';
	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		/* HIERARCHY:CONTROLLERS:PATH; the path may hold ':' */
		const char *c1 = memchr(line, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line)) : NULL;

		pos += n + 1;
		if (!c2)
			continue;
		const char *path = c2 + 1;

		if (!found && path_container(path, n - (size_t)(path - line), out, outlen))
			found = true;
	}
	return found ? 0 : -1;
}
