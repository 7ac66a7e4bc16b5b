/* formats.c — the --format names of `shorewall ipsec-policy` and the printer behind each. */
#include "spd.h"

#include "keyword.h"

static const spd_format_fn printers[] = { spd_print_xfrm, spd_print_setkey, spd_print_swanctl };

/* must stay sorted */
static const struct keyword formats[] = {
	{ "ip-xfrm", 0, 0 },
	{ "setkey",  1, 0 },
	{ "swanctl", 2, 0 },
};

spd_format_fn spd_format_find(const char *name)
{
	const struct keyword *k = KW_FIND(formats, name);
	return k ? printers[k->value] : NULL;
}

const struct keyword *spd_format_table(size_t *n)
{
	*n = KW_COUNT(formats);
	return formats;
}
