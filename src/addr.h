/* addr.h — IPv4 addresses, networks, ranges and the address lists of HOST(S)/SOURCE/DEST columns. */
#ifndef SHOREWALL_ADDR_H
#define SHOREWALL_ADDR_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Host byte order throughout; emitters convert. */
struct net4 {
	uint32_t addr;
	uint8_t len;                /* prefix length 0..32 */
};

enum addr_kind {
	ADDR_NET,                   /* a.b.c.d[/len] */
	ADDR_RANGE,                 /* a.b.c.d-e.f.g.h */
	ADDR_IPSET,                 /* +setname[src,dst] */
	ADDR_DYNAMIC,               /* the hosts-file keyword `dynamic` */
};

struct addr_item {
	enum addr_kind kind;
	struct net4 net;            /* ADDR_NET */
	uint32_t lo, hi;            /* ADDR_RANGE, lo <= hi */
	const char *set;            /* ADDR_IPSET: the text after '+' */
	struct addr_item *next;
};

/* A comma list with optional exclusions: "10.0.0.0/8,192.168.0.0/16!10.1.0.0/16,10.2.0.0/16". */
struct addr_list {
	struct addr_item *items;    /* NULL = any address */
	struct addr_item *excl;     /* NULL = none excluded */
};

bool addr_parse_ip4(const char *s, uint32_t *out);
bool addr_parse_net(const char *s, struct net4 *out);
/* One element: network, range, +ipset or (when allow_dynamic) `dynamic`. */
bool addr_parse_item(const char *s, struct addr_item *out, bool allow_dynamic);
/* Parse a whole list; on failure *bad points at (an arena copy of) the offending element. */
bool addr_parse_list(struct arena *a, const char *s, struct addr_list *out, bool allow_dynamic,
		     const char **bad);

bool net4_contains(const struct net4 *outer, const struct net4 *inner);
bool net4_is_any(const struct net4 *n);
/* "10.0.0.0/8", or "134.28.54.2" for a /32. buf needs 19 bytes. */
char *net4_format(const struct net4 *n, char *buf, size_t len);
/* The digits of v, or a dotted quad, written at p without a NUL; return the end (the emitter
 * writes its numbers and addresses with these: at most 10 and 15 bytes). */
char *addr_put_dec(char *p, unsigned v);
char *addr_put_ip4(char *p, uint32_t a);
char *ip4_format(uint32_t a, char *buf, size_t len);
char *addr_item_format(const struct addr_item *it, char *buf, size_t len);

#endif /* SHOREWALL_ADDR_H */
