/*
 * state.c: a jail's record under STATEDIR/NAME, its lock, and the spare
 * record directories a stop leaves in STATEDIR/.spare for the next start.
 *
 * Every test works in a scratch STATEDIR /tmp/jltest.state.XXXXXX made and
 * removed by a checked fixture (in the test's own process).
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

/* The bytes in the files of STATEDIR/.spare/\*, -1 if a non-file is there. */
static long
spare_bytes(void)
{
	char path[PATH_MAX];
	struct dirent *e, *f;
	struct stat sb;
	DIR *d, *d2;
	long n = 0;

	if ((d = opendir(tpath(sd, ".spare"))) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/.spare/%s", sd, e->d_name);
		if ((d2 = opendir(path)) == NULL) {
			n = -1;
			break;
		}
		while ((f = readdir(d2)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/.spare/%s/%s", sd,
			    e->d_name, f->d_name);
			if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
				n = -1;
			else if (n >= 0)
				n += sb.st_size;
		}
		closedir(d2);
	}
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
	ck_assert_int_eq(stat(tpath(sd, ".spare"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	/* nothing of the record is left in the spare: empty files only */
	ck_assert_int_eq(spare_bytes(), 0);
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

	ino_t dir;

	put("e", 555);
	dir = ino_of(tpath(sd, "e"));
	forget("e");
	lock = jail_state_lock(sd, "e", &je);
	ck_assert(lock >= 0);
	ck_assert(ino_of(tpath(sd, "e")) == dir); /* the spare, back */
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

/*
 * A reader holds no lock: a record file it opened may have become another
 * jail's (a spare) or be half written.  Another name's record reads as
 * empty; a record without its last line (end=1) of the right name, as
 * older versions wrote them, is taken as it is.
 */
START_TEST(read_checks_name)
{
	struct jail_state st;
	struct jail_error je;

	put("a", 11);
	put("b", 22);
	ck_assert_int_eq(rename(tpath(sd, "b/state"), tpath(sd, "a/state")), 0);
	ck_assert_int_eq(jail_state_read(sd, "a", &st, &je), 0);
	ck_assert_int_eq(st.pid, 0);
	ck_assert_str_eq(st.path, "");
	write_file(tpath(sd, "a/state"), "name=a\njid=3\npid=33\n");
	ck_assert_int_eq(jail_state_read(sd, "a", &st, &je), 0);
	ck_assert_int_eq(st.pid, 33);
	write_file(tpath(sd, "a/state"), "");
	ck_assert_int_eq(jail_state_read(sd, "a", &st, &je), 0);
	ck_assert_int_eq(st.pid, 0);
}
END_TEST

/* What is in .spare is taken only if it is what a stop leaves there. */
START_TEST(spare_junk_not_taken)
{
	struct jail_state st;
	struct jail_error je;
	int i;

	ck_assert_int_eq(mkdir(tpath(sd, ".spare"), 0700), 0);
	for (i = 0; i < 128; i++) {
		/* a directory holding a record, or a plain file */
		if (i % 2 == 0) {
			ck_assert_int_eq(mkdir(tpath(sd, ".spare/%d", i), 0700),
			    0);
			write_file(tpath(sd, ".spare/%d/state", i),
			    "name=j\npid=1\ncreated=1\npath=/etc\nend=1\n");
		} else
			write_file(tpath(sd, ".spare/%d", i), "junk\n");
	}
	put("j", 5);
	ck_assert_int_eq(jail_state_read(sd, "j", &st, &je), 0);
	ck_assert_int_eq(st.pid, 5);
	ck_assert_int_eq(st.created, 0);
	forget("j"); /* no free slot: removed */
	ck_assert_int_eq(access(tpath(sd, "j"), F_OK), -1);
	ck_assert_int_eq(entries(tpath(sd, ".spare")), 128);
}
END_TEST

/* A .spare that is a link, or that others may write, is not used. */
START_TEST(spare_link_not_used)
{
	char other[64];

	strlcpy(other, "/tmp/jltest.state-o.XXXXXX", sizeof(other));
	ck_assert_ptr_nonnull(mkdtemp(other));
	ck_assert_int_eq(symlink(other, tpath(sd, ".spare")), 0);
	put("k", 1);
	forget("k");
	ck_assert_int_eq(access(tpath(sd, "k"), F_OK), -1);
	ck_assert_int_eq(entries(other), 0);
	rm_tree(other);
	ck_assert_int_eq(unlink(tpath(sd, ".spare")), 0);
	ck_assert_int_eq(mkdir(tpath(sd, ".spare"), 0777), 0);
	ck_assert_int_eq(chmod(tpath(sd, ".spare"), 0777), 0);
	put("k", 1);
	forget("k");
	ck_assert_int_eq(entries(tpath(sd, ".spare")), 0);
}
END_TEST

/*
 * A waiter whose directory goes to .spare while it waits locks the
 * directory that is at the name when it gets the lock.
 */
START_TEST(waiter_follows_name)
{
	struct jail_error je;
	struct stat a, b;
	int lock, st, p[2];
	pid_t pid;

	lock = jail_state_lock(sd, "w", &je);
	ck_assert(lock >= 0);
	ck_assert_int_eq(pipe(p), 0);
	if ((pid = fork()) == 0) {
		int fd;

		close(p[0]);
		close(lock);
		if (write(p[1], "x", 1) != 1)
			_exit(3);
		fd = jail_state_lock(sd, "w", &je);
		if (fd == -1)
			_exit(2);
		_exit(fstat(fd, &a) == 0 && stat(tpath(sd, "w"), &b) == 0 &&
		            a.st_ino == b.st_ino
		        ? 0
		        : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &st, 1), 1);
	usleep(100000); /* the child waits in flock() */
	ck_assert_int_eq(jail_state_remove(sd, "w", &je), 0);
	ck_assert_int_eq(entries(tpath(sd, ".spare")), 1);
	close(lock);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
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
	tcase_add_test(tc, read_checks_name);
	tcase_add_test(tc, spare_junk_not_taken);
	tcase_add_test(tc, spare_link_not_used);
	tcase_add_test(tc, waiter_follows_name);
	suite_add_tcase(s, tc);
	return s;
}
