/* diag.c — collects every error and warning with its file and line; printing happens once, at the end. */
#define _GNU_SOURCE 1           /* vasprintf */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

static void drop_all(struct diag *d)
{
	for (struct diag_msg *m = d->head, *next; m; m = next) {
		next = m->next;
		free(m->text);
		free(m);
	}
	d->head = d->tail = NULL;
}

void diag_fini(struct diag *d)
{
	drop_all(d);
}

static void add(struct diag *d, enum diag_level level, const struct loc *loc, const char *fmt, va_list ap)
{
	struct diag_msg *m = calloc(1, sizeof(*m));
	if (!m || vasprintf(&m->text, fmt, ap) < 0)
		abort();
	m->level = level;
	m->loc = loc ? *loc : LOC_NONE;
	if (d->tail)
		d->tail->next = m;
	else
		d->head = m;
	d->tail = m;
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
}

#define DIAG_FN(name, level) \
	void name(struct diag *d, const struct loc *loc, const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		add(d, level, loc, fmt, ap); \
		va_end(ap); \
	}
DIAG_FN(diag_error, DIAG_ERROR)
DIAG_FN(diag_warn, DIAG_WARNING)
DIAG_FN(diag_info, DIAG_INFO)

void diag_format(const struct diag_msg *m, char *buf, size_t len)
{
	static const char *const prefix[] = {
		[DIAG_ERROR] = "ERROR: ", [DIAG_WARNING] = "WARNING: ", [DIAG_INFO] = "",
	};
	if (!m->loc.file)
		snprintf(buf, len, "%s%s", prefix[m->level], m->text);
	else if (m->loc.line == LOC_EOF)
		snprintf(buf, len, "%s%s %s (EOF)", prefix[m->level], m->text, m->loc.file);
	else if (m->loc.line == 0)
		snprintf(buf, len, "%s%s %s", prefix[m->level], m->text, m->loc.file);
	else
		snprintf(buf, len, "%s%s %s (line %u)", prefix[m->level], m->text, m->loc.file, m->loc.line);
}

void diag_flush(struct diag *d)
{
	FILE *out = d->out ? d->out : stderr;
	char buf[4096];
	for (struct diag_msg *m = d->head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		fprintf(out, "%s\n", buf);
	}
	drop_all(d);
}

bool diag_has(const struct diag *d, const char *needle)
{
	char buf[4096];
	for (const struct diag_msg *m = d->head; m; m = m->next) {
		diag_format(m, buf, sizeof(buf));
		if (strstr(buf, needle))
			return true;
	}
	return false;
}
