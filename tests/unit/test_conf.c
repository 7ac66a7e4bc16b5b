/* test_conf.c — shorewall.conf: typed options, empty values, quoting, $VARs, old and unknown options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "conf.h"
#include "keyword.h"
#include "test_support.h"

/* Each call reads a whole shorewall.conf over the settings the previous one left. */
static struct settings *conf(struct fx *f, const char *text)
{
	fx_run(f, parse_conf, "shorewall.conf", text);
	return f->c.conf;
}

static void test_tables_sorted(void **state)
{
	(void)state;
	const struct keyword *t;
	size_t n, i;
	bool nocase;
	for (i = 0; (t = conf_keyword_table(i, &n, &nocase)); i++)
		assert_true(kw_sorted(t, n, nocase));
	assert_true(i >= 10);
	size_t count = 0;
	for (i = 1; conf_option_name(i); i++, count++)
		assert_true(strcmp(conf_option_name(i - 1), conf_option_name(i)) < 0);
	assert_true(count > 140);   /* every option Shorewall 5.2.8 knows */
	assert_true(conf_is_option("LOGFORMAT"));
	assert_true(conf_is_option("TC_PRIOMAP"));
	assert_false(conf_is_option("FOOBAR"));
}

static void test_defaults_without_file(void **state)
{
	struct fx *f = *state;
	struct settings *s = f->c.conf;
	assert_non_null(s);
	assert_string_equal(s->fw, "fw");
	assert_string_equal(s->logformat, "%s %s ");
	assert_string_equal(s->loglimit, "s:1/sec:10");
	assert_int_equal(s->optimize, 31);
	assert_true(s->expand_policies);
	assert_false(s->fastaccept);
	assert_true(s->admin_absentminded);
	assert_int_equal(s->ip_forwarding, IPFWD_KEEP);
	assert_int_equal(s->restart, RESTART_RESTART);
	assert_string_equal(s->drop_default, "Broadcast(DROP),Multicast(DROP)");
	assert_string_equal(s->reject_default, "Broadcast(DROP),Multicast(DROP)");
	assert_int_equal(s->maxzonenamelength, 10);
	assert_int_equal(s->clampmss, 0);
	assert_false(s->zone2zone_2);
	assert_int_equal(s->backend, BACKEND_AUTO);
}

static void test_stock_values(void **state)
{
	struct fx *f = *state;
	/* a slice of the stock 5.2.8 file, quotes and $LOG_LEVEL included */
	struct settings *s = conf(f,
		"STARTUP_ENABLED=Yes\n"
		"LOG_LEVEL=\"info\"\n"
		"LOGFORMAT=\"%s %s \"\n"
		"LOGLIMIT=\"s:1/sec:10\"\n"
		"MACLIST_LOG_LEVEL=\"$LOG_LEVEL\"\n"
		"CONFIG_PATH=\":${CONFDIR}/shorewall:${SHAREDIR}/shorewall\"\n"
		"BLACKLIST_DEFAULT=\"Broadcast(DROP),Multicast(DROP),dropNotSyn:$LOG_LEVEL,dropInvalid:$LOG_LEVEL\"\n"
		"RCP_COMMAND='scp ${files} ${root}@${system}:${destination}'\n"
		"TC_PRIOMAP=\"2 3 3 3 2 3 1 1 2 2 2 2 2 2 2 2\"\n"
		"OPTIMIZE=All\n"
		"IP_FORWARDING=Keep\n"
		"ZONE2ZONE=-\n"
		"TCP_FLAGS_DISPOSITION=DROP\n");
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 0);
	assert_string_equal(s->logformat, "%s %s ");
	assert_string_equal(s->blacklist_default,
			    "Broadcast(DROP),Multicast(DROP),dropNotSyn:info,dropInvalid:info");
	assert_string_equal(s->config_path, ":/etc/shorewall:/usr/share/shorewall");
	/* options become variables for the files read later */
	assert_string_equal(compile_param(&f->c, "LOG_LEVEL"), "info");
	assert_string_equal(compile_param(&f->c, "RCP_COMMAND"), "scp ${files} ${root}@${system}:${destination}");
	assert_string_equal(compile_param(&f->c, "FASTACCEPT"), "No");
	assert_string_equal(compile_param(&f->c, "LOGFILE"), "/var/log/messages");
	assert_string_equal(compile_param(&f->c, "DOCKER"), "");
	/* FW stays with compile_param's own rule (the declared zone wins) */
	assert_string_equal(compile_param(&f->c, "FW"), "fw");
	assert_int_equal(s->loc.line, 0);
	assert_string_equal(s->loc.file, "/etc/shorewall/shorewall.conf");
}

static void test_typed_values(void **state)
{
	struct fx *f = *state;
	struct settings *s = conf(f,
		"FASTACCEPT=yes\n"
		"EXPAND_POLICIES=Off\n"
		"ADMINISABSENTMINDED=NO\n"
		"OPTIMIZE=23\n"
		"CLAMPMSS=1452\n"
		"ZONE2ZONE=2\n"
		"IP_FORWARDING=On\n"
		"RESTART=reload\n"
		"ROUTE_FILTER=2\n"
		"LOG_MARTIANS=Keep\n"
		"IPTABLES_BACKEND=nft\n"
		"RELATED_DISPOSITION=A_DROP\n"
		"BLACKLIST=INVALID,NEW\n"
		"DYNAMIC_BLACKLIST=ipset-only,disconnect,timeout=7200:SW_DBL4:info\n"
		"ACCEPT_DEFAULT=NONE\n"
		"FW=gw\n");
	assert_int_equal(f->d.errors, 0);
	assert_true(s->fastaccept);
	assert_false(s->expand_policies);
	assert_false(s->admin_absentminded);
	assert_int_equal(s->optimize, 23);
	assert_int_equal(s->clampmss, 1452);
	assert_true(s->zone2zone_2);
	assert_int_equal(s->ip_forwarding, IPFWD_ON);
	assert_int_equal(s->restart, RESTART_RELOAD);
	assert_int_equal(s->route_filter, 2);
	assert_int_equal(s->log_martians, -1);
	assert_int_equal(s->backend, BACKEND_NFT);
	assert_string_equal(s->related_disposition, "A_DROP");
	assert_string_equal(s->blacklist, "NEW,INVALID");          /* Shorewall's order */
	assert_string_equal(s->dynamic_blacklist, "ipset-only,disconnect,timeout=7200:SW_DBL4:info");
	assert_string_equal(s->accept_default, "none");
	assert_string_equal(s->fw, "gw");
	assert_string_equal(compile_param(&f->c, "FW"), "gw");
	conf(f, "CLAMPMSS=Yes\n");
	assert_int_equal(f->c.conf->clampmss, -1);
}

static void test_empty_values(void **state)
{
	struct fx *f = *state;
	/* OPTION= means what Shorewall's compiler does without the option, not the stock value */
	struct settings *s = conf(f, "LOGFORMAT=\nLOGLIMIT=\nOPTIMIZE=\nEXPAND_POLICIES=\nRESTART=\n"
				     "IP_FORWARDING=\nDROP_DEFAULT=\nLOG_LEVEL=\nLOGFILE=\nBLACKLIST=\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(s->logformat, "Shorewall:%s:%s:");
	assert_int_equal(s->maxzonenamelength, 5);
	assert_null(s->loglimit);
	assert_int_equal(s->optimize, 0);
	assert_false(s->expand_policies);
	assert_int_equal(s->restart, RESTART_RELOAD);
	assert_int_equal(s->ip_forwarding, IPFWD_ON);
	assert_string_equal(s->drop_default, "none");
	assert_string_equal(s->log_level, "info");
	assert_string_equal(s->logfile, "/var/log/messages");
	assert_string_equal(s->blacklist, "NEW,ESTABLISHED,INVALID,UNTRACKED");
}

static void test_logformat(void **state)
{
	struct fx *f = *state;
	assert_int_equal(conf_logformat_zonelen("%s %s "), 10);
	assert_int_equal(conf_logformat_zonelen("Shorewall:%s:%s:"), 5);
	assert_int_equal(conf_logformat_zonelen("fw:%s:%d:%s:"), 7);  /* "fw:fooxx2barxx:1:ACCEPT:" = 24 */
	assert_int_equal(conf_logformat_zonelen("%-12s%s"), 10);      /* width counts: 12 + 6 = 18 */
	assert_int_equal(conf_logformat_zonelen("%x"), 0);
	assert_int_equal(conf_logformat_zonelen("A very long prefix of %s %s"), 0);
	struct settings *s = conf(f, "LOGFORMAT=\"FW:%s:%s:\" # keep the blanks\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(s->logformat, "FW:%s:%s:");
	assert_int_equal(s->maxzonenamelength, 8);   /* 22 characters: 5 + 7/2 */
	conf(f, "LOGFORMAT=\"%s #%s\"\n");
	assert_string_equal(s->logformat, "%s #%s");   /* # inside quotes is no comment */
	conf(f, "LOGFORMAT=\"This prefix is far too long: %s %s\"\nLOGFORMAT=%n\n");
	assert_int_equal(f->d.errors, 2);
	assert_true(diag_has(&f->d, "LOGFORMAT string is longer than 29 characters (This prefix is far too long: %s %s)"));
	assert_true(diag_has(&f->d, "Invalid value (%n) for LOGFORMAT"));
}

static void test_invalid_values(void **state)
{
	struct fx *f = *state;
	conf(f,
		"FASTACCEPT=maybe\n"
		"OPTIMIZE=32\n"
		"CLAMPMSS=big\n"
		"IP_FORWARDING=sometimes\n"
		"ZONE2ZONE=x\n"
		"LOGLIMIT=s:0/sec:10\n"
		"LOG_LEVEL=loud\n"
		"TCP_FLAGS_DISPOSITION=CONTINUE\n"
		"BLACKLIST=NEW,BOGUS,NEW\n"
		"DROP_DEFAULT=Broadcast(DROP\n"
		"RESTART=Restart\n"
		"ROUTE_FILTER=3\n"
		"RESTOREFILE=/tmp/x\n");
	assert_true(diag_has(&f->d, "ERROR: Invalid value (maybe) for FASTACCEPT /etc/shorewall/shorewall.conf (line 1)"));
	assert_true(diag_has(&f->d, "Invalid value (32) for OPTIMIZE"));
	assert_true(diag_has(&f->d, "Invalid value (big) for CLAMPMSS"));
	assert_true(diag_has(&f->d, "Invalid value (sometimes) for IP_FORWARDING"));
	assert_true(diag_has(&f->d, "Invalid value (x) for ZONE2ZONE"));
	assert_true(diag_has(&f->d, "Invalid rate (s:0/sec:10)"));
	assert_true(diag_has(&f->d, "Invalid log level (loud)"));
	assert_true(diag_has(&f->d, "Invalid value (CONTINUE) for TCP_FLAGS_DISPOSITION"));
	assert_true(diag_has(&f->d, "Invalid BLACKLIST state (BOGUS)"));
	assert_true(diag_has(&f->d, "Duplicate BLACKLIST state (NEW)"));
	assert_true(diag_has(&f->d, "Invalid value (Broadcast(DROP) for DROP_DEFAULT"));
	assert_true(diag_has(&f->d, "Invalid value (Restart) for RESTART"));
	assert_true(diag_has(&f->d, "Invalid value (3) for ROUTE_FILTER"));
	assert_true(diag_has(&f->d, "Invalid value (/tmp/x) for RESTOREFILE"));
	assert_int_equal(f->d.errors, 14);
	/* a refused value leaves the setting as it was */
	assert_false(f->c.conf->fastaccept);
	assert_int_equal(f->c.conf->optimize, 31);
}

static void test_levels(void **state)
{
	struct fx *f = *state;
	conf(f, "LOG_LEVEL=6\nMACLIST_LOG_LEVEL=info(tcp_options,uid)\nSMURF_LOG_LEVEL=NFLOG(1,0,1)\n"
		"RELATED_LOG_LEVEL=debug!\nINVALID_LOG_LEVEL=LOGMARK(info)\nLOGALLNEW=none\n"
		"TCP_FLAGS_LOG_LEVEL=warning(bogus)\nSFILTER_LOG_LEVEL=NFLOG(1,2,3,4)\nUNTRACKED_LOG_LEVEL=9\n");
	assert_int_equal(f->d.errors, 3);
	assert_string_equal(f->c.conf->log_level, "info");   /* normalised */
	assert_true(diag_has(&f->d, "Invalid log level (warning(bogus))"));
	assert_true(diag_has(&f->d, "Invalid log level (NFLOG(1,2,3,4))"));
	assert_true(diag_has(&f->d, "Invalid log level (9)"));
}

static void test_unknown_and_eliminated(void **state)
{
	struct fx *f = *state;
	conf(f,
		"FOOBAR=1\n"
		"NEWNOTSYN=Yes\n"
		"WIDE_TC_MARKS=Yes\n"
		"HIGH_ROUTE_MARKS=No\n"
		"EXPORTPARAMS=No\n"
		"IPSECFILE=zones\n"
		"this is not an assignment\n");
	assert_true(diag_has(&f->d, "WARNING: Unknown configuration option (FOOBAR) ignored /etc/shorewall/shorewall.conf (line 1)"));
	assert_true(diag_has(&f->d, "Unknown configuration option (NEWNOTSYN) ignored"));
	assert_true(diag_has(&f->d, "ERROR: The WIDE_TC_MARKS configuration option has been superceded - use TC_BITS"));
	assert_true(diag_has(&f->d, "ERROR: The HIGH_ROUTE_MARKS configuration option has been superceded - use PROVIDER_OFFSET"));
	assert_true(diag_has(&f->d, "WARNING: The EXPORTPARAMS configuration option is no longer supported"));
	assert_true(diag_has(&f->d, "IPSECFILE=zones ignored"));
	assert_true(diag_has(&f->d, "Unrecognized shorewall.conf entry (this is not an assignment)"));
	assert_int_equal(f->d.errors, 3);
	assert_int_equal(f->d.warnings, 3);
}

static void test_lograte_logburst(void **state)
{
	struct fx *f = *state;
	struct settings *s = conf(f, "LOGRATE=10/minute\nLOGBURST=5\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(s->loglimit, "10/minute:5");
	assert_string_equal(s->lograte, "10/minute");
	settings_defaults(f->c.conf);
	conf(f, "LOGRATE=2/second\n");
	assert_string_equal(f->c.conf->loglimit, "2/second");
	settings_defaults(f->c.conf);
	conf(f, "LOGBURST=7\n");
	assert_string_equal(f->c.conf->loglimit, "3/hour:7");
}

static void test_lograte_empty_and_conflict(void **state)
{
	struct fx *f = *state;
	/* the stock 2.2 file writes both empty: 2.x logged without a limit */
	struct settings *s = conf(f, "LOGRATE=\nLOGBURST=\n");
	assert_null(s->loglimit);
	assert_int_equal(f->d.warnings, 0);
	conf(f, "LOGLIMIT=2/min\nLOGRATE=10/minute\nLOGBURST=x\n");
	assert_string_equal(f->c.conf->loglimit, "2/min");
	assert_true(diag_has(&f->d, "LOGRATE and LOGBURST are ignored when LOGLIMIT is set"));
	assert_true(diag_has(&f->d, "Invalid value (x) for LOGBURST"));
	conf(f, "LOGLIMIT=s:name:1/sec:5\nLOGLIMIT=1/sec,2/sec\nLOGRATE=s:1/sec\n");
	assert_true(diag_has(&f->d, "Invalid rate (s:name:1/sec:5)"));
	assert_true(diag_has(&f->d, "Invalid rate (1/sec,2/sec)"));
	assert_true(diag_has(&f->d, "Invalid value (s:1/sec) for LOGRATE"));
}

static void test_variables(void **state)
{
	struct fx *f = *state;
	compile_set_param(&f->c, "NET_IF", "eth0", NULL);
	compile_set_param(&f->c, "MODE", "Yes", NULL);
	struct settings *s = conf(f, "FASTACCEPT=$MODE\nLOGFILE=/var/log/${NET_IF}.log\nLOGFORMAT='$x %s %s'\n"
				     "DROP_DEFAULT=$UNDEFINED\nRESTOREFILE=$(hostname)\n");
	assert_true(s->fastaccept);
	assert_string_equal(s->logfile, "/var/log/eth0.log");
	assert_string_equal(s->logformat, "$x %s %s");      /* single quotes: literal */
	assert_true(diag_has(&f->d, "ERROR: Undefined shell variable ($UNDEFINED) /etc/shorewall/shorewall.conf (line 4)"));
	assert_true(diag_has(&f->d, "Unsupported shell construct in shorewall.conf ($(hostname))"));
	assert_int_equal(f->d.errors, 2);
}

static void test_blacklistnewonly(void **state)
{
	struct fx *f = *state;
	/* a 2.x option whose meaning is clear: it becomes BLACKLIST */
	struct settings *s = conf(f, "BLACKLISTNEWONLY=No\n");
	assert_int_equal(f->d.errors, 0);
	assert_string_equal(s->blacklist, "NEW,ESTABLISHED,INVALID,UNTRACKED");
	conf(f, "BLACKLISTNEWONLY=Yes\n");
	assert_string_equal(s->blacklist, "NEW,INVALID,UNTRACKED");
	conf(f, "BLACKLISTNEWONLY=No\nBLACKLIST=NEW\n");
	assert_string_equal(s->blacklist, "NEW");
	assert_true(diag_has(&f->d, "WARNING: BLACKLISTNEWONLY is ignored when BLACKLIST is set /etc/shorewall/shorewall.conf (line 1)"));
	conf(f, "BLACKLISTNEWONLY=perhaps\n");
	assert_true(diag_has(&f->d, "Invalid value (perhaps) for BLACKLISTNEWONLY"));
}

static void test_cross_checks(void **state)
{
	struct fx *f = *state;
	conf(f, "FASTACCEPT=Yes\nBLACKLIST=NEW,ESTABLISHED\n");
	assert_true(diag_has(&f->d, "ESTABLISHED state may not be specified when FASTACCEPT=Yes"));
	assert_int_equal(f->d.errors, 1);
}

static void test_legacy_restart(void **state)
{
	struct fx *f = *state;
	struct settings *s = conf(f, "LEGACY_RESTART=Yes\n");
	assert_int_equal(s->restart, RESTART_RELOAD);
	assert_true(diag_has(&f->d, "Option LEGACY_RESTART=Yes is deprecated"));
	conf(f, "LEGACY_RESTART=No\nRESTART=reload\n");
	assert_int_equal(f->c.conf->restart, RESTART_RELOAD);
}

static void test_include_and_continuation(void **state)
{
	struct fx *f = *state;
	struct settings *s = conf(f, "  FASTACCEPT=Yes   # leading blanks and a comment\n"
				     "DROP_DEFAULT=\"Broadcast(DROP),\\\nMulticast(DROP)\"\n"
				     "LOGFILE=/var/log/fw#1\n");
	assert_int_equal(f->d.errors, 0);
	assert_true(s->fastaccept);
	assert_string_equal(s->drop_default, "Broadcast(DROP),Multicast(DROP)");
	assert_string_equal(s->logfile, "/var/log/fw#1");   /* # inside a word is no comment, as in sh */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test_setup_teardown(test_defaults_without_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stock_values, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_typed_values, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_empty_values, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_logformat, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_values, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_levels, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_eliminated, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lograte_logburst, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lograte_empty_and_conflict, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_variables, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_blacklistnewonly, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cross_checks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_legacy_restart, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_include_and_continuation, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
