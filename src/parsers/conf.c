/* conf.c — shorewall.conf, parsed and never sourced: one sorted table says what each option is.
 *
 * Every option Shorewall 5.2.8 knows is in the table, so that a stock file reads without a word:
 * the options that change what we compile are typed, validated and stored in struct settings; the
 * others are checked where Shorewall checks them (booleans, log levels, dispositions) or taken as
 * they are. An option nobody knows is a warning; one Shorewall removed is an error (or a warning
 * where Shorewall 5.2.8 only warns) that says what replaces it. The 2.x options whose meaning is
 * clear keep it, so that a 2.2 shorewall.conf reads unchanged: LOGRATE/LOGBURST become LOGLIMIT,
 * BLACKLISTNEWONLY becomes BLACKLIST, and IPSECFILE is not needed since every file's layout is
 * recognised by itself.
 *
 * Values: the rest of the line after NAME=, with "…" and '…' quoting (so `LOGFORMAT="%s %s "`
 * keeps its blanks) and $VAR / ${VAR} expanded (not inside '…') from params, then from the options
 * set earlier in this file (`MACLIST_LOG_LEVEL="$LOG_LEVEL"`), then from the installation's
 * directories (CONFDIR, SHAREDIR… which the stock CONFIG_PATH uses). `OPTION=` with nothing after
 * it means what Shorewall's compiler does when the option is missing, which is not always the
 * stock file's value (LOGFORMAT= is the old "Shorewall:%s:%s:", OPTIMIZE= is 0). After the file,
 * every option is defined as a variable for the files read later ($LOG_LEVEL in policy). */
#include "parsers.h"
#include "conf.h"
#include "params.h"

#include "compile.h"
#include "graph.h"
#include "keyword.h"
#include "loglevel.h"
#include "rate.h"
#include "settings.h"
#include "source.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef SHAREDIR
#define SHAREDIR "/usr/share/shorewall-c"
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG_PATH ":" SYSCONFDIR "/shorewall:" SHAREDIR

/* ---- vocabularies ------------------------------------------------------------------------------- */

struct kwtab {
	const struct keyword *kw;
	size_t n;
	bool nocase;
};
#define KWTAB(t, nc) { (t), KW_COUNT(t), (nc) }

/* Yes/No as Shorewall writes them, On/Off as the trivalued options do. Case-insensitive. */
static const struct keyword bool_kw[] = {        /* must stay sorted */
	{ "no", 0, 0 }, { "off", 0, 0 }, { "on", 1, 0 }, { "yes", 1, 0 },
};
static const struct kwtab bools = KWTAB(bool_kw, true);

/* Keep leaves /proc as it is (-1); the others write 0 or 1. */
static const struct keyword tri_kw[] = {         /* must stay sorted */
	{ "keep", -1, 0 }, { "no", 0, 0 }, { "off", 0, 0 }, { "on", 1, 0 }, { "yes", 1, 0 },
};
static const struct kwtab tris = KWTAB(tri_kw, true);

static const struct keyword ip_forwarding_kw[] = {   /* must stay sorted */
	{ "keep", IPFWD_KEEP, 0 }, { "no", IPFWD_OFF, 0 }, { "off", IPFWD_OFF, 0 },
	{ "on", IPFWD_ON, 0 }, { "yes", IPFWD_ON, 0 },
};
static const struct kwtab ip_forwardings = KWTAB(ip_forwarding_kw, true);

static const struct keyword backend_kw[] = {     /* must stay sorted */
	{ "auto", BACKEND_AUTO, 0 }, { "legacy", BACKEND_LEGACY, 0 }, { "nft", BACKEND_NFT, 0 },
};
static const struct kwtab backends = KWTAB(backend_kw, true);

/* Shorewall matches these two exactly (lower case). */
static const struct keyword restart_kw[] = {     /* must stay sorted */
	{ "reload", RESTART_RELOAD, 0 }, { "restart", RESTART_RESTART, 0 },
};
static const struct kwtab restarts = KWTAB(restart_kw, false);

/* Dispositions, upper case as iptables targets; A_ = audited. Each option allows its own set. */
static const struct keyword tcp_flags_disposition_kw[] = {    /* must stay sorted */
	{ "ACCEPT", 0, 0 }, { "A_DROP", 0, 0 }, { "A_REJECT", 0, 0 }, { "DROP", 0, 0 }, { "REJECT", 0, 0 },
};
static const struct kwtab tcp_flags_dispositions = KWTAB(tcp_flags_disposition_kw, false);

/* RELATED_DISPOSITION, UNTRACKED_DISPOSITION */
static const struct keyword ct_disposition_kw[] = {           /* must stay sorted */
	{ "ACCEPT", 0, 0 }, { "A_ACCEPT", 0, 0 }, { "A_DROP", 0, 0 }, { "A_REJECT", 0, 0 },
	{ "CONTINUE", 0, 0 }, { "DROP", 0, 0 }, { "REJECT", 0, 0 },
};
static const struct kwtab ct_dispositions = KWTAB(ct_disposition_kw, false);

static const struct keyword invalid_disposition_kw[] = {      /* must stay sorted */
	{ "A_DROP", 0, 0 }, { "A_REJECT", 0, 0 }, { "CONTINUE", 0, 0 }, { "DROP", 0, 0 }, { "REJECT", 0, 0 },
};
static const struct kwtab invalid_dispositions = KWTAB(invalid_disposition_kw, false);

static const struct keyword maclist_disposition_kw[] = {      /* must stay sorted */
	{ "ACCEPT", 0, 0 }, { "A_DROP", 0, 0 }, { "A_REJECT", 0, 0 }, { "DROP", 0, 0 }, { "REJECT", 0, 0 },
};
static const struct kwtab maclist_dispositions = KWTAB(maclist_disposition_kw, false);

static const struct keyword smurf_disposition_kw[] = {        /* must stay sorted */
	{ "A_DROP", 0, 0 }, { "DROP", 0, 0 },
};
static const struct kwtab smurf_dispositions = KWTAB(smurf_disposition_kw, false);

/* BLACKLIST_, SFILTER_, RPFILTER_DISPOSITION (checked, not modelled) */
static const struct keyword filter_disposition_kw[] = {       /* must stay sorted */
	{ "A_DROP", 0, 0 }, { "A_REJECT", 0, 0 }, { "DROP", 0, 0 }, { "REJECT", 0, 0 },
};
static const struct kwtab filter_dispositions = KWTAB(filter_disposition_kw, false);

/* Connection states BLACKLIST may name; the value is the bit, the order of the bits is the order
 * Shorewall writes them in. */
enum { BL_NEW = 1, BL_ESTABLISHED = 2, BL_RELATED = 4, BL_INVALID = 8, BL_UNTRACKED = 16 };
static const struct keyword blacklist_state_kw[] = {          /* must stay sorted */
	{ "ESTABLISHED", BL_ESTABLISHED, 0 }, { "INVALID", BL_INVALID, 0 }, { "NEW", BL_NEW, 0 },
	{ "RELATED", BL_RELATED, 0 }, { "UNTRACKED", BL_UNTRACKED, 0 },
};
static const struct kwtab blacklist_states = KWTAB(blacklist_state_kw, false);

/* DYNAMIC_BLACKLIST=ipset[-only][,option…]:… options; flags 1 = takes =N. */
static const struct keyword dbl_option_kw[] = {  /* must stay sorted */
	{ "disconnect", 0, 0 }, { "log", 0, 0 }, { "noupdate", 0, 0 }, { "src-dst", 0, 0 },
	{ "timeout", 0, 1 },
};
static const struct kwtab dbl_options = KWTAB(dbl_option_kw, false);

/* Variables of Shorewall's installation (its shorewallrc) that a stock shorewall.conf uses. */
enum { BI_CONFDIR, BI_PREFIX, BI_PRODUCT, BI_SHAREDIR, BI_VARDIR, BI_VARLIB };
static const struct keyword builtin_kw[] = {     /* must stay sorted */
	{ "CONFDIR", BI_CONFDIR, 0 }, { "PREFIX", BI_PREFIX, 0 }, { "PRODUCT", BI_PRODUCT, 0 },
	{ "SHAREDIR", BI_SHAREDIR, 0 }, { "VARDIR", BI_VARDIR, 0 }, { "VARLIB", BI_VARLIB, 0 },
};
static const struct kwtab builtins = KWTAB(builtin_kw, false);

static const struct kwtab *const all_kwtabs[] = {
	&bools, &tris, &ip_forwardings, &backends, &restarts, &tcp_flags_dispositions, &ct_dispositions,
	&invalid_dispositions, &maclist_dispositions, &smurf_dispositions, &filter_dispositions,
	&blacklist_states, &dbl_options, &builtins,
};

static const struct keyword *kwt_find(const struct kwtab *t, const char *name)
{
	return t->nocase ? kw_find_nocase(t->kw, t->n, name) : kw_find(t->kw, t->n, name);
}

/* ---- the option table ----------------------------------------------------------------------------- */

enum conf_type {
	CT_BOOL,                    /* Yes/No/On/Off → bool */
	CT_STRING,                  /* any text → const char * */
	CT_WORD,                    /* one of words → const char * (the table's spelling) */
	CT_ENUM,                    /* one of words → an int-sized enum (the keyword's value) */
	CT_ACTIONS,                 /* *_DEFAULT: none, or a list of actions → const char * */
	CT_LEVEL,                   /* a log level → const char * (normalised; NULL = none) */
	CT_TRI,                     /* Keep/Yes/No/On/Off or 0..max → int, -1 = Keep */
	CT_UNSIGNED,                /* decimal (checked only) */
	CT_SPECIAL,                 /* its own setter */
	CT_IGNORED,                 /* known to Shorewall, not modelled: taken as it is */
	CT_ELIMINATED,              /* removed from Shorewall: refused with advice */
};

struct conf_ctx;
struct conf_option;
typedef void conf_setter(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			 const struct loc *loc);

struct conf_option {
	const char *name;
	enum conf_type type;
	size_t offset;              /* offsetof(struct settings, field); NO_FIELD = checked only */
	const struct kwtab *words;  /* CT_WORD, CT_ENUM */
	const char *empty;          /* what `NAME=` means; NULL = unset (NULL text, no change) */
	conf_setter *set;           /* CT_SPECIAL */
	bool text;                  /* CT_SPECIAL: the field is a const char * */
	int max;                    /* CT_TRI: largest number allowed (0 = words only) */
	bool fatal;                 /* CT_ELIMINATED: error (Shorewall refuses it) or warning */
	const char *advice;         /* CT_ELIMINATED: what to do instead */
};

#define NO_FIELD ((size_t)-1)
/* offsetof, plus a compile-time check that the field has the type the option's kind writes. */
#define FIELD_OF(f, T) (offsetof(struct settings, f) + 0 * sizeof(struct { \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((struct settings *)0)->f), T), \
		       "settings." #f " does not have the type its option writes"); int unused_; }))
#define FIELD_INT(f) (offsetof(struct settings, f) + 0 * sizeof(struct { \
	_Static_assert(sizeof(((struct settings *)0)->f) == sizeof(int), \
		       "settings." #f " is not an int-sized enum"); int unused_; }))

#define BOOL(n, f, e)           { .name = n, .type = CT_BOOL, .offset = FIELD_OF(f, bool), .empty = e }
#define CHECK_BOOL(n)           { .name = n, .type = CT_BOOL, .offset = NO_FIELD }
#define STRING(n, f, e)         { .name = n, .type = CT_STRING, .offset = FIELD_OF(f, const char *), .empty = e }
#define WORD(n, f, t, e)        { .name = n, .type = CT_WORD, .offset = FIELD_OF(f, const char *), .words = &t, .empty = e }
#define CHECK_WORD(n, t, e)     { .name = n, .type = CT_WORD, .offset = NO_FIELD, .words = &t, .empty = e }
#define ENUM(n, f, t, e)        { .name = n, .type = CT_ENUM, .offset = FIELD_INT(f), .words = &t, .empty = e }
#define ACTIONS(n, f)           { .name = n, .type = CT_ACTIONS, .offset = FIELD_OF(f, const char *), .empty = "none" }
#define LEVEL(n, f, e)          { .name = n, .type = CT_LEVEL, .offset = FIELD_OF(f, const char *), .empty = e }
#define CHECK_LEVEL(n)          { .name = n, .type = CT_LEVEL, .offset = NO_FIELD }
#define TRI(n, f, m, e)         { .name = n, .type = CT_TRI, .offset = FIELD_OF(f, int), .max = m, .empty = e }
#define CHECK_UNSIGNED(n)       { .name = n, .type = CT_UNSIGNED, .offset = NO_FIELD }
#define SPECIAL(n, f, T, fn, e) { .name = n, .type = CT_SPECIAL, .offset = FIELD_OF(f, T), .set = fn, .empty = e }
#define SPECIAL_TEXT(n, f, fn, e) { .name = n, .type = CT_SPECIAL, .offset = FIELD_OF(f, const char *), \
				    .set = fn, .empty = e, .text = true }
#define SPECIAL_NOFIELD(n, fn)  { .name = n, .type = CT_SPECIAL, .offset = NO_FIELD, .set = fn }
#define IGNORED(n)              { .name = n, .type = CT_IGNORED, .offset = NO_FIELD }
#define ELIMINATED(n, f, a)     { .name = n, .type = CT_ELIMINATED, .offset = NO_FIELD, .fatal = f, .advice = a }

static conf_setter set_blacklist, set_blacklistnewonly, set_clampmss, set_dynamic_blacklist, set_fw, set_ipsecfile,
	set_legacy_restart, set_logburst, set_logformat, set_loglimit, set_lograte, set_optimize,
	set_restorefile, set_zone2zone;

/* Every name Shorewall 5.2.8's Config.pm knows (its %config keys, %renamed and %eliminated), FW from
 * 2.x, and IPTABLES_BACKEND, which is ours. */
static const struct conf_option options[] = {    /* must stay sorted (strcmp) */
	ACTIONS("ACCEPT_DEFAULT", accept_default),
	CHECK_BOOL("ACCOUNTING"),
	IGNORED("ACCOUNTING_TABLE"),
	CHECK_BOOL("ADD_IP_ALIASES"),
	CHECK_BOOL("ADD_SNAT_ALIASES"),
	BOOL("ADMINISABSENTMINDED", admin_absentminded, "No"),
	IGNORED("ARPTABLES"),
	CHECK_BOOL("AUTOCOMMENT"),
	CHECK_BOOL("AUTOHELPERS"),
	IGNORED("AUTOMAKE"),
	CHECK_BOOL("AUTO_COMMENT"),
	CHECK_BOOL("BALANCE_PROVIDERS"),
	CHECK_BOOL("BASIC_FILTERS"),
	SPECIAL_TEXT("BLACKLIST", blacklist, set_blacklist, NULL),
	SPECIAL_NOFIELD("BLACKLISTNEWONLY", set_blacklistnewonly),
	ACTIONS("BLACKLIST_DEFAULT", blacklist_default),
	CHECK_WORD("BLACKLIST_DISPOSITION", filter_dispositions, "DROP"),
	CHECK_LEVEL("BLACKLIST_LOGLEVEL"),
	CHECK_LEVEL("BLACKLIST_LOG_LEVEL"),
	IGNORED("BRIDGING"),
	ELIMINATED("CHAIN_SCRIPTS", false, "per-chain scripts are never run; remove it"),
	SPECIAL("CLAMPMSS", clampmss, int, set_clampmss, "No"),
	CHECK_BOOL("CLEAR_TC"),
	CHECK_BOOL("COMPLETE"),
	STRING("CONFIG_PATH", config_path, DEFAULT_CONFIG_PATH),
	CHECK_BOOL("DEFER_DNS_RESOLUTION"),
	CHECK_BOOL("DELAYBLACKLISTLOAD"),
	CHECK_BOOL("DELETE_THEN_ADD"),
	CHECK_BOOL("DETECT_DNAT_IPADDRS"),
	BOOL("DISABLE_IPV6", disable_ipv6, "No"),
	CHECK_BOOL("DOCKER"),
	IGNORED("DOCKER_BRIDGE"),
	IGNORED("DONT_LOAD"),
	ACTIONS("DROP_DEFAULT", drop_default),
	SPECIAL_TEXT("DYNAMIC_BLACKLIST", dynamic_blacklist, set_dynamic_blacklist, "Yes"),
	IGNORED("DYNAMIC_ZONES"),
	BOOL("EXPAND_POLICIES", expand_policies, "No"),
	CHECK_BOOL("EXPORTMODULES"),
	ELIMINATED("EXPORTPARAMS", false, "params are never run or exported; remove it"),
	BOOL("FASTACCEPT", fastaccept, "No"),
	IGNORED("FAST_STOP"),
	IGNORED("FIREWALL"),
	CHECK_BOOL("FORWARD_CLEAR_MARK"),
	SPECIAL_TEXT("FW", fw, set_fw, "fw"),
	IGNORED("GEOIPDIR"),
	IGNORED("HELPERS"),
	ELIMINATED("HIGH_ROUTE_MARKS", true, "use PROVIDER_OFFSET instead"),
	CHECK_BOOL("IGNOREUNKNOWNVARIABLES"),
	BOOL("IMPLICIT_CONTINUE", implicit_continue, "No"),
	ELIMINATED("INLINE_MATCHES", false, "use the INLINE action in the rules file; remove it"),
	WORD("INVALID_DISPOSITION", invalid_disposition, invalid_dispositions, "CONTINUE"),
	CHECK_LEVEL("INVALID_LOG_LEVEL"),
	IGNORED("IP"),
	SPECIAL_NOFIELD("IPSECFILE", set_ipsecfile),
	IGNORED("IPSET"),
	CHECK_BOOL("IPSET_WARNINGS"),
	IGNORED("IPTABLES"),
	ENUM("IPTABLES_BACKEND", backend, backends, "auto"),
	ENUM("IP_FORWARDING", ip_forwarding, ip_forwardings, "On"),
	CHECK_BOOL("KEEP_RT_TABLES"),
	ELIMINATED("LEGACY_FASTSTART", false, "the compiled ruleset is always rebuilt; remove it"),
	SPECIAL_NOFIELD("LEGACY_RESTART", set_legacy_restart),
	ELIMINATED("LOAD_HELPERS_ONLY", false, "the helpers file is always the one used; remove it"),
	IGNORED("LOCKFILE"),
	CHECK_LEVEL("LOGALLNEW"),
	SPECIAL_TEXT("LOGBURST", logburst, set_logburst, NULL),
	STRING("LOGFILE", logfile, "/var/log/messages"),
	SPECIAL_TEXT("LOGFORMAT", logformat, set_logformat, "Shorewall:%s:%s:"),
	SPECIAL_TEXT("LOGLIMIT", loglimit, set_loglimit, NULL),
	SPECIAL_TEXT("LOGRATE", lograte, set_lograte, NULL),
	CHECK_BOOL("LOGTAGONLY"),
	IGNORED("LOG_BACKEND"),
	LEVEL("LOG_LEVEL", log_level, "info"),
	TRI("LOG_MARTIANS", log_martians, 0, "On"),
	IGNORED("LOG_VERBOSITY"),
	IGNORED("LOG_ZONE"),
	WORD("MACLIST_DISPOSITION", maclist_disposition, maclist_dispositions, "REJECT"),
	CHECK_LEVEL("MACLIST_LOG_LEVEL"),
	IGNORED("MACLIST_TABLE"),
	IGNORED("MACLIST_TTL"),
	CHECK_BOOL("MANGLE_ENABLED"),
	ELIMINATED("MAPOLDACTIONS", false, "write the actions by their current names; remove it"),
	CHECK_BOOL("MARK_IN_FORWARD_CHAIN"),
	IGNORED("MASK_BITS"),
	CHECK_BOOL("MINIUPNPD"),
	IGNORED("MODULESDIR"),
	ELIMINATED("MODULE_SUFFIX", false, "modules are named without a suffix in the modules and helpers files; remove it"),
	BOOL("MULTICAST", multicast, "No"),
	CHECK_UNSIGNED("MUTEX_TIMEOUT"),
	IGNORED("NFACCT"),
	ACTIONS("NFQUEUE_DEFAULT", nfqueue_default),
	IGNORED("NULL_ROUTE_RFC1918"),
	SPECIAL("OPTIMIZE", optimize, unsigned, set_optimize, "0"),
	CHECK_BOOL("OPTIMIZE_ACCOUNTING"),
	IGNORED("PAGER"),
	IGNORED("PATH"),
	IGNORED("PERL"),
	IGNORED("PERL_HASH_SEED"),
	IGNORED("PKTTYPE"),
	IGNORED("PROVIDER_BITS"),
	IGNORED("PROVIDER_OFFSET"),
	ACTIONS("QUEUE_DEFAULT", queue_default),
	IGNORED("RCP_COMMAND"),
	IGNORED("REJECT_ACTION"),
	ACTIONS("REJECT_DEFAULT", reject_default),
	WORD("RELATED_DISPOSITION", related_disposition, ct_dispositions, "ACCEPT"),
	CHECK_LEVEL("RELATED_LOG_LEVEL"),
	CHECK_BOOL("RENAME_COMBINED"),
	CHECK_BOOL("REQUIRE_INTERFACE"),
	ENUM("RESTART", restart, restarts, "reload"),
	SPECIAL_TEXT("RESTOREFILE", restorefile, set_restorefile, "restore"),
	CHECK_BOOL("RESTORE_DEFAULT_ROUTE"),
	CHECK_BOOL("RESTORE_ROUTEMARKS"),
	CHECK_BOOL("RETAIN_ALIASES"),
	CHECK_LEVEL("RFC1918_LOG_LEVEL"),
	IGNORED("RFC1918_STRICT"),
	TRI("ROUTE_FILTER", route_filter, 2, "Keep"),
	CHECK_WORD("RPFILTER_DISPOSITION", filter_dispositions, "DROP"),
	CHECK_LEVEL("RPFILTER_LOG_LEVEL"),
	IGNORED("RSH_COMMAND"),
	CHECK_BOOL("SAVE_ARPTABLES"),
	IGNORED("SAVE_IPSETS"),
	CHECK_WORD("SFILTER_DISPOSITION", filter_dispositions, "DROP"),
	CHECK_LEVEL("SFILTER_LOG_LEVEL"),
	IGNORED("SHOREWALL_COMPILER"),
	IGNORED("SHOREWALL_SHELL"),
	WORD("SMURF_DISPOSITION", smurf_disposition, smurf_dispositions, "DROP"),
	CHECK_LEVEL("SMURF_LOG_LEVEL"),
	BOOL("STARTUP_ENABLED", startup_enabled, "Yes"),
	IGNORED("STARTUP_LOG"),
	IGNORED("SUBSYSLOCK"),
	IGNORED("TC"),
	WORD("TCP_FLAGS_DISPOSITION", tcp_flags_disposition, tcp_flags_dispositions, "DROP"),
	CHECK_LEVEL("TCP_FLAGS_LOG_LEVEL"),
	IGNORED("TC_BITS"),
	IGNORED("TC_ENABLED"),
	CHECK_BOOL("TC_EXPERT"),
	IGNORED("TC_PRIOMAP"),
	CHECK_BOOL("TRACK_PROVIDERS"),
	IGNORED("TRACK_RULES"),
	WORD("UNTRACKED_DISPOSITION", untracked_disposition, ct_dispositions, "CONTINUE"),
	CHECK_LEVEL("UNTRACKED_LOG_LEVEL"),
	CHECK_BOOL("USE_ACTIONS"),
	CHECK_BOOL("USE_DEFAULT_RT"),
	CHECK_BOOL("USE_NFLOG_SIZE"),
	BOOL("USE_PHYSICAL_NAMES", use_physical_names, "No"),
	CHECK_BOOL("USE_RT_NAMES"),
	CHECK_BOOL("VERBOSE_MESSAGES"),
	IGNORED("VERBOSITY"),
	CHECK_BOOL("WARNOLDCAPVERSION"),
	ELIMINATED("WIDE_TC_MARKS", true, "use TC_BITS, MASK_BITS and PROVIDER_OFFSET instead"),
	CHECK_BOOL("WORKAROUNDS"),
	CHECK_BOOL("ZERO_MARKS"),
	SPECIAL("ZONE2ZONE", zone2zone_2, bool, set_zone2zone, "-"),
	IGNORED("ZONE_BITS"),
};
#define NOPTIONS KW_COUNT(options)

static int option_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct conf_option *)elem)->name);
}

static const struct conf_option *option_find(const char *name)
{
	return bsearch(name, options, NOPTIONS, sizeof(options[0]), option_cmp);
}

bool conf_is_option(const char *name)
{
	return option_find(name) != NULL;
}

const char *conf_option_name(size_t i)
{
	return i < NOPTIONS ? options[i].name : NULL;
}

const struct keyword *conf_keyword_table(size_t i, size_t *n, bool *nocase)
{
	if (i >= KW_COUNT(all_kwtabs))
		return NULL;
	*n = all_kwtabs[i]->n;
	*nocase = all_kwtabs[i]->nocase;
	return all_kwtabs[i]->kw;
}

/* ---- parsing state ---------------------------------------------------------------------------------- */

struct conf_ctx {
	struct compile *c;
	struct settings *s;
	const char *given[NOPTIONS];        /* value as written (expanded); NULL = not in the file */
	struct loc where[NOPTIONS];
	unsigned blacklist_bits;            /* BLACKLIST states given, BL_* */
	int blacklist_newonly;              /* 2.x BLACKLISTNEWONLY: -1 not given, else 0/1 */
	int legacy_restart;                 /* LEGACY_RESTART: -1 not given, else 0/1 */
};

static size_t option_index(const struct conf_option *o)
{
	return (size_t)(o - options);
}

static void *field_of(struct settings *s, const struct conf_option *o)
{
	return o->offset == NO_FIELD ? NULL : (char *)s + o->offset;
}

static void invalid(struct conf_ctx *x, const struct conf_option *o, const char *value, const struct loc *loc)
{
	diag_error(x->c->diag, loc, "Invalid value (%s) for %s", value, o->name);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Decimal without sign, at most max; false if not. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!all_digits(s) || strlen(s) > 10)
		return false;
	unsigned long v = strtoul(s, NULL, 10);
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* ---- checks shared by several options --------------------------------------------------------------- */

/* *_DEFAULT: none, or a comma list of action[(parameters)][:level…]. Commas inside parentheses
 * belong to the parameters. */
static bool actions_ok(const char *text)
{
	const char *p = text;
	for (;;) {
		if (!isalpha((unsigned char)*p))
			return false;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
			p++;
		if (*p == '(') {
			int depth = 0;
			for (; *p; p++) {
				if (*p == '(')
					depth++;
				else if (*p == ')' && --depth == 0)
					break;
			}
			if (!*p)
				return false;
			p++;
		}
		if (*p == ':')
			while (*p && *p != ',')
				p++;
		if (!*p)
			return true;
		if (*p != ',')
			return false;
		p++;
	}
}

/* ---- LOGFORMAT -------------------------------------------------------------------------------------- */

/* Length of what Perl's sprintf makes of fmt with Shorewall's sample arguments (chain "fooxx2barxx",
 * rule number 1 when the format has %d, disposition "ACCEPT"), or -1 for a conversion Shorewall's
 * prefixes cannot use. Flags, width and precision count as Perl counts them. */
static long logformat_length(const char *fmt)
{
	const char *args[3];
	unsigned nargs = 0, next = 0;
	args[nargs++] = "fooxx2barxx";
	if (strstr(fmt, "%d"))
		args[nargs++] = "1";
	args[nargs++] = "ACCEPT";
	long len = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			len++;
			continue;
		}
		p++;
		if (*p == '%') {
			len++;
			continue;
		}
		while (*p && strchr("-+ 0#", *p))     /* flags change where the padding goes, not how much */
			p++;
		long width = 0, prec = -1;
		while (isdigit((unsigned char)*p) && width < 1000)
			width = width * 10 + (*p++ - '0');
		if (*p == '.') {
			prec = 0;
			for (p++; isdigit((unsigned char)*p) && prec < 1000; p++)
				prec = prec * 10 + (*p - '0');
		}
		const char *arg = next < nargs ? args[next] : "";
		next++;
		long n;
		if (*p == 's') {
			n = (long)strlen(arg);
			if (prec >= 0 && n > prec)
				n = prec;
		} else if (*p == 'd' || *p == 'i') {
			/* a word numifies to 0 in Perl */
			n = isdigit((unsigned char)arg[0]) ? (long)strlen(arg) : 1;
		} else {
			return -1;
		}
		len += n > width ? n : width;
	}
	return len;
}

unsigned conf_logformat_zonelen(const char *format)
{
	long len = logformat_length(format);
	if (len < 0 || len > 29)
		return 0;
	return (unsigned)(5 + (29 - len) / 2);
}

/* ---- special options -------------------------------------------------------------------------------- */

static void set_logformat(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			  const struct loc *loc)
{
	long len = logformat_length(value);
	if (len < 0) {
		invalid(x, o, value, loc);
		return;
	}
	if (len > 29) {
		diag_error(x->c->diag, loc, "LOGFORMAT string is longer than 29 characters (%s)", value);
		return;
	}
	*(const char **)field = value;
	x->s->maxzonenamelength = conf_logformat_zonelen(value);
}

/* [s:|d:]N[/unit][:burst]: the rate grammar of the policy and rules files without a table name or
 * a second limit, as Shorewall's LOGLIMIT has neither. */
static void set_loglimit(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			 const struct loc *loc)
{
	struct rate *r;
	if (!*value)
		*(const char **)field = NULL;
	else if (!rate_parse(x->c, loc, value, &r))
		return;         /* reported */
	else if (r->name || r->next)
		diag_error(x->c->diag, loc, "Invalid rate (%s)", value);
	else
		*(const char **)field = value;
}

/* 2.x: LOGRATE=N/unit and LOGBURST=N, folded into LOGLIMIT once the whole file is read. */
static void set_lograte(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			const struct loc *loc)
{
	struct rate *r;
	if (!*value)
		*(const char **)field = NULL;
	else if (!rate_parse(x->c, loc, value, &r))
		return;         /* reported */
	else if (r->per || r->name || r->next || r->burst || !strchr(value, '/'))
		invalid(x, o, value, loc);
	else
		*(const char **)field = value;
}

static void set_logburst(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			 const struct loc *loc)
{
	unsigned long v;
	if (!*value)
		*(const char **)field = NULL;
	else if (parse_uint(value, 0xffffffffUL, &v) && v > 0)
		*(const char **)field = value;
	else
		invalid(x, o, value, loc);
}

static void set_optimize(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			 const struct loc *loc)
{
	unsigned long v;
	if (strcasecmp(value, "all") == 0)
		v = 31;
	else if (strcasecmp(value, "none") == 0)
		v = 0;
	else if (!parse_uint(value, 31, &v)) {
		invalid(x, o, value, loc);
		return;
	}
	*(unsigned *)field = (unsigned)v;
}

/* Yes = clamp to the path MTU (-1), No = none (0), N = this MSS. */
static void set_clampmss(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			 const struct loc *loc)
{
	unsigned long v;
	const struct keyword *k;
	if (parse_uint(value, 65535, &v))
		*(int *)field = (int)v;
	else if ((k = kwt_find(&bools, value)))
		*(int *)field = k->value ? -1 : 0;
	else
		invalid(x, o, value, loc);
}

static void set_zone2zone(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			  const struct loc *loc)
{
	if (strcmp(value, "-") == 0)
		*(bool *)field = false;
	else if (strcmp(value, "2") == 0)
		*(bool *)field = true;
	else
		invalid(x, o, value, loc);
}

/* The 2.x name of the firewall zone; the zones parser checks its length against LOGFORMAT. */
static void set_fw(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
		   const struct loc *loc)
{
	bool ok = isalpha((unsigned char)value[0]);
	for (const char *p = value; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || *p == '_';
	if (ok)
		*(const char **)field = value;
	else
		invalid(x, o, value, loc);
}

/* A file name in Shorewall's state directory, never a path. */
static void set_restorefile(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			    const struct loc *loc)
{
	if (strchr(value, '/') || strcmp(value, ".") == 0 || strcmp(value, "..") == 0)
		invalid(x, o, value, loc);
	else
		*(const char **)field = value;
}

/* ALL, or a list of connection states, stored in Shorewall's order. Empty: decided once FASTACCEPT
 * is known (finish). */
static void set_blacklist(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			  const struct loc *loc)
{
	x->blacklist_bits = 0;
	if (!*value) {
		*(const char **)field = NULL;
		return;
	}
	if (strcmp(value, "ALL") == 0) {
		*(const char **)field = value;
		return;
	}
	unsigned bits = 0;
	bool ok = true;
	char *copy = arena_strdup(x->c->arena, value);
	for (char *save = NULL, *st = strtok_r(copy, ",", &save); st; st = strtok_r(NULL, ",", &save)) {
		const struct keyword *k = kwt_find(&blacklist_states, st);
		if (!k) {
			diag_error(x->c->diag, loc, "Invalid BLACKLIST state (%s)", st);
			ok = false;
		} else if (bits & (unsigned)k->value) {
			diag_error(x->c->diag, loc, "Duplicate BLACKLIST state (%s)", st);
			ok = false;
		}
		bits |= k ? (unsigned)k->value : 0;
	}
	if (!ok || !bits) {
		if (ok)
			invalid(x, o, value, loc);
		return;
	}
	static const char *const order[] = { "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED" };
	char buf[64] = "";
	for (unsigned i = 0; i < 5; i++)
		if (bits & (1u << i))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", *buf ? "," : "", order[i]);
	*(const char **)field = arena_strdup(x->c->arena, buf);
	x->blacklist_bits = bits;
}

/* Yes/No, or ipset[-only][,option…][:set[:level[:tag]]] (an ipset holds the blacklist). */
static void set_dynamic_blacklist(struct conf_ctx *x, const struct conf_option *o, void *field,
				  const char *value, const struct loc *loc)
{
	const struct keyword *k;
	if (strncmp(value, "ipset", 5) != 0) {
		if ((k = kwt_find(&bools, value)))
			*(const char **)field = k->value ? "Yes" : "No";
		else
			invalid(x, o, value, loc);
		return;
	}
	char *copy = arena_strdup(x->c->arena, value), *part[5] = { 0 };
	unsigned n = 0;
	for (char *p = copy; p && n < 5; n++) {
		part[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	bool ok = n <= 4;
	char *save = NULL, *key = strtok_r(part[0], ",", &save);
	ok = ok && key && (strcmp(key, "ipset") == 0 || strcmp(key, "ipset-only") == 0);
	for (char *opt; ok && (opt = strtok_r(NULL, ",", &save));) {
		char *eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		k = kwt_find(&dbl_options, opt);
		if (!k || (k->flags != 0) != (eq != NULL) || (eq && !all_digits(eq + 1))) {
			if (eq)
				*eq = '=';
			diag_error(x->c->diag, loc, "Invalid ipset option (%s) in DYNAMIC_BLACKLIST", opt);
			return;
		}
	}
	if (ok && n >= 2 && *part[1]) {
		ok = isalpha((unsigned char)part[1][0]);
		for (const char *p = part[1]; ok && *p; p++)
			ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
	}
	if (!ok) {
		invalid(x, o, value, loc);
		return;
	}
	const char *level;
	if (n >= 3 && *part[2] && !loglevel_parse(x->c, loc, part[2], &level))
		return;         /* reported */
	*(const char **)field = value;
}

/* 2.x: Yes = the blacklist is consulted for new connections only; becomes BLACKLIST (finish),
 * as `shorewall update` rewrites it. */
static void set_blacklistnewonly(struct conf_ctx *x, const struct conf_option *o, void *field,
				 const char *value, const struct loc *loc)
{
	const struct keyword *k = kwt_find(&bools, value);
	if (!*value)
		return;
	if (!k)
		invalid(x, o, value, loc);
	else
		x->blacklist_newonly = k->value;
}

static void set_ipsecfile(struct conf_ctx *x, const struct conf_option *o, void *field, const char *value,
			  const struct loc *loc)
{
	/* 2.x named the file holding the IPsec zone definitions (ipsec or zones); we recognise the
	 * layout of the zones and ipsec files by themselves and read the ipsec file when it exists. */
	diag_info(x->c->diag, loc, "IPSECFILE=%s ignored: the ipsec file is read whenever it exists",
		  *value ? value : "\"\"");
}

/* Deprecated by 5.2 in favour of RESTART: Yes meant the old restart, which is today's reload. */
static void set_legacy_restart(struct conf_ctx *x, const struct conf_option *o, void *field,
			       const char *value, const struct loc *loc)
{
	const struct keyword *k = kwt_find(&bools, value);
	if (!*value)
		return;
	if (!k) {
		invalid(x, o, value, loc);
		return;
	}
	x->legacy_restart = k->value;
	if (k->value)
		diag_warn(x->c->diag, loc, "Option LEGACY_RESTART=%s is deprecated - use RESTART=reload", value);
}

/* ---- applying one value -------------------------------------------------------------------------------- */

static void apply(struct conf_ctx *x, const struct conf_option *o, const char *value, const struct loc *loc)
{
	void *field = field_of(x->s, o);
	const struct keyword *k;
	unsigned long v;

	if (!*value && o->empty)
		value = o->empty;
	if (o->type == CT_SPECIAL) {
		o->set(x, o, field, value, loc);
		return;
	}
	if (!*value) {
		/* empty and nothing to stand for it: unset */
		if (field && (o->type == CT_STRING || o->type == CT_LEVEL))
			*(const char **)field = NULL;
		return;
	}
	switch (o->type) {
	case CT_BOOL:
		if (!(k = kwt_find(&bools, value)))
			invalid(x, o, value, loc);
		else if (field)
			*(bool *)field = k->value != 0;
		break;
	case CT_STRING:
		*(const char **)field = value;
		break;
	case CT_WORD:
		if (!(k = kwt_find(o->words, value)))
			invalid(x, o, value, loc);
		else if (field)
			*(const char **)field = k->name;
		break;
	case CT_ENUM:
		if (!(k = kwt_find(o->words, value)))
			invalid(x, o, value, loc);
		else
			*(int *)field = k->value;
		break;
	case CT_ACTIONS:
		if (strcasecmp(value, "none") == 0)
			*(const char **)field = "none";
		else if (actions_ok(value))
			*(const char **)field = value;
		else
			invalid(x, o, value, loc);
		break;
	case CT_LEVEL: {
		/* stored as loglevel.c normalises it ("6" → "info"); none → NULL, no logging */
		const char *level;
		if (loglevel_parse(x->c, loc, value, &level) && field)
			*(const char **)field = level;
		break;
	}
	case CT_TRI:
		if ((k = kwt_find(&tris, value)))
			*(int *)field = k->value;
		else if (o->max && parse_uint(value, (unsigned long)o->max, &v))
			*(int *)field = (int)v;
		else
			invalid(x, o, value, loc);
		break;
	case CT_UNSIGNED:
		if (!parse_uint(value, 0xffffffffUL, &v))
			invalid(x, o, value, loc);
		break;
	case CT_IGNORED:
	case CT_ELIMINATED:
	case CT_SPECIAL:
		break;
	}
}

/* The text $NAME stands for when the option was not written: its value in settings where that is
 * text or a flag, else nothing (as in Shorewall, where an unset option expands to ""). */
static const char *default_text(struct conf_ctx *x, const struct conf_option *o)
{
	const void *field = field_of(x->s, o);
	if (!field)
		return "";
	switch (o->type) {
	case CT_BOOL:
		return *(const bool *)field ? "Yes" : "No";
	case CT_STRING:
	case CT_WORD:
	case CT_ACTIONS:
	case CT_LEVEL: {
		const char *t = *(const char *const *)field;
		return t ? t : "";
	}
	case CT_SPECIAL:
		if (o->text) {
			const char *t = *(const char *const *)field;
			return t ? t : "";
		}
		return "";
	case CT_ENUM:
		for (size_t i = 0; i < o->words->n; i++)
			if (o->words->kw[i].value == *(const int *)field)
				return o->words->kw[i].name;
		return "";
	case CT_TRI:
		return *(const int *)field < 0 ? "Keep" : arena_printf(x->c->arena, "%d", *(const int *)field);
	default:
		return "";
	}
}

/* $NAME inside shorewall.conf: params (and FW), then options set above, then Shorewall's
 * installation directories. */
static const char *conf_lookup(void *ctx, const char *name)
{
	struct conf_ctx *x = ctx;
	const char *v = compile_param(x->c, name);
	if (v)
		return v;
	const struct conf_option *o = option_find(name);
	if (o && o->type != CT_ELIMINATED)
		return x->given[option_index(o)] ? x->given[option_index(o)] : default_text(x, o);
	const struct keyword *b = kwt_find(&builtins, name);
	if (!b)
		return NULL;
	/* SHAREDIR here is Shorewall's (the parent of the product directories) */
	char *share = arena_strdup(x->c->arena, SHAREDIR), *slash = strrchr(share, '/');
	if (slash && slash != share)
		*slash = '\0';
	switch (b->value) {
	case BI_CONFDIR:
		return SYSCONFDIR;
	case BI_PREFIX:
		slash = strrchr(share, '/');
		return slash && slash != share ? arena_strndup(x->c->arena, share, (size_t)(slash - share)) : "/usr";
	case BI_PRODUCT:
		return "shorewall";
	case BI_SHAREDIR:
		return share;
	case BI_VARDIR:
		return "/var/lib/shorewall";
	default:
		return "/var/lib";
	}
}

/* ---- the file -------------------------------------------------------------------------------------------- */

static void conf_line(struct conf_ctx *x, const struct row *r)
{
	const char *line = r->col[0], *p = line;
	if (isalpha((unsigned char)*p))
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
	if (p == line || *p != '=') {
		diag_error(x->c->diag, &r->loc, "Unrecognized shorewall.conf entry (%s)", line);
		return;
	}
	char *name = arena_strndup(x->c->arena, line, (size_t)(p - line));
	const struct conf_option *o = option_find(name);
	if (!o) {
		diag_warn(x->c->diag, &r->loc, "Unknown configuration option (%s) ignored", name);
		return;
	}
	if (o->type == CT_ELIMINATED) {
		if (o->fatal)
			diag_error(x->c->diag, &r->loc, "The %s configuration option has been superceded - %s",
				   name, o->advice);
		else
			diag_warn(x->c->diag, &r->loc, "The %s configuration option is no longer supported - %s",
				  name, o->advice);
		return;
	}
	p++;
	struct shword w = { .c = x->c, .loc = &r->loc, .shell = false, .file = "shorewall.conf",
			    .lookup = conf_lookup, .ctx = x };
	char *value = shword_read(&w, &p);
	if (!value)
		return;
	size_t i = option_index(o);
	x->given[i] = value;
	x->where[i] = r->loc;
	apply(x, o, value, &r->loc);
}

/* What depends on more than one option, once the whole file is read. */
static void finish(struct conf_ctx *x)
{
	struct settings *s = x->s;
	size_t rate = option_index(option_find("LOGRATE")), burst = option_index(option_find("LOGBURST"));
	size_t limit = option_index(option_find("LOGLIMIT"));
	size_t bl = option_index(option_find("BLACKLIST")), restart = option_index(option_find("RESTART"));

	if (x->given[rate] || x->given[burst]) {
		const struct loc *loc = x->given[rate] ? &x->where[rate] : &x->where[burst];
		if (x->given[limit]) {
			diag_warn(x->c->diag, loc, "LOGRATE and LOGBURST are ignored when LOGLIMIT is set");
		} else if (s->lograte && s->logburst) {
			s->loglimit = arena_printf(x->c->arena, "%s:%s", s->lograte, s->logburst);
		} else if (s->lograte) {
			s->loglimit = s->lograte;
		} else if (s->logburst) {
			/* iptables' limit match rate when only the burst is given */
			s->loglimit = arena_printf(x->c->arena, "3/hour:%s", s->logburst);
		} else {
			s->loglimit = NULL;     /* both empty: 2.x logged without a limit */
		}
	}
	bool bl_written = x->given[bl] && *x->given[bl];
	if (x->blacklist_newonly >= 0) {
		size_t nb = option_index(option_find("BLACKLISTNEWONLY"));
		if (bl_written)
			diag_warn(x->c->diag, &x->where[nb], "BLACKLISTNEWONLY is ignored when BLACKLIST is set");
		else
			s->blacklist = x->blacklist_newonly || s->fastaccept ? "NEW,INVALID,UNTRACKED"
									    : "NEW,ESTABLISHED,INVALID,UNTRACKED";
	} else if (x->given[bl] && !bl_written) {
		s->blacklist = s->fastaccept ? "NEW,INVALID,UNTRACKED" : "NEW,ESTABLISHED,INVALID,UNTRACKED";
	}
	if ((x->blacklist_bits & BL_ESTABLISHED) && s->fastaccept)
		diag_error(x->c->diag, &x->where[bl], "ESTABLISHED state may not be specified when FASTACCEPT=Yes");
	if (x->legacy_restart >= 0 && (!x->given[restart] || !*x->given[restart]))
		s->restart = x->legacy_restart ? RESTART_RELOAD : RESTART_RESTART;

	/* Every option becomes a variable for the files read after this one, as Shorewall's
	 * add_variables does ($LOG_LEVEL in a policy file). They go after the params file's own
	 * variables (which may not reuse these names), so that the $VARs of rules files, the
	 * frequent ones, are found without passing ~150 option names first. FW is left to
	 * compile_param, which prefers the zone the zones file declares. */
	struct param **tail = &x->c->params;
	while (*tail)
		tail = &(*tail)->next;
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct conf_option *o = &options[i];
		if (o->type == CT_ELIMINATED || strcmp(o->name, "FW") == 0)
			continue;
		struct param *p = arena_new_obj(x->c->arena, struct param);
		p->name = o->name;
		p->value = x->given[i] ? x->given[i] : default_text(x, o);
		p->loc = x->given[i] ? x->where[i] : s->loc;
		*tail = p;
		tail = &p->next;
	}
}

int parse_conf(struct compile *c, struct source *s)
{
	unsigned before = c->diag->errors;
	if (!c->conf) {
		c->conf = arena_new_obj(c->arena, struct settings);
		settings_defaults(c->conf);
	}
	struct conf_ctx *x = arena_new_obj(c->arena, struct conf_ctx);
	x->c = c;
	x->s = c->conf;
	x->legacy_restart = -1;
	x->blacklist_newonly = -1;
	c->conf->loc = (struct loc){ s->info->path, 0 };
	/* Whole lines with quote-aware comments; each value is expanded here, quote by quote. */
	s->raw = true;
	s->expand = false;
	struct row r;
	while (source_next(s, &r))
		conf_line(x, &r);
	finish(x);
	return (int)(c->diag->errors - before);
}
