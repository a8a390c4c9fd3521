/* SysV IPC: /proc/sysvipc/{msg,shm,sem}, completed with msgctl/semctl. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include "nls.h"
#include "parse.h"
#include "snapshot.h"
#include "util.h"
#include "xalloc.h"

#define SYSVIPC_MAX (64u << 20)

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* Where a note about path comes from: the path, and for another namespace than ours
 * the namespace too (its file is read there, the same path). */
static const char *note_source(const struct snapshot *snap, const char *path, uint64_t ns,
			       char *buf, size_t len)
{
	if (ns == snap->own_ipc_ns)
		return path;
	snprintf(buf, len, "ipc:[%llu] %s", (unsigned long long)ns, path);
	return buf;
}

/* The table of IPC namespace ns from path, opened here (the kernel shows the opener's
 * namespace), or (fd >= 0) from fd, which is closed: the file opened by a child in ns.
 * 0, or -1 with a note; for our own namespace the kind is then no longer counted as
 * collected (its limits' use is unknown, not 0). */
static int sysv_read(struct snapshot *snap, const char *path, int fd, uint64_t ns,
		     enum ipc_kind kind, struct sysv_table *t)
{
	size_t len;
	char *buf = fd >= 0 ? read_fd(fd, SYSVIPC_MAX, &len) : read_file_at(-1, path, SYSVIPC_MAX, &len);
	int e = errno;
	bool own = ns == snap->own_ipc_ns;
	char src[96];
	const char *source = note_source(snap, path, ns, src, sizeof(src));

	if (fd >= 0)
		close(fd);
	if (!buf) {
		if (own)
			snap->kinds_collected &= ~KIND_BIT(kind);
		if (e == ENOENT)
			snapshot_note(snap, source, _("not present: this kernel has no SysV IPC (CONFIG_SYSVIPC)"));
		else
			snapshot_note(snap, source, _("cannot read: %s"), strerror(e));
		return -1;
	}
	int rc = sysv_parse(buf, len, t);

	free(buf);
	if (rc < 0) {
		if (own)
			snap->kinds_collected &= ~KIND_BIT(kind);
		snapshot_note(snap, source, _("unrecognised header line; file skipped"));
		return -1;
	}
	if (t->bad_lines)
		snapshot_note(snap, source, _("%zu malformed lines skipped"), t->bad_lines);
	return 0;
}

static void sysv_common(struct ipc_object *o, const struct sysv_record *r)
{
	o->key = (int32_t)r->key;
	o->id = (int)r->v[SF_ID];
	o->mode = (unsigned int)r->v[SF_PERMS];
	o->uid = (uid_t)r->v[SF_UID];
	o->gid = (gid_t)r->v[SF_GID];
	o->cuid = (uid_t)r->v[SF_CUID];
	o->cgid = (gid_t)r->v[SF_CGID];
	o->has_creator = true;
	o->time_c = (int64_t)r->v[SF_CTIME];
	o->persistence = PERSIST_KERNEL;
}

/* ns: the objects' IPC namespace; foreign: not the calling thread's, so msgctl/semctl
 * (which address the caller's) are not asked */
static void msg_collect(struct snapshot *snap, int fd, uint64_t ns, bool foreign)
{
	struct sysv_table t;
	size_t denied = 0;
	char src[96];

	if (sysv_read(snap, "/proc/sysvipc/msg", fd, ns, KIND_SYSV_MSG, &t) < 0)
		return;
	for (size_t i = 0; i < t.nrec; i++) {
		const struct sysv_record *r = &t.rec[i];
		struct ipc_object *o = snapshot_add(snap, KIND_SYSV_MSG);
		struct msqid_ds ds;

		sysv_common(o, r);
		o->size = r->v[SF_CBYTES];
		o->count = r->v[SF_QNUM];
		o->cpid = (pid_t)r->v[SF_LSPID];
		o->lpid = (pid_t)r->v[SF_LRPID];
		o->time_a = (int64_t)r->v[SF_STIME];
		o->time_b = (int64_t)r->v[SF_RTIME];
		o->ipc_ns = ns;
		/* the queue's byte limit is only in msgctl; skip if the id was reused meanwhile */
		if (foreign)
			continue;
		if (msgctl(o->id, IPC_STAT, &ds) == 0 && ds.msg_perm.__key == o->key) {
			o->max_size = ds.msg_qbytes;
			o->has_attr = true;
		} else if (errno == EACCES || errno == EPERM) {
			denied++;
		}
	}
	sysv_table_free(&t);
	/* listed all the same: only what msgctl gives is missing */
	if (denied)
		snapshot_note(snap, note_source(snap, "/proc/sysvipc/msg", ns, src, sizeof(src)),
			      ngettext("%zu queue not readable with msgctl(IPC_STAT): %s: its byte limit "
				       "is unknown; run as root or as its owner",
				       "%zu queues not readable with msgctl(IPC_STAT): %s: their byte limits "
				       "are unknown; run as root or as their owner", denied),
			      denied, strerror(EACCES));
}

static void shm_collect(struct snapshot *snap, int fd, uint64_t ns)
{
	struct sysv_table t;

	if (sysv_read(snap, "/proc/sysvipc/shm", fd, ns, KIND_SYSV_SHM, &t) < 0)
		return;
	for (size_t i = 0; i < t.nrec; i++) {
		const struct sysv_record *r = &t.rec[i];
		struct ipc_object *o = snapshot_add(snap, KIND_SYSV_SHM);

		sysv_common(o, r);
		o->size = r->v[SF_SIZE];
		o->count = r->v[SF_NATTCH];
		o->cpid = (pid_t)r->v[SF_CPID];
		o->lpid = (pid_t)r->v[SF_LPID];
		o->time_a = (int64_t)r->v[SF_ATIME];
		o->time_b = (int64_t)r->v[SF_DTIME];
		o->ipc_ns = ns;
		if ((r->has & (1u << SF_RSS)) && (r->has & (1u << SF_SWAP))) {
			o->has_rss = true;
			o->rss = r->v[SF_RSS];
			o->swap = r->v[SF_SWAP];
		}
	}
	sysv_table_free(&t);
}

/* Returns -1 (errno EACCES) when semctl is refused, else 0 (values read, or the set went away). */
static int sysv_sem_values(struct ipc_object *o)
{
	struct semid_ds ds;
	union semun arg = { .buf = &ds };

	if (o->count == 0 || o->count > 65536)
		return 0;
	if (semctl(o->id, 0, IPC_STAT, arg) < 0)
		return errno == EACCES || errno == EPERM ? -1 : 0;
	if (ds.sem_perm.__key != o->key || ds.sem_nsems != o->count)
		return 0;
	int n = (int)o->count;
	unsigned short *vals = xcalloc((size_t)n, sizeof(*vals));

	arg.array = vals;
	if (semctl(o->id, 0, GETALL, arg) < 0) {
		int err = errno;

		free(vals);
		return err == EACCES || err == EPERM ? -1 : 0;
	}
	o->sems = xcalloc((size_t)n, sizeof(*o->sems));
	for (int i = 0; i < n; i++) {
		struct sem_value *s = &o->sems[i];

		s->value = vals[i];
		s->ncnt = semctl(o->id, i, GETNCNT);
		s->zcnt = semctl(o->id, i, GETZCNT);
		s->pid = semctl(o->id, i, GETPID);
		if (s->ncnt < 0 || s->zcnt < 0 || s->pid < 0) {
			/* the set went away between calls */
			free(o->sems);
			o->sems = NULL;
			break;
		}
		o->ncnt_total += s->ncnt;
		o->zcnt_total += s->zcnt;
	}
	if (o->sems)
		o->has_sems = true;
	else
		o->ncnt_total = o->zcnt_total = 0;
	free(vals);
	return 0;
}

static void sem_collect(struct snapshot *snap, int fd, uint64_t ns, bool foreign)
{
	struct sysv_table t;
	size_t denied = 0;
	char src[96];

	if (sysv_read(snap, "/proc/sysvipc/sem", fd, ns, KIND_SYSV_SEM, &t) < 0)
		return;
	for (size_t i = 0; i < t.nrec; i++) {
		const struct sysv_record *r = &t.rec[i];
		struct ipc_object *o = snapshot_add(snap, KIND_SYSV_SEM);

		sysv_common(o, r);
		o->count = r->v[SF_NSEMS];
		o->time_a = (int64_t)r->v[SF_OTIME];
		o->ipc_ns = ns;
		if (!foreign && sysv_sem_values(o) < 0)
			denied++;
	}
	sysv_table_free(&t);
	if (denied)
		snapshot_note(snap, note_source(snap, "/proc/sysvipc/sem", ns, src, sizeof(src)),
			      ngettext("%zu set not readable with semctl(IPC_STAT, GETALL): %s: its "
				       "values and waiters are unknown; run as root or as its owner",
				       "%zu sets not readable with semctl(IPC_STAT, GETALL): %s: their "
				       "values and waiters are unknown; run as root or as their owner", denied),
			      denied, strerror(EACCES));
}

void sysv_msg_collect(struct snapshot *snap)
{
	msg_collect(snap, -1, snap->own_ipc_ns, false);
}

void sysv_shm_collect(struct snapshot *snap)
{
	shm_collect(snap, -1, snap->own_ipc_ns);
}

void sysv_sem_collect(struct snapshot *snap)
{
	sem_collect(snap, -1, snap->own_ipc_ns, false);
}

void sysv_msg_collect_ns(struct snapshot *snap, uint64_t ns)
{
	msg_collect(snap, -1, ns, false);
}

void sysv_shm_collect_ns(struct snapshot *snap, uint64_t ns)
{
	shm_collect(snap, -1, ns);
}

void sysv_sem_collect_ns(struct snapshot *snap, uint64_t ns)
{
	sem_collect(snap, -1, ns, false);
}

void sysv_msg_collect_fd(struct snapshot *snap, int fd, uint64_t ns)
{
	msg_collect(snap, fd, ns, true);
}

void sysv_shm_collect_fd(struct snapshot *snap, int fd, uint64_t ns)
{
	shm_collect(snap, fd, ns);
}

void sysv_sem_collect_fd(struct snapshot *snap, int fd, uint64_t ns)
{
	sem_collect(snap, fd, ns, true);
}
