/* test_netcheck.c — the checks shared by the traffic parsers: protocols, ports, ICMP types, lists,
 * MACs, interfaces, NFQUEUE, CONNLIMIT, and the order of their tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ir.h"
#include "netcheck.h"
#include "test_support.h"

static const struct loc here = { "rules", 7 };

static void test_protocols(void **state)
{
	(void)state;
	assert_int_equal(netcheck_proto_number("tcp"), 6);
	assert_int_equal(netcheck_proto_number("TCP"), 6);
	assert_int_equal(netcheck_proto_number("udp"), 17);
	assert_int_equal(netcheck_proto_number("icmp"), 1);
	assert_int_equal(netcheck_proto_number("all"), 0);
	assert_int_equal(netcheck_proto_number("esp"), 50);
	assert_int_equal(netcheck_proto_number("ah"), 51);
	assert_int_equal(netcheck_proto_number("gre"), 47);
	assert_int_equal(netcheck_proto_number("sctp"), 132);
	assert_int_equal(netcheck_proto_number("udplite"), 136);
	assert_int_equal(netcheck_proto_number("ipv6-icmp"), 58);
	assert_int_equal(netcheck_proto_number("0"), 0);
	assert_int_equal(netcheck_proto_number("255"), 255);
	assert_int_equal(netcheck_proto_number("0x32"), 50);
	assert_int_equal(netcheck_proto_number("256"), -1);
	assert_int_equal(netcheck_proto_number("-1"), -1);
	assert_int_equal(netcheck_proto_number("6x"), -1);
	assert_int_equal(netcheck_proto_number("bogus"), -1);
	assert_int_equal(netcheck_proto_number(""), -1);
	assert_string_equal(netcheck_proto_name(6), "tcp");
	assert_string_equal(netcheck_proto_name(0), "all");
	assert_null(netcheck_proto_name(200));
	assert_true(netcheck_proto_has_ports(6));
	assert_true(netcheck_proto_has_ports(33));
	assert_false(netcheck_proto_has_ports(1));
	assert_false(netcheck_proto_has_ports(50));
}

static void test_ports(void **state)
{
	(void)state;
	unsigned v;
	assert_true(netcheck_port("22", "tcp", &v));
	assert_int_equal(v, 22);
	assert_true(netcheck_port("65535", "tcp", &v));
	assert_true(netcheck_port("0x16", "tcp", &v));
	assert_int_equal(v, 22);
	assert_true(netcheck_port("ssh", "tcp", &v));
	assert_int_equal(v, 22);
	assert_true(netcheck_port("domain", "udp", &v));
	assert_int_equal(v, 53);
	assert_false(netcheck_port("0", "tcp", &v));
	assert_false(netcheck_port("65536", "tcp", &v));
	assert_false(netcheck_port("nosuch", "tcp", &v));
	assert_false(netcheck_port("", "tcp", &v));
	assert_false(netcheck_port("a b", "tcp", &v));
}

static void test_proto_ports(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct compile *c = &t.c;
	assert_true(netcheck_proto_ports(c, &here, NULL, NULL, NULL));
	assert_true(netcheck_proto_ports(c, &here, "tcp", "22,80:90,:1024,60000:,ssh", "1024:65535"));
	assert_true(netcheck_proto_ports(c, &here, "udp", "!53", NULL));
	assert_true(netcheck_proto_ports(c, &here, "icmp", "echo-request", NULL));
	assert_true(netcheck_proto_ports(c, &here, "icmp", "3/4", NULL));
	assert_true(netcheck_proto_ports(c, &here, "tcp:!syn", NULL, NULL));
	assert_true(netcheck_proto_ports(c, &here, "tcp:all", NULL, NULL));
	assert_true(netcheck_proto_ports(c, &here, "sctp", "5060", NULL));
	assert_true(netcheck_proto_ports(c, &here, "200", NULL, NULL));
	assert_int_equal(t.d.errors, 0);
	assert_false(netcheck_proto_ports(c, &here, "udp:all", NULL, NULL));
	assert_true(diag_has(&t.d, "ERROR: \":all\" is only allowed with tcp rules (line 7)"));
	assert_false(netcheck_proto_ports(c, &here, "!all", NULL, NULL));
	assert_true(diag_has(&t.d, "'!0' not allowed in the PROTO column"));
	assert_false(netcheck_proto_ports(c, &here, "icmp", "256", NULL));
	assert_true(diag_has(&t.d, "Invalid ICMP Type (256)"));
	assert_false(netcheck_proto_ports(c, &here, "icmp", "!8,0", NULL));
	assert_true(diag_has(&t.d, "An inverted ICMP list may only contain a single type"));
	assert_false(netcheck_proto_ports(c, &here, "200", "1", NULL));
	assert_true(diag_has(&t.d, "SOURCE/DEST PORT(S) not allowed with PROTO 200"));
	assert_false(netcheck_proto_ports(c, &here, "tcp", "22,,23", NULL));
	assert_true(diag_has(&t.d, "Invalid port list (22,,23)"));
	assert_false(netcheck_proto_ports(c, &here, "tcp", "1:1", NULL));
	assert_true(diag_has(&t.d, "Invalid port range (1:1)"));
	fx_fini(&t);
}

static void test_port_range(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	assert_true(netcheck_port_range(&t.c, &here, "tcp", "80"));
	assert_true(netcheck_port_range(&t.c, &here, NULL, "1024-2048"));
	assert_true(netcheck_port_range(&t.c, &here, "tcp", "www"));
	assert_false(netcheck_port_range(&t.c, &here, "tcp", "2048-1024"));
	assert_false(netcheck_port_range(&t.c, &here, "tcp", "1-2-3"));
	assert_false(netcheck_port_range(&t.c, &here, "udp", "70000"));
	assert_true(diag_has(&t.d, "Invalid/Unknown udp port/service (70000)"));
	assert_int_equal(t.d.errors, 3);
	fx_fini(&t);
}

static void test_split_and_mac(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char **v;
	assert_int_equal(netcheck_split(a, "a,b(c,d),e", &v), 3);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b(c,d)");
	assert_string_equal(v[2], "e");
	assert_null(v[3]);
	assert_int_equal(netcheck_split(a, "x", &v), 1);
	assert_int_equal(netcheck_split(a, "x,,", &v), 3);
	assert_string_equal(v[1], "");
	assert_int_equal(netcheck_split(a, "", &v), 1);
	assert_string_equal(v[0], "");
	arena_free(a);
	assert_true(netcheck_mac("~00-11-22-33-44-55"));
	assert_true(netcheck_mac("~0:1:a:B:c:d"));
	assert_false(netcheck_mac("~00-11-22-33-44"));
	assert_false(netcheck_mac("~00-11-22-33-44-55-66"));
	assert_false(netcheck_mac("~00-11-22-33-44-5g"));
	assert_false(netcheck_mac("~001-11-22-33-44-55"));
	uint8_t mac[6];
	assert_true(netcheck_mac_read("~0:1:a:B:c:dd", mac));
	assert_int_equal(mac[0], 0);
	assert_int_equal(mac[2], 0xa);
	assert_int_equal(mac[3], 0xb);
	assert_int_equal(mac[5], 0xdd);
	assert_true(netcheck_mac_read("00-11-22-33-44-55", mac));     /* the `~` is optional */
	assert_int_equal(mac[4], 0x44);
}

/* The port columns read for the builder: digits only, else false (the general path reads them). */
static void test_ports_plain(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct ir_portrange *r;
	uint32_t n;
	assert_true(netcheck_ports_plain(a, "22", &r, &n));
	assert_int_equal(n, 1);
	assert_int_equal(r[0].lo, 22);
	assert_int_equal(r[0].hi, 22);
	assert_true(netcheck_ports_plain(a, "80,0:100,:200,1024:,3000:3010", &r, &n));
	assert_int_equal(n, 5);
	assert_int_equal(r[1].lo, 0);
	assert_int_equal(r[1].hi, 100);
	assert_int_equal(r[2].lo, 0);
	assert_int_equal(r[2].hi, 200);
	assert_int_equal(r[3].lo, 1024);
	assert_int_equal(r[3].hi, 65535);
	assert_int_equal(r[4].lo, 3000);
	assert_int_equal(r[4].hi, 3010);
	const char *other[] = { "!22", "ssh", "0", "022", "22,", "80:80", "90:80", "65536", "1-2", "+set",
				"=" };
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_false(netcheck_ports_plain(a, other[i], &r, &n));
	arena_free(a);
}

static void test_iface(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	assert_string_equal(netcheck_iface(t.c.graph, "eth0")->name, "eth0");
	assert_string_equal(netcheck_iface(t.c.graph, "ppp7")->name, "ppp+");
	assert_string_equal(netcheck_iface(t.c.graph, "ppp+")->name, "ppp+");
	assert_null(netcheck_iface(t.c.graph, "eth9"));
	assert_null(netcheck_iface(t.c.graph, "pp"));
	fx_fini(&t);
}

static void test_nfqueue_connlimit(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	unsigned q, m;
	bool b;
	assert_true(netcheck_nfqueue(&t.c, &here, NULL, &q, &m, &b));
	assert_int_equal(q, 0);
	assert_true(netcheck_nfqueue(&t.c, &here, "4", &q, &m, &b));
	assert_int_equal(q, 4);
	assert_false(b);
	assert_true(netcheck_nfqueue(&t.c, &here, "1:3,bypass", &q, &m, &b));
	assert_int_equal(m, 3);
	assert_true(b);
	assert_false(netcheck_nfqueue(&t.c, &here, "3:1", &q, &m, &b));
	assert_false(netcheck_nfqueue(&t.c, &here, "1,2,3", &q, &m, &b));
	assert_false(netcheck_nfqueue(&t.c, &here, "bypass,1", &q, &m, &b));
	assert_false(netcheck_nfqueue(&t.c, &here, "1,fast", &q, &m, &b));
	assert_true(diag_has(&t.d, "Invalid NFQUEUE option (fast)"));
	assert_int_equal(t.d.errors, 4);
	assert_true(netcheck_connlimit(&t.c, &here, "10", false));
	assert_true(netcheck_connlimit(&t.c, &here, "s:10:24", false));
	assert_true(netcheck_connlimit(&t.c, &here, "d:!5", true));
	assert_false(netcheck_connlimit(&t.c, &here, "!5", false));
	assert_false(netcheck_connlimit(&t.c, &here, "5:33", true));
	assert_false(netcheck_connlimit(&t.c, &here, "x", true));
	fx_fini(&t);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = netcheck_proto_table(&n);
	assert_true(kw_sorted(k, n, true));
	assert_true(kw_sorted(k, n, false));
	k = netcheck_icmp_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_int_equal(n, 37);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_proto_ports),
		cmocka_unit_test(test_port_range),
		cmocka_unit_test(test_split_and_mac),
		cmocka_unit_test(test_ports_plain),
		cmocka_unit_test(test_iface),
		cmocka_unit_test(test_nfqueue_connlimit),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
