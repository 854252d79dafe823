/*
 * caps: the capabilities a jail's processes keep.  A small default set,
 * in the spirit of Docker's, and FreeBSD's allow.* parameters mapped onto
 * Linux capabilities; caps.keep and caps.drop for anything else.  Every
 * other capability leaves the bounding set, so no exec can bring it back;
 * inheritable and ambient sets are emptied.  libcap-ng does the work.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>

#include "jailp.h"

static const int defaults[] = { CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER,
	CAP_FSETID, CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_AUDIT_WRITE, CAP_SETFCAP };

/*
 * allow.* → the capability it grants, and the system calls it opens in the
 * default seccomp filter (0: none; allow.quotas gives CAP_SYS_RESOURCE,
 * but quotactl stays refused).
 */
static const struct allowcap {
	const char *param;
	int cap;
	unsigned sc; /* JAIL_SC_* */
} allows[] = {
	{ "allow.raw_sockets", CAP_NET_RAW, 0 },
	{ "allow.mlock", CAP_IPC_LOCK, 0 },
	{ "allow.chflags", CAP_LINUX_IMMUTABLE, 0 },
	{ "allow.sysvipc", CAP_IPC_OWNER, 0 },
	{ "allow.mount", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.mount.devfs", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.mount.fusefs", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.mount.nullfs", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.mount.procfs", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.mount.tmpfs", CAP_SYS_ADMIN, JAIL_SC_MOUNT },
	{ "allow.settime", CAP_SYS_TIME, JAIL_SC_TIME },
	{ "allow.adjtime", CAP_SYS_TIME, JAIL_SC_TIME },
	{ "allow.routing", CAP_NET_ADMIN, 0 },
	{ "allow.read_msgbuf", CAP_SYSLOG, JAIL_SC_SYSLOG },
	{ "allow.quotas", CAP_SYS_RESOURCE, 0 },
	{ "allow.unprivileged_proc_debug", CAP_SYS_PTRACE, 0 },
};

/* CAP_NET_RAW, cap_net_raw, net_raw; -2 for "all"; -1 when unknown. */
static int
capnum(const char *v)
{
	char name[64];
	size_t i;

	if (strncasecmp(v, "cap_", 4) == 0)
		v += 4;
	if (strcasecmp(v, "all") == 0)
		return -2;
	if (strlen(v) >= sizeof(name))
		return -1;
	for (i = 0; v[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)v[i]);
	name[i] = '\0';
	return capng_name_to_capability(name);
}

static int
getflag(const struct jail *j, const char *param)
{
	int64_t v = 0;
	int p = jail_param_lookup(param, NULL);

	return p >= 0 && jail_get_num(j, p, &v, NULL) == 0 && v != 0;
}

/*
 * The capabilities processes of j keep (a bit per capability) and the
 * system calls allow.* opens (JAIL_SC_*).
 */
void
jail_caps_of(const struct jail *j, uint64_t *keep, unsigned *sc)
{
	const char *const *v;
	size_t i, n;
	int c, last = CAP_LAST_CAP;

	*keep = 0;
	*sc = 0;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		*keep |= 1ULL << defaults[i];
	if (!getflag(j, "allow.reserved_ports"))
		*keep &= ~(1ULL << CAP_NET_BIND_SERVICE);
	for (i = 0; i < sizeof(allows) / sizeof(allows[0]); i++) {
		if (!getflag(j, allows[i].param))
			continue;
		*keep |= 1ULL << allows[i].cap;
		*sc |= allows[i].sc;
	}
	n = jail_get_list(j, jail_param_lookup("caps.keep", NULL), &v);
	for (i = 0; i < n; i++) {
		if ((c = capnum(v[i])) == -2)
			*keep = (last >= 63) ? ~0ULL : (1ULL << (last + 1)) - 1;
		else if (c >= 0 && c < 64)
			*keep |= 1ULL << c;
	}
	n = jail_get_list(j, jail_param_lookup("caps.drop", NULL), &v);
	for (i = 0; i < n; i++) {
		if ((c = capnum(v[i])) == -2)
			*keep = 0;
		else if (c >= 0 && c < 64)
			*keep &= ~(1ULL << c);
	}
}

/*
 * Step one, while still root with CAP_SETPCAP: everything not in keep
 * leaves the bounding set, up to the kernel's last capability (EINVAL
 * past it), not our headers' CAP_LAST_CAP: a newer kernel's go too.
 * Plain prctl(2): nothing allocated between fork and exec.
 */
int
jail_caps_bound(uint64_t keep)
{
	int c;

	for (c = 0; c < 64; c++) {
		if (keep & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1) {
			if (errno != EINVAL)
				return -1;
			/* past the kernel's last: none after it either */
			if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == -1)
				break;
			return -1;
		}
	}
	return 0;
}

/*
 * Step two, after the user is set: root keeps exactly keep as effective
 * and permitted, nothing inheritable or ambient; another user keeps
 * nothing (setresuid cleared it).
 */
int
jail_caps_set(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
		0 };
	struct __user_cap_data_struct data[2];
	uint64_t have;
	int c;

	/*
	 * Only what we hold can be kept ("all" is all that the host's root
	 * has, which may be less than the kernel knows): one capget(2).
	 */
	if (syscall(SYS_capget, &hdr, data) == -1)
		return -1;
	have = (uint64_t)data[1].permitted << 32 | data[0].permitted;
	keep &= have;
	capng_clear(CAPNG_SELECT_CAPS);
	if (geteuid() == 0)
		for (c = 0; c <= CAP_LAST_CAP && c < 64; c++)
			if (keep & (1ULL << c))
				capng_update(CAPNG_ADD,
				    CAPNG_EFFECTIVE | CAPNG_PERMITTED, c);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return -1;
	return 0;
}
