/* test_perf_paths.c — the fast paths added for speed give what the slow ones gave: name index, address text, port columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_support.h"

#include "addr.h"
#include "netcheck.h"

static struct zone *push_zone(struct fx *t, const char *name)
{
	struct graph *g = t->c.graph;
	struct zone *z = arena_new_obj(t->c.arena, struct zone);
	z->name = arena_strdup(t->c.arena, name);
	z->index = (unsigned)g->zones.n;
	vec_push(t->c.arena, &g->zones, z);
	return z;
}

static struct iface *push_iface(struct fx *t, const char *name)
{
	struct graph *g = t->c.graph;
	struct iface *i = arena_new_obj(t->c.arena, struct iface);
	i->name = arena_strdup(t->c.arena, name);
	vec_push(t->c.arena, &g->ifaces, i);
	return i;
}

/* Look-ups interleaved with appends (as the parsers do them), past the index's first rebuilds. */
static void test_zone_index(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct zone *z[300];
	char name[32];
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "z%d", i);
		z[i] = push_zone(&t, name);
		/* every zone so far is found, and the next one is not there yet */
		for (int j = 0; j <= i; j += 1 + i / 10) {
			snprintf(name, sizeof(name), "z%d", j);
			assert_ptr_equal(graph_find_zone(t.c.graph, name), z[j]);
		}
		snprintf(name, sizeof(name), "z%d", i + 1);
		assert_null(graph_find_zone(t.c.graph, name));
	}
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "z%d", i);
		assert_ptr_equal(graph_find_zone(t.c.graph, name), z[i]);
	}
	assert_null(graph_find_zone(t.c.graph, "z"));
	assert_null(graph_find_zone(t.c.graph, ""));
	assert_null(graph_find_zone(t.c.graph, NULL));
	/* a duplicate name answers with the first, as the scan did */
	push_zone(&t, "z7");
	assert_ptr_equal(graph_find_zone(t.c.graph, "z7"), z[7]);
	fx_fini(&t);
}

static void test_iface_index(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct iface *f[40];
	char name[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "eth%d", i);
		f[i] = push_iface(&t, name);
	}
	struct iface *plus = push_iface(&t, "ppp+");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "eth%d", i);
		assert_ptr_equal(graph_find_iface(t.c.graph, name), f[i]);
	}
	/* exact names only: the wildcard is found under its own name, not as ppp0 */
	assert_ptr_equal(graph_find_iface(t.c.graph, "ppp+"), plus);
	assert_null(graph_find_iface(t.c.graph, "ppp0"));
	assert_null(graph_find_iface(t.c.graph, "eth40"));
	fx_fini(&t);
}

/* A graph made without graph_new (no arena to index in) still answers, by scanning. */
static void test_no_arena_scan(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	struct zone *z[20];
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		z[i] = push_zone(&t, name);
	}
	t.c.graph->arena = NULL;
	assert_ptr_equal(graph_find_zone(t.c.graph, "n13"), z[13]);
	assert_null(graph_find_zone(t.c.graph, "n20"));
	fx_fini(&t);
}

/* The hand-written dotted quads are snprintf's, truncation included. */
static void test_addr_text(void **state)
{
	(void)state;
	static const uint32_t addrs[] = { 0, 1, 0x0a000001, 0x7f000001, 0xc0a80a0f, 0xffffffffu, 0x01020304, 0x64646464 };
	char want[64], got[64];
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		uint32_t a = addrs[i];
		for (unsigned len = 0; len <= 33; len += 1) {
			struct net4 n = { .addr = a, .len = (uint8_t)len };
			snprintf(want, sizeof(want), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
			if (len != 32) {
				size_t l = strlen(want);
				snprintf(want + l, sizeof(want) - l, "/%u", len);
			}
			assert_string_equal(net4_format(&n, got, sizeof(got)), want);
			/* truncated as snprintf truncates, at every buffer size */
			for (size_t sz = 1; sz < strlen(want) + 2; sz++) {
				char small[64], ref[64];
				memset(small, 'X', sizeof(small));
				snprintf(ref, sz, "%s", want);
				net4_format(&n, small, sz);
				assert_string_equal(small, ref);
				assert_int_equal(small[sz], 'X');
			}
		}
		snprintf(want, sizeof(want), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
		assert_string_equal(ip4_format(a, got, sizeof(got)), want);
	}
	char keep[4] = "abc";
	ip4_format(0x01020304, keep, 0);        /* no room: nothing written */
	assert_string_equal(keep, "abc");
}

/* Port columns: the plain-digits fast path accepts what the general path accepts, and hands every
 * doubtful column to it, so each message is the general path's own. */
static void test_port_columns(void **state)
{
	(void)state;
	static const char *const good[] = {
		"22", "1024:65535", "80,443,8000:8080", ":1024", "1024:", "0:1024", ":", ":,80",
		"ssh", "00080", "65535", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
	};
	static const struct { const char *col, *msg; } bad[] = {
		{ "0", "Invalid/Unknown tcp port/service (0)" },
		{ "80:80", "Invalid port range (80:80)" },
		{ "90:80", "Invalid port range (90:80)" },
		{ "80,", "Invalid port list (80,)" },
		{ ",80", "Invalid port list (,80)" },
		{ "65536", "Invalid/Unknown tcp port/service (65536)" },
		{ "1:2:3", "Invalid port range (1:2:3)" },
		{ "0:0", "Invalid/Unknown tcp port/service (0)" },
	};
	struct loc loc = { "rules", 1 };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct fx t;
		fx_init(&t, NULL);
		assert_true(netcheck_proto_ports(&t.c, &loc, "tcp", good[i], NULL));
		assert_true(netcheck_proto_ports(&t.c, &loc, "tcp", NULL, good[i]));
		assert_int_equal(t.d.errors, 0);
		fx_fini(&t);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx t;
		fx_init(&t, NULL);
		assert_false(netcheck_proto_ports(&t.c, &loc, "tcp", bad[i].col, NULL));
		if (!diag_has(&t.d, bad[i].msg))
			fail_msg("%s: expected \"%s\"", bad[i].col, bad[i].msg);
		fx_fini(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_index),
		cmocka_unit_test(test_iface_index),
		cmocka_unit_test(test_no_arena_scan),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_port_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
