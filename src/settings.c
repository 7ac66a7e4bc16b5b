/* settings.c — the shorewall.conf values a compile starts from: those Shorewall 5.2.8 ships. */
#include "settings.h"

#include <string.h>

#ifndef SHAREDIR
#define SHAREDIR "/usr/share/shorewall-c"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* These are the values of the stock shorewall.conf (Debian's shorewall 5.2.8), not the ones
 * Shorewall's compiler falls back to when an option is missing from the file: an administrator's
 * directory always started from the stock file, so a directory that omits an option (or has no
 * shorewall.conf at all, as unit tests and fixtures do) behaves like a fresh installation. What an
 * option written empty (`OPTION=`) means is conf.c's business. */
void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->fw = "fw";
	s->clampmss = 0;
	s->fastaccept = false;
	s->optimize = 31;                   /* OPTIMIZE=All */
	s->zone2zone_2 = false;             /* ZONE2ZONE=- */
	s->logformat = "%s %s ";
	s->loglimit = "s:1/sec:10";
	s->lograte = s->logburst = NULL;
	s->log_level = "info";
	s->expand_policies = true;
	s->implicit_continue = false;
	s->drop_default = "Broadcast(DROP),Multicast(DROP)";
	s->reject_default = "Broadcast(DROP),Multicast(DROP)";
	s->accept_default = "none";
	s->queue_default = "none";
	s->nfqueue_default = "none";
	/* the stock file writes $LOG_LEVEL here; expanded with the default LOG_LEVEL */
	s->blacklist_default = "Broadcast(DROP),Multicast(DROP),dropNotSyn:info,dropInvalid:info,DropDNSrep:info";
	s->admin_absentminded = true;
	s->restorefile = "restore";
	s->restart = RESTART_RESTART;
	s->ip_forwarding = IPFWD_KEEP;
	s->route_filter = 1;                /* ROUTE_FILTER=Yes */
	s->log_martians = 1;                /* LOG_MARTIANS=Yes */
	s->dynamic_blacklist = "Yes";
	s->tcp_flags_disposition = "DROP";
	s->related_disposition = "ACCEPT";
	s->invalid_disposition = "CONTINUE";
	s->untracked_disposition = "CONTINUE";
	s->maclist_disposition = "REJECT";
	s->smurf_disposition = "DROP";
	s->multicast = false;
	s->use_physical_names = false;
	/* Shorewall derives it from the length of a sample log prefix: "fooxx2barxx ACCEPT " is 19
	 * characters of the 29 iptables allows, leaving (29 - 19) / 2 for each of two zone names
	 * beyond the 5 every LOGFORMAT gets. conf.c recomputes it when LOGFORMAT is set. */
	s->maxzonenamelength = 10;
	s->startup_enabled = true;
	s->logfile = "/var/log/messages";
	s->config_path = ":" SYSCONFDIR "/shorewall:" SHAREDIR;
	s->backend = BACKEND_AUTO;
	s->disable_ipv6 = false;
	s->blacklist = "NEW,INVALID,UNTRACKED";
	s->loc = LOC_NONE;
}
