/* test_tunnels.c — the tunnels file: every TYPE and modifier, ZONE, GATEWAY and GATEWAY_ZONE checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tunnels.h"
#include "test_support.h"

static int run(struct fx *t, const char *text)
{
	return fx_run(t, parse_tunnels, "tunnels", text);
}

/* One line that must be accepted; returns its record. */
static struct tunnel *good(struct fx *t, const char *line)
{
	size_t i = fx_accept(t, parse_tunnels, "tunnels", &t->c.graph->tunnels.n, line, 1);
	return t->c.graph->tunnels.v[i];
}

/* One line that must be refused with exactly this one error (at line 1). */
static void bad(struct fx *t, const char *line, const char *msg)
{
	fx_refuse(t, parse_tunnels, "tunnels", &t->c.graph->tunnels.n, line, msg);
}

static void test_ipsec(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	/* the seed's gateway */
	struct tunnel *tu = good(&t, "ipsec net 134.28.54.2");
	assert_int_equal(tu->type, TUN_IPSEC);
	assert_false(tu->ah);
	assert_string_equal(tu->type_text, "ipsec");
	assert_string_equal(tu->zone->name, "net");
	assert_non_null(tu->gateways.items);
	char buf[32];
	assert_string_equal(addr_item_format(tu->gateways.items, buf, sizeof(buf)), "134.28.54.2");
	assert_int_equal(tu->gateway_zones.n, 0);
	assert_int_equal(tu->loc.line, 1);
	tu = good(&t, "ipsec:ah net 134.28.54.2,192.0.2.0/24");
	assert_true(tu->ah);
	assert_non_null(tu->gateways.items->next);
	tu = good(&t, "ipsec:noah net 192.0.2.1 loc");
	assert_false(tu->ah);
	assert_int_equal(tu->gateway_zones.n, 1);
	assert_string_equal(tu->gateway_zones.v[0]->name, "loc");
	tu = good(&t, "IPSEC:AH net 192.0.2.1");       /* type names are case-insensitive */
	assert_true(tu->ah);
	tu = good(&t, "ipsecnat net 0.0.0.0/0 vpn,loc");
	assert_int_equal(tu->type, TUN_IPSECNAT);
	assert_null(tu->gateways.items);               /* road warrior: any address */
	assert_int_equal(tu->gateway_zones.n, 2);
	tu = good(&t, "ipsecnat:noah net -");
	assert_null(tu->gateways.items);
	tu = good(&t, "ipsec net");                    /* no GATEWAY column: any */
	assert_null(tu->gateways.items);
	tu = good(&t, "ipsec net 192.0.2.1,0.0.0.0/0");
	assert_null(tu->gateways.items);
	fx_fini(&t);
}

static void test_ipsec_errors(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	bad(&t, "ipsecnat:ah net 192.0.2.1", ":ah not allowed with ipsecnat tunnels");
	bad(&t, "ipsec:esp net 192.0.2.1", "Invalid IPSEC modifier (esp)");
	bad(&t, "ipsec:ah:x net 192.0.2.1", "Invalid IPSEC modifier (ah:x)");
	bad(&t, "ipsec::ah net 192.0.2.1", "Invalid tunnel type (ipsec::ah)");
	fx_fini(&t);
}

static void test_other_types(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	assert_int_equal(good(&t, "gre net 192.0.2.1")->type, TUN_GRE);
	assert_int_equal(good(&t, "ipip net 192.0.2.1")->type, TUN_IPIP);
	assert_int_equal(good(&t, "6to4 net 192.0.2.1")->type, TUN_6TO4);
	assert_int_equal(good(&t, "6in4 net 192.0.2.1")->type, TUN_6TO4);
	assert_int_equal(good(&t, "pptpclient net 192.0.2.1")->type, TUN_PPTPCLIENT);
	assert_int_equal(good(&t, "pptpserver net 192.0.2.1")->type, TUN_PPTPSERVER);
	assert_int_equal(good(&t, "l2tp net 192.0.2.1")->type, TUN_L2TP);
	assert_int_equal(good(&t, "tinc net 192.0.2.1")->type, TUN_TINC);

	struct tunnel *tu = good(&t, "openvpn net 192.0.2.1");
	assert_int_equal(tu->type, TUN_OPENVPN);
	assert_null(tu->proto);
	assert_int_equal(tu->port, 0);
	tu = good(&t, "openvpn:tcp net 192.0.2.1");
	assert_string_equal(tu->proto, "tcp");
	assert_int_equal(tu->port, 0);
	tu = good(&t, "openvpn:1195 net 192.0.2.1");
	assert_null(tu->proto);
	assert_int_equal(tu->port, 1195);
	tu = good(&t, "openvpn:udp:1196 net 192.0.2.1");
	assert_string_equal(tu->proto, "udp");
	assert_int_equal(tu->port, 1196);
	tu = good(&t, "openvpnclient:tcp:443 net 192.0.2.1");
	assert_int_equal(tu->type, TUN_OPENVPNCLIENT);
	assert_int_equal(tu->port, 443);
	tu = good(&t, "openvpnserver:2000 net 192.0.2.1");
	assert_int_equal(tu->type, TUN_OPENVPNSERVER);
	assert_int_equal(tu->port, 2000);

	tu = good(&t, "generic net 192.0.2.1");
	assert_int_equal(tu->type, TUN_GENERIC);
	assert_null(tu->proto);
	tu = good(&t, "generic:47 net 192.0.2.1");
	assert_string_equal(tu->proto, "47");
	tu = good(&t, "generic:udp:4789 net 192.0.2.1");
	assert_string_equal(tu->proto, "udp");
	assert_int_equal(tu->port, 4789);
	fx_fini(&t);
}

static void test_type_errors(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	bad(&t, "vxlan net 192.0.2.1", "Tunnels of type vxlan are not supported");
	bad(&t, "wireguard:51820 net 192.0.2.1", "Tunnels of type wireguard are not supported");
	bad(&t, "gre:x net 192.0.2.1", "Unknown option (x)");
	bad(&t, "l2tp:1701 net 192.0.2.1", "Unknown option (1701)");
	bad(&t, "openvpn:sctp:1194 net 192.0.2.1", "Invalid/Unknown protocol (sctp)");
	bad(&t, "openvpn:99999 net 192.0.2.1", "Invalid port (99999)");
	bad(&t, "openvpn:udp:x net 192.0.2.1", "Invalid port (x)");
	bad(&t, "openvpnclient:udp:1194:9 net 192.0.2.1", "Invalid port (1194:9)");
	bad(&t, "generic:bogus net 192.0.2.1", "Invalid/Unknown protocol (bogus)");
	bad(&t, "generic:esp:500 net 192.0.2.1", "SOURCE/DEST PORT(S) not allowed with PROTO esp");
	bad(&t, "generic:udp:0 net 192.0.2.1", "Invalid port (0)");
	fx_fini(&t);
}

static void test_zone_and_gateway_errors(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	fx_add_zone(&t, "br", ZONE_BPORT);
	bad(&t, "ipsec mars 192.0.2.1", "Unknown zone (mars)");
	bad(&t, "ipsec fw 192.0.2.1", "Invalid tunnel ZONE (fw)");
	bad(&t, "gre br 192.0.2.1", "Invalid tunnel ZONE (br)");
	bad(&t, "ipsec net 192.0.2.300", "Invalid IP address (192.0.2.300)");
	bad(&t, "ipsec net 192.0.2.0/24!192.0.2.1", "Exclusion is not allowed in the GATEWAYS column");
	bad(&t, "ipsec net 192.0.2.1 fw", "Invalid zone (fw) for GATEWAY ZONE");
	bad(&t, "ipsec net 192.0.2.1 br", "Invalid zone (br) for GATEWAY ZONE");
	bad(&t, "ipsec net 192.0.2.1 loc,venus", "Unknown zone (venus)");
	bad(&t, "ipsec net 192.0.2.1 loc extra", "Invalid tunnels file entry (too many columns)");
	bad(&t, "- net", "TYPE must be specified");
	bad(&t, "ipsec", "ZONE must be specified");
	/* several mistakes in one line are all reported */
	run(&t, "ipsec:esp mars 1.2.3.400 venus\n");
	fx_expect(&t, "Invalid IPSEC modifier (esp)");
	fx_expect(&t, "Unknown zone (mars)");
	fx_expect(&t, "Invalid IP address (1.2.3.400)");
	fx_expect(&t, "Unknown zone (venus)");
	fx_fini(&t);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = tunnels_type_table(&n);
	assert_int_equal(n, 14);
	assert_true(kw_sorted(k, n, false));
	k = tunnels_ipsec_modifier_table(&n);
	assert_true(kw_sorted(k, n, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipsec),
		cmocka_unit_test(test_ipsec_errors),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_type_errors),
		cmocka_unit_test(test_zone_and_gateway_errors),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
