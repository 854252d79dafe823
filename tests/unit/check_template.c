/*
 * template.c: the template store, copied and overlay root trees, and the
 * removal of trees that must never reach through a symlink or a mount.
 *
 * Every test works in a scratch directory /tmp/jltest.unit.XXXXXX made and
 * removed by an unchecked fixture (it runs in the runner's process, so the
 * teardown happens even when a test fails).  Tests that mount first move
 * into a private mount namespace of their own: whatever happens, the
 * mounts die with the test's process; they are also undone before any
 * assertion that could end the test.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "suites.h"
#include "template.h"

static char base[64];       /* the suite's */
static char tdir[PATH_MAX]; /* the test's, inside base */

static void
setup(void)
{
	strlcpy(base, "/tmp/jltest.unit.XXXXXX", sizeof(base));
	if (mkdtemp(base) == NULL)
		abort();
}

static void
teardown(void)
{
	rm_tree(base);
}

/* Each test in a directory of its own (in its own process). */
static void
test_setup(void)
{
	snprintf(tdir, sizeof(tdir), "%s/t.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tdir));
}

/* A path under base, in one of a few static buffers. */
#define P(...) tpath(tdir, __VA_ARGS__)

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static const char *
slurp(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int
lines(const char *path)
{
	const char *s = slurp(path), *p;
	int n = 0;

	if (s == NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		n += *p == '\n';
	return n;
}

/* Entries of dir whose name starts with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/*
 * A fingerprint of a tree: names, types, modes, owners, sizes, inodes,
 * link counts, contents' mtimes and ctimes (any write, chmod, link or
 * rename changes one of them).  Access times are left out.
 */
static uint64_t sig_h;
static size_t sig_skip;

static void
sig_add(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0) {
		sig_h ^= *c++;
		sig_h *= 1099511628211ULL;
	}
}

static int
sig1(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	sig_add(path + sig_skip, strlen(path + sig_skip) + 1);
	sig_add(&st->st_mode, sizeof(st->st_mode));
	sig_add(&st->st_uid, sizeof(st->st_uid));
	sig_add(&st->st_gid, sizeof(st->st_gid));
	sig_add(&st->st_size, sizeof(st->st_size));
	sig_add(&st->st_ino, sizeof(st->st_ino));
	sig_add(&st->st_nlink, sizeof(st->st_nlink));
	sig_add(&st->st_mtim, sizeof(st->st_mtim));
	sig_add(&st->st_ctim, sizeof(st->st_ctim));
	return 0;
}

static uint64_t
tree_sig(const char *path)
{
	sig_h = 14695981039346656037ULL;
	sig_skip = strlen(path);
	ck_assert_int_eq(nftw(path, sig1, 32, FTW_PHYS), 0);
	return sig_h;
}

/* A small tree: a directory, files, a symlink. */
static void
small_tree(const char *t)
{
	char p[PATH_MAX];

	mkdir_ok(t, 0755);
	snprintf(p, sizeof(p), "%s/bin", t);
	mkdir_ok(p, 0755);
	snprintf(p, sizeof(p), "%s/bin/hello", t);
	write_file(p, "#!/bin/sh\necho hello\n");
	ck_assert_int_eq(chmod(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc", t);
	mkdir_ok(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/passwd", t);
	write_file(p, "root:x:0:0:root:/root:/bin/sh\n");
	snprintf(p, sizeof(p), "%s/sh", t);
	ck_assert_int_eq(symlink("bin/hello", p), 0);
}

/* RECIPES/name/build: script, executable unless plain. */
static void
recipe(const char *name, const char *script, int plain)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];

	if (!exists(P("recipes")))
		mkdir_ok(P("recipes"), 0755);
	snprintf(dir, sizeof(dir), "%s", P("recipes/%s", name));
	mkdir_ok(dir, 0755);
	snprintf(path, sizeof(path), "%s/build", dir);
	write_file(path, script);
	ck_assert_int_eq(chmod(path, plain ? 0644 : 0755), 0);
}

/* A recipe that counts its runs in base/count.NAME and makes a tree. */
static void
counting_recipe(const char *name, const char *extra)
{
	char script[1024];

	snprintf(script, sizeof(script),
	    "#!/bin/sh\nset -e\necho run >> '%s'\n%s\n"
	    "mkdir -p \"$1/bin\"\necho hi > \"$1/bin/hello\"\n",
	    P("count.%s", name), extra);
	recipe(name, script, 0);
}

/* Mounts of this test die with its process. */
static void
private_mounts(void)
{
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s",
	    strerror(errno));
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
}

static int
is_root(void)
{
	return geteuid() == 0;
}

/*
 * jail_tree_layers
 */

static const char *
layers(const char *path)
{
	static char buf[PATH_MAX];

	if (jail_tree_layers(path, buf, sizeof(buf)) == -1)
		return "-1";
	return buf;
}

START_TEST(layers_paths)
{
	char small[23];

	ck_assert_str_eq(layers("/var/jail/www"), "/var/jail/.www.overlay");
	ck_assert_str_eq(layers("/var/jail/www/"), "/var/jail/.www.overlay");
	ck_assert_str_eq(layers("/var/jail/www//"), "/var/jail/.www.overlay");
	ck_assert_str_eq(layers("/www"), "/.www.overlay");
	ck_assert_str_eq(layers("/a/.b"), "/a/..b.overlay");
	ck_assert_str_eq(layers("/"), "-1");
	ck_assert_str_eq(layers("//"), "-1");
	ck_assert_str_eq(layers(""), "-1");
	ck_assert_str_eq(layers("/var/.."), "-1");
	ck_assert_str_eq(layers("/var/."), "-1");
	/* exactly fits, then one byte short */
	ck_assert_int_eq(jail_tree_layers("/var/jail/www", small, 23), 0);
	ck_assert_str_eq(small, "/var/jail/.www.overlay");
	errno = 0;
	ck_assert_int_eq(jail_tree_layers("/var/jail/www", small, 22), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

/*
 * jail_template_get
 */

START_TEST(template_path)
{
	char root[PATH_MAX], build[64], build2[64];
	struct jail_error err;
	uint64_t before;

	small_tree(P("tree"));
	before = tree_sig(P("tree"));
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), P("tree"),
	                     root, sizeof(root), build, sizeof(build), &err),
	    0);
	ck_assert_str_eq(root, P("tree"));
	ck_assert_int_eq(strncmp(build, "path:", 5), 0);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), P("tree"),
	                     root, sizeof(root), build2, sizeof(build2), &err),
	    0);
	ck_assert_str_eq(build, build2);
	/* a path template needs no store and is never written */
	ck_assert(!exists(P("store")));
	ck_assert(tree_sig(P("tree")) == before);

	/* neither a file nor a missing path */
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"),
	                     P("tree/etc/passwd"), root, sizeof(root), build,
	                     sizeof(build), &err),
	    -1);
	ck_assert_int_eq(err.code, ENOTDIR);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"),
	                     P("nothere"), root, sizeof(root), build,
	                     sizeof(build), &err),
	    -1);
	ck_assert_int_eq(err.code, ENOENT);
	/* out-parameters too small */
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), P("tree"),
	                     root, 4, build, sizeof(build), &err),
	    -1);
}
END_TEST

static int
id_ok(const char *id)
{
	size_t i;

	if (strlen(id) != 15 + 1 + 16 || id[8] != 'T' || id[15] != '-')
		return 0;
	for (i = 0; i < 15; i++)
		if (i != 8 && (id[i] < '0' || id[i] > '9'))
			return 0;
	for (i = 16; id[i] != '\0'; i++)
		if (strchr("0123456789abcdef", id[i]) == NULL)
			return 0;
	return 1;
}

START_TEST(template_build_once)
{
	char root[PATH_MAX], b1[64], b2[64], want[PATH_MAX];
	struct jail_error err;
	struct stat st;

	counting_recipe("tiny", "");
	/* a store whose parents are missing too */
	ck_assert_int_eq(jail_template_get(P("var/store"), P("recipes"), "tiny",
	                     root, sizeof(root), b1, sizeof(b1), &err),
	    0);
	ck_assert_str_eq(root, P("var/store/tiny"));
	ck_assert_msg(id_ok(b1), "build id \"%s\"", b1);
	ck_assert_int_eq(lines(P("count.tiny")), 1);
	ck_assert_str_eq(slurp(P("var/store/tiny/bin/hello")), "hi\n");
	snprintf(want, sizeof(want), "%s\n", b1);
	ck_assert_str_eq(slurp(P("var/store/tiny.build")), want);
	ck_assert_int_eq(stat(P("var/store"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(stat(P("var/store/tiny"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0755);

	/* built once: the second call finds it */
	ck_assert_int_eq(jail_template_get(P("var/store"), P("recipes"), "tiny",
	                     root, sizeof(root), b2, sizeof(b2), &err),
	    0);
	ck_assert_str_eq(b1, b2);
	ck_assert_int_eq(lines(P("count.tiny")), 1);
	ck_assert_int_eq(count_prefix(P("var/store"), ".tiny.tmp."), 0);

	/* a recipe that lost its x bit still runs, through sh */
	recipe("plain", "mkdir \"$1/etc\"\n", 1);
	ck_assert_int_eq(jail_template_get(P("var/store"), P("recipes"),
	                     "plain", root, sizeof(root), b2, sizeof(b2), &err),
	    0);
	ck_assert(exists(P("var/store/plain/etc")));
	ck_assert_str_ne(b1, b2);

	/* a tree put in the store by hand gets an id, once */
	mkdir_ok(P("var/store/byhand"), 0755);
	ck_assert_int_eq(jail_template_get(P("var/store"), P("recipes"),
	                     "byhand", root, sizeof(root), b1, sizeof(b1),
	                     &err),
	    0);
	ck_assert(id_ok(b1));
	ck_assert_int_eq(jail_template_get(P("var/store"), P("recipes"),
	                     "byhand", root, sizeof(root), b2, sizeof(b2),
	                     &err),
	    0);
	ck_assert_str_eq(b1, b2);
}
END_TEST

START_TEST(template_concurrent)
{
	char root[PATH_MAX], b[64], ids[4][64];
	struct jail_error err;
	int i, status, fd;
	pid_t pid[4];

	counting_recipe("slow", "sleep 0.3");
	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		ck_assert_int_ne(pid[i], -1);
		if (pid[i] == 0) {
			if (jail_template_get(P("store"), P("recipes"), "slow",
			        root, sizeof(root), b, sizeof(b), &err) == -1)
				_exit(1);
			fd = open(P("id.%d", i), O_WRONLY | O_CREAT, 0644);
			if (fd == -1 || write(fd, b, strlen(b)) == -1)
				_exit(2);
			_exit(0);
		}
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "child %d: status %#x", i, status);
		strlcpy(ids[i], slurp(P("id.%d", i)), sizeof(ids[i]));
	}
	ck_assert_int_eq(lines(P("count.slow")), 1);
	for (i = 1; i < 4; i++)
		ck_assert_str_eq(ids[0], ids[i]);
}
END_TEST

START_TEST(template_build_fails)
{
	char root[PATH_MAX] = "untouched", b[64] = "untouched";
	struct jail_error err;

	recipe("bad",
	    "#!/bin/sh\nmkdir \"$1/etc\"\necho x > \"$1/etc/x\"\n"
	    "exit 3\n",
	    0);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "bad",
	                     root, sizeof(root), b, sizeof(b), &err),
	    -1);
	ck_assert_str_eq(err.msg, "template bad: build failed (status 3)");
	ck_assert_str_eq(root, "untouched");
	ck_assert_str_eq(b, "untouched");
	ck_assert(!exists(P("store/bad")));
	ck_assert(!exists(P("store/bad.build")));
	ck_assert_int_eq(count_prefix(P("store"), ".bad.tmp."), 0);
	ck_assert_int_eq(count_prefix(P("store"), "bad"), 0);

	recipe("killed", "#!/bin/sh\nkill -9 $$\n", 0);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "killed",
	                     root, sizeof(root), b, sizeof(b), &err),
	    -1);
	ck_assert_str_eq(err.msg, "template killed: build failed (signal 9)");
	ck_assert_int_eq(count_prefix(P("store"), ".killed.tmp."), 0);
}
END_TEST

START_TEST(template_stale_tmp)
{
	char root[PATH_MAX], b[64];
	struct jail_error err;

	/* what a build interrupted by a crash leaves */
	mkdir_ok(P("store"), 0755);
	mkdir_ok(P("store/.st.tmp.Ab12Cd"), 0755);
	mkdir_ok(P("store/.st.tmp.Ab12Cd/etc"), 0755);
	write_file(P("store/.st.tmp.Ab12Cd/etc/x"), "x\n");
	/* not ours: another template's, and a longer name */
	mkdir_ok(P("store/.stx.tmp.Ab12Cd"), 0755);
	mkdir_ok(P("store/.st.tmp.Ab12Cdef"), 0755);
	counting_recipe("st", "");
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "st", root,
	                     sizeof(root), b, sizeof(b), &err),
	    0);
	ck_assert(!exists(P("store/.st.tmp.Ab12Cd")));
	ck_assert(exists(P("store/.stx.tmp.Ab12Cd")));
	ck_assert(exists(P("store/.st.tmp.Ab12Cdef")));
}
END_TEST

START_TEST(template_no_recipe)
{
	char root[PATH_MAX], b[64], want[PATH_MAX + 64];
	struct jail_error err;

	mkdir_ok(P("recipes"), 0755);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "nope",
	                     root, sizeof(root), b, sizeof(b), &err),
	    -1);
	snprintf(want, sizeof(want), "no template recipe nope in %s",
	    P("recipes"));
	ck_assert_str_eq(err.msg, want);
	ck_assert(!exists(P("store/nope")));
	/* a directory where the script should be */
	mkdir_ok(P("recipes/dir"), 0755);
	mkdir_ok(P("recipes/dir/build"), 0755);
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "dir",
	                     root, sizeof(root), b, sizeof(b), &err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no template recipe dir"));
}
END_TEST

START_TEST(template_bad_names)
{
	static const char *const bad[] = {
		"", ".", "..", ".hidden", "-x", "a/b", "../x", "a b", "a\n",
		"x*", "a:b", "tab\t", "x.build", "x.tmp", "x.build.tmp",
		"0123456789012345678901234567890123456789012345678901234567890123"
	};
	char root[PATH_MAX], b[64];
	struct jail_error err;
	size_t i;

	counting_recipe("a.b-c_1", "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_msg(jail_template_get(P("store"), P("recipes"),
		                  bad[i], root, sizeof(root), b, sizeof(b),
		                  &err) == -1,
		    "\"%s\" accepted", bad[i]);
		ck_assert_int_eq(err.code, EINVAL);
		ck_assert_ptr_nonnull(strstr(err.msg, "bad template name"));
		ck_assert_ptr_null(strchr(err.msg, '\n'));
	}
	ck_assert(!exists(P("store")));
	ck_assert_int_eq(jail_template_get(P("store"), P("recipes"), "a.b-c_1",
	                     root, sizeof(root), b, sizeof(b), &err),
	    0);
}
END_TEST

/*
 * jail_tree_create
 */

static void
stat_ok(const char *path, struct stat *st)
{
	ck_assert_msg(lstat(path, st) == 0, "%s: %s", path, strerror(errno));
}

START_TEST(create_copy)
{
	char buf[64], c[PATH_MAX];
	struct stat s, t, s2;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 500000 } };
	struct jail_error err;
	uint64_t before;
	int xattr;
	ssize_t n;

	if (!is_root())
		return;
	/* the template */
	mkdir_ok(P("t"), 0755);
	mkdir_ok(P("t/d"), 0750);
	write_file(P("t/d/f"), "data\n");
	ck_assert_int_eq(chmod(P("t/d/f"), 0640), 0);
	ck_assert_int_eq(chown(P("t/d/f"), 1234, 5678), 0);
	ck_assert_int_eq(utimensat(AT_FDCWD, P("t/d/f"), ts, 0), 0);
	write_file(P("t/suid"), "x");
	ck_assert_int_eq(chmod(P("t/suid"), 04755), 0);
	mkdir_ok(P("t/tmp"), 01777);
	write_file(P("t/h1"), "linked\n");
	ck_assert_int_eq(link(P("t/h1"), P("t/d/h2")), 0);
	ck_assert_int_eq(mkfifo(P("t/fifo"), 0620), 0);
	ck_assert_int_eq(chmod(P("t/fifo"), 0620), 0);
	ck_assert_int_eq(mknod(P("t/null"), S_IFCHR | 0666, makedev(1, 3)), 0);
	mkdir_ok(P("outside"), 0755);
	write_file(P("outside/secret"), "outside\n");
	ck_assert_int_eq(symlink(P("outside"), P("t/out")), 0);
	ck_assert_int_eq(lchown(P("t/out"), 1234, 5678), 0);
	ck_assert_int_eq(symlink("nowhere", P("t/dangling")), 0);
	xattr = setxattr(P("t/d/f"), "user.test", "v1", 2, 0) == 0;
	if (!xattr)
		ck_assert_int_eq(errno, ENOTSUP);
	before = tree_sig(P("t"));

	/* into a path whose parents are missing */
	ck_assert_msg(jail_tree_create(P("t"), P("j/a/jail"), 0, &err) == 0,
	    "%s", err.msg);
	ck_assert(tree_sig(P("t")) == before);

	stat_ok(P("t"), &s);
	stat_ok(P("j/a/jail"), &t);
	ck_assert_int_eq(t.st_mode, s.st_mode);
	stat_ok(P("j/a/jail/d"), &t);
	ck_assert_int_eq(t.st_mode & 07777, 0750);
	stat_ok(P("j/a/jail/d/f"), &t);
	ck_assert_int_eq(t.st_mode & 07777, 0640);
	ck_assert_int_eq(t.st_uid, 1234);
	ck_assert_int_eq(t.st_gid, 5678);
	ck_assert_int_eq(t.st_mtim.tv_sec, 1000000000);
	ck_assert_int_eq(t.st_mtim.tv_nsec, 500000);
	stat_ok(P("t/d/f"), &s);
	ck_assert(t.st_ino != s.st_ino);
	ck_assert_str_eq(slurp(P("j/a/jail/d/f")), "data\n");
	stat_ok(P("j/a/jail/suid"), &t);
	ck_assert_int_eq(t.st_mode & 07777, 04755);
	stat_ok(P("j/a/jail/tmp"), &t);
	ck_assert_int_eq(t.st_mode & 07777, 01777);

	/* the pair is still a pair, and shares nothing with the template */
	stat_ok(P("j/a/jail/h1"), &t);
	stat_ok(P("j/a/jail/d/h2"), &s2);
	stat_ok(P("t/h1"), &s);
	ck_assert(t.st_ino == s2.st_ino);
	ck_assert_int_eq(t.st_nlink, 2);
	ck_assert(t.st_ino != s.st_ino);
	ck_assert_int_eq(s.st_nlink, 2);

	stat_ok(P("j/a/jail/fifo"), &t);
	ck_assert(S_ISFIFO(t.st_mode));
	ck_assert_int_eq(t.st_mode & 07777, 0620);
	stat_ok(P("j/a/jail/null"), &t);
	ck_assert(S_ISCHR(t.st_mode));
	ck_assert(t.st_rdev == makedev(1, 3));

	/* symlinks stay symlinks, owners and all; nothing followed */
	stat_ok(P("j/a/jail/out"), &t);
	ck_assert(S_ISLNK(t.st_mode));
	ck_assert_int_eq(t.st_uid, 1234);
	n = readlink(P("j/a/jail/out"), c, sizeof(c) - 1);
	ck_assert_int_gt(n, 0);
	c[n] = '\0';
	ck_assert_str_eq(c, P("outside"));
	stat_ok(P("j/a/jail/dangling"), &t);
	ck_assert(S_ISLNK(t.st_mode));

	if (xattr) {
		n = getxattr(P("j/a/jail/d/f"), "user.test", buf, sizeof(buf));
		ck_assert_int_eq(n, 2);
		ck_assert_int_eq(memcmp(buf, "v1", 2), 0);
	}

	/* into an empty directory that exists */
	mkdir_ok(P("empty"), 0700);
	ck_assert_msg(jail_tree_create(P("t"), P("empty"), 0, &err) == 0, "%s",
	    err.msg);
	ck_assert_str_eq(slurp(P("empty/d/f")), "data\n");
	ck_assert(tree_sig(P("t")) == before);
}
END_TEST

START_TEST(create_refuses)
{
	struct jail_error err;
	uint64_t before, other;

	small_tree(P("t"));
	before = tree_sig(P("t"));

	/* not empty: left as it was */
	mkdir_ok(P("full"), 0755);
	write_file(P("full/keep"), "keep\n");
	other = tree_sig(P("full"));
	ck_assert_int_eq(jail_tree_create(P("t"), P("full"), 0, &err), -1);
	ck_assert_int_eq(err.code, ENOTEMPTY);
	ck_assert(tree_sig(P("full")) == other);
	ck_assert_int_eq(jail_tree_create(P("t"), P("full"), 1, &err), -1);
	ck_assert(tree_sig(P("full")) == other);
	ck_assert(!exists(P(".full.overlay")));

	/* a file, a symlink to an empty directory */
	ck_assert_int_eq(jail_tree_create(P("t"), P("full/keep"), 0, &err), -1);
	mkdir_ok(P("e"), 0755);
	ck_assert_int_eq(symlink(P("e"), P("link")), 0);
	ck_assert_int_eq(jail_tree_create(P("t"), P("link"), 0, &err), -1);
	ck_assert_int_eq(count_prefix(P("e"), "b"), 0);

	/* inside the template, directly or through a symlink */
	ck_assert_int_eq(jail_tree_create(P("t"), P("t/jail"), 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "inside the template"));
	ck_assert_int_eq(symlink(P("t/etc"), P("tl")), 0);
	ck_assert_int_eq(jail_tree_create(P("t"), P("tl/x/jail"), 1, &err), -1);
	ck_assert_int_eq(jail_tree_create(P("t"), P("t"), 0, &err), -1);
	ck_assert(tree_sig(P("t")) == before);

	/* bad arguments */
	ck_assert_int_eq(jail_tree_create(P("t"), "/", 0, &err), -1);
	ck_assert_int_eq(jail_tree_create(P("t"), "rel/jail", 0, &err), -1);
	ck_assert_int_eq(jail_tree_create("t", P("j"), 0, &err), -1);
	ck_assert_int_eq(jail_tree_create(P("none"), P("j/x"), 0, &err), -1);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert(!exists(P("j")));
	ck_assert_int_eq(jail_tree_create(P("t/etc/passwd"), P("j"), 0, &err),
	    -1);
	ck_assert(!exists(P("j")));
}
END_TEST

START_TEST(create_copy_fails_cleanly)
{
	static char big[1 << 20];
	char msg[JAIL_ERRMAX];
	struct jail_error err;
	struct stat st;
	int rc, rc2, entries, eentries, emode;

	if (!is_root())
		return;
	/*
	 * A copy that fails half way (no space left) takes away what it
	 * made: the jail and the parents this call created; an empty
	 * directory that was there stays, empty, as it was.
	 */
	mkdir_ok(P("t"), 0755);
	write_file(P("t/a"), "a\n");
	mkdir_ok(P("t/d"), 0755);
	memset(big, 'x', sizeof(big) - 1);
	write_file(P("t/d/big"), big);
	mkdir_ok(P("small"), 0755);
	private_mounts();
	ck_assert_int_eq(mount("jltest", P("small"), "tmpfs", 0,
	                     "size=256k,mode=0755"),
	    0);
	/* no assertion until it is unmounted */
	rc = jail_tree_create(P("t"), P("small/p/jail"), 0, &err);
	strlcpy(msg, err.msg, sizeof(msg));
	entries = count_prefix(P("small"), "");
	rc2 = mkdir(P("small/e"), 0700) == 0 ? 0 : -1;
	if (rc2 == 0)
		rc2 = jail_tree_create(P("t"), P("small/e"), 0, &err);
	eentries = count_prefix(P("small/e"), "");
	emode = stat(P("small/e"), &st) == 0 ? (int)(st.st_mode & 07777) : -1;
	umount2(P("small"), MNT_DETACH);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(msg, "No space left") != NULL, "message: %s", msg);
	ck_assert_int_eq(entries, 2); /* "." and ".." */
	ck_assert_int_eq(rc2, -1);
	ck_assert_int_eq(eentries, 2);
	ck_assert_int_eq(emode, 0700);
}
END_TEST

START_TEST(create_overlay)
{
	char ov[PATH_MAX];
	struct jail_error err;
	struct stat st;
	uint64_t before;
	int rc, upper_has, lower_has, merged_sees;

	if (!is_root())
		return;
	small_tree(P("t"));
	before = tree_sig(P("t"));
	ck_assert_msg(jail_tree_create(P("t"), P("jails/www"), 1, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(count_prefix(P("jails/www"), ""), 2); /* . and .. */
	stat_ok(P("jails/.www.overlay"), &st);
	ck_assert(S_ISDIR(st.st_mode));
	stat_ok(P("jails/.www.overlay/upper"), &st);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(st.st_uid, 0);
	stat_ok(P("jails/.www.overlay/work"), &st);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert(tree_sig(P("t")) == before);

	/* the layout mounts, and writes land in upper/ only */
	private_mounts();
	snprintf(ov, sizeof(ov), "lowerdir=%s,upperdir=%s,workdir=%s", P("t"),
	    P("jails/.www.overlay/upper"), P("jails/.www.overlay/work"));
	rc = mount("overlay", P("jails/www"), "overlay", 0, ov);
	if (rc == 0) {
		write_file(P("jails/www/etc/new"), "new\n");
		merged_sees = exists(P("jails/www/bin/hello"));
		umount2(P("jails/www"), MNT_DETACH);
	}
	ck_assert_msg(rc == 0, "mount overlay: %s", strerror(errno));
	upper_has = exists(P("jails/.www.overlay/upper/etc/new"));
	lower_has = exists(P("t/etc/new"));
	ck_assert(merged_sees);
	ck_assert(upper_has);
	ck_assert(!lower_has);

	ck_assert_msg(jail_tree_remove(P("jails/www"), 1, &err) == 0, "%s",
	    err.msg);
	ck_assert(!exists(P("jails/www")));
	ck_assert(!exists(P("jails/.www.overlay")));
	ck_assert(exists(P("t/bin/hello")));
}
END_TEST

START_TEST(create_overlay_rollback)
{
	struct jail_error err;

	small_tree(P("t"));
	/* the layer directory is taken: nothing of this call stays */
	mkdir_ok(P("j"), 0755);
	mkdir_ok(P("j/.www.overlay"), 0755);
	write_file(P("j/.www.overlay/keep"), "keep\n");
	ck_assert_int_eq(jail_tree_create(P("t"), P("j/www"), 1, &err), -1);
	ck_assert_int_eq(err.code, ENOTEMPTY);
	ck_assert(!exists(P("j/www")));
	ck_assert_str_eq(slurp(P("j/.www.overlay/keep")), "keep\n");
	/* nor the parents it made */
	mkdir_ok(P("k"), 0755);
	mkdir_ok(P("k/a"), 0755);
	mkdir_ok(P("k/a/.www.overlay"), 0755);
	write_file(P("k/a/.www.overlay/keep"), "keep\n");
	ck_assert_int_eq(jail_tree_create(P("t"), P("k/a/www"), 1, &err), -1);
	ck_assert(!exists(P("k/a/www")));
	ck_assert(exists(P("k/a")));
}
END_TEST

/*
 * jail_tree_remove
 */

START_TEST(remove_all)
{
	struct jail_error err;

	mkdir_ok(P("r"), 0755);
	mkdir_ok(P("r/a"), 0755);
	mkdir_ok(P("r/a/b"), 0755);
	mkdir_ok(P("r/a/b/c"), 0755);
	write_file(P("r/a/b/c/f"), "f\n");
	write_file(P("r/a/g"), "g\n");
	mkdir_ok(P("r/ro"), 0755);
	write_file(P("r/ro/f"), "f\n");
	ck_assert_int_eq(chmod(P("r/ro"), 0500), 0);
	mkdir_ok(P("r/none"), 0755);
	write_file(P("r/none/f"), "f\n");
	ck_assert_int_eq(chmod(P("r/none"), 0), 0);
	ck_assert_int_eq(mkfifo(P("r/fifo"), 0600), 0);
	ck_assert_int_eq(symlink("a/g", P("r/lnk")), 0);
	ck_assert_int_eq(symlink("nowhere", P("r/dangling")), 0);
	write_file(P("r/.hidden"), "h\n");

	if (is_root()) {
		ck_assert_msg(jail_tree_remove(P("r/"), 0, &err) == 0, "%s",
		    err.msg);
		ck_assert(!exists(P("r")));
	}
	/* missing: nothing to do */
	ck_assert_int_eq(jail_tree_remove(P("r"), 0, &err), 0);
	ck_assert_int_eq(jail_tree_remove(P("r"), 1, &err), 0);
	ck_assert_int_eq(jail_tree_remove(P("nothere/at/all"), 1, &err), 0);
}
END_TEST

START_TEST(remove_symlinks_out)
{
	char out[PATH_MAX];
	struct jail_error err;

	mkdir_ok(P("outside"), 0755);
	mkdir_ok(P("outside/sub"), 0755);
	write_file(P("outside/sub/f"), "precious\n");
	write_file(P("outside/g"), "precious\n");
	snprintf(out, sizeof(out), "%s", P("outside"));

	mkdir_ok(P("r"), 0755);
	mkdir_ok(P("r/etc"), 0755);
	ck_assert_int_eq(symlink(out, P("r/abs")), 0);
	ck_assert_int_eq(symlink("../outside", P("r/rel")), 0);
	ck_assert_int_eq(symlink("../../outside/sub", P("r/etc/deep")), 0);
	ck_assert_int_eq(symlink(P("outside/g"), P("r/etc/file")), 0);

	ck_assert_msg(jail_tree_remove(P("r"), 0, &err) == 0, "%s", err.msg);
	ck_assert(!exists(P("r")));
	ck_assert_str_eq(slurp(P("outside/sub/f")), "precious\n");
	ck_assert_str_eq(slurp(P("outside/g")), "precious\n");
}
END_TEST

START_TEST(remove_refuses)
{
	struct jail_error err;

	ck_assert_int_eq(jail_tree_remove("/", 0, &err), -1);
	ck_assert_int_eq(jail_tree_remove("//", 1, &err), -1);
	ck_assert_int_eq(jail_tree_remove("", 0, &err), -1);
	ck_assert_int_eq(jail_tree_remove("tmp/x", 0, &err), -1);
	ck_assert_int_eq(jail_tree_remove("/tmp/..", 0, &err), -1);
	ck_assert(exists("/tmp"));

	/* the path itself a symlink: not followed, not removed */
	mkdir_ok(P("target"), 0755);
	write_file(P("target/f"), "precious\n");
	ck_assert_int_eq(symlink(P("target"), P("link")), 0);
	ck_assert_int_eq(jail_tree_remove(P("link"), 0, &err), -1);
	ck_assert_int_eq(err.code, ENOTDIR);
	ck_assert_str_eq(slurp(P("target/f")), "precious\n");
	ck_assert(exists(P("link")));
	/* nor a file */
	ck_assert_int_eq(jail_tree_remove(P("target/f"), 0, &err), -1);
	ck_assert(exists(P("target/f")));
}
END_TEST

/* r/ with a host directory bound on r/mnt (and r/top, a file). */
static void
bind_tree(void)
{
	mkdir_ok(P("host"), 0755);
	write_file(P("host/data"), "precious\n");
	mkdir_ok(P("host/sub"), 0755);
	write_file(P("host/sub/more"), "precious\n");
	write_file(P("hostfile"), "precious\n");
	mkdir_ok(P("r"), 0755);
	mkdir_ok(P("r/mnt"), 0755);
	mkdir_ok(P("r/a"), 0755);
	write_file(P("r/a/f"), "f\n");
	write_file(P("r/zfile"), "\n");
}

START_TEST(remove_bind_mount)
{
	char msg[JAIL_ERRMAX];
	struct jail_error err;
	int rc, rc2, code, kept;

	if (!is_root())
		return;
	private_mounts();
	bind_tree();
	rc = mount(P("host"), P("r/mnt"), NULL, MS_BIND, NULL);
	if (rc == 0) {
		rc = jail_tree_remove(P("r"), 0, &err);
		code = err.code;
		strlcpy(msg, err.msg, sizeof(msg));
		kept = exists(P("r/a/f")) && exists(P("r/zfile"));
		/* a bind on the jail's path itself */
		rc2 = mount(P("host"), P("r"), NULL, MS_BIND, NULL) == 0 &&
		    jail_tree_remove(P("r"), 0, &err) == -1 &&
		    strstr(err.msg, P("r")) != NULL;
		umount2(P("r"), MNT_DETACH);
		umount2(P("r/mnt"), MNT_DETACH);
	} else {
		ck_abort_msg("mount --bind: %s", strerror(errno));
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(code, EBUSY);
	ck_assert_msg(strstr(msg, P("r/mnt")) != NULL, "message: %s", msg);
	ck_assert(kept); /* refused before removing anything */
	ck_assert(rc2);
	ck_assert_str_eq(slurp(P("host/data")), "precious\n");
	ck_assert_str_eq(slurp(P("host/sub/more")), "precious\n");

	/* unmounted, it goes */
	ck_assert_msg(jail_tree_remove(P("r"), 0, &err) == 0, "%s", err.msg);
	ck_assert(!exists(P("r")));
	ck_assert_str_eq(slurp(P("host/data")), "precious\n");
}
END_TEST

/*
 * Without /proc the list of mounts is out of reach: the walk itself must
 * see the mount points (a bind from the same file system shows only in
 * the mount id), a directory and a file.
 */
START_TEST(remove_bind_mount_noproc)
{
	char msg[JAIL_ERRMAX];
	struct jail_error err;
	int rc, nomi;

	if (!is_root())
		return;
	private_mounts();
	bind_tree();
	ck_assert_int_eq(mount(P("host"), P("r/mnt"), NULL, MS_BIND, NULL), 0);
	rc = mount(P("hostfile"), P("r/zfile"), NULL, MS_BIND, NULL);
	if (rc == 0)
		rc = mount("jltest", "/proc", "tmpfs", 0, "size=4k");
	if (rc == 0) {
		nomi = !exists("/proc/self/mountinfo");
		rc = jail_tree_remove(P("r"), 0, &err);
		strlcpy(msg, err.msg, sizeof(msg));
		umount2("/proc", MNT_DETACH);
	}
	umount2(P("r/zfile"), MNT_DETACH);
	umount2(P("r/mnt"), MNT_DETACH);
	ck_assert(nomi);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(msg, "is a mount point") != NULL, "message: %s",
	    msg);
	ck_assert_str_eq(slurp(P("host/data")), "precious\n");
	ck_assert_str_eq(slurp(P("host/sub/more")), "precious\n");
	ck_assert_str_eq(slurp(P("hostfile")), "precious\n");
	/* what could go went; the mount points stayed */
	ck_assert(!exists(P("r/a")));
	ck_assert(exists(P("r/mnt")));
	ck_assert(exists(P("r/zfile")));
}
END_TEST

Suite *
template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tc, test_setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, layers_paths);
	tcase_add_test(tc, template_path);
	tcase_add_test(tc, template_build_once);
	tcase_add_test(tc, template_concurrent);
	tcase_add_test(tc, template_build_fails);
	tcase_add_test(tc, template_stale_tmp);
	tcase_add_test(tc, template_no_recipe);
	tcase_add_test(tc, template_bad_names);
	tcase_add_test(tc, create_copy);
	tcase_add_test(tc, create_refuses);
	tcase_add_test(tc, create_copy_fails_cleanly);
	tcase_add_test(tc, create_overlay);
	tcase_add_test(tc, create_overlay_rollback);
	tcase_add_test(tc, remove_all);
	tcase_add_test(tc, remove_symlinks_out);
	tcase_add_test(tc, remove_refuses);
	tcase_add_test(tc, remove_bind_mount);
	tcase_add_test(tc, remove_bind_mount_noproc);
	suite_add_tcase(s, tc);
	return s;
}
