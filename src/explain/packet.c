/* packet.c — explain's packet model: SRC/DST (addresses or zone names), protocol, interfaces, SAs.
 *
 * The configuration names zones and interfaces but not the firewall's own addresses nor its
 * routes, so what the config cannot say comes from options (--fw-addr, --route, --in, --out) and,
 * failing those, from documented assumptions that are printed with the result (docs/explain.md). */
#include "explain.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void xp_note(struct explain *e, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < e->notes.n; i++)
		if (strcmp(e->notes.v[i], buf) == 0)
			return;
	vec_push(e->a, &e->notes, arena_strdup(e->a, buf));
}

bool xp_is_fw_addr(const struct explain *e, uint32_t addr)
{
	if ((addr >> 24) == 127)
		return true;
	for (size_t i = 0; i < e->req.fwaddrs.n; i++)
		if (e->req.fwaddrs.v[i].addr == addr)
			return true;
	return false;
}

bool xp_fw_addr_of(const struct explain *e, const char *iface, uint32_t *out)
{
	for (size_t i = 0; i < e->req.fwaddrs.n; i++)
		if (iface && strcmp(e->req.fwaddrs.v[i].iface, iface) == 0) {
			*out = e->req.fwaddrs.v[i].addr;
			return true;
		}
	return false;
}

static uint32_t mask_of(uint8_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static bool in_net(uint32_t a, const struct net4 *n)
{
	return (a & mask_of(n->len)) == (n->addr & mask_of(n->len));
}

/* The device name a member's packets carry: a wildcard interface gets its first device. */
static const char *member_device(struct explain *e, const struct host *h)
{
	if (h->ifname)
		return h->ifname;
	const char *dev = h->iface->physical ? h->iface->physical : h->iface->name;
	size_t n = strlen(dev);
	if (n && dev[n - 1] == '+') {
		const char *concrete = arena_printf(e->a, "%.*s0", (int)(n - 1), dev);
		xp_note(e, "interface %s is a wildcard: the packet is assumed to use %s", dev, concrete);
		return concrete;
	}
	return dev;
}

const char *xp_route_lookup(struct explain *e, uint32_t addr, const char **why)
{
	const struct xp_route *best = NULL;
	for (size_t i = 0; i < e->req.routes.n; i++) {
		const struct xp_route *r = &e->req.routes.v[i];
		if (in_net(addr, &r->net) && (!best || r->net.len > best->net.len))
			best = r;
	}
	if (best) {
		if (why)
			*why = best->why;
		return best->iface;
	}
	/* No route: the first interface that carries a zone whole (typically the internet's). */
	const struct graph *g = e->c->graph;
	for (size_t i = 0; g && i < g->hosts.n; i++) {
		const struct host *h = g->hosts.v[i];
		if (h->addrs.items || h->zone == g->fw || !h->iface)
			continue;
		const char *dev = member_device(e, h);
		char buf[20];
		xp_note(e, "no route is known for %s: assumed the default route, out of %s (the first "
			"interface a zone has whole); say --route NET=IFACE or --out", ip4_format(addr, buf, sizeof(buf)), dev);
		if (why)
			*why = "default route (assumed)";
		return dev;
	}
	if (why)
		*why = NULL;
	return NULL;
}

/* "1.2.3.4" or "1.2.3.0/24" */
static bool parse_net(const char *s, struct net4 *n)
{
	return addr_parse_net(s, n);
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || errno || v > 0xffffffffUL)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* SA options of --ipsec (the policy match's own names), their values, and --state's words. */
static const struct keyword sa_keys[] = {       /* must stay sorted */
	{ "mode", IR_PE_MODE, 0 },
	{ "proto", IR_PE_PROTO, 0 },
	{ "reqid", IR_PE_REQID, 0 },
	{ "spi", IR_PE_SPI, 0 },
	{ "tunnel-dst", IR_PE_TUNNEL_DST, 0 },
	{ "tunnel-src", IR_PE_TUNNEL_SRC, 0 },
};
static const struct keyword sa_modes[] = {      /* must stay sorted */
	{ "transport", IR_MODE_TRANSPORT, 0 },
	{ "tunnel", IR_MODE_TUNNEL, 0 },
};
static const struct keyword sa_protos[] = {     /* must stay sorted */
	{ "108", 108, 0 },
	{ "50", 50, 0 },
	{ "51", 51, 0 },
	{ "ah", 51, 0 },
	{ "esp", 50, 0 },
	{ "ipcomp", 108, 0 },
};
static const struct keyword states[] = {        /* must stay sorted */
	{ "established", IR_CT_ESTABLISHED, 0 },
	{ "new", IR_CT_NEW, 0 },
};

const struct keyword *xp_keyword_table(unsigned which, size_t *n)
{
	static const struct { const struct keyword *t; size_t n; } tables[] = {
		{ sa_keys, KW_COUNT(sa_keys) }, { sa_modes, KW_COUNT(sa_modes) },
		{ sa_protos, KW_COUNT(sa_protos) }, { states, KW_COUNT(states) },
	};
	if (which >= sizeof(tables) / sizeof(tables[0]))
		return NULL;
	*n = tables[which].n;
	return tables[which].t;
}

/* One key=value of an --ipsec list into sa; false if the key or value is not understood. */
static bool sa_option(struct xp_sa *sa, const char *key, const char *val)
{
	const struct keyword *k = KW_FIND(sa_keys, key), *v;
	struct net4 n;
	if (!k)
		return false;
	switch (k->value) {
	case IR_PE_MODE:
		if (!(v = KW_FIND(sa_modes, val)))
			return false;
		sa->mode = (uint8_t)v->value;
		break;
	case IR_PE_PROTO:
		if (!(v = KW_FIND(sa_protos, val)))
			return false;
		sa->proto = (uint8_t)v->value;
		break;
	case IR_PE_REQID:
		if (!parse_u32(val, &sa->reqid))
			return false;
		break;
	case IR_PE_SPI:
		if (!parse_u32(val, &sa->spi))
			return false;
		break;
	default:
		if (!parse_net(val, &n) || n.len != 32)
			return false;
		if (k->value == IR_PE_TUNNEL_SRC)
			sa->tunnel_src = n.addr;
		else
			sa->tunnel_dst = n.addr;
		break;
	}
	sa->has |= (uint8_t)k->value;
	return true;
}

bool xp_sa_parse(struct arena *a, const char *text, struct xp_sa *sa, const char **bad)
{
	memset(sa, 0, sizeof(*sa));
	sa->present = true;
	if (!text || !*text)
		return true;
	char *copy = arena_strdup(a, text), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *val = eq ? eq + 1 : "";
		if (eq)
			*eq = '\0';
		if (!sa_option(sa, tok, val)) {
			*bad = arena_printf(a, "%s%s%s", tok, eq ? "=" : "", val);
			return false;
		}
	}
	return true;
}

bool xp_state_parse(const char *s, unsigned *ctstate)
{
	const struct keyword *k = KW_FIND(states, s);
	if (k)
		*ctstate = (unsigned)k->value;
	return k != NULL;
}

/* Is addr written in a hosts entry of a zone other than z (a sub-zone carved out of z, say)? */
static bool claimed_elsewhere(const struct explain *e, const struct zone *z, uint32_t addr)
{
	const struct graph *g = e->c->graph;
	for (size_t i = 0; i < g->hosts.n; i++) {
		const struct host *h = g->hosts.v[i];
		if (h->zone == z)
			continue;
		for (const struct addr_item *it = h->addrs.items; it; it = it->next)
			if ((it->kind == ADDR_NET && it->net.len > 0 && in_net(addr, &it->net)) ||
			    (it->kind == ADDR_RANGE && addr >= it->lo && addr <= it->hi))
				return true;
	}
	return false;
}

/* A representative host of [lo, hi]: the first address that is neither the firewall's nor
 * claimed by another zone; false if the first few all are. */
static bool pick_host(const struct explain *e, const struct zone *z, uint32_t lo, uint32_t hi, uint32_t *out)
{
	for (uint32_t a = lo, n = 0; a <= hi && n < 64; a++, n++) {
		if (!xp_is_fw_addr(e, a) && !claimed_elsewhere(e, z, a)) {
			*out = a;
			return true;
		}
		if (a == 0xffffffffu)
			break;
	}
	return false;
}

/* The zone's first member and a representative address of it: the first free host of its first
 * network (the network itself for a /31 or /32), of a range, or — for a member that has its
 * interface whole (or 0.0.0.0/0) — of the interface's subnet when --fw-addr gave it. */
static bool zone_member(struct explain *e, const struct zone *z, const struct host **hp,
			uint32_t *addr, bool *known)
{
	*known = false;
	*hp = NULL;
	for (size_t i = 0; i < z->hosts.n; i++) {
		const struct host *h = z->hosts.v[i];
		if (!h->iface)
			continue;
		if (!*hp)
			*hp = h;
		for (const struct addr_item *it = h->addrs.items; it; it = it->next) {
			if (it->kind == ADDR_NET && it->net.len > 0) {
				uint32_t base = it->net.addr & mask_of(it->net.len);
				uint32_t top = base | ~mask_of(it->net.len);
				*known = it->net.len >= 31 ? (*addr = it->net.addr, true)
							   : pick_host(e, z, base + 1, top - 1, addr);
			} else if (it->kind == ADDR_RANGE) {
				*known = pick_host(e, z, it->lo, it->hi, addr);
			}
			if (*known) {
				*hp = h;
				return true;
			}
		}
	}
	if (!*hp)
		return false;
	const char *dev = member_device(e, *hp);
	for (size_t i = 0; i < e->req.fwaddrs.n; i++) {
		const struct xp_fwaddr *f = &e->req.fwaddrs.v[i];
		if (strcmp(f->iface, dev) == 0 && f->net.len < 31) {
			uint32_t base = f->addr & mask_of(f->net.len);
			*known = pick_host(e, z, base + 1, (base | ~mask_of(f->net.len)) - 1, addr);
			if (*known)
				return true;
		}
	}
	return true;
}

static bool is_fw_name(const struct explain *e, const char *s)
{
	const struct graph *g = e->c->graph;
	return strcmp(s, "fw") == 0 || strcmp(s, "$FW") == 0 || (g && g->fw && strcmp(s, g->fw->name) == 0);
}

/* One end of the packet: an address, the firewall, or a zone. */
static bool resolve_end(struct explain *e, const char *s, bool is_src, uint32_t *addr, bool *known,
			const char **zone_name, const struct host **member)
{
	struct net4 n;
	*member = NULL;
	*known = false;
	*zone_name = NULL;
	if (is_fw_name(e, s)) {
		if (is_src)
			e->from_fw = true;
		else
			e->to_fw = true;
		*zone_name = e->c->graph && e->c->graph->fw ? e->c->graph->fw->name : "fw";
		return true;
	}
	if (parse_net(s, &n)) {
		if (n.len != 32) {
			fprintf(stderr, "shorewall explain: %s must be one address, not a network (%s)\n",
				is_src ? "SRC" : "DST", s);
			return false;
		}
		*addr = n.addr;
		*known = true;
		if (xp_is_fw_addr(e, n.addr)) {
			if (is_src)
				e->from_fw = true;
			else
				e->to_fw = true;
		}
		return true;
	}
	const struct zone *z = e->c->graph ? graph_find_zone(e->c->graph, s) : NULL;
	if (!z) {
		fprintf(stderr, "shorewall explain: %s is neither an address nor a zone (%s)\n",
			is_src ? "SRC" : "DST", s);
		return false;
	}
	*zone_name = z->name;
	if (!zone_member(e, z, member, addr, known)) {
		fprintf(stderr, "shorewall explain: zone %s has no interface or host (%s)\n", z->name, s);
		return false;
	}
	if (!*known)
		xp_note(e, "zone %s has no address of its own (it has %s whole): the %s address is unknown, "
			"assumed outside every network a rule names", z->name, member_device(e, *member),
			is_src ? "source" : "destination");
	/* a member that must arrive/leave through an SA: the user asks about that zone's traffic */
	if (z->type == ZONE_IPSEC || HOST_HAS(*member, HO_IPSEC)) {
		struct xp_sa *sa = is_src ? &e->pkt.sa_in : &e->pkt.sa_out;
		if (!sa->present && !(is_src ? e->req.ipsec_in_given : e->req.ipsec_out_given)) {
			sa->present = true;
			xp_note(e, "zone %s is reached through IPsec: the packet is assumed to %s an SA that matches "
				"every option the rules ask for (give --ipsec=OPTIONS to be precise)", z->name,
				is_src ? "arrive through" : "leave through");
		}
	}
	return true;
}

static bool parse_proto(struct explain *e)
{
	struct xp_packet *p = &e->pkt;
	const char *spec = e->req.proto;
	const char *slash = strchr(spec, '/');
	char name[32];
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
	if (n == 0 || n >= sizeof(name)) {
		fprintf(stderr, "shorewall explain: invalid protocol (%s)\n", spec);
		return false;
	}
	memcpy(name, spec, n);
	name[n] = '\0';
	if (!ir_proto_parse(name, &p->proto)) {
		fprintf(stderr, "shorewall explain: invalid protocol (%s)\n", name);
		return false;
	}
	if (p->proto == 1) {
		uint8_t type = 8;
		int code = 0;
		if (slash && !ir_icmp_parse(slash + 1, &type, &code)) {
			fprintf(stderr, "shorewall explain: invalid ICMP type (%s)\n", slash + 1);
			return false;
		}
		p->icmp_type = type;
		p->icmp_code = code < 0 ? 0 : (uint8_t)code;
	} else if (ir_proto_has_ports(p->proto)) {
		char *end;
		long port = slash ? strtol(slash + 1, &end, 10) : -1;
		if (!slash || *end || port < 1 || port > 65535) {
			fprintf(stderr, "shorewall explain: %s needs a destination port 1-65535 (%s)\n", name, spec);
			return false;
		}
		p->dport = (uint16_t)port;
		p->sport = e->req.sport >= 0 ? (uint16_t)e->req.sport : 40000;
		if (e->req.sport < 0)
			xp_note(e, "source port assumed %u (an ephemeral port; --sport to choose)", p->sport);
	} else if (slash) {
		fprintf(stderr, "shorewall explain: %s has no ports (%s)\n", name, spec);
		return false;
	}
	if (p->proto == 6) {
		p->tcp_flags = e->req.established ? IR_TCP_ACK : IR_TCP_SYN;
		p->mss = 1460;
	}
	return true;
}

bool xp_resolve(struct explain *e)
{
	struct xp_packet *p = &e->pkt;
	memset(p, 0, sizeof(*p));
	const char *bad = NULL;
	if (e->req.ipsec_in_given && !xp_sa_parse(e->a, e->req.ipsec_in, &p->sa_in, &bad)) {
		fprintf(stderr, "shorewall explain: invalid --ipsec option (%s)\n", bad);
		return false;
	}
	if (e->req.ipsec_out_given && !xp_sa_parse(e->a, e->req.ipsec_out, &p->sa_out, &bad)) {
		fprintf(stderr, "shorewall explain: invalid --ipsec-out option (%s)\n", bad);
		return false;
	}
	if (!parse_proto(e))
		return false;
	/* routes the configuration implies: networks written in hosts entries */
	const struct graph *g = e->c->graph;
	for (size_t i = 0; g && i < g->hosts.n; i++) {
		const struct host *h = g->hosts.v[i];
		if (!h->iface || h->zone == g->fw)
			continue;
		for (const struct addr_item *it = h->addrs.items; it; it = it->next)
			if (it->kind == ADDR_NET && it->net.len > 0) {
				struct xp_route r = { it->net, member_device(e, h),
						      arena_printf(e->a, "zone %s's hosts entry", h->zone->name) };
				vec_push(e->a, &e->req.routes, r);
			}
	}
	const struct host *sm = NULL, *dm = NULL;
	if (!resolve_end(e, e->req.src, true, &p->src, &p->src_known, &e->src_zone, &sm) ||
	    !resolve_end(e, e->req.dst, false, &p->dst, &p->dst_known, &e->dst_zone, &dm))
		return false;
	if (e->from_fw && e->to_fw) {
		fprintf(stderr, "shorewall explain: from the firewall to itself is not a packet that crosses it\n");
		return false;
	}
	/* the SA option without direction: the way the packet crosses the outside */
	if (e->req.ipsec_in_given && e->from_fw) {
		p->sa_out = p->sa_in;
		memset(&p->sa_in, 0, sizeof(p->sa_in));
	}
	/* arrival interface */
	if (e->from_fw) {
		if (e->req.in)
			xp_note(e, "--in %s ignored: the firewall's own packets arrive on no interface", e->req.in);
		p->in = NULL;
	} else if (e->req.in) {
		p->in = e->req.in;
	} else if (sm) {
		p->in = member_device(e, sm);
	} else if (p->src_known) {
		const char *why = NULL;
		p->in = xp_route_lookup(e, p->src, &why);
		if (p->in && why)
			xp_note(e, "arrival interface %s from the route back to the source (%s); --in to choose", p->in, why);
	}
	if (!e->from_fw && !p->in) {
		fprintf(stderr, "shorewall explain: cannot tell which interface the packet arrives on: give --in IFACE\n");
		return false;
	}
	/* the firewall as DST: its address on the arrival interface */
	if (e->to_fw && !p->dst_known) {
		if (xp_fw_addr_of(e, p->in, &p->dst))
			p->dst_known = true;
		else
			xp_note(e, "the firewall's address on %s is unknown (--fw-addr IFACE=ADDR/LEN): "
				"the destination is taken to be one of its own addresses", p->in);
	}
	if (dm && !e->req.out && !e->to_fw) {
		e->req.out = member_device(e, dm);      /* a zone as DST: through its member */
		e->out_why = arena_printf(e->a, "zone %s, %s", dm->zone->name, xp_loc_text(e->a, &dm->loc));
	}
	p->ctstate = e->req.established ? IR_CT_ESTABLISHED : IR_CT_NEW;
	return true;
}
