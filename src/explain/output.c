/* output.c — explain's result for people (an indented trace) and as YAML (libyaml), both from
 * the same steps: the chains entered, the rules that matched, the decider with its file:line,
 * the verdict, NAT, and the assumptions that mattered. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

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
	else if (e->decider_chain)
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

struct yw {
	yaml_emitter_t em;
	bool failed;
};

static void yw_emit(struct yw *y, yaml_event_t *ev, int ok)
{
	if (!ok) {
		y->failed = true;
		return;
	}
	if (y->failed || !yaml_emitter_emit(&y->em, ev))
		y->failed = true;
}

static void y_scalar(struct yw *y, const char *s, bool plain)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
						     plain ? YAML_PLAIN_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE));
}

/* Strings that a YAML reader would take for numbers, booleans or null are quoted. */
static void y_str(struct yw *y, const char *s)
{
	static const char *const words[] = { "false", "n", "no", "null", "off", "on", "true", "y", "yes" };
	bool quote = !*s || strchr("0123456789+-.~", *s);
	for (size_t i = 0; !quote && i < sizeof(words) / sizeof(words[0]); i++)
		quote = strcasecmp(s, words[i]) == 0;
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
						     quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE));
}

static void y_kv(struct yw *y, const char *k, const char *v)
{
	y_scalar(y, k, true);
	if (v)
		y_str(y, v);
	else
		y_scalar(y, "null", true);
}

static void y_kint(struct yw *y, const char *k, long v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%ld", v);
	y_scalar(y, k, true);
	y_scalar(y, buf, true);
}

static void y_map(struct yw *y, bool flow)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

static void y_map_end(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void y_seq(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
}

static void y_seq_end(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void y_loc(struct yw *y, const char *key, const struct loc *loc)
{
	if (!loc || !loc->file)
		return;
	y_scalar(y, key, true);
	y_map(y, true);
	const char *base = strrchr(loc->file, '/');
	y_kv(y, "file", base ? base + 1 : loc->file);
	if (loc->line && loc->line != LOC_EOF)
		y_kint(y, "line", loc->line);
	y_map_end(y);
}

int xp_print_yaml(const struct explain *e, FILE *out)
{
	struct arena *a = e->a;
	struct yw y = { 0 };
	yaml_event_t ev;
	char buf[20];
	if (!yaml_emitter_initialize(&y.em)) {
		fprintf(stderr, "ERROR: cannot initialise the YAML emitter\n");
		return -1;
	}
	yaml_emitter_set_output_file(&y.em, out);
	yaml_emitter_set_width(&y.em, -1);
	yw_emit(&y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	yw_emit(&y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0));
	y_map(&y, false);
	const struct xp_packet *p = &e->pkt;
	y_scalar(&y, "packet", true);
	y_map(&y, false);
	y_kv(&y, "src", p->src_known ? ip4_format(p->src, buf, sizeof(buf)) : NULL);
	if (e->src_zone)
		y_kv(&y, "src_zone", e->src_zone);
	y_kv(&y, "dst", p->dst_known ? ip4_format(p->dst, buf, sizeof(buf)) : NULL);
	if (e->dst_zone)
		y_kv(&y, "dst_zone", e->dst_zone);
	const char *pn = ir_proto_name(p->proto);
	y_kv(&y, "proto", pn ? pn : arena_printf(a, "%u", p->proto));
	if (ir_proto_has_ports(p->proto)) {
		y_kint(&y, "sport", p->sport);
		y_kint(&y, "dport", p->dport);
	}
	if (p->proto == 1) {
		y_kint(&y, "icmp_type", p->icmp_type);
		y_kint(&y, "icmp_code", p->icmp_code);
	}
	y_kv(&y, "state", p->ctstate & IR_CT_ESTABLISHED ? "established" : "new");
	y_kv(&y, "in", p->in);
	y_kv(&y, "out", e->to_fw ? NULL : e->cur.out);
	y_scalar(&y, "ipsec_in", true);
	y_scalar(&y, p->sa_in.present ? "true" : "false", true);
	y_scalar(&y, "ipsec_out", true);
	y_scalar(&y, p->sa_out.present ? "true" : "false", true);
	y_map_end(&y);

	y_scalar(&y, "path", true);
	y_seq(&y);
	for (size_t i = 0; i < e->steps.n; i++) {
		const struct xp_step *st = &e->steps.v[i];
		y_map(&y, true);
		switch (st->kind) {
		case XS_HOOK:
			y_kv(&y, "hook", st->chain->name);
			y_kv(&y, "table", ir_table_name(st->chain->table));
			break;
		case XS_ROUTE:
			y_kv(&y, "route", st->text);
			break;
		case XS_RULE:
			y_kv(&y, "chain", st->chain->name);
			y_kv(&y, "rule", rule_text(a, st->rule));
			y_loc(&y, "loc", &st->rule->loc);
			break;
		case XS_SKIP:
			y_kv(&y, "chain", st->chain->name);
			y_kv(&y, "rule", rule_text(a, st->rule));
			y_loc(&y, "loc", &st->rule->loc);
			y_kv(&y, "no_match", st->text);
			break;
		case XS_ENTER:
			y_kv(&y, "enter", st->chain->name);
			y_kv(&y, "by", st->text);
			break;
		case XS_RETURN:
			y_kv(&y, "return", st->chain->name);
			break;
		case XS_POLICY:
			y_kv(&y, "policy", st->text);
			y_kv(&y, "chain", st->chain->name);
			break;
		case XS_NAT:
			y_kv(&y, "nat", st->text);
			break;
		case XS_MARK:
			y_kv(&y, "mark", st->text);
			break;
		}
		y_kint(&y, "depth", st->depth);
		y_map_end(&y);
	}
	y_seq_end(&y);
	y_kv(&y, "verdict", e->verdict == XV_REJECT ? "REJECT" : e->verdict == XV_QUEUE ? "QUEUE"
		 : xp_verdict_text(e, a));
	if (e->verdict == XV_REJECT)
		y_kv(&y, "reject_with", ir_reject_name(e->reject_with));
	if (e->verdict == XV_QUEUE) {
		y_kint(&y, "queue", e->queue_num);
		y_kv(&y, "without_listener", e->queue_bypass ? "ACCEPT" : "DROP");
	}
	if (e->decider_chain) {
		y_scalar(&y, "decided_by", true);
		y_map(&y, false);
		y_kv(&y, "chain", e->decider_chain->name);
		y_kv(&y, "table", ir_table_name(e->decider_chain->table));
		y_kv(&y, "rule", e->decider ? rule_text(a, e->decider) : NULL);
		y_loc(&y, "loc", decider_loc(e));
		y_map_end(&y);
	}
	if (e->dnat_text)
		y_kv(&y, "dnat", e->dnat_text);
	if (e->snat_text && e->verdict == XV_ACCEPT)
		y_kv(&y, "snat", e->snat_text);
	if (e->verdict == XV_ACCEPT) {
		/* the packet as the receiver sees it, after every NAT */
		const struct xp_packet *c = &e->cur;
		y_scalar(&y, "delivered", true);
		y_map(&y, true);
		y_kv(&y, "src", c->src_known ? ip4_format(c->src, buf, sizeof(buf)) : NULL);
		y_kv(&y, "dst", c->dst_known ? ip4_format(c->dst, buf, sizeof(buf)) : NULL);
		if (ir_proto_has_ports(c->proto)) {
			y_kint(&y, "sport", c->sport);
			y_kint(&y, "dport", c->dport);
		}
		y_kv(&y, "to", e->to_fw ? "firewall" : c->out);
		y_map_end(&y);
	}
	y_scalar(&y, "assumptions", true);
	y_seq(&y);
	for (size_t i = 0; i < e->notes.n; i++)
		y_str(&y, e->notes.v[i]);
	y_seq_end(&y);
	y_map_end(&y);
	yw_emit(&y, &ev, yaml_document_end_event_initialize(&ev, 1));
	yw_emit(&y, &ev, yaml_stream_end_event_initialize(&ev));
	bool failed = y.failed;
	yaml_emitter_delete(&y.em);
	if (failed) {
		fprintf(stderr, "ERROR: cannot write the YAML document\n");
		return -1;
	}
	return 0;
}
