/* Processes, through libproc2: pid, ppid, effective uid, state and command name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nls.h"
#include "proc2compat.h"
#include "snapshot.h"
#include "xalloc.h"

enum { P_PID, P_PPID, P_EUID, P_STATE, P_CMD };

static enum pids_item proc_items[] = {
	[P_PID] = PIDS_ID_PID,
	[P_PPID] = PIDS_ID_PPID,
	[P_EUID] = PIDS_ID_EUID,
	[P_STATE] = PIDS_STATE,
	[P_CMD] = PIDS_CMD,
};

static int process_cmp(const void *a, const void *b)
{
	const struct process *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void procs_collect(struct snapshot *snap)
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

	snap->procs = xcalloc(total + 1, sizeof(*snap->procs));
	for (size_t i = 0; i < total; i++) {
		struct pids_stack *s = f->stacks[i];
		struct process *p = &snap->procs[snap->nprocs];
		const char *cmd = IPCTOP_PIDS_VAL(P_CMD, str, s, info);

		p->pid = IPCTOP_PIDS_VAL(P_PID, s_int, s, info);
		p->ppid = IPCTOP_PIDS_VAL(P_PPID, s_int, s, info);
		p->euid = IPCTOP_PIDS_VAL(P_EUID, u_int, s, info);
		p->state = IPCTOP_PIDS_VAL(P_STATE, s_ch, s, info);
		p->comm = xstrdup(cmd ? cmd : "");
		snap->nprocs++;
	}
	procps_pids_unref(&info);
	qsort(snap->procs, snap->nprocs, sizeof(*snap->procs), process_cmp);
}

const struct process *snapshot_process(const struct snapshot *snap, pid_t pid)
{
	struct process key = { .pid = pid };

	if (!snap->nprocs)
		return NULL;
	return bsearch(&key, snap->procs, snap->nprocs, sizeof(*snap->procs), process_cmp);
}
