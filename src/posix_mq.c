/* POSIX message queues: the mqueue filesystem (/dev/mqueue, or a private mount). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "nls.h"
#include "parse.h"
#include "snapshot.h"
#include "util.h"

#ifndef MQUEUE_MAGIC
# define MQUEUE_MAGIC 0x19800202
#endif

/*
 * When /dev/mqueue is not mounted, mount the mqueue filesystem of our own IPC
 * namespace as a detached mount (fsopen/fsmount): it belongs to no directory and
 * no mount namespace anyone else sees, and goes away with its last descriptor.
 */
int posix_mq_private_mount(bool writable, int *err)
{
#if defined(HAVE_FSOPEN) && defined(HAVE_FSMOUNT)
	int fs = fsopen("mqueue", FSOPEN_CLOEXEC);

	if (fs < 0) {
		*err = errno;
		return -1;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		*err = errno;
		close(fs);
		return -1;
	}
	int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (writable ? 0 : MOUNT_ATTR_RDONLY) |
			  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);

	*err = errno;
	close(fs);
	return mnt;
#else
	(void)writable;
	*err = ENOSYS;
	return -1;
#endif
}

/* The same choice as mq_open_root(), for removal (src/remove.c): the filesystem a
 * snapshot listed, so that a queue is checked and unlinked where it was seen. */
int posix_mq_root(bool writable, int *err)
{
	struct statfs sfs;

	if (statfs("/dev/mqueue", &sfs) == 0 && sfs.f_type == MQUEUE_MAGIC) {
		int fd = open("/dev/mqueue", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		*err = errno;
		return fd;
	}
	return posix_mq_private_mount(writable, err);
}

/* A directory descriptor on the mqueue filesystem, or -1 with a note explaining why not. */
static int mq_open_root(struct snapshot *snap)
{
	struct statfs sfs;
	int err;

	if (statfs("/dev/mqueue", &sfs) == 0 && sfs.f_type == MQUEUE_MAGIC)
		return open("/dev/mqueue", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	int mnt = posix_mq_private_mount(false, &err);

	if (mnt >= 0)
		return mnt;
	if (err == EPERM)
		snapshot_note(snap, "/dev/mqueue",
			      _("not mounted, and mounting it privately needs root (CAP_SYS_ADMIN): "
				"POSIX message queues cannot be listed"));
	else
		snapshot_note(snap, "/dev/mqueue",
			      _("not mounted, and a private mount failed (%s): "
				"POSIX message queues cannot be listed"), strerror(err));
	return -1;
}

static void mq_read_queue(struct snapshot *snap, int root, const char *name, uint64_t ns,
			  size_t *unreadable)
{
	struct stat st;
	int fd = openat(root, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		int e = errno;

		/* gone since readdir, or not ours to open: list what stat tells */
		if (e == ENOENT || fstatat(root, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return;
		(*unreadable)++;
	} else if (fstat(fd, &st) < 0) {
		close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return;
	}

	struct ipc_object *o = snapshot_add(snap, KIND_POSIX_MQ);

	object_set_name(o, name, strlen(name));
	object_set_file(o, &st);
	o->ipc_ns = ns;
	if (fd < 0)
		return;

	/* the file reads as "QSIZE:.. NOTIFY:.. SIGNO:.. NOTIFY_PID:.."; reading consumes nothing
	 * but sets the queue's atime and ctime, which is why ipctop shows neither */
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	struct mq_status ms;

	if (n > 0 && mq_status_parse(buf, (size_t)n, &ms) == 0) {
		o->size = ms.qsize;
		o->notify_pid = (pid_t)ms.notify_pid;
		o->notify = ms.notify;
		o->notify_signo = ms.signo;
		o->has_status = true;
	}
	/* a descriptor opened through the filesystem is a queue descriptor */
	struct mq_attr attr;

	if (mq_getattr((mqd_t)fd, &attr) == 0) {
		o->has_attr = true;
		o->count = (uint64_t)attr.mq_curmsgs;
		o->max_count = (uint64_t)attr.mq_maxmsg;
		o->max_size = (uint64_t)attr.mq_msgsize;
	}
	close(fd);
}

void posix_mq_collect(struct snapshot *snap)
{
	int root = mq_open_root(snap);

	if (root < 0)
		return;
	snap->mq_listed = true;
	posix_mq_collect_root(snap, root, snap->own_ipc_ns);
	close(root);
}

void posix_mq_collect_root(struct snapshot *snap, int root, uint64_t ns)
{
	int dfd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		snapshot_note(snap, "/dev/mqueue", _("cannot list: %s"), strerror(errno));
		if (dfd >= 0)
			close(dfd);
		if (ns == snap->own_ipc_ns)
			snap->mq_listed = false;
		return;
	}
	struct dirent *d;
	size_t unreadable = 0;

	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		mq_read_queue(snap, root, d->d_name, ns, &unreadable);
	}
	if (unreadable)
		snapshot_note(snap, "/dev/mqueue",
			      _("%zu queues could not be opened (permission denied): "
				"their message counts and sizes are unknown"), unreadable);
	closedir(dir);
}
