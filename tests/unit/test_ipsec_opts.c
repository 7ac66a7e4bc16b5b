/* test_ipsec_opts.c — the policy-match option lists shared by zones, ipsec, masq and snat. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ipsec_opts.h"
#include "keyword.h"
#include "test_support.h"

/* Where the options stand, for the messages. */
static const struct loc here = { "/etc/shorewall/zones", 4 };

static struct ipsec_opt *parse(struct fx *f, const char *text, bool want_ok, const char ***other)
{
	struct ipsec_opt *l = NULL;
	const char **dummy;
	bool ok = ipsec_opts_parse(&f->c, &here, text, &l, other ? other : &dummy);
	assert_int_equal(ok, want_ok);
	return l;
}

static void test_tables_sorted(void **state)
{
	(void)state;
	size_t n;
	unsigned i;
	const struct keyword *t;
	for (i = 0; (t = ipsec_opts_table(i, &n)); i++) {
		assert_true(n > 0);
		assert_true(kw_sorted(t, n, false));
	}
	assert_int_equal(i, 3);
	assert_true(ipsec_opts_is_key("mode"));
	assert_true(ipsec_opts_is_key("tunnel-src"));
	assert_false(ipsec_opts_is_key("mss"));
	assert_false(ipsec_opts_is_key("Mode"));
}

static void test_every_key_in_order(void **state)
{
	struct fx *f = *state;
	struct ipsec_opt *l = parse(f, "mode=tunnel,reqid=10,spi=0x1F,proto=esp,tunnel-src=134.28.54.2,"
				       "tunnel-dst=10.0.0.0/8,strict", true, NULL);
	static const struct { enum ipsec_key k; const char *v; } want[] = {
		{ IPSEC_MODE, "tunnel" }, { IPSEC_REQID, "10" }, { IPSEC_SPI, "0x1F" }, { IPSEC_PROTO, "esp" },
		{ IPSEC_TUNNEL_SRC, "134.28.54.2" }, { IPSEC_TUNNEL_DST, "10.0.0.0/8" }, { IPSEC_STRICT, NULL },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++, l = l->next) {
		assert_non_null(l);
		assert_int_equal(l->key, want[i].k);
		assert_false(l->invert);
		if (want[i].v)
			assert_string_equal(l->value, want[i].v);
		else
			assert_null(l->value);
	}
	assert_null(l);
	assert_int_equal(f->d.errors, 0);
}

static void test_next_elements(void **state)
{
	struct fx *f = *state;
	/* the same key may come back after next: each element is its own SA */
	struct ipsec_opt *l = parse(f, "strict,mode=tunnel,next,mode=transport", true, NULL);
	assert_int_equal(l->key, IPSEC_STRICT);
	assert_int_equal(l->next->key, IPSEC_MODE);
	assert_int_equal(l->next->next->key, IPSEC_NEXT);
	assert_null(l->next->next->value);
	assert_string_equal(l->next->next->next->value, "transport");
	assert_int_equal(f->d.errors, 0);
}

static void test_proto_numbers_normalised(void **state)
{
	struct fx *f = *state;
	static const char *const in[] = { "proto=50", "proto=51", "proto=108", "proto=ah", "proto=ipcomp" };
	static const char *const out[] = { "esp", "ah", "ipcomp", "ah", "ipcomp" };
	for (size_t i = 0; i < 5; i++) {
		struct ipsec_opt *l = parse(f, in[i], true, NULL);
		assert_int_equal(l->key, IPSEC_PROTO);
		assert_string_equal(l->value, out[i]);
	}
	parse(f, "proto=47", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (47) for option \"proto\""));
	parse(f, "proto=ESP", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (ESP) for option \"proto\""));
}

static void test_invert(void **state)
{
	struct fx *f = *state;
	struct ipsec_opt *l = parse(f, "proto!=ah,reqid!=5,tunnel-src!=1.2.3.4", true, NULL);
	assert_true(l->invert);
	assert_string_equal(l->value, "ah");
	assert_true(l->next->invert);
	assert_string_equal(l->next->value, "5");
	assert_true(l->next->next->invert);
	/* strict and next take no value, so they cannot be inverted */
	parse(f, "strict!=1", false, NULL);
	assert_true(diag_has(&f->d, "Option \"strict\" does not take a value"));
	parse(f, "next!=x", false, NULL);
	assert_true(diag_has(&f->d, "Option \"next\" does not take a value"));
}

static void test_bad_values(void **state)
{
	struct fx *f = *state;
	parse(f, "mode=tunel", false, NULL);
	assert_true(diag_has(&f->d, "ERROR: Invalid value (tunel) for option \"mode\" /etc/shorewall/zones (line 4)"));
	parse(f, "reqid=abc", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (abc) for option \"reqid\""));
	parse(f, "spi=4294967296", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (4294967296) for option \"spi\""));
	parse(f, "spi=0x", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (0x) for option \"spi\""));
	parse(f, "tunnel-dst=10.0.0.300", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (10.0.0.300) for option \"tunnel-dst\""));
	parse(f, "tunnel-src=1.2.3.4/33", false, NULL);
	assert_true(diag_has(&f->d, "Invalid value (1.2.3.4/33) for option \"tunnel-src\""));
	parse(f, "mode", false, NULL);
	assert_true(diag_has(&f->d, "Missing value for option \"mode\""));
	parse(f, "reqid=", false, NULL);
	assert_true(diag_has(&f->d, "Missing value for option \"reqid\""));
	parse(f, "strict=yes", false, NULL);
	assert_true(diag_has(&f->d, "Option \"strict\" does not take a value"));
	assert_int_equal(f->d.errors, 9);
	/* the biggest 32-bit values are fine */
	parse(f, "spi=4294967295,reqid=0xffffffff", true, NULL);
}

static void test_every_error_reported(void **state)
{
	struct fx *f = *state;
	struct ipsec_opt *l = parse(f, "mode=tunel,reqid=x,proto=esp", false, NULL);
	assert_int_equal(f->d.errors, 2);
	/* the good element is still kept */
	assert_non_null(l);
	assert_int_equal(l->key, IPSEC_PROTO);
	assert_null(l->next);
}

static void test_others_returned(void **state)
{
	struct fx *f = *state;
	const char **other = NULL;
	struct ipsec_opt *l = parse(f, "mss=1400,mode=transport,nomark,bogus=1,mss!=3", true, &other);
	assert_non_null(other);
	assert_string_equal(other[0], "mss=1400");
	assert_string_equal(other[1], "nomark");
	assert_string_equal(other[2], "bogus=1");
	assert_string_equal(other[3], "mss!=3");
	assert_null(other[4]);
	assert_int_equal(l->key, IPSEC_MODE);
	assert_null(l->next);
	assert_int_equal(f->d.errors, 0);
	/* no others: NULL */
	parse(f, "mode=tunnel", true, &other);
	assert_null(other);
}

static void test_empty_and_dash(void **state)
{
	struct fx *f = *state;
	const char **other = (const char **)1;
	assert_null(parse(f, "-", true, &other));
	assert_null(other);
	assert_null(parse(f, "", true, NULL));
	assert_true(ipsec_opts_parse(&f->c, &here, NULL, &(struct ipsec_opt *){ NULL }, NULL));
	parse(f, "mode=tunnel,,strict", false, NULL);
	assert_true(diag_has(&f->d, "Invalid option list (mode=tunnel,,strict)"));
}

static void test_appends_to_existing_list(void **state)
{
	struct fx *f = *state;
	struct ipsec_opt *l = NULL;
	const char **other;
	assert_true(ipsec_opts_parse(&f->c, &here, "mode=tunnel", &l, &other));
	assert_true(ipsec_opts_parse(&f->c, &here, "reqid=3", &l, &other));
	assert_int_equal(l->key, IPSEC_MODE);
	assert_int_equal(l->next->key, IPSEC_REQID);
}

static void test_kernel_limits(void **state)
{
	struct fx *f = *state;
	parse(f, "mode=tunnel,mode=transport", false, NULL);
	assert_true(diag_has(&f->d, "Option \"mode\" specified twice"));
	parse(f, "strict,next,mode=tunnel", false, NULL);
	assert_true(diag_has(&f->d, "Empty policy-match element before \"next\""));
	parse(f, "strict,mode=tunnel,next", false, NULL);
	assert_true(diag_has(&f->d, "Empty policy-match element after \"next\""));
	parse(f, "strict,reqid=1,next,reqid=2,next,reqid=3,next,reqid=4,next,reqid=5", false, NULL);
	assert_true(diag_has(&f->d, "Too many policy-match elements (at most 4)"));
	assert_int_equal(f->d.errors, 4);
	parse(f, "strict,reqid=1,next,reqid=2,next,reqid=3,next,reqid=4", true, NULL);
}

/* The seed's and reference's option lists, exactly as written there. */
static void test_seed_lists(void **state)
{
	struct fx *f = *state;
	const char **other;
	struct ipsec_opt *l = parse(f, "mode=tunnel", true, &other);
	assert_null(other);
	assert_string_equal(l->value, "tunnel");
	l = parse(f, "mode=transport", true, &other);
	assert_string_equal(l->value, "transport");
	/* reference §1.1: mode=tunnel,strict,proto=esp then reqid=10,tunnel-src=134.28.54.2 */
	l = parse(f, "mode=tunnel,strict,proto=esp", true, &other);
	l = parse(f, "reqid=10,tunnel-src=134.28.54.2", true, &other);
	assert_int_equal(l->key, IPSEC_REQID);
	assert_int_equal(l->next->key, IPSEC_TUNNEL_SRC);
	assert_int_equal(f->d.errors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test_setup_teardown(test_every_key_in_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_next_elements, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_proto_numbers_normalised, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_invert, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_every_error_reported, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_others_returned, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_dash, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_appends_to_existing_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_kernel_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_seed_lists, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
