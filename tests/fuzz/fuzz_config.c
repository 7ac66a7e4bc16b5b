/* fuzz_config.c — libFuzzer target: a whole configuration directory through config_load (every parser in
 * order), then, when it reads cleanly, the IR builder, the optimizer and the restore emitter.
 *
 * Framing: the input is text; a line starting with "@@" begins a file and names it ("@@zones").
 * Text before the first such line is shorewall.conf. A name that is not one of the files below
 * still selects one (by the sum of its bytes), so every mutation of a name means something.
 * The files are written to a private directory made once per process and emptied before each run;
 * inc1 and inc2 are there to be INCLUDEd. */
#include "fuzz_common.h"

#include "build.h"
#include "emit.h"

#include <unistd.h>

static const char *const fuzz_files[] = {
	"params", "shorewall.conf", "zones", "ipsec", "interfaces", "hosts", "tunnels", "masq", "snat",
	"policy", "rules", "routestopped", "stoppedrules", "modules", "inc1", "inc2",
};
#define NFILES (sizeof(fuzz_files) / sizeof(fuzz_files[0]))

static char fuzz_dir[256];

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", fuzz_dir, name);
}

static void empty_dir(void)
{
	char path[128];
	for (size_t i = 0; i < NFILES; i++) {
		path_of(path, sizeof(path), fuzz_files[i]);
		unlink(path);
	}
}

static void remove_dir(void)
{
	empty_dir();
	rmdir(fuzz_dir);
}

static const char *dir_once(void)
{
	static bool made;
	if (!made) {
		/* Under $TMPDIR when set: tests/fuzz/run points it at its scratch directory, which it
		 * cleans, so a job killed at the end of a run leaves nothing in /tmp. */
		const char *tmp = getenv("TMPDIR");
		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fuzz_config.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(fuzz_dir)) {
			perror("fuzz_config: mkdtemp");
			abort();
		}
		atexit(remove_dir);
		made = true;
	}
	return fuzz_dir;
}

static const char *pick_name(const char *name, size_t len)
{
	unsigned sum = 0;
	for (size_t i = 0; i < NFILES; i++)
		if (strlen(fuzz_files[i]) == len && memcmp(fuzz_files[i], name, len) == 0)
			return fuzz_files[i];
	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)name[i];
	return fuzz_files[sum % NFILES];
}

static void write_part(const char *name, const uint8_t *p, size_t len)
{
	char path[128];
	path_of(path, sizeof(path), name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	if (len && fwrite(p, 1, len, f) != len)
		abort();
	fclose(f);
}

/* Split the input at "@@name" lines and write each part; a named part is written even when empty,
 * the unnamed preamble only when it holds something (so shorewall.conf can be missing). */
static void write_files(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *start = data;
	const char *name = NULL;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *eol = nl ? nl : end;
		if (eol - p >= 2 && p[0] == '@' && p[1] == '@') {
			if (name || p > start)
				write_part(name ? name : "shorewall.conf", start, (size_t)(p - start));
			name = pick_name((const char *)p + 2, (size_t)(eol - p - 2));
			start = nl ? nl + 1 : end;
		}
		p = nl ? nl + 1 : end;
	}
	if (name || end > start)
		write_part(name ? name : "shorewall.conf", start, (size_t)(end - start));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = dir_once();
	empty_dir();
	write_files(data, size);

	struct fuzz_ctx x;
	diag_init(&x.d);
	compile_init(&x.c, &x.d, dir);
	config_load(&x.c);
	/* the compile half: what the parsers accept, the builder and the optimizer must survive */
	if (!x.d.errors) {
		struct ruleset *rs = build_ruleset(&x.c);
		FILE *out = rs ? fopen("/dev/null", "w") : NULL;
		if (out) {
			emit_restore(rs, out);
			fclose(out);
		}
	}
	fuzz_end(&x);
	return 0;
}
