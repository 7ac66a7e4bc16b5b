/* loglevel.c — log levels as Shorewall accepts them, normalised for the compiler and `show`. */
#include "loglevel.h"

#include "compile.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { LL_NFLOG = 8, LL_ULOG, LL_LOGMARK, LL_NONE };

/* Lower case, looked up case-insensitively (Shorewall upper-cases levels before it looks). */
static const struct keyword levels[] = {        /* must stay sorted */
	{ "alert", 1, 0 },
	{ "crit", 2, 0 },
	{ "debug", 7, 0 },
	{ "emerg", 0, 0 },
	{ "err", 3, 0 },
	{ "error", 3, 0 },
	{ "info", 6, 0 },
	{ "logmark", LL_LOGMARK, 0 },
	{ "nflog", LL_NFLOG, 0 },
	{ "none", LL_NONE, 0 },
	{ "notice", 5, 0 },
	{ "panic", 0, 0 },
	{ "ulog", LL_ULOG, 0 },
	{ "warn", 4, 0 },
	{ "warning", 4, 0 },
};

/* Canonical syslog names, by number. */
static const char *const syslog_names[8] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

/* LOG target options, value = bit; the `--log-…` spellings are folded onto these first. */
static const struct keyword log_options[] = {   /* must stay sorted */
	{ "ip_options", 1 << 1, 0 },
	{ "macdecode", 1 << 4, 0 },
	{ "tcp_options", 1 << 2, 0 },
	{ "tcp_sequence", 1 << 0, 0 },
	{ "uid", 1 << 3, 0 },
};

const struct keyword *loglevel_table(size_t *n)
{
	*n = KW_COUNT(levels);
	return levels;
}

const struct keyword *loglevel_option_table(size_t *n)
{
	*n = KW_COUNT(log_options);
	return log_options;
}

/* "(a,b)" → options text in canonical order; NULL if an option is unknown. */
static const char *syslog_options(struct compile *c, const char *list)
{
	char buf[128] = "";
	unsigned seen = 0;
	char *copy = arena_strdup(c->arena, list), *save = NULL;
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char name[32];
		if (strncmp(o, "--log-", 6) == 0)
			o += 6;
		size_t n = strlen(o);
		if (n == 0 || n >= sizeof(name))
			return NULL;
		for (size_t i = 0; i <= n; i++)
			name[i] = o[i] == '-' ? '_' : (char)tolower((unsigned char)o[i]);
		const struct keyword *k = KW_FIND(log_options, name);
		if (!k)
			return NULL;
		seen |= (unsigned)k->value;
	}
	if (!seen)
		return NULL;
	for (size_t i = 0; i < KW_COUNT(log_options); i++) {
		if (seen & (unsigned)log_options[i].value) {
			if (buf[0])
				strcat(buf, ",");
			strcat(buf, log_options[i].name);
		}
	}
	return arena_strdup(c->arena, buf);
}

/* NFLOG/ULOG arguments: up to three numbers, any of which may be left empty. */
static bool nflog_args(const char *list)
{
	unsigned count = 1;
	for (const char *p = list; *p; p++) {
		if (*p == ',')
			count++;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	return count <= 3;
}

bool loglevel_parse(struct compile *c, const struct loc *loc, const char *text, const char **out)
{
	*out = NULL;
	size_t len = strlen(text);
	bool bang = len && text[len - 1] == '!';
	char *lvl = arena_strndup(c->arena, text, bang ? len - 1 : len);
	char *paren = strchr(lvl, '(');
	char *args = NULL;
	if (paren) {
		size_t plen = strlen(paren);
		if (plen < 2 || paren[plen - 1] != ')')
			goto bad;
		*paren = '\0';
		paren[plen - 1] = '\0';
		args = paren + 1;
	}
	int value;
	if (lvl[0] >= '0' && lvl[0] <= '7' && lvl[1] == '\0') {
		value = lvl[0] - '0';
	} else {
		const struct keyword *k = kw_find_nocase(levels, KW_COUNT(levels), lvl);
		if (!k)
			goto bad;
		value = k->value;
	}
	const char *norm;
	if (value < 8) {
		norm = syslog_names[value];
		if (args) {
			const char *opts = syslog_options(c, args);
			if (!opts)
				goto bad;
			norm = arena_printf(c->arena, "%s(%s)", norm, opts);
		}
	} else if (value == LL_NFLOG || value == LL_ULOG) {
		const char *name = value == LL_NFLOG ? "NFLOG" : "ULOG";
		if (args && !nflog_args(args))
			goto bad;
		norm = args ? arena_printf(c->arena, "%s(%s)", name, args) : name;
	} else if (value == LL_LOGMARK) {
		int sub = 6;
		if (args) {
			if (args[0] >= '0' && args[0] <= '7' && args[1] == '\0') {
				sub = args[0] - '0';
			} else {
				const struct keyword *k = kw_find_nocase(levels, KW_COUNT(levels), args);
				if (!k || k->value >= 8)
					goto bad;
				sub = k->value;
			}
		}
		norm = arena_printf(c->arena, "LOGMARK(%s)", syslog_names[sub]);
	} else {
		/* none: no logging at all; arguments or '!' make no sense with it. */
		if (args || bang)
			goto bad;
		return true;
	}
	*out = bang ? arena_printf(c->arena, "%s!", norm) : norm;
	return true;
bad:
	diag_error(c->diag, loc, "Invalid log level (%s)", text);
	return false;
}
