/* test_routestopped.c — the 2.x routestopped file, honoured (5.2.8 only warns that it is ignored). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "keyword.h"
#include "parsers.h"
#include "settings.h"
#include "source.h"
#include "stopped.h"

#include <stdlib.h>
#include <string.h>

struct fx {
	struct diag d;
	struct compile c;
};

static void add_iface(struct fx *f, const char *name)
{
	struct iface *i = arena_new_obj(f->c.arena, struct iface);
	i->name = i->physical = name;
	i->wildcard = name[strlen(name) - 1] == '+';
	vec_push(f->c.arena, &f->c.graph->ifaces, i);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	diag_init(&f->d);
	compile_init(&f->c, &f->d, "/etc/shorewall");
	f->c.graph = graph_new(&f->c);
	add_iface(f, "eth0");
	add_iface(f, "eth1");
	add_iface(f, "ipsec+");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	compile_fini(&f->c);
	diag_fini(&f->d);
	free(f);
	return 0;
}

static const char *run(struct fx *f, const char *text)
{
	struct source s;
	source_open_mem(&s, &f->c, "routestopped", "/etc/shorewall/routestopped", text, strlen(text));
	parse_routestopped(&f->c, &s);
	const char *layout = s.info->layout;
	source_close(&s);
	return layout;
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	bool nocase;
	const struct keyword *t = routestopped_keyword_table(0, &n, &nocase);
	assert_non_null(t);
	assert_true(kw_sorted(t, n, nocase));
	assert_int_equal(n, 5);
	assert_null(routestopped_keyword_table(1, &n, &nocase));
}

static void test_seed_style(void **state)
{
	struct fx *f = *state;
	const char *layout = run(f,
		"#INTERFACE\tHOST(S)\t\t\tOPTIONS\n"
		"eth1\t\t192.168.1.0/24\n"
		"eth0\t\t134.28.54.2,10.0.0.0/8\tsource,dest,critical\n"
		"ipsec0\t\t-\t\t\trouteback,notrack\n"
		"eth1\t\t-\t\t\t-\t\ttcp\t22\n"
		"#LAST LINE -- ADD YOUR ENTRIES BEFORE THIS ONE -- DO NOT REMOVE\n");
	assert_string_equal(layout, "2.2");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->c.graph->stopped.n, 4);
	struct stopped_rule *r = f->c.graph->stopped.v[0];
	assert_true(r->from_routestopped);
	assert_int_equal(r->action, STOP_ACCEPT);
	assert_string_equal(r->src_iface, "eth1");
	assert_int_equal(r->source.items->net.len, 24);
	assert_false(r->opt_source || r->opt_dest || r->routeback || r->critical || r->notrack);
	r = f->c.graph->stopped.v[1];
	assert_true(r->opt_source);
	assert_true(r->opt_dest);
	assert_true(r->critical);
	assert_false(r->routeback);
	assert_non_null(r->source.items->next);
	r = f->c.graph->stopped.v[2];
	assert_string_equal(r->src_iface, "ipsec0");
	assert_null(r->source.items);
	assert_true(r->routeback);
	assert_true(r->notrack);
	r = f->c.graph->stopped.v[3];
	assert_string_equal(r->proto, "tcp");
	assert_string_equal(r->dports, "22");
	assert_int_equal(r->loc.line, 5);
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	run(f,
		"eth9\t-\n"
		"-\t10.0.0.0/8\n"
		"eth0\t10.0.0.300\n"
		"eth0\t-\tbogus,routeback,routeback\n"
		"eth0\t-\t-\tudp\tdomain,99999\n"
		"eth0\t-\t-\ttcp\t22\t-\tmore\n");
	assert_true(diag_has(&f->d, "ERROR: Unknown interface (eth9) /etc/shorewall/routestopped (line 1)"));
	assert_true(diag_has(&f->d, "INTERFACE must be specified /etc/shorewall/routestopped (line 2)"));
	assert_true(diag_has(&f->d, "Invalid IP address (10.0.0.300)"));
	assert_true(diag_has(&f->d, "Unknown routestopped option (bogus)"));
	assert_true(diag_has(&f->d, "WARNING: Duplicate routestopped option (routeback) ignored"));
	assert_true(diag_has(&f->d, "Invalid/Unknown udp port/service (99999)"));
	assert_true(diag_has(&f->d, "Invalid routestopped file entry (too many columns)"));
	assert_int_equal(f->d.errors, 6);
	assert_int_equal(f->c.graph->stopped.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test_setup_teardown(test_seed_style, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
