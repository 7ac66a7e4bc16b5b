/* compile.h — the context one compile carries from the first file read to the last byte emitted. */
#ifndef SHOREWALL_COMPILE_H
#define SHOREWALL_COMPILE_H 1

#include "arena.h"
#include "diag.h"

struct graph;
struct settings;

/* A variable from the params file (or the environment's predefined ones). */
struct param {
	const char *name, *value;
	struct loc loc;
	struct param *next;
};

/* Every file read, in the order read, with the layout its parser recognised (for `check -v`). */
struct file_info {
	const char *path;
	const char *layout;         /* "2.2", "5.2", "5.2 (?FORMAT 2)", … or NULL if not applicable */
	unsigned rows;
};

struct compile {
	struct arena *arena;        /* owns every string, record and node of this compile */
	struct diag *diag;
	const char *dir;            /* configuration directory, as given */
	struct param *params;       /* params file, newest first */
	struct settings *conf;      /* shorewall.conf */
	struct graph *graph;
	VEC(struct file_info *) files;
	unsigned verbose;
};

void compile_init(struct compile *c, struct diag *d, const char *dir);
void compile_fini(struct compile *c);
void compile_set_param(struct compile *c, const char *name, const char *value, const struct loc *loc);
/* Value of $NAME: params first, then the predefined FW (the firewall zone's name). NULL if undefined. */
const char *compile_param(const struct compile *c, const char *name);
/* Intern a path or name for the lifetime of the compile. */
const char *compile_intern(struct compile *c, const char *s);

#endif /* SHOREWALL_COMPILE_H */
