/* policy.h — what the policy parser exposes beyond parsers.h: its vocabulary, for the table tests. */
#ifndef SHOREWALL_POLICY_H
#define SHOREWALL_POLICY_H 1

#include <stddef.h>

#include "keyword.h"

/* POLICY column keywords (ACCEPT … REJECT), value = enum policy_kind. */
const struct keyword *policy_kind_table(size_t *n);

#endif /* SHOREWALL_POLICY_H */
