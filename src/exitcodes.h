/* exitcodes.h — every exit status the CLI can return, defined once (documented in docs/cli.md). */
#ifndef SHOREWALL_EXITCODES_H
#define SHOREWALL_EXITCODES_H 1

enum sw_exit {
	SW_EXIT_OK = 0,             /* success; `check`: valid (warnings allowed); `status`: running */
	SW_EXIT_CONFIG = 1,         /* the configuration has errors; nothing was applied */
	SW_EXIT_USAGE = 2,          /* bad command line */
	SW_EXIT_STOPPED = 3,        /* `status`: stopped or cleared */
	SW_EXIT_UNKNOWN = 4,        /* `status`: state unknown */
	SW_EXIT_SYSTEM = 5,         /* I/O, permission or kernel failure; the previous ruleset stays */
};

#endif /* SHOREWALL_EXITCODES_H */
