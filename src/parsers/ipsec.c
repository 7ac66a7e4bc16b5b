/* ipsec.c — the 2.2 ipsec file: which zones are ipsec-only, and the SAs a mixed zone's `ipsec` hosts must match. */
#include "parsers.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "membership.h"
#include "source.h"

#include <string.h>

enum { PC_ZONE, PC_IPSEC_ONLY, PC_OPTIONS, PC_IN_OPTIONS, PC_OUT_OPTIONS, IPSEC_MAX_COLUMNS };

/* Shorewall 2.2 wrote Yes/No and accepted any case. must stay sorted (case-blind) */
static const struct keyword ipsec_only[] = {
	{ "no",  0, 0 },
	{ "yes", 1, 0 },
};

const struct keyword *ipsec_only_table(size_t *n)
{
	*n = KW_COUNT(ipsec_only);
	return ipsec_only;
}

static struct ipsec_opt **column_list(struct zone *z, enum zone_opt_column col)
{
	return col == ZOC_BOTH ? &z->options : col == ZOC_IN ? &z->in_options : &z->out_options;
}

static size_t list_len(const struct ipsec_opt *o)
{
	size_t n = 0;
	for (; o; o = o->next)
		n++;
	return n;
}

static const char *const column_names[] = {
	[ZOC_BOTH] = "OPTIONS", [ZOC_IN] = "IN_OPTIONS", [ZOC_OUT] = "OUT_OPTIONS",
};

static void ipsec_row(struct compile *c, struct source *s, const struct row *in)
{
	/* reported, then read as far as the known columns go (as the zones parser does) */
	struct row rr = *in, *r = &rr;
	if (!row_max_columns(s, r, IPSEC_MAX_COLUMNS, "ipsec file"))
		rr.ncols = IPSEC_MAX_COLUMNS;
	const char *name = col_value(r, PC_ZONE);
	if (!name) {
		diag_error(c->diag, &r->loc, "ZONE must be specified");
		return;
	}
	struct zone *z = graph_find_zone(c->graph, name);
	if (!z) {
		diag_error(c->diag, &r->loc, "Unknown zone (%s)", name);
		return;
	}
	if (z->type == ZONE_FIREWALL) {
		diag_error(c->diag, &r->loc, "Firewall zone not allowed in ZONE column of ipsec record");
		return;
	}
	if (z->ipsec_loc.file) {
		diag_error(c->diag, &r->loc, "Duplicate ipsec entry for zone %s (first at line %u)", name,
			   z->ipsec_loc.line);
		return;
	}
	const char *only = col_value(r, PC_IPSEC_ONLY);
	const struct keyword *k = only ? kw_find_nocase(ipsec_only, KW_COUNT(ipsec_only), only) : NULL;
	if (!k) {
		diag_error(c->diag, &r->loc, "Invalid IPSEC_ONLY value (%s)",
			   r->ncols > PC_IPSEC_ONLY ? r->col[PC_IPSEC_ONLY] : "");
		return;
	}
	bool yes = k->value;

	/* A 5.2 zones file already said what the zone is; the ipsec file may agree, not overrule. */
	if (z->type_declared && (yes ? z->type != ZONE_IPSEC : z->type == ZONE_IPSEC)) {
		diag_error(c->diag, &r->loc, "Zone %s is declared %s in %s (line %u) but the ipsec file says IPSEC_ONLY=%s",
			   name, zone_type_name(z->type), z->loc.file, z->loc.line, only);
		return;
	}
	if (yes)
		z->type = ZONE_IPSEC;
	z->ipsec_loc = r->loc;

	for (unsigned j = PC_OPTIONS; j < r->ncols; j++) {
		enum zone_opt_column col = (enum zone_opt_column)(j - PC_OPTIONS);
		size_t had = list_len(*column_list(z, col));
		/* IPSEC_ONLY=No with SA options is the 2.2 mixed zone: the options are allowed on a
		 * non-ipsec zone and select the SAs its `ipsec` hosts are reached through. */
		zones_parse_options(c, &r->loc, z, col, r->col[j], true);
		/* Two lists for one column would put the same --mode or --reqid twice in one match. */
		if (had && list_len(*column_list(z, col)) > had)
			diag_error(c->diag, &r->loc, "Zone %s has %s in both %s (line %u) and the ipsec file",
				   name, column_names[col], z->loc.file, z->loc.line);
	}
	if (!yes)
		z->mixed = z->options || z->in_options || z->out_options;
}

int parse_ipsec(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	source_set_layout(s, "2.2");
	while (source_next(s, &r))
		ipsec_row(c, s, &r);
	return (int)(c->diag->errors - before);
}
