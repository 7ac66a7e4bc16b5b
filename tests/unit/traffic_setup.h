/* traffic_setup.h — set-up shared by the traffic parsers' unit tests: a compile with zones and
 * interfaces put straight into the graph, and a way to run one parser on text. Header-only so
 * that every test program stays a single file for the Makefile. */
#ifndef TRAFFIC_SETUP_H
#define TRAFFIC_SETUP_H 1

#include "compile.h"
#include "graph.h"
#include "parsers.h"
#include "settings.h"
#include "source.h"

#include <string.h>

struct tfx {
	struct diag d;
	struct compile c;
	struct source last;         /* the source of the last run (policy_finish needs it) */
};

static inline struct zone *tfx_zone(struct tfx *t, const char *name, enum zone_type type)
{
	struct graph *g = t->c.graph;
	struct zone *z = arena_new_obj(t->c.arena, struct zone);
	z->name = arena_strdup(t->c.arena, name);
	z->type = type;
	z->index = (unsigned)g->zones.n;
	z->loc = (struct loc){ "zones", (unsigned)g->zones.n + 1 };
	vec_push(t->c.arena, &g->zones, z);
	if (type == ZONE_FIREWALL)
		g->fw = z;
	return z;
}

static inline struct iface *tfx_iface(struct tfx *t, const char *name, struct zone *z)
{
	struct iface *f = arena_new_obj(t->c.arena, struct iface);
	f->name = f->physical = arena_strdup(t->c.arena, name);
	f->zone = z;
	f->zone_name = z ? z->name : NULL;
	f->wildcard = name[strlen(name) - 1] == '+';
	vec_push(t->c.arena, &t->c.graph->ifaces, f);
	return f;
}

/* A compile for config dir `dir` (NULL = a directory that does not exist) with no zones; the
 * settings are compile_init's shipped defaults. */
static inline void tfx_init_dir(struct tfx *t, const char *dir)
{
	memset(t, 0, sizeof(*t));
	diag_init(&t->d);
	compile_init(&t->c, &t->d, dir ? dir : "/nonexistent");
	t->c.graph = graph_new(&t->c);
}

/* The usual zones: fw (firewall), net, loc, vpn (ipsec), dmz; interfaces eth0 (net), eth1 (loc),
 * eth2 (dmz), ppp+ (net). */
static inline void tfx_init(struct tfx *t)
{
	tfx_init_dir(t, NULL);
	tfx_zone(t, "fw", ZONE_FIREWALL);
	struct zone *net = tfx_zone(t, "net", ZONE_IPV4);
	struct zone *loc = tfx_zone(t, "loc", ZONE_IPV4);
	tfx_zone(t, "vpn", ZONE_IPSEC);
	struct zone *dmz = tfx_zone(t, "dmz", ZONE_IPV4);
	tfx_iface(t, "eth0", net);
	tfx_iface(t, "eth1", loc);
	tfx_iface(t, "eth2", dmz);
	tfx_iface(t, "ppp+", net);
}

static inline void tfx_fini(struct tfx *t)
{
	compile_fini(&t->c);
	diag_fini(&t->d);
}

/* Run parser `parse` on text as file `name` (shown as "/etc/shorewall/<name>"). */
static inline int tfx_run(struct tfx *t, int (*parse)(struct compile *, struct source *), const char *name,
			  const char *text)
{
	const char *path = arena_printf(t->c.arena, "/etc/shorewall/%s", name);
	source_open_mem(&t->last, &t->c, name, path, text, strlen(text));
	int r = parse(&t->c, &t->last);
	source_close(&t->last);
	return r;
}

/* Print every message (for a failing test's log) without forgetting them. */
static inline void tfx_dump(const struct tfx *t)
{
	char buf[4096];
	for (const struct diag_msg *m = t->d.head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		fprintf(stderr, "  | %s\n", buf);
	}
}

#endif /* TRAFFIC_SETUP_H */
