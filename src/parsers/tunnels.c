/* tunnels.c — the tunnels file: which encapsulated traffic may pass between the firewall and a gateway.
 *
 * Columns `TYPE ZONE GATEWAY GATEWAY_ZONE`, the same in 2.2 and 5.2 (Tunnels.pm setup_tunnels). */
#include "parsers.h"
#include "tunnels.h"

#include "compile.h"
#include "graph.h"
#include "netcheck.h"
#include "source.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How the text after the type's first ':' is read. */
enum {
	TQ_NONE,                    /* no qualifier allowed */
	TQ_IPSEC,                   /* :ah | :noah */
	TQ_OPENVPN,                 /* [:tcp|:udp][:port] */
	TQ_GENERIC,                 /* :proto[:port] */
};

static const struct keyword tunnel_types[] = {  /* must stay sorted */
	{ "6in4", TUN_6TO4, TQ_NONE },
	{ "6to4", TUN_6TO4, TQ_NONE },
	{ "generic", TUN_GENERIC, TQ_GENERIC },
	{ "gre", TUN_GRE, TQ_NONE },
	{ "ipip", TUN_IPIP, TQ_NONE },
	{ "ipsec", TUN_IPSEC, TQ_IPSEC },
	{ "ipsecnat", TUN_IPSECNAT, TQ_IPSEC },
	{ "l2tp", TUN_L2TP, TQ_NONE },
	{ "openvpn", TUN_OPENVPN, TQ_OPENVPN },
	{ "openvpnclient", TUN_OPENVPNCLIENT, TQ_OPENVPN },
	{ "openvpnserver", TUN_OPENVPNSERVER, TQ_OPENVPN },
	{ "pptpclient", TUN_PPTPCLIENT, TQ_NONE },
	{ "pptpserver", TUN_PPTPSERVER, TQ_NONE },
	{ "tinc", TUN_TINC, TQ_NONE },
};

/* ipsec / ipsecnat modifiers; value 1 = AH is opened too. */
static const struct keyword ipsec_modifiers[] = {       /* must stay sorted */
	{ "ah", 1, 0 },
	{ "noah", 0, 0 },
};

const struct keyword *tunnels_type_table(size_t *n)
{
	*n = KW_COUNT(tunnel_types);
	return tunnel_types;
}

const struct keyword *tunnels_ipsec_modifier_table(size_t *n)
{
	*n = KW_COUNT(ipsec_modifiers);
	return ipsec_modifiers;
}

static bool port_number(const char *s, unsigned *out)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return false;
	unsigned long v = strtoul(s, NULL, 10);
	if (v == 0 || v > 65535)
		return false;
	*out = (unsigned)v;
	return true;
}

/* TYPE: fills type, ah, proto, port. The type name is case-insensitive, as in Shorewall. */
static bool parse_type(struct compile *c, const struct loc *loc, const char *text, struct tunnel *t)
{
	char *lower = arena_strdup(c->arena, text);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *parts[4] = { NULL, NULL, NULL, NULL };
	size_t n = 0;
	for (char *save = NULL, *tok = strtok_r(lower, ":", &save); tok && n < 4; tok = strtok_r(NULL, ":", &save))
		parts[n++] = tok;
	const char *q = strchr(text, ':');      /* the qualifier as written */
	const struct keyword *k = n ? KW_FIND(tunnel_types, parts[0]) : NULL;
	if (!k) {
		const char *colon = strchr(text, ':');
		diag_error(c->diag, loc, "Tunnels of type %.*s are not supported",
			   (int)(colon ? (size_t)(colon - text) : strlen(text)), text);
		return false;
	}
	t->type = (enum tunnel_type)k->value;
	/* strtok skips empty fields ("ipsec::ah"); Shorewall would not read those as modifiers. */
	if (q && strstr(q, "::")) {
		diag_error(c->diag, loc, "Invalid tunnel type (%s)", text);
		return false;
	}
	switch (k->flags) {
	case TQ_NONE:
		if (n > 1) {
			diag_error(c->diag, loc, "Unknown option (%s)", q + 1);
			return false;
		}
		return true;
	case TQ_IPSEC:
		if (n > 2) {
			diag_error(c->diag, loc, "Invalid IPSEC modifier (%s)", q + 1);
			return false;
		}
		if (n == 2) {
			const struct keyword *m = KW_FIND(ipsec_modifiers, parts[1]);
			if (!m) {
				diag_error(c->diag, loc, "Invalid IPSEC modifier (%s)", q + 1);
				return false;
			}
			if (m->value && t->type == TUN_IPSECNAT) {
				diag_error(c->diag, loc, ":ah not allowed with ipsecnat tunnels");
				return false;
			}
			t->ah = m->value;
		}
		return true;
	case TQ_OPENVPN:
		if (n > 3) {
			diag_error(c->diag, loc, "Invalid port (%s)", strchr(q + 1, ':') + 1);
			return false;
		}
		if (n == 3) {
			if (strcmp(parts[1], "tcp") != 0 && strcmp(parts[1], "udp") != 0) {
				diag_error(c->diag, loc, "Invalid/Unknown protocol (%s)", parts[1]);
				return false;
			}
			t->proto = parts[1];
			if (!port_number(parts[2], &t->port)) {
				diag_error(c->diag, loc, "Invalid port (%s)", parts[2]);
				return false;
			}
		} else if (n == 2) {
			if (strcmp(parts[1], "tcp") == 0 || strcmp(parts[1], "udp") == 0) {
				t->proto = parts[1];
			} else if (!port_number(parts[1], &t->port)) {
				diag_error(c->diag, loc, "Invalid port (%s)", parts[1]);
				return false;
			}
		}
		return true;
	case TQ_GENERIC:
		if (n > 3) {
			diag_error(c->diag, loc, "Invalid tunnel type (%s)", text);
			return false;
		}
		if (n >= 2) {
			if (netcheck_proto_number(parts[1]) < 0) {
				diag_error(c->diag, loc, "Invalid/Unknown protocol (%s)", parts[1]);
				return false;
			}
			t->proto = parts[1];
		}
		if (n == 3) {
			if (!netcheck_proto_has_ports(netcheck_proto_number(parts[1]))) {
				diag_error(c->diag, loc, "SOURCE/DEST PORT(S) not allowed with PROTO %s", parts[1]);
				return false;
			}
			if (!port_number(parts[2], &t->port)) {
				diag_error(c->diag, loc, "Invalid port (%s)", parts[2]);
				return false;
			}
		}
		return true;
	}
	return true;
}

static void tunnel_row(struct compile *c, const struct row *r)
{
	const struct loc *loc = &r->loc;
	const char *type = col_value(r, 0), *zone = col_value(r, 1);
	const char *gateway = col_value(r, 2), *gwzones = col_value(r, 3);
	bool ok = true;
	if (!type) {
		diag_error(c->diag, loc, "TYPE must be specified");
		ok = false;
	}
	if (!zone) {
		diag_error(c->diag, loc, "ZONE must be specified");
		ok = false;
	}
	if (!ok)
		return;

	struct tunnel *t = arena_new_obj(c->arena, struct tunnel);
	t->loc = *loc;
	t->type_text = type;
	if (!parse_type(c, loc, type, t))
		ok = false;

	t->zone = graph_find_zone(c->graph, zone);
	if (!t->zone) {
		diag_error(c->diag, loc, "Unknown zone (%s)", zone);
		ok = false;
	} else if (t->zone->type == ZONE_FIREWALL || t->zone->type == ZONE_BPORT) {
		diag_error(c->diag, loc, "Invalid tunnel ZONE (%s)", zone);
		ok = false;
	}

	/* GATEWAY: `-` or 0.0.0.0/0 is any address (a road warrior); no exclusions. */
	if (gateway) {
		const char *bad;
		if (strchr(gateway, '!')) {
			diag_error(c->diag, loc, "Exclusion is not allowed in the GATEWAYS column");
			ok = false;
		} else if (!addr_parse_list(c->arena, gateway, &t->gateways, false, &bad)) {
			diag_error(c->diag, loc, "Invalid IP address (%s)", bad);
			ok = false;
		} else {
			for (struct addr_item *it = t->gateways.items; it; it = it->next) {
				if (it->kind == ADDR_NET && net4_is_any(&it->net)) {
					t->gateways.items = NULL;   /* any address covers the rest */
					break;
				}
			}
		}
	}

	if (gwzones) {
		const char **names;
		size_t n = netcheck_split(c->arena, gwzones, &names);
		for (size_t i = 0; i < n; i++) {
			struct zone *z = graph_find_zone(c->graph, names[i]);
			if (!z) {
				diag_error(c->diag, loc, "Unknown zone (%s)", names[i]);
				ok = false;
			} else if (z->type == ZONE_FIREWALL || z->type == ZONE_BPORT) {
				diag_error(c->diag, loc, "Invalid zone (%s) for GATEWAY ZONE", names[i]);
				ok = false;
			} else {
				vec_push(c->arena, &t->gateway_zones, z);
			}
		}
	}
	if (ok)
		vec_push(c->arena, &c->graph->tunnels, t);
}

int parse_tunnels(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, 4, "tunnels file"))
			continue;
		tunnel_row(c, &r);
	}
	source_set_layout(s, "2.2/5.2");
	return (int)(c->diag->errors - before);
}
