/* common.c — the shared helper chains: reject, dynamic, tcpflags, smurfs (reference §1.7, §2.1). */
#include "build.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "settings.h"

#include <string.h>
#include <strings.h>

/* Connection states of the BLACKLIST setting (which packets consult the dynamic blacklist). */
static const struct keyword ct_states[] = {    /* must stay sorted */
	{ "ALL", IR_CT_NEW | IR_CT_ESTABLISHED | IR_CT_RELATED | IR_CT_INVALID | IR_CT_UNTRACKED, 0 },
	{ "ESTABLISHED", IR_CT_ESTABLISHED, 0 },
	{ "INVALID", IR_CT_INVALID, 0 },
	{ "NEW", IR_CT_NEW, 0 },
	{ "RELATED", IR_CT_RELATED, 0 },
	{ "UNTRACKED", IR_CT_UNTRACKED, 0 },
};

const struct keyword *build_ctstate_table(size_t *n)
{
	*n = KW_COUNT(ct_states);
	return ct_states;
}

/* DYNAMIC_BLACKLIST: on unless it says No (the ipset forms also keep a `dynamic` chain; the set
 * itself is not managed here). The states come from BLACKLIST; an unparsable word is skipped, and
 * with none left the stock NEW,INVALID,UNTRACKED applies. */
static unsigned dynamic_states(const struct settings *s)
{
	const char *d = s->dynamic_blacklist;
	if (!d || !*d || strcasecmp(d, "No") == 0 || strcasecmp(d, "0") == 0)
		return 0;
	unsigned states = 0;
	if (s->blacklist) {
		char buf[128];
		size_t n = strlen(s->blacklist);
		if (n < sizeof(buf)) {
			memcpy(buf, s->blacklist, n + 1);
			char *save = NULL;
			for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
				const struct keyword *k = KW_FIND(ct_states, w);
				if (k)
					states |= (unsigned)k->value;
			}
		}
	}
	return states ? states : IR_CT_NEW | IR_CT_INVALID | IR_CT_UNTRACKED;
}

static void build_reject(struct builder *b)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, "reject");
	struct ir_rule *r;
	struct net4 mcast = { 0xe0000000u, 4 };

	/* never answer a broadcast or multicast source: that would be a smurf amplifier */
	r = ir_rule_append(ch, NULL);
	ir_match_addrtype(r, IR_SRC, IR_AT_BROADCAST, false);
	ir_target_simple(r, IRT_DROP);
	r = ir_rule_append(ch, NULL);
	ir_match_src_net(r, &mcast, false);
	ir_target_simple(r, IRT_DROP);
	r = ir_rule_append(ch, NULL);
	ir_match_proto(r, 2);                       /* IGMP: no ICMP errors for it */
	ir_target_simple(r, IRT_DROP);
	r = ir_rule_append(ch, NULL);
	ir_match_proto(r, 6);
	ir_target_reject(r, IR_REJECT_TCP_RESET);
	r = ir_rule_append(ch, NULL);
	ir_match_proto(r, 17);
	ir_target_reject(r, IR_REJECT_PORT_UNREACH);
	r = ir_rule_append(ch, NULL);
	ir_match_proto(r, 1);
	ir_target_reject(r, IR_REJECT_HOST_UNREACH);
	r = ir_rule_append(ch, NULL);
	ir_target_reject(r, IR_REJECT_HOST_PROHIB);
}

/* The seven impossible flag combinations Shorewall drops (Misc.pm's tcpflags chain). */
static void build_tcpflags(struct builder *b)
{
	static const struct { uint8_t mask, comp; } bad[] = {
		{ 0x3f, IR_TCP_FIN | IR_TCP_URG | IR_TCP_PSH },            /* ALL FIN,URG,PSH (xmas) */
		{ 0x3f, 0 },                                               /* ALL NONE (null scan) */
		{ IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN | IR_TCP_RST },
		{ IR_TCP_FIN | IR_TCP_RST, IR_TCP_FIN | IR_TCP_RST },
		{ IR_TCP_SYN | IR_TCP_FIN, IR_TCP_SYN | IR_TCP_FIN },
		{ IR_TCP_ACK | IR_TCP_PSH | IR_TCP_FIN, IR_TCP_PSH | IR_TCP_FIN },
	};
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, "tcpflags");
	const char *d = b->s->tcp_flags_disposition;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ir_rule *r = ir_rule_append(ch, NULL);
		ir_match_proto(r, 6);
		ir_match_tcp_flags(r, bad[i].mask, bad[i].comp);
		build_verdict(b, r, d);
	}
	struct ir_rule *r = ir_rule_append(ch, NULL);    /* a SYN from port 0 */
	ir_match_proto(r, 6);
	ir_match_syn(r);
	ir_match_sport(r, 0, 0, false);
	build_verdict(b, r, d);
}

static void build_smurfs(struct builder *b)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, "smurfs");
	struct net4 any = { 0, 32 }, mcast = { 0xe0000000u, 4 };
	struct ir_rule *r = ir_rule_append(ch, NULL);
	ir_match_src_net(r, &any, false);           /* 0.0.0.0: a DHCP client, not a smurf */
	ir_target_simple(r, IRT_RETURN);
	r = ir_rule_append(ch, NULL);
	ir_match_addrtype(r, IR_SRC, IR_AT_BROADCAST, false);
	build_verdict(b, r, b->s->smurf_disposition);
	r = ir_rule_append(ch, NULL);
	ir_match_src_net(r, &mcast, false);
	build_verdict(b, r, b->s->smurf_disposition);
}

void build_common(struct builder *b)
{
	b->ctstate_dynamic = dynamic_states(b->s);
	for (size_t i = 0; i < b->g->ifaces.n; i++) {
		const struct iface *f = b->g->ifaces.v[i];
		if (IFACE_ON(f, IFO_TCPFLAGS))
			b->have_tcpflags = true;
		if (IFACE_ON(f, IFO_NOSMURFS))
			b->have_smurfs = true;
	}
	for (size_t i = 0; i < b->g->hosts.n; i++) {
		const struct host *h = b->g->hosts.v[i];
		if (HOST_HAS(h, HO_TCPFLAGS) && (!h->from_interfaces || IFACE_ON(h->iface, IFO_TCPFLAGS)))
			b->have_tcpflags = true;
		if (HOST_HAS(h, HO_NOSMURFS))
			b->have_smurfs = true;
	}
	build_reject(b);
	if (b->ctstate_dynamic)
		ir_chain_get(b->rs, IR_FILTER, "dynamic");  /* empty: `shorewall drop` fills it at run time */
	if (b->have_tcpflags)
		build_tcpflags(b);
	if (b->have_smurfs)
		build_smurfs(b);
}
