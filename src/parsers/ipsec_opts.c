/* ipsec_opts.c — policy-match option lists, validated once here for the zones, ipsec, masq and snat files. */
#include "ipsec_opts.h"

#include "addr.h"
#include "compile.h"
#include "graph.h"
#include "keyword.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What a key's value must look like (the keyword table's flags). */
enum ipsec_val {
	IV_NONE,                    /* strict, next: a bare word */
	IV_MODE,                    /* tunnel | transport */
	IV_NUM32,                   /* reqid, spi: decimal or 0x hex, 32 bits */
	IV_PROTO,                   /* ah | esp | ipcomp, or their protocol numbers */
	IV_NET,                     /* tunnel-src, tunnel-dst: a.b.c.d[/len] */
};

/* must stay sorted */
static const struct keyword keys[] = {
	{ "mode",       IPSEC_MODE,       IV_MODE },
	{ "next",       IPSEC_NEXT,       IV_NONE },
	{ "proto",      IPSEC_PROTO,      IV_PROTO },
	{ "reqid",      IPSEC_REQID,      IV_NUM32 },
	{ "spi",        IPSEC_SPI,        IV_NUM32 },
	{ "strict",     IPSEC_STRICT,     IV_NONE },
	{ "tunnel-dst", IPSEC_TUNNEL_DST, IV_NET },
	{ "tunnel-src", IPSEC_TUNNEL_SRC, IV_NET },
};

/* must stay sorted */
static const struct keyword modes[] = {
	{ "transport", 0, 0 },
	{ "tunnel",    0, 0 },
};

/* The policy match takes names; the numbers an admin may know them by are normalised to those
 * names so that every emitter prints one spelling. value indexes proto_names. */
static const char *const proto_names[] = { "ah", "esp", "ipcomp" };
/* must stay sorted */
static const struct keyword protos[] = {
	{ "108",    2, 0 },
	{ "50",     1, 0 },
	{ "51",     0, 0 },
	{ "ah",     0, 0 },
	{ "esp",    1, 0 },
	{ "ipcomp", 2, 0 },
};

/* The kernel's xt_policy accepts at most this many elements (XT_POLICY_MAX_ELEM). */
#define IPSEC_MAX_ELEMENTS 4

const struct keyword *ipsec_opts_table(unsigned which, size_t *n)
{
	static const struct { const struct keyword *t; size_t n; } tables[] = {
		{ keys, KW_COUNT(keys) }, { modes, KW_COUNT(modes) }, { protos, KW_COUNT(protos) },
	};
	if (which >= sizeof(tables) / sizeof(tables[0]))
		return NULL;
	*n = tables[which].n;
	return tables[which].t;
}

bool ipsec_opts_is_key(const char *name)
{
	return KW_FIND(keys, name) != NULL;
}

static bool parse_num32(const char *s)
{
	const char *p = s;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (base == 16 ? !isxdigit((unsigned char)*q) : !isdigit((unsigned char)*q))
			return false;
	errno = 0;
	unsigned long long v = strtoull(p, NULL, base);
	return errno == 0 && v <= 0xffffffffull;
}

/* Check value v for key k; returns the normalised arena copy, or NULL when v is invalid. */
static const char *check_value(struct compile *c, const struct keyword *k, const char *v)
{
	const struct keyword *hit;
	struct net4 net;

	switch ((enum ipsec_val)k->flags) {
	case IV_MODE:
		return KW_FIND(modes, v) ? arena_strdup(c->arena, v) : NULL;
	case IV_NUM32:
		/* kept as written: 0x10 and 16 are both what the admin meant, and iptables takes both */
		return parse_num32(v) ? arena_strdup(c->arena, v) : NULL;
	case IV_PROTO:
		hit = KW_FIND(protos, v);
		return hit ? proto_names[hit->value] : NULL;
	case IV_NET:
		return addr_parse_net(v, &net) ? arena_strdup(c->arena, v) : NULL;
	case IV_NONE:
		break;
	}
	return NULL;
}

bool ipsec_opts_parse(struct compile *c, const struct loc *loc, const char *text,
		      struct ipsec_opt **out, const char ***other)
{
	unsigned before = c->diag->errors;
	VEC(const char *) others = { 0 };
	struct ipsec_opt **tail = out;
	unsigned seen = 0, elements = 1, in_element = 0;   /* seen: bit per key, this element */
	bool strict = false;

	while (*tail)
		tail = &(*tail)->next;
	if (other)
		*other = NULL;
	if (!text || !*text || strcmp(text, "-") == 0)
		return true;

	char *copy = arena_strdup(c->arena, text);
	for (char *e = copy, *comma; e; e = comma ? comma + 1 : NULL) {
		comma = strchr(e, ',');
		if (comma)
			*comma = '\0';
		if (!*e) {
			diag_error(c->diag, loc, "Invalid option list (%s)", text);
			continue;
		}
		char *val = NULL, *key = arena_strdup(c->arena, e);
		bool invert = false;
		char *eq = strchr(key, '=');
		if (eq) {
			if (eq > key && eq[-1] == '!') {
				invert = true;
				eq[-1] = '\0';
			}
			*eq = '\0';
			val = eq + 1;
		}
		const struct keyword *k = KW_FIND(keys, key);
		if (!k) {
			/* not a policy-match option: the caller knows its own (mss=, nomark, …) */
			vec_push(c->arena, &others, (const char *)e);
			continue;
		}
		enum ipsec_key ik = (enum ipsec_key)k->value;
		const char *norm = NULL;
		if (k->flags == IV_NONE) {
			if (val) {
				diag_error(c->diag, loc, "Option \"%s\" does not take a value", key);
				continue;
			}
		} else if (!val || !*val) {
			diag_error(c->diag, loc, "Missing value for option \"%s\"", key);
			continue;
		} else if (!(norm = check_value(c, k, val))) {
			diag_error(c->diag, loc, "Invalid value (%s) for option \"%s\"", val, key);
			continue;
		}

		/* The kernel rejects what iptables would refuse at load time; say it here, with the line. */
		if (ik == IPSEC_STRICT) {
			if (strict)
				diag_error(c->diag, loc, "Option \"%s\" specified twice", key);
			strict = true;
		} else if (ik == IPSEC_NEXT) {
			if (!in_element)
				diag_error(c->diag, loc, "Empty policy-match element before \"next\" (%s)", text);
			else if (++elements > IPSEC_MAX_ELEMENTS)
				diag_error(c->diag, loc, "Too many policy-match elements (at most %d): %s",
					   IPSEC_MAX_ELEMENTS, text);
			seen = 0;
			in_element = 0;
		} else {
			if (seen & (1u << ik)) {
				diag_error(c->diag, loc, "Option \"%s\" specified twice", key);
				continue;
			}
			seen |= 1u << ik;
			in_element++;
		}

		struct ipsec_opt *o = arena_new_obj(c->arena, struct ipsec_opt);
		o->key = ik;
		o->invert = invert;
		o->value = norm;
		*tail = o;
		tail = &o->next;
	}
	if (elements > 1 && !in_element)
		diag_error(c->diag, loc, "Empty policy-match element after \"next\" (%s)", text);

	if (other && others.n) {
		vec_push(c->arena, &others, (const char *)NULL);
		*other = others.v;
	}
	return c->diag->errors == before;
}
