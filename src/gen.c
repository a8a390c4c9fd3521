/*
 * The traffic generator's engine: SPEC, the names of what it creates, the workers'
 * lives (fork, start together, stop, reap) and their results.
 *
 * The generator (this process) creates every pair's objects, then forks the pair's two
 * workers, which keep only their own ends; so it knows every name and id to remove,
 * whichever way the run ends. Workers die with it (PR_SET_PDEATHSIG): a worker whose
 * generator is gone removes its pair's objects itself.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "gen.h"
#include "nls.h"
#include "xalloc.h"

static const struct gen_mech *const mechs[GEN_MECH_COUNT] = {
	[GEN_PIPE] = &gen_mech_pipe,
	[GEN_FIFO] = &gen_mech_fifo,
	[GEN_UNIX_STREAM] = &gen_mech_unix_stream,
	[GEN_UNIX_DGRAM] = &gen_mech_unix_dgram,
	[GEN_UNIX_SEQPACKET] = &gen_mech_unix_seqpacket,
	[GEN_SOCKETPAIR] = &gen_mech_socketpair,
	[GEN_POSIX_MQ] = &gen_mech_posix_mq,
	[GEN_SYSV_MSG] = &gen_mech_sysv_msg,
	[GEN_POSIX_SHM] = &gen_mech_posix_shm,
	[GEN_SYSV_SHM] = &gen_mech_sysv_shm,
	[GEN_EVENTFD] = &gen_mech_eventfd,
	[GEN_TCP] = &gen_mech_tcp,
};

void gen_name(const struct gen_chan *c, char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/" GEN_POSIX_PREFIX "%d-%s-%u%s%s", (int)c->owner, c->mech->name, c->pair,
		 *what ? "-" : "", what);
}

int gen_path(const struct gen_chan *c, char *buf, size_t len, const char *what)
{
	int n = snprintf(buf, len, GEN_DIR_PREFIX "%d/%s-%u%s%s", (int)c->owner, c->mech->name, c->pair,
			 *what ? "-" : "", what);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

void gen_chan_keep(struct gen_chan *c, int role, int fd)
{
	for (int i = 0; i < GEN_MAX_FDS; i++)
		if (c->keep[role][i] < 0) {
			c->keep[role][i] = fd;
			return;
		}
}

long gen_read_long(const char *path, long dflt)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return dflt;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return dflt;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

void gen_error(char *err, size_t len, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	struct rlimit rl;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	n = strlen(err);
	snprintf(err + n, len - n, ": %s", strerror(errnum));
	n = strlen(err);
	if (errnum == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0)
		snprintf(err + n, len - n, _(" (limit hit: RLIMIT_NOFILE, open files per process, %llu)"),
			 (unsigned long long)rl.rlim_cur);
	else if (errnum == ENFILE)
		snprintf(err + n, len - n, _(" (limit hit: fs.file-max, open files on the system)"));
}

const char *gen_limit_hint(int errnum, char family)
{
	switch (family) {
	case 'q':
		if (errnum == EINVAL)
			return _(" (limit hit: fs.mqueue.msgsize_max or fs.mqueue.msg_max)");
		if (errnum == EMFILE)
			return _(" (limit hit: RLIMIT_MSGQUEUE, bytes of POSIX queues per user, or "
				 "RLIMIT_NOFILE)");
		if (errnum == ENOSPC)
			return _(" (limit hit: fs.mqueue.queues_max)");
		break;
	case 'm':
		if (errnum == ENOSPC)
			return _(" (limit hit: kernel.msgmni, SysV message queues)");
		break;
	case 's':
		if (errnum == ENOSPC)
			return _(" (limit hit: kernel.shmmni or kernel.shmall)");
		if (errnum == EINVAL)
			return _(" (limit hit: kernel.shmmax)");
		break;
	case 'S':
		if (errnum == ENOSPC)
			return _(" (limit hit: kernel.sem, SEMMNI or SEMMNS)");
		break;
	}
	if (errnum == EEXIST)
		return _(" (left by an earlier generator with this pid? see --generate-cleanup)");
	return "";
}

uint64_t gen_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- a run ---- */

struct gen_worker_info {
	pid_t pid;
	struct gen_chan *chan;
	int role;
	bool reaped;
	int status;
	double cpu_s;
};

struct gen_run {
	struct gen_params params;
	struct gen_chan *chans;
	size_t nchans;
	struct gen_worker_info *workers;    /* 2 per chan */
	size_t nworkers;
	struct gen_stats *stats;            /* shared: one per worker */
	size_t stats_len;
	volatile uint64_t *shared_start;    /* the start time, in the shared mapping */
	int go[2];                          /* closed to start the workers together */
	uint64_t start_ns, end_ns;
	pid_t owner;
	bool dir_made;
	bool stopped;
	char error[512];
	int error_prio;                     /* of the error: 2 a worker killed, 1 failed */
};

const char *gen_run_error(const struct gen_run *r)
{
	return r->error[0] ? r->error : NULL;
}

const struct gen_params *gen_run_params(const struct gen_run *r)
{
	return &r->params;
}

const struct gen_chan *gen_run_chan(const struct gen_run *r, enum gen_mech_id m, unsigned int pair)
{
	for (size_t i = 0; i < r->nchans; i++)
		if (r->chans[i].mech == mechs[m] && r->chans[i].pair == pair)
			return &r->chans[i];
	return NULL;
}

static void chan_close_all(struct gen_chan *c)
{
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < GEN_MAX_FDS; i++) {
			int fd = c->keep[r][i];

			if (fd < 0)
				continue;
			close(fd);
			/* the same descriptor may be kept by both */
			for (int r2 = 0; r2 < 2; r2++)
				for (int j = 0; j < GEN_MAX_FDS; j++)
					if (c->keep[r2][j] == fd)
						c->keep[r2][j] = -1;
		}
}

static char gen_dir[64];

/* The directory of FIFOs and socket files, removed when empty (after the pairs' files). */
static void remove_dir(struct gen_run *r)
{
	if (r->dir_made && rmdir(gen_dir) < 0 && errno != ENOENT && !r->error[0])
		gen_error(r->error, sizeof(r->error), errno, _("cannot remove directory %s"), gen_dir);
	r->dir_made = false;
}

static volatile sig_atomic_t worker_stop;
static struct gen_chan *worker_chan;
static pid_t worker_parent;

static void worker_on_term(int sig)
{
	(void)sig;
	/* the generator is gone (PR_SET_PDEATHSIG): nobody else will remove the objects */
	if (getppid() != worker_parent && worker_chan) {
		worker_chan->mech->destroy(worker_chan);
		char dir[64];
		/* the directory goes when its last pair's files are gone */
		memcpy(dir, gen_dir, sizeof(dir));
		rmdir(dir);
	}
	_exit(3);
}

static void __attribute__((noreturn)) worker_main(struct gen_run *r, struct gen_chan *c, int role,
						  struct gen_stats *st)
{
	struct sigaction sa = { .sa_handler = worker_on_term };
	sigset_t none;
	char b;

	worker_parent = r->owner;
	worker_chan = c;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);        /* the generator decides what ^C means */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (getppid() != r->owner)
		raise(SIGTERM);
	/* keep only this worker's descriptors: none of its peer's, none of the program's
	 * (the full-screen program's terminal, inotify, ...) */
	int keep[GEN_MAX_FDS + 1], nkeep = 0, lo = 3, null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	keep[nkeep++] = r->go[0];
	for (int i = 0; i < GEN_MAX_FDS; i++)
		if (c->keep[role][i] >= 0)
			keep[nkeep++] = c->keep[role][i];
	for (int i = 1; i < nkeep; i++)         /* a few: insertion sort */
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int tmp = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = tmp;
		}
	for (int i = 0; i < nkeep; i++) {
		if (keep[i] > lo)
			close_range((unsigned int)lo, (unsigned int)keep[i] - 1, 0);
		if (keep[i] + 1 > lo)
			lo = keep[i] + 1;
	}
	close_range((unsigned int)lo, ~0u, 0);
	while (read(r->go[0], &b, 1) < 0 && errno == EINTR)
		;
	close(r->go[0]);
	if (*r->shared_start == 0)
		_exit(4);       /* the generator gave up before the start */

	uint64_t deadline = *r->shared_start + (uint64_t)(r->params.duration * 1e9);
	int rc = c->mech->run ? c->mech->run(c, role, st, deadline, r->params.rate)
			      : gen_worker(c, role, st, deadline, r->params.rate);

	if (rc == 0)
		st->done = 1;
	_exit(rc == 0 ? 0 : 1);
}

static void kill_workers(struct gen_run *r, int sig)
{
	for (size_t i = 0; i < r->nworkers; i++)
		if (r->workers[i].pid > 0 && !r->workers[i].reaped)
			kill(r->workers[i].pid, sig);
}

static void reap(struct gen_worker_info *w, int status, const struct rusage *ru)
{
	w->reaped = true;
	w->status = status;
	w->cpu_s = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
		   (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

static const char *role_name(int role)
{
	return role == 0 ? _("producer") : _("consumer");
}

/* A worker that did not finish normally: the run's error, if it has none yet. */
static void worker_failed(struct gen_run *r, struct gen_worker_info *w)
{
	struct gen_stats *st = &r->stats[w - r->workers];

	/* a worker killed by a signal is the cause; its peer failing on the broken channel
	 * is the consequence, even when reaped first */
	int prio = WIFSIGNALED(w->status) ? 2 : 1;

	if (prio <= r->error_prio)
		return;
	r->error_prio = prio;
	if (WIFSIGNALED(w->status))
		snprintf(r->error, sizeof(r->error), _("%s pair %u: %s (pid %d) killed by signal %d (%s)"),
			 w->chan->mech->name, w->chan->pair, role_name(w->role), (int)w->pid,
			 WTERMSIG(w->status), strsignal(WTERMSIG(w->status)));
	else
		snprintf(r->error, sizeof(r->error), _("%s pair %u: %s (pid %d) failed: %s"),
			 w->chan->mech->name, w->chan->pair, role_name(w->role), (int)w->pid,
			 st->error[0] ? st->error : _("exited with an error"));
}

int gen_poll(struct gen_run *r)
{
	bool running = false;

	for (size_t i = 0; i < r->nworkers; i++) {
		struct gen_worker_info *w = &r->workers[i];
		struct rusage ru;
		int status;

		if (w->pid <= 0 || w->reaped)
			continue;
		pid_t p = wait4(w->pid, &status, WNOHANG, &ru);

		if (p == w->pid) {
			reap(w, status, &ru);
			if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				worker_failed(r, w);
		} else {
			running = true;
		}
	}
	if (r->error[0])
		return -1;
	if (!running && !r->end_ns)
		r->end_ns = gen_now_ns();
	return running ? 1 : 0;
}

static void destroy_all(struct gen_run *r)
{
	for (size_t i = 0; i < r->nchans; i++) {
		struct gen_chan *c = &r->chans[i];

		chan_close_all(c);
		if (c->mech)
			c->mech->destroy(c);
		for (int s = 0; s < 4; s++)
			if (c->sem[s] && c->sem[s] != SEM_FAILED) {
				sem_close(c->sem[s]);
				c->sem[s] = NULL;
			}
		if (c->map) {
			munmap(c->map, c->map_len);
			c->map = NULL;
		}
	}
	remove_dir(r);
}

void gen_stop(struct gen_run *r)
{
	if (!r || r->stopped)
		return;
	if (!r->end_ns)
		r->end_ns = gen_now_ns();
	r->stopped = true;
	kill_workers(r, SIGTERM);
	/* a worker gets a second to go, then SIGKILL */
	for (int t = 0; t < 100; t++) {
		bool left = false;

		for (size_t i = 0; i < r->nworkers; i++) {
			struct gen_worker_info *w = &r->workers[i];
			struct rusage ru;
			int status;

			if (w->pid <= 0 || w->reaped)
				continue;
			if (wait4(w->pid, &status, WNOHANG, &ru) == w->pid) {
				reap(w, status, &ru);
				/* killed by another signal than ours, while the run was stopping
				 * because its peer failed */
				if (r->error_prio && WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
					worker_failed(r, w);
			} else {
				left = true;
			}
		}
		if (!left)
			break;
		if (t == 99) {
			kill_workers(r, SIGKILL);
			for (size_t i = 0; i < r->nworkers; i++) {
				struct gen_worker_info *w = &r->workers[i];
				struct rusage ru;
				int status;

				if (w->pid > 0 && !w->reaped && wait4(w->pid, &status, 0, &ru) == w->pid)
					reap(w, status, &ru);
			}
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	destroy_all(r);
}

void gen_free(struct gen_run *r)
{
	if (!r)
		return;
	gen_stop(r);
	if (r->stats)
		munmap(r->stats, r->stats_len);
	free(r->chans);
	free(r->workers);
	free(r);
}

/* Limits that are known before anything is created. */
static int check_limits(const struct gen_params *p, char *err, size_t errlen)
{
	if (p->spec.pairs[GEN_POSIX_MQ]) {
		long max = gen_read_long("/proc/sys/fs/mqueue/msgsize_max", 8192);

		if ((long)p->msg_size > max && geteuid() != 0) {
			snprintf(err, errlen, _("--msg-size %zu is more than a POSIX message queue takes "
						"(limit: fs.mqueue.msgsize_max, %ld bytes)"), p->msg_size, max);
			return -1;
		}
	}
	if (p->spec.pairs[GEN_SYSV_MSG]) {
		long max = gen_read_long("/proc/sys/kernel/msgmax", 8192);
		long mnb = gen_read_long("/proc/sys/kernel/msgmnb", 16384);

		if ((long)p->msg_size > max) {
			snprintf(err, errlen, _("--msg-size %zu is more than a SysV message takes "
						"(limit: kernel.msgmax, %ld bytes)"), p->msg_size, max);
			return -1;
		}
		if ((long)p->msg_size > mnb) {
			snprintf(err, errlen, _("--msg-size %zu is more than a SysV message queue holds "
						"(limit: kernel.msgmnb, %ld bytes)"), p->msg_size, mnb);
			return -1;
		}
	}
	if (p->spec.pairs[GEN_UNIX_DGRAM] || p->spec.pairs[GEN_UNIX_SEQPACKET]) {
		long wmem = gen_read_long("/proc/sys/net/core/wmem_max", 212992);

		if ((long)p->msg_size > wmem) {
			snprintf(err, errlen, _("--msg-size %zu is more than a UNIX datagram takes "
						"(limit: net.core.wmem_max, %ld bytes)"), p->msg_size, wmem);
			return -1;
		}
	}
	return 0;
}

struct gen_run *gen_start(const struct gen_params *p, char *err, size_t errlen)
{
	struct gen_run *r = xcalloc(1, sizeof(*r));
	size_t n = 0;

	r->params = *p;
	r->owner = getpid();
	r->go[0] = r->go[1] = -1;
	if (check_limits(p, err, errlen) < 0) {
		free(r);
		return NULL;
	}
	for (int m = 0; m < GEN_MECH_COUNT; m++)
		n += p->spec.pairs[m];
	if (n == 0) {
		snprintf(err, errlen, _("no mechanism chosen"));
		free(r);
		return NULL;
	}
	r->chans = xcalloc(n, sizeof(*r->chans));
	r->workers = xcalloc(2 * n, sizeof(*r->workers));
	r->stats_len = 2 * n * sizeof(struct gen_stats) + 64;
	r->stats = mmap(NULL, r->stats_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->stats == MAP_FAILED) {
		gen_error(err, errlen, errno, _("cannot map the workers' counters"));
		r->stats = NULL;
		gen_free(r);
		return NULL;
	}
	r->shared_start = (volatile uint64_t *)((char *)r->stats + 2 * n * sizeof(struct gen_stats));
	for (size_t i = 0; i < 2 * n; i++)
		r->stats[i].lat_min = UINT64_MAX;
	snprintf(gen_dir, sizeof(gen_dir), GEN_DIR_PREFIX "%d", (int)r->owner);
	if (p->spec.pairs[GEN_FIFO] || p->spec.pairs[GEN_UNIX_STREAM] || p->spec.pairs[GEN_UNIX_DGRAM] ||
	    p->spec.pairs[GEN_UNIX_SEQPACKET]) {
		if (mkdir(gen_dir, 0700) < 0) {
			gen_error(err, errlen, errno, _("cannot create directory %s"), gen_dir);
			gen_free(r);
			return NULL;
		}
		r->dir_made = true;
	}
	if (pipe2(r->go, O_CLOEXEC) < 0) {
		gen_error(err, errlen, errno, _("cannot create the start pipe"));
		gen_free(r);
		return NULL;
	}
	for (int m = 0; m < GEN_MECH_COUNT; m++) {
		for (unsigned int i = 0; i < p->spec.pairs[m]; i++) {
			struct gen_chan *c = &r->chans[r->nchans++];

			c->mech = mechs[m];
			c->pair = i;
			c->owner = r->owner;
			c->msg_size = p->msg_size;
			c->pingpong = p->pattern == GEN_PINGPONG;
			memset(c->keep, -1, sizeof(c->keep));
			c->tx[0] = c->tx[1] = c->rx[0] = c->rx[1] = -1;
			c->sysv[0] = c->sysv[1] = c->sysv[2] = -1;
			if (c->mech->create(c, err, errlen) < 0)
				goto fail;
			for (int role = 0; role < 2; role++) {
				struct gen_worker_info *w = &r->workers[r->nworkers];
				pid_t pid = fork();

				if (pid < 0) {
					gen_error(err, errlen, errno, _("cannot start a %s worker (fork)"),
						  c->mech->name);
					if (errno == EAGAIN)
						snprintf(err + strlen(err), errlen - strlen(err),
							 _(" (limit hit: RLIMIT_NPROC or kernel.pid_max)"));
					goto fail;
				}
				if (pid == 0)
					worker_main(r, c, role, &r->stats[r->nworkers]);
				w->pid = pid;
				w->chan = c;
				w->role = role;
				r->nworkers++;
			}
			/* the workers have their ends: the generator keeps only the names (the
			 * workers forked next must not hold this pair's objects either) */
			chan_close_all(c);
			for (int k = 0; k < 4; k++)
				if (c->sem[k]) {
					sem_close(c->sem[k]);
					c->sem[k] = NULL;
				}
			if (c->map) {
				munmap(c->map, c->map_len);
				c->map = NULL;
			}
		}
	}
	r->start_ns = gen_now_ns();
	*r->shared_start = r->start_ns;
	close(r->go[1]);
	close(r->go[0]);
	r->go[0] = r->go[1] = -1;
	return r;
fail:
	if (r->go[1] >= 0)
		close(r->go[1]);        /* workers waiting to start see no start time and exit */
	if (r->go[0] >= 0)
		close(r->go[0]);
	r->go[0] = r->go[1] = -1;
	r->error[0] = '\0';
	gen_free(r);
	return NULL;
}

/* ---- results ---- */

size_t gen_results(struct gen_run *r, struct gen_result *out, size_t max)
{
	size_t n = 0;
	uint64_t end = r->end_ns ? r->end_ns : gen_now_ns();
	double secs = (double)(end - r->start_ns) / 1e9;

	for (int m = 0; m < GEN_MECH_COUNT && n < max; m++) {
		struct gen_result *res = &out[n];
		uint64_t hist[GEN_HIST_BUCKETS] = { 0 }, lat_n = 0;

		if (!r->params.spec.pairs[m])
			continue;
		memset(res, 0, sizeof(*res));
		res->mech = (enum gen_mech_id)m;
		res->pairs = r->params.spec.pairs[m];
		res->seconds = secs;
		res->lat_min = UINT64_MAX;
		for (size_t i = 0; i < r->nworkers; i++) {
			struct gen_worker_info *w = &r->workers[i];
			struct gen_stats *st = &r->stats[i];
			/* the latency is the consumer's (one way), in ping-pong the producer's
			 * (the round trip) */
			int lat_role = r->params.pattern == GEN_PINGPONG ? 0 : 1;

			if (w->chan->mech != mechs[m])
				continue;
			if (res->npids < sizeof(res->pids) / sizeof(res->pids[0]))
				res->pids[res->npids++] = w->pid;
			if (w->role == 0) {
				res->sent += st->msgs;
			} else {
				res->received += st->msgs;
				res->bytes += st->bytes;
			}
			res->errors += st->errors;
			res->cpu_s += w->cpu_s;
			if (w->role == lat_role && st->lat_n) {
				lat_n += st->lat_n;
				for (int b = 0; b < GEN_HIST_BUCKETS; b++)
					hist[b] += st->hist[b];
				if (st->lat_min < res->lat_min)
					res->lat_min = st->lat_min;
				if (st->lat_max > res->lat_max)
					res->lat_max = st->lat_max;
			}
		}
		res->lat_samples = lat_n;
		if (lat_n) {
			res->lat_p50 = gen_hist_percentile(hist, lat_n, 0.50);
			res->lat_p99 = gen_hist_percentile(hist, lat_n, 0.99);
			/* a bucket's bound may pass the largest value seen */
			if (res->lat_p50 > res->lat_max)
				res->lat_p50 = res->lat_max;
			if (res->lat_p99 > res->lat_max)
				res->lat_p99 = res->lat_max;
			if (res->lat_p50 < res->lat_min)
				res->lat_p50 = res->lat_min;
			if (res->lat_p99 < res->lat_min)
				res->lat_p99 = res->lat_min;
		} else {
			res->lat_min = 0;
		}
		if (secs > 0) {
			res->msgs_per_s = (double)res->received / secs;
			res->mb_per_s = (double)res->bytes / secs / 1e6;
		}
		n++;
	}
	return n;
}

void gen_format_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns == 0)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
}

static const char *pattern_name(enum gen_pattern p)
{
	return p == GEN_PINGPONG ? "pingpong" : "stream";
}

void gen_print_text(FILE *f, const struct gen_params *p, const struct gen_result *res, size_t n)
{
	fprintf(f, _("Generated traffic: %zu-byte messages, %s, %s, %.3g s\n"), p->msg_size,
		pattern_name(p->pattern), p->rate ? "" : _("as fast as possible"), p->duration);
	if (p->rate)
		fprintf(f, _("Rate limit: %ld messages/s per pair\n"), p->rate);
	fprintf(f, "%-15s %5s %12s %12s %12s %9s %9s %9s %9s %9s %7s %6s\n", _("MECHANISM"), _("PAIRS"),
		_("SENT"), _("RECEIVED"), _("MSGS/S"), _("MB/S"), p->pattern == GEN_PINGPONG ? _("RTT-MIN") : _("LAT-MIN"),
		_("P50"), _("P99"), _("MAX"), _("CPU-S"), _("ERRORS"));
	for (size_t i = 0; i < n; i++) {
		const struct gen_result *r = &res[i];
		char mn[16], p50[16], p99[16], mx[16];

		gen_format_ns(r->lat_min, mn, sizeof(mn));
		gen_format_ns(r->lat_p50, p50, sizeof(p50));
		gen_format_ns(r->lat_p99, p99, sizeof(p99));
		gen_format_ns(r->lat_max, mx, sizeof(mx));
		fprintf(f, "%-15s %5u %12llu %12llu %12.0f %9.2f %9s %9s %9s %9s %7.2f %6llu\n",
			gen_mech_name(r->mech), r->pairs, (unsigned long long)r->sent,
			(unsigned long long)r->received, r->msgs_per_s, r->mb_per_s, mn, p50, p99, mx,
			r->cpu_s, (unsigned long long)r->errors);
	}
}

void gen_print_json(FILE *f, const struct gen_params *p, const struct gen_result *res, size_t n,
		    const char *error)
{
	fprintf(f, "{\"generate\":{\"msg_size\":%zu,\"rate\":%ld,\"pattern\":\"%s\",\"duration\":%.6g,",
		p->msg_size, p->rate, pattern_name(p->pattern), p->duration);
	fputs("\"error\":", f);
	if (error) {
		json_write_string(f, error, strlen(error));
	} else {
		fputs("null", f);
	}
	fputs(",\"results\":[", f);
	for (size_t i = 0; i < n; i++) {
		const struct gen_result *r = &res[i];

		fprintf(f, "%s{\"mechanism\":\"%s\",\"pairs\":%u,\"sent\":%llu,\"received\":%llu,"
			"\"bytes\":%llu,\"seconds\":%.6f,\"msgs_per_s\":%.3f,\"mb_per_s\":%.6f,"
			"\"latency_ns\":{\"kind\":\"%s\",\"min\":%llu,\"p50\":%llu,\"p99\":%llu,\"max\":%llu,"
			"\"samples\":%llu},"
			"\"cpu_s\":%.6f,\"errors\":%llu,\"pids\":[",
			i ? "," : "", gen_mech_name(r->mech), r->pairs, (unsigned long long)r->sent,
			(unsigned long long)r->received, (unsigned long long)r->bytes, r->seconds,
			r->msgs_per_s, r->mb_per_s, p->pattern == GEN_PINGPONG ? "round_trip" : "one_way",
			(unsigned long long)r->lat_min, (unsigned long long)r->lat_p50,
			(unsigned long long)r->lat_p99, (unsigned long long)r->lat_max,
			(unsigned long long)r->lat_samples, r->cpu_s,
			(unsigned long long)r->errors);
		for (size_t k = 0; k < r->npids; k++)
			fprintf(f, "%s%d", k ? "," : "", (int)r->pids[k]);
		fputs("]}", f);
	}
	fputs("]}}\n", f);
}

/* ---- the command line ---- */

int gen_main(const struct gen_params *p, bool json)
{
	sigset_t set, old;
	char err[512];
	int sig = 0, rc = EXIT_SUCCESS;

	/* signals are taken synchronously: nothing is interrupted halfway through a step */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);

	struct gen_run *r = gen_start(p, err, sizeof(err));

	if (!r) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		fprintf(stderr, "ipctop: --generate: %s\n", err);
		return EXIT_FAILURE;
	}
	/* the workers stop by themselves at the deadline; a grace period after it */
	uint64_t hard = r->start_ns + (uint64_t)(p->duration * 1e9) + 5000000000ull;
	int state;

	while ((state = gen_poll(r)) > 0) {
		uint64_t now = gen_now_ns();
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		siginfo_t si;

		if (now > hard) {
			snprintf(r->error, sizeof(r->error),
				 _("workers still running 5 s after the end of the run: stopped"));
			break;
		}
		int s = sigtimedwait(&set, &si, &ts);

		if (s == SIGINT || s == SIGTERM || s == SIGHUP) {
			sig = s;
			break;
		}
	}
	gen_stop(r);

	struct gen_result res[GEN_MECH_COUNT];
	size_t n = gen_results(r, res, GEN_MECH_COUNT);
	const char *error = gen_run_error(r);
	char ebuf[600];

	if (sig) {
		snprintf(ebuf, sizeof(ebuf), _("interrupted by %s: every object removed"),
			 sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
		error = ebuf;
	}
	if (!error) {
		/* in an orderly end every message sent arrived (and was checked) */
		for (size_t i = 0; i < n; i++)
			if (res[i].sent != res[i].received) {
				snprintf(ebuf, sizeof(ebuf), _("%s: %llu messages sent but %llu received"),
					 gen_mech_name(res[i].mech), (unsigned long long)res[i].sent,
					 (unsigned long long)res[i].received);
				error = ebuf;
				break;
			}
	}
	if (json)
		gen_print_json(stdout, p, res, n, error);
	else
		gen_print_text(stdout, p, res, n);
	fflush(stdout);
	for (size_t i = 0; i < n; i++)
		if (res[i].errors)
			rc = EXIT_FAILURE;
	if (error) {
		fprintf(stderr, "ipctop: --generate: %s\n", error);
		rc = EXIT_FAILURE;
	}
	gen_free(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (sig) {
		/* die of the signal, as a shell expects */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
