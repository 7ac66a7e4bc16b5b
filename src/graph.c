/* graph.c — the zone graph's constructors, look-ups and the names of its enumerations. */
#include "graph.h"

#include "compile.h"
#include "settings.h"

#include <string.h>

struct graph *graph_new(struct compile *c)
{
	struct graph *g = arena_new_obj(c->arena, struct graph);
	g->arena = c->arena;
	return g;
}

/* ---- name indexes ------------------------------------------------------------------------------- */

/* Open addressing over positions in the zones or ifaces vector (pos + 1; 0 = empty slot). The
 * graph only ever appends to those vectors, so the index catches up with the entries added since
 * it was last touched, and is rebuilt larger when it would be more than half full. Below
 * INDEX_MIN entries a scan is cheaper than hashing, and the index is not built at all. */
enum { INDEX_MIN = 8 };

struct graph_index {
	size_t mask;            /* slots - 1, slots a power of two */
	size_t n;               /* vector entries indexed so far */
	void *const *v;         /* the vector's storage when indexed: it moves when the vector grows */
	uint32_t *slot;
};

typedef const char *(*name_at_fn)(void *const *v, size_t i);

static const char *zone_name_at(void *const *v, size_t i)
{
	return ((struct zone *const *)v)[i]->name;
}

static const char *iface_name_at(void *const *v, size_t i)
{
	return ((struct iface *const *)v)[i]->name;
}

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037u;       /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Find `name`'s slot: the occupied one holding it, or the empty one where it would go. */
static uint32_t *index_slot(const struct graph_index *x, void *const *v, name_at_fn name_at, const char *name)
{
	for (size_t i = name_hash(name) & x->mask;; i = (i + 1) & x->mask)
		if (!x->slot[i] || strcmp(name_at(v, x->slot[i] - 1), name) == 0)
			return &x->slot[i];
}

/* Bring the index up to the vector's n entries; NULL when there is no arena to build it in. */
static __attribute__((noinline)) struct graph_index *index_catch_up(struct arena *a, struct graph_index **xp,
								    void *const *v, size_t n, name_at_fn name_at);

static inline struct graph_index *index_update(struct arena *a, struct graph_index **xp, void *const *v, size_t n,
					       name_at_fn name_at)
{
	/* the usual look-up: nothing added since the last one (checked inline, every zone and
	 * interface name of every rule is looked up) */
	struct graph_index *x = *xp;
	if (a && x && x->n == n && x->v == v && 2 * n <= x->mask + 1)
		return x;
	return index_catch_up(a, xp, v, n, name_at);
}

static struct graph_index *index_catch_up(struct arena *a, struct graph_index **xp, void *const *v, size_t n,
					  name_at_fn name_at)
{
	struct graph_index *x = *xp;
	if (!a)
		return NULL;
	if (!x || n < x->n || v != x->v || 2 * n > x->mask + 1) {
		/* (re)build from scratch: new storage is rebuilt too (growth doubles it, so this stays
		 * linear overall), so that a vector replaced or cut back can never be answered from a
		 * stale index; n < x->n cannot happen (append only) but is handled */
		size_t slots = 64;
		while (slots < 4 * n)
			slots *= 2;
		if (!x)
			x = *xp = arena_new_obj(a, struct graph_index);
		x->mask = slots - 1;
		x->slot = arena_alloc(a, slots * sizeof(*x->slot));     /* zeroed: all empty */
		x->n = 0;
		x->v = v;
	}
	for (; x->n < n; x->n++) {
		uint32_t *s = index_slot(x, v, name_at, name_at(v, x->n));
		if (!*s)        /* a duplicate name keeps its first position, as the scan found it */
			*s = (uint32_t)x->n + 1;
	}
	return x;
}

struct zone *graph_find_zone(const struct graph *g, const char *name)
{
	if (!g || !name)
		return NULL;
	if (g->zones.n >= INDEX_MIN) {
		/* the index is a cache: updating it does not change what the graph holds */
		struct graph *mg = (struct graph *)g;
		struct graph_index *x = index_update(mg->arena, &mg->zone_idx, (void *const *)g->zones.v,
						     g->zones.n, zone_name_at);
		if (x) {
			uint32_t s = *index_slot(x, (void *const *)g->zones.v, zone_name_at, name);
			return s ? g->zones.v[s - 1] : NULL;
		}
	}
	for (size_t i = 0; i < g->zones.n; i++)
		if (strcmp(g->zones.v[i]->name, name) == 0)
			return g->zones.v[i];
	return NULL;
}

struct iface *graph_find_iface(const struct graph *g, const char *name)
{
	if (!g || !name)
		return NULL;
	if (g->ifaces.n >= INDEX_MIN) {
		struct graph *mg = (struct graph *)g;
		struct graph_index *x = index_update(mg->arena, &mg->iface_idx, (void *const *)g->ifaces.v,
						     g->ifaces.n, iface_name_at);
		if (x) {
			uint32_t s = *index_slot(x, (void *const *)g->ifaces.v, iface_name_at, name);
			return s ? g->ifaces.v[s - 1] : NULL;
		}
	}
	for (size_t i = 0; i < g->ifaces.n; i++)
		if (strcmp(g->ifaces.v[i]->name, name) == 0)
			return g->ifaces.v[i];
	return NULL;
}

/* The wildcard interfaces, caught up like the indexes: the vector is only ever appended to. A
 * host column's address is asked about once per rule, and a scan of every interface for it was
 * 1 % of a compile at 100 zones. */
struct graph_wild {
	size_t n;               /* ifaces entries looked at */
	void *const *v;         /* the vector's storage then */
	VEC(struct iface *) wild;
};

bool graph_wild_ifaces(const struct graph *g, struct iface *const **v, size_t *n)
{
	struct graph *mg = (struct graph *)g;   /* a cache: the graph itself does not change */
	if (!g || !g->arena)
		return false;
	struct graph_wild *w = mg->wild_ifaces;
	if (!w)
		w = mg->wild_ifaces = arena_new_obj(g->arena, struct graph_wild);
	if (w->n > g->ifaces.n || w->v != (void *const *)g->ifaces.v) {
		w->n = 0;
		w->wild.n = 0;
		w->v = (void *const *)g->ifaces.v;
	}
	for (; w->n < g->ifaces.n; w->n++) {
		struct iface *f = g->ifaces.v[w->n];
		size_t len = strlen(f->name);
		if (len && f->name[len - 1] == '+')
			vec_push(g->arena, &w->wild, f);
	}
	*v = w->wild.v;
	*n = w->wild.n;
	return true;
}

const char *graph_fw_name(const struct compile *c)
{
	if (c->graph && c->graph->fw)
		return c->graph->fw->name;
	if (c->conf && c->conf->fw)
		return c->conf->fw;
	return "fw";
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
