/* Classify: derived facts about the linked objects. Today: which look stale. */
#include "config.h"

#include <stdbool.h>
#include <unistd.h>
#include <sys/shm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "nls.h"
#include "snapshot.h"

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static bool alive(const struct snapshot *snap, pid_t pid, int64_t t)
{
	return pid > 0 && snapshot_process_at(snap, pid, t) != NULL;
}

static void mark(struct ipc_object *o, const char *reason, int64_t since)
{
	o->stale = true;
	o->stale_reason = reason;
	o->stale_since = since;
}

static void classify_sysv_shm(const struct snapshot *snap, struct ipc_object *o)
{
	/* attached segments are in use; a removed one goes by itself at the last detach;
	 * a creator pid of 0 is one outside our pid namespace, which we cannot see */
	if (o->count > 0 || (o->mode & SHM_DEST) || o->cpid <= 0)
		return;
	if (alive(snap, o->cpid, o->time_c) || alive(snap, o->lpid, max64(o->time_a, o->time_b)))
		return;
	mark(o, N_("not attached; its creator and last user have exited"),
	     max64(o->time_b, o->time_c));
}

static void classify_sysv_msg(const struct snapshot *snap, struct ipc_object *o)
{
	/* a queue nobody has used yet tells nothing about its users */
	if (o->cpid <= 0 && o->lpid <= 0)
		return;
	if (alive(snap, o->cpid, o->time_a) || alive(snap, o->lpid, o->time_b))
		return;
	mark(o, N_("its last sender and receiver have exited"),
	     max64(max64(o->time_a, o->time_b), o->time_c));
}

static void classify_sysv_sem(const struct snapshot *snap, struct ipc_object *o)
{
	bool recorded = false;

	if (!o->has_sems || o->ncnt_total > 0 || o->zcnt_total > 0)
		return;
	for (uint64_t i = 0; i < o->count; i++) {
		pid_t pid = o->sems[i].pid;

		if (pid <= 0)
			continue;
		recorded = true;
		/* SETVAL and SETALL record a pid too, changing only ctime */
		if (alive(snap, pid, max64(o->time_a, o->time_c)))
			return;
	}
	if (recorded)
		mark(o, N_("every process that last operated on it has exited"),
		     max64(o->time_a, o->time_c));
}

/*
 * Objects of the traffic generator (--generate) carry its pid in their name or key:
 * unused, with that generator no longer running, they were left by a killed run.
 * "Running" is a process of that pid named ipctop. Its workers die with it, so this
 * needs no complete scan of descriptors: the holders seen are enough (an unreadable
 * process that opened such an object keeps it open after an unlink anyway).
 */
static void classify_generated(const struct snapshot *snap, struct ipc_object *o)
{
	pid_t owner = gen_object_owner(o);
	const struct process *p;
	char buf[128];

	if (owner <= 0)
		return;
	p = snapshot_process(snap, owner);
	if (p && p->comm && strcmp(p->comm, "ipctop") == 0)
		return;
	switch (o->kind) {
	case KIND_SYSV_SHM:
		if (o->count > 0)
			return;
		break;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		if (o->nholders > 0)
			return;
		break;
	case KIND_UNIX:
		if (o->inode != 0)
			return;
		break;
	default:
		break;
	}
	snprintf(buf, sizeof(buf), _("left by ipctop generator pid %d (not running)"), (int)owner);
	free(o->stale_text);
	o->stale_text = strdup(buf);
	if (!o->stale_text)
		return;
	o->stale = true;
	o->stale_reason = o->stale_text;
	if (!o->stale_since)
		o->stale_since = o->time_c;
}

bool snapshot_stale_judged(const struct snapshot *snap, enum ipc_kind kind)
{
	/* without every process's descriptors (and mappings), "nobody holds it" cannot be
	 * told; nattch needs no scan */
	bool fds = snap->fds_scanned && snap->nprocs > 0 && snap->fds_unreadable == 0;
	bool maps = snap->maps_scanned && snap->nprocs > 0 && snap->maps_unreadable == 0;

	switch (kind) {
	case KIND_SYSV_SHM:
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		return snap->nprocs > 0;
	case KIND_POSIX_MQ:
		return fds;
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		return fds && (maps || !snap->maps_scanned);
	case KIND_UNIX:
		/* socket files: every socket that could be bound to them must be visible */
		return snap->unix_files_listed && snap->holders_scanned && snap->netns_other == 0;
	default:
		return false;
	}
}

void snapshot_classify(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		if (!snapshot_stale_judged(snap, o->kind)) {
			/* a dead generator's objects need only the process table: see above */
			if (snap->nprocs > 0)
				classify_generated(snap, o);
			continue;
		}
		switch (o->kind) {
		case KIND_SYSV_SHM:
			classify_sysv_shm(snap, o);
			break;
		case KIND_SYSV_MSG:
			classify_sysv_msg(snap, o);
			break;
		case KIND_SYSV_SEM:
			classify_sysv_sem(snap, o);
			break;
		case KIND_POSIX_MQ:
			if (o->nholders == 0 && !alive(snap, o->notify_pid, 0))
				mark(o, N_("no process has it open"), o->time_b);
			break;
		case KIND_POSIX_SHM:
		case KIND_POSIX_SEM:
			if (o->nholders == 0)
				mark(o, N_("no process has it open or mapped"), o->time_b);
			break;
		case KIND_UNIX:
			if (o->inode == 0 && o->sock_state == UNIX_STATE_NO_SOCKET)
				mark(o, N_("a socket file with no socket bound to it"), o->time_c);
			break;
		default:
			/* the others live only as long as their holders */
			break;
		}
		classify_generated(snap, o);
	}
	snap->nstale = 0;
	for (size_t i = 0; i < snap->nobjects; i++)
		snap->nstale += snap->objects[i].stale;
	if (snap->unix_files_listed && snap->netns_other)
		snapshot_note(snap, "sock_diag",
			      ngettext("%zu process is in another network namespace (or its namespace "
				       "cannot be read), whose UNIX sockets are not seen: socket files "
				       "are not judged stale",
				       "%zu processes are in other network namespaces (or theirs cannot "
				       "be read), whose UNIX sockets are not seen: socket files are not "
				       "judged stale", snap->netns_other),
			      snap->netns_other);
	if (snap->procs_unreadable && geteuid() != 0)
		snapshot_note(snap, "/proc",
			      ngettext("%zu process not readable: run as root to see what it holds; "
				       "objects it might hold are not judged stale",
				       "%zu processes not readable: run as root to see what they hold; "
				       "objects they might hold are not judged stale", snap->procs_unreadable),
			      snap->procs_unreadable);
	else if (snap->procs_unreadable)
		snapshot_note(snap, "/proc",
			      ngettext("%zu process not readable even as root (%zu without descriptors, "
				       "%zu without mappings); objects it might hold are not judged stale",
				       "%zu processes not readable even as root (%zu without descriptors, "
				       "%zu without mappings); objects they might hold are not judged stale",
				       snap->procs_unreadable),
			      snap->procs_unreadable, snap->fds_unreadable, snap->maps_unreadable);
}
