/* params.c — the params file as a documented shell subset, read here and never run by a shell.
 *
 * Shorewall sources params with /bin/sh, so a params file may in principle do anything a shell can.
 * We accept what params files are for — assignments — and refuse, by name, everything a shell would
 * have to execute, so that `shorewall check` never runs administrator code and gives the same answer
 * on every machine:
 *
 *   NAME=value   export NAME=value   export NAME   A=1 B=2 (several on a line)
 *   value: unquoted text, "double quoted" (with $VAR, ${VAR} and the escapes \" \\ \$ \`),
 *          'single quoted' (literal), or any concatenation of these; $VAR / ${VAR} expand from
 *          the params defined above them (and $FW).
 *
 * Refused: $(…) and `…` (command substitution), $((…)) (arithmetic), ${VAR:-x} and every other
 * ${…} form, $1 $@ $? …, ; && || | & < > ( ), ~, commands (echo, ., if, for, case, while, function
 * definitions …), and a $VAR that nothing defined. Later definitions override earlier ones. */
#include "parsers.h"
#include "params.h"

#include "compile.h"
#include "conf.h"
#include "source.h"

#include <ctype.h>
#include <string.h>

typedef VEC(char) charvec;

static void put(struct compile *c, charvec *v, char ch)
{
	vec_push(c->arena, v, ch);
}

static void put_str(struct compile *c, charvec *v, const char *s)
{
	while (*s)
		put(c, v, *s++);
}

static bool is_name_start(char ch)
{
	return ch == '_' || isalpha((unsigned char)ch);
}

static bool is_name_char(char ch)
{
	return ch == '_' || isalnum((unsigned char)ch);
}

static size_t name_len(const char *p)
{
	size_t n = 0;
	if (!is_name_start(p[0]))
		return 0;
	while (is_name_char(p[n]))
		n++;
	return n;
}

/* End of a bracketed construct starting at p (which points at the opening character): the matching
 * close, counted with nesting, or the end of the text when there is none. */
static const char *match_close(const char *p, char open, char close)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == open)
			depth++;
		else if (*p == close && --depth == 0)
			return p + 1;
	}
	return p;
}

static void unsupported(const struct shword *w, const char *from, const char *to)
{
	diag_error(w->c->diag, w->loc, "Unsupported shell construct in %s (%.*s)", w->file,
		   (int)(to - from), from);
}

/* The text of the shell construct that starts at p, for a message: an operator, a bracketed or
 * quoted construct, or the word up to the next blank or operator. */
static const char *construct_end(const char *p)
{
	static const char *const ops[] = { "&&", "||", ">>", "<<", ";", "&", "|", "<", ">" };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(p, ops[i], strlen(ops[i])) == 0)
			return p + strlen(ops[i]);
	if (*p == '(')
		return match_close(p, '(', ')');
	if (*p == '`') {
		const char *e = strchr(p + 1, '`');
		return e ? e + 1 : p + strlen(p);
	}
	const char *e = p;
	while (*e && !strchr(" \t;&|<>`", *e)) {
		if (*e == '(') {
			/* NAME() is a function definition: show it whole */
			e = match_close(e, '(', ')');
			break;
		}
		e++;
	}
	return e == p ? p + 1 : e;
}

/* A `$` at *pp: expand $NAME / ${NAME}, refuse every other form, or keep a lone `$` literally
 * (as sh does before a blank, a quote or the end). */
static bool dollar(const struct shword *w, const char **pp, charvec *out)
{
	const char *p = *pp, *name = NULL, *end;
	size_t n = 0;
	if (p[1] == '(') {
		/* $(…) and $((…)) alike: show it up to the matching close */
		unsupported(w, p, match_close(p + 1, '(', ')'));
		return false;
	}
	if (p[1] == '{') {
		n = name_len(p + 2);
		if (n == 0 || p[2 + n] != '}') {
			const char *close = strchr(p, '}');
			unsupported(w, p, close ? close + 1 : p + strlen(p));
			return false;
		}
		name = p + 2;
		end = p + 3 + n;
	} else if (is_name_start(p[1])) {
		n = name_len(p + 1);
		name = p + 1;
		end = p + 1 + n;
	} else if (p[1] && strchr("0123456789@*#?$!-", p[1])) {
		unsupported(w, p, p + 2);
		return false;
	} else {
		put(w->c, out, '$');
		*pp = p + 1;
		return true;
	}
	char *nm = arena_strndup(w->c->arena, name, n);
	const char *val = w->lookup(w->ctx, nm);
	if (!val) {
		diag_error(w->c->diag, w->loc, "Undefined shell variable ($%s)", nm);
		return false;
	}
	/* Every expanded line is capped (source_expand does the same): without it `A=$A$A` on
	 * successive lines doubles a value until memory runs out. */
	if (out->n + strlen(val) > SOURCE_MAX_LINE) {
		diag_error(w->c->diag, w->loc, "Line too long after variable expansion (more than %d bytes)",
			   SOURCE_MAX_LINE);
		return false;
	}
	put_str(w->c, out, val);
	*pp = end;
	return true;
}

char *shword_read(const struct shword *w, const char **pp)
{
	const char *p = *pp, *start = p, *qstart = NULL;
	charvec out = { 0 };
	char quote = 0;
	bool ok = true;

	while (ok) {
		char ch = *p;
		if (!ch) {
			if (quote) {
				diag_error(w->c->diag, w->loc, "Unterminated quoted string in %s (%s)", w->file,
					   qstart);
				ok = false;
			}
			break;
		}
		if (quote == '\'') {
			if (ch == '\'')
				quote = 0;
			else
				put(w->c, &out, ch);
			p++;
			continue;
		}
		if (quote == '"') {
			if (ch == '"') {
				quote = 0;
				p++;
			} else if (ch == '\\' && w->shell && p[1] && strchr("$`\"\\", p[1])) {
				put(w->c, &out, p[1]);
				p += 2;
			} else if (ch == '$') {
				ok = dollar(w, &p, &out);
			} else if (ch == '`' && w->shell) {
				unsupported(w, p, construct_end(p));
				ok = false;
			} else {
				put(w->c, &out, ch);
				p++;
			}
			continue;
		}
		if (ch == '\'' || ch == '"') {
			quote = ch;
			qstart = p++;
			continue;
		}
		if (ch == '$') {
			ok = dollar(w, &p, &out);
			continue;
		}
		if (w->shell) {
			if (ch == ' ' || ch == '\t')
				break;
			if (ch == '\\') {
				if (p[1])
					put(w->c, &out, p[1]);
				p += p[1] ? 2 : 1;
				continue;
			}
			if (strchr(";&|<>()`", ch) || (ch == '~' && p == start)) {
				unsupported(w, p, construct_end(p));
				ok = false;
				continue;
			}
		}
		put(w->c, &out, ch);
		p++;
	}
	*pp = p;
	if (!ok)
		return NULL;
	put(w->c, &out, '\0');
	return out.v;
}

/* ---- the params file ------------------------------------------------------------------------------ */

static const char *params_lookup(void *ctx, const char *name)
{
	return compile_param(ctx, name);
}

/* Names Shorewall keeps for itself: every shorewall.conf option (a param would silently shadow the
 * option for $VAR in later files), FW (the firewall zone), the directories of its installation and
 * its own SW_/SHOREWALL_ prefixes. PATH is the one option a shell environment always has. */
static bool reserved(const char *name)
{
	static const char *const fixed[] = { "COMMAND", "CONFDIR", "FW", "SHAREDIR", "VARDIR" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(name, fixed[i]) == 0)
			return true;
	if (strncmp(name, "SW_", 3) == 0 || strncmp(name, "SHOREWALL_", 10) == 0)
		return true;
	return strcmp(name, "PATH") != 0 && conf_is_option(name);
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static void params_line(struct compile *c, const struct row *r)
{
	const char *p = r->col[0];
	struct shword w = { .c = c, .loc = &r->loc, .shell = true, .file = "params",
			    .lookup = params_lookup, .ctx = c };
	bool exported = false;

	if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t' || !p[6])) {
		exported = true;
		p += 6;
		skip_blanks(&p);
	}
	while (*p) {
		size_t n = name_len(p);
		if (n && p[n] == '=') {
			char *name = arena_strndup(c->arena, p, n);
			p += n + 1;
			char *value = shword_read(&w, &p);
			if (!value)
				return;
			if (reserved(name)) {
				diag_error(c->diag, &r->loc,
					   "The variable name %s is reserved and may not be set in the params file", name);
				return;
			}
			compile_set_param(c, name, value, &r->loc);
		} else if (exported && n && (!p[n] || p[n] == ' ' || p[n] == '\t')) {
			/* `export NAME`: every param is exported already */
			p += n;
		} else {
			unsupported(&w, p, construct_end(p));
			return;
		}
		skip_blanks(&p);
	}
}

int parse_params(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct row r;
	/* Whole lines, quote-aware comments; $VARs are ours to expand, quote by quote. */
	s->raw = true;
	s->expand = false;
	while (source_next(s, &r))
		params_line(c, &r);
	return (int)(c->diag->errors - before);
}
