/* ipsec_opts.h — policy-match option lists ("mode=tunnel,reqid=10,strict,proto!=ah"), shared by
 * the zones, ipsec and snat/masq parsers. */
#ifndef SHOREWALL_IPSEC_OPTS_H
#define SHOREWALL_IPSEC_OPTS_H 1

#include <stdbool.h>
#include <stddef.h>

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

/* True when name is a policy-match key (mode, reqid, …): lets the zones parser recognise a 5.2
 * OPTIONS column without reporting anything. */
bool ipsec_opts_is_key(const char *name);

/* The module's keyword tables (0 = keys, 1 = modes, 2 = protocols; NULL past the last), so the
 * unit test can assert their order. */
struct keyword;
const struct keyword *ipsec_opts_table(unsigned which, size_t *n);

#endif /* SHOREWALL_IPSEC_OPTS_H */
