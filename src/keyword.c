/* keyword.c — bsearch over sorted keyword tables. */
#include "keyword.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_nocase(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct keyword *)elem)->name);
}

const struct keyword *kw_find(const struct keyword *table, size_t n, const char *name)
{
	/* bsearch(3) by hand: the comparison inlined, and the first byte compared before strcmp
	 * (every rules line looks its ACTION up in three tables: 4 % of a large compile). The
	 * tables hold each name once (kw_sorted), so the element found is bsearch's. */
	if (!name)
		return NULL;
	size_t lo = 0, hi = n;
	unsigned char c0 = (unsigned char)name[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned char t0 = (unsigned char)table[mid].name[0];
		int r = c0 != t0 ? (c0 < t0 ? -1 : 1) : c0 ? strcmp(name + 1, table[mid].name + 1) : 0;
		if (r == 0)
			return &table[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
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
