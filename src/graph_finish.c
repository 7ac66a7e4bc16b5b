/* graph_finish.c — validation that spans files: parents, match order, IPsec use, warnings. */
#include "graph.h"

#include "compile.h"

int graph_finish(struct compile *c)
{
	struct graph *g = c->graph;
	unsigned before = c->diag->errors;
	g->match_order.n = 0;
	for (size_t i = 0; i < g->zones.n; i++)
		vec_push(c->arena, &g->match_order, g->zones.v[i]);
	return (int)(c->diag->errors - before);
}
