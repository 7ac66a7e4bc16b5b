/* test_rules.c — the rules file's checks: actions, macros, zones and hosts, NAT destinations,
 * protocols and ports, rates, NONE pairs, sections, layouts, and the vocabularies' order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "macro_names.h"
#include "rule_typed.h"
#include "rules.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void setup(struct fx *t)
{
	fx_init_zones(t);
	/* net↔loc have NONE policies; everything else REJECT */
	fx_run(t, parse_policy, "policy", "net loc NONE\nloc net NONE\nall all REJECT\n");
	assert_int_equal(t->d.errors, 0);
}

static int run(struct fx *t, const char *text)
{
	return fx_run(t, parse_rules, "rules", text);
}

/* One line that must be accepted; returns its record. */
static struct rule *good(struct fx *t, const char *line)
{
	size_t i = fx_accept(t, parse_rules, "rules", &t->c.graph->rules.n, line, 1);
	return t->c.graph->rules.v[i];
}

/* One line that must be refused with exactly this one error (at line 1). */
static void bad(struct fx *t, const char *line, const char *msg)
{
	fx_refuse(t, parse_rules, "rules", &t->c.graph->rules.n, line, msg);
}

static void test_plain_rules(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	struct rule *r = good(&t, "ACCEPT net fw tcp 22");
	assert_string_equal(r->action, "ACCEPT");
	assert_string_equal(r->col[RC_SOURCE], "net");
	assert_string_equal(r->col[RC_DEST], "fw");
	assert_string_equal(r->col[RC_PROTO], "tcp");
	assert_string_equal(r->col[RC_DPORT], "22");
	assert_null(r->col[RC_SPORT]);
	assert_null(r->loglevel);
	assert_null(r->section);
	assert_int_equal(r->loc.line, 1);

	r = good(&t, "ACCEPT:info loc fw tcp ssh,www,1000:2000 - - 10/sec:20");
	assert_string_equal(r->loglevel, "info");
	assert_non_null(r->rate);
	assert_int_equal(r->rate->burst, 20);
	r = good(&t, "DROP:debug:mytag net fw udp 1024: 53");
	assert_string_equal(r->loglevel, "debug");
	good(&t, "REJECT! dmz vpn tcp,udp 53");
	good(&t, "ACCEPT net fw icmp echo-request,8/0,time-exceeded");
	good(&t, "ACCEPT net fw 47");
	good(&t, "ACCEPT net fw tcp:syn 80");
	good(&t, "ACCEPT net fw !icmp");
	good(&t, "ACCEPT net fw tcp !22,23");
	good(&t, "ACCEPT net fw tcp 1000-2000");
	good(&t, "ACCEPT net fw tcp 22 =");
	good(&t, "ACCEPT net fw tcp +ports");
	good(&t, "CONTINUE loc dmz");
	good(&t, "QUEUE loc dmz");
	good(&t, "NFQUEUE(2:3,bypass) loc dmz tcp");
	good(&t, "REJECT(tcp-reset) net fw tcp 23");
	good(&t, "REJECT(icmp-host-prohibited) net fw");
	good(&t, "LOG:NFLOG(1,0,1) net fw");
	r = good(&t, "NFLOG(5) net fw");
	assert_string_equal(r->loglevel, "NFLOG(5)");
	good(&t, "ACCEPT fw net tcp - - - - root");
	good(&t, "ACCEPT net fw tcp 80 - - - - - 10:24");
	fx_fini(&t);
}

static void test_macros_and_actions(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	struct rule *r = good(&t, "SSH(ACCEPT) net fw");
	assert_string_equal(r->action, "SSH");
	assert_string_equal(r->macro_param, "ACCEPT");
	r = good(&t, "SSH/ACCEPT net fw");     /* 2.x spelling */
	assert_string_equal(r->action, "SSH");
	assert_string_equal(r->macro_param, "ACCEPT");
	r = good(&t, "Ping(DROP):info net fw");
	assert_string_equal(r->loglevel, "info");
	good(&t, "Web(ACCEPT:info) loc dmz:203.0.113.5");
	good(&t, "DNS(ACCEPT) loc fw - 53");          /* ports without PROTO: the macro has one */
	good(&t, "HTTP(DNAT) net dmz:10.1.1.2");       /* a DNAT macro: DEST is a server */
	good(&t, "WireGuard(ACCEPT) net fw");
	good(&t, "Broadcast(DROP) net fw");
	good(&t, "Invalid(DROP) net fw");
	good(&t, "AllowICMPs loc fw");
	good(&t, "NotSyn(DROP):info net fw");
	good(&t, "Limit(net,3,60) net fw tcp 22");
	bad(&t, "FOO net fw", "Unknown ACTION (FOO)");
	bad(&t, "FOO(ACCEPT) net fw", "Unknown ACTION (FOO(ACCEPT))");
	bad(&t, "SSH(FOO) net fw", "Unknown ACTION (FOO)");
	bad(&t, "SSH(Web) net fw", "Unknown ACTION (Web)");
	bad(&t, "ssh(ACCEPT) net fw", "Unknown ACTION (ssh(ACCEPT))");
	fx_fini(&t);
}

static void test_user_macro_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_rules_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/macro.MyApp", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("PARAM - - tcp 8443\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/action.Mine", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);

	struct fx t;
	fx_init(&t, dir);
	fx_add_zone(&t, "fw", ZONE_FIREWALL);
	fx_add_zone(&t, "net", ZONE_IPV4);
	run(&t, "MyApp(ACCEPT) net fw\n"
		"Mine net fw\n"
		"YourApp(ACCEPT) net fw\n"
		"../macro.MyApp net fw\n");
	assert_int_equal(t.c.graph->rules.n, 2);
	fx_expect(&t, "Unknown ACTION (YourApp(ACCEPT)) /etc/shorewall/rules (line 3)");
	fx_expect(&t, "Unknown ACTION (../macro.MyApp) /etc/shorewall/rules (line 4)");
	assert_int_equal(t.d.errors, 2);
	assert_true(macro_file_exists(&t.c, "macro", "MyApp"));
	assert_false(macro_file_exists(&t.c, "macro", "Mine"));
	fx_fini(&t);
	snprintf(path, sizeof(path), "%s/macro.MyApp", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/action.Mine", dir);
	unlink(path);
	rmdir(dir);
}

static void test_action_errors(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	bad(&t, "ACCEPT:info:tag:x net fw", "Invalid ACTION (ACCEPT:info:tag:x)");
	bad(&t, "ACCEPT:loud net fw", "Invalid log level (loud)");
	bad(&t, "LOG net fw", "LOG requires a log level");
	bad(&t, "ACCEPT(1) net fw", "The ACCEPT TARGET does not accept a parameter");
	bad(&t, "REJECT(bogus) net fw", "Invalid REJECT option (bogus)");
	bad(&t, "REJECT(tcp-reset) net fw udp", "tcp-reset may only be used with PROTO tcp");
	bad(&t, "NFQUEUE(x) net fw", "Invalid NFQUEUE queue number (x)");
	bad(&t, "NFLOG(a,b) net fw", "Invalid log level (NFLOG(a,b))");
	bad(&t, "WHITELIST net fw", "'WHITELIST' may only be used in the blrules file");
	bad(&t, "TARPIT net fw udp", "TARPIT is only valid with PROTO tcp (6)");
	bad(&t, "TARPIT(sticky) net fw tcp", "TARPIT Parameter must be 'tarpit', 'honeypot' or 'reset'");
	bad(&t, "AUDIT(log) net fw", "Invalid AUDIT type (log) -- must be 'accept', 'drop' or 'reject'");
	bad(&t, "ADD net fw", "ADD rules require a set name parameter");
	bad(&t, "SSH(DNAT) net loc:192.168.1.1", "Rules may not override a NONE policy");
	bad(&t, "- net fw", "ACTION must be specified");
	bad(&t, "HELPER net fw tcp 21", "HELPER requires that a helper be specified in the HELPER column");
	fx_fini(&t);
}

static void test_zones(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	good(&t, "ACCEPT all fw tcp 22");
	good(&t, "ACCEPT all+ net");
	good(&t, "ACCEPT any!vpn,dmz fw");
	good(&t, "ACCEPT all!net fw");
	good(&t, "ACCEPT loc,dmz net");       /* a list: loc→net is NONE but wildcards skip it */
	good(&t, "ACCEPT loc,dmz+ all");
	good(&t, "ACCEPT all net");            /* all→net includes loc→net (NONE): skipped */
	good(&t, "ACCEPT fw all:192.0.2.1");
	unsigned w = t.d.warnings;
	good(&t, "ACCEPT all- net");
	assert_int_equal(t.d.warnings, w + 1);
	fx_expect(&t, "WARNING: all- is deprecated in favor of 'all!$FW'");
	good(&t, "ACCEPT any+- net");
	fx_expect(&t, "WARNING: any+- is deprecated in favor of 'any+!$FW'");
	/* none: the rule is ignored, as Shorewall does */
	size_t n = t.c.graph->rules.n;
	run(&t, "ACCEPT none fw\nACCEPT net NONE:eth0\n");
	fx_no_errors(&t);
	assert_int_equal(t.c.graph->rules.n, n);

	bad(&t, "ACCEPT bogus fw", "Unknown source zone (bogus)");
	bad(&t, "ACCEPT net x", "Unknown destination zone (x)");
	bad(&t, "ACCEPT loc,bogus fw", "Unknown source zone (bogus)");
	bad(&t, "ACCEPT net loc,mars", "Unknown destination zone (mars)");
	bad(&t, "ACCEPT all!mars fw", "Unknown zone (mars)");
	bad(&t, "ACCEPT all!net, fw", "Invalid exclusion list (!net,)");
	bad(&t, "ACCEPT all+* fw", "Unknown source zone (all+*)");
	bad(&t, "ACCEPT all++ fw", "Invalid SOURCE (all++)");
	bad(&t, "ACCEPT - fw", "Missing source zone");
	bad(&t, "ACCEPT net", "Missing destination zone");
	bad(&t, "ACCEPT net: fw", "Missing SOURCE Qualifier (net:)");
	bad(&t, "ACCEPT net 192.168.1.1", "Missing destination zone");
	fx_fini(&t);
}

static void test_hosts(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	good(&t, "ACCEPT loc:192.168.1.0/24 fw");
	good(&t, "ACCEPT loc:192.168.1.0/24!192.168.1.5,192.168.1.6 fw");
	good(&t, "ACCEPT loc:!192.168.1.5 fw");
	good(&t, "ACCEPT loc:eth1 fw");
	good(&t, "ACCEPT loc:eth1:192.168.1.10-192.168.1.20 fw");
	good(&t, "ACCEPT net:ppp0 fw");                 /* ppp+ covers ppp0 */
	good(&t, "ACCEPT loc:~00-11-22-33-44-55 fw");
	good(&t, "ACCEPT loc:+blocked fw");
	good(&t, "ACCEPT fw loc:eth1:192.168.1.1");
	bad(&t, "ACCEPT loc:10.0.0.300 fw", "Invalid IP address (10.0.0.300)");
	bad(&t, "ACCEPT loc:eth9 fw", "Unknown interface (eth9)");
	bad(&t, "ACCEPT loc:eth1:10.0.0.1/33 fw", "Invalid IP address (10.0.0.1/33)");
	bad(&t, "ACCEPT loc:~00-11-22 fw", "Invalid MAC address (~00-11-22)");
	bad(&t, "ACCEPT fw loc:192.168.1.1-192.168.1.0", "Invalid IP address (192.168.1.1-192.168.1.0)");
	fx_fini(&t);
}

static void test_nat(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	good(&t, "DNAT net dmz:10.1.1.2 tcp 80");
	good(&t, "DNAT net dmz:10.1.1.2:8080 tcp 80");
	good(&t, "DNAT net dmz:10.1.1.2-10.1.1.4:8080-8090 tcp 80 - 203.0.113.1");
	good(&t, "DNAT:info net dmz:10.1.1.2 tcp www");
	good(&t, "DNAT- net 10.1.1.2 tcp 80");
	good(&t, "DNAT net dmz::8080 tcp 80");         /* port only: the address stays */
	good(&t, "DNAT net dmz:10.1.1.2:8080:random tcp 80");
	good(&t, "DNAT net dmz:&eth2 tcp 80");
	fx_fini(&t);
}

static void test_nat_errors(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	bad(&t, "DNAT net dmz tcp 80", "Invalid or missing server IP address");
	bad(&t, "DNAT net dmz: tcp 80", "Missing DEST Qualifier (dmz:)");
	bad(&t, "DNAT net dmz:: tcp 80", "A server and/or port must be specified in the DEST column in DNAT rules");
	bad(&t, "DNAT net dmz:10.1.1.2,10.1.1.3 tcp 80", "An address list (10.1.1.2,10.1.1.3) is not allowed in the DEST column of a DNAT RULE");
	bad(&t, "DNAT net dmz:0.0.0.0 tcp 80", "Invalid server IP address (0.0.0.0)");
	bad(&t, "DNAT net dmz:&eth7 tcp 80", "Unknown interface (eth7)");
	bad(&t, "DNAT net dmz:10.1.1.0/24 tcp 80", "Invalid IP address (10.1.1.0/24)");
	bad(&t, "DNAT net dmz:10.1.1.2:99999 tcp 80", "Invalid/Unknown tcp port/service (99999)");
	bad(&t, "DNAT net dmz:10.1.1.2 tcp 80 - 300.1.1.1", "Invalid IP address (300.1.1.1)");
	bad(&t, "DNAT- net - tcp 80", "Invalid or missing server IP address");
	bad(&t, "REDIRECT loc 99999 tcp 80", "Invalid/Unknown tcp port/service (99999)");
	fx_fini(&t);
}

static void test_redirect(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	good(&t, "REDIRECT loc 3128 tcp www");
	good(&t, "REDIRECT loc fw:3128 tcp www");
	good(&t, "REDIRECT loc fw::3128 tcp www");
	good(&t, "REDIRECT- loc - tcp www");
	fx_fini(&t);
}

static void test_protocols_and_ports(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	bad(&t, "ACCEPT net fw tcp 99999", "Invalid/Unknown tcp port/service (99999)");
	bad(&t, "ACCEPT net fw udp nosuchservice", "Invalid/Unknown udp port/service (nosuchservice)");
	bad(&t, "ACCEPT net fw tcp 2000:1000", "Invalid port range (2000:1000)");
	bad(&t, "ACCEPT net fw tcp 1:2:3", "Invalid port range (1:2:3)");
	bad(&t, "ACCEPT net fw tcp 0", "Invalid/Unknown tcp port/service (0)");
	bad(&t, "ACCEPT net fw foo", "Invalid/Unknown protocol (foo)");
	bad(&t, "ACCEPT net fw 256", "Invalid/Unknown protocol (256)");
	bad(&t, "ACCEPT net fw esp 22", "SOURCE/DEST PORT(S) not allowed with PROTO esp");
	bad(&t, "ACCEPT net fw - 22", "SOURCE/DEST PORT(S) not allowed without PROTO");
	bad(&t, "ACCEPT net fw !tcp 22", "SOURCE/DEST PORT(S) not allowed with PROTO !tcp");
	bad(&t, "ACCEPT net fw icmp bogus-type", "Invalid ICMP Type (bogus-type)");
	bad(&t, "ACCEPT net fw icmp 8 22", "SOURCE PORT(S) not permitted with ICMP");
	bad(&t, "ACCEPT net fw udp:syn", "\":syn\" is only allowed with tcp");
	bad(&t, "ACCEPT net fw tcp,!udp 22", "Inversion not allowed in a PROTO list");
	bad(&t, "ACCEPT net fw ipv6-icmp", "IPv6_ICMP not permitted in an IPv4 configuration");
	bad(&t, "ACCEPT net fw udp - =", "'=' in the SOURCE PORT(S) column requires one or more ports in the DEST PORT(S) column");
	bad(&t, "ACCEPT net fw tcp !1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "An inverted port list may only have up to 15 ports");
	/* a protocol list is checked per protocol: both complain about the port */
	run(&t, "ACCEPT net fw tcp,udp 70000");
	fx_expect(&t, "Invalid/Unknown tcp port/service (70000)");
	fx_expect(&t, "Invalid/Unknown udp port/service (70000)");
	fx_fini(&t);
}

static void test_other_columns(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	bad(&t, "ACCEPT net fw tcp 22 - - 10/minute:5:9", "Invalid rate (10/minute:5:9)");
	bad(&t, "ACCEPT net fw tcp 22 - - - root", "USER/GROUP may only be specified when the SOURCE zone is $FW");
	bad(&t, "ACCEPT net fw tcp 22 - - - - - x", "Invalid connlimit (x)");
	bad(&t, "ACCEPT net fw tcp 22 - &eth9", "Unknown interface (eth9)");
	struct rule *r = good(&t, "ACCEPT net fw tcp 22 - - - - 0x1/0xff 3 timestart=08:00 auth sw1 ftp");
	assert_string_equal(rule_col(r, RC_MARK), "0x1/0xff");
	assert_string_equal(rule_col(r, RC_TIME), "timestart=08:00");
	assert_string_equal(rule_col(r, RC_HEADERS), "auth");
	assert_string_equal(rule_col(r, RC_SWITCH), "sw1");
	assert_string_equal(rule_col(r, RC_HELPER), "ftp");
	bad(&t, "ACCEPT net fw tcp 22 - - - - - - - - - - extra", "Invalid rules file entry (too many columns)");
	fx_fini(&t);
}

static void test_none_policy(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	bad(&t, "ACCEPT net loc tcp 22", "Rules may not override a NONE policy");
	bad(&t, "ACCEPT loc:192.168.1.1 net", "Rules may not override a NONE policy");
	bad(&t, "SSH(ACCEPT) loc net", "Rules may not override a NONE policy");
	bad(&t, "DNAT net loc:192.168.1.5 tcp 80", "Rules may not override a NONE policy");
	/* wildcards skip NONE pairs; NAT-only rules have no filter part */
	good(&t, "ACCEPT all loc tcp 22");
	good(&t, "DNAT- net 192.168.1.5 tcp 22");
	good(&t, "ACCEPT net dmz");
	fx_fini(&t);
}

static void test_sections_and_layout(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	run(&t, "ACCEPT net fw tcp 22\n");
	assert_string_equal(t.c.files.v[t.c.files.n - 1]->layout, "2.x");
	run(&t, "?SECTION ESTABLISHED\n"
		"ACCEPT net fw\n"
		"DNAT net dmz:10.1.1.1 tcp 80\n"
		"HTTP(DNAT) net dmz:10.1.1.1\n"
		"?SECTION NEW\n"
		"DNAT net dmz:10.1.1.1 tcp 80\n");
	assert_string_equal(t.c.files.v[t.c.files.n - 1]->layout, "5.2");
	fx_expect(&t, "ERROR: NAT rules are only allowed in the NEW section /etc/shorewall/rules (line 3)");
	fx_expect(&t, "ERROR: NAT rules are only allowed in the NEW section /etc/shorewall/rules (line 4)");
	assert_int_equal(t.d.errors, 2);
	size_t n = t.c.graph->rules.n;
	assert_string_equal(t.c.graph->rules.v[n - 2]->section, "ESTABLISHED");
	assert_string_equal(t.c.graph->rules.v[n - 1]->section, "NEW");
	run(&t, "ACCEPT net fw tcp 22 - - - - 1 - - - -\n");
	assert_string_equal(t.c.files.v[t.c.files.n - 1]->layout, "5.2");
	fx_fini(&t);
}

static void test_every_error_reported(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	/* several problems on several lines: all of them come out in one run */
	run(&t, "FOO net fw tcp 99999\n"
		"ACCEPT bogus fw\n"
		"ACCEPT net fw tcp 22\n"
		"ACCEPT net loc\n");
	fx_expect(&t, "Unknown ACTION (FOO) /etc/shorewall/rules (line 1)");
	fx_expect(&t, "Invalid/Unknown tcp port/service (99999) /etc/shorewall/rules (line 1)");
	fx_expect(&t, "Unknown source zone (bogus) /etc/shorewall/rules (line 2)");
	fx_expect(&t, "Rules may not override a NONE policy /etc/shorewall/rules (line 4)");
	assert_int_equal(t.d.errors, 4);
	assert_int_equal(t.c.graph->rules.n, 1);
	fx_fini(&t);
}

/* What the checks keep for the builder (rule_typed.h): qualifiers, zones, the plain PROTO and
 * ports, the target's position; nothing for macros, the nat forms, or what the builder reads itself. */
static void test_typed(void **state)
{
	(void)state;
	struct fx t;
	setup(&t);
	struct rule *r = good(&t, "ACCEPT net fw tcp 22");
	const struct rule_typed *ty = r->typed;
	assert_non_null(ty);
	assert_true(ty->single);            /* one pair: in the source zone's arena */
	assert_non_null(ty->file->homes[fx_zone(&t, "net")->index]);
	assert_int_equal(ty->szone, fx_zone(&t, "net")->index);
	assert_int_equal(ty->dzone, fx_zone(&t, "fw")->index);
	assert_null(ty->s);
	assert_null(ty->d);
	size_t n;
	const struct keyword *targets = rules_target_table(&n);
	assert_string_equal(targets[ty->target - 1].name, "ACCEPT");
	assert_non_null(ty->ps);
	assert_int_equal(ty->ps->num, 6);
	assert_int_equal(ty->ps->ndp, 1);
	assert_int_equal(ty->ps->dp[0].lo, 22);
	assert_int_equal(ty->ps->dp[0].hi, 22);
	assert_int_equal(ty->ps->nsp, 0);

	ty = good(&t, "DROP loc:eth1:192.168.1.0/24,192.168.1.5-192.168.1.9!192.168.1.7 dmz:10.0.0.1 udp "
		      "80,1000:2000 :1024")->typed;
	assert_non_null(ty);
	assert_string_equal(ty->s->iface, "eth1");
	assert_int_equal(ty->s->naddrs, 2);
	assert_int_equal(ty->s->addrs[0].kind, ADDR_NET);
	assert_int_equal(ty->s->addrs[0].net.len, 24);
	assert_int_equal(ty->s->addrs[1].kind, ADDR_RANGE);
	assert_int_equal(ty->s->nexcl, 1);
	assert_int_equal(ty->s->excl[0].net.addr, 0xc0a80107);
	assert_null(ty->d->iface);
	assert_int_equal(ty->d->naddrs, 1);
	assert_int_equal(ty->ps->num, 17);
	assert_int_equal(ty->ps->ndp, 2);
	assert_int_equal(ty->ps->dp[1].lo, 1000);
	assert_int_equal(ty->ps->dp[1].hi, 2000);
	assert_int_equal(ty->ps->nsp, 1);
	assert_int_equal(ty->ps->sp[0].lo, 0);
	assert_int_equal(ty->ps->sp[0].hi, 1024);

	ty = good(&t, "ACCEPT loc:~00-11-22-33-44-55,+blocked fw")->typed;
	assert_int_equal(ty->s->nmacs, 1);
	assert_int_equal(ty->s->macs[0][5], 0x55);
	assert_int_equal(ty->s->naddrs, 1);
	assert_string_equal(ty->s->addrs[0].set, "blocked");
	assert_int_equal(ty->ps->num, 0);   /* no PROTO */

	ty = good(&t, "ACCEPT all loc:192.168.1.1 tcp ssh")->typed;
	assert_non_null(ty);
	assert_false(ty->single);           /* a wildcard: the builder makes the zone sets */
	assert_int_equal(ty->d->naddrs, 1);
	assert_null(ty->ps);                /* a service name: the builder reads it */

	/* the builder reads these from the text (and reports what it cannot build) */
	assert_null(good(&t, "ACCEPT loc fw:~00-11-22-33-44-55")->typed);     /* a MAC in DEST */
	assert_null(good(&t, "ACCEPT loc dmz tcp 80 - 192.0.2.1")->typed);    /* ORIGINAL DEST */
	assert_null(good(&t, "ACCEPT loc dmz icmp echo-request")->typed->ps);
	assert_null(good(&t, "ACCEPT loc dmz tcp:syn 22")->typed->ps);
	assert_null(good(&t, "ACCEPT loc dmz tcp,udp 22")->typed->ps);
	assert_null(good(&t, "SSH(ACCEPT) loc dmz")->typed);
	assert_null(good(&t, "DNAT net dmz:192.168.1.3 tcp 80")->typed);
	assert_null(good(&t, "ACCEPT+ loc dmz tcp 80")->typed);
	fx_fini(&t);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = rules_target_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_non_null(kw_find(k, n, "DNAT-"));
	assert_non_null(kw_find(k, n, "ACCEPT+"));
	k = rules_reject_table(&n);
	assert_true(kw_sorted(k, n, false));
	k = rules_wild_modifier_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_int_equal(n, 5);
	k = rules_audit_table(&n);
	assert_true(kw_sorted(k, n, false));
	k = rules_tarpit_table(&n);
	assert_true(kw_sorted(k, n, false));
	k = macro_names_table(&n);
	assert_true(kw_sorted(k, n, false));
	const char *required[] = { "SSH", "HTTP", "HTTPS", "Web", "DNS", "Ping", "SMTP", "SMTPS", "Submission",
				   "IMAP", "IMAPS", "POP3", "POP3S", "NTP", "SNMP", "FTP", "Rsync", "MySQL",
				   "PostgreSQL", "RDP", "VNC", "IPsec", "IPsecah", "IPsecnat", "IKE", "OpenVPN",
				   "WireGuard", "BitTorrent", "Trcrt", "Telnet", "LDAP", "LDAPS", "Syslog", "TFTP",
				   "Git", "Squid", "Webmin", "SMB", "DHCPfwd", "Jabber", "IRC", "NNTP", "Auth",
				   "Finger", "Whois" };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		assert_true(macro_name_known(required[i]));
	assert_false(macro_name_known("ssh"));
	k = builtin_action_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_true(builtin_action_known("Broadcast"));
	assert_true(builtin_action_known("Limit"));
	assert_false(builtin_action_known("Drop"));     /* gone in 5.2 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rules),
		cmocka_unit_test(test_macros_and_actions),
		cmocka_unit_test(test_user_macro_file),
		cmocka_unit_test(test_action_errors),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_nat_errors),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_protocols_and_ports),
		cmocka_unit_test(test_other_columns),
		cmocka_unit_test(test_none_policy),
		cmocka_unit_test(test_sections_and_layout),
		cmocka_unit_test(test_every_error_reported),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
