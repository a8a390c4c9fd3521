/* System limits (/proc/sys) and their use, computed from the collected objects. */
#include "config.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "nls.h"
#include "parse.h"
#include "snapshot.h"
#include "util.h"

static bool read_sysctl(const char *path, uint64_t *v)
{
	size_t len;
	char *buf = read_file_at(-1, path, 4096, &len);

	if (!buf)
		return false;
	bool ok = sysctl_u64_parse(buf, len, v) == 0;

	free(buf);
	return ok;
}

static void set_limit(struct snapshot *snap, const char *name, const char *desc,
		      const char *unit, const char *path)
{
	struct ipc_limit *l = snapshot_limit(snap, name, desc, unit);

	if (l && path)
		l->has_limit = read_sysctl(path, &l->limit);
}

static void set_used(struct snapshot *snap, const char *name, uint64_t used)
{
	struct ipc_limit *l = snapshot_limit(snap, name, "", "");

	if (l) {
		l->has_used = true;
		l->used = used;
	}
}

void limits_collect(struct snapshot *snap)
{
	uint64_t nkind[KIND_COUNT] = { 0 };
	uint64_t shm_pages = 0, sems = 0, max_nsems = 0, max_pipe = 0, max_backlog = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		page = 4096;
	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *o = &snap->objects[i];

		/* the IPC limits are each namespace's own: ours count ours (the other kinds'
		 * namespace is their holders', and their limits are the machine's) */
		if ((KIND_BIT(o->kind) & NS_KINDS) && o->ipc_ns && snap->own_ipc_ns &&
		    o->ipc_ns != snap->own_ipc_ns)
			continue;
		nkind[o->kind]++;
		if ((o->kind == KIND_PIPE || o->kind == KIND_FIFO) && o->has_fill && o->max_size > max_pipe)
			max_pipe = o->max_size;
		else if ((o->kind == KIND_UNIX || o->kind == KIND_INET) && o->has_queues &&
			 o->sock_state == TCP_LISTEN &&
			 o->wqueue > max_backlog)
			max_backlog = o->wqueue;
		if (o->kind == KIND_SYSV_SHM)
			shm_pages += (o->size + (uint64_t)page - 1) / (uint64_t)page;
		else if (o->kind == KIND_SYSV_SEM) {
			sems += o->count;
			if (o->count > max_nsems)
				max_nsems = o->count;
		}
	}

	set_limit(snap, "msgmni", N_("Number of SysV message queues"), "", "/proc/sys/kernel/msgmni");
	set_limit(snap, "msgmax", N_("Max size of a SysV message"), "bytes", "/proc/sys/kernel/msgmax");
	set_limit(snap, "msgmnb", N_("Default max bytes queued in a SysV message queue"), "bytes",
		  "/proc/sys/kernel/msgmnb");
	set_limit(snap, "shmmni", N_("Number of SysV shared memory segments"), "", "/proc/sys/kernel/shmmni");
	set_limit(snap, "shmall", N_("Total SysV shared memory"), "pages", "/proc/sys/kernel/shmall");
	set_limit(snap, "shmmax", N_("Max size of a SysV shared memory segment"), "bytes",
		  "/proc/sys/kernel/shmmax");
	set_limit(snap, "semmni", N_("Number of SysV semaphore sets"), "", NULL);
	set_limit(snap, "semmsl", N_("Semaphores per SysV set"), "", NULL);
	set_limit(snap, "semmns", N_("Total SysV semaphores"), "", NULL);
	set_limit(snap, "semopm", N_("Operations per semop call"), "", NULL);

	size_t len;
	char *buf = read_file_at(-1, "/proc/sys/kernel/sem", 4096, &len);
	uint64_t sem[4];

	if (buf && sem_limits_parse(buf, len, sem) == 0) {
		static const char *const names[4] = { "semmsl", "semmns", "semopm", "semmni" };

		for (int i = 0; i < 4; i++) {
			struct ipc_limit *l = snapshot_limit(snap, names[i], "", "");

			l->has_limit = true;
			l->limit = sem[i];
		}
	}
	free(buf);

	set_limit(snap, "mq_queues_max", N_("Number of POSIX message queues"), "",
		  "/proc/sys/fs/mqueue/queues_max");
	set_limit(snap, "mq_msg_max", N_("Max messages in a POSIX message queue"), "",
		  "/proc/sys/fs/mqueue/msg_max");
	set_limit(snap, "mq_msgsize_max", N_("Max size of a POSIX message"), "bytes",
		  "/proc/sys/fs/mqueue/msgsize_max");
	set_limit(snap, "dev_shm", N_("Size of /dev/shm"), "bytes", NULL);

	struct statvfs sv;

	if (statvfs("/dev/shm", &sv) == 0) {
		struct ipc_limit *l = snapshot_limit(snap, "dev_shm", "", "");

		l->has_limit = true;
		l->limit = (uint64_t)sv.f_blocks * sv.f_frsize;
		l->has_used = true;
		l->used = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	}

	/* descriptors: every pipe, socket and event object is an open file */
	set_limit(snap, "file_max", N_("Open files, system-wide (file-nr of file-max)"), "",
		  "/proc/sys/fs/file-max");
	buf = read_file_at(-1, "/proc/sys/fs/file-nr", 4096, &len);
	uint64_t file_nr[3];

	if (buf && u64_fields_parse(buf, len, file_nr, 3) == 0)
		set_used(snap, "file_max", file_nr[0]);
	free(buf);
	set_limit(snap, "pipe_max_size", N_("Max pipe buffer an unprivileged user may set"), "bytes",
		  "/proc/sys/fs/pipe-max-size");
	set_limit(snap, "somaxconn", N_("Max listen() backlog of a socket"), "",
		  "/proc/sys/net/core/somaxconn");
	set_limit(snap, "unix_dgram_qlen", N_("Max datagrams queued on a UNIX socket"), "",
		  "/proc/sys/net/unix/max_dgram_qlen");
	if (snap->kinds_collected & (1u << KIND_PIPE))
		set_used(snap, "pipe_max_size", max_pipe);
	if (snap->kinds_collected & ((1u << KIND_UNIX) | (1u << KIND_INET)))
		set_used(snap, "somaxconn", max_backlog);

	/* usage only for the families collected this time */
	if (snap->kinds_collected & (1u << KIND_SYSV_MSG))
		set_used(snap, "msgmni", nkind[KIND_SYSV_MSG]);
	if (snap->kinds_collected & (1u << KIND_SYSV_SHM)) {
		set_used(snap, "shmmni", nkind[KIND_SYSV_SHM]);
		set_used(snap, "shmall", shm_pages);
	}
	if (snap->kinds_collected & (1u << KIND_SYSV_SEM)) {
		set_used(snap, "semmni", nkind[KIND_SYSV_SEM]);
		set_used(snap, "semmns", sems);
		set_used(snap, "semmsl", max_nsems);
	}
	if ((snap->kinds_collected & (1u << KIND_POSIX_MQ)) && snap->mq_listed)
		set_used(snap, "mq_queues_max", nkind[KIND_POSIX_MQ]);
}
