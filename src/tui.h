#ifndef IPCTOP_TUI_H
#define IPCTOP_TUI_H

#include "render.h"
#include "snapshot.h"

/* The full-screen program; returns the exit status. */
int tui_run(const struct collect_opts *co, const struct render_opts *ro, double delay);

#endif
