/* test_build_sections.c — the section builders for tunnels, MSS, NAT and plain rules, on real configs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "parsers.h"
#include "settings.h"
#include "cfg_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A configuration directory written from (name, text) pairs, loaded, and a builder over it whose
 * pair chains are bare (no state or policy sections: those are another module's). */
struct bx {
	struct diag d;
	struct compile c;
	struct builder b;
	char dir[96];
};

#define BASE_ZONES "fw firewall\nnet ipv4\nloc ipv4\n"
#define BASE_IFACES "?FORMAT 2\nnet eth0 -\nloc eth1 -\n"
#define BASE_POLICY "loc net ACCEPT\nnet all DROP\nall all REJECT\n"

/* The group's scratch directory (cfg_fixture.h): every configuration goes below it. */
static int group_setup(void **state)
{
	static char root[64];
	strcpy(root, "/tmp/swc-sections-XXXXXX");
	return cfx_scratch_make(state, root);
}

/* files: NULL-terminated name, text pairs; zones/interfaces/policy default to the base. */
static void bx_load(struct bx *x, void **state, const char *const *files)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->dir, sizeof(x->dir), "%s/cfgXXXXXX", (const char *)*state);
	assert_non_null(mkdtemp(x->dir));
	cfx_write(x->dir, "shorewall.conf", "STARTUP_ENABLED=Yes\n");
	cfx_write(x->dir, "zones", BASE_ZONES);
	cfx_write(x->dir, "interfaces", BASE_IFACES);
	cfx_write(x->dir, "policy", BASE_POLICY);
	for (size_t i = 0; files[i]; i += 2)
		cfx_write(x->dir, files[i], files[i + 1]);
	diag_init(&x->d);
	compile_init(&x->c, &x->d, x->dir);
	int errs = config_load(&x->c);
	if (errs)
		diag_flush(&x->d);
	assert_int_equal(errs, 0);
	struct builder *b = &x->b;
	b->c = &x->c;
	b->g = x->c.graph;
	b->s = x->c.conf;
	b->rs = ir_ruleset_new(&x->c);
	size_t nz = b->g->zones.n;
	b->pairs = arena_alloc(x->c.arena, nz * sizeof(*b->pairs));
	for (size_t s = 0; s < nz; s++) {
		b->pairs[s] = arena_alloc(x->c.arena, nz * sizeof(*b->pairs[s]));
		for (size_t d = 0; d < nz; d++) {
			struct pair *p = &b->pairs[s][d];
			memset(p, 0, sizeof(*p));
			p->src = b->g->zones.v[s];
			p->dst = b->g->zones.v[d];
			p->cell = graph_policy(b->g, p->src, p->dst);
			if (p->cell && p->cell->policy && p->cell->policy->kind == POL_NONE)
				continue;
			char name[64];
			snprintf(name, sizeof(name), "%s-%s", p->src->name, p->dst->name);
			p->chain = ir_chain_get(b->rs, IR_FILTER, name);
		}
	}
}

static void bx_free(struct bx *x)
{
	compile_fini(&x->c);
	diag_fini(&x->d);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
}

static struct pair *bx_pair(struct bx *x, const char *s, const char *d)
{
	struct zone *zs = graph_find_zone(x->b.g, s), *zd = graph_find_zone(x->b.g, d);
	assert_non_null(zs);
	assert_non_null(zd);
	return &x->b.pairs[zs->index][zd->index];
}

/* Run every pair section this module owns, in build.h's order. */
static void bx_pairs(struct bx *x)
{
	size_t n = x->b.g->zones.n;
	for (size_t i = 0; i < n * n; i++) {
		struct pair *p = &x->b.pairs[i / n][i % n];
		build_pair_mss(&x->b, p);
		build_pair_tunnels(&x->b, p);
		build_pair_rules(&x->b, p);
	}
}

static void expect_chain(struct bx *x, enum ir_table t, const char *name, const char *want)
{
	const char *got = cfx_chain_text(x->b.rs, t, name);
	if (strcmp(got, want) != 0)
		fail_msg("chain %s:\n--- want\n%s\n--- got\n%s", name, want, got);
}

static void expect_msg(struct bx *x, const char *msg)
{
	if (!diag_has(&x->d, msg)) {
		diag_flush(&x->d);
		fail_msg("missing message: %s", msg);
	}
}

/* ---- tunnels ------------------------------------------------------------------------------------------- */

static void test_tunnel_ipsec(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "tunnels", "ipsec net 134.28.54.2\n", NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -s 134.28.54.2 -p 50 -j ACCEPT\n"
		     "-A net-fw -s 134.28.54.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-net",
		     "-A fw-net -d 134.28.54.2 -p 50 -j ACCEPT\n"
		     "-A fw-net -d 134.28.54.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	expect_chain(&x, IR_FILTER, "loc-fw", "");
	expect_chain(&x, IR_FILTER, "net-loc", "");
	assert_int_equal(x.b.pairs[0][0].chain ? 0 : 1, 0);
	bx_free(&x);
}

static void test_tunnel_ah_lists_gwzones(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "tunnels", "ipsec:ah net 192.0.2.1,192.0.2.2 loc\n", NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -s 192.0.2.1 -p 50 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.1 -p 51 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.1 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.2 -p 50 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.2 -p 51 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	/* no IPsec zone: the gateway zone gets ESP and AH too, from and to each gateway */
	expect_chain(&x, IR_FILTER, "loc-fw",
		     "-A loc-fw -s 192.0.2.1 -p 50 -j ACCEPT\n"
		     "-A loc-fw -s 192.0.2.1 -p 51 -j ACCEPT\n"
		     "-A loc-fw -s 192.0.2.1 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
		     "-A loc-fw -s 192.0.2.2 -p 50 -j ACCEPT\n"
		     "-A loc-fw -s 192.0.2.2 -p 51 -j ACCEPT\n"
		     "-A loc-fw -s 192.0.2.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-loc",
		     "-A fw-loc -d 192.0.2.1 -p 50 -j ACCEPT\n"
		     "-A fw-loc -d 192.0.2.1 -p 51 -j ACCEPT\n"
		     "-A fw-loc -d 192.0.2.1 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\n"
		     "-A fw-loc -d 192.0.2.2 -p 50 -j ACCEPT\n"
		     "-A fw-loc -d 192.0.2.2 -p 51 -j ACCEPT\n"
		     "-A fw-loc -d 192.0.2.2 -p udp --dport 500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	/* every rule carries the tunnels line */
	struct ir_chain *ch = ir_chain_find(x.b.rs, IR_FILTER, "net-fw");
	assert_non_null(strstr(ch->rules.v[0]->loc.file, "tunnels"));
	assert_int_equal(ch->rules.v[0]->loc.line, 1);
	bx_free(&x);
}

static void test_tunnel_roadwarrior_ipsecnat(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){
		"zones", "fw firewall\nvpn ipsec\nnet ipv4\nloc ipv4\n",
		"hosts", "vpn eth0:0.0.0.0/0\n",
		"tunnels", "ipsecnat net 0.0.0.0/0 vpn\n",
		NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p 50 -j ACCEPT\n"
		     "-A net-fw -p udp -m multiport --dports 500,4500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	/* with the policy match in use, the gateway zone gets IKE only */
	expect_chain(&x, IR_FILTER, "vpn-fw",
		     "-A vpn-fw -p udp -m multiport --dports 500,4500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-vpn",
		     "-A fw-vpn -p udp -m multiport --dports 500,4500 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
	bx_free(&x);
}

static void test_tunnel_others(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "tunnels",
		"gre net 192.0.2.1\n"
		"ipip net 192.0.2.2\n"
		"6to4 net 192.0.2.3\n"
		"pptpclient net 192.0.2.4\n"
		"pptpserver net 192.0.2.5\n"
		"openvpn net 192.0.2.6\n"
		"openvpn:tcp:443 net 192.0.2.7\n"
		"openvpnclient:1195 net 192.0.2.8\n"
		"openvpnserver:tcp net 192.0.2.9\n"
		"l2tp net 192.0.2.10\n"
		"tinc net 192.0.2.11\n"
		"generic:tcp:8080 net 192.0.2.12\n"
		"generic:47 net 192.0.2.13\n"
		"generic net 192.0.2.14\n", NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -s 192.0.2.1 -p 47 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.2 -p 4 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.3 -p 41 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.4 -p 47 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.5 -p 47 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.5 -p tcp --dport 1723 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.6 -p udp --dport 1194 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.7 -p tcp --dport 443 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.8 -p udp --sport 1195 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.9 -p tcp --dport 1194 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.10 -p udp --sport 1701 --dport 1701 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.11 -p udp --dport 655 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.11 -p tcp --dport 655 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.12 -p tcp --dport 8080 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.13 -p 47 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.14 -p udp -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-net",
		     "-A fw-net -d 192.0.2.1 -p 47 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.2 -p 4 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.3 -p 41 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.4 -p 47 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.4 -p tcp --dport 1723 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.5 -p 47 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.6 -p udp --dport 1194 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.7 -p tcp --dport 443 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.8 -p udp --dport 1195 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.9 -p tcp --sport 1194 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.10 -p udp --sport 1701 --dport 1701 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.11 -p udp --dport 655 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.11 -p tcp --dport 655 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.12 -p tcp --dport 8080 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.13 -p 47 -j ACCEPT\n"
		     "-A fw-net -d 192.0.2.14 -p udp -j ACCEPT");
	assert_int_equal(x.d.errors, 0);
	bx_free(&x);
}

/* ---- MSS ------------------------------------------------------------------------------------------------ */

static void test_zone_mss(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){
		"zones", "fw firewall\nvpn ipsec mss=1400\nnet ipv4 - mss=1300\nloc ipv4 - - mss=1200\n",
		"hosts", "vpn eth0:10.0.0.0/8\n",
		NULL });
	bx_pairs(&x);
	const char *m1400 = "-p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1400: -j TCPMSS --set-mss 1400";
	char want[512];
	snprintf(want, sizeof(want), "-A vpn-fw %s", m1400);
	expect_chain(&x, IR_FILTER, "vpn-fw", want);
	snprintf(want, sizeof(want), "-A fw-vpn %s", m1400);
	expect_chain(&x, IR_FILTER, "fw-vpn", want);
	/* IN_OPTIONS: only from net; OUT_OPTIONS: only to loc */
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: -j TCPMSS --set-mss 1300");
	expect_chain(&x, IR_FILTER, "fw-net", "");
	expect_chain(&x, IR_FILTER, "fw-loc",
		     "-A fw-loc -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1200: -j TCPMSS --set-mss 1200");
	expect_chain(&x, IR_FILTER, "loc-fw", "");
	expect_chain(&x, IR_FILTER, "net-loc",
		     "-A net-loc -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: -j TCPMSS --set-mss 1300\n"
		     "-A net-loc -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1200: -j TCPMSS --set-mss 1200");
	bx_free(&x);
}

static void test_host_mss(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){
		"zones", "fw firewall\nvpn ipv4\nnet ipv4\nloc ipv4\n",
		"hosts", "vpn eth0:10.0.0.0/8,192.0.2.0/24 ipsec,mss=1300\n",
		NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "vpn-fw",
		     "-A vpn-fw -i eth0 -s 10.0.0.0/8 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: "
		     "-m policy --dir in --pol ipsec -j TCPMSS --set-mss 1300\n"
		     "-A vpn-fw -i eth0 -s 192.0.2.0/24 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: "
		     "-m policy --dir in --pol ipsec -j TCPMSS --set-mss 1300");
	expect_chain(&x, IR_FILTER, "loc-vpn",
		     "-A loc-vpn -o eth0 -d 10.0.0.0/8 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: "
		     "-m policy --dir out --pol ipsec -j TCPMSS --set-mss 1300\n"
		     "-A loc-vpn -o eth0 -d 192.0.2.0/24 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1300: "
		     "-m policy --dir out --pol ipsec -j TCPMSS --set-mss 1300");
	expect_chain(&x, IR_FILTER, "loc-net", "");
	bx_free(&x);
}

static void test_clampmss(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "shorewall.conf", "CLAMPMSS=Yes\n", NULL });
	build_mangle(&x.b);
	expect_chain(&x, IR_MANGLE, "FORWARD",
		     "-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu");
	bx_free(&x);

	bx_load(&x, state, (const char *const[]){ "shorewall.conf", "CLAMPMSS=1452\n",
		"zones", "fw firewall\nvpn ipsec\nnet ipv4\nloc ipv4\n", "hosts", "vpn eth0:10.0.0.0/8\n", NULL });
	build_mangle(&x.b);
	expect_chain(&x, IR_MANGLE, "FORWARD",
		     "-A FORWARD -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1452: "
		     "-m policy --dir out --pol none -j TCPMSS --set-mss 1452");
	bx_free(&x);

	bx_load(&x, state, (const char *const[]){ "shorewall.conf", "CLAMPMSS=No\n", NULL });
	build_mangle(&x.b);
	expect_chain(&x, IR_MANGLE, "FORWARD", "");
	expect_chain(&x, IR_FILTER, "settcpmss", "");
	bx_free(&x);
}

static void test_interface_mss(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "shorewall.conf", "CLAMPMSS=Yes\n",
		"interfaces", "?FORMAT 2\nnet eth0 mss=1400\nloc eth1 -\n", NULL });
	build_mangle(&x.b);
	expect_chain(&x, IR_MANGLE, "FORWARD", "");
	expect_chain(&x, IR_FILTER, "FORWARD", "-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j settcpmss");
	expect_chain(&x, IR_FILTER, "settcpmss",
		     "-A settcpmss -o eth0 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1400: -j TCPMSS --set-mss 1400\n"
		     "-A settcpmss -o eth0 -j RETURN\n"
		     "-A settcpmss -i eth0 -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1400: -j TCPMSS --set-mss 1400\n"
		     "-A settcpmss -i eth0 -j RETURN\n"
		     "-A settcpmss -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu");
	bx_free(&x);
}

/* ---- NAT --------------------------------------------------------------------------------------------------- */

static void test_snat_plain(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "snat",
		"MASQUERADE 192.168.1.0/24,192.168.3.0/24 eth0\n"
		"SNAT(203.0.113.9) 192.168.2.0/24 eth0:198.51.100.0/24 tcp 80,443\n"
		"CONTINUE 192.168.4.0/24 eth1\n"
		"MASQUERADE(1024-2048:random) 192.168.5.0/24 eth1 udp\n", NULL });
	build_nat(&x.b);
	assert_int_equal(x.d.errors, 0);
	expect_chain(&x, IR_NAT, "POSTROUTING",
		     "-A POSTROUTING -o eth0 -j eth0_masq\n"
		     "-A POSTROUTING -o eth1 -j eth1_masq");
	expect_chain(&x, IR_NAT, "eth0_masq",
		     "-A eth0_masq -s 192.168.1.0/24 -j MASQUERADE\n"
		     "-A eth0_masq -s 192.168.3.0/24 -j MASQUERADE\n"
		     "-A eth0_masq -s 192.168.2.0/24 -d 198.51.100.0/24 -p tcp -m multiport --dports 80,443 "
		     "-j SNAT --to-source 203.0.113.9");
	expect_chain(&x, IR_NAT, "eth1_masq",
		     "-A eth1_masq -s 192.168.4.0/24 -j RETURN\n"
		     "-A eth1_masq -s 192.168.5.0/24 -p udp -j MASQUERADE --to-ports 1024-2048 --random");
	bx_free(&x);
}

static void test_snat_prenat(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "snat",
		"MASQUERADE 192.168.1.0/24 eth0\n"
		"CONTINUE+ 192.168.1.5 eth0\n"
		"SNAT+(203.0.113.9) 192.168.2.0/24 eth1\n", NULL });
	build_nat(&x.b);
	assert_int_equal(x.d.errors, 0);
	/* every IF_snat is entered before any IF_masq */
	expect_chain(&x, IR_NAT, "POSTROUTING",
		     "-A POSTROUTING -o eth0 -j eth0_snat\n-A POSTROUTING -o eth1 -j eth1_snat\n"
		     "-A POSTROUTING -o eth0 -j eth0_masq");
	expect_chain(&x, IR_NAT, "eth0_snat", "-A eth0_snat -s 192.168.1.5 -j RETURN");
	expect_chain(&x, IR_NAT, "eth1_snat",
		     "-A eth1_snat -s 192.168.2.0/24 -j SNAT --to-source 203.0.113.9");
	bx_free(&x);
}

static void test_snat_ipsec(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){
		"zones", "fw firewall\nvpn ipsec\nnet ipv4\nloc ipv4\n",
		"hosts", "vpn eth0:10.0.0.0/8\n",
		"snat",
		"MASQUERADE 192.168.1.0/24 eth0\n"
		"SNAT(206.162.148.9) 192.168.2.0/24 eth0 - - mode=tunnel,reqid=5\n"
		"MASQUERADE 192.168.3.0/24 eth0 - - yes\n"
		"MASQUERADE 192.168.4.0/24 eth0 - - no\n"
		"SNAT(192.168.1.1) 192.168.6.0/24 $FW - - yes\n", NULL });
	build_nat(&x.b);
	assert_int_equal(x.d.errors, 0);
	expect_chain(&x, IR_NAT, "eth0_masq",
		     "-A eth0_masq -s 192.168.1.0/24 -m policy --dir out --pol none -j MASQUERADE\n"
		     "-A eth0_masq -s 192.168.2.0/24 -m policy --dir out --pol ipsec --mode tunnel --reqid 5 "
		     "-j SNAT --to-source 206.162.148.9\n"
		     "-A eth0_masq -s 192.168.3.0/24 -m policy --dir out --pol ipsec -j MASQUERADE\n"
		     "-A eth0_masq -s 192.168.4.0/24 -m policy --dir out --pol none -j MASQUERADE");
	expect_chain(&x, IR_NAT, "INPUT",
		     "-A INPUT -s 192.168.6.0/24 -m policy --dir in --pol ipsec -j SNAT --to-source 192.168.1.1");
	bx_free(&x);
}

static void test_masq_and_unsupported(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "masq",
		"eth0 192.168.1.0/24\n"
		"eth0 192.168.2.0/24 203.0.113.5\n"
		"eth0 eth1\n"
		"eth0 192.168.3.0/24 - - - - !1/0xff\n"
		"eth0 192.168.4.0/24 - - - - 1:X\n"
		"eth0 192.168.5.0/24 - - - - - - - 198.51.100.1\n", NULL });
	build_nat(&x.b);
	expect_chain(&x, IR_NAT, "eth0_masq",
		     "-A eth0_masq -s 192.168.1.0/24 -j MASQUERADE\n"
		     "-A eth0_masq -s 192.168.2.0/24 -j SNAT --to-source 203.0.113.5\n"
		     "-A eth0_masq -s 192.168.3.0/24 -m mark ! --mark 0x1/0xff -j MASQUERADE");
	expect_msg(&x, "An interface as SOURCE (eth1) is not supported by this compiler yet");
	expect_msg(&x, "Invalid MARK (1:X)");
	expect_msg(&x, "The ORIGDEST column (198.51.100.1) is not supported by this compiler yet");
	assert_int_equal(x.d.errors, 3);
	bx_free(&x);
}

static void test_snat_log(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "snat",
		"LOG:info 192.168.9.0/24 eth0\n"
		"MASQUERADE:info 192.168.1.0/24 eth0\n", NULL });
	build_nat(&x.b);
	assert_int_equal(x.d.errors, 0);
	expect_chain(&x, IR_NAT, "eth0_masq",
		     "-A eth0_masq -s 192.168.9.0/24 -j ~log0\n"
		     "-A eth0_masq -s 192.168.1.0/24 -j ~log1");
	const char *log0 = cfx_chain_text(x.b.rs, IR_NAT, "~log0");
	assert_non_null(strstr(log0, "-j LOG --log-level 6 --log-prefix eth0_masq LOG "));
	assert_null(strstr(log0, "MASQUERADE"));
	const char *log1 = cfx_chain_text(x.b.rs, IR_NAT, "~log1");
	assert_non_null(strstr(log1, "--log-prefix eth0_masq MASQ \n-A ~log1 -j MASQUERADE"));
	bx_free(&x);
}

/* ---- rules ----------------------------------------------------------------------------------------- */

static void test_rules_plain(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 22\n"
		"DROP net:192.0.2.0/24,198.51.100.7 $FW udp 53,ntp\n"
		"REJECT loc net:203.0.113.0/24 tcp 25\n"
		"REJECT(tcp-reset) loc net tcp 113\n"
		"CONTINUE loc:eth1 net icmp 8\n"
		"ACCEPT net $FW tcp 1000:2000 1024:\n", NULL });
	bx_pairs(&x);
	assert_int_equal(x.d.errors, 0);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --dport 22 -j ACCEPT\n"
		     "-A net-fw -s 192.0.2.0/24 -p udp -m multiport --dports 53,123 -j DROP\n"
		     "-A net-fw -s 198.51.100.7 -p udp -m multiport --dports 53,123 -j DROP\n"
		     "-A net-fw -p tcp --sport 1024:65535 --dport 1000:2000 -j ACCEPT");
	expect_chain(&x, IR_FILTER, "loc-net",
		     "-A loc-net -d 203.0.113.0/24 -p tcp --dport 25 -j reject\n"
		     "-A loc-net -p tcp --dport 113 -j REJECT --reject-with tcp-reset\n"
		     "-A loc-net -i eth1 -p icmp --icmp-type 8 -j RETURN");
	bx_free(&x);
}

static void test_rules_wild(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){
		"policy", "loc net ACCEPT\nnet loc NONE\nnet all DROP\nall all REJECT\n",
		"rules", "ACCEPT all all tcp 80\nACCEPT all+ loc tcp 81\nDROP net,loc $FW udp 9\n", NULL });
	bx_pairs(&x);
	assert_int_equal(x.d.errors, 0);
	/* all → every pair but intra-zone and NONE ones */
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --dport 80 -j ACCEPT\n"
		     "-A net-fw -p udp --dport 9 -j DROP");
	expect_chain(&x, IR_FILTER, "fw-net", "-A fw-net -p tcp --dport 80 -j ACCEPT");
	expect_chain(&x, IR_FILTER, "net-net", "");
	assert_null(bx_pair(&x, "net", "loc")->chain);
	expect_chain(&x, IR_FILTER, "loc-loc", "-A loc-loc -p tcp --dport 81 -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-loc",
		     "-A fw-loc -p tcp --dport 80 -j ACCEPT\n"
		     "-A fw-loc -p tcp --dport 81 -j ACCEPT");
	bx_free(&x);
}

static void test_rules_unsupported(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"Limit all $FW\n"
		"ACCEPT loc net\n", NULL });
	bx_pairs(&x);
	expect_msg(&x, "ACTION Limit is not supported by this compiler yet");
	/* once per line, however many pairs `all` made of it */
	assert_int_equal(x.d.errors, 1);
	expect_chain(&x, IR_FILTER, "loc-net", "-A loc-net -j ACCEPT");
	bx_free(&x);
}

static void test_rules_excl_log_queue(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"ACCEPT net:!192.0.2.1 $FW tcp 22\n"
		"ACCEPT loc:192.168.1.0/24!192.168.1.5 net:!198.51.100.7 tcp 23\n"
		"LOG:info net $FW tcp 24\n"
		"DROP:info net:!192.0.2.2 $FW tcp 25\n"
		"NFQUEUE(3:5,bypass) net $FW tcp 26\n"
		"QUEUE net $FW tcp 27\n", NULL });
	bx_pairs(&x);
	assert_int_equal(x.d.errors, 0);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --dport 22 -j ~excl0\n"
		     "-A net-fw -p tcp --dport 24 -j ~log0\n"
		     "-A net-fw -p tcp --dport 25 -j ~excl1\n"
		     "-A net-fw -p tcp --dport 26 -j NFQUEUE --queue-balance 3:5 --queue-bypass\n"
		     "-A net-fw -p tcp --dport 27 -j NFQUEUE --queue-num 0");
	expect_chain(&x, IR_FILTER, "~excl0", "-A ~excl0 -s 192.0.2.1 -j RETURN\n-A ~excl0 -j ACCEPT");
	/* pairs are built source by source: net-fw's chains come first */
	expect_chain(&x, IR_FILTER, "loc-net", "-A loc-net -s 192.168.1.0/24 -p tcp --dport 23 -j ~excl2");
	expect_chain(&x, IR_FILTER, "~excl2",
		     "-A ~excl2 -s 192.168.1.5 -j RETURN\n-A ~excl2 -d 198.51.100.7 -j RETURN\n-A ~excl2 -j ACCEPT");
	/* LOG alone logs and goes on; a logged DROP behind an exclusion: excl → log → DROP */
	const char *log0 = cfx_chain_text(x.b.rs, IR_FILTER, "~log0");
	assert_non_null(strstr(log0, "--log-prefix net-fw LOG "));
	assert_null(strstr(log0, "\n"));
	expect_chain(&x, IR_FILTER, "~excl1", "-A ~excl1 -s 192.0.2.2 -j RETURN\n-A ~excl1 -j ~log1");
	const char *log1 = cfx_chain_text(x.b.rs, IR_FILTER, "~log1");
	assert_non_null(strstr(log1, "--log-prefix net-fw DROP \n-A ~log1 -j DROP"));
	bx_free(&x);
}

static void test_rules_rate_user(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 22 - - 3/min:5\n"
		"ACCEPT all $FW tcp 23 - - s:2/sec\n"
		"ACCEPT $FW net tcp 80 - - - 0:0\n"
		"ACCEPT $FW net tcp 81 - - - nosuchuser-b2\n"
		"ACCEPT net $FW tcp 24 - - - - - 3\n"
		"ACCEPT net $FW tcp 25 - - - - - d:!5:24\n"
		"ACCEPT net $FW tcp 26 - - - - 0x10/0xf0:C\n"
		"ACCEPT net $FW tcp 27 - - - - 7:X\n", NULL });
	bx_pairs(&x);
	expect_msg(&x, "Unknown user (nosuchuser-b2)");
	expect_msg(&x, "Invalid MARK (7:X)");       /* :C is the only suffix */
	assert_int_equal(x.d.errors, 2);
	/* CONNLIMIT N: while at most N (Shorewall's at-or-below); !N: only beyond N */
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --dport 22 -m limit --limit 3/min --limit-burst 5 -j ACCEPT\n"
		     "-A net-fw -p tcp --dport 23 -m hashlimit --hashlimit-upto 2/sec --hashlimit-name shorewall0 "
		     "--hashlimit-mode srcip -j ACCEPT\n"
		     "-A net-fw -p tcp --dport 24 -m connlimit --connlimit-upto 3 -j ACCEPT\n"
		     "-A net-fw -p tcp --dport 25 -m connlimit --connlimit-above 5 --connlimit-mask 24 --connlimit-daddr "
		     "-j ACCEPT\n"
		     "-A net-fw -p tcp --dport 26 -m connmark --mark 0x10/0xf0 -j ACCEPT");
	/* each pair the `all` line reaches counts in its own table */
	expect_chain(&x, IR_FILTER, "loc-fw",
		     "-A loc-fw -p tcp --dport 23 -m hashlimit --hashlimit-upto 2/sec --hashlimit-name shorewall1 "
		     "--hashlimit-mode srcip -j ACCEPT");
	expect_chain(&x, IR_FILTER, "fw-net",
		     "-A fw-net -p tcp --dport 80 -m owner --uid-owner 0 --gid-owner 0 -j ACCEPT");
	bx_free(&x);
}

static void test_rules_time(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 22 - - - - - - timestart=8:00&timestop=17:30:15&weekdays=Mon,Sun,3\n"
		"ACCEPT net $FW tcp 23 - - - - - - datestart=2026-01-01&datestop=2026-12-31T23:59&monthdays=1,31&localtz\n"
		"ACCEPT net $FW tcp 24 - - - - - - timestart=24:00\n"
		"ACCEPT net $FW tcp 25 - - - - - - weekdays=Mon,Moon\n"
		"ACCEPT net $FW tcp 26 - - - - - - contiguous\n", NULL });
	bx_pairs(&x);
	expect_msg(&x, "Invalid time element (timestart=24:00)");
	expect_msg(&x, "Invalid time element (weekdays=Mon,Moon)");
	expect_msg(&x, "Invalid time element (contiguous)");
	assert_int_equal(x.d.errors, 3);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp --dport 22 -m time --timestart 08:00:00 --timestop 17:30:15 --weekdays Mon,Wed,Sun "
		     "-j ACCEPT\n"
		     "-A net-fw -p tcp --dport 23 -m time --monthdays 1,31 --datestart 2026-01-01T00:00:00 "
		     "--datestop 2026-12-31T23:59:00 --kerneltz -j ACCEPT");
	bx_free(&x);
}

static void test_rules_many_ports(void **state)
{
	struct bx x;
	bx_load(&x, state, (const char *const[]){ "rules",
		"ACCEPT net $FW tcp 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17:18\n", NULL });
	bx_pairs(&x);
	expect_chain(&x, IR_FILTER, "net-fw",
		     "-A net-fw -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -j ACCEPT\n"
		     "-A net-fw -p tcp -m multiport --dports 16,17:18 -j ACCEPT");
	bx_free(&x);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = rules_build_action_table(&n);
	assert_true(kw_sorted(t, n, false));
	assert_true(n > 0);
	t = rules_build_weekday_table(&n);
	assert_true(kw_sorted(t, n, false));
	assert_int_equal(n, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tunnel_ipsec),
		cmocka_unit_test(test_tunnel_ah_lists_gwzones),
		cmocka_unit_test(test_tunnel_roadwarrior_ipsecnat),
		cmocka_unit_test(test_tunnel_others),
		cmocka_unit_test(test_zone_mss),
		cmocka_unit_test(test_host_mss),
		cmocka_unit_test(test_clampmss),
		cmocka_unit_test(test_interface_mss),
		cmocka_unit_test(test_snat_plain),
		cmocka_unit_test(test_snat_prenat),
		cmocka_unit_test(test_snat_ipsec),
		cmocka_unit_test(test_masq_and_unsupported),
		cmocka_unit_test(test_snat_log),
		cmocka_unit_test(test_rules_plain),
		cmocka_unit_test(test_rules_wild),
		cmocka_unit_test(test_rules_unsupported),
		cmocka_unit_test(test_rules_excl_log_queue),
		cmocka_unit_test(test_rules_rate_user),
		cmocka_unit_test(test_rules_time),
		cmocka_unit_test(test_rules_many_ports),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, group_setup, cfx_scratch_remove);
}
