/*
 * abi32 NAME...: filtered system calls made through the other x86 ABIs a
 * 64-bit process can reach: i386 (int $0x80) and x32 (the syscall
 * instruction with __X32_SYSCALL_BIT).  A filter written for x86_64 alone
 * lets i386 calls through under other numbers (keyctl is 250 on x86_64,
 * 288 on i386).  The arguments are as harmless as sysprobe's.
 *
 * "unsupported" elsewhere than x86_64.  i386_getpid and x32_getpid tell
 * whether the kernel runs these ABIs at all (run them on the host).
 */

#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>

#include "probe.h"

#if defined(__x86_64__)

#define X32_BIT 0x40000000L

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define NR32_GETPID       20
#define NR32_MOUNT        21
#define NR32_IOCTL        54
#define NR32_SETTIMEOFDAY 79
#define NR32_REBOOT       88
#define NR32_UNSHARE      310
#define NR32_KEYCTL       288

#define CLONE_NEWUSER_ 0x10000000L
#define TIOCSTI_       0x5412L

static long
sys32(long nr, long a, long b, long c, long d)
{
	long r;

	__asm__ volatile("int $0x80"
	                 : "=a"(r)
	                 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
	                 : "memory", "cc", "r8", "r9", "r10", "r11");
	return r;
}

/* int $0x80 returns -errno in eax; make it -1 and errno. */
static long
ret32(long r)
{
	int v = (int)r;

	if (v < 0 && v > -4096) {
		errno = -v;
		return -1;
	}
	return v;
}

/* Memory below 4 GiB, for pointer arguments of the i386 ABI. */
static char *
low(const char *s)
{
	static char *page;

	if (page == NULL) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (page == MAP_FAILED)
			abort();
		memset(page, 0, 4096);
	}
	strcpy(page, s);
	return page;
}

static long
p_i386_getpid(void)
{
	return ret32(sys32(NR32_GETPID, 0, 0, 0, 0));
}

static long
p_i386_keyctl(void)
{
	return ret32(sys32(NR32_KEYCTL, 0 /* KEYCTL_GET_KEYRING_ID */,
	    -3 /* KEY_SPEC_SESSION_KEYRING */, 0, 0));
}

static long
p_i386_unshare_user(void)
{
	return ret32(sys32(NR32_UNSHARE, CLONE_NEWUSER_, 0, 0, 0));
}

static long
p_i386_mount(void)
{
	char *p = low("none");

	strcpy(p + 64, "/jltest-nonexistent/x");
	strcpy(p + 128, "tmpfs");
	return ret32(sys32(NR32_MOUNT, (long)(uintptr_t)p,
	    (long)(uintptr_t)(p + 64), (long)(uintptr_t)(p + 128), 0));
}

static long
p_i386_tiocsti(void)
{
	char *p = low("/dev/null");
	int fd;

	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd == -1)
		return -1;
	return ret32(
	    sys32(NR32_IOCTL, fd, TIOCSTI_, (long)(uintptr_t)(p + 64), 0));
}

/* Bad magic numbers: EINVAL at worst. */
static long
p_i386_reboot(void)
{
	return ret32(sys32(NR32_REBOOT, 0x1234567, 0x7654321, 0, 0));
}

/* settimeofday(NULL, NULL): a no-op at worst. */
static long
p_i386_settimeofday(void)
{
	return ret32(sys32(NR32_SETTIMEOFDAY, 0, 0, 0, 0));
}

static long
p_x32_getpid(void)
{
	return syscall(X32_BIT | SYS_getpid);
}

static long
p_x32_keyctl(void)
{
	return syscall(X32_BIT | SYS_keyctl, 0L, -3L, 0L);
}

static long
p_x32_unshare_user(void)
{
	return syscall(X32_BIT | SYS_unshare, CLONE_NEWUSER_);
}

static long
p_x32_mount(void)
{
	return syscall(X32_BIT | SYS_mount, "none", "/jltest-nonexistent/x",
	    "tmpfs", 0UL, NULL);
}

#define P(n)                                                                   \
	{                                                                      \
#n, p_##n                                                      \
	}

#else /* !__x86_64__ */

static long
unsupported(void)
{
	snprintf(probe_text, sizeof(probe_text), "unsupported");
	return PROBE_PRINTED;
}

#define P(n)                                                                   \
	{                                                                      \
#n, unsupported                                                \
	}

#endif

static const struct probe tab[] = {
	P(i386_getpid),
	P(i386_keyctl),
	P(i386_unshare_user),
	P(i386_mount),
	P(i386_tiocsti),
	P(i386_reboot),
	P(i386_settimeofday),
	P(x32_getpid),
	P(x32_keyctl),
	P(x32_unshare_user),
	P(x32_mount),
};

PROBE_MAIN(tab)
