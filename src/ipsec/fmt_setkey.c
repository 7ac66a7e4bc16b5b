/* fmt_setkey.c — the SPD as setkey(8) input: `spdadd A B any -P out ipsec esp/tunnel/G1-G2/require;`. */
#include "spd.h"

#include "compile.h"
#include "graph.h"

/* setkey takes a reqid only as the level `unique:N`, and at most IPSEC_MANUAL_REQID_MAX. */
#define SETKEY_REQID_MAX 16383

static void entry(const struct spd_peer *p, enum spd_dir d, const struct spd_sel *l, const struct spd_sel *r,
		  FILE *f)
{
	char s[24], t[24], g1[16], g2[16];
	const struct spd_sel *src = d == SPD_OUT ? l : r, *dst = d == SPD_OUT ? r : l;
	uint32_t a, b;
	fprintf(f, "spdadd %s %s any -P %s ipsec %s/%s/", spd_net(&src->net, s, sizeof(s)),
		spd_net(&dst->net, t, sizeof(t)), spd_dir_name(d), p->proto,
		p->mode == SPD_TUNNEL ? "tunnel" : "transport");
	if (spd_tmpl(p, d, l, r, &a, &b))
		fprintf(f, "%s-%s", ip4_format(a, g1, sizeof(g1)), ip4_format(b, g2, sizeof(g2)));
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
		spd_comment_peer(c, p, f);
		if (!spd_peer_static(p))
			continue;
		for (size_t l = 0; l < p->local.n; l++)
			for (size_t r = 0; r < p->remote.n; r++) {
				spd_comment_pair(c, &p->local.v[l], &p->remote.v[r], f);
				for (unsigned d = 0; d < spd_dirs(p); d++)
					entry(p, (enum spd_dir)d, &p->local.v[l], &p->remote.v[r], f);
			}
	}
	return errors;
}
