/* The collection worker: one thread, one snapshot at a time, handed over under a mutex
 * and announced through an eventfd the main loop polls. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "collector.h"
#include "util.h"
#include "xalloc.h"

struct collector {
	const struct collect_opts *opts;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool requested, running, stop;
	struct snapshot *ready;     /* finished, not yet taken */
	struct ident_index ready_ix;
	struct snapshot *trash[4];  /* given back: freed by the worker */
	struct ident_index trash_ix[4];
	size_t ntrash;
	int efd;
	pid_t cmdline_pid;          /* a process whose command line is read too, 0 none */
};

/* Free what the main thread gave back; called and returns with the lock held. */
static void empty_trash(struct collector *c)
{
	while (c->ntrash) {
		size_t i = --c->ntrash;
		struct snapshot *snap = c->trash[i];
		struct ident_index ix = c->trash_ix[i];

		pthread_mutex_unlock(&c->lock);
		ident_index_free(&ix);
		snapshot_free(snap);
		pthread_mutex_lock(&c->lock);
	}
}

static void *collector_main(void *arg)
{
	struct collector *c = arg;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->requested && !c->stop && !c->ntrash)
			pthread_cond_wait(&c->wake, &c->lock);
		empty_trash(c);
		if (c->stop)
			break;
		if (!c->requested)
			continue;
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
		struct ident_index ix;

		snapshot_collect(snap, &opts);
		free(pids);
		ident_index_build(&ix, snap);

		pthread_mutex_lock(&c->lock);
		c->running = false;
		if (c->ready) {
			/* never taken: the newer one replaces it */
			ident_index_free(&c->ready_ix);
			snapshot_free(c->ready);
		}
		c->ready = snap;
		c->ready_ix = ix;

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
	int err = thread_start(&c->thread, collector_main, c);

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

struct snapshot *collector_take(struct collector *c, struct ident_index *ix)
{
	uint64_t n;

	while (read(c->efd, &n, sizeof(n)) > 0)
		;
	pthread_mutex_lock(&c->lock);
	struct snapshot *snap = c->ready;

	if (snap)
		*ix = c->ready_ix;
	c->ready = NULL;
	memset(&c->ready_ix, 0, sizeof(c->ready_ix));
	pthread_mutex_unlock(&c->lock);
	return snap;
}

void collector_discard(struct collector *c, struct snapshot *snap, struct ident_index *ix)
{
	if (!snap)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->ntrash == sizeof(c->trash) / sizeof(c->trash[0])) {
		/* the worker is behind: free it here rather than wait */
		pthread_mutex_unlock(&c->lock);
		ident_index_free(ix);
		snapshot_free(snap);
		return;
	}
	c->trash[c->ntrash] = snap;
	c->trash_ix[c->ntrash++] = *ix;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	memset(ix, 0, sizeof(*ix));
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
	pthread_mutex_lock(&c->lock);
	empty_trash(c);
	pthread_mutex_unlock(&c->lock);
	if (c->ready) {
		ident_index_free(&c->ready_ix);
		snapshot_free(c->ready);
	}
	close(c->efd);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c);
}
