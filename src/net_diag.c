/* Collectors: TCP and UDP sockets between processes of this machine, and netlink
 * sockets, from sock_diag dumps (NETLINK_SOCK_DIAG, libmnl). Like the UNIX socket
 * collector they see the network namespace ipctop runs in. */
#include "config.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_dump.h"
#include "nls.h"
#include "parse_diag.h"
#include "snapshot.h"
#include "xalloc.h"

/* ---- TCP and UDP ---- */

/* A socket of the dump, its addresses normalised so that an IPv4-mapped IPv6 end and
 * the plain IPv4 one it talks to compare equal. */
struct inet_sock {
	struct inet_diag_record r;
	int protocol;
	uint8_t src[16], dst[16];       /* IPv4 as ::ffff:a.b.c.d */
	uint64_t peer;                  /* inode of the other end, once found */
};

struct inet_list {
	struct inet_sock *s;
	size_t n, alloc;
	size_t bad;
	int protocol;                   /* of the dump running */
	size_t mark;                    /* where the dump running started */
};

static void inet_list_reset(void *data)
{
	struct inet_list *l = data;

	l->n = l->mark;
}

static void to_mapped(int family, const uint8_t *in, uint8_t *out)
{
	if (family == AF_INET) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, in, 4);
	} else {
		memcpy(out, in, 16);
	}
}

static int inet_diag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct inet_list *l = data;
	struct inet_sock s = { .protocol = l->protocol };

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (inet_diag_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &s.r) < 0) {
		l->bad++;
		return MNL_CB_OK;
	}
	/* time-wait and new connections not yet accepted have no file: nobody holds them */
	if (s.r.inode == 0)
		return MNL_CB_OK;
	to_mapped(s.r.family, s.r.src, s.src);
	to_mapped(s.r.family, s.r.dst, s.dst);
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 64;
		l->s = xreallocarray(l->s, l->alloc, sizeof(*l->s));
	}
	l->s[l->n++] = s;
	return MNL_CB_OK;
}

/* Order by protocol, then local address and port, then remote ones. */
static int tuple_cmp(int pa, const uint8_t *sa, uint16_t spa, const uint8_t *da, uint16_t dpa,
		     int pb, const uint8_t *sb, uint16_t spb, const uint8_t *db, uint16_t dpb)
{
	int r;

	if (pa != pb)
		return pa < pb ? -1 : 1;
	if ((r = memcmp(sa, sb, 16)) != 0)
		return r;
	if (spa != spb)
		return spa < spb ? -1 : 1;
	if ((r = memcmp(da, db, 16)) != 0)
		return r;
	return (dpa > dpb) - (dpa < dpb);
}

static int inet_sock_cmp(const void *a, const void *b)
{
	const struct inet_sock *x = a, *y = b;

	return tuple_cmp(x->protocol, x->src, x->r.sport, x->dst, x->r.dport,
			 y->protocol, y->src, y->r.sport, y->dst, y->r.dport);
}

/* Both ends of each connection in the list: the socket whose local end is this one's
 * remote end. Sorted, so one binary search each. */
static void inet_pair(struct inet_list *l)
{
	if (l->n)
		qsort(l->s, l->n, sizeof(*l->s), inet_sock_cmp);
	for (size_t i = 0; i < l->n; i++) {
		struct inet_sock *s = &l->s[i], key;

		if (s->r.dport == 0)
			continue;       /* a listener or an unconnected datagram socket */
		key.protocol = s->protocol;
		memcpy(key.src, s->dst, 16);
		memcpy(key.dst, s->src, 16);
		key.r.sport = s->r.dport;
		key.r.dport = s->r.sport;

		const struct inet_sock *hit = bsearch(&key, l->s, l->n, sizeof(*l->s), inet_sock_cmp);

		if (hit && hit != s)
			s->peer = hit->r.inode;
	}
}

/* IPC between local processes: a connection whose other end is here, or a socket
 * that only local processes can reach (bound to loopback). */
static bool inet_local(const struct inet_sock *s)
{
	if (s->peer)
		return true;
	if (s->r.dport != 0)
		return inet_addr_loopback(s->r.family, s->r.dst);
	return inet_addr_loopback(s->r.family, s->r.src);
}

static void inet_add(struct snapshot *snap, const struct inet_sock *s)
{
	struct ipc_object *o = snapshot_add(snap, KIND_INET);
	char ep[INET_ENDPOINT_MAX];

	o->persistence = PERSIST_PROCESS;
	o->inode = s->r.inode;
	o->protocol = s->protocol;
	o->sock_type = s->protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	o->sock_state = s->r.state;
	o->shutdown = -1;
	inet_endpoint_format(s->r.family, s->r.src, s->r.sport, ep, sizeof(ep));
	object_set_name(o, ep, strlen(ep));
	if (s->r.dport != 0) {
		inet_endpoint_format(s->r.family, s->r.dst, s->r.dport, ep, sizeof(ep));
		o->remote = xstrdup(ep);
	}
	o->peer = s->peer;
	o->rqueue = s->r.rqueue;
	o->wqueue = s->r.wqueue;
	o->has_queues = true;
	o->uid = (uid_t)s->r.uid;
}

void inet_collect(struct snapshot *snap)
{
	static const int families[] = { AF_INET, AF_INET6 };
	static const int protocols[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct inet_list l = { 0 };
	int failed[4] = { 0 };          /* errno of each dump that failed */
	size_t nfailed = 0;

	for (size_t p = 0; p < 2; p++) {
		for (size_t f = 0; f < 2; f++) {
			struct inet_diag_req_v2 req = {
				.sdiag_family = (uint8_t)families[f],
				.sdiag_protocol = (uint8_t)protocols[p],
				.idiag_states = ~0u,
			};
			l.protocol = protocols[p];
			l.mark = l.n;
			/* a kernel without IPv6 or without UDP diag says so: not an error */
			if (diag_dump(&req, sizeof(req), inet_diag_cb, inet_list_reset, &l) < 0 &&
			    errno != ENOENT && errno != EAFNOSUPPORT && errno != EOPNOTSUPP) {
				failed[p * 2 + f] = errno;
				nfailed++;
			}
		}
	}
	/* no sock_diag at all (no netlink, or refused): one note, not four */
	if (nfailed == 4 && failed[1] == failed[0] && failed[2] == failed[0] && failed[3] == failed[0])
		snapshot_note(snap, "sock_diag", _("cannot dump TCP and UDP sockets: %s: local TCP and UDP "
						   "connections cannot be seen"), strerror(failed[0]));
	else
		for (size_t i = 0; i < 4; i++)
			if (failed[i])
				snapshot_note(snap, "sock_diag", _("cannot dump %s sockets (%s): %s"),
					      i / 2 == 0 ? "TCP" : "UDP", i % 2 == 0 ? "IPv4" : "IPv6",
					      strerror(failed[i]));
	if (l.bad)
		snapshot_note(snap, "sock_diag", _("TCP/UDP replies that could not be decoded: %zu"), l.bad);
	inet_pair(&l);
	for (size_t i = 0; i < l.n; i++)
		if (inet_local(&l.s[i]))
			inet_add(snap, &l.s[i]);
	free(l.s);
}

/* ---- netlink ---- */

struct netlink_list {
	struct netlink_diag_record *rec;
	size_t n, alloc;
	size_t bad;
};

static int netlink_diag_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_list *l = data;
	struct netlink_diag_record r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (netlink_diag_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &r) < 0) {
		l->bad++;
		return MNL_CB_OK;
	}
	/* port id 0 is the kernel's own end of each protocol: no process holds it; and
	 * the socket asking is ipctop's tool, gone when the dump ends */
	if (r.portid == 0 || (r.protocol == NETLINK_SOCK_DIAG && r.portid == diag_dump_portid()))
		return MNL_CB_OK;
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 64;
		l->rec = xreallocarray(l->rec, l->alloc, sizeof(*l->rec));
	}
	l->rec[l->n++] = r;
	return MNL_CB_OK;
}

static void netlink_list_reset(void *data)
{
	((struct netlink_list *)data)->n = 0;
}

static int netlink_cmp(const void *a, const void *b)
{
	const struct netlink_diag_record *x = a, *y = b;

	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	return (x->portid > y->portid) - (x->portid < y->portid);
}

void netlink_collect(struct snapshot *snap)
{
	struct netlink_diag_req req = {
		.sdiag_family = AF_NETLINK,
		.sdiag_protocol = NDIAG_PROTO_ALL,
		.ndiag_show = NDIAG_SHOW_MEMINFO,
		.ndiag_cookie = { ~0u, ~0u },
	};
	struct netlink_list l = { 0 };

	if (diag_dump(&req, sizeof(req), netlink_diag_cb, netlink_list_reset, &l) < 0) {
		snapshot_note(snap, "sock_diag", _("cannot dump netlink sockets: %s: netlink sockets cannot be seen"),
			      strerror(errno));
		free(l.rec);
		return;
	}
	if (l.bad)
		snapshot_note(snap, "sock_diag", _("netlink replies that could not be decoded: %zu"), l.bad);
	/* sorted by protocol and port id, to find the socket each one sends to */
	if (l.n)
		qsort(l.rec, l.n, sizeof(*l.rec), netlink_cmp);
	for (size_t i = 0; i < l.n; i++) {
		const struct netlink_diag_record *r = &l.rec[i];
		struct ipc_object *o = snapshot_add(snap, KIND_NETLINK);

		o->persistence = PERSIST_PROCESS;
		o->inode = r->inode;
		o->protocol = r->protocol;
		o->sock_type = r->type;
		o->sock_state = r->state;
		o->shutdown = -1;
		o->portid = r->portid;
		o->dst_portid = r->dst_portid;
		o->dst_group = r->dst_group;
		if (r->has_meminfo) {
			o->rqueue = r->rmem;
			o->wqueue = r->wmem;
			o->has_queues = true;
		}
		if (r->dst_portid) {
			struct netlink_diag_record key = { .protocol = r->protocol, .portid = r->dst_portid };
			const struct netlink_diag_record *hit =
				bsearch(&key, l.rec, l.n, sizeof(*l.rec), netlink_cmp);

			o->peer = hit ? hit->inode : 0;
		}
	}
	free(l.rec);
}
