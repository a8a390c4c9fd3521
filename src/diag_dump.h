/* NETLINK_SOCK_DIAG requests, their replies handed to a callback: the part every
 * sock_diag collector (UNIX, TCP/UDP, netlink sockets) shares. */
#ifndef IPCTOP_DIAG_DUMP_H
#define IPCTOP_DIAG_DUMP_H

#include <libmnl/libmnl.h>
#include <stddef.h>

/* The kernel fills a dump message up to the reader's buffer, capped at 32 KiB;
 * libmnl 1.0.4's MNL_SOCKET_BUFFER_SIZE (a page) would truncate it. */
#define DIAG_BUFSIZE 32768

/* Send SOCK_DIAG_BY_FAMILY with NLM_F_DUMP and the request header req[0..req_len)
 * (a struct unix_diag_req, inet_diag_req_v2, netlink_diag_req), then run cb on every
 * reply until NLMSG_DONE. A dump the kernel marks interrupted (NLM_F_DUMP_INTR: the
 * table changed meanwhile) is asked for once more. Whenever what cb was given does not
 * stand (before that second try, and on failure), reset(data) is called first, unless
 * reset is NULL. Returns 0, or -1 with errno. */
int diag_dump(const void *req, size_t req_len, mnl_cb_t cb, void (*reset)(void *), void *data);

/* The same for one socket (a request naming it, without NLM_F_DUMP): cb sees the one
 * reply; errno ENOENT when the kernel says there is no such socket. */
int diag_get(const void *req, size_t req_len, mnl_cb_t cb, void *data);

/* The port id of the netlink socket the dump running now uses (0 outside a dump): the
 * netlink collector leaves ipctop's own socket out. */
unsigned int diag_dump_portid(void);

#endif
