/* test_ipsec_policy.c — the SPD derived from a zone graph (src/ipsec/): peers, gateways, selectors, formats. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "keyword.h"
#include "parsers.h"
#include "spd.h"
#include "cfg_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A configuration directory written to a temp dir, read by config_read as the command does. */
struct cfg {
	char dir[64];
	struct diag d;
	struct compile c;
	struct spd spd;
	int derive_errors;
};

/* the policies do not shape the SPD: one that fits every zone set here */
static const char policy52[] = "all all REJECT info\n";

static void cfg_close(struct cfg *t);

/* The seed's gateway A in the 5.2 layout, addresses as in tests/fixtures/ipsec-policy/README.md;
 * any file may be replaced (NULL = the default). */
static void cfg_open(struct cfg *t, const char *zones, const char *interfaces, const char *hosts,
		     const char *tunnels)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/swc-ipsecpol-unit-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	cfx_write(t->dir, "shorewall.conf", "STARTUP_ENABLED=Yes\n");
	cfx_write(t->dir, "zones", zones ? zones : "fw firewall\nvpn ipv4\nnet ipv4\nloc ipv4\n");
	cfx_write(t->dir, "interfaces", interfaces ? interfaces : "?FORMAT 2\nnet eth0 routefilter\nloc eth1 -\n");
	cfx_write(t->dir, "hosts", hosts ? hosts : "vpn eth0:10.0.0.0/8,203.0.113.2 ipsec\n");
	cfx_write(t->dir, "tunnels", tunnels ? tunnels : "ipsec net 203.0.113.2\n");
	cfx_write(t->dir, "policy", policy52);
	config_read(&t->c, &t->d, t->dir, 0);
	if (t->d.errors) {
		diag_flush(&t->d);
		cfg_close(t);
		fail_msg("the configuration has errors");
	}
}

/* Derive with --local / --local-gw as given (NULL = not given). */
static int cfg_derive(struct cfg *t, const char *local, const char *local_gw, bool need_gw)
{
	struct spd_options o = { .need_local_gw = need_gw };
	const char *bad = NULL;
	if (local) {
		assert_true(addr_parse_list(t->c.arena, local, &o.local, false, &bad));
		o.have_local = true;
	}
	if (local_gw) {
		assert_true(addr_parse_ip4(local_gw, &o.local_gw));
		o.have_local_gw = true;
	}
	t->derive_errors = spd_derive(&t->c, &o, &t->spd);
	return t->derive_errors;
}

/* The text a format prints (malloc'd). */
static char *cfg_print(struct cfg *t, const char *format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	spd_format_fn fn = spd_format_find(format);
	assert_non_null(fn);
	fn(&t->c, &t->spd, m);
	fclose(m);
	return text;
}

static void cfg_close(struct cfg *t)
{
	cfx_remove(t->dir);
	compile_fini(&t->c);
	diag_fini(&t->d);
}

static void expect_msg(const struct cfg *t, const char *msg)
{
	if (!diag_has(&t->d, msg))
		fail_msg("missing message: %s", msg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = spd_format_table(&n);
	assert_int_equal(n, 3);
	assert_true(kw_sorted(t, n, false));
	assert_non_null(spd_format_find("setkey"));
	assert_non_null(spd_format_find("ip-xfrm"));
	assert_non_null(spd_format_find("swanctl"));
	assert_null(spd_format_find("racoon"));
	assert_true(spd_format_find("swanctl") == spd_print_swanctl);
}

/* The seed's eight setkey lines for gateway A (addresses mapped) are exactly our out and in lines. */
static void test_seed_gateway_eight(void **state)
{
	(void)state;
	static const char *seed[] = {
		"spdadd 192.168.1.0/24 10.0.0.0/8 any -P out ipsec esp/tunnel/198.51.100.9-203.0.113.2/require;",
		"spdadd 192.168.1.0/24 203.0.113.2/32 any -P out ipsec esp/tunnel/198.51.100.9-203.0.113.2/require;",
		"spdadd 198.51.100.9/32 203.0.113.2/32 any -P out ipsec esp/tunnel/198.51.100.9-203.0.113.2/require;",
		"spdadd 198.51.100.9/32 10.0.0.0/8 any -P out ipsec esp/tunnel/198.51.100.9-203.0.113.2/require;",
		"spdadd 10.0.0.0/8 192.168.1.0/24 any -P in ipsec esp/tunnel/203.0.113.2-198.51.100.9/require;",
		"spdadd 10.0.0.0/8 198.51.100.9/32 any -P in ipsec esp/tunnel/203.0.113.2-198.51.100.9/require;",
		"spdadd 203.0.113.2/32 192.168.1.0/24 any -P in ipsec esp/tunnel/203.0.113.2-198.51.100.9/require;",
		"spdadd 203.0.113.2/32 198.51.100.9/32 any -P in ipsec esp/tunnel/203.0.113.2-198.51.100.9/require;",
	};
	enum { N = sizeof(seed) / sizeof(seed[0]) };
	struct cfg t;
	cfg_open(&t, NULL, NULL, NULL, NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	char *text = cfg_print(&t, "setkey");
	char *ours[32];
	size_t n = 0, fwd = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		if (strstr(line, " -P fwd ")) {
			fwd++;
			continue;
		}
		assert_true(n < 32);
		ours[n++] = line;
	}
	assert_int_equal(n, N);
	assert_int_equal(fwd, 4);           /* one per in */
	const char *want[N];
	memcpy(want, seed, sizeof(want));
	qsort(ours, n, sizeof(ours[0]), cmp_str);
	qsort(want, N, sizeof(want[0]), cmp_str);
	for (size_t i = 0; i < N; i++)
		assert_string_equal(ours[i], want[i]);
	free(text);
	cfg_close(&t);
}

/* What the derivation found for the seed's gateway: one peer, its selectors and their lines. */
static void test_gateway_peer(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, NULL, NULL, NULL, NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	assert_int_equal(t.spd.peers.n, 1);
	assert_int_equal(t.spd.ipsec_tunnels, 1);
	const struct spd_peer *p = t.spd.peers.v[0];
	char b[32];
	assert_string_equal(p->zone->name, "vpn");
	assert_int_equal(p->mode, SPD_TUNNEL);
	assert_string_equal(p->proto, "esp");
	assert_int_equal(p->reqid_in, 0);
	assert_true(p->remote_gw_known);
	assert_true(spd_peer_static(p));
	assert_string_equal(spd_net(&p->remote_gw.net, b, sizeof(b)), "203.0.113.2/32");
	assert_int_equal(p->remote_gw.loc.line, 1);                 /* tunnels line 1 */
	assert_non_null(strstr(p->remote_gw.loc.file, "/tunnels"));
	assert_int_equal(p->remote.n, 2);
	assert_string_equal(spd_net(&p->remote.v[0].net, b, sizeof(b)), "10.0.0.0/8");
	assert_string_equal(spd_net(&p->remote.v[1].net, b, sizeof(b)), "203.0.113.2/32");
	assert_non_null(strstr(p->remote.v[1].loc.file, "/hosts"));
	assert_int_equal(p->local.n, 2);
	assert_string_equal(spd_net(&p->local.v[0].net, b, sizeof(b)), "192.168.1.0/24");
	assert_string_equal(p->local.v[0].origin, "--local");
	assert_string_equal(spd_net(&p->local.v[1].net, b, sizeof(b)), "198.51.100.9/32");
	assert_true(p->local.v[1].gateway);
	char w[256];
	assert_string_equal(spd_where(&t.c, &p->remote.v[0], w, sizeof(w)), "hosts:1");
	assert_string_equal(spd_where(&t.c, &p->local.v[1], w, sizeof(w)), "--local-gw");
	cfg_close(&t);
}

/* Everything from the configuration: zone options give both gateways and the reqid, nets= the local
 * network; ip-xfrm lines carry the reqid, and a local gateway inside a local network adds no pair. */
static void test_from_options(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\n"
		  "vpn ipsec mode=tunnel,reqid=0x10 tunnel-src=203.0.113.2,tunnel-dst=192.168.1.1 "
		  "tunnel-src=192.168.1.1,tunnel-dst=203.0.113.2\nnet ipv4\nloc ipv4\n",
		  "?FORMAT 2\nnet eth0 routefilter\nloc eth1 nets=192.168.1.0/24\n",
		  "vpn eth0:10.0.0.0/8\n", "# none\n");
	assert_int_equal(cfg_derive(&t, NULL, NULL, true), 0);
	assert_int_equal(t.spd.peers.n, 1);
	const struct spd_peer *p = t.spd.peers.v[0];
	assert_int_equal(p->reqid_in, 16);
	assert_int_equal(p->reqid_out, 16);
	assert_true(p->local_gw_known);
	assert_int_equal(p->local.n, 1);            /* 192.168.1.1 is inside 192.168.1.0/24 */
	assert_int_equal(p->local.v[0].loc.line, 3);
	char *text = cfg_print(&t, "ip-xfrm");
	assert_non_null(strstr(text, "ip xfrm policy add src 192.168.1.0/24 dst 10.0.0.0/8 dir out tmpl src "
			       "192.168.1.1 dst 203.0.113.2 proto esp reqid 16 mode tunnel\n"));
	assert_non_null(strstr(text, "ip xfrm policy add src 10.0.0.0/8 dst 192.168.1.0/24 dir fwd tmpl src "
			       "203.0.113.2 dst 192.168.1.1 proto esp reqid 16 mode tunnel\n"));
	free(text);
	text = cfg_print(&t, "setkey");
	assert_non_null(strstr(text, "esp/tunnel/192.168.1.1-203.0.113.2/unique:16;\n"));
	free(text);
	cfg_close(&t);
}

static void test_road_warrior(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\nvpn ipsec\nnet ipv4\nloc ipv4\n", NULL, "vpn eth0:0.0.0.0/0\n",
		 "ipsec net 0.0.0.0/0 vpn\n");
	/* no local gateway needed: nothing static is written */
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", NULL, true), 0);
	assert_int_equal(t.spd.peers.n, 1);
	const struct spd_peer *p = t.spd.peers.v[0];
	assert_false(p->remote_gw_known);
	assert_false(spd_peer_static(p));
	assert_true(net4_is_any(&p->remote_gw.net));
	char *text = cfg_print(&t, "ip-xfrm");
	assert_null(strstr(text, "ip xfrm policy add"));
	assert_non_null(strstr(text, "road warrior"));
	free(text);
	text = cfg_print(&t, "swanctl");
	assert_non_null(strstr(text, "remote_addrs = %any\n"));
	assert_non_null(strstr(text, "remote_ts = dynamic\n"));
	assert_non_null(strstr(text, "local_ts = 192.168.1.0/24, dynamic\n"));
	assert_null(strstr(text, "local_addrs ="));
	free(text);
	cfg_close(&t);
}

/* The laptop: the gateway is known (GATEWAY_ZONE names vpn), the whole net goes through it. */
static void test_gateway_zone(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\nvpn ipsec\nnet ipv4\n", "?FORMAT 2\nnet eth0 -\n", "vpn eth0:0.0.0.0/0\n",
		 "ipsec net 192.0.2.7\nipsec net 198.51.100.9 vpn\n");
	assert_int_equal(cfg_derive(&t, NULL, "203.0.113.2", true), 0);
	const struct spd_peer *p = t.spd.peers.v[0];
	assert_true(p->remote_gw_known);
	assert_int_equal(p->remote_gw.net.addr, 0xc6336409u);       /* 198.51.100.9: the line naming vpn */
	assert_int_equal(p->remote_gw.loc.line, 2);
	assert_int_equal(p->local.n, 1);                            /* no local zone: the laptop itself */
	assert_int_equal(p->remote.n, 1);
	assert_true(net4_is_any(&p->remote.v[0].net));
	cfg_close(&t);
}

static void test_transport(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\nnet ipv4\nloc ipsec mode=transport,proto=ah\n", "?FORMAT 2\nnet eth0 dhcp\n",
		 "loc eth0:192.168.20.20,192.168.20.0/24\n", "ipsec:noah net 192.168.20.0/24 loc\n");
	assert_int_equal(cfg_derive(&t, NULL, "192.168.20.10", true), 0);
	const struct spd_peer *p = t.spd.peers.v[0];
	assert_int_equal(p->mode, SPD_TRANSPORT);
	assert_string_equal(p->proto, "ah");
	assert_int_equal(p->local.n, 1);            /* host to host: no local networks */
	assert_int_equal(spd_dirs(p), 2);           /* no fwd */
	char *text = cfg_print(&t, "setkey");
	assert_non_null(strstr(text, "spdadd 192.168.20.10/32 192.168.20.20/32 any -P out ipsec "
			       "ah/transport/192.168.20.10-192.168.20.20/require;\n"));
	assert_non_null(strstr(text, "spdadd 192.168.20.0/24 192.168.20.10/32 any -P in ipsec ah/transport//require;\n"));
	assert_null(strstr(text, " fwd "));
	free(text);
	text = cfg_print(&t, "ip-xfrm");
	assert_non_null(strstr(text, "dir out tmpl proto ah mode transport\n"));
	free(text);
	cfg_close(&t);
}

/* Every missing fact is reported in one run, at the line that lacks it. */
static void test_missing_facts(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, NULL, NULL, NULL, NULL);
	assert_int_equal(cfg_derive(&t, NULL, NULL, true), 2);
	expect_msg(&t, "No local gateway address for the SAs of zone vpn: use --local-gw ADDR");
	expect_msg(&t, "The networks of zone loc are unknown (all of eth1)");
	assert_int_equal(t.d.head->loc.line, 2);    /* zones line 2: vpn */
	cfg_close(&t);
	/* swanctl needs no local gateway */
	cfg_open(&t, NULL, NULL, NULL, NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", NULL, false), 0);
	cfg_close(&t);
}

static void test_gateway_errors(void **state)
{
	(void)state;
	struct cfg t;
	/* no tunnel at all */
	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.0/8 ipsec\n", "# none\n");
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 1);
	expect_msg(&t, "No ipsec tunnel serves these hosts");
	cfg_close(&t);
	/* two tunnels on the interface, neither named: ambiguous */
	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.0/8 ipsec\n", "ipsec net 203.0.113.2\nipsec net 203.0.113.3\n");
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 1);
	expect_msg(&t, "Several ipsec gateways could serve these hosts (203.0.113.2, 203.0.113.3)");
	cfg_close(&t);
	/* ... unless the hosts entry lists one of them */
	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.0/8,203.0.113.3 ipsec\n",
		 "ipsec net 203.0.113.2\nipsec net 203.0.113.3\n");
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	assert_int_equal(t.spd.peers.v[0]->remote_gw.net.addr, 0xcb007103u);
	cfg_close(&t);
	/* one line with two gateways */
	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.0/8 ipsec\n", "ipsec net 203.0.113.2,203.0.113.3\n");
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 1);
	expect_msg(&t, "Which of this tunnel's gateways serves zone vpn?");
	cfg_close(&t);
}

/* What a selector cannot say is an error; ranges become exact CIDR blocks. */
static void test_selectors(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.0/8!10.1.0.0/16,203.0.113.2 ipsec\nvpn eth0:+remote ipsec\n", NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 2);
	expect_msg(&t, "An IPsec policy selector cannot exclude addresses (!10.1.0.0/16)");
	expect_msg(&t, "An IPsec policy selector cannot name an ipset (+remote)");
	cfg_close(&t);

	cfg_open(&t, NULL, NULL, "vpn eth0:10.0.0.1-10.0.0.6,203.0.113.2 ipsec\n", NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	const struct spd_peer *p = t.spd.peers.v[0];
	static const char *want[] = { "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32", "203.0.113.2/32" };
	assert_int_equal(p->remote.n, 5);
	char b[32];
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(spd_net(&p->remote.v[i].net, b, sizeof(b)), want[i]);
	cfg_close(&t);
}

/* Two zones may not claim the same traffic; ipcomp is `comp` to ip(8); setkey's reqid limit. */
static void test_overlap_and_formats(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\nvpn ipsec\nvpn2 ipsec\nnet ipv4\nloc ipv4\n", NULL,
		 "vpn eth0:10.0.0.0/8\nvpn2 eth0:10.0.0.0/8\n", "ipsec net 203.0.113.2\n");
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 1);
	expect_msg(&t, "Zone vpn's SAs already carry 192.168.1.0/24 <-> 10.0.0.0/8 (vpn2)");
	cfg_close(&t);

	cfg_open(&t, "fw firewall\nvpn ipsec proto=ipcomp,reqid=20000\nnet ipv4\nloc ipv4\n", NULL,
		 "vpn eth0:10.0.0.0/8\n", NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	char *text = cfg_print(&t, "ip-xfrm");
	assert_non_null(strstr(text, " proto comp reqid 20000 mode tunnel\n"));
	free(text);
	unsigned before = t.d.errors;
	text = cfg_print(&t, "setkey");
	free(text);
	assert_int_equal(t.d.errors, before + 1);
	expect_msg(&t, "setkey takes a reqid of at most 16383 (20000)");
	text = cfg_print(&t, "swanctl");
	assert_non_null(strstr(text, "ipcomp = yes\n"));
	assert_non_null(strstr(text, "reqid = 20000\n"));
	free(text);
	cfg_close(&t);
}

/* proto!=esp says no protocol: one error for the zone, not one per member; proto!=ah means esp. */
static void test_inverted_options(void **state)
{
	(void)state;
	struct cfg t;
	cfg_open(&t, "fw firewall\nvpn ipsec proto!=esp\nnet ipv4\nloc ipv4\n", NULL,
		 "vpn eth0:10.0.0.0/8\nvpn eth0:172.16.0.0/12\n", NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 1);
	expect_msg(&t, "Cannot tell the SA protocol of zone vpn from proto!=esp");
	cfg_close(&t);
	cfg_open(&t, "fw firewall\nvpn ipsec proto!=ah,mode!=transport\nnet ipv4\nloc ipv4\n", NULL,
		 "vpn eth0:10.0.0.0/8\n", NULL);
	assert_int_equal(cfg_derive(&t, "192.168.1.0/24", "198.51.100.9", true), 0);
	assert_string_equal(t.spd.peers.v[0]->proto, "esp");
	assert_int_equal(t.spd.peers.v[0]->mode, SPD_TUNNEL);
	cfg_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test(test_seed_gateway_eight),
		cmocka_unit_test(test_gateway_peer),
		cmocka_unit_test(test_from_options),
		cmocka_unit_test(test_road_warrior),
		cmocka_unit_test(test_gateway_zone),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_missing_facts),
		cmocka_unit_test(test_gateway_errors),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_overlap_and_formats),
		cmocka_unit_test(test_inverted_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
