/* test_state.c — VARDIR: where it is, the state file, atomic writes, the lock, the configuration digest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keyword.h"
#include "state.h"

#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
	char *dir = strdup("/tmp/swc-test-state-XXXXXX");
	assert_non_null(mkdtemp(dir));
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	char *dir = *state;
	DIR *d = opendir(dir);
	if (d) {
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_name[0] == '.')
				continue;
			char *p = state_path(dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
	return 0;
}

static void test_table_sorted(void **state)
{
	(void)state;
	size_t n;
	const struct keyword *t = state_kind_table(&n);
	assert_true(kw_sorted(t, n, false));
	assert_int_equal(n, 5);
}

static void test_kind_names(void **state)
{
	(void)state;
	for (int k = STATE_UNKNOWN; k <= STATE_RESTORED; k++)
		assert_int_equal(state_kind_parse(state_kind_name((enum state_kind)k)), k);
	assert_string_equal(state_kind_name(STATE_STARTED), "Started");
	assert_int_equal(state_kind_parse("started"), STATE_UNKNOWN);     /* written by us: exact */
	assert_int_equal(state_kind_parse(""), STATE_UNKNOWN);
}

static void test_vardir(void **state)
{
	(void)state;
	unsetenv("SHOREWALL_VARDIR");
	assert_string_equal(state_vardir(NULL), STATE_DEFAULT_VARDIR);
	assert_string_equal(state_vardir(""), STATE_DEFAULT_VARDIR);
	setenv("SHOREWALL_VARDIR", "/tmp/env-vardir", 1);
	assert_string_equal(state_vardir(NULL), "/tmp/env-vardir");
	assert_string_equal(state_vardir("/opt/x"), "/opt/x");          /* the option wins */
	setenv("SHOREWALL_VARDIR", "", 1);
	assert_string_equal(state_vardir(NULL), STATE_DEFAULT_VARDIR);
	unsetenv("SHOREWALL_VARDIR");
}

static void test_roundtrip(void **state)
{
	const char *dir = *state;
	struct state st = { .kind = STATE_STARTED, .when = 1795455908 };
	strcpy(st.dir, "/etc/shorewall");
	strcpy(st.digest, "0123456789abcdef");
	strcpy(st.backend, "nft");
	assert_int_equal(state_write(dir, &st), 0);
	struct state back;
	assert_int_equal(state_read(dir, &back), 0);
	assert_int_equal(back.kind, STATE_STARTED);
	assert_int_equal(back.when, 1795455908);
	assert_string_equal(back.dir, "/etc/shorewall");
	assert_string_equal(back.digest, "0123456789abcdef");
	assert_string_equal(back.backend, "nft");
	assert_string_equal(back.from, "");
	/* rewritten: the old values go */
	struct state st2 = { .kind = STATE_CLEARED, .when = 5 };
	assert_int_equal(state_write(dir, &st2), 0);
	assert_int_equal(state_read(dir, &back), 0);
	assert_int_equal(back.kind, STATE_CLEARED);
	assert_string_equal(back.dir, "");
	assert_string_equal(back.backend, "");
}

static void test_read_missing_and_junk(void **state)
{
	const char *dir = *state;
	struct state st;
	memset(&st, 0x55, sizeof(st));
	assert_int_equal(state_read(dir, &st), -1);
	assert_int_equal(st.kind, STATE_UNKNOWN);
	assert_int_equal(st.when, 0);
	char *p = state_path(dir, "state");
	const char junk[] = "# comment\nno equals sign\nstate=Bogus\nunknown=1\ndir=/x\n";
	assert_int_equal(state_write_file(p, junk, strlen(junk)), 0);
	free(p);
	assert_int_equal(state_read(dir, &st), 0);
	assert_int_equal(st.kind, STATE_UNKNOWN);
	assert_string_equal(st.dir, "/x");
}

static void test_write_file(void **state)
{
	const char *dir = *state;
	char *p = state_path(dir, "f");
	assert_int_equal(state_write_file(p, "abc", 3), 0);
	assert_int_equal(state_write_file(p, "hello\n", 6), 0);
	size_t len = 0;
	char *text = state_read_file(p, &len);
	assert_non_null(text);
	assert_int_equal(len, 6);
	assert_string_equal(text, "hello\n");
	free(text);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* no temporary file is left beside it */
	DIR *d = opendir(dir);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);
	/* a big file reads back whole */
	size_t big = 100000;
	char *buf = malloc(big);
	memset(buf, 'x', big);
	assert_int_equal(state_write_file(p, buf, big), 0);
	text = state_read_file(p, &len);
	assert_int_equal(len, big);
	assert_int_equal(memcmp(text, buf, big), 0);
	free(text);
	free(buf);
	/* into a directory that does not exist: an error, not a crash */
	char *q = state_path(dir, "no/such/file");
	assert_int_equal(state_write_file(q, "x", 1), -1);
	assert_null(state_read_file(q, NULL));
	free(q);
	free(p);
}

static void test_mkdir(void **state)
{
	const char *dir = *state;
	char *sub = state_path(dir, "var");
	assert_int_equal(state_mkdir(sub), 0);
	assert_int_equal(state_mkdir(sub), 0);          /* already there */
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	rmdir(sub);
	char *file = state_path(dir, "plain");
	assert_int_equal(state_write_file(file, "", 0), 0);
	assert_int_equal(state_mkdir(file), -1);        /* a file in the way */
	free(file);
	free(sub);
}

static void test_lock(void **state)
{
	const char *dir = *state;
	int fd = state_lock(dir);
	assert_true(fd >= 0);
	/* another open file description cannot take it while held */
	char *p = state_path(dir, "lock");
	int other = open(p, O_RDWR);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	state_unlock(fd);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
	close(other);
	free(p);
	char *missing = state_path(dir, "no/such");
	assert_int_equal(state_lock(missing), -1);
	free(missing);
}

static void test_digest(void **state)
{
	const char *dir = *state;
	char *a = state_path(dir, "zones"), *b = state_path(dir, "policy");
	assert_int_equal(state_write_file(a, "fw firewall\n", 12), 0);
	assert_int_equal(state_write_file(b, "all all DROP\n", 13), 0);
	const char *ab[] = { a, b }, *ba[] = { b, a };
	char d1[17], d2[17], d3[17];
	state_digest_files(ab, 2, d1);
	state_digest_files(ab, 2, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(strlen(d1), 16);
	state_digest_files(ba, 2, d3);
	assert_string_not_equal(d1, d3);        /* order is part of it */
	assert_int_equal(state_write_file(b, "all all ACCEPT\n", 15), 0);
	state_digest_files(ab, 2, d2);
	assert_string_not_equal(d1, d2);        /* so is every byte */
	/* the same files under another directory name: the same digest */
	char *sub = state_path(dir, "other");
	assert_int_equal(mkdir(sub, 0700), 0);
	char *a2 = state_path(sub, "zones"), *b2 = state_path(sub, "policy");
	assert_int_equal(state_write_file(a2, "fw firewall\n", 12), 0);
	assert_int_equal(state_write_file(b2, "all all ACCEPT\n", 15), 0);
	const char *ab2[] = { a2, b2 };
	state_digest_files(ab2, 2, d3);
	assert_string_equal(d2, d3);
	unlink(a2);
	unlink(b2);
	rmdir(sub);
	free(a2);
	free(b2);
	free(sub);
	/* FNV-1a's published value for "a" */
	assert_true(state_digest_update(STATE_DIGEST_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_vardir),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_and_junk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
