/* masq.c — the masq file (2.2 and 5.x): source NAT per outgoing interface, read as it is.
 *
 * Columns `INTERFACE[:dest] SOURCE ADDRESS PROTO PORT IPSEC MARK USER SWITCH ORIGDEST PROBABILITY`
 * (Nat.pm process_one_masq1). Unlike Shorewall 5.2.8, which rewrites a non-empty masq file into
 * snat and renames it masq.bak even on `check`, this parser never touches the directory. */
#include "parsers.h"
#include "masq.h"

#include "compile.h"
#include "graph.h"
#include "netcheck.h"
#include "source.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum masq_col {
	MC_INTERFACE, MC_SOURCE, MC_ADDRESS, MC_PROTO, MC_PORT, MC_IPSEC, MC_MARK, MC_USER, MC_SWITCH,
	MC_ORIGDEST, MC_PROBABILITY,
	MC_COUNT
};

/* ---- shared with snat.c ---------------------------------------------------------------------------- */

/* An address list with exclusions; `Invalid IP address (x)` names the first bad element. */
static bool read_addrs(struct compile *c, const struct loc *loc, const char *text, struct addr_list *out)
{
	const char *bad;
	if (addr_parse_list(c->arena, text, out, false, &bad))
		return true;
	diag_error(c->diag, loc, "Invalid IP address (%s)", bad);
	return false;
}

bool masq_parse_ifaces(struct compile *c, const struct loc *loc, const char *text, const char *fw_name,
		       const char ***names, size_t *n, struct addr_list *dest, bool *dest_fw)
{
	const char *list = text, *addrs = NULL;
	const char *c1 = strchr(text, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	*n = 0;
	*names = NULL;
	memset(dest, 0, sizeof(*dest));
	if (dest_fw)
		*dest_fw = false;
	/* Shorewall's IPv4 forms: iface::addrs, iface:alias:addrs, iface:, iface:addrs (the part
	 * after ':' is addresses when it looks like them, else an alias such as eth0:0). */
	if (c1 && c2 == c1 + 1) {
		list = arena_strndup(c->arena, text, (size_t)(c1 - text));
		addrs = c2 + 1;
	} else if (c1 && c2) {
		list = arena_strndup(c->arena, text, (size_t)(c2 - text));
		addrs = c2 + 1;
	} else if (c1 && !c1[1]) {
		list = arena_strndup(c->arena, text, (size_t)(c1 - text));
	} else if (c1 && (strchr(c1 + 1, '.') || strchr("+%!", c1[1]))) {
		list = arena_strndup(c->arena, text, (size_t)(c1 - text));
		addrs = c1 + 1;
	}
	bool ok = !addrs || !*addrs || read_addrs(c, loc, addrs, dest);
	const char **elems;
	size_t count = netcheck_split(c->arena, list, &elems);
	for (size_t i = 0; i < count; i++) {
		const char *colon = strchr(elems[i], ':');
		if (colon)      /* an alias (eth0:0) names the address Shorewall may add, not a device */
			elems[i] = arena_strndup(c->arena, elems[i], (size_t)(colon - elems[i]));
		if (fw_name && strcmp(elems[i], fw_name) == 0) {
			if (count > 1) {
				diag_error(c->diag, loc, "$FW may not appear in a list of interfaces");
				ok = false;
			} else if (dest_fw) {
				*dest_fw = true;
			}
			continue;
		}
		if (!*elems[i] || !netcheck_iface(c->graph, elems[i])) {
			diag_error(c->diag, loc, "Unknown interface (%s)", elems[i]);
			ok = false;
		}
	}
	*names = elems;
	*n = count;
	return ok;
}

bool masq_parse_source(struct compile *c, const struct loc *loc, const char *text,
		       struct addr_list *out, const char **iface_name)
{
	memset(out, 0, sizeof(*out));
	*iface_name = NULL;
	if (!text)
		return true;
	if (netcheck_iface(c->graph, text)) {
		*iface_name = text;
		return true;
	}
	if (isalpha((unsigned char)text[0]) && !strchr(text, '.')) {
		diag_error(c->diag, loc, "Unknown interface (%s)", text);
		return false;
	}
	return read_addrs(c, loc, text, out);
}

bool masq_check_ports(struct compile *c, const struct loc *loc, const char *ports, const char *proto)
{
	int num = proto ? netcheck_proto_number(proto) : -1;
	if (!proto || !netcheck_proto_has_ports(num)) {
		diag_error(c->diag, loc, "Using a port range (%s) requires PROTO TCP, UDP, SCTP or DCCP", ports);
		return false;
	}
	return netcheck_port_range(c, loc, netcheck_proto_name(num), ports);
}

bool masq_check_to(struct compile *c, const struct loc *loc, const char *to, const char *proto)
{
	if (strcmp(to, "detect") == 0)
		return true;
	const char *colon = strchr(to, ':');
	if (to[0] == '&' || to[0] == '%') {
		/* the address of an interface, found when the firewall starts */
		char *name = colon ? arena_strndup(c->arena, to + 1, (size_t)(colon - to - 1)) : arena_strdup(c->arena, to + 1);
		bool ok = true;
		if (!netcheck_iface(c->graph, name)) {
			diag_error(c->diag, loc, "Unknown interface (%s)", name);
			ok = false;
		}
		if (colon && !masq_check_ports(c, loc, colon + 1, proto))
			ok = false;
		return ok;
	}
	if (!strchr(to, '.')) {
		const char *ports = to[0] == ':' ? to + 1 : to;
		if (!*ports) {
			diag_error(c->diag, loc, "Missing Address or Port[-range] (%s)", to);
			return false;
		}
		return masq_check_ports(c, loc, ports, proto);
	}
	char *addr = colon ? arena_strndup(c->arena, to, (size_t)(colon - to)) : arena_strdup(c->arena, to);
	struct addr_item it;
	bool ok = true;
	if (!addr_parse_item(addr, &it, false) || it.kind == ADDR_IPSET || (it.kind == ADDR_NET && it.net.len != 32)) {
		diag_error(c->diag, loc, "Invalid IP address (%s)", addr);
		ok = false;
	}
	if (colon && !masq_check_ports(c, loc, colon + 1, proto))
		ok = false;
	return ok;
}

bool masq_check_probability(struct compile *c, const struct loc *loc, const char *text)
{
	const char *p = text[0] == '!' ? text + 1 : text;
	if (p[0] == '0')
		p++;
	size_t digits = p[0] == '.' ? strspn(p + 1, "0123456789") : 0;
	if (p[0] != '.' || digits < 1 || digits > 8 || p[1 + digits]) {
		diag_error(c->diag, loc, "Invalid PROBABILITY (%s)", text);
		return false;
	}
	return true;
}

bool masq_parse_tail(struct compile *c, const struct loc *loc, const char *ipsec, const char *probability,
		     const char *origdest, struct snat *t)
{
	bool ok = netcheck_snat_ipsec(c, loc, ipsec, &t->ipsec, &t->ipsec_opts);
	if (probability && !masq_check_probability(c, loc, probability))
		ok = false;
	struct addr_list od;
	if (origdest && !read_addrs(c, loc, origdest, &od))
		ok = false;
	t->probability = probability;
	t->origdest = origdest;
	return ok;
}

void masq_expand(struct compile *c, const struct snat *tmpl, const char *const *ifaces, size_t nif,
		 const char *const *protos, size_t nproto)
{
	for (size_t i = 0; i < nif; i++) {
		for (size_t j = 0; j < nproto; j++) {
			struct snat *t = arena_new_obj(c->arena, struct snat);
			*t = *tmpl;
			t->iface_name = tmpl->dest_fw ? NULL : ifaces[i];
			t->iface = tmpl->dest_fw ? NULL : netcheck_iface(c->graph, ifaces[i]);
			t->proto = protos ? protos[j] : NULL;
			vec_push(c->arena, &c->graph->snats, t);
		}
	}
}

/* ---- the ADDRESS column ------------------------------------------------------------------------------ */

/* Fills action, to, random, persistent. Checks that need PROTO are left to the caller. */
static bool parse_address(struct compile *c, const struct loc *loc, const char *text, struct snat *t)
{
	t->action = SNAT_MASQUERADE;
	if (!text)
		return true;
	if (strcmp(text, "random") == 0) {
		t->random = true;
		return true;
	}
	char *a = arena_strdup(c->arena, text);
	size_t len = strlen(a);
	if (len >= 11 && strcmp(a + len - 11, ":persistent") == 0) {
		t->persistent = true;
		a[len -= 11] = '\0';
	}
	if (len >= 7 && strcmp(a + len - 7, ":random") == 0) {
		t->random = true;
		a[len -= 7] = '\0';
	}
	if (strncmp(a, "SAME", 4) == 0) {
		diag_error(c->diag, loc, "The SAME target is no longer supported");
		return false;
	}
	if (strcmp(a, "NONAT") == 0) {
		if (t->persistent || t->random) {
			diag_error(c->diag, loc, "'%s' may not be specified with 'NONAT'", t->persistent ? "persistent" : "random");
			return false;
		}
		t->action = SNAT_NONAT;
		return true;
	}
	if (!*a) {
		if (t->persistent) {
			diag_error(c->diag, loc, "':persistent' is not allowed in a MASQUERADE rule");
			return false;
		}
		return true;
	}
	if (strchr(a, ',')) {
		diag_error(c->diag, loc, "Only one ADDRESS may be specified");
		return false;
	}
	t->to = a;
	/* ":ports" alone keeps MASQUERADE, with --to-ports */
	if (!strchr(a, '.') && a[0] != '&' && a[0] != '%' && strcmp(a, "detect") != 0)
		return true;
	t->action = SNAT_SNAT;
	return true;
}

/* ---- the file -------------------------------------------------------------------------------------------- */

static void masq_row(struct compile *c, const struct row *r)
{
	const struct loc *loc = &r->loc;
	const char *col[MC_COUNT];
	for (unsigned i = 0; i < MC_COUNT; i++)
		col[i] = col_value(r, i);
	const char *ifcol = col[MC_INTERFACE];
	if (!ifcol) {
		diag_error(c->diag, loc, "INTERFACE must be specified");
		return;
	}
	bool ok = true, prenat = false;
	if (ifcol[0] == '+') {
		prenat = true;
		ifcol++;
	}
	size_t iflen = strlen(ifcol);
	if (strncmp(ifcol, "INLINE(", 7) == 0 && iflen > 8 && ifcol[iflen - 1] == ')')
		ifcol = arena_strndup(c->arena, ifcol + 7, iflen - 8);

	struct snat proto_t = { 0 };        /* what every record of the row shares */
	const char **ifaces;
	size_t nif;
	if (!masq_parse_ifaces(c, loc, ifcol, NULL, &ifaces, &nif, &proto_t.dest, NULL))
		ok = false;
	if (!masq_parse_source(c, loc, col[MC_SOURCE], &proto_t.source, &proto_t.source_iface))
		ok = false;
	if (!parse_address(c, loc, col[MC_ADDRESS], &proto_t))
		ok = false;

	const char **protos = NULL;
	size_t nproto = 1;
	if (col[MC_PROTO])
		nproto = netcheck_split(c->arena, col[MC_PROTO], &protos);
	for (size_t i = 0; i < nproto; i++) {
		const char *proto = protos ? protos[i] : NULL;
		if (!netcheck_proto_ports(c, loc, proto, col[MC_PORT], NULL))
			ok = false;
		if (proto_t.to && !masq_check_to(c, loc, proto_t.to, proto))
			ok = false;
	}

	if (!masq_parse_tail(c, loc, col[MC_IPSEC], col[MC_PROBABILITY], col[MC_ORIGDEST], &proto_t))
		ok = false;
	if (!ok)
		return;

	proto_t.prenat = prenat;
	proto_t.ports = col[MC_PORT];
	proto_t.mark = col[MC_MARK];
	proto_t.user = col[MC_USER];
	proto_t.switch_name = col[MC_SWITCH];
	proto_t.from_masq = true;
	proto_t.loc = *loc;
	masq_expand(c, &proto_t, ifaces, nif, protos, nproto);
}

int parse_masq(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, MC_COUNT, "masq file"))
			continue;
		masq_row(c, &r);
	}
	source_set_layout(s, "2.2/5.x masq");
	return (int)(c->diag->errors - before);
}
