/*
 * Helpers shared by the unit tests; see helpers.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "jailp.h"

int h_load_rc, h_resolve_rc;
struct jail_error h_load_err, h_resolve_err;

struct jail_conf *
parse_as(const char *name, const char *src, size_t len, int flags)
{
	struct jail_conf *conf;

	conf = jail_conf_new(flags);
	ck_assert_ptr_nonnull(conf);
	memset(&h_load_err, 0, sizeof(h_load_err));
	memset(&h_resolve_err, 0, sizeof(h_resolve_err));
	h_load_rc = jail_conf_load_string(conf, name, src, len, &h_load_err);
	h_resolve_rc = jail_conf_resolve(conf, &h_resolve_err);
	/* the calls agree with the diagnostics */
	ck_assert_int_eq(h_resolve_rc, jail_conf_nerrors(conf) > 0 ? -1 : 0);
	return conf;
}

struct jail_conf *
parse_flags(const char *src, int flags)
{
	return parse_as("t.conf", src, strlen(src), flags);
}

struct jail_conf *
parse(const char *src)
{
	return parse_flags(src, 0);
}

static char dbuf[256 * 1024];

const char *
diags(const struct jail_conf *conf)
{
	const struct jail_diag *d;
	size_t i, len = 0;
	int n;

	dbuf[0] = '\0';
	for (i = 0; i < jail_conf_ndiags(conf); i++) {
		d = jail_conf_diag(conf, i);
		ck_assert_ptr_nonnull(d);
		n = snprintf(dbuf + len, sizeof(dbuf) - len, "%s:%d: %s%s\n",
		    d->file, d->line, d->warning ? "warning: " : "", d->msg);
		ck_assert_int_ge(n, 0);
		ck_assert_uint_lt((size_t)n, sizeof(dbuf) - len);
		len += (size_t)n;
	}
	return dbuf;
}

int
has_diag(const struct jail_conf *conf, const char *line)
{
	const struct jail_diag *d;
	char buf[4096];
	size_t i;

	for (i = 0; i < jail_conf_ndiags(conf); i++) {
		d = jail_conf_diag(conf, i);
		snprintf(buf, sizeof(buf), "%s:%d: %s%s", d->file, d->line,
		    d->warning ? "warning: " : "", d->msg);
		if (strcmp(buf, line) == 0)
			return 1;
	}
	return 0;
}

const char *
errors_of(const char *src)
{
	struct jail_conf *conf = parse(src);

	diags(conf);
	jail_conf_free(conf);
	return dbuf;
}

int
pidx(const char *pname)
{
	struct jail_error err;
	int p;

	p = jail_param_lookup(pname, &err);
	ck_assert_msg(p >= 0, "no parameter \"%s\": %s", pname, err.msg);
	return p;
}

static const struct jail *
jail_of(const struct jail_conf *conf, const char *jname)
{
	const struct jail *j = jail_conf_find(conf, jname);

	ck_assert_msg(j != NULL, "no jail \"%s\"; diagnostics:\n%s", jname,
	    diags(conf));
	return j;
}

const char *
get(const struct jail_conf *conf, const char *jname, const char *pname)
{
	return jail_get(jail_of(conf, jname), pidx(pname));
}

static char lbuf[4][8192];
static int lnext;

const char *
getl(const struct jail_conf *conf, const char *jname, const char *pname)
{
	const char *const *v;
	char *b = lbuf[lnext++ % 4];
	size_t n, i, len = 0;

	n = jail_get_list(jail_of(conf, jname), pidx(pname), &v);
	b[0] = '\0';
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(b + len, sizeof(lbuf[0]) - len, "%s%s",
		    i > 0 ? " | " : "", v[i]);
		ck_assert_uint_lt(len, sizeof(lbuf[0]));
	}
	return b;
}

size_t
getn_count(const struct jail_conf *conf, const char *jname, const char *pname)
{
	const char *const *v;

	return jail_get_list(jail_of(conf, jname), pidx(pname), &v);
}

int64_t
getn(const struct jail_conf *conf, const char *jname, const char *pname)
{
	int64_t num = -12345, hard = -12345;

	ck_assert_msg(jail_get_num(jail_of(conf, jname), pidx(pname), &num,
	                  &hard) == 0,
	    "jail_get_num(%s, %s) failed", jname, pname);
	return num;
}

int64_t
geth(const struct jail_conf *conf, const char *jname, const char *pname)
{
	int64_t num = -12345, hard = -12345;

	ck_assert_msg(jail_get_num(jail_of(conf, jname), pidx(pname), &num,
	                  &hard) == 0,
	    "jail_get_num(%s, %s) failed", jname, pname);
	return hard;
}

int
isset(const struct jail_conf *conf, const char *jname, const char *pname)
{
	return jail_param_isset(jail_of(conf, jname), pidx(pname));
}

static char cbuf[4][1024];
static int cnext;

const char *
canon_num(const char *pname, const char *in, int64_t *num, int64_t *hard)
{
	char why[512], *s, *b = cbuf[cnext++ % 4];
	int64_t n, h;

	if (jail_param_value(pidx(pname), in, &s, &n, &h, why, sizeof(why)) ==
	    -1) {
		snprintf(b, sizeof(cbuf[0]), "ERR: %s", why);
		return b;
	}
	snprintf(b, sizeof(cbuf[0]), "%s", s);
	free(s);
	if (num != NULL)
		*num = n;
	if (hard != NULL)
		*hard = h;
	return b;
}

const char *
canon(const char *pname, const char *in)
{
	return canon_num(pname, in, NULL, NULL);
}

void
write_file(const char *path, const char *text)
{
	FILE *f;

	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static int
rm1(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_DP)
		chmod(path, 0700);
	remove(path);
	return 0;
}

void
rm_tree(const char *path)
{
	nftw(path, rm1, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

const char *
tpath(const char *dir, const char *fmt, ...)
{
	static char bufs[16][PATH_MAX];
	static int n;
	char *b = bufs[n++ % 16];
	size_t len;
	va_list ap;

	len = (size_t)snprintf(b, PATH_MAX, "%s/", dir);
	va_start(ap, fmt);
	vsnprintf(b + len, PATH_MAX - len, fmt, ap);
	va_end(ap);
	return b;
}

void
mkdir_ok(const char *path, mode_t mode)
{
	ck_assert_msg(mkdir(path, mode) == 0, "mkdir %s: %s", path,
	    strerror(errno));
	ck_assert_int_eq(chmod(path, mode), 0);
}
