/* test_graph.c — graph_finish(): parents, nesting cycles, match order, super, have_ipsec and the cross-file warnings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_support.h"

#include <sys/stat.h>
#include <unistd.h>

/* ---- building graphs by hand ------------------------------------------------------------------ */

/* "vpn:net,loc" declares vpn with two parents; the zone's line is its position in the file. */
static struct zone *mkzone(struct fx *t, const char *spec, enum zone_type type)
{
	struct graph *g = t->c.graph;
	struct zone *z = arena_new_obj(t->c.arena, struct zone);
	char *name = arena_strdup(t->c.arena, spec), *p = strchr(name, ':');
	if (p) {
		*p++ = '\0';
		for (char *save = NULL, *e = strtok_r(p, ",", &save); e; e = strtok_r(NULL, ",", &save))
			vec_push(t->c.arena, &z->parent_names, (const char *)e);
	}
	z->name = name;
	z->type = type;
	z->index = (unsigned)g->zones.n;
	z->loc = (struct loc){ "/etc/shorewall/zones", (unsigned)g->zones.n + 1 };
	vec_push(t->c.arena, &g->zones, z);
	if (type == ZONE_FIREWALL)
		g->fw = z;
	return z;
}

static struct host *mkhost(struct fx *t, struct zone *z, struct iface *i, const char *addrs, uint32_t opts)
{
	struct graph *g = t->c.graph;
	struct host *h = arena_new_obj(t->c.arena, struct host);
	const char *bad;
	h->zone = z;
	h->iface = i;
	h->opts = opts;
	if (addrs)
		assert_true(addr_parse_list(t->c.arena, addrs, &h->addrs, true, &bad));
	/* its line: one more than the hosts lines so far (the interfaces' own members have none) */
	unsigned line = 1;
	for (size_t n = 0; n < g->hosts.n; n++)
		line += !g->hosts.v[n]->from_interfaces;
	h->loc = (struct loc){ "/etc/shorewall/hosts", line };
	vec_push(t->c.arena, &g->hosts, h);
	vec_push(t->c.arena, &z->hosts, h);
	return h;
}

/* An interfaces line; z NULL = ZONE `-`. A zone gets the whole interface as a member. */
static struct iface *mkiface(struct fx *t, const char *name, struct zone *z)
{
	struct graph *g = t->c.graph;
	struct iface *i = arena_new_obj(t->c.arena, struct iface);
	i->name = name;
	i->wildcard = name[strlen(name) - 1] == '+';
	i->zone = z;
	i->zone_name = z ? z->name : NULL;
	i->loc = (struct loc){ "/etc/shorewall/interfaces", (unsigned)g->ifaces.n + 1 };
	vec_push(t->c.arena, &g->ifaces, i);
	if (z) {
		struct host *h = mkhost(t, z, i, NULL, 0);
		h->from_interfaces = true;
		h->loc = i->loc;
	}
	return i;
}

static struct ipsec_opt *mkopt(struct fx *t, enum ipsec_key k, const char *value, struct ipsec_opt *next)
{
	struct ipsec_opt *o = arena_new_obj(t->c.arena, struct ipsec_opt);
	o->key = k;
	o->value = value;
	o->next = next;
	return o;
}

static unsigned count_msgs(const struct diag *d, const char *needle)
{
	char buf[4096];
	unsigned n = 0;
	for (const struct diag_msg *m = d->head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		if (strstr(buf, needle))
			n++;
	}
	return n;
}

static const char *order(struct fx *t)
{
	const struct graph *g = t->c.graph;
	char *s = arena_strdup(t->c.arena, "");
	for (size_t i = 0; i < g->match_order.n; i++)
		s = arena_printf(t->c.arena, "%s%s%s", s, i ? " " : "", g->match_order.v[i]->name);
	return s;
}

/* The usual start: a firewall zone and net on eth0. */
static struct zone *base(struct fx *t, struct iface **eth0)
{
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	*eth0 = mkiface(t, "eth0", net);
	return net;
}

/* ---- parents -------------------------------------------------------------------------------------- */

static void test_parents_resolved(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	struct zone *net = base(t, &eth0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	struct iface *eth1 = mkiface(t, "eth1", loc);
	struct zone *vpn = mkzone(t, "vpn:net,loc", ZONE_IPV4);
	mkhost(t, vpn, eth0, "10.0.0.0/8", 0);
	mkhost(t, vpn, eth1, "192.168.9.0/24", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.errors, 0);
	assert_int_equal(t->d.warnings, 0);
	assert_int_equal(vpn->parents.n, 2);
	assert_ptr_equal(vpn->parents.v[0], net);
	assert_ptr_equal(vpn->parents.v[1], loc);
	assert_int_equal(net->children.n, 1);
	assert_ptr_equal(net->children.v[0], vpn);
	assert_int_equal(loc->children.n, 1);
	assert_int_equal(vpn->children.n, 0);
	assert_string_equal(order(t), "fw vpn net loc");
}

/* Parents may be declared later in the file: we resolve after everything is read. */
static void test_parent_declared_later(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *dmz = mkzone(t, "dmz:net", ZONE_IPV4);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	struct iface *eth0 = mkiface(t, "eth0", net);
	mkhost(t, dmz, eth0, "192.0.2.0/24", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_ptr_equal(dmz->parents.v[0], net);
	assert_string_equal(order(t), "fw dmz net");
}

static void test_unknown_parent(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *vpn = mkzone(t, "vpn:nosuch,net", ZONE_IPSEC);
	mkhost(t, vpn, eth0, NULL, 0);
	assert_int_equal(graph_finish(&t->c), 1);
	assert_true(diag_has(&t->d, "ERROR: Unknown parent zone (nosuch) /etc/shorewall/zones (line 3)"));
	/* The known parent is still resolved: one bad name does not hide the rest. */
	assert_int_equal(vpn->parents.n, 1);
	assert_string_equal(vpn->parents.v[0]->name, "net");
}

static void test_firewall_parent(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	struct zone *net = base(t, &eth0);
	struct zone *vpn = mkzone(t, "vpn:fw", ZONE_IPV4);
	mkhost(t, vpn, eth0, "10.0.0.0/8", 0);
	assert_int_equal(graph_finish(&t->c), 1);
	assert_true(diag_has(&t->d, "ERROR: Subzones of firewall zone not allowed (vpn:fw) /etc/shorewall/zones (line 3)"));
	assert_int_equal(vpn->parents.n, 0);
	assert_int_equal(t->c.graph->fw->children.n, 0);
	(void)net;
}

/* A nested firewall zone is reported by the zones parser, which sees the ':' and the type on one
 * line; graph_finish must not say it again, and must not make the edge. */
static void test_firewall_child_gets_no_parent(void **state)
{
	struct fx *t = *state;
	struct zone *fw = mkzone(t, "fw:net", ZONE_FIREWALL);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	mkiface(t, "eth0", net);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(fw->parents.n, 0);
	assert_int_equal(net->children.n, 0);
}

static void test_own_parent(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *loc = mkzone(t, "loc:loc", ZONE_IPV4);
	mkhost(t, loc, eth0, "192.168.1.0/24", 0);
	assert_int_equal(graph_finish(&t->c), 1);
	assert_true(diag_has(&t->d, "ERROR: A zone cannot be its own parent (loc) /etc/shorewall/zones (line 3)"));
	assert_int_equal(loc->parents.n, 0);
	/* No cycle is reported on top: the self edge was never made. */
	assert_false(diag_has(&t->d, "cycle"));
}

static void test_type_rules_for_nesting(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	mkzone(t, "vs", ZONE_VSERVER);
	mkzone(t, "lo1", ZONE_LOOPBACK);
	mkzone(t, "lc1", ZONE_LOCAL);
	mkzone(t, "a:vs", ZONE_IPV4);
	mkzone(t, "b:lo1", ZONE_IPV4);
	mkzone(t, "lo2:net", ZONE_LOOPBACK);
	mkzone(t, "c:lc1", ZONE_IPV4);
	struct zone *lc2 = mkzone(t, "lc2:lc1", ZONE_LOCAL);   /* local in local: fine */
	struct zone *lo3 = mkzone(t, "lo3:lo1", ZONE_LOOPBACK);
	graph_finish(&t->c);
	assert_int_equal(t->d.errors, 4);
	assert_true(diag_has(&t->d, "Subzones of a Vserver zone not allowed (a:vs)"));
	assert_true(diag_has(&t->d, "Loopback zones may only be subzones of other loopback zones (b:lo1)"));
	assert_true(diag_has(&t->d, "Loopback zones may only be subzones of other loopback zones (lo2:net)"));
	assert_true(diag_has(&t->d, "Local zones may only be subzones of other local zones (c:lc1)"));
	assert_int_equal(lc2->parents.n, 1);
	assert_int_equal(lo3->parents.n, 1);
}

static void test_duplicate_parent(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	struct zone *net = base(t, &eth0);
	struct zone *dmz = mkzone(t, "dmz:net,net", ZONE_IPV4);
	mkhost(t, dmz, eth0, "192.0.2.0/24", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(count_msgs(&t->d, "WARNING: Duplicate parent zone (net) ignored"), 1);
	assert_int_equal(dmz->parents.n, 1);
	assert_int_equal(net->children.n, 1);
}

/* ---- cycles --------------------------------------------------------------------------------------- */

static void test_cycle_two(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *a = mkzone(t, "a:b", ZONE_IPV4);
	struct zone *b = mkzone(t, "b:a", ZONE_IPV4);
	mkhost(t, a, eth0, "10.1.0.0/16", 0);
	mkhost(t, b, eth0, "10.2.0.0/16", 0);
	assert_int_equal(graph_finish(&t->c), 1);
	assert_int_equal(count_msgs(&t->d, "cycle"), 1);
	assert_true(diag_has(&t->d, "ERROR: Zone nesting cycle: a -> b -> a /etc/shorewall/zones (line 3)"));
	/* Every zone is still in the match order, exactly once. */
	assert_string_equal(order(t), "fw net a b");
}

/* One cycle of three is one message, written from its earliest-declared zone. */
static void test_cycle_three_once(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *z[4];
	z[0] = mkzone(t, "c:b", ZONE_IPV4);
	z[1] = mkzone(t, "a:c", ZONE_IPV4);
	z[2] = mkzone(t, "b:a", ZONE_IPV4);
	z[3] = mkzone(t, "d:a", ZONE_IPV4);     /* hangs below the cycle, is not part of it */
	for (int i = 0; i < 4; i++)
		mkhost(t, z[i], eth0, arena_printf(t->c.arena, "10.%d.0.0/16", i), 0);
	assert_int_equal(graph_finish(&t->c), 1);
	assert_int_equal(count_msgs(&t->d, "cycle"), 1);
	assert_true(diag_has(&t->d, "Zone nesting cycle: c -> b -> a -> c /etc/shorewall/zones (line 3)"));
	assert_string_equal(order(t), "fw net d c a b");
}

static void test_two_cycles(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	const char *specs[] = { "a:b", "b:a", "x:y", "y:x" };
	for (int i = 0; i < 4; i++)
		mkhost(t, mkzone(t, specs[i], ZONE_IPV4), eth0, arena_printf(t->c.arena, "10.%d.0.0/16", i), 0);
	assert_int_equal(graph_finish(&t->c), 2);
	assert_true(diag_has(&t->d, "Zone nesting cycle: a -> b -> a"));
	assert_true(diag_has(&t->d, "Zone nesting cycle: x -> y -> x"));
}

/* ---- match order ---------------------------------------------------------------------------------- */

static void test_order_stable_without_nesting(void **state)
{
	struct fx *t = *state;
	const char *names[] = { "fw", "z3", "z1", "z2", "z0" };
	for (int i = 0; i < 5; i++)
		mkzone(t, names[i], i ? ZONE_IPV4 : ZONE_FIREWALL);
	graph_finish(&t->c);
	assert_string_equal(order(t), "fw z3 z1 z2 z0");
}

static void test_order_subzones_first(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	mkzone(t, "net", ZONE_IPV4);
	mkzone(t, "loc", ZONE_IPV4);
	mkzone(t, "vpn:net", ZONE_IPSEC);
	mkzone(t, "dmz:loc", ZONE_IPV4);
	mkzone(t, "lab", ZONE_IPV4);
	graph_finish(&t->c);
	assert_string_equal(order(t), "fw vpn net dmz loc lab");
}

static void test_order_deep_and_multi_parent(void **state)
{
	struct fx *t = *state;
	mkzone(t, "a", ZONE_IPV4);
	mkzone(t, "p2", ZONE_IPV4);
	mkzone(t, "b:a", ZONE_IPV4);
	mkzone(t, "c:b,p2", ZONE_IPV4);
	mkzone(t, "e", ZONE_IPV4);
	graph_finish(&t->c);
	/* c precedes both its parents and b precedes a; among the zones ready at each step the
	 * earliest declared goes first (p2 before b), and e keeps its place after them. */
	assert_string_equal(order(t), "c p2 b a e");
}

/* Calling it twice gives the same result, not doubled children. */
static void test_finish_idempotent(void **state)
{
	struct fx *t = *state;
	mkzone(t, "net", ZONE_IPV4);
	struct zone *vpn = mkzone(t, "vpn:net", ZONE_IPSEC);
	graph_finish(&t->c);
	graph_finish(&t->c);
	assert_int_equal(vpn->parents.n, 1);
	assert_int_equal(t->c.graph->zones.v[0]->children.n, 1);
	assert_string_equal(order(t), "vpn net");
}

/* ---- super and have_ipsec ------------------------------------------------------------------------------ */

static void test_super(void **state)
{
	struct fx *t = *state;
	struct zone *top = mkzone(t, "top", ZONE_IPV4);
	struct zone *net = mkzone(t, "net:top", ZONE_IPV4);
	struct zone *vpn = mkzone(t, "vpn:net", ZONE_IPSEC);
	struct zone *sec = mkzone(t, "sec", ZONE_IPSEC);
	struct zone *sub = mkzone(t, "sub:sec", ZONE_IPSEC);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	struct zone *dmz = mkzone(t, "dmz:loc", ZONE_IPV4);
	graph_finish(&t->c);
	assert_true(net->super);
	assert_true(top->super);        /* propagated upwards, as Shorewall does */
	assert_false(vpn->super);
	assert_false(sec->super);       /* an ipsec child of an ipsec parent changes nothing */
	assert_false(sub->super);
	assert_false(loc->super);       /* a plaintext child changes nothing */
	assert_false(dmz->super);
}

static void test_have_ipsec(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	struct zone *net = base(t, &eth0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	struct host *h = mkhost(t, loc, eth0, "192.168.1.0/24", 0);
	graph_finish(&t->c);
	assert_false(t->c.graph->have_ipsec);

	h->opts |= 1u << HO_IPSEC;      /* one `ipsec` hosts entry is enough */
	graph_finish(&t->c);
	assert_true(t->c.graph->have_ipsec);

	h->opts = 0;
	loc->mixed = true;              /* a 2.2 mixed zone */
	graph_finish(&t->c);
	assert_true(t->c.graph->have_ipsec);

	loc->mixed = false;
	mkzone(t, "vpn", ZONE_IPSEC);   /* an ipsec zone, even an empty one */
	graph_finish(&t->c);
	assert_true(t->c.graph->have_ipsec);
	(void)net;
}

/* ---- empty zones ---------------------------------------------------------------------------------- */

static void test_empty_zones(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	mkzone(t, "loc", ZONE_IPV4);
	mkzone(t, "vpn", ZONE_IPSEC);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.warnings, 2);
	assert_true(diag_has(&t->d, "WARNING: *** loc is an EMPTY ZONE *** /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&t->d, "WARNING: *** vpn is an EMPTY ZONE *** /etc/shorewall/zones (line 4)"));
	assert_false(diag_has(&t->d, "fw is an EMPTY"));
	assert_false(diag_has(&t->d, "net is an EMPTY"));
}

/* ---- shadowed zones ------------------------------------------------------------------------------- */

static void test_shadow_after_superset(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	mkhost(t, loc, eth0, "192.168.1.0/24,192.168.2.5", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.warnings, 1);
	assert_true(diag_has(&t->d,
		"WARNING: Zone loc can never match: all its members are also in zone net (zones line 2), which is tried first; "
		"declare loc before net, or nest it (loc:net) /etc/shorewall/zones (line 3)"));
}

static void test_shadow_not_when_declared_first_or_nested(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	struct iface *eth0 = mkiface(t, "eth0", net);
	mkhost(t, loc, eth0, "192.168.1.0/24", 0);
	struct zone *dmz = mkzone(t, "dmz:net", ZONE_IPV4);
	mkhost(t, dmz, eth0, "192.0.2.0/24", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.warnings, 0);
}

/* The policy match separates ipsec from plaintext: neither hides the other. */
static void test_shadow_not_across_ipsec(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *vpn = mkzone(t, "vpn", ZONE_IPSEC);
	mkhost(t, vpn, eth0, "10.0.0.0/8", 0);
	struct zone *rw = mkzone(t, "rw", ZONE_IPV4);           /* seed style: `ipsec` hosts */
	mkhost(t, rw, eth0, "172.16.0.0/12", 1u << HO_IPSEC);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.warnings, 0);
}

static void test_shadow_between_ipsec_zones(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *any = mkzone(t, "any", ZONE_IPSEC);        /* any SA on eth0 */
	mkhost(t, any, eth0, "0.0.0.0/0", 0);
	struct zone *ten = mkzone(t, "ten", ZONE_IPSEC);
	ten->options = mkopt(t, IPSEC_REQID, "10", NULL);
	mkhost(t, ten, eth0, "10.0.0.0/8", 0);
	graph_finish(&t->c);
	/* `any` takes every SA, so `ten` (reqid 10, inside 0.0.0.0/0) is hidden. */
	assert_true(diag_has(&t->d, "Zone ten can never match: all its members are also in zone any"));
	assert_int_equal(t->d.warnings, 1);
}

static void test_shadow_ipsec_options_differ(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *a = mkzone(t, "a", ZONE_IPSEC);
	a->options = mkopt(t, IPSEC_REQID, "10", NULL);
	mkhost(t, a, eth0, "10.0.0.0/8", 0);
	struct zone *b = mkzone(t, "b", ZONE_IPSEC);
	b->options = mkopt(t, IPSEC_REQID, "20", NULL);
	mkhost(t, b, eth0, "10.1.0.0/16", 0);
	struct zone *c = mkzone(t, "c", ZONE_IPSEC);            /* any SA, after a: not hidden */
	mkhost(t, c, eth0, "10.2.0.0/16", 0);
	struct zone *d = mkzone(t, "d", ZONE_IPSEC);            /* same SA as a, more conditions: hidden */
	d->options = mkopt(t, IPSEC_MODE, "tunnel", NULL);
	d->in_options = mkopt(t, IPSEC_REQID, "10", NULL);
	d->out_options = mkopt(t, IPSEC_REQID, "10", NULL);
	mkhost(t, d, eth0, "10.3.0.0/16", 0);
	graph_finish(&t->c);
	assert_false(diag_has(&t->d, "Zone b can never match"));
	assert_false(diag_has(&t->d, "Zone c can never match"));
	assert_true(diag_has(&t->d, "Zone d can never match: all its members are also in zone a"));
	assert_int_equal(t->d.warnings, 1);
}

static void test_shadow_partial_or_other_iface(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	struct iface *eth0 = mkiface(t, "eth0", NULL);
	struct iface *eth1 = mkiface(t, "eth1", NULL);
	mkhost(t, net, eth0, "10.0.0.0/8", 0);
	struct zone *part = mkzone(t, "part", ZONE_IPV4);
	mkhost(t, part, eth0, "10.1.0.0/16,192.168.1.0/24", 0);
	struct zone *other = mkzone(t, "other", ZONE_IPV4);
	mkhost(t, other, eth1, "10.1.0.0/16", 0);
	struct zone *split = mkzone(t, "split", ZONE_IPV4);     /* covered only with eth1's help: no */
	mkhost(t, split, eth0, "10.2.0.0/16", 0);
	mkhost(t, split, eth1, "10.2.0.0/16", 0);
	assert_int_equal(graph_finish(&t->c), 0);
	assert_int_equal(t->d.warnings, 0);
}

static void test_shadow_exclusions_and_ranges(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	struct iface *eth0 = mkiface(t, "eth0", NULL);
	mkhost(t, net, eth0, "0.0.0.0/0!192.168.1.0/24", 0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);         /* exactly the exclusion: reachable */
	mkhost(t, loc, eth0, "192.168.1.0/24", 0);
	struct zone *lab = mkzone(t, "lab", ZONE_IPV4);         /* overlaps the exclusion: reachable */
	mkhost(t, lab, eth0, "192.168.0.0/16", 0);
	struct zone *ten = mkzone(t, "ten", ZONE_IPV4);         /* outside the exclusion: hidden */
	mkhost(t, ten, eth0, "10.0.0.1-10.0.0.9", 0);
	struct zone *set = mkzone(t, "set", ZONE_IPV4);         /* ipset contents unknown: no claim */
	mkhost(t, set, eth0, "+admins", 0);
	graph_finish(&t->c);
	assert_int_equal(t->d.warnings, 1);
	assert_true(diag_has(&t->d, "Zone ten can never match: all its members are also in zone net"));
}

static void test_shadow_directions(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct iface *eth0 = mkiface(t, "eth0", NULL);
	struct zone *out = mkzone(t, "out", ZONE_IPV4);
	mkhost(t, out, eth0, "10.0.0.0/8", 1u << HO_DESTONLY);
	struct zone *both = mkzone(t, "both", ZONE_IPV4);       /* also inbound: reachable that way */
	mkhost(t, both, eth0, "10.1.0.0/16", 0);
	struct zone *dst = mkzone(t, "dst", ZONE_IPV4);         /* destonly too: hidden */
	mkhost(t, dst, eth0, "10.2.0.0/16", 1u << HO_DESTONLY);
	graph_finish(&t->c);
	assert_int_equal(t->d.warnings, 1);
	assert_true(diag_has(&t->d, "Zone dst can never match: all its members are also in zone out"));
}

static void test_shadow_wildcard(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *net = mkzone(t, "net", ZONE_IPV4);
	struct iface *ppp = mkiface(t, "ppp+", net);
	struct zone *road = mkzone(t, "road", ZONE_IPV4);
	struct host *h = mkhost(t, road, ppp, "198.51.100.0/24", 0);
	h->ifname = "ppp3";
	graph_finish(&t->c);
	assert_true(diag_has(&t->d, "Zone road can never match: all its members are also in zone net"));
}

/* A 2.2 zones file cannot nest: the advice is only to reorder. */
static void test_shadow_hint_for_22(void **state)
{
	struct fx *t = *state;
	struct file_info *f = arena_new_obj(t->c.arena, struct file_info);
	f->path = "/etc/shorewall/zones";
	f->layout = "2.2";
	vec_push(t->c.arena, &t->c.files, f);
	struct iface *eth0;
	base(t, &eth0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	mkhost(t, loc, eth0, "192.168.1.0/24", 0);
	graph_finish(&t->c);
	assert_true(diag_has(&t->d, "which is tried first; declare loc before net /etc/shorewall/zones (line 3)"));
	assert_false(diag_has(&t->d, "nest it"));
}

/* ---- sub-zones and interfaces ----------------------------------------------------------------------- */

static void test_subzone_no_common_interface(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct iface *eth1 = mkiface(t, "eth1", NULL);
	struct zone *far = mkzone(t, "far:net", ZONE_IPV4);
	mkhost(t, far, eth1, "10.0.0.0/8", 0);
	struct zone *near = mkzone(t, "near:net", ZONE_IPV4);
	mkhost(t, near, eth0, "10.0.0.0/8", 0);
	mkzone(t, "none:net", ZONE_IPV4);                       /* empty: its own warning only */
	graph_finish(&t->c);
	assert_true(diag_has(&t->d,
		"WARNING: Zone far is defined as a sub-zone of net, yet the two zones have no interface in common "
		"/etc/shorewall/zones (line 3)"));
	assert_int_equal(count_msgs(&t->d, "no interface in common"), 1);
	assert_true(diag_has(&t->d, "*** none is an EMPTY ZONE ***"));
	assert_int_equal(t->d.warnings, 2);
}

static void test_subzone_bridge_port_is_common(void **state)
{
	struct fx *t = *state;
	mkzone(t, "fw", ZONE_FIREWALL);
	struct zone *lan = mkzone(t, "lan", ZONE_IPV4);
	mkiface(t, "br0", lan);
	struct zone *port = mkzone(t, "port:lan", ZONE_BPORT);
	struct iface *p = mkiface(t, "eth1", port);
	p->bridge = "br0";
	graph_finish(&t->c);
	assert_false(diag_has(&t->d, "no interface in common"));
}

static void test_unused_multizone_interface(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	mkiface(t, "eth2", NULL);
	struct iface *eth3 = mkiface(t, "eth3", NULL);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	mkhost(t, loc, eth3, "192.168.3.0/24", 0);
	graph_finish(&t->c);
	assert_int_equal(t->d.warnings, 1);
	assert_true(diag_has(&t->d,
		"WARNING: Multi-zone interface (eth2) is used by no hosts entry: its traffic matches no zone "
		"/etc/shorewall/interfaces (line 2)"));
}

static void test_mixed_zone_without_ipsec_hosts(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	struct zone *loc = mkzone(t, "loc", ZONE_IPV4);
	loc->mixed = true;
	loc->options = mkopt(t, IPSEC_MODE, "tunnel", NULL);
	loc->ipsec_loc = (struct loc){ "/etc/shorewall/ipsec", 4 };
	struct iface *eth1 = mkiface(t, "eth1", loc);
	graph_finish(&t->c);
	assert_true(diag_has(&t->d,
		"WARNING: IPsec options of zone (loc) are never used: none of its hosts entries has the ipsec option "
		"/etc/shorewall/ipsec (line 4)"));
	/* With one `ipsec` hosts entry the options are used. */
	fx_forget(t);
	mkhost(t, loc, eth1, "10.9.0.0/16", 1u << HO_IPSEC);
	graph_finish(&t->c);
	assert_false(diag_has(&t->d, "never used"));
}

static void test_tunnel_in_ipsec_zone(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	struct zone *net = base(t, &eth0);
	struct zone *vpn = mkzone(t, "vpn", ZONE_IPSEC);
	mkhost(t, vpn, eth0, "10.0.0.0/8", 0);
	struct zone *zones[] = { vpn, net, vpn };
	enum tunnel_type types[] = { TUN_IPSEC, TUN_IPSEC, TUN_GRE };
	for (int i = 0; i < 3; i++) {
		struct tunnel *tu = arena_new_obj(t->c.arena, struct tunnel);
		tu->type = types[i];
		tu->zone = zones[i];
		tu->loc = (struct loc){ "/etc/shorewall/tunnels", (unsigned)i + 1 };
		vec_push(t->c.arena, &t->c.graph->tunnels, tu);
	}
	graph_finish(&t->c);
	assert_int_equal(t->d.warnings, 1);
	assert_true(diag_has(&t->d, "WARNING: Tunnel zone (vpn) is an ipsec zone: ESP and IKE arrive unencrypted, "
				    "so name the zone they travel through /etc/shorewall/tunnels (line 1)"));
}

/* After a rejected membership line the contents of zones are uncertain: no warnings about them. */
static void test_no_content_warnings_after_membership_errors(void **state)
{
	struct fx *t = *state;
	struct iface *eth0;
	base(t, &eth0);
	mkzone(t, "loc", ZONE_IPV4);                            /* would be EMPTY */
	struct zone *dmz = mkzone(t, "dmz", ZONE_IPV4);         /* would be shadowed */
	mkhost(t, dmz, eth0, "192.0.2.0/24", 0);
	struct loc bad = { "/etc/shorewall/hosts", 2 };
	diag_error(&t->d, &bad, "Unknown interface (eth9)");
	graph_finish(&t->c);
	assert_int_equal(t->d.warnings, 0);
	/* An error elsewhere (policy) does not make zone contents uncertain. */
	fx_forget(t);
	struct loc pol = { "/etc/shorewall/policy", 2 };
	diag_error(&t->d, &pol, "Invalid policy (ACCPET)");
	graph_finish(&t->c);
	assert_true(diag_has(&t->d, "*** loc is an EMPTY ZONE ***"));
	assert_true(diag_has(&t->d, "Zone dmz can never match"));
}

/* ---- through config_load, from text ------------------------------------------------------------------ */

static char *write_dir(const char *const files[][2], size_t n)
{
	char *dir = strdup("/tmp/swc-test-graph-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	return dir;
}

static void remove_dir(char *dir, const char *const files[][2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* The zones parser keeps parent names; graph_finish resolves them and finds the cycle. Only the
 * zones file is judged here (interfaces/hosts may still be stubs), so the test asks only for what
 * the zones file decides. */
static void test_config_load_cycle_and_order(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "shorewall.conf", "STARTUP_ENABLED=Yes\n" },
		{ "zones", "fw firewall\nnet ipv4\na:b ipv4\nb:a ipv4\nvpn:net ipsec\n" },
		{ "interfaces", "?FORMAT 2\nnet eth0 -\n" },
		{ "policy", "all all REJECT\n" },
	};
	char *dir = write_dir(files, 4);
	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, dir);
	config_load(&c);
	assert_int_equal(count_msgs(&d, "Zone nesting cycle: a -> b -> a"), 1);
	struct zone *net = graph_find_zone(c.graph, "net");
	assert_non_null(net);
	assert_true(net->super);
	assert_true(c.graph->have_ipsec);
	assert_int_equal(c.graph->match_order.n, 5);
	assert_string_equal(c.graph->match_order.v[1]->name, "vpn");
	assert_string_equal(c.graph->match_order.v[2]->name, "net");
	compile_fini(&c);
	diag_fini(&d);
	remove_dir(dir, files, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
		T(test_parents_resolved),
		T(test_parent_declared_later),
		T(test_unknown_parent),
		T(test_firewall_parent),
		T(test_firewall_child_gets_no_parent),
		T(test_own_parent),
		T(test_type_rules_for_nesting),
		T(test_duplicate_parent),
		T(test_cycle_two),
		T(test_cycle_three_once),
		T(test_two_cycles),
		T(test_order_stable_without_nesting),
		T(test_order_subzones_first),
		T(test_order_deep_and_multi_parent),
		T(test_finish_idempotent),
		T(test_super),
		T(test_have_ipsec),
		T(test_empty_zones),
		T(test_shadow_after_superset),
		T(test_shadow_not_when_declared_first_or_nested),
		T(test_shadow_not_across_ipsec),
		T(test_shadow_between_ipsec_zones),
		T(test_shadow_ipsec_options_differ),
		T(test_shadow_partial_or_other_iface),
		T(test_shadow_exclusions_and_ranges),
		T(test_shadow_directions),
		T(test_shadow_wildcard),
		T(test_shadow_hint_for_22),
		T(test_subzone_no_common_interface),
		T(test_subzone_bridge_port_is_common),
		T(test_unused_multizone_interface),
		T(test_mixed_zone_without_ipsec_hosts),
		T(test_tunnel_in_ipsec_zone),
		T(test_no_content_warnings_after_membership_errors),
		cmocka_unit_test(test_config_load_cycle_and_order),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
