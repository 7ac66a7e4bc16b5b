/* spd.c — derive the IPsec SPD (peers, gateways, traffic selectors) from the zone graph. */
#include "spd.h"

#include "compile.h"
#include "graph.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---------------------------------------------------------------------------- */

const char *spd_net(const struct net4 *n, char *buf, size_t len)
{
	char a[16];
	snprintf(buf, len, "%s/%u", ip4_format(n->addr, a, sizeof(a)), n->len);
	return buf;
}

const char *spd_where(const struct compile *c, const struct spd_sel *s, char *buf, size_t len)
{
	if (!s->loc.file) {
		snprintf(buf, len, "%s", s->origin ? s->origin : "default");
		return buf;
	}
	/* Relative to the config dir: the comments then read the same wherever the dir lives. */
	const char *f = s->loc.file;
	size_t n = strlen(c->dir);
	if (strncmp(f, c->dir, n) == 0 && f[n] == '/')
		f += n + 1;
	snprintf(buf, len, "%s:%u", f, s->loc.line);
	return buf;
}

bool spd_peer_static(const struct spd_peer *p)
{
	return p->mode == SPD_TRANSPORT || p->remote_gw_known;
}

static uint32_t mask_of(unsigned len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static bool net_equal(const struct net4 *a, const struct net4 *b)
{
	return a->len == b->len && a->addr == b->addr;
}

/* Append a selector unless the same network is already there (a hosts list may repeat itself). */
static void sel_add(struct arena *a, void *vec, const struct spd_sel *s)
{
	VEC(struct spd_sel) *v = vec;
	for (size_t i = 0; i < v->n; i++)
		if (net_equal(&v->v[i].net, &s->net))
			return;
	vec_push(a, v, *s);
}

/* An address list as selectors: ranges become the CIDR blocks that cover them exactly; what an SPD
 * selector cannot say (ipsets, dynamic zones, exclusions) is an error at the line. */
static int sels_from_list(struct compile *c, void *vec, const struct addr_list *l, const struct spd_sel *proto)
{
	int errors = 0;
	char buf[64];
	struct spd_sel s = *proto;
	if (l->excl) {
		diag_error(c->diag, &proto->loc, "An IPsec policy selector cannot exclude addresses (!%s)",
			   addr_item_format(l->excl, buf, sizeof(buf)));
		errors++;
	}
	if (!l->items) {
		s.net = (struct net4){ 0, 0 };
		sel_add(c->arena, vec, &s);
		return errors;
	}
	for (const struct addr_item *it = l->items; it; it = it->next) {
		switch (it->kind) {
		case ADDR_NET:
			s.net = it->net;
			s.net.addr &= mask_of(s.net.len);
			sel_add(c->arena, vec, &s);
			break;
		case ADDR_RANGE: {
			uint64_t lo = it->lo, hi = it->hi;
			while (lo <= hi) {
				/* the largest block starting at lo, aligned, that ends within the range */
				unsigned len = 32;
				while (len > 0) {
					uint64_t size = 1ull << (33 - len);
					if ((lo & (size - 1)) != 0 || lo + size - 1 > hi)
						break;
					len--;
				}
				s.net = (struct net4){ (uint32_t)lo, (uint8_t)len };
				sel_add(c->arena, vec, &s);
				lo += 1ull << (32 - len);
			}
			break;
		}
		case ADDR_IPSET:
		case ADDR_DYNAMIC:
			diag_error(c->diag, &proto->loc, "An IPsec policy selector cannot name %s (%s)",
				   it->kind == ADDR_IPSET ? "an ipset" : "a dynamic zone",
				   addr_item_format(it, buf, sizeof(buf)));
			errors++;
			break;
		}
	}
	return errors;
}

/* ---- what a zone's options say about its SAs -------------------------------------------------- */

static const struct ipsec_opt *opt_find(const struct ipsec_opt *l, enum ipsec_key k)
{
	for (; l; l = l->next)
		if (l->key == k)
			return l;
	return NULL;
}

/* The option in the direction's own column first, then in OPTIONS (both directions). */
static const struct ipsec_opt *opt_dir(const struct zone *z, bool in, enum ipsec_key k)
{
	const struct ipsec_opt *o = opt_find(in ? z->in_options : z->out_options, k);
	return o ? o : opt_find(z->options, k);
}

static const struct ipsec_opt *opt_any(const struct zone *z, enum ipsec_key k)
{
	const struct ipsec_opt *o = opt_find(z->options, k);
	if (!o)
		o = opt_find(z->out_options, k);
	return o ? o : opt_find(z->in_options, k);
}

static unsigned long reqid_of(const struct zone *z, bool in)
{
	const struct ipsec_opt *o = opt_dir(z, in, IPSEC_REQID);
	return o && !o->invert && o->value ? strtoul(o->value, NULL, 0) : 0;
}

/* A single address from a tunnel-src/tunnel-dst option in one direction's own column (OPTIONS
 * applies to both directions, where src and dst swap, so it cannot name one end). */
static bool opt_addr(const struct zone *z, bool in, enum ipsec_key k, uint32_t *out)
{
	const struct ipsec_opt *o = opt_find(in ? z->in_options : z->out_options, k);
	struct net4 n;
	if (!o || o->invert || !o->value || !addr_parse_net(o->value, &n) || n.len != 32)
		return false;
	*out = n.addr;
	return true;
}

static struct loc zone_opts_loc(const struct zone *z)
{
	return z->ipsec_loc.file ? z->ipsec_loc : z->loc;
}

/* ---- the remote gateway ----------------------------------------------------------------------- */

struct gw_pick {
	const struct tunnel *t;
	struct net4 gw;             /* len 32 = one gateway; else the range a road warrior comes from */
};

static bool is_ipsec_tunnel(const struct tunnel *t)
{
	return t->type == TUN_IPSEC || t->type == TUN_IPSECNAT;
}

/* The gateway is one of the addresses the hosts entry lists (the seed puts gateway B in its vpn
 * zone), not merely inside a whole-interface 0.0.0.0/0. */
static bool gw_listed(uint32_t gw, const struct addr_list *l)
{
	struct net4 g = { gw, 32 };
	for (const struct addr_item *it = l->items; it; it = it->next) {
		if (it->kind == ADDR_NET && it->net.len > 0 && net4_contains(&it->net, &g))
			return true;
		if (it->kind == ADDR_RANGE && gw >= it->lo && gw <= it->hi)
			return true;
	}
	return false;
}

static bool tunnel_names_zone(const struct tunnel *t, const struct zone *z)
{
	for (size_t i = 0; i < t->gateway_zones.n; i++)
		if (t->gateway_zones.v[i] == z)
			return true;
	return false;
}

/* The tunnel's encapsulated packets use this interface: a member of its zone is on it. */
static bool tunnel_on_iface(const struct tunnel *t, const struct iface *i)
{
	for (size_t k = 0; t->zone && k < t->zone->hosts.n; k++)
		if (t->zone->hosts.v[k]->iface == i)
			return true;
	return false;
}

/* The gateway a tunnel line gives, when it gives one: a single GATEWAY item (any or a network: a
 * road warrior's range). Several items name several peers: the caller needs a better hint. */
static bool tunnel_single(const struct tunnel *t, struct gw_pick *out)
{
	const struct addr_item *it = t->gateways.items;
	out->t = t;
	if (!it) {
		out->gw = (struct net4){ 0, 0 };
		return true;
	}
	if (it->next)
		return false;
	out->gw = it->kind == ADDR_NET ? it->net : (struct net4){ 0, 0 };
	return true;
}

static void picks_add(struct arena *a, void *vec, const struct tunnel *t, struct net4 gw)
{
	VEC(struct gw_pick) *v = vec;
	for (size_t i = 0; i < v->n; i++)
		if (net_equal(&v->v[i].gw, &gw))
			return;
	vec_push(a, v, ((struct gw_pick){ t, gw }));
}

/* Which gateway serves hosts entry h of zone z in tunnel mode. In order: the zone's own options
 * (IN_OPTIONS tunnel-src, OUT_OPTIONS tunnel-dst); a tunnels line naming z in GATEWAY_ZONE or whose
 * gateway h lists; the one ipsec tunnels line on h's interface. Returns false after an error. */
static bool gw_find(struct compile *c, const struct zone *z, const struct host *h, struct spd_sel *gw, bool *known)
{
	const struct graph *g = c->graph;
	uint32_t a;
	memset(gw, 0, sizeof(*gw));
	gw->zone = z->name;
	gw->gateway = true;
	if (opt_addr(z, true, IPSEC_TUNNEL_SRC, &a) || opt_addr(z, false, IPSEC_TUNNEL_DST, &a)) {
		gw->net = (struct net4){ a, 32 };
		gw->loc = zone_opts_loc(z);
		*known = true;
		return true;
	}
	VEC(struct gw_pick) strong = { 0 };
	for (size_t i = 0; i < g->tunnels.n; i++) {
		const struct tunnel *t = g->tunnels.v[i];
		if (!is_ipsec_tunnel(t))
			continue;
		bool listed = false;
		for (const struct addr_item *it = t->gateways.items; it; it = it->next)
			if (it->kind == ADDR_NET && it->net.len == 32 && gw_listed(it->net.addr, &h->addrs)) {
				picks_add(c->arena, &strong, t, it->net);
				listed = true;
			}
		if (listed || !tunnel_names_zone(t, z))
			continue;
		struct gw_pick p;
		if (tunnel_single(t, &p)) {
			picks_add(c->arena, &strong, t, p.gw);
		} else {
			for (const struct addr_item *it = t->gateways.items; it; it = it->next)
				if (it->kind == ADDR_NET)
					picks_add(c->arena, &strong, t, it->net);
		}
	}
	VEC(struct gw_pick) weak = { 0 };
	if (strong.n == 0) {
		for (size_t i = 0; i < g->tunnels.n; i++) {
			const struct tunnel *t = g->tunnels.v[i];
			/* a line with GATEWAY_ZONE serves those zones, not every zone on the wire */
			if (!is_ipsec_tunnel(t) || t->gateway_zones.n || !tunnel_on_iface(t, h->iface))
				continue;
			struct gw_pick p;
			if (!tunnel_single(t, &p)) {
				diag_error(c->diag, &t->loc, "Which of this tunnel's gateways serves zone %s? Name "
					   "it in GATEWAY_ZONE on a line of its own, or list the gateway in "
					   "the zone's hosts (%s)", z->name, z->name);
				return false;
			}
			picks_add(c->arena, &weak, t, p.gw);
		}
	}
	const struct gw_pick *pick = strong.n ? strong.v : weak.v;
	size_t n = strong.n ? strong.n : weak.n;
	if (n == 0) {
		diag_error(c->diag, &h->loc, "No ipsec tunnel serves these hosts: add an ipsec line for their "
			   "gateway to tunnels, or tunnel-dst=GATEWAY to the zone's OUT_OPTIONS (%s)", z->name);
		return false;
	}
	if (n > 1) {
		char a1[20], a2[20];
		diag_error(c->diag, &h->loc, "Several ipsec gateways could serve these hosts (%s, %s): name "
			   "zone %s in GATEWAY_ZONE of one tunnels line, or list its gateway here (%s)",
			   net4_format(&pick[0].gw, a1, sizeof(a1)), net4_format(&pick[1].gw, a2, sizeof(a2)), z->name,
			   z->name);
		return false;
	}
	gw->net = pick->gw;
	gw->loc = pick->t->loc;
	*known = pick->gw.len == 32;
	return true;
}

/* ---- peers -------------------------------------------------------------------------------------- */

/* Mode, protocol and reqids from the zone's options; false when they say nothing usable (reported
 * when `report`: once per zone, not once per member). */
static bool peer_options(struct compile *c, const struct zone *z, struct spd_peer *p, bool report)
{
	p->zone = z;
	p->zone_loc = zone_opts_loc(z);
	p->mode = SPD_TUNNEL;
	const struct ipsec_opt *m = opt_any(z, IPSEC_MODE);
	if (m && m->value)
		p->mode = (strcmp(m->value, "transport") == 0) != m->invert ? SPD_TRANSPORT : SPD_TUNNEL;
	p->proto = "esp";
	const struct ipsec_opt *pr = opt_any(z, IPSEC_PROTO);
	if (pr && pr->value) {
		if (!pr->invert) {
			p->proto = pr->value;
		} else if (strcmp(pr->value, "esp") == 0) {
			if (report)
				diag_error(c->diag, &p->zone_loc, "Cannot tell the SA protocol of zone %s from "
					   "proto!=esp: write proto=ah or proto=ipcomp (%s)", z->name, z->name);
			return false;
		}
	}
	p->reqid_in = reqid_of(z, true);
	p->reqid_out = reqid_of(z, false);
	return true;
}

static struct spd_peer *peer_get(struct compile *c, struct spd *s, const struct zone *z,
				 const struct spd_sel *gw, bool known)
{
	for (size_t i = 0; i < s->peers.n; i++) {
		struct spd_peer *p = s->peers.v[i];
		if (p->zone == z && (p->mode == SPD_TRANSPORT ||
				     (p->remote_gw_known == known && net_equal(&p->remote_gw.net, &gw->net))))
			return p;
	}
	struct spd_peer *p = arena_new_obj(c->arena, struct spd_peer);
	if (!peer_options(c, z, p, false))
		return NULL;
	if (gw) {
		p->remote_gw = *gw;
		p->remote_gw_known = known;
	}
	vec_push(c->arena, &s->peers, p);
	return p;
}

/* ---- local networks ------------------------------------------------------------------------------ */

static bool is_tunnel_zone(const struct graph *g, const struct zone *z)
{
	for (size_t i = 0; i < g->tunnels.n; i++)
		if (is_ipsec_tunnel(g->tunnels.v[i]) && g->tunnels.v[i]->zone == z)
			return true;
	return false;
}

static bool host_is_ipsec(const struct host *h)
{
	return h->zone && (h->zone->type == ZONE_IPSEC || HOST_HAS(h, HO_IPSEC));
}

/* The interface carries SAs (an ipsec member or an ipsec tunnel's zone is on it): a plaintext zone
 * that is all of it is the outside world, not a local network. */
static bool iface_outside(const struct graph *g, const struct iface *i)
{
	for (size_t k = 0; k < g->hosts.n; k++) {
		const struct host *h = g->hosts.v[k];
		if (h->iface == i && (host_is_ipsec(h) || is_tunnel_zone(g, h->zone)))
			return true;
	}
	return false;
}

/* The networks behind this firewall: --local, else every plaintext member of a zone that is neither
 * the firewall, nor ipsec, nor the zone the tunnels run through. */
static int local_nets(struct compile *c, const struct spd_options *o, void *vec)
{
	const struct graph *g = c->graph;
	int errors = 0;
	if (o->have_local) {
		struct spd_sel s = { .loc = LOC_NONE, .origin = "--local" };
		return sels_from_list(c, vec, &o->local, &s);
	}
	for (size_t k = 0; k < g->hosts.n; k++) {
		const struct host *h = g->hosts.v[k];
		const struct zone *z = h->zone;
		if (!z || host_is_ipsec(h) || is_tunnel_zone(g, z) ||
		    (z->type != ZONE_IPV4 && z->type != ZONE_BPORT && z->type != ZONE_VSERVER))
			continue;
		if (!h->addrs.items) {
			if (iface_outside(g, h->iface))
				continue;
			diag_error(c->diag, &h->loc, "The networks of zone %s are unknown (all of %s): give the "
				   "interface nets=, list them in hosts, or use --local NETS (%s)", z->name,
				   h->ifname ? h->ifname : h->iface->name, z->name);
			errors++;
			continue;
		}
		struct spd_sel s = { .loc = h->loc, .zone = z->name };
		errors += sels_from_list(c, vec, &h->addrs, &s);
	}
	return errors;
}

/* ---- the whole SPD ------------------------------------------------------------------------------- */

static void local_gw_of(const struct spd_options *o, struct spd_peer *p)
{
	uint32_t a;
	memset(&p->local_gw, 0, sizeof(p->local_gw));
	p->local_gw.gateway = true;
	if (o->have_local_gw) {
		p->local_gw.net = (struct net4){ o->local_gw, 32 };
		p->local_gw.origin = "--local-gw";
		p->local_gw_known = true;
	} else if (opt_addr(p->zone, false, IPSEC_TUNNEL_SRC, &a) || opt_addr(p->zone, true, IPSEC_TUNNEL_DST, &a)) {
		p->local_gw.net = (struct net4){ a, 32 };
		p->local_gw.loc = p->zone_loc;
		p->local_gw_known = true;
	}
}

/* Two zones must not claim the same traffic: the kernel would refuse the second policy. */
static int check_overlap(struct compile *c, const struct spd *s)
{
	int errors = 0;
	char a[24], b[24];
	for (size_t i = 0; i < s->peers.n; i++) {
		const struct spd_peer *p = s->peers.v[i];
		if (!spd_peer_static(p))
			continue;
		for (size_t r = 0; r < p->remote.n; r++)
			for (size_t j = 0; j < i; j++) {
				const struct spd_peer *q = s->peers.v[j];
				if (!spd_peer_static(q))
					continue;
				for (size_t r2 = 0; r2 < q->remote.n; r2++) {
					if (!net_equal(&p->remote.v[r].net, &q->remote.v[r2].net))
						continue;
					for (size_t l = 0; l < p->local.n; l++)
						for (size_t l2 = 0; l2 < q->local.n; l2++)
							if (net_equal(&p->local.v[l].net, &q->local.v[l2].net)) {
								diag_error(c->diag, &p->remote.v[r].loc,
									   "Zone %s's SAs already carry %s <-> %s (%s)",
									   q->zone->name,
									   spd_net(&p->local.v[l].net, a, sizeof(a)),
									   spd_net(&p->remote.v[r].net, b, sizeof(b)),
									   p->zone->name);
								errors++;
								goto next_peer;
							}
				}
			}
next_peer:;
	}
	return errors;
}

int spd_derive(struct compile *c, const struct spd_options *o, struct spd *out)
{
	const struct graph *g = c->graph;
	unsigned before = c->diag->errors;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < g->tunnels.n; i++)
		out->ipsec_tunnels += is_ipsec_tunnel(g->tunnels.v[i]);

	/* Remote side: every ipsec member, grouped by zone and gateway. */
	for (size_t k = 0; k < g->hosts.n; k++) {
		const struct host *h = g->hosts.v[k];
		if (!host_is_ipsec(h))
			continue;
		const struct zone *z = h->zone;
		bool first = true;
		for (size_t e = 0; e < k && first; e++)
			first = g->hosts.v[e]->zone != z || !host_is_ipsec(g->hosts.v[e]);
		struct spd_peer probe;
		if (!peer_options(c, z, &probe, first))
			continue;
		struct spd_sel gw;
		bool known = false;
		struct spd_sel s = { .loc = h->loc, .zone = z->name };
		if (probe.mode == SPD_TUNNEL && !gw_find(c, z, h, &gw, &known)) {
			/* still judge the addresses, so one run reports every problem */
			VEC(struct spd_sel) scratch = { 0 };
			sels_from_list(c, &scratch, &h->addrs, &s);
			continue;
		}
		struct spd_peer *p = peer_get(c, out, z, probe.mode == SPD_TUNNEL ? &gw : NULL, known);
		if (p)
			sels_from_list(c, &p->remote, &h->addrs, &s);
	}
	if (c->diag->errors != before)
		return (int)(c->diag->errors - before);

	/* Local side: the networks behind us (tunnel mode only), then this firewall itself. */
	VEC(struct spd_sel) nets = { 0 };
	bool have_nets = false;
	for (size_t i = 0; i < out->peers.n; i++) {
		struct spd_peer *p = out->peers.v[i];
		local_gw_of(o, p);
		if (o->need_local_gw && spd_peer_static(p) && !p->local_gw_known) {
			diag_error(c->diag, &p->zone_loc, "No local gateway address for the SAs of zone %s: use "
				   "--local-gw ADDR, or tunnel-src=ADDR in the zone's OUT_OPTIONS (%s)",
				   p->zone->name, p->zone->name);
		}
		if (p->mode == SPD_TUNNEL) {
			if (!have_nets && local_nets(c, o, &nets) != 0)
				return (int)(c->diag->errors - before);
			have_nets = true;
			for (size_t n = 0; n < nets.n; n++)
				sel_add(c->arena, &p->local, &nets.v[n]);
		}
		if (p->local_gw_known) {
			bool covered = false;
			for (size_t n = 0; n < p->local.n; n++)
				covered |= net4_contains(&p->local.v[n].net, &p->local_gw.net);
			if (!covered) {
				struct spd_sel s = p->local_gw;
				s.zone = graph_fw_name(c);
				sel_add(c->arena, &p->local, &s);
			}
		}
	}
	if (c->diag->errors == before)
		check_overlap(c, out);
	return (int)(c->diag->errors - before);
}

/* ---- what the formats share --------------------------------------------------------------------- */

bool spd_tmpl(const struct spd_peer *p, enum spd_dir d, const struct spd_sel *l, const struct spd_sel *r,
	      uint32_t *src, uint32_t *dst)
{
	uint32_t lo, re;
	if (p->mode == SPD_TUNNEL) {
		lo = p->local_gw.net.addr;
		re = p->remote_gw.net.addr;
	} else if (l->net.len == 32 && r->net.len == 32) {
		lo = l->net.addr;
		re = r->net.addr;
	} else {
		return false;
	}
	*src = d == SPD_OUT ? lo : re;
	*dst = d == SPD_OUT ? re : lo;
	return true;
}

unsigned long spd_reqid(const struct spd_peer *p, enum spd_dir d)
{
	return d == SPD_OUT ? p->reqid_out : p->reqid_in;
}

unsigned spd_dirs(const struct spd_peer *p)
{
	return p->mode == SPD_TUNNEL ? 3 : 2;
}

const char *spd_dir_name(enum spd_dir d)
{
	return d == SPD_OUT ? "out" : d == SPD_IN ? "in" : "fwd";
}

void spd_comment_head(const struct compile *c, const struct spd *s, const char *what, FILE *f)
{
	fprintf(f, "# %s derived by shorewall ipsec-policy from %s\n", what, c->dir);
	if (s->peers.n == 0)
		fprintf(f, "# (no ipsec zone and no ipsec hosts entry: nothing to encrypt)\n");
}

void spd_comment_peer(const struct compile *c, const struct spd_peer *p, FILE *f)
{
	char w[256], w2[256], a[24];
	struct spd_sel zs = { .loc = p->zone_loc };
	fprintf(f, "#\n# zone %s (%s): %s, mode %s", p->zone->name, spd_where(c, &zs, w, sizeof(w)), p->proto,
		p->mode == SPD_TUNNEL ? "tunnel" : "transport");
	if (p->reqid_in == p->reqid_out && p->reqid_out)
		fprintf(f, ", reqid %lu", p->reqid_out);
	else if (p->reqid_in != p->reqid_out)
		fprintf(f, ", reqid %lu out, %lu in", p->reqid_out, p->reqid_in);
	fprintf(f, "\n");
	if (p->mode == SPD_TRANSPORT) {
		if (p->local_gw_known)
			fprintf(f, "# SAs host to host from %s (%s)\n", ip4_format(p->local_gw.net.addr, a, sizeof(a)),
				spd_where(c, &p->local_gw, w, sizeof(w)));
		return;
	}
	if (p->remote_gw_known) {
		char b[24];
		fprintf(f, "# SA %s (%s) <-> %s (%s)\n", ip4_format(p->local_gw.net.addr, a, sizeof(a)),
			spd_where(c, &p->local_gw, w, sizeof(w)), ip4_format(p->remote_gw.net.addr, b, sizeof(b)),
			spd_where(c, &p->remote_gw, w2, sizeof(w2)));
		return;
	}
	fprintf(f, "# road warrior: the gateway is any address in %s (%s), learnt at negotiation, so no\n"
		"# static entry can be written; the IKE daemon makes them (racoon: generate_policy on;\n"
		"# strongSwan: see --format swanctl)\n",
		spd_net(&p->remote_gw.net, a, sizeof(a)), spd_where(c, &p->remote_gw, w, sizeof(w)));
}

void spd_comment_pair(const struct compile *c, const struct spd_sel *l, const struct spd_sel *r, FILE *f)
{
	char w[256], w2[256], a[24], b[24];
	fprintf(f, "# %s (%s%s%s) <-> %s (%s%s%s)\n", spd_net(&l->net, a, sizeof(a)),
		l->zone ? l->zone : "", l->zone ? ", " : "", spd_where(c, l, w, sizeof(w)),
		spd_net(&r->net, b, sizeof(b)),
		r->zone ? r->zone : "", r->zone ? ", " : "", spd_where(c, r, w2, sizeof(w2)));
}

static void print_entry(const struct spd_peer *p, enum spd_dir d, const struct spd_sel *l, const struct spd_sel *r,
			spd_entry_fn entry, FILE *f)
{
	struct spd_entry e;
	const struct spd_sel *src = d == SPD_OUT ? l : r, *dst = d == SPD_OUT ? r : l;
	uint32_t a, b;
	spd_net(&src->net, e.src, sizeof(e.src));
	spd_net(&dst->net, e.dst, sizeof(e.dst));
	e.tmpl = spd_tmpl(p, d, l, r, &a, &b);
	if (e.tmpl) {
		ip4_format(a, e.tsrc, sizeof(e.tsrc));
		ip4_format(b, e.tdst, sizeof(e.tdst));
	}
	entry(p, d, &e, f);
}

void spd_print_peer(const struct compile *c, const struct spd_peer *p, spd_entry_fn entry, FILE *f)
{
	spd_comment_peer(c, p, f);
	if (!spd_peer_static(p))
		return;
	for (size_t l = 0; l < p->local.n; l++)
		for (size_t r = 0; r < p->remote.n; r++) {
			spd_comment_pair(c, &p->local.v[l], &p->remote.v[r], f);
			for (unsigned d = 0; d < spd_dirs(p); d++)
				print_entry(p, (enum spd_dir)d, &p->local.v[l], &p->remote.v[r], entry, f);
		}
}
