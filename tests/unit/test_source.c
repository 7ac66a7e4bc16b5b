/* test_source.c — the shared column reader: every rule about lines, columns and directives, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "graph.h"
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fix {
	struct diag d;
	struct compile c;
	char dir[64];
};

static int setup(void **state)
{
	struct fix *x = calloc(1, sizeof(*x));
	strcpy(x->dir, "/tmp/test_source.XXXXXX");
	if (!x || !mkdtemp(x->dir))
		return -1;
	diag_init(&x->d);
	compile_init(&x->c, &x->d, x->dir);
	x->c.graph = graph_new(&x->c);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fix *x = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	if (system(cmd) != 0)
		return -1;
	compile_fini(&x->c);
	diag_fini(&x->d);
	free(x);
	return 0;
}

static void write_file(struct fix *x, const char *name, const char *text, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", x->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}
#define WRITE(x, name, text) write_file((x), (name), (text), sizeof(text) - 1)

/* Every row of a source as "line:col|col|…\n" (the file's basename prefixed when it is not the
 * outermost file), so a test states the whole outcome in one string. */
static char *drain(struct fix *x, struct source *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct row r;
	const char *outer = s->top ? s->info->path : NULL;
	while (source_next(s, &r)) {
		if (outer && strcmp(r.loc.file, outer) != 0)
			fprintf(f, "%s@", strrchr(r.loc.file, '/') ? strrchr(r.loc.file, '/') + 1 : r.loc.file);
		fprintf(f, "%u:", r.loc.line);
		for (unsigned i = 0; i < r.ncols; i++)
			fprintf(f, "%s%s", i ? "|" : "", r.col[i]);
		fputc('\n', f);
	}
	source_close(s);
	fclose(f);
	char *res = arena_strdup(x->c.arena, text);
	free(text);
	return res;
}

static char *rows_mem(struct fix *x, const char *name, const char *buf, size_t len)
{
	struct source s;
	source_open_mem(&s, &x->c, name, arena_printf(x->c.arena, "/etc/shorewall/%s", name), buf, len);
	return drain(x, &s);
}
#define ROWS(x, name, text) rows_mem((x), (name), (text), sizeof(text) - 1)

static char *rows_file(struct fix *x, const char *name)
{
	struct source s;
	int r = source_open(&s, &x->c, name);
	assert_int_equal(r, 1);
	return drain(x, &s);
}

/* Every collected message, formatted, one a line; the paths with the temp dir replaced by "@". */
static char *messages(struct fix *x)
{
	char *text = NULL, buf[4096];
	size_t len = 0, dl = strlen(x->dir);
	FILE *f = open_memstream(&text, &len);
	for (const struct diag_msg *m = x->d.head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		for (char *p = buf; *p; p++) {
			if (strncmp(p, x->dir, dl) == 0) {
				fputc('@', f);
				p += dl - 1;
			} else {
				fputc(*p, f);
			}
		}
		fputc('\n', f);
	}
	fclose(f);
	char *res = arena_strdup(x->c.arena, text);
	free(text);
	return res;
}

/* Forget the messages and the counts. */
static void reset(struct fix *x)
{
	diag_fini(&x->d);
	diag_init(&x->d);
}

/* ---- lines and columns ------------------------------------------------------------------------- */

static void test_comments_and_blanks(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "zones",
		"#ZONE DISPLAY COMMENTS\n"
		"\n"
		"net\tNet   Internet   # the big bad one\n"
		"   \t  \n"
		"  loc eth1#no blank before the comment\n"
		"#LAST LINE -- ADD YOUR ENTRIES ABOVE THIS LINE -- DO NOT REMOVE\n"
		"# \\ a backslash in a comment continues nothing\n"
		"vpn VPN\n"),
		"3:net|Net|Internet\n5:loc|eth1\n8:vpn|VPN\n");
	assert_int_equal(x->d.errors + x->d.warnings, 0);
	/* No newline after the last line. */
	assert_string_equal(ROWS(x, "zones", "a b\nc d"), "1:a|b\n2:c|d\n");
	assert_string_equal(ROWS(x, "zones", ""), "");
	assert_string_equal(ROWS(x, "zones", "# only\n#comments\n\n"), "");
	assert_string_equal(ROWS(x, "zones", "\n\n\n"), "");
}

static void test_dash_and_col_value(void **state)
{
	struct fix *x = *state;
	struct source s;
	struct row r;
	source_open_mem(&s, &x->c, "interfaces", "/e/interfaces", "loc eth1 - dhcp\n- eth2 -\n", 25);
	assert_true(source_next(&s, &r));
	assert_int_equal(r.ncols, 4);
	assert_string_equal(r.col[2], "-");          /* kept as written */
	assert_null(col_value(&r, 2));               /* …but reads as empty */
	assert_string_equal(col_value(&r, 3), "dhcp");
	assert_null(col_value(&r, 4));               /* beyond the row */
	assert_null(col_value(&r, 31));
	assert_null(col_value(&r, 1000));
	assert_int_equal(r.format, 1);
	assert_null(r.section);
	assert_true(source_next(&s, &r));
	assert_null(col_value(&r, 0));
	assert_string_equal(col_value(&r, 1), "eth2");
	assert_int_equal(r.loc.line, 2);
	assert_string_equal(r.loc.file, "/e/interfaces");
	assert_false(source_next(&s, &r));
	assert_false(source_next(&s, &r));           /* stays at the end */
	source_close(&s);
	assert_int_equal(s.info->rows, 2);
}

static void test_continuation(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "hosts",
		"vpn eth0:10.0.0.0/8,\\\n"
		"   134.28.54.2 \\\n"
		"   ipsec\n"
		"a\\\n"
		"b\n"
		"c \\  # a comment after the backslash\n"
		"d\n"
		"e \\\n"
		"\n"                   /* an empty line ends a continuation, as in Shorewall */
		"f\n"),
		"3:vpn|eth0:10.0.0.0/8,|134.28.54.2|ipsec\n5:a|b\n7:c|d\n9:e\n10:f\n");
	assert_int_equal(x->d.errors + x->d.warnings, 0);
	/* A continued comment-only line and a backslash alone are nothing. */
	assert_string_equal(ROWS(x, "hosts", "\\\n\\\nx\n"), "3:x\n");
}

static void test_continuation_at_eof(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "zones", "a b \\\nc \\"), "2:a|b|c\n");
	assert_int_equal(x->d.errors, 0);
	assert_int_equal(x->d.warnings, 1);
	assert_string_equal(messages(x), "WARNING: Continuation line at end of file /etc/shorewall/zones (line 2)\n");
	/* Only a backslash at the end: nothing to keep, nothing to say. */
	reset(x);
	assert_string_equal(ROWS(x, "zones", "a\n\\\n"), "1:a\n");
	assert_int_equal(x->d.warnings, 0);
}

static void test_crlf(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "interfaces",
		"#ZONE INTERFACE\r\n"
		"net eth0 detect routefilter\r\n"
		"\r\n"
		"loc eth1 \\\r\n"
		"detect # comment\r\n"
		"x\r"),
		"2:net|eth0|detect|routefilter\n5:loc|eth1|detect\n6:x\n");
	assert_int_equal(x->d.errors + x->d.warnings, 0);
	/* A CR anywhere but at the line end is a control byte, not a blank. */
	assert_string_equal(ROWS(x, "interfaces", "net eth0\rdetect\r\nok\r\r\nlast\n"), "3:last\n");
	assert_string_equal(messages(x),
		"ERROR: Invalid character (0x0d) in line /etc/shorewall/interfaces (line 1)\n"
		"ERROR: Invalid character (0x0d) in line /etc/shorewall/interfaces (line 2)\n");
	/* The last column has no \r left in it. */
	struct source s;
	struct row r;
	source_open_mem(&s, &x->c, "zones", "/e/zones", "fw firewall\r\n", 13);
	assert_true(source_next(&s, &r));
	assert_string_equal(r.col[1], "firewall");
	source_close(&s);
}

static void test_bom(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "zones", "\xef\xbb\xbf#ZONE TYPE\nfw firewall\n"), "2:fw|firewall\n");
	assert_string_equal(ROWS(x, "zones", "\xef\xbb\xbf" "fw firewall\n"), "1:fw|firewall\n");
	assert_string_equal(ROWS(x, "zones", "\xef\xbb\xbf"), "");
	assert_int_equal(x->d.errors + x->d.warnings, 0);
	/* Only at the start of a file: later it is data, left for the parser to reject. */
	assert_string_equal(ROWS(x, "zones", "a\n\xef\xbb\xbf" "b\n"), "1:a\n2:\xef\xbb\xbf" "b\n");
	/* Also from a file, and in an INCLUDEd file. */
	WRITE(x, "inc", "\xef\xbb\xbf" "i1\r\n");
	WRITE(x, "zones", "\xef\xbb\xbf" "z1\r\nINCLUDE inc\r\n");
	assert_string_equal(rows_file(x, "zones"), "1:z1\ninc@1:i1\n");
	assert_int_equal(x->d.errors + x->d.warnings, 0);
}

static void test_control_bytes(void **state)
{
	struct fix *x = *state;
	static const char text[] = "a\0b c\nok 1\nx\x01y\nok\t2\nz\x7f\n\x1b[31m red\nlast # \x02 in a comment\n";
	assert_string_equal(rows_mem(x, "zones", text, sizeof(text) - 1), "2:ok|1\n4:ok|2\n");
	assert_string_equal(messages(x),
		"ERROR: Invalid character (0x00) in line /etc/shorewall/zones (line 1)\n"
		"ERROR: Invalid character (0x01) in line /etc/shorewall/zones (line 3)\n"
		"ERROR: Invalid character (0x7f) in line /etc/shorewall/zones (line 5)\n"
		"ERROR: Invalid character (0x1b) in line /etc/shorewall/zones (line 6)\n"
		"ERROR: Invalid character (0x02) in line /etc/shorewall/zones (line 7)\n");
	/* A NUL at the very end, and a NUL-only file. */
	reset(x);
	assert_string_equal(rows_mem(x, "zones", "a\n\0", 3), "1:a\n");
	assert_int_equal(x->d.errors, 1);
	assert_string_equal(rows_mem(x, "zones", "\0\0\0\0", 4), "");
	assert_int_equal(x->d.errors, 2);
	/* The same from a file (getc path, not memchr). */
	reset(x);
	write_file(x, "zones", "p\0q\nr\n", 6);
	assert_string_equal(rows_file(x, "zones"), "2:r\n");
	assert_string_equal(messages(x), "ERROR: Invalid character (0x00) in line @/zones (line 1)\n");
	/* A continued line is dropped whole when a later piece is bad, and the next line is read. */
	reset(x);
	assert_string_equal(ROWS(x, "zones", "a \\\nb\x01\nc\n"), "3:c\n");
	assert_int_equal(x->d.errors, 1);
}

static void test_high_bytes_are_data(void **state)
{
	struct fix *x = *state;
	/* UTF-8 is text (2.2 DISPLAY/COMMENTS columns are free text); the parsers judge it. */
	assert_string_equal(ROWS(x, "zones", "loc R\xc3\xa9seau local\n# caf\xc3\xa9\n"), "1:loc|R\xc3\xa9seau|local\n");
	assert_int_equal(x->d.errors, 0);
}

static char *repeat(struct fix *x, char ch, size_t n)
{
	char *p = arena_alloc(x->c.arena, n + 1);
	memset(p, ch, n);
	return p;
}

static void test_long_lines(void **state)
{
	struct fix *x = *state;
	/* One byte under, at and over the limit (the limit counts the newline). */
	size_t max = SOURCE_MAX_LINE;
	char *ok = repeat(x, 'a', max - 1);
	char *text = arena_printf(x->c.arena, "%s\nnext\n", ok);
	char *rows = rows_mem(x, "zones", text, strlen(text));
	assert_int_equal(strlen(rows), strlen("1:") + (max - 1) + strlen("\n2:next\n"));
	assert_int_equal(x->d.errors, 0);
	reset(x);

	char *big = repeat(x, 'b', 1024 * 1024);
	text = arena_printf(x->c.arena, "first\n%s\nafter\n", big);
	assert_string_equal(rows_mem(x, "zones", text, strlen(text)), "1:first\n3:after\n");
	assert_string_equal(messages(x), "ERROR: Line too long (more than 65536 bytes) /etc/shorewall/zones (line 2)\n");
	reset(x);

	/* The same from a file: the line is skipped without holding it. */
	write_file(x, "zones", text, strlen(text));
	assert_string_equal(rows_file(x, "zones"), "1:first\n3:after\n");
	assert_string_equal(messages(x), "ERROR: Line too long (more than 65536 bytes) @/zones (line 2)\n");
	reset(x);

	/* A long line without a newline at the end of the file. */
	text = arena_printf(x->c.arena, "first\n%s", big);
	write_file(x, "zones", text, strlen(text));
	assert_string_equal(rows_file(x, "zones"), "1:first\n");
	assert_int_equal(x->d.errors, 1);
	reset(x);

	/* Short physical lines joined by continuation into one too long. */
	char *piece = repeat(x, 'c', 1000);
	size_t cap = 80 * 1010, len = 0;
	char *joined = arena_alloc(x->c.arena, cap);
	for (int i = 0; i < 70; i++)
		len += (size_t)snprintf(joined + len, cap - len, "%s \\\n", piece);
	len += (size_t)snprintf(joined + len, cap - len, "end\nz\n");
	assert_string_equal(rows_mem(x, "zones", joined, len), "72:z\n");
	assert_int_equal(x->d.errors, 1);            /* once, and the line's tail is not a row */
	assert_true(diag_has(&x->d, "ERROR: Line too long (more than 65536 bytes) /etc/shorewall/zones (line 66)"));
}

static void test_too_many_columns(void **state)
{
	struct fix *x = *state;
	char line[256] = "";
	for (int i = 0; i < SOURCE_MAX_COLUMNS; i++)
		strcat(line, "c ");
	char *text = arena_printf(x->c.arena, "%s\n%sextra\nok\n", line, line);
	char *rows = rows_mem(x, "policy", text, strlen(text));
	assert_true(strncmp(rows, "1:c|c|", 6) == 0);
	assert_non_null(strstr(rows, "\n3:ok\n"));
	assert_null(strstr(rows, "extra"));
	assert_string_equal(messages(x), "ERROR: Invalid policy file entry (too many columns) /etc/shorewall/policy (line 2)\n");

	/* A parser's own limit. */
	reset(x);
	struct source s;
	struct row r;
	source_open_mem(&s, &x->c, "policy", "/e/policy", "a b c d e f g\na b\n", 18);
	assert_true(source_next(&s, &r));
	assert_false(row_max_columns(&s, &r, 6, "policy file"));
	assert_true(row_max_columns(&s, &r, 7, "policy file"));
	assert_true(source_next(&s, &r));
	assert_true(row_max_columns(&s, &r, 2, "policy file"));
	source_close(&s);
	assert_string_equal(messages(x), "ERROR: Invalid policy file entry (too many columns) /e/policy (line 1)\n");
}

/* ---- directives ---------------------------------------------------------------------------------- */

static void test_format(void **state)
{
	struct fix *x = *state;
	struct source s;
	struct row r;
	static const char text[] = "a\n?FORMAT 2\nb\n?format 3\nc\n?FORMAT 4\n?FORMAT\n?FORMAT 2 3\n?FORMAT x\n?FORMAT 0\nd\n";
	source_open_mem(&s, &x->c, "interfaces", "/e/interfaces", text, sizeof(text) - 1);
	unsigned want[] = { 1, 2, 3, 3 };
	for (int i = 0; i < 4; i++) {
		assert_true(source_next(&s, &r));
		assert_int_equal(r.format, want[i]);
	}
	assert_false(source_next(&s, &r));
	source_close(&s);
	assert_string_equal(messages(x),
		"ERROR: Invalid ?FORMAT directive (4) /e/interfaces (line 6)\n"
		"ERROR: Invalid ?FORMAT directive () /e/interfaces (line 7)\n"
		"ERROR: Invalid ?FORMAT directive (2) /e/interfaces (line 8)\n"
		"ERROR: Invalid ?FORMAT directive (x) /e/interfaces (line 9)\n"
		"ERROR: Invalid ?FORMAT directive (0) /e/interfaces (line 10)\n");
}

static void test_section_order(void **state)
{
	struct fix *x = *state;
	struct source s;
	struct row r;
	static const char text[] =
		"before\n?SECTION ALL\nall\n?SECTION ESTABLISHED\n?SECTION RELATED\nrel\n"
		"SECTION NEW\nnew\n?SECTION RELATED\n?SECTION NEW\n?SECTION BOGUS\n?SECTION\nlast\n";
	source_open_mem(&s, &x->c, "rules", "/e/rules", text, sizeof(text) - 1);
	const char *want[][2] = { { "before", NULL }, { "all", "ALL" }, { "rel", "RELATED" }, { "new", "NEW" },
				  { "last", "NEW" } };
	for (int i = 0; i < 5; i++) {
		assert_true(source_next(&s, &r));
		assert_string_equal(r.col[0], want[i][0]);
		if (want[i][1])
			assert_string_equal(r.section, want[i][1]);
		else
			assert_null(r.section);
	}
	assert_false(source_next(&s, &r));
	source_close(&s);
	assert_string_equal(messages(x),
		"ERROR: Duplicate or out of order SECTION RELATED /e/rules (line 9)\n"
		"ERROR: Duplicate or out of order SECTION NEW /e/rules (line 10)\n"
		"ERROR: Invalid SECTION (BOGUS) /e/rules (line 11)\n"
		"ERROR: Invalid ?SECTION directive /e/rules (line 12)\n");

	/* Skipping sections is fine; only files with sections accept them. */
	reset(x);
	assert_string_equal(ROWS(x, "rules", "?SECTION NEW\na\n"), "2:a\n");
	assert_int_equal(x->d.errors, 0);
	assert_string_equal(ROWS(x, "policy", "?SECTION NEW\na\n"), "2:a\n");
	assert_string_equal(messages(x), "ERROR: ?SECTION is not allowed in the policy file /etc/shorewall/policy (line 1)\n");
}

static void test_other_directives(void **state)
{
	struct fix *x = *state;
	assert_string_equal(ROWS(x, "rules", "?COMMENT anything at all\n?IF 1\n?ENDIF\nrow\n"), "4:row\n");
	assert_int_equal(x->d.errors, 2);
	assert_true(diag_has(&x->d, "ERROR: Unsupported compiler directive (?IF) /etc/shorewall/rules (line 2)"));
	assert_true(diag_has(&x->d, "ERROR: Unsupported compiler directive (?ENDIF) /etc/shorewall/rules (line 3)"));
	/* Lower-case INCLUDE without '?' is an ordinary row (Shorewall's keyword is upper case). */
	reset(x);
	assert_string_equal(ROWS(x, "rules", "include x\n"), "1:include|x\n");
	assert_int_equal(x->d.errors, 0);
}

static void test_include(void **state)
{
	struct fix *x = *state;
	WRITE(x, "common", "c1 x\n# comment\nc2 y\n");
	WRITE(x, "empty", "");
	WRITE(x, "zones", "z1\nINCLUDE common\nz2\n?INCLUDE empty\nINCLUDE common\nz3\n");
	assert_string_equal(rows_file(x, "zones"), "1:z1\ncommon@1:c1|x\ncommon@3:c2|y\n3:z2\ncommon@1:c1|x\ncommon@3:c2|y\n6:z3\n");
	assert_int_equal(x->d.errors, 0);
	/* An absolute path, and $VAR in the file name. */
	char *abs = arena_printf(x->c.arena, "INCLUDE %s/common\nINCLUDE $F\n", x->dir);
	compile_set_param(&x->c, "F", "empty", NULL);
	write_file(x, "zones", abs, strlen(abs));
	assert_string_equal(rows_file(x, "zones"), "common@1:c1|x\ncommon@3:c2|y\n");
	assert_int_equal(x->d.errors, 0);
}

static void test_include_errors(void **state)
{
	struct fix *x = *state;
	WRITE(x, "a", "a1\nINCLUDE b\na2\n");
	WRITE(x, "b", "b1\nINCLUDE a\nb2\n");
	WRITE(x, "self", "s1\nINCLUDE self\n");
	assert_int_equal(mkdir(arena_printf(x->c.arena, "%s/adir", x->dir), 0755), 0);
	assert_int_equal(mkfifo(arena_printf(x->c.arena, "%s/fifo", x->dir), 0644), 0);
	WRITE(x, "zones", "INCLUDE a\nINCLUDE self\nINCLUDE missing\nINCLUDE adir\nINCLUDE fifo\nINCLUDE\nINCLUDE a b\nlast\n");
	assert_string_equal(rows_file(x, "zones"), "a@1:a1\nb@1:b1\nb@3:b2\na@3:a2\nself@1:s1\n8:last\n");
	assert_string_equal(messages(x),
		"ERROR: INCLUDE loop (@/a) @/b (line 2)\n"
		"ERROR: INCLUDE loop (@/self) @/self (line 2)\n"
		"ERROR: INCLUDE file @/missing not found or not readable (No such file or directory): @/zones (line 3)\n"
		"ERROR: Directory (@/adir) not allowed in INCLUDE @/zones (line 4)\n"
		"ERROR: INCLUDE file @/fifo not found or not readable (not a regular file): @/zones (line 5)\n"
		"ERROR: Invalid INCLUDE directive @/zones (line 6)\n"
		"ERROR: Invalid INCLUDE directive @/zones (line 7)\n");
}

static void test_include_depth(void **state)
{
	struct fix *x = *state;
	/* f0 includes f1 includes … f29: nesting stops at the limit with an error, and the rows read
	 * until then are kept. */
	for (int i = 0; i < 30; i++) {
		char name[16], *text = arena_printf(x->c.arena, "r%d\nINCLUDE f%d\n", i, i + 1);
		snprintf(name, sizeof(name), "f%d", i);
		write_file(x, name, text, strlen(text));
	}
	char *rows = rows_file(x, "f0");
	assert_non_null(strstr(rows, "f15@1:r15\n"));
	assert_null(strstr(rows, "r16"));
	assert_int_equal(x->d.errors, 1);
	assert_string_equal(messages(x), "ERROR: INCLUDEs nested too deeply (f16) @/f15 (line 2)\n");
}

static void test_include_from_memory(void **state)
{
	struct fix *x = *state;
	/* Memory input (the fuzzers) resolves INCLUDE against the compile's directory too. */
	WRITE(x, "inc", "i\n");
	assert_string_equal(ROWS(x, "zones", "INCLUDE inc\nm\n"), "inc@1:i\n2:m\n");
	assert_int_equal(x->d.errors, 0);
	assert_string_equal(ROWS(x, "zones", "INCLUDE /dev/zero\nINCLUDE /\nm\n"), "3:m\n");
	assert_int_equal(x->d.errors, 2);
}

/* ---- variables ------------------------------------------------------------------------------------ */

static void test_variables(void **state)
{
	struct fix *x = *state;
	compile_set_param(&x->c, "NET_IF", "eth0", NULL);
	compile_set_param(&x->c, "OPTS", "routefilter,dhcp", NULL);
	compile_set_param(&x->c, "TWO", "a b", NULL);
	compile_set_param(&x->c, "EMPTY", "", NULL);
	compile_set_param(&x->c, "_u1", "U", NULL);
	compile_set_param(&x->c, "SELF", "$SELF", NULL);
	assert_string_equal(ROWS(x, "interfaces",
		"net $NET_IF detect $OPTS\n"
		"net ${NET_IF}:1 ${OPTS}x\n"
		"$TWO c\n"
		"$EMPTY\n"
		"${EMPTY}  $EMPTY  \n"
		"$_u1 $FW x$NET_IF$NET_IF\n"
		"$SELF\n"
		"a$ $ $1 $$ $- 5$\n"),
		"1:net|eth0|detect|routefilter,dhcp\n2:net|eth0:1|routefilter,dhcpx\n3:a|b|c\n"
		"6:U|fw|xeth0eth0\n7:$SELF\n8:a$|$|$1|$$|$-|5$\n");
	assert_int_equal(x->d.errors, 0);
	/* Parameters set later take precedence (params file order). */
	compile_set_param(&x->c, "NET_IF", "eth9", NULL);
	assert_string_equal(ROWS(x, "interfaces", "$NET_IF\n"), "1:eth9\n");
}

static void test_variable_errors(void **state)
{
	struct fix *x = *state;
	compile_set_param(&x->c, "A", "a", NULL);
	assert_string_equal(ROWS(x, "zones",
		"x $UNDEFINED y\n"
		"${UNTERMINATED\n"
		"${}\n"
		"${A\n"
		"${A b}\n"
		"$NOPE1 $NOPE2\n"
		"ok $A\n"),
		"7:ok|a\n");
	assert_string_equal(messages(x),
		"ERROR: Undefined shell variable ($UNDEFINED) /etc/shorewall/zones (line 1)\n"
		"ERROR: Invalid variable reference (${UNTERMINATED) /etc/shorewall/zones (line 2)\n"
		"ERROR: Invalid variable reference (${}) /etc/shorewall/zones (line 3)\n"
		"ERROR: Invalid variable reference (${A) /etc/shorewall/zones (line 4)\n"
		"ERROR: Invalid variable reference (${A b}) /etc/shorewall/zones (line 5)\n"
		"ERROR: Undefined shell variable ($NOPE1) /etc/shorewall/zones (line 6)\n"
		"ERROR: Undefined shell variable ($NOPE2) /etc/shorewall/zones (line 6)\n");
}

static void test_variables_not_expanded(void **state)
{
	struct fix *x = *state;
	struct source s;
	source_open_mem(&s, &x->c, "params", "/e/params", "A=$B\nC=${D}\n", 12);
	s.expand = false;
	assert_string_equal(drain(x, &s), "1:A=$B\n2:C=${D}\n");
	assert_int_equal(x->d.errors, 0);
	/* A comment is cut before expansion, so '#' in a value is not a comment. */
	compile_set_param(&x->c, "H", "a#b", NULL);
	assert_string_equal(ROWS(x, "zones", "$H c # $UNDEFINED\n"), "1:a#b|c\n");
	assert_int_equal(x->d.errors, 0);
}

static void test_expansion_too_long(void **state)
{
	struct fix *x = *state;
	char *big = repeat(x, 'v', 40000);
	compile_set_param(&x->c, "BIG", big, NULL);
	assert_string_equal(ROWS(x, "zones", "$BIG\n$BIG$BIG\nok\n"), arena_printf(x->c.arena, "1:%s\n3:ok\n", big));
	assert_string_equal(messages(x),
		"ERROR: Line too long after variable expansion (more than 65536 bytes) /etc/shorewall/zones (line 2)\n");
	char *direct = source_expand(&x->c, "a $BIG", &LOC_NONE);
	assert_non_null(direct);
	assert_int_equal(strlen(direct), 40002);
}

/* ---- files ---------------------------------------------------------------------------------------- */

static void test_open_file_kinds(void **state)
{
	struct fix *x = *state;
	struct source s;
	unsigned nfiles = (unsigned)x->c.files.n;
	assert_int_equal(source_open(&s, &x->c, "absent"), 0);
	assert_int_equal(x->c.files.n, nfiles);                /* an absent file is not listed */
	assert_int_equal(x->d.errors, 0);

	assert_int_equal(mkdir(arena_printf(x->c.arena, "%s/zones", x->dir), 0755), 0);
	assert_int_equal(source_open(&s, &x->c, "zones"), -1);
	source_close(&s);
	assert_int_equal(mkfifo(arena_printf(x->c.arena, "%s/policy", x->dir), 0644), 0);
	assert_int_equal(source_open(&s, &x->c, "policy"), -1);  /* must not block */
	source_close(&s);
	assert_string_equal(messages(x),
		"ERROR: Cannot read file (Is a directory): @/zones\n"
		"ERROR: Cannot read file (not a regular file): @/policy\n");

	WRITE(x, "interfaces", "");
	assert_int_equal(source_open(&s, &x->c, "interfaces"), 1);
	struct row r;
	assert_false(source_next(&s, &r));
	struct loc eof = source_eof(&s);
	assert_int_equal(eof.line, LOC_EOF);
	assert_non_null(strstr(eof.file, "/interfaces"));
	assert_int_equal(s.last.line, 0);                      /* the file as a whole */
	source_close(&s);

	if (geteuid() != 0) {
		WRITE(x, "hosts", "x\n");
		chmod(arena_printf(x->c.arena, "%s/hosts", x->dir), 0);
		assert_int_equal(source_open(&s, &x->c, "hosts"), -1);
		assert_true(diag_has(&x->d, "Cannot read file (Permission denied):"));
	}
}

static void test_eof_and_last(void **state)
{
	struct fix *x = *state;
	struct source s;
	struct row r;
	source_open_mem(&s, &x->c, "policy", "/e/policy", "a\n\nb\n# end\n", 11);
	source_set_layout(&s, "5.2");
	assert_true(source_next(&s, &r));
	assert_int_equal(s.last.line, 1);
	assert_true(source_next(&s, &r));
	assert_int_equal(s.last.line, 3);
	assert_false(source_next(&s, &r));
	assert_int_equal(s.last.line, 3);
	struct loc eof = source_eof(&s);
	assert_string_equal(eof.file, "/e/policy");
	assert_int_equal(eof.line, LOC_EOF);
	diag_error(&x->d, &eof, "No policy defined from zone %s to zone %s", "fw", "net");
	assert_true(diag_has(&x->d, "ERROR: No policy defined from zone fw to zone net /e/policy (EOF)"));
	assert_string_equal(s.info->layout, "5.2");
	assert_int_equal(s.info->rows, 2);
	source_close(&s);
}

static void test_many_rows_fast(void **state)
{
	struct fix *x = *state;
	/* 10,000 rows: linear, and each row's columns intact. */
	size_t cap = 10000 * 48, len = 0;
	char *text = arena_alloc(x->c.arena, cap);
	for (int i = 0; i < 10000; i++)
		len += (size_t)snprintf(text + len, cap - len, "ACCEPT net fw tcp %d # rule %d\n", 1000 + i, i);
	struct source s;
	struct row r;
	source_open_mem(&s, &x->c, "rules", "/e/rules", text, len);
	unsigned n = 0;
	while (source_next(&s, &r)) {
		n++;
		assert_int_equal(r.ncols, 5);
		assert_int_equal(atoi(r.col[4]), 1000 + (int)n - 1);
		assert_int_equal(r.loc.line, n);
	}
	source_close(&s);
	assert_int_equal(n, 10000);
	assert_int_equal(x->d.errors, 0);
}

static void test_plain_lines_read_alike(void **state)
{
	struct fix *x = *state;
	/* A file's first line always takes the full path; the same text on a later line, with no $,
	 * \ or control byte before a comment, takes the one-pass plain path (source.c plain_line).
	 * Both must give the same columns, with or without a final newline. */
	static const char *const lines[] = {
		"a b c", "  a\tb  \t", "a b # c $X \\", "a#b c", "a,b\tc+ - x", "", "   # only a comment", "\t",
		"\xc3\xa9 \xc3\xbc", "?FORMAT 2 # a directive",
		"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		for (int nl = 0; nl < 2; nl++) {
			const char *full_text = arena_printf(x->c.arena, "%s%s", lines[i], nl ? "\n" : "");
			const char *plain_text = arena_printf(x->c.arena, "first\n%s%s", lines[i], nl ? "\n" : "");
			const char *full = rows_mem(x, "zones", full_text, strlen(full_text));
			const char *plain = rows_mem(x, "zones", plain_text, strlen(plain_text));
			const char *want = *full ? arena_printf(x->c.arena, "1:first\n2:%s", full + 2) : "1:first\n";
			assert_string_equal(plain, want);
		}
	}
	assert_int_equal(x->d.errors, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_comments_and_blanks),
		T(test_dash_and_col_value),
		T(test_continuation),
		T(test_continuation_at_eof),
		T(test_crlf),
		T(test_bom),
		T(test_control_bytes),
		T(test_high_bytes_are_data),
		T(test_long_lines),
		T(test_too_many_columns),
		T(test_format),
		T(test_section_order),
		T(test_other_directives),
		T(test_include),
		T(test_include_errors),
		T(test_include_depth),
		T(test_include_from_memory),
		T(test_variables),
		T(test_variable_errors),
		T(test_variables_not_expanded),
		T(test_expansion_too_long),
		T(test_open_file_kinds),
		T(test_eof_and_last),
		T(test_many_rows_fast),
		T(test_plain_lines_read_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
