/* The collection worker: one thread, one snapshot at a time, handed over under a mutex
 * and announced through an eventfd the main loop polls. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "collector.h"
#include "xalloc.h"

struct collector {
	const struct collect_opts *opts;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool requested, running, stop;
	struct snapshot *ready;     /* finished, not yet taken */
	int efd;
	pid_t cmdline_pid;          /* a process whose command line is read too, 0 none */
};

static void *collector_main(void *arg)
{
	struct collector *c = arg;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->requested && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->requested = false;
		c->running = true;

		/* the options, plus the process whose page is open (its command line is
		 * read here, not in the main thread: the read can stall on its mm lock) */
		struct collect_opts opts = *c->opts;
		pid_t extra = c->cmdline_pid;
		pid_t *pids = NULL;

		pthread_mutex_unlock(&c->lock);
		if (extra > 0) {
			pids = xcalloc(opts.npids + 1, sizeof(*pids));
			if (opts.npids)
				memcpy(pids, opts.pids, opts.npids * sizeof(*pids));
			pids[opts.npids++] = extra;
			opts.pids = pids;
		}

		struct snapshot *snap = snapshot_new();

		snapshot_collect(snap, &opts);
		free(pids);

		pthread_mutex_lock(&c->lock);
		c->running = false;
		if (c->ready)
			snapshot_free(c->ready);    /* never taken: the newer one replaces it */
		c->ready = snap;

		uint64_t one = 1;
		ssize_t r = write(c->efd, &one, sizeof(one));

		(void)r;    /* the counter cannot overflow at one per snapshot */
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct collector *collector_start(const struct collect_opts *opts)
{
	struct collector *c = xcalloc(1, sizeof(*c));

	c->opts = opts;
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->efd < 0) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);

	/* the asynchronous signals (SIGINT, SIGWINCH...) go to the main thread, which owns
	 * the terminal; a fault in the worker (SIGSEGV...) must still reach the crash
	 * handler there, so those stay unblocked */
	static const int async_signals[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT, SIGCHLD, SIGPIPE,
		SIGALRM, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU,
	};
	sigset_t all, old;

	sigemptyset(&all);
	for (size_t i = 0; i < sizeof(async_signals) / sizeof(async_signals[0]); i++)
		sigaddset(&all, async_signals[i]);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int err = pthread_create(&c->thread, NULL, collector_main, c);

	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		close(c->efd);
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		free(c);
		errno = err;
		return NULL;
	}
	return c;
}

int collector_fd(const struct collector *c)
{
	return c->efd;
}

struct snapshot *collector_take(struct collector *c)
{
	uint64_t n;

	while (read(c->efd, &n, sizeof(n)) > 0)
		;
	pthread_mutex_lock(&c->lock);
	struct snapshot *snap = c->ready;

	c->ready = NULL;
	pthread_mutex_unlock(&c->lock);
	return snap;
}

void collector_set_cmdline_pid(struct collector *c, pid_t pid)
{
	pthread_mutex_lock(&c->lock);
	c->cmdline_pid = pid;
	pthread_mutex_unlock(&c->lock);
}

void collector_request(struct collector *c)
{
	pthread_mutex_lock(&c->lock);
	c->requested = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

bool collector_busy(struct collector *c)
{
	pthread_mutex_lock(&c->lock);
	bool busy = c->running || c->requested;

	pthread_mutex_unlock(&c->lock);
	return busy;
}

void collector_stop(struct collector *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	if (c->ready)
		snapshot_free(c->ready);
	close(c->efd);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c);
}
