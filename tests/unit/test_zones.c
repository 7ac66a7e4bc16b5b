/* test_zones.c — the zones parser: both layouts and how it tells them apart, names, types, options, every error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "membership.h"
#include "test_support.h"

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = zones_type_table(&n);
	assert_int_equal(n, 11);
	assert_true(kw_sorted(t, n, false));
	t = zones_option_table(&n);
	assert_int_equal(n, 4);
	assert_true(kw_sorted(t, n, false));
	t = zones_reserved_table(&n);
	assert_int_equal(n, 5);
	assert_true(kw_sorted(t, n, false));
}

/* ---- 5.2 ------------------------------------------------------------------------------------------ */

static void test_52_basic(void **state)
{
	struct fx *f = *state;
	const char *layout = fx_read(f, parse_zones, "zones", "#ZONE TYPE\nfw firewall\nnet ipv4\nloc ipv4\n");
	assert_string_equal(layout, "5.2");
	assert_int_equal(f->d.errors, 0);
	struct graph *g = f->c.graph;
	assert_int_equal(g->zones.n, 3);
	assert_ptr_equal(g->fw, g->zones.v[0]);
	assert_string_equal(g->zones.v[0]->name, "fw");
	assert_int_equal(g->zones.v[0]->type, ZONE_FIREWALL);
	assert_false(g->zones.v[0]->implicit);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(g->zones.v[i]->index, i);
		assert_true(g->zones.v[i]->type_declared);
		assert_int_equal(g->zones.v[i]->loc.line, i + 2);
		assert_string_equal(g->zones.v[i]->loc.file, "/etc/shorewall/zones");
	}
	assert_int_equal(fx_zone(f, "net")->type, ZONE_IPV4);
	assert_null(fx_zone(f, "net")->display);
}

static void test_52_firewall_anywhere(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net ipv4\nfw firewall\n");
	assert_int_equal(f->d.errors, 0);
	assert_ptr_equal(f->c.graph->fw, fx_zone(f, "fw"));
	assert_int_equal(fx_zone(f, "fw")->index, 1);
	assert_string_equal(graph_fw_name(&f->c), "fw");
}

static void test_52_every_type(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones",
	       "me firewall\na ip\nb ipv4\nc -\nd ipsec\ne ipsec4\nf:a bport\ng:a bport4\nh vserver\n"
	       "i loopback\nj local\nk IPv4\nl IPSEC\nm\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	static const struct { const char *z; enum zone_type t; } want[] = {
		{ "me", ZONE_FIREWALL }, { "a", ZONE_IPV4 }, { "b", ZONE_IPV4 }, { "c", ZONE_IPV4 },
		{ "d", ZONE_IPSEC }, { "e", ZONE_IPSEC }, { "f", ZONE_BPORT }, { "g", ZONE_BPORT },
		{ "h", ZONE_VSERVER }, { "i", ZONE_LOOPBACK }, { "j", ZONE_LOCAL }, { "k", ZONE_IPV4 },
		{ "l", ZONE_IPSEC }, { "m", ZONE_IPV4 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_non_null(fx_zone(f, want[i].z));
		assert_int_equal(fx_zone(f, want[i].z)->type, want[i].t);
	}
	assert_string_equal(graph_fw_name(&f->c), "me");
}

static void test_52_bad_type(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nvpn VPN\nx Firewall\ny Local\n");
	assert_true(diag_has(&f->d, "ERROR: Invalid zone type (VPN) /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&f->d, "Invalid zone type (Firewall) /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Invalid zone type (Local) /etc/shorewall/zones (line 5)"));
	assert_int_equal(f->d.errors, 3);
	/* still made, so later files can name them without a cascade of "Unknown zone" */
	assert_non_null(fx_zone(f, "vpn"));
	assert_int_equal(fx_zone(f, "vpn")->type, ZONE_IPV4);
}

static void test_52_firewall_count(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "net ipv4\nloc ipv4\n");
	assert_true(diag_has(&f->d, "ERROR: No firewall zone defined /etc/shorewall/zones (EOF)"));
	assert_int_equal(f->d.errors, 1);
	assert_null(f->c.graph->fw);
}

static void test_52_two_firewalls(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nfw2 firewall\n");
	assert_true(diag_has(&f->d, "Only one firewall zone may be defined (fw2) /etc/shorewall/zones (line 3)"));
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(f->c.graph->fw->name, "fw");
	assert_null(fx_zone(f, "fw2"));
	assert_int_equal(f->c.graph->zones.n, 2);
}

static void test_52_parents(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4\nloc ipv4\nvpn:net,loc ipsec\nsub:vpn ipsec\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *vpn = fx_zone(f, "vpn");
	assert_non_null(vpn);
	assert_int_equal(vpn->parent_names.n, 2);
	assert_string_equal(vpn->parent_names.v[0], "net");
	assert_string_equal(vpn->parent_names.v[1], "loc");
	/* resolution is graph_finish's job */
	assert_int_equal(vpn->parents.n, 0);
	assert_int_equal(fx_zone(f, "sub")->parent_names.n, 1);
	assert_int_equal(fx_zone(f, "net")->parent_names.n, 0);
	/* unknown parents are not judged here either */
	fx_run(f, parse_zones, "zones", "x:nosuch ipv4\n");
	assert_int_equal(f->d.errors, 0);
}

static void test_52_parent_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw:net firewall\nnet ipv4\na: ipv4\nb:net,,loc ipv4\nv:net vserver\n"
				     "p bport\n");
	assert_true(diag_has(&f->d, "Firewall zone may not be nested /etc/shorewall/zones (line 1)"));
	assert_true(diag_has(&f->d, "Invalid Parent List () /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&f->d, "Invalid Parent List (net,,loc) /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Vserver zones may not be nested /etc/shorewall/zones (line 5)"));
	assert_true(diag_has(&f->d, "WARNING: Bridge Port zones should have a parent zone /etc/shorewall/zones (line 6)"));
	assert_int_equal(f->d.errors, 4);
	assert_int_equal(f->d.warnings, 1);
}

static void test_names(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones",
	       "fw firewall\n1net ipv4\nall ipv4\nany ipv4\nnone ipv4\nSOURCE ipv4\nDEST ipv4\n"
	       "all2net ipv4\nnet2all ipv4\nnet-1 ipv4\nabcdefghijk ipv4\nabcdefghij ipv4\nnet ipv4\nnet ipv4\n"
	       "- ipv4\nNet_2 ipv4\n");
	assert_true(diag_has(&f->d, "Invalid zone name (1net) /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "Invalid zone name (all) /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&f->d, "Invalid zone name (any) /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Invalid zone name (none) /etc/shorewall/zones (line 5)"));
	assert_true(diag_has(&f->d, "Invalid zone name (SOURCE) /etc/shorewall/zones (line 6)"));
	assert_true(diag_has(&f->d, "Invalid zone name (DEST) /etc/shorewall/zones (line 7)"));
	assert_true(diag_has(&f->d, "Invalid zone name (all2net) /etc/shorewall/zones (line 8)"));
	assert_true(diag_has(&f->d, "Invalid zone name (net2all) /etc/shorewall/zones (line 9)"));
	assert_true(diag_has(&f->d, "Invalid zone name (net-1) /etc/shorewall/zones (line 10)"));
	assert_true(diag_has(&f->d, "Zone name (abcdefghijk) too long /etc/shorewall/zones (line 11)"));
	assert_true(diag_has(&f->d, "Duplicate zone name (net) /etc/shorewall/zones (line 14)"));
	assert_true(diag_has(&f->d, "ZONE must be specified /etc/shorewall/zones (line 15)"));
	assert_int_equal(f->d.errors, 12);
	/* ten characters is the default limit; case and underscores are fine */
	assert_non_null(fx_zone(f, "abcdefghij"));
	assert_non_null(fx_zone(f, "Net_2"));
	assert_null(fx_zone(f, "all"));
	/* a name only too long is still a zone (other files name it) */
	assert_non_null(fx_zone(f, "abcdefghijk"));
}

static void test_max_name_length_setting(void **state)
{
	struct fx *f = *state;
	f->c.conf->maxzonenamelength = 5;
	fx_run(f, parse_zones, "zones", "fw firewall\nvpnzone ipsec\nvpn12 ipv4\n");
	assert_true(diag_has(&f->d, "Zone name (vpnzone) too long /etc/shorewall/zones (line 2)"));
	assert_int_equal(f->d.errors, 1);
}

static void test_52_options(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones",
	       "fw firewall\nvpn ipsec mode=tunnel,mss=1400,nomark,dynamic_shared reqid=5,mss=1300 spi=0x10,mss=0x4b0\n"
	       "net ipv4 mss=1452\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *z = fx_zone(f, "vpn");
	assert_int_equal(z->mss, 1400);
	assert_int_equal(z->in_mss, 1300);
	assert_int_equal(z->out_mss, 1200);
	assert_true(z->nomark);
	assert_true(z->dynamic_shared);
	assert_int_equal(z->options->key, IPSEC_MODE);
	assert_null(z->options->next);
	assert_int_equal(z->in_options->key, IPSEC_REQID);
	assert_int_equal(z->out_options->key, IPSEC_SPI);
	assert_string_equal(z->out_options->value, "0x10");
	assert_int_equal(fx_zone(f, "net")->mss, 1452);
	assert_null(fx_zone(f, "net")->options);
}

/* The reference's gateway variant: `vpn ipsec mode=tunnel,mss=1400`. */
static void test_52_seed_variant(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nvpn ipsec mode=tunnel,mss=1400\nnet ipv4\nloc ipv4\n");
	assert_int_equal(f->d.errors, 0);
	struct zone *z = fx_zone(f, "vpn");
	assert_int_equal(z->type, ZONE_IPSEC);
	assert_int_equal(z->mss, 1400);
	assert_string_equal(z->options->value, "tunnel");
	/* transport: `loc ipsec mode=transport` */
	fx_run(f, parse_zones, "zones", "tm ipsec mode=transport\n");
	assert_string_equal(fx_zone(f, "tm")->options->value, "transport");
}

static void test_52_option_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones",
	       "fw firewall nomark\n"                    /* 1 */
	       "net ipv4 mode=tunnel\n"                  /* 2 */
	       "loc ipv4 - nomark\n"                     /* 3 */
	       "dmz ipv4 - - dynamic_shared\n"           /* 4 */
	       "a ipsec foo\n"                           /* 5 */
	       "b ipsec nomark=1\n"                      /* 6 */
	       "c ipsec mss\n"                           /* 7 */
	       "d ipsec mss=abc\n"                       /* 8 */
	       "e ipsec mss!=1400\n"                     /* 9 */
	       "g ipsec mode=tunel\n"                    /* 10 */
	       "h ipv4 blacklist\n"                      /* 11: warning */
	       "i loopback mss=1400\n"                   /* 12 */
	       "j ipv4 - reqid=4\n"                      /* 13 */
	       "k ipsec mss=0\n"                         /* 14 */
	       "l ipsec mss=70000\n");                   /* 15 */
	assert_true(diag_has(&f->d, "Option 'nomark' not permitted with this zone type (firewall) /etc/shorewall/zones (line 1)"));
	assert_true(diag_has(&f->d, "The \"mode\" option may only be specified for ipsec zones /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "Option 'nomark' is only permitted in the OPTIONS column /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&f->d, "Option 'dynamic_shared' is only permitted in the OPTIONS column /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Invalid Option (foo) /etc/shorewall/zones (line 5)"));
	assert_true(diag_has(&f->d, "Option \"nomark\" does not take a value /etc/shorewall/zones (line 6)"));
	assert_true(diag_has(&f->d, "Missing value for option \"mss\" /etc/shorewall/zones (line 7)"));
	assert_true(diag_has(&f->d, "Invalid value (abc) for option \"mss\" /etc/shorewall/zones (line 8)"));
	assert_true(diag_has(&f->d, "Invalid Option (mss!=1400) /etc/shorewall/zones (line 9)"));
	assert_true(diag_has(&f->d, "Invalid value (tunel) for option \"mode\" /etc/shorewall/zones (line 10)"));
	assert_true(diag_has(&f->d, "WARNING: The 'blacklist' option is no longer supported /etc/shorewall/zones (line 11)"));
	assert_true(diag_has(&f->d, "A loopback zone may not have OPTIONS (mss=1400) /etc/shorewall/zones (line 12)"));
	assert_true(diag_has(&f->d, "The \"reqid\" option may only be specified for ipsec zones /etc/shorewall/zones (line 13)"));
	assert_true(diag_has(&f->d, "Invalid value (0) for option \"mss\" /etc/shorewall/zones (line 14)"));
	assert_true(diag_has(&f->d, "Invalid value (70000) for option \"mss\" /etc/shorewall/zones (line 15)"));
	assert_int_equal(f->d.errors, 14);
	assert_int_equal(f->d.warnings, 1);
	/* rejected policy-match options are not kept on the plain zone */
	assert_null(fx_zone(f, "net")->options);
	assert_null(fx_zone(f, "j")->in_options);
}

static void test_52_too_many_columns(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv4 - - - extra\n");
	assert_true(diag_has(&f->d, "Invalid zones file entry (too many columns) /etc/shorewall/zones (line 2)"));
	assert_int_equal(f->d.errors, 1);
	/* the zone is still made from the columns it has */
	assert_non_null(fx_zone(f, "net"));
}

/* ---- 2.2 ------------------------------------------------------------------------------------------ */

static void test_22_seed_gateway(void **state)
{
	struct fx *f = *state;
	const char *layout = fx_read(f, parse_zones, "zones",
				    "#ZONE DISPLAY COMMENTS\nvpn VPN Virtual Private Network\nnet Internet The big bad internet\n"
				    "#LAST LINE -- ADD YOUR ENTRIES ABOVE THIS LINE -- DO NOT REMOVE\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	struct graph *g = f->c.graph;
	assert_int_equal(g->zones.n, 3);
	struct zone *fw = g->zones.v[0];
	assert_ptr_equal(g->fw, fw);
	assert_string_equal(fw->name, "fw");
	assert_int_equal(fw->type, ZONE_FIREWALL);
	assert_true(fw->implicit);
	assert_int_equal(fw->index, 0);
	struct zone *vpn = g->zones.v[1];
	assert_string_equal(vpn->name, "vpn");
	assert_int_equal(vpn->index, 1);
	assert_int_equal(vpn->type, ZONE_IPV4);
	assert_false(vpn->type_declared);
	assert_string_equal(vpn->display, "VPN");
	assert_string_equal(vpn->comment, "Virtual Private Network");
	assert_int_equal(vpn->loc.line, 2);
	assert_string_equal(g->zones.v[2]->comment, "The big bad internet");
	assert_int_equal(g->zones.v[2]->index, 2);
}

/* `loc local …`: column 2 is a 5.2 TYPE word, but the line is free text. */
static void test_22_seed_road_warrior(void **state)
{
	struct fx *f = *state;
	const char *layout = fx_read(f, parse_zones, "zones",
				    "vpn VPN Road Warriors\nnet Internet The big bad internet\n"
				    "loc local Local Network (192.168.1.0/24)\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	struct zone *loc = fx_zone(f, "loc");
	assert_int_equal(loc->type, ZONE_IPV4);
	assert_string_equal(loc->display, "local");
	assert_string_equal(loc->comment, "Local Network (192.168.1.0/24)");
	assert_int_equal(f->c.graph->zones.n, 4);
}

static void test_22_seed_transport_and_fw_setting(void **state)
{
	struct fx *f = *state;
	f->c.conf->fw = "gw";
	const char *layout = fx_read(f, parse_zones, "zones", "net Net Internet\nloc Local Local Network\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(f->c.graph->fw->name, "gw");
	assert_string_equal(graph_fw_name(&f->c), "gw");
	assert_ptr_equal(fx_zone(f, "gw"), f->c.graph->zones.v[0]);
}

static void test_22_single_seed_line(void **state)
{
	struct fx *f = *state;
	assert_string_equal(fx_read(f, parse_zones, "zones", "vpn VPN Virtual Private Network\n"), "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(fx_zone(f, "vpn")->display, "VPN");
}

static void test_22_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw Firewall The firewall itself\nall All Everything\nvpn VPN One\nvpn VPN Two\n"
				     "toolongname X Y\n");
	/* the 2.2 firewall zone is implicit, so declaring it is a duplicate */
	assert_true(diag_has(&f->d, "Duplicate zone name (fw) /etc/shorewall/zones (line 1)"));
	assert_true(diag_has(&f->d, "Invalid zone name (all) /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "Duplicate zone name (vpn) /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Zone name (toolongname) too long /etc/shorewall/zones (line 5)"));
	assert_int_equal(f->d.errors, 4);
	assert_string_equal(fx_zone(f, "vpn")->comment, "One");
}

static void test_22_display_only(void **state)
{
	struct fx *f = *state;
	assert_string_equal(fx_read(f, parse_zones, "zones", "net Internet\ndmz - Demilitarized zone\nx\n"), "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(fx_zone(f, "net")->display, "Internet");
	assert_null(fx_zone(f, "net")->comment);
	assert_null(fx_zone(f, "dmz")->display);
	assert_string_equal(fx_zone(f, "dmz")->comment, "Demilitarized zone");
	assert_null(fx_zone(f, "x")->display);
}

/* ---- detection ------------------------------------------------------------------------------------ */

static void test_detect_empty(void **state)
{
	struct fx *f = *state;
	assert_string_equal(fx_read(f, parse_zones, "zones", "# nothing\n"), "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->c.graph->zones.n, 1);
	assert_true(f->c.graph->fw->implicit);
}

static void test_detect_decisive(void **state)
{
	struct fx *f = *state;
	/* a parent list is 5.2 even when every other line looks like 2.2 */
	assert_string_equal(fx_read(f, parse_zones, "zones", "a Alpha One\nb Beta Two\nc:a ipv4\n"), "5.2");
	assert_true(diag_has(&f->d, "Invalid zone type (Alpha)"));
	assert_true(diag_has(&f->d, "No firewall zone defined"));
}

static void test_detect_votes(void **state)
{
	struct fx *f = *state;
	/* no firewall line: the majority decides, and a tie reads as 5.2 (so it complains) */
	assert_string_equal(fx_read(f, parse_zones, "zones", "net ipv4\nloc Local LAN\n"), "5.2");
	assert_true(diag_has(&f->d, "Invalid zone type (Local) /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "Invalid Option (LAN) /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "No firewall zone defined"));
	assert_int_equal(f->d.errors, 3);
}

static void test_detect_votes_22(void **state)
{
	struct fx *f = *state;
	/* option-looking words that are not options do not make a 5.2 line */
	assert_string_equal(fx_read(f, parse_zones, "zones", "net ipv4\nloc local lan\ndmz DMZ\n"), "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(fx_zone(f, "net")->display, "ipv4");
}

static void test_detect_option_typo_still_52(void **state)
{
	struct fx *f = *state;
	/* a bad value (not a bad key) still shows the 5.2 layout */
	assert_string_equal(fx_read(f, parse_zones, "zones", "vpn ipsec mode=tunel\nnet ipv4\n"), "5.2");
	assert_true(diag_has(&f->d, "Invalid value (tunel) for option \"mode\""));
	assert_true(diag_has(&f->d, "No firewall zone defined"));
}

static void test_all_errors_one_run(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_zones, "zones", "fw firewall\nnet ipv5\nnet ipv4\n1x ipv4\nv ipsec mode=x\n");
	assert_true(diag_has(&f->d, "Invalid zone type (ipv5) /etc/shorewall/zones (line 2)"));
	assert_true(diag_has(&f->d, "Duplicate zone name (net) /etc/shorewall/zones (line 3)"));
	assert_true(diag_has(&f->d, "Invalid zone name (1x) /etc/shorewall/zones (line 4)"));
	assert_true(diag_has(&f->d, "Invalid value (x) for option \"mode\" /etc/shorewall/zones (line 5)"));
	assert_int_equal(f->d.errors, 4);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		T(test_52_basic), T(test_52_firewall_anywhere), T(test_52_every_type), T(test_52_bad_type),
		T(test_52_firewall_count), T(test_52_two_firewalls), T(test_52_parents), T(test_52_parent_errors),
		T(test_names), T(test_max_name_length_setting), T(test_52_options), T(test_52_seed_variant),
		T(test_52_option_errors), T(test_52_too_many_columns),
		T(test_22_seed_gateway), T(test_22_seed_road_warrior), T(test_22_seed_transport_and_fw_setting),
		T(test_22_single_seed_line), T(test_22_errors), T(test_22_display_only),
		T(test_detect_empty), T(test_detect_decisive), T(test_detect_votes), T(test_detect_votes_22),
		T(test_detect_option_typo_still_52), T(test_all_errors_one_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
