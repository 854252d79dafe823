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
	while ((ch = getopt(argc, argv, "+:d:e:lu:U:")) != -1) {
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
	j = lookup(ctl, argv[optind++]);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	ctl_env(ctl, &env);
	req.argv = optind < argc ? argv + optind : NULL;
	req.env = extra;
	req.term = getenv("TERM");
	req.tty = isatty(STDIN_FILENO);
	if (jail_exec(j, &env, &req, &status, &je) == -1) {
		warnx("exec %s: %s", jail_name(j), je.msg);
		free(extra);
		return 125;
	}
	free(extra);
	return status;
}
