/* actions.h — Shorewall's standard actions (Broadcast, Invalid, NotSyn, DropSmurfs, …) as one table,
 * used by rules (`Invalid(DROP)`, `dropNotSyn`) and by policy default actions (`DROP:Broadcast(DROP)`).
 *
 * An action is a short list of lines, each a verdict (the invocation's parameter, or fixed) with a
 * few matches of its own. Inline actions put their lines into the invoking chain, merged with the
 * rule's own matches; chained ones (DropSmurfs, TCPFlags, dropNotSyn, rejNotSyn: those 5.2.8 marks
 * noinline) get a chain of their own, built once, which the rule jumps to. */
#ifndef SHOREWALL_ACTIONS_H
#define SHOREWALL_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct builder;
struct ir_chain;
struct ir_rule;
struct ir_target;
struct keyword;
struct std_action;

/* One invocation, resolved: NAME[(param)][:level]. */
struct action_call {
	const struct std_action *a;
	const char *name;           /* as written (the base name) */
	const char *verdict;        /* the parameter in force: given, or the action's default; NULL = none */
	const char *level;          /* NULL = not logged */
	bool policy;                /* in a policy chain: REJECT goes (-g) to reject */
};

/* Is NAME one of the standard actions (whether or not this compiler builds it)? */
bool actions_known(const char *name);
/* Resolve NAME(param):level at loc; false after reporting (unknown, bad parameter, not built). */
bool actions_resolve(struct builder *b, const struct loc *loc, const char *name, const char *param,
		     const char *level, struct action_call *out);
/* The chain a chained action's rules jump to (built on first use), or NULL for an inline one. */
struct ir_chain *actions_chain(struct builder *b, const struct loc *loc, const struct action_call *ac,
			       const char *logname);
/* The protocol a chained action's jump carries (TCPFlags, dropNotSyn: tcp); 0 = none. */
uint8_t actions_chain_proto(const struct action_call *ac);
/* Inline lines: how many, and line i's protocol (0 = the rule's own), its target (logged through a
 * ~log chain named for logname when the call has a level) and its own matches. */
size_t actions_nlines(const struct action_call *ac);
uint8_t actions_line_proto(const struct action_call *ac, size_t i);
bool actions_line_target(struct builder *b, const struct loc *loc, const struct action_call *ac, size_t i,
			 const char *logname, struct ir_target *t);
void actions_line_matches(const struct action_call *ac, size_t i, struct ir_rule *r);
/* A policy's default action list ("Broadcast(DROP),Multicast(DROP)", "none") into the policy chain,
 * with room for `after` more rules the caller appends (the chain's vector sized once). */
void actions_policy_default(struct builder *b, struct ir_chain *ch, const struct loc *loc, const char *text,
			    const char *chain_name, size_t after);
/* After the last actions_policy_default: release what the shared default-action rules hold. */
void actions_finish(struct builder *b);
/* The tables (action names; the verdicts a parameter may name), for the order test. */
const struct keyword *actions_table(size_t *n);
const struct keyword *actions_verdict_table(size_t *n);

#endif /* SHOREWALL_ACTIONS_H */
