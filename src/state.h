/* state.h — VARDIR: what `start`/`stop`/`clear` remember between runs, read by `status`, `save`, `restore`.
 *
 * VARDIR is `--vardir DIR`, else $SHOREWALL_VARDIR, else /var/lib/shorewall. It holds
 *	state           one `key=value` per line: state, time, dir, digest, backend
 *	firewall.rules  the restore text of the ruleset last started (start, restart, reload)
 *	stopped.rules   the stopped ruleset of the configuration last started (for a `stop` that
 *	                can no longer compile it)
 *	zones, policies what `show zones` / `show policies` print, written at start
 *	restore         what `save` wrote (the kernel's ruleset, as iptables-save prints it)
 *	.try, .safe     the ruleset `try` / `safe-*` put back
 *	lock            flock()ed while a command changes the kernel, so two never interleave
 * Every file is replaced atomically (temporary file, fsync, rename): a crash leaves the old or the
 * new file, never half of one. */
#ifndef SHOREWALL_STATE_H
#define SHOREWALL_STATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define STATE_DEFAULT_VARDIR "/var/lib/shorewall"
#define STATE_RULES_FILE "firewall.rules"
#define STATE_SAVE_FILE "restore"

enum state_kind { STATE_UNKNOWN, STATE_STARTED, STATE_STOPPED, STATE_CLEARED, STATE_RESTORED };

struct state {
	enum state_kind kind;
	time_t when;                /* 0 = not recorded */
	char dir[4096];             /* the configuration directory applied ("" = none) */
	char digest[17];            /* hex digest of that configuration's files ("" = none) */
	char backend[16];           /* "legacy" or "nft" ("" = none) */
	char from[4096];            /* `restore`: the file the ruleset came from */
};

/* The VARDIR to use: opt if given, else $SHOREWALL_VARDIR if set and not empty, else the default. */
const char *state_vardir(const char *opt);
/* "Started", "Stopped", …; and back (STATE_UNKNOWN for anything else). */
const char *state_kind_name(enum state_kind k);
enum state_kind state_kind_parse(const char *s);
/* The name table, for the unit test's order check. */
struct keyword;
const struct keyword *state_kind_table(size_t *n);

/* Create VARDIR (mode 0700) if it does not exist. 0, or -1 with errno. */
int state_mkdir(const char *vardir);
/* Read VARDIR/state into *st. 0; -1 if there is none or it cannot be read (st->kind UNKNOWN). */
int state_read(const char *vardir, struct state *st);
/* Write *st as VARDIR/state. 0, or -1 with errno. */
int state_write(const char *vardir, const struct state *st);
/* Replace path with len bytes of text, atomically, mode 0600. 0, or -1 with errno. */
int state_write_file(const char *path, const char *text, size_t len);
/* The whole file, NUL-terminated, malloc'd (caller frees); *len may be NULL. NULL with errno. */
char *state_read_file(const char *path, size_t *len);
/* VARDIR/name, malloc'd. */
char *state_path(const char *vardir, const char *name);
/* Take VARDIR/lock exclusively (waits). The fd to state_unlock, or -1 with errno. */
int state_lock(const char *vardir);
void state_unlock(int fd);

/* FNV-1a, 64 bits, continued from h (start with STATE_DIGEST_INIT): the configuration's digest is
 * this over every file read, file name (without directory) and contents, in the order read. */
#define STATE_DIGEST_INIT 0xcbf29ce484222325ull
uint64_t state_digest_update(uint64_t h, const void *data, size_t len);
/* Digest of the files (paths, NULL-terminated list; unreadable ones count by name only) as 16 hex digits. */
void state_digest_files(const char *const *paths, size_t n, char out[17]);

#endif /* SHOREWALL_STATE_H */
