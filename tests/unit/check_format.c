/*
 * jail_format() and jail_quote(): the text written for a jail reads back
 * to the same jail, whatever its values hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

/* Every jail of conf formatted, one block after another; malloc'ed. */
static char *
format_all(const struct jail_conf *conf)
{
	struct jail_error err;
	char *all, *one;
	size_t i, len = 0;

	all = strdup("");
	ck_assert_ptr_nonnull(all);
	for (i = 0; i < jail_conf_njails(conf); i++) {
		one = jail_format(jail_conf_jail(conf, i), &err);
		ck_assert_msg(one != NULL, "jail_format: %s", err.msg);
		all = realloc(all, len + strlen(one) + 1);
		ck_assert_ptr_nonnull(all);
		memcpy(all + len, one, strlen(one) + 1);
		len += strlen(one);
		free(one);
	}
	return all;
}

/* Do jails a and b hold the same values, parameter by parameter? */
static void
same_values(const struct jail *a, const struct jail *b)
{
	const char *const *va, *const *vb;
	size_t na, nb, k;
	int p;

	for (p = 0; p < jail_param_count(); p++) {
		na = jail_get_list(a, p, &va);
		nb = jail_get_list(b, p, &vb);
		ck_assert_msg(na == nb, "%s: %zu values, then %zu",
		    jail_param_name(p), na, nb);
		for (k = 0; k < na; k++)
			ck_assert_msg(strcmp(va[k], vb[k]) == 0,
			    "%s[%zu]: \"%s\", then \"%s\"", jail_param_name(p),
			    k, va[k], vb[k]);
	}
}

/*
 * Parse src, format its jails, parse that text as a fresh configuration:
 * no error, the same jails, the same values and the same text again.
 */
static void
roundtrip(const char *src)
{
	struct jail_conf *a, *b;
	struct jail_error err;
	const struct jail *ja, *jb;
	char *text, *fa, *fb;
	size_t i;

	a = parse(src);
	ck_assert_msg(jail_conf_nerrors(a) == 0, "source: %s", diags(a));
	text = format_all(a);
	b = parse_as("rt.conf", text, strlen(text), 0);
	ck_assert_msg(jail_conf_nerrors(b) == 0, "formatted:\n%s\nerrors:\n%s",
	    text, diags(b));
	ck_assert_uint_eq(jail_conf_njails(a), jail_conf_njails(b));
	for (i = 0; i < jail_conf_njails(a); i++) {
		ja = jail_conf_jail(a, i);
		jb = jail_conf_find(b, jail_name(ja));
		ck_assert_ptr_nonnull(jb);
		same_values(ja, jb);
		fa = jail_format(ja, &err);
		fb = jail_format(jb, &err);
		ck_assert_ptr_nonnull(fa);
		ck_assert_ptr_nonnull(fb);
		ck_assert_str_eq(fa, fb);
		free(fa);
		free(fb);
	}
	free(text);
	jail_conf_free(a);
	jail_conf_free(b);
}

START_TEST(format_exact)
{
	struct jail_conf *c;
	struct jail_error err;
	char *s;

	c = parse("a { path = /a; }\n");
	ck_assert_clean(c);
	s = jail_format(jail_conf_find(c, "a"), &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "a {\n"
	    "\tpath = \"/a\";\n"
	    "\thost.hostname = a;\n"
	    "\texec.noclean;\n"
	    "\tstop.timeout = 10;\n"
	    "\tnopersist;\n"
	    "\tcreate.method = copy;\n"
	    "\tmount.devfs;\n"
	    "\tmount.procfs;\n"
	    "\tmount.nosysfs;\n"
	    "\tmount.notmp;\n"
	    "\tnoread_only;\n"
	    "\tvnet = new;\n"
	    "\tallow.set_hostname;\n"
	    "\tallow.reserved_ports;\n"
	    "\tseccomp = default;\n"
	    "}\n");
	free(s);
	jail_conf_free(c);
}
END_TEST

START_TEST(format_booleans)
{
	struct jail_conf *c;
	struct jail_error err;
	char *s;

	c = parse("web_1 {\n"
	          "\tpath = /w;\n"
	          "\tallow.nomount;\n"
	          "\tallow.raw_sockets;\n"
	          "\tallow.mount.devfs = 0;\n"
	          "\tpersist = TRUE;\n"
	          "\texec.start = \"/bin/sh /etc/rc\", x;\n"
	          "\tmemory.max = 1.5G;\n"
	          "}\n");
	ck_assert_clean(c);
	s = jail_format(jail_conf_find(c, "web_1"), &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\n\tallow.nomount;\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n\tallow.raw_sockets;\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n\tallow.mount.nodevfs;\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n\tpersist;\n"));
	ck_assert_ptr_nonnull(
	    strstr(s, "\n\texec.start = \"/bin/sh /etc/rc\", x;\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n\tmemory.max = 1536M;\n"));
	/* unset booleans without a default are left out */
	ck_assert_ptr_null(strstr(s, "allow.chflags"));
	ck_assert_ptr_null(strstr(s, "allow.nochflags"));
	/* no host name: "web_1" is not one */
	ck_assert_ptr_null(strstr(s, "host.hostname"));
	ck_assert_int_eq(strncmp(s, "web_1 {\n", 8), 0);
	free(s);
	jail_conf_free(c);
}
END_TEST

START_TEST(roundtrip_plain)
{
	roundtrip("a { path = /a; }\n");
	roundtrip("* { path = \"/var/jail/$name\"; persist; }\n"
	          "web { allow.nomount; exec.start = \"/bin/sh /etc/rc\"; }\n"
	          "db { nopersist; depend = web; }\n");
}
END_TEST

START_TEST(roundtrip_types)
{
	roundtrip(
	    "a {\n"
	    "\tpath = \"//var/jail/./a/\";\n"
	    "\thost.hostname = a.example.org;\n"
	    "\tmemory.max = 1.5G;\n"
	    "\tmemory.high = max;\n"
	    "\tpids.max = unlimited;\n"
	    "\tcpu.max = 0.5;\n"
	    "\tcpu.weight = 200;\n"
	    "\tstop.timeout = 2m;\n"
	    "\trlimit.nofile = 1024:4096;\n"
	    "\trlimit.core = 0:unlimited;\n"
	    "\trlimit.stack = unlimited;\n"
	    "\tcreate.method = OVERLAY;\n"
	    "\tnovnet;\n"
	    "\tip4.addr = 192.0.2.1, \"em0|192.0.2.2/24\";\n"
	    "\tip6.addr = \"2001:db8::1/64\";\n"
	    "\tuserns.uidmap = \"0 100000 65536\";\n"
	    "\tuserns.gidmap = \"0 100000 65536\";\n"
	    "\tmount = \"/src /var/jail/a/mnt nullfs ro\";\n"
	    "\tmount += \"tmpfs /var/jail/a/tmp tmpfs rw,size=64m 0 0\";\n"
	    "\tcpuset.cpus = \"0-3,5\";\n"
	    "\tcaps.drop = CAP_NET_RAW, sys_admin;\n"
	    "\tseccomp = /etc/jail/filter.bpf;\n"
	    "\tsecurelevel = 2;\n"
	    "\tdepend = b;\n"
	    "}\n"
	    "b { path = /var/jail/b; jid = 12; }\n");
}
END_TEST

START_TEST(roundtrip_awkward_values)
{
	struct jail_conf *a, *b;
	const char *const *v;
	char *text;
	size_t n;

	static const char *const want[] = { "say \"hi\"", "back\\slash",
		"$HOME and ${name}", "line1\nline2", "tab\there",
		"\001\037\177", "\0017", "\r\f\v\a\b", "  spaces  ", "", "a'b",
		"# not a comment", "/* no */ // no", "a,b;c{d}e=f",
		"caf\xc3\xa9", "\\$x" };

	roundtrip("a { path = /a;\n"
	          "exec.start = \"say \\\"hi\\\"\", \"back\\\\slash\",\n"
	          "\t'$HOME and ${name}', \"line1\\nline2\", \"tab\\there\",\n"
	          "\t\"\\001\\037\\177\", \"\\0017\", \"\\r\\f\\v\\a\\b\",\n"
	          "\t\"  spaces  \", \"\", \"a'b\", \"# not a comment\",\n"
	          "\t\"/* no */ // no\", \"a,b;c{d}e=f\", \"caf\xc3\xa9\",\n"
	          "\t'\\\\$x';\n"
	          "exec.stop = \"\";\n"
	          "}\n");

	/* and the values are what the source meant */
	a = parse("a { path = /a;\n"
	          "exec.start = \"say \\\"hi\\\"\", \"back\\\\slash\",\n"
	          "\t'$HOME and ${name}', \"line1\\nline2\", \"tab\\there\",\n"
	          "\t\"\\001\\037\\177\", \"\\0017\", \"\\r\\f\\v\\a\\b\",\n"
	          "\t\"  spaces  \", \"\", \"a'b\", \"# not a comment\",\n"
	          "\t\"/* no */ // no\", \"a,b;c{d}e=f\", \"caf\xc3\xa9\",\n"
	          "\t'\\\\$x';\n"
	          "}\n");
	ck_assert_clean(a);
	text = format_all(a);
	b = parse_as("rt.conf", text, strlen(text), 0);
	n = jail_get_list(jail_conf_find(b, "a"), pidx("exec.start"), &v);
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(v[i], want[i]);
	free(text);
	jail_conf_free(a);
	jail_conf_free(b);
}
END_TEST

START_TEST(roundtrip_wildcards_and_vars)
{
	roundtrip("$root = /var/jail;\n"
	          "$cmds = \"echo 1\", \"echo 2\";\n"
	          "exec.timeout = 30;\n"
	          "* { path = \"$root/$name\"; exec.start = $cmds; }\n"
	          "a { exec.timeout = 5; }\n"
	          "b { }\n"
	          "* { exec.start += \"echo last\"; }\n");
}
END_TEST

START_TEST(quote_plain_words)
{
	static const char *const plain[] = { "web", "a-b.c:1", "user@host",
		"50%", "x^y~z", "true", "UPPER_lower_09" };
	size_t i;
	char *q;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		q = jail_quote(plain[i]);
		ck_assert_ptr_nonnull(q);
		ck_assert_str_eq(q, plain[i]);
		free(q);
	}
}
END_TEST

START_TEST(quote_quoted)
{
	static const char *const in[] = { "", "a b", "/a", "$x", "a\"b", "a\\b",
		"\n", "\t", "\001", "\177", "\r", "a,b", "a;b", "{", "#x",
		"caf\xc3\xa9", "'" };
	static const char *const out[] = { "\"\"", "\"a b\"", "\"/a\"",
		"\"\\$x\"", "\"a\\\"b\"", "\"a\\\\b\"", "\"\\n\"", "\"\\t\"",
		"\"\\001\"", "\"\\177\"", "\"\\015\"", "\"a,b\"", "\"a;b\"",
		"\"{\"", "\"#x\"", "\"caf\xc3\xa9\"", "\"'\"" };
	size_t i;
	char *q;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		q = jail_quote(in[i]);
		ck_assert_ptr_nonnull(q);
		ck_assert_str_eq(q, out[i]);
		free(q);
	}
}
END_TEST

Suite *
format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_test(tc, format_exact);
	tcase_add_test(tc, format_booleans);
	tcase_add_test(tc, roundtrip_plain);
	tcase_add_test(tc, roundtrip_types);
	tcase_add_test(tc, roundtrip_awkward_values);
	tcase_add_test(tc, roundtrip_wildcards_and_vars);
	tcase_add_test(tc, quote_plain_words);
	tcase_add_test(tc, quote_quoted);
	suite_add_tcase(s, tc);
	return s;
}
