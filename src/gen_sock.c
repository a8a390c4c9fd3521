/* Generator mechanisms on sockets: UNIX stream, datagram and seqpacket sockets bound to
 * files in the generator's directory, a socketpair, and TCP over 127.0.0.1. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gen.h"
#include "nls.h"

static ssize_t sock_send(struct gen_chan *c, int role, void *buf, size_t len)
{
	return send(c->tx[role], buf, len, MSG_NOSIGNAL);
}

static ssize_t sock_recv(struct gen_chan *c, int role, void *buf, size_t len)
{
	return recv(c->rx[role], buf, len, 0);
}

static void sock_destroy(struct gen_chan *c)
{
	for (int i = 0; i < 3; i++)
		if (c->paths[i][0]) {
			unlink(c->paths[i]);
			c->paths[i][0] = '\0';
		}
}

/* Both roles send and receive on their own socket. */
static void wire(struct gen_chan *c, int p, int q)
{
	c->tx[0] = c->rx[0] = p;
	c->tx[1] = c->rx[1] = q;
	gen_chan_keep(c, 0, p);
	gen_chan_keep(c, 1, q);
}

/* Room for a few messages in flight: a datagram larger than the send buffer is refused. */
static void size_buffers(int fd, size_t msg)
{
	int want = (int)(msg * 4 > 262144 ? msg * 4 : 262144);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
}

static int unix_addr(struct gen_chan *c, int i, const char *what, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (gen_path(c, c->paths[i], sizeof(sa->sun_path), what) < 0)
		return -1;
	memcpy(sa->sun_path, c->paths[i], strlen(c->paths[i]) + 1);
	return 0;
}

static int new_socket(int domain, int type, const char *what, char *err, size_t errlen)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		gen_error(err, errlen, errno, _("cannot create a %s socket"), what);
	return fd;
}

/* A listener bound to a file, a client connected to it, the accepted end: the consumer
 * keeps the listener too, so the file stays bound while the pair runs. */
static int unix_connected(struct gen_chan *c, int type, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int l, cli, srv;

	l = new_socket(AF_UNIX, type, c->mech->name, err, errlen);
	if (l < 0)
		return -1;
	gen_chan_keep(c, 1, l);
	if (unix_addr(c, 0, "sock", &sa) < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l, 1) < 0) {
		gen_error(err, errlen, errno, _("cannot bind and listen on %s"), sa.sun_path);
		return -1;
	}
	cli = new_socket(AF_UNIX, type, c->mech->name, err, errlen);
	if (cli < 0)
		return -1;
	gen_chan_keep(c, 0, cli);
	size_buffers(cli, c->msg_size);
	if (connect(cli, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		gen_error(err, errlen, errno, _("cannot connect to %s"), sa.sun_path);
		return -1;
	}
	srv = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (srv < 0) {
		gen_error(err, errlen, errno, _("cannot accept on %s"), sa.sun_path);
		return -1;
	}
	size_buffers(srv, c->msg_size);
	c->tx[0] = c->rx[0] = cli;
	c->tx[1] = c->rx[1] = srv;
	gen_chan_keep(c, 1, srv);
	return 0;
}

static int unix_stream_create(struct gen_chan *c, char *err, size_t errlen)
{
	return unix_connected(c, SOCK_STREAM, err, errlen);
}

static int unix_seqpacket_create(struct gen_chan *c, char *err, size_t errlen)
{
	return unix_connected(c, SOCK_SEQPACKET, err, errlen);
}

/* Two datagram sockets, each bound to a file and connected to the other's. */
static int unix_dgram_create(struct gen_chan *c, char *err, size_t errlen)
{
	struct sockaddr_un sa[2];
	int fd[2];

	for (int i = 0; i < 2; i++) {
		fd[i] = new_socket(AF_UNIX, SOCK_DGRAM, c->mech->name, err, errlen);
		if (fd[i] < 0)
			return -1;
		gen_chan_keep(c, i, fd[i]);
		size_buffers(fd[i], c->msg_size);
		if (unix_addr(c, i, i ? "consumer" : "producer", &sa[i]) < 0 ||
		    bind(fd[i], (struct sockaddr *)&sa[i], sizeof(sa[i])) < 0) {
			gen_error(err, errlen, errno, _("cannot bind %s"), sa[i].sun_path);
			return -1;
		}
	}
	for (int i = 0; i < 2; i++)
		if (connect(fd[i], (struct sockaddr *)&sa[1 - i], sizeof(sa[1 - i])) < 0) {
			gen_error(err, errlen, errno, _("cannot connect to %s"), sa[1 - i].sun_path);
			return -1;
		}
	c->tx[0] = c->rx[0] = fd[0];
	c->tx[1] = c->rx[1] = fd[1];
	return 0;
}

static int socketpair_create(struct gen_chan *c, char *err, size_t errlen)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		gen_error(err, errlen, errno, _("cannot create a socketpair"));
		return -1;
	}
	wire(c, sv[0], sv[1]);
	return 0;
}

/* Loopback only: the listener is bound to 127.0.0.1 and closed once the pair is connected. */
static int tcp_create(struct gen_chan *c, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int l, cli, srv, one = 1;

	l = new_socket(AF_INET, SOCK_STREAM, "TCP", err, errlen);
	if (l < 0)
		return -1;
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &sl) < 0) {
		gen_error(err, errlen, errno, _("cannot listen on 127.0.0.1"));
		close(l);
		return -1;
	}
	cli = new_socket(AF_INET, SOCK_STREAM, "TCP", err, errlen);
	if (cli < 0) {
		close(l);
		return -1;
	}
	gen_chan_keep(c, 0, cli);
	if (connect(cli, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		gen_error(err, errlen, errno, _("cannot connect to 127.0.0.1:%d"), ntohs(sa.sin_port));
		close(l);
		return -1;
	}
	srv = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	close(l);
	if (srv < 0) {
		gen_error(err, errlen, errno, _("cannot accept on 127.0.0.1:%d"), ntohs(sa.sin_port));
		return -1;
	}
	gen_chan_keep(c, 1, srv);
	/* each message leaves when sent: latency is the kernel's, not Nagle's */
	setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(srv, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->tx[0] = c->rx[0] = cli;
	c->tx[1] = c->rx[1] = srv;
	return 0;
}

const struct gen_mech gen_mech_unix_stream = {
	.name = "unix-stream", .bytes = true,
	.create = unix_stream_create, .send = sock_send, .recv = sock_recv, .destroy = sock_destroy,
};
const struct gen_mech gen_mech_unix_dgram = {
	.name = "unix-dgram", .bytes = false,
	.create = unix_dgram_create, .send = sock_send, .recv = sock_recv, .destroy = sock_destroy,
};
const struct gen_mech gen_mech_unix_seqpacket = {
	.name = "unix-seqpacket", .bytes = false,
	.create = unix_seqpacket_create, .send = sock_send, .recv = sock_recv, .destroy = sock_destroy,
};
const struct gen_mech gen_mech_socketpair = {
	.name = "socketpair", .bytes = true,
	.create = socketpair_create, .send = sock_send, .recv = sock_recv, .destroy = sock_destroy,
};
const struct gen_mech gen_mech_tcp = {
	.name = "tcp", .bytes = true,
	.create = tcp_create, .send = sock_send, .recv = sock_recv, .destroy = sock_destroy,
};
