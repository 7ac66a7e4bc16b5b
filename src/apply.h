/* apply.h — putting a ruleset into the kernel: backend choice, one transaction, rollback, modules, sysctls.
 *
 * Two backends. A host whose `iptables` is the nf_tables variant (Debian's default) gets our
 * restore text through `iptables-nft-restore`; it must never get legacy x_tables beside its nft
 * ones. Otherwise libiptc commits the IR (iptc_apply, src/emit/iptc.h: one transaction across
 * tables, rolled back on failure). Text that has no IR (`restore FILE`) goes through
 * `iptables-legacy-restore`. On the restore paths a failure leaves the previous ruleset too: the
 * text is first checked with `--test`, the kernel's tables are saved (`-save -c`) before the commit
 * and restored if the commit fails (restore commits table by table). Every table the kernel holds is replaced, including those the
 * new ruleset leaves empty, so a `stop` also removes the nat rules of the running ruleset. */
#ifndef SHOREWALL_APPLY_H
#define SHOREWALL_APPLY_H 1

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"

struct compile;
struct diag;
struct ruleset;

enum apply_backend { APPLY_LEGACY, APPLY_NFT };

/* "legacy" / "nft"; and back from IPTABLES_BACKEND-style words (false if neither). */
const char *apply_backend_name(enum apply_backend b);
bool apply_backend_parse(const char *s, enum apply_backend *out);
/* IPTABLES_BACKEND=auto: nft when `iptables` is the nf_tables variant (`iptables -V` says so, or
 * /usr/sbin/iptables links to xtables-nft-multi), else legacy. */
enum apply_backend apply_detect(enum backend_choice choice);
/* The restore/save programs of a backend ("iptables-nft-restore", "iptables-legacy-save"). */
const char *apply_restore_prog(enum apply_backend b);
const char *apply_save_prog(enum apply_backend b);

/* Run argv[0] (searched in PATH) with stdin from in (may be NULL), capturing stdout and stderr
 * (either pointer may be NULL: discarded). Returns the exit status, 127 when it could not be run,
 * 128+N when killed by signal N. *out and *err are malloc'd, NUL-terminated. */
int apply_run(const char *const argv[], const char *in, size_t inlen, char **out, size_t *outlen,
	      char **err);

/* The kernel's ruleset as `<backend>-save` prints it (counters when `counters`), malloc'd;
 * NULL after reporting to d. */
char *apply_kernel_save(enum apply_backend b, bool counters, struct diag *d);
/* Does the save text hold `:NAME` in *filter? (Is the `shorewall` chain, hence a started
 * firewall, there?) */
bool apply_save_has_chain(const char *save, const char *table, const char *chain);

/* Apply restore text in one step with rollback (see above). map_rule, if not NULL, is asked for
 * the configuration line of a text line the kernel refused (so the error names the rule's file
 * and line). Prints "Applying via PROG"-style progress to stdout unless quiet. 0, or -1 after
 * reporting to d (the previous ruleset is in place again). */
struct restore_map;
int apply_text(enum apply_backend b, const char *text, size_t len, const struct restore_map *map,
	       struct diag *d, bool quiet);
/* Render rs (with emit_restore) and apply it: libiptc for legacy, apply_text for nft. *text_out (may be NULL) receives the rendered text, malloc'd, for VARDIR. */
int apply_ruleset(struct compile *c, const struct ruleset *rs, enum apply_backend b, char **text_out,
		  bool quiet);

/* Load the kernel modules the configuration needs: its own `modules`/`helpers` list, or else the
 * shipped lists (SHAREDIR/modules, or modules/ beside the build): netfilter, helpers, and ipsec
 * when the configuration uses IPsec. A module the kernel already has (/sys/module/NAME) is
 * skipped; a failure is a warning for a listed module and silent for a shipped one. */
void apply_modules(struct compile *c);
/* The /proc/sys settings the configuration asks for, in the namespace we run in: ip_forward
 * (IP_FORWARDING On/Off), ROUTE_FILTER / LOG_MARTIANS, and the interface options routefilter,
 * logmartians, arp_filter, arp_ignore, proxyarp, sourceroute. A missing interface is a warning.
 * procroot is "/proc/sys" (tests pass a directory of their own). */
void apply_sysctls(struct compile *c, const char *procroot);

#endif /* SHOREWALL_APPLY_H */
