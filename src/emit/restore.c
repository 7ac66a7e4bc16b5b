/* restore.c — the iptables-restore text emitter: *table, :chain lines, -A lines, COMMIT. */
#include "emit.h"

#include "compile.h"

#include <stdio.h>
#include <string.h>

/* Lines are assembled in one buffer and handed to stdio a block at a time: a stdio call (with its
 * lock) per line, or per token, was a fifth of the compile at 150 zones. Rules are rendered
 * straight into the buffer (ir_text_render), without an argv in between. */
enum { RESTORE_BLOCK = 1 << 16 };

struct restore_ctx {
	FILE *out;
	struct arena *arena;
	struct restore_map *map;
	struct ir_text text;        /* lines not yet written */
	const struct ir_chain *chain;   /* the chain of the last -A line, and its name's length */
	size_t chain_len;
};

/* Append n bytes. */
static inline void put(struct restore_ctx *rc, const char *s, size_t n)
{
	if (rc->text.len + n > rc->text.cap)
		ir_text_reserve(&rc->text, n);
	memcpy(rc->text.buf + rc->text.len, s, n);
	rc->text.len += n;
}

static inline void put_str(struct restore_ctx *rc, const char *s)
{
	put(rc, s, strlen(s));
}

/* Write what the buffer holds (errors show in ferror, checked at the end). */
static void flush(struct restore_ctx *rc)
{
	if (rc->text.len)
		fwrite(rc->text.buf, 1, rc->text.len, rc->out);
	rc->text.len = 0;
}

/* End a line holding rule r (NULL for the *table, :chain and COMMIT lines). */
static void end_line(struct restore_ctx *rc, const struct ir_rule *r)
{
	put(rc, "\n", 1);
	if (rc->map)
		vec_push(rc->arena, &rc->map->line, r);
	if (rc->text.len >= RESTORE_BLOCK)
		flush(rc);
}

void emit_restore_token(FILE *out, const char *tok)
{
	/* the text form's own quoting (ir_argv.c), without its leading blank */
	struct ir_text t = { NULL, 0, 0 };
	ir_text_str(&t, tok);
	fwrite(t.buf + 1, 1, t.len - 1, out);
	ir_text_fini(&t);
}

static int r_table(void *ctx, enum ir_table t)
{
	struct restore_ctx *rc = ctx;
	put(rc, "*", 1);
	put_str(rc, ir_table_name(t));
	end_line(rc, NULL);
	return 0;
}

static int r_chain(void *ctx, const struct ir_chain *ch)
{
	static const char *const policies[] = {
		[IR_POLICY_NONE] = "-", [IR_POLICY_ACCEPT] = "ACCEPT", [IR_POLICY_DROP] = "DROP",
	};
	struct restore_ctx *rc = ctx;
	put(rc, ":", 1);
	put_str(rc, ch->name);
	put(rc, " ", 1);
	put_str(rc, ch->builtin ? policies[ch->policy] : "-");
	put(rc, " [0:0]", 6);
	end_line(rc, NULL);
	return 0;
}

static int r_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct restore_ctx *rc = ctx;
	if (r->chain != rc->chain) {
		/* rules come chain by chain */
		rc->chain = r->chain;
		rc->chain_len = strlen(r->chain->name);
	}
	put(rc, "-A ", 3);
	put(rc, r->chain->name, rc->chain_len);
	ir_text_render(&rc->text, r);
	end_line(rc, r);
	return 0;
}

static int r_commit(void *ctx, enum ir_table t)
{
	struct restore_ctx *rc = ctx;
	put(rc, "COMMIT", 6);
	end_line(rc, NULL);
	return 0;
}

static int r_end(void *ctx)
{
	struct restore_ctx *rc = ctx;
	flush(rc);
	return fflush(rc->out) == 0 && !ferror(rc->out) ? 0 : -1;
}

const struct emitter_ops emit_restore_ops = {
	.name = "restore",
	.text = true,
	.table = r_table,
	.chain = r_chain,
	.rule = r_rule,
	.commit = r_commit,
	.end = r_end,
};

int emit_restore_mapped(const struct ruleset *rs, FILE *out, struct restore_map *map)
{
	struct restore_ctx rc = { out, rs->c->arena, map, { NULL, 0, 0 }, NULL, 0 };
	int ret = emit_ruleset(rs, &emit_restore_ops, &rc);
	ir_text_fini(&rc.text);
	return ret;
}

int emit_restore(const struct ruleset *rs, FILE *out)
{
	return emit_restore_mapped(rs, out, NULL);
}
