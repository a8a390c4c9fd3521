/* Snapshots collected in a worker thread, so the full-screen program answers keys
 * while a collection runs. The worker never touches curses; it only fills snapshots. */
#ifndef IPCTOP_COLLECTOR_H
#define IPCTOP_COLLECTOR_H

#include <stdbool.h>

#include "panes.h"
#include "snapshot.h"

struct collector;

/* Start the worker; it waits for collector_request(). opts must outlive it. */
struct collector *collector_start(const struct collect_opts *opts);
/* Readable when a snapshot is ready (for poll). */
int collector_fd(const struct collector *c);
/* The newest finished snapshot, or NULL; *ix gets its identity index, built by the
 * worker too. Give both back with collector_discard(). */
struct snapshot *collector_take(struct collector *c, struct ident_index *ix);
/* Free a snapshot and its index in the worker, off the main thread (NULL is fine). */
void collector_discard(struct collector *c, struct snapshot *snap, struct ident_index *ix);
/* The collections to come also read this process's command line (0: none more). */
void collector_set_cmdline_pid(struct collector *c, pid_t pid);
/* Collect now; asked during a collection, another follows it. */
void collector_request(struct collector *c);
/* Whether a collection is running or asked for. */
bool collector_busy(struct collector *c);
/* Wait for a running collection to end, stop the worker, free everything. */
void collector_stop(struct collector *c);

#endif
