/* test_rules_nat.c — the nat half of the rules language: DNAT, REDIRECT, NONAT, ACCEPT+, ORIGINAL DEST,
 * and the IR's original-destination matches they need. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "parsers.h"
#include "rules_int.h"
#include "cfg_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One compiled configuration, kept until nat_done(): net eth0, loc eth1, dmz eth2. */
struct nat {
	char dir[32];
	struct diag d;
	struct compile c;
	struct ruleset *rs;
};

static void nat_compile(struct nat *n, const char *policy, const char *rules)
{
	strcpy(n->dir, "/tmp/test_rules_nat.XXXXXX");
	assert_non_null(mkdtemp(n->dir));
	cfx_write(n->dir, "zones", "fw firewall\nnet ipv4\nloc ipv4\ndmz ipv4\n");
	cfx_write(n->dir, "interfaces", "?FORMAT 2\nnet eth0 -\nloc eth1 -\ndmz eth2 -\n");
	cfx_write(n->dir, "policy", policy ? policy : "loc net ACCEPT\nnet all DROP info\nall all REJECT info\n");
	cfx_write(n->dir, "rules", rules);
	cfx_write(n->dir, "shorewall.conf", "STARTUP_ENABLED=Yes\nOPTIMIZE=0\n");
	diag_init(&n->d);
	n->d.out = fopen("/dev/null", "w");
	compile_init(&n->c, &n->d, n->dir);
	config_load(&n->c);
	n->rs = n->d.errors ? NULL : build_ruleset(&n->c);
}

static void nat_done(struct nat *n)
{
	compile_fini(&n->c);
	if (n->d.out)
		fclose(n->d.out);
	n->d.out = NULL;
	diag_fini(&n->d);
	cfx_remove(n->dir);
}

/* The rules of a chain as iptables arguments, one line each ("-p tcp --dport 80 -j DNAT …"). */
static char *chain_text(const struct ruleset *rs, enum ir_table t, const char *name)
{
	const struct ir_chain *ch = ir_chain_find(rs, t, name);
	if (!ch)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ir_argv a;
	ir_argv_init(&a);
	for (size_t i = 0; i < ch->rules.n; i++) {
		ir_argv_render(&a, ch->rules.v[i]);
		for (size_t k = 0; k < a.n; k++)
			fprintf(f, "%s%s", k ? " " : "", a.v[k]);
		fputc('\n', f);
	}
	ir_argv_fini(&a);
	fclose(f);
	return buf;
}

static void assert_chain_has(const struct ruleset *rs, enum ir_table t, const char *chain, const char *line)
{
	char *text = chain_text(rs, t, chain);
	if (!text || !strstr(text, line))
		fail_msg("chain %s lacks \"%s\"; it holds:\n%s", chain, line, text ? text : "(no chain)");
	free(text);
}

static void assert_chain_lacks(const struct ruleset *rs, enum ir_table t, const char *chain, const char *what)
{
	char *text = chain_text(rs, t, chain);
	if (text && strstr(text, what))
		fail_msg("chain %s holds \"%s\":\n%s", chain, what, text);
	free(text);
}

/* What a chain must hold (lacks: must not hold) after a compile. */
struct want {
	enum ir_table t;
	const char *chain;
	const char *text;
	bool lacks;
};
#define HAS(t, chain, text) { t, chain, text, false }
#define LACKS(t, chain, text) { t, chain, text, true }

/* Compile rules over policy (NULL: the default) without an error, then check every want. */
static void nat_expect(struct nat *n, const char *policy, const char *rules, const struct want *w, size_t nw)
{
	nat_compile(n, policy, rules);
	assert_int_equal(n->d.errors, 0);
	assert_non_null(n->rs);
	for (size_t i = 0; i < nw; i++)
		if (w[i].lacks)
			assert_chain_lacks(n->rs, w[i].t, w[i].chain, w[i].text);
		else
			assert_chain_has(n->rs, w[i].t, w[i].chain, w[i].text);
}

/* ---- the tables --------------------------------------------------------------------------------- */

static void test_action_table(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = rules_nat_action_table(&n);
	assert_int_equal(n, 6);
	assert_true(kw_sorted(t, n, false));
	assert_true(rules_nat_action("REDIRECT-"));
	assert_true(rules_nat_action("ACCEPT+"));
	assert_false(rules_nat_action("ACCEPT"));
	assert_false(rules_nat_action(NULL));
	struct rule ru;
	memset(&ru, 0, sizeof(ru));
	ru.action = "DROP";
	assert_false(rules_nat_owns(&ru));
	const char *more[RC_COUNT - RC_COMMON] = { [RC_ORIGDEST - RC_COMMON] = "192.0.2.1" };
	ru.more = more;
	assert_true(rules_nat_owns(&ru));
}

/* ---- the IR: --ctorigdst / --ctorigdstport --------------------------------------------------------- */

static void test_ir_ctorig(void **state)
{
	(void)state;
	struct diag d;
	struct compile c;
	diag_init(&d);
	d.out = fopen("/dev/null", "w");
	compile_init(&c, &d, "/nonexistent");
	struct ruleset *rs = ir_ruleset_new(&c);
	struct ir_chain *ch = ir_chain_get(rs, IR_FILTER, "net-loc");
	struct ir_rule *r = ir_rule_append(ch, NULL);
	struct net4 n = { 0xc6336409, 24 };        /* 198.51.100.9/24: host bits go */
	ir_match_dst_net(r, &(struct net4){ 0xc0a8010a, 32 }, false);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8080, 8080, false);
	ir_match_ctorigdst(r, &n, true);
	ir_match_ctorigdstport(r, 80, 80, false);
	ir_target_simple(r, IRT_ACCEPT);
	char *text = chain_text(rs, IR_FILTER, "net-loc");
	assert_string_equal(text, "-d 192.168.1.10 -p tcp --dport 8080 -m conntrack ! --ctorigdst 198.51.100.0/24 "
				  "-m conntrack --ctorigdstport 80 -j ACCEPT\n");
	free(text);
	/* equal by meaning, different by port */
	struct ir_rule *r2 = ir_rule_copy(ch, IR_END, r);
	assert_true(ir_rule_equal(r, r2));
	assert_int_equal(ir_rule_hash(r), ir_rule_hash(r2));
	struct ir_rule *r3 = ir_rule_append(ch, NULL);
	ir_match_ctorigdstport(r3, 81, 90, false);
	ir_target_simple(r3, IRT_ACCEPT);
	const struct ir_match *m = ir_rule_find(r3, IRM_CTORIGDSTPORT);
	assert_non_null(m);
	assert_int_equal(m->u.ctorigdstport.lo, 81);
	assert_int_equal(m->u.ctorigdstport.hi, 90);
	assert_false(ir_match_equal(m, ir_rule_find(r, IRM_CTORIGDSTPORT)));
	assert_string_equal(ir_match_desc(IRM_CTORIGDST)->module, "conntrack");
	assert_true(ir_match_desc(IRM_CTORIGDSTPORT)->flags & IRM_F_INVERT);
	assert_int_equal(ir_validate(rs), 0);
	/* port 0 is nothing the kernel could match */
	struct ir_rule *bad = ir_rule_append(ch, NULL);
	ir_match_ctorigdstport(bad, 0, 0, false);
	assert_int_equal(ir_validate(rs), 1);
	assert_true(diag_has(&d, "Invalid port (ctorigdstport)"));
	compile_fini(&c);
	fclose(d.out);
	d.out = NULL;
	diag_fini(&d);
}

/* ---- DNAT ------------------------------------------------------------------------------------------ */

static void test_dnat_port_change(void **state)
{
	(void)state;
	static const struct want w[] = {
		HAS(IR_NAT, "PREROUTING", "-i eth0 -j net_dnat"),
		HAS(IR_NAT, "net_dnat", "-p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080"),
		HAS(IR_FILTER, "net-loc", "-d 192.168.1.10 -p tcp --dport 8080 "
					  "-m conntrack --ctorigdstport 80 -j ACCEPT"),
		/* the same port: nothing to test; a list: no single original port */
		HAS(IR_FILTER, "net-loc", "-d 192.168.1.11 -p tcp --dport 25 -j ACCEPT"),
		HAS(IR_FILTER, "net-loc", "-d 192.168.1.12 -p tcp --dport 22 -j ACCEPT"),
		HAS(IR_NAT, "net_dnat", "--to-destination 192.168.2.30-192.168.2.31:8443"),
		HAS(IR_FILTER, "net-dmz", "-m iprange --dst-range 192.168.2.30-192.168.2.31 -p tcp --dport 8443 "
					  "-m conntrack --ctorigdstport 4443"),
		HAS(IR_NAT, "net_dnat", "-p tcp --dport 81 -j DNAT --to-destination :8081"),
		HAS(IR_FILTER, "net-loc", "-p tcp --dport 8081 -m conntrack --ctorigdstport 81 -j ACCEPT"),
	};
	struct nat n;
	nat_expect(&n, NULL,
		   "DNAT net loc:192.168.1.10:8080 tcp 80\n"
		   "DNAT net loc:192.168.1.11:25 tcp smtp\n"
		   "DNAT net loc:192.168.1.12:22 tcp 2200,2201\n"
		   "DNAT net dmz:192.168.2.30-192.168.2.31:8443 tcp 4443\n"
		   "DNAT net loc::8081 tcp 81\n",
		   w, sizeof(w) / sizeof(w[0]));
	nat_done(&n);
}

static void test_dnat_origdest(void **state)
{
	(void)state;
	static const struct want w[] = {
		/* a list: one nat rule and one ACCEPT per original destination */
		HAS(IR_NAT, "net_dnat", "-d 198.51.100.9 -p tcp --dport 25 -j DNAT"),
		HAS(IR_NAT, "net_dnat", "-d 198.51.100.10 -p tcp --dport 25 -j DNAT"),
		HAS(IR_FILTER, "net-dmz", "--dport 25 -m conntrack --ctorigdst 198.51.100.9 -j ACCEPT"),
		HAS(IR_FILTER, "net-dmz", "--dport 25 -m conntrack --ctorigdst 198.51.100.10 -j ACCEPT"),
		/* an exclusion: RETURN in the nat table's ~excl chain, `! --ctorigdst` in the ACCEPT */
		HAS(IR_NAT, "~excl0", "-d 198.51.100.9 -j RETURN"),
		HAS(IR_NAT, "~excl0", "-j DNAT --to-destination 192.168.2.20"),
		HAS(IR_FILTER, "net-dmz", "-d 192.168.2.20 -p tcp --dport 110 "
					  "-m conntrack ! --ctorigdst 198.51.100.9 -j ACCEPT"),
		/* plain actions test the original destination in the filter table alone */
		HAS(IR_FILTER, "net-dmz", "--dport 82 -m conntrack ! --ctorigdst 198.51.100.9 -j ACCEPT"),
		HAS(IR_FILTER, "net-loc", "--dport 83 -m conntrack --ctorigdst 198.51.100.0/24 -j ~excl"),
	};
	struct nat n;
	nat_expect(&n, NULL,
		   "?SECTION NEW\n"
		   "DNAT net dmz:192.168.2.20 tcp 25 - 198.51.100.9,198.51.100.10\n"
		   "DNAT net dmz:192.168.2.20 tcp 110 - !198.51.100.9\n"
		   "ACCEPT net dmz:192.168.2.10 tcp 82 - !198.51.100.9\n"
		   "DROP net loc tcp 83 - 198.51.100.0/24!198.51.100.9\n",
		   w, sizeof(w) / sizeof(w[0]));
	char *text = chain_text(n.rs, IR_FILTER, "net-loc");
	assert_non_null(strstr(text, "-j ~excl"));
	const char *x = strstr(text, "-j ~excl") + 3;
	char name[16];
	sscanf(x, "%15s", name);
	free(text);
	assert_chain_has(n.rs, IR_FILTER, name, "-m conntrack --ctorigdst 198.51.100.9 -j RETURN");
	assert_chain_has(n.rs, IR_FILTER, name, "-j DROP");
	nat_done(&n);
}

static void test_dnat_columns_and_fw(void **state)
{
	(void)state;
	static const struct want w[] = {
		/* RATE and CONNLIMIT count where the connection is translated, not again in the ACCEPT */
		HAS(IR_NAT, "net_dnat", "--dport 9000 -m limit --limit 10/min --limit-burst 5 -j DNAT"),
		HAS(IR_FILTER, "net-loc", "-d 192.168.1.10 -p tcp --dport 9000 -j ACCEPT"),
		HAS(IR_NAT, "net_dnat", "--dport 9003 -m connlimit"),
		HAS(IR_FILTER, "net-loc", "-d 192.168.1.10 -p tcp --dport 9003 -j ACCEPT"),
		/* MARK in both */
		HAS(IR_NAT, "net_dnat", "--dport 9002 -m mark --mark 0x1 -j DNAT"),
		HAS(IR_FILTER, "net-loc", "--ctorigdstport 9002 -m mark --mark 0x1 -j ACCEPT"),
		/* from the firewall: nat OUTPUT, USER in both */
		HAS(IR_NAT, "OUTPUT", "-p tcp --dport 8081 "
				      "-m owner --uid-owner 0 -j DNAT --to-destination 192.168.1.10:8080"),
		HAS(IR_FILTER, "fw-loc", "--ctorigdstport 8081 -m owner --uid-owner 0 -j ACCEPT"),
		/* logged in the nat table only */
		HAS(IR_NAT, "~log0", "--log-prefix net_dnat DNAT "),
		LACKS(IR_FILTER, "net-loc", "~log"),
	};
	struct nat n;
	nat_expect(&n, NULL,
		   "?SECTION NEW\n"
		   "#ACTION SOURCE DEST PROTO DPORT SPORT ORIGDEST RATE USER MARK CONNLIMIT TIME\n"
		   "DNAT net loc:192.168.1.10 tcp 9000 - - 10/min:5\n"
		   "DNAT net loc:192.168.1.10:22 tcp 9002 - - - - 0x1\n"
		   "DNAT net loc:192.168.1.10 tcp 9003 - - - - - 3\n"
		   "DNAT $FW loc:192.168.1.10:8080 tcp 8081 - - - root\n"
		   "DNAT:info net:!198.51.100.79 loc:192.168.1.11 tcp 3392\n",
		   w, sizeof(w) / sizeof(w[0]));
	nat_done(&n);
}

/* ---- REDIRECT, NONAT, ACCEPT+ ------------------------------------------------------------------------ */

static void test_redirect(void **state)
{
	(void)state;
	static const struct want w[] = {
		HAS(IR_NAT, "~excl0", "-p tcp -j REDIRECT --to-ports 3128"),
		HAS(IR_FILTER, "loc-fw", "-p tcp --dport 3128 -m conntrack ! --ctorigdst 192.168.1.1 "
					 "-m conntrack --ctorigdstport 80 -j ACCEPT"),
		HAS(IR_NAT, "loc_dnat", "-p tcp --dport 8080 -j REDIRECT --to-ports 8080"),
		/* REDIRECT-: nat only */
		HAS(IR_NAT, "loc_dnat", "--dport 84 -j REDIRECT --to-ports 3132"),
		LACKS(IR_FILTER, "loc-fw", "3132"),
		/* all: every zone but the firewall itself */
		HAS(IR_NAT, "net_dnat", "--dport 86 -j REDIRECT --to-ports 3134"),
		HAS(IR_NAT, "dmz_dnat", "--dport 86 -j REDIRECT --to-ports 3134"),
		LACKS(IR_NAT, "OUTPUT", "3134"),
	};
	struct nat n;
	nat_expect(&n, NULL,
		   "REDIRECT loc 3128 tcp 80 - !192.168.1.1\n"
		   "REDIRECT loc - tcp 8080\n"
		   "REDIRECT- loc 3132 tcp 84\n"
		   "REDIRECT all 3134 tcp 86\n",
		   w, sizeof(w) / sizeof(w[0]));
	nat_done(&n);
}

static void test_nonat(void **state)
{
	(void)state;
	static const struct want w[] = {
		HAS(IR_NAT, "loc_dnat", "-s 192.168.1.50 -p tcp --dport 80 -j ACCEPT\n"
					"-p tcp --dport 80 -j REDIRECT"),
		HAS(IR_NAT, "net_dnat", "-s 198.51.100.51 -p tcp --dport 8080 -j ACCEPT"),
		HAS(IR_FILTER, "net-loc", "-s 198.51.100.51 -p tcp --dport 8080 -j ACCEPT"),
		HAS(IR_NAT, "net_dnat", "-p tcp --dport 8081 -m conntrack --ctorigdst 198.51.100.9 -j ACCEPT"),
		/* from the firewall: OUTPUT is a builtin chain, RETURN ends its nat walk */
		HAS(IR_NAT, "OUTPUT", "-p tcp --dport 8080 -j RETURN"),
		/* NONAT alone accepts nothing in the filter table */
		LACKS(IR_FILTER, "net-fw", "8081"),
	};
	struct nat n;
	nat_expect(&n, NULL,
		   "NONAT loc:192.168.1.50 net tcp 80\n"
		   "ACCEPT+ net:198.51.100.51 loc tcp 8080\n"
		   "NONAT net - tcp 8081 - 198.51.100.9\n"
		   "NONAT $FW net tcp 8080\n"
		   "REDIRECT loc 3128 tcp 80\n",
		   w, sizeof(w) / sizeof(w[0]));
	nat_done(&n);
}

/* ---- errors ------------------------------------------------------------------------------------------ */

static void test_errors(void **state)
{
	(void)state;
	struct nat n;
	nat_compile(&n, NULL,
		    "DNAT net loc:192.168.1.10:8080\n"
		    "REDIRECT loc 3128 tcp 80 - 198.51.100.9-198.51.100.10\n"
		    "DNAT $FW:eth0 loc:192.168.1.14 tcp 8084\n"
		    "NONAT loc net:eth0:198.51.100.1 tcp 80\n"
		    "DNAT net loc:192.168.1.11 tcp 8081 - &eth0\n");
	assert_null(n.rs);
	assert_int_equal(n.d.errors, 5);
	assert_true(diag_has(&n.d, "DNAT to a port (8080) needs one PROTO"));
	assert_true(diag_has(&n.d, "ORIGINAL DEST must be an address or network (198.51.100.9-198.51.100.10)"));
	assert_true(diag_has(&n.d, "Source Interface (eth0) not allowed when the SOURCE is the firewall"));
	assert_true(diag_has(&n.d, "Invalid DEST (eth0:198.51.100.1) in NONAT rule"));
	assert_true(diag_has(&n.d, "ORIGINAL DEST (&eth0) is not supported by this compiler yet"));
	nat_done(&n);

	nat_compile(&n, "loc net ACCEPT\nnet dmz NONE\nnet all DROP\nall all REJECT\n",
		    "DNAT net dmz:192.168.2.10 tcp 80\n"
		    "REDIRECT loc loc:192.168.1.1 tcp 80\n");
	assert_null(n.rs);
	assert_int_equal(n.d.errors, 2);
	assert_true(diag_has(&n.d, "Rules may not override a NONE policy"));
	assert_true(diag_has(&n.d, "A server IP address (192.168.1.1) may not be specified in a REDIRECT rule"));
	nat_done(&n);
}

/* A wildcard SOURCE skips the pairs whose policy is NONE, nat half included. */
static void test_wildcard_none(void **state)
{
	(void)state;
	static const struct want w[] = {
		HAS(IR_NAT, "net_dnat", "--dport 3389 -j DNAT"),
		HAS(IR_NAT, "OUTPUT", "--dport 3389 -j DNAT"),
	};
	struct nat n;
	nat_expect(&n, "loc net ACCEPT\ndmz loc NONE\nnet all DROP\nall all REJECT\n",
		   "DNAT all loc:192.168.1.11 tcp 3389\n",
		   w, sizeof(w) / sizeof(w[0]));
	assert_null(ir_chain_find(n.rs, IR_NAT, "dmz_dnat"));
	assert_null(ir_chain_find(n.rs, IR_NAT, "loc_dnat"));
	nat_done(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_ir_ctorig),
		cmocka_unit_test(test_dnat_port_change),
		cmocka_unit_test(test_dnat_origdest),
		cmocka_unit_test(test_dnat_columns_and_fw),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_nonat),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_wildcard_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
