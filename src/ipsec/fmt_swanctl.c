/* fmt_swanctl.c — the SPD as strongSwan swanctl.conf connections (children with local_ts/remote_ts,
 * mode, reqid); no secrets: the auth sections are left for the administrator. */
#include "spd.h"

#include "compile.h"
#include "graph.h"

#include <string.h>

/* A traffic selector list; a selector strongSwan should take from the IKE endpoint prints `dynamic`. */
static void ts_list(const struct compile *c, const char *key, const struct spd_sel *v, size_t n, bool add_dynamic,
		    bool any_is_dynamic, FILE *f)
{
	char a[24], w[256];
	fprintf(f, "\t\t\t\t# %s:", key);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s %s (%s)", i ? "," : "", spd_net(&v[i].net, a, sizeof(a)),
			spd_where(c, &v[i], w, sizeof(w)));
	if (add_dynamic)
		fprintf(f, "%s this host's IKE address", n ? "," : "");
	fprintf(f, "\n\t\t\t\t%s = ", key);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		bool dyn = any_is_dynamic && net4_is_any(&v[i].net);
		fprintf(f, "%s%s", first ? "" : ", ", dyn ? "dynamic" : spd_net(&v[i].net, a, sizeof(a)));
		first = false;
	}
	if (add_dynamic)
		fprintf(f, "%sdynamic", first ? "" : ", ");
	fprintf(f, "\n");
}

static unsigned zone_peers(const struct spd *s, const struct zone *z, size_t upto, unsigned *nth)
{
	unsigned n = 0;
	for (size_t i = 0; i < s->peers.n; i++)
		if (s->peers.v[i]->zone == z) {
			n++;
			if (i == upto)
				*nth = n;
		}
	return n;
}

int spd_print_swanctl(struct compile *c, const struct spd *s, FILE *f)
{
	char a[24], w[256];
	spd_comment_head(c, s, "strongSwan swanctl.conf connections", f);
	fprintf(f, "# No secrets: give each connection its local and remote auth sections (and the\n"
		"# secrets section) before loading it with swanctl --load-conns.\n");
	fprintf(f, "connections {\n");
	for (size_t i = 0; i < s->peers.n; i++) {
		const struct spd_peer *p = s->peers.v[i];
		unsigned nth = 0;
		char name[128];
		if (zone_peers(s, p->zone, i, &nth) > 1)
			snprintf(name, sizeof(name), "%s-%u", p->zone->name, nth);
		else
			snprintf(name, sizeof(name), "%s", p->zone->name);
		struct spd_sel zs = { .loc = p->zone_loc };
		fprintf(f, "\t# zone %s (%s)\n\t%s {\n", p->zone->name, spd_where(c, &zs, w, sizeof(w)), name);
		if (p->local_gw_known)
			fprintf(f, "\t\t# %s\n\t\tlocal_addrs = %s\n", spd_where(c, &p->local_gw, w, sizeof(w)),
				ip4_format(p->local_gw.net.addr, a, sizeof(a)));
		else
			fprintf(f, "\t\t# local_addrs: any of this host's addresses (--local-gw ADDR to fix one)\n");
		if (p->mode == SPD_TUNNEL) {
			fprintf(f, "\t\t# %s%s\n\t\tremote_addrs = %s\n", spd_where(c, &p->remote_gw, w, sizeof(w)),
				p->remote_gw_known ? "" : " (road warrior: learnt at negotiation)",
				p->remote_gw_known ? ip4_format(p->remote_gw.net.addr, a, sizeof(a))
				: net4_is_any(&p->remote_gw.net) ? "%any" : spd_net(&p->remote_gw.net, a, sizeof(a)));
		} else {
			/* transport mode: the peers are the hosts themselves */
			fprintf(f, "\t\tremote_addrs = ");
			for (size_t r = 0; r < p->remote.n; r++)
				fprintf(f, "%s%s", r ? ", " : "", net4_is_any(&p->remote.v[r].net) ? "%any"
					: p->remote.v[r].net.len == 32 ? ip4_format(p->remote.v[r].net.addr, a, sizeof(a))
					: spd_net(&p->remote.v[r].net, a, sizeof(a)));
			fprintf(f, "\n");
		}
		fprintf(f, "\t\t# local { auth = pubkey  certs = ... }\n\t\t# remote { auth = pubkey }\n");
		fprintf(f, "\t\tchildren {\n\t\t\t%s {\n", name);
		if (p->mode == SPD_TUNNEL) {
			ts_list(c, "local_ts", p->local.v, p->local.n, !p->local_gw_known, false, f);
			/* a road warrior may not choose what it routes: its own address, not 0.0.0.0/0 */
			ts_list(c, "remote_ts", p->remote.v, p->remote.n, false, !p->remote_gw_known, f);
			fprintf(f, "\t\t\t\tmode = tunnel\n");
		} else {
			fprintf(f, "\t\t\t\t# remote_ts: each host in remote_addrs (");
			for (size_t r = 0; r < p->remote.n; r++)
				fprintf(f, "%s%s", r ? ", " : "", spd_where(c, &p->remote.v[r], w, sizeof(w)));
			fprintf(f, ")\n\t\t\t\tlocal_ts = dynamic\n\t\t\t\tremote_ts = dynamic\n\t\t\t\tmode = transport\n");
		}
		unsigned long reqid = p->reqid_out ? p->reqid_out : p->reqid_in;
		if (reqid)
			fprintf(f, "\t\t\t\treqid = %lu\n", reqid);
		if (strcmp(p->proto, "ah") == 0)
			fprintf(f, "\t\t\t\tah_proposals = default\n");
		else
			fprintf(f, "\t\t\t\tesp_proposals = default\n%s", strcmp(p->proto, "ipcomp") == 0
				? "\t\t\t\tipcomp = yes\n" : "");
		fprintf(f, "\t\t\t}\n\t\t}\n\t}\n");
	}
	fprintf(f, "}\n");
	return 0;
}
