/* member.c — a zone member's address and policy match on dispatch rules (docs/compiler.md). */
#include "build.h"

#include "graph.h"
#include "ir.h"

bool member_is_ipsec(const struct builder *b, const struct host *h)
{
	(void)b;
	return h->zone->type == ZONE_IPSEC || HOST_HAS(h, HO_IPSEC);
}

/* The policy match of one side. Only with have_ipsec: without IPsec nothing can be decrypted, so
 * the match would only cost a module per rule. A plaintext member of a super zone (one with an
 * ipsec sub-zone) gets no match, so that a packet a sub-zone's CONTINUE policy sends back can
 * still be claimed by the parent — on both sides: 5.2.8 keeps `--pol none` outbound, which we
 * deliberately do not copy (docs/compiler.md). */
static void member_policy(struct builder *b, struct ir_rule *r, const struct host *h, enum ir_dir dir)
{
	if (!b->g->have_ipsec)
		return;
	const struct zone *z = h->zone;
	if (member_is_ipsec(b, h)) {
		struct ir_match *m = ir_match_policy(r, dir, IR_POL_IPSEC, z->options);
		ir_policy_add_opts(r, m, dir == IR_DIR_IN ? z->in_options : z->out_options);
	} else if (!z->super) {
		ir_match_policy(r, dir, IR_POL_NONE, NULL);
	}
}

void member_match_in(struct builder *b, struct ir_rule *r, const struct host *h,
		     const struct addr_item *addr)
{
	if (addr)
		ir_match_addr(r, IR_SRC, addr, false);
	member_policy(b, r, h, IR_DIR_IN);
}

void member_match_out(struct builder *b, struct ir_rule *r, const struct host *h,
		      const struct addr_item *addr)
{
	if (addr)
		ir_match_addr(r, IR_DST, addr, false);
	member_policy(b, r, h, IR_DIR_OUT);
}
