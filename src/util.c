#include "config.h"

#include <sched.h>
#include <signal.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "xalloc.h"

char *read_fd(int fd, size_t max, size_t *len)
{
	size_t alloc = 4096, n = 0;
	char *buf = xmalloc(alloc);

	for (;;) {
		if (n + 1 >= alloc) {
			if (alloc >= max + 1) {
				/* more than the caller can take: an error, not a silent cut */
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			alloc = alloc * 2 > max + 1 ? max + 1 : alloc * 2;
			buf = xreallocarray(buf, alloc, 1);
		}
		ssize_t r = read(fd, buf + n, alloc - n - 1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *read_file_at(int dirfd, const char *path, size_t max, size_t *len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	char *buf = read_fd(fd, max, len);
	int e = errno;

	close(fd);
	errno = e;
	return buf;
}

/* A small open-addressing cache: NSS lookups are slow and ids repeat. */
struct name_entry {
	unsigned int id;
	bool used;
	char *name;        /* NULL: looked up, has no name */
	char *number;      /* the id as text, made when asked for a label of a nameless id */
};

struct name_cache {
	struct name_entry *e;
	size_t size, count;
};

static struct name_cache users, groups;

static struct name_entry *cache_slot(struct name_cache *c, unsigned int id)
{
	if (c->count * 2 >= c->size) {
		struct name_cache n = { .size = c->size ? c->size * 2 : 64 };

		n.e = xcalloc(n.size, sizeof(*n.e));
		for (size_t i = 0; i < c->size; i++) {
			if (!c->e[i].used)
				continue;
			size_t j = (c->e[i].id * 2654435761u) & (n.size - 1);

			while (n.e[j].used)
				j = (j + 1) & (n.size - 1);
			n.e[j] = c->e[i];
			n.count++;
		}
		free(c->e);
		*c = n;
	}
	size_t j = (id * 2654435761u) & (c->size - 1);

	while (c->e[j].used && c->e[j].id != id)
		j = (j + 1) & (c->size - 1);
	return &c->e[j];
}

const char *user_name(uid_t uid)
{
	struct name_entry *e = cache_slot(&users, uid);

	if (!e->used) {
		struct passwd *pw = getpwuid(uid);

		e->used = true;
		e->id = uid;
		e->name = pw ? xstrdup(pw->pw_name) : NULL;
		users.count++;
	}
	return e->name;
}

const char *group_name(gid_t gid)
{
	struct name_entry *e = cache_slot(&groups, gid);

	if (!e->used) {
		struct group *gr = getgrgid(gid);

		e->used = true;
		e->id = gid;
		e->name = gr ? xstrdup(gr->gr_name) : NULL;
		groups.count++;
	}
	return e->name;
}

const char *user_label(uid_t uid)
{
	const char *name = user_name(uid);
	struct name_entry *e;

	if (name)
		return name;
	e = cache_slot(&users, uid);
	if (!e->number)
		e->number = xasprintf("%u", (unsigned int)uid);
	return e->number;
}

static void cache_free(struct name_cache *c)
{
	for (size_t i = 0; i < c->size; i++) {
		free(c->e[i].name);
		free(c->e[i].number);
	}
	free(c->e);
	memset(c, 0, sizeof(*c));
}

void names_cache_free(void)
{
	cache_free(&users);
	cache_free(&groups);
}

size_t usable_cpus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0 ? (size_t)CPU_COUNT(&set) : 1;
}

int thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	static const int async_signals[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT, SIGCHLD, SIGPIPE,
		SIGALRM, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU,
	};
	sigset_t block, old;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(async_signals) / sizeof(async_signals[0]); i++)
		sigaddset(&block, async_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);

	int err = pthread_create(thread, NULL, fn, arg);

	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}
