/* main.c — the CLI: one table names every command, drives dispatch and prints usage. */
#include "commands.h"
#include "exitcodes.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("shorewall-c %s\n", SHOREWALL_C_VERSION);
	return SW_EXIT_OK;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *description;
} commands[] = {
	{ "check",   cmd_check,   "[-v] [--yaml] [DIR]", "read DIR (default /etc/shorewall), report every error; no root, no kernel" },
	{ "clear",   cmd_clear,   "[--vardir D]",        "open the firewall: every chain ACCEPT, every table empty" },
	{ "compile", cmd_compile, "[-v] [DIR] [FILE|-]", "compile DIR to iptables-restore input in FILE (default -: stdout); no root" },
	{ "explain", cmd_explain, "[-v] [DIR] SRC DST PROTO[/PORT] [OPTIONS]", "a packet's path through the compiled ruleset, offline: verdict, file:line, NAT (docs/explain.md)" },
	{ "help",    cmd_help,    "",                    "this list" },
	{ "ipsec-policy", cmd_ipsec_policy, "[DIR] [--format setkey|ip-xfrm|swanctl] [--local NETS] [--local-gw A]", "the IPsec policies (SPD) the zones imply; no root" },
	{ "reload",  cmd_reload,  "[--vardir D] [DIR]",  "replace the running ruleset by DIR's in one transaction (starts if stopped)" },
	{ "restart", cmd_restart, "[--vardir D] [DIR]",  "the same as reload: never passes through the stopped state" },
	{ "restore", cmd_restore, "[--vardir D] [FILE]", "apply a ruleset saved by save (default VARDIR/restore)" },
	{ "safe-reload",  cmd_safe_reload,  "[-t T] [DIR]",         "reload, then put the old ruleset back unless answered y within T (60 s)" },
	{ "safe-restart", cmd_safe_restart, "[-t T] [DIR]",         "the same as safe-reload" },
	{ "safe-start",   cmd_safe_start,   "[-t T] [DIR]",         "start, then put the old ruleset back unless answered y within T" },
	{ "save",    cmd_save,    "[--vardir D] [FILE]", "save the running ruleset (default VARDIR/restore)" },
	{ "show",    cmd_show,    "[--vardir D] [WHAT]", "zones, policies, nat, mangle, raw, connections or CHAIN…: as now in the kernel" },
	{ "start",   cmd_start,   "[--vardir D] [DIR]",  "compile DIR and apply it (exit 0 if already running)" },
	{ "status",  cmd_status,  "[-v] [--vardir D]",   "exit 0 running, 3 stopped or cleared, 4 unknown" },
	{ "stop",    cmd_stop,    "[--vardir D] [DIR]",  "apply the stopped ruleset (stoppedrules, routestopped)" },
	{ "try",     cmd_try,     "[--vardir D] DIR [T]", "reload DIR; after T (s|m|h) put the previous ruleset back" },
	{ "version", cmd_version, "",                    "print the version" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: shorewall COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-12s %-22s %s\n", commands[i].name, commands[i].usage, commands[i].description);
	printf("\nexit status: 0 ok, 1 configuration errors, 2 usage error, 3 stopped, 4 unknown state,\n"
	       "             5 system or kernel failure (see docs/cli.md)\n");
	return SW_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return SW_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	fprintf(stderr, "shorewall: unknown command '%s' (try 'shorewall help')\n", argv[1]);
	return SW_EXIT_USAGE;
}
