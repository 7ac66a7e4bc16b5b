/* diag.h — the one reporter: errors and warnings are collected with their origin, never fatal. */
#ifndef SHOREWALL_DIAG_H
#define SHOREWALL_DIAG_H 1

#include <stdbool.h>
#include <stdio.h>

/* Where a record came from. file is the path as the user named it (interned, never freed before
 * the compile ends); line 0 = the file as a whole; LOC_EOF = "at the end of the file". */
struct loc {
	const char *file;
	unsigned line;
};
#define LOC_EOF 0xffffffffu
#define LOC_NONE ((struct loc){ NULL, 0 })

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_INFO };

struct diag_msg {
	enum diag_level level;
	struct loc loc;
	char *text;                 /* malloc'd; owned by the diag */
	struct diag_msg *next;
};

struct diag {
	struct diag_msg *head, *tail;
	unsigned errors, warnings;
	FILE *out;                  /* where diag_flush prints; NULL = stderr */
};

void diag_init(struct diag *d);
void diag_fini(struct diag *d);

void diag_error(struct diag *d, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diag *d, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_info(struct diag *d, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Render one message the way Shorewall does: "ERROR: what /etc/shorewall/policy (line 7)". */
void diag_format(const struct diag_msg *m, char *buf, size_t len);
/* Print every collected message in the order found, then forget them. */
void diag_flush(struct diag *d);
/* True when some collected message contains the substring (for unit tests). */
bool diag_has(const struct diag *d, const char *needle);

#endif /* SHOREWALL_DIAG_H */
