/* test_interfaces.c — the interfaces parser: both FORMATs, every option and its range, bridge ports, members, every error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "membership.h"
#include "test_support.h"

static void zones52(struct fx *f)
{
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nloc ipv4\ndmz ipv4\nvpn ipsec\n");
	assert_int_equal(f->d.errors, 0);
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = interfaces_option_table(&n);
	assert_int_equal(n, 32);
	assert_true(kw_sorted(t, n, false));
	/* the 2.x options 5.2 dropped are not in it */
	assert_null(kw_find(t, n, "newnotsyn"));
	assert_null(kw_find(t, n, "noping"));
}

/* The seed's transport example: `net eth0 detect routefilter,dhcp,tcpflags`, 2.2 zones. */
static void test_seed_22(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net Net Internet\nloc Local Local Network\n");
	const char *layout = fx_read(f, parse_interfaces, "interfaces",
				    "#ZONE INTERFACE BROADCAST OPTIONS\nnet eth0 detect routefilter,dhcp,tcpflags\n"
				    "#LAST LINE -- ADD YOUR ENTRIES BEFORE THIS ONE -- DO NOT REMOVE\n");
	assert_string_equal(layout, "2.2/5.2 (FORMAT 1)");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	struct iface *i = fx_iface(f, "eth0");
	assert_non_null(i);
	assert_string_equal(i->physical, "eth0");
	assert_string_equal(i->broadcast, "detect");
	assert_string_equal(i->zone_name, "net");
	assert_ptr_equal(i->zone, fx_zone(f, "net"));
	assert_false(i->wildcard);
	assert_null(i->bridge);
	assert_int_equal(i->loc.line, 2);
	assert_true(IFACE_HAS(i, IFO_ROUTEFILTER));
	assert_int_equal(i->optval[IFO_ROUTEFILTER], 1);
	assert_true(IFACE_ON(i, IFO_DHCP));
	assert_true(IFACE_ON(i, IFO_TCPFLAGS));
	assert_false(IFACE_HAS(i, IFO_NOSMURFS));
	/* the interface puts the whole of eth0 into net */
	struct zone *net = fx_zone(f, "net");
	assert_int_equal(net->hosts.n, 1);
	struct host *h = net->hosts.v[0];
	assert_ptr_equal(h, f->c.graph->hosts.v[0]);
	assert_true(h->from_interfaces);
	assert_ptr_equal(h->iface, i);
	assert_ptr_equal(h->zone, net);
	assert_null(h->addrs.items);
	assert_null(h->ifname);
	assert_true(HOST_HAS(h, HO_TCPFLAGS));
	assert_false(HOST_HAS(h, HO_IPSEC));
	assert_int_equal(h->loc.line, 2);
}

/* The base 5.2 directory and the reference's seed variant: ?FORMAT 2, `loc eth1 -`. */
static void test_format2(void **state)
{
	struct fx *f = *state;
	zones52(f);
	const char *layout = fx_read(f, parse_interfaces, "interfaces",
				    "?FORMAT 2\nnet eth0 tcpflags,routefilter\nloc eth1 -\n");
	assert_string_equal(layout, "5.2 (FORMAT 2)");
	assert_int_equal(f->d.errors, 0);
	assert_null(fx_iface(f, "eth0")->broadcast);
	/* tcpflags is on unless switched off */
	assert_true(IFACE_ON(fx_iface(f, "eth1"), IFO_TCPFLAGS));
	assert_int_equal(fx_iface(f, "eth1")->opts, 1ull << IFO_TCPFLAGS);
	assert_int_equal(f->c.graph->ifaces.n, 2);
	assert_ptr_equal(f->c.graph->ifaces.v[1], fx_iface(f, "eth1"));
	assert_int_equal(f->c.graph->hosts.n, 2);
	assert_ptr_equal(f->c.graph->hosts.v[1]->zone, fx_zone(f, "loc"));
	assert_int_equal(fx_zone(f, "loc")->hosts.n, 1);
}

static void test_format1_three_columns(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces", "net eth0 routefilter,dhcp\nloc eth1 1.2.3\ndmz eth2 -\nvpn eth3 detect\n");
	assert_true(diag_has(&f->d, "ERROR: Invalid BROADCAST address (routefilter,dhcp): the third column is BROADCAST "
				    "unless the file says ?FORMAT 2 /etc/shorewall/interfaces (line 1)"));
	assert_true(diag_has(&f->d, "Invalid BROADCAST address (1.2.3): the third column"));
	assert_int_equal(f->d.errors, 2);
}

static void test_broadcast_addresses(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "net eth0 206.162.148.255,255.255.255.255 dhcp\nloc eth1 192.168.1.300 dhcp\n");
	assert_true(diag_has(&f->d, "WARNING: Shorewall no longer uses broadcast addresses in rule generation when "
				    "Address Type Match is available /etc/shorewall/interfaces (line 1)"));
	assert_true(diag_has(&f->d, "ERROR: Invalid BROADCAST address (192.168.1.300) /etc/shorewall/interfaces (line 2)"));
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(fx_iface(f, "eth0")->broadcast, "206.162.148.255,255.255.255.255");
}

/* Seed 004: 2.4-era ipsec0 devices are plain interfaces. */
static void test_ipsec0_plain(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net Net Internet\nvpn VPN Virtual Private Network\n");
	fx_run(f, parse_interfaces, "interfaces", "net eth0 detect routefilter\nvpn ipsec0 -\nvpn ipsec1\n");
	assert_int_equal(f->d.errors, 0);
	struct iface *i = fx_iface(f, "ipsec0");
	assert_non_null(i);
	assert_ptr_equal(i->zone, fx_zone(f, "vpn"));
	assert_null(i->broadcast);
	assert_int_equal(fx_zone(f, "vpn")->hosts.n, 2);
	assert_int_equal(fx_zone(f, "vpn")->type, ZONE_IPV4);
}

static void test_multizone_and_wildcards(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\n- eth0 -\nnet ppp+ -\nloc + -\n");
	assert_int_equal(f->d.errors, 0);
	assert_null(fx_iface(f, "eth0")->zone);
	assert_null(fx_iface(f, "eth0")->zone_name);
	assert_true(fx_iface(f, "ppp+")->wildcard);
	assert_true(fx_iface(f, "+")->wildcard);
	/* a multi-zone interface adds no member: its zones come from hosts */
	assert_int_equal(f->c.graph->hosts.n, 2);
}

static void test_every_option(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\n"
	       "net eth0 routefilter=2,arp_ignore=8,mss=1400,physical=wan0,wait=10,logmartians=0,proxyarp,"
	       "sourceroute=0,optional,dhcp,nosmurfs,routeback,maclist,upnp,upnpclient,arp_filter,destonly,nodbl,"
	       "forward=1,accept_ra=2,tcpflags=0\n"
	       "loc eth1 rpfilter,required,loopback=0,logmartians,sourceroute,arp_ignore,accept_ra\n"
	       "dmz eth2 sfilter=(10.0.0.0/8,192.168.0.0/16),nets=172.16.0.0/12,10.1.0.0/16,routefilter=0\n"
	       "- eth3 unmanaged\n"
	       "- eth4 ignore\n"
	       "- eth5 ignore=1,wait\n"
	       "- br0 bridge\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);

	struct iface *i = fx_iface(f, "eth0");
	static const struct { enum iface_opt o; long v; } want0[] = {
		{ IFO_ROUTEFILTER, 2 }, { IFO_ARP_IGNORE, 8 }, { IFO_MSS, 1400 }, { IFO_PHYSICAL, 1 },
		{ IFO_WAIT, 10 }, { IFO_LOGMARTIANS, 0 }, { IFO_PROXYARP, 1 }, { IFO_SOURCEROUTE, 0 },
		{ IFO_OPTIONAL, 1 }, { IFO_DHCP, 1 }, { IFO_NOSMURFS, 1 }, { IFO_ROUTEBACK, 1 }, { IFO_MACLIST, 1 },
		{ IFO_UPNP, 1 }, { IFO_UPNPCLIENT, 1 }, { IFO_ARP_FILTER, 1 }, { IFO_DESTONLY, 1 }, { IFO_NODBL, 1 },
		{ IFO_FORWARD, 1 }, { IFO_ACCEPT_RA, 2 }, { IFO_TCPFLAGS, 0 },
	};
	uint64_t mask = 0;
	for (size_t j = 0; j < sizeof(want0) / sizeof(want0[0]); j++) {
		assert_true(IFACE_HAS(i, want0[j].o));
		assert_int_equal(i->optval[want0[j].o], want0[j].v);
		mask |= 1ull << want0[j].o;
	}
	assert_int_equal(i->opts, mask);
	assert_string_equal(i->physical, "wan0");
	assert_false(IFACE_ON(i, IFO_TCPFLAGS));
	assert_false(IFACE_ON(i, IFO_LOGMARTIANS));
	/* the member carries the zone-relevant options, not the switched-off ones */
	struct host *h = fx_zone(f, "net")->hosts.v[0];
	assert_int_equal(h->opts, (1u << HO_NOSMURFS) | (1u << HO_ROUTEBACK) | (1u << HO_MACLIST) | (1u << HO_DESTONLY));

	i = fx_iface(f, "eth1");
	assert_true(IFACE_ON(i, IFO_RPFILTER));
	assert_true(IFACE_ON(i, IFO_REQUIRED));
	assert_true(IFACE_HAS(i, IFO_LOOPBACK));
	assert_false(IFACE_ON(i, IFO_LOOPBACK));
	assert_int_equal(i->optval[IFO_LOGMARTIANS], 1);
	assert_int_equal(i->optval[IFO_SOURCEROUTE], 1);
	assert_int_equal(i->optval[IFO_ARP_IGNORE], 1);
	assert_int_equal(i->optval[IFO_ACCEPT_RA], 1);

	i = fx_iface(f, "eth2");
	assert_true(IFACE_HAS(i, IFO_SFILTER));
	assert_true(IFACE_HAS(i, IFO_NETS));
	assert_false(IFACE_ON(i, IFO_ROUTEFILTER));
	char buf[32];
	assert_string_equal(addr_item_format(i->sfilter.items, buf, sizeof(buf)), "10.0.0.0/8");
	assert_string_equal(addr_item_format(i->sfilter.items->next, buf, sizeof(buf)), "192.168.0.0/16");
	assert_null(i->sfilter.items->next->next);
	assert_string_equal(addr_item_format(i->nets.items, buf, sizeof(buf)), "172.16.0.0/12");
	assert_string_equal(addr_item_format(i->nets.items->next, buf, sizeof(buf)), "10.1.0.0/16");
	/* nets= makes the member those networks, with broadcast */
	h = fx_zone(f, "dmz")->hosts.v[0];
	assert_ptr_equal(h->addrs.items, i->nets.items);
	assert_true(HOST_HAS(h, HO_BROADCAST));

	assert_true(IFACE_ON(fx_iface(f, "eth3"), IFO_UNMANAGED));
	/* unmanaged: no tcpflags default */
	assert_false(IFACE_HAS(fx_iface(f, "eth3"), IFO_TCPFLAGS));
	assert_int_equal(fx_iface(f, "eth4")->optval[IFO_IGNORE], 3);
	assert_int_equal(fx_iface(f, "eth5")->optval[IFO_IGNORE], 1);
	assert_int_equal(fx_iface(f, "eth5")->optval[IFO_WAIT], 60);
	/* a bridge is routeback unless told otherwise */
	assert_true(IFACE_ON(fx_iface(f, "br0"), IFO_BRIDGE));
	assert_true(IFACE_ON(fx_iface(f, "br0"), IFO_ROUTEBACK));
}

static void test_2x_options_rejected(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "net eth0 detect newnotsyn,noping,dhcp\nloc eth1 detect dropunclean,logunclean,filterping\n"
	       "dmz eth2 detect nobogons,routestopped\n");
	assert_true(diag_has(&f->d, "ERROR: Invalid Interface option (newnotsyn) /etc/shorewall/interfaces (line 1)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (noping) /etc/shorewall/interfaces (line 1)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (dropunclean) /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (logunclean) /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (filterping) /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (nobogons) /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "Invalid Interface option (routestopped) /etc/shorewall/interfaces (line 3)"));
	assert_int_equal(f->d.errors, 7);
	/* the good options on the line still count */
	assert_true(IFACE_ON(fx_iface(f, "eth0"), IFO_DHCP));
}

static void test_obsolete_warnings(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\nnet eth0 norfc1918,detectnets,blacklist\n- eth1 blacklist\n");
	assert_true(diag_has(&f->d, "WARNING: Support for the norfc1918 interface option has been removed from Shorewall "
				    "/etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Support for the detectnets interface option has been removed from Shorewall"));
	assert_true(diag_has(&f->d, "WARNING: The 'blacklist' interface option is no longer supported /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "The 'blacklist' option is ignored on multi-zone interfaces /etc/shorewall/interfaces (line 3)"));
	assert_int_equal(f->d.warnings, 5);
	assert_int_equal(f->d.errors, 0);
}

static void test_option_values(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\n"
	       "net eth0 dhcp=1,proxyarp=2,routefilter=3,mss,arp_ignore=4,physical=,wait=301,mss=0,mss=x\n"  /* 2 */
	       "loc eth1 nets=,sfilter=10.0.0.300,nets=(10.0.0.0/8\n"                                    /* 3 */
	       "dmz eth2 nets=10.0.0.0/8,nets=10.1.0.0/16,accept_ra=3,ignore=0,routefilter=-1\n");        /* 4 */
	assert_true(diag_has(&f->d, "Option dhcp does not take a value /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Option value for 'proxyarp' must be 0 or 1 /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid value (3) for option routefilter /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "The 'mss' option requires a value /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid value (4) for arp_ignore /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "The 'physical' option requires a value /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid value (301) for option wait /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid value (0) for option mss /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid value (x) for option mss /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid option list (nets=,sfilter=10.0.0.300,nets=(10.0.0.0/8) /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "Duplicate nets option /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Invalid value (3) for option accept_ra /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Invalid value (0) for option ignore /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Invalid value (-1) for option routefilter /etc/shorewall/interfaces (line 4)"));
	assert_int_equal(f->d.errors, 14);
}

static void test_address_options(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\nnet eth0 nets=\nloc eth1 sfilter=10.0.0.300\n- eth2 nets=10.0.0.0/8\ndmz eth3 nets=+1bad\n"
	       "vpn eth4 nets=dynamic,10.0.0.0/8\n");
	assert_true(diag_has(&f->d, "The 'nets' option requires a value /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "Invalid IP address (10.0.0.300) /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "\"nets=\" may not be specified for a multi-zone interface /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Invalid ipset name (+1bad) /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "Invalid value (dynamic,10.0.0.0/8) for option nets /etc/shorewall/interfaces (line 6)"));
	assert_int_equal(f->d.errors, 5);
}

static void test_option_combinations(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\n"
	       "net eth0 optional,required\n"              /* 2 */
	       "loc eth1 routefilter,rpfilter\n"           /* 3 */
	       "dmz eth2 routefilter,sfilter=10.0.0.0/8\n" /* 4 */
	       "vpn eth3 ignore\n"                         /* 5 */
	       "- eth4 unmanaged,dhcp,tcpflags\n"          /* 6 */
	       "- eth5 routeback\n"                        /* 7 */
	       "- eth6 routeback=0\n"                      /* 8: switching it off is fine */
	       "- ppp+ bridge\n"                           /* 9 */
	       "- eth7 optional,ignore\n");                /* 10 */
	assert_true(diag_has(&f->d, "The 'required', 'optional' and 'ignore' options are mutually exclusive /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "The 'routefilter', 'sfilter' and 'rpfilter' options are mutually exclusive /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "The 'routefilter', 'sfilter' and 'rpfilter' options are mutually exclusive /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Ignored interfaces may not be associated with a zone /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "The dhcp option may not be specified with 'unmanaged' /etc/shorewall/interfaces (line 6)"));
	assert_true(diag_has(&f->d, "The tcpflags option may not be specified with 'unmanaged' /etc/shorewall/interfaces (line 6)"));
	assert_true(diag_has(&f->d, "The \"routeback\" option may not be specified on a multi-zone interface /etc/shorewall/interfaces (line 7)"));
	assert_true(diag_has(&f->d, "Bridges may not have wildcard names /etc/shorewall/interfaces (line 9)"));
	assert_true(diag_has(&f->d, "The 'required', 'optional' and 'ignore' options are mutually exclusive /etc/shorewall/interfaces (line 10)"));
	assert_int_equal(f->d.errors, 9);
	assert_true(IFACE_HAS(fx_iface(f, "eth6"), IFO_ROUTEBACK));
	assert_false(IFACE_ON(fx_iface(f, "eth6"), IFO_ROUTEBACK));
	/* an unmanaged interface with a zone */
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet eth9 unmanaged\n");
	assert_true(diag_has(&f->d, "Unmanaged interfaces may not be associated with a zone"));
}

static void test_wildcard_warnings(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet ppp+ routefilter,logmartians,dhcp\nloc + dhcp,mss=1400\n"
						 "dmz tun+ arp_ignore\n");
	assert_true(diag_has(&f->d, "WARNING: The 'routefilter' option is ignored when used with a wildcard physical name "
				    "/etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "The 'logmartians' option is ignored when used with a wildcard physical name"));
	assert_true(diag_has(&f->d, "WARNING: The 'dhcp' option is ignored when used with interface name '+' /etc/shorewall/interfaces (line 3)"));
	/* tcpflags is the default, not written: no warning for it */
	assert_false(diag_has(&f->d, "The 'tcpflags' option is ignored"));
	assert_false(diag_has(&f->d, "The 'mss' option is ignored"));
	assert_true(diag_has(&f->d, "ERROR: The 'arp_ignore' option may not be used with a wild-card interface name"));
	assert_int_equal(f->d.warnings, 3);
	assert_int_equal(f->d.errors, 1);
}

static void test_physical(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\nnet wan physical=eth0\nloc lan physical=eth0\ndmz ppp+ physical=ppp0\nvpn eth0 -\n"
	       "- x physical=bad*name\n");
	assert_true(diag_has(&f->d, "Duplicate physical interface name (eth0) /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "The type of 'physical' name (ppp0) doesn't match the type of interface name (ppp+) "
				    "/etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Duplicate Interface (eth0) /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "Invalid interface name (bad*name) /etc/shorewall/interfaces (line 6)"));
	assert_int_equal(f->d.errors, 4);
	assert_string_equal(fx_iface(f, "wan")->physical, "eth0");
}

static void test_row_errors(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces",
	       "bogus eth0 detect\n"               /* 1 */
	       "fw eth1 detect\n"                  /* 2 */
	       "net - detect\n"                    /* 3 */
	       "net eth2 detect\n"                 /* 4 */
	       "loc eth2 detect\n"                 /* 5 */
	       "net eth3* detect\n"                /* 6 */
	       "net abcdefghijklmnop detect\n"     /* 7 */
	       "net br0: detect\n"                 /* 8 */
	       "net eth0:1 detect\n"               /* 9 */
	       "net eth4 detect dhcp extra\n"      /* 10 */
	       "net a:b:c detect\n");              /* 11 */
	assert_true(diag_has(&f->d, "ERROR: Unknown zone (bogus) /etc/shorewall/interfaces (line 1)"));
	assert_true(diag_has(&f->d, "Firewall zone not allowed in ZONE column of interface record /etc/shorewall/interfaces (line 2)"));
	assert_true(diag_has(&f->d, "INTERFACE must be specified /etc/shorewall/interfaces (line 3)"));
	assert_true(diag_has(&f->d, "Duplicate Interface (eth2) /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "Invalid interface name (eth3*) /etc/shorewall/interfaces (line 6)"));
	assert_true(diag_has(&f->d, "Invalid interface name (abcdefghijklmnop) /etc/shorewall/interfaces (line 7)"));
	assert_true(diag_has(&f->d, "Invalid INTERFACE (br0:) /etc/shorewall/interfaces (line 8)"));
	assert_true(diag_has(&f->d, "Virtual interfaces (eth0:1) are not supported /etc/shorewall/interfaces (line 9)"));
	assert_true(diag_has(&f->d, "Invalid interfaces file entry (too many columns) /etc/shorewall/interfaces (line 10)"));
	assert_true(diag_has(&f->d, "Invalid INTERFACE (a:b:c) /etc/shorewall/interfaces (line 11)"));
	assert_int_equal(f->d.errors, 10);
	/* eth2, and eth4 whose only fault was a column too many */
	assert_int_equal(f->c.graph->ifaces.n, 2);
	assert_true(IFACE_ON(fx_iface(f, "eth4"), IFO_DHCP));
	/* FORMAT 2 allows one column fewer */
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet eth5 dhcp extra\n");
	assert_true(diag_has(&f->d, "Invalid interfaces file entry (too many columns) /etc/shorewall/interfaces (line 2)"));
}

static void test_bridge_ports(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nlan:net bport\nvs vserver\n");
	fx_run(f, parse_interfaces, "interfaces",
	       "?FORMAT 2\n"
	       "net br0 bridge\n"                  /* 2 */
	       "lan br0:eth1 tcpflags,nosmurfs\n"  /* 3 */
	       "lan br0:eth2 dhcp\n"               /* 4 */
	       "net br1:eth3 -\n"                  /* 5 */
	       "net br0:eth4 -\n"                  /* 6 */
	       "lan eth5 -\n"                      /* 7 */
	       "vs eth6 -\n"                       /* 8 */
	       "lan br0:eth1 -\n");                /* 9 */
	assert_true(diag_has(&f->d, "The \"dhcp\" option is not allowed on a bridge port /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "br1 is not a defined bridge /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "Bridge Ports may only be associated with 'bport' zones /etc/shorewall/interfaces (line 6)"));
	assert_true(diag_has(&f->d, "Zones of type 'bport' may only be associated with bridge ports /etc/shorewall/interfaces (line 7)"));
	assert_true(diag_has(&f->d, "Vserver zones may not be associated with interfaces /etc/shorewall/interfaces (line 8)"));
	assert_true(diag_has(&f->d, "Duplicate Interface (eth1) /etc/shorewall/interfaces (line 9)"));
	assert_int_equal(f->d.errors, 6);
	struct iface *p = fx_iface(f, "eth1");
	assert_non_null(p);
	assert_string_equal(p->bridge, "br0");
	assert_ptr_equal(p->zone, fx_zone(f, "lan"));
	assert_true(IFACE_ON(p, IFO_NOSMURFS));
}

static void test_loopback(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nlb loopback\n");
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nlb lo -\nnet eth0 -\nlb eth1 -\nnet lo2 loopback\n");
	assert_true(IFACE_ON(fx_iface(f, "lo"), IFO_LOOPBACK));
	assert_true(diag_has(&f->d, "A loopback zone may only be assigned to the loopback interface /etc/shorewall/interfaces (line 4)"));
	assert_true(diag_has(&f->d, "Only one 'loopback' interface is allowed /etc/shorewall/interfaces (line 5)"));
	assert_true(diag_has(&f->d, "Only a loopback zone may be assigned to 'lo2' /etc/shorewall/interfaces (line 5)"));
	assert_int_equal(f->d.errors, 3);
}

static void test_file_level(void **state)
{
	struct fx *f = *state;
	zones52(f);
	fx_run(f, parse_interfaces, "interfaces", "# nothing\n");
	assert_true(diag_has(&f->d, "ERROR: No network interfaces defined /etc/shorewall/interfaces (EOF)"));
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 3\nnet eth0 -\nloc eth1 -\n");
	assert_true(diag_has(&f->d, "Invalid ?FORMAT for the interfaces file (3) /etc/shorewall/interfaces (line 2)"));
	assert_int_equal(f->d.errors, 2);
	/* back to FORMAT 1 in the same file is fine */
	assert_string_equal(fx_read(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet eth0 -\n?FORMAT 1\nloc eth1 - dhcp\n"),
			    "5.2 (FORMAT 2)");
	assert_int_equal(f->d.errors, 2);
	assert_true(IFACE_ON(fx_iface(f, "eth1"), IFO_DHCP));
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		T(test_seed_22), T(test_format2), T(test_format1_three_columns), T(test_broadcast_addresses),
		T(test_ipsec0_plain), T(test_multizone_and_wildcards), T(test_every_option),
		T(test_2x_options_rejected), T(test_obsolete_warnings), T(test_option_values),
		T(test_address_options), T(test_option_combinations), T(test_wildcard_warnings), T(test_physical),
		T(test_row_errors), T(test_bridge_ports), T(test_loopback), T(test_file_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
