/* macros.c — finds and reads macro.NAME files for the rules builder (format: docs/macros.md). */
#include "macros.h"

#include "compile.h"
#include "exe_path.h"
#include "source.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SHAREDIR
#define SHAREDIR "/usr/share/shorewall-c"
#endif

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *macros_shipped_dir(struct compile *c)
{
	/* The tests and an admin trying a new macro set point here; it beats everything installed. */
	const char *env = getenv("SHOREWALL_MACROS_DIR");
	if (env && *env)
		return arena_strdup(c->arena, env);
	if (is_dir(SHAREDIR "/macros"))
		return SHAREDIR "/macros";
	/* Running from a checkout: build-X/shorewall finds ../macros, as apply.c finds ../modules. */
	char dir[PATH_MAX];
	return exe_sibling_dir("macros", dir, sizeof(dir)) ? arena_strdup(c->arena, dir) : NULL;
}

/* The file for NAME: the configuration directory's own first, so an admin's macro.SSH wins. The
 * result is what source_open takes: a name in the configuration directory, or an absolute path. */
static const char *macro_path(struct compile *c, const char *name)
{
	if (!*name || strchr(name, '/'))
		return NULL;
	if (c->dir && access(arena_printf(c->arena, "%s/macro.%s", c->dir, name), R_OK) == 0)
		return arena_printf(c->arena, "macro.%s", name);
	const char *dir = macros_shipped_dir(c);
	char real[PATH_MAX];
	if (!dir || !realpath(dir, real))
		return NULL;
	const char *p = arena_printf(c->arena, "%s/macro.%s", real, name);
	return access(p, R_OK) == 0 ? p : NULL;
}

struct macro *macro_read(struct compile *c, const char *name, bool *reported)
{
	*reported = false;
	const char *path = macro_path(c, name);
	if (!path)
		return NULL;
	struct source s;
	int rc = source_open(&s, c, path);
	if (rc <= 0) {
		*reported = rc < 0;
		return NULL;
	}
	struct macro *m = arena_alloc(c->arena, sizeof(*m));
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->path = path;
	VEC(struct macro_line) lines = { 0 };
	unsigned errors = c->diag->errors;
	struct row r;
	while (source_next(&s, &r)) {
		if (!row_max_columns(&s, &r, 6, "macro"))
			continue;
		struct macro_line l = {
			.loc = r.loc, .action = col_value(&r, 0), .source = col_value(&r, 1),
			.dest = col_value(&r, 2), .proto = col_value(&r, 3), .dport = col_value(&r, 4),
			.sport = col_value(&r, 5),
		};
		if (!l.action) {
			diag_error(c->diag, &r.loc, "Invalid macro entry (%s)", "no ACTION");
			continue;
		}
		vec_push(c->arena, &lines, l);
	}
	source_close(&s);
	if (c->diag->errors != errors) {
		*reported = true;
		return NULL;
	}
	m->lines = lines.v;
	m->n = lines.n;
	return m;
}
