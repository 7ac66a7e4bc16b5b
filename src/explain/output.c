/* output.c — explain's result for people (an indented trace) and as YAML (libyaml), both from
 * the same steps: the chains entered, the rules that matched, the decider with its file:line,
 * the verdict, NAT, and the assumptions that mattered. */
#include "explain.h"
#include "yaml_write.h"

#include <stdlib.h>
#include <string.h>

const char *xp_loc_text(struct arena *a, const struct loc *loc)
{
	if (!loc || !loc->file)
		return NULL;
	const char *base = strrchr(loc->file, '/');
	base = base ? base + 1 : loc->file;
	if (loc->line == LOC_EOF)
		return arena_printf(a, "%s (EOF)", base);
	if (loc->line == 0)
		return arena_strdup(a, base);
	return arena_printf(a, "%s (line %u)", base, loc->line);
}

/* The rule as iptables would list it, without the chain. */
static const char *rule_text(struct arena *a, const struct ir_rule *r)
{
	struct ir_argv argv;
	ir_argv_init(&argv);
	ir_argv_render(&argv, r);
	size_t len = 1;
	for (size_t i = 0; i < argv.n; i++)
		len += strlen(argv.v[i]) + 3;
	char *buf = arena_alloc(a, len), *w = buf;
	for (size_t i = 0; i < argv.n; i++) {
		bool quote = strchr(argv.v[i], ' ') || !*argv.v[i];
		w += sprintf(w, i ? (quote ? " \"%s\"" : " %s") : (quote ? "\"%s\"" : "%s"), argv.v[i]);
	}
	*w = '\0';
	ir_argv_fini(&argv);
	return buf;
}

const char *xp_verdict_text(const struct explain *e, struct arena *a)
{
	switch (e->verdict) {
	case XV_ACCEPT: return "ACCEPT";
	case XV_DROP: return "DROP";
	case XV_REJECT: return arena_printf(a, "REJECT(%s)", ir_reject_name(e->reject_with));
	case XV_QUEUE: return arena_printf(a, "QUEUE(%u)", e->queue_num);
	}
	return "?";
}

/* The configuration line behind the verdict: the decider's, else (a shared helper chain such as
 * `reject`, a builtin policy) the nearest rule before it on the path that has one. */
static const struct loc *decider_loc(const struct explain *e)
{
	size_t i = e->steps.n;
	if (e->decider) {
		if (e->decider->loc.file)
			return &e->decider->loc;
		while (i > 0 && e->steps.v[i - 1].rule != e->decider)
			i--;
		if (i > 0)
			i--;
	}
	while (i > 0) {
		const struct xp_step *s = &e->steps.v[--i];
		if (s->kind == XS_RULE && s->rule->loc.file)
			return &s->rule->loc;
		if (s->kind == XS_HOOK)
			break;
	}
	return NULL;
}

static void addr_text(char *buf, size_t len, uint32_t a, bool known)
{
	if (known)
		ip4_format(a, buf, len);
	else
		snprintf(buf, len, "unknown");
}

static const char *proto_text(struct arena *a, const struct xp_packet *p)
{
	const char *name = ir_proto_name(p->proto);
	const char *pn = name ? name : arena_printf(a, "%u", p->proto);
	if (p->proto == 1)
		return arena_printf(a, "icmp type %u code %u", p->icmp_type, p->icmp_code);
	if (ir_proto_has_ports(p->proto))
		return arena_printf(a, "%s %u -> %u", pn, p->sport, p->dport);
	return pn;
}

void xp_print(const struct explain *e, FILE *out)
{
	struct arena *a = e->a;
	char s[20], d[20];
	const struct xp_packet *p = &e->pkt;
	addr_text(s, sizeof(s), p->src, p->src_known);
	addr_text(d, sizeof(d), p->dst, p->dst_known);
	if (e->from_fw && !p->src_known)
		snprintf(s, sizeof(s), "the firewall");
	if (e->to_fw && !p->dst_known)
		snprintf(d, sizeof(d), "the firewall");
	fprintf(out, "packet: %s%s%s -> %s%s%s, %s, %s\n", s,
		e->src_zone ? " (zone " : "", e->src_zone ? arena_printf(a, "%s)", e->src_zone) : "",
		d, e->dst_zone ? " (zone " : "", e->dst_zone ? arena_printf(a, "%s)", e->dst_zone) : "",
		proto_text(a, p), p->ctstate & IR_CT_ESTABLISHED ? "established" : "new");
	fprintf(out, "  in %s, out %s", p->in ? p->in : "- (the firewall's own)",
		e->to_fw ? "- (for the firewall)" : e->cur.out ? e->cur.out : "?");
	if (p->sa_in.present)
		fprintf(out, ", arrived through an SA");
	if (p->sa_out.present)
		fprintf(out, ", leaves through an SA");
	fprintf(out, "\n\n");
	for (size_t i = 0; i < e->steps.n; i++) {
		const struct xp_step *st = &e->steps.v[i];
		int ind = 2 * (int)st->depth + 2;
		switch (st->kind) {
		case XS_HOOK:
			fprintf(out, "%s %s\n", ir_table_name(st->chain->table), st->chain->name);
			break;
		case XS_ROUTE:
			fprintf(out, "routing: %s\n", st->text);
			break;
		case XS_RULE: {
			const char *loc = xp_loc_text(a, &st->rule->loc);
			fprintf(out, "%*s%s%s%s%s\n", ind, "", rule_text(a, st->rule), loc ? "    [" : "",
				loc ? loc : "", loc ? "]" : "");
			break;
		}
		case XS_SKIP: {
			const char *loc = xp_loc_text(a, &st->rule->loc);
			fprintf(out, "%*s(no: %s) %s%s%s%s\n", ind, "", st->text, rule_text(a, st->rule),
				loc ? "    [" : "", loc ? loc : "", loc ? "]" : "");
			break;
		}
		case XS_ENTER:
			fprintf(out, "%*s%s:\n", ind - 2, "", st->chain->name);
			break;
		case XS_RETURN:
			fprintf(out, "%*s(end of %s: back to the caller)\n", ind, "", st->chain->name);
			break;
		case XS_POLICY:
			fprintf(out, "%*s(end of %s: policy %s)\n", ind, "", st->chain->name, st->text);
			break;
		case XS_NAT:
		case XS_MARK:
			fprintf(out, "%*s=> %s\n", ind, "", st->text);
			break;
		}
	}
	fprintf(out, "\nverdict: %s", xp_verdict_text(e, a));
	if (e->verdict == XV_QUEUE)
		fprintf(out, " (%s when no program listens)", e->queue_bypass ? "ACCEPT" : "DROP");
	fprintf(out, "\n");
	const struct loc *loc = decider_loc(e);
	if (e->decider)
		fprintf(out, "decided by: %s: %s%s%s\n", e->decider_chain->name, rule_text(a, e->decider),
			loc ? "    " : "", loc ? arena_printf(a, "[%s]", xp_loc_text(a, loc)) : "");
	/* a dispatch rule that accepts at once does so for the zone pair's ACCEPT policy */
	if (e->decider && e->decider->why && e->decider->why->file)
		fprintf(out, "  for the zone pair's policy    [%s]\n", xp_loc_text(a, e->decider->why));
	if (!e->decider && e->decider_chain)
		fprintf(out, "decided by: the policy of %s %s%s%s\n", ir_table_name(e->decider_chain->table),
			e->decider_chain->name, loc ? "    " : "", loc ? arena_printf(a, "[%s]", xp_loc_text(a, loc)) : "");
	if (e->dnat_text)
		fprintf(out, "nat: %s\n", e->dnat_text);
	if (e->snat_text && e->verdict == XV_ACCEPT)
		fprintf(out, "nat: %s\n", e->snat_text);
	if (e->notes.n) {
		fprintf(out, "assumptions:\n");
		for (size_t i = 0; i < e->notes.n; i++)
			fprintf(out, "  - %s\n", e->notes.v[i]);
	}
}

/* ---- YAML ------------------------------------------------------------------------------------- */

static void y_loc(struct yw *y, const char *key, const struct loc *loc)
{
	if (!loc || !loc->file)
		return;
	yw_key(y, key);
	yw_map(y, true);
	const char *base = strrchr(loc->file, '/');
	yw_kv_str(y, "file", base ? base + 1 : loc->file);
	if (loc->line && loc->line != LOC_EOF)
		yw_kv_int(y, "line", loc->line);
	yw_map_end(y);
}

int xp_print_yaml(const struct explain *e, FILE *out)
{
	struct arena *a = e->a;
	struct yw y;
	char buf[20];
	if (!yw_begin(&y, out, false)) {
		fprintf(stderr, "ERROR: cannot initialise the YAML emitter\n");
		return -1;
	}
	yw_map(&y, false);
	const struct xp_packet *p = &e->pkt;
	yw_key(&y, "packet");
	yw_map(&y, false);
	yw_kv_str(&y, "src", p->src_known ? ip4_format(p->src, buf, sizeof(buf)) : NULL);
	if (e->src_zone)
		yw_kv_str(&y, "src_zone", e->src_zone);
	yw_kv_str(&y, "dst", p->dst_known ? ip4_format(p->dst, buf, sizeof(buf)) : NULL);
	if (e->dst_zone)
		yw_kv_str(&y, "dst_zone", e->dst_zone);
	const char *pn = ir_proto_name(p->proto);
	yw_kv_str(&y, "proto", pn ? pn : arena_printf(a, "%u", p->proto));
	if (ir_proto_has_ports(p->proto)) {
		yw_kv_int(&y, "sport", p->sport);
		yw_kv_int(&y, "dport", p->dport);
	}
	if (p->proto == 1) {
		yw_kv_int(&y, "icmp_type", p->icmp_type);
		yw_kv_int(&y, "icmp_code", p->icmp_code);
	}
	yw_kv_str(&y, "state", p->ctstate & IR_CT_ESTABLISHED ? "established" : "new");
	yw_kv_str(&y, "in", p->in);
	yw_kv_str(&y, "out", e->to_fw ? NULL : e->cur.out);
	yw_key(&y, "ipsec_in");
	yw_bool(&y, p->sa_in.present);
	yw_key(&y, "ipsec_out");
	yw_bool(&y, p->sa_out.present);
	yw_map_end(&y);

	yw_key(&y, "path");
	yw_seq(&y, false);
	for (size_t i = 0; i < e->steps.n; i++) {
		const struct xp_step *st = &e->steps.v[i];
		yw_map(&y, true);
		switch (st->kind) {
		case XS_HOOK:
			yw_kv_str(&y, "hook", st->chain->name);
			yw_kv_str(&y, "table", ir_table_name(st->chain->table));
			break;
		case XS_ROUTE:
			yw_kv_str(&y, "route", st->text);
			break;
		case XS_RULE:
			yw_kv_str(&y, "chain", st->chain->name);
			yw_kv_str(&y, "rule", rule_text(a, st->rule));
			y_loc(&y, "loc", &st->rule->loc);
			break;
		case XS_SKIP:
			yw_kv_str(&y, "chain", st->chain->name);
			yw_kv_str(&y, "rule", rule_text(a, st->rule));
			y_loc(&y, "loc", &st->rule->loc);
			yw_kv_str(&y, "no_match", st->text);
			break;
		case XS_ENTER:
			yw_kv_str(&y, "enter", st->chain->name);
			yw_kv_str(&y, "by", st->text);
			break;
		case XS_RETURN:
			yw_kv_str(&y, "return", st->chain->name);
			break;
		case XS_POLICY:
			yw_kv_str(&y, "policy", st->text);
			yw_kv_str(&y, "chain", st->chain->name);
			break;
		case XS_NAT:
			yw_kv_str(&y, "nat", st->text);
			break;
		case XS_MARK:
			yw_kv_str(&y, "mark", st->text);
			break;
		}
		yw_kv_int(&y, "depth", st->depth);
		yw_map_end(&y);
	}
	yw_seq_end(&y);
	yw_kv_str(&y, "verdict", e->verdict == XV_REJECT ? "REJECT" : e->verdict == XV_QUEUE ? "QUEUE"
		 : xp_verdict_text(e, a));
	if (e->verdict == XV_REJECT)
		yw_kv_str(&y, "reject_with", ir_reject_name(e->reject_with));
	if (e->verdict == XV_QUEUE) {
		yw_kv_int(&y, "queue", e->queue_num);
		yw_kv_str(&y, "without_listener", e->queue_bypass ? "ACCEPT" : "DROP");
	}
	if (e->decider_chain) {
		yw_key(&y, "decided_by");
		yw_map(&y, false);
		yw_kv_str(&y, "chain", e->decider_chain->name);
		yw_kv_str(&y, "table", ir_table_name(e->decider_chain->table));
		yw_kv_str(&y, "rule", e->decider ? rule_text(a, e->decider) : NULL);
		y_loc(&y, "loc", decider_loc(e));
		if (e->decider && e->decider->why && e->decider->why->file)
			y_loc(&y, "policy_loc", e->decider->why);
		yw_map_end(&y);
	}
	if (e->dnat_text)
		yw_kv_str(&y, "dnat", e->dnat_text);
	if (e->snat_text && e->verdict == XV_ACCEPT)
		yw_kv_str(&y, "snat", e->snat_text);
	if (e->verdict == XV_ACCEPT) {
		/* the packet as the receiver sees it, after every NAT */
		const struct xp_packet *c = &e->cur;
		yw_key(&y, "delivered");
		yw_map(&y, true);
		yw_kv_str(&y, "src", c->src_known ? ip4_format(c->src, buf, sizeof(buf)) : NULL);
		yw_kv_str(&y, "dst", c->dst_known ? ip4_format(c->dst, buf, sizeof(buf)) : NULL);
		if (ir_proto_has_ports(c->proto)) {
			yw_kv_int(&y, "sport", c->sport);
			yw_kv_int(&y, "dport", c->dport);
		}
		yw_kv_str(&y, "to", e->to_fw ? "firewall" : c->out);
		yw_map_end(&y);
	}
	yw_key(&y, "assumptions");
	yw_seq(&y, false);
	for (size_t i = 0; i < e->notes.n; i++)
		yw_str(&y, e->notes.v[i]);
	yw_seq_end(&y);
	yw_map_end(&y);
	if (yw_end(&y)) {
		fprintf(stderr, "ERROR: cannot write the YAML document\n");
		return -1;
	}
	return 0;
}
