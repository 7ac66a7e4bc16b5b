/* identical.c — OPTIMIZE bit 8: user chains with identical bodies become one.
 *
 * Two chains whose rules are equal one by one (same matches, same targets, jumps to the same
 * chains) decide every packet alike, so every jump to one may go to the other. Each group becomes
 * one new chain ~combN, as 5.2.8 names them (a member's name, say fw-vpn, would mislabel the
 * loc→vpn traffic that now walks it); the members lose their references and are swept. A chain with a stateful match stays alone: a `limit`
 * bucket is per rule, and one rule for two chains would halve what each let through. Merging can
 * make the chains that jump to the merged ones identical in turn; the driver repeats the pass. */
#include "optimize.h"

#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cand {
	uint64_t hash;
	struct ir_chain *ch;
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return strcmp(a->ch->name, b->ch->name);
}

/* A cheap digest that equal bodies share (ir_chain_body_hash walks every field of every match
 * through the layout tables, which for 22,000 zone-pair chains cost as much as building them):
 * rule count, targets with their chain and log prefix, match kinds. Only chains that share it
 * are hashed in full. Strings by content, chains by creation number: the same in every run. */
static uint64_t text_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static uint64_t shape(const struct ir_chain *ch)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ch->rules.n;
	for (size_t i = 0; i < ch->rules.n; i++) {
		const struct ir_rule *r = ch->rules.v[i];
		h = (h ^ ((uint64_t)r->target.kind << 8 | r->nmatches)) * 0x100000001b3ull;
		if (r->target.kind == IRT_JUMP || r->target.kind == IRT_GOTO)
			h = (h ^ r->target.u.chain->seq) * 0x100000001b3ull;
		else if (r->target.kind == IRT_LOG)
			h = text_hash(h, r->target.u.log.prefix);
		else if (r->target.kind == IRT_NFLOG)
			h = text_hash(h, r->target.u.nflog.prefix);
		for (const struct ir_match *mt = r->matches; mt; mt = mt->next)
			h += (uint64_t)mt->kind * 0x9e3779b97f4a7c15ull + mt->invert;
	}
	return h;
}

static bool chain_stateful(const struct ir_chain *ch)
{
	for (size_t i = 0; i < ch->rules.n; i++)
		if (opt_rule_stateful(ch->rules.v[i]))
			return true;
	return false;
}

/* A new chain ~combN (the first free N) holding a copy of body's rules: the name 5.2.8 gives a
 * merged chain, since no member's name (loc-vpn, vpn-loc) would be right for the others' traffic. */
static struct ir_chain *comb_new(struct ruleset *rs, enum ir_table t, const struct ir_chain *body)
{
	char name[32];
	for (unsigned k = 0;; k++) {
		snprintf(name, sizeof(name), "~comb%u", k);
		if (!ir_chain_find(rs, t, name))
			break;
	}
	struct ir_chain *ch = ir_chain_get(rs, t, name);
	ch->loc = body->loc;
	for (size_t i = 0; i < body->rules.n; i++)
		ir_rule_copy(ch, IR_END, body->rules.v[i]);
	return ch;
}

static unsigned table_identical(struct ruleset *rs, enum ir_table t)
{
	size_t nch = rs->chains[t].n;
	struct arena *a = rs->c->arena;
	struct cand *cv = arena_alloc(a, (nch ? nch : 1) * sizeof(*cv));
	size_t n = 0;
	for (size_t i = 0; i < nch; i++) {
		struct ir_chain *ch = rs->chains[t].v[i];
		if (ch->builtin || ch->deleted || !ch->refs || opt_chain_kept(ch) || chain_stateful(ch))
			continue;
		cv[n].hash = shape(ch);
		cv[n].ch = ch;
		n++;
	}
	if (n < 2)
		return 0;
	/* the full hash only for chains whose shape another chain shares */
	qsort(cv, n, sizeof(*cv), cand_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if ((i > 0 && cv[i - 1].hash == cv[i].hash) || (i + 1 < n && cv[i + 1].hash == cv[i].hash))
			cv[m++].ch = cv[i].ch;
	n = m;
	for (size_t i = 0; i < n; i++)
		cv[i].hash = ir_chain_body_hash(cv[i].ch);
	if (n < 2)
		return 0;
	qsort(cv, n, sizeof(*cv), cand_cmp);
	/* repl[seq]: the ~comb chain replacing the one created seq-th, or NULL; dup: merged into an
	 * earlier member of its group (so not a representative for later ones) */
	struct ir_chain **repl = arena_alloc(a, nch * sizeof(*repl));
	bool *dup = arena_alloc(a, nch * sizeof(*dup));
	unsigned merged = 0;
	for (size_t g = 0; g < n; ) {
		size_t end = g + 1;
		while (end < n && cv[end].hash == cv[g].hash)
			end++;
		for (size_t i = g + 1; i < end; i++)
			for (size_t j = g; j < i; j++) {
				struct ir_chain *first = cv[j].ch;
				if (dup[first->seq] || !ir_chain_body_equal(first, cv[i].ch))
					continue;
				if (!repl[first->seq])
					repl[first->seq] = comb_new(rs, t, first);
				repl[cv[i].ch->seq] = repl[first->seq];
				dup[cv[i].ch->seq] = true;
				merged++;
				break;
			}
		g = end;
	}
	if (!merged)
		return 0;
	/* every jump to a member goes to its ~comb, including those in the new chains' copied bodies */
	for (size_t i = 0; i < rs->chains[t].n; i++) {
		struct ir_chain *ch = rs->chains[t].v[i];
		if (ch->deleted || (i < nch && repl[i]))
			continue;
		for (size_t k = 0; k < ch->rules.n; k++) {
			struct ir_rule *r = ch->rules.v[k];
			if (r->target.kind != IRT_JUMP && r->target.kind != IRT_GOTO)
				continue;
			unsigned seq = r->target.u.chain->seq;
			struct ir_chain *to = seq < nch ? repl[seq] : NULL;
			if (to)
				(r->target.kind == IRT_JUMP ? ir_target_jump : ir_target_goto)(r, to);
		}
	}
	return merged;
}

unsigned opt_identical(struct ruleset *rs)
{
	unsigned changed = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		changed += table_identical(rs, (enum ir_table)t);
	return changed;
}
