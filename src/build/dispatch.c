/* dispatch.c — INPUT/FORWARD/OUTPUT, interface chains and Z_frwd: which pair chain a packet enters. */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "settings.h"

#include <string.h>

typedef VEC(struct host *) host_vec;

/* Every member on an interface: ipsec members first, then plaintext ones, each group in match
 * order (sub-zones before parents, then declaration order), hosts in file order. One interface's
 * are this sequence filtered (members_on). */
static void members_all(struct builder *b, host_vec *out)
{
	for (int pass = 1; pass >= 0; pass--) {
		for (size_t z = 0; z < b->g->match_order.n; z++) {
			const struct zone *zone = b->g->match_order.v[z];
			if (zone == b->g->fw)
				continue;
			for (size_t i = 0; i < zone->hosts.n; i++) {
				struct host *h = zone->hosts.v[i];
				if (!h->iface || member_is_ipsec(b, h) != (pass == 1))
					continue;
				vec_push(b->c->arena, out, h);
			}
		}
	}
}

/* The member's address elements, in an arena array (*out); NULL stands for the whole interface
 * (no -s/-d). Returns how many. */
static size_t member_addrs(struct builder *b, const struct host *h, const struct addr_item ***out)
{
	/* the usual member, a whole interface: one NULL element, shared (never written) */
	static const struct addr_item *whole_iface[1];
	if (!h->addrs.items) {
		*out = whole_iface;
		return 1;
	}
	size_t cap = 1;
	for (const struct addr_item *it = h->addrs.items; it; it = it->next)
		cap++;
	const struct addr_item **v = arena_alloc(b->c->arena, cap * sizeof(*v));
	size_t n = 0;
	if (!h->addrs.items)
		v[n++] = NULL;
	for (const struct addr_item *it = h->addrs.items; it; it = it->next) {
		if (it->kind == ADDR_DYNAMIC)
			continue;           /* dynamic zones (ipset-managed members) are not built here */
		v[n++] = it->kind == ADDR_NET && it->net.len == 0 ? NULL : it;
	}
	*out = v;
	return n;
}

static const char *iface_dev(const struct iface *f)
{
	return f->physical ? f->physical : f->name;
}

/* Point r at the pair (or at chain `to`), through a ~exclN chain when the member lists
 * exclusions: that chain RETURNs for each excluded address, then jumps on. Exclusions thus cost
 * one small chain per member and target, and the dispatcher's own order is untouched. */
static struct ir_chain *excl_chain(struct builder *b, const struct host *h, enum ir_side side,
				   struct pair *p, struct ir_chain *to)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, arena_printf(b->c->arena, "~excl%u", b->nexcl++));
	ch->loc = h->loc;
	for (const struct addr_item *e = h->addrs.excl; e; e = e->next) {
		if (e->kind == ADDR_DYNAMIC)
			continue;
		struct ir_rule *r = ir_rule_append(ch, &h->loc);
		ir_match_addr(r, side, e, false);
		ir_target_simple(r, IRT_RETURN);
	}
	struct ir_rule *r = ir_rule_append(ch, &h->loc);
	if (p)
		pair_jump(b, r, p);
	else
		ir_target_jump(r, to);
	return ch;
}

/* One dispatch rule per address element of member h at the end of chain ch, without targets. */
static void member_rules(struct builder *b, struct ir_chain *ch, const struct host *h, bool out,
			 const char *in_if, const char *out_if)
{
	const struct addr_item **addrs;
	size_t n = member_addrs(b, h, &addrs);
	ir_chain_reserve(ch, n);
	for (size_t i = 0; i < n; i++) {
		struct ir_rule *r = ir_rule_append(ch, &h->loc);
		if (in_if)      /* the graph's names: they live as long as the IR */
			ir_match_in_lasting(r, in_if, false);
		if (out_if)
			ir_match_out_lasting(r, out_if, false);
		if (out)
			member_match_out(b, r, h, addrs[i]);
		else
			member_match_in(b, r, h, addrs[i]);
	}
}

/* Aim ch's rules from `first` on at the pair (through ex when the member has exclusions), or at
 * chain `to`. */
static void member_targets(struct builder *b, struct ir_chain *ch, size_t first, struct ir_chain *ex,
			   struct pair *p, struct ir_chain *to)
{
	for (size_t i = first; i < ch->rules.n; i++) {
		struct ir_rule *r = ch->rules.v[i];
		if (ex)
			ir_target_jump(r, ex);
		else if (p)
			pair_jump(b, r, p);
		else
			ir_target_jump(r, to);
	}
}

/* One dispatch rule per address element of member h, in chain ch. */
static void member_jumps(struct builder *b, struct ir_chain *ch, const struct host *h, bool out,
			 const char *in_if, const char *out_if, struct pair *p, struct ir_chain *to)
{
	struct ir_chain *ex = h->addrs.excl ? excl_chain(b, h, out ? IR_DST : IR_SRC, p, to) : NULL;
	size_t first = ch->rules.n;
	member_rules(b, ch, h, out, in_if, out_if);
	member_targets(b, ch, first, ex, p, to);
}

/* A member's rules in the S_frwd chains (-o dev, its addresses, its outbound policy match) are
 * the same in every source zone's chain (19,000 rules at 150 zones): made once, without targets,
 * and copied. A member with exclusions (a ~excl chain per pair), or whose rules had something
 * to report (a bad ipsec option: reported for each chain, as before), is built in each. */
struct frwd_member {
	struct ir_chain *rules;     /* detached; NULL until first needed */
	bool direct;
};

static bool pair_live(const struct pair *p)
{
	return p->cell && !(p->cell->policy && p->cell->policy->kind == POL_NONE) &&
	       (p->chain || p->trivial_accept);
}

static bool routeback(const struct host *h)
{
	return HOST_HAS(h, HO_ROUTEBACK) || IFACE_ON(h->iface, IFO_ROUTEBACK);
}

static bool multi_iface(const struct zone *z)
{
	const struct iface *first = NULL;
	for (size_t i = 0; i < z->hosts.n; i++) {
		const struct iface *f = z->hosts.v[i]->iface;
		if (!first)
			first = f;
		else if (f != first)
			return true;
	}
	return false;
}

/* S_frwd: where traffic from S goes, by outgoing interface and destination member. */
static struct ir_chain *build_frwd(struct builder *b, struct zone *s, const host_vec *all, struct frwd_member *fm)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, arena_printf(b->c->arena, "%s_frwd", s->name));
	ch->loc = s->loc;
	bool multi = multi_iface(s);
	for (size_t i = 0; i < all->n; i++) {
		struct host *h = all->v[i];
		struct pair *p = build_pair(b, s, h->zone);
		if (!pair_live(p) || HOST_HAS(h, HO_SOURCEONLY))
			continue;
		/* intra-zone: only where the zone spans interfaces or the member is routeback; a packet
		 * sent back out of its arrival interface is sfilter's business, as in 5.2.8 */
		if (h->zone == s && !routeback(h) && !multi)
			continue;
		const char *dev = h->ifname ? h->ifname : iface_dev(h->iface);
		if (h->addrs.excl || fm[i].direct) {
			member_jumps(b, ch, h, true, NULL, dev, p, NULL);
			continue;
		}
		if (!fm[i].rules) {
			const struct diag *d = b->c->diag;
			unsigned said = d->errors + d->warnings;
			fm[i].rules = ir_chain_detached(b->rs);
			member_rules(b, fm[i].rules, h, true, NULL, dev);
			fm[i].direct = d->errors + d->warnings != said;
		}
		size_t first = ch->rules.n;
		ir_chain_append_copy(ch, fm[i].rules, NULL);
		member_targets(b, ch, first, NULL, p, NULL);
	}
	if (ch->rules.n == 0) {
		ir_chain_delete(ch);
		return NULL;
	}
	return ch;
}

/* Does forwarding back out of the interface a packet came in on need dropping? Shorewall's
 * sfilter: unless the interface (or a member on it) is routeback, the interface has routefilter,
 * or ROUTE_FILTER=Yes makes the kernel's reverse-path filter do it. */
static bool iface_sfilter(struct builder *b, const struct iface *f)
{
	if (b->s->route_filter == 1 || IFACE_ON(f, IFO_ROUTEBACK) || IFACE_ON(f, IFO_ROUTEFILTER) ||
	    IFACE_ON(f, IFO_RPFILTER) || strcmp(iface_dev(f), "+") == 0)
		return false;
	for (size_t i = 0; i < b->g->hosts.n; i++) {
		const struct host *h = b->g->hosts.v[i];
		if (h->iface == f && HOST_HAS(h, HO_ROUTEBACK))
			return false;
	}
	return true;
}

/* The sfilter chain: log and drop hairpin forwards. With IPsec (sfilter1) traffic that leaves
 * encrypted may go back out (a road warrior's packets to another through the tunnel). */
static struct ir_chain *sfilter_chain(struct builder *b)
{
	const char *name = b->g->have_ipsec ? "sfilter1" : "sfilter";
	struct ir_chain *ch = ir_chain_find(b->rs, IR_FILTER, name);
	if (ch)
		return ch;
	ch = ir_chain_get(b->rs, IR_FILTER, name);
	struct ir_rule *r;
	if (b->g->have_ipsec) {
		r = ir_rule_append(ch, NULL);
		ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, NULL);
		ir_target_simple(r, IRT_RETURN);
	}
	build_log(b, ch, &b->s->loc, b->s->log_level, name, "DROP");
	r = ir_rule_append(ch, NULL);
	ir_target_simple(r, IRT_DROP);
	return ch;
}

static bool iface_option_rules(struct builder *b, const struct iface *f)
{
	return IFACE_ON(f, IFO_DHCP) || IFACE_ON(f, IFO_TCPFLAGS) || IFACE_ON(f, IFO_NOSMURFS) ||
	       IFACE_ON(f, IFO_MACLIST) || (b->ctstate_dynamic && !IFACE_ON(f, IFO_NODBL)) ||
	       iface_sfilter(b, f);
}

static size_t member_rule_count(struct builder *b, const host_vec *m)
{
	size_t n = 0;
	const struct addr_item **addrs;
	for (size_t i = 0; i < m->n; i++)
		n += member_addrs(b, m->v[i], &addrs);
	return n;
}

/* The option rules at the top of IF_in / IF_fwd (in = INPUT side, else FORWARD side). */
static void option_rules(struct builder *b, struct ir_chain *ch, const struct iface *f, bool input)
{
	const struct loc *loc = &f->optloc;
	struct ir_rule *r;
	if (b->ctstate_dynamic && !IFACE_ON(f, IFO_NODBL)) {
		r = ir_rule_append(ch, loc);
		ir_match_ctstate(r, b->ctstate_dynamic, false);
		ir_target_jump(r, ir_chain_get(b->rs, IR_FILTER, "dynamic"));
	}
	if (input && IFACE_ON(f, IFO_DHCP)) {
		r = ir_rule_append(ch, loc);
		ir_match_proto(r, 17);
		ir_match_dport(r, 67, 68, false);
		ir_target_simple(r, IRT_ACCEPT);
	}
	if (IFACE_ON(f, IFO_NOSMURFS)) {
		r = ir_rule_append(ch, loc);
		ir_match_ctstate(r, IR_CT_NEW | IR_CT_INVALID | IR_CT_UNTRACKED, false);
		ir_target_jump(r, ir_chain_get(b->rs, IR_FILTER, "smurfs"));
	}
	if (!input && iface_sfilter(b, f)) {
		r = ir_rule_append(ch, loc);
		ir_match_out(r, iface_dev(f), false);
		if (b->g->have_ipsec) {
			ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
			ir_target_jump(r, sfilter_chain(b));
		} else {
			ir_target_goto(r, sfilter_chain(b));
		}
	}
	if (IFACE_ON(f, IFO_TCPFLAGS)) {
		r = ir_rule_append(ch, loc);
		ir_match_proto(r, 6);
		if (b->g->have_ipsec)
			ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);   /* decrypted traffic was checked as ESP */
		ir_target_jump(r, ir_chain_get(b->rs, IR_FILTER, "tcpflags"));
	}
}

/* Hosts-file members with their own tcpflags / nosmurfs (interfaces-file members carry the
 * interface's, already handled by option_rules): the same jumps, limited to the member's
 * addresses and its inbound policy match. */
static bool host_option_rules(const struct host *h)
{
	return !h->from_interfaces && (HOST_HAS(h, HO_TCPFLAGS) || HOST_HAS(h, HO_NOSMURFS));
}

static void host_options(struct builder *b, struct ir_chain *ch, const struct host *h, const char *dev)
{
	if (!host_option_rules(h) || HOST_HAS(h, HO_DESTONLY))
		return;
	const struct addr_item **addrs;
	size_t n = member_addrs(b, h, &addrs);
	for (size_t i = 0; i < n; i++) {
		struct ir_rule *r;
		if (HOST_HAS(h, HO_NOSMURFS) && !IFACE_ON(h->iface, IFO_NOSMURFS)) {
			r = ir_rule_append(ch, &h->loc);
			if (dev)
				ir_match_in(r, dev, false);
			member_match_in(b, r, h, addrs[i]);
			ir_match_ctstate(r, IR_CT_NEW | IR_CT_INVALID | IR_CT_UNTRACKED, false);
			ir_target_jump(r, ir_chain_get(b->rs, IR_FILTER, "smurfs"));
		}
		if (HOST_HAS(h, HO_TCPFLAGS) && !IFACE_ON(h->iface, IFO_TCPFLAGS)) {
			r = ir_rule_append(ch, &h->loc);
			if (dev)
				ir_match_in(r, dev, false);
			ir_match_proto(r, 6);
			member_match_in(b, r, h, addrs[i]);
			ir_target_jump(r, ir_chain_get(b->rs, IR_FILTER, "tcpflags"));
		}
	}
}

/* all's members on interface f, in all's order (without walking every zone again for each
 * interface: zones × interfaces at 150 zones). */
static void members_on(struct builder *b, const host_vec *all, const struct iface *f, host_vec *out)
{
	for (size_t i = 0; i < all->n; i++)
		if (all->v[i]->iface == f)
			vec_push(b->c->arena, out, all->v[i]);
}

static void dispatch_iface(struct builder *b, struct iface *f, const host_vec *all, struct ir_chain **frwd)
{
	host_vec m = { 0 };
	members_on(b, all, f, &m);
	if (m.n == 0)
		return;
	struct graph *g = b->g;
	struct ruleset *rs = b->rs;
	const char *dev = iface_dev(f);
	/* USE_PHYSICAL_NAMES: chains named after the device rather than the logical name */
	const char *base = build_iface_chain_base(b, b->s->use_physical_names ? dev : f->name);
	bool chain = member_rule_count(b, &m) > 1 || iface_option_rules(b, f);
	for (size_t i = 0; i < m.n; i++)
		if (host_option_rules(m.v[i]))
			chain = true;
	struct ir_chain *input = ir_chain_get(rs, IR_FILTER, "INPUT");
	struct ir_chain *forward = ir_chain_get(rs, IR_FILTER, "FORWARD");
	struct ir_chain *output = ir_chain_get(rs, IR_FILTER, "OUTPUT");
	struct ir_chain *in = input, *fwd = forward, *out = output;
	if (chain) {
		in = ir_chain_get(rs, IR_FILTER, arena_printf(b->c->arena, "%s_in", base));
		fwd = ir_chain_get(rs, IR_FILTER, arena_printf(b->c->arena, "%s_fwd", base));
		out = ir_chain_get(rs, IR_FILTER, arena_printf(b->c->arena, "%s_out", base));
		in->loc = fwd->loc = out->loc = f->loc;
		option_rules(b, in, f, true);
		option_rules(b, fwd, f, false);
		if (IFACE_ON(f, IFO_DHCP)) {
			struct ir_rule *r = ir_rule_append(out, &f->optloc);
			ir_match_proto(r, 17);
			ir_match_dport(r, 67, 68, false);
			ir_target_simple(r, IRT_ACCEPT);
		}
	}
	/* Hosts-file option rules next, then the members. -i/-o on each rule only when there is no
	 * interface chain (or the member names a device under a wildcard interface). `destonly`
	 * members are never a source; `sourceonly` ones are never a forwarding destination (but still
	 * the firewall's, as in 5.2.8: its generate_matrix tests sourceonly only when forwarding). */
	for (size_t i = 0; i < m.n; i++) {
		host_options(b, in, m.v[i], m.v[i]->ifname);
		host_options(b, fwd, m.v[i], m.v[i]->ifname);
	}
	for (size_t i = 0; i < m.n; i++) {
		struct host *h = m.v[i];
		const char *hdev = h->ifname ? h->ifname : chain ? NULL : dev;
		struct pair *p = build_pair(b, h->zone, g->fw);
		if (pair_live(p) && !HOST_HAS(h, HO_DESTONLY))
			member_jumps(b, in, h, false, hdev, NULL, p, NULL);
	}
	for (size_t i = 0; i < m.n; i++) {
		struct host *h = m.v[i];
		const char *hdev = h->ifname ? h->ifname : chain ? NULL : dev;
		if (frwd[h->zone->index] && !HOST_HAS(h, HO_DESTONLY))
			member_jumps(b, fwd, h, false, hdev, NULL, NULL, frwd[h->zone->index]);
	}
	for (size_t i = 0; i < m.n; i++) {
		struct host *h = m.v[i];
		const char *hdev = h->ifname ? h->ifname : chain ? NULL : dev;
		struct pair *p = build_pair(b, g->fw, h->zone);
		if (pair_live(p))
			member_jumps(b, out, h, true, NULL, hdev, p, NULL);
	}
	if (chain) {
		struct ir_rule *r;
		if (in->rules.n) {
			r = ir_rule_append(input, &f->loc);
			ir_match_in(r, dev, false);
			ir_target_jump(r, in);
		}
		if (fwd->rules.n) {
			r = ir_rule_append(forward, &f->loc);
			ir_match_in(r, dev, false);
			ir_target_jump(r, fwd);
		}
		if (out->rules.n) {
			r = ir_rule_append(output, &f->loc);
			ir_match_out(r, dev, false);
			ir_target_jump(r, out);
		}
	}
}

static bool is_all(const char *t)
{
	return t && (strcmp(t, "all") == 0 || strcmp(t, "all+") == 0);
}

static bool is_fw(const struct builder *b, const char *t)
{
	return t && (strcmp(t, b->g->fw->name) == 0 || strcmp(t, "$FW") == 0);
}

/* The policy line that decides what no zone pair claimed: `all fw` (INPUT), `fw all` (OUTPUT),
 * else `all all`; NULL if none was written. */
static const struct policy *catchall_policy(struct builder *b, int which)
{
	const struct policy *aa = NULL;
	for (size_t i = 0; i < b->g->policies.n; i++) {
		const struct policy *p = b->g->policies.v[i];
		/* every case below has `all` on a side: skip the zone-to-zone lines (22,000 at 150 zones) */
		if (!p->wildcard)
			continue;
		if (which == 0 && is_all(p->src_text) && is_fw(b, p->dst_text))
			return p;
		if (which == 2 && is_fw(b, p->src_text) && is_all(p->dst_text))
			return p;
		if (!aa && is_all(p->src_text) && is_all(p->dst_text))
			aa = p;
	}
	return aa;
}

static void catchall(struct builder *b, const char *name, int which, enum policy_kind fallback)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, name);
	const struct policy *pol = catchall_policy(b, which);
	if (pol && pol->kind != POL_CONTINUE && pol->kind != POL_NONE) {
		build_policy_tail(b, ch, pol, name);
		return;
	}
	/* no usable policy: DROP (INPUT) / REJECT, logged at info */
	struct policy *dflt = arena_new_obj(b->c->arena, struct policy);
	dflt->loc = pol ? pol->loc : LOC_NONE;
	dflt->kind = fallback;
	dflt->loglevel = "info";
	build_policy_tail(b, ch, dflt, name);
}

void build_dispatch(struct builder *b)
{
	struct graph *g = b->g;
	struct ruleset *rs = b->rs;
	struct ir_chain *input = ir_chain_get(rs, IR_FILTER, "INPUT");
	struct ir_chain *forward = ir_chain_get(rs, IR_FILTER, "FORWARD");
	struct ir_chain *output = ir_chain_get(rs, IR_FILTER, "OUTPUT");

	if (b->s->fastaccept) {
		struct ir_chain *bi[3] = { input, forward, output };
		for (int i = 0; i < 3; i++) {
			struct ir_rule *r = ir_rule_append(bi[i], &b->s->loc);
			ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
			ir_target_simple(r, IRT_ACCEPT);
		}
	}

	host_vec all = { 0 };
	members_all(b, &all);
	struct ir_chain **frwd = arena_alloc(b->c->arena, (g->zones.n + 1) * sizeof(*frwd));
	struct frwd_member *fm = arena_alloc(b->c->arena, all.n * sizeof(*fm));
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		if (z != g->fw)
			frwd[z->index] = build_frwd(b, z, &all, fm);
	}
	for (size_t i = 0; i < all.n; i++)
		if (fm[i].rules)
			ir_chain_flush(fm[i].rules);    /* copied: the originals are no rules of the ruleset */
	for (size_t i = 0; i < g->ifaces.n; i++)
		dispatch_iface(b, g->ifaces.v[i], &all, frwd);

	struct ir_rule *r = ir_rule_append(input, NULL);
	ir_match_in(r, "lo", false);
	ir_target_simple(r, IRT_ACCEPT);
	r = ir_rule_append(output, NULL);
	ir_match_out(r, "lo", false);
	ir_target_simple(r, IRT_ACCEPT);

	catchall(b, "INPUT", 0, POL_DROP);
	catchall(b, "FORWARD", 1, POL_REJECT);
	catchall(b, "OUTPUT", 2, POL_REJECT);
}
