/*
 * The suites of the unit test runner, one per tests/unit/check_<module>.c.
 * Their names are what CK_RUN_SUITE takes.
 */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *conf_suite(void);
Suite *vars_suite(void);
Suite *include_suite(void);
Suite *param_suite(void);
Suite *errors_suite(void);
Suite *path_suite(void);
Suite *format_suite(void);
Suite *template_suite(void);
Suite *cgroup_suite(void);
Suite *userns_suite(void);
Suite *state_suite(void);

#endif /* SUITES_H */
