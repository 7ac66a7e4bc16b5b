/* test_explain.c — explain's matcher (every IR match kind), SA options, routes and the walk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "explain.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "parsers.h"
#include "build.h"
#include "cfg_fixture.h"

#include <stdlib.h>
#include <unistd.h>

struct xfx {
	struct diag d;
	struct compile c;
	struct ruleset *rs;
	struct ir_chain *ch;        /* a scratch chain for rules under test */
	struct explain e;
	const char *note;
	struct xp_ctx x;
};

static const struct loc L = { "/etc/shorewall/rules", 12 };

static uint32_t ip(const char *s)
{
	uint32_t a = 0;
	assert_true(addr_parse_ip4(s, &a));
	return a;
}

static int setup(void **state)
{
	struct xfx *f = test_calloc(1, sizeof(*f));
	diag_init(&f->d);
	f->d.out = fopen("/dev/null", "w");
	compile_init(&f->c, &f->d, "/nonexistent");
	f->c.graph = graph_new(&f->c);
	f->rs = ir_ruleset_new(&f->c);
	f->ch = ir_chain_get(f->rs, IR_FILTER, "scratch");
	f->e.c = &f->c;
	f->e.rs = f->rs;
	f->e.a = f->c.arena;
	struct xp_fwaddr fa = { "eth0", { ip("198.51.100.0"), 24 }, ip("198.51.100.9") };
	vec_push(f->e.a, &f->e.req.fwaddrs, fa);
	struct xp_packet *p = &f->e.pkt;
	p->src = ip("192.168.1.10");
	p->dst = ip("198.51.100.50");
	p->src_known = p->dst_known = true;
	p->proto = 6;
	p->sport = 40000;
	p->dport = 80;
	p->tcp_flags = IR_TCP_SYN;
	p->mss = 1460;
	p->in = "eth1";
	p->out = "eth0";
	p->ctstate = IR_CT_NEW;
	f->x = (struct xp_ctx){ .e = &f->e, .p = &f->e.pkt, .hook = XH_FORWARD, .note = &f->note };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct xfx *f = *state;
	compile_fini(&f->c);
	fclose(f->d.out);
	diag_fini(&f->d);
	test_free(f);
	return 0;
}

/* Walk the packet again after a change: the last walk's trace and decider forgotten. */
static void rewalk(struct xfx *f)
{
	f->e.steps.n = 0;
	f->e.decider_chain = NULL;
	xp_walk(&f->e);
}

static bool m(struct xfx *f, const struct ir_match *mt)
{
	f->note = NULL;
	return xp_match(&f->x, mt);
}

#define RULE(f) ir_rule_append((f)->ch, &L)

static void test_iface_and_addresses(void **state)
{
	struct xfx *f = *state;
	assert_true(m(f, ir_match_in(RULE(f), "eth1", false)));
	assert_false(m(f, ir_match_in(RULE(f), "eth1", true)));
	assert_true(m(f, ir_match_in(RULE(f), "eth+", false)));
	assert_false(m(f, ir_match_in(RULE(f), "ppp+", false)));
	assert_true(m(f, ir_match_out(RULE(f), "eth0", false)));
	assert_false(m(f, ir_match_out(RULE(f), "eth1", false)));
	f->e.pkt.in = NULL;     /* the firewall's own packet: no -i ever matches */
	assert_false(m(f, ir_match_in(RULE(f), "eth+", false)));
	f->e.pkt.in = "eth1";

	struct net4 loc = { ip("192.168.1.0"), 24 }, other = { ip("10.0.0.0"), 8 }, any = { 0, 0 };
	assert_true(m(f, ir_match_src_net(RULE(f), &loc, false)));
	assert_false(m(f, ir_match_src_net(RULE(f), &other, false)));
	assert_true(m(f, ir_match_src_net(RULE(f), &other, true)));
	assert_false(m(f, ir_match_dst_net(RULE(f), &loc, false)));
	assert_true(m(f, ir_match_dst_range(RULE(f), ip("198.51.100.40"), ip("198.51.100.60"), false)));
	assert_false(m(f, ir_match_dst_range(RULE(f), ip("198.51.100.51"), ip("198.51.100.60"), false)));
	/* an unknown address is outside every named network, inside 0.0.0.0/0 */
	f->e.pkt.src_known = false;
	assert_false(m(f, ir_match_src_net(RULE(f), &loc, false)));
	assert_non_null(f->note);
	assert_true(m(f, ir_match_src_net(RULE(f), &any, false)));
	f->e.pkt.src_known = true;
	/* ipsets: never a member (with a note) */
	assert_false(m(f, ir_match_src_set(RULE(f), "blacklist", false)));
	assert_non_null(f->note);
	assert_true(m(f, ir_match_src_set(RULE(f), "blacklist", true)));
}

static void test_protocol(void **state)
{
	struct xfx *f = *state;
	assert_true(m(f, ir_match_proto(RULE(f), 6)));
	assert_false(m(f, ir_match_proto(RULE(f), 17)));
	assert_true(m(f, ir_match_dport(RULE(f), 80, 80, false)));
	assert_false(m(f, ir_match_dport(RULE(f), 81, 90, false)));
	assert_true(m(f, ir_match_dport(RULE(f), 81, 90, true)));
	assert_true(m(f, ir_match_sport(RULE(f), 1024, 65535, false)));
	struct ir_portrange pr[] = { { 22, 22 }, { 70, 79 }, { 80, 80 } };
	assert_true(m(f, ir_match_dports(RULE(f), pr, 3, false)));
	assert_false(m(f, ir_match_dports(RULE(f), pr, 2, false)));
	assert_true(m(f, ir_match_syn(RULE(f))));
	assert_false(m(f, ir_match_tcp_flags(RULE(f), IR_TCP_SYN | IR_TCP_ACK, IR_TCP_ACK)));
	f->e.pkt.tcp_flags = IR_TCP_ACK;
	assert_false(m(f, ir_match_syn(RULE(f))));
	assert_true(m(f, ir_match_tcp_flags(RULE(f), IR_TCP_SYN | IR_TCP_ACK, IR_TCP_ACK)));
	/* icmp echo request: type, type/code, any */
	f->e.pkt.proto = 1;
	f->e.pkt.icmp_type = 8;
	f->e.pkt.icmp_code = 0;
	assert_true(m(f, ir_match_icmp(RULE(f), 8, -1)));
	assert_true(m(f, ir_match_icmp(RULE(f), 8, 0)));
	assert_false(m(f, ir_match_icmp(RULE(f), 8, 1)));
	assert_false(m(f, ir_match_icmp(RULE(f), 0, -1)));
	assert_true(m(f, ir_match_icmp(RULE(f), 255, -1)));
	/* ports never match a protocol without ports */
	assert_false(m(f, ir_match_dport(RULE(f), 0, 65535, false)));
}

static void test_state_and_policy(void **state)
{
	struct xfx *f = *state;
	assert_true(m(f, ir_match_ctstate(RULE(f), IR_CT_NEW | IR_CT_INVALID, false)));
	assert_false(m(f, ir_match_ctstate(RULE(f), IR_CT_ESTABLISHED | IR_CT_RELATED, false)));
	assert_true(m(f, ir_match_ctstate(RULE(f), IR_CT_ESTABLISHED, true)));

	/* no SA: --pol none holds, --pol ipsec does not */
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_NONE, NULL)));
	assert_false(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, NULL)));
	/* an SA inbound with reqid 1, esp */
	const char *bad = NULL;
	assert_true(xp_sa_parse(f->e.a, "reqid=1,proto=esp", &f->e.pkt.sa_in, &bad));
	assert_false(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_NONE, NULL)));
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, NULL)));
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_OUT, IR_POL_NONE, NULL)));

	struct ipsec_opt reqid2 = { IPSEC_REQID, false, "2", NULL };
	struct ipsec_opt reqid1 = { IPSEC_REQID, false, "1", NULL };
	struct ipsec_opt notreq2 = { IPSEC_REQID, true, "2", NULL };
	struct ipsec_opt ah = { IPSEC_PROTO, false, "ah", NULL };
	struct ipsec_opt mode = { IPSEC_MODE, false, "tunnel", NULL };
	assert_false(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &reqid2)));
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &reqid1)));
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &notreq2)));
	assert_false(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &ah)));
	/* the SA did not say its mode: assumed to match, with a note */
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &mode)));
	assert_non_null(f->note);
	/* two elements, not strict: either will do */
	struct ipsec_opt e2b = { IPSEC_REQID, false, "1", NULL };
	struct ipsec_opt nx = { IPSEC_NEXT, false, NULL, &e2b };
	struct ipsec_opt e2a = { IPSEC_REQID, false, "2", &nx };
	assert_true(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &e2a)));
	struct ipsec_opt strict = { IPSEC_STRICT, false, NULL, &e2a };
	assert_false(m(f, ir_match_policy(RULE(f), IR_DIR_IN, IR_POL_IPSEC, &strict)));

	assert_false(xp_sa_parse(f->e.a, "reqid=x", &f->e.pkt.sa_out, &bad));
	assert_string_equal(bad, "reqid=x");
	assert_false(xp_sa_parse(f->e.a, "colour=blue", &f->e.pkt.sa_out, &bad));
	assert_true(xp_sa_parse(f->e.a, "mode=transport,tunnel-src=203.0.113.2,spi=0x100", &f->e.pkt.sa_out, &bad));
	assert_int_equal(f->e.pkt.sa_out.spi, 0x100);
	assert_int_equal(f->e.pkt.sa_out.has, IR_PE_MODE | IR_PE_TUNNEL_SRC | IR_PE_SPI);
}

static void test_assumed_kinds(void **state)
{
	struct xfx *f = *state;
	assert_true(m(f, ir_match_limit(RULE(f), 3, IR_PER_MIN, 5)));
	assert_non_null(f->note);
	assert_true(m(f, ir_match_hashlimit(RULE(f), 1, IR_PER_SEC, 10, IR_HL_SRCIP, "lograte")));
	struct ir_rule *r = RULE(f);
	struct ir_match *hl = ir_match_hashlimit(r, 1, IR_PER_SEC, 10, IR_HL_SRCIP, "above");
	hl->u.hashlimit.above = true;
	assert_false(m(f, hl));
	/* addrtype: unicast to an ordinary host; broadcast, multicast, the firewall's own */
	assert_false(m(f, ir_match_addrtype(RULE(f), IR_DST, IR_AT_BROADCAST, false)));
	assert_true(m(f, ir_match_addrtype(RULE(f), IR_DST, IR_AT_UNICAST, false)));
	assert_non_null(f->note);
	f->e.pkt.dst = ip("198.51.100.255");
	assert_true(m(f, ir_match_addrtype(RULE(f), IR_DST, IR_AT_BROADCAST, false)));
	f->e.pkt.dst = ip("224.0.0.5");
	assert_true(m(f, ir_match_addrtype(RULE(f), IR_DST, IR_AT_MULTICAST, false)));
	f->e.pkt.dst = ip("198.51.100.9");
	assert_true(m(f, ir_match_addrtype(RULE(f), IR_DST, IR_AT_LOCAL, false)));
	assert_false(m(f, ir_match_addrtype(RULE(f), IR_SRC, IR_AT_LOCAL, false)));
	f->e.pkt.dst = ip("198.51.100.50");
	/* tcpmss on the SYN */
	assert_true(m(f, ir_match_tcpmss(RULE(f), 1400, 1536, false)));
	assert_false(m(f, ir_match_tcpmss(RULE(f), 1, 1399, false)));
	/* marks start at 0 */
	assert_true(m(f, ir_match_mark(RULE(f), 0, 0xff, false)));
	assert_false(m(f, ir_match_mark(RULE(f), 1, 0xff, false)));
	f->e.pkt.connmark = 0x12;
	assert_true(m(f, ir_match_connmark(RULE(f), 0x2, 0xf, false)));
	/* owner: only the firewall's own packets, assumed root */
	assert_false(m(f, ir_match_owner(RULE(f), 0, -1, false)));
	f->x.hook = XH_OUTPUT;
	f->e.pkt.in = NULL;
	assert_true(m(f, ir_match_owner(RULE(f), 0, -1, false)));
	assert_false(m(f, ir_match_owner(RULE(f), 1000, -1, false)));
	assert_true(m(f, ir_match_owner(RULE(f), 1000, -1, true)));
	/* connlimit: this connection is the only one */
	assert_false(m(f, ir_match_connlimit(RULE(f), 2, 32, false, false)));
	assert_true(m(f, ir_match_connlimit(RULE(f), 0, 32, false, false)));
	assert_true(m(f, ir_match_connlimit(RULE(f), 2, 32, false, true)));
	/* time: the whole day, every weekday, matches now */
	struct ir_time t = { .start = 0, .stop = 86399, .weekdays = 0x7f };
	assert_true(m(f, ir_match_time(RULE(f), &t)));
	assert_non_null(f->note);
	struct ir_time past = { .start = -1, .stop = -1, .datestop = 86400 };
	assert_false(m(f, ir_match_time(RULE(f), &past)));
	assert_false(m(f, ir_match_helper(RULE(f), "ftp", false)));
	assert_true(m(f, ir_match_recent(RULE(f), IR_RECENT_SET, "x", 0, 0, false, false)));
	assert_false(m(f, ir_match_recent(RULE(f), IR_RECENT_RCHECK, "x", 60, 2, false, false)));
	assert_true(m(f, ir_match_recent(RULE(f), IR_RECENT_UPDATE, "x", 60, 2, false, true)));
	/* conntrack's original destination: the packet as it arrived, before any DNAT */
	struct net4 orig = { ip("198.51.100.50"), 32 };
	f->e.cur = f->e.pkt;
	f->e.cur.dst = ip("192.168.1.10");
	f->e.cur.dport = 8080;
	f->x.p = &f->e.cur;
	assert_false(m(f, ir_match_dst_net(RULE(f), &orig, false)));
	assert_true(m(f, ir_match_ctorigdst(RULE(f), &orig, false)));
	assert_false(m(f, ir_match_ctorigdst(RULE(f), &orig, true)));
	assert_true(m(f, ir_match_ctorigdstport(RULE(f), 80, 80, false)));
	assert_false(m(f, ir_match_ctorigdstport(RULE(f), 81, 81, false)));
}

static void test_routes(void **state)
{
	struct xfx *f = *state;
	struct xp_route a = { { ip("10.0.0.0"), 8 }, "eth2", "a" }, b = { { ip("10.1.0.0"), 16 }, "eth3", "b" };
	vec_push(f->e.a, &f->e.req.routes, a);
	vec_push(f->e.a, &f->e.req.routes, b);
	const char *why = NULL;
	assert_string_equal(xp_route_lookup(&f->e, ip("10.1.2.3"), &why), "eth3");
	assert_string_equal(why, "b");
	assert_string_equal(xp_route_lookup(&f->e, ip("10.2.2.3"), &why), "eth2");
	assert_null(xp_route_lookup(&f->e, ip("11.0.0.1"), &why));   /* no zone has an interface whole */
	assert_true(xp_is_fw_addr(&f->e, ip("198.51.100.9")));
	assert_true(xp_is_fw_addr(&f->e, ip("127.0.0.1")));
	assert_false(xp_is_fw_addr(&f->e, ip("198.51.100.10")));
}

/* FORWARD: -i eth1 -j a; policy DROP.  a: -p udp -j DROP; -g b.  b: -p tcp --dport 22 -j ACCEPT;
 * -j RETURN.  A goto's chain returns to the jumper's caller: FORWARD, whose policy decides. */
static void test_walk_jumps(void **state)
{
	struct xfx *f = *state;
	struct ir_chain *fwd = ir_chain_get(f->rs, IR_FILTER, "FORWARD");
	struct ir_chain *a = ir_chain_get(f->rs, IR_FILTER, "a"), *b = ir_chain_get(f->rs, IR_FILTER, "b");
	struct loc pol = { "/etc/shorewall/policy", 4 };
	ir_chain_set_policy(fwd, IR_POLICY_DROP);
	struct ir_rule *r = ir_rule_append(fwd, &L);
	ir_match_in(r, "eth1", false);
	ir_target_jump(r, a);
	r = ir_rule_append(a, &L);
	ir_match_proto(r, 17);
	ir_target_simple(r, IRT_DROP);
	r = ir_rule_append(a, &pol);
	ir_target_goto(r, b);
	struct ir_rule *ssh = ir_rule_append(b, &L);
	ir_match_proto(ssh, 6);
	ir_match_dport(ssh, 22, 22, false);
	ir_target_simple(ssh, IRT_ACCEPT);
	r = ir_rule_append(b, &L);
	ir_target_simple(r, IRT_RETURN);
	f->e.req.out = "eth0";

	xp_walk(&f->e);
	assert_false(f->e.failed);
	assert_int_equal(f->e.verdict, XV_DROP);
	assert_null(f->e.decider);
	assert_ptr_equal(f->e.decider_chain, fwd);

	/* tcp/22 is accepted in b, by the rules line */
	f->e.pkt.dport = 22;
	rewalk(f);
	assert_int_equal(f->e.verdict, XV_ACCEPT);
	assert_ptr_equal(f->e.decider, ssh);
	assert_string_equal(xp_loc_text(f->e.a, &f->e.decider->loc), "rules (line 12)");

	/* udp is dropped in a */
	f->e.pkt.proto = 17;
	rewalk(f);
	assert_int_equal(f->e.verdict, XV_DROP);
	assert_ptr_equal(f->e.decider_chain, a);
}

/* nat PREROUTING DNAT to a firewall address turns a forwarded packet into one for INPUT, whose
 * REJECT decides; a loop between two chains ends as a failed walk, not a hang. */
static void test_walk_nat_and_loop(void **state)
{
	struct xfx *f = *state;
	struct ir_rule *r = ir_rule_append(ir_chain_get(f->rs, IR_NAT, "PREROUTING"), &L);
	struct ir_nat_range to = { ip("198.51.100.9"), ip("198.51.100.9"), 8080, 8080 };
	ir_match_proto(r, 6);
	ir_target_dnat(r, &to, false, false);
	struct ir_chain *in = ir_chain_get(f->rs, IR_FILTER, "INPUT");
	r = ir_rule_append(in, &L);
	ir_match_proto(r, 6);
	ir_match_dport(r, 8080, 8080, false);
	ir_target_reject(r, IR_REJECT_TCP_RESET);
	xp_walk(&f->e);
	assert_false(f->e.failed);
	assert_true(f->e.to_fw);
	assert_int_equal(f->e.verdict, XV_REJECT);
	assert_int_equal(f->e.reject_with, IR_REJECT_TCP_RESET);
	assert_non_null(f->e.dnat_text);
	assert_string_equal(f->e.dnat_text, "DNAT to 198.51.100.9:8080");
	assert_string_equal(xp_verdict_text(&f->e, f->e.a), "REJECT(tcp-reset)");

	/* an established packet skips nat: forwarded, and FORWARD's ACCEPT policy lets it through */
	f->e.pkt.ctstate = IR_CT_ESTABLISHED;
	f->e.to_fw = false;
	f->e.dnat_text = NULL;
	f->e.req.out = "eth0";
	rewalk(f);
	assert_false(f->e.to_fw);
	assert_null(f->e.dnat_text);
	assert_int_equal(f->e.verdict, XV_ACCEPT);

	struct ir_chain *x = ir_chain_get(f->rs, IR_FILTER, "x"), *y = ir_chain_get(f->rs, IR_FILTER, "y");
	ir_target_goto(ir_rule_append(x, &L), y);
	ir_target_goto(ir_rule_append(y, &L), x);
	ir_target_jump(ir_rule_insert_at(ir_chain_get(f->rs, IR_FILTER, "FORWARD"), 0, &L), x);
	rewalk(f);
	assert_true(f->e.failed);
}

static void test_tables(void **state)
{
	(void)state;
	size_t n, count = 0;
	const struct keyword *t;
	for (unsigned i = 0; (t = xp_keyword_table(i, &n)); i++, count++)
		assert_true(kw_sorted(t, n, false));
	assert_int_equal(count, 4);
	unsigned st = 0;
	assert_true(xp_state_parse("established", &st));
	assert_int_equal(st, IR_CT_ESTABLISHED);
	assert_false(xp_state_parse("related", &st));
}

/* ---- resolution on a real configuration: the seed's gateway A -------------------------------------- */

struct cfg {
	char dir[64];
	struct diag d;
	struct compile c;
	struct ruleset *rs;
};

static void cfg_open(struct cfg *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/swc-explain-unit-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	cfx_write(t->dir, "shorewall.conf", "STARTUP_ENABLED=Yes\n");
	cfx_write(t->dir, "zones", "fw firewall\nvpn ipv4\nnet ipv4\nloc ipv4\n");
	cfx_write(t->dir, "interfaces", "?FORMAT 2\nnet eth0 routefilter\nloc eth1 -\n");
	cfx_write(t->dir, "hosts", "vpn eth0:10.0.0.0/8,203.0.113.2 ipsec\n");
	cfx_write(t->dir, "tunnels", "ipsec net 203.0.113.2\n");
	cfx_write(t->dir, "policy", "loc vpn ACCEPT\nvpn loc ACCEPT\nloc net ACCEPT\nnet all DROP\nall all REJECT\n");
	config_read(&t->c, &t->d, t->dir, 0);
	assert_int_equal(t->d.errors, 0);
	t->rs = build_ruleset(&t->c);
	assert_non_null(t->rs);
}

static void cfg_close(struct cfg *t)
{
	compile_fini(&t->c);
	diag_fini(&t->d);
	cfx_remove(t->dir);
}

/* A fresh explain on t's ruleset with the firewall's two addresses. */
static void ex_init(struct explain *e, struct cfg *t, const char *src, const char *dst, const char *proto)
{
	memset(e, 0, sizeof(*e));
	e->c = &t->c;
	e->rs = t->rs;
	e->a = t->c.arena;
	e->req.src = src;
	e->req.dst = dst;
	e->req.proto = proto;
	e->req.sport = -1;
	struct xp_fwaddr f0 = { "eth0", { ip("198.51.100.0"), 24 }, ip("198.51.100.9") };
	struct xp_fwaddr f1 = { "eth1", { ip("192.168.1.0"), 24 }, ip("192.168.1.1") };
	vec_push(e->a, &e->req.fwaddrs, f0);
	vec_push(e->a, &e->req.fwaddrs, f1);
	struct xp_route r0 = { f0.net, "eth0", "connected" }, r1 = { f1.net, "eth1", "connected" };
	vec_push(e->a, &e->req.routes, r0);
	vec_push(e->a, &e->req.routes, r1);
}

static bool has_note(const struct explain *e, const char *part)
{
	for (size_t i = 0; i < e->notes.n; i++)
		if (strstr(e->notes.v[i], part))
			return true;
	return false;
}

static void test_resolve_zones(void **state)
{
	(void)state;
	struct cfg t;
	struct explain e;
	char buf[20];
	cfg_open(&t);

	/* a zone with networks: its first free host, its interface, an implied inbound SA */
	ex_init(&e, &t, "vpn", "loc", "tcp/22");
	assert_true(xp_resolve(&e));
	assert_string_equal(ip4_format(e.pkt.src, buf, sizeof(buf)), "10.0.0.1");
	assert_string_equal(e.pkt.in, "eth0");
	assert_true(e.pkt.sa_in.present);
	assert_false(e.pkt.sa_out.present);
	assert_true(has_note(&e, "reached through IPsec"));
	assert_string_equal(ip4_format(e.pkt.dst, buf, sizeof(buf)), "192.168.1.2");  /* .1 is the firewall's */
	xp_walk(&e);
	assert_int_equal(e.verdict, XV_ACCEPT);

	/* a zone that has its interface whole: an address of the subnet no other zone claims */
	ex_init(&e, &t, "net", "fw", "tcp/22");
	assert_true(xp_resolve(&e));
	assert_string_equal(ip4_format(e.pkt.src, buf, sizeof(buf)), "198.51.100.1");
	assert_true(e.to_fw);
	assert_string_equal(ip4_format(e.pkt.dst, buf, sizeof(buf)), "198.51.100.9");
	assert_false(e.pkt.sa_in.present);
	xp_walk(&e);
	assert_int_equal(e.verdict, XV_DROP);
	assert_string_equal(xp_loc_text(e.a, &e.decider->loc), "policy (line 4)");

	/* an address: the arrival interface from the hosts entry's network; the tunnel's ESP */
	ex_init(&e, &t, "203.0.113.2", "198.51.100.9", "esp");
	assert_true(xp_resolve(&e));
	assert_string_equal(e.pkt.in, "eth0");
	assert_true(e.to_fw);
	xp_walk(&e);
	assert_int_equal(e.verdict, XV_ACCEPT);
	assert_string_equal(xp_loc_text(e.a, &e.decider->loc), "tunnels (line 1)");

	/* the firewall's own: the source is its address on the outgoing interface; --ipsec is outbound */
	ex_init(&e, &t, "fw", "10.1.2.3", "icmp");
	e.req.ipsec_in = "reqid=4";
	e.req.ipsec_in_given = true;
	assert_true(xp_resolve(&e));
	assert_true(e.from_fw);
	assert_null(e.pkt.in);
	assert_false(e.pkt.sa_in.present);
	assert_true(e.pkt.sa_out.present);
	assert_int_equal(e.pkt.sa_out.reqid, 4);
	xp_walk(&e);
	assert_string_equal(e.cur.out, "eth0");
	assert_string_equal(ip4_format(e.cur.src, buf, sizeof(buf)), "198.51.100.9");
	assert_int_equal(e.verdict, XV_REJECT);       /* fw → vpn: all all REJECT */
	assert_int_equal(e.reject_with, IR_REJECT_HOST_UNREACH);

	/* usage problems */
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	ex_init(&e, &t, "mars", "fw", "tcp/22");
	assert_false(xp_resolve(&e));
	ex_init(&e, &t, "loc", "net", "tcp");
	assert_false(xp_resolve(&e));
	ex_init(&e, &t, "loc", "net", "esp/4");
	assert_false(xp_resolve(&e));
	ex_init(&e, &t, "fw", "fw", "icmp");
	assert_false(xp_resolve(&e));
	ex_init(&e, &t, "10.0.0.0/8", "fw", "icmp");
	assert_false(xp_resolve(&e));
	fclose(stderr);
	stderr = saved;
	cfg_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test_setup_teardown(test_iface_and_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_and_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assumed_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_jumps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_nat_and_loop, setup, teardown),
		cmocka_unit_test(test_resolve_zones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
