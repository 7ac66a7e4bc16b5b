/* masq.h — column readers shared by the masq (2.2, 5.x) and snat (5.2) parsers. */
#ifndef SHOREWALL_MASQ_H
#define SHOREWALL_MASQ_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;
struct addr_list;

/* masq INTERFACE / snat DEST: `iface[,iface…][:alias][:addresses]`, `iface::addresses`.
 * Fills *names (arena array of interface names without aliases, *n of them) and *dest.
 * Reports `Unknown interface (x)` / `Invalid IP address (x)`; false if it reported anything.
 * fw_name, when not NULL, is accepted as a sole element (snat DEST $FW) and reported in *dest_fw. */
bool masq_parse_ifaces(struct compile *c, const struct loc *loc, const char *text, const char *fw_name,
		       const char ***names, size_t *n, struct addr_list *dest, bool *dest_fw);
/* SOURCE: `-` (any), an interface (its routed networks; *iface_name set) or an address list with
 * exclusions. */
bool masq_parse_source(struct compile *c, const struct loc *loc, const char *text,
		       struct addr_list *out, const char **iface_name);
/* A SNAT address: `addr[-addr][:ports]`, `:ports`, `&iface[:ports]`, `%iface`, `detect`.
 * proto (one protocol, may be NULL) must carry ports when ports are given. */
bool masq_check_to(struct compile *c, const struct loc *loc, const char *to, const char *proto);
/* PROBABILITY: `[!]0.nnnnnnnn` (at most eight decimals), as the statistic match takes it. */
bool masq_check_probability(struct compile *c, const struct loc *loc, const char *text);

#endif /* SHOREWALL_MASQ_H */
