/* test_addr.c — IPv4 addresses, networks, ranges, ipsets and exclusion lists: every accepted and rejected form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "addr.h"
#include "arena.h"

#include <string.h>

static void test_ip4_valid(void **state)
{
	(void)state;
	uint32_t a;
	assert_true(addr_parse_ip4("134.28.54.2", &a));
	assert_int_equal(a, 0x861c3602u);
	assert_true(addr_parse_ip4("0.0.0.0", &a));
	assert_int_equal(a, 0);
	assert_true(addr_parse_ip4("255.255.255.255", &a));
	assert_int_equal(a, 0xffffffffu);
	assert_true(addr_parse_ip4("10.0.0.1", &a));
	assert_int_equal(a, 0x0a000001u);
	assert_true(addr_parse_ip4("001.002.003.004", &a));   /* three digits at most, zeros allowed */
	assert_int_equal(a, 0x01020304u);
}

static void test_ip4_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "1", "1.2", "1.2.3", "1.2.3.", "1.2.3.4.", "1.2.3.4.5", ".1.2.3", "1..2.3",
		"256.0.0.0", "0.256.0.0", "0.0.256.0", "0.0.0.256", "10.0.0.300", "1000.0.0.0", "0001.2.3.4",
		"a.b.c.d", "1.2.3.4a", " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "+1.2.3.4", "0x1.2.3.4",
		"1.2.3.4/32", "-", "999999999999.1.1.1", "1,2,3,4",
	};
	uint32_t a = 0x12345678;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (addr_parse_ip4(bad[i], &a))
			fail_msg("accepted invalid address \"%s\"", bad[i]);
	}
	assert_int_equal(a, 0x12345678);   /* untouched on failure */
}

static void test_net_valid(void **state)
{
	(void)state;
	struct net4 n;
	assert_true(addr_parse_net("10.0.0.0/8", &n));
	assert_int_equal(n.addr, 0x0a000000u);
	assert_int_equal(n.len, 8);
	assert_true(addr_parse_net("134.28.54.2", &n));
	assert_int_equal(n.len, 32);
	assert_true(addr_parse_net("0.0.0.0/0", &n));
	assert_int_equal(n.len, 0);
	assert_true(net4_is_any(&n));
	assert_true(addr_parse_net("192.168.1.0/24", &n));
	assert_false(net4_is_any(&n));
	assert_true(addr_parse_net("1.2.3.4/32", &n));
	assert_int_equal(n.len, 32);
	assert_true(addr_parse_net("1.2.3.4/08", &n));
	assert_int_equal(n.len, 8);
}

static void test_net_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"10.0.0.0/", "10.0.0.0/33", "10.0.0.0/99", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8",
		"10.0.0.0/8x", "10.0.0.0/x", "10.0.0.0/ 8", "10.0.0.0/100", "10.0.0/8", "/8", "",
		"10.0.0.300/8", "10.0.0.0/255.0.0.0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/8",
		"10.0.0.0\\8",
	};
	struct net4 n;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (addr_parse_net(bad[i], &n))
			fail_msg("accepted invalid network \"%s\"", bad[i]);
	}
}

static void test_items(void **state)
{
	(void)state;
	struct addr_item it;
	assert_true(addr_parse_item("10.0.0.0/8", &it, false));
	assert_int_equal(it.kind, ADDR_NET);
	assert_int_equal(it.net.len, 8);

	assert_true(addr_parse_item("192.168.1.10-192.168.1.20", &it, false));
	assert_int_equal(it.kind, ADDR_RANGE);
	assert_int_equal(it.lo, 0xc0a8010au);
	assert_int_equal(it.hi, 0xc0a80114u);
	assert_true(addr_parse_item("1.1.1.1-1.1.1.1", &it, false));   /* a one-address range */

	assert_true(addr_parse_item("+blacklist", &it, false));
	assert_int_equal(it.kind, ADDR_IPSET);
	assert_string_equal(it.set, "blacklist");
	assert_true(addr_parse_item("+my-set_2.v4", &it, false));
	assert_true(addr_parse_item("+set[src]", &it, false));
	assert_string_equal(it.set, "set[src]");
	assert_true(addr_parse_item("+set[src,dst]", &it, false));
	assert_true(addr_parse_item("+set[2]", &it, false));
	assert_true(addr_parse_item("+set[dst,packets>9]", &it, false));

	assert_true(addr_parse_item("dynamic", &it, true));
	assert_int_equal(it.kind, ADDR_DYNAMIC);
	assert_false(addr_parse_item("dynamic", &it, false));
	assert_false(addr_parse_item("DYNAMIC", &it, true));
}

static void test_items_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"+", "+1set", "+-set", "+set name", "+set]", "+set[", "+set[]", "+set[src", "+set[src]x",
		"+set[[src]]", "+set[src]]", "+set[s r c]", "+set!", "+se$t",
		"1.2.3.4-", "-1.2.3.4", "1.2.3.10-1.2.3.4", "1.2.3.4-1.2.3.300", "1.2.3.4/24-1.2.3.9",
		"1.2.3.4-1.2.3.9/24", "1.2.3.4--1.2.3.9", "1.2.3.4-1.2.3.5-1.2.3.6",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1.2.3.4", "-", "", "any", "eth0",
	};
	struct addr_item it;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (addr_parse_item(bad[i], &it, true))
			fail_msg("accepted invalid element \"%s\"", bad[i]);
	}
}

static unsigned count(const struct addr_item *it)
{
	unsigned n = 0;
	for (; it; it = it->next)
		n++;
	return n;
}

static void test_lists(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct addr_list l;
	const char *bad = "untouched";
	char buf[64];

	assert_true(addr_parse_list(a, "10.0.0.0/8,134.28.54.2", &l, false, &bad));
	assert_null(bad);
	assert_int_equal(count(l.items), 2);
	assert_null(l.excl);
	assert_string_equal(addr_item_format(l.items, buf, sizeof(buf)), "10.0.0.0/8");
	assert_string_equal(addr_item_format(l.items->next, buf, sizeof(buf)), "134.28.54.2");

	assert_true(addr_parse_list(a, "10.0.0.0/8,192.168.0.0/16!10.1.0.0/16,10.2.0.0/16", &l, false, &bad));
	assert_int_equal(count(l.items), 2);
	assert_int_equal(count(l.excl), 2);
	assert_string_equal(addr_item_format(l.excl->next, buf, sizeof(buf)), "10.2.0.0/16");

	/* Only an exclusion: any address except these. */
	assert_true(addr_parse_list(a, "!192.168.1.0/24", &l, false, &bad));
	assert_null(l.items);
	assert_int_equal(count(l.excl), 1);

	/* Mixed kinds, and an ipset whose flags hold a comma. */
	assert_true(addr_parse_list(a, "1.2.3.4-1.2.3.9,+set[src,dst],dynamic,5.6.7.8", &l, true, &bad));
	assert_int_equal(count(l.items), 4);
	assert_int_equal(l.items->kind, ADDR_RANGE);
	assert_int_equal(l.items->next->kind, ADDR_IPSET);
	assert_string_equal(l.items->next->set, "set[src,dst]");
	assert_int_equal(l.items->next->next->kind, ADDR_DYNAMIC);
	assert_string_equal(addr_item_format(l.items->next, buf, sizeof(buf)), "+set[src,dst]");
	assert_string_equal(addr_item_format(l.items->next->next, buf, sizeof(buf)), "dynamic");
	assert_string_equal(addr_item_format(l.items, buf, sizeof(buf)), "1.2.3.4-1.2.3.9");

	/* A one-element list. */
	assert_true(addr_parse_list(a, "0.0.0.0/0", &l, false, &bad));
	assert_int_equal(count(l.items), 1);
	assert_true(net4_is_any(&l.items->net));
	arena_free(a);
}

static void test_lists_invalid(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct addr_list l;
	const char *bad;
	static const struct { const char *list, *bad; bool dyn; } cases[] = {
		{ "10.0.0.0/8,10.0.0.300", "10.0.0.300", false },
		{ "10.0.0.300,10.0.0.0/8", "10.0.0.300", false },
		{ "1.2.3.4,,5.6.7.8", "", false },
		{ ",1.2.3.4", "", false },
		{ "1.2.3.4,", "", false },
		{ "1.2.3.4!", "", false },
		{ "1.2.3.4!,5.6.7.8", "", false },
		{ "1.2.3.4!5.6.7.8!9.9.9.9", "!5.6.7.8!9.9.9.9", false },
		{ "1.2.3.4!dynamic", "dynamic", true },     /* an exclusion is never dynamic */
		{ "dynamic", "dynamic", false },
		{ "1.2.3.4!5.6.7.0/33", "5.6.7.0/33", false },
		{ "+set[src,dst", "+set[src,dst", false },
		{ "!", "", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = NULL;
		if (addr_parse_list(a, cases[i].list, &l, cases[i].dyn, &bad))
			fail_msg("accepted invalid list \"%s\"", cases[i].list);
		if (!bad || strcmp(bad, cases[i].bad) != 0)
			fail_msg("list \"%s\": offending element \"%s\", expected \"%s\"", cases[i].list,
				 bad ? bad : "(null)", cases[i].bad);
	}
	arena_free(a);
}

static void test_containment(void **state)
{
	(void)state;
	struct net4 any, ten, ten1, host, other, ten_host;
	assert_true(addr_parse_net("0.0.0.0/0", &any));
	assert_true(addr_parse_net("10.0.0.0/8", &ten));
	assert_true(addr_parse_net("10.1.0.0/16", &ten1));
	assert_true(addr_parse_net("10.1.2.3", &host));
	assert_true(addr_parse_net("11.0.0.0/8", &other));
	assert_true(addr_parse_net("10.255.255.255", &ten_host));

	assert_true(net4_contains(&any, &ten));
	assert_true(net4_contains(&any, &any));
	assert_true(net4_contains(&any, &host));
	assert_true(net4_contains(&ten, &ten1));
	assert_true(net4_contains(&ten, &host));
	assert_true(net4_contains(&ten, &ten_host));
	assert_true(net4_contains(&ten1, &host));
	assert_true(net4_contains(&ten, &ten));
	assert_true(net4_contains(&host, &host));

	assert_false(net4_contains(&ten1, &ten));     /* a subnet does not contain its supernet */
	assert_false(net4_contains(&ten, &any));
	assert_false(net4_contains(&ten, &other));
	assert_false(net4_contains(&other, &host));
	assert_false(net4_contains(&host, &ten1));
	assert_false(net4_contains(&ten1, &ten_host));

	/* Boundaries of a /24. */
	struct net4 n24, first, last, past;
	assert_true(addr_parse_net("192.168.1.0/24", &n24));
	assert_true(addr_parse_net("192.168.1.0", &first));
	assert_true(addr_parse_net("192.168.1.255", &last));
	assert_true(addr_parse_net("192.168.2.0", &past));
	assert_true(net4_contains(&n24, &first));
	assert_true(net4_contains(&n24, &last));
	assert_false(net4_contains(&n24, &past));
}

static void test_formatting(void **state)
{
	(void)state;
	char buf[32];
	struct net4 n = { 0x0a000000u, 8 };
	assert_string_equal(net4_format(&n, buf, sizeof(buf)), "10.0.0.0/8");
	n = (struct net4){ 0x861c3602u, 32 };
	assert_string_equal(net4_format(&n, buf, sizeof(buf)), "134.28.54.2");
	n = (struct net4){ 0, 0 };
	assert_string_equal(net4_format(&n, buf, sizeof(buf)), "0.0.0.0/0");
	n = (struct net4){ 0xffffffffu, 31 };
	assert_string_equal(net4_format(&n, buf, sizeof(buf)), "255.255.255.255/31");
	assert_string_equal(ip4_format(0xc0a80101u, buf, sizeof(buf)), "192.168.1.1");
	/* The longest form fits the documented 19 bytes. */
	n = (struct net4){ 0xffffffffu, 24 };
	char exact[19];
	assert_string_equal(net4_format(&n, exact, sizeof(exact)), "255.255.255.255/24");
	/* A short buffer truncates, never overruns. */
	char tiny[8];
	memset(tiny, 'Z', sizeof(tiny));
	net4_format(&n, tiny, 4);
	assert_string_equal(tiny, "255");
	assert_int_equal(tiny[5], 'Z');
	/* Round trip: parse what we print. */
	static const char *const forms[] = { "1.2.3.4", "10.0.0.0/8", "0.0.0.0/0", "172.16.0.0/12" };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct net4 p;
		assert_true(addr_parse_net(forms[i], &p));
		assert_string_equal(net4_format(&p, buf, sizeof(buf)), forms[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4_valid),
		cmocka_unit_test(test_ip4_invalid),
		cmocka_unit_test(test_net_valid),
		cmocka_unit_test(test_net_invalid),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_items_invalid),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_lists_invalid),
		cmocka_unit_test(test_containment),
		cmocka_unit_test(test_formatting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
