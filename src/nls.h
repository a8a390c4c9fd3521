/* Gettext wrappers: every user-visible string goes through _(). */
#ifndef IPCTOP_NLS_H
#define IPCTOP_NLS_H

#include "config.h"

#if ENABLE_NLS
# include <libintl.h>
# define _(s) gettext(s)
#else
# define _(s) (s)
# define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

#endif
