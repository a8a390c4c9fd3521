/* Generator mechanisms on plain descriptors: pipe, FIFO, eventfd. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "nls.h"

static ssize_t fd_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	return write(c->tx[role], buf, len);
}

static ssize_t fd_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	return read(c->rx[role], buf, len);
}

/* One direction: producer to consumer (dir 0) or back (dir 1). */
static void wire(struct gen_chan *c, int dir, int wfd, int rfd)
{
	c->tx[dir] = wfd;
	c->rx[1 - dir] = rfd;
	gen_chan_keep(c, dir, wfd);
	gen_chan_keep(c, 1 - dir, rfd);
}

static int pipe_create(struct gen_chan *c, char *err, size_t errlen)
{
	for (int dir = 0; dir < (c->pingpong ? 2 : 1); dir++) {
		int p[2];

		if (pipe2(p, O_CLOEXEC) < 0) {
			gen_error(err, errlen, errno, _("cannot create a pipe"));
			return -1;
		}
		wire(c, dir, p[1], p[0]);
	}
	return 0;
}

static void nothing_named(struct gen_chan *c)
{
	(void)c;
}

const struct gen_mech gen_mech_pipe = {
	.name = "pipe", .bytes = true,
	.create = pipe_create, .send = fd_send, .recv = fd_recv, .destroy = nothing_named,
};

static void paths_destroy(struct gen_chan *c)
{
	for (int i = 0; i < 3; i++)
		if (c->paths[i][0]) {
			unlink(c->paths[i]);
			c->paths[i][0] = '\0';
		}
}

static int fifo_create(struct gen_chan *c, char *err, size_t errlen)
{
	for (int dir = 0; dir < (c->pingpong ? 2 : 1); dir++) {
		char *path = c->paths[dir];
		int r, w;

		if (gen_path(c, path, GEN_PATH_LEN, dir ? "back" : "fwd") < 0 || mkfifo(path, 0600) < 0) {
			gen_error(err, errlen, errno, _("cannot create FIFO %s"), path);
			path[0] = '\0';
			return -1;
		}
		/* both ends here, without blocking: the reader first */
		r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (r < 0) {
			gen_error(err, errlen, errno, _("cannot open FIFO %s"), path);
			return -1;
		}
		w = open(path, O_WRONLY | O_CLOEXEC);
		if (w < 0) {
			gen_error(err, errlen, errno, _("cannot open FIFO %s"), path);
			close(r);
			return -1;
		}
		fcntl(r, F_SETFL, fcntl(r, F_GETFL) & ~O_NONBLOCK);
		wire(c, dir, w, r);
	}
	return 0;
}

const struct gen_mech gen_mech_fifo = {
	.name = "fifo", .bytes = true,
	.create = fifo_create, .send = fd_send, .recv = fd_recv, .destroy = paths_destroy,
};

/*
 * eventfd carries an 8-byte counter, not messages: the producer writes its send time
 * (nonzero, increasing) and waits for the consumer to write back the count it has seen,
 * so the counter never holds two values at once. Ping-pong and stream are the same.
 */
#define EFD_END 0xfffffffffffffffeull

static int eventfd_create(struct gen_chan *c, char *err, size_t errlen)
{
	for (int dir = 0; dir < 2; dir++) {
		int fd = eventfd(0, EFD_CLOEXEC);

		if (fd < 0) {
			gen_error(err, errlen, errno, _("cannot create an eventfd"));
			return -1;
		}
		wire(c, dir, fd, fd);
	}
	return 0;
}

static int efd_io(int fd, uint64_t *v, bool wr, struct gen_stats *st)
{
	for (;;) {
		ssize_t n = wr ? write(fd, v, 8) : read(fd, v, 8);

		if (n == 8)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		snprintf(st->error, sizeof(st->error), "%s (eventfd): %s", wr ? _("send") : _("receive"),
			 n < 0 ? strerror(errno) : _("short transfer"));
		return -1;
	}
}

static int eventfd_run(struct gen_chan *c, int role, struct gen_stats *st, uint64_t deadline, long rate)
{
	uint64_t v, n = 0;

	if (role == 1) {
		uint64_t last = 0;

		for (;;) {
			if (efd_io(c->rx[1], &v, false, st) < 0)
				return -1;
			if (v == EFD_END)
				return 0;
			if (v < last)
				st->errors++;
			last = v;
			if (!c->pingpong)
				gen_hist_add(st, gen_now_ns() - v);
			n++;
			st->msgs = n;
			st->bytes = n * 8;
			if (efd_io(c->tx[1], &n, true, st) < 0)
				return -1;
		}
	}
	uint64_t t0 = gen_now_ns();

	for (;;) {
		uint64_t now = gen_now_ns();

		if (now >= deadline && n > 0)
			break;
		if (rate) {
			uint64_t due = t0 + (uint64_t)((double)n * 1e9 / (double)rate);

			if (due >= deadline && n > 0)
				break;
			if (due > now) {
				struct timespec ts = { (time_t)(due / 1000000000u), (long)(due % 1000000000u) };

				while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
					;
				now = gen_now_ns();
			}
		}
		v = now;
		if (efd_io(c->tx[0], &v, true, st) < 0)
			return -1;
		n++;
		st->msgs = n;
		st->bytes = n * 8;
		if (efd_io(c->rx[0], &v, false, st) < 0)
			return -1;
		if (v != n)
			st->errors++;
		if (c->pingpong)
			gen_hist_add(st, gen_now_ns() - now);
	}
	v = EFD_END;
	return efd_io(c->tx[0], &v, true, st);
}

const struct gen_mech gen_mech_eventfd = {
	.name = "eventfd", .bytes = false,
	.create = eventfd_create, .send = fd_send, .recv = fd_recv, .destroy = nothing_named,
	.run = eventfd_run,
};
