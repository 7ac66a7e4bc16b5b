/* stopped.h — the rulesets of a stopped and of a cleared firewall, built from the zone graph.
 *
 * Stopped (docs/cli.md `stop`): filter INPUT and FORWARD drop, OUTPUT accepts with
 * ADMINISABSENTMINDED=Yes and drops otherwise; replies (ESTABLISHED,RELATED) pass INPUT and
 * FORWARD; loopback; DHCP (udp 67:68) on `dhcp` interfaces; then the stoppedrules entries (ACCEPT
 * in filter, DROP and NOTRACK in raw PREROUTING, or raw OUTPUT for $FW's own traffic) and the 2.x
 * routestopped entries with their 2.x meaning. Cleared: every builtin chain ACCEPT, nothing else.
 * Tables a ruleset does not use are emptied by the apply step, not here. */
#ifndef SHOREWALL_BUILD_STOPPED_H
#define SHOREWALL_BUILD_STOPPED_H 1

struct compile;
struct ruleset;

/* The graph must be finished (config_load without errors). NULL, errors in c->diag, on failure. */
struct ruleset *build_stopped(struct compile *c);
/* Needs only c's arena: no configuration is read to open the firewall. */
struct ruleset *build_cleared(struct compile *c);

#endif /* SHOREWALL_BUILD_STOPPED_H */
