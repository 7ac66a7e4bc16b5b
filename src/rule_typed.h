/* rule_typed.h — a rules line's SOURCE, DEST, PROTO and ports as the rules parser read them, for the builder.
 *
 * The parser reads every qualifier to check it; what it read is kept here so that the builder
 * does not split and parse the same text again. Only lines the builder reads as they are get one
 * (no macro, no nat action, no ORIGINAL DEST): a macro's body lines merge their columns with the
 * invoking line's, and those and the nat forms keep reading the text. */
#ifndef SHOREWALL_RULE_TYPED_H
#define SHOREWALL_RULE_TYPED_H 1

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "ir.h"

struct arena;

/* One side's qualifier (after "zone:"), read: arrays sized to what the column holds. */
struct rule_side {
	const char *iface;                      /* the interface's physical name when it has one */
	const struct addr_item *addrs;          /* naddrs of them; none: any */
	const struct addr_item *excl;           /* `!…`: excluded, through a ~excl chain */
	const uint8_t *const *macs;             /* `~00-11-…` (SOURCE): alternatives after addrs */
	uint32_t naddrs, nexcl, nmacs;
};

/* One element of PROTO with the line's ports (or ICMP types) read for it. */
struct proto_spec {
	struct ir_portrange *dp, *sp;
	struct ir_icmp *types;      /* type 255 = any */
	uint32_t ndp, nsp, ntypes;
	uint8_t num;
	bool syn;
	bool dinv, sinv;
	bool pinv;                  /* `!proto`: anything but it */
	bool icmp;                  /* DEST PORT(S) are ICMP types */
};

/* What a rules file's typed lines share: the arenas the builder takes over. */
struct rule_typed_file {
	/* the rule_typed records (and this): dead once the builder's index has read them, which
	 * frees them then, so ru->typed is read only while the index is made */
	struct arena *records;
	/* [zone->index]: the sides and protocols of the lines naming one pair from that zone, NULL
	 * when none; each becomes the builder's arena for the zone's lines and goes with them */
	struct arena **homes;
	size_t nzones;
};

struct rule_typed {
	const struct rule_side *s, *d;          /* NULL: no qualifier (the whole zone) */
	/* PROTO and ports, or NULL: the builder reads them (kept for a plain `tcp`/`udp` or no
	 * PROTO, and ports in digits: what nearly every line has) */
	const struct proto_spec *ps;
	const struct rule_typed_file *file;
	/* SOURCE and DEST each name one zone (not all/any/a list): the zones' indexes, so the
	 * builder need not look the names up again; s, d and ps are in file->homes[szone]. Else
	 * they are in the compile's arena. */
	bool single;
	uint16_t szone, dzone;
	uint8_t target;                         /* 1 + ACTION's position in rules_target_table(); 0: none */
};

#endif /* SHOREWALL_RULE_TYPED_H */
