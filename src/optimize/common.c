/* common.c — what the optimizer's passes share: chains kept by name, stateful rules, match subsets. */
#include "optimize.h"

#include "keyword.h"

#include <string.h>

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
	/* asked for every chain by every pass: the first letters of the kept names answer most */
	static uint32_t first[256 / 32];
	static bool known;
	if (!known) {
		for (size_t i = 0; i < KW_COUNT(kept); i++) {
			unsigned char c = (unsigned char)kept[i].name[0];
			first[c / 32] |= 1u << c % 32;
		}
		known = true;
	}
	unsigned char c = (unsigned char)ch->name[0];
	return !ch->builtin && first[c / 32] >> c % 32 & 1 && KW_FIND(kept, ch->name) != NULL;
}

/* Sets of match kinds are kept in a uint32_t (bit 1 << kind). */
_Static_assert(offsetof(struct ir_policy, elem) == 4 && offsetof(struct ir_pol_elem, reqid) == 4,
	       "match_digest reads a policy match's first bytes as words");
_Static_assert(IRM_COUNT <= 32, "match kinds no longer fit a uint32_t mask");

/* The stateful kinds as such a set, from the descriptors (once). */
static uint32_t stateful_kinds(void)
{
	static uint32_t mask;
	static bool known;
	if (!known) {
		for (unsigned k = 0; k < IRM_COUNT; k++)
			if (ir_match_desc((enum ir_match_kind)k)->flags & IRM_F_STATEFUL)
				mask |= 1u << k;
		known = true;
	}
	return mask;
}

bool opt_rule_stateful(const struct ir_rule *r)
{
	uint32_t stateful = stateful_kinds();
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (stateful >> m->kind & 1)
			return true;
	return false;
}

static uint64_t text_digest(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static inline __attribute__((always_inline)) uint64_t match_digest(const struct ir_match *m)
{
	uint64_t k = (uint64_t)m->kind * 0xff51afd7ed558ccdull + m->invert;
	switch (m->kind) {
	case IRM_SPORT:
	case IRM_DPORT:
		k += (uint64_t)m->u.ports.n * 131 + m->u.ports.r[0].lo * 7919ull + m->u.ports.r[0].hi;
		break;
	case IRM_SRC:
	case IRM_DST:
		k += m->u.addr.kind == IR_ADDR_NET ? (uint64_t)m->u.addr.net.addr * 31 + m->u.addr.net.len
			: m->u.addr.kind == IR_ADDR_RANGE ? m->u.addr.lo : text_digest(0, m->u.addr.set);
		break;
	case IRM_PROTO:
		k += m->u.proto.num;
		break;
	case IRM_IN:
	case IRM_OUT:
		k = text_digest(k, m->u.iface.name);
		break;
	case IRM_POLICY: {
		/* dir, pol, strict, nelem; the first element's has, inv, mode, proto, reqid: bytes
		 * without padding between them, all compared */
		uint32_t head;
		uint64_t elem;
		memcpy(&head, &m->u.policy, sizeof(head));
		memcpy(&elem, &m->u.policy.elem[0], sizeof(elem));
		k += head * 0x9e3779b1ull + elem * 0xc2b2ae3d27d4eb4full;
		break;
	}
	case IRM_CTSTATE:
		k += m->u.ct.states;
		break;
	case IRM_ADDRTYPE:
		k += (uint64_t)m->u.addrtype.types * 3 + m->u.addrtype.side;
		break;
	case IRM_TCP_FLAGS:
		k += (uint64_t)m->u.tcp.mask * 257 + m->u.tcp.comp;
		break;
	case IRM_MARK:
	case IRM_CONNMARK:
		k += (uint64_t)m->u.mark.value * 31 + m->u.mark.mask;
		break;
	case IRM_TCPMSS:
		k += (uint64_t)m->u.tcpmss.lo * 65537 + m->u.tcpmss.hi;
		break;
	default:
		break;
	}
	return k ^ (k >> 29);
}

uint64_t opt_matches_digest(const struct ir_rule *r, uint32_t *kinds, uint64_t *each, size_t max)
{
	uint64_t h = r->nmatches * 0x9e3779b97f4a7c15ull;
	uint32_t set = 0;
	size_t n = 0;
	for (const struct ir_match *m = r->matches; m; m = m->next) {
		set |= 1u << m->kind;
		uint64_t d = match_digest(m);
		if (n < max)
			each[n++] = d;
		h += d;
	}
	*kinds = set;
	return h;
}

uint64_t opt_rule_digest(const struct ir_rule *r)
{
	uint32_t kinds;
	uint64_t h = opt_matches_digest(r, &kinds, NULL, 0) ^ (uint64_t)r->target.kind << 56;
	const struct ir_target *t = &r->target;
	switch (t->kind) {
	case IRT_JUMP:
	case IRT_GOTO:
		h += t->u.chain->seq * 0x9e3779b97f4a7c15ull;    /* the same chain: the same number */
		break;
	case IRT_LOG:
		h = text_digest(h + t->u.log.level, t->u.log.prefix);
		break;
	case IRT_NFLOG:
		h = text_digest(h + t->u.nflog.group, t->u.nflog.prefix);
		break;
	case IRT_REJECT:
		h += t->u.reject.with;
		break;
	case IRT_MARK:
	case IRT_CONNMARK:
		h += (uint64_t)t->u.mark.value * 31 + t->u.mark.op;
		break;
	default:
		break;
	}
	return h;
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
