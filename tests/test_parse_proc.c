/* Unit tests of the per-process /proc parsers (src/parse_proc.h): fdinfo of each
 * kind of file, maps lines, status signal lines, /proc/locks lines. The samples were
 * read on Linux 6.18; every parse is given an exact-size heap copy, so reading past
 * len shows under valgrind or ASan. TAP on stdout. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_proc.h"
#include "tap.h"

/* The exact-size copy the last parse read; a map_entry's path points into it. */
static char *held;
static size_t held_len;

static const char *hold(const char *s, size_t len)
{
	free(held);
	held = malloc(len ? len : 1);
	if (!held)
		abort();
	memcpy(held, s, len);
	held_len = len;
	return held;
}

static int fdi(const char *text, struct fdinfo *fi)
{
	return fdinfo_parse(hold(text, strlen(text)), strlen(text), fi);
}

static int maps(const char *line, struct map_entry *e)
{
	return maps_parse_line(hold(line, strlen(line)), strlen(line), e);
}

static int status(const char *text, struct proc_status *st)
{
	return status_parse(hold(text, strlen(text)), strlen(text), st);
}

static int locks(const char *line, struct lock_entry *l)
{
	return locks_parse_line(hold(line, strlen(line)), strlen(line), l);
}

/* The path of a map entry as a string, NULL when there is none. */
static const char *path_of(const struct map_entry *e)
{
	static char buf[256];

	if (!e->path)
		return NULL;
	if (e->path_len >= sizeof(buf))
		return "(too long)";
	memcpy(buf, e->path, e->path_len);
	buf[e->path_len] = '\0';
	return buf;
}

#define FDI_COMMON (FDI_POS | FDI_FLAGS | FDI_MNT_ID | FDI_INO)

/* ---- fdinfo: samples of each kind ------------------------------------------------ */

static void test_fdinfo_regular(void)
{
	struct fdinfo fi;

	is_int(fdi("pos:\t0\nflags:\t0100000\nmnt_id:\t24\nino:\t3\n", &fi), 0,
	       "fdinfo regular: parses");
	is_u64(fi.has, FDI_COMMON, "fdinfo regular: pos flags mnt_id ino seen, nothing else");
	is_u64(fi.pos, 0, "fdinfo regular: pos");
	is_int(fi.flags, 0100000, "fdinfo regular: flags are octal (O_LARGEFILE)");
	is_int(fi.mnt_id, 24, "fdinfo regular: mnt_id");
	is_u64(fi.ino, 3, "fdinfo regular: ino is decimal");
	ok(fi.watches == NULL && fi.nwatches == 0 && fi.targets == NULL && fi.ntargets == 0,
	   "fdinfo regular: no watches nor targets");
	fdinfo_free(&fi);

	/* a locked file: the "lock:" line is skipped; the unix socket's scm_fds too */
	is_int(fdi("pos:\t1234567\nflags:\t02100002\nmnt_id:\t27\nino:\t10952898\n"
		   "lock:\t1: POSIX  ADVISORY  WRITE 31049 fe:00:10952898 5 14\n"
		   "scm_fds: 0\n", &fi), 0, "fdinfo locked file: parses");
	is_u64(fi.has, FDI_COMMON, "fdinfo locked file: lock and scm_fds lines add nothing");
	is_u64(fi.pos, 1234567, "fdinfo locked file: pos");
	is_int(fi.flags, 02100002, "fdinfo locked file: O_CLOEXEC|O_LARGEFILE|O_RDWR");
	is_u64(fi.ino, 10952898, "fdinfo locked file: ino");
	fdinfo_free(&fi);
}

static void test_fdinfo_eventfd(void)
{
	struct fdinfo fi;

	is_int(fdi("pos:\t0\nflags:\t04002\nmnt_id:\t17\nino:\t1038\n"
		   "eventfd-count:           abcdf4\neventfd-id: 1\neventfd-semaphore: 1\n", &fi),
	       0, "fdinfo eventfd: parses");
	is_u64(fi.has, FDI_COMMON | FDI_EVENTFD | FDI_EVENTFD_ID, "fdinfo eventfd: has bits");
	is_u64(fi.eventfd_count, 0xabcdf4, "fdinfo eventfd: count is hexadecimal, padded");
	is_u64(fi.eventfd_id, 1, "fdinfo eventfd: id");
	ok(fi.eventfd_semaphore, "fdinfo eventfd: semaphore");
	fdinfo_free(&fi);

	is_int(fdi("eventfd-count: fffffffffffffffe\neventfd-id: 4294967296\n"
		   "eventfd-semaphore: 0", &fi), 0, "fdinfo eventfd max: parses");
	is_u64(fi.eventfd_count, UINT64_MAX - 1, "fdinfo eventfd max: count 2^64-2");
	is_u64(fi.eventfd_id, 4294967296ULL, "fdinfo eventfd max: id above 32 bits");
	ok(!fi.eventfd_semaphore, "fdinfo eventfd max: semaphore 0, no trailing newline");
	fdinfo_free(&fi);

	/* before Linux 5.2 only the count; a semaphore line alone is not trusted */
	is_int(fdi("eventfd-semaphore: 1\neventfd-count: 0\n", &fi), 0,
	       "fdinfo eventfd semaphore first: parses");
	is_u64(fi.has, FDI_EVENTFD, "fdinfo eventfd old: count only");
	ok(!fi.eventfd_semaphore, "fdinfo eventfd: semaphore before count ignored");
	fdinfo_free(&fi);

	is_int(fdi("eventfd-count: 10000000000000000\neventfd-id: -1\n"
		   "eventfd-count: 12g\n", &fi), 0, "fdinfo eventfd bad: parses");
	is_u64(fi.has, 0, "fdinfo eventfd bad: overflowing count, signed id, non-hex skipped");
	is_u64(fi.eventfd_count, 0, "fdinfo eventfd bad: count left 0");
	fdinfo_free(&fi);

	is_int(fdi("eventfd-count: 1\neventfd-semaphore: 1\neventfd-semaphore: 2\n", &fi), 0,
	       "fdinfo eventfd semaphore 2: parses");
	ok(fi.eventfd_semaphore, "fdinfo eventfd: semaphore other than 0/1 skipped, 1 kept");
	fdinfo_free(&fi);
}

static const char epoll_sample[] =
	"pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1038\n"
	"tfd:        3 events:       1d data:                3  pos:0 ino:40e sdev:10\n"
	"tfd:        5 events:       19 data:                5  pos:0 ino:207e3 sdev:f\n"
	"tfd:        6 events: 8000001c data:      7f00deadbeef  pos:0 ino:207e3 sdev:f\n";

static void test_fdinfo_epoll(void)
{
	struct fdinfo fi;

	is_int(fdi(epoll_sample, &fi), 0, "fdinfo epoll: parses");
	is_u64(fi.has, FDI_COMMON, "fdinfo epoll: tfd lines set no has bit");
	is_int(fi.ntargets, 3, "fdinfo epoll: three targets");
	if (fi.ntargets == 3) {
		is_int(fi.targets[0].fd, 3, "fdinfo epoll: first tfd");
		is_u64(fi.targets[0].events, 0x1d, "fdinfo epoll: events are hexadecimal");
		is_u64(fi.targets[0].ino, 0x40e, "fdinfo epoll: ino is hexadecimal");
		is_u64(fi.targets[0].sdev, 0x10, "fdinfo epoll: sdev is hexadecimal");
		is_int(fi.targets[1].fd, 5, "fdinfo epoll: second tfd");
		is_u64(fi.targets[1].ino, 0x207e3, "fdinfo epoll: second ino");
		is_int(fi.targets[2].fd, 6, "fdinfo epoll: third tfd");
		is_u64(fi.targets[2].events, 0x8000001c, "fdinfo epoll: EPOLLET bit kept");
		is_u64(fi.targets[2].sdev, 0xf, "fdinfo epoll: third sdev");
	}
	ok(fi.nwatches == 0 && fi.watches == NULL, "fdinfo epoll: no watches");
	fdinfo_free(&fi);
	ok(fi.targets == NULL && fi.ntargets == 0 && fi.has == 0, "fdinfo_free: resets");
	fdinfo_free(&fi);
	ok(fi.targets == NULL, "fdinfo_free: a second call is harmless");

	/* older kernels: no pos/ino/sdev; bad lines are skipped, the good ones kept */
	is_int(fdi("tfd:        7 events:       19 data:                0\n"
		   "tfd:        8 data: 0 pos:0 ino:1 sdev:2\n"
		   "tfd:       -1 events: 19\n"
		   "tfd:        9 events: 100000000\n"
		   "tfd:       10 events: 1 ino:xyz sdev:1\n"
		   "tfd:2147483647 events:ffffffff ino:ffffffffffffffff sdev:ffffffff", &fi), 0,
	   "fdinfo epoll odd lines: parses");
	is_int(fi.ntargets, 2, "fdinfo epoll odd lines: two targets kept");
	if (fi.ntargets == 2) {
		ok(fi.targets[0].fd == 7 && fi.targets[0].events == 0x19 &&
		   fi.targets[0].ino == 0 && fi.targets[0].sdev == 0,
		   "fdinfo epoll: line without ino and sdev kept with zeros");
		is_int(fi.targets[1].fd, INT_MAX, "fdinfo epoll: tfd INT_MAX, no newline");
		is_u64(fi.targets[1].events, 0xffffffff, "fdinfo epoll: events 32 bits");
		is_u64(fi.targets[1].ino, UINT64_MAX, "fdinfo epoll: ino 64 bits");
	}
	fdinfo_free(&fi);

	/* many targets: the array grows */
	char big[64 * 80];
	size_t n = 0;

	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
				      "tfd: %8d events: %8x data: %16x  pos:0 ino:%x sdev:7\n",
				      i, 1, i, 100 + i);
	is_int(fdi(big, &fi), 0, "fdinfo epoll 64 targets: parses");
	is_int(fi.ntargets, 64, "fdinfo epoll 64 targets: all kept");
	if (fi.ntargets == 64)
		ok(fi.targets[63].fd == 63 && fi.targets[63].ino == 100 + 63,
		   "fdinfo epoll 64 targets: last one right");
	fdinfo_free(&fi);
}

static const char inotify_sample[] =
	"pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n"
	"inotify wd:c ino:3c501 sdev:fe00000 mask:2 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:01c5030000000000\n"
	"inotify wd:b ino:54a sdev:fe00000 mask:2 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:4a05000000000000\n"
	"inotify wd:3 ino:1 sdev:15 mask:fff ignored_mask:0 fhandle-bytes:c fhandle-type:81 f_handle:010000000000000000000000\n"
	"inotify wd:1 ino:2 sdev:800001 mask:100 ignored_mask:0\n";

static void test_fdinfo_inotify(void)
{
	struct fdinfo fi;

	is_int(fdi(inotify_sample, &fi), 0, "fdinfo inotify: parses");
	is_u64(fi.has, FDI_COMMON, "fdinfo inotify: watches set no has bit");
	is_int(fi.flags, 0, "fdinfo inotify: flags \"00\"");
	is_int(fi.nwatches, 4, "fdinfo inotify: four watches");
	if (fi.nwatches == 4) {
		is_int(fi.watches[0].wd, 12, "fdinfo inotify: wd is hexadecimal (wd:c is 12)");
		is_u64(fi.watches[0].ino, 0x3c501, "fdinfo inotify: ino is hexadecimal");
		is_u64(fi.watches[0].sdev, 0xfe00000, "fdinfo inotify: sdev raw");
		is_u64(fi.watches[0].sdev >> 20, 254, "fdinfo inotify: sdev major 254 (fe:00)");
		is_u64(fi.watches[0].mask, 2, "fdinfo inotify: mask");
		is_int(fi.watches[1].wd, 11, "fdinfo inotify: wd:b is 11");
		is_u64(fi.watches[2].mask, 0xfff, "fdinfo inotify: mask is hexadecimal");
		is_u64(fi.watches[2].sdev, 0x15, "fdinfo inotify: sdev 0:21");
		ok(fi.watches[0].handle_bytes == 8 && fi.watches[0].handle_type == 1 &&
		   memcmp(fi.watches[0].handle, "\x01\xc5\x03\0\0\0\0\0", 8) == 0,
		   "fdinfo inotify: the file handle, bytes and type hexadecimal");
		ok(fi.watches[2].handle_bytes == 12 && fi.watches[2].handle_type == 0x81,
		   "fdinfo inotify: a 12-byte handle of type 0x81");
		is_int(fi.watches[3].wd, 1, "fdinfo inotify: last watch, no fhandle");
		is_int(fi.watches[3].handle_bytes, 0, "fdinfo inotify: no handle, no bytes");
		ok((fi.watches[3].sdev >> 20) == 8 && (fi.watches[3].sdev & 0xfffff) == 1,
		   "fdinfo inotify: sdev 800001 is 8:1");
	}
	fdinfo_free(&fi);

	is_int(fdi("inotify wd:1 ino:2 sdev:3\n"             /* no mask */
		   "inotify wd:80000000 ino:2 sdev:3 mask:1\n" /* wd above INT_MAX */
		   "inotify wd:1 ino:2 sdev:3 mask:100000000\n" /* mask above 32 bits */
		   "inotify wd:-1 ino:2 sdev:3 mask:1\n"
		   "inotify  wd:7fffffff  ino:10 sdev:0 mask:ffffffff\n"
		   "inotifywd:5 ino:1 sdev:1 mask:1\n"         /* not an inotify line */
		   "fanotify ino:40e sdev:10 mflags:0 mask:1 ignored_mask:0\n", &fi), 0,
	   "fdinfo inotify odd lines: parses");
	is_int(fi.nwatches, 1, "fdinfo inotify odd lines: one watch kept");
	if (fi.nwatches == 1)
		ok(fi.watches[0].wd == INT_MAX && fi.watches[0].ino == 0x10 &&
		   fi.watches[0].mask == 0xffffffff, "fdinfo inotify: extra spaces, limits");
	is_u64(fi.has, 0, "fdinfo inotify odd lines: no has bit");
	fdinfo_free(&fi);

	/* a handle that does not match its length, or is too long, is dropped; the watch stays */
	is_int(fdi("inotify wd:1 ino:2 sdev:3 mask:1 fhandle-bytes:8 fhandle-type:1 f_handle:0102\n"
		   "inotify wd:2 ino:2 sdev:3 mask:1 fhandle-bytes:81 fhandle-type:1 f_handle:00\n"
		   "inotify wd:3 ino:2 sdev:3 mask:1 fhandle-bytes:2 fhandle-type:1 f_handle:zz00\n"
		   "inotify wd:4 ino:2 sdev:3 mask:1 fhandle-bytes:2 fhandle-type:zz f_handle:0a0b\n"
		   "inotify wd:5 ino:2 sdev:3 mask:1 fhandle-bytes:2 fhandle-type:2 f_handle:0A0b\n", &fi), 0,
	   "fdinfo inotify bad handles: parses");
	is_int(fi.nwatches, 5, "fdinfo inotify bad handles: every watch kept");
	if (fi.nwatches == 5) {
		ok(fi.watches[0].handle_bytes == 0 && fi.watches[1].handle_bytes == 0 &&
		   fi.watches[2].handle_bytes == 0 && fi.watches[3].handle_bytes == 0,
		   "fdinfo inotify bad handles: short, too long, not hex, bad type: no handle");
		ok(fi.watches[4].handle_bytes == 2 && fi.watches[4].handle[0] == 0x0a &&
		   fi.watches[4].handle[1] == 0x0b, "fdinfo inotify: upper-case hex read too");
	}
	fdinfo_free(&fi);
}

static void test_fdinfo_signalfd(void)
{
	struct fdinfo fi;

	is_int(fdi("pos:\t0\nflags:\t02004002\nmnt_id:\t17\nino:\t1038\n"
		   "sigmask:\t0000000200004202\n", &fi), 0, "fdinfo signalfd: parses");
	is_u64(fi.has, FDI_COMMON | FDI_SIGMASK, "fdinfo signalfd: has bits");
	is_u64(fi.sigmask, 0x200004202ULL, "fdinfo signalfd: mask");
	ok(fi.sigmask & (1u << (2 - 1)), "fdinfo signalfd: SIGINT is bit 1");
	ok(fi.sigmask & (1u << (10 - 1)), "fdinfo signalfd: SIGUSR1 is bit 9");
	ok(fi.sigmask & (1ULL << (34 - 1)), "fdinfo signalfd: signal 34 is bit 33");
	fdinfo_free(&fi);

	/* MIPS: 128 signals, 32 digits; the low 64 bits are kept */
	is_int(fdi("sigmask:\tffffffffffffffff8000000000000001\n", &fi), 0,
	       "fdinfo signalfd 128 signals: parses");
	ok((fi.has & FDI_SIGMASK) && fi.sigmask == 0x8000000000000001ULL,
	   "fdinfo signalfd 128 signals: low 64 bits");
	fdinfo_free(&fi);

	is_int(fdi("sigmask:\t000000000000000000000000000000001\n", &fi), 0,
	       "fdinfo signalfd 33 digits: parses");
	ok(!(fi.has & FDI_SIGMASK), "fdinfo signalfd: 33 digits refused");
	fdinfo_free(&fi);

	is_int(fdi("sigmask:\tg000000000000000000000000000000\n", &fi), 0,
	       "fdinfo signalfd bad high digits: parses");
	ok(!(fi.has & FDI_SIGMASK), "fdinfo signalfd: non-hex digit in the dropped part refused");
	fdinfo_free(&fi);
}

static void test_fdinfo_timerfd(void)
{
	struct fdinfo fi;

	is_int(fdi("pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
		   "clockid: 1\nticks: 0\nsettime flags: 00\n"
		   "it_value: (99, 999972348)\nit_interval: (2, 500000000)\n", &fi), 0,
	       "fdinfo timerfd: parses");
	is_u64(fi.has, FDI_COMMON | FDI_TIMER, "fdinfo timerfd: has bits");
	is_int(fi.clockid, 1, "fdinfo timerfd: CLOCK_MONOTONIC");
	is_u64(fi.ticks, 0, "fdinfo timerfd: ticks");
	is_int(fi.settime_flags, 0, "fdinfo timerfd: settime flags");
	ok(fi.value_sec == 99 && fi.value_nsec == 999972348, "fdinfo timerfd: it_value");
	ok(fi.interval_sec == 2 && fi.interval_nsec == 500000000, "fdinfo timerfd: it_interval");
	fdinfo_free(&fi);

	is_int(fdi("clockid: 7\nticks: 18446744073709551615\nsettime flags: 03\n"
		   "it_value: (9223372036854775807, 0)\nit_interval: (0,1000000)", &fi), 0,
	       "fdinfo timerfd ticking: parses");
	is_int(fi.clockid, 7, "fdinfo timerfd: CLOCK_BOOTTIME_ALARM");
	is_u64(fi.ticks, UINT64_MAX, "fdinfo timerfd: ticks at the limit");
	is_int(fi.settime_flags, 03, "fdinfo timerfd: settime flags octal 03");
	is_int(fi.value_sec, INT64_MAX, "fdinfo timerfd: it_value seconds INT64_MAX");
	ok(fi.interval_sec == 0 && fi.interval_nsec == 1000000,
	   "fdinfo timerfd: it_interval without space, no trailing newline");
	fdinfo_free(&fi);

	is_int(fdi("clockid: 0\nit_value: (9223372036854775808, 0)\nit_interval: 0, 1\n"
		   "it_interval: [5, 6]\n"
		   "ticks: -1\nsettime flags: 08\n", &fi), 0, "fdinfo timerfd bad: parses");
	ok(fi.value_sec == 0 && fi.value_nsec == 0,
	   "fdinfo timerfd: it_value above INT64_MAX refused");
	ok(fi.interval_sec == 0 && fi.interval_nsec == 0,
	   "fdinfo timerfd: it_interval without parens or in brackets refused");
	is_u64(fi.ticks, 0, "fdinfo timerfd: negative ticks refused");
	is_int(fi.settime_flags, 0, "fdinfo timerfd: settime flags 08 is not octal");
	is_u64(fi.has, FDI_TIMER, "fdinfo timerfd bad: clockid 0 still seen");
	fdinfo_free(&fi);

	/* without "clockid:" the timer lines mean nothing */
	is_int(fdi("ticks: 5\nsettime flags: 01\nit_value: (1, 2)\nit_interval: (3, 4)\n", &fi), 0,
	       "fdinfo timer lines alone: parses");
	ok(fi.has == 0 && fi.ticks == 0 && fi.settime_flags == 0 && fi.value_sec == 0 &&
	   fi.interval_nsec == 0, "fdinfo timer lines without clockid ignored");
	fdinfo_free(&fi);
}

static void test_fdinfo_pidfd_tty(void)
{
	struct fdinfo fi;

	is_int(fdi("pos:\t0\nflags:\t02000002\nmnt_id:\t4\nino:\t95977\nPid:\t31049\nNSpid:\t31049\n",
		   &fi), 0, "fdinfo pidfd: parses");
	is_u64(fi.has, FDI_COMMON | FDI_PIDFD, "fdinfo pidfd: has bits");
	is_int(fi.pidfd_pid, 31049, "fdinfo pidfd: Pid");
	fdinfo_free(&fi);

	is_int(fdi("pos:\t0\nflags:\t02000002\nmnt_id:\t4\nino:\t96018\nPid:\t-1\nNSpid:\t-1\n",
		   &fi), 0, "fdinfo pidfd gone: parses");
	ok(fi.has & FDI_PIDFD, "fdinfo pidfd gone: Pid seen");
	is_int(fi.pidfd_pid, -1, "fdinfo pidfd gone: Pid -1");
	fdinfo_free(&fi);

	is_int(fdi("Pid:\t2147483648\n", &fi), 0, "fdinfo pidfd overflow: parses");
	ok(!(fi.has & FDI_PIDFD) && fi.pidfd_pid == 0, "fdinfo pidfd: Pid above INT_MAX refused");
	fdinfo_free(&fi);

	is_int(fdi("pos:\t0\nflags:\t02100002\nmnt_id:\t24\nino:\t91\ntty-index:\t0\n", &fi), 0,
	       "fdinfo ptmx: parses");
	is_u64(fi.has, FDI_COMMON | FDI_TTY, "fdinfo ptmx: has bits");
	is_int(fi.tty_index, 0, "fdinfo ptmx: tty-index 0");
	fdinfo_free(&fi);

	is_int(fdi("tty-index:\t17", &fi), 0, "fdinfo ptmx 17: parses");
	ok((fi.has & FDI_TTY) && fi.tty_index == 17, "fdinfo ptmx: tty-index 17, no newline");
	fdinfo_free(&fi);
}

static void test_fdinfo_edges(void)
{
	struct fdinfo fi;

	is_int(fdinfo_parse(hold("", 0), 0, &fi), 0, "fdinfo empty: parses");
	is_u64(fi.has, 0, "fdinfo empty: nothing seen");
	fdinfo_free(&fi);

	is_int(fdi("pos:\t18446744073709551615\nflags:\t037777777777\nmnt_id:\t-5\n"
		   "ino:\t18446744073709551615", &fi), 0, "fdinfo limits: parses");
	is_u64(fi.has, FDI_COMMON, "fdinfo limits: all four seen");
	is_u64(fi.pos, UINT64_MAX, "fdinfo limits: pos UINT64_MAX");
	is_u64(fi.flags, UINT_MAX, "fdinfo limits: flags 037777777777");
	is_int(fi.mnt_id, -5, "fdinfo limits: negative mnt_id kept");
	is_u64(fi.ino, UINT64_MAX, "fdinfo limits: ino without trailing newline");
	fdinfo_free(&fi);

	is_int(fdi("pos:\t-2\n", &fi), 0, "fdinfo negative pos: parses");
	ok((fi.has & FDI_POS) && fi.pos == UINT64_MAX - 1,
	   "fdinfo negative pos: kept as the loff_t's bits");
	fdinfo_free(&fi);

	is_int(fdi("pos:\t18446744073709551616\nflags:\t040000000000\nmnt_id:\t2147483648\n"
		   "ino:\t0x10\npos:\t\nflags:\t0800\nmnt_id:\t1 2\nino:\t-1\n", &fi), 0,
	       "fdinfo bad values: parses");
	is_u64(fi.has, 0, "fdinfo bad values: overflow, empty, bad digits all skipped");
	ok(fi.pos == 0 && fi.flags == 0 && fi.mnt_id == 0 && fi.ino == 0,
	   "fdinfo bad values: fields left 0");
	fdinfo_free(&fi);

	/* a later good line after a bad one; spaces around the value */
	is_int(fdi("pos:\tx\npos:  42  \n  ino:\t5\nPOS:\t7\npos\t9\n", &fi), 0,
	       "fdinfo mixed: parses");
	ok((fi.has & FDI_POS) && fi.pos == 42, "fdinfo mixed: value trimmed of spaces");
	ok(!(fi.has & FDI_INO), "fdinfo mixed: key with leading spaces not recognised");
	fdinfo_free(&fi);

	/* only len bytes are read: the copy ends in the middle of a number */
	const char *text = "pos:\t12345\nino:\t99\n";

	is_int(fdinfo_parse(hold(text, 7), 7, &fi), 0, "fdinfo truncated: parses");
	ok(fi.has == FDI_POS && fi.pos == 12, "fdinfo truncated: pos 12 from \"pos:\\t12\"");
	fdinfo_free(&fi);

	/* binary junk and NUL bytes around real lines */
	static const char junk[] = "\x01\xff\x00garbage\n\0\0\nmnt_id:\t33\n:\n::::\n\n\t\n";

	is_int(fdinfo_parse(hold(junk, sizeof(junk) - 1), sizeof(junk) - 1, &fi), 0,
	       "fdinfo junk: parses");
	ok(fi.has == FDI_MNT_ID && fi.mnt_id == 33, "fdinfo junk: the one real line found");
	fdinfo_free(&fi);

	static const char nul_in_value[] = "mnt_id:\t3\0004\n";

	is_int(fdinfo_parse(hold(nul_in_value, sizeof(nul_in_value) - 1), sizeof(nul_in_value) - 1,
			    &fi), 0, "fdinfo NUL in value: parses");
	ok(!(fi.has & FDI_MNT_ID), "fdinfo NUL in value: refused");
	fdinfo_free(&fi);
}

/* ---- maps -------------------------------------------------------------------- */

static void test_maps_real(void)
{
	struct map_entry e;

	is_int(maps("7f8d672ce000-7f8d672de000 rw-s 00000000 00:01 32812                      /SYSV00000000 (deleted)", &e),
	       0, "maps SysV: parses");
	is_u64(e.start, 0x7f8d672ce000ULL, "maps SysV: start");
	is_u64(e.end, 0x7f8d672de000ULL, "maps SysV: end");
	ok(e.read && e.write && !e.exec && e.shared, "maps SysV: rw-s");
	is_u64(e.offset, 0, "maps SysV: offset");
	ok(e.major == 0 && e.minor == 1, "maps SysV: dev 00:01");
	is_u64(e.inode, 32812, "maps SysV: inode is the shmid's inode, decimal");
	is_str(path_of(&e), "/SYSV00000000", "maps SysV: path without \" (deleted)\"");
	ok(e.deleted, "maps SysV: deleted");
	ok(e.path == held + 73 && e.path + e.path_len + 10 == held + held_len,
	   "maps SysV: path points into the line, before the suffix");

	is_int(maps("7f8d67392000-7f8d67393000 r--s 00000000 00:01 32813                      /SYSV1234abcd (deleted)\n", &e),
	       0, "maps SysV read-only: parses with its newline");
	ok(e.read && !e.write && !e.exec && e.shared, "maps SysV read-only: r--s");
	is_str(path_of(&e), "/SYSV1234abcd", "maps SysV read-only: path, newline not in it");

	is_int(maps("7f8d67199000-7f8d672cc000 rw-p 00000000 00:00 0 ", &e), 0,
	       "maps anonymous: parses (kernel's trailing space)");
	ok(e.path == NULL && e.path_len == 0 && !e.deleted, "maps anonymous: no path");
	ok(!e.shared && e.write, "maps anonymous: private writable");
	is_u64(e.inode, 0, "maps anonymous: inode 0");

	is_int(maps("7f8d67199000-7f8d672cc000 rw-p 00000000 00:00 0", &e), 0,
	       "maps anonymous without trailing space: parses");
	ok(e.path == NULL, "maps anonymous without trailing space: no path");

	is_int(maps("558767039000-55876720c000 rw-p 00000000 00:00 0                          [heap]", &e),
	       0, "maps heap: parses");
	is_str(path_of(&e), "[heap]", "maps heap: pseudo-path returned as is");
	ok(!e.deleted, "maps heap: not deleted");

	is_int(maps("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", &e),
	       0, "maps vsyscall: parses");
	ok(e.start == 0xffffffffff600000ULL && e.end == 0xffffffffff601000ULL,
	   "maps vsyscall: 16-digit addresses");
	ok(!e.read && !e.write && e.exec && !e.shared, "maps vsyscall: --xp");

	is_int(maps("5624b1235000-5624b123b000 r-xp 00002000 fe:00 247498                     /usr/bin/head", &e),
	       0, "maps binary: parses");
	is_u64(e.offset, 0x2000, "maps binary: offset is hexadecimal");
	ok(e.major == 0xfe && e.minor == 0, "maps binary: dev fe:00");
	is_u64(e.inode, 247498, "maps binary: inode");

	is_int(maps("7fde625ba000-7fde625bb000 rw-s 00000000 00:01 1080                       /memfd:my memfd (deleted)", &e),
	       0, "maps memfd: parses");
	is_str(path_of(&e), "/memfd:my memfd", "maps memfd: name with a space");
	ok(e.deleted, "maps memfd: deleted");

	is_int(maps("7fc9972e7000-7fc9972e8000 rw-p 00000000 fe:00 10953069                   /tmp/pp/spaced name ", &e),
	       0, "maps trailing space in name: parses");
	is_str(path_of(&e), "/tmp/pp/spaced name ", "maps trailing space in name: kept");

	is_int(maps("7fc9972e8000-7fc9972ea000 rw-s 00000000 fe:00 10953068                   /tmp/pp/a file\\012with newline (deleted)", &e),
	       0, "maps escaped newline: parses");
	is_str(path_of(&e), "/tmp/pp/a file\\012with newline", "maps escaped newline: \\012 left raw");
	ok(e.deleted, "maps escaped newline: deleted");

	is_int(maps("7f00a000-7f00b000 rw-s 00000000 00:05 3                          /dev/zero (deleted)", &e),
	       0, "maps shared anonymous: parses");
	is_str(path_of(&e), "/dev/zero", "maps shared anonymous: /dev/zero");
	ok(e.deleted && e.shared, "maps shared anonymous: deleted and shared");
}

static void test_maps_edges(void)
{
	struct map_entry e;

	is_int(maps("00400000-00452000 r-xp 00000000 08:02 173521      /x (deleted) (deleted)", &e), 0,
	       "maps double suffix: parses");
	is_str(path_of(&e), "/x (deleted)", "maps double suffix: only one removed");
	is_int(maps("00400000-00452000 r-xp 00000000 08:02 173521      /x(deleted)", &e), 0,
	       "maps glued suffix: parses");
	ok(!e.deleted, "maps glued suffix: not deleted");
	is_str(path_of(&e), "/x(deleted)", "maps glued suffix: path whole");
	is_int(maps("00400000-00452000 r-xp 00000000 08:02 173521 (deleted)", &e), 0,
	       "maps bare (deleted): parses");
	ok(!e.deleted, "maps bare (deleted): is the name itself");
	is_str(path_of(&e), "(deleted)", "maps bare (deleted): path");

	is_int(maps("0-1 ---p 0 103:1a5 18446744073709551615 [anon:my region]", &e), 0,
	       "maps short fields: parses");
	ok(e.start == 0 && e.end == 1 && e.offset == 0, "maps short fields: numbers");
	ok(e.major == 0x103 && e.minor == 0x1a5, "maps: major and minor above 0xff");
	is_u64(e.inode, UINT64_MAX, "maps: inode UINT64_MAX");
	is_str(path_of(&e), "[anon:my region]", "maps: named anonymous mapping");

	is_int(maps("00400000-00452000 r-xp 00000000 08:02 173521    /bin/sh\n", &e), 0,
	       "maps one trailing newline: parses");
	is_str(path_of(&e), "/bin/sh", "maps one trailing newline: not in the path");

	static const char *bad[] = {
		"",
		" ",
		"00400000-00452000",
		"00400000-00452000 r-xp 00000000 08:02",           /* no inode */
		"00400000-00452000 r-xp 00000000 08:02 ",
		"00400000 r-xp 00000000 08:02 173521 /bin/sh",      /* no dash */
		"00400000-00452000 rwxq 00000000 08:02 173521",
		"00400000-00452000 rwx 00000000 08:02 173521",
		"00400000-00452000 rwxpp 00000000 08:02 173521",
		"00400000-00452000 Rwxp 00000000 08:02 173521",
		"0040000g-00452000 r-xp 00000000 08:02 173521",
		"-00452000 r-xp 00000000 08:02 173521",
		"00400000- r-xp 00000000 08:02 173521",
		"10000000000000000-1 r-xp 00000000 08:02 173521",   /* 17 hex digits */
		"00400000-00452000 r-xp 10000000000000000 08:02 173521",
		"00400000-00452000 r-xp 00000000 0802 173521",
		"00400000-00452000 r-xp 00000000 :02 173521",
		"00400000-00452000 r-xp 00000000 08: 173521",
		"00400000-00452000 r-xp 00000000 100000000:02 173521",
		"00400000-00452000 r-xp 00000000 08:02 17352a",
		"00400000-00452000 r-xp 00000000 08:02 -1",
		"00400000-00452000 r-xp 00000000 08:02 18446744073709551616",
		"00400000-00452000\tr-xp 00000000 08:02 173521",
		"00400000-00452000 r-xp 00000000 08:02 173521 /a\nb",
		"00400000-00452000 r-xp 00000000 08:02 173521 /a\n\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(maps(bad[i], &e), -1, "maps malformed line %zu fails", i);

	static const char nul[] = "00400000-00452000 r-xp 00000000 08:02 173521 /a\0b";

	is_int(maps_parse_line(hold(nul, sizeof(nul) - 1), sizeof(nul) - 1, &e), -1,
	       "maps NUL in path fails");

	/* only len bytes: cut in the middle of the path, then of the inode */
	const char *line = "00400000-00452000 r-xp 00000000 08:02 173521    /usr/lib/libc.so.6";

	is_int(maps_parse_line(hold(line, 52), 52, &e), 0, "maps cut in the path: parses");
	is_str(path_of(&e), "/usr", "maps cut in the path: path ends at len");
	is_int(maps_parse_line(hold(line, 41), 41, &e), 0, "maps cut in the inode: parses");
	ok(e.inode == 173 && e.path == NULL, "maps cut in the inode: inode 173, no path");
}

/* Classify a maps line; the name it gives as a string. */
static enum map_class classify(const char *line, char *name, size_t size)
{
	struct map_entry e;
	const char *n;
	size_t len;

	if (maps(line, &e) < 0)
		return (enum map_class)-1;
	enum map_class c = maps_classify(&e, &n, &len);

	snprintf(name, size, "%.*s", (int)len, n);
	return c;
}

static void test_maps_classify(void)
{
	char name[128];

	/* lines read on Linux 6.18 */
	is_int(classify("7f8d672ce000-7f8d672de000 rw-s 00000000 00:01 0                          /SYSV00000000 (deleted)", name, sizeof(name)),
	       MAPC_SYSV, "classify: SysV segment, shmid 0");
	is_int(classify("7f45c35bb000-7f45c35bc000 rw-s 00000000 00:01 1285                       /memfd:my memfd (deleted)", name, sizeof(name)),
	       MAPC_MEMFD, "classify: memfd");
	is_str(name, "my memfd", "classify: memfd name without \"memfd:\"");
	is_int(classify("7f45c35bb000-7f45c35bc000 r--p 00000000 00:01 1285                       /memfd:x (deleted)", name, sizeof(name)),
	       MAPC_MEMFD, "classify: memfd mapped private is still the memfd");
	is_int(classify("7f45c35bc000-7f45c35be000 rw-s 00000000 00:01 1284                       /dev/zero (deleted)", name, sizeof(name)),
	       MAPC_SHARED_ANON, "classify: shared anonymous");
	is_str(name, "", "classify: shared anonymous has no name");
	is_int(classify("7f45c35bc000-7f45c35be000 rw-s 00000000 00:01 1284                       [anon_shmem:ring]", name, sizeof(name)),
	       MAPC_SHARED_ANON, "classify: named shared anonymous");
	is_str(name, "ring", "classify: its name");
	is_int(classify("7f45c29a9000-7f45c29ab000 rw-s 00000000 fe:00 10953244                   /tmp/shf", name, sizeof(name)),
	       MAPC_SHARED_FILE, "classify: shared file");
	is_str(name, "/tmp/shf", "classify: its path");
	is_int(classify("7f45c29a9000-7f45c29ab000 rw-s 00000000 fe:00 10953244                   /tmp/shf (deleted)", name, sizeof(name)),
	       MAPC_SHARED_FILE, "classify: deleted shared file");
	is_str(name, "/tmp/shf", "classify: its path without the suffix");

	static const char *other[] = {
		"7f45c29a9000-7f45c29ab000 rw-p 00000000 fe:00 10953244                   /tmp/shf",
		"5624b1235000-5624b123b000 r-xp 00002000 fe:00 247498                     /usr/bin/head",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 00:00 0 ",
		"7f8d67199000-7f8d672cc000 rw-p 00000000 00:01 1284                       /dev/zero (deleted)",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 00:10 4711                       /i915 (deleted)",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 00:10 4711                       /dmabuf: (deleted)",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 00:0f 1                          anon_inode:[io_uring]",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 00:00 0                          [anon_shmem:x]",
		"7f8d67199000-7f8d672cc000 rw-s 00000000 08:01 12                         [heap]",
	};

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		is_int(classify(other[i], name, sizeof(name)), MAPC_OTHER, "classify: other mapping %zu", i);
	/* a file on a disk named like the kernel's own is a file */
	is_int(classify("7f45c35bb000-7f45c35bc000 rw-s 00000000 08:01 1285                       /memfd:x (deleted)", name, sizeof(name)),
	       MAPC_SHARED_FILE, "classify: /memfd: on a disk is a shared file");
	is_int(classify("7f45c35bb000-7f45c35bc000 rw-s 00000000 08:01 1285                       /dev/zero (deleted)", name, sizeof(name)),
	       MAPC_SHARED_FILE, "classify: /dev/zero on a disk is a shared file");
	is_int(classify("7f8d67199000-7f8d672cc000 rw-s 00000000 08:01 12                         /SYSV00000000 (deleted)", name, sizeof(name)),
	       MAPC_SHARED_FILE, "classify: /SYSV on a disk is a shared file");
}

static void test_memfd_pty(void)
{
	const char *n;
	size_t len;
	const char *link = "/memfd:my memfd (deleted)";

	is_int(memfd_link_name(link, strlen(link), &n, &len), 0, "memfd link: recognised");
	ok(len == 8 && memcmp(n, "my memfd", 8) == 0, "memfd link: name");
	link = "/memfd: (deleted)";
	is_int(memfd_link_name(link, strlen(link), &n, &len), 0, "memfd link, empty name: recognised");
	is_int((int)len, 0, "memfd link, empty name: empty");
	link = "/memfd:x";
	is_int(memfd_link_name(link, strlen(link), &n, &len), -1, "memfd link without (deleted): refused");
	link = "/tmp/memfd:x (deleted)";
	is_int(memfd_link_name(link, strlen(link), &n, &len), -1, "memfd link elsewhere: refused");
	link = "/memfd:x (deleted)";
	is_int(memfd_link_name(link, 10, &n, &len), -1, "memfd link cut at len: refused");

	is_int(pty_slave_index(136, 0), 0, "pty: 136:0 is pts/0");
	is_int(pty_slave_index(136, 255), 255, "pty: 136:255 is pts/255");
	is_int(pty_slave_index(137, 3), 259, "pty: 137:3 is pts/259");
	is_int(pty_slave_index(143, 255), 2047, "pty: 143:255 is pts/2047");
	is_int(pty_slave_index(135, 0), -1, "pty: 135 is not a slave");
	is_int(pty_slave_index(144, 0), -1, "pty: 144 is not a slave");
	is_int(pty_slave_index(5, 2), -1, "pty: /dev/ptmx is not a slave");
	is_int(pty_slave_index(136, 256), -1, "pty: minor above 255 refused");
}

/* ---- status -------------------------------------------------------------------- */

static const char status_sample[] =
	"Name:\tpython3\nUmask:\t0022\nState:\tR (running)\nTgid:\t31049\nNgid:\t0\n"
	"Pid:\t31049\nPPid:\t31047\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
	"FDSize:\t256\nGroups:\t \nNStgid:\t31049\nVmPeak:\t   18368 kB\nThreads:\t1\n"
	"SigQ:\t0/96365\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000000000000\nSigIgn:\t0000000001001000\nSigCgt:\t0000000000000002\n"
	"CapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\n"
	"Cpus_allowed_list:\t0-1\nvoluntary_ctxt_switches:\t40\n";

#define ST_ALL (ST_SIGQ | ST_SIGPND | ST_SHDPND | ST_SIGBLK | ST_SIGIGN | ST_SIGCGT | ST_UID)

static void test_status(void)
{
	struct proc_status st;

	is_int(status(status_sample, &st), 0, "status: parses");
	is_u64(st.has, ST_ALL, "status: all signal lines and Uid seen");
	ok(st.sigq_queued == 0 && st.sigq_limit == 96365, "status: SigQ 0/96365");
	is_u64(st.sigpnd, 0, "status: SigPnd");
	is_u64(st.sigign, 0x1001000, "status: SigIgn (SIGPIPE, SIGXFSZ)");
	ok(st.sigign & (1u << (13 - 1)), "status: SIGPIPE ignored is bit 12");
	is_u64(st.sigcgt, 2, "status: SigCgt (SIGINT)");
	ok(st.uid[0] == 0 && st.uid[1] == 0 && st.uid[2] == 0 && st.uid[3] == 0, "status: Uid root");

	is_int(status("SigQ:\t3/4294967296\nSigPnd:\t8000000000000000\nShdPnd:\t0000000000000100\n"
		      "SigBlk:\tfffffffffffffffe\nUid:\t1000\t1001\t1002\t4294967295", &st), 0,
	       "status values: parses");
	ok(st.sigq_queued == 3 && st.sigq_limit == 4294967296ULL, "status values: SigQ large limit");
	is_u64(st.sigpnd, 1ULL << 63, "status values: signal 64 pending");
	is_u64(st.shdpnd, 0x100, "status values: SIGKILL shared pending");
	is_u64(st.sigblk, UINT64_MAX - 1, "status values: SigBlk");
	ok(st.uid[0] == 1000 && st.uid[1] == 1001 && st.uid[2] == 1002 && st.uid[3] == UINT_MAX,
	   "status values: four uids, last without newline");
	is_u64(st.has, ST_SIGQ | ST_SIGPND | ST_SHDPND | ST_SIGBLK | ST_UID,
	       "status values: only the lines present");
	is_u64(st.sigign | st.sigcgt, 0, "status values: absent masks zero");

	is_int(status("SigIgn:\t00000000000000000000000000001000\n", &st), 0,
	       "status MIPS mask: parses");
	ok((st.has & ST_SIGIGN) && st.sigign == 0x1000, "status MIPS mask: low 64 bits");

	is_int(status("SigQ:\t5\nSigQ:\t/5\nSigQ:\t5/\nSigQ:\t-1/5\nUid:\t1\t2\t3\n"
		      "Uid:\t1\t2\t3\t4\t5\nUid:\t1\t2\t3\t4294967296\nSigPnd:\tzz\nShdPnd:\t\n"
		      "SigBlk:\t00000000000000001\nSigCgt:\t0x1\n", &st), 0,
	       "status malformed: parses");
	ok(!(st.has & ST_SIGQ) && st.sigq_queued == 0 && st.sigq_limit == 0,
	   "status malformed: SigQ without both numbers refused");
	ok(!(st.has & ST_UID) && st.uid[0] == 0,
	   "status malformed: three, five, overflowing uids refused");
	ok((st.has & ST_SIGBLK) && st.sigblk == 1,
	   "status: 17-digit mask is a 128-signal mask's tail");
	is_u64(st.has, ST_SIGBLK, "status malformed: nothing else seen");

	is_int(status_parse(hold("", 0), 0, &st), 0, "status empty: parses");
	is_u64(st.has, 0, "status empty: nothing seen");

	/* only len bytes: the Uid line is cut to three values */
	const char *text = "SigQ:\t1/2\nUid:\t1\t2\t3\t4\n";
	size_t cut = strlen(text) - 3;

	is_int(status_parse(hold(text, cut), cut, &st), 0, "status truncated: parses");
	ok(st.has == ST_SIGQ, "status truncated: cut Uid line not taken");
}

/* ---- /proc/locks -------------------------------------------------------------- */

static void test_locks_real(void)
{
	struct lock_entry l;

	is_int(locks("1: FLOCK  ADVISORY  READ 31834 fe:00:10953072 0 EOF", &l), 0,
	       "locks flock: parses");
	is_int(l.num, 1, "locks flock: number");
	ok(!l.waiter, "locks flock: not a waiter");
	is_str(l.type, "FLOCK", "locks flock: type");
	ok(!l.mandatory, "locks flock: advisory");
	is_str(l.access, "READ", "locks flock: access");
	is_int(l.pid, 31834, "locks flock: pid");
	ok(l.major == 0xfe && l.minor == 0, "locks flock: dev fe:00 hexadecimal");
	is_u64(l.inode, 10953072, "locks flock: inode decimal");
	ok(l.start == 0 && l.end == UINT64_MAX, "locks flock: 0 to EOF");

	is_int(locks("2: OFDLCK ADVISORY  READ -1 fe:00:10953071 0 EOF", &l), 0,
	       "locks OFD: parses");
	is_str(l.type, "OFDLCK", "locks OFD: type");
	is_int(l.pid, -1, "locks OFD: pid -1 kept");

	is_int(locks("3: POSIX  ADVISORY  WRITE 31875 fe:00:10953070 0 9", &l), 0,
	       "locks POSIX range: parses");
	ok(l.start == 0 && l.end == 9, "locks POSIX range: 0 to 9");
	is_str(l.access, "WRITE", "locks POSIX range: WRITE");

	is_int(locks("3: -> POSIX  ADVISORY  WRITE 31876 fe:00:10953070 2 6\n", &l), 0,
	       "locks waiter: parses with its newline");
	ok(l.waiter && l.num == 3, "locks waiter: waiting for lock 3");
	is_str(l.type, "POSIX", "locks waiter: type after the arrow");
	ok(l.pid == 31876 && l.start == 2 && l.end == 6, "locks waiter: pid and range");

	is_int(locks("3:  -> FLOCK  ADVISORY  WRITE 31877 fe:00:10953070 0 EOF", &l), 0,
	       "locks nested waiter: parses");
	ok(l.waiter && strcmp(l.type, "FLOCK") == 0, "locks nested waiter: indented arrow");
}

static void test_locks_kinds(void)
{
	struct lock_entry l;

	is_int(locks("4: LEASE  ACTIVE    READ 1234 08:01:99 0 EOF", &l), 0, "locks lease: parses");
	ok(strcmp(l.type, "LEASE") == 0 && !l.mandatory && strcmp(l.access, "READ") == 0,
	   "locks lease: type and access");
	is_int(locks("5: LEASE  BREAKER   UNLCK 1234 <none>:0 0 EOF", &l), 0,
	       "locks lease breaker: parses");
	ok(l.major == 0 && l.minor == 0 && l.inode == 0, "locks lease breaker: no inode is 00:00:0");
	is_str(l.access, "UNLCK", "locks lease breaker: UNLCK");
	is_int(locks("6: DELEG  BREAKING  READ 0 00:2f:1234 0 EOF", &l), 0, "locks delegation: parses");
	ok(strcmp(l.type, "DELEG") == 0 && l.pid == 0 && l.minor == 0x2f, "locks delegation: fields");
	is_int(locks("7: POSIX  MANDATORY WRITE 99 08:01:5678 0 EOF", &l), 0,
	       "locks mandatory (before 5.15): parses");
	ok(l.mandatory, "locks mandatory: flagged");
	is_int(locks("8: ACCESS *NOINODE* READ 1 <none>:0 0 EOF", &l), 0, "locks *NOINODE*: parses");
	is_str(l.type, "ACCESS", "locks *NOINODE*: ACCESS type");
	is_int(locks("9: UNKNOWN UNKNOWN  RW 1 103:1a5:7 0 EOF", &l), 0, "locks unknown: parses");
	ok(l.major == 0x103 && l.minor == 0x1a5 && l.inode == 7,
	   "locks: major and minor above 0xff");
	is_str(l.access, "RW", "locks: old RW access");
	is_int(locks("4294967295: POSIX  ADVISORY  WRITE 2147483647 fff:fffff:18446744073709551615 "
		     "9223372036854775806 9223372036854775807", &l), 0, "locks limits: parses");
	ok(l.num == UINT_MAX && l.pid == INT_MAX && l.minor == 0xfffff && l.inode == UINT64_MAX,
	   "locks limits: number, pid, minor, inode");
	ok(l.start == INT64_MAX - 1 && l.end == INT64_MAX, "locks limits: offsets up to INT64_MAX");
	is_int(locks("1: ABCDEFGHIJK ADVISORY WRITE 1 08:01:2 0 EOF", &l), 0,
	       "locks 11-letter type: parses");
	is_str(l.type, "ABCDEFGHIJK", "locks 11-letter type: fits with its NUL");
	is_int(locks("1: POSIX ADVISORY ABCDEFG 1 08:01:2 0 EOF", &l), 0,
	       "locks 7-letter access: parses");
	is_str(l.access, "ABCDEFG", "locks 7-letter access: fits with its NUL");
}

static void test_locks_bad(void)
{
	struct lock_entry l;
	static const char *bad[] = {
		"",
		"1:",
		"1: ->",
		"1 POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",          /* no colon */
		": POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"-1: POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"4294967296: POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0",             /* no end */
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF x",       /* extra */
		"1: posix  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"1: ABCDEFGHIJKL ADVISORY WRITE 1 08:01:2 0 EOF",    /* type of 12 */
		"1: POSIX  ADVISORY  ABCDEFGH 1 08:01:2 0 EOF",      /* access of 8 */
		"1: POSIX  advisory  WRITE 1 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WR1TE 1 08:01:2 0 EOF",
		"1: PO\x1bSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE x 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 2147483648 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE -2147483649 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 0801:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:0g:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2a 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2:3 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 <none>:1 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 -1 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0 -1",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0 9223372036854775808",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 9223372036854775808 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0 eof",
		"1:\tPOSIX\tADVISORY\tWRITE 1 08:01:2 0 EOF",
		"1: -> -> POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF\n\n",
		"1: POSIX  ADVISORY  WRITE 1\n08:01:2 0 EOF",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(locks(bad[i], &l), -1, "locks malformed line %zu fails", i);

	/* only len bytes: "EOF" cut to "EO" */
	const char *line = "1: POSIX  ADVISORY  WRITE 1 08:01:2 0 EOF";
	size_t cut = strlen(line) - 1;

	is_int(locks_parse_line(hold(line, cut), cut, &l), -1, "locks cut in EOF fails");
	cut = strlen(line) - 4;
	is_int(locks_parse_line(hold(line, cut), cut, &l), -1, "locks cut before EOF fails");
}

static void test_mountinfo(void)
{
	unsigned int ma = 0, mi = 0;
	char point[64];

	const char *root = "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n";

	is_int(mountinfo_parse_line(root, strlen(root), &ma, &mi, point, sizeof(point)), 0,
	       "mountinfo: the root");
	ok(ma == 254 && mi == 0 && strcmp(point, "/") == 0, "mountinfo: 254:0 on /");
	const char *sp = "36 35 0:26 /sub /mnt/a\\040b\\012c\\134 rw - tmpfs tmpfs rw";

	is_int(mountinfo_parse_line(sp, strlen(sp), &ma, &mi, point, sizeof(point)), 0,
	       "mountinfo: an escaped mount point");
	ok(ma == 0 && mi == 26 && strcmp(point, "/mnt/a b\nc\\") == 0,
	   "mountinfo: \\040, \\012 and \\134 decoded");
	is_int(mountinfo_parse_line(sp, strlen(sp), &ma, &mi, point, 8), -1,
	       "mountinfo: a mount point too long for the buffer refused");
	static const char *const bad[] = {
		"", "26 1", "26 1 254 / /", "26 1 x:0 / /", "26 1 254:x / /", "26 1 4096:0 / /",
		"26 1 1:1048576 / /", "26 1 254:0 / relative",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(mountinfo_parse_line(bad[i], strlen(bad[i]), &ma, &mi, point, sizeof(point)), -1,
		       "mountinfo: malformed line %zu refused", i);
	is_int(mountinfo_parse_line(NULL, 0, &ma, &mi, point, sizeof(point)), -1, "mountinfo: NULL refused");
}

/* ---- cgroup_container ---------------------------------------------------- */

#define CID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void container_is(const char *cg, const char *want, const char *what)
{
	char out[96];
	int rc = cgroup_container(cg, strlen(cg), out, sizeof(out));

	if (want) {
		ok(rc == 0, "cgroup_container: %s: found", what);
		is_str(out, want, "cgroup_container: %s", what);
	} else {
		ok(rc < 0 && out[0] == '\0', "cgroup_container: %s: none", what);
	}
}

static void test_cgroup(void)
{
	container_is("0::/system.slice/docker-" CID ".scope\n", "docker:0123456789ab", "docker, systemd driver");
	container_is("12:pids:/docker/" CID "\n11:memory:/docker/" CID "\n", "docker:0123456789ab",
		     "docker, cgroup v1");
	container_is("0::/machine.slice/libpod-" CID ".scope/container\n", "podman:0123456789ab",
		     "podman, the innermost that names one");
	container_is("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CID ".scope\n",
		     "podman:0123456789ab", "rootless podman");
	container_is("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice/"
		     "cri-containerd-" CID ".scope\n", "kubepods:0123456789ab", "kubernetes with containerd");
	container_is("0::/kubepods/besteffort/pod1234-5678/" CID "\n", "kubepods:0123456789ab",
		     "kubernetes, cgroupfs driver");
	container_is("0::/system.slice/cri-containerd-" CID ".scope\n", "containerd:0123456789ab", "containerd");
	container_is("0::/machine.slice/crio-" CID ".scope\n", "crio:0123456789ab", "cri-o");
	container_is("0::/machine.slice/machine-web1.scope/payload\n", "nspawn:web1", "nspawn machine scope");
	container_is("0::/machine.slice/systemd-nspawn@db.service/payload\n", "nspawn:db", "nspawn service");
	container_is("0::/lxc/box\n", "lxc:box", "lxc");
	container_is("0::/init.scope\n", NULL, "the host's init");
	container_is("0::/user.slice/user-1000.slice/session-3.scope\n", NULL, "a login session");
	container_is("0::/system.slice/docker.service\n", NULL, "the docker daemon itself");
	container_is("0::/system.slice/docker-0123.scope\n", NULL, "a short id is not a container id");
	container_is("0::/system.slice/docker-" CID "x.scope\n", NULL, "65 characters");
	container_is("0::/system.slice/docker-" CID ".scope", "docker:0123456789ab", "no final newline");
	container_is("garbage\n::\n0:\n", NULL, "malformed lines");
	container_is("", NULL, "empty");
	container_is("0::/a:b/docker-" CID ".scope\n", "docker:0123456789ab", "a colon in the path");

	char small[8];

	ok(cgroup_container("0::/lxc/averylongname\n", 21, small, sizeof(small)) == 0 &&
	   strcmp(small, "lxc:ave") == 0, "cgroup_container: truncated to the buffer");
}

int main(void)
{
	test_mountinfo();
	test_cgroup();
	test_fdinfo_regular();
	test_fdinfo_eventfd();
	test_fdinfo_epoll();
	test_fdinfo_inotify();
	test_fdinfo_signalfd();
	test_fdinfo_timerfd();
	test_fdinfo_pidfd_tty();
	test_fdinfo_edges();
	test_maps_real();
	test_maps_edges();
	test_maps_classify();
	test_memfd_pty();
	test_status();
	test_locks_real();
	test_locks_kinds();
	test_locks_bad();
	free(held);
	return tap_done();
}
