/* spd.h — the IPsec security policies (SPD) a zone graph implies, for `shorewall ipsec-policy`.
 *
 * The graph already says which traffic is IPsec: an ipsec zone's members, `ipsec` hosts entries, the
 * tunnels file's gateways, the zones' mode/proto/reqid options. spd_derive() turns that into peers
 * (one remote gateway serving one zone) with their traffic selectors; the formats (setkey, ip-xfrm,
 * swanctl) only print what it found. Every selector keeps the config line that implies it, so each
 * printed entry can say where it came from. */
#ifndef SHOREWALL_SPD_H
#define SHOREWALL_SPD_H 1

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "arena.h"
#include "diag.h"

struct compile;
struct zone;

enum spd_mode { SPD_TUNNEL, SPD_TRANSPORT };
enum spd_dir { SPD_OUT, SPD_IN, SPD_FWD };

/* One traffic selector (or SA endpoint) and why it is there: a config line, or a command-line
 * option (origin "--local", "--local-gw") when loc.file is NULL. */
struct spd_sel {
	struct net4 net;
	struct loc loc;
	const char *origin;
	const char *zone;           /* the zone it belongs to, NULL when given on the command line */
	bool gateway;               /* an SA endpoint itself (this firewall, or the remote gateway) */
};

/* What the command line adds to the configuration. */
struct spd_options {
	struct addr_list local;     /* --local NETS: replaces the local networks found in the config */
	bool have_local;
	uint32_t local_gw;          /* --local-gw ADDR: this firewall's end of every SA */
	bool have_local_gw;
	bool need_local_gw;         /* the format writes SA endpoints (setkey, ip-xfrm): unknown = error */
};

/* The zone's SAs towards one remote gateway. */
struct spd_peer {
	const struct zone *zone;
	struct loc zone_loc;        /* the zones (or 2.2 ipsec) line that gives mode, proto and reqid */
	enum spd_mode mode;
	const char *proto;          /* "esp", "ah" or "ipcomp" */
	unsigned long reqid_in, reqid_out;      /* 0 = none */
	/* Remote gateway: known = one address. Otherwise the peer is learnt at negotiation (road
	 * warrior): remote_gw.net is the range it may come from (0.0.0.0/0 = anywhere). */
	struct spd_sel remote_gw;
	bool remote_gw_known;
	struct spd_sel local_gw;
	bool local_gw_known;
	VEC(struct spd_sel) remote;             /* the zone's networks behind (or at) the gateway */
	VEC(struct spd_sel) local;              /* ours: local networks, then this firewall itself */
};

struct spd {
	VEC(struct spd_peer *) peers;
	unsigned ipsec_tunnels;                 /* ipsec/ipsecnat lines in the tunnels file */
};

/* Derive the SPD from c->graph (read without errors). Reports every problem to c->diag at the config
 * line concerned (or the zone's line) and returns the number of errors. */
int spd_derive(struct compile *c, const struct spd_options *o, struct spd *out);

/* True when static SPD entries can be written for the peer: transport mode, or tunnel mode with
 * a known remote gateway (a road warrior's policies are made at negotiation by the IKE daemon). */
bool spd_peer_static(const struct spd_peer *p);

/* "hosts:2" (the path relative to the config dir), or the origin ("--local"). buf >= 256 bytes. */
const char *spd_where(const struct compile *c, const struct spd_sel *s, char *buf, size_t len);
/* "a.b.c.d/len", the prefix always written as setkey and ip xfrm selectors expect. buf >= 19. */
const char *spd_net(const struct net4 *n, char *buf, size_t len);

/* The SA endpoints an entry's template names: tunnel mode always; transport mode only host to host
 * (for a network the kernel takes each packet's own addresses). False: write none. */
bool spd_tmpl(const struct spd_peer *p, enum spd_dir d, const struct spd_sel *l, const struct spd_sel *r,
	      uint32_t *src, uint32_t *dst);
unsigned long spd_reqid(const struct spd_peer *p, enum spd_dir d);
/* The directions written for a peer: out and in, and fwd in tunnel mode (forwarded traffic). */
unsigned spd_dirs(const struct spd_peer *p);
const char *spd_dir_name(enum spd_dir d);
/* The `#` comments the line formats share: one per peer (zone, protocol, mode, SA endpoints and
 * where each comes from), one per selector pair. */
void spd_comment_peer(const struct compile *c, const struct spd_peer *p, FILE *f);
void spd_comment_pair(const struct compile *c, const struct spd_sel *l, const struct spd_sel *r, FILE *f);
/* One SPD entry of a line format, as text: the selectors in the entry's direction, and the SA
 * endpoints its template names (tmpl false: none, see spd_tmpl). */
struct spd_entry {
	char src[24], dst[24];
	bool tmpl;
	char tsrc[16], tdst[16];
};
typedef void (*spd_entry_fn)(const struct spd_peer *p, enum spd_dir d, const struct spd_entry *e, FILE *f);
/* A peer in a line format: its comment, then (when static) each pair's comment and entries. */
void spd_print_peer(const struct compile *c, const struct spd_peer *p, spd_entry_fn entry, FILE *f);
/* The first lines of every format: what made it, from which directory. */
void spd_comment_head(const struct compile *c, const struct spd *s, const char *what, FILE *f);

/* The output formats; each returns the number of errors it reported (values a format cannot
 * express). Printed only after spd_derive found no error. */
typedef int (*spd_format_fn)(struct compile *c, const struct spd *s, FILE *f);
int spd_print_setkey(struct compile *c, const struct spd *s, FILE *f);
int spd_print_xfrm(struct compile *c, const struct spd *s, FILE *f);
int spd_print_swanctl(struct compile *c, const struct spd *s, FILE *f);
/* --format NAME → printer; NULL when unknown. */
spd_format_fn spd_format_find(const char *name);
/* The format table (for the unit test's order assertion). */
struct keyword;
const struct keyword *spd_format_table(size_t *n);

#endif /* SHOREWALL_SPD_H */
