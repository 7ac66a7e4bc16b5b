/* ir.c — building the ruleset IR: the chain index, rules in order, typed match and target constructors. */
#include "ir.h"

#include "compile.h"
#include "graph.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- tables and their builtin chains ----------------------------------------------------------- */

const char *ir_table_name(enum ir_table t)
{
	static const char *const names[IR_TABLE_COUNT] = {
		[IR_RAW] = "raw", [IR_MANGLE] = "mangle", [IR_NAT] = "nat", [IR_FILTER] = "filter",
	};
	return t < IR_TABLE_COUNT ? names[t] : "?";
}

/* Builtin chains in netfilter hook order (the order iptables-save prints them). */
static const struct {
	enum ir_table table;
	const char *name;
} builtins[] = {
	{ IR_RAW, "PREROUTING" }, { IR_RAW, "OUTPUT" },
	{ IR_MANGLE, "PREROUTING" }, { IR_MANGLE, "INPUT" }, { IR_MANGLE, "FORWARD" },
	{ IR_MANGLE, "OUTPUT" }, { IR_MANGLE, "POSTROUTING" },
	{ IR_NAT, "PREROUTING" }, { IR_NAT, "INPUT" }, { IR_NAT, "OUTPUT" }, { IR_NAT, "POSTROUTING" },
	{ IR_FILTER, "INPUT" }, { IR_FILTER, "FORWARD" }, { IR_FILTER, "OUTPUT" },
};

/* Stamp a change to the chain's rules (NULL: a removed rule, no chain to stamp). */
static void chain_touch(struct ir_chain *ch)
{
	if (ch) {
		ch->mod = ++ch->rs->clock;
		ch->clean = 0;
	}
}

/* ---- the name index: (table, name) → chain, chained buckets, doubled at load 1 ----------------- */

static uint64_t name_hash(enum ir_table t, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)t;      /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

static void index_insert(struct ruleset *rs, struct ir_chain *ch)
{
	size_t b = (size_t)(ch->hval & (rs->hash_size - 1));
	ch->hnext = rs->hash[b];
	rs->hash[b] = ch;
}

/* A bucket array of size (a power of two) with every live chain in it. The old array is
 * abandoned in the arena: at most as much again as the final one. */
static void index_resize(struct ruleset *rs, size_t size)
{
	rs->hash_size = size;
	rs->hash = arena_alloc(rs->c->arena, rs->hash_size * sizeof(*rs->hash));
	for (int t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < rs->chains[t].n; i++)
			if (!rs->chains[t].v[i]->deleted)
				index_insert(rs, rs->chains[t].v[i]);
}

void ir_ruleset_reserve(struct ruleset *rs, enum ir_table t, size_t n)
{
	size_t want = rs->nchains + n, size = rs->hash_size ? rs->hash_size : 64;
	while (size < want)
		size *= 2;
	if (size != rs->hash_size)
		index_resize(rs, size);
	struct ir_chain ***v = &rs->chains[t].v;
	size_t cap = rs->chains[t].n + n;
	if (cap > rs->chains[t].cap) {
		struct ir_chain **nv = arena_alloc(rs->c->arena, cap * sizeof(*nv));
		if (rs->chains[t].n)
			memcpy(nv, *v, rs->chains[t].n * sizeof(*nv));
		*v = nv;
		rs->chains[t].cap = cap;
	}
}

static struct ir_chain *index_find(const struct ruleset *rs, enum ir_table t, const char *name, uint64_t h)
{
	for (struct ir_chain *ch = rs->hash[h & (rs->hash_size - 1)]; ch; ch = ch->hnext)
		if (ch->hval == h && ch->table == t && strcmp(ch->name, name) == 0)
			return ch;
	return NULL;
}

struct ir_chain *ir_chain_find(const struct ruleset *rs, enum ir_table t, const char *name)
{
	if (!rs->hash_size || t >= IR_TABLE_COUNT || !name)
		return NULL;
	return index_find(rs, t, name, name_hash(t, name));
}

/* name: kept as given (the caller's lasting copy) */
static struct ir_chain *chain_new(struct ruleset *rs, enum ir_table t, const char *name, uint64_t h, bool builtin)
{
	struct ir_chain *ch = arena_new_obj(rs->c->arena, struct ir_chain);
	ch->name = name;
	ch->hval = h;
	ch->table = t;
	ch->builtin = builtin;
	ch->policy = builtin ? IR_POLICY_ACCEPT : IR_POLICY_NONE;
	ch->loc = LOC_NONE;
	ch->seq = (unsigned)rs->chains[t].n;
	ch->rs = rs;
	chain_touch(ch);
	vec_push(rs->c->arena, &rs->chains[t], ch);
	if (++rs->nchains > rs->hash_size)
		index_resize(rs, rs->hash_size * 2);
	else
		index_insert(rs, ch);
	return ch;
}

struct ruleset *ir_ruleset_new(struct compile *c)
{
	struct ruleset *rs = arena_new_obj(c->arena, struct ruleset);
	rs->c = c;
	index_resize(rs, 64);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		chain_new(rs, builtins[i].table, builtins[i].name, name_hash(builtins[i].table, builtins[i].name), true);
	return rs;
}

struct ir_chain *ir_chain_get(struct ruleset *rs, enum ir_table t, const char *name)
{
	uint64_t h = name_hash(t, name);
	struct ir_chain *ch = index_find(rs, t, name, h);
	return ch ? ch : chain_new(rs, t, arena_strdup(rs->c->arena, name), h, false);
}

struct ir_chain *ir_chain_detached(struct ruleset *rs)
{
	struct ir_chain *ch = arena_new_obj(rs->c->arena, struct ir_chain);
	ch->name = "(detached)";
	ch->table = IR_FILTER;
	ch->loc = LOC_NONE;
	ch->rs = rs;
	return ch;
}

struct ir_chain *ir_chain_get_lasting(struct ruleset *rs, enum ir_table t, const char *name)
{
	uint64_t h = name_hash(t, name);
	struct ir_chain *ch = index_find(rs, t, name, h);
	return ch ? ch : chain_new(rs, t, name, h, false);
}

void ir_chain_set_policy(struct ir_chain *ch, enum ir_chain_policy p)
{
	if (ch->builtin && p != IR_POLICY_NONE) {
		ch->policy = p;
		chain_touch(ch);
	}
}

static void target_release(struct ir_target *t)
{
	if (t->kind != IRT_JUMP && t->kind != IRT_GOTO)
		return;
	struct ir_chain *to = t->u.chain;
	if (to && to->refs && !--to->refs)
		vec_push(to->rs->c->arena, &to->rs->orphans, to);
}

void ir_chain_flush(struct ir_chain *ch)
{
	for (size_t i = 0; i < ch->rules.n; i++) {
		target_release(&ch->rules.v[i]->target);
		ch->rules.v[i]->chain = NULL;
	}
	ch->rs->nrules -= ch->rules.n;
	ch->rules.n = 0;
	chain_touch(ch);
}

bool ir_chain_delete(struct ir_chain *ch)
{
	if (ch->builtin || ch->deleted || ch->refs)
		return false;
	ir_chain_flush(ch);
	struct ruleset *rs = ch->rs;
	size_t b = (size_t)(ch->hval & (rs->hash_size - 1));
	for (struct ir_chain **pp = &rs->hash[b]; *pp; pp = &(*pp)->hnext)
		if (*pp == ch) {
			*pp = ch->hnext;
			break;
		}
	ch->deleted = true;
	rs->nchains--;
	return true;
}

bool ir_table_used(const struct ruleset *rs, enum ir_table t)
{
	for (size_t i = 0; i < rs->chains[t].n; i++) {
		const struct ir_chain *ch = rs->chains[t].v[i];
		if (ch->deleted)
			continue;
		if (!ch->builtin || ch->rules.n || ch->policy != IR_POLICY_ACCEPT)
			return true;
	}
	return false;
}

/* ---- rules ------------------------------------------------------------------------------------- */

void ir_chain_reserve(struct ir_chain *ch, size_t n)
{
	size_t cap = ch->rules.n + n;
	if (cap <= ch->rules.cap)
		return;
	if (cap < 2 * ch->rules.cap)
		cap = 2 * ch->rules.cap;        /* a little at a time still doubles: appends stay linear */
	struct ir_rule **v = arena_alloc(ch->rs->c->arena, cap * sizeof(*v));
	if (ch->rules.n)
		memcpy(v, ch->rules.v, ch->rules.n * sizeof(*v));
	ch->rules.v = v;
	ch->rules.cap = cap;
}

struct ir_rule *ir_rule_insert_at(struct ir_chain *ch, size_t index, const struct loc *loc)
{
	struct arena *a = ch->rs->c->arena;
	struct ir_rule *r = arena_new_obj(a, struct ir_rule);
	r->loc = loc ? *loc : LOC_NONE;
	r->chain = ch;
	if (ch->rules.n == ch->rules.cap)
		ir_chain_reserve(ch, ch->rules.n ? 1 : 2);      /* doubled */
	if (index < ch->rules.n)
		memmove(&ch->rules.v[index + 1], &ch->rules.v[index], (ch->rules.n - index) * sizeof(*ch->rules.v));
	else
		index = ch->rules.n;
	ch->rules.v[index] = r;
	ch->rules.n++;
	ch->rs->nrules++;
	chain_touch(ch);
	return r;
}

struct ir_rule *ir_rule_append(struct ir_chain *ch, const struct loc *loc)
{
	return ir_rule_insert_at(ch, IR_END, loc);
}

void ir_rule_remove(struct ir_chain *ch, size_t index)
{
	if (index >= ch->rules.n)
		return;
	struct ir_rule *r = ch->rules.v[index];
	target_release(&r->target);
	r->chain = NULL;
	memmove(&ch->rules.v[index], &ch->rules.v[index + 1], (ch->rules.n - index - 1) * sizeof(*ch->rules.v));
	ch->rules.n--;
	ch->rs->nrules--;
	chain_touch(ch);
}

void ir_rule_comment(struct ir_rule *r, const char *text)
{
	r->comment = text ? arena_strdup(r->chain->rs->c->arena, text) : NULL;
	chain_touch(r->chain);
}

static void match_copy_all(struct ir_rule *r, const struct ir_rule *src);

/* What a match of kind k takes in the arena: its kind's member only, rounded as arena_alloc does. */
static size_t match_bytes(enum ir_match_kind k)
{
	return (offsetof(struct ir_match, u) + ir_match_desc(k)->size + 7) & ~(size_t)7;
}

struct ir_rule *ir_rule_copy(struct ir_chain *dst, size_t index, const struct ir_rule *src)
{
	struct ir_rule *r = ir_rule_insert_at(dst, index, &src->loc);
	match_copy_all(r, src);
	ir_target_copy(r, &src->target);
	r->comment = src->comment;      /* arena strings are immutable: sharing is safe */
	r->why = src->why;
	return r;
}

void ir_chain_append_copy(struct ir_chain *dst, const struct ir_chain *src, const struct loc *loc)
{
	/* One allocation for all the rules and their matches (a policy chain's tail is copied into
	 * 19,000 chains at 150 zones: one arena call per rule and per match was most of its cost). */
	size_t n = src->rules.n;        /* src may be dst: its first n rules */
	if (!n)
		return;
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		bytes += sizeof(struct ir_rule);
		for (const struct ir_match *m = src->rules.v[i]->matches; m; m = m->next)
			bytes += match_bytes(m->kind);
	}
	ir_chain_reserve(dst, n);
	unsigned char *p = arena_alloc(dst->rs->c->arena, bytes);
	for (size_t i = 0; i < n; i++) {
		const struct ir_rule *sr = src->rules.v[i];
		struct ir_rule *r = (struct ir_rule *)p;
		p += sizeof(*r);
		*r = *sr;
		r->loc = loc ? *loc : sr->loc;
		r->chain = dst;
		if (r->target.kind == IRT_JUMP || r->target.kind == IRT_GOTO)
			r->target.u.chain->refs++;
		struct ir_match **tail = &r->matches;
		for (const struct ir_match *sm = sr->matches; sm; sm = sm->next) {
			size_t size = match_bytes(sm->kind);
			struct ir_match *m = (struct ir_match *)p;
			p += size;
			memcpy(m, sm, size);      /* the source's allocation is as large (and zeroed past its member) */
			*tail = m;
			tail = &m->next;
		}
		*tail = NULL;
		dst->rules.v[dst->rules.n++] = r;
	}
	dst->rs->nrules += n;
}

const struct ir_match *ir_rule_find(const struct ir_rule *r, enum ir_match_kind k)
{
	for (const struct ir_match *m = r->matches; m; m = m->next)
		if (m->kind == k)
			return m;
	return NULL;
}

/* ---- matches -------------------------------------------------------------------------------------- */

static struct arena *rule_arena(const struct ir_rule *r)
{
	return r->chain->rs->c->arena;
}

static struct diag *rule_diag(const struct ir_rule *r)
{
	return r->chain->rs->c->diag;
}

/* Matches are allocated to their kind's size only: a proto match does not pay for a policy one. */
static struct ir_match *match_new(struct ir_rule *r, enum ir_match_kind k, bool invert)
{
	size_t size = offsetof(struct ir_match, u) + ir_match_desc(k)->size;
	struct ir_match *m = arena_alloc(rule_arena(r), size);
	m->kind = k;
	m->invert = invert;
	struct ir_match **tail = &r->matches;      /* a handful: walked rather than kept */
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	r->nmatches++;
	chain_touch(r->chain);
	return m;
}

struct ir_match *ir_match_copy(struct ir_rule *r, const struct ir_match *src)
{
	struct ir_match *m = match_new(r, src->kind, src->invert);
	memcpy(&m->u, &src->u, ir_match_desc(src->kind)->size);
	return m;
}

/* All of src's matches onto r (which has none yet), in order. */
static void match_copy_all(struct ir_rule *r, const struct ir_rule *src)
{
	struct ir_match **tail = &r->matches;
	for (const struct ir_match *sm = src->matches; sm; sm = sm->next) {
		size_t size = ir_match_desc(sm->kind)->size;
		struct ir_match *m = arena_alloc(rule_arena(r), offsetof(struct ir_match, u) + size);
		m->kind = sm->kind;
		m->invert = sm->invert;
		memcpy(&m->u, &sm->u, size);
		*tail = m;
		tail = &m->next;
	}
	r->nmatches = src->nmatches;
}

static struct ir_match *match_iface(struct ir_rule *r, enum ir_match_kind k, const char *name, bool invert)
{
	struct ir_match *m = match_new(r, k, invert);
	m->u.iface.name = name;
	return m;
}

struct ir_match *ir_match_in(struct ir_rule *r, const char *iface, bool invert)
{
	return match_iface(r, IRM_IN, arena_strdup(rule_arena(r), iface), invert);
}

struct ir_match *ir_match_out(struct ir_rule *r, const char *iface, bool invert)
{
	return match_iface(r, IRM_OUT, arena_strdup(rule_arena(r), iface), invert);
}

struct ir_match *ir_match_in_lasting(struct ir_rule *r, const char *iface, bool invert)
{
	return match_iface(r, IRM_IN, iface, invert);
}

struct ir_match *ir_match_out_lasting(struct ir_rule *r, const char *iface, bool invert)
{
	return match_iface(r, IRM_OUT, iface, invert);
}

static enum ir_match_kind side_kind(enum ir_side side)
{
	return side == IR_DST ? IRM_DST : IRM_SRC;
}

static struct ir_match *match_net(struct ir_rule *r, enum ir_side side, const struct net4 *net, bool invert)
{
	struct ir_match *m = match_new(r, side_kind(side), invert);
	m->u.addr.kind = IR_ADDR_NET;
	/* Field by field: the layout compares bytes, and a caller's padding is not ours to copy. The
	 * host bits are cleared so 10.1.2.3/8 and 10.0.0.0/8 are the same match. */
	m->u.addr.net.len = net->len;
	m->u.addr.net.addr = net->len ? net->addr & ~(uint32_t)0 << (32 - net->len) : 0;
	return m;
}

struct ir_match *ir_match_src_net(struct ir_rule *r, const struct net4 *net, bool invert)
{
	return match_net(r, IR_SRC, net, invert);
}

struct ir_match *ir_match_dst_net(struct ir_rule *r, const struct net4 *net, bool invert)
{
	return match_net(r, IR_DST, net, invert);
}

static struct ir_match *match_range(struct ir_rule *r, enum ir_side side, uint32_t lo, uint32_t hi, bool invert)
{
	struct ir_match *m = match_new(r, side_kind(side), invert);
	m->u.addr.kind = IR_ADDR_RANGE;
	m->u.addr.lo = lo < hi ? lo : hi;
	m->u.addr.hi = lo < hi ? hi : lo;
	return m;
}

struct ir_match *ir_match_src_range(struct ir_rule *r, uint32_t lo, uint32_t hi, bool invert)
{
	return match_range(r, IR_SRC, lo, hi, invert);
}

struct ir_match *ir_match_dst_range(struct ir_rule *r, uint32_t lo, uint32_t hi, bool invert)
{
	return match_range(r, IR_DST, lo, hi, invert);
}

/* "name", "name[src,dst]" or "name[2]" (two dimensions of the side's own direction). */
static struct ir_match *match_set(struct ir_rule *r, enum ir_side side, const char *spec, bool invert)
{
	struct ir_match *m = match_new(r, side_kind(side), invert);
	struct ir_addr *a = &m->u.addr;
	a->kind = IR_ADDR_SET;
	const char *br = strchr(spec, '[');
	a->set = br ? arena_strndup(rule_arena(r), spec, (size_t)(br - spec)) : arena_strdup(rule_arena(r), spec);
	a->dims = 1;
	a->dst_mask = side == IR_DST;
	if (!br)
		return m;
	const char *p = br + 1;
	if (isdigit((unsigned char)*p)) {
		char *end;
		unsigned long n = strtoul(p, &end, 10);
		if (*end != ']' || n < 1 || n > IR_SET_MAX_DIM) {
			diag_error(rule_diag(r), &r->loc, "Invalid ipset dimension (%s)", spec);
			return m;
		}
		a->dims = (uint8_t)n;
		a->dst_mask = side == IR_DST ? (uint8_t)((1u << n) - 1) : 0;
		return m;
	}
	a->dims = 0;
	a->dst_mask = 0;
	while (*p && *p != ']') {
		size_t n = strcspn(p, ",]");
		if (a->dims == IR_SET_MAX_DIM || !((n == 3 && strncmp(p, "src", 3) == 0) ||
						     (n == 3 && strncmp(p, "dst", 3) == 0))) {
			diag_error(rule_diag(r), &r->loc, "Invalid ipset flag (%.*s)", (int)n, p);
			a->dims = 1;
			a->dst_mask = side == IR_DST;
			return m;
		}
		if (p[0] == 'd')
			a->dst_mask |= (uint8_t)(1u << a->dims);
		a->dims++;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!a->dims) {
		a->dims = 1;
		a->dst_mask = side == IR_DST;
	}
	return m;
}

struct ir_match *ir_match_src_set(struct ir_rule *r, const char *set, bool invert)
{
	return match_set(r, IR_SRC, set, invert);
}

struct ir_match *ir_match_dst_set(struct ir_rule *r, const char *set, bool invert)
{
	return match_set(r, IR_DST, set, invert);
}

struct ir_match *ir_match_addr(struct ir_rule *r, enum ir_side side, const struct addr_item *it, bool invert)
{
	switch (it->kind) {
	case ADDR_NET:
		return match_net(r, side, &it->net, invert);
	case ADDR_RANGE:
		return match_range(r, side, it->lo, it->hi, invert);
	case ADDR_IPSET:
		return match_set(r, side, it->set, invert);
	case ADDR_DYNAMIC:
		break;
	}
	diag_error(rule_diag(r), &r->loc, "A dynamic zone member cannot be matched as an address (%s)",
		   r->chain->name);
	return NULL;
}

struct ir_match *ir_match_proto(struct ir_rule *r, uint8_t proto)
{
	struct ir_match *m = match_new(r, IRM_PROTO, false);
	m->u.proto.num = proto;
	return m;
}

size_t ir_ports_fit(const struct ir_portrange *p, size_t n)
{
	size_t slots = 0, i;
	for (i = 0; i < n; i++) {
		size_t need = p[i].lo == p[i].hi ? 1 : 2;
		if (slots + need > IR_MULTIPORT_SLOTS)
			break;
		slots += need;
	}
	return i;
}

static struct ir_match *match_ports(struct ir_rule *r, enum ir_match_kind k, const struct ir_portrange *p,
				    size_t n, bool invert)
{
	struct ir_match *m = match_new(r, k, invert);
	size_t fit = ir_ports_fit(p, n);
	if (fit < n)
		diag_error(rule_diag(r), &r->loc, "Too many ports for one multiport match (%zu)", n);
	for (size_t i = 0; i < fit; i++) {
		m->u.ports.r[i].lo = p[i].lo < p[i].hi ? p[i].lo : p[i].hi;
		m->u.ports.r[i].hi = p[i].lo < p[i].hi ? p[i].hi : p[i].lo;
	}
	m->u.ports.n = (uint8_t)fit;
	return m;
}

struct ir_match *ir_match_sport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert)
{
	struct ir_portrange p = { lo, hi };
	return match_ports(r, IRM_SPORT, &p, 1, invert);
}

struct ir_match *ir_match_dport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert)
{
	struct ir_portrange p = { lo, hi };
	return match_ports(r, IRM_DPORT, &p, 1, invert);
}

struct ir_match *ir_match_sports(struct ir_rule *r, const struct ir_portrange *p, size_t n, bool invert)
{
	return match_ports(r, IRM_SPORT, p, n, invert);
}

struct ir_match *ir_match_dports(struct ir_rule *r, const struct ir_portrange *p, size_t n, bool invert)
{
	return match_ports(r, IRM_DPORT, p, n, invert);
}

struct ir_match *ir_match_tcp_flags(struct ir_rule *r, uint8_t mask, uint8_t comp)
{
	struct ir_match *m = match_new(r, IRM_TCP_FLAGS, false);
	m->u.tcp.mask = mask;
	m->u.tcp.comp = comp;
	return m;
}

struct ir_match *ir_match_syn(struct ir_rule *r)
{
	return ir_match_tcp_flags(r, IR_TCP_FIN | IR_TCP_SYN | IR_TCP_RST | IR_TCP_ACK, IR_TCP_SYN);
}

struct ir_match *ir_match_icmp(struct ir_rule *r, uint8_t type, int code)
{
	struct ir_match *m = match_new(r, IRM_ICMP_TYPE, false);
	m->u.icmp.type = type;
	m->u.icmp.code = (int16_t)(code < 0 || code > 255 || type == 255 ? -1 : code);
	return m;
}

struct ir_match *ir_match_ctstate(struct ir_rule *r, unsigned states, bool invert)
{
	struct ir_match *m = match_new(r, IRM_CTSTATE, invert);
	m->u.ct.states = (uint8_t)states;
	return m;
}

/* reqid and spi: decimal or 0x… (the ipsec option parser has already judged the spelling). */
static bool parse_u32(const char *s, uint32_t *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
	if (*end || errno || v > UINT32_MAX || (hex && !s[2]))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_ipsec_proto(const char *s, uint8_t *out)
{
	static const struct { const char *name; uint8_t num; } protos[] = {
		{ "ah", 51 }, { "esp", 50 }, { "ipcomp", 108 }, { "51", 51 }, { "50", 50 }, { "108", 108 },
	};
	for (size_t i = 0; s && i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].name) == 0) {
			*out = protos[i].num;
			return true;
		}
	return false;
}

/* Fill the policy match's elements from a graph option list; *fresh says the next option opens
 * a new element (at the start, and after `next`). */
static void policy_fill(struct ir_rule *r, struct ir_policy *p, const struct ipsec_opt *o, bool *fresh)
{
	for (; o; o = o->next) {
		if (o->key == IPSEC_NEXT) {
			*fresh = true;
			continue;
		}
		if (o->key == IPSEC_STRICT) {
			p->strict = true;
			continue;
		}
		if (*fresh || !p->nelem) {
			if (p->nelem == IR_POLICY_MAX_ELEM) {
				diag_error(rule_diag(r), &r->loc, "Too many SA templates in a policy match (%d)",
					   IR_POLICY_MAX_ELEM + 1);
				return;
			}
			p->nelem++;
			*fresh = false;
		}
		struct ir_pol_elem *e = &p->elem[p->nelem - 1];
		uint8_t bit = 0;
		bool ok = true;
		switch (o->key) {
		case IPSEC_MODE:
			bit = IR_PE_MODE;
			ok = o->value && (strcmp(o->value, "tunnel") == 0 || strcmp(o->value, "transport") == 0);
			if (ok)
				e->mode = strcmp(o->value, "tunnel") == 0 ? IR_MODE_TUNNEL : IR_MODE_TRANSPORT;
			break;
		case IPSEC_REQID:
			bit = IR_PE_REQID;
			ok = parse_u32(o->value, &e->reqid);
			break;
		case IPSEC_SPI:
			bit = IR_PE_SPI;
			ok = parse_u32(o->value, &e->spi);
			break;
		case IPSEC_PROTO:
			bit = IR_PE_PROTO;
			ok = parse_ipsec_proto(o->value, &e->proto);
			break;
		case IPSEC_TUNNEL_SRC:
		case IPSEC_TUNNEL_DST: {
			struct net4 n;
			bit = o->key == IPSEC_TUNNEL_SRC ? IR_PE_TUNNEL_SRC : IR_PE_TUNNEL_DST;
			ok = o->value && addr_parse_net(o->value, &n);
			if (ok) {
				struct net4 *dst = o->key == IPSEC_TUNNEL_SRC ? &e->tunnel_src : &e->tunnel_dst;
				dst->addr = n.addr;
				dst->len = n.len;
			}
			break;
		}
		case IPSEC_NEXT:
		case IPSEC_STRICT:
			break;
		}
		if (!ok) {
			diag_error(rule_diag(r), &r->loc, "Invalid value (%s) for option \"%s\"",
				   o->value ? o->value : "", ipsec_key_name(o->key));
			continue;
		}
		e->has |= bit;
		if (o->invert)
			e->inv |= bit;
		else
			e->inv &= (uint8_t)~bit;
	}
}

struct ir_match *ir_match_policy(struct ir_rule *r, enum ir_dir dir, enum ir_pol pol, const struct ipsec_opt *opts)
{
	struct ir_match *m = match_new(r, IRM_POLICY, false);
	m->u.policy.dir = (uint8_t)dir;
	m->u.policy.pol = (uint8_t)pol;
	if (opts) {     /* most (every dispatch rule's --pol none) have none */
		bool fresh = true;
		policy_fill(r, &m->u.policy, opts, &fresh);
	}
	return m;
}

void ir_policy_add_opts(struct ir_rule *r, struct ir_match *m, const struct ipsec_opt *opts)
{
	if (m->kind != IRM_POLICY)
		return;
	bool fresh = false;
	policy_fill(r, &m->u.policy, opts, &fresh);
	chain_touch(r->chain);
}

struct ir_match *ir_match_limit(struct ir_rule *r, uint32_t rate, enum ir_unit unit, uint32_t burst)
{
	struct ir_match *m = match_new(r, IRM_LIMIT, false);
	m->u.limit.rate = rate;
	m->u.limit.unit = (uint8_t)unit;
	m->u.limit.burst = burst;
	return m;
}

struct ir_match *ir_match_hashlimit(struct ir_rule *r, uint32_t rate, enum ir_unit unit, uint32_t burst,
				    unsigned mode, const char *name)
{
	struct ir_match *m = match_new(r, IRM_HASHLIMIT, false);
	m->u.hashlimit.rate = rate;
	m->u.hashlimit.unit = (uint8_t)unit;
	m->u.hashlimit.burst = burst;
	m->u.hashlimit.mode = (uint8_t)mode;
	m->u.hashlimit.name = name ? arena_strdup(rule_arena(r), name) : NULL;
	return m;
}

struct ir_match *ir_match_addrtype(struct ir_rule *r, enum ir_side side, unsigned types, bool invert)
{
	struct ir_match *m = match_new(r, IRM_ADDRTYPE, invert);
	m->u.addrtype.side = (uint8_t)side;
	m->u.addrtype.types = (uint16_t)types;
	return m;
}

/* A LO:HI match (struct ir_range16), stored low end first whichever way it was written. */
static struct ir_match *match_range16(struct ir_rule *r, enum ir_match_kind k, uint16_t lo, uint16_t hi,
				      bool invert)
{
	struct ir_match *m = match_new(r, k, invert);
	struct ir_range16 *v = k == IRM_TCPMSS ? &m->u.tcpmss : &m->u.ctorigdstport;
	v->lo = lo < hi ? lo : hi;
	v->hi = lo < hi ? hi : lo;
	return m;
}

struct ir_match *ir_match_tcpmss(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert)
{
	return match_range16(r, IRM_TCPMSS, lo, hi, invert);
}

static struct ir_match *match_mark(struct ir_rule *r, enum ir_match_kind k, uint32_t value, uint32_t mask,
				   bool invert)
{
	struct ir_match *m = match_new(r, k, invert);
	m->u.mark.value = value;
	m->u.mark.mask = mask;
	return m;
}

struct ir_match *ir_match_mark(struct ir_rule *r, uint32_t value, uint32_t mask, bool invert)
{
	return match_mark(r, IRM_MARK, value, mask, invert);
}

struct ir_match *ir_match_connmark(struct ir_rule *r, uint32_t value, uint32_t mask, bool invert)
{
	return match_mark(r, IRM_CONNMARK, value, mask, invert);
}

struct ir_match *ir_match_owner(struct ir_rule *r, long uid, long gid, bool invert)
{
	struct ir_match *m = match_new(r, IRM_OWNER, invert);
	if (uid >= 0) {
		m->u.owner.has |= IR_OWNER_UID;
		m->u.owner.uid = (uint32_t)uid;
	}
	if (gid >= 0) {
		m->u.owner.has |= IR_OWNER_GID;
		m->u.owner.gid = (uint32_t)gid;
	}
	return m;
}

struct ir_match *ir_match_connlimit(struct ir_rule *r, uint32_t above, uint8_t masklen, bool daddr, bool invert)
{
	struct ir_match *m = match_new(r, IRM_CONNLIMIT, invert);
	m->u.connlimit.above = above;
	m->u.connlimit.masklen = masklen > 32 ? 32 : masklen;
	m->u.connlimit.daddr = daddr;
	return m;
}

struct ir_match *ir_match_time(struct ir_rule *r, const struct ir_time *t)
{
	struct ir_match *m = match_new(r, IRM_TIME, false);
	m->u.time.start = t->start;
	m->u.time.stop = t->stop;
	m->u.time.weekdays = t->weekdays & 0x7f;
	m->u.time.monthdays = t->monthdays & ~1u;
	m->u.time.datestart = t->datestart;
	m->u.time.datestop = t->datestop;
	m->u.time.kerneltz = t->kerneltz;
	return m;
}

struct ir_match *ir_match_helper(struct ir_rule *r, const char *helper, bool invert)
{
	struct ir_match *m = match_new(r, IRM_HELPER, invert);
	m->u.helper.name = arena_strdup(rule_arena(r), helper);
	return m;
}

struct ir_match *ir_match_recent(struct ir_rule *r, enum ir_recent_op op, const char *name, uint32_t seconds,
				 uint32_t hitcount, bool rdest, bool invert)
{
	struct ir_match *m = match_new(r, IRM_RECENT, invert);
	m->u.recent.op = (uint8_t)op;
	m->u.recent.name = name ? arena_strdup(rule_arena(r), name) : NULL;
	m->u.recent.seconds = seconds;
	m->u.recent.hitcount = hitcount;
	m->u.recent.rdest = rdest;
	return m;
}

struct ir_match *ir_match_ctorigdst(struct ir_rule *r, const struct net4 *net, bool invert)
{
	struct ir_match *m = match_new(r, IRM_CTORIGDST, invert);
	/* as for -s/-d: host bits cleared, field by field */
	m->u.ctorigdst.len = net->len > 32 ? 32 : net->len;
	m->u.ctorigdst.addr = m->u.ctorigdst.len ? net->addr & ~(uint32_t)0 << (32 - m->u.ctorigdst.len) : 0;
	return m;
}

struct ir_match *ir_match_mac_source(struct ir_rule *r, const uint8_t mac[6], bool invert)
{
	struct ir_match *m = match_new(r, IRM_MAC, invert);
	memcpy(m->u.mac.b, mac, sizeof(m->u.mac.b));
	return m;
}

struct ir_match *ir_match_ctorigdstport(struct ir_rule *r, uint16_t lo, uint16_t hi, bool invert)
{
	return match_range16(r, IRM_CTORIGDSTPORT, lo, hi, invert);
}

/* ---- targets -------------------------------------------------------------------------------------- */

/* Every setter starts from a zeroed target, so the layout's byte comparison sees no stale bytes. */
static struct ir_target *target_reset(struct ir_rule *r, enum ir_target_kind k)
{
	target_release(&r->target);
	memset(&r->target, 0, sizeof(r->target));
	r->target.kind = k;
	chain_touch(r->chain);
	return &r->target;
}

void ir_target_simple(struct ir_rule *r, enum ir_target_kind k)
{
	/* QUEUE is the verdict NFQUEUE gives for queue 0 (NF_QUEUE == NF_QUEUE_NR(0)). Stored as
	 * that, it prints as -j NFQUEUE, which both backends load: iptables-nft turns a bare QUEUE
	 * into nft's own queue expression, which a kernel without nft_queue refuses. */
	if (k == IRT_QUEUE) {
		ir_target_nfqueue(r, 0, 0, false);
		return;
	}
	target_reset(r, k);
}

void ir_target_reject(struct ir_rule *r, enum ir_reject with)
{
	target_reset(r, IRT_REJECT)->u.reject.with = (uint8_t)with;
}

void ir_target_log(struct ir_rule *r, unsigned level, const char *prefix, unsigned flags)
{
	struct ir_target *t = target_reset(r, IRT_LOG);
	t->u.log.level = (uint8_t)(level > 7 ? 7 : level);
	t->u.log.flags = (uint8_t)flags;
	t->u.log.prefix = prefix && *prefix ? arena_strdup(rule_arena(r), prefix) : NULL;
}

void ir_target_nflog(struct ir_rule *r, unsigned group, const char *prefix, unsigned threshold)
{
	struct ir_target *t = target_reset(r, IRT_NFLOG);
	t->u.nflog.group = (uint16_t)group;
	t->u.nflog.threshold = (uint16_t)threshold;
	t->u.nflog.prefix = prefix && *prefix ? arena_strdup(rule_arena(r), prefix) : NULL;
}

static void target_chain(struct ir_rule *r, enum ir_target_kind k, struct ir_chain *to)
{
	/* Count the new reference before releasing the old one: re-aiming at the same chain must
	 * not pass through zero. */
	to->refs++;
	target_reset(r, k)->u.chain = to;
}

void ir_target_jump(struct ir_rule *r, struct ir_chain *to)
{
	target_chain(r, IRT_JUMP, to);
}

void ir_target_goto(struct ir_rule *r, struct ir_chain *to)
{
	target_chain(r, IRT_GOTO, to);
}

static void target_nat(struct ir_rule *r, enum ir_target_kind k, const struct ir_nat_range *to, bool random,
		       bool persistent)
{
	struct ir_target *t = target_reset(r, k);
	if (to) {
		t->u.nat.to.lo = to->lo;
		t->u.nat.to.hi = to->hi < to->lo ? to->lo : to->hi;
		t->u.nat.to.plo = to->plo;
		t->u.nat.to.phi = to->phi < to->plo ? to->plo : to->phi;
	}
	t->u.nat.random = random;
	t->u.nat.persistent = persistent;
}

void ir_target_masquerade(struct ir_rule *r, uint16_t plo, uint16_t phi, bool random)
{
	struct ir_nat_range to = { 0, 0, plo, phi };
	target_nat(r, IRT_MASQUERADE, &to, random, false);
}

void ir_target_snat(struct ir_rule *r, const struct ir_nat_range *to, bool random, bool persistent)
{
	target_nat(r, IRT_SNAT, to, random, persistent);
}

void ir_target_dnat(struct ir_rule *r, const struct ir_nat_range *to, bool random, bool persistent)
{
	target_nat(r, IRT_DNAT, to, random, persistent);
}

void ir_target_redirect(struct ir_rule *r, uint16_t plo, uint16_t phi, bool random)
{
	struct ir_nat_range to = { 0, 0, plo, phi };
	target_nat(r, IRT_REDIRECT, &to, random, false);
}

void ir_target_tcpmss(struct ir_rule *r, unsigned mss)
{
	target_reset(r, IRT_TCPMSS)->u.tcpmss.mss = (uint16_t)(mss > 65535 ? 65535 : mss);
}

void ir_target_nfqueue(struct ir_rule *r, unsigned num, unsigned num_hi, bool bypass)
{
	struct ir_target *t = target_reset(r, IRT_NFQUEUE);
	t->u.queue.num = (uint16_t)num;
	t->u.queue.num_hi = (uint16_t)(num_hi > num ? num_hi : num);
	t->u.queue.bypass = bypass;
}

static void target_mark(struct ir_rule *r, enum ir_target_kind k, enum ir_mark_op op, uint32_t value, uint32_t mask)
{
	struct ir_target *t = target_reset(r, k);
	t->u.mark.op = (uint8_t)op;
	t->u.mark.value = op == IR_MARK_SAVE || op == IR_MARK_RESTORE ? 0 : value;
	t->u.mark.mask = mask;
}

void ir_target_mark(struct ir_rule *r, enum ir_mark_op op, uint32_t value, uint32_t mask)
{
	target_mark(r, IRT_MARK, op, value, mask);
}

void ir_target_connmark(struct ir_rule *r, enum ir_mark_op op, uint32_t value, uint32_t mask)
{
	target_mark(r, IRT_CONNMARK, op, value, mask);
}

void ir_target_copy(struct ir_rule *r, const struct ir_target *t)
{
	if (t->kind == IRT_JUMP || t->kind == IRT_GOTO) {
		target_chain(r, t->kind, t->u.chain);
		return;
	}
	target_release(&r->target);
	memcpy(&r->target, t, sizeof(*t));
	chain_touch(r->chain);
}

bool ir_target_terminal(const struct ir_target *t)
{
	return ir_target_desc(t->kind)->terminal;
}
