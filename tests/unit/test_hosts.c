/* test_hosts.c — the hosts parser: the seed's gateway, road warrior and transport lines, every option, address form and error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "membership.h"
#include "test_support.h"

/* The seed's gateway A directory, 2.2 layout (as tests/fixtures/base/v22). */
static void gateway22(struct fx *f)
{
	fx_run(f, parse_zones, "zones", "vpn VPN Virtual Private Network\nnet Net Internet\nloc Local Local Network\n");
	fx_run(f, parse_interfaces, "interfaces", "net eth0 detect routefilter,tcpflags\nloc eth1 detect\n");
	assert_int_equal(f->d.errors, 0);
}

static char *fmt(const struct addr_item *it)
{
	static char buf[64];
	return addr_item_format(it, buf, sizeof(buf));
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = hosts_option_table(&n);
	assert_int_equal(n, 11);
	assert_true(kw_sorted(t, n, false));
}

static void test_seed_gateway_a(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	const char *layout = fx_read(f, parse_hosts, "hosts", "#ZONE HOSTS OPTIONS\nvpn eth0:10.0.0.0/8,134.28.54.2 ipsec\n"
							    "#LAST LINE -- ADD YOUR ENTRIES ABOVE THIS LINE -- DO NOT REMOVE\n");
	assert_string_equal(layout, "2.2/5.2");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	struct zone *vpn = fx_zone(f, "vpn");
	assert_int_equal(vpn->hosts.n, 1);
	struct host *h = vpn->hosts.v[0];
	assert_ptr_equal(h->zone, vpn);
	assert_ptr_equal(h->iface, graph_find_iface(f->c.graph, "eth0"));
	assert_null(h->ifname);
	assert_false(h->from_interfaces);
	assert_int_equal(h->opts, 1u << HO_IPSEC);
	assert_int_equal(h->mss, 0);
	assert_int_equal(h->loc.line, 2);
	assert_string_equal(fmt(h->addrs.items), "10.0.0.0/8");
	assert_string_equal(fmt(h->addrs.items->next), "134.28.54.2");
	assert_null(h->addrs.items->next->next);
	assert_null(h->addrs.excl);
	/* interfaces' members first, then hosts' */
	struct graph *g = f->c.graph;
	assert_int_equal(g->hosts.n, 3);
	assert_ptr_equal(g->hosts.v[0]->zone, fx_zone(f, "net"));
	assert_ptr_equal(g->hosts.v[1]->zone, fx_zone(f, "loc"));
	assert_ptr_equal(g->hosts.v[2], h);
	/* the zone stays a plain zone: only these hosts are reached through an SA */
	assert_int_equal(vpn->type, ZONE_IPV4);
}

static void test_seed_gateway_b(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_hosts, "hosts", "vpn eth0:192.168.1.0/24,206.162.148.9 ipsec\n");
	assert_int_equal(f->d.errors, 0);
	struct host *h = fx_zone(f, "vpn")->hosts.v[0];
	assert_string_equal(fmt(h->addrs.items), "192.168.1.0/24");
	assert_string_equal(fmt(h->addrs.items->next), "206.162.148.9");
}

/* Road warrior: `vpn eth0:0.0.0.0/0 ipsec` — the whole interface, as far as addresses go. */
static void test_seed_road_warrior(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "vpn VPN Road Warriors\nnet Internet The big bad internet\n"
					"loc local Local Network (192.168.1.0/24)\n");
	fx_run(f, parse_interfaces, "interfaces", "net eth0 detect\nloc eth1 detect\n");
	fx_run(f, parse_hosts, "hosts", "vpn eth0:0.0.0.0/0 ipsec\n");
	assert_int_equal(f->d.errors, 0);
	struct host *h = fx_zone(f, "vpn")->hosts.v[0];
	assert_null(h->addrs.items);
	assert_true(HOST_HAS(h, HO_IPSEC));
	/* a different zone on the same interface is not a duplicate */
	assert_int_equal(fx_zone(f, "net")->hosts.n, 1);
}

/* Transport: ipsec `loc Yes mode=transport`, hosts `loc eth0:192.168.20.0/24`. */
static void test_seed_transport(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net Net Internet\nloc Local Local Network\n");
	fx_run(f, parse_interfaces, "interfaces", "net eth0 detect routefilter,dhcp,tcpflags\n");
	fx_run(f, parse_ipsec, "ipsec", "loc Yes mode=transport\n");
	fx_run(f, parse_hosts, "hosts", "#ZONE HOST(S) OPTIONS\nloc eth0:192.168.20.0/24\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	struct host *h = fx_zone(f, "loc")->hosts.v[0];
	assert_string_equal(fmt(h->addrs.items), "192.168.20.0/24");
	assert_int_equal(h->opts, 0);
	assert_int_equal(h->zone->type, ZONE_IPSEC);
}

/* The seed: Yes in the ipsec file plus `ipsec` in hosts is redundant. */
static void test_redundant_ipsec(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net Net Internet\nloc Local Local Network\n");
	fx_run(f, parse_interfaces, "interfaces", "net eth0 detect\n");
	fx_run(f, parse_ipsec, "ipsec", "loc Yes mode=transport\n");
	fx_run(f, parse_hosts, "hosts", "loc eth0:192.168.20.0/24 ipsec\n");
	assert_int_equal(f->d.errors, 0);
	assert_true(diag_has(&f->d, "WARNING: The 'ipsec' option is redundant: loc is an ipsec zone /etc/shorewall/hosts (line 1)"));
	assert_int_equal(f->d.warnings, 1);
	assert_true(HOST_HAS(fx_zone(f, "loc")->hosts.v[0], HO_IPSEC));
}

/* Same in 5.2: `vpn ipsec` and the ipsec option. */
static void test_redundant_ipsec_52(void **state)
{
	struct fx *f = *state;
	fx_gateway52(f, "ipsec");
	fx_run(f, parse_hosts, "hosts", "vpn eth0:10.0.0.0/8,134.28.54.2 ipsec\n");
	assert_true(diag_has(&f->d, "The 'ipsec' option is redundant: vpn is an ipsec zone"));
	assert_int_equal(f->d.errors, 0);
	/* without the option, silent */
	fx_run(f, parse_hosts, "hosts", "vpn eth1:10.9.0.0/16\n");
	assert_int_equal(f->d.warnings, 1);
}

static void test_every_option(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_hosts, "hosts",
	       "vpn eth0:10.0.0.0/8 ipsec,mss=1400,routeback,broadcast,destonly,sourceonly,tcpflags,maclist,nosmurfs\n"
	       "vpn eth1:10.0.0.0/8 blacklist,norfc1918,mss=500\n");
	assert_int_equal(f->d.errors, 0);
	struct host *h = fx_zone(f, "vpn")->hosts.v[0];
	assert_int_equal(h->opts, (1u << HO_IPSEC) | (1u << HO_MSS) | (1u << HO_ROUTEBACK) | (1u << HO_BROADCAST) |
				  (1u << HO_DESTONLY) | (1u << HO_SOURCEONLY) | (1u << HO_TCPFLAGS) | (1u << HO_MACLIST) |
				  (1u << HO_NOSMURFS));
	assert_int_equal(h->mss, 1400);
	h = fx_zone(f, "vpn")->hosts.v[1];
	assert_int_equal(h->opts, (1u << HO_BLACKLIST) | (1u << HO_MSS));
	assert_int_equal(h->mss, 500);
	assert_true(diag_has(&f->d, "WARNING: The 'blacklist' option is no longer supported /etc/shorewall/hosts (line 2)"));
	assert_true(diag_has(&f->d, "WARNING: The 'norfc1918' host option is no longer supported /etc/shorewall/hosts (line 2)"));
	assert_int_equal(f->d.warnings, 2);
}

static void test_address_forms(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_hosts, "hosts",
	       "vpn eth0:10.0.0.0/8!10.1.0.0/16,10.2.0.0/16\n"
	       "vpn eth1:192.168.1.10-192.168.1.20,+myset\n"
	       "loc eth0:dynamic\n"
	       "net eth1:!10.3.0.0/16\n");
	assert_int_equal(f->d.errors, 0);
	struct host *h = fx_zone(f, "vpn")->hosts.v[0];
	assert_string_equal(fmt(h->addrs.items), "10.0.0.0/8");
	assert_null(h->addrs.items->next);
	assert_string_equal(fmt(h->addrs.excl), "10.1.0.0/16");
	assert_string_equal(fmt(h->addrs.excl->next), "10.2.0.0/16");
	h = fx_zone(f, "vpn")->hosts.v[1];
	assert_int_equal(h->addrs.items->kind, ADDR_RANGE);
	assert_int_equal(h->addrs.items->next->kind, ADDR_IPSET);
	assert_string_equal(h->addrs.items->next->set, "myset");
	h = fx_zone(f, "loc")->hosts.v[1];
	assert_int_equal(h->addrs.items->kind, ADDR_DYNAMIC);
	/* a leading exclusion: the whole interface but that */
	h = fx_zone(f, "net")->hosts.v[1];
	assert_null(h->addrs.items);
	assert_string_equal(fmt(h->addrs.excl), "10.3.0.0/16");
}

static void test_wildcard_interface(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nvpn ipv4\n");
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet ppp+ -\n- wan physical=eth0\n");
	fx_run(f, parse_hosts, "hosts", "vpn ppp0:10.0.0.0/8\nvpn ppp+:10.1.0.0/16\nvpn eth0:10.2.0.0/16\nvpn wan:10.3.0.0/16\n"
					"vpn pp0:10.4.0.0/16\n");
	assert_true(diag_has(&f->d, "ERROR: Unknown interface (pp0) /etc/shorewall/hosts (line 5)"));
	assert_int_equal(f->d.errors, 1);
	struct zone *vpn = fx_zone(f, "vpn");
	assert_int_equal(vpn->hosts.n, 4);
	assert_string_equal(vpn->hosts.v[0]->iface->name, "ppp+");
	assert_string_equal(vpn->hosts.v[0]->ifname, "ppp0");
	assert_null(vpn->hosts.v[1]->ifname);
	/* a physical name finds its interface */
	assert_string_equal(vpn->hosts.v[2]->iface->name, "wan");
	assert_null(vpn->hosts.v[2]->ifname);
	assert_ptr_equal(vpn->hosts.v[3]->iface, vpn->hosts.v[2]->iface);
}

static void test_duplicates(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_hosts, "hosts",
	       "vpn eth0:10.0.0.0/8\n"                      /* 1 */
	       "vpn eth0:192.168.0.0/16,10.0.0.0/8\n"       /* 2: dup */
	       "vpn eth1:10.0.0.0/8,10.0.0.0/8\n"           /* 3: dup within */
	       "net eth0:1.2.3.0/24\n"                      /* 4: net has all of eth0 */
	       "vpn eth0:10.0.0.0/8 ipsec\n"                /* 5: ipsec apart from plaintext */
	       "vpn eth0:0.0.0.0/0\n"                       /* 6: whole after a group */
	       "loc eth0:10.0.0.0/8\n");                    /* 7: other zone: fine */
	assert_true(diag_has(&f->d, "ERROR: Duplicate Host Group (eth0:10.0.0.0/8) in zone vpn /etc/shorewall/hosts (line 2)"));
	assert_true(diag_has(&f->d, "Duplicate Host Group (eth1:10.0.0.0/8) in zone vpn /etc/shorewall/hosts (line 3)"));
	assert_true(diag_has(&f->d, "Duplicate Host Group (eth0:1.2.3.0/24) in zone net /etc/shorewall/hosts (line 4)"));
	assert_true(diag_has(&f->d, "Duplicate Host Group (eth0:0.0.0.0/0) in zone vpn /etc/shorewall/hosts (line 6)"));
	assert_int_equal(f->d.errors, 4);
	assert_int_equal(fx_zone(f, "vpn")->hosts.n, 2);
	assert_int_equal(fx_zone(f, "loc")->hosts.n, 2);
}

/* The 2.2 mixed zone: ipsec file `No` + options, and ipsec hosts beside plaintext ones. */
static void test_mixed_zone_hosts(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_ipsec, "ipsec", "loc No mode=tunnel,reqid=7\n");
	fx_run(f, parse_hosts, "hosts", "loc eth1:192.168.5.0/24 ipsec\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	struct zone *loc = fx_zone(f, "loc");
	assert_true(loc->mixed);
	assert_int_equal(loc->hosts.n, 2);
	assert_false(HOST_HAS(loc->hosts.v[0], HO_IPSEC));
	assert_true(HOST_HAS(loc->hosts.v[1], HO_IPSEC));
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	gateway22(f);
	fx_run(f, parse_interfaces, "interfaces", "- eth3 - unmanaged\n");
	fx_run(f, parse_hosts, "hosts",
	       "vpn eth9:10.0.0.0/8\n"                 /* 1 */
	       "vpn eth0:10.0.0.300\n"                 /* 2 */
	       "dmz eth0:10.0.0.0/8\n"                 /* 3 */
	       "fw eth0:10.0.0.0/8\n"                  /* 4 */
	       "- eth0:10.0.0.0/8\n"                   /* 5 */
	       "vpn -\n"                               /* 6 */
	       "vpn eth0\n"                            /* 7 */
	       "vpn eth0:\n"                           /* 8 */
	       "vpn eth0:10.9.0.0/16 foo\n"            /* 9 */
	       "vpn eth0:10.10.0.0/16 mss=499\n"       /* 10 */
	       "vpn eth0:10.11.0.0/16 mss=abc\n"       /* 11 */
	       "vpn eth0:10.12.0.0/16 ipsec=1\n"       /* 12 */
	       "vpn eth0:10.13.0.0/16 ipsec extra\n"   /* 13 */
	       "vpn eth0:10.0.0.0/8,!10.1.0.0/16\n"    /* 14 */
	       "vpn eth0:+1set\n"                      /* 15 */
	       "vpn eth0:dynamic,10.0.0.0/8\n"         /* 16 */
	       "vpn eth3:10.0.0.0/8\n"                 /* 17 */
	       "vpn eth0:10.0.0.0/8!1.0.0.0/8!2.0.0.0/8\n"  /* 18 */
	       "vpn eth0:10.19.0.0/16 mss=70000\n"     /* 19 */
	       "vpn eth0:10.20.0.0/16 mss\n"           /* 20 */
	       "vpn eth0:+set[src]\n"                  /* 21 */
	       "vpn eth0:10.0.0.9-10.0.0.1\n");        /* 22 */
	assert_true(diag_has(&f->d, "ERROR: Unknown interface (eth9) /etc/shorewall/hosts (line 1)"));
	assert_true(diag_has(&f->d, "ERROR: Invalid IP address (10.0.0.300) /etc/shorewall/hosts (line 2)"));
	assert_true(diag_has(&f->d, "Unknown ZONE (dmz) /etc/shorewall/hosts (line 3)"));
	assert_true(diag_has(&f->d, "Firewall zone not allowed in ZONE column of hosts record /etc/shorewall/hosts (line 4)"));
	assert_true(diag_has(&f->d, "ZONE must be specified /etc/shorewall/hosts (line 5)"));
	assert_true(diag_has(&f->d, "HOSTS must be specified /etc/shorewall/hosts (line 6)"));
	assert_true(diag_has(&f->d, "Invalid HOST(S) column contents (eth0) /etc/shorewall/hosts (line 7)"));
	assert_true(diag_has(&f->d, "Invalid HOST(S) column contents (eth0:) /etc/shorewall/hosts (line 8)"));
	assert_true(diag_has(&f->d, "Invalid option (foo) /etc/shorewall/hosts (line 9)"));
	assert_true(diag_has(&f->d, "Invalid mss (499) /etc/shorewall/hosts (line 10)"));
	assert_true(diag_has(&f->d, "Invalid option (mss=abc) /etc/shorewall/hosts (line 11)"));
	assert_true(diag_has(&f->d, "Invalid option (ipsec=1) /etc/shorewall/hosts (line 12)"));
	assert_true(diag_has(&f->d, "Invalid hosts file entry (too many columns) /etc/shorewall/hosts (line 13)"));
	assert_true(diag_has(&f->d, "Invalid hosts list (10.0.0.0/8,!10.1.0.0/16) /etc/shorewall/hosts (line 14)"));
	assert_true(diag_has(&f->d, "Invalid ipset name (+1set) /etc/shorewall/hosts (line 15)"));
	assert_true(diag_has(&f->d, "Invalid HOST(S) column contents (eth0:dynamic,10.0.0.0/8) /etc/shorewall/hosts (line 16)"));
	assert_true(diag_has(&f->d, "Unmanaged interfaces may not be associated with a zone /etc/shorewall/hosts (line 17)"));
	assert_true(diag_has(&f->d, "Only one exclusion allowed in a host list (10.0.0.0/8!1.0.0.0/8!2.0.0.0/8) /etc/shorewall/hosts (line 18)"));
	assert_true(diag_has(&f->d, "Invalid mss (70000) /etc/shorewall/hosts (line 19)"));
	assert_true(diag_has(&f->d, "Invalid option (mss) /etc/shorewall/hosts (line 20)"));
	assert_true(diag_has(&f->d, "ipset name qualification is disallowed in this file (+set[src]) /etc/shorewall/hosts (line 21)"));
	assert_true(diag_has(&f->d, "Invalid IP address (10.0.0.9-10.0.0.1) /etc/shorewall/hosts (line 22)"));
	assert_int_equal(f->d.errors, 22);
	/* a line whose only fault is an option (or a column too many) still makes its member, so
	 * that the zone is not reported empty as well; a line with a bad address or interface does not */
	assert_int_equal(fx_zone(f, "vpn")->hosts.n, 7);
	assert_int_equal(fx_zone(f, "vpn")->hosts.v[1]->mss, 0);
	assert_true(HOST_HAS(fx_zone(f, "vpn")->hosts.v[4], HO_IPSEC));
}

static void test_zone_type_rules(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nlan:net bport\nvs vserver\n");
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet br0 bridge\nlan br0:eth1 -\n- eth2 -\n");
	fx_run(f, parse_hosts, "hosts", "lan eth2:10.0.0.0/8\nlan eth1:10.0.0.0/8\nvs eth2:10.1.0.0/16 ipsec\n"
					"net eth2:10.2.0.0/16\n");
	assert_true(diag_has(&f->d, "Bridge Port Zones may only be associated with bridge ports /etc/shorewall/hosts (line 1)"));
	assert_true(diag_has(&f->d, "A host entry for a Vserver zone may not specify the 'ipsec' option /etc/shorewall/hosts (line 3)"));
	/* line 2: lan already has all of eth1 from the interfaces file */
	assert_true(diag_has(&f->d, "Duplicate Host Group (eth1:10.0.0.0/8) in zone lan /etc/shorewall/hosts (line 2)"));
	assert_int_equal(f->d.errors, 3);
	/* a multi-zone interface's hosts */
	assert_int_equal(fx_zone(f, "net")->hosts.n, 2);
	assert_string_equal(fx_zone(f, "net")->hosts.v[1]->iface->name, "eth2");
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		T(test_seed_gateway_a), T(test_seed_gateway_b), T(test_seed_road_warrior), T(test_seed_transport),
		T(test_redundant_ipsec), T(test_redundant_ipsec_52), T(test_every_option), T(test_address_forms),
		T(test_wildcard_interface), T(test_duplicates), T(test_mixed_zone_hosts), T(test_errors),
		T(test_zone_type_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
