/*
 * capprobe NAME...: one privileged act each, to see which capability a
 * jail's process has.  Each is harmless even when it succeeds: it acts on
 * the jail's own network namespace, on a file in the jail's /tmp that it
 * removes again, on the process itself, or sets what is already set.
 */

#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <fcntl.h>

#include "probe.h"

/* CAP_NET_RAW: a raw IP socket. */
static long
p_raw_socket(void)
{
	return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
}

/* CAP_NET_RAW: a packet socket. */
static long
p_packet_socket(void)
{
	return socket(AF_PACKET, SOCK_RAW, 0);
}

/* CAP_IPC_LOCK: with RLIMIT_MEMLOCK lowered to 0, locking one page. */
static long
p_mlock(void)
{
	struct rlimit rl;
	void *p;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		return -1;
	rl.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) == -1)
		return -1;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (mlock(p, 4096) == -1)
		return -1;
	munlock(p, 4096);
	return 0;
}

/*
 * CAP_LINUX_IMMUTABLE: the immutable flag on a file of the jail's /tmp,
 * taken off again at once and the file removed.  "left immutable" if it
 * could not be taken off (the test removes it from the host).
 */
#define CHATTR_FILE "/tmp/jltest-chattr"
static long
p_chattr(void)
{
	int fd, fl, on, e;

	unlink(CHATTR_FILE);
	fd = open(CHATTR_FILE, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(probe_text, sizeof(probe_text), "cannot create %s: %s",
		    CHATTR_FILE, strerrorname_np(errno));
		return PROBE_PRINTED;
	}
	if (ioctl(fd, FS_IOC_GETFLAGS, &fl) == -1) {
		snprintf(probe_text, sizeof(probe_text),
		    "cannot read the flags: %s", strerrorname_np(errno));
		unlink(CHATTR_FILE);
		return PROBE_PRINTED;
	}
	on = fl | FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &on) == -1) {
		e = errno;
		close(fd);
		unlink(CHATTR_FILE);
		errno = e;
		return -1;
	}
	if (ioctl(fd, FS_IOC_SETFLAGS, &fl) == -1) {
		snprintf(probe_text, sizeof(probe_text), "left immutable: %s",
		    strerrorname_np(errno));
		return PROBE_PRINTED;
	}
	close(fd);
	unlink(CHATTR_FILE);
	return 0;
}

/* CAP_MKNOD: the null device's node in the jail's /tmp, removed again. */
#define MKNOD_FILE "/tmp/jltest-mknod"
static long
p_mknod(void)
{
	unlink(MKNOD_FILE);
	if (mknod(MKNOD_FILE, S_IFCHR | 0600, makedev(1, 3)) == -1)
		return -1;
	unlink(MKNOD_FILE);
	return 0;
}

/* CAP_NET_ADMIN: lo's MTU set to what it is, in the jail's network. */
static long
p_netadmin(void)
{
	struct ifreq ifr;
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFMTU, &ifr) == -1) {
		snprintf(probe_text, sizeof(probe_text),
		    "cannot read lo's MTU: %s", strerrorname_np(errno));
		return PROBE_PRINTED;
	}
	return ioctl(s, SIOCSIFMTU, &ifr);
}

/* CAP_SYS_ADMIN: the host name set to what it is (the jail's own UTS
 * namespace anyway). */
static long
p_sethostname(void)
{
	char h[256];

	if (gethostname(h, sizeof(h)) == -1)
		return -1;
	h[sizeof(h) - 1] = '\0';
	return sethostname(h, strlen(h));
}

/* CAP_SYS_CHROOT: chroot("/") changes nothing (and only in this child). */
static long
p_chroot(void)
{
	return chroot("/");
}

/* CAP_NET_BIND_SERVICE: a port below 1024, in the jail's network. */
static long
p_bind_low(void)
{
	struct sockaddr_in sin;
	int s;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(1023);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	return bind(s, (struct sockaddr *)&sin, sizeof(sin));
}

/*
 * CAP_SYS_ADMIN into the inheritable set, as CAP_SETPCAP allows for what
 * the bounding set holds: refused when the bounding set does not.
 */
static long
p_inh_sys_admin(void)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(&h, 0, sizeof(h));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].inheritable |=
	    CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &h, d);
}

static const struct probe tab[] = {
	{ "raw_socket", p_raw_socket },
	{ "packet_socket", p_packet_socket },
	{ "mlock", p_mlock },
	{ "chattr", p_chattr },
	{ "mknod", p_mknod },
	{ "netadmin", p_netadmin },
	{ "sethostname", p_sethostname },
	{ "chroot", p_chroot },
	{ "bind_low", p_bind_low },
	{ "inh_sys_admin", p_inh_sys_admin },
};

PROBE_MAIN(tab)
