/* Unit tests of src/parse_diag.h: sock_diag messages built here with the kernel's own
 * structs (and one captured from a real dump), and /proc/net/unix lines captured from
 * a real system. TAP on stdout. */
#include "config.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "parse_diag.h"
#include "tap.h"

/* ---- building sock_diag messages ------------------------------------------- */

struct msg {
	unsigned char b[70000];
	size_t len;
};

static void msg_start(struct msg *m, int type, int state, uint32_t ino)
{
	struct unix_diag_msg h = {
		.udiag_family = AF_UNIX,
		.udiag_type = (uint8_t)type,
		.udiag_state = (uint8_t)state,
		.udiag_ino = ino,
	};

	memset(m->b, 0, sizeof(m->b));
	memcpy(m->b, &h, sizeof(h));
	m->len = NLMSG_ALIGN(sizeof(h));
}

/* An attribute whose header claims nla_len, with len bytes of data, padded. */
static void msg_attr_raw(struct msg *m, uint16_t type, uint16_t nla_len, const void *data,
			 size_t len)
{
	struct nlattr a = { .nla_len = nla_len, .nla_type = type };

	memcpy(m->b + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void msg_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	msg_attr_raw(m, type, (uint16_t)(NLA_HDRLEN + len), data, len);
}

static void msg_u32(struct msg *m, uint16_t type, uint32_t v)
{
	msg_attr(m, type, &v, sizeof(v));
}

/* Parse the first len bytes from an exact-size copy, so any read past them is caught
 * by valgrind or ASan. */
static int parse_n(const struct msg *m, size_t len, struct unix_diag_record *r)
{
	unsigned char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, m->b, len);
	rc = unix_diag_parse(copy, len, r);
	free(copy);
	return rc;
}

static int parse(const struct msg *m, struct unix_diag_record *r)
{
	return parse_n(m, m->len, r);
}

static bool name_is(const struct unix_diag_record *r, const char *name, size_t len)
{
	return r->has_name && r->name_len == len && memcmp(r->name, name, len) == 0;
}

/* ---- unix_diag_parse --------------------------------------------------------- */

static void test_diag_minimal(void)
{
	struct msg m;
	struct unix_diag_record r;

	msg_start(&m, SOCK_STREAM, TCP_CLOSE, 4242);
	is_int(parse(&m, &r), 0, "diag: header only parses");
	is_u64(r.inode, 4242, "diag: inode");
	is_int(r.type, SOCK_STREAM, "diag: type");
	is_int(r.state, TCP_CLOSE, "diag: state");
	is_int(r.shutdown, -1, "diag: no SHUTDOWN attribute is -1");
	ok(!r.has_name && !r.has_vfs && !r.has_peer && !r.has_icons && !r.has_rqlen && !r.has_uid,
	   "diag: nothing else present");
	ok(r.icons == NULL && r.nicons == 0, "diag: no icons allocated");
	unix_diag_record_free(&r);

	msg_start(&m, SOCK_SEQPACKET, TCP_ESTABLISHED, 0xffffffffu);
	ok(parse(&m, &r) == 0 && r.inode == 0xffffffffu && r.type == SOCK_SEQPACKET &&
	   r.state == TCP_ESTABLISHED, "diag: seqpacket, established, inode UINT32_MAX");

	struct unix_diag_msg bad = { .udiag_family = AF_INET, .udiag_ino = 1 };

	memcpy(m.b, &bad, sizeof(bad));
	is_int(parse(&m, &r), -1, "diag: another family is refused");
	is_int(unix_diag_parse(NULL, 100, &r), -1, "diag: NULL payload is refused");
	ok(r.icons == NULL && r.shutdown == -1, "diag: a refused message leaves nothing to free");
}

static void test_diag_name(void)
{
	struct msg m;
	struct unix_diag_record r;
	char big[200];

	/* the kernel sends a path with its terminating NUL */
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "/run/x.sock", 12);
	ok(parse(&m, &r) == 0 && name_is(&r, "/run/x.sock", 11) && !r.abstract,
	   "diag: path name, its NUL dropped");

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "/run/x.sock", 11);
	ok(parse(&m, &r) == 0 && name_is(&r, "/run/x.sock", 11) && !r.abstract,
	   "diag: path name without NUL");

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "/a\0junk", 7);
	ok(parse(&m, &r) == 0 && name_is(&r, "/a", 2), "diag: a path ends at its first NUL");

	msg_start(&m, SOCK_DGRAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "\0foo\0bar\n", 9);
	ok(parse(&m, &r) == 0 && name_is(&r, "\0foo\0bar\n", 9) && r.abstract,
	   "diag: abstract name kept raw, leading and inner NULs included");

	msg_start(&m, SOCK_DGRAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "", 1);
	ok(parse(&m, &r) == 0 && name_is(&r, "", 1) && r.abstract,
	   "diag: the empty abstract name (a lone NUL)");

	msg_start(&m, SOCK_DGRAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, "", 0);
	is_int(parse(&m, &r), -1, "diag: zero-length name refused");

	memset(big, 'p', sizeof(big));
	big[0] = '/';
	big[108] = '\0';
	msg_start(&m, SOCK_STREAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, big, 109);
	ok(parse(&m, &r) == 0 && r.name_len == 108 && memcmp(r.name, big, 108) == 0,
	   "diag: a 108-byte path and its NUL");
	big[108] = 'p';
	msg_start(&m, SOCK_STREAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, big, 109);
	is_int(parse(&m, &r), -1, "diag: a 109-byte path is refused");

	big[0] = '\0';
	msg_start(&m, SOCK_STREAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, big, 108);
	ok(parse(&m, &r) == 0 && r.abstract && r.name_len == 108, "diag: a 108-byte abstract name");
	msg_start(&m, SOCK_STREAM, TCP_CLOSE, 1);
	msg_attr(&m, UNIX_DIAG_NAME, big, 109);
	is_int(parse(&m, &r), -1, "diag: a 109-byte abstract name is refused");
}

static void test_diag_vfs_peer(void)
{
	struct msg m;
	struct unix_diag_record r;
	struct unix_diag_vfs vfs = { .udiag_vfs_ino = 10952901, .udiag_vfs_dev = 254u << 20 | 3 };

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_VFS, &vfs, sizeof(vfs));
	ok(parse(&m, &r) == 0 && r.has_vfs && r.vfs_inode == 10952901, "diag: vfs inode");
	ok(major(r.vfs_dev) == 254 && minor(r.vfs_dev) == 3, "diag: vfs dev 254:3 decoded");
	is_u64(r.vfs_dev, makedev(254, 3), "diag: vfs dev is a user-space dev_t");

	vfs.udiag_vfs_dev = 0xfffu << 20 | 0xfffff;
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_VFS, &vfs, sizeof(vfs));
	ok(parse(&m, &r) == 0 && major(r.vfs_dev) == 0xfff && minor(r.vfs_dev) == 0xfffff,
	   "diag: vfs dev, largest major and minor");

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_VFS, &vfs, 4);
	is_int(parse(&m, &r), -1, "diag: short vfs refused");

	unsigned char longer[12] = { 0 };

	memcpy(longer, &vfs, sizeof(vfs));
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_VFS, longer, sizeof(longer));
	ok(parse(&m, &r) == 0 && r.has_vfs && minor(r.vfs_dev) == 0xfffff,
	   "diag: a longer vfs (a later kernel) is read by its start");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_u32(&m, UNIX_DIAG_PEER, 137630);
	ok(parse(&m, &r) == 0 && r.has_peer && r.peer == 137630, "diag: peer inode");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_u32(&m, UNIX_DIAG_PEER, 0);
	ok(parse(&m, &r) == 0 && r.has_peer && r.peer == 0,
	   "diag: peer 0 (connecting to a listener) is reported as sent");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_PEER, "", 0);
	is_int(parse(&m, &r), -1, "diag: zero-length peer refused");
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_PEER, "ab", 2);
	is_int(parse(&m, &r), -1, "diag: 2-byte peer refused");
}

static void test_diag_icons(void)
{
	struct msg m;
	struct unix_diag_record r;
	uint32_t ic[3] = { 11, 22, 0xfffffff0u };

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_ICONS, ic, sizeof(ic));
	ok(parse(&m, &r) == 0 && r.has_icons && r.nicons == 3 && r.icons &&
	   r.icons[0] == 11 && r.icons[1] == 22 && r.icons[2] == 0xfffffff0u, "diag: three icons");
	unix_diag_record_free(&r);
	ok(r.icons == NULL && r.nicons == 0, "diag: unix_diag_record_free clears");
	unix_diag_record_free(&r);
	unix_diag_record_free(NULL);
	ok(1, "diag: unix_diag_record_free twice, and on NULL");

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_ICONS, "", 0);
	ok(parse(&m, &r) == 0 && r.has_icons && r.nicons == 0 && r.icons == NULL,
	   "diag: zero-length icons: a listener nobody waits on");

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_ICONS, ic, 6);
	is_int(parse(&m, &r), -1, "diag: icons not a multiple of 4 refused");

	/* the most one attribute can hold: nla_len 65535, so 65528 bytes of inodes */
	size_t n = (65535 - NLA_HDRLEN) / 4;
	uint32_t *many = malloc(n * sizeof(*many));

	for (size_t i = 0; i < n; i++)
		many[i] = (uint32_t)i + 1000;
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_ICONS, many, n * 4);
	ok(parse(&m, &r) == 0 && r.nicons == n && r.icons[0] == 1000 &&
	   r.icons[n - 1] == (uint32_t)(n - 1 + 1000), "diag: %zu icons", n);
	unix_diag_record_free(&r);

	/* a count the message cannot hold */
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr_raw(&m, UNIX_DIAG_ICONS, 65532, many, 8);
	is_int(parse(&m, &r), -1, "diag: icons claiming 65532 bytes in a short message refused");
	ok(r.icons == NULL, "diag: ... nothing allocated");
	free(many);

	/* a repeated attribute: the last wins, the first is not leaked */
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_ICONS, ic, sizeof(ic));
	msg_attr(&m, UNIX_DIAG_ICONS, ic + 1, 4);
	ok(parse(&m, &r) == 0 && r.nicons == 1 && r.icons[0] == 22, "diag: repeated icons, last wins");
	unix_diag_record_free(&r);
}

static void test_diag_rqlen_shutdown_uid(void)
{
	struct msg m;
	struct unix_diag_record r;
	struct unix_diag_rqlen rql = { .udiag_rqueue = 10, .udiag_wqueue = 768 };
	uint8_t shut = 3;

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_RQLEN, &rql, sizeof(rql));
	msg_attr(&m, UNIX_DIAG_SHUTDOWN, &shut, 1);
	msg_u32(&m, UNIX_DIAG_UID, 1000);
	ok(parse(&m, &r) == 0 && r.has_rqlen && r.rqueue == 10 && r.wqueue == 768,
	   "diag: rqlen");
	is_int(r.shutdown, 3, "diag: shutdown both ways");
	ok(r.has_uid && r.uid == 1000, "diag: uid");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_RQLEN, &rql, 7);
	is_int(parse(&m, &r), -1, "diag: short rqlen refused");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_SHUTDOWN, &shut, 0);
	is_int(parse(&m, &r), -1, "diag: zero-length shutdown refused");

	shut = 0;
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_SHUTDOWN, &shut, 1);
	ok(parse(&m, &r) == 0 && r.shutdown == 0, "diag: shutdown 0 is not -1");

	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, UNIX_DIAG_UID, "abc", 3);
	is_int(parse(&m, &r), -1, "diag: 3-byte uid refused");
}

static void test_diag_attr_walk(void)
{
	struct msg m;
	struct unix_diag_record r;
	uint32_t v = 99;

	/* unknown types, MEMINFO (not asked for) and a flagged type are skipped or masked */
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr(&m, 200, "whatever", 8);
	msg_attr(&m, UNIX_DIAG_MEMINFO, "12345678", 8);
	msg_attr(&m, UNIX_DIAG_PEER | NLA_F_NET_BYTEORDER, &v, 4);
	ok(parse(&m, &r) == 0 && r.has_peer && r.peer == 99, "diag: unknown attributes skipped");

	/* nla_len 0 or 3 would never advance: refused, not looped on */
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr_raw(&m, UNIX_DIAG_PEER, 0, NULL, 0);
	is_int(parse(&m, &r), -1, "diag: attribute length 0 refused");
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr_raw(&m, UNIX_DIAG_PEER, 3, NULL, 0);
	is_int(parse(&m, &r), -1, "diag: attribute length 3 refused");

	/* an attribute running past the end */
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr_raw(&m, UNIX_DIAG_PEER, 9, &v, 4);
	is_int(parse_n(&m, 16 + 8, &r), -1, "diag: attribute one byte past the end refused");
	msg_start(&m, SOCK_STREAM, TCP_ESTABLISHED, 7);
	msg_attr_raw(&m, 300, 0xffff, &v, 4);
	is_int(parse(&m, &r), -1, "diag: unknown attribute claiming 65535 bytes refused");

	/* the last attribute without its padding, and stray bytes too few for a header */
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_NAME, "/a", 3);
	ok(parse_n(&m, m.len - 1, &r) == 0 && name_is(&r, "/a", 2),
	   "diag: last attribute without padding");
	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_u32(&m, UNIX_DIAG_PEER, 5);
	ok(parse_n(&m, m.len + 3, &r) == 0 && r.peer == 5, "diag: 3 stray bytes at the end ignored");

	/* every truncation of a full message: refused, or parsed without the lost tail */
	struct unix_diag_vfs vfs = { 1, 2 };
	struct unix_diag_rqlen rql = { 3, 4 };
	uint32_t ic[2] = { 5, 6 };
	uint8_t shut = 1;
	bool fine = true;

	msg_start(&m, SOCK_STREAM, TCP_LISTEN, 7);
	msg_attr(&m, UNIX_DIAG_NAME, "\0abstract", 9);
	msg_attr(&m, UNIX_DIAG_VFS, &vfs, sizeof(vfs));
	msg_u32(&m, UNIX_DIAG_PEER, 8);
	msg_attr(&m, UNIX_DIAG_ICONS, ic, sizeof(ic));
	msg_attr(&m, UNIX_DIAG_RQLEN, &rql, sizeof(rql));
	msg_attr(&m, UNIX_DIAG_SHUTDOWN, &shut, 1);
	msg_u32(&m, UNIX_DIAG_UID, 0);
	ok(parse(&m, &r) == 0 && r.has_name && r.has_vfs && r.has_peer && r.nicons == 2 &&
	   r.has_rqlen && r.shutdown == 1 && r.has_uid, "diag: every attribute");
	unix_diag_record_free(&r);
	for (size_t len = 0; len < m.len; len++) {
		int rc = parse_n(&m, len, &r);

		if (len < sizeof(struct unix_diag_msg) ? rc != -1 : rc == 0 && r.has_uid)
			fine = false;
		unix_diag_record_free(&r);
	}
	ok(fine, "diag: all %zu truncations refused or short of the last attribute", m.len);
}

/* A real reply, captured: a listener bound to /tmp/ipctop-diag/listen.sock on 254:0,
 * backlog 7, one connection pending (inode 137633). */
static const unsigned char real_listener[] = {
	0x01, 0x01, 0x0a, 0x00, 0xa0, 0x19, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x21, 0x00, 0x00, 0x00, 0x2f, 0x74, 0x6d, 0x70, 0x2f, 0x69, 0x70, 0x63, 0x74, 0x6f, 0x70, 0x2d,
	0x64, 0x69, 0x61, 0x67, 0x2f, 0x6c, 0x69, 0x73, 0x74, 0x65, 0x6e, 0x2e, 0x73, 0x6f, 0x63, 0x6b,
	0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x01, 0x00, 0xc5, 0x20, 0xa7, 0x00, 0x00, 0x00, 0xe0, 0x0f,
	0x08, 0x00, 0x03, 0x00, 0xa1, 0x19, 0x02, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x07, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

static void test_diag_real(void)
{
	struct unix_diag_record r;
	unsigned char *copy = malloc(sizeof(real_listener));

	memcpy(copy, real_listener, sizeof(real_listener));
	is_int(unix_diag_parse(copy, sizeof(real_listener), &r), 0, "diag real: parses");
	ok(r.inode == 137632 && r.type == SOCK_STREAM && r.state == TCP_LISTEN,
	   "diag real: listening stream socket 137632");
	ok(name_is(&r, "/tmp/ipctop-diag/listen.sock", 28) && !r.abstract, "diag real: path");
	ok(r.has_vfs && r.vfs_inode == 10952901 && r.vfs_dev == makedev(254, 0), "diag real: file");
	ok(r.has_icons && r.nicons == 1 && r.icons[0] == 137633, "diag real: one pending");
	ok(r.has_rqlen && r.rqueue == 1 && r.wqueue == 7, "diag real: 1 waiting, backlog 7");
	ok(r.shutdown == 0 && r.has_uid && r.uid == 0 && !r.has_peer, "diag real: shutdown, uid");
	unix_diag_record_free(&r);
	free(copy);
}

/* ---- proc_net_unix_parse_line -------------------------------------------------- */

static int line(const char *s, struct unix_diag_record *r)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, s, len);
	rc = proc_net_unix_parse_line(copy, len, r);
	free(copy);
	return rc;
}

static void test_proc_lines(void)
{
	struct unix_diag_record r;

	is_int(line("Num       RefCount Protocol Flags    Type St Inode Path", &r), -1,
	       "proc: header refused");

	ok(line("0000000059b4c58e: 00000002 00000000 00010000 0001 01 137632 "
		"/tmp/ipctop-diag/listen.sock\n", &r) == 0 &&
	   r.inode == 137632 && r.type == SOCK_STREAM && r.state == TCP_LISTEN &&
	   name_is(&r, "/tmp/ipctop-diag/listen.sock", 28) && !r.abstract,
	   "proc: stream listening on a path");
	ok(r.shutdown == -1 && !r.has_peer && !r.has_rqlen && !r.has_vfs && !r.has_icons &&
	   !r.has_uid, "proc: no shutdown, peer, queues, file, icons or uid");

	ok(line("000000000d3e34fc: 00000002 00000000 00000000 0002 01 137638 "
		"/tmp/ipctop-diag/dgram sock", &r) == 0 &&
	   r.type == SOCK_DGRAM && r.state == TCP_CLOSE &&
	   name_is(&r, "/tmp/ipctop-diag/dgram sock", 27), "proc: dgram, a path with a space");

	ok(line("00000000c4a4b7cd: 00000002 00000000 00010000 0001 01 137628 @ipctop-python",
		&r) == 0 && r.state == TCP_LISTEN && r.abstract &&
	   name_is(&r, "\0ipctop-python", 14), "proc: abstract listener, '@' back to NUL");

	ok(line("00000000b2602639: 00000002 00000000 00000000 0002 01 137634 @ipctop@x", &r) == 0 &&
	   r.abstract && name_is(&r, "\0ipctop@x", 9),
	   "proc: an inner NUL shown as '@' stays '@'");
	is_int(line("y", &r), -1, "proc: the rest of a name after its newline refused");

	ok(line("0000000072a12a37: 00000003 00000000 00000000 0001 03  1662", &r) == 0 &&
	   r.inode == 1662 && r.state == TCP_ESTABLISHED && !r.has_name,
	   "proc: unnamed connected stream, padded inode");
	ok(line("0000000072f8a384: 00000002 00000000 00000000 0001 01 137637", &r) == 0 &&
	   r.state == TCP_CLOSE && !r.has_name, "proc: unbound");
	ok(line("00000000f697ed71: 00000003 00000000 00000000 0005 03 137636", &r) == 0 &&
	   r.type == SOCK_SEQPACKET && r.state == TCP_ESTABLISHED, "proc: seqpacket pair end");
	ok(line("00000000b7abda9b: 00000003 00000000 00000000 0001 02     0 @ipctop-embryo", &r) == 0 &&
	   r.inode == 0 && r.state == TCP_ESTABLISHED && name_is(&r, "\0ipctop-embryo", 14),
	   "proc: a connection not accepted yet: inode 0, the listener's name");
	ok(line("0000000000000000: 00000002 00000000 00000000 0001 01 12  @x", &r) == 0 &&
	   name_is(&r, " @x", 3) && !r.abstract, "proc: a path starting with a space");

	ok(proc_net_unix_parse_line("0: 1 0 0 1 1 5 /abc", 17, &r) == 0 && name_is(&r, "/a", 2),
	   "proc: only len bytes read");

	static const char *const bad[] = {
		"",
		"\n",
		"0000000072a12a37 00000003 00000000 00000000 0001 03 1662",
		"0000000072a12a37:00000003 00000000 00000000 0001 03 1662",
		"zz: 00000003 00000000 00000000 0001 03 1662",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03",
		"0000000072a12a37: 0000000g 00000000 00000000 0001 03 1662",
		"0000000072a12a37: 100000000 00000000 00000000 0001 03 1662",
		"0000000072a12a37: 00000003 00000000 00000000 10000 03 1662",
		"0000000072a12a37: 00000003 00000000 00000000 0001 100 1662",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03 -1662",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03 1662a",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03 18446744073709551616",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03 1662 ",
		"0000000072a12a37:\t00000003 00000000 00000000 0001 03 1662",
		"0000000072a12a37: 00000003 00000000 00000000 0001 03 1662 /a\nb",
		"fffffffffffffffff: 00000003 00000000 00000000 0001 03 1662",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(line(bad[i], &r), -1, "proc: malformed line %zu refused", i);
	is_int(proc_net_unix_parse_line("0: 1 0 0 1 1 5 /a\0b", 19, &r), -1,
	       "proc: a NUL in the name refused");
	is_int(proc_net_unix_parse_line(NULL, 0, &r), -1, "proc: NULL refused");

	char big[300];
	int n = snprintf(big, sizeof(big), "0: 2 0 0 1 1 5 /");

	memset(big + n, 'x', 107);
	big[n + 107] = '\0';
	ok(line(big, &r) == 0 && r.name_len == 108, "proc: a 108-byte path");
	big[n + 107] = 'x';
	big[n + 108] = '\0';
	is_int(line(big, &r), -1, "proc: a 109-byte path refused");
}

/* ---- TCP/UDP (inet_diag) and netlink (netlink_diag) ---- */

static void test_inet(void)
{
	struct inet_diag_msg m;
	struct inet_diag_record r;
	unsigned char buf[sizeof(m) + 8];
	char ep[INET_ENDPOINT_MAX];

	memset(&m, 0, sizeof(m));
	m.idiag_family = AF_INET;
	m.idiag_state = TCP_ESTABLISHED;
	m.id.idiag_sport = htons(8080);
	m.id.idiag_dport = htons(40000);
	m.id.idiag_src[0] = htonl(0x7f000001);
	m.id.idiag_src[1] = 0xdeadbeef;         /* junk past an IPv4 address is not kept */
	m.id.idiag_dst[0] = htonl(0x7f000002);
	m.idiag_rqueue = 7;
	m.idiag_wqueue = 3;
	m.idiag_uid = 1000;
	m.idiag_inode = 4242;
	memcpy(buf, &m, sizeof(m));
	is_int(inet_diag_parse(buf, sizeof(m), &r), 0, "inet: an IPv4 TCP socket");
	is_int(r.family, AF_INET, "inet: family");
	is_int(r.state, TCP_ESTABLISHED, "inet: state");
	is_int(r.sport, 8080, "inet: local port in host order");
	is_int(r.dport, 40000, "inet: remote port in host order");
	ok(r.src[0] == 127 && r.src[3] == 1 && r.src[4] == 0, "inet: local address, the rest zeroed");
	is_int(r.rqueue, 7, "inet: receive queue");
	is_int(r.wqueue, 3, "inet: send queue");
	is_int(r.uid, 1000, "inet: uid");
	is_u64(r.inode, 4242, "inet: inode");
	inet_endpoint_format(r.family, r.src, r.sport, ep, sizeof(ep));
	is_str(ep, "127.0.0.1:8080", "inet: endpoint text");
	ok(inet_addr_loopback(r.family, r.dst), "inet: 127.0.0.2 is loopback");
	is_int(inet_diag_parse(buf, sizeof(m) + 8, &r), 0, "inet: attributes after the message are ignored");
	is_int(inet_diag_parse(buf, sizeof(m) - 1, &r), -1, "inet: a short message refused");
	is_int(inet_diag_parse(NULL, 0, &r), -1, "inet: NULL refused");
	m.idiag_family = AF_UNIX;
	memcpy(buf, &m, sizeof(m));
	is_int(inet_diag_parse(buf, sizeof(m), &r), -1, "inet: another family refused");

	static const uint8_t v6_lo[16] = { [15] = 1 };
	static const uint8_t v6_mapped_lo[16] = { [10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1 };
	static const uint8_t v6_mapped_other[16] = { [10] = 0xff, [11] = 0xff, [12] = 10, [15] = 1 };
	static const uint8_t v6_any[16] = { 0 };
	static const uint8_t v4_other[4] = { 10, 0, 0, 1 };

	memset(&m, 0, sizeof(m));
	m.idiag_family = AF_INET6;
	m.idiag_state = TCP_LISTEN;
	m.id.idiag_sport = htons(53);
	memcpy(m.id.idiag_src, v6_lo, 16);
	memcpy(buf, &m, sizeof(m));
	is_int(inet_diag_parse(buf, sizeof(m), &r), 0, "inet: an IPv6 listener");
	inet_endpoint_format(r.family, r.src, r.sport, ep, sizeof(ep));
	is_str(ep, "[::1]:53", "inet: IPv6 endpoint text in brackets");
	ok(inet_addr_loopback(AF_INET6, v6_lo), "inet: ::1 is loopback");
	ok(inet_addr_loopback(AF_INET6, v6_mapped_lo), "inet: ::ffff:127.0.0.1 is loopback");
	ok(!inet_addr_loopback(AF_INET6, v6_mapped_other), "inet: ::ffff:10.0.0.1 is not");
	ok(!inet_addr_loopback(AF_INET6, v6_any), "inet: :: is not");
	ok(!inet_addr_loopback(AF_INET, v4_other), "inet: 10.0.0.1 is not");
	ok(!inet_addr_loopback(AF_UNIX, v6_lo), "inet: another family is not");
	inet_endpoint_format(AF_INET6, v6_mapped_lo, 65535, ep, sizeof(ep));
	is_str(ep, "[::ffff:127.0.0.1]:65535", "inet: a mapped address");
}

static void test_netlink(void)
{
	struct netlink_diag_msg m;
	unsigned char buf[sizeof(m) + 64];
	struct netlink_diag_record r;
	struct nlattr nla;
	uint32_t mem[SK_MEMINFO_VARS] = { [SK_MEMINFO_RMEM_ALLOC] = 768, [SK_MEMINFO_WMEM_ALLOC] = 256 };

	memset(&m, 0, sizeof(m));
	m.ndiag_family = AF_NETLINK;
	m.ndiag_type = SOCK_RAW;
	m.ndiag_protocol = NETLINK_ROUTE;
	m.ndiag_state = 1;
	m.ndiag_portid = 1234;
	m.ndiag_dst_portid = 0;
	m.ndiag_dst_group = 5;
	m.ndiag_ino = 99;
	memcpy(buf, &m, sizeof(m));
	is_int(netlink_diag_parse(buf, sizeof(m), &r), 0, "netlink: a message without attributes");
	is_int(r.protocol, NETLINK_ROUTE, "netlink: protocol");
	is_int(r.type, SOCK_RAW, "netlink: type");
	is_int(r.state, TCP_ESTABLISHED, "netlink: connected is established");
	is_int(r.portid, 1234, "netlink: port id");
	is_int(r.dst_group, 5, "netlink: destination group");
	is_u64(r.inode, 99, "netlink: inode");
	ok(!r.has_meminfo, "netlink: no memory figures");

	nla.nla_len = (uint16_t)(NLA_HDRLEN + sizeof(mem));
	nla.nla_type = NETLINK_DIAG_MEMINFO;
	memcpy(buf + sizeof(m), &nla, sizeof(nla));
	memcpy(buf + sizeof(m) + NLA_HDRLEN, mem, sizeof(mem));
	is_int(netlink_diag_parse(buf, sizeof(m) + NLA_HDRLEN + sizeof(mem), &r), 0, "netlink: with MEMINFO");
	ok(r.has_meminfo && r.rmem == 768 && r.wmem == 256, "netlink: receive and send memory");
	is_int(netlink_diag_parse(buf, sizeof(m) + NLA_HDRLEN + sizeof(mem) - 4, &r), -1,
	       "netlink: an attribute running past the end refused");
	nla.nla_len = NLA_HDRLEN + 4;
	memcpy(buf + sizeof(m), &nla, sizeof(nla));
	is_int(netlink_diag_parse(buf, sizeof(m) + NLA_HDRLEN + 4, &r), -1,
	       "netlink: a MEMINFO too short for the send figure refused");
	m.ndiag_state = 0;
	memcpy(buf, &m, sizeof(m));
	is_int(netlink_diag_parse(buf, sizeof(m), &r), 0, "netlink: unconnected");
	is_int(r.state, TCP_CLOSE, "netlink: unconnected is close");
	is_int(netlink_diag_parse(buf, sizeof(m) - 1, &r), -1, "netlink: a short message refused");
	m.ndiag_family = AF_INET;
	memcpy(buf, &m, sizeof(m));
	is_int(netlink_diag_parse(buf, sizeof(m), &r), -1, "netlink: another family refused");
}

int main(void)
{
	test_diag_minimal();
	test_diag_name();
	test_diag_vfs_peer();
	test_diag_icons();
	test_diag_rqlen_shutdown_uid();
	test_diag_attr_walk();
	test_diag_real();
	test_proc_lines();
	test_inet();
	test_netlink();
	return tap_done();
}
