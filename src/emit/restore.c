/* restore.c — the iptables-restore text emitter: *table, :chain lines, -A lines, COMMIT. */
#include "emit.h"

#include "compile.h"

#include <string.h>

struct restore_ctx {
	FILE *out;
	struct arena *arena;
	struct restore_map *map;
};

/* Record what the line just written holds. */
static void mark_line(struct restore_ctx *rc, const struct ir_rule *r)
{
	if (rc->map)
		vec_push(rc->arena, &rc->map->line, r);
}

void emit_restore_token(FILE *out, const char *tok)
{
	/* The restore tokenizer splits at blanks outside double quotes and honours \ only inside
	 * them, so only tokens with blanks or quotes need quoting (empty tokens cannot be written;
	 * ir_validate keeps them out). */
	if (*tok && !strpbrk(tok, " \t\"")) {
		fputs(tok, out);
		return;
	}
	putc('"', out);
	for (const char *p = tok; *p; p++) {
		if (*p == '"' || *p == '\\')
			putc('\\', out);
		putc(*p, out);
	}
	putc('"', out);
}

static int r_table(void *ctx, enum ir_table t)
{
	struct restore_ctx *rc = ctx;
	fprintf(rc->out, "*%s\n", ir_table_name(t));
	mark_line(rc, NULL);
	return 0;
}

static int r_chain(void *ctx, const struct ir_chain *ch)
{
	static const char *const policies[] = {
		[IR_POLICY_NONE] = "-", [IR_POLICY_ACCEPT] = "ACCEPT", [IR_POLICY_DROP] = "DROP",
	};
	struct restore_ctx *rc = ctx;
	fprintf(rc->out, ":%s %s [0:0]\n", ch->name, ch->builtin ? policies[ch->policy] : "-");
	mark_line(rc, NULL);
	return 0;
}

static int r_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct restore_ctx *rc = ctx;
	fprintf(rc->out, "-A %s", r->chain->name);
	for (size_t i = 0; i < argv->n; i++) {
		putc(' ', rc->out);
		emit_restore_token(rc->out, argv->v[i]);
	}
	putc('\n', rc->out);
	mark_line(rc, r);
	return 0;
}

static int r_commit(void *ctx, enum ir_table t)
{
	struct restore_ctx *rc = ctx;
	fputs("COMMIT\n", rc->out);
	mark_line(rc, NULL);
	return 0;
}

static int r_end(void *ctx)
{
	struct restore_ctx *rc = ctx;
	return fflush(rc->out) == 0 && !ferror(rc->out) ? 0 : -1;
}

const struct emitter_ops emit_restore_ops = {
	.name = "restore",
	.table = r_table,
	.chain = r_chain,
	.rule = r_rule,
	.commit = r_commit,
	.end = r_end,
};

int emit_restore_mapped(const struct ruleset *rs, FILE *out, struct restore_map *map)
{
	struct restore_ctx rc = { out, rs->c->arena, map };
	return emit_ruleset(rs, &emit_restore_ops, &rc);
}

int emit_restore(const struct ruleset *rs, FILE *out)
{
	return emit_restore_mapped(rs, out, NULL);
}
