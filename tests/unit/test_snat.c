/* test_snat.c — the snat file (5.2): actions, DEST, ?FORMAT 2, IPSEC column, $FW, masq+snat conflict. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "snat.h"
#include "test_support.h"

static int run(struct fx *t, const char *text)
{
	return fx_run(t, parse_snat, "snat", text);
}

/* One line that must be accepted, adding `records` records; returns the first. */
static struct snat *good(struct fx *t, const char *line, size_t records)
{
	size_t i = fx_accept(t, parse_snat, "snat", &t->c.graph->snats.n, line, records);
	return t->c.graph->snats.v[i];
}

/* One line that must be refused with exactly this one error (at line 1). */
static void bad(struct fx *t, const char *line, const char *msg)
{
	fx_refuse(t, parse_snat, "snat", &t->c.graph->snats.n, line, msg);
}

static void test_actions(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "MASQUERADE 192.168.1.0/24 eth0", 1);
	assert_int_equal(s->action, SNAT_MASQUERADE);
	assert_string_equal(s->iface_name, "eth0");
	assert_non_null(s->iface);
	assert_false(s->from_masq);
	assert_false(s->prenat);
	assert_false(s->dest_fw);
	assert_string_equal(t.c.files.v[0]->layout, "5.2");

	s = good(&t, "MASQUERADE(1024-65535) 192.168.1.0/24 eth0 tcp", 1);
	assert_string_equal(s->to, "1024-65535");
	assert_false(s->random);
	s = good(&t, "MASQUERADE(1024-65535:random) 192.168.1.0/24 eth0 udp", 1);
	assert_string_equal(s->to, "1024-65535");
	assert_true(s->random);
	s = good(&t, "MASQUERADE(random) 192.168.1.0/24 eth0", 1);
	assert_null(s->to);
	assert_true(s->random);
	s = good(&t, "MASQUERADE:random 192.168.1.0/24 eth0", 1);
	assert_true(s->random);
	s = good(&t, "MASQUERADE+ 192.168.1.0/24 eth0", 1);
	assert_true(s->prenat);

	s = good(&t, "SNAT(206.162.148.9) 192.168.2.0/24 eth0", 1);
	assert_int_equal(s->action, SNAT_SNAT);
	assert_string_equal(s->to, "206.162.148.9");
	s = good(&t, "SNAT(206.162.148.9-206.162.148.12:persistent:random) 192.168.2.0/24 eth0", 1);
	assert_true(s->persistent);
	assert_true(s->random);
	assert_string_equal(s->to, "206.162.148.9-206.162.148.12");
	s = good(&t, "SNAT+(192.0.2.4:5000-6000) - eth0 tcp", 1);
	assert_true(s->prenat);
	s = good(&t, "SNAT(:4000-5000) - eth0 udp", 1);
	assert_string_equal(s->to, ":4000-5000");
	s = good(&t, "SNAT(detect) - eth0", 1);
	assert_string_equal(s->to, "detect");
	s = good(&t, "SNAT(206.162.148.9):info 192.168.2.0/24 eth0", 1);
	assert_string_equal(s->loglevel, "info");

	assert_int_equal(good(&t, "CONTINUE 10.0.0.0/8 eth0", 1)->action, SNAT_CONTINUE);
	s = good(&t, "CONTINUE+ 10.0.0.0/8 eth0", 1);
	assert_int_equal(s->action, SNAT_CONTINUE);
	assert_true(s->prenat);
	assert_int_equal(good(&t, "ACCEPT 10.0.0.0/8 eth0", 1)->action, SNAT_ACCEPT);
	assert_int_equal(good(&t, "NONAT 10.0.0.0/8 eth0", 1)->action, SNAT_NONAT);
	s = good(&t, "LOG:info 10.0.0.0/8 eth0", 1);
	assert_int_equal(s->action, SNAT_LOG);
	assert_string_equal(s->loglevel, "info");
	s = good(&t, "NFLOG(1,0,1) 10.0.0.0/8 eth0", 1);
	assert_int_equal(s->action, SNAT_LOG);
	assert_string_equal(s->loglevel, "NFLOG(1,0,1)");
	fx_fini(&t);
}

static void test_dest_and_source(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "MASQUERADE - eth0:192.0.2.0/24", 1);
	assert_non_null(s->dest.items);
	assert_null(s->source.items);
	s = good(&t, "MASQUERADE eth1 eth0,eth2", 2);
	assert_string_equal(s->source_iface, "eth1");
	assert_string_equal(t.c.graph->snats.v[t.c.graph->snats.n - 1]->iface_name, "eth2");
	s = good(&t, "MASQUERADE 10.0.0.0/8 ppp3", 1);
	assert_string_equal(s->iface->name, "ppp+");
	assert_string_equal(s->iface_name, "ppp3");
	/* $FW (already expanded by the reader): nat INPUT */
	s = good(&t, "SNAT(192.0.2.1) 10.0.0.0/8 fw", 1);
	assert_true(s->dest_fw);
	assert_null(s->iface);
	assert_null(s->iface_name);
	fx_fini(&t);
}

static void test_format2_and_columns(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "?FORMAT 2\nMASQUERADE 10.0.0.0/8 eth0 tcp 80 1024: yes 0x1 root sw 203.0.113.9 0.5", 1);
	assert_string_equal(s->ports, "80");
	assert_string_equal(s->sports, "1024:");
	assert_int_equal(s->ipsec, SNAT_IPSEC_YES);
	assert_string_equal(s->mark, "0x1");
	assert_string_equal(s->user, "root");
	assert_string_equal(s->switch_name, "sw");
	assert_string_equal(s->origdest, "203.0.113.9");
	assert_string_equal(s->probability, "0.5");
	assert_string_equal(t.c.files.v[0]->layout, "5.2 (?FORMAT 2)");
	/* FORMAT 1: the sixth column is IPSEC */
	s = good(&t, "MASQUERADE 10.0.0.0/8 eth0 tcp 80 no 0x1", 1);
	assert_null(s->sports);
	assert_int_equal(s->ipsec, SNAT_IPSEC_NO);
	assert_string_equal(s->mark, "0x1");
	s = good(&t, "SNAT(206.162.148.9) 192.168.2.0/24 eth0 - - mode=tunnel,reqid=5", 1);
	assert_int_equal(s->ipsec, SNAT_IPSEC_OPTS);
	assert_int_equal(s->ipsec_opts->key, IPSEC_MODE);
	bad(&t, "MASQUERADE 10.0.0.0/8 eth0 tcp 80 - - - - - - extra", "Invalid snat file entry (too many columns)");
	run(&t, "?FORMAT 2\nMASQUERADE 10.0.0.0/8 eth0 tcp 80 - - - - - - - extra\n");
	fx_expect(&t, "Invalid snat file entry (too many columns) /etc/shorewall/snat (line 2)");
	fx_fini(&t);
}

static void test_errors(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	bad(&t, "MASK 10.0.0.0/8 eth0", "Invalid ACTION (MASK)");
	bad(&t, "SNAT 10.0.0.0/8 eth0", "Invalid ACTION (SNAT)");
	bad(&t, "SNAT() 10.0.0.0/8 eth0", "SNAT rules must specify a new source address and/or new source ports");
	bad(&t, "NFLOG(1):info 10.0.0.0/8 eth0", "Invalid ACTION (NFLOG(1):info)");
	bad(&t, "CONTINUE(1) 10.0.0.0/8 eth0", "Invalid ACTION (CONTINUE(1))");
	bad(&t, "SNAT(:random) 10.0.0.0/8 eth0", "SNAT rules must specify a new source address and/or new source ports");
	bad(&t, "SNAT(1.2.3.4,5.6.7.8) 10.0.0.0/8 eth0", "Only one SNAT address may be specified");
	bad(&t, "SNAT(1.2.3.999) 10.0.0.0/8 eth0", "Invalid IP address (1.2.3.999)");
	bad(&t, "SNAT(1.2.3.4:80) 10.0.0.0/8 eth0", "Using a port range (80) requires PROTO TCP, UDP, SCTP or DCCP");
	bad(&t, "MASQUERADE(1024-65535) 10.0.0.0/8 eth0 icmp", "Using a port range (1024-65535) requires PROTO TCP, UDP, SCTP or DCCP");
	bad(&t, "MASQUERADE(99999) 10.0.0.0/8 eth0 tcp", "Invalid/Unknown tcp port/service (99999)");
	bad(&t, "LOG 10.0.0.0/8 eth0", "LOG requires a log level");
	bad(&t, "MASQUERADE:bogus 10.0.0.0/8 eth0", "Invalid log level (bogus)");
	bad(&t, "- 10.0.0.0/8 eth0", "ACTION must be specified");
	bad(&t, "MASQUERADE 10.0.0.0/8", "DEST must be specified");
	bad(&t, "MASQUERADE 10.0.0.0/8 eth9", "Unknown interface (eth9)");
	bad(&t, "MASQUERADE 10.0.0.0/88 eth0", "Invalid IP address (10.0.0.0/88)");
	bad(&t, "MASQUERADE 10.0.0.0/8 fw", "'MASQUERADE' not allowed when the destination is $FW");
	bad(&t, "SNAT+(1.2.3.4) 10.0.0.0/8 fw", "'+' not valid when the DEST is $FW");
	bad(&t, "SNAT(detect) 10.0.0.0/8 fw", "'detect' not allowed when the destination is $FW");
	bad(&t, "SNAT(1.2.3.4) 10.0.0.0/8 fw,eth0", "$FW may not appear in a list of interfaces");
	bad(&t, "MASQUERADE 10.0.0.0/8 eth0 - - mss=1400", "Invalid IPSEC Option (mss)");
	bad(&t, "MASQUERADE 10.0.0.0/8 eth0 - - - - - - - 2", "Invalid PROBABILITY (2)");
	fx_fini(&t);
}

static void test_masq_and_snat(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	fx_run(&t, parse_masq, "masq", "eth0 10.0.0.0/8\n");
	assert_int_equal(t.d.errors, 0);
	run(&t, "# comment only\nMASQUERADE 10.0.0.0/8 eth0\nMASQUERADE 10.1.0.0/16 eth0\n");
	fx_expect(&t, "ERROR: The masq and snat files both have entries: use one of them, not both "
		   "/etc/shorewall/snat (line 2)");
	assert_int_equal(t.d.errors, 1);
	fx_fini(&t);

	/* an empty masq file (comments only) is no conflict */
	fx_init_zones(&t);
	fx_run(&t, parse_masq, "masq", "#INTERFACE SOURCE ADDRESS\n");
	run(&t, "MASQUERADE 10.0.0.0/8 eth0\n");
	assert_int_equal(t.d.errors, 0);
	fx_fini(&t);
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = snat_action_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_int_equal(kw_find(k, n, "CONTINUE")->value, SNAT_CONTINUE);
	assert_int_equal(kw_find(k, n, "SNAT")->value, SNAT_SNAT);
	assert_int_equal(n, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_dest_and_source),
		cmocka_unit_test(test_format2_and_columns),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_masq_and_snat),
		cmocka_unit_test(test_table_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
