/* macros.h — macro.NAME files (docs/macros.md): found in the configuration directory first, then
 * in the shipped directory, read into lines the rules builder expands a macro rule into. */
#ifndef SHOREWALL_MACROS_H
#define SHOREWALL_MACROS_H 1

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct compile;

/* One body line; NULL for `-`. source/dest may be SOURCE or DEST (the invoking rule's columns). */
struct macro_line {
	struct loc loc;
	const char *action, *source, *dest, *proto, *dport, *sport;
};

struct macro {
	const char *name;
	const char *path;
	struct macro_line *lines;
	size_t n;
};

/* The shipped macros' directory: $SHOREWALL_MACROS_DIR if set, else SHAREDIR/macros if it exists,
 * else macros/ beside the build directory (running from a checkout). NULL if none. */
const char *macros_shipped_dir(struct compile *c);
/* Read macro.NAME (configuration directory first). NULL if there is no such file, or after its
 * errors were reported (*reported set). */
struct macro *macro_read(struct compile *c, const char *name, bool *reported);

#endif /* SHOREWALL_MACROS_H */
