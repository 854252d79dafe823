/*
 * check: the checks of single values behind the parameter table (a
 * hostname, an id map, an fstab line, ...).  Each returns 0, or -1 with the
 * reason in why.  jail_name_valid() is the public face of the name check.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "jailp.h"

static int fail(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

int
jail_check_name(const char *v, char *why, size_t len)
{
	const char *s;

	if (*v == '\0')
		return fail(why, len, "empty jail name%s", "");
	if (strlen(v) >= JAIL_NAMEMAX) {
		snprintf(why, len,
		    "jail name \"%.20s...\" is longer than %d bytes", v,
		    JAIL_NAMEMAX - 1);
		return -1;
	}
	if (*v == '-')
		return fail(why, len,
		    "jail name \"%s\" must not start with \"-\"", v);
	for (s = v; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return fail(why, len,
			    "jail name \"%s\" may hold only letters, digits, "
			    "\"_\" and \"-\"",
			    v);
	return 0;
}

int
jail_name_valid(const char *name, struct jail_error *err)
{
	char why[JAIL_ERRMAX];

	if (name == NULL || jail_check_name(name, why, sizeof(why)) == -1) {
		jail_seterr(err, 0, "%s", name == NULL ? "no jail name" : why);
		if (err != NULL)
			err->code = EINVAL; /* the message says it all */
		return -1;
	}
	return 0;
}

/* RFC 1123 host names, at most 64 bytes (HOST_NAME_MAX). */
int
jail_check_hostname(const char *v, char *why, size_t len)
{
	const char *s, *label = v;

	if (*v == '\0' || strlen(v) > 64)
		return fail(why, len,
		    "host name \"%s\" must have 1 to 64 bytes", v);
	for (s = v;; s++) {
		if (*s == '.' || *s == '\0') {
			if (s == label || s - label > 63)
				return fail(why, len,
				    "host name \"%s\" has an empty or too long "
				    "label",
				    v);
			if (*label == '-' || s[-1] == '-')
				return fail(why, len,
				    "a label of host name \"%s\" starts or ends "
				    "with \"-\"",
				    v);
			if (*s == '\0')
				return 0;
			label = s + 1;
		} else if (!isalnum((unsigned char)*s) && *s != '-')
			return fail(why, len,
			    "host name \"%s\" may hold only letters, digits, "
			    "\"-\" and \".\"",
			    v);
	}
}

int
jail_check_ifname(const char *v, char *why, size_t len)
{
	const char *s;

	if (*v == '\0' || strlen(v) > 15 || strcmp(v, ".") == 0 ||
	    strcmp(v, "..") == 0)
		return fail(why, len,
		    "interface name \"%s\" must have 1 to 15 bytes", v);
	for (s = v; *s != '\0'; s++)
		if (!isgraph((unsigned char)*s) || *s == '/' || *s == ':')
			return fail(why, len,
			    "interface name \"%s\" holds a space, \"/\" or "
			    "\":\"",
			    v);
	return 0;
}

/* "ADDR", "ADDR/PREFIX" or FreeBSD's "IFACE|ADDR/PREFIX". */
static int
check_ip(int af, const char *v, char *why, size_t len)
{
	unsigned char bin[16];
	const char *a = v, *bar, *slash, *errstr;
	char buf[64], ifn[32];
	size_t n;
	int maxp = af == AF_INET ? 32 : 128;

	if ((bar = strchr(v, '|')) != NULL) {
		if ((size_t)(bar - v) >= sizeof(ifn))
			return fail(why, len, "bad interface in \"%s\"", v);
		snprintf(ifn, sizeof(ifn), "%.*s", (int)(bar - v), v);
		if (jail_check_ifname(ifn, why, len) == -1)
			return -1;
		a = bar + 1;
	}
	slash = strchr(a, '/');
	n = slash ? (size_t)(slash - a) : strlen(a);
	if (n >= sizeof(buf))
		return fail(why, len, "\"%s\" is not an address", v);
	memcpy(buf, a, n);
	buf[n] = '\0';
	if (inet_pton(af, buf, bin) != 1)
		return fail(why, len, "\"%s\" is not an IPv%d address", v,
		    af == AF_INET ? 4 : 6);
	if (slash != NULL) {
		strtonum(slash + 1, 0, maxp, &errstr);
		if (errstr != NULL || slash[1] == '\0')
			return fail(why, len, "bad prefix length in \"%s\"", v);
	}
	return 0;
}

int
jail_check_ip4(const char *v, char *why, size_t len)
{
	return check_ip(AF_INET, v, why, len);
}

int
jail_check_ip6(const char *v, char *why, size_t len)
{
	return check_ip(AF_INET6, v, why, len);
}

int
jail_check_ipaddr(const char *v, char *why, size_t len)
{
	unsigned char bin[16];

	if (inet_pton(AF_INET, v, bin) == 1 || inet_pton(AF_INET6, v, bin) == 1)
		return 0;
	return fail(why, len, "\"%s\" is not an IP address", v);
}

static int
u32(const char **s, uint32_t *out)
{
	unsigned long long n = 0;
	const char *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (unsigned)(*p - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)n;
	*s = p;
	return 0;
}

/* "INSIDE OUTSIDE COUNT", as /proc/PID/uid_map takes it. */
int
jail_idmap_parse(const char *v, struct jail_idmap *m)
{
	const char *s = v;

	if (u32(&s, &m->inside) == -1 || u32(&s, &m->outside) == -1 ||
	    u32(&s, &m->count) == -1)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0' || m->count == 0 ||
	    (uint64_t)m->inside + m->count > (uint64_t)UINT32_MAX + 1 ||
	    (uint64_t)m->outside + m->count > (uint64_t)UINT32_MAX + 1)
		return -1;
	return 0;
}

int
jail_check_idmap(const char *v, char *why, size_t len)
{
	struct jail_idmap m;

	if (jail_idmap_parse(v, &m) == -1)
		return fail(why, len,
		    "\"%s\" is not an id map (\"INSIDE OUTSIDE COUNT\", "
		    "COUNT at least 1)",
		    v);
	if (m.outside == 0)
		return fail(why, len,
		    "\"%s\" maps host id 0 (root) into the jail", v);
	return 0;
}

/*
 * Split an fstab(5) line into its fields: SRC DST TYPE OPTS [DUMP PASS].
 * "\040" stands for a space inside a field, as in fstab.  The fields point
 * into buf.
 */
int
jail_fstab_split(const char *line, char *f[6], char *buf, size_t len)
{
	const char *s = line;
	char *o = buf, *end = buf + len - 1;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == 6)
			return -1;
		f[n++] = o;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (o >= end)
				return -1;
			if (s[0] == '\\' && s[1] == '0' && s[2] == '4' &&
			    s[3] == '0') {
				*o++ = ' ';
				s += 4;
			} else
				*o++ = *s++;
		}
		if (o >= end)
			return -1;
		*o++ = '\0';
	}
	if (n < 4 && n != 3)
		return -1;
	if (n == 3)
		f[n++] = "defaults";
	for (; n < 6; n++)
		f[n] = "0";
	return 0;
}

int
jail_check_fstab(const char *v, char *why, size_t len)
{
	char *f[6], buf[4096];

	if (jail_fstab_split(v, f, buf, sizeof(buf)) == -1)
		return fail(why, len,
		    "\"%s\" is not a mount line (SRC DST TYPE [OPTIONS [0 0]])",
		    v);
	if (f[1][0] != '/')
		return fail(why, len,
		    "mount target in \"%s\" is not an absolute path", v);
	return 0;
}

/* CAP_CHOWN, cap_chown or chown, as libcap-ng knows them; or "all". */
int
jail_check_cap(const char *v, char *why, size_t len)
{
	const char *c = v;
	char name[64];
	size_t i;

	if (strncasecmp(c, "cap_", 4) == 0)
		c += 4;
	if (strcasecmp(c, "all") == 0)
		return 0;
	if (strlen(c) >= sizeof(name) || *c == '\0')
		return fail(why, len, "unknown capability \"%s\"", v);
	for (i = 0; c[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)c[i]);
	name[i] = '\0';
	if (capng_name_to_capability(name) < 0)
		return fail(why, len, "unknown capability \"%s\"", v);
	return 0;
}

/* "0-3,5": CPU or memory node numbers. */
int
jail_check_cpulist(const char *v, char *why, size_t len)
{
	const char *s = v;
	uint32_t a, b;

	for (;;) {
		if (!isdigit((unsigned char)*s) || u32(&s, &a) == -1)
			return fail(why, len, "\"%s\" is not a list like 0-3,6",
			    v);
		b = a;
		if (*s == '-') {
			s++;
			if (!isdigit((unsigned char)*s) || u32(&s, &b) == -1 ||
			    b < a)
				return fail(why, len,
				    "\"%s\" is not a list like 0-3,6", v);
		}
		if (b >= 8192)
			return fail(why, len, "\"%s\": number too large", v);
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return fail(why, len, "\"%s\" is not a list like 0-3,6",
			    v);
	}
}

int
jail_check_seccomp(const char *v, char *why, size_t len)
{
	if (strcmp(v, "default") == 0 || strcmp(v, "none") == 0 || v[0] == '/')
		return 0;
	return fail(why, len,
	    "\"%s\" is not \"default\", \"none\" or an absolute file name", v);
}

/* A template's name (templates/NAME) or an absolute path to a root tree. */
int
jail_check_template(const char *v, char *why, size_t len)
{
	const char *s;
	size_t n;

	if (v[0] == '/')
		return 0;
	if (*v == '\0' || *v == '.' || *v == '-' || strlen(v) >= JAIL_NAMEMAX)
		return fail(why, len, "bad template name \"%s\"", v);
	n = strlen(v);
	if ((n > 6 && strcmp(v + n - 6, ".build") == 0) ||
	    (n > 4 && strcmp(v + n - 4, ".tmp") == 0))
		return fail(why, len,
		    "template name \"%s\" ends like the store's own files", v);
	for (s = v; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_.-", *s) == NULL)
			return fail(why, len,
			    "template \"%s\" is neither a name (letters, "
			    "digits, \"_\", \".\", \"-\") nor an absolute path",
			    v);
	return 0;
}

/* A user name or number, as passwd(5) would hold it. */
int
jail_check_user(const char *v, char *why, size_t len)
{
	const char *s;

	if (*v == '\0' || strlen(v) > 256)
		return fail(why, len, "bad user name \"%s\"", v);
	for (s = v; *s != '\0'; s++)
		if (!isgraph((unsigned char)*s) || *s == ':' || *s == '/')
			return fail(why, len, "bad user name \"%s\"", v);
	return 0;
}

/* A cgroup path: components without "." or "..". */
int
jail_check_cgpath(const char *v, char *why, size_t len)
{
	const char *s = v, *e;
	size_t n;

	if (*v == '\0')
		return fail(why, len, "empty cgroup path%s", "");
	while (*s != '\0') {
		while (*s == '/')
			s++;
		for (e = s; *e != '\0' && *e != '/'; e++)
			if (!isgraph((unsigned char)*e))
				return fail(why, len,
				    "cgroup path \"%s\" holds a space", v);
		n = (size_t)(e - s);
		if ((n == 1 && *s == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return fail(why, len,
			    "cgroup path \"%s\" holds \".\" or \"..\"", v);
		s = e;
	}
	return 0;
}
