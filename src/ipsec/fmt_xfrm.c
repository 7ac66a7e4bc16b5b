/* fmt_xfrm.c — the SPD as `ip xfrm policy add …` commands, one per line, runnable by sh as they are. */
#include "spd.h"

#include "compile.h"
#include "graph.h"

#include <string.h>

/* ip(8) spells IPcomp `comp`. */
static const char *xfrm_proto(const char *proto)
{
	return strcmp(proto, "ipcomp") == 0 ? "comp" : proto;
}

static void entry(const struct spd_peer *p, enum spd_dir d, const struct spd_sel *l, const struct spd_sel *r,
		  FILE *f)
{
	char s[24], t[24], g1[16], g2[16];
	const struct spd_sel *src = d == SPD_OUT ? l : r, *dst = d == SPD_OUT ? r : l;
	uint32_t a, b;
	fprintf(f, "ip xfrm policy add src %s dst %s dir %s tmpl", spd_net(&src->net, s, sizeof(s)),
		spd_net(&dst->net, t, sizeof(t)), spd_dir_name(d));
	if (spd_tmpl(p, d, l, r, &a, &b))
		fprintf(f, " src %s dst %s", ip4_format(a, g1, sizeof(g1)), ip4_format(b, g2, sizeof(g2)));
	fprintf(f, " proto %s", xfrm_proto(p->proto));
	if (spd_reqid(p, d))
		fprintf(f, " reqid %lu", spd_reqid(p, d));
	fprintf(f, " mode %s\n", p->mode == SPD_TUNNEL ? "tunnel" : "transport");
}

int spd_print_xfrm(struct compile *c, const struct spd *s, FILE *f)
{
	spd_comment_head(c, s, "ip xfrm policies (sh FILE)", f);
	for (size_t i = 0; i < s->peers.n; i++) {
		const struct spd_peer *p = s->peers.v[i];
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
	return 0;
}
