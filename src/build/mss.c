/* mss.c — TCP MSS clamping: zone and host mss= in the pair chains, CLAMPMSS and interface mss=.
 *
 * Every rule here rewrites the MSS of SYNs only (`--tcp-flags SYN,RST SYN`), and a fixed value is
 * applied only to SYNs that carry a larger one (`-m tcpmss --mss N:`), so rules for several
 * sources compose to the smallest value whatever their order. docs/compiler.md "NAT and MSS";
 * reference §1.9. */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "settings.h"

/* -p tcp --tcp-flags SYN,RST SYN [-m tcpmss --mss N:] (N = 0: no tcpmss match) */
static void syn_match(struct ir_rule *r, unsigned mss)
{
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	if (mss)
		ir_match_tcpmss(r, (uint16_t)mss, 65535, false);
}

static void set_mss_rule(struct ir_chain *ch, const struct loc *loc, unsigned mss)
{
	struct ir_rule *r = ir_rule_append(ch, loc);
	syn_match(r, mss);
	ir_target_tcpmss(r, mss);
}

/* The zone line that gave the zone its mss= (the 2.2 ipsec file when that is where it was). */
static const struct loc *zone_mss_loc(const struct zone *z)
{
	return z->ipsec_loc.file ? &z->ipsec_loc : &z->loc;
}

static bool host_ipsec(const struct host *h)
{
	return h->zone->type == ZONE_IPSEC || HOST_HAS(h, HO_IPSEC);
}

static const char *host_dev(const struct host *h)
{
	return h->ifname ? h->ifname : h->iface->physical ? h->iface->physical : h->iface->name;
}

/* A host's excluded addresses need a chain of their own: RETURN for them, then TCPMSS; one for
 * packets from the host's networks (source excluded), one for packets to them. */
static struct ir_chain *host_mss_chain(struct builder *b, const struct host *h, bool from)
{
	const char *name = arena_printf(b->c->arena, "~mss_%s_%u_%s", h->zone->name, h->loc.line,
					from ? "in" : "out");
	struct ir_chain *ch = ir_chain_find(b->rs, IR_FILTER, name);
	if (ch)
		return ch;
	ch = ir_chain_get(b->rs, IR_FILTER, name);
	ch->loc = h->loc;
	for (const struct addr_item *x = h->addrs.excl; x; x = x->next) {
		struct ir_rule *r = ir_rule_append(ch, &h->loc);
		ir_match_addr(r, from ? IR_SRC : IR_DST, x, false);
		ir_target_simple(r, IRT_RETURN);
	}
	set_mss_rule(ch, &h->loc, h->mss);
	return ch;
}

static void host_mss_rule(struct builder *b, struct pair *p, const struct host *h, bool from,
			  const struct addr_item *addr)
{
	struct ir_rule *r = ir_rule_append(p->chain, &h->loc);
	if (from)
		ir_match_in(r, host_dev(h), false);
	else
		ir_match_out(r, host_dev(h), false);
	if (addr)
		ir_match_addr(r, from ? IR_SRC : IR_DST, addr, false);
	syn_match(r, h->mss);
	if (b->g->have_ipsec)
		ir_match_policy(r, from ? IR_DIR_IN : IR_DIR_OUT, host_ipsec(h) ? IR_POL_IPSEC : IR_POL_NONE, NULL);
	if (h->addrs.excl)
		ir_target_jump(r, host_mss_chain(b, h, from));
	else
		ir_target_tcpmss(r, h->mss);
}

/* Has a member of z mss=? Asked twice per pair, answered from one pass over the hosts. */
static bool zone_host_mss(struct builder *b, const struct zone *z)
{
	if (!b->host_mss_zones) {
		size_t n = b->g->zones.n;
		b->host_mss_zones = arena_alloc(b->c->arena, n ? n : 1);
		for (size_t i = 0; i < n; i++) {
			const struct zone *zi = b->g->zones.v[i];
			for (size_t j = 0; j < zi->hosts.n; j++)
				if (HOST_HAS(zi->hosts.v[j], HO_MSS) && zi->hosts.v[j]->mss)
					b->host_mss_zones[zi->index] = true;
		}
	}
	return b->host_mss_zones[z->index];
}

static void host_mss(struct builder *b, struct pair *p, const struct zone *z, bool from)
{
	for (size_t i = 0; i < z->hosts.n; i++) {
		const struct host *h = z->hosts.v[i];
		if (!HOST_HAS(h, HO_MSS) || !h->mss)
			continue;
		if (!h->addrs.items)
			host_mss_rule(b, p, h, from, NULL);
		for (const struct addr_item *a = h->addrs.items; a; a = a->next)
			host_mss_rule(b, p, h, from, a);
	}
}

void build_pair_mss(struct builder *b, struct pair *p)
{
	if (!p->chain)
		return;
	const struct zone *s = p->src, *d = p->dst;
	/* zone mss=: OPTIONS both ways, IN_OPTIONS from the zone, OUT_OPTIONS to it */
	if (s->mss)
		set_mss_rule(p->chain, zone_mss_loc(s), s->mss);
	if (s->in_mss)
		set_mss_rule(p->chain, zone_mss_loc(s), s->in_mss);
	if (d->mss && d != s)
		set_mss_rule(p->chain, zone_mss_loc(d), d->mss);
	if (d->out_mss)
		set_mss_rule(p->chain, zone_mss_loc(d), d->out_mss);
	if (zone_host_mss(b, s))
		host_mss(b, p, s, true);
	if (zone_host_mss(b, d))
		host_mss(b, p, d, false);
}

void build_mangle(struct builder *b)
{
	const struct settings *s = b->s;
	bool clamp = s->clampmss != 0;
	unsigned fixed = s->clampmss > 0 ? (unsigned)s->clampmss : 0;
	struct ir_chain *ch = NULL;

	/* interface mss=: its own chain, reached from the top of filter FORWARD */
	for (size_t i = 0; i < b->g->ifaces.n; i++) {
		const struct iface *f = b->g->ifaces.v[i];
		if (!IFACE_ON(f, IFO_MSS))
			continue;
		unsigned mss = (unsigned)f->optval[IFO_MSS];
		const char *dev = f->physical ? f->physical : f->name;
		if (!ch) {
			ch = ir_chain_get(b->rs, IR_FILTER, "settcpmss");
			ch->loc = f->optloc;
			struct ir_rule *j = ir_rule_insert_at(ir_chain_get(b->rs, IR_FILTER, "FORWARD"), 0, &f->optloc);
			syn_match(j, 0);
			ir_target_jump(j, ch);
		}
		for (int dir = 0; dir < 2; dir++) {    /* out, then in */
			struct ir_rule *r = ir_rule_append(ch, &f->optloc);
			if (dir == 0)
				ir_match_out(r, dev, false);
			else
				ir_match_in(r, dev, false);
			syn_match(r, mss);
			if (b->g->have_ipsec)
				ir_match_policy(r, dir == 0 ? IR_DIR_OUT : IR_DIR_IN, IR_POL_NONE, NULL);
			ir_target_tcpmss(r, mss);
			if (clamp) {    /* the interface's value wins over CLAMPMSS */
				r = ir_rule_append(ch, &f->optloc);
				if (dir == 0)
					ir_match_out(r, dev, false);
				else
					ir_match_in(r, dev, false);
				ir_target_simple(r, IRT_RETURN);
			}
		}
	}
	if (!clamp)
		return;
	if (!ch)
		ch = ir_chain_get(b->rs, IR_MANGLE, "FORWARD");
	struct ir_rule *r = ir_rule_append(ch, &s->loc);
	syn_match(r, fixed);
	if (b->g->have_ipsec)
		ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_tcpmss(r, fixed);
}
