/*
 * Removal: what ipcrm(1), mq_unlink(3), shm_unlink(3), sem_unlink(3) and rm(1) do, but
 * only to the object the snapshot showed. Each removal first re-reads the object (SysV:
 * IPC_STAT by id; the others: the file's type, device and inode, looked up in the same
 * directory descriptor that is then used to unlink it) and acts only if it is still the
 * same one; what was done or refused goes to syslog (LOG_AUTHPRIV).
 *
 * Device and inode identify a POSIX object: tmpfs (/dev/shm) and the mqueue filesystem
 * number inodes from a counter, never giving a freed number again (short of wrapping at
 * 2^32). FIFOs and socket files may live on disk filesystems, which do reuse the numbers
 * of freed inodes: for them the check also needs the object to be still in use (see
 * file_pinned()).
 *
 * What remains between the check and the act:
 * - SysV: IPC_RMID acts on the id just checked. For another object to get that id in
 *   between, the old one must go and the id's sequence number wrap (65536 creations at
 *   the same index): not a practical race.
 * - POSIX objects, FIFOs and socket files: Linux has no way to unlink a file by handle,
 *   only by name. The check and unlinkat() use the same directory descriptor, so no
 *   directory on the path can be swapped in between, but the name itself may be replaced
 *   in the microseconds between fstatat() and unlinkat() by someone allowed to: the owner
 *   of the object, or root (/dev/shm and the mqueue filesystem are sticky).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <limits.h>
#include <locale.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "parse.h"
#include "remove.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#define SHM_DIR "/dev/shm"
#define SEM_PREFIX "sem."
#define SYSVIPC_MAX (64u << 20)
#define TCP_LISTEN_STATE 10

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* ---- what removal means ---- */

/* Distinct processes among the holders (sorted by pid). */
static size_t holder_processes(const struct ipc_object *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nholders; i++)
		if (i == 0 || o->holders[i].pid != o->holders[i - 1].pid)
			n++;
	return n;
}

const char *removal_meaning(const struct ipc_object *o, char *buf, size_t len)
{
	const char *why;

	if (!removal_supported(o, &why)) {
		snprintf(buf, len, _("It cannot be removed: %s."), _(why));
		return buf;
	}
	switch (o->kind) {
	case KIND_SYSV_SHM:
		if (o->count == 0)
			snprintf(buf, len, "%s", _("The segment and its data are destroyed now."));
		else if (o->nholders > 0)
			snprintf(buf, len, ngettext("The segment is marked for removal and disappears at the "
						    "last detach; %zu process still has it attached.",
						    "The segment is marked for removal and disappears at the "
						    "last detach; %zu processes still have it attached.",
						    holder_processes(o)), holder_processes(o));
		else
			snprintf(buf, len, ngettext("The segment is marked for removal and disappears at the "
						    "last detach; it is still attached %llu time.",
						    "The segment is marked for removal and disappears at the "
						    "last detach; it is still attached %llu times.", o->count),
				 (unsigned long long)o->count);
		break;
	case KIND_SYSV_MSG:
		snprintf(buf, len, ngettext("The queue and the %llu message in it are destroyed now; "
					    "processes using it get an error (EIDRM) from then on.",
					    "The queue and the %llu messages in it are destroyed now; "
					    "processes using it get an error (EIDRM) from then on.", o->count),
			 (unsigned long long)o->count);
		break;
	case KIND_SYSV_SEM:
		snprintf(buf, len, "%s", _("The set is destroyed now; processes waiting on it wake up "
					   "with an error (EIDRM), and later operations fail."));
		break;
	case KIND_POSIX_MQ:
		snprintf(buf, len, "%s", _("The name is unlinked; processes that have it open keep using "
					   "it until they close it. The queue and its messages go with "
					   "the last close."));
		break;
	case KIND_POSIX_SHM:
		snprintf(buf, len, "%s", _("The name is unlinked; processes that have it open or mapped "
					   "keep using it until they close and unmap it."));
		break;
	case KIND_POSIX_SEM:
		snprintf(buf, len, "%s", _("The name is unlinked; processes that have it open keep using "
					   "it until they close it."));
		break;
	case KIND_FIFO:
		snprintf(buf, len, "%s", _("The FIFO's file is unlinked; processes that have it open keep "
					   "using it, but no other process can open it by path."));
		break;
	case KIND_UNIX:
		if (o->inode == 0)
			snprintf(buf, len, "%s", _("The socket file is unlinked; no socket is bound to it, "
						   "so nothing could connect through it anyway."));
		else if (o->sock_state == TCP_LISTEN_STATE)
			snprintf(buf, len, "%s", _("The socket file is unlinked; the listening socket stays "
						   "open but new clients cannot connect by path."));
		else
			snprintf(buf, len, "%s", _("The socket file is unlinked; the socket stays open, but "
						   "it can no longer be reached by path."));
		break;
	default:
		snprintf(buf, len, "%s", _("It cannot be removed."));
		break;
	}
	return buf;
}

/* The description, translated or (for syslog) not. */
static char *describe(const struct ipc_object *o, bool utf8, bool translate)
{
#define T(s) (translate ? _(s) : (s))
	struct strbuf b = { 0 };
	char *esc = o->name ? text_escape(o->name, o->name_len, utf8, NULL) : NULL;
	unsigned int key = (unsigned int)o->key;

	switch (o->kind) {
	case KIND_SYSV_MSG:
		strbuf_printf(&b, T(N_("SysV message queue id %d key 0x%08x")), o->id, key);
		break;
	case KIND_SYSV_SHM:
		strbuf_printf(&b, T(N_("SysV shared memory segment id %d key 0x%08x")), o->id, key);
		break;
	case KIND_SYSV_SEM:
		strbuf_printf(&b, T(N_("SysV semaphore set id %d key 0x%08x")), o->id, key);
		break;
	case KIND_POSIX_MQ:
		strbuf_printf(&b, T(N_("POSIX message queue /%s")), esc ? esc : "?");
		break;
	case KIND_POSIX_SHM:
		strbuf_printf(&b, T(N_("POSIX shared memory /%s")), esc ? esc : "?");
		break;
	case KIND_POSIX_SEM:
		strbuf_printf(&b, T(N_("POSIX semaphore /%s")), esc ? esc : "?");
		break;
	case KIND_FIFO:
		if (esc)
			strbuf_printf(&b, T(N_("FIFO %s")), esc);
		else
			strbuf_printf(&b, T(N_("FIFO inode %llu")), (unsigned long long)o->inode);
		break;
	case KIND_UNIX:
		if (esc && o->inode == 0)
			strbuf_printf(&b, T(N_("UNIX socket file %s (no socket)")), esc);
		else if (esc)
			strbuf_printf(&b, T(N_("UNIX socket %s")), esc);
		else
			strbuf_printf(&b, T(N_("UNIX socket inode %llu")), (unsigned long long)o->inode);
		break;
	default:
		strbuf_printf(&b, T(N_("%s inode %llu")), kind_classes[o->kind].name,
			      (unsigned long long)o->inode);
		break;
	}
	/* foreign_ns() is below: the same test (a FIFO or socket file is removed by path,
	 * whatever its holders' namespace) */
	if ((KIND_BIT(o->kind) & NS_KINDS) && o->ipc_ns && ns_own_ipc() && o->ipc_ns != ns_own_ipc())
		strbuf_printf(&b, T(N_(" in IPC namespace %llu")), (unsigned long long)o->ipc_ns);
#undef T
	free(esc);
	return b.s;
}

char *removal_describe(const struct ipc_object *o, bool utf8)
{
	return describe(o, utf8, true);
}

/* ---- the act, and what is said about it ---- */

struct act {
	const struct ipc_object *o;
	char *msg;                      /* for the user, translated */
	size_t len;
	char *desc, *desc_log;          /* the object, translated and not */
};

/* The reason an errno stands for; in English for the log. */
static const char *err_text(int e, bool translate)
{
	static locale_t c_locale;

	if (e == EPERM || e == EACCES)
		return translate ? _("permission denied") : "permission denied";
	if (translate)
		return strerror(e);
	if (!c_locale)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c_locale ? strerror_l(e, c_locale) : strerror(e);
}

/* "uid 1000 (alice)", with the login uid when it differs (someone who became root). */
static void real_user(char *buf, size_t len)
{
	uid_t uid = getuid();
	const char *name = user_name(uid);
	char *esc = name ? text_escape(name, strlen(name), false, NULL) : NULL;
	int n = snprintf(buf, len, "uid %u (%s)", (unsigned int)uid, esc ? esc : "?");
	size_t flen;
	char *login = read_file_at(-1, "/proc/self/loginuid", 64, &flen);
	uint64_t luid;

	free(esc);
	if (login && n > 0 && (size_t)n < len && sysctl_u64_parse(login, flen, &luid) == 0 &&
	    luid != UINT32_MAX && luid != uid) {
		name = user_name((uid_t)luid);
		esc = name ? text_escape(name, strlen(name), false, NULL) : NULL;
		snprintf(buf + n, len - (size_t)n, ", login uid %llu (%s)", (unsigned long long)luid,
			 esc ? esc : "?");
		free(esc);
	}
	free(login);
}

static void audit(const char *what, const char *text)
{
	static bool opened;
	char user[256];

	if (!opened) {
		openlog(NULL, LOG_PID, LOG_AUTHPRIV);
		opened = true;
	}
	real_user(user, sizeof(user));
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s: %s %s", user, what, text);
}

/*
 * Refuse: "OBJECT: OP: REASON (DETAIL)" in msg, translated, and the same in English in
 * the log. REASON is the errno's text when e != 0. op and reason are N_() strings;
 * detail (may be NULL) a N_() format whose arguments are the same in both.
 */
__attribute__((format(printf, 5, 6)))
static int refuse(struct act *a, const char *op, int e, const char *reason, const char *detail, ...)
{
	char d[512] = "", dlog[512] = "";

	if (detail) {
		va_list ap, ap2;

		va_start(ap, detail);
		va_copy(ap2, ap);
		vsnprintf(d, sizeof(d), _(detail), ap);
		vsnprintf(dlog, sizeof(dlog), detail, ap2);
		va_end(ap2);
		va_end(ap);
	}
	/* the operation and the reason always fit: a long name is cut instead */
	struct strbuf tail = { 0 };

	strbuf_printf(&tail, ": %s: %s%s%s%s", _(op), e ? err_text(e, true) : _(reason),
		      detail ? " (" : "", d, detail ? ")" : "");

	size_t dlen = strlen(a->desc);

	if (a->len > 0 && dlen + tail.len + 1 > a->len && tail.len + 8 < a->len) {
		dlen = a->len - tail.len - 5;
		/* not inside a UTF-8 sequence */
		while (dlen > 0 && ((unsigned char)a->desc[dlen] & 0xc0) == 0x80)
			dlen--;
		snprintf(a->msg, a->len, "%.*s...%s", (int)dlen, a->desc, tail.s);
	} else {
		snprintf(a->msg, a->len, "%s%s", a->desc, tail.s);
	}
	free(tail.s);

	struct strbuf log = { 0 };

	strbuf_printf(&log, "%s: %s: %s%s%s%s", a->desc_log, op, e ? err_text(e, false) : reason,
		      detail ? " (" : "", dlog, detail ? ")" : "");
	audit("refused to remove", log.s);
	free(log.s);
	return -1;
}

static int gone(struct act *a)
{
	if (a->o->kind == KIND_UNIX)
		return refuse(a, N_("not removed"), 0, N_("its socket file no longer exists"), NULL);
	return refuse(a, N_("not removed"), 0, N_("it no longer exists"), NULL);
}

/* "FIELD OLD is now NEW": a field that tells the object was replaced. */
static int changed(struct act *a, const char *field, const char *was, const char *now)
{
	return refuse(a, N_("not removed"), 0, N_("it changed since it was listed"),
		      N_("%s %s is now %s"), field, was, now);
}

static int changed_u64(struct act *a, const char *field, uint64_t was, uint64_t now)
{
	char w[32], n[32];

	snprintf(w, sizeof(w), "%llu", (unsigned long long)was);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)now);
	return changed(a, field, w, n);
}

static int used(struct act *a, const char *field, int64_t was, int64_t now)
{
	return refuse(a, N_("not removed"), 0, N_("it was used since it was listed"),
		      N_("%s %lld is now %lld"), field, (long long)was, (long long)now);
}

/* ---- SysV: IPC_STAT by id, compare, IPC_RMID ---- */

struct sysv_now {
	int32_t key;
	unsigned int mode;
	uid_t cuid;
	gid_t cgid;
	int64_t ctime, time_a, time_b;
	uint64_t size, count;
};

/* The object with this id as /proc/sysvipc shows it, for when IPC_STAT may not read it
 * (its owner or creator may remove it without read permission). 0 or an errno. */
static int sysv_proc_stat(enum ipc_kind kind, int id, struct sysv_now *n)
{
	const char *path = kind == KIND_SYSV_MSG ? "/proc/sysvipc/msg" :
			   kind == KIND_SYSV_SHM ? "/proc/sysvipc/shm" : "/proc/sysvipc/sem";
	size_t len;
	char *buf = read_file_at(-1, path, SYSVIPC_MAX, &len);
	struct sysv_table t;
	int rc = EINVAL;

	if (!buf)
		return errno;
	if (sysv_parse(buf, len, &t) < 0) {
		free(buf);
		return EIO;
	}
	free(buf);
	for (size_t i = 0; i < t.nrec; i++) {
		const struct sysv_record *r = &t.rec[i];

		if ((int)r->v[SF_ID] != id)
			continue;
		n->key = (int32_t)r->key;
		n->mode = (unsigned int)r->v[SF_PERMS];
		n->cuid = (uid_t)r->v[SF_CUID];
		n->cgid = (gid_t)r->v[SF_CGID];
		n->ctime = (int64_t)r->v[SF_CTIME];
		if (kind == KIND_SYSV_MSG) {
			n->time_a = (int64_t)r->v[SF_STIME];
			n->time_b = (int64_t)r->v[SF_RTIME];
			n->count = r->v[SF_QNUM];
		} else if (kind == KIND_SYSV_SHM) {
			n->time_a = (int64_t)r->v[SF_ATIME];
			n->time_b = (int64_t)r->v[SF_DTIME];
			n->size = r->v[SF_SIZE];
			n->count = r->v[SF_NATTCH];
		} else {
			n->time_a = (int64_t)r->v[SF_OTIME];
			n->count = r->v[SF_NSEMS];
		}
		rc = 0;
		break;
	}
	sysv_table_free(&t);
	return rc;
}

static void perm_copy(struct sysv_now *n, const struct ipc_perm *p)
{
	n->key = p->__key;
	n->mode = p->mode;
	n->cuid = p->cuid;
	n->cgid = p->cgid;
}

/* IPC_STAT; 0 or an errno. */
static int sysv_stat(enum ipc_kind kind, int id, struct sysv_now *n)
{
	memset(n, 0, sizeof(*n));
	if (kind == KIND_SYSV_MSG) {
		struct msqid_ds ds;

		if (msgctl(id, IPC_STAT, &ds) < 0)
			return errno;
		perm_copy(n, &ds.msg_perm);
		n->ctime = ds.msg_ctime;
		n->time_a = ds.msg_stime;
		n->time_b = ds.msg_rtime;
		n->count = ds.msg_qnum;
	} else if (kind == KIND_SYSV_SHM) {
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) < 0)
			return errno;
		perm_copy(n, &ds.shm_perm);
		n->ctime = ds.shm_ctime;
		n->time_a = ds.shm_atime;
		n->time_b = ds.shm_dtime;
		n->size = ds.shm_segsz;
		n->count = ds.shm_nattch;
	} else {
		struct semid_ds ds;
		union semun arg = { .buf = &ds };

		if (semctl(id, 0, IPC_STAT, arg) < 0)
			return errno;
		perm_copy(n, &ds.sem_perm);
		n->ctime = ds.sem_ctime;
		n->time_a = ds.sem_otime;
		n->count = ds.sem_nsems;
	}
	return 0;
}

static int remove_sysv(struct act *a, unsigned int flags)
{
	const struct ipc_object *o = a->o;
	struct sysv_now n;
	int e = sysv_stat(o->kind, o->id, &n);

	if (e == EACCES)
		e = sysv_proc_stat(o->kind, o->id, &n);
	if (e == EINVAL || e == EIDRM || e == ENOENT)
		return gone(a);
	if (e)
		return refuse(a, N_("IPC_STAT failed"), e, NULL, NULL);

	/* the same object: its key, creator and change time (and size or number of
	 * semaphores, which never change) are what they were */
	if (o->kind == KIND_SYSV_SHM && (n.mode & SHM_DEST))
		return refuse(a, N_("not removed"), 0,
			      N_("it was marked for removal meanwhile: it goes at the last detach"), NULL);
	if (n.key != o->key) {
		char w[16], now[16];

		snprintf(w, sizeof(w), "0x%08x", (unsigned int)o->key);
		snprintf(now, sizeof(now), "0x%08x", (unsigned int)n.key);
		return changed(a, "key", w, now);
	}
	if (n.cuid != o->cuid)
		return changed_u64(a, "cuid", o->cuid, n.cuid);
	if (n.cgid != o->cgid)
		return changed_u64(a, "cgid", o->cgid, n.cgid);
	if (n.ctime != o->time_c)
		return changed_u64(a, "change_time", (uint64_t)o->time_c, (uint64_t)n.ctime);
	if (o->kind == KIND_SYSV_SHM && n.size != o->size)
		return changed_u64(a, "size_bytes", o->size, n.size);
	if (o->kind == KIND_SYSV_SEM && n.count != o->count)
		return changed_u64(a, "nsems", o->count, n.count);

	if (flags & REMOVE_IF_UNUSED) {
		const char *fa = o->kind == KIND_SYSV_MSG ? "send_time" :
				 o->kind == KIND_SYSV_SHM ? "attach_time" : "op_time";

		if (o->kind == KIND_SYSV_SHM && n.count > 0)
			return refuse(a, N_("not removed"), 0, N_("it was used since it was listed"),
				      N_("nattch %llu"), (unsigned long long)n.count);
		if (n.time_a != o->time_a)
			return used(a, fa, o->time_a, n.time_a);
		if (o->kind != KIND_SYSV_SEM && n.time_b != o->time_b)
			return used(a, o->kind == KIND_SYSV_MSG ? "recv_time" : "detach_time",
				    o->time_b, n.time_b);
	}

	int rc = o->kind == KIND_SYSV_MSG ? msgctl(o->id, IPC_RMID, NULL) :
		 o->kind == KIND_SYSV_SHM ? shmctl(o->id, IPC_RMID, NULL) :
		 semctl(o->id, 0, IPC_RMID);

	if (rc == 0)
		return 0;
	e = errno;
	if (e == EINVAL || e == EIDRM)
		return gone(a);
	if (e == EPERM)
		return refuse(a, N_("IPC_RMID refused"), e, NULL,
			      N_("owner uid %u, creator uid %u; you are uid %u"),
			      (unsigned int)o->uid, (unsigned int)o->cuid, (unsigned int)geteuid());
	return refuse(a, N_("IPC_RMID failed"), e, NULL, NULL);
}

/* ---- files: check type, device and inode, then unlink, in one directory ---- */

static int remove_file_at(struct act *a, int dirfd, const char *name, mode_t type, uint64_t dev,
			  uint64_t inode, unsigned int flags)
{
	const struct ipc_object *o = a->o;
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return gone(a);
		return refuse(a, N_("cannot check it"), errno, NULL, NULL);
	}
	if ((st.st_mode & S_IFMT) != type)
		return refuse(a, N_("not removed"), 0, N_("it changed since it was listed"),
			      N_("it is now another type of file"));
	if ((uint64_t)st.st_dev != dev) {
		char w[32], n[32];

		snprintf(w, sizeof(w), "%u:%u", major((dev_t)dev), minor((dev_t)dev));
		snprintf(n, sizeof(n), "%u:%u", major(st.st_dev), minor(st.st_dev));
		return changed(a, "dev", w, n);
	}
	if ((uint64_t)st.st_ino != inode)
		return changed_u64(a, "inode", inode, (uint64_t)st.st_ino);
	/* sending and receiving set a queue's mtime; listing it does not */
	if ((flags & REMOVE_IF_UNUSED) && o->kind == KIND_POSIX_MQ && st.st_mtim.tv_sec != o->time_b)
		return used(a, "mtime", o->time_b, (int64_t)st.st_mtim.tv_sec);

	/* the name may be replaced between fstatat and here: see the top of this file */
	if (unlinkat(dirfd, name, 0) == 0)
		return 0;

	int e = errno;

	if (e == ENOENT)
		return gone(a);
	if (e == EPERM || e == EACCES)
		return refuse(a, N_("unlink refused"), e, NULL,
			      N_("owner uid %u; you are uid %u"), (unsigned int)st.st_uid,
			      (unsigned int)geteuid());
	return refuse(a, N_("unlink failed"), e, NULL, NULL);
}

/* Whether the object is of an IPC namespace other than ipctop's. */
static bool foreign_ns(const struct ipc_object *o)
{
	uint64_t own = ns_own_ipc();

	return (KIND_BIT(o->kind) & NS_KINDS) && o->ipc_ns && own && o->ipc_ns != own;
}

static int remove_posix(struct act *a, unsigned int flags)
{
	const struct ipc_object *o = a->o;
	int dirfd, e;

	if (o->kind == KIND_POSIX_MQ && foreign_ns(o)) {
		/* the queue's namespace's own mqueue filesystem, mounted by a child in it */
		dirfd = ns_mqueue_root(o->ipc_ns, true, &e);
		if (dirfd < 0)
			return refuse(a, N_("cannot open the mqueue filesystem of its IPC namespace"), e,
				      NULL, NULL);
	} else if (o->kind == KIND_POSIX_MQ) {
		dirfd = posix_mq_root(true, &e);
		if (dirfd < 0)
			return refuse(a, N_("cannot open the mqueue filesystem"), e, NULL,
				      e == EPERM ? N_("/dev/mqueue is not mounted, and mounting it "
						      "privately needs root") : NULL);
	} else if (o->via_pid) {
		/* another mount namespace's /dev/shm, seen through a process in it; device
		 * and inode are checked below */
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/root" SHM_DIR, (int)o->via_pid);
		dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return refuse(a, N_("cannot open /dev/shm of its mount namespace"), errno, NULL,
				      N_("through process %d"), (int)o->via_pid);
	} else {
		dirfd = open(SHM_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return refuse(a, N_("cannot open /dev/shm"), errno, NULL, NULL);
	}

	char *name = o->name;
	char *alloc = NULL;

	if (o->kind == KIND_POSIX_SEM) {
		alloc = xmalloc(strlen(SEM_PREFIX) + o->name_len + 1);
		strcpy(alloc, SEM_PREFIX);
		strcat(alloc, o->name);
		name = alloc;
	}
	int rc = remove_file_at(a, dirfd, name, S_IFREG, o->dev, o->inode, flags);

	free(alloc);
	close(dirfd);
	return rc;
}

/*
 * Whether the file is still the one listed. On a disk filesystem, the inode number of a
 * file that is gone can be given to a new one, so device and inode alone could mistake a
 * new file for the old: the number is only certain while the inode is in use. A socket
 * pins the file it is bound to for its life, so the socket, asked for by its own inode,
 * must still exist and still name that file; a FIFO is listed because processes have it
 * open, so one of them must still have it open. 0 when it is, else refused.
 */
static int file_pinned(struct act *a, uint64_t dev, uint64_t inode)
{
	const struct ipc_object *o = a->o;

	if (o->kind == KIND_UNIX && o->inode == 0) {
		/* a socket file nothing was bound to: still so, and still the file listed */
		struct stat st;
		int b = unix_file_bound(dev, inode);

		if (b < 0)
			return refuse(a, N_("cannot check it"), errno, NULL, N_("sock_diag"));
		if (b > 0)
			return refuse(a, N_("not removed"), 0, N_("a socket is bound to it now"), NULL);
		if (lstat(o->name, &st) < 0)
			return errno == ENOENT ? gone(a) : refuse(a, N_("cannot check it"), errno, NULL, NULL);
		/* nothing pins an inode number nobody uses: a file made since may have it */
		if ((int64_t)st.st_ctim.tv_sec != o->time_c || st.st_ctim.tv_nsec != o->time_c_nsec) {
			char was[40], now[40];

			snprintf(was, sizeof(was), "%lld.%09ld", (long long)o->time_c, o->time_c_nsec);
			snprintf(now, sizeof(now), "%lld.%09ld", (long long)st.st_ctim.tv_sec,
				 (long)st.st_ctim.tv_nsec);
			return changed(a, "change_time", was, now);
		}
		return 0;
	}
	if (o->kind == KIND_UNIX) {
		uint64_t fdev, fino;
		int e = unix_socket_file(o->inode, &fdev, &fino);

		if (e == ENOENT)
			return refuse(a, N_("not removed"), 0, N_("the socket is closed"),
				      N_("a new file at its path may have the same inode number"));
		if (e)
			return refuse(a, N_("cannot check it"), e, NULL, N_("sock_diag"));
		if (fdev != dev || fino != inode)
			return changed_u64(a, "file_inode", inode, fino);
		return 0;
	}
	bool unknown = false;

	for (size_t i = 0; i < o->nholders; i++) {
		const struct holder *h = &o->holders[i];
		char link[64];
		struct stat st;

		if (h->fd < 0)
			continue;
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)h->pid, h->fd);
		if (stat(link, &st) == 0) {
			if ((uint64_t)st.st_dev == dev && (uint64_t)st.st_ino == inode)
				return 0;
		} else if (errno == EACCES || errno == EPERM) {
			unknown = true;
		}
	}
	/* FIXME: not allowed to look: device and inode are all there is to go by */
	if (unknown)
		return 0;
	return refuse(a, N_("not removed"), 0, N_("no process has it open any more"),
		      N_("a new file at its path may have the same inode number"));
}

/* A FIFO or a socket file by its absolute path: in the directory the path names. */
static int remove_path(struct act *a, mode_t type, uint64_t dev, uint64_t inode)
{
	const char *path = a->o->name;
	const char *slash = strrchr(path, '/');
	const char *base = slash + 1;

	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return refuse(a, N_("not removed"), 0, N_("its path names no file"), NULL);

	char *dir = slash == path ? xstrdup("/") : strndup(path, (size_t)(slash - path));

	if (!dir)
		xalloc_die();
	int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	if (dirfd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return gone(a);
		return refuse(a, N_("cannot open its directory"), errno, NULL, NULL);
	}
	int rc = file_pinned(a, dev, inode);

	if (rc == 0)
		rc = remove_file_at(a, dirfd, base, type, dev, inode, 0);

	close(dirfd);
	return rc;
}

/* SysV objects of another IPC namespace: ids are the namespace's, so the check and
 * IPC_RMID are made by a child that joins it; its message comes back through a pipe. */
static int remove_sysv_in_ns(struct act *a, unsigned int flags)
{
	int nsfd = ns_open(a->o->ipc_ns, 0);
	int p[2];

	if (nsfd < 0)
		return errno == ESRCH ? refuse(a, N_("not removed"), 0,
					       N_("no process is left in its IPC namespace"), NULL) :
		       refuse(a, N_("cannot open its IPC namespace"), errno, NULL, NULL);
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(nsfd);
		return refuse(a, N_("cannot start a process to join its IPC namespace"), errno, NULL, NULL);
	}
	fflush(NULL);
	pid_t pid = fork();

	if (pid < 0) {
		int e = errno;

		close(nsfd);
		close(p[0]);
		close(p[1]);
		return refuse(a, N_("cannot start a process to join its IPC namespace"), e, NULL, NULL);
	}
	if (pid == 0) {
		int rc;

		close(p[0]);
		if (setns(nsfd, CLONE_NEWIPC) < 0)
			rc = refuse(a, N_("cannot join its IPC namespace (setns)"), errno, NULL, NULL);
		else
			rc = remove_sysv(a, flags);
		if (rc < 0 && a->len && write(p[1], a->msg, strlen(a->msg)) < 0)
			_exit(2);
		_exit(rc == 0 ? 0 : 1);
	}
	close(nsfd);
	close(p[1]);

	size_t got = 0;
	ssize_t n;

	while (a->len && got + 1 < a->len &&
	       ((n = read(p[0], a->msg + got, a->len - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	if (a->len)
		a->msg[got] = '\0';
	close(p[0]);

	int status;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (got == 0)
		return refuse(a, N_("not removed"), 0, N_("the process that joined its IPC namespace failed"),
			      NULL);
	return -1;
}

int remove_object_flags(const struct ipc_object *o, unsigned int flags, char *msg, size_t len)
{
	struct act a = { .o = o, .msg = msg, .len = len };
	const char *why;
	int rc;

	a.desc = describe(o, locale_is_utf8(), true);
	a.desc_log = describe(o, false, false);
	if (!removal_supported(o, &why)) {
		rc = refuse(&a, N_("not removed"), 0, why, NULL);
	} else {
		switch (o->kind) {
		case KIND_SYSV_MSG:
		case KIND_SYSV_SHM:
		case KIND_SYSV_SEM:
			rc = foreign_ns(o) ? remove_sysv_in_ns(&a, flags) : remove_sysv(&a, flags);
			break;
		case KIND_POSIX_MQ:
		case KIND_POSIX_SHM:
		case KIND_POSIX_SEM:
			rc = remove_posix(&a, flags);
			break;
		case KIND_FIFO:
			rc = remove_path(&a, S_IFIFO, o->dev, o->inode);
			break;
		case KIND_UNIX:
			rc = remove_path(&a, S_IFSOCK, o->file_dev, o->file_inode);
			break;
		default:
			rc = refuse(&a, N_("not removed"), 0, N_("this kind of object cannot be removed"), NULL);
			break;
		}
	}
	if (rc == 0) {
		audit("removed", a.desc_log);
		if (len)
			msg[0] = '\0';
	}
	free(a.desc);
	free(a.desc_log);
	return rc;
}

int remove_object(const struct ipc_object *o, char *msg, size_t len)
{
	return remove_object_flags(o, 0, msg, len);
}

/* ---- whether removal would be allowed, for --dry-run and the dialog ---- */

static bool cap_effective(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d) < 0)
		return geteuid() == 0;
	return (d[cap / 32].effective >> (cap % 32)) & 1u;
}

bool removal_permitted(const struct ipc_object *o, char *msg, size_t len)
{
	uid_t me = geteuid();

	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		/* ipc/util.c ipcctl_obtain_check(): the owner, the creator or CAP_SYS_ADMIN */
		if (me == o->uid || me == o->cuid || cap_effective(CAP_SYS_ADMIN))
			return true;
		snprintf(msg, len, _("IPC_RMID would be refused: %s (owner uid %u, creator uid %u; you are uid %u)"),
			 err_text(EPERM, true), (unsigned int)o->uid, (unsigned int)o->cuid, (unsigned int)me);
		return false;
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		/* /dev/shm and the mqueue filesystem are sticky: the owner or CAP_FOWNER */
		if (me == o->uid || cap_effective(CAP_FOWNER))
			return true;
		snprintf(msg, len, _("unlink would be refused: %s (owner uid %u; you are uid %u)"),
			 err_text(EACCES, true), (unsigned int)o->uid, (unsigned int)me);
		return false;
	default:
		return true;    /* files elsewhere: the attempt says */
	}
}
