/* null.c — the dry-run emitter behind `check`: the same walk and rendering as compile, nothing written. */
#include "emit.h"

#include <string.h>

static int n_table(void *ctx, enum ir_table t)
{
	((struct emit_stats *)ctx)->tables++;
	return 0;
}

static int n_chain(void *ctx, const struct ir_chain *ch)
{
	((struct emit_stats *)ctx)->chains++;
	return 0;
}

static int n_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct emit_stats *s = ctx;
	s->rules++;
	s->rules_in[r->chain->table]++;
	s->tokens += argv->n;
	return 0;
}

const struct emitter_ops emit_null_ops = {
	.name = "null",
	.table = n_table,
	.chain = n_chain,
	.rule = n_rule,
};

int emit_null(const struct ruleset *rs, struct emit_stats *stats)
{
	struct emit_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	return emit_ruleset(rs, &emit_null_ops, stats);
}
