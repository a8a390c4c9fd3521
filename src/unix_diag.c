/* UNIX domain sockets: a sock_diag dump over netlink, /proc/net/unix when that fails. */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_dump.h"
#include "nls.h"
#include "parse_diag.h"
#include "snapshot.h"
#include "sockfiles.h"
#include "util.h"
#include "xalloc.h"

#define PROC_NET_UNIX "/proc/net/unix"
#define PROC_NET_UNIX_MAX (64u << 20)

#ifdef UDIAG_SHOW_UID
# define UNIX_DIAG_SHOW_UID UDIAG_SHOW_UID
#else
# define UNIX_DIAG_SHOW_UID 0
#endif

struct file_id {
	uint64_t dev, ino;
};

/* Sockets go straight into the snapshot as they are decoded (a dump holds tens of
 * thousands); an interrupted dump takes back what it added (unix_sink_reset). */
struct unix_sink {
	struct snapshot *snap;
	size_t first;                   /* the first object added */
	struct file_id *bound;          /* files sockets are bound to, for the orphans */
	size_t nbound, bound_alloc;
	size_t bad;                     /* messages or lines that could not be decoded */
	bool proc_fallback;             /* from /proc/net/unix: no files known */
};

static void unix_add(struct snapshot *snap, struct unix_diag_record *r);

static void unix_sink_push(struct unix_sink *k, struct unix_diag_record *r)
{
	if (r->has_vfs) {
		if (k->nbound == k->bound_alloc) {
			k->bound_alloc = k->bound_alloc ? k->bound_alloc * 2 : 64;
			k->bound = xreallocarray(k->bound, k->bound_alloc, sizeof(*k->bound));
		}
		k->bound[k->nbound++] = (struct file_id){ (uint64_t)r->vfs_dev, r->vfs_inode };
	}
	unix_add(k->snap, r);
	unix_diag_record_free(r);
}

static void unix_sink_reset(void *arg)
{
	struct unix_sink *k = arg;

	snapshot_truncate(k->snap, k->first);
	k->nbound = 0;
	k->bad = 0;
}

static int unix_diag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct unix_sink *k = data;
	struct unix_diag_record r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (unix_diag_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &r) < 0)
		k->bad++;
	else
		unix_sink_push(k, &r);
	return MNL_CB_OK;
}

/* One dump of every UNIX socket into the snapshot (nothing added on failure).
 * Returns 0, or -1 with errno. */
static int unix_diag_dump(struct unix_sink *k)
{
	struct unix_diag_req req = {
		.sdiag_family = AF_UNIX,
		.udiag_states = ~0u,    /* a bit per state: all of them */
		.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS |
			      UDIAG_SHOW_RQLEN | UNIX_DIAG_SHOW_UID,
	};

	return diag_dump(&req, sizeof(req), unix_diag_cb, unix_sink_reset, k);
}

struct unix_exact {
	uint64_t inode;
	bool found, has_vfs;
	uint64_t vfs_dev, vfs_inode;
};

static int unix_exact_cb(const struct nlmsghdr *nlh, void *data)
{
	struct unix_exact *x = data;
	struct unix_diag_record r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    unix_diag_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &r) < 0)
		return MNL_CB_OK;
	if (r.inode == x->inode) {
		x->found = true;
		x->has_vfs = r.has_vfs;
		x->vfs_dev = (uint64_t)r.vfs_dev;
		x->vfs_inode = r.vfs_inode;
	}
	unix_diag_record_free(&r);
	return MNL_CB_OK;
}

int unix_socket_file(uint64_t inode, uint64_t *dev, uint64_t *file_inode)
{
	if (inode == 0 || inode > UINT32_MAX)
		return ENOENT;          /* sockfs inode numbers are 32-bit */

	struct unix_diag_req req = {
		.sdiag_family = AF_UNIX,
		.udiag_ino = (uint32_t)inode,
		.udiag_show = UDIAG_SHOW_VFS,
		.udiag_cookie = { ~0u, ~0u },   /* INET_DIAG_NOCOOKIE */
	};
	struct unix_exact x = { .inode = inode };

	/* libmnl turns the kernel's NLMSG_ERROR (ENOENT: no such socket) into errno */
	if (diag_get(&req, sizeof(req), unix_exact_cb, &x) < 0)
		return errno;
	if (!x.found)
		return ENOENT;
	*dev = x.has_vfs ? x.vfs_dev : 0;
	*file_inode = x.has_vfs ? x.vfs_inode : 0;
	return 0;
}

struct bound_query {
	uint64_t dev, ino;
	bool bound;
};

static int unix_bound_cb(const struct nlmsghdr *nlh, void *data)
{
	struct bound_query *q = data;
	struct unix_diag_record r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    unix_diag_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &r) < 0)
		return MNL_CB_OK;
	if (r.has_vfs && (uint64_t)r.vfs_dev == q->dev && r.vfs_inode == q->ino)
		q->bound = true;
	unix_diag_record_free(&r);
	return MNL_CB_OK;
}

static void bound_reset(void *q)
{
	((struct bound_query *)q)->bound = false;
}

int unix_file_bound(uint64_t dev, uint64_t ino)
{
	struct unix_diag_req req = {
		.sdiag_family = AF_UNIX,
		.udiag_states = ~0u,
		.udiag_show = UDIAG_SHOW_VFS,
	};
	struct bound_query q = { .dev = dev, .ino = ino };

	if (diag_dump(&req, sizeof(req), unix_bound_cb, bound_reset, &q) < 0)
		return -1;
	return q.bound;
}

/* The fallback: no peers, queues, files or owners, and a name holding '\n' breaks
 * its line. FIXME: such a name can even forge a line that reads as another socket. */
static int proc_net_unix_collect(struct unix_sink *k)
{
	size_t len;
	char *buf = read_file_at(-1, PROC_NET_UNIX, PROC_NET_UNIX_MAX, &len);

	if (!buf)
		return -1;

	const char *p = memchr(buf, '\n', len), *end = buf + len;   /* after the header */

	while (p && ++p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		struct unix_diag_record r;

		if (!eol)
			break;          /* cut short at PROC_NET_UNIX_MAX */
		if (proc_net_unix_parse_line(p, (size_t)(eol - p), &r) < 0)
			k->bad++;
		else if (r.inode != 0)  /* not yet accepted: sock_diag leaves those out too */
			unix_sink_push(k, &r);
		else
			unix_diag_record_free(&r);
		p = eol;
	}
	free(buf);
	return 0;
}

static void unix_add(struct snapshot *snap, struct unix_diag_record *r)
{
	struct ipc_object *o = snapshot_add(snap, KIND_UNIX);

	/* the socket goes with its last holder (a file it is bound to stays) */
	o->persistence = PERSIST_PROCESS;
	o->inode = r->inode;
	o->sock_type = r->type;
	o->sock_state = r->state;
	o->shutdown = r->shutdown;
	if (r->has_name && r->abstract) {
		char name[UNIX_RECORD_NAME_MAX];

		name[0] = '@';
		memcpy(name + 1, r->name + 1, r->name_len - 1);
		object_set_name(o, name, r->name_len);
		o->abstract = true;
	} else if (r->has_name) {
		object_set_name(o, r->name, r->name_len);
	}
	if (r->has_peer)
		o->peer = r->peer;
	if (r->has_vfs) {
		o->file_inode = r->vfs_inode;
		o->file_dev = (uint64_t)r->vfs_dev;
	}
	if (r->has_rqlen) {
		o->rqueue = r->rqueue;
		o->wqueue = r->wqueue;
		o->has_queues = true;
	}
	o->pending = r->icons;          /* the object owns them now */
	o->npending = r->nicons;
	r->icons = NULL;
	r->nicons = 0;
	if (r->has_uid)
		o->uid = (uid_t)r->uid;
}

static int file_id_cmp(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* Socket files with no socket bound to them: listed before the dump, so a socket bound
 * meanwhile is in it; only sock_diag names the files sockets are bound to. */
static void unix_add_orphans(struct snapshot *snap, struct unix_sink *k,
			     const struct sockfile_list *files)
{
	struct file_id *bound = k->bound;
	size_t nb = k->nbound;

	if (nb)
		qsort(bound, nb, sizeof(*bound), file_id_cmp);
	for (size_t i = 0; i < files->n; i++) {
		const struct sockfile *f = &files->f[i];
		struct file_id key = { (uint64_t)f->st.st_dev, (uint64_t)f->st.st_ino };

		if (nb && bsearch(&key, bound, nb, sizeof(*bound), file_id_cmp))
			continue;

		struct ipc_object *o = snapshot_add(snap, KIND_UNIX);

		/* no socket: a file, whose inode and device are its identity */
		object_set_file(o, &f->st);
		o->inode = 0;
		o->dev = 0;
		o->file_inode = (uint64_t)f->st.st_ino;
		o->file_dev = (uint64_t)f->st.st_dev;
		o->persistence = PERSIST_FILESYSTEM;
		o->sock_state = UNIX_STATE_NO_SOCKET;
		o->shutdown = -1;
		object_set_name(o, f->path, strlen(f->path));
	}
	snap->unix_files_listed = true;
	if (files->truncated)
		snapshot_note(snap, "socket files", _("too many entries under /run, /tmp, /var/tmp and "
						      "/dev/shm: not every socket file was looked at"));
}

void unix_collect(struct snapshot *snap)
{
	struct unix_sink k = { .snap = snap, .first = snap->nobjects };
	struct sockfile_list files;

	sockfiles_find(&files);
	if (unix_diag_dump(&k) == 0) {
		if (k.bad)
			snapshot_note(snap, "sock_diag", _("replies that could not be decoded: %zu"),
				      k.bad);
	} else {
		int diag_err = errno;

		unix_sink_reset(&k);    /* what a failed dump added */
		if (proc_net_unix_collect(&k) < 0) {
			int proc_err = errno;
			char *why = xstrdup(strerror(diag_err));   /* strerror may reuse its buffer */

			snapshot_note(snap, "sock_diag",
				      _("cannot dump UNIX sockets: %s; cannot read %s: %s: UNIX domain "
					"sockets cannot be seen"),
				      why, PROC_NET_UNIX, strerror(proc_err));
			free(why);
			sockfiles_free(&files);
			free(k.bound);
			return;
		}
		k.proc_fallback = true;
		snapshot_note(snap, "sock_diag",
			      _("cannot dump UNIX sockets: %s: read %s instead (no peers, queues or "
				"names with newlines)"), strerror(diag_err), PROC_NET_UNIX);
		if (k.bad)
			snapshot_note(snap, PROC_NET_UNIX, _("lines that could not be read: %zu"),
				      k.bad);
	}
	if (!k.proc_fallback)
		unix_add_orphans(snap, &k, &files);
	sockfiles_free(&files);
	free(k.bound);
}
