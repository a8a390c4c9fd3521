/* Renderers: they only read the snapshot. */
#ifndef IPCTOP_RENDER_H
#define IPCTOP_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "snapshot.h"

#define JSON_SCHEMA_VERSION 1

struct render_opts {
	unsigned int kinds;          /* 1u << KIND_* to show */
	const char *sort_name;       /* column name, or NULL for each kind's default */
	bool reverse;
	char **columns;              /* text: column names to show, NULL for defaults */
	size_t ncolumns;
	bool columns_add;            /* the names are added to the defaults */
	bool utf8;                   /* the output may carry UTF-8 */
	pid_t *pids;                 /* --pid: only what these processes take part in */
	size_t npids;
	size_t metrics_top;          /* prometheus: the deepest queues, fullest listeners shown */
};

void render_text(FILE *f, const struct snapshot *snap, const struct render_opts *ro);
void render_json(FILE *f, const struct snapshot *snap, const struct render_opts *ro);
/* The Prometheus text exposition format (node_exporter's textfile collector). */
void render_prometheus(FILE *f, const struct snapshot *snap, const struct render_opts *ro);

#endif
