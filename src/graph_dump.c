/* graph_dump.c — the zone graph for people (`check -v`) and for tools (`check --yaml`, via libyaml).
 *
 * Both dumps read the finished graph and change nothing. Output is deterministic: lists follow
 * the graph's own order (declaration order, file order), never a hash or an address. The YAML
 * schema is documented in docs/graph-yaml.md; keep the two in step. */
#include "graph_dump.h"

#include "compile.h"
#include "graph.h"
#include "settings.h"
#include "yaml_write.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* ---- names of enumerations that only the dumps need ----------------------------------------------- */

/* Interface options as written in the interfaces file, indexed by enum iface_opt. `num` marks the
 * options whose value is the number kept in iface->optval. */
static const struct {
	const char *name;
	bool num;
} iface_opt_names[IFO_COUNT] = {
	[IFO_ACCEPT_RA] = { "accept_ra", true }, [IFO_ARP_FILTER] = { "arp_filter", true },
	[IFO_ARP_IGNORE] = { "arp_ignore", true }, [IFO_BLACKLIST] = { "blacklist", false },
	[IFO_BRIDGE] = { "bridge", false }, [IFO_DESTONLY] = { "destonly", false },
	[IFO_DETECTNETS] = { "detectnets", false }, [IFO_DHCP] = { "dhcp", false },
	[IFO_FORWARD] = { "forward", true }, [IFO_IGNORE] = { "ignore", true },
	[IFO_LOGMARTIANS] = { "logmartians", true }, [IFO_LOOPBACK] = { "loopback", false },
	[IFO_MACLIST] = { "maclist", false }, [IFO_MSS] = { "mss", true },
	[IFO_NETS] = { "nets", false }, [IFO_NODBL] = { "nodbl", false },
	[IFO_NOSMURFS] = { "nosmurfs", false }, [IFO_NOTRACK] = { "notrack", false },
	[IFO_OPTIONAL] = { "optional", false }, [IFO_PHYSICAL] = { "physical", false },
	[IFO_PROXYARP] = { "proxyarp", true }, [IFO_REQUIRED] = { "required", false },
	[IFO_ROUTEBACK] = { "routeback", false }, [IFO_ROUTEFILTER] = { "routefilter", true },
	[IFO_RPFILTER] = { "rpfilter", false }, [IFO_SFILTER] = { "sfilter", false },
	[IFO_SOURCEROUTE] = { "sourceroute", true }, [IFO_TCPFLAGS] = { "tcpflags", false },
	[IFO_UNMANAGED] = { "unmanaged", false }, [IFO_UPNP] = { "upnp", false },
	[IFO_UPNPCLIENT] = { "upnpclient", false }, [IFO_WAIT] = { "wait", true },
};

static const char *const host_opt_names[HO_COUNT] = {
	[HO_BLACKLIST] = "blacklist", [HO_BROADCAST] = "broadcast", [HO_DESTONLY] = "destonly",
	[HO_IPSEC] = "ipsec", [HO_MACLIST] = "maclist", [HO_MSS] = "mss", [HO_NOSMURFS] = "nosmurfs",
	[HO_ROUTEBACK] = "routeback", [HO_SOURCEONLY] = "sourceonly", [HO_TCPFLAGS] = "tcpflags",
};

static const char *const snat_action_names[] = {
	[SNAT_MASQUERADE] = "MASQUERADE", [SNAT_SNAT] = "SNAT", [SNAT_CONTINUE] = "CONTINUE",
	[SNAT_ACCEPT] = "ACCEPT", [SNAT_NONAT] = "NONAT", [SNAT_LOG] = "LOG",
};

static const char *const snat_ipsec_names[] = {
	[SNAT_IPSEC_DEFAULT] = "default", [SNAT_IPSEC_YES] = "yes", [SNAT_IPSEC_NO] = "no",
	[SNAT_IPSEC_OPTS] = "options",
};

static const char *const stopped_action_names[] = {
	[STOP_ACCEPT] = "ACCEPT", [STOP_DROP] = "DROP", [STOP_NOTRACK] = "NOTRACK",
};

static const char *const rule_col_names[RC_COUNT] = {
	[RC_ACTION] = "action", [RC_SOURCE] = "source", [RC_DEST] = "dest", [RC_PROTO] = "proto",
	[RC_DPORT] = "dport", [RC_SPORT] = "sport", [RC_ORIGDEST] = "origdest", [RC_RATE] = "rate",
	[RC_USER] = "user", [RC_MARK] = "mark", [RC_CONNLIMIT] = "connlimit", [RC_TIME] = "time",
	[RC_HEADERS] = "headers", [RC_SWITCH] = "switch", [RC_HELPER] = "helper",
};

static const char *const rate_unit_names[] = {
	[RATE_SEC] = "sec", [RATE_MIN] = "min", [RATE_HOUR] = "hour", [RATE_DAY] = "day",
};

static const char *const ip_forwarding_names[] = {
	[IPFWD_KEEP] = "Keep", [IPFWD_ON] = "On", [IPFWD_OFF] = "Off",
};

/* ---- text helpers shared by both dumps ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path ? path : "?";
}

/* "s:name:10/sec:20,30/min": the RATE column normalised. */
static char *rate_text(struct arena *a, const struct rate *r)
{
	char *s = NULL;
	for (; r; r = r->next) {
		char *one = arena_printf(a, "%s%s%s%u/%s", r->per ? (r->per == 's' ? "s:" : "d:") : "",
					 r->name ? r->name : "", r->name ? ":" : "", r->rate, rate_unit_names[r->unit]);
		if (r->burst)
			one = arena_printf(a, "%s:%u", one, r->burst);
		s = s ? arena_printf(a, "%s,%s", s, one) : one;
	}
	return s;
}

/* "mode=tunnel,proto!=ah,strict", as an admin would write it. */
static char *opts_text(struct arena *a, const struct ipsec_opt *o, unsigned mss, const char *extra)
{
	char *s = NULL;
	for (; o; o = o->next) {
		char *one = o->value ? arena_printf(a, "%s%s=%s", ipsec_key_name(o->key), o->invert ? "!" : "", o->value)
				     : arena_printf(a, "%s", ipsec_key_name(o->key));
		s = s ? arena_printf(a, "%s,%s", s, one) : one;
	}
	if (mss)
		s = s ? arena_printf(a, "%s,mss=%u", s, mss) : arena_printf(a, "mss=%u", mss);
	if (extra)
		s = s ? arena_printf(a, "%s,%s", s, extra) : arena_printf(a, "%s", extra);
	return s;
}

static void fprint_addr_items(FILE *out, const struct addr_item *it)
{
	char buf[256];
	for (bool first = true; it; it = it->next, first = false)
		fprintf(out, "%s%s", first ? "" : ",", addr_item_format(it, buf, sizeof(buf)));
}

/* A member as Shorewall's `show zones` writes it: `eth0:10.0.0.0/8,134.28.54.2 (ipsec)`. */
static void fprint_member(FILE *out, const struct host *h)
{
	fprintf(out, "%s", h->ifname ? h->ifname : h->iface ? h->iface->name : "?");
	if (h->addrs.items || h->addrs.excl) {
		fputc(':', out);
		if (h->addrs.items)
			fprint_addr_items(out, h->addrs.items);
		else
			fputs("0.0.0.0/0", out);
		if (h->addrs.excl) {
			fputc('!', out);
			fprint_addr_items(out, h->addrs.excl);
		}
	}
	/* An interfaces-file member carries its interface's options: shown with the interface. */
	bool open = false;
	for (unsigned o = 0; o < HO_COUNT && !h->from_interfaces; o++) {
		if (!HOST_HAS(h, o))
			continue;
		fprintf(out, "%s", open ? ", " : " (");
		open = true;
		if (o == HO_MSS && h->mss)
			fprintf(out, "mss=%u", h->mss);
		else
			fputs(host_opt_names[o], out);
	}
	if (open)
		fputc(')', out);
}

/* ---- the summary (`check -v`) ---------------------------------------------------------------------- */

static void summary_files(const struct compile *c, FILE *out)
{
	int w = 0, lw = 1;
	for (size_t i = 0; i < c->files.n; i++) {
		const struct file_info *f = c->files.v[i];
		int n = (int)strlen(f->path ? f->path : "?"), l = (int)strlen(f->layout ? f->layout : "-");
		w = n > w ? n : w;
		lw = l > lw ? l : lw;
	}
	fprintf(out, "Files read:\n");
	for (size_t i = 0; i < c->files.n; i++) {
		const struct file_info *f = c->files.v[i];
		fprintf(out, "  %-*s  %-*s  %u row%s\n", w, f->path ? f->path : "?", lw, f->layout ? f->layout : "-",
			f->rows, f->rows == 1 ? "" : "s");
	}
}

static void summary_zones(const struct compile *c, const struct graph *g, FILE *out)
{
	int w = 0;
	for (size_t i = 0; i < g->zones.n; i++) {
		int n = (int)strlen(g->zones.v[i]->name);
		if (n > w)
			w = n;
	}
	fprintf(out, "Zones (match order:");
	for (size_t i = 0; i < g->match_order.n; i++)
		fprintf(out, " %s", g->match_order.v[i]->name);
	fprintf(out, "; IPsec policy match %s):\n", g->have_ipsec ? "in use" : "not used");
	for (size_t i = 0; i < g->zones.n; i++) {
		const struct zone *z = g->zones.v[i];
		const char *extra = z->nomark ? (z->dynamic_shared ? "nomark,dynamic_shared" : "nomark")
					      : z->dynamic_shared ? "dynamic_shared" : NULL;
		char *o = opts_text(c->arena, z->options, z->mss, extra);
		char *in = opts_text(c->arena, z->in_options, z->in_mss, NULL);
		char *ou = opts_text(c->arena, z->out_options, z->out_mss, NULL);
		bool more = z->parents.n || o || in || ou || z->mixed || z->super || z->implicit;
		/* Types padded only when something follows: no trailing blanks in a terminal copy. */
		fprintf(out, "  %-*s  %-*s", w, z->name, more ? 8 : 0, zone_type_name(z->type));
		if (z->parents.n) {
			fprintf(out, "  parents:");
			for (size_t j = 0; j < z->parents.n; j++)
				fprintf(out, "%s%s", j ? "," : " ", z->parents.v[j]->name);
		}
		if (o)
			fprintf(out, "  options: %s", o);
		if (in)
			fprintf(out, "  in: %s", in);
		if (ou)
			fprintf(out, "  out: %s", ou);
		if (z->mixed)
			fprintf(out, "  [mixed]");
		if (z->super)
			fprintf(out, "  [super]");
		if (z->implicit)
			fprintf(out, "  (from FW)");
		fputc('\n', out);
		for (size_t j = 0; j < z->hosts.n; j++) {
			fprintf(out, "  %-*s    ", w, "");
			fprint_member(out, z->hosts.v[j]);
			fputc('\n', out);
		}
	}
}

static void summary_interfaces(const struct graph *g, FILE *out)
{
	int w = 0;
	for (size_t i = 0; i < g->ifaces.n; i++) {
		int n = (int)strlen(g->ifaces.v[i]->name);
		w = n > w ? n : w;
	}
	if (!g->ifaces.n)
		return;
	fprintf(out, "Interfaces:\n");
	for (size_t i = 0; i < g->ifaces.n; i++) {
		const struct iface *ifc = g->ifaces.v[i];
		fprintf(out, "  %-*s  zone %s", w, ifc->name,
			ifc->zone ? ifc->zone->name : ifc->zone_name ? ifc->zone_name : "- (from hosts)");
		if (ifc->physical && strcmp(ifc->physical, ifc->name) != 0)
			fprintf(out, "  physical %s", ifc->physical);
		bool first = true;
		for (unsigned o = 0; o < IFO_COUNT; o++) {
			if (!IFACE_HAS(ifc, o) || o == IFO_PHYSICAL)
				continue;
			fprintf(out, "%s%s", first ? "  options " : ",", iface_opt_names[o].name);
			if (iface_opt_names[o].num && ifc->optval[o] != 1)
				fprintf(out, "=%ld", ifc->optval[o]);
			first = false;
		}
		fprintf(out, "  (%s line %u)\n", base_name(ifc->loc.file), ifc->loc.line);
	}
}

static void summary_tunnels(const struct graph *g, FILE *out)
{
	if (!g->tunnels.n)
		return;
	fprintf(out, "Tunnels:\n");
	for (size_t i = 0; i < g->tunnels.n; i++) {
		const struct tunnel *t = g->tunnels.v[i];
		fprintf(out, "  %-10s zone %s  gateway ", t->type_text ? t->type_text : tunnel_type_name(t->type),
			t->zone ? t->zone->name : "?");
		if (t->gateways.items)
			fprint_addr_items(out, t->gateways.items);
		else
			fputs("any", out);
		if (t->gateway_zones.n) {
			fprintf(out, "  gateway zones");
			for (size_t j = 0; j < t->gateway_zones.n; j++)
				fprintf(out, "%s%s", j ? "," : " ", t->gateway_zones.v[j]->name);
		}
		fprintf(out, "  (%s line %u)\n", base_name(t->loc.file), t->loc.line);
	}
}

static void summary_snat(const struct graph *g, FILE *out)
{
	if (!g->snats.n)
		return;
	fprintf(out, "SNAT:\n");
	for (size_t i = 0; i < g->snats.n; i++) {
		const struct snat *s = g->snats.v[i];
		fprintf(out, "  %-10s %s", snat_action_names[s->action], s->iface_name ? s->iface_name : "?");
		if (s->to)
			fprintf(out, "  to %s", s->to);
		fprintf(out, "  source ");
		if (s->source.items)
			fprint_addr_items(out, s->source.items);
		else
			fputs("any", out);
		if (s->dest.items) {
			fprintf(out, "  dest ");
			fprint_addr_items(out, s->dest.items);
		}
		if (s->proto)
			fprintf(out, "  proto %s", s->proto);
		if (s->ports)
			fprintf(out, "  port %s", s->ports);
		fprintf(out, "  ipsec %s", snat_ipsec_names[s->ipsec]);
		fprintf(out, "  (%s line %u)\n", base_name(s->loc.file), s->loc.line);
	}
}

static void summary_matrix(const struct compile *c, const struct graph *g, FILE *out)
{
	if (!g->matrix) {
		fprintf(out, "Policy matrix: not resolved\n");
		return;
	}
	int w = 0;
	for (size_t i = 0; i < g->zones.n; i++) {
		int n = (int)strlen(g->zones.v[i]->name);
		if (n > w)
			w = n;
	}
	fprintf(out, "Policy matrix:\n");
	for (size_t i = 0; i < g->zones.n; i++)
		for (size_t j = 0; j < g->zones.n; j++) {
			const struct zone *s = g->zones.v[i], *d = g->zones.v[j];
			const struct policy_cell *cell = graph_policy(g, s, d);
			const struct policy *p = cell->policy;
			const char *kind = p ? policy_kind_name(p->kind) : cell->implicit ? "ACCEPT" : "-";
			char *detail = p && p->loglevel ? arena_printf(c->arena, "%s %s", kind, p->loglevel)
							: arena_printf(c->arena, "%s", kind);
			if (p && p->rate)
				detail = arena_printf(c->arena, "%s %s", detail, rate_text(c->arena, p->rate));
			fprintf(out, "  %-*s -> %-*s  %-16s", w, s->name, w, d->name, detail);
			if (p)
				fprintf(out, "  (%s line %u)\n", base_name(p->loc.file), p->loc.line);
			else
				fprintf(out, "  (%s)\n", cell->implicit ? "implicit" : "undefined");
		}
}

void graph_print_summary(const struct compile *c, FILE *out)
{
	const struct graph *g = c->graph;
	summary_files(c, out);
	if (!g)
		return;
	summary_zones(c, g, out);
	summary_interfaces(g, out);
	summary_tunnels(g, out);
	summary_snat(g, out);
	summary_matrix(c, g, out);
}

/* ---- YAML (the writer: yaml_write.h) ------------------------------------------------------------- */

/* `file:` and `line:` of a record. Line 0 = the file as a whole; an unknown place is null. */
static void kv_loc(struct yw *y, const struct loc *l)
{
	yw_kv_str(y, "file", l->file);
	yw_key(y, "line");
	if (!l->file || l->line == LOC_EOF)
		yw_str(y, NULL);
	else
		yw_int(y, l->line);
}

/* An address list as a flow sequence of strings; "any" is written as the admin would: 0.0.0.0/0. */
static void y_addr_items(struct yw *y, const struct addr_item *it, bool any_if_empty)
{
	char buf[256];
	yw_seq(y, true);
	if (!it && any_if_empty)
		yw_str(y, "0.0.0.0/0");
	for (; it; it = it->next)
		yw_str(y, addr_item_format(it, buf, sizeof(buf)));
	yw_seq_end(y);
}

static void kv_addrs(struct yw *y, const char *k, const struct addr_list *l)
{
	yw_key(y, k);
	y_addr_items(y, l->items, true);
}

static void kv_excl(struct yw *y, const char *k, const struct addr_list *l)
{
	yw_key(y, k);
	y_addr_items(y, l->excl, false);
}

static void kv_ipsec_opts(struct yw *y, const char *k, const struct ipsec_opt *o)
{
	yw_key(y, k);
	yw_seq(y, false);
	for (; o; o = o->next) {
		yw_map(y, true);
		yw_kv_str(y, "key", ipsec_key_name(o->key));
		yw_kv_str(y, "value", o->value);
		yw_kv_bool(y, "invert", o->invert);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void kv_zone_names(struct yw *y, const char *k, struct zone *const *v, size_t n)
{
	yw_key(y, k);
	yw_seq(y, true);
	for (size_t i = 0; i < n; i++)
		yw_str(y, v[i]->name);
	yw_seq_end(y);
}

/* ---- YAML sections ---------------------------------------------------------------------------------- */

/* Only the settings that change the generated rules; the rest (paths, start-up behaviour) would
 * only make two dumps of equivalent configurations differ. */
static void yaml_settings(struct yw *y, const struct settings *s)
{
	yw_key(y, "settings");
	yw_map(y, false);
	if (s) {
		yw_kv_str(y, "fw", s->fw);
		yw_kv_int(y, "clampmss", s->clampmss);
		yw_kv_bool(y, "fastaccept", s->fastaccept);
		yw_kv_int(y, "optimize", s->optimize);
		yw_kv_str(y, "zone2zone", s->zone2zone_2 ? "2" : "-");
		yw_kv_str(y, "logformat", s->logformat);
		yw_kv_str(y, "loglimit", s->loglimit);
		yw_kv_str(y, "log_level", s->log_level);
		yw_kv_bool(y, "expand_policies", s->expand_policies);
		yw_kv_bool(y, "implicit_continue", s->implicit_continue);
		yw_kv_str(y, "accept_default", s->accept_default);
		yw_kv_str(y, "drop_default", s->drop_default);
		yw_kv_str(y, "reject_default", s->reject_default);
		yw_kv_str(y, "queue_default", s->queue_default);
		yw_kv_str(y, "nfqueue_default", s->nfqueue_default);
		yw_kv_str(y, "blacklist_default", s->blacklist_default);
		yw_kv_bool(y, "admin_absentminded", s->admin_absentminded);
		yw_kv_str(y, "ip_forwarding", ip_forwarding_names[s->ip_forwarding]);
		yw_kv_int(y, "route_filter", s->route_filter);
		yw_kv_int(y, "log_martians", s->log_martians);
		yw_kv_str(y, "dynamic_blacklist", s->dynamic_blacklist);
		yw_kv_str(y, "blacklist", s->blacklist);
		yw_kv_str(y, "tcp_flags_disposition", s->tcp_flags_disposition);
		yw_kv_str(y, "related_disposition", s->related_disposition);
		yw_kv_str(y, "invalid_disposition", s->invalid_disposition);
		yw_kv_str(y, "untracked_disposition", s->untracked_disposition);
		yw_kv_str(y, "maclist_disposition", s->maclist_disposition);
		yw_kv_str(y, "smurf_disposition", s->smurf_disposition);
		yw_kv_bool(y, "multicast", s->multicast);
		yw_kv_bool(y, "use_physical_names", s->use_physical_names);
		kv_loc(y, &s->loc);
	}
	yw_map_end(y);
}

static void yaml_files(struct yw *y, const struct compile *c)
{
	yw_key(y, "files");
	yw_seq(y, false);
	for (size_t i = 0; i < c->files.n; i++) {
		const struct file_info *f = c->files.v[i];
		yw_map(y, false);
		kv_loc(y, &(struct loc){ f->path, 0 });
		yw_kv_str(y, "layout", f->layout);
		yw_kv_int(y, "rows", f->rows);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

/* Matched with `--pol ipsec`: a member of an ipsec zone, or an `ipsec` hosts entry. */
static bool member_is_ipsec(const struct host *h)
{
	return h->zone->type == ZONE_IPSEC || HOST_HAS(h, HO_IPSEC);
}

static void yaml_zones(struct yw *y, const struct graph *g)
{
	yw_key(y, "zones");
	yw_seq(y, false);
	for (size_t i = 0; i < g->zones.n; i++) {
		const struct zone *z = g->zones.v[i];
		yw_map(y, false);
		yw_kv_str(y, "name", z->name);
		yw_kv_str(y, "type", zone_type_name(z->type));
		kv_loc(y, &z->loc);
		yw_kv_bool(y, "implicit", z->implicit);
		yw_kv_str(y, "display", z->display);
		yw_kv_str(y, "comment", z->comment);
		kv_zone_names(y, "parents", z->parents.v, z->parents.n);
		kv_zone_names(y, "children", z->children.v, z->children.n);
		kv_ipsec_opts(y, "options", z->options);
		kv_ipsec_opts(y, "in_options", z->in_options);
		kv_ipsec_opts(y, "out_options", z->out_options);
		yw_kv_int(y, "mss", z->mss);
		yw_kv_int(y, "in_mss", z->in_mss);
		yw_kv_int(y, "out_mss", z->out_mss);
		yw_kv_bool(y, "nomark", z->nomark);
		yw_kv_bool(y, "dynamic_shared", z->dynamic_shared);
		yw_kv_bool(y, "mixed", z->mixed);
		yw_key(y, "ipsec_file");
		yw_map(y, true);
		kv_loc(y, &z->ipsec_loc);
		yw_map_end(y);
		yw_kv_bool(y, "super", z->super);
		yw_key(y, "members");
		yw_seq(y, false);
		for (size_t j = 0; j < z->hosts.n; j++) {
			const struct host *h = z->hosts.v[j];
			yw_map(y, false);
			yw_kv_str(y, "interface", h->ifname ? h->ifname : h->iface ? h->iface->name : NULL);
			kv_addrs(y, "addresses", &h->addrs);
			kv_excl(y, "exclusions", &h->addrs);
			yw_kv_bool(y, "ipsec", member_is_ipsec(h));
			kv_loc(y, &h->loc);
			yw_map_end(y);
		}
		yw_seq_end(y);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_iface_options(struct yw *y, const struct iface *ifc)
{
	yw_key(y, "options");
	yw_seq(y, false);
	for (unsigned o = 0; o < IFO_COUNT; o++) {
		if (!IFACE_HAS(ifc, o))
			continue;
		yw_map(y, true);
		yw_kv_str(y, "name", iface_opt_names[o].name);
		yw_key(y, "value");
		if (iface_opt_names[o].num)
			yw_int(y, ifc->optval[o]);
		else if (o == IFO_NETS)
			y_addr_items(y, ifc->nets.items, true);
		else if (o == IFO_SFILTER)
			y_addr_items(y, ifc->sfilter.items, true);
		else if (o == IFO_PHYSICAL)
			yw_str(y, ifc->physical);
		else
			yw_str(y, NULL);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_interfaces(struct yw *y, const struct graph *g)
{
	yw_key(y, "interfaces");
	yw_seq(y, false);
	for (size_t i = 0; i < g->ifaces.n; i++) {
		const struct iface *ifc = g->ifaces.v[i];
		yw_map(y, false);
		yw_kv_str(y, "name", ifc->name);
		yw_kv_str(y, "physical", ifc->physical ? ifc->physical : ifc->name);
		yw_kv_str(y, "zone", ifc->zone ? ifc->zone->name : ifc->zone_name);
		yw_kv_str(y, "broadcast", ifc->broadcast);
		yw_kv_bool(y, "wildcard", ifc->wildcard);
		yw_kv_str(y, "bridge", ifc->bridge);
		yaml_iface_options(y, ifc);
		kv_loc(y, &ifc->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_hosts(struct yw *y, const struct graph *g)
{
	yw_key(y, "hosts");
	yw_seq(y, false);
	for (size_t i = 0; i < g->hosts.n; i++) {
		const struct host *h = g->hosts.v[i];
		yw_map(y, false);
		yw_kv_str(y, "zone", h->zone ? h->zone->name : NULL);
		yw_kv_str(y, "interface", h->iface ? h->iface->name : NULL);
		yw_kv_str(y, "device", h->ifname);
		kv_addrs(y, "addresses", &h->addrs);
		kv_excl(y, "exclusions", &h->addrs);
		yw_key(y, "options");
		yw_seq(y, true);
		for (unsigned o = 0; o < HO_COUNT; o++)
			if (HOST_HAS(h, o))
				yw_str(y, host_opt_names[o]);
		yw_seq_end(y);
		yw_kv_int(y, "mss", h->mss);
		yw_kv_bool(y, "from_interfaces", h->from_interfaces);
		kv_loc(y, &h->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_tunnels(struct yw *y, const struct graph *g)
{
	yw_key(y, "tunnels");
	yw_seq(y, false);
	for (size_t i = 0; i < g->tunnels.n; i++) {
		const struct tunnel *t = g->tunnels.v[i];
		yw_map(y, false);
		yw_kv_str(y, "type", tunnel_type_name(t->type));
		yw_kv_str(y, "type_text", t->type_text);
		yw_kv_bool(y, "ah", t->ah);
		yw_kv_str(y, "proto", t->proto);
		yw_kv_int(y, "port", t->port);
		yw_kv_str(y, "zone", t->zone ? t->zone->name : NULL);
		kv_addrs(y, "gateways", &t->gateways);
		kv_zone_names(y, "gateway_zones", t->gateway_zones.v, t->gateway_zones.n);
		kv_loc(y, &t->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_snat(struct yw *y, const struct graph *g)
{
	yw_key(y, "snat");
	yw_seq(y, false);
	for (size_t i = 0; i < g->snats.n; i++) {
		const struct snat *s = g->snats.v[i];
		yw_map(y, false);
		yw_kv_str(y, "action", snat_action_names[s->action]);
		yw_kv_str(y, "to", s->to);
		yw_kv_bool(y, "random", s->random);
		yw_kv_bool(y, "persistent", s->persistent);
		yw_kv_bool(y, "prenat", s->prenat);
		yw_kv_str(y, "loglevel", s->loglevel);
		yw_kv_str(y, "interface", s->iface ? s->iface->name : s->iface_name);
		kv_addrs(y, "source", &s->source);
		kv_excl(y, "source_exclusions", &s->source);
		kv_addrs(y, "dest", &s->dest);
		kv_excl(y, "dest_exclusions", &s->dest);
		yw_kv_str(y, "proto", s->proto);
		yw_kv_str(y, "ports", s->ports);
		yw_kv_str(y, "sports", s->sports);
		yw_kv_str(y, "ipsec", snat_ipsec_names[s->ipsec]);
		kv_ipsec_opts(y, "ipsec_options", s->ipsec_opts);
		yw_kv_str(y, "mark", s->mark);
		yw_kv_str(y, "user", s->user);
		yw_kv_str(y, "switch", s->switch_name);
		yw_kv_str(y, "origdest", s->origdest);
		yw_kv_str(y, "probability", s->probability);
		yw_kv_bool(y, "from_masq", s->from_masq);
		kv_loc(y, &s->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_policies(struct yw *y, const struct graph *g)
{
	yw_key(y, "policies");
	yw_seq(y, false);
	for (size_t i = 0; i < g->policies.n; i++) {
		const struct policy *p = g->policies.v[i];
		yw_map(y, false);
		yw_kv_str(y, "source", p->src_text);
		yw_kv_str(y, "dest", p->dst_text);
		yw_kv_str(y, "policy", p->policy_text);
		yw_kv_str(y, "kind", policy_kind_name(p->kind));
		yw_kv_str(y, "default_action", p->default_action);
		yw_kv_int(y, "queue_num", p->queue_num);
		yw_kv_int(y, "queue_max", p->queue_max);
		yw_kv_bool(y, "queue_bypass", p->queue_bypass);
		yw_kv_str(y, "loglevel", p->loglevel);
		yw_kv_str(y, "rate", rate_text(y->arena, p->rate));
		yw_kv_str(y, "connlimit", p->connlimit);
		yw_kv_bool(y, "wildcard", p->wildcard);
		kv_loc(y, &p->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

/* Every ordered pair, in declaration order of source then destination. An implicit intra-zone
 * ACCEPT has no policy line; it points at the zone's declaration, which is what created it. */
static void yaml_matrix(struct yw *y, const struct graph *g)
{
	yw_key(y, "matrix");
	yw_seq(y, false);
	for (size_t i = 0; g->matrix && i < g->zones.n; i++)
		for (size_t j = 0; j < g->zones.n; j++) {
			const struct zone *s = g->zones.v[i], *d = g->zones.v[j];
			const struct policy_cell *cell = graph_policy(g, s, d);
			const struct policy *p = cell->policy;
			yw_map(y, false);
			yw_kv_str(y, "source", s->name);
			yw_kv_str(y, "dest", d->name);
			yw_kv_str(y, "policy", p ? policy_kind_name(p->kind) : cell->implicit ? "ACCEPT" : NULL);
			yw_kv_str(y, "loglevel", p ? p->loglevel : NULL);
			yw_kv_str(y, "rate", p ? rate_text(y->arena, p->rate) : NULL);
			yw_kv_bool(y, "implicit", cell->implicit);
			yw_kv_str(y, "origin", p ? "policy" : cell->implicit ? "implicit" : "none");
			if (p)
				kv_loc(y, &p->loc);
			else if (cell->implicit)
				kv_loc(y, &s->loc);
			else
				kv_loc(y, &LOC_NONE);
			yw_map_end(y);
		}
	yw_seq_end(y);
}

static void yaml_rules(struct yw *y, const struct graph *g)
{
	yw_key(y, "rules");
	yw_seq(y, false);
	for (size_t i = 0; i < g->rules.n; i++) {
		const struct rule *r = g->rules.v[i];
		yw_map(y, false);
		yw_kv_str(y, "section", r->section);
		for (unsigned k = 0; k < RC_COUNT; k++)
			yw_kv_str(y, rule_col_names[k], rule_col(r, (enum rule_col)k));
		kv_loc(y, &r->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_stopped(struct yw *y, const struct graph *g)
{
	yw_key(y, "stopped");
	yw_seq(y, false);
	for (size_t i = 0; i < g->stopped.n; i++) {
		const struct stopped_rule *s = g->stopped.v[i];
		yw_map(y, false);
		yw_kv_str(y, "action", stopped_action_names[s->action]);
		yw_kv_str(y, "source_interface", s->src_iface);
		yw_kv_str(y, "dest_interface", s->dst_iface);
		yw_kv_bool(y, "fw_source", s->fw_src);
		yw_kv_bool(y, "fw_dest", s->fw_dst);
		kv_addrs(y, "source", &s->source);
		kv_excl(y, "source_exclusions", &s->source);
		kv_addrs(y, "dest", &s->dest);
		kv_excl(y, "dest_exclusions", &s->dest);
		yw_kv_str(y, "proto", s->proto);
		yw_kv_str(y, "dports", s->dports);
		yw_kv_str(y, "sports", s->sports);
		yw_kv_bool(y, "routeback", s->routeback);
		yw_kv_bool(y, "critical", s->critical);
		yw_kv_bool(y, "notrack", s->notrack);
		yw_kv_bool(y, "opt_source", s->opt_source);
		yw_kv_bool(y, "opt_dest", s->opt_dest);
		yw_kv_bool(y, "from_routestopped", s->from_routestopped);
		kv_loc(y, &s->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

static void yaml_modules(struct yw *y, const struct graph *g)
{
	yw_kv_bool(y, "modules_given", g->modules_given);
	yw_key(y, "modules");
	yw_seq(y, false);
	for (size_t i = 0; i < g->modules.n; i++) {
		const struct module_entry *m = g->modules.v[i];
		yw_map(y, true);
		yw_kv_str(y, "name", m->name);
		yw_kv_str(y, "args", m->args);
		kv_loc(y, &m->loc);
		yw_map_end(y);
	}
	yw_seq_end(y);
}

int graph_dump_yaml(const struct compile *c, FILE *out)
{
	static const struct graph empty;
	const struct graph *g = c->graph ? c->graph : &empty;
	struct yw y;

	if (!yw_begin(&y, out, true)) {
		fprintf(stderr, "ERROR: cannot initialise the YAML emitter\n");
		return -1;
	}
	y.arena = c->arena;
	yw_map(&y, false);
	yw_kv_int(&y, "schema", 1);
	yw_kv_str(&y, "directory", c->dir);
	yaml_settings(&y, c->conf);
	yaml_files(&y, c);
	yaml_zones(&y, g);
	yaml_interfaces(&y, g);
	yaml_hosts(&y, g);
	yaml_tunnels(&y, g);
	yaml_snat(&y, g);
	yaml_policies(&y, g);
	yaml_matrix(&y, g);
	yaml_rules(&y, g);
	yaml_stopped(&y, g);
	yaml_modules(&y, g);
	yw_kv_bool(&y, "have_ipsec", g->have_ipsec);
	kv_zone_names(&y, "match_order", g->match_order.v, g->match_order.n);
	yw_map_end(&y);
	const char *problem = yw_end(&y);
	if (problem)
		fprintf(stderr, "ERROR: writing YAML failed (%s)\n", problem);
	return problem ? -1 : 0;
}
