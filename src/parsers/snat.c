/* snat.c — the snat file (5.2): source NAT rules, MASQUERADE / SNAT / CONTINUE / LOG per outgoing interface.
 *
 * Columns `ACTION SOURCE DEST PROTO PORT IPSEC MARK USER SWITCH ORIGDEST PROBABILITY`; `?FORMAT 2`
 * inserts SPORT after PORT (Rules.pm process_snat / process_snat1). */
#include "parsers.h"
#include "snat.h"

#include "compile.h"
#include "graph.h"
#include "loglevel.h"
#include "masq.h"
#include "netcheck.h"
#include "source.h"

#include <string.h>

enum snat_col {
	SC_ACTION, SC_SOURCE, SC_DEST, SC_PROTO, SC_PORT, SC_SPORT, SC_IPSEC, SC_MARK, SC_USER, SC_SWITCH,
	SC_ORIGDEST, SC_PROBABILITY,
	SC_COUNT
};

/* Column layouts as data: where each column sits in FORMAT 1 and FORMAT 2 (-1 = absent). */
static const int format1[SC_COUNT] = { 0, 1, 2, 3, 4, -1, 5, 6, 7, 8, 9, 10 };
static const int format2[SC_COUNT] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

/* How an action takes its (parameters). */
enum { SA_NONE, SA_OPTIONAL, SA_REQUIRED, SA_LEVEL };

/* ACTION names after any trailing '+' is removed; value = enum snat_action, flags = SA_x.
 * ACCEPT and NONAT are ours (5.2.8's snat refuses them; NONAT is masq's ADDRESS NONAT). */
static const struct keyword actions[] = {       /* must stay sorted */
	{ "ACCEPT", SNAT_ACCEPT, SA_NONE },
	{ "CONTINUE", SNAT_CONTINUE, SA_NONE },
	{ "LOG", SNAT_LOG, SA_NONE },
	{ "MASQUERADE", SNAT_MASQUERADE, SA_OPTIONAL },     /* ([ports][:]random) */
	{ "NFLOG", SNAT_LOG, SA_LEVEL },                    /* NFLOG(1,0,1) is LOG at that level */
	{ "NONAT", SNAT_NONAT, SA_NONE },
	{ "SNAT", SNAT_SNAT, SA_REQUIRED },                 /* (address[:ports][:random][:persistent]) */
	{ "ULOG", SNAT_LOG, SA_LEVEL },
};

const struct keyword *snat_action_table(size_t *n)
{
	*n = KW_COUNT(actions);
	return actions;
}

/* Strip `suffix` from the end of *s (an arena copy), returning whether it was there. */
static bool strip_suffix(char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m || strcmp(s + n - m, suffix) != 0)
		return false;
	s[n - m] = '\0';
	return true;
}

/* Remove every occurrence of `word` (":random", ":persistent") from s. */
static bool strip_word(char *s, const char *word)
{
	bool found = false;
	size_t m = strlen(word);
	for (char *p = strstr(s, word); p; p = strstr(p, word)) {
		memmove(p, p + m, strlen(p + m) + 1);
		found = true;
	}
	return found;
}

/* ACTION: fills action, to, random, persistent, prenat, loglevel. */
static bool parse_action(struct compile *c, const struct loc *loc, const char *text, struct snat *t)
{
	/* split at the first ':' outside parentheses: ACTION[:level] */
	const char *colon = NULL;
	int depth = 0;
	for (const char *p = text; *p && !colon; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ':' && depth == 0)
			colon = p;
	}
	char *act = colon ? arena_strndup(c->arena, text, (size_t)(colon - text)) : arena_strdup(c->arena, text);
	const char *whole = arena_strdup(c->arena, act);        /* act is cut up below */
	const char *level = colon && colon[1] ? colon + 1 : NULL;
	char *params = NULL;
	char *paren = strchr(act, '(');
	size_t alen = strlen(act);
	if (paren) {
		if (act[alen - 1] != ')') {
			diag_error(c->diag, loc, "Invalid ACTION (%s)", whole);
			return false;
		}
		act[alen - 1] = '\0';
		params = paren + 1;
		*paren = '\0';
	}
	char *name = arena_strdup(c->arena, act);
	t->prenat = strip_suffix(name, "+");
	const struct keyword *k = KW_FIND(actions, name);
	if (!k || (params && k->flags == SA_NONE) || (!params && k->flags == SA_REQUIRED)) {
		diag_error(c->diag, loc, "Invalid ACTION (%s)", whole);
		return false;
	}
	t->action = (enum snat_action)k->value;
	switch (k->flags) {
	case SA_REQUIRED:
		t->persistent = strip_word(params, ":persistent");
		t->random = strip_word(params, ":random");
		if (!*params) {
			diag_error(c->diag, loc, "SNAT rules must specify a new source address and/or new source ports");
			return false;
		}
		if (strchr(params, ',')) {
			diag_error(c->diag, loc, "Only one SNAT address may be specified");
			return false;
		}
		t->to = params;
		break;
	case SA_OPTIONAL:
		if (params) {
			if (strip_suffix(params, "random")) {
				t->random = true;
				strip_suffix(params, ":");
			}
			if (*params)
				t->to = params;
		}
		break;
	case SA_LEVEL:
		if (colon || t->prenat) {
			diag_error(c->diag, loc, "Invalid ACTION (%s)", text);
			return false;
		}
		return loglevel_parse(c, loc, whole, &t->loglevel);
	}
	if (level) {
		/* `MASQUERADE:random` reads better than the level it would otherwise be taken for. */
		if (t->action == SNAT_MASQUERADE && strcmp(level, "random") == 0)
			t->random = true;
		else if (!loglevel_parse(c, loc, level, &t->loglevel))
			return false;
	}
	if (t->action == SNAT_LOG && !t->loglevel) {
		diag_error(c->diag, loc, "LOG requires a log level");
		return false;
	}
	return true;
}

static void snat_row(struct compile *c, const struct row *r)
{
	const struct loc *loc = &r->loc;
	const int *layout = r->format == 2 ? format2 : format1;
	const char *col[SC_COUNT];
	for (unsigned i = 0; i < SC_COUNT; i++)
		col[i] = layout[i] < 0 ? NULL : col_value(r, (unsigned)layout[i]);
	if (!col[SC_ACTION]) {
		diag_error(c->diag, loc, "ACTION must be specified");
		return;
	}
	bool ok = true;
	struct snat proto_t = { 0 };        /* what every record of the row shares */
	if (!parse_action(c, loc, col[SC_ACTION], &proto_t))
		ok = false;

	const char **ifaces = NULL;
	size_t nif = 0;
	bool dest_fw = false;
	if (!col[SC_DEST]) {
		diag_error(c->diag, loc, "DEST must be specified");
		ok = false;
	} else if (!masq_parse_ifaces(c, loc, col[SC_DEST], graph_fw_name(c), &ifaces, &nif, &proto_t.dest,
				      &dest_fw)) {
		ok = false;
	}
	if (dest_fw && ok) {
		if (proto_t.prenat) {
			diag_error(c->diag, loc, "'+' not valid when the DEST is $FW");
			ok = false;
		}
		if (proto_t.action == SNAT_MASQUERADE) {
			diag_error(c->diag, loc, "'MASQUERADE' not allowed when the destination is $FW");
			ok = false;
		}
		if (proto_t.to && strcmp(proto_t.to, "detect") == 0) {
			diag_error(c->diag, loc, "'detect' not allowed when the destination is $FW");
			ok = false;
		}
	}
	if (!masq_parse_source(c, loc, col[SC_SOURCE], &proto_t.source, &proto_t.source_iface))
		ok = false;

	const char **protos = NULL;
	size_t nproto = 1;
	if (col[SC_PROTO])
		nproto = netcheck_split(c->arena, col[SC_PROTO], &protos);
	for (size_t i = 0; i < nproto; i++) {
		const char *proto = protos ? protos[i] : NULL;
		if (!netcheck_proto_ports(c, loc, proto, col[SC_PORT], col[SC_SPORT]))
			ok = false;
		if (proto_t.to && proto_t.action == SNAT_SNAT && !masq_check_to(c, loc, proto_t.to, proto))
			ok = false;
		/* MASQUERADE(ports): ports only, for a protocol that has them */
		if (proto_t.to && proto_t.action == SNAT_MASQUERADE && !masq_check_ports(c, loc, proto_t.to, proto))
			ok = false;
	}

	if (!masq_parse_tail(c, loc, col[SC_IPSEC], col[SC_PROBABILITY], col[SC_ORIGDEST], &proto_t))
		ok = false;
	if (!ok)
		return;

	proto_t.dest_fw = dest_fw;
	proto_t.ports = col[SC_PORT];
	proto_t.sports = col[SC_SPORT];
	proto_t.mark = col[SC_MARK];
	proto_t.user = col[SC_USER];
	proto_t.switch_name = col[SC_SWITCH];
	proto_t.loc = *loc;
	masq_expand(c, &proto_t, ifaces, nif, protos, nproto);
}

int parse_snat(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	/* masq is read first; Shorewall would silently prefer masq's entries (converting them and
	 * appending them to snat). Both at once is a configuration that means two things. */
	bool have_masq = false;
	for (size_t i = 0; i < c->files.n; i++) {
		const struct file_info *f = c->files.v[i];
		size_t n = f->path ? strlen(f->path) : 0;
		if (f->rows && n >= 4 && strcmp(f->path + n - 4, "masq") == 0 && (n == 4 || f->path[n - 5] == '/'))
			have_masq = true;
	}
	bool first = true;
	struct row r;
	while (source_next(s, &r)) {
		if (first && have_masq)
			diag_error(c->diag, &r.loc, "The masq and snat files both have entries: use one of them, not both");
		first = false;
		if (!row_max_columns(s, &r, r.format == 2 ? 12 : 11, "snat file"))
			continue;
		snat_row(c, &r);
	}
	source_set_layout(s, s->format == 2 ? "5.2 (?FORMAT 2)" : "5.2");
	return (int)(c->diag->errors - before);
}
