/* state.c — VARDIR: the state file, atomic file replacement, the lock, the configuration digest. */
#include "state.h"

#include "keyword.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

const char *state_vardir(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("SHOREWALL_VARDIR");
	return env && *env ? env : STATE_DEFAULT_VARDIR;
}

static const struct keyword state_kinds[] = {      /* must stay sorted */
	{ "Cleared", STATE_CLEARED, 0 }, { "Restored", STATE_RESTORED, 0 }, { "Started", STATE_STARTED, 0 },
	{ "Stopped", STATE_STOPPED, 0 }, { "Unknown", STATE_UNKNOWN, 0 },
};

const struct keyword *state_kind_table(size_t *n)
{
	*n = KW_COUNT(state_kinds);
	return state_kinds;
}

const char *state_kind_name(enum state_kind k)
{
	for (size_t i = 0; i < KW_COUNT(state_kinds); i++)
		if (state_kinds[i].value == (int)k)
			return state_kinds[i].name;
	return "Unknown";
}

enum state_kind state_kind_parse(const char *s)
{
	const struct keyword *k = KW_FIND(state_kinds, s);
	return k ? (enum state_kind)k->value : STATE_UNKNOWN;
}

char *state_path(const char *vardir, const char *name)
{
	size_t n = strlen(vardir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", vardir, name);
	return p;
}

int state_mkdir(const char *vardir)
{
	struct stat st;
	if (stat(vardir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	return mkdir(vardir, 0700);
}

char *state_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		abort();
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n + 1 < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
		if (!buf)
			abort();
	}
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int state_write_file(const char *path, const char *text, size_t len)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		abort();
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	int err = 0;
	for (size_t off = 0; off < len && !err;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno != EINTR)
			err = errno;
		else if (w > 0)
			off += (size_t)w;
	}
	if (!err && fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	errno = err;
	return err ? -1 : 0;
}

int state_write(const char *vardir, const struct state *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return -1;
	fprintf(mem, "# shorewall-c state: written by start/stop/clear/restore, read by status\n");
	fprintf(mem, "state=%s\n", state_kind_name(st->kind));
	fprintf(mem, "time=%" PRId64 "\n", (int64_t)st->when);
	if (st->dir[0])
		fprintf(mem, "dir=%s\n", st->dir);
	if (st->digest[0])
		fprintf(mem, "digest=%s\n", st->digest);
	if (st->backend[0])
		fprintf(mem, "backend=%s\n", st->backend);
	if (st->from[0])
		fprintf(mem, "from=%s\n", st->from);
	if (fclose(mem) != 0) {
		free(text);
		return -1;
	}
	char *path = state_path(vardir, "state");
	int rc = state_write_file(path, text, len);
	int err = errno;
	free(path);
	free(text);
	errno = err;
	return rc;
}

/* Copy a value into a fixed field, cutting what does not fit (a path longer than PATH_MAX is not
 * one we wrote). */
static void set_field(char *dst, size_t size, const char *v)
{
	snprintf(dst, size, "%s", v);
}

int state_read(const char *vardir, struct state *st)
{
	memset(st, 0, sizeof(*st));
	char *path = state_path(vardir, "state");
	char *text = state_read_file(path, NULL);
	free(path);
	if (!text)
		return -1;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		const char *k = line, *v = eq + 1;
		if (strcmp(k, "state") == 0)
			st->kind = state_kind_parse(v);
		else if (strcmp(k, "time") == 0)
			st->when = (time_t)strtoll(v, NULL, 10);
		else if (strcmp(k, "dir") == 0)
			set_field(st->dir, sizeof(st->dir), v);
		else if (strcmp(k, "digest") == 0)
			set_field(st->digest, sizeof(st->digest), v);
		else if (strcmp(k, "backend") == 0)
			set_field(st->backend, sizeof(st->backend), v);
		else if (strcmp(k, "from") == 0)
			set_field(st->from, sizeof(st->from), v);
	}
	free(text);
	return 0;
}

int state_lock(const char *vardir)
{
	char *path = state_path(vardir, "lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int err = errno;
	free(path);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
	}
	return fd;
}

void state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);      /* closing drops the flock */
}

uint64_t state_digest_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void state_digest_files(const char *const *paths, size_t n, char out[17])
{
	uint64_t h = STATE_DIGEST_INIT;
	for (size_t i = 0; i < n; i++) {
		/* the file's name (not its directory: the same configuration named by another path is the
		 * same configuration) and a separator first, so that moving bytes between files changes it */
		const char *slash = strrchr(paths[i], '/');
		const char *name = slash ? slash + 1 : paths[i];
		h = state_digest_update(h, name, strlen(name) + 1);
		size_t len = 0;
		char *text = state_read_file(paths[i], &len);
		if (text) {
			h = state_digest_update(h, text, len);
			free(text);
		}
		h = state_digest_update(h, "", 1);
	}
	snprintf(out, 17, "%016" PRIx64, h);
}
