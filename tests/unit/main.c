/*
 * The unit test runner: every suite in one SRunner.  Check itself narrows
 * the run to CK_RUN_SUITE (and CK_RUN_CASE) when they are set, and forks
 * per test unless CK_FORK=no.
 */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr;
	int nfailed;

	sr = srunner_create(conf_suite());
	srunner_add_suite(sr, vars_suite());
	srunner_add_suite(sr, include_suite());
	srunner_add_suite(sr, param_suite());
	srunner_add_suite(sr, errors_suite());
	srunner_add_suite(sr, path_suite());
	srunner_add_suite(sr, format_suite());
	srunner_add_suite(sr, template_suite());
	srunner_add_suite(sr, cgroup_suite());
	srunner_add_suite(sr, userns_suite());
	srunner_add_suite(sr, state_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
