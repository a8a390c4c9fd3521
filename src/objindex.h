/* Objects by identity, for the link phase: an open-addressing hash table from
 * (space, a, b), e.g. (IDX_FILE, dev, inode), to an index in snapshot.objects.
 * Joins are one lookup each, never a rescan of the objects. */
#ifndef IPCTOP_OBJINDEX_H
#define IPCTOP_OBJINDEX_H

#include <stddef.h>
#include <stdint.h>

enum idx_space {
	IDX_FILE,       /* a = st_dev, b = inode: POSIX mq/shm/sem, FIFOs, memfds, shared
			 * mappings; the value NOT_IPC marks a file seen not to be one */
	IDX_SHMID,      /* b = SysV shmid (the inode of a /SYSV mapping) */
	IDX_PIPE,       /* b = pipefs inode */
	IDX_SOCKET,     /* b = sockfs inode */
	IDX_EVENTFD,    /* b = eventfd-id */
	IDX_LOCK,       /* a = pid << 40 ^ st_dev, b = inode: file locks by holder and file */
	IDX_PTY,        /* a = devpts instance (st_dev, 0 unknown), b = pty index */
};

#define NOT_IPC SIZE_MAX

struct objindex {
	struct objindex_slot *slots;
	size_t size, used;      /* size is a power of two */
};

void objindex_init(struct objindex *ix);
/* Room for n entries without growing (a size hint; grows as needed anyway). */
void objindex_reserve(struct objindex *ix, size_t n);
void objindex_free(struct objindex *ix);
/* Insert or replace; value is below UINT32_MAX (an object's index) or NOT_IPC. */
void objindex_put(struct objindex *ix, enum idx_space space, uint64_t a, uint64_t b, size_t value);
/* Returns 0 and sets *value, or -1 when absent. */
int objindex_get(const struct objindex *ix, enum idx_space space, uint64_t a, uint64_t b,
		 size_t *value);

#endif
