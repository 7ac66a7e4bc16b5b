/* membership.h — what the zone-membership parsers (zones, ipsec, interfaces, hosts) share with each other and with their tests. */
#ifndef SHOREWALL_MEMBERSHIP_H
#define SHOREWALL_MEMBERSHIP_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;
struct keyword;
struct zone;

/* Which of a zone's three option columns a list came from: OPTIONS applies both ways. */
enum zone_opt_column { ZOC_BOTH, ZOC_IN, ZOC_OUT };

/* Parse one OPTIONS / IN_OPTIONS / OUT_OPTIONS list (zones file 5.2, ipsec file 2.2) into z:
 * policy-match options (only when z is an ipsec zone, or allow_policy for a 2.2 mixed zone), mss=,
 * nomark, dynamic_shared, blacklist. Reports every problem at loc; returns false if it reported one. */
bool zones_parse_options(struct compile *c, const struct loc *loc, struct zone *z,
			 enum zone_opt_column col, const char *text, bool allow_policy);

/* The keyword tables, for the unit tests' order assertions. */
const struct keyword *zones_type_table(size_t *n);
const struct keyword *zones_option_table(size_t *n);
const struct keyword *zones_reserved_table(size_t *n);
const struct keyword *ipsec_only_table(size_t *n);
const struct keyword *interfaces_option_table(size_t *n);
const struct keyword *hosts_option_table(size_t *n);

#endif /* SHOREWALL_MEMBERSHIP_H */
