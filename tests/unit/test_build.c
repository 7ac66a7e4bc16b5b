/* test_build.c — the graph → IR builder: policy match, trivial pairs, catch-alls, names, determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "compile.h"
#include "emit.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "parsers.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A configuration as (file name, text) pairs, NULL-terminated. */
struct cfile { const char *name, *text; };

static const struct cfile base_zones = { "zones", "fw firewall\nnet ipv4\nloc ipv4\n" };
static const struct cfile base_ifaces = { "interfaces", "?FORMAT 2\nnet eth0 -\nloc eth1 -\n" };
static const struct cfile base_policy = { "policy", "loc net ACCEPT\nnet all DROP info\nall all REJECT info\n" };

/* Write the files into a fresh directory, compile it, return the restore text (malloc'd) or
 * NULL when the configuration or the build reported errors. */
static char *compile_files(const struct cfile *files, size_t n, const char *conf)
{
	char dir[] = "/tmp/test_build.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i].text, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/shorewall.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "STARTUP_ENABLED=Yes\nOPTIMIZE=0\n%s", conf ? conf : "");    /* the builder's own output */
	fclose(f);

	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, dir);
	config_load(&c);
	char *text = NULL;
	size_t len = 0;
	if (!d.errors) {
		struct ruleset *rs = build_ruleset(&c);
		if (rs) {
			FILE *mem = open_memstream(&text, &len);
			assert_int_equal(emit_restore(rs, mem), 0);
			fclose(mem);
		}
	}
	if (d.errors) {
		diag_flush(&d);
		free(text);
		text = NULL;
	}
	compile_fini(&c);
	diag_fini(&d);

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/shorewall.conf", dir);
	unlink(path);
	rmdir(dir);
	return text;
}

/* Position of a whole line in text, or -1. */
static long line_pos(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0))
			return p - text;
	return -1;
}

static void assert_line(const char *text, const char *line)
{
	if (line_pos(text, line) < 0)
		fail_msg("missing line: %s\n--- in ---\n%s", line, text);
}

static void assert_no_line(const char *text, const char *line)
{
	if (line_pos(text, line) >= 0)
		fail_msg("unexpected line: %s", line);
}

static void assert_before(const char *text, const char *a, const char *b)
{
	long pa = line_pos(text, a), pb = line_pos(text, b);
	if (pa < 0 || pb < 0 || pa >= pb)
		fail_msg("expected\n  %s\nbefore\n  %s", a, b);
}

/* Gateway A: an ipv4 zone whose hosts entry says ipsec shares eth0 with net. */
static void test_ipsec_members_first(void **state)
{
	(void)state;
	const struct cfile files[] = {
		{ "zones", "fw firewall\nvpn ipv4\nnet ipv4\nloc ipv4\n" },
		base_ifaces,
		{ "hosts", "vpn eth0:10.0.0.0/8,203.0.113.2 ipsec\n" },
		{ "policy", "loc vpn ACCEPT\nvpn loc ACCEPT\nloc net ACCEPT\nnet all DROP info\nall all REJECT info\n" },
	};
	char *t = compile_files(files, 4, "DYNAMIC_BLACKLIST=No\n");
	assert_non_null(t);
	assert_before(t, "-A eth0_in -s 10.0.0.0/8 -m policy --dir in --pol ipsec -j vpn-fw",
		      "-A eth0_in -m policy --dir in --pol none -j net-fw");
	assert_before(t, "-A eth0_in -s 203.0.113.2 -m policy --dir in --pol ipsec -j vpn-fw",
		      "-A eth0_in -m policy --dir in --pol none -j net-fw");
	assert_before(t, "-A eth0_out -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j fw-vpn",
		      "-A eth0_out -m policy --dir out --pol none -j fw-net");
	assert_before(t, "-A net_frwd -o eth0 -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j net-vpn",
		      "-A net_frwd -o eth1 -m policy --dir out --pol none -j net-loc");
	/* a single-member interface still carries the plaintext match */
	assert_line(t, "-A eth1_in -m policy --dir in --pol none -j loc-fw");
	/* loc→vpn and loc→net are trivial ACCEPT pairs: straight to ACCEPT, no chain */
	assert_line(t, "-A loc_frwd -o eth0 -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j ACCEPT");
	assert_null(strstr(t, ":loc-net "));
	assert_null(strstr(t, ":loc-vpn "));
	free(t);
}

/* A super zone (parent of an ipsec sub-zone) loses the policy match on both sides. */
static void test_super_zone(void **state)
{
	(void)state;
	const struct cfile files[] = {
		{ "zones", "fw firewall\nnet ipv4\nloc:net ipsec mode=transport\n" },
		{ "interfaces", "?FORMAT 2\nnet eth0 -\n" },
		{ "hosts", "loc eth0:192.168.20.0/24\n" },
		{ "policy", "fw all ACCEPT\nloc fw ACCEPT\nnet all DROP info\nall all REJECT info\n" },
	};
	char *t = compile_files(files, 4, "DYNAMIC_BLACKLIST=No\n");
	assert_non_null(t);
	assert_line(t, "-A eth0_in -s 192.168.20.0/24 -m policy --dir in --pol ipsec --mode transport -j ACCEPT");
	assert_line(t, "-A eth0_in -j net-fw");
	assert_line(t, "-A eth0_out -j ACCEPT");
	assert_no_line(t, "-A eth0_in -m policy --dir in --pol none -j net-fw");
	free(t);
}

/* Without any ipsec zone or host, no rule carries a policy match. */
static void test_no_ipsec_no_policy_match(void **state)
{
	(void)state;
	const struct cfile files[] = { base_zones, base_ifaces, base_policy };
	char *t = compile_files(files, 3, NULL);
	assert_non_null(t);
	assert_null(strstr(t, "-m policy"));
	assert_line(t, "-A eth0_in -j net-fw");
	assert_line(t, "-A loc_frwd -o eth0 -j ACCEPT");
	assert_line(t, "-A net-fw -j DROP");
	assert_line(t, "-A fw-net -g reject");
	assert_line(t, "-A net-fw -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	assert_null(strstr(t, "sfilter"));     /* ROUTE_FILTER=Yes (stock): the kernel filters */
	/* the reject chain, in Shorewall's order */
	assert_before(t, "-A reject -m addrtype --src-type BROADCAST -j DROP", "-A reject -s 224.0.0.0/4 -j DROP");
	assert_before(t, "-A reject -p tcp -j REJECT --reject-with tcp-reset", "-A reject -p udp -j REJECT");
	assert_line(t, "-A reject -j REJECT --reject-with icmp-host-prohibited");
	free(t);
}

/* Catch-alls: `all fw` for INPUT, `fw all` for OUTPUT, `all all` otherwise. */
static void test_catchalls(void **state)
{
	(void)state;
	const struct cfile files[] = {
		base_zones, base_ifaces,
		{ "policy", "fw all ACCEPT\nall fw DROP\nloc net ACCEPT\nall all REJECT info\n" },
	};
	char *t = compile_files(files, 3, "LOGLIMIT=\n");
	assert_non_null(t);
	assert_line(t, "-A INPUT -j DROP");
	assert_line(t, "-A OUTPUT -j ACCEPT");
	assert_line(t, "-A FORWARD -j LOG --log-level 6 --log-prefix \"FORWARD REJECT \"");
	assert_line(t, "-A FORWARD -g reject");
	assert_before(t, "-A INPUT -i lo -j ACCEPT", "-A INPUT -j DROP");
	assert_line(t, ":INPUT DROP [0:0]");
	free(t);
}

/* ROUTE_FILTER=No: hairpin forwards dropped, except on routefilter interfaces. */
static void test_sfilter(void **state)
{
	(void)state;
	const struct cfile files[] = {
		base_zones, { "interfaces", "?FORMAT 2\nnet eth0 routefilter\nloc eth1 -\n" }, base_policy,
	};
	char *t = compile_files(files, 3, "ROUTE_FILTER=No\n");
	assert_non_null(t);
	assert_line(t, "-A eth1_fwd -o eth1 -g sfilter");
	assert_null(strstr(t, "-A eth0_fwd -o eth0"));
	assert_line(t, "-A sfilter -j DROP");
	free(t);
}

static void test_fastaccept(void **state)
{
	(void)state;
	const struct cfile files[] = { base_zones, base_ifaces, base_policy };
	char *t = compile_files(files, 3, "FASTACCEPT=Yes\n");
	assert_non_null(t);
	assert_non_null(strstr(t, "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -i eth0"));
	assert_line(t, "-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	assert_line(t, "-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	assert_no_line(t, "-A net-fw -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
	free(t);
}

static void test_rate_and_names(void **state)
{
	(void)state;
	const struct cfile files[] = {
		base_zones, base_ifaces,
		{ "policy", "loc net ACCEPT - 10/sec:40\nnet all DROP info\nall all REJECT info\n" },
	};
	char *t = compile_files(files, 3, "ZONE2ZONE=2\n");
	assert_non_null(t);
	assert_line(t, "-A loc2net -p tcp --syn -j @loc2net");
	assert_line(t, "-A @loc2net -m limit --limit 10/sec --limit-burst 40 -j RETURN");
	assert_line(t, "-A @loc2net -j DROP");
	assert_line(t, "-A loc_frwd -o eth0 -j loc2net");
	assert_line(t, "-A net2fw -j DROP");
	free(t);
}

/* The same configuration twice gives the same bytes. */
static void test_deterministic(void **state)
{
	(void)state;
	const struct cfile files[] = {
		{ "zones", "fw firewall\nvpn ipsec\nnet ipv4\nloc ipv4\n" },
		{ "interfaces", "?FORMAT 2\nnet eth0 dhcp,nosmurfs\nloc eth1 routeback\n" },
		{ "hosts", "vpn eth0:0.0.0.0/0\n" },
		{ "tunnels", "ipsec net 0.0.0.0/0 vpn\n" },
		{ "policy", "loc vpn ACCEPT\nvpn loc ACCEPT\nloc net ACCEPT\nnet all DROP info\nall all REJECT info\n" },
	};
	char *a = compile_files(files, 5, NULL);
	char *b = compile_files(files, 5, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	assert_line(a, "-A eth0_in -p udp --dport 67:68 -j ACCEPT");
	assert_line(a, "-A smurfs -m addrtype --src-type BROADCAST -j DROP");
	free(a);
	free(b);
}

/* Exclusions go through a ~excl chain that RETURNs first. */
static void test_exclusions(void **state)
{
	(void)state;
	const struct cfile files[] = {
		{ "zones", "fw firewall\nloc ipv4\nnet ipv4\n" },
		{ "interfaces", "?FORMAT 2\nnet eth0 -\n- eth1 -\n" },
		{ "hosts", "loc eth1:192.168.0.0/16!192.168.7.0/24\n" },
		base_policy,
	};
	char *t = compile_files(files, 4, "DYNAMIC_BLACKLIST=No\n");
	assert_non_null(t);
	assert_line(t, "-A eth1_in -s 192.168.0.0/16 -j ~excl1");
	assert_line(t, "-A ~excl1 -s 192.168.7.0/24 -j RETURN");
	assert_line(t, "-A ~excl1 -j loc-fw");
	free(t);
}

/* physical= and USE_PHYSICAL_NAMES; a destonly member is never a source. */
static void test_physical_and_destonly(void **state)
{
	(void)state;
	const struct cfile files[] = {
		{ "zones", "fw firewall\nprn ipv4\nnet ipv4\nloc ipv4\n" },
		{ "interfaces", "?FORMAT 2\nnet inet physical=eth0\nloc lan physical=eth1\n" },
		{ "hosts", "prn lan:192.168.1.200 destonly\n" },
		base_policy,
	};
	char *t = compile_files(files, 4, "DYNAMIC_BLACKLIST=No\n");
	assert_non_null(t);
	assert_line(t, "-A INPUT -i eth0 -j inet_in");
	assert_line(t, "-A lan_out -d 192.168.1.200 -j fw-prn");
	assert_null(strstr(t, "-s 192.168.1.200"));
	free(t);
	t = compile_files(files, 4, "DYNAMIC_BLACKLIST=No\nUSE_PHYSICAL_NAMES=Yes\n");
	assert_non_null(t);
	assert_line(t, "-A INPUT -i eth0 -j eth0_in");
	assert_line(t, "-A eth1_out -d 192.168.1.200 -j fw-prn");
	free(t);
}

static void test_names_and_log(void **state)
{
	(void)state;
	struct diag d;
	struct compile c;
	struct settings s;
	diag_init(&d);
	compile_init(&c, &d, "/nonexistent");
	c.graph = graph_new(&c);
	settings_defaults(&s);
	struct builder b = { .c = &c, .g = c.graph, .s = &s };
	struct zone net = { .name = "net" }, fw = { .name = "fw" };
	assert_string_equal(build_pair_name(&b, &net, &fw), "net-fw");
	s.zone2zone_2 = true;
	assert_string_equal(build_pair_name(&b, &net, &fw), "net2fw");
	assert_string_equal(build_iface_chain_base(&b, "ppp+"), "ppp+");
	assert_string_equal(build_iface_chain_base(&b, "eth0.5"), "eth0.5");
	assert_string_equal(build_log_prefix(&b, "net-fw", "DROP"), "net-fw DROP ");
	s.logformat = "Shorewall:%s:%s:";
	assert_string_equal(build_log_prefix(&b, "net-fw", "DROP"), "Shorewall:net-fw:DROP:");
	s.logformat = "%s %s ";
	assert_int_equal(strlen(build_log_prefix(&b, "abcdefghijklmnopqrstuvwxyz", "REJECT")), 29);
	assert_int_equal(build_log_level_number("info"), 6);
	assert_int_equal(build_log_level_number("debug"), 7);
	assert_int_equal(build_log_level_number("warn"), 4);
	assert_int_equal(build_log_level_number("3"), 3);
	assert_int_equal(build_log_level_number("bogus"), -1);
	compile_fini(&c);
	diag_fini(&d);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t;
	unsigned i;
	/* the level names are loglevel.c's table (sorted in test_loglevel) */
	for (i = 0; (t = build_log_table(i, &n)); i++)
		assert_true(kw_sorted(t, n, i == 0));
	assert_int_equal(i, 2);
	t = build_verdict_table(&n);
	assert_true(kw_sorted(t, n, true));
	t = build_ctstate_table(&n);
	assert_true(kw_sorted(t, n, false));
	t = build_default_action_table(&n);
	assert_true(kw_sorted(t, n, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipsec_members_first),
		cmocka_unit_test(test_super_zone),
		cmocka_unit_test(test_no_ipsec_no_policy_match),
		cmocka_unit_test(test_catchalls),
		cmocka_unit_test(test_sfilter),
		cmocka_unit_test(test_fastaccept),
		cmocka_unit_test(test_rate_and_names),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_physical_and_destonly),
		cmocka_unit_test(test_names_and_log),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
