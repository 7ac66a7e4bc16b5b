/* walk.c — the netfilter path of explain's packet through the compiled IR: the hooks in kernel
 * order, each builtin chain rule by rule, jumps and gotos on a call stack, RETURN and the end of
 * a user chain back to the caller, a builtin chain's end to its policy; NAT rewrites the packet
 * that later hooks see, and the routing decision follows nat PREROUTING (or OUTPUT). */
#include "explain.h"

#include "compile.h"

#include <string.h>

enum { XP_MAX_DEPTH = 64, XP_MAX_STEPS = 200000 };

static const char *const hook_chain[XH_COUNT] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
};

const char *xp_hook_name(enum xp_hook h)
{
	return h < XH_COUNT ? hook_chain[h] : "?";
}

enum chain_result { CR_ACCEPT, CR_FINAL };

static struct xp_step *step(struct explain *e, enum xp_step_kind k, unsigned depth,
			    const struct ir_chain *ch, const struct ir_rule *r, const char *text)
{
	struct xp_step s = { .kind = k, .depth = depth, .chain = ch, .rule = r, .text = text };
	vec_push(e->a, &e->steps, s);
	return &e->steps.v[e->steps.n - 1];
}

/* Does every match of r hold? Assumptions made on the way are noted on the step (if it matches). */
static bool rule_matches(struct explain *e, enum xp_hook h, const struct ir_rule *r,
			 const char **notes, size_t *nnotes, size_t max, const char **why_not)
{
	struct ir_canon it;
	const char *note = NULL;
	struct xp_ctx x = {
		.e = e, .p = &e->cur, .hook = h,
		.local_dst = e->to_fw, .local_src = e->from_fw, .note = &note,
	};
	*nnotes = 0;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); ) {
		note = NULL;
		bool ok = xp_match(&x, m);
		if (note) {
			size_t i;
			for (i = 0; i < *nnotes && strcmp(notes[i], note) != 0; i++)
				;
			if (i == *nnotes && *nnotes < max)
				notes[(*nnotes)++] = note;
		}
		if (!ok) {
			/* the assumption decided that the rule does not apply: that matters too */
			if (note)
				xp_note(e, "%s", note);
			const char *name = ir_match_desc(m->kind)->name;
			*why_not = note ? arena_printf(e->a, "%s (assumed)", name) : name;
			return false;
		}
	}
	return true;
}

static void apply_nat(struct explain *e, const struct ir_rule *r, unsigned depth)
{
	struct xp_packet *p = &e->cur;
	const struct ir_target *t = &r->target;
	char a1[20], a2[20];
	const char *text = NULL;
	switch (t->kind) {
	case IRT_DNAT:
		if (t->u.nat.to.lo) {
			p->dst = t->u.nat.to.lo;
			p->dst_known = true;
		}
		if (t->u.nat.to.plo)
			p->dport = t->u.nat.to.plo;
		p->ctstate |= IR_CT_DNAT;
		text = t->u.nat.to.plo ? arena_printf(e->a, "DNAT to %s:%u", ip4_format(p->dst, a1, sizeof(a1)), p->dport)
				       : arena_printf(e->a, "DNAT to %s", ip4_format(p->dst, a1, sizeof(a1)));
		if (t->u.nat.to.hi > t->u.nat.to.lo)
			xp_note(e, "DNAT to a range: the first address (%s) is assumed", a1);
		e->dnat_text = text;
		break;
	case IRT_REDIRECT: {
		uint32_t a;
		if (xp_fw_addr_of(e, p->in, &a)) {
			p->dst = a;
			p->dst_known = true;
		} else {
			p->dst_known = false;
		}
		e->to_fw = true;
		if (t->u.nat.to.plo)
			p->dport = t->u.nat.to.plo;
		p->ctstate |= IR_CT_DNAT;
		text = arena_printf(e->a, "REDIRECT to the firewall, port %u", p->dport);
		e->dnat_text = text;
		break;
	}
	case IRT_SNAT:
		if (t->u.nat.to.lo) {
			p->src = t->u.nat.to.lo;
			p->src_known = true;
		}
		if (t->u.nat.to.plo)
			p->sport = t->u.nat.to.plo;
		p->ctstate |= IR_CT_SNAT;
		text = arena_printf(e->a, "SNAT source %s", ip4_format(p->src, a1, sizeof(a1)));
		e->snat_text = text;
		break;
	case IRT_MASQUERADE: {
		uint32_t a;
		if (xp_fw_addr_of(e, p->out, &a)) {
			p->src = a;
			p->src_known = true;
			text = arena_printf(e->a, "MASQUERADE source %s (%s's address)", ip4_format(a, a1, sizeof(a1)), p->out);
		} else {
			text = arena_printf(e->a, "MASQUERADE source = %s's address", p->out ? p->out : "the outgoing interface");
		}
		p->ctstate |= IR_CT_SNAT;
		e->snat_text = text;
		break;
	}
	default:
		return;
	}
	(void)a2;
	step(e, XS_NAT, depth, r->chain, r, text);
}

static void apply_mark(struct explain *e, const struct ir_rule *r, unsigned depth)
{
	const struct ir_target *t = &r->target;
	uint32_t *v = t->kind == IRT_MARK ? &e->cur.mark : &e->cur.connmark;
	switch (t->u.mark.op) {
	case IR_MARK_SET: *v = (*v & ~t->u.mark.mask) ^ t->u.mark.value; break;
	case IR_MARK_AND: *v &= t->u.mark.value; break;
	case IR_MARK_OR: *v |= t->u.mark.value; break;
	case IR_MARK_XOR: *v ^= t->u.mark.value; break;
	case IR_MARK_SAVE: e->cur.connmark = (e->cur.connmark & ~t->u.mark.mask) | (e->cur.mark & t->u.mark.mask); break;
	case IR_MARK_RESTORE: e->cur.mark = (e->cur.mark & ~t->u.mark.mask) | (e->cur.connmark & t->u.mark.mask); break;
	}
	step(e, XS_MARK, depth, r->chain, r, arena_printf(e->a, "mark 0x%x, connmark 0x%x", e->cur.mark, e->cur.connmark));
}

static void decide(struct explain *e, enum ir_table t, enum xp_verdict v, const struct ir_rule *r,
		   const struct ir_chain *ch)
{
	if (v == XV_ACCEPT && t != IR_FILTER && e->decider_chain)
		return;         /* the filter table's ACCEPT explains an accepted packet best */
	e->verdict = v;
	e->decider = r;
	e->decider_chain = ch;
}

/* Walk the builtin chain of table t at hook h. */
static enum chain_result run_hook(struct explain *e, enum ir_table t, enum xp_hook h)
{
	const struct ir_chain *ch = ir_chain_find(e->rs, t, hook_chain[h]);
	if (!ch || (ch->rules.n == 0 && ch->policy != IR_POLICY_DROP))
		return CR_ACCEPT;
	step(e, XS_HOOK, 0, ch, NULL, xp_hook_name(h));
	struct frame { const struct ir_chain *ch; size_t i; } stack[XP_MAX_DEPTH];
	unsigned depth = 0;
	struct frame cur = { ch, 0 };
	const char *notes[8];
	size_t nnotes;
	while (e->steps.n < XP_MAX_STEPS) {
		if (cur.i >= cur.ch->rules.n) {
			if (cur.ch->builtin) {
				bool drop = cur.ch->policy == IR_POLICY_DROP;
				step(e, XS_POLICY, depth, cur.ch, NULL, drop ? "DROP" : "ACCEPT");
				decide(e, t, drop ? XV_DROP : XV_ACCEPT, NULL, cur.ch);
				return drop ? CR_FINAL : CR_ACCEPT;
			}
			step(e, XS_RETURN, depth, cur.ch, NULL, NULL);
			cur = stack[--depth];
			continue;
		}
		const struct ir_rule *r = cur.ch->rules.v[cur.i++];
		const char *why_not = NULL;
		if (!rule_matches(e, h, r, notes, &nnotes, 8, &why_not)) {
			if (e->req.verbose)
				step(e, XS_SKIP, depth, cur.ch, r, why_not);
			continue;
		}
		for (size_t i = 0; i < nnotes; i++)
			xp_note(e, "%s", notes[i]);
		const struct ir_target *tg = &r->target;
		struct xp_step *s;
		switch (tg->kind) {
		case IRT_NONE:
			continue;
		case IRT_LOG:
		case IRT_NFLOG:
		case IRT_TCPMSS:
			s = step(e, XS_RULE, depth, cur.ch, r, NULL);
			for (size_t i = 0; i < nnotes; i++)
				vec_push(e->a, &s->notes, notes[i]);
			continue;
		case IRT_MARK:
		case IRT_CONNMARK:
			apply_mark(e, r, depth);
			continue;
		case IRT_NOTRACK:
			step(e, XS_RULE, depth, cur.ch, r, NULL);
			e->cur.ctstate = IR_CT_UNTRACKED;
			continue;
		default:
			break;
		}
		s = step(e, XS_RULE, depth, cur.ch, r, NULL);
		for (size_t i = 0; i < nnotes; i++)
			vec_push(e->a, &s->notes, notes[i]);
		switch (tg->kind) {
		case IRT_ACCEPT:
			decide(e, t, XV_ACCEPT, r, cur.ch);
			return CR_ACCEPT;
		case IRT_DROP:
			decide(e, t, XV_DROP, r, cur.ch);
			return CR_FINAL;
		case IRT_REJECT:
			decide(e, t, XV_REJECT, r, cur.ch);
			e->reject_with = tg->u.reject.with;
			return CR_FINAL;
		case IRT_QUEUE:
		case IRT_NFQUEUE:
			decide(e, t, XV_QUEUE, r, cur.ch);
			e->queue_num = tg->u.queue.num;
			e->queue_bypass = tg->u.queue.bypass;
			return CR_FINAL;
		case IRT_RETURN:
			if (cur.ch->builtin) {
				cur.i = cur.ch->rules.n;        /* the policy decides */
				continue;
			}
			step(e, XS_RETURN, depth, cur.ch, NULL, NULL);
			cur = stack[--depth];
			continue;
		case IRT_JUMP:
			if (depth + 1 >= XP_MAX_DEPTH) {
				e->failed = true;
				return CR_FINAL;
			}
			stack[depth++] = cur;
			cur = (struct frame){ tg->u.chain, 0 };
			step(e, XS_ENTER, depth, cur.ch, NULL, "jump");
			continue;
		case IRT_GOTO:
			cur = (struct frame){ tg->u.chain, 0 };
			step(e, XS_ENTER, depth, cur.ch, NULL, "goto");
			continue;
		case IRT_MASQUERADE:
		case IRT_SNAT:
		case IRT_DNAT:
		case IRT_REDIRECT:
			apply_nat(e, r, depth);
			return CR_ACCEPT;
		default:
			continue;
		}
	}
	e->failed = true;
	return CR_FINAL;
}

/* The routing decision after PREROUTING (or before OUTPUT): for the firewall, or out of which
 * interface. False when the interface cannot be told. */
static bool route(struct explain *e)
{
	struct xp_packet *p = &e->cur;
	char buf[20];
	/* for the firewall: named so, or one of its addresses; after a DNAT the new address decides */
	bool local = e->to_fw || (p->dst_known && xp_is_fw_addr(e, p->dst));
	if ((p->ctstate & IR_CT_DNAT) && p->dst_known && !(e->pkt.dst_known && p->dst == e->pkt.dst))
		local = xp_is_fw_addr(e, p->dst);
	if (local) {
		e->to_fw = true;
		p->out = NULL;
		step(e, XS_ROUTE, 0, NULL, NULL, arena_printf(e->a, "%s is the firewall's: INPUT",
			p->dst_known ? ip4_format(p->dst, buf, sizeof(buf)) : "the destination"));
		return true;
	}
	e->to_fw = false;
	const char *why = e->out_why ? e->out_why : "--out";
	/* the DST zone's interface no longer holds once a DNAT sent the packet elsewhere */
	bool zone_out = e->out_why && !((p->ctstate & IR_CT_DNAT) && p->dst_known && p->dst != e->pkt.dst);
	if (e->req.out && (!e->out_why || zone_out))
		p->out = e->req.out;
	else if (p->dst_known)
		p->out = xp_route_lookup(e, p->dst, &why);
	if (!p->out) {
		fprintf(stderr, "shorewall explain: cannot tell which interface the packet leaves by: give --out IFACE\n");
		e->failed = true;
		return false;
	}
	if (e->from_fw && !p->src_known) {
		uint32_t a;
		if (xp_fw_addr_of(e, p->out, &a)) {
			p->src = a;
			p->src_known = true;
			e->pkt.src = a;
			e->pkt.src_known = true;
		}
	}
	step(e, XS_ROUTE, 0, NULL, NULL, arena_printf(e->a, "%s%s out of %s (%s)",
		p->dst_known ? ip4_format(p->dst, buf, sizeof(buf)) : "the destination",
		e->from_fw ? " is sent" : " is forwarded", p->out, why ? why : "route"));
	return true;
}

void xp_walk(struct explain *e)
{
	e->cur = e->pkt;
	e->verdict = XV_ACCEPT;
#define HOOK(t, h) do { if (run_hook(e, t, h) == CR_FINAL) return; } while (0)
#define NEW() (e->cur.ctstate & IR_CT_NEW)
	if (!e->from_fw) {
		HOOK(IR_RAW, XH_PREROUTING);
		HOOK(IR_MANGLE, XH_PREROUTING);
		if (NEW())
			HOOK(IR_NAT, XH_PREROUTING);
		if (!route(e))
			return;
		if (e->to_fw) {
			HOOK(IR_MANGLE, XH_INPUT);
			HOOK(IR_FILTER, XH_INPUT);
			if (NEW())
				HOOK(IR_NAT, XH_INPUT);
			return;
		}
		HOOK(IR_MANGLE, XH_FORWARD);
		HOOK(IR_FILTER, XH_FORWARD);
	} else {
		if (!route(e))
			return;
		HOOK(IR_RAW, XH_OUTPUT);
		HOOK(IR_MANGLE, XH_OUTPUT);
		if (NEW()) {
			uint32_t before = e->cur.dst;
			HOOK(IR_NAT, XH_OUTPUT);
			if (e->cur.dst != before && !route(e))
				return;
		}
		HOOK(IR_FILTER, XH_OUTPUT);
	}
	HOOK(IR_MANGLE, XH_POSTROUTING);
	if (NEW())
		HOOK(IR_NAT, XH_POSTROUTING);
#undef HOOK
#undef NEW
}
