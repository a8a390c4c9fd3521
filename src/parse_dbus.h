/* What a D-Bus bus told ipctop, as the collecting child writes it down and the parent
 * reads it back: one record per line, fields separated by tabs, '\\', tab and newline
 * escaped. Pure: buffers in, records out, so it is unit-tested and fuzzed. */
#ifndef IPCTOP_PARSE_DBUS_H
#define IPCTOP_PARSE_DBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snapshot.h"
#include "strbuf.h"

/* One connection to the bus. */
struct dbus_conn_rec {
	char *unique;                   /* ":1.42" */
	bool has_pid, has_uid;
	uint32_t pid, uid;
	struct strlist names;           /* well-known names it owns (primary owner) */
	struct strlist queued;          /* names it waits in the queue for */
	bool has_stats;                 /* org.freedesktop.DBus.Debug.Stats answered for it */
	uint32_t match_rules, in_messages, out_messages, in_bytes, out_bytes;
	bool has_rules;                 /* GetAllMatchRules answered */
	struct strlist rules;
};

struct dbus_report {
	char *error;                    /* why the bus could not be read, NULL if it was */
	char *self;                     /* ipctop's own unique name on the bus */
	struct dbus_conn_rec *conns;
	size_t nconns, alloc;
	struct strlist activatable;     /* activatable names with no owner */
	bool stats;                     /* the daemon's statistics interface answered */
	char *stats_error;              /* why not, when it did not */
	size_t bad;                     /* lines that could not be read */
};

void strlist_add(struct strlist *l, const char *s, size_t len);
void strlist_free(struct strlist *l);

/* Writers: one record each, appended to b. */
void dbus_report_write_error(struct strbuf *b, const char *error);
void dbus_report_write(struct strbuf *b, const struct dbus_report *r);

/* Parse a whole report; records that do not read are counted in r->bad. Always
 * returns 0; r must be freed with dbus_report_free(). */
int dbus_report_parse(const char *buf, size_t len, struct dbus_report *r);
void dbus_report_free(struct dbus_report *r);
/* The connection with this unique name, or NULL. */
struct dbus_conn_rec *dbus_report_conn(struct dbus_report *r, const char *unique);
struct dbus_conn_rec *dbus_report_add_conn(struct dbus_report *r, const char *unique, size_t len);

/* A D-Bus address value: bytes outside [-0-9A-Za-z_/.\*] as %XX. malloc'd. */
char *dbus_address_escape(const char *s, size_t len);
/* The two numbers of a unique name ":A.B" (0 when not of that form). */
void dbus_unique_numbers(const char *unique, uint64_t *a, uint64_t *b);

#endif
