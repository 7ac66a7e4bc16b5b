/* test_optimize.c — each optimizer pass on hand-built IR: what it rewrites, and what it must leave. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "ir.h"
#include "ir_fixture.h"
#include "keyword.h"
#include "optimize.h"
#include "test_support.h"


static const struct loc L = { "/etc/shorewall/rules", 1 };

/* The chain's rules as iptables arguments, one line each ("" for an empty chain, "(none)" when the
 * chain is gone). */
static const char *body(struct irfx *f, enum ir_table t, const char *name)
{
	struct ir_chain *ch = ir_chain_find(f->rs, t, name);
	if (!ch)
		return "(none)";
	struct ir_argv a;
	ir_argv_init(&a);
	size_t len = 0;
	f->buf[0] = 0;
	for (size_t i = 0; i < ch->rules.n; i++) {
		ir_argv_render(&a, ch->rules.v[i]);
		for (size_t k = 0; k < a.n; k++)
			len += (size_t)snprintf(f->buf + len, sizeof(f->buf) - len, "%s%s", k ? " " : "", a.v[k]);
		len += (size_t)snprintf(f->buf + len, sizeof(f->buf) - len, "\n");
	}
	ir_argv_fini(&a);
	return f->buf;
}

static const char *fbody(struct irfx *f, const char *name)
{
	return body(f, IR_FILTER, name);
}

static struct ir_rule *rule(struct irfx *f, const char *chain)
{
	return add(f->rs, IR_FILTER, chain, &L);
}

static struct ir_rule *verdict(struct irfx *f, const char *chain, enum ir_target_kind k)
{
	struct ir_rule *r = rule(f, chain);
	ir_target_simple(r, k);
	return r;
}

static struct ir_rule *tcp_port(struct irfx *f, const char *chain, uint16_t port, enum ir_target_kind k)
{
	struct ir_rule *r = rule(f, chain);
	ir_match_proto(r, 6);
	ir_match_dport(r, port, port, false);
	ir_target_simple(r, k);
	return r;
}

static struct ir_chain *chain(struct irfx *f, const char *name)
{
	return ir_chain_get(f->rs, IR_FILTER, name);
}

/* ---- bit 1: unreachable rules ------------------------------------------------------------------- */

static void test_unreachable(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f, "c");
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = tcp_port(f, "c", 22, IRT_DROP);             /* shadowed: ctstate ⊂ its matches */
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	tcp_port(f, "c", 80, IRT_ACCEPT);
	tcp_port(f, "c", 80, IRT_DROP);                 /* same matches as the one before */
	r = rule(f, "c");                               /* LOG is not terminal: shadows nothing */
	ir_match_proto(r, 17);
	ir_target_log(r, 6, "x ", 0);
	r = rule(f, "c");
	ir_match_proto(r, 17);
	ir_target_simple(r, IRT_DROP);
	r = rule(f, "c");                               /* stateful: shadows nothing */
	ir_match_limit(r, 5, IR_PER_SEC, 0);
	ir_target_simple(r, IRT_ACCEPT);
	r = rule(f, "c");
	ir_match_limit(r, 5, IR_PER_SEC, 0);
	ir_match_proto(r, 1);
	ir_target_simple(r, IRT_ACCEPT);
	verdict(f, "c", IRT_REJECT);
	tcp_port(f, "c", 443, IRT_ACCEPT);               /* after an unconditional verdict */
	verdict(f, "c", IRT_DROP);
	assert_int_equal(opt_unreachable(f->rs), 4);
	assert_string_equal(fbody(f, "c"),
		"-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
		"-p tcp --dport 80 -j ACCEPT\n"
		"-p udp -j LOG --log-level 6 --log-prefix x \n"
		"-p udp -j DROP\n"
		"-m limit --limit 5/sec -j ACCEPT\n"
		"-p icmp -m limit --limit 5/sec -j ACCEPT\n"
		"-j REJECT\n");
	assert_int_equal(opt_unreachable(f->rs), 0);
}

/* A jump returns: rules after `-j CHAIN` stay, even with the same matches; so do rules after a MARK. */
static void test_unreachable_not_after_jump(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f, "c");
	ir_target_jump(r, chain(f, "d"));
	verdict(f, "d", IRT_ACCEPT);
	tcp_port(f, "c", 22, IRT_ACCEPT);
	/* a MARK between them: the later rule sees a mark the earlier one never tested */
	r = rule(f, "m");
	ir_match_mark(r, 1, 0xffffffff, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = rule(f, "m");
	ir_target_mark(r, IR_MARK_SET, 1, 0xffffffff);
	r = rule(f, "m");
	ir_match_mark(r, 1, 0xffffffff, false);
	ir_match_proto(r, 6);
	ir_target_simple(r, IRT_DROP);
	assert_int_equal(opt_unreachable(f->rs), 0);
	assert_int_equal(chain(f, "c")->rules.n, 2);
	assert_int_equal(chain(f, "m")->rules.n, 3);
}

/* ---- bit 2: the closing verdict ----------------------------------------------------------------- */

static struct ir_rule *addrtype(struct irfx *f, const char *chain, unsigned type, enum ir_target_kind k)
{
	struct ir_rule *r = rule(f, chain);
	ir_match_addrtype(r, IR_DST, type, false);
	ir_target_simple(r, k);
	return r;
}

static void test_closing(void **state)
{
	struct irfx *f = *state;
	addrtype(f, "c", IR_AT_BROADCAST, IRT_DROP);    /* kept: the LOG rule is in between */
	struct ir_rule *r = rule(f, "c");
	ir_match_hashlimit(r, 1, IR_PER_SEC, 10, IR_HL_SRCIP, "lograte");
	ir_target_log(r, 6, "c DROP ", 0);
	r = rule(f, "c");                               /* stateful: kept */
	ir_match_limit(r, 1, IR_PER_SEC, 0);
	ir_target_simple(r, IRT_DROP);
	addrtype(f, "c", IR_AT_ANYCAST, IRT_DROP);
	addrtype(f, "c", IR_AT_MULTICAST, IRT_DROP);
	verdict(f, "c", IRT_DROP);

	tcp_port(f, "r", 22, IRT_ACCEPT);
	tcp_port(f, "r", 23, IRT_DROP);                 /* kept: REJECT is another fate */
	tcp_port(f, "r", 24, IRT_REJECT);
	r = tcp_port(f, "r", 25, IRT_REJECT);           /* kept: another --reject-with */
	ir_target_reject(r, IR_REJECT_TCP_RESET);
	tcp_port(f, "r", 26, IRT_REJECT);
	verdict(f, "r", IRT_REJECT);

	tcp_port(f, "u", 22, IRT_ACCEPT);               /* user chain: falls off its end = RETURN */
	tcp_port(f, "u", 23, IRT_RETURN);
	tcp_port(f, "u", 24, IRT_RETURN);

	ir_chain_set_policy(chain(f, "INPUT"), IR_POLICY_DROP);
	tcp_port(f, "INPUT", 22, IRT_ACCEPT);
	tcp_port(f, "INPUT", 23, IRT_DROP);             /* the policy drops it anyway */
	tcp_port(f, "OUTPUT", 22, IRT_DROP);
	tcp_port(f, "OUTPUT", 23, IRT_ACCEPT);          /* policy ACCEPT */

	assert_int_equal(opt_closing(f->rs), 7);
	assert_string_equal(fbody(f, "c"),
		"-m addrtype --dst-type BROADCAST -j DROP\n"
		"-m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 10 --hashlimit-name lograte "
		"--hashlimit-mode srcip -j LOG --log-level 6 --log-prefix c DROP \n"
		"-m limit --limit 1/sec -j DROP\n"
		"-j DROP\n");
	assert_string_equal(fbody(f, "r"),
		"-p tcp --dport 22 -j ACCEPT\n"
		"-p tcp --dport 23 -j DROP\n"
		"-p tcp --dport 24 -j REJECT\n"
		"-p tcp --dport 25 -j REJECT --reject-with tcp-reset\n"
		"-j REJECT\n");
	assert_string_equal(fbody(f, "u"), "-p tcp --dport 22 -j ACCEPT\n");
	assert_string_equal(fbody(f, "INPUT"), "-p tcp --dport 22 -j ACCEPT\n");
	assert_string_equal(fbody(f, "OUTPUT"), "-p tcp --dport 22 -j DROP\n");
	assert_int_equal(opt_closing(f->rs), 0);
}

/* ---- bit 4: short chains ------------------------------------------------------------------------ */

static void test_short_empty(void **state)
{
	struct irfx *f = *state;
	chain(f, "empty");
	chain(f, "dynamic");
	struct ir_rule *r = rule(f, "INPUT");
	ir_match_in(r, "eth0", false);
	ir_target_jump(r, chain(f, "empty"));           /* goes */
	r = rule(f, "INPUT");
	ir_match_limit(r, 1, IR_PER_SEC, 0);
	ir_target_jump(r, chain(f, "empty"));           /* stays: evaluating the limit counts */
	r = rule(f, "INPUT");
	ir_target_jump(r, chain(f, "dynamic"));         /* stays: filled at run time */
	r = rule(f, "c");
	ir_match_in(r, "eth1", false);
	ir_target_goto(r, chain(f, "empty"));           /* becomes RETURN */
	verdict(f, "c", IRT_ACCEPT);
	r = rule(f, "FORWARD");
	ir_target_jump(r, chain(f, "c"));               /* not inlined: c has a RETURN */
	verdict(f, "FORWARD", IRT_DROP);
	assert_int_equal(opt_short_chains(f->rs), 2);
	assert_string_equal(fbody(f, "INPUT"), "-m limit --limit 1/sec -j empty\n-j dynamic\n");
	assert_string_equal(fbody(f, "c"), "-i eth1 -j RETURN\n-j ACCEPT\n");
	assert_int_equal(chain(f, "empty")->refs, 1);
}

static void test_short_one_rule(void **state)
{
	struct irfx *f = *state;
	/* eth3_in: one rule; INPUT -i eth3 -j eth3_in becomes the dispatch itself */
	struct ir_rule *r = rule(f, "INPUT");
	ir_match_in(r, "eth3", false);
	ir_target_jump(r, chain(f, "eth3_in"));
	r = rule(f, "eth3_in");
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	ir_target_jump(r, chain(f, "loc3-fw"));
	verdict(f, "loc3-fw", IRT_ACCEPT);
	tcp_port(f, "loc3-fw", 22, IRT_DROP);           /* two rules: not folded */
	/* -j X where X's rule is RETURN: stays (RETURN would leave the caller) */
	r = rule(f, "INPUT");
	ir_match_in(r, "eth4", false);
	ir_target_jump(r, chain(f, "ret"));
	r = tcp_port(f, "ret", 22, IRT_RETURN);
	/* -j X where X's rule is -g Y: -j Y */
	r = rule(f, "INPUT");
	ir_match_in(r, "eth5", false);
	ir_target_jump(r, chain(f, "go"));
	r = tcp_port(f, "go", 22, IRT_ACCEPT);
	ir_target_goto(r, chain(f, "loc3-fw"));
	/* conflicting interfaces: stays */
	r = rule(f, "INPUT");
	ir_match_in(r, "eth6", false);
	ir_target_jump(r, chain(f, "other_if"));
	r = rule(f, "other_if");
	ir_match_in(r, "eth7", false);
	ir_target_simple(r, IRT_DROP);
	/* -g X with a conditional rule: stays (no match of B = return from the caller) */
	r = rule(f, "OUTPUT");
	ir_match_out(r, "eth0", false);
	ir_target_goto(r, chain(f, "cond"));
	tcp_port(f, "cond", 22, IRT_ACCEPT);
	/* -g X with `-j Y`: -g Y */
	r = rule(f, "OUTPUT");
	ir_match_out(r, "eth1", false);
	ir_target_goto(r, chain(f, "uncond"));
	r = rule(f, "uncond");
	ir_target_jump(r, chain(f, "loc3-fw"));
	/* -g X with LOG: stays (the walk would go on in the caller) */
	r = rule(f, "OUTPUT");
	ir_match_out(r, "eth2", false);
	ir_target_goto(r, chain(f, "logonly"));
	r = rule(f, "logonly");
	ir_target_log(r, 4, "l ", 0);
	verdict(f, "OUTPUT", IRT_ACCEPT);
	/* a stateful rule with two callers: stays (one bucket, not two) */
	for (int i = 0; i < 2; i++) {
		r = rule(f, "FORWARD");
		ir_match_in(r, i ? "eth1" : "eth0", false);
		ir_target_jump(r, chain(f, "limited"));
	}
	r = rule(f, "limited");
	ir_match_limit(r, 1, IR_PER_SEC, 0);
	ir_target_simple(r, IRT_ACCEPT);

	assert_int_equal(opt_short_chains(f->rs), 3);
	assert_string_equal(fbody(f, "INPUT"),
		"-i eth3 -m policy --dir in --pol none -j loc3-fw\n"
		"-i eth4 -j ret\n"
		"-i eth5 -p tcp --dport 22 -j loc3-fw\n"
		"-i eth6 -j other_if\n");
	assert_string_equal(fbody(f, "OUTPUT"), "-o eth0 -g cond\n-o eth1 -g loc3-fw\n-o eth2 -g logonly\n-j ACCEPT\n");
	assert_string_equal(fbody(f, "FORWARD"), "-i eth0 -j limited\n-i eth1 -j limited\n");
	assert_int_equal(chain(f, "eth3_in")->refs, 0);
	assert_int_equal(opt_sweep(f->rs), 3);          /* eth3_in, go, uncond */
	assert_string_equal(fbody(f, "eth3_in"), "(none)");
}

/* A chain whose last rule is the only jump to X merges into X: X keeps its name, takes the
 * caller's prefix rules, and its own rules get the jump's matches (after their own, or in front of
 * a stateful one, whose evaluation they gated). */
static void test_short_merge(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f, "INPUT");
	ir_match_in(r, "eth0", false);
	ir_target_jump(r, chain(f, "eth0_in"));
	r = rule(f, "INPUT");
	ir_match_in(r, "eth1", false);
	ir_target_jump(r, chain(f, "eth1_in"));
	r = rule(f, "eth0_in");
	ir_match_ctstate(r, IR_CT_NEW, false);
	ir_target_jump(r, chain(f, "dynamic"));
	r = rule(f, "eth0_in");
	ir_match_proto(r, 6);
	ir_target_jump(r, chain(f, "tcpflags"));
	r = rule(f, "eth0_in");
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	ir_target_jump(r, chain(f, "net-fw"));
	r = rule(f, "net-fw");
	ir_match_ctstate(r, IR_CT_ESTABLISHED, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = rule(f, "net-fw");                          /* stateful: A goes in front of the limit */
	ir_match_limit(r, 1, IR_PER_SEC, 0);
	ir_target_log(r, 6, "x ", 0);
	tcp_port(f, "net-fw", 22, IRT_RETURN);
	r = tcp_port(f, "net-fw", 25, IRT_ACCEPT);
	ir_target_goto(r, chain(f, "smtp"));
	verdict(f, "net-fw", IRT_DROP);
	tcp_port(f, "smtp", 25, IRT_ACCEPT);
	tcp_port(f, "smtp", 26, IRT_ACCEPT);
	tcp_port(f, "tcpflags", 0, IRT_DROP);
	tcp_port(f, "tcpflags", 1, IRT_DROP);
	/* eth1_in: shares tcpflags; its last rule's mark could change between evaluations: stays */
	r = rule(f, "eth1_in");
	ir_match_proto(r, 6);
	ir_target_jump(r, chain(f, "tcpflags"));
	r = rule(f, "eth1_in");
	ir_match_mark(r, 1, 0xffffffff, false);
	ir_target_jump(r, chain(f, "loc-fw"));
	verdict(f, "loc-fw", IRT_ACCEPT);
	tcp_port(f, "loc-fw", 22, IRT_ACCEPT);
	/* a dispatcher: its other rule jumps to a chain of its own, so net-loc is no name for it */
	r = rule(f, "FORWARD");
	ir_match_in(r, "eth0", false);
	ir_target_jump(r, chain(f, "net_frwd"));
	r = rule(f, "net_frwd");
	ir_match_out(r, "eth2", false);
	ir_target_jump(r, chain(f, "net-dmz"));
	r = rule(f, "net_frwd");
	ir_match_out(r, "eth1", false);
	ir_target_jump(r, chain(f, "net-loc"));
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "net-loc" : "net-dmz";
		verdict(f, n, IRT_ACCEPT);
		tcp_port(f, n, 22, IRT_DROP);
	}
	/* an A that cannot combine with one of X's rules (two output interfaces): stays */
	r = rule(f, "FORWARD");
	ir_match_in(r, "eth1", false);
	ir_target_jump(r, chain(f, "loc_frwd"));
	r = rule(f, "loc_frwd");
	ir_match_proto(r, 6);
	ir_target_jump(r, chain(f, "tcpflags"));
	r = rule(f, "loc_frwd");
	ir_match_out(r, "eth0", false);
	ir_target_jump(r, chain(f, "loc-net"));
	verdict(f, "loc-net", IRT_ACCEPT);
	r = rule(f, "loc-net");
	ir_match_out(r, "eth3", false);
	ir_target_simple(r, IRT_DROP);
	/* a builtin's last rule: the builtin stays */
	r = rule(f, "OUTPUT");
	ir_target_jump(r, chain(f, "fw-net"));
	verdict(f, "fw-net", IRT_ACCEPT);
	tcp_port(f, "fw-net", 22, IRT_DROP);

	assert_int_equal(opt_short_chains(f->rs), 1);
	assert_string_equal(fbody(f, "INPUT"), "-i eth0 -j net-fw\n-i eth1 -j eth1_in\n");
	assert_string_equal(fbody(f, "net-fw"),
		"-m conntrack --ctstate NEW -j dynamic\n"
		"-p tcp -j tcpflags\n"
		"-m conntrack --ctstate ESTABLISHED -m policy --dir in --pol none -j ACCEPT\n"
		"-m policy --dir in --pol none -m limit --limit 1/sec -j LOG --log-level 6 --log-prefix x \n"
		"-p tcp --dport 22 -m policy --dir in --pol none -j RETURN\n"
		"-p tcp --dport 25 -m policy --dir in --pol none -g smtp\n"
		"-m policy --dir in --pol none -j DROP\n");
	assert_string_equal(fbody(f, "eth0_in"), "");
	assert_int_equal(chain(f, "net-fw")->refs, 1);
	assert_int_equal(chain(f, "eth0_in")->refs, 0);
	assert_int_equal(chain(f, "dynamic")->refs, 1);
	assert_int_equal(chain(f, "tcpflags")->refs, 3);
	assert_string_equal(fbody(f, "eth1_in"), "-p tcp -j tcpflags\n-m mark --mark 0x1 -j loc-fw\n");
	assert_string_equal(fbody(f, "net_frwd"), "-o eth2 -j net-dmz\n-o eth1 -j net-loc\n");
	assert_string_equal(fbody(f, "loc_frwd"), "-p tcp -j tcpflags\n-o eth0 -j loc-net\n");
	assert_string_equal(fbody(f, "OUTPUT"), "-j fw-net\n");
	assert_int_equal(opt_sweep(f->rs), 1);
	assert_string_equal(fbody(f, "eth0_in"), "(none)");
	assert_int_equal(ir_validate(f->rs), 0);
}

/* ---- bit 8: identical chains -------------------------------------------------------------------- */

static void policy_chain(struct irfx *f, const char *name, enum ir_target_kind k)
{
	struct ir_rule *r = rule(f, name);
	ir_match_ctstate(r, IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	ir_target_simple(r, IRT_ACCEPT);
	verdict(f, name, k);
}

static void test_identical(void **state)
{
	struct irfx *f = *state;
	const char *names[] = { "net-loc", "dmz-loc", "loc-net", "fw-net" };
	const char *ifaces[] = { "eth0", "eth1", "eth2", "eth3" };
	for (size_t i = 0; i < 4; i++) {
		policy_chain(f, names[i], i == 3 ? IRT_ACCEPT : IRT_DROP);
		struct ir_rule *r = rule(f, "FORWARD");
		ir_match_in(r, ifaces[i], false);
		ir_target_jump(r, chain(f, names[i]));
	}
	struct ir_rule *r = rule(f, "OUTPUT");
	ir_target_goto(r, chain(f, "net-loc"));
	/* two identical chains with a limit: each keeps its bucket */
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "lim2" : "lim1";
		r = rule(f, n);
		ir_match_limit(r, 1, IR_PER_SEC, 0);
		ir_target_simple(r, IRT_ACCEPT);
		r = rule(f, "INPUT");
		ir_target_jump(r, chain(f, n));
	}
	/* not identical: the same rules in another order */
	tcp_port(f, "o1", 1, IRT_ACCEPT);
	tcp_port(f, "o1", 2, IRT_ACCEPT);
	tcp_port(f, "o2", 2, IRT_ACCEPT);
	tcp_port(f, "o2", 1, IRT_ACCEPT);
	r = rule(f, "INPUT");
	ir_target_jump(r, chain(f, "o1"));
	r = rule(f, "INPUT");
	ir_target_jump(r, chain(f, "o2"));

	chain(f, "~comb0");                             /* taken: the merged chain is ~comb1 */
	assert_int_equal(opt_identical(f->rs), 2);
	assert_string_equal(fbody(f, "FORWARD"),
		"-i eth0 -j ~comb1\n-i eth1 -j ~comb1\n-i eth2 -j ~comb1\n-i eth3 -j fw-net\n");
	assert_string_equal(fbody(f, "OUTPUT"), "-g ~comb1\n");
	assert_string_equal(fbody(f, "~comb1"), "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-j DROP\n");
	assert_string_equal(fbody(f, "INPUT"), "-j lim1\n-j lim2\n-j o1\n-j o2\n");
	assert_int_equal(opt_sweep(f->rs), 4);          /* the three members, and the unused ~comb0 */
	assert_string_equal(fbody(f, "net-loc"), "(none)");
	assert_string_equal(fbody(f, "dmz-loc"), "(none)");
	assert_string_equal(fbody(f, "loc-net"), "(none)");
	assert_int_equal(chain(f, "~comb1")->refs, 4);
}

/* Merging makes the callers identical in turn: the driver's rounds catch that. */
static void test_identical_cascade(void **state)
{
	struct irfx *f = *state;
	policy_chain(f, "a1", IRT_DROP);
	policy_chain(f, "b1", IRT_DROP);
	struct ir_rule *r = rule(f, "a2");
	ir_match_proto(r, 6);
	ir_target_jump(r, chain(f, "a1"));
	r = rule(f, "b2");
	ir_match_proto(r, 6);
	ir_target_jump(r, chain(f, "b1"));
	verdict(f, "a2", IRT_ACCEPT);
	verdict(f, "b2", IRT_ACCEPT);
	r = rule(f, "INPUT");
	ir_match_in(r, "eth0", false);
	ir_target_jump(r, chain(f, "a2"));
	r = rule(f, "INPUT");
	ir_match_in(r, "eth1", false);
	ir_target_jump(r, chain(f, "b2"));
	assert_true(optimize_ruleset(f->rs, OPT_IDENTICAL) >= 2);
	assert_string_equal(fbody(f, "INPUT"), "-i eth0 -j ~comb1\n-i eth1 -j ~comb1\n");
	assert_string_equal(fbody(f, "~comb1"), "-p tcp -j ~comb0\n-j ACCEPT\n");
	assert_string_equal(fbody(f, "a2"), "(none)");
	assert_string_equal(fbody(f, "b2"), "(none)");
	assert_string_equal(fbody(f, "b1"), "(none)");
}

/* ---- bit 16: multiport -------------------------------------------------------------------------- */

static void test_multiport(void **state)
{
	struct irfx *f = *state;
	struct net4 n = fx_net4("10.0.0.0/8");
	for (uint16_t p = 1; p <= 17; p++) {           /* 17 single ports: 15 + 2 */
		struct ir_rule *r = tcp_port(f, "c", p, IRT_ACCEPT);
		ir_match_src_net(r, &n, false);
		if (p == 1)
			ir_rule_comment(r, "one");
		if (p == 2)
			ir_rule_comment(r, "two");
	}
	struct ir_rule *r = rule(f, "c");               /* a range takes two slots */
	ir_match_proto(r, 6);
	ir_match_src_net(r, &n, false);
	ir_match_dport(r, 100, 200, false);
	ir_target_simple(r, IRT_ACCEPT);
	tcp_port(f, "c", 300, IRT_ACCEPT);              /* no -s: stays apart */
	tcp_port(f, "c", 301, IRT_DROP);                /* other target */
	r = tcp_port(f, "c", 302, IRT_DROP);            /* udp */
	r = rule(f, "c");
	ir_match_proto(r, 17);
	ir_match_dport(r, 303, 303, false);
	ir_target_simple(r, IRT_DROP);
	/* non-terminal target: overlapping lists stay apart, disjoint ones combine */
	r = rule(f, "l");
	ir_match_proto(r, 6);
	ir_match_dport(r, 10, 20, false);
	ir_target_log(r, 6, "p ", 0);
	r = rule(f, "l");
	ir_match_proto(r, 6);
	ir_match_dport(r, 15, 15, false);
	ir_target_log(r, 6, "p ", 0);
	r = rule(f, "l");
	ir_match_proto(r, 6);
	ir_match_dport(r, 16, 16, false);
	ir_target_log(r, 6, "p ", 0);
	/* inverted: `! --dport 1` then `! --dport 2` is not `! --dports 1,2`'s OR */
	r = rule(f, "i");
	ir_match_proto(r, 6);
	ir_match_dport(r, 1, 1, true);
	ir_target_simple(r, IRT_DROP);
	r = rule(f, "i");
	ir_match_proto(r, 6);
	ir_match_dport(r, 2, 2, true);
	ir_target_simple(r, IRT_DROP);

	assert_int_equal(opt_multiport(f->rs), 15 + 1 + 1 + 1);
	assert_string_equal(fbody(f, "c"),
		"-s 10.0.0.0/8 -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 "
		"-m comment --comment one, two -j ACCEPT\n"
		"-s 10.0.0.0/8 -p tcp -m multiport --dports 16,17,100:200 -j ACCEPT\n"
		"-p tcp --dport 300 -j ACCEPT\n"
		"-p tcp -m multiport --dports 301,302 -j DROP\n"
		"-p udp --dport 303 -j DROP\n");
	assert_string_equal(fbody(f, "l"),
		"-p tcp --dport 10:20 -j LOG --log-level 6 --log-prefix p \n"
		"-p tcp -m multiport --dports 15,16 -j LOG --log-level 6 --log-prefix p \n");
	assert_int_equal(chain(f, "i")->rules.n, 2);
	assert_int_equal(ir_validate(f->rs), 0);
}

/* ---- random rulesets: the optimized one decides every packet as the original does ------------------ */

/* A small evaluator with iptables' walk semantics (verdicts end the walk, RETURN and a chain's end
 * go back to the caller, -g returns to the caller's caller, a builtin's end is its policy) over the
 * matches and targets the generator below uses. A limit match counts its own evaluations (it fails
 * on every third): an optimized ruleset must evaluate it exactly as often, in the same places. */
struct pkt {
	const char *in;
	uint32_t src;
	uint8_t proto;
	uint16_t dport;
	uint8_t state;
	uint32_t mark;
	bool ipsec;
};

struct evalst {
	const struct ir_match *lim[64];
	unsigned count[64];
	size_t nlim;
	char log[512];
	size_t loglen;
	unsigned steps;
};

static unsigned *limit_counter(struct evalst *e, const struct ir_match *m)
{
	for (size_t i = 0; i < e->nlim; i++)
		if (e->lim[i] == m)
			return &e->count[i];
	assert_true(e->nlim < 64);
	e->lim[e->nlim] = m;
	e->count[e->nlim] = 0;
	return &e->count[e->nlim++];
}

static bool match_one(struct evalst *e, const struct ir_match *m, const struct pkt *p)
{
	bool ok;
	switch (m->kind) {
	case IRM_IN:
		ok = strcmp(m->u.iface.name, p->in) == 0;
		break;
	case IRM_SRC: {
		uint32_t mask = m->u.addr.net.len ? ~0u << (32 - m->u.addr.net.len) : 0;
		ok = (p->src & mask) == (m->u.addr.net.addr & mask);
		break;
	}
	case IRM_PROTO:
		ok = p->proto == m->u.proto.num;
		break;
	case IRM_DPORT:
		ok = false;
		for (unsigned i = 0; i < m->u.ports.n; i++)
			ok |= p->dport >= m->u.ports.r[i].lo && p->dport <= m->u.ports.r[i].hi;
		break;
	case IRM_CTSTATE:
		ok = (m->u.ct.states & p->state) != 0;
		break;
	case IRM_MARK:
		ok = (p->mark & m->u.mark.mask) == m->u.mark.value;
		break;
	case IRM_POLICY:
		ok = m->u.policy.dir != IR_DIR_IN || p->ipsec == (m->u.policy.pol == IR_POL_IPSEC);
		break;
	case IRM_LIMIT:
		ok = (*limit_counter(e, m))++ % 3 != 2;
		break;
	default:
		fail_msg("the evaluator does not know match kind %d", m->kind);
		return false;
	}
	return ok != m->invert;
}

/* The evaluation order iptables uses: the ip header, then the other matches in printed order. */
static bool rule_matches(struct evalst *e, const struct ir_rule *r, const struct pkt *p)
{
	struct ir_canon it;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); )
		if (!match_one(e, m, p))
			return false;
	return true;
}

enum { EV_RETURN = -1 };        /* else an IRT_ verdict (ACCEPT, DROP, REJECT + 16 × with) */

static int walk(struct evalst *e, const struct ir_chain *ch, struct pkt *p)
{
	assert_true(++e->steps < 100000);
	for (size_t i = 0; i < ch->rules.n; i++) {
		const struct ir_rule *r = ch->rules.v[i];
		if (!rule_matches(e, r, p))
			continue;
		int v;
		switch (r->target.kind) {
		case IRT_ACCEPT: case IRT_DROP:
			return r->target.kind;
		case IRT_REJECT:
			return IRT_REJECT + 16 * r->target.u.reject.with;
		case IRT_RETURN:
			return EV_RETURN;
		case IRT_LOG:
			e->loglen += (size_t)snprintf(e->log + e->loglen, sizeof(e->log) - e->loglen, "%s;",
						      r->target.u.log.prefix);
			assert_true(e->loglen < sizeof(e->log));
			break;
		case IRT_MARK:
			p->mark = r->target.u.mark.value;
			break;
		case IRT_JUMP:
			if ((v = walk(e, r->target.u.chain, p)) != EV_RETURN)
				return v;
			break;
		case IRT_GOTO:
			return walk(e, r->target.u.chain, p);
		default:
			fail_msg("the evaluator does not know target kind %d", r->target.kind);
		}
	}
	return EV_RETURN;
}

static int fate(struct evalst *e, const struct ruleset *rs, const char *hook, struct pkt p)
{
	const struct ir_chain *ch = ir_chain_find(rs, IR_FILTER, hook);
	int v = walk(e, ch, &p);
	if (v == EV_RETURN)
		v = ch->policy == IR_POLICY_DROP ? IRT_DROP : IRT_ACCEPT;
	return v;
}

/* A random ruleset: INPUT (DROP) and FORWARD (ACCEPT), user chains u0…u7 that only jump forwards
 * (u3 may go to u4…u7), so there is no loop. Values come from small sets, so that rules shadow,
 * repeat and match one another often. */
static unsigned rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

static void random_rule(struct ruleset *rs, struct ir_chain *ch, int self, unsigned *seed)
{
	static const char *const nets[] = { "10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16", "10.1.2.3" };
	static const char *const prefixes[] = { "a ", "b " };
	struct ir_rule *r = ir_rule_append(ch, &L);
	if (rnd(seed, 3) == 0)
		ir_match_in(r, rnd(seed, 2) ? "eth1" : "eth0", rnd(seed, 8) == 0);
	if (rnd(seed, 3) == 0) {
		struct net4 n = fx_net4(nets[rnd(seed, 4)]);
		ir_match_src_net(r, &n, rnd(seed, 8) == 0);
	}
	if (rnd(seed, 2)) {
		ir_match_proto(r, rnd(seed, 2) ? 6 : 17);
		if (rnd(seed, 2)) {
			struct ir_portrange pr[3] = { { 22, 22 }, { 80, 80 }, { 440, 450 } };
			unsigned k = rnd(seed, 3);
			if (rnd(seed, 3))
				ir_match_dport(r, pr[k].lo, pr[k].hi, rnd(seed, 10) == 0);
			else
				ir_match_dports(r, pr, 1 + k, false);
		}
	}
	if (rnd(seed, 4) == 0)
		ir_match_ctstate(r, rnd(seed, 2) ? IR_CT_NEW : IR_CT_ESTABLISHED | IR_CT_RELATED, false);
	if (rnd(seed, 6) == 0)
		ir_match_mark(r, 1, 0xffffffff, false);
	if (rnd(seed, 6) == 0)
		ir_match_policy(r, IR_DIR_IN, rnd(seed, 2) ? IR_POL_IPSEC : IR_POL_NONE, NULL);
	if (rnd(seed, 10) == 0)
		ir_match_limit(r, 1, IR_PER_SEC, 0);
	char name[8];
	unsigned t = rnd(seed, 10);
	if (t >= 7 && self < 7) {
		snprintf(name, sizeof(name), "u%u", (unsigned)(self + 1) + rnd(seed, (unsigned)(7 - self)));
		(t == 9 ? ir_target_goto : ir_target_jump)(r, ir_chain_get(rs, IR_FILTER, name));
	} else if (t == 0)
		ir_target_log(r, 6, prefixes[rnd(seed, 2)], 0);
	else if (t == 1)
		ir_target_mark(r, IR_MARK_SET, rnd(seed, 2), 0xffffffff);
	else if (t == 2)
		ir_target_simple(r, IRT_RETURN);
	else if (t == 3)
		ir_target_reject(r, rnd(seed, 2) ? IR_REJECT_HOST_UNREACH : IR_REJECT_PORT_UNREACH);
	else
		ir_target_simple(r, rnd(seed, 2) ? IRT_ACCEPT : IRT_DROP);
}

static void random_ruleset(struct ruleset *rs, unsigned seed)
{
	ir_chain_set_policy(ir_chain_get(rs, IR_FILTER, "INPUT"), IR_POLICY_DROP);
	for (int c = -2; c < 8; c++) {
		char name[8];
		snprintf(name, sizeof(name), "u%d", c);
		struct ir_chain *ch = ir_chain_get(rs, IR_FILTER, c == -2 ? "INPUT" : c == -1 ? "FORWARD" : name);
		unsigned n = rnd(&seed, 7);
		for (unsigned i = 0; i < n; i++)
			random_rule(rs, ch, c < 0 ? -1 : c, &seed);
	}
}

/* Do two rulesets hold the same live chains, by name, with the same rules in iptables syntax? */
static bool same_rules(const struct ruleset *a, const struct ruleset *b)
{
	struct ir_argv x, y;
	ir_argv_init(&x);
	ir_argv_init(&y);
	bool same = true;
	for (unsigned t = 0; t < IR_TABLE_COUNT && same; t++) {
		same = a->chains[t].n == b->chains[t].n;
		for (size_t i = 0; i < a->chains[t].n && same; i++) {
			const struct ir_chain *ca = a->chains[t].v[i], *cb = b->chains[t].v[i];
			same = ca->deleted == cb->deleted && strcmp(ca->name, cb->name) == 0 &&
			       ca->rules.n == cb->rules.n;
			for (size_t k = 0; k < ca->rules.n && same && !ca->deleted; k++) {
				ir_argv_render(&x, ca->rules.v[k]);
				ir_argv_render(&y, cb->rules.v[k]);
				same = x.n == y.n;
				for (size_t j = 0; j < x.n && same; j++)
					same = strcmp(x.v[j], y.v[j]) == 0;
			}
		}
	}
	ir_argv_fini(&x);
	ir_argv_fini(&y);
	return same;
}

static void test_random_rulesets(void **state)
{
	struct irfx *f = *state;
	unsigned rewrites = 0, accepted = 0, decided = 0;
	for (unsigned seed = 1; seed <= 20000; seed++) {
		struct ruleset *a = ir_ruleset_new(&f->c), *b = ir_ruleset_new(&f->c), *c = ir_ruleset_new(&f->c);
		random_ruleset(a, seed);
		random_ruleset(b, seed);
		random_ruleset(c, seed);
		unsigned n = optimize_ruleset(b, OPT_ALL);
		rewrites += n;
		/* later rounds look only at changed chains: the same result as looking at all */
		assert_int_equal(optimize_ruleset(c, OPT_ALL | OPT_EVERY_CHAIN), n);
		if (!same_rules(b, c)) {
			fprintf(stderr, "seed %u: the incremental rounds differ from full ones\n", seed);
			fail();
		}
		assert_int_equal(ir_validate(a), 0);
		assert_int_equal(ir_validate(b), 0);
		struct evalst ea = { 0 }, eb = { 0 };
		unsigned ps = seed * 7919u;
		for (unsigned k = 0; k < 60; k++) {
			static const uint32_t srcs[] = { 0x0a010203, 0x0a010909, 0x0a630101, 0xc0a80101, 0x08080808 };
			static const uint16_t ports[] = { 22, 80, 445, 53 };
			struct pkt p = {
				.in = rnd(&ps, 2) ? "eth1" : "eth0", .src = srcs[rnd(&ps, 5)],
				.proto = rnd(&ps, 3) == 0 ? 1 : rnd(&ps, 2) ? 6 : 17, .dport = ports[rnd(&ps, 4)],
				.state = rnd(&ps, 2) ? IR_CT_NEW : IR_CT_ESTABLISHED, .mark = rnd(&ps, 3) == 0,
				.ipsec = rnd(&ps, 4) == 0,
			};
			const char *hook = rnd(&ps, 2) ? "INPUT" : "FORWARD";
			ea.loglen = eb.loglen = 0;
			ea.log[0] = eb.log[0] = 0;
			int va = fate(&ea, a, hook, p), vb = fate(&eb, b, hook, p);
			if (va != vb || strcmp(ea.log, eb.log) != 0) {
				fprintf(stderr, "seed %u packet %u (%s): %d [%s] became %d [%s]\n", seed, k, hook, va,
					ea.log, vb, eb.log);
				fail();
			}
			accepted += va == IRT_ACCEPT;
			decided++;
		}
	}
	/* the generator must give the passes something to do, and the packets a mix of fates */
	assert_true(rewrites > 400);
	assert_true(accepted > decided / 10 && accepted < decided * 9 / 10);
}

/* ---- the driver ----------------------------------------------------------------------------------- */

static void build_mixed(struct irfx *f)
{
	ir_chain_set_policy(chain(f, "INPUT"), IR_POLICY_DROP);
	struct ir_rule *r = rule(f, "INPUT");
	ir_match_in(r, "eth0", false);
	ir_target_jump(r, chain(f, "eth0_in"));
	r = rule(f, "eth0_in");
	ir_target_jump(r, chain(f, "net-fw"));
	policy_chain(f, "net-fw", IRT_DROP);
	addrtype(f, "net-fw", IR_AT_BROADCAST, IRT_DROP);
	ir_rule_remove(chain(f, "net-fw"), 1);
	verdict(f, "net-fw", IRT_DROP);
	tcp_port(f, "net-fw", 22, IRT_ACCEPT);
}

static void test_driver_levels(void **state)
{
	struct irfx *f = *state;
	build_mixed(f);
	const char *before = "-i eth0 -j eth0_in\n";
	assert_int_equal(optimize_ruleset(f->rs, 0), 0);
	assert_string_equal(fbody(f, "INPUT"), before);
	assert_int_equal(optimize_ruleset(f->rs, OPT_IDENTICAL | OPT_MULTIPORT), 0);
	assert_string_equal(fbody(f, "net-fw"),
		"-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
		"-m addrtype --dst-type BROADCAST -j DROP\n-j DROP\n-p tcp --dport 22 -j ACCEPT\n");
	/* the rule after the unconditional DROP goes, then the BROADCAST drop before it; eth0_in's
	 * one rule folds into INPUT (a builtin: net-fw does not merge into it) */
	assert_true(optimize_ruleset(f->rs, OPT_ALL) > 0);
	assert_string_equal(fbody(f, "INPUT"), "-i eth0 -j net-fw\n");
	assert_string_equal(fbody(f, "net-fw"), "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-j DROP\n");
	assert_string_equal(fbody(f, "eth0_in"), "(none)");
	assert_int_equal(optimize_ruleset(f->rs, OPT_ALL), 0);
	assert_int_equal(ir_validate(f->rs), 0);
}

static void test_kept_table(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = opt_kept_table(&n);
	assert_true(n > 0);
	assert_true(kw_sorted(t, n, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unreachable, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_not_after_jump, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_closing, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_short_empty, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_short_one_rule, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_short_merge, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_identical, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_identical_cascade, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_multiport, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_random_rulesets, irfx_setup, irfx_teardown),
		cmocka_unit_test_setup_teardown(test_driver_levels, irfx_setup, irfx_teardown),
		cmocka_unit_test(test_kept_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
