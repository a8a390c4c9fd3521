#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/sysmacros.h>

#include "columns.h"
#include "nls.h"
#include "util.h"
#include "xalloc.h"

#define F(field) offsetof(struct ipc_object, field)

enum {
	C_KEY, C_ID, C_NAME, C_INODE, C_DEV,
	C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS,
	C_SIZE, C_USED_BYTES, C_MQ_USED_BYTES, C_MAX_BYTES, C_MESSAGES, C_MQ_MESSAGES, C_MAX_MESSAGES,
	C_MSGSIZE_MAX, C_ALLOCATED,
	C_NATTCH, C_CPID, C_LPID, C_LSPID, C_LRPID,
	C_CPID_CMD, C_LPID_CMD, C_LSPID_CMD, C_LRPID_CMD, C_NOTIFY_CMD,
	C_ATTACH_TIME, C_DETACH_TIME, C_SEND_TIME, C_RECV_TIME, C_OP_TIME,
	C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME,
	C_RSS, C_SWAP, C_DEST, C_LOCKED,
	C_NSEMS, C_NCNT, C_ZCNT, C_SEMS,
	C_VALUE, C_WAITERS,
	C_NOTIFY, C_NOTIFY_SIGNO, C_NOTIFY_PID,
	C_PERSISTENCE,
	C_COUNT
};

const struct column columns[] = {
	[C_KEY]        = { "key", "KEY", CT_KEY, F(key), CC_ALWAYS, 0, N_("SysV IPC key (0 is IPC_PRIVATE)") },
	[C_ID]         = { "id", "ID", CT_INT, F(id), CC_ALWAYS, 0, N_("SysV IPC identifier") },
	[C_NAME]       = { "name", "NAME", CT_NAME, 0, CC_ALWAYS, 0, N_("POSIX name, without the leading slash (semaphores without \"sem.\")") },
	[C_INODE]      = { "inode", "INODE", CT_U64, F(inode), CC_ALWAYS, 0, N_("inode number of the object's file") },
	[C_DEV]        = { "dev", "DEV", CT_DEV, F(dev), CC_ALWAYS, 0, N_("device of the object's file, major:minor") },
	[C_OWNER]      = { "owner", "OWNER", CT_USER, F(uid), CC_ALWAYS, 0, N_("owner's user name") },
	[C_UID]        = { "uid", "UID", CT_ID, F(uid), CC_ALWAYS, 0, N_("owner's user id") },
	[C_GROUP]      = { "group", "GROUP", CT_GROUP, F(gid), CC_ALWAYS, 0, N_("owner's group name") },
	[C_GID]        = { "gid", "GID", CT_ID, F(gid), CC_ALWAYS, 0, N_("owner's group id") },
	[C_CREATOR]    = { "creator", "CREATOR", CT_USER, F(cuid), CC_CREATOR, 0, N_("creator's user name") },
	[C_CUID]       = { "cuid", "CUID", CT_ID, F(cuid), CC_CREATOR, 0, N_("creator's user id") },
	[C_CGROUP]     = { "cgroup", "CGROUP", CT_GROUP, F(cgid), CC_CREATOR, 0, N_("creator's group name") },
	[C_CGID]       = { "cgid", "CGID", CT_ID, F(cgid), CC_CREATOR, 0, N_("creator's group id") },
	[C_MODE]       = { "mode", "MODE", CT_MODE, F(mode), CC_ALWAYS, 0, N_("permission bits, octal") },
	[C_PERMS]      = { "perms", "PERMS", CT_PERMS, F(mode), CC_ALWAYS, 0, N_("permission bits, rwx") },
	[C_SIZE]       = { "size_bytes", "SIZE", CT_U64, F(size), CC_ALWAYS, 0, N_("size in bytes") },
	[C_USED_BYTES] = { "used_bytes", "USED-BYTES", CT_U64, F(size), CC_ALWAYS, 0, N_("bytes of message data queued") },
	[C_MQ_USED_BYTES] = { "used_bytes", "USED-BYTES", CT_U64, F(size), CC_STATUS, 0, N_("bytes of message data queued (QSIZE)") },
	[C_MAX_BYTES]  = { "max_bytes", "MAX-BYTES", CT_U64, F(max_size), CC_ATTR, 0, N_("most bytes the queue may hold (msg_qbytes)") },
	[C_MESSAGES]   = { "messages", "MSGS", CT_U64, F(count), CC_ALWAYS, 0, N_("messages queued") },
	[C_MQ_MESSAGES] = { "messages", "MSGS", CT_U64, F(count), CC_ATTR, 0, N_("messages queued") },
	[C_MAX_MESSAGES] = { "max_messages", "MAXMSGS", CT_U64, F(max_count), CC_ATTR, 0, N_("most messages the queue may hold (mq_maxmsg)") },
	[C_MSGSIZE_MAX] = { "max_msg_size_bytes", "MSGSIZE", CT_U64, F(max_size), CC_ATTR, 0, N_("largest message the queue accepts (mq_msgsize)") },
	[C_ALLOCATED]  = { "allocated_bytes", "ALLOC", CT_U64, F(allocated), CC_ALWAYS, 0, N_("memory the object's pages occupy") },
	[C_NATTCH]     = { "nattch", "NATTCH", CT_U64, F(count), CC_ALWAYS, 0, N_("number of attachments") },
	[C_CPID]       = { "cpid", "CPID", CT_PID, F(cpid), CC_ALWAYS, 0, N_("pid of the creator") },
	[C_LPID]       = { "lpid", "LPID", CT_PID, F(lpid), CC_ALWAYS, 0, N_("pid of the last shmat/shmdt") },
	[C_LSPID]      = { "lspid", "LSPID", CT_PID, F(cpid), CC_ALWAYS, 0, N_("pid of the last msgsnd") },
	[C_LRPID]      = { "lrpid", "LRPID", CT_PID, F(lpid), CC_ALWAYS, 0, N_("pid of the last msgrcv") },
	[C_CPID_CMD]   = { "cpid_command", "CPID-CMD", CT_COMM, F(cpid_comm), CC_ALWAYS, 0, N_("command of the creator, if that pid is alive") },
	[C_LPID_CMD]   = { "lpid_command", "LPID-CMD", CT_COMM, F(lpid_comm), CC_ALWAYS, 0, N_("command of the last shmat/shmdt pid, if alive") },
	[C_LSPID_CMD]  = { "lspid_command", "LSPID-CMD", CT_COMM, F(cpid_comm), CC_ALWAYS, 0, N_("command of the last sender, if that pid is alive") },
	[C_LRPID_CMD]  = { "lrpid_command", "LRPID-CMD", CT_COMM, F(lpid_comm), CC_ALWAYS, 0, N_("command of the last receiver, if that pid is alive") },
	[C_NOTIFY_CMD] = { "notify_command", "NOTIFY-CMD", CT_COMM, F(notify_comm), CC_ALWAYS, 0, N_("command of the pid registered for notification") },
	[C_ATTACH_TIME] = { "attach_time", "ATTACHED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last attach") },
	[C_DETACH_TIME] = { "detach_time", "DETACHED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last detach") },
	[C_SEND_TIME]  = { "send_time", "SENT", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last msgsnd") },
	[C_RECV_TIME]  = { "recv_time", "RECEIVED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last msgrcv") },
	[C_OP_TIME]    = { "op_time", "OPERATED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last semop") },
	[C_ACCESS_TIME] = { "access_time", "ACCESSED", CT_TIME, F(time_a), CC_ALWAYS, 0, N_("time of the last access") },
	[C_MODIFY_TIME] = { "modify_time", "MODIFIED", CT_TIME, F(time_b), CC_ALWAYS, 0, N_("time of the last modification (for queues: last send or receive)") },
	[C_CHANGE_TIME] = { "change_time", "CHANGED", CT_TIME, F(time_c), CC_ALWAYS, 0, N_("time of the last change of owner, mode or state") },
	[C_RSS]        = { "rss_bytes", "RSS", CT_U64, F(rss), CC_RSS, 0, N_("resident bytes") },
	[C_SWAP]       = { "swap_bytes", "SWAP", CT_U64, F(swap), CC_RSS, 0, N_("swapped-out bytes") },
	[C_DEST]       = { "marked_for_removal", "DEST", CT_FLAG, F(mode), CC_ALWAYS, SHM_DEST, N_("removed (IPC_RMID) but still attached; goes at the last detach") },
	[C_LOCKED]     = { "locked", "LOCKED", CT_FLAG, F(mode), CC_ALWAYS, SHM_LOCKED, N_("locked in memory (SHM_LOCK)") },
	[C_NSEMS]      = { "nsems", "NSEMS", CT_U64, F(count), CC_ALWAYS, 0, N_("semaphores in the set") },
	[C_NCNT]       = { "ncnt", "NCNT", CT_INT, F(ncnt_total), CC_SEMS, 0, N_("processes waiting for a value to increase, all semaphores") },
	[C_ZCNT]       = { "zcnt", "ZCNT", CT_INT, F(zcnt_total), CC_SEMS, 0, N_("processes waiting for a value to become zero, all semaphores") },
	[C_SEMS]       = { "semaphores", "VALUES", CT_SEMS, 0, CC_SEMS, 0, N_("each semaphore: value, ncnt, zcnt and last pid (text shows the values)") },
	[C_VALUE]      = { "value", "VALUE", CT_INT, F(sem_value), CC_VALUE, 0, N_("current value of the semaphore") },
	[C_WAITERS]    = { "waiters", "WAITERS", CT_INT, F(sem_waiters), CC_VALUE, 0, N_("threads blocked in sem_wait (glibc's count)") },
	[C_NOTIFY]     = { "notify", "NOTIFY", CT_NOTIFY, F(notify), CC_NOTIFY, 0, N_("notification requested with mq_notify: signal, thread or none") },
	[C_NOTIFY_SIGNO] = { "notify_signo", "SIGNO", CT_INT, F(notify_signo), CC_NOTIFY, 0, N_("signal sent on notification") },
	[C_NOTIFY_PID] = { "notify_pid", "NOTIFY-PID", CT_PID, F(notify_pid), CC_STATUS, 0, N_("pid registered for notification") },
	[C_PERSISTENCE] = { "persistence", "PERSISTENCE", CT_PERSIST, F(persistence), CC_ALWAYS, 0, N_("how long the object lives: process, kernel or filesystem") },
};
const size_t ncolumns = C_COUNT;

#define END (-1)

static const int sysv_msg_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_MESSAGES, C_USED_BYTES, C_MAX_BYTES, C_LSPID, C_LSPID_CMD, C_LRPID,
	C_LRPID_CMD, C_SEND_TIME, C_RECV_TIME, C_CHANGE_TIME, C_PERSISTENCE, END
};
static const int sysv_msg_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_MESSAGES, C_USED_BYTES, C_MAX_BYTES, C_LSPID, C_LSPID_CMD,
	C_LRPID, C_LRPID_CMD, C_SEND_TIME, C_RECV_TIME, END
};
static const int sysv_shm_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_SIZE, C_NATTCH, C_CPID, C_CPID_CMD, C_LPID, C_LPID_CMD, C_ATTACH_TIME, C_DETACH_TIME,
	C_CHANGE_TIME, C_RSS, C_SWAP, C_DEST, C_LOCKED, C_PERSISTENCE, END
};
static const int sysv_shm_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_SIZE, C_NATTCH, C_CPID, C_CPID_CMD, C_LPID, C_RSS, C_DEST,
	C_ATTACH_TIME, C_DETACH_TIME, END
};
static const int sysv_sem_cols[] = {
	C_KEY, C_ID, C_OWNER, C_UID, C_GROUP, C_GID, C_CREATOR, C_CUID, C_CGROUP, C_CGID,
	C_MODE, C_PERMS, C_NSEMS, C_NCNT, C_ZCNT, C_SEMS, C_OP_TIME, C_CHANGE_TIME,
	C_PERSISTENCE, END
};
static const int sysv_sem_defaults[] = {
	C_KEY, C_ID, C_OWNER, C_PERMS, C_NSEMS, C_NCNT, C_ZCNT, C_OP_TIME, C_CHANGE_TIME,
	C_SEMS, END
};
static const int posix_mq_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS,
	C_MQ_MESSAGES, C_MAX_MESSAGES, C_MSGSIZE_MAX, C_MQ_USED_BYTES, C_NOTIFY, C_NOTIFY_SIGNO,
	C_NOTIFY_PID, C_NOTIFY_CMD, C_MODIFY_TIME, C_PERSISTENCE, END
};
static const int posix_mq_defaults[] = {
	C_OWNER, C_PERMS, C_MQ_MESSAGES, C_MAX_MESSAGES, C_MSGSIZE_MAX, C_MQ_USED_BYTES,
	C_NOTIFY_PID, C_MODIFY_TIME, C_NAME, END
};
static const int posix_shm_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS, C_SIZE,
	C_ALLOCATED, C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME, C_PERSISTENCE, END
};
static const int posix_shm_defaults[] = {
	C_INODE, C_OWNER, C_PERMS, C_SIZE, C_ALLOCATED, C_MODIFY_TIME, C_NAME, END
};
static const int posix_sem_cols[] = {
	C_NAME, C_INODE, C_DEV, C_OWNER, C_UID, C_GROUP, C_GID, C_MODE, C_PERMS, C_VALUE,
	C_WAITERS, C_ACCESS_TIME, C_MODIFY_TIME, C_CHANGE_TIME, C_PERSISTENCE, END
};
static const int posix_sem_defaults[] = {
	C_INODE, C_OWNER, C_PERMS, C_VALUE, C_WAITERS, C_MODIFY_TIME, C_NAME, END
};

const struct kind_class kind_classes[KIND_COUNT] = {
	[KIND_SYSV_MSG] = { "sysv_msg", N_("SysV message queues"), N_("SysV msg"),
			    sysv_msg_cols, sysv_msg_defaults, C_ID },
	[KIND_SYSV_SHM] = { "sysv_shm", N_("SysV shared memory segments"), N_("SysV shm"),
			    sysv_shm_cols, sysv_shm_defaults, C_ID },
	[KIND_SYSV_SEM] = { "sysv_sem", N_("SysV semaphore sets"), N_("SysV sem"),
			    sysv_sem_cols, sysv_sem_defaults, C_ID },
	[KIND_POSIX_MQ] = { "posix_mq", N_("POSIX message queues"), N_("POSIX mq"),
			    posix_mq_cols, posix_mq_defaults, C_NAME },
	[KIND_POSIX_SHM] = { "posix_shm", N_("POSIX shared memory"), N_("POSIX shm"),
			     posix_shm_cols, posix_shm_defaults, C_NAME },
	[KIND_POSIX_SEM] = { "posix_sem", N_("POSIX named semaphores"), N_("POSIX sem"),
			     posix_sem_cols, posix_sem_defaults, C_NAME },
};

int column_by_name(const char *name)
{
	for (size_t i = 0; i < ncolumns; i++)
		if (strcmp(columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

int kind_column_by_name(enum ipc_kind kind, const char *name)
{
	for (const int *c = kind_classes[kind].columns; *c != END; c++)
		if (strcmp(columns[*c].name, name) == 0)
			return *c;
	return -1;
}

bool kind_has_column(enum ipc_kind kind, int col)
{
	for (const int *c = kind_classes[kind].columns; *c != END; c++)
		if (*c == col)
			return true;
	return false;
}

int kind_by_name(const char *name)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(kind_classes[k].name, name) == 0)
			return k;
	return -1;
}

const char *persistence_name(enum persistence p)
{
	switch (p) {
	case PERSIST_PROCESS:
		return "process";
	case PERSIST_KERNEL:
		return "kernel";
	case PERSIST_FILESYSTEM:
		return "filesystem";
	}
	return "unknown";
}

static bool column_valid(const struct column *c, const struct ipc_object *o)
{
	switch (c->cond) {
	case CC_ALWAYS:
		return true;
	case CC_CREATOR:
		return o->has_creator;
	case CC_ATTR:
		return o->has_attr;
	case CC_RSS:
		return o->has_rss;
	case CC_VALUE:
		return o->has_value;
	case CC_SEMS:
		return o->has_sems;
	case CC_NOTIFY:
		return o->notify_pid != 0;
	case CC_STATUS:
		return o->has_status;
	}
	return false;
}

static void perms_string(unsigned int mode, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";

	for (int i = 0; i < 9; i++)
		buf[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	buf[9] = '\0';
}

void column_value(int col, const struct ipc_object *o, struct cell *out)
{
	const struct column *c = &columns[col];
	const char *field = (const char *)o + c->offset;

	memset(out, 0, sizeof(*out));
	out->type = CELL_NULL;
	if (!column_valid(c, o))
		return;

	switch (c->type) {
	case CT_INT:
		out->type = CELL_INT;
		out->i = *(const int *)field;
		break;
	case CT_U64:
		out->type = CELL_UINT;
		out->u = *(const uint64_t *)field;
		break;
	case CT_PID: {
		pid_t pid = *(const pid_t *)field;

		if (pid > 0) {
			out->type = CELL_INT;
			out->i = pid;
		}
		break;
	}
	case CT_KEY:
		out->type = CELL_UINT;
		out->u = (uint32_t)*(const int32_t *)field;
		break;
	case CT_NAME:
		if (o->name) {
			out->type = CELL_BYTES;
			out->s = o->name;
			out->len = o->name_len;
		}
		break;
	case CT_USER:
	case CT_GROUP: {
		unsigned int id = *(const unsigned int *)field;
		const char *name = c->type == CT_USER ? user_name(id) : group_name(id);

		out->type = CELL_STR;
		if (name) {
			out->s = name;
		} else {
			/* no name: show the number, as ls does */
			snprintf(out->buf, sizeof(out->buf), "%u", id);
			out->s = out->buf;
		}
		break;
	}
	case CT_ID:
		out->type = CELL_UINT;
		out->u = *(const unsigned int *)field;
		break;
	case CT_MODE:
		out->type = CELL_STR;
		snprintf(out->buf, sizeof(out->buf), "%04o", *(const unsigned int *)field & 0777);
		out->s = out->buf;
		break;
	case CT_PERMS:
		out->type = CELL_STR;
		perms_string(*(const unsigned int *)field, out->buf);
		out->s = out->buf;
		break;
	case CT_TIME: {
		int64_t t = *(const int64_t *)field;

		if (t != 0) {
			out->type = CELL_INT;
			out->i = t;
		}
		break;
	}
	case CT_DEV: {
		uint64_t dev = *(const uint64_t *)field;

		out->type = CELL_STR;
		snprintf(out->buf, sizeof(out->buf), "%u:%u", major(dev), minor(dev));
		out->s = out->buf;
		out->u = dev;
		out->by_u = true;
		break;
	}
	case CT_FLAG:
		out->type = CELL_BOOL;
		out->b = (*(const unsigned int *)field & c->aux) != 0;
		break;
	case CT_PERSIST:
		out->type = CELL_STR;
		out->s = persistence_name(*(const enum persistence *)field);
		break;
	case CT_NOTIFY:
		out->type = CELL_STR;
		switch (*(const int *)field) {
		case SIGEV_SIGNAL:
			out->s = "signal";
			break;
		case SIGEV_NONE:
			out->s = "none";
			break;
		case SIGEV_THREAD:
			out->s = "thread";
			break;
		default:
			snprintf(out->buf, sizeof(out->buf), "%d", *(const int *)field);
			out->s = out->buf;
		}
		break;
	case CT_SEMS:
		out->type = CELL_SEMS;
		out->obj = o;
		break;
	case CT_COMM: {
		const char *comm = *(const char *const *)field;

		if (comm) {
			out->type = CELL_BYTES;
			out->s = comm;
			out->len = strlen(comm);
		}
		break;
	}
	}
}

int cell_compare(const struct cell *a, const struct cell *b)
{
	/* unknown values sort first */
	if (a->type == CELL_NULL || b->type == CELL_NULL)
		return (a->type != CELL_NULL) - (b->type != CELL_NULL);
	switch (a->type) {
	case CELL_INT:
		return (a->i > b->i) - (a->i < b->i);
	case CELL_UINT:
		return (a->u > b->u) - (a->u < b->u);
	case CELL_BOOL:
		return (int)a->b - (int)b->b;
	case CELL_STR:
		if (a->by_u && b->by_u)
			return (a->u > b->u) - (a->u < b->u);
		return strcmp(a->s, b->s);
	case CELL_BYTES: {
		size_t n = a->len < b->len ? a->len : b->len;
		int r = memcmp(a->s, b->s, n);

		return r ? r : (a->len > b->len) - (a->len < b->len);
	}
	case CELL_SEMS:
	case CELL_NULL:
		break;
	}
	return 0;
}

bool column_sortable(int col)
{
	return columns[col].type != CT_SEMS;
}

struct sort_ctx {
	int col;
	bool reverse;
};

static struct sort_ctx sort_ctx;

static int row_compare(const void *pa, const void *pb)
{
	const struct ipc_object *a = *(const struct ipc_object *const *)pa;
	const struct ipc_object *b = *(const struct ipc_object *const *)pb;
	struct cell ca, cb;

	column_value(sort_ctx.col, a, &ca);
	column_value(sort_ctx.col, b, &cb);
	int r = cell_compare(&ca, &cb);

	/* ties keep a stable, meaningful order: by id, then name */
	if (r == 0)
		r = (a->id > b->id) - (a->id < b->id);
	if (r == 0 && a->name && b->name)
		r = strcmp(a->name, b->name);
	return sort_ctx.reverse ? -r : r;
}

const struct ipc_object **kind_rows(const struct snapshot *snap, enum ipc_kind kind,
				    int sort_col, bool reverse, size_t *n)
{
	const struct ipc_object **rows = xcalloc(snap->nobjects + 1, sizeof(*rows));
	size_t count = 0;

	for (size_t i = 0; i < snap->nobjects; i++)
		if (snap->objects[i].kind == kind)
			rows[count++] = &snap->objects[i];
	if (sort_col < 0)
		sort_col = kind_classes[kind].default_sort;
	sort_ctx.col = sort_col;
	sort_ctx.reverse = reverse;
	qsort(rows, count, sizeof(*rows), row_compare);
	*n = count;
	return rows;
}
