/* Command-line values: strict parsers shared by main and the fuzz targets. */
#ifndef IPCTOP_OPTIONS_H
#define IPCTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* A positive decimal number of seconds, at most max; returns 0 or -1. */
int parse_seconds(const char *s, double max, double *out);
/* A positive integer at most max; returns 0 or -1. */
int parse_count(const char *s, long max, long *out);
/* A comma-separated list of kind names or groups (sysv, posix, events, shm, all) into a
 * bit mask.
 * On error returns -1 and points *bad at the offending name (malloc'd; "" when a
 * name is empty). */
int parse_kinds(const char *s, unsigned int *mask, char **bad);
/* Split a comma-separated list; returns the count and a malloc'd array of
 * malloc'd strings, or -1 when an element is empty. */
int split_list(const char *s, char ***out, size_t *n);
void free_list(char **list, size_t n);

#endif
