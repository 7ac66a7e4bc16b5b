/* params.h — the shell-word reader shared by params (a shell subset) and shorewall.conf values. */
#ifndef SHOREWALL_PARAMS_H
#define SHOREWALL_PARAMS_H 1

#include <stdbool.h>

#include "diag.h"

struct compile;

/* How to read one value. Neither file is ever run through a shell: quotes, backslashes and $VAR
 * references are interpreted here, and anything a shell would execute is refused by name. */
struct shword {
	struct compile *c;
	const struct loc *loc;
	/* params: sh word rules (a word ends at an unquoted blank; ; & | < > ( ) and backslash
	 * escapes mean what sh says). shorewall.conf: the value is the rest of the line, taken
	 * literally apart from quotes and $VAR, as Shorewall reads it. */
	bool shell;
	const char *file;           /* "params" or "shorewall.conf", for messages */
	/* Value of $NAME, or NULL if undefined (reported as `Undefined shell variable ($NAME)`). */
	const char *(*lookup)(void *ctx, const char *name);
	void *ctx;
};

/* Read one word (shell) or the rest of the line (conf) at *p and advance *p past it. Returns an arena
 * string, or NULL after reporting an error at w->loc. */
char *shword_read(const struct shword *w, const char **p);

#endif /* SHOREWALL_PARAMS_H */
