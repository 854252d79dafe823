/*
 * userns: a jail's user namespace.  See userns.h for what each call
 * promises; this file says why it is done so.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <linux/capability.h>

#include <ctype.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"
#include "userns.h"

#define SUBID_MAXFILE   (1024 * 1024)
#define SUBID_MAXRANGES 64

/* The line of v that holds inside id id, mapped; -1 when none does. */
static int
map_id(const struct jail_idmap *v, int n, uint32_t id, uint32_t *out)
{
	int i;

	for (i = 0; i < n; i++) {
		if (id >= v[i].inside &&
		    (uint64_t)id < (uint64_t)v[i].inside + v[i].count) {
			*out = v[i].outside + (id - v[i].inside);
			return 0;
		}
	}
	return -1;
}

static int
lines_of(const struct jail *j, int p, struct jail_idmap *v, int *n,
    struct jail_error *err)
{
	const char *const *vals;
	size_t i, k;

	k = jail_get_list(j, p, &vals);
	if (k > JAIL_IDMAP_MAX)
		return jail_seterr(err, 0, "\"%s\" has %zu lines, at most %d",
		    jail_ptab[p].name, k, JAIL_IDMAP_MAX);
	for (i = 0; i < k; i++)
		if (jail_idmap_parse(vals[i], &v[i]) == -1)
			return jail_seterr(err, 0,
			    "\"%s\": \"%s\" is not an id map",
			    jail_ptab[p].name, vals[i]);
	*n = (int)k;
	return 0;
}

int
jail_idmaps_of(const struct jail *j, struct jail_idmaps *m, int *mode,
    struct jail_error *err)
{
	struct jail_idmaps t;
	const char *v;

	memset(&t, 0, sizeof(t));
	if (jail_param_hasvalue(j, P_UIDMAP) ||
	    jail_param_hasvalue(j, P_GIDMAP)) {
		if (lines_of(j, P_UIDMAP, t.uid, &t.nuid, err) == -1 ||
		    lines_of(j, P_GIDMAP, t.gid, &t.ngid, err) == -1)
			return -1;
		if (t.ngid == 0) {
			memcpy(t.gid, t.uid, sizeof(t.gid));
			t.ngid = t.nuid;
		}
		*m = t;
		*mode = JAIL_USERNS_MAP;
		return 0;
	}
	v = jail_get(j, P_USERNS);
	*m = t;
	*mode = v != NULL && strcmp(v, "auto") == 0 ? JAIL_USERNS_AUTO
	                                            : JAIL_USERNS_NONE;
	return 0;
}

int
jail_idmaps_host(const struct jail_idmaps *m, int gid, uint32_t inside,
    uint32_t *outside)
{
	return gid ? map_id(m->gid, m->ngid, inside, outside)
	           : map_id(m->uid, m->nuid, inside, outside);
}

int
jail_idmaps_text(const struct jail_idmaps *m, int gid, char *buf, size_t len)
{
	const struct jail_idmap *v = gid ? m->gid : m->uid;
	int i, n = gid ? m->ngid : m->nuid;
	size_t off = 0;
	int r;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		r = snprintf(buf + off, len - off, "%s%u %u %u",
		    i > 0 ? "," : "", v[i].inside, v[i].outside, v[i].count);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += (size_t)r;
	}
	return 0;
}

static int
scan1(const char *text, struct jail_idmap *v, int *n)
{
	char line[128];
	const char *p, *e;
	size_t l;

	*n = 0;
	if (text == NULL || *text == '\0')
		return 0;
	for (p = text;; p = e + 1) {
		e = strchr(p, ',');
		l = e != NULL ? (size_t)(e - p) : strlen(p);
		if (*n == JAIL_IDMAP_MAX || l >= sizeof(line))
			return -1;
		memcpy(line, p, l);
		line[l] = '\0';
		if (jail_idmap_parse(line, &v[*n]) == -1)
			return -1;
		(*n)++;
		if (e == NULL)
			return 0;
	}
}

int
jail_idmaps_scan(const char *uidtext, const char *gidtext,
    struct jail_idmaps *m)
{
	struct jail_idmaps t;

	memset(&t, 0, sizeof(t));
	if (scan1(uidtext, t.uid, &t.nuid) == -1 ||
	    scan1(gidtext, t.gid, &t.ngid) == -1)
		return -1;
	*m = t;
	return 0;
}

/* A decimal number that fits 32 bits, the whole of s. */
static int
num32(const char *s, size_t len, uint32_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (n > UINT32_MAX)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/* One "owner:start:count" line of len bytes; 1 when it is user's. */
static int
subid_line(const char *l, size_t len, const char *user, uint32_t uid,
    struct jail_idrange *r)
{
	const char *c1, *c2, *end = l + len;
	uint32_t owner;

	while (l < end && isspace((unsigned char)*l))
		l++;
	while (end > l && isspace((unsigned char)end[-1]))
		end--;
	if (l == end || *l == '#')
		return 0;
	if ((c1 = memchr(l, ':', (size_t)(end - l))) == NULL ||
	    (c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1))) == NULL)
		return 0;
	if (num32(c1 + 1, (size_t)(c2 - c1 - 1), &r->start) == -1 ||
	    num32(c2 + 1, (size_t)(end - c2 - 1), &r->count) == -1 ||
	    r->count == 0 ||
	    (uint64_t)r->start + r->count > (uint64_t)UINT32_MAX + 1)
		return 0;
	if (user != NULL && strlen(user) == (size_t)(c1 - l) &&
	    memcmp(l, user, (size_t)(c1 - l)) == 0)
		return 1;
	return num32(l, (size_t)(c1 - l), &owner) == 0 && owner == uid;
}

size_t
jail_subid_parse(const char *text, const char *user, uint32_t uid,
    struct jail_idrange *out, size_t max)
{
	struct jail_idrange r;
	const char *p, *e;
	size_t n = 0;

	for (p = text; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		if (subid_line(p, (size_t)(e - p), user, uid, &r)) {
			if (n < max)
				out[n] = r;
			n++;
		}
		if (*e == '\0')
			break;
	}
	return n;
}

int
jail_subid_read(const char *path, int gid, const char *user, uint32_t uid,
    struct jail_idrange *out, size_t max, char *used, struct jail_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	ssize_t r;
	int fd, rc = -1;

	if (path == NULL)
		path = getenv(gid ? "JAILCTL_SUBGID" : "JAILCTL_SUBUID");
	if (path == NULL || *path == '\0')
		path = gid ? "/etc/subgid" : "/etc/subuid";
	if (used != NULL)
		strlcpy(used, path, PATH_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return jail_seterr(err, errno, "%s", path);
	}
	if ((buf = malloc(SUBID_MAXFILE + 1)) == NULL) {
		jail_seterr(err, errno, "%s", path);
		goto out;
	}
	while (n < SUBID_MAXFILE &&
	    (r = read(fd, buf + n, SUBID_MAXFILE - n)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			jail_seterr(err, errno, "%s", path);
			goto out;
		}
		n += (size_t)r;
	}
	if (n == SUBID_MAXFILE) {
		jail_seterr(err, EFBIG, "%s", path);
		goto out;
	}
	buf[n] = '\0';
	n = jail_subid_parse(buf, user, uid, out, max);
	rc = n > (size_t)INT_MAX ? INT_MAX : (int)n;
out:
	free(buf);
	close(fd);
	return rc;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct jail_idrange *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/*
 * The lowest start of count ids inside one of sub and outside every line of
 * used's gid (or uid) maps; -1 when none.  Touching or overlapping ranges
 * of sub are merged first, so a jail may straddle two lines of the file.
 */
static int
pick1(const char *name, const struct jail_idrange *sub, size_t nsub,
    const struct jail_idused *used, size_t nused, int gid, uint32_t count,
    uint32_t *start)
{
	struct jail_idrange *s;
	const struct jail_idmap *v;
	uint64_t lo, hi, cand, end;
	size_t i, k, n = 0;
	int l, nl, moved, rc = -1;

	if ((s = calloc(nsub ? nsub : 1, sizeof(*s))) == NULL)
		return -1;
	memcpy(s, sub, nsub * sizeof(*s));
	qsort(s, nsub, sizeof(*s), range_cmp);
	for (i = 0; i < nsub; i++) {
		if (n > 0 &&
		    (uint64_t)s[i].start <=
		        (uint64_t)s[n - 1].start + s[n - 1].count) {
			end = (uint64_t)s[i].start + s[i].count;
			if (end > (uint64_t)s[n - 1].start + s[n - 1].count)
				s[n - 1].count =
				    (uint32_t)(end - s[n - 1].start);
			continue;
		}
		s[n++] = s[i];
	}
	/* The ranges are sorted: the first that fits is the lowest. */
	for (i = 0; i < n && rc == -1; i++) {
		lo = s[i].start == 0 ? 1 : s[i].start; /* never host id 0 */
		hi = (uint64_t)s[i].start + s[i].count;
		for (cand = lo, moved = 1; moved && cand + count <= hi;) {
			moved = 0;
			for (k = 0; k < nused; k++) {
				if (name != NULL && used[k].name != NULL &&
				    strcmp(name, used[k].name) == 0)
					continue;
				v = gid ? used[k].m.gid : used[k].m.uid;
				nl = gid ? used[k].m.ngid : used[k].m.nuid;
				for (l = 0; l < nl; l++) {
					end =
					    (uint64_t)v[l].outside + v[l].count;
					if (v[l].outside < cand + count &&
					    cand < end) {
						cand = end;
						moved = 1;
					}
				}
			}
			if (!moved && cand + count <= hi) {
				*start = (uint32_t)cand;
				rc = 0;
			}
		}
	}
	free(s);
	return rc;
}

int
jail_userns_pick(const char *name, const struct jail_idrange *subuid,
    size_t nsubuid, const struct jail_idrange *subgid, size_t nsubgid,
    const struct jail_idused *used, size_t nused, const char *const file[2],
    struct jail_idmaps *out, struct jail_error *err)
{
	static const char *const deffile[2] = { "/etc/subuid", "/etc/subgid" };
	const struct jail_idrange *sub[2] = { subuid, subgid };
	size_t nsub[2] = { nsubuid, nsubgid };
	uint32_t start[2];
	int g;

	if (file == NULL)
		file = deffile;
	for (g = 0; g < 2; g++) {
		if (nsub[g] == 0)
			return jail_seterr(err, 0,
			    "userns = auto: no range for root in %s", file[g]);
		if (pick1(name, sub[g], nsub[g], used, nused, g,
		        JAIL_USERNS_AUTO_COUNT, &start[g]) == -1)
			return jail_seterr(err, errno == ENOMEM ? ENOMEM : 0,
			    "userns = auto: no free %d-id range in %s for "
			    "root",
			    JAIL_USERNS_AUTO_COUNT, file[g]);
	}
	memset(out, 0, sizeof(*out));
	out->uid[0].outside = start[0];
	out->gid[0].outside = start[1];
	out->uid[0].count = out->gid[0].count = JAIL_USERNS_AUTO_COUNT;
	out->nuid = out->ngid = 1;
	return 0;
}

int
jail_userns_auto(const char *name, const struct jail_idused *used, size_t nused,
    struct jail_idmaps *out, struct jail_error *err)
{
	struct jail_idrange r[2][SUBID_MAXRANGES];
	char path[2][PATH_MAX];
	const char *file[2] = { path[0], path[1] };
	int n[2], g;

	for (g = 0; g < 2; g++) {
		n[g] = jail_subid_read(NULL, g, "root", 0, r[g],
		    SUBID_MAXRANGES, path[g], err);
		if (n[g] == -1)
			return jail_preerr(err, "userns = auto");
		if (n[g] > SUBID_MAXRANGES)
			n[g] = SUBID_MAXRANGES;
	}
	return jail_userns_pick(name, r[0], (size_t)n[0], r[1], (size_t)n[1],
	    used, nused, file, out, err);
}

int
jail_userns_check(const char *name, const struct jail_idmaps *m,
    const struct jail_idused *used, size_t nused, struct jail_error *err)
{
	const struct jail_idmap *a, *b;
	size_t k;
	int g, i, l, na, nb;

	for (g = 0; g < 2; g++) {
		a = g ? m->gid : m->uid;
		na = g ? m->ngid : m->nuid;
		for (i = 0; i < na; i++) {
			if (a[i].outside == 0)
				return jail_seterr(err, 0,
				    "\"userns.%s\" = \"%u %u %u\" maps host "
				    "id 0 (root) into the jail",
				    g ? "gidmap" : "uidmap", a[i].inside,
				    a[i].outside, a[i].count);
			for (k = 0; k < nused; k++) {
				if (name != NULL && used[k].name != NULL &&
				    strcmp(name, used[k].name) == 0)
					continue;
				b = g ? used[k].m.gid : used[k].m.uid;
				nb = g ? used[k].m.ngid : used[k].m.nuid;
				for (l = 0; l < nb; l++) {
					if ((uint64_t)a[i].outside <
					        (uint64_t)b[l].outside +
					            b[l].count &&
					    (uint64_t)b[l].outside <
					        (uint64_t)a[i].outside +
					            a[i].count)
						return jail_seterr(err, 0,
						    "\"userns.%s\" = \"%u %u "
						    "%u\" overlaps the map of "
						    "jail \"%s\" (\"%u %u %u\")",
						    g ? "gidmap" : "uidmap",
						    a[i].inside, a[i].outside,
						    a[i].count,
						    used[k].name ? used[k].name
						                 : "?",
						    b[l].inside, b[l].outside,
						    b[l].count);
				}
			}
		}
	}
	return 0;
}

/* Effective CAP_SETGID, asked of the kernel (libcap-ng's state is caps.c's). */
static int
have_setgid(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) == -1)
		return 0;
	return (d[0].effective & (1U << CAP_SETGID)) != 0;
}

/* One write(2) of text into /proc/PID/NAME. */
static int
proc_write(pid_t pid, const char *name, const char *text,
    struct jail_error *err)
{
	char path[64];
	size_t len = strlen(text);
	ssize_t w;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return jail_seterr(err, errno, "%s", path);
	w = write(fd, text, len);
	if (w == -1 || (size_t)w != len) {
		jail_seterr(err, w == -1 ? errno : EIO, "write %s", path);
		close(fd);
		return -1;
	}
	if (close(fd) == -1)
		return jail_seterr(err, errno, "%s", path);
	return 0;
}

static int
map_text(const struct jail_idmap *v, int n, char *buf, size_t len)
{
	size_t off = 0;
	int i, r;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		r = snprintf(buf + off, len - off, "%u %u %u\n", v[i].inside,
		    v[i].outside, v[i].count);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += (size_t)r;
	}
	return 0;
}

int
jail_userns_write_maps(pid_t pid, const struct jail_idmaps *m,
    struct jail_error *err)
{
	char buf[JAIL_IDMAP_MAX * 40];

	if (m->nuid > JAIL_IDMAP_MAX || m->ngid > JAIL_IDMAP_MAX ||
	    m->nuid < 0 || m->ngid < 0)
		return jail_seterr(err, EINVAL, "user namespace map");
	/*
	 * setgroups(2) inside is harmless for a jail: its processes hold no
	 * host groups they could drop to pass a "group may not" permission.
	 * The kernel wants "deny" only from a writer without CAP_SETGID.
	 */
	if (m->ngid > 0 && !have_setgid() &&
	    proc_write(pid, "setgroups", "deny", err) == -1)
		return -1;
	if (m->nuid > 0) {
		if (map_text(m->uid, m->nuid, buf, sizeof(buf)) == -1)
			return jail_seterr(err, EINVAL, "uid map");
		if (proc_write(pid, "uid_map", buf, err) == -1)
			return -1;
	}
	if (m->ngid > 0) {
		if (map_text(m->gid, m->ngid, buf, sizeof(buf)) == -1)
			return jail_seterr(err, EINVAL, "gid map");
		if (proc_write(pid, "gid_map", buf, err) == -1)
			return -1;
	}
	return 0;
}

int
jail_userns_open(const struct jail_idmaps *m, struct jail_error *err)
{
	char path[64];
	int up[2] = { -1, -1 }, down[2] = { -1, -1 };
	int e = 0, fd = -1, status;
	ssize_t r;
	pid_t pid;
	char c = 0;

	if (pipe2(up, O_CLOEXEC) == -1 || pipe2(down, O_CLOEXEC) == -1) {
		jail_seterr(err, errno, "pipe");
		goto out;
	}
	if ((pid = fork()) == -1) {
		jail_seterr(err, errno, "fork");
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls: the caller may have threads. */
		close(up[0]);
		close(down[1]);
		if (unshare(CLONE_NEWUSER) == -1)
			e = errno;
		if (write(up[1], &e, sizeof(e)) != sizeof(e) || e != 0)
			_exit(1);
		while (read(down[0], &c, 1) == -1 && errno == EINTR)
			;
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	up[1] = down[0] = -1;
	while ((r = read(up[0], &e, sizeof(e))) == -1 && errno == EINTR)
		;
	if (r != sizeof(e))
		jail_seterr(err, r == -1 ? errno : EIO, "user namespace child");
	else if (e != 0)
		jail_seterr(err, e, "unshare(CLONE_NEWUSER)");
	else if (jail_userns_write_maps(pid, m, err) == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			jail_seterr(err, errno, "%s", path);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
out:
	if (up[0] != -1)
		close(up[0]);
	if (up[1] != -1)
		close(up[1]);
	if (down[0] != -1)
		close(down[0]);
	if (down[1] != -1)
		close(down[1]);
	return fd;
}

int
jail_idmap_mount_fd(const char *src, int userns_fd, struct jail_error *err)
{
	struct mount_attr a;
	struct stat st;
	int fd;

	fd = open_tree(AT_FDCWD, src,
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
	if (fd == -1)
		return jail_seterr(err, errno, "open_tree %s", src);
	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
		jail_seterr(err, errno ? errno : ENOTDIR, "%s", src);
		close(fd);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.attr_set = MOUNT_ATTR_IDMAP;
	a.userns_fd = (uint64_t)userns_fd;
	if (mount_setattr(fd, "", AT_EMPTY_PATH, &a, sizeof(a)) == -1) {
		jail_seterr(err, errno,
		    "idmapped mount of %s (does its file system support it?)",
		    src);
		close(fd);
		return -1;
	}
	return fd;
}

/* The tree shift. */

#define ACL_XATTR_VERSION 0x0002
#define ACL_TAG_USER      0x02
#define ACL_TAG_GROUP     0x08
#define XATTR_CAPS        "security.capability"
#define XATTR_ACL_ACCESS  "system.posix_acl_access"
#define XATTR_ACL_DEFAULT "system.posix_acl_default"

#define JAIL_SHOWN 200 /* bytes of a path shown in a message */

struct shift {
	const struct jail_idmaps *m;
	void *seen; /* tsearch(3) tree of multiply linked files done */
	dev_t dev;
	uint64_t mnt;
	char path[PATH_MAX];
	char shown[JAIL_SHOWN + 4];
	struct jail_error *err;
};

/*
 * The path for a message: its tail when long, so that the reason after it
 * still fits in a struct jail_error.
 */
static const char *
pathmsg(struct shift *s)
{
	size_t n = strlen(s->path);

	if (n == 0)
		return ".";
	if (n <= JAIL_SHOWN)
		return s->path;
	snprintf(s->shown, sizeof(s->shown), "...%s", s->path + n - JAIL_SHOWN);
	return s->shown;
}

struct inokey {
	dev_t dev;
	ino_t ino;
};

static int
inocmp(const void *a, const void *b)
{
	const struct inokey *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/* 1 when st was shifted already (under another name), else remember it. */
static int
seen(struct shift *s, const struct stat *st)
{
	struct inokey *k, **f;

	if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
		return 0;
	if ((k = malloc(sizeof(*k))) == NULL)
		return -1;
	k->dev = st->st_dev;
	k->ino = st->st_ino;
	if ((f = tsearch(k, &s->seen, inocmp)) == NULL) {
		free(k);
		return -1;
	}
	if (*f != k) {
		free(k);
		return 1;
	}
	return 0;
}

static int
shift_ids(struct shift *s, const struct stat *st, uid_t *uid, gid_t *gid)
{
	uint32_t u, g;

	if (map_id(s->m->uid, s->m->nuid, st->st_uid, &u) == -1)
		return jail_seterr(s->err, 0,
		    "%s: owner %u is not in the jail's uid map", pathmsg(s),
		    (unsigned)st->st_uid);
	if (map_id(s->m->gid, s->m->ngid, st->st_gid, &g) == -1)
		return jail_seterr(s->err, 0,
		    "%s: group %u is not in the jail's gid map", pathmsg(s),
		    (unsigned)st->st_gid);
	*uid = u;
	*gid = g;
	return 0;
}

/* The named users and groups of one POSIX ACL of fd. */
static int
shift_acl(struct shift *s, int fd, const char *name)
{
	unsigned char buf[4 + 8 * 512];
	uint32_t id, to;
	uint16_t tag;
	ssize_t len;
	size_t off;
	int changed = 0;

	if ((len = fgetxattr(fd, name, buf, sizeof(buf))) == -1) {
		if (errno == ENODATA || errno == ENOTSUP)
			return 0;
		return jail_seterr(s->err, errno, "%s: %s", pathmsg(s), name);
	}
	if (len < 4 || (len - 4) % 8 != 0)
		return jail_seterr(s->err, EINVAL, "%s: %s", pathmsg(s), name);
	for (off = 4; off < (size_t)len; off += 8) {
		memcpy(&tag, buf + off, 2);
		memcpy(&id, buf + off + 4, 4);
		tag = le16toh(tag);
		id = le32toh(id);
		if (tag != ACL_TAG_USER && tag != ACL_TAG_GROUP)
			continue;
		if (map_id(tag == ACL_TAG_USER ? s->m->uid : s->m->gid,
		        tag == ACL_TAG_USER ? s->m->nuid : s->m->ngid, id,
		        &to) == -1)
			return jail_seterr(s->err, 0,
			    "%s: %s names %s %u, which is not in the jail's "
			    "map",
			    pathmsg(s), name,
			    tag == ACL_TAG_USER ? "user" : "group", id);
		to = htole32(to);
		memcpy(buf + off + 4, &to, 4);
		changed = 1;
	}
	if (changed && fsetxattr(fd, name, buf, (size_t)len, 0) == -1)
		return jail_seterr(s->err, errno, "%s: %s", pathmsg(s), name);
	return 0;
}

/*
 * Read the file capability that chown(2) is about to remove; *len is 0
 * when there is none.
 */
static int
caps_get(struct shift *s, int fd, struct vfs_ns_cap_data *c, size_t *len)
{
	ssize_t r;

	*len = 0;
	memset(c, 0, sizeof(*c));
	if ((r = fgetxattr(fd, XATTR_CAPS, c, sizeof(*c))) == -1) {
		if (errno == ENODATA || errno == ENOTSUP)
			return 0;
		return jail_seterr(s->err, errno, "%s: %s", pathmsg(s),
		    XATTR_CAPS);
	}
	*len = (size_t)r;
	return 0;
}

/*
 * Put it back as a v3 capability whose root is inside root's host id:
 * the kernel honours it only in a user namespace where that id is 0.  A
 * v2 (or v1) one written from the host would be a host capability on a
 * file the jail's root owns.
 */
static int
caps_put(struct shift *s, int fd, struct vfs_ns_cap_data *c, size_t len)
{
	uint32_t magic, root = 0, hostroot;

	if (len == 0)
		return 0;
	magic = le32toh(c->magic_etc);
	switch (magic & VFS_CAP_REVISION_MASK) {
	case VFS_CAP_REVISION_1:
		if (len != XATTR_CAPS_SZ_1)
			return 0;
		c->data[1].permitted = c->data[1].inheritable = 0;
		break;
	case VFS_CAP_REVISION_2:
		if (len != XATTR_CAPS_SZ_2)
			return 0;
		break;
	case VFS_CAP_REVISION_3:
		if (len != XATTR_CAPS_SZ_3)
			return 0;
		root = le32toh(c->rootid);
		break;
	default:
		return 0; /* not a capability the kernel would honour */
	}
	if (map_id(s->m->uid, s->m->nuid, root, &hostroot) == -1)
		return 0; /* no root of the jail's to hold it: dropped */
	c->magic_etc =
	    htole32(VFS_CAP_REVISION_3 | (magic & VFS_CAP_FLAGS_EFFECTIVE));
	c->rootid = htole32(hostroot);
	if (fsetxattr(fd, XATTR_CAPS, c, XATTR_CAPS_SZ_3, 0) == -1)
		return jail_seterr(s->err, errno, "%s: %s", pathmsg(s),
		    XATTR_CAPS);
	return 0;
}

/* A directory or regular file, open as fd, that st describes. */
static int
shift_fd(struct shift *s, int fd, const struct stat *st)
{
	struct vfs_ns_cap_data cap;
	struct stat now;
	size_t caplen = 0;
	uid_t uid;
	gid_t gid;

	if (shift_ids(s, st, &uid, &gid) == -1)
		return -1;
	if (S_ISREG(st->st_mode) && caps_get(s, fd, &cap, &caplen) == -1)
		return -1;
	if (fchown(fd, uid, gid) == -1)
		return jail_seterr(s->err, errno, "%s: chown", pathmsg(s));
	if (fstat(fd, &now) == -1)
		return jail_seterr(s->err, errno, "%s", pathmsg(s));
	if ((now.st_mode & 07777) != (st->st_mode & 07777) &&
	    fchmod(fd, st->st_mode & 07777) == -1)
		return jail_seterr(s->err, errno, "%s: chmod", pathmsg(s));
	if (caps_put(s, fd, &cap, caplen) == -1 ||
	    shift_acl(s, fd, XATTR_ACL_ACCESS) == -1)
		return -1;
	if (S_ISDIR(st->st_mode) && shift_acl(s, fd, XATTR_ACL_DEFAULT) == -1)
		return -1;
	return 0;
}

/* An entry of dfd that is neither a directory nor a regular file. */
static int
shift_at(struct shift *s, int dfd, const char *name, const struct stat *st)
{
	uid_t uid;
	gid_t gid;

	if (shift_ids(s, st, &uid, &gid) == -1)
		return -1;
	if (fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == -1)
		return jail_seterr(s->err, errno, "%s: chown", pathmsg(s));
	/* glibc does this one through O_PATH and never follows a link. */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & 06000) &&
	    fchmodat(dfd, name, st->st_mode & 07777, AT_SYMLINK_NOFOLLOW) == -1)
		return jail_seterr(s->err, errno, "%s: chmod", pathmsg(s));
	return 0;
}

/* stat(2) of an entry, with the id of the mount it is on. */
static int
entry_stat(int dfd, const char *name, struct stat *st, uint64_t *mnt)
{
	struct statx sx;

	if (statx(dfd, name,
	        AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
	            (*name == '\0' ? AT_EMPTY_PATH : 0),
	        STATX_BASIC_STATS | STATX_MNT_ID, &sx) == -1)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	st->st_ino = sx.stx_ino;
	st->st_mode = sx.stx_mode;
	st->st_nlink = sx.stx_nlink;
	st->st_uid = sx.stx_uid;
	st->st_gid = sx.stx_gid;
	*mnt = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
	return 0;
}

/* Open entry name of dfd, checked to be the inode st described. */
static int
open_same(struct shift *s, int dfd, const char *name, int flags,
    const struct stat *st)
{
	struct stat now;
	int fd;

	if ((fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return jail_seterr(s->err, errno, "%s", pathmsg(s));
	if (fstat(fd, &now) == -1 || now.st_dev != st->st_dev ||
	    now.st_ino != st->st_ino) {
		close(fd);
		return jail_seterr(s->err, 0, "%s: changed while shifting",
		    pathmsg(s));
	}
	return fd;
}

struct frame {
	DIR *d;
	size_t plen; /* of s->path, at this directory (0: the top) */
};

/* Set s->path to the entry name of the directory at plen. */
static void
path_at(struct shift *s, size_t plen, const char *name)
{
	if (plen == 0)
		strlcpy(s->path, name, sizeof(s->path));
	else {
		s->path[plen] = '\0';
		strlcat(s->path, "/", sizeof(s->path));
		strlcat(s->path, name, sizeof(s->path));
	}
}

/* The loop of jail_tree_shift(), over an explicit stack of directories. */
static int
walk(struct shift *s, struct frame *stk, int *depth)
{
	struct dirent *de;
	struct stat st;
	uint64_t mnt;
	int fd, dfd, r;
	DIR *d;

	while (*depth > 0) {
		d = stk[*depth - 1].d;
		dfd = dirfd(d);
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				s->path[stk[*depth - 1].plen] = '\0';
				return jail_seterr(s->err, errno, "%s",
				    pathmsg(s));
			}
			closedir(d);
			(*depth)--;
			continue;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path_at(s, stk[*depth - 1].plen, de->d_name);
		if (entry_stat(dfd, de->d_name, &st, &mnt) == -1)
			return jail_seterr(s->err, errno, "%s", pathmsg(s));
		if (st.st_dev != s->dev || mnt != s->mnt)
			continue; /* another mount: not ours to change */
		if ((r = seen(s, &st)) == 1)
			continue;
		if (r == -1)
			return jail_seterr(s->err, ENOMEM, "%s", pathmsg(s));
		if (S_ISDIR(st.st_mode)) {
			if (*depth == JAIL_SHIFT_MAXDEPTH)
				return jail_seterr(s->err, 0,
				    "%s: more than %d levels deep", pathmsg(s),
				    JAIL_SHIFT_MAXDEPTH);
			fd = open_same(s, dfd, de->d_name,
			    O_RDONLY | O_DIRECTORY, &st);
			if (fd == -1)
				return -1;
			if (shift_fd(s, fd, &st) == -1) {
				close(fd);
				return -1;
			}
			if ((stk[*depth].d = fdopendir(fd)) == NULL) {
				jail_seterr(s->err, errno, "%s", pathmsg(s));
				close(fd);
				return -1;
			}
			stk[*depth].plen = strlen(s->path);
			(*depth)++;
		} else if (S_ISREG(st.st_mode)) {
			fd = open_same(s, dfd, de->d_name,
			    O_RDONLY | O_NONBLOCK | O_NOCTTY, &st);
			if (fd == -1)
				return -1;
			r = shift_fd(s, fd, &st);
			close(fd);
			if (r == -1)
				return -1;
		} else if (shift_at(s, dfd, de->d_name, &st) == -1)
			return -1;
	}
	return 0;
}

int
jail_tree_shift(int dirfd, const struct jail_idmaps *m, struct jail_error *err)
{
	struct frame *stk;
	struct shift s;
	struct stat st;
	int depth = 0, fd, rc = -1;

	memset(&s, 0, sizeof(s));
	s.m = m;
	s.err = err;
	strlcpy(s.path, ".", sizeof(s.path));
	if ((stk = calloc(JAIL_SHIFT_MAXDEPTH, sizeof(*stk))) == NULL)
		return jail_seterr(err, errno, "tree shift");
	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		jail_seterr(err, errno, "tree shift");
		goto out;
	}
	if (entry_stat(fd, "", &st, &s.mnt) == -1) {
		jail_seterr(err, errno, "tree shift");
		close(fd);
		goto out;
	}
	s.dev = st.st_dev;
	if (shift_fd(&s, fd, &st) == -1) {
		close(fd);
		goto out;
	}
	if ((stk[0].d = fdopendir(fd)) == NULL) {
		jail_seterr(err, errno, "tree shift");
		close(fd);
		goto out;
	}
	stk[0].plen = 0;
	depth = 1;
	rc = walk(&s, stk, &depth);
out:
	while (depth > 0)
		closedir(stk[--depth].d);
	tdestroy(s.seen, free);
	free(stk);
	return rc;
}
