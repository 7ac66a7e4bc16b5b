/* cmd_ipsec_policy.c — `shorewall ipsec-policy [DIR] [--format F] [--local NETS] [--local-gw ADDR]`:
 * the IPsec security policies the configuration implies, as setkey, ip xfrm or swanctl text. */
#include "commands.h"

#include "compile.h"
#include "exitcodes.h"
#include "parsers.h"
#include "spd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
	"usage: shorewall ipsec-policy [DIR] [--format setkey|ip-xfrm|swanctl] [--local NETS] [--local-gw ADDR]\n";

int cmd_ipsec_policy(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "local", required_argument, NULL, 'l' },
		{ "local-gw", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "setkey", *local = NULL, *local_gw = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			format = optarg;
			break;
		case 'l':
			local = optarg;
			break;
		case 'g':
			local_gw = optarg;
			break;
		default:
			fputs(usage, stderr);
			return SW_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fputs(usage, stderr);
		return SW_EXIT_USAGE;
	}
	spd_format_fn print = spd_format_find(format);
	if (!print) {
		fprintf(stderr, "shorewall ipsec-policy: unknown format (%s): setkey, ip-xfrm or swanctl\n", format);
		return SW_EXIT_USAGE;
	}
	const char *dir = optind < argc ? argv[optind] : SYSCONFDIR "/shorewall";

	struct diag d;
	struct compile c;
	config_read(&c, &d, dir, 0);
	struct spd_options o = { .need_local_gw = print != spd_print_swanctl };
	int status = SW_EXIT_OK;
	const char *bad = NULL;
	if (local && (!addr_parse_list(c.arena, local, &o.local, false, &bad) || !o.local.items)) {
		fprintf(stderr, "shorewall ipsec-policy: invalid --local network (%s)\n", bad ? bad : local);
		status = SW_EXIT_USAGE;
	}
	o.have_local = local != NULL;
	if (local_gw && !addr_parse_ip4(local_gw, &o.local_gw)) {
		fprintf(stderr, "shorewall ipsec-policy: invalid --local-gw address (%s)\n", local_gw);
		status = SW_EXIT_USAGE;
	}
	o.have_local_gw = local_gw != NULL;

	/* The text is built in memory and written only when complete: nothing half-derived. */
	char *text = NULL;
	size_t len = 0;
	if (status == SW_EXIT_OK && d.errors == 0) {
		struct spd spd;
		if (spd_derive(&c, &o, &spd) == 0) {
			FILE *m = open_memstream(&text, &len);
			if (!m)
				abort();
			print(&c, &spd, m);
			fclose(m);
		}
	}
	if (status == SW_EXIT_OK && d.errors)
		status = SW_EXIT_CONFIG;
	diag_flush(&d);
	if (status == SW_EXIT_OK && text && (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)) {
		perror("shorewall ipsec-policy: stdout");
		status = SW_EXIT_SYSTEM;
	}
	free(text);
	compile_fini(&c);
	diag_fini(&d);
	return status;
}
