/*
 * Generator mechanisms on shared memory: a ring of message slots per direction, with
 * two counting semaphores per ring (free slots, used slots). POSIX: a shm_open segment
 * and named semaphores; SysV: a segment and a set of four semaphores, keys in the
 * generator's range.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include "gen.h"
#include "nls.h"

#define RING_SLOTS 64

static size_t slot_size(const struct gen_chan *c)
{
	return (c->msg_size + 63) & ~(size_t)63;
}

static unsigned char *slot(struct gen_chan *c, int dir, uint64_t n)
{
	return (unsigned char *)c->map + ((size_t)dir * c->slots + n % c->slots) * slot_size(c);
}

static size_t ring_bytes(struct gen_chan *c)
{
	c->slots = RING_SLOTS;
	return (c->pingpong ? 2 : 1) * c->slots * slot_size(c);
}

/* ---- POSIX ---- */

static ssize_t psem_wait(sem_t *s)
{
	return sem_wait(s);     /* -1 EINTR: the caller retries */
}

static ssize_t pshm_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	if (psem_wait(c->sem[role * 2]) < 0)
		return -1;
	memcpy(slot(c, role, c->tx_n++), buf, len);
	sem_post(c->sem[role * 2 + 1]);
	return (ssize_t)len;
}

static ssize_t pshm_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	int dir = 1 - role;

	(void)len;
	if (psem_wait(c->sem[dir * 2 + 1]) < 0)
		return -1;
	memcpy(buf, slot(c, dir, c->rx_n++), c->msg_size);
	sem_post(c->sem[dir * 2]);
	return (ssize_t)c->msg_size;
}

static void pshm_destroy(struct gen_chan *c)
{
	for (int i = 0; i < GEN_MAX_NAMES; i++) {
		if (!c->names[i][0])
			continue;
		if (c->name_kind[i] == 'm')
			shm_unlink(c->names[i]);
		else if (c->name_kind[i] == 's')
			sem_unlink(c->names[i]);
		c->names[i][0] = '\0';
	}
}

static int pshm_create(struct gen_chan *c, char *err, size_t errlen)
{
	static const char *const sem_names[4] = { "free-fwd", "used-fwd", "free-back", "used-back" };
	size_t len = ring_bytes(c);
	char *name = c->names[0];
	int fd;

	gen_name(c, name, sizeof(c->names[0]), "ring");
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		gen_error(err, errlen, errno, _("cannot create POSIX shared memory %s"), name);
		name[0] = '\0';
		return -1;
	}
	c->name_kind[0] = 'm';
	if (ftruncate(fd, (off_t)len) < 0) {
		gen_error(err, errlen, errno, _("cannot size POSIX shared memory %s to %zu bytes"), name, len);
		close(fd);
		return -1;
	}
	c->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		gen_error(err, errlen, errno, _("cannot map POSIX shared memory %s"), name);
		return -1;
	}
	c->map_len = len;
	for (int s = 0; s < (c->pingpong ? 4 : 2); s++) {
		char *sn = c->names[1 + s];

		gen_name(c, sn, sizeof(c->names[1 + s]), sem_names[s]);
		c->sem[s] = sem_open(sn, O_CREAT | O_EXCL, 0600, s % 2 ? 0u : (unsigned)c->slots);
		if (c->sem[s] == SEM_FAILED) {
			c->sem[s] = NULL;
			gen_error(err, errlen, errno, _("cannot create POSIX semaphore %s"), sn);
			sn[0] = '\0';
			return -1;
		}
		c->name_kind[1 + s] = 's';
	}
	return 0;
}

const struct gen_mech gen_mech_posix_shm = {
	.name = "posix-shm", .bytes = false,
	.create = pshm_create, .send = pshm_send, .recv = pshm_recv, .destroy = pshm_destroy,
};

/* ---- SysV: semaphores 0 free-fwd, 1 used-fwd, 2 free-back, 3 used-back ---- */

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int sem_add(int id, int num, int delta)
{
	struct sembuf op = { (unsigned short)num, (short)delta, 0 };

	return semop(id, &op, 1);
}

static ssize_t sshm_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	if (sem_add(c->sysv[2], role * 2, -1) < 0)
		return -1;
	memcpy(slot(c, role, c->tx_n++), buf, len);
	if (sem_add(c->sysv[2], role * 2 + 1, 1) < 0)
		return -1;
	return (ssize_t)len;
}

static ssize_t sshm_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	int dir = 1 - role;

	(void)len;
	if (sem_add(c->sysv[2], dir * 2 + 1, -1) < 0)
		return -1;
	memcpy(buf, slot(c, dir, c->rx_n++), c->msg_size);
	if (sem_add(c->sysv[2], dir * 2, 1) < 0)
		return -1;
	return (ssize_t)c->msg_size;
}

static void sshm_destroy(struct gen_chan *c)
{
	if (c->sysv[1] >= 0) {
		shmctl(c->sysv[1], IPC_RMID, NULL);
		c->sysv[1] = -1;
	}
	if (c->sysv[2] >= 0) {
		semctl(c->sysv[2], 0, IPC_RMID);
		c->sysv[2] = -1;
	}
}

static int sshm_create(struct gen_chan *c, char *err, size_t errlen)
{
	key_t key = gen_key(c->owner, c->pair);
	size_t len = ring_bytes(c);
	unsigned short init[4] = { (unsigned short)c->slots, 0, (unsigned short)c->slots, 0 };
	union semun arg = { .array = init };
	int id, e;

	id = shmget(key, len, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0) {
		e = errno;
		gen_error(err, errlen, e, _("cannot create SysV shared memory with key 0x%08x (%zu bytes)"),
			  (unsigned)key, len);
		snprintf(err + strlen(err), errlen - strlen(err), "%s", gen_limit_hint(e, 's'));
		return -1;
	}
	c->sysv[1] = id;
	c->map = shmat(id, NULL, 0);
	if (c->map == (void *)-1) {
		c->map = NULL;
		gen_error(err, errlen, errno, _("cannot attach SysV shared memory %d"), id);
		return -1;
	}
	c->map_len = len;
	id = semget(key, 4, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0) {
		e = errno;
		gen_error(err, errlen, e, _("cannot create SysV semaphores with key 0x%08x"), (unsigned)key);
		snprintf(err + strlen(err), errlen - strlen(err), "%s", gen_limit_hint(e, 'S'));
		return -1;
	}
	c->sysv[2] = id;
	if (semctl(id, 0, SETALL, arg) < 0) {
		gen_error(err, errlen, errno, _("cannot set SysV semaphores %d"), id);
		return -1;
	}
	return 0;
}

const struct gen_mech gen_mech_sysv_shm = {
	.name = "sysv-shm", .bytes = false,
	.create = sshm_create, .send = sshm_send, .recv = sshm_recv, .destroy = sshm_destroy,
};
