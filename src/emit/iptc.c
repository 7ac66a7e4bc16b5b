/* iptc.c — the libiptc emitter: every table built in memory, then committed as one transaction with rollback.
 *
 * Invariant: the kernel holds either the ruleset it held before or the whole new one, never a mix.
 * libiptc commits one table at a time, so the transaction is ours:
 *   1. per table, an untouched snapshot handle (the rollback) and a working handle;
 *   2. the working handles are reset (user chains flushed and deleted, policies ACCEPT) and rebuilt
 *      from the IR through emit_ruleset: every rule's argv segments handed to libxtables, which
 *      parses them exactly as iptables would and gives the match and target blobs of an ipt_entry;
 *   3. only when every table is built, commit them in emit order (raw, mangle, nat, filter);
 *   4. a failed commit sends the tables already committed back to their snapshot, then the rule the
 *      kernel refused is looked for in a scratch network namespace, to report it at its file:line.
 * The snapshot cannot simply be committed back: libiptc skips the commit of a handle nobody changed,
 * and the kernel accepts a table only from a handle read from the table it replaces (it compares
 * the entry count and answers EAGAIN; both checked in a namespace), so rollback reads a fresh
 * handle and copies the snapshot's chains, policies, counters and rules into it. */
#define _GNU_SOURCE
#include "iptc.h"

#include "addr.h"
#include "compile.h"
#include "emit.h"
#include "keyword.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libiptc/libiptc.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <xtables.h>

#define IPTC_LOCK_DEFAULT "/run/xtables.lock"   /* iptables' XT_LOCK_NAME; not in its headers */

/* ---- libxtables: initialised once per process, errors caught instead of exiting -------------------- */

/* One entry being built. Lives on the heap, not in automatic variables, because libxtables reports
 * errors through a noreturn callback that we leave with longjmp. */
struct xt_build {
	jmp_buf jb;
	char msg[256];
	struct ipt_entry *fw;               /* the ip header part (heap: its type ends in a flexible array) */
	struct xtables_rule_match *matches; /* what xtables_find_match handed out, in rule order */
	struct xtables_target *target;      /* an extension target, or NULL */
	struct xt_entry_target *std;        /* the standard target (verdict, jump, fall-through) */
};

/* libxtables' exit_err takes no user pointer, so the build in progress is the one piece of global
 * state here; it is set only around calls into libxtables (single-threaded, as libxtables is). */
static struct xt_build *xt_trap;
static bool xt_ready;

static void xt_exit_err(enum xtables_exittype status, const char *msg, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
static void xt_exit_err(enum xtables_exittype status, const char *msg, ...)
{
	va_list ap;
	if (!xt_trap) {
		/* cannot happen: every call into libxtables runs under a trap */
		fputs("shorewall: libxtables error outside a rule\n", stderr);
		abort();
	}
	va_start(ap, msg);
	vsnprintf(xt_trap->msg, sizeof(xt_trap->msg), msg, ap);
	va_end(ap);
	size_t n = strlen(xt_trap->msg);
	while (n && (xt_trap->msg[n - 1] == '\n' || xt_trap->msg[n - 1] == '.'))
		xt_trap->msg[--n] = '\0';
	longjmp(xt_trap->jb, 1);
}

static void build_fail(struct xt_build *b, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void build_fail(struct xt_build *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->msg, sizeof(b->msg), fmt, ap);
	va_end(ap);
	longjmp(b->jb, 1);
}

/* libxtables keeps a pointer to its globals and may write to them (option merging, which we never
 * ask for): they cannot be const. */
static struct option xt_no_opts[] = { { NULL, 0, NULL, 0 } };

static struct xtables_globals xt_globals = {
	.option_offset = 0,
	.program_name = "shorewall",
	.program_version = "1",
	.orig_opts = xt_no_opts,
	.opts = xt_no_opts,
	.exit_err = xt_exit_err,
	.compat_rev = xtables_compatible_revision,
};

/* 0, or -1 with b->msg set. */
static int xt_init(struct xt_build *b)
{
	if (xt_ready)
		return 0;
	xt_trap = b;
	if (setjmp(b->jb)) {
		xt_trap = NULL;
		return -1;
	}
	if (xtables_init_all(&xt_globals, NFPROTO_IPV4) < 0)
		build_fail(b, "cannot initialise libxtables");
	xt_trap = NULL;
	xt_ready = true;
	return 0;
}

/* ---- one rule: argv segments → ipt_entry ---------------------------------------------------------- */

/* "a.b.c.d[/len]" as xtables_ipparse_any gives it (one address, masked, malloc'd), parsed here. */
static bool header_net(const char *arg, struct in_addr *mask, struct in_addr **addrs, unsigned *n)
{
	struct net4 net;
	if (!addr_parse_net(arg, &net))
		return false;
	uint32_t m = net.len ? ~0u << (32 - net.len) : 0;
	*addrs = malloc(sizeof(**addrs));
	if (!*addrs)
		return false;
	(*addrs)->s_addr = htonl(net.addr & m);
	mask->s_addr = htonl(m);
	*n = 1;
	return true;
}

static void parse_header(struct xt_build *b, const char *const *v, size_t i, size_t end)
{
	struct ipt_ip *ip = &b->fw->ip;
	while (i < end) {
		bool inv = false;
		if (strcmp(v[i], "!") == 0) {
			inv = true;
			if (++i >= end)
				build_fail(b, "! without an option");
		}
		if (i + 1 >= end)
			build_fail(b, "option without a value (%s)", v[i]);
		const char *opt = v[i], *arg = v[i + 1];
		if (opt[0] != '-' || !opt[1] || opt[2])
			build_fail(b, "unknown option (%s)", opt);
		struct in_addr *addrs = NULL, mask;
		unsigned n = 0;
		switch (opt[1]) {
		case 'i':
			xtables_parse_interface(arg, ip->iniface, ip->iniface_mask);
			ip->invflags |= inv ? IPT_INV_VIA_IN : 0;
			break;
		case 'o':
			xtables_parse_interface(arg, ip->outiface, ip->outiface_mask);
			ip->invflags |= inv ? IPT_INV_VIA_OUT : 0;
			break;
		case 's':
		case 'd':
			if (header_net(arg, &mask, &addrs, &n))
				;       /* the dotted quad ir_argv prints: no resolver call (getaddrinfo was a fifth of a commit) */
			else
				xtables_ipparse_any(arg, &addrs, &mask, &n);
			if (n != 1) {
				free(addrs);
				build_fail(b, "one address expected (%s)", arg);
			}
			if (opt[1] == 's') {
				ip->src = addrs[0];
				ip->smsk = mask;
				ip->invflags |= inv ? IPT_INV_SRCIP : 0;
			} else {
				ip->dst = addrs[0];
				ip->dmsk = mask;
				ip->invflags |= inv ? IPT_INV_DSTIP : 0;
			}
			free(addrs);
			break;
		case 'p':
			ip->proto = xtables_parse_protocol(arg);
			if (inv && !ip->proto)
				build_fail(b, "rule would never match protocol");
			ip->invflags |= inv ? XT_INV_PROTO : 0;
			break;
		default:
			build_fail(b, "unknown option (%s)", opt);
		}
		i += 2;
	}
}

/* The options of one extension: "[!] --name [value]" runs. x6 extensions take an xt_option_call;
 * the older ones (tcp, set) are called as getopt would call them, optarg and optind included,
 * because some read a second value at argv[optind]. */
struct ext_ref {
	const char *name;
	const struct xt_option_entry *x6_options;
	const struct option *extra_opts;
	bool is_target;
	struct xtables_match *m;
	struct xtables_target *t;
};

/* udp's --sport/--dport with the numbers ir_argv prints ("53", "1024:65535"), written into
 * struct xt_udp here: libxtables resolves every udp port through getaddrinfo, even a number (a
 * sixth of a 12,000-rule commit). False for anything else, which goes through libxtables. */
static bool udp_ports(struct xt_entry_match *m, const char *opt, const char *arg, bool inv)
{
	bool src = strcmp(opt, "sport") == 0 || strcmp(opt, "source-port") == 0;
	if (!src && strcmp(opt, "dport") != 0 && strcmp(opt, "destination-port") != 0)
		return false;
	unsigned long lo = 0, hi;
	const char *p = arg;
	for (; *p >= '0' && *p <= '9'; p++)
		lo = lo * 10 + (unsigned long)(*p - '0');
	if (p == arg || p - arg > 5 || lo > 65535)
		return false;
	hi = lo;
	if (*p == ':') {
		const char *q = ++p;
		hi = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			hi = hi * 10 + (unsigned long)(*p - '0');
		if (p == q || p - q > 5 || hi > 65535 || hi < lo)
			return false;
	}
	if (*p)
		return false;
	struct xt_udp *u = (struct xt_udp *)m->data;
	uint16_t *pts = src ? u->spts : u->dpts;
	pts[0] = (uint16_t)lo;
	pts[1] = (uint16_t)hi;
	if (inv)
		u->invflags |= src ? XT_UDP_INV_SRCPT : XT_UDP_INV_DSTPT;
	return true;
}

static void parse_ext_opts(struct xt_build *b, const struct ext_ref *x, const char *const *v, size_t i, size_t end)
{
	while (i < end) {
		bool inv = false;
		if (strcmp(v[i], "!") == 0) {
			inv = true;
			if (++i >= end)
				build_fail(b, "%s: ! without an option", x->name);
		}
		if (strncmp(v[i], "--", 2) != 0)
			build_fail(b, "%s: unexpected argument (%s)", x->name, v[i]);
		const char *name = v[i] + 2;
		if (!x->is_target && strcmp(x->name, "udp") == 0 && i + 1 < end &&
		    udp_ports(x->m->m, name, v[i + 1], inv)) {
			i += 2;
			continue;
		}
		if (x->x6_options) {
			const struct xt_option_entry *e = x->x6_options;
			while (e->name && strcmp(e->name, name) != 0)
				e++;
			if (!e->name)
				build_fail(b, "%s: unknown option (--%s)", x->name, name);
			struct xt_option_call cb;
			memset(&cb, 0, sizeof(cb));
			cb.entry = e;
			cb.invert = inv;
			cb.ext_name = x->name;
			cb.xt_entry = b->fw;
			if (e->type != XTTYPE_NONE) {
				if (i + 1 >= end)
					build_fail(b, "%s: option --%s needs a value", x->name, name);
				cb.arg = v[++i];
			}
			/* xtables_option_parse tests getopt's optarg, not cb.arg, for a missing value */
			optarg = (char *)cb.arg;
			i++;
			if (x->is_target) {
				cb.data = x->t->t->data;
				cb.xflags = x->t->tflags;
				cb.target = &x->t->t;
				cb.udata = x->t->udata;
				x->t->x6_parse(&cb);
				x->t->tflags = cb.xflags;
			} else {
				cb.data = x->m->m->data;
				cb.xflags = x->m->mflags;
				cb.match = &x->m->m;
				cb.udata = x->m->udata;
				x->m->x6_parse(&cb);
				x->m->mflags = cb.xflags;
			}
			continue;
		}
		const struct option *o = x->extra_opts;
		while (o && o->name && strcmp(o->name, name) != 0)
			o++;
		if (!o || !o->name)
			build_fail(b, "%s: unknown option (--%s)", x->name, name);
		if (o->has_arg == required_argument) {
			if (i + 1 >= end)
				build_fail(b, "%s: option --%s needs a value", x->name, name);
			optarg = (char *)v[i + 1];
			optind = (int)(i + 2);
		} else {
			optarg = NULL;
			optind = (int)(i + 1);
		}
		int ate = x->is_target
			? x->t->parse(o->val, (char **)v, inv, &x->t->tflags, b->fw, &x->t->t)
			: x->m->parse(o->val, (char **)v, inv, &x->m->mflags, b->fw, &x->m->m);
		if (!ate)
			build_fail(b, "%s: option not understood (--%s)", x->name, name);
		i = (size_t)optind;
	}
}

static void add_match(struct xt_build *b, const char *name, const char *const *v, size_t first, size_t count)
{
	struct xtables_match *m = xtables_find_match(name, XTF_TRY_LOAD, &b->matches);
	if (!m)
		build_fail(b, "unknown match (%s)", name);
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + m->size;
	m->m = xtables_calloc(1, size);
	m->m->u.match_size = (uint16_t)size;
	snprintf(m->m->u.user.name, sizeof(m->m->u.user.name), "%s", m->real_name ? m->real_name : m->name);
	m->m->u.user.revision = m->revision;
	m->mflags = 0;
	if (m->udata_size) {
		free(m->udata);
		m->udata = xtables_calloc(1, m->udata_size);
	}
	if (m->init)
		m->init(m->m);
	struct ext_ref x = { name, m->x6_parse ? m->x6_options : NULL, m->extra_opts, false, m, NULL };
	if (count && !m->x6_parse && !m->parse)
		build_fail(b, "%s takes no options", name);
	parse_ext_opts(b, &x, v, first, first + count);
}

/* Verdicts, jumps, gotos and "no target" use the standard target, named by its label: libiptc
 * turns "ACCEPT"/"DROP"/"RETURN" into verdicts and a chain's name into a jump when appending. */
static bool standard_target(const struct ir_target *t)
{
	switch (t->kind) {
	case IRT_NONE: case IRT_ACCEPT: case IRT_DROP: case IRT_RETURN: case IRT_JUMP: case IRT_GOTO:
		return true;
	default:
		return false;
	}
}

static void set_target(struct xt_build *b, const struct ir_rule *r, const struct ir_argv_seg *seg,
		       const char *const *v)
{
	const struct ir_target *t = &r->target;
	if (standard_target(t)) {
		const char *label = t->kind == IRT_NONE ? "" : seg ? seg->module : "";
		size_t size = XT_ALIGN(sizeof(struct xt_standard_target));
		b->std = xtables_calloc(1, size);
		b->std->u.target_size = (uint16_t)size;
		if (strlen(label) >= sizeof(b->std->u.user.name))
			build_fail(b, "chain name too long (%s)", label);
		strcpy(b->std->u.user.name, label);
		if (t->kind == IRT_GOTO)
			b->fw->ip.flags |= IPT_F_GOTO;
		if (seg && seg->count)
			build_fail(b, "%s takes no options", label);
		return;
	}
	if (!seg)
		build_fail(b, "target missing from the rendered rule");
	struct xtables_target *x = xtables_find_target(seg->module, XTF_TRY_LOAD);
	if (!x)
		build_fail(b, "unknown target (%s)", seg->module);
	b->target = x;
	size_t size = XT_ALIGN(sizeof(struct xt_entry_target)) + x->size;
	x->t = xtables_calloc(1, size);
	x->t->u.target_size = (uint16_t)size;
	snprintf(x->t->u.user.name, sizeof(x->t->u.user.name), "%s", x->real_name ? x->real_name : x->name);
	x->t->u.user.revision = x->revision;
	x->tflags = 0;
	if (x->udata_size) {
		free(x->udata);
		x->udata = xtables_calloc(1, x->udata_size);
	}
	if (x->init)
		x->init(x->t);
	struct ext_ref ref = { seg->module, x->x6_parse ? x->x6_options : NULL, x->extra_opts, true, NULL, x };
	if (seg->count && !x->x6_parse && !x->parse)
		build_fail(b, "%s takes no options", seg->module);
	parse_ext_opts(b, &ref, v, seg->first, seg->first + seg->count);
}

/* Compose ipt_entry + matches + target, as iptables lays them out; ms[0..n) in rule order. */
static struct ipt_entry *compose_matches(struct xt_build *b, const struct xt_entry_match *const *ms, size_t n)
{
	struct xt_entry_target *tg = b->target ? b->target->t : b->std;
	size_t size = sizeof(struct ipt_entry);
	for (size_t i = 0; i < n; i++)
		size += ms[i]->u.match_size;
	struct ipt_entry *e = malloc(size + tg->u.target_size);
	if (!e)
		build_fail(b, "out of memory");
	*e = *b->fw;
	e->target_offset = (uint16_t)size;
	e->next_offset = (uint16_t)(size + tg->u.target_size);
	size = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(e->elems + size, ms[i], ms[i]->u.match_size);
		size += ms[i]->u.match_size;
	}
	memcpy(e->elems + size, tg, tg->u.target_size);
	return e;
}

/* The rule's matches as libxtables built them (b->matches). */
static struct ipt_entry *compose(struct xt_build *b)
{
	size_t n = 0;
	for (struct xtables_rule_match *mp = b->matches; mp; mp = mp->next)
		n++;
	const struct xt_entry_match *ms[n ? n : 1];
	n = 0;
	for (struct xtables_rule_match *mp = b->matches; mp; mp = mp->next)
		ms[n++] = mp->match->m;
	return compose_matches(b, ms, n);
}

static void build_cleanup(struct xt_build *b)
{
	xtables_rule_matches_free(&b->matches);
	if (b->target) {
		free(b->target->t);
		b->target->t = NULL;
		b->target = NULL;
	}
	free(b->std);
	b->std = NULL;
}

/* ---- the match cache: one libxtables run per distinct match ----------------------------------------
 *
 * At 100 and 150 zones nearly every rule carries `-m policy --dir in --pol none`, and libxtables
 * parsing and final-checking it again for each of 40,000 rules was half of building the entries.
 * The blob a match segment gives depends only on its module and its options for the modules
 * listed here (their parsers and final checks read nothing but their own data), so the first
 * build of a segment is kept, by its text, and copied into later entries. */
static const struct keyword cached_modules[] = {   /* must stay sorted */
	{ "addrtype", 0, 0 },
	{ "conntrack", 0, 0 },
	{ "hashlimit", 0, 0 },      /* LOGLIMIT's: the same segment on every logging rule */
	{ "policy", 0, 0 },
};

const struct keyword *iptc_cached_match_table(size_t *n)
{
	*n = KW_COUNT(cached_modules);
	return cached_modules;
}

#define MCACHE_KEY_MAX 256          /* longer segments are built each time */
#define MCACHE_SLOTS 32             /* a rule with more match segments is built without the cache */

struct mcache_ent {
	char *key;                  /* module NUL option NUL … (klen bytes), NULL = empty slot */
	size_t klen;
	struct xt_entry_match *blob;
};

struct match_slot;

struct mcache {
	struct mcache_ent *v;
	size_t n, size;             /* size: a power of two, or 0 */
	struct match_slot *slots;   /* [MCACHE_SLOTS], the rule being built (allocated on first use) */
	struct xt_build *spare;     /* the last rule's build, reused by the next */
};

/* The segment's text as a key into buf; 0 when it does not fit. */
static size_t mcache_key(char *buf, const struct ir_argv_seg *seg, const char *const *v)
{
	size_t len = strlen(seg->module) + 1;
	if (len > MCACHE_KEY_MAX)
		return 0;
	memcpy(buf, seg->module, len);
	for (size_t i = seg->first; i < seg->first + seg->count; i++) {
		size_t n = strlen(v[i]) + 1;
		if (len + n > MCACHE_KEY_MAX)
			return 0;
		memcpy(buf + len, v[i], n);
		len += n;
	}
	return len;
}

static size_t mcache_hash(const char *key, size_t len)
{
	size_t h = 14695981039346656037u;       /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211u;
	return h;
}

static struct mcache_ent *mcache_slot(const struct mcache *mc, const char *key, size_t len)
{
	for (size_t i = mcache_hash(key, len) & (mc->size - 1);; i = (i + 1) & (mc->size - 1)) {
		struct mcache_ent *e = &mc->v[i];
		if (!e->key || (e->klen == len && memcmp(e->key, key, len) == 0))
			return e;
	}
}

static const struct xt_entry_match *mcache_find(const struct mcache *mc, const char *key, size_t len)
{
	if (!mc->size)
		return NULL;
	const struct mcache_ent *e = mcache_slot(mc, key, len);
	return e->key ? e->blob : NULL;
}

/* Keep a copy of blob under key (nothing happens when memory runs out: the cache is only a cache). */
static void mcache_add(struct mcache *mc, const char *key, size_t len, const struct xt_entry_match *blob)
{
	if (2 * (mc->n + 1) > mc->size) {
		size_t size = mc->size ? mc->size * 2 : 64;
		struct mcache_ent *v = calloc(size, sizeof(*v));
		if (!v)
			return;
		struct mcache old = *mc;
		mc->v = v;
		mc->size = size;
		for (size_t i = 0; i < old.size; i++)
			if (old.v[i].key)
				*mcache_slot(mc, old.v[i].key, old.v[i].klen) = old.v[i];
		free(old.v);
	}
	struct mcache_ent *e = mcache_slot(mc, key, len);
	if (e->key)
		return;
	char *k = malloc(len);
	struct xt_entry_match *b = malloc(blob->u.match_size);
	if (!k || !b) {
		free(k);
		free(b);
		return;
	}
	memcpy(k, key, len);
	memcpy(b, blob, blob->u.match_size);
	*e = (struct mcache_ent){ k, len, b };
	mc->n++;
}

static void mcache_free(struct mcache *mc)
{
	for (size_t i = 0; i < mc->size; i++) {
		free(mc->v[i].key);
		free(mc->v[i].blob);
	}
	free(mc->v);
	free(mc->slots);
	if (mc->spare) {
		free(mc->spare->fw);
		free(mc->spare);
	}
	memset(mc, 0, sizeof(*mc));
}

/* Where each match of the rule comes from, in rule order: the cache, or libxtables' list. */
struct match_slot {
	const struct xt_entry_match *cached;        /* NULL: built now */
	struct xtables_rule_match *built;
	char key[MCACHE_KEY_MAX];
	size_t klen;                                /* 0: not to be cached */
};

/* compose() for a rule whose matches are listed in slots (some from the cache). */
static struct ipt_entry *compose_slots(struct xt_build *b, const struct match_slot *sl, size_t n)
{
	const struct xt_entry_match *ms[n ? n : 1];
	for (size_t i = 0; i < n; i++)
		ms[i] = sl[i].cached ? sl[i].cached : sl[i].built->match->m;
	return compose_matches(b, ms, n);
}

static struct ipt_entry *rule_entry(const struct ir_rule *r, const struct ir_argv *argv, struct diag *d,
				    struct mcache *mc);

/* A cleared build: the previous rule's when mc kept it (two callocs and frees per rule were a
 * twentieth of building the entries), else a new one; NULL when out of memory. */
static __attribute__((noinline)) struct xt_build *build_new(struct mcache *mc)
{
	struct xt_build *b = mc ? mc->spare : NULL;
	if (b) {
		struct ipt_entry *fw = b->fw;
		mc->spare = NULL;
		memset(b, 0, sizeof(*b));
		memset(fw, 0, sizeof(*fw));
		b->fw = fw;
		return b;
	}
	b = calloc(1, sizeof(*b));
	if (b && !(b->fw = calloc(1, sizeof(*b->fw)))) {
		free(b);
		b = NULL;
	}
	return b;
}

struct ipt_entry *iptc_rule_entry(const struct ir_rule *r, const struct ir_argv *argv, struct diag *d)
{
	return rule_entry(r, argv, d, NULL);
}

/* One rule's entry; mc (may be NULL) supplies and keeps the blobs of cacheable match segments. */
static struct ipt_entry *rule_entry(const struct ir_rule *r, const struct ir_argv *argv, struct diag *d,
				    struct mcache *mc)
{
	struct xt_build *const b = build_new(mc);
	struct ipt_entry *e = NULL;
	if (!b) {
		diag_error(d, &r->loc, "out of memory building a rule of chain %s", r->chain ? r->chain->name : "?");
		return NULL;
	}
	if (xt_init(b) != 0) {
		diag_error(d, &r->loc, "%s", b->msg);
		free(b->fw);
		free(b);
		return NULL;
	}
	xt_trap = b;
	if (setjmp(b->jb)) {
		diag_error(d, &r->loc, "iptables refused rule in chain %s: %s", r->chain ? r->chain->name : "?", b->msg);
		free(e);
		e = NULL;
		goto out;
	}
	const struct ir_argv_seg *target = NULL;
	size_t nmatch = 0;
	for (size_t s = 0; s < argv->nseg; s++)
		nmatch += argv->seg[s].type == IR_SEG_MATCH;
	struct mcache *cache = nmatch <= MCACHE_SLOTS ? mc : NULL;
	if (cache && !cache->slots && !(cache->slots = malloc(MCACHE_SLOTS * sizeof(*cache->slots))))
		cache = NULL;
	struct match_slot *sl = cache ? cache->slots : NULL;
	size_t ns = 0;
	for (size_t s = 0; s < argv->nseg; s++) {
		const struct ir_argv_seg *seg = &argv->seg[s];
		switch (seg->type) {
		case IR_SEG_HEADER:
			parse_header(b, argv->v, seg->first, seg->first + seg->count);
			break;
		case IR_SEG_MATCH:
			if (cache) {
				struct match_slot *m = &sl[ns++];
				m->cached = NULL;
				m->built = NULL;
				m->klen = KW_FIND(cached_modules, seg->module) ? mcache_key(m->key, seg, argv->v) : 0;
				if (m->klen && (m->cached = mcache_find(cache, m->key, m->klen)))
					break;
			}
			add_match(b, seg->module, argv->v, seg->first, seg->count);
			if (cache) {
				struct xtables_rule_match *last = b->matches;
				while (last->next)
					last = last->next;
				sl[ns - 1].built = last;
			}
			break;
		case IR_SEG_TARGET:
			target = seg;
			break;
		}
	}
	set_target(b, r, target, argv->v);
	/* the final checks iptables makes once every option is in */
	for (struct xtables_rule_match *mp = b->matches; mp; mp = mp->next)
		xtables_option_mfcall(mp->match);
	if (b->target)
		xtables_option_tfcall(b->target);
	if (cache) {
		for (size_t i = 0; i < ns; i++)
			if (!sl[i].cached && sl[i].klen)
				mcache_add(cache, sl[i].key, sl[i].klen, sl[i].built->match->m);
		e = compose_slots(b, sl, ns);
	} else {
		e = compose(b);
	}
out:
	build_cleanup(b);
	xt_trap = NULL;
	if (mc && !mc->spare) {
		mc->spare = b;
	} else {
		free(b->fw);
		free(b);
	}
	return e;
}

/* ---- the transaction --------------------------------------------------------------------------- */

struct iptc_built {                     /* one appended rule, kept to find a refused one later */
	const struct ir_rule *rule;
	struct ipt_entry *e;
};

struct iptc_table {
	bool active;                        /* part of this transaction */
	bool committed;
	struct xtc_handle *snap, *work;
	struct iptc_built *rules;
	size_t n, cap;
	size_t nchains;                     /* user chains created in work */
	bool indexed;                       /* index_chains ran for work */
};

struct iptc_session {
	const struct ruleset *rs;
	struct diag *d;
	struct iptc_options opt;
	int lock_fd;
	unsigned errors;
	bool retry;                         /* the first commit met EAGAIN: start over */
	struct iptc_table tab[IR_TABLE_COUNT];
	struct mcache mc;                   /* match blobs by segment text (rule_entry) */
};

static const char *tname(enum ir_table t)
{
	return ir_table_name(t);
}

/* libiptc takes chain names and policies as xt_chainlabel arrays (32 bytes, and may read them
 * whole): hand it a full-size copy, never a shorter string. Longer names were refused earlier
 * (ir_validate), and are cut here rather than read past. */
struct label {
	xt_chainlabel s;
};

static struct label L(const char *name)
{
	/* snprintf's truncation, without its cost (two labels per appended rule) */
	struct label l;
	size_t n = 0;
	while (n < sizeof(l.s) - 1 && name[n])
		n++;
	memset(&l, 0, sizeof(l));
	memcpy(l.s, name, n);
	return l;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* iptables' lock, so no iptables-legacy run interleaves with the transaction. */
static int lock_take(struct iptc_session *s)
{
	const char *path = getenv("XTABLES_LOCKFILE");
	if (!path || !*path)
		path = IPTC_LOCK_DEFAULT;
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		diag_error(s->d, NULL, "Can't open the xtables lock (%s): %s", path, strerror(errno));
		return -1;
	}
	long long deadline = now_ms() + (s->opt.wait_ms ? s->opt.wait_ms : 10000);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || now_ms() >= deadline) {
			diag_error(s->d, NULL, "Another process holds the xtables lock (%s)", path);
			close(fd);
			return -1;
		}
		sleep_ms(20);
	}
	s->lock_fd = fd;
	return 0;
}

/* iptc_init, retried while the table is being replaced by someone else (EAGAIN). */
static struct xtc_handle *table_open(struct iptc_session *s, enum ir_table t)
{
	long long deadline = now_ms() + (s->opt.wait_ms ? s->opt.wait_ms : 10000);
	for (;;) {
		struct xtc_handle *h = iptc_init(tname(t));
		if (h)
			return h;
		if (errno != EAGAIN || now_ms() >= deadline) {
			diag_error(s->d, NULL, "can't initialize iptables table `%s': %s", tname(t), iptc_strerror(errno));
			return NULL;
		}
		sleep_ms(20);
	}
}

/* Tables the kernel of this network namespace holds now (legacy x_tables). */
static unsigned kernel_tables(void)
{
	unsigned bits = 0;
	char line[64];
	FILE *fp = fopen("/proc/net/ip_tables_names", "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		for (int t = 0; t < IR_TABLE_COUNT; t++)
			if (strcmp(line, tname((enum ir_table)t)) == 0)
				bits |= 1u << t;
	}
	fclose(fp);
	return bits;
}

/* Empty a handle: every chain flushed, user chains deleted, builtin policies ACCEPT. 0, or -1
 * with errno set by libiptc. */
static int table_empty(struct xtc_handle *h)
{
	size_t n = 0, cap = 0;
	char **names = NULL;
	int rc = 0;
	for (const char *c = iptc_first_chain(h); c; c = iptc_next_chain(h)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				rc = -1;
				goto out;
			}
			names = nn;
		}
		if (!(names[n] = strdup(c))) {
			rc = -1;
			goto out;
		}
		n++;
	}
	/* flush first: a user chain can be deleted only once no rule jumps to it */
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!iptc_flush_entries(L(names[i]).s, h))
			rc = -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (iptc_builtin(names[i], h) ? !iptc_set_policy(L(names[i]).s, L(IPTC_LABEL_ACCEPT).s, NULL, h)
					     : !iptc_delete_chain(L(names[i]).s, h))
			rc = -1;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int table_reset(struct iptc_session *s, struct xtc_handle *h, enum ir_table t)
{
	if (table_empty(h) == 0)
		return 0;
	diag_error(s->d, NULL, "can't reset iptables table `%s': %s", tname(t), iptc_strerror(errno));
	return -1;
}

static int o_begin(void *ctx, const struct ruleset *rs)
{
	struct iptc_session *s = ctx;
	struct xt_build b;
	memset(&b, 0, sizeof(b));
	if (xt_init(&b) != 0) {
		diag_error(s->d, NULL, "%s", b.msg);
		return -1;
	}
	if (lock_take(s) != 0)
		return -1;
	unsigned present = kernel_tables();
	for (int i = 0; i < IR_TABLE_COUNT; i++) {
		enum ir_table t = (enum ir_table)i;
		struct iptc_table *tb = &s->tab[t];
		tb->active = t == IR_FILTER || ir_table_used(rs, t) || (present & (1u << t));
		if (!tb->active)
			continue;
		if (!(tb->snap = table_open(s, t)) || !(tb->work = table_open(s, t)))
			return -1;
		if (table_reset(s, tb->work, t) != 0)
			return -1;
	}
	return 0;
}

static int chain_name_cmp(const void *a, const void *b)
{
	const struct ir_chain *x = *(const struct ir_chain *const *)a, *y = *(const struct ir_chain *const *)b;
	return strcmp(x->name, y->name);
}

/* Table t's user chains, created before its chains are walked. libiptc keeps them sorted by name
 * and looks for a new one's place from the index bucket its name falls in; created in emit order
 * (by name), every chain went after all the others, a walk through each chain created since the
 * index was last rebuilt (a seventh of the commit at 150 zones, 3,700 chains). In reverse name
 * order each goes in front at once; libiptc's table is the same either way. Refusals are still
 * reported in name order. */
static int o_table(void *ctx, enum ir_table t)
{
	struct iptc_session *s = ctx;
	struct iptc_table *tb = &s->tab[t];
	const struct ruleset *rs = s->rs;
	size_t n = 0;
	const struct ir_chain **v = malloc((rs->chains[t].n + 1) * sizeof(*v));
	int *err = malloc((rs->chains[t].n + 1) * sizeof(*err));
	if (!v || !err) {
		free(v);
		free(err);
		diag_error(s->d, NULL, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < rs->chains[t].n; i++)
		if (!rs->chains[t].v[i]->deleted && !rs->chains[t].v[i]->builtin)
			v[n++] = rs->chains[t].v[i];
	qsort(v, n, sizeof(*v), chain_name_cmp);
	for (size_t i = n; i-- > 0; )
		err[i] = iptc_create_chain(L(v[i]->name).s, tb->work) ? 0 : errno;
	for (size_t i = 0; i < n; i++) {
		if (!err[i]) {
			tb->nchains++;
			continue;
		}
		diag_error(s->d, &v[i]->loc, "iptables refused chain %s: %s", v[i]->name, iptc_strerror(err[i]));
		s->errors++;
	}
	free(v);
	free(err);
	return 0;
}

/* Builtin chains take their policy; user chains were created by o_table. */
static int o_chain(void *ctx, const struct ir_chain *ch)
{
	struct iptc_session *s = ctx;
	struct xtc_handle *h = s->tab[ch->table].work;
	if (!ch->builtin)
		return 0;
	if (!iptc_set_policy(L(ch->name).s, L(ch->policy == IR_POLICY_DROP ? IPTC_LABEL_DROP : IPTC_LABEL_ACCEPT).s, NULL, h)) {
		diag_error(s->d, &ch->loc, "iptables refused chain %s: %s", ch->name, iptc_strerror(errno));
		s->errors++;
	}
	return 0;
}

/* libiptc finds a chain by name for every appended rule (and a jump's target again) through an
 * index it rebuilds only once more than 355 chains were created since the table was read: for a
 * fresh ruleset of a few hundred chains every look-up is a linear strcmp walk, two thirds of
 * iptc_append_entry's time. Creating that many scratch chains (named after every real one) and
 * deleting them again makes it rebuild the index over the real chains; the table is left as it
 * was. Beyond 355 chains libiptc has rebuilt the index itself, but only over the chains created
 * before its last rebuild: the up to 355 created since sit unindexed in the walks, so the scratch
 * chains still pay (at 150 zones, 3,700 chains: iptc_append_entry 208 → 118 million instructions,
 * the scratch chains a fraction of that). Returns -1 (reported) if a scratch chain cannot be
 * deleted. */
#define INDEX_SCRATCH 360
static int index_chains(struct iptc_session *s, struct iptc_table *tb, const struct loc *loc)
{
	tb->indexed = true;
	if (tb->nchains < 64)
		return 0;           /* few chains: short walks */
	char name[32];
	int made = 0;
	for (; made < INDEX_SCRATCH; made++) {
		snprintf(name, sizeof(name), "~~~swc-index%03d", made);
		if (iptc_is_chain(name, tb->work) || !iptc_create_chain(L(name).s, tb->work))
			break;
	}
	while (made-- > 0) {
		snprintf(name, sizeof(name), "~~~swc-index%03d", made);
		if (!iptc_delete_chain(L(name).s, tb->work)) {
			diag_error(s->d, loc, "libiptc kept its scratch chain %s: %s", name, iptc_strerror(errno));
			s->errors++;
			return -1;
		}
	}
	return 0;
}

static int o_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct iptc_session *s = ctx;
	struct iptc_table *tb = &s->tab[r->chain->table];
	if (!tb->indexed && index_chains(s, tb, &r->loc) != 0)
		return -1;
	struct ipt_entry *e = rule_entry(r, argv, s->d, &s->mc);
	if (!e) {
		/* reported; keep going so one run names every bad rule */
		s->errors++;
		return 0;
	}
	if (!iptc_append_entry(L(r->chain->name).s, e, tb->work)) {
		diag_error(s->d, &r->loc, "iptables refused rule in chain %s: %s", r->chain->name, iptc_strerror(errno));
		s->errors++;
		free(e);
		return 0;
	}
	if (tb->n == tb->cap) {
		size_t cap = tb->cap ? tb->cap * 2 : 256;
		struct iptc_built *v = realloc(tb->rules, cap * sizeof(*v));
		if (!v) {
			free(e);
			diag_error(s->d, &r->loc, "out of memory");
			return -1;
		}
		tb->rules = v;
		tb->cap = cap;
	}
	tb->rules[tb->n++] = (struct iptc_built){ r, e };
	return 0;
}

/* Make h hold what snap held: chains, policies with their counters, rules with theirs. */
static int table_copy(struct xtc_handle *snap, struct xtc_handle *h)
{
	for (const char *c = iptc_first_chain(snap); c; c = iptc_next_chain(snap)) {
		if (iptc_builtin(c, snap)) {
			struct xt_counters cnt;
			const char *pol = iptc_get_policy(c, &cnt, snap);
			if (!pol || !iptc_set_policy(L(c).s, L(pol).s, &cnt, h))
				return -1;
		} else if (!iptc_create_chain(L(c).s, h)) {
			return -1;
		}
	}
	for (const char *c = iptc_first_chain(snap); c; c = iptc_next_chain(snap))
		for (const struct ipt_entry *e = iptc_first_rule(c, snap); e; e = iptc_next_rule(e, snap)) {
			struct ipt_entry *copy = malloc(e->next_offset);
			if (!copy)
				return -1;
			memcpy(copy, e, e->next_offset);
			/* a standard target read from the kernel holds a verdict or offset; libiptc
			 * re-resolves it from the label, as iptables-save prints it */
			struct xt_entry_target *tg = ipt_get_target(copy);
			if (!tg->u.user.name[0]) {
				const char *label = iptc_get_target(e, snap);
				snprintf(tg->u.user.name, sizeof(tg->u.user.name), "%s", label ? label : "");
			}
			int ok = iptc_append_entry(L(c).s, copy, h);
			free(copy);
			if (!ok)
				return -1;
		}
	return 0;
}

/* Give table t its snapshot back (it was committed with the new ruleset). */
static int table_rollback(struct iptc_session *s, enum ir_table t)
{
	struct xtc_handle *h = table_open(s, t);
	int rc = -1;
	if (!h)
		return -1;
	if (table_reset(s, h, t) == 0 && table_copy(s->tab[t].snap, h) == 0 && iptc_commit(h))
		rc = 0;
	if (rc)
		diag_error(s->d, NULL, "rollback of iptables table `%s' failed: %s: the kernel holds a mix of old and new rules",
			   tname(t), iptc_strerror(errno));
	iptc_free(h);
	return rc;
}

/* ---- which rule did the kernel refuse? --------------------------------------------------------------- */

/* Replay the table's first k rules (all its user chains created) into the scratch namespace this
 * process is in; true if the kernel accepts them. */
static bool trial(const struct iptc_session *s, enum ir_table t, size_t k)
{
	struct xtc_handle *h = iptc_init(tname(t));
	bool ok = false;
	if (!h)
		return false;
	const struct ruleset *rs = s->rs;
	if (table_empty(h) != 0)            /* the previous trial's table */
		goto out;
	for (size_t i = 0; i < rs->chains[t].n; i++) {
		const struct ir_chain *ch = rs->chains[t].v[i];
		if (!ch->deleted && !ch->builtin && !iptc_create_chain(L(ch->name).s, h))
			goto out;
	}
	for (size_t i = 0; i < k; i++)
		if (!iptc_append_entry(L(s->tab[t].rules[i].rule->chain->name).s, s->tab[t].rules[i].e, h))
			goto out;
	ok = iptc_commit(h) != 0;
out:
	iptc_free(h);
	return ok;
}

/* The index of the first rule whose addition makes the kernel refuse table t, found by bisection
 * in a child process moved into a network namespace of its own, so the live tables are never
 * touched; SIZE_MAX if the table's rules alone do not explain it.
 * XXX a rule naming an ipset or helper that exists only in the live namespace looks refused here. */
static size_t find_refused(const struct iptc_session *s, enum ir_table t)
{
	int fds[2];
	size_t found = SIZE_MAX;
	if (pipe(fds) != 0)
		return SIZE_MAX;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return SIZE_MAX;
	}
	if (pid == 0) {
		size_t lo = 0, hi = s->tab[t].n, res = SIZE_MAX;
		close(fds[0]);
		if (unshare(CLONE_NEWNET) == 0 && trial(s, t, lo) && !trial(s, t, hi)) {
			while (hi - lo > 1) {               /* invariant: lo accepted, hi refused */
				size_t mid = lo + (hi - lo) / 2;
				if (trial(s, t, mid))
					lo = mid;
				else
					hi = mid;
			}
			res = hi - 1;
		}
		ssize_t w = write(fds[1], &res, sizeof(res));
		_exit(w == (ssize_t)sizeof(res) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &found, sizeof(found)) != (ssize_t)sizeof(found))
		found = SIZE_MAX;
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return found < s->tab[t].n ? found : SIZE_MAX;
}

static void report_refused(struct iptc_session *s, enum ir_table t, const char *why)
{
	size_t i = find_refused(s, t);
	if (i == SIZE_MAX) {
		diag_error(s->d, NULL, "iptables refused table %s: %s", tname(t), why);
		return;
	}
	const struct ir_rule *r = s->tab[t].rules[i].rule;
	/* the kernel says only EINVAL (its reason goes to the kernel log): show the rule itself */
	struct ir_argv argv;
	char text[512];
	size_t used = 0;
	ir_argv_init(&argv);
	ir_argv_render(&argv, r);
	text[0] = '\0';
	for (size_t k = 0; k < argv.n && used < sizeof(text); k++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", k ? " " : "", argv.v[k]);
	ir_argv_fini(&argv);
	diag_error(s->d, &r->loc, "iptables refused rule in chain %s: %s (%s)", r->chain->name, why, text);
}

static int o_end(void *ctx)
{
	struct iptc_session *s = ctx;
	if (s->errors)
		return -1;
	if (s->opt.dry_run)
		return 0;
	for (int i = 0; i < IR_TABLE_COUNT; i++) {
		enum ir_table t = (enum ir_table)i;
		struct iptc_table *tb = &s->tab[t];
		if (!tb->active)
			continue;
		bool injected = s->opt.fail_commit & (1u << t);
		if (!injected && iptc_commit(tb->work)) {
			tb->committed = true;
			continue;
		}
		int err = injected ? EIO : errno;
		char why[256];
		snprintf(why, sizeof(why), "%s", injected ? "injected failure" : iptc_strerror(err));
		bool any = false;
		for (int j = i - 1; j >= 0; j--)
			if (s->tab[j].committed) {
				any = true;
				if (table_rollback(s, (enum ir_table)j) == 0)
					s->tab[j].committed = false;
			}
		if (err == EAGAIN && !any) {
			s->retry = true;            /* the table changed under us; nothing applied yet */
			return -1;
		}
		if (injected)
			diag_error(s->d, NULL, "commit of iptables table %s failed: %s", tname(t), why);
		else
			report_refused(s, t, why);
		return -1;
	}
	return 0;
}

static const struct emitter_ops iptc_emitter = {
	.name = "iptc",
	.begin = o_begin,
	.table = o_table,
	.chain = o_chain,
	.rule = o_rule,
	.end = o_end,
};

static void session_fini(struct iptc_session *s)
{
	for (int t = 0; t < IR_TABLE_COUNT; t++) {
		struct iptc_table *tb = &s->tab[t];
		if (tb->snap)
			iptc_free(tb->snap);
		if (tb->work)
			iptc_free(tb->work);
		for (size_t i = 0; i < tb->n; i++)
			free(tb->rules[i].e);
		free(tb->rules);
		memset(tb, 0, sizeof(*tb));
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
	mcache_free(&s->mc);
}

int iptc_apply(const struct ruleset *rs, struct diag *d, const struct iptc_options *opt)
{
	struct iptc_session s;
	int rc = -1;
	for (unsigned attempt = 0; attempt < 3; attempt++) {
		memset(&s, 0, sizeof(s));
		s.rs = rs;
		s.d = d;
		s.lock_fd = -1;
		if (opt)
			s.opt = *opt;
		rc = emit_ruleset(rs, &iptc_emitter, &s);
		session_fini(&s);
		if (rc == 0 || !s.retry)
			break;
		sleep_ms(50);
	}
	if (rc != 0 && s.retry)
		diag_error(d, NULL, "iptables tables kept changing while being replaced (%s)", iptc_strerror(EAGAIN));
	return rc;
}
