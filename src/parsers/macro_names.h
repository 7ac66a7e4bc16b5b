/* macro_names.h — the macros and builtin actions an ACTION column may name, known without reading
 * Shorewall's own files (a configuration directory may add more as macro.NAME / action.NAME). */
#ifndef SHOREWALL_MACRO_NAMES_H
#define SHOREWALL_MACRO_NAMES_H 1

#include <stdbool.h>
#include <stddef.h>

#include "keyword.h"

struct compile;

/* Shorewall 5.2's standard macros (SSH, Web, Ping, …) plus a few modern ones. Case-sensitive. */
bool macro_name_known(const char *name);
/* The builtin actions of Shorewall's actions.std (Broadcast, Invalid, Limit, …). */
bool builtin_action_known(const char *name);
/* The configuration directory holds `<prefix>.<name>` ("macro", "action"): a user's own. */
bool macro_file_exists(const struct compile *c, const char *prefix, const char *name);

const struct keyword *macro_names_table(size_t *n);
const struct keyword *builtin_action_table(size_t *n);

#endif /* SHOREWALL_MACRO_NAMES_H */
