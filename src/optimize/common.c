/* common.c — what the optimizer's passes share: chains kept by name, stateful rules, match subsets. */
#include "optimize.h"

#include "keyword.h"

static const struct keyword kept[] = {  /* must stay sorted */
	{ "dynamic", 0, 0 },
};

const struct keyword *opt_kept_table(size_t *n)
{
	*n = KW_COUNT(kept);
	return kept;
}

bool opt_chain_kept(const struct ir_chain *ch)
{
	return !ch->builtin && KW_FIND(kept, ch->name) != NULL;
}

bool opt_rule_stateful(const struct ir_rule *r)
{
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (ir_match_desc(m->kind)->flags & IRM_F_STATEFUL)
			return true;
	return false;
}

bool opt_matches_subset(const struct ir_rule *sub, const struct ir_rule *sup)
{
	if (sub->nmatches > sup->nmatches)
		return false;
	for (const struct ir_match *a = sub->matches; a; a = a->next) {
		bool found = false;
		for (const struct ir_match *b = sup->matches; b && !found; b = b->next)
			found = b->kind == a->kind && ir_match_equal(a, b);
		if (!found)
			return false;
	}
	return true;
}
