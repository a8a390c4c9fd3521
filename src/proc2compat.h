/* The one place that knows libproc2's PIDS_VAL signature changed in 4.0.5. */
#ifndef IPCTOP_PROC2COMPAT_H
#define IPCTOP_PROC2COMPAT_H

#include "config.h"
#include <libproc2/pids.h>

#ifdef HAVE_PIDS_VAL_4ARGS
# define IPCTOP_PIDS_VAL(rel, type, stack, info) PIDS_VAL(rel, type, stack, info)
#else
# define IPCTOP_PIDS_VAL(rel, type, stack, info) PIDS_VAL(rel, type, stack)
#endif

#endif
