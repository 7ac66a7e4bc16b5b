/* test_stoppedrules.c — the 5.x stoppedrules file, and the PROTO/port checks it shares. */
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
	fx_add_iface(f, "ppp+", NULL);
	return 0;
}

static void run(struct fx *f, const char *text)
{
	fx_run(f, parse_stoppedrules, "stoppedrules", text);
}

static struct stopped_rule *rule(struct fx *f, size_t i)
{
	assert_true(i < f->c.graph->stopped.n);
	return f->c.graph->stopped.v[i];
}

static void test_tables_sorted(void **state)
{
	(void)state;
	const struct keyword *t;
	size_t n, i;
	bool nocase;
	for (i = 0; (t = stopped_keyword_table(i, &n, &nocase)); i++)
		assert_true(kw_sorted(t, n, nocase));
	assert_int_equal(i, 1);
}

static void test_valid(void **state)
{
	struct fx *f = *state;
	run(f,
		"#ACTION\tSOURCE\t\tDEST\t\tPROTO\tDPORT\tSPORT\n"
		"ACCEPT\teth1\t\t-\n"
		"ACCEPT\t-\t\tfw\t\ttcp\t22\n"
		"ACCEPT\teth0:192.0.2.0/24\tfw:198.51.100.1\tudp\t500,4500\n"
		"NOTRACK\teth0\t\t-\t\tesp\n"
		"DROP\t10.0.0.0/8!10.1.0.0/16\t-\n"
		"ACCEPT\tppp0\t\teth1:203.0.113.0/24 tcp\tssh,1024:\t=\n"
		"ACCEPT\t-\t\t-\t\ticmp\techo-request,3/4\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->c.graph->stopped.n, 7);
	struct stopped_rule *r = rule(f, 0);
	assert_int_equal(r->action, STOP_ACCEPT);
	assert_string_equal(r->src_iface, "eth1");
	assert_null(r->dst_iface);
	assert_false(r->fw_src);
	assert_false(r->fw_dst);
	assert_null(r->source.items);
	assert_int_equal(r->loc.line, 2);
	r = rule(f, 1);
	assert_true(r->fw_dst);
	assert_string_equal(r->proto, "tcp");
	assert_string_equal(r->dports, "22");
	assert_null(r->sports);
	r = rule(f, 2);
	assert_string_equal(r->src_iface, "eth0");
	assert_non_null(r->source.items);
	assert_int_equal(r->source.items->net.len, 24);
	assert_true(r->fw_dst);
	assert_int_equal(r->dest.items->net.len, 32);
	r = rule(f, 3);
	assert_int_equal(r->action, STOP_NOTRACK);
	r = rule(f, 4);
	assert_int_equal(r->action, STOP_DROP);
	assert_null(r->src_iface);
	assert_non_null(r->source.excl);
	r = rule(f, 5);
	assert_string_equal(r->src_iface, "ppp0");      /* through the ppp+ wildcard */
	assert_string_equal(r->dst_iface, "eth1");
	assert_string_equal(r->sports, "=");
	assert_false(rule(f, 0)->from_routestopped);
}

static void test_fw_source_with_absentminded(void **state)
{
	struct fx *f = *state;
	run(f, "ACCEPT fw eth0\nACCEPT fw fw\n");
	assert_true(diag_has(&f->d, "WARNING: Redundant OUTPUT rule ignored because ADMINISABSENTMINDED=Yes /etc/shorewall/stoppedrules (line 1)"));
	assert_int_equal(f->c.graph->stopped.n, 1);
	f->c.conf->admin_absentminded = false;
	run(f, "ACCEPT fw eth0\n");
	assert_int_equal(f->c.graph->stopped.n, 2);
	assert_true(rule(f, 1)->fw_src);
	assert_string_equal(rule(f, 1)->dst_iface, "eth0");
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	run(f,
		"REJECT\teth0\t-\n"
		"ACCEPT\teth9\t-\n"
		"ACCEPT\teth0:10.0.0.300\t-\n"
		"NOTRACK\teth0\tfw\n"
		"DROP\t-\teth1\n"
		"ACCEPT\t-\tfw\tbogus\n"
		"ACCEPT\t-\tfw\ttcp\t99999\n"
		"ACCEPT\t-\tfw\ttcp\t30:20\n"
		"ACCEPT\t-\tfw\ticmp\t8\t1\n"
		"ACCEPT\t-\tfw\tesp\t500\n"
		"ACCEPT\t-\tfw\t-\t22\n"
		"ACCEPT\t-\tfw\ttcp\t-\t=\n"
		"ACCEPT\t-\tfw\ttcp\t1-2-3\n"
		"ACCEPT\t-\tfw\ttcp\t22\t-\textra\n"
		"ACCEPT\t-\tfw\ticmp\tnot-a-type\n");
	assert_true(diag_has(&f->d, "ERROR: Invalid ACTION (REJECT) /etc/shorewall/stoppedrules (line 1)"));
	assert_true(diag_has(&f->d, "Unknown interface (eth9) /etc/shorewall/stoppedrules (line 2)"));
	assert_true(diag_has(&f->d, "Invalid IP address (10.0.0.300)"));
	assert_true(diag_has(&f->d, "$FW may not be specified as the destination of a NOTRACK or DROP rule"));
	assert_true(diag_has(&f->d, "A DEST interface (eth1) is not permitted with DROP"));
	assert_true(diag_has(&f->d, "Invalid/Unknown protocol (bogus)"));
	assert_true(diag_has(&f->d, "Invalid/Unknown tcp port/service (99999)"));
	assert_true(diag_has(&f->d, "Invalid port range (30:20)"));
	assert_true(diag_has(&f->d, "SOURCE PORT(S) not permitted with ICMP"));
	assert_true(diag_has(&f->d, "SOURCE/DEST PORT(S) not allowed with PROTO esp"));
	assert_true(diag_has(&f->d, "SOURCE/DEST PORT(S) not allowed without PROTO"));
	assert_true(diag_has(&f->d, "'=' in the SOURCE PORT(S) column requires one or more ports in the DEST PORT(S) column"));
	assert_true(diag_has(&f->d, "Invalid port range (1-2-3)"));
	assert_true(diag_has(&f->d, "Invalid stoppedrules file entry (too many columns)"));
	assert_true(diag_has(&f->d, "Invalid ICMP Type (not-a-type)"));
	assert_int_equal(f->d.errors, 15);
	assert_int_equal(f->c.graph->stopped.n, 0);
}

static void test_fw_name_follows_zone(void **state)
{
	struct fx *f = *state;
	/* 2.2: the firewall zone is named by shorewall.conf's FW */
	f->c.conf->fw = "gw";
	run(f, "ACCEPT - gw tcp 22\nACCEPT - fw\n");
	assert_int_equal(f->c.graph->stopped.n, 1);
	assert_true(rule(f, 0)->fw_dst);
	assert_true(diag_has(&f->d, "Unknown interface (fw)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test_setup_teardown(test_valid, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_fw_source_with_absentminded, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_fw_name_follows_zone, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
