/* graph_dump.h — the zone graph for people (`check -v`) and for tools (`check --yaml`, libyaml). */
#ifndef SHOREWALL_GRAPH_DUMP_H
#define SHOREWALL_GRAPH_DUMP_H 1

#include <stdio.h>

struct compile;

/* Which layout each file was read as, then zones, hosts and the policy matrix. */
void graph_print_summary(const struct compile *c, FILE *out);
/* The whole graph as one YAML document; every item with its file and line. Returns 0 on success. */
int graph_dump_yaml(const struct compile *c, FILE *out);

#endif /* SHOREWALL_GRAPH_DUMP_H */
