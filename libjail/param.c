/*
 * param: the table of known parameters, the typed reading of values, and
 * the resolution of a configuration's statements into jails: merging the
 * global and "*" statements with each jail's own in file order, then
 * substituting variables and checking every value against the table.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailp.h"

static const char *const e_method[] = { "copy", "overlay", NULL };
static const char *const e_vnet[] = { "new", "inherit", NULL };
static const char *const e_ip[] = { "new", "inherit", "disable", NULL };
static const char *const e_userns[] = { "auto", "disable", NULL };

#define BOOL(n)                                                                \
	{                                                                      \
		n, JAIL_PT_BOOL, 0                                             \
	}
#define BOOLD(n, d)                                                            \
	{                                                                      \
		.name = n, .type = JAIL_PT_BOOL, .def = d                      \
	}
#define FBSD(n, t)                                                             \
	{                                                                      \
		n, t, JAIL_PF_NOLINUX                                          \
	}
#define EXEC(n)                                                                \
	{                                                                      \
		.name = n, .type = JAIL_PT_STRING, .flags = JAIL_PF_LIST       \
	}
#define RLIM(n)                                                                \
	{                                                                      \
		"rlimit." n, JAIL_PT_RLIMIT, 0                                 \
	}
#define LIMIT(n, t, fl, lo, hi)                                                \
	{                                                                      \
		.name = n, .type = t, .flags = JAIL_PF_LIVE | (fl), .min = lo, \
		.max = hi                                                      \
	}

/*
 * One row per parameter.  The first P_NFIXED rows are the ones the library
 * refers to by index; jail.conf(5) documents every row.
 */
const struct jail_pdef jail_ptab[] = {
	[P_NAME] = { .name = "name",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_FIXED,
	    .check = jail_check_name },
	[P_JID] = { .name = "jid",
	    .type = JAIL_PT_INT,
	    .min = 1,
	    .max = INT32_MAX },
	[P_PATH] = { .name = "path", .type = JAIL_PT_PATH },
	[P_HOSTNAME] = { .name = "host.hostname",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIVE,
	    .check = jail_check_hostname },
	[P_DOMAINNAME] = { .name = "host.domainname",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIVE,
	    .check = jail_check_hostname },
	[P_DEPEND] = { .name = "depend",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_name },
	[P_MOUNT] = { .name = "mount",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_fstab },
	[P_USERNS] = { .name = "userns",
	    .type = JAIL_PT_ENUM,
	    .e = e_userns,
	    .truev = "auto",
	    .falsev = "disable" },
	[P_UIDMAP] = { .name = "userns.uidmap",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_idmap },
	[P_GIDMAP] = { .name = "userns.gidmap",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_idmap },

	/* lifecycle */
	EXEC("exec.prepare"),
	EXEC("exec.prestart"),
	EXEC("exec.created"),
	EXEC("exec.start"),
	EXEC("exec.poststart"),
	EXEC("exec.prestop"),
	EXEC("exec.stop"),
	EXEC("exec.poststop"),
	EXEC("exec.release"),
	BOOLD("exec.clean", "false"),
	{ .name = "exec.jail_user",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_user },
	{ .name = "exec.system_user",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_user },
	{ .name = "exec.timeout", .type = JAIL_PT_DURATION },
	{ .name = "stop.timeout", .type = JAIL_PT_DURATION, .def = "10" },
	{ .name = "exec.consolelog", .type = JAIL_PT_PATH },
	BOOLD("persist", "false"),

	/* root tree */
	{ .name = "template",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_template },
	{ .name = "create.method",
	    .type = JAIL_PT_ENUM,
	    .e = e_method,
	    .def = "copy" },
	{ .name = "mount.fstab", .type = JAIL_PT_PATH },
	BOOLD("mount.devfs", "true"),
	BOOLD("mount.procfs", "true"),
	BOOLD("mount.sysfs", "false"),
	BOOLD("mount.tmp", "false"),
	BOOLD("read_only", "false"),

	/* network */
	{ .name = "vnet",
	    .type = JAIL_PT_ENUM,
	    .e = e_vnet,
	    .truev = "new",
	    .falsev = "inherit",
	    .def = "new" },
	{ .name = "ip4", .type = JAIL_PT_ENUM, .e = e_ip },
	{ .name = "ip6", .type = JAIL_PT_ENUM, .e = e_ip },
	{ .name = "ip4.addr",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_ip4 },
	{ .name = "ip6.addr",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_ip6 },
	{ .name = "vnet.bridge",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_ifname },
	{ .name = "vnet.gateway",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_ipaddr },

	/* privilege */
	BOOL("allow.raw_sockets"),
	BOOL("allow.mount"),
	BOOL("allow.mount.devfs"),
	BOOL("allow.mount.fusefs"),
	BOOL("allow.mount.nullfs"),
	BOOL("allow.mount.procfs"),
	BOOL("allow.mount.tmpfs"),
	BOOL("allow.mlock"),
	BOOL("allow.chflags"),
	BOOL("allow.sysvipc"),
	BOOL("allow.setuid"),
	BOOLD("allow.set_hostname", "true"),   /* as FreeBSD */
	BOOLD("allow.reserved_ports", "true"), /* as FreeBSD */
	BOOL("allow.read_msgbuf"),
	BOOL("allow.settime"),
	BOOL("allow.adjtime"),
	BOOL("allow.routing"),
	BOOL("allow.quotas"),
	BOOL("allow.extattr"),
	BOOL("allow.unprivileged_proc_debug"),
	{ .name = "caps.keep",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_cap },
	{ .name = "caps.drop",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIST,
	    .check = jail_check_cap },
	{ .name = "seccomp",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_seccomp,
	    .def = "default" },

	/* limits */
	LIMIT("memory.max", JAIL_PT_SIZE, JAIL_PF_MAX, 0, 0),
	LIMIT("memory.high", JAIL_PT_SIZE, JAIL_PF_MAX, 0, 0),
	LIMIT("memory.swap.max", JAIL_PT_SIZE, JAIL_PF_MAX, 0, 0),
	LIMIT("pids.max", JAIL_PT_INT, JAIL_PF_MAX, 1, 4194304),
	LIMIT("cpu.max", JAIL_PT_CORES, JAIL_PF_MAX, 0, 0),
	LIMIT("cpu.weight", JAIL_PT_INT, 0, 1, 10000),
	LIMIT("io.weight", JAIL_PT_INT, 0, 1, 10000),
	{ .name = "cpuset.cpus",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIVE,
	    .check = jail_check_cpulist },
	{ .name = "cpuset.mems",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_LIVE,
	    .check = jail_check_cpulist },
	{ .name = "cgroup.parent",
	    .type = JAIL_PT_STRING,
	    .check = jail_check_cgpath },
	RLIM("as"),
	RLIM("core"),
	RLIM("cpu"),
	RLIM("data"),
	RLIM("fsize"),
	RLIM("locks"),
	RLIM("memlock"),
	RLIM("msgqueue"),
	RLIM("nice"),
	RLIM("nofile"),
	RLIM("nproc"),
	RLIM("rss"),
	RLIM("rtprio"),
	RLIM("rttime"),
	RLIM("sigpending"),
	RLIM("stack"),

	/* FreeBSD's, with nothing to map to on Linux: read, warned about */
	FBSD("allow.dying", JAIL_PT_BOOL),
	FBSD("allow.mount.fdescfs", JAIL_PT_BOOL),
	FBSD("allow.mount.linprocfs", JAIL_PT_BOOL),
	FBSD("allow.mount.linsysfs", JAIL_PT_BOOL),
	FBSD("allow.mount.zfs", JAIL_PT_BOOL),
	FBSD("allow.setaudit", JAIL_PT_BOOL),
	FBSD("allow.unprivileged_parent_tampering", JAIL_PT_BOOL),
	FBSD("allow.vmm_ppt", JAIL_PT_BOOL),
	FBSD("env", JAIL_PT_STRING),
	FBSD("exec.system_jail_user", JAIL_PT_BOOL),
	{ .name = "host",
	    .type = JAIL_PT_ENUM,
	    .flags = JAIL_PF_NOLINUX,
	    .e = e_vnet },
	FBSD("linux", JAIL_PT_STRING),
	FBSD("meta", JAIL_PT_STRING),
	{ .name = "vnet.interface",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_NOLINUX | JAIL_PF_LIST },
	{ .name = "zfs.dataset",
	    .type = JAIL_PT_STRING,
	    .flags = JAIL_PF_NOLINUX | JAIL_PF_LIST },
	FBSD("allow.nfsd", JAIL_PT_BOOL),
	FBSD("allow.socket_af", JAIL_PT_BOOL),
	FBSD("allow.suser", JAIL_PT_BOOL),
	FBSD("allow.vmm", JAIL_PT_BOOL),
	{ .name = "children.max",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = INT32_MAX },
	{ .name = "devfs_ruleset",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = 65535 },
	{ .name = "enforce_statfs",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = 2 },
	{ .name = "exec.fib",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = 65535 },
	FBSD("host.hostuuid", JAIL_PT_STRING),
	{ .name = "host.hostid",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = UINT32_MAX },
	FBSD("interface", JAIL_PT_STRING),
	FBSD("ip_hostname", JAIL_PT_BOOL),
	FBSD("ip4.saddrsel", JAIL_PT_BOOL),
	FBSD("ip6.saddrsel", JAIL_PT_BOOL),
	FBSD("mount.fdescfs", JAIL_PT_BOOL),
	FBSD("osrelease", JAIL_PT_STRING),
	{ .name = "osreldate",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .max = INT32_MAX },
	{ .name = "securelevel",
	    .type = JAIL_PT_INT,
	    .flags = JAIL_PF_NOLINUX,
	    .min = -1,
	    .max = 3 },
	{ .name = "sysvmsg",
	    .type = JAIL_PT_ENUM,
	    .flags = JAIL_PF_NOLINUX,
	    .e = e_ip },
	{ .name = "sysvsem",
	    .type = JAIL_PT_ENUM,
	    .flags = JAIL_PF_NOLINUX,
	    .e = e_ip },
	{ .name = "sysvshm",
	    .type = JAIL_PT_ENUM,
	    .flags = JAIL_PF_NOLINUX,
	    .e = e_ip },
};

const int jail_nparams = sizeof(jail_ptab) / sizeof(jail_ptab[0]);

/* Filled once: the names in order for bsearch, and the defaults. */
static int byname[sizeof(jail_ptab) / sizeof(jail_ptab[0])];
static struct jail_pv defaults[sizeof(jail_ptab) / sizeof(jail_ptab[0])];
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static int
byname_cmp(const void *a, const void *b)
{
	return strcmp(jail_ptab[*(const int *)a].name,
	    jail_ptab[*(const int *)b].name);
}

static void
tab_init(void)
{
	char why[128];
	int i;

	for (i = 0; i < jail_nparams; i++) {
		byname[i] = i;
		defaults[i].param = i;
		if (jail_ptab[i].def == NULL)
			continue;
		defaults[i].v = calloc(1, sizeof(char *));
		if (defaults[i].v == NULL ||
		    jail_param_value(i, jail_ptab[i].def, &defaults[i].v[0],
		        &defaults[i].num, &defaults[i].hard, why,
		        sizeof(why)) == -1) {
			free(defaults[i].v);
			defaults[i].v = NULL;
			continue;
		}
		defaults[i].n = 1;
	}
	qsort(byname, (size_t)jail_nparams, sizeof(byname[0]), byname_cmp);
}

static int
find_exact(const char *name)
{
	int lo = 0, hi = jail_nparams - 1, mid, c;

	pthread_once(&tab_once, tab_init);
	while (lo <= hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, jail_ptab[byname[mid]].name);
		if (c == 0)
			return byname[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * The index of a parameter, also through FreeBSD's "no" prefix on the last
 * dotted part of a boolean ("allow.nomount", "nopersist"); *neg tells.
 */
int
jail_param_byname(const char *name, int *neg)
{
	const char *last;
	char buf[128];
	int p;

	*neg = 0;
	if ((p = find_exact(name)) >= 0)
		return p;
	last = strrchr(name, '.');
	last = last != NULL ? last + 1 : name;
	if (strncmp(last, "no", 2) != 0 || strlen(name) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)(last - name), name,
	    last + 2);
	if ((p = find_exact(buf)) < 0)
		return -1;
	if (jail_ptab[p].type != JAIL_PT_BOOL && jail_ptab[p].falsev == NULL)
		return -1;
	*neg = 1;
	return p;
}

static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, k, prev, cur, row[128];

	if (la >= 127 || lb >= 127)
		return SIZE_MAX;
	for (k = 0; k <= lb; k++)
		row[k] = k;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (k = 1; k <= lb; k++) {
			cur = row[k];
			row[k] = prev + (a[i - 1] != b[k - 1]);
			if (row[k - 1] + 1 < row[k])
				row[k] = row[k - 1] + 1;
			if (cur + 1 < row[k])
				row[k] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* "; did you mean "x"?" for the nearest known name, or "". */
void
jail_param_suggest(const char *name, char *buf, size_t len)
{
	size_t best = SIZE_MAX, d, limit;
	int i, bi = -1;

	buf[0] = '\0';
	for (i = 0; i < jail_nparams; i++) {
		d = distance(name, jail_ptab[i].name);
		if (d < best) {
			best = d;
			bi = i;
		}
	}
	limit = strlen(name) / 4 > 2 ? strlen(name) / 4 : 2;
	if (bi >= 0 && best <= limit)
		snprintf(buf, len, "; did you mean \"%s\"?",
		    jail_ptab[bi].name);
}

int
jail_param_count(void)
{
	return jail_nparams;
}

int
jail_param_lookup(const char *name, struct jail_error *err)
{
	char hint[128];
	int p, neg;

	if ((p = jail_param_byname(name, &neg)) >= 0 && !neg)
		return p;
	jail_param_suggest(name, hint, sizeof(hint));
	return jail_seterr(err, 0, "unknown parameter \"%s\"%s", name, hint);
}

const char *
jail_param_name(int p)
{
	return p >= 0 && p < jail_nparams ? jail_ptab[p].name : NULL;
}

enum jail_ptype
jail_param_type(int p)
{
	return jail_ptab[p].type;
}

int
jail_param_flags(int p)
{
	return jail_ptab[p].flags;
}

/* FreeBSD's booleans: true/false in any case, or an integer. */
int
jail_param_bool(const char *v, int *b)
{
	const char *errstr;
	long long n;

	if (strcasecmp(v, "true") == 0) {
		*b = 1;
		return 0;
	}
	if (strcasecmp(v, "false") == 0) {
		*b = 0;
		return 0;
	}
	n = strtonum(v, LLONG_MIN, LLONG_MAX, &errstr);
	if (errstr != NULL)
		return -1;
	*b = n != 0;
	return 0;
}

static int
is_max(const char *v)
{
	return strcasecmp(v, "max") == 0 || strcasecmp(v, "unlimited") == 0 ||
	    strcasecmp(v, "infinity") == 0;
}

/*
 * "64M", "1.5G", "4096": a number, an optional fraction and a binary
 * suffix (K, M, G, T, P, E; an optional "B" or "iB" after it).
 */
static int
parse_size(const char *v, int64_t *out)
{
	uint64_t whole = 0, frac = 0, fdiv = 1, mult = 1;
	const char *s = v;
	int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (; isdigit((unsigned char)*s); s++) {
			if (fdiv >= 1000000000ULL)
				continue; /* finer than a byte anyway */
			frac = frac * 10 + (uint64_t)(*s - '0');
			fdiv *= 10;
		}
	}
	switch (toupper((unsigned char)*s)) {
	case 'E':
		shift += 10;
		/* FALLTHROUGH */
	case 'P':
		shift += 10;
		/* FALLTHROUGH */
	case 'T':
		shift += 10;
		/* FALLTHROUGH */
	case 'G':
		shift += 10;
		/* FALLTHROUGH */
	case 'M':
		shift += 10;
		/* FALLTHROUGH */
	case 'K':
		shift += 10;
		s++;
		if (*s == 'i' && s[1] == 'B')
			s += 2;
		else if (*s == 'B' || *s == 'b')
			s++;
		break;
	case 'B':
		s++;
		break;
	}
	if (*s != '\0')
		return -1;
	mult = (uint64_t)1 << shift;
	if (whole > (uint64_t)INT64_MAX / mult)
		return -1;
	whole *= mult;
	frac = frac * mult / fdiv; /* mult <= 2^60, frac < 10^9: no overflow */
	if (shift == 0 && fdiv > 1)
		return -1; /* a fraction of a byte */
	if ((uint64_t)INT64_MAX - whole < frac)
		return -1;
	*out = (int64_t)(whole + frac);
	return 0;
}

static char *
format_size(int64_t n)
{
	static const char suf[] = "KMGTPE";
	int i = -1;

	if (n == JAIL_UNLIMITED)
		return strdup("max");
	while (n != 0 && n % 1024 == 0 && i < 5) {
		n /= 1024;
		i++;
	}
	char buf[32];

	if (i < 0)
		snprintf(buf, sizeof(buf), "%" PRId64, n);
	else
		snprintf(buf, sizeof(buf), "%" PRId64 "%c", n, suf[i]);
	return strdup(buf);
}

/* "90", "90s", "5m", "2h", "1d": whole seconds. */
static int
parse_duration(const char *v, int64_t *out)
{
	const char *errstr;
	char buf[32];
	size_t len = strlen(v);
	int64_t mult = 1;
	long long n;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, v, len + 1);
	switch (buf[len - 1]) {
	case 'd':
		mult *= 24;
		/* FALLTHROUGH */
	case 'h':
		mult *= 60;
		/* FALLTHROUGH */
	case 'm':
		mult *= 60;
		/* FALLTHROUGH */
	case 's':
		buf[len - 1] = '\0';
		break;
	}
	if (!isdigit((unsigned char)buf[0]))
		return -1;
	n = strtonum(buf, 0, INT32_MAX, &errstr);
	if (errstr != NULL || n * mult > INT32_MAX)
		return -1;
	*out = n * mult;
	return 0;
}

/* "1.5" CPUs: thousandths, at least one. */
static int
parse_cores(const char *v, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int digits = 0;
	const char *s = v;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		whole = whole * 10 + (*s - '0');
		if (whole > 65536)
			return -1;
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, digits++) {
			if (digits >= 3)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*s != '\0' || whole * 1000 + frac < 1)
		return -1;
	*out = whole * 1000 + frac;
	return 0;
}

static int
parse_rlim1(const char *v, int64_t *out)
{
	if (is_max(v)) {
		*out = JAIL_UNLIMITED;
		return 0;
	}
	return parse_size(v, out);
}

static char *
format_rlim1(int64_t n)
{
	char *s;

	if (n == JAIL_UNLIMITED)
		return strdup("unlimited");
	if (asprintf(&s, "%" PRId64, n) == -1)
		return NULL;
	return s;
}

/*
 * Read one value of parameter p: on success *canon is its canonical text
 * (malloc'ed, the caller frees) and *num, *hard the number behind it; on
 * failure why says what is wrong with it.
 */
int
jail_param_value(int p, const char *in, char **canon, int64_t *num,
    int64_t *hard, char *why, size_t len)
{
	const struct jail_pdef *pd = &jail_ptab[p];
	const char *errstr, *colon;
	char *s = NULL, *t, *u, nbuf[32];
	long long n;
	int64_t h;
	int b, i;

	*num = 0;
	*hard = 0;
	switch (pd->type) {
	case JAIL_PT_STRING:
		if (pd->check != NULL && pd->check(in, why, len) == -1)
			return -1;
		s = strdup(in);
		break;
	case JAIL_PT_BOOL:
		if (jail_param_bool(in, &b) == -1) {
			snprintf(why, len,
			    "\"%s\" is not a boolean (true, false or a number)",
			    in);
			return -1;
		}
		*num = b;
		s = strdup(b ? "true" : "false");
		break;
	case JAIL_PT_INT:
		if ((pd->flags & JAIL_PF_MAX) && is_max(in)) {
			*num = JAIL_UNLIMITED;
			s = strdup("max");
			break;
		}
		n = strtonum(in, pd->min, pd->max, &errstr);
		if (errstr != NULL) {
			snprintf(why, len,
			    "\"%s\" is not a whole number from %" PRId64
			    " to %" PRId64 "%s",
			    in, pd->min, pd->max,
			    pd->flags & JAIL_PF_MAX ? " or \"max\"" : "");
			return -1;
		}
		*num = n;
		snprintf(nbuf, sizeof(nbuf), "%lld", n);
		s = strdup(nbuf);
		break;
	case JAIL_PT_SIZE:
		if ((pd->flags & JAIL_PF_MAX) && is_max(in))
			*num = JAIL_UNLIMITED;
		else if (parse_size(in, num) == -1) {
			snprintf(why, len,
			    "\"%s\" is not a size (like 512M, 1.5G or max)",
			    in);
			return -1;
		}
		s = format_size(*num);
		break;
	case JAIL_PT_DURATION:
		if (parse_duration(in, num) == -1) {
			snprintf(why, len,
			    "\"%s\" is not a duration (seconds, or with s, m, "
			    "h or d)",
			    in);
			return -1;
		}
		snprintf(nbuf, sizeof(nbuf), "%" PRId64, *num);
		s = strdup(nbuf);
		break;
	case JAIL_PT_ENUM:
		for (i = 0; pd->e[i] != NULL; i++)
			if (strcasecmp(in, pd->e[i]) == 0)
				break;
		if (pd->e[i] == NULL) {
			t = NULL;
			for (i = 0; pd->e[i] != NULL; i++) {
				s = t;
				if (asprintf(&t, "%s%s%s", s ? s : "",
				        s ? ", " : "", pd->e[i]) == -1)
					t = NULL;
				free(s);
				s = NULL;
			}
			snprintf(why, len, "\"%s\" is not one of: %s", in,
			    t ? t : "?");
			free(t);
			return -1;
		}
		*num = i;
		s = strdup(pd->e[i]);
		break;
	case JAIL_PT_PATH:
		if (in[0] != '/') {
			snprintf(why, len, "\"%s\" is not an absolute path",
			    in);
			return -1;
		}
		s = jail_path_clean(in);
		break;
	case JAIL_PT_CORES:
		if ((pd->flags & JAIL_PF_MAX) && is_max(in)) {
			*num = JAIL_UNLIMITED;
			s = strdup("max");
			break;
		}
		if (parse_cores(in, num) == -1) {
			snprintf(why, len,
			    "\"%s\" is not a number of CPUs (like 0.5, 2 or "
			    "max; at most 3 decimals)",
			    in);
			return -1;
		}
		if (*num % 1000 == 0)
			i = asprintf(&s, "%" PRId64, *num / 1000);
		else {
			i = asprintf(&s, "%" PRId64 ".%03" PRId64, *num / 1000,
			    *num % 1000);
			while (i > 0 && s[i - 1] == '0')
				s[--i] = '\0';
		}
		if (i == -1)
			s = NULL;
		break;
	case JAIL_PT_RLIMIT:
		colon = strchr(in, ':');
		t = colon ? strndup(in, (size_t)(colon - in)) : strdup(in);
		if (t == NULL)
			return -1;
		i = parse_rlim1(t, num);
		free(t);
		h = *num;
		if (i == -1 ||
		    (colon != NULL && parse_rlim1(colon + 1, &h) == -1)) {
			snprintf(why, len,
			    "\"%s\" is not a limit (N, soft:hard or unlimited)",
			    in);
			return -1;
		}
		if (*num > h) {
			snprintf(why, len,
			    "soft limit above the hard limit in \"%s\"", in);
			return -1;
		}
		*hard = h;
		s = format_rlim1(*num);
		if (s != NULL && h != *num) {
			t = format_rlim1(h);
			if (t == NULL || asprintf(&u, "%s:%s", s, t) == -1)
				u = NULL;
			free(s);
			free(t);
			s = u;
		}
		break;
	}
	if (s == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	*canon = s;
	return 0;
}

void
jail_pv_free(struct jail_pv *pv)
{
	size_t i;

	for (i = 0; i < pv->n; i++)
		free(pv->v[i]);
	free(pv->v);
	pv->v = NULL;
	pv->n = 0;
}

static int
pvcmp(const void *a, const void *b)
{
	return ((const struct jail_pv *)a)->param -
	    ((const struct jail_pv *)b)->param;
}

/* The value in force: the jail's own, else the default, else NULL. */
static const struct jail_pv *
pv_get(const struct jail *j, int p)
{
	const struct jail_pv *pv;
	struct jail_pv key;

	if (p < 0 || p >= jail_nparams)
		return NULL;
	key.param = p;
	if (j->pv != NULL &&
	    (pv = bsearch(&key, j->pv, j->npv, sizeof(*pv), pvcmp)) != NULL)
		return pv;
	pthread_once(&tab_once, tab_init);
	return defaults[p].n > 0 ? &defaults[p] : NULL;
}

/*
 * Put a value in force in place of the resolved one (show of a running
 * jail whose limits were changed): one value, canon owned from here on.
 */
int
jail_pv_override(struct jail *j, int p, char *canon, int64_t num, int64_t hard)
{
	struct jail_pv key, *pv, *npv;
	char **v;
	size_t i;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return -1;
	v[0] = canon;
	key.param = p;
	pv = j->pv == NULL
	    ? NULL
	    : bsearch(&key, j->pv, j->npv, sizeof(*j->pv), pvcmp);
	if (pv == NULL) {
		if (j->npv == j->pvcap) {
			npv = reallocarray(j->pv, j->pvcap ? 2 * j->pvcap : 8,
			    sizeof(*npv));
			if (npv == NULL) {
				free(v);
				return -1;
			}
			j->pv = npv;
			j->pvcap = j->pvcap ? 2 * j->pvcap : 8;
		}
		for (i = 0; i < j->npv && j->pv[i].param < p; i++)
			;
		memmove(&j->pv[i + 1], &j->pv[i],
		    (j->npv - i) * sizeof(*j->pv));
		j->npv++;
		pv = &j->pv[i];
		memset(pv, 0, sizeof(*pv));
		pv->param = p;
	} else
		jail_pv_free(pv);
	pv->v = v;
	pv->n = 1;
	pv->num = num;
	pv->hard = hard;
	pv->set = 1;
	return 0;
}

const char *
jail_get(const struct jail *j, int p)
{
	const struct jail_pv *pv = pv_get(j, p);

	return pv != NULL && pv->n > 0 ? pv->v[0] : NULL;
}

size_t
jail_get_list(const struct jail *j, int p, const char *const **vals)
{
	const struct jail_pv *pv = pv_get(j, p);

	if (pv == NULL) {
		*vals = NULL;
		return 0;
	}
	*vals = (const char *const *)pv->v;
	return pv->n;
}

int
jail_get_num(const struct jail *j, int p, int64_t *num, int64_t *hard)
{
	const struct jail_pv *pv = pv_get(j, p);

	if (pv == NULL) {
		if (jail_ptab[p].type != JAIL_PT_BOOL)
			return -1;
		*num = 0; /* an unset boolean is false */
		if (hard != NULL)
			*hard = 0;
		return 0;
	}
	*num = pv->num;
	if (hard != NULL)
		*hard = pv->hard;
	return 0;
}

int
jail_param_isset(const struct jail *j, int p)
{
	const struct jail_pv *pv = pv_get(j, p);

	return pv != NULL && pv->set;
}

int
jail_param_hasvalue(const struct jail *j, int p)
{
	return pv_get(j, p) != NULL;
}

const char *
jail_name(const struct jail *j)
{
	return j->name;
}

size_t
jail_conf_njails(const struct jail_conf *conf)
{
	return conf->njails;
}

struct jail *
jail_conf_jail(const struct jail_conf *conf, size_t i)
{
	return i < conf->njails ? conf->jails[i] : NULL;
}

struct jail *
jail_conf_find(const struct jail_conf *conf, const char *name)
{
	struct jail key;

	key.name = (char *)name;
	return RB_FIND(jail_tree, &((struct jail_conf *)conf)->byname, &key);
}

/* Bare words that read back as themselves; anything else is quoted. */
static int
plain(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("_.:@%^~-", *s) == NULL)
			return 0;
	return 1;
}

char *
jail_quote(const char *s)
{
	char *out, *o;
	const unsigned char *p;

	if (plain(s))
		return strdup(s);
	/* at most four bytes out for one in, the quotes and the NUL */
	if ((out = malloc(strlen(s) * 4 + 3)) == NULL)
		return NULL;
	o = out;
	*o++ = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
		case '\\':
		case '$':
			*o++ = '\\';
			*o++ = (char)*p;
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		case '\t':
			*o++ = '\\';
			*o++ = 't';
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				o += sprintf(o, "\\%03o", *p);
			else
				*o++ = (char)*p;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

/*
 * Write the parameter's name, or for a false boolean its "no" form on the
 * last dotted part, as jls(8) does: "allow.nomount".
 */
static int
fmt_name(struct jail_sbuf *sb, int p, int neg)
{
	const char *name = jail_ptab[p].name, *last;
	char tmp[160];

	if (!neg)
		return jail_sbuf_str(sb, name);
	last = strrchr(name, '.');
	last = last != NULL ? last + 1 : name;
	snprintf(tmp, sizeof(tmp), "%.*sno%s", (int)(last - name), name, last);
	return jail_sbuf_str(sb, tmp);
}

char *
jail_format(const struct jail *j, struct jail_error *err)
{
	const struct jail_pv *pv;
	struct jail_sbuf sb = { NULL, 0, 0 };
	size_t k;
	char *q;
	int p, rc = 0;

	q = jail_quote(j->name);
	rc |= jail_sbuf_str(&sb, q ? q : "?");
	free(q);
	rc |= jail_sbuf_str(&sb, " {\n");
	for (p = 0; p < jail_nparams; p++) {
		if (p == P_NAME || (pv = pv_get(j, p)) == NULL || pv->n == 0)
			continue;
		rc |= jail_sbuf_str(&sb, "\t");
		if (jail_ptab[p].type == JAIL_PT_BOOL) {
			rc |= fmt_name(&sb, p, pv->num == 0);
			rc |= jail_sbuf_str(&sb, ";\n");
			continue;
		}
		rc |= fmt_name(&sb, p, 0);
		rc |= jail_sbuf_str(&sb, " = ");
		for (k = 0; k < pv->n; k++) {
			if (k > 0)
				rc |= jail_sbuf_str(&sb, ", ");
			if ((q = jail_quote(pv->v[k])) == NULL)
				rc = -1;
			else
				rc |= jail_sbuf_str(&sb, q);
			free(q);
		}
		rc |= jail_sbuf_str(&sb, ";\n");
	}
	rc |= jail_sbuf_str(&sb, "}\n");
	if (rc != 0) {
		free(sb.b);
		jail_seterr(err, ENOMEM, "show %s", j->name);
		return NULL;
	}
	return sb.b;
}
