/* netcheck.c — protocol, port, ICMP, interface, NFQUEUE and IPSEC-column checks shared by the traffic parsers. */
#include "netcheck.h"

#include "compile.h"
#include "ipsec_opts.h"
#include "ir.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- protocols ------------------------------------------------------------------------------------ */

/* Names an admin writes in PROTO columns. A fixed table rather than getprotobyname(3), so a
 * configuration means the same on every host. Lower case; looked up case-insensitively. */
static const struct keyword protocols[] = {     /* must stay sorted */
	{ "ah", 51, 0 },
	{ "all", 0, 0 },
	{ "dccp", NETCHECK_DCCP, 0 },
	{ "egp", 8, 0 },
	{ "eigrp", 88, 0 },
	{ "encap", 98, 0 },
	{ "esp", 50, 0 },
	{ "etherip", 97, 0 },
	{ "gre", 47, 0 },
	{ "icmp", NETCHECK_ICMP, 0 },
	{ "igmp", 2, 0 },
	{ "ipcomp", 108, 0 },
	{ "ipencap", 4, 0 },
	{ "ipip", 94, 0 },
	{ "ipv6", 41, 0 },
	{ "ipv6-frag", 44, 0 },
	{ "ipv6-icmp", NETCHECK_IPV6_ICMP, 0 },
	{ "ipv6-nonxt", 59, 0 },
	{ "ipv6-opts", 60, 0 },
	{ "ipv6-route", 43, 0 },
	{ "l2tp", 115, 0 },
	{ "ospf", 89, 0 },
	{ "pim", 103, 0 },
	{ "rsvp", 46, 0 },
	{ "sctp", NETCHECK_SCTP, 0 },
	{ "tcp", NETCHECK_TCP, 0 },
	{ "udp", NETCHECK_UDP, 0 },
	{ "udplite", NETCHECK_UDPLITE, 0 },
	{ "vrrp", 112, 0 },
};

const struct keyword *netcheck_proto_table(size_t *n)
{
	*n = KW_COUNT(protocols);
	return protocols;
}

/* Decimal or 0x… number no larger than max; false on anything else. */
static bool parse_number(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	/* Fast path for what nearly every port and protocol is, up to 9 plain digits: the value
	 * strtoul would give, without its locale and base handling (strtoul was 3.5 % at 50k rules). */
	unsigned long d = 0;
	size_t i = 0;
	while (i < 9 && s[i] >= '0' && s[i] <= '9')
		d = d * 10 + (unsigned long)(s[i++] - '0');
	if (!s[i]) {
		if (d > max)
			return false;
		*out = d;
		return true;
	}
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int netcheck_proto_number(const char *name)
{
	unsigned long v;
	if (!name || !*name)
		return -1;
	if (isdigit((unsigned char)name[0]))
		return parse_number(name, 255, &v) ? (int)v : -1;
	/* nearly every PROTO column: the table's answer without the case-blind search */
	if (strcmp(name, "tcp") == 0)
		return NETCHECK_TCP;
	if (strcmp(name, "udp") == 0)
		return NETCHECK_UDP;
	const struct keyword *k = kw_find_nocase(protocols, KW_COUNT(protocols), name);
	return k ? k->value : -1;
}

const char *netcheck_proto_name(int num)
{
	/* "all" is 0's name; several names share no number, so a linear scan is exact. */
	if (num == NETCHECK_TCP)
		return "tcp";
	if (num == NETCHECK_UDP)
		return "udp";
	for (size_t i = 0; i < KW_COUNT(protocols); i++)
		if (protocols[i].value == num)
			return protocols[i].name;
	return NULL;
}

bool netcheck_proto_has_ports(int num)
{
	return num == NETCHECK_TCP || num == NETCHECK_UDP || num == NETCHECK_SCTP ||
	       num == NETCHECK_DCCP || num == NETCHECK_UDPLITE;
}

/* ---- lists ---------------------------------------------------------------------------------------- */

/* The common case, a list without parentheses: commas found with strchr (vectorised) instead of a
 * byte loop — this function was a tenth of a 50k-rule compile. Same elements as the loop below. */
static size_t split_flat(struct arena *a, const char *s, const char ***out)
{
	size_t n = 1;
	for (const char *p = strchr(s, ','); p; p = strchr(p + 1, ','))
		n++;
	const char **v = arena_alloc(a, (n + 1) * sizeof(*v));
	/* one copy of the whole list, cut at its commas: the elements are its pieces (an arena copy
	 * per element cost an allocation each and 16 bytes of alignment) */
	char *copy = arena_strdup(a, s);
	size_t i = 0;
	for (char *start = copy;; ) {
		char *p = strchr(start, ',');
		v[i++] = start;
		if (!p)
			break;
		*p = '\0';
		start = p + 1;
	}
	v[i] = NULL;
	*out = v;
	return i;
}

size_t netcheck_split(struct arena *a, const char *s, const char ***out)
{
	size_t len = strcspn(s, ",(");
	if (!s[len]) {
		/* one element, what most columns hold: the list and its copy without a search for
		 * commas (the split is called several times for every rules line) */
		const char **v = arena_alloc(a, 2 * sizeof(*v));
		v[0] = arena_strndup(a, s, len);
		*out = v;
		return 1;
	}
	if (!strchr(s + len, '('))
		return split_flat(a, s, out);
	size_t n = 1, depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if (*p == ',' && !depth)
			n++;
	}
	const char **v = arena_alloc(a, (n + 1) * sizeof(*v));
	size_t i = 0;
	const char *start = s;
	depth = 0;
	for (const char *p = s;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		if (!*p || (*p == ',' && !depth)) {
			v[i++] = arena_strndup(a, start, (size_t)(p - start));
			if (!*p)
				break;
			start = p + 1;
		}
	}
	v[i] = NULL;
	*out = v;
	return i;
}

static int hexval(char ch)
{
	return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10;
}

bool netcheck_mac_read(const char *s, uint8_t mac[6])
{
	if (*s == '~')
		s++;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]))
			return false;
		bool two = isxdigit((unsigned char)s[1]);
		mac[i] = (uint8_t)(two ? hexval(s[0]) * 16 + hexval(s[1]) : hexval(s[0]));
		s += two ? 2 : 1;
		if (i < 5 && *s != '-' && *s != ':')
			return false;
		if (i < 5)
			s++;
	}
	return *s == '\0';
}

bool netcheck_mac(const char *s)
{
	uint8_t mac[6];
	return netcheck_mac_read(s, mac);
}

/* ---- ports ---------------------------------------------------------------------------------------- */

bool netcheck_port(const char *s, const char *pname, unsigned *out)
{
	unsigned long v;
	if (!s || !*s)
		return false;
	if (isdigit((unsigned char)s[0])) {
		if (!parse_number(s, 65535, &v) || v == 0)
			return false;
		*out = (unsigned)v;
		return true;
	}
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.+/", *p))
			return false;
	struct servent *se = getservbyname(s, pname ? pname : "tcp");
	if (!se)
		return false;
	*out = ntohs((uint16_t)se->s_port);
	return true;
}

/* One element of a port list: port, or a pair lo:hi (either side may be left out; an all-digit
 * pair may use '-'). Range ends must ascend. */
static bool check_portpair(struct compile *c, const struct loc *loc, const char *pname, const char *elem)
{
	char *pair = arena_strdup(c->arena, elem);
	if (strspn(pair, "0123456789-") == strlen(pair))
		for (char *p = pair; *p; p++)
			if (*p == '-')
				*p = ':';
	char *colon = strchr(pair, ':');
	if (colon && strchr(colon + 1, ':')) {
		diag_error(c->diag, loc, "Invalid port range (%s)", elem);
		return false;
	}
	if (!colon) {
		unsigned v;
		if (!netcheck_port(pair, pname, &v)) {
			diag_error(c->diag, loc, "Invalid/Unknown %s port/service (%s)", pname, elem);
			return false;
		}
		return true;
	}
	*colon = '\0';
	const char *lo_s = pair, *hi_s = colon + 1;
	unsigned lo = 0, hi = 65535;
	bool ok = true;
	/* Port 0 is allowed as the low end of a range (":1024" means 0:1024). */
	if (*lo_s && strcmp(lo_s, "0") != 0 && !netcheck_port(lo_s, pname, &lo)) {
		diag_error(c->diag, loc, "Invalid/Unknown %s port/service (%s)", pname, lo_s);
		ok = false;
	}
	if (*hi_s && !netcheck_port(hi_s, pname, &hi)) {
		diag_error(c->diag, loc, "Invalid/Unknown %s port/service (%s)", pname, hi_s);
		ok = false;
	}
	if (ok && lo >= hi) {
		diag_error(c->diag, loc, "Invalid port range (%s)", elem);
		ok = false;
	}
	return ok;
}

/* One plain port at *p: 1..65535 in at most 5 digits without a leading zero; *p moves past it. */
static bool plain_port(const char **p, unsigned *out)
{
	const char *s = *p;
	if (*s < '1' || *s > '9')
		return false;
	unsigned v = 0;
	size_t i = 0;
	while (i < 6 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (unsigned)(s[i++] - '0');
	if (i > 5 || v > 65535)
		return false;
	*out = v;
	*p = s + i;
	return true;
}

/* What nearly every port column is — "22", "1024:65535", "80,443,8000:8080" — checked without
 * splitting it into arena copies (the general path below was 5 % of a 10k-rule compile). True only
 * when that path would find the column valid; anything else (names, '-', leading zeros, errors)
 * goes there, so every message stays its own. */
static bool port_column_plain(const char *col, struct ir_portrange *out)
{
	const char *p = col;
	for (;; out = out ? out + 1 : NULL) {
		unsigned lo = 0, hi = 65535;
		bool have_lo = false;
		if (*p == '0' && p[1] == ':')
			p++;                        /* "0:N": port 0 as a range's low end */
		else if (*p != ':') {
			if (!plain_port(&p, &lo))
				return false;
			have_lo = true;
		}
		if (*p == ':') {
			p++;
			if (*p && *p != ',' && !plain_port(&p, &hi))
				return false;
			if (lo >= hi)
				return false;
		} else if (!have_lo)
			return false;
		else
			hi = lo;
		if (out) {
			out->lo = (uint16_t)lo;
			out->hi = (uint16_t)hi;
		}
		if (!*p)
			return true;
		if (*p++ != ',' || !*p)
			return false;
	}
}

bool netcheck_ports_plain(struct arena *a, const char *col, struct ir_portrange **out, uint32_t *n)
{
	uint32_t k = 1;
	for (const char *p = strchr(col, ','); p; p = strchr(p + 1, ','))
		k++;
	struct ir_portrange *r = arena_alloc(a, k * sizeof(*r));
	if (col[0] == '!' || !port_column_plain(col, r))
		return false;       /* r stays unused: a rare column */
	*out = r;
	*n = k;
	return true;
}

/* A DEST/SOURCE PORT(S) column for a protocol that has ports. */
static bool check_port_column(struct compile *c, const struct loc *loc, const char *pname, const char *col)
{
	if (col[0] != '!' && port_column_plain(col, NULL))
		return true;
	bool invert = col[0] == '!';
	if (invert)
		col++;
	if (col[0] == '+')
		return true;    /* an ipset of ports: its name is not ours to judge */
	const char **elems;
	size_t n = netcheck_split(c->arena, col, &elems);
	bool ok = true;
	unsigned count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!*elems[i]) {
			diag_error(c->diag, loc, "Invalid port list (%s)", col);
			ok = false;
			continue;
		}
		bool range = strchr(elems[i], ':') ||
			     (strchr(elems[i], '-') && strspn(elems[i], "0123456789-") == strlen(elems[i]));
		count += range ? 2 : 1;
		if (!check_portpair(c, loc, pname, elems[i]))
			ok = false;
	}
	/* multiport takes 15 ports; Shorewall splits longer lists, but cannot invert a split list. */
	if (invert && n > 1 && count > 15) {
		diag_error(c->diag, loc, "An inverted port list may only have up to 15 ports");
		ok = false;
	}
	return ok;
}

static const struct keyword icmp_types[] = {    /* must stay sorted */
	{ "TOS-host-redirect", 0, 0 },
	{ "TOS-host-unreachable", 0, 0 },
	{ "TOS-network-redirect", 0, 0 },
	{ "TOS-network-unreachable", 0, 0 },
	{ "address-mask-reply", 0, 0 },
	{ "address-mask-request", 0, 0 },
	{ "any", 0, 0 },
	{ "communication-prohibited", 0, 0 },
	{ "destination-unreachable", 0, 0 },
	{ "echo-reply", 0, 0 },
	{ "echo-request", 0, 0 },
	{ "fragmentation-needed", 0, 0 },
	{ "host-precedence-violation", 0, 0 },
	{ "host-prohibited", 0, 0 },
	{ "host-redirect", 0, 0 },
	{ "host-unknown", 0, 0 },
	{ "host-unreachable", 0, 0 },
	{ "ip-header-bad", 0, 0 },
	{ "network-prohibited", 0, 0 },
	{ "network-redirect", 0, 0 },
	{ "network-unknown", 0, 0 },
	{ "network-unreachable", 0, 0 },
	{ "parameter-problem", 0, 0 },
	{ "port-unreachable", 0, 0 },
	{ "precedence-cutoff", 0, 0 },
	{ "protocol-unreachable", 0, 0 },
	{ "redirect", 0, 0 },
	{ "required-option-missing", 0, 0 },
	{ "router-advertisement", 0, 0 },
	{ "router-solicitation", 0, 0 },
	{ "source-quench", 0, 0 },
	{ "source-route-failed", 0, 0 },
	{ "time-exceeded", 0, 0 },
	{ "timestamp-reply", 0, 0 },
	{ "timestamp-request", 0, 0 },
	{ "ttl-zero-during-reassembly", 0, 0 },
	{ "ttl-zero-during-transit", 0, 0 },
};

const struct keyword *netcheck_icmp_table(size_t *n)
{
	*n = KW_COUNT(icmp_types);
	return icmp_types;
}

/* An ICMP type: a name, or type[/code] with both below 256. */
static bool icmp_type_ok(const char *s)
{
	if (KW_FIND(icmp_types, s))
		return true;
	unsigned long t, code;
	char buf[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strspn(buf, "0123456789") != n || !parse_number(buf, 255, &t))
		return false;
	if (slash && (!isdigit((unsigned char)slash[1]) || strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
		      !parse_number(slash + 1, 255, &code)))
		return false;
	return true;
}

bool netcheck_proto_ports(struct compile *c, const struct loc *loc, const char *proto,
			  const char *dports, const char *sports)
{
	if (!proto) {
		if (dports || sports) {
			diag_error(c->diag, loc, "SOURCE/DEST PORT(S) not allowed without PROTO");
			return false;
		}
		return true;
	}
	const char *p = proto;
	bool syn = false, all = false;
	size_t len = strlen(p), cut = 0;
	if (len > 5 && strcasecmp(p + len - 5, ":!syn") == 0) {
		syn = true;
		cut = 5;
	} else if (len > 4 && strcasecmp(p + len - 4, ":syn") == 0) {
		syn = true;
		cut = 4;
	} else if (len > 4 && strcasecmp(p + len - 4, ":all") == 0) {
		all = true;
		cut = 4;
	}
	if (cut)        /* a copy only then: most PROTO columns are a bare name */
		p = arena_strndup(c->arena, p, len - cut);
	bool invert = p[0] == '!';
	if (invert)
		p++;
	int num = netcheck_proto_number(p);
	if (num < 0) {
		diag_error(c->diag, loc, "Invalid/Unknown protocol (%s)", proto);
		return false;
	}
	const char *pname = netcheck_proto_name(num);
	char numbuf[12];
	if (!pname) {
		snprintf(numbuf, sizeof(numbuf), "%d", num);
		pname = numbuf;
	}
	bool ok = true;
	if (invert && num == 0) {
		diag_error(c->diag, loc, "'!0' not allowed in the PROTO column");
		ok = false;
	}
	if (syn && (num != NETCHECK_TCP || invert)) {
		diag_error(c->diag, loc, "\":syn\" is only allowed with tcp");
		ok = false;
	}
	if (all && num != NETCHECK_TCP) {
		diag_error(c->diag, loc, "\":all\" is only allowed with tcp");
		ok = false;
	}
	if (invert && (dports || sports)) {
		diag_error(c->diag, loc, "SOURCE/DEST PORT(S) not allowed with PROTO !%s", pname);
		return false;
	}
	if (netcheck_proto_has_ports(num)) {
		if (sports && strcmp(sports, "=") == 0) {
			if (!dports) {
				diag_error(c->diag, loc, "'=' in the SOURCE PORT(S) column requires one or more ports "
					   "in the DEST PORT(S) column");
				ok = false;
			}
			sports = NULL;
		}
		if (dports && !check_port_column(c, loc, pname, dports))
			ok = false;
		if (sports && !check_port_column(c, loc, pname, sports))
			ok = false;
	} else if (num == NETCHECK_ICMP) {
		if (dports) {
			const char *d = dports[0] == '!' ? dports + 1 : dports;
			const char **types;
			size_t n = netcheck_split(c->arena, d, &types);
			if (n > 1 && dports[0] == '!') {
				diag_error(c->diag, loc, "An inverted ICMP list may only contain a single type");
				ok = false;
			}
			for (size_t i = 0; i < n; i++) {
				if (!icmp_type_ok(types[i])) {
					diag_error(c->diag, loc, "Invalid ICMP Type (%s)", types[i]);
					ok = false;
				}
			}
		}
		if (sports) {
			diag_error(c->diag, loc, "SOURCE PORT(S) not permitted with ICMP");
			ok = false;
		}
	} else if (num == NETCHECK_IPV6_ICMP) {
		diag_error(c->diag, loc, "IPv6_ICMP not permitted in an IPv4 configuration");
		ok = false;
	} else if (dports || sports) {
		diag_error(c->diag, loc, "SOURCE/DEST PORT(S) not allowed with PROTO %s", pname);
		ok = false;
	}
	return ok;
}

bool netcheck_port_range(struct compile *c, const struct loc *loc, const char *pname, const char *s)
{
	if (!pname)
		pname = "tcp";
	const char *dash = strchr(s, '-');
	if (!dash) {
		unsigned v;
		if (!netcheck_port(s, pname, &v)) {
			diag_error(c->diag, loc, "Invalid/Unknown %s port/service (%s)", pname, s);
			return false;
		}
		return true;
	}
	char *lo_s = arena_strndup(c->arena, s, (size_t)(dash - s));
	unsigned lo, hi;
	if (strchr(dash + 1, '-') || !netcheck_port(lo_s, pname, &lo) || !netcheck_port(dash + 1, pname, &hi) ||
	    lo >= hi) {
		diag_error(c->diag, loc, "Invalid port range (%s)", s);
		return false;
	}
	return true;
}

/* ---- interfaces ------------------------------------------------------------------------------------ */

struct iface *netcheck_iface(const struct graph *g, const char *name)
{
	struct iface *exact = graph_find_iface(g, name);
	if (exact)
		return exact;
	/* only a name ending in '+' can cover another (the graph keeps them apart) */
	struct iface *const *v;
	size_t n;
	if (!graph_wild_ifaces(g, &v, &n)) {
		v = g->ifaces.v;
		n = g->ifaces.n;
	}
	for (size_t i = 0; i < n; i++) {
		struct iface *f = v[i];
		/* a wildcard can only match when its first byte is the name's or is the `+` itself;
		 * this test spares a strlen per interface for each host column that names none */
		if (f->name[0] != name[0] && f->name[0] != '+')
			continue;
		size_t len = strlen(f->name);
		/* `ppp+` covers ppp0, ppp1, …; a bare `+` covers every name. */
		if (len && f->name[len - 1] == '+' && strncmp(f->name, name, len - 1) == 0)
			return f;
	}
	return NULL;
}

/* ---- NFQUEUE -------------------------------------------------------------------------------------- */

bool netcheck_nfqueue(struct compile *c, const struct loc *loc, const char *params,
		      unsigned *num, unsigned *max, bool *bypass)
{
	*num = *max = 0;
	*bypass = false;
	if (!params || !*params)
		return true;
	const char **parts;
	size_t n = netcheck_split(c->arena, params, &parts);
	if (n > 2) {
		diag_error(c->diag, loc, "Invalid NFQUEUE parameter list (%s)", params);
		return false;
	}
	if (strcmp(parts[0], "bypass") == 0) {
		if (n == 2) {
			diag_error(c->diag, loc, "Invalid NFQUEUE options (%s)", params);
			return false;
		}
		*bypass = true;
		return true;
	}
	if (n == 2) {
		if (strcmp(parts[1], "bypass") != 0) {
			diag_error(c->diag, loc, "Invalid NFQUEUE option (%s)", parts[1]);
			return false;
		}
		*bypass = true;
	}
	if (!*parts[0])
		return true;
	const char *colon = strchr(parts[0], ':');
	char *first = colon ? arena_strndup(c->arena, parts[0], (size_t)(colon - parts[0])) : (char *)parts[0];
	unsigned long q1, q2;
	if (!parse_number(first, 65535, &q1)) {
		diag_error(c->diag, loc, "Invalid NFQUEUE queue number (%s)", first);
		return false;
	}
	*num = (unsigned)q1;
	if (colon) {
		if (!parse_number(colon + 1, 65535, &q2) || q2 <= q1) {
			diag_error(c->diag, loc, "Invalid NFQUEUE queue number (%s)", colon + 1);
			return false;
		}
		*max = (unsigned)q2;
	}
	return true;
}

/* ---- CONNLIMIT ------------------------------------------------------------------------------------- */

bool netcheck_connlimit(struct compile *c, const struct loc *loc, const char *text, bool allow_invert)
{
	const char *p = text;
	if ((p[0] == 's' || p[0] == 'd') && p[1] == ':')
		p += 2;
	if (*p == '!') {
		if (!allow_invert) {
			diag_error(c->diag, loc, "Invalid CONNLIMIT (%s)", text);
			return false;
		}
		p++;
	}
	const char *colon = strchr(p, ':');
	char *limit = colon ? arena_strndup(c->arena, p, (size_t)(colon - p)) : (char *)p;
	unsigned long v;
	if (!isdigit((unsigned char)*limit) || strspn(limit, "0123456789") != strlen(limit) ||
	    !parse_number(limit, 0xffffffffUL, &v) ||
	    (colon && (!isdigit((unsigned char)colon[1]) || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
		       !parse_number(colon + 1, 32, &v)))) {
		diag_error(c->diag, loc, "Invalid connlimit (%s)", text);
		return false;
	}
	return true;
}

/* ---- the masq/snat IPSEC column ------------------------------------------------------------------- */

bool netcheck_snat_ipsec(struct compile *c, const struct loc *loc, const char *text,
			 enum snat_ipsec *kind, struct ipsec_opt **opts)
{
	*opts = NULL;
	if (!text) {
		*kind = SNAT_IPSEC_DEFAULT;
		return true;
	}
	if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "ipsec") == 0) {
		*kind = SNAT_IPSEC_YES;
		return true;
	}
	if (strcasecmp(text, "no") == 0 || strcasecmp(text, "none") == 0) {
		*kind = SNAT_IPSEC_NO;
		return true;
	}
	*kind = SNAT_IPSEC_OPTS;
	const char **other = NULL;
	bool ok = ipsec_opts_parse(c, loc, text, opts, &other);
	/* Zone options such as mss= are not policy-match options: the man page lists mss= for this
	 * column, but no policy match can carry it, so it is refused as Shorewall's code does. */
	for (size_t i = 0; other && other[i]; i++) {
		const char *o = other[i];
		size_t n = strcspn(o, "!=");
		diag_error(c->diag, loc, "Invalid IPSEC Option (%.*s)", (int)n, o);
		ok = false;
	}
	return ok;
}
