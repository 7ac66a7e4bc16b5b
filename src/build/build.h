/* build.h — the IR builder: turns a finished zone graph into a ruleset (docs/compiler.md).
 *
 * Invariants: the builder reads the graph and writes only the IR; every IR rule gets the loc of
 * the configuration line that asked for it (policy line, tunnels line, hosts line, …); the order
 * of construction follows the graph's orders (file order, match order), so output is stable.
 *
 * One zone-pair chain S-D is assembled by the section builders below, always in this order
 * (each appends to the chain; a section with nothing to say appends nothing):
 *	mss → tunnels → (ALL rules → states → rate → NEW rules) → policy
 * Dispatch (INPUT/OUTPUT/FORWARD, interface chains, Z_frwd) runs after every pair chain exists,
 * and jumps through pair_jump() so that trivial ACCEPT pairs become a direct -j ACCEPT. */
#ifndef SHOREWALL_BUILD_H
#define SHOREWALL_BUILD_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;
struct keyword;
struct graph;
struct host;
struct ir_chain;
struct ir_match;
struct ir_rule;
struct policy;
struct policy_cell;
struct policy_default;
struct log_level;
struct rate;
struct ruleset;
struct settings;
struct zone;

struct pair {
	struct zone *src, *dst;
	struct policy_cell *cell;   /* never NULL once the policy matrix is complete */
	struct ir_chain *chain;     /* NULL: NONE policy, or not built */
	bool trivial_accept;        /* body only accepts, ending in ACCEPT: jump straight to ACCEPT */
};

struct builder {
	struct compile *c;
	struct graph *g;
	const struct settings *s;
	struct ruleset *rs;
	struct pair **pairs;        /* [src->index][dst->index] */
	struct rules_index *rules_index;    /* rules_build.c: rules by pair, made on first use */
	unsigned nlog;              /* ~logN chains made so far (logged rules and snat entries) */
	unsigned nexcl;             /* ~exclN chains made so far (member exclusions) */
	unsigned ctstate_dynamic;   /* IR_CT_* states that jump to `dynamic`; 0 = no dynamic blacklist */
	bool have_tcpflags;         /* some interface or host has tcpflags: the tcpflags chain exists */
	bool have_smurfs;           /* some interface or host has nosmurfs: the smurfs chain exists */
	/* pairs.c: the dispositions of ESTABLISHED RELATED INVALID UNTRACKED, read from the
	 * settings once rather than per pair (NULL until the first pair chain is closed) */
	const char *state_disp[4];
	unsigned char state_class[4];
	struct policy_default *policy_defaults;    /* actions.c: default-action texts already read */
	const struct rate *loglimit;                /* log.c: LOGLIMIT, parsed on first use */
	struct log_level *log_level;                /* log.c: the last log level read */
	bool *host_mss_zones;       /* mss.c: [zone index] a member has mss=; NULL until first asked */
};

/* build.c — the driver. Returns NULL (errors in c->diag) if the graph cannot be compiled. */
struct ruleset *build_ruleset(struct compile *c);
struct pair *build_pair(struct builder *b, const struct zone *src, const struct zone *dst);
/* "net-fw" or, with ZONE2ZONE=2, "net2fw". */
const char *build_pair_name(struct builder *b, const struct zone *src, const struct zone *dst);
/* The same in buf when it fits (size bytes), else in the arena: for a name only looked up or
 * copied (ir_chain_get keeps its own copy). */
const char *build_pair_name_in(struct builder *b, const struct zone *src, const struct zone *dst, char *buf,
			       size_t size);
/* Make `r` go to the pair: -j S-D, or -j ACCEPT for a trivial ACCEPT pair. */
void pair_jump(struct builder *b, struct ir_rule *r, struct pair *p);

/* Section builders for one pair chain, called by pairs.c in the order above. */
void build_pair_mss(struct builder *b, struct pair *p);         /* mss.c */
void build_pair_tunnels(struct builder *b, struct pair *p);     /* tunnels.c */
/* rules_build.c: the rules' sections in file order — ALL rules, the ESTABLISHED RELATED INVALID
 * UNTRACKED states settled (build_pair_close) with their sections' rules in ^ + _ = chains, the
 * rate jump, then the NEW rules; in_use: the chain already has rules 5.2.8 writes before the rules
 * file (zone mss=), so it follows every section move from the start. build_pair_rules: the rules
 * alone, states not settled. */
void build_pair_sections(struct builder *b, struct pair *p, bool in_use);
void build_pair_rules(struct builder *b, struct pair *p);
/* pairs.c: settle `states` (IR_CT_*) not yet in *closed; aux: [ESTABLISHED RELATED INVALID
 * UNTRACKED] section chains, NULL where the section had no rules for the pair. */
void build_pair_close(struct builder *b, struct pair *p, struct ir_chain *const aux[4], unsigned states,
		      unsigned *closed);
void build_pair_rate(struct builder *b, struct pair *p);        /* pairs.c */
void build_pair_policy(struct builder *b, struct pair *p);      /* pairs.c */

/* Whole-ruleset builders, called by build.c in this order. */
void build_common(struct builder *b);       /* common.c: reject, dynamic, tcpflags/logflags, smurfs */
const struct keyword *build_ctstate_table(size_t *n);      /* common.c: BLACKLIST state names */
void build_pairs(struct builder *b);        /* pairs.c: every pair chain, sections in order */
void build_dispatch(struct builder *b);     /* dispatch.c: INPUT/OUTPUT/FORWARD, IF_in/_fwd/_out, Z_frwd, catch-alls */
void build_nat(struct builder *b);          /* nat.c: masq/snat → nat POSTROUTING, IF_masq */
void build_mangle(struct builder *b);       /* mss.c: CLAMPMSS in mangle FORWARD; interface mss= */
void build_finish(struct builder *b);       /* build.c: drop unreferenced user chains, ir_validate */

/* member.c — the policy match of a zone member (docs/compiler.md "The policy match"). */
bool member_is_ipsec(const struct builder *b, const struct host *h);
/* Append the member's address match for its side (-s for in, -d for out; `addr` is one element
 * of h->addrs, or NULL for the whole interface) and its policy match. A member listing several
 * addresses gets one rule per address from its caller. */
struct addr_item;
void member_match_in(struct builder *b, struct ir_rule *r, const struct host *h,
		     const struct addr_item *addr);
void member_match_out(struct builder *b, struct ir_rule *r, const struct host *h,
		      const struct addr_item *addr);

/* rules_build.c — a ports column (`22,80:90,ssh`, `!…`) of protocol proto (a number) as port
 * ranges in the arena; reports at loc and returns false on what it cannot read. Shared with nat.c. */
struct ir_portrange;
bool build_ports(struct builder *b, const struct loc *loc, const char *text, unsigned proto,
		 struct ir_portrange **out, size_t *n, bool *invert);
/* rules_build.c — a USER column `[!][user][:group]` (names or numbers) as uid/gid (-1 = not
 * tested); reports at loc. Names are resolved on the compiling host, as iptables would. */
bool build_owner(struct builder *b, const struct loc *loc, const char *text, long *uid, long *gid,
		 bool *invert);
/* rules_build.c — a MARK column `[!]value[/mask][:C]` (C: the connection's mark); text NULL =
 * none. build_mark_match appends -m mark / -m connmark when one was given. */
struct build_mark {
	bool given, invert, conn;
	unsigned value, mask;
};
bool build_mark(struct builder *b, const struct loc *loc, const char *text, struct build_mark *m);
void build_mark_match(struct ir_rule *r, const struct build_mark *m);
/* The rules ACTIONs compiled so far and the TIME weekday names, for the table-order test. */
struct keyword;
const struct keyword *rules_build_action_table(size_t *n);
const struct keyword *rules_build_weekday_table(size_t *n);
/* ?SECTION names (value: their order) and the HELPER column's helper names. */
const struct keyword *rules_build_section_table(size_t *n);
const struct keyword *rules_build_helper_table(size_t *n);

/* log.c — a rate-limited LOG rule before a verdict, Shorewall style: LOGLIMIT → hashlimit or
 * limit, LOGFORMAT prefix "S-D POLICY ". level is a validated log level text ("info", "6", "NFLOG"). */
void build_log(struct builder *b, struct ir_chain *ch, const struct loc *loc, const char *level,
	       const char *chain_name, const char *disposition);
/* The prefix LOGFORMAT makes of a chain name and a disposition, cut to iptables' 29 characters. */
const char *build_log_prefix(struct builder *b, const char *chain_name, const char *disposition);
/* log.c's keyword tables (0 NFLOG/ULOG/LOGMARK, 1 LOG options; NULL past the last; the level names are loglevel.c's)
 * for the order test. */
struct keyword;
const struct keyword *build_log_table(unsigned which, size_t *n);
/* Syslog level name or digit → 0..7; -1 if neither. */
int build_log_level_number(const char *level);

/* pairs.c — the end of a policy chain (default action, log, verdict), shared by the zone-pair
 * chains and the INPUT/OUTPUT/FORWARD catch-alls. pol NULL = ACCEPT (implicit intra-zone). */
const struct keyword *build_default_action_table(size_t *n);   /* Broadcast, Multicast… */
const struct keyword *build_verdict_table(size_t *n);          /* accept, drop, reject */
/* Set r's target from a disposition word: ACCEPT, REJECT (-g reject), else DROP. */
void build_verdict(struct builder *b, struct ir_rule *r, const char *word);
void build_policy_tail(struct builder *b, struct ir_chain *ch, const struct policy *pol,
		       const char *chain_name);
/* The base of an interface's chain names (IF_in, IF_fwd, IF_out): the name itself, as 5.2.8. */
const char *build_iface_chain_base(struct builder *b, const char *ifname);

#endif /* SHOREWALL_BUILD_H */
