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

/* Run the passes `level` selects until nothing changes, then delete user chains nothing jumps
 * to. Returns the number of rewrites made (0: the ruleset is unchanged). */
unsigned optimize_ruleset(struct ruleset *rs, unsigned level);

/* The passes, one per file; each returns how many rewrites it made. Exposed for the unit tests. */
unsigned opt_unreachable(struct ruleset *rs);
unsigned opt_closing(struct ruleset *rs);
unsigned opt_short_chains(struct ruleset *rs);
unsigned opt_identical(struct ruleset *rs);
unsigned opt_multiport(struct ruleset *rs);

/* The same passes for the driver's later rounds: only chains changed after `since` (a value of
 * rs->clock, compared with ir_chain.mod; 0 = every chain) can hold anything new for them. A pass
 * that finds nothing in a chain it already looked at would find nothing there again as long as the
 * chain is unchanged: unreachable, closing and multiport look at one chain's own rules; identical
 * merges only groups with a changed member (two unchanged chains were compared last time). Short
 * chains also depends on the chains jumped to and on reference counts, so it looks at all. */
unsigned opt_unreachable_since(struct ruleset *rs, uint64_t since);
unsigned opt_closing_since(struct ruleset *rs, uint64_t since);
unsigned opt_multiport_since(struct ruleset *rs, uint64_t since);

/* What the driver keeps for a pass from one round to the next. */
struct opt_keep {
	struct arena *arena;        /* scratch, freed when the driver returns */
	/* identical: each chain's body digest by table and creation number, and the rs->clock it was
	 * taken at (still right while the chain's mod is not later) */
	struct opt_digests {
		uint64_t *digest, *at;
		size_t n;
	} digests[IR_TABLE_COUNT];
};
/* keep: NULL, or kept by the caller between calls (zeroed but for the arena at first). */
unsigned opt_identical_since(struct ruleset *rs, uint64_t since, struct opt_keep *keep);

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
/* A digest of the rule's matches that equal match sets share whatever their order (per-match values
 * are summed), and the set of their kinds (bit 1 << kind). Only fields ir_match_equal compares go
 * in, so equal sets digest alike; which ones is a matter of spreading. */
uint64_t opt_matches_digest(const struct ir_rule *r, uint32_t *kinds);
/* The same with the target: equal rules (ir_rule_equal) digest alike. */
uint64_t opt_rule_digest(const struct ir_rule *r);
/* Is every match of `sub` also (equal) in `sup`? */
bool opt_matches_subset(const struct ir_rule *sub, const struct ir_rule *sup);

#endif /* SHOREWALL_OPTIMIZE_H */
