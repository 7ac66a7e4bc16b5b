/* tunnels.c — the tunnels file's rules: open each tunnel's own traffic between fw and its gateways.
 *
 * A tunnel of zone Z adds ACCEPT rules to Z-fw (from the gateway: -s GW) and fw-Z (to it: -d GW),
 * one set per gateway address; GATEWAY_ZONE zones get the IKE rules (and, without the policy match,
 * ESP/AH) from and to the same gateway addresses, in Zg-fw and fw-Zg. Each type's rules are listed
 * as data (tunnel_ops), so the pair builder only filters them by direction. docs/compiler.md,
 * "Tunnels"; reference §1.5. */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"

#include <string.h>

enum { TD_IN = 1, TD_OUT = 2, TD_BOTH = 3 };   /* Z-fw (from the gateway) / fw-Z (to it) */

/* One ACCEPT rule a tunnel asks for. */
struct tun_op {
	uint8_t dirs;               /* TD_* */
	uint8_t proto;
	uint16_t sport, dport;      /* 0 = none */
	bool ike_nat;               /* udp multiport 500,4500 */
	bool ctnew;                 /* -m conntrack --ctstate NEW,UNTRACKED */
};

#define TUN_MAX_OPS 6

static size_t op(struct tun_op *ops, size_t n, uint8_t dirs, uint8_t proto, uint16_t sport, uint16_t dport)
{
	ops[n] = (struct tun_op){ .dirs = dirs, .proto = proto, .sport = sport, .dport = dport };
	return n + 1;
}

/* openvpn's protocol and port, defaults udp 1194. */
static void openvpn_proto_port(const struct tunnel *t, uint8_t *proto, uint16_t *port)
{
	*proto = 17;
	if (t->proto && !ir_proto_parse(t->proto, proto))
		*proto = 17;
	*port = t->port ? (uint16_t)t->port : 1194;
}

/* The rules of a tunnel between fw and a gateway, in the order Shorewall adds them (the order
 * only matters inside one chain, where every rule is an ACCEPT). */
static size_t tunnel_ops(const struct tunnel *t, struct tun_op *ops)
{
	size_t n = 0;
	uint8_t proto;
	uint16_t port;
	switch (t->type) {
	case TUN_IPSEC:
	case TUN_IPSECNAT:
		n = op(ops, n, TD_BOTH, 50, 0, 0);
		if (t->ah)
			n = op(ops, n, TD_BOTH, 51, 0, 0);
		n = op(ops, n, TD_BOTH, 17, 0, 500);
		ops[n - 1].ike_nat = t->type == TUN_IPSECNAT;
		ops[n - 1].ctnew = true;
		break;
	case TUN_GRE:
		n = op(ops, n, TD_BOTH, 47, 0, 0);
		break;
	case TUN_IPIP:
		n = op(ops, n, TD_BOTH, 4, 0, 0);
		break;
	case TUN_6TO4:
		n = op(ops, n, TD_BOTH, 41, 0, 0);
		break;
	case TUN_PPTPCLIENT:
		n = op(ops, n, TD_OUT, 47, 0, 0);
		n = op(ops, n, TD_IN, 47, 0, 0);
		n = op(ops, n, TD_OUT, 6, 0, 1723);
		break;
	case TUN_PPTPSERVER:
		n = op(ops, n, TD_IN, 47, 0, 0);
		n = op(ops, n, TD_OUT, 47, 0, 0);
		n = op(ops, n, TD_IN, 6, 0, 1723);
		break;
	case TUN_TINC:
		n = op(ops, n, TD_BOTH, 17, 0, 655);
		n = op(ops, n, TD_BOTH, 6, 0, 655);
		break;
	case TUN_OPENVPN:
		openvpn_proto_port(t, &proto, &port);
		n = op(ops, n, TD_BOTH, proto, 0, port);
		break;
	case TUN_OPENVPNCLIENT:     /* the firewall is the client: it talks to the server's port */
		openvpn_proto_port(t, &proto, &port);
		n = op(ops, n, TD_IN, proto, port, 0);
		n = op(ops, n, TD_OUT, proto, 0, port);
		break;
	case TUN_OPENVPNSERVER:
		openvpn_proto_port(t, &proto, &port);
		n = op(ops, n, TD_IN, proto, 0, port);
		n = op(ops, n, TD_OUT, proto, port, 0);
		break;
	case TUN_L2TP:
		n = op(ops, n, TD_BOTH, 17, 1701, 1701);
		break;
	case TUN_GENERIC:
		proto = 17;
		if (t->proto && !ir_proto_parse(t->proto, &proto))
			proto = 17;
		n = op(ops, n, TD_BOTH, proto, 0, (uint16_t)t->port);
		break;
	}
	return n;
}

/* What GATEWAY_ZONE zones get: IKE (so it can flow inside the tunnel), and ESP/AH too when no
 * policy match tells encrypted traffic apart. */
static size_t gateway_zone_ops(const struct builder *b, const struct tunnel *t, struct tun_op *ops)
{
	size_t n = 0;
	if (t->type != TUN_IPSEC && t->type != TUN_IPSECNAT)
		return 0;
	if (!b->g->have_ipsec) {
		n = op(ops, n, TD_BOTH, 50, 0, 0);
		if (t->ah)
			n = op(ops, n, TD_BOTH, 51, 0, 0);
	}
	n = op(ops, n, TD_BOTH, 17, 0, 500);
	ops[n - 1].ike_nat = t->type == TUN_IPSECNAT;
	ops[n - 1].ctnew = true;
	return n;
}

static void emit_op(struct builder *b, struct pair *p, const struct tunnel *t, const struct tun_op *o,
		    enum ir_side side, const struct addr_item *gw)
{
	struct ir_rule *r = ir_rule_append(p->chain, &t->loc);
	if (gw)
		ir_match_addr(r, side, gw, false);
	ir_match_proto(r, o->proto);
	if (o->ike_nat) {
		static const struct ir_portrange ike[] = { { 500, 500 }, { 4500, 4500 } };
		ir_match_dports(r, ike, 2, false);
	} else {
		if (o->sport)
			ir_match_sport(r, o->sport, o->sport, false);
		if (o->dport)
			ir_match_dport(r, o->dport, o->dport, false);
	}
	if (o->ctnew)
		ir_match_ctstate(r, IR_CT_NEW | IR_CT_UNTRACKED, false);
	ir_target_simple(r, IRT_ACCEPT);
}

static void emit_ops(struct builder *b, struct pair *p, const struct tunnel *t, const struct tun_op *ops,
		     size_t n, uint8_t dir, const struct addr_item *gw)
{
	enum ir_side side = dir == TD_IN ? IR_SRC : IR_DST;
	for (size_t i = 0; i < n; i++)
		if (ops[i].dirs & dir)
			emit_op(b, p, t, &ops[i], side, gw);
}

static bool zone_listed(const struct tunnel *t, const struct zone *z)
{
	for (size_t i = 0; i < t->gateway_zones.n; i++)
		if (t->gateway_zones.v[i] == z)
			return true;
	return false;
}

void build_pair_tunnels(struct builder *b, struct pair *p)
{
	const struct zone *fw = b->g->fw;
	if (!p->chain || p->src == p->dst || (p->src != fw && p->dst != fw))
		return;
	uint8_t dir = p->dst == fw ? TD_IN : TD_OUT;
	const struct zone *z = dir == TD_IN ? p->src : p->dst;
	for (size_t i = 0; i < b->g->tunnels.n; i++) {
		const struct tunnel *t = b->g->tunnels.v[i];
		struct tun_op ops[TUN_MAX_OPS], gwops[TUN_MAX_OPS];
		size_t n = t->zone == z ? tunnel_ops(t, ops) : 0;
		size_t ngw = zone_listed(t, z) ? gateway_zone_ops(b, t, gwops) : 0;
		/* per gateway, as Shorewall orders them: the tunnel's own rules, then the gateway zone's */
		const struct addr_item *gw = t->gateways.items;
		do {
			emit_ops(b, p, t, ops, n, dir, gw);
			emit_ops(b, p, t, gwops, ngw, dir, gw);
			gw = gw ? gw->next : NULL;
		} while (gw);
	}
}
