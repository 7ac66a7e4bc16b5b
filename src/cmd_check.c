/* cmd_check.c — `shorewall check [-v] [--yaml] [DIR]`: read and compile everything, report every problem, touch nothing. */
#include "commands.h"

#include "build.h"
#include "compile.h"
#include "exitcodes.h"
#include "graph_dump.h"
#include "parsers.h"

#include <getopt.h>
#include <stdio.h>

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "yaml", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned verbose = 0;
	int yaml = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+vy", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose++;
			break;
		case 'y':
			yaml = 1;
			break;
		default:
			return SW_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "usage: shorewall check [-v] [--yaml] [DIR]\n");
		return SW_EXIT_USAGE;
	}
	const char *dir = optind < argc ? argv[optind] : SYSCONFDIR "/shorewall";

	struct diag d;
	struct compile c;
	config_read(&c, &d, dir, verbose);
	/* A dry run is the whole compile minus the output: what only the IR builder can see (an
	 * action or a macro it cannot expand, a DNAT with nothing to translate to) is a
	 * configuration error too, and must not wait for `start` to surface. */
	if (!d.errors)
		(void)build_ruleset(&c);
	unsigned errors = d.errors;
	diag_flush(&d);
	/* With --yaml, stdout carries only the YAML document, so a tool can parse it as is; the
	 * summary then goes to stderr with the diagnostics. */
	if (verbose)
		graph_print_summary(&c, yaml ? stderr : stdout);
	if (yaml && graph_dump_yaml(&c, stdout) != 0)
		errors++;
	if (verbose || !errors)
		fprintf(stderr, errors ? "Configuration in %s has %u error%s\n" : "Configuration in %s is valid\n",
			dir, errors, errors == 1 ? "" : "s");
	compile_fini(&c);
	diag_fini(&d);
	return errors ? SW_EXIT_CONFIG : SW_EXIT_OK;
}
