/* POSIX shared memory objects and named semaphores: the files of /dev/shm. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nls.h"
#include "parse.h"
#include "snapshot.h"

#define SHM_DIR "/dev/shm"
#define SEM_PREFIX "sem."

/* Returns -1 when the file may not be opened (EACCES), else 0. */
static int posix_sem_read(struct ipc_object *o, int dirfd, const char *name)
{
	/* O_NOATIME keeps our look from showing as use; only the owner or root may ask */
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? -1 : 0;

	struct stat st;
	unsigned char buf[sizeof(sem_t)];

	if (fstat(fd, &st) == 0 && st.st_ino == o->inode && st.st_size == (off_t)sizeof(sem_t) &&
	    pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) &&
	    posix_sem_decode(buf, sizeof(buf), &o->sem_value, &o->sem_waiters) == 0)
		o->has_value = true;
	close(fd);
	return 0;
}

void posix_shm_collect(struct snapshot *snap, bool want_shm, bool want_sem)
{
	posix_shm_collect_dir(snap, SHM_DIR, snap->own_ipc_ns, 0, want_shm, want_sem);
}

void posix_shm_collect_dir(struct snapshot *snap, const char *path, uint64_t ns, pid_t via_pid,
			   bool want_shm, bool want_sem)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		snapshot_note(snap, SHM_DIR, _("cannot list %s: %s: POSIX shared memory and named "
					       "semaphores cannot be seen"), path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return;
	}

	struct dirent *d;
	size_t sems_denied = 0;

	while ((d = readdir(dir)) != NULL) {
		struct stat st;
		const char *name = d->d_name;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;   /* gone, or not an object shm_open/sem_open could have made */

		bool is_sem = strncmp(name, SEM_PREFIX, strlen(SEM_PREFIX)) == 0 &&
			      name[strlen(SEM_PREFIX)] != '\0';

		if (is_sem ? !want_sem : !want_shm)
			continue;

		struct ipc_object *o = snapshot_add(snap, is_sem ? KIND_POSIX_SEM : KIND_POSIX_SHM);

		if (is_sem)
			object_set_name(o, name + strlen(SEM_PREFIX), strlen(name) - strlen(SEM_PREFIX));
		else
			object_set_name(o, name, strlen(name));
		object_set_file(o, &st);
		o->ipc_ns = ns;
		o->via_pid = via_pid;
		o->size = (uint64_t)st.st_size;
		o->allocated = (uint64_t)st.st_blocks * 512;
		if (is_sem && posix_sem_read(o, dfd, name) < 0)
			sems_denied++;
	}
	closedir(dir);
	if (sems_denied)
		snapshot_note(snap, SHM_DIR,
			      ngettext("%zu named semaphore not readable (%s): its value is unknown; "
				       "run as root or as its owner",
				       "%zu named semaphores not readable (%s): their values are unknown; "
				       "run as root or as their owner", sems_denied),
			      sems_denied, strerror(EACCES));
}
