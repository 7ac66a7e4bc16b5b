/* test_iptc.c — the libiptc emitter's entry builder: IR rules through libxtables into ipt_entry blobs, no kernel tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiptc/libiptc.h>
#include <linux/netfilter/xt_TCPMSS.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ipt_REJECT.h>

#include "compile.h"
#include "emit/iptc.h"
#include "ir.h"
#include "test_support.h"

struct irfx {
	struct diag d;
	struct compile c;
	struct ruleset *rs;
	struct ir_argv argv;
};

static int setup(void **state)
{
	struct irfx *f = test_calloc(1, sizeof(*f));
	diag_init(&f->d);
	compile_init(&f->c, &f->d, "/nonexistent");
	f->rs = ir_ruleset_new(&f->c);
	ir_argv_init(&f->argv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct irfx *f = *state;
	ir_argv_fini(&f->argv);
	compile_fini(&f->c);
	diag_fini(&f->d);
	test_free(f);
	return 0;
}

static const struct loc RULES7 = { "/etc/shorewall/rules", 7 };

static struct ir_rule *add(struct irfx *f, enum ir_table t, const char *chain)
{
	return ir_rule_append(ir_chain_get(f->rs, t, chain), &RULES7);
}

/* Build r's entry; it must succeed. */
static struct ipt_entry *entry(struct irfx *f, const struct ir_rule *r)
{
	ir_argv_render(&f->argv, r);
	struct ipt_entry *e = iptc_rule_entry(r, &f->argv, &f->d);
	if (!e)
		diag_flush(&f->d);
	assert_non_null(e);
	assert_int_equal(f->d.errors, 0);
	/* the layout libiptc expects: matches between the header and the target, sizes adding up */
	assert_true(e->target_offset >= sizeof(struct ipt_entry));
	assert_true(e->next_offset > e->target_offset);
	assert_int_equal(e->next_offset - e->target_offset, ipt_get_target(e)->u.target_size);
	return e;
}

/* The i-th match of e, or NULL. */
static const struct xt_entry_match *match_at(const struct ipt_entry *e, unsigned i)
{
	size_t off = sizeof(struct ipt_entry);
	while (off < e->target_offset) {
		const struct xt_entry_match *m = (const void *)((const char *)e + off);
		assert_true(m->u.match_size > 0);
		if (i-- == 0)
			return m;
		off += m->u.match_size;
	}
	assert_int_equal(off, e->target_offset);
	return NULL;
}

static unsigned match_count(const struct ipt_entry *e)
{
	unsigned n = 0;
	while (match_at(e, n))
		n++;
	return n;
}

static const char *target_name(const struct ipt_entry *e)
{
	return ipt_get_target((struct ipt_entry *)e)->u.user.name;
}

static void test_dispatch(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "INPUT");
	ir_match_in(r, "eth1", false);
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	ir_target_jump(r, ir_chain_get(f->rs, IR_FILTER, "loc-fw"));
	struct ipt_entry *e = entry(f, r);
	assert_string_equal(e->ip.iniface, "eth1");
	/* whole name plus its NUL must match: iptables' mask for a name without '+' */
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(e->ip.iniface_mask[i], 0xff);
	assert_int_equal(e->ip.iniface_mask[5], 0);
	assert_int_equal(e->ip.invflags, 0);
	assert_int_equal(match_count(e), 1);
	assert_string_equal(match_at(e, 0)->u.user.name, "policy");
	assert_string_equal(target_name(e), "loc-fw");      /* a label libiptc turns into a jump */
	assert_int_equal(e->ip.flags & IPT_F_GOTO, 0);
	free(e);
}

static void test_goto_and_addresses(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "eth0_fwd");
	struct net4 n = fx_net4("10.0.0.0/8"), d = fx_net4("192.0.2.7");
	ir_match_src_net(r, &n, false);
	ir_match_dst_net(r, &d, true);
	ir_match_out(r, "ppp+", true);
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, NULL);
	ir_target_goto(r, ir_chain_get(f->rs, IR_FILTER, "vpn_frwd"));
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(e->ip.src.s_addr, inet_addr("10.0.0.0"));
	assert_int_equal(e->ip.smsk.s_addr, inet_addr("255.0.0.0"));
	assert_int_equal(e->ip.dst.s_addr, inet_addr("192.0.2.7"));
	assert_int_equal(e->ip.dmsk.s_addr, 0xffffffffu);
	assert_string_equal(e->ip.outiface, "ppp+");
	assert_int_equal(e->ip.outiface_mask[2], 0xff);
	assert_int_equal(e->ip.outiface_mask[3], 0);       /* wildcard: the prefix only */
	assert_int_equal(e->ip.invflags, IPT_INV_DSTIP | IPT_INV_VIA_OUT);
	assert_true(e->ip.flags & IPT_F_GOTO);
	assert_string_equal(target_name(e), "vpn_frwd");
	free(e);
}

static void test_udp_implicit(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "net-fw");
	ir_match_proto(r, 17);
	ir_match_dport(r, 500, 500, false);
	ir_match_sport(r, 1024, 65535, true);
	ir_match_ctstate(r, IR_CT_NEW | IR_CT_UNTRACKED, false);
	ir_target_simple(r, IRT_ACCEPT);
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(e->ip.proto, 17);
	assert_int_equal(match_count(e), 2);
	const struct xt_entry_match *m = match_at(e, 0);
	assert_string_equal(m->u.user.name, "udp");          /* implicit: loaded by -p, no -m */
	const struct xt_udp *u = (const void *)m->data;
	assert_int_equal(u->dpts[0], 500);
	assert_int_equal(u->dpts[1], 500);
	assert_int_equal(u->spts[0], 1024);
	assert_int_equal(u->spts[1], 65535);
	assert_int_equal(u->invflags, XT_UDP_INV_SRCPT);
	assert_string_equal(match_at(e, 1)->u.user.name, "conntrack");
	assert_string_equal(target_name(e), IPTC_LABEL_ACCEPT);
	free(e);
}

/* tcp is an old-style extension whose --tcp-flags reads a second value at argv[optind]. */
static void test_tcp_flags_and_tcpmss(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_MANGLE, "FORWARD");
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	ir_match_dport(r, 22, 22, false);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_NONE, NULL);
	ir_target_tcpmss(r, 0);
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(match_count(e), 2);
	const struct xt_entry_match *m = match_at(e, 0);
	assert_string_equal(m->u.user.name, "tcp");
	const struct xt_tcp *t = (const void *)m->data;
	assert_int_equal(t->flg_mask, IR_TCP_SYN | IR_TCP_RST);
	assert_int_equal(t->flg_cmp, IR_TCP_SYN);
	assert_int_equal(t->dpts[0], 22);
	assert_string_equal(match_at(e, 1)->u.user.name, "policy");
	assert_string_equal(target_name(e), "TCPMSS");
	const struct xt_tcpmss_info *mss = (const void *)ipt_get_target(e)->data;
	assert_int_equal(mss->mss, XT_TCPMSS_CLAMP_PMTU);
	free(e);

	r = add(f, IR_MANGLE, "FORWARD");
	ir_match_proto(r, 6);
	ir_match_syn(r);
	ir_target_tcpmss(r, 1400);
	e = entry(f, r);
	t = (const void *)match_at(e, 0)->data;
	assert_int_equal(t->flg_mask, IR_TCP_FIN | IR_TCP_SYN | IR_TCP_RST | IR_TCP_ACK);
	assert_int_equal(((const struct xt_tcpmss_info *)ipt_get_target(e)->data)->mss, 1400);
	free(e);
}

static void test_targets(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "fw-net");
	ir_target_reject(r, IR_REJECT_HOST_PROHIB);
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(match_count(e), 0);
	assert_string_equal(target_name(e), "REJECT");
	assert_int_equal(((const struct ipt_reject_info *)ipt_get_target(e)->data)->with, IPT_ICMP_HOST_PROHIBITED);
	free(e);

	struct ir_nat_range to;
	assert_true(ir_nat_range_parse("206.162.148.9", false, &to));
	r = add(f, IR_NAT, "eth0_masq");
	struct ipsec_opt reqid = { IPSEC_REQID, false, "5", NULL }, mode = { IPSEC_MODE, false, "tunnel", &reqid };
	ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, &mode);
	ir_target_snat(r, &to, false, false);
	e = entry(f, r);
	assert_string_equal(target_name(e), "SNAT");
	free(e);

	r = add(f, IR_NAT, "eth0_masq");
	ir_target_masquerade(r, 0, 0, false);
	e = entry(f, r);
	assert_string_equal(target_name(e), "MASQUERADE");
	free(e);

	/* no target: the standard target with an empty label, libiptc's fall-through */
	r = add(f, IR_FILTER, "INPUT");
	ir_match_in(r, "lo", false);
	e = entry(f, r);
	assert_string_equal(target_name(e), "");
	free(e);

	r = add(f, IR_RAW, "PREROUTING");
	ir_match_in(r, "eth0", false);
	ir_target_simple(r, IRT_NOTRACK);
	e = entry(f, r);
	assert_string_equal(target_name(e), "CT");
	free(e);
}

/* Every module kind the IR renders parses through libxtables (the ipset one needs a live set). */
static void test_module_kinds(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "net-fw");
	ir_match_src_range(r, 0xc0000201u, 0xc00002feu, false);
	ir_match_proto(r, 6);
	static const struct ir_portrange ports[] = { { 22, 22 }, { 80, 90 }, { 443, 443 } };
	ir_match_dports(r, ports, 3, false);
	ir_match_limit(r, 3, IR_PER_MIN, 5);
	ir_match_hashlimit(r, 10, IR_PER_SEC, 20, IR_HL_SRCIP, "swc-hl");
	ir_match_addrtype(r, IR_DST, IR_AT_LOCAL | IR_AT_BROADCAST, false);
	ir_match_mark(r, 0x10, 0xff, true);
	ir_match_connmark(r, 1, 0xffffffffu, false);
	ir_match_connlimit(r, 8, 24, false, false);
	ir_match_helper(r, "ftp", false);
	ir_match_recent(r, IR_RECENT_UPDATE, "ssh", 60, 4, false, true);
	struct ir_time t = { 8 * 3600, 18 * 3600, 0x1f, 0, 0, 0, false };
	ir_match_time(r, &t);
	ir_match_tcpmss(r, 536, 65535, false);
	ir_target_log(r, 4, "Shorewall:net-fw:DROP:", IR_LOG_UID);
	struct ipt_entry *e = entry(f, r);
	static const char *const names[] = {
		"iprange", "multiport", "limit", "hashlimit", "addrtype", "mark", "connmark", "connlimit",
		"helper", "recent", "time", "tcpmss",
	};
	assert_int_equal(match_count(e), sizeof(names) / sizeof(names[0]));
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(match_at(e, i)->u.user.name, names[i]);
	assert_string_equal(target_name(e), "LOG");
	free(e);

	r = add(f, IR_FILTER, "OUTPUT");
	ir_match_owner(r, 0, 0, false);
	ir_target_nflog(r, 2, "fw", 0);
	free(entry(f, r));
	r = add(f, IR_MANGLE, "PREROUTING");
	ir_target_connmark(r, IR_MARK_RESTORE, 0, 0xff);
	free(entry(f, r));
	r = add(f, IR_NAT, "PREROUTING");
	ir_match_proto(r, 6);
	ir_match_dport(r, 80, 80, false);
	struct ir_nat_range to;
	assert_true(ir_nat_range_parse("192.168.1.3:8080", false, &to));
	ir_target_dnat(r, &to, false, false);
	free(entry(f, r));
	r = add(f, IR_FILTER, "FORWARD");
	ir_target_nfqueue(r, 1, 3, true);
	free(entry(f, r));
}

/* Two matches of one module in a rule: libxtables hands out a second instance. */
static void test_same_module_twice(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "FORWARD");
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, NULL);
	ir_target_simple(r, IRT_DROP);
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(match_count(e), 2);
	assert_string_equal(match_at(e, 0)->u.user.name, "policy");
	assert_string_equal(match_at(e, 1)->u.user.name, "policy");
	assert_int_equal(match_at(e, 0)->u.match_size, match_at(e, 1)->u.match_size);
	assert_memory_not_equal(match_at(e, 0)->data, match_at(e, 1)->data,
				match_at(e, 0)->u.match_size - sizeof(struct xt_entry_match));
	free(e);
}

/* libxtables refuses: the error names the rule's chain and config line, nothing exits, and the
 * next rule builds from a clean state. */
static void test_refused_then_recovers(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = add(f, IR_FILTER, "net-fw");
	ir_target_log(r, 4, "two\nlines", 0);     /* ir_validate would refuse it too; the kernel path must not crash */
	ir_argv_render(&f->argv, r);
	assert_null(iptc_rule_entry(r, &f->argv, &f->d));
	assert_int_equal(f->d.errors, 1);
	assert_true(diag_has(&f->d, "iptables refused rule in chain net-fw: "));
	assert_true(diag_has(&f->d, "prefix"));
	assert_string_equal(f->d.head->loc.file, "/etc/shorewall/rules");
	assert_int_equal(f->d.head->loc.line, 7);

	diag_fini(&f->d);
	diag_init(&f->d);
	r = add(f, IR_FILTER, "net-fw");
	ir_target_log(r, 6, "ok:", 0);
	free(entry(f, r));
	r = add(f, IR_FILTER, "net-fw");
	ir_match_limit(r, 1, IR_PER_SEC, 0);
	ir_target_log(r, 6, "ok:", 0);
	struct ipt_entry *e = entry(f, r);
	assert_int_equal(match_count(e), 1);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goto_and_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_implicit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_flags_and_tcpmss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_module_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_then_recovers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
