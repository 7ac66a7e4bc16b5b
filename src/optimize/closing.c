/* closing.c — OPTIMIZE bit 2: drop rules that repeat the chain's own closing verdict just before it.
 *
 * A chain closes with a fate every packet that gets to its end meets: its last rule when that rule
 * has no matches and a terminal target (`-j DROP`, `-g reject`), else a builtin chain's policy,
 * else (a user chain) a return to the caller, as `-j RETURN` would. A rule right before the close
 * whose target is that same fate is redundant: the packets it takes would meet the same fate one
 * rule later. Walking backwards, each removal exposes the next candidate. A rule with a stateful
 * match stays (its limit bucket may be shared), and so does anything not equal to the close (a LOG
 * rule in between keeps every rule before it). */
#include "optimize.h"

static unsigned chain_closing(struct ir_chain *ch)
{
	struct ir_target close = { 0 };
	size_t i = ch->rules.n;
	if (i && !ch->rules.v[i - 1]->nmatches && ir_target_terminal(&ch->rules.v[i - 1]->target)) {
		close = ch->rules.v[i - 1]->target;
		i--;
	} else if (ch->builtin)
		close.kind = ch->policy == IR_POLICY_DROP ? IRT_DROP : IRT_ACCEPT;
	else
		close.kind = IRT_RETURN;
	/* Removing rules right before the close leaves nothing new for unreachable (the rules before
	 * them are walked as before, and the close, a rule without matches, is shadowed only by an
	 * earlier rule without matches, which it was not) nor for multiport (the one new neighbour is
	 * the close, which has no port to combine): their marks stay. */
	uint8_t keep = ch->clean & (OPT_UNREACHABLE | OPT_MULTIPORT);
	unsigned removed = 0;
	while (i-- > 0) {
		const struct ir_rule *r = ch->rules.v[i];
		if (!ir_target_equal(&r->target, &close) || opt_rule_stateful(r))
			break;
		ir_rule_remove(ch, i);
		removed++;
	}
	ch->clean |= keep;
	return removed;
}

unsigned opt_closing(struct ruleset *rs)
{
	unsigned changed = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++) {
			struct ir_chain *ch = rs->chains[t].v[i];
			if (ch->deleted || (ch->clean & OPT_CLOSING) || opt_chain_kept(ch))
				continue;
			changed += chain_closing(ch);
			ch->clean |= OPT_CLOSING;       /* what it left holds nothing more for it */
		}
	return changed;
}
