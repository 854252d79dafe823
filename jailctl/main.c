/*
 * jailctl: global options, the configuration, and verb dispatch.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailctl.h"

#define DEFAULT_CONF     "/etc/jail.conf"
#define DEFAULT_STATEDIR "/run/jail"

static const char synopsis[] =
    "usage: jailctl [-qv] [-f conf] [-s statedir] verb [argument ...]\n"
    "       jailctl check\n"
    "       jailctl create name ... [-t template]\n"
    "       jailctl start [-p jobs] name ... | -a\n"
    "       jailctl stop [-p jobs] name ... | -a\n"
    "       jailctl restart name ... | -a\n"
    "       jailctl exec [-lt] [-u user | -U user] [-d dir] [-e name=value]\n"
    "                    name [--] [command [argument ...]]\n"
    "       jailctl exec --template template [--memory size] [--pids n]\n"
    "                    [--cpus n] [--net none | host]\n"
    "                    [--bind src:dst[:ro]] ... [--hostname name] [-lt]\n"
    "                    [-u user] [-d dir] [-e name=value] -- command ...\n"
    "       jailctl destroy name ... | -a\n"
    "       jailctl list [--json]\n"
    "       jailctl show name [--json]\n"
    "       jailctl stats name [--json]\n"
    "       jailctl set name parameter=value ...\n"
    "       jailctl --help | --version\n";

/*
 * getopt's own messages would not start with "jailctl: " (opterr is 0):
 * say what was wrong, then the usage.
 */
void
badopt(int c, char *const *argv)
{
	if (c == ':')
		warnx("option -%c needs an argument", optopt);
	else if (optopt != 0)
		warnx("unknown option -%c", optopt);
	else
		warnx("unknown option %s", argv[optind - 1]);
	usage();
}

void
usage(void)
{
	fputs(synopsis, stderr);
	exit(EXIT_USAGE);
}

static void
help(void)
{
	fputs(synopsis, stdout);
	fputs(
	    "\n"
	    "Verbs:\n"
	    "  check          parse and validate the configuration; every\n"
	    "                 error as FILE:LINE: message, exit 2 if any\n"
	    "  show NAME      the resolved parameters of a jail, as\n"
	    "                 jail.conf text (--json: a JSON object)\n"
	    "  list           the jails: JID NAME STATE PID HOSTNAME IP PATH\n"
	    "                 (--json: {\"jails\": [...]})\n"
	    "  stats NAME     a running jail's memory, pids and CPU from its\n"
	    "                 cgroups (--json: a JSON object)\n"
	    "  set NAME P=V   change limits (memory.max, pids.max, cpu.max,\n"
	    "                 ...) of a running jail; the file stays as is\n"
	    "  create NAME    build the root tree at path from the template\n"
	    "                 (-t TEMPLATE: a name or an absolute path)\n"
	    "  destroy NAME   stop, remove the tree create made, the state\n"
	    "  start NAME     start jails (their dependencies first; -a: all;\n"
	    "                 -p N: N at once, default two per CPU, <= 8)\n"
	    "  stop NAME      stop jails (dependents first; -a: all running;\n"
	    "                 -p N: N at once)\n"
	    "  restart NAME   stop, then start\n"
	    "  exec NAME CMD  run CMD in the jail (no CMD: the user's shell);\n"
	    "                 a stopped jail runs a one-off instance.  Exit\n"
	    "                 status: CMD's; 125 jailctl failed, 126 not\n"
	    "                 executable, 127 not found, 128+N signal N\n"
	    "                 -u/-U USER  as USER of the jail's passwd\n"
	    "                 -l          clean login environment, at home\n"
	    "                 -d DIR      working directory in the jail\n"
	    "                 -e K=V      add to the environment\n"
	    "                 -t          on a new pty of the jail's\n"
	    "  exec --template T -- CMD\n"
	    "                 CMD in an anonymous thin jail over template T,\n"
	    "                 destroyed after; --memory SIZE, --pids N,\n"
	    "                 --cpus N, --net none|host, --bind SRC:DST[:ro],\n"
	    "                 --hostname H (jail.conf's memory.max, pids.max,\n"
	    "                 cpu.max, vnet, mount, host.hostname)\n"
	    "\n"
	    "Options:\n"
	    "  -f conf        configuration file (default $JAILCTL_CONF,\n"
	    "                 else " DEFAULT_CONF "); - reads standard input\n"
	    "  -s statedir    state directory (default $JAILCTL_STATEDIR,\n"
	    "                 else " DEFAULT_STATEDIR ")\n"
	    "  -q             quiet: no warnings, no table header\n"
	    "  -v             verbose\n"
	    "  -h, --help     this help\n"
	    "  -V, --version  the version\n"
	    "\n"
	    "Exit status: 0 success, 1 failure, 2 usage or configuration "
	    "error.\n"
	    "See jailctl(8) and jail.conf(5).\n",
	    stdout);
}

/*
 * Read and resolve the configuration, printing its diagnostics.  Returns
 * 0, or -1 when it holds an error (the caller exits 2).
 */
int
ctl_loadconf(struct ctl *ctl)
{
	const struct jail_diag *d;
	struct jail_error je;
	size_t i;
	int rc;

	if ((ctl->conf = jail_conf_new(0)) == NULL)
		err(1, "configuration");
	rc = jail_conf_load(ctl->conf, ctl->confpath, &je);
	if (rc == -1 && jail_conf_nerrors(ctl->conf) == 0) {
		warnx("%s", je.msg); /* the file itself could not be read */
		return -1;
	}
	if (jail_conf_resolve(ctl->conf, &je) == -1)
		rc = -1;
	for (i = 0; i < jail_conf_ndiags(ctl->conf); i++) {
		d = jail_conf_diag(ctl->conf, i);
		if (d->warning && ctl->quiet)
			continue;
		warnx("%s:%d: %s%s", d->file, d->line,
		    d->warning ? "warning: " : "", d->msg);
	}
	return rc;
}

static const struct verb {
	const char *name;
	int (*fn)(struct ctl *, int, char **);
} verbs[] = {
	{ "check", cmd_check },
	{ "create", cmd_create },
	{ "destroy", cmd_destroy },
	{ "exec", cmd_exec },
	{ "list", cmd_list },
	{ "restart", cmd_restart },
	{ "show", cmd_show },
	{ "set", cmd_set },
	{ "start", cmd_start },
	{ "stats", cmd_stats },
	{ "stop", cmd_stop },
};

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl;
	const char *s;
	size_t i;
	int ch, rc;

	memset(&ctl, 0, sizeof(ctl));
	ctl.confpath = (s = getenv("JAILCTL_CONF")) && *s ? s : DEFAULT_CONF;
	ctl.statedir =
	    (s = getenv("JAILCTL_STATEDIR")) && *s ? s : DEFAULT_STATEDIR;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:f:s:qvhV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			ctl.confpath = optarg;
			break;
		case 's':
			ctl.statedir = optarg;
			break;
		case 'q':
			ctl.quiet = 1;
			ctl.verbose = 0;
			break;
		case 'v':
			ctl.verbose = 1;
			ctl.quiet = 0;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("jailctl %s\n", JAIL_VERSION);
			return 0;
		default:
			badopt(ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[0], verbs[i].name) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		warnx("unknown verb \"%s\"", argv[0]);
		usage();
	}
	optind = 0; /* each verb parses its own options (0: reinitialise) */
	rc = verbs[i].fn(&ctl, argc, argv);
	/*
	 * The configuration is not freed: the process ends here, and freeing
	 * 10,000 jails one by one costs more than reading them did.
	 */
	return rc;
}
