/*
 * The verbs on a running jail's limits: stats and set.
 */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailctl.h"

static void
ctl_statedir(struct ctl *ctl, struct jail_env *env)
{
	memset(env, 0, sizeof(*env));
	env->statedir = ctl->statedir;
}

/* bytes as "12.3M" for people */
static void
human(uint64_t n, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)n;
	int u = -1;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64 "B", n);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
}

static json_t *
jnum(const struct jail_stats *s, unsigned bit, uint64_t v)
{
	return (s->have & bit) ? json_integer((json_int_t)v) : json_null();
}

/* stats NAME [--json]: what the jail's cgroups account. */
int
cmd_stats(struct ctl *ctl, int argc, char **argv)
{
	struct jail_stats s;
	struct jail_error je;
	struct jail_env env;
	struct jail *j;
	json_t *o, *m, *p, *c;
	char a[32], b[32];
	int json, rc = 0;

	json = json_opt(argc, argv);
	if (argc - optind != 1)
		usage();
	if ((j = find_jail(ctl, argv[optind], &rc)) == NULL)
		return rc;
	ctl_statedir(ctl, &env);
	if (jail_stats(j, &env, &s, &je) == -1) {
		warnx("stats %s: %s", jail_name(j), je.msg);
		return 1;
	}
	if (json) {
		o = json_object();
		json_object_set_new(o, "name", json_string(jail_name(j)));
		json_object_set_new(o, "backend", json_string(s.backend));
		m = json_object();
		json_object_set_new(m, "current",
		    jnum(&s, JAIL_STATS_MEM, s.mem_current));
		json_object_set_new(m, "peak",
		    jnum(&s, JAIL_STATS_MEMPEAK, s.mem_peak));
		json_object_set_new(m, "oom_kills",
		    jnum(&s, JAIL_STATS_OOM, s.oom_kills));
		json_object_set_new(o, "memory", m);
		p = json_object();
		json_object_set_new(p, "current",
		    jnum(&s, JAIL_STATS_PIDS, s.pids_current));
		json_object_set_new(p, "max_hit",
		    jnum(&s, JAIL_STATS_PIDSMAX, s.pids_max_hit));
		json_object_set_new(o, "pids", p);
		c = json_object();
		json_object_set_new(c, "usage_usec",
		    jnum(&s, JAIL_STATS_CPU, s.cpu_usec));
		json_object_set_new(c, "user_usec",
		    jnum(&s, JAIL_STATS_CPU, s.cpu_user_usec));
		json_object_set_new(c, "system_usec",
		    jnum(&s, JAIL_STATS_CPU, s.cpu_system_usec));
		json_object_set_new(c, "nr_periods",
		    jnum(&s, JAIL_STATS_THROTTLE, s.nr_periods));
		json_object_set_new(c, "nr_throttled",
		    jnum(&s, JAIL_STATS_THROTTLE, s.nr_throttled));
		json_object_set_new(c, "throttled_usec",
		    jnum(&s, JAIL_STATS_THROTTLE, s.throttled_usec));
		json_object_set_new(o, "cpu", c);
		return print_json(o);
	}
	printf("%-16s %s\n", "name", jail_name(j));
	printf("%-16s %s\n", "cgroup", s.backend);
	if (s.have & JAIL_STATS_MEM) {
		human(s.mem_current, a, sizeof(a));
		printf("%-16s %s\n", "memory.current", a);
	}
	if (s.have & JAIL_STATS_MEMPEAK) {
		human(s.mem_peak, b, sizeof(b));
		printf("%-16s %s\n", "memory.peak", b);
	}
	if (s.have & JAIL_STATS_OOM)
		printf("%-16s %" PRIu64 "\n", "memory.oom_kills", s.oom_kills);
	if (s.have & JAIL_STATS_PIDS)
		printf("%-16s %" PRIu64 "\n", "pids.current", s.pids_current);
	if (s.have & JAIL_STATS_PIDSMAX)
		printf("%-16s %" PRIu64 "\n", "pids.max_hit", s.pids_max_hit);
	if (s.have & JAIL_STATS_CPU)
		printf("%-16s %.3f s (user %.3f s, system %.3f s)\n",
		    "cpu.usage", (double)s.cpu_usec / 1e6,
		    (double)s.cpu_user_usec / 1e6,
		    (double)s.cpu_system_usec / 1e6);
	if (s.have & JAIL_STATS_THROTTLE)
		printf("%-16s %" PRIu64 " of %" PRIu64 " periods, %.3f s\n",
		    "cpu.throttled", s.nr_throttled, s.nr_periods,
		    (double)s.throttled_usec / 1e6);
	return 0;
}

/* set NAME PARAM=VALUE...: change a running jail's limits. */
int
cmd_set(struct ctl *ctl, int argc, char **argv)
{
	struct jail_error je;
	struct jail_env env;
	struct jail *j;
	int ch, rc = 0;

	if ((ch = getopt(argc, argv, "+:")) != -1)
		badopt(ch, argv);
	if (argc - optind < 2)
		usage();
	if ((j = find_jail(ctl, argv[optind], &rc)) == NULL)
		return rc;
	ctl_statedir(ctl, &env);
	if (jail_set(j, &env, argv + optind + 1, (size_t)(argc - optind - 1),
	        &je) == -1) {
		warnx("set %s: %s", jail_name(j), je.msg);
		return 1;
	}
	return 0;
}
