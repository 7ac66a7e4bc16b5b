/* ipsec_opts.h — policy-match option lists ("mode=tunnel,reqid=10,strict,proto!=ah"), shared by
 * the zones, ipsec and snat/masq parsers. */
#ifndef SHOREWALL_IPSEC_OPTS_H
#define SHOREWALL_IPSEC_OPTS_H 1

#include <stdbool.h>

#include "diag.h"

struct compile;
struct ipsec_opt;

/* Parse one comma list. Policy-match options (mode reqid spi proto tunnel-src tunnel-dst strict
 * next, each `!=`-invertible where the policy match allows it) are validated and appended to *out
 * in the order written. Any other element ("mss=1400", "nomark", "blacklist"…) is not judged here:
 * it is returned in *other (NULL-terminated arena array; NULL when there were none) for the caller.
 * Reports every bad value at loc (e.g. `Invalid value (tunel) for option "mode"`) and returns
 * false if it reported anything. */
bool ipsec_opts_parse(struct compile *c, const struct loc *loc, const char *text,
		      struct ipsec_opt **out, const char ***other);

#endif /* SHOREWALL_IPSEC_OPTS_H */
