/* optimize.c — the optimizer's driver: the passes as a table keyed by OPTIMIZE bit, run in rounds
 * until a round changes nothing, each pass followed by a sweep of unreferenced chains. */
#include "optimize.h"

/* Run order (not bit order): dead rules go first, leaving shorter and more alike chains; identical
 * chains are merged before short ones are inlined, since a merge saves a whole body where inlining
 * a chain with one caller saves one rule (and would make its caller's body unique). */
static const struct {
	unsigned bit;
	unsigned (*run)(struct ruleset *rs);
} passes[] = {
	{ OPT_UNREACHABLE, opt_unreachable },
	{ OPT_CLOSING, opt_closing },
	{ OPT_IDENTICAL, opt_identical },
	{ OPT_SHORT_CHAINS, opt_short_chains },
	{ OPT_MULTIPORT, opt_multiport },
};

/* Each round removes rules or chains (or only replaces a rule by an equivalent one with fewer
 * chains between it and its verdict), so a few rounds reach the fixed point; the bound is a guard. */
#define MAX_ROUNDS 16

unsigned opt_sweep(struct ruleset *rs)
{
	unsigned deleted = 0;
	bool again = true;
	while (again) {
		again = false;
		for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
			for (size_t i = 0; i < rs->chains[t].n; i++) {
				struct ir_chain *ch = rs->chains[t].v[i];
				if (ch->builtin || ch->deleted || ch->refs || opt_chain_kept(ch))
					continue;
				if (ir_chain_delete(ch)) {
					deleted++;
					again = true;
				}
			}
	}
	return deleted;
}

unsigned optimize_ruleset(struct ruleset *rs, unsigned level)
{
	enum { NPASS = sizeof(passes) / sizeof(passes[0]) };
	unsigned total = 0;
	/* total as each pass last saw it: a pass runs again only after another one changed something
	 * (running it on what it already left unchanged would find nothing) */
	unsigned seen[NPASS];
	for (size_t p = 0; p < NPASS; p++)
		seen[p] = ~0u;
	if (!rs || !(level & OPT_ALL))
		return 0;
	for (unsigned round = 0; round < MAX_ROUNDS; round++) {
		unsigned before = total;
		for (size_t p = 0; p < NPASS; p++) {
			if (!(level & passes[p].bit) || seen[p] == total)
				continue;
			unsigned changed = passes[p].run(rs);
			changed += opt_sweep(rs);
			total += changed;
			seen[p] = changed ? ~0u : total;
		}
		if (total == before)
			break;
	}
	return total;
}
