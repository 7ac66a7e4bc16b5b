/* emit.c — the one walk every emitter shares: tables in fixed order, builtins first, user chains by name. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static int chain_cmp(const void *a, const void *b)
{
	const struct ir_chain *x = *(const struct ir_chain *const *)a, *y = *(const struct ir_chain *const *)b;
	return strcmp(x->name, y->name);
}

/* The table's live chains in emit order, into *out (malloc'd, freed by the caller). */
static size_t table_chains(const struct ruleset *rs, enum ir_table t, const struct ir_chain ***out)
{
	size_t n = 0, nb = 0;
	const struct ir_chain **v = malloc((rs->chains[t].n + 1) * sizeof(*v));
	if (!v)
		return (size_t)-1;
	/* builtins were created first, in hook order */
	for (size_t i = 0; i < rs->chains[t].n; i++)
		if (!rs->chains[t].v[i]->deleted && rs->chains[t].v[i]->builtin)
			v[n++] = rs->chains[t].v[i];
	nb = n;
	for (size_t i = 0; i < rs->chains[t].n; i++)
		if (!rs->chains[t].v[i]->deleted && !rs->chains[t].v[i]->builtin)
			v[n++] = rs->chains[t].v[i];
	qsort(v + nb, n - nb, sizeof(*v), chain_cmp);
	*out = v;
	return n;
}

#define CALL(op, ...) (ops->op ? ops->op(__VA_ARGS__) : 0)

int emit_ruleset(const struct ruleset *rs, const struct emitter_ops *ops, void *ctx)
{
	struct ir_argv argv;
	const struct ir_chain **chains = NULL;
	int rc = -1;
	ir_argv_init(&argv);
	if (CALL(begin, ctx, rs) != 0)
		goto fail;
	for (int t = 0; t < IR_TABLE_COUNT; t++) {
		if (t != IR_FILTER && !ir_table_used(rs, (enum ir_table)t))
			continue;
		size_t n = table_chains(rs, (enum ir_table)t, &chains);
		if (n == (size_t)-1)
			goto fail;
		if (CALL(table, ctx, (enum ir_table)t) != 0)
			goto fail;
		for (size_t i = 0; i < n; i++)
			if (CALL(chain, ctx, chains[i]) != 0)
				goto fail;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < chains[i]->rules.n; j++) {
				const struct ir_rule *r = chains[i]->rules.v[j];
				if (!ops->text)
					ir_argv_render(&argv, r);
				if (CALL(rule, ctx, r, ops->text ? NULL : &argv) != 0)
					goto fail;
			}
		if (CALL(commit, ctx, (enum ir_table)t) != 0)
			goto fail;
		free(chains);
		chains = NULL;
	}
	if (CALL(end, ctx) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	if (ops->abort)
		ops->abort(ctx);
out:
	free(chains);
	ir_argv_fini(&argv);
	return rc;
}
