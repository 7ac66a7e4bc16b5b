/* test_graph_dump.c — the `check -v` summary and the YAML dump: parse back with libyaml, check keys and values, check determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "graph_dump.h"
#include "test_support.h"

#include <yaml.h>

/* ---- seed gateway A, built by hand ------------------------------------------------------------------
 * zones: fw firewall / vpn ipv4 (ipsec hosts) / net / loc; interfaces net eth0, loc eth1;
 * hosts vpn eth0:10.0.0.0/8,134.28.54.2 ipsec; tunnels ipsec net 134.28.54.2;
 * policy loc vpn ACCEPT / vpn loc ACCEPT / loc net ACCEPT / net all DROP info / all all REJECT info. */

static struct zone *zone(struct fx *t, const char *name, enum zone_type type, unsigned line)
{
	struct graph *g = t->c.graph;
	struct zone *z = arena_new_obj(t->c.arena, struct zone);
	z->name = name;
	z->type = type;
	z->index = (unsigned)g->zones.n;
	z->loc = (struct loc){ "/etc/shorewall/zones", line };
	vec_push(t->c.arena, &g->zones, z);
	return z;
}

static struct host *host(struct fx *t, struct zone *z, struct iface *i, const char *addrs, uint32_t opts,
			 const struct loc *loc)
{
	struct host *h = arena_new_obj(t->c.arena, struct host);
	const char *bad;
	h->zone = z;
	h->iface = i;
	h->opts = opts;
	h->loc = *loc;
	if (addrs)
		assert_true(addr_parse_list(t->c.arena, addrs, &h->addrs, false, &bad));
	vec_push(t->c.arena, &t->c.graph->hosts, h);
	vec_push(t->c.arena, &z->hosts, h);
	return h;
}

static struct iface *iface(struct fx *t, const char *name, struct zone *z, unsigned line)
{
	struct iface *i = arena_new_obj(t->c.arena, struct iface);
	i->name = name;
	i->zone = z;
	i->zone_name = z->name;
	i->broadcast = "detect";
	i->loc = (struct loc){ "/etc/shorewall/interfaces", line };
	vec_push(t->c.arena, &t->c.graph->ifaces, i);
	struct host *h = host(t, z, i, NULL, 0, &i->loc);
	h->from_interfaces = true;
	return i;
}

static struct policy *policy(struct fx *t, const char *src, const char *dst, enum policy_kind k,
			     const char *level, unsigned line)
{
	struct policy *p = arena_new_obj(t->c.arena, struct policy);
	p->src_text = src;
	p->dst_text = dst;
	p->policy_text = policy_kind_name(k);
	p->kind = k;
	p->loglevel = level;
	p->wildcard = strcmp(src, "all") == 0 || strcmp(dst, "all") == 0;
	p->loc = (struct loc){ "/etc/shorewall/policy", line };
	vec_push(t->c.arena, &t->c.graph->policies, p);
	return p;
}

static void gateway_a(struct fx *t)
{
	fx_init(t, "/etc/shorewall");
	struct graph *g = t->c.graph;
	struct file_info *f = arena_new_obj(t->c.arena, struct file_info);
	*f = (struct file_info){ "/etc/shorewall/zones", "2.2", 3 };
	vec_push(t->c.arena, &t->c.files, f);

	struct zone *fw = zone(t, "fw", ZONE_FIREWALL, 0);
	fw->implicit = true;
	fw->loc = (struct loc){ "/etc/shorewall/shorewall.conf", 0 };
	g->fw = fw;
	struct zone *vpn = zone(t, "vpn", ZONE_IPV4, 1);
	vpn->display = "VPN";
	vpn->comment = "Virtual Private Network";
	struct zone *net = zone(t, "net", ZONE_IPV4, 2);
	struct zone *loc = zone(t, "loc", ZONE_IPV4, 3);
	struct iface *eth0 = iface(t, "eth0", net, 1);
	eth0->opts = 1u << IFO_ROUTEFILTER | 1u << IFO_TCPFLAGS;
	eth0->optval[IFO_ROUTEFILTER] = 1;
	eth0->optval[IFO_TCPFLAGS] = 1;
	iface(t, "eth1", loc, 2);
	host(t, vpn, eth0, "10.0.0.0/8,134.28.54.2", 1u << HO_IPSEC, &(struct loc){ "/etc/shorewall/hosts", 1 });

	struct tunnel *tu = arena_new_obj(t->c.arena, struct tunnel);
	tu->type = TUN_IPSEC;
	tu->type_text = "ipsec";
	tu->zone = net;
	const char *bad;
	assert_true(addr_parse_list(t->c.arena, "134.28.54.2", &tu->gateways, false, &bad));
	tu->loc = (struct loc){ "/etc/shorewall/tunnels", 1 };
	vec_push(t->c.arena, &g->tunnels, tu);

	struct policy *p[5] = {
		policy(t, "loc", "vpn", POL_ACCEPT, NULL, 1), policy(t, "vpn", "loc", POL_ACCEPT, NULL, 2),
		policy(t, "loc", "net", POL_ACCEPT, NULL, 3), policy(t, "net", "all", POL_DROP, "info", 4),
		policy(t, "all", "all", POL_REJECT, "info", 5),
	};
	size_t n = g->zones.n;
	g->matrix = arena_alloc(t->c.arena, n * n * sizeof(*g->matrix));
	for (size_t s = 0; s < n; s++)
		for (size_t d = 0; d < n; d++) {
			struct policy_cell *cell = &g->matrix[s * n + d];
			const char *sn = g->zones.v[s]->name, *dn = g->zones.v[d]->name;
			if (s == d)
				cell->implicit = true;
			else if (!strcmp(sn, "loc") && !strcmp(dn, "vpn"))
				cell->policy = p[0];
			else if (!strcmp(sn, "vpn") && !strcmp(dn, "loc"))
				cell->policy = p[1];
			else if (!strcmp(sn, "loc") && !strcmp(dn, "net"))
				cell->policy = p[2];
			else if (!strcmp(sn, "net"))
				cell->policy = p[3];
			else
				cell->policy = p[4];
		}
	assert_int_equal(graph_finish(&t->c), 0);
}

static char *dump(struct fx *t, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	assert_int_equal(graph_dump_yaml(&t->c, f), 0);
	fclose(f);
	return buf;
}

/* The YAML dump of t, parsed back; free it with unload(). */
struct parsed {
	char *buf;
	yaml_parser_t parser;
	yaml_document_t doc;
};

static yaml_node_t *load(struct fx *t, struct parsed *p)
{
	size_t len;
	p->buf = dump(t, &len);
	assert_true(yaml_parser_initialize(&p->parser));
	yaml_parser_set_input_string(&p->parser, (const unsigned char *)p->buf, len);
	assert_true(yaml_parser_load(&p->parser, &p->doc));
	return yaml_document_get_root_node(&p->doc);
}

static void unload(struct parsed *p)
{
	yaml_document_delete(&p->doc);
	yaml_parser_delete(&p->parser);
	free(p->buf);
}

/* ---- walking a parsed document -------------------------------------------------------------------- */

static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	assert_non_null(map);
	assert_int_equal(map->type, YAML_MAPPING_NODE);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	fail_msg("key %s missing", key);
	return NULL;
}

static yaml_node_t *item(yaml_document_t *doc, yaml_node_t *seq, size_t i)
{
	assert_non_null(seq);
	assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
	assert_true(seq->data.sequence.items.start + i < seq->data.sequence.items.top);
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

static size_t count(yaml_node_t *seq)
{
	assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static const char *str(yaml_node_t *n)
{
	assert_non_null(n);
	assert_int_equal(n->type, YAML_SCALAR_NODE);
	return (const char *)n->data.scalar.value;
}

/* A string value that a YAML 1.1 reader must not take for a number or a boolean. */
static void assert_quoted(yaml_node_t *n, const char *want)
{
	assert_string_equal(str(n), want);
	assert_true(n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
		    n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE);
}

/* Every mapping that has a `file` key also has a `line` key (the origin of every record). */
static unsigned check_locs(yaml_document_t *doc, yaml_node_t *n)
{
	unsigned seen = 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
			seen += check_locs(doc, yaml_document_get_node(doc, *i));
	} else if (n->type == YAML_MAPPING_NODE) {
		bool file = false, line = false;
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			const char *k = (const char *)yaml_document_get_node(doc, p->key)->data.scalar.value;
			file |= strcmp(k, "file") == 0;
			line |= strcmp(k, "line") == 0;
			seen += check_locs(doc, yaml_document_get_node(doc, p->value));
		}
		assert_true(file == line);
		seen += file;
	}
	return seen;
}

/* ---- tests ---------------------------------------------------------------------------------------- */

static void test_yaml_parses_back(void **state)
{
	(void)state;
	struct fx t;
	gateway_a(&t);
	struct parsed p;
	yaml_node_t *root = load(&t, &p);
	assert_non_null(root);

	assert_string_equal(str(get(&p.doc, root, "schema")), "1");
	assert_string_equal(str(get(&p.doc, root, "directory")), "/etc/shorewall");

	/* zones: in declaration order, with their origin */
	yaml_node_t *zones = get(&p.doc, root, "zones");
	assert_int_equal(count(zones), 4);
	yaml_node_t *vpn = item(&p.doc, zones, 1);
	assert_string_equal(str(get(&p.doc, vpn, "name")), "vpn");
	assert_string_equal(str(get(&p.doc, vpn, "type")), "ipv4");
	assert_string_equal(str(get(&p.doc, vpn, "file")), "/etc/shorewall/zones");
	assert_string_equal(str(get(&p.doc, vpn, "line")), "1");
	assert_string_equal(str(get(&p.doc, vpn, "display")), "VPN");
	assert_string_equal(str(get(&p.doc, vpn, "super")), "false");
	yaml_node_t *members = get(&p.doc, vpn, "members");
	assert_int_equal(count(members), 1);
	yaml_node_t *m = item(&p.doc, members, 0);
	assert_string_equal(str(get(&p.doc, m, "interface")), "eth0");
	assert_quoted(item(&p.doc, get(&p.doc, m, "addresses"), 0), "10.0.0.0/8");
	assert_quoted(item(&p.doc, get(&p.doc, m, "addresses"), 1), "134.28.54.2");
	assert_string_equal(str(get(&p.doc, m, "ipsec")), "true");
	assert_string_equal(str(get(&p.doc, m, "file")), "/etc/shorewall/hosts");
	yaml_node_t *fw = item(&p.doc, zones, 0);
	assert_string_equal(str(get(&p.doc, fw, "implicit")), "true");
	assert_string_equal(str(get(&p.doc, fw, "line")), "0");

	/* interfaces with option values */
	yaml_node_t *eth0 = item(&p.doc, get(&p.doc, root, "interfaces"), 0);
	assert_string_equal(str(get(&p.doc, eth0, "zone")), "net");
	assert_string_equal(str(get(&p.doc, eth0, "broadcast")), "detect");
	yaml_node_t *opts = get(&p.doc, eth0, "options");
	assert_int_equal(count(opts), 2);
	assert_string_equal(str(get(&p.doc, item(&p.doc, opts, 0), "name")), "routefilter");
	assert_string_equal(str(get(&p.doc, item(&p.doc, opts, 0), "value")), "1");
	assert_string_equal(str(get(&p.doc, item(&p.doc, opts, 1), "name")), "tcpflags");

	/* hosts: both interfaces-file members and the hosts line */
	yaml_node_t *hosts = get(&p.doc, root, "hosts");
	assert_int_equal(count(hosts), 3);
	yaml_node_t *h = item(&p.doc, hosts, 2);
	assert_string_equal(str(get(&p.doc, h, "zone")), "vpn");
	assert_string_equal(str(item(&p.doc, get(&p.doc, h, "options"), 0)), "ipsec");
	assert_string_equal(str(get(&p.doc, item(&p.doc, hosts, 0), "from_interfaces")), "true");

	/* tunnels */
	yaml_node_t *tu = item(&p.doc, get(&p.doc, root, "tunnels"), 0);
	assert_string_equal(str(get(&p.doc, tu, "type")), "ipsec");
	assert_string_equal(str(get(&p.doc, tu, "zone")), "net");
	assert_quoted(item(&p.doc, get(&p.doc, tu, "gateways"), 0), "134.28.54.2");
	assert_string_equal(str(get(&p.doc, tu, "file")), "/etc/shorewall/tunnels");

	/* policies as written, the matrix resolved */
	yaml_node_t *pol = get(&p.doc, root, "policies");
	assert_int_equal(count(pol), 5);
	assert_string_equal(str(get(&p.doc, item(&p.doc, pol, 3), "loglevel")), "info");
	assert_string_equal(str(get(&p.doc, item(&p.doc, pol, 3), "line")), "4");
	yaml_node_t *mx = get(&p.doc, root, "matrix");
	assert_int_equal(count(mx), 16);
	bool seen_loc_vpn = false, seen_implicit = false;
	for (size_t i = 0; i < 16; i++) {
		yaml_node_t *cell = item(&p.doc, mx, i);
		const char *s = str(get(&p.doc, cell, "source")), *d = str(get(&p.doc, cell, "dest"));
		if (!strcmp(s, "loc") && !strcmp(d, "vpn")) {
			seen_loc_vpn = true;
			assert_string_equal(str(get(&p.doc, cell, "policy")), "ACCEPT");
			assert_string_equal(str(get(&p.doc, cell, "origin")), "policy");
			assert_string_equal(str(get(&p.doc, cell, "line")), "1");
			assert_string_equal(str(get(&p.doc, cell, "implicit")), "false");
		}
		if (!strcmp(s, "net") && !strcmp(d, "net")) {
			seen_implicit = true;
			assert_string_equal(str(get(&p.doc, cell, "origin")), "implicit");
			assert_string_equal(str(get(&p.doc, cell, "implicit")), "true");
			assert_string_equal(str(get(&p.doc, cell, "file")), "/etc/shorewall/zones");
		}
		if (!strcmp(s, "net") && !strcmp(d, "fw"))
			assert_string_equal(str(get(&p.doc, cell, "policy")), "DROP");
	}
	assert_true(seen_loc_vpn && seen_implicit);

	/* whole-graph facts */
	assert_string_equal(str(get(&p.doc, root, "have_ipsec")), "true");
	yaml_node_t *order = get(&p.doc, root, "match_order");
	assert_int_equal(count(order), 4);
	assert_string_equal(str(item(&p.doc, order, 1)), "vpn");
	assert_quoted(get(&p.doc, item(&p.doc, get(&p.doc, root, "files"), 0), "layout"), "2.2");
	assert_int_equal(count(get(&p.doc, root, "rules")), 0);
	assert_string_equal(str(get(&p.doc, get(&p.doc, root, "settings"), "zone2zone")), "-");

	/* every record that says where it came from says both file and line */
	assert_true(check_locs(&p.doc, root) > 20);

	unload(&p);
	fx_fini(&t);
}

static void test_yaml_deterministic(void **state)
{
	(void)state;
	struct fx t1, t2;
	gateway_a(&t1);
	gateway_a(&t2);
	size_t l1, l2, l3;
	char *a = dump(&t1, &l1), *b = dump(&t1, &l2), *c = dump(&t2, &l3);
	/* The same graph twice, and an equal graph built again: the same bytes. */
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	assert_int_equal(l1, l3);
	assert_memory_equal(a, c, l1);
	free(a);
	free(b);
	free(c);
	fx_fini(&t1);
	fx_fini(&t2);
}

/* Values a YAML 1.1 reader would turn into numbers, booleans or sexagesimals stay strings. */
static void test_yaml_quotes_ambiguous_strings(void **state)
{
	(void)state;
	struct fx t;
	gateway_a(&t);
	struct rule *r = arena_new_obj(t.c.arena, struct rule);
	r->col[RC_ACTION] = "ACCEPT";
	r->col[RC_SOURCE] = "no";
	r->col[RC_DEST] = "fw";
	r->col[RC_PROTO] = "6";
	r->col[RC_DPORT] = "22:23";
	r->section = "NEW";
	r->loc = (struct loc){ "/etc/shorewall/rules", 7 };
	vec_push(t.c.arena, &t.c.graph->rules, r);
	struct parsed p;
	yaml_node_t *root = load(&t, &p);
	yaml_node_t *rule = item(&p.doc, get(&p.doc, root, "rules"), 0);
	assert_quoted(get(&p.doc, rule, "source"), "no");
	assert_quoted(get(&p.doc, rule, "proto"), "6");
	assert_quoted(get(&p.doc, rule, "dport"), "22:23");
	assert_string_equal(str(get(&p.doc, rule, "action")), "ACCEPT");
	assert_string_equal(str(get(&p.doc, rule, "sport")), "null");
	assert_int_equal(get(&p.doc, rule, "sport")->data.scalar.style, YAML_PLAIN_SCALAR_STYLE);
	assert_string_equal(str(get(&p.doc, rule, "line")), "7");
	unload(&p);
	fx_fini(&t);
}

static void test_summary(void **state)
{
	(void)state;
	struct fx t;
	gateway_a(&t);
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	graph_print_summary(&t.c, f);
	fclose(f);
	assert_non_null(strstr(buf, "Files read:\n  /etc/shorewall/zones  2.2"));
	assert_non_null(strstr(buf, "match order: fw vpn net loc; IPsec policy match in use"));
	assert_non_null(strstr(buf, "eth0:10.0.0.0/8,134.28.54.2 (ipsec)\n"));
	assert_non_null(strstr(buf, "  loc -> vpn  ACCEPT            (policy line 1)\n"));
	assert_non_null(strstr(buf, "  net -> fw   DROP info         (policy line 4)\n"));
	assert_non_null(strstr(buf, "  loc -> loc  ACCEPT            (implicit)\n"));
	assert_non_null(strstr(buf, "Tunnels:\n  ipsec      zone net  gateway 134.28.54.2  (tunnels line 1)\n"));
	free(buf);
	fx_fini(&t);
}

/* A graph without a resolved matrix or settings (early errors) still dumps, and says so. */
static void test_dumps_of_empty_graph(void **state)
{
	(void)state;
	struct fx t;
	fx_init(&t, NULL);
	graph_finish(&t.c);
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	graph_print_summary(&t.c, f);
	assert_int_equal(graph_dump_yaml(&t.c, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "Policy matrix: not resolved"));
	assert_non_null(strstr(buf, "matrix: []"));
	assert_non_null(strstr(buf, "have_ipsec: false"));
	free(buf);
	fx_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_parses_back),
		cmocka_unit_test(test_yaml_deterministic),
		cmocka_unit_test(test_yaml_quotes_ambiguous_strings),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_dumps_of_empty_graph),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
