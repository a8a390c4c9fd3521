/*
 * The workers' loops: the producer numbers, timestamps and checksums messages and sends
 * them (paced when a rate is set); the consumer checks each (size, sequence, checksum)
 * and counts it, and in ping-pong sends it back. A message:
 *
 *   struct gen_hdr { seq, send time (CLOCK_MONOTONIC ns), length, checksum } + payload
 *
 * The last message has seq GEN_SEQ_END: the consumer stops there.
 *
 * A one-way stream as fast as possible stamps only every GEN_TS_EVERY-th message
 * (the others carry send time 0): two clock reads are a few percent of a SysV or POSIX
 * message's whole cost, and the latency percentiles need a sample, not every message.
 * Sequence numbers and checksums are checked on every message all the same.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"
#include "nls.h"

#define GEN_TS_EVERY 16

struct gen_hdr {
	uint64_t seq;
	uint64_t ts;
	uint32_t len;
	uint32_t csum;
};

/* ---- latency histogram: log-linear, GEN_HIST_SUB buckets per power of two ---- */

unsigned int gen_hist_bucket(uint64_t ns)
{
	if (ns < GEN_HIST_SUB)
		return (unsigned int)ns;

	unsigned int e = 63u - (unsigned int)__builtin_clzll(ns);      /* >= 3 */

	return (e - 2) * GEN_HIST_SUB + (unsigned int)((ns >> (e - 3)) & (GEN_HIST_SUB - 1));
}

uint64_t gen_hist_upper(unsigned int b)
{
	if (b < GEN_HIST_SUB)
		return b;

	unsigned int e = b / GEN_HIST_SUB + 2, sub = b % GEN_HIST_SUB;
	uint64_t lower = (uint64_t)(GEN_HIST_SUB + sub) << (e - 3);

	return lower + ((uint64_t)1 << (e - 3)) - 1;
}

void gen_hist_add(struct gen_stats *st, uint64_t ns)
{
	st->hist[gen_hist_bucket(ns)]++;
	st->lat_n++;
	if (ns < st->lat_min)
		st->lat_min = ns;
	if (ns > st->lat_max)
		st->lat_max = ns;
}

uint64_t gen_hist_percentile(const uint64_t *hist, uint64_t n, double p)
{
	uint64_t rank = (uint64_t)(p * (double)n + 0.999999), seen = 0;

	if (rank < 1)
		rank = 1;
	for (unsigned int b = 0; b < GEN_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			return gen_hist_upper(b);
	}
	return 0;
}

/* ---- checksum ---- */

static uint64_t payload_hash(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint32_t msg_csum(const struct gen_hdr *h, uint64_t phash)
{
	uint64_t x = phash ^ (h->seq * 0x9e3779b97f4a7c15ull) ^ (h->ts + 0x632be59bd9b4e019ull) ^
		     ((uint64_t)h->len << 32);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return (uint32_t)(x ^ (x >> 32));
}

static void fail(struct gen_stats *st, int errnum, const char *what, const struct gen_chan *c)
{
	snprintf(st->error, sizeof(st->error), "%s (%s): %s", what, c->mech->name,
		 errnum ? strerror(errnum) : _("end of stream"));
}

/* ---- sending and receiving whole messages ---- */

static int send_all(struct gen_chan *c, int role, unsigned char *buf, size_t len, struct gen_stats *st)
{
	while (len > 0) {
		ssize_t n = c->mech->send(c, role, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(st, errno, _("send"), c);
			return -1;
		}
		if ((size_t)n == len)
			return 0;
		if (!c->mech->bytes) {
			fail(st, EMSGSIZE, _("send"), c);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

struct reader {
	unsigned char *buf;         /* GEN_HEADROOM bytes before it are free */
	size_t cap, have, off;
};

/* The next message, or NULL (error in st). */
static unsigned char *next_msg(struct gen_chan *c, int role, struct reader *rd, struct gen_stats *st)
{
	size_t m = c->msg_size;

	if (!c->mech->bytes) {
		ssize_t n;

		do
			n = c->mech->recv(c, role, rd->buf, rd->cap);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			fail(st, errno, _("receive"), c);
			return NULL;
		}
		if ((size_t)n != m) {
			snprintf(st->error, sizeof(st->error), _("receive (%s): a message of %zd bytes, expected %zu"),
				 c->mech->name, n, m);
			return NULL;
		}
		return rd->buf;
	}
	if (rd->have - rd->off < m) {
		if (rd->off) {
			memmove(rd->buf, rd->buf + rd->off, rd->have - rd->off);
			rd->have -= rd->off;
			rd->off = 0;
		}
		while (rd->have < m) {
			ssize_t n = c->mech->recv(c, role, rd->buf + rd->have, rd->cap - rd->have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fail(st, n < 0 ? errno : 0, _("receive"), c);
				return NULL;
			}
			rd->have += (size_t)n;
		}
	}
	unsigned char *msg = rd->buf + rd->off;

	rd->off += m;
	return msg;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000u), (long)(t % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void fill_payload(unsigned char *msg, size_t len)
{
	for (size_t i = sizeof(struct gen_hdr); i < len; i++)
		msg[i] = (unsigned char)(i * 31 + 7);
}

static int producer(struct gen_chan *c, struct gen_stats *st, uint64_t deadline, long rate)
{
	size_t m = c->msg_size;
	/* byte streams as fast as possible: several messages per write */
	size_t batch = (c->mech->bytes && !rate && !c->pingpong) ? 16384 / m : 1;

	if (batch < 1)
		batch = 1;
	if (batch > 256)
		batch = 256;

	unsigned char *mem = malloc(GEN_HEADROOM + batch * m);
	unsigned char *buf = mem + GEN_HEADROOM;
	struct reader rd = { 0 };
	unsigned char *rmem = NULL;
	int rc = -1;

	if (!mem) {
		fail(st, ENOMEM, _("allocate"), c);
		return -1;
	}
	for (size_t j = 0; j < batch; j++)
		fill_payload(buf + j * m, m);

	uint64_t phash = payload_hash(buf + sizeof(struct gen_hdr), m - sizeof(struct gen_hdr));

	if (c->pingpong) {
		rd.cap = m < 65536 ? 65536 : 2 * m;
		rmem = malloc(GEN_HEADROOM + rd.cap);
		if (!rmem) {
			fail(st, ENOMEM, _("allocate"), c);
			goto out;
		}
		rd.buf = rmem + GEN_HEADROOM;
	}

	/* unpaced one-way single messages: a clock read (and the deadline) every GEN_TS_EVERY */
	bool sampled = !rate && !c->pingpong && batch == 1;
	uint64_t seq = 0, t0 = gen_now_ns(), now = t0;

	for (;;) {
		bool stamp = !sampled || seq % GEN_TS_EVERY == 0;

		if (stamp)
			now = gen_now_ns();

		/* at least one message, however late this worker got the processor */
		if (now >= deadline && seq > 0)
			break;
		if (rate) {
			uint64_t due = t0 + (uint64_t)((double)seq * 1e9 / (double)rate);

			if (due >= deadline && seq > 0)
				break;
			if (due > now) {
				sleep_until(due);
				now = gen_now_ns();
			}
		}
		for (size_t j = 0; j < batch; j++) {
			struct gen_hdr h = { seq + j, stamp ? now : 0, (uint32_t)m, 0 };

			h.csum = msg_csum(&h, phash);
			memcpy(buf + j * m, &h, sizeof(h));
		}
		if (send_all(c, 0, buf, batch * m, st) < 0)
			goto out;
		seq += batch;
		st->msgs = seq;
		st->bytes = seq * m;
		if (c->pingpong) {
			unsigned char *r = next_msg(c, 0, &rd, st);
			struct gen_hdr h;

			if (!r)
				goto out;
			memcpy(&h, r, sizeof(h));
			if (h.seq != seq - 1 || h.len != m ||
			    h.csum != msg_csum(&h, payload_hash(r + sizeof(h), m - sizeof(h))))
				st->errors++;
			gen_hist_add(st, gen_now_ns() - h.ts);
		}
	}
	struct gen_hdr end = { GEN_SEQ_END, gen_now_ns(), (uint32_t)m, 0 };

	end.csum = msg_csum(&end, phash);
	memcpy(buf, &end, sizeof(end));
	if (send_all(c, 0, buf, m, st) < 0)
		goto out;
	rc = 0;
out:
	free(mem);
	free(rmem);
	return rc;
}

static int consumer(struct gen_chan *c, struct gen_stats *st)
{
	size_t m = c->msg_size;
	struct reader rd = { 0 };

	rd.cap = m < 65536 ? 65536 : 2 * m;

	unsigned char *mem = malloc(GEN_HEADROOM + rd.cap);
	uint64_t expect = 0, n = 0, errors = 0;
	int rc = -1;

	if (!mem) {
		fail(st, ENOMEM, _("allocate"), c);
		return -1;
	}
	rd.buf = mem + GEN_HEADROOM;
	for (;;) {
		unsigned char *msg = next_msg(c, 1, &rd, st);
		struct gen_hdr h;

		if (!msg)
			break;
		memcpy(&h, msg, sizeof(h));
		if (h.seq == GEN_SEQ_END) {
			rc = 0;
			break;
		}
		if (h.len != m || h.csum != msg_csum(&h, payload_hash(msg + sizeof(h), m - sizeof(h))) ||
		    h.seq != expect) {
			errors++;
			st->errors = errors;
		}
		expect = h.seq + 1;
		n++;
		if (!c->pingpong) {
			if (h.ts)       /* 0: not a sampled message */
				gen_hist_add(st, gen_now_ns() - h.ts);
		} else if (send_all(c, 1, msg, m, st) < 0) {
			break;
		}
		st->msgs = n;
		st->bytes = n * m;
	}
	free(mem);
	return rc;
}

int gen_worker(struct gen_chan *c, int role, struct gen_stats *st, uint64_t deadline, long rate)
{
	return role == 0 ? producer(c, st, deadline, rate) : consumer(c, st);
}
