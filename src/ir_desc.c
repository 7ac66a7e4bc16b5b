/* ir_desc.c — the IR's layout as data (match and target kinds, their fields) and what is driven by
 * it: canonical order, equality, hashing, and the checks the kernel would otherwise make for us. */
#include "ir.h"

#include "compile.h"

#include <stdlib.h>
#include <string.h>

/* ---- field layouts -------------------------------------------------------------------------------- */

#define F(T, m, ty)  { #m, offsetof(T, m), sizeof(((T *)0)->m), ty, 1, NULL }
#define FS(T, m, sub) { #m, offsetof(T, m), sizeof(((T *)0)->m), IRF_STRUCT, 1, sub }
#define FA(T, m, sub) { #m, offsetof(T, m), sizeof(((T *)0)->m[0]), IRF_STRUCT, \
			sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]), sub }
#define FEND { NULL, 0, 0, IRF_INT, 0, NULL }

static const struct ir_field net4_f[] = {
	F(struct net4, addr, IRF_INT), F(struct net4, len, IRF_INT), FEND,
};
static const struct ir_field iface_f[] = { F(struct ir_iface, name, IRF_STR), FEND };
static const struct ir_field addr_f[] = {
	F(struct ir_addr, kind, IRF_INT), FS(struct ir_addr, net, net4_f),
	F(struct ir_addr, lo, IRF_INT), F(struct ir_addr, hi, IRF_INT), F(struct ir_addr, set, IRF_STR),
	F(struct ir_addr, dims, IRF_INT), F(struct ir_addr, dst_mask, IRF_INT), FEND,
};
static const struct ir_field proto_f[] = { F(struct ir_proto, num, IRF_INT), FEND };
static const struct ir_field portrange_f[] = {
	F(struct ir_portrange, lo, IRF_INT), F(struct ir_portrange, hi, IRF_INT), FEND,
};
static const struct ir_field ports_f[] = {
	F(struct ir_ports, n, IRF_INT), FA(struct ir_ports, r, portrange_f), FEND,
};
static const struct ir_field tcp_f[] = {
	F(struct ir_tcp_flags, mask, IRF_INT), F(struct ir_tcp_flags, comp, IRF_INT), FEND,
};
static const struct ir_field icmp_f[] = {
	F(struct ir_icmp, type, IRF_INT), F(struct ir_icmp, code, IRF_INT), FEND,
};
static const struct ir_field ct_f[] = { F(struct ir_ctstate, states, IRF_INT), FEND };
static const struct ir_field pol_elem_f[] = {
	F(struct ir_pol_elem, has, IRF_INT), F(struct ir_pol_elem, inv, IRF_INT),
	F(struct ir_pol_elem, mode, IRF_INT), F(struct ir_pol_elem, proto, IRF_INT),
	F(struct ir_pol_elem, reqid, IRF_INT), F(struct ir_pol_elem, spi, IRF_INT),
	FS(struct ir_pol_elem, tunnel_src, net4_f), FS(struct ir_pol_elem, tunnel_dst, net4_f), FEND,
};
static const struct ir_field policy_f[] = {
	F(struct ir_policy, dir, IRF_INT), F(struct ir_policy, pol, IRF_INT),
	F(struct ir_policy, strict, IRF_INT), F(struct ir_policy, nelem, IRF_INT),
	FA(struct ir_policy, elem, pol_elem_f), FEND,
};
static const struct ir_field limit_f[] = {
	F(struct ir_limit, rate, IRF_INT), F(struct ir_limit, burst, IRF_INT), F(struct ir_limit, unit, IRF_INT), FEND,
};
static const struct ir_field hashlimit_f[] = {
	F(struct ir_hashlimit, rate, IRF_INT), F(struct ir_hashlimit, burst, IRF_INT),
	F(struct ir_hashlimit, unit, IRF_INT), F(struct ir_hashlimit, mode, IRF_INT),
	F(struct ir_hashlimit, above, IRF_INT), F(struct ir_hashlimit, name, IRF_STR), FEND,
};
static const struct ir_field addrtype_f[] = {
	F(struct ir_addrtype, side, IRF_INT), F(struct ir_addrtype, types, IRF_INT), FEND,
};
static const struct ir_field range16_f[] = {
	F(struct ir_range16, lo, IRF_INT), F(struct ir_range16, hi, IRF_INT), FEND,
};
static const struct ir_field markval_f[] = {
	F(struct ir_markval, value, IRF_INT), F(struct ir_markval, mask, IRF_INT), FEND,
};
static const struct ir_field owner_f[] = {
	F(struct ir_owner, has, IRF_INT), F(struct ir_owner, uid, IRF_INT), F(struct ir_owner, gid, IRF_INT), FEND,
};
static const struct ir_field connlimit_f[] = {
	F(struct ir_connlimit, above, IRF_INT), F(struct ir_connlimit, masklen, IRF_INT),
	F(struct ir_connlimit, daddr, IRF_INT), FEND,
};
static const struct ir_field time_f[] = {
	F(struct ir_time, start, IRF_INT), F(struct ir_time, stop, IRF_INT),
	F(struct ir_time, weekdays, IRF_INT), F(struct ir_time, monthdays, IRF_INT),
	F(struct ir_time, datestart, IRF_INT), F(struct ir_time, datestop, IRF_INT),
	F(struct ir_time, kerneltz, IRF_INT), FEND,
};
static const struct ir_field name_f[] = { F(struct ir_name, name, IRF_STR), FEND };
static const struct ir_field mac_f[] = { F(struct ir_mac, b, IRF_INT), FEND };   /* six bytes, as one */
static const struct ir_field recent_f[] = {
	F(struct ir_recent, name, IRF_STR), F(struct ir_recent, op, IRF_INT), F(struct ir_recent, rdest, IRF_INT),
	F(struct ir_recent, seconds, IRF_INT), F(struct ir_recent, hitcount, IRF_INT), FEND,
};

#define M(kind, nm, mod, slot, fl, nd, T, fields) \
	[kind] = { nm, mod, slot, fl, nd, sizeof(T), fields }

static const struct ir_match_desc match_descs[IRM_COUNT] = {
	M(IRM_IN, "in", NULL, IR_SLOT_IFACE, IRM_F_INVERT | IRM_F_ONCE, IR_NEEDS_NOTHING, struct ir_iface, iface_f),
	M(IRM_OUT, "out", NULL, IR_SLOT_IFACE, IRM_F_INVERT | IRM_F_ONCE, IR_NEEDS_NOTHING, struct ir_iface, iface_f),
	/* -s/-d once; ranges and sets are modules and may repeat (ir_validate knows the difference) */
	M(IRM_SRC, "src", NULL, IR_SLOT_ADDR, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_addr, addr_f),
	M(IRM_DST, "dst", NULL, IR_SLOT_ADDR, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_addr, addr_f),
	M(IRM_PROTO, "proto", NULL, IR_SLOT_PROTO, IRM_F_INVERT | IRM_F_ONCE, IR_NEEDS_NOTHING, struct ir_proto, proto_f),
	M(IRM_SPORT, "sport", "multiport", IR_SLOT_PROTO_OPT, IRM_F_INVERT, IR_NEEDS_PORT_PROTO, struct ir_ports, ports_f),
	M(IRM_DPORT, "dport", "multiport", IR_SLOT_PROTO_OPT, IRM_F_INVERT, IR_NEEDS_PORT_PROTO, struct ir_ports, ports_f),
	M(IRM_TCP_FLAGS, "tcp-flags", "tcp", IR_SLOT_PROTO_OPT, IRM_F_INVERT | IRM_F_ONCE, IR_NEEDS_TCP,
	  struct ir_tcp_flags, tcp_f),
	M(IRM_ICMP_TYPE, "icmp-type", "icmp", IR_SLOT_PROTO_OPT, IRM_F_INVERT | IRM_F_ONCE, IR_NEEDS_ICMP,
	  struct ir_icmp, icmp_f),
	M(IRM_CTSTATE, "ctstate", "conntrack", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_ctstate, ct_f),
	M(IRM_POLICY, "policy", "policy", IR_SLOT_MODULE, 0, IR_NEEDS_NOTHING, struct ir_policy, policy_f),
	M(IRM_LIMIT, "limit", "limit", IR_SLOT_MODULE, IRM_F_STATEFUL, IR_NEEDS_NOTHING, struct ir_limit, limit_f),
	M(IRM_HASHLIMIT, "hashlimit", "hashlimit", IR_SLOT_MODULE, IRM_F_STATEFUL, IR_NEEDS_NOTHING,
	  struct ir_hashlimit, hashlimit_f),
	M(IRM_ADDRTYPE, "addrtype", "addrtype", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING,
	  struct ir_addrtype, addrtype_f),
	M(IRM_TCPMSS, "tcpmss", "tcpmss", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_TCP, struct ir_range16, range16_f),
	M(IRM_MARK, "mark", "mark", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_markval, markval_f),
	M(IRM_CONNMARK, "connmark", "connmark", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING,
	  struct ir_markval, markval_f),
	M(IRM_OWNER, "owner", "owner", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_owner, owner_f),
	/* connlimit adds the connection to its count when evaluated: order-sensitive */
	M(IRM_CONNLIMIT, "connlimit", "connlimit", IR_SLOT_MODULE, IRM_F_INVERT | IRM_F_STATEFUL, IR_NEEDS_NOTHING,
	  struct ir_connlimit, connlimit_f),
	M(IRM_TIME, "time", "time", IR_SLOT_MODULE, 0, IR_NEEDS_NOTHING, struct ir_time, time_f),
	M(IRM_HELPER, "helper", "helper", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_name, name_f),
	M(IRM_RECENT, "recent", "recent", IR_SLOT_MODULE, IRM_F_INVERT | IRM_F_STATEFUL, IR_NEEDS_NOTHING,
	  struct ir_recent, recent_f),
	M(IRM_CTORIGDST, "ctorigdst", "conntrack", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct net4, net4_f),
	M(IRM_CTORIGDSTPORT, "ctorigdstport", "conntrack", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING,
	  struct ir_range16, range16_f),
	M(IRM_MAC, "mac", "mac", IR_SLOT_MODULE, IRM_F_INVERT, IR_NEEDS_NOTHING, struct ir_mac, mac_f),
};

const struct ir_match_desc *ir_match_desc(enum ir_match_kind k)
{
	return k < IRM_COUNT ? &match_descs[k] : NULL;
}

/* Target fields are offsets into ir_target.u. */
#define TF(m, ty) { #m, offsetof(struct ir_target, u.m) - offsetof(struct ir_target, u), \
		    sizeof(((struct ir_target *)0)->u.m), ty, 1, NULL }
#define TFS(m, sub) { #m, offsetof(struct ir_target, u.m) - offsetof(struct ir_target, u), \
		      sizeof(((struct ir_target *)0)->u.m), IRF_STRUCT, 1, sub }

static const struct ir_field none_tf[] = { FEND };
static const struct ir_field chain_tf[] = { TF(chain, IRF_CHAIN), FEND };
static const struct ir_field reject_tf[] = { TF(reject.with, IRF_INT), FEND };
static const struct ir_field log_tf[] = {
	TF(log.level, IRF_INT), TF(log.flags, IRF_INT), TF(log.prefix, IRF_STR), FEND,
};
static const struct ir_field nflog_tf[] = {
	TF(nflog.group, IRF_INT), TF(nflog.threshold, IRF_INT), TF(nflog.prefix, IRF_STR), FEND,
};
static const struct ir_field nat_range_f[] = {
	F(struct ir_nat_range, lo, IRF_INT), F(struct ir_nat_range, hi, IRF_INT),
	F(struct ir_nat_range, plo, IRF_INT), F(struct ir_nat_range, phi, IRF_INT), FEND,
};
static const struct ir_field nat_tf[] = {
	TFS(nat.to, nat_range_f), TF(nat.random, IRF_INT), TF(nat.persistent, IRF_INT), FEND,
};
static const struct ir_field tcpmss_tf[] = { TF(tcpmss.mss, IRF_INT), FEND };
static const struct ir_field queue_tf[] = {
	TF(queue.num, IRF_INT), TF(queue.num_hi, IRF_INT), TF(queue.bypass, IRF_INT), FEND,
};
static const struct ir_field mark_tf[] = {
	TF(mark.op, IRF_INT), TF(mark.value, IRF_INT), TF(mark.mask, IRF_INT), FEND,
};

#define ALL_TABLES ((1u << IR_TABLE_COUNT) - 1)
#define T1(t) (1u << (t))

static const struct ir_target_desc target_descs[IRT_COUNT] = {
	[IRT_NONE] = { NULL, ALL_TABLES, false, none_tf },
	[IRT_ACCEPT] = { "ACCEPT", ALL_TABLES, true, none_tf },
	[IRT_DROP] = { "DROP", ALL_TABLES, true, none_tf },
	[IRT_RETURN] = { "RETURN", ALL_TABLES, true, none_tf },
	[IRT_QUEUE] = { "QUEUE", ALL_TABLES, true, none_tf },
	[IRT_REJECT] = { "REJECT", T1(IR_FILTER), true, reject_tf },
	[IRT_LOG] = { "LOG", ALL_TABLES, false, log_tf },
	[IRT_NFLOG] = { "NFLOG", ALL_TABLES, false, nflog_tf },
	[IRT_JUMP] = { NULL, ALL_TABLES, false, chain_tf },
	[IRT_GOTO] = { NULL, ALL_TABLES, true, chain_tf },
	[IRT_MASQUERADE] = { "MASQUERADE", T1(IR_NAT), true, nat_tf },
	[IRT_SNAT] = { "SNAT", T1(IR_NAT), true, nat_tf },
	[IRT_DNAT] = { "DNAT", T1(IR_NAT), true, nat_tf },
	[IRT_REDIRECT] = { "REDIRECT", T1(IR_NAT), true, nat_tf },
	[IRT_TCPMSS] = { "TCPMSS", T1(IR_MANGLE) | T1(IR_FILTER), false, tcpmss_tf },
	[IRT_NFQUEUE] = { "NFQUEUE", ALL_TABLES, true, queue_tf },
	[IRT_MARK] = { "MARK", ALL_TABLES, false, mark_tf },
	[IRT_CONNMARK] = { "CONNMARK", ALL_TABLES, false, mark_tf },
	[IRT_NOTRACK] = { "CT", T1(IR_RAW), false, none_tf },
};

const struct ir_target_desc *ir_target_desc(enum ir_target_kind k)
{
	return k < IRT_COUNT ? &target_descs[k] : NULL;
}

/* ---- equality and hashing, walking the layouts --------------------------------------------------- */

/* The layouts flattened once for equality and hashing: nested structs and arrays unrolled into a
 * list of runs, adjacent integers merged into one run of bytes (never across padding, whose bytes
 * nobody sets). Walking the nested tables cost more than the comparisons themselves: a policy
 * match is 37 fields in 8 runs. Hashing a run at once hashes the same bytes in the same order, so
 * hashes are what the nested walk gave. */
struct flat_run {
	uint16_t offset, size;
	uint8_t type;               /* enum ir_field_type: IRF_INT, IRF_STR or IRF_CHAIN */
};
#define FLAT_MAX 16
struct flat {
	unsigned n;
	struct flat_run run[FLAT_MAX];
};

static void flatten(struct flat *fl, const struct ir_field *f, size_t base)
{
	for (; f->name; f++)
		for (unsigned i = 0; i < f->count; i++) {
			size_t off = base + f->offset + i * f->size;
			if (f->type == IRF_STRUCT) {
				flatten(fl, f->sub, off);
				continue;
			}
			struct flat_run *last = fl->n ? &fl->run[fl->n - 1] : NULL;
			if (f->type == IRF_INT && last && last->type == IRF_INT &&
			    last->offset + last->size == off) {
				last->size = (uint16_t)(last->size + f->size);
				continue;
			}
			if (fl->n == FLAT_MAX)
				abort();        /* a layout this long needs a larger FLAT_MAX */
			fl->run[fl->n++] =
				(struct flat_run){ (uint16_t)off, (uint16_t)f->size, (uint8_t)f->type };
		}
}

static struct flat match_flat[IRM_COUNT], target_flat[IRT_COUNT];

static void flat_init(void)
{
	static bool done;
	if (done)
		return;
	for (unsigned k = 0; k < IRM_COUNT; k++)
		flatten(&match_flat[k], match_descs[k].fields, 0);
	for (unsigned k = 0; k < IRT_COUNT; k++)
		flatten(&target_flat[k], target_descs[k].fields, 0);
	done = true;
}

/* memcmp(a, b, n) == 0, without a call for the usual runs of one, two, four or eight bytes. */
static inline bool bytes_equal(const char *a, const char *b, size_t n)
{
	switch (n) {
	case 1:
		return *a == *b;
	case 2: {
		uint16_t x, y;
		memcpy(&x, a, 2);
		memcpy(&y, b, 2);
		return x == y;
	}
	case 4: {
		uint32_t x, y;
		memcpy(&x, a, 4);
		memcpy(&y, b, 4);
		return x == y;
	}
	case 8: {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		return x == y;
	}
	default:
		return memcmp(a, b, n) == 0;
	}
}

static inline __attribute__((always_inline)) bool fields_equal(const struct flat *fl, const void *a,
								  const void *b)
{
	for (const struct flat_run *f = fl->run, *end = fl->run + fl->n; f < end; f++) {
		const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;
		switch (f->type) {
		case IRF_INT:
			if (!bytes_equal(pa, pb, f->size))
				return false;
			break;
		case IRF_STR: {
			const char *sa, *sb;
			memcpy(&sa, pa, sizeof(sa));
			memcpy(&sb, pb, sizeof(sb));
			if (sa != sb && (!sa || !sb || strcmp(sa, sb) != 0))
				return false;
			break;
		}
		case IRF_CHAIN: {
			const struct ir_chain *ca, *cb;
			memcpy(&ca, pa, sizeof(ca));
			memcpy(&cb, pb, sizeof(cb));
			if (ca != cb)
				return false;
			break;
		}
		}
	}
	return true;
}

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	for (const unsigned char *c = p; n--; c++)
		h = (h ^ *c) * FNV_PRIME;
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	if (!s)
		return (h ^ 0xff) * FNV_PRIME;      /* NULL differs from "" */
	return hash_bytes(h, s, strlen(s) + 1);
}

static uint64_t fields_hash(uint64_t h, const struct flat *fl, const void *p)
{
	for (const struct flat_run *f = fl->run, *end = fl->run + fl->n; f < end; f++) {
		const char *q = (const char *)p + f->offset;
		switch (f->type) {
		case IRF_INT:
			h = hash_bytes(h, q, f->size);
			break;
		case IRF_STR: {
			const char *s;
			memcpy(&s, q, sizeof(s));
			h = hash_str(h, s);
			break;
		}
		case IRF_CHAIN: {
			/* By name, not address: the same ruleset hashes the same in every run. */
			const struct ir_chain *ch;
			memcpy(&ch, q, sizeof(ch));
			h = hash_str(h, ch ? ch->name : NULL);
			break;
		}
		}
	}
	return h;
}

/* The two without flat_init, for callers that made sure of it. */
static inline bool match_equal(const struct ir_match *a, const struct ir_match *b)
{
	return a->kind == b->kind && a->invert == b->invert &&
	       fields_equal(&match_flat[a->kind], &a->u, &b->u);
}

static inline bool target_equal(const struct ir_target *a, const struct ir_target *b)
{
	return a->kind == b->kind && fields_equal(&target_flat[a->kind], &a->u, &b->u);
}

bool ir_match_equal(const struct ir_match *a, const struct ir_match *b)
{
	flat_init();
	return match_equal(a, b);
}

bool ir_target_equal(const struct ir_target *a, const struct ir_target *b)
{
	flat_init();
	return target_equal(a, b);
}

/* ---- canonical order ----------------------------------------------------------------------------- */

/* The ip header and protocol phases, in print order; `ports` 1 = single port only, 2 = multiport
 * only. After the last phase come the module matches, in the order added. */
static const struct {
	enum ir_match_kind kind;
	int ports;
} phases[] = {
	{ IRM_IN, 0 }, { IRM_OUT, 0 }, { IRM_SRC, 0 }, { IRM_DST, 0 }, { IRM_PROTO, 0 },
	{ IRM_SPORT, 1 }, { IRM_DPORT, 1 }, { IRM_TCP_FLAGS, 0 }, { IRM_ICMP_TYPE, 0 },
	{ IRM_SPORT, 2 }, { IRM_DPORT, 2 },
};
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

/* it->phase past the phase walk: the rule's matches are in canonical order as they are (nearly
 * every rule: builders add them in print order), so the iterator follows the list. */
#define CANON_DONE (NPHASES + 1)
#define CANON_LIST (NPHASES + 2)

static bool in_phase(const struct ir_match *m, unsigned phase)
{
	if (phase >= NPHASES)
		return match_descs[m->kind].slot == IR_SLOT_MODULE;
	if (m->kind != phases[phase].kind)
		return false;
	switch (phases[phase].ports) {
	case 1:
		return m->u.ports.n <= 1;
	case 2:
		return m->u.ports.n > 1;
	}
	return true;
}

/* m's phase: its index in phases[], NPHASES for a module match. The table is phases[] inverted
 * (checked against it by test_canon_phases): a port match has two, by its number of ports. */
static unsigned phase_of(const struct ir_match *m)
{
	static const uint8_t one[IRM_COUNT] = {         /* phase + 1; 0 = module match */
		[IRM_IN] = 1, [IRM_OUT] = 2, [IRM_SRC] = 3, [IRM_DST] = 4, [IRM_PROTO] = 5,
		[IRM_SPORT] = 6, [IRM_DPORT] = 7, [IRM_TCP_FLAGS] = 8, [IRM_ICMP_TYPE] = 9,
	};
	unsigned p = one[m->kind];
	if (!p)
		return NPHASES;
	if ((m->kind == IRM_SPORT || m->kind == IRM_DPORT) && m->u.ports.n > 1)
		p += 4;                 /* the multiport phases, after --icmp-type */
	return p - 1;
}

void ir_canon_begin(struct ir_canon *it, const struct ir_rule *r)
{
	/* One look at each match decides whether the list is in order already; only a rule that
	 * is not takes the phase walk (a pass over its matches per phase). */
	unsigned last = 0;
	it->r = r;
	it->m = NULL;
	it->phase = CANON_LIST;
	for (const struct ir_match *m = r->matches; m; m = m->next) {
		unsigned p = phase_of(m);
		if (p < last) {
			it->phase = 0;
			break;
		}
		last = p;
	}
}

const struct ir_match *ir_canon_next(struct ir_canon *it)
{
	if (it->phase == CANON_LIST) {
		it->m = it->m ? it->m->next : it->r->matches;
		if (!it->m)
			it->phase = CANON_DONE;
		return it->m;
	}
	while (it->phase < CANON_DONE) {
		it->m = it->m ? it->m->next : it->r->matches;
		for (; it->m; it->m = it->m->next)
			if (in_phase(it->m, it->phase))
				return it->m;
		it->phase++;
	}
	return NULL;
}

bool ir_match_implicit(const struct ir_match *m)
{
	switch (m->kind) {
	case IRM_SPORT:
	case IRM_DPORT:
		return m->u.ports.n <= 1;
	case IRM_TCP_FLAGS:
	case IRM_ICMP_TYPE:
		return true;
	default:
		return false;
	}
}

size_t ir_rule_canon(const struct ir_rule *r, const struct ir_match **out, size_t max)
{
	struct ir_canon it;
	size_t n = 0;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); n++)
		if (n < max)
			out[n] = m;
	return n;
}

bool ir_rule_equal(const struct ir_rule *a, const struct ir_rule *b)
{
	flat_init();
	if (a->nmatches != b->nmatches || !target_equal(&a->target, &b->target))
		return false;
	/* Rules built alike hold equal matches in the order added, and then in canonical order too
	 * (which depends only on kinds and port counts, both part of equality): the common case,
	 * without sorting. Otherwise the canonical order decides. */
	const struct ir_match *ma = a->matches, *mb = b->matches;
	while (ma && match_equal(ma, mb)) {
		ma = ma->next;
		mb = mb->next;
	}
	if (!ma)
		return true;
	struct ir_canon ia, ib;
	ir_canon_begin(&ia, a);
	ir_canon_begin(&ib, b);
	for (;;) {
		ma = ir_canon_next(&ia);
		mb = ir_canon_next(&ib);
		if (!ma || !mb)
			return ma == mb;
		if (!ir_match_equal(ma, mb))
			return false;
	}
}

bool ir_chain_body_equal(const struct ir_chain *a, const struct ir_chain *b)
{
	if (a->rules.n != b->rules.n)
		return false;
	for (size_t i = 0; i < a->rules.n; i++)
		if (!ir_rule_equal(a->rules.v[i], b->rules.v[i]))
			return false;
	return true;
}

static uint64_t rule_hash(uint64_t h, const struct ir_rule *r)
{
	flat_init();
	struct ir_canon it;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); ) {
		uint8_t head[2] = { (uint8_t)m->kind, m->invert };
		h = hash_bytes(h, head, sizeof(head));
		h = fields_hash(h, &match_flat[m->kind], &m->u);
	}
	uint8_t tk = (uint8_t)r->target.kind;
	h = hash_bytes(h, &tk, 1);
	return fields_hash(h, &target_flat[r->target.kind], &r->target.u);
}

uint64_t ir_rule_hash(const struct ir_rule *r)
{
	return rule_hash(FNV_OFFSET, r);
}

uint64_t ir_chain_body_hash(const struct ir_chain *ch)
{
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < ch->rules.n; i++)
		h = rule_hash((h ^ 0x5a) * FNV_PRIME, ch->rules.v[i]);
	return h;
}

/* ---- validation: what the kernel or iptables would refuse, reported at the rule's line ------------ */

/* A name the restore format and the kernel both take: 1..max bytes, printable, no blank. */
static bool name_ok(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* Free text (comment, log prefix): length only, and no control characters, which would end or
 * corrupt a restore line. */
static bool text_ok(const char *s, size_t max)
{
	if (!s)
		return true;
	if (!*s || strlen(s) > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	return true;
}

/* name_ok(s, 15), no '/', and a '+' only as the last byte: in one pass (every -i and -o). */
static bool iface_ok(const char *s)
{
	if (!s || !*s)
		return false;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		if (*p <= ' ' || *p >= 0x7f || *p == '/' || (*p == '+' && p[1]))
			return false;
	return n <= 15;
}

struct vstate {
	struct diag *d;
	const struct ir_rule *r;
	unsigned errors;
	const char *comment_ok;     /* the last comment found valid */
};

/* value NULL: free text that may hold the very characters that made it invalid, so not echoed */
static void verr(struct vstate *v, const char *what, const char *value)
{
	if (value)
		diag_error(v->d, &v->r->loc, "%s (%s) in chain %s", what, value, v->r->chain->name);
	else
		diag_error(v->d, &v->r->loc, "%s in chain %s", what, v->r->chain->name);
	v->errors++;
}

static void validate_match(struct vstate *v, const struct ir_match *m, const struct ir_match *proto)
{
	const struct ir_match_desc *d = &match_descs[m->kind];
	if (m->invert && !(d->flags & IRM_F_INVERT))
		verr(v, "Match cannot be inverted", d->name);
	uint8_t p = proto ? proto->u.proto.num : 0;
	bool pinv = proto && proto->invert;
	switch (d->needs) {
	case IR_NEEDS_NOTHING:
		break;
	case IR_NEEDS_PORT_PROTO:
		if (!proto || pinv || !ir_proto_has_ports(p))
			verr(v, "Ports need protocol tcp, udp, udplite, sctp or dccp", d->name);
		break;
	case IR_NEEDS_TCP:
		if (!proto || pinv || p != 6)
			verr(v, "Match needs protocol tcp", d->name);
		break;
	case IR_NEEDS_ICMP:
		if (!proto || pinv || p != 1)
			verr(v, "Match needs protocol icmp", d->name);
		break;
	}
	switch (m->kind) {
	case IRM_IN:
	case IRM_OUT:
		if (!iface_ok(m->u.iface.name))
			verr(v, "Invalid interface name", m->u.iface.name ? m->u.iface.name : "");
		break;
	case IRM_SRC:
	case IRM_DST:
		if (m->u.addr.kind == IR_ADDR_SET && !name_ok(m->u.addr.set, 31))
			verr(v, "Invalid ipset name", m->u.addr.set ? m->u.addr.set : "");
		if (m->u.addr.kind == IR_ADDR_RANGE && m->u.addr.lo > m->u.addr.hi)
			verr(v, "Invalid address range", d->name);
		break;
	case IRM_SPORT:
	case IRM_DPORT:
		if (!m->u.ports.n ||
		    (m->u.ports.n > 1 && ir_ports_fit(m->u.ports.r, m->u.ports.n) < m->u.ports.n))
			verr(v, "Invalid port list", d->name);
		break;
	case IRM_POLICY:
		if (m->u.policy.nelem > IR_POLICY_MAX_ELEM)
			verr(v, "Too many SA templates in a policy match", "policy");
		if (m->u.policy.pol == IR_POL_NONE && (m->u.policy.nelem || m->u.policy.strict))
			verr(v, "SA options need --pol ipsec", "policy");
		break;
	case IRM_LIMIT:
		if (!m->u.limit.rate)
			verr(v, "Invalid rate", "limit");
		break;
	case IRM_HASHLIMIT:
		if (!m->u.hashlimit.rate)
			verr(v, "Invalid rate", "hashlimit");
		if (!name_ok(m->u.hashlimit.name, 15))
			verr(v, "Invalid hashlimit name", m->u.hashlimit.name ? m->u.hashlimit.name : "");
		break;
	case IRM_ADDRTYPE:
		if (!m->u.addrtype.types)
			verr(v, "No address type", "addrtype");
		break;
	case IRM_OWNER:
		if (!m->u.owner.has)
			verr(v, "No owner to match", "owner");
		break;
	case IRM_HELPER:
		if (!name_ok(m->u.helper.name, 29))
			verr(v, "Invalid helper name", m->u.helper.name ? m->u.helper.name : "");
		break;
	case IRM_CTORIGDSTPORT:
		if (!m->u.ctorigdstport.lo)
			verr(v, "Invalid port", d->name);
		break;
	case IRM_RECENT:
		if (m->u.recent.name && !name_ok(m->u.recent.name, 199))
			verr(v, "Invalid recent list name", m->u.recent.name);
		if ((m->u.recent.seconds || m->u.recent.hitcount) &&
		    m->u.recent.op != IR_RECENT_RCHECK && m->u.recent.op != IR_RECENT_UPDATE)
			verr(v, "--seconds and --hitcount need --rcheck or --update", "recent");
		break;
	default:
		break;
	}
}

static void validate_target(struct vstate *v, enum ir_table table, const struct ir_match *proto,
			    const struct ir_match *flags)
{
	const struct ir_target *t = &v->r->target;
	const struct ir_target_desc *d = &target_descs[t->kind];
	const char *name = d->name ? d->name : t->kind == IRT_JUMP ? "-j" : t->kind == IRT_GOTO ? "-g" : "none";
	if (!(d->tables & (1u << table)))
		verr(v, "Target not allowed in this table", name);
	bool tcp = proto && !proto->invert && proto->u.proto.num == 6;
	switch (t->kind) {
	case IRT_JUMP:
	case IRT_GOTO: {
		const struct ir_chain *to = t->u.chain;
		if (!to || to->deleted)
			verr(v, "Jump to a deleted chain", to ? to->name : "");
		else if (to->builtin)
			verr(v, "Jump to a builtin chain", to->name);
		else if (to->table != table)
			verr(v, "Jump to a chain of another table", to->name);
		break;
	}
	case IRT_REJECT:
		if (t->u.reject.with == IR_REJECT_TCP_RESET && !tcp)
			verr(v, "tcp-reset needs protocol tcp", "REJECT");
		if (t->u.reject.with >= IR_REJECT_COUNT)
			verr(v, "Invalid --reject-with", "REJECT");
		break;
	case IRT_LOG:
		if (!text_ok(t->u.log.prefix, 29))
			verr(v, "Invalid log prefix", NULL);
		break;
	case IRT_NFLOG:
		if (!text_ok(t->u.nflog.prefix, 63))
			verr(v, "Invalid log prefix", NULL);
		break;
	case IRT_SNAT:
	case IRT_DNAT:
		if (!t->u.nat.to.lo && !t->u.nat.to.plo)
			verr(v, "NAT target without an address or port", name);
		/* fall through */
	case IRT_MASQUERADE:
	case IRT_REDIRECT:
		if (t->u.nat.to.plo && (!proto || proto->invert || !ir_proto_has_ports(proto->u.proto.num)))
			verr(v, "Ports need protocol tcp, udp, udplite, sctp or dccp", name);
		break;
	case IRT_TCPMSS:
		/* the kernel refuses TCPMSS on anything but SYNs */
		if (!tcp || !flags || flags->invert || !(flags->u.tcp.mask & flags->u.tcp.comp & IR_TCP_SYN))
			verr(v, "TCPMSS needs -p tcp and a SYN flag match", name);
		break;
	case IRT_MARK:
		if (t->u.mark.op == IR_MARK_SAVE || t->u.mark.op == IR_MARK_RESTORE)
			verr(v, "Save and restore are CONNMARK operations", name);
		break;
	default:
		break;
	}
}

static void validate_rule(struct vstate *v, enum ir_table table)
{
	const struct ir_rule *r = v->r;
	/* the first -p and TCP flags match (a port may come before its -p) */
	const struct ir_match *proto = NULL, *flags = NULL;
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (m->kind == IRM_PROTO && !proto)
			proto = m;
		else if (m->kind == IRM_TCP_FLAGS && !flags)
			flags = m;
	uint32_t seen = 0, nets = 0;        /* bit 1 << kind */
	_Static_assert(IRM_COUNT <= 32, "match kinds no longer fit a uint32_t mask");
	for (const struct ir_match *m = r->matches; m; m = m->next) {
		validate_match(v, m, proto);
		const struct ir_match_desc *d = &match_descs[m->kind];
		uint32_t bit = 1u << m->kind;
		/* once: flagged kinds, -s/-d networks, and the implicit single-port options */
		bool once = (d->flags & IRM_F_ONCE) ||
			    ((m->kind == IRM_SPORT || m->kind == IRM_DPORT) && m->u.ports.n <= 1);
		if (once && (seen & bit))
			verr(v, "Duplicate match", d->name);
		if (once)
			seen |= bit;
		if ((m->kind == IRM_SRC || m->kind == IRM_DST) && m->u.addr.kind == IR_ADDR_NET) {
			if (nets & bit)
				verr(v, "Duplicate match", d->name);
			nets |= bit;
		}
	}
	if (r->comment && r->comment != v->comment_ok) {
		if (text_ok(r->comment, 255))
			v->comment_ok = r->comment;     /* copied rules share it: checked once */
		else
			verr(v, "Invalid comment", NULL);
	}
	validate_target(v, table, proto, flags);
}

unsigned ir_validate(const struct ruleset *rs)
{
	struct vstate v = { rs->c->diag, NULL, 0, NULL };
	for (int t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++) {
			const struct ir_chain *ch = rs->chains[t].v[i];
			if (ch->deleted)
				continue;
			/* iptables' limit is 28 characters; '-' or '!' first would read as an option */
			if (!ch->builtin && (!name_ok(ch->name, 28) || ch->name[0] == '-' || ch->name[0] == '!')) {
				diag_error(v.d, &ch->loc, "Invalid chain name (%s)", ch->name);
				v.errors++;
			}
			for (size_t j = 0; j < ch->rules.n; j++) {
				v.r = ch->rules.v[j];
				validate_rule(&v, (enum ir_table)t);
			}
		}
	return v.errors;
}
