/* rules.c — the rules file, read and checked: actions, zones, hosts, protocols, ports, rates.
 *
 * Turning rules into chains is the rules compiler's job (a later issue). This parser guarantees
 * that whatever reaches it made sense column by column and against the zones, interfaces and
 * policies read before: every rule pushed to c->graph->rules passed every check. */
#include "parsers.h"
#include "rules.h"

#include "compile.h"
#include "graph.h"
#include "loglevel.h"
#include "macro_names.h"
#include "netcheck.h"
#include "rate.h"
#include "rule_typed.h"
#include "source.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* What a target takes and means (keyword flags). */
enum {
	TF_PARAM = 1 << 0,          /* accepts (parameters) */
	TF_NAT = 1 << 1,            /* DNAT, REDIRECT: DEST names the server */
	TF_NATONLY = 1 << 2,        /* DNAT-, REDIRECT-, NONAT, HELPER: no filter rule; DEST zone optional */
	TF_LOGRULE = 1 << 3,        /* LOG: needs a level */
	TF_NFLOG = 1 << 4,          /* NFLOG(…), ULOG(…): the action is itself a level */
	TF_NFQ = 1 << 5,            /* NFQUEUE(queue…) */
	TF_REDIRECT = 1 << 6,       /* DEST is a port on the firewall */
	TF_REJECT = 1 << 7,         /* REJECT(option) */
	TF_ACTION = 1 << 8,         /* an action body: any parameters, PROTO may come from it */
	TF_MACRO = 1 << 9,          /* a macro: PROTO/ports may come from it */
	TF_SET = 1 << 10,           /* ADD/DEL(set:flags) */
	TF_TARPIT = 1 << 11,        /* tcp only */
	TF_BLRULES = 1 << 12,       /* blrules file only */
	TF_NATRULE = 1 << 13,       /* ACCEPT+: a nat-table rule too (NONAT's), built as the nat forms are */
};

/* Shorewall 5.2.8's builtin targets (Chains.pm %targets). */
static const struct keyword targets[] = {       /* must stay sorted */
	{ "ACCEPT", 0, 0 },
	{ "ACCEPT!", 0, 0 },
	{ "ACCEPT+", 0, TF_NATRULE },
	{ "ADD", 0, TF_PARAM | TF_SET },
	{ "AUDIT", 0, TF_PARAM },
	{ "A_ACCEPT", 0, 0 },
	{ "A_ACCEPT!", 0, 0 },
	{ "A_ACCEPT+", 0, 0 },
	{ "A_DROP", 0, 0 },
	{ "A_DROP!", 0, 0 },
	{ "CONNMARK", 0, TF_PARAM },
	{ "CONTINUE", 0, 0 },
	{ "CONTINUE!", 0, 0 },
	{ "COUNT", 0, 0 },
	{ "DEL", 0, TF_PARAM | TF_SET },
	{ "DNAT", 0, TF_PARAM | TF_NAT },
	{ "DNAT-", 0, TF_NAT | TF_NATONLY },
	{ "DROP", 0, 0 },
	{ "DROP!", 0, 0 },
	{ "HELPER", 0, TF_NATONLY },
	{ "INLINE", 0, TF_PARAM | TF_ACTION },
	{ "IPTABLES", 0, TF_PARAM | TF_ACTION },
	{ "LOG", 0, TF_PARAM | TF_LOGRULE },
	{ "MARK", 0, TF_PARAM },
	{ "NFLOG", 0, TF_PARAM | TF_NFLOG },
	{ "NFQUEUE", 0, TF_PARAM | TF_NFQ },
	{ "NFQUEUE!", 0, TF_NFQ },
	{ "NONAT", 0, TF_NATONLY },
	{ "QUEUE", 0, 0 },               /* no parameter (5.2.8 would write -j QUEUE(n)) */
	{ "QUEUE!", 0, 0 },
	{ "REDIRECT", 0, TF_PARAM | TF_NAT | TF_REDIRECT },
	{ "REDIRECT-", 0, TF_NAT | TF_NATONLY | TF_REDIRECT },
	{ "REJECT", 0, TF_PARAM | TF_REJECT },
	{ "REJECT!", 0, TF_PARAM | TF_REJECT },
	{ "TARPIT", 0, TF_PARAM | TF_TARPIT },
	{ "ULOG", 0, TF_PARAM | TF_NFLOG },
	{ "WHITELIST", 0, TF_BLRULES },
};

/* REJECT(option); value 1 = a TCP reset, which needs PROTO tcp. */
static const struct keyword reject_options[] = {        /* must stay sorted */
	{ "icmp-admin-prohibited", 0, 0 },
	{ "icmp-host-prohibited", 0, 0 },
	{ "icmp-host-unreachable", 0, 0 },
	{ "icmp-net-prohibited", 0, 0 },
	{ "icmp-net-unreachable", 0, 0 },
	{ "icmp-port-unreachable", 0, 0 },
	{ "icmp-proto-unreachable", 0, 0 },
	{ "icmp-tcp-reset", 1, 0 },
	{ "tcp-reset", 1, 0 },
};

/* AUDIT(type) and TARPIT(mode). */
static const struct keyword audit_types[] = {   /* must stay sorted */
	{ "accept", 0, 0 },
	{ "drop", 0, 0 },
	{ "reject", 0, 0 },
};

static const struct keyword tarpit_modes[] = {  /* must stay sorted */
	{ "honeypot", 0, 0 },
	{ "reset", 0, 0 },
	{ "tarpit", 0, 0 },
};

/* What may follow `all`/`any` in SOURCE and DEST. */
enum { WM_PLUS = 1, WM_NOFW = 2 };
static const struct keyword wild_modifiers[] = {        /* must stay sorted */
	{ "", 0, 0 },
	{ "+", WM_PLUS, 0 },                            /* intra-zone pairs too */
	{ "+-", WM_PLUS | WM_NOFW, 0 },
	{ "-", WM_NOFW, 0 },                            /* without the firewall (deprecated) */
	{ "-+", WM_PLUS | WM_NOFW, 0 },
};

const struct keyword *rules_wild_modifier_table(size_t *n)
{
	*n = KW_COUNT(wild_modifiers);
	return wild_modifiers;
}

const struct keyword *rules_audit_table(size_t *n)
{
	*n = KW_COUNT(audit_types);
	return audit_types;
}

const struct keyword *rules_tarpit_table(size_t *n)
{
	*n = KW_COUNT(tarpit_modes);
	return tarpit_modes;
}

const struct keyword *rules_target_table(size_t *n)
{
	*n = KW_COUNT(targets);
	return targets;
}

const struct keyword *rules_reject_table(size_t *n)
{
	*n = KW_COUNT(reject_options);
	return reject_options;
}

/* ---- the ACTION column ------------------------------------------------------------------------------ */

/* Split at ':' outside parentheses (log levels such as NFLOG(1,0,1) carry commas, not colons,
 * but parameters may carry colons: NFQUEUE(1:3)). Returns the number of parts, at most max;
 * more is reported by the caller as a bad action. */
static size_t split_colons(struct arena *a, const char *s, const char **parts, size_t max)
{
	if (!strchr(s, ':')) {
		parts[0] = s;   /* the usual ACTION: no level, nothing to cut */
		return 1;
	}
	size_t n = 0;
	int depth = 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		if (!*p || (*p == ':' && depth == 0)) {
			if (n < max)
				parts[n] = arena_strndup(a, start, (size_t)(p - start));
			n++;
			if (!*p)
				break;
			start = p + 1;
		}
	}
	return n;
}

/* NAME(PARAM) or the 2.x NAME/PARAM: base name and parameter (NULL when none). */
static void target_param(struct arena *a, const char *act, const char **base, const char **param)
{
	const char *slash = strchr(act, '/');
	const char *paren = strchr(act, '(');
	size_t len = strlen(act);
	if (slash && (!paren || slash < paren)) {
		*base = arena_strndup(a, act, (size_t)(slash - act));
		*param = slash + 1;
	} else if (paren && len && act[len - 1] == ')') {
		*base = arena_strndup(a, act, (size_t)(paren - act));
		*param = arena_strndup(a, paren + 1, len - (size_t)(paren - act) - 2);
	} else {
		*base = act;
		*param = NULL;
	}
}

/* Flags of a base action name, or -1 when nothing of that name exists; *target: 1 + its position
 * in targets when it is a builtin one, else 0. */
static int action_flags(struct compile *c, const char *base, uint8_t *target)
{
	const struct keyword *k = KW_FIND(targets, base);
	*target = k ? (uint8_t)(k - targets + 1) : 0;
	if (k)
		return (int)k->flags;
	if (builtin_action_known(base))
		return TF_ACTION | TF_PARAM;
	if (macro_name_known(base) || macro_file_exists(c, "macro", base))
		return TF_MACRO | TF_PARAM;
	if (macro_file_exists(c, "action", base))
		return TF_ACTION | TF_PARAM;
	return -1;
}

/* Action names already resolved, by their first byte (a file names a handful of actions, tens of
 * thousands of times: one string compare instead of the table search and the file look-ups). */
struct action_memo {
	const char *name;           /* NULL: empty slot */
	int flags;
	uint8_t target;
};
#define ACTION_MEMO 8

/* What lasts the whole file. */
struct rules_parse {
	struct arena *tmp;          /* the checks' scratch: emptied after each row */
	struct rule_typed_file *file;   /* where typed lines' records go (rule_typed.h) */
	bool typed_any;             /* a record was made: the file's arenas go to the builder */
	struct action_memo memo[ACTION_MEMO];
};

struct rule_ctx {
	struct compile *c;
	struct rules_parse *p;
	const struct loc *loc;
	struct rule *ru;
	int flags;                  /* of the effective target (a macro's parameter when it is one) */
	const char *param;          /* the target's own parameter */
	uint8_t target;             /* 1 + ACTION's position in targets; 0: not a builtin target */
	bool ok;
	struct arena *tmp;          /* what only the checks look at: emptied after each row */
	/* Where what the checks read of SOURCE and DEST is kept for the builder (rule_typed.h);
	 * NULL: the line is not one to keep it for. typed false: something in it the builder must
	 * read (and report) itself. */
	struct arena *home;
	bool typed;
};

/* A macro's parameter is the action its body's PARAM stands for: ACCEPT, DROP:info, DNAT, … */
static int check_macro_param(struct rule_ctx *x, const char *param)
{
	struct compile *c = x->c;
	const char *parts[3];
	size_t n = split_colons(x->tmp, param, parts, 3);
	if (n > 3 || !*parts[0]) {
		diag_error(c->diag, x->loc, "Invalid ACTION (%s)", param);
		x->ok = false;
		return -1;
	}
	const char *base, *p;
	uint8_t target;
	target_param(x->tmp, parts[0], &base, &p);
	int f = action_flags(c, base, &target);
	if (f < 0 || (f & TF_MACRO)) {
		diag_error(c->diag, x->loc, "Unknown ACTION (%s)", parts[0]);
		x->ok = false;
		return -1;
	}
	const char *lvl;
	if (n > 1 && *parts[1] && !loglevel_parse(c, x->loc, parts[1], &lvl))
		x->ok = false;
	return f;
}

static bool check_action(struct rule_ctx *x, const char *text)
{
	struct compile *c = x->c;
	struct rule *ru = x->ru;
	const char *parts[3];
	size_t n = split_colons(c->arena, text, parts, 3);     /* kept: the action and its level */
	if (n > 3 || !*parts[0]) {
		diag_error(c->diag, x->loc, "Invalid ACTION (%s)", text);
		return false;
	}
	const char *act = parts[0], *base, *param;
	target_param(c->arena, act, &base, &param);
	/* base is the column's text or a copy in the compile's arena: it outlives the file */
	struct action_memo *memo = &x->p->memo[(unsigned char)base[0] % ACTION_MEMO];
	if (!memo->name || strcmp(memo->name, base) != 0) {
		memo->flags = action_flags(c, base, &memo->target);
		memo->name = base;
	}
	int f = memo->flags;
	x->target = memo->target;
	if (f < 0) {
		diag_error(c->diag, x->loc, "Unknown ACTION (%s)", act);
		return false;
	}
	ru->action = base;
	x->flags = f;
	x->param = param;
	if (n > 1 && *parts[1] && !loglevel_parse(c, x->loc, parts[1], &ru->loglevel))
		x->ok = false;

	if (f & TF_MACRO) {
		if (param && strcmp(param, "PARAM") != 0) {
			ru->macro_param = param;
			int pf = check_macro_param(x, param);
			/* SSH(DNAT) is a DNAT rule: its DEST is read as one. */
			if (pf >= 0 && !(pf & TF_ACTION))
				x->flags = TF_MACRO | (pf & (TF_NAT | TF_NATONLY | TF_REDIRECT));
		}
		return true;
	}
	if (param && !(f & TF_PARAM)) {
		diag_error(c->diag, x->loc, "The %s TARGET does not accept a parameter", base);
		x->ok = false;
	}
	if (f & TF_BLRULES) {
		diag_error(c->diag, x->loc, "'%s' may only be used in the blrules file", base);
		x->ok = false;
	}
	if ((f & TF_LOGRULE) && !(n > 1 && *parts[1])) {
		diag_error(c->diag, x->loc, "LOG requires a log level");
		x->ok = false;
	}
	if (f & TF_NFLOG) {
		/* NFLOG(1,0,1) as an action is LOG at level NFLOG(1,0,1). */
		const char *lvl;
		if (!loglevel_parse(c, x->loc, act, &lvl))
			x->ok = false;
		else if (!ru->loglevel)
			ru->loglevel = lvl;
	}
	if (f & TF_NFQ) {
		unsigned q, m;
		bool bypass;
		if (!netcheck_nfqueue(c, x->loc, param, &q, &m, &bypass))
			x->ok = false;
	}
	if ((f & TF_REJECT) && param && !KW_FIND(reject_options, param)) {
		diag_error(c->diag, x->loc, "Invalid REJECT option (%s)", param);
		x->ok = false;
	}
	if ((f & TF_SET) && (!param || !*param)) {
		diag_error(c->diag, x->loc, "%s rules require a set name parameter", base);
		x->ok = false;
	}
	if (strcmp(base, "AUDIT") == 0 && param && !KW_FIND(audit_types, param)) {
		diag_error(c->diag, x->loc, "Invalid AUDIT type (%s) -- must be 'accept', 'drop' or 'reject'", param);
		x->ok = false;
	}
	if ((f & TF_TARPIT) && param && !KW_FIND(tarpit_modes, param)) {
		diag_error(c->diag, x->loc, "TARPIT Parameter must be 'tarpit', 'honeypot' or 'reset'");
		x->ok = false;
	}
	return true;
}

/* ---- SOURCE and DEST -------------------------------------------------------------------------------- */

/* Addresses in a SOURCE/DEST qualifier: networks, ranges, +ipsets and ~MACs, with one `!`
 * exclusion list; read into sd when it is not NULL (a MAC only where the builder takes one: a
 * SOURCE's, not excluded; elsewhere the builder reads the text and reports it). */
static bool check_addresses(struct rule_ctx *x, const char *text, bool dest, struct rule_side *sd)
{
	struct compile *c = x->c;
	const char *bang = strchr(text, '!');
	bool ok = true;
	VEC(const uint8_t *) macs = { NULL, 0, 0 };
	for (int part = 0; part < 2; part++) {
		if (part == 1 && !bang)
			break;
		const char *s = part == 0 ? text : bang + 1;
		size_t len = part == 0 ? (bang ? (size_t)(bang - text) : strlen(text)) : strlen(s);
		if (part == 0 && len == 0 && bang)
			continue;       /* "!10.0.0.0/8": everything but */
		const char **elems;
		/* the list as written (a copy only when it ends before the `!`); one element, the
		 * usual qualifier, as it is */
		const char *list = s[len] ? arena_strndup(x->tmp, s, len) : s;
		size_t n = 1;
		if (!strpbrk(list, ",("))
			elems = &list;
		else
			n = netcheck_split(x->tmp, list, &elems);
		/* one array for the list (a MAC, rare, leaves its slot unused) */
		struct addr_item *items = sd ? arena_alloc(x->home, n * sizeof(*items)) : NULL;
		uint32_t k = 0;
		for (size_t i = 0; i < n; i++) {
			const char *e = elems[i];
			struct addr_item one, *it = items ? &items[k] : &one;
			if (e[0] == '~') {
				uint8_t *mac = sd ? arena_alloc(x->home, 6) : NULL;
				if (!(mac ? netcheck_mac_read(e, mac) : netcheck_mac(e))) {
					diag_error(c->diag, x->loc, "Invalid MAC address (%s)", e);
					ok = false;
				} else if (sd && (part || dest)) {
					x->typed = false;
				} else if (sd) {
					vec_push(x->home, &macs, mac);
				}
			} else if (e[0] == '!' || !addr_parse_item(e, it, false)) {
				diag_error(c->diag, x->loc, "Invalid IP address (%s)", e);
				ok = false;
			} else if (items) {
				if (it->kind == ADDR_IPSET)     /* it points into the split list, which goes */
					it->set = arena_strdup(x->home, it->set);
				k++;
			}
		}
		if (sd && part) {
			sd->excl = items;
			sd->nexcl = k;
		} else if (sd) {
			sd->addrs = items;
			sd->naddrs = k;
		}
	}
	if (sd) {
		sd->macs = macs.v;
		sd->nmacs = (uint32_t)macs.n;
	}
	return ok;
}

/* strip_rest for a head only looked at during the call: copied to buf (size bytes) when it fits,
 * so the arena does not keep a copy of every rule's zone name. */
static const char *head_tmp(struct arena *a, const char *s, size_t n, char *buf, size_t size)
{
	if (!s[n])
		return s;
	if (n >= size)
		return arena_strndup(a, s, n);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static const char *strip_rest_tmp(struct arena *a, const char *s, const char **rest, char *buf, size_t size)
{
	const char *colon = strchr(s, ':');
	*rest = colon ? colon + 1 : NULL;
	return colon ? head_tmp(a, s, (size_t)(colon - s), buf, size) : s;
}

/* After "zone:": an interface, interface:addresses, or addresses; read into *out (NULL when
 * nothing is kept for the line). */
static bool check_hosts(struct rule_ctx *x, const char *rest, bool dest, const struct rule_side **out)
{
	struct compile *c = x->c;
	const char *after;
	char fbuf[64];
	const char *first = strip_rest_tmp(x->tmp, rest, &after, fbuf, sizeof(fbuf));
	const char *colon = after ? after - 1 : NULL;
	struct rule_side *sd = x->home ? arena_alloc(x->home, sizeof(*sd)) : NULL;     /* zeroed */
	*out = sd;
	struct iface *f = netcheck_iface(c->graph, first);
	if (f) {
		/* as the builder names it: the physical name of a logical one */
		if (sd)     /* first is the column's own text, or a copy that goes with the row */
			sd->iface = strcmp(first, f->name) == 0 && f->physical ? f->physical
				    : first == rest ? first : arena_strdup(x->home, first);
		if (!colon)
			return true;
		if (!colon[1]) {
			diag_error(c->diag, x->loc, "Invalid IP address (%s)", rest);
			return false;
		}
		return check_addresses(x, colon + 1, dest, sd);
	}
	/* A name that is not an address (no dots, starts with a letter) can only be an interface. */
	if (isalpha((unsigned char)first[0]) && !strchr(first, '.')) {
		diag_error(c->diag, x->loc, "Unknown interface (%s)", first);
		return false;
	}
	return check_addresses(x, rest, dest, sd);
}

/* DNAT server (Shorewall's handle_nat_rule): `addr[:port[-port]][:random]`, `:port` (keep the
 * address, change the port) or `&iface`; one server address or range, never a list. */
static bool check_server(struct rule_ctx *x, const char *rest)
{
	struct compile *c = x->c;
	if (!rest || !*rest) {
		diag_error(c->diag, x->loc, "Invalid or missing server IP address");
		return false;
	}
	char *dest = arena_strdup(x->tmp, rest);
	size_t len = strlen(dest);
	if (len > 7 && strcmp(dest + len - 7, ":random") == 0)
		dest[len - 7] = '\0';
	char *colon = strrchr(dest, ':');
	const char *port = NULL;
	if (colon && colon[1]) {
		*colon = '\0';
		port = colon + 1;
	} else if (colon) {
		*colon = '\0';     /* "addr:" — nothing after the colon */
	}
	const char *server = dest;
	bool ok = true;
	if (!*server) {
		if (!port) {
			diag_error(c->diag, x->loc, "A server and/or port must be specified in the DEST column in %s rules",
				   x->ru->action);
			return false;
		}
	} else if (strchr(server, ',')) {
		diag_error(c->diag, x->loc, "An address list (%s) is not allowed in the DEST column of a %s RULE",
			   server, x->ru->action);
		ok = false;
	} else if (server[0] == '&' || server[0] == '%') {
		if (!netcheck_iface(c->graph, server + 1)) {
			diag_error(c->diag, x->loc, "Unknown interface (%s)", server + 1);
			ok = false;
		}
	} else {
		struct addr_item it;
		if (!addr_parse_item(server, &it, false) || it.kind == ADDR_IPSET ||
		    (it.kind == ADDR_NET && it.net.len != 32)) {
			diag_error(c->diag, x->loc, "Invalid IP address (%s)", server);
			ok = false;
		} else if (it.kind == ADDR_NET && (it.net.addr == 0 || it.net.addr == 0xffffffffu)) {
			diag_error(c->diag, x->loc, "Invalid server IP address (%s)", server);
			ok = false;
		}
	}
	if (port && !netcheck_port_range(c, x->loc, NULL, port))
		ok = false;
	return ok;
}

struct zone_spec {
	bool wild;                  /* all/any/list: a wildcard rule (NONE pairs are skipped silently) */
	bool none;                  /* `none`: Shorewall ignores the rule */
	struct zone *zone;          /* the one zone of a non-wild spec; NULL = address only (NAT DEST) */
	const char *rest;           /* qualifier after the zone */
	bool failed;                /* already reported: its qualifier is not checked further */
};

static const char *strip_rest(struct arena *a, const char *s, const char **rest)
{
	const char *colon = strchr(s, ':');
	*rest = colon ? colon + 1 : NULL;
	return colon ? arena_strndup(a, s, (size_t)(colon - s)) : s;
}

/* `all`/`any` with modifiers (+ intra-zone, - without the firewall) and !exclusions. */
static bool parse_wild(struct rule_ctx *x, const char *text, const char *which, struct zone_spec *z)
{
	struct compile *c = x->c;
	bool any = strncmp(text, "any", 3) == 0;
	const char *p = text + 3;
	size_t nmod = strspn(p, "+-");
	char mods[8] = "";
	if (nmod >= sizeof(mods) || (p[nmod] && p[nmod] != '!' && p[nmod] != ':'))
		return false;
	memcpy(mods, p, nmod);
	mods[nmod] = '\0';
	p += nmod;
	z->wild = true;
	const char *head = strip_rest(x->tmp, text, &z->rest);
	const struct keyword *m = KW_FIND(wild_modifiers, mods);
	if (!m) {
		diag_error(c->diag, x->loc, "Invalid %s (%s)", which, head);
		x->ok = false;
		return true;
	}
	if (m->value & WM_NOFW)
		diag_warn(c->diag, x->loc, "%.*s is deprecated in favor of '%s%s!$FW'", (int)(3 + nmod), text,
			  any ? "any" : "all", (m->value & WM_PLUS) ? "+" : "");
	const char *bang = strchr(head, '!');
	if (bang) {
		const char *list = bang + 1;
		size_t len = strlen(list);
		if (!len || list[0] == ',' || list[len - 1] == ',' || strstr(list, ",,") || strchr(list, '!')) {
			diag_error(c->diag, x->loc, "Invalid exclusion list (!%s)", list);
			x->ok = false;
			return true;
		}
		const char **names;
		size_t n = netcheck_split(x->tmp, list, &names);
		for (size_t i = 0; i < n; i++) {
			if (!graph_find_zone(c->graph, names[i])) {
				diag_error(c->diag, x->loc, "Unknown zone (%s)", names[i]);
				x->ok = false;
			}
		}
	}
	return true;
}

static void parse_zone_spec(struct rule_ctx *x, const char *text, bool dest, struct zone_spec *z)
{
	struct compile *c = x->c;
	const char *which = dest ? "DEST" : "SOURCE";
	memset(z, 0, sizeof(*z));
	if (!text) {
		if (!dest) {
			diag_error(c->diag, x->loc, "Missing source zone");
			x->ok = false;
		} else if (!(x->flags & (TF_NATONLY | TF_REDIRECT))) {
			diag_error(c->diag, x->loc, "Missing destination zone");
			x->ok = false;
		}
		return;
	}
	/* the head (before the first ':') is found once: zone, list, wildcard or `none` */
	const char *colon = strchr(text, ':');
	size_t hlen = colon ? (size_t)(colon - text) : strlen(text);
	if (hlen == 4 && (text[0] | 0x20) == 'n' && strncasecmp(text, "none", 4) == 0) {
		z->none = true;
		return;
	}
	if ((strncmp(text, "all", 3) == 0 || strncmp(text, "any", 3) == 0) && parse_wild(x, text, which, z))
		return;
	if (memchr(text, ',', hlen)) {
		/* z1,z2[+][:qualifier] — a list is a wildcard too */
		const char *rest;
		char *list = (char *)strip_rest(x->tmp, text, &rest);
		size_t len = strlen(list);
		if (len && list[len - 1] == '+')
			list = arena_strndup(x->tmp, list, len - 1);
		z->wild = true;
		z->rest = rest;
		const char **names;
		size_t n = netcheck_split(x->tmp, list, &names);
		for (size_t i = 0; i < n; i++) {
			if (!graph_find_zone(c->graph, names[i])) {
				diag_error(c->diag, x->loc, "Unknown %s zone (%s)", dest ? "destination" : "source", names[i]);
				x->ok = false;
			}
		}
		return;
	}
	/* DNAT-/NONAT may name a bare address: no zone at all. */
	const char *dot = dest && !colon ? memchr(text, '.', hlen) : NULL;
	if (dot && memchr(dot + 1, '.', hlen - (size_t)(dot + 1 - text))) {
		if (!(x->flags & TF_NATONLY)) {
			diag_error(c->diag, x->loc, "Missing destination zone");
			x->ok = false;
		}
		z->rest = text;
		return;
	}
	char nbuf[64];
	const char *name = head_tmp(x->tmp, text, hlen, nbuf, sizeof(nbuf));
	z->rest = colon ? colon + 1 : NULL;
	if (z->rest && !*z->rest) {
		diag_error(c->diag, x->loc, "Missing %s Qualifier (%s)", which, text);
		x->ok = false;
		z->failed = true;
		return;
	}
	z->zone = graph_find_zone(c->graph, name);
	if (!z->zone) {
		if (dest && (x->flags & TF_NATONLY)) {
			z->rest = text;     /* not a zone: the whole column is the address */
			return;
		}
		diag_error(c->diag, x->loc, "Unknown %s zone (%s)", dest ? "destination" : "source", name);
		x->ok = false;
		return;
	}
	if (dest && (x->flags & TF_NATONLY) && !(x->flags & TF_REDIRECT))
		diag_warn(c->diag, x->loc, "The destination zone (%s) is ignored in %s rules", name, x->ru->action);
}

/* DEST of DNAT/REDIRECT: the server (and port), not a host qualifier. */
static void check_nat_dest(struct rule_ctx *x, struct zone_spec *d, const char *text)
{
	struct compile *c = x->c;
	if (x->flags & TF_REDIRECT) {
		/* REDIRECT: a port on the firewall, `-` (keep the port) or zone:port. */
		const char *port = d->zone || d->wild ? d->rest : text;
		if (port && *port == ':')
			port++;
		if (port && strchr(port, '.')) {
			diag_error(c->diag, x->loc, "A server IP address (%s) may not be specified in a REDIRECT rule", port);
			x->ok = false;
		} else if (port && *port && !netcheck_port_range(c, x->loc, NULL, port))
			x->ok = false;
		return;
	}
	if (!check_server(x, d->rest))
		x->ok = false;
}

/* ---- the rule ----------------------------------------------------------------------------------------- */

void rule_set_col(struct arena *a, struct rule *ru, enum rule_col i, const char *value)
{
	if (i < RC_COMMON) {
		ru->col[i] = value;
		return;
	}
	if (!ru->more && !value)
		return;
	const char **more = arena_alloc(a, (RC_COUNT - RC_COMMON) * sizeof(*more));
	if (ru->more)
		memcpy(more, ru->more, (RC_COUNT - RC_COMMON) * sizeof(*more));
	more[i - RC_COMMON] = value;
	ru->more = more;
}

/* PROTO and ports as the builder takes them, when they are what nearly every line has: no PROTO
 * (an action's ports are its own), or a plain tcp or udp with ports in digits. NULL for anything
 * else, which the builder reads (and may refuse) itself. */
static const struct proto_spec *typed_proto(struct rule_ctx *x, const char *proto, const char *dports,
					    const char *sports)
{
	struct proto_spec *ps = arena_alloc(x->home, sizeof(*ps));     /* zeroed: no protocol */
	if (!proto)
		return ps;
	if (strcmp(proto, "tcp") == 0)
		ps->num = NETCHECK_TCP;
	else if (strcmp(proto, "udp") == 0)
		ps->num = NETCHECK_UDP;
	else
		return NULL;
	if (dports && !netcheck_ports_plain(x->home, dports, &ps->dp, &ps->ndp))
		return NULL;
	if (sports && !netcheck_ports_plain(x->home, sports, &ps->sp, &ps->nsp))
		return NULL;
	return ps;
}

/* The arena a line's typed SOURCE/DEST goes to (rule_typed.h): its source zone's when it names one
 * pair (of the first 65,536 zones), made on first use (homes: [zone->index]), else the compile's. */
static struct arena *typed_home(struct compile *c, struct rule_typed_file *f, const struct zone_spec *s,
				const struct zone_spec *d)
{
	if (!s->zone || !d->zone || s->wild || d->wild)
		return c->arena;
	if (s->zone->index > UINT16_MAX || d->zone->index > UINT16_MAX)
		return c->arena;
	size_t i = s->zone->index;
	if (!f->homes[i])
		f->homes[i] = arena_new_child(c->arena);
	return f->homes[i];
}

/* The row as a rule, or NULL when it is refused (reported) or ignored. */
static struct rule *rule_row(struct compile *c, const struct row *r, struct rules_parse *p)
{
	struct rule *ru = arena_new_obj(c->arena, struct rule);
	ru->loc = r->loc;
	ru->section = r->section;
	for (unsigned i = 0; i < RC_COMMON && i < r->ncols; i++)
		ru->col[i] = col_value(r, i);
	for (unsigned i = RC_COMMON; i < RC_COUNT && i < r->ncols; i++) {
		const char *v = col_value(r, i);
		if (v && !ru->more)
			ru->more = arena_alloc(c->arena, (RC_COUNT - RC_COMMON) * sizeof(*ru->more));
		if (v)
			ru->more[i - RC_COMMON] = v;
	}
	struct rule_ctx x = { .c = c, .p = p, .loc = &ru->loc, .ru = ru, .ok = true, .tmp = p->tmp };
	const char *action = ru->col[RC_ACTION];
	if (!action) {
		diag_error(c->diag, &r->loc, "ACTION must be specified");
		return NULL;
	}
	if (!check_action(&x, action)) {
		/* Keep checking the other columns; an unknown action may be a macro that would have
		 * supplied PROTO, so be lenient about ports. */
		x.ok = false;
		x.flags = TF_ACTION;
		ru->action = action;
	}

	if ((x.flags & (TF_NAT | TF_NATONLY)) && ru->section && strcmp(ru->section, "NEW") != 0) {
		diag_error(c->diag, x.loc, "NAT rules are only allowed in the NEW section");
		x.ok = false;
	}

	const char *src = ru->col[RC_SOURCE], *dst = ru->col[RC_DEST];
	/* REDIRECT's DEST is a port, possibly with no zone at all. */
	bool redirect_port = (x.flags & TF_REDIRECT) && dst && isdigit((unsigned char)dst[0]);
	struct zone_spec s, d;
	parse_zone_spec(&x, src, false, &s);
	if (redirect_port) {
		memset(&d, 0, sizeof(d));
		d.zone = c->graph->fw;
		d.rest = dst;
	} else {
		parse_zone_spec(&x, dst, true, &d);
	}
	if (s.none || d.none)
		return NULL;    /* Shorewall: "Rule … ignored." */
	/* what the builder reads as it is (no macro, no nat form) keeps what is read here */
	x.typed = !(x.flags & (TF_NAT | TF_NATONLY | TF_NATRULE | TF_MACRO)) && !rule_col(ru, RC_ORIGDEST);
	x.home = x.typed ? typed_home(c, p->file, &s, &d) : NULL;
	const struct rule_side *sside = NULL, *dside = NULL;
	if (s.rest && !s.failed && !check_hosts(&x, s.rest, false, &sside))
		x.ok = false;
	if (!d.failed) {
		if ((x.flags & TF_NAT) && (dst || !(x.flags & TF_REDIRECT)))
			check_nat_dest(&x, &d, dst);
		else if (d.rest && !check_hosts(&x, d.rest, true, &dside))
			x.ok = false;
	}
	struct rule_typed *t = NULL;
	if (x.ok && x.typed) {
		t = arena_alloc(p->file->records, sizeof(*t));
		p->typed_any = true;
		t->s = sside;
		t->d = dside;
		t->file = p->file;
		if (x.home != c->arena) {
			t->single = true;
			t->szone = (uint16_t)s.zone->index;
			t->dzone = (uint16_t)d.zone->index;
		}
		t->target = x.target;
		ru->typed = t;
	}

	/* PROTO, possibly a list; a macro or action may supply it and its ports itself. */
	const char *proto = ru->col[RC_PROTO], *dports = ru->col[RC_DPORT], *sports = ru->col[RC_SPORT];
	bool tcp_seen = false;
	/* the plain kind (nearly every line), read once for the builder: nothing in it to report */
	const struct proto_spec *tps = t ? typed_proto(&x, proto, dports, sports) : NULL;
	if (t)
		t->ps = tps;
	if (tps && proto) {
		tcp_seen = tps->num == NETCHECK_TCP;
	} else if (proto) {
		const char **protos = &proto;  /* one protocol: as it is */
		size_t n = 1;
		if (strpbrk(proto, ",("))
			n = netcheck_split(x.tmp, proto, &protos);
		if (n > 1 && strchr(proto, '!')) {
			diag_error(c->diag, x.loc, "Inversion not allowed in a PROTO list");
			x.ok = false;
		} else {
			for (size_t i = 0; i < n; i++) {
				if (!netcheck_proto_ports(c, x.loc, protos[i], dports, sports))
					x.ok = false;
				const char *colon = strchr(protos[i], ':');
				char *bare = colon ? arena_strndup(x.tmp, protos[i], (size_t)(colon - protos[i]))
						   : (char *)protos[i];
				if (netcheck_proto_number(bare) == NETCHECK_TCP)
					tcp_seen = true;
			}
		}
	} else if ((dports || sports) && !(x.flags & (TF_MACRO | TF_ACTION))) {
		diag_error(c->diag, x.loc, "SOURCE/DEST PORT(S) not allowed without PROTO");
		x.ok = false;
	}
	if ((x.flags & TF_REJECT) && x.param) {
		const struct keyword *k = KW_FIND(reject_options, x.param);
		if (k && k->value == 1 && !tcp_seen) {
			diag_error(c->diag, x.loc, "tcp-reset may only be used with PROTO tcp");
			x.ok = false;
		}
	}
	if ((x.flags & TF_TARPIT) && !tcp_seen) {
		diag_error(c->diag, x.loc, "TARPIT is only valid with PROTO tcp (6)");
		x.ok = false;
	}

	if (strcmp(ru->action, "HELPER") == 0 && !rule_col(ru, RC_HELPER)) {
		diag_error(c->diag, x.loc, "HELPER requires that a helper be specified in the HELPER column");
		x.ok = false;
	}

	const char *origdest = rule_col(ru, RC_ORIGDEST);
	if (origdest && strcmp(origdest, "all") != 0) {
		if (origdest[0] == '&') {
			if (!netcheck_iface(c->graph, origdest + 1)) {
				diag_error(c->diag, x.loc, "Unknown interface (%s)", origdest + 1);
				x.ok = false;
			}
		} else if (!check_addresses(&x, origdest, true, NULL)) {
			x.ok = false;
		}
	}
	if (rule_col(ru, RC_RATE) && !rate_parse(c, x.loc, rule_col(ru, RC_RATE), &ru->rate))
		x.ok = false;
	if (rule_col(ru, RC_USER) && !(s.zone && !s.wild && s.zone->type == ZONE_FIREWALL)) {
		diag_error(c->diag, x.loc, "USER/GROUP may only be specified when the SOURCE zone is $FW");
		x.ok = false;
	}
	if (rule_col(ru, RC_CONNLIMIT) && !netcheck_connlimit(c, x.loc, rule_col(ru, RC_CONNLIMIT), true))
		x.ok = false;

	/* A rule for a pair whose policy is NONE has no chain to live in. Wildcard rules skip such
	 * pairs silently; NAT-only rules have no filter part. */
	if (s.zone && d.zone && !s.wild && !d.wild && !(x.flags & TF_NATONLY)) {
		struct policy_cell *cell = graph_policy(c->graph, s.zone, d.zone);
		if (cell && cell->policy && cell->policy->kind == POL_NONE) {
			diag_error(c->diag, x.loc, "Rules may not override a NONE policy");
			x.ok = false;
		}
	}
	return x.ok ? ru : NULL;
}

int parse_rules(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	bool v52 = false;
	struct row r;
	struct arena *tmp = arena_new();
	/* the list grows in an arena of its own, which takes its outgrown copies along when the
	 * list, at its size, joins the graph (half a megabyte at 50,000 rules) */
	struct arena *grow = arena_new_child(c->arena);
	/* what the checks read, kept for the builder (rule_typed.h) */
	struct arena *records = arena_new_child(c->arena);
	struct rule_typed_file *file = arena_alloc(records, sizeof(*file));
	file->records = records;
	file->nzones = c->graph->zones.n;
	file->homes = arena_alloc(records, (file->nzones ? file->nzones : 1) * sizeof(*file->homes));
	struct rules_parse p = { .tmp = tmp, .file = file };
	VEC(struct rule *) got = { NULL, 0, 0 };
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, RC_COUNT, "rules file"))
			continue;
		/* 2.x rules have at most USER (nine columns) and no sections. */
		if (r.ncols > RC_USER + 1 || r.section)
			v52 = true;
		struct rule *ru = rule_row(c, &r, &p);
		if (ru)
			vec_push(grow, &got, ru);
		arena_reset(tmp);
	}
	arena_free(tmp);
	/* nothing for the builder: the records go now (a zone arena made all the same goes with the
	 * compile's arena) */
	if (!p.typed_any)
		arena_free(records);
	struct graph *g = c->graph;
	size_t n = g->rules.n + got.n;
	struct rule **all = arena_alloc(c->arena, (n ? n : 1) * sizeof(*all));
	if (g->rules.n)
		memcpy(all, g->rules.v, g->rules.n * sizeof(*all));
	if (got.n)
		memcpy(all + g->rules.n, got.v, got.n * sizeof(*all));
	g->rules.v = all;
	g->rules.n = g->rules.cap = n;
	arena_free(grow);
	source_set_layout(s, v52 || s->format > 1 ? "5.2" : "2.x");
	return (int)(c->diag->errors - before);
}
