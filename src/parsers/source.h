/* source.h — the shared column reader: lines → rows of columns, for every configuration file. */
#ifndef SHOREWALL_SOURCE_H
#define SHOREWALL_SOURCE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct compile;
struct file_info;

#define SOURCE_MAX_COLUMNS 32
#define SOURCE_MAX_LINE    (64 * 1024)   /* a logical line longer than this is an error, not a hang */
#define SOURCE_MAX_INCLUDE 16            /* INCLUDE depth; deeper is reported as a loop */

/* One logical line (continuations joined, comment stripped, $VARs expanded), split on blanks.
 * A column written as "-" is kept as "-": parsers decide what empty means via col_value(). */
struct row {
	struct loc loc;
	unsigned ncols;
	char *col[SOURCE_MAX_COLUMNS];      /* arena strings */
	unsigned format;                    /* ?FORMAT in force (1 unless the file said otherwise) */
	const char *section;                /* ?SECTION in force, NULL before the first */
};

struct source_frame;

struct source {
	struct compile *c;
	const char *name;                   /* the file's role: "zones", "policy", … */
	struct source_frame *top;           /* innermost open file (INCLUDE pushes) */
	struct file_info *info;
	unsigned format;
	const char *section;
	unsigned section_rank;              /* order check for ?SECTION */
	bool section_allowed;               /* only rules-like files accept ?SECTION */
	bool expand;                        /* expand $VAR (everything but params itself) */
	/* shorewall.conf and params: each row is ncols=1 with col[0] = the whole logical line, trimmed;
	 * `#` starts a comment only outside quotes and at the start of a word (as in sh), so values
	 * such as LOGFORMAT="%s %s " keep their blanks; continuation lines join with nothing between. */
	bool raw;
	struct loc last;                    /* location of the last row returned, or the file */
};

/* Open DIR/NAME. Returns 1 if opened, 0 if the file does not exist (most files are optional;
 * callers that require one report it), -1 on an error already reported. */
int source_open(struct source *s, struct compile *c, const char *name);
/* Read from memory instead of the file system (unit tests, fuzzers). path is shown in messages. */
void source_open_mem(struct source *s, struct compile *c, const char *name, const char *path,
		     const char *buf, size_t len);
/* Next non-empty row; false at end of input. Malformed lines are reported and skipped. */
bool source_next(struct source *s, struct row *r);
void source_close(struct source *s);

/* Record which layout the parser recognised ("2.2", "5.2"), shown by `check -v`. */
void source_set_layout(struct source *s, const char *layout);
/* EOF location of the outermost file, for "No policy defined … (EOF)"-style messages. */
struct loc source_eof(const struct source *s);

/* Column helpers. col_value: NULL when absent or "-", else the text (inline: every column of
 * every row is asked). */
static inline const char *col_value(const struct row *r, unsigned i)
{
	if (i >= r->ncols || i >= SOURCE_MAX_COLUMNS || (r->col[i][0] == '-' && r->col[i][1] == '\0'))
		return NULL;
	return r->col[i];
}
/* Report "Invalid <what> entry (too many columns)" and return false if r has more than max. */
bool row_max_columns(struct source *s, const struct row *r, unsigned max, const char *what);

/* Expand $VAR and ${VAR} in text using the compile's params; reports undefined names at loc.
 * Returns an arena string, or NULL after reporting an error. Exposed for shorewall.conf/params. */
char *source_expand(struct compile *c, const char *text, const struct loc *loc);

#endif /* SHOREWALL_SOURCE_H */
