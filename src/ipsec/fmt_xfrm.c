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

static void entry(const struct spd_peer *p, enum spd_dir d, const struct spd_entry *e, FILE *f)
{
	fprintf(f, "ip xfrm policy add src %s dst %s dir %s tmpl", e->src, e->dst, spd_dir_name(d));
	if (e->tmpl)
		fprintf(f, " src %s dst %s", e->tsrc, e->tdst);
	fprintf(f, " proto %s", xfrm_proto(p->proto));
	if (spd_reqid(p, d))
		fprintf(f, " reqid %lu", spd_reqid(p, d));
	fprintf(f, " mode %s\n", p->mode == SPD_TUNNEL ? "tunnel" : "transport");
}

int spd_print_xfrm(struct compile *c, const struct spd *s, FILE *f)
{
	spd_comment_head(c, s, "ip xfrm policies (sh FILE)", f);
	for (size_t i = 0; i < s->peers.n; i++)
		spd_print_peer(c, s->peers.v[i], entry, f);
	return 0;
}
