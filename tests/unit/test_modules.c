/* test_modules.c — modules/helpers files in the configuration directory, and the shipped lists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "stopped.h"
#include "test_support.h"

#include <stdio.h>

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	bool nocase;
	const struct keyword *t = modules_keyword_table(0, &n, &nocase);
	assert_non_null(t);
	assert_true(kw_sorted(t, n, nocase));
	assert_null(modules_keyword_table(1, &n, &nocase));
}

static void test_empty_file_disables_loading(void **state)
{
	struct fx *f = *state;
	assert_false(f->c.graph->modules_given);
	fx_run(f, parse_modules, "helpers", "# nothing to load: monolithic kernel\n");
	assert_true(f->c.graph->modules_given);
	assert_int_equal(f->c.graph->modules.n, 0);
	assert_int_equal(f->d.errors, 0);
}

static void test_entries(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_modules, "modules", "loadmodule nf_conntrack_ftp ports=21,221\nloadmodule xt_policy\n");
	fx_run(f, parse_modules, "helpers", "loadmodule nf_conntrack_sip sip_direct_media=0 debug\nloadmodule nf-conntrack-ftp\n");
	assert_int_equal(f->d.errors, 0);
	assert_true(diag_has(&f->d, "WARNING: Duplicate module (nf-conntrack-ftp) ignored /etc/shorewall/helpers (line 2)"));
	struct graph *g = f->c.graph;
	assert_int_equal(g->modules.n, 3);
	assert_string_equal(g->modules.v[0]->name, "nf_conntrack_ftp");
	assert_string_equal(g->modules.v[0]->args, "ports=21,221");
	assert_null(g->modules.v[1]->args);
	assert_string_equal(g->modules.v[2]->args, "sip_direct_media=0 debug");
	assert_string_equal(g->modules.v[2]->loc.file, "/etc/shorewall/helpers");
	assert_int_equal(g->modules.v[2]->loc.line, 1);
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	fx_run(f, parse_modules, "modules", "insmod foo\nloadmodule\nloadmodule ../../evil\nloadmodule xt_foo =bad\nmodprobe -r x\n");
	assert_true(diag_has(&f->d, "ERROR: Unsupported command in the modules file (insmod) /etc/shorewall/modules (line 1)"));
	assert_true(diag_has(&f->d, "Missing module name /etc/shorewall/modules (line 2)"));
	assert_true(diag_has(&f->d, "Invalid module name (../../evil)"));
	assert_true(diag_has(&f->d, "Invalid module parameter (=bad)"));
	assert_true(diag_has(&f->d, "Unsupported command in the modules file (modprobe)"));
	assert_int_equal(f->d.errors, 5);
	assert_int_equal(f->c.graph->modules.n, 0);
}

/* The shipped lists under modules/: one module name per line, # comments, no duplicates. */
static void test_shipped_lists(void **state)
{
	(void)state;
	static const char *const lists[] = { "modules/ipsec", "modules/netfilter", "modules/helpers" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		FILE *fp = fopen(lists[i], "r");
		assert_non_null(fp);
		char line[256], seen[128][64];
		unsigned n = 0;
		while (fgets(line, sizeof(line), fp)) {
			char *hash = strchr(line, '#');
			if (hash)
				*hash = '\0';
			char name[64];
			if (sscanf(line, "%63s", name) != 1)
				continue;
			for (const char *p = name; *p; p++)
				assert_true((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
					    (*p >= '0' && *p <= '9') || *p == '_');
			for (unsigned k = 0; k < n; k++)
				assert_string_not_equal(seen[k], name);
			assert_true(n < 128);
			strcpy(seen[n++], name);
		}
		fclose(fp);
		assert_true(n >= 3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test_setup_teardown(test_empty_file_disables_loading, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_entries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_errors, fx_setup, fx_teardown),
		cmocka_unit_test(test_shipped_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
