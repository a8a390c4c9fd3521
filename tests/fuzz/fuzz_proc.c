/* Fuzz target: the per-process /proc parsers of src/parse_proc.h. Every input goes
 * whole to fdinfo_parse and status_parse, and line by line (with and without its
 * newline) to maps_parse_line and locks_parse_line. Checked:
 *  - fdinfo_parse and status_parse never fail (no OOM here); a has bit is set only
 *    if a line starts with its key, and a field whose bit is clear is zero;
 *  - a map entry's path lies inside the line, never starts with a space, and
 *    " (deleted)" follows it exactly when deleted is set; lock words are upper case;
 *  - a line parses the same with or without one trailing newline;
 *  - each record, written back in the kernel's format, parses to the same values. */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "parse_proc.h"

/* A growing text buffer for the written-back records. */
struct text {
	char *s;
	size_t len, alloc;
};

__attribute__((format(printf, 2, 3)))
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	for (;;) {
		size_t room = t->alloc - t->len;

		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, room, fmt, ap);

		va_end(ap);
		FUZZ_CHECK(n >= 0);
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->alloc = (t->alloc + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->alloc);
		FUZZ_CHECK(t->s != NULL);
	}
}

static void text_put(struct text *t, const char *s, size_t len)
{
	if (t->alloc - t->len < len + 1) {
		t->alloc = (t->alloc + len + 1) * 2;
		t->s = realloc(t->s, t->alloc);
		FUZZ_CHECK(t->s != NULL);
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
}

/* Does a line of [s, s+len) start with prefix? The reference for the has bits. */
static bool has_line(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *end = s + len;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t llen = (size_t)((eol ? eol : end) - s);

		if (llen >= plen && memcmp(s, prefix, plen) == 0)
			return true;
		s = eol ? eol + 1 : end;
	}
	return false;
}

static size_t count_lines(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix), n = 0;
	const char *end = s + len;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t llen = (size_t)((eol ? eol : end) - s);

		if (llen >= plen && memcmp(s, prefix, plen) == 0)
			n++;
		s = eol ? eol + 1 : end;
	}
	return n;
}

/* ---- fdinfo ---------------------------------------------------------------------- */

static void fdinfo_write(const struct fdinfo *fi, struct text *t)
{
	if (fi->has & FDI_POS)
		text_add(t, "pos:\t%" PRId64 "\n", (int64_t)fi->pos);
	if (fi->has & FDI_FLAGS)
		text_add(t, "flags:\t0%o\n", fi->flags);
	if (fi->has & FDI_MNT_ID)
		text_add(t, "mnt_id:\t%i\n", fi->mnt_id);
	if (fi->has & FDI_INO)
		text_add(t, "ino:\t%" PRIu64 "\n", fi->ino);
	if (fi->has & FDI_EVENTFD)
		text_add(t, "eventfd-count: %16" PRIx64 "\n", fi->eventfd_count);
	if (fi->has & FDI_EVENTFD_ID)
		text_add(t, "eventfd-id: %" PRIu64 "\n", fi->eventfd_id);
	if (fi->has & FDI_EVENTFD)
		text_add(t, "eventfd-semaphore: %d\n", fi->eventfd_semaphore);
	if (fi->has & FDI_SIGMASK)
		text_add(t, "sigmask:\t%016" PRIx64 "\n", fi->sigmask);
	if (fi->has & FDI_TIMER)
		text_add(t, "clockid: %d\nticks: %" PRIu64 "\nsettime flags: 0%o\n"
			 "it_value: (%" PRId64 ", %" PRId64 ")\nit_interval: (%" PRId64 ", %" PRId64 ")\n",
			 fi->clockid, fi->ticks, fi->settime_flags, fi->value_sec, fi->value_nsec,
			 fi->interval_sec, fi->interval_nsec);
	if (fi->has & FDI_PIDFD)
		text_add(t, "Pid:\t%d\nNSpid:\t%d\n", fi->pidfd_pid, fi->pidfd_pid);
	if (fi->has & FDI_TTY)
		text_add(t, "tty-index:\t%d\n", fi->tty_index);
	for (size_t i = 0; i < fi->nwatches; i++)
		text_add(t, "inotify wd:%x ino:%" PRIx64 " sdev:%" PRIx64 " mask:%x ignored_mask:0 "
			 "fhandle-bytes:8 fhandle-type:1 f_handle:0000000000000000\n",
			 (unsigned int)fi->watches[i].wd, fi->watches[i].ino, fi->watches[i].sdev,
			 fi->watches[i].mask);
	for (size_t i = 0; i < fi->ntargets; i++)
		text_add(t, "tfd: %8d events: %8x data: %16llx  pos:0 ino:%" PRIx64 " sdev:%" PRIx64 "\n",
			 fi->targets[i].fd, fi->targets[i].events, 0x1234ULL, fi->targets[i].ino,
			 fi->targets[i].sdev);
}

static bool fdinfo_same(const struct fdinfo *a, const struct fdinfo *b)
{
	if (a->has != b->has || a->pos != b->pos || a->flags != b->flags ||
	    a->mnt_id != b->mnt_id || a->ino != b->ino || a->eventfd_count != b->eventfd_count ||
	    a->eventfd_id != b->eventfd_id || a->eventfd_semaphore != b->eventfd_semaphore ||
	    a->sigmask != b->sigmask || a->clockid != b->clockid || a->ticks != b->ticks ||
	    a->settime_flags != b->settime_flags || a->value_sec != b->value_sec ||
	    a->value_nsec != b->value_nsec || a->interval_sec != b->interval_sec ||
	    a->interval_nsec != b->interval_nsec || a->pidfd_pid != b->pidfd_pid ||
	    a->tty_index != b->tty_index || a->nwatches != b->nwatches ||
	    a->ntargets != b->ntargets)
		return false;
	for (size_t i = 0; i < a->nwatches; i++)
		if (a->watches[i].wd != b->watches[i].wd || a->watches[i].ino != b->watches[i].ino ||
		    a->watches[i].sdev != b->watches[i].sdev || a->watches[i].mask != b->watches[i].mask)
			return false;
	for (size_t i = 0; i < a->ntargets; i++)
		if (a->targets[i].fd != b->targets[i].fd ||
		    a->targets[i].events != b->targets[i].events ||
		    a->targets[i].ino != b->targets[i].ino || a->targets[i].sdev != b->targets[i].sdev)
			return false;
	return true;
}

static void check_fdinfo(const char *s, size_t len)
{
	struct fdinfo fi;

	FUZZ_CHECK(fdinfo_parse(s, len, &fi) == 0);
	FUZZ_CHECK((fi.has & ~0x3ffu) == 0);

	/* a bit only from a line starting with its key; a clear bit leaves zero */
	FUZZ_CHECK(!(fi.has & FDI_POS) || has_line(s, len, "pos:"));
	FUZZ_CHECK(!(fi.has & FDI_FLAGS) || has_line(s, len, "flags:"));
	FUZZ_CHECK(!(fi.has & FDI_MNT_ID) || has_line(s, len, "mnt_id:"));
	FUZZ_CHECK(!(fi.has & FDI_INO) || has_line(s, len, "ino:"));
	FUZZ_CHECK(!(fi.has & FDI_EVENTFD) || has_line(s, len, "eventfd-count:"));
	FUZZ_CHECK(!(fi.has & FDI_EVENTFD_ID) || has_line(s, len, "eventfd-id:"));
	FUZZ_CHECK(!(fi.has & FDI_SIGMASK) || has_line(s, len, "sigmask:"));
	FUZZ_CHECK(!(fi.has & FDI_TIMER) || has_line(s, len, "clockid:"));
	FUZZ_CHECK(!(fi.has & FDI_PIDFD) || has_line(s, len, "Pid:"));
	FUZZ_CHECK(!(fi.has & FDI_TTY) || has_line(s, len, "tty-index:"));
	FUZZ_CHECK((fi.has & FDI_POS) || fi.pos == 0);
	FUZZ_CHECK((fi.has & FDI_FLAGS) || fi.flags == 0);
	FUZZ_CHECK((fi.has & FDI_MNT_ID) || fi.mnt_id == 0);
	FUZZ_CHECK((fi.has & FDI_INO) || fi.ino == 0);
	FUZZ_CHECK((fi.has & FDI_EVENTFD) || (fi.eventfd_count == 0 && !fi.eventfd_semaphore));
	FUZZ_CHECK((fi.has & FDI_EVENTFD_ID) || fi.eventfd_id == 0);
	FUZZ_CHECK((fi.has & FDI_SIGMASK) || fi.sigmask == 0);
	FUZZ_CHECK((fi.has & FDI_TIMER) ||
		   (fi.clockid == 0 && fi.ticks == 0 && fi.settime_flags == 0 &&
		    fi.value_sec == 0 && fi.value_nsec == 0 && fi.interval_sec == 0 &&
		    fi.interval_nsec == 0));
	FUZZ_CHECK(fi.value_sec >= 0 && fi.value_nsec >= 0 && fi.interval_sec >= 0 &&
		   fi.interval_nsec >= 0);
	FUZZ_CHECK((fi.has & FDI_PIDFD) || fi.pidfd_pid == 0);
	FUZZ_CHECK((fi.has & FDI_TTY) || fi.tty_index == 0);

	FUZZ_CHECK((fi.nwatches == 0) == (fi.watches == NULL));
	FUZZ_CHECK((fi.ntargets == 0) == (fi.targets == NULL));
	FUZZ_CHECK(fi.nwatches <= count_lines(s, len, "inotify "));
	FUZZ_CHECK(fi.ntargets <= count_lines(s, len, "tfd:"));
	for (size_t i = 0; i < fi.nwatches; i++)
		FUZZ_CHECK(fi.watches[i].wd >= 0);
	for (size_t i = 0; i < fi.ntargets; i++)
		FUZZ_CHECK(fi.targets[i].fd >= 0);

	struct text t = { 0 };
	struct fdinfo again;

	text_put(&t, "", 0);
	fdinfo_write(&fi, &t);
	FUZZ_CHECK(fdinfo_parse(t.s, t.len, &again) == 0);
	FUZZ_CHECK(fdinfo_same(&fi, &again));
	free(t.s);
	fdinfo_free(&again);
	fdinfo_free(&fi);
	FUZZ_CHECK(fi.watches == NULL && fi.targets == NULL && fi.has == 0);
}

/* ---- status ---------------------------------------------------------------------- */

static void check_status(const char *s, size_t len)
{
	struct proc_status st, again;

	FUZZ_CHECK(status_parse(s, len, &st) == 0);
	FUZZ_CHECK((st.has & ~0x7fu) == 0);
	FUZZ_CHECK(!(st.has & ST_SIGQ) || has_line(s, len, "SigQ:"));
	FUZZ_CHECK(!(st.has & ST_SIGPND) || has_line(s, len, "SigPnd:"));
	FUZZ_CHECK(!(st.has & ST_SHDPND) || has_line(s, len, "ShdPnd:"));
	FUZZ_CHECK(!(st.has & ST_SIGBLK) || has_line(s, len, "SigBlk:"));
	FUZZ_CHECK(!(st.has & ST_SIGIGN) || has_line(s, len, "SigIgn:"));
	FUZZ_CHECK(!(st.has & ST_SIGCGT) || has_line(s, len, "SigCgt:"));
	FUZZ_CHECK(!(st.has & ST_UID) || has_line(s, len, "Uid:"));
	FUZZ_CHECK((st.has & ST_SIGQ) || (st.sigq_queued == 0 && st.sigq_limit == 0));
	FUZZ_CHECK((st.has & ST_SIGPND) || st.sigpnd == 0);
	FUZZ_CHECK((st.has & ST_SHDPND) || st.shdpnd == 0);
	FUZZ_CHECK((st.has & ST_SIGBLK) || st.sigblk == 0);
	FUZZ_CHECK((st.has & ST_SIGIGN) || st.sigign == 0);
	FUZZ_CHECK((st.has & ST_SIGCGT) || st.sigcgt == 0);
	FUZZ_CHECK((st.has & ST_UID) ||
		   (st.uid[0] == 0 && st.uid[1] == 0 && st.uid[2] == 0 && st.uid[3] == 0));

	/* as fs/proc/array.c writes them */
	struct text t = { 0 };

	text_put(&t, "", 0);
	if (st.has & ST_UID)
		text_add(&t, "Uid:\t%u\t%u\t%u\t%u\n", st.uid[0], st.uid[1], st.uid[2], st.uid[3]);
	if (st.has & ST_SIGQ)
		text_add(&t, "SigQ:\t%" PRIu64 "/%" PRIu64 "\n", st.sigq_queued, st.sigq_limit);
	if (st.has & ST_SIGPND)
		text_add(&t, "SigPnd:\t%016" PRIx64 "\n", st.sigpnd);
	if (st.has & ST_SHDPND)
		text_add(&t, "ShdPnd:\t%016" PRIx64 "\n", st.shdpnd);
	if (st.has & ST_SIGBLK)
		text_add(&t, "SigBlk:\t%016" PRIx64 "\n", st.sigblk);
	if (st.has & ST_SIGIGN)
		text_add(&t, "SigIgn:\t%016" PRIx64 "\n", st.sigign);
	if (st.has & ST_SIGCGT)
		text_add(&t, "SigCgt:\t%016" PRIx64 "\n", st.sigcgt);
	FUZZ_CHECK(status_parse(t.s, t.len, &again) == 0);
	FUZZ_CHECK(again.has == st.has && again.sigq_queued == st.sigq_queued &&
		   again.sigq_limit == st.sigq_limit && again.sigpnd == st.sigpnd &&
		   again.shdpnd == st.shdpnd && again.sigblk == st.sigblk &&
		   again.sigign == st.sigign && again.sigcgt == st.sigcgt &&
		   memcmp(again.uid, st.uid, sizeof(st.uid)) == 0);
	free(t.s);
}

/* ---- maps lines ------------------------------------------------------------------ */

static bool map_same(const struct map_entry *a, const struct map_entry *b)
{
	return a->start == b->start && a->end == b->end && a->read == b->read &&
	       a->write == b->write && a->exec == b->exec && a->shared == b->shared &&
	       a->offset == b->offset && a->major == b->major && a->minor == b->minor &&
	       a->inode == b->inode && a->path_len == b->path_len && a->deleted == b->deleted &&
	       (a->path == NULL) == (b->path == NULL) &&
	       (a->path == NULL || memcmp(a->path, b->path, a->path_len) == 0);
}

/* A line [s, s+len); with_nl says a '\n' follows it in the input, so it is parsed
 * once more with it. */
static void check_maps(const char *s, size_t len, bool with_nl)
{
	struct map_entry e;
	int rc = maps_parse_line(s, len, &e);

	FUZZ_CHECK(rc == 0 || rc == -1);
	if (with_nl) {
		struct map_entry nl;

		FUZZ_CHECK(maps_parse_line(s, len + 1, &nl) == rc);
		if (rc == 0)
			FUZZ_CHECK(map_same(&e, &nl));
	}
	if (rc < 0)
		return;
	/* one trailing newline is tolerated, none before it */
	size_t body = len > 0 && s[len - 1] == '\n' ? len - 1 : len;

	FUZZ_CHECK(!memchr(s, '\n', body) && !memchr(s, '\0', body));
	FUZZ_CHECK((e.path == NULL) == (e.path_len == 0));
	if (e.path) {
		FUZZ_CHECK(e.path > s && e.path + e.path_len <= s + body);
		FUZZ_CHECK(e.path[0] != ' ' && e.path[-1] == ' ');
		/* " (deleted)" follows exactly when it was taken off */
		size_t rest = (size_t)(s + body - (e.path + e.path_len));

		FUZZ_CHECK(rest == (e.deleted ? 10 : 0));
		if (e.deleted)
			FUZZ_CHECK(memcmp(e.path + e.path_len, " (deleted)", 10) == 0);
	} else {
		FUZZ_CHECK(!e.deleted);
	}

	/* as show_map_vma() writes it */
	struct text t = { 0 };
	struct map_entry again;

	text_add(&t, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %02x:%02x %" PRIu64 " ",
		 e.start, e.end, e.read ? 'r' : '-', e.write ? 'w' : '-', e.exec ? 'x' : '-',
		 e.shared ? 's' : 'p', e.offset, e.major, e.minor, e.inode);
	if (e.path) {
		text_add(&t, "%*s", 10, "");
		text_put(&t, e.path, e.path_len);
		if (e.deleted)
			text_put(&t, " (deleted)", 10);
	}
	FUZZ_CHECK(maps_parse_line(t.s, t.len, &again) == 0);
	FUZZ_CHECK(map_same(&e, &again));
	free(t.s);
}

/* ---- /proc/locks lines ------------------------------------------------------------ */

static bool lock_word(const char *w, size_t max)
{
	size_t n = strnlen(w, max);

	if (n == 0 || n == max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (w[i] < 'A' || w[i] > 'Z')
			return false;
	return true;
}

static bool lock_same(const struct lock_entry *a, const struct lock_entry *b)
{
	return a->num == b->num && a->waiter == b->waiter && strcmp(a->type, b->type) == 0 &&
	       a->mandatory == b->mandatory && strcmp(a->access, b->access) == 0 &&
	       a->pid == b->pid && a->major == b->major && a->minor == b->minor &&
	       a->inode == b->inode && a->start == b->start && a->end == b->end;
}

static void check_locks(const char *s, size_t len, bool with_nl)
{
	struct lock_entry l;
	int rc = locks_parse_line(s, len, &l);

	FUZZ_CHECK(rc == 0 || rc == -1);
	if (with_nl) {
		struct lock_entry nl;

		FUZZ_CHECK(locks_parse_line(s, len + 1, &nl) == rc);
		if (rc == 0)
			FUZZ_CHECK(lock_same(&l, &nl));
	}
	if (rc < 0)
		return;
	FUZZ_CHECK(lock_word(l.type, sizeof(l.type)) && lock_word(l.access, sizeof(l.access)));
	FUZZ_CHECK(l.start <= INT64_MAX && (l.end <= INT64_MAX || l.end == UINT64_MAX));

	/* as lock_get_status() writes it */
	struct text t = { 0 };
	struct lock_entry again;

	text_add(&t, "%u: %s%-6s %s %s %d %02x:%02x:%" PRIu64 " %" PRIu64 " ", l.num,
		 l.waiter ? "-> " : "", l.type, l.mandatory ? "MANDATORY" : "ADVISORY ", l.access,
		 l.pid, l.major, l.minor, l.inode, l.start);
	if (l.end == UINT64_MAX)
		text_add(&t, "EOF\n");
	else
		text_add(&t, "%" PRIu64 "\n", l.end);
	FUZZ_CHECK(locks_parse_line(t.s, t.len, &again) == 0);
	FUZZ_CHECK(lock_same(&l, &again));
	free(t.s);
}

/* mountinfo_parse_line: the mount point fits and is NUL-terminated, starts with '/' */
static void check_mountinfo(const char *line, size_t len)
{
	char *copy = malloc(len ? len : 1);
	char point[64];
	unsigned int ma, mi;

	FUZZ_CHECK(copy != NULL);
	if (len)
		memcpy(copy, line, len);
	memset(point, 'x', sizeof(point));
	if (mountinfo_parse_line(copy, len, &ma, &mi, point, sizeof(point)) == 0) {
		FUZZ_CHECK(memchr(point, '\0', sizeof(point)) != NULL);
		FUZZ_CHECK(point[0] == '/' && ma <= 0xfff && mi <= 0xfffff);
	}
	free(copy);
}

/* cgroup_container: a NUL-terminated answer inside the buffer; none is an empty string;
 * one is RUNTIME:ID with a known runtime, a 12-digit hex id for the id runtimes (64
 * digits of it in the input) and a NAME (from the input) for nspawn and lxc; a smaller
 * buffer gets a prefix of the same answer. */
static void check_cgroup(const char *s, size_t len)
{
	static const char *const ids[] = { "docker:", "podman:", "containerd:", "crio:", "kubepods:" };
	static const char *const names[] = { "nspawn:", "lxc:" };
	char out[96], small[6];
	int rc = cgroup_container(s, len, out, sizeof(out));

	FUZZ_CHECK(memchr(out, '\0', sizeof(out)) != NULL);
	if (rc < 0) {
		FUZZ_CHECK(out[0] == '\0');
		return;
	}
	FUZZ_CHECK(rc == 0);
	bool known = false;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		size_t n = strlen(ids[i]);

		if (strncmp(out, ids[i], n) != 0)
			continue;
		known = true;
		FUZZ_CHECK(strlen(out + n) == 12);
		for (size_t k = 0; k < 12; k++)
			FUZZ_CHECK((out[n + k] >= '0' && out[n + k] <= '9') ||
				   (out[n + k] >= 'a' && out[n + k] <= 'f'));
		FUZZ_CHECK(memmem(s, len, out + n, 12) != NULL);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (strncmp(out, names[i], n) != 0)
			continue;
		known = true;
		FUZZ_CHECK(out[n] != '\0' && strchr(out + n, '/') == NULL && strchr(out + n, '\n') == NULL);
		FUZZ_CHECK(memmem(s, len, out + n, strlen(out + n)) != NULL);
	}
	FUZZ_CHECK(known);
	FUZZ_CHECK(cgroup_container(s, len, small, sizeof(small)) == 0);
	FUZZ_CHECK(strncmp(small, out, sizeof(small) - 1) == 0 && strlen(small) < sizeof(small));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;

	check_fdinfo(s, size);
	check_status(s, size);
	check_cgroup(s, size);

	/* the whole input as one line, then each line */
	check_maps(s, size, false);
	check_locks(s, size, false);
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t llen = (size_t)((eol ? eol : end) - s);

		check_maps(s, llen, eol != NULL);
		check_locks(s, llen, eol != NULL);
		check_mountinfo(s, llen);
		s = eol ? eol + 1 : end;
	}
	return 0;
}
