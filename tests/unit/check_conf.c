/*
 * The lexer and the parser (conf.c) with the merging of resolve.c: the
 * statement forms, blocks and wildcards, quoting, escapes, comments, line
 * numbers and the recovery after syntax errors.  jail.conf(5) and
 * FreeBSD's jaillex.l / jailparse.y are the reference.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

/* Statements */

START_TEST(stmt_assign)
{
	struct jail_conf *c;

	c = parse("a {\n\tpath = /var/jail/a;\n\texec.jail_user = www;\n}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/a");
	ck_assert_str_eq(get(c, "a", "exec.jail_user"), "www");
	ck_assert_int_eq(isset(c, "a", "path"), 1);
	ck_assert_int_eq(isset(c, "a", "exec.system_user"), 0);
	ck_assert_ptr_null(get(c, "a", "exec.system_user"));
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_list)
{
	struct jail_conf *c;

	c = parse("a { path = /a; exec.start = \"/bin/sh /etc/rc\", b,c ; }");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"), "/bin/sh /etc/rc | b | c");
	ck_assert_uint_eq(getn_count(c, "a", "exec.start"), 3);
	/* jail_get() gives the first value of a list */
	ck_assert_str_eq(get(c, "a", "exec.start"), "/bin/sh /etc/rc");
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_append)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\texec.start = x;\n"
	          "\texec.start += y, z;\n"
	          "\tip4.addr += 192.0.2.1;\n"
	          "\texec.stop += p;\n"
	          "\texec.stop = q;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"), "x | y | z");
	/* "+=" on nothing is a plain set */
	ck_assert_str_eq(getl(c, "a", "ip4.addr"), "192.0.2.1");
	/* "=" replaces what "+=" built */
	ck_assert_str_eq(getl(c, "a", "exec.stop"), "q");
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_append_to_global)
{
	struct jail_conf *c;

	c = parse("exec.start = g;\n"
	          "a { path = /a; exec.start += j; }\n"
	          "b { path = /b; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"), "g | j");
	ck_assert_str_eq(getl(c, "b", "exec.start"), "g");
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_bool_bare)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tpersist;\n"
	          "\tallow.mount;\n"
	          "\tallow.noraw_sockets;\n"
	          "\tallow.mount.nodevfs;\n"
	          "\tnoread_only;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "persist"), "true");
	ck_assert_int_eq(getn(c, "a", "persist"), 1);
	ck_assert_str_eq(get(c, "a", "allow.mount"), "true");
	ck_assert_str_eq(get(c, "a", "allow.raw_sockets"), "false");
	ck_assert_int_eq(getn(c, "a", "allow.raw_sockets"), 0);
	ck_assert_int_eq(isset(c, "a", "allow.raw_sockets"), 1);
	ck_assert_str_eq(get(c, "a", "allow.mount.devfs"), "false");
	ck_assert_str_eq(get(c, "a", "read_only"), "false");
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_no_prefix)
{
	struct jail_conf *c;

	/* "no" goes on the last dotted part: allow.nomount */
	c = parse("a { path = /a; allow.mount; allow.nomount; nopersist; }");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "allow.mount"), "false");
	ck_assert_int_eq(getn(c, "a", "allow.mount"), 0);
	ck_assert_str_eq(get(c, "a", "persist"), "false");
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_bool_values)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tpersist = TRUE;\n"
	          "\tallow.mount = False;\n"
	          "\tallow.mlock = 42;\n"
	          "\tallow.chflags = 0;\n"
	          "\tallow.sysvipc = true;\n"
	          "\tallow.settime = false;\n"
	          "\tallow.adjtime = -1;\n"
	          "\tallow.quotas = \"1\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "persist"), "true");
	ck_assert_str_eq(get(c, "a", "allow.mount"), "false");
	ck_assert_str_eq(get(c, "a", "allow.mlock"), "true");
	ck_assert_str_eq(get(c, "a", "allow.chflags"), "false");
	ck_assert_str_eq(get(c, "a", "allow.sysvipc"), "true");
	ck_assert_str_eq(get(c, "a", "allow.settime"), "false");
	ck_assert_str_eq(get(c, "a", "allow.adjtime"), "true");
	ck_assert_str_eq(get(c, "a", "allow.quotas"), "true");
	ck_assert_int_eq(getn(c, "a", "allow.mlock"), 1);
	/* an unset boolean without default reads as false */
	ck_assert_int_eq(getn(c, "a", "allow.routing"), 0);
	ck_assert_ptr_null(get(c, "a", "allow.routing"));
	jail_conf_free(c);
}
END_TEST

START_TEST(stmt_bool_bad)
{
	ck_assert_str_eq(errors_of("a {\n\tpath = /a;\n\tpersist = yes;\n}\n"),
	    "t.conf:3: \"persist\": \"yes\" is not a boolean (true, false or "
	    "a number)\n");
}
END_TEST

/* Blocks and wildcards */

START_TEST(block_order)
{
	struct jail_conf *c;

	c = parse("zeta { path = /z; }\nalpha { path = /a; }\n");
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 2);
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 0)), "zeta");
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 1)), "alpha");
	ck_assert_ptr_null(jail_conf_jail(c, 2));
	ck_assert_ptr_eq(jail_conf_find(c, "alpha"), jail_conf_jail(c, 1));
	ck_assert_ptr_null(jail_conf_find(c, "beta"));
	/* the block name is the jail's "name" */
	ck_assert_str_eq(get(c, "zeta", "name"), "zeta");
	jail_conf_free(c);
}
END_TEST

START_TEST(block_empty_and_quoted_name)
{
	struct jail_conf *c;

	c = parse("path = \"/j\";\n\"web\" { }\n");
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	ck_assert_str_eq(get(c, "web", "path"), "/j");
	jail_conf_free(c);
}
END_TEST

START_TEST(block_repeated_merge)
{
	struct jail_conf *c;

	c = parse("a { path = /a; exec.start = x; }\n"
	          "b { path = /b; }\n"
	          "a { exec.stop = y; exec.start += z; }\n");
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 2);
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 0)), "a");
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 1)), "b");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "x | z");
	ck_assert_str_eq(getl(c, "a", "exec.stop"), "y");
	ck_assert_str_eq(getl(c, "b", "exec.stop"), "");
	jail_conf_free(c);
}
END_TEST

START_TEST(block_numeric_name_sets_jid)
{
	struct jail_conf *c;

	/* FreeBSD: a purely numeric block name sets "jid" (config.c) */
	c = parse("7 { path = /seven; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "7", "jid"), "7");
	jail_conf_free(c);
}
END_TEST

START_TEST(wild_before_is_default)
{
	struct jail_conf *c;

	c = parse("* { exec.timeout = 5; }\n"
	          "a { path = /a; exec.timeout = 7; }\n"
	          "b { path = /b; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "7");
	ck_assert_str_eq(get(c, "b", "exec.timeout"), "5");
	jail_conf_free(c);
}
END_TEST

START_TEST(wild_after_is_enforced)
{
	struct jail_conf *c;

	c = parse("a { path = /a; exec.timeout = 7; exec.start = j; }\n"
	          "* { exec.timeout = 5; exec.start += w; }\n"
	          "b { path = /b; exec.timeout = 9; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "5");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "j | w");
	/* for b the same block stands before: a default */
	ck_assert_str_eq(get(c, "b", "exec.timeout"), "9");
	ck_assert_str_eq(getl(c, "b", "exec.start"), "w");
	jail_conf_free(c);
}
END_TEST

START_TEST(wild_without_jails)
{
	struct jail_conf *c;

	c = parse("* { exec.timeout = 5; }\n");
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(global_stmts)
{
	struct jail_conf *c;

	c = parse("exec.timeout = 5;\n"
	          "persist;\n"
	          "a { path = /a; }\n"
	          "b { path = /b; exec.timeout = 7; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "5");
	ck_assert_str_eq(get(c, "a", "persist"), "true");
	ck_assert_str_eq(get(c, "b", "exec.timeout"), "7");
	ck_assert_str_eq(get(c, "b", "persist"), "true");
	jail_conf_free(c);
}
END_TEST

START_TEST(global_after_jail_in_file_order)
{
	struct jail_conf *c;

	/*
	 * libjail merges global statements in file order, like a "*" block
	 * at the same place (resolve.c): one after the jail is enforced.
	 */
	c = parse("a { path = /a; exec.timeout = 7; }\nexec.timeout = 5;\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "5");
	jail_conf_free(c);
}
END_TEST

START_TEST(later_supersedes)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /x;\n"
	          "\texec.timeout = 1;\n"
	          "\texec.start = p, q;\n"
	          "\texec.timeout = 2;\n"
	          "\tpath = /a;\n"
	          "\texec.start = r;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "2");
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "r");
	jail_conf_free(c);
}
END_TEST

/* Quoting, escapes, concatenation */

START_TEST(quote_forms)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = \"/var/jail/my jail\";\n"
	          "\texec.start = \"a b\";\n"
	          "\texec.stop = 'c d';\n"
	          "\texec.prestart = \"it's\";\n"
	          "\texec.poststart = 'say \"hi\"';\n"
	          "\texec.prestop = \"a;b,c{d}e=f+=g\";\n"
	          "\texec.poststop = \"\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/my jail");
	ck_assert_str_eq(get(c, "a", "exec.start"), "a b");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "c d");
	ck_assert_str_eq(get(c, "a", "exec.prestart"), "it's");
	ck_assert_str_eq(get(c, "a", "exec.poststart"), "say \"hi\"");
	ck_assert_str_eq(get(c, "a", "exec.prestop"), "a;b,c{d}e=f+=g");
	ck_assert_str_eq(get(c, "a", "exec.poststop"), "");
	ck_assert_uint_eq(getn_count(c, "a", "exec.poststop"), 1);
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_controls)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"\\a\\b\\f\\n\\r\\t\\v\";\n"
	          "exec.stop = '\\t\\n';\n"
	          "exec.prestart = x\\ty;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "\a\b\f\n\r\t\v");
	/* escapes work in single quotes and unquoted too */
	ck_assert_str_eq(get(c, "a", "exec.stop"), "\t\n");
	ck_assert_str_eq(get(c, "a", "exec.prestart"), "x\ty");
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_octal)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"\\101\", \"\\1010\", \"\\60\", \"\\7\", "
	          "\\102, \"\\377\";\n"
	          "}\n");
	ck_assert_clean(c);
	/* at most three digits: "\1010" is "A" then "0" */
	ck_assert_str_eq(getl(c, "a", "exec.start"),
	    "A | A0 | 0 | \a | B | \377");
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_octal_nul_refused)
{
	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "exec.start = \"x\\0y\";\n"
	                           "exec.stop = \"\\000\";\n"
	                           "}\n"),
	    "t.conf:2: a NUL byte cannot stand in a value\n"
	    "t.conf:3: a NUL byte cannot stand in a value\n");
}
END_TEST

START_TEST(escape_hex)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"\\x41\", \"\\x4a\", \"\\x4A\", \"\\x414\", "
	          "\"\\x9\", \\x42;\n"
	          "}\n");
	ck_assert_clean(c);
	/* at most two hex digits */
	ck_assert_str_eq(getl(c, "a", "exec.start"), "A | J | J | A4 | \t | B");
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_continuation)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"ab\\\ncd\";\n"
	          "exec.stop = ef\\\ngh;\n"
	          "}\n"
	          "= 1;\n");
	ck_assert_str_eq(get(c, "a", "exec.start"), "abcd");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "efgh");
	/* the continued lines still count */
	ck_assert_diags(c,
	    "t.conf:7: syntax error: expected a statement, "
	    "found \"=\"\n");
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_dollar)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"\\$x\", \\$y, \"\\${z}\", \"cost \\$5\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"),
	    "$x | $y | ${z} | cost $5");
	jail_conf_free(c);
}
END_TEST

START_TEST(escape_other)
{
	struct jail_conf *c;

	c = parse("a { path = /a;\n"
	          "exec.start = \"\\q\", \"\\\"\", \"\\\\\", '\\'', a\\ b, "
	          "c\\;d, \\#e;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"),
	    "q | \" | \\ | ' | a b | c;d | #e");
	jail_conf_free(c);
}
END_TEST

START_TEST(concatenation)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /var/jail/\"my jail\"/root;\n"
	          "\texec.start = \"a\"'b'c;\n"
	          "\texec.stop = x\"y\"z'w';\n"
	          "\texec.prestart = \"\"'';\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/my jail/root");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "abc");
	ck_assert_str_eq(getl(c, "a", "exec.stop"), "xyzw");
	ck_assert_str_eq(get(c, "a", "exec.prestart"), "");
	jail_conf_free(c);
}
END_TEST

START_TEST(unquoted_chars)
{
	struct jail_conf *c;

	/* the unquoted token characters of jaillex.l */
	c = parse("a { path = /a;\n"
	          "exec.start = A-Za-z0-9_!%&()-.:<>?@[]^`|~$*+/;\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"),
	    "A-Za-z0-9_!%&()-.:<>?@[]^`|~$*+/");
	jail_conf_free(c);
}
END_TEST

/* Comments */

START_TEST(comments)
{
	struct jail_conf *c;

	c = parse("# hash comment\n"
	          "// slash comment\n"
	          "/* block */ a { /* inline */ path = /a; // trailing\n"
	          "\texec.start = \"x # no\", 'y // no', \"/* no */\"; # yes\n"
	          "\t/* multi\n"
	          "\t   line; } */\n"
	          "\texec.stop = foo/* cut */;\n"
	          "\texec.timeout /* c */ = /* c */ 5 /* c */ ;\n"
	          "} # end without newline");
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "a", "exec.start"),
	    "x # no | y // no | /* no */");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "foo");
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "5");
	jail_conf_free(c);
}
END_TEST

START_TEST(comment_cuts_unquoted)
{
	struct jail_conf *c;

	/* "//" and "/" "*" start a comment in an unquoted word, "#" too */
	c = parse("a { path = /a;\n"
	          "exec.start = b//c\n"
	          ";\n"
	          "exec.stop = d#e\n"
	          ";\n"
	          "mount.fstab = \"/etc//fstab.a\";\n"
	          "}\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "exec.start"), "b");
	ck_assert_str_eq(get(c, "a", "exec.stop"), "d");
	ck_assert_str_eq(get(c, "a", "mount.fstab"), "/etc/fstab.a");
	jail_conf_free(c);
}
END_TEST

START_TEST(stray_semicolons)
{
	struct jail_conf *c;

	c = parse(";\n;;a { ;path = /a;; ; } ;\n;");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	jail_conf_free(c);
}
END_TEST

/* Line numbers */

START_TEST(line_after_block_comment)
{
	ck_assert_str_eq(errors_of("/* 1\n2\n3 */\n= 1;\n"),
	    "t.conf:4: syntax error: expected a statement, found \"=\"\n");
}
END_TEST

START_TEST(line_after_multiline_string)
{
	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "exec.start = \"x\n"
	                           "y\", 'z\n"
	                           "w';\n"
	                           "}\n"
	                           "= 1;\n"),
	    "t.conf:6: syntax error: expected a statement, found \"=\"\n");
}
END_TEST

START_TEST(line_after_line_comments)
{
	ck_assert_str_eq(errors_of("# one\n// two\n\n\t# four\n= 1;\n"),
	    "t.conf:5: syntax error: expected a statement, found \"=\"\n");
}
END_TEST

START_TEST(line_crlf)
{
	ck_assert_str_eq(errors_of("a { path = /a; }\r\n\r\n= 1;\r\n"),
	    "t.conf:3: syntax error: expected a statement, found \"=\"\n");
}
END_TEST

START_TEST(line_of_value_error)
{
	/* a value error is reported at the line of the statement */
	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "\n"
	                           "exec.timeout = forever;\n"
	                           "}\n"),
	    "t.conf:3: \"exec.timeout\": \"forever\" is not a duration "
	    "(seconds, or with s, m, h or d)\n");
}
END_TEST

/* The calls */

START_TEST(empty_input)
{
	struct jail_conf *c;

	c = parse("");
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 0);
	ck_assert_uint_eq(jail_conf_ndiags(c), 0);
	ck_assert_ptr_null(jail_conf_diag(c, 0));
	jail_conf_free(c);
	jail_conf_free(NULL);
}
END_TEST

START_TEST(two_strings_merge)
{
	struct jail_conf *c;
	struct jail_error err;
	const char *a = "a { path = /a; }\nexec.timeout = 1;\n";
	const char *b = "\n= x;\na { exec.start = x; }\nexec.timeout = 2;\n";

	c = jail_conf_new(0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(jail_conf_load_string(c, "a.conf", a, strlen(a), &err),
	    0);
	ck_assert_int_eq(jail_conf_load_string(c, "b.conf", b, strlen(b), &err),
	    -1);
	ck_assert_str_eq(err.msg,
	    "b.conf:2: syntax error: expected a statement, found \"=\"");
	ck_assert_int_eq(jail_conf_resolve(c, &err), -1);
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	ck_assert_str_eq(get(c, "a", "exec.start"), "x");
	/* the second file comes later: its global statement wins */
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "2");
	ck_assert_diags(c,
	    "b.conf:2: syntax error: expected a statement, "
	    "found \"=\"\n");
	jail_conf_free(c);
}
END_TEST

START_TEST(resolve_twice)
{
	struct jail_conf *c;
	struct jail_error err;

	c = parse("a { path = /a; exec.start = x, y; depend = b; }\n"
	          "b { path = /b; exec.timeout = soon; }\n");
	ck_assert_diags(c,
	    "t.conf:2: \"exec.timeout\": \"soon\" is not a "
	    "duration (seconds, or with s, m, h or d)\n");
	ck_assert_int_eq(jail_conf_resolve(c, &err), -1);
	ck_assert_diags(c,
	    "t.conf:2: \"exec.timeout\": \"soon\" is not a "
	    "duration (seconds, or with s, m, h or d)\n");
	ck_assert_str_eq(getl(c, "a", "exec.start"), "x | y");
	ck_assert_str_eq(get(c, "a", "host.hostname"), "a");
	jail_conf_free(c);
}
END_TEST

START_TEST(jid_cannot_be_redefined)
{
	struct jail_conf *c;

	/* FreeBSD: "name" and "jid" are immutable (config.c add_param()) */
	c = parse("a {\n\tpath = /a;\n\tjid = 1;\n\tjid = 2;\n}\n");
	ck_assert_uint_eq(jail_conf_nerrors(c), 1);
	ck_assert_uint_eq(jail_conf_ndiags(c), 1);
	ck_assert_int_eq(jail_conf_diag(c, 0)->line, 4);
	ck_assert_int_eq(h_resolve_rc, -1);
	jail_conf_free(c);
}
END_TEST

/* Recovery */

START_TEST(recovery_all_reported)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\texec.start = ;\n"
	          "\tpersist = = 1;\n"
	          "\texec.timeout = 5 6;\n"
	          "\tmemory.max = 1G;\n"
	          "}\n"
	          "b { path = /b; }\n"
	          "= 2;\n"
	          "c { path = /c; exec.stop = x }\n");
	ck_assert_diags(c,
	    "t.conf:3: syntax error: expected a value, found \";\"\n"
	    "t.conf:4: syntax error: expected a value, found \"=\"\n"
	    "t.conf:5: syntax error: expected \",\" or \";\" after a value, "
	    "found \"6\"\n"
	    "t.conf:9: syntax error: expected a statement, found \"=\"\n"
	    "t.conf:10: syntax error: expected \",\" or \";\" after a value, "
	    "found \"}\"\n");
	ck_assert_int_eq(h_load_rc, -1);
	ck_assert_int_eq(h_resolve_rc, -1);
	/* what stood between the errors was kept */
	ck_assert_str_eq(get(c, "a", "memory.max"), "1G");
	ck_assert_str_eq(get(c, "b", "path"), "/b");
	ck_assert_str_eq(get(c, "c", "path"), "/c");
	ck_assert_uint_eq(jail_conf_njails(c), 3);
	jail_conf_free(c);
}
END_TEST

START_TEST(recovery_err_summary)
{
	struct jail_conf *c;

	c = parse("a { path = /a; }\n= 1;\n= 2;\n");
	ck_assert_int_eq(h_load_rc, -1);
	ck_assert_str_eq(h_load_err.msg,
	    "t.conf:2: syntax error: expected a statement, found \"=\"");
	ck_assert_int_eq(h_load_err.code, 0);
	ck_assert_str_eq(h_resolve_err.msg, h_load_err.msg);
	ck_assert_uint_eq(jail_conf_nerrors(c), 2);
	ck_assert_uint_eq(jail_conf_ndiags(c), 2);
	jail_conf_free(c);
}
END_TEST

Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("statements");
	tcase_add_test(tc, stmt_assign);
	tcase_add_test(tc, stmt_list);
	tcase_add_test(tc, stmt_append);
	tcase_add_test(tc, stmt_append_to_global);
	tcase_add_test(tc, stmt_bool_bare);
	tcase_add_test(tc, stmt_no_prefix);
	tcase_add_test(tc, stmt_bool_values);
	tcase_add_test(tc, stmt_bool_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("blocks");
	tcase_add_test(tc, block_order);
	tcase_add_test(tc, block_empty_and_quoted_name);
	tcase_add_test(tc, block_repeated_merge);
	tcase_add_test(tc, block_numeric_name_sets_jid);
	tcase_add_test(tc, wild_before_is_default);
	tcase_add_test(tc, wild_after_is_enforced);
	tcase_add_test(tc, wild_without_jails);
	tcase_add_test(tc, global_stmts);
	tcase_add_test(tc, global_after_jail_in_file_order);
	tcase_add_test(tc, later_supersedes);
	suite_add_tcase(s, tc);

	tc = tcase_create("lexer");
	tcase_add_test(tc, quote_forms);
	tcase_add_test(tc, escape_controls);
	tcase_add_test(tc, escape_octal);
	tcase_add_test(tc, escape_octal_nul_refused);
	tcase_add_test(tc, escape_hex);
	tcase_add_test(tc, escape_continuation);
	tcase_add_test(tc, escape_dollar);
	tcase_add_test(tc, escape_other);
	tcase_add_test(tc, concatenation);
	tcase_add_test(tc, unquoted_chars);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, comment_cuts_unquoted);
	tcase_add_test(tc, stray_semicolons);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_test(tc, line_after_block_comment);
	tcase_add_test(tc, line_after_multiline_string);
	tcase_add_test(tc, line_after_line_comments);
	tcase_add_test(tc, line_crlf);
	tcase_add_test(tc, line_of_value_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("calls");
	tcase_add_test(tc, empty_input);
	tcase_add_test(tc, two_strings_merge);
	tcase_add_test(tc, resolve_twice);
	tcase_add_test(tc, jid_cannot_be_redefined);
	suite_add_tcase(s, tc);

	tc = tcase_create("recovery");
	tcase_add_test(tc, recovery_all_reported);
	tcase_add_test(tc, recovery_err_summary);
	suite_add_tcase(s, tc);

	return s;
}
