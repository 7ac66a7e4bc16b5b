/* ir_argv.c — one IR rule as iptables arguments: the single place that knows the syntax of a rule. */
#include "ir.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the token buffer: tokens are offsets into one growing buffer until the rule is done ---------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		/* as the arena does: a compile that cannot allocate cannot report anything useful */
		fputs("shorewall: out of memory\n", stderr);
		abort();
	}
	return q;
}

void ir_argv_init(struct ir_argv *a)
{
	memset(a, 0, sizeof(*a));
}

void ir_argv_fini(struct ir_argv *a)
{
	free(a->buf);
	free(a->off);
	free(a->v);
	free(a->seg);
	memset(a, 0, sizeof(*a));
}

/* Room for a token of n bytes (kept out of line: the buffers stop growing after a few rules). */
static __attribute__((noinline)) void put_grow(struct ir_argv *a, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 256;
		a->buf = xrealloc(a->buf, a->cap);
	}
	if (a->n == a->vcap) {
		/* v grows with off (one more for the NULL end), so render never reallocates it */
		a->vcap = a->vcap ? a->vcap * 2 : 32;
		a->off = xrealloc(a->off, a->vcap * sizeof(*a->off));
		a->v = xrealloc(a->v, (a->vcap + 1) * sizeof(*a->v));
	}
}

/* Append one token; `counted` tokens belong to the current segment's options. Inlined, so that a
 * literal token's length is known when compiling (most tokens are "-s", "--dport", "ACCEPT"…). */
static inline __attribute__((always_inline)) void put(struct ir_argv *a, bool counted, const char *s)
{
	size_t n = strlen(s) + 1;
	if (a->len + n > a->cap || a->n == a->vcap)
		put_grow(a, n);
	memcpy(a->buf + a->len, s, n);
	a->off[a->n++] = a->len;
	a->len += n;
	if (counted && a->nseg)
		a->seg[a->nseg - 1].count++;
}

static void tok(struct ir_argv *a, const char *s)
{
	put(a, true, s);
}

static void tokf(struct ir_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tokf(struct ir_argv *a, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tok(a, buf);
}

static void inv(struct ir_argv *a, bool invert)
{
	if (invert)
		tok(a, "!");
}

static void seg_open(struct ir_argv *a, enum ir_seg_type type, const char *module, bool implicit)
{
	if (a->nseg == a->segcap) {
		a->segcap = a->segcap ? a->segcap * 2 : 16;
		a->seg = xrealloc(a->seg, a->segcap * sizeof(*a->seg));
	}
	a->seg[a->nseg++] = (struct ir_argv_seg){ type, module, implicit, a->n, 0 };
}

/* "-m NAME", then a segment for its options. */
static void module(struct ir_argv *a, const char *name)
{
	put(a, false, "-m");
	put(a, false, name);
	seg_open(a, IR_SEG_MATCH, name, false);
}

/* Header tokens and the implicit protocol options join the segment before them when it is of the
 * same sort, so -i/-s/-p form one header run and --dport/--tcp-flags one "tcp" run. */
static void seg_join(struct ir_argv *a, enum ir_seg_type type, const char *module, bool implicit)
{
	if (a->nseg) {
		struct ir_argv_seg *s = &a->seg[a->nseg - 1];
		if (s->type == type && s->implicit == implicit && s->first + s->count == a->n &&
		    (s->module == module || (s->module && module && strcmp(s->module, module) == 0)))
			return;
	}
	seg_open(a, type, module, implicit);
}

/* ---- formatting helpers -------------------------------------------------------------------------- */

static const char *unit_name(uint8_t u)
{
	static const char *const names[] = {
		[IR_PER_SEC] = "sec", [IR_PER_MIN] = "min", [IR_PER_HOUR] = "hour", [IR_PER_DAY] = "day",
	};
	return u < sizeof(names) / sizeof(names[0]) ? names[u] : "sec";
}

/* Comma list of the names of the set bits, in bit order; `none` when no bit is set. */
/* Append s at buf[used] as snprintf(buf + used, len - used, "%s", s) would (what does not fit
 * is dropped); returns the length the text would have. The caller NUL-ends at min(used, len-1). */
static size_t append(char *buf, size_t len, size_t used, const char *s)
{
	size_t n = strlen(s);
	if (len && used < len - 1)
		memcpy(buf + used, s, n < len - 1 - used ? n : len - 1 - used);
	return used + n;
}

/* Comma list of the names of the set bits, in bit order; `none` when no bit is set. Without
 * snprintf: ctstate and addrtype lists are on every dispatch and pair chain. */
static void bitnames(char *buf, size_t len, unsigned bits, const char *const *names, size_t n, const char *none)
{
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		if (bits & (1u << i) && names[i]) {
			if (used)
				used = append(buf, len, used, ",");
			used = append(buf, len, used, names[i]);
		}
	if (!used)
		used = append(buf, len, 0, none);
	buf[used < len ? used : len - 1] = '\0';
}

/* Decimal digits of v at p, no NUL; returns the end. */
static char *put_dec(char *p, unsigned v)
{
	char d[10];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = d[--n];
	return p;
}

/* "lo[:hi],…". Written by hand: snprintf per range was 8 % of a 50k-rule compile. The text, and
 * its truncation at len - 1 should it ever not fit, are what the snprintf chain produced. */
static void fmt_ports(char *buf, size_t len, const struct ir_ports *p)
{
	char t[24];
	size_t used = 0;
	if (len == 0)
		return;
	for (unsigned i = 0; i < p->n && used < len - 1; i++) {
		const struct ir_portrange *r = &p->r[i];
		char *e = t;
		if (i)
			*e++ = ',';
		e = put_dec(e, r->lo);
		if (r->lo != r->hi) {
			*e++ = ':';
			e = put_dec(e, r->hi);
		}
		size_t n = (size_t)(e - t);
		if (n > len - 1 - used)
			n = len - 1 - used;
		memcpy(buf + used, t, n);
		used += n;
	}
	buf[used] = '\0';
}

static void fmt_mark(char *buf, size_t len, uint32_t value, uint32_t mask)
{
	if (mask == 0xffffffffu)
		snprintf(buf, len, "0x%x", value);
	else
		snprintf(buf, len, "0x%x/0x%x", value, mask);
}

static void fmt_nat(char *buf, size_t len, const struct ir_nat_range *to, bool ports_only)
{
	char lo[16], hi[16];
	size_t used = 0;
	buf[0] = '\0';
	if (!ports_only && to->lo) {
		ip4_format(to->lo, lo, sizeof(lo));
		ip4_format(to->hi, hi, sizeof(hi));
		used = (size_t)(to->hi != to->lo ? snprintf(buf, len, "%s-%s", lo, hi) : snprintf(buf, len, "%s", lo));
	}
	if (to->plo && used < len) {
		if (to->phi != to->plo)
			snprintf(buf + used, len - used, "%s%u-%u", ports_only ? "" : ":", to->plo, to->phi);
		else
			snprintf(buf + used, len - used, "%s%u", ports_only ? "" : ":", to->plo);
	}
}

/* ---- matches ------------------------------------------------------------------------------------- */

typedef void render_fn(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r);

static void r_iface(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	seg_join(a, IR_SEG_HEADER, NULL, false);
	inv(a, m->invert);
	tok(a, m->kind == IRM_IN ? "-i" : "-o");
	tok(a, m->u.iface.name);
}

static void r_addr(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	const struct ir_addr *ad = &m->u.addr;
	bool src = m->kind == IRM_SRC;
	char buf[64];
	switch (ad->kind) {
	case IR_ADDR_NET:
		seg_join(a, IR_SEG_HEADER, NULL, false);
		inv(a, m->invert);
		tok(a, src ? "-s" : "-d");
		tok(a, net4_format(&ad->net, buf, sizeof(buf)));
		break;
	case IR_ADDR_RANGE: {
		char lo[16], hi[16];
		module(a, "iprange");
		inv(a, m->invert);
		tok(a, src ? "--src-range" : "--dst-range");
		tokf(a, "%s-%s", ip4_format(ad->lo, lo, sizeof(lo)), ip4_format(ad->hi, hi, sizeof(hi)));
		break;
	}
	case IR_ADDR_SET: {
		static const char *const dirs[] = { "src", "dst" };
		size_t used = 0;
		module(a, "set");
		inv(a, m->invert);
		tok(a, "--match-set");
		tok(a, ad->set);
		for (unsigned i = 0; i < ad->dims && i < IR_SET_MAX_DIM; i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "," : "",
						 dirs[(ad->dst_mask >> i) & 1]);
		tok(a, buf);
		break;
	}
	}
}

static void r_proto(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	const char *name = ir_proto_has_module(m->u.proto.num) ? ir_proto_name(m->u.proto.num) : NULL;
	seg_join(a, IR_SEG_HEADER, NULL, false);
	inv(a, m->invert);
	tok(a, "-p");
	if (name)
		tok(a, name);
	else
		tokf(a, "%u", m->u.proto.num);
}

/* The implicit module is the one -p loaded: tcp, udp, … (icmp for --icmp-type). */
static const char *implicit_module(const struct ir_match *m, const struct ir_rule *r)
{
	if (m->kind == IRM_TCP_FLAGS)
		return "tcp";
	if (m->kind == IRM_ICMP_TYPE)
		return "icmp";
	const struct ir_match *p = ir_rule_find(r, IRM_PROTO);
	return p && ir_proto_has_module(p->u.proto.num) ? ir_proto_name(p->u.proto.num) : "tcp";
}

static void r_ports(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	char buf[IR_MULTIPORT_SLOTS * 12 + 1];
	bool src = m->kind == IRM_SPORT;
	fmt_ports(buf, sizeof(buf), &m->u.ports);
	if (ir_match_implicit(m)) {
		seg_join(a, IR_SEG_MATCH, implicit_module(m, r), true);
		inv(a, m->invert);
		tok(a, src ? "--sport" : "--dport");
	} else {
		module(a, "multiport");
		inv(a, m->invert);
		tok(a, src ? "--sports" : "--dports");
	}
	tok(a, buf);
}

static const char *const tcp_flag_names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };

static void r_tcp_flags(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	seg_join(a, IR_SEG_MATCH, "tcp", true);
	inv(a, m->invert);
	if (m->u.tcp.mask == (IR_TCP_FIN | IR_TCP_SYN | IR_TCP_RST | IR_TCP_ACK) && m->u.tcp.comp == IR_TCP_SYN) {
		tok(a, "--syn");
		return;
	}
	char mask[64], comp[64];
	bitnames(mask, sizeof(mask), m->u.tcp.mask, tcp_flag_names, 8, "NONE");
	bitnames(comp, sizeof(comp), m->u.tcp.comp, tcp_flag_names, 8, "NONE");
	tok(a, "--tcp-flags");
	tok(a, mask);
	tok(a, comp);
}

static void r_icmp(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	seg_join(a, IR_SEG_MATCH, "icmp", true);
	inv(a, m->invert);
	tok(a, "--icmp-type");
	if (m->u.icmp.type == 255)
		tok(a, "any");
	else if (m->u.icmp.code < 0)
		tokf(a, "%u", m->u.icmp.type);
	else
		tokf(a, "%u/%d", m->u.icmp.type, m->u.icmp.code);
}

static void r_ctstate(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	/* bit order = print order: NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED (Shorewall's spellings
	 * "NEW,INVALID,UNTRACKED" and "ESTABLISHED,RELATED" come out as written) */
	static const char *const names[] = { "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", "SNAT", "DNAT" };
	char buf[96];
	bitnames(buf, sizeof(buf), m->u.ct.states, names, 7, "INVALID");
	module(a, "conntrack");
	inv(a, m->invert);
	tok(a, "--ctstate");
	tok(a, buf);
}

static void r_policy(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const protos[256] = { [50] = "esp", [51] = "ah", [108] = "ipcomp" };
	const struct ir_policy *p = &m->u.policy;
	char buf[32];
	module(a, "policy");
	tok(a, "--dir");
	tok(a, p->dir == IR_DIR_OUT ? "out" : "in");
	tok(a, "--pol");
	tok(a, p->pol == IR_POL_IPSEC ? "ipsec" : "none");
	if (p->strict)
		tok(a, "--strict");
	for (unsigned i = 0; i < p->nelem && i < IR_POLICY_MAX_ELEM; i++) {
		const struct ir_pol_elem *e = &p->elem[i];
		if (i)
			tok(a, "--next");
		if (e->has & IR_PE_MODE) {
			inv(a, e->inv & IR_PE_MODE);
			tok(a, "--mode");
			tok(a, e->mode == IR_MODE_TUNNEL ? "tunnel" : "transport");
		}
		if (e->has & IR_PE_REQID) {
			inv(a, e->inv & IR_PE_REQID);
			tok(a, "--reqid");
			tokf(a, "%u", e->reqid);
		}
		if (e->has & IR_PE_SPI) {
			inv(a, e->inv & IR_PE_SPI);
			tok(a, "--spi");
			tokf(a, "%u", e->spi);
		}
		if (e->has & IR_PE_PROTO) {
			inv(a, e->inv & IR_PE_PROTO);
			tok(a, "--proto");
			if (protos[e->proto])
				tok(a, protos[e->proto]);
			else
				tokf(a, "%u", e->proto);
		}
		if (e->has & IR_PE_TUNNEL_SRC) {
			inv(a, e->inv & IR_PE_TUNNEL_SRC);
			tok(a, "--tunnel-src");
			tok(a, net4_format(&e->tunnel_src, buf, sizeof(buf)));
		}
		if (e->has & IR_PE_TUNNEL_DST) {
			inv(a, e->inv & IR_PE_TUNNEL_DST);
			tok(a, "--tunnel-dst");
			tok(a, net4_format(&e->tunnel_dst, buf, sizeof(buf)));
		}
	}
}

static void r_limit(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	module(a, "limit");
	tok(a, "--limit");
	tokf(a, "%u/%s", m->u.limit.rate, unit_name(m->u.limit.unit));
	if (m->u.limit.burst) {
		tok(a, "--limit-burst");
		tokf(a, "%u", m->u.limit.burst);
	}
}

static void r_hashlimit(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const modes[] = { "srcip", "srcport", "dstip", "dstport" };
	const struct ir_hashlimit *h = &m->u.hashlimit;
	module(a, "hashlimit");
	tok(a, h->above ? "--hashlimit-above" : "--hashlimit-upto");
	tokf(a, "%u/%s", h->rate, unit_name(h->unit));
	if (h->burst) {
		tok(a, "--hashlimit-burst");
		tokf(a, "%u", h->burst);
	}
	if (h->name) {
		tok(a, "--hashlimit-name");
		tok(a, h->name);
	}
	if (h->mode) {
		char buf[64];
		bitnames(buf, sizeof(buf), h->mode, modes, 4, "");
		tok(a, "--hashlimit-mode");
		tok(a, buf);
	}
}

static void r_addrtype(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const names[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE",
		"UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	};
	char buf[160];
	bitnames(buf, sizeof(buf), m->u.addrtype.types, names, 12, "UNSPEC");
	module(a, "addrtype");
	inv(a, m->invert);
	tok(a, m->u.addrtype.side == IR_DST ? "--dst-type" : "--src-type");
	tok(a, buf);
}

static void r_tcpmss(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	const struct ir_range16 *t = &m->u.tcpmss;
	module(a, "tcpmss");
	inv(a, m->invert);
	tok(a, "--mss");
	if (t->lo == t->hi)
		tokf(a, "%u", t->lo);
	else if (t->hi == 65535)
		tokf(a, "%u:", t->lo);         /* Shorewall's spelling of "at least" */
	else
		tokf(a, "%u:%u", t->lo, t->hi);
}

static void r_mark(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	char buf[32];
	fmt_mark(buf, sizeof(buf), m->u.mark.value, m->u.mark.mask);
	module(a, m->kind == IRM_CONNMARK ? "connmark" : "mark");
	inv(a, m->invert);
	tok(a, "--mark");
	tok(a, buf);
}

static void r_owner(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	module(a, "owner");
	if (m->u.owner.has & IR_OWNER_UID) {
		inv(a, m->invert);
		tok(a, "--uid-owner");
		tokf(a, "%u", m->u.owner.uid);
	}
	if (m->u.owner.has & IR_OWNER_GID) {
		inv(a, m->invert);
		tok(a, "--gid-owner");
		tokf(a, "%u", m->u.owner.gid);
	}
}

static void r_connlimit(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	module(a, "connlimit");
	tok(a, m->invert ? "--connlimit-upto" : "--connlimit-above");       /* "!" is upto */
	tokf(a, "%u", m->u.connlimit.above);
	if (m->u.connlimit.masklen != 32) {
		tok(a, "--connlimit-mask");
		tokf(a, "%u", m->u.connlimit.masklen);
	}
	if (m->u.connlimit.daddr)
		tok(a, "--connlimit-daddr");
}

static void tok_daytime(struct ir_argv *a, const char *opt, int32_t s)
{
	tok(a, opt);
	tokf(a, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
}

static void tok_date(struct ir_argv *a, const char *opt, int64_t when)
{
	struct tm tm;
	time_t t = (time_t)when;
	char buf[32];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	tok(a, opt);
	tok(a, buf);
}

static void r_time(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	const struct ir_time *t = &m->u.time;
	char buf[128];
	module(a, "time");
	if (t->start >= 0)
		tok_daytime(a, "--timestart", t->start);
	if (t->stop >= 0)
		tok_daytime(a, "--timestop", t->stop);
	if (t->monthdays) {
		size_t used = 0;
		for (unsigned d = 1; d <= 31; d++)
			if (t->monthdays & (1u << d))
				used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u", used ? "," : "", d);
		tok(a, "--monthdays");
		tok(a, buf);
	}
	if (t->weekdays) {
		bitnames(buf, sizeof(buf), t->weekdays, days, 7, "");
		tok(a, "--weekdays");
		tok(a, buf);
	}
	if (t->datestart)
		tok_date(a, "--datestart", t->datestart);
	if (t->datestop)
		tok_date(a, "--datestop", t->datestop);
	if (t->kerneltz)
		tok(a, "--kerneltz");
}

static void r_helper(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	module(a, "helper");
	inv(a, m->invert);
	tok(a, "--helper");
	tok(a, m->u.helper.name);
}

static void r_recent(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const ops[] = {
		[IR_RECENT_SET] = "--set", [IR_RECENT_RCHECK] = "--rcheck",
		[IR_RECENT_UPDATE] = "--update", [IR_RECENT_REMOVE] = "--remove",
	};
	const struct ir_recent *rc = &m->u.recent;
	module(a, "recent");
	inv(a, m->invert);
	tok(a, ops[rc->op <= IR_RECENT_REMOVE ? rc->op : IR_RECENT_RCHECK]);
	if (rc->seconds) {
		tok(a, "--seconds");
		tokf(a, "%u", rc->seconds);
	}
	if (rc->hitcount) {
		tok(a, "--hitcount");
		tokf(a, "%u", rc->hitcount);
	}
	if (rc->name) {
		tok(a, "--name");
		tok(a, rc->name);
	}
	if (rc->rdest)
		tok(a, "--rdest");
}

/* One -m conntrack per test, as Shorewall writes them: the two may come from different columns. */
static void r_ctorigdst(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	char buf[32];
	module(a, "conntrack");
	inv(a, m->invert);
	tok(a, "--ctorigdst");
	tok(a, net4_format(&m->u.ctorigdst, buf, sizeof(buf)));
}

static void r_ctorigdstport(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	const struct ir_range16 *p = &m->u.ctorigdstport;
	module(a, "conntrack");
	inv(a, m->invert);
	tok(a, "--ctorigdstport");
	if (p->lo == p->hi)
		tokf(a, "%u", p->lo);
	else
		tokf(a, "%u:%u", p->lo, p->hi);
}

static void r_mac(struct ir_argv *a, const struct ir_match *m, const struct ir_rule *r)
{
	const uint8_t *b = m->u.mac.b;
	module(a, "mac");
	inv(a, m->invert);
	tok(a, "--mac-source");
	tokf(a, "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5]);
}

static render_fn *const match_render[IRM_COUNT] = {
	[IRM_IN] = r_iface, [IRM_OUT] = r_iface, [IRM_SRC] = r_addr, [IRM_DST] = r_addr,
	[IRM_PROTO] = r_proto, [IRM_SPORT] = r_ports, [IRM_DPORT] = r_ports,
	[IRM_TCP_FLAGS] = r_tcp_flags, [IRM_ICMP_TYPE] = r_icmp, [IRM_CTSTATE] = r_ctstate,
	[IRM_POLICY] = r_policy, [IRM_LIMIT] = r_limit, [IRM_HASHLIMIT] = r_hashlimit,
	[IRM_ADDRTYPE] = r_addrtype, [IRM_TCPMSS] = r_tcpmss, [IRM_MARK] = r_mark,
	[IRM_CONNMARK] = r_mark, [IRM_OWNER] = r_owner, [IRM_CONNLIMIT] = r_connlimit,
	[IRM_TIME] = r_time, [IRM_HELPER] = r_helper, [IRM_RECENT] = r_recent,
	[IRM_CTORIGDST] = r_ctorigdst, [IRM_CTORIGDSTPORT] = r_ctorigdstport, [IRM_MAC] = r_mac,
};

/* ---- targets --------------------------------------------------------------------------------------- */

static void target_head(struct ir_argv *a, const char *opt, const char *name)
{
	put(a, false, opt);
	put(a, false, name);
	seg_open(a, IR_SEG_TARGET, name, false);
}

static void r_target(struct ir_argv *a, const struct ir_target *t)
{
	char buf[64];
	const char *name = ir_target_desc(t->kind)->name;
	switch (t->kind) {
	case IRT_NONE:
		return;
	case IRT_JUMP:
	case IRT_GOTO:
		target_head(a, t->kind == IRT_GOTO ? "-g" : "-j", t->u.chain ? t->u.chain->name : "?");
		return;
	default:
		target_head(a, "-j", name);
		break;
	}
	switch (t->kind) {
	case IRT_REJECT:
		if (t->u.reject.with != IR_REJECT_PORT_UNREACH && ir_reject_name(t->u.reject.with)) {
			tok(a, "--reject-with");
			tok(a, ir_reject_name(t->u.reject.with));
		}
		break;
	case IRT_LOG: {
		static const char *const flags[] = {
			"--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid", "--log-macdecode",
		};
		tok(a, "--log-level");
		tokf(a, "%u", t->u.log.level);
		if (t->u.log.prefix) {
			tok(a, "--log-prefix");
			tok(a, t->u.log.prefix);
		}
		for (unsigned i = 0; i < 5; i++)
			if (t->u.log.flags & (1u << i))
				tok(a, flags[i]);
		break;
	}
	case IRT_NFLOG:
		tok(a, "--nflog-group");
		tokf(a, "%u", t->u.nflog.group);
		if (t->u.nflog.prefix) {
			tok(a, "--nflog-prefix");
			tok(a, t->u.nflog.prefix);
		}
		if (t->u.nflog.threshold) {
			tok(a, "--nflog-threshold");
			tokf(a, "%u", t->u.nflog.threshold);
		}
		break;
	case IRT_MASQUERADE:
	case IRT_REDIRECT:
	case IRT_SNAT:
	case IRT_DNAT: {
		bool ports_only = t->kind == IRT_MASQUERADE || t->kind == IRT_REDIRECT;
		fmt_nat(buf, sizeof(buf), &t->u.nat.to, ports_only);
		if (buf[0]) {
			tok(a, ports_only ? "--to-ports" : t->kind == IRT_SNAT ? "--to-source" : "--to-destination");
			tok(a, buf);
		}
		if (t->u.nat.random)
			tok(a, "--random");
		if (t->u.nat.persistent)
			tok(a, "--persistent");
		break;
	}
	case IRT_TCPMSS:
		if (t->u.tcpmss.mss) {
			tok(a, "--set-mss");
			tokf(a, "%u", t->u.tcpmss.mss);
		} else {
			tok(a, "--clamp-mss-to-pmtu");
		}
		break;
	case IRT_NFQUEUE:
		if (t->u.queue.num_hi > t->u.queue.num) {
			tok(a, "--queue-balance");
			tokf(a, "%u:%u", t->u.queue.num, t->u.queue.num_hi);
		} else {
			tok(a, "--queue-num");
			tokf(a, "%u", t->u.queue.num);
		}
		if (t->u.queue.bypass)
			tok(a, "--queue-bypass");
		break;
	case IRT_MARK:
	case IRT_CONNMARK: {
		static const char *const ops[] = {
			[IR_MARK_SET] = "--set-mark", [IR_MARK_AND] = "--and-mark", [IR_MARK_OR] = "--or-mark",
			[IR_MARK_XOR] = "--xor-mark", [IR_MARK_SAVE] = "--save-mark", [IR_MARK_RESTORE] = "--restore-mark",
		};
		uint8_t op = t->u.mark.op <= IR_MARK_RESTORE ? t->u.mark.op : IR_MARK_SET;
		tok(a, ops[op]);
		if (op == IR_MARK_SET) {
			fmt_mark(buf, sizeof(buf), t->u.mark.value, t->u.mark.mask);
			tok(a, buf);
		} else if (op == IR_MARK_SAVE || op == IR_MARK_RESTORE) {
			if (t->u.mark.mask != 0xffffffffu) {
				tok(a, "--mask");
				tokf(a, "0x%x", t->u.mark.mask);
			}
		} else {
			tokf(a, "0x%x", t->u.mark.value);
		}
		break;
	}
	case IRT_NOTRACK:
		tok(a, "--notrack");
		break;
	default:
		break;
	}
}

/* ---- the rule ------------------------------------------------------------------------------------- */

int ir_argv_render(struct ir_argv *a, const struct ir_rule *r)
{
	a->n = a->len = a->nseg = 0;
	struct ir_canon it;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); )
		match_render[m->kind](a, m, r);
	if (r->comment) {
		module(a, "comment");
		tok(a, "--comment");
		tok(a, r->comment);
	}
	r_target(a, &r->target);
	/* The buffer has stopped moving: turn offsets into pointers. */
	if (!a->v)
		a->v = xrealloc(NULL, sizeof(*a->v));
	for (size_t i = 0; i < a->n; i++)
		a->v[i] = a->buf + a->off[i];
	a->v[a->n] = NULL;
	return 0;
}
