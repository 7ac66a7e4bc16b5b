/* membership_fixture.h — the set-up the zone-membership parser tests share: a compile, a graph, and text fed to a parser. */
#ifndef SHOREWALL_MEMBERSHIP_FIXTURE_H
#define SHOREWALL_MEMBERSHIP_FIXTURE_H 1

#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "parsers.h"
#include "settings.h"
#include "source.h"

#include <stdlib.h>
#include <string.h>

struct fx {
	struct diag d;
	struct compile c;           /* c.conf holds the shipped defaults: FW=fw, MAXZONENAMELENGTH=10 */
};

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	diag_init(&f->d);
	compile_init(&f->c, &f->d, "/etc/shorewall");
	f->c.graph = graph_new(&f->c);
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	compile_fini(&f->c);
	diag_fini(&f->d);
	free(f);
	return 0;
}

/* Feed text to a parser as the file /etc/shorewall/<name>; returns the layout it recognised. */
static inline const char *fx_run(struct fx *f, int (*parse)(struct compile *, struct source *),
				 const char *name, const char *text)
{
	struct source s;
	char path[128];
	snprintf(path, sizeof(path), "/etc/shorewall/%s", name);
	source_open_mem(&s, &f->c, name, path, text, strlen(text));
	parse(&f->c, &s);
	const char *layout = s.info->layout;
	source_close(&s);
	return layout;
}

static inline struct zone *fx_zone(struct fx *f, const char *name)
{
	return graph_find_zone(f->c.graph, name);
}

/* The seed's zones, in the 5.2 layout with vpn as the given TYPE, and its two interfaces. */
static inline void fx_gateway52(struct fx *f, const char *vpn_type)
{
	char text[256];
	snprintf(text, sizeof(text), "fw firewall\nvpn %s\nnet ipv4\nloc ipv4\n", vpn_type);
	fx_run(f, parse_zones, "zones", text);
	fx_run(f, parse_interfaces, "interfaces", "?FORMAT 2\nnet eth0 routefilter\nloc eth1 -\n");
}

#endif /* SHOREWALL_MEMBERSHIP_FIXTURE_H */
