/* rate.h — RATE (5.2) and LIMIT:BURST (2.2) columns: `[s:|d:][name:]N[/unit][:burst][,second]`. */
#ifndef SHOREWALL_RATE_H
#define SHOREWALL_RATE_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "keyword.h"

struct compile;
struct rate;

/* Parse a rate column into an arena struct rate (a second limit after a comma is chained on
 * ->next; with two, the first is per source address and the second per destination, as in
 * Shorewall). Reports `Invalid rate (x)` at loc and returns false on anything else. */
bool rate_parse(struct compile *c, const struct loc *loc, const char *text, struct rate **out);

/* The unit names (sec, second, min, minute, hour, day), for the table-order test. */
const struct keyword *rate_unit_table(size_t *n);

#endif /* SHOREWALL_RATE_H */
