/* load.c — reads a configuration directory: every file, in the order later files depend on. */
#include "parsers.h"

#include "compile.h"
#include "graph.h"
#include "settings.h"
#include "source.h"

#include <stdbool.h>
#include <string.h>

struct config_file {
	const char *name;
	int (*parse)(struct compile *c, struct source *s);
	bool required;
	bool expand;                /* $VAR expansion (params expands by itself) */
};

/* Order matters: params feed every file's $VARs; shorewall.conf names the 2.2 firewall zone;
 * zones precede everything that names a zone; interfaces precede hosts; policy sees all zones. */
static const struct config_file files[] = {
	{ "params",        parse_params,        false, false },
	{ "shorewall.conf", parse_conf,         true,  true },
	{ "zones",         parse_zones,         true,  true },
	{ "ipsec",         parse_ipsec,         false, true },
	{ "interfaces",    parse_interfaces,    true,  true },
	{ "hosts",         parse_hosts,         false, true },
	{ "tunnels",       parse_tunnels,       false, true },
	{ "masq",          parse_masq,          false, true },
	{ "snat",          parse_snat,          false, true },
	{ "policy",        parse_policy,        true,  true },
	{ "rules",         parse_rules,         false, true },
	{ "routestopped",  parse_routestopped,  false, true },
	{ "stoppedrules",  parse_stoppedrules,  false, true },
	{ "modules",       parse_modules,       false, true },
	{ "helpers",       parse_modules,       false, true },
};

int config_read(struct compile *c, struct diag *d, const char *dir, unsigned verbose)
{
	diag_init(d);
	compile_init(c, d, dir);
	c->verbose = verbose;
	return config_load(c);
}

int config_load(struct compile *c)
{
	unsigned before = c->diag->errors;
	struct source policy_src;
	bool have_policy = false;

	if (!c->graph)
		c->graph = graph_new(c);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const struct config_file *f = &files[i];
		struct source s;
		int r = source_open(&s, c, f->name);
		if (r == 0 && f->required) {
			struct loc none = LOC_NONE;
			diag_error(c->diag, &none, "%s/%s does not exist!", c->dir, f->name);
		}
		if (r <= 0) {
			/* Later stages still need a (possibly empty) file: an absent zones file leaves
			 * the graph with only the firewall zone, an absent policy an empty matrix. */
			if (strcmp(f->name, "policy") == 0 && r == 0) {
				source_open_mem(&s, c, f->name, arena_printf(c->arena, "%s/policy", c->dir), "", 0);
				policy_src = s;
				have_policy = true;
			}
			continue;
		}
		s.expand = f->expand;
		f->parse(c, &s);
		if (strcmp(f->name, "policy") == 0) {
			policy_src = s;
			have_policy = true;
		}
		source_close(&s);
	}
	graph_finish(c);
	if (have_policy)
		policy_finish(c, &policy_src);
	return (int)(c->diag->errors - before);
}
