/* ir_argv.c — one IR rule as iptables arguments or as restore text: the single place that knows the syntax of a rule. */
#include "ir.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the sink: where a rule's tokens go -------------------------------------------------------------
 * Every match and target is worded once, by the render functions below, into a sink of one of two forms:
 *   argv (a set)   NUL-ended tokens in one buffer, their offsets and segments: ir_argv_render, for
 *                  libiptc, explain and the tests;
 *   text (a NULL)  " TOKEN" per token, quoted as iptables-restore reads it, appended to the caller's
 *                  buffer: ir_text_render, which the restore emitter writes out as it is.
 * The text form skips what only the argv form needs (offsets, segments, the implicit module's name)
 * and decides quoting by the kind of token: only strings from the configuration (names, comments,
 * log prefixes) are scanned; keywords, numbers and addresses never need quotes. Rendering an argv
 * and joining it, as the emitter did, was two thirds of the emitter's instructions. */
struct sink {
	char *buf;
	size_t len, cap;
	size_t start;               /* where the open token's bytes begin */
	size_t ntok;
	struct ir_argv *a;          /* the argv form; NULL for text */
};

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

static void buf_grow(char **buf, size_t *cap, size_t need)
{
	*cap = need * 2 + 256;
	*buf = xrealloc(*buf, *cap);
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

void ir_text_reserve(struct ir_text *t, size_t n)
{
	if (t->len + n > t->cap)
		buf_grow(&t->buf, &t->cap, t->len + n);
}

void ir_text_fini(struct ir_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

/* Room for n more bytes and a token's offset (kept out of line: the buffers stop growing after a
 * few rules). */
static __attribute__((noinline)) void sink_grow(struct sink *s, size_t n)
{
	if (s->len + n > s->cap)
		buf_grow(&s->buf, &s->cap, s->len + n);
	struct ir_argv *a = s->a;
	if (a && a->n == a->vcap) {
		/* v grows with off (one more for the NULL end), so render never reallocates it */
		a->vcap = a->vcap ? a->vcap * 2 : 32;
		a->off = xrealloc(a->off, a->vcap * sizeof(*a->off));
		a->v = xrealloc(a->v, (a->vcap + 1) * sizeof(*a->v));
	}
}

/* Open a token of at most n bytes; returns where its bytes go. The 3 extra bytes are the text
 * form's blank and the quotes of an empty token, or the argv form's NUL. */
static inline __attribute__((always_inline)) char *tok_open(struct sink *s, size_t n)
{
	if (s->len + n + 3 > s->cap || (s->a && s->a->n == s->a->vcap))
		sink_grow(s, n + 3);
	if (!s->a)
		s->buf[s->len++] = ' ';
	s->start = s->len;
	return s->buf + s->len;
}

/* Close the open token at e; `counted` tokens are options of the current segment (not "-m NAME",
 * "-j NAME"). */
static inline __attribute__((always_inline)) void tok_close(struct sink *s, char *e, bool counted)
{
	struct ir_argv *a = s->a;
	size_t start = s->start, len = (size_t)(e - s->buf);
	s->ntok++;
	if (a) {
		*e = '\0';
		a->off[a->n++] = start;
		if (counted && a->nseg)
			a->seg[a->nseg - 1].count++;
		len++;
	} else if (len == start) {
		/* an empty token still holds its place on the line */
		memcpy(e, "\"\"", 2);
		len += 2;
	}
	s->len = len;
}

/* A token that never needs quotes. Inlined, so that a literal's length is known when compiling
 * (most tokens are "-s", "--dport", "ACCEPT"…); the sink's fields are read once into locals,
 * as every byte stored could alias them. */
static inline __attribute__((always_inline)) void put(struct sink *s, bool counted, const char *p, size_t n)
{
	struct ir_argv *a = s->a;
	size_t len = s->len;
	if (len + n + 3 > s->cap || (a && a->n == a->vcap))
		sink_grow(s, n + 3);
	char *d = s->buf + len;
	s->ntok++;
	if (!a) {
		d[0] = ' ';
		if (n) {
			memcpy(d + 1, p, n);
		} else {
			memcpy(d + 1, "\"\"", 2);      /* an empty token still holds its place */
			n = 2;
		}
		s->len = len + 1 + n;
		return;
	}
	memcpy(d, p, n);
	d[n] = '\0';
	a->off[a->n++] = len;
	s->len = len + n + 1;
	if (counted && a->nseg)
		a->seg[a->nseg - 1].count++;
}

/* The text form only: ntok tokens already written out as " TOKEN …" (none needing quotes). */
static inline __attribute__((always_inline)) void text_run(struct sink *s, const char *p, size_t n, size_t ntok)
{
	if (s->len + n > s->cap)
		sink_grow(s, n);
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->ntok += ntok;
}

static inline __attribute__((always_inline)) void tok(struct sink *s, const char *p)
{
	put(s, true, p, strlen(p));
}

/* The bytes that end a plain token's scan: its end, and what needs quoting. */
static const bool token_stop[256] = { ['\0'] = true, [' '] = true, ['\t'] = true, ['"'] = true };

/* A string from the configuration (an interface, set, chain or list name, a comment, a log
 * prefix). In the text form it is bare when it can be, else in double quotes with " and \
 * escaped: the restore tokenizer splits at blanks outside double quotes and honours \ only inside
 * them (emit_restore_token quotes with this too, through ir_text_str). */
static void str_tok(struct sink *s, bool counted, const char *p)
{
	/* a table-driven scan rather than strcspn: most names are a few bytes, and the call cost
	 * more than the scan */
	const char *e = p;
	while (!token_stop[(unsigned char)*e])
		e++;
	size_t n = (size_t)(e - p);
	if (!*e && (n || s->a)) {
		put(s, counted, p, n);
		return;
	}
	n += strlen(e);
	if (s->a) {
		put(s, counted, p, n);
		return;
	}
	char *d = tok_open(s, 2 * n + 2);
	*d++ = '"';
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			*d++ = '\\';
		*d++ = *p;
	}
	*d++ = '"';
	tok_close(s, d, counted);
}

static void str(struct sink *s, const char *p)
{
	str_tok(s, true, p);
}

/* Rare formats (ICMP codes, times, MAC addresses); the common ones are written by hand below. */
static void tokf(struct sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tokf(struct sink *s, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tok(s, buf);
}

static void inv(struct sink *s, bool invert)
{
	if (invert)
		put(s, true, "!", 1);
}

/* ---- segments (the argv form only) ------------------------------------------------------------------ */

static void seg_open(struct ir_argv *a, enum ir_seg_type type, const char *module, bool implicit)
{
	if (a->nseg == a->segcap) {
		a->segcap = a->segcap ? a->segcap * 2 : 16;
		a->seg = xrealloc(a->seg, a->segcap * sizeof(*a->seg));
	}
	a->seg[a->nseg++] = (struct ir_argv_seg){ type, module, implicit, a->n, 0 };
}

/* "-m NAME", then a segment for its options. Inlined: NAME is a literal. */
static inline __attribute__((always_inline)) void module(struct sink *s, const char *name)
{
	put(s, false, "-m", 2);
	put(s, false, name, strlen(name));
	if (s->a)
		seg_open(s->a, IR_SEG_MATCH, name, false);
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

static void header(struct sink *s)
{
	if (s->a)
		seg_join(s->a, IR_SEG_HEADER, NULL, false);
}

/* ---- numbers and addresses, written into the token (snprintf per number was a tenth of a compile) -- */

/* "0x" and lower-case hex digits, as printf's "0x%x" writes them. */
static char *put_hex(char *p, uint32_t v)
{
	char d[8];
	int n = 0;
	do
		d[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) != 0);
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = d[--n];
	return p;
}

static void num(struct sink *s, unsigned v)
{
	char *d = tok_open(s, 10);
	tok_close(s, addr_put_dec(d, v), true);
}

/* "lo:hi", or "lo" when they are equal. */
static void range(struct sink *s, unsigned lo, unsigned hi)
{
	char *d = tok_open(s, 21);
	d = addr_put_dec(d, lo);
	if (hi != lo) {
		*d++ = ':';
		d = addr_put_dec(d, hi);
	}
	tok_close(s, d, true);
}

/* A.B.C.D, or A.B.C.D/LEN for anything but a host. */
static void net(struct sink *s, const struct net4 *n)
{
	char *d = tok_open(s, 19);
	d = addr_put_ip4(d, n->addr);
	if (n->len != 32) {
		*d++ = '/';
		d = addr_put_dec(d, n->len);
	}
	tok_close(s, d, true);
}

/* "0xV", or "0xV/0xM" for a partial mask. */
static void mark(struct sink *s, uint32_t value, uint32_t mask)
{
	char *d = tok_open(s, 21);
	d = put_hex(d, value);
	if (mask != 0xffffffffu) {
		*d++ = '/';
		d = put_hex(d, mask);
	}
	tok_close(s, d, true);
}

/* Comma list of the names of the set bits, in bit order; `none` when no bit is set. Every list
 * here fits in BITNAMES_MAX bytes (the longest, all twelve address types, is 98). */
enum { BITNAMES_MAX = 160 };
static void bitnames(struct sink *s, unsigned bits, const char *const *names, size_t n, const char *none)
{
	/* one bit, the usual case (--dst-type BROADCAST, --ctstate INVALID): its name, no scan */
	if (bits && !(bits & (bits - 1))) {
		unsigned i = (unsigned)__builtin_ctz(bits);
		if (i < n && names[i]) {
			put(s, true, names[i], strlen(names[i]));
			return;
		}
	}
	char *d = tok_open(s, BITNAMES_MAX), *b = d;
	for (size_t i = 0; i < n; i++)
		if (bits & (1u << i) && names[i]) {
			size_t l = strlen(names[i]);
			if (d != b)
				*d++ = ',';
			memcpy(d, names[i], l);
			d += l;
		}
	if (d == b) {
		size_t l = strlen(none);
		memcpy(d, none, l);
		d += l;
	}
	tok_close(s, d, true);
}

/* "lo[:hi],…" */
static void ports(struct sink *s, const struct ir_ports *p)
{
	unsigned n = p->n < IR_MULTIPORT_SLOTS ? p->n : IR_MULTIPORT_SLOTS;
	char *d = tok_open(s, 12 * n);
	for (unsigned i = 0; i < n; i++) {
		const struct ir_portrange *r = &p->r[i];
		if (i)
			*d++ = ',';
		d = addr_put_dec(d, r->lo);
		if (r->lo != r->hi) {
			*d++ = ':';
			d = addr_put_dec(d, r->hi);
		}
	}
	tok_close(s, d, true);
}

/* "RATE/UNIT" (limit, hashlimit). */
static void rate(struct sink *s, unsigned value, uint8_t unit)
{
	static const char *const names[] = {
		[IR_PER_SEC] = "sec", [IR_PER_MIN] = "min", [IR_PER_HOUR] = "hour", [IR_PER_DAY] = "day",
	};
	const char *u = unit < sizeof(names) / sizeof(names[0]) ? names[unit] : "sec";
	size_t n = strlen(u);
	char *d = tok_open(s, 11 + n);
	d = addr_put_dec(d, value);
	*d++ = '/';
	memcpy(d, u, n);
	tok_close(s, d + n, true);
}

/* ---- matches ------------------------------------------------------------------------------------- */

typedef void render_fn(struct sink *s, const struct ir_match *m, const struct ir_rule *r);

static void r_iface(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	header(s);
	inv(s, m->invert);
	tok(s, m->kind == IRM_IN ? "-i" : "-o");
	str(s, m->u.iface.name);
}

static void r_addr(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	const struct ir_addr *ad = &m->u.addr;
	bool src = m->kind == IRM_SRC;
	switch (ad->kind) {
	case IR_ADDR_NET:
		header(s);
		inv(s, m->invert);
		tok(s, src ? "-s" : "-d");
		net(s, &ad->net);
		break;
	case IR_ADDR_RANGE: {
		module(s, "iprange");
		inv(s, m->invert);
		tok(s, src ? "--src-range" : "--dst-range");
		char *d = tok_open(s, 31);
		d = addr_put_ip4(d, ad->lo);
		*d++ = '-';
		tok_close(s, addr_put_ip4(d, ad->hi), true);
		break;
	}
	case IR_ADDR_SET: {
		static const char *const dirs[] = { "src", "dst" };
		module(s, "set");
		inv(s, m->invert);
		tok(s, "--match-set");
		str(s, ad->set);
		char *d = tok_open(s, 4 * IR_SET_MAX_DIM), *b = d;
		for (unsigned i = 0; i < ad->dims && i < IR_SET_MAX_DIM; i++) {
			if (d != b)
				*d++ = ',';
			memcpy(d, dirs[(ad->dst_mask >> i) & 1], 3);
			d += 3;
		}
		tok_close(s, d, true);
		break;
	}
	}
}

static void r_proto(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	uint8_t p = m->u.proto.num;
	header(s);
	inv(s, m->invert);
	tok(s, "-p");
	if (ir_proto_has_module(p))
		tok(s, ir_proto_name(p));
	else
		num(s, p);
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

/* The protocol's own options join its implicit segment (argv form). */
static void implicit(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	if (s->a)
		seg_join(s->a, IR_SEG_MATCH, implicit_module(m, r), true);
}

static void r_ports(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	bool src = m->kind == IRM_SPORT;
	if (ir_match_implicit(m)) {
		implicit(s, m, r);
		inv(s, m->invert);
		tok(s, src ? "--sport" : "--dport");
	} else {
		module(s, "multiport");
		inv(s, m->invert);
		tok(s, src ? "--sports" : "--dports");
	}
	ports(s, &m->u.ports);
}

static const char *const tcp_flag_names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };

static void r_tcp_flags(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	implicit(s, m, r);
	inv(s, m->invert);
	if (m->u.tcp.mask == (IR_TCP_FIN | IR_TCP_SYN | IR_TCP_RST | IR_TCP_ACK) && m->u.tcp.comp == IR_TCP_SYN) {
		tok(s, "--syn");
		return;
	}
	tok(s, "--tcp-flags");
	bitnames(s, m->u.tcp.mask, tcp_flag_names, 8, "NONE");
	bitnames(s, m->u.tcp.comp, tcp_flag_names, 8, "NONE");
}

static void r_icmp(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	implicit(s, m, r);
	inv(s, m->invert);
	tok(s, "--icmp-type");
	if (m->u.icmp.type == 255)
		tok(s, "any");
	else if (m->u.icmp.code < 0)
		num(s, m->u.icmp.type);
	else
		tokf(s, "%u/%d", m->u.icmp.type, m->u.icmp.code);
}

static void r_ctstate(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	/* bit order = print order: NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED (Shorewall's spellings
	 * "NEW,INVALID,UNTRACKED" and "ESTABLISHED,RELATED" come out as written) */
	static const char *const names[] = { "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", "SNAT", "DNAT" };
	module(s, "conntrack");
	inv(s, m->invert);
	tok(s, "--ctstate");
	bitnames(s, m->u.ct.states, names, 7, "INVALID");
}

static void r_policy(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const protos[256] = { [50] = "esp", [51] = "ah", [108] = "ipcomp" };
	/* The text form's head in one piece: two of these on nearly every rule of a zone matrix
	 * with IPsec zones, and six tokens put one by one were a fifth of the emitter. */
	static const struct { const char *text; size_t len; } heads[2][2] = {
#define POLICY_HEAD(d, p) { " -m policy --dir " d " --pol " p, sizeof(" -m policy --dir " d " --pol " p) - 1 }
		[IR_DIR_IN] = { [IR_POL_NONE] = POLICY_HEAD("in", "none"), [IR_POL_IPSEC] = POLICY_HEAD("in", "ipsec") },
		[IR_DIR_OUT] = { [IR_POL_NONE] = POLICY_HEAD("out", "none"), [IR_POL_IPSEC] = POLICY_HEAD("out", "ipsec") },
#undef POLICY_HEAD
	};
	const struct ir_policy *p = &m->u.policy;
	if (!s->a) {
		unsigned dir = p->dir == IR_DIR_OUT, pol = p->pol == IR_POL_IPSEC;
		text_run(s, heads[dir][pol].text, heads[dir][pol].len, 6);
	} else {
		module(s, "policy");
		tok(s, "--dir");
		tok(s, p->dir == IR_DIR_OUT ? "out" : "in");
		tok(s, "--pol");
		tok(s, p->pol == IR_POL_IPSEC ? "ipsec" : "none");
	}
	if (p->strict)
		tok(s, "--strict");
	for (unsigned i = 0; i < p->nelem && i < IR_POLICY_MAX_ELEM; i++) {
		const struct ir_pol_elem *e = &p->elem[i];
		if (i)
			tok(s, "--next");
		if (e->has & IR_PE_MODE) {
			inv(s, e->inv & IR_PE_MODE);
			tok(s, "--mode");
			tok(s, e->mode == IR_MODE_TUNNEL ? "tunnel" : "transport");
		}
		if (e->has & IR_PE_REQID) {
			inv(s, e->inv & IR_PE_REQID);
			tok(s, "--reqid");
			num(s, e->reqid);
		}
		if (e->has & IR_PE_SPI) {
			inv(s, e->inv & IR_PE_SPI);
			tok(s, "--spi");
			num(s, e->spi);
		}
		if (e->has & IR_PE_PROTO) {
			inv(s, e->inv & IR_PE_PROTO);
			tok(s, "--proto");
			if (protos[e->proto])
				tok(s, protos[e->proto]);
			else
				num(s, e->proto);
		}
		if (e->has & IR_PE_TUNNEL_SRC) {
			inv(s, e->inv & IR_PE_TUNNEL_SRC);
			tok(s, "--tunnel-src");
			net(s, &e->tunnel_src);
		}
		if (e->has & IR_PE_TUNNEL_DST) {
			inv(s, e->inv & IR_PE_TUNNEL_DST);
			tok(s, "--tunnel-dst");
			net(s, &e->tunnel_dst);
		}
	}
}

static void r_limit(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "limit");
	tok(s, "--limit");
	rate(s, m->u.limit.rate, m->u.limit.unit);
	if (m->u.limit.burst) {
		tok(s, "--limit-burst");
		num(s, m->u.limit.burst);
	}
}

static void r_hashlimit(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const modes[] = { "srcip", "srcport", "dstip", "dstport" };
	const struct ir_hashlimit *h = &m->u.hashlimit;
	module(s, "hashlimit");
	tok(s, h->above ? "--hashlimit-above" : "--hashlimit-upto");
	rate(s, h->rate, h->unit);
	if (h->burst) {
		tok(s, "--hashlimit-burst");
		num(s, h->burst);
	}
	if (h->name) {
		tok(s, "--hashlimit-name");
		str(s, h->name);
	}
	if (h->mode) {
		tok(s, "--hashlimit-mode");
		bitnames(s, h->mode, modes, 4, "");
	}
}

static void r_addrtype(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const names[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE",
		"UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	};
	module(s, "addrtype");
	inv(s, m->invert);
	tok(s, m->u.addrtype.side == IR_DST ? "--dst-type" : "--src-type");
	bitnames(s, m->u.addrtype.types, names, 12, "UNSPEC");
}

static void r_tcpmss(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	const struct ir_range16 *t = &m->u.tcpmss;
	module(s, "tcpmss");
	inv(s, m->invert);
	tok(s, "--mss");
	if (t->lo != t->hi && t->hi == 65535)
		tokf(s, "%u:", t->lo);         /* Shorewall's spelling of "at least" */
	else
		range(s, t->lo, t->hi);
}

static void r_mark(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, m->kind == IRM_CONNMARK ? "connmark" : "mark");
	inv(s, m->invert);
	tok(s, "--mark");
	mark(s, m->u.mark.value, m->u.mark.mask);
}

static void r_owner(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "owner");
	if (m->u.owner.has & IR_OWNER_UID) {
		inv(s, m->invert);
		tok(s, "--uid-owner");
		num(s, m->u.owner.uid);
	}
	if (m->u.owner.has & IR_OWNER_GID) {
		inv(s, m->invert);
		tok(s, "--gid-owner");
		num(s, m->u.owner.gid);
	}
}

static void r_connlimit(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "connlimit");
	tok(s, m->invert ? "--connlimit-upto" : "--connlimit-above");       /* "!" is upto */
	num(s, m->u.connlimit.above);
	if (m->u.connlimit.masklen != 32) {
		tok(s, "--connlimit-mask");
		num(s, m->u.connlimit.masklen);
	}
	if (m->u.connlimit.daddr)
		tok(s, "--connlimit-daddr");
}

static void tok_daytime(struct sink *s, const char *opt, int32_t t)
{
	tok(s, opt);
	tokf(s, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
}

static void tok_date(struct sink *s, const char *opt, int64_t when)
{
	struct tm tm;
	time_t t = (time_t)when;
	char buf[32];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	tok(s, opt);
	tok(s, buf);
}

static void r_time(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	const struct ir_time *t = &m->u.time;
	module(s, "time");
	if (t->start >= 0)
		tok_daytime(s, "--timestart", t->start);
	if (t->stop >= 0)
		tok_daytime(s, "--timestop", t->stop);
	if (t->monthdays) {
		tok(s, "--monthdays");
		char *d = tok_open(s, 31 * 3), *b = d;
		for (unsigned day = 1; day <= 31; day++)
			if (t->monthdays & (1u << day)) {
				if (d != b)
					*d++ = ',';
				d = addr_put_dec(d, day);
			}
		tok_close(s, d, true);
	}
	if (t->weekdays) {
		tok(s, "--weekdays");
		bitnames(s, t->weekdays, days, 7, "");
	}
	if (t->datestart)
		tok_date(s, "--datestart", t->datestart);
	if (t->datestop)
		tok_date(s, "--datestop", t->datestop);
	if (t->kerneltz)
		tok(s, "--kerneltz");
}

static void r_helper(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "helper");
	inv(s, m->invert);
	tok(s, "--helper");
	str(s, m->u.helper.name);
}

static void r_recent(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	static const char *const ops[] = {
		[IR_RECENT_SET] = "--set", [IR_RECENT_RCHECK] = "--rcheck",
		[IR_RECENT_UPDATE] = "--update", [IR_RECENT_REMOVE] = "--remove",
	};
	const struct ir_recent *rc = &m->u.recent;
	module(s, "recent");
	inv(s, m->invert);
	tok(s, ops[rc->op <= IR_RECENT_REMOVE ? rc->op : IR_RECENT_RCHECK]);
	if (rc->seconds) {
		tok(s, "--seconds");
		num(s, rc->seconds);
	}
	if (rc->hitcount) {
		tok(s, "--hitcount");
		num(s, rc->hitcount);
	}
	if (rc->name) {
		tok(s, "--name");
		str(s, rc->name);
	}
	if (rc->rdest)
		tok(s, "--rdest");
}

/* One -m conntrack per test, as Shorewall writes them: the two may come from different columns. */
static void r_ctorigdst(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "conntrack");
	inv(s, m->invert);
	tok(s, "--ctorigdst");
	net(s, &m->u.ctorigdst);
}

static void r_ctorigdstport(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	module(s, "conntrack");
	inv(s, m->invert);
	tok(s, "--ctorigdstport");
	range(s, m->u.ctorigdstport.lo, m->u.ctorigdstport.hi);
}

static void r_mac(struct sink *s, const struct ir_match *m, const struct ir_rule *r)
{
	const uint8_t *b = m->u.mac.b;
	module(s, "mac");
	inv(s, m->invert);
	tok(s, "--mac-source");
	tokf(s, "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5]);
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

/* "-j NAME" / "-g CHAIN", then a segment for the target's options. */
static void target_head(struct sink *s, const char *opt, const char *name, bool chain)
{
	put(s, false, opt, 2);
	if (chain)
		str_tok(s, false, name);
	else
		put(s, false, name, strlen(name));
	if (s->a)
		seg_open(s->a, IR_SEG_TARGET, name, false);
}

/* Where a NAT target maps to: "A[-B][:P[-Q]]", or "P[-Q]" for the ports-only targets. */
static void nat_to(struct sink *s, const struct ir_nat_range *to, bool ports_only)
{
	char *d = tok_open(s, 44);
	bool addr = !ports_only && to->lo;
	if (addr) {
		d = addr_put_ip4(d, to->lo);
		if (to->hi != to->lo) {
			*d++ = '-';
			d = addr_put_ip4(d, to->hi);
		}
	}
	if (to->plo) {
		if (!ports_only)
			*d++ = ':';
		d = addr_put_dec(d, to->plo);
		if (to->phi != to->plo) {
			*d++ = '-';
			d = addr_put_dec(d, to->phi);
		}
	}
	tok_close(s, d, true);
}

static void r_target(struct sink *s, const struct ir_target *t)
{
	switch (t->kind) {
	case IRT_NONE:
		return;
	case IRT_JUMP:
	case IRT_GOTO:
		target_head(s, t->kind == IRT_GOTO ? "-g" : "-j", t->u.chain ? t->u.chain->name : "?", true);
		return;
	default:
		target_head(s, "-j", ir_target_desc(t->kind)->name, false);
		break;
	}
	switch (t->kind) {
	case IRT_REJECT:
		if (t->u.reject.with != IR_REJECT_PORT_UNREACH && ir_reject_name(t->u.reject.with)) {
			tok(s, "--reject-with");
			tok(s, ir_reject_name(t->u.reject.with));
		}
		break;
	case IRT_LOG: {
		static const char *const flags[] = {
			"--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid", "--log-macdecode",
		};
		tok(s, "--log-level");
		num(s, t->u.log.level);
		if (t->u.log.prefix) {
			tok(s, "--log-prefix");
			str(s, t->u.log.prefix);
		}
		for (unsigned i = 0; i < 5; i++)
			if (t->u.log.flags & (1u << i))
				tok(s, flags[i]);
		break;
	}
	case IRT_NFLOG:
		tok(s, "--nflog-group");
		num(s, t->u.nflog.group);
		if (t->u.nflog.prefix) {
			tok(s, "--nflog-prefix");
			str(s, t->u.nflog.prefix);
		}
		if (t->u.nflog.threshold) {
			tok(s, "--nflog-threshold");
			num(s, t->u.nflog.threshold);
		}
		break;
	case IRT_MASQUERADE:
	case IRT_REDIRECT:
	case IRT_SNAT:
	case IRT_DNAT: {
		bool ports_only = t->kind == IRT_MASQUERADE || t->kind == IRT_REDIRECT;
		const struct ir_nat_range *to = &t->u.nat.to;
		if ((!ports_only && to->lo) || to->plo) {
			tok(s, ports_only ? "--to-ports" : t->kind == IRT_SNAT ? "--to-source" : "--to-destination");
			nat_to(s, to, ports_only);
		}
		if (t->u.nat.random)
			tok(s, "--random");
		if (t->u.nat.persistent)
			tok(s, "--persistent");
		break;
	}
	case IRT_TCPMSS:
		if (t->u.tcpmss.mss) {
			tok(s, "--set-mss");
			num(s, t->u.tcpmss.mss);
		} else {
			tok(s, "--clamp-mss-to-pmtu");
		}
		break;
	case IRT_NFQUEUE:
		if (t->u.queue.num_hi > t->u.queue.num) {
			tok(s, "--queue-balance");
			range(s, t->u.queue.num, t->u.queue.num_hi);
		} else {
			tok(s, "--queue-num");
			num(s, t->u.queue.num);
		}
		if (t->u.queue.bypass)
			tok(s, "--queue-bypass");
		break;
	case IRT_MARK:
	case IRT_CONNMARK: {
		static const char *const ops[] = {
			[IR_MARK_SET] = "--set-mark", [IR_MARK_AND] = "--and-mark", [IR_MARK_OR] = "--or-mark",
			[IR_MARK_XOR] = "--xor-mark", [IR_MARK_SAVE] = "--save-mark", [IR_MARK_RESTORE] = "--restore-mark",
		};
		uint8_t op = t->u.mark.op <= IR_MARK_RESTORE ? t->u.mark.op : IR_MARK_SET;
		tok(s, ops[op]);
		if (op == IR_MARK_SET) {
			mark(s, t->u.mark.value, t->u.mark.mask);
		} else if (op == IR_MARK_SAVE || op == IR_MARK_RESTORE) {
			if (t->u.mark.mask != 0xffffffffu) {
				tok(s, "--mask");
				mark(s, t->u.mark.mask, 0xffffffffu);
			}
		} else {
			mark(s, t->u.mark.value, 0xffffffffu);
		}
		break;
	}
	case IRT_NOTRACK:
		tok(s, "--notrack");
		break;
	default:
		break;
	}
}

/* ---- the rule ------------------------------------------------------------------------------------- */

static void render(struct sink *s, const struct ir_rule *r)
{
	struct ir_canon it;
	ir_canon_begin(&it, r);
	for (const struct ir_match *m; (m = ir_canon_next(&it)); )
		match_render[m->kind](s, m, r);
	if (r->comment) {
		module(s, "comment");
		tok(s, "--comment");
		str(s, r->comment);
	}
	r_target(s, &r->target);
}

int ir_argv_render(struct ir_argv *a, const struct ir_rule *r)
{
	struct sink s = { .buf = a->buf, .cap = a->cap, .a = a };
	a->n = a->nseg = 0;
	render(&s, r);
	a->buf = s.buf;
	a->len = s.len;
	a->cap = s.cap;
	/* The buffer has stopped moving: turn offsets into pointers. */
	if (!a->v)
		a->v = xrealloc(NULL, sizeof(*a->v));
	for (size_t i = 0; i < a->n; i++)
		a->v[i] = a->buf + a->off[i];
	a->v[a->n] = NULL;
	return 0;
}

void ir_text_str(struct ir_text *t, const char *text)
{
	struct sink s = { .buf = t->buf, .len = t->len, .cap = t->cap };
	str(&s, text);
	t->buf = s.buf;
	t->len = s.len;
	t->cap = s.cap;
}

size_t ir_text_render(struct ir_text *t, const struct ir_rule *r)
{
	struct sink s = { .buf = t->buf, .len = t->len, .cap = t->cap };
	render(&s, r);
	t->buf = s.buf;
	t->len = s.len;
	t->cap = s.cap;
	return s.ntok;
}
