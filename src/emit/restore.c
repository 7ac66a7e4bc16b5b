/* restore.c — the iptables-restore text emitter: *table, :chain lines, -A lines, COMMIT. */
#include "emit.h"

#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct restore_ctx {
	FILE *out;
	struct arena *arena;
	struct restore_map *map;
	char *line;             /* the -A line being assembled (malloc'd, grows) */
	size_t len, cap;
};

/* Make room for n more bytes (kept out of line: it is rarely needed). */
static __attribute__((noinline)) void line_grow(struct restore_ctx *rc, size_t n)
{
	rc->cap = (rc->len + n) * 2 + 256;
	rc->line = realloc(rc->line, rc->cap);
	if (!rc->line) {
		fputs("shorewall: out of memory\n", stderr);
		abort();
	}
}

/* Append n bytes to the line buffer. */
static inline void line_put(struct restore_ctx *rc, const char *s, size_t n)
{
	if (rc->len + n > rc->cap)
		line_grow(rc, n);
	memcpy(rc->line + rc->len, s, n);
	rc->len += n;
}

/* The bytes that end a plain token's scan: its end, and what needs quoting. */
static const bool token_stop[256] = { ['\0'] = true, [' '] = true, ['\t'] = true, ['"'] = true };

/* One token, quoted as emit_restore_token quotes it. */
static void line_token(struct restore_ctx *rc, const char *tok)
{
	/* a table-driven scan rather than strcspn: most tokens are a few bytes, and the call
	 * cost more than the scan (a third of this function at 10k rules) */
	const char *e = tok;
	while (!token_stop[(unsigned char)*e])
		e++;
	size_t n = (size_t)(e - tok);
	if (n && !*e) {
		line_put(rc, tok, n);
		return;
	}
	line_put(rc, "\"", 1);
	for (const char *p = tok; *p; p++) {
		if (*p == '"' || *p == '\\')
			line_put(rc, "\\", 1);
		line_put(rc, p, 1);
	}
	line_put(rc, "\"", 1);
}

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
	/* fputs, not fprintf: one line per chain, 11,000 chains at 150 zones */
	fputc(':', rc->out);
	fputs(ch->name, rc->out);
	fputc(' ', rc->out);
	fputs(ch->builtin ? policies[ch->policy] : "-", rc->out);
	fputs(" [0:0]\n", rc->out);
	mark_line(rc, NULL);
	return 0;
}

static int r_rule(void *ctx, const struct ir_rule *r, const struct ir_argv *argv)
{
	struct restore_ctx *rc = ctx;
	/* The line is assembled in memory and written with one fwrite: a stdio call (with its lock)
	 * per token and blank, and an fprintf per rule, were a fifth of the compile at 150 zones. */
	rc->len = 0;
	line_put(rc, "-A ", 3);
	line_put(rc, r->chain->name, strlen(r->chain->name));
	for (size_t i = 0; i < argv->n; i++) {
		line_put(rc, " ", 1);
		line_token(rc, argv->v[i]);
	}
	line_put(rc, "\n", 1);
	fwrite(rc->line, 1, rc->len, rc->out);
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
	struct restore_ctx rc = { out, rs->c->arena, map, NULL, 0, 0 };
	int ret = emit_ruleset(rs, &emit_restore_ops, &rc);
	free(rc.line);
	return ret;
}

int emit_restore(const struct ruleset *rs, FILE *out)
{
	return emit_restore_mapped(rs, out, NULL);
}
