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
/* Is every match of `sub` also (equal) in `sup`? */
bool opt_matches_subset(const struct ir_rule *sub, const struct ir_rule *sup);

#endif /* SHOREWALL_OPTIMIZE_H */
