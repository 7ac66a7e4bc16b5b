/* policy.c — the policy file: the default verdict for every ordered pair of zones (the matrix).
 *
 * Semantics are Shorewall 5.2.8's (Rules.pm process_policies / process_a_policy[1] /
 * set_policy_chain): every zone starts with an implicit intra-zone ACCEPT; a line naming two zones
 * sets that cell, and setting it again is an error — also when a wildcard line filled it first;
 * `all` lines fill only cells still empty, so the first one wins, and skip intra-zone cells unless
 * written `all+`; when the file ends, every ordered pair of distinct zones must have a policy. */
#include "parsers.h"
#include "policy.h"

#include "compile.h"
#include "graph.h"
#include "loglevel.h"
#include "macro_names.h"
#include "netcheck.h"
#include "rate.h"
#include "settings.h"
#include "source.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct keyword policy_kinds[] = {  /* must stay sorted */
	{ "ACCEPT", POL_ACCEPT, 0 },
	{ "BLACKLIST", POL_BLACKLIST, 0 },
	{ "CONTINUE", POL_CONTINUE, 0 },
	{ "DROP", POL_DROP, 0 },
	{ "NFQUEUE", POL_NFQUEUE, 0 },
	{ "NONE", POL_NONE, 0 },
	{ "QUEUE", POL_QUEUE, 0 },
	{ "REJECT", POL_REJECT, 0 },
};

const struct keyword *policy_kind_table(size_t *n)
{
	*n = KW_COUNT(policy_kinds);
	return policy_kinds;
}

/* How many missing pairs are reported one by one before a single summary line. */
#define POLICY_MISSING_REPORT_MAX 20

/* ---- the matrix ------------------------------------------------------------------------------------ */

static struct policy *implicit_policy(struct compile *c, const struct zone *a, const struct zone *b,
				      enum policy_kind kind)
{
	struct policy *p = arena_new_obj(c->arena, struct policy);
	p->loc = a->loc;
	p->src_text = a->name;
	p->dst_text = b->name;
	p->policy_text = policy_kind_name(kind);
	p->kind = kind;
	return p;
}

static bool cell_empty(const struct policy_cell *cell)
{
	return !cell->policy && !cell->implicit;
}

/* Allocate the matrix once every zone is known, with the cells Shorewall sets before it reads the
 * file: intra-zone ACCEPT; firewall→bport NONE; NONE between local/loopback zones and other
 * off-firewall zones; with IMPLICIT_CONTINUE, CONTINUE to and from every sub-zone. "implicit"
 * cells (Shorewall's provisional chains) yield to an explicit line without complaint. */
static void matrix_init(struct compile *c)
{
	struct graph *g = c->graph;
	size_t n = g->zones.n;
	if (g->matrix || n == 0)
		return;
	g->matrix = arena_alloc(c->arena, n * n * sizeof(*g->matrix));
	bool implicit_continue = c->conf && c->conf->implicit_continue;
	for (size_t i = 0; i < n; i++) {
		struct zone *z = g->zones.v[i];
		g->matrix[i * n + i].implicit = true;
		if (z->type == ZONE_BPORT && g->fw) {
			struct policy_cell *cell = graph_policy(g, g->fw, z);
			if (cell_empty(cell)) {
				cell->policy = implicit_policy(c, g->fw, z, POL_NONE);
				cell->implicit = true;
			}
		}
		if (z->type == ZONE_LOCAL || z->type == ZONE_LOOPBACK) {
			for (size_t j = 0; j < n; j++) {
				struct zone *o = g->zones.v[j];
				if (o == z || o->type == ZONE_FIREWALL ||
				    (z->type == ZONE_LOOPBACK && o->type == ZONE_LOOPBACK))
					continue;
				struct policy_cell *to = graph_policy(g, z, o), *from = graph_policy(g, o, z);
				if (cell_empty(to))
					to->policy = implicit_policy(c, z, o, POL_NONE);
				if (cell_empty(from))
					from->policy = implicit_policy(c, o, z, POL_NONE);
			}
		}
		if (implicit_continue && (z->parent_names.n || z->parents.n || z->type == ZONE_VSERVER)) {
			for (size_t j = 0; j < n; j++) {
				struct zone *o = g->zones.v[j];
				if (o == z)
					continue;
				struct policy_cell *to = graph_policy(g, z, o), *from = graph_policy(g, o, z);
				if (cell_empty(to)) {
					to->policy = implicit_policy(c, z, o, POL_CONTINUE);
					to->implicit = true;
				}
				if (cell_empty(from)) {
					from->policy = implicit_policy(c, o, z, POL_CONTINUE);
					from->implicit = true;
				}
			}
		}
	}
}

/* ---- one SOURCE or DEST element -------------------------------------------------------------------- */

struct side {
	bool wild;                  /* all, all+, all!z…, all+!z… */
	bool plus;                  /* all+ */
	struct zone *zone;          /* the zone, when not wild */
	bool *excluded;             /* wild with exclusions: [zones.n] */
	const char *key;            /* duplicate detection: the zone, "all", "all+" or the whole all!… text */
};

/* `all` in any case, followed by nothing, '+' or '!'. */
static bool is_all(const char *s)
{
	/* the first byte first: every SOURCE and DEST is asked, and most are zone names */
	return (s[0] == 'a' || s[0] == 'A') && strncasecmp(s, "all", 3) == 0 &&
	       (s[3] == '\0' || s[3] == '+' || s[3] == '!');
}

/* `all` as a word at the start of a list element (Shorewall's /^all\b/). */
static bool starts_with_all_word(const char *s)
{
	return strncmp(s, "all", 3) == 0 && !isalnum((unsigned char)s[3]) && s[3] != '_';
}

static bool parse_side(struct compile *c, const struct loc *loc, const char *text, struct side *out)
{
	struct graph *g = c->graph;
	memset(out, 0, sizeof(*out));
	if (!is_all(text)) {
		out->zone = graph_find_zone(g, text);
		out->key = text;
		if (!out->zone) {
			diag_error(c->diag, loc, "Undefined zone (%s)", text);
			return false;
		}
		return true;
	}
	const char *p = text + 3;
	out->wild = true;
	if (*p == '+') {
		out->plus = true;
		p++;
	}
	out->key = out->plus ? "all+" : "all";
	if (*p == '\0')
		return true;
	if (*p != '!' || p[1] == '\0') {
		diag_error(c->diag, loc, "Undefined zone (%s)", text);
		return false;
	}
	/* Shorewall 5.2.8 keys `all!z` under the plain `all` chain, so `all!fw all DROP` followed by
	 * `all all REJECT` is a "duplicate" there; its documentation presents exclusions as plain
	 * narrower wildcards, which is what keying by the whole text gives. */
	out->key = text;
	out->excluded = arena_alloc(c->arena, (g->zones.n ? g->zones.n : 1) * sizeof(bool));
	const char **names;
	size_t n = netcheck_split(c->arena, p + 1, &names);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct zone *z = graph_find_zone(g, names[i]);
		if (!z) {
			diag_error(c->diag, loc, "Undefined zone (%s)", names[i]);
			ok = false;
			continue;
		}
		out->excluded[z->index] = true;
	}
	return ok;
}

static bool side_has(const struct side *s, const struct zone *z)
{
	if (!s->wild)
		return s->zone == z;
	return !s->excluded || !s->excluded[z->index];
}

/* ---- the POLICY column ------------------------------------------------------------------------------ */

/* A policy default action: a builtin action (Broadcast, Multicast, …) or the admin's own
 * action.NAME, with optional (params) and :level. */
static bool check_policy_action(struct compile *c, const struct loc *loc, const char *elem)
{
	const char *colon = NULL;
	int depth = 0;
	for (const char *p = elem; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ':' && depth == 0 && !colon)
			colon = p;
	}
	char *act = colon ? arena_strndup(c->arena, elem, (size_t)(colon - elem)) : arena_strdup(c->arena, elem);
	if (colon && strchr(colon + 1, ':')) {
		diag_error(c->diag, loc, "Invalid policy action (%s)", elem);
		return false;
	}
	size_t namelen = strcspn(act, "(");
	char *name = arena_strndup(c->arena, act, namelen);
	bool ok = true;
	if ((act[namelen] && act[strlen(act) - 1] != ')') || !*name ||
	    (!builtin_action_known(name) && !macro_file_exists(c, "action", name))) {
		diag_error(c->diag, loc, "Unknown Policy Action (%s)", act);
		ok = false;
	}
	const char *lvl;
	if (colon && colon[1] && !loglevel_parse(c, loc, colon + 1, &lvl))
		ok = false;
	return ok;
}

/* POLICY[:action,…|:none] or NFQUEUE(params)[:action…]. Fills kind, queue and default action. */
static bool parse_policy_column(struct compile *c, const struct loc *loc, const char *text, struct policy *p)
{
	const char *pactions = NULL;
	const char *name;
	const char *params = NULL;
	if (text[0] == 'N' && strncmp(text, "NFQUEUE(", 8) == 0 && strchr(text, ')')) {
		const char *close = strchr(text, ')');
		name = "NFQUEUE";
		params = arena_strndup(c->arena, text + 8, (size_t)(close - text - 8));
		if (close[1] == ':')
			pactions = close + 2;
		else if (close[1]) {
			diag_error(c->diag, loc, "Invalid policy (%s)", text);
			return false;
		}
	} else {
		const char *colon = strchr(text, ':');
		name = colon ? arena_strndup(c->arena, text, (size_t)(colon - text)) : text;
		if (colon)
			pactions = colon + 1;
	}
	const struct keyword *k = KW_FIND(policy_kinds, name);
	if (!k) {
		diag_error(c->diag, loc, "Invalid policy (%s)", name);
		return false;
	}
	p->kind = (enum policy_kind)k->value;
	bool ok = true;
	if (p->kind == POL_NFQUEUE &&
	    !netcheck_nfqueue(c, loc, params, &p->queue_num, &p->queue_max, &p->queue_bypass))
		ok = false;
	if (p->kind == POL_BLACKLIST && c->conf &&
	    (!c->conf->dynamic_blacklist || strncmp(c->conf->dynamic_blacklist, "ipset", 5) != 0)) {
		diag_error(c->diag, loc, "BLACKLIST policies require ipset-based dynamic blacklisting");
		ok = false;
	}
	if (pactions) {
		if (!*pactions) {
			diag_error(c->diag, loc, "Invalid policy (%s)", text);
			return false;
		}
		if (strcasecmp(pactions, "none") == 0) {
			p->default_action = "none";
		} else {
			p->default_action = pactions;
			const char *list = pactions[0] == '+' ? pactions + 1 : pactions;
			const char **elems;
			size_t n = netcheck_split(c->arena, list, &elems);
			for (size_t i = 0; i < n; i++)
				if (!check_policy_action(c, loc, elems[i]))
					ok = false;
		}
	}
	return ok;
}

/* ---- the file ----------------------------------------------------------------------------------------- */

/* Policies whose SOURCE or DEST was a wildcard are remembered by Shorewall's chain name
 * (`all-net`, `loc-all+`): writing the same wildcard pair twice is a duplicate as well. */
struct wild_policy {
	const char *src_key, *dst_key;
	struct policy *policy;
};

struct kind_memo {
	const char *text;
	enum policy_kind kind;
};

struct policy_parse {
	struct compile *c;
	VEC(struct wild_policy) wild;
	/* The last plain zone SOURCE resolved: a policy file is usually written source by source,
	 * so most lines name the zone of the line before (one strcmp instead of a look-up). */
	struct side last_src;
	/* The last plain zone DEST resolved: a matrix names the zones in their order, so the zone
	 * after it is tried first (one strcmp instead of a look-up; zone names are unique). */
	struct zone *last_dst;
	/* The last LOGLEVEL read and its normal form: a matrix repeats a few levels thousands of
	 * times, and a level that parsed once parses the same again (loglevel_parse is pure then). */
	const char *last_level_text, *last_level;
	/* POLICY words read before, by their first byte: a matrix says ACCEPT, DROP or REJECT
	 * thousands of times. Only a bare word that read without error is kept: its kind is all it
	 * sets (not NFQUEUE's, which sets the queue too; no :actions, no parameters). */
	struct kind_memo kind_memo[8];
};

static void set_explicit(struct policy_parse *pp, const struct loc *loc, struct zone *a, struct zone *b,
			 struct policy *p)
{
	struct policy_cell *cell = graph_policy(pp->c->graph, a, b);
	if (cell->policy && !cell->implicit) {
		diag_error(pp->c->diag, loc, "Policy \"%s %s %s\" duplicates earlier policy \"%s %s %s\"",
			   a->name, b->name, p->policy_text, a->name, b->name, policy_kind_name(cell->policy->kind));
		return;
	}
	cell->policy = p;
	cell->implicit = false;
}

/* A wildcard line fills a cell only if nothing set it yet; an implicit intra-zone ACCEPT yields
 * only to `all+` (Shorewall's set_policy_chain). */
static void set_wild(struct graph *g, struct zone *a, struct zone *b, struct policy *p, bool intrazone)
{
	struct policy_cell *cell = graph_policy(g, a, b);
	if (cell->implicit && a == b && !cell->policy && intrazone) {
		cell->policy = p;
		cell->implicit = false;
		return;
	}
	if (!cell_empty(cell))
		return;
	cell->policy = p;
}

static void apply(struct policy_parse *pp, const struct loc *loc, const struct side *cs, const struct side *ss,
		  struct policy *p, bool intrazone)
{
	struct compile *c = pp->c;
	struct graph *g = c->graph;
	if (!cs->wild && !ss->wild) {
		set_explicit(pp, loc, cs->zone, ss->zone, p);
		return;
	}
	for (size_t i = 0; i < pp->wild.n; i++) {
		struct wild_policy *w = &pp->wild.v[i];
		if (strcmp(w->src_key, cs->key) == 0 && strcmp(w->dst_key, ss->key) == 0) {
			diag_error(c->diag, loc, "Policy \"%s %s %s\" duplicates earlier policy \"%s %s %s\"",
				   cs->key, ss->key, p->policy_text, w->src_key, w->dst_key,
				   policy_kind_name(w->policy->kind));
			return;
		}
	}
	struct wild_policy w = { cs->key, ss->key, p };
	vec_push(c->arena, &pp->wild, w);
	intrazone = intrazone || cs->plus || ss->plus;
	/* Exclusions on both sides are honoured (5.2.8 drops the DEST ones when SOURCE is a
	 * wildcard too: it tests a misspelt hash key). */
	for (size_t i = 0; i < g->zones.n; i++) {
		struct zone *a = g->zones.v[i];
		if (!side_has(cs, a))
			continue;
		for (size_t j = 0; j < g->zones.n; j++) {
			struct zone *b = g->zones.v[j];
			if (side_has(ss, b))
				set_wild(g, a, b, p, intrazone);
		}
	}
}

/* Parse one SOURCE or DEST column into sides: a comma list (each a zone), or one element, the
 * usual case, which goes into *one (no arena copies: a 150-zone matrix is 22,000 lines). */
static size_t parse_sides(struct compile *c, const struct loc *loc, const char *text, bool list,
			  const char *which, struct side *one, struct side **out, bool *ok)
{
	if (!list) {
		if (!parse_side(c, loc, text, one))
			*ok = false;
		*out = one;
		return 1;
	}
	const char **elems;
	size_t n = netcheck_split(c->arena, text, &elems);
	struct side *sides = arena_alloc(c->arena, n * sizeof(*sides));
	for (size_t i = 0; i < n; i++) {
		if (starts_with_all_word(elems[i])) {
			diag_error(c->diag, loc, "'all' is not allowed in a %s zone list", which);
			*ok = false;
			continue;
		}
		if (!parse_side(c, loc, elems[i], &sides[i]))
			*ok = false;
	}
	*out = sides;
	return n;
}

/* The usual SOURCE or DEST, one zone by its name, as a side; false for anything else (`all…`,
 * a list, a name that is no zone), which is left to the full reading and its messages. */
static bool plain_side(struct graph *g, const char *text, struct side *out)
{
	if (text[0] == 'a' || text[0] == 'A')
		return false;
	struct zone *z = graph_find_zone(g, text);
	if (!z)
		return false;
	memset(out, 0, sizeof(*out));
	out->zone = z;
	out->key = text;
	return true;
}

/* A list is written with commas (and may end in '+', meaning "include intra-zone pairs");
 * `all!a,b` is a wildcard with exclusions, not a list. */
static const char *list_form(struct compile *c, const char *text, bool *list, bool *plus)
{
	*list = false;
	*plus = false;
	if (is_all(text) || !strchr(text, ','))
		return text;
	*list = true;
	size_t len = strlen(text);
	if (len && text[len - 1] == '+') {
		*plus = true;
		return arena_strndup(c->arena, text, len - 1);
	}
	return text;
}

static void policy_row(struct policy_parse *pp, const struct row *r)
{
	struct compile *c = pp->c;
	const struct loc *loc = &r->loc;
	const char *src = col_value(r, 0), *dst = col_value(r, 1), *pol = col_value(r, 2);
	const char *level = col_value(r, 3), *rate = col_value(r, 4), *connlimit = col_value(r, 5);
	bool ok = true;
	if (!src) {
		diag_error(c->diag, loc, "SOURCE must be specified");
		ok = false;
	}
	if (!dst) {
		diag_error(c->diag, loc, "DEST must be specified");
		ok = false;
	}
	if (!pol) {
		diag_error(c->diag, loc, "POLICY must be specified");
		ok = false;
	}
	if (!ok)
		return;

	struct policy *p = arena_new_obj(c->arena, struct policy);
	p->loc = *loc;
	p->src_text = src;
	p->dst_text = dst;
	p->policy_text = pol;
	p->wildcard = is_all(src) || is_all(dst);
	/* A bad level, rate or connlimit is reported, but the cells are still filled so that one
	 * mistake does not also surface as a crowd of "No policy defined" errors at the end. */
	bool kind_ok;
	struct kind_memo *memo = &pp->kind_memo[(unsigned char)pol[0] & 7];
	if (memo->text && strcmp(pol, memo->text) == 0) {
		p->kind = memo->kind;
		kind_ok = true;
	} else {
		kind_ok = parse_policy_column(c, loc, pol, p);
		if (kind_ok && p->kind != POL_NFQUEUE && !strpbrk(pol, ":(")) {
			memo->text = pol;
			memo->kind = p->kind;
		}
	}
	if (level && pp->last_level_text && strcmp(level, pp->last_level_text) == 0) {
		p->loglevel = pp->last_level;
	} else if (level && loglevel_parse(c, loc, level, &p->loglevel)) {
		pp->last_level_text = level;
		pp->last_level = p->loglevel;
	}
	if (rate)
		rate_parse(c, loc, rate, &p->rate);
	if (connlimit && netcheck_connlimit(c, loc, connlimit, false))
		p->connlimit = connlimit;

	/* A side is one zone named plainly on nearly every line: that is settled with one look-up
	 * (SOURCE usually with one strcmp, the zone of the line before); lists, `all` and unknown
	 * names take the full reading, which reports what is wrong. */
	bool clist = false, cplus = false, slist = false, splus = false;
	struct side *cs, *ss, cone, sone;
	bool zones_ok = true;
	size_t nc = 1, ns = 1;
	if (pp->last_src.zone && strcmp(src, pp->last_src.key) == 0) {
		cs = &pp->last_src;
	} else if (plain_side(c->graph, src, &cone)) {
		cs = &cone;
		pp->last_src = cone;
	} else {
		const char *ctext = list_form(c, src, &clist, &cplus);
		nc = parse_sides(c, loc, ctext, clist, "source", &cone, &cs, &zones_ok);
	}
	struct zone *next = pp->last_dst && pp->last_dst->index + 1 < c->graph->zones.n
					  ? c->graph->zones.v[pp->last_dst->index + 1] : NULL;
	if (next && strcmp(dst, next->name) == 0) {
		memset(&sone, 0, sizeof(sone));
		sone.zone = next;
		sone.key = dst;
		ss = &sone;
		pp->last_dst = next;
	} else if (plain_side(c->graph, dst, &sone)) {
		ss = &sone;
		pp->last_dst = sone.zone;
	} else {
		const char *stext = list_form(c, dst, &slist, &splus);
		ns = parse_sides(c, loc, stext, slist, "destination", &sone, &ss, &zones_ok);
	}
	bool intrazone = cplus || splus;
	if (!zones_ok)
		return;

	if (kind_ok && p->kind == POL_NONE) {
		bool wild = false, fw = false;
		for (size_t i = 0; i < nc; i++) {
			wild = wild || cs[i].wild;
			fw = fw || (cs[i].zone && cs[i].zone->type == ZONE_FIREWALL);
		}
		for (size_t i = 0; i < ns; i++) {
			wild = wild || ss[i].wild;
			fw = fw || (ss[i].zone && ss[i].zone->type == ZONE_FIREWALL);
		}
		if (wild) {
			diag_error(c->diag, loc, "NONE policy not allowed with \"all\"");
			return;
		}
		if (fw) {
			diag_error(c->diag, loc, "NONE policy not allowed to/from firewall zone");
			return;
		}
	}
	vec_push(c->arena, &c->graph->policies, p);
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < ns; j++) {
			/* In a list, a zone meets itself only when the list ends in '+'. */
			if ((clist || slist) && !intrazone && !cs[i].wild && !ss[j].wild && cs[i].zone == ss[j].zone)
				continue;
			apply(pp, loc, &cs[i], &ss[j], p, intrazone);
		}
}

int parse_policy(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct policy_parse pp = { .c = c };
	struct row r;
	bool v52 = false;
	matrix_init(c);
	while (source_next(s, &r)) {
		if (!row_max_columns(s, &r, 6, "policy file"))
			continue;
		/* CONNLIMIT (the sixth column) exists only in 5.x files. */
		if (r.ncols > 5)
			v52 = true;
		if (!c->graph->matrix) {
			/* No zones at all: nothing can be named, and the zones file said so already. */
			continue;
		}
		policy_row(&pp, &r);
	}
	source_set_layout(s, v52 || s->format > 1 ? "5.2" : "2.2");
	return (int)(c->diag->errors - before);
}

int policy_finish(struct compile *c, const struct source *policy_src)
{
	struct graph *g = c->graph;
	unsigned before = c->diag->errors;
	matrix_init(c);
	if (!g->matrix)
		return 0;
	struct loc eof = source_eof(policy_src);
	size_t missing = 0;
	for (size_t i = 0; i < g->zones.n; i++) {
		for (size_t j = 0; j < g->zones.n; j++) {
			struct zone *a = g->zones.v[i], *b = g->zones.v[j];
			struct policy_cell *cell = graph_policy(g, a, b);
			if (!cell_empty(cell))
				continue;
			if (++missing <= POLICY_MISSING_REPORT_MAX)
				diag_error(c->diag, &eof, "No policy defined from zone %s to zone %s", a->name, b->name);
		}
	}
	if (missing > POLICY_MISSING_REPORT_MAX)
		diag_error(c->diag, &eof, "No policy defined for %zu more zone pairs",
			   missing - POLICY_MISSING_REPORT_MAX);

	/* CONTINUE hands the packet back to the dispatcher for the next (parent) zone; between two
	 * zones neither of which is a sub-zone there is no next zone to try. */
	for (size_t i = 0; i < g->zones.n; i++) {
		for (size_t j = 0; j < g->zones.n; j++) {
			struct zone *a = g->zones.v[i], *b = g->zones.v[j];
			struct policy_cell *cell = graph_policy(g, a, b);
			if (a == b || cell->implicit || !cell->policy || cell->policy->kind != POL_CONTINUE)
				continue;
			bool nested = a->parents.n || a->parent_names.n || b->parents.n || b->parent_names.n;
			if (!nested)
				diag_warn(c->diag, &cell->policy->loc, "CONTINUE policy between two un-nested zones (%s, %s)",
					  a->name, b->name);
		}
	}
	return (int)(c->diag->errors - before);
}
