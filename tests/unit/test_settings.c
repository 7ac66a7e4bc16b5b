/* test_settings.c — the shipped defaults, and that every compile starts with them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile.h"
#include "conf.h"
#include "diag.h"
#include "settings.h"

#include <string.h>

static void test_defaults(void **state)
{
	(void)state;
	struct settings s;
	memset(&s, 0x5a, sizeof(s));
	settings_defaults(&s);
	assert_string_equal(s.fw, "fw");
	assert_string_equal(s.logformat, "%s %s ");
	assert_string_equal(s.loglimit, "s:1/sec:10");
	assert_null(s.lograte);
	assert_null(s.logburst);
	assert_string_equal(s.log_level, "info");
	assert_int_equal(s.optimize, 31);
	assert_true(s.expand_policies);
	assert_false(s.implicit_continue);
	assert_false(s.fastaccept);
	assert_int_equal(s.clampmss, 0);
	assert_false(s.zone2zone_2);
	assert_string_equal(s.drop_default, "Broadcast(DROP),Multicast(DROP)");
	assert_string_equal(s.reject_default, "Broadcast(DROP),Multicast(DROP)");
	assert_string_equal(s.accept_default, "none");
	assert_string_equal(s.queue_default, "none");
	assert_string_equal(s.nfqueue_default, "none");
	assert_true(strstr(s.blacklist_default, "dropInvalid:info") != NULL);
	assert_true(s.admin_absentminded);
	assert_string_equal(s.restorefile, "restore");
	assert_int_equal(s.restart, RESTART_RESTART);
	assert_int_equal(s.ip_forwarding, IPFWD_KEEP);
	assert_int_equal(s.route_filter, 1);
	assert_int_equal(s.log_martians, 1);
	assert_string_equal(s.dynamic_blacklist, "Yes");
	assert_string_equal(s.tcp_flags_disposition, "DROP");
	assert_string_equal(s.related_disposition, "ACCEPT");
	assert_string_equal(s.invalid_disposition, "CONTINUE");
	assert_string_equal(s.untracked_disposition, "CONTINUE");
	assert_string_equal(s.maclist_disposition, "REJECT");
	assert_string_equal(s.smurf_disposition, "DROP");
	assert_false(s.multicast);
	assert_false(s.use_physical_names);
	assert_true(s.startup_enabled);
	assert_string_equal(s.logfile, "/var/log/messages");
	assert_non_null(s.config_path);
	assert_int_equal(s.backend, BACKEND_AUTO);
	assert_false(s.disable_ipv6);
	assert_string_equal(s.blacklist, "NEW,INVALID,UNTRACKED");
	assert_null(s.loc.file);
	/* the derived length agrees with the LOGFORMAT it was derived from */
	assert_int_equal(s.maxzonenamelength, conf_logformat_zonelen(s.logformat));
}

static void test_every_compile_has_settings(void **state)
{
	(void)state;
	struct diag d;
	struct compile c;
	diag_init(&d);
	compile_init(&c, &d, "/nonexistent");
	assert_non_null(c.conf);
	assert_int_equal(c.conf->optimize, 31);
	assert_string_equal(c.conf->fw, "fw");
	compile_fini(&c);
	diag_fini(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_compile_has_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
