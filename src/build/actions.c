/* actions.c — Shorewall's standard actions as data: each a few lines of verdict + matches (actions.h). */
#include "actions.h"

#include "build.h"
#include "compile.h"
#include "ir.h"
#include "keyword.h"
#include "macro_names.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What a line matches besides the rule's own columns (a1/a2 are its arguments). */
enum act_match {
	AM_NONE,
	AM_DSTTYPE,                 /* -m addrtype --dst-type a1 */
	AM_SRCTYPE,                 /* -m addrtype --src-type a1 */
	AM_SRCNET,                  /* -s a1/a2 */
	AM_CTSTATE,                 /* -m conntrack --ctstate a1 */
	AM_NOTSYN,                  /* ! --syn */
	AM_FLAGS,                   /* --tcp-flags a1 a2 */
	AM_SYNSPORT0,               /* --syn --sport 0 */
	AM_ICMP,                    /* --icmp-type a1[/a2]; a2 255 = any code */
	AM_SPORT,                   /* --sport a1 */
};

/* Whose verdict a line has: the invocation's parameter, or its own. */
enum act_verdict { AV_PARAM, AV_DROP, AV_RETURN, AV_RESET };

struct act_line {
	uint8_t verdict, proto, match;
	uint32_t a1, a2;
};

struct std_action {
	const char *name;
	const char *dflt;           /* default parameter; NULL = takes none (only `audit`, not built) */
	bool chained;               /* a chain of its own (5.2.8's noinline) */
	uint8_t jump_proto;         /* the chained action's jump carries -p (5.2.8's proto=) */
	const struct act_line *lines;       /* NULL: known, not built by this compiler */
	size_t n;
};

#define LINES(a) a, KW_COUNT(a)
#define TCP_ALL (IR_TCP_FIN | IR_TCP_SYN | IR_TCP_RST | IR_TCP_PSH | IR_TCP_ACK | IR_TCP_URG)

static const struct act_line l_allow_icmps[] = {
	{ AV_PARAM, 1, AM_ICMP, 3, 4 },         /* fragmentation-needed: PMTU discovery */
	{ AV_PARAM, 1, AM_ICMP, 11, 255 },      /* time-exceeded: traceroute */
};
static const struct act_line l_broadcast[] = {
	{ AV_PARAM, 0, AM_DSTTYPE, IR_AT_BROADCAST, 0 },
	{ AV_PARAM, 0, AM_DSTTYPE, IR_AT_ANYCAST, 0 },
};
static const struct act_line l_multicast[] = { { AV_PARAM, 0, AM_DSTTYPE, IR_AT_MULTICAST, 0 } };
/* 4.x's Drop and Reject, still found in old DROP_DEFAULT settings: their address-type part */
static const struct act_line l_legacy[] = {
	{ AV_DROP, 0, AM_DSTTYPE, IR_AT_BROADCAST, 0 },
	{ AV_DROP, 0, AM_DSTTYPE, IR_AT_ANYCAST, 0 },
	{ AV_DROP, 0, AM_DSTTYPE, IR_AT_MULTICAST, 0 },
};
static const struct act_line l_invalid[] = { { AV_PARAM, 0, AM_CTSTATE, IR_CT_INVALID, 0 } };
static const struct act_line l_established[] = { { AV_PARAM, 0, AM_CTSTATE, IR_CT_ESTABLISHED, 0 } };
static const struct act_line l_related[] = { { AV_PARAM, 0, AM_CTSTATE, IR_CT_RELATED, 0 } };
static const struct act_line l_new[] = { { AV_PARAM, 0, AM_CTSTATE, IR_CT_NEW, 0 } };
static const struct act_line l_untracked[] = { { AV_PARAM, 0, AM_CTSTATE, IR_CT_UNTRACKED, 0 } };
static const struct act_line l_notsyn[] = { { AV_PARAM, 6, AM_NOTSYN, 0, 0 } };
static const struct act_line l_rst[] = { { AV_PARAM, 6, AM_FLAGS, IR_TCP_RST, IR_TCP_RST } };
static const struct act_line l_fin[] = {
	{ AV_PARAM, 6, AM_FLAGS, IR_TCP_ACK | IR_TCP_FIN, IR_TCP_ACK | IR_TCP_FIN },
};
static const struct act_line l_dnsrep[] = { { AV_PARAM, 17, AM_SPORT, 53, 0 } };
/* a smurf: a packet from a broadcast or multicast address (0.0.0.0 is DHCP's, not one) */
static const struct act_line l_smurfs[] = {
	{ AV_RETURN, 0, AM_SRCNET, 0, 32 },
	{ AV_DROP, 0, AM_SRCTYPE, IR_AT_BROADCAST, 0 },
	{ AV_DROP, 0, AM_SRCNET, 0xe0000000u, 4 },
};
static const struct act_line l_tcpflags[] = {
	{ AV_DROP, 6, AM_FLAGS, TCP_ALL, IR_TCP_FIN | IR_TCP_URG | IR_TCP_PSH },
	{ AV_DROP, 6, AM_FLAGS, TCP_ALL, 0 },
	{ AV_DROP, 6, AM_FLAGS, IR_TCP_SYN | IR_TCP_RST, IR_TCP_SYN | IR_TCP_RST },
	{ AV_DROP, 6, AM_FLAGS, IR_TCP_SYN | IR_TCP_FIN, IR_TCP_SYN | IR_TCP_FIN },
	{ AV_DROP, 6, AM_SYNSPORT0, 0, 0 },
};
static const struct act_line l_dropnotsyn[] = { { AV_DROP, 6, AM_NOTSYN, 0, 0 } };
static const struct act_line l_rejnotsyn[] = { { AV_RESET, 6, AM_NOTSYN, 0, 0 } };

enum {
	A_AREJECT, A_AREJECT_BANG, A_ALLOWICMPS, A_AUTOBL, A_AUTOBLL, A_BLACKLIST, A_BROADCAST, A_DNSAMP,
	A_DROP, A_DROPDNSREP, A_DROPSMURFS, A_ESTABLISHED, A_FIN, A_GLUSTERFS, A_IFEVENT, A_INVALID, A_LIMIT,
	A_MULTICAST, A_NEW, A_NOTSYN, A_RST, A_REJECT, A_RELATED, A_RESETEVENT, A_SETEVENT, A_TCPFLAGS,
	A_UNTRACKED, A_ALLOWBCAST, A_ALLOWINVALID, A_ALLOWMCAST, A_ALLOWINUPNP, A_DROPBCAST, A_DROPBCASTS,
	A_DROPINVALID, A_DROPMCAST, A_DROPNOTSYN, A_FORWARDUPNP, A_REJNOTSYN,
};

/* 5.2.8's actions.std, plus 4.x's Drop/Reject for old *_DEFAULT settings. Value: std_actions[]. */
static const struct keyword action_names[] = {  /* must stay sorted */
	{ "A_REJECT", A_AREJECT, 0 },
	{ "A_REJECT!", A_AREJECT_BANG, 0 },
	{ "AllowICMPs", A_ALLOWICMPS, 0 },
	{ "AutoBL", A_AUTOBL, 0 },
	{ "AutoBLL", A_AUTOBLL, 0 },
	{ "BLACKLIST", A_BLACKLIST, 0 },
	{ "Broadcast", A_BROADCAST, 0 },
	{ "DNSAmp", A_DNSAMP, 0 },
	{ "Drop", A_DROP, 0 },
	{ "DropDNSrep", A_DROPDNSREP, 0 },
	{ "DropSmurfs", A_DROPSMURFS, 0 },
	{ "Established", A_ESTABLISHED, 0 },
	{ "FIN", A_FIN, 0 },
	{ "GlusterFS", A_GLUSTERFS, 0 },
	{ "IfEvent", A_IFEVENT, 0 },
	{ "Invalid", A_INVALID, 0 },
	{ "Limit", A_LIMIT, 0 },
	{ "Multicast", A_MULTICAST, 0 },
	{ "New", A_NEW, 0 },
	{ "NotSyn", A_NOTSYN, 0 },
	{ "RST", A_RST, 0 },
	{ "Reject", A_REJECT, 0 },
	{ "Related", A_RELATED, 0 },
	{ "ResetEvent", A_RESETEVENT, 0 },
	{ "SetEvent", A_SETEVENT, 0 },
	{ "TCPFlags", A_TCPFLAGS, 0 },
	{ "Untracked", A_UNTRACKED, 0 },
	{ "allowBcast", A_ALLOWBCAST, 0 },
	{ "allowInvalid", A_ALLOWINVALID, 0 },
	{ "allowMcast", A_ALLOWMCAST, 0 },
	{ "allowinUPnP", A_ALLOWINUPNP, 0 },
	{ "dropBcast", A_DROPBCAST, 0 },
	{ "dropBcasts", A_DROPBCASTS, 0 },
	{ "dropInvalid", A_DROPINVALID, 0 },
	{ "dropMcast", A_DROPMCAST, 0 },
	{ "dropNotSyn", A_DROPNOTSYN, 0 },
	{ "forwardUPnP", A_FORWARDUPNP, 0 },
	{ "rejNotSyn", A_REJNOTSYN, 0 },
};

/* The fixed-verdict spellings (allowBcast = Broadcast(ACCEPT)) are the same lines with their own
 * default; their only parameter in 5.2.8 is `audit`, which needs the AUDIT target. */
static const struct std_action std_actions[] = {
	[A_AREJECT] = { "A_REJECT", NULL, false, 0, NULL, 0 },
	[A_AREJECT_BANG] = { "A_REJECT!", NULL, false, 0, NULL, 0 },
	[A_ALLOWICMPS] = { "AllowICMPs", "ACCEPT", false, 0, LINES(l_allow_icmps) },
	[A_AUTOBL] = { "AutoBL", NULL, false, 0, NULL, 0 },
	[A_AUTOBLL] = { "AutoBLL", NULL, false, 0, NULL, 0 },
	[A_BLACKLIST] = { "BLACKLIST", NULL, false, 0, NULL, 0 },
	[A_BROADCAST] = { "Broadcast", "DROP", false, 0, LINES(l_broadcast) },
	[A_DNSAMP] = { "DNSAmp", NULL, false, 0, NULL, 0 },
	[A_DROP] = { "Drop", "DROP", false, 0, LINES(l_legacy) },
	[A_DROPDNSREP] = { "DropDNSrep", "DROP", false, 0, LINES(l_dnsrep) },
	[A_DROPSMURFS] = { "DropSmurfs", NULL, true, 0, LINES(l_smurfs) },
	[A_ESTABLISHED] = { "Established", "ACCEPT", false, 0, LINES(l_established) },
	[A_FIN] = { "FIN", "ACCEPT", false, 0, LINES(l_fin) },
	[A_GLUSTERFS] = { "GlusterFS", NULL, false, 0, NULL, 0 },
	[A_IFEVENT] = { "IfEvent", NULL, false, 0, NULL, 0 },
	[A_INVALID] = { "Invalid", "DROP", false, 0, LINES(l_invalid) },
	[A_LIMIT] = { "Limit", NULL, false, 0, NULL, 0 },
	[A_MULTICAST] = { "Multicast", "DROP", false, 0, LINES(l_multicast) },
	[A_NEW] = { "New", "ACCEPT", false, 0, LINES(l_new) },
	[A_NOTSYN] = { "NotSyn", "DROP", false, 0, LINES(l_notsyn) },
	[A_RST] = { "RST", "DROP", false, 0, LINES(l_rst) },
	[A_REJECT] = { "Reject", "DROP", false, 0, LINES(l_legacy) },
	[A_RELATED] = { "Related", "DROP", false, 0, LINES(l_related) },
	[A_RESETEVENT] = { "ResetEvent", NULL, false, 0, NULL, 0 },
	[A_SETEVENT] = { "SetEvent", NULL, false, 0, NULL, 0 },
	[A_TCPFLAGS] = { "TCPFlags", NULL, true, 6, LINES(l_tcpflags) },
	[A_UNTRACKED] = { "Untracked", "DROP", false, 0, LINES(l_untracked) },
	[A_ALLOWBCAST] = { "allowBcast", NULL, false, 0, LINES(l_broadcast) },
	[A_ALLOWINVALID] = { "allowInvalid", NULL, false, 0, LINES(l_invalid) },
	[A_ALLOWMCAST] = { "allowMcast", NULL, false, 0, LINES(l_multicast) },
	[A_ALLOWINUPNP] = { "allowinUPnP", NULL, false, 0, NULL, 0 },
	[A_DROPBCAST] = { "dropBcast", NULL, false, 0, LINES(l_broadcast) },
	[A_DROPBCASTS] = { "dropBcasts", NULL, false, 0, LINES(l_broadcast) },
	[A_DROPINVALID] = { "dropInvalid", NULL, false, 0, LINES(l_invalid) },
	[A_DROPMCAST] = { "dropMcast", NULL, false, 0, LINES(l_multicast) },
	[A_DROPNOTSYN] = { "dropNotSyn", NULL, true, 6, LINES(l_dropnotsyn) },
	[A_FORWARDUPNP] = { "forwardUPnP", NULL, false, 0, NULL, 0 },
	[A_REJNOTSYN] = { "rejNotSyn", NULL, true, 6, LINES(l_rejnotsyn) },
};

/* The verdict of a fixed-verdict spelling (allowBcast…); NULL for the others. */
static const char *fixed_verdict(const struct std_action *a)
{
	if (a->dflt || a->chained || !a->lines)
		return NULL;
	return a->name[0] == 'a' ? "ACCEPT" : "DROP";
}

/* Verdicts an action's parameter may name. */
static const struct keyword param_verdicts[] = {        /* must stay sorted */
	{ "ACCEPT", IRT_ACCEPT, 0 },
	{ "CONTINUE", IRT_RETURN, 0 },
	{ "DROP", IRT_DROP, 0 },
	{ "REJECT", IRT_REJECT, 0 },
};

const struct keyword *actions_table(size_t *n)
{
	*n = KW_COUNT(action_names);
	return action_names;
}

const struct keyword *actions_verdict_table(size_t *n)
{
	*n = KW_COUNT(param_verdicts);
	return param_verdicts;
}

bool actions_known(const char *name)
{
	return name && KW_FIND(action_names, name) != NULL;
}

/* Resolve without reporting: NULL, or the error text. */
static const char *resolve(struct builder *b, const char *name, const char *param, const char *level,
			   struct action_call *out)
{
	struct arena *A = b->c->arena;
	memset(out, 0, sizeof(*out));
	const struct keyword *k = name ? KW_FIND(action_names, name) : NULL;
	if (!k && name && macro_file_exists(b->c, "action", name))  /* the admin's own action.NAME */
		return arena_printf(A, "ACTION %s is not supported by this compiler yet", name);
	if (!k)
		return arena_printf(A, "Unknown ACTION (%s)", name ? name : "-");
	const struct std_action *a = &std_actions[k->value];
	if (!a->lines)
		return arena_printf(A, "ACTION %s is not supported by this compiler yet", name);
	if (param && (!*param || strcmp(param, "-") == 0))
		param = NULL;
	if (param && strcmp(param, "audit") == 0)
		return arena_printf(A, "The audit parameter of %s is not supported by this compiler yet", name);
	const char *verdict = fixed_verdict(a);
	if (param && !a->dflt)
		return arena_printf(A, "Invalid argument (%s) to %s", param, name);
	if (param && !KW_FIND(param_verdicts, param))
		return arena_printf(A, "Unknown ACTION (%s)", param);   /* 5.2.8 reads it as the target */
	out->a = a;
	out->name = a->name;
	out->verdict = param ? param : verdict ? verdict : a->dflt;
	out->level = level && *level && strcasecmp(level, "none") != 0 ? level : NULL;
	return NULL;
}

bool actions_resolve(struct builder *b, const struct loc *loc, const char *name, const char *param,
		     const char *level, struct action_call *out)
{
	const char *err = resolve(b, name, param, level, out);
	if (err)
		diag_error(b->c->diag, loc, "%s", err);
	return !err;
}

uint8_t actions_chain_proto(const struct action_call *ac)
{
	return ac->a->jump_proto;
}

size_t actions_nlines(const struct action_call *ac)
{
	return ac->a->chained ? 0 : ac->a->n;
}

uint8_t actions_line_proto(const struct action_call *ac, size_t i)
{
	return ac->a->lines[i].proto;
}

/* A verdict word as a target: ACCEPT, DROP, CONTINUE (back to the caller), REJECT (-j reject). */
static void word_target(struct builder *b, const char *word, bool policy, struct ir_target *t)
{
	memset(t, 0, sizeof(*t));
	const struct keyword *k = KW_FIND(param_verdicts, word);
	t->kind = k ? (enum ir_target_kind)k->value : IRT_DROP;
	if (t->kind == IRT_REJECT) {
		/* a policy chain goes to reject (-g), as its final verdict does; a rule jumps */
		t->kind = policy ? IRT_GOTO : IRT_JUMP;
		t->u.chain = ir_chain_get(b->rs, IR_FILTER, "reject");
	}
}

static void line_target(struct builder *b, const struct action_call *ac, const struct act_line *l,
			struct ir_target *t, const char **word)
{
	memset(t, 0, sizeof(*t));
	switch (l->verdict) {
	case AV_DROP:
		t->kind = IRT_DROP;
		*word = "DROP";
		break;
	case AV_RETURN:
		t->kind = IRT_RETURN;
		*word = NULL;
		break;
	case AV_RESET:
		t->kind = IRT_REJECT;
		t->u.reject.with = IR_REJECT_TCP_RESET;
		*word = "REJECT";
		break;
	default:
		word_target(b, ac->verdict, ac->policy, t);
		*word = ac->verdict;
		break;
	}
}

/* A logged verdict: a ~logN chain with the LOG rule, then the verdict. */
static void logged(struct builder *b, const struct loc *loc, const char *level, const char *logname,
		   const char *word, struct ir_target *t)
{
	struct ir_chain *ch = ir_chain_get(b->rs, IR_FILTER, arena_printf(b->c->arena, "~log%u", b->nlog++));
	ch->loc = *loc;
	build_log(b, ch, loc, level, logname, word);
	struct ir_rule *r = ir_rule_append(ch, loc);
	ir_target_copy(r, t);
	memset(t, 0, sizeof(*t));
	t->kind = IRT_JUMP;
	t->u.chain = ch;
}

bool actions_line_target(struct builder *b, const struct loc *loc, const struct action_call *ac, size_t i,
			 const char *logname, struct ir_target *t)
{
	const char *word;
	line_target(b, ac, &ac->a->lines[i], t, &word);
	if (ac->level && word && t->kind != IRT_RETURN)
		logged(b, loc, ac->level, logname, word, t);
	return true;
}

void actions_line_matches(const struct action_call *ac, size_t i, struct ir_rule *r)
{
	const struct act_line *l = &ac->a->lines[i];
	struct net4 net = { .addr = l->a1, .len = (uint8_t)l->a2 };
	switch (l->match) {
	case AM_DSTTYPE:
		ir_match_addrtype(r, IR_DST, l->a1, false);
		break;
	case AM_SRCTYPE:
		ir_match_addrtype(r, IR_SRC, l->a1, false);
		break;
	case AM_SRCNET:
		ir_match_src_net(r, &net, false);
		break;
	case AM_CTSTATE:
		ir_match_ctstate(r, l->a1, false);
		break;
	case AM_NOTSYN:
		ir_match_syn(r)->invert = true;
		break;
	case AM_FLAGS:
		ir_match_tcp_flags(r, (uint8_t)l->a1, (uint8_t)l->a2);
		break;
	case AM_SYNSPORT0:
		ir_match_syn(r);
		ir_match_sport(r, 0, 0, false);
		break;
	case AM_ICMP:
		ir_match_icmp(r, (uint8_t)l->a1, l->a2 == 255 ? -1 : (int)l->a2);
		break;
	case AM_SPORT:
		ir_match_sport(r, (uint16_t)l->a1, (uint16_t)l->a1, false);
		break;
	default:
		break;
	}
}

/* One rule of an action's body into ch: the line's protocol and matches, then its target. */
static void line_rule(struct builder *b, struct ir_chain *ch, const struct loc *loc, const struct action_call *ac,
		      size_t i, const char *logname)
{
	struct ir_target t;
	actions_line_target(b, loc, ac, i, logname, &t);
	struct ir_rule *r = ir_rule_append(ch, loc);
	if (ac->a->lines[i].proto)
		ir_match_proto(r, ac->a->lines[i].proto);
	actions_line_matches(ac, i, r);
	ir_target_copy(r, &t);
}

struct ir_chain *actions_chain(struct builder *b, const struct loc *loc, const struct action_call *ac,
			       const char *logname)
{
	(void)logname;
	if (!ac->a->chained)
		return NULL;
	/* one chain per variant: the plain action under its own name, as 5.2.8 names it */
	const char *name = ac->level ? arena_printf(b->c->arena, "%%%s_%s", ac->a->name, ac->level) : ac->a->name;
	struct ir_chain *ch = ir_chain_find(b->rs, IR_FILTER, name);
	if (ch)
		return ch;
	ch = ir_chain_get(b->rs, IR_FILTER, name);
	ch->loc = *loc;
	for (size_t i = 0; i < ac->a->n; i++)
		line_rule(b, ch, loc, ac, i, ac->a->name);
	return ch;
}

/* A default-action text ("Broadcast(DROP),Multicast(DROP)") split and resolved: every pair chain
 * of a policy kind ends with the same text (DROP_DEFAULT…), 22,000 of them at 150 zones, so each
 * distinct text is read once per compile, and its rules are built once into a detached chain
 * and copied into each chain (unless a call is logged: each chain has its own ~log chain then). */
struct policy_default {
	const char *text;
	size_t n;
	struct pd_call {
		const char *err;            /* what is wrong with it (reported once), or NULL */
		struct action_call ac;
	} *calls;
	bool per_chain;                 /* a call is logged: built for each chain */
	bool errs;                      /* a call has an err */
	size_t nrules;                  /* rules it adds to a chain */
	struct ir_chain *body;          /* !per_chain: the rules, made on first use */
	struct policy_default *next;
};

static struct policy_default *policy_default_get(struct builder *b, const char *text)
{
	for (struct policy_default *pd = b->policy_defaults; pd; pd = pd->next)
		if (pd->text == text || strcmp(pd->text, text) == 0)
			return pd;
	struct arena *A = b->c->arena;
	struct policy_default *pd = arena_new_obj(A, struct policy_default);
	pd->text = text;
	char *buf = arena_strdup(A, text[0] == '+' ? text + 1 : text);
	size_t cap = 1;
	for (const char *p = buf; *p; p++)
		cap += *p == ',';
	pd->calls = arena_alloc(A, cap * sizeof(*pd->calls));
	char *save = NULL;
	for (char *e = strtok_r(buf, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		char *param = NULL, *level = NULL;
		char *paren = strchr(e, '(');
		char *close = paren ? strchr(paren, ')') : NULL;
		char *colon = strchr(close ? close : e, ':');
		if (colon) {
			*colon = '\0';
			level = colon + 1;
		}
		if (paren) {
			*paren = '\0';
			param = paren + 1;
			param[strcspn(param, ")")] = '\0';
		}
		if (strcasecmp(e, "none") == 0)
			continue;
		struct pd_call *call = &pd->calls[pd->n++];
		call->err = resolve(b, e, param, level, &call->ac);
		call->ac.policy = true;
		if (call->err) {
			pd->errs = true;
			continue;
		}
		pd->nrules += call->ac.a->chained ? 1 : call->ac.a->n;
		if (!call->ac.a->chained && call->ac.level)
			pd->per_chain = true;
	}
	pd->next = b->policy_defaults;
	b->policy_defaults = pd;
	return pd;
}

/* The calls' rules into ch (chain_name: for the ~log chains of logged calls); ch NULL: only the
 * reports. What this compiler does not build is reported at the first line that uses it. */
static void policy_default_rules(struct builder *b, const struct policy_default *pd, struct ir_chain *ch,
				 const struct loc *loc, const char *chain_name)
{
	struct compile *c = b->c;
	for (size_t k = 0; k < pd->n; k++) {
		const struct pd_call *call = &pd->calls[k];
		if (call->err) {
			/* every pair's chain ends with the same policy line: say it once */
			if (!diag_has(c->diag, call->err))
				diag_error(c->diag, loc, "%s", call->err);
			continue;
		}
		if (!ch)
			continue;
		const struct action_call *ac = &call->ac;
		struct ir_chain *to = actions_chain(b, loc, ac, chain_name);
		if (to) {
			struct ir_rule *r = ir_rule_append(ch, loc);
			if (ac->a->jump_proto)
				ir_match_proto(r, ac->a->jump_proto);
			ir_target_jump(r, to);
			continue;
		}
		for (size_t i = 0; i < ac->a->n; i++)
			line_rule(b, ch, loc, ac, i, chain_name);
	}
}

/* "Broadcast(DROP),Multicast(DROP)": each element Name[(verdict)][:level]. The policy parser
 * checked the names; what this compiler does not build is reported once per line. */
void actions_policy_default(struct builder *b, struct ir_chain *ch, const struct loc *loc, const char *text,
			    const char *chain_name, size_t after)
{
	if (!text || !*text) {
		ir_chain_reserve(ch, after);
		return;
	}
	/* "none" (in any case) reads as a list without calls: nothing is added */
	struct policy_default *pd = policy_default_get(b, text);
	ir_chain_reserve(ch, pd->nrules + after);
	if (pd->per_chain) {
		policy_default_rules(b, pd, ch, loc, chain_name);
		return;
	}
	if (!pd->body) {
		pd->body = ir_chain_detached(b->rs);
		policy_default_rules(b, pd, pd->body, loc, chain_name);
	} else if (pd->errs) {
		policy_default_rules(b, pd, NULL, loc, chain_name);
	}
	ir_chain_append_copy(ch, pd->body, loc);
}

void actions_finish(struct builder *b)
{
	for (struct policy_default *pd = b->policy_defaults; pd; pd = pd->next)
		if (pd->body)
			ir_chain_flush(pd->body);   /* its jumps (-g reject…) are no one's */
}
