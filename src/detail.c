/* Drill-down pages as lines: an object, a process. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "celltext.h"
#include "columns.h"
#include "detail.h"
#include "escape.h"
#include "nls.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#define DOC_MAX_CMDLINE 4096

struct doc_line *doc_add(struct doc *d, enum line_style style, char *text)
{
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 64;
		d->lines = xreallocarray(d->lines, d->alloc, sizeof(*d->lines));
	}
	struct doc_line *l = &d->lines[d->n++];

	memset(l, 0, sizeof(*l));
	l->text = text;
	l->style = style;
	return l;
}

static struct doc_line * __attribute__((format(printf, 3, 4)))
doc_printf(struct doc *d, enum line_style style, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	return doc_add(d, style, s);
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

size_t doc_next_action(const struct doc *d, size_t i)
{
	while (i < d->n && !d->lines[i].pid && !d->lines[i].has_obj)
		i++;
	return i;
}

/* "comm" of a live pid, escaped, or "gone". malloc'd. */
static char *pid_comm(const struct snapshot *snap, pid_t pid, bool utf8)
{
	const struct process *p = snapshot_process(snap, pid);

	if (!p)
		return xstrdup(_("gone"));
	return text_escape(p->comm, strlen(p->comm), utf8, NULL);
}

/* A line naming a process; Enter opens it when it is alive. */
static void doc_pid(struct doc *d, const struct snapshot *snap, const char *role, pid_t pid, bool utf8)
{
	if (pid <= 0)
		return;
	char *comm = pid_comm(snap, pid, utf8);
	struct doc_line *l = doc_printf(d, LS_NORMAL, "  %-22s %d (%s)", role, (int)pid, comm);

	free(comm);
	if (snapshot_process(snap, pid))
		l->pid = pid;
}

static const char *persistence_text(enum persistence p)
{
	switch (p) {
	case PERSIST_PROCESS:
		return _("process: gone when the last holder closes it");
	case PERSIST_KERNEL:
		return _("kernel: stays until removed or the machine reboots");
	case PERSIST_FILESYSTEM:
		return _("filesystem: stays until its file is unlinked");
	}
	return "";
}

static void doc_holders(struct doc *d, const struct snapshot *snap, const struct holder *h, size_t n,
			const char *title, bool utf8)
{
	doc_printf(d, LS_SECTION, "%s (%zu)", title, n);
	if (n == 0) {
		doc_add(d, LS_DIM, xstrdup(snap->holders_scanned ? _("  none") :
					   _("  not known: processes were not scanned")));
		return;
	}
	doc_printf(d, LS_COLUMNS, "  %7s %-12s %-16s %-28s %s", "PID", _("USER"), _("COMMAND"),
		   _("FD/ADDRESS"), _("END"));
	for (size_t i = 0; i < n; i++) {
		const struct process *p = snapshot_process(snap, h[i].pid);
		char *comm = pid_comm(snap, h[i].pid, utf8);
		const char *user = p ? user_label(p->euid) : "?";
		char *uesc = text_escape(user, strlen(user), utf8, NULL);
		char where[64];

		if (h[i].fd >= 0)
			snprintf(where, sizeof(where), "fd %d", h[i].fd);
		else
			snprintf(where, sizeof(where), "%08" PRIx64 "-%08" PRIx64, h[i].start, h[i].end);
		const char *end = h[i].access == (HOLD_READ | HOLD_WRITE) ? _("read/write") :
				  h[i].access == HOLD_READ ? _("read") :
				  h[i].access == HOLD_WRITE ? _("write") : "-";
		const char *role = h[i].role == END_MASTER ? _(", master") :
				   h[i].role == END_SLAVE ? _(", slave") : "";
		struct doc_line *l = doc_printf(d, LS_NORMAL, "  %7d %-12s %-16s %-28s %s%s", (int)h[i].pid,
						uesc, comm, where, end, role);

		l->pid = p ? h[i].pid : 0;
		free(comm);
		free(uesc);
	}
}

static void doc_strings(struct doc *d, const char *role, const struct strlist *l, bool utf8)
{
	for (size_t i = 0; i < l->n; i++) {
		char *esc = text_escape(l->v[i], strlen(l->v[i]), utf8, NULL);

		doc_printf(d, LS_NORMAL, "  %-22s %s", role, esc);
		free(esc);
	}
}

/* A D-Bus connection: its bus, names, socket and match rules. */
static void doc_dbus(struct doc *d, const struct snapshot *snap, const struct ipc_object *o, bool utf8)
{
	const struct dbus_bus *b = o->bus;

	doc_printf(d, LS_SECTION, "%s (%zu, %zu %s)", _("Names"), o->dbus_names.n, o->dbus_queued.n, _("queued"));
	if (!o->dbus_names.n && !o->dbus_queued.n)
		doc_add(d, LS_DIM, xstrdup(_("  only its unique name")));
	doc_strings(d, _("owns"), &o->dbus_names, utf8);
	doc_strings(d, _("queued for"), &o->dbus_queued, utf8);

	doc_add(d, LS_SECTION, xstrdup(_("Socket")));
	if (o->inode) {
		struct doc_line *l = doc_printf(d, LS_NORMAL, "  %-22s socket:[%" PRIu64 "]", _("its socket"), o->inode);

		l->has_obj = true;
		l->obj = (struct obj_ident){ .kind = KIND_UNIX, .a = o->inode };
		l = doc_printf(d, LS_NORMAL, "  %-22s socket:[%" PRIu64 "]", _("daemon's end"), o->peer);
		l->has_obj = true;
		l->obj = (struct obj_ident){ .kind = KIND_UNIX, .a = o->peer };
	} else if (o->count > 1) {
		doc_printf(d, LS_DIM, _("  not known: the process holds %" PRIu64 " sockets to this bus, or has "
					 "several connections on it"), o->count);
	} else {
		doc_add(d, LS_DIM, xstrdup(_("  not known: no socket of that process to this bus's daemon was seen")));
	}

	doc_printf(d, LS_SECTION, "%s (%zu)", _("Match rules"), o->dbus_rules.n);
	if (!o->has_dbus_rules) {
		const char *why = b && b->stats_error ? b->stats_error : _("the daemon's statistics are not available");
		char *esc = text_escape(why, strlen(why), utf8, NULL);

		doc_printf(d, LS_DIM, "  %s: %s", _("not known"), esc);
		free(esc);
	}
	doc_strings(d, _("rule"), &o->dbus_rules, utf8);
	(void)snap;
}

static bool column_in_body(int col)
{
	switch (columns[col].type) {
	case CT_HOLDERS:
	case CT_PEER_HOLDERS:
	case CT_STALE:
	case CT_PERSIST:
		return false;
	default:
		return true;
	}
}

void doc_object(struct doc *d, const struct snapshot *snap, const struct ipc_object *o,
		const struct ipc_object *before, bool utf8)
{
	const struct kind_class *kc = &kind_classes[o->kind];
	char *label = object_label(snap, o, utf8);

	doc_printf(d, LS_TITLE, "%s  %s", _(kc->title), label);
	free(label);
	doc_printf(d, LS_NORMAL, "  %-22s %s", _("lives"), persistence_text(o->persistence));
	if (o->stale) {
		char since[40] = "";

		if (o->stale_since)
			format_time(o->stale_since, since, sizeof(since));
		char *reason = text_escape(_(o->stale_reason), strlen(_(o->stale_reason)), utf8, NULL);

		doc_printf(d, LS_STALE, "  %-22s %s%s%s", _("looks stale"), reason,
			   since[0] ? _(", last used ") : "", since);
		free(reason);
	} else {
		doc_printf(d, LS_NORMAL, "  %-22s %s", _("looks stale"), _("no"));
	}

	doc_add(d, LS_SECTION, xstrdup(_("Fields")));
	for (const int *c = kc->columns; *c >= 0; c++) {
		if (!column_in_body(*c))
			continue;
		size_t w;
		char *v = cell_text(snap, *c, o, utf8, &w);
		enum line_style style = LS_NORMAL;

		if (before) {
			char *old = cell_text(snap, *c, before, utf8, &w);

			/* times and the holders' order are not news; values are */
			if (strcmp(old, v) != 0)
				style = LS_CHANGED;
			free(old);
		}
		doc_printf(d, style, "  %-22s %s", columns[*c].name, v);
		free(v);
	}

	/* what the kernel recorded */
	switch (o->kind) {
	case KIND_SYSV_MSG:
		doc_pid(d, snap, _("last sender"), o->cpid, utf8);
		doc_pid(d, snap, _("last receiver"), o->lpid, utf8);
		break;
	case KIND_SYSV_SHM:
		doc_pid(d, snap, _("creator"), o->cpid, utf8);
		doc_pid(d, snap, _("last attach/detach"), o->lpid, utf8);
		break;
	case KIND_POSIX_MQ:
		doc_pid(d, snap, _("notifies"), o->notify_pid, utf8);
		break;
	case KIND_PIDFD:
		doc_pid(d, snap, _("refers to"), o->target_pid, utf8);
		break;
	case KIND_SIGNAL:
		doc_pid(d, snap, _("process"), o->cpid, utf8);
		break;
	case KIND_LOCK:
		doc_pid(d, snap, o->lock_waiting ? _("waiting process") : _("holding process"), o->cpid, utf8);
		break;
	case KIND_DBUS:
		doc_pid(d, snap, _("process"), o->cpid, utf8);
		break;
	default:
		break;
	}
	if (o->kind == KIND_DBUS)
		doc_dbus(d, snap, o, utf8);

	if (o->kind == KIND_SYSV_SEM && o->sems) {
		doc_printf(d, LS_SECTION, "%s (%" PRIu64 ")", _("Semaphores"), o->count);
		doc_printf(d, LS_COLUMNS, "  %5s %7s %7s %7s %7s %s", "NUM", _("VALUE"), _("NCNT"), _("ZCNT"),
			   "PID", _("COMMAND"));
		for (uint64_t i = 0; i < o->count; i++) {
			const struct sem_value *s = &o->sems[i];
			bool changed = before && before->sems && i < before->count &&
				       memcmp(&before->sems[i], s, sizeof(*s)) != 0;
			char *comm = s->pid > 0 ? pid_comm(snap, s->pid, utf8) : xstrdup("-");
			struct doc_line *l = doc_printf(d, changed ? LS_CHANGED : LS_NORMAL,
							"  %5" PRIu64 " %7d %7d %7d %7d %s", i, s->value,
							s->ncnt, s->zcnt, (int)s->pid, comm);

			if (s->pid > 0 && snapshot_process(snap, s->pid))
				l->pid = s->pid;
			free(comm);
		}
	}
	if (o->kind == KIND_INOTIFY && o->nwatches) {
		doc_printf(d, LS_SECTION, "%s (%zu)", _("Watches"), o->nwatches);
		doc_printf(d, LS_COLUMNS, "  %5s %12s %-9s %-10s %s", "WD", _("INODE"), _("DEVICE"), _("MASK"),
			   _("PATH"));
		for (size_t i = 0; i < o->nwatches; i++) {
			const struct watch *w = &o->watches[i];
			char *path = w->path ? text_escape(w->path, strlen(w->path), utf8, NULL) : xstrdup("-");

			doc_printf(d, LS_NORMAL, "  %5d %12" PRIu64 " %4u:%-4u 0x%08x %s", w->wd, w->inode,
				   major(w->dev), minor(w->dev), w->mask, path);
			free(path);
		}
	}
	if (o->kind == KIND_EPOLL && o->ntargets) {
		doc_printf(d, LS_SECTION, "%s (%zu)", _("Watched descriptors"), o->ntargets);
		doc_printf(d, LS_COLUMNS, "  %5s %-10s %12s %s", "FD", _("EVENTS"), _("INODE"), _("DEVICE"));
		for (size_t i = 0; i < o->ntargets; i++)
			doc_printf(d, LS_NORMAL, "  %5d 0x%08x %12" PRIu64 " %u:%u", o->targets[i].fd,
				   o->targets[i].events, o->targets[i].inode, major(o->targets[i].dev),
				   minor(o->targets[i].dev));
	}
	if (o->kind == KIND_UNIX && o->npending) {
		doc_printf(d, LS_SECTION, "%s (%zu)", _("Connections waiting to be accepted"), o->npending);
		for (size_t i = 0; i < o->npending; i++) {
			struct doc_line *l = doc_printf(d, LS_NORMAL, "  socket:[%" PRIu64 "]", o->pending[i]);

			l->has_obj = true;
			l->obj = (struct obj_ident){ .kind = KIND_UNIX, .a = o->pending[i] };
		}
	}

	doc_holders(d, snap, o->holders, o->nholders, _("Holders"), utf8);

	if ((o->kind == KIND_UNIX || o->kind == KIND_INET || o->kind == KIND_NETLINK) && o->peer) {
		doc_add(d, LS_SECTION, xstrdup(_("Peer")));
		if (o->peer_obj) {
			char *peer = object_label(snap, o->peer_obj, utf8);
			struct doc_line *l = doc_printf(d, LS_NORMAL, "  socket:[%" PRIu64 "]  %s", o->peer, peer);

			l->has_obj = true;
			object_ident(o->peer_obj, &l->obj);
			free(peer);
			doc_holders(d, snap, o->peer_obj->holders, o->peer_obj->nholders, _("Peer holders"), utf8);
		} else {
			doc_printf(d, LS_DIM, "  socket:[%" PRIu64 "]  %s", o->peer, _("(not in this snapshot)"));
		}
	}
}

/* How pid holds o: "fd 3 r, fd 4 w, mmap rw", or NULL when it holds nothing. */
static char *holds_text(const struct ipc_object *o, pid_t pid)
{
	struct strbuf b = { 0 };

	for (size_t i = 0; i < o->nholders; i++) {
		const struct holder *h = &o->holders[i];

		if (h->pid != pid)
			continue;
		if (b.len)
			strbuf_add(&b, ", ", 2);
		if (h->fd >= 0)
			strbuf_printf(&b, "fd %d %s%s%s", h->fd, access_name(h->access),
				      end_name(h->role) ? " " : "", end_name(h->role) ? end_name(h->role) : "");
		else
			strbuf_printf(&b, "mmap %s", access_name(h->access));
	}
	return b.s;
}

/* The role the kernel recorded for pid on o, when it does not hold it. */
static const char *recorded_role(const struct ipc_object *o, pid_t pid)
{
	switch (o->kind) {
	case KIND_SYSV_MSG:
		return o->cpid == pid ? _("last sender") : _("last receiver");
	case KIND_SYSV_SHM:
		return o->cpid == pid ? _("creator") : _("last attach/detach");
	case KIND_SYSV_SEM:
		return _("last operation");
	case KIND_POSIX_MQ:
		return _("notified");
	case KIND_SIGNAL:
		return _("its signals");
	case KIND_LOCK:
		return o->lock_waiting ? _("waits for the lock") : _("holds the lock");
	default:
		return _("recorded");
	}
}

void doc_process(struct doc *d, const struct snapshot *snap, pid_t pid, bool utf8)
{
	const struct process *p = snapshot_process(snap, pid);

	if (!p) {
		doc_printf(d, LS_TITLE, _("Process %d"), (int)pid);
		doc_add(d, LS_STALE, xstrdup(_("  gone: it exited since it was selected")));
		return;
	}
	char *comm = text_escape(p->comm, strlen(p->comm), utf8, NULL);
	const char *user = user_label(p->euid);
	char *uesc = text_escape(user, strlen(user), utf8, NULL);
	char *pcomm = pid_comm(snap, p->ppid, utf8);
	char started[40] = "-";

	if (p->start_time)
		format_time(p->start_time, started, sizeof(started));
	doc_printf(d, LS_TITLE, _("Process %d (%s)"), (int)pid, comm);
	doc_printf(d, LS_NORMAL, "  %-22s %s (%u)", _("user"), uesc, (unsigned int)p->euid);
	doc_printf(d, LS_NORMAL, "  %-22s %c", _("state"), p->state);
	struct doc_line *pl = doc_printf(d, LS_NORMAL, "  %-22s %d (%s)", _("parent"), (int)p->ppid, pcomm);

	if (snapshot_process(snap, p->ppid))
		pl->pid = p->ppid;
	doc_printf(d, LS_NORMAL, "  %-22s %s", _("started"), started);
	doc_printf(d, LS_NORMAL, "  %-22s %" PRIu64, _("IPC namespace"), p->ns_ipc);
	doc_printf(d, LS_NORMAL, "  %-22s %" PRIu64, _("mount namespace"), p->ns_mnt);
	free(comm);
	free(uesc);
	free(pcomm);

	/* read by the collector once the page is open: the next snapshot has it */
	const char *cmdline = p->cmdline;

	if (cmdline) {
		size_t len = strlen(cmdline);
		char *c = text_escape(cmdline, len < DOC_MAX_CMDLINE ? len : DOC_MAX_CMDLINE, utf8, NULL);

		doc_printf(d, LS_NORMAL, "  %-22s %s", _("command line"), c);
		free(c);
	}
	if (p->unreadable)
		doc_add(d, LS_STALE, xstrdup(_("  its descriptors or mappings could not be read: "
					       "what it holds is not complete")));

	/* objects it holds, then objects the kernel recorded it on */
	for (int pass = 0; pass < 2; pass++) {
		size_t header = d->n, count = 0;

		doc_add(d, LS_SECTION, NULL);
		doc_printf(d, LS_COLUMNS, "  %-10s %-24s %s", _("KIND"), pass ? _("ROLE") : _("AS"), _("OBJECT"));
		for (size_t i = 0; i < snap->nobjects; i++) {
			const struct ipc_object *o = &snap->objects[i];

			if (!object_involves(o, pid))
				continue;
			char *how = holds_text(o, pid);

			if ((pass == 0) != (how != NULL)) {
				free(how);
				continue;
			}
			char *label = object_label(snap, o, utf8);
			struct doc_line *l = doc_printf(d, o->stale ? LS_STALE : LS_NORMAL, "  %-10s %-24s %s",
							kind_classes[o->kind].name,
							how ? how : recorded_role(o, pid), label);

			l->has_obj = true;
			object_ident(o, &l->obj);
			free(label);
			free(how);
			count++;
		}
		d->lines[header].text = pass ? xasprintf(_("Recorded by the kernel (%zu)"), count)
					     : xasprintf(_("Holds (%zu)"), count);
		if (count == 0) {
			free(d->lines[header + 1].text);
			d->lines[header + 1].text = xstrdup(_("  none"));
			d->lines[header + 1].style = LS_DIM;
		}
	}
}
