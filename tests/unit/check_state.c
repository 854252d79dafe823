/*
 * state.c: a jail's record under STATEDIR/NAME, its lock, and the spare
 * record directories a stop leaves in STATEDIR/.spare for the next start.
 *
 * Every test works in a scratch STATEDIR /tmp/jltest.state.XXXXXX made and
 * removed by an unchecked fixture.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "jailp.h"
#include "suites.h"

static char sd[64];

static void
setup(void)
{
	strlcpy(sd, "/tmp/jltest.state.XXXXXX", sizeof(sd));
	if (mkdtemp(sd) == NULL)
		abort();
}

static void
teardown(void)
{
	rm_tree(sd);
}

static ino_t
ino_of(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_ino : 0;
}

/* The entries of dir (not . and ..), or -1 when it is missing. */
static int
entries(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Lock, write a record with pid, unlock. */
static void
put(const char *name, pid_t pid)
{
	struct jail_state st;
	struct jail_error je;
	int lock;

	lock = jail_state_lock(sd, name, &je);
	ck_assert_msg(lock >= 0, "lock %s: %s", name, je.msg);
	memset(&st, 0, sizeof(st));
	st.pid = pid;
	st.jid = 7;
	strlcpy(st.path, "/srv/j", sizeof(st.path));
	ck_assert_int_eq(jail_state_write(sd, name, &st, &je), 0);
	close(lock);
}

/* Lock, forget the record, unlock. */
static void
forget(const char *name)
{
	struct jail_error je;
	int lock;

	lock = jail_state_lock(sd, name, &je);
	ck_assert_msg(lock >= 0, "lock %s: %s", name, je.msg);
	ck_assert_int_eq(jail_state_remove(sd, name, &je), 0);
	close(lock);
}

START_TEST(write_read_back)
{
	struct jail_state st;
	struct jail_error je;

	put("a", 1234);
	ck_assert_int_eq(jail_state_read(sd, "a", &st, &je), 0);
	ck_assert_int_eq(st.pid, 1234);
	ck_assert_int_eq(st.jid, 7);
	ck_assert_str_eq(st.path, "/srv/j");
	/* a second write replaces the first whole */
	put("a", 99);
	ck_assert_int_eq(jail_state_read(sd, "a", &st, &je), 0);
	ck_assert_int_eq(st.pid, 99);
}
END_TEST

/* Writes swap two inodes: the old record becomes the next temporary file. */
START_TEST(writes_make_no_inode)
{
	ino_t a, b;
	int i;

	put("w", 1);
	put("w", 2);
	a = ino_of(tpath(sd, "w/state"));
	b = ino_of(tpath(sd, "w/state.tmp"));
	ck_assert(a != 0 && b != 0 && a != b);
	for (i = 3; i < 8; i++) {
		put("w", i);
		ck_assert(ino_of(tpath(sd, "w/state")) == (i % 2 ? b : a));
		ck_assert(ino_of(tpath(sd, "w/state.tmp")) == (i % 2 ? a : b));
	}
}
END_TEST

/* A forgotten record leaves no NAME, and its emptied directory is reused. */
START_TEST(forget_keeps_spare)
{
	struct jail_state st;
	struct jail_error je;
	struct stat sb;
	ino_t dir;

	put("s", 4321);
	dir = ino_of(tpath(sd, "s"));
	forget("s");
	ck_assert_int_eq(stat(tpath(sd, "s"), &sb), -1);
	ck_assert_int_eq(entries(tpath(sd, ".spare")), 1);
	/* nothing of the record is left in the spare */
	ck_assert_int_eq(jail_state_read(sd, "s", &st, &je), 0);
	ck_assert_int_eq(st.pid, 0);
	/* the next start takes the spare: the same directory */
	put("s", 1);
	ck_assert(ino_of(tpath(sd, "s")) == dir);
	ck_assert_int_eq(entries(tpath(sd, ".spare")), 0);
	ck_assert_int_eq(jail_state_read(sd, "s", &st, &je), 0);
	ck_assert_int_eq(st.pid, 1);
	ck_assert_str_eq(st.path, "/srv/j");
}
END_TEST

/* A spare once taken and read before any write is an empty record. */
START_TEST(spare_reads_empty)
{
	struct jail_state st;
	struct jail_error je;
	int lock;

	put("e", 555);
	forget("e");
	lock = jail_state_lock(sd, "e", &je);
	ck_assert(lock >= 0);
	ck_assert_int_eq(jail_state_read(sd, "e", &st, &je), 0);
	ck_assert_int_eq(st.pid, 0);
	ck_assert_int_eq(st.jid, 0);
	ck_assert_str_eq(st.path, "");
	close(lock);
	forget("e");
}
END_TEST

/* Without a place for spares the directory goes, as before. */
START_TEST(no_spare_place_removes)
{
	struct stat sb;

	write_file(tpath(sd, ".spare"), "not a directory\n");
	put("r", 1);
	forget("r");
	ck_assert_int_eq(stat(tpath(sd, "r"), &sb), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat(tpath(sd, ".spare"), &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
}
END_TEST

/* Many jails: spares stay bounded, and every name starts and stops. */
START_TEST(many_bounded)
{
	char name[16];
	int i, round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < 300; i++) {
			snprintf(name, sizeof(name), "m%d", i);
			put(name, i + 1);
		}
		for (i = 0; i < 300; i++) {
			snprintf(name, sizeof(name), "m%d", i);
			forget(name);
		}
	}
	ck_assert_int_le(entries(tpath(sd, ".spare")), 128);
	ck_assert_int_gt(entries(tpath(sd, ".spare")), 0);
	/* only the spares and nothing else */
	ck_assert_int_eq(entries(sd), 1);
}
END_TEST

/* The lock is on the directory at NAME, whichever it is now. */
START_TEST(lock_excludes)
{
	struct jail_error je;
	int a, b;

	a = jail_state_lock(sd, "l", &je);
	ck_assert(a >= 0);
	ck_assert_int_eq(jail_state_trylock(sd, "l"), -1);
	close(a);
	b = jail_state_trylock(sd, "l");
	ck_assert(b >= 0);
	close(b);
}
END_TEST

Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("records");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, write_read_back);
	tcase_add_test(tc, writes_make_no_inode);
	tcase_add_test(tc, forget_keeps_spare);
	tcase_add_test(tc, spare_reads_empty);
	tcase_add_test(tc, no_spare_place_removes);
	tcase_add_test(tc, many_bounded);
	tcase_add_test(tc, lock_excludes);
	suite_add_tcase(s, tc);
	return s;
}
