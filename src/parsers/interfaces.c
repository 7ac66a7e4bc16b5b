/* interfaces.c — the interfaces file (FORMAT 1 with BROADCAST, as in 2.2 and 5.2, or 5.2's FORMAT 2): devices, their options, and the zones they put whole into. */
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

#define IFNAME_MAX 15               /* IFNAMSIZ - 1: the kernel refuses longer device names */

/* The columns of each ?FORMAT: FORMAT 1 (2.2, and 5.2's default) has BROADCAST third, 5.2's
 * FORMAT 2 drops it. ZONE and INTERFACE are always first and second. */
enum { IC_ZONE, IC_INTERFACE };
static const struct iface_format {
	unsigned ncols;
	int broadcast;              /* column index, -1 = none */
	unsigned options;
	const char *layout;         /* for `check -v` */
} formats[] = {
	[1] = { 4, 2, 3, "2.2/5.2 (FORMAT 1)" },
	[2] = { 3, -1, 2, "5.2 (FORMAT 2)" },
};

/* How an option takes its value (low bits of the keyword flags), and where it may appear. */
enum opt_kind {
	OK_SIMPLE,                  /* no value */
	OK_BINARY,                  /* [=0|1], default 1 */
	OK_NUMERIC,                 /* =N within limits[], default from limits[] or required */
	OK_ENUM,                    /* arp_ignore[=1|2|3|8] */
	OK_IPLIST,                  /* nets=, sfilter=: an address list, (parenthesised) or not */
	OK_STRING,                  /* physical=name */
	OK_OBSOLETE,                /* accepted with a warning; does nothing */
};
#define OF_KIND     0x07u
#define OF_HOST     0x08u       /* also a property of the zone membership (allowed on a bridge port) */
#define OF_ZONEONLY 0x10u       /* not on a multi-zone interface (ZONE `-`) */
#define OF_WILDOK   0x20u       /* meaningful on the interface named `+` */
#define OF_PROC     0x40u       /* a /proc setting: meaningless for a wildcard device */

/* 2.x options that 5.2 no longer knows are not in this table, so they are errors:
 * `newnotsyn`, `noping`, `filterping`, `dropunclean`, `logunclean`, `nobogons`, `routestopped`.
 * None is harmless to drop: noping/filterping/dropunclean/logunclean/nobogons each filtered
 * traffic (dropping them silently opens the firewall), newnotsyn changed which TCP packets count as
 * new connections, and routestopped is now the routestopped/stoppedrules file. norfc1918 and
 * detectnets only warn, as in 5.2, which removed them the same way. `dbl` and `notrack` are not
 * accepted either (5.2.8 has no notrack interface option; dbl needs the dynamic blacklist ipsets,
 * which this compiler does not build). */
/* must stay sorted */
static const struct keyword options[] = {
	{ "accept_ra",   IFO_ACCEPT_RA,   OK_NUMERIC | OF_PROC },
	{ "arp_filter",  IFO_ARP_FILTER,  OK_BINARY | OF_PROC },
	{ "arp_ignore",  IFO_ARP_IGNORE,  OK_ENUM | OF_PROC },
	{ "blacklist",   IFO_BLACKLIST,   OK_SIMPLE | OF_HOST },
	{ "bridge",      IFO_BRIDGE,      OK_SIMPLE },
	{ "destonly",    IFO_DESTONLY,    OK_SIMPLE | OF_HOST },
	{ "detectnets",  IFO_DETECTNETS,  OK_OBSOLETE },
	{ "dhcp",        IFO_DHCP,        OK_SIMPLE },
	{ "forward",     IFO_FORWARD,     OK_BINARY | OF_PROC },
	{ "ignore",      IFO_IGNORE,      OK_NUMERIC | OF_WILDOK },
	{ "logmartians", IFO_LOGMARTIANS, OK_BINARY | OF_PROC },
	{ "loopback",    IFO_LOOPBACK,    OK_BINARY },
	{ "maclist",     IFO_MACLIST,     OK_SIMPLE | OF_HOST },
	{ "mss",         IFO_MSS,         OK_NUMERIC | OF_WILDOK },
	{ "nets",        IFO_NETS,        OK_IPLIST | OF_ZONEONLY },
	{ "nodbl",       IFO_NODBL,       OK_SIMPLE },
	{ "norfc1918",   -1,              OK_OBSOLETE },
	{ "nosmurfs",    IFO_NOSMURFS,    OK_SIMPLE | OF_HOST },
	{ "optional",    IFO_OPTIONAL,    OK_SIMPLE },
	{ "physical",    IFO_PHYSICAL,    OK_STRING | OF_HOST | OF_WILDOK },
	{ "proxyarp",    IFO_PROXYARP,    OK_BINARY | OF_PROC },
	{ "required",    IFO_REQUIRED,    OK_SIMPLE },
	{ "routeback",   IFO_ROUTEBACK,   OK_BINARY | OF_ZONEONLY | OF_HOST },
	{ "routefilter", IFO_ROUTEFILTER, OK_NUMERIC | OF_PROC },
	{ "rpfilter",    IFO_RPFILTER,    OK_SIMPLE },
	{ "sfilter",     IFO_SFILTER,     OK_IPLIST },
	{ "sourceroute", IFO_SOURCEROUTE, OK_BINARY | OF_PROC },
	{ "tcpflags",    IFO_TCPFLAGS,    OK_BINARY | OF_HOST },
	{ "unmanaged",   IFO_UNMANAGED,   OK_SIMPLE },
	{ "upnp",        IFO_UPNP,        OK_SIMPLE },
	{ "upnpclient",  IFO_UPNPCLIENT,  OK_SIMPLE },
	{ "wait",        IFO_WAIT,        OK_NUMERIC },
};

/* Numeric options: value when written bare (-1 = a value is required) and the accepted range. */
static const struct { long dflt, min, max; } limits[IFO_COUNT] = {
	[IFO_ACCEPT_RA]   = { 1, 0, 2 },
	[IFO_IGNORE]      = { 3, 1, 3 },        /* bit 1: no up/down handling, bit 2: no sfilter */
	[IFO_MSS]         = { -1, 1, 65535 },   /* what TCPMSS --set-mss can carry */
	[IFO_ROUTEFILTER] = { 1, 0, 2 },
	[IFO_WAIT]        = { 60, 0, 300 },
};

/* Options that make no sense on an interface Shorewall does not manage. */
static const enum iface_opt not_with_unmanaged[] = {
	IFO_BLACKLIST, IFO_BRIDGE, IFO_DESTONLY, IFO_DHCP, IFO_MACLIST, IFO_NETS, IFO_NOSMURFS,
	IFO_OPTIONAL, IFO_ROUTEBACK, IFO_RPFILTER, IFO_SFILTER, IFO_TCPFLAGS, IFO_UPNP, IFO_UPNPCLIENT,
};

const struct keyword *interfaces_option_table(size_t *n)
{
	*n = KW_COUNT(options);
	return options;
}

static const char *opt_name(enum iface_opt o)
{
	for (size_t i = 0; i < KW_COUNT(options); i++)
		if (options[i].value == (int)o)
			return options[i].name;
	return "?";
}

/* Device names: what ip(8) accepts that Shorewall does too, at most 15 bytes, optionally a
 * trailing '+' (every device that starts so). */
static bool ifname_ok(const char *s, bool allow_wild)
{
	size_t n = strlen(s);
	if (allow_wild && n && s[n - 1] == '+')
		n--;
	if (n > IFNAME_MAX || (n == 0 && !(allow_wild && s[0] == '+')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.@-", s[i]))
			return false;
	return true;
}

static struct iface *find_device(const struct graph *g, const char *name)
{
	for (size_t i = 0; i < g->ifaces.n; i++)
		if (strcmp(g->ifaces.v[i]->name, name) == 0 || strcmp(g->ifaces.v[i]->physical, name) == 0)
			return g->ifaces.v[i];
	return NULL;
}

/* Split an OPTIONS column at the commas that are not inside (…), so nets=(a,b) stays whole.
 * Returns the number of elements, or -1 when the parentheses do not balance. */
static int split_options(struct compile *c, const char *text, char ***out)
{
	char *copy = arena_strdup(c->arena, text);
	VEC(char *) v = { 0 };
	int depth = 0;
	char *start = copy;
	for (char *p = copy;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth < 0)
			return -1;
		else if ((*p == ',' && depth == 0) || !*p) {
			bool end = !*p;
			*p = '\0';
			vec_push(c->arena, &v, start);
			start = p + 1;
			if (end)
				break;
		}
	}
	if (depth)
		return -1;
	vec_push(c->arena, &v, (char *)NULL);     /* one_option looks ahead for nets= lists */
	*out = v.v;
	return (int)v.n - 1;
}

static bool addr_like(const char *s)
{
	return isdigit((unsigned char)s[0]) || s[0] == '!' || s[0] == '+';
}

/* Report the element of an address list that did not parse, as Shorewall does. */
static void bad_address(struct compile *c, const struct loc *loc, const char *bad)
{
	if (bad[0] == '+')
		diag_error(c->diag, loc, "Invalid ipset name (%s)", bad);
	else
		diag_error(c->diag, loc, "Invalid IP address (%s)", bad);
}

struct ifrow {
	struct compile *c;
	const struct row *r;
	struct iface *i;
	bool port;                  /* br0:eth1 */
	bool nets_seen;
};

static void set_opt(struct iface *i, enum iface_opt o, long v)
{
	i->opts |= (uint64_t)1 << o;
	i->optval[o] = v;
}

static void one_option(struct ifrow *x, const char *elem, char **rest, int *consumed)
{
	struct compile *c = x->c;
	struct iface *i = x->i;
	const struct loc *loc = &x->r->loc;
	char *key = arena_strdup(c->arena, elem);
	char *val = strchr(key, '=');
	if (val)
		*val++ = '\0';
	const struct keyword *k = KW_FIND(options, key);
	if (!k) {
		diag_error(c->diag, loc, "Invalid Interface option (%s)", key);
		return;
	}
	enum opt_kind kind = (enum opt_kind)(k->flags & OF_KIND);
	enum iface_opt o = (enum iface_opt)k->value;
	bool off = kind == OK_BINARY && val && strcmp(val, "0") == 0;

	if ((k->flags & OF_ZONEONLY) && !i->zone_name && !off) {
		if (o == IFO_NETS)
			diag_error(c->diag, loc, "\"nets=\" may not be specified for a multi-zone interface");
		else
			diag_error(c->diag, loc, "The \"%s\" option may not be specified on a multi-zone interface", key);
		return;
	}
	if (x->port && !(k->flags & OF_HOST)) {
		diag_error(c->diag, loc, "The \"%s\" option is not allowed on a bridge port", key);
		return;
	}

	char *end = NULL;
	long n;
	switch (kind) {
	case OK_SIMPLE:
		if (val) {
			diag_error(c->diag, loc, "Option %s does not take a value", key);
			return;
		}
		if (o == IFO_BLACKLIST) {
			diag_warn(c->diag, loc, "The 'blacklist' interface option is no longer supported");
			if (!i->zone_name)
				diag_warn(c->diag, loc, "The 'blacklist' option is ignored on multi-zone interfaces");
		}
		set_opt(i, o, 1);
		break;
	case OK_BINARY:
		if (val && strcmp(val, "0") != 0 && strcmp(val, "1") != 0) {
			diag_error(c->diag, loc, "Option value for '%s' must be 0 or 1", key);
			return;
		}
		set_opt(i, o, val ? val[0] - '0' : 1);
		break;
	case OK_NUMERIC:
		if (!val && limits[o].dflt < 0) {
			diag_error(c->diag, loc, "The '%s' option requires a value", key);
			return;
		}
		n = limits[o].dflt;
		if (val) {
			n = isdigit((unsigned char)val[0]) ? strtol(val, &end, 10) : -1;
			if (n < 0 || *end || n < limits[o].min || n > limits[o].max) {
				diag_error(c->diag, loc, "Invalid value (%s) for option %s", val, key);
				return;
			}
		}
		set_opt(i, o, n);
		break;
	case OK_ENUM:               /* arp_ignore: the values the kernel documents */
		if (i->wildcard) {
			diag_error(c->diag, loc, "The 'arp_ignore' option may not be used with a wild-card interface name");
			return;
		}
		if (val && (strlen(val) != 1 || !strchr("1238", val[0]))) {
			diag_error(c->diag, loc, "Invalid value (%s) for arp_ignore", val);
			return;
		}
		set_opt(i, o, val ? val[0] - '0' : 1);
		break;
	case OK_IPLIST: {
		if (!val || !*val) {
			diag_error(c->diag, loc, "The '%s' option requires a value", key);
			return;
		}
		size_t len = strlen(val);
		if (val[0] == '(' && val[len - 1] == ')') {
			val[len - 1] = '\0';
			val++;
		} else {
			/* nets=10.0.0.0/8,192.168.0.0/16: the following address-looking elements are
			 * more of the same list, not options */
			while (rest[*consumed] && addr_like(rest[*consumed])) {
				val = arena_printf(c->arena, "%s,%s", val, rest[*consumed]);
				(*consumed)++;
			}
		}
		if (o == IFO_NETS && x->nets_seen) {
			diag_error(c->diag, loc, "Duplicate nets option");
			return;
		}
		const char *bad;
		struct addr_list l;
		if (!addr_parse_list(c->arena, val, &l, o == IFO_NETS, &bad)) {
			bad_address(c, loc, bad);
			return;
		}
		for (struct addr_item *it = l.items; it; it = it->next)
			if (it->kind == ADDR_DYNAMIC && (l.items->next || l.excl)) {
				diag_error(c->diag, loc, "Invalid value (%s) for option %s", val, key);
				return;
			}
		if (o == IFO_NETS) {
			x->nets_seen = true;
			i->nets = l;
		} else {
			i->sfilter = l;
		}
		set_opt(i, o, 1);
		break;
	}
	case OK_STRING:
		if (!val || !*val) {
			diag_error(c->diag, loc, "The '%s' option requires a value", key);
			return;
		}
		if (!ifname_ok(val, true)) {
			diag_error(c->diag, loc, "Invalid interface name (%s)", val);
			return;
		}
		if (find_device(c->graph, val) && !x->port) {
			diag_error(c->diag, loc, "Duplicate physical interface name (%s)", val);
			return;
		}
		if (i->wildcard != (val[strlen(val) - 1] == '+')) {
			diag_error(c->diag, loc, "The type of 'physical' name (%s) doesn't match the type of interface name (%s)",
				   val, i->name);
			return;
		}
		i->physical = arena_strdup(c->arena, val);
		set_opt(i, o, 1);
		break;
	case OK_OBSOLETE:
		diag_warn(c->diag, loc, "Support for the %s interface option has been removed from Shorewall", key);
		break;
	}
}

static void parse_options(struct ifrow *x, const char *text)
{
	struct compile *c = x->c;
	char **elems;
	int n = split_options(c, text, &elems);
	if (n < 0) {
		diag_error(c->diag, &x->r->loc, "Invalid option list (%s)", text);
		return;
	}
	for (int j = 0; j < n;) {
		int consumed = j + 1;
		if (!*elems[j])
			diag_error(c->diag, &x->r->loc, "Invalid option list (%s)", text);
		else
			one_option(x, elems[j], elems, &consumed);
		j = consumed;
	}
}

/* Rules between options, checked once the whole list is known. */
static void check_combinations(struct ifrow *x)
{
	struct compile *c = x->c;
	struct iface *i = x->i;
	const struct loc *loc = &x->r->loc;

	int excl = IFACE_HAS(i, IFO_REQUIRED) + IFACE_HAS(i, IFO_OPTIONAL) + IFACE_HAS(i, IFO_IGNORE);
	if (excl > 1)
		diag_error(c->diag, loc, "The 'required', 'optional' and 'ignore' options are mutually exclusive");
	if (IFACE_ON(i, IFO_ROUTEFILTER) + IFACE_HAS(i, IFO_SFILTER) + IFACE_HAS(i, IFO_RPFILTER) > 1)
		diag_error(c->diag, loc, "The 'routefilter', 'sfilter' and 'rpfilter' options are mutually exclusive");
	if (IFACE_HAS(i, IFO_IGNORE) && i->zone_name)
		diag_error(c->diag, loc, "Ignored interfaces may not be associated with a zone");
	if (IFACE_HAS(i, IFO_BRIDGE)) {
		if (i->wildcard)
			diag_error(c->diag, loc, "Bridges may not have wildcard names");
		/* traffic between bridge ports goes back out the bridge it came in on */
		if (!IFACE_HAS(i, IFO_ROUTEBACK))
			set_opt(i, IFO_ROUTEBACK, 1);
	}
	if (IFACE_HAS(i, IFO_UNMANAGED)) {
		for (size_t j = 0; j < sizeof(not_with_unmanaged) / sizeof(not_with_unmanaged[0]); j++)
			if (IFACE_HAS(i, not_with_unmanaged[j]))
				diag_error(c->diag, loc, "The %s option may not be specified with 'unmanaged'",
					   opt_name(not_with_unmanaged[j]));
		if (i->zone_name)
			diag_error(c->diag, loc, "Unmanaged interfaces may not be associated with a zone");
	}
	for (size_t j = 0; j < KW_COUNT(options); j++) {
		const struct keyword *k = &options[j];
		if (k->value < 0 || !IFACE_HAS(i, (enum iface_opt)k->value))
			continue;
		if (strcmp(i->name, "+") == 0) {
			if (!(k->flags & OF_WILDOK))
				diag_warn(c->diag, loc, "The '%s' option is ignored when used with interface name '+'", k->name);
		} else if ((k->flags & OF_PROC) && i->physical[strlen(i->physical) - 1] == '+') {
			diag_warn(c->diag, loc, "The '%s' option is ignored when used with a wildcard physical name", k->name);
		}
	}
}

/* The zone this line puts the whole interface into, as a host record like the hosts file's. */
static void add_member(struct compile *c, struct iface *i)
{
	struct host *h = arena_new_obj(c->arena, struct host);
	h->zone = i->zone;
	h->iface = i;
	h->from_interfaces = true;
	h->loc = i->loc;
	if (IFACE_HAS(i, IFO_NETS)) {
		h->addrs = i->nets;
		h->opts |= 1u << HO_BROADCAST;
	}
	static const struct { enum iface_opt io; enum host_opt ho; } carried[] = {
		{ IFO_DESTONLY, HO_DESTONLY }, { IFO_MACLIST, HO_MACLIST }, { IFO_NOSMURFS, HO_NOSMURFS },
		{ IFO_ROUTEBACK, HO_ROUTEBACK }, { IFO_TCPFLAGS, HO_TCPFLAGS },
	};
	for (size_t j = 0; j < sizeof(carried) / sizeof(carried[0]); j++)
		if (IFACE_ON(i, carried[j].io))
			h->opts |= 1u << carried[j].ho;
	vec_push(c->arena, &i->zone->hosts, h);
	vec_push(c->arena, &c->graph->hosts, h);
}

static void interface_row(struct compile *c, struct source *s, const struct row *in)
{
	struct graph *g = c->graph;
	const struct iface_format *fmt = &formats[in->format];
	/* reported, then read as far as the known columns go, so the interface still exists for
	 * the hosts and other files that name it */
	struct row rr = *in, *r = &rr;
	if (!row_max_columns(s, r, fmt->ncols, "interfaces file"))
		rr.ncols = fmt->ncols;

	struct ifrow x = { .c = c, .r = r };
	struct zone *z = NULL;
	const char *zname = col_value(r, IC_ZONE);
	if (zname) {
		z = graph_find_zone(g, zname);
		if (!z) {
			diag_error(c->diag, &r->loc, "Unknown zone (%s)", zname);
			return;
		}
		if (z->type == ZONE_FIREWALL) {
			diag_error(c->diag, &r->loc, "Firewall zone not allowed in ZONE column of interface record");
			return;
		}
	}

	const char *written = col_value(r, IC_INTERFACE);
	if (!written) {
		diag_error(c->diag, &r->loc, "INTERFACE must be specified");
		return;
	}
	char *name = arena_strdup(c->arena, written), *bridge = NULL;
	char *colon = strchr(name, ':');
	if (colon) {
		*colon = '\0';
		bridge = name;
		name = colon + 1;
		if (!*bridge || !*name || strchr(name, ':')) {
			diag_error(c->diag, &r->loc, "Invalid INTERFACE (%s)", written);
			return;
		}
		bool numeric = true;
		for (const char *p = name; *p; p++)
			numeric = numeric && isdigit((unsigned char)*p);
		if (numeric) {
			diag_error(c->diag, &r->loc, "Virtual interfaces (%s) are not supported", written);
			return;
		}
	}
	if (!ifname_ok(name, true) || (bridge && !ifname_ok(bridge, false))) {
		diag_error(c->diag, &r->loc, "Invalid interface name (%s)", written);
		return;
	}
	if (find_device(g, name)) {
		diag_error(c->diag, &r->loc, "Duplicate Interface (%s)", name);
		return;
	}
	if (bridge) {
		struct iface *b = graph_find_iface(g, bridge);
		if (!b || !IFACE_HAS(b, IFO_BRIDGE)) {
			diag_error(c->diag, &r->loc, "%s is not a defined bridge", bridge);
			return;
		}
		if (z && z->type != ZONE_BPORT) {
			diag_error(c->diag, &r->loc, "Bridge Ports may only be associated with 'bport' zones");
			return;
		}
	} else if (z && z->type == ZONE_BPORT) {
		diag_error(c->diag, &r->loc, "Zones of type 'bport' may only be associated with bridge ports");
		return;
	}
	if (z && z->type == ZONE_VSERVER) {
		diag_error(c->diag, &r->loc, "Vserver zones may not be associated with interfaces");
		return;
	}

	struct iface *i = arena_new_obj(c->arena, struct iface);
	x.i = i;
	x.port = bridge != NULL;
	i->name = name;
	i->physical = name;
	i->loc = r->loc;
	i->optloc = r->loc;
	i->zone_name = zname;
	i->zone = z;
	i->bridge = bridge;
	i->wildcard = name[strlen(name) - 1] == '+';

	if (fmt->broadcast >= 0) {
		const char *bc = col_value(r, (unsigned)fmt->broadcast);
		if (bc && strcmp(bc, "detect") != 0) {
			bool ok = true;
			char *copy = arena_strdup(c->arena, bc);
			uint32_t a;
			for (char *save = NULL, *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save))
				ok = ok && addr_parse_ip4(e, &a);
			if (!ok && r->ncols == (unsigned)fmt->broadcast + 1)
				/* the classic mistake: a 5.2 FORMAT 2 line in a FORMAT 1 file */
				diag_error(c->diag, &r->loc, "Invalid BROADCAST address (%s): the third column is "
					   "BROADCAST unless the file says ?FORMAT 2", bc);
			else if (!ok)
				diag_error(c->diag, &r->loc, "Invalid BROADCAST address (%s)", bc);
			else
				diag_warn(c->diag, &r->loc, "Shorewall no longer uses broadcast addresses in rule generation "
					  "when Address Type Match is available");
		}
		i->broadcast = bc;
	}

	const char *opts = col_value(r, fmt->options);
	if (opts)
		parse_options(&x, opts);
	check_combinations(&x);

	/* `lo` is the loopback device whatever it is called in the file */
	if (strcmp(i->physical, "lo") == 0 && !IFACE_HAS(i, IFO_LOOPBACK))
		set_opt(i, IFO_LOOPBACK, 1);
	if (IFACE_ON(i, IFO_LOOPBACK)) {
		for (size_t j = 0; j < g->ifaces.n; j++)
			if (IFACE_ON(g->ifaces.v[j], IFO_LOOPBACK))
				diag_error(c->diag, &r->loc, "Only one 'loopback' interface is allowed");
		if (z && z->type != ZONE_LOOPBACK)
			diag_error(c->diag, &r->loc, "Only a loopback zone may be assigned to '%s'", i->physical);
	} else if (z && z->type == ZONE_LOOPBACK) {
		diag_error(c->diag, &r->loc, "A loopback zone may only be assigned to the loopback interface");
	}
	/* tcpflags is on unless switched off, as in Shorewall */
	if (!IFACE_HAS(i, IFO_UNMANAGED) && !IFACE_HAS(i, IFO_TCPFLAGS))
		set_opt(i, IFO_TCPFLAGS, 1);

	vec_push(c->arena, &g->ifaces, i);
	if (z)
		add_member(c, i);
}

int parse_interfaces(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	unsigned widest = 1;        /* the file's layout is named after its newest FORMAT */
	bool bad_format = false;
	struct row r;

	if (!c->graph)
		c->graph = graph_new(c);
	while (source_next(s, &r)) {
		if (r.format >= sizeof(formats) / sizeof(formats[0]) || !formats[r.format].ncols) {
			if (!bad_format)
				diag_error(c->diag, &r.loc, "Invalid ?FORMAT for the interfaces file (%u)", r.format);
			bad_format = true;
			continue;
		}
		if (r.format > widest)
			widest = r.format;
		interface_row(c, s, &r);
	}
	source_set_layout(s, formats[widest].layout);
	if (!s->info->rows) {
		struct loc eof = source_eof(s);
		diag_error(c->diag, &eof, "No network interfaces defined");
	}
	return (int)(c->diag->errors - before);
}
