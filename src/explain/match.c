/* match.c — one IR match against explain's packet: every kind has an evaluation, and those that
 * depend on what explain cannot know (rates, lists, owners, the clock…) say which assumption
 * they made (docs/explain.md, "Assumptions"). */
#include "explain.h"

#include <string.h>
#include <time.h>

static uint32_t mask_of(uint8_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

bool xp_iface_match(const char *want, const char *have)
{
	if (!have)
		return false;
	size_t n = strlen(want);
	if (n && want[n - 1] == '+')
		return strncmp(want, have, n - 1) == 0;
	return strcmp(want, have) == 0;
}

unsigned xp_addrtype(const struct explain *e, uint32_t addr, bool known)
{
	if (!known)
		return IR_AT_UNICAST;
	if (addr == 0xffffffffu || addr == 0)
		return IR_AT_BROADCAST;
	if ((addr >> 28) == 0xe)
		return IR_AT_MULTICAST;
	if (xp_is_fw_addr(e, addr))
		return IR_AT_LOCAL;
	for (size_t i = 0; i < e->req.fwaddrs.n; i++) {
		const struct xp_fwaddr *f = &e->req.fwaddrs.v[i];
		if (f->net.len < 31 && addr == (f->addr | ~mask_of(f->net.len)))
			return IR_AT_BROADCAST;
	}
	return IR_AT_UNICAST;
}

static bool addr_match(const struct xp_ctx *x, const struct ir_addr *a, uint32_t addr, bool known,
		       const char *side)
{
	switch (a->kind) {
	case IR_ADDR_NET:
		if (!known) {
			if (a->net.len == 0)
				return true;
			*x->note = "an unknown address is assumed outside every network a rule names";
			return false;
		}
		return (addr & mask_of(a->net.len)) == (a->net.addr & mask_of(a->net.len));
	case IR_ADDR_RANGE:
		if (!known) {
			*x->note = "an unknown address is assumed outside every network a rule names";
			return false;
		}
		return addr >= a->lo && addr <= a->hi;
	case IR_ADDR_SET:
		*x->note = "ipsets are not known offline: every address is assumed not in any set";
		return false;
	}
	(void)side;
	return false;
}

static bool ports_match(const struct ir_ports *pp, uint16_t port)
{
	for (unsigned i = 0; i < pp->n; i++)
		if (port >= pp->r[i].lo && port <= pp->r[i].hi)
			return true;
	return false;
}

static bool elem_match(const struct xp_ctx *x, const struct ir_pol_elem *el, const struct xp_sa *sa)
{
	static const struct { uint8_t bit; } bits[] = {
		{ IR_PE_MODE }, { IR_PE_REQID }, { IR_PE_SPI }, { IR_PE_PROTO }, { IR_PE_TUNNEL_SRC }, { IR_PE_TUNNEL_DST },
	};
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		uint8_t b = bits[i].bit;
		if (!(el->has & b))
			continue;
		if (!(sa->has & b)) {
			*x->note = "an SA option the packet's --ipsec did not give is assumed to match what the rule asks";
			continue;
		}
		bool eq;
		switch (b) {
		case IR_PE_MODE: eq = el->mode == sa->mode; break;
		case IR_PE_REQID: eq = el->reqid == sa->reqid; break;
		case IR_PE_SPI: eq = el->spi == sa->spi; break;
		case IR_PE_PROTO: eq = el->proto == sa->proto; break;
		case IR_PE_TUNNEL_SRC:
			eq = (sa->tunnel_src & mask_of(el->tunnel_src.len)) == (el->tunnel_src.addr & mask_of(el->tunnel_src.len));
			break;
		default:
			eq = (sa->tunnel_dst & mask_of(el->tunnel_dst.len)) == (el->tunnel_dst.addr & mask_of(el->tunnel_dst.len));
			break;
		}
		if (eq == ((el->inv & b) != 0))
			return false;
	}
	return true;
}

static bool policy_match(const struct xp_ctx *x, const struct ir_policy *pol)
{
	const struct xp_sa *sa = pol->dir == IR_DIR_IN ? &x->p->sa_in : &x->p->sa_out;
	if (pol->pol == IR_POL_NONE)
		return !sa->present;
	if (!sa->present)
		return false;
	if (pol->nelem == 0)
		return true;
	if (pol->strict)
		return pol->nelem == 1 && elem_match(x, &pol->elem[0], sa);
	for (unsigned i = 0; i < pol->nelem; i++)
		if (elem_match(x, &pol->elem[i], sa))
			return true;
	return false;
}

static bool time_match(const struct xp_ctx *x, const struct ir_time *t)
{
	time_t now = time(NULL);
	struct tm tm;
	if (t->kerneltz)
		localtime_r(&now, &tm);
	else
		gmtime_r(&now, &tm);
	*x->note = t->kerneltz ? "time: evaluated at this moment, in local time"
			       : "time: evaluated at this moment, in UTC";
	if (t->datestart && now < t->datestart)
		return false;
	if (t->datestop && now > t->datestop)
		return false;
	if (t->weekdays && !(t->weekdays & (1u << ((tm.tm_wday + 6) % 7))))
		return false;
	if (t->monthdays && !(t->monthdays & (1u << tm.tm_mday)))
		return false;
	int32_t sec = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	int32_t start = t->start < 0 ? 0 : t->start, stop = t->stop < 0 ? 86399 : t->stop;
	if (start <= stop)
		return sec >= start && sec <= stop;
	return sec >= start || sec <= stop;     /* across midnight */
}

/* The result before the match's own `!`. */
static bool eval(const struct xp_ctx *x, const struct ir_match *m)
{
	const struct xp_packet *p = x->p;
	switch (m->kind) {
	case IRM_IN:
		return xp_iface_match(m->u.iface.name, p->in);
	case IRM_OUT:
		return xp_iface_match(m->u.iface.name, p->out);
	case IRM_SRC:
		return addr_match(x, &m->u.addr, p->src, p->src_known, "source");
	case IRM_DST:
		return addr_match(x, &m->u.addr, p->dst, p->dst_known, "destination");
	case IRM_PROTO:
		return m->u.proto.num == 0 || m->u.proto.num == p->proto;
	case IRM_SPORT:
		return ir_proto_has_ports(p->proto) && ports_match(&m->u.ports, p->sport);
	case IRM_DPORT:
		return ir_proto_has_ports(p->proto) && ports_match(&m->u.ports, p->dport);
	case IRM_TCP_FLAGS:
		return p->proto == 6 && (p->tcp_flags & m->u.tcp.mask) == m->u.tcp.comp;
	case IRM_ICMP_TYPE:
		if (p->proto != 1)
			return false;
		if (m->u.icmp.type == 255)
			return true;
		return m->u.icmp.type == p->icmp_type && (m->u.icmp.code < 0 || m->u.icmp.code == p->icmp_code);
	case IRM_CTSTATE:
		return (m->u.ct.states & p->ctstate) != 0;
	case IRM_POLICY:
		return policy_match(x, &m->u.policy);
	case IRM_LIMIT:
		*x->note = "limit: the packet is assumed within the rate";
		return true;
	case IRM_HASHLIMIT:
		*x->note = "hashlimit: the packet is assumed within the rate";
		return !m->u.hashlimit.above;
	case IRM_ADDRTYPE: {
		bool src = m->u.addrtype.side == IR_SRC;
		unsigned t = xp_addrtype(x->e, src ? p->src : p->dst, src ? p->src_known : p->dst_known);
		if (!src && x->local_dst && !p->dst_known)
			t = IR_AT_LOCAL;
		if (src && x->local_src && !p->src_known)
			t = IR_AT_LOCAL;
		*x->note = "addrtype: an address is unicast unless it is a broadcast (255.255.255.255 or a known "
			   "subnet's), multicast (224.0.0.0/4) or the firewall's own (local)";
		return (m->u.addrtype.types & t) != 0;
	}
	case IRM_TCPMSS:
		if (p->proto != 6 || !(p->tcp_flags & IR_TCP_SYN))
			return false;
		*x->note = "tcpmss: the SYN is assumed to carry MSS 1460";
		return p->mss >= m->u.tcpmss.lo && p->mss <= m->u.tcpmss.hi;
	case IRM_MARK:
		return (p->mark & m->u.mark.mask) == m->u.mark.value;
	case IRM_CONNMARK:
		return (p->connmark & m->u.mark.mask) == m->u.mark.value;
	case IRM_OWNER:
		if (x->hook != XH_OUTPUT && x->hook != XH_POSTROUTING)
			return false;
		if (p->in)
			return false;   /* forwarded: no local socket */
		*x->note = "owner: the firewall's own packet is assumed sent by root (uid 0, gid 0)";
		if ((m->u.owner.has & IR_OWNER_UID) && m->u.owner.uid != p->uid)
			return false;
		if ((m->u.owner.has & IR_OWNER_GID) && m->u.owner.gid != p->gid)
			return false;
		return true;
	case IRM_CONNLIMIT:
		*x->note = "connlimit: this connection is assumed the only one of its group";
		return 1 > m->u.connlimit.above;
	case IRM_TIME:
		return time_match(x, &m->u.time);
	case IRM_HELPER:
		return false;   /* a new connection has no helper assigned */
	case IRM_RECENT:
		if (m->u.recent.op == IR_RECENT_SET) {
			*x->note = "recent --set: remembers the address and matches";
			return true;
		}
		*x->note = "recent: the address is assumed not in the list (no earlier packets)";
		return false;
	case IRM_CTORIGDST: {
		/* the connection's destination before any DNAT: the packet as it arrived */
		struct ir_addr a = { .kind = IR_ADDR_NET, .net = m->u.ctorigdst };
		return addr_match(x, &a, x->e->pkt.dst, x->e->pkt.dst_known, "original destination");
	}
	case IRM_CTORIGDSTPORT:
		return ir_proto_has_ports(x->e->pkt.proto) && x->e->pkt.dport >= m->u.ctorigdstport.lo &&
		       x->e->pkt.dport <= m->u.ctorigdstport.hi;
	case IRM_MAC:
		*x->note = "mac: the sender's MAC address is not known here; assumed to match";
		return true;
	case IRM_COUNT:
		break;
	}
	return false;
}

bool xp_match(const struct xp_ctx *x, const struct ir_match *m)
{
	bool r = eval(x, m);
	return m->invert ? !r : r;
}
