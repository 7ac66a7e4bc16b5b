/* cmd_apply.c — `shorewall start|restart|reload|stop|clear`: compile, then change the kernel in one step.
 *
 * start   = compile + modules + apply + /proc/sys + state Started ("already running" is success, as
 *           in 5.2.8: a boot script may call start twice).
 * restart = reload: the new ruleset replaces the running one in one transaction; the firewall never
 *           passes through the stopped state (5.2.8's RESTART=restart did: a real gap).
 * stop    = the stopped ruleset (build/stopped.c); clear = every builtin ACCEPT, every table empty.
 * A configuration error changes nothing (exit 1); a kernel refusal leaves the previous ruleset
 * (exit 5). VARDIR (state.h) is locked for the whole command. */
#include "commands.h"

#include "apply.h"
#include "build.h"
#include "build/stopped.h"
#include "compile.h"
#include "emit.h"
#include "exitcodes.h"
#include "graph.h"
#include "ir.h"
#include "parsers.h"
#include "settings.h"
#include "state.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The chain whose presence says "started", as in Shorewall 5.2.8 (`shorewall status` of either
 * product reads the same kernel the same way). */
#define APPLY_MARKER_CHAIN "shorewall"

enum apply_mode { MODE_START, MODE_RESTART, MODE_RELOAD, MODE_STOP, MODE_CLEAR };

static const char *const mode_names[] = {
	[MODE_START] = "start", [MODE_RESTART] = "restart", [MODE_RELOAD] = "reload",
	[MODE_STOP] = "stop", [MODE_CLEAR] = "clear",
};
static const char *const mode_done[] = {
	[MODE_START] = "started", [MODE_RESTART] = "restarted", [MODE_RELOAD] = "reloaded",
	[MODE_STOP] = "stopped", [MODE_CLEAR] = "cleared",
};

struct cli {
	enum apply_mode mode;
	const char *vardir;
	const char *dir;            /* NULL = not given */
	unsigned verbose;
	bool quiet;
};

/* [-v] [-q] [--vardir DIR] [DIR] (DIR not for clear). */
static int parse_cli(int argc, char **argv, struct cli *o)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "vardir", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vardir = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "vq", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			o->verbose++;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'V':
			vardir = optarg;
			break;
		default:
			return -1;
		}
	}
	int maxpos = o->mode == MODE_CLEAR ? 0 : 1;
	if (argc - optind > maxpos) {
		fprintf(stderr, "usage: shorewall %s [-v] [-q] [--vardir DIR]%s\n", mode_names[o->mode],
			maxpos ? " [DIR]" : "");
		return -1;
	}
	o->dir = optind < argc ? argv[optind] : NULL;
	o->vardir = state_vardir(vardir);
	return 0;
}

/* The backend the running firewall was applied with, else the one this host would use. */
static enum apply_backend recorded_backend(const struct state *st)
{
	enum apply_backend b;
	if (st->backend[0] && apply_backend_parse(st->backend, &b))
		return b;
	return apply_detect(BACKEND_AUTO);
}

/* Is our marker chain in the kernel? Reads quietly: a failure means "not that we can see". */
static bool kernel_running(enum apply_backend b)
{
	struct diag d;
	diag_init(&d);
	char *save = apply_kernel_save(b, false, &d);
	bool running = save && apply_save_has_chain(save, "filter", APPLY_MARKER_CHAIN);
	free(save);
	diag_fini(&d);
	return running;
}

static void fill_state(struct state *st, enum state_kind k, const char *dir, const struct compile *c,
		       enum apply_backend b)
{
	memset(st, 0, sizeof(*st));
	st->kind = k;
	st->when = time(NULL);
	if (dir) {
		char *abs = realpath(dir, NULL);
		snprintf(st->dir, sizeof(st->dir), "%s", abs ? abs : dir);
		free(abs);
	}
	if (c && c->files.n) {
		const char **paths = calloc(c->files.n, sizeof(*paths));
		if (!paths)
			abort();
		for (size_t i = 0; i < c->files.n; i++)
			paths[i] = c->files.v[i]->path;
		state_digest_files(paths, c->files.n, st->digest);
		free(paths);
	}
	snprintf(st->backend, sizeof(st->backend), "%s", apply_backend_name(b));
}

/* VARDIR/zones and VARDIR/policies, read by `show zones` / `show policies` (5.2.8's layout). */
static void write_zone_files(struct compile *c, const struct ruleset *rs, const char *vardir)
{
	struct graph *g = c->graph;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return;
	for (size_t i = 0; i < g->match_order.n; i++) {
		const struct zone *z = g->match_order.v[i];
		fprintf(f, "%s (%s)\n", z->name, zone_type_name(z->type));
		for (size_t h = 0; h < z->hosts.n; h++) {
			const struct host *ho = z->hosts.v[h];
			fprintf(f, "   %s", ho->ifname ? ho->ifname : ho->iface ? ho->iface->name : "-");
			char sep = ':';
			for (const struct addr_item *it = ho->addrs.items; it; it = it->next) {
				char buf[128];
				fprintf(f, "%c%s", sep, addr_item_format(it, buf, sizeof(buf)));
				sep = ',';
			}
			fputc('\n', f);
		}
	}
	if (fclose(f) == 0) {
		char *path = state_path(vardir, "zones");
		state_write_file(path, text, len);
		free(path);
	}
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	if (!f)
		return;
	for (size_t i = 0; i < g->zones.n; i++)
		for (size_t j = 0; j < g->zones.n; j++) {
			const struct zone *s = g->zones.v[i], *d = g->zones.v[j];
			const struct policy_cell *cell = graph_policy(g, s, d);
			if (!cell || (s == d && cell->implicit))
				continue;
			const char *kind = cell->policy ? policy_kind_name(cell->policy->kind) : "ACCEPT";
			const char *name = arena_printf(c->arena, "%s%s%s", s->name,
							c->conf->zone2zone_2 ? "2" : "-", d->name);
			fprintf(f, "%s\t=>\t%s\t%s", s->name, d->name, kind);
			if (ir_chain_find(rs, IR_FILTER, name))
				fprintf(f, " using chain %s", name);
			fputc('\n', f);
		}
	if (fclose(f) == 0) {
		char *path = state_path(vardir, "policies");
		state_write_file(path, text, len);
		free(path);
	}
	free(text);
}

/* A restore text into VARDIR: what was applied, for the admin to read and `iptables-restore` to load. */
static void write_rules_file(const char *vardir, const char *name, const char *text)
{
	if (!text)
		return;
	char *path = state_path(vardir, name);
	if (state_write_file(path, text, strlen(text)) != 0)
		fprintf(stderr, "WARNING: cannot write %s: %s\n", path, strerror(errno));
	free(path);
}

/* start / restart / reload. */
static int run_start(struct cli *o)
{
	struct state old;
	state_read(o->vardir, &old);
	enum apply_backend running_b = recorded_backend(&old);
	bool running = kernel_running(running_b);
	if (o->mode == MODE_START && running) {
		printf("Shorewall is already running\n");
		return SW_EXIT_OK;
	}
	const char *dir = o->dir ? o->dir : SYSCONFDIR "/shorewall";
	struct diag d;
	struct compile c;
	config_read(&c, &d, dir, o->verbose);
	struct ruleset *rs = d.errors ? NULL : build_ruleset(&c);
	struct ruleset *stopped = rs ? build_stopped(&c) : NULL;
	int status = SW_EXIT_OK;
	if (!rs || !stopped || d.errors) {
		diag_flush(&d);
		fprintf(stderr, "ERROR: Shorewall %s failed: the configuration in %s has %u error%s; nothing was changed\n",
			mode_names[o->mode], dir, d.errors, d.errors == 1 ? "" : "s");
		status = SW_EXIT_CONFIG;
		goto out;
	}
	/* the marker: `status` and a second `start` see a started firewall by it */
	ir_chain_get(rs, IR_FILTER, APPLY_MARKER_CHAIN);
	enum apply_backend b = apply_detect(c.conf->backend);
	if (running && b != running_b && !o->quiet)
		printf("Switching from the %s to the %s backend\n", apply_backend_name(running_b),
		       apply_backend_name(b));
	if (!running && o->mode != MODE_START && !o->quiet)
		printf("Shorewall is not running: %s starts it\n", mode_names[o->mode]);
	apply_modules(&c);
	char *text = NULL;
	if (apply_ruleset(&c, rs, b, &text, o->quiet) != 0) {
		free(text);
		diag_flush(&d);
		fprintf(stderr, "ERROR: Shorewall %s failed: the kernel refused the ruleset; the previous ruleset is in place\n",
			mode_names[o->mode]);
		status = SW_EXIT_SYSTEM;
		goto out;
	}
	if (running && b != running_b) {
		/* the other backend's tables would still filter every packet: empty them */
		struct ruleset *cleared = build_cleared(&c);
		char *ctext = NULL;
		if (apply_ruleset(&c, cleared, running_b, &ctext, true) != 0)
			diag_warn(&d, &LOC_NONE, "Cannot clear the %s tables", apply_backend_name(running_b));
		free(ctext);
	}
	apply_sysctls(&c, "/proc/sys");
	write_rules_file(o->vardir, STATE_RULES_FILE, text);
	free(text);
	/* the stopped ruleset of this configuration, for a later `stop` that cannot compile it */
	char *stext = NULL;
	size_t slen = 0;
	FILE *mem = open_memstream(&stext, &slen);
	if (mem && emit_restore(stopped, mem) == 0 && fclose(mem) == 0)
		write_rules_file(o->vardir, "stopped.rules", stext);
	free(stext);
	write_zone_files(&c, rs, o->vardir);
	struct state st;
	fill_state(&st, STATE_STARTED, dir, &c, b);
	if (state_write(o->vardir, &st) != 0)
		diag_warn(&d, &LOC_NONE, "Cannot write the state file in %s (%s)", o->vardir, strerror(errno));
	diag_flush(&d);
	if (!o->quiet)
		printf("Shorewall %s\n", mode_done[o->mode]);
out:
	compile_fini(&c);
	diag_fini(&d);
	return status;
}

/* stop / clear. */
static int run_stop(struct cli *o)
{
	struct state old;
	state_read(o->vardir, &old);
	enum apply_backend b = recorded_backend(&old);
	/* the configuration to read the stopped ruleset from: DIR, else the one started, else the default */
	const char *dir = o->dir ? o->dir : old.dir[0] ? old.dir : SYSCONFDIR "/shorewall";
	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, dir);
	c.verbose = o->verbose;
	struct ruleset *rs = NULL;
	char *stored = NULL;
	if (o->mode == MODE_CLEAR) {
		rs = build_cleared(&c);
	} else {
		config_load(&c);
		if (!d.errors) {
			rs = build_stopped(&c);
			if (!o->dir && !old.backend[0])
				b = apply_detect(c.conf->backend);
		}
		if (!rs && !o->dir) {
			/* a configuration broken since start must not keep the firewall from stopping */
			char *path = state_path(o->vardir, "stopped.rules");
			stored = state_read_file(path, NULL);
			free(path);
		}
		if (!rs && !stored) {
			diag_flush(&d);
			fprintf(stderr, "ERROR: Shorewall stop failed: the configuration in %s has %u error%s; nothing was changed\n",
				dir, d.errors, d.errors == 1 ? "" : "s");
			compile_fini(&c);
			diag_fini(&d);
			return SW_EXIT_CONFIG;
		}
		if (!rs) {
			diag_flush(&d);
			fprintf(stderr, "WARNING: using the stopped ruleset saved at the last start\n");
		}
	}
	int status = SW_EXIT_OK;
	int rc = rs ? apply_ruleset(&c, rs, b, NULL, o->quiet)
		    : apply_text(b, stored, strlen(stored), NULL, &d, o->quiet);
	free(stored);
	if (rc != 0) {
		diag_flush(&d);
		fprintf(stderr, "ERROR: Shorewall %s failed; the previous ruleset is in place\n", mode_names[o->mode]);
		status = SW_EXIT_SYSTEM;
	} else {
		struct state st;
		fill_state(&st, o->mode == MODE_CLEAR ? STATE_CLEARED : STATE_STOPPED,
			   o->mode == MODE_CLEAR ? NULL : dir, o->mode == MODE_CLEAR ? NULL : &c, b);
		if (state_write(o->vardir, &st) != 0)
			diag_warn(&d, &LOC_NONE, "Cannot write the state file in %s (%s)", o->vardir, strerror(errno));
		diag_flush(&d);
		if (!o->quiet)
			printf("Shorewall %s\n", mode_done[o->mode]);
	}
	compile_fini(&c);
	diag_fini(&d);
	return status;
}

static int run(enum apply_mode mode, int argc, char **argv)
{
	struct cli o = { .mode = mode };
	if (parse_cli(argc, argv, &o) != 0)
		return SW_EXIT_USAGE;
	if (state_mkdir(o.vardir) != 0) {
		fprintf(stderr, "ERROR: cannot create %s: %s\n", o.vardir, strerror(errno));
		return SW_EXIT_SYSTEM;
	}
	int lock = state_lock(o.vardir);
	if (lock < 0) {
		fprintf(stderr, "ERROR: cannot lock %s: %s\n", o.vardir, strerror(errno));
		return SW_EXIT_SYSTEM;
	}
	int status = mode == MODE_STOP || mode == MODE_CLEAR ? run_stop(&o) : run_start(&o);
	state_unlock(lock);
	return status;
}

int cmd_start(int argc, char **argv)
{
	return run(MODE_START, argc, argv);
}

int cmd_restart(int argc, char **argv)
{
	return run(MODE_RESTART, argc, argv);
}

int cmd_reload(int argc, char **argv)
{
	return run(MODE_RELOAD, argc, argv);
}

int cmd_stop(int argc, char **argv)
{
	return run(MODE_STOP, argc, argv);
}

int cmd_clear(int argc, char **argv)
{
	return run(MODE_CLEAR, argc, argv);
}
