/* modules.c — a `modules` or `helpers` file in the configuration directory: kernel modules to load.
 *
 * Lines are `loadmodule NAME [ARGS…]`, ARGS passed to modprobe. Either file, even empty, replaces
 * the shipped lists (an empty one is how an admin with a monolithic kernel says "load nothing"),
 * so graph->modules_given is set as soon as one is read. Both files add to one list. */
#include "parsers.h"
#include "stopped.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "source.h"

#include <ctype.h>
#include <string.h>

enum { MOD_LOADMODULE };

static const struct keyword commands[] = {       /* must stay sorted */
	{ "loadmodule", MOD_LOADMODULE, 0 },
};

const struct keyword *modules_keyword_table(size_t i, size_t *n, bool *nocase)
{
	if (i > 0)
		return NULL;
	*n = KW_COUNT(commands);
	*nocase = false;
	return commands;
}

/* Module names are file names without .ko: letters, digits, _ and - (modprobe treats - as _). */
static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* A module parameter: name or name=value, as modprobe takes it. */
static bool arg_ok(const char *s)
{
	const char *p = s;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')
		p++;
	return p != s && (!*p || (*p == '=' && p[1]));
}

static bool same_module(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

int parse_modules(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	struct graph *g = c->graph;
	struct row r;
	g->modules_given = true;
	while (source_next(s, &r)) {
		if (!KW_FIND(commands, r.col[0])) {
			diag_error(c->diag, &r.loc, "Unsupported command in the %s file (%s)", s->name, r.col[0]);
			continue;
		}
		if (r.ncols < 2) {
			diag_error(c->diag, &r.loc, "Missing module name");
			continue;
		}
		if (!name_ok(r.col[1])) {
			diag_error(c->diag, &r.loc, "Invalid module name (%s)", r.col[1]);
			continue;
		}
		bool ok = true;
		char *args = NULL;
		for (unsigned i = 2; i < r.ncols; i++) {
			if (!arg_ok(r.col[i])) {
				diag_error(c->diag, &r.loc, "Invalid module parameter (%s)", r.col[i]);
				ok = false;
			}
			args = args ? arena_printf(c->arena, "%s %s", args, r.col[i]) : r.col[i];
		}
		if (!ok)
			continue;
		bool dup = false;
		for (size_t i = 0; i < g->modules.n && !dup; i++)
			dup = same_module(g->modules.v[i]->name, r.col[1]);
		if (dup) {
			diag_warn(c->diag, &r.loc, "Duplicate module (%s) ignored", r.col[1]);
			continue;
		}
		struct module_entry *m = arena_new_obj(c->arena, struct module_entry);
		m->name = r.col[1];
		m->args = args;
		m->loc = r.loc;
		vec_push(c->arena, &g->modules, m);
	}
	return (int)(c->diag->errors - before);
}
