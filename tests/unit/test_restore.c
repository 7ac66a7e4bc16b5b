/* test_restore.c — the emitters: the seed gateway as restore text, deterministic bytes, quoting, dry run.
 *
 * With SWC_RESTORE_OUT=DIR in the environment it also writes the rulesets it builds to
 * DIR/<name>.rules, so tests/run-kernel can prove they load on both iptables backends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit/emit.h"
#include "graph.h"
#include "ir.h"
#include "ir_fixture.h"
#include "test_support.h"

/* The IR tests need a compile (arena, messages) and a ruleset, no graph. */

/* The restore text of rs, malloc'd. */
static char *restore_text(const struct ruleset *rs, struct restore_map *map)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(emit_restore_mapped(rs, out, map), 0);
	fclose(out);
	return buf;
}

/* Also leave the text where the kernel test looks for it. */
static void save_for_kernel(const char *name, const char *text)
{
	const char *dir = getenv("SWC_RESTORE_OUT");
	if (!dir || !*dir)
		return;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.rules", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* ---- the seed's gateway, System A (reference §2.5), as a builder would make it -------------------- */

/* POSTROUTING -o eth0 → eth0_masq, and there the LAN 192.168.1.0/24 masqueraded outside IPsec. */
static void masquerade_lan(struct ruleset *rs, const struct loc *loc)
{
	struct ir_rule *r = add(rs, IR_NAT, "POSTROUTING", loc);
	ir_match_out(r, "eth0", false);
	jump(rs, r, "eth0_masq", false);
	struct net4 lan = fx_net4("192.168.1.0/24");
	r = add(rs, IR_NAT, "eth0_masq", loc);
	ir_match_src_net(r, &lan, false);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_masquerade(r, 0, 0, false);
}

/* CLAMPMSS=Yes: forwarded SYNs outside IPsec get the path MTU's MSS. */
static void clamp_mss(struct ruleset *rs, const struct loc *loc)
{
	struct ir_rule *r = add(rs, IR_MANGLE, "FORWARD", loc);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_tcpmss(r, 0);
}

static void build_gateway(struct ruleset *rs, bool reverse_chains)
{
	/* A builder may create chains in any order; the bytes must not care. */
	static const char *const users[] = {
		"dynamic", "eth0_fwd", "eth0_in", "eth0_out", "fw-net", "fw-vpn", "loc-fw", "loc_frwd", "net-fw",
		"net-loc", "net-vpn", "net_frwd", "tcpflags", "vpn-fw", "vpn-net", "vpn_frwd",
	};
	size_t nu = sizeof(users) / sizeof(users[0]);
	for (size_t i = 0; i < nu; i++)
		ir_chain_get(rs, IR_FILTER, users[reverse_chains ? nu - 1 - i : i]);
	if (reverse_chains)
		ir_chain_get(rs, IR_NAT, "eth0_masq");

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
	dispatch(rs, "eth0_fwd", true, NULL, "10.0.0.0/8", true, "vpn_frwd", true, &HOSTS);
	dispatch(rs, "eth0_fwd", true, NULL, "134.28.54.2", true, "vpn_frwd", true, &HOSTS);
	dispatch(rs, "eth0_fwd", true, NULL, NULL, false, "net_frwd", false, &IFACES0);
	dispatch(rs, "eth0_in", true, NULL, "10.0.0.0/8", true, "vpn-fw", false, &HOSTS);
	dispatch(rs, "eth0_in", true, NULL, NULL, false, "net-fw", false, &IFACES0);
	dispatch(rs, "eth0_out", false, NULL, "10.0.0.0/8", true, "fw-vpn", false, &HOSTS);
	dispatch(rs, "eth0_out", false, NULL, NULL, false, "fw-net", false, &IFACES0);

	tunnel_rules(rs, "fw-net", false, "134.28.54.2");
	r = add(rs, IR_FILTER, "fw-net", &POLICY);
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	tunnel_rules(rs, "net-fw", true, "134.28.54.2");

	dispatch(rs, "loc_frwd", false, "eth0", "10.0.0.0/8", true, "ACCEPT", false, &HOSTS);
	dispatch(rs, "loc_frwd", false, "eth0", NULL, false, "ACCEPT", false, &IFACES0);
	dispatch(rs, "net_frwd", false, "eth0", "10.0.0.0/8", true, "net-vpn", false, &HOSTS);
	dispatch(rs, "net_frwd", false, "eth1", NULL, false, "net-loc", false, &IFACES1);
	dispatch(rs, "vpn_frwd", false, "eth0", NULL, false, "vpn-net", false, &IFACES0);
	dispatch(rs, "vpn_frwd", false, "eth1", NULL, false, "ACCEPT", false, &IFACES1);

	/* the policies' verdicts, so no chain is left to fall through */
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

	/* gwA2's nat and mangle lines: snat with the IPSEC column, CLAMPMSS=Yes */
	masquerade_lan(rs, &SNAT1);
	struct net4 s2 = fx_net4("192.168.2.0/24");
	r = add(rs, IR_NAT, "eth0_masq", &SNAT2);
	ir_match_src_net(r, &s2, false);
	struct ipsec_opt reqid = { IPSEC_REQID, false, "5", NULL }, mode = { IPSEC_MODE, false, "tunnel", &reqid };
	ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, &mode);
	struct ir_nat_range to;
	assert_true(ir_nat_range_parse("206.162.148.9", false, &to));
	ir_target_snat(r, &to, false, false);
	clamp_mss(rs, &CONF);
	r = add(rs, IR_MANGLE, "FORWARD", &CONF);
	ir_target_mark(r, IR_MARK_SET, 0, 0xff);
}

static const char gateway_expected[] =
	"*mangle\n"
	":PREROUTING ACCEPT [0:0]\n"
	":INPUT ACCEPT [0:0]\n"
	":FORWARD ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	":POSTROUTING ACCEPT [0:0]\n"
	"-A FORWARD -p tcp --tcp-flags SYN,RST SYN -m policy --dir out --pol none -j TCPMSS --clamp-mss-to-pmtu\n"
	"-A FORWARD -j MARK --set-mark 0x0/0xff\n"
	"COMMIT\n"
	"*nat\n"
	":PREROUTING ACCEPT [0:0]\n"
	":INPUT ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	":POSTROUTING ACCEPT [0:0]\n"
	":eth0_masq - [0:0]\n"
	"-A POSTROUTING -o eth0 -j eth0_masq\n"
	"-A eth0_masq -s 192.168.1.0/24 -m policy --dir out --pol none -j MASQUERADE\n"
	"-A eth0_masq -s 192.168.2.0/24 -m policy --dir out --pol ipsec --mode tunnel --reqid 5 -j SNAT --to-source 206.162.148.9\n"
	"COMMIT\n"
	"*filter\n"
	":INPUT DROP [0:0]\n"
	":FORWARD DROP [0:0]\n"
	":OUTPUT DROP [0:0]\n"
	":dynamic - [0:0]\n"
	":eth0_fwd - [0:0]\n"
	":eth0_in - [0:0]\n"
	":eth0_out - [0:0]\n"
	":fw-net - [0:0]\n"
	":fw-vpn - [0:0]\n"
	":loc-fw - [0:0]\n"
	":loc_frwd - [0:0]\n"
	":net-fw - [0:0]\n"
	":net-loc - [0:0]\n"
	":net-vpn - [0:0]\n"
	":net_frwd - [0:0]\n"
	":tcpflags - [0:0]\n"
	":vpn-fw - [0:0]\n"
	":vpn-net - [0:0]\n"
	":vpn_frwd - [0:0]\n"
	"-A INPUT -i eth0 -j eth0_in\n"
	"-A INPUT -i eth1 -m policy --dir in --pol none -j loc-fw\n"
	"-A FORWARD -i eth0 -j eth0_fwd\n"
	"-A FORWARD -i eth1 -m policy --dir in --pol none -j loc_frwd\n"
	"-A OUTPUT -o eth0 -j eth0_out\n"
	"-A eth0_fwd -m conntrack --ctstate NEW,INVALID,UNTRACKED -j dynamic\n"
	"-A eth0_fwd -p tcp -m policy --dir in --pol none -j tcpflags\n"
	"-A eth0_fwd -s 10.0.0.0/8 -m policy --dir in --pol ipsec -g vpn_frwd\n"
	"-A eth0_fwd -s 134.28.54.2 -m policy --dir in --pol ipsec -g vpn_frwd\n"
	"-A eth0_fwd -m policy --dir in --pol none -j net_frwd\n"
	"-A eth0_in -s 10.0.0.0/8 -m policy --dir in --pol ipsec -j vpn-fw\n"
	"-A eth0_in -m policy --dir in --pol none -j net-fw\n"
	"-A eth0_out -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j fw-vpn\n"
	"-A eth0_out -m policy --dir out --pol none -j fw-net\n"
	"-A fw-net -d 134.28.54.2 -p 50 -j ACCEPT\n"
	"-A fw-net -d 134.28.54.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
	"-A fw-net -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
	"-A fw-net -j REJECT --reject-with icmp-host-prohibited\n"
	"-A fw-vpn -j REJECT --reject-with icmp-host-prohibited\n"
	"-A loc-fw -j REJECT --reject-with icmp-host-prohibited\n"
	"-A loc_frwd -o eth0 -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j ACCEPT\n"
	"-A loc_frwd -o eth0 -m policy --dir out --pol none -j ACCEPT\n"
	"-A net-fw -s 134.28.54.2 -p 50 -j ACCEPT\n"
	"-A net-fw -s 134.28.54.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
	"-A net-fw -j DROP\n"
	"-A net-loc -j DROP\n"
	"-A net-vpn -j DROP\n"
	"-A net_frwd -o eth0 -d 10.0.0.0/8 -m policy --dir out --pol ipsec -j net-vpn\n"
	"-A net_frwd -o eth1 -m policy --dir out --pol none -j net-loc\n"
	"-A vpn-fw -j REJECT --reject-with icmp-host-prohibited\n"
	"-A vpn-net -j REJECT --reject-with icmp-host-prohibited\n"
	"-A vpn_frwd -o eth0 -m policy --dir out --pol none -j vpn-net\n"
	"-A vpn_frwd -o eth1 -m policy --dir out --pol none -j ACCEPT\n"
	"COMMIT\n";

static void test_gateway(void **state)
{
	struct irfx *f = *state;
	build_gateway(f->rs, false);
	assert_int_equal(ir_validate(f->rs), 0);
	assert_int_equal(f->d.errors, 0);
	struct restore_map map = { { NULL, 0, 0 } };
	char *text = restore_text(f->rs, &map);
	assert_string_equal(text, gateway_expected);
	save_for_kernel("gateway-a", text);
	/* the map: line N holds the rule that printed it, and that rule knows its config line */
	size_t lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(map.line.n, lines);
	assert_null(map.line.v[0]);                         /* *mangle */
	assert_non_null(map.line.v[6]);                     /* line 7: the TCPMSS rule */
	assert_string_equal(map.line.v[6]->loc.file, "/etc/shorewall/shorewall.conf");
	assert_int_equal(map.line.v[6]->loc.line, 40);
	const struct ir_rule *last = map.line.v[lines - 2];
	assert_string_equal(last->chain->name, "vpn_frwd");
	assert_int_equal(last->loc.line, 2);
	assert_null(map.line.v[lines - 1]);                 /* COMMIT */
	/* references: vpn_frwd is reached twice, eth0_masq once */
	assert_int_equal(ir_chain_find(f->rs, IR_FILTER, "vpn_frwd")->refs, 2);
	assert_int_equal(ir_chain_find(f->rs, IR_NAT, "eth0_masq")->refs, 1);
	free(text);
}

/* The same configuration built in another order gives the same bytes. */
static void test_deterministic(void **state)
{
	struct irfx *f = *state;
	struct compile c2;
	compile_init(&c2, &f->d, "/nonexistent");
	struct ruleset *rs2 = ir_ruleset_new(&c2);
	build_gateway(f->rs, false);
	build_gateway(rs2, true);
	assert_int_not_equal(ir_chain_find(f->rs, IR_FILTER, "vpn_frwd")->seq,
			     ir_chain_find(rs2, IR_FILTER, "vpn_frwd")->seq);
	char *a = restore_text(f->rs, NULL), *b = restore_text(rs2, NULL), *a2 = restore_text(f->rs, NULL);
	assert_string_equal(a, b);
	assert_string_equal(a, a2);
	free(a);
	free(a2);
	free(b);
	compile_fini(&c2);
}

static void test_empty(void **state)
{
	struct irfx *f = *state;
	char *text = restore_text(f->rs, NULL);
	assert_string_equal(text, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
	free(text);
	/* a table appears once it has a policy, a chain or a rule; deleted chains vanish */
	ir_chain_set_policy(ir_chain_get(f->rs, IR_RAW, "OUTPUT"), IR_POLICY_DROP);
	struct ir_chain *gone = ir_chain_get(f->rs, IR_NAT, "gone");
	assert_true(ir_chain_delete(gone));
	text = restore_text(f->rs, NULL);
	assert_string_equal(text, "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT DROP [0:0]\nCOMMIT\n"
				  "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
	free(text);
}

static void test_quoting(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f->rs, IR_FILTER, "INPUT", &POLICY);
	ir_rule_comment(r, "say \"hi\" \\ there");
	ir_target_log(r, 6, "net-fw DROP ", 0);
	r = add(f->rs, IR_FILTER, "INPUT", &POLICY);
	ir_rule_comment(r, "back\\slash");          /* no blank, no quote: bare, backslash kept */
	char *text = restore_text(f->rs, NULL);
	assert_non_null(strstr(text, "-A INPUT -m comment --comment \"say \\\"hi\\\" \\\\ there\" "
				     "-j LOG --log-level 6 --log-prefix \"net-fw DROP \"\n"));
	assert_non_null(strstr(text, "-A INPUT -m comment --comment back\\slash\n"));
	free(text);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	emit_restore_token(out, "");
	emit_restore_token(out, "a\tb");
	fclose(out);
	assert_string_equal(buf, "\"\"\"a\tb\"");
	free(buf);
}

static void test_null(void **state)
{
	struct irfx *f = *state;
	build_gateway(f->rs, false);
	struct emit_stats s;
	assert_int_equal(emit_null(f->rs, &s), 0);
	assert_int_equal(s.tables, 3);
	assert_int_equal(s.rules, f->rs->nrules);
	assert_int_equal(s.rules_in[IR_FILTER], 33);
	assert_int_equal(s.rules_in[IR_NAT], 3);
	assert_int_equal(s.rules_in[IR_MANGLE], 2);
	assert_int_equal(s.chains, 5 + 5 + 3 + 16);
	assert_true(s.tokens > s.rules * 2);
	assert_int_equal(emit_null(f->rs, NULL), 0);
}

/* A failing op stops the walk and calls abort exactly once. */
struct failing {
	unsigned rules, aborts, ends;
};

static int f_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct failing *x = ctx;
	return ++x->rules == 3 ? -1 : 0;
}

static int f_end(void *ctx)
{
	((struct failing *)ctx)->ends++;
	return 0;
}

static void f_abort(void *ctx)
{
	((struct failing *)ctx)->aborts++;
}

static void test_abort(void **state)
{
	struct irfx *f = *state;
	build_gateway(f->rs, false);
	static const struct emitter_ops ops = { .name = "failing", .rule = f_rule, .end = f_end, .abort = f_abort };
	struct failing x = { 0, 0, 0 };
	assert_int_equal(emit_ruleset(f->rs, &ops, &x), -1);
	assert_int_equal(x.rules, 3);
	assert_int_equal(x.aborts, 1);
	assert_int_equal(x.ends, 0);
}

/* ---- every match and target kind the kernel here offers, placed where the kernel accepts it ---- */

static void build_all_kinds(struct ruleset *rs)
{
	static const struct loc R = { "/etc/shorewall/rules", 3 };
	struct ir_rule *r;
	struct net4 n10 = fx_net4("10.0.0.0/8"), gw = fx_net4("134.28.54.2"), mc = fx_net4("224.0.0.0/4");

	/* raw */
	r = add(rs, IR_RAW, "PREROUTING", &R);
	ir_match_in(r, "eth1", false);
	ir_match_proto(r, 17);
	ir_match_dport(r, 53, 53, false);
	ir_rule_comment(r, "notrack dns");
	ir_target_simple(r, IRT_NOTRACK);

	/* mangle */
	r = add(rs, IR_MANGLE, "PREROUTING", &R);
	ir_match_connmark(r, 0, 0xff, true);
	ir_target_connmark(r, IR_MARK_RESTORE, 0, 0xff);
	jump(rs, add(rs, IR_MANGLE, "PREROUTING", &R), "tcpre", false);
	r = add(rs, IR_MANGLE, "tcpre", &R);
	ir_match_in(r, "eth0", false);
	ir_match_mark(r, 0, 0xff, false);
	ir_target_mark(r, IR_MARK_SET, 1, 0xff);
	r = add(rs, IR_MANGLE, "tcpre", &R);
	ir_match_mark(r, 1, 0xff, false);
	ir_target_connmark(r, IR_MARK_SAVE, 0, 0xff);
	r = add(rs, IR_MANGLE, "tcpre", &R);
	ir_target_mark(r, IR_MARK_OR, 0x100, 0);
	clamp_mss(rs, &R);
	r = add(rs, IR_MANGLE, "FORWARD", &R);
	ir_match_out(r, "eth0", false);
	ir_match_proto(r, 6);
	ir_match_syn(r);
	ir_match_tcpmss(r, 1400, 65535, false);
	ir_target_tcpmss(r, 1400);
	r = add(rs, IR_MANGLE, "OUTPUT", &R);
	ir_match_owner(r, 0, -1, false);
	ir_target_mark(r, IR_MARK_SET, 2, 0xff);

	/* nat */
	struct ir_nat_range to;
	r = add(rs, IR_NAT, "PREROUTING", &R);
	ir_match_in(r, "eth0", false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 80, 80, false);
	assert_true(ir_nat_range_parse("192.168.1.5:8080", false, &to));
	ir_target_dnat(r, &to, false, false);
	r = add(rs, IR_NAT, "PREROUTING", &R);
	ir_match_in(r, "eth1", false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 80, 80, false);
	ir_target_redirect(r, 3128, 3128, false);
	r = add(rs, IR_NAT, "PREROUTING", &R);
	ir_match_in(r, "eth0", false);
	jump(rs, r, "net_dnat", false);
	r = add(rs, IR_NAT, "net_dnat", &R);
	struct net4 pub = fx_net4("198.51.100.1");
	ir_match_dst_net(r, &pub, false);
	assert_true(ir_nat_range_parse("192.168.1.7-192.168.1.9", false, &to));
	ir_target_dnat(r, &to, true, true);
	r = add(rs, IR_NAT, "OUTPUT", &R);
	ir_match_proto(r, 17);
	ir_match_dport(r, 53, 53, false);
	assert_true(ir_nat_range_parse(":5353", false, &to));
	ir_target_dnat(r, &to, false, false);
	masquerade_lan(rs, &R);
	struct net4 s3 = fx_net4("192.168.3.0/24");
	r = add(rs, IR_NAT, "eth0_masq", &R);
	ir_match_src_net(r, &s3, false);
	ir_match_proto(r, 6);
	ir_target_masquerade(r, 1024, 65535, true);
	r = add(rs, IR_NAT, "eth0_masq", &R);
	ir_match_src_range(r, fx_ip4("10.1.1.1"), fx_ip4("10.1.1.9"), false);
	assert_true(ir_nat_range_parse("203.0.113.1-203.0.113.5", false, &to));
	ir_target_snat(r, &to, false, true);

	/* filter */
	struct ir_chain *in = ir_chain_get(rs, IR_FILTER, "INPUT");
	ir_chain_set_policy(in, IR_POLICY_DROP);
	ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, "FORWARD"), IR_POLICY_DROP);
	r = add(rs, IR_FILTER, "INPUT", &R);
	ir_match_in(r, "lo", false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "INPUT", &R);
	ir_match_in(r, "eth0", false);
	jump(rs, r, "eth0_in", false);
	r = add(rs, IR_FILTER, "INPUT", &R);
	ir_match_addrtype(r, IR_DST, IR_AT_BROADCAST | IR_AT_MULTICAST, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "INPUT", &R);
	ir_match_hashlimit(r, 1, IR_PER_SEC, 10, IR_HL_SRCIP, "lograte");
	ir_target_log(r, 6, "INPUT REJECT ", IR_LOG_TCP_OPT);
	ir_target_goto(add(rs, IR_FILTER, "INPUT", &R), ir_chain_get(rs, IR_FILTER, "reject"));

	struct ipsec_opt o6 = { IPSEC_MODE, false, "transport", NULL }, o5 = { IPSEC_NEXT, false, NULL, &o6 },
			 o4 = { IPSEC_TUNNEL_SRC, false, "134.28.54.2", &o5 }, o3 = { IPSEC_PROTO, false, "esp", &o4 },
			 o2 = { IPSEC_REQID, false, "10", &o3 }, o1 = { IPSEC_STRICT, false, NULL, &o2 },
			 o0 = { IPSEC_MODE, false, "tunnel", &o1 };
	r = add(rs, IR_FILTER, "eth0_in", &HOSTS);
	ir_match_src_net(r, &n10, false);
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, &o0);
	jump(rs, r, "vpn-fw", false);
	r = add(rs, IR_FILTER, "eth0_in", &IFACES0);
	ir_match_proto(r, 17);
	ir_match_dport(r, 67, 68, false);
	ir_target_simple(r, IRT_ACCEPT);
	struct ipsec_opt ni = { IPSEC_SPI, true, "0x1000", NULL };
	r = add(rs, IR_FILTER, "eth0_in", &IFACES0);
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, &ni);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "eth0_in", &IFACES0);
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	jump(rs, r, "net-fw", false);

	r = add(rs, IR_FILTER, "net-fw", &TUN);
	ir_match_src_net(r, &gw, false);
	ir_match_proto(r, 50);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &TUN);
	ir_match_src_net(r, &gw, false);
	ir_match_proto(r, 51);
	ir_target_simple(r, IRT_ACCEPT);
	struct ir_portrange ike[] = { { 500, 500 }, { 4500, 4500 } };
	r = add(rs, IR_FILTER, "net-fw", &TUN);
	ir_match_proto(r, 17);
	ir_match_dports(r, ike, 2, false);
	ir_match_ctstate(r, IR_CT_NEW | IR_CT_UNTRACKED, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 22, 22, false);
	ir_match_ctstate(r, IR_CT_NEW, false);
	ir_match_recent(r, IR_RECENT_SET, "ssh", 0, 0, false, false);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 22, 22, false);
	ir_match_recent(r, IR_RECENT_UPDATE, "ssh", 60, 4, false, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 22, 22, false);
	ir_match_connlimit(r, 3, 24, false, false);
	ir_target_reject(r, IR_REJECT_TCP_RESET);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_syn(r)->invert = true;
	ir_match_ctstate(r, IR_CT_NEW, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 1);
	ir_match_icmp(r, 8, -1);
	ir_match_limit(r, 3, IR_PER_SEC, 10);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 1);
	ir_match_icmp(r, 3, 4);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	struct ir_time t = { .start = 8 * 3600, .stop = 17 * 3600, .weekdays = 0x1f, .monthdays = 0,
			     .datestart = 0, .datestop = 0, .kerneltz = false };
	ir_match_proto(r, 6);
	ir_match_sports(r, (struct ir_portrange[]){ { 1024, 65535 } }, 1, false);
	ir_match_dports(r, (struct ir_portrange[]){ { 80, 80 }, { 443, 443 }, { 8000, 8099 } }, 3, false);
	ir_match_time(r, &t);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_helper(r, "ftp", false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_mac_source(r, (const uint8_t[6]){ 0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc }, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 3128, 3128, false);
	ir_match_ctorigdst(r, &(struct net4){ 0xc0a80101, 32 }, true);
	ir_match_ctorigdstport(r, 80, 80, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 132);
	ir_match_dport(r, 9, 9, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 33);
	ir_match_sport(r, 5, 5, true);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_mark(r, 1, 0xff, true);
	ir_target_nflog(r, 1, "net-fw", 0);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8080, 8080, false);
	ir_rule_comment(r, "with \"quotes\", a \\ and spaces");
	ir_target_nfqueue(r, 0, 3, true);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8081, 8081, false);
	ir_target_simple(r, IRT_QUEUE);
	r = add(rs, IR_FILTER, "net-fw", &R);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8082, 8082, false);
	ir_target_nfqueue(r, 7, 0, false);
	ir_target_simple(add(rs, IR_FILTER, "net-fw", &POLICY), IRT_DROP);

	r = add(rs, IR_FILTER, "vpn-fw", &R);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	ir_match_tcpmss(r, 1400, 65535, false);
	ir_target_tcpmss(r, 1400);
	ir_target_simple(add(rs, IR_FILTER, "vpn-fw", &POLICY), IRT_ACCEPT);

	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_addrtype(r, IR_SRC, IR_AT_BROADCAST, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_src_net(r, &mc, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_proto(r, 2);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_proto(r, 6);
	ir_target_reject(r, IR_REJECT_TCP_RESET);
	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_proto(r, 17);
	ir_target_reject(r, IR_REJECT_PORT_UNREACH);
	r = add(rs, IR_FILTER, "reject", &POLICY);
	ir_match_proto(r, 1);
	ir_target_reject(r, IR_REJECT_HOST_UNREACH);
	ir_target_reject(add(rs, IR_FILTER, "reject", &POLICY), IR_REJECT_HOST_PROHIB);

	r = add(rs, IR_FILTER, "FORWARD", &R);
	ir_match_in(r, "eth1", true);
	ir_match_out(r, "ppp+", false);
	ir_match_dst_range(r, fx_ip4("192.0.2.10"), fx_ip4("192.0.2.20"), true);
	jump(rs, r, "fwd_check", false);
	r = add(rs, IR_FILTER, "fwd_check", &R);
	ir_match_dst_net(r, &n10, true);
	ir_target_simple(r, IRT_RETURN);
	r = add(rs, IR_FILTER, "fwd_check", &R);
	ir_match_ctstate(r, IR_CT_INVALID, false);
	ir_target_simple(r, IRT_DROP);
	r = add(rs, IR_FILTER, "OUTPUT", &R);
	ir_match_owner(r, 1000, 100, true);
	ir_match_out(r, "eth0", false);
	ir_target_simple(r, IRT_ACCEPT);
	/* Shorewall's marker chain: a rule with no target */
	r = add(rs, IR_FILTER, "shorewall", &CONF);
	ir_match_recent(r, IR_RECENT_SET, "%CURRENTTIME", 0, 0, false, false);
}

static const char all_kinds_expected[] =
	"*raw\n"
	":PREROUTING ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	"-A PREROUTING -i eth1 -p udp --dport 53 -m comment --comment \"notrack dns\" -j CT --notrack\n"
	"COMMIT\n"
	"*mangle\n"
	":PREROUTING ACCEPT [0:0]\n"
	":INPUT ACCEPT [0:0]\n"
	":FORWARD ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	":POSTROUTING ACCEPT [0:0]\n"
	":tcpre - [0:0]\n"
	"-A PREROUTING -m connmark ! --mark 0x0/0xff -j CONNMARK --restore-mark --mask 0xff\n"
	"-A PREROUTING -j tcpre\n"
	"-A FORWARD -p tcp --tcp-flags SYN,RST SYN -m policy --dir out --pol none -j TCPMSS --clamp-mss-to-pmtu\n"
	"-A FORWARD -o eth0 -p tcp --syn -m tcpmss --mss 1400: -j TCPMSS --set-mss 1400\n"
	"-A OUTPUT -m owner --uid-owner 0 -j MARK --set-mark 0x2/0xff\n"
	"-A tcpre -i eth0 -m mark --mark 0x0/0xff -j MARK --set-mark 0x1/0xff\n"
	"-A tcpre -m mark --mark 0x1/0xff -j CONNMARK --save-mark --mask 0xff\n"
	"-A tcpre -j MARK --or-mark 0x100\n"
	"COMMIT\n"
	"*nat\n"
	":PREROUTING ACCEPT [0:0]\n"
	":INPUT ACCEPT [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	":POSTROUTING ACCEPT [0:0]\n"
	":eth0_masq - [0:0]\n"
	":net_dnat - [0:0]\n"
	"-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.5:8080\n"
	"-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n"
	"-A PREROUTING -i eth0 -j net_dnat\n"
	"-A OUTPUT -p udp --dport 53 -j DNAT --to-destination :5353\n"
	"-A POSTROUTING -o eth0 -j eth0_masq\n"
	"-A eth0_masq -s 192.168.1.0/24 -m policy --dir out --pol none -j MASQUERADE\n"
	"-A eth0_masq -s 192.168.3.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535 --random\n"
	"-A eth0_masq -m iprange --src-range 10.1.1.1-10.1.1.9 -j SNAT --to-source 203.0.113.1-203.0.113.5 --persistent\n"
	"-A net_dnat -d 198.51.100.1 -j DNAT --to-destination 192.168.1.7-192.168.1.9 --random --persistent\n"
	"COMMIT\n"
	"*filter\n"
	":INPUT DROP [0:0]\n"
	":FORWARD DROP [0:0]\n"
	":OUTPUT ACCEPT [0:0]\n"
	":eth0_in - [0:0]\n"
	":fwd_check - [0:0]\n"
	":net-fw - [0:0]\n"
	":reject - [0:0]\n"
	":shorewall - [0:0]\n"
	":vpn-fw - [0:0]\n"
	"-A INPUT -i lo -j ACCEPT\n"
	"-A INPUT -i eth0 -j eth0_in\n"
	"-A INPUT -m addrtype --dst-type BROADCAST,MULTICAST -j DROP\n"
	"-A INPUT -m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 10 --hashlimit-name lograte --hashlimit-mode srcip "
	"-j LOG --log-level 6 --log-prefix \"INPUT REJECT \" --log-tcp-options\n"
	"-A INPUT -g reject\n"
	"-A FORWARD ! -i eth1 -o ppp+ -m iprange ! --dst-range 192.0.2.10-192.0.2.20 -j fwd_check\n"
	"-A OUTPUT -o eth0 -m owner ! --uid-owner 1000 ! --gid-owner 100 -j ACCEPT\n"
	"-A eth0_in -s 10.0.0.0/8 -m policy --dir in --pol ipsec --strict --mode tunnel --reqid 10 --proto esp "
	"--tunnel-src 134.28.54.2 --next --mode transport -j vpn-fw\n"
	"-A eth0_in -p udp --dport 67:68 -j ACCEPT\n"
	"-A eth0_in -m policy --dir in --pol ipsec ! --spi 4096 -j DROP\n"
	"-A eth0_in -m policy --dir in --pol none -j net-fw\n"
	"-A fwd_check ! -d 10.0.0.0/8 -j RETURN\n"
	"-A fwd_check -m conntrack --ctstate INVALID -j DROP\n"
	"-A net-fw -s 134.28.54.2 -p 50 -j ACCEPT\n"
	"-A net-fw -s 134.28.54.2 -p 51 -j ACCEPT\n"
	"-A net-fw -p udp -m multiport --dports 500,4500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
	"-A net-fw -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
	"-A net-fw -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name ssh\n"
	"-A net-fw -p tcp --dport 22 -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP\n"
	"-A net-fw -p tcp --dport 22 -m connlimit --connlimit-above 3 --connlimit-mask 24 -j REJECT --reject-with tcp-reset\n"
	"-A net-fw -p tcp ! --syn -m conntrack --ctstate NEW -j DROP\n"
	"-A net-fw -p icmp --icmp-type 8 -m limit --limit 3/sec --limit-burst 10 -j ACCEPT\n"
	"-A net-fw -p icmp --icmp-type 3/4 -j ACCEPT\n"
	"-A net-fw -p tcp --sport 1024:65535 -m multiport --dports 80,443,8000:8099 "
	"-m time --timestart 08:00:00 --timestop 17:00:00 --weekdays Mon,Tue,Wed,Thu,Fri -j ACCEPT\n"
	"-A net-fw -m helper --helper ftp -j ACCEPT\n"
	"-A net-fw -m mac --mac-source 00:11:22:AA:BB:CC -j ACCEPT\n"
	"-A net-fw -p tcp --dport 3128 -m conntrack ! --ctorigdst 192.168.1.1 -m conntrack --ctorigdstport 80 -j ACCEPT\n"
	"-A net-fw -p sctp --dport 9 -j ACCEPT\n"
	"-A net-fw -p dccp ! --sport 5 -j DROP\n"
	"-A net-fw -m mark ! --mark 0x1/0xff -j NFLOG --nflog-group 1 --nflog-prefix net-fw\n"
	"-A net-fw -p tcp --dport 8080 -m comment --comment \"with \\\"quotes\\\", a \\\\ and spaces\" "
	"-j NFQUEUE --queue-balance 0:3 --queue-bypass\n"
	"-A net-fw -p tcp --dport 8081 -j NFQUEUE --queue-num 0\n"
	"-A net-fw -p tcp --dport 8082 -j NFQUEUE --queue-num 7\n"
	"-A net-fw -j DROP\n"
	"-A reject -m addrtype --src-type BROADCAST -j DROP\n"
	"-A reject -s 224.0.0.0/4 -j DROP\n"
	"-A reject -p 2 -j DROP\n"
	"-A reject -p tcp -j REJECT --reject-with tcp-reset\n"
	"-A reject -p udp -j REJECT\n"
	"-A reject -p icmp -j REJECT --reject-with icmp-host-unreachable\n"
	"-A reject -j REJECT --reject-with icmp-host-prohibited\n"
	"-A shorewall -m recent --set --name %CURRENTTIME\n"
	"-A vpn-fw -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1400: -j TCPMSS --set-mss 1400\n"
	"-A vpn-fw -j ACCEPT\n"
	"COMMIT\n";

static void test_all_kinds(void **state)
{
	struct irfx *f = *state;
	build_all_kinds(f->rs);
	assert_int_equal(ir_validate(f->rs), 0);
	assert_int_equal(f->d.errors, 0);
	char *text = restore_text(f->rs, NULL);
	save_for_kernel("all-kinds", text);
	assert_string_equal(text, all_kinds_expected);
	/* every match kind and every target kind appear (sets only as -m iprange's sibling kinds: the
	 * address kinds share IRM_SRC/IRM_DST, and a set must exist before a rule can name it) */
	bool seen_m[IRM_COUNT] = { false }, seen_t[IRT_COUNT] = { false };
	for (int t = 0; t < IR_TABLE_COUNT; t++)
		for (size_t i = 0; i < f->rs->chains[t].n; i++)
			for (size_t j = 0; j < f->rs->chains[t].v[i]->rules.n; j++) {
				const struct ir_rule *r = f->rs->chains[t].v[i]->rules.v[j];
				seen_t[r->target.kind] = true;
				for (const struct ir_match *m = r->matches; m; m = m->next)
					seen_m[m->kind] = true;
			}
	for (int k = 0; k < IRM_COUNT; k++)
		assert_true(seen_m[k]);
	for (int k = 0; k < IRT_COUNT; k++)
		assert_true(seen_t[k] || k == IRT_QUEUE);      /* QUEUE is stored as NFQUEUE 0 */
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gateway, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_empty, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_quoting, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_null, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_abort, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_all_kinds, irfx_setup, irfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
