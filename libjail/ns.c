/*
 * ns: namespaces and the jail's first process.  jail_ns_start() clones the
 * holder into new mount, UTS, IPC, PID and cgroup namespaces, and a network
 * one unless vnet = inherit; the holder builds the jail's root (mounts,
 * proc, a minimal /dev, pivot_root), then
 * stays as PID 1: it reaps orphans and keeps a persistent jail alive.  On
 * SIGTERM it passes SIGTERM to every process of the jail, waits for them up
 * to the stop timeout, and exits; the kernel kills what is left when a PID
 * namespace loses its PID 1.  jail_ns_exec() enters a running jail through
 * a pidfd of the holder.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "jailp.h"
#include "userns.h"

#define NS_FLAGS                                                               \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID |            \
	    CLONE_NEWNET | CLONE_NEWCGROUP)

/* The child's side of the sync pipe: an error message, then death. */
static void __attribute__((noreturn))
child_fail(int fd, const char *step, int code)
{
	char msg[JAIL_ERRMAX];
	int n;

	n = snprintf(msg, sizeof(msg), "%s: %s", step, strerror(code));
	if (n > 0)
		(void)!write(fd, msg,
		    (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg));
	_exit(125);
}

/* cgfd >= 0: born in that cgroup v2 directory (CLONE_INTO_CGROUP). */
static pid_t
clone3_pidfd(uint64_t flags, int *pidfd, int cgfd)
{
	struct clone_args ca;

	memset(&ca, 0, sizeof(ca));
	ca.flags = flags | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	ca.exit_signal = SIGCHLD;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

/* Born in a cgroup v2 directory (cgfd >= 0), else a plain fork. */
static pid_t
clone_into(int cgfd)
{
	struct clone_args ca;

	if (cgfd < 0)
		return fork();
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_INTO_CGROUP;
	ca.cgroup = (uint64_t)cgfd;
	ca.exit_signal = SIGCHLD;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

/* Move the calling (single) thread into the v1 cgroups of fds. */
static int
join_self(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (write(fds[i], "0", 1) != 1)
			return -1;
	return 0;
}

static int
lo_up(void)
{
	struct ifreq ifr;
	int s, rc;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name));
	rc = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

static void __attribute__((noreturn))
child_err(int fd, const char *step, struct jail_error *je)
{
	char msg[JAIL_ERRMAX + 64];
	int n;

	n = snprintf(msg, sizeof(msg), "%s: %s", step, je->msg);
	if (n > 0)
		(void)!write(fd, msg,
		    (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg));
	_exit(125);
}

/*
 * /dev as the jail sees it: a small tmpfs with the harmless character
 * devices, a devpts of its own, shm.  The nodes are made in the tmpfs
 * (their numbers are the kernel's ABI): six mounts fewer on every start.
 * A user-namespaced holder may not make device nodes: it binds the
 * host's instead.
 */
static void
make_dev(int rootfd, int efd)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} devs[] = { { "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 } };
	struct jail_error je;
	char src[32];
	int dfd, fd;
	size_t i;
	mode_t um;

	if (jail_mount_at(rootfd, "dev", S_IFDIR | JAIL_ROOT_REAL, "tmpfs",
	        "tmpfs", MS_NOSUID | MS_NOEXEC,
	        "mode=0755,size=1m,nr_inodes=64", &je) == -1)
		child_err(efd, "mount.devfs", &je);
	if ((dfd = jail_root_open(rootfd, "dev", S_IFDIR, &je)) == -1)
		child_err(efd, "mount.devfs", &je);
	/* the fresh tmpfs holds no symlink: plain *at() calls are safe */
	um = umask(0);
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		if (mknodat(dfd, devs[i].name, S_IFCHR | 0666,
		        makedev(devs[i].major, devs[i].minor)) == 0)
			continue;
		if (errno != EPERM && errno != EACCES) /* an LSM's no */
			child_fail(efd, "mount.devfs: node", errno);
		fd = openat(dfd, devs[i].name, O_WRONLY | O_CREAT | O_CLOEXEC,
		    0666);
		if (fd == -1)
			child_fail(efd, "mount.devfs: node", errno);
		close(fd);
		snprintf(src, sizeof(src), "/dev/%s", devs[i].name);
		if (jail_mount_at(rootfd, src, S_IFREG, src, NULL, MS_BIND,
		        NULL, &je) == -1)
			child_err(efd, "mount.devfs", &je);
	}
	umask(um);
	if (mkdirat(dfd, "pts", 0755) == -1 ||
	    mkdirat(dfd, "shm", 01777) == -1 ||
	    symlinkat("pts/ptmx", dfd, "ptmx") == -1 ||
	    symlinkat("/proc/self/fd", dfd, "fd") == -1)
		child_fail(efd, "mount.devfs", errno);
	close(dfd);
	if (jail_mount_at(rootfd, "dev/pts", S_IFDIR, "devpts", "devpts",
	        MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620",
	        &je) == -1)
		child_err(efd, "mount.devfs: devpts", &je);
	if (jail_mount_at(rootfd, "dev/shm", S_IFDIR, "shm", "tmpfs",
	        MS_NOSUID | MS_NODEV, "mode=1777,size=64m", &je) == -1)
		child_err(efd, "mount.devfs: shm", &je);
}

/*
 * /proc of the jail's own PID namespace still shows the host's kernel:
 * /proc/sys and its friends set host-wide values (core_pattern runs a
 * program as the host's root), and some files leak kernel addresses or
 * other jails' timers and keys.  Make those read-only, or hide them
 * (files under /dev/null, directories under an empty read-only tmpfs).
 * What this kernel does not have is skipped.
 */
static void
guard_proc(int rootfd, const char *top, const char *const *ro,
    const char *const *files, const char *const *dirs, int efd)
{
	struct jail_error je;
	char p[PATH_MAX], self[64];
	int i, fd;

	for (i = 0; ro[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", top, ro[i]);
		if ((fd = jail_root_open(rootfd, p, 0, &je)) == -1) {
			if (je.code == ENOENT)
				continue;
			child_err(efd, "guard /proc", &je);
		}
		/*
		 * Not recursive: a fresh proc or sysfs has nothing mounted
		 * below (and a bind leaves out what might be).
		 */
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		if (mount(self, self, NULL, MS_BIND, NULL) == -1)
			child_fail(efd, p, errno);
		close(fd);
		/* the same path again: now the bind mount, to remount */
		if ((fd = jail_root_open(rootfd, p, 0, &je)) == -1)
			child_err(efd, "guard /proc", &je);
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		if (mount(NULL, self, NULL,
		        MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
		            MS_NODEV | MS_NOEXEC,
		        NULL) == -1)
			child_fail(efd, p, errno);
		close(fd);
	}
	for (i = 0; files[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", top, files[i]);
		if (jail_mount_at(rootfd, p, 0, "/dev/null", NULL, MS_BIND,
		        NULL, &je) == -1 &&
		    je.code != ENOENT)
			child_err(efd, "mask /proc", &je);
	}
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", top, dirs[i]);
		if (jail_mount_at(rootfd, p, S_IFDIR, "tmpfs", "tmpfs",
		        MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0",
		        &je) == -1 &&
		    je.code != ENOENT)
			child_err(efd, "mask /proc", &je);
	}
}

static const char *const proc_ro[] = { "sys", "sysrq-trigger", "irq", "bus",
	"fs", NULL };
static const char *const proc_files[] = { "kcore", "keys", "key-users",
	"timer_list", "timer_stats", "sched_debug", "latency_stats", "kallsyms",
	"kmsg", "kpagecount", "kpageflags", "kpagecgroup", "config.gz",
	"vmallocinfo", NULL };
static const char *const proc_dirs[] = { "acpi", "scsi", "asound", "driver",
	NULL };
static const char *const sys_none[] = { NULL };
static const char *const sys_dirs[] = { "firmware", "kernel/security",
	"kernel/debug", NULL };

/*
 * A host template (templates/host) has host directories bound read-only
 * into the tree.  The list comes from the template store, read on the
 * host by jail.c: never from the jail's own tree, which the jail writes.
 */
static void
host_binds(const struct jail_nsopts *o, int rootfd, int efd)
{
	struct jail_error je;
	char p[64];
	size_t i;
	int fd;

	for (i = 0; i < o->nbinds; i++) {
		if (jail_mount_at(rootfd, o->binds[i], S_IFDIR, o->binds[i],
		        NULL, MS_BIND | MS_REC, NULL, &je) == -1 ||
		    (fd = jail_root_open(rootfd, o->binds[i], S_IFDIR, &je)) ==
		        -1)
			child_err(efd, "host template bind", &je);
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		if (mount(NULL, p, NULL,
		        MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
		        NULL) == -1)
			child_fail(efd, "host template bind", errno);
		close(fd);
	}
}

/*
 * The jail's root mounted on its path (a bind, or the overlay), in the
 * holder's own mount namespace.  With a user namespace a bind is made
 * before the maps are written: still host uid 0 by its ids, the holder
 * can walk to a path below a directory only host root may search (a
 * mktemp -d); the mapped root could not.  An overlay waits for the maps.
 */
static int
root_mount(const struct jail_nsopts *o, int efd)
{
	char data[3 * PATH_MAX + 64];
	int rootfd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		child_fail(efd, "make mounts private", errno);
	if (o->lower != NULL && o->lowerfd >= 0 &&
	    move_mount(6, "", AT_FDCWD, o->lower, MOVE_MOUNT_F_EMPTY_PATH) ==
	        -1)
		child_fail(efd, "overlay: idmapped lower layer", errno);
	if (o->lower != NULL) {
		snprintf(data, sizeof(data),
		    "lowerdir=%s,upperdir=%s,workdir=%s", o->lower, o->upper,
		    o->work);
		if (mount("overlay", o->root, "overlay", 0, data) == -1)
			child_fail(efd, "overlay", errno);
	} else if (mount(o->root, o->root, NULL, MS_BIND | MS_REC, NULL) == -1)
		child_fail(efd, "bind path", errno);
	if ((rootfd = open(o->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		child_fail(efd, "path", errno);
	return rootfd;
}

/*
 * In the holder, before pivot_root: the root tree as the jail will see it,
 * in FreeBSD's order (mount lines, mount.fstab, then devfs, procfs), on
 * the root that root_mount() made.
 */
static void
build_root(const struct jail_nsopts *o, int efd, int gofd, int rootfd)
{
	ssize_t n;
	char c;
	struct jail_error je;
	char data[3 * PATH_MAX + 64];
	size_t i;

	if (o->readonly) {
		snprintf(data, sizeof(data), "/proc/self/fd/%d", rootfd);
		if (mount(NULL, data, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
		        NULL) == -1)
			child_fail(efd, "read_only", errno);
	}
	host_binds(o, rootfd, efd);
	for (i = 0; i < o->nmounts; i++)
		if (jail_mount_line(rootfd, o->root, o->mounts[i], &je) == -1) {
			snprintf(data, sizeof(data), "mount line %zu", i + 1);
			child_err(efd, data, &je);
		}
	if (o->fstab != NULL &&
	    jail_mount_fstab(rootfd, o->root, o->fstab, &je) == -1)
		child_err(efd, "mount.fstab", &je);
	if (o->devfs)
		make_dev(rootfd, efd);
	if (o->procfs &&
	    jail_mount_at(rootfd, "proc", S_IFDIR | JAIL_ROOT_REAL, "proc",
	        "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, &je) == -1)
		child_err(efd, "mount.procfs", &je);
	if (o->procfs)
		guard_proc(rootfd, "proc", proc_ro, proc_files, proc_dirs, efd);
	if (o->sysfs &&
	    jail_mount_at(rootfd, "sys", S_IFDIR | JAIL_ROOT_REAL, "sysfs",
	        "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL,
	        &je) == -1)
		child_err(efd, "mount.sysfs", &je);
	if (o->sysfs)
		guard_proc(rootfd, "sys", sys_none, sys_none, sys_dirs, efd);
	if (o->tmp &&
	    jail_mount_at(rootfd, "tmp", S_IFDIR, "tmpfs", "tmpfs",
	        MS_NOSUID | MS_NODEV, "mode=1777,size=256m", &je) == -1)
		child_err(efd, "mount.tmp", &je);
	/*
	 * The mounts are done: in FreeBSD's order exec.prestart runs now,
	 * on the host, before the jail is created.  Wait for it.
	 */
	if (write(efd, "M", 1) != 1)
		_exit(125);
	while ((n = read(gofd, &c, 1)) == -1 && errno == EINTR)
		;
	if (n != 1 || c != 'c')
		_exit(125);
	if (o->cgns && unshare(CLONE_NEWCGROUP) == -1)
		child_fail(efd, "cgroup namespace", errno);
	/* pivot into the root through its descriptor: no path to swap */
	if (fchdir(rootfd) == -1)
		child_fail(efd, "chdir to path", errno);
	close(rootfd);
	if (syscall(SYS_pivot_root, ".", ".") == -1)
		child_fail(efd, "pivot_root", errno);
	if (umount2(".", MNT_DETACH) == -1)
		child_fail(efd, "detach the old root", errno);
	if (chdir("/") == -1)
		child_fail(efd, "chdir /", errno);
	if (o->hostname != NULL &&
	    sethostname(o->hostname, strlen(o->hostname)) == -1)
		child_fail(efd, "host.hostname", errno);
	if (o->domainname != NULL &&
	    setdomainname(o->domainname, strlen(o->domainname)) == -1)
		child_fail(efd, "host.domainname", errno);
	if (o->newnet && lo_up() == -1)
		child_fail(efd, "loopback up", errno);
}

static void
on_signal(int sig)
{
	/*
	 * Never runs: the signals are blocked and taken with sigwaitinfo().
	 * But a PID namespace's init drops signals it has no handler for,
	 * so there must be one.
	 */
}

static void
holder_signals(sigset_t *set)
{
	struct sigaction sa;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD };
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(set, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, set, NULL);
}

/*
 * The holder is the jail's PID 1: what /proc/1/cmdline and /proc/1/environ
 * show inside is jailctl's command line and the caller's environment on
 * the host.  Blank both (fields 48 to 51 of /proc/self/stat give where
 * they are in our memory) and leave only the holder's name.
 */
static void
hide_args(void)
{
	unsigned long a[4];
	char buf[2048], *p;
	ssize_t n;
	int fd, field;

	if ((fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return;
	for (field = 2; *p != '\0' && field < 48; p++)
		if (*p == ' ')
			field++;
	if (sscanf(p, "%lu %lu %lu %lu", &a[0], &a[1], &a[2], &a[3]) != 4 ||
	    a[1] <= a[0] || a[3] < a[2])
		return;
	memset((void *)a[2], 0, a[3] - a[2]);
	memset((void *)a[0], 0, a[1] - a[0]);
	strlcpy((char *)a[0], "jail-holder", a[1] - a[0]);
}

/*
 * A holder is cloned from jailctl with all it had: the parsed
 * configuration on the heap, deep stack pages.  It uses none of that any
 * more and allocates nothing from here on, so it gives the heap and the
 * stack below its frame back to the kernel: an idle jail then costs little
 * more than its namespaces.
 */
static void
shed_memory(void)
{
	char maps[8192], *line, *save = NULL;
	unsigned long lo, hi, sp = (unsigned long)&lo, page;
	ssize_t n;
	int fd;

	page = (unsigned long)sysconf(_SC_PAGESIZE);
	if ((fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, maps, sizeof(maps) - 1);
	close(fd);
	if (n <= 0)
		return;
	maps[n] = '\0';
	for (line = strtok_r(maps, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[heap]") != NULL)
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
		else if (strstr(line, "[stack]") != NULL &&
		    sp > lo + 2 * page) {
			/* below our frame, less a page of room to grow */
			hi = (sp & ~(page - 1)) - page;
			if (hi > lo)
				madvise((void *)lo, hi - lo, MADV_DONTNEED);
		}
	}
}

/* Reap what ended; 1 when no child (orphan) is left. */
static int
reap(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		;
	return pid == -1 && errno == ECHILD;
}

/*
 * PID 1 of the jail, its signals blocked since before it said ready.
 * Reaps every orphan; without persist it ends with its last process once
 * start has released it (SIGUSR1, acknowledged on fd 3), with persist only
 * on SIGTERM.  On SIGTERM it passes SIGTERM to the jail's processes, waits
 * for them up to the stop timeout, and ends: the kernel kills the rest.
 */
/*
 * The holder runs no jail code but is the jail's PID 1: it keeps CAP_KILL
 * (to end the jail's processes) and nothing else, cannot gain privileges,
 * and lives under the default filter.
 */
static int
holder_confine(const struct jail_nsopts *o)
{
	prctl(PR_SET_DUMPABLE, 0);
	if (!o->confine)
		return 0;
	if (o->hbpf != NULL) {
		struct sock_fprog prog = { o->hbpflen, o->hbpf };

		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
			return -1;
	} else if (jail_seccomp_load(JAIL_SECCOMP_DEFAULT, 0, NULL, NULL) == -1)
		return -1;
	if (jail_caps_bound(1ULL << CAP_KILL) == -1 ||
	    jail_caps_set(1ULL << CAP_KILL) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return 0;
}

/*
 * The small holder's filter: the dozen system calls it makes (and the
 * few between loading the filter and exec); anything else fails with
 * EPERM, a foreign ABI kills it.  Stricter than the jail's own default
 * filter, and a fraction of its size to load on each start.
 */
#if defined(__x86_64__)
#define HOLDER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define HOLDER_ARCH AUDIT_ARCH_AARCH64
#endif
#ifdef HOLDER_ARCH
#define ALLOW(nr)                                                              \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                       \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
static const struct sock_filter holder_filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HOLDER_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	ALLOW(__NR_read),
	ALLOW(__NR_write),
	ALLOW(__NR_close),
	ALLOW(__NR_wait4),
	ALLOW(__NR_rt_sigtimedwait),
	ALLOW(__NR_rt_sigprocmask),
	ALLOW(__NR_kill),
	ALLOW(__NR_clock_gettime),
	ALLOW(__NR_prctl),
	ALLOW(__NR_exit_group),
	ALLOW(__NR_exit),
	ALLOW(__NR_fcntl),
	ALLOW(__NR_execveat),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
};
#endif

/*
 * The small holder (libjail/holder/holder.c, built into the library as
 * data) in a sealed memfd, made once per process: the jail's PID 1 execs
 * it, leaving its creator's address space behind.  -1 where there is no
 * such program (an architecture it does not know) or no memfd.
 */
extern const unsigned char jail_holder_blob[];
extern const size_t jail_holder_len;

static int
holder_confine_small(const struct jail_nsopts *o)
{
#ifdef HOLDER_ARCH
	struct sock_fprog prog = { sizeof(holder_filter) /
		    sizeof(holder_filter[0]),
		(struct sock_filter *)holder_filter };

	prctl(PR_SET_DUMPABLE, 0);
	if (!o->confine)
		return 0;
	if (jail_caps_bound(1ULL << CAP_KILL) == -1 ||
	    jail_caps_set(1ULL << CAP_KILL) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		return -1;
	return 0;
#else
	return holder_confine(o);
#endif
}

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

static int
holder_memfd(void)
{
	static int fd = -2;
	size_t off = 0;
	ssize_t n;

	if (fd != -2)
		return fd;
	fd = -1;
	/*
	 * MFD_EXEC: with vm.memfd_noexec set, a memfd made without it could
	 * not be exec'd (kernels before 6.3 know no such flag: EINVAL).
	 */
	if (jail_holder_len == 0)
		return fd = -1;
	fd = memfd_create("jail-holder",
	    MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd == -1 && errno == EINVAL)
		fd = memfd_create("jail-holder",
		    MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd == -1)
		return fd = -1;
	while (off < jail_holder_len) {
		n = write(fd, jail_holder_blob + 1 + off,
		    jail_holder_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off != jail_holder_len ||
	    fcntl(fd, F_ADD_SEALS,
	        F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) ==
	        -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Will the holder be the small program (no need for a filter of ours)? */
int
jail_ns_small_holder(void)
{
#ifdef HOLDER_ARCH
	return holder_memfd() != -1;
#else
	return 0;
#endif
}

static void __attribute__((noreturn))
holder(const struct jail_nsopts *o, const sigset_t *set)
{
	struct timespec t0, now, left;
	sigset_t chld, sigs = *set;
	int sig, released = 0, persist, stop_timeout;

	prctl(PR_SET_NAME, "jail-holder");
	hide_args();
	/* before shed_memory(): building the filter allocates */
	if (holder_confine(o) == -1)
		_exit(125);
	persist = o->persist; /* o lives on the heap: copy what we need */
	stop_timeout = o->stop_timeout;
	shed_memory();
	for (;;) {
		if (reap() && released && !persist)
			_exit(0);
		sig = sigwaitinfo(&sigs, NULL);
		if (sig == SIGUSR1 && !released) {
			released = 1;
			prctl(PR_SET_PDEATHSIG, 0); /* outlive jailctl now */
			(void)!write(3, "A", 1);    /* start waits for this */
			close(3);
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			break;
	}
	kill(-1, SIGTERM);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!reap()) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = t0.tv_sec + stop_timeout - now.tv_sec;
		left.tv_nsec = t0.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_nsec += 1000000000L;
			left.tv_sec--;
		}
		if (left.tv_sec < 0)
			break;
		sigtimedwait(&chld, NULL, &left);
	}
	_exit(0);
}

/*
 * Read the holder's next word on the sync pipe: the byte want, or an error
 * message (or nothing, when it died).
 */
static int
expect(struct jail_nsh *h, char want, struct jail_error *err)
{
	char msg[JAIL_ERRMAX];
	ssize_t n, m;

	while ((n = read(h->efd, msg, 1)) == -1 && errno == EINTR)
		;
	if (n == 1 && msg[0] == want)
		return 0;
	if (n == 1) {
		while ((m = read(h->efd, msg + 1, sizeof(msg) - 2)) == -1 &&
		    errno == EINTR)
			;
		msg[1 + (m > 0 ? m : 0)] = '\0';
	} else
		strlcpy(msg, "the holder died while setting up", sizeof(msg));
	jail_ns_abort(h);
	return jail_seterr(err, 0, "%s", msg);
}

/*
 * Start the holder, in three steps that follow FreeBSD's order.
 * jail_ns_start(): new namespaces and the mounts (the holder says 'M');
 * jail_ns_create(): after exec.prestart, pivot_root, host name, loopback
 * ('R'); jail_ns_go(): the caller has recorded the holder, which now runs.
 * A caller that dies before the go closes the go pipe, and the holder,
 * seeing no 'g', exits: no holder ever runs unrecorded.  Until released
 * (jail_ns_release()) the holder also dies with its caller.  On failure
 * nothing is left running.
 */
int
jail_ns_start(const struct jail_nsopts *o, struct jail_nsh *h,
    struct jail_error *err)
{
	int efd[2], go[2], pidfd = -1, devnull, hfd = holder_memfd(), hfd2, lfd;
	int rootfd;
	char mode[2], tmo[24], *hargv[4], *henv[1] = { NULL };
	uint64_t flags;
	sigset_t hset;
	ssize_t n;
	char c;

	memset(h, 0, sizeof(*h));
	h->efd = h->gofd = -1;
	if (pipe2(efd, O_CLOEXEC) == -1)
		return jail_seterr(err, errno, "pipe");
	if (pipe2(go, O_CLOEXEC) == -1) {
		close(efd[0]);
		close(efd[1]);
		return jail_seterr(err, errno, "pipe");
	}
	/*
	 * In its cgroups, the holder takes a cgroup namespace of its own
	 * once it is in them (before pivot_root): the jail sees its cgroup
	 * as the root.
	 */
	flags = NS_FLAGS;
	if (o->maps != NULL)
		flags |= CLONE_NEWUSER;
	if (!o->newnet)
		flags &= ~(uint64_t)CLONE_NEWNET;
	if (o->cgns)
		flags &= ~(uint64_t)CLONE_NEWCGROUP;
	h->pid = clone3_pidfd(flags, &pidfd, o->cgfd);
	if (h->pid == -1) {
		jail_seterr(err, errno, "create namespaces");
		close(efd[0]);
		close(efd[1]);
		close(go[0]);
		close(go[1]);
		return -1;
	}
	if (h->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		holder_signals(&hset); /* before anyone can signal it */
		close(efd[0]);
		close(go[1]);
		if (join_self(o->cgt, o->ncgt) == -1)
			child_fail(efd[1], "cgroup", errno);
		/*
		 * nothing of the caller's but the two pipes and the holder
		 * program: no lock, no other fd
		 */
		hfd2 = hfd != -1 ? fcntl(hfd, F_DUPFD_CLOEXEC, 10) : -1;
		lfd = o->lowerfd >= 0 ? fcntl(o->lowerfd, F_DUPFD_CLOEXEC, 10)
		                      : -1;
		if (dup3(efd[1], 3, O_CLOEXEC) == -1 ||
		    dup3(go[0], 4, O_CLOEXEC) == -1 ||
		    (hfd2 != -1 && dup3(hfd2, 5, O_CLOEXEC) == -1) ||
		    (lfd != -1 && dup3(lfd, 6, O_CLOEXEC) == -1))
			_exit(125);
		syscall(SYS_close_range,
		    lfd != -1        ? 7
		        : hfd2 != -1 ? 6
		                     : 5,
		    ~0U, 0);
		if (hfd2 == -1 && lfd != -1)
			close(5);
		/*
		 * A bind of path before the maps (see root_mount()); an
		 * overlay only as root of the user namespace: overlayfs
		 * refuses a mounter whose ids are not mapped yet.
		 */
		rootfd =
		    o->maps == NULL || o->lower == NULL ? root_mount(o, 3) : -1;
		/*
		 * In a user namespace of its own: the maps come from our
		 * side ('u'), then it is root there.
		 */
		if (o->maps != NULL) {
			while ((n = read(4, &c, 1)) == -1 && errno == EINTR)
				;
			if (n != 1 || c != 'u')
				_exit(125);
			if (setresgid(0, 0, 0) == -1 ||
			    setgroups(0, NULL) == -1 ||
			    setresuid(0, 0, 0) == -1)
				child_fail(3, "user namespace: become root",
				    errno);
			/*
			 * the new ids cleared the parent-death signal: again
			 * (a caller dead meanwhile shows as EOF on fd 4)
			 */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		}
		setsid();
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			if (devnull > 4)
				close(devnull);
		}
		if (rootfd == -1)
			rootfd = root_mount(o, 3);
		build_root(o, 3, 4, rootfd);
		if (hfd2 != -1) {
			/* confined, then the small holder says 'R' itself */
			if (holder_confine_small(o) == -1)
				child_fail(3, "confine the holder", errno);
			mode[0] = o->persist ? 'p' : 'r';
			mode[1] = '\0';
			snprintf(tmo, sizeof(tmo), "%d", o->stop_timeout);
			hargv[0] = "jail-holder";
			hargv[1] = mode;
			hargv[2] = tmo;
			hargv[3] = NULL;
			/* the pipes stay open across exec; fd 5 need not */
			if (fcntl(3, F_SETFD, 0) == -1 ||
			    fcntl(4, F_SETFD, 0) == -1)
				child_fail(3, "exec the holder", errno);
			syscall(SYS_execveat, 5, "", hargv, henv,
			    AT_EMPTY_PATH);
			child_fail(3, "exec the holder", errno);
		}
		if (write(3, "R", 1) != 1)
			_exit(125);
		/* fd 3 stays open: release is acknowledged on it */
		while ((n = read(4, &c, 1)) == -1 && errno == EINTR)
			;
		if (n != 1 || c != 'g')
			_exit(125); /* the caller died before recording us */
		close(4);
		holder(o, &hset);
	}
	close(efd[1]);
	close(go[0]);
	close(pidfd);
	h->efd = efd[0];
	h->gofd = go[1];
	h->start = jail_proc_starttime(h->pid);
	if (o->maps != NULL &&
	    (jail_userns_write_maps(h->pid, o->maps, err) == -1 ||
	        write(h->gofd, "u", 1) != 1)) {
		jail_preerr(err, "user namespace");
		jail_ns_abort(h);
		return -1;
	}
	return expect(h, 'M', err);
}

int
jail_ns_create(struct jail_nsh *h, struct jail_error *err)
{
	if (write(h->gofd, "c", 1) != 1) {
		jail_seterr(err, errno, "holder");
		jail_ns_abort(h);
		return -1;
	}
	return expect(h, 'R', err);
}

/* The holder is recorded: let it run. */
void
jail_ns_go(struct jail_nsh *h)
{
	(void)!write(h->gofd, "g", 1);
	close(h->gofd);
	h->gofd = -1;
}

/* Before the go: the holder, seeing its go pipe close, exits. */
void
jail_ns_abort(struct jail_nsh *h)
{
	if (h->gofd != -1)
		close(h->gofd);
	if (h->efd != -1)
		close(h->efd);
	h->gofd = h->efd = -1;
	if (h->pid > 0)
		waitpid(h->pid, NULL, 0);
	h->pid = 0;
}

/*
 * Start is over: the holder stops dying with jailctl and, without
 * persist, ends with its last process.  Waits for the holder to say so,
 * or jailctl's exit could kill it still.
 */
int
jail_ns_release(struct jail_nsh *h, struct jail_error *err)
{
	ssize_t n;
	char c;

	if (jail_ns_signal(h->pid, h->start, SIGUSR1, err) == -1)
		return -1;
	while ((n = read(h->efd, &c, 1)) == -1 && errno == EINTR)
		;
	close(h->efd);
	h->efd = -1;
	if (n != 1 || c != 'A')
		return jail_seterr(err, 0, "the holder died");
	return 0;
}

/* A pidfd of the holder, checked against the recorded start time. */
int
jail_ns_pidfd(pid_t pid, uint64_t start, struct jail_error *err)
{
	int fd;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return jail_seterr(err, errno, "holder %d", (int)pid);
	if (jail_proc_starttime(pid) != start) {
		close(fd);
		return jail_seterr(err, ESRCH, "holder %d", (int)pid);
	}
	return fd;
}

int
jail_ns_signal(pid_t pid, uint64_t start, int sig, struct jail_error *err)
{
	int fd, rc;

	if ((fd = jail_ns_pidfd(pid, start, err)) == -1)
		return -1;
	rc = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	if (rc == -1)
		jail_seterr(err, errno, "signal holder %d", (int)pid);
	close(fd);
	return rc;
}

/*
 * Stop the jail: SIGTERM to the holder, which passes it on and waits up to
 * the stop timeout; after that (and a grace second) SIGKILL.  Returns when
 * the holder is gone, and with it every process of the jail.
 */
int
jail_ns_stop(pid_t pid, uint64_t start, int timeout, struct jail_error *err)
{
	struct pollfd pfd;
	int fd, rc;

	if ((fd = jail_ns_pidfd(pid, start, err)) == -1)
		return err->code == ESRCH || err->code == ENOENT ? 0 : -1;
	syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (
	    (rc = poll(&pfd, 1, (timeout + 1) * 1000)) == -1 && errno == EINTR)
		;
	if (rc == 0) {
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
		while (poll(&pfd, 1, 5000) == -1 && errno == EINTR)
			;
	}
	/* reap it if it is our child (start and stop in one process) */
	waitpid(pid, NULL, WNOHANG);
	close(fd);
	return 0;
}

static int
wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 125;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 125;
}

/* Wait for child pid to end, up to sec seconds; -1 when it did not. */
static int
wait_timeout(pid_t pid, int sec)
{
	struct pollfd pfd;
	int fd, rc;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return 0; /* cannot bound it: wait as usual */
	pfd.fd = fd;
	pfd.events = POLLIN;
	while ((rc = poll(&pfd, 1, sec * 1000)) == -1 && errno == EINTR)
		;
	close(fd);
	return rc == 0 ? -1 : 0;
}

static pid_t fwd_pid;

static void
forward(int sig)
{
	if (fwd_pid > 0)
		kill(fwd_pid, sig);
}

static void
forward_signals(pid_t pid)
{
	struct sigaction sa;

	fwd_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* The environment of a command in the jail: clean, then -e. */
static char **
exec_env(const struct jail_execopts *x, const struct jail_user *u)
{
	static char path[64], home[1040], user[270], shell[1040], term[80];
	char **envp;
	size_t n = 0, i;

	for (i = 0; x->env != NULL && x->env[i] != NULL; i++)
		;
	if ((envp = calloc(i + 8, sizeof(*envp))) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "PATH=%s",
	    u->uid == 0    ? "/bin:/usr/bin:/sbin:/usr/sbin:/usr/local/bin"
	        : x->login ? "/bin:/usr/bin"
	                   : "/bin:/usr/bin:/usr/local/bin");
	snprintf(home, sizeof(home), "HOME=%s", u->home);
	snprintf(user, sizeof(user), "USER=%s", u->name);
	snprintf(shell, sizeof(shell), "SHELL=%s", u->shell);
	envp[n++] = path;
	envp[n++] = home;
	envp[n++] = user;
	envp[n++] = shell;
	if (x->term != NULL) {
		snprintf(term, sizeof(term), "TERM=%s", x->term);
		envp[n++] = term;
	}
	for (i = 0; x->env != NULL && x->env[i] != NULL; i++)
		envp[n++] = x->env[i];
	envp[n] = NULL;
	return envp;
}

/*
 * Does exec through a descriptor name the process after the file (Linux
 * 6.14 and later), not after the descriptor's number ("3")?
 */
static int
fd_names_process(void)
{
	static int known = -1;
	struct utsname u;
	int maj = 0, min = 0;

	if (known == -1)
		known = uname(&u) == 0 &&
		    sscanf(u.release, "%d.%d", &maj, &min) == 2 &&
		    (maj > 6 || (maj == 6 && min >= 14));
	return known;
}

/*
 * The last exec goes through the small program in a sealed memfd (see
 * libjail/holder/holder.c): a script whose interpreter is /proc/self/exe
 * must find that there, not jailctl's binary on the host.  The command is
 * looked up in PATH here, as execvp(3) would.
 */
static void
exec_stub(int sfd, char *const *argv, const struct jail_user *u, int login)
{
	char path[PATH_MAX], arg0[1040], **v, *shellv[2], magic[4];
	const char *p, *end, *base, *search;
	struct stat sb;
	size_t n, len;
	int fd;

	if (argv == NULL) { /* the user's shell; "-sh" for a login one */
		base = strrchr(u->shell, '/');
		snprintf(arg0, sizeof(arg0), "%s%s", login ? "-" : "",
		    base != NULL ? base + 1 : u->shell);
		shellv[0] = arg0;
		shellv[1] = NULL;
		argv = shellv;
		strlcpy(path, u->shell, sizeof(path));
	} else if (strchr(argv[0], '/') != NULL || *argv[0] == '\0') {
		if (strlcpy(path, argv[0], sizeof(path)) >= sizeof(path))
			return; /* the plain exec says ENAMETOOLONG */
	} else {
		search = getenv("PATH");
		path[0] = '\0';
		for (p = search != NULL ? search : "/bin:/usr/bin"; *p != '\0';
		     p = *end ? end + 1 : end) {
			end = strchrnul(p, ':');
			len = (size_t)(end - p);
			if ((size_t)snprintf(path, sizeof(path), "%.*s/%s",
			        (int)len, len ? p : ".",
			        argv[0]) >= sizeof(path))
				continue;
			if (access(path, X_OK) == 0 && stat(path, &sb) == 0 &&
			    S_ISREG(sb.st_mode))
				break;
			path[0] = '\0';
		}
		if (path[0] == '\0') {
			dprintf(2, "jailctl: %s: not found\n", argv[0]);
			_exit(127);
		}
	}
	/*
	 * An ELF binary cannot name /proc/self/exe as its interpreter in a
	 * way that leaves the host's file as the process's executable: exec
	 * it straight, through the very file checked.  A script, a file we
	 * cannot read, or a symlink (through a descriptor the process would
	 * take the name of the link's target: busybox for every applet) goes
	 * through the small program.
	 */
	if (fd_names_process() && lstat(path, &sb) == 0 &&
	    S_ISREG(sb.st_mode) &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) !=
	        -1) {
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    pread(fd, magic, 4, 0) == 4 &&
		    memcmp(magic, "\177ELF", 4) == 0)
			syscall(SYS_execveat, fd, "", argv, environ,
			    AT_EMPTY_PATH);
		close(fd);
	}
	for (n = 0; argv[n] != NULL; n++)
		;
	if ((v = calloc(n + 3, sizeof(*v))) == NULL)
		return;
	v[0] = "jail-exec";
	v[1] = path;
	memcpy(v + 2, argv, (n + 1) * sizeof(*v));
	syscall(SYS_execveat, sfd, "", v, environ, AT_EMPTY_PATH);
	free(v); /* no stub after all: the plain exec below */
}

/*
 * The final child, in the jail's PID namespace: become the user, go to
 * the directory, keep fds 0-2 only, exec.  Failures before the exec go to
 * efd (125); a command that cannot run exits 126 or 127.
 */
static void __attribute__((noreturn))
exec_final(const struct jail_execopts *x, int efd)
{
	const struct jail_confine *c;
	struct jail_error je;
	struct jail_user u;
	char *shellv[2], arg0[1040], *const *argv;
	const char *dir, *base;
	sigset_t none;
	int e, sfd;

	if (x->user == NULL && !x->login && x->argv != NULL) {
		/* root running a command: nothing to look up */
		memset(&u, 0, sizeof(u));
		strlcpy(u.name, "root", sizeof(u.name));
		strlcpy(u.home, "/root", sizeof(u.home));
		strlcpy(u.shell, "/bin/sh", sizeof(u.shell));
	} else if (jail_user_lookup(x->user != NULL ? x->user : "0", &u, &je) ==
	    -1)
		child_err(efd, "user", &je);
	/* what jailctl (or its caller) ignored or blocked is not the jail's */
	for (e = 1; e < NSIG; e++)
		if (e != SIGKILL && e != SIGSTOP)
			signal(e, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (x->rl != NULL && jail_rlimits_apply(x->rl, &base) == -1)
		child_fail(efd, base, errno);
	c = x->confine;
	/*
	 * The filter first, while root may still load it without
	 * no_new_privs (allow.setuid), then the bounding set, the user,
	 * the capabilities kept, no_new_privs.
	 */
	if (c != NULL && c->bpf != NULL) {
		struct sock_fprog prog = { c->bpflen, c->bpf };

		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
			child_fail(efd, "seccomp", errno);
	} else if (c != NULL &&
	    jail_seccomp_load(c->seccomp, c->sc, c->seccomp_file, &je) == -1)
		child_err(efd, "seccomp", &je);
	if (c != NULL && jail_caps_bound(c->caps) == -1)
		child_fail(efd, "capability bounding set", errno);
	if (setgroups((size_t)u.ngroups, u.groups) == -1 ||
	    setresgid(u.gid, u.gid, u.gid) == -1 ||
	    setresuid(u.uid, u.uid, u.uid) == -1)
		child_fail(efd, "become the user", errno);
	if (c != NULL && jail_caps_set(c->caps) == -1)
		child_fail(efd, "capabilities", errno);
	if (c != NULL && c->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		child_fail(efd, "no_new_privs", errno);
	dir = x->dir != NULL ? x->dir : x->login ? u.home : "/";
	if (chdir(dir) == -1)
		child_fail(efd, dir, errno);
	if (x->ptyfd >= 0) {
		/* a session of its own, on the pty as its terminal */
		if (setsid() == -1 || ioctl(x->ptyfd, TIOCSCTTY, 0) == -1 ||
		    dup2(x->ptyfd, 0) == -1 || dup2(x->ptyfd, 1) == -1 ||
		    dup2(x->ptyfd, 2) == -1)
			child_fail(efd, "pty", errno);
	} else if (x->setsid)
		setsid();
	if (x->outfd > 0 &&
	    (dup2(x->outfd, 1) == -1 || dup2(x->outfd, 2) == -1))
		child_fail(efd, "exec.consolelog", errno);
	/* the small program that makes the last exec, at efd + 1 */
	sfd = x->stubfd >= 0 ? dup3(x->stubfd, efd + 1, O_CLOEXEC) : -1;
	if (efd > 3)
		syscall(SYS_close_range, 3, efd - 1, 0);
	syscall(SYS_close_range, sfd != -1 ? efd + 2 : efd + 1, ~0U, 0);
	if ((environ = exec_env(x, &u)) == NULL)
		child_fail(efd, "environment", ENOMEM);
	argv = x->argv;
	if (sfd != -1)
		exec_stub(sfd, argv != NULL ? argv : NULL, &u, x->login);
	if (argv == NULL) { /* the user's shell; "-sh" for a login one */
		base = strrchr(u.shell, '/');
		snprintf(arg0, sizeof(arg0), "%s%s", x->login ? "-" : "",
		    base != NULL ? base + 1 : u.shell);
		shellv[0] = arg0;
		shellv[1] = NULL;
		execv(u.shell, shellv);
		e = errno;
		base = u.shell;
	} else {
		execvp(argv[0], argv);
		e = errno;
		base = argv[0];
	}
	dprintf(2, "jailctl: %s: %s\n", base,
	    e == ENOENT ? "not found" : strerror(e));
	_exit(e == ENOENT || e == ENOTDIR ? 127 : 126);
}

/*
 * The command's process, in the jail's other namespaces already: into the
 * jail's cgroups (v1 by itself; v2 it was born there), then its cgroup
 * namespace (from inside it our own cgroup could not be left), then exec.
 */
static void exec_joined(const struct jail_execopts *, int, int, const int *,
    int, int) __attribute__((noreturn));

static void
exec_joined(const struct jail_execopts *x, int pidfd, int nsf, const int *cgt,
    int ncgt, int efd)
{
	if (join_self(cgt, ncgt) == -1)
		child_fail(efd, "cgroup", errno);
	if ((nsf & CLONE_NEWCGROUP) && setns(pidfd, CLONE_NEWCGROUP) == -1)
		child_fail(efd, "enter namespaces", errno);
	close(pidfd);
	exec_final(x, efd);
}

/*
 * A pty from the jail's own devpts instance, opened after joining its
 * mount namespace: the master for us, the slave for the command.
 */
static int
pty_open(int *slave)
{
	int m, unlock = 0;

	if ((m = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (ioctl(m, TIOCSPTLCK, &unlock) == -1 ||
	    (*slave = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) ==
	        -1) {
		close(m);
		return -1;
	}
	return m;
}

static volatile sig_atomic_t winch;

static void
on_winch(int sig)
{
	winch = 1;
}

static int
write_all(int fd, const char *b, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, b, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy between our terminal (or whatever stdin and stdout are) and the
 * pty until the command is gone, with our terminal raw meanwhile so that
 * ^C and friends reach the jail's line discipline.  Returns the command's
 * status.
 */
static int
pty_relay(int mfd, pid_t child)
{
	struct termios saved, raw;
	struct sigaction sa;
	struct winsize ws;
	struct pollfd p[2];
	char buf[16384];
	int tty, in = 1, st, done = 0;
	ssize_t r;

	tty = isatty(0) && tcgetattr(0, &saved) == 0;
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSAFLUSH, &raw);
	}
	winch = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	while (!done) {
		if (winch) {
			winch = 0;
			if (ioctl(0, TIOCGWINSZ, &ws) == 0)
				ioctl(mfd, TIOCSWINSZ, &ws);
		}
		p[0].fd = in ? 0 : -1;
		p[0].events = POLLIN;
		p[1].fd = mfd;
		p[1].events = POLLIN;
		if (poll(p, 2, 100) == -1 && errno != EINTR)
			break;
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = read(mfd, buf, sizeof(buf))) <= 0) {
				if (r == -1 && errno == EINTR)
					continue;
				break; /* EIO: every holder of the slave is gone
				        */
			}
			write_all(1, buf, (size_t)r);
		}
		if (in && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if ((r = read(0, buf, sizeof(buf))) <= 0) {
				in = 0;
				if (!tty)
					write_all(mfd, "\004", 1); /* EOF */
			} else
				write_all(mfd, buf, (size_t)r);
		}
		/* the command ended: drain what it wrote, then stop */
		if (waitpid(child, &st, WNOHANG) == child) {
			while ((r = read(mfd, buf, sizeof(buf))) > 0 ||
			    (r == -1 && errno == EINTR))
				if (r > 0)
					write_all(1, buf, (size_t)r);
			done = 1;
		}
	}
	if (tty)
		tcsetattr(0, TCSAFLUSH, &saved);
	if (!done && waitpid(child, &st, 0) == -1)
		return 125;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
}

/*
 * Run a command inside the running jail whose holder is pid.  The relay
 * child joins every namespace but the PID one's members; only the final
 * child, forked there, is in the jail's PID namespace, and it runs no
 * jailctl code after its exec.  *status is the command's exit status as
 * DESIGN.md gives it (126, 127, 128+N); -1 and err when jailctl failed
 * before the command ran.
 */
int
jail_ns_exec(pid_t pid, uint64_t start, const struct jail_execopts *x,
    int *status, struct jail_error *err)
{
	struct jail_execopts xo = *x;
	char msg[JAIL_ERRMAX];
	int efd[2], pidfd, rc, mfd = -1, pty = x->pty, cgt[JAIL_CG_MAXH];
	int ncgt = 0, cgfd = -1, i;
	int nsf = NS_FLAGS | (x->userns ? CLONE_NEWUSER : 0);
	ssize_t n;
	pid_t c1, c2;

	xo.ptyfd = -1;
	xo.stubfd = jail_ns_small_holder() ? holder_memfd() : -1;
	/*
	 * The jail's cgroups: v1 ones joined by the process itself through
	 * `tasks` (cgroup.procs would wait for an RCU grace period each
	 * time), v2 by being born there (CLONE_INTO_CGROUP).
	 */
	if (x->cg != NULL) {
		if ((ncgt = jail_cg_selffds(x->cg, cgt, JAIL_CG_MAXH, err)) ==
		    -1)
			return jail_preerr(err, "cgroup");
		cgfd = jail_cg_v2fd(x->cg);
	}
	if ((pidfd = jail_ns_pidfd(pid, start, err)) == -1) {
		for (i = 0; i < ncgt; i++)
			close(cgt[i]);
		return -1;
	}
	if (pipe2(efd, O_CLOEXEC) == -1) {
		for (i = 0; i < ncgt; i++)
			close(cgt[i]);
		close(pidfd);
		return jail_seterr(err, errno, "pipe");
	}
	fflush(NULL);
	if (x->direct) {
		/*
		 * Nothing follows on the host: join the namespaces here and
		 * fork once, as nsenter does.  Only the child is in the PID
		 * namespace (setns of a PID namespace affects children), and
		 * only the child in the jail's cgroups (jailctl waiting is
		 * not one of the jail's processes: pids.max counts the
		 * command's own).  The child joins the cgroup namespace once
		 * in the cgroups: from inside the namespace our own cgroup
		 * could not be left.
		 */
		prctl(PR_SET_DUMPABLE, 0);
		if (setns(pidfd, nsf & ~CLONE_NEWCGROUP) == -1) {
			jail_seterr(err, errno, "enter namespaces");
			goto fail;
		}
		if (pty && (mfd = pty_open(&xo.ptyfd)) == -1) {
			jail_seterr(err, errno, "pty");
			goto fail;
		}
		c1 = clone_into(cgfd);
		if (c1 == -1) {
			jail_seterr(err, errno, "fork");
			goto fail;
		}
		if (c1 == 0) {
			close(efd[0]);
			exec_joined(&xo, pidfd, nsf, cgt, ncgt, efd[1]);
		}
		while (ncgt > 0)
			close(cgt[--ncgt]);
		if (pty) {
			close(xo.ptyfd);
			close(efd[1]);
			close(pidfd);
			forward_signals(c1);
			rc = pty_relay(mfd, c1);
			close(mfd);
			fwd_pid = 0;
			while ((n = read(efd[0], msg, sizeof(msg) - 1)) == -1 &&
			    errno == EINTR)
				;
			close(efd[0]);
			if (n > 0) {
				msg[n] = '\0';
				return jail_seterr(err, 0, "%s", msg);
			}
			*status = rc;
			return 0;
		}
	} else if ((c1 = fork()) == -1) {
		jail_seterr(err, errno, "fork");
		goto fail;
	}
	if (c1 == 0) {
		/*
		 * c1 waits in the jail's namespaces but not in its cgroups:
		 * c2, the command, is the jail's process (born in the v2
		 * cgroup, moving itself into the v1 ones), then joins the
		 * cgroup namespace, as above.
		 */
		close(efd[0]);
		prctl(PR_SET_DUMPABLE, 0); /* nothing may ptrace or peek in */
		if (setns(pidfd, nsf & ~CLONE_NEWCGROUP) == -1)
			child_fail(efd[1], "enter namespaces", errno);
		if (pty && (mfd = pty_open(&xo.ptyfd)) == -1)
			child_fail(efd[1], "pty", errno);
		if ((c2 = clone_into(cgfd)) == -1)
			child_fail(efd[1], "fork", errno);
		if (c2 == 0)
			exec_joined(&xo, pidfd, nsf, cgt, ncgt, efd[1]);
		close(pidfd);
		while (ncgt > 0)
			close(cgt[--ncgt]);
		forward_signals(c2);
		if (pty) {
			close(xo.ptyfd);
			rc = pty_relay(mfd, c2);
			close(efd[1]);
			_exit(rc);
		}
		if (x->timeout > 0 && wait_timeout(c2, x->timeout) == -1) {
			kill(c2, SIGKILL);
			waitpid(c2, NULL, 0);
			dprintf(efd[1], "timed out after %d s", x->timeout);
			_exit(125);
		}
		close(efd[1]);
		_exit(wait_status(c2));
	}
	while (ncgt > 0)
		close(cgt[--ncgt]);
	close(efd[1]);
	close(pidfd);
	forward_signals(c1);
	while ((n = read(efd[0], msg, sizeof(msg) - 1)) == -1 && errno == EINTR)
		;
	close(efd[0]);
	rc = wait_status(c1);
	fwd_pid = 0;
	if (n > 0) {
		msg[n] = '\0';
		return jail_seterr(err, 0, "%s", msg);
	}
	*status = rc;
	return 0;
fail:
	while (ncgt > 0)
		close(cgt[--ncgt]);
	close(efd[0]);
	close(efd[1]);
	close(pidfd);
	return -1;
}
