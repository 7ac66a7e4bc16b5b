/* rules.h — what the rules parser exposes beyond parsers.h: its vocabularies, for the table tests. */
#ifndef SHOREWALL_RULES_H
#define SHOREWALL_RULES_H 1

#include <stddef.h>

#include "keyword.h"

/* Builtin ACTION targets (ACCEPT, DNAT-, REJECT!, …); flags = what each takes and means. */
const struct keyword *rules_target_table(size_t *n);
/* REJECT(option) values. */
const struct keyword *rules_reject_table(size_t *n);
/* Modifiers after all/any in SOURCE and DEST ("", "+", "-", "+-", "-+"). */
const struct keyword *rules_wild_modifier_table(size_t *n);
/* AUDIT(type) and TARPIT(mode) values. */
const struct keyword *rules_audit_table(size_t *n);
const struct keyword *rules_tarpit_table(size_t *n);

#endif /* SHOREWALL_RULES_H */
