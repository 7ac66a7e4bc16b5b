/* cmd_try.c — `shorewall try DIR [TIMEOUT]` and `safe-start|safe-restart|safe-reload`: apply, then undo unless kept.
 *
 * Both save the kernel's ruleset as it is (VARDIR/.try, VARDIR/.safe), reload (or start) the new
 * configuration, and later put the saved ruleset back: `try` when TIMEOUT runs out, `safe-*` unless
 * the admin answers `y` within the timeout (60 s). The saved ruleset is whatever ran before, running,
 * stopped or empty: where 5.2.8 clears a firewall that was not running, we put the box back as it
 * was, and the state file with it. Built on the commands themselves (cmd_reload, cmd_restore), so
 * each step has their locking, test-first and rollback. */
#include "commands.h"

#include "apply.h"
#include "diag.h"
#include "exitcodes.h"
#include "state.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRY_DEFAULT_SAFE_TIMEOUT 60

/* "30", "30s", "5m", "1h" → seconds; false for anything else. */
static bool parse_timeout(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || errno || !isdigit((unsigned char)*s))
		return false;
	unsigned long mult = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mult = 60, end++;
	else if (*end == 'h')
		mult = 3600, end++;
	if (*end || v == 0 || v > 86400 * 7 / mult)
		return false;
	*out = (unsigned)(v * mult);
	return true;
}

/* Run another command's entry point with these arguments (NULL-terminated). */
static int run_cmd(int (*cmd)(int, char **), const char *const *args)
{
	int argc = 0;
	while (args[argc])
		argc++;
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));
	if (!argv)
		abort();
	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	int rc = cmd(argc, argv);
	free(argv);
	return rc;
}

/* What to put back later: the kernel's ruleset now and the state file now. */
struct saved {
	char *path;                 /* VARDIR/.try or .safe */
	char *state_text;           /* NULL: there was no state file */
};

static int save_current(const char *vardir, const char *name, struct saved *sv)
{
	struct state st;
	state_read(vardir, &st);
	enum apply_backend b;
	if (!st.backend[0] || !apply_backend_parse(st.backend, &b))
		b = apply_detect(BACKEND_AUTO);
	struct diag d;
	diag_init(&d);
	char *text = apply_kernel_save(b, false, &d);
	diag_flush(&d);
	diag_fini(&d);
	if (!text)
		return -1;
	sv->path = state_path(vardir, name);
	int rc = state_write_file(sv->path, text, strlen(text));
	if (rc != 0)
		fprintf(stderr, "ERROR: cannot write %s: %s\n", sv->path, strerror(errno));
	free(text);
	char *sp = state_path(vardir, "state");
	sv->state_text = state_read_file(sp, NULL);
	free(sp);
	return rc;
}

static int put_back(const char *vardir, struct saved *sv)
{
	const char *const args[] = { "restore", "--vardir", vardir, sv->path, NULL };
	int rc = run_cmd(cmd_restore, args);
	if (rc == SW_EXIT_OK) {
		char *sp = state_path(vardir, "state");
		if (sv->state_text)
			state_write_file(sp, sv->state_text, strlen(sv->state_text));
		else
			unlink(sp);
		free(sp);
	}
	return rc;
}

static void saved_fini(struct saved *sv)
{
	free(sv->path);
	free(sv->state_text);
}

static void sleep_seconds(unsigned s)
{
	struct timespec ts = { (time_t)s, 0 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int cmd_try(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "vardir", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vopt = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt != 'V')
			return SW_EXIT_USAGE;
		vopt = optarg;
	}
	unsigned timeout = 0;
	int npos = argc - optind;
	if (npos < 1 || npos > 2 || (npos == 2 && !parse_timeout(argv[optind + 1], &timeout))) {
		fprintf(stderr, "usage: shorewall try [--vardir D] DIR [TIMEOUT[s|m|h]]\n");
		return SW_EXIT_USAGE;
	}
	const char *dir = argv[optind];
	const char *vardir = state_vardir(vopt);
	if (state_mkdir(vardir) != 0) {
		fprintf(stderr, "ERROR: cannot create %s: %s\n", vardir, strerror(errno));
		return SW_EXIT_SYSTEM;
	}
	struct saved sv = { 0 };
	if (save_current(vardir, ".try", &sv) != 0) {
		saved_fini(&sv);
		return SW_EXIT_SYSTEM;
	}
	const char *const reload[] = { "reload", "--vardir", vardir, dir, NULL };
	int rc = run_cmd(cmd_reload, reload);
	if (rc == SW_EXIT_OK && timeout) {
		printf("Trying %s for %u second%s\n", dir, timeout, timeout == 1 ? "" : "s");
		fflush(stdout);
		sleep_seconds(timeout);
		rc = put_back(vardir, &sv);
	}
	saved_fini(&sv);
	return rc;
}

/* y within timeout seconds on stdin? EOF, anything else or silence is "no". */
static bool ask(unsigned timeout)
{
	printf("Do you want to accept the new firewall configuration? [y/n] ");
	fflush(stdout);
	struct pollfd p = { 0, POLLIN, 0 };
	int n = poll(&p, 1, (int)timeout * 1000);
	char line[64] = "";
	if (n > 0 && !fgets(line, sizeof(line), stdin))
		line[0] = '\0';
	if (n <= 0)
		printf("\n");
	return line[0] == 'y' || line[0] == 'Y';
}

static int safe(int argc, char **argv, int (*cmd)(int, char **), const char *name)
{
	static const struct option longopts[] = {
		{ "vardir", required_argument, NULL, 'V' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vopt = NULL;
	unsigned timeout = TRY_DEFAULT_SAFE_TIMEOUT;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:", longopts, NULL)) != -1) {
		if (opt == 'V') {
			vopt = optarg;
		} else if (opt == 't' && parse_timeout(optarg, &timeout)) {
			continue;
		} else {
			fprintf(stderr, "usage: shorewall %s [-t TIMEOUT] [--vardir D] [DIR]\n", name);
			return SW_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "usage: shorewall %s [-t TIMEOUT] [--vardir D] [DIR]\n", name);
		return SW_EXIT_USAGE;
	}
	const char *vardir = state_vardir(vopt);
	if (state_mkdir(vardir) != 0) {
		fprintf(stderr, "ERROR: cannot create %s: %s\n", vardir, strerror(errno));
		return SW_EXIT_SYSTEM;
	}
	struct saved sv = { 0 };
	if (save_current(vardir, ".safe", &sv) != 0) {
		saved_fini(&sv);
		return SW_EXIT_SYSTEM;
	}
	const char *args[] = { name + 5, "--vardir", vardir, optind < argc ? argv[optind] : NULL, NULL };
	int rc = run_cmd(cmd, args);
	if (rc == SW_EXIT_OK) {
		if (ask(timeout)) {
			printf("New configuration has been accepted\n");
		} else {
			printf("Restoring the previous configuration\n");
			fflush(stdout);
			rc = put_back(vardir, &sv);
		}
	}
	saved_fini(&sv);
	return rc;
}

int cmd_safe_start(int argc, char **argv)
{
	return safe(argc, argv, cmd_start, "safe-start");
}

int cmd_safe_restart(int argc, char **argv)
{
	return safe(argc, argv, cmd_restart, "safe-restart");
}

int cmd_safe_reload(int argc, char **argv)
{
	return safe(argc, argv, cmd_reload, "safe-reload");
}
