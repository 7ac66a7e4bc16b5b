/* conf.h — shorewall.conf's vocabulary, for params.c (the names it reserves) and the unit tests. */
#ifndef SHOREWALL_CONF_H
#define SHOREWALL_CONF_H 1

#include <stdbool.h>
#include <stddef.h>

struct keyword;

/* True for every option name Shorewall 5.2.8 knows (modelled or not, eliminated included) and ours. */
bool conf_is_option(const char *name);
/* The i-th option name in table order, NULL past the end (the table must stay sorted). */
const char *conf_option_name(size_t i);
/* The i-th keyword table conf.c searches, NULL past the end; *nocase tells how it is searched. */
const struct keyword *conf_keyword_table(size_t i, size_t *n, bool *nocase);
/* Shorewall's MAXZONENAMELENGTH for a LOGFORMAT, from the length of a sample prefix; 0 when the
 * format is not one Shorewall accepts or its sample is longer than the 29 bytes of a log prefix. */
unsigned conf_logformat_zonelen(const char *format);

#endif /* SHOREWALL_CONF_H */
