/*
 * rootfs: the mounts that make a jail's root, done by the holder inside the
 * jail's own mount namespace (so they end with it and never linger on the
 * host).  Every target is resolved inside the jail's root with openat2(2)
 * and RESOLVE_IN_ROOT, so a symlink planted in the tree cannot send a mount
 * out of it, and the mount goes onto the resolved file descriptor through
 * /proc/self/fd rather than onto a path that could be swapped in between.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"

/*
 * Open rel (a path inside the jail, "/" meaning its root) below rootfd,
 * never leaving the root.  want is S_IFDIR, S_IFREG or 0 (anything).
 */
int
jail_root_open(int rootfd, const char *rel, mode_t want, struct jail_error *err)
{
	struct open_how how;
	struct stat sb;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	if (want & JAIL_ROOT_REAL) { /* no symlink anywhere on the way */
		how.resolve |= RESOLVE_NO_SYMLINKS;
		want &= ~(mode_t)JAIL_ROOT_REAL;
	}
	while (*rel == '/')
		rel++;
	fd = (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how,
	    sizeof(how));
	if (fd == -1)
		return jail_seterr(err, errno, "/%s", rel);
	if (want != 0 &&
	    (fstat(fd, &sb) == -1 || (sb.st_mode & S_IFMT) != want)) {
		close(fd);
		return jail_seterr(err, want == S_IFDIR ? ENOTDIR : EINVAL,
		    "/%s", rel);
	}
	return fd;
}

/* Mount onto the file an O_PATH descriptor names. */
static int
mount_fd(const char *src, int fd, const char *type, unsigned long flags,
    const char *data)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return mount(src, p, type, flags, data);
}

/* Make the mount under fd read-only (and whatever else flags say). */
static int
remount_fd(int fd, unsigned long flags)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

int
jail_mount_at(int rootfd, const char *rel, mode_t want, const char *src,
    const char *type, unsigned long flags, const char *data,
    struct jail_error *err)
{
	int fd, rc;

	if ((fd = jail_root_open(rootfd, rel, want, err)) == -1)
		return -1;
	rc = mount_fd(src, fd, type, flags, data);
	if (rc == -1)
		jail_seterr(err, errno, "/%s", *rel == '/' ? rel + 1 : rel);
	close(fd);
	return rc;
}

static const struct mntopt {
	const char *name;
	unsigned long set, clear;
} mntopts[] = {
	{ "defaults", 0, 0 },
	{ "rw", 0, MS_RDONLY },
	{ "ro", MS_RDONLY, 0 },
	{ "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC },
	{ "noatime", MS_NOATIME, 0 },
	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0 },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "sync", MS_SYNCHRONOUS, 0 },
	{ "bind", MS_BIND, 0 },
	{ "rbind", MS_BIND | MS_REC, 0 },
	{ "auto", 0, 0 },
	{ "noauto", 0, 0 },
	{ "late", 0, 0 },
};

static int
hasopt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	const char *p;

	for (p = opts; (p = strstr(p, opt)) != NULL; p += n)
		if ((p == opts || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

/*
 * Split fstab options into mount flags and the file system's own data.
 * data has room for strlen(opts) + 1.
 */
static void
parse_opts(const char *opts, unsigned long *flags, char *data)
{
	char *copy, *o, *save = NULL;
	size_t i, n = 0;

	*flags = 0;
	data[0] = '\0';
	if ((copy = strdup(opts)) == NULL)
		return;
	for (o = strtok_r(copy, ",", &save); o != NULL;
	     o = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(mntopts) / sizeof(mntopts[0]); i++)
			if (strcmp(o, mntopts[i].name) == 0)
				break;
		if (i < sizeof(mntopts) / sizeof(mntopts[0])) {
			*flags |= mntopts[i].set;
			*flags &= ~mntopts[i].clear;
			continue;
		}
		n += (size_t)sprintf(data + n, "%s%s", n ? "," : "", o);
	}
	free(copy);
}

/*
 * One fstab(5) line: SRC DST TYPE OPTS.  DST is a host path inside root
 * (as in FreeBSD); FreeBSD's nullfs is a bind mount.  Bind mounts are made
 * read-only by a second, remounting call, as the kernel wants.
 */
int
jail_mount_line(int rootfd, const char *root, const char *line,
    struct jail_error *err)
{
	char *f[6], buf[4096], *dst = NULL, *data = NULL;
	unsigned long flags;
	const char *rel, *type;
	int fd = -1, rc = -1;
	size_t n;

	if (jail_fstab_split(line, f, buf, sizeof(buf)) == -1)
		return jail_seterr(err, EINVAL, "bad mount line \"%s\"", line);
	if ((dst = jail_path_clean(f[1])) == NULL ||
	    (data = malloc(strlen(f[3]) + 1)) == NULL) {
		jail_seterr(err, ENOMEM, "mount");
		goto out;
	}
	n = strlen(root);
	if (strcmp(root, "/") == 0)
		rel = dst;
	else if (strncmp(dst, root, n) == 0 && dst[n] == '/')
		rel = dst + n;
	else {
		jail_seterr(err, EINVAL, "%s: not inside %s", f[1], root);
		goto out;
	}
	parse_opts(f[3], &flags, data);
	if (hasopt(f[3], "noauto")) {
		rc = 0; /* as mount -a: not mounted */
		goto out;
	}
	type = f[2];
	if (strcmp(type, "nullfs") == 0 || strcmp(type, "bind") == 0 ||
	    strcmp(type, "none") == 0)
		flags |= MS_BIND;
	if ((fd = jail_root_open(rootfd, rel, 0, err)) == -1) {
		jail_preerr(err, "target %s", f[1]);
		goto out;
	}
	if (flags & MS_BIND) {
		if (mount_fd(f[0], fd, NULL, MS_BIND | (flags & MS_REC),
		        NULL) == -1) {
			jail_seterr(err, errno, "%s", f[0]);
			goto out;
		}
		if ((flags & ~(MS_BIND | MS_REC)) != 0) {
			close(fd);
			/* reopen: fd named the directory under the mount */
			if ((fd = jail_root_open(rootfd, rel, 0, err)) == -1 ||
			    remount_fd(fd, flags & ~(MS_BIND | MS_REC)) == -1) {
				jail_seterr(err, errno, "remount %s", f[1]);
				goto out;
			}
		}
	} else if (mount_fd(f[0], fd, type, flags, *data ? data : NULL) == -1) {
		jail_seterr(err, errno, "%s on %s", type, f[1]);
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	free(dst);
	free(data);
	return rc;
}

/* Every line of an fstab(5) file; errors name the line. */
int
jail_mount_fstab(int rootfd, const char *root, const char *file,
    struct jail_error *err)
{
	char line[4096], *s;
	FILE *f;
	int n = 0, rc = 0;

	if ((f = fopen(file, "re")) == NULL)
		return jail_seterr(err, errno, "%s", file);
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s == '\0' || *s == '#')
			continue;
		if (jail_mount_line(rootfd, root, s, err) == -1) {
			jail_preerr(err, "%s line %d", file, n);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}
