/* Processes, through libproc2: identity, command line, namespaces and start time. */
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nls.h"
#include "parse.h"
#include "proc2compat.h"
#include "snapshot.h"
#include "util.h"
#include "xalloc.h"

enum { P_PID, P_PPID, P_EUID, P_STATE, P_CMD, P_START };

static enum pids_item proc_items[] = {
	[P_PID] = PIDS_ID_PID,
	[P_PPID] = PIDS_ID_PPID,
	[P_EUID] = PIDS_ID_EUID,
	[P_STATE] = PIDS_STATE,
	[P_CMD] = PIDS_CMD,
	[P_START] = PIDS_TICS_BEGAN,
};

/* Boot time in seconds since the epoch ("btime" of /proc/stat), 0 if unknown. */
static int64_t boot_time(void)
{
	size_t len;
	char *buf = read_file_at(-1, "/proc/stat", 1u << 20, &len);
	int64_t t = 0;

	if (!buf)
		return 0;
	/* "btime" is never the first line */
	const char *line = strstr(buf, "\nbtime ");

	if (line) {
		line += 7;
		if (parse_i64(line, strcspn(line, "\n"), &t) < 0)
			t = 0;
	}
	free(buf);
	return t;
}

static int process_cmp(const void *a, const void *b)
{
	const struct process *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

char *proc_cmdline(pid_t pid)
{
	char path[32];
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	char *buf = read_file_at(-1, path, 1u << 20, &len);

	if (!buf || len == 0) {
		free(buf);
		return NULL;
	}
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return buf;
}

/* The command as the kernel has it. libproc2 writes control characters in it as '?'
 * (for a terminal); ipctop escapes what it shows itself, and JSON should have the
 * exact bytes. Only the final newline of /proc/PID/comm is not the command's. */
static char *proc_comm(pid_t pid)
{
	char path[32];
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	char *buf = read_file_at(-1, path, 64, &len);

	if (!buf)
		return NULL;
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	char *comm = xstrdup(buf);      /* not the whole read buffer */

	free(buf);
	return comm;
}

void procs_collect(struct snapshot *snap, const pid_t *pids, size_t npids)
{
	struct pids_info *info = NULL;
	int n = (int)(sizeof(proc_items) / sizeof(proc_items[0]));

	if (procps_pids_new(&info, proc_items, n) < 0) {
		snapshot_note(snap, "/proc", _("cannot read processes (libproc2): commands of pids unknown"));
		return;
	}
	struct pids_fetch *f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);

	if (!f) {
		snapshot_note(snap, "/proc", _("cannot read processes (libproc2): commands of pids unknown"));
		procps_pids_unref(&info);
		return;
	}
	size_t total = f->counts->total > 0 ? (size_t)f->counts->total : 0;
	long hz = sysconf(_SC_CLK_TCK);

	snap->boot_time = boot_time();

	snap->procs = xcalloc(total + 1, sizeof(*snap->procs));
	for (size_t i = 0; i < total; i++) {
		struct pids_stack *s = f->stacks[i];
		struct process *p = &snap->procs[snap->nprocs];
		const char *cmd = IPCTOP_PIDS_VAL(P_CMD, str, s, info);

		p->pid = IPCTOP_PIDS_VAL(P_PID, s_int, s, info);
		p->ppid = IPCTOP_PIDS_VAL(P_PPID, s_int, s, info);
		p->euid = IPCTOP_PIDS_VAL(P_EUID, u_int, s, info);
		p->state = IPCTOP_PIDS_VAL(P_STATE, s_ch, s, info);
		p->comm = cmd && strchr(cmd, '?') ? proc_comm(p->pid) : NULL;
		if (!p->comm)
			p->comm = xstrdup(cmd ? cmd : "");
		p->start_time = hz > 0 ? snap->boot_time +
			(int64_t)(IPCTOP_PIDS_VAL(P_START, ull_int, s, info) / (unsigned long long)hz) : 0;
		snap->nprocs++;
	}
	procps_pids_unref(&info);
	qsort(snap->procs, snap->nprocs, sizeof(*snap->procs), process_cmp);

	/* command lines only for the processes asked about: reading one takes the
	 * process's mmap lock, which can stall behind a busy process */
	for (size_t i = 0; i < npids; i++) {
		struct process *p = (struct process *)snapshot_process(snap, pids[i]);

		if (p && !p->cmdline)
			p->cmdline = proc_cmdline(p->pid);
	}
}

const struct process *snapshot_process(const struct snapshot *snap, pid_t pid)
{
	struct process key = { .pid = pid };

	if (!snap->nprocs)
		return NULL;
	return bsearch(&key, snap->procs, snap->nprocs, sizeof(*snap->procs), process_cmp);
}

const struct process *snapshot_process_at(const struct snapshot *snap, pid_t pid, int64_t t)
{
	const struct process *p = snapshot_process(snap, pid);

	/* start times are whole seconds from the boot time: allow one second of rounding */
	if (p && t > 0 && p->start_time > 0 && p->start_time > t + 1)
		return NULL;
	return p;
}
