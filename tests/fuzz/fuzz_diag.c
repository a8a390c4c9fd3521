/* Fuzz target: the socket parsers of src/parse_diag.h. Every input goes to each:
 *   inet_diag_parse, netlink_diag_parse  as unix_diag_parse below, checked against
 *                             the fixed fields of the message
 *   unix_diag_parse           the whole input as one sock_diag payload, and the payload of
 *                             each message when the input is read as a netlink stream
 *                             (a recv() buffer of a dump)
 *   proc_net_unix_parse_line  the whole input, and each of its lines
 *
 * unix_diag_parse is checked against a reference walk of the attributes: it succeeds
 * exactly when the reference finds the message well formed, with the same values. A
 * record of either parser, written back in the kernel's format, parses to the same
 * record. Parsed data is always read from an exact-size copy, so ASan sees any read
 * past the end. */
#include "config.h"

#include <inttypes.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "fuzz.h"
#include "parse_diag.h"

#define NATTR 8                 /* UNIX_DIAG_NAME .. UNIX_DIAG_UID */

static unsigned char *dup_exact(const uint8_t *data, size_t size)
{
	unsigned char *p = malloc(size ? size : 1);

	FUZZ_CHECK(p != NULL);
	if (size)
		memcpy(p, data, size);
	return p;
}

static uint32_t le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t le16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* The reference: the last attribute of each known type, or false if the message is
 * not one unix_diag_parse should accept. */
static bool ref_walk(const unsigned char *d, size_t size, const unsigned char **attr, size_t *alen)
{
	for (int i = 0; i < NATTR; i++) {
		attr[i] = NULL;
		alen[i] = 0;
	}
	if (size < 16 || d[0] != AF_UNIX)
		return false;

	size_t rest = size - 16;
	const unsigned char *a = d + 16;

	while (rest >= 4) {
		size_t l = le16(a), type = le16(a + 2) & 0x3fff;

		if (l < 4 || l > rest)
			return false;
		if (type < NATTR) {
			attr[type] = a + 4;
			alen[type] = l - 4;
		}
		size_t step = (l + 3) / 4 * 4;

		if (step >= rest)
			break;
		a += step;
		rest -= step;
	}

	const unsigned char *n = attr[UNIX_DIAG_NAME];

	if (n) {
		size_t len = alen[UNIX_DIAG_NAME];

		if (len == 0)
			return false;
		if (n[0] != 0 && memchr(n, 0, len))
			len = (size_t)((const unsigned char *)memchr(n, 0, len) - n);
		if (len > 108)
			return false;
	}
	static const size_t min[NATTR] = {
		[UNIX_DIAG_VFS] = 8, [UNIX_DIAG_PEER] = 4, [UNIX_DIAG_RQLEN] = 8,
		[UNIX_DIAG_SHUTDOWN] = 1, [UNIX_DIAG_UID] = 4,
	};

	for (int i = 0; i < NATTR; i++)
		if (i != UNIX_DIAG_MEMINFO && attr[i] && alen[i] < min[i])
			return false;
	if (attr[UNIX_DIAG_ICONS] && alen[UNIX_DIAG_ICONS] % 4 != 0)
		return false;
	return true;
}

static void check_shape(const struct unix_diag_record *r)
{
	FUZZ_CHECK(r->shutdown >= -1 && r->shutdown <= 255);
	FUZZ_CHECK(r->has_name ? r->name_len >= 1 && r->name_len <= UNIX_RECORD_NAME_MAX
			       : r->name_len == 0 && !r->abstract);
	if (r->has_name)
		FUZZ_CHECK(r->abstract == (r->name[0] == '\0'));
	if (r->has_name && !r->abstract)
		FUZZ_CHECK(memchr(r->name, '\0', r->name_len) == NULL);
	FUZZ_CHECK((r->icons == NULL) == (r->nicons == 0));
	FUZZ_CHECK(r->has_icons || r->nicons == 0);
	FUZZ_CHECK(r->has_vfs || (r->vfs_inode == 0 && r->vfs_dev == 0));
	FUZZ_CHECK(r->has_peer || r->peer == 0);
	FUZZ_CHECK(r->has_rqlen || (r->rqueue == 0 && r->wqueue == 0));
	FUZZ_CHECK(r->has_uid || r->uid == 0);
	FUZZ_CHECK(major(r->vfs_dev) <= 0xfff && minor(r->vfs_dev) <= 0xfffff);
}

static bool same_record(const struct unix_diag_record *a, const struct unix_diag_record *b)
{
	return a->inode == b->inode && a->type == b->type && a->state == b->state &&
	       a->shutdown == b->shutdown && a->has_name == b->has_name &&
	       a->abstract == b->abstract && a->name_len == b->name_len &&
	       memcmp(a->name, b->name, a->name_len) == 0 && a->has_vfs == b->has_vfs &&
	       a->vfs_inode == b->vfs_inode && a->vfs_dev == b->vfs_dev &&
	       a->has_peer == b->has_peer && a->peer == b->peer &&
	       a->has_icons == b->has_icons && a->nicons == b->nicons &&
	       (a->nicons == 0 || memcmp(a->icons, b->icons, a->nicons * sizeof(*a->icons)) == 0) &&
	       a->has_rqlen == b->has_rqlen && a->rqueue == b->rqueue && a->wqueue == b->wqueue &&
	       a->has_uid == b->has_uid && a->uid == b->uid;
}

/* ---- unix_diag_parse -------------------------------------------------------- */

struct out {
	unsigned char *b;
	size_t len;
};

static void put(struct out *o, const void *p, size_t len)
{
	memcpy(o->b + o->len, p, len);
	o->len += len;
}

static void put_attr(struct out *o, uint16_t type, const void *p, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(4 + len), .nla_type = type };
	static const unsigned char zero[4];

	put(o, &a, sizeof(a));
	put(o, p, len);
	put(o, zero, (4 - len % 4) % 4);
}

/* The record as the kernel would send it, parsed again. */
static void check_diag_roundtrip(const struct unix_diag_record *r)
{
	struct out o = { .b = malloc(16 + 8 * 16 + 128 + r->nicons * 4) };

	FUZZ_CHECK(o.b != NULL);
	FUZZ_CHECK(r->inode <= UINT32_MAX && r->type >= 0 && r->type <= 255 &&
		   r->state >= 0 && r->state <= 255);
	struct unix_diag_msg m = { .udiag_family = AF_UNIX, .udiag_type = (uint8_t)r->type,
				   .udiag_state = (uint8_t)r->state,
				   .udiag_ino = (uint32_t)r->inode };

	put(&o, &m, sizeof(m));
	if (r->has_name) {
		char name[UNIX_RECORD_NAME_MAX + 1] = { 0 };

		memcpy(name, r->name, r->name_len);
		put_attr(&o, UNIX_DIAG_NAME, name, r->name_len + !r->abstract);
	}
	if (r->has_vfs) {
		FUZZ_CHECK(r->vfs_inode <= UINT32_MAX);
		struct unix_diag_vfs v = { (uint32_t)r->vfs_inode,
					   major(r->vfs_dev) << 20 | minor(r->vfs_dev) };

		put_attr(&o, UNIX_DIAG_VFS, &v, sizeof(v));
	}
	if (r->has_peer) {
		FUZZ_CHECK(r->peer <= UINT32_MAX);
		uint32_t p = (uint32_t)r->peer;

		put_attr(&o, UNIX_DIAG_PEER, &p, 4);
	}
	if (r->has_icons) {
		uint32_t *ic = malloc(r->nicons * 4 + 1);

		FUZZ_CHECK(ic != NULL);
		for (size_t i = 0; i < r->nicons; i++) {
			FUZZ_CHECK(r->icons[i] <= UINT32_MAX);
			ic[i] = (uint32_t)r->icons[i];
		}
		put_attr(&o, UNIX_DIAG_ICONS, ic, r->nicons * 4);
		free(ic);
	}
	if (r->has_rqlen) {
		struct unix_diag_rqlen q = { r->rqueue, r->wqueue };

		put_attr(&o, UNIX_DIAG_RQLEN, &q, sizeof(q));
	}
	if (r->shutdown >= 0) {
		uint8_t s = (uint8_t)r->shutdown;

		put_attr(&o, UNIX_DIAG_SHUTDOWN, &s, 1);
	}
	if (r->has_uid)
		put_attr(&o, UNIX_DIAG_UID, &r->uid, 4);

	struct unix_diag_record again;
	unsigned char *copy = dup_exact(o.b, o.len);

	FUZZ_CHECK(unix_diag_parse(copy, o.len, &again) == 0);
	FUZZ_CHECK(same_record(r, &again));
	unix_diag_record_free(&again);
	free(copy);
	free(o.b);
}

static void check_diag(const uint8_t *data, size_t size)
{
	const unsigned char *attr[NATTR];
	size_t alen[NATTR];
	unsigned char *d = dup_exact(data, size);
	struct unix_diag_record r;
	int rc = unix_diag_parse(d, size, &r);
	bool expect = ref_walk(d, size, attr, alen);

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == (expect ? 0 : -1));
	if (rc < 0) {
		FUZZ_CHECK(r.icons == NULL);
		free(d);
		return;
	}
	check_shape(&r);
	FUZZ_CHECK(r.inode == le32(d + 4) && r.type == d[1] && r.state == d[2]);
	FUZZ_CHECK(r.has_name == (attr[UNIX_DIAG_NAME] != NULL));
	if (r.has_name)
		FUZZ_CHECK(memcmp(r.name, attr[UNIX_DIAG_NAME], r.name_len) == 0);
	FUZZ_CHECK(r.has_vfs == (attr[UNIX_DIAG_VFS] != NULL));
	if (r.has_vfs) {
		uint32_t dev = le32(attr[UNIX_DIAG_VFS] + 4);

		FUZZ_CHECK(r.vfs_inode == le32(attr[UNIX_DIAG_VFS]));
		FUZZ_CHECK(major(r.vfs_dev) == dev >> 20 && minor(r.vfs_dev) == (dev & 0xfffff));
	}
	FUZZ_CHECK(r.has_peer == (attr[UNIX_DIAG_PEER] != NULL));
	if (r.has_peer)
		FUZZ_CHECK(r.peer == le32(attr[UNIX_DIAG_PEER]));
	FUZZ_CHECK(r.has_icons == (attr[UNIX_DIAG_ICONS] != NULL));
	FUZZ_CHECK(r.nicons == alen[UNIX_DIAG_ICONS] / 4);
	for (size_t i = 0; i < r.nicons; i++)
		FUZZ_CHECK(r.icons[i] == le32(attr[UNIX_DIAG_ICONS] + 4 * i));
	FUZZ_CHECK(r.has_rqlen == (attr[UNIX_DIAG_RQLEN] != NULL));
	if (r.has_rqlen)
		FUZZ_CHECK(r.rqueue == le32(attr[UNIX_DIAG_RQLEN]) &&
			   r.wqueue == le32(attr[UNIX_DIAG_RQLEN] + 4));
	FUZZ_CHECK(r.shutdown == (attr[UNIX_DIAG_SHUTDOWN] ? attr[UNIX_DIAG_SHUTDOWN][0] : -1));
	FUZZ_CHECK(r.has_uid == (attr[UNIX_DIAG_UID] != NULL));
	if (r.has_uid)
		FUZZ_CHECK(r.uid == le32(attr[UNIX_DIAG_UID]));
	check_diag_roundtrip(&r);
	unix_diag_record_free(&r);
	FUZZ_CHECK(r.icons == NULL && r.nicons == 0);
	free(d);
}

/* The input as netlink messages, as mnl_cb_run would walk a recv() buffer. */
/* ---- inet_diag_parse, netlink_diag_parse ----------------------------------------- */

/* Accepted exactly when long enough and of its family; the fixed fields as sent. */
static void check_inet(const uint8_t *data, size_t size)
{
	unsigned char *d = dup_exact(data, size);
	struct inet_diag_record r;
	int rc = inet_diag_parse(d, size, &r);
	bool want = size >= sizeof(struct inet_diag_msg) && (d[0] == AF_INET || d[0] == AF_INET6);

	FUZZ_CHECK(rc == (want ? 0 : -1));
	if (rc == 0) {
		char ep[INET_ENDPOINT_MAX];

		FUZZ_CHECK(r.family == d[0] && r.state == d[1]);
		FUZZ_CHECK(r.sport == (d[4] << 8 | d[5]) && r.dport == (d[6] << 8 | d[7]));
		FUZZ_CHECK(r.inode == le32(d + sizeof(struct inet_diag_msg) - 4));
		inet_endpoint_format(r.family, r.src, r.sport, ep, sizeof(ep));
		FUZZ_CHECK(strlen(ep) < sizeof(ep) - 1 && strchr(ep, ':') != NULL);
		(void)inet_addr_loopback(r.family, r.dst);
	}
	free(d);
}

static void check_netlink(const uint8_t *data, size_t size)
{
	unsigned char *d = dup_exact(data, size);
	struct netlink_diag_record r;
	int rc = netlink_diag_parse(d, size, &r);

	FUZZ_CHECK(rc == 0 || rc == -1);
	if (size < sizeof(struct netlink_diag_msg) || d[0] != AF_NETLINK)
		FUZZ_CHECK(rc == -1);
	if (rc == 0) {
		FUZZ_CHECK(r.protocol == d[2] && r.portid == le32(d + 4) && r.dst_portid == le32(d + 8));
		FUZZ_CHECK(r.state == TCP_ESTABLISHED || r.state == TCP_CLOSE);
	}
	free(d);
}

static void check_sock_msgs(const uint8_t *data, size_t size)
{
	check_diag(data, size);
	check_inet(data, size);
	check_netlink(data, size);
}

static void check_diag_stream(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, data + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > size - off)
			break;
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY)
			check_sock_msgs(data + off + sizeof(h), h.nlmsg_len - sizeof(h));
		if (NLMSG_ALIGN(h.nlmsg_len) >= size - off)
			break;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
}

/* ---- proc_net_unix_parse_line ------------------------------------------------- */

static void check_proc_line(const uint8_t *data, size_t size)
{
	char *line = (char *)dup_exact(data, size);
	struct unix_diag_record r;
	int rc = proc_net_unix_parse_line(line, size, &r);

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(r.icons == NULL);
	if (rc < 0) {
		free(line);
		return;
	}
	check_shape(&r);
	FUZZ_CHECK(r.shutdown == -1 && !r.has_vfs && !r.has_peer && !r.has_icons && !r.has_rqlen &&
		   !r.has_uid);
	FUZZ_CHECK(r.state == TCP_LISTEN || r.state == TCP_ESTABLISHED || r.state == TCP_CLOSE);
	FUZZ_CHECK(r.type >= 0 && r.type <= 0xffff);

	size_t len = size;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	FUZZ_CHECK(memchr(line, '\n', len) == NULL && memchr(line, ':', len) != NULL);
	if (r.has_name) {
		/* the line ends with the name as printed: '@' for the abstract NUL */
		FUZZ_CHECK(len > r.name_len && line[len - r.name_len - 1] == ' ');
		FUZZ_CHECK(line[len - r.name_len] == (r.abstract ? '@' : r.name[0]));
		FUZZ_CHECK(memcmp(line + len - r.name_len + 1, r.name + 1, r.name_len - 1) == 0);
		FUZZ_CHECK(memchr(r.name + 1, '\0', r.name_len - 1) == NULL);
	}

	/* as af_unix.c prints it */
	char again_line[256];
	int n = snprintf(again_line, sizeof(again_line),
			 "%016x: %08X %08X %08X %04X %02X %5" PRIu64, 0, 2u, 0u,
			 r.state == TCP_LISTEN ? 1u << 16 : 0u, (unsigned int)r.type,
			 r.state == TCP_ESTABLISHED ? 3u : 1u, r.inode);

	FUZZ_CHECK(n > 0 && (size_t)n + 1 + r.name_len + 1 < sizeof(again_line));
	if (r.has_name) {
		again_line[n++] = ' ';
		memcpy(again_line + n, r.name, r.name_len);
		if (r.abstract)
			again_line[n] = '@';
		n += (int)r.name_len;
	}
	again_line[n++] = '\n';

	struct unix_diag_record again;
	char *copy = (char *)dup_exact((const uint8_t *)again_line, (size_t)n);

	FUZZ_CHECK(proc_net_unix_parse_line(copy, (size_t)n, &again) == 0);
	FUZZ_CHECK(same_record(&r, &again));
	free(copy);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_sock_msgs(data, size);
	check_diag_stream(data, size);

	check_proc_line(data, size);
	for (size_t start = 0; start < size;) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) + 1 : size;

		check_proc_line(data + start, end - start);
		start = end;
	}
	return 0;
}
