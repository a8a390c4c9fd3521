/* Batch JSON: one document per snapshot; the schema is in man/ipctop.8. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "columns.h"
#include "escape.h"
#include "nls.h"
#include "render.h"
#include "xalloc.h"

static void json_str(FILE *f, const char *s)
{
	json_write_string(f, s, strlen(s));
}

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

static void json_object(FILE *f, const struct ipc_object *o)
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
			if (!json_write_string(f, v.s, v.len)) {
				/* not UTF-8: give the exact bytes too */
				char *hex = hex_encode(v.s, v.len);

				fprintf(f, ", \"%s_hex\": \"%s\"", columns[*c].name, hex);
				free(hex);
			}
			break;
		case CELL_SEMS:
			json_sems(f, o);
			break;
		}
	}
	fputc('}', f);
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
	if (!json_write_string(f, snap->hostname, strlen(snap->hostname))) {
		char *hex = hex_encode(snap->hostname, strlen(snap->hostname));

		fprintf(f, ",\n  \"hostname_hex\": \"%s\"", hex);
		free(hex);
	}
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
	fprintf(f, "%s],\n  \"objects\": [", snap->nnotes ? "\n  " : "");

	bool first = true;

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(ro->kinds & (1u << k)))
			continue;
		int sort = ro->sort_name ? kind_column_by_name((enum ipc_kind)k, ro->sort_name) : -1;
		size_t n;
		const struct ipc_object **rows = kind_rows(snap, (enum ipc_kind)k, sort, ro->reverse, &n);

		for (size_t i = 0; i < n; i++) {
			fputs(first ? "\n    " : ",\n    ", f);
			json_object(f, rows[i]);
			first = false;
		}
		free(rows);
	}
	fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
}
