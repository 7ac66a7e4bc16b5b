/* rules_build.c — the rules file's filter rules, sections, actions and macros, in the chain of each zone pair they name.
 *
 * The rules parser has checked every column; here SOURCE and DEST are expanded to zone pairs once
 * (the index, made on the first pair's call, so 50,000 rules × 256 pairs stays linear), and each
 * pair's rules become IR rules in file order: one per address × address × protocol × port chunk.
 * Built: ACCEPT DROP REJECT[(with)] CONTINUE QUEUE NFQUEUE LOG NFLOG, `:level` logging (a ~log
 * chain), address exclusions (a ~excl chain), MAC sources, inverted PROTO, RATE (limit/hashlimit),
 * USER (owner), MARK, CONNLIMIT, TIME and HELPER; the standard actions (actions.c); macros
 * (docs/macros.md), nested, expanded line by line into the same rules; ?SECTION placement around
 * the pair chain's conntrack states (docs/rules.md). The nat half of the language is rules_nat.c's
 * (its filter rules come back through this file's index). What is left (MARK and other
 * mangle actions, user action files, ORIGINAL DEST outside rules_nat.c…) is reported as not
 * supported yet rather than compiled into something wider or narrower. */
#include "build.h"
#include "rules_int.h"

#include "actions.h"

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "keyword.h"
#include "macro_names.h"
#include "macros.h"
#include "netcheck.h"
#include "rules.h"
#include "settings.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Where what is dead once a line is indexed goes: the index's scratch arena while the index is
 * being made, else (stoppedrules, snat) the compile's own. */
static struct arena *scratch(const struct builder *b)
{
	return b->rules_index && b->rules_index->tmp ? b->rules_index->tmp : b->c->arena;
}

/* Where what a line is read into goes: the arena of its source zone while a line naming one
 * pair is read, else the compile's. */
static struct arena *prep_arena(const struct builder *b)
{
	return b->rules_index && b->rules_index->home ? b->rules_index->home : b->c->arena;
}

static struct arena *src_arena(struct builder *b, struct rules_index *ix, size_t si)
{
	if (!ix->by_src[si])
		ix->by_src[si] = arena_new_child(b->c->arena);
	return ix->by_src[si];
}

/* A comma list read in place: a flat list (no parentheses, what ports and addresses are)
 * element by element without the copies netcheck_split makes, which were a tenth of reading a
 * line; any other list through netcheck_split, as the parser read it. */
struct list_walk {
	const char **el;            /* netcheck_split's elements, or NULL: in place from next */
	const char *next;
};

static size_t list_begin(struct builder *b, const char *text, struct list_walk *w)
{
	if (strchr(text, '('))
		return netcheck_split(scratch(b), text, &w->el);
	w->el = NULL;
	w->next = text;
	size_t n = 1;
	for (const char *p = strchr(text, ','); p; p = strchr(p + 1, ','))
		n++;
	return n;
}

/* The next element: len bytes, NUL-terminated only when it is the last. */
static const char *list_next(struct list_walk *w, size_t *len)
{
	if (w->el) {
		const char *e = *w->el++;
		*len = strlen(e);
		return e;
	}
	const char *e = w->next, *comma = strchr(e, ',');
	*len = comma ? (size_t)(comma - e) : strlen(e);
	w->next = comma ? comma + 1 : e + *len;
	return e;
}

/* An element as a string: itself when it ends the list, else a copy in buf (size bytes) or,
 * longer, in the scratch arena. */
static const char *list_str(struct builder *b, const char *e, size_t len, char *buf, size_t size)
{
	if (!e[len])
		return e;
	if (len >= size)
		return arena_strndup(scratch(b), e, len);
	memcpy(buf, e, len);
	buf[len] = '\0';
	return buf;
}

/* The verdicts this compiler builds so far (value = target kind). */
static const struct keyword rule_actions[] = {  /* must stay sorted */
	{ "ACCEPT", IRT_ACCEPT, 0 },
	{ "ACCEPT!", IRT_ACCEPT, 0 },
	{ "CONTINUE", IRT_RETURN, 0 },
	{ "CONTINUE!", IRT_RETURN, 0 },
	{ "DROP", IRT_DROP, 0 },
	{ "DROP!", IRT_DROP, 0 },
	{ "LOG", IRT_NONE, 0 },         /* the parser made sure it has a level */
	{ "NFLOG", IRT_NONE, 0 },       /* NFLOG(…) is its own level */
	{ "NFQUEUE", IRT_NFQUEUE, 0 },
	{ "NFQUEUE!", IRT_NFQUEUE, 0 },
	{ "QUEUE", IRT_NFQUEUE, 0 },
	{ "QUEUE!", IRT_NFQUEUE, 0 },
	{ "REJECT", IRT_REJECT, 0 },
	{ "REJECT!", IRT_REJECT, 0 },
};

const struct keyword *rules_build_action_table(size_t *n)
{
	*n = KW_COUNT(rule_actions);
	return rule_actions;
}

/* What the parser kept of ru (rule_typed.h), while the index is made (it frees the records
 * then); NULL: read the text. */
static const struct rule_typed *typed_of(const struct builder *b, const struct rule *ru)
{
	return b->rules_index && b->rules_index->tmp ? ru->typed : NULL;
}

/* ru's ACTION in rule_actions (NULL: none of them): by the position of its target, which the
 * parser found, while the index is made; by name otherwise. */
static const struct keyword *rule_verdict(const struct builder *b, const struct rule *ru)
{
	const struct rule_typed *ty = typed_of(b, ru);
	if (ty && ty->target)
		return b->rules_index->verdicts[ty->target - 1];
	return ru->action ? KW_FIND(rule_actions, ru->action) : NULL;
}

/* The parser's arenas of a rules file's typed lines (on its first such line): each zone's
 * becomes the zone's own (one arena, no second set of part-used pages per zone) or, when a
 * wildcard line made one first, goes with it. */
static void adopt_typed(struct rules_index *ix, const struct rule_typed_file *f)
{
	ix->typed_file = f;
	for (size_t si = 0; si < f->nzones; si++) {
		if (!f->homes[si])
			continue;
		if (!ix->by_src[si])
			ix->by_src[si] = f->homes[si];
		else
			ix->typed_home[si] = f->homes[si];
	}
}

/* ---- ports ---------------------------------------------------------------------------------------- */

static bool one_port(const char *s, const char *pname, uint16_t *out, uint16_t dflt)
{
	unsigned v;
	if (!*s) {
		*out = dflt;
		return true;
	}
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return true;
	}
	if (!netcheck_port(s, pname, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

/* A port of 1–5 digits: its value, or -1 when one_port would refuse it ("0" alone is 0, as one_port
 * allows; "00" and over 65535 are refused). */
static long digits_port(const char *s, size_t len)
{
	if (!len || len > 5)
		return -1;
	long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (len == 1 && v == 0)
		return 0;
	return v >= 1 && v <= 65535 ? v : -1;
}

/* The usual element, `80` or `1024:65535` (or `1024-65535`) in digits, read without the copies
 * below; false (nothing written) for anything else, which the general path reads and reports. */
static bool plain_portpair(const char *el, size_t len, struct ir_portrange *p)
{
	size_t sep = 0;
	while (sep < len && el[sep] != ':' && el[sep] != '-')
		sep++;
	long lo = digits_port(el, sep);
	if (lo < 0)
		return false;
	if (sep == len) {
		if (!lo)
			return false;
		p->lo = p->hi = (uint16_t)lo;
		return true;
	}
	long hi = digits_port(el + sep + 1, len - sep - 1);
	if (hi < 0 || lo > hi)
		return false;
	p->lo = (uint16_t)lo;
	p->hi = (uint16_t)hi;
	return true;
}

bool build_ports(struct builder *b, const struct loc *loc, const char *text, unsigned proto,
		 struct ir_portrange **out, size_t *n, bool *invert)
{
	struct compile *c = b->c;
	const char *pname = netcheck_proto_name((int)proto);
	*invert = text[0] == '!';
	if (*invert)
		text++;
	*out = NULL;
	*n = 0;
	if (text[0] == '+') {
		diag_error(c->diag, loc, "A port set (%s) is not supported by this compiler yet", text);
		return false;
	}
	if (!ir_proto_has_ports((uint8_t)proto)) {
		diag_error(c->diag, loc, "SOURCE/DEST PORT(S) not allowed with PROTO %s", pname ? pname : "-");
		return false;
	}
	struct list_walk w;
	size_t k = list_begin(b, text, &w);
	struct ir_portrange *p = arena_alloc(prep_arena(b), (k ? k : 1) * sizeof(*p));
	for (size_t i = 0; i < k; i++) {
		size_t len;
		const char *e = list_next(&w, &len);
		if (plain_portpair(e, len, &p[i]))
			continue;
		const char *el = arena_strndup(scratch(b), e, len);
		char *pair = arena_strdup(scratch(b), el);
		if (strspn(pair, "0123456789-") == strlen(pair))
			for (char *q = pair; *q; q++)
				if (*q == '-')
					*q = ':';
		char *colon = strchr(pair, ':');
		bool ok;
		if (colon) {
			*colon = '\0';
			ok = one_port(pair, pname, &p[i].lo, 0) && one_port(colon + 1, pname, &p[i].hi, 65535) &&
			     p[i].lo <= p[i].hi;
		} else {
			ok = one_port(pair, pname, &p[i].lo, 0) && p[i].lo;
			p[i].hi = p[i].lo;
		}
		if (!ok) {
			diag_error(c->diag, loc, "Invalid/Unknown %s port/service (%s)", pname ? pname : "-", el);
			return false;
		}
	}
	*out = p;
	*n = k;
	return true;
}

/* ---- owner ---------------------------------------------------------------------------------------- */

static bool owner_id(const char *s, bool group, long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (end != s && !*end && v <= 0xffffffffUL) {
		*out = (long)v;
		return true;
	}
	if (group) {
		const struct group *gr = getgrnam(s);
		if (gr)
			*out = (long)gr->gr_gid;
		return gr != NULL;
	}
	const struct passwd *pw = getpwnam(s);
	if (pw)
		*out = (long)pw->pw_uid;
	return pw != NULL;
}

bool build_owner(struct builder *b, const struct loc *loc, const char *text, long *uid, long *gid,
		 bool *invert)
{
	*uid = *gid = -1;
	*invert = text[0] == '!';
	const char *s = text + *invert;
	if (s[0] == '+') {
		diag_error(b->c->diag, loc, "A program name (%s) in the USER column is not supported", s);
		return false;
	}
	const char *colon = strchr(s, ':');
	char *user = colon ? arena_strndup(scratch(b), s, (size_t)(colon - s)) : arena_strdup(scratch(b), s);
	if (*user && !owner_id(user, false, uid)) {
		diag_error(b->c->diag, loc, "Unknown user (%s)", user);
		return false;
	}
	if (colon && colon[1] && !owner_id(colon + 1, true, gid)) {
		diag_error(b->c->diag, loc, "Unknown group (%s)", colon + 1);
		return false;
	}
	if (*uid < 0 && *gid < 0) {
		diag_error(b->c->diag, loc, "Invalid USER/GROUP (%s)", text);
		return false;
	}
	return true;
}

/* ---- mark ------------------------------------------------------------------------------------------- */

bool build_mark(struct builder *b, const struct loc *loc, const char *text, struct build_mark *m)
{
	memset(m, 0, sizeof(*m));
	if (!text)
		return true;
	const char *s = text;
	m->given = true;
	m->invert = *s == '!';
	s += m->invert;
	char *end;
	unsigned long v = strtoul(s, &end, 0), mask = 0xffffffffUL;
	bool ok = end != s && v <= 0xffffffffUL;
	if (ok && *end == '/') {
		const char *ms = end + 1;
		mask = strtoul(ms, &end, 0);
		ok = end != ms && mask <= 0xffffffffUL;
	}
	if (ok && *end == ':') {
		m->conn = strcmp(end, ":C") == 0;
		ok = m->conn;
		end += strlen(end);
	}
	if (!ok || *end) {
		diag_error(b->c->diag, loc, "Invalid MARK (%s)", text);
		return false;
	}
	m->value = (unsigned)v;
	m->mask = (unsigned)mask;
	return true;
}

void build_mark_match(struct ir_rule *r, const struct build_mark *m)
{
	if (m->given && m->conn)
		ir_match_connmark(r, m->value, m->mask, m->invert);
	else if (m->given)
		ir_match_mark(r, m->value, m->mask, m->invert);
}

/* ---- the index: rules by zone pair ------------------------------------------------------------------- */

static const char *split_rest(struct arena *a, const char *s, const char **rest)
{
	const char *colon = strchr(s, ':');
	*rest = colon ? colon + 1 : NULL;
	return colon ? arena_strndup(a, s, (size_t)(colon - s)) : s;
}

void rules_zone_set(struct builder *b, const char *text, struct zone_set *z)
{
	struct arena *tmp = scratch(b);
	size_t nz = b->g->zones.n;
	memset(z, 0, sizeof(*z));
	z->one = -1;
	z->in = arena_alloc(tmp, nz ? nz : 1);          /* zeroed */
	/* the zone name before ':' is only looked at here: a stack copy when it fits */
	const char *colon = strchr(text, ':'), *head = text;
	char hbuf[64];
	z->rest = colon ? colon + 1 : NULL;
	if (colon && (size_t)(colon - text) < sizeof(hbuf)) {
		memcpy(hbuf, text, (size_t)(colon - text));
		hbuf[colon - text] = '\0';
		head = hbuf;
	} else if (colon) {
		head = arena_strndup(tmp, text, (size_t)(colon - text));
	}
	if (strncmp(head, "all", 3) == 0 || strncmp(head, "any", 3) == 0) {
		const char *p = head + 3;
		size_t nmod = strspn(p, "+-");
		bool nofw = memchr(p, '-', nmod) != NULL;
		z->wild = true;
		z->intra = memchr(p, '+', nmod) != NULL;
		for (size_t i = 0; i < nz; i++)
			z->in[i] = !(nofw && b->g->zones.v[i]->type == ZONE_FIREWALL);
		if (p[nmod] == '!') {
			const char **names;
			size_t n = netcheck_split(tmp, p + nmod + 1, &names);
			for (size_t i = 0; i < n; i++) {
				struct zone *x = graph_find_zone(b->g, names[i]);
				if (x)
					z->in[x->index] = false;
			}
		}
		return;
	}
	if (!strchr(head, ',')) {
		/* one zone (the usual SOURCE or DEST): what the list below finds for it */
		struct zone *x = graph_find_zone(b->g, head);
		if (x) {
			z->in[x->index] = true;
			z->one = x->index;
		}
		return;
	}
	char *list = arena_strdup(tmp, head);
	size_t len = strlen(list);
	if (strchr(list, ',')) {
		z->wild = true;
		if (len && list[len - 1] == '+') {
			z->intra = true;
			list[len - 1] = '\0';
		}
	}
	const char **names;
	size_t n = netcheck_split(tmp, list, &names);
	for (size_t i = 0; i < n; i++) {
		struct zone *x = graph_find_zone(b->g, names[i]);
		if (x)
			z->in[x->index] = true;
	}
}

/* ---- one rule ------------------------------------------------------------------------------------------ */

/* Once per line, however many pairs the line expands to. */
void rules_not_supported(struct builder *b, struct rule_prep *ref, const char *fmt, const char *what)
{
	if (ref->reported)
		return;
	ref->reported = true;
	diag_error(b->c->diag, &ref->ru->loc, fmt, what);
}

/* SOURCE/DEST after "zone:": an interface, interface:addresses, or addresses. */
const struct rule_side rules_no_side;

static bool qualifier(struct builder *b, struct rule_prep *ref, const char *q, bool dest,
		      const struct rule_side **out)
{
	*out = &rules_no_side;
	if (!q)
		return true;
	struct arena *home = prep_arena(b);
	struct rule_side *sd = arena_alloc(home, sizeof(*sd));
	*out = sd;
	const char *colon = strchr(q, ':');
	/* the part before ':' is kept only when it names an interface: a stack copy until then */
	char fbuf[64];
	size_t flen = colon ? (size_t)(colon - q) : strlen(q);
	const char *first = flen < sizeof(fbuf) ? memcpy(fbuf, q, flen) : arena_strndup(home, q, flen);
	fbuf[flen < sizeof(fbuf) ? flen : 0] = '\0';
	const char *addrs = q;
	struct iface *f = netcheck_iface(b->g, first);
	if (f) {
		sd->iface = strcmp(first, f->name) == 0 && f->physical ? f->physical
			    : first == fbuf ? arena_strdup(home, first) : first;
		addrs = colon ? colon + 1 : NULL;
	}
	if (!addrs)
		return true;
	/* a,b!c,d: a or b, but neither c nor d ("!c" alone: anything but c) */
	struct arena *tmp = scratch(b);
	const char *bang = strchr(addrs, '!');
	VEC(const uint8_t *) macs = { NULL, 0, 0 };
	for (int part = 0; part < 2; part++) {
		const char *text = part ? (bang ? bang + 1 : NULL)
				   : (bang ? arena_strndup(tmp, addrs, (size_t)(bang - addrs)) : addrs);
		if (!text || !*text)
			continue;
		struct list_walk w;
		size_t n = list_begin(b, text, &w);
		/* one array for the list (a MAC, rare, leaves its slot unused) */
		struct addr_item *items = arena_alloc(home, n * sizeof(*items));
		uint32_t k = 0;
		for (size_t i = 0; i < n; i++) {
			size_t len;
			char buf[64];
			const char *e = list_next(&w, &len), *el = list_str(b, e, len, buf, sizeof(buf));
			if (el[0] == '~') {
				/* a MAC address: only the sender's, and never excluded */
				uint8_t *mac = arena_alloc(home, 6);
				if (part || dest || !netcheck_mac_read(el + 1, mac)) {
					rules_not_supported(b, ref, "A MAC address(%s) cannot be used in this context", el);
					return false;
				}
				vec_push(home, &macs, mac);
				continue;
			}
			struct addr_item *it = &items[k++];
			if (!addr_parse_item(el, it, false))
				return false;       /* the parser reported it */
			if (it->kind == ADDR_IPSET)     /* it points into the split list, which goes */
				it->set = arena_strdup(home, it->set);
		}
		if (part) {
			sd->excl = items;
			sd->nexcl = k;
		} else {
			sd->addrs = items;
			sd->naddrs = k;
		}
	}
	sd->macs = macs.v;
	sd->nmacs = (uint32_t)macs.n;
	return true;
}

/* Everything in the row but ACTION SOURCE DEST PROTO DPORT SPORT. */
static const char *const other_cols[RC_COUNT] = {
	[RC_ORIGDEST] = "ORIGINAL DEST",
};

/* One element of PROTO with the row's ports (or ICMP types) read for it. */
static bool proto_spec(struct builder *b, struct rule_prep *ref, const char *proto,
		       struct proto_spec *ps)
{
	const struct rule *ru = ref->ru;
	memset(ps, 0, sizeof(*ps));
	if (!proto)
		return true;
	/* `!tcp`: every protocol but tcp; it has no ports of its own */
	ps->pinv = proto[0] == '!';
	proto += ps->pinv;
	const char *rest;
	const char *name = split_rest(scratch(b), proto, &rest);
	if (!ir_proto_parse(name, &ps->num)) {
		rules_not_supported(b, ref, "PROTO (%s) is not supported by this compiler yet", proto);
		return false;
	}
	if (rest) {
		if (strcmp(rest, "syn") == 0 && ps->num == 6) {
			ps->syn = true;
		} else if (strcmp(rest, "all") != 0) {
			rules_not_supported(b, ref, "PROTO (%s) is not supported by this compiler yet", proto);
			return false;
		}
	}
	const char *dports = ru->col[RC_DPORT], *sports = ru->col[RC_SPORT];
	if (ps->pinv && (dports || sports || ps->syn)) {
		diag_error(b->c->diag, &ru->loc, "Port(s) not allowed with an inverted PROTO (!%s)", proto);
		return false;
	}
	if (ps->num == 1 && dports) {
		const char **types;
		ps->icmp = true;
		ps->ntypes = (uint32_t)netcheck_split(scratch(b), dports, &types);
		ps->types = arena_alloc(prep_arena(b), ps->ntypes * sizeof(*ps->types));
		for (size_t i = 0; i < ps->ntypes; i++) {
			int code;
			if (!ir_icmp_parse(types[i], &ps->types[i].type, &code)) {
				rules_not_supported(b, ref, "ICMP type (%s) is not supported by this compiler yet", types[i]);
				return false;
			}
			ps->types[i].code = (int16_t)code;
		}
		dports = NULL;
	}
	size_t n = 0;
	if (dports && !build_ports(b, &ru->loc, dports, ps->num, &ps->dp, &n, &ps->dinv))
		return false;
	ps->ndp = (uint32_t)n;
	n = 0;
	if (sports && !build_ports(b, &ru->loc, sports, ps->num, &ps->sp, &n, &ps->sinv))
		return false;
	ps->nsp = (uint32_t)n;
	return true;
}

/* ?SECTION names (value: the order a rules file must follow). */
enum { SEC_ALL, SEC_ESTABLISHED, SEC_RELATED, SEC_INVALID, SEC_UNTRACKED, SEC_NEW };
static const struct keyword section_names[] = {     /* must stay sorted */
	{ "ALL", SEC_ALL, 0 },
	{ "ESTABLISHED", SEC_ESTABLISHED, 0 },
	{ "INVALID", SEC_INVALID, 0 },
	{ "NEW", SEC_NEW, 0 },
	{ "RELATED", SEC_RELATED, 0 },
	{ "UNTRACKED", SEC_UNTRACKED, 0 },
};

const struct keyword *rules_build_section_table(size_t *n)
{
	*n = KW_COUNT(section_names);
	return section_names;
}

/* A 2.x file (no sections) is all NEW. */
static uint8_t rule_section(const struct rule *ru)
{
	const struct keyword *k = ru->section ? KW_FIND(section_names, ru->section) : NULL;
	return k ? (uint8_t)k->value : SEC_NEW;
}

/* The conntrack helpers -m helper knows (5.2.8's list); NAME-port names one on another port. */
static const struct keyword helper_names[] = {      /* must stay sorted */
	{ "Q.931", 0, 0 }, { "RAS", 0, 0 }, { "amanda", 0, 0 }, { "ftp", 0, 0 }, { "irc", 0, 0 },
	{ "netbios-ns", 0, 0 }, { "pptp", 0, 0 }, { "sane", 0, 0 }, { "sip", 0, 0 }, { "snmp", 0, 0 },
	{ "tftp", 0, 0 },
};

const struct keyword *rules_build_helper_table(size_t *n)
{
	*n = KW_COUNT(helper_names);
	return helper_names;
}

static bool helper_known(struct builder *b, const char *h)
{
	const char *dash = strrchr(h, '-');
	if (dash && dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1))
		h = arena_strndup(scratch(b), h, (size_t)(dash - h));
	return KW_FIND(helper_names, h) != NULL;
}

/* The parameter of NAME(param) or NAME/param in an ACTION column (its :level left out). */
static const char *action_param(struct compile *c, const char *text)
{
	const char *open = strchr(text, '('), *slash = strchr(text, '/');
	if (slash && (!open || slash < open))
		return arena_strndup(c->arena, slash + 1, strcspn(slash + 1, ":"));
	const char *close = open ? strrchr(text, ')') : NULL;
	return close ? arena_strndup(c->arena, open + 1, (size_t)(close - open - 1)) : NULL;
}

/* FASTACCEPT=Yes accepts replies before any pair chain: ESTABLISHED rules, and RELATED ones while
 * RELATED is simply accepted, could never match (5.2.8 refuses them too). */
static bool fastaccept_refuses(const struct settings *s, uint8_t sec)
{
	const char *rd = s->related_disposition;
	return s->fastaccept && (sec == SEC_ESTABLISHED || (sec == SEC_RELATED && (!rd || strcasecmp(rd, "ACCEPT") == 0)));
}

static bool verdict(struct builder *b, struct rule_prep *ref, struct ir_target *t)
{
	const struct rule *ru = ref->ru;
	memset(t, 0, sizeof(*t));
	ref->sec = rule_section(ru);
	if (fastaccept_refuses(b->s, ref->sec)) {
		rules_not_supported(b, ref, "Entries in the %s SECTION of the rules file not permitted with FASTACCEPT=Yes",
				    ru->section);
		return false;
	}
	/* all of them past SPORT: nothing to look at when the line gives none of those (most) */
	for (unsigned i = RC_COMMON; ru->more && i < RC_COUNT; i++) {
		if (other_cols[i] && rule_col(ru, (enum rule_col)i)) {
			rules_not_supported(b, ref, "The %s column is not supported by this compiler yet", other_cols[i]);
			return false;
		}
	}
	/* HEADERS is IPv6's; xt_condition (SWITCH) is not in Debian's kernel */
	if (rule_col(ru, RC_HEADERS)) {
		rules_not_supported(b, ref, "A non-empty HEADER column requires Header Match in your kernel and iptables%s", "");
		return false;
	}
	if (rule_col(ru, RC_SWITCH)) {
		rules_not_supported(b, ref, "A non-empty SWITCH column requires Condition Match in your kernel and iptables%s", "");
		return false;
	}
	if (rule_col(ru, RC_HELPER)) {
		const char *h = rule_col(ru, RC_HELPER);
		if (!helper_known(b, h)) {
			rules_not_supported(b, ref, "Unrecognized helper (%s)", h);
			return false;
		}
		rules_extra(b, ref)->helper = h;
	}
	const struct keyword *k = rule_verdict(b, ru);
	if (!k && !ru->macro_param && actions_known(ru->action)) {
		struct action_call *ac = arena_alloc(b->c->arena, sizeof(*ac));
		if (!actions_resolve(b, &ru->loc, ru->action, action_param(b->c, ru->col[RC_ACTION]), ru->loglevel, ac)) {
			ref->reported = true;
			return false;
		}
		ref->act = ac;
		return true;
	}
	if (!k || ru->macro_param) {
		rules_not_supported(b, ref, "ACTION %s is not supported by this compiler yet",
			      ru->action ? ru->action : ru->col[RC_ACTION]);
		return false;
	}
	t->kind = (enum ir_target_kind)k->value;
	if (t->kind == IRT_NFQUEUE) {
		/* QUEUE is NFQUEUE's queue 0 (see ir_target_simple); NFQUEUE(n[:m][,bypass]) */
		unsigned num = 0, max = 0;
		bool bypass = false;
		const char *open = strchr(ru->col[RC_ACTION], '(');
		if (open && strncmp(ru->action, "NFQUEUE", 7) != 0) {
			rules_not_supported(b, ref, "A QUEUE parameter (%s) is not supported by this compiler yet", open);
			return false;
		}
		if (open) {
			char *params = arena_strdup(scratch(b), open + 1);
			char *close = strrchr(params, ')');
			if (close)
				*close = '\0';
			if (!netcheck_nfqueue(b->c, &ru->loc, params, &num, &max, &bypass))
				return false;
		}
		t->u.queue.num = (uint16_t)num;
		t->u.queue.num_hi = (uint16_t)(max > num ? max : num);
		t->u.queue.bypass = bypass;
	}
	if (t->kind == IRT_REJECT) {
		/* REJECT(with) names the ICMP reply; plain REJECT the protocol-appropriate one */
		const char *open = strchr(ru->col[RC_ACTION], '(');
		if (open) {
			char *with = arena_strdup(scratch(b), open + 1);
			char *close = strchr(with, ')');
			if (close)
				*close = '\0';
			enum ir_reject w;
			if (strcmp(with, "icmp-tcp-reset") == 0)    /* 5.2.8's other spelling */
				with = "tcp-reset";
			if (!ir_reject_parse(with, &w)) {
				rules_not_supported(b, ref, "REJECT option (%s) is not supported by this compiler yet", with);
				return false;
			}
			t->u.reject.with = (uint8_t)w;
		} else {
			t->kind = IRT_JUMP;
			t->u.chain = ir_chain_get(b->rs, IR_FILTER, "reject");
		}
	}
	return true;
}

/* The rule's matches and target into chain ch, for one source/dest address and protocol. */
/* RATE: within the limit the rule applies; beyond it the packet goes on to the next rule. */
static void rate_matches(struct ir_rule *r, const struct rate *rt, const char *const *hnames)
{
	for (size_t i = 0; rt; rt = rt->next, i++) {
		unsigned mode = rt->per == 's' ? IR_HL_SRCIP : rt->per == 'd' ? IR_HL_DSTIP : 0;
		if (mode || rt->name)
			ir_match_hashlimit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst, mode, hnames[i]);
		else
			ir_match_limit(r, rt->rate, (enum ir_unit)rt->unit, rt->burst);
	}
}

void rules_emit_one(struct builder *b, struct ir_chain *ch, const struct rule_prep *x, const struct addr_item *sa,
		     const struct addr_item *da, const struct proto_spec *ps, const struct ir_target *t,
		     const char *const *hnames)
{
	const struct rule *ru = x->ru;
	const struct rule_side *s = x->s, *d = x->d;
	const struct rule_extra *e = x->ext;
	size_t nt = ps->icmp ? ps->ntypes : 1;
	for (size_t ti = 0; ti < nt; ti++) {
		size_t di = 0, si;
		do {
			size_t dk = ps->ndp ? ir_ports_fit(ps->dp + di, ps->ndp - di) : 0;
			si = 0;
			do {
				size_t sk = ps->nsp ? ir_ports_fit(ps->sp + si, ps->nsp - si) : 0;
				struct ir_rule *r = ir_rule_append(ch, &ru->loc);
				if (s->iface)
					ir_match_in(r, s->iface, false);
				if (d->iface)
					ir_match_out(r, d->iface, false);
				if (sa)
					ir_match_addr(r, IR_SRC, sa, false);
				if (da)
					ir_match_addr(r, IR_DST, da, false);
				if (ps->num)
					ir_match_proto(r, ps->num)->invert = ps->pinv;
				if (ps->syn)
					ir_match_syn(r);
				if (ps->icmp && ps->types[ti].type != 255)
					ir_match_icmp(r, ps->types[ti].type, ps->types[ti].code);
				if (sk)
					ir_match_sports(r, ps->sp + si, sk, ps->sinv);
				if (dk)
					ir_match_dports(r, ps->dp + di, dk, ps->dinv);
				if (e) {
					rules_nat_matches(r, x);       /* ORIGINAL DEST, a DNAT's original port */
					build_mark_match(r, &e->mark);
					if (e->time)
						ir_match_time(r, &e->tm);
					if (e->owner)
						ir_match_owner(r, e->uid, e->gid, e->owner_inv);
					if (e->connlimit)
						ir_match_connlimit(r, e->cl_count, (uint8_t)e->cl_mask, e->cl_daddr,
								   !e->cl_above);
				}
				rate_matches(r, ru->rate, hnames);
				if (e && e->helper)
					ir_match_helper(r, e->helper, false);
				ir_target_copy(r, t);
				si += sk;
			} while (si < ps->nsp);
			di += dk;
		} while (di < ps->ndp);
	}
}

/* CONNLIMIT `[s:|d:][!]N[:mask]`: the rule applies while the address has at most N connections
 * (`!`: only beyond N), as Shorewall's at-or-below reading. The parser checked the syntax. */
static bool connlimit_parse(struct builder *b, struct rule_prep *x, const char *t)
{
	struct rule_extra *e = rules_extra(b, x);
	e->cl_daddr = strncmp(t, "d:", 2) == 0;
	if (e->cl_daddr || strncmp(t, "s:", 2) == 0)
		t += 2;
	e->cl_above = *t == '!';
	t += e->cl_above;
	char *end;
	unsigned long n = strtoul(t, &end, 10), mask = 32;
	if (*end == ':') {
		const char *m = end + 1;
		mask = strtoul(m, &end, 10);
		if (end == m)
			mask = 33;
	}
	if (end == t || *end || n > 0xffffffffUL || mask > 32) {
		diag_error(b->c->diag, &x->ru->loc, "Invalid connlimit (%s)", rule_col(x->ru, RC_CONNLIMIT));
		return false;
	}
	e->connlimit = true;
	e->cl_count = (unsigned)n;
	e->cl_mask = (unsigned)mask;
	return true;
}

/* TIME element values. */
static const struct keyword weekdays[] = {     /* must stay sorted */
	{ "Fri", 4, 0 }, { "Mon", 0, 0 }, { "Sat", 5, 0 }, { "Sun", 6, 0 }, { "Thu", 3, 0 }, { "Tue", 1, 0 },
	{ "Wed", 2, 0 },
};

const struct keyword *rules_build_weekday_table(size_t *n)
{
	*n = KW_COUNT(weekdays);
	return weekdays;
}

/* h:m[:s] into seconds of the day. */
static bool daytime(const char *s, int32_t *out)
{
	unsigned h, m, sec = 0;
	int used = 0;
	if (sscanf(s, "%2u:%2u%n", &h, &m, &used) != 2)
		return false;
	if (s[used] == ':') {
		int more = 0;
		if (sscanf(s + used + 1, "%2u%n", &sec, &more) != 1)
			return false;
		used += 1 + more;
	}
	if (s[used] || h > 23 || m > 59 || sec > 59)
		return false;
	*out = (int32_t)(h * 3600 + m * 60 + sec);
	return true;
}

/* YYYY[-MM[-DD[Thh[:mm[:ss]]]]], UTC, into seconds since the epoch. */
static bool date(const char *s, int64_t *out)
{
	struct tm tm = { .tm_mday = 1 };
	unsigned y, mo = 1, d = 1, h = 0, mi = 0, se = 0;
	int n = 0;
	if (sscanf(s, "%4u%n", &y, &n) != 1 || n != 4)
		return false;
	const char *p = s + n;
	unsigned *fields[] = { &mo, &d, &h, &mi, &se };
	const char seps[] = "--T::";
	for (size_t i = 0; i < 5 && *p; i++) {
		int k = 0;
		if (*p != seps[i] || sscanf(p + 1, "%2u%n", fields[i], &k) != 1)
			return false;
		p += 1 + k;
	}
	if (*p || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		return false;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	*out = (int64_t)timegm(&tm);
	return true;
}

/* TIME: elements joined by `&` (timestart= timestop= weekdays= monthdays= datestart= datestop=
 * utc localtz kerneltz). */
static bool time_parse(struct builder *b, struct rule_prep *x, const char *text)
{
	struct ir_time *t = &rules_extra(b, x)->tm;
	memset(t, 0, sizeof(*t));
	t->start = t->stop = -1;
	char *copy = arena_strdup(scratch(b), text), *save = NULL;
	bool any = false;
	for (char *el = strtok_r(copy, "&", &save); el; el = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(el, '=');
		const char *val = eq ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
		bool ok = true;
		if (!val && (strcmp(el, "utc") == 0 || strcmp(el, "localtz") == 0 || strcmp(el, "kerneltz") == 0)) {
			t->kerneltz = el[0] != 'u';
		} else if (val && strcmp(el, "timestart") == 0) {
			ok = daytime(val, &t->start);
		} else if (val && strcmp(el, "timestop") == 0) {
			ok = daytime(val, &t->stop);
		} else if (val && strcmp(el, "datestart") == 0) {
			ok = date(val, &t->datestart);
		} else if (val && strcmp(el, "datestop") == 0) {
			ok = date(val, &t->datestop);
		} else if (val && (strcmp(el, "weekdays") == 0 || strcmp(el, "monthdays") == 0)) {
			const char **days;
			size_t n = netcheck_split(scratch(b), val, &days);
			for (size_t i = 0; i < n && ok; i++) {
				const struct keyword *k = KW_FIND(weekdays, days[i]);
				char *end;
				unsigned long v = strtoul(days[i], &end, 10);
				bool num = end != days[i] && !*end;
				if (el[0] == 'w' && k)
					t->weekdays |= (uint8_t)(1u << k->value);
				else if (el[0] == 'w' && num && v >= 1 && v <= 7)     /* 1 = Monday */
					t->weekdays |= (uint8_t)(1u << (v - 1));
				else if (el[0] == 'm' && num && v >= 1 && v <= 31)
					t->monthdays |= 1u << v;
				else
					ok = false;
			}
		} else {
			ok = false;
		}
		if (!ok) {
			diag_error(b->c->diag, &x->ru->loc, "Invalid time element (%s%s%s)", el, val ? "=" : "",
				   val ? val : "");
			return false;
		}
		any = true;
	}
	if (!any) {
		diag_error(b->c->diag, &x->ru->loc, "Invalid time element list (%s)", text);
		return false;
	}
	x->ext->time = true;
	return true;
}

struct rule_extra *rules_extra(struct builder *b, struct rule_prep *x)
{
	if (!x->ext)
		x->ext = arena_alloc(prep_arena(b), sizeof(*x->ext));   /* zeroed: nothing given */
	return x->ext;
}

struct rule_prep *rules_prep_copy(struct builder *b, const struct rule_prep *x)
{
	struct rule_prep *y = arena_alloc(b->c->arena, sizeof(*y));
	*y = *x;
	y->ext = arena_alloc(b->c->arena, sizeof(*y->ext));
	if (x->ext)
		*y->ext = *x->ext;
	return y;
}

/* Read a line once; false (reported) when it asks for what this compiler cannot build yet. */
bool rules_prepare(struct builder *b, struct rule_prep *x, const char *sq, const char *dq)
{
	const struct rule *ru = x->ru;
	const struct rule_typed *ty = typed_of(b, ru);
	if (!verdict(b, x, &x->t))
		return false;
	if (ty) {
		/* read by the parser's checks: nothing in them to refuse */
		x->s = ty->s ? ty->s : &rules_no_side;
		x->d = ty->d ? ty->d : &rules_no_side;
	} else if (!qualifier(b, x, sq, false, &x->s) || !qualifier(b, x, dq, true, &x->d)) {
		return false;
	}
	if (rule_col(ru, RC_USER)) {
		struct rule_extra *e = rules_extra(b, x);
		if (!build_owner(b, &ru->loc, rule_col(ru, RC_USER), &e->uid, &e->gid, &e->owner_inv))
			return false;
		e->owner = true;
	}
	if (rule_col(ru, RC_CONNLIMIT) && !connlimit_parse(b, x, rule_col(ru, RC_CONNLIMIT)))
		return false;
	if (rule_col(ru, RC_MARK) && !build_mark(b, &ru->loc, rule_col(ru, RC_MARK), &rules_extra(b, x)->mark))
		return false;
	if (rule_col(ru, RC_TIME) && !time_parse(b, x, rule_col(ru, RC_TIME)))
		return false;
	if (ty && ty->ps) {
		x->ps = ty->ps;     /* the parser's: plain tcp/udp (or none) with ports in digits */
		x->np = 1;
		return true;
	}
	const char **protos = NULL, *one = ru->col[RC_PROTO];
	size_t np = 1;
	if (one && !strpbrk(one, ",("))
		protos = &one;      /* one protocol, what most lines name: no split */
	else if (one)
		np = netcheck_split(scratch(b), one, &protos);
	x->np = (uint32_t)np;
	struct proto_spec *ps = arena_alloc(prep_arena(b), np * sizeof(*ps));
	x->ps = ps;
	for (size_t i = 0; i < np; i++)
		if (!proto_spec(b, x, protos ? protos[i] : NULL, &ps[i]))
			return false;
	return true;
}

/* A zone set of the one zone of index i, as rules_zone_set makes it for a plain name (no `in`:
 * rules_index_pairs reads it only when a side is wild or names no zone). */
static void zone_set_one(struct zone_set *z, uint32_t i)
{
	memset(z, 0, sizeof(*z));
	z->one = (long)i;
}

/* The source zone of the one pair s × d names (SOURCE and DEST each one zone), else -1. */
static long single_source(const struct zone_set *s, const struct zone_set *d)
{
	return s->wild || d->wild || d->one < 0 ? -1 : s->one;
}

/* Read ru once: its SOURCE and DEST as zone sets into s and d, the rest into a new rule_prep;
 * NULL (reported) when the line cannot be built. */
struct rule_prep *rules_prep_read(struct builder *b, const struct rule *ru, struct zone_set *s, struct zone_set *d)
{
	const struct rule_typed *ty = typed_of(b, ru);
	if (ty && ty->file != b->rules_index->typed_file)
		adopt_typed(b->rules_index, ty->file);
	if (ty && ty->single) {
		zone_set_one(s, ty->szone);
		zone_set_one(d, ty->dzone);
	} else {
		rules_zone_set(b, ru->col[RC_SOURCE] ? ru->col[RC_SOURCE] : "", s);
		rules_zone_set(b, ru->col[RC_DEST] ? ru->col[RC_DEST] : "", d);
	}
	struct rules_index *ix = b->rules_index;
	long si = ix ? single_source(s, d) : -1;
	if (si >= 0)
		ix->home = src_arena(b, ix, (size_t)si);
	struct rule_prep *x = arena_alloc(prep_arena(b), sizeof(*x));
	x->ru = ru;
	bool ok = rules_prepare(b, x, s->rest, d->rest);
	if (ix)
		ix->home = NULL;
	return ok ? x : NULL;
}

/* List x under every pair of s × d (a wildcard names no intra-zone pair unless `+` asks for it). */
void rules_index_pairs(struct builder *b, struct rules_index *ix, const struct zone_set *s,
		       const struct zone_set *d, struct rule_prep *x)
{
	size_t nz = b->g->zones.n;
	long one = single_source(s, d);
	if (one >= 0) {     /* the usual line: one zone each side, no scan of the matrix */
		vec_push(src_arena(b, ix, (size_t)one), &ix->by_pair[(size_t)one * nz + (size_t)d->one], x);
		return;
	}
	bool wild = s->wild || d->wild, intra = s->intra || d->intra;
	for (size_t si = 0; si < nz; si++) {
		if (!s->in[si])
			continue;
		for (size_t di = 0; di < nz; di++)
			if (d->in[di] && !(wild && si == di && !intra))
				vec_push(src_arena(b, ix, si), &ix->by_pair[si * nz + di], x);
	}
}

/* List one line (or one line of a macro's body) under every pair its SOURCE and DEST name. */
void rules_index_rule(struct builder *b, struct rules_index *ix, const struct rule *ru)
{
	/* NAT-only forms may have no DEST zone: they name no pair, but are still reported */
	struct zone_set s, d;
	struct rule_prep *x = rules_prep_read(b, ru, &s, &d);
	if (x)
		rules_index_pairs(b, ix, &s, &d, x);
}

/* ---- macros ------------------------------------------------------------------------------------------ */

/* A body's SOURCE/DEST with the invoking rule's: `-` is the rule's own column, SOURCE and DEST
 * the rule's SOURCE and DEST (a body line may reverse the direction); anything else qualifies the
 * rule's zone (`net` + `192.0.2.1` → `net:192.0.2.1`). */
static const char *merge_side(struct compile *c, const char *body, const char *own, const struct rule *ru)
{
	if (!body)
		return own;
	if (strcmp(body, "SOURCE") == 0)
		return ru->col[RC_SOURCE];
	if (strcmp(body, "DEST") == 0)
		return ru->col[RC_DEST];
	return own ? arena_printf(c->arena, "%s:%s", own, body) : body;
}

/* The macros read so far in this compile, by name (a handful: a linear list is enough). A file
 * is read and its errors reported once; later rules naming it just skip. */
static struct macro *macro_get(struct builder *b, struct rules_index *ix, const char *name, bool *reported)
{
	for (size_t i = 0; i < ix->macros.n; i++) {
		if (strcmp(ix->macros.v[i]->name, name) == 0) {
			*reported = true;
			return ix->macros.v[i]->path ? ix->macros.v[i] : NULL;
		}
	}
	struct macro *m = macro_read(b->c, name, reported);
	struct macro *keep = m;
	if (!keep) {
		keep = arena_alloc(b->c->arena, sizeof(*keep));
		memset(keep, 0, sizeof(*keep));     /* no path: the read failed */
		keep->name = name;
	}
	vec_push(b->c->arena, &ix->macros, keep);
	return m;
}

/* A shipped macro's name or the configuration directory's own macro.NAME (never a builtin verdict). */
static bool name_is_macro(struct compile *c, const char *name)
{
	return name && !KW_FIND(rule_actions, name) && (macro_name_known(name) || macro_file_exists(c, "macro", name));
}

static bool rule_is_macro(struct compile *c, const struct rule *ru)
{
	return ru->macro_param || name_is_macro(c, ru->action);
}

/* Macros may name macros (Web is HTTP and HTTPS); 5.2.8 stops at ten levels. */
#define MACRO_NEST_MAX 10

static void index_line(struct builder *b, struct rules_index *ix, const struct rule *ru, const char **stack,
		       unsigned depth);

/* The first ':' outside parentheses (NFQUEUE(1:3):info), or NULL. */
static const char *level_colon(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		else if (*s == ':' && !depth)
			return s;
	}
	return NULL;
}

/* SSH(ACCEPT), SSH/ACCEPT, SSH(ACCEPT):info, SSH(DROP:info): one rule per body line, PARAM
 * replaced by the parameter (also inside a body line's own NAME(PARAM)); the rule's PROTO and
 * ports win over the body's (as Shorewall merges them), its SOURCE/DEST fill the body's `-`,
 * SOURCE and DEST. A body line naming a macro or an action is expanded in turn. */
static void index_macro(struct builder *b, struct rules_index *ix, const struct rule *ru, const char **stack,
			unsigned depth)
{
	struct compile *c = b->c;
	for (unsigned i = 0; i < depth; i++) {
		if (strcmp(stack[i], ru->action) == 0) {
			const char *path = stack[i];
			for (unsigned j = i + 1; j < depth; j++)
				path = arena_printf(c->arena, "%s > %s", path, stack[j]);
			diag_error(c->diag, &ru->loc, "Macro invokes itself (%s > %s)", path, ru->action);
			return;
		}
	}
	if (depth >= MACRO_NEST_MAX) {
		diag_error(c->diag, &ru->loc, "Macro/Inline invocations nested too deeply");
		return;
	}
	stack[depth] = ru->action;
	bool reported;
	struct macro *m = macro_get(b, ix, ru->action, &reported);
	if (!m) {
		if (!reported)
			diag_error(c->diag, &ru->loc, "Unknown ACTION (%s)", ru->action);
		return;
	}
	/* the parameter's own level: SSH(ACCEPT:info) */
	const char *param = ru->macro_param, *plevel = NULL;
	if (param) {
		const char *colon = level_colon(param);
		if (colon) {
			plevel = *(colon + 1) ? colon + 1 : NULL;
			param = arena_strndup(c->arena, param, (size_t)(colon - param));
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct macro_line *l = &m->lines[i];
		struct rule *x = arena_alloc(c->arena, sizeof(*x));
		*x = *ru;
		x->macro_param = NULL;
		x->typed = NULL;    /* the body line's columns are merged: read from the text */
		const char *act = l->action;
		/* a body action may carry its own level (DROP:info); the invocation's wins */
		const char *alevel = NULL, *acolon = level_colon(act);
		if (acolon) {
			alevel = acolon[1] ? acolon + 1 : NULL;
			act = arena_strndup(c->arena, act, (size_t)(acolon - act));
		}
		/* NAME(P) or NAME/P, P possibly PARAM itself */
		const char *base = act, *bparam = NULL, *open = strchr(act, '('), *slash = strchr(act, '/');
		if (slash && (!open || slash < open)) {
			base = arena_strndup(c->arena, act, (size_t)(slash - act));
			bparam = slash + 1;
		} else if (open && *act && act[strlen(act) - 1] == ')') {
			base = arena_strndup(c->arena, act, (size_t)(open - act));
			bparam = arena_strndup(c->arena, open + 1, strlen(open + 1) - 1);
		}
		bool is_param = strcmp(base, "PARAM") == 0;
		if (is_param || (bparam && strcmp(bparam, "PARAM") == 0)) {
			if (!param) {
				diag_error(c->diag, &ru->loc,
					   "PARAM requires a parameter to be supplied in macro invocation");
				return;
			}
			if (is_param)
				base = param;
			else
				bparam = param;
		}
		if (is_param && strchr(base, '(')) {
			/* the parameter itself was NAME(P) */
			open = strchr(base, '(');
			bparam = arena_strndup(c->arena, open + 1, strcspn(open + 1, ")"));
			base = arena_strndup(c->arena, base, (size_t)(open - base));
		}
		bool macro = name_is_macro(c, base);
		if (macro && !bparam)
			bparam = param;     /* a macro named bare in a body takes the invocation's verdict */
		if (!macro && !KW_FIND(rule_actions, base) && !rules_nat_action(base) && !actions_known(base)) {
			diag_error(c->diag, &l->loc, "Unknown ACTION (%s)", base);
			return;
		}
		x->action = base;
		x->macro_param = macro ? bparam : NULL;
		x->col[RC_ACTION] = bparam ? arena_printf(c->arena, "%s(%s)", base, bparam) : base;
		x->loglevel = ru->loglevel ? ru->loglevel : plevel ? plevel : alevel;
		x->col[RC_SOURCE] = merge_side(c, l->source, ru->col[RC_SOURCE], ru);
		x->col[RC_DEST] = merge_side(c, l->dest, ru->col[RC_DEST], ru);
		x->col[RC_PROTO] = ru->col[RC_PROTO] ? ru->col[RC_PROTO] : l->proto;
		x->col[RC_DPORT] = ru->col[RC_DPORT] ? ru->col[RC_DPORT] : l->dport;
		x->col[RC_SPORT] = ru->col[RC_SPORT] ? ru->col[RC_SPORT] : l->sport;
		index_line(b, ix, x, stack, depth + 1);
	}
}

/* One rules line, or one line of a macro's body: the macro expanded, the nat half to rules_nat.c,
 * everything else into the index. */
static void index_line(struct builder *b, struct rules_index *ix, const struct rule *ru, const char **stack,
		       unsigned depth)
{
	/* a verdict of this file's table (most lines) is neither a macro nor a nat action: one
	 * look-up instead of the macro and nat tables' */
	bool plain = !ru->macro_param && ru->action && rule_verdict(b, ru);
	if (!plain && rule_is_macro(b->c, ru))
		index_macro(b, ix, ru, stack, depth);
	else if (plain ? rule_col(ru, RC_ORIGDEST) != NULL : rules_nat_owns(ru))
		rules_index_nat(b, ix, ru);
	else
		rules_index_rule(b, ix, ru);
}

static struct rules_index *rules_index(struct builder *b)
{
	if (b->rules_index)
		return b->rules_index;
	struct compile *c = b->c;
	size_t nz = b->g->zones.n;
	/* arena memory comes zeroed: empty lists, no nat chains yet */
	struct rules_index *ix = arena_alloc(c->arena, sizeof(*ix));
	size_t npairs = nz ? nz * nz : 1;
	ix->by_pair = arena_alloc(c->arena, npairs * sizeof(*ix->by_pair));
	ix->dnat = arena_alloc(c->arena, (nz ? nz : 1) * sizeof(*ix->dnat));
	ix->by_src = arena_alloc(c->arena, (nz ? nz : 1) * sizeof(*ix->by_src));
	ix->left = arena_alloc(c->arena, (nz ? nz : 1) * sizeof(*ix->left));
	ix->typed_home = arena_alloc(c->arena, (nz ? nz : 1) * sizeof(*ix->typed_home));
	size_t ntargets;
	const struct keyword *targets = rules_target_table(&ntargets);
	ix->verdicts = arena_alloc(c->arena, ntargets * sizeof(*ix->verdicts));
	for (size_t i = 0; i < ntargets; i++)
		ix->verdicts[i] = KW_FIND(rule_actions, targets[i].name);
	const char *stack[MACRO_NEST_MAX];
	b->rules_index = ix;        /* scratch() finds ix->tmp through it */
	ix->tmp = arena_new();
	for (size_t i = 0; i < b->g->rules.n; i++) {
		const struct rule *ru = b->g->rules.v[i];
		/* the sections the file passes through: where pair chains settle their states */
		uint8_t sec = rule_section(ru);
		if ((!ix->nsecs || ix->secs[ix->nsecs - 1] != sec) && ix->nsecs < 6)
			ix->secs[ix->nsecs++] = sec;
		index_line(b, ix, ru, stack, 0);
		arena_reset(ix->tmp);
	}
	arena_free(ix->tmp);
	ix->tmp = NULL;         /* typed_of() from here on: NULL */
	if (ix->typed_file)
		arena_free(ix->typed_file->records);    /* the records, read: only their sides live on */
	ix->typed_file = NULL;
	for (size_t k = 0; k < npairs; k++)
		if (ix->by_pair[k].n)
			ix->left[k / (nz ? nz : 1)]++;
	rules_dnat_dispatch(b, ix);
	return ix;
}

/* A logged rule goes to a chain of its own: LOG, then the verdict (LOG alone: back to the pair). */
static struct ir_chain *log_chain(struct builder *b, struct pair *p, const struct rule *ru,
				  const struct ir_target *t)
{
	const char *name = arena_printf(b->c->arena, "~log%u", b->nlog++);
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, name);
	ch->loc = ru->loc;
	build_log(b, ch, &ru->loc, ru->loglevel, p->chain->name, ru->action);
	if (t->kind != IRT_NONE) {
		struct ir_rule *r = ir_rule_append(ch, &ru->loc);
		ir_target_copy(r, t);
	}
	return ch;
}

/* Excluded addresses: RETURN for them (the rule does not apply, the pair chain goes on), then
 * the rule's target. */
static struct ir_chain *excl_chain(struct builder *b, const struct rule_prep *x, const struct ir_target *t)
{
	const struct rule *ru = x->ru;
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, arena_printf(b->c->arena, "~excl%u", b->nexcl++));
	ch->loc = ru->loc;
	for (int side = 0; side < 2; side++) {
		const struct rule_side *sd = side ? x->d : x->s;
		for (size_t i = 0; i < sd->nexcl; i++) {
			struct ir_rule *r = ir_rule_append(ch, &ru->loc);
			ir_match_addr(r, side ? IR_DST : IR_SRC, &sd->excl[i], false);
			ir_target_simple(r, IRT_RETURN);
		}
	}
	rules_nat_excl(ch, x);
	if (t) {        /* NULL: the caller fills the rest (an action's lines) */
		struct ir_rule *r = ir_rule_append(ch, &ru->loc);
		ir_target_copy(r, t);
	}
	return ch;
}

/* The source alternatives: each address, then each MAC address (-m mac); one when neither. */
static size_t src_alts(const struct rule_prep *x)
{
	size_t n = x->s->naddrs + x->s->nmacs;
	return n ? n : 1;
}

/* rules_emit_one for source alternative si and destination address di; returns the index of the
 * first rule it appended to ch. */
static size_t emit_alt(struct builder *b, struct ir_chain *ch, const struct rule_prep *x, size_t si, size_t di,
		       const struct proto_spec *ps, const struct ir_target *t, const char *const *hnames)
{
	size_t first = ch->rules.n;
	rules_emit_one(b, ch, x, si < x->s->naddrs ? &x->s->addrs[si] : NULL, x->d->naddrs ? &x->d->addrs[di] : NULL,
		       ps, t, hnames);
	if (si >= x->s->naddrs && si - x->s->naddrs < x->s->nmacs)
		for (size_t r = first; r < ch->rules.n; r++)
			ir_match_mac_source(ch->rules.v[r], x->s->macs[si - x->s->naddrs], false);
	return first;
}

/* An action's inline lines in place of the rule's own target: each line's protocol (where the
 * rule has none), its matches after the rule's, its verdict (logged at the call's level). */
static void build_action_lines(struct builder *b, struct ir_chain *ch, struct pair *p, struct rule_prep *x,
			       const char *const *hnames)
{
	const struct action_call *ac = x->act;
	size_t ns = src_alts(x), nd = x->d->naddrs ? x->d->naddrs : 1;
	for (size_t li = 0; li < actions_nlines(ac); li++) {
		uint8_t lp = actions_line_proto(ac, li);
		struct ir_target t;
		actions_line_target(b, &x->ru->loc, ac, li, p->chain->name, &t);
		for (size_t i = 0; i < x->np; i++) {
			struct proto_spec ps = x->ps[i];
			if (lp && ps.num && (ps.num != lp || ps.pinv))
				continue;       /* the line's protocol is not the rule's: it can never match */
			if (lp)
				ps.num = lp;
			for (size_t si = 0; si < ns; si++) {
				for (size_t di = 0; di < nd; di++) {
					size_t first = emit_alt(b, ch, x, si, di, &ps, &t, hnames);
					for (size_t r = first; r < ch->rules.n; r++)
						actions_line_matches(ac, li, ch->rules.v[r]);
				}
			}
		}
	}
}

static void build_rule(struct builder *b, struct rules_index *ix, struct pair *p, struct ir_chain *ch,
		       struct rule_prep *x)
{
	const struct rule *ru = x->ru;
	if (x->t.kind == IRT_NONE && !ru->loglevel && !x->act)
		return;     /* LOG:none: nothing to do */
	/* the firewall's own interfaces are not a zone's: 5.2.8 refuses them */
	if (x->s->iface && p->src->type == ZONE_FIREWALL) {
		rules_not_supported(b, x, "Source Interface (%s) not allowed when the SOURCE is the firewall", x->s->iface);
		return;
	}
	if (x->s->nmacs && p->src->type == ZONE_FIREWALL) {
		rules_not_supported(b, x, "A MAC address(%s) cannot be used in this context", x->ru->col[RC_SOURCE]);
		return;
	}
	if (x->d->iface && p->dst->type == ZONE_FIREWALL) {
		rules_not_supported(b, x, "Destination Interface (%s) not allowed when the destination zone is the firewall",
				    x->d->iface);
		return;
	}
	struct ir_target jump, xjump, ajump;
	const struct ir_target *tp = &x->t;
	const struct proto_spec *ps = x->ps;
	if (x->act) {
		struct ir_chain *to = actions_chain(b, &ru->loc, x->act, p->chain->name);
		if (!to && rules_has_excl(x)) {
			/* exclusions first, then the action's lines, in a ~excl chain of their own */
			memset(&xjump, 0, sizeof(xjump));
			xjump.kind = IRT_JUMP;
			xjump.u.chain = excl_chain(b, x, NULL);
			for (size_t li = 0; li < actions_nlines(x->act); li++) {
				struct ir_target lt;
				actions_line_target(b, &ru->loc, x->act, li, p->chain->name, &lt);
				struct ir_rule *r = ir_rule_append(xjump.u.chain, &ru->loc);
				if (actions_line_proto(x->act, li))
					ir_match_proto(r, actions_line_proto(x->act, li));
				actions_line_matches(x->act, li, r);
				ir_target_copy(r, &lt);
			}
			tp = &xjump;
		} else if (to) {
			/* a chained action: the rule jumps to it, with the action's protocol */
			memset(&ajump, 0, sizeof(ajump));
			ajump.kind = IRT_JUMP;
			ajump.u.chain = to;
			tp = &ajump;
			uint8_t jp = actions_chain_proto(x->act);
			if (jp) {
				struct proto_spec *jps = arena_alloc(b->c->arena, x->np * sizeof(*jps));
				for (size_t i = 0; i < x->np; i++) {
					jps[i] = x->ps[i];
					if (!jps[i].num)
						jps[i].num = jp;
				}
				ps = jps;
			}
		}
	} else if (ru->loglevel) {
		memset(&jump, 0, sizeof(jump));
		jump.kind = IRT_JUMP;
		jump.u.chain = log_chain(b, p, ru, &x->t);
		tp = &jump;
	}
	if (rules_has_excl(x) && tp != &xjump) {
		memset(&xjump, 0, sizeof(xjump));
		xjump.kind = IRT_JUMP;
		xjump.u.chain = excl_chain(b, x, tp);
		tp = &xjump;
	}
	/* per-address rates count in a table of their own per line and pair (Shorewall's shorewallN) */
	const char *hnames[2] = { NULL, NULL };
	size_t k = 0;
	for (const struct rate *rt = ru->rate; rt && k < 2; rt = rt->next, k++)
		if (rt->per || rt->name)
			hnames[k] = rt->name ? rt->name : arena_printf(b->c->arena, "shorewall%u", ix->nhash++);
	if (x->act && tp == &x->t) {
		build_action_lines(b, ch, p, x, hnames);
		return;
	}
	size_t ns = src_alts(x), nd = x->d->naddrs ? x->d->naddrs : 1;
	for (size_t i = 0; i < x->np; i++)
		for (size_t si = 0; si < ns; si++)
			for (size_t di = 0; di < nd; di++)
				emit_alt(b, ch, x, si, di, &ps[i], tp, hnames);
}

/* A section's chain for the pair (^ ESTABLISHED, + RELATED, _ INVALID, = UNTRACKED), made with
 * its jump from the pair chain on the section's first rule. */
static struct ir_chain *section_chain(struct builder *b, struct pair *p, struct ir_chain **aux, uint8_t sec,
				      const struct loc *loc)
{
	static const char marks[] = "^+_=";
	static const unsigned states[] = { IR_CT_ESTABLISHED, IR_CT_RELATED, IR_CT_INVALID, IR_CT_UNTRACKED };
	unsigned i = (unsigned)sec - SEC_ESTABLISHED;
	if (!aux[i]) {
		aux[i] = ir_chain_get(b->rs, IR_FILTER, arena_printf(b->c->arena, "%c%s", marks[i], p->chain->name));
		aux[i]->loc = *loc;
		struct ir_rule *r = ir_rule_append(p->chain, loc);
		ir_match_ctstate(r, states[i], false);
		ir_target_jump(r, aux[i]);
	}
	return aux[i];
}

/* The states 5.2.8 settles when a pair chain is first used in section sec (finish_chain_sections),
 * and when the file moves on into section sec (next_section). */
static unsigned states_before(uint8_t sec)
{
	static const unsigned st[] = {
		[SEC_ALL] = 0, [SEC_ESTABLISHED] = 0, [SEC_RELATED] = IR_CT_ESTABLISHED,
		[SEC_INVALID] = IR_CT_ESTABLISHED | IR_CT_RELATED,
		[SEC_UNTRACKED] = IR_CT_ESTABLISHED | IR_CT_RELATED | IR_CT_INVALID,
		[SEC_NEW] = IR_CT_ESTABLISHED | IR_CT_RELATED | IR_CT_INVALID | IR_CT_UNTRACKED,
	};
	return st[sec];
}

#define ALL_STATES (IR_CT_ESTABLISHED | IR_CT_RELATED | IR_CT_INVALID | IR_CT_UNTRACKED)

/* The pair's rules in file order, with its conntrack states settled where 5.2.8 settles them:
 * ALL rules first (before any state), each of ESTABLISHED RELATED INVALID UNTRACKED in a chain of
 * its own jumped to by state, the states' acceptance as the file leaves their sections, the rate
 * jump, then NEW. A pair no rule names settles everything at once (one ESTABLISHED,RELATED rule). */
static void pair_sections(struct builder *b, struct pair *p, bool settle, bool in_use)
{
	struct rules_index *ix = b->g->rules.n ? rules_index(b) : NULL;
	if (!p->chain)
		return;     /* NONE: wildcard rules skip it (the parser refused explicit ones) */
	size_t k = p->src->index * b->g->zones.n + p->dst->index;
	size_t n = ix ? ix->by_pair[k].n : 0;
	struct ir_chain *aux[4] = { NULL, NULL, NULL, NULL };
	unsigned closed = 0;
	bool rated = false;
	size_t gi = 0;                      /* position in ix->secs */
	int cur = -1;                       /* the section of the pair's previous rule */
	bool open = in_use;
	for (size_t i = 0; i < n; i++) {
		struct rule_prep *x = ix->by_pair[k].v[i];
		if (settle && !open) {
			/* first use: the states of the sections already behind */
			build_pair_close(b, p, aux, states_before(x->sec), &closed);
		} else if (settle) {
			/* the file's moves between the previous rule's section and this one's */
			for (; gi < ix->nsecs && ix->secs[gi] <= x->sec; gi++)
				if ((int)ix->secs[gi] > cur)
					build_pair_close(b, p, aux, states_before(ix->secs[gi]), &closed);
		}
		while (gi < ix->nsecs && ix->secs[gi] <= x->sec)
			gi++;
		open = true;
		if (settle && !rated && x->sec == SEC_NEW) {
			build_pair_rate(b, p);
			rated = true;
		}
		cur = x->sec;
		struct ir_chain *ch = p->chain;
		if (x->sec != SEC_ALL && x->sec != SEC_NEW)
			ch = section_chain(b, p, aux, x->sec, &x->ru->loc);
		build_rule(b, ix, p, ch, x);
	}
	if (n && --ix->left[p->src->index] == 0) {
		/* the source's last pair with lines: what they were read into goes */
		size_t si = p->src->index, nz = b->g->zones.n;
		arena_free(ix->by_src[si]);
		ix->by_src[si] = NULL;
		arena_free(ix->typed_home[si]);
		ix->typed_home[si] = NULL;
		memset(&ix->by_pair[si * nz], 0, nz * sizeof(*ix->by_pair));
	}
	if (!settle)
		return;
	/* the file's later moves, then whatever a file ending before NEW left unsettled */
	for (; ix && open && gi < ix->nsecs; gi++)
		build_pair_close(b, p, aux, states_before(ix->secs[gi]), &closed);
	build_pair_close(b, p, aux, ALL_STATES, &closed);
	if (!rated)
		build_pair_rate(b, p);
}

void build_pair_sections(struct builder *b, struct pair *p, bool in_use)
{
	pair_sections(b, p, true, in_use);
}

void build_pair_rules(struct builder *b, struct pair *p)
{
	pair_sections(b, p, false, false);
}
