/* source.c — reads any configuration file into rows: comments, continuation, INCLUDE, ?FORMAT,
 * ?SECTION, $VAR expansion and hostile input are handled here once, for every parser. */
#include "source.h"

#include "compile.h"
#include "keyword.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct source_frame {
	struct source_frame *up;
	const char *path;           /* interned, as shown in messages */
	const char *real;           /* canonical path for INCLUDE loop detection, or NULL */
	bool real_known;            /* real was looked up (only when an INCLUDE asks: realpath
	                             * costs a readlink per path component) */
	FILE *fp;                   /* read line by line (getc); NULL for memory input */
	const char *mem, *mem_end;  /* memory input cursor; *mem_end is a '\n' sentinel */
	char *owned;                /* the window mem points into (malloc'd, freed at pop), or NULL */
	size_t cap;                 /* owned's size */
	FILE *win;                  /* the file the window is refilled from; NULL once all is in */
	unsigned line;              /* physical line number of the last line read */
	unsigned depth;
};

static struct source_frame *frame_new(struct source *s, const char *path)
{
	struct source_frame *f = arena_new_obj(s->c->arena, struct source_frame);
	f->path = compile_intern(s->c, path);
	f->up = s->top;
	f->depth = s->top ? s->top->depth + 1 : 0;
	s->top = f;
	return f;
}

static void frame_pop(struct source *s)
{
	struct source_frame *f = s->top;
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->win)
		fclose(f->win);
	free(f->owned);
	s->top = f->up;
}

static char *join_path(struct compile *c, const char *name)
{
	if (name[0] == '/' || !c->dir)
		return arena_strdup(c->arena, name);
	return arena_printf(c->arena, "%s/%s", c->dir, name);
}

/* Regular files up to this size are read in windows of SOURCE_WINDOW bytes and split in memory:
 * reading a 50,000-line rules file character by character (getc) with a malloc per line was a
 * tenth of the compile. Larger ones (and those whose size stat cannot tell, such as /proc files)
 * are still read line by line, so a huge file costs no more memory than its longest line. */
#define SOURCE_SLURP_MAX (32u << 20)
/* A window, not the whole file: the kernel's copy of a 2.4 MB rules file into fresh memory was
 * half the page faults of a 50,000-rule compile; a window is faulted in once and reused. A line
 * longer than the window grows it (up to the file, as reading it whole did). */
#ifndef SOURCE_WINDOW
#define SOURCE_WINDOW (64u << 10)       /* tests build with a tiny one, to cross its edges often */
#endif

/* Keep the window's unread bytes (a line not yet complete), moved to its start, and read what
 * follows behind them. False when nothing more came: the file has ended (a read error ends it
 * too, as getc's EOF did). Pointers into the window are stale afterwards. */
static __attribute__((noinline)) bool window_refill(struct source_frame *f)
{
	if (!f->win)
		return false;
	size_t keep = (size_t)(f->mem_end - f->mem);
	if (2 * keep + 1 > f->cap) {
		/* one line fills more than half the window: double it, so that a long line is not
		 * moved again and again for a few more bytes each time */
		size_t cap = 2 * f->cap;
		char *nw = malloc(cap);
		if (!nw)
			abort();
		memcpy(nw, f->mem, keep);
		free(f->owned);
		f->owned = nw;
		f->cap = cap;
	} else {
		memmove(f->owned, f->mem, keep);
	}
	size_t got = fread(f->owned + keep, 1, f->cap - 1 - keep, f->win);
	if (got == 0) {
		fclose(f->win);
		f->win = NULL;
	}
	f->mem = f->owned;
	f->mem_end = f->owned + keep + got;
	f->owned[keep + got] = '\n';      /* the sentinel plain_line stops at (not part of the text) */
	return got > 0;
}

/* Give f the open file fp: read through a window when it is a regular file of known, modest size,
 * else kept for line-by-line reading. The rows are the same either way. */
static void frame_attach(struct source_frame *f, FILE *fp)
{
	struct stat st;
	f->fp = fp;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > SOURCE_SLURP_MAX)
		return;
	/* a small file's window is the file (and its sentinel): no more than it needs */
	size_t cap = (size_t)st.st_size < SOURCE_WINDOW ? (size_t)st.st_size + 1 : SOURCE_WINDOW + 1;
	char *buf = malloc(cap);
	if (!buf)
		return;
	f->fp = NULL;
	f->win = fp;
	f->owned = buf;
	f->cap = cap;
	f->mem = f->mem_end = buf;
	window_refill(f);
}

static void init(struct source *s, struct compile *c, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->name = name;
	s->format = 1;
	s->expand = true;
	s->section_allowed = strcmp(name, "rules") == 0 || strcmp(name, "blrules") == 0 ||
			     strcmp(name, "accounting") == 0;
	s->info = arena_new_obj(c->arena, struct file_info);
	vec_push(c->arena, &c->files, s->info);
}

/* Only regular files are configuration: a directory would read as an empty file, and a FIFO or a
 * device could block or never end, so both are refused before fopen (which would block on a FIFO).
 * Returns NULL when path is a regular file, else why not; errno is ENOENT when it does not exist. */
static const char *not_regular(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return strerror(errno);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return strerror(EISDIR);
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return "not a regular file";
	}
	return NULL;
}

int source_open(struct source *s, struct compile *c, const char *name)
{
	init(s, c, name);
	char *path = join_path(c, name);
	s->info->path = compile_intern(c, path);
	s->last = (struct loc){ s->info->path, 0 };
	const char *why = not_regular(path);
	FILE *fp = why ? NULL : fopen(path, "r");
	if (!fp) {
		if (why && errno == ENOENT) {
			c->files.n--;   /* absent files are not "read" */
			return 0;
		}
		diag_error(c->diag, &s->last, "Cannot read file (%s):", why ? why : strerror(errno));
		return -1;
	}
	struct source_frame *f = frame_new(s, path);
	frame_attach(f, fp);
	return 1;
}

void source_open_mem(struct source *s, struct compile *c, const char *name, const char *path,
		     const char *buf, size_t len)
{
	init(s, c, name);
	struct source_frame *f = frame_new(s, path);
	f->real_known = true;       /* not a file: nothing an INCLUDE could loop back to */
	s->info->path = f->path;
	s->last = (struct loc){ f->path, 0 };
	/* copied, for the sentinel plain_line stops at (the caller's buffer may end anywhere) */
	char *copy = arena_alloc(c->arena, len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\n';
	f->mem = copy;
	f->mem_end = copy + len;
}

void source_close(struct source *s)
{
	while (s->top)
		frame_pop(s);
}

void source_set_layout(struct source *s, const char *layout)
{
	s->info->layout = layout;
}

struct loc source_eof(const struct source *s)
{
	return (struct loc){ s->info->path, LOC_EOF };
}

bool row_max_columns(struct source *s, const struct row *r, unsigned max, const char *what)
{
	if (r->ncols <= max)
		return true;
	diag_error(s->c->diag, &r->loc, "Invalid %s entry (too many columns)", what);
	return false;
}

/* ---- physical lines ---------------------------------------------------------------------------- */

/* A line buffer: starts in the caller's stack array (stack), moves to the heap when a line
 * outgrows it; a malloc, realloc and free per row were 4 % of a large compile. */
struct linebuf {
	char *p;
	size_t cap;
	char *stack;
};

static void grow(struct linebuf *b, size_t need)
{
	if (need <= b->cap)
		return;
	size_t cap = need < 256 ? 256 : need;
	char *np = b->p == b->stack ? malloc(cap) : realloc(b->p, cap);
	if (!np)
		abort();
	if (b->p == b->stack)
		memcpy(np, b->p, b->cap);
	b->p = np;
	b->cap = cap;
}

static void linebuf_free(struct linebuf *b)
{
	if (b->p != b->stack)
		free(b->p);
}

/* Read one physical line into b (grown as needed). Returns its length, or -1 at EOF.
 * Lines longer than SOURCE_MAX_LINE are consumed whole but flagged via *too_long; a file's line is
 * never held beyond that limit, so a huge file without newlines costs no memory. */
static long read_physical(struct source_frame *f, struct linebuf *b, bool *too_long)
{
	*too_long = false;
	if (f->fp) {
		size_t n = 0;
		int ch = EOF;
		grow(b, 256);
		while ((ch = getc_unlocked(f->fp)) != EOF) {
			if (n < SOURCE_MAX_LINE) {
				if (n + 2 > b->cap)
					grow(b, b->cap * 2);
				b->p[n] = (char)ch;
			} else {
				*too_long = true;
			}
			n++;
			if (ch == '\n')
				break;
		}
		if (n == 0)
			return -1;
		b->p[n < SOURCE_MAX_LINE ? n : SOURCE_MAX_LINE] = '\0';
		f->line++;
		return (long)(n < SOURCE_MAX_LINE ? n : SOURCE_MAX_LINE);
	}
	if (f->mem >= f->mem_end && !window_refill(f))
		return -1;
	const char *nl;
	while (!(nl = memchr(f->mem, '\n', (size_t)(f->mem_end - f->mem))) && window_refill(f))
		;       /* the line goes on past the window */
	size_t n = nl ? (size_t)(nl - f->mem) + 1 : (size_t)(f->mem_end - f->mem);
	f->line++;
	if (n > SOURCE_MAX_LINE) {
		*too_long = true;
		f->mem += n;
		return (long)n;
	}
	grow(b, n + 1);
	memcpy(b->p, f->mem, n);
	b->p[n] = '\0';
	f->mem += n;
	return (long)n;
}

/* Control bytes other than tab and the line end (LF, or CR LF from DOS editors) have no business in
 * a configuration file; say which one. A CR anywhere else would hide inside a column. */
/* The bytes bad_byte must look at: control characters other than tab and LF, and DEL. */
static const bool byte_suspect[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1,
	[0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1,
	[0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [0x7f] = 1,
};

static int bad_byte(const char *p, long n)
{
	for (long i = 0; i < n; i++) {
		/* skip the plain bytes with one table look-up each (every byte of every file passes) */
		while (i < n && !byte_suspect[(unsigned char)p[i]])
			i++;
		if (i == n)
			break;
		unsigned char ch = (unsigned char)p[i];
		if (ch == '\r' && (i + 1 == n || p[i + 1] == '\n'))
			continue;
		if (ch < 0x20 && ch != '\t' && ch != '\n')
			return ch;
		if (ch == 0x7f)
			return ch;
	}
	return -1;
}

/* ---- $VAR expansion ----------------------------------------------------------------------------- */

char *source_expand(struct compile *c, const char *text, const struct loc *loc)
{
	if (!strchr(text, '$'))
		return arena_strdup(c->arena, text);
	size_t cap = strlen(text) + 64, len = 0;
	char *out = malloc(cap);
	bool ok = true;
	if (!out)
		abort();
	for (const char *p = text; *p;) {
		const char *val = NULL;
		size_t vlen = 0;
		if (p[0] == '$' && (p[1] == '{' || p[1] == '_' || isalpha((unsigned char)p[1]))) {
			const char *name = p + 1, *end;
			bool braced = *name == '{';
			if (braced)
				name++;
			end = name;
			while (*end == '_' || isalnum((unsigned char)*end))
				end++;
			if (braced && (*end != '}' || end == name)) {
				diag_error(c->diag, loc, "Invalid variable reference (%.*s)",
					   (int)(strchr(p, '}') ? strchr(p, '}') - p + 1 : (long)strlen(p)), p);
				ok = false;
				break;
			}
			char *nm = strndup(name, (size_t)(end - name));
			val = compile_param(c, nm);
			if (!val) {
				diag_error(c->diag, loc, "Undefined shell variable ($%s)", nm);
				ok = false;
			}
			free(nm);
			p = braced ? end + 1 : end;
			if (!val)
				continue;
			vlen = strlen(val);
		} else {
			val = p++;
			vlen = 1;
		}
		if (len + vlen + 1 > cap) {
			cap = (len + vlen + 1) * 2;
			out = realloc(out, cap);
			if (!out)
				abort();
		}
		memcpy(out + len, val, vlen);
		len += vlen;
		if (len > SOURCE_MAX_LINE) {
			diag_error(c->diag, loc, "Line too long after variable expansion (more than %d bytes)",
				   SOURCE_MAX_LINE);
			ok = false;
			break;
		}
	}
	char *res = ok ? arena_strndup(c->arena, out, len) : NULL;
	free(out);
	return res;
}

/* ---- directives ---------------------------------------------------------------------------------- */

/* ?SECTION names in the only order Shorewall allows them (each at most once). */
static const char *const section_order[] = { "ALL", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", "NEW" };

static void do_section(struct source *s, const struct loc *loc, const char *name)
{
	if (!s->section_allowed) {
		diag_error(s->c->diag, loc, "?SECTION is not allowed in the %s file", s->name);
		return;
	}
	for (unsigned i = 0; i < sizeof(section_order) / sizeof(section_order[0]); i++) {
		if (name && strcmp(name, section_order[i]) == 0) {
			if (i + 1 <= s->section_rank) {
				/* keep the section in force, so a later duplicate is still caught */
				diag_error(s->c->diag, loc, "Duplicate or out of order SECTION %s", name);
				return;
			}
			s->section = section_order[i];
			s->section_rank = i + 1;
			return;
		}
	}
	diag_error(s->c->diag, loc, "Invalid SECTION (%s)", name ? name : "");
}

static void do_include(struct source *s, const struct loc *loc, const char *name)
{
	struct compile *c = s->c;
	if (!name || !*name) {
		diag_error(c->diag, loc, "Missing file name in INCLUDE");
		return;
	}
	char *path = join_path(c, name);
	char real[PATH_MAX];
	const char *r = realpath(path, real) ? real : NULL;
	if (s->top->depth + 1 >= SOURCE_MAX_INCLUDE) {
		diag_error(c->diag, loc, "INCLUDEs nested too deeply (%s)", name);
		return;
	}
	for (struct source_frame *f = s->top; f && r; f = f->up) {
		if (!f->real_known) {
			char freal[PATH_MAX];
			f->real = realpath(f->path, freal) ? arena_strdup(c->arena, freal) : NULL;
			f->real_known = true;
		}
		if (f->real && strcmp(f->real, r) == 0) {
			diag_error(c->diag, loc, "INCLUDE loop (%s)", path);
			return;
		}
	}
	const char *why = not_regular(path);
	if (why && errno == EISDIR) {
		diag_error(c->diag, loc, "Directory (%s) not allowed in INCLUDE", path);
		return;
	}
	FILE *fp = why ? NULL : fopen(path, "r");
	if (!fp) {
		diag_error(c->diag, loc, "INCLUDE file %s not found or not readable (%s):", path,
			   why ? why : strerror(errno));
		return;
	}
	struct source_frame *f = frame_new(s, path);
	frame_attach(f, fp);
	f->real = r ? arena_strdup(c->arena, r) : NULL;
	f->real_known = true;
}

/* Handle a directive line (first token starts with '?', or INCLUDE/SECTION). Returns true if it was one. */
static bool directive(struct source *s, const struct loc *loc, char **tok, unsigned n)
{
	const char *d = tok[0];
	if (d[0] == '?')
		d++;
	else if ((d[0] != 'I' && d[0] != 'S') || (strcmp(d, "INCLUDE") != 0 && strcmp(d, "SECTION") != 0))
		return false;
	if (strcasecmp(d, "FORMAT") == 0) {
		char *end;
		long v = n == 2 ? strtol(tok[1], &end, 10) : 0;
		if (n != 2 || *end || v < 1 || v > 3)
			diag_error(s->c->diag, loc, "Invalid ?FORMAT directive (%s)", n >= 2 ? tok[1] : "");
		else
			s->format = (unsigned)v;
	} else if (strcasecmp(d, "SECTION") == 0) {
		if (n != 2)
			diag_error(s->c->diag, loc, "Invalid ?SECTION directive");
		else
			do_section(s, loc, tok[1]);
	} else if (strcasecmp(d, "INCLUDE") == 0) {
		if (n != 2)
			diag_error(s->c->diag, loc, "Invalid INCLUDE directive");
		else
			do_include(s, loc, tok[1]);
	} else if (strcasecmp(d, "COMMENT") == 0) {
		/* Rule comments are decoration in iptables output; accepted and ignored. */
	} else {
		diag_error(s->c->diag, loc, "Unsupported compiler directive (%s)", tok[0]);
	}
	return true;
}

/* ---- comments and columns ------------------------------------------------------------------------ */

/* Raw mode: where the comment starts in one physical line, or NULL. A `#` is a comment only outside
 * quotes and at the start of a word, as sh reads it, so `LOGFORMAT="%s #%s"` and `URL=a#b` survive.
 * *quote carries an open quote from a continued line to the next. */
static char *raw_comment(char *line, char *quote)
{
	for (char *p = line; *p; p++) {
		if (*quote) {
			if (*p == *quote)
				*quote = 0;
			else if (*p == '\\' && *quote == '"' && p[1])
				p++;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '\'' || *p == '"') {
			*quote = *p;
		} else if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			return p;
		}
	}
	return NULL;
}

static const bool token_end[256] = { ['\0'] = true, [' '] = true, ['\t'] = true };

static unsigned split(char *line, char **tok, unsigned max, unsigned *total)
{
	unsigned n = 0;
	*total = 0;
	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		char *start = p;
		while (!token_end[(unsigned char)*p])
			p++;
		if (*p)
			*p++ = '\0';
		if (n < max)
			tok[n++] = start;
		(*total)++;
	}
	return n;
}

/* ---- the plain line: one pass, one copy ---------------------------------------------------------- */

/* How plain_line reads each byte: a column's byte, a blank between columns, the line end, a
 * comment, and the bytes only the full path handles ($ expansion, \ continuation, control bytes).
 * Inside a comment only the control bytes matter (they are reported wherever they are). */
enum { PB_WORD, PB_BLANK, PB_NL, PB_HASH, PB_EXPAND, PB_CTRL };
static const unsigned char plain_class[256] = {
	[0x00] = PB_CTRL, [0x01] = PB_CTRL, [0x02] = PB_CTRL, [0x03] = PB_CTRL, [0x04] = PB_CTRL,
	[0x05] = PB_CTRL, [0x06] = PB_CTRL, [0x07] = PB_CTRL, [0x08] = PB_CTRL, ['\t'] = PB_BLANK,
	['\n'] = PB_NL, [0x0b] = PB_CTRL, [0x0c] = PB_CTRL, [0x0d] = PB_CTRL, [0x0e] = PB_CTRL,
	[0x0f] = PB_CTRL, [0x10] = PB_CTRL, [0x11] = PB_CTRL, [0x12] = PB_CTRL, [0x13] = PB_CTRL,
	[0x14] = PB_CTRL, [0x15] = PB_CTRL, [0x16] = PB_CTRL, [0x17] = PB_CTRL, [0x18] = PB_CTRL,
	[0x19] = PB_CTRL, [0x1a] = PB_CTRL, [0x1b] = PB_CTRL, [0x1c] = PB_CTRL, [0x1d] = PB_CTRL,
	[0x1e] = PB_CTRL, [0x1f] = PB_CTRL, [' '] = PB_BLANK, ['#'] = PB_HASH, ['$'] = PB_EXPAND,
	['\\'] = PB_EXPAND, [0x7f] = PB_CTRL,
};

/* Lines longer than this take the full path (its length checks and messages). */
#define PLAIN_MAX 4096

/* A plain line's columns: offsets and lengths in the line. */
struct plain_cols {
	unsigned n;
	unsigned off[SOURCE_MAX_COLUMNS], len[SOURCE_MAX_COLUMNS];
};

/* Most lines of a file read into memory need none of the full path's work: no continuation, no
 * $VAR, no control byte, at most SOURCE_MAX_COLUMNS columns, not the first line (a byte-order
 * mark). Such a line is split into columns in the one pass that checks it, without a copy (the
 * '\n' sentinel after the file ends every scan). Returns where the line starts, its columns in
 * *pc (none: nothing but blanks and a comment), and moves the frame past it. Otherwise returns
 * NULL and leaves the frame as it was: the full path reads the line (copied, checked, expanded
 * and split: about three times the instructions). */
static const char *plain_line(struct source_frame *f, struct plain_cols *pc)
{
	if (f->fp || f->line == 0)
		return NULL;
again:
	if (f->mem >= f->mem_end && !window_refill(f))
		return NULL;
	const unsigned char *start = (const unsigned char *)f->mem, *p = start;
	unsigned char k;
	pc->n = 0;
	for (;;) {
		while ((k = plain_class[*p]) == PB_BLANK)
			p++;
		if (k != PB_WORD)
			break;
		const unsigned char *col = p;
		while ((k = plain_class[*p]) == PB_WORD)
			p++;
		if (pc->n == SOURCE_MAX_COLUMNS)
			return NULL;        /* too many: the full path says so */
		pc->off[pc->n] = (unsigned)(col - start);
		pc->len[pc->n++] = (unsigned)(p - col);
	}
	if (k == PB_EXPAND || k == PB_CTRL)
		return NULL;
	if (k == PB_HASH) {
		/* a comment: only a control byte would make the line the full path's */
		while ((k = plain_class[*p]) != PB_NL && k != PB_CTRL)
			p++;
		if (k == PB_CTRL)
			return NULL;
	}
	/* p is at the line end, or at the sentinel: the window's end, or the end of a last line
	 * without one */
	if (p == (const unsigned char *)f->mem_end && f->win) {
		window_refill(f);       /* more of the line, or the file's end: read it again */
		goto again;
	}
	if (p - start > PLAIN_MAX)
		return NULL;
	f->mem = (const char *)(p < (const unsigned char *)f->mem_end ? p + 1 : p);
	f->line++;
	return (const char *)start;
}

/* ---- rows ---------------------------------------------------------------------------------------- */

/* Fill r with a row's columns (arena strings) at loc. */
static bool row_fill(struct source *s, struct row *r, char **tok, unsigned nt, const struct loc *loc)
{
	memset(r, 0, sizeof(*r));
	r->loc = *loc;
	r->ncols = nt;
	memcpy(r->col, tok, nt * sizeof(tok[0]));
	r->format = s->format;
	r->section = s->section;
	s->last = *loc;
	s->info->rows++;
	return true;
}

/* Make a row of a logical line's text (an arena string, comments gone, $VARs expanded). Returns
 * false when it is not a row (a directive, nothing but blanks, an error already reported). */
static bool row_from_text(struct source *s, struct row *r, char *text, const struct loc *loc)
{
	if (s->raw) {
		while (isspace((unsigned char)*text))
			text++;
		/* Directives (INCLUDE, ?FORMAT…) still apply: look for one in a scratch copy so
		 * that splitting leaves the line itself whole. */
		char *scratch = strdup(text), *dtok[SOURCE_MAX_COLUMNS];
		unsigned dtotal, dn;
		if (!scratch)
			abort();
		dn = split(scratch, dtok, SOURCE_MAX_COLUMNS, &dtotal);
		bool skip_row = !dn || directive(s, loc, dtok, dn);
		free(scratch);
		return !skip_row && row_fill(s, r, &text, 1, loc);
	}
	char *tok[SOURCE_MAX_COLUMNS];
	unsigned total, nt = split(text, tok, SOURCE_MAX_COLUMNS, &total);
	if (nt == 0)
		return false;
	if (directive(s, loc, tok, nt))
		return false;
	if (total > SOURCE_MAX_COLUMNS) {
		diag_error(s->c->diag, loc, "Invalid %s file entry (too many columns)", s->name);
		return false;
	}
	return row_fill(s, r, tok, nt, loc);
}

/* A plain line's row: its columns copied into the arena in one piece, cut at their ends. */
static bool row_from_plain(struct source *s, struct row *r, const char *line, const struct plain_cols *pc,
			   const struct loc *loc)
{
	if (pc->n == 0)
		return false;
	size_t len = pc->off[pc->n - 1] + pc->len[pc->n - 1];
	char *text = arena_strndup(s->c->arena, line, len), *tok[SOURCE_MAX_COLUMNS];
	for (unsigned i = 0; i < pc->n; i++) {
		tok[i] = text + pc->off[i];
		tok[i][pc->len[i]] = '\0';
	}
	/* directive()'s own first test, here: nearly no row is one */
	char d0 = tok[0][0];
	if ((d0 == '?' || d0 == 'I' || d0 == 'S') && directive(s, loc, tok, pc->n))
		return false;
	return row_fill(s, r, tok, pc->n, loc);
}

bool source_next(struct source *s, struct row *r)
{
	struct compile *c = s->c;
	char sbuf[1024], slog[1024];
	struct linebuf lb = { sbuf, sizeof(sbuf), sbuf }, lg = { slog, sizeof(slog), slog };
	size_t llen = 0;                    /* length of the logical line in lg (continued lines) */
	bool found = false, skip = false;   /* skip: the rest of a continued line already reported */
	char quote = 0;                     /* raw mode: a quote left open by a continued line */

	while (s->top && !found) {
		struct source_frame *f = s->top;
		struct plain_cols pc;
		const char *plain = !llen && !skip && !s->raw ? plain_line(f, &pc) : NULL;
		if (plain) {
			struct loc loc = { f->path, f->line };
			found = row_from_plain(s, r, plain, &pc, &loc);
			continue;
		}
		bool too_long;
		long n = read_physical(f, &lb, &too_long);
		char *buf = lb.p;
		struct loc loc = { f->path, f->line };
		if (n < 0) {
			if (!llen) {
				frame_pop(s);
				continue;
			}
			/* A `\` on the last line: the row is plain enough to keep, but the admin
			 * probably lost a line, so say so. */
			diag_warn(c->diag, &loc, "Continuation line at end of file");
		}
		if (n >= 0 && too_long) {
			diag_error(c->diag, &loc, "Line too long (more than %d bytes)", SOURCE_MAX_LINE);
			llen = 0;
			continue;
		}
		if (n >= 3 && f->line == 1 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
			/* A UTF-8 byte-order mark (editors on other systems write one) is not text. */
			n -= 3;
			memmove(buf, buf + 3, (size_t)n + 1);
		}
		const char *line = lg.p;            /* the logical line */
		if (n >= 0) {
			int bad = memchr(buf, '\0', (size_t)n) ? 0 : bad_byte(buf, n);
			if (bad >= 0) {
				diag_error(c->diag, &loc, "Invalid character (0x%02x) in line", bad);
				llen = 0;
				continue;
			}
			char *hash = s->raw ? raw_comment(buf, &quote) : strchr(buf, '#');
			if (hash)
				*hash = '\0';
			size_t len = strlen(buf);
			while (len && isspace((unsigned char)buf[len - 1]))
				buf[--len] = '\0';
			bool cont = len && buf[len - 1] == '\\';
			if (cont)
				buf[--len] = '\0';
			else
				quote = 0;
			if (skip) {
				skip = cont;
				continue;
			}
			if (llen + (llen ? 1 : 0) + len >= SOURCE_MAX_LINE) {
				diag_error(c->diag, &loc, "Line too long (more than %d bytes)", SOURCE_MAX_LINE);
				llen = 0;
				skip = cont;    /* its tail must not become a row of its own */
				continue;
			}
			if (!llen && !cont) {
				/* one physical line, the usual row: used where it is, not joined */
				line = buf;
				llen = len;
			} else {
				grow(&lg, llen + len + 2);
				if (llen && !s->raw)
					lg.p[llen++] = ' ';
				memcpy(lg.p + llen, buf, len);
				llen += len;
				lg.p[llen] = '\0';
				if (cont)
					continue;
				line = lg.p;
			}
		}
		if (!llen)
			continue;
		llen = 0;
		/* A row's location is where its logical line ended (Shorewall reports the same). */
		char *text = s->expand ? source_expand(c, line, &loc) : arena_strdup(c->arena, line);
		if (text)
			found = row_from_text(s, r, text, &loc);
	}
	linebuf_free(&lb);
	linebuf_free(&lg);
	return found;
}
