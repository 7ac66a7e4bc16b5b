/* rules_int.h — what rules_build.c (filter rules, macros) and rules_nat.c (DNAT, REDIRECT) share:
 * a rules line read once (rule_prep), the per-pair index, and the steps both halves use. */
#ifndef SHOREWALL_RULES_INT_H
#define SHOREWALL_RULES_INT_H 1

#include "arena.h"
#include "build.h"
#include "ir.h"
#include "rule_typed.h"

struct rule;
struct action_call;

/* The side of a column that names a whole zone (no qualifier): no interface, no address. */
extern const struct rule_side rules_no_side;

/* The columns nearly every rule leaves empty (USER MARK TIME CONNLIMIT HELPER ORIGINAL DEST), out
 * of line: a rule_prep carries a pointer to one only when the line uses them. */
struct rule_extra {
	bool owner, owner_inv;      /* USER: -m owner */
	long uid, gid;
	struct build_mark mark;     /* MARK: -m mark / -m connmark */
	bool time;                  /* TIME: -m time */
	struct ir_time tm;
	bool connlimit, cl_daddr, cl_above;     /* CONNLIMIT: -m connlimit */
	unsigned cl_count, cl_mask;
	const char *helper;         /* HELPER: -m helper */
	/* ORIGINAL DEST and a DNAT's filter half (rules_nat.c): the connection's destination before
	 * DNAT, tested with -m conntrack by rules_nat_matches() and rules_nat_excl() */
	const struct addr_item *od;             /* --ctorigdst (NULL: not tested) */
	bool od_inv;
	VEC(const struct addr_item *) od_excl;  /* excluded: RETURN in the rule's ~excl chain */
	uint16_t odport_lo, odport_hi;          /* --ctorigdstport (0: not tested) */
};

/* A rules line, read once: its target, both qualifiers and its protocols; the index lists it
 * under every pair its SOURCE and DEST name. */
struct rule_prep {
	const struct rule *ru;
	struct ir_target t;
	const struct rule_side *s, *d;   /* never NULL: &rules_no_side for a whole zone */
	const struct proto_spec *ps;
	uint32_t np;
	uint8_t sec;                /* ?SECTION in force: 0 ALL … 5 NEW (none = NEW) */
	bool reported;              /* already reported as not supported */
	struct action_call *act;    /* a standard action (actions.h), else NULL */
	struct rule_extra *ext;     /* NULL: none of its columns given */
};

struct rules_index {
	VEC(struct rule_prep *) *by_pair;   /* [src->index * zones.n + dst->index] */
	unsigned nhash;                     /* hashlimit tables named shorewallN so far */
	VEC(struct macro *) macros;         /* read so far (a failed read: no path) */
	struct ir_chain **dnat;             /* [zone->index]: Z_dnat in the nat table, NULL = none */
	VEC(struct zone *) dnat_order;
	uint8_t secs[6];            /* the sections the rules pass through, in file order */
	size_t nsecs;
	/* What is dead once a line is indexed (zone sets, split lists, copies cut from its
	 * columns): emptied after each line, so the largest line, not the file, sets its size. */
	struct arena *tmp;
	/* [zone->index]: what only the pairs from that zone read (the lines that name one pair,
	 * the pairs' lists), freed once the last of them is built, so that a large file's lines
	 * and the rules made of them are not all held at once. Each pair is built once. */
	struct arena **by_src;
	unsigned *left;             /* [zone->index]: pairs with lines still to build */
	/* [zone->index]: the parser's arena of what it read of the lines naming one pair from that
	 * zone (rule_typed.h), when it is not by_src[zone->index] itself; freed with it */
	struct arena **typed_home;
	const struct rule_typed_file *typed_file;   /* the file whose arenas were taken over */
	/* [position in rules_target_table()]: the verdict of rule_actions of that name, NULL: none
	 * (a line the parser typed names its target by position: no look-up by name) */
	const struct keyword **verdicts;
	struct arena *home;         /* where the line being read goes (NULL: the compile's arena) */
};

/* A SOURCE/DEST column as a set of zones. */
struct zone_set {
	bool *in;                   /* [zone->index] */
	bool wild, intra;           /* all/any/list; `+`: intra-zone pairs too */
	long one;                   /* not wild: the one zone's index (-1: none) */
	const char *rest;
};

/* A SOURCE/DEST column as a set of zones (rest: the qualifier after "zone:"). */
void rules_zone_set(struct builder *b, const char *text, struct zone_set *z);
/* Report fmt/what at the line once, however many pairs it expands to. */
void rules_not_supported(struct builder *b, struct rule_prep *ref, const char *fmt, const char *what);
/* Read the line's verdict, qualifiers sq and dq (after "zone:"; NULL = the whole zone) and
 * columns; false (reported) when it cannot be built. */
bool rules_prepare(struct builder *b, struct rule_prep *x, const char *sq, const char *dq);
/* x's extra record, made empty on first use. */
struct rule_extra *rules_extra(struct builder *b, struct rule_prep *x);
/* A copy of x (with its own extra record) to change per original destination. */
struct rule_prep *rules_prep_copy(struct builder *b, const struct rule_prep *x);
/* Does x exclude anything (a ~excl chain)? */
static inline bool rules_has_excl(const struct rule_prep *x)
{
	return x->s->nexcl || x->d->nexcl || (x->ext && x->ext->od_excl.n);
}
/* The rule's matches and target into ch, for one source/dest address and protocol. */
void rules_emit_one(struct builder *b, struct ir_chain *ch, const struct rule_prep *x, const struct addr_item *sa,
		    const struct addr_item *da, const struct proto_spec *ps, const struct ir_target *t,
		    const char *const *hnames);
/* ru read once: SOURCE/DEST into s and d, the rest into a new rule_prep (NULL: reported). */
struct rule_prep *rules_prep_read(struct builder *b, const struct rule *ru, struct zone_set *s, struct zone_set *d);
/* x under every pair of s × d. */
void rules_index_pairs(struct builder *b, struct rules_index *ix, const struct zone_set *s,
		       const struct zone_set *d, struct rule_prep *x);
/* List a line under every pair its SOURCE and DEST name. */
void rules_index_rule(struct builder *b, struct rules_index *ix, const struct rule *ru);

/* rules_nat.c — the nat half of the rules language. Its lines: DNAT DNAT- REDIRECT REDIRECT-
 * NONAT ACCEPT+, and any line with an ORIGINAL DEST column; their filter half (a DNAT's ACCEPT,
 * ACCEPT+'s ACCEPT, an ACCEPT/DROP/… with ORIGINAL DEST) goes into the index like any rule. */
struct keyword;
bool rules_nat_action(const char *action);             /* one of the six nat actions */
bool rules_nat_owns(const struct rule *ru);            /* a nat action, or ORIGINAL DEST given */
const struct keyword *rules_nat_action_table(size_t *n);
void rules_index_nat(struct builder *b, struct rules_index *ix, const struct rule *ru);
/* PREROUTING's jumps to every Z_dnat, once all rules are indexed. */
void rules_dnat_dispatch(struct builder *b, struct rules_index *ix);
/* Into a rule of x: its --ctorigdst / --ctorigdstport tests (nothing when x has none). */
void rules_nat_matches(struct ir_rule *r, const struct rule_prep *x);
/* Into x's ~excl chain: a RETURN for each excluded original destination. */
void rules_nat_excl(struct ir_chain *ch, const struct rule_prep *x);

#endif
