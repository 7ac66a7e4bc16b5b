/* keyword.c — bsearch over sorted keyword tables. */
#include "keyword.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct keyword *)elem)->name);
}

static int cmp_nocase(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct keyword *)elem)->name);
}

const struct keyword *kw_find(const struct keyword *table, size_t n, const char *name)
{
	return name ? bsearch(name, table, n, sizeof(*table), cmp) : NULL;
}

const struct keyword *kw_find_nocase(const struct keyword *table, size_t n, const char *name)
{
	return name ? bsearch(name, table, n, sizeof(*table), cmp_nocase) : NULL;
}

bool kw_sorted(const struct keyword *table, size_t n, bool nocase)
{
	for (size_t i = 1; i < n; i++) {
		int c = nocase ? strcasecmp(table[i - 1].name, table[i].name)
			       : strcmp(table[i - 1].name, table[i].name);
		if (c >= 0)
			return false;
	}
	return true;
}
