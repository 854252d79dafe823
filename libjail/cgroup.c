/*
 * cgroup: a jail's control groups on cgroup v2, v1, or a mix of both; see
 * cgroup.h.  Limits are written in jail.conf's terms and mapped here onto
 * each hierarchy's own files (jail.conf(5) has the table).
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <linux/magic.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "jailp.h"

#define MAXMNT    64              /* cgroup mounts considered */
#define V1MAX     "-1"            /* "max" on v1 */
#define V1UNLIM   (INT64_MAX / 2) /* v1 reads back huge numbers for -1 */
#define KILLWAIT  2000            /* ms for the processes to go */
#define RMDIRWAIT 1000            /* ms for rmdir to stop failing with EBUSY */
#define MAXMADE   64              /* directories create may make */

/* Controller bits to names: ours (the state line), v1's and v2's. */
static const struct {
	unsigned bit;
	const char *name, *v1, *v2;
} ctls[] = {
	{ JAIL_CGC_MEMORY, "memory", "memory", "memory" },
	{ JAIL_CGC_PIDS, "pids", "pids", "pids" },
	{ JAIL_CGC_CPU, "cpu", "cpu", "cpu" },
	{ JAIL_CGC_CPUACCT, "cpuacct", "cpuacct", NULL },
	{ JAIL_CGC_FREEZER, "freezer", "freezer", NULL },
	{ JAIL_CGC_CPUSET, "cpuset", "cpuset", "cpuset" },
	{ JAIL_CGC_IO, "io", "blkio", "io" },
};
#define NCTLS (sizeof(ctls) / sizeof(ctls[0]))
#define V2CTL                                                                  \
	(JAIL_CGC_MEMORY | JAIL_CGC_PIDS | JAIL_CGC_CPU | JAIL_CGC_CPUSET |    \
	    JAIL_CGC_IO)

/* The limits, in the order create writes them (memory.max before swap). */
enum {
	L_MEMMAX,
	L_MEMHIGH,
	L_SWAP,
	L_PIDS,
	L_CPUMAX,
	L_CPUW,
	L_IOW,
	L_CPUS,
	L_MEMS,
	L_N
};
static const struct {
	const char *name;
	unsigned ctl;
} lims[L_N] = {
	[L_MEMMAX] = { "memory.max", JAIL_CGC_MEMORY },
	[L_MEMHIGH] = { "memory.high", JAIL_CGC_MEMORY },
	[L_SWAP] = { "memory.swap.max", JAIL_CGC_MEMORY },
	[L_PIDS] = { "pids.max", JAIL_CGC_PIDS },
	[L_CPUMAX] = { "cpu.max", JAIL_CGC_CPU },
	[L_CPUW] = { "cpu.weight", JAIL_CGC_CPU },
	[L_IOW] = { "io.weight", JAIL_CGC_IO },
	[L_CPUS] = { "cpuset.cpus", JAIL_CGC_CPUSET },
	[L_MEMS] = { "cpuset.mems", JAIL_CGC_CPUSET },
};

static const char *
ctlname(unsigned bit, int v2)
{
	size_t i;

	for (i = 0; i < NCTLS; i++)
		if (ctls[i].bit == bit)
			return v2 ? ctls[i].v2 : ctls[i].v1;
	return "?";
}

static int
limof(const char *param)
{
	int l;

	for (l = 0; l < L_N; l++)
		if (strcmp(lims[l].name, param) == 0)
			return l;
	return -1;
}

/* Sleep ms milliseconds. */
static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * The whole of a (proc or cgroup) file, NUL-terminated, malloc'ed; NULL
 * with errno set on failure.
 */
static char *
slurp(const char *path)
{
	char *b = NULL, *nb;
	size_t n = 0, cap = 0;
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap * 2 + 8192;
			if ((nb = realloc(b, cap)) == NULL)
				goto fail;
			b = nb;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	return b;
fail:
	e = errno;
	close(fd);
	free(b);
	errno = e;
	return NULL;
}

/* A small file into buf, NUL-terminated, a final newline taken off. */
static int
rdfile(const char *dir, const char *file, char *buf, size_t len)
{
	char path[JAIL_CG_PATHMAX + 64];
	ssize_t r;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	do
		r = read(fd, buf, len - 1);
	while (r == -1 && errno == EINTR);
	e = errno;
	close(fd);
	if (r == -1) {
		errno = e;
		return -1;
	}
	buf[r] = '\0';
	if (r > 0 && buf[r - 1] == '\n')
		buf[r - 1] = '\0';
	return 0;
}

/* One write of val to dir/file; -1 with errno as the kernel said. */
static int
wrfile(const char *dir, const char *file, const char *val)
{
	char path[JAIL_CG_PATHMAX + 64];
	size_t n = strlen(val);
	ssize_t r;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	do
		r = write(fd, val, n);
	while (r == -1 && errno == EINTR);
	e = errno;
	close(fd);
	if (r == -1) {
		errno = e;
		return -1;
	}
	return 0;
}

/* A number file ("max" reads as JAIL_UNLIMITED, as do v1's huge ones). */
static int
rdnum(const char *dir, const char *file, int64_t *v)
{
	char b[64], *end;
	long long n;

	if (rdfile(dir, file, b, sizeof(b)) == -1)
		return -1;
	if (strncmp(b, "max", 3) == 0) {
		*v = JAIL_UNLIMITED;
		return 0;
	}
	errno = 0;
	n = strtoll(b, &end, 10);
	if (end == b || errno != 0) {
		errno = EINVAL;
		return -1;
	}
	*v = n < 0 || n > V1UNLIM ? JAIL_UNLIMITED : n;
	return 0;
}

/* The value of "key N" in a flat-keyed file (memory.events, cpu.stat). */
static int
rdkey(const char *dir, const char *file, const char *key, uint64_t *v)
{
	char b[4096], *s;
	size_t kl = strlen(key);

	if (rdfile(dir, file, b, sizeof(b)) == -1)
		return -1;
	for (s = b; s != NULL && *s != '\0'; s = strchr(s, '\n')) {
		if (*s == '\n')
			s++;
		if (strncmp(s, key, kl) == 0 && s[kl] == ' ') {
			*v = strtoull(s + kl + 1, NULL, 10);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

/* Copy src onto dst, unless too long. */
static int
cpy(char *dst, const char *src, size_t len)
{
	return strlcpy(dst, src, len) >= len ? -1 : 0;
}

/* Value mappings. */

int64_t
jail_cg_shares(int64_t weight)
{
	int64_t s = (weight * 1024 + 50) / 100;

	return s < 2 ? 2 : s;
}

int64_t
jail_cg_weight(int64_t shares)
{
	int64_t w = (shares * 100 + 512) / 1024;

	return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

/*
 * blkio.weight (10..1000, default 500) as systemd maps it: the default
 * onto the default, proportions kept between 2 and 200.  BFQ's
 * blkio.bfq.weight (1..1000) has v2's default, 100: taken as it is.
 */
int64_t
jail_cg_blkio(int64_t weight, int bfq)
{
	int64_t v = bfq ? weight : weight * 5;
	int64_t lo = bfq ? 1 : 10;

	return v < lo ? lo : v > 1000 ? 1000 : v;
}

int64_t
jail_cg_ioweight(int64_t v1, int bfq)
{
	int64_t w = bfq ? v1 : (v1 + 2) / 5;

	return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

/*
 * A period of 100 ms, unless the quota would fall below the kernel's
 * 1 ms: then a period of one second (0.001 CPU: 1 ms in each second).
 */
void
jail_cg_quota(int64_t milli, int64_t *quota, int64_t *period)
{
	*period = 100000;
	if (milli == JAIL_UNLIMITED) {
		*quota = -1;
		return;
	}
	*quota = milli * 100;
	if (*quota < 1000) {
		*period = 1000000;
		*quota = milli * 1000;
	}
}

/* Parsers. */

/* The JAIL_CGC_* bits of a comma-separated list of v1 names. */
static unsigned
v1bits(const char *list, size_t n)
{
	const char *s = list, *e, *end = list + n;
	unsigned bits = 0;
	size_t i;

	while (s < end) {
		for (e = s; e < end && *e != ','; e++)
			;
		for (i = 0; i < NCTLS; i++)
			if (strlen(ctls[i].v1) == (size_t)(e - s) &&
			    strncmp(ctls[i].v1, s, (size_t)(e - s)) == 0)
				bits |= ctls[i].bit;
		s = e + 1;
	}
	return bits;
}

int
jail_cg_parse_mountinfo(const char *text, struct jail_cgmnt *m, size_t max)
{
	char line[8192], *f[64], *s, *sep;
	const char *p = text, *nl;
	size_t n = 0, nf, i, len;
	int v2;

	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (len == 0)
			continue;
		if (len >= sizeof(line))
			return -1;
		memcpy(line, p, len);
		line[len] = '\0';
		nf = 0;
		for (s = strtok_r(line, " ", &sep); s != NULL && nf < 64;
		     s = strtok_r(NULL, " ", &sep))
			f[nf++] = s;
		for (i = 6; i < nf && strcmp(f[i], "-") != 0; i++)
			;
		if (nf < 6 || i + 3 >= nf + 1 || i + 2 >= nf)
			return -1;
		if (strcmp(f[i + 1], "cgroup2") == 0)
			v2 = 1;
		else if (strcmp(f[i + 1], "cgroup") == 0)
			v2 = 0;
		else
			continue;
		if (n == max)
			break;
		memset(&m[n], 0, sizeof(m[n]));
		m[n].v2 = v2;
		m[n].ctl = v2 ? 0 : v1bits(f[i + 3], strlen(f[i + 3]));
		if (!v2 && m[n].ctl == 0)
			continue; /* name=systemd and the like */
		jail_path_unoctal(f[3]);
		jail_path_unoctal(f[4]);
		if (cpy(m[n].dev, f[2], sizeof(m[n].dev)) == -1 ||
		    cpy(m[n].root, f[3], sizeof(m[n].root)) == -1 ||
		    cpy(m[n].mnt, f[4], sizeof(m[n].mnt)) == -1)
			continue;
		n++;
	}
	return (int)n;
}

int
jail_cg_parse_self(const char *text, struct jail_cgself *s, size_t max)
{
	const char *p = text, *nl, *c1, *c2;
	size_t n = 0;

	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl == p)
			continue;
		if ((c1 = memchr(p, ':', (size_t)(nl - p))) == NULL ||
		    (c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1))) == NULL ||
		    c2 + 1 == nl || c2[1] != '/')
			return -1;
		if (n == max)
			break;
		memset(&s[n], 0, sizeof(s[n]));
		s[n].v2 = c1 - p == 1 && *p == '0' && c2 == c1 + 1;
		s[n].ctl = v1bits(c1 + 1, (size_t)(c2 - c1 - 1));
		if (!s[n].v2 && s[n].ctl == 0)
			continue;
		if ((size_t)(nl - c2 - 1) >= sizeof(s[n].path))
			return -1;
		memcpy(s[n].path, c2 + 1, (size_t)(nl - c2 - 1));
		s[n].path[nl - c2 - 1] = '\0';
		n++;
	}
	return (int)n;
}

/*
 * dst = mnt + (base less the mount's root) + "/" + name (name may be
 * NULL).  -1 when base is not under root or the result is too long.
 */
static int
under(char *dst, size_t len, const struct jail_cgmnt *m, const char *base,
    const char *name)
{
	size_t rl = strlen(m->root);
	const char *rel;
	int n;

	if (strcmp(m->root, "/") == 0)
		rel = base;
	else if (strncmp(base, m->root, rl) == 0 &&
	    (base[rl] == '\0' || base[rl] == '/'))
		rel = base + rl;
	else
		return -1;
	if (strcmp(rel, "/") == 0)
		rel = "";
	n = snprintf(dst, len, "%s%s%s%s", strcmp(m->mnt, "/") ? m->mnt : "",
	    rel, name ? "/" : "", name ? name : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
jail_cg_plan(struct jail_cg *cg, const struct jail_cgmnt *m, size_t nm,
    const struct jail_cgself *s, size_t ns, unsigned want, const char *parent,
    const char *name, struct jail_error *err)
{
	char pbuf[JAIL_CG_PATHMAX];
	unsigned covered = 0;
	struct jail_cgdir *h;
	const char *base;
	size_t i, k, x;
	int v2;

	memset(cg, 0, sizeof(*cg));
	cg->v2fd = -1;
	if (parent != NULL) {
		while (*parent == '/')
			parent++;
		if (snprintf(pbuf, sizeof(pbuf), "/%s", parent) >=
		    (int)sizeof(pbuf))
			return jail_seterr(err, 0, "cgroup.parent too long");
		x = strlen(pbuf);
		while (x > 1 && pbuf[x - 1] == '/')
			pbuf[--x] = '\0';
	}
	/* v1 hierarchies first, then v2 for what they leave */
	for (v2 = 0; v2 <= 1; v2++) {
		for (i = 0; i < nm; i++) {
			if (m[i].v2 != v2)
				continue;
			if (!v2 && (m[i].ctl & want & ~covered) == 0)
				continue;
			if (v2 && (want & ~covered) == 0 && cg->nh > 0)
				continue;
			for (k = 0; k < ns; k++)
				if (s[k].v2 == v2 &&
				    (v2 || s[k].ctl == m[i].ctl))
					break;
			if (k == ns || cg->nh == JAIL_CG_MAXH)
				continue;
			base = parent != NULL ? pbuf : s[k].path;
			h = &cg->h[cg->nh];
			if (under(h->parent, sizeof(h->parent), &m[i], base,
			        NULL) == -1 ||
			    under(h->dir, sizeof(h->dir), &m[i], base, name) ==
			        -1)
				continue; /* another mount may reach it */
			if (h->parent[0] == '\0')
				strlcpy(h->parent, "/", sizeof(h->parent));
			h->v2 = v2;
			h->ctl = v2 ? want & ~covered & V2CTL : m[i].ctl & want;
			covered |= h->ctl;
			cg->nh++;
			if (v2)
				break;
		}
	}
	return 0;
}

unsigned
jail_cg_controllers(const struct jail_cg *cg)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < cg->nh; i++)
		if (!cg->h[i].gone)
			bits |= cg->h[i].ctl;
	return bits;
}

static struct jail_cgdir *
hof(const struct jail_cg *cg, unsigned bit)
{
	size_t i;

	for (i = 0; i < cg->nh; i++)
		if ((cg->h[i].ctl & bit) && !cg->h[i].gone)
			return (struct jail_cgdir *)&cg->h[i];
	return NULL;
}

static struct jail_cgdir *
v2of(const struct jail_cg *cg)
{
	size_t i;

	for (i = 0; i < cg->nh; i++)
		if (cg->h[i].v2 && !cg->h[i].gone)
			return (struct jail_cgdir *)&cg->h[i];
	return NULL;
}

/* The deepest existing directory at or above path, into buf. */
static int
existing(const char *path, char *buf, size_t len)
{
	struct stat sb;
	char *sl;

	if (cpy(buf, path, len) == -1)
		return -1;
	while (stat(buf, &sb) == -1) {
		if (errno != ENOENT || (sl = strrchr(buf, '/')) == NULL)
			return -1;
		if (sl == buf)
			sl[1] = '\0';
		else
			*sl = '\0';
	}
	return 0;
}

/* Is path on a cgroup file system of the right kind? */
static int
iscgfs(const char *path, int v2)
{
	struct statfs sf;

	if (statfs(path, &sf) == -1)
		return -1;
	if ((unsigned long)sf.f_type !=
	    (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC)) {
		errno = EXDEV;
		return -1;
	}
	return 0;
}

/* The JAIL_CGC_* bits a v2 cgroup.controllers (or subtree_control) lists. */
static unsigned
v2bits(const char *text)
{
	char b[1024], *s, *sep;
	unsigned bits = 0;
	size_t i;

	strlcpy(b, text, sizeof(b));
	for (s = strtok_r(b, " \n", &sep); s != NULL;
	     s = strtok_r(NULL, " \n", &sep))
		for (i = 0; i < NCTLS; i++)
			if (ctls[i].v2 != NULL && strcmp(ctls[i].v2, s) == 0)
				bits |= ctls[i].bit;
	return bits;
}

/*
 * The parameters j sets, as the controllers they need; *first[] names the
 * first parameter needing each.
 */
static unsigned
needed(const struct jail *j, int *lim)
{
	unsigned bits = 0;
	int l, p, b;

	for (b = 0; b < 8; b++)
		lim[b] = -1;
	for (l = 0; l < L_N; l++) {
		p = jail_param_lookup(lims[l].name, NULL);
		if (p < 0 || !jail_param_hasvalue(j, p))
			continue;
		bits |= lims[l].ctl;
		b = __builtin_ctz(lims[l].ctl);
		if (lim[b] == -1)
			lim[b] = l;
	}
	return bits;
}

const char *
jail_cg_limit(int i)
{
	return i >= 0 && i < L_N ? lims[i].name : NULL;
}

int
jail_cg_wanted(const struct jail *j)
{
	int lim[8], p;

	p = jail_param_lookup("cgroup.parent", NULL);
	return needed(j, lim) != 0 || (p >= 0 && jail_param_hasvalue(j, p));
}

int
jail_cg_need(const struct jail_cg *cg, const struct jail *j,
    struct jail_error *err)
{
	unsigned miss;
	int lim[8], b;

	if ((miss = needed(j, lim) & ~jail_cg_controllers(cg)) == 0)
		return 0;
	b = __builtin_ctz(miss);
	return jail_seterr(err, 0,
	    "%s: no %s controller for the jail on this host (no cgroup v1 "
	    "hierarchy has it, nor does cgroup v2 offer it here)",
	    lims[lim[b]].name, ctlname(1u << b, 0));
}

/*
 * The host's cgroup mounts as this process last read them: starting many
 * jails reads and parses mountinfo once, not once per jail.  Kept for a
 * second at most, and for this process only (a forked child reads its
 * own); what they name is still checked on every use (statfs, mkdir).
 * Our own cgroups (/proc/self/cgroup) are read every time: a process may
 * move.  Not for threads: libjail forks, and is single-threaded.
 */
#define MAXSELF 32
static struct {
	pid_t pid;
	struct timespec at;
	struct jail_cgmnt *m;
	struct jail_cgself *s;
	int nm, ns;
} layout;

static int
layout_read(struct jail_error *err)
{
	struct timespec now;
	char *mi = NULL, *self = NULL;
	int rc = -1;

	if ((layout.m == NULL &&
	        (layout.m = malloc(MAXMNT * sizeof(*layout.m))) == NULL) ||
	    (layout.s == NULL &&
	        (layout.s = malloc(MAXSELF * sizeof(*layout.s))) == NULL))
		return jail_seterr(err, errno, "cgroup");
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (layout.pid != getpid() ||
	    (now.tv_sec - layout.at.tv_sec) * 1000000000L +
	            (now.tv_nsec - layout.at.tv_nsec) >=
	        1000000000L) {
		layout.pid = 0;
		if ((mi = slurp("/proc/self/mountinfo")) == NULL) {
			jail_seterr(err, errno, "/proc/self/mountinfo");
			goto out;
		}
		if ((layout.nm = jail_cg_parse_mountinfo(mi, layout.m,
		         MAXMNT)) == -1) {
			jail_seterr(err, 0,
			    "/proc/self/mountinfo: unreadable line");
			goto out;
		}
		layout.pid = getpid();
		layout.at = now;
	}
	if ((self = slurp("/proc/self/cgroup")) == NULL) {
		jail_seterr(err, errno, "/proc/self/cgroup");
		goto out;
	}
	if ((layout.ns = jail_cg_parse_self(self, layout.s, MAXSELF)) == -1) {
		jail_seterr(err, 0, "/proc/self/cgroup: unreadable line");
		goto out;
	}
	rc = 0;
out:
	free(mi);
	free(self);
	return rc;
}

int
jail_cg_locate(struct jail_cg *cg, const struct jail *j, const char *name,
    struct jail_error *err)
{
	char anc[JAIL_CG_PATHMAX], buf[1024];
	unsigned want;
	const char *parent = NULL;
	int lim[8], p;
	size_t i;

	/*
	 * No freezer on v1: every process of a jail is in its PID
	 * namespace, which the kernel empties for good when the holder
	 * ends; one hierarchy fewer to join on each exec.
	 */
	want = needed(j, lim) | JAIL_CGC_MEMORY | JAIL_CGC_PIDS | JAIL_CGC_CPU |
	    JAIL_CGC_CPUACCT;
	if ((p = jail_param_lookup("cgroup.parent", NULL)) >= 0)
		parent = jail_get(j, p);
	if (layout_read(err) == -1 ||
	    jail_cg_plan(cg, layout.m, (size_t)layout.nm, layout.s,
	        (size_t)layout.ns, want, parent, name, err) == -1)
		return -1;
	for (i = 0; i < cg->nh; i++) {
		if (existing(cg->h[i].parent, anc, sizeof(anc)) == -1 ||
		    iscgfs(anc, cg->h[i].v2) == -1)
			return jail_seterr(err, errno,
			    "%s: not a cgroup%s directory", anc,
			    cg->h[i].v2 ? "2" : "");
		if (!cg->h[i].v2)
			continue;
		/* what the (nearest existing) parent can hand down */
		if (rdfile(anc, "cgroup.controllers", buf, sizeof(buf)) == -1)
			return jail_seterr(err, errno, "%s/cgroup.controllers",
			    anc);
		cg->h[i].ctl &= v2bits(buf);
	}
	return jail_cg_need(cg, j, err);
}

/* v2: make sure the controllers bits are on in dir's subtree_control. */
static int
enable(const char *dir, unsigned bits, struct jail_error *err)
{
	char cur[1024], w[256] = "";
	unsigned on;
	size_t i;

	if (bits == 0)
		return 0;
	if (rdfile(dir, "cgroup.subtree_control", cur, sizeof(cur)) == -1)
		return jail_seterr(err, errno, "%s/cgroup.subtree_control",
		    dir);
	on = v2bits(cur);
	for (i = 0; i < NCTLS; i++)
		if ((bits & ~on & ctls[i].bit) && ctls[i].v2 != NULL) {
			strlcat(w, w[0] ? " +" : "+", sizeof(w));
			strlcat(w, ctls[i].v2, sizeof(w));
		}
	if (w[0] == '\0')
		return 0;
	if (wrfile(dir, "cgroup.subtree_control", w) == 0)
		return 0;
	if (errno == EBUSY)
		return jail_seterr(err, EBUSY,
		    "cannot enable \"%s\" in %s/cgroup.subtree_control: the "
		    "cgroup holds processes (cgroup v2 allows controllers only "
		    "where none are); set cgroup.parent to an empty cgroup",
		    w, dir);
	return jail_seterr(err, errno,
	    "write \"%s\" to %s/cgroup.subtree_control", w, dir);
}

/* v1 cpuset: a new cgroup starts with no CPU and no node. */
static int
cpuset_copy(const char *from, const char *to, struct jail_error *err)
{
	static const char *const f[] = { "cpuset.cpus", "cpuset.mems" };
	char b[4096];
	int i;

	for (i = 0; i < 2; i++) {
		if (rdfile(from, f[i], b, sizeof(b)) == -1)
			return jail_seterr(err, errno, "%s/%s", from, f[i]);
		if (b[0] != '\0' && wrfile(to, f[i], b) == -1)
			return jail_seterr(err, errno, "%s/%s", to, f[i]);
	}
	return 0;
}

/* Any process in dir (cgroup.procs not empty)? */
static int
populated(const char *dir)
{
	char b[64];

	if (rdfile(dir, "cgroup.procs", b, sizeof(b)) == -1)
		return errno == ENOENT ? 0 : -1;
	return b[0] != '\0';
}

/* Make h's parent directories that are missing, and h's own. */
static int
mkcg(struct jail_cgdir *h, char **made, size_t *nmade, struct jail_error *err)
{
	char path[JAIL_CG_PATHMAX], up[JAIL_CG_PATHMAX], *sl;
	struct stat sb;
	size_t at;

	if (existing(h->parent, path, sizeof(path)) == -1)
		return jail_seterr(err, errno, "%s", h->parent);
	/* one level at a time, from the nearest existing ancestor down */
	for (;;) {
		if (strcmp(path, h->dir) == 0)
			break;
		/* v2: not in the jail's own, which is to hold processes */
		if (h->v2 && enable(path, h->ctl, err) == -1)
			return -1;
		strlcpy(up, path, sizeof(up));
		at = strcmp(path, "/") == 0 ? 0 : strlen(path);
		if ((sl = strchr(h->dir + at + 1, '/')) == NULL)
			strlcpy(path, h->dir, sizeof(path));
		else
			snprintf(path, sizeof(path), "%.*s", (int)(sl - h->dir),
			    h->dir);
		if (mkdir(path, 0755) == -1) {
			if (errno != EEXIST)
				return jail_seterr(err, errno, "mkdir %s",
				    path);
			if (strcmp(path, h->dir) != 0)
				continue; /* made since: a parent's fine */
			/* a leftover of the jail's own */
			if (populated(path) != 0)
				return jail_seterr(err, 0,
				    "cgroup %s already exists and holds "
				    "processes (is the jail running?)",
				    path);
			if (rmdir(path) == -1 || mkdir(path, 0755) == -1)
				return jail_seterr(err, errno,
				    "stale cgroup %s", path);
		}
		if (*nmade < MAXMADE && (made[*nmade] = strdup(path)) != NULL)
			(*nmade)++;
		if (!h->v2 && (h->ctl & JAIL_CGC_CPUSET) &&
		    cpuset_copy(up, path, err) == -1)
			return -1;
	}
	if (stat(h->dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return jail_seterr(err, errno ? errno : ENOTDIR, "%s", h->dir);
	return 0;
}

static int setlim(struct jail_cg *cg, int l, int64_t num, const char *canon,
    struct jail_error *err);

int
jail_cg_create(struct jail_cg *cg, const struct jail *j, const char *name,
    struct jail_error *err)
{
	char *made[MAXMADE];
	size_t nmade = 0, i;
	struct jail_cgdir *h;
	int64_t num;
	int rc = -1, l, p;

	if (jail_cg_locate(cg, j, name, err) == -1)
		return -1;
	for (i = 0; i < cg->nh; i++)
		if (mkcg(&cg->h[i], made, &nmade, err) == -1)
			goto out;
	if ((h = v2of(cg)) != NULL &&
	    (cg->v2fd = open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	        -1) {
		jail_seterr(err, errno, "%s", h->dir);
		goto out;
	}
	for (l = 0; l < L_N; l++) {
		p = jail_param_lookup(lims[l].name, NULL);
		if (p < 0 || !jail_param_hasvalue(j, p))
			continue;
		jail_get_num(j, p, &num, NULL);
		if (setlim(cg, l, num, jail_get(j, p), err) == -1)
			goto out;
	}
	rc = 0;
out:
	if (rc == -1) {
		jail_cg_close(cg);
		for (i = nmade; i-- > 0;)
			rmdir(made[i]);
	}
	for (i = 0; i < nmade; i++)
		free(made[i]);
	return rc;
}

int
jail_cg_v2fd(const struct jail_cg *cg)
{
	return cg->v2fd;
}

int
jail_cg_enter(const struct jail_cg *cg, pid_t pid, int skipv2,
    struct jail_error *err)
{
	char b[24];
	size_t i;

	snprintf(b, sizeof(b), "%ld", (long)pid);
	for (i = 0; i < cg->nh; i++) {
		if (cg->h[i].v2 && skipv2)
			continue;
		if (cg->h[i].gone)
			return jail_seterr(err, ENOENT, "%s", cg->h[i].dir);
		if (wrfile(cg->h[i].dir, "cgroup.procs", b) == -1)
			return jail_seterr(err, errno, "%s/cgroup.procs",
			    cg->h[i].dir);
	}
	return 0;
}

/*
 * For a process that moves itself: the `tasks` files of the jail's v1
 * hierarchies, opened for writing "0".  Moving the calling thread takes no
 * global lock, where moving a whole process through cgroup.procs waits for
 * an RCU grace period (about 10 ms on an idle host) on every call.  Only
 * for a single-threaded caller: its other threads would stay behind.  v2
 * has no such file for a domain cgroup: clone3(CLONE_INTO_CGROUP) there.
 */
int
jail_cg_selffds(const struct jail_cg *cg, int *fds, int max,
    struct jail_error *err)
{
	char path[JAIL_CG_PATHMAX + 16];
	struct statfs sf;
	size_t i;
	int n = 0;

	for (i = 0; i < cg->nh; i++) {
		if (cg->h[i].v2)
			continue;
		if (cg->h[i].gone || n == max) {
			jail_seterr(err, ENOENT, "%s", cg->h[i].dir);
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/tasks", cg->h[i].dir);
		if ((fds[n] = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) ==
		    -1) {
			jail_seterr(err, errno, "%s", path);
			goto fail;
		}
		/* a record is not trusted: the file must be a cgroup's */
		if (fstatfs(fds[n++], &sf) == -1 ||
		    (unsigned long)sf.f_type != CGROUP_SUPER_MAGIC) {
			jail_seterr(err, 0, "%s is not in a cgroup", path);
			goto fail;
		}
	}
	return n;
fail:
	while (n > 0)
		close(fds[--n]);
	return -1;
}

void
jail_cg_close(struct jail_cg *cg)
{
	if (cg->v2fd >= 0)
		close(cg->v2fd);
	cg->v2fd = -1;
}

/* Save and load. */

int
jail_cg_save(const struct jail_cg *cg, char *buf, size_t len)
{
	struct jail_sbuf sb = { NULL, 0, 0 };
	const unsigned char *s;
	char x[8];
	size_t i, k;
	int first, rc = -1;

	for (i = 0; i < cg->nh; i++) {
		if (jail_sbuf_str(&sb, i ? " " : "") == -1 ||
		    jail_sbuf_str(&sb, cg->h[i].v2 ? "v2:" : "v1:") == -1)
			goto out;
		for (first = 1, k = 0; k < NCTLS; k++) {
			if (!(cg->h[i].ctl & ctls[k].bit))
				continue;
			if (jail_sbuf_str(&sb, first ? "" : ",") == -1 ||
			    jail_sbuf_str(&sb, ctls[k].name) == -1)
				goto out;
			first = 0;
		}
		if (jail_sbuf_str(&sb, ":") == -1)
			goto out;
		for (s = (const unsigned char *)cg->h[i].dir; *s; s++) {
			if (*s <= ' ' || *s == '%' || *s >= 0x7f)
				snprintf(x, sizeof(x), "%%%02X", *s);
			else
				snprintf(x, sizeof(x), "%c", *s);
			if (jail_sbuf_str(&sb, x) == -1)
				goto out;
		}
	}
	if (jail_sbuf_str(&sb, "") == -1 || sb.n >= len)
		goto out;
	memcpy(buf, sb.b, sb.n + 1);
	rc = (int)sb.n;
out:
	free(sb.b);
	return rc;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A path of a state line: absolute, no "." or "..", no empty name. */
static int
cleanpath(const char *p)
{
	const char *s = p, *e;

	if (*p != '/' || strcmp(p, "/") == 0)
		return -1;
	while (*s != '\0') {
		s++; /* the '/' */
		for (e = s; *e != '\0' && *e != '/'; e++)
			;
		if (e == s || (e - s == 1 && s[0] == '.') ||
		    (e - s == 2 && s[0] == '.' && s[1] == '.'))
			return -1;
		s = e;
	}
	return 0;
}

/* One "v1:ctl,ctl:PATH" entry (n bytes at e) into h. */
static int
load1(struct jail_cgdir *h, const char *e, size_t n, struct jail_error *err)
{
	const char *c1, *c2, *end = e + n, *s;
	size_t k, d = 0;
	unsigned bits = 0, b;
	int hi, lo;

	memset(h, 0, sizeof(*h));
	if (n < 4 || e[0] != 'v' || (e[1] != '1' && e[1] != '2') ||
	    e[2] != ':' || (c2 = memchr(e + 3, ':', n - 3)) == NULL)
		return jail_seterr(err, 0, "cgroup record: bad entry \"%.*s\"",
		    (int)n, e);
	h->v2 = e[1] == '2';
	for (c1 = e + 3; c1 < c2; c1 = s + 1) {
		for (s = c1; s < c2 && *s != ','; s++)
			;
		for (b = 0, k = 0; k < NCTLS; k++)
			if (strlen(ctls[k].name) == (size_t)(s - c1) &&
			    strncmp(ctls[k].name, c1, (size_t)(s - c1)) == 0)
				b = ctls[k].bit;
		if (b == 0 || (h->v2 && !(b & V2CTL)))
			return jail_seterr(err, 0,
			    "cgroup record: bad controller in \"%.*s\"", (int)n,
			    e);
		bits |= b;
	}
	h->ctl = bits;
	for (s = c2 + 1; s < end; s++) {
		if (d + 1 >= sizeof(h->dir))
			return jail_seterr(err, 0,
			    "cgroup record: path too long");
		if (*s == '%') {
			if (end - s < 3 || (hi = hexval(s[1])) < 0 ||
			    (lo = hexval(s[2])) < 0 || hi * 16 + lo == 0)
				return jail_seterr(err, 0,
				    "cgroup record: bad escape in \"%.*s\"",
				    (int)n, e);
			h->dir[d++] = (char)(hi * 16 + lo);
			s += 2;
		} else
			h->dir[d++] = *s;
	}
	h->dir[d] = '\0';
	if (cleanpath(h->dir) == -1)
		return jail_seterr(err, 0,
		    "cgroup record: \"%s\" is not a clean absolute path",
		    h->dir);
	return 0;
}

/*
 * v1: 0 = a v1 entry is only read here; whoever uses it checks the file
 * it opens (jail_cg_selffds()).
 */
static int
load(struct jail_cg *cg, const char *line, int v1, struct jail_error *err)
{
	const char *s = line, *e;
	char up[JAIL_CG_PATHMAX], *sl;
	struct jail_cgdir *h;
	struct statfs sf;
	int fd = -1, v2seen = 0;

	memset(cg, 0, sizeof(*cg));
	cg->v2fd = -1;
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			break;
		for (e = s; *e != '\0' && *e != ' ' && *e != '\n'; e++)
			;
		if (cg->nh == JAIL_CG_MAXH) {
			jail_seterr(err, 0, "cgroup record: too many entries");
			goto fail;
		}
		h = &cg->h[cg->nh];
		if (load1(h, s, (size_t)(e - s), err) == -1)
			goto fail;
		if (h->v2 && v2seen++) {
			jail_seterr(err, 0, "cgroup record: two v2 entries");
			goto fail;
		}
		cg->nh++;
		s = e;
		if (!h->v2 && !v1)
			continue;
		fd = open(h->dir,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1 && errno == ENOENT) {
			/* gone: its parent must still be a cgroup */
			strlcpy(up, h->dir, sizeof(up));
			if ((sl = strrchr(up, '/')) != NULL && sl != up)
				*sl = '\0';
			if (iscgfs(up, h->v2) == -1) {
				jail_seterr(err, errno,
				    "cgroup record: %s: not a cgroup%s "
				    "directory",
				    up, h->v2 ? "2" : "");
				goto fail;
			}
			h->gone = 1;
			continue;
		}
		/* O_DIRECTORY made sure it is a directory */
		if (fd == -1 || fstatfs(fd, &sf) == -1) {
			jail_seterr(err, errno, "cgroup record: %s", h->dir);
			goto fail;
		}
		if ((unsigned long)sf.f_type !=
		    (h->v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC)) {
			jail_seterr(err, 0,
			    "cgroup record: %s is not a cgroup%s directory",
			    h->dir, h->v2 ? "2" : "");
			goto fail;
		}
		if (h->v2)
			cg->v2fd = fd;
		else
			close(fd);
		fd = -1;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	jail_cg_close(cg);
	cg->nh = 0;
	return -1;
}

int
jail_cg_load(struct jail_cg *cg, const char *line, struct jail_error *err)
{
	return load(cg, line, 1, err);
}

int
jail_cg_load_entry(struct jail_cg *cg, const char *line, struct jail_error *err)
{
	return load(cg, line, 0, err);
}

/* Limits. */

/* A file the host lacks: the parameter cannot be enforced. */
static int
nofile(const char *param, const char *what, struct jail_error *err)
{
	return jail_seterr(err, 0, "%s: %s on this host", param, what);
}

static int
wrerr(const char *param, const struct jail_cgdir *h, const char *file,
    const char *val, struct jail_error *err)
{
	return jail_seterr(err, errno, "%s: write \"%s\" to %s/%s", param, val,
	    h->dir, file);
}

/* Write the number v into file; the error names param and v. */
static int
wrnumerr(const char *param, const struct jail_cgdir *h, const char *file,
    int64_t v, struct jail_error *err)
{
	char b[32];

	snprintf(b, sizeof(b), "%" PRId64, v);
	if (wrfile(h->dir, file, b) == -1)
		return wrerr(param, h, file, b, err);
	return 0;
}

/* v1 memory: the limit, keeping the swap allowance memsw - limit. */
static int
v1mem(struct jail_cgdir *h, int64_t num, struct jail_error *err)
{
	const char *pn = lims[L_MEMMAX].name;
	int64_t cur, sw, nw, nv = num == JAIL_UNLIMITED ? -1 : num;

	if (rdnum(h->dir, "memory.memsw.limit_in_bytes", &sw) == -1 ||
	    sw == JAIL_UNLIMITED) {
		return wrnumerr(pn, h, "memory.limit_in_bytes", nv, err);
	}
	if (rdnum(h->dir, "memory.limit_in_bytes", &cur) == -1)
		return jail_seterr(err, errno, "%s/memory.limit_in_bytes",
		    h->dir);
	if (num == JAIL_UNLIMITED)
		return jail_seterr(err, 0,
		    "%s: cannot be max while memory.swap.max is set on cgroup "
		    "v1 (memory.memsw.limit_in_bytes holds both)",
		    pn);
	nw = num + (sw - cur);
	/* raising: memsw first; lowering: the limit first */
	if (num > cur &&
	    wrnumerr(pn, h, "memory.memsw.limit_in_bytes", nw, err) == -1)
		return -1;
	if (wrnumerr(pn, h, "memory.limit_in_bytes", num, err) == -1)
		return -1;
	if (num <= cur)
		return wrnumerr(pn, h, "memory.memsw.limit_in_bytes", nw, err);
	return 0;
}

/* v1 swap: memsw = limit + swap. */
static int
v1swap(struct jail_cgdir *h, int64_t num, struct jail_error *err)
{
	const char *pn = lims[L_SWAP].name, *f = "memory.memsw.limit_in_bytes";
	char path[JAIL_CG_PATHMAX + 64];
	int64_t cur;

	snprintf(path, sizeof(path), "%s/%s", h->dir, f);
	if (access(path, F_OK) == -1)
		return num == JAIL_UNLIMITED
		    ? 0
		    : nofile(pn, "no swap accounting (memory.memsw.*)", err);
	if (num == JAIL_UNLIMITED) {
		if (wrfile(h->dir, f, V1MAX) == -1)
			return wrerr(pn, h, f, V1MAX, err);
		return 0;
	}
	if (rdnum(h->dir, "memory.limit_in_bytes", &cur) == -1)
		return jail_seterr(err, errno, "%s/memory.limit_in_bytes",
		    h->dir);
	if (cur == JAIL_UNLIMITED)
		return jail_seterr(err, 0,
		    "%s: needs memory.max on cgroup v1 "
		    "(memory.memsw.limit_in_bytes limits memory and swap "
		    "together)",
		    pn);
	if (num > INT64_MAX - cur)
		return jail_seterr(err, ERANGE, "%s", pn);
	return wrnumerr(pn, h, f, cur + num, err);
}

/*
 * Write limit l (num and canonical text as the table read them) into the
 * jail's hierarchy for it.
 */
static int
setlim(struct jail_cg *cg, int l, int64_t num, const char *canon,
    struct jail_error *err)
{
	const char *pn = lims[l].name, *f;
	char b[64], path[JAIL_CG_PATHMAX + 64];
	struct jail_cgdir *h;
	int64_t q, per;

	if ((h = hof(cg, lims[l].ctl)) == NULL)
		return jail_seterr(err, 0,
		    "%s: the jail has no %s cgroup (it is made at start only "
		    "for a jail that sets a %s parameter)",
		    pn, ctlname(lims[l].ctl, 0), ctlname(lims[l].ctl, 0));
	f = NULL;
	switch (l) {
	case L_MEMMAX:
		if (!h->v2)
			return v1mem(h, num, err);
		f = "memory.max";
		break;
	case L_MEMHIGH:
		f = h->v2 ? "memory.high" : "memory.soft_limit_in_bytes";
		break;
	case L_SWAP:
		if (!h->v2)
			return v1swap(h, num, err);
		f = "memory.swap.max";
		snprintf(path, sizeof(path), "%s/%s", h->dir, f);
		if (access(path, F_OK) == -1)
			return num == JAIL_UNLIMITED
			    ? 0
			    : nofile(pn, "no swap accounting (memory.swap.max)",
			          err);
		break;
	case L_PIDS:
		f = "pids.max";
		break;
	case L_CPUMAX:
		jail_cg_quota(num, &q, &per);
		if (h->v2) {
			f = "cpu.max";
			if (num == JAIL_UNLIMITED)
				snprintf(b, sizeof(b), "max %" PRId64, per);
			else
				snprintf(b, sizeof(b), "%" PRId64 " %" PRId64,
				    q, per);
			if (wrfile(h->dir, f, b) == -1)
				return errno == ENOENT
				    ? nofile(pn,
				          "no CPU bandwidth control "
				          "(cpu.max)",
				          err)
				    : wrerr(pn, h, f, b, err);
			return 0;
		}
		if (num == JAIL_UNLIMITED)
			q = -1;
		f = "cpu.cfs_period_us";
		snprintf(path, sizeof(path), "%s/%s", h->dir, f);
		if (access(path, F_OK) == -1)
			return nofile(pn,
			    "no CPU bandwidth control (cpu.cfs_quota_us)", err);
		if (wrnumerr(pn, h, f, per, err) == -1)
			return -1;
		return wrnumerr(pn, h, "cpu.cfs_quota_us", q, err);
	case L_CPUW:
		if (h->v2) {
			f = "cpu.weight";
			break;
		}
		return wrnumerr(pn, h, "cpu.shares", jail_cg_shares(num), err);
	case L_IOW:
		if (h->v2) {
			snprintf(b, sizeof(b), "default %" PRId64, num);
			if (wrfile(h->dir, "io.weight", b) == 0)
				return 0;
			if (errno != ENOENT)
				return wrerr(pn, h, "io.weight", b, err);
			f = "io.bfq.weight";
			snprintf(b, sizeof(b), "%" PRId64,
			    jail_cg_blkio(num, 1));
		} else {
			snprintf(b, sizeof(b), "%" PRId64,
			    jail_cg_blkio(num, 0));
			if (wrfile(h->dir, "blkio.weight", b) == 0)
				return 0;
			if (errno != ENOENT)
				return wrerr(pn, h, "blkio.weight", b, err);
			f = "blkio.bfq.weight";
			snprintf(b, sizeof(b), "%" PRId64,
			    jail_cg_blkio(num, 1));
		}
		if (wrfile(h->dir, f, b) == -1)
			return errno == ENOENT
			    ? nofile(pn,
			          h->v2
			              ? "no I/O weight (io.weight, io.bfq.weight)"
			              : "no I/O weight (blkio.weight, "
			                "blkio.bfq.weight)",
			          err)
			    : wrerr(pn, h, f, b, err);
		return 0;
	case L_CPUS:
	case L_MEMS:
		f = pn;
		if (wrfile(h->dir, f, canon) == -1)
			return wrerr(pn, h, f, canon, err);
		return 0;
	}
	/* the rest take a number or "max" (v1: -1) */
	if (num == JAIL_UNLIMITED)
		strlcpy(b, h->v2 || l == L_PIDS ? "max" : V1MAX, sizeof(b));
	else
		snprintf(b, sizeof(b), "%" PRId64, num);
	if (wrfile(h->dir, f, b) == -1)
		return wrerr(pn, h, f, b, err);
	return 0;
}

int
jail_cg_set(struct jail_cg *cg, const char *param, const char *value,
    struct jail_error *err)
{
	char why[256], *canon = NULL;
	int64_t num, hard;
	int p, l, rc;

	if ((p = jail_param_lookup(param, err)) == -1)
		return -1;
	if ((l = limof(param)) == -1)
		return jail_seterr(err, 0,
		    "%s: not a limit that can change on a running jail", param);
	if (jail_param_value(p, value, &canon, &num, &hard, why, sizeof(why)) ==
	    -1)
		return jail_seterr(err, 0, "%s: %s", param, why);
	rc = setlim(cg, l, num, canon, err);
	free(canon);
	return rc;
}

/* The canonical text of a value of param p, as the table writes it. */
static int
canonical(const char *param, const char *in, char *buf, size_t len,
    struct jail_error *err)
{
	char why[256], *canon;
	int64_t num, hard;
	int p;

	if ((p = jail_param_lookup(param, err)) == -1)
		return -1;
	if (jail_param_value(p, in, &canon, &num, &hard, why, sizeof(why)) ==
	    -1)
		return jail_seterr(err, 0, "%s: the kernel's \"%s\": %s", param,
		    in, why);
	if (strlcpy(buf, canon, len) >= len) {
		free(canon);
		return jail_seterr(err, ERANGE, "%s", param);
	}
	free(canon);
	return 0;
}

int
jail_cg_get(const struct jail_cg *cg, const char *param, char *buf, size_t len,
    struct jail_error *err)
{
	struct jail_cgdir *h;
	char b[4096], *s;
	const char *f;
	int64_t v, w, q, per;
	int l;

	if ((l = limof(param)) == -1)
		return jail_seterr(err, 0, "%s: not a cgroup limit", param);
	if ((h = hof(cg, lims[l].ctl)) == NULL)
		return jail_seterr(err, 0, "%s: the jail has no %s cgroup",
		    param, ctlname(lims[l].ctl, 0));
	switch (l) {
	case L_MEMMAX:
	case L_MEMHIGH:
	case L_PIDS:
		f = l == L_PIDS     ? "pids.max"
		    : h->v2         ? param
		    : l == L_MEMMAX ? "memory.limit_in_bytes"
		                    : "memory.soft_limit_in_bytes";
		if (rdnum(h->dir, f, &v) == -1)
			return jail_seterr(err, errno, "%s/%s", h->dir, f);
		break;
	case L_SWAP:
		f = h->v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
		if (rdnum(h->dir, f, &v) == -1)
			return jail_seterr(err, errno, "%s/%s", h->dir, f);
		if (!h->v2 && v != JAIL_UNLIMITED) {
			if (rdnum(h->dir, "memory.limit_in_bytes", &w) == -1)
				return jail_seterr(err, errno,
				    "%s/memory.limit_in_bytes", h->dir);
			v = w == JAIL_UNLIMITED || w > v ? 0 : v - w;
		}
		break;
	case L_CPUMAX:
		if (h->v2) {
			if (rdfile(h->dir, "cpu.max", b, sizeof(b)) == -1)
				return jail_seterr(err, errno, "%s/cpu.max",
				    h->dir);
			if (strncmp(b, "max", 3) == 0)
				q = -1;
			else
				q = strtoll(b, NULL, 10);
			s = strchr(b, ' ');
			per = s != NULL ? strtoll(s + 1, NULL, 10) : 100000;
		} else if (rdnum(h->dir, "cpu.cfs_quota_us", &q) == -1 ||
		    rdnum(h->dir, "cpu.cfs_period_us", &per) == -1)
			return jail_seterr(err, errno, "%s/cpu.cfs_*", h->dir);
		if (q < 0 || q == JAIL_UNLIMITED || per <= 0)
			return canonical(param, "max", buf, len, err);
		v = (q * 1000 + per / 2) / per;
		snprintf(b, sizeof(b), "%" PRId64 ".%03" PRId64, v / 1000,
		    v % 1000);
		return canonical(param, b, buf, len, err);
	case L_CPUW:
		if (rdnum(h->dir, h->v2 ? "cpu.weight" : "cpu.shares", &v) ==
		    -1)
			return jail_seterr(err, errno, "%s/cpu.*", h->dir);
		if (!h->v2)
			v = jail_cg_weight(v);
		break;
	case L_IOW: {
		static const char *const f2[] = { "io.weight",
			"io.bfq.weight" };
		static const char *const f1[] = { "blkio.weight",
			"blkio.bfq.weight" };
		int i;

		for (i = 0; i < 2; i++)
			if (rdfile(h->dir, h->v2 ? f2[i] : f1[i], b,
			        sizeof(b)) == 0)
				break;
		if (i == 2)
			return jail_seterr(err, errno, "%s/%s", h->dir,
			    h->v2 ? f2[0] : f1[0]);
		s = strncmp(b, "default ", 8) == 0 ? b + 8 : b;
		v = strtoll(s, NULL, 10);
		v = h->v2 && i == 0 ? v : jail_cg_ioweight(v, i == 1);
		break;
	}
	case L_CPUS:
	case L_MEMS:
	default:
		if (rdfile(h->dir, param, b, sizeof(b)) == -1)
			return jail_seterr(err, errno, "%s/%s", h->dir, param);
		if (b[0] == '\0') /* v2: the parent's */
			rdfile(h->dir,
			    l == L_CPUS ? "cpuset.cpus.effective"
			                : "cpuset.mems.effective",
			    b, sizeof(b));
		if (strlcpy(buf, b, len) >= len)
			return jail_seterr(err, ERANGE, "%s", param);
		return 0;
	}
	if (v == JAIL_UNLIMITED)
		strlcpy(b, "max", sizeof(b));
	else
		snprintf(b, sizeof(b), "%" PRId64, v);
	return canonical(param, b, buf, len, err);
}

/* Statistics. */

int
jail_cg_stats(const struct jail_cg *cg, struct jail_cgstats *s,
    struct jail_error *err)
{
	struct jail_cgdir *h;
	int64_t v;
	uint64_t u;
	int v1 = 0, v2 = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < cg->nh; i++) {
		if (cg->h[i].gone)
			continue;
		if (cg->h[i].v2)
			v2 = 1;
		else
			v1 = 1;
	}
	s->backend = v1 && v2 ? "mixed" : v2 ? "v2" : "v1";
	if ((h = hof(cg, JAIL_CGC_MEMORY)) != NULL) {
		if (rdnum(h->dir,
		        h->v2 ? "memory.current" : "memory.usage_in_bytes",
		        &v) == 0) {
			s->mem_current = (uint64_t)v;
			s->have |= JAIL_CGS_MEM;
		}
		if (rdnum(h->dir,
		        h->v2 ? "memory.peak" : "memory.max_usage_in_bytes",
		        &v) == 0) {
			s->mem_peak = (uint64_t)v;
			s->have |= JAIL_CGS_MEMPEAK;
		}
		if (rdkey(h->dir,
		        h->v2 ? "memory.events" : "memory.oom_control",
		        "oom_kill", &s->oom_kills) == 0)
			s->have |= JAIL_CGS_OOM;
	}
	if ((h = hof(cg, JAIL_CGC_PIDS)) != NULL) {
		if (rdnum(h->dir, "pids.current", &v) == 0) {
			s->pids_current = (uint64_t)v;
			s->have |= JAIL_CGS_PIDS;
		}
		if (rdkey(h->dir, "pids.events", "max", &s->pids_max_hit) == 0)
			s->have |= JAIL_CGS_PIDSMAX;
	}
	if ((h = hof(cg, JAIL_CGC_CPUACCT)) != NULL && !h->v2) {
		if (rdnum(h->dir, "cpuacct.usage", &v) == 0) {
			s->cpu_usec = (uint64_t)v / 1000;
			s->have |= JAIL_CGS_CPU;
		}
		if (rdnum(h->dir, "cpuacct.usage_user", &v) == 0)
			s->cpu_user_usec = (uint64_t)v / 1000;
		if (rdnum(h->dir, "cpuacct.usage_sys", &v) == 0)
			s->cpu_system_usec = (uint64_t)v / 1000;
	} else if ((h = v2of(cg)) != NULL &&
	    rdkey(h->dir, "cpu.stat", "usage_usec", &s->cpu_usec) == 0) {
		s->have |= JAIL_CGS_CPU;
		rdkey(h->dir, "cpu.stat", "user_usec", &s->cpu_user_usec);
		rdkey(h->dir, "cpu.stat", "system_usec", &s->cpu_system_usec);
	}
	if ((h = hof(cg, JAIL_CGC_CPU)) != NULL &&
	    rdkey(h->dir, "cpu.stat", "nr_periods", &s->nr_periods) == 0 &&
	    rdkey(h->dir, "cpu.stat", "nr_throttled", &s->nr_throttled) == 0) {
		s->have |= JAIL_CGS_THROTTLE;
		if (h->v2)
			rdkey(h->dir, "cpu.stat", "throttled_usec",
			    &s->throttled_usec);
		else if (rdkey(h->dir, "cpu.stat", "throttled_time", &u) == 0)
			s->throttled_usec = u / 1000;
	}
	(void)err;
	return 0;
}

/* Kill and destroy. */

/* Is pid listed in the cgroup.procs text b? */
static int
listed(const char *b, long pid)
{
	const char *s;
	char *e;

	for (s = b; *s != '\0'; s = e) {
		if (strtol(s, &e, 10) == pid)
			return 1;
		if (e == s)
			break;
		while (*e == '\n')
			e++;
	}
	return 0;
}

/*
 * SIGKILL each process listed in dir/cgroup.procs; how many were.  Through
 * a pidfd taken first and the list read again: a process that ended
 * meanwhile and whose PID went to a process of the host's is not hit.
 */
#define KILLBATCH 256
static int
killall(const char *dir)
{
	char path[JAIL_CG_PATHMAX + 32], *b, *b2, *s, *e;
	long pid[KILLBATCH];
	int fd[KILLBATCH], k = 0, i, n = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if ((b = slurp(path)) == NULL)
		return errno == ENOENT ? 0 : -1;
	for (s = b; *s != '\0' && k < KILLBATCH; s = e) {
		pid[k] = strtol(s, &e, 10);
		if (e == s)
			break;
		if (pid[k] > 0 &&
		    (fd[k] = (int)syscall(SYS_pidfd_open, (pid_t)pid[k], 0)) !=
		        -1)
			k++;
		while (*e == '\n')
			e++;
	}
	free(b);
	b2 = slurp(path);
	for (i = 0; i < k; i++) {
		if (b2 != NULL && listed(b2, pid[i]) &&
		    syscall(SYS_pidfd_send_signal, fd[i], SIGKILL, NULL, 0) ==
		        0)
			n++;
		close(fd[i]);
	}
	free(b2);
	return n; /* more than a batch: the caller's loop comes again */
}

/* Do all the jail's cgroups hold no process (0), or some (1)? */
static int
anyleft(const struct jail_cg *cg, const char **where)
{
	size_t i;

	for (i = 0; i < cg->nh; i++)
		if (!cg->h[i].gone && populated(cg->h[i].dir) == 1) {
			*where = cg->h[i].dir;
			return 1;
		}
	return 0;
}

int
jail_cg_kill(const struct jail_cg *cg, struct jail_error *err)
{
	const struct jail_cgdir *fz = NULL;
	struct jail_cgdir *h;
	const char *where = NULL;
	char st[64];
	long t;
	size_t i;

	if (!anyleft(cg, &where))
		return 0;
	if ((h = v2of(cg)) != NULL && wrfile(h->dir, "cgroup.kill", "1") == 0)
		goto wait;
	for (i = 0; i < cg->nh; i++)
		if (!cg->h[i].v2 && (cg->h[i].ctl & JAIL_CGC_FREEZER) &&
		    !cg->h[i].gone)
			fz = &cg->h[i];
	if (fz != NULL && wrfile(fz->dir, "freezer.state", "FROZEN") == 0) {
		/* frozen, nothing forks between reading and killing */
		for (t = 0; t < 1000; t += 5) {
			if (rdfile(fz->dir, "freezer.state", st, sizeof(st)) ==
			        -1 ||
			    strcmp(st, "FROZEN") == 0)
				break;
			nap(5);
		}
		killall(fz->dir);
		wrfile(fz->dir, "freezer.state", "THAWED");
	}
wait:
	for (t = 0; t < KILLWAIT; t += 5) {
		if (!anyleft(cg, &where))
			return 0;
		/* whatever is left (no freezer, or a fork that won) */
		for (i = 0; i < cg->nh; i++)
			if (!cg->h[i].gone)
				killall(cg->h[i].dir);
		nap(5);
	}
	return jail_seterr(err, EBUSY, "processes left in %s", where);
}

/*
 * Kill what is left and remove the cgroups.  A stopped jail's are empty
 * as a rule (its PID namespace ended every process): each is removed at
 * the first try, without reading it; the rest are emptied, then removed.
 */
int
jail_cg_remove(struct jail_cg *cg, struct jail_error *err)
{
	size_t i;

	for (i = 0; i < cg->nh; i++)
		if (!cg->h[i].gone &&
		    (rmdir(cg->h[i].dir) == 0 || errno == ENOENT))
			cg->h[i].gone = 1;
	if (jail_cg_kill(cg, err) == -1)
		return -1;
	return jail_cg_destroy(cg, err);
}

int
jail_cg_destroy(struct jail_cg *cg, struct jail_error *err)
{
	size_t i;
	int rc = 0;
	long t;

	for (i = cg->nh; i-- > 0;) {
		if (cg->h[i].gone)
			continue;
		for (t = 0;; t += 10) {
			if (rmdir(cg->h[i].dir) == 0 || errno == ENOENT) {
				cg->h[i].gone = 1;
				break;
			}
			if (errno != EBUSY || t >= RMDIRWAIT) {
				if (rc == 0)
					rc = jail_seterr(err, errno, "rmdir %s",
					    cg->h[i].dir);
				break;
			}
			nap(10);
		}
	}
	if (v2of(cg) == NULL)
		jail_cg_close(cg);
	return rc;
}
