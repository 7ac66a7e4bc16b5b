/* graph_finish.c — validation that spans files: parents, match order, IPsec use, warnings.
 *
 * Runs after every file has been read and before the policy matrix is completed (calling it again
 * recomputes the same result). Each
 * check is a small static function that reads the whole graph; none stops the others, so one run
 * reports every problem. Order of work: resolve parents (everything else needs them), find
 * nesting cycles, compute the match order, then the flags (super, have_ipsec), then warnings. */
#include "graph.h"

#include "compile.h"

#include <stdint.h>
#include <string.h>

/* ---- parents ---------------------------------------------------------------------------------- */

static bool zone_in(const struct zone *z, struct zone *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == z)
			return true;
	return false;
}

/* Shorewall's type rules for nesting: the firewall is nobody's parent or child (its chains are
 * the INPUT/OUTPUT side, not a dispatch target); a vserver has no sub-zones; loopback and local
 * zones only nest among their own kind. Returns false (after reporting) when the edge is refused. */
static bool parent_allowed(struct compile *c, struct zone *z, struct zone *p)
{
	if (p == z) {
		diag_error(c->diag, &z->loc, "A zone cannot be its own parent (%s)", z->name);
		return false;
	}
	if (p->type == ZONE_FIREWALL) {
		diag_error(c->diag, &z->loc, "Subzones of firewall zone not allowed (%s:%s)", z->name, p->name);
		return false;
	}
	if (p->type == ZONE_VSERVER) {
		diag_error(c->diag, &z->loc, "Subzones of a Vserver zone not allowed (%s:%s)", z->name, p->name);
		return false;
	}
	if ((z->type == ZONE_LOOPBACK || p->type == ZONE_LOOPBACK) && z->type != p->type) {
		diag_error(c->diag, &z->loc, "Loopback zones may only be subzones of other loopback zones (%s:%s)",
			   z->name, p->name);
		return false;
	}
	if ((z->type == ZONE_LOCAL || p->type == ZONE_LOCAL) && z->type != p->type) {
		diag_error(c->diag, &z->loc, "Local zones may only be subzones of other local zones (%s:%s)",
			   z->name, p->name);
		return false;
	}
	return true;
}

/* Turn the names written after ':' into edges both ways. Parents may be declared later in the
 * file (we resolve after reading everything), which is also why cycles are possible at all. */
static void resolve_parents(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->zones.n; i++) {
		g->zones.v[i]->parents.n = 0;
		g->zones.v[i]->children.n = 0;
	}
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		/* A nested firewall or vserver zone is the zones parser's error (it sees the type and
		 * the ':' on the same line); here such a zone just gets no parents. */
		if (z->type == ZONE_FIREWALL || z->type == ZONE_VSERVER)
			continue;
		for (size_t j = 0; j < z->parent_names.n; j++) {
			const char *name = z->parent_names.v[j];
			struct zone *p = graph_find_zone(g, name);
			if (!p) {
				diag_error(c->diag, &z->loc, "Unknown parent zone (%s)", name);
				continue;
			}
			if (!parent_allowed(c, z, p))
				continue;
			/* Harmless but a sign of a typo (`a:b,b` for `a:b,c`); keeping it would list
			 * the child twice in the parent and skew the match order's bookkeeping. */
			if (zone_in(p, z->parents.v, z->parents.n)) {
				diag_warn(c->diag, &z->loc, "Duplicate parent zone (%s) ignored", name);
				continue;
			}
			vec_push(c->arena, &z->parents, p);
			vec_push(c->arena, &p->children, z);
		}
	}
}

/* ---- nesting cycles ------------------------------------------------------------------------------ */

/* A cycle makes "sub-zones before parents" impossible and CONTINUE would loop. Depth-first search
 * along parent edges; each back edge closes one cycle, reported once at the loc of its
 * earliest-declared zone, written from that zone along the parents: `a -> b -> a`. Iterative, so
 * a hostile file with a very long chain cannot exhaust the stack. Returns the number found. */
static unsigned report_cycles(struct compile *c)
{
	struct graph *g = c->graph;
	size_t n = g->zones.n;
	enum { WHITE, GREY, BLACK };
	unsigned char *colour = arena_alloc(c->arena, n + 1);
	struct zone **stack = arena_alloc(c->arena, (n + 1) * sizeof(*stack));
	size_t *next = arena_alloc(c->arena, (n + 1) * sizeof(*next));
	unsigned found = 0;

	for (size_t root = 0; root < n; root++) {
		if (colour[g->zones.v[root]->index] != WHITE)
			continue;
		size_t depth = 0;
		stack[depth] = g->zones.v[root];
		next[depth] = 0;
		colour[stack[depth]->index] = GREY;
		while (1) {
			struct zone *z = stack[depth];
			if (next[depth] < z->parents.n) {
				struct zone *p = z->parents.v[next[depth]++];
				if (colour[p->index] == WHITE) {
					colour[p->index] = GREY;
					stack[++depth] = p;
					next[depth] = 0;
				} else if (colour[p->index] == GREY) {
					/* p is on the stack: the cycle is stack[k..depth] + p. */
					size_t k = depth;
					while (stack[k] != p)
						k--;
					size_t first = k;
					for (size_t m = k; m <= depth; m++)
						if (stack[m]->index < stack[first]->index)
							first = m;
					size_t len = depth - k + 1;
					char *path = arena_strdup(c->arena, stack[first]->name);
					for (size_t m = 1; m <= len; m++)
						path = arena_printf(c->arena, "%s -> %s", path,
								    stack[k + (first - k + m) % len]->name);
					diag_error(c->diag, &stack[first]->loc, "Zone nesting cycle: %s", path);
					found++;
				}
			} else {
				colour[z->index] = BLACK;
				if (depth == 0)
					break;
				depth--;
			}
		}
	}
	return found;
}

/* ---- match order --------------------------------------------------------------------------------- */

/* Min-heap of declaration indexes: among the zones ready to be placed, the earliest declared goes
 * first, which makes the order stable (file order wherever nesting does not force otherwise). */
struct heap {
	unsigned *v;
	size_t n;
};

static void heap_push(struct heap *h, unsigned x)
{
	size_t i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2] > x) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

static unsigned heap_pop(struct heap *h)
{
	unsigned top = h->v[0], last = h->v[--h->n];
	size_t i = 0;
	while (2 * i + 1 < h->n) {
		size_t k = 2 * i + 1;
		if (k + 1 < h->n && h->v[k + 1] < h->v[k])
			k++;
		if (h->v[k] >= last)
			break;
		h->v[i] = h->v[k];
		i = k;
	}
	h->v[i] = last;
	return top;
}

/* Dispatch tries zones in match_order and the first match wins, so every sub-zone must come
 * before each of its parents; otherwise declaration order is kept. A zone is ready once all its
 * children are placed. Zones caught in (or hanging below) a cycle never become ready; they are
 * appended in declaration order so that later stages still see every zone exactly once. */
static void compute_match_order(struct compile *c)
{
	struct graph *g = c->graph;
	size_t n = g->zones.n;
	size_t *pending = arena_alloc(c->arena, (n + 1) * sizeof(*pending));
	bool *placed = arena_alloc(c->arena, n + 1);
	struct heap h = { arena_alloc(c->arena, (n + 1) * sizeof(unsigned)), 0 };

	g->match_order.n = 0;
	for (size_t i = 0; i < n; i++) {
		struct zone *z = g->zones.v[i];
		pending[z->index] = z->children.n;
		if (!z->children.n)
			heap_push(&h, z->index);
	}
	while (h.n) {
		struct zone *z = g->zones.v[heap_pop(&h)];
		placed[z->index] = true;
		vec_push(c->arena, &g->match_order, z);
		for (size_t j = 0; j < z->parents.n; j++)
			if (--pending[z->parents.v[j]->index] == 0)
				heap_push(&h, z->parents.v[j]->index);
	}
	for (size_t i = 0; i < n; i++)
		if (!placed[g->zones.v[i]->index])
			vec_push(c->arena, &g->match_order, g->zones.v[i]);
}

/* ---- flags --------------------------------------------------------------------------------------- */

/* An ipsec zone nested in a non-ipsec one makes the parent (and, as in Shorewall, every ancestor
 * of it) `super`: the parent's inbound jumps drop `--pol none`, so that traffic the ipsec child
 * passes on with CONTINUE can still fall through to the parent. Marked by walking up from each
 * such parent; a zone already super is not revisited, which also ends the walk on a cycle. */
static void mark_super(struct compile *c)
{
	struct graph *g = c->graph;
	struct zone **todo = arena_alloc(c->arena, (g->zones.n + 1) * sizeof(*todo));
	size_t n = 0;

	for (size_t i = 0; i < g->zones.n; i++)
		g->zones.v[i]->super = false;
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		if (z->type != ZONE_IPSEC)
			continue;
		for (size_t j = 0; j < z->parents.n; j++) {
			struct zone *p = z->parents.v[j];
			if (p->type == ZONE_IPSEC || p->super)
				continue;
			p->super = true;
			todo[n++] = p;
			while (n) {
				struct zone *a = todo[--n];
				for (size_t k = 0; k < a->parents.n; k++)
					if (!a->parents.v[k]->super) {
						a->parents.v[k]->super = true;
						todo[n++] = a->parents.v[k];
					}
			}
		}
	}
}

/* The policy match goes on every dispatch rule as soon as anything is defined by IPsec: an ipsec
 * zone, a 2.2 mixed zone, or a single `ipsec` hosts entry. */
static void compute_have_ipsec(struct graph *g)
{
	g->have_ipsec = false;
	for (size_t i = 0; i < g->zones.n; i++)
		if (g->zones.v[i]->type == ZONE_IPSEC || g->zones.v[i]->mixed)
			g->have_ipsec = true;
	for (size_t i = 0; i < g->hosts.n; i++)
		if (HOST_HAS(g->hosts.v[i], HO_IPSEC))
			g->have_ipsec = true;
}

/* ---- helpers for the warnings ---------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path ? path : "?";
}

/* True when a is b or one of b's ancestors. seen is scratch space of zones.n bytes; every zone is
 * pushed at most once, so the walk is linear and ends on cycles too. */
static bool is_ancestor(const struct graph *g, const struct zone *a, const struct zone *b,
			bool *seen, const struct zone **todo)
{
	size_t n = 0;
	bool found = false;
	memset(seen, 0, g->zones.n);
	todo[n++] = b;
	seen[b->index] = true;
	while (n && !found) {
		const struct zone *z = todo[--n];
		found = z == a;
		for (size_t k = 0; k < z->parents.n; k++)
			if (!seen[z->parents.v[k]->index]) {
				seen[z->parents.v[k]->index] = true;
				todo[n++] = z->parents.v[k];
			}
	}
	return found;
}

/* The two interfaces could carry the same packets: the same interface, a wildcard covering the
 * other's name, or a bridge and one of its ports. */
static const char *device(const struct iface *i)
{
	return i->physical ? i->physical : i->name;
}

static bool wildcard_covers_name(const struct iface *w, const char *name)
{
	size_t len = strlen(device(w));
	return w->wildcard && len > 0 && strncmp(device(w), name, len - 1) == 0;
}

static bool wildcard_covers(const struct iface *w, const struct iface *i)
{
	return wildcard_covers_name(w, device(i));
}

static bool iface_related(const struct iface *a, const struct iface *b)
{
	if (a == b)
		return true;
	if (a->bridge && strcmp(a->bridge, b->name) == 0)
		return true;
	if (b->bridge && strcmp(b->bridge, a->name) == 0)
		return true;
	return wildcard_covers(a, b) || wildcard_covers(b, a);
}

/* ---- empty zones ----------------------------------------------------------------------------------- */

/* A zone nothing is put into gets chains and policies but never a packet: almost always an
 * interfaces or hosts line that names it was forgotten or misspelt. (An ipsec zone needs hosts
 * too: its type alone does not say which interface its traffic uses.) */
static void warn_empty_zones(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		if (z->type != ZONE_FIREWALL && z->hosts.n == 0)
			diag_warn(c->diag, &z->loc, "*** %s is an EMPTY ZONE ***", z->name);
	}
}

/* ---- sub-zones without a common interface ---------------------------------------------------------- */

/* Nesting only matters where the two zones can see the same packets: CONTINUE from the child
 * falls through to the parent's dispatch on the same interface. With no interface in common the
 * declaration is probably a mistake (wrong parent, wrong interface). Empty zones are skipped:
 * they have their own warning. */
static void warn_subzone_no_common_iface(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		for (size_t j = 0; j < z->parents.n; j++) {
			struct zone *p = z->parents.v[j];
			bool common = false;
			if (!z->hosts.n || !p->hosts.n)
				continue;
			for (size_t a = 0; a < z->hosts.n && !common; a++)
				for (size_t b = 0; b < p->hosts.n && !common; b++)
					common = iface_related(p->hosts.v[b]->iface, z->hosts.v[a]->iface);
			if (!common)
				diag_warn(c->diag, &z->loc,
					  "Zone %s is defined as a sub-zone of %s, yet the two zones have no interface in common",
					  z->name, p->name);
		}
	}
}

/* ---- shadowed zones -------------------------------------------------------------------------------- */

/* What a member matches besides its addresses: the IPsec condition (plaintext, any SA, or the
 * SAs the zone's options describe) and the directions it is dispatched in. */
enum { DIR_IN = 1, DIR_OUT = 2 };

struct member_sa {
	bool ipsec;
	const struct zone *opts_zone;   /* zone whose options restrict the SA; NULL = any SA */
};

static struct member_sa member_sa(const struct host *h)
{
	const struct zone *z = h->zone;
	const struct zone *opts = z->options || z->in_options || z->out_options ? z : NULL;
	if (z->type == ZONE_IPSEC)
		return (struct member_sa){ true, opts };
	if (HOST_HAS(h, HO_IPSEC))
		return (struct member_sa){ true, z->mixed ? opts : NULL };
	return (struct member_sa){ false, NULL };
}

static unsigned member_dirs(const struct host *h)
{
	if (HOST_HAS(h, HO_DESTONLY) || (h->from_interfaces && h->iface && IFACE_ON(h->iface, IFO_DESTONLY)))
		return DIR_OUT;
	if (HOST_HAS(h, HO_SOURCEONLY))
		return DIR_IN;
	return DIR_IN | DIR_OUT;
}

static bool opt_listed(const struct ipsec_opt *o, const struct ipsec_opt *list)
{
	for (; list; list = list->next)
		if (list->key == o->key && list->invert == o->invert &&
		    (list->value == o->value || (list->value && o->value && strcmp(list->value, o->value) == 0)))
			return true;
	return false;
}

/* Every condition of a's match (options plus one direction's options) is also in b's, so any
 * packet b's match accepts, a's accepts too. */
static bool opts_subset(const struct ipsec_opt *a1, const struct ipsec_opt *a2,
			const struct ipsec_opt *b1, const struct ipsec_opt *b2)
{
	const struct ipsec_opt *lists[2] = { a1, a2 };
	for (int k = 0; k < 2; k++)
		for (const struct ipsec_opt *o = lists[k]; o; o = o->next)
			if (!opt_listed(o, b1) && !opt_listed(o, b2))
				return false;
	return true;
}

static bool sa_covers(struct member_sa a, struct member_sa b)
{
	if (a.ipsec != b.ipsec)
		return false;   /* the policy match separates them */
	if (!a.ipsec || !a.opts_zone)
		return true;
	const struct zone *za = a.opts_zone, *zb = b.opts_zone;
	if (!zb)
		return false;   /* b takes any SA, a only some */
	return opts_subset(za->options, za->in_options, zb->options, zb->in_options) &&
	       opts_subset(za->options, za->out_options, zb->options, zb->out_options);
}

/* Address intervals; ipsets and `dynamic` have no interval (their contents are only known at run
 * time), so they neither cover nor are covered, which keeps the warning free of false alarms. */
static bool item_interval(const struct addr_item *it, uint32_t *lo, uint32_t *hi)
{
	if (it->kind == ADDR_NET) {
		uint32_t mask = it->net.len ? ~(uint32_t)0 << (32 - it->net.len) : 0;
		*lo = it->net.addr & mask;
		*hi = *lo | ~mask;
		return true;
	}
	if (it->kind == ADDR_RANGE) {
		*lo = it->lo;
		*hi = it->hi;
		return true;
	}
	return false;
}

static const struct addr_item any_item = { .kind = ADDR_NET, .net = { 0, 0 } };

static bool item_covers(const struct addr_item *a, const struct addr_item *b)
{
	uint32_t alo, ahi, blo, bhi;
	if (a->kind == ADDR_IPSET && b->kind == ADDR_IPSET)
		return strcmp(a->set, b->set) == 0;
	if (!item_interval(a, &alo, &ahi) || !item_interval(b, &blo, &bhi))
		return false;
	return alo <= blo && bhi <= ahi;
}

static bool item_disjoint(const struct addr_item *a, const struct addr_item *b)
{
	uint32_t alo, ahi, blo, bhi;
	if (!item_interval(a, &alo, &ahi) || !item_interval(b, &blo, &bhi))
		return false;
	return ahi < blo || bhi < alo;
}

/* One address of b's member lies inside one of a's addresses and outside all of a's exclusions.
 * (b's own exclusions only make b smaller, so they can be ignored.) */
static bool list_covers(const struct addr_list *a, const struct addr_item *b)
{
	bool inside = false;
	if (!a->items)
		inside = item_covers(&any_item, b);
	for (const struct addr_item *it = a->items; it && !inside; it = it->next)
		inside = item_covers(it, b);
	if (!inside)
		return false;
	for (const struct addr_item *x = a->excl; x; x = x->next)
		if (!item_disjoint(x, b))
			return false;
	return true;
}

/* a's member sees b's member's interface: the same interface (a whole wildcard, or the same
 * device under it), or a wildcard covering b's. */
static bool member_iface_covers(const struct host *a, const struct host *b)
{
	if (a->iface == b->iface)
		return !a->ifname || (b->ifname && strcmp(a->ifname, b->ifname) == 0);
	if (b->ifname && a->ifname)
		return false;
	if (b->ifname)
		return wildcard_covers_name(a->iface, b->ifname);
	return !a->ifname && wildcard_covers(a->iface, b->iface);
}

static bool member_covers(const struct host *a, const struct host *b)
{
	if (!a->iface || !b->iface)
		return false;
	if (!member_iface_covers(a, b))
		return false;
	if ((member_dirs(a) & member_dirs(b)) != member_dirs(b))
		return false;
	if (!sa_covers(member_sa(a), member_sa(b)))
		return false;
	if (!b->addrs.items)
		return list_covers(&a->addrs, &any_item);
	for (const struct addr_item *it = b->addrs.items; it; it = it->next)
		if (!list_covers(&a->addrs, it))
			return false;
	return true;
}

static bool zone_covers(const struct zone *a, const struct zone *b)
{
	for (size_t i = 0; i < b->hosts.n; i++) {
		bool covered = false;
		for (size_t j = 0; j < a->hosts.n && !covered; j++)
			covered = member_covers(a->hosts.v[j], b->hosts.v[i]);
		if (!covered)
			return false;
	}
	return true;
}

/* Was the zones file read in the 2.2 layout (no ZONE:PARENT syntax, so nesting is no fix)? */
static bool zones_layout_22(const struct compile *c, const struct zone *z)
{
	for (size_t i = 0; i < c->files.n; i++) {
		const struct file_info *f = c->files.v[i];
		if (f->path && z->loc.file && strcmp(f->path, z->loc.file) == 0)
			return f->layout && strncmp(f->layout, "2.2", 3) == 0;
	}
	return false;
}

/* Dispatch is first-match in match_order. A zone all of whose members (same interface, same
 * IPsec condition, same directions) are inside the members of a zone tried earlier, and not
 * nested with it, never receives a packet. Shorewall 5.2.8 drops such a zone's jumps without a
 * word; we say which zone hides it and how to fix it. */
static void warn_shadowed_zones(struct compile *c)
{
	struct graph *g = c->graph;
	bool *seen = arena_alloc(c->arena, g->zones.n + 1);
	const struct zone **todo = arena_alloc(c->arena, (g->zones.n + 1) * sizeof(*todo));
	for (size_t i = 0; i < g->match_order.n; i++) {
		struct zone *b = g->match_order.v[i];
		if (b->type == ZONE_FIREWALL || !b->hosts.n)
			continue;
		for (size_t j = 0; j < i; j++) {
			struct zone *a = g->match_order.v[j];
			if (a->type == ZONE_FIREWALL || !a->hosts.n)
				continue;
			/* Coverage first: it is rare, and the nesting walk costs more. */
			if (!zone_covers(a, b))
				continue;
			if (is_ancestor(g, a, b, seen, todo) || is_ancestor(g, b, a, seen, todo))
				continue;
			if (zones_layout_22(c, b))
				diag_warn(c->diag, &b->loc,
					  "Zone %s can never match: all its members are also in zone %s (%s line %u), which is tried first; declare %s before %s",
					  b->name, a->name, base_name(a->loc.file), a->loc.line, b->name, a->name);
			else
				diag_warn(c->diag, &b->loc,
					  "Zone %s can never match: all its members are also in zone %s (%s line %u), which is tried first; declare %s before %s, or nest it (%s:%s)",
					  b->name, a->name, base_name(a->loc.file), a->loc.line, b->name, a->name,
					  b->name, a->name);
			break;
		}
	}
}

/* ---- interfaces ------------------------------------------------------------------------------------ */

/* An interfaces line with ZONE `-` says "the hosts file divides this interface among zones". If
 * no hosts line names it, its traffic belongs to no zone and only the catch-all policy sees it. */
static void warn_unused_multizone_ifaces(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->ifaces.n; i++) {
		struct iface *ifc = g->ifaces.v[i];
		bool used = false;
		if (ifc->zone_name || ifc->zone)
			continue;
		for (size_t j = 0; j < g->hosts.n && !used; j++)
			used = g->hosts.v[j]->iface == ifc;
		if (!used)
			diag_warn(c->diag, &ifc->loc,
				  "Multi-zone interface (%s) is used by no hosts entry: its traffic matches no zone",
				  ifc->name);
	}
}

/* ---- IPsec ------------------------------------------------------------------------------------------- */

/* A 2.2 ipsec-file line `zone No options…` describes the SAs of the zone's `ipsec` hosts. If no
 * hosts entry of the zone has the ipsec option, the line has no effect at all. */
static void warn_mixed_without_ipsec_hosts(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *z = g->zones.v[i];
		bool any = false;
		if (!z->mixed)
			continue;
		for (size_t j = 0; j < z->hosts.n && !any; j++)
			any = HOST_HAS(z->hosts.v[j], HO_IPSEC);
		if (!any)
			diag_warn(c->diag, z->ipsec_loc.file ? &z->ipsec_loc : &z->loc,
				  "IPsec options of zone (%s) are never used: none of its hosts entries has the ipsec option",
				  z->name);
	}
}

/* ESP and IKE packets arrive (and leave) unencrypted: they belong to the zone the tunnel travels
 * through, never to an ipsec zone, whose dispatch requires `--pol ipsec`. A tunnel naming an ipsec
 * zone opens nothing that will ever be used. */
static void warn_tunnel_in_ipsec_zone(struct compile *c)
{
	struct graph *g = c->graph;
	for (size_t i = 0; i < g->tunnels.n; i++) {
		struct tunnel *t = g->tunnels.v[i];
		if ((t->type != TUN_IPSEC && t->type != TUN_IPSECNAT) || !t->zone || t->zone->type != ZONE_IPSEC)
			continue;
		diag_warn(c->diag, &t->loc,
			  "Tunnel zone (%s) is an ipsec zone: ESP and IKE arrive unencrypted, so name the zone they travel through",
			  t->zone->name);
	}
}

/* ---- entry point ------------------------------------------------------------------------------------- */

/* Was a line of a membership file (zones, ipsec, interfaces, hosts) rejected, or a required file
 * missing? Then what each zone contains is uncertain, and warnings about zone contents (empty,
 * shadowed, …) would mostly repeat the error in a misleading way ("vpn is an EMPTY ZONE" right
 * after its only hosts line was refused); they are left for the run after the fix. */
static bool membership_uncertain(const struct compile *c)
{
	static const char *const files[] = { "hosts", "interfaces", "ipsec", "zones" };
	for (const struct diag_msg *m = c->diag->head; m; m = m->next) {
		if (m->level != DIAG_ERROR)
			continue;
		if (!m->loc.file)
			return true;
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (strcmp(base_name(m->loc.file), files[i]) == 0)
				return true;
	}
	return false;
}

int graph_finish(struct compile *c)
{
	struct graph *g = c->graph;
	unsigned before = c->diag->errors;

	/* The matrix and the cycle search index arrays by zone->index: make sure it is dense. */
	for (size_t i = 0; i < g->zones.n; i++)
		g->zones.v[i]->index = (unsigned)i;
	resolve_parents(c);
	report_cycles(c);
	compute_match_order(c);
	mark_super(c);
	compute_have_ipsec(g);

	if (!membership_uncertain(c)) {
		warn_empty_zones(c);
		warn_subzone_no_common_iface(c);
		warn_shadowed_zones(c);
		warn_unused_multizone_ifaces(c);
		warn_mixed_without_ipsec_hosts(c);
	}
	warn_tunnel_in_ipsec_zone(c);
	return (int)(c->diag->errors - before);
}
