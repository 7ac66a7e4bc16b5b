/* stoppedrules.c — the 5.x stoppedrules file: what may pass while the firewall is stopped.
 *
 * Columns ACTION SOURCE DEST PROTO DPORT SPORT. ACTION is ACCEPT, DROP or NOTRACK (the last two act
 * in the raw table before routing, so they cannot name a destination interface or $FW). SOURCE and
 * DEST are `-`, $FW, an interface, $FW:addresses, interface:addresses or bare addresses. PROTO and
 * the ports are checked by netcheck.c, as in the rules file. */
#include "parsers.h"
#include "stopped.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "netcheck.h"
#include "settings.h"
#include "source.h"

#include <ctype.h>
#include <string.h>

enum { SR_ACTION, SR_SOURCE, SR_DEST, SR_PROTO, SR_DPORT, SR_SPORT, SR_COUNT };

static const struct keyword actions[] = {        /* must stay sorted */
	{ "ACCEPT", STOP_ACCEPT, 0 }, { "DROP", STOP_DROP, 0 }, { "NOTRACK", STOP_NOTRACK, 0 },
};

const struct keyword *stopped_keyword_table(size_t i, size_t *n, bool *nocase)
{
	if (i > 0)
		return NULL;
	*n = KW_COUNT(actions);
	*nocase = false;
	return actions;
}

/* PROTO may list several protocols (Shorewall 4.5.12 and later); each is checked with the ports. */
bool stopped_check_proto(struct compile *c, const struct loc *loc, const char *proto, const char *dports,
			 const char *sports)
{
	if (!proto)
		return netcheck_proto_ports(c, loc, NULL, dports, sports);
	const char **each;
	size_t n = netcheck_split(c->arena, proto, &each);
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		ok = netcheck_proto_ports(c, loc, each[i], dports, sports) && ok;
	return ok;
}

/* ---- SOURCE / DEST ------------------------------------------------------------------------------ */

struct endpoint {
	const char *iface;
	bool fw;
	struct addr_list addrs;
};

static bool addrs_ok(struct compile *c, const struct loc *loc, const char *text, struct addr_list *out)
{
	const char *bad;
	if (addr_parse_list(c->arena, text, out, false, &bad))
		return true;
	diag_error(c->diag, loc, "Invalid IP address (%s)", bad ? bad : text);
	return false;
}

static bool endpoint(struct compile *c, const struct loc *loc, const char *text, struct endpoint *e)
{
	memset(e, 0, sizeof(*e));
	if (!text)
		return true;
	const char *fw = graph_fw_name(c);
	size_t fwlen = strlen(fw);
	if (strcmp(text, fw) == 0) {
		e->fw = true;
		return true;
	}
	if (strncmp(text, fw, fwlen) == 0 && text[fwlen] == ':') {
		e->fw = true;
		return addrs_ok(c, loc, text + fwlen + 1, &e->addrs);
	}
	const char *colon = strchr(text, ':');
	if (colon || isalpha((unsigned char)text[0])) {
		char *name = arena_strndup(c->arena, text, colon ? (size_t)(colon - text) : strlen(text));
		if (!netcheck_iface(c->graph, name)) {
			diag_error(c->diag, loc, "Unknown interface (%s)", name);
			return false;
		}
		e->iface = name;
		if (!colon)
			return true;
		if (!colon[1]) {
			diag_error(c->diag, loc, "Invalid IP address ()");
			return false;
		}
		return addrs_ok(c, loc, colon + 1, &e->addrs);
	}
	return addrs_ok(c, loc, text, &e->addrs);
}

/* ---- the file ----------------------------------------------------------------------------------- */

int parse_stoppedrules(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	source_set_layout(s, "5.2");
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, SR_COUNT, "stoppedrules file"))
			continue;
		const struct keyword *act = KW_FIND(actions, r.col[SR_ACTION]);
		if (!act) {
			diag_error(c->diag, &r.loc, "Invalid ACTION (%s)", r.col[SR_ACTION]);
			continue;
		}
		struct endpoint src, dst;
		bool ok = endpoint(c, &r.loc, col_value(&r, SR_SOURCE), &src);
		ok = endpoint(c, &r.loc, col_value(&r, SR_DEST), &dst) && ok;
		ok = stopped_check_proto(c, &r.loc, col_value(&r, SR_PROTO), col_value(&r, SR_DPORT),
					 col_value(&r, SR_SPORT)) && ok;
		if (ok && act->value != STOP_ACCEPT) {
			/* raw PREROUTING: before routing, and never for the firewall's own traffic */
			if (dst.fw) {
				diag_error(c->diag, &r.loc,
					   "$FW may not be specified as the destination of a NOTRACK or DROP rule");
				ok = false;
			} else if (dst.iface) {
				diag_error(c->diag, &r.loc, "A DEST interface (%s) is not permitted with %s",
					   dst.iface, act->name);
				ok = false;
			}
		}
		if (!ok)
			continue;
		if (act->value == STOP_ACCEPT && src.fw && !dst.fw && c->conf && c->conf->admin_absentminded) {
			/* the stopped firewall accepts all its own output already */
			diag_warn(c->diag, &r.loc, "Redundant OUTPUT rule ignored because ADMINISABSENTMINDED=Yes");
			continue;
		}
		struct stopped_rule *sr = arena_new_obj(c->arena, struct stopped_rule);
		sr->action = (enum stopped_action)act->value;
		sr->src_iface = src.iface;
		sr->dst_iface = dst.iface;
		sr->fw_src = src.fw;
		sr->fw_dst = dst.fw;
		sr->source = src.addrs;
		sr->dest = dst.addrs;
		sr->proto = col_value(&r, SR_PROTO);
		sr->dports = col_value(&r, SR_DPORT);
		sr->sports = col_value(&r, SR_SPORT);
		sr->loc = r.loc;
		vec_push(c->arena, &c->graph->stopped, sr);
	}
	return (int)(c->diag->errors - before);
}
