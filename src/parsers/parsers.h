/* parsers.h — one entry point per configuration file; each returns the number of errors it reported.
 *
 * Every parser reads rows from a struct source (file or memory), checks them, and adds records to
 * c->graph with the row's loc. Parsers know nothing of netfilter. They are run in the order of
 * config_load() (load.c), so each may look up what earlier files defined (zones before interfaces,
 * interfaces before hosts, …). */
#ifndef SHOREWALL_PARSERS_H
#define SHOREWALL_PARSERS_H 1

struct compile;
struct diag;
struct source;

int parse_params(struct compile *c, struct source *s);
int parse_conf(struct compile *c, struct source *s);
int parse_zones(struct compile *c, struct source *s);
int parse_ipsec(struct compile *c, struct source *s);
int parse_interfaces(struct compile *c, struct source *s);
int parse_hosts(struct compile *c, struct source *s);
int parse_tunnels(struct compile *c, struct source *s);
int parse_masq(struct compile *c, struct source *s);
int parse_snat(struct compile *c, struct source *s);
int parse_policy(struct compile *c, struct source *s);
int parse_rules(struct compile *c, struct source *s);
int parse_routestopped(struct compile *c, struct source *s);
int parse_stoppedrules(struct compile *c, struct source *s);
int parse_modules(struct compile *c, struct source *s);

/* Called by config_load after the last file: checks that need every file (the policy matrix
 * complete, …). Defined by the parser that owns the check. */
int policy_finish(struct compile *c, const struct source *policy_src);

/* Read the whole directory c->dir into c->graph, in dependency order, then graph_finish().
 * Returns the total number of errors (also in c->diag). */
int config_load(struct compile *c);
/* The opening every command shares: a fresh diag and compile for DIR, then config_load.
 * Returns the number of errors; the caller owns both and ends them with compile_fini/diag_fini. */
int config_read(struct compile *c, struct diag *d, const char *dir, unsigned verbose);

#endif /* SHOREWALL_PARSERS_H */
