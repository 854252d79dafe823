/*
 * cgroup: a jail's control groups, on cgroup v2, v1 or both at once
 * ("hybrid" hosts), behind one interface.
 *
 * Which hierarchy serves a controller is found per controller from
 * /proc/self/mountinfo (file system type cgroup with the controller among
 * its super options: v1; cgroup2 listing it in cgroup.controllers: v2),
 * and every mount used is checked by statfs magic; nothing is assumed from
 * a path.  The jail's cgroup is named after the jail and made under the
 * caller's own cgroup of each hierarchy (/proc/self/cgroup), or under
 * cgroup.parent.
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "jailp.h"

/* Controllers, as bits. */
#define JAIL_CGC_MEMORY  0x01
#define JAIL_CGC_PIDS    0x02
#define JAIL_CGC_CPU     0x04
#define JAIL_CGC_CPUACCT 0x08 /* v1 only; v2's cpu.stat is always there */
#define JAIL_CGC_FREEZER 0x10 /* v1 only; v2 has cgroup.freeze, .kill */
#define JAIL_CGC_CPUSET  0x20
#define JAIL_CGC_IO      0x40 /* v1: blkio; v2: io */
#define JAIL_CGC_ALL     0x7f

#define JAIL_CG_MAXH    8    /* hierarchies a jail may span */
#define JAIL_CG_PATHMAX 1024 /* a cgroup directory's absolute path */

/* The jail's cgroup in one hierarchy. */
struct jail_cgdir {
	int v2;       /* 1: cgroup2; 0: a v1 hierarchy */
	unsigned ctl; /* JAIL_CGC_* this jail uses here */
	int gone;     /* jail_cg_load(): the directory no longer exists */
	char dir[JAIL_CG_PATHMAX];    /* absolute, of the jail's own cgroup */
	char parent[JAIL_CG_PATHMAX]; /* where it is made (create only) */
};

/*
 * A jail's cgroups: one entry per hierarchy used, v1 ones first.  Filled
 * by jail_cg_locate(), jail_cg_create() or jail_cg_load(); holds one open
 * descriptor (v2fd) that jail_cg_close() releases.
 */
struct jail_cg {
	struct jail_cgdir h[JAIL_CG_MAXH];
	size_t nh;
	int v2fd; /* the v2 directory, or -1 */
};

/*
 * Decide where the jail's cgroups are, without changing anything: reads
 * /proc/self/mountinfo and /proc/self/cgroup once, checks the mounts by
 * statfs magic and, on v2, what the parent's cgroup.controllers offers.
 * Controllers always wanted, when the host has them: memory, pids, cpu,
 * cpuacct (v1), freezer (v1); cpuset and blkio/io only when a parameter
 * needs them.  A parameter the host cannot enforce fails here, naming the
 * parameter and the controller.  cg needs no jail_cg_close() after it.
 */
int jail_cg_locate(struct jail_cg *cg, const struct jail *j, const char *name,
    struct jail_error *err);

/*
 * jail_cg_locate(), then make the jail's cgroup in every hierarchy (and
 * the missing directories of cgroup.parent; on v2 the controllers are
 * enabled in each parent's cgroup.subtree_control, and EBUSY there, the
 * no-internal-process rule, is explained), copy the parent's cpuset.cpus
 * and cpuset.mems into a new v1 cpuset cgroup, and write every limit the
 * jail sets.  A stale cgroup of the same name without processes is removed
 * and made again; one with processes is an error.  On failure whatever was
 * made is removed.  On success cg holds the v2 descriptor: jail_cg_close().
 */
int jail_cg_create(struct jail_cg *cg, const struct jail *j, const char *name,
    struct jail_error *err);

/*
 * The jail's v2 cgroup directory (O_RDONLY | O_DIRECTORY | O_CLOEXEC) for
 * clone3()'s CLONE_INTO_CGROUP, or -1 when no v2 hierarchy is used.  The
 * descriptor stays cg's.
 */
int jail_cg_v2fd(const struct jail_cg *cg);

/*
 * Move pid (0: the caller) into the jail's cgroup of every hierarchy; the
 * v2 one is skipped when skipv2 (the process came in by CLONE_INTO_CGROUP).
 * One open and one write per hierarchy.  Safe between fork and exec: no
 * allocation.
 */
int jail_cg_enter(const struct jail_cg *cg, pid_t pid, int skipv2,
    struct jail_error *err);

/*
 * cg as one line of text, no newline, for the state record:
 * "v1:memory:/sys/fs/cgroup/memory/a/NAME v2:pids,cpu:/sys/..." (a space,
 * '%' or a control character in a path is written %XX).  Returns the
 * length, or -1 when buf is too small.
 */
/*
 * The v1 hierarchies' `tasks` files, opened for a single-threaded process
 * that moves itself into the jail's cgroups by writing "0" to each (no
 * global lock, unlike cgroup.procs).  The count, or -1.
 */
int jail_cg_selffds(const struct jail_cg *cg, int *fds, int max,
    struct jail_error *err);

/*
 * The limit parameters cgroups hold, by index ("memory.max", ...; NULL
 * past the last), and whether a jail sets one (or cgroup.parent): then it
 * cannot run without cgroups.
 */
const char *jail_cg_limit(int i);
int jail_cg_wanted(const struct jail *j);

int jail_cg_save(const struct jail_cg *cg, char *buf, size_t len);

/*
 * Read a line of jail_cg_save() back, trusting none of it: every directory
 * must be absolute, free of "." and ".." components, a directory, and on a
 * file system of the kind the line says (statfs magic).  A directory that
 * no longer exists (its parent still a cgroup of the right kind) is kept,
 * marked gone: jail_cg_kill() and jail_cg_destroy() pass over it.  On
 * success cg may hold the v2 descriptor: jail_cg_close().
 */
int jail_cg_load(struct jail_cg *cg, const char *line, struct jail_error *err);
/*
 * jail_cg_load() for a process that enters the jail: the v1 directories
 * are only read from the line; jail_cg_selffds() checks what it opens.
 */
int jail_cg_load_entry(struct jail_cg *cg, const char *line,
    struct jail_error *err);

/*
 * Change a limit of a live jail: param as in jail.conf ("memory.max"),
 * value as the user writes it ("512M", "max"); checked by the parameter
 * table as the configuration is.  Same errors as at create, and an error
 * when the jail's cgroups lack the controller (cpuset and io are only made
 * when the configuration used them at start).
 */
int jail_cg_set(struct jail_cg *cg, const char *param, const char *value,
    struct jail_error *err);

/*
 * The value in force of a limit, read from the kernel, in jail.conf's
 * canonical text ("512M", "max", "1.5", "0-3").
 */
int jail_cg_get(const struct jail_cg *cg, const char *param, char *buf,
    size_t len, struct jail_error *err);

/* Bits of jail_cgstats.have: which fields the host could fill. */
#define JAIL_CGS_MEM      0x001 /* mem_current */
#define JAIL_CGS_MEMPEAK  0x002 /* mem_peak */
#define JAIL_CGS_OOM      0x004 /* oom_kills */
#define JAIL_CGS_PIDS     0x008 /* pids_current */
#define JAIL_CGS_PIDSMAX  0x010 /* pids_max_hit */
#define JAIL_CGS_CPU      0x020 /* cpu_usec, cpu_user_usec, cpu_system_usec */
#define JAIL_CGS_THROTTLE 0x040 /* nr_periods, nr_throttled, throttled_usec */

struct jail_cgstats {
	uint64_t mem_current;     /* bytes */
	uint64_t mem_peak;        /* bytes, highest since the cgroup was made */
	uint64_t oom_kills;       /* processes killed by the OOM killer */
	uint64_t pids_current;    /* processes and threads */
	uint64_t pids_max_hit;    /* forks refused by pids.max */
	uint64_t cpu_usec;        /* CPU time, all processes */
	uint64_t cpu_user_usec;   /* of it, in user mode */
	uint64_t cpu_system_usec; /* and in the kernel */
	uint64_t nr_periods;      /* cpu.max periods that saw the jail run */
	uint64_t nr_throttled;    /* of them, periods it ran out of quota */
	uint64_t throttled_usec;  /* time spent throttled */
	unsigned have;            /* JAIL_CGS_* */
	const char *backend;      /* "v1", "v2" or "mixed" */
};

/* What the jail's cgroups count, from whichever hierarchies hold it. */
int jail_cg_stats(const struct jail_cg *cg, struct jail_cgstats *s,
    struct jail_error *err);

/*
 * End every process in the jail's cgroups: v2 cgroup.kill; v1 freezer:
 * FROZEN, SIGKILL each process, THAWED; without either, SIGKILL until
 * empty.  Waits up to two seconds for the cgroups to empty.
 */
int jail_cg_kill(const struct jail_cg *cg, struct jail_error *err);

/*
 * Remove the jail's cgroups (not cgroup.parent's directories), retrying
 * for up to a second while the last processes exit; missing ones are fine.
 */
int jail_cg_destroy(struct jail_cg *cg, struct jail_error *err);

/*
 * Both: kill what is left, remove the cgroups.  Empty ones (a stopped
 * jail's, as a rule) are removed at the first try, without a read.
 */
int jail_cg_remove(struct jail_cg *cg, struct jail_error *err);

/* Release cg's descriptor; cg's paths stay readable. */
void jail_cg_close(struct jail_cg *cg);

/*
 * The parsers and mappings behind the above, apart so that tests can feed
 * them text.
 */

/* A cgroup file system mount of /proc/self/mountinfo. */
struct jail_cgmnt {
	int v2;
	unsigned ctl;               /* v1: JAIL_CGC_* among the super options */
	char dev[32];               /* major:minor: one per hierarchy */
	char root[JAIL_CG_PATHMAX]; /* the hierarchy's directory mounted */
	char mnt[JAIL_CG_PATHMAX];  /* where */
};

/* A line of /proc/self/cgroup. */
struct jail_cgself {
	int v2;       /* "0::PATH" */
	unsigned ctl; /* v1: the controllers named */
	char path[JAIL_CG_PATHMAX];
};

/*
 * The cgroup mounts in text (mountinfo's format), at most max of them, v1
 * hierarchies with no controller we use (name=systemd) left out.  Returns
 * how many, or -1 when the text is malformed.
 */
int jail_cg_parse_mountinfo(const char *text, struct jail_cgmnt *m, size_t max);

/* The lines of text in /proc/self/cgroup's format; as above. */
int jail_cg_parse_self(const char *text, struct jail_cgself *s, size_t max);

/*
 * Where each wanted controller (JAIL_CGC_*) lives: a v1 hierarchy that has
 * it, else the v2 one.  The jail's directory is parent (relative to each
 * hierarchy's root), or the caller's own cgroup there, then name.  No
 * system call; a controller found nowhere is simply not in cg.
 */
int jail_cg_plan(struct jail_cg *cg, const struct jail_cgmnt *m, size_t nm,
    const struct jail_cgself *s, size_t ns, unsigned want, const char *parent,
    const char *name, struct jail_error *err);

/*
 * Does cg have every controller j's parameters need?  If not, the error
 * names the first parameter left without one.
 */
int jail_cg_need(const struct jail_cg *cg, const struct jail *j,
    struct jail_error *err);

/* The controllers cg uses, over all hierarchies. */
unsigned jail_cg_controllers(const struct jail_cg *cg);

/* Value mappings onto v1's files and back. */
int64_t jail_cg_shares(int64_t weight);         /* cpu.weight -> cpu.shares */
int64_t jail_cg_weight(int64_t shares);         /* and back */
int64_t jail_cg_blkio(int64_t weight, int bfq); /* io.weight -> blkio.* */
int64_t jail_cg_ioweight(int64_t v1, int bfq);  /* and back */
/* cpu.max in thousandths of a CPU -> quota (-1: max) and period, in usec */
void jail_cg_quota(int64_t milli, int64_t *quota, int64_t *period);

#endif /* CGROUP_H */
