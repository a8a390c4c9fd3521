/* File locks: /proc/locks, one object per lock or waiter. The holder's descriptor
 * and the file's path are found in the link phase (locks_link). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "nls.h"
#include "parse_proc.h"
#include "snapshot.h"
#include "util.h"

#define LOCKS_MAX (64u << 20)

void locks_collect(struct snapshot *snap)
{
	size_t len, bad = 0;
	char *buf = read_file_at(-1, "/proc/locks", LOCKS_MAX, &len);

	if (!buf) {
		snapshot_note(snap, "/proc/locks", _("cannot read: %s"), strerror(errno));
		return;
	}
	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct lock_entry e;

		pos += n + 1;
		if (n == 0)
			continue;
		if (locks_parse_line(line, n, &e) < 0) {
			bad++;
			continue;
		}

		struct ipc_object *o = snapshot_add(snap, KIND_LOCK);

		o->persistence = PERSIST_PROCESS;
		o->lock_num = e.num;
		o->lock_waiting = e.waiter;
		o->lock_mandatory = e.mandatory;
		memcpy(o->lock_type, e.type, sizeof(o->lock_type));
		memcpy(o->lock_access, e.access, sizeof(o->lock_access));
		o->cpid = e.pid;
		o->dev = makedev(e.major, e.minor);
		o->inode = e.inode;
		o->lock_start = e.start;
		o->lock_end = e.end;
	}
	free(buf);
	if (bad)
		snapshot_note(snap, "/proc/locks", _("%zu malformed lines skipped"), bad);
}
