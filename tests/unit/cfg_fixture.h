/* cfg_fixture.h — what the unit tests on whole configurations share: files written into a scratch
 * directory, and a chain of the built ruleset as text. */
#ifndef SHOREWALL_TEST_CFG_FIXTURE_H
#define SHOREWALL_TEST_CFG_FIXTURE_H 1

/* Header-only because the Makefile builds every tests/unit/test_*.c as one program on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* dir/name holding text (the test fails when it cannot be written). */
static inline void cfx_write(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Remove a configuration directory cfx_write filled: its files, then itself. */
static inline void cfx_remove(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		char path[512];
		for (const struct dirent *e; (e = readdir(d));) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* A cmocka group's scratch directory, made from tmpl ("/tmp/swc-…-XXXXXX") into *state; every
 * configuration goes below it, and cfx_scratch_remove() removes it even when a test failed half-way. */
static inline int cfx_scratch_make(void **state, char *tmpl)
{
	if (!mkdtemp(tmpl))
		return -1;
	*state = tmpl;
	return 0;
}

static inline int cfx_scratch_remove(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (const char *)*state);
	return system(cmd) == 0 ? 0 : -1;
}

/* The chain's rules as "-A chain args…" lines joined with '\n' ("" when rs or the chain is missing).
 * The text lives in a static buffer until the next call. */
static inline char *cfx_chain_text(const struct ruleset *rs, enum ir_table t, const char *name)
{
	static char buf[8192];
	buf[0] = '\0';
	const struct ir_chain *ch = rs ? ir_chain_find(rs, t, name) : NULL;
	if (!ch)
		return buf;
	struct ir_argv a;
	ir_argv_init(&a);
	size_t len = 0;
	for (size_t i = 0; i < ch->rules.n; i++) {
		ir_argv_render(&a, ch->rules.v[i]);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s-A %s", i ? "\n" : "", name);
		for (size_t k = 0; k < a.n; k++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s", a.v[k]);
	}
	ir_argv_fini(&a);
	return buf;
}

#endif /* SHOREWALL_TEST_CFG_FIXTURE_H */
