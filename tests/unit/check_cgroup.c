/*
 * cgroup.c: the mountinfo and /proc/self/cgroup parsers, the plan of where
 * a jail's cgroups go, the v1 value mappings and the state line, always;
 * then, as root and where the host has the controller, the real thing: a
 * fork bomb held by pids.max, a memory hog OOM-killed, cpu.max throttling,
 * a live change, kill and destroy.
 *
 * Real cgroups are named "jltest-*" under the caller's own cgroup.  Each
 * test removes its leftover first (a failed test runs no teardown) and
 * again at its end; every child is bounded by alarm().
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "helpers.h"
#include "suites.h"

/* This machine's: cgroup v1 controllers, an empty cgroup2, systemd. */
static const char hybrid_mi[] =
    "25 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup "
    "rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup "
    "rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup "
    "rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup "
    "rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup "
    "rw,freezer\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup "
    "rw,blkio\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
    "rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char hybrid_self[] = "9:name=systemd:/\n"
                                  "8:pids:/\n"
                                  "7:blkio:/\n"
                                  "6:freezer:/\n"
                                  "5:devices:/\n"
                                  "4:memory:/process_api/b119\n"
                                  "3:cpuset:/\n"
                                  "2:cpuacct:/\n"
                                  "1:cpu:/\n"
                                  "0::/\n";

/* A systemd v2 host, and an older v1 one with cpu,cpuacct together. */
static const char v2_mi[] =
    "24 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
    "29 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";
static const char v2_self[] =
    "0::/user.slice/user-1000.slice/session-2.scope\n";
static const char co_mi[] =
    "30 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw shared:9 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "31 25 0:26 / /sys/fs/cgroup/memory rw shared:10 - cgroup cgroup "
    "rw,memory\n"
    "32 25 0:27 /docker/abc /mnt/my\\040cg rw - cgroup cgroup rw,pids\n";
static const char co_self[] = "4:cpu,cpuacct:/a\n"
                              "3:memory:/a\n"
                              "2:pids:/docker/abc/x\n";

static struct jail_cgmnt mnts[64];
static struct jail_cgself selfs[32];

START_TEST(parse_mountinfo)
{
	ck_assert_int_eq(jail_cg_parse_mountinfo(hybrid_mi, mnts, 64), 8);
	ck_assert_int_eq(mnts[0].v2, 0);
	ck_assert_uint_eq(mnts[0].ctl, JAIL_CGC_CPU);
	ck_assert_str_eq(mnts[0].mnt, "/sys/fs/cgroup/cpu");
	ck_assert_str_eq(mnts[0].root, "/");
	ck_assert_str_eq(mnts[0].dev, "0:29");
	ck_assert_uint_eq(mnts[3].ctl, JAIL_CGC_MEMORY);
	ck_assert_uint_eq(mnts[4].ctl, JAIL_CGC_FREEZER); /* no devices */
	ck_assert_uint_eq(mnts[5].ctl, JAIL_CGC_IO);
	ck_assert_int_eq(mnts[7].v2, 1);
	ck_assert_str_eq(mnts[7].mnt, "/sys/fs/cgroup/unified");
	ck_assert_int_eq(jail_cg_parse_mountinfo(co_mi, mnts, 64), 3);
	ck_assert_uint_eq(mnts[0].ctl, JAIL_CGC_CPU | JAIL_CGC_CPUACCT);
	ck_assert_str_eq(mnts[2].mnt, "/mnt/my cg");
	ck_assert_str_eq(mnts[2].root, "/docker/abc");
	ck_assert_int_eq(jail_cg_parse_mountinfo(v2_mi, mnts, 64), 1);
	ck_assert_int_eq(jail_cg_parse_mountinfo(v2_mi, mnts, 0), 0);
	ck_assert_int_eq(jail_cg_parse_mountinfo("", mnts, 64), 0);
	ck_assert_int_eq(jail_cg_parse_mountinfo("1 2 3\n", mnts, 64), -1);
	ck_assert_int_eq(jail_cg_parse_mountinfo("1 2 0:1 / /x rw - cgroup\n",
	                     mnts, 64),
	    -1);
}
END_TEST

START_TEST(parse_self)
{
	ck_assert_int_eq(jail_cg_parse_self(hybrid_self, selfs, 32), 8);
	ck_assert_uint_eq(selfs[0].ctl, JAIL_CGC_PIDS);
	ck_assert_str_eq(selfs[0].path, "/");
	ck_assert_uint_eq(selfs[3].ctl, JAIL_CGC_MEMORY);
	ck_assert_str_eq(selfs[3].path, "/process_api/b119");
	ck_assert_int_eq(selfs[7].v2, 1);
	ck_assert_int_eq(jail_cg_parse_self(co_self, selfs, 32), 3);
	ck_assert_uint_eq(selfs[0].ctl, JAIL_CGC_CPU | JAIL_CGC_CPUACCT);
	ck_assert_int_eq(jail_cg_parse_self("0::/a:b c\n", selfs, 32), 1);
	ck_assert_str_eq(selfs[0].path, "/a:b c");
	ck_assert_int_eq(jail_cg_parse_self("garbage\n", selfs, 32), -1);
	ck_assert_int_eq(jail_cg_parse_self("1:cpu:\n", selfs, 32), -1);
	ck_assert_int_eq(jail_cg_parse_self("1:cpu:rel\n", selfs, 32), -1);
}
END_TEST

#define WANT                                                                   \
	(JAIL_CGC_MEMORY | JAIL_CGC_PIDS | JAIL_CGC_CPU | JAIL_CGC_CPUACCT |   \
	    JAIL_CGC_FREEZER)

static struct jail_cg pcg;

static void
plan(const char *mi, const char *self, unsigned want, const char *parent)
{
	struct jail_error err;
	int nm, ns;

	nm = jail_cg_parse_mountinfo(mi, mnts, 64);
	ns = jail_cg_parse_self(self, selfs, 32);
	ck_assert_int_ge(nm, 0);
	ck_assert_int_ge(ns, 0);
	ck_assert_int_eq(jail_cg_plan(&pcg, mnts, (size_t)nm, selfs, (size_t)ns,
	                     want, parent, "web", &err),
	    0);
}

START_TEST(plan_hybrid)
{
	plan(hybrid_mi, hybrid_self, WANT, NULL);
	ck_assert_uint_eq(pcg.nh, 5); /* no v2: v1 has it all */
	ck_assert_str_eq(pcg.h[0].dir, "/sys/fs/cgroup/cpu/web");
	ck_assert_str_eq(pcg.h[0].parent, "/sys/fs/cgroup/cpu");
	ck_assert_str_eq(pcg.h[2].dir,
	    "/sys/fs/cgroup/memory/process_api/b119/web");
	ck_assert_str_eq(pcg.h[2].parent,
	    "/sys/fs/cgroup/memory/process_api/b119");
	ck_assert_uint_eq(jail_cg_controllers(&pcg), WANT);
	ck_assert_int_eq(pcg.v2fd, -1);
	plan(hybrid_mi, hybrid_self, WANT | JAIL_CGC_IO | JAIL_CGC_CPUSET,
	    "/jails/");
	ck_assert_uint_eq(pcg.nh, 7);
	ck_assert_str_eq(pcg.h[2].dir, "/sys/fs/cgroup/cpuset/jails/web");
	ck_assert_str_eq(pcg.h[3].dir, "/sys/fs/cgroup/memory/jails/web");
}
END_TEST

START_TEST(plan_v2)
{
	plan(v2_mi, v2_self, WANT | JAIL_CGC_IO, NULL);
	ck_assert_uint_eq(pcg.nh, 1);
	ck_assert_int_eq(pcg.h[0].v2, 1);
	ck_assert_uint_eq(pcg.h[0].ctl,
	    JAIL_CGC_MEMORY | JAIL_CGC_PIDS | JAIL_CGC_CPU | JAIL_CGC_IO);
	ck_assert_str_eq(pcg.h[0].dir,
	    "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/web");
	plan(v2_mi, v2_self, WANT, "machine.slice");
	ck_assert_str_eq(pcg.h[0].dir, "/sys/fs/cgroup/machine.slice/web");
	ck_assert_str_eq(pcg.h[0].parent, "/sys/fs/cgroup/machine.slice");
	/* the hybrid host's v2 serves what v1 lacks */
	plan(co_mi, "4:cpu,cpuacct:/a\n3:memory:/a\n0::/u\n", WANT, NULL);
	ck_assert_uint_eq(pcg.nh, 2); /* pids: its mount has no such root */
	ck_assert_uint_eq(jail_cg_controllers(&pcg),
	    JAIL_CGC_MEMORY | JAIL_CGC_CPU | JAIL_CGC_CPUACCT);
}
END_TEST

START_TEST(plan_comount)
{
	plan(co_mi, co_self, WANT, NULL);
	ck_assert_uint_eq(pcg.nh, 3);
	ck_assert_str_eq(pcg.h[0].dir, "/sys/fs/cgroup/cpu,cpuacct/a/web");
	ck_assert_uint_eq(pcg.h[0].ctl, JAIL_CGC_CPU | JAIL_CGC_CPUACCT);
	/* a mount of a sub-tree (a container's view) */
	ck_assert_str_eq(pcg.h[2].dir, "/mnt/my cg/x/web");
}
END_TEST

START_TEST(need_names_param)
{
	struct jail_conf *c;
	struct jail_error err;

	c = parse("web {\n\tpath = /w;\n\tmemory.max = 1G;\n\t"
	          "io.weight = 50;\n}\n");
	ck_assert_clean(c);
	plan(co_mi, co_self, WANT, NULL);
	ck_assert_int_eq(jail_cg_need(&pcg, jail_conf_find(c, "web"), &err),
	    -1);
	ck_assert_str_eq(err.msg,
	    "io.weight: no blkio controller for the jail on this host (no "
	    "cgroup v1 hierarchy has it, nor does cgroup v2 offer it here)");
	plan(hybrid_mi, hybrid_self, WANT | JAIL_CGC_IO, NULL);
	ck_assert_int_eq(jail_cg_need(&pcg, jail_conf_find(c, "web"), &err), 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(mappings)
{
	int64_t w, q, per;

	for (w = 1; w <= 10000; w++) {
		ck_assert_int_eq(jail_cg_weight(jail_cg_shares(w)), w);
		ck_assert_int_ge(jail_cg_shares(w), 2);
	}
	ck_assert_int_eq(jail_cg_shares(100), 1024);
	ck_assert_int_eq(jail_cg_blkio(100, 0), 500); /* default: default */
	ck_assert_int_eq(jail_cg_blkio(1, 0), 10);
	ck_assert_int_eq(jail_cg_blkio(10000, 0), 1000);
	ck_assert_int_eq(jail_cg_blkio(100, 1), 100);
	ck_assert_int_eq(jail_cg_blkio(5000, 1), 1000);
	for (w = 2; w <= 200; w++)
		ck_assert_int_eq(jail_cg_ioweight(jail_cg_blkio(w, 0), 0), w);
	jail_cg_quota(1500, &q, &per);
	ck_assert_int_eq(q, 150000);
	ck_assert_int_eq(per, 100000);
	jail_cg_quota(100, &q, &per);
	ck_assert_int_eq(q, 10000);
	jail_cg_quota(1, &q, &per); /* below the kernel's 1 ms a period */
	ck_assert_int_eq(q, 1000);
	ck_assert_int_eq(per, 1000000);
}
END_TEST

START_TEST(save_text)
{
	char buf[4096];

	plan(co_mi, co_self, WANT, NULL);
	ck_assert_int_gt(jail_cg_save(&pcg, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf,
	    "v1:cpu,cpuacct:/sys/fs/cgroup/cpu,cpuacct/a/web "
	    "v1:memory:/sys/fs/cgroup/memory/a/web "
	    "v1:pids:/mnt/my%20cg/x/web");
	ck_assert_int_eq(jail_cg_save(&pcg, buf, 20), -1);
	pcg.nh = 0;
	ck_assert_int_eq(jail_cg_save(&pcg, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(load_refuses)
{
	static const char *const bad[] = {
		"v3:memory:/sys/fs/cgroup/x",
		"v1:bogus:/sys/fs/cgroup/x",
		"v2:cpuacct:/sys/fs/cgroup/x",
		"v1:memory:relative/x",
		"v1:memory:/sys/fs/cgroup/../../etc",
		"v1:memory:/sys/fs/cgroup/./x",
		"v1:memory:/",
		"v1:memory:/sys/fs/cgroup/x%00y",
		"v1:memory:/sys/fs/cgroup/x%zz",
		"v1:memory",
		"memory:/x",
		"v1:memory:/tmp",             /* not a cgroup file system */
		"v1:memory:/tmp/jltest.none", /* gone, and /tmp no cgroup */
		"v1:memory:/etc/passwd",
	};
	struct jail_error err;
	struct jail_cg cg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		ck_assert_msg(jail_cg_load(&cg, bad[i], &err) == -1,
		    "\"%s\" loaded", bad[i]);
		ck_assert_msg(strstr(err.msg, "cgroup record") != NULL,
		    "\"%s\": %s", bad[i], err.msg);
		ck_assert_int_eq(cg.v2fd, -1);
	}
	ck_assert_int_eq(jail_cg_load(&cg, "", &err), 0);
	ck_assert_uint_eq(cg.nh, 0);
}
END_TEST

/* Real cgroups. */

static struct jail_conf *rconf;

/* The jail jltest-NAME with body as its limits. */
static const struct jail *
rjail(const char *name, const char *body)
{
	char src[1024];
	const struct jail *j;

	snprintf(src, sizeof(src), "%s {\n\tpath = /tmp/%s;\n%s}\n", name, name,
	    body);
	if (rconf != NULL)
		jail_conf_free(rconf);
	rconf = parse(src);
	ck_assert_msg(h_resolve_rc == 0, "%s", diags(rconf));
	j = jail_conf_find(rconf, name);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* Kill and remove what a past run of a test may have left. */
static void
scrub(const struct jail *j, const char *name)
{
	struct jail_error err;
	struct jail_cg cg;

	if (jail_cg_locate(&cg, j, name, &err) == -1)
		return;
	jail_cg_kill(&cg, &err);
	jail_cg_destroy(&cg, &err);
}

/*
 * Can this test run here: root, and the controllers bits in the jail's
 * cgroups?  Says why not on stderr.
 */
static int
ready(const struct jail *j, const char *name, unsigned bits)
{
	struct jail_error err;
	struct jail_cg cg;

	if (geteuid() != 0) {
		fprintf(stderr, "cgroup: %s skipped: not root\n", name);
		return 0;
	}
	if (jail_cg_locate(&cg, j, name, &err) == -1) {
		fprintf(stderr, "cgroup: %s skipped: %s\n", name, err.msg);
		return 0;
	}
	if ((jail_cg_controllers(&cg) & bits) != bits) {
		fprintf(stderr, "cgroup: %s skipped: controllers missing\n",
		    name);
		return 0;
	}
	scrub(j, name);
	return 1;
}

static void
mkcg(struct jail_cg *cg, const struct jail *j, const char *name)
{
	struct jail_error err;

	ck_assert_msg(jail_cg_create(cg, j, name, &err) == 0, "create: %s",
	    err.msg);
}

/* Kill, destroy, and check nothing is left. */
static void
rmcg(struct jail_cg *cg)
{
	struct jail_error err;
	struct stat sb;
	size_t i;

	ck_assert_msg(jail_cg_kill(cg, &err) == 0, "kill: %s", err.msg);
	ck_assert_msg(jail_cg_destroy(cg, &err) == 0, "destroy: %s", err.msg);
	for (i = 0; i < cg->nh; i++)
		ck_assert_msg(stat(cg->h[i].dir, &sb) == -1 && errno == ENOENT,
		    "%s left", cg->h[i].dir);
	ck_assert_int_eq(cg->v2fd, -1);
}

/*
 * A child put into cg by us (not by itself), that then runs fn and exits
 * with its value; alarm() bounds it.
 */
static pid_t
child(const struct jail_cg *cg, int (*fn)(void))
{
	struct jail_error err;
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		alarm(20);
		if (read(p[0], &c, 1) != 1)
			_exit(120);
		_exit(fn());
	}
	close(p[0]);
	ck_assert_msg(jail_cg_enter(cg, pid, 0, &err) == 0, "enter: %s",
	    err.msg);
	ck_assert_int_eq(write(p[1], "g", 1), 1);
	close(p[1]);
	return pid;
}

static int
waitst(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* Fork until refused, at most 100 times; the children sleep. */
static int
bomb(void)
{
	int n;
	pid_t pid;

	for (n = 0; n < 100; n++) {
		if ((pid = fork()) == -1)
			break;
		if (pid == 0) {
			alarm(20);
			pause();
			_exit(0);
		}
	}
	return n;
}

START_TEST(real_pids)
{
	const struct jail *j = rjail("jltest-pids", "\tpids.max = 20;\n");
	struct jail_cgstats s;
	struct jail_error err;
	struct jail_cg cg;
	int st;

	if (!ready(j, "jltest-pids", JAIL_CGC_PIDS))
		return;
	mkcg(&cg, j, "jltest-pids");
	st = waitst(child(&cg, bomb));
	ck_assert(WIFEXITED(st));
	ck_assert_int_le(WEXITSTATUS(st), 19);
	ck_assert_int_ge(WEXITSTATUS(st), 10);
	ck_assert_int_eq(jail_cg_stats(&cg, &s, &err), 0);
	ck_assert(s.have & JAIL_CGS_PIDS);
	ck_assert_int_eq(s.pids_current, (uint64_t)WEXITSTATUS(st));
	if (s.have & JAIL_CGS_PIDSMAX)
		ck_assert_uint_ge(s.pids_max_hit, 1);
	rmcg(&cg);
}
END_TEST

static int
hog(void)
{
	size_t n = 64 << 20, i;
	volatile char *p = malloc(n); /* volatile: no store left out */

	if (p == NULL)
		return 3;
	for (i = 0; i < n; i += 4096)
		p[i] = 1;
	return p[n / 2] == 1 ? 0 : 4;
}

/* Is there swap?  Then memory.max alone would let the hog swap. */
static int
swapon(void)
{
	char line[256];
	FILE *f = fopen("/proc/swaps", "r");
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		n++;
	fclose(f);
	return n > 1;
}

START_TEST(real_oom)
{
	const struct jail *j = rjail("jltest-oom",
	    swapon() ? "\tmemory.max = 32M;\n\tmemory.swap.max = 0;\n"
	             : "\tmemory.max = 32M;\n");
	struct jail_cgstats s;
	struct jail_error err;
	struct jail_cg cg;
	char v[64];
	int st;

	if (!ready(j, "jltest-oom", JAIL_CGC_MEMORY))
		return;
	mkcg(&cg, j, "jltest-oom");
	ck_assert_int_eq(jail_cg_get(&cg, "memory.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "32M");
	st = waitst(child(&cg, hog));
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "the hog was not OOM-killed (status %#x)", st);
	ck_assert_int_eq(jail_cg_stats(&cg, &s, &err), 0);
	ck_assert(s.have & JAIL_CGS_OOM);
	ck_assert_uint_ge(s.oom_kills, 1);
	if (s.have & JAIL_CGS_MEMPEAK) {
		ck_assert_uint_ge(s.mem_peak, 16 << 20);
		ck_assert_uint_le(s.mem_peak, 32 << 20);
	}
	rmcg(&cg);
}
END_TEST

static int
spin(void)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec <
	    500000000L);
	return 0;
}

START_TEST(real_cpu)
{
	const struct jail *j = rjail("jltest-cpu", "\tcpu.max = 0.1;\n");
	struct jail_cgstats s;
	struct jail_error err;
	struct jail_cg cg;
	char v[64];

	if (!ready(j, "jltest-cpu", JAIL_CGC_CPU))
		return;
	mkcg(&cg, j, "jltest-cpu");
	ck_assert_int_eq(jail_cg_get(&cg, "cpu.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "0.1");
	ck_assert_int_eq(waitst(child(&cg, spin)), 0);
	ck_assert_int_eq(jail_cg_stats(&cg, &s, &err), 0);
	ck_assert(s.have & JAIL_CGS_THROTTLE);
	ck_assert_uint_gt(s.nr_throttled, 0);
	ck_assert_uint_ge(s.nr_periods, s.nr_throttled);
	if (s.have & JAIL_CGS_CPU) {
		ck_assert_uint_gt(s.cpu_usec, 0);
		ck_assert_uint_lt(s.cpu_usec, 300000); /* 0.1 of 0.5 s */
	}
	rmcg(&cg);
}
END_TEST

START_TEST(real_set)
{
	const struct jail *j = rjail("jltest-set", "\tpids.max = 50;\n");
	struct jail_error err;
	struct jail_cg cg;
	char v[64];
	int st;

	if (!ready(j, "jltest-set",
	        JAIL_CGC_PIDS | JAIL_CGC_MEMORY | JAIL_CGC_CPU))
		return;
	mkcg(&cg, j, "jltest-set");
	ck_assert_int_eq(jail_cg_get(&cg, "pids.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "50");
	ck_assert_int_eq(jail_cg_set(&cg, "pids.max", "5", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "pids.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "5");
	st = waitst(child(&cg, bomb));
	ck_assert(WIFEXITED(st));
	ck_assert_int_le(WEXITSTATUS(st), 4);
	ck_assert_int_eq(jail_cg_set(&cg, "pids.max", "max", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "pids.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "max");
	ck_assert_int_eq(jail_cg_set(&cg, "memory.max", "64M", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "memory.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "64M");
	ck_assert_int_eq(jail_cg_set(&cg, "memory.high", "48m", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "memory.high", v, sizeof(v), &err),
	    0);
	ck_assert_str_eq(v, "48M");
	ck_assert_int_eq(jail_cg_set(&cg, "memory.max", "max", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "memory.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "max");
	ck_assert_int_eq(jail_cg_set(&cg, "cpu.max", "1.5", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "cpu.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "1.5");
	ck_assert_int_eq(jail_cg_set(&cg, "cpu.max", "max", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "cpu.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "max");
	ck_assert_int_eq(jail_cg_set(&cg, "cpu.weight", "250", &err), 0);
	ck_assert_int_eq(jail_cg_get(&cg, "cpu.weight", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "250");
	/* checked as the configuration is */
	ck_assert_int_eq(jail_cg_set(&cg, "pids.max", "0", &err), -1);
	ck_assert_str_eq(err.msg,
	    "pids.max: \"0\" is not a whole number from 1 to 4194304 or "
	    "\"max\"");
	ck_assert_int_eq(jail_cg_set(&cg, "path", "/x", &err), -1);
	ck_assert_str_eq(err.msg,
	    "path: not a limit that can change on a running jail");
	ck_assert_int_eq(jail_cg_set(&cg, "pids.mux", "3", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown parameter"));
	ck_assert_int_eq(jail_cg_set(&cg, "cpuset.cpus", "0", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "cpuset.cpus: the jail has no "));
	rmcg(&cg);
}
END_TEST

static int
sleeper(void)
{
	pause();
	return 0;
}

START_TEST(real_kill)
{
	const struct jail *j = rjail("jltest-kill", "");
	struct jail_cgstats s;
	struct jail_error err;
	struct jail_cg cg;
	pid_t pid[3];
	int i, st;

	if (!ready(j, "jltest-kill", 0))
		return;
	mkcg(&cg, j, "jltest-kill");
	for (i = 0; i < 3; i++)
		pid[i] = child(&cg, sleeper);
	ck_assert_int_eq(jail_cg_stats(&cg, &s, &err), 0);
	if (s.have & JAIL_CGS_PIDS)
		ck_assert_uint_eq(s.pids_current, 3);
	ck_assert_msg(jail_cg_kill(&cg, &err) == 0, "kill: %s", err.msg);
	for (i = 0; i < 3; i++) {
		st = waitst(pid[i]);
		ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	ck_assert_int_eq(jail_cg_stats(&cg, &s, &err), 0);
	if (s.have & JAIL_CGS_PIDS)
		ck_assert_uint_eq(s.pids_current, 0);
	rmcg(&cg);
}
END_TEST

START_TEST(real_stale_and_load)
{
	const struct jail *j = rjail("jltest-stale", "\tpids.max = 30;\n");
	struct jail_cg cg, again, ld;
	struct jail_error err;
	char line[4096], orig[4096];
	pid_t pid;
	size_t i;

	if (!ready(j, "jltest-stale", 0))
		return;
	mkcg(&cg, j, "jltest-stale");
	/* an empty leftover is made again */
	jail_cg_close(&cg);
	mkcg(&again, j, "jltest-stale");
	/* the record, read back */
	ck_assert_int_gt(jail_cg_save(&again, line, sizeof(line)), 0);
	strlcpy(orig, line, sizeof(orig));
	ck_assert_msg(jail_cg_load(&ld, line, &err) == 0, "%s: %s", line,
	    err.msg);
	ck_assert_uint_eq(ld.nh, again.nh);
	for (i = 0; i < ld.nh; i++) {
		ck_assert_str_eq(ld.h[i].dir, again.h[i].dir);
		ck_assert_uint_eq(ld.h[i].ctl, again.h[i].ctl);
		ck_assert_int_eq(ld.h[i].v2, again.h[i].v2);
		ck_assert_int_eq(ld.h[i].gone, 0);
	}
	ck_assert_int_eq(ld.v2fd >= 0, again.v2fd >= 0);
	/* the wrong kind of file system */
	if (ld.nh > 0) {
		line[1] = line[1] == '1' ? '2' : '1';
		ck_assert_int_eq(jail_cg_load(&cg, line, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "not a cgroup"));
	}
	/* one with a process is not */
	pid = child(&ld, sleeper);
	ck_assert_int_eq(jail_cg_create(&cg, j, "jltest-stale", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "holds processes"));
	jail_cg_close(&again);
	rmcg(&ld);
	waitst(pid);
	/* a record of removed cgroups still loads, for stop to finish */
	ck_assert_msg(jail_cg_load(&ld, orig, &err) == 0, "%s", err.msg);
	for (i = 0; i < ld.nh; i++)
		ck_assert_int_eq(ld.h[i].gone, 1);
	ck_assert_int_eq(ld.v2fd, -1);
	ck_assert_int_eq(jail_cg_kill(&ld, &err), 0);
	ck_assert_int_eq(jail_cg_destroy(&ld, &err), 0);
	ck_assert_int_eq(jail_cg_enter(&ld, getpid(), 0, &err), ld.nh ? -1 : 0);
}
END_TEST

START_TEST(real_parent)
{
	const struct jail *j = rjail("jltest-par",
	    "\tcgroup.parent = \"jltest-top/sub\";\n\tpids.max = 10;\n");
	struct jail_error err;
	struct jail_cg cg;
	char v[32];
	size_t i;

	if (!ready(j, "jltest-par", JAIL_CGC_PIDS))
		return;
	mkcg(&cg, j, "jltest-par");
	for (i = 0; i < cg.nh; i++)
		ck_assert_msg(strstr(cg.h[i].dir,
		                  "/jltest-top/sub/jltest-par") != NULL,
		    "%s", cg.h[i].dir);
	ck_assert_int_eq(jail_cg_get(&cg, "pids.max", v, sizeof(v), &err), 0);
	ck_assert_str_eq(v, "10");
	rmcg(&cg);
	/* cgroup.parent's directories stay; the test removes them */
	for (i = 0; i < cg.nh; i++) {
		ck_assert_int_eq(rmdir(cg.h[i].parent), 0);
		*strrchr(cg.h[i].parent, '/') = '\0';
		ck_assert_int_eq(rmdir(cg.h[i].parent), 0);
	}
}
END_TEST

START_TEST(real_unenforceable)
{
	const struct jail *j =
	    rjail("jltest-swap", "\tmemory.swap.max = 64M;\n");
	struct jail_error err;
	struct jail_cg cg;

	if (!ready(j, "jltest-swap", JAIL_CGC_MEMORY))
		return;
	if (jail_cg_create(&cg, j, "jltest-swap", &err) == 0) {
		/* v2 with swap accounting: a limit of its own there */
		for (size_t i = 0; i < cg.nh; i++)
			if (cg.h[i].ctl & JAIL_CGC_MEMORY)
				ck_assert_int_eq(cg.h[i].v2, 1);
		rmcg(&cg);
		return;
	}
	ck_assert_msg(strncmp(err.msg, "memory.swap.max: ", 17) == 0, "%s",
	    err.msg);
	/* and nothing is left behind */
	ck_assert_int_eq(jail_cg_locate(&cg, j, "jltest-swap", &err), 0);
	for (size_t i = 0; i < cg.nh; i++)
		ck_assert_int_eq(access(cg.h[i].dir, F_OK), -1);
}
END_TEST

Suite *
cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc;

	tc = tcase_create("logic");
	tcase_add_test(tc, parse_mountinfo);
	tcase_add_test(tc, parse_self);
	tcase_add_test(tc, plan_hybrid);
	tcase_add_test(tc, plan_v2);
	tcase_add_test(tc, plan_comount);
	tcase_add_test(tc, need_names_param);
	tcase_add_test(tc, mappings);
	tcase_add_test(tc, save_text);
	tcase_add_test(tc, load_refuses);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, real_pids);
	tcase_add_test(tc, real_oom);
	tcase_add_test(tc, real_cpu);
	tcase_add_test(tc, real_set);
	tcase_add_test(tc, real_kill);
	tcase_add_test(tc, real_stale_and_load);
	tcase_add_test(tc, real_parent);
	tcase_add_test(tc, real_unenforceable);
	suite_add_tcase(s, tc);
	return s;
}
