/* cmd_compile.c — `shorewall compile [-v] [DIR] [FILE|-]`: configuration → iptables-restore text. */
#include "commands.h"

#include "build.h"
#include "compile.h"
#include "emit.h"
#include "exitcodes.h"
#include "parsers.h"

#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The whole text is rendered into memory first, so that nothing at all is written when the
 * ruleset cannot be emitted, and a file is replaced atomically (temp file in the same directory,
 * then rename) so that a reader never sees half a ruleset. The file is mode 0600 (mkstemp's):
 * a ruleset tells much about a network. */
static int write_out(const char *path, const char *text, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "ERROR: cannot write the ruleset to standard output: %s\n", strerror(errno));
			return SW_EXIT_SYSTEM;
		}
		return SW_EXIT_OK;
	}
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		abort();
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", path, strerror(errno));
		free(tmp);
		return SW_EXIT_SYSTEM;
	}
	FILE *f = fdopen(fd, "w");
	bool ok = f && fwrite(text, 1, len, f) == len && fflush(f) == 0 && fsync(fd) == 0;
	int err = errno;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, path) != 0) {
		err = errno;
		ok = false;
	}
	if (!ok) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", path, strerror(err));
		unlink(tmp);
		free(tmp);
		return SW_EXIT_SYSTEM;
	}
	free(tmp);
	return SW_EXIT_OK;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned verbose = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+v", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose++;
			break;
		default:
			return SW_EXIT_USAGE;
		}
	}
	if (argc - optind > 2) {
		fprintf(stderr, "usage: shorewall compile [-v] [DIR] [FILE|-]\n");
		return SW_EXIT_USAGE;
	}
	const char *dir = optind < argc ? argv[optind] : SYSCONFDIR "/shorewall";
	const char *out = optind + 1 < argc ? argv[optind + 1] : "-";

	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, dir);
	c.verbose = verbose;
	config_load(&c);
	struct ruleset *rs = d.errors ? NULL : build_ruleset(&c);
	int status = SW_EXIT_OK;
	char *text = NULL;
	size_t len = 0;
	if (rs) {
		FILE *mem = open_memstream(&text, &len);
		if (!mem || emit_restore(rs, mem) != 0) {
			fprintf(stderr, "ERROR: cannot render the ruleset: %s\n", strerror(errno));
			status = SW_EXIT_SYSTEM;
		}
		if (mem && fclose(mem) != 0)
			status = SW_EXIT_SYSTEM;
	}
	diag_flush(&d);
	if (d.errors) {
		status = SW_EXIT_CONFIG;
		fprintf(stderr, "Configuration in %s has %u error%s; nothing written\n", dir, d.errors,
			d.errors == 1 ? "" : "s");
	} else if (status == SW_EXIT_OK) {
		status = write_out(out, text, len);
		if (verbose && status == SW_EXIT_OK)
			fprintf(stderr, "Compiled %s: %zu rules into %s\n", dir, rs->nrules,
				strcmp(out, "-") == 0 ? "standard output" : out);
	}
	free(text);
	compile_fini(&c);
	diag_fini(&d);
	return status;
}
