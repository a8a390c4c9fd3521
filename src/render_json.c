/* Batch JSON: one document per snapshot; the schema is in man/ipctop.8. */
#include "config.h"

#include <inttypes.h>
#include <sys/sysmacros.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "render.h"
#include "util.h"
#include "xalloc.h"

static void json_str(FILE *f, const char *s)
{
	json_write_string(f, s, strlen(s));
}

static void json_strlist(FILE *f, const struct strlist *l);

static void json_sems(FILE *f, const struct ipc_object *o)
{
	fputc('[', f);
	for (size_t i = 0; i < o->count; i++) {
		const struct sem_value *s = &o->sems[i];

		fprintf(f, "%s{\"num\": %zu, \"value\": %d, \"ncnt\": %d, \"zcnt\": %d, \"pid\": ",
			i ? ", " : "", i, s->value, s->ncnt, s->zcnt);
		if (s->pid > 0)
			fprintf(f, "%d}", (int)s->pid);
		else
			fputs("null}", f);
	}
	fputc(']', f);
}

/* The value of key: bytes as a JSON string, followed by "key_hex" with the exact
 * bytes when they are not UTF-8. */
static void json_bytes_value(FILE *f, const char *key, const char *s, size_t len)
{
	if (!json_write_string(f, s, len)) {
		char *hex = hex_encode(s, len);

		fprintf(f, ", \"%s_hex\": \"%s\"", key, hex);
		free(hex);
	}
}

/* ", key: value" */
static void json_bytes(FILE *f, const char *key, const char *s, size_t len)
{
	fputs(", ", f);
	json_str(f, key);
	fputs(": ", f);
	json_bytes_value(f, key, s, len);
}

static void json_holders(FILE *f, const struct snapshot *snap, const struct holder *h, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		const struct process *p = snapshot_process(snap, h[i].pid);

		fprintf(f, "%s{\"pid\": %d", i ? ", " : "", (int)h[i].pid);
		if (p) {
			const char *user = user_name(p->euid);

			json_bytes(f, "command", p->comm, strlen(p->comm));
			if (user)
				json_bytes(f, "user", user, strlen(user));
			else
				fprintf(f, ", \"user\": \"%u\"", (unsigned int)p->euid);
		} else {
			fputs(", \"command\": null, \"user\": null", f);
		}
		if (h[i].fd >= 0)
			fprintf(f, ", \"fd\": %d, \"address\": null", h[i].fd);
		else
			fprintf(f, ", \"fd\": null, \"address\": \"%08" PRIx64 "-%08" PRIx64 "\"",
				h[i].start, h[i].end);
		fprintf(f, ", \"access\": \"%s\"", access_name(h[i].access));
		if (end_name(h[i].role))
			fprintf(f, ", \"end\": \"%s\"}", end_name(h[i].role));
		else
			fputs(", \"end\": null}", f);
	}
	fputc(']', f);
}

static void json_object(FILE *f, const struct snapshot *snap, const struct ipc_object *o)
{
	const struct kind_class *kc = &kind_classes[o->kind];

	fprintf(f, "{\"kind\": ");
	json_str(f, kc->name);
	for (const int *c = kc->columns; *c >= 0; c++) {
		struct cell v;

		column_value(*c, o, &v);
		fputs(", ", f);
		json_str(f, columns[*c].name);
		fputs(": ", f);
		switch (v.type) {
		case CELL_NULL:
			fputs("null", f);
			break;
		case CELL_INT:
			fprintf(f, "%" PRId64, v.i);
			break;
		case CELL_UINT:
			fprintf(f, "%" PRIu64, v.u);
			break;
		case CELL_BOOL:
			fputs(v.b ? "true" : "false", f);
			break;
		case CELL_STR:
			json_str(f, v.s);
			break;
		case CELL_BYTES:
			json_bytes_value(f, columns[*c].name, v.s, v.len);
			break;
		case CELL_SEMS:
			json_sems(f, o);
			break;
		case CELL_HOLDERS:
			json_holders(f, snap, v.holders, v.nholders);
			break;
		case CELL_STALE:
			if (!o->stale) {
				fputs("null", f);
				break;
			}
			fputs("{\"reason\": ", f);
			json_str(f, o->stale_reason);
			if (o->stale_since > 0)
				fprintf(f, ", \"since\": %" PRId64 "}", o->stale_since);
			else
				fputs(", \"since\": null}", f);
			break;
		case CELL_SIGSET: {
			char tmp[16];
			bool first = true;

			fputc('[', f);
			for (int sig = 1; sig <= 64; sig++) {
				if (!(v.u & (1ULL << (sig - 1))))
					continue;
				fputs(first ? "" : ", ", f);
				json_str(f, signal_name(sig, tmp, sizeof(tmp)));
				first = false;
			}
			fputc(']', f);
			break;
		}
		case CELL_INODES:
			fputc('[', f);
			for (size_t i = 0; i < o->npending; i++)
				fprintf(f, "%s%" PRIu64, i ? ", " : "", o->pending[i]);
			fputc(']', f);
			break;
		case CELL_TARGETS:
			fputc('[', f);
			for (size_t i = 0; i < o->ntargets; i++) {
				const struct epoll_watch *t = &o->targets[i];

				fprintf(f, "%s{\"fd\": %d, \"events\": %" PRIu32 ", \"inode\": ", i ? ", " : "",
					t->fd, t->events);
				if (t->inode)
					fprintf(f, "%" PRIu64 ", \"dev\": \"%u:%u\"}", t->inode, major(t->dev),
						minor(t->dev));
				else
					fputs("null, \"dev\": null}", f);
			}
			fputc(']', f);
			break;
		case CELL_STRLIST:
			json_strlist(f, v.list);
			break;
		case CELL_WATCHES:
			fputc('[', f);
			for (size_t i = 0; i < o->nwatches; i++) {
				const struct watch *w = &o->watches[i];

				fprintf(f, "%s{\"wd\": %d, \"inode\": %" PRIu64 ", \"dev\": \"%u:%u\", "
					"\"mask\": %" PRIu32, i ? ", " : "", w->wd, w->inode,
					major(w->dev), minor(w->dev), w->mask);
				if (w->path)
					json_bytes(f, "path", w->path, strlen(w->path));
				else
					fputs(", \"path\": null", f);
				fputc('}', f);
			}
			fputc(']', f);
			break;
		}
	}
	fputc('}', f);
}

/* --pid: each process asked for, null when it is not running. */
static void json_processes(FILE *f, const struct snapshot *snap, const struct render_opts *ro)
{
	fputs("  \"processes\": [", f);
	for (size_t i = 0; i < ro->npids; i++) {
		const struct process *p = snapshot_process(snap, ro->pids[i]);

		fprintf(f, "%s\n    {\"pid\": %d", i ? "," : "", (int)ro->pids[i]);
		if (!p) {
			fputs(", \"running\": false}", f);
			continue;
		}
		const char *user = user_name(p->euid);

		fprintf(f, ", \"running\": true, \"ppid\": %d", (int)p->ppid);
		json_bytes(f, "command", p->comm, strlen(p->comm));
		if (p->cmdline)
			json_bytes(f, "cmdline", p->cmdline, strlen(p->cmdline));
		else
			fputs(", \"cmdline\": null", f);
		fprintf(f, ", \"uid\": %u", (unsigned int)p->euid);
		if (user)
			json_bytes(f, "user", user, strlen(user));
		else
			fputs(", \"user\": null", f);
		fprintf(f, ", \"state\": \"%c\", \"readable\": %s", p->state ? p->state : '?',
			p->unreadable ? "false" : "true");
		if (p->ns_ipc)
			fprintf(f, ", \"ipc_ns\": %" PRIu64, p->ns_ipc);
		else
			fputs(", \"ipc_ns\": null", f);
		if (p->ns_mnt)
			fprintf(f, ", \"mnt_ns\": %" PRIu64 "}", p->ns_mnt);
		else
			fputs(", \"mnt_ns\": null}", f);
	}
	fputs("\n  ],\n", f);
}

static void json_strlist(FILE *f, const struct strlist *l)
{
	fputc('[', f);
	for (size_t i = 0; i < l->n; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, l->v[i]);
	}
	fputc(']', f);
}

static void json_opt_str(FILE *f, const char *key, const char *s)
{
	fprintf(f, ", \"%s\": ", key);
	if (s)
		json_str(f, s);
	else
		fputs("null", f);
}

/* "dbus": whether ipctop can read buses, and each bus found; the connections are
 * objects of kind "dbus". */
static void json_dbus(FILE *f, const struct snapshot *snap)
{
	fprintf(f, "  \"dbus\": {\"supported\": %s, \"buses\": [", snap->dbus_supported ? "true" : "false");
	for (size_t i = 0; i < snap->ndbus_buses; i++) {
		const struct dbus_bus *b = &snap->dbus_buses[i];

		fprintf(f, "%s\n    {\"bus\": ", i ? "," : "");
		json_str(f, b->label);
		json_opt_str(f, "address", b->address);
		json_opt_str(f, "path", b->path);
		if (b->listen_inode)
			fprintf(f, ", \"listen_inode\": %" PRIu64, b->listen_inode);
		else
			fputs(", \"listen_inode\": null", f);
		fputs(", \"daemons\": [", f);
		for (size_t d = 0; d < b->ndaemons; d++) {
			const struct process *p = snapshot_process(snap, b->daemon_pids[d]);

			fprintf(f, "%s{\"pid\": %d", d ? ", " : "", (int)b->daemon_pids[d]);
			if (p)
				json_bytes(f, "command", p->comm, strlen(p->comm));
			else
				fputs(", \"command\": null", f);
			fputc('}', f);
		}
		fputc(']', f);
		if (b->has_owner)
			fprintf(f, ", \"owner_uid\": %u", (unsigned int)b->owner);
		else
			fputs(", \"owner_uid\": null", f);
		fprintf(f, ", \"read_as_owner\": %s, \"reached\": %s", b->as_owner ? "true" : "false",
			b->reached ? "true" : "false");
		json_opt_str(f, "error", b->error);
		if (b->reached)
			fprintf(f, ", \"connections\": %zu, \"stats\": %s", b->nconns, b->stats ? "true" : "false");
		else
			fputs(", \"connections\": null, \"stats\": null", f);
		json_opt_str(f, "stats_error", b->stats_error);
		fputs(", \"activatable\": ", f);
		json_strlist(f, &b->activatable);
		fputc('}', f);
	}
	fprintf(f, "%s]},\n", snap->ndbus_buses ? "\n  " : "");
}

void render_json(FILE *f, const struct snapshot *snap, const struct render_opts *ro)
{
	char when[64];
	struct tm tm;
	time_t now = snap->taken.tv_sec;

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		when[0] = '\0';

	fprintf(f, "{\n  \"schema_version\": %d,\n  \"time\": \"%s\",\n  \"time_unix\": %lld,\n",
		JSON_SCHEMA_VERSION, when, (long long)now);
	fputs("  \"hostname\": ", f);
	json_bytes_value(f, "hostname", snap->hostname, strlen(snap->hostname));
	fputs(",\n  \"limits\": {", f);
	for (size_t i = 0; i < snap->nlimits; i++) {
		const struct ipc_limit *l = &snap->limits[i];

		fprintf(f, "%s\n    ", i ? "," : "");
		json_str(f, l->name);
		fputs(": {\"description\": ", f);
		json_str(f, l->description);
		fputs(", \"unit\": ", f);
		json_str(f, l->unit);
		if (l->has_limit)
			fprintf(f, ", \"limit\": %" PRIu64, l->limit);
		else
			fputs(", \"limit\": null", f);
		if (l->has_used)
			fprintf(f, ", \"used\": %" PRIu64 "}", l->used);
		else
			fputs(", \"used\": null}", f);
	}
	fputs("\n  },\n  \"notes\": [", f);
	for (size_t i = 0; i < snap->nnotes; i++) {
		fprintf(f, "%s\n    {\"source\": ", i ? "," : "");
		json_str(f, snap->notes[i].source);
		fputs(", \"message\": ", f);
		json_str(f, snap->notes[i].message);
		fputc('}', f);
	}
	fprintf(f, "%s],\n", snap->nnotes ? "\n  " : "");
	if (snap->holders_scanned)
		fprintf(f, "  \"processes_unreadable\": %zu,\n", snap->procs_unreadable);
	else
		fputs("  \"processes_unreadable\": null,\n", f);
	if (ro->npids)
		json_processes(f, snap, ro);
	if (ro->kinds & KIND_BIT(KIND_DBUS))
		json_dbus(f, snap);
	fputs("  \"objects\": [", f);

	bool first = true;

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(ro->kinds & (1u << k)))
			continue;
		int sort = ro->sort_name ? kind_column_by_name((enum ipc_kind)k, ro->sort_name) : -1;
		size_t n;
		const struct ipc_object **rows = kind_rows(snap, (enum ipc_kind)k, sort, ro->reverse, ro->pids, ro->npids, &n);

		for (size_t i = 0; i < n; i++) {
			fputs(first ? "\n    " : ",\n    ", f);
			json_object(f, snap, rows[i]);
			first = false;
		}
		free(rows);
	}
	fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
}
