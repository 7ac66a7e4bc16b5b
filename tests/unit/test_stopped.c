/* test_stopped.c — the stopped and cleared rulesets built from the graph (src/build/stopped.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "build/stopped.h"
#include "emit.h"
#include "ir.h"
#include "test_support.h"

static int setup(void **state)
{
	struct fx *f = malloc(sizeof(*f));
	assert_non_null(f);
	fx_init_zones(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_fini(f);
	free(f);
	return 0;
}

/* Build the stopped ruleset and render it; the text lives until the next call (static buffer). */
static char *stopped_text(struct fx *f)
{
	static char *text;
	size_t len = 0;
	free(text);
	text = NULL;
	struct ruleset *rs = build_stopped(&f->c);
	if (!rs) {
		fx_dump(f);
		fail_msg("build_stopped failed");
	}
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	assert_int_equal(emit_restore(rs, mem), 0);
	assert_int_equal(fclose(mem), 0);
	return text;
}

static void expect_line(const char *text, const char *line)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "\n%s\n", line);
	if (!strstr(text, buf)) {
		fprintf(stderr, "missing: %s\nin:\n%s", line, text);
		fail();
	}
}

static void expect_no(const char *text, const char *needle)
{
	if (strstr(text, needle)) {
		fprintf(stderr, "unexpected: %s\nin:\n%s", needle, text);
		fail();
	}
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_base_absentminded(void **state)
{
	struct fx *f = *state;
	f->c.conf->admin_absentminded = true;
	char *t = stopped_text(f);
	expect_line(t, ":INPUT DROP [0:0]");
	expect_line(t, ":FORWARD DROP [0:0]");
	expect_line(t, ":OUTPUT ACCEPT [0:0]");
	expect_line(t, "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	expect_line(t, "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	expect_line(t, "-A INPUT -i lo -j ACCEPT");
	expect_no(t, "-A OUTPUT");
	expect_no(t, "*raw");
	/* nothing of the running ruleset: no zone chains */
	expect_no(t, ":net-fw");
	assert_int_equal(count(t, "-A "), 3);
	assert_int_equal(f->d.errors, 0);
}

static void test_base_strict(void **state)
{
	struct fx *f = *state;
	f->c.conf->admin_absentminded = false;
	char *t = stopped_text(f);
	expect_line(t, ":OUTPUT DROP [0:0]");
	expect_line(t, "-A OUTPUT -o lo -j ACCEPT");
	assert_int_equal(count(t, "-A "), 4);
}

static void test_dhcp(void **state)
{
	struct fx *f = *state;
	struct iface *eth1 = fx_iface(f, "eth1");
	eth1->opts |= 1ull << IFO_DHCP;
	eth1->optval[IFO_DHCP] = 1;
	f->c.conf->admin_absentminded = false;
	char *t = stopped_text(f);
	expect_line(t, "-A INPUT -i eth1 -p udp --dport 67:68 -j ACCEPT");
	expect_line(t, "-A OUTPUT -o eth1 -p udp --dport 67:68 -j ACCEPT");
	expect_line(t, "-A FORWARD -i eth1 -o eth1 -p udp --dport 67:68 -j ACCEPT");
	f->c.conf->admin_absentminded = true;
	t = stopped_text(f);
	expect_no(t, "-A OUTPUT -o eth1");
	/* physical= is what the kernel sees */
	eth1->physical = "enp3s0";
	t = stopped_text(f);
	expect_line(t, "-A INPUT -i enp3s0 -p udp --dport 67:68 -j ACCEPT");
}

static void test_stoppedrules(void **state)
{
	struct fx *f = *state;
	f->c.conf->admin_absentminded = true;
	fx_run(f, parse_stoppedrules, "stoppedrules",
	       "ACCEPT\teth1:192.168.1.5\tfw\ttcp\t22\n"
	       "ACCEPT\teth1\teth0:192.0.2.0/24,198.51.100.7\n"
	       "ACCEPT\tfw:192.168.1.1\teth1\tudp\t53\n"
	       "DROP\teth0:203.0.113.0/24\t-\n"
	       "NOTRACK\tfw\t-\tesp\n"
	       "ACCEPT\t-\tfw\ttcp,udp\t53\n");
	fx_no_errors(f);
	char *t = stopped_text(f);
	expect_line(t, "-A INPUT -i eth1 -s 192.168.1.5 -p tcp --dport 22 -j ACCEPT");
	expect_line(t, "-A FORWARD -i eth1 -o eth0 -d 192.0.2.0/24 -j ACCEPT");
	expect_line(t, "-A FORWARD -i eth1 -o eth0 -d 198.51.100.7 -j ACCEPT");
	expect_line(t, "-A INPUT -p tcp --dport 53 -j ACCEPT");
	expect_line(t, "-A INPUT -p udp --dport 53 -j ACCEPT");
	expect_line(t, "-A PREROUTING -i eth0 -s 203.0.113.0/24 -j DROP");
	expect_line(t, "-A OUTPUT -p 50 -j CT --notrack");
	/* $FW → eth1 is redundant with ADMINISABSENTMINDED=Yes: the parser dropped it with a warning */
	assert_true(diag_has(&f->d, "Redundant OUTPUT rule"));
	expect_no(t, "--dport 53 -j ACCEPT\n-A OUTPUT");
	/* the raw table comes before filter, as restore expects */
	assert_true(strstr(t, "*raw") < strstr(t, "*filter"));
}

static void test_stoppedrules_output_strict(void **state)
{
	struct fx *f = *state;
	f->c.conf->admin_absentminded = false;
	fx_run(f, parse_stoppedrules, "stoppedrules", "ACCEPT\tfw:192.168.1.1\teth1\tudp\t53\n");
	fx_no_errors(f);
	char *t = stopped_text(f);
	expect_line(t, "-A OUTPUT -o eth1 -s 192.168.1.1 -p udp --dport 53 -j ACCEPT");
}

static void test_many_ports_split(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_stoppedrules, "stoppedrules",
	       "ACCEPT\teth1\tfw\ttcp\t1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n");
	fx_no_errors(f);
	char *t = stopped_text(f);
	/* 15 multiport slots: two rules */
	assert_int_equal(count(t, "-A INPUT -i eth1 -p tcp"), 2);
	expect_line(t, "-A INPUT -i eth1 -p tcp -m multiport --dports 16,17 -j ACCEPT");
}

static void test_routestopped(void **state)
{
	struct fx *f = *state;
	f->c.conf->admin_absentminded = false;
	fx_run(f, parse_routestopped, "routestopped",
	       "eth1\t192.168.1.0/24\trouteback\n"
	       "eth0\t192.0.2.1\tsource\n"
	       "eth2\t-\tdest,notrack\ttcp\t80\n");
	fx_no_errors(f);
	char *t = stopped_text(f);
	/* to and from the firewall */
	expect_line(t, "-A INPUT -i eth1 -s 192.168.1.0/24 -j ACCEPT");
	expect_line(t, "-A OUTPUT -o eth1 -d 192.168.1.0/24 -j ACCEPT");
	expect_line(t, "-A INPUT -i eth2 -p tcp --dport 80 -j ACCEPT");
	/* routeback */
	expect_line(t, "-A FORWARD -i eth1 -o eth1 -s 192.168.1.0/24 -d 192.168.1.0/24 -j ACCEPT");
	/* source: from the host anywhere; dest: from anywhere to the hosts */
	expect_line(t, "-A FORWARD -i eth0 -s 192.0.2.1 -j ACCEPT");
	expect_line(t, "-A FORWARD -o eth2 -p tcp --dport 80 -j ACCEPT");
	/* neither: forwarded to each other listed host */
	expect_line(t, "-A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -d 192.0.2.1 -j ACCEPT");
	expect_line(t, "-A FORWARD -i eth1 -o eth2 -s 192.168.1.0/24 -j ACCEPT");
	expect_no(t, "-A FORWARD -i eth0 -o");
	/* notrack: raw, both directions */
	expect_line(t, "-A PREROUTING -i eth2 -p tcp --dport 80 -j CT --notrack");
	expect_line(t, "-A OUTPUT -o eth2 -p tcp --dport 80 -j CT --notrack");
}

static void test_routestopped_interface_routeback(void **state)
{
	struct fx *f = *state;
	struct iface *eth1 = fx_iface(f, "eth1");
	eth1->opts |= 1ull << IFO_ROUTEBACK;
	eth1->optval[IFO_ROUTEBACK] = 1;
	fx_run(f, parse_routestopped, "routestopped", "eth1\t192.168.1.0/24,192.168.2.0/24\n");
	fx_no_errors(f);
	char *t = stopped_text(f);
	expect_line(t, "-A FORWARD -i eth1 -o eth1 -s 192.168.1.0/24 -d 192.168.1.0/24 -j ACCEPT");
	/* two hosts of one line are forwarded to each other too */
	expect_line(t, "-A FORWARD -i eth1 -o eth1 -s 192.168.1.0/24 -d 192.168.2.0/24 -j ACCEPT");
	expect_line(t, "-A FORWARD -i eth1 -o eth1 -s 192.168.2.0/24 -d 192.168.1.0/24 -j ACCEPT");
}

static void test_deterministic(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_stoppedrules, "stoppedrules", "ACCEPT\teth1\tfw\ttcp\t22\nDROP\teth0\t-\n");
	char *a = strdup(stopped_text(f));
	char *b = stopped_text(f);
	assert_string_equal(a, b);
	free(a);
}

static void test_cleared(void **state)
{
	struct fx *f = *state;
	struct ruleset *rs = build_cleared(&f->c);
	assert_non_null(rs);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_int_equal(emit_restore(rs, mem), 0);
	fclose(mem);
	assert_string_equal(text, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
	free(text);
}

static void test_no_graph(void **state)
{
	struct fx *f = *state;
	f->c.graph = NULL;
	assert_null(build_stopped(&f->c));
	assert_int_equal(f->d.errors, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_base_absentminded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stoppedrules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stoppedrules_output_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_ports_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routestopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routestopped_interface_routeback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_graph, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
