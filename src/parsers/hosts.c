/* hosts.c — the hosts file (2.2 and 5.2 alike): zones made of networks on an interface, and the hosts reached through an SA. */
#include "parsers.h"

#include "addr.h"
#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "membership.h"
#include "source.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { HC_ZONE, HC_HOSTS, HC_OPTIONS, HOSTS_MAX_COLUMNS };      /* the same in 2.2 and 5.2 */
#define HOST_MSS_MIN 500            /* Shorewall's floor: smaller segments only hurt */
#define HOST_MSS_MAX 65535

#define HF_VALUE    1u              /* mss=N */
#define HF_OBSOLETE 2u              /* accepted with a warning, does nothing */

/* must stay sorted */
static const struct keyword options[] = {
	{ "blacklist",  HO_BLACKLIST,  0 },
	{ "broadcast",  HO_BROADCAST,  0 },
	{ "destonly",   HO_DESTONLY,   0 },
	{ "ipsec",      HO_IPSEC,      0 },
	{ "maclist",    HO_MACLIST,    0 },
	{ "mss",        HO_MSS,        HF_VALUE },
	{ "norfc1918",  -1,            HF_OBSOLETE },
	{ "nosmurfs",   HO_NOSMURFS,   0 },
	{ "routeback",  HO_ROUTEBACK,  0 },
	{ "sourceonly", HO_SOURCEONLY, 0 },
	{ "tcpflags",   HO_TCPFLAGS,   0 },
};

const struct keyword *hosts_option_table(size_t *n)
{
	*n = KW_COUNT(options);
	return options;
}

/* The interface a HOST(S) entry names: a declared one (by name or physical=), else the wildcard
 * with the longest root that covers it (ppp0 is on ppp+). */
static struct iface *find_iface(const struct graph *g, const char *name, bool *via_wildcard)
{
	struct iface *best = NULL;
	size_t best_len = 0;
	*via_wildcard = false;
	for (size_t i = 0; i < g->ifaces.n; i++) {
		struct iface *f = g->ifaces.v[i];
		if (strcmp(f->name, name) == 0 || strcmp(f->physical, name) == 0)
			return f;
	}
	for (size_t i = 0; i < g->ifaces.n; i++) {
		struct iface *f = g->ifaces.v[i];
		size_t root = strlen(f->name) - 1;
		if (f->wildcard && strncmp(f->name, name, root) == 0 && (!best || root > best_len)) {
			best = f;
			best_len = root;
		}
	}
	*via_wildcard = best != NULL;
	return best;
}

static bool ifname_chars_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[n - 1] == '+')
		n--;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.@%-", s[i]))
			return false;
	return true;
}

/* Two list elements name the same thing (compared in their normalised spelling). */
static bool item_equal(const struct addr_item *a, const struct addr_item *b)
{
	char x[64], y[64];
	if (a->kind != b->kind)
		return false;
	addr_item_format(a, x, sizeof(x));
	addr_item_format(b, y, sizeof(y));
	return strcmp(x, y) == 0;
}

static bool effective_ipsec(const struct host *h)
{
	return HOST_HAS(h, HO_IPSEC) || h->zone->type == ZONE_IPSEC;
}

static const char *host_ifname(const struct host *h)
{
	return h->ifname ? h->ifname : h->iface->name;
}

/* Shorewall's add_group_to_zone rule: within one zone, an interface's networks are listed once,
 * and a whole interface excludes any other group on it. Plaintext and ipsec groups are apart
 * (the 2.2 mixed zone has both on one interface). */
static void check_duplicates(struct compile *c, const struct loc *loc, const struct host *nh)
{
	const struct zone *z = nh->zone;
	char buf[64];
	for (size_t i = 0; i < z->hosts.n; i++) {
		const struct host *h = z->hosts.v[i];
		if (h->iface != nh->iface || strcmp(host_ifname(h), host_ifname(nh)) != 0 ||
		    effective_ipsec(h) != effective_ipsec(nh))
			continue;
		const struct addr_item *dup = NULL;
		if (!h->addrs.items || !nh->addrs.items) {
			/* a whole interface against anything: name the new group's first element */
			dup = nh->addrs.items;
		} else {
			for (const struct addr_item *a = nh->addrs.items; a && !dup; a = a->next)
				for (const struct addr_item *b = h->addrs.items; b && !dup; b = b->next)
					if (item_equal(a, b))
						dup = a;
			if (!dup)
				continue;
		}
		diag_error(c->diag, loc, "Duplicate Host Group (%s:%s) in zone %s", host_ifname(nh),
			   dup ? addr_item_format(dup, buf, sizeof(buf)) : "0.0.0.0/0", z->name);
		return;
	}
	for (const struct addr_item *a = nh->addrs.items; a; a = a->next)
		for (const struct addr_item *b = a->next; b; b = b->next)
			if (item_equal(a, b)) {
				diag_error(c->diag, loc, "Duplicate Host Group (%s:%s) in zone %s", host_ifname(nh),
					   addr_item_format(a, buf, sizeof(buf)), z->name);
				return;
			}
}

static void parse_host_options(struct compile *c, const struct loc *loc, struct host *h, const char *text)
{
	char *copy = arena_strdup(c->arena, text);
	for (char *e = copy, *comma; e; e = comma ? comma + 1 : NULL) {
		comma = strchr(e, ',');
		if (comma)
			*comma = '\0';
		char *key = arena_strdup(c->arena, e), *val = strchr(key, '=');
		if (val)
			*val++ = '\0';
		const struct keyword *k = KW_FIND(options, key);
		if (!k || !(k->flags & HF_VALUE) != !val) {
			diag_error(c->diag, loc, "Invalid option (%s)", e);
			continue;
		}
		if (k->flags & HF_OBSOLETE) {
			diag_warn(c->diag, loc, "The '%s' host option is no longer supported", key);
			continue;
		}
		enum host_opt o = (enum host_opt)k->value;
		if (o == HO_MSS) {
			bool digits = *val != '\0';
			for (const char *p = val; *p; p++)
				digits = digits && isdigit((unsigned char)*p);
			if (!digits) {
				diag_error(c->diag, loc, "Invalid option (%s)", e);
				continue;
			}
			unsigned long n = strlen(val) > 6 ? HOST_MSS_MAX + 1ul : strtoul(val, NULL, 10);
			if (n < HOST_MSS_MIN || n > HOST_MSS_MAX) {
				diag_error(c->diag, loc, "Invalid mss (%s)", val);
				continue;
			}
			h->mss = (unsigned)n;
		}
		if (o == HO_BLACKLIST)
			diag_warn(c->diag, loc, "The 'blacklist' option is no longer supported");
		h->opts |= 1u << o;
	}
}

static void host_row(struct compile *c, struct source *s, const struct row *in)
{
	struct graph *g = c->graph;
	/* reported, then read as far as the known columns go (a zone left empty would only add
	 * an "EMPTY ZONE" warning to the real error) */
	struct row rr = *in, *r = &rr;
	if (!row_max_columns(s, r, HOSTS_MAX_COLUMNS, "hosts file"))
		rr.ncols = HOSTS_MAX_COLUMNS;
	const char *zname = col_value(r, HC_ZONE), *hosts = col_value(r, HC_HOSTS), *opts = col_value(r, HC_OPTIONS);
	if (!zname) {
		diag_error(c->diag, &r->loc, "ZONE must be specified");
		return;
	}
	if (!hosts) {
		diag_error(c->diag, &r->loc, "HOSTS must be specified");
		return;
	}
	struct zone *z = graph_find_zone(g, zname);
	if (!z) {
		diag_error(c->diag, &r->loc, "Unknown ZONE (%s)", zname);
		return;
	}
	if (z->type == ZONE_FIREWALL) {
		diag_error(c->diag, &r->loc, "Firewall zone not allowed in ZONE column of hosts record");
		return;
	}

	const char *colon = strchr(hosts, ':');
	if (!colon || !ifname_chars_ok(hosts, (size_t)(colon - hosts)) || !colon[1]) {
		diag_error(c->diag, &r->loc, "Invalid HOST(S) column contents (%s)", hosts);
		return;
	}
	char *ifname = arena_strndup(c->arena, hosts, (size_t)(colon - hosts));
	const char *list = colon + 1;
	bool wild;
	struct iface *f = find_iface(g, ifname, &wild);
	if (!f) {
		diag_error(c->diag, &r->loc, "Unknown interface (%s)", ifname);
		return;
	}
	if (IFACE_HAS(f, IFO_UNMANAGED)) {
		diag_error(c->diag, &r->loc, "Unmanaged interfaces may not be associated with a zone");
		return;
	}
	if (z->type == ZONE_BPORT && !f->bridge) {
		diag_error(c->diag, &r->loc, "Bridge Port Zones may only be associated with bridge ports");
		return;
	}

	struct host *h = arena_new_obj(c->arena, struct host);
	h->zone = z;
	h->iface = f;
	h->ifname = wild ? ifname : NULL;
	h->loc = r->loc;

	/* "a,!b" would read as an empty element before the exclusion; Shorewall rejects it too */
	if (strstr(list, ",!")) {
		diag_error(c->diag, &r->loc, "Invalid hosts list (%s)", list);
		return;
	}
	const char *bad;
	if (!addr_parse_list(c->arena, list, &h->addrs, true, &bad)) {
		if (bad[0] == '+')
			diag_error(c->diag, &r->loc, "Invalid ipset name (%s)", bad);
		else if (bad[0] == '!')
			diag_error(c->diag, &r->loc, "Only one exclusion allowed in a host list (%s)", list);
		else
			diag_error(c->diag, &r->loc, "Invalid IP address (%s)", bad);
		return;
	}
	for (struct addr_item *it = h->addrs.items; it; it = it->next) {
		if (it->kind == ADDR_DYNAMIC && (h->addrs.items->next || h->addrs.excl)) {
			diag_error(c->diag, &r->loc, "Invalid HOST(S) column contents (%s)", hosts);
			return;
		}
		/* a zone member is matched both ways, so a set's [src]/[dst] flags have no place */
		if (it->kind == ADDR_IPSET && strchr(it->set, '[')) {
			diag_error(c->diag, &r->loc, "ipset name qualification is disallowed in this file (+%s)", it->set);
			return;
		}
	}
	/* 0.0.0.0/0 alone is the whole interface (the road warrior's `eth0:0.0.0.0/0`): one spelling */
	if (h->addrs.items && !h->addrs.items->next && h->addrs.items->kind == ADDR_NET &&
	    net4_is_any(&h->addrs.items->net))
		h->addrs.items = NULL;

	/* A bad option is reported and the member kept with the options that were good: the
	 * zone is not left empty by it. */
	if (opts)
		parse_host_options(c, &r->loc, h, opts);
	if (HOST_HAS(h, HO_IPSEC)) {
		if (z->type == ZONE_VSERVER)
			diag_error(c->diag, &r->loc, "A host entry for a Vserver zone may not specify the 'ipsec' option");
		/* the seed: "redundant to have Yes in the IPSEC column … and also the ipsec option" */
		if (z->type == ZONE_IPSEC)
			diag_warn(c->diag, &r->loc, "The 'ipsec' option is redundant: %s is an ipsec zone", z->name);
	}

	unsigned before = c->diag->errors;
	check_duplicates(c, &r->loc, h);
	if (c->diag->errors != before)
		return;
	vec_push(c->arena, &z->hosts, h);
	vec_push(c->arena, &g->hosts, h);
}

int parse_hosts(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	if (!c->graph)
		c->graph = graph_new(c);
	source_set_layout(s, "2.2/5.2");
	while (source_next(s, &r))
		host_row(c, s, &r);
	return (int)(c->diag->errors - before);
}
