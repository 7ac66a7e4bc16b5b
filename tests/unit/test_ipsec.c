/* test_ipsec.c — the 2.2 ipsec file: ipsec-only zones, mixed zones, and its agreement with a 5.2 zones file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "membership.h"
#include "test_support.h"

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = ipsec_only_table(&n);
	assert_int_equal(n, 2);
	assert_true(kw_sorted(t, n, true));
}

/* The seed: "#ZONE IPSEC OPTIONS IN OUT / # ONLY OPTIONS OPTIONS / sec yes mode=tunnel mss=1400". */
static void test_seed_sec(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "sec Secure Hosts behind the tunnel\nnet Internet The big bad internet\n");
	const char *layout = fx_read(f, parse_ipsec, "ipsec",
				    "#ZONE IPSEC OPTIONS IN OUT\n# ONLY OPTIONS OPTIONS\nsec yes mode=tunnel mss=1400\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	struct zone *z = fx_zone(f, "sec");
	assert_int_equal(z->type, ZONE_IPSEC);
	assert_false(z->mixed);
	assert_non_null(z->options);
	assert_int_equal(z->options->key, IPSEC_MODE);
	assert_string_equal(z->options->value, "tunnel");
	assert_null(z->options->next);
	/* mss= in the IN OPTIONS column: TCPMSS for traffic from the zone */
	assert_int_equal(z->mss, 0);
	assert_int_equal(z->in_mss, 1400);
	assert_string_equal(z->ipsec_loc.file, "/etc/shorewall/ipsec");
	assert_int_equal(z->ipsec_loc.line, 3);
	assert_int_equal(fx_zone(f, "net")->type, ZONE_IPV4);
	assert_null(fx_zone(f, "net")->ipsec_loc.file);
}

/* The seed's transport example: "loc Yes mode=transport" with 2.2 zones net and loc. */
static void test_seed_transport(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net Net Internet\nloc Local Local Network\n");
	fx_run(f, parse_ipsec, "ipsec", "loc Yes mode=transport\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *z = fx_zone(f, "loc");
	assert_int_equal(z->type, ZONE_IPSEC);
	assert_string_equal(z->options->value, "transport");
	assert_int_equal(z->index, 2);
}

static void test_all_columns(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "vpn VPN Virtual Private Network\n");
	fx_run(f, parse_ipsec, "ipsec", "vpn YES mode=tunnel,mss=1400 reqid=10,tunnel-src=134.28.54.2,mss=1300 "
					 "reqid=11,tunnel-dst=134.28.54.2,mss=1200\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *z = fx_zone(f, "vpn");
	assert_int_equal(z->type, ZONE_IPSEC);
	assert_int_equal(z->mss, 1400);
	assert_int_equal(z->in_mss, 1300);
	assert_int_equal(z->out_mss, 1200);
	assert_int_equal(z->in_options->key, IPSEC_REQID);
	assert_int_equal(z->in_options->next->key, IPSEC_TUNNEL_SRC);
	assert_int_equal(z->out_options->next->key, IPSEC_TUNNEL_DST);
}

static void test_mixed_zone(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "vpn VPN Virtual Private Network\nloc Local Local\nnet Net Internet\n");
	fx_run(f, parse_ipsec, "ipsec", "vpn No mode=tunnel,reqid=10\nloc no\nnet NO - - proto=esp\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *vpn = fx_zone(f, "vpn");
	assert_int_equal(vpn->type, ZONE_IPV4);
	assert_true(vpn->mixed);
	assert_int_equal(vpn->options->key, IPSEC_MODE);
	assert_int_equal(vpn->options->next->key, IPSEC_REQID);
	/* No without options: a plain zone, but the line is remembered */
	struct zone *loc = fx_zone(f, "loc");
	assert_false(loc->mixed);
	assert_int_equal(loc->type, ZONE_IPV4);
	assert_int_equal(loc->ipsec_loc.line, 2);
	/* options in OUT_OPTIONS only still make a mixed zone */
	assert_true(fx_zone(f, "net")->mixed);
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "vpn VPN Virtual Private Network\nloc Local Local\nnet Net Internet\n");
	fx_run(f, parse_ipsec, "ipsec",
	       "dmz yes\n"                          /* 1 */
	       "fw yes\n"                           /* 2 */
	       "vpn maybe\n"                        /* 3 */
	       "loc\n"                              /* 4 */
	       "vpn yes mode=tunel\n"               /* 5: still recorded, then the value is wrong */
	       "vpn yes\n"                          /* 6 */
	       "loc no - - - extra\n"               /* 7 */
	       "- yes\n"                            /* 8 */
	       "net no foo\n");                     /* 9 */
	assert_true(diag_has(&f->d, "ERROR: Unknown zone (dmz) /etc/shorewall/ipsec (line 1)"));
	assert_true(diag_has(&f->d, "Firewall zone not allowed in ZONE column of ipsec record /etc/shorewall/ipsec (line 2)"));
	assert_true(diag_has(&f->d, "Invalid IPSEC_ONLY value (maybe) /etc/shorewall/ipsec (line 3)"));
	assert_true(diag_has(&f->d, "Invalid IPSEC_ONLY value () /etc/shorewall/ipsec (line 4)"));
	assert_true(diag_has(&f->d, "Invalid value (tunel) for option \"mode\" /etc/shorewall/ipsec (line 5)"));
	assert_true(diag_has(&f->d, "Duplicate ipsec entry for zone vpn (first at line 5) /etc/shorewall/ipsec (line 6)"));
	assert_true(diag_has(&f->d, "Invalid ipsec file entry (too many columns) /etc/shorewall/ipsec (line 7)"));
	assert_true(diag_has(&f->d, "ZONE must be specified /etc/shorewall/ipsec (line 8)"));
	assert_true(diag_has(&f->d, "Invalid Option (foo) /etc/shorewall/ipsec (line 9)"));
	assert_int_equal(f->d.errors, 9);
	/* a line with a column too many is still read */
	assert_int_equal(fx_zone(f, "loc")->ipsec_loc.line, 7);
}

static void test_52_agreement(void **state)
{
	struct fx *f = *state;
	fx_gateway52(f, "ipsec");
	fx_run(f, parse_ipsec, "ipsec", "vpn Yes mode=tunnel\nloc no mode=transport\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(fx_zone(f, "vpn")->type, ZONE_IPSEC);
	assert_string_equal(fx_zone(f, "vpn")->options->value, "tunnel");
	assert_true(fx_zone(f, "loc")->mixed);
	assert_true(fx_zone(f, "loc")->type_declared);
}

static void test_52_contradiction_yes(void **state)
{
	struct fx *f = *state;
	fx_gateway52(f, "ipv4");
	fx_run(f, parse_ipsec, "ipsec", "vpn yes mode=tunnel\n");
	assert_true(diag_has(&f->d, "ERROR: Zone vpn is declared ipv4 in /etc/shorewall/zones (line 2) but the ipsec "
				    "file says IPSEC_ONLY=yes /etc/shorewall/ipsec (line 1)"));
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(fx_zone(f, "vpn")->type, ZONE_IPV4);
	assert_null(fx_zone(f, "vpn")->options);
}

static void test_52_contradiction_no(void **state)
{
	struct fx *f = *state;
	fx_gateway52(f, "ipsec");
	fx_run(f, parse_ipsec, "ipsec", "vpn No\n");
	assert_true(diag_has(&f->d, "ERROR: Zone vpn is declared ipsec in /etc/shorewall/zones (line 2) but the ipsec "
				    "file says IPSEC_ONLY=No /etc/shorewall/ipsec (line 1)"));
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(fx_zone(f, "vpn")->type, ZONE_IPSEC);
}

static void test_52_other_types_contradict(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nbr:net bport\n");
	fx_run(f, parse_ipsec, "ipsec", "br yes\n");
	assert_true(diag_has(&f->d, "Zone br is declared bport in /etc/shorewall/zones (line 3)"));
	assert_int_equal(f->d.errors, 1);
}

static void test_52_options_twice(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nvpn ipsec mode=tunnel\nnet ipv4\n");
	fx_run(f, parse_ipsec, "ipsec", "vpn yes reqid=5 reqid=6\n");
	assert_true(diag_has(&f->d, "Zone vpn has OPTIONS in both /etc/shorewall/zones (line 2) and the ipsec file "
				    "/etc/shorewall/ipsec (line 1)"));
	assert_int_equal(f->d.errors, 1);
	/* the IN_OPTIONS column was free */
	assert_string_equal(fx_zone(f, "vpn")->in_options->value, "6");
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		T(test_seed_sec), T(test_seed_transport), T(test_all_columns), T(test_mixed_zone), T(test_errors),
		T(test_52_agreement), T(test_52_contradiction_yes), T(test_52_contradiction_no),
		T(test_52_other_types_contradict), T(test_52_options_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
