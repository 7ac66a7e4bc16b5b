/* rules_nat.c — the rules file's nat-table actions: DNAT and DNAT- (docs/compiler.md).
 *
 * Split from rules_build.c so the nat half of the rules language has a file of its own; the
 * filter half of a DNAT goes back through rules_build.c's index as a plain ACCEPT. */
#include "rules_int.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "netcheck.h"

#include <string.h>

/* ---- DNAT --------------------------------------------------------------------------------------------- */

/* DNAT SOURCE zone:addr[:port] PROTO DPORT: in the nat table, PREROUTING sends each source zone's
 * members to a Z_dnat chain (built once, after the rules) that rewrites the destination; in the
 * filter table the translated connection is accepted in the Z-D pair chain like a plain ACCEPT
 * to zone:addr. DNAT- is the nat half alone. Shorewall's ACCEPT of a port-changing DNAT, of one
 * with ORIGINAL DEST, and REDIRECT's ACCEPT, test the connection's original destination
 * (conntrack --ctorigdst/--ctorigdstport), which this compiler's IR cannot say yet: those are
 * reported rather than accepted more widely. */
static const char *nat_cols[RC_COUNT] = {
	[RC_RATE] = "RATE", [RC_USER] = "USER", [RC_MARK] = "MARK", [RC_CONNLIMIT] = "CONNLIMIT",
	[RC_TIME] = "TIME", [RC_HEADERS] = "HEADERS", [RC_SWITCH] = "SWITCH", [RC_HELPER] = "HELPER",
};

static struct ir_chain *dnat_chain(struct builder *b, struct rules_index *ix, const struct zone *z)
{
	if (!ix->dnat[z->index]) {
		ix->dnat[z->index] = ir_chain_get(b->rs, IR_NAT, arena_printf(b->c->arena, "%s_dnat", z->name));
		vec_push(b->c->arena, &ix->dnat_order, (struct zone *)z);
	}
	return ix->dnat[z->index];
}

void rules_index_nat(struct builder *b, struct rules_index *ix, const struct rule *ru, bool nat_only)
{
	struct compile *c = b->c;
	struct rule_prep ref = { .ru = ru };
	for (unsigned i = 0; i < RC_COUNT; i++) {
		if (nat_cols[i] && ru->col[i]) {
			rules_not_supported(b, &ref, "The %s column on a DNAT rule is not supported by this compiler yet",
				      nat_cols[i]);
			return;
		}
	}
	if (ru->section && strcmp(ru->section, "NEW") != 0) {
		rules_not_supported(b, &ref, "Rules in the %s section are not supported by this compiler yet", ru->section);
		return;
	}
	/* DEST: zone:address[:port] */
	struct zone_set s, d;
	rules_zone_set(b, ru->col[RC_SOURCE] ? ru->col[RC_SOURCE] : "", &s);
	rules_zone_set(b, ru->col[RC_DEST] ? ru->col[RC_DEST] : "", &d);
	struct zone *dz = NULL;
	for (size_t i = 0; i < b->g->zones.n; i++)
		if (d.in[i])
			dz = dz ? NULL : b->g->zones.v[i];
	if (!dz || d.wild || !d.rest || !*d.rest || strchr(d.rest, ',') || strchr(d.rest, '-')) {
		rules_not_supported(b, &ref, "DNAT to (%s) is not supported by this compiler yet (one zone:address)",
			      ru->col[RC_DEST] ? ru->col[RC_DEST] : "-");
		return;
	}
	const char *colon = strchr(d.rest, ':');
	const char *addr = colon ? arena_strndup(c->arena, d.rest, (size_t)(colon - d.rest)) : d.rest;
	struct ir_nat_range to = { 0 };
	if (!addr_parse_ip4(addr, &to.lo)) {
		diag_error(c->diag, &ru->loc, "Invalid IP address (%s)", addr);
		return;
	}
	to.hi = to.lo;
	if (colon) {
		unsigned v;
		if (!netcheck_port(colon + 1, "tcp", &v) || !v) {
			diag_error(c->diag, &ru->loc, "Invalid port (%s)", colon + 1);
			return;
		}
		to.plo = to.phi = (uint16_t)v;
		/* --to-destination A:port needs the rule's -p */
		if (!ru->col[RC_PROTO] || strchr(ru->col[RC_PROTO], ',')) {
			diag_error(c->diag, &ru->loc, "DNAT to a port (%s) needs one PROTO", ru->col[RC_DEST]);
			return;
		}
	}
	const char *origdest = ru->col[RC_ORIGDEST];
	struct addr_item od;
	if (origdest && (strchr(origdest, ',') || strchr(origdest, '!') || !addr_parse_item(origdest, &od, false))) {
		rules_not_supported(b, &ref, "ORIGINAL DEST (%s) is not supported by this compiler yet", origdest);
		return;
	}
	/* A server port equal to the one DEST_PORT names is no change: the filter ACCEPT can match it. */
	unsigned dport;
	bool port_change = colon && !(ru->col[RC_DPORT] && netcheck_port(ru->col[RC_DPORT], ru->col[RC_PROTO], &dport) &&
				      dport == to.plo);
	if (!nat_only && (port_change || origdest)) {
		/* see above: the ACCEPT would need the original destination */
		rules_not_supported(b, &ref, "DNAT with %s is not supported by this compiler yet (DNAT- is)",
			      port_change ? "a port change" : "ORIGINAL DEST");
		return;
	}
	/* the nat half: the rule's SOURCE qualifier, PROTO and ports, with a neutral verdict to read them */
	struct rule *nr = arena_alloc(c->arena, sizeof(*nr));
	*nr = *ru;
	nr->action = "ACCEPT";
	nr->col[RC_ORIGDEST] = NULL;
	nr->loglevel = NULL;
	struct rule_prep *x = arena_alloc(c->arena, sizeof(*x));
	memset(x, 0, sizeof(*x));
	x->ru = nr;
	x->sq = s.rest;
	if (!rules_prepare(b, x))
		return;
	if (x->s.excl.n) {
		rules_not_supported(b, x, "An exclusion in a DNAT rule's SOURCE (%s) is not supported by this compiler yet",
			      ru->col[RC_SOURCE]);
		return;
	}
	struct ir_target t;
	memset(&t, 0, sizeof(t));
	t.kind = IRT_DNAT;
	t.u.nat.to = to;
	const char *hnames[2] = { NULL, NULL };
	for (size_t zi = 0; zi < b->g->zones.n; zi++) {
		struct zone *z = b->g->zones.v[zi];
		/* a list or `all` leaves out the intra-zone pair unless it ends in `+`, as for the ACCEPT */
		if (!s.in[zi] || (s.wild && z == dz && !s.intra))
			continue;
		if (z->type == ZONE_FIREWALL) {
			if (s.wild)
				continue;
			rules_not_supported(b, x, "DNAT from the firewall (%s) is not supported by this compiler yet",
				      z->name);
			return;
		}
		struct ir_chain *ch = dnat_chain(b, ix, z);
		const struct ir_target *tp = &t;
		struct ir_target jump;
		if (ru->loglevel) {
			/* LOG, then the DNAT itself (with -p: a port in --to-destination needs it) */
			struct ir_chain *lc = ir_chain_get(b->rs, IR_NAT, arena_printf(c->arena, "~log%u", b->nlog++));
			lc->loc = ru->loc;
			build_log(b, lc, &ru->loc, ru->loglevel, ch->name, ru->action);
			struct ir_rule *r = ir_rule_append(lc, &ru->loc);
			if (x->np == 1 && x->ps[0].num)
				ir_match_proto(r, x->ps[0].num);
			ir_target_copy(r, &t);
			memset(&jump, 0, sizeof(jump));
			jump.kind = IRT_JUMP;
			jump.u.chain = lc;
			tp = &jump;
		}
		size_t ns = x->s.addrs.n ? x->s.addrs.n : 1;
		for (size_t i = 0; i < x->np; i++)
			for (size_t si = 0; si < ns; si++)
				rules_emit_one(b, ch, x, x->s.addrs.n ? x->s.addrs.v[si] : NULL, origdest ? &od : NULL,
					 &x->ps[i], tp, hnames);
	}
	if (nat_only)
		return;
	/* the filter half: ACCEPT to zone:address, unlogged (as 5.2.8: the log is the nat rule's) */
	struct rule *fr = arena_alloc(c->arena, sizeof(*fr));
	*fr = *ru;
	fr->action = "ACCEPT";
	fr->col[RC_ACTION] = "ACCEPT";
	fr->loglevel = NULL;
	fr->col[RC_DEST] = arena_printf(c->arena, "%s:%s", dz->name, addr);
	rules_index_rule(b, ix, fr);
}

/* PREROUTING: each member of a zone with DNAT rules → Z_dnat, ipsec members first, then in
 * match order (sub-zones before their parents), as the filter dispatch orders them. */
void rules_dnat_dispatch(struct builder *b, struct rules_index *ix)
{
	if (!ix->dnat_order.n)
		return;
	struct ir_chain *pre = ir_chain_get(b->rs, IR_NAT, "PREROUTING");
	for (int pass = 1; pass >= 0; pass--) {
		for (size_t zi = 0; zi < b->g->match_order.n; zi++) {
			const struct zone *z = b->g->match_order.v[zi];
			if (!ix->dnat[z->index])
				continue;
			for (size_t i = 0; i < z->hosts.n; i++) {
				const struct host *h = z->hosts.v[i];
				if (!h->iface || member_is_ipsec(b, h) != (pass == 1))
					continue;
				if (h->addrs.excl) {
					diag_error(b->c->diag, &h->loc, "DNAT from a zone member with exclusions (%s) "
						   "is not supported by this compiler yet", z->name);
					continue;
				}
				const char *dev = h->ifname ? h->ifname : h->iface->physical ? h->iface->physical
											  : h->iface->name;
				const struct addr_item *it = h->addrs.items;
				do {
					if (it && it->kind == ADDR_DYNAMIC)
						continue;
					bool any = !it || (it->kind == ADDR_NET && it->net.len == 0);
					const struct addr_item *a = any ? NULL : it;
					struct ir_rule *r = ir_rule_append(pre, &h->loc);
					ir_match_in(r, dev, false);
					member_match_in(b, r, h, a);
					ir_target_jump(r, ix->dnat[z->index]);
				} while (it && (it = it->next));
			}
		}
	}
}

