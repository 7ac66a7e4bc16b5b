/* test_ir.c — the IR: constructors, chain index, references, argv of every kind, equality, validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "graph.h"
#include "ir.h"
#include "test_support.h"
#include "keyword.h"

/* The IR tests need a compile (arena, messages) and a ruleset, no graph. */
struct irfx {
	struct diag d;
	struct compile c;
	struct ruleset *rs;
	struct ir_argv argv;
	char line[4096];
};

static int setup(void **state)
{
	struct irfx *f = test_calloc(1, sizeof(*f));
	diag_init(&f->d);
	f->d.out = fopen("/dev/null", "w");
	compile_init(&f->c, &f->d, "/nonexistent");
	f->rs = ir_ruleset_new(&f->c);
	ir_argv_init(&f->argv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct irfx *f = *state;
	ir_argv_fini(&f->argv);
	compile_fini(&f->c);
	if (f->d.out)
		fclose(f->d.out);
	diag_fini(&f->d);
	test_free(f);
	return 0;
}

static const struct loc L = { "/etc/shorewall/rules", 7 };

/* The argv as restore text, quoted as the restore format reads it: " TOKEN" each, in double quotes
 * with " and \ escaped when it is empty or holds a blank or a quote. */
static size_t argv_as_text(const struct ir_argv *a, char *buf, size_t len)
{
	size_t used = 0;
	for (size_t i = 0; i < a->n && used + 3 < len; i++) {
		const char *t = a->v[i];
		bool quote = !*t || strpbrk(t, " \t\"");
		buf[used++] = ' ';
		if (quote)
			buf[used++] = '"';
		for (; *t && used + 3 < len; t++) {
			if (quote && (*t == '"' || *t == '\\'))
				buf[used++] = '\\';
			buf[used++] = *t;
		}
		if (quote)
			buf[used++] = '"';
	}
	return used;
}

/* The rule's argv joined by blanks (tokens here never hold blanks unless a test says so). Every
 * rendering is also checked against ir_text_render: the restore text must be the argv, quoted. */
static const char *render(struct irfx *f, const struct ir_rule *r)
{
	assert_int_equal(ir_argv_render(&f->argv, r), 0);
	size_t used = 0;
	f->line[0] = '\0';
	for (size_t i = 0; i < f->argv.n; i++)
		used += (size_t)snprintf(f->line + used, sizeof(f->line) - used, "%s%s", i ? " " : "", f->argv.v[i]);
	assert_null(f->argv.v[f->argv.n]);
	char want[8192];
	size_t n = argv_as_text(&f->argv, want, sizeof(want));
	struct ir_text t = { NULL, 0, 0 };
	ir_text_reserve(&t, 3);
	memcpy(t.buf, "-A", 2);         /* appends after what the buffer holds */
	t.len = 2;
	assert_int_equal(ir_text_render(&t, r), f->argv.n);
	assert_int_equal(t.len, n + 2);
	assert_memory_equal(t.buf + 2, want, n);
	ir_text_fini(&t);
	return f->line;
}

static struct ir_rule *rule(struct irfx *f)
{
	return ir_rule_append(ir_chain_get(f->rs, IR_FILTER, "t"), &L);
}

/* ---- vocabularies ---- */

static void test_tables_sorted(void **state)
{
	size_t n;
	const struct keyword *t;
	assert_non_null(t = ir_keyword_table(0, &n));
	assert_true(kw_sorted(t, n, true));             /* protocols: case-blind */
	assert_non_null(t = ir_keyword_table(1, &n));
	assert_true(kw_sorted(t, n, true));             /* icmp types: case-blind */
	assert_non_null(t = ir_keyword_table(2, &n));
	assert_true(kw_sorted(t, n, false));            /* reject-with */
	assert_null(ir_keyword_table(3, &n));
}

static void test_parsers(void **state)
{
	uint8_t p, type;
	int code;
	assert_true(ir_proto_parse("TCP", &p)); assert_int_equal(p, 6);
	assert_true(ir_proto_parse("esp", &p)); assert_int_equal(p, 50);
	assert_true(ir_proto_parse("50", &p)); assert_int_equal(p, 50);
	assert_true(ir_proto_parse("all", &p)); assert_int_equal(p, 0);
	assert_false(ir_proto_parse("256", &p));
	assert_false(ir_proto_parse("tcpx", &p));
	assert_string_equal(ir_proto_name(17), "udp");
	assert_string_equal(ir_proto_name(51), "ah");
	assert_null(ir_proto_name(253));
	assert_true(ir_proto_has_module(1) && ir_proto_has_ports(132) && !ir_proto_has_ports(1));
	assert_false(ir_proto_has_module(50));

	assert_true(ir_icmp_parse("echo-request", &type, &code)); assert_int_equal(type, 8); assert_int_equal(code, -1);
	assert_true(ir_icmp_parse("Host-Unreachable", &type, &code)); assert_int_equal(type, 3); assert_int_equal(code, 1);
	assert_true(ir_icmp_parse("3/4", &type, &code)); assert_int_equal(type, 3); assert_int_equal(code, 4);
	assert_true(ir_icmp_parse("11", &type, &code)); assert_int_equal(type, 11); assert_int_equal(code, -1);
	assert_false(ir_icmp_parse("3/256", &type, &code));
	assert_false(ir_icmp_parse("echo", &type, &code));

	enum ir_reject rj;
	assert_true(ir_reject_parse("tcp-reset", &rj)); assert_int_equal(rj, IR_REJECT_TCP_RESET);
	assert_false(ir_reject_parse("tcp-rst", &rj));
	assert_string_equal(ir_reject_name(IR_REJECT_HOST_PROHIB), "icmp-host-prohibited");

	struct ir_nat_range nr;
	assert_true(ir_nat_range_parse("206.162.148.9", false, &nr));
	assert_int_equal(nr.lo, fx_ip4("206.162.148.9")); assert_int_equal(nr.hi, nr.lo); assert_int_equal(nr.plo, 0);
	assert_true(ir_nat_range_parse("10.0.0.1-10.0.0.5:1024-2048", false, &nr));
	assert_int_equal(nr.hi, fx_ip4("10.0.0.5")); assert_int_equal(nr.plo, 1024); assert_int_equal(nr.phi, 2048);
	assert_true(ir_nat_range_parse(":80", false, &nr)); assert_int_equal(nr.lo, 0); assert_int_equal(nr.plo, 80);
	assert_true(ir_nat_range_parse("1024-65535", true, &nr)); assert_int_equal(nr.phi, 65535);
	assert_false(ir_nat_range_parse("10.0.0.5-10.0.0.1", false, &nr));
	assert_false(ir_nat_range_parse("10.0.0.1:0", false, &nr));
	assert_false(ir_nat_range_parse("10.0.0.1:99999", false, &nr));
}

/* ---- chains ---- */

static void test_builtins(void **state)
{
	struct irfx *f = *state;
	static const char *const expect[IR_TABLE_COUNT][6] = {
		[IR_RAW] = { "PREROUTING", "OUTPUT" },
		[IR_MANGLE] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" },
		[IR_NAT] = { "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING" },
		[IR_FILTER] = { "INPUT", "FORWARD", "OUTPUT" },
	};
	for (int t = 0; t < IR_TABLE_COUNT; t++) {
		size_t n = 0;
		while (expect[t][n])
			n++;
		assert_int_equal(f->rs->chains[t].n, n);
		for (size_t i = 0; i < n; i++) {
			struct ir_chain *ch = f->rs->chains[t].v[i];
			assert_string_equal(ch->name, expect[t][i]);
			assert_true(ch->builtin);
			assert_int_equal(ch->policy, IR_POLICY_ACCEPT);
			assert_ptr_equal(ir_chain_get(f->rs, (enum ir_table)t, expect[t][i]), ch);
		}
	}
	assert_string_equal(ir_table_name(IR_MANGLE), "mangle");
	/* a builtin of another table is just a name here */
	struct ir_chain *odd = ir_chain_get(f->rs, IR_FILTER, "PREROUTING");
	assert_false(odd->builtin);
	assert_int_equal(odd->policy, IR_POLICY_NONE);
	ir_chain_set_policy(odd, IR_POLICY_DROP);
	assert_int_equal(odd->policy, IR_POLICY_NONE);
	struct ir_chain *in = ir_chain_find(f->rs, IR_FILTER, "INPUT");
	ir_chain_set_policy(in, IR_POLICY_DROP);
	assert_int_equal(in->policy, IR_POLICY_DROP);
	assert_false(ir_table_used(f->rs, IR_NAT));
	assert_true(ir_table_used(f->rs, IR_FILTER));
}

/* 150 zones make 22,500 zone-pair chains: every one must be found again, by name and table. */
static void test_many_chains(void **state)
{
	struct irfx *f = *state;
	char name[32];
	for (int i = 0; i < 150; i++)
		for (int j = 0; j < 150; j++) {
			snprintf(name, sizeof(name), "z%d-z%d", i, j);
			ir_chain_get(f->rs, IR_FILTER, name);
		}
	assert_int_equal(f->rs->chains[IR_FILTER].n, 3 + 22500);
	for (int i = 0; i < 150; i += 7)
		for (int j = 0; j < 150; j += 3) {
			snprintf(name, sizeof(name), "z%d-z%d", i, j);
			struct ir_chain *ch = ir_chain_find(f->rs, IR_FILTER, name);
			assert_non_null(ch);
			assert_string_equal(ch->name, name);
			assert_null(ir_chain_find(f->rs, IR_NAT, name));
		}
	assert_null(ir_chain_find(f->rs, IR_FILTER, "z150-z0"));
	assert_int_equal(ir_chain_get(f->rs, IR_FILTER, "z3-z4")->seq, 3 + 3 * 150 + 4);
}

/* ---- rules ---- */

static void test_insert_remove(void **state)
{
	struct irfx *f = *state;
	struct ir_chain *ch = ir_chain_get(f->rs, IR_FILTER, "net-fw");
	struct loc l1 = { "/etc/shorewall/rules", 1 }, l2 = { "/etc/shorewall/rules", 2 },
		   l3 = { "/etc/shorewall/tunnels", 3 }, l4 = { "/etc/shorewall/policy", 4 };
	struct ir_rule *a = ir_rule_append(ch, &l1);
	struct ir_rule *b = ir_rule_append(ch, &l2);
	struct ir_rule *c = ir_rule_insert_at(ch, 0, &l3);
	struct ir_rule *d = ir_rule_insert_at(ch, 2, &l4);
	struct ir_rule *e = ir_rule_insert_at(ch, IR_END, NULL);
	assert_int_equal(ch->rules.n, 5);
	assert_ptr_equal(ch->rules.v[0], c);
	assert_ptr_equal(ch->rules.v[1], a);
	assert_ptr_equal(ch->rules.v[2], d);
	assert_ptr_equal(ch->rules.v[3], b);
	assert_ptr_equal(ch->rules.v[4], e);
	assert_int_equal(c->loc.line, 3);
	assert_string_equal(c->loc.file, "/etc/shorewall/tunnels");
	assert_null(e->loc.file);
	assert_int_equal(f->rs->nrules, 5);
	ir_rule_remove(ch, 1);
	assert_int_equal(ch->rules.n, 4);
	assert_ptr_equal(ch->rules.v[1], d);
	assert_null(a->chain);
	ir_rule_remove(ch, 9);                  /* out of range: nothing */
	assert_int_equal(f->rs->nrules, 4);
	/* many inserts at the front keep order */
	for (unsigned i = 0; i < 100; i++) {
		struct loc l = { "/x", 100 + i };
		ir_rule_insert_at(ch, 0, &l);
	}
	assert_int_equal(ch->rules.n, 104);
	assert_int_equal(ch->rules.v[0]->loc.line, 199);
	assert_int_equal(ch->rules.v[99]->loc.line, 100);
	assert_ptr_equal(ch->rules.v[100], c);
}

static void test_refcounts(void **state)
{
	struct irfx *f = *state;
	struct ir_chain *in = ir_chain_get(f->rs, IR_FILTER, "INPUT");
	struct ir_chain *x = ir_chain_get(f->rs, IR_FILTER, "x"), *y = ir_chain_get(f->rs, IR_FILTER, "y");
	struct ir_rule *r1 = ir_rule_append(in, &L), *r2 = ir_rule_append(in, &L);
	ir_target_jump(r1, x);
	ir_target_goto(r2, x);
	assert_int_equal(x->refs, 2);
	ir_target_jump(r1, x);                  /* re-aim at the same chain */
	assert_int_equal(x->refs, 2);
	ir_target_jump(r1, y);
	assert_int_equal(x->refs, 1);
	assert_int_equal(y->refs, 1);
	ir_target_simple(r2, IRT_ACCEPT);
	assert_int_equal(x->refs, 0);
	assert_false(ir_chain_delete(y));       /* still referenced */
	assert_false(ir_chain_delete(in));      /* builtin */
	/* copying a jump counts it; removing the copy releases it */
	struct ir_rule *r3 = ir_rule_copy(x, IR_END, r1);
	assert_int_equal(y->refs, 2);
	assert_ptr_equal(r3->target.u.chain, y);
	assert_int_equal(r3->loc.line, L.line);
	ir_rule_remove(in, 0);
	assert_int_equal(y->refs, 1);
	/* deleting x releases the jump its rule held, frees its name */
	assert_true(ir_chain_delete(x));
	assert_int_equal(y->refs, 0);
	assert_true(x->deleted);
	assert_null(ir_chain_find(f->rs, IR_FILTER, "x"));
	struct ir_chain *x2 = ir_chain_get(f->rs, IR_FILTER, "x");
	assert_ptr_not_equal(x2, x);
	assert_false(x2->deleted);
	/* flush releases every jump */
	struct ir_chain *z = ir_chain_get(f->rs, IR_FILTER, "z");
	for (int i = 0; i < 3; i++)
		ir_target_jump(ir_rule_append(z, &L), y);
	assert_int_equal(y->refs, 3);
	ir_chain_flush(z);
	assert_int_equal(y->refs, 0);
	assert_int_equal(z->rules.n, 0);
	assert_true(ir_chain_delete(y));
}

/* ---- argv of every match ---- */

/* A detached chain is no chain of the ruleset; its rules copied elsewhere count their jumps again,
 * take the loc given, and the copies are independent of the original. */
static void test_detached_copy(void **state)
{
	struct irfx *f = *state;
	struct ir_chain *rej = ir_chain_get(f->rs, IR_FILTER, "reject");
	struct ir_chain *t = ir_chain_detached(f->rs);
	assert_null(ir_chain_find(f->rs, IR_FILTER, t->name));
	struct ir_rule *r = ir_rule_append(t, &L);
	ir_match_addrtype(r, IR_DST, IR_AT_BROADCAST, false);
	ir_match_proto(r, 6);
	ir_target_simple(r, IRT_DROP);
	ir_target_goto(ir_rule_append(t, &L), rej);
	ir_chain_append_copy(t, t, NULL);               /* empty or not, a source may be copied anywhere */
	assert_int_equal(t->rules.n, 4);
	ir_chain_flush(t);
	r = ir_rule_append(t, &L);
	ir_match_addrtype(r, IR_DST, IR_AT_BROADCAST, false);
	ir_match_proto(r, 6);
	ir_target_simple(r, IRT_DROP);
	ir_target_goto(ir_rule_append(t, &L), rej);
	assert_int_equal(rej->refs, 1);
	struct ir_chain *a = ir_chain_get(f->rs, IR_FILTER, "a");
	struct loc other = { "policy", 7 };
	ir_chain_append_copy(a, t, &other);
	ir_chain_append_copy(a, ir_chain_detached(f->rs), &other);     /* empty: nothing */
	assert_int_equal(a->rules.n, 2);
	assert_int_equal(rej->refs, 2);
	assert_ptr_equal(a->rules.v[0]->chain, a);
	assert_int_equal(a->rules.v[0]->loc.line, 7);
	assert_int_equal(a->rules.v[0]->nmatches, 2);
	assert_true(ir_rule_equal(a->rules.v[0], t->rules.v[0]));
	assert_string_equal(render(f, a->rules.v[0]), "-p tcp -m addrtype --dst-type BROADCAST -j DROP");
	ir_match_ctstate(a->rules.v[0], IR_CT_NEW, false);     /* the copy's list is its own */
	assert_int_equal(t->rules.v[0]->nmatches, 2);
	assert_null(t->rules.v[0]->matches->next->next);
	ir_chain_flush(t);
	assert_int_equal(rej->refs, 1);
	/* reserve: room made once, rules kept */
	ir_chain_reserve(a, 100);
	struct ir_rule *const *v = a->rules.v;
	for (int i = 0; i < 100; i++)
		ir_rule_append(a, &L);
	assert_ptr_equal(a->rules.v, v);
	assert_int_equal(a->rules.n, 102);
	/* names kept, not copied */
	static const char name[] = "kept-name";
	assert_ptr_equal(ir_chain_get_lasting(f->rs, IR_FILTER, name)->name, name);
	assert_ptr_equal(ir_chain_get(f->rs, IR_FILTER, "kept-name")->name, name);
	struct ir_rule *o = ir_rule_append(a, &L);
	assert_ptr_equal(ir_match_out_lasting(o, name, false)->u.iface.name, name);
	assert_ptr_not_equal(ir_match_in(o, name, false)->u.iface.name, name);
}

static void test_argv_header(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	struct net4 n = fx_net4("10.0.0.0/8"), h = fx_net4("134.28.54.2");
	/* added out of order: printed -i -o -s -d -p */
	ir_match_proto(r, 6);
	ir_match_dst_net(r, &h, true);
	ir_match_out(r, "eth1", false);
	ir_match_src_net(r, &n, false);
	ir_match_in(r, "ppp+", true);
	ir_target_simple(r, IRT_ACCEPT);
	assert_string_equal(render(f, r), "! -i ppp+ -o eth1 -s 10.0.0.0/8 ! -d 134.28.54.2 -p tcp -j ACCEPT");
	/* host bits are cleared */
	r = rule(f);
	struct net4 sloppy = fx_net4("10.1.2.3/8");
	ir_match_src_net(r, &sloppy, false);
	assert_string_equal(render(f, r), "-s 10.0.0.0/8");
	/* protocols: named where a module of that name exists */
	static const struct { uint8_t p; const char *s; } ps[] = {
		{ 1, "-p icmp" }, { 17, "-p udp" }, { 50, "-p 50" }, { 51, "-p 51" }, { 47, "-p 47" },
		{ 132, "-p sctp" }, { 0, "-p 0" },
	};
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		r = rule(f);
		ir_match_proto(r, ps[i].p);
		assert_string_equal(render(f, r), ps[i].s);
	}
	r = rule(f);
	ir_match_proto(r, 17)->invert = true;
	assert_string_equal(render(f, r), "! -p udp");
}

static void test_argv_addr_kinds(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	ir_match_src_range(r, fx_ip4("192.168.1.10"), fx_ip4("192.168.1.20"), false);
	ir_match_dst_range(r, fx_ip4("10.0.0.9"), fx_ip4("10.0.0.1"), true);     /* reversed: normalised */
	assert_string_equal(render(f, r),
			    "-m iprange --src-range 192.168.1.10-192.168.1.20 -m iprange ! --dst-range 10.0.0.1-10.0.0.9");
	r = rule(f);
	ir_match_src_set(r, "blacklist", false);
	ir_match_dst_set(r, "pairs[src,dst]", true);
	assert_string_equal(render(f, r),
			    "-m set --match-set blacklist src -m set ! --match-set pairs src,dst");
	r = rule(f);
	ir_match_dst_set(r, "two[2]", false);
	assert_string_equal(render(f, r), "-m set --match-set two dst,dst");
	assert_int_equal(f->d.errors, 0);
	r = rule(f);
	ir_match_src_set(r, "bad[src,packets>9]", false);
	assert_int_equal(f->d.errors, 1);
	assert_true(diag_has(&f->d, "Invalid ipset flag (packets>9)"));

	/* from the graph's address items */
	struct addr_list al;
	const char *bad;
	assert_true(addr_parse_list(f->c.arena, "10.0.0.0/8,1.2.3.4-1.2.3.9,+myset", &al, true, &bad));
	r = rule(f);
	for (const struct addr_item *it = al.items; it; it = it->next)
		assert_non_null(ir_match_addr(r, IR_DST, it, false));
	assert_string_equal(render(f, r),
			    "-d 10.0.0.0/8 -m iprange --dst-range 1.2.3.4-1.2.3.9 -m set --match-set myset dst");
	struct addr_item dyn = { .kind = ADDR_DYNAMIC };
	assert_null(ir_match_addr(r, IR_SRC, &dyn, false));
	assert_int_equal(f->d.errors, 2);
}

static void test_argv_ports(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	ir_match_proto(r, 17);
	ir_match_dport(r, 500, 500, false);
	assert_string_equal(render(f, r), "-p udp --dport 500");
	r = rule(f);
	ir_match_proto(r, 17);
	ir_match_sport(r, 68, 67, true);
	ir_match_dport(r, 67, 68, false);
	assert_string_equal(render(f, r), "-p udp ! --sport 67:68 --dport 67:68");
	r = rule(f);
	struct ir_portrange pr[] = { { 500, 500 }, { 4500, 4500 } };
	ir_match_dports(r, pr, 2, false);
	ir_match_proto(r, 17);
	assert_string_equal(render(f, r), "-p udp -m multiport --dports 500,4500");
	/* implicit tcp options come before multiport */
	r = rule(f);
	struct ir_portrange sp[] = { { 1, 1 }, { 1000, 2000 } };
	ir_match_sports(r, sp, 2, true);
	ir_match_syn(r);
	ir_match_dport(r, 22, 22, false);
	ir_match_proto(r, 6);
	assert_string_equal(render(f, r), "-p tcp --dport 22 --syn -m multiport ! --sports 1,1000:2000");
	/* segments: header, implicit tcp, multiport */
	assert_int_equal(f->argv.nseg, 3);
	assert_int_equal(f->argv.seg[0].type, IR_SEG_HEADER);
	assert_int_equal(f->argv.seg[0].count, 2);
	assert_int_equal(f->argv.seg[1].type, IR_SEG_MATCH);
	assert_true(f->argv.seg[1].implicit);
	assert_string_equal(f->argv.seg[1].module, "tcp");
	assert_int_equal(f->argv.seg[1].first, 2);
	assert_int_equal(f->argv.seg[1].count, 3);
	assert_string_equal(f->argv.seg[2].module, "multiport");
	assert_false(f->argv.seg[2].implicit);
	assert_int_equal(f->argv.seg[2].first, 7);
	assert_string_equal(f->argv.v[f->argv.seg[2].first], "!");
	assert_int_equal(f->argv.seg[2].count, 3);
	/* the sctp module carries sctp's ports */
	r = rule(f);
	ir_match_proto(r, 132);
	ir_match_sport(r, 9, 9, false);
	assert_string_equal(render(f, r), "-p sctp --sport 9");
	assert_string_equal(f->argv.seg[1].module, "sctp");
}

static void test_ports_fit(void **state)
{
	struct irfx *f = *state;
	struct ir_portrange p[20];
	for (int i = 0; i < 20; i++)
		p[i] = (struct ir_portrange){ (uint16_t)(100 + i), (uint16_t)(100 + i) };
	assert_int_equal(ir_ports_fit(p, 20), 15);
	assert_int_equal(ir_ports_fit(p, 4), 4);
	p[0].hi = 200;                          /* a range takes two slots */
	assert_int_equal(ir_ports_fit(p, 20), 14);
	for (int i = 0; i < 20; i++)
		p[i].hi = (uint16_t)(p[i].lo + 1);
	assert_int_equal(ir_ports_fit(p, 20), 7);
	assert_int_equal(ir_ports_fit(p, 0), 0);
	/* more than fits is cut and reported */
	struct ir_rule *r = rule(f);
	ir_match_proto(r, 6);
	struct ir_match *m = ir_match_dports(r, p, 20, false);
	assert_int_equal(m->u.ports.n, 7);
	assert_int_equal(f->d.errors, 1);
	assert_true(diag_has(&f->d, "Too many ports for one multiport match (20)"));
}

static void test_argv_tcp_icmp(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	assert_string_equal(render(f, r), "-p tcp --tcp-flags SYN,RST SYN");
	r = rule(f);
	ir_match_proto(r, 6);
	ir_match_tcp_flags(r, 0xff, 0)->invert = true;
	assert_string_equal(render(f, r), "-p tcp ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG,ECE,CWR NONE");
	r = rule(f);
	ir_match_proto(r, 6);
	ir_match_syn(r)->invert = true;
	assert_string_equal(render(f, r), "-p tcp ! --syn");
	r = rule(f);
	ir_match_proto(r, 1);
	ir_match_icmp(r, 8, -1);
	assert_string_equal(render(f, r), "-p icmp --icmp-type 8");
	r = rule(f);
	ir_match_proto(r, 1);
	ir_match_icmp(r, 3, 4);
	assert_string_equal(render(f, r), "-p icmp --icmp-type 3/4");
	assert_string_equal(f->argv.seg[1].module, "icmp");
	r = rule(f);
	ir_match_proto(r, 1);
	ir_match_icmp(r, 255, 3);
	assert_string_equal(render(f, r), "-p icmp --icmp-type any");
}

static void test_argv_modules(void **state)
{
	struct irfx *f = *state;
	static const struct {
		const char *want;
	} cases[] = {
		{ "-m conntrack --ctstate NEW,INVALID,UNTRACKED" },
		{ "-m conntrack ! --ctstate ESTABLISHED,RELATED" },
		{ "-m limit --limit 10/sec --limit-burst 40" },
		{ "-m limit --limit 3/min" },
		{ "-m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 10 --hashlimit-name lograte --hashlimit-mode srcip" },
		{ "-m hashlimit --hashlimit-above 5/hour --hashlimit-name x --hashlimit-mode srcip,dstport" },
		{ "-m addrtype --dst-type BROADCAST" },
		{ "-m addrtype ! --src-type LOCAL,MULTICAST" },
		{ "-p tcp -m tcpmss --mss 1400:" },
		{ "-p tcp -m tcpmss ! --mss 500:1000" },
		{ "-p tcp -m tcpmss --mss 1452" },
		{ "-m mark --mark 0x1/0xff" },
		{ "-m mark ! --mark 0x10" },
		{ "-m connmark --mark 0x0/0xff00" },
		{ "-m owner --uid-owner 0" },
		{ "-m owner ! --uid-owner 1000 ! --gid-owner 100" },
		{ "-m connlimit --connlimit-above 10 --connlimit-mask 24" },
		{ "-m connlimit --connlimit-upto 3 --connlimit-daddr" },
		{ "-m time --timestart 08:00:00 --timestop 17:30:15 --monthdays 1,15,31 --weekdays Mon,Fri,Sun "
		  "--datestart 2024-01-01T00:00:00 --datestop 2038-01-19T03:14:07 --kerneltz" },
		{ "-m helper --helper ftp" },
		{ "-m helper ! --helper sip" },
		{ "-m recent --set --name %CURRENTTIME" },
		{ "-m recent ! --update --seconds 60 --hitcount 4 --name ssh --rdest" },
		{ "-m recent --rcheck" },
	};
	struct ir_rule *r[sizeof(cases) / sizeof(cases[0])];
	size_t i = 0;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		r[k] = rule(f);
	ir_match_ctstate(r[i++], IR_CT_NEW | IR_CT_INVALID | IR_CT_UNTRACKED, false);
	ir_match_ctstate(r[i++], IR_CT_RELATED | IR_CT_ESTABLISHED, true);
	ir_match_limit(r[i++], 10, IR_PER_SEC, 40);
	ir_match_limit(r[i++], 3, IR_PER_MIN, 0);
	ir_match_hashlimit(r[i++], 1, IR_PER_SEC, 10, IR_HL_SRCIP, "lograte");
	ir_match_hashlimit(r[i], 5, IR_PER_HOUR, 0, IR_HL_SRCIP | IR_HL_DSTPORT, "x")->u.hashlimit.above = true;
	i++;
	ir_match_addrtype(r[i++], IR_DST, IR_AT_BROADCAST, false);
	ir_match_addrtype(r[i++], IR_SRC, IR_AT_LOCAL | IR_AT_MULTICAST, true);
	ir_match_proto(r[i], 6);
	ir_match_tcpmss(r[i++], 1400, 65535, false);
	ir_match_proto(r[i], 6);
	ir_match_tcpmss(r[i++], 1000, 500, true);
	ir_match_proto(r[i], 6);
	ir_match_tcpmss(r[i++], 1452, 1452, false);
	ir_match_mark(r[i++], 1, 0xff, false);
	ir_match_mark(r[i++], 0x10, 0xffffffff, true);
	ir_match_connmark(r[i++], 0, 0xff00, false);
	ir_match_owner(r[i++], 0, -1, false);
	ir_match_owner(r[i++], 1000, 100, true);
	ir_match_connlimit(r[i++], 10, 24, false, false);
	ir_match_connlimit(r[i++], 3, 32, true, true);
	struct ir_time t = { .start = 8 * 3600, .stop = 17 * 3600 + 30 * 60 + 15, .weekdays = 1 | 16 | 64,
			     .monthdays = 1u << 1 | 1u << 15 | 1u << 31, .datestart = 1704067200,
			     .datestop = 2147483647, .kerneltz = true };
	ir_match_time(r[i++], &t);
	ir_match_helper(r[i++], "ftp", false);
	ir_match_helper(r[i++], "sip", true);
	ir_match_recent(r[i++], IR_RECENT_SET, "%CURRENTTIME", 0, 0, false, false);
	ir_match_recent(r[i++], IR_RECENT_UPDATE, "ssh", 60, 4, true, true);
	ir_match_recent(r[i++], IR_RECENT_RCHECK, NULL, 0, 0, false, false);
	assert_int_equal(i, sizeof(cases) / sizeof(cases[0]));
	for (size_t k = 0; k < i; k++)
		assert_string_equal(render(f, r[k]), cases[k].want);
	/* a time match with only a window */
	struct ir_rule *w = rule(f);
	struct ir_time tw = { .start = 0, .stop = 3600, .weekdays = 0, .monthdays = 0 };
	ir_match_time(w, &tw);
	assert_string_equal(render(f, w), "-m time --timestart 00:00:00 --timestop 01:00:00");
	assert_int_equal(f->d.errors, 0);
}

/* Module matches keep the order they were added in: limit before conntrack is not conntrack before limit. */
static void test_module_order(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *a = rule(f), *b = rule(f);
	ir_match_limit(a, 1, IR_PER_SEC, 0);
	ir_match_ctstate(a, IR_CT_NEW, false);
	ir_match_ctstate(b, IR_CT_NEW, false);
	ir_match_limit(b, 1, IR_PER_SEC, 0);
	assert_string_equal(render(f, a), "-m limit --limit 1/sec -m conntrack --ctstate NEW");
	assert_string_equal(render(f, b), "-m conntrack --ctstate NEW -m limit --limit 1/sec");
	assert_false(ir_rule_equal(a, b));
	assert_true(ir_match_desc(IRM_LIMIT)->flags & IRM_F_STATEFUL);
	const struct ir_match *canon[8];
	assert_int_equal(ir_rule_canon(a, canon, 8), 2);
	assert_int_equal(canon[0]->kind, IRM_LIMIT);
	assert_int_equal(ir_rule_canon(a, canon, 1), 2);      /* count even when out is short */
}

/* Canonical order is print order: -i, -o, source, destination, -p, the implicit protocol options,
 * multiport, then modules as added. Every pair of matches, added either way round, comes out in
 * that order (a rule in order is followed as it is, one out of order takes the phase walk: both
 * must agree), and two of the same place keep the order they were added in. */
static void test_canon_pairs(void **state)
{
	struct irfx *f = *state;
	struct net4 n = fx_net4("10.0.0.0/8");
	static const struct ir_portrange two[] = { { 1, 1 }, { 3, 4 } };
	enum { IN, OUT, SRC, SRC_RANGE, DST, DST_SET, PROTO, SPORT, DPORT, TCP, ICMP, SPORTS, DPORTS,
	       CT, LIMIT, MARK, NVARIANTS };
	/* the place each variant prints at */
	static const unsigned place[NVARIANTS] = {
		[IN] = 0, [OUT] = 1, [SRC] = 2, [SRC_RANGE] = 2, [DST] = 3, [DST_SET] = 3, [PROTO] = 4,
		[SPORT] = 5, [DPORT] = 6, [TCP] = 7, [ICMP] = 8, [SPORTS] = 9, [DPORTS] = 10,
		[CT] = 11, [LIMIT] = 11, [MARK] = 11,
	};
	for (unsigned i = 0; i < NVARIANTS; i++)
		for (unsigned j = 0; j < NVARIANTS; j++) {
			struct ir_rule *r = rule(f);
			const struct ir_match *added[2];
			unsigned v[2] = { i, j };
			for (unsigned k = 0; k < 2; k++) {
				struct ir_match *m = NULL;
				switch (v[k]) {
				case IN: m = ir_match_in(r, "eth0", false); break;
				case OUT: m = ir_match_out(r, "eth1", false); break;
				case SRC: m = ir_match_src_net(r, &n, false); break;
				case SRC_RANGE: m = ir_match_src_range(r, 1, 2, false); break;
				case DST: m = ir_match_dst_net(r, &n, false); break;
				case DST_SET: m = ir_match_dst_set(r, "s", false); break;
				case PROTO: m = ir_match_proto(r, 6); break;
				case SPORT: m = ir_match_sport(r, 1, 2, false); break;
				case DPORT: m = ir_match_dport(r, 3, 3, false); break;
				case TCP: m = ir_match_syn(r); break;
				case ICMP: m = ir_match_icmp(r, 8, -1); break;
				case SPORTS: m = ir_match_sports(r, two, 2, false); break;
				case DPORTS: m = ir_match_dports(r, two, 2, false); break;
				case CT: m = ir_match_ctstate(r, IR_CT_NEW, false); break;
				case LIMIT: m = ir_match_limit(r, 1, IR_PER_SEC, 0); break;
				case MARK: m = ir_match_mark(r, 1, 0xffffffffu, false); break;
				}
				added[k] = m;
			}
			const struct ir_match *canon[2];
			assert_int_equal(ir_rule_canon(r, canon, 2), 2);
			bool swap = place[j] < place[i];
			assert_ptr_equal(canon[0], added[swap]);
			assert_ptr_equal(canon[1], added[!swap]);
		}
}

/* The text form quotes what the restore format needs quoted — strings from the configuration with
 * blanks or quotes, and empty tokens — and nothing else (render() compares it with the argv). */
static void test_text_quoting(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	ir_match_in(r, "a b", false);
	ir_match_hashlimit(r, 1, IR_PER_MIN, 0, 16, "x\"y");    /* a mode bit without a name: empty */
	ir_rule_comment(r, "say \"hi\" \\ there");
	ir_target_log(r, 4, "back\\slash", 0);
	assert_string_equal(render(f, r), "-i a b -m hashlimit --hashlimit-upto 1/min --hashlimit-name x\"y "
			    "--hashlimit-mode  -m comment --comment say \"hi\" \\ there -j LOG --log-level 4 "
			    "--log-prefix back\\slash");
	struct ir_text t = { NULL, 0, 0 };
	assert_int_equal(ir_text_render(&t, r), 20);
	ir_text_reserve(&t, 1);
	t.buf[t.len] = '\0';
	assert_string_equal(t.buf, " -i \"a b\" -m hashlimit --hashlimit-upto 1/min --hashlimit-name \"x\\\"y\" "
			    "--hashlimit-mode \"\" -m comment --comment \"say \\\"hi\\\" \\\\ there\" -j LOG "
			    "--log-level 4 --log-prefix back\\slash");
	ir_text_fini(&t);
}

static struct ipsec_opt *opt(struct irfx *f, enum ipsec_key k, const char *value, bool invert, struct ipsec_opt *next)
{
	struct ipsec_opt *o = arena_new_obj(f->c.arena, struct ipsec_opt);
	o->key = k;
	o->value = value;
	o->invert = invert;
	o->next = next;
	return o;
}

static void test_argv_policy(void **state)
{
	struct irfx *f = *state;
	struct ir_rule *r = rule(f);
	ir_match_policy(r, IR_DIR_IN, IR_POL_NONE, NULL);
	assert_string_equal(render(f, r), "-m policy --dir in --pol none");
	/* mode=tunnel,strict,proto=esp,reqid=10,tunnel-src=134.28.54.2 — as Shorewall's gateway */
	struct ipsec_opt *o = opt(f, IPSEC_MODE, "tunnel", false,
			      opt(f, IPSEC_STRICT, NULL, false,
			      opt(f, IPSEC_PROTO, "esp", false,
			      opt(f, IPSEC_REQID, "10", false,
			      opt(f, IPSEC_TUNNEL_SRC, "134.28.54.2", false, NULL)))));
	r = rule(f);
	struct net4 n = fx_net4("10.0.0.0/8");
	ir_match_src_net(r, &n, false);
	struct ir_match *m = ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, o);
	ir_target_simple(r, IRT_ACCEPT);
	assert_int_equal(m->u.policy.nelem, 1);
	assert_true(m->u.policy.strict);
	assert_int_equal(m->u.policy.elem[0].reqid, 10);
	assert_int_equal(m->u.policy.elem[0].proto, 50);
	assert_string_equal(render(f, r), "-s 10.0.0.0/8 -m policy --dir in --pol ipsec --strict --mode tunnel "
					  "--reqid 10 --proto esp --tunnel-src 134.28.54.2 -j ACCEPT");
	/* inversion per option, --next, IN_OPTIONS appended to the same element */
	o = opt(f, IPSEC_PROTO, "ah", true,
		opt(f, IPSEC_SPI, "0x100", false,
		opt(f, IPSEC_NEXT, NULL, false,
		opt(f, IPSEC_MODE, "transport", false,
		opt(f, IPSEC_TUNNEL_DST, "192.0.2.0/24", true, NULL)))));
	r = rule(f);
	m = ir_match_policy(r, IR_DIR_OUT, IR_POL_IPSEC, o);
	ir_policy_add_opts(r, m, opt(f, IPSEC_REQID, "7", true, NULL));
	assert_int_equal(m->u.policy.nelem, 2);
	assert_string_equal(render(f, r), "-m policy --dir out --pol ipsec --spi 256 ! --proto ah --next "
					  "--mode transport ! --reqid 7 ! --tunnel-dst 192.0.2.0/24");
	assert_int_equal(f->d.errors, 0);
	/* a value the graph should not have let through is reported at the rule's line */
	r = rule(f);
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, opt(f, IPSEC_REQID, "ten", false, NULL));
	assert_int_equal(f->d.errors, 1);
	assert_true(diag_has(&f->d, "Invalid value (ten) for option \"reqid\""));
	assert_int_equal(f->d.head->loc.line, 7);
	/* five SA templates is one too many */
	struct ipsec_opt *five = NULL;
	for (int i = 0; i < 5; i++)
		five = opt(f, IPSEC_MODE, "tunnel", false, opt(f, IPSEC_NEXT, NULL, false, five));
	r = rule(f);
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, five);
	assert_int_equal(f->d.errors, 2);
	assert_true(diag_has(&f->d, "Too many SA templates in a policy match (5)"));
}

/* ---- argv of every target ---- */

static void test_argv_targets(void **state)
{
	struct irfx *f = *state;
	struct ir_chain *to = ir_chain_get(f->rs, IR_FILTER, "vpn_frwd");
	struct ir_nat_range snat = { fx_ip4("206.162.148.9"), fx_ip4("206.162.148.9"), 0, 0 };
	struct ir_nat_range dnat = { fx_ip4("192.168.1.5"), fx_ip4("192.168.1.6"), 8080, 8090 };
	struct ir_nat_range portonly = { 0, 0, 80, 80 };
	static const char *const want[] = {
		"", "-j ACCEPT", "-j DROP", "-j RETURN", "-j NFQUEUE --queue-num 0",
		"-j REJECT", "-j REJECT --reject-with tcp-reset", "-j REJECT --reject-with icmp-host-prohibited",
		"-j LOG --log-level 6 --log-prefix net-fw DROP ", "-j LOG --log-level 4 --log-tcp-options --log-uid",
		"-j NFLOG --nflog-group 1 --nflog-prefix x --nflog-threshold 2", "-j NFLOG --nflog-group 0",
		"-j vpn_frwd", "-g vpn_frwd",
		"-j MASQUERADE", "-j MASQUERADE --to-ports 1024-65535 --random",
		"-j SNAT --to-source 206.162.148.9", "-j SNAT --to-source 206.162.148.9 --random --persistent",
		"-j DNAT --to-destination 192.168.1.5-192.168.1.6:8080-8090", "-j DNAT --to-destination :80",
		"-j REDIRECT --to-ports 3128", "-j REDIRECT",
		"-j TCPMSS --clamp-mss-to-pmtu", "-j TCPMSS --set-mss 1400",
		"-j NFQUEUE --queue-num 0", "-j NFQUEUE --queue-balance 2:5 --queue-bypass",
		"-j MARK --set-mark 0x0/0xff", "-j MARK --set-mark 0x5", "-j MARK --or-mark 0x100",
		"-j CONNMARK --save-mark --mask 0xff", "-j CONNMARK --restore-mark", "-j CONNMARK --set-mark 0x1/0xf",
		"-j CT --notrack",
	};
	struct ir_rule *r[sizeof(want) / sizeof(want[0])];
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		r[k] = rule(f);
	size_t i = 0;
	ir_target_simple(r[i++], IRT_NONE);
	ir_target_simple(r[i++], IRT_ACCEPT);
	ir_target_simple(r[i++], IRT_DROP);
	ir_target_simple(r[i++], IRT_RETURN);
	ir_target_simple(r[i++], IRT_QUEUE);
	ir_target_reject(r[i++], IR_REJECT_PORT_UNREACH);
	ir_target_reject(r[i++], IR_REJECT_TCP_RESET);
	ir_target_reject(r[i++], IR_REJECT_HOST_PROHIB);
	ir_target_log(r[i++], 6, "net-fw DROP ", 0);
	ir_target_log(r[i++], 4, "", IR_LOG_TCP_OPT | IR_LOG_UID);
	ir_target_nflog(r[i++], 1, "x", 2);
	ir_target_nflog(r[i++], 0, NULL, 0);
	ir_target_jump(r[i++], to);
	ir_target_goto(r[i++], to);
	ir_target_masquerade(r[i++], 0, 0, false);
	ir_target_masquerade(r[i++], 1024, 65535, true);
	ir_target_snat(r[i++], &snat, false, false);
	ir_target_snat(r[i++], &snat, true, true);
	ir_target_dnat(r[i++], &dnat, false, false);
	ir_target_dnat(r[i++], &portonly, false, false);
	ir_target_redirect(r[i++], 3128, 3128, false);
	ir_target_redirect(r[i++], 0, 0, false);
	ir_target_tcpmss(r[i++], 0);
	ir_target_tcpmss(r[i++], 1400);
	ir_target_nfqueue(r[i++], 0, 0, false);
	ir_target_nfqueue(r[i++], 2, 5, true);
	ir_target_mark(r[i++], IR_MARK_SET, 0, 0xff);
	ir_target_mark(r[i++], IR_MARK_SET, 5, 0xffffffff);
	ir_target_mark(r[i++], IR_MARK_OR, 0x100, 0);
	ir_target_connmark(r[i++], IR_MARK_SAVE, 0, 0xff);
	ir_target_connmark(r[i++], IR_MARK_RESTORE, 0, 0xffffffff);
	ir_target_connmark(r[i++], IR_MARK_SET, 1, 0xf);
	ir_target_simple(r[i++], IRT_NOTRACK);
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	for (size_t k = 0; k < i; k++)
		assert_string_equal(render(f, r[k]), want[k]);
	assert_int_equal(to->refs, 2);
	assert_int_equal(r[4]->target.kind, IRT_NFQUEUE);      /* QUEUE is NFQUEUE 0 */
	assert_true(ir_target_equal(&r[4]->target, &r[24]->target));
	/* a target segment names the target; its options follow */
	render(f, r[8]);
	assert_int_equal(f->argv.nseg, 1);
	assert_int_equal(f->argv.seg[0].type, IR_SEG_TARGET);
	assert_string_equal(f->argv.seg[0].module, "LOG");
	assert_int_equal(f->argv.seg[0].first, 2);
	assert_int_equal(f->argv.seg[0].count, 4);
	assert_string_equal(f->argv.v[5], "net-fw DROP ");
	/* terminal or not */
	assert_true(ir_target_terminal(&r[1]->target));
	assert_true(ir_target_terminal(&r[13]->target));       /* goto */
	assert_false(ir_target_terminal(&r[12]->target));      /* jump returns */
	assert_false(ir_target_terminal(&r[8]->target));       /* LOG */
	assert_false(ir_target_terminal(&r[0]->target));
	/* comment: a module of its own, last before the target */
	struct ir_rule *c = rule(f);
	ir_target_simple(c, IRT_DROP);
	ir_rule_comment(c, "from rules line 7");
	ir_match_proto(c, 6);
	assert_string_equal(render(f, c), "-p tcp -m comment --comment from rules line 7 -j DROP");
}

/* ---- equality, hashing, copies ---- */

static struct ir_rule *sample(struct irfx *f, struct ir_chain *ch, bool reorder, uint16_t port)
{
	struct ir_rule *r = ir_rule_append(ch, &L);
	struct net4 n = fx_net4("10.0.0.0/8");
	if (reorder) {
		ir_match_dport(r, port, port, false);
		ir_match_proto(r, 6);
		ir_match_src_net(r, &n, false);
	} else {
		ir_match_src_net(r, &n, false);
		ir_match_proto(r, 6);
		ir_match_dport(r, port, port, false);
	}
	ir_match_policy(r, IR_DIR_IN, IR_POL_IPSEC, NULL);
	ir_match_ctstate(r, IR_CT_NEW, false);
	ir_target_simple(r, IRT_ACCEPT);
	return r;
}

static void test_equality(void **state)
{
	struct irfx *f = *state;
	struct ir_chain *a = ir_chain_get(f->rs, IR_FILTER, "a"), *b = ir_chain_get(f->rs, IR_FILTER, "b");
	struct ir_rule *ra = sample(f, a, false, 22), *rb = sample(f, b, true, 22);
	assert_true(ir_rule_equal(ra, rb));
	assert_int_equal(ir_rule_hash(ra), ir_rule_hash(rb));
	ir_rule_comment(rb, "not part of the meaning");
	rb->loc.line = 99;
	assert_true(ir_rule_equal(ra, rb));
	assert_int_equal(ir_rule_hash(ra), ir_rule_hash(rb));
	assert_true(ir_chain_body_equal(a, b));
	assert_int_equal(ir_chain_body_hash(a), ir_chain_body_hash(b));
	/* one port apart */
	struct ir_rule *rc = sample(f, ir_chain_get(f->rs, IR_FILTER, "c"), false, 23);
	assert_false(ir_rule_equal(ra, rc));
	assert_true(ir_rule_hash(ra) != ir_rule_hash(rc));
	/* inversion */
	struct ir_rule *rd = sample(f, ir_chain_get(f->rs, IR_FILTER, "d"), false, 22);
	((struct ir_match *)ir_rule_find(rd, IRM_CTSTATE))->invert = true;
	assert_false(ir_rule_equal(ra, rd));
	/* target: same kind, other chain */
	struct ir_rule *j1 = ir_rule_append(a, &L), *j2 = ir_rule_append(b, &L);
	ir_target_jump(j1, ir_chain_get(f->rs, IR_FILTER, "x"));
	ir_target_jump(j2, ir_chain_get(f->rs, IR_FILTER, "y"));
	assert_false(ir_rule_equal(j1, j2));
	assert_false(ir_chain_body_equal(a, b));
	ir_target_jump(j2, ir_chain_get(f->rs, IR_FILTER, "x"));
	assert_true(ir_chain_body_equal(a, b));
	/* strings compare by content, not address */
	struct ir_rule *l1 = ir_rule_append(a, &L), *l2 = ir_rule_append(b, &L);
	char p1[] = "net-fw DROP ", p2[] = "net-fw DROP ";
	ir_target_log(l1, 6, p1, 0);
	ir_target_log(l2, 6, p2, 0);
	assert_true(ir_rule_equal(l1, l2));
	ir_target_log(l2, 6, "net-fw REJECT ", 0);
	assert_false(ir_rule_equal(l1, l2));
	assert_false(ir_chain_body_equal(a, b));
	/* copies are equal and independent */
	struct ir_chain *e = ir_chain_get(f->rs, IR_FILTER, "e");
	for (size_t i = 0; i < a->rules.n; i++)
		ir_rule_copy(e, IR_END, a->rules.v[i]);
	assert_true(ir_chain_body_equal(a, e));
	assert_int_equal(ir_chain_body_hash(a), ir_chain_body_hash(e));
	assert_int_equal(ir_chain_get(f->rs, IR_FILTER, "x")->refs, 3);
	ir_rule_comment(e->rules.v[0], "copied");
	assert_null(a->rules.v[0]->comment);
	/* match-level */
	struct ir_rule *m1 = rule(f), *m2 = rule(f);
	struct ir_match *x1 = ir_match_mark(m1, 1, 0xff, false), *x2 = ir_match_connmark(m2, 1, 0xff, false);
	assert_false(ir_match_equal(x1, x2));       /* same layout, other kind */
	assert_true(ir_match_equal(x1, ir_match_copy(m2, x1)));
	/* padding never decides: nets built from differently dirty structs */
	struct net4 dirty1, dirty2;
	memset(&dirty1, 0xaa, sizeof(dirty1));
	memset(&dirty2, 0x55, sizeof(dirty2));
	dirty1.addr = dirty2.addr = fx_ip4("192.0.2.0");
	dirty1.len = dirty2.len = 24;
	struct ir_rule *n1 = rule(f), *n2 = rule(f);
	ir_match_dst_net(n1, &dirty1, false);
	ir_match_dst_net(n2, &dirty2, false);
	assert_true(ir_rule_equal(n1, n2));
	assert_int_equal(ir_rule_hash(n1), ir_rule_hash(n2));
}

/* Every kind has a layout that names its fields and a size that covers them. */
static void test_descs(void **state)
{
	for (int k = 0; k < IRM_COUNT; k++) {
		const struct ir_match_desc *d = ir_match_desc((enum ir_match_kind)k);
		assert_non_null(d->name);
		assert_non_null(d->fields);
		assert_true(d->size > 0);
		for (const struct ir_field *fl = d->fields; fl->name; fl++)
			assert_true(fl->offset + fl->size * fl->count <= d->size);
		assert_true((d->slot == IR_SLOT_MODULE) == (k >= IRM_CTSTATE));
	}
	for (int k = 0; k < IRT_COUNT; k++) {
		const struct ir_target_desc *d = ir_target_desc((enum ir_target_kind)k);
		assert_non_null(d->fields);
		assert_true(d->tables != 0);
		assert_true((d->name == NULL) == (k == IRT_NONE || k == IRT_JUMP || k == IRT_GOTO));
	}
	assert_null(ir_match_desc(IRM_COUNT));
}

/* ---- validation ---- */

static void test_validate(void **state)
{
	struct irfx *f = *state;
	struct ruleset *rs = f->rs;
	struct ir_chain *fwd = ir_chain_get(rs, IR_FILTER, "FORWARD");
	struct ir_rule *ok = ir_rule_append(fwd, &L);
	ir_match_proto(ok, 6);
	ir_match_dport(ok, 22, 22, false);
	ir_target_simple(ok, IRT_ACCEPT);
	struct ir_rule *mss = ir_rule_append(ir_chain_get(rs, IR_MANGLE, "FORWARD"), &L);
	ir_match_proto(mss, 6);
	ir_match_tcp_flags(mss, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN);
	ir_target_tcpmss(mss, 0);
	assert_int_equal(ir_validate(rs), 0);
	assert_int_equal(f->d.errors, 0);

	struct { struct loc loc; const char *msg; } bad[16];
	size_t nb = 0;
#define BAD(line, text) do { bad[nb].loc = (struct loc){ "/etc/shorewall/rules", line }; bad[nb++].msg = text; } while (0)
	struct ir_rule *r;
	BAD(101, "Ports need protocol tcp, udp, udplite, sctp or dccp (dport) in chain FORWARD");
	r = ir_rule_append(fwd, &bad[nb - 1].loc);
	ir_match_proto(r, 50);
	ir_match_dport(r, 22, 22, false);
	BAD(102, "Duplicate match (src) in chain FORWARD");
	r = ir_rule_append(fwd, &bad[nb - 1].loc);
	struct net4 n = fx_net4("10.0.0.0/8");
	ir_match_src_net(r, &n, false);
	ir_match_src_net(r, &n, true);
	ir_match_src_set(r, "a", false);                        /* a set beside -s is fine */
	BAD(103, "Target not allowed in this table (MASQUERADE) in chain FORWARD");
	ir_target_masquerade(ir_rule_append(fwd, &bad[nb - 1].loc), 0, 0, false);
	BAD(104, "Jump to a builtin chain (INPUT) in chain FORWARD");
	ir_target_jump(ir_rule_append(fwd, &bad[nb - 1].loc), ir_chain_get(rs, IR_FILTER, "INPUT"));
	BAD(105, "Jump to a chain of another table (eth0_masq) in chain FORWARD");
	ir_target_jump(ir_rule_append(fwd, &bad[nb - 1].loc), ir_chain_get(rs, IR_NAT, "eth0_masq"));
	BAD(106, "TCPMSS needs -p tcp and a SYN flag match (TCPMSS) in chain FORWARD");
	r = ir_rule_append(fwd, &bad[nb - 1].loc);
	ir_match_proto(r, 6);
	ir_target_tcpmss(r, 1400);
	BAD(107, "Match cannot be inverted (limit) in chain FORWARD");
	ir_match_limit(ir_rule_append(fwd, &bad[nb - 1].loc), 1, IR_PER_SEC, 0)->invert = true;
	BAD(108, "SA options need --pol ipsec (policy) in chain FORWARD");
	struct ipsec_opt strict = { IPSEC_STRICT, false, NULL, NULL };
	ir_match_policy(ir_rule_append(fwd, &bad[nb - 1].loc), IR_DIR_IN, IR_POL_NONE, &strict);
	BAD(109, "tcp-reset needs protocol tcp (REJECT) in chain FORWARD");
	ir_target_reject(ir_rule_append(fwd, &bad[nb - 1].loc), IR_REJECT_TCP_RESET);
	BAD(110, "Invalid interface name (eth0:1+x) in chain FORWARD");
	ir_match_in(ir_rule_append(fwd, &bad[nb - 1].loc), "eth0:1+x", false);
	BAD(111, "Invalid log prefix in chain FORWARD");
	ir_target_log(ir_rule_append(fwd, &bad[nb - 1].loc), 6, "a prefix that is far too long for the kernel", 0);
	BAD(112, "Invalid comment in chain FORWARD");
	ir_rule_comment(ir_rule_append(fwd, &bad[nb - 1].loc), "two\nlines");
	BAD(113, "Match needs protocol tcp (tcpmss) in chain FORWARD");
	ir_match_tcpmss(ir_rule_append(fwd, &bad[nb - 1].loc), 1400, 65535, false);
	BAD(114, "Duplicate match (dport) in chain FORWARD");
	r = ir_rule_append(fwd, &bad[nb - 1].loc);
	ir_match_proto(r, 6);
	ir_match_dport(r, 1, 1, false);
	ir_match_dport(r, 2, 2, false);
	struct ir_portrange two[] = { { 3, 3 }, { 4, 4 } };
	ir_match_dports(r, two, 2, false);                      /* multiport beside --dport is fine */
	ir_match_dports(r, two, 2, true);
	BAD(115, "Invalid hashlimit name (a-name-too-long-for-it) in chain FORWARD");
	ir_match_hashlimit(ir_rule_append(fwd, &bad[nb - 1].loc), 1, IR_PER_SEC, 0, IR_HL_SRCIP, "a-name-too-long-for-it");
	assert_int_equal(ir_validate(rs), nb);
	assert_int_equal(f->d.errors, nb);
	/* reported in rule order, each at its own line */
	size_t i = 0;
	for (const struct diag_msg *m = f->d.head; m; m = m->next, i++) {
		assert_true(i < nb);
		assert_string_equal(m->text, bad[i].msg);
		assert_int_equal(m->loc.line, bad[i].loc.line);
	}
	assert_int_equal(i, nb);
	/* chain names */
	ir_chain_get(rs, IR_FILTER, "a-chain-name-of-thirty-chars-");
	ir_chain_get(rs, IR_FILTER, "-x");
	ir_chain_get(rs, IR_FILTER, "exactly-twenty-eight-chars-x");
	assert_int_equal(ir_validate(rs), nb + 2);
	assert_true(diag_has(&f->d, "Invalid chain name (a-chain-name-of-thirty-chars-)"));
	assert_true(diag_has(&f->d, "Invalid chain name (-x)"));
	assert_false(diag_has(&f->d, "(exactly-twenty-eight-chars-x)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test_setup_teardown(test_builtins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insert_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refcounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detached_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_addr_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_tcp_icmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_canon_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equality, setup, teardown),
		cmocka_unit_test(test_descs),
		cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
