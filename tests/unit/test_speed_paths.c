/* test_speed_paths.c — the compile's fast paths give exactly what the general code they bypass gives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "compile.h"
#include "emit/iptc.h"
#include "ir.h"
#include "keyword.h"
#include "netcheck.h"
#include "source.h"

/* ir_names.c's protocol flags (PROTO_BY_NAME 1, PROTO_PORTS 2) as its table states them. */
static const struct keyword *table_proto(uint8_t num)
{
	size_t n;
	const struct keyword *t = ir_keyword_table(0, &n);
	for (size_t i = 0; i < n; i++)
		if (t[i].value == num && num)
			return &t[i];
	return NULL;
}

/* ir_proto_has_module/has_ports/name answer without the table: the table's answers, all 256. */
static void test_ir_proto_fast(void **state)
{
	(void)state;
	for (unsigned num = 0; num < 256; num++) {
		const struct keyword *k = table_proto((uint8_t)num);
		assert_int_equal(ir_proto_has_module((uint8_t)num), k && (k->flags & 1));
		assert_int_equal(ir_proto_has_ports((uint8_t)num), k && (k->flags & 2));
		const char *name = ir_proto_name((uint8_t)num);
		if (k)
			assert_string_equal(name, k->name);
		else
			assert_null(name);
	}
	uint8_t v = 0;
	assert_true(ir_proto_parse("tcp", &v) && v == 6);
	assert_true(ir_proto_parse("udp", &v) && v == 17);
	assert_true(ir_proto_parse("TCP", &v) && v == 6);
	assert_false(ir_proto_parse("tcpx", &v));
}

/* netcheck's protocol names: the fast path and the table agree. */
static void test_netcheck_proto_fast(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = netcheck_proto_table(&n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(netcheck_proto_number(t[i].name), t[i].value);
		char up[32];
		snprintf(up, sizeof(up), "%s", t[i].name);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		assert_int_equal(netcheck_proto_number(up), t[i].value);
	}
	assert_string_equal(netcheck_proto_name(6), "tcp");
	assert_string_equal(netcheck_proto_name(17), "udp");
	assert_int_equal(netcheck_proto_number("tcp6"), -1);
}

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct keyword *)elem)->name);
}

/* kw_find by hand finds what bsearch(3) finds, for every name, its neighbours and its prefixes. */
static void test_kw_find_is_bsearch(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = netcheck_proto_table(&n);
	const char *probes[] = { "", "a", "zz", "ACCEPT", "\xff", "tc", "tcpp", "ipv6-", "udplit" };
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(kw_find(t, n, t[i].name), &t[i]);
		for (size_t m = 0; m <= n; m++)
			assert_ptr_equal(kw_find(t, m, t[i].name), bsearch(t[i].name, t, m, sizeof(*t), cmp));
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		assert_ptr_equal(kw_find(t, n, probes[i]), bsearch(probes[i], t, n, sizeof(*t), cmp));
	assert_null(kw_find(t, n, NULL));
	assert_null(kw_find(t, 0, "tcp"));
}

/* netcheck_split cuts one copy: the elements are still separate strings, the input untouched. */
static void test_split_pieces(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *in = "22,80:90,,443";
	const char **el;
	size_t k = netcheck_split(a, in, &el);
	assert_int_equal(k, 4);
	assert_string_equal(el[0], "22");
	assert_string_equal(el[1], "80:90");
	assert_string_equal(el[2], "");
	assert_string_equal(el[3], "443");
	assert_null(el[4]);
	assert_string_equal(in, "22,80:90,,443");
	k = netcheck_split(a, "", &el);
	assert_int_equal(k, 1);
	assert_string_equal(el[0], "");
	arena_free(a);
}

/* Strings are packed, objects stay aligned and zeroed after them. */
static void test_arena_alignment(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (int i = 0; i < 20000; i++) {
		char *s = arena_strdup(a, i % 3 ? "ab" : "a longer string here");
		assert_string_equal(s, i % 3 ? "ab" : "a longer string here");
		uint64_t *o = arena_alloc(a, (size_t)(1 + i % 40));
		assert_int_equal((uintptr_t)o % 8, 0);
		assert_int_equal(o[0], 0);
		memset(o, 0xff, (size_t)(1 + i % 40));
	}
	char *big = arena_strndup(a, "x", 1);
	char *huge = arena_alloc(a, 100000);       /* a block of its own */
	assert_int_equal((uintptr_t)huge % 8, 0);
	assert_int_equal(huge[99999], 0);
	char *next = arena_strdup(a, "y");
	assert_string_equal(big, "x");
	assert_string_equal(next, "y");
	arena_free(a);
}

/* Past a few megabytes the arena grows in 2 MiB blocks (huge pages): objects still aligned and
 * zeroed, strings intact, oversized requests still served, across many of those blocks. */
static void test_arena_huge_blocks(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *first = arena_strdup(a, "first");
	size_t count = 0;
	while (arena_bytes(a) < (24u << 20)) {
		uint64_t *o = arena_alloc(a, 200);
		assert_int_equal((uintptr_t)o % 8, 0);
		assert_int_equal(o[0] | o[24], 0);
		memset(o, 0xab, 200);
		char *s = arena_strdup(a, "zone1");
		assert_string_equal(s, "zone1");
		if (++count % 5000 == 0) {
			char *huge = arena_alloc(a, 300000);
			assert_int_equal((uintptr_t)huge % 8, 0);
			assert_int_equal(huge[0] | huge[299999], 0);
			memset(huge, 1, 300000);
		}
	}
	assert_string_equal(first, "first");
	arena_free(a);
}

/* A file read whole gives the rows line-by-line reading gives (continuations, comments, a last line
 * without newline). */
static void test_source_file_whole(void **state)
{
	(void)state;
	char dir[] = "/tmp/swc-speed-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/rules", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("ACCEPT net fw tcp 22 # ssh\n\n#comment\nDROP \\\n  loc net\nREJECT all all", f);
	fclose(f);
	struct diag d;
	struct compile c;
	diag_init(&d);
	d.out = fopen("/dev/null", "w");
	compile_init(&c, &d, dir);
	struct source s;
	struct row r;
	assert_int_equal(source_open(&s, &c, "rules"), 1);
	assert_true(source_next(&s, &r));
	assert_int_equal(r.ncols, 5);
	assert_string_equal(r.col[4], "22");
	assert_int_equal(r.loc.line, 1);
	assert_true(source_next(&s, &r));
	assert_int_equal(r.ncols, 3);
	assert_string_equal(r.col[2], "net");
	assert_int_equal(r.loc.line, 5);
	assert_true(source_next(&s, &r));
	assert_string_equal(r.col[0], "REJECT");
	assert_int_equal(r.loc.line, 6);
	assert_false(source_next(&s, &r));
	source_close(&s);
	assert_int_equal(d.errors, 0);
	FILE *out = d.out;
	compile_fini(&c);
	diag_fini(&d);
	fclose(out);
	unlink(path);
	rmdir(dir);
}

/* iptc_apply's match cache: a closed list, sorted for KW_FIND. */
static void test_iptc_cached_table(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = iptc_cached_match_table(&n);
	assert_true(n >= 1);
	assert_true(kw_sorted(t, n, false));
	assert_non_null(kw_find(t, n, "policy"));
	/* LOGLIMIT's segment repeats on every logging rule (a RATE's, named per rule, just misses) */
	assert_non_null(kw_find(t, n, "hashlimit"));
	assert_null(kw_find(t, n, "multiport"));        /* ports differ rule by rule */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ir_proto_fast),
		cmocka_unit_test(test_netcheck_proto_fast),
		cmocka_unit_test(test_kw_find_is_bsearch),
		cmocka_unit_test(test_split_pieces),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_huge_blocks),
		cmocka_unit_test(test_source_file_whole),
		cmocka_unit_test(test_iptc_cached_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
