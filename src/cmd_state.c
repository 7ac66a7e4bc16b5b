/* cmd_state.c — `shorewall status|show|save|restore`: read the kernel and VARDIR, never a log file. */
#include "commands.h"

#include "apply.h"
#include "compile.h"
#include "diag.h"
#include "exitcodes.h"
#include "parsers.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --vardir DIR [-v]; positional arguments are left at argv[optind..]. */
static int parse_common(int argc, char **argv, const char **vardir, unsigned *verbose)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "vardir", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *v = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			if (verbose)
				(*verbose)++;
			break;
		case 'V':
			v = optarg;
			break;
		default:
			return -1;
		}
	}
	*vardir = state_vardir(v);
	return 0;
}

static enum apply_backend backend_of(const struct state *st)
{
	enum apply_backend b;
	if (st->backend[0] && apply_backend_parse(st->backend, &b))
		return b;
	return apply_detect(BACKEND_AUTO);
}

static void format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!t || !localtime_r(&t, &tm) || !strftime(buf, len, "%a %b %e %H:%M:%S %Z %Y", &tm))
		snprintf(buf, len, "an unknown time");
}

/* ---- status ----------------------------------------------------------------------------------- */

/* The digest recorded at start, and whether the configuration directory still reads the same:
 * an admin who edited files but forgot to reload sees it here. */
static void print_digest(const struct state *st)
{
	struct diag d;
	struct compile c;
	config_read(&c, &d, st->dir, 0);
	const char **paths = calloc(c.files.n + 1, sizeof(*paths));
	if (!paths)
		abort();
	for (size_t i = 0; i < c.files.n; i++)
		paths[i] = c.files.v[i]->path;
	char now[17];
	state_digest_files(paths, c.files.n, now);
	free(paths);
	printf("Configuration digest: %s (%s)\n", st->digest,
	       strcmp(now, st->digest) == 0 ? "unchanged since then" : "the files in that directory have changed since");
	compile_fini(&c);
	diag_fini(&d);
}

int cmd_status(int argc, char **argv)
{
	const char *vardir;
	unsigned verbose = 0;
	if (parse_common(argc, argv, &vardir, &verbose) != 0 || optind != argc) {
		fprintf(stderr, "usage: shorewall status [-v] [--vardir DIR]\n");
		return SW_EXIT_USAGE;
	}
	struct state st;
	bool have_state = state_read(vardir, &st) == 0;
	enum apply_backend b = backend_of(&st);
	struct diag d;
	diag_init(&d);
	char *save = apply_kernel_save(b, false, &d);
	bool running = save && apply_save_has_chain(save, "filter", "shorewall");
	free(save);
	char when[64];
	format_time(st.when, when, sizeof(when));
	int status;
	if (running) {
		printf("Shorewall is running\n");
		status = SW_EXIT_OK;
	} else if (have_state && (st.kind == STATE_STOPPED || st.kind == STATE_CLEARED)) {
		printf("Shorewall is %s\n", st.kind == STATE_STOPPED ? "stopped" : "cleared");
		status = SW_EXIT_STOPPED;
	} else {
		printf("Shorewall is not running (state unknown)\n");
		status = SW_EXIT_UNKNOWN;
	}
	if (have_state) {
		printf("State:%s (%s)", state_kind_name(st.kind), when);
		if (st.kind == STATE_RESTORED && st.from[0])
			printf(" from %s", st.from);
		else if (st.dir[0])
			printf(" from %s", st.dir);
		printf(" via the %s backend\n", st.backend[0] ? st.backend : apply_backend_name(b));
		if (verbose && st.digest[0] && st.dir[0])
			print_digest(&st);
	}
	if (!running && d.errors && verbose)
		diag_flush(&d);
	diag_fini(&d);
	return status;
}

/* ---- show ------------------------------------------------------------------------------------- */

static int print_file(const char *vardir, const char *name)
{
	char *path = state_path(vardir, name);
	char *text = state_read_file(path, NULL);
	if (!text) {
		fprintf(stderr, "ERROR: %s: %s (has the firewall been started?)\n", path, strerror(errno));
		free(path);
		return SW_EXIT_SYSTEM;
	}
	fputs(text, stdout);
	free(text);
	free(path);
	return SW_EXIT_OK;
}

/* iptables -t TABLE -L [CHAIN] -n -v of the backend the firewall runs on. */
static int list_table(enum apply_backend b, const char *table, const char *chain)
{
	const char *prog = b == APPLY_NFT ? "iptables-nft" : "iptables-legacy";
	const char *argv[8];
	size_t n = 0;
	argv[n++] = prog;
	argv[n++] = "-t";
	argv[n++] = table;
	argv[n++] = "-L";
	if (chain)
		argv[n++] = chain;
	argv[n++] = "-n";
	argv[n++] = "-v";
	argv[n] = NULL;
	char *out = NULL, *err = NULL;
	int rc = apply_run(argv, NULL, 0, &out, NULL, &err);
	if (out)
		fputs(out, stdout);
	if (rc != 0)
		fprintf(stderr, "ERROR: %s -t %s -L%s%s failed (%s)\n", prog, table, chain ? " " : "",
			chain ? chain : "", err && *err ? strtok(err, "\n") : "cannot be run");
	free(out);
	free(err);
	return rc == 0 ? SW_EXIT_OK : SW_EXIT_SYSTEM;
}

static int show_connections(void)
{
	char *text = state_read_file("/proc/net/nf_conntrack", NULL);
	if (text) {
		fputs(text, stdout);
		free(text);
		return SW_EXIT_OK;
	}
	const char *const argv[] = { "conntrack", "-L", NULL };
	char *out = NULL, *err = NULL;
	int rc = apply_run(argv, NULL, 0, &out, NULL, &err);
	if (rc == 0)
		fputs(out, stdout);
	else
		fprintf(stderr, "ERROR: cannot list connections: no /proc/net/nf_conntrack and %s\n",
			rc == 127 ? "no conntrack program" : "conntrack -L failed");
	free(out);
	free(err);
	return rc == 0 ? SW_EXIT_OK : SW_EXIT_SYSTEM;
}

int cmd_show(int argc, char **argv)
{
	const char *vardir;
	if (parse_common(argc, argv, &vardir, NULL) != 0) {
		fprintf(stderr, "usage: shorewall show [--vardir DIR] [zones|policies|nat|mangle|raw|connections|CHAIN…]\n");
		return SW_EXIT_USAGE;
	}
	struct state st;
	state_read(vardir, &st);
	enum apply_backend b = backend_of(&st);
	if (optind == argc)
		return list_table(b, "filter", NULL);
	const char *what = argv[optind];
	if (optind + 1 == argc) {
		if (strcmp(what, "zones") == 0)
			return print_file(vardir, "zones");
		if (strcmp(what, "policies") == 0)
			return print_file(vardir, "policies");
		if (strcmp(what, "connections") == 0)
			return show_connections();
		if (strcmp(what, "nat") == 0 || strcmp(what, "mangle") == 0 || strcmp(what, "raw") == 0 ||
		    strcmp(what, "filter") == 0)
			return list_table(b, what, NULL);
	}
	/* one or more filter chains */
	int status = SW_EXIT_OK;
	for (int i = optind; i < argc; i++)
		if (list_table(b, "filter", argv[i]) != SW_EXIT_OK)
			status = SW_EXIT_SYSTEM;
	return status;
}

/* ---- save / restore --------------------------------------------------------------------------- */

/* save and restore share their command line: [--vardir DIR] [FILE], FILE defaulting to the saved
 * ruleset in VARDIR. Returns the malloc'd path, or NULL with *status set. */
static char *saved_ruleset_path(int argc, char **argv, const char *cmd, const char **vardir, int *status)
{
	if (parse_common(argc, argv, vardir, NULL) != 0 || argc - optind > 1) {
		fprintf(stderr, "usage: shorewall %s [--vardir DIR] [FILE]\n", cmd);
		*status = SW_EXIT_USAGE;
		return NULL;
	}
	if (state_mkdir(*vardir) != 0) {
		fprintf(stderr, "ERROR: cannot create %s: %s\n", *vardir, strerror(errno));
		*status = SW_EXIT_SYSTEM;
		return NULL;
	}
	return optind < argc ? strdup(argv[optind]) : state_path(*vardir, STATE_SAVE_FILE);
}

int cmd_save(int argc, char **argv)
{
	const char *vardir;
	int status = SW_EXIT_OK;
	char *path = saved_ruleset_path(argc, argv, "save", &vardir, &status);
	if (!path)
		return status;
	struct state st;
	state_read(vardir, &st);
	enum apply_backend b = backend_of(&st);
	struct diag d;
	diag_init(&d);
	char *text = apply_kernel_save(b, false, &d);
	if (!text) {
		diag_flush(&d);
		status = SW_EXIT_SYSTEM;
	} else if (state_write_file(path, text, strlen(text)) != 0) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", path, strerror(errno));
		status = SW_EXIT_SYSTEM;
	} else {
		printf("Currently-running configuration saved to %s\n", path);
	}
	free(text);
	free(path);
	diag_fini(&d);
	return status;
}

int cmd_restore(int argc, char **argv)
{
	const char *vardir;
	int status = SW_EXIT_OK;
	char *path = saved_ruleset_path(argc, argv, "restore", &vardir, &status);
	if (!path)
		return status;
	size_t len = 0;
	char *text = state_read_file(path, &len);
	if (!text) {
		fprintf(stderr, "ERROR: cannot read %s: %s\n", path, strerror(errno));
		free(path);
		return SW_EXIT_SYSTEM;
	}
	int lock = state_lock(vardir);
	struct state st;
	state_read(vardir, &st);
	enum apply_backend b = backend_of(&st);
	struct diag d;
	diag_init(&d);
	if (apply_text(b, text, len, NULL, &d, false) != 0) {
		diag_flush(&d);
		fprintf(stderr, "ERROR: Shorewall restore failed; the previous ruleset is in place\n");
		status = SW_EXIT_SYSTEM;
	} else {
		diag_flush(&d);
		char *abs = realpath(path, NULL);
		struct state nst = { .kind = STATE_RESTORED, .when = time(NULL) };
		snprintf(nst.from, sizeof(nst.from), "%s", abs ? abs : path);
		snprintf(nst.dir, sizeof(nst.dir), "%s", st.dir);
		snprintf(nst.digest, sizeof(nst.digest), "%s", st.digest);
		snprintf(nst.backend, sizeof(nst.backend), "%s", apply_backend_name(b));
		free(abs);
		if (state_write(vardir, &nst) != 0)
			fprintf(stderr, "WARNING: cannot write the state file in %s: %s\n", vardir, strerror(errno));
		printf("Shorewall restored from %s\n", nst.from);
	}
	state_unlock(lock);
	diag_fini(&d);
	free(text);
	free(path);
	return status;
}
