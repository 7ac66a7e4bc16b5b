/* test_iptc_kernel.c — the driver tests/kernel/iptc-apply runs inside fresh network namespaces; skipped elsewhere.
 *
 * It touches kernel tables, so it does nothing unless SWC_NETNS_TEST=1 (set only by the script,
 * which runs it under `ip netns exec` in a namespace it created). The environment says what to do:
 *   SWC_IPTC_RULESET  gateway | b | bad-mss | bad-hook | bad-user | big   which ruleset to build
 *   SWC_IPTC_RULES    rules in `big` (default 10000)
 *   SWC_IPTC_RESTORE  FILE: write the ruleset as iptables-restore input there, apply nothing
 *   SWC_IPTC_FAIL     raw | mangle | nat | filter: inject a commit failure of that table
 *   SWC_IPTC_EXPECT   ok (default) | fail
 *   SWC_IPTC_WAIT_MS  how long to wait for the xtables lock
 *   SWC_IPTC_DRY_RUN  1: build every table, commit nothing
 * Messages go to stderr as the CLI prints them; "applied N rules in T ms" to stdout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "emit/emit.h"
#include "emit/iptc.h"
#include "ir.h"
#include "ir_fixture.h"
#include "test_support.h"

static const struct loc NOTRACK = { "/etc/shorewall/notrack", 1 }, RULES = { "/etc/shorewall/rules", 3 },
			BAD_MSS = { "/etc/shorewall/interfaces", 7 }, BAD_HOOK = { "/etc/shorewall/snat", 3 };

/* The seed's gateway: zone dispatch with the policy match, tunnels, policies; nat, mangle, raw. */
static void build_gateway(struct ruleset *rs)
{
	static const char *const builtin[] = { "INPUT", "FORWARD", "OUTPUT" };
	for (size_t i = 0; i < 3; i++)
		ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, builtin[i]), IR_POLICY_DROP);
	struct ir_rule *r = add(rs, IR_FILTER, "INPUT", &IFACES0);
	ir_match_in(r, "eth0", false);
	jump(rs, r, "eth0_in", false);
	dispatch(rs, "INPUT", true, "eth1", NULL, false, "loc-fw", false, &IFACES1);
	r = add(rs, IR_FILTER, "FORWARD", &IFACES0);
	ir_match_in(r, "eth0", false);
	jump(rs, r, "eth0_fwd", false);
	dispatch(rs, "FORWARD", true, "eth1", NULL, false, "loc_frwd", false, &IFACES1);
	r = add(rs, IR_FILTER, "OUTPUT", &IFACES0);
	ir_match_out(r, "eth0", false);
	jump(rs, r, "eth0_out", false);

	r = add(rs, IR_FILTER, "eth0_fwd", &IFACES0);
	ir_match_ctstate(r, IR_CT_NEW | IR_CT_INVALID | IR_CT_UNTRACKED, false);
	jump(rs, r, "dynamic", false);
	r = add(rs, IR_FILTER, "eth0_fwd", &IFACES0);
	ir_match_proto(r, 6);
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	jump(rs, r, "tcpflags", false);
	r = add(rs, IR_FILTER, "tcpflags", &CONF);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_FIN | IR_TCP_SYN, IR_TCP_FIN | IR_TCP_SYN);
	ir_target_simple(r, IRT_DROP);
	dispatch(rs, "eth0_fwd", true, NULL, "10.0.0.0/8", true, "vpn_frwd", true, &HOSTS);
	dispatch(rs, "eth0_fwd", true, NULL, "198.51.100.2", true, "vpn_frwd", true, &HOSTS);
	dispatch(rs, "eth0_fwd", true, NULL, NULL, false, "net_frwd", false, &IFACES0);
	dispatch(rs, "eth0_in", true, NULL, "10.0.0.0/8", true, "vpn-fw", false, &HOSTS);
	dispatch(rs, "eth0_in", true, NULL, NULL, false, "net-fw", false, &IFACES0);
	dispatch(rs, "eth0_out", false, NULL, "10.0.0.0/8", true, "fw-vpn", false, &HOSTS);
	dispatch(rs, "eth0_out", false, NULL, NULL, false, "fw-net", false, &IFACES0);

	tunnel_rules(rs, "fw-net", false, "198.51.100.2");
	r = add(rs, IR_FILTER, "fw-net", &POLICY);
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	tunnel_rules(rs, "net-fw", true, "198.51.100.2");
	r = add(rs, IR_FILTER, "net-fw", &RULES);
	ir_match_proto(r, 6);
	ir_match_dport(r, 22, 22, false);
	ir_match_limit(r, 3, IR_PER_MIN, 5);
	ir_target_log(r, 6, "Shorewall:net-fw:ACCEPT:", 0);

	dispatch(rs, "loc_frwd", false, "eth0", "10.0.0.0/8", true, "ACCEPT", false, &HOSTS);
	dispatch(rs, "loc_frwd", false, "eth0", NULL, false, "ACCEPT", false, &IFACES0);
	dispatch(rs, "net_frwd", false, "eth0", "10.0.0.0/8", true, "net-vpn", false, &HOSTS);
	dispatch(rs, "net_frwd", false, "eth1", NULL, false, "net-loc", false, &IFACES1);
	dispatch(rs, "vpn_frwd", false, "eth0", NULL, false, "vpn-net", false, &IFACES0);
	dispatch(rs, "vpn_frwd", false, "eth1", NULL, false, "ACCEPT", false, &IFACES1);
	static const struct { const char *chain; enum ir_target_kind t; } ends[] = {
		{ "net-fw", IRT_DROP }, { "net-loc", IRT_DROP }, { "net-vpn", IRT_DROP }, { "loc-fw", IRT_REJECT },
		{ "vpn-fw", IRT_REJECT }, { "vpn-net", IRT_REJECT }, { "fw-vpn", IRT_REJECT }, { "fw-net", IRT_REJECT },
	};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		r = add(rs, IR_FILTER, ends[i].chain, &POLICY);
		if (ends[i].t == IRT_REJECT)
			ir_target_reject(r, IR_REJECT_HOST_PROHIB);
		else
			ir_target_simple(r, ends[i].t);
	}
	/* a counting rule (no target) and a RETURN: fall-through and verdict survive a rollback copy */
	struct net4 doc = fx_net4("192.0.2.0/24");
	r = add(rs, IR_FILTER, "dynamic", &RULES);
	ir_match_src_net(r, &doc, false);
	r = add(rs, IR_FILTER, "dynamic", &RULES);
	ir_target_simple(r, IRT_RETURN);

	/* nat: masquerade the LAN outside IPsec, SNAT the second LAN inside it */
	r = add(rs, IR_NAT, "POSTROUTING", &SNAT1);
	ir_match_out(r, "eth0", false);
	jump(rs, r, "eth0_masq", false);
	struct net4 lan = fx_net4("192.168.1.0/24"), lan2 = fx_net4("192.168.2.0/24");
	r = add(rs, IR_NAT, "eth0_masq", &SNAT1);
	ir_match_src_net(r, &lan, false);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_masquerade(r, 0, 0, false);
	r = add(rs, IR_NAT, "eth0_masq", &SNAT2);
	ir_match_src_net(r, &lan2, false);
	struct ipsec_opt reqid = { IPSEC_REQID, false, "5", NULL }, mode = { IPSEC_MODE, false, "tunnel", &reqid };
	ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, &mode);
	struct ir_nat_range to;
	assert_true(ir_nat_range_parse("203.0.113.9", false, &to));
	ir_target_snat(r, &to, false, false);

	/* mangle: CLAMPMSS=Yes */
	r = add(rs, IR_MANGLE, "FORWARD", &CONF);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_tcpmss(r, 0);

	/* raw: no conntrack for loopback */
	r = add(rs, IR_RAW, "PREROUTING", &NOTRACK);
	ir_match_in(r, "lo", false);
	ir_target_simple(r, IRT_NOTRACK);
	r = add(rs, IR_RAW, "OUTPUT", &NOTRACK);
	ir_match_out(r, "lo", false);
	ir_target_simple(r, IRT_NOTRACK);
}

/* Another configuration: filter and nat only, other chains, a DNAT, a mangle mark. */
static void build_b(struct ruleset *rs)
{
	ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, "INPUT"), IR_POLICY_DROP);
	ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, "FORWARD"), IR_POLICY_DROP);
	struct ir_rule *r = add(rs, IR_FILTER, "INPUT", &IFACES0);
	ir_match_in(r, "eth0", false);
	jump(rs, r, "net2fw", false);
	r = add(rs, IR_FILTER, "INPUT", &IFACES1);
	ir_match_in(r, "lo", false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net2fw", &RULES);
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net2fw", &RULES);
	ir_match_proto(r, 6);
	static const struct ir_portrange ports[] = { { 22, 22 }, { 80, 80 }, { 443, 443 } };
	ir_match_dports(r, ports, 3, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net2fw", &POLICY);
	ir_target_reject(r, IR_REJECT_PORT_UNREACH);
	r = add(rs, IR_FILTER, "FORWARD", &IFACES0);
	ir_match_in(r, "eth1", false);
	ir_match_out(r, "eth0", false);
	ir_target_simple(r, IRT_ACCEPT);

	r = add(rs, IR_NAT, "PREROUTING", &RULES);
	ir_match_in(r, "eth0", false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8080, 8080, false);
	struct ir_nat_range to;
	assert_true(ir_nat_range_parse("192.168.1.3:80", false, &to));
	ir_target_dnat(r, &to, false, false);
	/* the port-changing DNAT's ACCEPT: the connection's original destination and port (conntrack) */
	struct net4 pub = fx_net4("198.51.100.9");
	r = add(rs, IR_FILTER, "FORWARD", &RULES);
	ir_match_in(r, "eth0", false);
	ir_match_dst_net(r, &(struct net4){ fx_ip4("192.168.1.3"), 32 }, false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 80, 80, false);
	ir_match_ctorigdst(r, &pub, false);
	ir_match_ctorigdstport(r, 8080, 8080, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "FORWARD", &RULES);
	ir_match_ctorigdst(r, &pub, true);
	ir_match_ctorigdstport(r, 3000, 3009, true);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_NAT, "PREROUTING", &RULES);
	ir_match_in(r, "eth1", false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 80, 80, false);
	ir_target_redirect(r, 3128, 3128, false);
	r = add(rs, IR_MANGLE, "PREROUTING", &CONF);
	ir_match_in(r, "eth1", false);
	ir_target_mark(r, IR_MARK_SET, 1, 0xff);
}

/* B plus a rule the kernel refuses in filter (TCPMSS without a SYN match), with rules around it. */
static void build_bad_mss(struct ruleset *rs)
{
	build_b(rs);
	struct ir_rule *r = add(rs, IR_FILTER, "FORWARD", &BAD_MSS);
	ir_match_proto(r, 6);
	ir_target_tcpmss(r, 1400);
	r = add(rs, IR_FILTER, "FORWARD", &IFACES1);
	ir_match_in(r, "eth0", false);
	ir_match_ctstate(r, IR_CT_ESTABLISHED, false);
	ir_target_simple(r, IRT_ACCEPT);
}

/* B plus MASQUERADE in PREROUTING, a hook it is not allowed in (nat commits before filter). */
static void build_bad_hook(struct ruleset *rs)
{
	build_b(rs);
	struct ir_rule *r = add(rs, IR_NAT, "PREROUTING", &BAD_HOOK);
	ir_match_in(r, "eth1", false);
	ir_target_masquerade(r, 0, 0, false);
	r = add(rs, IR_NAT, "PREROUTING", &RULES);
	ir_match_in(r, "eth2", false);
	ir_target_simple(r, IRT_ACCEPT);
}

/* B plus two rules libxtables refuses before the kernel sees anything: both reported in one run. */
static void build_bad_user(struct ruleset *rs)
{
	static const struct loc L9 = { "/etc/shorewall/rules", 9 }, L10 = { "/etc/shorewall/rules", 10 };
	build_b(rs);
	struct ir_rule *r = add(rs, IR_FILTER, "net2fw", &L9);
	ir_match_src_set(r, "swc-no-such-set", false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "net2fw", &L10);
	ir_target_log(r, 4, "two\nlines", 0);
}

/* n rules: zone-pair chains of 100 rules each, reached from FORWARD. */
static void build_big(struct ruleset *rs, unsigned n)
{
	ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, "FORWARD"), IR_POLICY_DROP);
	unsigned made = 0;
	for (unsigned c = 0; made < n; c++) {
		char name[32], in[16], out[16];
		snprintf(name, sizeof(name), "z%02u-z%02u", c / 10, c % 10);
		snprintf(in, sizeof(in), "eth%u", c / 10);
		snprintf(out, sizeof(out), "eth%u", c % 10);
		struct ir_rule *r = add(rs, IR_FILTER, "FORWARD", &IFACES0);
		ir_match_in(r, in, false);
		ir_match_out(r, out, false);
		ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
		jump(rs, r, name, false);
		made++;
		for (unsigned i = 0; i < 99 && made < n; i++, made++) {
			r = add(rs, IR_FILTER, name, &RULES);
			struct net4 src = { (10u << 24) | (c << 16) | (i << 8), 24 };
			ir_match_src_net(r, &src, false);
			if (i % 3 == 2) {
				ir_match_proto(r, 17);
				static const struct ir_portrange p[] = { { 53, 53 }, { 123, 123 }, { 5000, 5100 } };
				ir_match_dports(r, p, 3, false);
			} else {
				ir_match_proto(r, 6);
				ir_match_dport(r, (uint16_t)(1000 + i), (uint16_t)(1000 + i), false);
				ir_match_ctstate(r, IR_CT_NEW, false);
			}
			if (i % 10 == 9) {
				ir_match_limit(r, 5, IR_PER_MIN, 10);
				ir_target_log(r, 4, "Shorewall:big:", 0);
			} else {
				ir_target_simple(r, IRT_ACCEPT);
			}
		}
	}
}

static enum ir_table table_named(const char *s)
{
	for (int t = 0; t < IR_TABLE_COUNT; t++)
		if (strcmp(s, ir_table_name((enum ir_table)t)) == 0)
			return (enum ir_table)t;
	fail_msg("unknown table %s", s);
	return IR_FILTER;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_kernel_apply(void **state)
{
	const char *on = getenv("SWC_NETNS_TEST");
	if (!on || strcmp(on, "1") != 0)
		skip();             /* only inside a namespace made by tests/kernel/iptc-apply */
	const char *which = getenv("SWC_IPTC_RULESET");
	const char *restore = getenv("SWC_IPTC_RESTORE");
	const char *fail = getenv("SWC_IPTC_FAIL");
	const char *expect = getenv("SWC_IPTC_EXPECT");
	const char *wait = getenv("SWC_IPTC_WAIT_MS");
	const char *nrules = getenv("SWC_IPTC_RULES");
	const char *dry = getenv("SWC_IPTC_DRY_RUN");
	bool want_ok = !expect || strcmp(expect, "fail") != 0;
	assert_non_null(which);

	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, "/etc/shorewall");
	struct ruleset *rs = ir_ruleset_new(&c);
	bool bad = false;
	if (strcmp(which, "gateway") == 0)
		build_gateway(rs);
	else if (strcmp(which, "b") == 0)
		build_b(rs);
	else if (strcmp(which, "bad-mss") == 0) {
		bad = true;
		build_bad_mss(rs);
	} else if (strcmp(which, "bad-hook") == 0) {
		bad = true;
		build_bad_hook(rs);
	} else if (strcmp(which, "bad-user") == 0) {
		bad = true;
		build_bad_user(rs);
	} else if (strcmp(which, "big") == 0)
		build_big(rs, nrules ? (unsigned)strtoul(nrules, NULL, 10) : 10000);
	else
		fail_msg("unknown ruleset %s", which);
	/* the good rulesets are valid IR; the bad ones get past ir_validate on purpose */
	if (!bad)
		assert_int_equal(ir_validate(rs), 0);
	assert_int_equal(d.errors, 0);

	if (restore) {
		FILE *out = fopen(restore, "w");
		assert_non_null(out);
		assert_int_equal(emit_restore(rs, out), 0);
		assert_int_equal(fclose(out), 0);
	} else {
		struct iptc_options opt = { 0 };
		if (fail && *fail)
			opt.fail_commit = 1u << table_named(fail);
		if (wait)
			opt.wait_ms = (unsigned)strtoul(wait, NULL, 10);
		opt.dry_run = dry && strcmp(dry, "1") == 0;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = iptc_apply(rs, &d, &opt);
		double ms = ms_since(&t0);
		unsigned errors = d.errors;
		diag_flush(&d);
		if (rc == 0)
			printf("%s %zu rules in %.1f ms\n", opt.dry_run ? "built" : "applied", rs->nrules, ms);
		if (want_ok) {
			assert_int_equal(rc, 0);
			assert_int_equal(errors, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_true(errors > 0);
		}
	}
	compile_fini(&c);
	diag_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
