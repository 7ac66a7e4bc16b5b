/* log.c — rate-limited LOG / NFLOG rules before a verdict, prefixes from LOGFORMAT, Shorewall style. */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "loglevel.h"
#include "keyword.h"
#include "rate.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* LOG options written as `info(tcp_options,uid)`. */
static const struct keyword log_flags[] = {    /* must stay sorted */
	{ "ip_options", IR_LOG_IP_OPT, 0 },
	{ "macdecode", IR_LOG_MACDECODE, 0 },
	{ "tcp_options", IR_LOG_TCP_OPT, 0 },
	{ "tcp_sequence", IR_LOG_TCP_SEQ, 0 },
	{ "uid", IR_LOG_UID, 0 },
};

/* Log "levels" that are other targets. */
enum { LOGK_NFLOG = 1, LOGK_LOGMARK };
static const struct keyword log_kinds[] = {    /* must stay sorted */
	{ "logmark", LOGK_LOGMARK, 0 },
	{ "nflog", LOGK_NFLOG, 0 },
	{ "ulog", LOGK_NFLOG, 0 },  /* ULOG is gone from the kernel: NFLOG does its job */
};

const struct keyword *build_log_table(unsigned which, size_t *n)
{
	if (which == 0) {
		*n = KW_COUNT(log_kinds);
		return log_kinds;
	}
	if (which == 1) {
		*n = sizeof(log_flags) / sizeof(log_flags[0]);
		return log_flags;
	}
	*n = 0;
	return NULL;
}

int build_log_level_number(const char *level)
{
	if (level[0] >= '0' && level[0] <= '7' && level[1] == 0)
		return level[0] - '0';
	/* the parser's table (loglevel.c) also holds nflog/logmark/none, numbered past the syslog 0-7 */
	size_t n;
	const struct keyword *t = loglevel_table(&n);
	const struct keyword *k = kw_find(t, n, level);
	return k && k->value <= 7 ? (int)k->value : -1;
}

/* The prefix into out (LOG_PREFIX_MAX + 1 bytes at least). */
#define LOG_PREFIX_MAX 29       /* iptables refuses a LOG prefix longer than this */
static void log_prefix(const struct builder *b, const char *chain_name, const char *disposition, char *out)
{
	const char *fmt = b->s->logformat ? b->s->logformat : "%s %s ";
	size_t o = 0;
	unsigned nth = 0;
	for (const char *p = fmt; *p && o < LOG_PREFIX_MAX; p++) {
		const char *ins = NULL;
		char num[16];
		if (p[0] == '%' && p[1] == 's') {
			ins = nth++ == 0 ? chain_name : disposition;
			p++;
		} else if (p[0] == '%' && p[1] == 'd') {
			/* the rule number of 2.x prefixes: policy rules have none worth showing */
			snprintf(num, sizeof(num), "%u", 0u);
			ins = num;
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			ins = "%";
			p++;
		}
		if (ins) {
			for (; *ins && o < LOG_PREFIX_MAX; ins++)
				out[o++] = *ins;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
}

const char *build_log_prefix(struct builder *b, const char *chain_name, const char *disposition)
{
	char out[LOG_PREFIX_MAX + 1];
	log_prefix(b, chain_name, disposition, out);
	return arena_strdup(b->c->arena, out);
}

/* "(a,b,c)" numbers after NFLOG/ULOG: group, range (ignored), threshold. */
static void nflog_args(const char *args, unsigned *group, unsigned *threshold)
{
	*group = 0;
	*threshold = 1;
	if (!args || *args != '(')
		return;
	unsigned v[3] = { 0, 0, 1 };
	unsigned i = 0;
	const char *p = args + 1;
	while (*p && *p != ')' && i < 3) {
		char *end;
		unsigned long x = strtoul(p, &end, 10);
		if (end != p)
			v[i] = (unsigned)x;
		i++;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	*group = v[0];
	*threshold = v[2] ? v[2] : 1;
}

/* The LOGLIMIT matches: `s:`/`d:` → hashlimit per source/destination address named by the
 * limit (default `lograte`), otherwise a plain limit. Parsed once per call: LOGLIMIT was checked
 * by conf.c, so a failure here only repeats its report. */
static void log_limit(struct builder *b, struct ir_rule *r)
{
	const char *ll = b->s->loglimit;
	if (!ll || !*ll)
		return;
	/* one setting: read on the first logged rule, not on each of thousands (a LOGLIMIT that
	 * does not parse is not kept, so it is reported where it was before) */
	const struct rate *rt = b->loglimit;
	if (!rt) {
		struct rate *parsed = NULL;
		if (!rate_parse(b->c, &b->s->loc, ll, &parsed) || !parsed)
			return;
		b->loglimit = rt = parsed;
	}
	for (; rt; rt = rt->next) {
		if (rt->per)
			ir_match_hashlimit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst,
					   rt->per == 's' ? IR_HL_SRCIP : IR_HL_DSTIP,
					   rt->name ? rt->name : "lograte");
		else
			ir_match_limit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst);
	}
}

/* A level text as build_log uses it: the target, its level and options. */
struct log_level {
	const char *text;
	int kind;                   /* 0 (LOG), LOGK_NFLOG */
	int lv;                     /* LOG: 0..7; -1 = not a level */
	unsigned flags;             /* LOG options */
	unsigned group, threshold;  /* NFLOG */
};

/* Read "name(args)!" (nothing is reported here). */
static void log_level_read(const char *level, struct log_level *out)
{
	memset(out, 0, sizeof(*out));
	out->text = level;
	/* split "name(args)!" */
	size_t n = strcspn(level, "(!");
	char name[32];
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, level, n);
	name[n] = 0;
	const char *args = level[n] == '(' ? level + n : NULL;

	const struct keyword *kind = kw_find_nocase(log_kinds, KW_COUNT(log_kinds), name);
	if (kind && kind->value == LOGK_NFLOG) {
		out->kind = LOGK_NFLOG;
		nflog_args(args, &out->group, &out->threshold);
		return;
	}
	if (kind && kind->value == LOGK_LOGMARK) {
		/* LOGMARK(level): logged as a LOG rule at that level (no LOGMARK target here) */
		char inner[32] = "info";
		if (args) {
			size_t k = strcspn(args + 1, ")");
			if (k && k < sizeof(inner)) {
				memcpy(inner, args + 1, k);
				inner[k] = 0;
			}
		}
		out->lv = build_log_level_number(inner);
		return;
	}
	out->lv = build_log_level_number(name);
	if (args) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s", args + 1);
		buf[strcspn(buf, ")")] = 0;
		char *save = NULL;
		for (char *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
			const struct keyword *k = KW_FIND(log_flags, o);
			if (k)
				out->flags |= k->value;
		}
	}
}

void build_log(struct builder *b, struct ir_chain *ch, const struct loc *loc, const char *level,
	       const char *chain_name, const char *disposition)
{
	if (!level || !*level)
		return;
	/* a compile logs at a few levels, thousands of times (every logged policy chain): the
	 * last one read is kept */
	struct log_level *ll = b->log_level;
	if (!ll || strcmp(ll->text, level) != 0) {
		if (!ll)
			ll = b->log_level = arena_new_obj(b->c->arena, struct log_level);
		log_level_read(arena_strdup(b->c->arena, level), ll);
	}
	char prefix[LOG_PREFIX_MAX + 1];
	log_prefix(b, chain_name, disposition, prefix);
	if (ll->kind == LOGK_NFLOG) {
		struct ir_rule *r = ir_rule_append(ch, loc);
		log_limit(b, r);
		ir_target_nflog(r, ll->group, prefix, ll->threshold);
		return;
	}
	if (ll->lv < 0) {
		diag_error(b->c->diag, loc, "Invalid log level (%s)", level);
		return;
	}
	struct ir_rule *r = ir_rule_append(ch, loc);
	log_limit(b, r);
	ir_target_log(r, (unsigned)ll->lv, prefix, ll->flags);
}
