/* pairs.c — one chain per ordered zone pair: state, rate and policy sections, trivial ACCEPT pairs. */
#include "build.h"
#include "actions.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The default actions a policy may name: the standard actions' table (actions.c). */
const struct keyword *build_default_action_table(size_t *n)
{
	return actions_table(n);
}

/* Verdict words of dispositions and default-action parameters (case-insensitive). */
static const struct keyword verdict_words[] = {    /* must stay sorted */
	{ "accept", IRT_ACCEPT, 0 },
	{ "drop", IRT_DROP, 0 },
	{ "reject", IRT_REJECT, 0 },
};

const struct keyword *build_verdict_table(size_t *n)
{
	*n = KW_COUNT(verdict_words);
	return verdict_words;
}

void build_verdict(struct builder *b, struct ir_rule *r, const char *word)
{
	const struct keyword *k = word ? kw_find_nocase(verdict_words, KW_COUNT(verdict_words), word) : NULL;
	if (k && k->value == IRT_ACCEPT)
		ir_target_simple(r, IRT_ACCEPT);
	else if (k && k->value == IRT_REJECT)
		ir_target_goto(r, ir_chain_get(b->rs, IR_FILTER, "reject"));
	else
		ir_target_simple(r, IRT_DROP);      /* DROP, and anything unknown */
}

static const char *policy_word(enum policy_kind k)
{
	switch (k) {
	case POL_ACCEPT: return "ACCEPT";
	case POL_BLACKLIST: return "BLACKLIST";
	case POL_CONTINUE: return "CONTINUE";
	case POL_DROP: return "DROP";
	case POL_NFQUEUE: return "NFQUEUE";
	case POL_NONE: return "NONE";
	case POL_QUEUE: return "QUEUE";
	case POL_REJECT: return "REJECT";
	}
	return "?";
}

static const char *default_action_setting(const struct settings *s, enum policy_kind k)
{
	switch (k) {
	case POL_DROP: return s->drop_default;
	case POL_REJECT: return s->reject_default;
	case POL_ACCEPT: return s->accept_default;
	case POL_QUEUE: return s->queue_default;
	case POL_NFQUEUE: return s->nfqueue_default;
	case POL_BLACKLIST: return s->blacklist_default;
	default: return NULL;
	}
}

void build_policy_tail(struct builder *b, struct ir_chain *ch, const struct policy *pol,
		       const char *chain_name)
{
	enum policy_kind k = pol ? pol->kind : POL_ACCEPT;
	const struct loc *loc = pol ? &pol->loc : &ch->loc;
	if (k == POL_CONTINUE || k == POL_NONE)
		return;
	const char *da = pol && pol->default_action ? pol->default_action : default_action_setting(b->s, k);
	actions_policy_default(b, ch, loc, da, chain_name, 2);     /* room for LOG and the verdict after */
	if (pol && pol->loglevel)
		build_log(b, ch, loc, pol->loglevel, chain_name, policy_word(k));
	struct ir_rule *r = ir_rule_append(ch, loc);
	switch (k) {
	case POL_ACCEPT:
		ir_target_simple(r, IRT_ACCEPT);
		break;
	case POL_REJECT:
		ir_target_goto(r, ir_chain_get(b->rs, IR_FILTER, "reject"));
		break;
	case POL_QUEUE:
		ir_target_nfqueue(r, 0, 0, false);
		break;
	case POL_NFQUEUE:
		ir_target_nfqueue(r, pol->queue_num, pol->queue_max > pol->queue_num ? pol->queue_max : 0,
				  pol->queue_bypass);
		break;
	case POL_DROP:
	case POL_BLACKLIST:     /* the ipset half of BLACKLIST is not managed here: it drops */
	default:
		ir_target_simple(r, IRT_DROP);
		break;
	}
}

/* The dispositions of the four conntrack states a pair chain settles before its NEW rules. The
 * audited forms (A_DROP…) are their verdict here: the AUDIT record is not built. */
static const char *state_disposition(const struct settings *s, unsigned state)
{
	const char *d;
	switch (state) {
	case IR_CT_ESTABLISHED: return "ACCEPT";
	case IR_CT_RELATED: d = s->related_disposition ? s->related_disposition : "ACCEPT"; break;
	case IR_CT_INVALID: d = s->invalid_disposition ? s->invalid_disposition : "CONTINUE"; break;
	default: d = s->untracked_disposition ? s->untracked_disposition : "CONTINUE"; break;
	}
	return strncmp(d, "A_", 2) == 0 ? d + 2 : d;
}

static bool is_word(const char *w, const char *what)
{
	return strcasecmp(w, what) == 0;
}

/* What closing a state does, by its disposition: nothing (CONTINUE), fold it into the one
 * ACCEPT rule, or a rule of its own. */
enum { DISP_CONTINUE, DISP_ACCEPT, DISP_OTHER };

/* The four states' dispositions and their classes, in build_pair_close's order: settings only,
 * so worked out once per compile (every pair chain is closed, 22,000 at 150 zones). */
static void state_dispositions(struct builder *b)
{
	static const unsigned order[4] = { IR_CT_ESTABLISHED, IR_CT_RELATED, IR_CT_INVALID, IR_CT_UNTRACKED };
	if (b->state_disp[0])
		return;
	for (unsigned i = 0; i < 4; i++) {
		const char *d = state_disposition(b->s, order[i]);
		b->state_disp[i] = d;
		b->state_class[i] = is_word(d, "CONTINUE") ? DISP_CONTINUE : is_word(d, "ACCEPT") ? DISP_ACCEPT
												      : DISP_OTHER;
	}
}

/* Close `states` of a pair chain, as 5.2.8's finish_chain_section does: a state whose section had
 * rules ends its own chain (aux[i], ^ + _ = for ESTABLISHED RELATED INVALID UNTRACKED) with its
 * disposition; a state whose disposition is not a plain ACCEPT gets a rule of its own (ESTABLISHED
 * then settled first, so replies never meet it); the rest are accepted by one rule. */
void build_pair_close(struct builder *b, struct pair *p, struct ir_chain *const aux[4], unsigned states,
		      unsigned *closed)
{
	static const unsigned order[4] = { IR_CT_ESTABLISHED, IR_CT_RELATED, IR_CT_INVALID, IR_CT_UNTRACKED };
	const struct policy *pol = p->cell->policy;
	const struct loc *loc = pol ? &pol->loc : &p->chain->loc;
	state_dispositions(b);
	states &= ~*closed;
	*closed |= states;
	for (unsigned i = 0; i < 4; i++) {
		unsigned st = order[i];
		if (!(states & st))
			continue;
		const char *d = b->state_disp[i];
		if (aux[i]) {
			if (b->state_class[i] != DISP_CONTINUE)
				build_verdict(b, ir_rule_append(aux[i], loc), d);
			states &= ~st;
		} else if (b->state_class[i] != DISP_ACCEPT) {
			if (b->state_class[i] == DISP_CONTINUE) {
				states &= ~st;
				continue;
			}
			if ((states & IR_CT_ESTABLISHED) && st != IR_CT_ESTABLISHED && !b->s->fastaccept) {
				struct ir_rule *r = ir_rule_append(p->chain, loc);
				ir_match_ctstate(r, IR_CT_ESTABLISHED, false);
				ir_target_simple(r, IRT_ACCEPT);
				states &= ~IR_CT_ESTABLISHED;
			}
			struct ir_rule *r = ir_rule_append(p->chain, loc);
			ir_match_ctstate(r, st, false);
			build_verdict(b, r, d);
			states &= ~st;
		}
	}
	/* FASTACCEPT: replies were accepted before any dispatch */
	if (b->s->fastaccept)
		states &= ~(IR_CT_ESTABLISHED | IR_CT_RELATED);
	if (states) {
		struct ir_rule *r = ir_rule_append(p->chain, loc);
		ir_match_ctstate(r, states, false);
		ir_target_simple(r, IRT_ACCEPT);
	}
}

/* CONNLIMIT of a policy: "N", "N:mask", "d:N[:mask]" (netcheck_connlimit validated it). */
static bool parse_connlimit(const char *t, unsigned *above, unsigned *mask, bool *daddr)
{
	*daddr = strncmp(t, "d:", 2) == 0;
	if (*daddr || strncmp(t, "s:", 2) == 0)
		t += 2;
	char *end;
	unsigned long n = strtoul(t, &end, 10);
	if (end == t)
		return false;
	*above = (unsigned)n;
	*mask = 32;
	if (*end == ':') {
		const char *m = end + 1;
		unsigned long k = strtoul(m, &end, 10);
		if (end == m || k > 32)
			return false;
		*mask = (unsigned)k;
	}
	return *end == 0;
}

/* RATE / LIMIT:BURST and CONNLIMIT: new TCP connections beyond the limits are dropped, in @S-D
 * (limits → RETURN, then [log] DROP). Honoured whether or not the rules file has ?SECTION NEW
 * (5.2.8 silently drops it otherwise). */
void build_pair_rate(struct builder *b, struct pair *p)
{
	const struct policy *pol = p->cell->policy;
	unsigned above = 0, mask = 32;
	bool daddr = false;
	bool conn = pol && pol->connlimit && parse_connlimit(pol->connlimit, &above, &mask, &daddr);
	if (!pol || (!pol->rate && !conn))
		return;
	const char *name = arena_printf(b->c->arena, "@%s", p->chain->name);
	struct ir_chain *rc = ir_chain_get(b->rs, IR_FILTER, name);
	rc->loc = pol->loc;
	struct ir_rule *r = ir_rule_append(rc, &pol->loc);
	for (const struct rate *rt = pol->rate; rt; rt = rt->next) {
		if (rt->per) {
			char hn[16];
			snprintf(hn, sizeof(hn), "%s", rt->name ? rt->name : name);
			ir_match_hashlimit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst,
					   rt->per == 's' ? IR_HL_SRCIP : IR_HL_DSTIP, hn);
		} else {
			ir_match_limit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst);
		}
	}
	if (conn)   /* at most N connections: `! --connlimit-above N` */
		ir_match_connlimit(r, above, (uint8_t)mask, daddr, true);
	ir_target_simple(r, IRT_RETURN);
	if (pol->loglevel)
		build_log(b, rc, &pol->loc, pol->loglevel, name, "DROP");
	r = ir_rule_append(rc, &pol->loc);
	ir_target_simple(r, IRT_DROP);

	r = ir_rule_append(p->chain, &pol->loc);
	ir_match_proto(r, 6);
	ir_match_syn(r);
	ir_target_jump(r, rc);
}

void build_pair_policy(struct builder *b, struct pair *p)
{
	build_policy_tail(b, p->chain, p->cell->policy, p->chain->name);
}

static bool is_unconditional(const struct ir_rule *r, enum ir_target_kind k)
{
	return r->nmatches == 0 && r->target.kind == k;
}

/* An ACCEPT rule that changes no state (no limit, recent…): redundant before a final ACCEPT. */
static bool is_plain_accept(const struct ir_rule *r)
{
	if (r->target.kind != IRT_ACCEPT)
		return false;
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (ir_match_desc(m->kind)->flags & IRM_F_STATEFUL)
			return false;
	return true;
}

/* A body that ends in an unconditional ACCEPT and before it only accepts (the ESTABLISHED rule,
 * tunnel and rules-file ACCEPTs) accepts everything: jumping to it is the same as -j ACCEPT. */
static bool body_trivial_accept(const struct ir_chain *ch)
{
	size_t n = ch->rules.n;
	if (n == 0 || !is_unconditional(ch->rules.v[n - 1], IRT_ACCEPT))
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (!is_plain_accept(ch->rules.v[i]))
			return false;
	return true;
}

void build_pairs(struct builder *b)
{
	struct graph *g = b->g;
	for (size_t i = 0; i < g->zones.n; i++) {
		for (size_t j = 0; j < g->zones.n; j++) {
			struct pair *p = build_pair(b, g->zones.v[i], g->zones.v[j]);
			if (!p->cell || (p->cell->policy && p->cell->policy->kind == POL_NONE))
				continue;
			/* fw-fw traffic never leaves the loopback device, accepted before any dispatch */
			if (p->src == g->fw && p->dst == g->fw)
				continue;
			/* the name made once, in the arena, and kept by the chain */
			p->chain = ir_chain_get_lasting(b->rs, IR_FILTER, build_pair_name(b, p->src, p->dst));
			p->chain->loc = p->cell->policy ? p->cell->policy->loc : p->src->loc;
			build_pair_mss(b, p);
			bool in_use = p->chain->rules.n > 0;
			build_pair_tunnels(b, p);
			build_pair_sections(b, p, in_use);
			build_pair_policy(b, p);
			if (body_trivial_accept(p->chain) && p->chain->refs == 0) {
				ir_chain_delete(p->chain);
				p->chain = NULL;
				p->trivial_accept = true;
			}
		}
	}
}
