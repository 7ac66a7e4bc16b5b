/* explain.h — `shorewall explain`: one packet's fate, decided by walking the compiled IR offline.
 *
 * Four parts (docs/explain.md):
 *   packet.c  the packet model: SRC/DST as addresses or zone names, the firewall's addresses,
 *             routes and the interfaces the packet arrives on and leaves by;
 *   match.c   one IR match against the packet (with the assumption it needed, if any);
 *   walk.c    the netfilter path: raw/mangle/nat PREROUTING, routing, filter INPUT/FORWARD/OUTPUT,
 *             nat POSTROUTING, following jumps, gotos, RETURN and builtin policies;
 *   output.c  the trace for people, or as YAML.
 * Everything is allocated from the compile's arena; nothing here touches the kernel. */
#ifndef SHOREWALL_EXPLAIN_H
#define SHOREWALL_EXPLAIN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "arena.h"
#include "ir.h"

struct compile;
struct zone;

/* An SA the packet arrived or leaves through (the policy match's view of it). */
struct xp_sa {
	bool present;
	uint8_t has;                /* IR_PE_* bits the user gave; others are unknown */
	uint8_t mode, proto;
	uint32_t reqid, spi;
	uint32_t tunnel_src, tunnel_dst;
};

/* Netfilter hooks, in the order a forwarded packet meets them. */
enum xp_hook { XH_PREROUTING, XH_INPUT, XH_FORWARD, XH_OUTPUT, XH_POSTROUTING, XH_COUNT };

struct xp_packet {
	uint32_t src, dst;          /* host order */
	bool src_known, dst_known;  /* false: a zone without an address; see xp_resolve */
	uint8_t proto;              /* 0 = any protocol was asked: treated as "ip" (no port) */
	uint16_t sport, dport;
	uint8_t icmp_type, icmp_code;
	uint8_t tcp_flags;          /* SYN for a new connection, ACK for an established one */
	uint16_t mss;               /* the SYN's MSS option (assumed) */
	const char *in, *out;       /* interfaces; NULL = none (locally generated / delivered) */
	unsigned ctstate;           /* IR_CT_* */
	uint32_t mark, connmark;
	struct xp_sa sa_in, sa_out;
	uint32_t uid, gid;          /* owner of a locally generated packet (assumed root) */
};

/* A firewall address given with --fw-addr IFACE=ADDR/LEN (also a connected route). */
struct xp_fwaddr { const char *iface; struct net4 net; uint32_t addr; };
/* A route: --route NET=IFACE, a connected network, a hosts-file entry. */
struct xp_route { struct net4 net; const char *iface; const char *why; };

/* What the user asked, before resolution. */
struct xp_request {
	const char *src, *dst;      /* address or zone name */
	const char *proto;          /* PROTO[/PORT] */
	const char *in, *out;       /* --in / --out, NULL = infer */
	const char *ipsec_in, *ipsec_out;   /* option lists ("" = an SA, no options); NULL = none */
	bool ipsec_in_given, ipsec_out_given;
	bool established;
	bool verbose;               /* -v: record the rules that did not match too */
	long sport;                 /* -1 = default */
	VEC(struct xp_fwaddr) fwaddrs;
	VEC(struct xp_route) routes;
};

enum xp_step_kind {
	XS_HOOK,                    /* a builtin chain entered: table + hook */
	XS_ROUTE,                   /* the routing decision */
	XS_RULE,                    /* a rule matched (target in the rule) */
	XS_SKIP,                    /* -v: a rule that did not match; text = the first match that failed */
	XS_ENTER,                   /* a user chain entered by -j/-g */
	XS_RETURN,                  /* the end of a user chain (or RETURN): back to the caller */
	XS_POLICY,                  /* a builtin chain's policy decided */
	XS_NAT,                     /* an address or port was rewritten */
	XS_MARK,                    /* the packet's or connection's mark was changed */
};

struct xp_step {
	enum xp_step_kind kind;
	unsigned depth;             /* call depth, for indentation */
	const struct ir_chain *chain;
	const struct ir_rule *rule; /* XS_RULE */
	const char *text;           /* XS_ROUTE / XS_NAT / XS_MARK: what happened; XS_HOOK: the hook */
	VEC(const char *) notes;    /* assumptions this rule's matches needed */
};

enum xp_verdict { XV_ACCEPT, XV_DROP, XV_REJECT, XV_QUEUE };

struct explain {
	struct compile *c;
	const struct ruleset *rs;
	struct arena *a;
	struct xp_request req;
	struct xp_packet pkt;       /* as it arrived (after resolution) */
	struct xp_packet cur;       /* as it is now (NAT, marks) */
	bool from_fw, to_fw;
	const char *src_zone, *dst_zone;        /* the zone named as SRC/DST, if any */
	const char *out_why;        /* where the outgoing interface came from, when not --out */
	VEC(const char *) notes;    /* assumptions about the packet, deduplicated */
	VEC(struct xp_step) steps;
	/* the outcome */
	enum xp_verdict verdict;
	uint8_t reject_with;        /* enum ir_reject */
	uint16_t queue_num;
	bool queue_bypass;
	const struct ir_rule *decider;          /* the rule that decided, or NULL (a builtin policy) */
	const struct ir_chain *decider_chain;   /* the chain of the decider, or the builtin */
	const char *snat_text, *dnat_text;      /* NULL = no NAT */
	bool failed;                /* the walk could not finish (loop, depth) */
};

/* packet.c */
/* Parse and resolve the request into e->pkt (addresses, protocol, interfaces, SA). Usage
 * problems are reported on stderr and give false. */
bool xp_resolve(struct explain *e);
bool xp_is_fw_addr(const struct explain *e, uint32_t addr);
/* The interface a packet to addr leaves by (longest prefix of the known routes), or NULL. */
const char *xp_route_lookup(struct explain *e, uint32_t addr, const char **why);
/* The firewall's address on iface, if one was given. */
bool xp_fw_addr_of(const struct explain *e, const char *iface, uint32_t *out);
/* Parse --ipsec option text ("reqid=1,proto=esp,mode=tunnel,tunnel-src=…") into sa; on failure
 * *bad is (an arena copy of) the option not understood. */
bool xp_sa_parse(struct arena *a, const char *text, struct xp_sa *sa, const char **bad);
/* --state's word (new, established) as IR_CT_* bits. */
bool xp_state_parse(const char *s, unsigned *ctstate);
/* The keyword tables (0 SA keys, 1 modes, 2 SA protocols, 3 states; NULL past the last), for the
 * unit test's order check. */
struct keyword;
const struct keyword *xp_keyword_table(unsigned which, size_t *n);
void xp_note(struct explain *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* match.c */
/* The context a match is evaluated in. */
struct xp_ctx {
	const struct explain *e;
	const struct xp_packet *p;
	enum xp_hook hook;
	bool local_dst;             /* the packet is for the firewall (addrtype LOCAL) */
	bool local_src;
	const char **note;          /* set when the result rests on an assumption */
};
bool xp_match(const struct xp_ctx *x, const struct ir_match *m);
/* Does interface name `have` match the rule's `want` (which may end in '+')? */
bool xp_iface_match(const char *want, const char *have);
/* Address types of an address, as IR_AT_* bits. */
unsigned xp_addrtype(const struct explain *e, uint32_t addr, bool known);

/* walk.c */
void xp_walk(struct explain *e);
const char *xp_hook_name(enum xp_hook h);

/* output.c */
void xp_print(const struct explain *e, FILE *out);
int xp_print_yaml(const struct explain *e, FILE *out);
const char *xp_verdict_text(const struct explain *e, struct arena *a);
/* "rules (line 12)" for a loc, "-" when the rule has none. */
const char *xp_loc_text(struct arena *a, const struct loc *loc);

#endif /* SHOREWALL_EXPLAIN_H */
