/* ir_names.c — the IR's closed vocabularies (protocols, ICMP types, REJECT kinds) and a builder's parsers. */
#include "ir.h"

#include "keyword.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* keyword flags for protocols */
#define PROTO_BY_NAME 1         /* has a match module of that name: printed as the name (-p tcp) */
#define PROTO_PORTS 2           /* has --sport/--dport */

/* Protocol names, lower case, sorted for strcasecmp (the PROTO column is case-blind).
 * must stay sorted */
static const struct keyword protos[] = {
	{ "ah", 51, 0 },
	{ "all", 0, 0 },
	{ "dccp", 33, PROTO_BY_NAME | PROTO_PORTS },
	{ "esp", 50, 0 },
	{ "gre", 47, 0 },
	{ "icmp", 1, PROTO_BY_NAME },
	{ "igmp", 2, 0 },
	{ "ipcomp", 108, 0 },
	{ "ipencap", 4, 0 },
	{ "ipip", 4, 0 },
	{ "ipv6", 41, 0 },
	{ "l2tp", 115, 0 },
	{ "ospf", 89, 0 },
	{ "pim", 103, 0 },
	{ "sctp", 132, PROTO_BY_NAME | PROTO_PORTS },
	{ "tcp", 6, PROTO_BY_NAME | PROTO_PORTS },
	{ "udp", 17, PROTO_BY_NAME | PROTO_PORTS },
	{ "udplite", 136, PROTO_BY_NAME | PROTO_PORTS },
	{ "vrrp", 112, 0 },
};

#define ICMP(type, code) ((type) << 8 | (code))
#define ANY 0xff

/* ICMP type names as iptables spells them (case-blind there too).
 * must stay sorted */
static const struct keyword icmp_types[] = {
	{ "address-mask-reply", ICMP(18, ANY), 0 },
	{ "address-mask-request", ICMP(17, ANY), 0 },
	{ "any", ICMP(255, ANY), 0 },
	{ "communication-prohibited", ICMP(3, 13), 0 },
	{ "destination-unreachable", ICMP(3, ANY), 0 },
	{ "echo-reply", ICMP(0, ANY), 0 },
	{ "echo-request", ICMP(8, ANY), 0 },
	{ "fragmentation-needed", ICMP(3, 4), 0 },
	{ "host-precedence-violation", ICMP(3, 14), 0 },
	{ "host-prohibited", ICMP(3, 10), 0 },
	{ "host-redirect", ICMP(5, 1), 0 },
	{ "host-unknown", ICMP(3, 7), 0 },
	{ "host-unreachable", ICMP(3, 1), 0 },
	{ "ip-header-bad", ICMP(12, 0), 0 },
	{ "network-prohibited", ICMP(3, 9), 0 },
	{ "network-redirect", ICMP(5, 0), 0 },
	{ "network-unknown", ICMP(3, 6), 0 },
	{ "network-unreachable", ICMP(3, 0), 0 },
	{ "parameter-problem", ICMP(12, ANY), 0 },
	{ "port-unreachable", ICMP(3, 3), 0 },
	{ "precedence-cutoff", ICMP(3, 15), 0 },
	{ "protocol-unreachable", ICMP(3, 2), 0 },
	{ "redirect", ICMP(5, ANY), 0 },
	{ "required-option-missing", ICMP(12, 1), 0 },
	{ "router-advertisement", ICMP(9, ANY), 0 },
	{ "router-solicitation", ICMP(10, ANY), 0 },
	{ "source-quench", ICMP(4, ANY), 0 },
	{ "source-route-failed", ICMP(3, 5), 0 },
	{ "time-exceeded", ICMP(11, ANY), 0 },
	{ "timestamp-reply", ICMP(14, ANY), 0 },
	{ "timestamp-request", ICMP(13, ANY), 0 },
	{ "tos-host-redirect", ICMP(5, 3), 0 },
	{ "tos-host-unreachable", ICMP(3, 12), 0 },
	{ "tos-network-redirect", ICMP(5, 2), 0 },
	{ "tos-network-unreachable", ICMP(3, 11), 0 },
	{ "ttl-zero-during-reassembly", ICMP(11, 1), 0 },
	{ "ttl-zero-during-transit", ICMP(11, 0), 0 },
};

/* REJECT's --reject-with values. must stay sorted */
static const struct keyword rejects[] = {
	{ "icmp-admin-prohibited", IR_REJECT_ADMIN_PROHIB, 0 },
	{ "icmp-host-prohibited", IR_REJECT_HOST_PROHIB, 0 },
	{ "icmp-host-unreachable", IR_REJECT_HOST_UNREACH, 0 },
	{ "icmp-net-prohibited", IR_REJECT_NET_PROHIB, 0 },
	{ "icmp-net-unreachable", IR_REJECT_NET_UNREACH, 0 },
	{ "icmp-port-unreachable", IR_REJECT_PORT_UNREACH, 0 },
	{ "icmp-proto-unreachable", IR_REJECT_PROTO_UNREACH, 0 },
	{ "tcp-reset", IR_REJECT_TCP_RESET, 0 },
};

const struct keyword *ir_keyword_table(unsigned which, size_t *n)
{
	static const struct {
		const struct keyword *t;
		size_t n;
	} tables[] = {
		{ protos, KW_COUNT(protos) }, { icmp_types, KW_COUNT(icmp_types) }, { rejects, KW_COUNT(rejects) },
	};
	if (which >= sizeof(tables) / sizeof(tables[0]))
		return NULL;
	*n = tables[which].n;
	return tables[which].t;
}

static const struct keyword *proto_by_num(uint8_t num)
{
	for (size_t i = 0; i < KW_COUNT(protos); i++)
		if (protos[i].value == num && num)
			return &protos[i];
	return NULL;
}

const char *ir_proto_name(uint8_t num)
{
	if (num == 6)
		return "tcp";
	if (num == 17)
		return "udp";
	const struct keyword *k = proto_by_num(num);
	return k ? k->name : NULL;
}

/* The two questions every emitted rule asks, answered without the table scan (they were 3 % of
 * a 10k-rule compile); the answers are the table's flags, as test_speed_paths checks for all 256. */
bool ir_proto_has_module(uint8_t num)
{
	return num == 6 || num == 17 || num == 1 || num == 33 || num == 132 || num == 136;
}

bool ir_proto_has_ports(uint8_t num)
{
	return num == 6 || num == 17 || num == 33 || num == 132 || num == 136;
}

static bool parse_uint(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	if (!n || n > 10)
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool ir_proto_parse(const char *s, uint8_t *num)
{
	unsigned long v;
	/* nearly every PROTO: the table's answer without the case-blind search */
	if (s && s[0] == 't' && strcmp(s, "tcp") == 0) {
		*num = 6;
		return true;
	}
	if (s && s[0] == 'u' && strcmp(s, "udp") == 0) {
		*num = 17;
		return true;
	}
	if (s && parse_uint(s, strlen(s), 255, &v)) {
		*num = (uint8_t)v;
		return true;
	}
	const struct keyword *k = kw_find_nocase(protos, KW_COUNT(protos), s);
	if (!k)
		return false;
	*num = (uint8_t)k->value;
	return true;
}

bool ir_icmp_parse(const char *s, uint8_t *type, int *code)
{
	if (!s)
		return false;
	const struct keyword *k = kw_find_nocase(icmp_types, KW_COUNT(icmp_types), s);
	if (k) {
		*type = (uint8_t)(k->value >> 8);
		*code = (k->value & 0xff) == ANY ? -1 : k->value & 0xff;
		return true;
	}
	const char *slash = strchr(s, '/');
	unsigned long t, c;
	if (!parse_uint(s, slash ? (size_t)(slash - s) : strlen(s), 255, &t))
		return false;
	if (slash && !parse_uint(slash + 1, strlen(slash + 1), 255, &c))
		return false;
	*type = (uint8_t)t;
	*code = slash && t != 255 ? (int)c : -1;
	return true;
}

bool ir_reject_parse(const char *s, enum ir_reject *out)
{
	const struct keyword *k = KW_FIND(rejects, s);
	if (!k)
		return false;
	*out = (enum ir_reject)k->value;
	return true;
}

const char *ir_reject_name(enum ir_reject r)
{
	for (size_t i = 0; i < KW_COUNT(rejects); i++)
		if (rejects[i].value == (int)r)
			return rejects[i].name;
	return NULL;
}

/* "p" or "p-q" (also "p:q", as Shorewall's port ranges are written). */
static bool parse_portrange(const char *s, uint16_t *lo, uint16_t *hi)
{
	size_t n = strcspn(s, "-:");
	unsigned long a, b;
	if (!parse_uint(s, n, 65535, &a) || a == 0)
		return false;
	b = a;
	if (s[n] && !parse_uint(s + n + 1, strlen(s + n + 1), 65535, &b))
		return false;
	if (b < a)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

bool ir_nat_range_parse(const char *s, bool ports_only, struct ir_nat_range *out)
{
	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return false;
	if (ports_only || s[0] == ':')
		return parse_portrange(s[0] == ':' ? s + 1 : s, &out->plo, &out->phi);
	char addrs[40];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof(addrs))
		return false;
	memcpy(addrs, s, n);
	addrs[n] = '\0';
	char *dash = strchr(addrs, '-');
	if (dash)
		*dash = '\0';
	if (!addr_parse_ip4(addrs, &out->lo))
		return false;
	out->hi = out->lo;
	if (dash && (!addr_parse_ip4(dash + 1, &out->hi) || out->hi < out->lo))
		return false;
	if (colon && !parse_portrange(colon + 1, &out->plo, &out->phi))
		return false;
	return true;
}
