/* rate.c — RATE and LIMIT:BURST: plain `limit` rates and per-address `hashlimit` rates. */
#include "rate.h"

#include "compile.h"
#include "graph.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct keyword units[] = {         /* must stay sorted */
	{ "day", RATE_DAY, 0 },
	{ "hour", RATE_HOUR, 0 },
	{ "min", RATE_MIN, 0 },
	{ "minute", RATE_MIN, 0 },
	{ "sec", RATE_SEC, 0 },
	{ "second", RATE_SEC, 0 },
};

const struct keyword *rate_unit_table(size_t *n)
{
	*n = KW_COUNT(units);
	return units;
}

/* A positive decimal that fits in an unsigned; advances *p past it. */
static bool number(const char **p, unsigned *out)
{
	if (!isdigit((unsigned char)**p))
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 10);
	if (errno || v == 0 || v > UINT_MAX)
		return false;
	*out = (unsigned)v;
	*p = end;
	return true;
}

/* One limit: [s:|d:][name:|:]N[/unit][:burst]. */
static bool parse_one(struct compile *c, const char *text, struct rate *r)
{
	const char *p = text;
	if ((p[0] == 's' || p[0] == 'd') && p[1] == ':') {
		r->per = p[0];
		p += 2;
	}
	if (isalpha((unsigned char)*p)) {
		/* A hashlimit table name; Shorewall's rule: a letter, then word characters. */
		const char *start = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (*p != ':')
			return false;
		r->name = arena_strndup(c->arena, start, (size_t)(p - start));
		p++;
	} else if (*p == ':') {
		p++;
	}
	if (!number(&p, &r->rate))
		return false;
	r->unit = RATE_SEC;
	if (*p == '/') {
		const char *start = ++p;
		while (isalpha((unsigned char)*p))
			p++;
		char unit[8];
		size_t n = (size_t)(p - start);
		if (n == 0 || n >= sizeof(unit))
			return false;
		memcpy(unit, start, n);
		unit[n] = '\0';
		const struct keyword *k = KW_FIND(units, unit);
		if (!k)
			return false;
		r->unit = (enum rate_unit)k->value;
	}
	if (*p == ':') {
		p++;
		if (!number(&p, &r->burst))
			return false;
	}
	return *p == '\0';
}

bool rate_parse(struct compile *c, const struct loc *loc, const char *text, struct rate **out)
{
	*out = NULL;
	const char *comma = strchr(text, ',');
	if (comma && strchr(comma + 1, ',')) {
		diag_error(c->diag, loc, "Invalid rate (%s)", text);
		return false;
	}
	struct rate *first = arena_new_obj(c->arena, struct rate);
	char *one = comma ? arena_strndup(c->arena, text, (size_t)(comma - text)) : (char *)text;
	if (!parse_one(c, one, first)) {
		diag_error(c->diag, loc, "Invalid rate (%s)", one);
		return false;
	}
	if (comma) {
		/* Two limits: the first is per source, the second per destination (`s:` / `d:` may be
		 * written, but not the other way round). */
		struct rate *second = arena_new_obj(c->arena, struct rate);
		if (!parse_one(c, comma + 1, second)) {
			diag_error(c->diag, loc, "Invalid rate (%s)", comma + 1);
			return false;
		}
		if (first->per == 'd' || second->per == 's') {
			diag_error(c->diag, loc, "Invalid rate (%s)", text);
			return false;
		}
		first->per = 's';
		second->per = 'd';
		first->next = second;
	}
	*out = first;
	return true;
}
