/*
 * The verbs that change jails: start, stop, restart, exec.
 */
#include <sys/stat.h>

#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailctl.h"

/*
 * Where templates are: the store ($JAILCTL_TEMPLATES), and the recipes
 * ($JAILCTL_RECIPES; else templates/ of the source tree when jailctl runs
 * from its build directory; else the installed ones).
 */
static void
ctl_env(struct ctl *ctl, struct jail_env *env)
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
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
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
static struct jail **
targets(struct ctl *ctl, int argc, char **argv, int deps, size_t *np, int *all)
{
	struct jail **out;
	unsigned char *seen;
	size_t n = 0, i, k, nj;
	int ch;

	*all = 0;
	while ((ch = getopt(argc, argv, "+:a")) != -1) {
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

	ctl_env(ctl, &env);
	return jail_status(j, &env, &st, &je) == 0 && st.running;
}

/*
 * start: dependencies first (started too when they are not running, as
 * FreeBSD does); a jail whose dependency failed is not started.
 */
int
cmd_start(struct ctl *ctl, int argc, char **argv)
{
	const char *const *v;
	struct jail_error je;
	struct jail_env env;
	struct jail **js;
	unsigned char *failed;
	size_t n, i, k, nd, m;
	int all, rc = 0, isnamed;

	js = targets(ctl, argc, argv, 1, &n, &all);
	ctl_env(ctl, &env);
	if ((failed = calloc(n + 1, 1)) == NULL)
		err(1, "start");
	for (i = 0; i < n; i++) {
		isnamed = all || named(js[i], argc, argv);
		nd =
		    jail_get_list(js[i], jail_param_lookup("depend", NULL), &v);
		for (k = 0; k < nd; k++)
			for (m = 0; m < i; m++)
				if (failed[m] &&
				    strcmp(jail_name(js[m]), v[k]) == 0) {
					warnx("start %s: dependency %s failed",
					    jail_name(js[i]), v[k]);
					failed[i] = 1;
				}
		if (failed[i]) {
			rc = 1;
			continue;
		}
		if (running(ctl, js[i]) && (!isnamed || all))
			continue; /* a dependency, or -a: already up */
		if (jail_start(js[i], &env, &je) == -1) {
			warnx("start %s: %s", jail_name(js[i]), je.msg);
			failed[i] = 1;
			rc = 1; /* go on with the other jails */
		}
	}
	free(failed);
	free(js);
	return rc;
}

/* stop: the reverse of the start order; with -a only running jails. */
int
cmd_stop(struct ctl *ctl, int argc, char **argv)
{
	struct jail_error je;
	struct jail_env env;
	struct jail **js;
	size_t n, i;
	int all, rc = 0;

	js = targets(ctl, argc, argv, 0, &n, &all);
	ctl_env(ctl, &env);
	for (i = n; i-- > 0;) {
		if (all && !running(ctl, js[i]))
			continue;
		if (jail_stop(js[i], &env, &je) == -1) {
			warnx("stop %s: %s", jail_name(js[i]), je.msg);
			rc = 1;
		}
	}
	free(js);
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
	ctl_env(ctl, &env);
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
	ctl_env(ctl, &env);
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
	ctl_env(ctl, &env);
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
int
cmd_exec(struct ctl *ctl, int argc, char **argv)
{
	struct jail_execreq req;
	struct jail_error je;
	struct jail_env env;
	struct jail *j;
	char **extra;
	int ch, status, n = 0;

	if ((extra = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		err(125, "exec");
	memset(&req, 0, sizeof(req));
	while ((ch = getopt(argc, argv, "+:d:e:ltu:U:")) != -1) {
		switch (ch) {
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
	if (optind >= argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return 125;
	j = lookup_or(ctl, argv[optind++], 125, 125);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	ctl_env(ctl, &env);
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
