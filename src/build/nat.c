/* nat.c — masq and snat entries: nat POSTROUTING → IF_masq, one rule per address combination.
 *
 * Every entry (masq and snat alike, in file order) goes to its interface's IF_masq chain, which
 * POSTROUTING enters once per interface with `-o IF`; an entry whose DEST is the firewall goes to
 * nat INPUT instead; a pre-NAT (`ACTION+`) entry to IF_snat, entered before every IF_masq. The chain is made even for one entry: the jump keeps each interface's entries
 * together in file order, and inlining a one-rule chain is the optimizer's business.
 * docs/compiler.md "NAT and MSS"; reference §1.6. */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"

#include <string.h>

/* A column this compiler cannot honour yet: an error, never a silently wider rule. */
static bool unsupported(struct builder *b, const struct snat *e, const char *what, const char *value)
{
	if (!value)
		return false;
	diag_error(b->c->diag, &e->loc, "%s (%s) is not supported by this compiler yet", what, value);
	return true;
}

static const char *iface_dev(const struct snat *e)
{
	if (e->iface && e->iface->physical && strcmp(e->iface_name, e->iface->name) == 0)
		return e->iface->physical;
	return e->iface_name;
}

static struct ir_chain *masq_chain(struct builder *b, const struct snat *e)
{
	if (e->dest_fw)
		return ir_chain_get(b->rs, IR_NAT, "INPUT");
	const char *dev = iface_dev(e);
	/* `+` entries (pre-NAT) have IF_snat, entered before every IF_masq (build_nat's first pass) */
	const char *name = arena_printf(b->c->arena, "%s_%s", build_iface_chain_base(b, dev),
					e->prenat ? "snat" : "masq");
	struct ir_chain *ch = ir_chain_find(b->rs, IR_NAT, name);
	if (ch)
		return ch;
	ch = ir_chain_get(b->rs, IR_NAT, name);
	ch->loc = e->loc;
	struct ir_rule *j = ir_rule_append(ir_chain_get(b->rs, IR_NAT, "POSTROUTING"), &e->loc);
	ir_match_out(j, dev, false);
	ir_target_jump(j, ch);
	return ch;
}

/* The IPSEC column (docs/compiler.md): empty → plaintext only once IPsec is in use. */
static void ipsec_match(struct builder *b, struct ir_rule *r, const struct snat *e)
{
	enum ir_dir dir = e->dest_fw ? IR_DIR_IN : IR_DIR_OUT;
	switch (e->ipsec) {
	case SNAT_IPSEC_DEFAULT:
		if (b->g->have_ipsec)
			ir_match_policy(r, dir, IR_POL_NONE, NULL);
		break;
	case SNAT_IPSEC_YES:
		ir_match_policy(r, dir, IR_POL_IPSEC, NULL);
		break;
	case SNAT_IPSEC_NO:
		ir_match_policy(r, dir, IR_POL_NONE, NULL);
		break;
	case SNAT_IPSEC_OPTS:
		ir_match_policy(r, dir, IR_POL_IPSEC, e->ipsec_opts);
		break;
	}
}

/* The target, parsed once per entry; false (reported) when it cannot be built. */
static bool nat_target(struct builder *b, const struct snat *e, struct ir_target *t)
{
	memset(t, 0, sizeof(*t));
	struct ir_nat_range to;
	switch (e->action) {
	case SNAT_MASQUERADE:
		t->kind = IRT_MASQUERADE;
		t->u.nat.random = e->random;
		if (e->to) {
			if (!ir_nat_range_parse(e->to, true, &to)) {
				diag_error(b->c->diag, &e->loc, "Invalid port range (%s)", e->to);
				return false;
			}
			t->u.nat.to = to;
		}
		return true;
	case SNAT_SNAT:
		if (e->to[0] == '&' || e->to[0] == '%' || strcmp(e->to, "detect") == 0) {
			unsupported(b, e, "A run-time SNAT address", e->to);
			return false;
		}
		if (!ir_nat_range_parse(e->to, false, &to)) {
			diag_error(b->c->diag, &e->loc, "Invalid SNAT address (%s)", e->to);
			return false;
		}
		t->kind = IRT_SNAT;
		t->u.nat.to = to;
		t->u.nat.random = e->random;
		t->u.nat.persistent = e->persistent;
		return true;
	case SNAT_CONTINUE:
	case SNAT_ACCEPT:
	case SNAT_NONAT:
		t->kind = IRT_RETURN;   /* exempt: later entries for the interface are not tried */
		return true;
	case SNAT_LOG:
		t->kind = IRT_NONE;     /* the log chain's LOG is all there is */
		return true;
	}
	return false;
}

/* What Shorewall's log prefix calls each action. */
static const char *log_disposition(const struct snat *e)
{
	switch (e->action) {
	case SNAT_MASQUERADE:
		return "MASQ";
	case SNAT_SNAT:
		return "SNAT";
	case SNAT_LOG:
		return "LOG";
	default:
		return "RETURN";
	}
}

/* A logged entry jumps to a chain of its own: LOG, then the entry's target (none for LOG). */
static struct ir_chain *log_chain(struct builder *b, struct ir_chain *masq, const struct snat *e,
				  const struct ir_target *t)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_NAT, arena_printf(b->c->arena, "~log%u", b->nlog++));
	ch->loc = e->loc;
	build_log(b, ch, &e->loc, e->loglevel, masq->name, log_disposition(e));
	if (t->kind != IRT_NONE) {
		struct ir_rule *r = ir_rule_append(ch, &e->loc);
		ir_target_copy(r, t);
	}
	return ch;
}

/* -p and ports; one rule per (sport list chunk × dport list chunk). */
struct nat_ports {
	uint8_t proto;
	struct ir_portrange *dp, *sp;
	size_t ndp, nsp;
	bool dinv, sinv;
};

/* The MARK and USER columns. */
struct nat_mark {
	struct build_mark mark;
	long uid, gid;              /* USER: -1 = not tested */
	bool owner_inv;
};

static void emit_entry(struct builder *b, struct ir_chain *ch, const struct snat *e,
		       const struct ir_target *t, const struct addr_item *src, const struct addr_item *dst,
		       const struct nat_ports *np, const struct nat_mark *mk)
{
	size_t di = 0, si;
	do {
		size_t dk = np->ndp ? ir_ports_fit(np->dp + di, np->ndp - di) : 0;
		si = 0;
		do {
			size_t sk = np->nsp ? ir_ports_fit(np->sp + si, np->nsp - si) : 0;
			struct ir_rule *r = ir_rule_append(ch, &e->loc);
			if (src)
				ir_match_addr(r, IR_SRC, src, false);
			if (dst)
				ir_match_addr(r, IR_DST, dst, false);
			if (np->proto)
				ir_match_proto(r, np->proto);
			if (sk)
				ir_match_sports(r, np->sp + si, sk, np->sinv);
			if (dk)
				ir_match_dports(r, np->dp + di, dk, np->dinv);
			build_mark_match(r, &mk->mark);
			if (mk->uid >= 0 || mk->gid >= 0)
				ir_match_owner(r, mk->uid, mk->gid, mk->owner_inv);
			ipsec_match(b, r, e);
			ir_target_copy(r, t);
			si += sk;
		} while (si < np->nsp);
		di += dk;
	} while (di < np->ndp);
}

/* Exclusions (SOURCE a!b, DEST a!b): RETURN for the excluded addresses in a chain of the entry's
 * own, then the entry's target. */
static struct ir_chain *excl_chain(struct builder *b, const struct snat *e,
				   const struct ir_target *t)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_NAT, arena_printf(b->c->arena, "~excl%u", b->nexcl++));
	ch->loc = e->loc;
	for (const struct addr_item *x = e->source.excl; x; x = x->next) {
		struct ir_rule *r = ir_rule_append(ch, &e->loc);
		ir_match_addr(r, IR_SRC, x, false);
		ir_target_simple(r, IRT_RETURN);
	}
	for (const struct addr_item *x = e->dest.excl; x; x = x->next) {
		struct ir_rule *r = ir_rule_append(ch, &e->loc);
		ir_match_addr(r, IR_DST, x, false);
		ir_target_simple(r, IRT_RETURN);
	}
	struct ir_rule *r = ir_rule_append(ch, &e->loc);
	ir_target_copy(r, t);
	return ch;
}

static void build_entry(struct builder *b, const struct snat *e)
{
	bool bad = false;
	bad |= unsupported(b, e, "An interface as SOURCE", e->source_iface);
	bad |= unsupported(b, e, "The SWITCH column", e->switch_name);
	bad |= unsupported(b, e, "The ORIGDEST column", e->origdest);
	bad |= unsupported(b, e, "The PROBABILITY column", e->probability);
	struct nat_ports np = { 0 };
	if (e->proto && !ir_proto_parse(e->proto, &np.proto)) {
		diag_error(b->c->diag, &e->loc, "Invalid/Unknown protocol (%s)", e->proto);
		bad = true;
	}
	if (e->ports && !build_ports(b, &e->loc, e->ports, np.proto, &np.dp, &np.ndp, &np.dinv))
		bad = true;
	if (e->sports && !build_ports(b, &e->loc, e->sports, np.proto, &np.sp, &np.nsp, &np.sinv))
		bad = true;
	struct nat_mark mk = { .uid = -1, .gid = -1 };
	if (!build_mark(b, &e->loc, e->mark, &mk.mark))
		bad = true;
	if (e->user && e->dest_fw) {
		/* the owner match knows only locally generated packets: OUTPUT and POSTROUTING */
		diag_error(b->c->diag, &e->loc, "USER/GROUP may not be given when the DEST is $FW");
		bad = true;
	} else if (e->user && !build_owner(b, &e->loc, e->user, &mk.uid, &mk.gid, &mk.owner_inv)) {
		bad = true;
	}
	struct ir_target t;
	if (!nat_target(b, e, &t) || bad)
		return;
	struct ir_chain *ch = masq_chain(b, e);
	if (e->loglevel) {
		struct ir_chain *l = log_chain(b, ch, e, &t);
		memset(&t, 0, sizeof(t));
		t.kind = IRT_JUMP;
		t.u.chain = l;
	}
	if (e->source.excl || e->dest.excl) {
		struct ir_chain *x = excl_chain(b, e, &t);
		memset(&t, 0, sizeof(t));
		t.kind = IRT_JUMP;
		t.u.chain = x;
	}
	const struct addr_item *src = e->source.items;
	do {
		const struct addr_item *dst = e->dest.items;
		do {
			emit_entry(b, ch, e, &t, src, dst, &np, &mk);
			dst = dst ? dst->next : NULL;
		} while (dst);
		src = src ? src->next : NULL;
	} while (src);
}

void build_nat(struct builder *b)
{
	/* two passes, so that POSTROUTING's IF_snat jumps come before its IF_masq jumps */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < b->g->snats.n; i++)
			if (b->g->snats.v[i]->prenat == (pass == 0))
				build_entry(b, b->g->snats.v[i]);
}
