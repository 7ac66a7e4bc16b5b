/* ir_fixture.h — hand-built IR for the emitter and optimizer tests: a compile context with an empty
 * ruleset (the cmocka fixture), the seed gateway's locations and the small builders (rule, jump,
 * zone dispatch, tunnel rules) that test_restore, test_optimize and test_iptc_kernel share. */
#ifndef SHOREWALL_TEST_IR_FIXTURE_H
#define SHOREWALL_TEST_IR_FIXTURE_H 1

#include <stdbool.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "ir.h"
#include "test_support.h"

#define IRFX_UNUSED __attribute__((unused))

/* A compile context, an empty ruleset and a scratch buffer for rendering, made fresh per test. */
struct irfx {
	struct diag d;
	struct compile c;
	struct ruleset *rs;
	char buf[8192];
};

static IRFX_UNUSED int irfx_setup(void **state)
{
	struct irfx *f = test_calloc(1, sizeof(*f));
	diag_init(&f->d);
	compile_init(&f->c, &f->d, "/nonexistent");
	f->rs = ir_ruleset_new(&f->c);
	*state = f;
	return 0;
}

static IRFX_UNUSED int irfx_teardown(void **state)
{
	struct irfx *f = *state;
	compile_fini(&f->c);
	diag_fini(&f->d);
	test_free(f);
	return 0;
}

static const struct loc HOSTS IRFX_UNUSED = { "/etc/shorewall/hosts", 1 },
			IFACES0 IRFX_UNUSED = { "/etc/shorewall/interfaces", 1 },
			IFACES1 IRFX_UNUSED = { "/etc/shorewall/interfaces", 2 },
			TUN IRFX_UNUSED = { "/etc/shorewall/tunnels", 1 },
			POLICY IRFX_UNUSED = { "/etc/shorewall/policy", 5 },
			SNAT1 IRFX_UNUSED = { "/etc/shorewall/snat", 1 },
			SNAT2 IRFX_UNUSED = { "/etc/shorewall/snat", 2 },
			CONF IRFX_UNUSED = { "/etc/shorewall/shorewall.conf", 40 };

static inline struct ir_rule *add(struct ruleset *rs, enum ir_table t, const char *chain, const struct loc *loc)
{
	return ir_rule_append(ir_chain_get(rs, t, chain), loc);
}

/* -j CHAIN, or -g CHAIN when go, in the rule's own table. */
static inline void jump(struct ruleset *rs, struct ir_rule *r, const char *chain, bool go)
{
	(go ? ir_target_goto : ir_target_jump)(r, ir_chain_get(rs, r->chain->table, chain));
}

/* Zone dispatch: -i/-o IF, optional -s/-d NET, the policy match, then -j/-g CHAIN or ACCEPT. */
static inline void dispatch(struct ruleset *rs, const char *chain, bool in, const char *iface,
			    const char *addr, bool ipsec, const char *to, bool go, const struct loc *loc)
{
	struct ir_rule *r = add(rs, IR_FILTER, chain, loc);
	if (iface)
		(in ? ir_match_in : ir_match_out)(r, iface, false);
	if (addr) {
		struct net4 n = fx_net4(addr);
		(in ? ir_match_src_net : ir_match_dst_net)(r, &n, false);
	}
	ir_match_policy(r, in ? IR_DIR_IN : IR_DIR_OUT, ipsec ? IR_POL_IPSEC : IR_POL_NONE, NULL);
	if (strcmp(to, "ACCEPT") == 0)
		ir_target_simple(r, IRT_ACCEPT);
	else
		jump(rs, r, to, go);
}

/* An ipsec tunnel's own traffic with gateway GW: ESP, then IKE on udp 500 (new or untracked). */
static inline void tunnel_rules(struct ruleset *rs, const char *chain, bool in, const char *gw_text)
{
	struct net4 gw = fx_net4(gw_text);
	struct ir_rule *r = add(rs, IR_FILTER, chain, &TUN);
	ir_match_proto(r, 50);
	(in ? ir_match_src_net : ir_match_dst_net)(r, &gw, false);
	ir_target_simple(r, IRT_ACCEPT);
	r = add(rs, IR_FILTER, chain, &TUN);
	ir_match_proto(r, 17);
	ir_match_dport(r, 500, 500, false);
	(in ? ir_match_src_net : ir_match_dst_net)(r, &gw, false);
	ir_match_ctstate(r, IR_CT_NEW | IR_CT_UNTRACKED, false);
	ir_target_simple(r, IRT_ACCEPT);
}

#endif /* SHOREWALL_TEST_IR_FIXTURE_H */
