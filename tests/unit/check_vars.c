/*
 * Variables: "$name = value;" definitions, "$name" and "${dotted.name}"
 * references to variables and parameters, substituted per jail after the
 * merge (FreeBSD config.c load_config()).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

START_TEST(var_define_use)
{
	struct jail_conf *c;

	c = parse("$root = /var/jail;\n"
	          "a { path = $root/a; exec.start = \"$root/a/start\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/a");
	ck_assert_str_eq(get(c, "a", "exec.start"), "/var/jail/a/start");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_braces)
{
	struct jail_conf *c;

	c = parse("$v = x;\n"
	          "a { path = /a; exec.start = \"${v}y\", ${v}z, $vw; "
	          "$vw = q; }\n");
	ck_assert_clean(c);
	/* "$vw" is the variable vw, "${v}z" is v then z */
	ck_assert_str_eq(getl(c, "a", "exec.start"), "xy | xz | q");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_param_ref)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\thost.hostname = h.example.org;\n"
	          "\texec.start = \"echo ${host.hostname}\";\n"
	          "\texec.stop = \"echo $path\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "echo h.example.org");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "echo /a");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_name_per_jail)
{
	struct jail_conf *c;

	c = parse("* {\n"
	          "\tpath = \"/var/jail/$name\";\n"
	          "\thost.hostname = \"${name}.example.org\";\n"
	          "}\n"
	          "a { }\n"
	          "b { }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/a");
	ck_assert_str_eq(get(c, "b", "path"), "/var/jail/b");
	ck_assert_str_eq(get(c, "a", "host.hostname"), "a.example.org");
	ck_assert_str_eq(get(c, "b", "host.hostname"), "b.example.org");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_single_quotes_literal)
{
	struct jail_conf *c;

	c = parse(
	    "$v = x;\n"
	    "a { path = /a; exec.start = '$v ${v}'; exec.stop = \"$v\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "$v ${v}");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "x");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_lone_dollar)
{
	struct jail_conf *c;

	/* a "$" that starts no name stays a "$" */
	c = parse("a { path = /a; exec.start = \"cost $5\", a$, \"$ x\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"), "cost $5 | a$ | $ x");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_list_whole_value)
{
	struct jail_conf *c;

	c = parse(
	    "$cmds = \"mount -a\", \"/bin/sh /etc/rc\";\n"
	    "a { path = /a; exec.start = $cmds; exec.stop = x, \"$cmds\", y; }\n");
	ck_assert_clean(c);
	ck_assert_uint_eq(getn_count(c, "a", "exec.start"), 2);
	ck_assert_str_eq(getl(c, "a", "exec.start"),
	    "mount -a | /bin/sh /etc/rc");
	ck_assert_str_eq(getl(c, "a", "exec.stop"),
	    "x | mount -a | /bin/sh /etc/rc | y");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_list_param_ref)
{
	struct jail_conf *c;

	c = parse(
	    "a { path = /a; exec.start = x, y; exec.stop = ${exec.start}; "
	    "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.stop"), "x | y");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_dotted_needs_braces)
{
	/* "$host.hostname" is "$host" then ".hostname" */
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\thost.hostname = h;\n"
	                           "\texec.start = \"$host.hostname\";\n"
	                           "}\n"),
	    "t.conf:4: variable \"host\" is not defined\n");
}
END_TEST

START_TEST(var_list_inline_error)
{
	ck_assert_str_eq(errors_of("$l = x, y;\n"
	                           "a {\n"
	                           "\tpath = /a;\n"
	                           "\texec.start = \"run $l\";\n"
	                           "}\n"),
	    "t.conf:4: \"l\" is a list and cannot be substituted inside a "
	    "longer value\n");
}
END_TEST

START_TEST(var_list_inline_error_global)
{
	/* found in a global statement: the message names the jail */
	ck_assert_str_eq(errors_of("$l = x, y;\n"
	                           "exec.start = \"run $l\";\n"
	                           "a { path = /a; }\n"),
	    "t.conf:2: jail \"a\": \"l\" is a list and cannot be substituted "
	    "inside a longer value\n");
}
END_TEST

START_TEST(var_list_for_single_param)
{
	ck_assert_str_eq(errors_of("$l = /x, /y;\n"
	                           "a {\n"
	                           "\tpath = $l;\n"
	                           "}\n"),
	    "t.conf:3: \"path\" takes a single value, not a list\n");
}
END_TEST

START_TEST(var_undefined)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\texec.start = \"echo $nope\";\n"
	                           "}\n"),
	    "t.conf:3: variable \"nope\" is not defined\n");
}
END_TEST

START_TEST(var_undefined_param_ref)
{
	/* a parameter that is unset and has no default is no value */
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\texec.start = \"${exec.timeout}\";\n"
	                           "}\n"),
	    "t.conf:3: variable \"exec.timeout\" is not defined\n");
}
END_TEST

START_TEST(var_defined_later)
{
	struct jail_conf *c;

	/* substitution follows the merge, so a later definition counts */
	c = parse("a { path = /a; exec.start = $v; }\n$v = late;\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "late");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_per_jail_override)
{
	struct jail_conf *c;

	c = parse("$v = global;\n"
	          "a { $v = mine; path = /a; exec.start = $v; }\n"
	          "b { path = /b; exec.start = $v; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "mine");
	ck_assert_str_eq(get(c, "b", "exec.start"), "global");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_chain)
{
	struct jail_conf *c;

	c = parse("$a = \"$b/x\";\n$b = \"$c/y\";\n$c = /z;\n"
	          "j { path = $a; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "path"), "/z/y/x");
	jail_conf_free(c);
}
END_TEST

/* A literal before a reference whose own value is joined from pieces. */
START_TEST(var_nested_join)
{
	struct jail_conf *c;

	c = parse(
	    "$c = /z;\n$b = \"${c}/y\";\n"
	    "j { path = \"/q${b}/x\"; exec.start = \"a${b}b${name}c\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "path"), "/q/z/y/x");
	ck_assert_str_eq(get(c, "j", "exec.start"), "a/z/ybjc");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_loop_direct)
{
	ck_assert_str_eq(errors_of("j {\n"
	                           "\tpath = /j;\n"
	                           "\t$a = \"x$a\";\n"
	                           "\texec.start = $a;\n"
	                           "}\n"),
	    "t.conf:3: variable loop: \"a\" refers back to itself\n");
}
END_TEST

START_TEST(var_loop_indirect)
{
	ck_assert_str_eq(errors_of("j {\n"
	                           "\tpath = /j;\n"
	                           "\t$a = $b;\n"
	                           "\t$b = \"-$a-\";\n"
	                           "\texec.start = $a;\n"
	                           "}\n"),
	    "t.conf:4: variable loop: \"a\" refers back to itself\n");
}
END_TEST

START_TEST(var_loop_global)
{
	ck_assert_str_eq(errors_of("$a = $a;\n"
	                           "j { path = /j; exec.start = $a; }\n"),
	    "t.conf:1: jail \"j\": variable loop: \"a\" refers back to "
	    "itself\n");
}
END_TEST

START_TEST(var_param_name_refused)
{
	ck_assert_str_eq(errors_of("$path = /x;\n"
	                           "$nopersist = 1;\n"
	                           "$host.hostname = x;\n"
	                           "j { path = /j; }\n"),
	    "t.conf:1: variable \"path\" has the name of a parameter\n"
	    "t.conf:2: variable \"nopersist\" has the name of a parameter\n"
	    "t.conf:3: syntax error: expected a parameter name, found "
	    "\"${host}.hostname\"\n");
}
END_TEST

START_TEST(var_param_name_braced_refused)
{
	ck_assert_str_eq(errors_of("${exec.timeout} = 5;\n"
	                           "${path} = /x;\n"
	                           "j { path = /j; }\n"),
	    "t.conf:1: invalid variable name \"exec.timeout\"\n"
	    "t.conf:2: variable \"path\" has the name of a parameter\n");
}
END_TEST

START_TEST(var_default_ref)
{
	struct jail_conf *c;

	c = parse("j {\n"
	          "\tpath = /j;\n"
	          "\texec.start = \"sleep ${stop.timeout}\";\n"
	          "\texec.timeout = ${stop.timeout};\n"
	          "\texec.stop = \"${create.method} ${mount.devfs}\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "exec.start"), "sleep 10");
	ck_assert_str_eq(get(c, "j", "exec.timeout"), "10");
	ck_assert_str_eq(get(c, "j", "exec.stop"), "copy true");
	/* referring to a default does not set the parameter */
	ck_assert_int_eq(isset(c, "j", "stop.timeout"), 0);
	ck_assert_str_eq(get(c, "j", "stop.timeout"), "10");
	jail_conf_free(c);
}
END_TEST

START_TEST(var_value_checked_after_substitution)
{
	ck_assert_str_eq(errors_of("$t = soon;\n"
	                           "j {\n"
	                           "\tpath = /j;\n"
	                           "\texec.timeout = $t;\n"
	                           "}\n"),
	    "t.conf:4: \"exec.timeout\": \"soon\" is not a duration "
	    "(seconds, or with s, m, h or d)\n");
}
END_TEST

START_TEST(var_value_checked_global)
{
	/* a global statement's bad value found per jail names the jail */
	ck_assert_str_eq(errors_of("$t = soon;\n"
	                           "exec.timeout = $t;\n"
	                           "a { path = /a; }\n"),
	    "t.conf:2: jail \"a\": \"exec.timeout\": \"soon\" is not a "
	    "duration (seconds, or with s, m, h or d)\n");
}
END_TEST

START_TEST(var_needs_value)
{
	ck_assert_str_eq(errors_of("$v;\nj { path = /j; }\n"),
	    "t.conf:1: variable \"v\" needs a value\n");
}
END_TEST

START_TEST(var_unused_errors_silent)
{
	struct jail_conf *c;

	/* a variable nobody uses is never expanded */
	c = parse("$u = $undefined;\nj { path = /j; }\n");
	ck_assert_clean(c);
	jail_conf_free(c);
}
END_TEST

Suite *
vars_suite(void)
{
	Suite *s = suite_create("vars");
	TCase *tc;

	tc = tcase_create("substitution");
	tcase_add_test(tc, var_define_use);
	tcase_add_test(tc, var_braces);
	tcase_add_test(tc, var_param_ref);
	tcase_add_test(tc, var_name_per_jail);
	tcase_add_test(tc, var_single_quotes_literal);
	tcase_add_test(tc, var_lone_dollar);
	tcase_add_test(tc, var_list_whole_value);
	tcase_add_test(tc, var_list_param_ref);
	tcase_add_test(tc, var_defined_later);
	tcase_add_test(tc, var_per_jail_override);
	tcase_add_test(tc, var_chain);
	tcase_add_test(tc, var_nested_join);
	tcase_add_test(tc, var_default_ref);
	tcase_add_test(tc, var_unused_errors_silent);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, var_list_inline_error);
	tcase_add_test(tc, var_list_inline_error_global);
	tcase_add_test(tc, var_list_for_single_param);
	tcase_add_test(tc, var_undefined);
	tcase_add_test(tc, var_dotted_needs_braces);
	tcase_add_test(tc, var_undefined_param_ref);
	tcase_add_test(tc, var_loop_direct);
	tcase_add_test(tc, var_loop_indirect);
	tcase_add_test(tc, var_loop_global);
	tcase_add_test(tc, var_param_name_refused);
	tcase_add_test(tc, var_param_name_braced_refused);
	tcase_add_test(tc, var_value_checked_after_substitution);
	tcase_add_test(tc, var_value_checked_global);
	tcase_add_test(tc, var_needs_value);
	suite_add_tcase(s, tc);

	return s;
}
