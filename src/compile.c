/* compile.c — lifetime of one compile's context: arena, params, interned names. */
#include "compile.h"

#include "graph.h"
#include "settings.h"

#include <string.h>

void compile_init(struct compile *c, struct diag *d, const char *dir)
{
	memset(c, 0, sizeof(*c));
	c->arena = arena_new();
	c->diag = d;
	c->dir = dir ? arena_strdup(c->arena, dir) : NULL;
	/* Settings exist from the start, at their shipped defaults, so that every stage may read
	 * c->conf whether or not shorewall.conf exists or sets the option. */
	c->conf = arena_new_obj(c->arena, struct settings);
	settings_defaults(c->conf);
}

void compile_fini(struct compile *c)
{
	arena_free(c->arena);
	c->arena = NULL;
}

void compile_set_param(struct compile *c, const char *name, const char *value, const struct loc *loc)
{
	struct param *p = arena_new_obj(c->arena, struct param);
	p->name = arena_strdup(c->arena, name);
	p->value = arena_strdup(c->arena, value);
	p->loc = loc ? *loc : LOC_NONE;
	p->next = c->params;
	c->params = p;
}

const char *compile_param(const struct compile *c, const char *name)
{
	for (const struct param *p = c->params; p; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p->value;
	if (strcmp(name, "FW") == 0)
		return graph_fw_name(c);
	return NULL;
}

const char *compile_intern(struct compile *c, const char *s)
{
	/* Paths are few (one per file); a copy per call is cheaper than a table. */
	return arena_strdup(c->arena, s);
}
