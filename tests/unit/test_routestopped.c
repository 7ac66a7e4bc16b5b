/* test_routestopped.c — the 2.x routestopped file, honoured (5.2.8 only warns that it is ignored). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "stopped.h"
#include "test_support.h"

/* The interfaces the rules name; the stopped-state files need no zones. */
static int setup(void **state)
{
	fx_setup(state);
	struct fx *f = *state;
	fx_add_iface(f, "eth0", NULL);
	fx_add_iface(f, "eth1", NULL);
	fx_add_iface(f, "ipsec+", NULL);
	return 0;
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	bool nocase;
	const struct keyword *t = routestopped_keyword_table(0, &n, &nocase);
	assert_non_null(t);
	assert_true(kw_sorted(t, n, nocase));
	assert_int_equal(n, 5);
	assert_null(routestopped_keyword_table(1, &n, &nocase));
}

static void test_seed_style(void **state)
{
	struct fx *f = *state;
	const char *layout = fx_read(f, parse_routestopped, "routestopped",
		"#INTERFACE\tHOST(S)\t\t\tOPTIONS\n"
		"eth1\t\t192.168.1.0/24\n"
		"eth0\t\t134.28.54.2,10.0.0.0/8\tsource,dest,critical\n"
		"ipsec0\t\t-\t\t\trouteback,notrack\n"
		"eth1\t\t-\t\t\t-\t\ttcp\t22\n"
		"#LAST LINE -- ADD YOUR ENTRIES BEFORE THIS ONE -- DO NOT REMOVE\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->c.graph->stopped.n, 4);
	struct stopped_rule *r = f->c.graph->stopped.v[0];
	assert_true(r->from_routestopped);
	assert_int_equal(r->action, STOP_ACCEPT);
	assert_string_equal(r->src_iface, "eth1");
	assert_int_equal(r->source.items->net.len, 24);
	assert_false(r->opt_source || r->opt_dest || r->routeback || r->critical || r->notrack);
	r = f->c.graph->stopped.v[1];
	assert_true(r->opt_source);
	assert_true(r->opt_dest);
	assert_true(r->critical);
	assert_false(r->routeback);
	assert_non_null(r->source.items->next);
	r = f->c.graph->stopped.v[2];
	assert_string_equal(r->src_iface, "ipsec0");
	assert_null(r->source.items);
	assert_true(r->routeback);
	assert_true(r->notrack);
	r = f->c.graph->stopped.v[3];
	assert_string_equal(r->proto, "tcp");
	assert_string_equal(r->dports, "22");
	assert_int_equal(r->loc.line, 5);
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_routestopped, "routestopped",
		"eth9\t-\n"
		"-\t10.0.0.0/8\n"
		"eth0\t10.0.0.300\n"
		"eth0\t-\tbogus,routeback,routeback\n"
		"eth0\t-\t-\tudp\tdomain,99999\n"
		"eth0\t-\t-\ttcp\t22\t-\tmore\n");
	assert_true(diag_has(&f->d, "ERROR: Unknown interface (eth9) /etc/shorewall/routestopped (line 1)"));
	assert_true(diag_has(&f->d, "INTERFACE must be specified /etc/shorewall/routestopped (line 2)"));
	assert_true(diag_has(&f->d, "Invalid IP address (10.0.0.300)"));
	assert_true(diag_has(&f->d, "Unknown routestopped option (bogus)"));
	assert_true(diag_has(&f->d, "WARNING: Duplicate routestopped option (routeback) ignored"));
	assert_true(diag_has(&f->d, "Invalid/Unknown udp port/service (99999)"));
	assert_true(diag_has(&f->d, "Invalid routestopped file entry (too many columns)"));
	assert_int_equal(f->d.errors, 6);
	assert_int_equal(f->c.graph->stopped.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test_setup_teardown(test_seed_style, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
