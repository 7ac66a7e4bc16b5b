/* test_loglevel.c — log level validation and normalisation: syslog names, numbers, options, NFLOG, LOGMARK. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "loglevel.h"
#include "test_support.h"

static void norm(struct fx *t, const char *text, const char *want)
{
	const char *out = "unset";
	struct loc loc = { "policy", 1 };
	bool good = loglevel_parse(&t->c, &loc, text, &out);
	if (!good)
		fx_dump(t);
	assert_true(good);
	if (!want)
		assert_null(out);
	else
		assert_string_equal(out, want);
}

static void bad(struct fx *t, const char *text)
{
	const char *out = "unset";
	struct loc loc = { "policy", 3 };
	unsigned before = t->d.errors;
	assert_false(loglevel_parse(&t->c, &loc, text, &out));
	assert_null(out);
	assert_int_equal(t->d.errors, before + 1);
	char want[256];
	snprintf(want, sizeof(want), "ERROR: Invalid log level (%s) policy (line 3)", text);
	fx_expect(t, want);
}

static void test_syslog_names(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	norm(&t, "info", "info");
	norm(&t, "INFO", "info");
	norm(&t, "Debug", "debug");
	norm(&t, "emerg", "emerg");
	norm(&t, "alert", "alert");
	norm(&t, "crit", "crit");
	norm(&t, "err", "err");
	norm(&t, "warning", "warning");
	norm(&t, "notice", "notice");
	/* aliases */
	norm(&t, "panic", "emerg");
	norm(&t, "error", "err");
	norm(&t, "warn", "warning");
	/* numbers */
	norm(&t, "0", "emerg");
	norm(&t, "6", "info");
	norm(&t, "7", "debug");
	/* trailing '!' is kept */
	norm(&t, "info!", "info!");
	norm(&t, "4!", "warning!");
	/* none: no logging */
	norm(&t, "none", NULL);
	norm(&t, "NONE", NULL);
	assert_int_equal(t.d.errors, 0);
	fx_fini(&t);
}

static void test_options(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	norm(&t, "info(tcp_options)", "info(tcp_options)");
	/* canonical order, duplicates folded, --log- spellings accepted */
	norm(&t, "6(uid,tcp_sequence,uid)", "info(tcp_sequence,uid)");
	norm(&t, "debug(--log-ip-options,macdecode)", "debug(ip_options,macdecode)");
	bad(&t, "info(bogus)");
	bad(&t, "info()");
	bad(&t, "info(tcp_options");
	fx_fini(&t);
}

static void test_nflog_ulog_logmark(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	norm(&t, "NFLOG", "NFLOG");
	norm(&t, "nflog(1,0,1)", "NFLOG(1,0,1)");
	norm(&t, "NFLOG(,0,10)", "NFLOG(,0,10)");
	norm(&t, "ULOG(2)", "ULOG(2)");
	norm(&t, "NFLOG(5)!", "NFLOG(5)!");
	norm(&t, "LOGMARK", "LOGMARK(info)");
	norm(&t, "LOGMARK(4)", "LOGMARK(warning)");
	norm(&t, "LOGMARK(crit)", "LOGMARK(crit)");
	bad(&t, "NFLOG(1,2,3,4)");
	bad(&t, "NFLOG(a)");
	bad(&t, "LOGMARK(nflog)");
	bad(&t, "LOGMARK(9)");
	fx_fini(&t);
}

static void test_bad_levels(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	bad(&t, "x");
	bad(&t, "8");
	bad(&t, "66");
	bad(&t, "");
	bad(&t, "!");
	bad(&t, "info!!");
	bad(&t, "none!");
	bad(&t, "none(1)");
	bad(&t, "information");
	assert_int_equal(t.d.errors, 9);
	fx_fini(&t);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = loglevel_table(&n);
	assert_true(kw_sorted(k, n, true));
	assert_true(kw_sorted(k, n, false));    /* lower case: both orders agree */
	k = loglevel_option_table(&n);
	assert_true(kw_sorted(k, n, false));
	assert_int_equal(n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syslog_names),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_nflog_ulog_logmark),
		cmocka_unit_test(test_bad_levels),
		cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
