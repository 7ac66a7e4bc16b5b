/* macro_names.c — names of the standard macros and builtin actions, and the look-up of a user's own. */
#include "macro_names.h"

#include "compile.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The macros shipped in macros/ (one macro.NAME file each): the parser knows them without
 * reading the files; tests/unit/test_macros.c keeps this table and that directory equal. */
static const struct keyword macros[] = {        /* must stay sorted */
	{ "Auth", 0, 0 },
	{ "BitTorrent", 0, 0 },
	{ "DHCPfwd", 0, 0 },
	{ "DNS", 0, 0 },
	{ "FTP", 0, 0 },
	{ "Finger", 0, 0 },
	{ "Git", 0, 0 },
	{ "HTTP", 0, 0 },
	{ "HTTPS", 0, 0 },
	{ "IKE", 0, 0 },
	{ "IMAP", 0, 0 },
	{ "IMAPS", 0, 0 },
	{ "IPsec", 0, 0 },
	{ "IPsecah", 0, 0 },
	{ "IPsecnat", 0, 0 },
	{ "IRC", 0, 0 },
	{ "Jabber", 0, 0 },
	{ "LDAP", 0, 0 },
	{ "LDAPS", 0, 0 },
	{ "MySQL", 0, 0 },
	{ "NNTP", 0, 0 },
	{ "NTP", 0, 0 },
	{ "OpenVPN", 0, 0 },
	{ "POP3", 0, 0 },
	{ "POP3S", 0, 0 },
	{ "Ping", 0, 0 },
	{ "PostgreSQL", 0, 0 },
	{ "RDP", 0, 0 },
	{ "Rsync", 0, 0 },
	{ "SMB", 0, 0 },
	{ "SMTP", 0, 0 },
	{ "SMTPS", 0, 0 },
	{ "SNMP", 0, 0 },
	{ "SSH", 0, 0 },
	{ "Squid", 0, 0 },
	{ "Submission", 0, 0 },
	{ "Syslog", 0, 0 },
	{ "TFTP", 0, 0 },
	{ "Telnet", 0, 0 },
	{ "Trcrt", 0, 0 },
	{ "VNC", 0, 0 },
	{ "Web", 0, 0 },
	{ "Webmin", 0, 0 },
	{ "Whois", 0, 0 },
	{ "WireGuard", 0, 0 },
};

/* Builtin actions from Shorewall 5.2.8's actions.std; admins name these in rules and as policy
 * default actions (`DROP:Broadcast(DROP),Multicast(DROP)`). */
static const struct keyword actions[] = {       /* must stay sorted */
	{ "A_REJECT", 0, 0 },
	{ "A_REJECT!", 0, 0 },
	{ "AllowICMPs", 0, 0 },
	{ "AutoBL", 0, 0 },
	{ "AutoBLL", 0, 0 },
	{ "BLACKLIST", 0, 0 },
	{ "Broadcast", 0, 0 },
	{ "DNSAmp", 0, 0 },
	{ "DropDNSrep", 0, 0 },
	{ "DropSmurfs", 0, 0 },
	{ "Established", 0, 0 },
	{ "FIN", 0, 0 },
	{ "GlusterFS", 0, 0 },
	{ "IfEvent", 0, 0 },
	{ "Invalid", 0, 0 },
	{ "Limit", 0, 0 },
	{ "Multicast", 0, 0 },
	{ "New", 0, 0 },
	{ "NotSyn", 0, 0 },
	{ "RST", 0, 0 },
	{ "Related", 0, 0 },
	{ "ResetEvent", 0, 0 },
	{ "SetEvent", 0, 0 },
	{ "TCPFlags", 0, 0 },
	{ "Untracked", 0, 0 },
	{ "allowBcast", 0, 0 },
	{ "allowInvalid", 0, 0 },
	{ "allowMcast", 0, 0 },
	{ "allowinUPnP", 0, 0 },
	{ "dropBcast", 0, 0 },
	{ "dropBcasts", 0, 0 },
	{ "dropInvalid", 0, 0 },
	{ "dropMcast", 0, 0 },
	{ "dropNotSyn", 0, 0 },
	{ "forwardUPnP", 0, 0 },
	{ "rejNotSyn", 0, 0 },
};

const struct keyword *macro_names_table(size_t *n)
{
	*n = KW_COUNT(macros);
	return macros;
}

const struct keyword *builtin_action_table(size_t *n)
{
	*n = KW_COUNT(actions);
	return actions;
}

bool macro_name_known(const char *name)
{
	return KW_FIND(macros, name) != NULL;
}

bool builtin_action_known(const char *name)
{
	return KW_FIND(actions, name) != NULL;
}

bool macro_file_exists(const struct compile *c, const char *prefix, const char *name)
{
	char path[PATH_MAX];
	/* A name with a '/' would reach outside the directory: never a macro. */
	if (!c->dir || !*name || strchr(name, '/'))
		return false;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", c->dir, prefix, name) >= sizeof(path))
		return false;
	return access(path, R_OK) == 0;
}
