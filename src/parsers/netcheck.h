/* netcheck.h — value checks shared by the traffic parsers (policy, rules, tunnels, masq, snat):
 * protocols, ports, ICMP types, interface look-ups, NFQUEUE parameters and the snat IPSEC column. */
#ifndef SHOREWALL_NETCHECK_H
#define SHOREWALL_NETCHECK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "graph.h"
#include "keyword.h"

struct compile;

/* Protocol numbers the checks need by name. */
enum {
	NETCHECK_ICMP = 1, NETCHECK_TCP = 6, NETCHECK_UDP = 17, NETCHECK_DCCP = 33,
	NETCHECK_IPV6_ICMP = 58, NETCHECK_SCTP = 132, NETCHECK_UDPLITE = 136,
};

/* Protocol by name (case-insensitive, from a fixed table so the result does not depend on the
 * host's /etc/protocols) or by number 0-255 (decimal or 0x…). -1 when unknown. */
int netcheck_proto_number(const char *name);
/* Canonical name of a protocol number ("tcp"), or NULL when it has none in the table. */
const char *netcheck_proto_name(int num);
/* tcp, udp, sctp, dccp and udplite carry ports. */
bool netcheck_proto_has_ports(int num);

/* Shorewall's PROTO / DEST PORT(S) / SOURCE PORT(S) checks for one protocol (not a list):
 * `[!]proto[:syn|:!syn|:all]`, port lists, ranges, service names, `+ipset`, ICMP types.
 * Any of the three may be NULL. Reports every problem at loc; false if it reported one. */
bool netcheck_proto_ports(struct compile *c, const struct loc *loc, const char *proto,
			  const char *dports, const char *sports);

/* A port column in digits only — "22", "1024:65535", "80,443,8000:8080", no `!` — into *n
 * ranges in a (":N" from 0, "N:" to 65535); false for any other column, which the caller reads
 * the general way. */
struct ir_portrange;
bool netcheck_ports_plain(struct arena *a, const char *col, struct ir_portrange **out, uint32_t *n);

/* One port: a number 1-65535 (decimal or 0x…) or a service name for protocol pname. */
bool netcheck_port(const char *s, const char *pname, unsigned *out);
/* A NAT target's `lowport[-highport]`; reports `Invalid port range (x)` or
 * `Invalid/Unknown <proto> port/service (x)`. pname NULL = "tcp". */
bool netcheck_port_range(struct compile *c, const struct loc *loc, const char *pname, const char *s);

/* An interface by logical name: exact, then a declared wildcard (`ppp+`) that covers it. */
struct iface *netcheck_iface(const struct graph *g, const char *name);

/* NFQUEUE parameters `n[:m][,bypass]` or `bypass` (params NULL or "" = queue 0). */
bool netcheck_nfqueue(struct compile *c, const struct loc *loc, const char *params,
		      unsigned *num, unsigned *max, bool *bypass);

/* The masq/snat IPSEC column: NULL → SNAT_IPSEC_DEFAULT; yes/ipsec; no/none; else a policy-match
 * option list, where anything but a policy-match option is `Invalid IPSEC Option (x)`. */
bool netcheck_snat_ipsec(struct compile *c, const struct loc *loc, const char *text,
			 enum snat_ipsec *kind, struct ipsec_opt **opts);

/* CONNLIMIT: `[s:|d:][!]limit[:mask]` (mask 0-32). The policy file refuses the `!`. */
bool netcheck_connlimit(struct compile *c, const struct loc *loc, const char *text, bool allow_invert);

/* Split a comma list at top-level commas (commas inside parentheses stay: `Limit(a,b),DNS`).
 * Returns the number of elements; *out is an arena array of arena strings. Empty elements are
 * kept as "" so callers can report them. */
size_t netcheck_split(struct arena *a, const char *s, const char ***out);

/* A MAC address written Shorewall's way: ~01-23-45-67-89-ab (':' also accepted). */
bool netcheck_mac(const char *s);
/* The same, read into its six bytes (the `~` optional). */
bool netcheck_mac_read(const char *s, uint8_t mac[6]);

const struct keyword *netcheck_proto_table(size_t *n);
const struct keyword *netcheck_icmp_table(size_t *n);

#endif /* SHOREWALL_NETCHECK_H */
