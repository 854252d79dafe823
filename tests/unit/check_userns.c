/*
 * userns.c: id maps, subuid ranges, userns = auto, and on the real kernel
 * the maps written for a process, idmapped mounts and the shift of a
 * copied tree.
 *
 * Every test works in a scratch directory /tmp/jltest.userns.XXXXXX made
 * and removed by an unchecked fixture (it runs in the runner's process, so
 * the teardown happens even when a test fails).  Tests that mount first
 * move into a private mount namespace of their own, so their mounts die
 * with the test's process.  The kernel tests need root; they pass
 * without checking anything when not run as root.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <linux/capability.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "jailp.h"
#include "suites.h"
#include "userns.h"

static char base[64];       /* the suite's */
static char tdir[PATH_MAX]; /* the test's, inside base */

static void
setup(void)
{
	strlcpy(base, "/tmp/jltest.userns.XXXXXX", sizeof(base));
	if (mkdtemp(base) == NULL || chmod(base, 0755) == -1)
		abort();
}

static void
teardown(void)
{
	rm_tree(base);
}

/* Each test in a directory of its own, that jail ids may reach. */
static void
test_setup(void)
{
	snprintf(tdir, sizeof(tdir), "%s/t.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	ck_assert_int_eq(chmod(tdir, 0755), 0);
}

/* A path under tdir, in one of a few static buffers. */
#define P(...) tpath(tdir, __VA_ARGS__)

/* Mounts from here on die with the test's process. */
static void
private_mounts(void)
{
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
}

static void
tmpfs_at(const char *path)
{
	mkdir_ok(path, 0755);
	ck_assert_msg(mount("jltest", path, "tmpfs", 0, "mode=0755") == 0,
	    "tmpfs on %s: %s", path, strerror(errno));
}

static void
own(const char *path, uid_t uid, gid_t gid)
{
	ck_assert_msg(lchown(path, uid, gid) == 0, "chown %s: %s", path,
	    strerror(errno));
}

static uid_t
uid_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return st.st_uid;
}

static gid_t
gid_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return st.st_gid;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

static void
line1(struct jail_idmap *v, uint32_t in, uint32_t out, uint32_t count)
{
	v->inside = in;
	v->outside = out;
	v->count = count;
}

/* "0 100000 65536" on both sides. */
static void
std_maps(struct jail_idmaps *m)
{
	memset(m, 0, sizeof(*m));
	line1(&m->uid[0], 0, 100000, 65536);
	line1(&m->gid[0], 0, 100000, 65536);
	m->nuid = m->ngid = 1;
}

#define NEED_ROOT()                                                            \
	do {                                                                   \
		if (geteuid() != 0)                                            \
			return;                                                \
	} while (0)

/* subuid(5) text. */

START_TEST(subid_parse)
{
	struct jail_idrange r[8];
	const char *text = "# a comment\n"
	                   "\n"
	                   "root:100000:65536\n"
	                   "bob:300000:65536\n"
	                   "0:200000:65536\n"
	                   "   # indented comment\n"
	                   "root:bad:1\n"
	                   "root:1:0\n"
	                   "root:4294967295:2\n"
	                   "root:5:6:7\n"
	                   "root:500000\n"
	                   "root::5\n"
	                   ":600000:5\n"
	                   "rootx:700000:5\n"
	                   "roo:710000:5\n"
	                   "00:720000:5\n"
	                   "root:99999999999:1\n"
	                   "  root:400000:10  \r\n"
	                   "root:4294967286:10"; /* no final newline */
	size_t n;

	n = jail_subid_parse(text, "root", 0, r, 8);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(r[0].start, 100000);
	ck_assert_uint_eq(r[0].count, 65536);
	ck_assert_uint_eq(r[1].start, 200000);
	ck_assert_uint_eq(r[2].start, 720000); /* "00" is uid 0 */
	ck_assert_uint_eq(r[3].start, 400000);
	ck_assert_uint_eq(r[3].count, 10);
	ck_assert_uint_eq(r[4].start, 4294967286U); /* ends at 2^32 */

	/* by name only, by number only, none, and more than max */
	ck_assert_uint_eq(jail_subid_parse(text, "bob", 4242, r, 8), 1);
	ck_assert_uint_eq(r[0].start, 300000);
	ck_assert_uint_eq(jail_subid_parse(text, NULL, 0, r, 8), 2);
	ck_assert_uint_eq(jail_subid_parse(text, "nobody", 65534, r, 8), 0);
	ck_assert_uint_eq(jail_subid_parse("", "root", 0, r, 8), 0);
	ck_assert_uint_eq(jail_subid_parse(text, "root", 0, r, 2), 5);
	ck_assert_uint_eq(r[1].start, 200000);
}
END_TEST

START_TEST(subid_read)
{
	struct jail_idrange r[4];
	struct jail_error je;
	char used[PATH_MAX];

	write_file(P("subuid"), "root:100000:65536\nu:1:2\n");
	write_file(P("subgid"), "0:300000:65536\n");
	ck_assert_int_eq(jail_subid_read(P("subuid"), 0, "root", 0, r, 4, used,
	                     &je),
	    1);
	ck_assert_str_eq(used, P("subuid"));
	ck_assert_uint_eq(r[0].start, 100000);

	/* the environment, for each kind */
	setenv("JAILCTL_SUBUID", P("subgid"), 1);
	setenv("JAILCTL_SUBGID", P("nothere"), 1);
	ck_assert_int_eq(jail_subid_read(NULL, 0, "root", 0, r, 4, used, &je),
	    1);
	ck_assert_str_eq(used, P("subgid"));
	ck_assert_uint_eq(r[0].start, 300000);
	ck_assert_int_eq(jail_subid_read(NULL, 1, "root", 0, r, 4, used, &je),
	    0); /* missing: no ranges */
	unsetenv("JAILCTL_SUBUID");
	unsetenv("JAILCTL_SUBGID");
	ck_assert_int_eq(jail_subid_read(NULL, 1, "root", 0, r, 4, used, &je) >=
	        0,
	    1);
	ck_assert_str_eq(used, "/etc/subgid");

	/* a directory does not read */
	ck_assert_int_eq(jail_subid_read(tdir, 0, "root", 0, r, 4, NULL, &je),
	    -1);
	ck_assert_int_eq(je.code, EISDIR);
	ck_assert_ptr_nonnull(strstr(je.msg, tdir));
}
END_TEST

/* The maps in text, as a state record keeps them. */

START_TEST(maps_text)
{
	struct jail_idmaps m, back;
	char buf[256];

	std_maps(&m);
	line1(&m.uid[1], 65536, 300000, 10);
	m.nuid = 2;
	ck_assert_int_eq(jail_idmaps_text(&m, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0 100000 65536,65536 300000 10");
	ck_assert_int_eq(jail_idmaps_text(&m, 1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0 100000 65536");
	ck_assert_int_eq(jail_idmaps_text(&m, 0, buf, 10), -1);

	ck_assert_int_eq(jail_idmaps_scan("0 100000 65536,65536 300000 10",
	                     "0 100000 65536", &back),
	    0);
	ck_assert_int_eq(back.nuid, 2);
	ck_assert_int_eq(back.ngid, 1);
	ck_assert_uint_eq(back.uid[1].outside, 300000);
	ck_assert_uint_eq(back.uid[1].count, 10);
	ck_assert_int_eq(jail_idmaps_scan(NULL, "", &back), 0);
	ck_assert_int_eq(back.nuid + back.ngid, 0);
	ck_assert_int_eq(jail_idmaps_scan("0 1", NULL, &back), -1);
	ck_assert_int_eq(jail_idmaps_scan("0 1 1,", NULL, &back), -1);
	ck_assert_int_eq(jail_idmaps_scan("0 1 1,1 2 1,2 3 1,3 4 1,4 5 1,5 6 1",
	                     NULL, &back),
	    -1); /* six lines */
}
END_TEST

/* From a resolved jail. */

START_TEST(maps_of_jail)
{
	struct jail_conf *c;
	struct jail_idmaps m;
	struct jail_error je;
	int mode;

	c = parse("a { path = /a; userns.uidmap = \"0 100000 65536\", "
	          "\"65536 300000 1\"; userns.gidmap = \"0 200000 65536\"; }\n"
	          "b { path = /b; userns; }\n"
	          "c { path = /c; }\n"
	          "d { path = /d; nouserns; }\n"
	          "e { path = /e; userns = auto; userns.uidmap = \"0 400000 "
	          "10\"; userns.gidmap = \"0 400000 10\"; }\n");
	ck_assert_clean(c);
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "a"), &m, &mode, &je),
	    0);
	ck_assert_int_eq(mode, JAIL_USERNS_MAP);
	ck_assert_int_eq(m.nuid, 2);
	ck_assert_int_eq(m.ngid, 1);
	ck_assert_uint_eq(m.uid[1].inside, 65536);
	ck_assert_uint_eq(m.uid[1].outside, 300000);
	ck_assert_uint_eq(m.gid[0].outside, 200000);
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "b"), &m, &mode, &je),
	    0);
	ck_assert_int_eq(mode, JAIL_USERNS_AUTO);
	ck_assert_int_eq(m.nuid + m.ngid, 0);
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "c"), &m, &mode, &je),
	    0);
	ck_assert_int_eq(mode, JAIL_USERNS_NONE);
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "d"), &m, &mode, &je),
	    0);
	ck_assert_int_eq(mode, JAIL_USERNS_NONE);
	/* explicit maps win over "auto" */
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "e"), &m, &mode, &je),
	    0);
	ck_assert_int_eq(mode, JAIL_USERNS_MAP);
	ck_assert_uint_eq(m.uid[0].outside, 400000);
	jail_conf_free(c);

	/* too many lines for a jail_idmaps */
	c = parse("a { path = /a; userns.uidmap = \"0 100000 1\", \"1 100001 "
	          "1\", \"2 100002 1\", \"3 100003 1\", \"4 100004 1\", \"5 "
	          "100005 1\"; userns.gidmap = \"0 100000 1\"; }\n");
	ck_assert_clean(c);
	ck_assert_int_eq(jail_idmaps_of(jail_conf_find(c, "a"), &m, &mode, &je),
	    -1);
	ck_assert_str_eq(je.msg, "\"userns.uidmap\" has 6 lines, at most 5");
	jail_conf_free(c);
}
END_TEST

/* userns = auto */

static struct jail_idused
used1(const char *name, uint32_t out, uint32_t count)
{
	struct jail_idused u;

	memset(&u, 0, sizeof(u));
	u.name = name;
	line1(&u.m.uid[0], 0, out, count);
	line1(&u.m.gid[0], 0, out, count);
	u.m.nuid = u.m.ngid = 1;
	return u;
}

START_TEST(auto_lowest)
{
	struct jail_idrange sub[2] = { { 300000, 131072 }, { 100000, 131072 } };
	struct jail_idused used[3];
	struct jail_idmaps m;
	struct jail_error je;

	/* nothing used: the lowest start of all ranges */
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, NULL, 0, NULL,
	                     &m, &je),
	    0);
	ck_assert_int_eq(m.nuid, 1);
	ck_assert_int_eq(m.ngid, 1);
	ck_assert_uint_eq(m.uid[0].inside, 0);
	ck_assert_uint_eq(m.uid[0].outside, 100000);
	ck_assert_uint_eq(m.uid[0].count, 65536);
	ck_assert_uint_eq(m.gid[0].outside, 100000);

	/* the first slot taken: the next */
	used[0] = used1("a", 100000, 65536);
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, used, 1, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 165536);

	/* an odd range that overlaps: right after it */
	used[0] = used1("a", 90000, 10011);
	used[1] = used1("b", 100010, 5);
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, used, 2, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 100015);

	/* the jail's own record does not count against it */
	used[0] = used1("j", 100000, 65536);
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, used, 1, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 100000);

	/* uid and gid apart: only a's gid map is in the way */
	used[0] = used1("a", 100000, 65536);
	used[0].m.nuid = 0;
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, used, 1, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 100000);
	ck_assert_uint_eq(m.gid[0].outside, 165536);

	/* the first range full, a gap too small in it: the second range */
	used[0] = used1("a", 100000, 65536);
	used[1] = used1("b", 165537, 10);
	used[2] = used1("c", 300000, 1);
	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, used, 3, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 300001);
}
END_TEST

START_TEST(auto_merge_and_zero)
{
	/* two lines that touch hold one jail across them */
	struct jail_idrange sub[2] = { { 100000, 40000 }, { 140000, 40000 } };
	struct jail_idrange zero[1] = { { 0, 65537 } };
	struct jail_idmaps m;
	struct jail_error je;

	ck_assert_int_eq(jail_userns_pick("j", sub, 2, sub, 2, NULL, 0, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 100000);
	/* a range from 0: host id 0 is skipped */
	ck_assert_int_eq(jail_userns_pick("j", zero, 1, zero, 1, NULL, 0, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 1);
	zero[0].count = 65536;
	ck_assert_int_eq(jail_userns_pick("j", zero, 1, zero, 1, NULL, 0, NULL,
	                     &m, &je),
	    -1);
}
END_TEST

START_TEST(auto_none_free)
{
	struct jail_idrange sub[1] = { { 100000, 131071 } };
	struct jail_idused used[1];
	struct jail_idmaps m;
	struct jail_error je;

	used[0] = used1("a", 100000, 1);
	ck_assert_int_eq(jail_userns_pick("j", sub, 1, sub, 1, used, 1, NULL,
	                     &m, &je),
	    0);
	ck_assert_uint_eq(m.uid[0].outside, 100001);
	used[0] = used1("a", 165535, 1); /* 65535 free on each side */
	ck_assert_int_eq(jail_userns_pick("j", sub, 1, sub, 1, used, 1, NULL,
	                     &m, &je),
	    -1);
	ck_assert_str_eq(je.msg,
	    "userns = auto: no free 65536-id range in /etc/subuid for root");
	sub[0].count = 65535;
	ck_assert_int_eq(jail_userns_pick("j", sub, 1, sub, 1, NULL, 0, NULL,
	                     &m, &je),
	    -1);
	ck_assert_str_eq(je.msg,
	    "userns = auto: no free 65536-id range in /etc/subuid for root");
	ck_assert_int_eq(jail_userns_pick("j", NULL, 0, sub, 1, NULL, 0, NULL,
	                     &m, &je),
	    -1);
	ck_assert_str_eq(je.msg,
	    "userns = auto: no range for root in "
	    "/etc/subuid");
}
END_TEST

/* jail_userns_auto() reads the files the environment names. */
START_TEST(auto_files)
{
	struct jail_idused used[1];
	struct jail_idmaps m;
	struct jail_error je;
	char want[PATH_MAX + 64];

	write_file(P("subuid"), "bob:100000:65536\n0:200000:131072\n");
	write_file(P("subgid"), "root:300000:65536\n");
	setenv("JAILCTL_SUBUID", P("subuid"), 1);
	setenv("JAILCTL_SUBGID", P("subgid"), 1);
	used[0] = used1("x", 200000, 65536);
	ck_assert_int_eq(jail_userns_auto("j", used, 1, &m, &je), 0);
	ck_assert_uint_eq(m.uid[0].outside, 265536);
	ck_assert_uint_eq(m.gid[0].outside, 300000);

	/* the gid range is x's too now */
	used[0].m.gid[0].outside = 300000;
	ck_assert_int_eq(jail_userns_auto("j", used, 1, &m, &je), -1);
	snprintf(want, sizeof(want),
	    "userns = auto: no free 65536-id range in %s for root",
	    P("subgid"));
	ck_assert_str_eq(je.msg, want);

	/* no entry for root */
	write_file(P("subuid"), "bob:100000:65536\n");
	ck_assert_int_eq(jail_userns_auto("j", NULL, 0, &m, &je), -1);
	snprintf(want, sizeof(want), "userns = auto: no range for root in %s",
	    P("subuid"));
	ck_assert_str_eq(je.msg, want);
	unsetenv("JAILCTL_SUBUID");
	unsetenv("JAILCTL_SUBGID");
}
END_TEST

/* Explicit maps against the other jails'. */

START_TEST(check_overlap)
{
	struct jail_idused used[2];
	struct jail_idmaps m;
	struct jail_error je;

	used[0] = used1("a", 100000, 65536);
	used[1] = used1("b", 300000, 10);
	std_maps(&m);
	line1(&m.uid[0], 0, 165536, 65536);
	line1(&m.gid[0], 0, 165536, 65536);
	ck_assert_int_eq(jail_userns_check("j", &m, used, 2, &je), 0);

	line1(&m.uid[0], 0, 165535, 65536); /* one id of a's */
	ck_assert_int_eq(jail_userns_check("j", &m, used, 2, &je), -1);
	ck_assert_str_eq(je.msg,
	    "\"userns.uidmap\" = \"0 165535 65536\" overlaps the map of jail "
	    "\"a\" (\"0 100000 65536\")");
	/* its own record is not another jail's */
	ck_assert_int_eq(jail_userns_check("a", &m, used, 2, &je), 0);

	line1(&m.uid[0], 0, 165536, 65536);
	line1(&m.gid[1], 65536, 300009, 1); /* b's last gid */
	m.ngid = 2;
	ck_assert_int_eq(jail_userns_check("j", &m, used, 2, &je), -1);
	ck_assert_str_eq(je.msg,
	    "\"userns.gidmap\" = \"65536 300009 1\" overlaps the map of jail "
	    "\"b\" (\"0 300000 10\")");

	m.ngid = 1;
	line1(&m.uid[0], 0, 0, 1);
	ck_assert_int_eq(jail_userns_check("j", &m, NULL, 0, &je), -1);
	ck_assert_str_eq(je.msg,
	    "\"userns.uidmap\" = \"0 0 1\" maps host id 0 (root) into the "
	    "jail");
}
END_TEST

/* The kernel: maps written for a child that unshared CLONE_NEWUSER. */

static void say(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	ssize_t w;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w = write(fd, buf, strlen(buf));
	(void)w;
}

/* /proc/self/FILE with its runs of blanks squeezed to one space. */
static void
squeezed(const char *file, char *out, size_t len)
{
	char raw[512];
	ssize_t n;
	size_t i, o = 0;
	int fd;

	out[0] = '\0';
	if ((fd = open(file, O_RDONLY)) == -1)
		return;
	n = read(fd, raw, sizeof(raw) - 1);
	close(fd);
	if (n <= 0)
		return;
	for (i = 0; i < (size_t)n && o + 1 < len; i++) {
		if (raw[i] == ' ' &&
		    (o == 0 || out[o - 1] == ' ' || out[o - 1] == '\n'))
			continue;
		if (raw[i] == '\n' && o > 0 && out[o - 1] == ' ')
			o--;
		out[o++] = raw[i];
	}
	out[o] = '\0';
}

/*
 * Fork a child that unshares the user namespace, write m for it, let it
 * run fn, and return what it said ("ok" when all went well).
 */
static const char *
in_new_userns(const struct jail_idmaps *m, void (*fn)(int), int *wrc,
    struct jail_error *je)
{
	static char said[1024];
	int ready[2], go[2], res[2];
	ssize_t n;
	pid_t pid;
	int status;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(res), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		close(res[0]);
		if (unshare(CLONE_NEWUSER) == -1) {
			say(res[1], "unshare: %s", strerror(errno));
			_exit(1);
		}
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		fn(res[1]);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	close(res[1]);
	said[0] = '\0';
	if (read(ready[0], &c, 1) == 1) {
		*wrc = jail_userns_write_maps(pid, m, je);
		ck_assert_int_eq(write(go[1], "g", 1), 1);
		n = read(res[0], said, sizeof(said) - 1);
		said[n > 0 ? n : 0] = '\0';
	}
	close(ready[0]);
	close(go[1]);
	close(res[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return said;
}

static char file_to_make[PATH_MAX];

static void
child_root(int fd)
{
	char buf[512];
	int f;

	if (setresgid(0, 0, 0) == -1 || setresuid(0, 0, 0) == -1) {
		say(fd, "setresuid: %s", strerror(errno));
		return;
	}
	if (getuid() != 0 || geteuid() != 0 || getgid() != 0) {
		say(fd, "uid %d gid %d", (int)getuid(), (int)getgid());
		return;
	}
	squeezed("/proc/self/uid_map", buf, sizeof(buf));
	if (strcmp(buf, "0 100000 1000\n1000 200000 10\n") != 0) {
		say(fd, "uid_map: %s", buf);
		return;
	}
	squeezed("/proc/self/gid_map", buf, sizeof(buf));
	if (strcmp(buf, "0 100000 65536\n") != 0) {
		say(fd, "gid_map: %s", buf);
		return;
	}
	squeezed("/proc/self/setgroups", buf, sizeof(buf));
	if (strcmp(buf, "allow\n") != 0) {
		say(fd, "setgroups: %s", buf);
		return;
	}
	if (setgroups(0, NULL) == -1) {
		say(fd, "setgroups(2): %s", strerror(errno));
		return;
	}
	if ((f = open(file_to_make, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1) {
		say(fd, "%s: %s", file_to_make, strerror(errno));
		return;
	}
	close(f);
	if (setresuid(1005, 1005, 1005) == -1) {
		say(fd, "setresuid(1005): %s", strerror(errno));
		return;
	}
	strlcat(file_to_make, "2", sizeof(file_to_make));
	if ((f = open(file_to_make, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1) {
		say(fd, "%s: %s", file_to_make, strerror(errno));
		return;
	}
	close(f);
	say(fd, "ok");
}

START_TEST(write_maps)
{
	struct jail_idmaps m;
	struct jail_error je;
	const char *said;
	int wrc = -2;

	NEED_ROOT();
	private_mounts();
	tmpfs_at(P("t"));
	ck_assert_int_eq(chmod(P("t"), 01777), 0);
	std_maps(&m);
	line1(&m.uid[0], 0, 100000, 1000);
	line1(&m.uid[1], 1000, 200000, 10);
	m.nuid = 2;
	strlcpy(file_to_make, P("t/f"), sizeof(file_to_make));
	said = in_new_userns(&m, child_root, &wrc, &je);
	ck_assert_msg(wrc == 0, "write_maps: %s", je.msg);
	ck_assert_str_eq(said, "ok");
	ck_assert_uint_eq(uid_of(P("t/f")), 100000);
	ck_assert_uint_eq(gid_of(P("t/f")), 100000);
	ck_assert_uint_eq(uid_of(P("t/f2")), 200005); /* inside 1005 */
}
END_TEST

static void
child_nothing(int fd)
{
	say(fd, "ok");
}

START_TEST(write_maps_refused)
{
	struct jail_idmaps m;
	struct jail_error je;
	int wrc = -2;

	NEED_ROOT();
	/* overlapping inside ranges: the kernel says no, we say where */
	std_maps(&m);
	line1(&m.uid[1], 10, 300000, 10);
	m.nuid = 2;
	in_new_userns(&m, child_nothing, &wrc, &je);
	ck_assert_int_eq(wrc, -1);
	ck_assert_int_eq(je.code, EINVAL);
	ck_assert_ptr_nonnull(strstr(je.msg, "/uid_map"));

	/* a process that is gone */
	std_maps(&m);
	ck_assert_int_eq(jail_userns_write_maps(INT_MAX - 1, &m, &je), -1);
	ck_assert_int_eq(je.code, ENOENT);
}
END_TEST

/* Idmapped mounts. */

static int mntfd_ns = -1;
static const char *mnt_dst;

static void
child_sees(int fd)
{
	char p[PATH_MAX];
	struct stat st;
	int f;

	if (setns(mntfd_ns, CLONE_NEWUSER) == -1 || setresgid(0, 0, 0) == -1 ||
	    setresuid(0, 0, 0) == -1) {
		say(fd, "setns: %s", strerror(errno));
		return;
	}
	snprintf(p, sizeof(p), "%s/a", mnt_dst);
	if (stat(p, &st) == -1 || st.st_uid != 0 || st.st_gid != 0) {
		say(fd, "%s: uid %d", p, (int)st.st_uid);
		return;
	}
	snprintf(p, sizeof(p), "%s/c", mnt_dst);
	if (stat(p, &st) == -1 || st.st_uid != 1000) {
		say(fd, "%s: uid %d", p, (int)st.st_uid);
		return;
	}
	snprintf(p, sizeof(p), "%s/new", mnt_dst);
	if ((f = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1) {
		say(fd, "%s: %s", p, strerror(errno));
		return;
	}
	close(f);
	say(fd, "ok");
}

/* Mount src idmapped on dst, and look at it from both sides. */
static void
idmapped(const char *src, const char *dst)
{
	struct jail_idmaps m;
	struct jail_error je;
	int ufd, mfd, status;
	pid_t pid;
	char res[256];
	int p[2];
	ssize_t n;

	write_file(P("%s/a", src), "a");
	write_file(P("%s/b", src), "b");
	write_file(P("%s/c", src), "c");
	own(P("%s/b", src), 100000, 100000);
	own(P("%s/c", src), 1000, 1000);
	mkdir_ok(P("%s", dst), 0755);
	std_maps(&m);
	ufd = jail_userns_open(&m, &je);
	ck_assert_msg(ufd >= 0, "userns_open: %s", je.msg);
	mfd = jail_idmap_mount_fd(P("%s", src), ufd, &je);
	ck_assert_msg(mfd >= 0, "idmap_mount_fd: %s", je.msg);
	ck_assert_int_eq(move_mount(mfd, "", AT_FDCWD, P("%s", dst),
	                     MOVE_MOUNT_F_EMPTY_PATH),
	    0);
	close(mfd);

	/* the host's view: disk id N is what inside N is on the host */
	ck_assert_uint_eq(uid_of(P("%s/a", dst)), 100000);
	ck_assert_uint_eq(gid_of(P("%s/a", dst)), 100000);
	ck_assert_uint_eq(uid_of(P("%s/c", dst)), 101000);
	ck_assert_uint_eq(uid_of(P("%s/b", dst)), 65534); /* unmapped */
	ck_assert_uint_eq(uid_of(P("%s/a", src)), 0);

	/* the jail's view, and what it writes lands as root's on disk */
	mntfd_ns = ufd;
	mnt_dst = P("%s", dst);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		child_sees(p[1]);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], res, sizeof(res) - 1);
	res[n > 0 ? n : 0] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_str_eq(res, "ok");
	ck_assert_uint_eq(uid_of(P("%s/new", src)), 0);
	ck_assert_uint_eq(uid_of(P("%s/new", dst)), 100000);
	close(ufd);
}

START_TEST(idmap_mount_tmpfs)
{
	NEED_ROOT();
	private_mounts();
	tmpfs_at(P("src"));
	idmapped("src", "dst");
}
END_TEST

START_TEST(idmap_mount_ext4)
{
	NEED_ROOT();
	private_mounts();
	/* a directory of /tmp's file system (ext4 here), not a mount root */
	mkdir_ok(P("src"), 0755);
	idmapped("src", "dst");
}
END_TEST

START_TEST(idmap_mount_errors)
{
	struct jail_idmaps m;
	struct jail_error je;
	int ufd, fd;

	NEED_ROOT();
	ck_assert_int_eq(jail_idmap_mount_fd(P("nothere"), 0, &je), -1);
	ck_assert_int_eq(je.code, ENOENT);
	ck_assert_ptr_nonnull(strstr(je.msg, P("nothere")));

	/* the initial user namespace is no idmap */
	fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(jail_idmap_mount_fd(tdir, fd, &je), -1);
	close(fd);

	/* a map the kernel refuses (overlapping lines) */
	std_maps(&m);
	line1(&m.gid[1], 5, 300000, 10);
	m.ngid = 2;
	ufd = jail_userns_open(&m, &je);
	ck_assert_int_eq(ufd, -1);
	ck_assert_ptr_nonnull(strstr(je.msg, "gid_map"));
}
END_TEST

/* The shift of a copied tree. */

static void
set_caps_v2(const char *path)
{
	struct vfs_cap_data c;

	memset(&c, 0, sizeof(c));
	c.magic_etc = htole32(VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE);
	c.data[0].permitted = htole32(1U << CAP_NET_RAW);
	ck_assert_msg(setxattr(path, "security.capability", &c, XATTR_CAPS_SZ_2,
	                  0) == 0,
	    "setcap %s: %s", path, strerror(errno));
}

/* An access ACL of user::rw-, user:ID:rw-, group::r--, mask::rw-, o::--- */
static void
set_acl(const char *path, uint32_t id)
{
	unsigned char b[4 + 5 * 8];
	uint16_t tag[5] = { 0x01, 0x02, 0x04, 0x10, 0x20 };
	uint16_t perm[5] = { 6, 6, 4, 6, 0 };
	uint32_t v = htole32(2),
	         ids[5] = { UINT32_MAX, id, UINT32_MAX, UINT32_MAX,
		         UINT32_MAX };
	uint16_t t;
	int i;

	memcpy(b, &v, 4);
	for (i = 0; i < 5; i++) {
		t = htole16(tag[i]);
		memcpy(b + 4 + 8 * i, &t, 2);
		t = htole16(perm[i]);
		memcpy(b + 6 + 8 * i, &t, 2);
		v = htole32(ids[i]);
		memcpy(b + 8 + 8 * i, &v, 4);
	}
	ck_assert_msg(setxattr(path, "system.posix_acl_access", b, sizeof(b),
	                  0) == 0,
	    "setfacl %s: %s", path, strerror(errno));
}

static uint32_t
acl_user_id(const char *path)
{
	unsigned char b[256];
	uint16_t t;
	uint32_t v;
	ssize_t n;
	int i;

	n = getxattr(path, "system.posix_acl_access", b, sizeof(b));
	ck_assert_int_gt(n, 4);
	for (i = 0; 4 + 8 * i < n; i++) {
		memcpy(&t, b + 4 + 8 * i, 2);
		memcpy(&v, b + 8 + 8 * i, 4);
		if (le16toh(t) == 0x02)
			return le32toh(v);
	}
	return UINT32_MAX;
}

static const char *caps_path;

static void
child_caps(int fd)
{
	struct vfs_cap_data c;
	ssize_t n;

	if (setns(mntfd_ns, CLONE_NEWUSER) == -1) {
		say(fd, "setns: %s", strerror(errno));
		return;
	}
	n = getxattr(caps_path, "security.capability", &c, sizeof(c));
	if (n != XATTR_CAPS_SZ_2 ||
	    (le32toh(c.magic_etc) & VFS_CAP_REVISION_MASK) !=
	        VFS_CAP_REVISION_2 ||
	    le32toh(c.data[0].permitted) != (1U << CAP_NET_RAW)) {
		say(fd, "caps inside: %zd bytes", n);
		return;
	}
	say(fd, "ok");
}

START_TEST(shift_tree)
{
	struct vfs_ns_cap_data c;
	struct jail_idmaps m;
	struct jail_error je;
	struct stat a, b;
	char res[256];
	int fd, rc, p[2], status;
	ssize_t n;
	pid_t pid;

	NEED_ROOT();
	private_mounts();
	/* the tree on /tmp's own file system, as a copied jail's */
	mkdir_ok(P("r"), 0755);
	mkdir_ok(P("r/bin"), 0755);
	write_file(P("r/bin/su"), "su");
	ck_assert_int_eq(chmod(P("r/bin/su"), 04755), 0);
	write_file(P("r/bin/sg"), "sg");
	ck_assert_int_eq(chmod(P("r/bin/sg"), 02755), 0);
	ck_assert_int_eq(link(P("r/bin/su"), P("r/bin/su2")), 0);
	write_file(P("r/bin/ping"), "ping");
	set_caps_v2(P("r/bin/ping"));
	mkdir_ok(P("r/home"), 0755);
	mkdir_ok(P("r/home/u"), 0700);
	own(P("r/home/u"), 1000, 1000);
	write_file(P("r/home/u/f"), "f");
	own(P("r/home/u/f"), 1000, 50);
	mkdir_ok(P("r/srv"), 02775);
	own(P("r/srv"), 0, 50);
	write_file(P("r/acl"), "acl");
	set_acl(P("r/acl"), 1000);
	ck_assert_int_eq(mkfifo(P("r/fifo"), 0644), 0);
	ck_assert_int_eq(mknod(P("r/null"), S_IFCHR | 0666, makedev(1, 3)), 0);
	/* links out, absolute and relative, to a host file */
	write_file(P("outside"), "host");
	ck_assert_int_eq(symlink(P("outside"), P("r/abs")), 0);
	ck_assert_int_eq(symlink("../outside", P("r/rel")), 0);
	ck_assert_int_eq(symlink("/etc", P("r/etc")), 0);
	/* a mount inside the tree */
	tmpfs_at(P("r/mnt"));
	write_file(P("r/mnt/x"), "x");

	std_maps(&m);
	fd = open(P("r"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	rc = jail_tree_shift(fd, &m, &je);
	ck_assert_msg(rc == 0, "shift: %s", je.msg);

	ck_assert_uint_eq(uid_of(P("r")), 100000);
	ck_assert_uint_eq(gid_of(P("r")), 100000);
	ck_assert_uint_eq(uid_of(P("r/bin/su")), 100000);
	ck_assert_uint_eq(mode_of(P("r/bin/su")), 04755);
	ck_assert_uint_eq(mode_of(P("r/bin/sg")), 02755);
	ck_assert_uint_eq(gid_of(P("r/bin/sg")), 100000);
	ck_assert_int_eq(stat(P("r/bin/su"), &a), 0); /* shifted once */
	ck_assert_int_eq(stat(P("r/bin/su2"), &b), 0);
	ck_assert_uint_eq(a.st_ino, b.st_ino);
	ck_assert_uint_eq(b.st_uid, 100000);
	ck_assert_uint_eq(uid_of(P("r/home/u")), 101000);
	ck_assert_uint_eq(mode_of(P("r/home/u")), 0700);
	ck_assert_uint_eq(uid_of(P("r/home/u/f")), 101000);
	ck_assert_uint_eq(gid_of(P("r/home/u/f")), 100050);
	ck_assert_uint_eq(gid_of(P("r/srv")), 100050);
	ck_assert_uint_eq(mode_of(P("r/srv")), 02775);
	ck_assert_uint_eq(acl_user_id(P("r/acl")), 101000);
	ck_assert_uint_eq(uid_of(P("r/fifo")), 100000);
	ck_assert_uint_eq(uid_of(P("r/null")), 100000);
	/* the links themselves, not what they point at */
	ck_assert_uint_eq(uid_of(P("r/abs")), 100000);
	ck_assert_uint_eq(uid_of(P("r/rel")), 100000);
	ck_assert_uint_eq(uid_of(P("r/etc")), 100000);
	ck_assert_uint_eq(uid_of(P("outside")), 0);
	ck_assert_uint_eq(uid_of("/etc"), 0);
	/* the mount is not crossed */
	ck_assert_uint_eq(uid_of(P("r/mnt")), 0);
	ck_assert_uint_eq(uid_of(P("r/mnt/x")), 0);

	/* the capability is the jail's root's now (v3, rootid 100000) */
	n = getxattr(P("r/bin/ping"), "security.capability", &c, sizeof(c));
	ck_assert_int_eq(n, XATTR_CAPS_SZ_3);
	ck_assert_uint_eq(le32toh(c.magic_etc),
	    VFS_CAP_REVISION_3 | VFS_CAP_FLAGS_EFFECTIVE);
	ck_assert_uint_eq(le32toh(c.rootid), 100000);
	ck_assert_uint_eq(le32toh(c.data[0].permitted), 1U << CAP_NET_RAW);
	/* and inside, a plain one */
	mntfd_ns = jail_userns_open(&m, &je);
	ck_assert_msg(mntfd_ns >= 0, "userns_open: %s", je.msg);
	caps_path = P("r/bin/ping");
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		child_caps(p[1]);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], res, sizeof(res) - 1);
	res[n > 0 ? n : 0] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_str_eq(res, "ok");
	close(mntfd_ns);

	/* a second shift finds ids that are no longer inside ones */
	ck_assert_int_eq(jail_tree_shift(fd, &m, &je), -1);
	ck_assert_str_eq(je.msg,
	    ".: owner 100000 is not in the jail's uid "
	    "map");
	close(fd);
}
END_TEST

START_TEST(shift_unmapped)
{
	struct jail_idmaps m;
	struct jail_error je;
	int fd;

	NEED_ROOT();
	mkdir_ok(P("r"), 0755);
	mkdir_ok(P("r/a"), 0755);
	write_file(P("r/a/f"), "f");
	own(P("r/a/f"), 70000, 0);
	std_maps(&m);
	fd = open(P("r"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(jail_tree_shift(fd, &m, &je), -1);
	ck_assert_str_eq(je.msg,
	    "a/f: owner 70000 is not in the jail's uid "
	    "map");
	own(P("r/a/f"), 0, 70000);
	own(P("r/a"), 0, 0);
	own(P("r"), 0, 0);
	ck_assert_int_eq(jail_tree_shift(fd, &m, &je), -1);
	ck_assert_str_eq(je.msg,
	    "a/f: group 70000 is not in the jail's gid "
	    "map");
	close(fd);
}
END_TEST

START_TEST(shift_too_deep)
{
	struct jail_idmaps m;
	struct jail_error je;
	int fd, dfd, i;

	NEED_ROOT();
	mkdir_ok(P("r"), 0755);
	dfd = open(P("r"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	fd = dup(dfd);
	for (i = 0; i < JAIL_SHIFT_MAXDEPTH; i++) {
		ck_assert_int_eq(mkdirat(fd, "d", 0755), 0);
		dfd = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ck_assert_int_ge(dfd, 0);
		close(fd);
		fd = dfd;
	}
	close(fd);
	fd = open(P("r"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	std_maps(&m);
	ck_assert_int_eq(jail_tree_shift(fd, &m, &je), -1);
	ck_assert_msg(strstr(je.msg, "more than 256 levels deep") != NULL, "%s",
	    je.msg);
	close(fd);
}
END_TEST

Suite *
userns_suite(void)
{
	Suite *s = suite_create("userns");
	TCase *tc = tcase_create("userns");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tc, test_setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, subid_parse);
	tcase_add_test(tc, subid_read);
	tcase_add_test(tc, maps_text);
	tcase_add_test(tc, maps_of_jail);
	tcase_add_test(tc, auto_lowest);
	tcase_add_test(tc, auto_merge_and_zero);
	tcase_add_test(tc, auto_none_free);
	tcase_add_test(tc, auto_files);
	tcase_add_test(tc, check_overlap);
	tcase_add_test(tc, write_maps);
	tcase_add_test(tc, write_maps_refused);
	tcase_add_test(tc, idmap_mount_tmpfs);
	tcase_add_test(tc, idmap_mount_ext4);
	tcase_add_test(tc, idmap_mount_errors);
	tcase_add_test(tc, shift_tree);
	tcase_add_test(tc, shift_unmapped);
	tcase_add_test(tc, shift_too_deep);
	suite_add_tcase(s, tc);
	return s;
}
