/*
 * ".include": files written into a scratch directory, then read with
 * jail_conf_load().  Each test makes and removes its own directory; the
 * tcase's unchecked fixture removes what a failed test left behind.
 */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"

static char base[] = "/tmp/libjail-unit-XXXXXX";
static char dir[256];

static int
rm1(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
rmtree(const char *path)
{
	nftw(path, rm1, 16, FTW_DEPTH | FTW_PHYS);
}

static void
base_setup(void)
{
	if (mkdtemp(base) == NULL)
		abort();
}

static void
base_teardown(void)
{
	rmtree(base);
}

/* A fresh directory for one test, in dir. */
static void
mkdir_test(void)
{
	ck_assert_int_lt(snprintf(dir, sizeof(dir), "%s/t-XXXXXX", base),
	    (int)sizeof(dir));
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* dir/rel */
static const char *
at(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int n;
	char *b = buf[n++ % 4];

	ck_assert_int_lt(snprintf(b, PATH_MAX, "%s/%s", dir, rel), PATH_MAX);
	return b;
}

static void
put(const char *rel, const char *text)
{
	write_file(at(rel), text);
}

static void
mkd(const char *rel)
{
	ck_assert_int_eq(mkdir(at(rel), 0755), 0);
}

/* Load dir/rel and resolve; load_rc gets what the load returned. */
static struct jail_conf *
load(const char *rel, int *load_rc, struct jail_error *err)
{
	struct jail_conf *conf;
	struct jail_error rerr;

	conf = jail_conf_new(0);
	ck_assert_ptr_nonnull(conf);
	memset(err, 0, sizeof(*err));
	*load_rc = jail_conf_load(conf, at(rel), err);
	h_load_rc = *load_rc;
	h_resolve_rc = jail_conf_resolve(conf, &rerr);
	return conf;
}

START_TEST(include_relative)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	mkdir_test();
	mkd("sub");
	put("main.conf", "j {\n\tpath = /j;\n}\n.include \"sub/a.conf\";\n");
	/* relative to sub/, where a.conf is, not to main.conf's directory */
	put("sub/a.conf", ".include \"b.conf\";\nexec.timeout = 3;\n");
	put("sub/b.conf", "exec.start = from_b;\n");
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(get(c, "j", "exec.start"), "from_b");
	ck_assert_str_eq(get(c, "j", "exec.timeout"), "3");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_absolute)
{
	struct jail_conf *c;
	struct jail_error err;
	char text[PATH_MAX + 64];
	int rc;

	mkdir_test();
	put("abs.conf", "j { path = /j; }\n");
	snprintf(text, sizeof(text), ".include \"%s\";\n", at("abs.conf"));
	put("main.conf", text);
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_from_string_name)
{
	struct jail_conf *c;
	char name[PATH_MAX];
	const char *src = ".include \"inc.conf\";\n";

	/* a string's name places its relative includes too */
	mkdir_test();
	put("inc.conf", "j { path = /j; }\n");
	snprintf(name, sizeof(name), "%s", at("virtual.conf"));
	c = parse_as(name, src, strlen(src), 0);
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "path"), "/j");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_glob_sorted)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	mkdir_test();
	mkd("conf.d");
	put("conf.d/b.conf", "b { path = /b; }\nexec.timeout = 2;\n");
	put("conf.d/a.conf", "a { path = /a; }\nexec.timeout = 1;\n");
	put("conf.d/c.txt", "= not read;\n");
	put("main.conf",
	    ".include \"conf.d/*.conf\";\n"
	    ".include \"conf.d/[x].conf\";\n"
	    ".include \"conf.d/*.none\";\n");
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_uint_eq(jail_conf_njails(c), 2);
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 0)), "a");
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 1)), "b");
	/* b.conf comes last, so its global statement wins */
	ck_assert_str_eq(get(c, "a", "exec.timeout"), "2");
	ck_assert_str_eq(get(c, "b", "exec.timeout"), "2");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_glob_no_directory)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	/*
	 * FreeBSD: "a glob may match nothing", even where its directory
	 * does not exist (glob(3) without GLOB_ERR).
	 */
	mkdir_test();
	put("main.conf", "j { path = /j; }\n.include \"none/*.conf\";\n");
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_int_eq(rc, 0);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_glob_error)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[3 * PATH_MAX];
	int rc;

	/* a directory that cannot be read (a symlink loop) */
	mkdir_test();
	ck_assert_int_eq(symlink("loop", at("loop")), 0);
	put("main.conf", "j { path = /j; }\n.include \"loop/*.conf\";\n");
	c = load("main.conf", &rc, &err);
	snprintf(want, sizeof(want), "%s:2: %s: %s\n", at("main.conf"),
	    at("loop/*.conf"), strerror(ELOOP));
	ck_assert_diags(c, want);
	ck_assert_int_eq(rc, -1);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_missing)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[3 * PATH_MAX];
	int rc;

	mkdir_test();
	put("main.conf", "j { path = /j; }\n.include \"missing.conf\";\n");
	c = load("main.conf", &rc, &err);
	snprintf(want, sizeof(want), "%s:2: %s: No such file or directory\n",
	    at("main.conf"), at("missing.conf"));
	ck_assert_diags(c, want);
	ck_assert_int_eq(rc, -1);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_directory)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[3 * PATH_MAX];
	int rc;

	mkdir_test();
	mkd("sub");
	put("main.conf", "j { path = /j; }\n.include \"sub\";\n");
	c = load("main.conf", &rc, &err);
	snprintf(want, sizeof(want), "%s:2: %s: Is a directory\n",
	    at("main.conf"), at("sub"));
	ck_assert_diags(c, want);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_loop)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[3 * PATH_MAX];
	int rc;

	mkdir_test();
	put("a.conf", "j { path = /j; }\n.include \"b.conf\";\n");
	put("b.conf", "exec.timeout = 1;\n\n.include \"a.conf\";\n");
	c = load("a.conf", &rc, &err);
	snprintf(want, sizeof(want), "%s:3: include loop: %s includes itself\n",
	    at("b.conf"), at("a.conf"));
	ck_assert_diags(c, want);
	ck_assert_int_eq(rc, -1);
	/* what was read before the loop stays */
	ck_assert_str_eq(get(c, "j", "exec.timeout"), "1");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_self)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[3 * PATH_MAX];
	int rc;

	mkdir_test();
	put("a.conf", "j { path = /j; }\n.include \"a.conf\";\n");
	c = load("a.conf", &rc, &err);
	snprintf(want, sizeof(want), "%s:2: include loop: %s includes itself\n",
	    at("a.conf"), at("a.conf"));
	ck_assert_diags(c, want);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_same_file_twice)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	/* not a loop: the same file side by side */
	mkdir_test();
	put("inc.conf", "exec.start += x;\n");
	put("main.conf",
	    "j { path = /j; }\n"
	    ".include \"inc.conf\";\n"
	    ".include \"inc.conf\";\n");
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_str_eq(getl(c, "j", "exec.start"), "x | x");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

/* f00.conf includes f01.conf ... which includes f<n>.conf, the last. */
static void
chain(int n)
{
	char name[32], text[64];
	int k;

	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "f%02d.conf", k);
		snprintf(text, sizeof(text), ".include \"f%02d.conf\";\n",
		    k + 1);
		put(name, text);
	}
	snprintf(name, sizeof(name), "f%02d.conf", n);
	put(name, "j { path = /j; }\n");
}

START_TEST(include_depth_32)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	/* FreeBSD allows 32 nested includes (MAX_INCLUDE_DEPTH) */
	mkdir_test();
	chain(32);
	c = load("f00.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "path"), "/j");
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_depth_33)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[PATH_MAX + 128];
	int rc;

	mkdir_test();
	chain(33);
	c = load("f00.conf", &rc, &err);
	snprintf(want, sizeof(want),
	    "%s:1: includes nested more than 32 deep\n", at("f32.conf"));
	ck_assert_diags(c, want);
	ck_assert_int_eq(rc, -1);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_variables_refused)
{
	ck_assert_str_eq(errors_of("$d = /etc;\n"
	                           "j { path = /j; }\n"
	                           ".include \"$d/jail.conf\";\n"),
	    "t.conf:3: variables are not permitted in an \".include\" file "
	    "name\n");
}
END_TEST

START_TEST(include_in_block)
{
	struct jail_conf *c;
	struct jail_error err;
	int rc;

	mkdir_test();
	put("main.conf",
	    "j {\n"
	    "\t.include \"j.conf\";\n"
	    "\texec.timeout = 4;\n"
	    "}\n"
	    "k { path = /k; }\n");
	put("j.conf", "path = /j;\nexec.start = in_j;\n");
	c = load("main.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "j", "path"), "/j");
	ck_assert_str_eq(get(c, "j", "exec.start"), "in_j");
	ck_assert_str_eq(get(c, "j", "exec.timeout"), "4");
	/* the statements went into j, not everywhere */
	ck_assert_ptr_null(get(c, "k", "exec.start"));
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(include_noinclude_flag)
{
	struct jail_conf *c;

	c = parse_flags(".include \"x.conf\";\nj { path = /j; }\n",
	    JAIL_CONF_NOINCLUDE);
	ck_assert_diags(c, "t.conf:1: \".include\" is not permitted here\n");
	ck_assert_int_eq(h_load_rc, -1);
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	jail_conf_free(c);
}
END_TEST

START_TEST(include_errors_in_included_file)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[4 * PATH_MAX];
	int rc;

	mkdir_test();
	put("main.conf", "= 1;\n.include \"x.conf\";\n= 3;\n");
	put("x.conf", "\n= 2;\n");
	c = load("main.conf", &rc, &err);
	/* by file, in the order read, then by line */
	snprintf(want, sizeof(want),
	    "%s:1: syntax error: expected a statement, found \"=\"\n"
	    "%s:3: syntax error: expected a statement, found \"=\"\n"
	    "%s:2: syntax error: expected a statement, found \"=\"\n",
	    at("main.conf"), at("main.conf"), at("x.conf"));
	ck_assert_diags(c, want);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(load_missing_file)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[PATH_MAX + 64];

	mkdir_test();
	c = jail_conf_new(0);
	ck_assert_ptr_nonnull(c);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(jail_conf_load(c, at("nope.conf"), &err), -1);
	ck_assert_int_eq(err.code, ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    at("nope.conf"));
	ck_assert_str_eq(err.msg, want);
	ck_assert_uint_eq(jail_conf_ndiags(c), 0);
	ck_assert_uint_eq(jail_conf_nerrors(c), 0);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

START_TEST(load_stdin)
{
	struct jail_conf *c;
	struct jail_error err;
	const char *text = "a { path = /a; }\n= 1;\n";
	int fds[2], saved;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fds[1]);
	saved = dup(STDIN_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	c = jail_conf_new(0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(jail_conf_load(c, "-", &err), -1);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	ck_assert_int_eq(jail_conf_resolve(c, &err), -1);
	ck_assert_diags(c,
	    "<stdin>:2: syntax error: expected a statement, "
	    "found \"=\"\n");
	ck_assert_str_eq(get(c, "a", "path"), "/a");
	jail_conf_free(c);
}
END_TEST

START_TEST(load_file_ok)
{
	struct jail_conf *c;
	struct jail_error err;
	char want[PATH_MAX + 128];
	int rc;

	mkdir_test();
	put("jail.conf", "www {\n\tpath = /var/jail/www;\n}\n");
	c = load("jail.conf", &rc, &err);
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "www", "path"), "/var/jail/www");
	jail_conf_free(c);
	/* diagnostics carry the file name as given */
	put("jail.conf", "www {\n\tpath = www;\n}\n");
	c = load("jail.conf", &rc, &err);
	snprintf(want, sizeof(want),
	    "%s:2: \"path\": \"www\" is not an absolute path\n",
	    at("jail.conf"));
	ck_assert_diags(c, want);
	ck_assert_int_eq(rc, -1);
	snprintf(want, sizeof(want),
	    "%s:2: \"path\": \"www\" is not an absolute path", at("jail.conf"));
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(err.code, 0);
	jail_conf_free(c);
	rmtree(dir);
}
END_TEST

Suite *
include_suite(void)
{
	Suite *s = suite_create("include");
	TCase *tc;

	tc = tcase_create("include");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_test(tc, include_relative);
	tcase_add_test(tc, include_absolute);
	tcase_add_test(tc, include_from_string_name);
	tcase_add_test(tc, include_glob_sorted);
	tcase_add_test(tc, include_glob_no_directory);
	tcase_add_test(tc, include_glob_error);
	tcase_add_test(tc, include_missing);
	tcase_add_test(tc, include_directory);
	tcase_add_test(tc, include_loop);
	tcase_add_test(tc, include_self);
	tcase_add_test(tc, include_same_file_twice);
	tcase_add_test(tc, include_depth_32);
	tcase_add_test(tc, include_depth_33);
	tcase_add_test(tc, include_variables_refused);
	tcase_add_test(tc, include_in_block);
	tcase_add_test(tc, include_noinclude_flag);
	tcase_add_test(tc, include_errors_in_included_file);
	tcase_add_test(tc, load_missing_file);
	tcase_add_test(tc, load_stdin);
	tcase_add_test(tc, load_file_ok);
	suite_add_tcase(s, tc);
	return s;
}
