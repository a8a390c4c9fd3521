/* The full-screen program's stress view of a generator run: per mechanism the live rate,
 * bandwidth, latency percentiles, workers' CPU and a sparkline of the last rates, and
 * the kernel's side of the same objects from the snapshot. Lines only (struct doc), no
 * curses. */
#ifndef IPCTOP_GEN_VIEW_H
#define IPCTOP_GEN_VIEW_H

#include <stdbool.h>

#include "detail.h"
#include "gen.h"
#include "snapshot.h"

#define GEN_SPARK 24            /* samples in a sparkline */

struct gen_view {
	struct gen_run *run;
	int state;                  /* gen_poll's last answer */
	bool stopped;               /* stopped before its end (G) */
	double t_last;              /* time of the last sample, 0 none */
	uint64_t last[GEN_MECH_COUNT];
	double cpu_last[GEN_MECH_COUNT];
	double rate[GEN_MECH_COUNT][GEN_SPARK];
	double cpu_pct[GEN_MECH_COUNT];
	unsigned int nsamples;
};

/* Take the rates since the last sample (at each refresh). */
void gen_view_sample(struct gen_view *v);
void doc_stress(struct doc *d, const struct snapshot *snap, const struct gen_view *v, bool utf8);

#endif
