/*
 * seccomp: the system call filter of a jail's processes (libseccomp).
 * The default filter refuses, with EPERM so that programs fail cleanly,
 * what a root user inside has no business doing on a shared kernel: keys,
 * kexec, modules, bpf, perf, handles to files by inode, mounting (unless
 * allow.mount), swap, reboot, accounting, the clocks (unless
 * allow.settime), port I/O, the kernel log (unless allow.read_msgbuf),
 * new user namespaces, and faking terminal input.  clone3 gets ENOSYS:
 * its flags sit in memory the filter cannot read, and glibc falls back to
 * clone, whose flags it can.  The same rules hold for the i386 and x32
 * ABIs.  seccomp = FILE reads a filter from a file (see jail.conf(5)).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/filter.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "jailp.h"

static const char *const denied[] = { "keyctl", "add_key", "request_key",
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "bpf", "perf_event_open", "open_by_handle_at",
	"name_to_handle_at", "swapon", "swapoff", "reboot", "acct", "iopl",
	"ioperm", "lookup_dcookie", "userfaultfd", "quotactl", "nfsservctl",
	"vm86", "vm86old", "uselib", "_sysctl", "pivot_root", NULL };
static const char *const mounting[] = { "mount", "umount", "umount2", "fsopen",
	"fsmount", "fsconfig", "fspick", "move_mount", "open_tree",
	"mount_setattr", NULL };
static const char *const timesetting[] = { "settimeofday", "stime",
	"clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64",
	"adjtimex", NULL };

static int
deny(scmp_filter_ctx ctx, const char *name, uint32_t action)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	return seccomp_rule_add(ctx, action, nr, 0);
}

static int
deny_list(scmp_filter_ctx ctx, const char *const *names)
{
	for (; *names != NULL; names++)
		if (deny(ctx, *names, SCMP_ACT_ERRNO(EPERM)) < 0)
			return -1;
	return 0;
}

static int
default_rules(scmp_filter_ctx ctx, unsigned allow)
{
	uint32_t eperm = SCMP_ACT_ERRNO(EPERM);

	if (deny_list(ctx, denied) == -1)
		return -1;
	if (!(allow & JAIL_SC_MOUNT) && deny_list(ctx, mounting) == -1)
		return -1;
	if (!(allow & JAIL_SC_TIME) && deny_list(ctx, timesetting) == -1)
		return -1;
	if (!(allow & JAIL_SC_SYSLOG) && deny(ctx, "syslog", eperm) < 0)
		return -1;
	/* no user namespace of their own: nested ones undo the limits */
	if (seccomp_rule_add(ctx, eperm, SCMP_SYS(unshare), 1,
	        SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) <
	        0 ||
	    seccomp_rule_add(ctx, eperm, SCMP_SYS(clone), 1,
	        SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0)
		return -1;
	if (deny(ctx, "clone3", SCMP_ACT_ERRNO(ENOSYS)) < 0)
		return -1;
	/* terminal input injection; ioctl's request is 32 bits wide */
	if (seccomp_rule_add(ctx, eperm, SCMP_SYS(ioctl), 1,
	        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCSTI)) < 0 ||
	    seccomp_rule_add(ctx, eperm, SCMP_SYS(ioctl), 1,
	        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCLINUX)) < 0)
		return -1;
	return 0;
}

/*
 * "allow", "kill", "log", "errno" [N] (hasnum: N was given): the action,
 * or 0 when unknown.
 */
static uint32_t
action_of(const char *act, int hasnum, int num)
{
	if (strcmp(act, "allow") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(act, "kill") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(act, "log") == 0)
		return SCMP_ACT_LOG;
	if (strcmp(act, "errno") == 0) {
		if (!hasnum)
			num = EPERM;
		if (num > 0 && num < 4096)
			return SCMP_ACT_ERRNO((uint32_t)num);
	}
	return 0;
}

/* The other ABIs this kernel runs get the same rules (x86_64 hosts). */
static void
add_arches(scmp_filter_ctx ctx)
{
	(void)seccomp_arch_add(ctx, SCMP_ARCH_X86);
	(void)seccomp_arch_add(ctx, SCMP_ARCH_X32);
}

/*
 * A filter file: one rule a line, "SYSCALL ACTION", '#' comments; ACTION
 * is allow, kill, log, errno (EPERM) or errno N.  "default ACTION" sets
 * what other system calls get (allow unless said).
 */
static int
file_rules(const char *file, scmp_filter_ctx *ctxp, struct jail_error *err)
{
	char line[256], name[64], act[16];
	uint32_t action, def = SCMP_ACT_ALLOW;
	scmp_filter_ctx ctx = NULL;
	int n = 0, num, fields, nr, rc = -1;
	FILE *f;

	if ((f = fopen(file, "re")) == NULL)
		return jail_seterr(err, errno, "seccomp %s", file);
	/* a first pass for the default, which the context needs first */
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "#\n")] = '\0';
		num = EPERM;
		fields = sscanf(line, " %63s %15s %d", name, act, &num);
		if (fields < 2 || strcmp(name, "default") != 0)
			continue;
		if ((def = action_of(act, fields >= 3, num)) == 0) {
			jail_seterr(err, 0, "%s line %d: bad action \"%s\"",
			    file, n, act);
			goto out;
		}
	}
	rewind(f);
	n = 0;
	if ((ctx = seccomp_init(def)) == NULL) {
		jail_seterr(err, ENOMEM, "seccomp");
		goto out;
	}
	/* before the rules: rules go only to the ABIs already there */
	add_arches(ctx);
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "#\n")] = '\0';
		num = EPERM;
		fields = sscanf(line, " %63s %15s %d", name, act, &num);
		if (fields <= 0 || strcmp(name, "default") == 0)
			continue;
		if (fields < 2) {
			jail_seterr(err, 0, "%s line %d: no action", file, n);
			goto out;
		}
		if ((action = action_of(act, fields >= 3, num)) == 0) {
			jail_seterr(err, 0, "%s line %d: bad action \"%s\"",
			    file, n, act);
			goto out;
		}
		if ((nr = seccomp_syscall_resolve_name(name)) ==
		    __NR_SCMP_ERROR) {
			jail_seterr(err, 0,
			    "%s line %d: unknown system call \"%s\"", file, n,
			    name);
			goto out;
		}
		if (action != def && seccomp_rule_add(ctx, action, nr, 0) < 0) {
			jail_seterr(err, EINVAL, "%s line %d: %s", file, n,
			    name);
			goto out;
		}
	}
	*ctxp = ctx;
	ctx = NULL;
	rc = 0;
out:
	if (ctx != NULL)
		seccomp_release(ctx);
	fclose(f);
	return rc;
}

/* Build the filter for mode (JAIL_SECCOMP_*), NULL for none. */
static scmp_filter_ctx
build(int mode, unsigned allow, const char *file, struct jail_error *err)
{
	scmp_filter_ctx ctx = NULL;

	if (mode == JAIL_SECCOMP_NONE)
		return NULL;
	if (mode == JAIL_SECCOMP_FILE) {
		if (file_rules(file, &ctx, err) == -1)
			return NULL;
	} else {
		if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
			jail_seterr(err, ENOMEM, "seccomp");
			return NULL;
		}
		add_arches(ctx); /* before the rules, which follow the ABIs */
	}
	/* no_new_privs is the caller's business (allow.setuid) */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    (mode == JAIL_SECCOMP_DEFAULT && default_rules(ctx, allow) == -1)) {
		jail_seterr(err, EINVAL, "seccomp: building the filter");
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* Build the filter and load it into this process. */
int
jail_seccomp_load(int mode, unsigned allow, const char *file,
    struct jail_error *err)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	if (mode == JAIL_SECCOMP_NONE)
		return 0;
	if ((ctx = build(mode, allow, file, err)) == NULL)
		return -1;
	if (seccomp_load(ctx) < 0)
		rc = jail_seterr(err, errno, "seccomp: loading the filter");
	seccomp_release(ctx);
	return rc;
}

/*
 * Build the filter once, at start, into path as BPF: entering the jail
 * then loads it as it is instead of building it again (half a millisecond
 * of every exec).  Mode none writes nothing and removes a stale file.
 */
int
jail_seccomp_export(int mode, unsigned allow, const char *file,
    const char *path, struct jail_error *err)
{
	scmp_filter_ctx ctx;
	char tmp[PATH_MAX + 8];
	int fd, rc = -1;

	if (mode == JAIL_SECCOMP_NONE) {
		unlink(path);
		return 0;
	}
	if ((ctx = build(mode, allow, file, err)) == NULL)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		jail_seterr(err, errno, "%s", tmp);
	else if (seccomp_export_bpf(ctx, fd) < 0 || close(fd) == -1 ||
	    rename(tmp, path) == -1) {
		jail_seterr(err, EIO, "seccomp: %s", path);
		unlink(tmp);
	} else
		rc = 0;
	seccomp_release(ctx);
	return rc;
}

/*
 * The default filter is the same for every jail with the same allow.*
 * switches: built once into STATEDIR/.filter-KEY.bpf, KEY a hash of what
 * goes into it (the lists, the switches, this version), and linked from
 * there.  Returns 0 with the shared file's name in buf.
 */
int
jail_seccomp_shared(const char *statedir, unsigned allow, char *buf, size_t len,
    struct jail_error *err)
{
	const char *const *lists[] = { denied, mounting, timesetting };
	const char *const *l;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (l = lists[i]; *l != NULL; l++)
			for (p = *l;; p++) {
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
				if (*p == '\0')
					break;
			}
	h = (h ^ allow) * 1099511628211ULL;
	for (p = LIBJAIL_VERSION; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	if ((size_t)snprintf(buf, len, "%s/.filter-%016llx.bpf", statedir,
	        (unsigned long long)h) >= len)
		return jail_seterr(err, ENAMETOOLONG, "%s", statedir);
	if (access(buf, R_OK) == 0)
		return 0;
	return jail_seccomp_export(JAIL_SECCOMP_DEFAULT, allow, NULL, buf, err);
}

/* Read an exported filter: malloc'ed instructions, or NULL. */
struct sock_filter *
jail_seccomp_read(const char *path, unsigned short *len)
{
	struct sock_filter *prog;
	struct stat sb;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || sb.st_size <= 0 ||
	    sb.st_size % (off_t)sizeof(*prog) != 0 ||
	    sb.st_size / (off_t)sizeof(*prog) > 4096 ||
	    (prog = malloc((size_t)sb.st_size)) == NULL) {
		close(fd);
		return NULL;
	}
	n = read(fd, prog, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(prog);
		return NULL;
	}
	*len = (unsigned short)(sb.st_size / (off_t)sizeof(*prog));
	return prog;
}
