/* test_support.h — the fixture the parser unit tests share: a compile with its diag and graph, text fed to a parser. */
#ifndef SHOREWALL_TEST_SUPPORT_H
#define SHOREWALL_TEST_SUPPORT_H 1

/* Header-only because the Makefile builds every tests/unit/test_*.c as one program on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "parsers.h"
#include "settings.h"
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	struct diag d;
	struct compile c;           /* c.conf holds the shipped defaults: FW=fw, MAXZONENAMELENGTH=10 */
	struct source last;         /* the source of the last fx_run (policy_finish needs it) */
};

typedef int (*fx_parser)(struct compile *, struct source *);

/* ---- set-up and tear-down -------------------------------------------------------------------------- */

/* A compile for config dir `dir` (NULL = a directory that does not exist) with an empty graph; the
 * settings are compile_init's shipped defaults. */
static inline void fx_init(struct fx *f, const char *dir)
{
	memset(f, 0, sizeof(*f));
	diag_init(&f->d);
	compile_init(&f->c, &f->d, dir ? dir : "/nonexistent");
	f->c.graph = graph_new(&f->c);
}

static inline void fx_fini(struct fx *f)
{
	compile_fini(&f->c);
	diag_fini(&f->d);
}

/* The same as cmocka set-up/tear-down functions, for a config dir of /etc/shorewall. */
static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	fx_init(f, "/etc/shorewall");
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	fx_fini(f);
	free(f);
	return 0;
}

/* ---- the graph, filled directly --------------------------------------------------------------------- */

static inline struct zone *fx_add_zone(struct fx *f, const char *name, enum zone_type type)
{
	struct graph *g = f->c.graph;
	struct zone *z = arena_new_obj(f->c.arena, struct zone);
	z->name = arena_strdup(f->c.arena, name);
	z->type = type;
	z->index = (unsigned)g->zones.n;
	z->loc = (struct loc){ "zones", (unsigned)g->zones.n + 1 };
	vec_push(f->c.arena, &g->zones, z);
	if (type == ZONE_FIREWALL)
		g->fw = z;
	return z;
}

/* An interface of zone z (NULL: none, as the stopped-state files see them). */
static inline struct iface *fx_add_iface(struct fx *f, const char *name, struct zone *z)
{
	struct iface *i = arena_new_obj(f->c.arena, struct iface);
	i->name = i->physical = arena_strdup(f->c.arena, name);
	i->zone = z;
	i->zone_name = z ? z->name : NULL;
	i->wildcard = name[strlen(name) - 1] == '+';
	vec_push(f->c.arena, &f->c.graph->ifaces, i);
	return i;
}

/* The usual zones: fw (firewall), net, loc, vpn (ipsec), dmz; interfaces eth0 (net), eth1 (loc),
 * eth2 (dmz), ppp+ (net). Config dir: none. */
static inline void fx_init_zones(struct fx *f)
{
	fx_init(f, NULL);
	fx_add_zone(f, "fw", ZONE_FIREWALL);
	struct zone *net = fx_add_zone(f, "net", ZONE_IPV4);
	struct zone *loc = fx_add_zone(f, "loc", ZONE_IPV4);
	fx_add_zone(f, "vpn", ZONE_IPSEC);
	struct zone *dmz = fx_add_zone(f, "dmz", ZONE_IPV4);
	fx_add_iface(f, "eth0", net);
	fx_add_iface(f, "eth1", loc);
	fx_add_iface(f, "eth2", dmz);
	fx_add_iface(f, "ppp+", net);
}

static inline struct zone *fx_zone(struct fx *f, const char *name)
{
	return graph_find_zone(f->c.graph, name);
}

static inline struct iface *fx_iface(struct fx *f, const char *name)
{
	return graph_find_iface(f->c.graph, name);
}

/* ---- running parsers -------------------------------------------------------------------------------- */

/* Feed text to a parser as the file /etc/shorewall/<name>; returns what the parser returns. */
static inline int fx_run(struct fx *f, fx_parser parse, const char *name, const char *text)
{
	const char *path = arena_printf(f->c.arena, "/etc/shorewall/%s", name);
	source_open_mem(&f->last, &f->c, name, path, text, strlen(text));
	int r = parse(&f->c, &f->last);
	source_close(&f->last);
	return r;
}

/* The layout the last fx_run recognised ("2.2", "5.2"…). */
static inline const char *fx_layout(const struct fx *f)
{
	return f->last.info->layout;
}

/* fx_run, returning the layout the parser recognised. */
static inline const char *fx_read(struct fx *f, fx_parser parse, const char *name, const char *text)
{
	fx_run(f, parse, name, text);
	return fx_layout(f);
}

/* The seed's zones, in the 5.2 layout with vpn as the given TYPE, and its two interfaces. */
static inline void fx_gateway52(struct fx *f, const char *vpn_type)
{
	char text[256];
	snprintf(text, sizeof(text), "fw firewall\nvpn %s\nnet ipv4\nloc ipv4\n", vpn_type);
	fx_run(f, parse_zones, "zones", text);
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet eth0 routefilter\nloc eth1 -\n");
}

/* ---- addresses -------------------------------------------------------------------------------------- */

/* A network or address that must parse. */
static inline struct net4 fx_net4(const char *s)
{
	struct net4 n;
	assert_true(addr_parse_net(s, &n));
	return n;
}

static inline uint32_t fx_ip4(const char *s)
{
	uint32_t a;
	assert_true(addr_parse_ip4(s, &a));
	return a;
}

/* ---- messages --------------------------------------------------------------------------------------- */

/* Print every message (for a failing test's log) without forgetting them. */
static inline void fx_dump(const struct fx *f)
{
	char buf[4096];
	for (const struct diag_msg *m = f->d.head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		fprintf(stderr, "  | %s\n", buf);
	}
}

/* Forget the messages and the counts. */
static inline void fx_forget(struct fx *f)
{
	diag_fini(&f->d);
	diag_init(&f->d);
}

/* A message containing msg must have been reported. */
static inline void fx_expect(const struct fx *f, const char *msg)
{
	if (!diag_has(&f->d, msg)) {
		fx_dump(f);
		fail_msg("missing message: %s", msg);
	}
}

static inline void fx_no_errors(const struct fx *f)
{
	if (f->d.errors) {
		fx_dump(f);
		fail_msg("%u unexpected errors", f->d.errors);
	}
}

/* One line that the parser must accept, adding `added` records to the graph list whose length is
 * *count; returns the index of the first new record. */
static inline size_t fx_accept(struct fx *f, fx_parser parse, const char *name, const size_t *count,
			       const char *line, size_t added)
{
	size_t before = *count;
	unsigned errs = f->d.errors;
	fx_run(f, parse, name, line);
	if (f->d.errors != errs) {
		fx_dump(f);
		fail_msg("line `%s' was refused", line);
	}
	assert_int_equal(*count, before + added);
	return before;
}

/* One line that the parser must refuse with exactly this one error (at line 1), adding no record to
 * the graph list whose length is *count. */
static inline void fx_refuse(struct fx *f, fx_parser parse, const char *name, const size_t *count,
			     const char *line, const char *msg)
{
	size_t before = *count;
	unsigned errs = f->d.errors;
	fx_run(f, parse, name, line);
	char want[512];
	snprintf(want, sizeof(want), "ERROR: %s /etc/shorewall/%s (line 1)", msg, name);
	if (!diag_has(&f->d, want) || f->d.errors != errs + 1) {
		fx_dump(f);
		fail_msg("line `%s': wanted exactly `%s'", line, want);
	}
	assert_int_equal(*count, before);
}

#endif /* SHOREWALL_TEST_SUPPORT_H */
