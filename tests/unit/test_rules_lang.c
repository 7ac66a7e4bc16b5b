/* test_rules_lang.c — the rules language end to end: sections, standard actions, nested macros, the columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "actions.h"
#include "build.h"
#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "netcheck.h"
#include "parsers.h"
#include "cfg_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A configuration compiled whole (OPTIMIZE=0: the chains as the builder made them). */
struct rx {
	struct diag d;
	struct compile c;
	struct ruleset *rs;
	char dir[96];
};

/* The group's scratch directory (cfg_fixture.h): every configuration goes below it. */
static int group_setup(void **state)
{
	static char root[64];
	strcpy(root, "/tmp/swc-ruleslang-XXXXXX");
	/* the shipped macros of this checkout (make test-unit runs from the repository root) */
	setenv("SHOREWALL_MACROS_DIR", "macros", 1);
	return cfx_scratch_make(state, root);
}

/* files: NULL-terminated name, text pairs over a two-zone base; errors: how many the load reports. */
static void rx_load(struct rx *x, void **state, const char *conf, const char *const *files)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->dir, sizeof(x->dir), "%s/cfgXXXXXX", (const char *)*state);
	assert_non_null(mkdtemp(x->dir));
	char cf[256];
	snprintf(cf, sizeof(cf), "STARTUP_ENABLED=Yes\nOPTIMIZE=0\n%s", conf ? conf : "");
	cfx_write(x->dir, "shorewall.conf", cf);
	cfx_write(x->dir, "zones", "fw firewall\nnet ipv4\nloc ipv4\n");
	cfx_write(x->dir, "interfaces", "?FORMAT 2\nnet eth0 -\nloc eth1 -\n");
	cfx_write(x->dir, "policy", "loc net ACCEPT\nnet all DROP\nall all REJECT\n");
	for (size_t i = 0; files[i]; i += 2)
		cfx_write(x->dir, files[i], files[i + 1]);
	diag_init(&x->d);
	compile_init(&x->c, &x->d, x->dir);
	if (config_load(&x->c) == 0)
		x->rs = build_ruleset(&x->c);
}

static void rx_free(struct rx *x)
{
	compile_fini(&x->c);
	diag_fini(&x->d);
}

static char *chain_text(struct rx *x, const char *name)
{
	return cfx_chain_text(x->rs, IR_FILTER, name);
}

static void expect_chain(struct rx *x, const char *name, const char *want)
{
	const char *got = chain_text(x, name);
	if (strcmp(got, want) != 0) {
		diag_flush(&x->d);
		fail_msg("chain %s:\n--- want\n%s\n--- got\n%s", name, want, got);
	}
}

static void expect_msg(struct rx *x, const char *msg)
{
	if (!diag_has(&x->d, msg)) {
		diag_flush(&x->d);
		fail_msg("missing message: %s", msg);
	}
}

static void no_errors(struct rx *x)
{
	if (x->d.errors)
		diag_flush(&x->d);
	assert_int_equal(x->d.errors, 0);
	assert_non_null(x->rs);
}

#define DEFAULT_DROP(c) "-A " c " -m addrtype --dst-type BROADCAST -j DROP\n-A " c \
			" -m addrtype --dst-type ANYCAST -j DROP\n-A " c " -m addrtype --dst-type MULTICAST -j DROP\n"

/* ---- sections --------------------------------------------------------------------------------------- */

/* 5.2.8's placement: ALL before any state; ESTABLISHED/INVALID rules in ^/_ chains jumped by state;
 * RELATED accepted on its own as the file leaves its section; NEW after. */
static void test_sections(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"?SECTION ALL\n"
		"DROP net $FW tcp 1\n"
		"?SECTION ESTABLISHED\n"
		"DROP net $FW tcp 2\n"
		"?SECTION RELATED\n"
		"ACCEPT loc $FW icmp\n"
		"?SECTION INVALID\n"
		"DROP net $FW\n"
		"?SECTION NEW\n"
		"ACCEPT net $FW tcp 22\n", NULL });
	no_errors(&x);
	expect_chain(&x, "net-fw",
		     "-A net-fw -p tcp --dport 1 -j DROP\n"
		     "-A net-fw -m conntrack --ctstate ESTABLISHED -j ^net-fw\n"
		     "-A net-fw -m conntrack --ctstate RELATED -j ACCEPT\n"
		     "-A net-fw -m conntrack --ctstate INVALID -j _net-fw\n"
		     "-A net-fw -p tcp --dport 22 -j ACCEPT\n"
		     DEFAULT_DROP("net-fw")
		     "-A net-fw -j DROP");
	expect_chain(&x, "^net-fw", "-A ^net-fw -p tcp --dport 2 -j DROP\n-A ^net-fw -j ACCEPT");
	/* INVALID_DISPOSITION=CONTINUE: the chain ends with the rule alone */
	expect_chain(&x, "_net-fw", "-A _net-fw -j DROP");
	/* first used in RELATED: ESTABLISHED settled then, RELATED ends its own chain */
	const char *lf = chain_text(&x, "loc-fw");
	assert_non_null(strstr(lf, "-A loc-fw -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
				   "-A loc-fw -m conntrack --ctstate RELATED -j +loc-fw\n"));
	expect_chain(&x, "+loc-fw", "-A +loc-fw -p icmp -j ACCEPT\n-A +loc-fw -j ACCEPT");
	/* a pair no rule names: one rule for both */
	const char *nl = chain_text(&x, "net-loc");
	assert_true(strstr(nl, "-A net-loc -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n") == nl);
	rx_free(&x);
}

/* A chain zone mss= wrote to before the rules file follows every section move, as in 5.2.8:
 * ESTABLISHED is settled on entering RELATED, RELATED on entering NEW. */
static void test_sections_in_use(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "zones", "fw firewall\nnet ipv4\nloc ipv4 mss=1400\n",
		"rules", "?SECTION RELATED\nACCEPT net $FW icmp\n?SECTION NEW\nACCEPT net loc tcp 22\n", NULL });
	no_errors(&x);
	assert_non_null(strstr(chain_text(&x, "loc-fw"), "--set-mss 1400\n"
			       "-A loc-fw -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
			       "-A loc-fw -m conntrack --ctstate RELATED -j ACCEPT\n"));
	assert_non_null(strstr(chain_text(&x, "net-loc"), "--set-mss 1400\n"
			       "-A net-loc -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
			       "-A net-loc -m conntrack --ctstate RELATED -j ACCEPT\n"
			       "-A net-loc -p tcp --dport 22 -j ACCEPT\n"));
	/* net-fw, no mss: first used in RELATED, ESTABLISHED settled then */
	assert_non_null(strstr(chain_text(&x, "net-fw"), "-A net-fw -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
			       "-A net-fw -m conntrack --ctstate RELATED -j +net-fw\n"));
	rx_free(&x);
}

/* A 2.x file (no sections) is all NEW: states first, then the rules. Dispositions are honoured. */
static void test_sections_none_and_dispositions(void **state)
{
	struct rx x;
	rx_load(&x, state, "INVALID_DISPOSITION=DROP\n", (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 22\n", NULL });
	no_errors(&x);
	const char *nf = chain_text(&x, "net-fw");
	/* ESTABLISHED is settled before a state with a verdict of its own */
	assert_true(strstr(nf, "-A net-fw -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
			       "-A net-fw -m conntrack --ctstate INVALID -j DROP\n"
			       "-A net-fw -m conntrack --ctstate RELATED -j ACCEPT\n"
			       "-A net-fw -p tcp --dport 22 -j ACCEPT\n") == nf);
	rx_free(&x);
}

static void test_sections_fastaccept(void **state)
{
	struct rx x;
	rx_load(&x, state, "FASTACCEPT=Yes\n", (const char *const[]){ "rules",
		"?SECTION ESTABLISHED\nDROP net $FW tcp 2\n?SECTION NEW\nACCEPT net $FW tcp 22\n", NULL });
	expect_msg(&x, "Entries in the ESTABLISHED SECTION of the rules file not permitted with FASTACCEPT=Yes");
	assert_int_equal(x.d.errors, 1);
	rx_free(&x);
}

/* ---- actions ------------------------------------------------------------------------------------------ */

static void test_actions_inline(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"Invalid(DROP) net loc\n"
		"NotSyn(DROP):info net loc\n"
		"dropInvalid net:192.0.2.1 loc\n"
		"AllowICMPs loc $FW\n"
		"Broadcast(ACCEPT) loc $FW\n"
		"DropDNSrep net loc\n", NULL });
	no_errors(&x);
	const char *nl = chain_text(&x, "net-loc");
	assert_non_null(strstr(nl, "-A net-loc -m conntrack --ctstate INVALID -j DROP\n"
				   "-A net-loc -p tcp ! --syn -j ~log0\n"
				   "-A net-loc -s 192.0.2.1 -m conntrack --ctstate INVALID -j DROP\n"
				   "-A net-loc -p udp --sport 53 -j DROP\n"));
	assert_non_null(strstr(chain_text(&x, "~log0"), "--log-prefix net-loc DROP "));
	const char *lf = chain_text(&x, "loc-fw");
	assert_non_null(strstr(lf, "-A loc-fw -p icmp --icmp-type 3/4 -j ACCEPT\n"
				   "-A loc-fw -p icmp --icmp-type 11 -j ACCEPT\n"
				   "-A loc-fw -m addrtype --dst-type BROADCAST -j ACCEPT\n"
				   "-A loc-fw -m addrtype --dst-type ANYCAST -j ACCEPT\n"));
	rx_free(&x);
}

/* Chained actions: one chain each, however many rules jump to it. */
static void test_actions_chained(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"DropSmurfs net $FW\ndropNotSyn net $FW\nrejNotSyn loc $FW\nTCPFlags net $FW\ndropNotSyn net loc\n", NULL });
	no_errors(&x);
	expect_chain(&x, "DropSmurfs", "-A DropSmurfs -s 0.0.0.0 -j RETURN\n"
		     "-A DropSmurfs -m addrtype --src-type BROADCAST -j DROP\n-A DropSmurfs -s 224.0.0.0/4 -j DROP");
	expect_chain(&x, "dropNotSyn", "-A dropNotSyn -p tcp ! --syn -j DROP");
	expect_chain(&x, "rejNotSyn", "-A rejNotSyn -p tcp ! --syn -j REJECT --reject-with tcp-reset");
	assert_non_null(strstr(chain_text(&x, "net-fw"), "-A net-fw -j DropSmurfs\n-A net-fw -p tcp -j dropNotSyn\n"
				 "-A net-fw -p tcp -j TCPFlags\n"));
	assert_non_null(strstr(chain_text(&x, "net-loc"), "-A net-loc -p tcp -j dropNotSyn\n"));
	assert_non_null(strstr(chain_text(&x, "TCPFlags"), "-A TCPFlags -p tcp --sport 0 --syn -j DROP"));
	rx_free(&x);
}

static void test_actions_errors(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"Broadcast(FOO) net $FW\nallowBcast(DROP) net $FW\nLimit net $FW\nInvalid(audit) net $FW\n", NULL });
	expect_msg(&x, "Unknown ACTION (FOO)");
	expect_msg(&x, "Invalid argument (DROP) to allowBcast");
	expect_msg(&x, "ACTION Limit is not supported by this compiler yet");
	expect_msg(&x, "The audit parameter of Invalid is not supported by this compiler yet");
	assert_int_equal(x.d.errors, 4);
	rx_free(&x);
}

/* Policy default actions go through the same table: inline lines in the policy chain. */
static void test_policy_default_actions(void **state)
{
	struct rx x;
	rx_load(&x, state, "DROP_DEFAULT=Invalid(DROP),dropNotSyn\n", (const char *const[]){ "rules", "", NULL });
	no_errors(&x);
	const char *nf = chain_text(&x, "net-fw");
	assert_non_null(strstr(nf, "-A net-fw -m conntrack --ctstate INVALID -j DROP\n-A net-fw -p tcp -j dropNotSyn\n"));
	rx_free(&x);
}

/* An action file of the admin's own is read by the parser but not built: said once, not per pair. */
static void test_policy_user_action(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "action.Mine", "DROP\n",
		"policy", "loc net ACCEPT\nnet all DROP:Mine\nall all REJECT\n", "rules", "", NULL });
	expect_msg(&x, "ACTION Mine is not supported by this compiler yet");
	assert_int_equal(x.d.errors, 1);
	rx_free(&x);
}

/* ---- macros -------------------------------------------------------------------------------------------- */

static void test_macros_nested(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){
		"macro.Both", "Web\nPing(PARAM)\nBroadcast(PARAM)\n",
		"rules", "Both(ACCEPT) net $FW\nMail(DROP) loc $FW\nNTPbi(DROP) net loc\n", NULL });
	no_errors(&x);
	assert_non_null(strstr(chain_text(&x, "net-fw"),
			       "-A net-fw -p tcp --dport 80 -j ACCEPT\n-A net-fw -p tcp --dport 443 -j ACCEPT\n"
			       "-A net-fw -p icmp --icmp-type 8 -j ACCEPT\n"
			       "-A net-fw -m addrtype --dst-type BROADCAST -j ACCEPT\n"));
	assert_non_null(strstr(chain_text(&x, "loc-fw"), "-A loc-fw -p tcp --dport 25 -j DROP\n"
			       "-A loc-fw -p tcp --dport 465 -j DROP\n-A loc-fw -p tcp --dport 587 -j DROP\n"));
	/* NTP DEST SOURCE: the reverse direction too */
	assert_non_null(strstr(chain_text(&x, "net-loc"), "-A net-loc -p udp --dport 123 -j DROP\n"));
	assert_non_null(strstr(chain_text(&x, "loc-net"), "-A loc-net -p udp --dport 123 -j DROP\n"));
	rx_free(&x);
}

static void test_macros_loop(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){
		"macro.Aa", "Bb\n", "macro.Bb", "Aa(PARAM)\n", "rules", "Aa(ACCEPT) net $FW\n", NULL });
	expect_msg(&x, "Macro invokes itself (Aa > Bb > Aa)");
	assert_int_equal(x.d.errors, 1);
	rx_free(&x);
}

/* ---- columns -------------------------------------------------------------------------------------------- */

static void test_columns(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"DROP net $FW !tcp\n"
		"ACCEPT net $FW icmp echo-request,time-exceeded,3/4\n"
		"REJECT(icmp-net-prohibited) net $FW udp 69\n"
		"REJECT(icmp-tcp-reset) net $FW tcp 70\n"
		"ACCEPT net $FW tcp 21 - - - - - - - - - ftp\n", NULL });
	no_errors(&x);
	assert_non_null(strstr(chain_text(&x, "net-fw"),
			       "-A net-fw ! -p tcp -j DROP\n"
			       "-A net-fw -p icmp --icmp-type 8 -j ACCEPT\n"
			       "-A net-fw -p icmp --icmp-type 11 -j ACCEPT\n"
			       "-A net-fw -p icmp --icmp-type 3/4 -j ACCEPT\n"
			       "-A net-fw -p udp --dport 69 -j REJECT --reject-with icmp-net-prohibited\n"
			       "-A net-fw -p tcp --dport 70 -j REJECT --reject-with tcp-reset\n"
			       "-A net-fw -p tcp --dport 21 -m helper --helper ftp -j ACCEPT\n"));
	rx_free(&x);
}

static void test_column_errors(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 1 - - - - - - - ipv6-frag\n"
		"ACCEPT net $FW tcp 2 - - - - - - - - sw1\n"
		"ACCEPT net $FW tcp 3 - - - - - - - - - bogus\n"
		"ACCEPT $FW:eth0 net tcp 4\n"
		"ACCEPT net $FW:eth0 tcp 5\n", NULL });
	expect_msg(&x, "A non-empty HEADER column requires Header Match in your kernel and iptables");
	expect_msg(&x, "A non-empty SWITCH column requires Condition Match in your kernel and iptables");
	expect_msg(&x, "Unrecognized helper (bogus)");
	expect_msg(&x, "Source Interface (eth0) not allowed when the SOURCE is the firewall");
	expect_msg(&x, "Destination Interface (eth0) not allowed when the destination zone is the firewall");
	assert_int_equal(x.d.errors, 5);
	rx_free(&x);
}

/* QUEUE takes no queue number (that is NFQUEUE's); 5.2.8 would write `-j QUEUE(1)` and fail to load. */
static void test_queue_param(void **state)
{
	struct rx x;
	rx_load(&x, state, NULL, (const char *const[]){ "rules", "QUEUE(1) net $FW tcp 80\n", NULL });
	expect_msg(&x, "The QUEUE TARGET does not accept a parameter");
	assert_int_equal(x.d.errors, 1);
	rx_free(&x);
}

/* Every ICMP type name the parser accepts is one the builder can emit. */
static void test_icmp_names(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = netcheck_icmp_table(&n);
	for (size_t i = 0; i < n; i++) {
		uint8_t t;
		int code;
		if (!ir_icmp_parse(k[i].name, &t, &code))
			fail_msg("ICMP type %s is not known to the IR", k[i].name);
	}
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = actions_table(&n);
	assert_true(n > 30);
	assert_true(kw_sorted(t, n, false));
	t = actions_verdict_table(&n);
	assert_true(kw_sorted(t, n, false));
	t = rules_build_section_table(&n);
	assert_int_equal(n, 6);
	assert_true(kw_sorted(t, n, false));
	t = rules_build_helper_table(&n);
	assert_true(kw_sorted(t, n, false));
	assert_true(actions_known("dropNotSyn"));
	assert_false(actions_known("dropnotsyn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_sections_in_use),
		cmocka_unit_test(test_sections_none_and_dispositions),
		cmocka_unit_test(test_sections_fastaccept),
		cmocka_unit_test(test_actions_inline),
		cmocka_unit_test(test_actions_chained),
		cmocka_unit_test(test_actions_errors),
		cmocka_unit_test(test_policy_default_actions),
		cmocka_unit_test(test_policy_user_action),
		cmocka_unit_test(test_macros_nested),
		cmocka_unit_test(test_macros_loop),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_column_errors),
		cmocka_unit_test(test_queue_param),
		cmocka_unit_test(test_icmp_names),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, group_setup, cfx_scratch_remove);
}
