/* null.c — the dry-run emitter behind `check`: the same walk and rendering as compile, nothing written. */
#include "emit.h"

#include <string.h>

struct null_ctx {
	struct emit_stats *stats;
	struct ir_text text;        /* each rule rendered as compile renders it, then dropped */
};

static int n_table(void *ctx, enum ir_table t)
{
	((struct null_ctx *)ctx)->stats->tables++;
	return 0;
}

static int n_chain(void *ctx, const struct ir_chain *ch)
{
	((struct null_ctx *)ctx)->stats->chains++;
	return 0;
}

static int n_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct null_ctx *nc = ctx;
	struct emit_stats *s = nc->stats;
	s->rules++;
	s->rules_in[r->chain->table]++;
	nc->text.len = 0;
	s->tokens += ir_text_render(&nc->text, r);
	return 0;
}

const struct emitter_ops emit_null_ops = {
	.name = "null",
	.text = true,
	.table = n_table,
	.chain = n_chain,
	.rule = n_rule,
};

int emit_null(const struct ruleset *rs, struct emit_stats *stats)
{
	struct emit_stats local;
	struct null_ctx nc = { stats ? stats : &local, { NULL, 0, 0 } };
	memset(nc.stats, 0, sizeof(*nc.stats));
	int ret = emit_ruleset(rs, &emit_null_ops, &nc);
	ir_text_fini(&nc.text);
	return ret;
}
