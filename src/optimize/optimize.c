/* optimize.c — the optimizer's driver: the passes as a table keyed by OPTIMIZE bit, run in rounds
 * until a round changes nothing, each pass followed by a sweep of unreferenced chains. */
#include "optimize.h"

/* The passes as the driver calls them: only identical keeps anything between rounds, and short
 * chains looks at every chain each time (see opt_unreachable_since). */
static unsigned unreachable_run(struct ruleset *rs, uint64_t since, struct opt_keep *keep)
{
	(void)keep;
	return opt_unreachable_since(rs, since);
}

static unsigned closing_run(struct ruleset *rs, uint64_t since, struct opt_keep *keep)
{
	(void)keep;
	return opt_closing_since(rs, since);
}

static unsigned short_chains_run(struct ruleset *rs, uint64_t since, struct opt_keep *keep)
{
	(void)since;
	(void)keep;
	return opt_short_chains(rs);
}

static unsigned multiport_run(struct ruleset *rs, uint64_t since, struct opt_keep *keep)
{
	(void)keep;
	return opt_multiport_since(rs, since);
}

/* Run order (not bit order): dead rules go first, leaving shorter and more alike chains; identical
 * chains are merged before short ones are inlined, since a merge saves a whole body where inlining
 * a chain with one caller saves one rule (and would make its caller's body unique). `again`: what
 * the pass itself changed may hold more for it next round (merged chains make their callers
 * identical); the other passes leave nothing for themselves in the chains they rewrote. */
static const struct {
	unsigned bit;
	unsigned (*run)(struct ruleset *rs, uint64_t since, struct opt_keep *keep);
	bool again;
} passes[] = {
	{ OPT_UNREACHABLE, unreachable_run, false },
	{ OPT_CLOSING, closing_run, false },
	{ OPT_IDENTICAL, opt_identical_since, true },
	{ OPT_SHORT_CHAINS, short_chains_run, false },
	{ OPT_MULTIPORT, multiport_run, false },
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
	/* rs->clock when each pass last ran: it looks again only at chains changed since */
	uint64_t since[NPASS];
	for (size_t p = 0; p < NPASS; p++) {
		seen[p] = ~0u;
		since[p] = 0;
	}
	if (!rs || !(level & OPT_ALL))
		return 0;
	struct opt_keep keep = { .arena = arena_new() };
	for (unsigned round = 0; round < MAX_ROUNDS; round++) {
		unsigned before = total;
		for (size_t p = 0; p < NPASS; p++) {
			if (!(level & passes[p].bit) || seen[p] == total)
				continue;
			uint64_t start = rs->clock;
			unsigned changed = passes[p].run(rs, level & OPT_EVERY_CHAIN ? 0 : since[p], &keep);
			since[p] = passes[p].again ? start : rs->clock;
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
