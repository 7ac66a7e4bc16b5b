/* unreachable.c — OPTIMIZE bit 1: drop rules no packet can reach because an earlier terminal rule
 * of the same chain takes every packet they would match.
 *
 * Rule B is unreachable when an earlier rule A ends the walk through the chain (a verdict, RETURN,
 * -g, a NAT target…) and every match of A is also a match of B: whatever matches B matched A first.
 * A must not carry a stateful match (limit, recent…): such a match can fail where its conditions
 * hold, letting the packet through to B. An A without matches shadows everything after it. A rule
 * between them that may change the packet (MARK, CONNMARK, TCPMSS, CT, or a jump to a chain that
 * might) ends the comparison: B could match a mark A never saw. */
#include "optimize.h"


#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The earlier terminal rules a later one is compared against: the broad ones (few matches) catch
 * most shadowing (ESTABLISHED accepts, addrtype drops); exact duplicates of any earlier terminal
 * rule are found by hash. Both bounded so a 50,000-rule chain stays linear. */
#define BROAD_MATCHES 2
#define BROAD_MAX 32

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();                /* as the arena does: a compile that cannot allocate reports nothing useful */
	return p;
}

/* Scratch reused by every chain of a pass (malloc'd: a table per chain in the arena would stay
 * allocated until the compile ends): an open-addressing set of earlier terminal rules, the list
 * of its used slots (to clear only those), and which rules of the chain are dead. */
struct seen {
	uint64_t *hash;
	const struct ir_rule **rule;
	size_t size;                /* power of two */
	size_t *used, nused;
	bool *dead;
	size_t cap;                 /* rules the arrays hold room for */
};

static void seen_reset(struct seen *s)
{
	for (size_t i = 0; i < s->nused; i++)
		s->rule[s->used[i]] = NULL;
	s->nused = 0;
}

/* Room for a chain of n rules, all slots empty. */
static void seen_prepare(struct seen *s, size_t n)
{
	if (n > s->cap) {
		seen_reset(s);
		free(s->hash);
		free(s->rule);
		free(s->used);
		free(s->dead);
		s->cap = n;
		s->size = 16;
		while (s->size < 2 * n)
			s->size <<= 1;
		s->hash = xmalloc(s->size * sizeof(*s->hash));
		s->rule = calloc(s->size, sizeof(*s->rule));
		s->used = xmalloc(n * sizeof(*s->used));
		s->dead = xmalloc(n * sizeof(*s->dead));
		if (!s->rule)
			abort();
	}
	seen_reset(s);
	memset(s->dead, 0, n * sizeof(*s->dead));
}

static bool seen_has(const struct seen *s, const struct ir_rule *r, uint64_t h)
{
	for (size_t i = h & (s->size - 1); s->rule[i]; i = (i + 1) & (s->size - 1))
		if (s->hash[i] == h && opt_matches_subset(s->rule[i], r) && s->rule[i]->nmatches == r->nmatches)
			return true;
	return false;
}

static void seen_add(struct seen *s, const struct ir_rule *r, uint64_t h)
{
	size_t i = h & (s->size - 1);
	while (s->rule[i])
		i = (i + 1) & (s->size - 1);
	s->rule[i] = r;
	s->hash[i] = h;
	s->used[s->nused++] = i;
}

/* Can the target change what a later match sees (a mark, a connmark, the MSS, the conntrack
 * entry), or — a jump — run rules that do? Then an earlier rule that did not match proves nothing
 * about the packet that reaches the later one. LOG and NFLOG only look. */
static bool changes_packet(const struct ir_target *t)
{
	return t->kind != IRT_NONE && t->kind != IRT_LOG && t->kind != IRT_NFLOG;
}

/* An earlier broad rule with its matches' digests: a later rule whose digests lack one of them
 * lacks that match, and the full comparison is not needed. */
struct broad {
	const struct ir_rule *r;
	uint32_t kinds;
	unsigned n;
	uint64_t md[BROAD_MATCHES];
};

/* Every digest of b among the n of a later rule's (n <= MAX_EACH), or that rule has more matches
 * than were digested one by one? Only then may b's matches be a subset of its. */
#define MAX_EACH 16
static bool may_cover(const struct broad *b, const uint64_t *md, unsigned n, unsigned nmatches)
{
	if (nmatches > MAX_EACH)
		return true;
	for (unsigned i = 0; i < b->n; i++) {
		unsigned j = 0;
		while (j < n && md[j] != b->md[i])
			j++;
		if (j == n)
			return false;
	}
	return true;
}

/* stateful: the stateful match kinds, terminal: the terminal target kinds (bit 1 << kind) */
static unsigned chain_unreachable(struct seen *s, struct ir_chain *ch, uint32_t stateful,
				  uint32_t terminals)
{
	size_t n = ch->rules.n;
	if (n < 2)
		return 0;
	seen_prepare(s, n);
	struct broad broad[BROAD_MAX];
	size_t nbroad = 0;
	unsigned removed = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ir_rule *r = ch->rules.v[i];
		bool terminal = terminals >> r->target.kind & 1;
		if (!s->nused && !nbroad && !terminal) {
			/* nothing earlier to compare with, nothing to remember: no digest (a chain of
			 * jumps, as a zone's dispatch chain, resets at every rule) */
			if (changes_packet(&r->target))
				seen_reset(s);
			continue;
		}
		uint32_t k;
		uint64_t md[MAX_EACH];
		uint64_t h = opt_matches_digest(r, &k, md, MAX_EACH);
		unsigned nmd = r->nmatches < MAX_EACH ? r->nmatches : MAX_EACH;
		bool shadowed = seen_has(s, r, h);
		for (size_t j = 0; j < nbroad && !shadowed; j++)
			shadowed = !(broad[j].kinds & ~k) && may_cover(&broad[j], md, nmd, r->nmatches) &&
				   opt_matches_subset(broad[j].r, r);
		if (shadowed) {
			s->dead[i] = true;
			removed++;
			continue;
		}
		if (!terminal) {
			if (changes_packet(&r->target)) {
				seen_reset(s);
				nbroad = 0;
			}
			continue;
		}
		if (k & stateful)
			continue;
		seen_add(s, r, h);
		if (r->nmatches <= BROAD_MATCHES && nbroad < BROAD_MAX) {
			struct broad *b = &broad[nbroad++];
			b->r = r;
			b->kinds = k;
			b->n = r->nmatches;
			for (unsigned m = 0; m < b->n; m++)
				b->md[m] = md[m];
		}
	}
	for (size_t i = n; removed && i-- > 0; )
		if (s->dead[i])
			ir_rule_remove(ch, i);
	return removed;
}

unsigned opt_unreachable(struct ruleset *rs)
{
	struct seen s = { 0 };
	unsigned changed = 0;
	uint32_t stateful = 0;      /* the stateful kinds as a mask, from the descriptors */
	for (unsigned k = 0; k < IRM_COUNT; k++)
		if (ir_match_desc((enum ir_match_kind)k)->flags & IRM_F_STATEFUL)
			stateful |= 1u << k;
	uint32_t terminals = 0;     /* likewise the terminal targets (ir_target_terminal) */
	_Static_assert(IRT_COUNT <= 32, "target kinds no longer fit a uint32_t mask");
	for (unsigned k = 0; k < IRT_COUNT; k++)
		if (ir_target_desc((enum ir_target_kind)k)->terminal)
			terminals |= 1u << k;
	for (unsigned t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++) {
			struct ir_chain *ch = rs->chains[t].v[i];
			if (ch->deleted || (ch->clean & OPT_UNREACHABLE) || opt_chain_kept(ch))
				continue;
			changed += chain_unreachable(&s, ch, stateful, terminals);
			ch->clean |= OPT_UNREACHABLE;       /* what it left holds nothing more for it */
		}
	free(s.hash);
	free(s.rule);
	free(s.used);
	free(s.dead);
	return changed;
}
