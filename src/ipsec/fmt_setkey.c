/* fmt_setkey.c — the SPD as setkey(8) input: `spdadd A B any -P out ipsec esp/tunnel/G1-G2/require;`. */
#include "spd.h"

#include "compile.h"
#include "graph.h"

/* setkey takes a reqid only as the level `unique:N`, and at most IPSEC_MANUAL_REQID_MAX. */
#define SETKEY_REQID_MAX 16383

static void entry(const struct spd_peer *p, enum spd_dir d, const struct spd_entry *e, FILE *f)
{
	fprintf(f, "spdadd %s %s any -P %s ipsec %s/%s/", e->src, e->dst, spd_dir_name(d), p->proto,
		p->mode == SPD_TUNNEL ? "tunnel" : "transport");
	if (e->tmpl)
		fprintf(f, "%s-%s", e->tsrc, e->tdst);
	unsigned long reqid = spd_reqid(p, d);
	if (reqid)
		fprintf(f, "/unique:%lu;\n", reqid);
	else
		fprintf(f, "/require;\n");
}

int spd_print_setkey(struct compile *c, const struct spd *s, FILE *f)
{
	int errors = 0;
	spd_comment_head(c, s, "setkey -f input", f);
	for (size_t i = 0; i < s->peers.n; i++) {
		const struct spd_peer *p = s->peers.v[i];
		if (p->reqid_in > SETKEY_REQID_MAX || p->reqid_out > SETKEY_REQID_MAX) {
			diag_error(c->diag, &p->zone_loc, "setkey takes a reqid of at most %d (%lu)", SETKEY_REQID_MAX,
				   p->reqid_out > SETKEY_REQID_MAX ? p->reqid_out : p->reqid_in);
			errors++;
			continue;
		}
		spd_print_peer(c, p, entry, f);
	}
	return errors;
}
