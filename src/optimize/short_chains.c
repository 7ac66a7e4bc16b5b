/* short_chains.c — OPTIMIZE bit 4: chains with no rule or one rule disappear into the rules that
 * jump to them, and a chain whose last rule is the only jump to another merges into that one.
 *
 * The three rewrites and why each keeps every packet's fate (R = the rule in chain C that jumps,
 * A = R's matches, X = the chain it jumps to):
 *  - X empty: `A -j X` does nothing but evaluate A, so it goes (unless A is stateful: then evaluating
 *    it matters); `A -g X` ends C's walk like a RETURN would (X's end returns to C's caller), so it
 *    becomes `A -j RETURN`.
 *  - X holds one rule `B -j T`: `A -j X` becomes `A B -j T` — matched by A and B exactly when the
 *    packet would have reached T, and afterwards the walk continues after R either way. X's RETURN
 *    would return only from X, so T = RETURN is left alone; T = `-g Y` becomes `-j Y` (Y's end
 *    returns to the rule after R in both). `A -g X` is only folded when B is empty (a packet
 *    matching A but not B would return from C): T terminal stays T, `-j Y` becomes `-g Y`; other
 *    targets (LOG, MARK) would let the walk go on in C, so they stay. A and B combine only when no
 *    kind of match occurs in both with different values (-p tcp and -p udp, two interfaces; policy
 *    matches of opposite directions are two tests and both stay) and A is not stateful (B's matches
 *    would then gate its evaluation).
 *  - C's last rule R jumps (or goes) to X, and nothing else does: C's other rules move to the front
 *    of X, X's own rules each get A in front, and every jump to C goes to X instead — the merged
 *    chain keeps the callee's name (eth0_in's dynamic/tcpflags rules go into net-fw, as 5.2.8
 *    does). A packet failing A falls off X's end as it fell off C's; X's RETURN, -g and end all
 *    lead to C's caller, as C's end did. A is then evaluated once per moved rule, so it may only
 *    hold matches no target can change on the way (headers, ports, policy, addrtype: not mark,
 *    connmark, tcpmss, ctstate, nor anything stateful) and must combine with each of X's rules.
 *    C's other rules must not dispatch to chains of their own (a chain only C jumps to): then C is
 *    a dispatcher and X's name would be wrong for it. Builtin chains are never merged away.
 * Chains kept by name (`dynamic`) are never touched. */
#include "optimize.h"

#include "compile.h"

#include <string.h>

static bool target_is_chain(const struct ir_target *t)
{
	return t->kind == IRT_JUMP || t->kind == IRT_GOTO;
}

/* May B's matches be appended to A's? Fills skip[k] for B's matches already present in A. */
static bool combinable(const struct ir_rule *a, const struct ir_rule *b, bool *skip)
{
	if (b->nmatches && opt_rule_stateful(a))
		return false;
	size_t k = 0;
	for (const struct ir_match *mb = b->matches; mb; mb = mb->next, k++) {
		skip[k] = false;
		for (const struct ir_match *ma = a->matches; ma; ma = ma->next) {
			if (ma->kind != mb->kind)
				continue;
			if (ma->kind == IRM_POLICY && ma->u.policy.dir != mb->u.policy.dir)
				continue;       /* --dir in and --dir out test different things: both stay */
			if (!ir_match_equal(ma, mb))
				return false;
			skip[k] = true;
		}
	}
	return true;
}

/* Matches whose outcome no target can change while the packet walks the table: the headers,
 * ports, the IPsec policy, address types. A mark, a connmark, an MSS (MARK, CONNMARK, TCPMSS) or a
 * conntrack state (CT) may change between two evaluations, so an A holding one is not repeated. */
static bool invariant(const struct ir_rule *r)
{
	for (const struct ir_match *m = r->matches; m; m = m->next)
		switch (m->kind) {
		case IRM_IN: case IRM_OUT: case IRM_SRC: case IRM_DST: case IRM_PROTO: case IRM_SPORT:
		case IRM_DPORT: case IRM_TCP_FLAGS: case IRM_ICMP_TYPE: case IRM_POLICY: case IRM_ADDRTYPE:
			break;
		default:
			return false;
		}
	return true;
}

/* Does b hold a match equal to a? */
static bool has_equal(const struct ir_rule *b, const struct ir_match *a)
{
	for (const struct ir_match *m = b->matches; m; m = m->next)
		if (m->kind == a->kind && ir_match_equal(m, a))
			return true;
	return false;
}

/* Insert at C.rules[at] the rule "A's matches, B's matches not already in A (skip), B's target". */
static struct ir_rule *combined(struct ir_chain *c, size_t at, const struct ir_rule *a, const struct ir_rule *b,
				const bool *skip)
{
	struct ir_rule *n = ir_rule_insert_at(c, at, &b->loc);
	for (const struct ir_match *m = a->matches; m; m = m->next)
		ir_match_copy(n, m);
	size_t k = 0;
	for (const struct ir_match *m = b->matches; m; m = m->next, k++)
		if (!skip[k])
			ir_match_copy(n, m);
	ir_target_copy(n, &b->target);
	n->comment = b->comment ? b->comment : a->comment;
	n->why = b->why;
	return n;
}

/* R = C.rules[i] jumps (or goes) to X, whose only rule is B: replace R by A B -> mapped T. */
static bool fold_one(struct ir_chain *c, size_t i, const struct ir_chain *x)
{
	const struct ir_rule *r = c->rules.v[i];
	const struct ir_rule *b = x->rules.v[0];
	if (x->refs > 1 && opt_rule_stateful(b))
		return false;           /* one limit bucket would become one per caller */
	bool go = r->target.kind == IRT_GOTO;
	const struct ir_target *t = &b->target;
	if (go) {
		if (b->nmatches)
			return false;
		if (!ir_target_terminal(t) && t->kind != IRT_JUMP)
			return false;
	} else if (t->kind == IRT_RETURN)
		return false;
	if (target_is_chain(t) && t->u.chain == c)
		return false;
	bool skip[b->nmatches + 1];
	if (!combinable(r, b, skip))
		return false;
	struct ir_rule *n = combined(c, i, r, b, skip);
	if (target_is_chain(t))
		(go ? ir_target_goto : ir_target_jump)(n, t->u.chain);
	ir_rule_remove(c, i + 1);
	return true;
}

/* C's last rule R = `A -j X` (or -g), X referenced by R alone: may C's rules move into X, so that X
 * takes C's place? C's other rules must be a prefix that belongs to whatever follows (jumps to
 * shared chains such as dynamic or tcpflags, verdicts), not a dispatch to chains only C jumps to
 * (`-o eth2 -j net-dmz` before `-o eth1 -j net-loc`: net-loc would be a wrong name for it). */
static bool mergeable(const struct ir_chain *c, const struct ir_chain *x)
{
	if (x->refs != 1 || c->refs == 0 || c->builtin || opt_chain_kept(c))
		return false;
	const struct ir_rule *r = c->rules.v[c->rules.n - 1];
	if (!invariant(r))
		return false;           /* evaluated once per moved rule instead of once */
	for (size_t k = 0; k + 1 < c->rules.n; k++) {
		const struct ir_target *t = &c->rules.v[k]->target;
		if (!target_is_chain(t) || opt_chain_kept(t->u.chain))
			continue;
		unsigned own = 0;       /* C's jumps to this chain */
		for (size_t j = 0; j < c->rules.n; j++)
			own += target_is_chain(&c->rules.v[j]->target) && c->rules.v[j]->target.u.chain == t->u.chain;
		if (own == t->u.chain->refs)
			return false;
	}
	bool skip[256];
	for (size_t k = 0; k < x->rules.n; k++) {
		const struct ir_rule *b = x->rules.v[k];
		if (b->nmatches >= 256 || !combinable(r, b, skip))
			return false;
		if (target_is_chain(&b->target) && b->target.u.chain == c)
			return false;
	}
	return true;
}

/* X's body becomes C's rules but the last, then X's own rules each with R's matches A in front:
 * a packet failing A falls off the end as it did after R; X's RETURN, -g and end lead to the
 * caller as C's end did. The caller's jumps to C are redirected afterwards. */
static void merge_into(struct ir_chain *c, struct ir_chain *x)
{
	const struct ir_rule *r = c->rules.v[c->rules.n - 1];
	size_t pre = c->rules.n - 1, n = x->rules.n;
	for (size_t k = 0; k < pre; k++)
		ir_rule_copy(x, k, c->rules.v[k]);
	bool skip[256];
	for (size_t k = 0; k < n && r->nmatches; k++) {
		size_t at = pre + k;
		struct ir_rule *b = x->rules.v[at];
		if (!opt_rule_stateful(b)) {
			/* A after B's own matches: all of them stateless, so the order is no matter, and
			 * the rule need not be copied (a dispatch chain of 150 rules would be, 150 times) */
			for (const struct ir_match *a = r->matches; a; a = a->next)
				if (!has_equal(b, a))
					ir_match_copy(b, a);
			continue;
		}
		combinable(r, b, skip);
		combined(x, at, r, b, skip);
		ir_rule_remove(x, at + 1);
	}
}

/* Chains merged into their only callee this pass: one walk over the table redirects every jump to
 * a merged C to its X (repl[C->seq]). */
static unsigned table_merge(struct ruleset *rs, enum ir_table t)
{
	size_t nch = rs->chains[t].n;
	struct ir_chain **repl = arena_alloc(rs->c->arena, (nch ? nch : 1) * sizeof(*repl));
	bool *busy = arena_alloc(rs->c->arena, (nch ? nch : 1) * sizeof(*busy));
	unsigned merged = 0;
	for (size_t i = 0; i < nch; i++) {
		struct ir_chain *c = rs->chains[t].v[i];
		if (c->deleted || !c->rules.n || busy[c->seq])
			continue;
		const struct ir_target *rt = &c->rules.v[c->rules.n - 1]->target;
		if (!target_is_chain(rt))
			continue;
		struct ir_chain *x = rt->u.chain;
		if (x == c || x->builtin || x->deleted || opt_chain_kept(x) || busy[x->seq] || !mergeable(c, x))
			continue;
		merge_into(c, x);
		repl[c->seq] = x;
		busy[c->seq] = busy[x->seq] = true;
		merged++;
	}
	if (!merged)
		return 0;
	for (size_t i = 0; i < nch; i++) {
		struct ir_chain *ch = rs->chains[t].v[i];
		if (ch->deleted || repl[ch->seq])
			continue;
		for (size_t k = 0; k < ch->rules.n; k++) {
			struct ir_rule *r = ch->rules.v[k];
			if (!target_is_chain(&r->target) || !repl[r->target.u.chain->seq])
				continue;
			(r->target.kind == IRT_GOTO ? ir_target_goto : ir_target_jump)(r, repl[r->target.u.chain->seq]);
		}
	}
	for (size_t i = 0; i < nch; i++)
		if (repl[i])
			ir_chain_flush(rs->chains[t].v[i]);     /* releases R's jump: X is left with C's callers */
	return merged;
}

static unsigned chain_short(struct ir_chain *c)
{
	unsigned changed = 0;
	for (size_t i = 0; i < c->rules.n; i++) {
		struct ir_rule *r = c->rules.v[i];
		if (!target_is_chain(&r->target))
			continue;
		struct ir_chain *x = r->target.u.chain;
		if (x->rules.n > 1 || x == c || x->builtin || x->deleted || opt_chain_kept(x))
			continue;               /* a chain of two rules or more stays where it is */
		if (x->rules.n == 0) {
			if (r->target.kind == IRT_GOTO) {
				ir_target_simple(r, IRT_RETURN);
				changed++;
			} else if (!opt_rule_stateful(r)) {
				ir_rule_remove(c, i--);
				changed++;
			}
		} else if (x->rules.n == 1 && fold_one(c, i, x)) {
			changed++;
		}
	}
	return changed;
}

unsigned opt_short_chains(struct ruleset *rs)
{
	unsigned changed = 0;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++) {
		for (size_t i = 0; i < rs->chains[t].n; i++) {
			struct ir_chain *ch = rs->chains[t].v[i];
			if (!ch->deleted && !opt_chain_kept(ch))
				changed += chain_short(ch);
		}
		changed += table_merge(rs, (enum ir_table)t);
	}
	return changed;
}
