/* tunnels.h — what the tunnels parser exposes beyond parsers.h: its vocabularies, for the table tests. */
#ifndef SHOREWALL_TUNNELS_H
#define SHOREWALL_TUNNELS_H 1

#include <stddef.h>

#include "keyword.h"

/* TYPE names (value = enum tunnel_type, flags = how the qualifier is read). */
const struct keyword *tunnels_type_table(size_t *n);
/* ipsec/ipsecnat modifiers: ah, noah. */
const struct keyword *tunnels_ipsec_modifier_table(size_t *n);

#endif /* SHOREWALL_TUNNELS_H */
