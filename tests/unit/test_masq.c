/* test_masq.c — the masq file (2.2 and 5.x): interfaces, sources, addresses, IPSEC column, other columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "masq.h"
#include "test_support.h"

static int run(struct fx *t, const char *text)
{
	return fx_run(t, parse_masq, "masq", text);
}

/* One line that must be accepted, adding `records` records; returns the first. */
static struct snat *good(struct fx *t, const char *line, size_t records)
{
	size_t i = fx_accept(t, parse_masq, "masq", &t->c.graph->snats.n, line, records);
	return t->c.graph->snats.v[i];
}

/* One line that must be refused with exactly this one error (at line 1). */
static void bad(struct fx *t, const char *line, const char *msg)
{
	fx_refuse(t, parse_masq, "masq", &t->c.graph->snats.n, line, msg);
}

static void test_masquerade(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "eth0 192.168.1.0/24", 1);
	assert_int_equal(s->action, SNAT_MASQUERADE);
	assert_null(s->to);
	assert_string_equal(s->iface_name, "eth0");
	assert_non_null(s->iface);
	assert_string_equal(s->iface->name, "eth0");
	assert_true(s->from_masq);
	assert_int_equal(s->ipsec, SNAT_IPSEC_DEFAULT);
	assert_null(s->ipsec_opts);
	assert_null(s->dest.items);
	char buf[32];
	assert_string_equal(addr_item_format(s->source.items, buf, sizeof(buf)), "192.168.1.0/24");
	assert_null(s->source_iface);
	assert_int_equal(s->loc.line, 1);
	assert_string_equal(t.c.files.v[0]->layout, "2.2/5.x masq");

	s = good(&t, "eth0 eth1", 1);                   /* SOURCE an interface: its networks */
	assert_string_equal(s->source_iface, "eth1");
	assert_null(s->source.items);
	s = good(&t, "eth0:192.0.2.0/24 10.0.0.0/8!10.1.0.0/16", 1);
	assert_non_null(s->dest.items);
	assert_non_null(s->source.excl);
	s = good(&t, "eth0::192.0.2.0/24 -", 1);
	assert_non_null(s->dest.items);
	s = good(&t, "eth0:0 10.0.0.0/8 206.124.146.176", 1);    /* alias */
	assert_string_equal(s->iface_name, "eth0");
	assert_int_equal(s->action, SNAT_SNAT);
	s = good(&t, "eth0:0:192.0.2.1 10.0.0.0/8", 1);
	assert_non_null(s->dest.items);
	s = good(&t, "+ppp0 10.0.0.0/8", 1);                      /* pre-NAT, wildcard interface */
	assert_true(s->prenat);
	assert_string_equal(s->iface->name, "ppp+");
	s = good(&t, "eth0,eth2 10.0.0.0/8", 2);                  /* one record per interface */
	assert_string_equal(t.c.graph->snats.v[t.c.graph->snats.n - 1]->iface_name, "eth2");
	s = good(&t, "eth0 - random", 1);
	assert_true(s->random);
	assert_int_equal(s->action, SNAT_MASQUERADE);
	s = good(&t, "eth0 10.0.0.0/8 :1024-2048 tcp", 1);        /* masquerade to ports */
	assert_int_equal(s->action, SNAT_MASQUERADE);
	assert_string_equal(s->to, ":1024-2048");
	s = good(&t, "INLINE(eth0) 10.0.0.0/8", 1);
	assert_string_equal(s->iface_name, "eth0");
	fx_fini(&t);
}

static void test_snat_addresses(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "eth0 192.168.2.0/24 206.162.148.9", 1);
	assert_int_equal(s->action, SNAT_SNAT);
	assert_string_equal(s->to, "206.162.148.9");
	s = good(&t, "eth0 192.168.2.0/24 206.162.148.9-206.162.148.12:persistent", 1);
	assert_true(s->persistent);
	assert_string_equal(s->to, "206.162.148.9-206.162.148.12");
	s = good(&t, "eth0 192.168.2.0/24 206.162.148.9:5000-6000:random tcp,udp", 2);
	assert_true(s->random);
	assert_string_equal(s->proto, "tcp");
	assert_string_equal(t.c.graph->snats.v[t.c.graph->snats.n - 1]->proto, "udp");
	s = good(&t, "eth0 192.168.2.0/24 detect", 1);
	assert_int_equal(s->action, SNAT_SNAT);
	assert_string_equal(s->to, "detect");
	s = good(&t, "eth0 192.168.2.0/24 NONAT", 1);
	assert_int_equal(s->action, SNAT_NONAT);
	s = good(&t, "eth0 192.168.2.0/24 &eth0", 1);
	assert_int_equal(s->action, SNAT_SNAT);
	fx_fini(&t);
}

static void test_ipsec_column(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	assert_int_equal(good(&t, "eth0 10.0.0.0/8 - - - yes", 1)->ipsec, SNAT_IPSEC_YES);
	assert_int_equal(good(&t, "eth0 10.0.0.0/8 - - - Yes", 1)->ipsec, SNAT_IPSEC_YES);
	assert_int_equal(good(&t, "eth0 10.0.0.0/8 - - - ipsec", 1)->ipsec, SNAT_IPSEC_YES);
	assert_int_equal(good(&t, "eth0 10.0.0.0/8 - - - no", 1)->ipsec, SNAT_IPSEC_NO);
	assert_int_equal(good(&t, "eth0 10.0.0.0/8 - - - none", 1)->ipsec, SNAT_IPSEC_NO);
	struct snat *s = good(&t, "eth0 192.168.2.0/24 206.162.148.9 - - mode=tunnel,reqid=5", 1);
	assert_int_equal(s->ipsec, SNAT_IPSEC_OPTS);
	assert_non_null(s->ipsec_opts);
	assert_int_equal(s->ipsec_opts->key, IPSEC_MODE);
	assert_string_equal(s->ipsec_opts->value, "tunnel");
	assert_non_null(s->ipsec_opts->next);
	assert_int_equal(s->ipsec_opts->next->key, IPSEC_REQID);
	/* the man page lists mss= here, the code refuses it: so do we */
	bad(&t, "eth0 10.0.0.0/8 - - - mss=1400", "Invalid IPSEC Option (mss)");
	bad(&t, "eth0 10.0.0.0/8 - - - mode=tunel", "Invalid value (tunel) for option \"mode\"");
	run(&t, "eth0 10.0.0.0/8 - - - mode=tunnel,nomark,mss!=3");
	fx_expect(&t, "Invalid IPSEC Option (nomark)");
	fx_expect(&t, "Invalid IPSEC Option (mss)");
	fx_fini(&t);
}

static void test_errors(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	bad(&t, "eth9 10.0.0.0/8", "Unknown interface (eth9)");
	bad(&t, "eth0,eth9 10.0.0.0/8", "Unknown interface (eth9)");
	bad(&t, "- 10.0.0.0/8", "INTERFACE must be specified");
	bad(&t, "eth0 10.0.0.300", "Invalid IP address (10.0.0.300)");
	bad(&t, "eth0 eth7", "Unknown interface (eth7)");
	bad(&t, "eth0:10.0.0.0/40 10.0.0.0/8", "Invalid IP address (10.0.0.0/40)");
	bad(&t, "eth0 10.0.0.0/8 1.2.3.4,5.6.7.8", "Only one ADDRESS may be specified");
	bad(&t, "eth0 10.0.0.0/8 1.2.3.456", "Invalid IP address (1.2.3.456)");
	bad(&t, "eth0 10.0.0.0/8 SAME:1.2.3.4", "The SAME target is no longer supported");
	bad(&t, "eth0 10.0.0.0/8 NONAT:random", "'random' may not be specified with 'NONAT'");
	bad(&t, "eth0 10.0.0.0/8 :persistent", "':persistent' is not allowed in a MASQUERADE rule");
	bad(&t, "eth0 10.0.0.0/8 1.2.3.4:1024-2048", "Using a port range (1024-2048) requires PROTO TCP, UDP, SCTP or DCCP");
	bad(&t, "eth0 10.0.0.0/8 1.2.3.4:2048-1024 tcp", "Invalid port range (2048-1024)");
	bad(&t, "eth0 10.0.0.0/8 &eth9", "Unknown interface (eth9)");
	bad(&t, "eth0 10.0.0.0/8 - foo", "Invalid/Unknown protocol (foo)");
	bad(&t, "eth0 10.0.0.0/8 - tcp 99999", "Invalid/Unknown tcp port/service (99999)");
	bad(&t, "eth0 10.0.0.0/8 - - 80", "SOURCE/DEST PORT(S) not allowed without PROTO");
	bad(&t, "eth0 10.0.0.0/8 - - - - - - - - 1.5", "Invalid PROBABILITY (1.5)");
	bad(&t, "eth0 10.0.0.0/8 - - - - - - - 1.2.3.999", "Invalid IP address (1.2.3.999)");
	bad(&t, "eth0 10.0.0.0/8 - - - - - - - - 0.5 extra", "Invalid masq file entry (too many columns)");
	/* every mistake of a line is reported */
	run(&t, "eth9 10.0.0.300 1.2.3.4,5.6.7.8 - - mss=1\n");
	fx_expect(&t, "Unknown interface (eth9)");
	fx_expect(&t, "Invalid IP address (10.0.0.300)");
	fx_expect(&t, "Only one ADDRESS may be specified");
	fx_expect(&t, "Invalid IPSEC Option (mss)");
	fx_fini(&t);
}

static void test_other_columns(void **state)
{
	(void)state;
	struct fx t;
	fx_init_zones(&t);
	struct snat *s = good(&t, "eth0 10.0.0.0/8 - tcp 80,443 - 0x10/0xff root sw 203.0.113.1 0.25", 1);
	assert_string_equal(s->ports, "80,443");
	assert_string_equal(s->mark, "0x10/0xff");
	assert_string_equal(s->user, "root");
	assert_string_equal(s->switch_name, "sw");
	assert_string_equal(s->origdest, "203.0.113.1");
	assert_string_equal(s->probability, "0.25");
	assert_true(masq_check_probability(&t.c, &s->loc, ".12345678"));
	assert_true(masq_check_probability(&t.c, &s->loc, "!0.5"));
	assert_false(masq_check_probability(&t.c, &s->loc, "0.123456789"));
	assert_false(masq_check_probability(&t.c, &s->loc, "0."));
	fx_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masquerade),
		cmocka_unit_test(test_snat_addresses),
		cmocka_unit_test(test_ipsec_column),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_other_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
