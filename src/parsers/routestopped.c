/* routestopped.c — the 2.x routestopped file: hosts that stay reachable while the firewall is stopped.
 *
 * Shorewall 5.2.8 no longer reads this file (it warns and points at `shorewall update`, which rewrites
 * it as stoppedrules). We honour it: a 2.2 configuration must keep working unchanged, and a box that
 * silently stops answering its admin host when the firewall is stopped is the worst way to learn
 * about a format change. Each line becomes one stopped_rule marked from_routestopped, with its
 * options, and the stopped ruleset gives it the 2.x meaning: traffic between the hosts and the
 * firewall both ways; with `source`/`dest` forwarding from/to them; `routeback` back out the same
 * interface; otherwise forwarding among all the listed hosts; `notrack` outside conntrack; and
 * `critical` hosts are also let through while the firewall is being stopped or started.
 *
 * Columns INTERFACE HOST(S) OPTIONS PROTO DEST_PORTS SOURCE_PORTS (2.2 had the first three). */
#include "parsers.h"
#include "stopped.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "netcheck.h"
#include "source.h"

#include <string.h>

enum { RS_INTERFACE, RS_HOSTS, RS_OPTIONS, RS_PROTO, RS_DPORT, RS_SPORT, RS_COUNT };

enum rs_option { RSO_CRITICAL, RSO_DEST, RSO_NOTRACK, RSO_ROUTEBACK, RSO_SOURCE };

static const struct keyword rs_options[] = {     /* must stay sorted */
	{ "critical", RSO_CRITICAL, 0 }, { "dest", RSO_DEST, 0 }, { "notrack", RSO_NOTRACK, 0 },
	{ "routeback", RSO_ROUTEBACK, 0 }, { "source", RSO_SOURCE, 0 },
};

const struct keyword *routestopped_keyword_table(size_t i, size_t *n, bool *nocase)
{
	if (i > 0)
		return NULL;
	*n = KW_COUNT(rs_options);
	*nocase = false;
	return rs_options;
}

/* Set the options of one line; false after reporting an unknown one. */
static bool options(struct compile *c, const struct loc *loc, const char *text, struct stopped_rule *sr)
{
	bool ok = true;
	unsigned seen = 0;
	char *copy = arena_strdup(c->arena, text);
	for (char *save = NULL, *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		const struct keyword *k = KW_FIND(rs_options, o);
		if (!k) {
			diag_error(c->diag, loc, "Unknown routestopped option (%s)", o);
			ok = false;
			continue;
		}
		if (seen & (1u << k->value))
			diag_warn(c->diag, loc, "Duplicate routestopped option (%s) ignored", o);
		seen |= 1u << k->value;
		switch ((enum rs_option)k->value) {
		case RSO_CRITICAL:
			sr->critical = true;
			break;
		case RSO_DEST:
			sr->opt_dest = true;
			break;
		case RSO_NOTRACK:
			sr->notrack = true;
			break;
		case RSO_ROUTEBACK:
			sr->routeback = true;
			break;
		case RSO_SOURCE:
			sr->opt_source = true;
			break;
		}
	}
	return ok;
}

int parse_routestopped(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	source_set_layout(s, "2.2");
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, RS_COUNT, "routestopped file"))
			continue;
		const char *ifname = col_value(&r, RS_INTERFACE), *hosts = col_value(&r, RS_HOSTS);
		const char *opts = col_value(&r, RS_OPTIONS);
		struct stopped_rule *sr = arena_new_obj(c->arena, struct stopped_rule);
		bool ok = true;
		if (!ifname) {
			diag_error(c->diag, &r.loc, "INTERFACE must be specified");
			ok = false;
		} else if (!netcheck_iface(c->graph, ifname)) {
			diag_error(c->diag, &r.loc, "Unknown interface (%s)", ifname);
			ok = false;
		}
		const char *bad;
		if (hosts && !addr_parse_list(c->arena, hosts, &sr->source, false, &bad)) {
			diag_error(c->diag, &r.loc, "Invalid IP address (%s)", bad ? bad : hosts);
			ok = false;
		}
		if (opts)
			ok = options(c, &r.loc, opts, sr) && ok;
		ok = stopped_check_proto(c, &r.loc, col_value(&r, RS_PROTO), col_value(&r, RS_DPORT),
					 col_value(&r, RS_SPORT)) && ok;
		if (!ok)
			continue;
		sr->action = STOP_ACCEPT;
		sr->src_iface = ifname;
		sr->proto = col_value(&r, RS_PROTO);
		sr->dports = col_value(&r, RS_DPORT);
		sr->sports = col_value(&r, RS_SPORT);
		sr->from_routestopped = true;
		sr->loc = r.loc;
		vec_push(c->arena, &c->graph->stopped, sr);
	}
	return (int)(c->diag->errors - before);
}
