/* Unit tests of the generator's pure parts (src/gen_spec.c) and its latency histogram
 * (src/gen_worker.c). TAP on stdout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "tap.h"

static void accepts(const char *s, const unsigned int *want, const char *what)
{
	struct gen_spec sp;
	char err[512] = "";
	int rc = gen_parse_spec(s, &sp, err, sizeof(err));
	bool same = rc == 0;

	for (int m = 0; m < GEN_MECH_COUNT && same; m++)
		same = sp.pairs[m] == want[m];
	ok(same, "gen_parse_spec accepts %s", what);
	if (rc < 0)
		printf("#   error: %s\n", err);
}

/* Refused, and the message contains `part`. */
static void refuses(const char *s, const char *part, const char *what)
{
	struct gen_spec sp;
	char err[512] = "";
	int rc = gen_parse_spec(s, &sp, err, sizeof(err));

	ok(rc == -1 && strstr(err, part) != NULL, "gen_parse_spec refuses %s, naming '%s'", what, part);
	if (rc != -1 || !strstr(err, part))
		printf("#   rc %d, error: %s\n", rc, err);
}

static void test_spec(void)
{
	unsigned int want[GEN_MECH_COUNT];

	memset(want, 0, sizeof(want));
	want[GEN_PIPE] = 1;
	accepts("pipe", want, "one mechanism");
	want[GEN_TCP] = 3;
	accepts("pipe,tcp:3", want, "a list with a pair count");
	accepts("tcp:3,pipe:1", want, "any order, an explicit :1");
	memset(want, 0, sizeof(want));
	for (int m = 0; m < GEN_MECH_COUNT; m++)
		want[m] = 2;
	accepts("all:2", want, "all:2");
	memset(want, 0, sizeof(want));
	want[GEN_POSIX_MQ] = 32;
	want[GEN_SYSV_SHM] = 1;
	want[GEN_UNIX_SEQPACKET] = 1;
	accepts("posix-mq:32,sysv-shm,unix-seqpacket", want, "the largest pair count");

	refuses("", "empty SPEC", "an empty SPEC");
	refuses("pipe,,tcp", "item 2 of SPEC is empty", "an empty item");
	refuses("pipe,", "trailing comma", "a trailing comma");
	refuses(",pipe", "item 1 of SPEC is empty", "a leading comma");
	refuses("pipe,bogus", "unknown mechanism 'bogus'", "an unknown name");
	refuses("Pipe", "unknown mechanism 'Pipe'", "a name in the wrong case");
	refuses("pipe:0", "'pipe:0'", "zero pairs");
	refuses("pipe:33", "'pipe:33'", "too many pairs");
	refuses("pipe:", "'pipe:'", "a colon without a number");
	refuses("pipe:2x", "'pipe:2x'", "a number with junk");
	refuses("pipe:99999999999999999999", "expected NAME:N", "a huge number");
	refuses(":3", "item 1 of SPEC is empty (':3')", "a count without a name");
	refuses("pipe,pipe:2", "names 'pipe' a second time", "a mechanism twice");
	refuses("tcp,all", "names 'tcp' a second time", "all after a mechanism");
	refuses("fifo,\x1b[2J", "unknown mechanism '\\x1b[2J'", "a control character, escaped");
}

static void test_names(void)
{
	int32_t k = gen_key(4194303, 31);

	is_int(gen_key_owner(gen_key(1234, 5)), 1234, "a SysV key gives back its pid");
	is_int(gen_key_owner(k), 4194303, "the largest pid");
	ok((uint32_t)gen_key(1, 0) >= 0xF0000000u && (uint32_t)k <= 0xF7FFFFFFu,
	   "keys stay in 0xF0000000..0xF7FFFFFF");
	is_int(gen_key_owner(0x1b0ebd00), 0, "a key outside the range has no owner");
	is_int(gen_key_owner(0), 0, "IPC_PRIVATE has no owner");

	const char *n = "ipctop-gen-4321-posix-mq-0-fwd";

	is_int(gen_name_owner(n, strlen(n)), 4321, "a POSIX name gives its pid");
	n = "sem.ipctop-gen-77-posix-shm-1-used-fwd";
	is_int(gen_name_owner(n, strlen(n)), 77, "a named semaphore's file name too");
	n = "/ipctop-gen-77-x";
	is_int(gen_name_owner(n, strlen(n)), 77, "with a leading slash");
	n = "ipctop-gen-77";
	is_int(gen_name_owner(n, strlen(n)), 0, "no name after the pid: not ours");
	n = "ipctop-gen-x-1";
	is_int(gen_name_owner(n, strlen(n)), 0, "no pid: not ours");
	n = "ipctop-gen-0-1";
	is_int(gen_name_owner(n, strlen(n)), 0, "pid 0: not ours");
	n = "ipctop-gen-0123-1";
	is_int(gen_name_owner(n, strlen(n)), 0, "a leading zero: not ours");
	n = "ipctop-general";
	is_int(gen_name_owner(n, strlen(n)), 0, "a look-alike name: not ours");
	n = "ipctop-gen-12";
	is_int(gen_name_owner(n, 12), 0, "the length is respected");
	is_int(gen_path_owner("/tmp/ipctop-gen-555/fifo-0-fwd"), 555, "a path in a generator's directory");
	is_int(gen_path_owner("/tmp/ipctop-gen-555/"), 555, "the directory itself");
	is_int(gen_path_owner("/var/tmp/ipctop-gen-555/x"), 0, "another directory: not ours");
	is_int(gen_mech_by_name("unix-seqpacket", 14), GEN_UNIX_SEQPACKET, "mechanism by name");
	is_int(gen_mech_by_name("unix-seq", 8), -1, "a prefix is no name");
	is_str(gen_mech_name(GEN_SYSV_SHM), "sysv-shm", "name of a mechanism");
}

static void test_hist(void)
{
	bool mono = true, contains = true;
	unsigned int last = 0;

	for (uint64_t v = 0; v < 100000; v += 1 + v / 50) {
		unsigned int b = gen_hist_bucket(v);

		mono &= b >= last;
		last = b;
		contains &= gen_hist_upper(b) >= v && (b == 0 || gen_hist_upper(b - 1) < v);
	}
	ok(mono, "histogram buckets grow with the value");
	ok(contains, "each value lies in its bucket's range");
	ok(gen_hist_bucket(UINT64_MAX) < GEN_HIST_BUCKETS, "the largest value has a bucket");

	/* 1000 values 1..1000 us: p50 near 500 us and p99 near 990 us, within a bucket (12.5%) */
	struct gen_stats *st = calloc(1, sizeof(*st));

	st->lat_min = UINT64_MAX;
	for (uint64_t i = 1; i <= 1000; i++)
		gen_hist_add(st, i * 1000);
	uint64_t p50 = gen_hist_percentile((const uint64_t *)st->hist, st->lat_n, 0.5);
	uint64_t p99 = gen_hist_percentile((const uint64_t *)st->hist, st->lat_n, 0.99);

	ok(p50 >= 500000 && p50 <= 500000 * 1.125, "p50 of 1..1000 us is 500 us within a bucket (%llu)",
	   (unsigned long long)p50);
	ok(p99 >= 990000 && p99 <= 990000 * 1.125, "p99 is 990 us within a bucket (%llu)",
	   (unsigned long long)p99);
	is_u64(st->lat_min, 1000, "min kept exactly");
	is_u64(st->lat_max, 1000000, "max kept exactly");
	is_u64(st->lat_n, 1000, "count");
	free(st);
}

static void test_args(void)
{
	struct gen_params p = { .msg_size = 64, .duration = 60 };
	char err[512] = "";

	ok(gen_parse_args("pipe,tcp:2 --rate 500 --msg-size=128 --pattern pingpong --duration 2.5", &p, err,
			  sizeof(err)) == 0 && p.spec.pairs[GEN_TCP] == 2 && p.rate == 500 && p.msg_size == 128 &&
	   p.pattern == GEN_PINGPONG && p.duration == 2.5, "gen_parse_args: SPEC and every option (%s)", err);
	p = (struct gen_params){ .msg_size = 64, .duration = 60 };
	ok(gen_parse_args("  fifo  ", &p, err, sizeof(err)) == 0 && p.spec.pairs[GEN_FIFO] == 1 &&
	   p.duration == 60 && p.msg_size == 64, "gen_parse_args: SPEC alone keeps the defaults");
	ok(gen_parse_args("--rate 5 pipe", &p, err, sizeof(err)) < 0 && strstr(err, "SPEC first"),
	   "gen_parse_args: an option first is refused (%s)", err);
	ok(gen_parse_args("pipe --rate", &p, err, sizeof(err)) < 0 && strstr(err, "needs a value"),
	   "gen_parse_args: an option without its value (%s)", err);
	ok(gen_parse_args("pipe --rate 0", &p, err, sizeof(err)) < 0 && strstr(err, "--rate: '0'"),
	   "gen_parse_args: a rate of 0 (%s)", err);
	ok(gen_parse_args("pipe --msg-size 8", &p, err, sizeof(err)) < 0 && strstr(err, "--msg-size: '8'"),
	   "gen_parse_args: a message too small (%s)", err);
	ok(gen_parse_args("pipe --duration -1", &p, err, sizeof(err)) < 0 && strstr(err, "--duration"),
	   "gen_parse_args: a negative duration (%s)", err);
	ok(gen_parse_args("pipe --bogus 1", &p, err, sizeof(err)) < 0 && strstr(err, "unknown option '--bogus'"),
	   "gen_parse_args: an unknown option (%s)", err);
	ok(gen_parse_args("pipe,nope", &p, err, sizeof(err)) < 0 && strstr(err, "unknown mechanism 'nope'"),
	   "gen_parse_args: a bad SPEC (%s)", err);
}

int main(void)
{
	test_spec();
	test_args();
	test_names();
	test_hist();
	return tap_done();
}
