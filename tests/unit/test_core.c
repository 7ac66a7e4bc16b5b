/* test_core.c — the arena, the diagnostics reporter and the keyword tables, the base every module stands on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arena.h"
#include "diag.h"
#include "keyword.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---------------------------------------------------------------------------------------- */

static void test_arena_alignment(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	/* Odd sizes must not push later objects off the alignment any type kept there needs
	 * (8: pointers, 64-bit integers, doubles; nothing in this program asks for more). */
	for (size_t size = 1; size < 100; size += 7) {
		void *p = arena_alloc(a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 8, 0);
	}
	arena_free(a);
}

static void test_arena_zeroed_and_distinct(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	unsigned char *p = arena_alloc(a, 64), *q = arena_alloc(a, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xaa, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(q[i], 0);   /* no overlap: writing p left q alone */
	assert_true(q >= p + 64 || q + 64 <= p);
	arena_free(a);
}

static void test_arena_big_allocations(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *small1 = arena_strdup(a, "before");
	/* Bigger than a block: gets its own, and the current block keeps serving small requests. */
	size_t big = 1u << 20;
	unsigned char *p = arena_alloc(a, big);
	memset(p, 0x55, big);
	assert_int_equal(p[big - 1], 0x55);
	char *small2 = arena_strdup(a, "after");
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_true(arena_bytes(a) >= big);
	/* Many allocations spanning several blocks all stay valid. */
	char *strs[5000];
	for (int i = 0; i < 5000; i++)
		strs[i] = arena_printf(a, "s%d", i);
	for (int i = 0; i < 5000; i++) {
		char want[16];
		snprintf(want, sizeof(want), "s%d", i);
		assert_string_equal(strs[i], want);
	}
	arena_free(a);
}

static void test_arena_exact_block_size(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	/* Sizes at and around the block size and the "oversized" threshold. */
	size_t sizes[] = { 16 * 1024, 16 * 1024 + 1, 64 * 1024 - 16, 64 * 1024, 64 * 1024 + 1, 0, 1 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = arena_alloc(a, sizes[i]);
		assert_non_null(p);
		if (sizes[i])
			memset(p, 1, sizes[i]);
	}
	arena_free(a);
	arena_free(NULL);   /* a no-op */
}

static void test_arena_strings(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(a, "ab", 2), "ab");
	assert_string_equal(arena_strdup(a, ""), "");
	assert_string_equal(arena_printf(a, "%s-%d", "net", 42), "net-42");
	char longbuf[5000];
	memset(longbuf, 'x', sizeof(longbuf) - 1);
	longbuf[sizeof(longbuf) - 1] = '\0';
	char *p = arena_printf(a, "%s", longbuf);
	assert_int_equal(strlen(p), sizeof(longbuf) - 1);
	arena_free(a);
}

/* A scratch arena emptied between steps: later allocations are served again, zeroed, and a big
 * request's block of its own goes with the reset. */
static void test_arena_reset(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	arena_reset(a);                             /* nothing yet: a no-op */
	for (int round = 0; round < 50; round++) {
		unsigned char *p = arena_alloc(a, 100);
		for (size_t i = 0; i < 100; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xee, 100);
		char *big = arena_alloc(a, 200000);
		assert_int_equal(big[199999], 0);
		memset(big, 1, 200000);
		assert_string_equal(arena_strdup(a, "zone"), "zone");
		arena_reset(a);
		assert_true(arena_bytes(a) <= 128 * 1024);    /* one ordinary block left */
	}
	arena_free(a);
}

/* The inline bump: objects aligned to 8 after strings of any length, zeroed across block ends,
 * and an empty request answered without a fresh block. */
static void test_arena_bump(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_non_null(arena_alloc(a, 0));        /* before any block */
	size_t before = arena_bytes(a);
	for (int i = 0; i < 1000; i++)
		assert_non_null(arena_alloc(a, 0));
	assert_int_equal(arena_bytes(a), before);
	for (int i = 0; i < 20000; i++) {
		arena_strndup(a, "abcdefg", (size_t)(i % 7));
		unsigned char *p = arena_alloc(a, 24);
		assert_int_equal((uintptr_t)p % 8, 0);
		for (size_t k = 0; k < 24; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xff, 24);
	}
	arena_free(a);
}

/* Children: freed early (their parent goes on), or with their parent (the sanitizer's leak check
 * sees either way). */
static void test_arena_children(void **state)
{
	(void)state;
	struct arena *parent = arena_new();
	struct arena *k[4];
	for (int i = 0; i < 4; i++) {
		k[i] = arena_new_child(parent);
		for (int j = 0; j < 3000; j++) {
			char *s = arena_strdup(k[i], "10.0.0.0/8");
			assert_string_equal(s, "10.0.0.0/8");
			uint64_t *o = arena_alloc(k[i], 24);
			assert_int_equal(o[0] | o[2], 0);
		}
		char *huge = arena_alloc(k[i], 1 << 20);        /* a mapping of its own */
		assert_int_equal(huge[(1 << 20) - 1], 0);
	}
	arena_free(k[1]);                           /* middle of the list */
	arena_free(k[3]);                           /* its head */
	struct arena *grand = arena_new_child(k[0]);
	assert_non_null(arena_alloc(grand, 10));
	assert_non_null(arena_alloc(parent, 10));
	arena_free(parent);                         /* k[0] (and grand) and k[2] with it */
}

/* A big tree's blocks come from huge-page slabs, and a freed child's blocks serve the next ones:
 * every object handed out is zeroed, whoever wrote the block before. */
static void test_arena_reuse(void **state)
{
	(void)state;
	struct arena *root = arena_new();
	for (int round = 0; round < 40; round++) {
		struct arena *k = arena_new_child(root);
		for (int j = 0; j < 6000; j++) {
			unsigned char *o = arena_alloc(k, 40);
			for (size_t i = 0; i < 40; i++)
				assert_int_equal(o[i], 0);
			memset(o, 0xab, 40);
			if (j % 100 == 0) {
				unsigned char *big = arena_alloc(k, 3000);  /* a block of its own */
				assert_int_equal(big[0] | big[2999], 0);
				memset(big, 0xcd, 3000);
			}
		}
		unsigned char *r = arena_alloc(root, 5000);          /* the root takes spare blocks too */
		for (size_t i = 0; i < 5000; i++)
			assert_int_equal(r[i], 0);
		memset(r, 0xef, 5000);
		arena_free(k);
	}
	assert_non_null(arena_alloc(root, 8u << 20));           /* past a slab: mapped on its own */
	arena_free(root);
}

static void test_vec_growth(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	VEC(int) v = { 0 };
	assert_int_equal(v.n, 0);
	for (int i = 0; i < 10000; i++)
		vec_push(a, &v, i * 3);
	assert_int_equal(v.n, 10000);
	assert_true(v.cap >= 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(v.v[i], i * 3);
	/* Elements bigger than a pointer keep their bytes across growth. */
	struct big { char name[40]; int k; };
	VEC(struct big) bv = { 0 };
	for (int i = 0; i < 100; i++) {
		struct big b = { .k = i };
		snprintf(b.name, sizeof(b.name), "zone%d", i);
		vec_push(a, &bv, b);
	}
	assert_int_equal(bv.n, 100);
	assert_string_equal(bv.v[0].name, "zone0");
	assert_string_equal(bv.v[99].name, "zone99");
	assert_int_equal(bv.v[57].k, 57);
	arena_free(a);
}

/* ---- diag ----------------------------------------------------------------------------------------- */

static char *flush_to_string(struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	d->out = f;
	diag_flush(d);
	fclose(f);
	return text;
}

static void test_diag_formats(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	struct loc line = { "/etc/shorewall/policy", 7 };
	struct loc eof = { "/etc/shorewall/policy", LOC_EOF };
	struct loc file = { "/etc/shorewall/zones", 0 };
	struct loc none = LOC_NONE;
	diag_error(&d, &line, "Undefined zone (%s)", "dmz");
	diag_error(&d, &eof, "No policy defined from zone %s to zone %s", "fw", "net");
	diag_warn(&d, &file, "Cannot read file (%s):", "Permission denied");
	diag_error(&d, &none, "%s does not exist!", "/x/zones");
	diag_error(&d, NULL, "no loc at all");
	diag_info(&d, &line, "just saying");
	assert_int_equal(d.errors, 4);
	assert_int_equal(d.warnings, 1);

	char buf[256];
	diag_format(d.head, buf, sizeof(buf));
	assert_string_equal(buf, "ERROR: Undefined zone (dmz) /etc/shorewall/policy (line 7)");
	assert_true(diag_has(&d, "ERROR: No policy defined from zone fw to zone net /etc/shorewall/policy (EOF)"));
	assert_true(diag_has(&d, "WARNING: Cannot read file (Permission denied): /etc/shorewall/zones"));
	assert_false(diag_has(&d, "zones (line"));
	assert_false(diag_has(&d, "nothing like this"));

	char *text = flush_to_string(&d);
	assert_string_equal(text,
		"ERROR: Undefined zone (dmz) /etc/shorewall/policy (line 7)\n"
		"ERROR: No policy defined from zone fw to zone net /etc/shorewall/policy (EOF)\n"
		"WARNING: Cannot read file (Permission denied): /etc/shorewall/zones\n"
		"ERROR: /x/zones does not exist!\n"
		"ERROR: no loc at all\n"
		"just saying /etc/shorewall/policy (line 7)\n");
	free(text);
	/* Flushing forgets the messages but not the counts, which decide the exit status. */
	assert_null(d.head);
	assert_false(diag_has(&d, "dmz"));
	assert_int_equal(d.errors, 4);
	diag_fini(&d);
}

static void test_diag_order_and_truncation(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	for (unsigned i = 1; i <= 50; i++) {
		struct loc l = { "f", i };
		if (i % 5 == 0)
			diag_warn(&d, &l, "w%u", i);
		else
			diag_error(&d, &l, "e%u", i);
	}
	assert_int_equal(d.errors, 40);
	assert_int_equal(d.warnings, 10);
	unsigned i = 1;
	char buf[64], want[64];
	for (const struct diag_msg *m = d.head; m; m = m->next, i++) {
		diag_format(m, buf, sizeof(buf));
		snprintf(want, sizeof(want), "%s%c%u f (line %u)", i % 5 ? "ERROR: " : "WARNING: ",
			 i % 5 ? 'e' : 'w', i, i);
		assert_string_equal(buf, want);
	}
	assert_int_equal(i, 51);
	/* A tiny buffer truncates, it never overruns. */
	char small[8];
	memset(small, 'Z', sizeof(small));
	diag_format(d.head, small, 6);
	assert_string_equal(small, "ERROR");
	assert_int_equal(small[7], 'Z');
	/* A very long message is kept whole. */
	char longtext[6000];
	memset(longtext, 'q', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	diag_error(&d, NULL, "%s", longtext);
	assert_int_equal(strlen(d.tail->text), sizeof(longtext) - 1);
	diag_fini(&d);
	assert_null(d.head);
}

/* ---- keyword -------------------------------------------------------------------------------------- */

/* must stay sorted */
static const struct keyword colours[] = {
	{ "blue", 1, 0 }, { "green", 2, 0 }, { "red", 3, 0 }, { "yellow", 4, 0 },
};

/* must stay sorted (strcasecmp order, lower case) */
static const struct keyword answers[] = {
	{ "keep", 0, 0 }, { "no", 0, 0 }, { "off", 0, 0 }, { "on", 1, 0 }, { "yes", 1, 0 },
};

static void test_keyword_find(void **state)
{
	(void)state;
	assert_true(kw_sorted(colours, KW_COUNT(colours), false));
	assert_true(kw_sorted(answers, KW_COUNT(answers), true));
	for (size_t i = 0; i < KW_COUNT(colours); i++) {
		const struct keyword *k = KW_FIND(colours, colours[i].name);
		assert_non_null(k);
		assert_ptr_equal(k, &colours[i]);
	}
	assert_null(KW_FIND(colours, "purple"));
	assert_null(KW_FIND(colours, ""));
	assert_null(KW_FIND(colours, "Red"));         /* case matters in kw_find */
	assert_null(KW_FIND(colours, NULL));
	assert_null(kw_find(colours, 0, "red"));
	assert_int_equal(kw_find(colours, 1, "blue")->value, 1);

	assert_int_equal(kw_find_nocase(answers, KW_COUNT(answers), "YES")->value, 1);
	assert_int_equal(kw_find_nocase(answers, KW_COUNT(answers), "No")->value, 0);
	assert_int_equal(kw_find_nocase(answers, KW_COUNT(answers), "oN")->value, 1);
	assert_null(kw_find_nocase(answers, KW_COUNT(answers), "maybe"));
	assert_null(kw_find_nocase(answers, KW_COUNT(answers), NULL));
}

static void test_keyword_sorted_detects_disorder(void **state)
{
	(void)state;
	static const struct keyword unsorted[] = { { "b", 0, 0 }, { "a", 0, 0 } };
	static const struct keyword dup[] = { { "a", 0, 0 }, { "a", 0, 0 } };
	/* "Yes" < "no" in strcmp order (upper case first) but not in strcasecmp order. */
	static const struct keyword mixed[] = { { "Yes", 0, 0 }, { "no", 0, 0 } };
	assert_false(kw_sorted(unsorted, 2, false));
	assert_false(kw_sorted(dup, 2, false));
	assert_false(kw_sorted(dup, 2, true));
	assert_true(kw_sorted(mixed, 2, false));
	assert_false(kw_sorted(mixed, 2, true));
	assert_true(kw_sorted(unsorted, 1, false));
	assert_true(kw_sorted(unsorted, 0, false));
	/* The order is what makes bsearch work: in the wrong order a present name can be missed. */
	static const struct keyword bad[] = {
		{ "d", 0, 0 }, { "c", 0, 0 }, { "b", 0, 0 }, { "a", 0, 0 }, { "e", 0, 0 },
	};
	assert_false(kw_sorted(bad, 5, false));
	assert_null(kw_find(bad, 5, "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_zeroed_and_distinct),
		cmocka_unit_test(test_arena_big_allocations),
		cmocka_unit_test(test_arena_exact_block_size),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_arena_reset),
		cmocka_unit_test(test_arena_reuse),
		cmocka_unit_test(test_arena_bump),
		cmocka_unit_test(test_arena_children),
		cmocka_unit_test(test_vec_growth),
		cmocka_unit_test(test_diag_formats),
		cmocka_unit_test(test_diag_order_and_truncation),
		cmocka_unit_test(test_keyword_find),
		cmocka_unit_test(test_keyword_sorted_detects_disorder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
