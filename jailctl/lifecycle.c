/*
 * The verbs that change jails: start, stop, restart, exec.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailctl.h"

static void
ctl_env(struct ctl *ctl, struct jail_env *env)
{
	memset(env, 0, sizeof(*env));
	env->statedir = ctl->statedir;
}

/* The named jails, each checked; exits on a bad name or no such jail. */
static struct jail *
lookup(struct ctl *ctl, const char *name)
{
	struct jail_error je;
	struct jail *j;

	if (jail_name_valid(name, &je) == -1) {
		warnx("%s", je.msg);
		exit(EXIT_USAGE);
	}
	if ((j = jail_conf_find(ctl->conf, name)) == NULL) {
		warnx("%s: no such jail in %s", name, ctl->confpath);
		exit(1);
	}
	return j;
}

static int
each(struct ctl *ctl, int argc, char **argv, const char *verb,
    int (*fn)(struct jail *, const struct jail_env *, struct jail_error *))
{
	struct jail_error je;
	struct jail_env env;
	int i, rc = 0;

	if ((i = getopt(argc, argv, "+:")) != -1)
		badopt(i, argv);
	if (optind >= argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return EXIT_USAGE;
	ctl_env(ctl, &env);
	for (i = optind; i < argc; i++)
		lookup(ctl, argv[i]);
	for (i = optind; i < argc; i++) {
		if (fn(lookup(ctl, argv[i]), &env, &je) == -1) {
			warnx("%s %s: %s", verb, argv[i], je.msg);
			rc = 1; /* go on with the other jails */
		}
	}
	return rc;
}

int
cmd_start(struct ctl *ctl, int argc, char **argv)
{
	return each(ctl, argc, argv, "start", jail_start);
}

int
cmd_stop(struct ctl *ctl, int argc, char **argv)
{
	return each(ctl, argc, argv, "stop", jail_stop);
}

int
cmd_exec(struct ctl *ctl, int argc, char **argv)
{
	static char *shell[] = { "/bin/sh", NULL };
	struct jail_execreq req;
	struct jail_error je;
	struct jail_env env;
	struct jail *j;
	char **envp;
	int ch, status, n = 0;
	const char *dir = NULL;

	if ((envp = calloc((size_t)argc + 8, sizeof(char *))) == NULL)
		err(125, "exec");
	envp[n++] = "PATH=/bin:/usr/bin:/sbin:/usr/sbin";
	envp[n++] = "HOME=/root";
	envp[n++] = "USER=root";
	envp[n++] = "SHELL=/bin/sh";
	envp[n++] = getenv("TERM") ? "TERM=xterm" : "TERM=dumb";
	while ((ch = getopt(argc, argv, "+:d:e:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'e':
			if (strchr(optarg, '=') == NULL) {
				warnx("-e %s: expected K=V", optarg);
				exit(EXIT_USAGE);
			}
			envp[n++] = optarg;
			break;
		default:
			badopt(ch, argv);
		}
	}
	if (optind >= argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return 125;
	j = lookup(ctl, argv[optind++]);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	ctl_env(ctl, &env);
	memset(&req, 0, sizeof(req));
	req.argv = optind < argc ? argv + optind : shell;
	req.envp = envp;
	req.dir = dir;
	req.tty = isatty(STDIN_FILENO);
	if (jail_exec(j, &env, &req, &status, &je) == -1) {
		warnx("exec %s: %s", jail_name(j), je.msg);
		free(envp);
		return 125;
	}
	free(envp);
	return status;
}
