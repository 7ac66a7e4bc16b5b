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

/* Two digests of a body that equal bodies share (ir_chain_body_equal: rules equal one by one,
 * each with the same target and the same matches in canonical order, hence the same set of
 * matches, which are summed in any order). The shape (rule count, each rule's target and number
 * of matches) is cheap and tells chains apart where they differ in length (the large chains of a
 * ruleset with many rules); the full one, over the matches themselves, is taken only for chains
 * whose shape another candidate shares, and bodies are compared only where it agrees. Chains by
 * creation number, strings by content: the same in every run. */
static uint64_t text_digest(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static uint64_t shape_digest(const struct ir_chain *ch)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ch->rules.n;
	for (size_t i = 0; i < ch->rules.n; i++) {
		const struct ir_rule *r = ch->rules.v[i];
		h = (h ^ ((uint64_t)r->target.kind << 8 | r->nmatches)) * 0x100000001b3ull;
		if (r->target.kind == IRT_JUMP || r->target.kind == IRT_GOTO)
			h = (h ^ r->target.u.chain->seq) * 0x100000001b3ull;
		else if (r->target.kind == IRT_LOG)
			h = text_digest(h, r->target.u.log.prefix);
	}
	return h;
}

static uint64_t full_digest(const struct ir_chain *ch)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ch->rules.n;
	for (size_t i = 0; i < ch->rules.n; i++)
		h = (h ^ opt_rule_digest(ch->rules.v[i])) * 0x100000001b3ull;
	return h;
}

/* Zeroed scratch from a for n elements of size. A pass's scratch lives in an arena of its own,
 * a child of the compile's, freed when the pass ends: its blocks (over a megabyte at 150 zones)
 * then serve the next pass's, already faulted in, where malloc'd arrays were fresh pages from the
 * kernel every time (a third of the compile's page faults at 150 zones). */
static void *scratch(struct arena *a, size_t n, size_t size)
{
	return arena_alloc(a, (n ? n : 1) * size);
}

/* keep's entry for the chain, its digests taken again if the chain changed since. */
static struct opt_digest *kept_entry(struct opt_keep *keep, const struct ir_chain *ch)
{
	struct opt_digests *d = &keep->digests[ch->table];
	if (ch->seq >= d->n) {
		/* room for every chain of the table and some more ~comb ones (the old array stays in
		 * the scratch arena: at most as much again) */
		size_t n = ch->rs->chains[ch->table].n + 64;
		if (!keep->arena)
			keep->arena = arena_new_child(ch->rs->c->arena);
		struct opt_digest *v = scratch(keep->arena, n, sizeof(*v));
		if (d->n)
			memcpy(v, d->v, d->n * sizeof(*v));
		d->v = v;
		d->n = n;
	}
	struct opt_digest *e = &d->v[ch->seq];
	if (!e->at || e->at < ch->mod) {
		e->shape = shape_digest(ch);
		e->full_known = false;
		e->at = ch->rs->clock;
	}
	return e;
}

/* The candidates of one table, grouped by shape: an open-addressing index from shape to the first
 * candidate with it, the others linked through `next`. */
struct cand {
	struct ir_chain *ch;
	struct opt_digest d;        /* a copy of keep's entry, or taken here without keep */
	struct opt_digest *kept;    /* keep's entry, or NULL */
	size_t next;                /* next candidate with the same shape, or NONE */
};
#define NONE ((size_t)-1)

static uint64_t cand_full(struct cand *c)
{
	if (!c->d.full_known) {
		c->d.full = full_digest(c->ch);
		c->d.full_known = true;
		if (c->kept)
			*c->kept = c->d;
	}
	return c->d.full;
}

/* A group of equal bodies: its members in name order are first, second…; 5.2.8's order of the
 * ~comb chains is by full body hash, then by the name of the member that made the merge. */
struct group {
	uint64_t full;              /* the members' full digest */
	uint64_t hash;              /* ir_chain_body_hash */
	struct ir_chain *first, *second;
	size_t head;                /* members, linked through link[] */
};

static bool chain_stateful(const struct ir_chain *ch)
{
	for (size_t i = 0; i < ch->rules.n; i++)
		if (opt_rule_stateful(ch->rules.v[i]))
			return true;
	return false;
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return strcmp(a->second->name, b->second->name);
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
	ch->clean = body->clean & OPT_PER_CHAIN;   /* the same rules: the same left to do */
	return ch;
}

/* Split the candidates with one shape (linked from `head`) into groups of equal bodies; append
 * each group of two or more that may merge to gv. Members are linked into `link` (a copy of the
 * candidates' next fields). */
static size_t split_bucket(struct cand *cv, size_t *link, size_t head, struct group *gv, size_t ng)
{
	size_t first_group = ng;
	for (size_t i = head; i != NONE; i = cv[i].next) {
		struct ir_chain *ch = cv[i].ch;
		uint64_t full = cand_full(&cv[i]);
		size_t g = first_group;
		while (g < ng && (gv[g].full != full || !ir_chain_body_equal(cv[gv[g].head].ch, ch)))
			g++;
		if (g == ng) {
			gv[ng].full = full;
			gv[ng].head = NONE;
			gv[ng].first = gv[ng].second = NULL;
			ng++;
		}
		link[i] = gv[g].head;       /* members in reverse order; only first and second matter */
		gv[g].head = i;
		if (!gv[g].first || strcmp(ch->name, gv[g].first->name) < 0) {
			gv[g].second = gv[g].first;
			gv[g].first = ch;
		} else if (!gv[g].second || strcmp(ch->name, gv[g].second->name) < 0)
			gv[g].second = ch;
	}
	/* keep the groups that merge: two or more members, no stateful match (all members hold the
	 * same matches, so the first speaks for them) */
	size_t kept = first_group;
	for (size_t g = first_group; g < ng; g++)
		if (gv[g].second && !chain_stateful(gv[g].first))
			gv[kept++] = gv[g];
	return kept;
}

static unsigned table_identical(struct ruleset *rs, enum ir_table t, uint32_t since,
				struct opt_keep *keep)
{
	size_t nch = rs->chains[t].n;
	struct arena *tmp = arena_new_child(rs->c->arena);
	struct cand *cv = scratch(tmp, nch, sizeof(*cv));
	uint32_t *slot = NULL;
	size_t *link = NULL;
	struct group *gv = NULL;
	bool *done = NULL;
	struct ir_chain **repl = NULL;
	size_t n = 0;
	bool fresh = false;         /* a changed candidate: without one, nothing can merge */
	for (size_t i = 0; i < nch; i++) {
		struct ir_chain *ch = rs->chains[t].v[i];
		if (ch->builtin || ch->deleted || !ch->refs || opt_chain_kept(ch))
			continue;
		cv[n].ch = ch;
		cv[n].next = NONE;
		fresh |= ch->mod > since;
		n++;
	}
	unsigned merged = 0;
	if (n < 2 || !fresh)
		goto out;
	/* an open-addressing index: shape → the first candidate with it (index + 1; 0 = empty), the
	 * others linked behind it */
	size_t size = 16;
	while (size < 2 * n)
		size <<= 1;
	slot = scratch(tmp, size, sizeof(*slot));
	for (size_t i = 0; i < n; i++) {
		if (keep) {
			cv[i].kept = kept_entry(keep, cv[i].ch);
			cv[i].d = *cv[i].kept;
		} else {
			cv[i].kept = NULL;
			cv[i].d = (struct opt_digest){ .shape = shape_digest(cv[i].ch) };
		}
		uint64_t shape = cv[i].d.shape;
		size_t s = shape & (size - 1);
		while (slot[s] && cv[slot[s] - 1].d.shape != shape)
			s = (s + 1) & (size - 1);
		if (!slot[s])
			slot[s] = (uint32_t)(i + 1);
		else {
			struct cand *head = &cv[slot[s] - 1];
			cv[i].next = head->next;
			head->next = i;
		}
	}
	/* the shapes a changed chain shares with another: their groups of equal bodies */
	link = scratch(tmp, n, sizeof(*link));
	gv = scratch(tmp, n, sizeof(*gv));
	done = scratch(tmp, n, sizeof(*done));          /* by the shape's first candidate */
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		if (cv[i].ch->mod <= since)
			continue;
		size_t s = cv[i].d.shape & (size - 1);
		while (cv[slot[s] - 1].d.shape != cv[i].d.shape)
			s = (s + 1) & (size - 1);
		size_t head = slot[s] - 1;
		if (done[head] || cv[head].next == NONE)
			continue;
		done[head] = true;
		ng = split_bucket(cv, link, head, gv, ng);
	}
	for (size_t g = 0; g < ng; g++)
		gv[g].hash = ir_chain_body_hash(gv[g].first);
	qsort(gv, ng, sizeof(*gv), group_cmp);
	/* repl[seq]: the ~comb chain replacing the one created seq-th, or NULL */
	repl = scratch(tmp, nch, sizeof(*repl));
	for (size_t g = 0; g < ng; g++) {
		struct ir_chain *comb = comb_new(rs, t, gv[g].first);
		for (size_t i = gv[g].head; i != NONE; i = link[i]) {
			repl[cv[i].ch->seq] = comb;
			merged++;
		}
		merged--;               /* the first member is not merged into another */
	}
	if (!merged)
		goto out;
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
			if (!to)
				continue;
			/* unreachable looks at matches and target kinds, not at which chain a jump goes
			 * to: its mark stays */
			uint8_t marks = ch->clean & OPT_UNREACHABLE;
			(r->target.kind == IRT_JUMP ? ir_target_jump : ir_target_goto)(r, to);
			ch->clean |= marks;
		}
	}
out:
	arena_free(tmp);
	return merged;
}

unsigned opt_identical(struct ruleset *rs)
{
	return opt_identical_since(rs, 0, NULL);
}

unsigned opt_identical_since(struct ruleset *rs, uint32_t since, struct opt_keep *keep)
{
	unsigned changed = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		changed += table_identical(rs, (enum ir_table)t, since, keep);
	return changed;
}
