/* fuzz_common.h — what every libFuzzer target shares: a compile context with a canned zone graph, one parse, teardown.
 *
 * Each target is one translation unit: fuzz_<parser>.c includes this header and calls fuzz_parser()
 * from LLVMFuzzerTestOneInput. The canned graph is made the way config_load makes it, by running the
 * earlier parsers on fixed text (fw/net/loc/vpn zones, eth0/eth1 interfaces), so a target exercises
 * its parser against the records it would really see. Everything is freed before returning, so
 * LeakSanitizer reports any leak in the code under test. */
#ifndef SHOREWALL_FUZZ_COMMON_H
#define SHOREWALL_FUZZ_COMMON_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "parsers.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How much of the configuration exists before the file under test is read (load.c's order). */
enum fuzz_context {
	FUZZ_BARE,                  /* nothing: params, shorewall.conf, modules */
	FUZZ_CONF,                  /* shorewall.conf read (defaults): zones */
	FUZZ_ZONES,                 /* + zones: ipsec, interfaces */
	FUZZ_IFACES,                /* + interfaces: hosts */
	FUZZ_HOSTS,                 /* + hosts: tunnels, masq, snat, policy, rules, stopped rules */
};

/* INCLUDE in fuzz input resolves here; nothing is there, so every INCLUDE is a clean "not found". */
#define FUZZ_DIR "/nonexistent/shorewall-fuzz"

/* The canned configuration: a 5.2 layout, with an ipsec zone so have_ipsec paths are reachable. */
static const char fuzz_canned_conf[] = "STARTUP_ENABLED=Yes\nCLAMPMSS=No\n";
static const char fuzz_canned_zones[] =
	"#ZONE\tTYPE\t\tOPTIONS\n"
	"fw\tfirewall\n"
	"vpn\tipsec\t\tmode=tunnel\n"
	"net\tipv4\n"
	"loc\tipv4\n";
static const char fuzz_canned_interfaces[] =
	"?FORMAT 2\n"
	"#ZONE\tINTERFACE\tOPTIONS\n"
	"net\teth0\t\trouteback,tcpflags\n"
	"loc\teth1\t\t-\n";
static const char fuzz_canned_hosts[] =
	"#ZONE\tHOSTS\t\t\tOPTIONS\n"
	"vpn\teth0:10.0.0.0/8\n";

struct fuzz_ctx {
	struct diag d;
	struct compile c;
};

static void fuzz_feed(struct fuzz_ctx *x, const char *name, int (*parse)(struct compile *, struct source *),
		      const char *text, size_t len, bool expand)
{
	struct source s;
	source_open_mem(&s, &x->c, name, arena_printf(x->c.arena, "%s/%s", FUZZ_DIR, name), text, len);
	s.expand = expand;
	parse(&x->c, &s);
	source_close(&s);
}

/* A canned file that no longer parses cleanly means a parser changed, not that the input is
 * interesting: say so once, and keep fuzzing with whatever the graph holds. */
static void fuzz_check_canned(struct fuzz_ctx *x, enum fuzz_context ctx)
{
	static bool told;
	const struct graph *g = x->c.graph;
	bool short_graph = (ctx >= FUZZ_ZONES && g->zones.n != 4) || (ctx >= FUZZ_IFACES && g->ifaces.n != 2) ||
			   (ctx >= FUZZ_HOSTS && g->hosts.n != 3);
	if ((x->d.errors == 0 && !short_graph) || told)
		return;
	told = true;
	fprintf(stderr, "fuzz: the canned context has %u error(s), %zu zones, %zu interfaces, %zu hosts; "
		"fix tests/fuzz/fuzz_common.h:\n", x->d.errors, g->zones.n, g->ifaces.n, g->hosts.n);
	x->d.out = stderr;
	diag_flush(&x->d);
	x->d.out = NULL;
}

static void fuzz_begin(struct fuzz_ctx *x, enum fuzz_context ctx)
{
	diag_init(&x->d);
	compile_init(&x->c, &x->d, FUZZ_DIR);
	x->c.graph = graph_new(&x->c);
	/* A few parameters, so $VAR and ${VAR} in the input can expand. */
	compile_set_param(&x->c, "NET_IF", "eth0", NULL);
	compile_set_param(&x->c, "LOC_NET", "192.168.1.0/24", NULL);
	compile_set_param(&x->c, "GW", "134.28.54.2", NULL);
	if (ctx >= FUZZ_CONF)
		fuzz_feed(x, "shorewall.conf", parse_conf, fuzz_canned_conf, sizeof(fuzz_canned_conf) - 1, true);
	if (ctx >= FUZZ_ZONES)
		fuzz_feed(x, "zones", parse_zones, fuzz_canned_zones, sizeof(fuzz_canned_zones) - 1, true);
	if (ctx >= FUZZ_IFACES)
		fuzz_feed(x, "interfaces", parse_interfaces, fuzz_canned_interfaces,
			  sizeof(fuzz_canned_interfaces) - 1, true);
	if (ctx >= FUZZ_HOSTS)
		fuzz_feed(x, "hosts", parse_hosts, fuzz_canned_hosts, sizeof(fuzz_canned_hosts) - 1, true);
	fuzz_check_canned(x, ctx);
}

/* Render every message (the formatting is code under test too), then free everything. */
static void fuzz_end(struct fuzz_ctx *x)
{
	char buf[512];
	for (const struct diag_msg *m = x->d.head; m; m = m->next)
		diag_format(m, buf, sizeof(buf));
	compile_fini(&x->c);
	diag_fini(&x->d);
}

/* One input through one parser, then the cross-file checks that follow it in config_load. */
static __attribute__((unused)) int fuzz_parser(const uint8_t *data, size_t size, const char *name,
		       int (*parse)(struct compile *, struct source *), enum fuzz_context ctx, bool expand)
{
	struct fuzz_ctx x;
	fuzz_begin(&x, ctx);
	struct source s;
	source_open_mem(&s, &x.c, name, arena_printf(x.c.arena, "%s/%s", FUZZ_DIR, name),
			(const char *)data, size);
	s.expand = expand;
	parse(&x.c, &s);
	source_close(&s);
	if (ctx >= FUZZ_ZONES || parse == parse_zones)
		graph_finish(&x.c);
	if (parse == parse_policy)
		policy_finish(&x.c, &s);
	fuzz_end(&x);
	return 0;
}

#endif /* SHOREWALL_FUZZ_COMMON_H */
