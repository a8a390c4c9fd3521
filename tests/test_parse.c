/* Unit tests of the pure parsers: src/parse.h (kernel text) and src/options.h
 * (command-line values). TAP on stdout. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "parse.h"
#include "snapshot.h"
#include "tap.h"

#define BIT(f) (1u << (f))

/* ---- parse_u64 / parse_i64 ------------------------------------------------ */

static int u64(const char *s, int base, uint64_t *out)
{
	return parse_u64(s, strlen(s), base, out);
}

static int i64(const char *s, int64_t *out)
{
	return parse_i64(s, strlen(s), out);
}

static void test_parse_u64(void)
{
	uint64_t v;

	v = 1;
	ok(u64("0", 10, &v) == 0 && v == 0, "parse_u64: \"0\"");
	ok(u64("42", 10, &v) == 0 && v == 42, "parse_u64: \"42\"");
	ok(u64("0007", 10, &v) == 0 && v == 7, "parse_u64: leading zeros");
	ok(u64("18446744073709551615", 10, &v) == 0 && v == UINT64_MAX,
	   "parse_u64: UINT64_MAX");
	is_int(u64("18446744073709551616", 10, &v), -1, "parse_u64: UINT64_MAX+1 fails");
	is_int(u64("99999999999999999999", 10, &v), -1, "parse_u64: 20 nines overflow");
	is_int(u64("184467440737095516150", 10, &v), -1, "parse_u64: UINT64_MAX*10 fails");
	is_int(parse_u64("", 0, 10, &v), -1, "parse_u64: empty fails");
	is_int(u64("12a", 10, &v), -1, "parse_u64: \"12a\" fails");
	is_int(u64("a12", 10, &v), -1, "parse_u64: \"a12\" fails");
	is_int(u64("-1", 10, &v), -1, "parse_u64: sign \"-1\" fails");
	is_int(u64("+1", 10, &v), -1, "parse_u64: sign \"+1\" fails");
	is_int(u64(" 1", 10, &v), -1, "parse_u64: leading space fails");
	is_int(u64("1 ", 10, &v), -1, "parse_u64: trailing space fails");
	ok(parse_u64("123456", 3, 10, &v) == 0 && v == 123, "parse_u64: only len bytes read");
	is_int(parse_u64("1\0" "2", 3, 10, &v), -1, "parse_u64: embedded NUL fails");

	ok(u64("1600", 8, &v) == 0 && v == 01600, "parse_u64: base 8 \"1600\" is 01600");
	ok(u64("777", 8, &v) == 0 && v == 0777, "parse_u64: base 8 \"777\"");
	is_int(u64("8", 8, &v), -1, "parse_u64: base 8 rejects 8");
	is_int(u64("649", 8, &v), -1, "parse_u64: base 8 rejects 9");
	ok(u64("1777777777777777777777", 8, &v) == 0 && v == UINT64_MAX,
	   "parse_u64: base 8 UINT64_MAX");
	is_int(u64("2000000000000000000000", 8, &v), -1, "parse_u64: base 8 UINT64_MAX+1 fails");

	ok(u64("ff", 16, &v) == 0 && v == 255, "parse_u64: base 16 \"ff\"");
	ok(u64("DeadBeef", 16, &v) == 0 && v == 0xdeadbeef, "parse_u64: base 16 mixed case");
	ok(u64("ffffffffffffffff", 16, &v) == 0 && v == UINT64_MAX, "parse_u64: base 16 UINT64_MAX");
	is_int(u64("10000000000000000", 16, &v), -1, "parse_u64: base 16 UINT64_MAX+1 fails");
	is_int(u64("0x10", 16, &v), -1, "parse_u64: base 16 rejects 0x prefix");
	is_int(u64("fg", 16, &v), -1, "parse_u64: base 16 rejects g");
	is_int(u64("ff", 10, &v), -1, "parse_u64: base 10 rejects hex digits");
}

static void test_parse_i64(void)
{
	int64_t v;

	ok(i64("0", &v) == 0 && v == 0, "parse_i64: \"0\"");
	ok(i64("-0", &v) == 0 && v == 0, "parse_i64: \"-0\"");
	ok(i64("123", &v) == 0 && v == 123, "parse_i64: \"123\"");
	ok(i64("-559038737", &v) == 0 && v == -559038737, "parse_i64: \"-559038737\"");
	ok(i64("9223372036854775807", &v) == 0 && v == INT64_MAX, "parse_i64: INT64_MAX");
	is_int(i64("9223372036854775808", &v), -1, "parse_i64: INT64_MAX+1 fails");
	ok(i64("-9223372036854775808", &v) == 0 && v == INT64_MIN, "parse_i64: INT64_MIN");
	is_int(i64("-9223372036854775809", &v), -1, "parse_i64: INT64_MIN-1 fails");
	is_int(i64("-18446744073709551616", &v), -1, "parse_i64: -2^64 fails");
	is_int(i64("-", &v), -1, "parse_i64: \"-\" fails");
	is_int(i64("+", &v), -1, "parse_i64: \"+\" fails");
	is_int(parse_i64("", 0, &v), -1, "parse_i64: empty fails");
	is_int(i64("12a", &v), -1, "parse_i64: \"12a\" fails");
	is_int(i64("--1", &v), -1, "parse_i64: \"--1\" fails");
	is_int(i64("- 1", &v), -1, "parse_i64: \"- 1\" fails");
	is_int(i64("1-", &v), -1, "parse_i64: \"1-\" fails");
	ok(parse_i64("-12345", 3, &v) == 0 && v == -12, "parse_i64: only len bytes read");
}

/* ---- sysv_parse ----------------------------------------------------------- */

#define MSG_HEADER "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
#define SHM_HEADER "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
#define SHM_HEADER_OLD "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"
#define SEM_HEADER "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"

#define MSG_FIELDS (BIT(SF_KEY) | BIT(SF_ID) | BIT(SF_PERMS) | BIT(SF_CBYTES) | BIT(SF_QNUM) | \
		    BIT(SF_LSPID) | BIT(SF_LRPID) | BIT(SF_UID) | BIT(SF_GID) | BIT(SF_CUID) | \
		    BIT(SF_CGID) | BIT(SF_STIME) | BIT(SF_RTIME) | BIT(SF_CTIME))
#define SHM_FIELDS_OLD (BIT(SF_KEY) | BIT(SF_ID) | BIT(SF_PERMS) | BIT(SF_SIZE) | BIT(SF_CPID) | \
			BIT(SF_LPID) | BIT(SF_NATTCH) | BIT(SF_UID) | BIT(SF_GID) | BIT(SF_CUID) | \
			BIT(SF_CGID) | BIT(SF_ATIME) | BIT(SF_DTIME) | BIT(SF_CTIME))
#define SHM_FIELDS (SHM_FIELDS_OLD | BIT(SF_RSS) | BIT(SF_SWAP))
#define SEM_FIELDS (BIT(SF_KEY) | BIT(SF_ID) | BIT(SF_PERMS) | BIT(SF_NSEMS) | BIT(SF_UID) | \
		    BIT(SF_GID) | BIT(SF_CUID) | BIT(SF_CGID) | BIT(SF_OTIME) | BIT(SF_CTIME))

static int sysv(const char *text, struct sysv_table *t)
{
	return sysv_parse(text, strlen(text), t);
}

static void test_sysv_msg(void)
{
	struct sysv_table t;
	const char *text = MSG_HEADER
		"1234567890          5   640          300          3  5056     0     0     0     0     0 1795266394          0 1795266394\n"
		"-559038737      32769   600            0          0     0     0  1000  1001  1002  1003          0 1700000001 1700000000\n";

	is_int(sysv(text, &t), 0, "sysv msg: parses");
	is_int(t.nrec, 2, "sysv msg: two records");
	is_int(t.bad_lines, 0, "sysv msg: no bad lines");
	if (t.nrec == 2) {
		const struct sysv_record *r = &t.rec[0];

		is_int(r->key, 1234567890, "sysv msg: key");
		is_u64(r->v[SF_ID], 5, "sysv msg: msqid");
		is_u64(r->v[SF_PERMS], 0640, "sysv msg: perms are octal");
		is_u64(r->v[SF_CBYTES], 300, "sysv msg: cbytes");
		is_u64(r->v[SF_QNUM], 3, "sysv msg: qnum");
		is_u64(r->v[SF_LSPID], 5056, "sysv msg: lspid");
		is_u64(r->v[SF_LRPID], 0, "sysv msg: lrpid");
		is_u64(r->v[SF_STIME], 1795266394, "sysv msg: stime");
		is_u64(r->v[SF_RTIME], 0, "sysv msg: rtime");
		is_u64(r->v[SF_CTIME], 1795266394, "sysv msg: ctime");
		is_u64(r->has, MSG_FIELDS, "sysv msg: has bits are the msg columns");
		is_u64(r->v[SF_SIZE] | r->v[SF_NSEMS] | r->v[SF_RSS], 0, "sysv msg: other fields zero");

		r = &t.rec[1];
		is_int(r->key, -559038737, "sysv msg: negative key");
		is_u64(r->v[SF_ID], 32769, "sysv msg: second msqid");
		is_u64(r->v[SF_PERMS], 0600, "sysv msg: second perms");
		ok(r->v[SF_UID] == 1000 && r->v[SF_GID] == 1001 &&
		   r->v[SF_CUID] == 1002 && r->v[SF_CGID] == 1003, "sysv msg: uid gid cuid cgid");
		is_u64(r->v[SF_RTIME], 1700000001, "sysv msg: second rtime");
	}
	sysv_table_free(&t);
	ok(t.rec == NULL && t.nrec == 0, "sysv_table_free: resets the table");
}

static void test_sysv_shm(void)
{
	struct sysv_table t;
	const char *text = SHM_HEADER
		"         0          3  1600              4194304  1234  5678      2  1000  1000  1000  1000 1700000000 1700000001 1699999999                  4096                     0\n"
		"2147483647          4  3666 18446744073709551615     1     2      0     0     0     0     0          0          0          0  18446744073709551615  18446744073709551615\n"
		"-2147483648          5   600                    1     1     2      0     0     0     0     0          0          0          0                     0                  8192\n";

	is_int(sysv(text, &t), 0, "sysv shm: parses");
	is_int(t.nrec, 3, "sysv shm: three records");
	is_int(t.bad_lines, 0, "sysv shm: no bad lines");
	if (t.nrec == 3) {
		const struct sysv_record *r = &t.rec[0];

		is_int(r->key, 0, "sysv shm: IPC_PRIVATE key");
		is_u64(r->v[SF_ID], 3, "sysv shm: shmid");
		is_u64(r->v[SF_PERMS], 01600, "sysv shm: perms with SHM_DEST \"1600\" is 01600");
		is_u64(r->v[SF_SIZE], 4194304, "sysv shm: size");
		is_u64(r->v[SF_CPID], 1234, "sysv shm: cpid");
		is_u64(r->v[SF_LPID], 5678, "sysv shm: lpid");
		is_u64(r->v[SF_NATTCH], 2, "sysv shm: nattch");
		is_u64(r->v[SF_ATIME], 1700000000, "sysv shm: atime");
		is_u64(r->v[SF_DTIME], 1700000001, "sysv shm: dtime");
		is_u64(r->v[SF_CTIME], 1699999999, "sysv shm: ctime");
		is_u64(r->v[SF_RSS], 4096, "sysv shm: rss");
		is_u64(r->v[SF_SWAP], 0, "sysv shm: swap");
		is_u64(r->has, SHM_FIELDS, "sysv shm: has bits include rss and swap");

		r = &t.rec[1];
		is_int(r->key, INT32_MAX, "sysv shm: key INT32_MAX");
		is_u64(r->v[SF_PERMS], 03666, "sysv shm: perms with SHM_DEST and SHM_LOCKED");
		is_u64(r->v[SF_SIZE], UINT64_MAX, "sysv shm: size 18446744073709551615");
		is_u64(r->v[SF_RSS], UINT64_MAX, "sysv shm: rss at limit");
		is_u64(r->v[SF_SWAP], UINT64_MAX, "sysv shm: swap at limit");

		is_int(t.rec[2].key, INT32_MIN, "sysv shm: key INT32_MIN");
		is_u64(t.rec[2].v[SF_SWAP], 8192, "sysv shm: third swap");
	}
	sysv_table_free(&t);

	/* before rss and swap were added */
	text = SHM_HEADER_OLD
		"    123456          9   666                 1024   100   200      1     0     0     0     0          5          6          7\n";
	is_int(sysv(text, &t), 0, "sysv old shm: parses");
	is_int(t.nrec, 1, "sysv old shm: one record");
	if (t.nrec == 1) {
		is_u64(t.rec[0].has, SHM_FIELDS_OLD, "sysv old shm: has bits lack rss and swap");
		ok(!(t.rec[0].has & BIT(SF_RSS)) && !(t.rec[0].has & BIT(SF_SWAP)),
		   "sysv old shm: rss and swap bits not set");
		is_u64(t.rec[0].v[SF_RSS], 0, "sysv old shm: rss zero");
		is_u64(t.rec[0].v[SF_SIZE], 1024, "sysv old shm: size");
		is_u64(t.rec[0].v[SF_CTIME], 7, "sysv old shm: ctime is the last column");
	}
	sysv_table_free(&t);

	/* an old-format line under a new header is truncated */
	text = SHM_HEADER
		"    123456          9   666                 1024   100   200      1     0     0     0     0          5          6          7\n";
	is_int(sysv(text, &t), 0, "sysv shm: old line under new header parses");
	ok(t.nrec == 0 && t.bad_lines == 1, "sysv shm: old line under new header is bad");
	sysv_table_free(&t);
}

static void test_sysv_sem(void)
{
	struct sysv_table t;
	const char *text = SEM_HEADER
		"         0          7   600          4  1000  1000  1000  1000          0 1700000000\n"
		"1095975233          8   644          1     0     0     0     0 1700000123 1700000000";

	is_int(sysv(text, &t), 0, "sysv sem: parses");
	is_int(t.nrec, 2, "sysv sem: two records (last without newline)");
	is_int(t.bad_lines, 0, "sysv sem: no bad lines");
	if (t.nrec == 2) {
		is_u64(t.rec[0].v[SF_ID], 7, "sysv sem: semid");
		is_u64(t.rec[0].v[SF_NSEMS], 4, "sysv sem: nsems");
		is_u64(t.rec[0].v[SF_OTIME], 0, "sysv sem: otime");
		is_u64(t.rec[0].has, SEM_FIELDS, "sysv sem: has bits are the sem columns");
		is_int(t.rec[1].key, 1095975233, "sysv sem: key");
		is_u64(t.rec[1].v[SF_OTIME], 1700000123, "sysv sem: otime of last line");
		is_u64(t.rec[1].v[SF_CTIME], 1700000000, "sysv sem: ctime of last line");
	}
	sysv_table_free(&t);
}

static void test_sysv_bad_lines(void)
{
	struct sysv_table t;
	const char *text = SEM_HEADER
		"         0          1   600          4  1000  1000  1000  1000          0 1700000000\n"
		"         0          2   600          4  1000  1000  1000  1000          0\n"        /* truncated */
		"         0          3   600          4  1000  1000  1000  1000          0 1700000000 99\n" /* extra */
		"hello world\n"                                                                        /* garbage */
		"         0          4   689          4  1000  1000  1000  1000          0 1700000000\n" /* not octal */
		"4294967295          5   600          4  1000  1000  1000  1000          0 1700000000\n" /* key > int32 */
		"         0          6   600         -4  1000  1000  1000  1000          0 1700000000\n" /* negative */
		"         0          7   600 18446744073709551616  1000  1000  1000  1000  0 1700000000\n" /* overflow */
		"         0          8   600          4  1000  1000  1000  1000          0 1700000000\n";

	is_int(sysv(text, &t), 0, "sysv bad lines: parses");
	is_int(t.nrec, 2, "sysv bad lines: the two good lines kept");
	is_int(t.bad_lines, 7, "sysv bad lines: truncated, extra, garbage, bad numbers counted");
	if (t.nrec == 2)
		ok(t.rec[0].v[SF_ID] == 1 && t.rec[1].v[SF_ID] == 8, "sysv bad lines: right lines kept");
	sysv_table_free(&t);

	/* blank and whitespace-only lines are not bad */
	text = SEM_HEADER
		"\n"
		"         0          1   600          4  1000  1000  1000  1000          0 1700000000\n"
		"\n\n   \n\t\n"
		"         0          2   600          4  1000  1000  1000  1000          0 1700000000\n"
		"\n";
	is_int(sysv(text, &t), 0, "sysv blank lines: parses");
	is_int(t.nrec, 2, "sysv blank lines: two records");
	is_int(t.bad_lines, 0, "sysv blank lines: not counted as bad");
	sysv_table_free(&t);

	/* CRLF line ends */
	text = "key semid perms\r\n1 2 600\r\n";
	is_int(sysv(text, &t), 0, "sysv CRLF: parses");
	ok(t.nrec == 1 && t.bad_lines == 0 && t.rec[0].v[SF_PERMS] == 0600, "sysv CRLF: one record");
	sysv_table_free(&t);

	/* a NUL byte inside a value makes the line bad, without ending the buffer */
	static const char nul[] = "key semid perms\n1 2 6\0" "00\n3 4 600\n";

	is_int(sysv_parse(nul, sizeof(nul) - 1, &t), 0, "sysv NUL byte: parses");
	ok(t.nrec == 1 && t.bad_lines == 1 && t.rec[0].v[SF_ID] == 4,
	   "sysv NUL byte: that line bad, next line kept");
	sysv_table_free(&t);
}

static void test_sysv_header(void)
{
	struct sysv_table t;

	is_int(sysv("", &t), -1, "sysv header: empty buffer fails");
	ok(t.rec == NULL && t.nrec == 0 && t.bad_lines == 0, "sysv header: nothing returned on failure");
	is_int(sysv("\n", &t), -1, "sysv header: empty header line fails");
	is_int(sysv("         0          7   600          4  1000  1000  1000  1000          0 1700000000\n",
		    &t), -1, "sysv header: missing header (data line first) fails");
	is_int(sysv("       key perms      nsems\n         0   600          4\n", &t), -1,
	       "sysv header: header without id fails");
	is_int(sysv("     semid perms      nsems\n         7   600          4\n", &t), -1,
	       "sysv header: header without key fails");
	is_int(sysv("       key      semid perms   uid   uid\n 0 1 600 0 0\n", &t), -1,
	       "sysv header: duplicate column fails");
	is_int(sysv("       key      msqid     shmid\n 0 1 2\n", &t), -1,
	       "sysv header: two id columns fail");
	ok(t.rec == NULL && t.nrec == 0, "sysv header: nothing returned after duplicate");

	is_int(sysv(SEM_HEADER, &t), 0, "sysv header only: parses");
	ok(t.nrec == 0 && t.bad_lines == 0, "sysv header only: no records");
	sysv_table_free(&t);
	is_int(sysv("key semid", &t), 0, "sysv header without newline: parses");
	ok(t.nrec == 0 && t.bad_lines == 0, "sysv header without newline: no records");
	sysv_table_free(&t);

	/* unknown columns (a future kernel) are skipped, whatever their values */
	is_int(sysv("key future semid perms\n-1 x/y 12 644\n", &t), 0, "sysv unknown column: parses");
	ok(t.nrec == 1 && t.rec[0].key == -1 && t.rec[0].v[SF_ID] == 12 &&
	   t.rec[0].v[SF_PERMS] == 0644, "sysv unknown column: known fields read");
	if (t.nrec == 1)
		is_u64(t.rec[0].has, BIT(SF_KEY) | BIT(SF_ID) | BIT(SF_PERMS),
		       "sysv unknown column: only known has bits");
	else
		skip(1, "no record");
	sysv_table_free(&t);

	/* a very wide header is refused, not overflowed */
	char wide[1024] = "key semid";

	for (int i = 0; i < 60; i++)
		strcat(wide, " x");
	strcat(wide, "\n");
	is_int(sysv(wide, &t), -1, "sysv header: 62 columns refused");
}

/* Many records, formatted like the kernel does, to exercise growth. */
static void test_sysv_many(void)
{
	enum { N = 1000 };
	size_t cap = 64 + (size_t)N * 128, len;
	char *buf = malloc(cap);
	struct sysv_table t;

	if (!buf) {
		skip(4, "out of memory");
		return;
	}
	len = (size_t)snprintf(buf, cap, "%s", MSG_HEADER);
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(buf + len, cap - len,
			"%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
			i - N / 2, i, 0600u + (unsigned int)(i % 8), (unsigned long)i * 10,
			(unsigned long)i, 100u + (unsigned int)i, 0u, 0u, 0u, 0u, 0u,
			1700000000ull + (unsigned long long)i, 0ull, 1600000000ull);
	is_int(sysv_parse(buf, len, &t), 0, "sysv many: parses");
	is_int(t.nrec, N, "sysv many: all records");
	is_int(t.bad_lines, 0, "sysv many: no bad lines");
	if (t.nrec == N)
		ok(t.rec[N - 1].key == N - 1 - N / 2 && t.rec[N - 1].v[SF_ID] == N - 1 &&
		   t.rec[N - 1].v[SF_CBYTES] == (N - 1) * 10 &&
		   t.rec[N - 1].v[SF_STIME] == 1700000000ull + N - 1 &&
		   t.rec[0].key == -N / 2 && t.rec[7].v[SF_PERMS] == 0607,
		   "sysv many: first and last values");
	else
		skip(1, "wrong record count");
	sysv_table_free(&t);
	free(buf);
}

/* ---- mq_status_parse ------------------------------------------------------ */

static int mq(const char *s, struct mq_status *st)
{
	return mq_status_parse(s, strlen(s), st);
}

static void test_mq_status(void)
{
	struct mq_status st;

	is_int(mq("QSIZE:129        NOTIFY:2     SIGNO:0     NOTIFY_PID:8260     \n", &st), 0,
	       "mq_status: kernel text parses");
	is_u64(st.qsize, 129, "mq_status: qsize");
	is_int(st.notify, 2, "mq_status: notify");
	is_int(st.signo, 0, "mq_status: signo");
	is_int(st.notify_pid, 8260, "mq_status: notify_pid");
	is_int(st.has, 15, "mq_status: all four present");

	is_int(mq("QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0", &st), 0,
	       "mq_status: empty queue without newline");
	ok(st.qsize == 0 && st.notify == 0 && st.signo == 0 && st.notify_pid == 0,
	   "mq_status: all zero");
	is_int(mq("QSIZE:18446744073709551615 NOTIFY:1 SIGNO:10 NOTIFY_PID:2147483647\n", &st), 0,
	       "mq_status: values at limits");
	ok(st.qsize == UINT64_MAX && st.notify == 1 && st.signo == 10 && st.notify_pid == INT_MAX,
	   "mq_status: limit values read");
	is_int(mq("QSIZE:7\n", &st), 0, "mq_status: QSIZE alone parses");
	ok(st.qsize == 7 && st.has == 1, "mq_status: only qsize present");
	is_int(mq("NEW:abc QSIZE:5 NOTIFY:1 OTHER:-9 SIGNO:0 NOTIFY_PID:0 X:\n", &st), 0,
	       "mq_status: unknown keys ignored");
	ok(st.qsize == 5 && st.notify == 1 && st.has == 15, "mq_status: known keys still read");

	is_int(mq("NOTIFY:2     SIGNO:0     NOTIFY_PID:8260\n", &st), -1, "mq_status: missing QSIZE fails");
	is_int(mq("", &st), -1, "mq_status: empty fails");
	is_int(mq("\n", &st), -1, "mq_status: blank fails");
	is_int(mq("qsize:1\n", &st), -1, "mq_status: lower-case key is not QSIZE");
	is_int(mq("QSIZE:abc\n", &st), -1, "mq_status: bad QSIZE fails");
	is_int(mq("QSIZE:\n", &st), -1, "mq_status: empty QSIZE fails");
	is_int(mq("QSIZE:-1\n", &st), -1, "mq_status: negative QSIZE fails");
	is_int(mq("QSIZE:18446744073709551616\n", &st), -1, "mq_status: QSIZE overflow fails");
	is_int(mq("QSIZE:1 NOTIFY:x\n", &st), -1, "mq_status: bad NOTIFY fails");
	is_int(mq("QSIZE:1 NOTIFY:2147483648\n", &st), -1, "mq_status: NOTIFY above INT_MAX fails");
	is_int(mq("QSIZE:1 SIGNO:1.5\n", &st), -1, "mq_status: bad SIGNO fails");
	is_int(mq("QSIZE:1 NOTIFY_PID:-1\n", &st), -1, "mq_status: negative NOTIFY_PID fails");
	is_int(mq("QSIZE:1 NOTIFY_PID:2147483648\n", &st), -1, "mq_status: NOTIFY_PID above INT_MAX fails");
	is_int(mq("QSIZE:1 garbage\n", &st), -1, "mq_status: token without colon fails");
}

/* ---- sem_limits_parse / sysctl_u64_parse ---------------------------------- */

static void test_sem_limits(void)
{
	uint64_t l[4] = { 0 };
	static const char *bad[] = {
		"", "\n", "32000\t1024000000\t500\n", "32000\t1024000000\t500\t32000\t1\n",
		"32000\t1024000000\tx\t32000\n", "32000 -1 500 32000\n", "1 2 3 18446744073709551616\n",
	};
	static const char *bad_what[] = {
		"empty", "blank", "3 values", "5 values", "non-number", "negative", "overflow",
	};

	const char *s = "32000\t1024000000\t500\t32000\n";

	is_int(sem_limits_parse(s, strlen(s), l), 0, "sem_limits: kernel text parses");
	ok(l[0] == 32000 && l[1] == 1024000000 && l[2] == 500 && l[3] == 32000, "sem_limits: values");
	s = "  250 32000 32 18446744073709551615";

	is_int(sem_limits_parse(s, strlen(s), l), 0, "sem_limits: spaces and no newline");
	ok(l[0] == 250 && l[1] == 32000 && l[2] == 32 && l[3] == UINT64_MAX, "sem_limits: values at limit");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(sem_limits_parse(bad[i], strlen(bad[i]), l), -1, "sem_limits: %s fails", bad_what[i]);
}

static void test_sysctl_u64(void)
{
	uint64_t v = 0;

	ok(sysctl_u64_parse("256\n", 4, &v) == 0 && v == 256, "sysctl_u64: \"256\\n\"");
	ok(sysctl_u64_parse("  8192  \n", 9, &v) == 0 && v == 8192, "sysctl_u64: surrounding spaces");
	ok(sysctl_u64_parse("18446744073709551615", 20, &v) == 0 && v == UINT64_MAX,
	   "sysctl_u64: UINT64_MAX");
	is_int(sysctl_u64_parse("256 7", 5, &v), -1, "sysctl_u64: two numbers fail");
	is_int(sysctl_u64_parse("", 0, &v), -1, "sysctl_u64: empty fails");
	is_int(sysctl_u64_parse("\n", 1, &v), -1, "sysctl_u64: blank fails");
	is_int(sysctl_u64_parse("-1\n", 3, &v), -1, "sysctl_u64: negative fails");
	is_int(sysctl_u64_parse("0x10\n", 5, &v), -1, "sysctl_u64: hex fails");
	is_int(sysctl_u64_parse("18446744073709551616", 20, &v), -1, "sysctl_u64: overflow fails");
}

/* ---- posix_sem_decode ----------------------------------------------------- */

static void test_posix_sem(void)
{
	if (sizeof(void *) != 8) {
		skip(12, "not a 64-bit ABI");
		return;
	}

	unsigned char buf[40] = { 0 };
	int value = -1, waiters = -1;
	uint64_t data = 5 | (uint64_t)3 << 32;

	memcpy(buf, &data, sizeof(data));
	is_int(posix_sem_decode(buf, 32, &value, &waiters), 0, "posix_sem: 32 bytes decode");
	ok(value == 5 && waiters == 3, "posix_sem: value 5, waiters 3");
	is_int(posix_sem_decode(buf, 31, &value, &waiters), -1, "posix_sem: 31 bytes fail");
	is_int(posix_sem_decode(buf, 33, &value, &waiters), -1, "posix_sem: 33 bytes fail");
	is_int(posix_sem_decode(buf, 16, &value, &waiters), -1, "posix_sem: 16 bytes fail");
	is_int(posix_sem_decode(buf, 0, &value, &waiters), -1, "posix_sem: 0 bytes fail");

	data = (uint64_t)INT_MAX;
	memcpy(buf, &data, sizeof(data));
	ok(posix_sem_decode(buf, 32, &value, &waiters) == 0 && value == INT_MAX && waiters == 0,
	   "posix_sem: value INT_MAX");
	data = (uint64_t)INT_MAX + 1;
	memcpy(buf, &data, sizeof(data));
	is_int(posix_sem_decode(buf, 32, &value, &waiters), -1, "posix_sem: value above INT_MAX fails");

	/* against the real libc */
	sem_t s;

	is_int(sizeof(sem_t), 32, "posix_sem: sizeof(sem_t) is 32");
	if (sizeof(sem_t) != 32 || sem_init(&s, 1, 7) != 0) {
		skip(3, "no 32-byte process-shared sem_t");
		return;
	}
	memset(buf, 0xaa, sizeof(buf));
	memcpy(buf, &s, sizeof(s));
	ok(posix_sem_decode(buf, 32, &value, &waiters) == 0 && value == 7 && waiters == 0,
	   "posix_sem: libc sem_init 7 decodes as 7, no waiters");
	sem_post(&s);
	memcpy(buf, &s, sizeof(s));
	ok(posix_sem_decode(buf, 32, &value, &waiters) == 0 && value == 8 && waiters == 0,
	   "posix_sem: after sem_post, 8");
	sem_trywait(&s);
	sem_trywait(&s);
	memcpy(buf, &s, sizeof(s));
	ok(posix_sem_decode(buf, 32, &value, &waiters) == 0 && value == 6 && waiters == 0,
	   "posix_sem: after two sem_trywait, 6");
	sem_destroy(&s);
}

/* ---- options.h ------------------------------------------------------------ */

static void test_parse_seconds(void)
{
	double d = 0;
	static const char *bad[] = {
		"0", "0.0", "-1", "-0.5", "+1", "abc", "", "1e999", "inf", "nan", "infinity",
		" 1", "1 ", "1x", "1.5s", "100.5", "101", ".",
	};

	ok(parse_seconds("2", 100, &d) == 0 && d == 2.0, "parse_seconds: \"2\"");
	ok(parse_seconds("0.5", 100, &d) == 0 && d == 0.5, "parse_seconds: \"0.5\"");
	ok(parse_seconds("100", 100, &d) == 0 && d == 100.0, "parse_seconds: the maximum itself");
	ok(parse_seconds("0.001", 100, &d) == 0 && d == 0.001, "parse_seconds: \"0.001\"");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(parse_seconds(bad[i], 100, &d), -1, "parse_seconds: \"%s\" fails", bad[i]);
	is_int(parse_seconds(NULL, 100, &d), -1, "parse_seconds: NULL fails");

	/* strtod() also reads C99 hexadecimal floats */
	is_int(parse_seconds("0x10", 100, &d), -1, "parse_seconds: hexadecimal \"0x10\" fails");
	is_int(parse_seconds("0x1p-3", 100, &d), -1, "parse_seconds: hexadecimal \"0x1p-3\" fails");

	/* main() calls setlocale(LC_ALL, ""): "0.5" must not depend on LC_NUMERIC */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		ok(parse_seconds("0.5", 100, &d) == 0 && d == 0.5,
		   "parse_seconds: \"0.5\" in a decimal-comma locale");
		is_int(parse_seconds("0,5", 100, &d), -1,
		       "parse_seconds: \"0,5\" fails in a decimal-comma locale");
		setlocale(LC_NUMERIC, "C");
	} else {
		skip(2, "no decimal-comma locale installed");
	}
}

static void test_parse_count(void)
{
	long n = 0;
	static const char *bad[] = {
		"0", "-1", "+1", "", "abc", "1x", " 1", "1 ", "1.5", "0x10", "1001",
		"99999999999999999999999",
	};

	ok(parse_count("1", 1000, &n) == 0 && n == 1, "parse_count: \"1\"");
	ok(parse_count("25", 1000, &n) == 0 && n == 25, "parse_count: \"25\"");
	ok(parse_count("1000", 1000, &n) == 0 && n == 1000, "parse_count: the maximum itself");
	ok(parse_count("007", 1000, &n) == 0 && n == 7, "parse_count: leading zeros");
	ok(parse_count("9223372036854775807", LONG_MAX, &n) == 0 && n == LONG_MAX,
	   "parse_count: LONG_MAX");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(parse_count(bad[i], 1000, &n), -1, "parse_count: \"%s\" fails", bad[i]);
	is_int(parse_count(NULL, 1000, &n), -1, "parse_count: NULL fails");
}

static void test_parse_kinds(void)
{
	const unsigned int sysv = BIT(KIND_SYSV_MSG) | BIT(KIND_SYSV_SHM) | BIT(KIND_SYSV_SEM);
	const unsigned int posix = BIT(KIND_POSIX_MQ) | BIT(KIND_POSIX_SHM) | BIT(KIND_POSIX_SEM);
	const unsigned int all = BIT(KIND_COUNT) - 1;
	static const struct {
		const char *name;
		int kind;
	} names[] = {
		{ "sysv_msg", KIND_SYSV_MSG }, { "sysv_shm", KIND_SYSV_SHM },
		{ "sysv_sem", KIND_SYSV_SEM }, { "posix_mq", KIND_POSIX_MQ },
		{ "posix_shm", KIND_POSIX_SHM }, { "posix_sem", KIND_POSIX_SEM },
		{ "epoll", KIND_EPOLL }, { "pty", KIND_PTY }, { "memfd", KIND_MEMFD },
		{ "shared_anon", KIND_SHARED_ANON }, { "shared_file", KIND_SHARED_FILE },
	};
	static const struct {
		const char *in, *bad;
	} bad[] = {
		{ "bogus", "bogus" }, { "sysv_msg,bogus", "bogus" }, { "SYSV", "SYSV" },
		{ "sysv_msg ", "sysv_msg " }, { "a,,b", NULL }, { "", NULL },
		{ ",sysv", NULL }, { "sysv,", NULL },
	};
	static char sentinel[] = "x";
	unsigned int m;
	char *b;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		m = 0;
		b = sentinel;
		ok(parse_kinds(names[i].name, &m, &b) == 0 && m == BIT(names[i].kind) && b == NULL,
		   "parse_kinds: \"%s\"", names[i].name);
	}
	ok(parse_kinds("sysv_msg,posix_mq", &m, &b) == 0 &&
	   m == (BIT(KIND_SYSV_MSG) | BIT(KIND_POSIX_MQ)) && b == NULL,
	   "parse_kinds: \"sysv_msg,posix_mq\"");
	ok(parse_kinds("sysv", &m, &b) == 0 && m == sysv, "parse_kinds: \"sysv\"");
	ok(parse_kinds("posix", &m, &b) == 0 && m == posix, "parse_kinds: \"posix\"");
	ok(parse_kinds("all", &m, &b) == 0 && m == all, "parse_kinds: \"all\"");
	ok(parse_kinds("sysv,posix", &m, &b) == 0 && m == (sysv | posix), "parse_kinds: \"sysv,posix\"");
	ok(parse_kinds("events", &m, &b) == 0 &&
	   m == (BIT(KIND_EVENTFD) | BIT(KIND_SIGNALFD) | BIT(KIND_INOTIFY) | BIT(KIND_TIMERFD) |
		 BIT(KIND_PIDFD) | BIT(KIND_EPOLL)), "parse_kinds: \"events\"");
	ok(parse_kinds("sockets", &m, &b) == 0 &&
	   m == (BIT(KIND_UNIX) | BIT(KIND_INET) | BIT(KIND_NETLINK)), "parse_kinds: \"sockets\"");
	ok(parse_kinds("shm", &m, &b) == 0 &&
	   m == (BIT(KIND_SYSV_SHM) | BIT(KIND_POSIX_SHM) | BIT(KIND_MEMFD) | BIT(KIND_SHARED_ANON) |
		 BIT(KIND_SHARED_FILE)), "parse_kinds: \"shm\"");
	ok(parse_kinds("sysv,posix,pipe,fifo,sockets,events,signal,lock,pty,shm,dbus", &m, &b) == 0 && m == all,
	   "parse_kinds: every group and fd kind is all");
	ok(parse_kinds("sysv,sysv_shm,sysv", &m, &b) == 0 && m == sysv, "parse_kinds: repeats are fine");
	ok(parse_kinds("posix_sem,sysv", &m, &b) == 0 && m == (sysv | BIT(KIND_POSIX_SEM)),
	   "parse_kinds: group and kind");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 12345;
		b = NULL;
		is_int(parse_kinds(bad[i].in, &m, &b), -1, "parse_kinds: \"%s\" fails", bad[i].in);
		if (bad[i].bad)
			is_str(b, bad[i].bad, "parse_kinds: \"%s\" names the bad element", bad[i].in);
		else
			ok(b != NULL, "parse_kinds: \"%s\" sets *bad", bad[i].in);
		free(b);
	}
}

static void test_split_list(void)
{
	char **l = NULL;
	size_t n = 0;

	ok(split_list("a,bc,def", &l, &n) == 0 && n == 3, "split_list: three elements");
	if (n == 3 && l) {
		is_str(l[0], "a", "split_list: first");
		is_str(l[1], "bc", "split_list: second");
		is_str(l[2], "def", "split_list: third");
	} else {
		skip(3, "split failed");
	}
	free_list(l, n);

	l = NULL;
	n = 0;
	ok(split_list("single", &l, &n) == 0 && n == 1 && strcmp(l[0], "single") == 0,
	   "split_list: one element");
	free_list(l, n);

	l = NULL;
	n = 0;
	ok(split_list(" a , b", &l, &n) == 0 && n == 2 && strcmp(l[0], " a ") == 0 &&
	   strcmp(l[1], " b") == 0, "split_list: spaces kept as is");
	free_list(l, n);

	static const char *bad[] = { "", ",", "a,", ",a", "a,,b", "a,b,," };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = NULL;
		n = 0;
		is_int(split_list(bad[i], &l, &n), -1, "split_list: \"%s\" fails (empty element)", bad[i]);
	}
}

int main(void)
{
	test_parse_u64();
	test_parse_i64();
	test_sysv_msg();
	test_sysv_shm();
	test_sysv_sem();
	test_sysv_bad_lines();
	test_sysv_header();
	test_sysv_many();
	test_mq_status();
	test_sem_limits();
	test_sysctl_u64();
	test_posix_sem();
	test_parse_seconds();
	test_parse_count();
	test_parse_kinds();
	test_split_list();
	return tap_done();
}
