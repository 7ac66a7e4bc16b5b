/* test_macros.c — the shipped macros/ directory, the parser's macro table, and macro files read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "diag.h"
#include "keyword.h"
#include "macro_names.h"
#include "macros.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Run from the repository root (make test-unit); the tests read the checkout's macros/. */
#define SHIPPED "macros"

static void use_shipped(void)
{
	setenv("SHOREWALL_MACROS_DIR", SHIPPED, 1);
}

static void table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = macro_names_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_true(n >= 45);
}

/* Every macro.NAME shipped is in the parser's table, and every table name has its file. */
static void table_matches_directory(void **state)
{
	(void)state;
	DIR *d = opendir(SHIPPED);
	assert_non_null(d);
	size_t files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "macro.", 6) != 0)
			continue;
		files++;
		if (!macro_name_known(e->d_name + 6))
			fail_msg("macros/%s is not in macro_names.c", e->d_name);
	}
	closedir(d);
	size_t n;
	const struct keyword *k = macro_names_table(&n);
	for (size_t i = 0; i < n; i++) {
		char path[256];
		snprintf(path, sizeof(path), SHIPPED "/macro.%s", k[i].name);
		if (access(path, R_OK) != 0)
			fail_msg("macro_names.c names %s but %s does not exist", k[i].name, path);
	}
	assert_int_equal(files, n);
}

/* Each shipped file reads cleanly and has at least one line whose action is PARAM. */
static void shipped_read(void **state)
{
	(void)state;
	use_shipped();
	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, "/nonexistent");
	size_t n;
	const struct keyword *k = macro_names_table(&n);
	for (size_t i = 0; i < n; i++) {
		bool reported;
		struct macro *m = macro_read(&c, k[i].name, &reported);
		if (!m)
			fail_msg("macro %s did not read", k[i].name);
		assert_false(reported);
		assert_true(m->n > 0);
		bool param = false;
		/* the verdict comes from the invocation: PARAM, or a macro named bare (Mail: SMTP…) */
		for (size_t j = 0; j < m->n; j++)
			param |= strcmp(m->lines[j].action, "PARAM") == 0 || macro_name_known(m->lines[j].action);
		assert_true(param);
	}
	bool reported;
	struct macro *m = macro_read(&c, "DNS", &reported);
	assert_int_equal(m->n, 2);
	assert_string_equal(m->lines[0].proto, "udp");
	assert_string_equal(m->lines[1].proto, "tcp");
	assert_string_equal(m->lines[0].dport, "53");
	assert_null(m->lines[0].source);
	assert_null(m->lines[0].sport);
	assert_null(macro_read(&c, "NoSuchMacro", &reported));
	assert_false(reported);
	assert_null(macro_read(&c, "../macros/macro.SSH", &reported));
	assert_int_equal(d.errors, 0);
	compile_fini(&c);
	diag_fini(&d);
}

/* A configuration directory's macro.SSH wins over the shipped one; a bad line is reported. */
static void user_first(void **state)
{
	(void)state;
	use_shipped();
	char dir[] = "/tmp/test_macros.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/macro.SSH", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("PARAM\t-\t-\ttcp\t2222\n", f);
	fclose(f);
	char bad[128];
	snprintf(bad, sizeof(bad), "%s/macro.Bad", dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("PARAM - - tcp 1 2 3\n", f);
	fclose(f);

	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, dir);
	bool reported;
	struct macro *m = macro_read(&c, "SSH", &reported);
	assert_non_null(m);
	assert_int_equal(m->n, 1);
	assert_string_equal(m->lines[0].dport, "2222");
	m = macro_read(&c, "HTTP", &reported);          /* not in the directory: the shipped one */
	assert_non_null(m);
	assert_string_equal(m->lines[0].dport, "80");
	assert_int_equal(d.errors, 0);
	assert_null(macro_read(&c, "Bad", &reported));
	assert_true(reported);
	assert_int_equal(d.errors, 1);
	assert_true(diag_has(&d, "too many columns"));
	compile_fini(&c);
	diag_fini(&d);
	unlink(path);
	unlink(bad);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_sorted),
		cmocka_unit_test(table_matches_directory),
		cmocka_unit_test(shipped_read),
		cmocka_unit_test(user_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
