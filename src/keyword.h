/* keyword.h — closed vocabularies as sorted tables searched with bsearch, never if-chains. */
#ifndef SHOREWALL_KEYWORD_H
#define SHOREWALL_KEYWORD_H 1

#include <stdbool.h>
#include <stddef.h>

/* One entry of a vocabulary. Tables must stay sorted by name (strcmp order); every table is
 * registered in tests/unit/test_keyword.c, which asserts the order. */
struct keyword {
	const char *name;
	int value;
	unsigned flags;             /* meaning is the table's own (e.g. "takes a value") */
};

const struct keyword *kw_find(const struct keyword *table, size_t n, const char *name);
/* Case-insensitive lookup for vocabularies Shorewall treats so (Yes/yes/YES); the table must be
 * sorted by strcasecmp order and hold lower-case names. */
const struct keyword *kw_find_nocase(const struct keyword *table, size_t n, const char *name);
bool kw_sorted(const struct keyword *table, size_t n, bool nocase);

#define KW_COUNT(t) (sizeof(t) / sizeof((t)[0]))
#define KW_FIND(t, name) kw_find((t), KW_COUNT(t), (name))

#endif /* SHOREWALL_KEYWORD_H */
