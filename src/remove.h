/* Removing objects, as ipcrm does it, but only after checking that the object is still
 * the one the snapshot showed. Shared by --remove, --remove-stale and the full-screen
 * program. */
#ifndef IPCTOP_REMOVE_H
#define IPCTOP_REMOVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* Whether this object can be removed at all (kind supports it and it has a name/id/path).
 * If not, *why (when why != NULL) gets an untranslated static reason, e.g. "pipes have no
 * name to remove". */
bool removal_supported(const struct ipc_object *o, const char **why);

/* What removal means for this object, translated, one or two sentences, in buf. */
const char *removal_meaning(const struct ipc_object *o, char *buf, size_t len);

/* A one-line description of the object for dialogs and logs: "SysV shared memory
 * segment id 32769 key 0x0000abcd", "POSIX message queue /name" (names escaped with
 * text_escape, never raw bytes). Translated. malloc'd. */
char *removal_describe(const struct ipc_object *o, bool utf8);

/* Whether this process would be allowed to remove o (its owner, creator or the
 * capability the kernel asks for). If not, msg gets the operation and the reason,
 * translated, e.g. "IPC_RMID would be refused: permission denied (owner uid 0, creator
 * uid 0; you are uid 65534)". Files outside /dev/shm and the mqueue filesystem: true (the
 * attempt tells). */
bool removal_permitted(const struct ipc_object *o, char *msg, size_t len);

/* Re-read the object right before acting and act only if it is still the same one; then
 * remove it. Returns 0, or -1 with msg filled with which object, which operation and why.
 * Every removal, done or refused, is logged with syslog(LOG_AUTHPRIV | LOG_NOTICE) naming
 * the real user and the object. */
int remove_object(const struct ipc_object *o, char *msg, size_t len);

/* Also refuse when the object was used since the snapshot: a SysV object whose times
 * (or a segment whose attachments) changed, a POSIX queue whose modification time did.
 * For removing what looked stale. */
#define REMOVE_IF_UNUSED 1u

/* remove_object() with REMOVE_* flags. */
int remove_object_flags(const struct ipc_object *o, unsigned int flags, char *msg, size_t len);

/* One object named on the command line: KIND:ID, KIND:key:KEY, KIND:NAME or KIND:PATH. */
struct remove_spec {
	enum ipc_kind kind;
	bool by_key;            /* SysV: key instead of id */
	int id;
	int32_t key;
	char *name;             /* POSIX name without the leading '/', or an absolute path */
	size_t name_len;
};

/* Parse a spec. Returns 0, or -1 with a translated message in err saying which part is
 * wrong (without the spec itself, which the caller names). Kinds: the kind names of
 * --only (sysv_msg ... unix) and the aliases msg, shm, sem (as ipcrm's old syntax). */
int remove_spec_parse(const char *s, struct remove_spec *out, char *err, size_t len);
void remove_spec_free(struct remove_spec *sp);
/* Whether the object is the one the spec names. */
bool remove_spec_match(const struct remove_spec *sp, const struct ipc_object *o);
/* Whether two objects of a snapshot are the same removable thing (the same id, or the
 * same file: a listening socket and its accepted connections share one path). */
bool removal_same_target(const struct ipc_object *a, const struct ipc_object *b);

#endif
