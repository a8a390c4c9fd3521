/* Pure parsers of what the kernel says about UNIX domain sockets: one sock_diag
 * message (netlink bytes), or one line of /proc/net/unix. No I/O here, so each can
 * be unit-tested and fuzzed on arbitrary bytes. */
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

#endif
