/*
 * Resource limits of a jail's processes: the rlimit.* parameters, read
 * once on the host and applied in every process that enters the jail
 * (hooks inside, exec, one-off instances) before it runs jail code.
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"

static const struct {
	const char *name;
	int res;
} rlims[] = {
	{ "rlimit.as", RLIMIT_AS },
	{ "rlimit.core", RLIMIT_CORE },
	{ "rlimit.cpu", RLIMIT_CPU },
	{ "rlimit.data", RLIMIT_DATA },
	{ "rlimit.fsize", RLIMIT_FSIZE },
	{ "rlimit.locks", RLIMIT_LOCKS },
	{ "rlimit.memlock", RLIMIT_MEMLOCK },
	{ "rlimit.msgqueue", RLIMIT_MSGQUEUE },
	{ "rlimit.nice", RLIMIT_NICE },
	{ "rlimit.nofile", RLIMIT_NOFILE },
	{ "rlimit.nproc", RLIMIT_NPROC },
	{ "rlimit.rss", RLIMIT_RSS },
	{ "rlimit.rtprio", RLIMIT_RTPRIO },
	{ "rlimit.rttime", RLIMIT_RTTIME },
	{ "rlimit.sigpending", RLIMIT_SIGPENDING },
	{ "rlimit.stack", RLIMIT_STACK },
};

static rlim_t
rl(int64_t v)
{
	return v == JAIL_UNLIMITED || v < 0 ? RLIM_INFINITY : (rlim_t)v;
}

/* The rlimit.* parameters the jail sets. */
void
jail_rlimits_of(const struct jail *j, struct jail_rlims *r)
{
	int64_t soft, hard;
	size_t i;
	int p;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < sizeof(rlims) / sizeof(rlims[0]); i++) {
		if ((p = jail_param_lookup(rlims[i].name, NULL)) < 0 ||
		    jail_get_num(j, p, &soft, &hard) == -1)
			continue;
		r->v[r->n].res = rlims[i].res;
		r->v[r->n].name = rlims[i].name;
		r->v[r->n].rl.rlim_cur = rl(soft);
		r->v[r->n].rl.rlim_max = rl(hard);
		r->n++;
	}
}

/*
 * In the process that enters the jail: set each limit.  Raising a hard
 * limit needs CAP_SYS_RESOURCE; without it the error names the parameter.
 * No allocation (runs between fork and exec).
 */
int
jail_rlimits_apply(const struct jail_rlims *r, const char **which)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (setrlimit(r->v[i].res, &r->v[i].rl) == -1) {
			*which = r->v[i].name;
			return -1;
		}
	return 0;
}

/*
 * Before the jail starts: each limit can be set by a process entering it,
 * which starts with jailctl's own limits and capabilities.  A hard limit
 * above the current one needs CAP_SYS_RESOURCE of the host's (which a
 * process in the jail's user namespace never has).
 */
int
jail_rlimits_check(const struct jail_rlims *r, int userns,
    struct jail_error *err)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
		0 };
	struct __user_cap_data_struct data[2];
	struct rlimit cur;
	int i, res = -1;

	for (i = 0; i < r->n; i++) {
		if (getrlimit(r->v[i].res, &cur) == -1 ||
		    cur.rlim_max == RLIM_INFINITY ||
		    (r->v[i].rl.rlim_max != RLIM_INFINITY &&
		        r->v[i].rl.rlim_max <= cur.rlim_max))
			continue;
		/* in a user namespace, the capability is not the host's */
		if (res == -1)
			res = !userns && syscall(SYS_capget, &hdr, data) == 0 &&
			    (data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective &
			        CAP_TO_MASK(CAP_SYS_RESOURCE));
		if (!res)
			return jail_seterr(err, 0,
			    "%s: the hard limit is above this host's (%llu); "
			    "raising it needs CAP_SYS_RESOURCE",
			    r->v[i].name, (unsigned long long)cur.rlim_max);
	}
	return 0;
}
