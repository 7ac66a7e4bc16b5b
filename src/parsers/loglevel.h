/* loglevel.h — LOG_LEVEL / LOGLEVEL columns and ACTION:level suffixes. */
#ifndef SHOREWALL_LOGLEVEL_H
#define SHOREWALL_LOGLEVEL_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "keyword.h"

struct compile;

/* Validate a log level: a syslog name or alias (case-insensitive), a number 0-7, either with an
 * optional `(log options)` list; NFLOG[(n,n,n)]; ULOG[(n,n,n)]; LOGMARK[(level)]; `none`. An
 * optional trailing `!` is kept. *out receives the normalised text — the syslog name ("info",
 * "info(tcp_options,uid)"), "NFLOG(1,0,1)", "LOGMARK(info)", plus "!" when given — or NULL for
 * `none` (no logging). Reports `Invalid log level (x)` and returns false on anything else. */
bool loglevel_parse(struct compile *c, const struct loc *loc, const char *text, const char **out);

/* The level names and the LOG option names, for the table-order tests. */
const struct keyword *loglevel_table(size_t *n);
const struct keyword *loglevel_option_table(size_t *n);

#endif /* SHOREWALL_LOGLEVEL_H */
