/* test_bench_commit.c — the libiptc commit time tools/bench reports: compile a configuration, then
 * time iptc_apply of its ruleset into the (namespace's) kernel; skipped elsewhere.
 *
 * It replaces kernel tables, so it does nothing unless SWC_NETNS_TEST=1 (set only by tools/bench,
 * which runs it under `ip netns exec` in a namespace it created and deletes). SWC_BENCH_CONFIG=DIR
 * names the configuration. Prints "commit N rules in T ms" (the iptc_apply call alone: libxtables
 * turning every rule into an entry, and the commit of every table) on stdout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "compile.h"
#include "diag.h"
#include "emit/iptc.h"
#include "ir.h"
#include "parsers.h"

static void test_commit(void **state)
{
	(void)state;
	const char *on = getenv("SWC_NETNS_TEST");
	const char *dir = getenv("SWC_BENCH_CONFIG");
	if (!on || strcmp(on, "1") != 0 || !dir)
		skip();             /* only inside a namespace made by tools/bench */
	struct diag d;
	struct compile c;
	config_read(&c, &d, dir, 0);
	struct ruleset *rs = d.errors ? NULL : build_ruleset(&c);
	diag_flush(&d);
	assert_non_null(rs);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = iptc_apply(rs, &d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	diag_flush(&d);
	assert_int_equal(rc, 0);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("commit %zu rules in %.3f ms\n", rs->nrules, ms);
	compile_fini(&c);
	diag_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
