/* optimize.h — verdict-preserving rewrites of the ruleset IR, switched by OPTIMIZE's bits.
 *
 * Every pass keeps each packet's fate (verdict, NAT, marks, logging) exactly as before; it only
 * removes rules no packet can reach or that cannot change what happens, and folds chains and
 * rules into fewer. See docs/optimizer.md for each pass and why it is safe. */
#ifndef SHOREWALL_OPTIMIZE_H
#define SHOREWALL_OPTIMIZE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

/* OPTIMIZE bits (shorewall.conf(5) numbers its categories the same way; "All" = 31). */
enum {
	OPT_UNREACHABLE = 1,        /* rules after / shadowed by an earlier terminal rule */
	OPT_CLOSING = 2,            /* rules repeating the chain's own closing verdict just before it */
	OPT_SHORT_CHAINS = 4,       /* empty and one-rule chains inlined, tail jumps inlined */
	OPT_IDENTICAL = 8,          /* chains with identical bodies merged */
	OPT_MULTIPORT = 16,         /* adjacent rules differing only in destination ports combined */
	OPT_ALL = 31,
	/* Not an OPTIMIZE value: every pass looks at every chain in every round instead of only at the
	 * chains changed since it last ran. The same result, slower; the unit tests compare the two. */
	OPT_EVERY_CHAIN = 1 << 8,
};

/* Run the passes `level` selects until nothing changes, each followed by a sweep of user chains
 * nothing jumps to. Returns the number of rewrites made (0: the ruleset is unchanged). */
unsigned optimize_ruleset(struct ruleset *rs, unsigned level);

/* The passes, one per file; each returns how many rewrites it made. Exposed for the unit tests. */
unsigned opt_unreachable(struct ruleset *rs);
unsigned opt_closing(struct ruleset *rs);
unsigned opt_short_chains(struct ruleset *rs);
unsigned opt_identical(struct ruleset *rs);
unsigned opt_multiport(struct ruleset *rs);

/* Unreachable, closing and multiport look at one chain's own rules: each marks a chain it has
 * been through (ir_chain.clean) and skips it until it changes, since it would find nothing new
 * there. A pass whose rewrites cannot give another one anything to do keeps that one's mark (see
 * closing.c, identical.c). Identical compares chains with each other: after its first run it looks
 * only at groups with a chain changed since it last ran (`since`, a value of rs->clock compared
 * with ir_chain.mod; 0 = every chain). Short chains depends on the chains jumped to and on
 * reference counts, and looks at every chain each time. */
#define OPT_PER_CHAIN (OPT_UNREACHABLE | OPT_CLOSING | OPT_MULTIPORT)

/* What the driver keeps for a pass from one round to the next. */
struct opt_keep {
	/* identical (in arena, a child of the compile's freed when the driver returns): each
	 * chain's digests by table and creation number, and the rs->clock they were taken at
	 * (still right while the chain's mod is not later) */
	struct arena *arena;
	struct opt_digests {
		struct opt_digest {
			uint64_t shape, full;
			uint32_t at;
			bool full_known;
		} *v;
		size_t n;
	} digests[IR_TABLE_COUNT];
};
/* keep: NULL, or kept by the caller between calls (zeroed at first; free digests[t].v after). */
unsigned opt_identical_since(struct ruleset *rs, uint32_t since, struct opt_keep *keep);

/* Delete unreferenced user chains (except the ones kept by name); returns how many. */
unsigned opt_sweep(struct ruleset *rs);

/* ---- helpers the passes share (src/optimize/common.c) ---------------------------------------- */

/* User chains that must keep their name and body whatever they hold: `dynamic` is filled at run
 * time by `shorewall drop/reject/allow`. (Builtin chains keep their name but not their body.) */
bool opt_chain_kept(const struct ir_chain *ch);
/* The sorted table behind opt_chain_kept, for the unit test's order check. */
struct keyword;
const struct keyword *opt_kept_table(size_t *n);
/* Does evaluating the rule's matches change state (limit, hashlimit, recent, connlimit)? Such
 * rules are never removed or merged: their buckets may be shared with other rules. */
bool opt_rule_stateful(const struct ir_rule *r);
/* A digest of the rule's matches that equal match sets share whatever their order (per-match
 * digests are summed; the first `max` go to each[], in list order), and the set of their kinds (bit
 * 1 << kind). Only fields ir_match_equal compares go in, so equal matches digest alike; which ones
 * is a matter of spreading. */
uint64_t opt_matches_digest(const struct ir_rule *r, uint32_t *kinds, uint64_t *each, size_t max);
/* The same with the target: equal rules (ir_rule_equal) digest alike. */
uint64_t opt_rule_digest(const struct ir_rule *r);
/* Is every match of `sub` also (equal) in `sup`? */
bool opt_matches_subset(const struct ir_rule *sub, const struct ir_rule *sup);

#endif /* SHOREWALL_OPTIMIZE_H */
