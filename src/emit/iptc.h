/* iptc.h — commit a ruleset to the legacy x_tables through libiptc, as one transaction across tables. */
#ifndef SHOREWALL_EMIT_IPTC_H
#define SHOREWALL_EMIT_IPTC_H 1

#include <stdbool.h>

#include "ir.h"

struct diag;
struct ipt_entry;

struct iptc_options {
	unsigned wait_ms;           /* how long to wait for the xtables lock; 0 = 10 s */
	bool dry_run;               /* build every table's handle, commit nothing (the same path) */
	/* Tests: bit (1 << IR_x) makes the commit of table x fail, after the tables before it (emit
	 * order raw, mangle, nat, filter) were committed, so the rollback path runs. 0 = none. */
	unsigned fail_commit;
};

/* Replace the kernel's raw, mangle, nat and filter tables (every table rs uses, and every one of
 * those the kernel holds) by rs, all or nothing: each table gets an untouched snapshot and a
 * working handle; the working handles are built completely (every rule turned into an ipt_entry
 * through libxtables), then committed in emit order; if a commit fails, the tables already
 * committed get their snapshot back. Waits for the xtables lock (XTABLES_LOCKFILE or
 * /run/xtables.lock). Errors go to d at the loc of the rule concerned; a rule the kernel refuses
 * is found by replaying the table in a scratch network namespace. opt may be NULL.
 * Returns 0, or -1 with the kernel holding the ruleset it held before. */
int iptc_apply(const struct ruleset *rs, struct diag *d, const struct iptc_options *opt);

/* The ipt_entry (ip header + matches + target) of one rendered rule, built by libxtables the way
 * iptables builds it from the same arguments; malloc'd (free it), or NULL with an error at the
 * rule's loc. Jumps and verdicts carry the label (chain name, "ACCEPT"…) that libiptc resolves.
 * Needs no kernel tables: the unit tests use it. */
struct ipt_entry *iptc_rule_entry(const struct ir_rule *r, const struct ir_argv *argv, struct diag *d);

/* The match modules whose entries iptc_apply builds once per distinct option text and reuses
 * (their blob depends on nothing else). */
struct keyword;
const struct keyword *iptc_cached_match_table(size_t *n);

#endif /* SHOREWALL_EMIT_IPTC_H */
