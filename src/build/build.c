/* build.c — the IR builder's driver: pairs array, stage order, pair names and jumps, the final sweep. */
#include "build.h"
#include "actions.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "optimize.h"
#include "settings.h"

#include <stdbool.h>
#include <string.h>

struct pair *build_pair(struct builder *b, const struct zone *src, const struct zone *dst)
{
	return &b->pairs[src->index][dst->index];
}

const char *build_pair_name_in(struct builder *b, const struct zone *src, const struct zone *dst, char *buf,
			       size_t size)
{
	/* concatenated by hand: called for every zone pair, and printf formatting was 8 % at 150 zones */
	size_t ls = strlen(src->name), ld = strlen(dst->name);
	char *name = ls + ld + 2 <= size ? buf : arena_alloc(b->c->arena, ls + ld + 2);
	memcpy(name, src->name, ls);
	name[ls] = b->s->zone2zone_2 ? '2' : '-';
	memcpy(name + ls + 1, dst->name, ld + 1);
	return name;
}

const char *build_pair_name(struct builder *b, const struct zone *src, const struct zone *dst)
{
	return build_pair_name_in(b, src, dst, NULL, 0);
}

void pair_jump(struct builder *b, struct ir_rule *r, struct pair *p)
{
	(void)b;
	if (p->trivial_accept || !p->chain) {
		ir_target_simple(r, IRT_ACCEPT);
		if (p->cell && p->cell->policy)
			r->why = &p->cell->policy->loc;
	} else
		ir_target_jump(r, p->chain);
}

const char *build_iface_chain_base(struct builder *b, const char *ifname)
{
	/* As 5.2.8 names them (ppp+_in, eth0.5_fwd): iptables takes these characters, and admins
	 * look for the names they know. */
	(void)b;
	return ifname;
}

/* Delete user chains nothing jumps to, until none is left: deleting one releases its own jumps,
 * which may leave another chain unreferenced. */
static void sweep_unreferenced(struct ruleset *rs)
{
	bool again = true;
	while (again) {
		again = false;
		for (unsigned t = 0; t < IR_TABLE_COUNT; t++) {
			for (size_t i = 0; i < rs->chains[t].n; i++) {
				struct ir_chain *ch = rs->chains[t].v[i];
				if (ch->builtin || ch->deleted || ch->refs)
					continue;
				if (ir_chain_delete(ch))
					again = true;
			}
		}
	}
}

void build_finish(struct builder *b)
{
	sweep_unreferenced(b->rs);
	if (b->s->optimize)
		optimize_ruleset(b->rs, b->s->optimize);
	ir_validate(b->rs);
}

struct ruleset *build_ruleset(struct compile *c)
{
	struct graph *g = c->graph;
	if (!g || !c->conf || !g->matrix) {
		struct loc none = LOC_NONE;
		diag_error(c->diag, &none, "Nothing to compile: the configuration did not load");
		return NULL;
	}
	unsigned before = c->diag->errors;
	struct builder *b = arena_new_obj(c->arena, struct builder);
	b->c = c;
	b->g = g;
	b->s = c->conf;
	b->rs = ir_ruleset_new(c);
	size_t nz = g->zones.n;
	ir_ruleset_reserve(b->rs, IR_FILTER, nz * nz);     /* a chain per zone pair, most of them */
	/* a row per source zone: the whole table (900 KB at 150 zones) would be a mapping of its own,
	 * faulted in page by page, where rows come from the arena's huge-page slabs */
	b->pairs = arena_alloc(c->arena, (nz ? nz : 1) * sizeof(*b->pairs));
	for (size_t i = 0; i < nz; i++) {
		b->pairs[i] = arena_alloc(c->arena, nz * sizeof(*b->pairs[i]));
		for (size_t j = 0; j < nz; j++) {
			struct pair *p = &b->pairs[i][j];
			p->src = g->zones.v[i];
			p->dst = g->zones.v[j];
			p->cell = graph_policy(g, p->src, p->dst);
		}
	}

	/* Shorewall's builtin filter policies: whatever no rule decides is dropped. */
	static const char *const builtins[] = { "INPUT", "FORWARD", "OUTPUT" };
	for (size_t i = 0; i < 3; i++)
		ir_chain_set_policy(ir_chain_get(b->rs, IR_FILTER, builtins[i]), IR_POLICY_DROP);

	build_common(b);
	build_pairs(b);
	build_dispatch(b);
	build_nat(b);
	build_mangle(b);
	actions_finish(b);
	build_finish(b);
	return c->diag->errors == before ? b->rs : NULL;
}
