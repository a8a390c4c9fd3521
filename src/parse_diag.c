/* What the kernel says about sockets, decoded: see parse_diag.h. */
#include "config.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "parse.h"
#include "parse_diag.h"
#include "xalloc.h"

#define ATTR_HDRLEN ((size_t)NLA_HDRLEN)

static void record_init(struct unix_diag_record *r)
{
	memset(r, 0, sizeof(*r));
	r->shutdown = -1;
}

void unix_diag_record_free(struct unix_diag_record *r)
{
	if (!r)
		return;
	free(r->icons);
	r->icons = NULL;
	r->nicons = 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));       /* attributes need not be aligned in our input */
	return v;
}

/* The name bytes of UNIX_DIAG_NAME: a path ends at its NUL, an abstract name is all
 * the bytes (its first is NUL). */
static int diag_name(struct unix_diag_record *r, const unsigned char *p, size_t len)
{
	if (len == 0)
		return -1;
	r->abstract = p[0] == '\0';
	if (!r->abstract)
		len = strnlen((const char *)p, len);
	if (len > UNIX_RECORD_NAME_MAX)
		return -1;
	memcpy(r->name, p, len);
	r->name_len = len;
	r->has_name = true;
	return 0;
}

int unix_diag_parse(const void *nlmsg_payload, size_t len, struct unix_diag_record *out)
{
	const unsigned char *p = nlmsg_payload;
	const unsigned char *attr[UNIX_DIAG_MAX + 1] = { NULL };
	size_t alen[UNIX_DIAG_MAX + 1] = { 0 };
	struct unix_diag_msg msg;

	record_init(out);
	if (!p || len < sizeof(msg))
		return -1;
	memcpy(&msg, p, sizeof(msg));
	if (msg.udiag_family != AF_UNIX)
		return -1;

	/* the attributes: the last of each known type wins, unknown ones are skipped */
	for (size_t off = NLMSG_ALIGN(sizeof(msg)); off < len && len - off >= ATTR_HDRLEN;) {
		struct nlattr nla;

		memcpy(&nla, p + off, sizeof(nla));
		if (nla.nla_len < ATTR_HDRLEN || nla.nla_len > len - off)
			return -1;      /* the next attribute cannot be found */
		unsigned int type = nla.nla_type & NLA_TYPE_MASK;

		if (type <= UNIX_DIAG_MAX) {
			attr[type] = p + off + ATTR_HDRLEN;
			alen[type] = nla.nla_len - ATTR_HDRLEN;
		}
		off += NLA_ALIGN((size_t)nla.nla_len);  /* the last one may lack its padding */
	}

	out->inode = msg.udiag_ino;
	out->type = msg.udiag_type;
	out->state = msg.udiag_state;

	/* a known attribute may grow at its end in a later kernel, never shrink */
	if (attr[UNIX_DIAG_NAME] && diag_name(out, attr[UNIX_DIAG_NAME], alen[UNIX_DIAG_NAME]) < 0)
		return -1;
	if (attr[UNIX_DIAG_VFS]) {
		struct unix_diag_vfs vfs;

		if (alen[UNIX_DIAG_VFS] < sizeof(vfs))
			return -1;
		memcpy(&vfs, attr[UNIX_DIAG_VFS], sizeof(vfs));
		out->has_vfs = true;
		out->vfs_inode = vfs.udiag_vfs_ino;
		/* the kernel's internal dev_t: 12 bits of major above 20 bits of minor */
		out->vfs_dev = makedev(vfs.udiag_vfs_dev >> 20, vfs.udiag_vfs_dev & 0xfffff);
	}
	if (attr[UNIX_DIAG_PEER]) {
		if (alen[UNIX_DIAG_PEER] < sizeof(uint32_t))
			return -1;
		out->has_peer = true;
		out->peer = get_u32(attr[UNIX_DIAG_PEER]);
	}
	if (attr[UNIX_DIAG_RQLEN]) {
		struct unix_diag_rqlen rql;

		if (alen[UNIX_DIAG_RQLEN] < sizeof(rql))
			return -1;
		memcpy(&rql, attr[UNIX_DIAG_RQLEN], sizeof(rql));
		out->has_rqlen = true;
		out->rqueue = rql.udiag_rqueue;
		out->wqueue = rql.udiag_wqueue;
	}
	if (attr[UNIX_DIAG_SHUTDOWN]) {
		if (alen[UNIX_DIAG_SHUTDOWN] < 1)
			return -1;
		out->shutdown = attr[UNIX_DIAG_SHUTDOWN][0];
	}
	if (attr[UNIX_DIAG_UID]) {
		if (alen[UNIX_DIAG_UID] < sizeof(uint32_t))
			return -1;
		out->has_uid = true;
		out->uid = get_u32(attr[UNIX_DIAG_UID]);
	}
	if (attr[UNIX_DIAG_ICONS]) {
		/* one u32 inode each; empty for a listener nobody is waiting on */
		if (alen[UNIX_DIAG_ICONS] % sizeof(uint32_t) != 0)
			return -1;
		out->has_icons = true;
		out->nicons = alen[UNIX_DIAG_ICONS] / sizeof(uint32_t);
		if (out->nicons > 0) {
			out->icons = xreallocarray(NULL, out->nicons, sizeof(*out->icons));
			for (size_t i = 0; i < out->nicons; i++)
				out->icons[i] = get_u32(attr[UNIX_DIAG_ICONS] + i * sizeof(uint32_t));
		}
	}
	return 0;
}

/* /proc/net/unix, as net/unix/af_unix.c prints it */
#define PROC_SO_ACCEPTCON (1u << 16)    /* __SO_ACCEPTCON: a listening socket */
#define PROC_SS_CONNECTING 2            /* socket_state of <linux/net.h> */
#define PROC_SS_CONNECTED 3

/* The next token of non-space bytes after at least one space, from *p. */
static bool proc_token(const char **p, const char *end, const char **tok, size_t *toklen)
{
	const char *s = *p;

	if (s == end || *s != ' ')
		return false;
	while (s < end && *s == ' ')
		s++;
	*tok = s;
	while (s < end && *s != ' ')
		s++;
	*toklen = (size_t)(s - *tok);
	*p = s;
	return *toklen > 0;
}

int proc_net_unix_parse_line(const char *line, size_t len, struct unix_diag_record *out)
{
	const char *p = line, *end, *tok, *colon;
	size_t toklen;
	uint64_t v[5], inode;

	record_init(out);
	if (!line)
		return -1;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	end = line + len;

	/* "Num:", the kernel address of the socket (hashed or zero): only its form is checked */
	colon = memchr(line, ':', len);
	if (!colon || parse_u64(line, (size_t)(colon - line), 16, &v[0]) < 0)
		return -1;
	p = colon + 1;

	/* RefCount Protocol Flags Type St, in hexadecimal */
	static const uint64_t max[5] = { UINT32_MAX, UINT32_MAX, UINT32_MAX, 0xffff, 0xff };

	for (size_t i = 0; i < 5; i++)
		if (!proc_token(&p, end, &tok, &toklen) || parse_u64(tok, toklen, 16, &v[i]) < 0 ||
		    v[i] > max[i])
			return -1;
	/* Inode, right-aligned in five columns */
	if (!proc_token(&p, end, &tok, &toklen) || parse_u64(tok, toklen, 10, &inode) < 0)
		return -1;

	out->inode = inode;
	out->type = (int)v[3];
	if (v[2] & PROC_SO_ACCEPTCON)
		out->state = TCP_LISTEN;
	else if (v[4] == PROC_SS_CONNECTED || v[4] == PROC_SS_CONNECTING)
		out->state = TCP_ESTABLISHED;
	else
		out->state = TCP_CLOSE;

	if (p == end)
		return 0;               /* not bound */

	/* Path: one space, then every byte to the end of the line (spaces included) */
	const char *name = p + 1;
	size_t nlen = (size_t)(end - name);

	if (nlen == 0 || nlen > UNIX_RECORD_NAME_MAX || memchr(name, '\0', nlen) ||
	    memchr(name, '\n', nlen))
		return -1;
	memcpy(out->name, name, nlen);
	out->name_len = nlen;
	out->has_name = true;
	if (name[0] == '@') {
		out->abstract = true;
		out->name[0] = '\0';
	}
	return 0;
}

int inet_diag_parse(const void *nlmsg_payload, size_t len, struct inet_diag_record *out)
{
	struct inet_diag_msg msg;

	memset(out, 0, sizeof(*out));
	if (!nlmsg_payload || len < sizeof(msg))
		return -1;
	memcpy(&msg, nlmsg_payload, sizeof(msg));
	if (msg.idiag_family != AF_INET && msg.idiag_family != AF_INET6)
		return -1;
	out->family = msg.idiag_family;
	out->state = msg.idiag_state;
	/* the kernel fills 16 bytes either way; IPv4 uses the first 4, the rest is zero */
	memcpy(out->src, msg.id.idiag_src, sizeof(out->src));
	memcpy(out->dst, msg.id.idiag_dst, sizeof(out->dst));
	if (out->family == AF_INET) {
		memset(out->src + 4, 0, 12);
		memset(out->dst + 4, 0, 12);
	}
	out->sport = ntohs(msg.id.idiag_sport);
	out->dport = ntohs(msg.id.idiag_dport);
	out->rqueue = msg.idiag_rqueue;
	out->wqueue = msg.idiag_wqueue;
	out->uid = msg.idiag_uid;
	out->inode = msg.idiag_inode;
	return 0;
}

bool inet_addr_loopback(int family, const uint8_t *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family == AF_INET)
		return a[0] == 127;
	if (family != AF_INET6)
		return false;
	return memcmp(a, v6_loopback, 16) == 0 || (memcmp(a, v4_mapped, 12) == 0 && a[12] == 127);
}

void inet_endpoint_format(int family, const uint8_t *addr, uint16_t port, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", text, (unsigned int)port);
	else
		snprintf(buf, len, "%s:%u", text, (unsigned int)port);
}

int netlink_diag_parse(const void *nlmsg_payload, size_t len, struct netlink_diag_record *out)
{
	const unsigned char *p = nlmsg_payload;
	struct netlink_diag_msg msg;

	memset(out, 0, sizeof(*out));
	if (!p || len < sizeof(msg))
		return -1;
	memcpy(&msg, p, sizeof(msg));
	if (msg.ndiag_family != AF_NETLINK)
		return -1;
	out->protocol = msg.ndiag_protocol;
	out->type = msg.ndiag_type;
	/* NETLINK_CONNECTED (1) or NETLINK_UNCONNECTED (0), told as the TCP states */
	out->state = msg.ndiag_state == 1 ? TCP_ESTABLISHED : TCP_CLOSE;
	out->portid = msg.ndiag_portid;
	out->dst_portid = msg.ndiag_dst_portid;
	out->dst_group = msg.ndiag_dst_group;
	out->inode = msg.ndiag_ino;

	for (size_t off = NLMSG_ALIGN(sizeof(msg)); off < len && len - off >= ATTR_HDRLEN;) {
		struct nlattr nla;

		memcpy(&nla, p + off, sizeof(nla));
		if (nla.nla_len < ATTR_HDRLEN || nla.nla_len > len - off)
			return -1;
		/* SK_MEMINFO_RMEM_ALLOC and SK_MEMINFO_WMEM_ALLOC of the u32 array */
		if ((nla.nla_type & NLA_TYPE_MASK) == NETLINK_DIAG_MEMINFO) {
			if (nla.nla_len - ATTR_HDRLEN < (SK_MEMINFO_WMEM_ALLOC + 1) * sizeof(uint32_t))
				return -1;
			out->rmem = get_u32(p + off + ATTR_HDRLEN + SK_MEMINFO_RMEM_ALLOC * sizeof(uint32_t));
			out->wmem = get_u32(p + off + ATTR_HDRLEN + SK_MEMINFO_WMEM_ALLOC * sizeof(uint32_t));
			out->has_meminfo = true;
		}
		off += NLA_ALIGN((size_t)nla.nla_len);
	}
	return 0;
}
