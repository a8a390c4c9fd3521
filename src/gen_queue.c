/* Generator mechanisms on message queues: POSIX (mq_open) and SysV (msgget). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gen.h"
#include "nls.h"

/* ---- POSIX: one queue per direction, named /ipctop-gen-PID-posix-mq-N-{fwd,back} ---- */

static ssize_t pmq_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	return mq_send(c->tx[role], buf, len, 0) < 0 ? -1 : (ssize_t)len;
}

static ssize_t pmq_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	return mq_receive(c->rx[role], buf, len, NULL);
}

static void pmq_destroy(struct gen_chan *c)
{
	for (int i = 0; i < GEN_MAX_NAMES; i++)
		if (c->names[i][0] && c->name_kind[i] == 'q') {
			mq_unlink(c->names[i]);
			c->names[i][0] = '\0';
		}
}

static int pmq_create(struct gen_chan *c, char *err, size_t errlen)
{
	long msg_max = gen_read_long("/proc/sys/fs/mqueue/msg_max", 10);
	struct mq_attr attr = { .mq_maxmsg = msg_max < 10 ? msg_max : 10,
				.mq_msgsize = (long)c->msg_size };

	for (int dir = 0; dir < (c->pingpong ? 2 : 1); dir++) {
		char *name = c->names[dir];
		mqd_t q;

		gen_name(c, name, sizeof(c->names[dir]), dir ? "back" : "fwd");
		q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
		if (q < 0) {
			int e = errno;

			struct rlimit rl = { 0, 0 };

			/* EMFILE here is RLIMIT_MSGQUEUE as often as RLIMIT_NOFILE: say both */
			getrlimit(RLIMIT_MSGQUEUE, &rl);
			snprintf(err, errlen, _("cannot create POSIX message queue %s (%ld messages of %ld bytes): "
						"%s%s"), name, attr.mq_maxmsg, attr.mq_msgsize, strerror(e),
				 gen_limit_hint(e, 'q'));
			if (e == EMFILE)
				snprintf(err + strlen(err), errlen - strlen(err), _(" (RLIMIT_MSGQUEUE is %llu bytes)"),
					 (unsigned long long)rl.rlim_cur);
			name[0] = '\0';
			return -1;
		}
		c->name_kind[dir] = 'q';
		c->tx[dir] = q;
		c->rx[1 - dir] = q;
		gen_chan_keep(c, dir, q);
		gen_chan_keep(c, 1 - dir, q);
	}
	return 0;
}

const struct gen_mech gen_mech_posix_mq = {
	.name = "posix-mq", .bytes = false,
	.create = pmq_create, .send = pmq_send, .recv = pmq_recv, .destroy = pmq_destroy,
};

/* ---- SysV: one queue, key in the generator's range; type 1 forth, type 2 back ---- */

static ssize_t smsg_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	long type = role + 1;
	char *m = (char *)buf - sizeof(long);   /* the headroom holds the type */

	memcpy(m, &type, sizeof(type));
	return msgsnd(c->sysv[0], m, len, 0) < 0 ? -1 : (ssize_t)len;
}

static ssize_t smsg_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	char *m = (char *)buf - sizeof(long);

	return msgrcv(c->sysv[0], m, len, 2 - role, 0);
}

static void smsg_destroy(struct gen_chan *c)
{
	if (c->sysv[0] >= 0) {
		msgctl(c->sysv[0], IPC_RMID, NULL);
		c->sysv[0] = -1;
	}
}

static int smsg_create(struct gen_chan *c, char *err, size_t errlen)
{
	key_t key = gen_key(c->owner, c->pair);
	int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);

	if (id < 0) {
		int e = errno;

		gen_error(err, errlen, e, _("cannot create SysV message queue with key 0x%08x"), (unsigned)key);
		snprintf(err + strlen(err), errlen - strlen(err), "%s", gen_limit_hint(e, 'm'));
		return -1;
	}
	c->sysv[0] = id;
	return 0;
}

const struct gen_mech gen_mech_sysv_msg = {
	.name = "sysv-msg", .bytes = false,
	.create = smsg_create, .send = smsg_send, .recv = smsg_recv, .destroy = smsg_destroy,
};
