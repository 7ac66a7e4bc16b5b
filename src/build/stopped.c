/* stopped.c — the stopped ruleset (what may pass while the firewall is down) and the cleared one.
 *
 * The order inside each builtin chain: replies, loopback, DHCP, then the configured entries in
 * file order. All of them accept (or, in raw, drop/untrack), so the order changes no verdict; it
 * is fixed so that the same configuration gives the same bytes. */
#include "stopped.h"

#include "build.h"
#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "settings.h"

#include <string.h>

struct stop_ctx {
	struct compile *c;
	struct builder b;           /* for build_ports (it needs only the compile) */
	struct ruleset *rs;
	bool absentminded;
};

/* Where one stopped entry goes and what it matches, before protocol and ports. */
struct stop_rule {
	enum ir_table table;
	const char *chain;
	const char *in, *out;               /* physical interface names, NULL = any */
	const struct addr_item *src, *dst;  /* NULL = any */
	enum ir_target_kind target;
};

/* The device name iptables must see for a logical interface name (physical=). */
static const char *physical(struct stop_ctx *x, const char *name)
{
	if (!name)
		return NULL;
	struct iface *i = graph_find_iface(x->c->graph, name);
	return i && i->physical ? i->physical : name;
}

static struct ir_rule *base_rule(struct stop_ctx *x, const struct stop_rule *sr, const struct loc *loc)
{
	struct ir_rule *r = ir_rule_append(ir_chain_get(x->rs, sr->table, sr->chain), loc);
	if (sr->in)
		ir_match_in(r, sr->in, false);
	if (sr->out)
		ir_match_out(r, sr->out, false);
	if (sr->src)
		ir_match_addr(r, IR_SRC, sr->src, false);
	if (sr->dst)
		ir_match_addr(r, IR_DST, sr->dst, false);
	return r;
}

/* One rule per chunk of ports that fits a multiport match, for one protocol. */
static void add_with_ports(struct stop_ctx *x, const struct stop_rule *sr, const struct loc *loc,
			   uint8_t proto, const char *dports, const char *sports)
{
	struct ir_portrange *dp = NULL, *sp = NULL;
	size_t nd = 0, ns = 0;
	bool dinv = false, sinv = false;
	if (dports && !build_ports(&x->b, loc, dports, proto, &dp, &nd, &dinv))
		return;
	if (sports && !build_ports(&x->b, loc, sports, proto, &sp, &ns, &sinv))
		return;
	size_t di = 0;
	do {
		size_t dk = nd ? ir_ports_fit(dp + di, nd - di) : 0;
		size_t si = 0;
		do {
			size_t sk = ns ? ir_ports_fit(sp + si, ns - si) : 0;
			struct ir_rule *r = base_rule(x, sr, loc);
			if (proto)
				ir_match_proto(r, proto);
			if (dk)
				ir_match_dports(r, dp + di, dk, dinv);
			if (sk)
				ir_match_sports(r, sp + si, sk, sinv);
			ir_target_simple(r, sr->target);
			si += sk;
		} while (si < ns);
		di += dk;
	} while (di < nd);
}

/* The entry for each protocol of a comma list (PROTO may name several; NULL = any). */
static void add_entry(struct stop_ctx *x, const struct stop_rule *sr, const struct stopped_rule *e)
{
	if (!e->proto) {
		add_with_ports(x, sr, &e->loc, 0, NULL, NULL);
		return;
	}
	char *copy = arena_strdup(x->c->arena, e->proto);
	for (char *save = NULL, *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		uint8_t num;
		if (!ir_proto_parse(p, &num)) {
			diag_error(x->c->diag, &e->loc, "Invalid/Unknown protocol (%s)", p);
			continue;
		}
		add_with_ports(x, sr, &e->loc, num, e->dports, e->sports);
	}
}

/* Every source × destination address of the entry (a NULL item list is "any"). */
static void add_addresses(struct stop_ctx *x, struct stop_rule *sr, const struct stopped_rule *e,
			  const struct addr_list *src, const struct addr_list *dst)
{
	if ((src && src->excl) || (dst && dst->excl))
		diag_warn(x->c->diag, &e->loc, "Exclusions are ignored in the stopped ruleset");
	const struct addr_item *s0 = src ? src->items : NULL, *d0 = dst ? dst->items : NULL;
	const struct addr_item *s = s0;
	do {
		const struct addr_item *d = d0;
		do {
			sr->src = s;
			sr->dst = d;
			add_entry(x, sr, e);
			d = d ? d->next : NULL;
		} while (d);
		s = s ? s->next : NULL;
	} while (s);
}

/* stoppedrules (5.x): ACCEPT in filter INPUT (DEST $FW), OUTPUT (SOURCE $FW) or FORWARD; DROP and
 * NOTRACK in raw PREROUTING, or raw OUTPUT for the firewall's own traffic. */
static void stoppedrules_entry(struct stop_ctx *x, const struct stopped_rule *e)
{
	struct stop_rule sr = { 0 };
	bool raw = e->action != STOP_ACCEPT;
	sr.table = raw ? IR_RAW : IR_FILTER;
	sr.target = e->action == STOP_ACCEPT ? IRT_ACCEPT : e->action == STOP_DROP ? IRT_DROP : IRT_NOTRACK;
	if (!raw && e->fw_dst)
		sr.chain = "INPUT";
	else if (e->fw_src)
		sr.chain = "OUTPUT";
	else
		sr.chain = raw ? "PREROUTING" : "FORWARD";
	if (!e->fw_src)
		sr.in = physical(x, e->src_iface);
	if (!e->fw_dst)
		sr.out = physical(x, e->dst_iface);
	add_addresses(x, &sr, e, &e->source, &e->dest);
}

/* One host of a routestopped line: the interface and one element of its HOST(S) (NULL = any). */
struct rs_host {
	const struct stopped_rule *e;
	const struct addr_item *item;
};

static void rs_rule(struct stop_ctx *x, const struct stopped_rule *e, enum ir_table t, const char *chain,
		    const char *in, const struct addr_item *src, const char *out, const struct addr_item *dst,
		    enum ir_target_kind target)
{
	struct stop_rule sr = { t, chain, in, out, src, dst, target };
	add_entry(x, &sr, e);
}

/* routestopped (2.x): the hosts talk to the firewall both ways; `source` forwards from them to
 * anywhere, `dest` from anywhere to them, otherwise they are forwarded among each other;
 * `routeback` (or the interface's own) back out the same interface; `notrack` leaves conntrack.
 * `critical` needs nothing: start and restart never pass through an open or stopped state here. */
static void routestopped(struct stop_ctx *x)
{
	struct graph *g = x->c->graph;
	VEC(struct rs_host) hosts = { 0 };
	for (size_t i = 0; i < g->stopped.n; i++) {
		const struct stopped_rule *e = g->stopped.v[i];
		if (!e->from_routestopped)
			continue;
		const struct addr_item *it = e->source.items;
		do {
			vec_push(x->c->arena, &hosts, ((struct rs_host){ e, it }));
			it = it ? it->next : NULL;
		} while (it);
	}
	for (size_t i = 0; i < hosts.n; i++) {
		const struct stopped_rule *e = hosts.v[i].e;
		const struct addr_item *h = hosts.v[i].item;
		const char *dev = physical(x, e->src_iface);
		struct iface *ifc = graph_find_iface(g, e->src_iface);
		rs_rule(x, e, IR_FILTER, "INPUT", dev, h, NULL, NULL, IRT_ACCEPT);
		if (!x->absentminded)
			rs_rule(x, e, IR_FILTER, "OUTPUT", NULL, NULL, dev, h, IRT_ACCEPT);
		if (e->routeback || (ifc && IFACE_ON(ifc, IFO_ROUTEBACK)))
			rs_rule(x, e, IR_FILTER, "FORWARD", dev, h, dev, h, IRT_ACCEPT);
		if (e->opt_source)
			rs_rule(x, e, IR_FILTER, "FORWARD", dev, h, NULL, NULL, IRT_ACCEPT);
		if (e->opt_dest)
			rs_rule(x, e, IR_FILTER, "FORWARD", NULL, NULL, dev, h, IRT_ACCEPT);
		if (e->notrack) {
			rs_rule(x, e, IR_RAW, "PREROUTING", dev, h, NULL, NULL, IRT_NOTRACK);
			rs_rule(x, e, IR_RAW, "OUTPUT", NULL, NULL, dev, h, IRT_NOTRACK);
		}
		if (e->opt_source || e->opt_dest)
			continue;
		for (size_t j = 0; j < hosts.n; j++) {
			if (j == i)
				continue;
			const struct stopped_rule *e1 = hosts.v[j].e;
			rs_rule(x, e, IR_FILTER, "FORWARD", dev, h, physical(x, e1->src_iface), hosts.v[j].item,
				IRT_ACCEPT);
		}
	}
}

struct ruleset *build_stopped(struct compile *c)
{
	struct graph *g = c->graph;
	if (!g || !c->conf) {
		struct loc none = LOC_NONE;
		diag_error(c->diag, &none, "Nothing to compile: the configuration did not load");
		return NULL;
	}
	unsigned before = c->diag->errors;
	struct stop_ctx x = { .c = c, .absentminded = c->conf->admin_absentminded };
	x.rs = ir_ruleset_new(c);
	x.b.c = c;
	x.b.g = g;
	x.b.s = c->conf;
	x.b.rs = x.rs;
	const struct loc *conf = &c->conf->loc;
	struct ir_chain *input = ir_chain_get(x.rs, IR_FILTER, "INPUT");
	struct ir_chain *forward = ir_chain_get(x.rs, IR_FILTER, "FORWARD");
	struct ir_chain *output = ir_chain_get(x.rs, IR_FILTER, "OUTPUT");
	ir_chain_set_policy(input, IR_POLICY_DROP);
	ir_chain_set_policy(forward, IR_POLICY_DROP);
	ir_chain_set_policy(output, x.absentminded ? IR_POLICY_ACCEPT : IR_POLICY_DROP);

	/* replies to what was allowed before and while stopped: an admin's ssh session survives */
	struct ir_chain *state_chains[] = { input, forward };
	for (size_t i = 0; i < 2; i++) {
		struct ir_rule *r = ir_rule_append(state_chains[i], conf);
		ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
		ir_target_simple(r, IRT_ACCEPT);
	}
	struct ir_rule *r = ir_rule_append(input, conf);
	ir_match_in(r, "lo", false);
	ir_target_simple(r, IRT_ACCEPT);
	if (!x.absentminded) {
		r = ir_rule_append(output, conf);
		ir_match_out(r, "lo", false);
		ir_target_simple(r, IRT_ACCEPT);
	}

	/* a dhcp interface must still get (or serve) its address while the firewall is down */
	for (size_t i = 0; i < g->ifaces.n; i++) {
		struct iface *ifc = g->ifaces.v[i];
		if (!IFACE_ON(ifc, IFO_DHCP))
			continue;
		const char *dev = ifc->physical ? ifc->physical : ifc->name;
		struct ir_chain *chains[] = { input, output, forward };
		for (size_t k = 0; k < 3; k++) {
			if (chains[k] == output && x.absentminded)
				continue;
			r = ir_rule_append(chains[k], &ifc->loc);
			if (chains[k] != output)
				ir_match_in(r, dev, false);
			if (chains[k] != input)
				ir_match_out(r, dev, false);     /* FORWARD: a bridge relaying DHCP */
			ir_match_proto(r, 17);
			ir_match_dport(r, 67, 68, false);
			ir_target_simple(r, IRT_ACCEPT);
		}
	}

	for (size_t i = 0; i < g->stopped.n; i++)
		if (!g->stopped.v[i]->from_routestopped)
			stoppedrules_entry(&x, g->stopped.v[i]);
	routestopped(&x);

	ir_validate(x.rs);
	return c->diag->errors == before ? x.rs : NULL;
}

struct ruleset *build_cleared(struct compile *c)
{
	/* ir_ruleset_new makes every builtin with the kernel's default ACCEPT policy */
	return ir_ruleset_new(c);
}
