/* settings.h — shorewall.conf as typed values; parsers/conf.c fills it from a table of options. */
#ifndef SHOREWALL_SETTINGS_H
#define SHOREWALL_SETTINGS_H 1

#include <stdbool.h>

#include "diag.h"

enum ip_forwarding { IPFWD_KEEP, IPFWD_ON, IPFWD_OFF };
enum restart_mode { RESTART_RESTART, RESTART_RELOAD };
enum backend_choice { BACKEND_AUTO, BACKEND_LEGACY, BACKEND_NFT };

struct settings {
	const char *fw;                     /* FW (2.2; default "fw") */
	int clampmss;                       /* 0 = No, -1 = Yes (to PMTU), N = fixed MSS */
	bool fastaccept;
	unsigned optimize;                  /* 0..31; "All" = 31 */
	bool zone2zone_2;                   /* ZONE2ZONE=2 → chain names net2fw (default "-" → net-fw) */
	const char *logformat;              /* LOGFORMAT, default "%s %s " */
	const char *loglimit;               /* LOGLIMIT, e.g. "s:1/sec:10"; NULL = none */
	const char *lograte, *logburst;     /* 2.x LOGRATE/LOGBURST, folded into loglimit when given */
	const char *log_level;              /* LOG_LEVEL default for logged rules */
	bool expand_policies;
	bool implicit_continue;
	const char *drop_default, *reject_default, *accept_default;
	const char *queue_default, *nfqueue_default, *blacklist_default;
	bool admin_absentminded;
	const char *restorefile;
	enum restart_mode restart;
	enum ip_forwarding ip_forwarding;
	/* ROUTE_FILTER / LOG_MARTIANS: the value written to every interface's rp_filter / log_martians
	 * (ROUTE_FILTER 0..2, LOG_MARTIANS 0..1; Yes/On = 1, No/Off = 0), or -1 for Keep (leave /proc
	 * alone). Tri-valued in Shorewall, hence not bool. */
	int route_filter, log_martians;
	const char *dynamic_blacklist;      /* DYNAMIC_BLACKLIST: "Yes", "No", "ipset…" */
	const char *tcp_flags_disposition;  /* DROP | REJECT | ACCEPT */
	const char *related_disposition;
	const char *invalid_disposition, *untracked_disposition;
	const char *maclist_disposition, *smurf_disposition;
	bool multicast;
	bool use_physical_names;
	unsigned maxzonenamelength;         /* derived from LOGFORMAT unless set */
	bool startup_enabled;
	const char *logfile;
	const char *config_path;
	enum backend_choice backend;        /* IPTABLES_BACKEND=auto|legacy|nft (ours) */
	bool disable_ipv6;
	const char *blacklist;              /* BLACKLIST states */
	struct loc loc;                     /* the shorewall.conf file (line 0) */
};

/* Defaults as shipped by Shorewall 5.2.8's shorewall.conf. */
void settings_defaults(struct settings *s);

#endif /* SHOREWALL_SETTINGS_H */
