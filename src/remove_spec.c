/*
 * What can be removed, and how an object is named for removal on the command line
 * (--remove KIND:ID ...): pure functions of a snapshot's object or a string, apart
 * from the locale, so that the fuzz target (tests/fuzz/fuzz_remove.c) can build them
 * alone. The acts themselves are in remove.c.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "parse.h"
#include "remove.h"
#include "xalloc.h"

#define SEM_PREFIX "sem."

/* ---- what can be removed, and what it means ---- */

bool removal_supported(const struct ipc_object *o, const char **why)
{
	const char *r = NULL;
	bool named = o->name && o->name_len > 0 && strlen(o->name) == o->name_len;

	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		break;
	case KIND_SYSV_SHM:
		if (o->mode & SHM_DEST)
			r = N_("it is already marked for removal: it goes at the last detach");
		break;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		if (!named || !o->inode || strchr(o->name, '/'))
			r = N_("its name is unknown");
		break;
	case KIND_FIFO:
		if (!named || o->name[0] != '/' || !o->inode)
			r = N_("its path is unknown");
		break;
	case KIND_UNIX:
		if (!named)
			r = N_("it is not bound to a name");
		else if (o->abstract)
			r = N_("its name is abstract: there is no file to remove");
		else if (o->name[0] != '/')
			r = N_("it is bound to a relative path, which cannot be found from here");
		else if (!o->file_inode)
			r = N_("the identity of its socket file is unknown");
		break;
	case KIND_PIPE:
		r = N_("pipes have no name to remove");
		break;
	case KIND_INET:
	case KIND_NETLINK:
		r = N_("a socket without a file goes when its last holder closes it");
		break;
	case KIND_EVENTFD:
	case KIND_SIGNALFD:
	case KIND_INOTIFY:
	case KIND_TIMERFD:
	case KIND_PIDFD:
	case KIND_EPOLL:
	case KIND_PTY:
		r = N_("it exists only as file descriptors: there is no name to remove");
		break;
	case KIND_MEMFD:
	case KIND_SHARED_ANON:
		r = N_("it exists only as file descriptors and mappings: there is no name to remove");
		break;
	case KIND_SHARED_FILE:
		r = N_("it is an ordinary file that processes map: ipctop does not remove files");
		break;
	case KIND_SIGNAL:
		r = N_("pending signals are not an object that can be removed");
		break;
	case KIND_LOCK:
		r = N_("a lock goes when its holder releases it or exits");
		break;
	default:
		r = N_("this kind of object cannot be removed");
		break;
	}
	if (why)
		*why = r;
	return r == NULL;
}


/* ---- naming objects on the command line ---- */

#define SPEC_FORMS N_("expected KIND:ID, KIND:key:KEY, KIND:NAME or KIND:PATH")

static const struct {
	const char *alias;
	enum ipc_kind kind;
} kind_aliases[] = {
	{ "msg", KIND_SYSV_MSG },
	{ "shm", KIND_SYSV_SHM },
	{ "sem", KIND_SYSV_SEM },
};

static bool kind_removable(enum ipc_kind k)
{
	return k == KIND_SYSV_MSG || k == KIND_SYSV_SHM || k == KIND_SYSV_SEM ||
	       k == KIND_POSIX_MQ || k == KIND_POSIX_SHM || k == KIND_POSIX_SEM ||
	       k == KIND_FIFO || k == KIND_UNIX;
}

/* Digits only, in base 10 (or 16 after "0x"), at most max. */
static int parse_number(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (parse_u64(s, strlen(s), base, out) < 0 || *out > max)
		return -1;
	return 0;
}

int remove_spec_parse(const char *s, struct remove_spec *out, char *err, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (!*s) {
		snprintf(err, len, _("empty (%s)"), _(SPEC_FORMS));
		return -1;
	}
	const char *colon = strchr(s, ':');

	if (!colon) {
		snprintf(err, len, _("no ':' after the kind (%s)"), _(SPEC_FORMS));
		return -1;
	}
	if (colon == s) {
		snprintf(err, len, _("no kind before ':' (%s)"), _(SPEC_FORMS));
		return -1;
	}
	char *kname = strndup(s, (size_t)(colon - s));

	if (!kname)
		xalloc_die();
	int k = kind_by_name(kname);

	for (size_t i = 0; k < 0 && i < sizeof(kind_aliases) / sizeof(kind_aliases[0]); i++)
		if (strcmp(kname, kind_aliases[i].alias) == 0)
			k = (int)kind_aliases[i].kind;
	if (k < 0 || !kind_removable((enum ipc_kind)k)) {
		char *esc = text_escape(kname, strlen(kname), locale_is_utf8(), NULL);

		if (k < 0) {
			snprintf(err, len, _("unknown kind '%s' (expected sysv_msg, sysv_shm, sysv_sem, "
					     "posix_mq, posix_shm, posix_sem, fifo, unix, or msg, shm, sem)"),
				 esc);
		} else {
			struct ipc_object dummy = { .kind = (enum ipc_kind)k };
			const char *why;

			removal_supported(&dummy, &why);
			snprintf(err, len, _("objects of kind '%s' cannot be removed: %s"), esc, _(why));
		}
		free(esc);
		free(kname);
		return -1;
	}
	free(kname);
	out->kind = (enum ipc_kind)k;

	const char *v = colon + 1;
	uint64_t num;

	switch (out->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		if (strncmp(v, "key:", 4) == 0) {
			if (parse_number(v + 4, UINT32_MAX, &num) < 0) {
				char *esc = text_escape(v + 4, strlen(v + 4), locale_is_utf8(), NULL);

				snprintf(err, len, _("invalid key '%s' (expected a number, as 0x1b0c0000 "
						     "or in decimal)"), esc);
				free(esc);
				return -1;
			}
			if (num == 0) {
				snprintf(err, len, "%s", _("key 0 is IPC_PRIVATE, which many objects share: "
							   "give the id"));
				return -1;
			}
			out->by_key = true;
			out->key = (int32_t)(uint32_t)num;
		} else {
			if (!*v || parse_u64(v, strlen(v), 10, &num) < 0 || num > INT_MAX) {
				char *esc = text_escape(v, strlen(v), locale_is_utf8(), NULL);

				snprintf(err, len, _("invalid id '%s' (expected a whole number from 0 to %d, "
						     "or key:KEY)"), esc, INT_MAX);
				free(esc);
				return -1;
			}
			out->id = (int)num;
		}
		break;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		if (*v == '/')
			v++;
		if (!*v) {
			snprintf(err, len, "%s", _("empty name"));
			return -1;
		}
		if (strchr(v, '/')) {
			snprintf(err, len, "%s", _("a POSIX name has no '/' but the leading one"));
			return -1;
		}
		if (strlen(v) > NAME_MAX - (out->kind == KIND_POSIX_SEM ? strlen(SEM_PREFIX) : 0)) {
			snprintf(err, len, "%s", _("the name is too long"));
			return -1;
		}
		out->name = xstrdup(v);
		out->name_len = strlen(v);
		break;
	default:        /* fifo, unix */
		if (out->kind == KIND_UNIX && *v == '@') {
			snprintf(err, len, "%s", _("an abstract socket name has no file to remove"));
			return -1;
		}
		if (*v != '/') {
			snprintf(err, len, "%s", _("expected an absolute path"));
			return -1;
		}
		if (strlen(v) >= PATH_MAX) {
			snprintf(err, len, "%s", _("the path is too long"));
			return -1;
		}
		out->name = xstrdup(v);
		out->name_len = strlen(v);
		break;
	}
	return 0;
}

void remove_spec_free(struct remove_spec *sp)
{
	free(sp->name);
	sp->name = NULL;
}

bool remove_spec_match(const struct remove_spec *sp, const struct ipc_object *o)
{
	if (o->kind != sp->kind)
		return false;
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		return sp->by_key ? o->key == sp->key : o->id == sp->id;
	case KIND_UNIX:
		if (o->abstract)
			return false;
		/* fall through */
	default:
		return o->name && o->name_len == sp->name_len &&
		       memcmp(o->name, sp->name, sp->name_len) == 0;
	}
}

bool removal_same_target(const struct ipc_object *a, const struct ipc_object *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		return a->id == b->id && a->ipc_ns == b->ipc_ns;
	case KIND_UNIX:
		return a->file_inode && a->file_inode == b->file_inode && a->file_dev == b->file_dev;
	default:
		return a->inode && a->inode == b->inode && a->dev == b->dev;
	}
}
