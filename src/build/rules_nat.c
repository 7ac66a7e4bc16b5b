/* rules_nat.c — the rules file's nat-table actions (DNAT, REDIRECT, NONAT, ACCEPT+) and ORIGINAL DEST.
 *
 * Split from rules_build.c so the nat half of the rules language has a file of its own. What
 * Shorewall 5.2.8 writes, and so what this file builds (docs/compiler.md):
 *   DNAT       nat: Z_dnat (or OUTPUT for $FW) rewrites the destination; filter: ACCEPT to the
 *              server in the Z-D pair chain, on the server's port, testing the original port
 *              (--ctorigdstport) when the port changed and ORIGINAL DEST (--ctorigdst) when given;
 *   REDIRECT   the same with REDIRECT --to-ports and the ACCEPT in Z-$FW;
 *   DNAT- REDIRECT-   the nat half alone;
 *   NONAT      nat only: ACCEPT in Z_dnat (RETURN in OUTPUT), so no later DNAT/REDIRECT applies;
 *   ACCEPT+    NONAT's nat rule plus an ordinary ACCEPT;
 *   any other action with ORIGINAL DEST: the filter rule tests --ctorigdst.
 * The nat rule carries the line's RATE, USER, MARK, CONNLIMIT and TIME; a DNAT's filter ACCEPT only
 * USER and MARK (the connection was counted and limited once, where it was translated), and is
 * never logged (the nat rule logs). */
#include "rules_int.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "netcheck.h"

#include <string.h>

enum {
	NA_DNAT = 1, NA_REDIRECT = 2,
	NA_NONAT = 4,               /* the nat table's ACCEPT/RETURN: exempt from later DNAT/REDIRECT */
	NA_ONLY = 8,                /* no filter rule */
};

static const struct keyword nat_actions[] = {  /* must stay sorted */
	{ "ACCEPT+", NA_NONAT, 0 },
	{ "DNAT", NA_DNAT, 0 },
	{ "DNAT-", NA_DNAT | NA_ONLY, 0 },
	{ "NONAT", NA_NONAT | NA_ONLY, 0 },
	{ "REDIRECT", NA_REDIRECT, 0 },
	{ "REDIRECT-", NA_REDIRECT | NA_ONLY, 0 },
};

const struct keyword *rules_nat_action_table(size_t *n)
{
	*n = KW_COUNT(nat_actions);
	return nat_actions;
}

bool rules_nat_action(const char *action)
{
	return action && KW_FIND(nat_actions, action) != NULL;
}

bool rules_nat_owns(const struct rule *ru)
{
	return rules_nat_action(ru->action) || rule_col(ru, RC_ORIGDEST);
}

/* ---- ORIGINAL DEST ------------------------------------------------------------------------------------- */

/* `a,b`, `!a,b` or `a,b!c,d`: addresses or networks (conntrack's --ctorigdst takes nothing else).
 * No column, `-` and `all` test nothing. */
struct origdest {
	VEC(const struct addr_item *) pos, excl;
};

static bool origdest_read(struct builder *b, struct rule_prep *ref, const char *text, struct origdest *o)
{
	struct compile *c = b->c;
	memset(o, 0, sizeof(*o));
	if (!text || strcmp(text, "all") == 0)
		return true;
	if (text[0] == '&' || strcmp(text, "detect") == 0) {
		rules_not_supported(b, ref, "ORIGINAL DEST (%s) is not supported by this compiler yet", text);
		return false;
	}
	const char *bang = strchr(text, '!');
	for (int part = 0; part < 2; part++) {
		const char *t = part ? (bang ? bang + 1 : NULL)
				: (bang ? arena_strndup(c->arena, text, (size_t)(bang - text)) : text);
		if (!t || !*t)
			continue;
		const char **el;
		size_t n = netcheck_split(c->arena, t, &el);
		for (size_t i = 0; i < n; i++) {
			struct addr_item *it = arena_alloc(c->arena, sizeof(*it));
			if (!addr_parse_item(el[i], it, false))
				return false;       /* the parser reported it */
			if (it->kind != ADDR_NET) {
				diag_error(c->diag, &ref->ru->loc, "ORIGINAL DEST must be an address or network (%s)", el[i]);
				return false;
			}
			if (part)
				vec_push(c->arena, &o->excl, it);
			else if (it->net.len)   /* 0.0.0.0/0: any */
				vec_push(c->arena, &o->pos, it);
		}
	}
	return true;
}

void rules_nat_matches(struct ir_rule *r, const struct rule_prep *x)
{
	const struct rule_extra *e = x->ext;
	if (e && e->od)
		ir_match_ctorigdst(r, &e->od->net, e->od_inv);
	if (e && e->odport_lo)
		ir_match_ctorigdstport(r, e->odport_lo, e->odport_hi, false);
}

void rules_nat_excl(struct ir_chain *ch, const struct rule_prep *x)
{
	for (size_t i = 0; x->ext && i < x->ext->od_excl.n; i++) {
		struct ir_rule *r = ir_rule_append(ch, &x->ru->loc);
		ir_match_ctorigdst(r, &x->ext->od_excl.v[i]->net, false);
		ir_target_simple(r, IRT_RETURN);
	}
}

/* ---- the filter half ----------------------------------------------------------------------------------- */

/* List ru under every pair its SOURCE and DEST name, once per positive original destination (one
 * excluded, none positive: `! --ctorigdst` in the rule itself; more: the ~excl chain). */
static void index_filter(struct builder *b, struct rules_index *ix, const struct rule *ru,
			 const struct origdest *od, uint16_t odlo, uint16_t odhi)
{
	struct zone_set s, d;
	struct rule_prep *x = rules_prep_read(b, ru, &s, &d);
	if (!x)
		return;
	if (odlo || od->pos.n || od->excl.n) {
		struct rule_extra *e = rules_extra(b, x);
		e->odport_lo = odlo;
		e->odport_hi = odhi;
		if (!od->pos.n && od->excl.n == 1) {
			e->od = od->excl.v[0];
			e->od_inv = true;
		} else {
			for (size_t i = 0; i < od->excl.n; i++)
				vec_push(b->c->arena, &e->od_excl, od->excl.v[i]);
		}
	}
	size_t n = od->pos.n ? od->pos.n : 1;
	for (size_t k = 0; k < n; k++) {
		struct rule_prep *y = x;
		if (od->pos.n) {
			y = rules_prep_copy(b, x);
			y->ext->od = od->pos.v[k];
		}
		rules_index_pairs(b, ix, &s, &d, y);
	}
}

/* A copy of ru for the filter half: ACCEPT, unlogged, without ORIGINAL DEST (the caller gives it
 * as data) and, for DNAT/REDIRECT, without the columns the nat rule has already applied. */
static struct rule *filter_copy(struct compile *c, const struct rule *ru, bool translated)
{
	struct rule *fr = arena_alloc(c->arena, sizeof(*fr));
	*fr = *ru;
	fr->typed = NULL;         /* its columns change: read from the text */
	fr->action = fr->col[RC_ACTION] = "ACCEPT";
	rule_set_col(c->arena, fr, RC_ORIGDEST, NULL);
	if (translated) {
		fr->loglevel = NULL;
		fr->rate = NULL;
		rule_set_col(c->arena, fr, RC_RATE, NULL);
		rule_set_col(c->arena, fr, RC_CONNLIMIT, NULL);
		rule_set_col(c->arena, fr, RC_TIME, NULL);
	}
	return fr;
}

/* ---- the nat half -------------------------------------------------------------------------------------- */

static struct ir_chain *dnat_chain(struct builder *b, struct rules_index *ix, const struct zone *z)
{
	if (z->type == ZONE_FIREWALL)
		return ir_chain_get(b->rs, IR_NAT, "OUTPUT");      /* the firewall's own connections */
	if (!ix->dnat[z->index]) {
		ix->dnat[z->index] = ir_chain_get(b->rs, IR_NAT, arena_printf(b->c->arena, "%s_dnat", z->name));
		vec_push(b->c->arena, &ix->dnat_order, (struct zone *)z);
	}
	return ix->dnat[z->index];
}

/* What one nat line builds, read once. */
struct nat_line {
	unsigned kind;              /* NA_* */
	struct zone_set s;
	const struct zone *dz;      /* DNAT: the server's zone; REDIRECT: the firewall; NONAT: NULL */
	struct ir_target t;         /* DNAT/REDIRECT/ACCEPT (RETURN in OUTPUT: see nat_rules) */
	struct origdest od;
	struct rule_prep *x;        /* the matches: SOURCE, PROTO, ports and the extra columns */
	const char *hnames[2];      /* per-address RATE tables */
};

/* The last rule of a ~log or ~excl chain: the target itself, with -p when it names a port (which
 * the kernel refuses without one). */
static void target_rule(struct ir_chain *ch, const struct rule_prep *x, const struct ir_target *t)
{
	struct ir_rule *r = ir_rule_append(ch, &x->ru->loc);
	bool port = (t->kind == IRT_DNAT || t->kind == IRT_REDIRECT) && t->u.nat.to.plo;
	if (port && x->np == 1 && x->ps[0].num)
		ir_match_proto(r, x->ps[0].num);
	ir_target_copy(r, t);
}

/* Excluded sources, destinations and original destinations: RETURN (the rule does not apply; the
 * nat chain goes on), then the rule's target. */
static struct ir_chain *nat_excl_chain(struct builder *b, const struct nat_line *n, const struct rule_prep *x,
				       const struct ir_target *t)
{
	const struct rule *ru = x->ru;
	struct ir_chain *ch = ir_chain_get(b->rs, IR_NAT, arena_printf(b->c->arena, "~excl%u", b->nexcl++));
	ch->loc = ru->loc;
	for (int side = 0; side < 3; side++) {
		const struct rule_side *sd = side == 0 ? x->s : x->d;
		size_t k = side == 2 ? n->od.excl.n : sd->nexcl;
		for (size_t i = 0; i < k; i++) {
			struct ir_rule *r = ir_rule_append(ch, &ru->loc);
			if (side == 2 && (n->kind & NA_NONAT))
				ir_match_ctorigdst(r, &n->od.excl.v[i]->net, false);
			else
				ir_match_addr(r, side == 0 ? IR_SRC : IR_DST, side == 2 ? n->od.excl.v[i] : &sd->excl[i],
					      false);
			ir_target_simple(r, IRT_RETURN);
		}
	}
	target_rule(ch, x, t);
	return ch;
}

/* Per-address rates count in a table of their own per line (Shorewall's shorewallN). */
static void rate_tables(struct builder *b, struct rules_index *ix, const struct rule *ru, struct nat_line *n)
{
	size_t k = 0;
	for (const struct rate *rt = ru->rate; rt && k < 2; rt = rt->next, k++)
		if (rt->per || rt->name)
			n->hnames[k] = rt->name ? rt->name : arena_printf(b->c->arena, "shorewall%u", ix->nhash++);
}

/* The nat rules for one source zone. */
static void nat_rules(struct builder *b, struct rules_index *ix, struct nat_line *n, const struct zone *z)
{
	struct compile *c = b->c;
	const struct rule *ru = n->x->ru;
	struct rule_prep *x = n->x;
	if (z->type == ZONE_FIREWALL && x->s->iface) {
		/* as 5.2.8: the firewall's own connections come in through no interface */
		rules_not_supported(b, x, "Source Interface (%s) not allowed when the SOURCE is the firewall", x->s->iface);
		return;
	}
	struct ir_chain *ch = dnat_chain(b, ix, z);
	struct ir_target t = n->t, jump, xjump;
	if ((n->kind & NA_NONAT) && z->type == ZONE_FIREWALL)
		t.kind = IRT_RETURN;    /* OUTPUT is a builtin: RETURN leaves the nat table as ACCEPT would */
	const struct ir_target *tp = &t;
	if (ru->loglevel) {
		/* LOG, then the target itself (with -p: a port in --to-destination needs it) */
		struct ir_chain *lc = ir_chain_get(b->rs, IR_NAT, arena_printf(c->arena, "~log%u", b->nlog++));
		lc->loc = ru->loc;
		build_log(b, lc, &ru->loc, ru->loglevel, ch->name, ru->action);
		target_rule(lc, x, &t);
		memset(&jump, 0, sizeof(jump));
		jump.kind = IRT_JUMP;
		jump.u.chain = lc;
		tp = &jump;
	}
	if (x->s->nexcl || x->d->nexcl || n->od.excl.n) {
		memset(&xjump, 0, sizeof(xjump));
		xjump.kind = IRT_JUMP;
		xjump.u.chain = nat_excl_chain(b, n, x, tp);
		tp = &xjump;
	}
	/* DNAT/REDIRECT: the original destination is the packet's own destination here (-d);
	 * NONAT/ACCEPT+: their DEST is (-d), the original one is tested as in the filter table */
	bool od_as_dst = !(n->kind & NA_NONAT);
	size_t ns = x->s->naddrs ? x->s->naddrs : 1;
	size_t nd = od_as_dst ? (n->od.pos.n ? n->od.pos.n : 1) : (x->d->naddrs ? x->d->naddrs : 1);
	size_t nod = !od_as_dst && n->od.pos.n ? n->od.pos.n : 1;
	for (size_t i = 0; i < x->np; i++)
		for (size_t si = 0; si < ns; si++)
			for (size_t di = 0; di < nd; di++)
				for (size_t k = 0; k < nod; k++) {
					const struct addr_item *sa = x->s->naddrs ? &x->s->addrs[si] : NULL, *da;
					const struct rule_prep *y = x;
					if (od_as_dst) {
						da = n->od.pos.n ? n->od.pos.v[di] : NULL;
					} else {
						da = x->d->naddrs ? &x->d->addrs[di] : NULL;
						if (n->od.pos.n) {
							struct rule_prep *w = rules_prep_copy(b, x);
							w->ext->od = n->od.pos.v[k];
							y = w;
						}
					}
					rules_emit_one(b, ch, y, sa, da, &x->ps[i], tp, n->hnames);
				}
}

/* The server column of a DNAT (`addr[-addr][:port[-port]][:random]`, `:port`) or a REDIRECT's port
 * (`port[-port]`; none: keep DEST PORT). */
static bool read_server(struct builder *b, struct rule_prep *ref, struct nat_line *n, const char *server,
			const char *port, bool random)
{
	struct compile *c = b->c;
	const struct rule *ru = ref->ru;
	struct ir_nat_range *to = &n->t.u.nat.to;
	n->t.u.nat.random = random;
	if (server && *server) {
		const char *dash = strchr(server, '-');
		char *lo = dash ? arena_strndup(c->arena, server, (size_t)(dash - server)) : (char *)server;
		if (server[0] == '&' || server[0] == '%') {
			rules_not_supported(b, ref, "A DNAT server given by interface (%s) is not supported by this compiler yet",
					    server);
			return false;
		}
		if (!addr_parse_ip4(lo, &to->lo) || (dash && !addr_parse_ip4(dash + 1, &to->hi))) {
			diag_error(c->diag, &ru->loc, "Invalid IP address (%s)", server);
			return false;
		}
		if (!dash)
			to->hi = to->lo;
		if (to->hi < to->lo) {
			diag_error(c->diag, &ru->loc, "Invalid IP range (%s)", server);
			return false;
		}
	}
	if (port && *port) {
		/* --to-destination A:port and --to-ports need the rule's -p: exactly one, with ports */
		const char *proto = ru->col[RC_PROTO];
		uint8_t pnum = 0;
		if (!proto || strchr(proto, ',') || !ir_proto_parse(proto, &pnum) || !ir_proto_has_ports(pnum)) {
			diag_error(c->diag, &ru->loc, "%s to a port (%s) needs one PROTO with ports (tcp, udp, sctp, dccp)",
				   n->kind & NA_REDIRECT ? "REDIRECT" : "DNAT", port);
			return false;
		}
		const char *pname = netcheck_proto_name(pnum);
		const char *dash = strchr(port, '-');
		char *lo = dash ? arena_strndup(c->arena, port, (size_t)(dash - port)) : (char *)port;
		unsigned vlo, vhi;
		if (!netcheck_port(lo, pname, &vlo) || !vlo || (dash && (!netcheck_port(dash + 1, pname, &vhi) || vhi < vlo))) {
			diag_error(c->diag, &ru->loc, "Invalid port (%s)", port);
			return false;
		}
		to->plo = (uint16_t)vlo;
		to->phi = (uint16_t)(dash ? vhi : vlo);
	}
	if (!to->lo && !to->plo && (n->kind & NA_DNAT)) {
		diag_error(c->diag, &ru->loc, "A server and/or port must be specified in the DEST column in %s rules",
			   ru->action);
		return false;
	}
	return true;
}

/* The one port DEST PORT(S) names (the original port a port-changing DNAT's ACCEPT tests, as
 * 5.2.8 tests it: not for a list or a range). */
static bool single_dport(const struct rule *ru, const char *pname, uint16_t *port)
{
	const char *p = ru->col[RC_DPORT];
	unsigned v;
	if (!p || strpbrk(p, ",:!") || (strspn(p, "0123456789-") == strlen(p) && strchr(p, '-')))
		return false;
	if (!netcheck_port(p, pname, &v) || !v)
		return false;
	*port = (uint16_t)v;
	return true;
}

static void index_translate(struct builder *b, struct rules_index *ix, const struct rule *ru, struct nat_line *n)
{
	struct compile *c = b->c;
	struct rule_prep ref = { .ru = ru };
	const char *dest = ru->col[RC_DEST];
	const char *server = NULL, *port = NULL;
	bool random = false;
	if (n->kind & NA_REDIRECT) {
		/* DEST: `port`, `-` (keep DEST PORT), or `$FW::port`; never an address */
		n->dz = b->g->fw;
		if (dest && !(dest[0] >= '0' && dest[0] <= '9')) {
			const char *colon = strchr(dest, ':');
			port = colon ? colon + 1 : NULL;
			if (port && *port == ':')
				port++;
		} else {
			port = dest;
		}
		if (port && strchr(port, '.')) {
			diag_error(c->diag, &ru->loc, "A server IP address (%s) may not be specified in a REDIRECT rule", port);
			return;
		}
		if (!port && ru->col[RC_DPORT] && !strpbrk(ru->col[RC_DPORT], ":,!"))
			port = ru->col[RC_DPORT];       /* REDIRECT to the port asked for */
		n->t.kind = IRT_REDIRECT;
	} else {
		struct zone_set d;
		rules_zone_set(b, dest ? dest : "", &d);
		for (size_t i = 0; i < b->g->zones.n; i++)
			if (d.in[i])
				n->dz = n->dz ? NULL : b->g->zones.v[i];
		if (!n->dz || d.wild) {
			rules_not_supported(b, &ref, "DNAT to (%s) is not supported by this compiler yet (one zone:server)",
					    dest ? dest : "-");
			return;
		}
		/* zone:server[:port][:random] — addresses hold no colon, so the first one ends the server */
		char *rest = arena_strdup(c->arena, d.rest ? d.rest : "");
		size_t len = strlen(rest);
		if (len >= 7 && strcmp(rest + len - 7, ":random") == 0) {
			random = true;
			rest[len - 7] = '\0';
		}
		char *colon = strchr(rest, ':');
		if (colon) {
			*colon = '\0';
			port = colon + 1;
		}
		server = rest;
		n->t.kind = IRT_DNAT;
	}
	if (!read_server(b, &ref, n, server, port, random))
		return;

	/* the nat half: the rule's SOURCE qualifier, PROTO, ports and extra columns, with a neutral
	 * verdict to read them */
	struct rule *nr = arena_alloc(c->arena, sizeof(*nr));
	*nr = *ru;
	nr->typed = NULL;         /* its columns change: read from the text */
	nr->action = nr->col[RC_ACTION] = "ACCEPT";
	nr->col[RC_DEST] = NULL;
	rule_set_col(c->arena, nr, RC_ORIGDEST, NULL);
	struct rule_prep *x = arena_alloc(c->arena, sizeof(*x));
	x->ru = nr;
	if (!rules_prepare(b, x, n->s.rest, NULL))
		return;
	n->x = x;
	rate_tables(b, ix, ru, n);
	nr->action = ru->action;        /* the log prefix names the nat action */
	for (size_t zi = 0; zi < b->g->zones.n; zi++) {
		const struct zone *z = b->g->zones.v[zi];
		/* a list or `all` leaves out the intra-zone pair unless it ends in `+` (REDIRECT: the
		 * firewall itself), and the pairs whose policy is NONE, as for the ACCEPT */
		if (!n->s.in[zi] || (n->s.wild && z == n->dz && !n->s.intra))
			continue;
		if (n->s.wild && z == n->dz && (n->kind & NA_REDIRECT))
			continue;
		if (n->s.wild) {
			const struct policy_cell *cell = graph_policy(b->g, z, n->dz);
			if (cell && cell->policy && cell->policy->kind == POL_NONE)
				continue;
		}
		nat_rules(b, ix, n, z);
	}
	if ((n->kind & NA_ONLY) || x->reported)
		return;     /* nat only, or reported: the filter half would report it again */

	/* the filter half: ACCEPT to the server (REDIRECT: the firewall) on the port it now has */
	struct rule *fr = filter_copy(c, ru, true);
	const struct ir_nat_range *to = &n->t.u.nat.to;
	char lo[16], hi[16];
	if (to->lo) {
		ip4_format(to->lo, lo, sizeof(lo));
		ip4_format(to->hi, hi, sizeof(hi));
		fr->col[RC_DEST] = to->hi != to->lo ? arena_printf(c->arena, "%s:%s-%s", n->dz->name, lo, hi)
						    : arena_printf(c->arena, "%s:%s", n->dz->name, lo);
	} else {
		fr->col[RC_DEST] = n->dz->name;
	}
	uint16_t olo = 0, ohi = 0;
	if (to->plo) {
		uint8_t pnum = 0;
		ir_proto_parse(ru->col[RC_PROTO], &pnum);
		uint16_t dport;
		/* a changed port: the ACCEPT is for the server's port, reached through this translation */
		if (single_dport(ru, netcheck_proto_name(pnum), &dport) && (dport != to->plo || dport != to->phi))
			olo = ohi = dport;
		fr->col[RC_DPORT] = to->phi != to->plo ? arena_printf(c->arena, "%u:%u", to->plo, to->phi)
						      : arena_printf(c->arena, "%u", to->plo);
	}
	index_filter(b, ix, fr, &n->od, olo, ohi);
}

static void index_nonat(struct builder *b, struct rules_index *ix, const struct rule *ru, struct nat_line *n)
{
	struct compile *c = b->c;
	struct zone_set d;
	rules_zone_set(b, ru->col[RC_DEST] ? ru->col[RC_DEST] : "", &d);
	bool zoned = false;
	for (size_t i = 0; i < b->g->zones.n; i++)
		zoned |= d.in[i];
	/* DEST: a zone, zone:addresses, or (NONAT) addresses alone; no interface */
	const char *dq = zoned ? d.rest : ru->col[RC_DEST];
	struct rule *nr = arena_alloc(c->arena, sizeof(*nr));
	*nr = *ru;
	nr->typed = NULL;         /* its columns change: read from the text */
	nr->action = nr->col[RC_ACTION] = "ACCEPT";
	rule_set_col(c->arena, nr, RC_ORIGDEST, NULL);
	nr->loglevel = NULL;
	struct rule_prep *x = arena_alloc(c->arena, sizeof(*x));
	x->ru = nr;
	if (!rules_prepare(b, x, n->s.rest, dq))
		return;
	if (x->d->iface) {
		diag_error(c->diag, &ru->loc, "Invalid DEST (%s) in %s rule", dq, ru->action);
		return;
	}
	if (!n->od.pos.n && n->od.excl.n == 1) {
		struct rule_extra *e = rules_extra(b, x);
		e->od = n->od.excl.v[0];
		e->od_inv = true;
		n->od.excl.n = 0;
	}
	n->x = x;
	n->t.kind = IRT_ACCEPT;
	rate_tables(b, ix, ru, n);
	nr->loglevel = ru->loglevel;
	nr->action = ru->action;
	for (size_t zi = 0; zi < b->g->zones.n; zi++)
		if (n->s.in[zi])
			nat_rules(b, ix, n, b->g->zones.v[zi]);
	if ((n->kind & NA_ONLY) || x->reported)
		return;
	/* ACCEPT+: and an ordinary ACCEPT, the original destination tested as given */
	struct origdest od;
	if (origdest_read(b, x, rule_col(ru, RC_ORIGDEST), &od))
		index_filter(b, ix, filter_copy(c, ru, false), &od, 0, 0);
}

void rules_index_nat(struct builder *b, struct rules_index *ix, const struct rule *ru)
{
	struct compile *c = b->c;
	const struct keyword *k = ru->action ? KW_FIND(nat_actions, ru->action) : NULL;
	struct rule_prep ref = { .ru = ru };
	struct nat_line *n = arena_alloc(c->arena, sizeof(*n));
	memset(n, 0, sizeof(*n));
	if (!origdest_read(b, &ref, rule_col(ru, RC_ORIGDEST), &n->od))
		return;
	if (!k) {
		/* any other action with ORIGINAL DEST: the filter rule tests it */
		struct rule *fr = arena_alloc(c->arena, sizeof(*fr));
		*fr = *ru;
		fr->typed = NULL;         /* its columns change: read from the text */
		rule_set_col(c->arena, fr, RC_ORIGDEST, NULL);
		index_filter(b, ix, fr, &n->od, 0, 0);
		return;
	}
	n->kind = (unsigned)k->value;
	rules_zone_set(b, ru->col[RC_SOURCE] ? ru->col[RC_SOURCE] : "", &n->s);
	if (n->kind & NA_NONAT)
		index_nonat(b, ix, ru, n);
	else
		index_translate(b, ix, ru, n);
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
