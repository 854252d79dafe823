/*
 * A running jail's limits: what its cgroups account (stats), changing
 * them on the fly (set), and the values in force (for show).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "jailp.h"

/* The running jail's cgroups, from its record, re-checked. */
static int
running_cg(const struct jail *j, const struct jail_env *env, struct jail_cg *cg,
    struct jail_error *err)
{
	struct jail_state st;

	if (jail_state_read(env->statedir, jail_name(j), &st, err) == -1)
		return -1;
	if (!jail_state_alive(&st))
		return jail_seterr(err, 0, "not running");
	if (st.cgroup[0] == '\0')
		return jail_seterr(err, 0,
		    "runs without cgroups (the host gave it none)");
	if (jail_cg_load(cg, st.cgroup, err) == -1)
		return jail_preerr(err, "cgroup");
	return 0;
}

int
jail_stats(const struct jail *j, const struct jail_env *env,
    struct jail_stats *s, struct jail_error *err)
{
	struct jail_cgstats cs;
	struct jail_cg cg;
	int rc;

	memset(s, 0, sizeof(*s));
	if (running_cg(j, env, &cg, err) == -1)
		return -1;
	rc = jail_cg_stats(&cg, &cs, err);
	jail_cg_close(&cg);
	if (rc == -1)
		return -1;
	s->mem_current = cs.mem_current;
	s->mem_peak = cs.mem_peak;
	s->oom_kills = cs.oom_kills;
	s->pids_current = cs.pids_current;
	s->pids_max_hit = cs.pids_max_hit;
	s->cpu_usec = cs.cpu_usec;
	s->cpu_user_usec = cs.cpu_user_usec;
	s->cpu_system_usec = cs.cpu_system_usec;
	s->nr_periods = cs.nr_periods;
	s->nr_throttled = cs.nr_throttled;
	s->throttled_usec = cs.throttled_usec;
	s->have = (cs.have & JAIL_CGS_MEM ? JAIL_STATS_MEM : 0) |
	    (cs.have & JAIL_CGS_MEMPEAK ? JAIL_STATS_MEMPEAK : 0) |
	    (cs.have & JAIL_CGS_OOM ? JAIL_STATS_OOM : 0) |
	    (cs.have & JAIL_CGS_PIDS ? JAIL_STATS_PIDS : 0) |
	    (cs.have & JAIL_CGS_PIDSMAX ? JAIL_STATS_PIDSMAX : 0) |
	    (cs.have & JAIL_CGS_CPU ? JAIL_STATS_CPU : 0) |
	    (cs.have & JAIL_CGS_THROTTLE ? JAIL_STATS_THROTTLE : 0);
	strlcpy(s->backend, cs.backend != NULL ? cs.backend : "",
	    sizeof(s->backend));
	return 0;
}

static int
is_live(const char *name)
{
	const char *l;
	int i;

	for (i = 0; (l = jail_cg_limit(i)) != NULL; i++)
		if (strcmp(l, name) == 0)
			return 1;
	return 0;
}

/*
 * Change limits of a running jail: "param=value" each, all checked as the
 * configuration's values are before any is written.  The configuration
 * file is not rewritten: the next start takes its values again.
 */
int
jail_set(const struct jail *j, const struct jail_env *env, char *const *assign,
    size_t n, struct jail_error *err)
{
	char name[128], why[256], *canon;
	const char *eq;
	struct jail_cg cg;
	int64_t num, hard;
	size_t i;
	int lock, p, rc = -1;

	for (i = 0; i < n; i++) {
		if ((eq = strchr(assign[i], '=')) == NULL ||
		    (size_t)(eq - assign[i]) >= sizeof(name))
			return jail_seterr(err, 0,
			    "\"%s\": not PARAMETER=VALUE", assign[i]);
		memcpy(name, assign[i], (size_t)(eq - assign[i]));
		name[eq - assign[i]] = '\0';
		if ((p = jail_param_lookup(name, err)) == -1)
			return -1;
		if (!is_live(name))
			return jail_seterr(err, 0,
			    "%s: cannot change on a running jail (only the "
			    "cgroup limits can; restart it)",
			    name);
		if (jail_param_value(p, eq + 1, &canon, &num, &hard, why,
		        sizeof(why)) == -1)
			return jail_seterr(err, 0, "%s: %s", name, why);
		free(canon);
	}
	if ((lock = jail_state_lock(env->statedir, jail_name(j), err)) == -1)
		return -1;
	if (running_cg(j, env, &cg, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		eq = strchr(assign[i], '=');
		memcpy(name, assign[i], (size_t)(eq - assign[i]));
		name[eq - assign[i]] = '\0';
		if (jail_cg_set(&cg, name, eq + 1, err) == -1) {
			jail_cg_close(&cg);
			goto out;
		}
	}
	jail_cg_close(&cg);
	rc = 0;
out:
	close(lock);
	return rc;
}

/*
 * For show: the limits of a running jail as its cgroups hold them now
 * (after a set), in place of the configuration's.  A limit the
 * configuration leaves unset is shown only when it is in force.
 */
int
jail_live_values(struct jail *j, const struct jail_env *env,
    struct jail_error *err)
{
	char buf[256], why[256], *canon;
	const char *l;
	struct jail_cg cg;
	struct jail_error je;
	int64_t num, hard;
	int i, p;

	if (running_cg(j, env, &cg, err) == -1)
		return -1;
	for (i = 0; (l = jail_cg_limit(i)) != NULL; i++) {
		p = jail_param_lookup(l, NULL);
		if (jail_cg_get(&cg, l, buf, sizeof(buf), &je) == -1)
			continue; /* a controller the jail does not use */
		if (!jail_param_isset(j, p) &&
		    (strcmp(buf, "max") == 0 ||
		        (jail_param_type(p) == JAIL_PT_INT &&
		            !(jail_param_flags(p) & JAIL_PF_MAX) &&
		            strcmp(buf, "100") == 0) ||
		        jail_param_type(p) == JAIL_PT_STRING))
			continue; /* unset and not limiting */
		if (jail_param_value(p, buf, &canon, &num, &hard, why,
		        sizeof(why)) == -1)
			continue;
		if (jail_pv_override(j, p, canon, num, hard) == -1) {
			free(canon);
			jail_cg_close(&cg);
			return jail_seterr(err, ENOMEM, "show");
		}
	}
	jail_cg_close(&cg);
	return 0;
}
