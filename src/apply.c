/* apply.c — the apply step: backend detection, restore with test-first and rollback, modules, /proc/sys. */
#define _GNU_SOURCE 1      /* pipe2 */
#include "apply.h"

#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "exe_path.h"
#include "graph.h"
#include "iptc.h"
#include "ir.h"
#include "settings.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- backends -------------------------------------------------------------------------------- */

const char *apply_backend_name(enum apply_backend b)
{
	return b == APPLY_NFT ? "nft" : "legacy";
}

bool apply_backend_parse(const char *s, enum apply_backend *out)
{
	if (strcmp(s, "nft") == 0)
		*out = APPLY_NFT;
	else if (strcmp(s, "legacy") == 0)
		*out = APPLY_LEGACY;
	else
		return false;
	return true;
}

const char *apply_restore_prog(enum apply_backend b)
{
	return b == APPLY_NFT ? "iptables-nft-restore" : "iptables-legacy-restore";
}

const char *apply_save_prog(enum apply_backend b)
{
	return b == APPLY_NFT ? "iptables-nft-save" : "iptables-legacy-save";
}

enum apply_backend apply_detect(enum backend_choice choice)
{
	if (choice == BACKEND_LEGACY)
		return APPLY_LEGACY;
	if (choice == BACKEND_NFT)
		return APPLY_NFT;
	/* `iptables -V` prints "iptables v1.8.9 (nf_tables)" or "(legacy)" */
	const char *const argv[] = { "iptables", "-V", NULL };
	char *out = NULL;
	int rc = apply_run(argv, NULL, 0, &out, NULL, NULL);
	bool nft = false, known = false;
	if (rc == 0 && out) {
		nft = strstr(out, "nf_tables") != NULL;
		known = nft || strstr(out, "legacy") != NULL;
	}
	free(out);
	if (!known) {
		char target[PATH_MAX];
		ssize_t n = readlink("/usr/sbin/iptables", target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			nft = strstr(target, "nft") != NULL;
		}
	}
	return nft ? APPLY_NFT : APPLY_LEGACY;
}

/* ---- running a program ----------------------------------------------------------------------- */

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

int apply_run(const char *const argv[], const char *in, size_t inlen, char **out, size_t *outlen,
	      char **err)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	if (pipe2(pin, O_CLOEXEC) != 0 || pipe2(pout, O_CLOEXEC) != 0 || pipe2(perr, O_CLOEXEC) != 0) {
		for (int i = 0; i < 2; i++) {
			if (pin[i] >= 0)
				close(pin[i]);
			if (pout[i] >= 0)
				close(pout[i]);
			if (perr[i] >= 0)
				close(perr[i]);
		}
		return 127;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (pid < 0) {
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		return 127;
	}
	/* a reader that stopped reading must not kill us with SIGPIPE: we see EPIPE instead */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	struct buf bo = { 0 }, be = { 0 };
	size_t off = 0;
	int wfd = pin[1];
	if (!in || inlen == 0) {
		close(wfd);
		wfd = -1;
	} else {
		fcntl(wfd, F_SETFL, O_NONBLOCK);
	}
	int ofd = pout[0], efd = perr[0];
	while (wfd >= 0 || ofd >= 0 || efd >= 0) {
		struct pollfd p[3] = { { wfd, POLLOUT, 0 }, { ofd, POLLIN, 0 }, { efd, POLLIN, 0 } };
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (wfd >= 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(wfd, in + off, inlen - off);
			if (w > 0)
				off += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == inlen) {
				close(wfd);
				wfd = -1;
			}
		}
		int *fds[2] = { &ofd, &efd };
		struct buf *bufs[2] = { &bo, &be };
		for (int k = 0; k < 2; k++) {
			if (*fds[k] < 0 || !(p[k + 1].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			char chunk[8192];
			ssize_t r = read(*fds[k], chunk, sizeof(chunk));
			if (r > 0) {
				buf_add(bufs[k], chunk, (size_t)r);
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(*fds[k]);
				*fds[k] = -1;
			}
		}
	}
	if (wfd >= 0)
		close(wfd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGPIPE, &old, NULL);
	buf_add(&bo, "", 0);
	buf_add(&be, "", 0);
	if (out) {
		*out = bo.p;
		if (outlen)
			*outlen = bo.n;
	} else {
		free(bo.p);
	}
	if (err)
		*err = be.p;
	else
		free(be.p);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
}

/* ---- kernel text ----------------------------------------------------------------------------- */

char *apply_kernel_save(enum apply_backend b, bool counters, struct diag *d)
{
	const char *const argv[] = { apply_save_prog(b), counters ? "-c" : NULL, NULL };
	char *out = NULL, *err = NULL;
	int rc = apply_run(argv, NULL, 0, &out, NULL, &err);
	if (rc != 0) {
		struct loc none = LOC_NONE;
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
		diag_error(d, &none, "%s failed (%s)", argv[0],
			   rc == 127 && !*err ? "cannot be run" : err);
		free(out);
		free(err);
		return NULL;
	}
	free(err);
	return out;
}

bool apply_save_has_chain(const char *save, const char *table, const char *chain)
{
	bool in = false;
	size_t cl = strlen(chain);
	for (const char *l = save; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (*l == '*')
			in = strncmp(l + 1, table, strlen(table)) == 0 && (l[1 + strlen(table)] == '\n' ||
									   l[1 + strlen(table)] == '\0');
		else if (in && *l == ':' && strncmp(l + 1, chain, cl) == 0 && l[1 + cl] == ' ')
			return true;
	}
	return false;
}

/* The builtin chains of each table, as an empty section must name them. */
static const struct {
	const char *table, *builtins;
} table_builtins[] = {
	{ "raw", ":PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" },
	{ "mangle", ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
		    ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" },
	{ "nat", ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
		 ":POSTROUTING ACCEPT [0:0]\n" },
	{ "filter", ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" },
	{ "security", ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" },
};

/* Does restore/save text have a `*table` line? */
static bool text_has_table(const char *text, const char *table)
{
	size_t tl = strlen(table);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (*l == '*' && strncmp(l + 1, table, tl) == 0 && (l[1 + tl] == '\n' || l[1 + tl] == '\0'))
			return true;
	return false;
}

/* text plus an empty section for each table the kernel holds and text leaves out: restore only
 * replaces the tables it is given, and what the new ruleset does not use must not survive. */
static void complete_text(struct buf *b, const char *text, size_t len, const char *kernel)
{
	buf_add(b, text, len);
	for (size_t i = 0; i < sizeof(table_builtins) / sizeof(table_builtins[0]); i++) {
		if (!text_has_table(kernel, table_builtins[i].table) || text_has_table(text, table_builtins[i].table))
			continue;
		buf_add(b, "*", 1);
		buf_add(b, table_builtins[i].table, strlen(table_builtins[i].table));
		buf_add(b, "\n", 1);
		buf_add(b, table_builtins[i].builtins, strlen(table_builtins[i].builtins));
		buf_add(b, "COMMIT\n", 7);
	}
}

/* Report what the restore program said, at the configuration line of the rule it refused. */
static void report_refusal(const char *prog, const char *err, const struct restore_map *map, struct diag *d)
{
	struct loc none = LOC_NONE;
	const char *at = strstr(err, "Error occurred at line: ");
	unsigned line = at ? (unsigned)strtoul(at + 24, NULL, 10) : 0;
	/* the first line is the kernel's or the parser's reason */
	size_t n = strcspn(err, "\n");
	char *why = strndup(err, n);
	if (!why)
		abort();
	const struct ir_rule *r = map && line && line <= map->line.n ? map->line.v[line - 1] : NULL;
	if (r)
		diag_error(d, &r->loc, "The kernel refused the rule on line %u of the ruleset (%s)", line,
			   *why ? why : prog);
	else if (line)
		diag_error(d, &none, "%s failed at line %u of its input (%s)", prog, line, *why ? why : "?");
	else
		diag_error(d, &none, "%s failed (%s)", prog, *why ? why : "no message");
	free(why);
}

int apply_text(enum apply_backend b, const char *text, size_t len, const struct restore_map *map,
	       struct diag *d, bool quiet)
{
	struct loc none = LOC_NONE;
	const char *prog = apply_restore_prog(b);
	/* SWC_APPLY_FAIL injects a refusal after the new ruleset is committed (a second filter section
	 * with a rule no kernel has), and skips --test, so that the rollback path is what a test sees. */
	bool inject = getenv("SWC_APPLY_FAIL") && *getenv("SWC_APPLY_FAIL");
	char *before = apply_kernel_save(b, true, d);
	if (!before)
		return -1;
	struct buf full = { 0 };
	complete_text(&full, text, len, before);
	if (inject)
		buf_add(&full, "*filter\n-A INPUT -m swc_injected_failure -j ACCEPT\nCOMMIT\n",
			strlen("*filter\n-A INPUT -m swc_injected_failure -j ACCEPT\nCOMMIT\n"));
	if (!quiet)
		printf("Applying via %s\n", prog);
	fflush(stdout);
	char *err = NULL;
	int rc;
	if (!inject) {
		const char *const test[] = { prog, "--test", NULL };
		rc = apply_run(test, full.p, full.n, NULL, NULL, &err);
		if (rc != 0) {
			report_refusal(prog, rc == 127 && !*err ? "cannot be run" : err, map, d);
			diag_info(d, &none, "Nothing was changed");
			free(err);
			free(full.p);
			free(before);
			return -1;
		}
		free(err);
		err = NULL;
	}
	const char *const argv[] = { prog, NULL };
	rc = apply_run(argv, full.p, full.n, NULL, NULL, &err);
	free(full.p);
	if (rc == 0) {
		free(err);
		free(before);
		return 0;
	}
	report_refusal(prog, rc == 127 && !*err ? "cannot be run" : err, map, d);
	free(err);
	/* roll back: the tables as they were, counters included */
	const char *const back[] = { prog, "-c", NULL };
	err = NULL;
	rc = apply_run(back, before, strlen(before), NULL, NULL, &err);
	if (rc == 0) {
		/* tables the failed attempt created (nft makes a table on first use) go again */
		char *now = b == APPLY_NFT ? apply_kernel_save(b, false, d) : NULL;
		for (size_t i = 0; now && i < sizeof(table_builtins) / sizeof(table_builtins[0]); i++) {
			const char *t = table_builtins[i].table;
			if (text_has_table(now, t) && !text_has_table(before, t)) {
				const char *const del[] = { "nft", "delete", "table", "ip", t, NULL };
				apply_run(del, NULL, 0, NULL, NULL, NULL);
			}
		}
		free(now);
		diag_info(d, &none, "The previous ruleset was restored");
	} else {
		size_t n = strcspn(err, "\n");
		diag_error(d, &none, "Rolling back failed too (%.*s): the ruleset is in an unknown state",
			   (int)n, err);
	}
	free(err);
	free(before);
	return -1;
}

int apply_ruleset(struct compile *c, const struct ruleset *rs, enum apply_backend b, char **text_out,
		  bool quiet)
{
	struct loc none = LOC_NONE;
	char *text = NULL;
	size_t len = 0;
	struct restore_map map = { 0 };
	FILE *mem = open_memstream(&text, &len);
	if (!mem || emit_restore_mapped(rs, mem, &map) != 0 || fclose(mem) != 0) {
		diag_error(c->diag, &none, "Cannot render the ruleset (%s)", strerror(errno));
		free(text);
		return -1;
	}
	int rc;
	if (b == APPLY_LEGACY) {
		/* SWC_APPLY_FAIL: the filter commit fails after the others went in (see apply_text) */
		struct iptc_options opt = { 0 };
		if (getenv("SWC_APPLY_FAIL") && *getenv("SWC_APPLY_FAIL"))
			opt.fail_commit = 1u << IR_FILTER;
		if (!quiet)
			printf("Applying via libiptc\n");
		fflush(stdout);
		rc = iptc_apply(rs, c->diag, &opt) == 0 ? 0 : -1;
		if (rc != 0)
			diag_info(c->diag, &none, "The previous ruleset is in place");
	} else {
		rc = apply_text(b, text, len, &map, c->diag, quiet);
	}
	if (text_out)
		*text_out = text;
	else
		free(text);
	return rc;
}

/* ---- kernel modules --------------------------------------------------------------------------- */

/* Is the module loaded or built in? Both show as /sys/module/NAME (with '-' read as '_'). */
static bool module_present(const char *name)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	for (char *p = path + strlen("/sys/module/"); *p; p++)
		if (*p == '-')
			*p = '_';
	struct stat st;
	return stat(path, &st) == 0;
}

/* modprobe NAME [ARGS]: its exit status (127: modprobe cannot be run). */
static int modprobe(const char *name, const char *args)
{
	const char *argv[32] = { "modprobe", "-q", name };
	size_t n = 3;
	char *copy = args ? strdup(args) : NULL;
	for (char *save = NULL, *a = copy ? strtok_r(copy, " \t", &save) : NULL; a && n < 31;
	     a = strtok_r(NULL, " \t", &save))
		argv[n++] = a;
	argv[n] = NULL;
	int rc = apply_run(argv, NULL, 0, NULL, NULL, NULL);
	free(copy);
	return rc;
}

/* Where the shipped lists are: SHAREDIR/modules once installed, modules/ beside the build dir
 * when run from a checkout. NULL if neither exists. */
static char *shipped_dir(void)
{
	struct stat st;
	if (stat(SHAREDIR "/modules", &st) == 0 && S_ISDIR(st.st_mode))
		return strdup(SHAREDIR "/modules");
	char dir[PATH_MAX];
	return exe_sibling_dir("modules", dir, sizeof(dir)) ? strdup(dir) : NULL;
}

static void load_list(struct compile *c, const char *dir, const char *file, unsigned *missing_modprobe)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL, *name = strtok_r(line, " \t\r\n", &save);
		if (!name || module_present(name))
			continue;
		if (modprobe(name, NULL) == 127)
			(*missing_modprobe)++;
	}
	fclose(f);
}

void apply_modules(struct compile *c)
{
	struct graph *g = c->graph;
	struct loc none = LOC_NONE;
	unsigned no_modprobe = 0;
	if (g->modules_given) {
		for (size_t i = 0; i < g->modules.n; i++) {
			const struct module_entry *m = g->modules.v[i];
			if (module_present(m->name))
				continue;
			int rc = modprobe(m->name, m->args);
			if (rc == 127)
				no_modprobe++;
			else if (rc != 0)
				diag_warn(c->diag, &m->loc, "Unable to load kernel module (%s)", m->name);
		}
		if (no_modprobe)
			diag_warn(c->diag, &none, "modprobe cannot be run: %u kernel module%s not loaded", no_modprobe,
				  no_modprobe == 1 ? "" : "s");
		return;
	}
	char *dir = shipped_dir();
	if (!dir)
		return;
	load_list(c, dir, "netfilter", &no_modprobe);
	load_list(c, dir, "helpers", &no_modprobe);
	bool ipsec = g->have_ipsec;
	for (size_t i = 0; i < g->tunnels.n && !ipsec; i++)
		ipsec = g->tunnels.v[i]->type == TUN_IPSEC || g->tunnels.v[i]->type == TUN_IPSECNAT;
	if (ipsec)
		load_list(c, dir, "ipsec", &no_modprobe);
	if (no_modprobe && c->verbose)
		diag_info(c->diag, &none, "modprobe cannot be run: %u module%s of the shipped lists not loaded",
			  no_modprobe, no_modprobe == 1 ? "" : "s");
	free(dir);
}

/* ---- /proc/sys -------------------------------------------------------------------------------- */

static int write_proc(const char *procroot, const char *rel, long value)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", procroot, rel);
	FILE *f = fopen(path, "r+");
	if (!f)
		return -1;
	int rc = fprintf(f, "%ld\n", value) > 0 ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* One per-interface setting: option, /proc file, Shorewall's wording for the warning. */
static const struct {
	enum iface_opt opt;
	const char *file;
	const char *what;
} iface_sysctls[] = {
	{ IFO_ROUTEFILTER, "rp_filter", "route filtering" },
	{ IFO_LOGMARTIANS, "log_martians", "Martian logging" },
	{ IFO_ARP_FILTER, "arp_filter", "ARP filtering" },
	{ IFO_ARP_IGNORE, "arp_ignore", "ARP ignore" },
	{ IFO_PROXYARP, "proxy_arp", "proxy ARP" },
	{ IFO_SOURCEROUTE, "accept_source_route", "source routing" },
};

/* A global setting (ROUTE_FILTER, LOG_MARTIANS) goes to every device the kernel has now, and to
 * `all` and `default` (devices made later), silently: a device without the file is not ours to
 * warn about. */
static void write_every_conf(const char *procroot, const char *file, long value)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/net/ipv4/conf", procroot);
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	for (struct dirent *e; (e = readdir(dp));) {
		if (e->d_name[0] == '.')
			continue;
		char rel[PATH_MAX];
		snprintf(rel, sizeof(rel), "net/ipv4/conf/%.200s/%s", e->d_name, file);
		write_proc(procroot, rel, value);
	}
	closedir(dp);
}

void apply_sysctls(struct compile *c, const char *procroot)
{
	struct graph *g = c->graph;
	const struct settings *s = c->conf;
	struct loc none = LOC_NONE;
	if (s->ip_forwarding != IPFWD_KEEP &&
	    write_proc(procroot, "net/ipv4/ip_forward", s->ip_forwarding == IPFWD_ON) != 0)
		diag_warn(c->diag, &none, "Cannot set IP forwarding (%s)", strerror(errno));
	if (s->route_filter >= 0)
		write_every_conf(procroot, "rp_filter", s->route_filter);
	if (s->log_martians >= 0)
		write_every_conf(procroot, "log_martians", s->log_martians);
	/* an interface's own option wins over the global value, and its device must exist (unless
	 * the interface is `optional`) */
	for (size_t i = 0; i < g->ifaces.n; i++) {
		struct iface *ifc = g->ifaces.v[i];
		if (ifc->wildcard)
			continue;       /* ppp+: the devices come and go; nothing to write now */
		const char *dev = ifc->physical ? ifc->physical : ifc->name;
		for (size_t k = 0; k < sizeof(iface_sysctls) / sizeof(iface_sysctls[0]); k++) {
			if (!IFACE_HAS(ifc, iface_sysctls[k].opt))
				continue;
			char rel[PATH_MAX];
			snprintf(rel, sizeof(rel), "net/ipv4/conf/%s/%s", dev, iface_sysctls[k].file);
			if (write_proc(procroot, rel, ifc->optval[iface_sysctls[k].opt]) != 0 &&
			    !IFACE_HAS(ifc, IFO_OPTIONAL))
				diag_warn(c->diag, &ifc->loc, "Cannot set %s on %s", iface_sysctls[k].what, dev);
		}
	}
}
