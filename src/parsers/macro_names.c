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
	{ "AMQP", 0, 0 },
	{ "Amanda", 0, 0 },
	{ "Auth", 0, 0 },
	{ "BGP", 0, 0 },
	{ "BitTorrent", 0, 0 },
	{ "CVS", 0, 0 },
	{ "Citrix", 0, 0 },
	{ "Cockpit", 0, 0 },
	{ "DAAP", 0, 0 },
	{ "DHCPfwd", 0, 0 },
	{ "DNS", 0, 0 },
	{ "Distcc", 0, 0 },
	{ "FTP", 0, 0 },
	{ "Finger", 0, 0 },
	{ "GRE", 0, 0 },
	{ "Git", 0, 0 },
	{ "Gnutella", 0, 0 },
	{ "HKP", 0, 0 },
	{ "HTTP", 0, 0 },
	{ "HTTPS", 0, 0 },
	{ "ICQ", 0, 0 },
	{ "IKE", 0, 0 },
	{ "IMAP", 0, 0 },
	{ "IMAPS", 0, 0 },
	{ "IPIP", 0, 0 },
	{ "IPP", 0, 0 },
	{ "IPsec", 0, 0 },
	{ "IPsecah", 0, 0 },
	{ "IPsecnat", 0, 0 },
	{ "IRC", 0, 0 },
	{ "Jabber", 0, 0 },
	{ "JabberPlain", 0, 0 },
	{ "JabberSecure", 0, 0 },
	{ "Jetdirect", 0, 0 },
	{ "Kerberos", 0, 0 },
	{ "Kpasswd", 0, 0 },
	{ "L2TP", 0, 0 },
	{ "LDAP", 0, 0 },
	{ "LDAPS", 0, 0 },
	{ "MSA", 0, 0 },
	{ "MSSQL", 0, 0 },
	{ "Mail", 0, 0 },
	{ "MongoDB", 0, 0 },
	{ "Munin", 0, 0 },
	{ "MySQL", 0, 0 },
	{ "NFS", 0, 0 },
	{ "NNTP", 0, 0 },
	{ "NNTPS", 0, 0 },
	{ "NTP", 0, 0 },
	{ "NTPbi", 0, 0 },
	{ "OSPF", 0, 0 },
	{ "OpenVPN", 0, 0 },
	{ "POP3", 0, 0 },
	{ "POP3S", 0, 0 },
	{ "PPtP", 0, 0 },
	{ "Ping", 0, 0 },
	{ "PostgreSQL", 0, 0 },
	{ "Printer", 0, 0 },
	{ "Puppet", 0, 0 },
	{ "QUIC", 0, 0 },
	{ "RDP", 0, 0 },
	{ "RNDC", 0, 0 },
	{ "Rdate", 0, 0 },
	{ "Redis", 0, 0 },
	{ "Rsync", 0, 0 },
	{ "Rwhois", 0, 0 },
	{ "SIP", 0, 0 },
	{ "SMB", 0, 0 },
	{ "SMBswat", 0, 0 },
	{ "SMTP", 0, 0 },
	{ "SMTPS", 0, 0 },
	{ "SNMP", 0, 0 },
	{ "SNMPtrap", 0, 0 },
	{ "SPAMD", 0, 0 },
	{ "SSDP", 0, 0 },
	{ "SSH", 0, 0 },
	{ "SVN", 0, 0 },
	{ "Sieve", 0, 0 },
	{ "Squid", 0, 0 },
	{ "Submission", 0, 0 },
	{ "Syslog", 0, 0 },
	{ "TFTP", 0, 0 },
	{ "Telnet", 0, 0 },
	{ "Telnets", 0, 0 },
	{ "Teredo", 0, 0 },
	{ "Time", 0, 0 },
	{ "Tinc", 0, 0 },
	{ "Trcrt", 0, 0 },
	{ "VNC", 0, 0 },
	{ "Web", 0, 0 },
	{ "Webcache", 0, 0 },
	{ "Webmin", 0, 0 },
	{ "Whois", 0, 0 },
	{ "WireGuard", 0, 0 },
	{ "Xymon", 0, 0 },
	{ "Zabbix", 0, 0 },
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
