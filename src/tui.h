#ifndef IPCTOP_TUI_H
#define IPCTOP_TUI_H

#include <stdbool.h>

#include "render.h"
#include "snapshot.h"

struct tui_opts {
	double delay;           /* seconds between snapshots */
	bool readonly;          /* --readonly: no removal */
	bool monochrome;        /* --no-color, or NO_COLOR set */
};

/* The full-screen program; returns the exit status. */
int tui_run(const struct collect_opts *co, const struct render_opts *ro,
	    const struct tui_opts *to);

#endif
