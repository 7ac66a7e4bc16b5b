/* graph_dump.c — STUB: summary and YAML dump of the zone graph (to be written). */
#include "graph_dump.h"

#include "compile.h"

void graph_print_summary(const struct compile *c, FILE *out)
{
	(void)c;
	(void)out;
}

int graph_dump_yaml(const struct compile *c, FILE *out)
{
	(void)c;
	(void)out;
	return 0;
}
