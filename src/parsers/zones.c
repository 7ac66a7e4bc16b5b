/* zones.c — the zones file in either layout (2.2 DISPLAY/COMMENTS or 5.2 TYPE/OPTIONS), recognised per file. */
#include "parsers.h"

#include "compile.h"
#include "graph.h"
#include "ipsec_opts.h"
#include "keyword.h"
#include "membership.h"
#include "settings.h"
#include "source.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shorewall's default MAXZONENAMELENGTH with the default LOGFORMAT. */
#define ZONE_NAME_MAX_DEFAULT 10
/* The two layouts' columns. 2.2's COMMENTS is free text running to the end of the line. */
enum { ZC_ZONE, ZC_TYPE, ZC_OPTIONS, ZC_IN_OPTIONS, ZC_OUT_OPTIONS, ZONES_MAX_COLUMNS };
enum { ZC22_ZONE, ZC22_DISPLAY, ZC22_COMMENTS };

/* ---- vocabularies --------------------------------------------------------------------------------- */

/* Shorewall reads ip/ipsec/bport case-blind (`IPv4` is fine) but the other types exactly. */
#define ZT_NOCASE 1u

/* must stay sorted */
static const struct keyword zone_types[] = {
	{ "-",        ZONE_IPV4,     0 },
	{ "bport",    ZONE_BPORT,    ZT_NOCASE },
	{ "bport4",   ZONE_BPORT,    ZT_NOCASE },
	{ "firewall", ZONE_FIREWALL, 0 },
	{ "ip",       ZONE_IPV4,     ZT_NOCASE },
	{ "ipsec",    ZONE_IPSEC,    ZT_NOCASE },
	{ "ipsec4",   ZONE_IPSEC,    ZT_NOCASE },
	{ "ipv4",     ZONE_IPV4,     ZT_NOCASE },
	{ "local",    ZONE_LOCAL,    0 },
	{ "loopback", ZONE_LOOPBACK, 0 },
	{ "vserver",  ZONE_VSERVER,  0 },
};

/* Zone options that are not policy-match options (those live in ipsec_opts.c). */
enum zone_opt { ZO_BLACKLIST, ZO_DYNAMIC_SHARED, ZO_MSS, ZO_NOMARK };
#define ZO_VALUE     1u         /* takes =N */
#define ZO_BOTH_ONLY 2u         /* only in the OPTIONS column */
#define ZO_NOFW      4u         /* not on the firewall or a vserver zone */

/* must stay sorted */
static const struct keyword zone_options[] = {
	{ "blacklist",      ZO_BLACKLIST,      ZO_NOFW },
	{ "dynamic_shared", ZO_DYNAMIC_SHARED, ZO_BOTH_ONLY },
	{ "mss",            ZO_MSS,            ZO_VALUE },
	{ "nomark",         ZO_NOMARK,         ZO_BOTH_ONLY | ZO_NOFW },
};

/* Words every file uses for something else (policy `all`, rules `SOURCE`…). must stay sorted */
static const struct keyword reserved[] = {
	{ "DEST",   0, 0 },
	{ "SOURCE", 0, 0 },
	{ "all",    0, 0 },
	{ "any",    0, 0 },
	{ "none",   0, 0 },
};

const struct keyword *zones_type_table(size_t *n)
{
	*n = KW_COUNT(zone_types);
	return zone_types;
}

const struct keyword *zones_option_table(size_t *n)
{
	*n = KW_COUNT(zone_options);
	return zone_options;
}

const struct keyword *zones_reserved_table(size_t *n)
{
	*n = KW_COUNT(reserved);
	return reserved;
}

static const struct keyword *find_type(const char *text)
{
	char low[16];
	size_t n = strlen(text);
	if (n >= sizeof(low))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)text[i]);
	const struct keyword *k = KW_FIND(zone_types, low);
	if (k && !(k->flags & ZT_NOCASE) && strcmp(k->name, text) != 0)
		return NULL;
	return k;
}

/* ---- options ------------------------------------------------------------------------------------ */

static const char *const column_name[] = {
	[ZOC_BOTH] = "OPTIONS", [ZOC_IN] = "IN_OPTIONS", [ZOC_OUT] = "OUT_OPTIONS",
};

/* mss=: decimal or 0x hex, as Shorewall's NUMERIC, and a size a TCP header can carry. */
static bool parse_mss(const char *v, unsigned *out)
{
	char *end;
	if (!*v || !isdigit((unsigned char)*v))
		return false;
	unsigned long n = strtoul(v, &end, v[0] == '0' && (v[1] == 'x' || v[1] == 'X') ? 16 : 10);
	if (*end || n < 1 || n > 65535)
		return false;
	*out = (unsigned)n;
	return true;
}

bool zones_parse_options(struct compile *c, const struct loc *loc, struct zone *z,
			 enum zone_opt_column col, const char *text, bool allow_policy)
{
	unsigned before = c->diag->errors;
	struct ipsec_opt *list = NULL;
	const char **other = NULL;

	if (!text || strcmp(text, "-") == 0)
		return true;
	if (z->type == ZONE_LOOPBACK) {
		diag_error(c->diag, loc, "A loopback zone may not have %s (%s)", column_name[col], text);
		return false;
	}
	ipsec_opts_parse(c, loc, text, &list, &other);
	if (list) {
		if (z->type != ZONE_IPSEC && !allow_policy) {
			/* Shorewall names the first such option; so do we, and keep none of them. */
			diag_error(c->diag, loc, "The \"%s\" option may only be specified for ipsec zones",
				   ipsec_key_name(list->key));
		} else {
			struct ipsec_opt **dst = col == ZOC_BOTH ? &z->options
					       : col == ZOC_IN ? &z->in_options : &z->out_options;
			while (*dst)
				dst = &(*dst)->next;
			*dst = list;
		}
	}
	for (size_t i = 0; other && other[i]; i++) {
		char *key = arena_strdup(c->arena, other[i]);
		char *eq = strchr(key, '=');
		const char *val = NULL;
		if (eq) {
			*eq = '\0';
			val = eq + 1;
		}
		bool invert = eq && eq > key && eq[-1] == '!';
		if (invert)
			eq[-1] = '\0';
		const struct keyword *k = KW_FIND(zone_options, key);
		if (!k || invert) {
			/* only policy-match options can be negated */
			diag_error(c->diag, loc, "Invalid Option (%s)", k ? other[i] : key);
			continue;
		}
		if (!(k->flags & ZO_VALUE) && val) {
			diag_error(c->diag, loc, "Option \"%s\" does not take a value", key);
			continue;
		}
		if ((k->flags & ZO_VALUE) && (!val || !*val)) {
			diag_error(c->diag, loc, "Missing value for option \"%s\"", key);
			continue;
		}
		if ((k->flags & ZO_BOTH_ONLY) && col != ZOC_BOTH) {
			diag_error(c->diag, loc, "Option '%s' is only permitted in the OPTIONS column", key);
			continue;
		}
		if ((k->flags & ZO_NOFW) && (z->type == ZONE_FIREWALL || z->type == ZONE_VSERVER)) {
			diag_error(c->diag, loc, "Option '%s' not permitted with this zone type (%s)", key,
				   zone_type_name(z->type));
			continue;
		}
		unsigned mss;
		switch ((enum zone_opt)k->value) {
		case ZO_MSS:
			if (!parse_mss(val, &mss)) {
				diag_error(c->diag, loc, "Invalid value (%s) for option \"mss\"", val);
				break;
			}
			*(col == ZOC_BOTH ? &z->mss : col == ZOC_IN ? &z->in_mss : &z->out_mss) = mss;
			break;
		case ZO_NOMARK:
			z->nomark = true;
			break;
		case ZO_DYNAMIC_SHARED:
			z->dynamic_shared = true;
			break;
		case ZO_BLACKLIST:
			diag_warn(c->diag, loc, "The 'blacklist' option is no longer supported");
			break;
		}
	}
	return c->diag->errors == before;
}

/* ---- names -------------------------------------------------------------------------------------- */

static unsigned max_name_length(const struct compile *c)
{
	return c->conf && c->conf->maxzonenamelength ? c->conf->maxzonenamelength : ZONE_NAME_MAX_DEFAULT;
}

static bool name_syntax_ok(const char *name)
{
	if (!isalpha((unsigned char)name[0]))
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

static bool name_reserved(const char *name)
{
	size_t n = strlen(name);
	/* all2x and x2all would read as "every zone" in 2.x-style chain names */
	return KW_FIND(reserved, name) || strncmp(name, "all2", 4) == 0 ||
	       (n >= 4 && strcmp(name + n - 4, "2all") == 0);
}

/* Check a new zone's name. Returns false when no zone should be made of it; a name that is only
 * too long still makes its zone, so that the files naming it do not each report it unknown. */
static bool check_name(struct compile *c, const struct loc *loc, const char *name)
{
	if (!name_syntax_ok(name) || name_reserved(name)) {
		diag_error(c->diag, loc, "Invalid zone name (%s)", name);
		return false;
	}
	if (graph_find_zone(c->graph, name)) {
		diag_error(c->diag, loc, "Duplicate zone name (%s)", name);
		return false;
	}
	if (strlen(name) > max_name_length(c))
		diag_error(c->diag, loc, "Zone name (%s) too long", name);
	return true;
}

static struct zone *zone_add(struct compile *c, const char *name, enum zone_type type, const struct loc *loc)
{
	struct graph *g = c->graph;
	struct zone *z = arena_new_obj(c->arena, struct zone);
	z->name = name;
	z->loc = *loc;
	z->type = type;
	z->index = (unsigned)g->zones.n;
	vec_push(c->arena, &g->zones, z);
	return z;
}

/* ---- layout detection ---------------------------------------------------------------------------- */

/* A 5.2 OPTIONS-like column: `-`, or a comma list whose every element starts with a zone option
 * or policy-match key. Values are not judged: a typo in a value still shows the layout. */
static bool options_shaped(struct compile *c, const char *col)
{
	if (strcmp(col, "-") == 0)
		return true;
	char *copy = arena_strdup(c->arena, col);
	for (char *save = NULL, *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		e[strcspn(e, "!=")] = '\0';
		if (!KW_FIND(zone_options, e) && !ipsec_opts_is_key(e))
			return false;
	}
	return true;
}

/* Which layout a zones file is written in, decided from all of its rows (no row is judged alone,
 * and the admin is never asked):
 *
 *   1. Decisive for 5.2: a ZONE with ':' (a parent list) or a TYPE of `firewall`. A 5.2 file must
 *      declare its firewall zone and a 2.2 file never does (FW names it), so no 2.2 seed line can
 *      look like that by accident.
 *   2. Otherwise each row votes. 5.2-shaped: at most 5 columns, a known TYPE in column 2 and every
 *      later column `-` or an option list (option_shaped). 2.2-shaped: anything else with 2 or more
 *      columns — free text (`vpn VPN Virtual Private Network`, `loc local Local Network (…)` with
 *      its 6 columns). A lone ZONE column fits both and does not vote.
 *   3. 5.2 when 5.2-shaped rows are at least as many as 2.2-shaped ones and there is at least one;
 *      2.2 otherwise, and for a file with no rows (the firewall zone alone, implicit).
 *
 * Ties go to 5.2 because that reading complains (a row with a bad TYPE, no firewall zone) where
 * the 2.2 reading would silently take a TYPE word for a display name. The cost: a 2.2 file of
 * only `net ipv4`-like lines (display name equal to a type, no comment) is read as 5.2 and told
 * it has no firewall zone. */
static bool detect_52(struct compile *c, const struct row *rows, size_t n)
{
	unsigned v52 = 0, v22 = 0;
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		if (strchr(r->col[ZC_ZONE], ':') || (r->ncols > ZC_TYPE && r->ncols <= ZONES_MAX_COLUMNS &&
						     strcmp(r->col[ZC_TYPE], "firewall") == 0))
			return true;
		if (r->ncols <= ZC_TYPE)
			continue;
		bool shaped = r->ncols <= ZONES_MAX_COLUMNS && find_type(r->col[ZC_TYPE]);
		for (unsigned j = ZC_OPTIONS; shaped && j < r->ncols; j++)
			shaped = options_shaped(c, r->col[j]);
		if (shaped)
			v52++;
		else
			v22++;
	}
	return v52 > 0 && v52 >= v22;
}

/* ---- the two layouts ------------------------------------------------------------------------------ */

static void zone_row_52(struct compile *c, struct source *s, const struct row *in)
{
	struct graph *g = c->graph;
	/* Too many columns is reported, then the line is read as far as it goes: the zone still
	 * exists for the files that name it, instead of a cascade of "Unknown zone" errors. */
	struct row rr = *in, *r = &rr;
	if (!row_max_columns(s, r, ZONES_MAX_COLUMNS, "zones file"))
		rr.ncols = ZONES_MAX_COLUMNS;
	if (!col_value(r, ZC_ZONE)) {
		diag_error(c->diag, &r->loc, "ZONE must be specified");
		return;
	}
	char *name = arena_strdup(c->arena, r->col[ZC_ZONE]);
	char *parents = strchr(name, ':');
	if (parents)
		*parents++ = '\0';
	bool name_ok = check_name(c, &r->loc, name);
	const char *type_text = r->ncols > ZC_TYPE ? r->col[ZC_TYPE] : "-";
	const struct keyword *t = find_type(type_text);
	if (!t)
		diag_error(c->diag, &r->loc, "Invalid zone type (%s)", type_text);
	if (!name_ok)
		return;
	if (t && t->value == ZONE_FIREWALL && g->fw) {
		/* a second firewall zone is not made: every stage relies on there being one */
		diag_error(c->diag, &r->loc, "Only one firewall zone may be defined (%s)", name);
		return;
	}
	/* A zone whose TYPE was bad is still made (as ipv4) so that later files can name it. */
	struct zone *z = zone_add(c, name, t ? (enum zone_type)t->value : ZONE_IPV4, &r->loc);
	z->type_declared = true;

	if (parents) {
		/* Resolution, cycles and order are graph_finish's: here only the list's shape. */
		bool bad = !*parents;
		for (char *p = parents, *comma; !bad && p; p = comma ? comma + 1 : NULL) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if (!*p)
				bad = true;
			else
				vec_push(c->arena, &z->parent_names, (const char *)p);
		}
		if (bad)
			diag_error(c->diag, &r->loc, "Invalid Parent List (%s)", strchr(r->col[ZC_ZONE], ':') + 1);
	}

	switch (z->type) {
	case ZONE_FIREWALL:
		if (parents)
			diag_error(c->diag, &r->loc, "Firewall zone may not be nested");
		g->fw = z;
		break;
	case ZONE_VSERVER:
		if (parents)
			diag_error(c->diag, &r->loc, "Vserver zones may not be nested");
		break;
	case ZONE_BPORT:
		if (!parents)
			diag_warn(c->diag, &r->loc, "Bridge Port zones should have a parent zone");
		break;
	default:
		break;
	}

	for (unsigned j = ZC_OPTIONS; j < r->ncols; j++)
		zones_parse_options(c, &r->loc, z, (enum zone_opt_column)(j - ZC_OPTIONS), r->col[j], false);
}

static void zone_row_22(struct compile *c, const struct row *r)
{
	if (!col_value(r, ZC22_ZONE)) {
		diag_error(c->diag, &r->loc, "ZONE must be specified");
		return;
	}
	if (!check_name(c, &r->loc, r->col[ZC22_ZONE]))
		return;
	struct zone *z = zone_add(c, r->col[ZC22_ZONE], ZONE_IPV4, &r->loc);
	z->display = col_value(r, ZC22_DISPLAY);
	if (r->ncols > ZC22_COMMENTS) {
		/* COMMENTS is free text: the rest of the line, its words joined again by one blank */
		size_t len = 0;
		for (unsigned j = ZC22_COMMENTS; j < r->ncols; j++)
			len += strlen(r->col[j]) + 1;
		char *text = arena_alloc(c->arena, len), *p = text;
		for (unsigned j = ZC22_COMMENTS; j < r->ncols; j++)
			p += sprintf(p, "%s%s", j > ZC22_COMMENTS ? " " : "", r->col[j]);
		z->comment = text;
	}
}

int parse_zones(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	VEC(struct row) rows = { 0 };
	struct row r;

	if (!c->graph)
		c->graph = graph_new(c);
	/* Rows are buffered (their strings already live in the arena) because the layout is a
	 * property of the whole file. */
	while (source_next(s, &r))
		vec_push(c->arena, &rows, r);

	if (detect_52(c, rows.v, rows.n)) {
		source_set_layout(s, "5.2");
		for (size_t i = 0; i < rows.n; i++)
			zone_row_52(c, s, &rows.v[i]);
		if (!c->graph->fw) {
			struct loc eof = source_eof(s);
			diag_error(c->diag, &eof, "No firewall zone defined");
		}
	} else {
		source_set_layout(s, "2.2");
		/* 2.2 never lists the firewall zone: shorewall.conf's FW names it, and it comes first. */
		struct loc file = { s->info->path, 0 };
		struct zone *fw = zone_add(c, arena_strdup(c->arena, graph_fw_name(c)), ZONE_FIREWALL, &file);
		fw->implicit = true;
		c->graph->fw = fw;
		for (size_t i = 0; i < rows.n; i++)
			zone_row_22(c, &rows.v[i]);
	}
	return (int)(c->diag->errors - before);
}
