/* Pure parsers of what the kernel says about sockets: one sock_diag message (netlink
 * bytes) of a UNIX, TCP/UDP or netlink socket, or one line of /proc/net/unix. No I/O
 * here, so each can be unit-tested and fuzzed on arbitrary bytes. */
#ifndef IPCTOP_PARSE_DIAG_H
#define IPCTOP_PARSE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* sizeof(((struct sockaddr_un *)0)->sun_path): the longest name a socket can have */
#define UNIX_RECORD_NAME_MAX 108

/* One UNIX domain socket. Fields whose has_* is false are zero. */
struct unix_diag_record {
	uint64_t inode;             /* the socket's inode (sockfs); 0 for a connection
				     * not yet accepted, which only /proc/net/unix lists */
	int type;                   /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET (as sent) */
	int state;                  /* TCP_ESTABLISHED, TCP_LISTEN, TCP_CLOSE, ... */
	int shutdown;               /* kernel bits: 1 receive shut, 2 send shut; -1 unknown */

	/* The bound address, raw: a path without its terminating NUL, or an abstract
	 * name, whose first byte is NUL and whose other bytes may be anything. */
	bool has_name;
	bool abstract;
	char name[UNIX_RECORD_NAME_MAX];
	size_t name_len;            /* >= 1 when has_name */

	bool has_vfs;               /* bound to a file: that file's inode and device */
	uint64_t vfs_inode;
	dev_t vfs_dev;              /* decoded from the kernel's major << 20 | minor */

	bool has_peer;
	uint64_t peer;              /* the peer socket's inode */

	bool has_icons;             /* listeners: the connecting sockets not yet accepted */
	uint64_t *icons;            /* their inodes, malloc'd (NULL when none) */
	size_t nicons;

	bool has_rqlen;
	uint32_t rqueue;            /* bytes to read; listeners: connections waiting */
	uint32_t wqueue;            /* send memory in use; listeners: the backlog */

	bool has_uid;
	uint32_t uid;               /* the socket's owner, in the dumping process's user ns */
};

/* Decode one sock_diag reply: the payload of a SOCK_DIAG_BY_FAMILY netlink message,
 * a struct unix_diag_msg followed by its attributes. Unknown attributes are skipped;
 * a known one shorter than its type, an attribute running past len, or a name longer
 * than sun_path refuses the whole message. Returns 0, or -1 (then *out holds nothing
 * to free). Free a parsed record with unix_diag_record_free(). */
int unix_diag_parse(const void *nlmsg_payload, size_t len, struct unix_diag_record *out);

/* One line of /proc/net/unix, without or with its '\n':
 *   "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock"
 * The state is derived from the flags (listening) and the St column (connected), so
 * it is one of TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE. An abstract name is shown with
 * '@' for its leading NUL (and the kernel prints any NUL inside it as '@' too): that
 * '@' becomes NUL again here, so a path really starting with '@' reads as abstract.
 * A name holding '\n' spans lines and cannot be read back. No peer, queues, shutdown
 * (-1), file or uid. Returns 0, or -1 for the header or a malformed line. */
int proc_net_unix_parse_line(const char *line, size_t len, struct unix_diag_record *out);

void unix_diag_record_free(struct unix_diag_record *r);

/* One TCP or UDP socket of an inet_diag dump: the struct inet_diag_msg that starts a
 * SOCK_DIAG_BY_FAMILY reply (its attributes are not needed). Addresses are kept in
 * network order, an IPv4 one in the first 4 bytes; ports in host order. */
struct inet_diag_record {
	int family;                 /* AF_INET, AF_INET6 */
	int state;                  /* TCP_* (UDP: TCP_ESTABLISHED connected, TCP_CLOSE not) */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t rqueue;            /* bytes to read; listeners: connections waiting */
	uint32_t wqueue;            /* bytes not yet acknowledged; listeners: the backlog */
	uint32_t uid;
	uint64_t inode;             /* 0 for a socket no file holds (time-wait) */
};

/* Returns 0, or -1 when the payload is shorter than an inet_diag_msg or its family is
 * neither AF_INET nor AF_INET6. */
int inet_diag_parse(const void *nlmsg_payload, size_t len, struct inet_diag_record *out);

/* Whether an address is on the loopback network: 127.0.0.0/8, ::1, ::ffff:127.x.y.z. */
bool inet_addr_loopback(int family, const uint8_t *addr);

/* "127.0.0.1:80", "[::1]:80" into buf (INET_ENDPOINT_MAX bytes suffice). */
#define INET_ENDPOINT_MAX 56
void inet_endpoint_format(int family, const uint8_t *addr, uint16_t port, char *buf, size_t len);

/* One netlink socket of a netlink_diag dump: struct netlink_diag_msg and, when asked
 * for, NETLINK_DIAG_MEMINFO. */
struct netlink_diag_record {
	int protocol;               /* NETLINK_ROUTE, NETLINK_SOCK_DIAG, ... */
	int type;                   /* SOCK_RAW, SOCK_DGRAM */
	int state;                  /* TCP_ESTABLISHED when connected, else TCP_CLOSE */
	uint32_t portid;            /* its address; 0 for the kernel's sockets */
	uint32_t dst_portid;        /* the connected peer's port id (0: the kernel) */
	uint32_t dst_group;
	uint64_t inode;
	bool has_meminfo;
	uint32_t rmem, wmem;        /* bytes queued to read, and being sent */
};

/* Returns 0, or -1 when the payload is too short, not AF_NETLINK, or an attribute is
 * malformed. */
int netlink_diag_parse(const void *nlmsg_payload, size_t len, struct netlink_diag_record *out);

#endif
