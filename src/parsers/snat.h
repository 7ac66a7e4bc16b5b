/* snat.h — what the snat parser exposes beyond parsers.h: its vocabulary, for the table tests. */
#ifndef SHOREWALL_SNAT_H
#define SHOREWALL_SNAT_H 1

#include <stddef.h>

#include "keyword.h"

/* ACTIONs without a parameter list (value = enum snat_action). */
const struct keyword *snat_action_table(size_t *n);

#endif /* SHOREWALL_SNAT_H */
