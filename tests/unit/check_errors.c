/*
 * Every diagnostic the lexer, the parser and the resolver write, with its
 * file and line, and the recovery after each: one error must not hide or
 * invent others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

/* Lexer */

START_TEST(lex_backslash_at_eof)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\nexec.start = x\\"),
	    "t.conf:2: backslash at end of file\n");
}
END_TEST

START_TEST(lex_hex_without_digits)
{
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.start = \\xg;\n"
	                           "}\n"),
	    "t.conf:2: \\x with no hex digits after it\n");
}
END_TEST

START_TEST(lex_octal_out_of_range)
{
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.start = \\777;\n"
	                           "}\n"),
	    "t.conf:2: octal escape out of range\n");
}
END_TEST

START_TEST(lex_nul_escape)
{
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.start = a\\0;\n"
	                           "}\n"),
	    "t.conf:2: a NUL byte cannot stand in a value\n");
}
END_TEST

START_TEST(lex_nul_byte_in_string)
{
	static const char src[] = "j { path = /j; }\nexec.start = \"a\0b\";\n";
	struct jail_conf *c;

	c = parse_as("t.conf", src, sizeof(src) - 1, 0);
	ck_assert_diags(c, "t.conf:2: a NUL byte cannot stand in a value\n");
	jail_conf_free(c);
}
END_TEST

START_TEST(lex_unexpected_byte)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\n\001\n"),
	    "t.conf:2: unexpected byte \\x01\n");
}
END_TEST

START_TEST(lex_unterminated_variable)
{
	/* the name ends at the line's end at the latest */
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.start = \"${abc\";\n"
	                           "}\n"),
	    "t.conf:2: unterminated variable\n");
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.stop = ${def;\n"
	                           "}\n"),
	    "t.conf:2: unterminated variable\n");
}
END_TEST

START_TEST(lex_empty_variable)
{
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "exec.start = ${};\n"
	                           "}\n"),
	    "t.conf:2: empty variable name \"${}\"\n");
}
END_TEST

START_TEST(lex_unterminated_string)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\n"
	                           "exec.start = \"abc;\n"
	                           "\n"),
	    "t.conf:2: unterminated string\n");
	ck_assert_str_eq(errors_of("j { path = /j; }\n"
	                           "\n"
	                           "exec.start = 'abc;\n"
	                           "def;\n"),
	    "t.conf:3: unterminated string\n");
}
END_TEST

START_TEST(lex_unterminated_comment)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\n"
	                           "/* never\n"
	                           "closed\n"),
	    "t.conf:2: unterminated comment\n");
	ck_assert_str_eq(errors_of("j { path = /j;\n"
	                           "/* never closed */ /*\n"),
	    "t.conf:1: missing \"}\" for the block opened here\n"
	    "t.conf:2: unterminated comment\n");
}
END_TEST

/* Parser */

START_TEST(syn_include_no_name)
{
	struct jail_conf *c;

	c = parse(".include;\nj { path = /j; }\n");
	ck_assert_diags(c,
	    "t.conf:1: syntax error: expected a file name after "
	    "\".include\", found \";\"\n");
	/* the statement after it still counts */
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_include_no_semicolon)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\n"
	                           ".include \"no-such-file.conf\" \"b\";\n"),
	    "t.conf:2: syntax error: expected \";\" after the file name, "
	    "found \"b\"\n"
	    "t.conf:2: no-such-file.conf: No such file or directory\n");
}
END_TEST

START_TEST(syn_include_empty)
{
	ck_assert_str_eq(errors_of("j { path = /j; }\n.include \"\";\n"),
	    "t.conf:2: empty \".include\" file name\n");
}
END_TEST

START_TEST(syn_nested_block)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tb {\n"
	          "\t\tpath = /b;\n"
	          "\t}\n"
	          "}\n"
	          "* { c { } }\n");
	ck_assert_diags(c,
	    "t.conf:3: a jail block cannot stand inside another "
	    "block\n"
	    "t.conf:7: a jail block cannot stand inside another "
	    "block\n");
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_block_name_variable)
{
	ck_assert_str_eq(errors_of("$n = x;\n$n { path = /x; }\n"),
	    "t.conf:2: a jail name cannot contain variables\n");
}
END_TEST

START_TEST(syn_wildcard_not_star)
{
	struct jail_conf *c;

	c = parse("foo.* { path = /x; }\nw* { path = /y; }\n");
	ck_assert_diags(c,
	    "t.conf:1: wildcard \"foo.*\": only \"*\" is supported\n"
	    "t.conf:2: wildcard \"w*\": only \"*\" is supported\n");
	ck_assert_uint_eq(jail_conf_njails(c), 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_dotted_name)
{
	ck_assert_str_eq(errors_of("a.b { path = /x; }\n"),
	    "t.conf:1: jail \"a.b\": dotted (hierarchical) jail names are not "
	    "supported\n");
}
END_TEST

START_TEST(syn_missing_rbrace)
{
	ck_assert_str_eq(errors_of("b { path = /b; }\na {\n\tpath = /a;\n"),
	    "t.conf:2: missing \"}\" for the block opened here\n");
}
END_TEST

START_TEST(syn_rbrace_without_block)
{
	ck_assert_str_eq(errors_of("a { path = /a; }\n}\n"),
	    "t.conf:2: syntax error: \"}\" without a block to close\n");
}
END_TEST

START_TEST(syn_redefine_name)
{
	struct jail_conf *c;

	c = parse("name = x;\n"
	          "a {\n"
	          "\tpath = /a;\n"
	          "\tname = other;\n"
	          "}\n"
	          "b { name = b; path = /b; }\n");
	ck_assert_diags(c,
	    "t.conf:1: \"name\" is set by the jail block and "
	    "cannot be redefined\n"
	    "t.conf:4: \"name\" is set by the jail block and "
	    "cannot be redefined\n");
	ck_assert_str_eq(get(c, "a", "name"), "a");
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_missing_semicolon_next_line)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a\n"
	          "\texec.timeout = 5;\n"
	          "\texec.start = x,\n"
	          "\t    y\n"
	          "\texec.stop = z;\n"
	          "}\n");
	ck_assert_diags(c,
	    "t.conf:2: syntax error: missing \";\" after the value\n"
	    "t.conf:5: syntax error: missing \";\" after the value\n");
	/* taken as a forgotten ";": every statement counts */
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "5");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "x | y");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "z");
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_expected_value)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\texec.start = ;\n"
	                           "\texec.stop += , x;\n"
	                           "}\n"),
	    "t.conf:3: syntax error: expected a value, found \";\"\n"
	    "t.conf:4: syntax error: expected a value, found \",\"\n");
}
END_TEST

START_TEST(syn_expected_separator)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\texec.start = x y;\n"
	                           "\texec.stop = z = w;\n"
	                           "}\n"),
	    "t.conf:3: syntax error: expected \",\" or \";\" after a value, "
	    "found \"y\"\n"
	    "t.conf:4: syntax error: expected \",\" or \";\" after a value, "
	    "found \"=\"\n");
}
END_TEST

START_TEST(syn_expected_param_name)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\t\"my param\" = 1;\n"
	                           "\t1abc = 2;\n"
	                           "}\n"),
	    "t.conf:3: syntax error: expected a parameter name, found \"my "
	    "param\"\n"
	    "t.conf:4: syntax error: expected a parameter name, found "
	    "\"1abc\"\n");
}
END_TEST

START_TEST(syn_param_needs_value)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath;\n"
	                           "\tip4;\n"
	                           "\tpath = /a;\n"
	                           "}\n"),
	    "t.conf:2: parameter \"path\" needs a value\n"
	    "t.conf:3: parameter \"ip4\" needs a value\n");
}
END_TEST

START_TEST(syn_no_form_takes_no_value)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tnopersist = 1;\n"
	                           "\tnovnet = new;\n"
	                           "}\n"),
	    "t.conf:3: \"nopersist\" takes no value (write \"nopersist;\" "
	    "alone)\n"
	    "t.conf:4: \"novnet\" takes no value (write \"novnet;\" alone)\n");
}
END_TEST

START_TEST(syn_expected_assign)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath /a;\n"
	          "\texec.start , x;\n"
	          "\tpath = /a;\n"
	          "\texec.stop }\n");
	ck_assert_diags(c,
	    "t.conf:2: syntax error: expected \"=\", \"+=\" or "
	    "\";\", found \"/a\"\n"
	    "t.conf:3: syntax error: expected \"=\", \"+=\" or "
	    "\";\", found \",\"\n"
	    "t.conf:5: syntax error: expected \"=\", \"+=\" or "
	    "\";\", found \"}\"\n");
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	jail_conf_free(c);
}
END_TEST

START_TEST(syn_expected_statement)
{
	ck_assert_str_eq(errors_of("a { path = /a; }\n= 1;\n, x;\n+= y;\n"),
	    "t.conf:2: syntax error: expected a statement, found \"=\"\n"
	    "t.conf:3: syntax error: expected a statement, found \",\"\n"
	    "t.conf:4: syntax error: expected a statement, found \"+=\"\n");
}
END_TEST

/* Recovery inside strings */

START_TEST(recover_bad_escape_in_string)
{
	struct jail_conf *c;

	c = parse("j { path = /j;\n"
	          "exec.start = \"a\\xzz b\";\n"
	          "exec.stop = \"ok\";\n"
	          "}\n");
	ck_assert_diags(c, "t.conf:2: \\x with no hex digits after it\n");
	ck_assert_str_eq(get(c, "j", "exec.stop"), "ok");
	jail_conf_free(c);
}
END_TEST

START_TEST(recover_nul_escape_in_string)
{
	struct jail_conf *c;

	c = parse("j { path = /j;\n"
	          "exec.start = \"x\\0y\";\n"
	          "exec.stop = 'ok';\n"
	          "}\n");
	ck_assert_diags(c, "t.conf:2: a NUL byte cannot stand in a value\n");
	ck_assert_str_eq(get(c, "j", "exec.stop"), "ok");
	jail_conf_free(c);
}
END_TEST

/* Tiny and truncated inputs: the exact diagnostics, nothing else. */

static const struct {
	const char *src;
	const char *want;
} tiny[] = {
	{ "", "" },
	{ ";", "" },
	{ "/",
	    "t.conf:1: syntax error: expected a parameter name, found "
	    "\"/\"\n" },
	{ "$",
	    "t.conf:1: syntax error: expected a parameter name, found "
	    "\"$\"\n" },
	{ "+",
	    "t.conf:1: syntax error: expected a parameter name, found "
	    "\"+\"\n" },
	{ "\\\n",
	    "t.conf:1: syntax error: expected a parameter name, found "
	    "\"\"\n" },
	{ "${", "t.conf:1: unterminated variable\n" },
	{ "\\", "t.conf:1: backslash at end of file\n" },
	{ "\\x", "t.conf:1: \\x with no hex digits after it\n" },
	{ "'", "t.conf:1: unterminated string\n" },
	{ "\"", "t.conf:1: unterminated string\n" },
	{ "/*", "t.conf:1: unterminated comment\n" },
	{ "/**", "t.conf:1: unterminated comment\n" },
	{ "a { path = /a;",
	    "t.conf:1: missing \"}\" for the block opened "
	    "here\n" },
	{ "a { b",
	    "t.conf:1: unknown parameter \"b\"\n"
	    "t.conf:1: missing \"}\" for the block opened here\n" },
	{ "}", "t.conf:1: syntax error: \"}\" without a block to close\n" },
	{ "{", "t.conf:1: syntax error: expected a statement, found \"{\"\n" },
	{ "=", "t.conf:1: syntax error: expected a statement, found \"=\"\n" },
	{ "+=",
	    "t.conf:1: syntax error: expected a statement, found "
	    "\"+=\"\n" },
	{ "persist",
	    "t.conf:1: syntax error: expected \"=\", \"+=\" or \";\", "
	    "found end of file\n" },
	{ "persist =",
	    "t.conf:1: syntax error: expected a value, found end "
	    "of file\n" },
	{ "exec.start = a,",
	    "t.conf:1: syntax error: expected a value, "
	    "found end of file\n" },
	{ "exec.start = a",
	    "t.conf:1: syntax error: expected \",\" or \";\" "
	    "after a value, found end of file\n" },
	{ ".include",
	    "t.conf:1: syntax error: expected a file name after "
	    "\".include\", found end of file\n" },
	{ "$x",
	    "t.conf:1: syntax error: expected \"=\", \"+=\" or \";\", "
	    "found end of file\n" },
	{ "${a.b} = 1;", "t.conf:1: invalid variable name \"a.b\"\n" },
};

START_TEST(tiny_inputs)
{
	ck_assert_msg(strcmp(errors_of(tiny[_i].src), tiny[_i].want) == 0,
	    "input \"%s\": got\n%swant\n%s", tiny[_i].src,
	    errors_of(tiny[_i].src), tiny[_i].want);
}
END_TEST

/* Resolver */

START_TEST(res_path_not_set)
{
	struct jail_conf *c;

	c = parse("a {\n\texec.timeout = 1;\n}\nb { path = /b; }\n");
	ck_assert_diags(c, "t.conf:1: jail \"a\": \"path\" is not set\n");
	ck_assert_int_eq(has_diag(c,
	                     "t.conf:1: jail \"a\": \"path\" is not set"),
	    1);
	ck_assert_int_eq(has_diag(c,
	                     "t.conf:2: jail \"a\": \"path\" is not set"),
	    0);
	ck_assert_int_eq(h_resolve_rc, -1);
	ck_assert_str_eq(h_resolve_err.msg,
	    "t.conf:1: jail \"a\": \"path\" is not set");
	ck_assert_int_eq(h_load_rc, 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(res_depend_ok)
{
	struct jail_conf *c;

	c = parse("a { path = /a; depend = b, c; }\n"
	          "b { path = /b; depend = c; }\n"
	          "c { path = /c; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "depend"), "b | c");
	jail_conf_free(c);
}
END_TEST

START_TEST(res_depend_undefined)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tdepend = b;\n"
	                           "}\n"),
	    "t.conf:3: jail \"a\": depends on \"b\", which is not defined\n");
}
END_TEST

START_TEST(res_depend_self)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tdepend = a;\n"
	                           "}\n"),
	    "t.conf:3: jail \"a\": depends on itself\n");
}
END_TEST

START_TEST(res_depend_loop)
{
	ck_assert_str_eq(errors_of("a { path = /a; depend = b; }\n"
	                           "b { path = /b; depend = a; }\n"),
	    "t.conf:2: jail \"b\": dependency loop: a -> b -> a\n");
	ck_assert_str_eq(errors_of("a { path = /a; depend = b; }\n"
	                           "b { path = /b; depend = c; }\n"
	                           "c { path = /c; depend = a; }\n"),
	    "t.conf:3: jail \"c\": dependency loop: a -> b -> c -> a\n");
}
END_TEST

START_TEST(res_depend_bad_name)
{
	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "depend = \"x/y\";\n"
	                           "}\n"),
	    "t.conf:2: \"depend\": jail name \"x/y\" may hold only letters, "
	    "digits, \"_\" and \"-\"\n");
}
END_TEST

START_TEST(res_same_path)
{
	ck_assert_str_eq(errors_of("a { path = /x; }\n"
	                           "b { path = \"/x/\"; }\n"),
	    "t.conf:2: jail \"b\": same path as jail \"a\" (t.conf:1)\n");
}
END_TEST

START_TEST(res_same_jid)
{
	ck_assert_str_eq(errors_of("a { path = /a; jid = 5; }\n"
	                           "b {\n"
	                           "\tpath = /b;\n"
	                           "\tjid = 5;\n"
	                           "}\n"),
	    "t.conf:4: jail \"b\": same jid as jail \"a\" (t.conf:1)\n");
}
END_TEST

START_TEST(res_global_error_once)
{
	/* a bad literal in a global statement: one error, not one a jail */
	ck_assert_str_eq(errors_of("exec.timeout = x;\n"
	                           "a { path = /a; }\n"
	                           "b { path = /b; }\n"),
	    "t.conf:1: \"exec.timeout\": \"x\" is not a duration (seconds, or "
	    "with s, m, h or d)\n");
	/* found through a variable: each jail named */
	ck_assert_str_eq(errors_of("exec.start = $undef;\n"
	                           "a { path = /a; }\n"
	                           "b { path = /b; }\n"),
	    "t.conf:1: jail \"a\": variable \"undef\" is not defined\n"
	    "t.conf:1: jail \"b\": variable \"undef\" is not defined\n");
}
END_TEST

START_TEST(res_all_in_line_order)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\texec.start = $undef;\n"
	          "\tmemory.max = lots;\n"
	          "}\n"
	          "b { depend = a, c; path = /b; }\n"
	          "= 1;\n"
	          "c.d { }\n");
	ck_assert_diags(c,
	    "t.conf:3: variable \"undef\" is not defined\n"
	    "t.conf:4: \"memory.max\": \"lots\" is not a size (like 512M, "
	    "1.5G or max)\n"
	    "t.conf:6: jail \"b\": depends on \"c\", which is not defined\n"
	    "t.conf:7: syntax error: expected a statement, found \"=\"\n"
	    "t.conf:8: jail \"c.d\": dotted (hierarchical) jail names are not "
	    "supported\n");
	ck_assert_uint_eq(jail_conf_nerrors(c), 5);
	jail_conf_free(c);
}
END_TEST

START_TEST(res_too_many_errors)
{
	struct jail_conf *c;
	const struct jail_diag *d;
	char *src;
	size_t i;

	src = malloc(1005 * 5 + 1);
	ck_assert_ptr_nonnull(src);
	src[0] = '\0';
	for (i = 0; i < 1005; i++)
		strcat(src + i * 5, "= 1;\n");
	c = parse(src);
	free(src);
	ck_assert_uint_eq(jail_conf_nerrors(c), 1005);
	ck_assert_uint_eq(jail_conf_ndiags(c), 1001);
	d = jail_conf_diag(c, 999);
	ck_assert_int_eq(d->line, 1000);
	ck_assert_str_eq(d->msg,
	    "syntax error: expected a statement, found "
	    "\"=\"");
	d = jail_conf_diag(c, 1000);
	ck_assert_int_eq(d->line, 1001);
	ck_assert_str_eq(d->msg, "too many errors; stopped listing them");
	ck_assert_int_eq(d->warning, 0);
	ck_assert_ptr_null(jail_conf_diag(c, 1001));
	jail_conf_free(c);
}
END_TEST

Suite *
errors_suite(void)
{
	Suite *s = suite_create("errors");
	TCase *tc;

	tc = tcase_create("lexer");
	tcase_add_test(tc, lex_backslash_at_eof);
	tcase_add_test(tc, lex_hex_without_digits);
	tcase_add_test(tc, lex_octal_out_of_range);
	tcase_add_test(tc, lex_nul_escape);
	tcase_add_test(tc, lex_nul_byte_in_string);
	tcase_add_test(tc, lex_unexpected_byte);
	tcase_add_test(tc, lex_unterminated_variable);
	tcase_add_test(tc, lex_empty_variable);
	tcase_add_test(tc, lex_unterminated_string);
	tcase_add_test(tc, lex_unterminated_comment);
	suite_add_tcase(s, tc);

	tc = tcase_create("parser");
	tcase_add_test(tc, syn_include_no_name);
	tcase_add_test(tc, syn_include_no_semicolon);
	tcase_add_test(tc, syn_include_empty);
	tcase_add_test(tc, syn_nested_block);
	tcase_add_test(tc, syn_block_name_variable);
	tcase_add_test(tc, syn_wildcard_not_star);
	tcase_add_test(tc, syn_dotted_name);
	tcase_add_test(tc, syn_missing_rbrace);
	tcase_add_test(tc, syn_rbrace_without_block);
	tcase_add_test(tc, syn_redefine_name);
	tcase_add_test(tc, syn_missing_semicolon_next_line);
	tcase_add_test(tc, syn_expected_value);
	tcase_add_test(tc, syn_expected_separator);
	tcase_add_test(tc, syn_expected_param_name);
	tcase_add_test(tc, syn_param_needs_value);
	tcase_add_test(tc, syn_no_form_takes_no_value);
	tcase_add_test(tc, syn_expected_assign);
	tcase_add_test(tc, syn_expected_statement);
	tcase_add_test(tc, recover_bad_escape_in_string);
	tcase_add_test(tc, recover_nul_escape_in_string);
	tcase_add_loop_test(tc, tiny_inputs, 0, sizeof(tiny) / sizeof(tiny[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("resolver");
	tcase_add_test(tc, res_path_not_set);
	tcase_add_test(tc, res_depend_ok);
	tcase_add_test(tc, res_depend_undefined);
	tcase_add_test(tc, res_depend_self);
	tcase_add_test(tc, res_depend_loop);
	tcase_add_test(tc, res_depend_bad_name);
	tcase_add_test(tc, res_same_path);
	tcase_add_test(tc, res_same_jid);
	tcase_add_test(tc, res_global_error_once);
	tcase_add_test(tc, res_all_in_line_order);
	tcase_add_test(tc, res_too_many_errors);
	suite_add_tcase(s, tc);

	return s;
}
