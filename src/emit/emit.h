/* emit.h — emitters behind one ops table: restore text, the dry run, later the libiptc commit. */
#ifndef SHOREWALL_EMIT_H
#define SHOREWALL_EMIT_H 1

#include <stdio.h>

#include "ir.h"

/* What an emitter does at each step of emit_ruleset's walk. Every op may be NULL (nothing to do);
 * an op returns 0, or -1 to stop the walk, after which abort() is called and emit_ruleset returns -1.
 *
 *   begin(ctx, rs)          once, before anything
 *   table(ctx, t)           a table starts: raw, mangle, nat, filter in that order; a table is
 *                           walked only if ir_table_used() (filter always)
 *   chain(ctx, ch)          every live chain of the table, before any rule of it: builtins in
 *                           netfilter hook order (PREROUTING INPUT FORWARD OUTPUT POSTROUTING),
 *                           then user chains sorted by name (strcmp), so output never depends on the
 *                           order a builder happened to create chains in
 *   rule(ctx, r, argv)      every rule, chain by chain in the order above, rules in chain order;
 *                           argv is the rule rendered by ir_argv_render (valid during the call),
 *                           or NULL for an emitter that renders the text itself (`text`)
 *   commit(ctx, t)          the table is complete (restore text: COMMIT)
 *   end(ctx)                every table is complete: the transaction may be applied
 *   abort(ctx)              an op failed: undo whatever begin..end built
 *
 * The same ruleset always gives the same sequence of calls, hence the same bytes. */
struct emitter_ops {
	const char *name;
	/* The emitter renders each rule itself with ir_text_render (restore text, the dry run): no
	 * argv is rendered for it. */
	bool text;
	int (*begin)(void *ctx, const struct ruleset *rs);
	int (*table)(void *ctx, enum ir_table t);
	int (*chain)(void *ctx, const struct ir_chain *ch);
	int (*rule)(void *ctx, const struct ir_rule *r, const struct ir_argv *argv);
	int (*commit)(void *ctx, enum ir_table t);
	int (*end)(void *ctx);
	void (*abort)(void *ctx);
};

int emit_ruleset(const struct ruleset *rs, const struct emitter_ops *ops, void *ctx);

/* ---- iptables-restore text (src/emit/restore.c) ------------------------------------------------- */

/* Which rule each output line holds: line.v[i] is the rule on line i + 1, NULL for the *table,
 * :chain and COMMIT lines. Lets a caller turn "iptables-restore: line 57 failed" into an error at
 * the rule's configuration line. Entries live in the ruleset's arena. */
struct restore_map {
	VEC(const struct ir_rule *) line;
};

extern const struct emitter_ops emit_restore_ops;

/* Write rs as iptables-restore input. 0, or -1 when writing failed (errno set by stdio). */
int emit_restore(const struct ruleset *rs, FILE *out);
/* The same, also filling *map (may be NULL). */
int emit_restore_mapped(const struct ruleset *rs, FILE *out, struct restore_map *map);
/* Append one token to out as the restore format reads it: bare when it can be, else in double
 * quotes with " and \ escaped (ir_text_str's quoting). */
void emit_restore_token(FILE *out, const char *tok);

/* ---- the null emitter: walks and renders everything, writes nothing (src/emit/null.c) ---------- */

struct emit_stats {
	unsigned tables, chains, rules;
	unsigned rules_in[IR_TABLE_COUNT];
	size_t tokens;              /* tokens rendered, so `check` exercises the syntax too */
};

extern const struct emitter_ops emit_null_ops;

/* `check`: the same walk as compile, nothing written. *stats may be NULL. Returns 0. */
int emit_null(const struct ruleset *rs, struct emit_stats *stats);

#endif /* SHOREWALL_EMIT_H */
