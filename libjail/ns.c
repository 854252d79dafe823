/*
 * ns: namespaces and the jail's first process.  jail_ns_start() clones the
 * holder into new mount, UTS, IPC, PID, network and cgroup namespaces; the
 * holder builds the jail's root (proc, a minimal /dev, pivot_root), then
 * stays as PID 1: it reaps orphans and keeps a persistent jail alive.  On
 * SIGTERM it passes SIGTERM to every process of the jail, waits for them up
 * to the stop timeout, and exits; the kernel kills what is left when a PID
 * namespace loses its PID 1.  jail_ns_exec() enters a running jail through
 * a pidfd of the holder.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jailp.h"

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

static pid_t
clone3_pidfd(uint64_t flags, int *pidfd)
{
	struct clone_args ca;

	memset(&ca, 0, sizeof(ca));
	ca.flags = flags | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	ca.exit_signal = SIGCHLD;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

static int
bind_dev(const char *root, const char *name)
{
	char src[64], dst[PATH_MAX];
	int fd;

	snprintf(src, sizeof(src), "/dev/%s", name);
	snprintf(dst, sizeof(dst), "%s/dev/%s", root, name);
	if ((fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) == -1)
		return -1;
	close(fd);
	return mount(src, dst, NULL, MS_BIND, NULL);
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

/*
 * In the holder, before pivot_root: the root tree as the jail will see it.
 * Mount targets are only ever the jail's own /proc and /dev, which must be
 * real directories (not symlinks that could lead out of the tree).
 */
static void
build_root(const struct jail_nsopts *o, int efd)
{
	static const char *const devs[] = { "null", "zero", "full", "random",
		"urandom", "tty", NULL };
	char p[PATH_MAX];
	struct stat sb;
	int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		child_fail(efd, "make mounts private", errno);
	if (mount(o->root, o->root, NULL, MS_BIND | MS_REC, NULL) == -1)
		child_fail(efd, "bind root", errno);
	if (o->procfs) {
		snprintf(p, sizeof(p), "%s/proc", o->root);
		if (lstat(p, &sb) == -1 || !S_ISDIR(sb.st_mode))
			child_fail(efd,
			    "mount.procfs: /proc is not a directory", ENOTDIR);
		if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		        NULL) == -1)
			child_fail(efd, "mount.procfs", errno);
	}
	if (o->devfs) {
		snprintf(p, sizeof(p), "%s/dev", o->root);
		if (lstat(p, &sb) == -1 || !S_ISDIR(sb.st_mode))
			child_fail(efd, "mount.devfs: /dev is not a directory",
			    ENOTDIR);
		if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC,
		        "mode=0755,size=1m,nr_inodes=64") == -1)
			child_fail(efd, "mount.devfs", errno);
		for (i = 0; devs[i] != NULL; i++)
			if (bind_dev(o->root, devs[i]) == -1)
				child_fail(efd, "mount.devfs: device", errno);
		snprintf(p, sizeof(p), "%s/dev/pts", o->root);
		if (mkdir(p, 0755) == -1 ||
		    mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
		        "newinstance,ptmxmode=0666,mode=0620") == -1)
			child_fail(efd, "mount.devfs: devpts", errno);
		snprintf(p, sizeof(p), "%s/dev/ptmx", o->root);
		if (symlink("pts/ptmx", p) == -1)
			child_fail(efd, "mount.devfs: ptmx", errno);
		snprintf(p, sizeof(p), "%s/dev/shm", o->root);
		if (mkdir(p, 01777) == -1 ||
		    mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV,
		        "mode=1777,size=64m") == -1)
			child_fail(efd, "mount.devfs: shm", errno);
	}
	if (o->tmp) {
		snprintf(p, sizeof(p), "%s/tmp", o->root);
		if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV,
		        "mode=1777,size=256m") == -1)
			child_fail(efd, "mount.tmp", errno);
	}
	if (chdir(o->root) == -1)
		child_fail(efd, "chdir to path", errno);
	if (syscall(SYS_pivot_root, ".", ".") == -1)
		child_fail(efd, "pivot_root", errno);
	if (umount2(".", MNT_DETACH) == -1)
		child_fail(efd, "detach the old root", errno);
	if (chdir("/") == -1)
		child_fail(efd, "chdir /", errno);
	if (o->hostname != NULL &&
	    sethostname(o->hostname, strlen(o->hostname)) == -1)
		child_fail(efd, "host.hostname", errno);
	if (o->newnet && lo_up() == -1)
		child_fail(efd, "loopback up", errno);
}

static volatile sig_atomic_t stopping, released;

static void
on_term(int sig)
{
	stopping = 1;
}

static void
on_release(int sig)
{
	released = 1; /* start is over: without persist, end with the last */
}

static void
on_chld(int sig)
{
}

/*
 * PID 1 of the jail.  Reaps every orphan; without persist it ends with its
 * last child, with persist only on SIGTERM.
 */
static void __attribute__((noreturn)) holder(const struct jail_nsopts *o)
{
	struct sigaction sa;
	struct timespec t0, now;
	int status, persist = o->persist;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_release;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	prctl(PR_SET_NAME, "jail-holder");
	for (;;) {
		if (stopping)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid == -1 && errno == ECHILD) {
			if (!persist && released)
				_exit(0);
			pause();
		}
	}
	/* stop: SIGTERM to all, wait up to the timeout, then let go */
	kill(-1, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			;
		if (pid == -1 && errno == ECHILD)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= o->stop_timeout)
			break;
		usleep(20000);
	}
	_exit(0);
}

/*
 * Start the holder.  On success *pidp, *startp describe it; on failure the
 * error names the step that failed inside, and nothing is left running.
 */
int
jail_ns_start(const struct jail_nsopts *o, pid_t *pidp, uint64_t *startp,
    struct jail_error *err)
{
	char msg[JAIL_ERRMAX];
	int efd[2], pidfd = -1, status, devnull;
	ssize_t n;
	pid_t pid;

	if (pipe2(efd, O_CLOEXEC) == -1)
		return jail_seterr(err, errno, "pipe");
	pid = clone3_pidfd(NS_FLAGS, &pidfd);
	if (pid == -1) {
		jail_seterr(err, errno, "create namespaces");
		close(efd[0]);
		close(efd[1]);
		return -1;
	}
	if (pid == 0) {
		/* nothing of the caller's but the sync pipe: no lock, no fd */
		if (efd[1] > 3)
			syscall(SYS_close_range, 3, efd[1] - 1, 0);
		syscall(SYS_close_range, efd[1] + 1, ~0U, 0);
		setsid();
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			if (devnull > 2)
				close(devnull);
		}
		build_root(o, efd[1]);
		close(efd[1]); /* EOF: ready */
		holder(o);
	}
	close(efd[1]);
	while ((n = read(efd[0], msg, sizeof(msg) - 1)) == -1 && errno == EINTR)
		;
	close(efd[0]);
	if (n > 0) {
		msg[n] = '\0';
		waitpid(pid, &status, 0);
		close(pidfd);
		return jail_seterr(err, 0, "%s", msg);
	}
	*pidp = pid;
	*startp = jail_proc_starttime(pid);
	close(pidfd);
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

/*
 * Run x->argv inside the running jail whose holder is pid.  *status is the
 * command's exit status as DESIGN.md gives it (126, 127, 128+N); -1 and err
 * when jailctl failed before the command ran.
 */
int
jail_ns_exec(pid_t pid, uint64_t start, const struct jail_execopts *x,
    int *status, struct jail_error *err)
{
	char msg[JAIL_ERRMAX];
	int efd[2], pidfd, rc;
	ssize_t n;
	pid_t c1, c2;

	if ((pidfd = jail_ns_pidfd(pid, start, err)) == -1)
		return -1;
	if (pipe2(efd, O_CLOEXEC) == -1) {
		close(pidfd);
		return jail_seterr(err, errno, "pipe");
	}
	if ((c1 = fork()) == -1) {
		jail_seterr(err, errno, "fork");
		goto fail;
	}
	if (c1 == 0) {
		close(efd[0]);
		if (setns(pidfd, NS_FLAGS) == -1)
			child_fail(efd[1], "enter namespaces", errno);
		close(pidfd);
		if (chdir(x->dir != NULL ? x->dir : "/") == -1)
			child_fail(efd[1], x->dir != NULL ? x->dir : "/",
			    errno);
		if ((c2 = fork()) == -1)
			child_fail(efd[1], "fork", errno);
		if (c2 == 0) {
			if (x->setsid)
				setsid();
			environ = x->envp;
			execvp(x->argv[0], x->argv);
			rc = errno;
			/* the command: not found or not executable */
			_exit(rc == ENOENT || rc == ENOTDIR ? 127 : 126);
		}
		close(efd[1]);
		forward_signals(c2);
		_exit(wait_status(c2));
	}
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
	close(efd[0]);
	close(efd[1]);
	close(pidfd);
	return -1;
}
