/*
 * path.c: lexical cleaning of paths and the "inside" test.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "jailp.h"
#include "suites.h"

static void
clean_is(const char *in, const char *want)
{
	char *s = jail_path_clean(in);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(strcmp(s, want) == 0,
	    "jail_path_clean(\"%s\") = \"%s\", want \"%s\"", in, s, want);
	free(s);
}

START_TEST(clean_absolute)
{
	clean_is("/", "/");
	clean_is("//", "/");
	clean_is("///", "/");
	clean_is("/./", "/");
	clean_is("/a", "/a");
	clean_is("/a/", "/a");
	clean_is("//a/./b/", "/a/b");
	clean_is("//a//b//", "/a/b");
	clean_is("/a/./././b", "/a/b");
	clean_is("/var/jail/www", "/var/jail/www");
	clean_is("/.hidden/..x/.", "/.hidden/..x");
}
END_TEST

START_TEST(clean_keeps_dotdot)
{
	/* ".." depends on symlinks: kept as written */
	clean_is("/a/../b", "/a/../b");
	clean_is("/..", "/..");
	clean_is("/a/b/..", "/a/b/..");
	clean_is("/a/..//b/", "/a/../b");
}
END_TEST

START_TEST(clean_relative)
{
	clean_is("a/b", "a/b");
	clean_is("a/", "a");
	clean_is("./a", "a");
	clean_is("a//./b", "a/b");
	clean_is(".", ".");
	clean_is("./", ".");
	clean_is("", ".");
	clean_is("../a", "../a");
}
END_TEST

START_TEST(within)
{
	ck_assert_int_eq(jail_path_within("/a", "/a"), 1);
	ck_assert_int_eq(jail_path_within("/a", "/a/b"), 1);
	ck_assert_int_eq(jail_path_within("/a", "/a/b/c"), 1);
	ck_assert_int_eq(jail_path_within("/a", "/ab"), 0);
	ck_assert_int_eq(jail_path_within("/a", "/"), 0);
	ck_assert_int_eq(jail_path_within("/a/b", "/a"), 0);
	ck_assert_int_eq(jail_path_within("/a/b", "/a/c"), 0);
	ck_assert_int_eq(jail_path_within("/", "/"), 1);
	ck_assert_int_eq(jail_path_within("/", "/x"), 1);
	ck_assert_int_eq(jail_path_within("/", "x"), 0);
	ck_assert_int_eq(jail_path_within("/var/jail/a", "/var/jail/a/mnt"), 1);
	ck_assert_int_eq(jail_path_within("/var/jail/a", "/var/jail/ab/mnt"),
	    0);
}
END_TEST

Suite *
path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc;

	tc = tcase_create("path");
	tcase_add_test(tc, clean_absolute);
	tcase_add_test(tc, clean_keeps_dotdot);
	tcase_add_test(tc, clean_relative);
	tcase_add_test(tc, within);
	suite_add_tcase(s, tc);
	return s;
}
