/* test_rate.c — RATE / LIMIT:BURST parsing: plain and per-address limits, names, units, bursts, pairs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rate.h"
#include "test_support.h"

static struct rate *ok(struct fx *t, const char *text)
{
	struct rate *r = NULL;
	struct loc loc = { "policy", 1 };
	bool good = rate_parse(&t->c, &loc, text, &r);
	if (!good)
		fx_dump(t);
	assert_true(good);
	assert_non_null(r);
	return r;
}

static void bad(struct fx *t, const char *text, const char *msg)
{
	struct rate *r = (struct rate *)1;
	struct loc loc = { "policy", 2 };
	unsigned before = t->d.errors;
	assert_false(rate_parse(&t->c, &loc, text, &r));
	assert_null(r);
	assert_int_equal(t->d.errors, before + 1);
	fx_expect(t, msg);
}

static void test_plain(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct rate *r = ok(&t, "10/sec:40");
	assert_int_equal(r->per, 0);
	assert_null(r->name);
	assert_int_equal(r->rate, 10);
	assert_int_equal(r->unit, RATE_SEC);
	assert_int_equal(r->burst, 40);
	assert_null(r->next);
	r = ok(&t, "3/min");
	assert_int_equal(r->unit, RATE_MIN);
	assert_int_equal(r->burst, 0);
	assert_int_equal(ok(&t, "3/minute")->unit, RATE_MIN);
	assert_int_equal(ok(&t, "3/second")->unit, RATE_SEC);
	assert_int_equal(ok(&t, "1/hour:2")->unit, RATE_HOUR);
	assert_int_equal(ok(&t, "1/day")->unit, RATE_DAY);
	/* no unit: per second, as iptables reads it */
	r = ok(&t, "25");
	assert_int_equal(r->rate, 25);
	assert_int_equal(r->unit, RATE_SEC);
	assert_int_equal(t.d.errors, 0);
	fx_fini(&t);
}

static void test_per_address_and_names(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct rate *r = ok(&t, "s:5/min:10");
	assert_int_equal(r->per, 's');
	assert_null(r->name);
	assert_int_equal(r->rate, 5);
	assert_int_equal(r->burst, 10);
	r = ok(&t, "d:ssh_limit:3/hour");
	assert_int_equal(r->per, 'd');
	assert_string_equal(r->name, "ssh_limit");
	assert_int_equal(r->unit, RATE_HOUR);
	r = ok(&t, "tbl:10/sec");
	assert_int_equal(r->per, 0);
	assert_string_equal(r->name, "tbl");
	r = ok(&t, ":10/sec");           /* empty table name is allowed by Shorewall */
	assert_null(r->name);
	fx_fini(&t);
}

static void test_two_limits(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	/* The first limit is per source, the second per destination, written or not. */
	struct rate *r = ok(&t, "10/sec:20,5/min");
	assert_int_equal(r->per, 's');
	assert_non_null(r->next);
	assert_int_equal(r->next->per, 'd');
	assert_int_equal(r->next->rate, 5);
	assert_int_equal(r->next->unit, RATE_MIN);
	assert_null(r->next->next);
	r = ok(&t, "s:1/sec,d:2/sec");
	assert_int_equal(r->per, 's');
	assert_int_equal(r->next->per, 'd');
	bad(&t, "d:1/sec,s:2/sec", "Invalid rate (d:1/sec,s:2/sec)");
	bad(&t, "1/sec,2/sec,3/sec", "Invalid rate (1/sec,2/sec,3/sec)");
	bad(&t, "1/sec,2/fortnight", "Invalid rate (2/fortnight)");
	fx_fini(&t);
}

static void test_bad(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	bad(&t, "10/minute:5:9", "ERROR: Invalid rate (10/minute:5:9) policy (line 2)");
	bad(&t, "10/week", "Invalid rate (10/week)");
	bad(&t, "0/sec", "Invalid rate (0/sec)");
	bad(&t, "10/sec:0", "Invalid rate (10/sec:0)");
	bad(&t, "/sec", "Invalid rate (/sec)");
	bad(&t, "x/sec", "Invalid rate (x/sec)");
	bad(&t, "10/", "Invalid rate (10/)");
	bad(&t, "10/sec:", "Invalid rate (10/sec:)");
	bad(&t, "s:", "Invalid rate (s:)");
	bad(&t, "99999999999/sec", "Invalid rate (99999999999/sec)");
	bad(&t, "10/SEC", "Invalid rate (10/SEC)");
	bad(&t, "1tbl:10/sec", "Invalid rate (1tbl:10/sec)");
	bad(&t, "10 /sec", "Invalid rate (10 /sec)");
	assert_int_equal(t.d.errors, 13);
	fx_fini(&t);
}

static void test_unit_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *k = rate_unit_table(&n);
	assert_int_equal(n, 6);
	assert_true(kw_sorted(k, n, false));
	assert_int_equal(kw_find(k, n, "minute")->value, RATE_MIN);
	assert_int_equal(kw_find(k, n, "day")->value, RATE_DAY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_per_address_and_names),
		cmocka_unit_test(test_two_limits),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_unit_table_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
