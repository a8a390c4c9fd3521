/* A sock_diag dump over netlink with libmnl: see diag_dump.h. */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag_dump.h"
#include "xalloc.h"

static _Thread_local unsigned int dump_portid;

unsigned int diag_dump_portid(void)
{
	return dump_portid;
}

/* One request, NLM_F_DUMP or not; the replies go to cb until NLMSG_DONE (a dump) or the
 * one reply (not a dump). */
static int diag_request(const void *req, size_t req_len, bool dump, mnl_cb_t cb, void *data)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);

	if (!nl)
		return -1;

	char *buf = xmalloc(DIAG_BUFSIZE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int seq = (unsigned int)time(NULL);
	int rc = -1, err = 0;
	ssize_t n;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = seq;
	memcpy(mnl_nlmsg_put_extra_header(nlh, req_len), req, req_len);

	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		goto out;
	}
	do
		n = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		err = errno;
		goto out;
	}

	unsigned int portid = mnl_socket_get_portid(nl);

	dump_portid = portid;

	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, DIAG_BUFSIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;       /* a signal: the dump goes on */
			err = errno;
			break;
		}
		/* libmnl turns NLMSG_ERROR into errno, NLM_F_DUMP_INTR into EINTR */
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);

		if (r == MNL_CB_STOP || (!dump && r >= 0)) {
			rc = 0;         /* NLMSG_DONE, or the one reply */
			break;
		}
		if (r < 0) {
			err = errno;
			break;
		}
	}
out:
	dump_portid = 0;
	free(buf);
	mnl_socket_close(nl);
	errno = err;
	return rc;
}

int diag_dump(const void *req, size_t req_len, mnl_cb_t cb, void (*reset)(void *), void *data)
{
	for (int attempt = 0;; attempt++) {
		if (diag_request(req, req_len, true, cb, data) == 0)
			return 0;

		int err = errno;

		if (reset)
			reset(data);
		/* an interrupted dump (the table changed meanwhile) is asked for once more */
		if (err != EINTR || attempt == 1) {
			errno = err;
			return -1;
		}
	}
}

int diag_get(const void *req, size_t req_len, mnl_cb_t cb, void *data)
{
	return diag_request(req, req_len, false, cb, data);
}
