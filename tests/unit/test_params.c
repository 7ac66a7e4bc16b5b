/* test_params.c — params as a shell subset: what is accepted, what is refused by name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_support.h"

static void params(struct fx *f, const char *text)
{
	struct source s;
	source_open_mem(&s, &f->c, "params", "/etc/shorewall/params", text, strlen(text));
	s.expand = false;       /* as the loader opens it */
	parse_params(&f->c, &s);
	source_close(&s);
}

static const char *param(struct fx *f, const char *name)
{
	return compile_param(&f->c, name);
}

static void test_assignments(void **state)
{
	struct fx *f = *state;
	params(f,
		"# the seed's gateway\n"
		"NET_IF=eth0\n"
		"export LOC_IF=eth1\n"
		"GW=134.28.54.2   # System A\n"
		"\n"
		"NETS=\"10.0.0.0/8,$GW\"\n"
		"LIT='$GW is not expanded; # not a comment'\n"
		"BRACED=${NET_IF}:${GW}\n"
		"MIXED=a\"b c\"'d e'\\ f\n"
		"ESC=\"say \\\"hi\\\" for \\$5 \\\\ done\"\n"
		"EMPTY=\n"
		"A=1 B=2\n"
		"export A B\n"
		"URL=http://example.org/#frag\n"
		"DOLLAR=cost$\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(param(f, "NET_IF"), "eth0");
	assert_string_equal(param(f, "LOC_IF"), "eth1");
	assert_string_equal(param(f, "GW"), "134.28.54.2");
	assert_string_equal(param(f, "NETS"), "10.0.0.0/8,134.28.54.2");
	assert_string_equal(param(f, "LIT"), "$GW is not expanded; # not a comment");
	assert_string_equal(param(f, "BRACED"), "eth0:134.28.54.2");
	assert_string_equal(param(f, "MIXED"), "ab cd e f");
	assert_string_equal(param(f, "ESC"), "say \"hi\" for $5 \\ done");
	assert_string_equal(param(f, "EMPTY"), "");
	assert_string_equal(param(f, "A"), "1");
	assert_string_equal(param(f, "B"), "2");
	assert_string_equal(param(f, "URL"), "http://example.org/#frag");
	assert_string_equal(param(f, "DOLLAR"), "cost$");
	/* the loc of a param is its line */
	assert_int_equal(f->c.params->loc.line, 15);
}

static void test_override(void **state)
{
	struct fx *f = *state;
	params(f, "X=1\nY=$X\nX=2\nZ=$X$Y\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(param(f, "X"), "2");
	assert_string_equal(param(f, "Y"), "1");
	assert_string_equal(param(f, "Z"), "21");
}

static void test_refused_constructs(void **state)
{
	struct fx *f = *state;
	params(f,
		"A=$(hostname)\n"
		"B=`uname -r`\n"
		"C=1; D=2\n"
		"test -f /etc/foo && E=1\n"
		"if [ -n \"$X\" ]; then\n"
		"F=$((1+2))\n"
		"G=${H:-default}\n"
		"myfunc() { echo; }\n"
		"I=a | tr a b\n"
		"J=$1\n"
		"echo hello\n"
		"K=~/x\n"
		"L=a >/tmp/x\n"
		". /etc/shorewall/other\n"
		"M+=1\n");
	assert_true(diag_has(&f->d, "ERROR: Unsupported shell construct in params ($(hostname)) /etc/shorewall/params (line 1)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (`uname -r`)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (;)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (test)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (if)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params ($((1+2)))"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (${H:-default})"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (myfunc())"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (|)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params ($1)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (echo)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (~/x)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (>)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (.)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in params (M+=1)"));
	assert_int_equal(f->d.errors, 15);
	/* nothing was executed, and a refused line defines nothing */
	assert_null(param(f, "A"));
	assert_null(param(f, "F"));
}

static void test_undefined_and_reserved(void **state)
{
	struct fx *f = *state;
	params(f, "A=$NOPE\nB=\"x${ALSO_NOPE}y\"\nLOGFILE=/tmp/x\nFW=gw\nSW_X=1\nPATH=/bin\nC='unterminated\n");
	assert_true(diag_has(&f->d, "ERROR: Undefined shell variable ($NOPE) /etc/shorewall/params (line 1)"));
	assert_true(diag_has(&f->d, "Undefined shell variable ($ALSO_NOPE) /etc/shorewall/params (line 2)"));
	assert_true(diag_has(&f->d, "The variable name LOGFILE is reserved and may not be set in the params file"));
	assert_true(diag_has(&f->d, "The variable name FW is reserved"));
	assert_true(diag_has(&f->d, "The variable name SW_X is reserved"));
	assert_true(diag_has(&f->d, "Unterminated quoted string in params ('unterminated)"));
	assert_int_equal(f->d.errors, 6);
	assert_string_equal(param(f, "PATH"), "/bin");
	assert_string_equal(param(f, "FW"), "fw");
}

static void test_feeds_other_files(void **state)
{
	struct fx *f = *state;
	params(f, "NET_IF=eth0\n");
	/* a later file, read with expansion, sees the param */
	struct source s;
	struct row r;
	const char *text = "net $NET_IF $UNDEFINED\n";
	source_open_mem(&s, &f->c, "interfaces", "/etc/shorewall/interfaces", text, strlen(text));
	assert_false(source_next(&s, &r));
	source_close(&s);
	assert_true(diag_has(&f->d, "Undefined shell variable ($UNDEFINED) /etc/shorewall/interfaces (line 1)"));
	text = "net $NET_IF\n";
	source_open_mem(&s, &f->c, "interfaces", "/etc/shorewall/interfaces", text, strlen(text));
	assert_true(source_next(&s, &r));
	assert_string_equal(r.col[1], "eth0");
	source_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assignments, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_override, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refused_constructs, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_undefined_and_reserved, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_feeds_other_files, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
