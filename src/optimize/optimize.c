/* optimize.c — the optimizer's driver: the passes as a table keyed by OPTIMIZE bit, run in rounds
 * until a round changes nothing, each pass followed by a sweep of unreferenced chains. */
#include "optimize.h"

#include <stdlib.h>

/* Run order (not bit order): dead rules go first, leaving shorter and more alike chains; identical
 * chains are merged before short ones are inlined, since a merge saves a whole body where inlining
 * a chain with one caller saves one rule (and would make its caller's body unique). Only identical
 * is told what changed since it last ran and keeps anything between rounds (run_since); the
 * per-chain passes keep their marks in the chains (run). */
static const struct {
	unsigned bit;
	unsigned (*run)(struct ruleset *rs);
	unsigned (*run_since)(struct ruleset *rs, uint32_t since, struct opt_keep *keep);
} passes[] = {
	{ OPT_UNREACHABLE, opt_unreachable, NULL },
	{ OPT_CLOSING, opt_closing, NULL },
	{ OPT_IDENTICAL, NULL, opt_identical_since },
	{ OPT_SHORT_CHAINS, opt_short_chains, NULL },
	{ OPT_MULTIPORT, opt_multiport, NULL },
};

/* Each round removes rules or chains (or only replaces a rule by an equivalent one with fewer
 * chains between it and its verdict), so a few rounds reach the fixed point; the bound is a guard. */
#define MAX_ROUNDS 16

/* Delete ch if it is a user chain nothing refers to (deleting releases its jumps, which puts the
 * chains only it referred to on the ruleset's orphan list, to be taken in turn). */
static unsigned sweep_chain(struct ir_chain *ch)
{
	if (ch->builtin || ch->deleted || ch->refs || opt_chain_kept(ch))
		return 0;
	return ir_chain_delete(ch);
}

unsigned opt_sweep(struct ruleset *rs)
{
	unsigned deleted = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++) {
		for (size_t i = rs->swept[t]; i < rs->chains[t].n; i++)
			deleted += sweep_chain(rs->chains[t].v[i]);
		rs->swept[t] = rs->chains[t].n;
	}
	/* the list grows while it is walked */
	for (size_t i = 0; i < rs->orphans.n; i++)
		deleted += sweep_chain(rs->orphans.v[i]);
	rs->orphans.n = 0;
	return deleted;
}

/* OPT_EVERY_CHAIN: as if no pass had been through any chain. */
static void forget_marks(struct ruleset *rs)
{
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++)
			rs->chains[t].v[i]->clean = 0;
}

unsigned optimize_ruleset(struct ruleset *rs, unsigned level)
{
	enum { NPASS = sizeof(passes) / sizeof(passes[0]) };
	unsigned total = 0;
	/* total as each pass last saw it: a pass runs again only after another one changed something
	 * (running it on what it already left unchanged would find nothing) */
	unsigned seen[NPASS];
	/* rs->clock when each pass last started (identical looks again only at chains changed since) */
	uint32_t since[NPASS];
	for (size_t p = 0; p < NPASS; p++) {
		seen[p] = ~0u;
		since[p] = 0;
	}
	if (!rs || !(level & OPT_ALL))
		return 0;
	struct opt_keep keep = { 0 };
	for (unsigned round = 0; round < MAX_ROUNDS; round++) {
		unsigned before = total;
		for (size_t p = 0; p < NPASS; p++) {
			if (!(level & passes[p].bit) || seen[p] == total)
				continue;
			if (level & OPT_EVERY_CHAIN)
				forget_marks(rs);
			/* what the pass changes counts as changed for its next run: identical's merges
			 * make their callers identical in turn */
			uint32_t start = rs->clock;
			unsigned changed = passes[p].run ? passes[p].run(rs)
				: passes[p].run_since(rs, level & OPT_EVERY_CHAIN ? 0 : since[p], &keep);
			since[p] = start;
			changed += opt_sweep(rs);
			total += changed;
			seen[p] = changed ? ~0u : total;
		}
		if (total == before)
			break;
	}
	arena_free(keep.arena);
	return total;
}
