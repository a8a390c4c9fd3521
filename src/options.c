#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "options.h"
#include "xalloc.h"

int parse_seconds(const char *s, double max, double *out)
{
	/* by hand, not strtod: no locale decimal comma, no hex, no exponent, no sign */
	double v = 0, scale = 1;
	bool digits = false, point = false;

	if (!s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			digits = true;
			if (point) {
				scale /= 10;
				v += (*p - '0') * scale;
			} else {
				v = v * 10 + (*p - '0');
				if (v > max)
					return -1;
			}
		} else if (*p == '.' && !point) {
			point = true;
		} else {
			return -1;
		}
	}
	if (!digits || !isfinite(v) || v <= 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_count(const char *s, long max, long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);

	if (errno || *end || v <= 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int split_list(const char *s, char ***out, size_t *n)
{
	char **list = NULL;
	size_t count = 0;
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0) {
			free_list(list, count);
			return -1;
		}
		list = xreallocarray(list, count + 1, sizeof(*list));
		list[count] = xmalloc(len + 1);
		memcpy(list[count], p, len);
		list[count][len] = '\0';
		count++;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = list;
	*n = count;
	return 0;
}

void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int parse_kinds(const char *s, unsigned int *mask, char **bad)
{
	char **list;
	size_t n;
	unsigned int m = 0;

	*bad = NULL;
	if (!s || split_list(s, &list, &n) < 0) {
		*bad = xstrdup("");        /* an empty name */
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int k = kind_by_name(list[i]);

		if (k >= 0)
			m |= 1u << k;
		else if (strcmp(list[i], "sysv") == 0)
			m |= (1u << KIND_SYSV_MSG) | (1u << KIND_SYSV_SHM) | (1u << KIND_SYSV_SEM);
		else if (strcmp(list[i], "posix") == 0)
			m |= (1u << KIND_POSIX_MQ) | (1u << KIND_POSIX_SHM) | (1u << KIND_POSIX_SEM);
		else if (strcmp(list[i], "events") == 0)
			m |= (1u << KIND_EVENTFD) | (1u << KIND_SIGNALFD) | (1u << KIND_INOTIFY) |
			     (1u << KIND_TIMERFD) | (1u << KIND_PIDFD) | (1u << KIND_EPOLL);
		else if (strcmp(list[i], "sockets") == 0)
			m |= (1u << KIND_UNIX) | (1u << KIND_INET) | (1u << KIND_NETLINK);
		else if (strcmp(list[i], "shm") == 0)
			m |= (1u << KIND_SYSV_SHM) | (1u << KIND_POSIX_SHM) | (1u << KIND_MEMFD) |
			     (1u << KIND_SHARED_ANON) | (1u << KIND_SHARED_FILE);
		else if (strcmp(list[i], "all") == 0)
			m |= (1u << KIND_COUNT) - 1;
		else {
			*bad = xstrdup(list[i]);
			free_list(list, n);
			return -1;
		}
	}
	free_list(list, n);
	*mask = m;
	return 0;
}
