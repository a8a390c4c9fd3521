/* Snapshot lifetime, and the collect -> classify phases. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot.h"
#include "xalloc.h"

struct snapshot *snapshot_new(void)
{
	struct snapshot *snap = xcalloc(1, sizeof(*snap));

	clock_gettime(CLOCK_REALTIME, &snap->taken);
	if (gethostname(snap->hostname, sizeof(snap->hostname) - 1) != 0)
		snap->hostname[0] = '\0';
	return snap;
}

void snapshot_free(struct snapshot *snap)
{
	if (!snap)
		return;
	for (size_t i = 0; i < snap->nobjects; i++) {
		free(snap->objects[i].name);
		free(snap->objects[i].sems);
	}
	free(snap->objects);
	for (size_t i = 0; i < snap->nnotes; i++) {
		free(snap->notes[i].source);
		free(snap->notes[i].message);
	}
	free(snap->notes);
	for (size_t i = 0; i < snap->nprocs; i++)
		free(snap->procs[i].comm);
	free(snap->procs);
	free(snap);
}

struct ipc_object *snapshot_add(struct snapshot *snap, enum ipc_kind kind)
{
	if (snap->nobjects == snap->objects_alloc) {
		snap->objects_alloc = snap->objects_alloc ? snap->objects_alloc * 2 : 64;
		snap->objects = xreallocarray(snap->objects, snap->objects_alloc,
					      sizeof(*snap->objects));
	}
	struct ipc_object *obj = &snap->objects[snap->nobjects++];

	memset(obj, 0, sizeof(*obj));
	obj->kind = kind;
	obj->persistence = PERSIST_KERNEL;
	return obj;
}

int object_set_name(struct ipc_object *obj, const char *name, size_t len)
{
	free(obj->name);
	obj->name = xmalloc(len + 1);
	memcpy(obj->name, name, len);
	obj->name[len] = '\0';
	obj->name_len = len;
	return 0;
}

void object_set_file(struct ipc_object *obj, const struct stat *st)
{
	obj->inode = st->st_ino;
	obj->dev = st->st_dev;
	obj->uid = st->st_uid;
	obj->gid = st->st_gid;
	obj->mode = st->st_mode & 07777;
	obj->time_a = st->st_atim.tv_sec;
	obj->time_b = st->st_mtim.tv_sec;
	obj->time_c = st->st_ctim.tv_sec;
}

void snapshot_note(struct snapshot *snap, const char *source, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		xalloc_die();
	snap->notes = xreallocarray(snap->notes, snap->nnotes + 1, sizeof(*snap->notes));
	snap->notes[snap->nnotes].source = xstrdup(source);
	snap->notes[snap->nnotes].message = msg;
	snap->nnotes++;
}

struct ipc_limit *snapshot_limit(struct snapshot *snap, const char *name,
				 const char *description, const char *unit)
{
	for (size_t i = 0; i < snap->nlimits; i++)
		if (strcmp(snap->limits[i].name, name) == 0)
			return &snap->limits[i];
	if (snap->nlimits == LIMITS_MAX)
		return NULL;
	struct ipc_limit *l = &snap->limits[snap->nlimits++];

	memset(l, 0, sizeof(*l));
	l->name = name;
	l->description = description;
	l->unit = unit;
	return l;
}

void snapshot_collect(struct snapshot *snap, const struct collect_opts *opts)
{
	unsigned int k = opts->kinds;

	snap->kinds_collected = k;

	/* collect */
	if (k & (1u << KIND_SYSV_MSG))
		sysv_msg_collect(snap);
	if (k & (1u << KIND_SYSV_SHM))
		sysv_shm_collect(snap);
	if (k & (1u << KIND_SYSV_SEM))
		sysv_sem_collect(snap);
	if (k & (1u << KIND_POSIX_MQ))
		posix_mq_collect(snap);
	if (k & ((1u << KIND_POSIX_SHM) | (1u << KIND_POSIX_SEM)))
		posix_shm_collect(snap, k & (1u << KIND_POSIX_SHM), k & (1u << KIND_POSIX_SEM));

	/* processes last, so a pid recorded by an object above is seen alive if it is;
	 * only the kinds whose pids have command columns need them */
	if (k & ((1u << KIND_SYSV_MSG) | (1u << KIND_SYSV_SHM) | (1u << KIND_POSIX_MQ))) {
		procs_collect(snap);
		snapshot_link(snap);
	}

	/* classify: limits and their use, from what was collected */
	limits_collect(snap);
}

static const char *pid_comm(const struct snapshot *snap, pid_t pid)
{
	const struct process *p = pid > 0 ? snapshot_process(snap, pid) : NULL;

	return p ? p->comm : NULL;
}

void snapshot_link(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		o->cpid_comm = pid_comm(snap, o->cpid);
		o->lpid_comm = pid_comm(snap, o->lpid);
		o->notify_comm = pid_comm(snap, o->notify_pid);
	}
}
