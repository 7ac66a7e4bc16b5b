/* stopped.h — what stoppedrules.c and routestopped.c share, and their tables for the unit tests. */
#ifndef SHOREWALL_STOPPED_H
#define SHOREWALL_STOPPED_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;
struct keyword;

/* Check PROTO / DPORT / SPORT: a comma list of protocols, each checked with the ports by
 * netcheck_proto_ports. Reports each problem at loc; false if there was one. Any may be NULL. */
bool stopped_check_proto(struct compile *c, const struct loc *loc, const char *proto, const char *dports,
			 const char *sports);

/* The keyword tables of stoppedrules.c, routestopped.c and modules.c, i-th or NULL past the end. */
const struct keyword *stopped_keyword_table(size_t i, size_t *n, bool *nocase);
const struct keyword *routestopped_keyword_table(size_t i, size_t *n, bool *nocase);
const struct keyword *modules_keyword_table(size_t i, size_t *n, bool *nocase);

#endif /* SHOREWALL_STOPPED_H */
