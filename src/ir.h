/* ir.h — the ruleset IR: netfilter tables, chains and rules as typed matches and targets, no text.
 *
 * The IR builder turns the zone graph into a `struct ruleset`; the optimizer rewrites it; emitters
 * (src/emit/) print or commit it; `explain` walks it to decide a packet's fate. Invariants:
 *   - every rule carries the loc of the configuration line that caused it;
 *   - the IR holds no configuration text: matches and targets are typed data (numbers, bit sets,
 *     addresses, names of chains/interfaces/sets), and src/ir_argv.c (ir_argv_render, ir_text_render)
 *     is the only place that knows iptables syntax;
 *   - everything lives in the compile's arena (no free: the arena goes at the end of the compile);
 *   - the same construction sequence gives the same bytes out (emit order: see src/emit/emit.h).
 *
 * A builder's view, in four calls:
 *
 *	struct ruleset *rs = ir_ruleset_new(c);
 *	struct ir_chain *in = ir_chain_get(rs, IR_FILTER, "eth0_in");
 *	struct ir_rule *r = ir_rule_append(in, &host->loc);
 *	ir_match_src_net(r, &net, false);
 *	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, zone->options);
 *	ir_target_jump(r, ir_chain_get(rs, IR_FILTER, "vpn-fw"));
 *
 * Structures are public so that optimizer, emitters and tests can read them; change them only
 * through the functions below (they keep reference counts and the chain index right). The one
 * exception is `chain->loc`, which a builder may set directly. See docs/ir.md. */
#ifndef SHOREWALL_IR_H
#define SHOREWALL_IR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "arena.h"
#include "diag.h"

struct compile;
struct ipsec_opt;

/* ---- tables and chains ------------------------------------------------------------------------ */

enum ir_table { IR_RAW, IR_MANGLE, IR_NAT, IR_FILTER, IR_TABLE_COUNT };    /* = emit order */

enum ir_chain_policy {
	IR_POLICY_NONE,             /* user chain: no policy */
	IR_POLICY_ACCEPT,           /* builtin chains start so (the kernel's default) */
	IR_POLICY_DROP,
};

struct ir_rule;

struct ir_chain {
	const char *name;
	enum ir_table table;
	bool builtin;               /* INPUT, FORWARD, … of this table; made by ir_ruleset_new */
	bool deleted;               /* removed by ir_chain_delete; emitters skip it */
	/* The optimizer's passes (OPTIMIZE bits) that have nothing left to do in the chain as it is;
	 * set by them, cleared by every change (with mod). */
	uint8_t clean;
	enum ir_chain_policy policy; /* builtin chains only */
	unsigned refs;              /* rules anywhere whose target is -j/-g this chain */
	unsigned seq;               /* creation order within the table */
	/* rs->clock when the chain was created or its rules (their matches, targets) or its policy
	 * last changed: the optimizer looks again only at chains changed since a pass last ran. */
	uint32_t mod;
	struct loc loc;             /* the line that made the chain, if the builder set it (else LOC_NONE) */
	VEC(struct ir_rule *) rules;            /* in order; rules.v[i], i < rules.n */
	struct ruleset *rs;
	struct ir_chain *hnext;     /* name index chaining (private) */
	uint64_t hval;              /* name_hash(table, name), kept for regrowing and deleting (private) */
};

struct ruleset {
	struct compile *c;          /* arena and diag */
	VEC(struct ir_chain *) chains[IR_TABLE_COUNT];  /* creation order, builtins first, incl. deleted */
	struct ir_chain **hash;     /* name index: (table, name) → chain (private) */
	size_t hash_size, nchains;
	size_t nrules;              /* live rules in all tables */
	/* Counts changes to chains (see ir_chain.mod); a compile makes far fewer than 2^32. */
	uint32_t clock;
	/* What the optimizer's sweep has to look at: chains left without a reference since it last
	 * swept (an entry may repeat, or have gained a reference again), and chains[t].v[swept[t]…],
	 * created since. */
	VEC(struct ir_chain *) orphans;
	size_t swept[IR_TABLE_COUNT];
};

struct ruleset *ir_ruleset_new(struct compile *c);
/* Room for about n more chains of table t: the index and the table's chain list sized once, not
 * doubled up to it (a builder knows: one chain per zone pair). Changes nothing else. */
void ir_ruleset_reserve(struct ruleset *rs, enum ir_table t, size_t n);
const char *ir_table_name(enum ir_table t);         /* "raw", "mangle", "nat", "filter" */

/* Find or create (table, name). A builtin name of that table gives the builtin chain; any other
 * name a user chain, created on first use. Average O(1). */
struct ir_chain *ir_chain_get(struct ruleset *rs, enum ir_table t, const char *name);
/* The same for a name that lives as long as the ruleset and never changes (the arena's, a
 * literal): the chain keeps the pointer rather than a copy. */
struct ir_chain *ir_chain_get_lasting(struct ruleset *rs, enum ir_table t, const char *name);
/* Find only; NULL if absent or deleted. */
struct ir_chain *ir_chain_find(const struct ruleset *rs, enum ir_table t, const char *name);
void ir_chain_set_policy(struct ir_chain *ch, enum ir_chain_policy p);  /* builtin chains only */
/* Delete a user chain nothing refers to (refs == 0): its rules go (releasing their own jumps),
 * the name becomes free again. Returns false (and changes nothing) for builtins or referenced chains. */
bool ir_chain_delete(struct ir_chain *ch);
/* A chain outside the ruleset: not indexed, never emitted, optimized or validated. A builder
 * fills it once and copies it into many chains (ir_chain_append_copy). Its jumps count as
 * references until it is flushed (ir_chain_flush): flush it before the ruleset is finished. */
struct ir_chain *ir_chain_detached(struct ruleset *rs);
/* Append copies of src's rules to dst (as ir_rule_copy does), each at loc (NULL: its own). */
void ir_chain_append_copy(struct ir_chain *dst, const struct ir_chain *src, const struct loc *loc);
/* Room for n more rules in the chain: one vector of the size needed, where the builder knows it,
 * rather than doublings from 2 (a vector that must grow grows to at least twice its size). */
void ir_chain_reserve(struct ir_chain *ch, size_t n);
/* Remove every rule of the chain, releasing their jumps. */
void ir_chain_flush(struct ir_chain *ch);
/* Does the table hold anything an emitter must write: a user chain, a rule, or a builtin whose
 * policy is not ACCEPT? (filter is always written; emit_ruleset decides that.) */
bool ir_table_used(const struct ruleset *rs, enum ir_table t);

/* ---- matches ---------------------------------------------------------------------------------- */

enum ir_match_kind {
	/* the ip header (the kernel tests these before any module match) */
	IRM_IN,                     /* -i IFACE      struct ir_iface */
	IRM_OUT,                    /* -o IFACE      struct ir_iface */
	IRM_SRC,                    /* -s NET | -m iprange --src-range | -m set --match-set  struct ir_addr */
	IRM_DST,                    /* -d …          struct ir_addr */
	IRM_PROTO,                  /* -p PROTO      struct ir_proto */
	/* the protocol's own options (implicit tcp/udp/icmp module, or multiport) */
	IRM_SPORT,                  /* --sport | -m multiport --sports   struct ir_ports */
	IRM_DPORT,                  /* --dport | -m multiport --dports   struct ir_ports */
	IRM_TCP_FLAGS,              /* --tcp-flags MASK COMP | --syn     struct ir_tcp_flags */
	IRM_ICMP_TYPE,              /* --icmp-type T[/C]                 struct ir_icmp */
	/* modules, printed in the order the builder added them (limit, recent… are order-sensitive) */
	IRM_CTSTATE,                /* -m conntrack --ctstate S,…        struct ir_ctstate */
	IRM_POLICY,                 /* -m policy …                       struct ir_policy */
	IRM_LIMIT,                  /* -m limit                          struct ir_limit */
	IRM_HASHLIMIT,              /* -m hashlimit                      struct ir_hashlimit */
	IRM_ADDRTYPE,               /* -m addrtype                       struct ir_addrtype */
	IRM_TCPMSS,                 /* -m tcpmss --mss LO[:HI]           struct ir_range16 */
	IRM_MARK,                   /* -m mark --mark V[/M]              struct ir_markval */
	IRM_CONNMARK,               /* -m connmark --mark V[/M]          struct ir_markval */
	IRM_OWNER,                  /* -m owner --uid-owner/--gid-owner  struct ir_owner */
	IRM_CONNLIMIT,              /* -m connlimit                      struct ir_connlimit */
	IRM_TIME,                   /* -m time                           struct ir_time */
	IRM_HELPER,                 /* -m helper --helper NAME           struct ir_name */
	IRM_RECENT,                 /* -m recent                         struct ir_recent */
	/* the connection's destination before any DNAT (a DNAT rule's filter half, ORIGINAL DEST) */
	IRM_CTORIGDST,              /* -m conntrack --ctorigdst A[/M]    struct net4 */
	IRM_CTORIGDSTPORT,          /* -m conntrack --ctorigdstport P[:Q] struct ir_range16 */
	IRM_MAC,                    /* -m mac --mac-source XX:XX:…       struct ir_mac */
	IRM_COUNT
};

struct ir_iface { const char *name; };      /* may end in '+' (wildcard) */

enum ir_side { IR_SRC, IR_DST };
enum ir_addr_kind { IR_ADDR_NET, IR_ADDR_RANGE, IR_ADDR_SET };
#define IR_SET_MAX_DIM 6                    /* ipset's IPSET_DIM_MAX */
struct ir_addr {                /* in this order: 32 bytes, not 40 (one in most rules) */
	const char *set;            /* SET: the set's name */
	enum ir_addr_kind kind;
	struct net4 net;            /* NET */
	uint32_t lo, hi;            /* RANGE, host order, lo <= hi */
	uint8_t dims;               /* SET: number of src/dst flags, 1..IR_SET_MAX_DIM */
	uint8_t dst_mask;           /* SET: bit i set = flag i is "dst" */
};

struct ir_proto { uint8_t num; };           /* name: ir_proto_name(num) */

struct ir_portrange { uint16_t lo, hi; };
#define IR_MULTIPORT_SLOTS 15               /* multiport's limit; a range takes two slots */
struct ir_ports {
	uint8_t n;                  /* 1 = --sport/--dport; more = -m multiport */
	struct ir_portrange r[IR_MULTIPORT_SLOTS];
};

/* TCP flag bits, as the kernel numbers them. */
enum {
	IR_TCP_FIN = 0x01, IR_TCP_SYN = 0x02, IR_TCP_RST = 0x04, IR_TCP_PSH = 0x08,
	IR_TCP_ACK = 0x10, IR_TCP_URG = 0x20, IR_TCP_ECE = 0x40, IR_TCP_CWR = 0x80,
};
struct ir_tcp_flags { uint8_t mask, comp; };    /* mask FIN,SYN,RST,ACK comp SYN prints as --syn */

struct ir_icmp { uint8_t type; int16_t code; }; /* code -1 = any code of the type */

enum {
	IR_CT_NEW = 1 << 0, IR_CT_ESTABLISHED = 1 << 1, IR_CT_RELATED = 1 << 2,
	IR_CT_INVALID = 1 << 3, IR_CT_UNTRACKED = 1 << 4, IR_CT_SNAT = 1 << 5, IR_CT_DNAT = 1 << 6,
};
struct ir_ctstate { uint8_t states; };

/* The policy match: one SA template ("element") per --next, options typed, each invertible. */
enum ir_dir { IR_DIR_IN, IR_DIR_OUT };
enum ir_pol { IR_POL_NONE, IR_POL_IPSEC };
enum ir_ipsec_mode { IR_MODE_TRANSPORT, IR_MODE_TUNNEL };
enum {  /* ir_pol_elem.has / .inv bits */
	IR_PE_MODE = 1 << 0, IR_PE_REQID = 1 << 1, IR_PE_SPI = 1 << 2, IR_PE_PROTO = 1 << 3,
	IR_PE_TUNNEL_SRC = 1 << 4, IR_PE_TUNNEL_DST = 1 << 5,
};
#define IR_POLICY_MAX_ELEM 4                /* XT_POLICY_MAX_ELEM */
struct ir_pol_elem {
	uint8_t has, inv;           /* which options are given, which are negated (`reqid!=10`) */
	uint8_t mode;               /* enum ir_ipsec_mode */
	uint8_t proto;              /* 50 esp, 51 ah, 108 ipcomp */
	uint32_t reqid, spi;
	struct net4 tunnel_src, tunnel_dst;
};
struct ir_policy {
	uint8_t dir;                /* enum ir_dir */
	uint8_t pol;                /* enum ir_pol */
	bool strict;                /* every element must match, in order */
	uint8_t nelem;              /* 0 = any SA */
	struct ir_pol_elem elem[IR_POLICY_MAX_ELEM];
};

enum ir_unit { IR_PER_SEC, IR_PER_MIN, IR_PER_HOUR, IR_PER_DAY };
struct ir_limit { uint32_t rate, burst; uint8_t unit; };        /* burst 0 = module default */

enum { IR_HL_SRCIP = 1, IR_HL_SRCPORT = 2, IR_HL_DSTIP = 4, IR_HL_DSTPORT = 8 };
struct ir_hashlimit {
	uint32_t rate, burst;       /* burst 0 = module default */
	uint8_t unit;               /* enum ir_unit */
	uint8_t mode;               /* IR_HL_* bits */
	bool above;                 /* --hashlimit-above instead of --hashlimit-upto */
	const char *name;           /* the hash table's name (required, <= 15 characters) */
};

/* Address types, as bits 1 << RTN_x (the kernel's numbering). */
enum {
	IR_AT_UNSPEC = 1 << 0, IR_AT_UNICAST = 1 << 1, IR_AT_LOCAL = 1 << 2, IR_AT_BROADCAST = 1 << 3,
	IR_AT_ANYCAST = 1 << 4, IR_AT_MULTICAST = 1 << 5, IR_AT_BLACKHOLE = 1 << 6,
	IR_AT_UNREACHABLE = 1 << 7, IR_AT_PROHIBIT = 1 << 8, IR_AT_THROW = 1 << 9, IR_AT_NAT = 1 << 10,
	IR_AT_XRESOLVE = 1 << 11,
};
struct ir_addrtype { uint8_t side; uint16_t types; };  /* side: enum ir_side */

struct ir_range16 { uint16_t lo, hi; };
struct ir_mac { uint8_t b[6]; };            /* the sender's Ethernet address */
struct ir_markval { uint32_t value, mask; };            /* mask 0xffffffff = the whole mark */

enum { IR_OWNER_UID = 1, IR_OWNER_GID = 2 };
struct ir_owner { uint8_t has; uint32_t uid, gid; };    /* invert negates each given test */

struct ir_connlimit {
	uint32_t above;             /* inverted: at most this many (--connlimit-upto) */
	uint8_t masklen;            /* group by this prefix (32 = per address) */
	bool daddr;                 /* count per destination instead of per source */
};

struct ir_time {
	int32_t start, stop;        /* seconds into the day; -1 = not given */
	uint8_t weekdays;           /* bit 0 = Monday … bit 6 = Sunday; 0 = not given */
	uint32_t monthdays;         /* bit d = day d (1..31); 0 = not given */
	int64_t datestart, datestop;    /* seconds since the epoch (UTC); 0 = not given */
	bool kerneltz;              /* local time instead of UTC */
};

struct ir_name { const char *name; };

enum ir_recent_op { IR_RECENT_SET, IR_RECENT_RCHECK, IR_RECENT_UPDATE, IR_RECENT_REMOVE };
struct ir_recent {
	const char *name;           /* NULL = the module's DEFAULT list */
	uint8_t op;                 /* enum ir_recent_op */
	bool rdest;                 /* remember/test the destination address instead of the source */
	uint32_t seconds, hitcount; /* 0 = not given (rcheck/update only) */
};

struct ir_match {
	enum ir_match_kind kind;
	bool invert;                /* `!` on the whole match; only where ir_match_desc allows it */
	struct ir_match *next;
	/* Allocated to the size of this kind's member only (ir_match_desc()->size): never copy a
	 * struct ir_match by assignment, use ir_match_copy(). */
	union {
		struct ir_iface iface;
		struct ir_addr addr;
		struct ir_proto proto;
		struct ir_ports ports;
		struct ir_tcp_flags tcp;
		struct ir_icmp icmp;
		struct ir_ctstate ct;
		struct ir_policy policy;
		struct ir_limit limit;
		struct ir_hashlimit hashlimit;
		struct ir_addrtype addrtype;
		struct ir_range16 tcpmss;
		struct ir_markval mark;
		struct ir_owner owner;
		struct ir_connlimit connlimit;
		struct ir_time time;
		struct ir_name helper;
		struct ir_recent recent;
		struct net4 ctorigdst;
		struct ir_range16 ctorigdstport;
		struct ir_mac mac;
	} u;
};

/* ---- targets ---------------------------------------------------------------------------------- */

enum ir_target_kind {
	IRT_NONE,                   /* no -j: the rule only counts or updates state */
	IRT_ACCEPT, IRT_DROP, IRT_RETURN,
	IRT_QUEUE,                  /* ir_target_simple stores it as IRT_NFQUEUE queue 0: the same verdict */
	IRT_REJECT,                 /* u.reject */
	IRT_LOG,                    /* u.log */
	IRT_NFLOG,                  /* u.nflog */
	IRT_JUMP, IRT_GOTO,         /* u.chain */
	IRT_MASQUERADE,             /* u.nat: ports only */
	IRT_SNAT, IRT_DNAT,         /* u.nat */
	IRT_REDIRECT,               /* u.nat: ports only */
	IRT_TCPMSS,                 /* u.tcpmss */
	IRT_NFQUEUE,                /* u.queue */
	IRT_MARK, IRT_CONNMARK,     /* u.mark */
	IRT_NOTRACK,                /* CT --notrack (raw table) */
	IRT_COUNT
};

enum ir_reject {                /* --reject-with; PORT_UNREACH is REJECT's default and prints no option */
	IR_REJECT_PORT_UNREACH, IR_REJECT_NET_UNREACH, IR_REJECT_HOST_UNREACH,
	IR_REJECT_PROTO_UNREACH, IR_REJECT_NET_PROHIB, IR_REJECT_HOST_PROHIB,
	IR_REJECT_ADMIN_PROHIB, IR_REJECT_TCP_RESET,
	IR_REJECT_COUNT
};

enum {  /* LOG flags */
	IR_LOG_TCP_SEQ = 1, IR_LOG_TCP_OPT = 2, IR_LOG_IP_OPT = 4, IR_LOG_UID = 8, IR_LOG_MACDECODE = 16,
};

/* Addresses and ports a NAT target maps to; 0/0 = not given. */
struct ir_nat_range {
	uint32_t lo, hi;            /* host order; hi = lo for one address */
	uint16_t plo, phi;
};

enum ir_mark_op { IR_MARK_SET, IR_MARK_AND, IR_MARK_OR, IR_MARK_XOR, IR_MARK_SAVE, IR_MARK_RESTORE };

struct ir_target {
	enum ir_target_kind kind;
	union {
		struct ir_chain *chain;
		struct { uint8_t with; } reject;                        /* enum ir_reject */
		struct { uint8_t level, flags; const char *prefix; } log;   /* level 0..7; prefix may be NULL */
		struct { uint16_t group, threshold; const char *prefix; } nflog;
		struct { struct ir_nat_range to; bool random, persistent; } nat;
		struct { uint16_t mss; } tcpmss;                        /* 0 = --clamp-mss-to-pmtu */
		struct { uint16_t num, num_hi; bool bypass; } queue;    /* num_hi > num = --queue-balance */
		struct { uint8_t op; uint32_t value, mask; } mark;      /* enum ir_mark_op */
	} u;
};

/* ---- rules -------------------------------------------------------------------------------------- */

struct ir_rule {
	struct loc loc;             /* the configuration line this rule comes from (never unset) */
	/* The line its verdict comes from when that is another line than loc's: a dispatch rule
	 * (made by an interfaces or hosts line) that accepts at once because the zone pair's
	 * policy is ACCEPT points at that policy line's loc here, so explain can name both. NULL
	 * otherwise. Like comment, not part of the rule's meaning. (A pointer, and no pointer to
	 * the last match: a large compile holds 60,000 rules.) */
	const struct loc *why;
	struct ir_chain *chain;     /* owner; NULL once removed */
	struct ir_match *matches;   /* in the order added */
	unsigned nmatches;
	struct ir_target target;
	const char *comment;        /* -m comment; not part of the rule's meaning (see ir_rule_equal) */
};

#define IR_END ((size_t)-1)     /* index meaning "after the last rule" */

/* A rule with no matches and no target, appended / inserted before rules.v[index]
 * (index <= rules.n, or IR_END). loc NULL = LOC_NONE (for rules no line asked for). */
struct ir_rule *ir_rule_append(struct ir_chain *ch, const struct loc *loc);
struct ir_rule *ir_rule_insert_at(struct ir_chain *ch, size_t index, const struct loc *loc);
/* Remove rules.v[index] from its chain, releasing its jump/goto. The rule stays readable, but
 * takes no more constructors (it has no chain, hence no arena). */
void ir_rule_remove(struct ir_chain *ch, size_t index);
/* Copy src (matches, target, comment, loc) into dst at index; jumps are counted again. dst may be
 * in another table only if src's target is not a jump/goto. */
struct ir_rule *ir_rule_copy(struct ir_chain *dst, size_t index, const struct ir_rule *src);
void ir_rule_comment(struct ir_rule *r, const char *text);     /* copied into the arena */

/* Match constructors: each appends one match to the rule and returns it. Addresses, interfaces,
 * ports, states, marks, owner and helper take an `invert`; other kinds are not invertible as a
 * whole (the policy match inverts per option). Strings are copied into the arena. */
struct ir_match *ir_match_in(struct ir_rule *r, const char *iface, bool invert);
struct ir_match *ir_match_out(struct ir_rule *r, const char *iface, bool invert);
/* The same for a name that lives as long as the ruleset (the graph's, a literal): not copied. */
struct ir_match *ir_match_in_lasting(struct ir_rule *r, const char *iface, bool invert);
struct ir_match *ir_match_out_lasting(struct ir_rule *r, const char *iface, bool invert);
struct ir_match *ir_match_src_net(struct ir_rule *r, const struct net4 *net, bool invert);
struct ir_match *ir_match_dst_net(struct ir_rule *r, const struct net4 *net, bool invert);
struct ir_match *ir_match_src_range(struct ir_rule *r, uint32_t lo, uint32_t hi, bool invert);
struct ir_match *ir_match_dst_range(struct ir_rule *r, uint32_t lo, uint32_t hi, bool invert);
/* set: "name" or "name[src,dst]" (the flags become typed dims; default: the side's own). */
struct ir_match *ir_match_src_set(struct ir_rule *r, const char *set, bool invert);
struct ir_match *ir_match_dst_set(struct ir_rule *r, const char *set, bool invert);
/* One element of a graph address list (network, range or +set); NULL and an error for `dynamic`. */
struct ir_match *ir_match_addr(struct ir_rule *r, enum ir_side side, const struct addr_item *it,
			       bool invert);
struct ir_match *ir_match_proto(struct ir_rule *r, uint8_t proto);
/* One port or range (lo == hi: one port). */
struct ir_match *ir_match_sport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert);
struct ir_match *ir_match_dport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert);
/* A list: n == 1 prints as --sport/--dport, more as multiport. At most ir_ports_fit() entries
 * (check that first; more are reported as an error and cut). */
struct ir_match *ir_match_sports(struct ir_rule *r, const struct ir_portrange *p, size_t n, bool invert);
struct ir_match *ir_match_dports(struct ir_rule *r, const struct ir_portrange *p, size_t n, bool invert);
/* How many leading entries of p fit in one multiport match (ranges take two of its 15 slots).
 * A builder splits a longer list into rules of this many: while (n) { k = ir_ports_fit(p, n); … } */
size_t ir_ports_fit(const struct ir_portrange *p, size_t n);
struct ir_match *ir_match_tcp_flags(struct ir_rule *r, uint8_t mask, uint8_t comp);
struct ir_match *ir_match_syn(struct ir_rule *r);      /* FIN,SYN,RST,ACK SYN: prints --syn */
struct ir_match *ir_match_icmp(struct ir_rule *r, uint8_t type, int code);     /* code -1: any */
struct ir_match *ir_match_ctstate(struct ir_rule *r, unsigned states, bool invert);
/* dir/pol plus a graph option list (zone OPTIONS, IN_OPTIONS…): `next` starts a new element,
 * `strict` sets the match's flag, everything else fills the current element. Values the graph
 * holds as text (reqid, spi, tunnel-src…) are converted here; a bad one is reported at the rule's
 * loc. opts may be NULL. */
struct ir_match *ir_match_policy(struct ir_rule *r, enum ir_dir dir, enum ir_pol pol,
				 const struct ipsec_opt *opts);
/* Append another option list to the same match (OPTIONS then IN_OPTIONS). */
void ir_policy_add_opts(struct ir_rule *r, struct ir_match *m, const struct ipsec_opt *opts);
struct ir_match *ir_match_limit(struct ir_rule *r, uint32_t rate, enum ir_unit unit, uint32_t burst);
struct ir_match *ir_match_hashlimit(struct ir_rule *r, uint32_t rate, enum ir_unit unit,
				    uint32_t burst, unsigned mode, const char *name);
struct ir_match *ir_match_addrtype(struct ir_rule *r, enum ir_side side, unsigned types, bool invert);
struct ir_match *ir_match_tcpmss(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert);
struct ir_match *ir_match_mark(struct ir_rule *r, uint32_t value, uint32_t mask, bool invert);
struct ir_match *ir_match_connmark(struct ir_rule *r, uint32_t value, uint32_t mask, bool invert);
/* uid/gid < 0 = not tested. */
struct ir_match *ir_match_owner(struct ir_rule *r, long uid, long gid, bool invert);
struct ir_match *ir_match_connlimit(struct ir_rule *r, uint32_t above, uint8_t masklen, bool daddr,
				    bool invert);
struct ir_match *ir_match_time(struct ir_rule *r, const struct ir_time *t);
struct ir_match *ir_match_helper(struct ir_rule *r, const char *helper, bool invert);
struct ir_match *ir_match_recent(struct ir_rule *r, enum ir_recent_op op, const char *name,
				 uint32_t seconds, uint32_t hitcount, bool rdest, bool invert);
/* The connection's original destination (conntrack's tuple before DNAT): an address or network,
 * a port or range (lo == hi: one port). */
struct ir_match *ir_match_ctorigdst(struct ir_rule *r, const struct net4 *net, bool invert);
struct ir_match *ir_match_ctorigdstport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert);
/* The sender's MAC address (PREROUTING, INPUT and FORWARD only). */
struct ir_match *ir_match_mac_source(struct ir_rule *r, const uint8_t mac[6], bool invert);
/* Append a copy of m (from any rule) to r. */
struct ir_match *ir_match_copy(struct ir_rule *r, const struct ir_match *m);
/* First match of a kind, or NULL. */
const struct ir_match *ir_rule_find(const struct ir_rule *r, enum ir_match_kind k);

/* Target setters: each replaces the rule's target (releasing a previous jump). */
void ir_target_simple(struct ir_rule *r, enum ir_target_kind k);   /* NONE ACCEPT DROP RETURN QUEUE NOTRACK */
void ir_target_reject(struct ir_rule *r, enum ir_reject with);
void ir_target_log(struct ir_rule *r, unsigned level, const char *prefix, unsigned flags);
void ir_target_nflog(struct ir_rule *r, unsigned group, const char *prefix, unsigned threshold);
void ir_target_jump(struct ir_rule *r, struct ir_chain *to);
void ir_target_goto(struct ir_rule *r, struct ir_chain *to);
void ir_target_masquerade(struct ir_rule *r, uint16_t plo, uint16_t phi, bool random);
void ir_target_snat(struct ir_rule *r, const struct ir_nat_range *to, bool random, bool persistent);
void ir_target_dnat(struct ir_rule *r, const struct ir_nat_range *to, bool random, bool persistent);
void ir_target_redirect(struct ir_rule *r, uint16_t plo, uint16_t phi, bool random);
void ir_target_tcpmss(struct ir_rule *r, unsigned mss);             /* 0 = clamp to PMTU */
void ir_target_nfqueue(struct ir_rule *r, unsigned num, unsigned num_hi, bool bypass);
void ir_target_mark(struct ir_rule *r, enum ir_mark_op op, uint32_t value, uint32_t mask);
void ir_target_connmark(struct ir_rule *r, enum ir_mark_op op, uint32_t value, uint32_t mask);
void ir_target_copy(struct ir_rule *r, const struct ir_target *t);
/* Does the target end the packet's walk through this chain (verdicts, goto, NAT…)? */
bool ir_target_terminal(const struct ir_target *t);

/* ---- the layout as data: what the optimizer, explain and the tests iterate over ------------------ */

enum ir_field_type {
	IRF_INT,                    /* integer, enum or bool: compared and hashed as its bytes */
	IRF_STR,                    /* const char *: by content, NULL equal only to NULL */
	IRF_CHAIN,                  /* struct ir_chain *: by identity (hashed by name) */
	IRF_STRUCT,                 /* nested layout in `sub`, `count` times */
};

struct ir_field {
	const char *name;           /* NULL ends a list */
	size_t offset, size;        /* size of one element */
	enum ir_field_type type;
	unsigned count;             /* elements (1 for a scalar) */
	const struct ir_field *sub;
};

/* Where a match prints, which is also the order ir_rule_canon() gives. */
enum ir_slot { IR_SLOT_IFACE, IR_SLOT_ADDR, IR_SLOT_PROTO, IR_SLOT_PROTO_OPT, IR_SLOT_MODULE };

enum {  /* ir_match_desc.flags */
	IRM_F_INVERT = 1,           /* `!` allowed on the whole match */
	IRM_F_STATEFUL = 2,         /* evaluating it changes state (limit, recent…): order matters */
	IRM_F_ONCE = 4,             /* at most one per rule (-p, -s NET, the implicit proto module…) */
};

/* Protocol requirements, checked by ir_validate. */
enum ir_needs { IR_NEEDS_NOTHING, IR_NEEDS_PORT_PROTO, IR_NEEDS_TCP, IR_NEEDS_ICMP };

struct ir_match_desc {
	const char *name;           /* short name for dumps and docs ("dport", "policy") */
	const char *module;         /* what -m loads; NULL for ip header fields; see ir_argv for ports */
	enum ir_slot slot;
	unsigned flags;             /* IRM_F_* */
	enum ir_needs needs;
	size_t size;                /* bytes of its union member */
	const struct ir_field *fields;
};

struct ir_target_desc {
	const char *name;           /* the -j name ("ACCEPT", "SNAT"); NULL for IRT_NONE / jumps */
	unsigned tables;            /* bit (1 << IR_x) of the tables it may be used in */
	bool terminal;
	const struct ir_field *fields;  /* layout of its part of ir_target.u */
};

const struct ir_match_desc *ir_match_desc(enum ir_match_kind k);
const struct ir_target_desc *ir_target_desc(enum ir_target_kind k);

/* Equality of meaning, driven by the layouts above. Rules compare their matches in canonical order
 * and their targets; loc and comment are not part of a rule's meaning. Hashes agree with equality
 * and do not depend on addresses in memory (the same ruleset hashes the same in every run). */
bool ir_match_equal(const struct ir_match *a, const struct ir_match *b);
bool ir_target_equal(const struct ir_target *a, const struct ir_target *b);
bool ir_rule_equal(const struct ir_rule *a, const struct ir_rule *b);
bool ir_chain_body_equal(const struct ir_chain *a, const struct ir_chain *b);
uint64_t ir_rule_hash(const struct ir_rule *r);
uint64_t ir_chain_body_hash(const struct ir_chain *ch);
/* The rule's matches in canonical (= printed) order: -i, -o, source, destination, -p, the
 * protocol's implicit options (single --sport/--dport, --tcp-flags, --icmp-type), multiport, then
 * the module matches in the order added (their order can matter: limit, recent…).
 *	struct ir_canon it; ir_canon_begin(&it, r);
 *	for (const struct ir_match *m; (m = ir_canon_next(&it)); ) … */
struct ir_canon {
	const struct ir_rule *r;
	unsigned phase;
	const struct ir_match *m;
};
void ir_canon_begin(struct ir_canon *it, const struct ir_rule *r);
const struct ir_match *ir_canon_next(struct ir_canon *it);
/* Is m one of the protocol's implicit options (printed without -m, loaded by -p)? */
bool ir_match_implicit(const struct ir_match *m);
/* The same order into an array: writes at most max pointers, returns the number of matches. */
size_t ir_rule_canon(const struct ir_rule *r, const struct ir_match **out, size_t max);

/* Check what the kernel would refuse (ports without a port protocol, two -s, a NAT target outside
 * nat, a jump to a builtin or to another table, names too long…), reporting each at the rule's
 * loc. Returns the number of errors. Run it once before emitting. */
unsigned ir_validate(const struct ruleset *rs);

/* ---- names and small parsers a builder needs ------------------------------------------------------ */

/* "tcp", "udp", "icmp", … or NULL for a protocol without a name here. */
const char *ir_proto_name(uint8_t num);
/* Has the protocol a match module of its own name (tcp udp udplite sctp dccp icmp)? Those print
 * as names (-p tcp), the rest as numbers (-p 50). */
bool ir_proto_has_module(uint8_t num);
/* Has it ports (--sport/--dport, multiport, NAT port ranges)? tcp udp udplite sctp dccp. */
bool ir_proto_has_ports(uint8_t num);
/* Protocol name (`tcp`, `ESP`… case-insensitive) or number 0..255; "all" gives 0. */
bool ir_proto_parse(const char *s, uint8_t *num);
/* ICMP type: "8", "8/0", "echo-request", "any" (type 255). *code = -1 when the code is not fixed. */
bool ir_icmp_parse(const char *s, uint8_t *type, int *code);
/* REJECT's --reject-with names ("tcp-reset", "icmp-host-prohibited", …). */
bool ir_reject_parse(const char *s, enum ir_reject *out);
const char *ir_reject_name(enum ir_reject r);
/* NAT destination: "a.b.c.d[-e.f.g.h][:port[-port]]" or ":port[-port]"/"port[-port]" (ports_only). */
bool ir_nat_range_parse(const char *s, bool ports_only, struct ir_nat_range *out);

/* The module's keyword tables (0 protocols, 1 icmp types, 2 reject-with; NULL past the last),
 * for the unit test's order check. */
struct keyword;
const struct keyword *ir_keyword_table(unsigned which, size_t *n);

/* ---- iptables argv: the one source of rule syntax (src/ir_argv.c) ------------------------------ */

/* One rule as iptables arguments, e.g. {"-s", "10.0.0.0/8", "-p", "tcp", "--dport", "22",
 * "-m", "policy", "--dir", "in", "--pol", "ipsec", "-j", "ACCEPT"}: no chain, no -A, no quoting
 * (a token may hold spaces: the restore emitter quotes). Segments say which module each run of
 * option tokens belongs to, so a libiptc emitter can hand them to libxtables:
 *   IR_SEG_HEADER  tokens of the ip header (-i -o -s -d -p); module NULL
 *   IR_SEG_MATCH   "-m NAME" (unless implicit) and the module's options; module = NAME
 *   IR_SEG_TARGET  "-j NAME"/"-g CHAIN" and the target's options; module = target or chain name
 * first/count cover the option tokens only (after "-m NAME"/"-j NAME"). */
enum ir_seg_type { IR_SEG_HEADER, IR_SEG_MATCH, IR_SEG_TARGET };
struct ir_argv_seg {
	enum ir_seg_type type;
	const char *module;
	bool implicit;              /* the protocol's module, loaded by -p (no "-m" token printed) */
	size_t first, count;
};

struct ir_argv {
	const char **v;             /* n tokens, valid until the next render or fini */
	size_t n;
	struct ir_argv_seg *seg;
	size_t nseg;
	/* private */
	char *buf;
	size_t len, cap, vcap, segcap, *off;
};

void ir_argv_init(struct ir_argv *a);
void ir_argv_fini(struct ir_argv *a);
/* Render r into a (replacing what it held). Returns 0; out of memory aborts, as the arena does.
 * A rule ir_validate rejects still renders (as iptables would be told it). */
int ir_argv_render(struct ir_argv *a, const struct ir_rule *r);

/* The same tokens as iptables-restore text, for the restore emitter: each as " TOKEN", in double
 * quotes where the restore format needs them (blanks, quotes, empty), appended at buf + len. The
 * words come from the same render functions as the argv; the text form only skips the offsets and
 * segments and scans for quoting only what came from the configuration (names, comments, log
 * prefixes). Start from a zeroed struct; buf is malloc'd and grows. */
struct ir_text {
	char *buf;
	size_t len, cap;
};

/* Append r's tokens (no chain, no newline); returns how many. Out of memory aborts. */
size_t ir_text_render(struct ir_text *t, const struct ir_rule *r);
/* Append one string as a rule's strings from the configuration are written: " TEXT", in double
 * quotes with " and \ escaped when it is empty or holds a blank or a quote. */
void ir_text_str(struct ir_text *t, const char *text);
/* Room for n more bytes at buf + len, for a caller's own text between rules. */
void ir_text_reserve(struct ir_text *t, size_t n);
void ir_text_fini(struct ir_text *t);

#endif /* SHOREWALL_IR_H */
