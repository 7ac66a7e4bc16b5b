/* masq.h — column readers and the record expansion shared by the masq (2.2, 5.x) and snat (5.2) parsers. */
#ifndef SHOREWALL_MASQ_H
#define SHOREWALL_MASQ_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;
struct addr_list;
struct snat;

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
/* Ports to translate to: proto (one protocol, may be NULL) must be one that has ports. */
bool masq_check_ports(struct compile *c, const struct loc *loc, const char *ports, const char *proto);
/* The IPSEC, PROBABILITY and ORIGDEST columns (NULL when empty), in that order: fills t's ipsec,
 * ipsec_opts, probability and origdest; false if it reported anything. */
bool masq_parse_tail(struct compile *c, const struct loc *loc, const char *ipsec, const char *probability,
		     const char *origdest, struct snat *t);
/* Adds to the graph one copy of tmpl per interface and protocol, as Shorewall expands a row: each
 * with its iface_name/iface (none when tmpl->dest_fw) and proto (NULL when protos is NULL). */
void masq_expand(struct compile *c, const struct snat *tmpl, const char *const *ifaces, size_t nif,
		 const char *const *protos, size_t nproto);

#endif /* SHOREWALL_MASQ_H */
