/* D-Bus buses and their connections. A bus is found through the UNIX socket its daemon
 * (dbus-daemon, dbus-broker) listens on, or the system bus's standard socket. Each bus is
 * read by a short-lived child (sd-bus), which takes the bus owner's uid when ipctop runs
 * as root (a session bus accepts only its user's EXTERNAL authentication) and writes a
 * report down a pipe; the parent gives every child the same short deadline, then kills
 * it, so a stopped or hung daemon never stalls a snapshot. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SDBUS
# include <systemd/sd-bus.h>
#endif

#include "nls.h"
#include "parse_dbus.h"
#include "snapshot.h"
#include "strbuf.h"
#include "xalloc.h"

#define DBUS_SYSTEM_SOCKET "/run/dbus/system_bus_socket"
#define DBUS_SYSTEM_SOCKET_OLD "/var/run/dbus/system_bus_socket"
#define DBUS_CALL_TIMEOUT_USEC (2000 * 1000)    /* each call of the child */
/* A child silent this long is killed: the daemon does not answer. The child writes a
 * heartbeat after each answer, so a bus that answers slowly on a loaded machine is
 * still read, up to DBUS_MAX_MS in all. */
#define DBUS_IDLE_MS 3000
#define DBUS_MAX_MS 20000
#define DBUS_REPORT_MAX (16u << 20)
#define DBUS_MAX_BUSES 64
#define DBUS_SOURCE "D-Bus"

static bool is_bus_daemon(const char *comm)
{
	/* the comm is cut at 15 bytes: "dbus-broker-lau(nch)" */
	return comm && (strncmp(comm, "dbus-daemon", 11) == 0 || strncmp(comm, "dbus-broker", 11) == 0);
}

static bool is_system_socket(const char *name)
{
	return name && (strcmp(name, DBUS_SYSTEM_SOCKET) == 0 || strcmp(name, DBUS_SYSTEM_SOCKET_OLD) == 0);
}

/* The address of a listening socket's name ('@' for an abstract one). */
static char *socket_address(const char *name, size_t len)
{
	bool abstract = len > 0 && name[0] == '@';
	char *esc = dbus_address_escape(name + abstract, len - abstract);
	char *addr = xasprintf("unix:%s=%s", abstract ? "abstract" : "path", esc);

	free(esc);
	return addr;
}


static struct dbus_bus *bus_add(struct snapshot *snap, size_t *alloc)
{
	if (snap->ndbus_buses == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 4;
		snap->dbus_buses = xreallocarray(snap->dbus_buses, *alloc, sizeof(*snap->dbus_buses));
	}
	struct dbus_bus *b = &snap->dbus_buses[snap->ndbus_buses++];

	memset(b, 0, sizeof(*b));
	return b;
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The buses: listening sockets held by a bus daemon (holders are not yet sliced, so the
 * scan's list is walked once), then the system bus's socket if no daemon was seen on
 * it (its daemon's descriptors may not be readable), then the address given. */
static void find_buses(struct snapshot *snap, const char *extra)
{
	size_t alloc = 0;
	bool system_seen = false;
	/* the bus daemons' processes first (sorted by pid, as the table is): most holders
	 * are then passed over without touching their object */
	pid_t *daemons = NULL;
	size_t ndaemons = 0;

	for (size_t i = 0; i < snap->nprocs; i++) {
		if (!is_bus_daemon(snap->procs[i].comm))
			continue;
		daemons = xreallocarray(daemons, ndaemons + 1, sizeof(*daemons));
		daemons[ndaemons++] = snap->procs[i].pid;
	}
	for (size_t i = 0; ndaemons && i < snap->nholders; i++) {
		const struct holder *h = &snap->holders[i];

		if (!bsearch(&h->pid, daemons, ndaemons, sizeof(*daemons), pid_cmp))
			continue;
		const struct ipc_object *o = &snap->objects[h->object];

		if (o->kind != KIND_UNIX || o->sock_state != TCP_LISTEN || !o->name || o->inode == 0)
			continue;
		const struct process *p = snapshot_process(snap, h->pid);

		if (!p)
			continue;

		struct dbus_bus *b = NULL;

		for (size_t j = 0; j < snap->ndbus_buses && !b; j++)
			if (snap->dbus_buses[j].listen_inode == o->inode)
				b = &snap->dbus_buses[j];
		if (!b) {
			if (snap->ndbus_buses == DBUS_MAX_BUSES)
				continue;
			b = bus_add(snap, &alloc);
			b->listen_inode = o->inode;
			b->path = xstrdup(o->name);
			b->address = socket_address(o->name, o->name_len);
			b->owner = p->euid;
			b->has_owner = true;
			if (is_system_socket(o->name)) {
				b->label = xstrdup("system");
				system_seen = true;
			} else {
				b->label = xasprintf("session:%u", (unsigned int)p->euid);
			}
		}
		bool dup = false;

		for (size_t j = 0; j < b->ndaemons; j++)
			dup |= b->daemon_pids[j] == h->pid;
		if (!dup && b->ndaemons < sizeof(b->daemon_pids) / sizeof(b->daemon_pids[0]))
			b->daemon_pids[b->ndaemons++] = h->pid;
	}

	free(daemons);
	if (!system_seen) {
		struct dbus_bus *b = bus_add(snap, &alloc);
		struct stat st;

		b->label = xstrdup("system");
		b->path = xstrdup(DBUS_SYSTEM_SOCKET);
		b->address = xasprintf("unix:path=%s", DBUS_SYSTEM_SOCKET);
		if (stat(DBUS_SYSTEM_SOCKET, &st) < 0 || !S_ISSOCK(st.st_mode)) {
			b->error = xasprintf(_("no system bus: %s is not a socket here"), DBUS_SYSTEM_SOCKET);
			b->absent = true;
		} else {
			/* its listening socket, by the file it is bound to */
			for (size_t i = 0; i < snap->nobjects; i++) {
				const struct ipc_object *o = &snap->objects[i];

				if (o->kind == KIND_UNIX && o->sock_state == TCP_LISTEN &&
				    o->file_inode == (uint64_t)st.st_ino && o->file_dev == (uint64_t)st.st_dev)
					b->listen_inode = o->inode;
			}
		}
	}

	if (extra) {
		struct dbus_bus *b = bus_add(snap, &alloc);

		b->label = xstrdup(extra);
		b->address = xstrdup(extra);
	}
}

#ifdef HAVE_SDBUS

/* The effective gid of a process, from /proc/PID/status; -1 when unknown. */
static int proc_egid(pid_t pid, gid_t *gid)
{
	char path[64], line[256];
	unsigned int real, eff;
	int found = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Gid: %u %u", &real, &eff) == 2) {
			*gid = eff;
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

struct bus_job {
	struct dbus_bus *bus;
	bool run;               /* a child was started */
	bool switch_uid;        /* the child takes the owner's uid and gid */
	gid_t gid;
	pid_t child;
	int fd;                 /* read end, -1 once at EOF */
	struct strbuf out;
	bool timed_out, too_big;
	bool too_long;          /* past DBUS_MAX_MS, answering all along */
	int64_t last;           /* when it last wrote, ms (CLOCK_MONOTONIC) */
};

#define DBUS_DEST "org.freedesktop.DBus"
#define DBUS_PATH "/org/freedesktop/DBus"
#define DBUS_IFACE "org.freedesktop.DBus"
#define DBUS_STATS_IFACE "org.freedesktop.DBus.Debug.Stats"

static char *bus_error_text(const sd_bus_error *e, int r)
{
	if (e && e->name)
		return xasprintf("%s: %s", e->name, e->message ? e->message : "");
	return xstrdup(strerror(-r));
}

/* Read a{sv} of u values into the keys asked for (NULL-terminated); returns < 0 on a
 * malformed reply. */
static int read_u32_dict(sd_bus_message *m, const char *const *keys, uint32_t *vals, bool *seen)
{
	int r = sd_bus_message_enter_container(m, SD_BUS_TYPE_ARRAY, "{sv}");

	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, SD_BUS_TYPE_DICT_ENTRY, "sv")) > 0) {
		const char *key, *contents;
		int k = -1;

		if ((r = sd_bus_message_read(m, "s", &key)) < 0)
			return r;
		for (int i = 0; keys[i]; i++)
			if (strcmp(keys[i], key) == 0)
				k = i;
		if ((r = sd_bus_message_peek_type(m, NULL, &contents)) < 0)
			return r;
		if (k >= 0 && strcmp(contents, "u") == 0) {
			if ((r = sd_bus_message_read(m, "v", "u", &vals[k])) < 0)
				return r;
			seen[k] = true;
		} else if ((r = sd_bus_message_skip(m, "v")) < 0) {
			return r;
		}
		if ((r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int child_progress_fd = -1;   /* the child's pipe to the parent */

/* A heartbeat: the bus answered (the parent's reader skips it). */
static void child_progress(void)
{
	if (child_progress_fd >= 0 && write(child_progress_fd, "H\n", 2) < 0)
		child_progress_fd = -1;
}

static int call(sd_bus *bus, const char *iface, const char *method, sd_bus_error *err,
		sd_bus_message **reply, const char *sig, const char *arg)
{
	int r;

	sd_bus_error_free(err);
	if (sig)
		r = sd_bus_call_method(bus, DBUS_DEST, DBUS_PATH, iface, method, err, reply, sig, arg);
	else
		r = sd_bus_call_method(bus, DBUS_DEST, DBUS_PATH, iface, method, err, reply, NULL);
	child_progress();
	return r;
}

static bool strv_has(char **v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static void child_read_bus(struct bus_job *job, struct dbus_report *rep)
{
	sd_bus *bus = NULL;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	char **names = NULL, **act = NULL;
	const char *self = NULL;
	int r;

	if ((r = sd_bus_new(&bus)) < 0 || (r = sd_bus_set_address(bus, job->bus->address)) < 0 ||
	    (r = sd_bus_set_bus_client(bus, 1)) < 0 ||
	    (r = sd_bus_set_method_call_timeout(bus, DBUS_CALL_TIMEOUT_USEC)) < 0 ||
	    (r = sd_bus_start(bus)) < 0) {
		rep->error = xasprintf(_("cannot connect to %s: %s"), job->bus->address, strerror(-r));
		goto out;
	}
	if ((r = sd_bus_get_unique_name(bus, &self)) < 0) {
		rep->error = xasprintf(_("no answer to Hello from %s: %s"), job->bus->address, strerror(-r));
		goto out;
	}
	rep->self = xstrdup(self);
	child_progress();
	if ((r = call(bus, DBUS_IFACE, "ListNames", &err, &m, NULL, NULL)) < 0 ||
	    (r = sd_bus_message_read_strv(m, &names)) < 0) {
		char *why = bus_error_text(&err, r);

		rep->error = xasprintf(_("ListNames failed: %s"), why);
		free(why);
		goto out;
	}
	m = sd_bus_message_unref(m);

	/* connections, by unique name, and who they are */
	for (char **n = names; *n; n++) {
		if ((*n)[0] != ':' || strcmp(*n, self) == 0)
			continue;
		struct dbus_conn_rec *c = dbus_report_add_conn(rep, *n, strlen(*n));
		static const char *const cred_keys[] = { "ProcessID", "UnixUserID", NULL };
		uint32_t v[2] = { 0, 0 };
		bool seen[2] = { false, false };

		if (call(bus, DBUS_IFACE, "GetConnectionCredentials", &err, &m, "s", *n) >= 0 &&
		    read_u32_dict(m, cred_keys, v, seen) >= 0) {
			c->has_pid = seen[0];
			c->pid = v[0];
			c->has_uid = seen[1];
			c->uid = v[1];
		}
		m = sd_bus_message_unref(m);
	}

	/* well-known names: the primary owner, then the queue */
	for (char **n = names; *n; n++) {
		char **owners = NULL;

		if ((*n)[0] == ':' || strcmp(*n, DBUS_DEST) == 0)
			continue;
		if (call(bus, DBUS_IFACE, "ListQueuedOwners", &err, &m, "s", *n) >= 0 &&
		    sd_bus_message_read_strv(m, &owners) >= 0) {
			for (size_t i = 0; owners && owners[i]; i++) {
				struct dbus_conn_rec *c = dbus_report_conn(rep, owners[i]);

				if (c)
					strlist_add(i == 0 ? &c->names : &c->queued, *n, strlen(*n));
			}
		}
		for (size_t i = 0; owners && owners[i]; i++)
			free(owners[i]);
		free(owners);
		m = sd_bus_message_unref(m);
	}

	/* activatable names nobody owns now */
	if (call(bus, DBUS_IFACE, "ListActivatableNames", &err, &m, NULL, NULL) >= 0 &&
	    sd_bus_message_read_strv(m, &act) >= 0)
		for (char **n = act; n && *n; n++)
			if ((*n)[0] != ':' && strcmp(*n, DBUS_DEST) != 0 && !strv_has(names, *n))
				strlist_add(&rep->activatable, *n, strlen(*n));
	m = sd_bus_message_unref(m);

	/* the daemon's statistics, when it offers them to us */
	static const char *const stat_keys[] = {
		"MatchRules", "IncomingMessages", "OutgoingMessages", "IncomingBytes", "OutgoingBytes", NULL
	};

	r = call(bus, DBUS_STATS_IFACE, "GetStats", &err, &m, NULL, NULL);
	rep->stats = r >= 0;
	if (r < 0)
		rep->stats_error = bus_error_text(&err, r);
	m = sd_bus_message_unref(m);
	for (size_t i = 0; i < rep->nconns && rep->stats; i++) {
		struct dbus_conn_rec *c = &rep->conns[i];
		uint32_t v[5] = { 0 };
		bool seen[5] = { false };

		r = call(bus, DBUS_STATS_IFACE, "GetConnectionStats", &err, &m, "s", c->unique);
		if (r >= 0 && read_u32_dict(m, stat_keys, v, seen) >= 0) {
			c->has_stats = true;
			c->match_rules = v[0];
			c->in_messages = v[1];
			c->out_messages = v[2];
			c->in_bytes = v[3];
			c->out_bytes = v[4];
		} else if (r < 0 && sd_bus_error_has_name(&err, "org.freedesktop.DBus.Error.NameHasNoOwner")) {
			/* it left meanwhile */
		} else {
			rep->stats = false;
			rep->stats_error = bus_error_text(&err, r);
		}
		m = sd_bus_message_unref(m);
	}
	if (rep->stats && call(bus, DBUS_STATS_IFACE, "GetAllMatchRules", &err, &m, NULL, NULL) >= 0 &&
	    sd_bus_message_enter_container(m, SD_BUS_TYPE_ARRAY, "{sas}") >= 0) {
		while (sd_bus_message_enter_container(m, SD_BUS_TYPE_DICT_ENTRY, "sas") > 0) {
			const char *who;
			char **rules = NULL;

			if (sd_bus_message_read(m, "s", &who) < 0 || sd_bus_message_read_strv(m, &rules) < 0)
				break;
			struct dbus_conn_rec *c = dbus_report_conn(rep, who);

			for (size_t i = 0; rules && rules[i]; i++) {
				if (c)
					strlist_add(&c->rules, rules[i], strlen(rules[i]));
				free(rules[i]);
			}
			free(rules);
			if (c)
				c->has_rules = true;
			if (sd_bus_message_exit_container(m) < 0)
				break;
		}
	}
	m = sd_bus_message_unref(m);
out:
	sd_bus_error_free(&err);
	for (char **n = names; n && *n; n++)
		free(*n);
	free(names);
	for (char **n = act; n && *n; n++)
		free(*n);
	free(act);
	sd_bus_flush_close_unref(bus);
}

/* The child: take the owner's identity if asked, read the bus, write the report. */
static void __attribute__((noreturn)) child_main(struct bus_job *job, int wfd)
{
	struct dbus_report rep = { 0 };
	struct strbuf out = { 0 };

	signal(SIGPIPE, SIG_DFL);
	child_progress_fd = wfd;
	if (job->switch_uid &&
	    (setgroups(0, NULL) < 0 || setresgid(job->gid, job->gid, job->gid) < 0 ||
	     setresuid(job->bus->owner, job->bus->owner, job->bus->owner) < 0)) {
		char *e = xasprintf(_("cannot take uid %u to authenticate to the bus: %s"),
				    (unsigned int)job->bus->owner, strerror(errno));

		dbus_report_write_error(&out, e);
		free(e);
	} else {
		child_read_bus(job, &rep);
		dbus_report_write(&out, &rep);
	}
	for (size_t off = 0; off < out.len;) {
		ssize_t w = write(wfd, out.s + off, out.len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	_exit(0);   /* no atexit handlers: they belong to the parent (terminal, ...) */
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start a child per bus, read every report until EOF or the deadline. */
static void run_jobs(struct bus_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int fds[2];

		if (!jobs[i].run)
			continue;
		if (pipe2(fds, O_CLOEXEC) < 0) {
			jobs[i].bus->error = xasprintf(_("cannot read the bus: pipe: %s"), strerror(errno));
			jobs[i].run = false;
			continue;
		}
		fflush(NULL);
		pid_t pid = fork();

		if (pid == 0) {
			close(fds[0]);
			child_main(&jobs[i], fds[1]);
		}
		close(fds[1]);
		if (pid < 0) {
			jobs[i].bus->error = xasprintf(_("cannot read the bus: fork: %s"), strerror(errno));
			close(fds[0]);
			jobs[i].run = false;
			continue;
		}
		jobs[i].child = pid;
		jobs[i].fd = fds[0];
	}

	int64_t start = now_ms();
	struct pollfd *pfd = xcalloc(n + 1, sizeof(*pfd));

	for (size_t i = 0; i < n; i++)
		jobs[i].last = start;
	for (;;) {
		size_t np = 0;
		int64_t now = now_ms(), wait = -1;

		/* children silent too long, or past the end, are given up */
		for (size_t i = 0; i < n; i++) {
			if (!jobs[i].run || jobs[i].fd < 0)
				continue;
			int64_t left = jobs[i].last + DBUS_IDLE_MS - now, total = start + DBUS_MAX_MS - now;

			if (total < left)
				left = total;
			if (left <= 0) {
				jobs[i].timed_out = true;
				jobs[i].too_long = total <= 0;
				close(jobs[i].fd);
				jobs[i].fd = -1;
				continue;
			}
			if (wait < 0 || left < wait)
				wait = left;
			pfd[np++] = (struct pollfd){ .fd = jobs[i].fd, .events = POLLIN };
		}
		if (np == 0)
			break;
		int r = poll(pfd, np, (int)wait);

		if (r < 0 && errno != EINTR)
			break;
		for (size_t k = 0; r > 0 && k < np; k++) {
			if (!pfd[k].revents)
				continue;
			struct bus_job *job = NULL;

			for (size_t i = 0; i < n && !job; i++)
				if (jobs[i].run && jobs[i].fd == pfd[k].fd)
					job = &jobs[i];
			char buf[8192];
			ssize_t got = read(job->fd, buf, sizeof(buf));

			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got > 0 && job->out.len + (size_t)got <= DBUS_REPORT_MAX) {
				strbuf_add(&job->out, buf, (size_t)got);
				job->last = now_ms();
				continue;
			}
			job->too_big = got > 0;
			close(job->fd);
			job->fd = -1;
		}
	}
	free(pfd);

	for (size_t i = 0; i < n; i++) {
		if (!jobs[i].run)
			continue;
		if (jobs[i].fd >= 0) {
			jobs[i].timed_out = true;
			close(jobs[i].fd);
			jobs[i].fd = -1;
		}
		if (jobs[i].timed_out || jobs[i].too_big)
			kill(jobs[i].child, SIGKILL);
		while (waitpid(jobs[i].child, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* A report's connections become objects, but for ipctop's own: its children may be
 * on one bus together (a bus found and the same given by address). */
static void add_connections(struct snapshot *snap, size_t bus_index, struct dbus_report *rep,
			    const struct bus_job *jobs, size_t njobs)
{
	struct dbus_bus *b = &snap->dbus_buses[bus_index];

	for (size_t i = 0; i < rep->nconns; i++) {
		struct dbus_conn_rec *c = &rep->conns[i];
		bool ours = c->has_pid && c->pid == (uint32_t)getpid();

		for (size_t j = 0; j < njobs && !ours; j++)
			ours = c->has_pid && jobs[j].run && c->pid == (uint32_t)jobs[j].child;
		if (ours)
			continue;

		struct ipc_object *o = snapshot_add(snap, KIND_DBUS);

		o->persistence = PERSIST_PROCESS;
		object_set_name(o, c->unique, strlen(c->unique));
		o->bus_index = bus_index;
		o->cpid = c->has_pid ? (pid_t)c->pid : 0;
		o->uid = c->uid;
		o->has_attr = c->has_uid;
		o->dbus_names = c->names;
		o->dbus_queued = c->queued;
		o->dbus_rules = c->rules;
		memset(&c->names, 0, sizeof(c->names));
		memset(&c->queued, 0, sizeof(c->queued));
		memset(&c->rules, 0, sizeof(c->rules));
		o->has_dbus_rules = c->has_rules;
		o->has_dbus_stats = c->has_stats;
		o->dbus_match_rules = c->match_rules;
		o->dbus_in_messages = c->in_messages;
		o->dbus_out_messages = c->out_messages;
		o->dbus_in_bytes = c->in_bytes;
		o->dbus_out_bytes = c->out_bytes;
		b->nconns++;
	}
}

void dbus_collect(struct snapshot *snap, const char *extra)
{
	snap->dbus_supported = true;
	find_buses(snap, extra);

	size_t n = snap->ndbus_buses;
	struct bus_job *jobs = xcalloc(n + 1, sizeof(*jobs));
	uid_t me = geteuid();

	for (size_t i = 0; i < n; i++) {
		struct dbus_bus *b = &snap->dbus_buses[i];

		jobs[i].bus = b;
		jobs[i].fd = -1;
		if (b->error)
			continue;
		if (b->has_owner && b->owner != me && strcmp(b->label, "system") != 0) {
			if (me != 0) {
				b->error = xasprintf(_("belongs to uid %u: only that user or root can read it"),
						     (unsigned int)b->owner);
				continue;
			}
			/* root: authenticate as the bus's user */
			if (b->ndaemons == 0 || proc_egid(b->daemon_pids[0], &jobs[i].gid) < 0) {
				b->error = xasprintf(_("cannot read the group of the daemon of uid %u"),
						     (unsigned int)b->owner);
				continue;
			}
			jobs[i].switch_uid = true;
			b->as_owner = true;
		}
		jobs[i].run = true;
	}
	run_jobs(jobs, n);

	for (size_t i = 0; i < n; i++) {
		struct dbus_bus *b = &snap->dbus_buses[i];
		struct dbus_report rep;

		if (jobs[i].run) {
			dbus_report_parse(jobs[i].out.s ? jobs[i].out.s : "", jobs[i].out.len, &rep);
			if (jobs[i].too_long)
				b->error = xasprintf(_("still answering after %.0f s: given up"),
						     DBUS_MAX_MS / 1000.0);
			else if (jobs[i].timed_out)
				b->error = xasprintf(_("no answer for %.0f s (is the daemon stopped or hung?)"),
						     DBUS_IDLE_MS / 1000.0);
			else if (jobs[i].too_big)
				b->error = xasprintf(_("the bus's report is larger than %u MiB"),
						     DBUS_REPORT_MAX >> 20);
			else if (rep.error)
				b->error = xstrdup(rep.error);
			else if (!rep.self)
				b->error = xstrdup(_("the reading process ended without a report"));
			if (!b->error) {
				b->reached = true;
				b->stats = rep.stats;
				b->stats_error = rep.stats_error ? xstrdup(rep.stats_error) : NULL;
				b->activatable = rep.activatable;
				memset(&rep.activatable, 0, sizeof(rep.activatable));
				b->bad = rep.bad;
				if (rep.bad)
					snapshot_note(snap, DBUS_SOURCE, _("%s: records of the report that could not be read: %zu"),
						      b->label, rep.bad);
				add_connections(snap, i, &rep, jobs, n);
			}
			dbus_report_free(&rep);
			free(jobs[i].out.s);
		}
		/* a bus that could not be read; no system bus at all is not a failure (the
		 * dbus section says so) */
		if (b->error && !b->absent)
			snapshot_note(snap, DBUS_SOURCE, "%s (%s): %s", b->label, b->address, b->error);
	}
	free(jobs);
}

#else /* !HAVE_SDBUS */

void dbus_collect(struct snapshot *snap, const char *extra)
{
	snap->dbus_supported = false;
	find_buses(snap, extra);
	for (size_t i = 0; i < snap->ndbus_buses; i++)
		if (!snap->dbus_buses[i].error)
			snap->dbus_buses[i].error = xstrdup(_("not read: ipctop was built without D-Bus "
							      "support (sd-bus)"));
	snapshot_note(snap, DBUS_SOURCE, _("ipctop was built without D-Bus support (sd-bus): "
					   "buses are listed, not read"));
}

#endif

/* A client socket of a bus: the pid holding it, its object, the daemon's end. */
struct bus_sock {
	pid_t pid;
	size_t bus;
	const struct ipc_object *client, *daemon;
};

static int bus_sock_cmp(const void *a, const void *b)
{
	const struct bus_sock *x = a, *y = b;

	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->client > y->client) - (x->client < y->client);
}

static bool held_by(const struct ipc_object *o, const pid_t *pids, size_t npids)
{
	for (size_t i = 0; i < o->nholders; i++)
		for (size_t j = 0; j < npids; j++)
			if (o->holders[i].pid == pids[j])
				return true;
	return false;
}

/* ":1.42", ":1.42 org.example.Foo", ":1.42 org.example.Foo +2" */
static char *conn_label(const struct ipc_object *o)
{
	if (o->dbus_names.n == 0)
		return xstrdup(o->name);
	if (o->dbus_names.n == 1)
		return xasprintf("%s %s", o->name, o->dbus_names.v[0]);
	return xasprintf("%s %s +%zu", o->name, o->dbus_names.v[0], o->dbus_names.n - 1);
}

/* The entries of v (sorted by bus_sock_cmp) for this pid on this bus: how many, and
 * the first in *first. */
static size_t bus_sock_run(const struct bus_sock *v, size_t n, pid_t pid, size_t bus, size_t *first)
{
	struct bus_sock key = { pid, bus, NULL, NULL };
	size_t lo = 0, hi = n, count = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (bus_sock_cmp(&v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + count < n && v[lo + count].bus == bus && v[lo + count].pid == pid)
		count++;
	return count;
}

void dbus_link(struct snapshot *snap)
{
	size_t nconn = 0;

	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		if (o->kind != KIND_DBUS)
			continue;
		o->bus = &snap->dbus_buses[o->bus_index];
		o->dbus_label = o->bus->label;
		if (o->cpid > 0) {
			const struct process *p = snapshot_process(snap, o->cpid);

			o->cpid_comm = p ? p->comm : NULL;
		}
		nconn++;
	}
	if (!nconn)
		return;

	/* every established socket a bus daemon holds: its peer is a client's socket */
	struct bus_sock *socks = NULL;
	size_t ns = 0, alloc = 0;

	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *d = &snap->objects[i];

		if (d->kind != KIND_UNIX || d->sock_state != TCP_ESTABLISHED || !d->peer_obj)
			continue;
		for (size_t b = 0; b < snap->ndbus_buses; b++) {
			const struct dbus_bus *bus = &snap->dbus_buses[b];

			if (!bus->ndaemons || !held_by(d, bus->daemon_pids, bus->ndaemons))
				continue;
			for (size_t h = 0; h < d->peer_obj->nholders; h++) {
				const struct holder *hd = &d->peer_obj->holders[h];

				if (h > 0 && hd[-1].pid == hd->pid)
					continue;       /* one entry per process */
				if (ns == alloc) {
					alloc = alloc ? alloc * 2 : 64;
					socks = xreallocarray(socks, alloc, sizeof(*socks));
				}
				socks[ns++] = (struct bus_sock){ hd->pid, b, d->peer_obj, d };
			}
		}
	}
	if (ns)
		qsort(socks, ns, sizeof(*socks), bus_sock_cmp);

	/* the connections by bus and pid, to count a process's connections on a bus */
	struct bus_sock *conns = xcalloc(nconn, sizeof(*conns));
	size_t nc = 0;

	for (size_t i = 0; i < snap->nobjects; i++)
		if (snap->objects[i].kind == KIND_DBUS)
			conns[nc++] = (struct bus_sock){ snap->objects[i].cpid, snap->objects[i].bus_index,
							 NULL, NULL };
	qsort(conns, nc, sizeof(*conns), bus_sock_cmp);

	for (size_t i = 0; i < snap->nobjects; i++) {
		struct ipc_object *o = &snap->objects[i];

		if (o->kind != KIND_DBUS || o->cpid <= 0 || !ns)
			continue;
		/* this process's sockets to the bus, and its connections on it */
		size_t lo, clo;
		size_t nsock = bus_sock_run(socks, ns, o->cpid, o->bus_index, &lo);
		size_t nsame = bus_sock_run(conns, nc, o->cpid, o->bus_index, &clo);

		o->count = nsock;
		/* FIXME: a process with several connections to one bus: which socket is
		 * which is not known (the daemon does not say), so none is joined */
		if (nsock != 1 || nsame != 1)
			continue;

		struct ipc_object *client = (struct ipc_object *)socks[lo].client;
		struct ipc_object *daemon = (struct ipc_object *)socks[lo].daemon;

		o->inode = client->inode;
		o->peer = daemon->inode;
		o->peer_obj = daemon;
		o->holders = client->holders;
		o->nholders = client->nholders;
		free(client->bus_name);
		free(daemon->bus_name);
		client->bus_name = conn_label(o);
		daemon->bus_name = conn_label(o);
	}
	free(conns);
	free(socks);
}
