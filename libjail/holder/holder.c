/*
 * The holder: PID 1 of a jail, as a tiny freestanding program.  libjail
 * keeps it in a sealed memfd and the holder process execs it once the
 * jail is set up, so that an idle jail costs a few pages instead of a
 * copy of its creator's address space, and so that the jail's PID 1 runs
 * no executable of the host's.
 *
 * Invoked as "jail-holder MODE TIMEOUT" (MODE p: persist, r: ends with
 * its last process once released), fd 3 the creator's sync pipe, fd 4 the
 * creator's go pipe, its signals (TERM INT HUP USR1 CHLD) blocked since
 * before exec, already confined (seccomp, capabilities, no_new_privs).
 * The protocol is the one of libjail/ns.c: "R" on fd 3 (set up), wait
 * for "g" on fd 4 (recorded), SIGUSR1 = released ("A" on fd 3), SIGTERM
 * ends the jail: SIGTERM to all, wait up to TIMEOUT seconds, exit.
 *
 * Invoked as "jail-exec PATH ARGV0 ARG...", it is the last step of every
 * process entering a jail (already confined, in the jail): it execs PATH.
 * A script whose interpreter is /proc/self/exe then finds this sealed
 * memfd there, not a binary of the host's that the jail could open and
 * overwrite (the runc CVE-2019-5736 class).  A file the kernel cannot run
 * (ENOEXEC) goes to /bin/sh, as execvp(3) does; failure exits 126 or 127
 * with a message on stderr.
 *
 * No libc: raw system calls, no allocation, nothing but the stack.
 */
#include <linux/prctl.h>
#include <linux/signal.h>
#include <linux/wait.h>
#include <asm/unistd.h>

#define SIGBIT(s) (1UL << ((s)-1))
#define ENOENT    2
#define EINTR     4
#define ENOEXEC   8
#define ECHILD    10
#define EAGAIN    11
#define EACCES    13
#define ENOTDIR   20

struct kts {
	long sec, nsec;
};

#if defined(__x86_64__)
static long
sc(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
	                 : "rcx", "r11", "memory");
	return r;
}
__asm__(".text\n.globl _start\n_start:\n\tmov %rsp, %rdi\n"
        "\tand $-16, %rsp\n\tcall holder_main\n\thlt\n");
#elif defined(__aarch64__)
static long
sc(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc 0"
	                 : "+r"(x0)
	                 : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
	                 : "memory");
	return x0;
}
__asm__(".text\n.globl _start\n_start:\n\tmov x0, sp\n"
        "\tbl holder_main\n\tbrk #0\n");
#else
#error "the holder knows only x86_64 and aarch64 system calls"
#endif

static void __attribute__((noreturn)) quit(int status)
{
	for (;;)
		sc(__NR_exit_group, status, 0, 0, 0);
}

/* Reap what ended; 1 when no child (orphan) is left. */
static int
reap(void)
{
	long pid;
	int status;

	while ((pid = sc(__NR_wait4, -1, (long)&status, WNOHANG, 0)) > 0)
		;
	return pid == -ECHILD;
}

static unsigned long
slen(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static void
say(const char *s)
{
	sc(__NR_write, 2, (long)s, (long)slen(s), 0);
}

/* jail-exec PATH ARGV0 ARG...: see above. */
static void __attribute__((noreturn)) run(char **argv, char **envp)
{
	long e;

	e = sc(__NR_execve, (long)argv[1], (long)&argv[2], (long)envp, 0);
	if (e == -ENOEXEC) {
		/* sh PATH ARG... in place of ARGV0 PATH ARG... */
		argv[2] = argv[1];
		argv[1] = "sh";
		e = sc(__NR_execve, (long)"/bin/sh", (long)&argv[1], (long)envp,
		    0);
		argv[1] = argv[2];
	}
	say("jailctl: ");
	say(argv[1]);
	say(e == -ENOENT || e == -ENOTDIR ? ": not found\n"
	        : e == -EACCES            ? ": Permission denied\n"
	                                  : ": cannot execute\n");
	quit(e == -ENOENT || e == -ENOTDIR ? 127 : 126);
}

void holder_main(long *sp) __attribute__((noreturn, used));

void
holder_main(long *sp)
{
	unsigned long sigs, chld = SIGBIT(SIGCHLD);
	char **argv = (char **)(sp + 1), c, *t;
	struct kts t0, now, left;
	long n, sig, timeout = 10;
	int persist = 0, released = 0;

	if (sp[0] >= 3 && argv[0][0] == 'j' && argv[0][5] == 'e')
		run(argv, argv + sp[0] + 1); /* "jail-exec" */
	if (sp[0] < 1 || argv[0][0] != 'j' || argv[0][5] != 'h') {
		say("jail-holder: not a program to run\n");
		quit(126);
	}
	/* nothing of the jail's may ptrace or peek in (exec reset it) */
	sc(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0);
	sc(__NR_prctl, PR_SET_NAME, (long)"jail-holder", 0, 0);
	if (sp[0] > 1)
		persist = argv[1][0] == 'p';
	if (sp[0] > 2)
		for (timeout = 0, t = argv[2]; *t >= '0' && *t <= '9'; t++)
			timeout = timeout * 10 + (*t - '0');
	sigs = SIGBIT(SIGTERM) | SIGBIT(SIGINT) | SIGBIT(SIGHUP) |
	    SIGBIT(SIGUSR1) | chld;
	sc(__NR_rt_sigprocmask, SIG_BLOCK, (long)&sigs, 0, sizeof(sigs));
	if (sc(__NR_write, 3, (long)"R", 1, 0) != 1)
		quit(125);
	while ((n = sc(__NR_read, 4, (long)&c, 1, 0)) == -EINTR)
		;
	if (n != 1 || c != 'g')
		quit(125); /* the creator died before recording us */
	sc(__NR_close, 4, 0, 0, 0);
	for (;;) {
		if (reap() && released && !persist)
			quit(0);
		sig = sc(__NR_rt_sigtimedwait, (long)&sigs, 0, 0, sizeof(sigs));
		if (sig == SIGUSR1 && !released) {
			released = 1;
			sc(__NR_prctl, PR_SET_PDEATHSIG, 0, 0, 0);
			sc(__NR_write, 3, (long)"A", 1, 0);
			sc(__NR_close, 3, 0, 0, 0);
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			break;
	}
	sc(__NR_kill, -1, SIGTERM, 0, 0);
	sc(__NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&t0, 0, 0);
	while (!reap()) {
		sc(__NR_clock_gettime, 1, (long)&now, 0, 0);
		left.sec = t0.sec + timeout - now.sec;
		left.nsec = t0.nsec - now.nsec;
		if (left.nsec < 0) {
			left.nsec += 1000000000L;
			left.sec--;
		}
		if (left.sec < 0)
			break;
		sc(__NR_rt_sigtimedwait, (long)&chld, 0, (long)&left,
		    sizeof(chld));
	}
	quit(0);
}
