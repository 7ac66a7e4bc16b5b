/* graph.c — the zone graph's constructors, look-ups and the names of its enumerations. */
#include "graph.h"

#include "compile.h"
#include "settings.h"

#include <string.h>

struct graph *graph_new(struct compile *c)
{
	return arena_new_obj(c->arena, struct graph);
}

struct zone *graph_find_zone(const struct graph *g, const char *name)
{
	if (!g || !name)
		return NULL;
	for (size_t i = 0; i < g->zones.n; i++)
		if (strcmp(g->zones.v[i]->name, name) == 0)
			return g->zones.v[i];
	return NULL;
}

struct iface *graph_find_iface(const struct graph *g, const char *name)
{
	if (!g || !name)
		return NULL;
	for (size_t i = 0; i < g->ifaces.n; i++)
		if (strcmp(g->ifaces.v[i]->name, name) == 0)
			return g->ifaces.v[i];
	return NULL;
}

const char *graph_fw_name(const struct compile *c)
{
	if (c->graph && c->graph->fw)
		return c->graph->fw->name;
	if (c->conf && c->conf->fw)
		return c->conf->fw;
	return "fw";
}

struct policy_cell *graph_policy(const struct graph *g, const struct zone *src, const struct zone *dst)
{
	if (!g->matrix)
		return NULL;
	return &g->matrix[src->index * g->zones.n + dst->index];
}

const char *zone_type_name(enum zone_type t)
{
	static const char *const names[] = {
		[ZONE_FIREWALL] = "firewall", [ZONE_IPV4] = "ipv4", [ZONE_IPSEC] = "ipsec",
		[ZONE_BPORT] = "bport", [ZONE_VSERVER] = "vserver", [ZONE_LOOPBACK] = "loopback",
		[ZONE_LOCAL] = "local",
	};
	return names[t];
}

const char *policy_kind_name(enum policy_kind k)
{
	static const char *const names[] = {
		[POL_ACCEPT] = "ACCEPT", [POL_BLACKLIST] = "BLACKLIST", [POL_CONTINUE] = "CONTINUE",
		[POL_DROP] = "DROP", [POL_NFQUEUE] = "NFQUEUE", [POL_NONE] = "NONE", [POL_QUEUE] = "QUEUE",
		[POL_REJECT] = "REJECT",
	};
	return names[k];
}

const char *tunnel_type_name(enum tunnel_type t)
{
	static const char *const names[] = {
		[TUN_6TO4] = "6to4", [TUN_GENERIC] = "generic", [TUN_GRE] = "gre", [TUN_IPIP] = "ipip",
		[TUN_IPSEC] = "ipsec", [TUN_IPSECNAT] = "ipsecnat", [TUN_L2TP] = "l2tp",
		[TUN_OPENVPN] = "openvpn", [TUN_OPENVPNCLIENT] = "openvpnclient",
		[TUN_OPENVPNSERVER] = "openvpnserver", [TUN_PPTPCLIENT] = "pptpclient",
		[TUN_PPTPSERVER] = "pptpserver", [TUN_TINC] = "tinc",
	};
	return names[t];
}

const char *ipsec_key_name(enum ipsec_key k)
{
	static const char *const names[] = {
		[IPSEC_MODE] = "mode", [IPSEC_NEXT] = "next", [IPSEC_PROTO] = "proto",
		[IPSEC_REQID] = "reqid", [IPSEC_SPI] = "spi", [IPSEC_STRICT] = "strict",
		[IPSEC_TUNNEL_DST] = "tunnel-dst", [IPSEC_TUNNEL_SRC] = "tunnel-src",
	};
	return names[k];
}
