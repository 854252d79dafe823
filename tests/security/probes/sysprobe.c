/*
 * sysprobe NAME...: the system calls the default seccomp filter refuses,
 * each made once with arguments that do nothing to the host even when no
 * filter and no capability stand in the way: a bad flag, a bad file
 * descriptor, a path that does not exist, a read, or a no-op.  Where the
 * kernel checks the arguments before the privilege, the result tells the
 * filter (EPERM) from the kernel (EINVAL, ENOENT, EBADF...).
 *
 * Expected under the default filter: EPERM for each, ENOSYS for clone3;
 * without it, what each comment says.
 */

#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <time.h>

#include "probe.h"

#ifndef KEYCTL_GET_KEYRING_ID
#define KEYCTL_GET_KEYRING_ID 0
#endif
#ifndef KEY_SPEC_SESSION_KEYRING
#define KEY_SPEC_SESSION_KEYRING (-3)
#endif

/* A path that exists nowhere, in the jail or on the host. */
#define NOPATH "/jltest-nonexistent/x"

/* Unfiltered: the session keyring's id (a read; create = 0). */
static long
p_keyctl(void)
{
	return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_SESSION_KEYRING, 0);
}

/* Unfiltered: EINVAL (keyring 0 does not exist; no key is made). */
static long
p_add_key(void)
{
	return syscall(SYS_add_key, "jltest_nosuch_type", "jltest", NULL,
	    (size_t)0, 0);
}

/* Unfiltered: ENOKEY (no such key type; no upcall). */
static long
p_request_key(void)
{
	return syscall(SYS_request_key, "jltest_nosuch_type", "jltest", NULL,
	    0);
}

/* Unfiltered: EPERM without CAP_SYS_BOOT, else EINVAL (bad flags, too
 * many segments), ENOSYS without CONFIG_KEXEC. */
static long
p_kexec_load(void)
{
#ifdef SYS_kexec_load
	return syscall(SYS_kexec_load, 0UL, 17UL, NULL, 0x7fff0000UL);
#else
	snprintf(probe_text, sizeof(probe_text), "unsupported");
	return PROBE_PRINTED;
#endif
}

/* Unfiltered: EINVAL (bad flags are checked first), or ENOSYS. */
static long
p_kexec_file_load(void)
{
#ifdef SYS_kexec_file_load
	return syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0xffff0000UL);
#else
	snprintf(probe_text, sizeof(probe_text), "unsupported");
	return PROBE_PRINTED;
#endif
}

/* Unfiltered: EPERM without CAP_SYS_MODULE, else ENOEXEC (an image of 0
 * bytes), ENOSYS without CONFIG_MODULES. */
static long
p_init_module(void)
{
	return syscall(SYS_init_module, NULL, 0UL, "");
}

/* Unfiltered: EPERM, EBADF or ENOSYS. */
static long
p_finit_module(void)
{
	return syscall(SYS_finit_module, -1, "", 0);
}

/* Unfiltered: EPERM, ENOENT (no such module) or ENOSYS. */
static long
p_delete_module(void)
{
	return syscall(SYS_delete_module, "jltest_nosuch_module", O_NONBLOCK);
}

/* Unfiltered: EPERM (unprivileged bpf disabled) or E2BIG/EINVAL (no
 * instructions): nothing is loaded. */
static long
p_bpf(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = 0;
	a.insns = 0;
	a.license = 0;
	return syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
}

/* Unfiltered: ENOENT (no such PMU type), or EACCES. */
static long
p_perf_event_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = 0x7fff0000;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0UL);
}

/* Unfiltered: EPERM without CAP_DAC_READ_SEARCH, else EBADF. */
static long
p_open_by_handle_at(void)
{
	struct {
		unsigned int handle_bytes;
		int handle_type;
		unsigned char f_handle[8];
	} h;

	memset(&h, 0, sizeof(h));
	h.handle_bytes = sizeof(h.f_handle);
	h.handle_type = 1;
	return syscall(SYS_open_by_handle_at, -1, &h, O_RDONLY);
}

/* Unfiltered: ENOENT (the target is looked up before the privilege). */
static long
p_mount(void)
{
	return syscall(SYS_mount, "none", NOPATH, "tmpfs", 0UL, NULL);
}

/* Unfiltered: ENOENT. */
static long
p_umount2(void)
{
	return syscall(SYS_umount2, NOPATH, 0);
}

/* Unfiltered: EPERM without CAP_SYS_ADMIN, else EINVAL (bad flags). */
static long
p_fsopen(void)
{
	return syscall(SYS_fsopen, "tmpfs", 0x40000000U);
}

/* Unfiltered: EPERM without CAP_SYS_ADMIN, else EBADF. */
static long
p_fsmount(void)
{
	return syscall(SYS_fsmount, -1, 0U, 0U);
}

/* Unfiltered: EBADF. */
static long
p_fsconfig(void)
{
	return syscall(SYS_fsconfig, -1, 0U /* FSCONFIG_SET_FLAG */, "ro", NULL,
	    0);
}

/* Unfiltered: EPERM without CAP_SYS_ADMIN, else EINVAL (bad flags). */
static long
p_fspick(void)
{
	return syscall(SYS_fspick, -1, "", 0x40000000U);
}

/* Unfiltered: EPERM without CAP_SYS_ADMIN, else EINVAL (bad flags). */
static long
p_move_mount(void)
{
	return syscall(SYS_move_mount, -1, "", -1, "", 0x40000000U);
}

/* Unfiltered: EINVAL (bad flags). */
static long
p_open_tree(void)
{
	return syscall(SYS_open_tree, -1, "", 0x40000000U);
}

/* Unfiltered: EINVAL (bad flags). */
static long
p_mount_setattr(void)
{
	return syscall(SYS_mount_setattr, -1, "", 0x40000000U, NULL, 0UL);
}

/* Unfiltered: EPERM without CAP_SYS_ADMIN, else ENOENT. */
static long
p_swapon(void)
{
	return syscall(SYS_swapon, NOPATH, 0);
}

static long
p_swapoff(void)
{
	return syscall(SYS_swapoff, NOPATH);
}

/* Unfiltered: EPERM without CAP_SYS_BOOT, else EINVAL: the magic numbers
 * are wrong, so no command is ever carried out (and in a child PID
 * namespace CAD_OFF is EINVAL anyway). */
static long
p_reboot(void)
{
	return syscall(SYS_reboot, 0x1234567, 0x7654321,
	    LINUX_REBOOT_CMD_CAD_OFF, NULL);
}

/* Unfiltered: EPERM without CAP_SYS_PACCT, else ENOENT. */
static long
p_acct(void)
{
	return syscall(SYS_acct, NOPATH);
}

/* Unfiltered: EPERM without CAP_SYS_TIME, else 0: with neither a time nor
 * a time zone it changes nothing. */
static long
p_settimeofday(void)
{
	return syscall(SYS_settimeofday, NULL, NULL);
}

/* Unfiltered: EINVAL, whatever the capabilities: CLOCK_MONOTONIC cannot
 * be set. */
static long
p_clock_settime(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return -1;
	return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
}

/* Unfiltered: the clock's state (modes = 0 only reads). */
static long
p_clock_adjtime(void)
{
	struct timex tx;

	memset(&tx, 0, sizeof(tx));
	return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
}

static long
p_adjtimex(void)
{
	struct timex tx;

	memset(&tx, 0, sizeof(tx));
	return syscall(SYS_adjtimex, &tx);
}

/* Unfiltered: 0 (level 0 is where a process already is), or ENOSYS
 * without CONFIG_X86_IOPL_IOPERM. */
static long
p_iopl(void)
{
#ifdef SYS_iopl
	return syscall(SYS_iopl, 0);
#else
	snprintf(probe_text, sizeof(probe_text), "unsupported");
	return PROBE_PRINTED;
#endif
}

/* Unfiltered: 0 (turning access off needs no privilege), or ENOSYS. */
static long
p_ioperm(void)
{
#ifdef SYS_ioperm
	return syscall(SYS_ioperm, 0UL, 1UL, 0);
#else
	snprintf(probe_text, sizeof(probe_text), "unsupported");
	return PROBE_PRINTED;
#endif
}

/* SYSLOG_ACTION_SIZE_BUFFER: a read.  Unfiltered: EPERM without
 * CAP_SYSLOG when dmesg_restrict is 1, else the size. */
static long
p_syslog(void)
{
	return syscall(SYS_syslog, 10, NULL, 0);
}

/* Unfiltered: 0; the new user namespace is the child's alone. */
static long
p_unshare_user(void)
{
	return syscall(SYS_unshare, CLONE_NEWUSER);
}

/* CLONE_NEWUSER among other flags: a filter must look at the bit, not
 * at the whole value. */
static long
p_unshare_user_mixed(void)
{
	return syscall(SYS_unshare,
	    CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC);
}

/* clone(CLONE_NEWUSER) as fork: the child exits at once. */
static long
p_clone_user(void)
{
	long r;
	int st;

	r = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), 0UL,
	    NULL, NULL, 0UL);
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, &st, 0);
	return r;
}

/* The same as a plain fork: must work (glibc's fork is clone). */
static long
p_clone_plain(void)
{
	long r;
	int st;

	r = syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, NULL, NULL, 0UL);
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, &st, 0);
	return r;
}

/* clone3 with a size too small: EINVAL unfiltered, nothing created. */
static long
p_clone3(void)
{
	uint64_t args[11];

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD; /* exit_signal */
	return syscall(SYS_clone3, args, (size_t)1);
}

/* The ioctls on /dev/null: ENOTTY unfiltered (no terminal to inject into). */
static long
devnull_ioctl(unsigned long cmd)
{
	char c = 0;
	int fd;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd == -1) {
		snprintf(probe_text, sizeof(probe_text),
		    "cannot open /dev/null: %s", strerrorname_np(errno));
		return PROBE_PRINTED;
	}
	return syscall(SYS_ioctl, fd, cmd, &c);
}

static long
p_tiocsti(void)
{
	return devnull_ioctl(TIOCSTI);
}

/* The kernel reads the command as 32 bits: the high ones must not get
 * it past the filter. */
static long
p_tiocsti_hi(void)
{
	return devnull_ioctl(0x100000000UL | TIOCSTI);
}

static long
p_tioclinux(void)
{
	return devnull_ioctl(TIOCLINUX);
}

static long
p_tioclinux_hi(void)
{
	return devnull_ioctl(0xdead00000000UL | TIOCLINUX);
}

/* Any other ioctl stays allowed: ENOTTY. */
static long
p_tcgets(void)
{
	char buf[256];
	int fd;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd == -1)
		return -1;
	return syscall(SYS_ioctl, fd, TCGETS, buf);
}

static void *
thread_fn(void *arg)
{
	return arg;
}

/* glibc tries clone3 first, and falls back to clone only on ENOSYS. */
static long
p_thread(void)
{
	pthread_t t;
	int e;

	e = pthread_create(&t, NULL, thread_fn, NULL);
	if (e != 0) {
		errno = e;
		return -1;
	}
	pthread_join(t, NULL);
	return 0;
}

/* The same for posix_spawn (clone3, then clone with CLONE_VM). */
static long
p_spawn(void)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	pid_t pid;
	int e, st;

	e = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, envp);
	if (e != 0) {
		errno = e;
		return -1;
	}
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(probe_text, sizeof(probe_text),
		    "/bin/true ended with status %#x", st);
		return PROBE_PRINTED;
	}
	return 0;
}

static long
p_getpid(void)
{
	return syscall(SYS_getpid);
}

static const struct probe tab[] = {
	{ "getpid", p_getpid },
	{ "keyctl", p_keyctl },
	{ "add_key", p_add_key },
	{ "request_key", p_request_key },
	{ "kexec_load", p_kexec_load },
	{ "kexec_file_load", p_kexec_file_load },
	{ "init_module", p_init_module },
	{ "finit_module", p_finit_module },
	{ "delete_module", p_delete_module },
	{ "bpf", p_bpf },
	{ "perf_event_open", p_perf_event_open },
	{ "open_by_handle_at", p_open_by_handle_at },
	{ "mount", p_mount },
	{ "umount2", p_umount2 },
	{ "fsopen", p_fsopen },
	{ "fsmount", p_fsmount },
	{ "fsconfig", p_fsconfig },
	{ "fspick", p_fspick },
	{ "move_mount", p_move_mount },
	{ "open_tree", p_open_tree },
	{ "mount_setattr", p_mount_setattr },
	{ "swapon", p_swapon },
	{ "swapoff", p_swapoff },
	{ "reboot", p_reboot },
	{ "acct", p_acct },
	{ "settimeofday", p_settimeofday },
	{ "clock_settime", p_clock_settime },
	{ "clock_adjtime", p_clock_adjtime },
	{ "adjtimex", p_adjtimex },
	{ "iopl", p_iopl },
	{ "ioperm", p_ioperm },
	{ "syslog", p_syslog },
	{ "unshare_user", p_unshare_user },
	{ "unshare_user_mixed", p_unshare_user_mixed },
	{ "clone_user", p_clone_user },
	{ "clone_plain", p_clone_plain },
	{ "clone3", p_clone3 },
	{ "tiocsti", p_tiocsti },
	{ "tiocsti_hi", p_tiocsti_hi },
	{ "tioclinux", p_tioclinux },
	{ "tioclinux_hi", p_tioclinux_hi },
	{ "tcgets", p_tcgets },
	{ "thread", p_thread },
	{ "spawn", p_spawn },
};

PROBE_MAIN(tab)
