/* cmd_explain.c — `shorewall explain [DIR] SRC DST PROTO[/PORT] …`: one packet's fate, offline. */
#include "commands.h"

#include "build.h"
#include "compile.h"
#include "exitcodes.h"
#include "explain.h"
#include "parsers.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: shorewall explain [-v] [DIR] SRC DST PROTO[/PORT] [--in IFACE] [--out IFACE]\n"
	"         [--ipsec[=OPTIONS]] [--ipsec-out[=OPTIONS]] [--state new|established] [--sport N]\n"
	"         [--fw-addr IFACE=ADDR/LEN]... [--route NET=IFACE]... [--yaml]\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return SW_EXIT_USAGE;
}

/* "IFACE=ADDR/LEN" */
static bool parse_fw_addr(struct explain *e, const char *s)
{
	const char *eq = strchr(s, '=');
	struct net4 n;
	if (!eq || eq == s || !addr_parse_net(eq + 1, &n))
		return false;
	struct xp_fwaddr f = { arena_strndup(e->a, s, (size_t)(eq - s)), n, n.addr };
	if (!strchr(eq + 1, '/'))
		f.net.len = 32;
	vec_push(e->a, &e->req.fwaddrs, f);
	/* its subnet is a connected route */
	struct xp_route r = { f.net, f.iface, arena_printf(e->a, "connected to %s", f.iface) };
	vec_push(e->a, &e->req.routes, r);
	return true;
}

/* "NET=IFACE" */
static bool parse_route(struct explain *e, const char *s)
{
	const char *eq = strchr(s, '=');
	struct xp_route r;
	if (!eq || !eq[1])
		return false;
	char *net = arena_strndup(e->a, s, (size_t)(eq - s));
	if (strcmp(net, "default") == 0)
		r.net = (struct net4){ 0, 0 };
	else if (!addr_parse_net(net, &r.net))
		return false;
	r.iface = arena_strdup(e->a, eq + 1);
	r.why = arena_printf(e->a, "--route %s", s);
	vec_push(e->a, &e->req.routes, r);
	return true;
}

int cmd_explain(int argc, char **argv)
{
	enum { O_IN = 256, O_OUT, O_IPSEC, O_IPSEC_OUT, O_STATE, O_YAML, O_SPORT, O_FWADDR, O_ROUTE };
	static const struct option longopts[] = {
		{ "fw-addr", required_argument, NULL, O_FWADDR },
		{ "in", required_argument, NULL, O_IN },
		{ "ipsec", optional_argument, NULL, O_IPSEC },
		{ "ipsec-out", optional_argument, NULL, O_IPSEC_OUT },
		{ "out", required_argument, NULL, O_OUT },
		{ "route", required_argument, NULL, O_ROUTE },
		{ "sport", required_argument, NULL, O_SPORT },
		{ "state", required_argument, NULL, O_STATE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "yaml", no_argument, NULL, O_YAML },
		{ NULL, 0, NULL, 0 },
	};
	/* Options are collected first (the arena exists only once the configuration is read). */
	const char *in = NULL, *out = NULL, *ipsec_in = NULL, *ipsec_out = NULL;
	bool ipsec_in_given = false, ipsec_out_given = false, established = false, yaml = false, verbose = false;
	long sport = -1;
	const char **fwaddrs = calloc((size_t)argc + 1, sizeof(*fwaddrs));
	const char **routes = calloc((size_t)argc + 1, sizeof(*routes));
	size_t nfw = 0, nroutes = 0;
	int opt, status = SW_EXIT_OK;
	if (!fwaddrs || !routes)
		abort();
	optind = 1;
	while ((opt = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case O_IN: in = optarg; break;
		case O_OUT: out = optarg; break;
		case O_IPSEC: ipsec_in = optarg ? optarg : ""; ipsec_in_given = true; break;
		case O_IPSEC_OUT: ipsec_out = optarg ? optarg : ""; ipsec_out_given = true; break;
		case O_YAML: yaml = true; break;
		case 'v': verbose = true; break;
		case O_FWADDR: fwaddrs[nfw++] = optarg; break;
		case O_ROUTE: routes[nroutes++] = optarg; break;
		case O_STATE: {
			unsigned st = 0;
			if (xp_state_parse(optarg, &st)) {
				established = st == IR_CT_ESTABLISHED;
			} else {
				fprintf(stderr, "shorewall explain: --state is new or established (%s)\n", optarg);
				status = SW_EXIT_USAGE;
			}
			break;
		}
		case O_SPORT:
			sport = strtol(optarg, &end, 10);
			if (*end || sport < 1 || sport > 65535) {
				fprintf(stderr, "shorewall explain: --sport takes a port 1-65535 (%s)\n", optarg);
				status = SW_EXIT_USAGE;
			}
			break;
		default:
			status = SW_EXIT_USAGE;
		}
	}
	int npos = argc - optind;
	if (status == SW_EXIT_OK && npos != 3 && npos != 4)
		status = usage();
	if (status != SW_EXIT_OK) {
		free(fwaddrs);
		free(routes);
		return status;
	}
	const char *dir = npos == 4 ? argv[optind++] : SYSCONFDIR "/shorewall";

	struct diag d;
	struct compile c;
	config_read(&c, &d, dir, 0);
	struct ruleset *rs = d.errors ? NULL : build_ruleset(&c);
	diag_flush(&d);
	if (d.errors || !rs) {
		fprintf(stderr, "Configuration in %s has %u error%s\n", dir, d.errors, d.errors == 1 ? "" : "s");
		status = SW_EXIT_CONFIG;
		goto done;
	}
	struct explain e = { .c = &c, .rs = rs, .a = c.arena };
	e.req.src = argv[optind];
	e.req.dst = argv[optind + 1];
	e.req.proto = argv[optind + 2];
	e.req.in = in;
	e.req.out = out;
	e.req.ipsec_in = ipsec_in;
	e.req.ipsec_out = ipsec_out;
	e.req.ipsec_in_given = ipsec_in_given;
	e.req.ipsec_out_given = ipsec_out_given;
	e.req.established = established;
	e.req.verbose = verbose;
	e.req.sport = sport;
	for (size_t i = 0; i < nfw && status == SW_EXIT_OK; i++)
		if (!parse_fw_addr(&e, fwaddrs[i])) {
			fprintf(stderr, "shorewall explain: --fw-addr takes IFACE=ADDR/LEN (%s)\n", fwaddrs[i]);
			status = SW_EXIT_USAGE;
		}
	for (size_t i = 0; i < nroutes && status == SW_EXIT_OK; i++)
		if (!parse_route(&e, routes[i])) {
			fprintf(stderr, "shorewall explain: --route takes NET=IFACE (%s)\n", routes[i]);
			status = SW_EXIT_USAGE;
		}
	if (status != SW_EXIT_OK)
		goto done;
	if (!xp_resolve(&e)) {
		status = SW_EXIT_USAGE;
		goto done;
	}
	xp_walk(&e);
	if (e.failed) {
		if (e.steps.n >= 200000)
			fprintf(stderr, "shorewall explain: the walk does not end (a loop in the ruleset?)\n");
		status = SW_EXIT_USAGE;
		goto done;
	}
	if (yaml ? xp_print_yaml(&e, stdout) != 0 : (xp_print(&e, stdout), false))
		status = SW_EXIT_SYSTEM;
	if (fflush(stdout) != 0)
		status = SW_EXIT_SYSTEM;
done:
	compile_fini(&c);
	diag_fini(&d);
	free(fwaddrs);
	free(routes);
	return status;
}
