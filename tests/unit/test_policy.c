/* test_policy.c — the policy matrix: explicit vs wildcard order, intra-zone, all+, lists, exclusions,
 * duplicates, NONE, every missing pair, CONTINUE warnings, and the POLICY/LOG/RATE columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy.h"
#include "test_support.h"

static int run(struct fx *t, const char *text)
{
	return fx_run(t, parse_policy, "policy", text);
}

static int finish(struct fx *t)
{
	return policy_finish(&t->c, &t->last);
}

static struct policy_cell *cell(struct fx *t, const char *a, const char *b)
{
	struct graph *g = t->c.graph;
	struct zone *za = graph_find_zone(g, a), *zb = graph_find_zone(g, b);
	assert_non_null(za);
	assert_non_null(zb);
	return graph_policy(g, za, zb);
}

/* The kind a cell resolves to; the implicit intra-zone ACCEPT has no policy record. */
static int kind(struct fx *t, const char *a, const char *b)
{
	struct policy_cell *p = cell(t, a, b);
	if (!p->policy)
		return p->implicit ? POL_ACCEPT : -1;
	return (int)p->policy->kind;
}

static void test_seed_policy(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	/* The seed's 2.2 policy file. */
	assert_int_equal(run(&t, "loc vpn ACCEPT\n"
			      "vpn loc ACCEPT\n"
			      "loc net ACCEPT\n"
			      "net all DROP info\n"
			      "all all REJECT info\n"), 0);
	assert_int_equal(finish(&t), 0);
	fx_no_errors(&t);
	assert_int_equal(kind(&t, "loc", "vpn"), POL_ACCEPT);
	assert_int_equal(kind(&t, "loc", "net"), POL_ACCEPT);
	assert_int_equal(kind(&t, "net", "fw"), POL_DROP);
	assert_int_equal(kind(&t, "net", "loc"), POL_DROP);
	assert_int_equal(kind(&t, "fw", "net"), POL_REJECT);
	assert_int_equal(kind(&t, "vpn", "net"), POL_REJECT);
	assert_int_equal(kind(&t, "loc", "fw"), POL_REJECT);
	/* intra-zone cells keep the implicit ACCEPT: neither wildcard touched them */
	assert_true(cell(&t, "net", "net")->implicit);
	assert_null(cell(&t, "net", "net")->policy);
	assert_true(cell(&t, "loc", "loc")->implicit);
	/* the record carries the line, the texts, the level */
	struct policy *p = cell(&t, "net", "fw")->policy;
	assert_int_equal(p->loc.line, 4);
	assert_string_equal(p->src_text, "net");
	assert_string_equal(p->dst_text, "all");
	assert_string_equal(p->loglevel, "info");
	assert_true(p->wildcard);
	assert_false(cell(&t, "loc", "vpn")->policy->wildcard);
	assert_int_equal(t.c.graph->policies.n, 5);
	assert_string_equal(t.c.files.v[0]->layout, "2.2");
	fx_fini(&t);
}

static void test_wildcard_first_wins(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "net all DROP\n"
		"all net ACCEPT\n"
		"all all REJECT\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(kind(&t, "net", "loc"), POL_DROP);     /* line 1, not line 3 */
	assert_int_equal(kind(&t, "loc", "net"), POL_ACCEPT);   /* line 2 */
	assert_int_equal(kind(&t, "net", "fw"), POL_DROP);      /* line 1 beat line 2 for nothing: net→net skipped */
	assert_int_equal(cell(&t, "fw", "net")->policy->loc.line, 2);
	assert_int_equal(cell(&t, "dmz", "vpn")->policy->loc.line, 3);
	fx_fini(&t);
}

static void test_explicit_after_wildcard_is_duplicate(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	/* Shorewall: the wildcard made the loc-net chain a policy chain; the explicit line then
	 * duplicates it. */
	run(&t, "all all REJECT\n"
		"loc net ACCEPT\n");
	assert_int_equal(t.d.errors, 1);
	fx_expect(&t, "ERROR: Policy \"loc net ACCEPT\" duplicates earlier policy \"loc net REJECT\" "
		   "/etc/shorewall/policy (line 2)");
	assert_int_equal(kind(&t, "loc", "net"), POL_REJECT);
	fx_fini(&t);
}

static void test_explicit_duplicate(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc vpn ACCEPT\n"
		"loc vpn DROP\n"
		"all all REJECT\n");
	fx_expect(&t, "ERROR: Policy \"loc vpn DROP\" duplicates earlier policy \"loc vpn ACCEPT\" "
		   "/etc/shorewall/policy (line 2)");
	assert_int_equal(t.d.errors, 1);
	assert_int_equal(kind(&t, "loc", "vpn"), POL_ACCEPT);
	assert_int_equal(cell(&t, "loc", "vpn")->policy->loc.line, 1);
	fx_fini(&t);
}

static void test_wildcard_duplicate(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "all all REJECT\n"
		"all all DROP\n"
		"all+ all ACCEPT\n"     /* a different chain (all+-all): not a duplicate */
		"net all DROP\n"
		"net all:none ACCEPT\n"
		"net all ACCEPT\n");
	fx_expect(&t, "Policy \"all all DROP\" duplicates earlier policy \"all all REJECT\" /etc/shorewall/policy (line 2)");
	fx_expect(&t, "Policy \"net all ACCEPT\" duplicates earlier policy \"net all DROP\" /etc/shorewall/policy (line 6)");
	fx_expect(&t, "Undefined zone (all:none) /etc/shorewall/policy (line 5)");
	assert_int_equal(t.d.errors, 3);
	fx_fini(&t);
}

static void test_intrazone(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc loc DROP\n"        /* explicit intra-zone overrides the implicit ACCEPT */
		"all+ net REJECT\n"     /* all+ fills net→net too */
		"all all ACCEPT\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(kind(&t, "loc", "loc"), POL_DROP);
	assert_false(cell(&t, "loc", "loc")->implicit);
	assert_int_equal(kind(&t, "net", "net"), POL_REJECT);
	assert_false(cell(&t, "net", "net")->implicit);
	assert_int_equal(kind(&t, "loc", "net"), POL_REJECT);
	/* plain all left the other intra-zone cells implicit */
	assert_true(cell(&t, "dmz", "dmz")->implicit);
	assert_null(cell(&t, "dmz", "dmz")->policy);
	fx_fini(&t);
}

static void test_intrazone_explicit_after_all_plus(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "all+ all+ DROP\n"
		"loc loc ACCEPT\n");
	fx_expect(&t, "Policy \"loc loc ACCEPT\" duplicates earlier policy \"loc loc DROP\"");
	assert_int_equal(kind(&t, "fw", "fw"), POL_DROP);
	fx_fini(&t);
}

static void test_lists(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc,dmz net,vpn ACCEPT\n"      /* 4 explicit pairs */
		"loc,dmz loc,dmz DROP\n"        /* without '+': only loc→dmz, dmz→loc */
		"net,vpn net,vpn+ REJECT\n"     /* with '+': intra-zone pairs too */
		"all all REJECT\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(kind(&t, "loc", "net"), POL_ACCEPT);
	assert_int_equal(kind(&t, "loc", "vpn"), POL_ACCEPT);
	assert_int_equal(kind(&t, "dmz", "net"), POL_ACCEPT);
	assert_int_equal(kind(&t, "dmz", "vpn"), POL_ACCEPT);
	assert_false(cell(&t, "loc", "net")->policy->wildcard);
	assert_int_equal(kind(&t, "loc", "dmz"), POL_DROP);
	assert_int_equal(kind(&t, "dmz", "loc"), POL_DROP);
	assert_true(cell(&t, "loc", "loc")->implicit);
	assert_int_equal(kind(&t, "loc", "loc"), POL_ACCEPT);
	assert_int_equal(kind(&t, "net", "net"), POL_REJECT);
	assert_false(cell(&t, "net", "net")->implicit);
	assert_int_equal(kind(&t, "vpn", "vpn"), POL_REJECT);
	assert_int_equal(kind(&t, "net", "vpn"), POL_REJECT);
	/* one record per line, shared by its cells */
	assert_ptr_equal(cell(&t, "loc", "net")->policy, cell(&t, "dmz", "vpn")->policy);
	assert_int_equal(t.c.graph->policies.n, 4);
	fx_fini(&t);
}

static void test_list_with_wildcard_and_all_in_list(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc,dmz all DROP\n"
		"all,net fw ACCEPT\n"
		"net loc,all+ ACCEPT\n"
		"all all REJECT\n");
	finish(&t);
	assert_int_equal(kind(&t, "loc", "net"), POL_DROP);
	assert_int_equal(kind(&t, "dmz", "fw"), POL_DROP);
	assert_true(cell(&t, "loc", "loc")->implicit);
	fx_expect(&t, "ERROR: 'all' is not allowed in a source zone list /etc/shorewall/policy (line 2)");
	fx_expect(&t, "ERROR: 'all' is not allowed in a destination zone list /etc/shorewall/policy (line 3)");
	assert_int_equal(t.d.errors, 2);
	fx_fini(&t);
}

static void test_exclusions(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "all!net,vpn loc ACCEPT\n"
		"net all!dmz DROP\n"
		"all!fw all!loc CONTINUE\n"     /* both sides: DEST exclusions honoured (5.2.8 drops them) */
		"all+!dmz dmz REJECT\n"
		"all all REJECT\n");
	finish(&t);
	assert_int_equal(kind(&t, "fw", "loc"), POL_ACCEPT);
	assert_int_equal(kind(&t, "dmz", "loc"), POL_ACCEPT);
	assert_int_equal(kind(&t, "net", "loc"), POL_DROP);     /* not line 1: net excluded there */
	assert_int_equal(kind(&t, "vpn", "loc"), POL_REJECT);   /* loc excluded as DEST on line 3 */
	assert_int_equal(kind(&t, "net", "dmz"), POL_CONTINUE); /* dmz excluded on line 2 */
	assert_int_equal(kind(&t, "net", "fw"), POL_DROP);
	assert_int_equal(kind(&t, "fw", "vpn"), POL_REJECT);    /* fw excluded on line 3 */
	assert_int_equal(kind(&t, "loc", "fw"), POL_CONTINUE);
	assert_int_equal(kind(&t, "vpn", "fw"), POL_CONTINUE);
	assert_int_equal(kind(&t, "dmz", "net"), POL_CONTINUE);
	assert_int_equal(kind(&t, "dmz", "dmz"), POL_ACCEPT);   /* all+!dmz excludes dmz itself */
	assert_true(cell(&t, "dmz", "dmz")->implicit);
	assert_int_equal(kind(&t, "fw", "dmz"), POL_REJECT);
	fx_no_errors(&t);
	fx_fini(&t);
}

static void test_undefined_zones(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc dmz2 ACCEPT\n"
		"bogus net ACCEPT\n"
		"all!mars loc DROP\n"
		"loc,venus,pluto net DROP\n"
		"any all DROP\n"
		"allx all DROP\n");
	fx_expect(&t, "ERROR: Undefined zone (dmz2) /etc/shorewall/policy (line 1)");
	fx_expect(&t, "ERROR: Undefined zone (bogus) /etc/shorewall/policy (line 2)");
	fx_expect(&t, "ERROR: Undefined zone (mars) /etc/shorewall/policy (line 3)");
	fx_expect(&t, "ERROR: Undefined zone (venus) /etc/shorewall/policy (line 4)");
	fx_expect(&t, "ERROR: Undefined zone (pluto) /etc/shorewall/policy (line 4)");
	fx_expect(&t, "ERROR: Undefined zone (any) /etc/shorewall/policy (line 5)");
	fx_expect(&t, "ERROR: Undefined zone (allx) /etc/shorewall/policy (line 6)");
	assert_int_equal(t.d.errors, 7);
	/* nothing was filled by the bad lines */
	assert_int_equal(kind(&t, "loc", "net"), -1);
	fx_fini(&t);
}

static void test_none(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "net loc NONE\n"
		"loc net NONE\n"
		"all loc NONE\n"
		"fw net NONE\n"
		"dmz fw NONE\n"
		"net all+ NONE\n"
		"all all REJECT\n");
	fx_expect(&t, "ERROR: NONE policy not allowed with \"all\" /etc/shorewall/policy (line 3)");
	fx_expect(&t, "ERROR: NONE policy not allowed to/from firewall zone /etc/shorewall/policy (line 4)");
	fx_expect(&t, "ERROR: NONE policy not allowed to/from firewall zone /etc/shorewall/policy (line 5)");
	fx_expect(&t, "ERROR: NONE policy not allowed with \"all\" /etc/shorewall/policy (line 6)");
	assert_int_equal(t.d.errors, 4);
	assert_int_equal(kind(&t, "net", "loc"), POL_NONE);
	assert_int_equal(kind(&t, "loc", "net"), POL_NONE);
	assert_int_equal(kind(&t, "fw", "net"), POL_REJECT);
	fx_fini(&t);
}

static void test_every_missing_pair(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc net ACCEPT\n"
		"net all DROP\n"
		"# no catch-all\n");
	assert_int_equal(t.d.errors, 0);
	/* 5 zones: 20 ordered pairs of distinct zones; loc→net and net→4 others are set: 15 missing */
	assert_int_equal(finish(&t), 15);
	fx_expect(&t, "ERROR: No policy defined from zone fw to zone net /etc/shorewall/policy (EOF)");
	fx_expect(&t, "ERROR: No policy defined from zone dmz to zone vpn /etc/shorewall/policy (EOF)");
	fx_expect(&t, "ERROR: No policy defined from zone loc to zone fw /etc/shorewall/policy (EOF)");
	assert_false(diag_has(&t.d, "from zone loc to zone net"));
	assert_false(diag_has(&t.d, "from zone net to zone"));
	assert_false(diag_has(&t.d, "from zone loc to zone loc"));
	/* reported in zone order: fw→net first */
	char buf[256];
	diag_format(t.d.head, buf, sizeof(buf));
	assert_string_equal(buf, "ERROR: No policy defined from zone fw to zone net /etc/shorewall/policy (EOF)");
	fx_fini(&t);
}

static void test_missing_pairs_capped(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	for (int i = 0; i < 6; i++) {
		char name[8];
		snprintf(name, sizeof(name), "z%d", i);
		fx_add_zone(&t, name, i ? ZONE_IPV4 : ZONE_FIREWALL);
	}
	run(&t, "");
	/* 30 missing pairs: 20 reported one by one, then one summary line */
	assert_int_equal(finish(&t), 21);
	fx_expect(&t, "ERROR: No policy defined for 10 more zone pairs /etc/shorewall/policy (EOF)");
	fx_fini(&t);
}

static void test_continue_warning(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct zone *sub = fx_add_zone(&t, "sub", ZONE_IPSEC);
	vec_push(t.c.arena, &sub->parent_names, "net");
	run(&t, "loc net CONTINUE\n"
		"sub net CONTINUE\n"
		"all all REJECT\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(t.d.warnings, 1);
	fx_expect(&t, "WARNING: CONTINUE policy between two un-nested zones (loc, net) /etc/shorewall/policy (line 1)");
	fx_fini(&t);
}

static void test_policy_column(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc net NFQUEUE(3:5,bypass)\n"
		"net loc NFQUEUE(bypass)\n"
		"loc dmz DROP:Broadcast(DROP),Multicast(DROP)\n"
		"dmz loc REJECT:none\n"
		"net dmz DROP:+dropInvalid:info\n"
		"dmz net QUEUE\n"
		"vpn net CONTINUE - s:10/sec:20\n"
		"net vpn DROP info 10/min:5 3:24\n"
		"all all REJECT info\n");
	finish(&t);
	fx_no_errors(&t);
	struct policy *p = cell(&t, "loc", "net")->policy;
	assert_int_equal(p->kind, POL_NFQUEUE);
	assert_int_equal(p->queue_num, 3);
	assert_int_equal(p->queue_max, 5);
	assert_true(p->queue_bypass);
	assert_null(p->default_action);
	p = cell(&t, "net", "loc")->policy;
	assert_int_equal(p->queue_num, 0);
	assert_true(p->queue_bypass);
	assert_string_equal(cell(&t, "loc", "dmz")->policy->default_action, "Broadcast(DROP),Multicast(DROP)");
	assert_string_equal(cell(&t, "dmz", "loc")->policy->default_action, "none");
	assert_string_equal(cell(&t, "net", "dmz")->policy->default_action, "+dropInvalid:info");
	assert_int_equal(kind(&t, "dmz", "net"), POL_QUEUE);
	p = cell(&t, "vpn", "net")->policy;
	assert_null(p->loglevel);
	assert_non_null(p->rate);
	assert_int_equal(p->rate->per, 's');
	assert_int_equal(p->rate->burst, 20);
	p = cell(&t, "net", "vpn")->policy;
	assert_string_equal(p->loglevel, "info");
	assert_int_equal(p->rate->unit, RATE_MIN);
	assert_string_equal(p->connlimit, "3:24");
	assert_string_equal(t.c.files.v[0]->layout, "5.2");
	fx_fini(&t);
}

static void test_bad_columns(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	run(&t, "loc net ACCEPTED\n"
		"net loc DROP infox\n"
		"loc dmz DROP - 10/minute:5:9\n"
		"dmz loc DROP:Bogus\n"
		"net dmz NFQUEUE(70000)\n"
		"dmz net DROP - - !5\n"
		"vpn net BLACKLIST\n"
		"net vpn DROP - - - extra\n"
		"- net DROP\n"
		"vpn loc\n"
		"loc vpn QUEUE(1)\n"
		"all all REJECT\n");
	fx_expect(&t, "ERROR: Invalid policy (ACCEPTED) /etc/shorewall/policy (line 1)");
	fx_expect(&t, "ERROR: Invalid log level (infox) /etc/shorewall/policy (line 2)");
	fx_expect(&t, "ERROR: Invalid rate (10/minute:5:9) /etc/shorewall/policy (line 3)");
	fx_expect(&t, "ERROR: Unknown Policy Action (Bogus) /etc/shorewall/policy (line 4)");
	fx_expect(&t, "ERROR: Invalid NFQUEUE queue number (70000) /etc/shorewall/policy (line 5)");
	fx_expect(&t, "ERROR: Invalid CONNLIMIT (!5) /etc/shorewall/policy (line 6)");
	fx_expect(&t, "ERROR: BLACKLIST policies require ipset-based dynamic blacklisting /etc/shorewall/policy (line 7)");
	fx_expect(&t, "ERROR: Invalid policy file entry (too many columns) /etc/shorewall/policy (line 8)");
	fx_expect(&t, "ERROR: SOURCE must be specified /etc/shorewall/policy (line 9)");
	fx_expect(&t, "ERROR: POLICY must be specified /etc/shorewall/policy (line 10)");
	fx_expect(&t, "ERROR: Invalid policy (QUEUE(1)) /etc/shorewall/policy (line 11)");
	assert_int_equal(t.d.errors, 11);
	/* a line with a bad level still fills its cell: no cascade of missing pairs at the end */
	assert_int_equal(kind(&t, "net", "loc"), POL_DROP);
	fx_fini(&t);
}

static void test_special_zone_types(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	fx_add_zone(&t, "br", ZONE_BPORT);
	fx_add_zone(&t, "lo", ZONE_LOCAL);
	run(&t, "fw br ACCEPT\n"        /* overrides the implicit fw→bport NONE */
		"lo net DROP\n"         /* local zones have a fixed NONE to off-firewall zones */
		"all all REJECT\n");
	finish(&t);
	fx_expect(&t, "Policy \"lo net DROP\" duplicates earlier policy \"lo net NONE\"");
	assert_int_equal(t.d.errors, 1);
	assert_int_equal(kind(&t, "fw", "br"), POL_ACCEPT);
	assert_int_equal(kind(&t, "lo", "loc"), POL_NONE);
	assert_int_equal(kind(&t, "loc", "lo"), POL_NONE);
	assert_int_equal(kind(&t, "lo", "fw"), POL_REJECT);
	fx_fini(&t);
}

static void test_implicit_continue(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	t.c.conf->implicit_continue = true;
	struct zone *sub = fx_add_zone(&t, "sub", ZONE_IPSEC);
	vec_push(t.c.arena, &sub->parent_names, "net");
	run(&t, "sub loc ACCEPT\n"      /* overrides the implicit CONTINUE silently */
		"all all REJECT\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(kind(&t, "sub", "loc"), POL_ACCEPT);
	assert_int_equal(kind(&t, "sub", "net"), POL_CONTINUE);  /* the wildcard did not override it */
	assert_true(cell(&t, "sub", "net")->implicit);
	assert_int_equal(kind(&t, "fw", "sub"), POL_CONTINUE);
	assert_int_equal(t.d.warnings, 0);
	fx_fini(&t);
}

static void test_2x_and_case(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	/* 2.2 LIMIT:BURST in the fifth column; ALL in capitals */
	run(&t, "loc net ACCEPT - 10/sec:40\n"
		"ALL ALL REJECT info\n");
	finish(&t);
	fx_no_errors(&t);
	assert_int_equal(cell(&t, "loc", "net")->policy->rate->burst, 40);
	assert_int_equal(kind(&t, "dmz", "net"), POL_REJECT);
	assert_string_equal(t.c.files.v[0]->layout, "2.2");
	fx_fini(&t);
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = policy_kind_table(&n);
	assert_int_equal(n, 8);
	assert_true(kw_sorted(k, n, false));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(policy_kind_name((enum policy_kind)k[i].value), k[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_policy),
		cmocka_unit_test(test_wildcard_first_wins),
		cmocka_unit_test(test_explicit_after_wildcard_is_duplicate),
		cmocka_unit_test(test_explicit_duplicate),
		cmocka_unit_test(test_wildcard_duplicate),
		cmocka_unit_test(test_intrazone),
		cmocka_unit_test(test_intrazone_explicit_after_all_plus),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_list_with_wildcard_and_all_in_list),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_undefined_zones),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_every_missing_pair),
		cmocka_unit_test(test_missing_pairs_capped),
		cmocka_unit_test(test_continue_warning),
		cmocka_unit_test(test_policy_column),
		cmocka_unit_test(test_bad_columns),
		cmocka_unit_test(test_special_zone_types),
		cmocka_unit_test(test_implicit_continue),
		cmocka_unit_test(test_2x_and_case),
		cmocka_unit_test(test_table_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
