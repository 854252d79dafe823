/*
 * template: the store of built templates and the jails' root trees.
 *
 * A named template is built once, by its recipe, into a temporary
 * directory of the store that is renamed into place when the recipe
 * succeeds, so STORE/NAME is either absent or a finished tree.  The build
 * id in STORE/NAME.build is written before that rename: a crash in between
 * leaves an id without a tree, which the next build overwrites.  An
 * exclusive flock(2) on STORE/.NAME.lock makes concurrent callers wait for
 * one build instead of running several.
 *
 * Removing a tree is where a mistake costs most: a jail may hold a bind
 * mount of a host directory, and its root user may have planted symlinks.
 * The walk goes by directory fds (openat2() with RESOLVE_NO_XDEV and
 * RESOLVE_NO_SYMLINKS, or O_NOFOLLOW where openat2() is missing), compares
 * every entry's mount id with its directory's, and refuses before removing
 * anything when /proc/self/mountinfo lists a mount at or below the tree.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <linux/openat2.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jailp.h"
#include "template.h"

extern char **environ;

static int busy(struct jail_error *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* An error whose message says it all, with EBUSY as its code. */
static int
busy(struct jail_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = EBUSY;
	return -1;
}

/*
 * Template names: as jail_check_template(), without the absolute path.
 * NAME.build and NAME.build.tmp are files of the store beside the trees,
 * so a name may not end in ".build" or ".tmp".
 */
static int
name_valid(const char *name, struct jail_error *err)
{
	char shown[JAIL_NAMEMAX];
	const char *s;
	size_t n = strlen(name), i;
	int bad;

	bad = *name == '\0' || *name == '.' || *name == '-' ||
	    n >= JAIL_NAMEMAX ||
	    (n >= 6 && strcmp(name + n - 6, ".build") == 0) ||
	    (n >= 4 && strcmp(name + n - 4, ".tmp") == 0);
	for (s = name; !bad && *s != '\0'; s++)
		bad = !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		    *s == '-');
	if (!bad)
		return 0;
	/* the message is one printable line, whatever the name holds */
	for (i = 0; i < sizeof(shown) - 1 && name[i] != '\0'; i++)
		shown[i] = name[i] > ' ' && name[i] < 0x7f ? name[i] : '?';
	shown[i] = '\0';
	jail_seterr(err, 0,
	    "bad template name \"%s%s\": letters, digits, \"_\", \".\" and "
	    "\"-\", not first \".\" or \"-\", not ending in \".build\" or "
	    "\".tmp\"",
	    shown, name[i] != '\0' ? "..." : "");
	if (err != NULL)
		err->code = EINVAL;
	return -1;
}

/* Copy path without its trailing slashes ("/" stays "/"). */
static int
trim(const char *path, char *buf, size_t len, struct jail_error *err)
{
	size_t n;

	if ((n = strlcpy(buf, path, len)) >= len)
		return jail_seterr(err, ENAMETOOLONG, "%.64s...", path);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return 0;
}

/*
 * mkdir -p: create the missing directories of path with mode (umask
 * ignored).  top gets the first one created, "" when none, for rmpath().
 */
static int
mkpath(const char *path, mode_t mode, char *top, size_t toplen,
    struct jail_error *err)
{
	char buf[PATH_MAX], *p, c;
	struct stat st;

	if (top != NULL)
		top[0] = '\0';
	if (trim(path, buf, sizeof(buf), err) == -1)
		return -1;
	for (p = buf;;) {
		p += strspn(p, "/");
		p += strcspn(p, "/");
		c = *p;
		*p = '\0';
		if (mkdir(buf, mode) == 0) {
			if (top != NULL && top[0] == '\0')
				strlcpy(top, buf, toplen);
			if (chmod(buf, mode) == -1)
				return jail_seterr(err, errno, "%s", buf);
		} else if (errno != EEXIST)
			return jail_seterr(err, errno, "mkdir %s", buf);
		else if (stat(buf, &st) == -1)
			return jail_seterr(err, errno, "%s", buf);
		else if (!S_ISDIR(st.st_mode))
			return jail_seterr(err, ENOTDIR, "%s", buf);
		if (c == '\0')
			return 0;
		*p = c;
	}
}

/*
 * Undo mkpath(): remove path and its parents up to top, as long as they
 * are empty directories.
 */
static void
rmpath(const char *path, const char *top)
{
	char buf[PATH_MAX], *p;

	if (top[0] == '\0' || strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return;
	for (;;) {
		for (p = buf + strlen(buf); p > buf + 1 && p[-1] == '/'; p--)
			p[-1] = '\0';
		if (rmdir(buf) == -1 && errno != ENOENT)
			return;
		if (strcmp(buf, top) == 0 || strlen(buf) <= strlen(top))
			return;
		if ((p = strrchr(buf, '/')) == NULL || p == buf)
			return;
		*p = '\0';
	}
}

/*
 * Run argv (a full path) with stdin from /dev/null and default signals.
 * With msg, stdout goes to /dev/null and the first line of stderr to msg;
 * without, both are the caller's.  *status gets the wait status.
 */
static int
run(char *const argv[], char *const envp[], char *msg, size_t msglen,
    int *status, struct jail_error *err)
{
	static const int sigs[] = { SIGPIPE, SIGCHLD, SIGINT, SIGQUIT, SIGTERM,
		SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM, SIGUSR1, SIGUSR2 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	sigset_t none, def;
	char scratch[512];
	int pfd[2] = { -1, -1 }, rc = -1, e;
	size_t i, got = 0;
	ssize_t n;
	pid_t pid;

	if (msg != NULL) {
		msg[0] = '\0';
		if (pipe2(pfd, O_CLOEXEC) == -1)
			return jail_seterr(err, errno, "pipe");
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&sa);
	sigemptyset(&none);
	sigemptyset(&def);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&def, sigs[i]);
	posix_spawnattr_setsigmask(&sa, &none);
	posix_spawnattr_setsigdefault(&sa, &def);
	posix_spawnattr_setflags(&sa,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (msg != NULL) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
		    0);
		posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	}
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	e = posix_spawn(&pid, argv[0], &fa, &sa, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	if (e != 0) {
		jail_seterr(err, e, "cannot run %s", argv[0]);
		goto out;
	}
	if (msg != NULL) {
		close(pfd[1]);
		pfd[1] = -1;
		for (;;) {
			if (got + 1 < msglen)
				n = read(pfd[0], msg + got, msglen - got - 1);
			else
				n = read(pfd[0], scratch, sizeof(scratch));
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (got + 1 < msglen) {
				got += (size_t)n;
				msg[got] = '\0';
			}
		}
		msg[strcspn(msg, "\n")] = '\0';
	}
	while (waitpid(pid, status, 0) == -1) {
		if (errno != EINTR) {
			jail_seterr(err, errno, "wait for %s", argv[0]);
			goto out;
		}
	}
	rc = 0;
out:
	if (pfd[0] != -1)
		close(pfd[0]);
	if (pfd[1] != -1)
		close(pfd[1]);
	return rc;
}

/* "status N" or "signal N", for messages. */
static const char *
statustext(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %d", WEXITSTATUS(status));
	return buf;
}

/*
 * Removing trees.
 */

struct rmwalk {
	char path[PATH_MAX]; /* of the entry at hand, for messages */
	struct jail_error *err;
	int failed;
};

static int rmfail(struct rmwalk *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first error of a walk; the walk goes on with the rest. */
static int
rmfail(struct rmwalk *w, int code, const char *fmt, ...)
{
	char msg[JAIL_ERRMAX];
	va_list ap;

	if (!w->failed && w->err != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		jail_seterr(w->err, code, "%s", msg);
	}
	w->failed = 1;
	return -1;
}

static int
sxat(int dfd, const char *name, struct statx *sx)
{
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

	if (*name == '\0')
		flags |= AT_EMPTY_PATH;
	return statx(dfd, name, flags,
	    STATX_TYPE | STATX_MODE | STATX_INO | STATX_MNT_ID, sx);
}

/*
 * Does sx, an entry of directory dsx, start another mount?  The mount id
 * tells a bind mount from its own file system, where st_dev cannot.
 */
static int
crosses(const struct statx *sx, const struct statx *dsx)
{
	if (sx->stx_dev_major != dsx->stx_dev_major ||
	    sx->stx_dev_minor != dsx->stx_dev_minor)
		return 1;
	if ((sx->stx_mask & STATX_MNT_ID) && (dsx->stx_mask & STATX_MNT_ID) &&
	    sx->stx_mnt_id != dsx->stx_mnt_id)
		return 1;
	return (sx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    (sx->stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/*
 * Open directory name of dfd, refusing symlinks and mount points at the
 * moment of the open (the checks before it can race), and make sure it is
 * still the directory sx described.
 */
static int
opendirat(int dfd, const char *name, const struct statx *sx)
{
	struct open_how how;
	struct stat st;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH;
	fd = (int)syscall(SYS_openat2, dfd, name, &how, sizeof(how));
	if (fd == -1 && (errno == ENOSYS || errno == EPERM))
		fd = openat(dfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	if (st.st_ino != sx->stx_ino ||
	    (unsigned)major(st.st_dev) != sx->stx_dev_major ||
	    (unsigned)minor(st.st_dev) != sx->stx_dev_minor) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

/*
 * Empty the directory fd (closed here), described by dsx, whose path is
 * w->path.  Entries that cannot go are reported through w and left.
 */
static void
rmwalk(int fd, const struct statx *dsx, struct rmwalk *w)
{
	struct dirent *de;
	struct statx sx;
	size_t len = strlen(w->path);
	int cfd, removed, failed;
	DIR *d;

	if ((d = fdopendir(fd)) == NULL) {
		rmfail(w, errno, "%s", w->path);
		close(fd);
		return;
	}
	/*
	 * Entries removed while reading may shift a directory's offsets on
	 * some file systems: read it again until a pass removes nothing.
	 */
	do {
		removed = failed = 0;
		rewinddir(d);
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(w->path + len,
			        sizeof(w->path) - len, "/%s",
			        de->d_name) >= sizeof(w->path) - len) {
				w->path[len] = '\0';
				rmfail(w, ENAMETOOLONG, "%s/%s", w->path,
				    de->d_name);
				failed = 1;
				continue;
			}
			if (sxat(dirfd(d), de->d_name, &sx) == -1) {
				if (errno != ENOENT) {
					rmfail(w, errno, "%s", w->path);
					failed = 1;
				}
			} else if (crosses(&sx, dsx)) {
				if (!w->failed)
					busy(w->err,
					    "%s is a mount point: not removed",
					    w->path);
				w->failed = failed = 1;
			} else if (S_ISDIR(sx.stx_mode)) {
				cfd = opendirat(dirfd(d), de->d_name, &sx);
				if (cfd == -1) {
					rmfail(w, errno, "%s", w->path);
					failed = 1;
				} else {
					rmwalk(cfd, &sx, w);
					if (unlinkat(dirfd(d), de->d_name,
					        AT_REMOVEDIR) == 0)
						removed = 1;
					else if (errno != ENOENT) {
						rmfail(w, errno, "%s", w->path);
						failed = 1;
					}
				}
			} else if (unlinkat(dirfd(d), de->d_name, 0) == 0)
				removed = 1;
			else if (errno != ENOENT) {
				rmfail(w, errno, "%s", w->path);
				failed = 1;
			}
			w->path[len] = '\0';
		}
	} while (removed && !failed);
	closedir(d);
}

/*
 * The first mount point at or below real (a path without symlinks) in
 * /proc/self/mountinfo, into buf.  0: none (or no /proc to ask).
 */
static int
mounted_below(const char *real, char *buf, size_t len)
{
	char *line = NULL, *f, *sp;
	size_t cap = 0;
	int i, found = 0;
	FILE *fp;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return 0;
	while (!found && getline(&line, &cap, fp) != -1) {
		f = strtok_r(line, " ", &sp);
		for (i = 0; f != NULL && i < 4; i++)
			f = strtok_r(NULL, " ", &sp);
		if (f == NULL)
			continue;
		jail_path_unoctal(f);
		if (jail_path_within(real, f)) {
			strlcpy(buf, f, len);
			found = 1;
		}
	}
	free(line);
	fclose(fp);
	return found;
}

/*
 * Remove the tree at path (absolute), or with keeptop only what is in it.
 * Its last component must be a directory, not a symlink.  Missing: 0.
 */
static int
rmtree(const char *path, int keeptop, struct jail_error *err)
{
	char parent[PATH_MAX], real[PATH_MAX], mp[PATH_MAX], *base;
	struct statx sx, psx;
	struct rmwalk *w = NULL;
	int pfd = -1, fd = -1, rc = -1;

	if (trim(path, parent, sizeof(parent), err) == -1)
		return -1;
	if (parent[0] != '/' || parent[1] == '\0')
		return jail_seterr(err, 0, "refusing to remove \"%s\"", path);
	base = strrchr(parent, '/');
	*base++ = '\0';
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return jail_seterr(err, 0, "refusing to remove \"%s\"", path);
	pfd = open(parent[0] == '\0' ? "/" : parent,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd == -1) {
		if (errno == ENOENT)
			return 0;
		return jail_seterr(err, errno, "%s", path);
	}
	if (sxat(pfd, base, &sx) == -1) {
		if (errno == ENOENT)
			rc = 0;
		else
			jail_seterr(err, errno, "%s", path);
		goto out;
	}
	if (!S_ISDIR(sx.stx_mode)) {
		jail_seterr(err, ENOTDIR, "refusing to remove %s", path);
		goto out;
	}
	if (sxat(pfd, "", &psx) == -1) {
		jail_seterr(err, errno, "%s", path);
		goto out;
	}
	if (crosses(&sx, &psx)) {
		busy(err, "%s is a mount point: not removed", path);
		goto out;
	}
	if (realpath(path, real) != NULL &&
	    mounted_below(real, mp, sizeof(mp))) {
		busy(err, "%s is a mount point: nothing removed", mp);
		goto out;
	}
	if ((fd = opendirat(pfd, base, &sx)) == -1) {
		jail_seterr(err, errno, "%s", path);
		goto out;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		jail_seterr(err, errno, "%s", path);
		goto out;
	}
	w->err = err;
	trim(path, w->path, sizeof(w->path), NULL);
	rmwalk(fd, &sx, w);
	fd = -1; /* closed by rmwalk() */
	if (w->failed)
		goto out;
	if (!keeptop && unlinkat(pfd, base, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT) {
		jail_seterr(err, errno, "%s", path);
		goto out;
	}
	rc = 0;
out:
	free(w);
	if (fd != -1)
		close(fd);
	close(pfd);
	return rc;
}

int
jail_tree_remove(const char *path, int overlay, struct jail_error *err)
{
	char layers[PATH_MAX];

	if (path == NULL || path[0] != '/')
		return jail_seterr(err, 0, "%s: not an absolute path",
		    path == NULL ? "(null)" : path);
	if (overlay && jail_tree_layers(path, layers, sizeof(layers)) == -1)
		return jail_seterr(err, errno, "%s", path);
	if (rmtree(path, 0, err) == -1)
		return -1;
	if (overlay && rmtree(layers, 0, err) == -1)
		return -1;
	return 0;
}

int
jail_tree_layers(const char *path, char *buf, size_t len)
{
	const char *end, *base;
	size_t dlen;

	if (path == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (end = path + strlen(path); end > path && end[-1] == '/'; end--)
		;
	for (base = end; base > path && base[-1] != '/'; base--)
		;
	if (base == end || (end - base == 1 && base[0] == '.') ||
	    (end - base == 2 && base[0] == '.' && base[1] == '.')) {
		errno = EINVAL;
		return -1;
	}
	dlen = (size_t)(base - path);
	if ((size_t)snprintf(buf, len, "%.*s.%.*s.overlay", (int)dlen, path,
	        (int)(end - base), base) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * Making trees.
 */

/*
 * path may exist as an empty directory (*existed = 1; not a symlink) or
 * not at all, when it is made with its missing parents (top: see mkpath).
 */
static int
mkroot(const char *path, int *existed, char *top, size_t toplen,
    struct jail_error *err)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, full = 0;

	*existed = 0;
	top[0] = '\0';
	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			return jail_seterr(err, errno, "%s", path);
		return mkpath(path, 0755, top, toplen, err);
	}
	if (!S_ISDIR(st.st_mode))
		return jail_seterr(err, EEXIST, "%s", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return jail_seterr(err, errno, "%s", path);
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return jail_seterr(err, errno, "%s", path);
	}
	while (!full && (de = readdir(d)) != NULL)
		full = strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(d);
	if (full)
		return jail_seterr(err, ENOTEMPTY, "%s", path);
	*existed = 1;
	return 0;
}

/* Undo mkroot() and what was made in the directory since. */
static void
unmkroot(const char *path, int existed, const char *top)
{
	if (existed) {
		rmtree(path, 1, NULL);
		return;
	}
	if (rmtree(path, 0, NULL) == 0)
		rmpath(path, top);
}

/*
 * The copy is cp(1)'s: it knows sparse files, reflinks, xattrs, ACLs,
 * devices and hard links better than a walk of ours would.  -a keeps
 * symlinks as they are and links only files within the copy; -x leaves
 * out what is mounted inside the template, as an overlay would.
 */
static int
copytree(const char *troot, const char *path, struct jail_error *err)
{
	char src[PATH_MAX + 2], dst[PATH_MAX + 1], msg[256], st[32];
	char cp[] = "/usr/bin/cp";
	char *argv[] = { cp, "-a", "-x", "--reflink=auto", "--", src, dst,
		NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	int status;

	if ((size_t)snprintf(src, sizeof(src), "%s/.", troot) >= sizeof(src) ||
	    (size_t)snprintf(dst, sizeof(dst), "%s/", path) >= sizeof(dst))
		return jail_seterr(err, ENAMETOOLONG, "%s", path);
	if (access(cp, X_OK) == -1)
		strlcpy(cp, "/bin/cp", sizeof(cp));
	if (run(argv, envp, msg, sizeof(msg), &status, err) == -1)
		return -1;
	if (status != 0)
		return jail_seterr(err, 0, "copy %s to %s: %s", troot, path,
		    msg[0] != '\0' ? msg : statustext(status, st, sizeof(st)));
	return 0;
}

/*
 * The layer directory of a thin jail.  upper/ takes the mode and owner of
 * the template's root, since the overlay's root shows the upper layer's.
 */
static int
mklayers(const struct stat *tst, const char *path, struct jail_error *err)
{
	char layers[PATH_MAX], top[PATH_MAX], sub[PATH_MAX + 8];
	int existed;

	if (jail_tree_layers(path, layers, sizeof(layers)) == -1)
		return jail_seterr(err, errno, "%s", path);
	if (mkroot(layers, &existed, top, sizeof(top), err) == -1)
		return -1;
	if (chmod(layers, 0755) == -1) {
		jail_seterr(err, errno, "%s", layers);
		goto fail;
	}
	snprintf(sub, sizeof(sub), "%s/upper", layers);
	if (mkdir(sub, 0700) == -1 ||
	    chown(sub, tst->st_uid, tst->st_gid) == -1 ||
	    chmod(sub, tst->st_mode & 07777) == -1) {
		jail_seterr(err, errno, "%s", sub);
		goto fail;
	}
	snprintf(sub, sizeof(sub), "%s/work", layers);
	if (mkdir(sub, 0700) == -1 || chmod(sub, 0755) == -1) {
		jail_seterr(err, errno, "%s", sub);
		goto fail;
	}
	return 0;
fail:
	unmkroot(layers, existed, top);
	return -1;
}

/*
 * path with symlinks resolved as far as it exists, the rest appended as
 * written.
 */
static int
resolve(const char *path, char *out, size_t len)
{
	char buf[PATH_MAX], real[PATH_MAX], *p;
	size_t n;

	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return -1;
	while (realpath(buf, real) == NULL) {
		if (errno != ENOENT || (p = strrchr(buf, '/')) == NULL)
			return -1;
		*p = '\0';
		if (p == buf) {
			strlcpy(real, "/", sizeof(real));
			break;
		}
	}
	n = strlen(buf);
	if (strcmp(real, "/") == 0 && path[n] == '/')
		n++; /* no "//" */
	if ((size_t)snprintf(out, len, "%s%s", real, path + n) >= len)
		return -1;
	return 0;
}

int
jail_tree_create(const char *troot, const char *path, int overlay,
    struct jail_error *err)
{
	char top[PATH_MAX], rt[PATH_MAX], rp[PATH_MAX], *clean;
	struct stat tst, pst;
	int existed, inside, rc;

	if (path == NULL || path[0] != '/' || path[strspn(path, "/")] == '\0')
		return jail_seterr(err, 0,
		    "jail path \"%s\": not an absolute "
		    "path below /",
		    path == NULL ? "(null)" : path);
	if (troot == NULL || troot[0] != '/')
		return jail_seterr(err, 0,
		    "template root \"%s\": not an "
		    "absolute path",
		    troot == NULL ? "(null)" : troot);
	if (stat(troot, &tst) == -1)
		return jail_seterr(err, errno, "template root %s", troot);
	if (!S_ISDIR(tst.st_mode))
		return jail_seterr(err, ENOTDIR, "template root %s", troot);
	if (realpath(troot, rt) == NULL)
		return jail_seterr(err, errno, "template root %s", troot);
	if (resolve(path, rp, sizeof(rp)) == -1)
		return jail_seterr(err, errno, "%s", path);
	if ((clean = jail_path_clean(rp)) == NULL)
		return jail_seterr(err, errno, "%s", path);
	inside = jail_path_within(rt, clean);
	free(clean);
	if (inside)
		return jail_seterr(err, 0,
		    "jail path %s is inside the template "
		    "%s",
		    path, troot);
	if (mkroot(path, &existed, top, sizeof(top), err) == -1)
		return -1;
	if (existed && lstat(path, &pst) == -1) {
		jail_seterr(err, errno, "%s", path);
		return -1;
	}
	if (overlay)
		rc = mklayers(&tst, path, err);
	else
		rc = copytree(troot, path, err);
	if (rc == -1) {
		unmkroot(path, existed, top);
		/* cp gave it the template's owner and mode: put them back */
		if (existed && lchown(path, pst.st_uid, pst.st_gid) == 0)
			chmod(path, pst.st_mode & 07777);
	}
	return rc;
}

/*
 * The store.
 */

/* A fresh build id: UTC time and random bits. */
static void
newid(char *buf, size_t len)
{
	unsigned char r[8];
	struct timespec ts;
	struct tm tm;
	size_t n, i;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y%m%dT%H%M%S-", &tm);
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)((unsigned long)ts.tv_nsec >>
			        (i * 3) ^
			    (unsigned long)getpid() >> i);
	}
	for (i = 0; i < sizeof(r) && n + 2 < len; i++, n += 2)
		snprintf(buf + n, len - n, "%02x", r[i]);
}

/* Write text to path through path.tmp, fsync and rename. */
static int
writeatomic(const char *path, const char *text, struct jail_error *err)
{
	char tmp[PATH_MAX + 8];
	size_t n = strlen(text);
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return jail_seterr(err, ENAMETOOLONG, "%s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1)
		return jail_seterr(err, errno, "%s", tmp);
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) == -1) {
		jail_seterr(err, errno ? errno : EIO, "%s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		jail_seterr(err, errno, "%s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * The build id of STORE/NAME, from STORE/NAME.build; a tree put in the
 * store by hand gets one now.
 */
static int
buildid(const char *store, const char *name, char *id, size_t len,
    struct jail_error *err)
{
	char path[PATH_MAX], line[128];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.build", store, name) >=
	    sizeof(path))
		return jail_seterr(err, ENAMETOOLONG, "%s", store);
	line[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) != -1) {
		n = read(fd, line, sizeof(line) - 1);
		close(fd);
		line[n > 0 ? n : 0] = '\0';
		line[strcspn(line, "\n")] = '\0';
	} else if (errno != ENOENT)
		return jail_seterr(err, errno, "%s", path);
	if (line[0] == '\0') {
		newid(line, sizeof(line) - 1);
		strlcat(line, "\n", sizeof(line));
		if (writeatomic(path, line, err) == -1)
			return -1;
		line[strcspn(line, "\n")] = '\0';
	}
	if (strlcpy(id, line, len) >= len)
		return jail_seterr(err, ENAMETOOLONG, "%s", path);
	return 0;
}

/* Remove STORE/.NAME.tmp.XXXXXX trees an interrupted build left. */
static void
rmstale(const char *store, const char *name)
{
	char prefix[JAIL_NAMEMAX + 8], path[PATH_MAX];
	struct dirent *de;
	size_t n;
	DIR *d;

	n = (size_t)snprintf(prefix, sizeof(prefix), ".%s.tmp.", name);
	if ((d = opendir(store)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, n) != 0 ||
		    strlen(de->d_name) != n + 6)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", store,
		        de->d_name) < sizeof(path))
			rmtree(path, 0, NULL);
	}
	closedir(d);
}

/*
 * Run RECIPES/NAME/build into a temporary directory of the store and put
 * the result in place.  The caller holds the template's lock.
 */
static int
build(const char *store, const char *recipes, const char *name,
    struct jail_error *err)
{
	char recipe[PATH_MAX], tmp[PATH_MAX], tree[PATH_MAX], idpath[PATH_MAX];
	char id[80], st[32], sh[] = "/bin/sh";
	char *argv[4];
	struct jail_error rmerr;
	struct stat sb;
	int status, fd;

	if (recipes == NULL ||
	    (size_t)snprintf(recipe, sizeof(recipe), "%s/%s/build", recipes,
	        name) >= sizeof(recipe) ||
	    stat(recipe, &sb) == -1 || !S_ISREG(sb.st_mode))
		return jail_seterr(err, 0, "no template recipe %s in %s", name,
		    recipes == NULL ? "(none)" : recipes);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.XXXXXX", store,
	        name) >= sizeof(tmp))
		return jail_seterr(err, ENAMETOOLONG, "%s", store);
	snprintf(tree, sizeof(tree), "%s/%s", store, name);
	snprintf(idpath, sizeof(idpath), "%s/%s.build", store, name);
	rmstale(store, name);
	if (mkdtemp(tmp) == NULL)
		return jail_seterr(err, errno, "%s", tmp);
	if (chmod(tmp, 0755) == -1) {
		jail_seterr(err, errno, "%s", tmp);
		goto fail;
	}
	/* a recipe without its x bit (a copy that lost it) still runs */
	if (access(recipe, X_OK) == 0) {
		argv[0] = recipe;
		argv[1] = tmp;
		argv[2] = NULL;
	} else {
		argv[0] = sh;
		argv[1] = recipe;
		argv[2] = tmp;
		argv[3] = NULL;
	}
	if (run(argv, environ, NULL, 0, &status, err) == -1)
		goto fail;
	if (status != 0) {
		jail_seterr(err, 0, "template %s: build failed (%s)", name,
		    statustext(status, st, sizeof(st)));
		goto fail;
	}
	newid(id, sizeof(id) - 1);
	strlcat(id, "\n", sizeof(id));
	/* the tree reaches the disk before the rename makes it the template */
	if ((fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		syncfs(fd);
		close(fd);
	}
	if (writeatomic(idpath, id, err) == -1)
		goto fail;
	if (rename(tmp, tree) == -1) {
		jail_seterr(err, errno, "%s", tree);
		unlink(idpath);
		goto fail;
	}
	if ((fd = open(store, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	return 0;
fail:
	if (rmtree(tmp, 0, &rmerr) == -1 && err != NULL) {
		strlcat(err->msg, "; left behind: ", sizeof(err->msg));
		strlcat(err->msg, rmerr.msg, sizeof(err->msg));
	}
	return -1;
}

/* An absolute path: used as it is; its id says which directory it was. */
static int
usepath(const char *tmpl, char *root, size_t rootlen, char *bid, size_t bidlen,
    struct jail_error *err)
{
	char id[80];
	struct stat st;

	if (stat(tmpl, &st) == -1)
		return jail_seterr(err, errno, "template %s", tmpl);
	if (!S_ISDIR(st.st_mode))
		return jail_seterr(err, ENOTDIR, "template %s", tmpl);
	snprintf(id, sizeof(id), "path:%ju:%ju:%jd", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino, (intmax_t)st.st_mtime);
	if (strlen(tmpl) >= rootlen || strlen(id) >= bidlen)
		return jail_seterr(err, ENAMETOOLONG, "template %s", tmpl);
	strlcpy(root, tmpl, rootlen);
	strlcpy(bid, id, bidlen);
	return 0;
}

int
jail_template_get(const char *store, const char *recipes, const char *tmpl,
    char *root, size_t rootlen, char *bid, size_t bidlen,
    struct jail_error *err)
{
	char tree[PATH_MAX], lock[PATH_MAX], id[128];
	struct stat st;
	int lfd = -1, rc = -1;

	if (tmpl == NULL)
		return jail_seterr(err, EINVAL, "no template");
	if (tmpl[0] == '/')
		return usepath(tmpl, root, rootlen, bid, bidlen, err);
	if (name_valid(tmpl, err) == -1)
		return -1;
	if (store == NULL || store[0] == '\0')
		return jail_seterr(err, EINVAL, "no template store");
	if ((size_t)snprintf(tree, sizeof(tree), "%s/%s", store, tmpl) >=
	        sizeof(tree) ||
	    (size_t)snprintf(lock, sizeof(lock), "%s/.%s.lock", store, tmpl) >=
	        sizeof(lock))
		return jail_seterr(err, ENAMETOOLONG, "%s", store);
	if (mkpath(store, 0755, NULL, 0, err) == -1)
		return -1;
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lfd == -1)
		return jail_seterr(err, errno, "%s", lock);
	while (flock(lfd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			jail_seterr(err, errno, "lock %s", lock);
			goto out;
		}
	}
	if (lstat(tree, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			jail_seterr(err, ENOTDIR, "template %s", tree);
			goto out;
		}
	} else if (errno != ENOENT) {
		jail_seterr(err, errno, "template %s", tree);
		goto out;
	} else if (build(store, recipes, tmpl, err) == -1)
		goto out;
	if (buildid(store, tmpl, id, sizeof(id), err) == -1)
		goto out;
	if (strlen(tree) >= rootlen || strlen(id) >= bidlen) {
		jail_seterr(err, ENAMETOOLONG, "template %s", tree);
		goto out;
	}
	strlcpy(root, tree, rootlen);
	strlcpy(bid, id, bidlen);
	rc = 0;
out:
	close(lfd); /* and with it the lock */
	return rc;
}
