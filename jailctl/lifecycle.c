/*
 * The verbs that change jails: start, stop, restart, exec.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailctl.h"

/*
 * Where templates are: the store ($JAILCTL_TEMPLATES), and the recipes
 * ($JAILCTL_RECIPES; else templates/ of the source tree when jailctl runs
 * from its build directory; else the installed ones).  The source tree is
 * looked for (readlink, stat) only by verbs that build templates (build).
 */
static void
ctl_env(struct ctl *ctl, struct jail_env *env, int build)
{
	static char recipes[PATH_MAX + 32];
	char exe[PATH_MAX], *slash;
	struct stat sb;
	const char *s;
	ssize_t n;

	memset(env, 0, sizeof(*env));
	env->statedir = ctl->statedir;
	env->templates = (s = getenv("JAILCTL_TEMPLATES")) && *s
	    ? s
	    : "/var/lib/jail/templates";
	if ((s = getenv("JAILCTL_RECIPES")) != NULL && *s) {
		env->recipes = s;
		return;
	}
	env->recipes = JAIL_RECIPES;
	/* only create and sandboxes build templates: no lookup on exec */
	if (!build ||
	    (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	*slash = '\0';
	snprintf(recipes, sizeof(recipes), "%s/../templates/busybox/build",
	    exe);
	if (stat(recipes, &sb) == 0) {
		snprintf(recipes, sizeof(recipes), "%s/../templates", exe);
		env->recipes = recipes;
	}
}

/*
 * The named jail; exits on a bad name (2) or no such jail (1), or for exec
 * (failing before the command ran) with 125 for both.
 */
static struct jail *
lookup_or(struct ctl *ctl, const char *name, int bad, int missing)
{
	struct jail_error je;
	struct jail *j;

	if (jail_name_valid(name, &je) == -1) {
		warnx("%s", je.msg);
		exit(bad);
	}
	if ((j = jail_conf_find(ctl->conf, name)) == NULL) {
		warnx("%s: no such jail in %s", name, ctl->confpath);
		exit(missing);
	}
	return j;
}

static struct jail *
lookup(struct ctl *ctl, const char *name)
{
	return lookup_or(ctl, name, EXIT_USAGE, 1);
}

/*
 * Depth-first: every dependency of j before j.  The configuration checked
 * that depend names exist and form no loop.
 */
static void
order(struct ctl *ctl, struct jail *j, struct jail **out, size_t *n,
    unsigned char *seen, int deps)
{
	const char *const *v;
	struct jail *d;
	size_t i, k, nd;

	for (i = 0; i < *n; i++)
		if (out[i] == j)
			return;
	for (i = 0; i < jail_conf_njails(ctl->conf); i++)
		if (jail_conf_jail(ctl->conf, i) == j)
			break;
	if (seen[i])
		return;
	seen[i] = 1;
	nd = jail_get_list(j, jail_param_lookup("depend", NULL), &v);
	for (k = 0; deps && k < nd; k++)
		if ((d = jail_conf_find(ctl->conf, v[k])) != NULL)
			order(ctl, d, out, n, seen, deps);
	out[(*n)++] = j;
}

static int
named(const struct jail *j, int argc, char **argv)
{
	int i;

	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], jail_name(j)) == 0)
			return 1;
	return 0;
}

/*
 * The jails a verb acts on, in depend order: the named ones (with their
 * dependencies when deps), or every jail with -a.
 */
static int jobs = 0;    /* -p N: jails set up at once; 0: two per CPU */
static int jobs_ok = 0; /* the verb takes -p */

static struct jail **
targets(struct ctl *ctl, int argc, char **argv, int deps, size_t *np, int *all)
{
	struct jail **out;
	unsigned char *seen;
	size_t n = 0, i, k, nj;
	char *end;
	long v;
	int ch;

	*all = 0;
	while ((ch = getopt(argc, argv, jobs_ok ? "+:ap:" : "+:a")) != -1) {
		if (ch == 'p') {
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 ||
			    v > 64) {
				warnx("-p: %s: a number from 0 to 64", optarg);
				usage();
			}
			jobs = (int)v;
			continue;
		}
		if (ch != 'a')
			badopt(ch, argv);
		*all = 1;
	}
	if (*all == (optind < argc))
		usage(); /* names, or -a, not both */
	if (ctl_loadconf(ctl) == -1)
		exit(EXIT_USAGE);
	for (i = (size_t)optind; i < (size_t)argc; i++)
		lookup(ctl, argv[i]);
	nj = jail_conf_njails(ctl->conf);
	if ((out = calloc(nj + 1, sizeof(*out))) == NULL ||
	    (seen = calloc(nj + 1, 1)) == NULL)
		err(1, "order");
	if (*all || !deps) {
		/* the whole order, then (by name) only the named jails */
		for (i = 0; i < nj; i++)
			order(ctl, jail_conf_jail(ctl->conf, i), out, &n, seen,
			    1);
		for (i = 0, k = 0; !*all && i < n; i++)
			if (named(out[i], argc, argv))
				out[k++] = out[i];
		if (!*all)
			n = k;
	} else {
		for (i = (size_t)optind; i < (size_t)argc; i++)
			order(ctl, lookup(ctl, argv[i]), out, &n, seen, deps);
	}
	free(seen);
	*np = n;
	return out;
}

static int running(struct ctl *, struct jail *);

/*
 * Bring up what j depends on, recursively, before j itself; -1 (after a
 * message) when a dependency fails.
 */
static int
start_deps(struct ctl *ctl, const struct jail_env *env, struct jail *j)
{
	const char *const *v;
	struct jail_error je;
	struct jail *d;
	size_t k, nd;

	nd = jail_get_list(j, jail_param_lookup("depend", NULL), &v);
	for (k = 0; k < nd; k++) {
		if ((d = jail_conf_find(ctl->conf, v[k])) == NULL ||
		    running(ctl, d))
			continue;
		if (start_deps(ctl, env, d) == -1)
			return -1;
		if (jail_start(d, env, &je) == -1) {
			warnx("start %s: %s", jail_name(d), je.msg);
			warnx("start %s: dependency %s failed", jail_name(j),
			    jail_name(d));
			return -1;
		}
	}
	return 0;
}

static int
running(struct ctl *ctl, struct jail *j)
{
	struct jail_status st;
	struct jail_error je;
	struct jail_env env;

	ctl_env(ctl, &env, 0);
	return jail_status(j, &env, &st, &je) == 0 && st.running;
}

/*
 * How deep in the depend graph each target is: 0 for a jail that depends on
 * no other target, else one more than its deepest dependency.  Jails of one
 * level do not depend on each other and may be set up at the same time.
 */
static int *
levels(struct jail **js, size_t n, int *maxlvl)
{
	const char *const *v;
	size_t i, k, m, nd;
	int *lv;

	if ((lv = calloc(n + 1, sizeof(*lv))) == NULL)
		err(1, "order");
	*maxlvl = 0;
	for (i = 0; i < n; i++) {
		nd =
		    jail_get_list(js[i], jail_param_lookup("depend", NULL), &v);
		for (k = 0; k < nd; k++)
			for (m = 0; m < i; m++)
				if (lv[m] + 1 > lv[i] &&
				    strcmp(jail_name(js[m]), v[k]) == 0)
					lv[i] = lv[m] + 1;
		if (lv[i] > *maxlvl)
			*maxlvl = lv[i];
	}
	return lv;
}

struct batch {
	struct ctl *ctl;
	struct jail_env env;
	struct jail **js;
	unsigned char *failed; /* shared between the lanes */
	int all, argc;
	char **argv;
};

/*
 * Run fn on each of the jails idx[0 .. k), in up to `jobs` processes at
 * once (lane L takes idx[L], idx[L + lanes], ...).  Each jail's work is a
 * chain of steps that mostly waits on the kernel; two jails of a level
 * never depend on each other.  1 when any failed.
 */
#define MAXLANES 64
static int
lanes(struct batch *b, const size_t *idx, size_t k,
    int (*fn)(struct batch *, size_t))
{
	pid_t pid[MAXLANES];
	size_t i;
	long ncpu;
	int nl, l, rc = 0, status;

	if ((nl = jobs) == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		/* two per CPU: much of a start waits on the holder */
		nl = ncpu < 1 ? 2 : ncpu > 4 ? 8 : 2 * (int)ncpu;
	}
	if ((size_t)nl > k)
		nl = (int)k;
	if (nl <= 1) {
		for (i = 0; i < k; i++)
			rc |= fn(b, idx[i]);
		return rc;
	}
	fflush(stdout);
	fflush(stderr);
	for (l = 1; l < nl; l++)
		if ((pid[l] = fork()) == 0) {
			for (i = (size_t)l; i < k; i += (size_t)nl)
				rc |= fn(b, idx[i]);
			fflush(stdout);
			_exit(rc);
		}
	for (l = 0; l < nl; l++) {
		if (l > 0 && pid[l] > 0)
			continue;
		/* ours, and a lane that could not fork */
		for (i = (size_t)l; i < k; i += (size_t)nl)
			rc |= fn(b, idx[i]);
	}
	for (l = 1; l < nl; l++)
		if (pid[l] > 0 &&
		    (waitpid(pid[l], &status, 0) == -1 || !WIFEXITED(status) ||
		        WEXITSTATUS(status) != 0))
			rc = 1;
	return rc;
}

/* One level at a time (stop: the deepest first), each in lanes. */
static int
by_level(struct batch *b, size_t n, int reverse,
    int (*fn)(struct batch *, size_t))
{
	size_t *idx, i, k;
	int *lv, maxlvl, l, rc = 0;

	lv = levels(b->js, n, &maxlvl);
	if ((idx = calloc(n + 1, sizeof(*idx))) == NULL)
		err(1, "order");
	for (l = 0; l <= maxlvl; l++) {
		for (i = 0, k = 0; i < n; i++)
			if (lv[reverse ? n - 1 - i : i] ==
			    (reverse ? maxlvl - l : l))
				idx[k++] = reverse ? n - 1 - i : i;
		rc |= lanes(b, idx, k, fn);
	}
	free(idx);
	free(lv);
	return rc;
}

static int
start_one(struct batch *b, size_t i)
{
	const char *const *v;
	struct jail_error je;
	struct jail *j = b->js[i];
	size_t k, m, nd;
	int isnamed;

	isnamed = b->all || named(j, b->argc, b->argv);
	nd = jail_get_list(j, jail_param_lookup("depend", NULL), &v);
	for (k = 0; k < nd; k++)
		for (m = 0; m < i; m++)
			if (b->failed[m] &&
			    strcmp(jail_name(b->js[m]), v[k]) == 0) {
				warnx("start %s: dependency %s failed",
				    jail_name(j), v[k]);
				b->failed[i] = 1;
			}
	if (b->failed[i])
		return 1;
	if ((!isnamed || b->all) && running(b->ctl, j))
		return 0; /* a dependency, or -a: already up */
	if (jail_start(j, &b->env, &je) == -1) {
		warnx("start %s: %s", jail_name(j), je.msg);
		b->failed[i] = 1;
		return 1; /* the other jails go on */
	}
	return 0;
}

/*
 * start: dependencies first (started too when they are not running, as
 * FreeBSD does); a jail whose dependency failed is not started.  Jails
 * that do not depend on each other start at the same time (-p).
 */
int
cmd_start(struct ctl *ctl, int argc, char **argv)
{
	struct batch b;
	size_t n;
	int rc;

	memset(&b, 0, sizeof(b));
	jobs_ok = 1;
	b.js = targets(ctl, argc, argv, 1, &n, &b.all);
	b.ctl = ctl;
	b.argc = argc;
	b.argv = argv;
	ctl_env(ctl, &b.env, 0);
	b.failed = mmap(NULL, n + 1, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b.failed == MAP_FAILED)
		err(1, "start");
	if (n > 1)
		jail_assign_jids(b.js, n, &b.env);
	rc = by_level(&b, n, 0, start_one);
	munmap(b.failed, n + 1);
	free(b.js);
	return rc;
}

static int
stop_one(struct batch *b, size_t i)
{
	struct jail_error je;

	if (b->all && !running(b->ctl, b->js[i]))
		return 0;
	if (jail_stop(b->js[i], &b->env, &je) == -1) {
		warnx("stop %s: %s", jail_name(b->js[i]), je.msg);
		return 1;
	}
	return 0;
}

/*
 * stop: the reverse of the start order, dependents first; with -a only
 * running jails.  Jails of one level stop at the same time (-p).
 */
int
cmd_stop(struct ctl *ctl, int argc, char **argv)
{
	struct batch b;
	size_t n;
	int rc;

	memset(&b, 0, sizeof(b));
	jobs_ok = 1;
	b.js = targets(ctl, argc, argv, 0, &n, &b.all);
	b.ctl = ctl;
	ctl_env(ctl, &b.env, 0);
	rc = by_level(&b, n, 1, stop_one);
	free(b.js);
	return rc;
}

/* create NAME... [-t TEMPLATE]: the root trees, from the template. */
int
cmd_create(struct ctl *ctl, int argc, char **argv)
{
	struct jail_error je;
	struct jail_env env;
	const char *tmpl = NULL;
	int ch, i, rc = 0;

	while ((ch = getopt(argc, argv, ":t:")) != -1) {
		if (ch != 't')
			badopt(ch, argv);
		tmpl = optarg;
	}
	if (optind >= argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return EXIT_USAGE;
	for (i = optind; i < argc; i++)
		lookup(ctl, argv[i]);
	ctl_env(ctl, &env, 1);
	for (i = optind; i < argc; i++) {
		if (jail_create(lookup(ctl, argv[i]), &env, tmpl, &je) == -1) {
			warnx("create %s: %s", argv[i], je.msg);
			rc = 1;
		}
	}
	return rc;
}

/* destroy NAME...: stop, remove the tree create made, forget the jail. */
int
cmd_destroy(struct ctl *ctl, int argc, char **argv)
{
	struct jail_status st;
	struct jail_error je;
	struct jail_env env;
	struct jail **js;
	size_t n, i;
	int all, rc = 0;

	js = targets(ctl, argc, argv, 0, &n, &all);
	ctl_env(ctl, &env, 0);
	for (i = n; i-- > 0;) {
		if (all &&
		    (jail_status(js[i], &env, &st, &je) == -1 ||
		        (!st.created && !st.running)))
			continue; /* -a: the jails there is something of */
		if (jail_destroy(js[i], &env, &je) == -1) {
			warnx("destroy %s: %s", jail_name(js[i]), je.msg);
			rc = 1;
		}
	}
	free(js);
	return rc;
}

/*
 * restart: stop (when running), then start with the dependencies, one
 * jail after the other; -a restarts the running jails.
 */
int
cmd_restart(struct ctl *ctl, int argc, char **argv)
{
	struct jail_error je;
	struct jail_env env;
	struct jail **js;
	size_t n, i;
	int all, rc = 0, up;

	js = targets(ctl, argc, argv, 0, &n, &all);
	ctl_env(ctl, &env, 0);
	for (i = 0; i < n; i++) {
		je.msg[0] = '\0';
		up = running(ctl, js[i]);
		if (all && !up)
			continue;
		if (up && jail_stop(js[i], &env, &je) == -1) {
			warnx("restart %s: %s", jail_name(js[i]), je.msg);
			rc = 1;
			continue;
		}
		if (start_deps(ctl, &env, js[i]) == -1 ||
		    jail_start(js[i], &env, &je) == -1) {
			if (je.msg[0] != '\0')
				warnx("restart %s: %s", jail_name(js[i]),
				    je.msg);
			rc = 1;
		}
	}
	free(js);
	return rc;
}

/*
 * exec [-u USER] [-U USER] [-l] [-d DIR] [-e K=V]... NAME [--] [CMD...]
 * Exit status: the command's; 125 when jailctl failed before it ran.
 */
/* exec --template: the anonymous jail's settings. */
struct sandbox {
	const char *template, *memory, *pids, *cpus, *net, *hostname;
	char **binds;
	size_t nbinds;
};

/* A path as one field of an fstab line: \040 for a space, as fstab(5). */
static void
fstab_field(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in != '\0' && n + 5 < len; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\\')
			n += (size_t)snprintf(out + n, len - n, "\\%03o",
			    (unsigned char)*in);
		else
			out[n++] = *in;
	}
	out[n] = '\0';
}

/* One "name = value;" line of the sandbox's jail.conf, and whose it is. */
static int
sbx_line(FILE *f, const char *flag, const char *name, const char *value,
    const char **flags, int *line)
{
	char *q;

	if (value == NULL)
		return 0;
	if ((q = jail_quote(value)) == NULL)
		return -1;
	fprintf(f, "\t%s = %s;\n", name, q);
	free(q);
	flags[++*line] = flag;
	return 0;
}

/*
 * The mount point of a --bind in a thin jail's upper layer: each missing
 * directory of dst made there, never through what the template has that
 * is not a directory (a symlink would then lead elsewhere).
 */
static int
sbx_mountpoint(const char *troot, const char *upper, const char *dst)
{
	char lower[3 * PATH_MAX], up[3 * PATH_MAX], rel[PATH_MAX], *c;
	struct stat sb;
	size_t i, n;

	if ((n = strlcpy(rel, dst, sizeof(rel))) >= sizeof(rel)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (c = rel; (c = strstr(c, "/.")) != NULL; c++)
		if (c[2] == '/' || c[2] == '\0' ||
		    (c[2] == '.' && (c[3] == '/' || c[3] == '\0'))) {
			errno = EINVAL; /* no "." or ".." on the way */
			return -1;
		}
	for (i = 1; i <= n; i++) {
		if (rel[i] != '/' && rel[i] != '\0')
			continue;
		rel[i] = '\0';
		snprintf(lower, sizeof(lower), "%s%s", troot, rel);
		snprintf(up, sizeof(up), "%s%s", upper, rel);
		if (lstat(lower, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (mkdir(up, 0755) == -1 && errno != EEXIST)
			return -1;
		if (i < n)
			rel[i] = '/';
	}
	return 0;
}

/*
 * exec --template T [--memory SIZE] [--pids N] [--cpus N] [--net none|host]
 * [--bind SRC:DST[:ro]]... [--hostname H] -- CMD: an anonymous jail, a
 * thin one over the template in a directory of its own under STATEDIR, made,
 * run once and destroyed.  The flags are jail.conf parameters and checked as
 * such.
 */
static int
sandbox(struct ctl *ctl, struct sandbox *sb, struct jail_execreq *req)
{
	char dir[PATH_MAX], name[64], *text = NULL, *src, *dst, *ro;
	char mline[9 * PATH_MAX], upper[PATH_MAX + 32];
	char esrc[4 * PATH_MAX], edst[4 * PATH_MAX];
	char *q;
	const char *flags[64];
	const struct jail_diag *d;
	struct jail_status st;
	struct jail_error je;
	struct jail_env env;
	struct jail_conf *conf = NULL;
	struct jail *j = NULL;
	size_t len = 0, i;
	int line = 1, status = 125, made = 0;
	FILE *f;

	ctl_env(ctl, &env, 1);
	if (mkdir(ctl->statedir, 0700) == -1 && errno != EEXIST)
		err(125, "%s", ctl->statedir);
	snprintf(dir, sizeof(dir), "%s/.sandbox-XXXXXX", ctl->statedir);
	if (mkdtemp(dir) == NULL)
		err(125, "%s", dir);
	snprintf(name, sizeof(name), "sandbox-%s", strrchr(dir, '-') + 1);
	for (i = 0; name[i] != '\0'; i++) /* jail names: [A-Za-z0-9_.-] */
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			name[i] = '_';
	if ((f = open_memstream(&text, &len)) == NULL)
		err(125, "exec");
	memset(flags, 0, sizeof(flags));
	fprintf(f, "%s {\n", name);
	snprintf(mline, sizeof(mline), "%s/root", dir);
	sbx_line(f, NULL, "path", mline, flags, &line);
	sbx_line(f, "--template", "template", sb->template, flags, &line);
	sbx_line(f, NULL, "create.method", "overlay", flags, &line);
	sbx_line(f, "--hostname", "host.hostname",
	    sb->hostname != NULL ? sb->hostname : "sandbox", flags, &line);
	sbx_line(f, "--memory", "memory.max", sb->memory, flags, &line);
	sbx_line(f, "--pids", "pids.max", sb->pids, flags, &line);
	sbx_line(f, "--cpus", "cpu.max", sb->cpus, flags, &line);
	if (sb->net != NULL && strcmp(sb->net, "none") != 0 &&
	    strcmp(sb->net, "host") != 0) {
		warnx("--net %s: none or host", sb->net);
		status = EXIT_USAGE;
		goto out;
	}
	sbx_line(f, "--net", "vnet",
	    sb->net != NULL && strcmp(sb->net, "host") == 0 ? "inherit" : "new",
	    flags, &line);
	if (sb->nbinds > 48) {
		warnx("--bind: at most 48");
		status = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < sb->nbinds; i++) {
		src = sb->binds[i];
		if ((dst = strchr(src, ':')) == NULL || dst[1] != '/' ||
		    src[0] != '/') {
			warnx("--bind %s: SRC:DST[:ro], both absolute", src);
			status = EXIT_USAGE;
			goto out;
		}
		*dst++ = '\0';
		if ((ro = strchr(dst, ':')) != NULL) {
			*ro++ = '\0';
			if (strcmp(ro, "ro") != 0 && strcmp(ro, "rw") != 0) {
				warnx("--bind %s:%s:%s: ro or rw", src, dst,
				    ro);
				status = EXIT_USAGE;
				goto out;
			}
		}
		fstab_field(src, esrc, sizeof(esrc));
		snprintf(mline, sizeof(mline), "%s/root%s", dir, dst);
		fstab_field(mline, edst, sizeof(edst));
		snprintf(mline, sizeof(mline), "%s %s nullfs %s 0 0", esrc,
		    edst, ro != NULL ? ro : "rw");
		if ((q = jail_quote(mline)) == NULL)
			err(125, "exec");
		fprintf(f, "\tmount += %s;\n", q);
		free(q);
		flags[++line] = "--bind";
		dst[-1] = ':';
		if (ro != NULL)
			ro[-1] = ':';
	}
	fprintf(f, "}\n");
	if (fclose(f) == EOF)
		err(125, "exec");
	f = NULL;
	if ((conf = jail_conf_new(JAIL_CONF_NOINCLUDE)) == NULL)
		err(125, "exec");
	if (jail_conf_load_string(conf, "exec", text, len, &je) == -1 ||
	    jail_conf_resolve(conf, &je) == -1) {
		for (i = 0; i < jail_conf_ndiags(conf); i++) {
			d = jail_conf_diag(conf, i);
			if (d->warning)
				continue;
			warnx("%s: %s",
			    d->line > 0 && d->line < 64 &&
			            flags[d->line] != NULL
			        ? flags[d->line]
			        : "exec --template",
			    d->msg);
		}
		if (jail_conf_ndiags(conf) == 0)
			warnx("exec --template: %s", je.msg);
		status = EXIT_USAGE;
		goto out;
	}
	j = jail_conf_find(conf, name);
	/*
	 * Until the command runs (and gets them passed on), an interrupt
	 * must not leave the jail half made: jailctl waits for its end.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (jail_create(j, &env, NULL, &je) == -1) {
		warnx("exec --template %s: %s", sb->template, je.msg);
		goto out;
	}
	made = 1;
	if (sb->nbinds > 0 && jail_status(j, &env, &st, &je) == 0) {
		snprintf(upper, sizeof(upper), "%s/.root.overlay/upper", dir);
		for (i = 0; i < sb->nbinds; i++) {
			dst = strchr(sb->binds[i], ':') + 1;
			if ((ro = strchr(dst, ':')) != NULL)
				*ro = '\0';
			if (sbx_mountpoint(st.troot, upper, dst) == -1) {
				warnx("--bind: %s: %s", dst, strerror(errno));
				goto out;
			}
			if (ro != NULL)
				*ro = ':';
		}
	}
	req->last = 0; /* the jail is destroyed after */
	if (jail_exec(j, &env, req, &status, &je) == -1) {
		warnx("exec %s: %s", jail_name(j), je.msg);
		status = 125;
	}
out:
	if (f != NULL)
		fclose(f);
	if (made && jail_destroy(j, &env, &je) == -1) {
		warnx("exec --template: destroy %s: %s", dir, je.msg);
		if (status == 0)
			status = 125;
	}
	if (rmdir(dir) == -1 && errno != ENOENT)
		warn("%s", dir);
	if (conf != NULL)
		jail_conf_free(conf);
	free(text);
	return status;
}

int
cmd_exec(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, 'T' },
		{ "memory", required_argument, NULL, 'M' },
		{ "pids", required_argument, NULL, 'P' },
		{ "cpus", required_argument, NULL, 'C' },
		{ "net", required_argument, NULL, 'N' },
		{ "bind", required_argument, NULL, 'B' },
		{ "hostname", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	struct jail_execreq req;
	struct jail_error je;
	struct jail_env env;
	struct sandbox sb;
	struct jail *j;
	char **extra;
	int ch, status, n = 0, anon = 0;

	if ((extra = calloc((size_t)argc + 1, sizeof(char *))) == NULL ||
	    (sb.binds = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		err(125, "exec");
	memset(&req, 0, sizeof(req));
	sb.template = sb.memory = sb.pids = sb.cpus = sb.net = sb.hostname =
	    NULL;
	sb.nbinds = 0;
	while ((ch = getopt_long(argc, argv, "+:d:e:ltu:U:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'T':
			sb.template = optarg;
			break;
		case 'M':
			sb.memory = optarg;
			anon = 1;
			break;
		case 'P':
			sb.pids = optarg;
			anon = 1;
			break;
		case 'C':
			sb.cpus = optarg;
			anon = 1;
			break;
		case 'N':
			sb.net = optarg;
			anon = 1;
			break;
		case 'B':
			sb.binds[sb.nbinds++] = optarg;
			anon = 1;
			break;
		case 'H':
			sb.hostname = optarg;
			anon = 1;
			break;
		case 'd':
			req.dir = optarg;
			break;
		case 'e':
			if (strchr(optarg, '=') == NULL || *optarg == '=') {
				warnx("-e %s: expected NAME=VALUE", optarg);
				exit(EXIT_USAGE);
			}
			extra[n++] = optarg;
			break;
		case 'l':
			req.login = 1;
			break;
		case 't':
			req.pty = 1;
			break;
		case 'u': /* both look the user up in the jail's passwd */
		case 'U':
			req.user = optarg;
			break;
		default:
			badopt(ch, argv);
		}
	}
	if (anon && sb.template == NULL) {
		warnx("--memory, --pids, --cpus, --net, --bind, --hostname: "
		      "only with --template");
		usage();
	}
	if (sb.template != NULL) {
		/* an anonymous jail: the command follows, there is no NAME */
		if (optind < argc && strcmp(argv[optind], "--") == 0)
			optind++;
		if (optind >= argc)
			usage();
		req.argv = argv + optind;
		req.env = extra;
		req.term = getenv("TERM");
		req.tty = isatty(STDIN_FILENO);
		status = sandbox(ctl, &sb, &req);
		free(extra);
		free(sb.binds);
		return status;
	}
	free(sb.binds);
	if (optind >= argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return 125;
	j = lookup_or(ctl, argv[optind++], 125, 125);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	ctl_env(ctl, &env, 0);
	req.argv = optind < argc ? argv + optind : NULL;
	req.env = extra;
	req.term = getenv("TERM");
	req.tty = isatty(STDIN_FILENO);
	req.last = 1; /* jailctl only exits after the command */
	if (jail_exec(j, &env, &req, &status, &je) == -1) {
		warnx("exec %s: %s", jail_name(j), je.msg);
		free(extra);
		return 125;
	}
	free(extra);
	return status;
}
