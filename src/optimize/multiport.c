/* multiport.c — OPTIMIZE bit 16: adjacent rules that differ only in their destination ports become
 * one rule with a multiport list (at most 15 slots, a range taking two).
 *
 * `M --dport 22 -j T` followed by `M --dport 80 -j T` takes a packet to T when its port is 22 or 80
 * and the rest of M holds — which is what `M -m multiport --dports 22,80 -j T` says. With a
 * terminal T a packet can only be taken once; with a non-terminal one (LOG, -j CHAIN) a packet
 * matching both lists would have met T twice, so the lists must then not overlap. Stateful matches
 * (a limit per rule) and inverted port lists (`! --dport 22` twice is an AND, not an OR) never
 * combine. Comments are joined with ", " while they fit in 255 characters. */
#include "optimize.h"

#include "compile.h"

#include <string.h>

static const struct ir_match *dport_of(const struct ir_rule *r)
{
	const struct ir_match *found = NULL;
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (m->kind == IRM_DPORT) {
			if (found || m->invert)
				return NULL;
			found = m;
		}
	return found;
}

/* Equal but for the destination ports (in canonical order)? */
static bool same_but_dport(const struct ir_rule *a, const struct ir_rule *b)
{
	if (a->nmatches != b->nmatches || !ir_target_equal(&a->target, &b->target))
		return false;
	/* Rules built alike list the same kinds in the same order; canonical order, which depends
	 * only on kinds and port counts, then pairs their matches as the lists do, and comparing in
	 * list order gives the same answer without sorting. */
	const struct ir_match *la = a->matches, *lb = b->matches;
	for (;; la = la->next, lb = lb->next) {
		while (la && la->kind == IRM_DPORT)
			la = la->next;
		while (lb && lb->kind == IRM_DPORT)
			lb = lb->next;
		if (!la || !lb || la->kind != lb->kind ||
		    (la->kind == IRM_SPORT && (la->u.ports.n > 1) != (lb->u.ports.n > 1)))
			break;
	}
	if (!la && !lb) {
		for (la = a->matches, lb = b->matches;; la = la->next, lb = lb->next) {
			while (la && la->kind == IRM_DPORT)
				la = la->next;
			while (lb && lb->kind == IRM_DPORT)
				lb = lb->next;
			if (!la)
				return true;
			if (!ir_match_equal(la, lb))
				return false;
		}
	}
	struct ir_canon ia, ib;
	ir_canon_begin(&ia, a);
	ir_canon_begin(&ib, b);
	for (;;) {
		const struct ir_match *ma = ir_canon_next(&ia), *mb = ir_canon_next(&ib);
		while (ma && ma->kind == IRM_DPORT)
			ma = ir_canon_next(&ia);
		while (mb && mb->kind == IRM_DPORT)
			mb = ir_canon_next(&ib);
		if (!ma || !mb)
			return !ma && !mb;
		if (ma->kind != mb->kind || !ir_match_equal(ma, mb))
			return false;
	}
}

static bool overlap(const struct ir_ports *a, const struct ir_ports *b)
{
	for (unsigned i = 0; i < a->n; i++)
		for (unsigned j = 0; j < b->n; j++)
			if (a->r[i].lo <= b->r[j].hi && b->r[j].lo <= a->r[i].hi)
				return true;
	return false;
}

static bool has_range(const struct ir_ports *p, const struct ir_portrange *x)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->r[i].lo == x->lo && p->r[i].hi == x->hi)
			return true;
	return false;
}

/* Merge rules.v[i] and rules.v[i + 1] if they qualify; the merged rule takes index i. */
static bool merge_pair(struct ir_chain *ch, size_t i)
{
	const struct ir_rule *a = ch->rules.v[i], *b = ch->rules.v[i + 1];
	if (a->nmatches != b->nmatches || a->target.kind != b->target.kind)
		return false;           /* the cheap tests first: most neighbours differ here */
	const struct ir_match *pa = dport_of(a), *pb = dport_of(b);
	if (!pa || !pb || opt_rule_stateful(a) || opt_rule_stateful(b) || !same_but_dport(a, b))
		return false;
	bool terminal = ir_target_terminal(&a->target);
	if (!terminal && overlap(&pa->u.ports, &pb->u.ports))
		return false;
	struct ir_portrange all[2 * IR_MULTIPORT_SLOTS];
	size_t n = 0;
	for (unsigned k = 0; k < pa->u.ports.n; k++)
		all[n++] = pa->u.ports.r[k];
	for (unsigned k = 0; k < pb->u.ports.n; k++)
		if (!has_range(&pa->u.ports, &pb->u.ports.r[k]))
			all[n++] = pb->u.ports.r[k];
	if (ir_ports_fit(all, n) != n)
		return false;

	struct ir_rule *r = ir_rule_insert_at(ch, i, &a->loc);
	for (const struct ir_match *m = a->matches; m; m = m->next)
		if (m == pa)
			ir_match_dports(r, all, n, false);
		else
			ir_match_copy(r, m);
	ir_target_copy(r, &a->target);
	r->comment = a->comment;
	r->why = a->why;
	if (b->comment && (!a->comment || strcmp(a->comment, b->comment) != 0)) {
		size_t la = a->comment ? strlen(a->comment) : 0, lb = strlen(b->comment);
		if (!a->comment)
			r->comment = b->comment;
		else if (la + 2 + lb <= 255) {
			char *s = arena_alloc(ch->rs->c->arena, la + lb + 3);
			memcpy(s, a->comment, la);
			memcpy(s + la, ", ", 2);
			memcpy(s + la + 2, b->comment, lb + 1);
			r->comment = s;
		}
	}
	ir_rule_remove(ch, i + 2);
	ir_rule_remove(ch, i + 1);
	return true;
}

static unsigned chain_multiport(struct ir_chain *ch)
{
	unsigned changed = 0;
	for (size_t i = 0; i + 1 < ch->rules.n; i++)
		while (i + 1 < ch->rules.n && merge_pair(ch, i))
			changed++;
	return changed;
}

unsigned opt_multiport(struct ruleset *rs)
{
	unsigned changed = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++) {
			struct ir_chain *ch = rs->chains[t].v[i];
			if (ch->deleted || (ch->clean & OPT_MULTIPORT) || opt_chain_kept(ch))
				continue;
			changed += chain_multiport(ch);
			ch->clean |= OPT_MULTIPORT;       /* what it left holds nothing more for it */
		}
	return changed;
}
