/* graph.h — the zone graph: what a configuration means, resolved and validated.
 *
 * Invariants: the graph holds no unparsed text (only names, normalised values and the original
 * spelling kept for messages); every record carries the loc of the line it came from; everything
 * is allocated from the compile's arena. Parsers (src/parsers/) build it; graph.c finishes and
 * validates it; the IR builder reads it; emitters never see it. */
#ifndef SHOREWALL_GRAPH_H
#define SHOREWALL_GRAPH_H 1

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "arena.h"
#include "diag.h"

struct compile;

/* ---- zones ------------------------------------------------------------------------------------ */

enum zone_type {
	ZONE_FIREWALL,              /* `firewall` (5.2) or the FW setting (2.2) */
	ZONE_IPV4,                  /* `ipv4`, `ip`, `-`, and every 2.2 zone */
	ZONE_IPSEC,                 /* `ipsec`, `ipsec4`, or 2.2 ipsec file IPSEC_ONLY=Yes */
	ZONE_BPORT,
	ZONE_VSERVER,
	ZONE_LOOPBACK,
	ZONE_LOCAL,
};

/* Policy-match (`-m policy`) options of an SA, in the order written. */
enum ipsec_key {
	IPSEC_MODE,                 /* tunnel | transport */
	IPSEC_NEXT,                 /* no value */
	IPSEC_PROTO,                /* ah | esp | ipcomp (numbers 50/51/108 normalised to names) */
	IPSEC_REQID,                /* decimal or 0x… (kept as written) */
	IPSEC_SPI,
	IPSEC_STRICT,               /* no value */
	IPSEC_TUNNEL_DST,           /* addr[/len] */
	IPSEC_TUNNEL_SRC,
};

struct ipsec_opt {
	enum ipsec_key key;
	bool invert;                /* written `key!=value` */
	const char *value;          /* NULL for strict/next */
	struct ipsec_opt *next;
};

struct host;

struct zone {
	const char *name;
	struct loc loc;
	enum zone_type type;
	unsigned index;             /* declaration order, 0-based; the policy matrix is indexed by it */
	bool implicit;              /* the 2.2 firewall zone, made from FW, not written in zones */
	bool type_declared;         /* type came from a 5.2 TYPE column (the ipsec file may not contradict it) */
	const char *display, *comment;          /* 2.2 DISPLAY and COMMENTS columns */
	VEC(const char *) parent_names;         /* as written after ':' */
	VEC(struct zone *) parents;             /* resolved by graph_finish */
	VEC(struct zone *) children;
	struct ipsec_opt *options, *in_options, *out_options;
	unsigned mss, in_mss, out_mss;          /* mss= in OPTIONS / IN_OPTIONS / OUT_OPTIONS; 0 = none */
	bool nomark, dynamic_shared;
	/* 2.2 ipsec file: IPSEC_ONLY=No with options — a mixed zone whose `ipsec` hosts must match
	 * these SAs while its other hosts stay plaintext. */
	bool mixed;
	struct loc ipsec_loc;                   /* the ipsec-file line that spoke of this zone */
	VEC(struct host *) hosts;               /* members, in file order (interfaces, then hosts) */
	bool super;                             /* has an ipsec sub-zone (plaintext jumps lose --pol none inbound) */
};

/* ---- interfaces ------------------------------------------------------------------------------- */

/* Interface options; tables in parsers/interfaces.c map names to these. Numbered for a bitmask. */
enum iface_opt {
	IFO_ACCEPT_RA, IFO_ARP_FILTER, IFO_ARP_IGNORE, IFO_BLACKLIST, IFO_BRIDGE, IFO_DESTONLY,
	IFO_DETECTNETS, IFO_DHCP, IFO_FORWARD, IFO_IGNORE, IFO_LOGMARTIANS, IFO_LOOPBACK, IFO_MACLIST,
	IFO_MSS, IFO_NETS, IFO_NODBL, IFO_NOSMURFS, IFO_NOTRACK, IFO_OPTIONAL, IFO_PHYSICAL,
	IFO_PROXYARP, IFO_REQUIRED, IFO_ROUTEBACK, IFO_ROUTEFILTER, IFO_RPFILTER, IFO_SFILTER,
	IFO_SOURCEROUTE, IFO_TCPFLAGS, IFO_UNMANAGED, IFO_UPNP, IFO_UPNPCLIENT, IFO_WAIT,
	IFO_COUNT
};

struct iface {
	const char *name;           /* logical name as written; may end in '+' */
	const char *physical;       /* physical= value, else name */
	struct loc loc;
	const char *zone_name;      /* NULL when the ZONE column is '-' (zones come from hosts) */
	struct zone *zone;
	const char *broadcast;      /* FORMAT 1 BROADCAST column: "detect", an address list, or NULL */
	bool wildcard;              /* name ends in '+' */
	const char *bridge;         /* bport: the bridge of `br0:eth1` */
	uint64_t opts;              /* bit (1 << IFO_x) set when the option was given */
	long optval[IFO_COUNT];     /* numeric value where the option takes one (routefilter=2, mss=1400…) */
	struct addr_list nets;      /* nets= */
	struct addr_list sfilter;   /* sfilter= */
	struct loc optloc;          /* loc of the options (same line) */
};

#define IFACE_HAS(i, o) (((i)->opts >> (o)) & 1)
/* Given and not switched off: every option given without a value has optval 1, so `tcpflags=0`,
 * `routeback=0`, `routefilter=0` read as off here while IFACE_HAS still says they were written. */
#define IFACE_ON(i, o) (IFACE_HAS(i, o) && (i)->optval[o] != 0)

/* ---- hosts (zone members) --------------------------------------------------------------------- */

enum host_opt {
	HO_BLACKLIST, HO_BROADCAST, HO_DESTONLY, HO_IPSEC, HO_MACLIST, HO_MSS, HO_NOSMURFS,
	HO_ROUTEBACK, HO_SOURCEONLY, HO_TCPFLAGS,
	HO_COUNT
};

struct host {
	struct zone *zone;
	struct iface *iface;
	const char *ifname;         /* the device written in HOST(S) when iface is a wildcard matching it
	                             * (ppp0 under ppp+); NULL = iface->name */
	struct addr_list addrs;     /* items NULL = the whole interface (0.0.0.0/0) */
	uint32_t opts;              /* bit (1 << HO_x) */
	unsigned mss;               /* mss=N; 0 = none */
	bool from_interfaces;       /* made from an interfaces-file line, not a hosts line */
	struct loc loc;
};

#define HOST_HAS(h, o) (((h)->opts >> (o)) & 1)

/* ---- tunnels ------------------------------------------------------------------------------------ */

enum tunnel_type {
	TUN_6TO4, TUN_GENERIC, TUN_GRE, TUN_IPIP, TUN_IPSEC, TUN_IPSECNAT, TUN_L2TP, TUN_OPENVPN,
	TUN_OPENVPNCLIENT, TUN_OPENVPNSERVER, TUN_PPTPCLIENT, TUN_PPTPSERVER, TUN_TINC,
};

struct tunnel {
	enum tunnel_type type;
	const char *type_text;      /* as written, e.g. "ipsec:ah" */
	bool ah;                    /* ipsec:ah — AH (proto 51) opened as well as ESP */
	const char *proto;          /* openvpn/generic: "udp", "tcp", "47", … ; NULL = default */
	unsigned port;              /* openvpn/generic port; 0 = default/none */
	struct zone *zone;          /* the zone the encapsulated packets travel through */
	struct addr_list gateways;  /* items NULL = any (road warrior, 0.0.0.0/0 or '-') */
	VEC(struct zone *) gateway_zones;
	struct loc loc;
};

/* ---- masq (2.2) / snat (5.2) ----------------------------------------------------------------------- */

enum snat_action { SNAT_MASQUERADE, SNAT_SNAT, SNAT_CONTINUE, SNAT_ACCEPT, SNAT_NONAT, SNAT_LOG };
enum snat_ipsec {
	SNAT_IPSEC_DEFAULT,         /* column empty: `--pol none --dir out` once IPsec is in use */
	SNAT_IPSEC_YES,             /* yes / ipsec: only traffic that will be encrypted */
	SNAT_IPSEC_NO,              /* no / none: only traffic that will not */
	SNAT_IPSEC_OPTS,            /* an option list: --pol ipsec + options */
};

struct snat {
	enum snat_action action;
	const char *to;             /* SNAT: "addr[-addr][:ports]" as written; MASQUERADE: ports or NULL */
	bool random, persistent;
	bool prenat;                /* ACTION ended in '+' */
	const char *loglevel;       /* LOG:level or ACTION:level */
	const char *iface_name;     /* the outgoing interface */
	struct iface *iface;
	struct addr_list dest;      /* masq INTERFACE:dest, snat DEST's addresses */
	struct addr_list source;
	const char *source_iface;   /* SOURCE named an interface: the networks routed through it */
	bool dest_fw;               /* snat DEST was $FW: nat INPUT, `--dir in` */
	const char *proto, *ports, *sports;
	enum snat_ipsec ipsec;
	struct ipsec_opt *ipsec_opts;
	const char *mark, *user, *switch_name, *origdest, *probability;
	bool from_masq;             /* read from the masq file (2.2 layout) */
	struct loc loc;
};

/* ---- policy ---------------------------------------------------------------------------------------- */

enum policy_kind {
	POL_ACCEPT, POL_BLACKLIST, POL_CONTINUE, POL_DROP, POL_NFQUEUE, POL_NONE, POL_QUEUE, POL_REJECT,
};

enum rate_unit { RATE_SEC, RATE_MIN, RATE_HOUR, RATE_DAY };

/* RATE / LIMIT:BURST: plain `limit`, or per source/destination address (`s:` / `d:`) via hashlimit. */
struct rate {
	char per;                   /* 0, 's' or 'd' */
	const char *name;           /* hashlimit table name (`s:name:…`), or NULL */
	unsigned rate;
	enum rate_unit unit;
	unsigned burst;             /* 0 = default */
	struct rate *next;          /* a second limit (`rate,rate`) */
};

struct policy {
	struct loc loc;
	const char *src_text, *dst_text, *policy_text;  /* as written, for messages and `show policies` */
	enum policy_kind kind;
	const char *default_action; /* POLICY:action; "none" disables; NULL = the *_DEFAULT setting */
	unsigned queue_num, queue_max;
	bool queue_bypass;
	const char *loglevel;       /* validated level, NULL = no logging */
	struct rate *rate;
	const char *connlimit;
	bool wildcard;              /* SOURCE or DEST was `all…` */
};

/* One cell of the policy matrix. */
struct policy_cell {
	struct policy *policy;      /* NULL only for the implicit intra-zone ACCEPT */
	bool implicit;              /* intra-zone ACCEPT that no line set */
};

/* ---- rules (read and checked here; compiled by the rules issue) ------------------------------------ */

enum rule_col {
	RC_ACTION, RC_SOURCE, RC_DEST, RC_PROTO, RC_DPORT, RC_SPORT, RC_ORIGDEST, RC_RATE, RC_USER,
	RC_MARK, RC_CONNLIMIT, RC_TIME, RC_HEADERS, RC_SWITCH, RC_HELPER,
	RC_COUNT
};

/* The columns from ORIGINAL DEST on are given by few lines: a rule keeps them in an array of
 * their own, allocated only for a line that gives one (a 50,000-rule file holds its rules at once). */
#define RC_COMMON RC_ORIGDEST

struct rule_typed;

struct rule {
	struct loc loc;
	const char *section;        /* ?SECTION in force; NULL = none (2.x: behaves as NEW) */
	/* as written (after $VAR expansion); NULL for '-' or absent. Read any column with rule_col. */
	const char *col[RC_COMMON];             /* ACTION … SPORT */
	const char **more;                      /* [i - RC_COMMON] for ORIGINAL DEST … HELPER; NULL: none given */
	/* filled by the rules parser's checks: */
	const char *action;         /* base action or macro name, without parameter and :log */
	const char *macro_param;    /* SSH(ACCEPT) → "ACCEPT" */
	const char *loglevel;
	struct rate *rate;
	/* SOURCE, DEST, PROTO and ports as the checks read them (rule_typed.h), or NULL: the builder
	 * reads the text. Read only while the builder's index is made: it frees them then. */
	const struct rule_typed *typed;
};

/* Column i of a rule as written, NULL for '-' or absent. */
static inline const char *rule_col(const struct rule *ru, enum rule_col i)
{
	return i < RC_COMMON ? ru->col[i] : ru->more ? ru->more[i - RC_COMMON] : NULL;
}
/* Set column i (rare columns: the array is copied first, a rule's copy may share it). */
void rule_set_col(struct arena *a, struct rule *ru, enum rule_col i, const char *value);

/* ---- stoppedrules (5.x) / routestopped (2.x) -------------------------------------------------------- */

enum stopped_action { STOP_ACCEPT, STOP_DROP, STOP_NOTRACK };

struct stopped_rule {
	enum stopped_action action;
	const char *src_iface, *dst_iface;      /* NULL = any; "$FW" cases in fw_src/fw_dst */
	bool fw_src, fw_dst;
	struct addr_list source, dest;
	const char *proto, *dports, *sports;
	bool routeback, critical, notrack;      /* routestopped options */
	bool opt_source, opt_dest;              /* routestopped `source` / `dest`: forward from / to anywhere */
	bool from_routestopped;
	struct loc loc;
};

/* ---- kernel modules ------------------------------------------------------------------------------- */

struct module_entry {
	const char *name;
	const char *args;           /* NULL = none */
	struct loc loc;
};

/* ---- the graph ---------------------------------------------------------------------------------- */

struct graph {
	VEC(struct zone *) zones;               /* declaration order (zone->index) */
	VEC(struct zone *) match_order;         /* sub-zones first, then file order (graph_finish) */
	struct zone *fw;
	VEC(struct iface *) ifaces;
	VEC(struct host *) hosts;               /* every member, interfaces-file ones first */
	VEC(struct tunnel *) tunnels;
	VEC(struct snat *) snats;
	VEC(struct policy *) policies;          /* file order */
	struct policy_cell *matrix;             /* [src->index * zones.n + dst->index], set by the policy parser */
	VEC(struct rule *) rules;
	VEC(struct stopped_rule *) stopped;
	VEC(struct module_entry *) modules;     /* a `modules`/`helpers` file in the config dir, if any */
	bool modules_given;                     /* the config dir had such a file (even empty) */
	bool have_ipsec;                        /* any ipsec zone or `ipsec` host: dispatch uses -m policy */
	/* Name → position hash indexes behind graph_find_zone/graph_find_iface, (re)built lazily when
	 * the vector has grown: a linear scan per look-up made the policy file cubic in zones. */
	struct arena *arena;                    /* set by graph_new; NULL = no index, plain scan */
	struct graph_index *zone_idx, *iface_idx;
	struct graph_wild *wild_ifaces;         /* graph_wild_ifaces' cache */
};

struct graph *graph_new(struct compile *c);
struct zone *graph_find_zone(const struct graph *g, const char *name);
struct iface *graph_find_iface(const struct graph *g, const char *name);
/* The interfaces whose name ends in '+' (ppp+, a bare +), in declaration order, into *v and *n:
 * the only ones a name that is no interface's own can fall under. false when the graph keeps no
 * caches (made without graph_new): then every interface must be looked at. */
bool graph_wild_ifaces(const struct graph *g, struct iface *const **v, size_t *n);
/* Name of the firewall zone: the declared one, else shorewall.conf FW, else "fw". */
const char *graph_fw_name(const struct compile *c);
/* Resolve parents, order zones, compute have_ipsec, validate everything that spans files.
 * Returns the number of errors it reported. */
int graph_finish(struct compile *c);
/* The matrix cell of (src, dst); NULL before the policy parser made the matrix. Inline: the
 * policy parser and the builder ask once per zone pair and more. */
static inline struct policy_cell *graph_policy(const struct graph *g, const struct zone *src,
					       const struct zone *dst)
{
	if (!g->matrix)
		return NULL;
	return &g->matrix[src->index * g->zones.n + dst->index];
}

const char *zone_type_name(enum zone_type t);
const char *policy_kind_name(enum policy_kind k);
const char *tunnel_type_name(enum tunnel_type t);
const char *ipsec_key_name(enum ipsec_key k);

#endif /* SHOREWALL_GRAPH_H */
