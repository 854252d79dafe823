/*
 * Private definitions shared by libjail's modules.  Nothing here is part of
 * the interface; jailctl includes only libjail.h.
 */
#ifndef JAILP_H
#define JAILP_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/tree.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "libjail.h"

#define JAIL_MAXDIAGS    1000 /* after this many, "too many errors" */
#define JAIL_MAXINCLUDE  32   /* .include nesting, as FreeBSD */
#define JAIL_MAXCONFSIZE (64 * 1024 * 1024)

/*
 * A value as written: literal pieces and variable references, resolved per
 * jail once the statements are merged.
 */
struct jail_rawpart {
	char *s;
	int var; /* 1: s names a variable or parameter */
};

struct jail_rawval {
	struct jail_rawpart *parts;
	size_t nparts;
	char *canon; /* a literal's canonical value, checked when read */
	int64_t num, hard;
};

/* One "name = value, ...;" statement, wherever it stands. */
struct jail_stmt {
	STAILQ_ENTRY(jail_stmt) entry;
	unsigned long seq; /* file order, across includes */
	const char *file;
	int line;
	int param;  /* index in the table, or -1 for a $variable */
	char *var;  /* the variable's name when param == -1 */
	int append; /* += */
	int global; /* outside any block, or in a "*" block */
	struct jail_rawval **vals;
	size_t nvals;
};
STAILQ_HEAD(jail_stmtq, jail_stmt);

/* A resolved parameter of one jail. */
struct jail_pv {
	int param;
	char **v; /* canonical text of each value */
	size_t n;
	int64_t num;  /* see jail_get_num() */
	int64_t hard; /* rlimit hard limit */
	const char *file;
	int line;
	int set; /* 1: from the file; 0: unset or a default */
};

struct jail {
	RB_ENTRY(jail) rb;
	char *name;
	size_t idx;       /* in conf->jails */
	const char *file; /* the first block naming it */
	int line;
	int damaged; /* a statement of its own block failed to parse */
	struct jail_stmtq stmts;
	struct jail_pv *pv; /* the parameters set, by index, after resolve */
	size_t npv, pvcap;
	long jid_pre; /* a JID given by jail_assign_jids(), or 0 */
	struct jail_conf *conf;
};
RB_HEAD(jail_tree, jail);
RB_PROTOTYPE(jail_tree, jail, rb, jail_namecmp);
int jail_namecmp(struct jail *, struct jail *);

struct jail_diagrec {
	struct jail_diag d;
	char *msg;
	size_t order, fileno; /* for jail_diag_sort() */
};

struct jail_conf {
	int flags;
	unsigned long seq;
	struct jail_stmtq common; /* global and "*" statements */
	struct jail_tree byname;
	struct jail **jails; /* in order of first appearance */
	size_t njails, jailcap;
	char **files; /* names of the files read, owned here */
	size_t nfiles;
	struct jail_diagrec *diags;
	size_t ndiags, diagcap, nerrors;
	int damaged; /* a global statement failed to parse */
	int resolved;
};

/* error.c: a growing string, always NUL-terminated once added to. */
struct jail_sbuf {
	char *b;
	size_t n, cap;
};
int jail_sbuf_add(struct jail_sbuf *sb, const char *s, size_t n);
int jail_sbuf_str(struct jail_sbuf *sb, const char *s);

/* conf.c */
void jail_rawval_free(struct jail_rawval *rv);
void jail_stmt_free(struct jail_stmt *st);

/* error.c */
int jail_seterr(struct jail_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void jail_diag_add(struct jail_conf *conf, const char *file, int line,
    int warning, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void jail_diag_first(const struct jail_conf *conf, struct jail_error *err);
void jail_diag_sort(struct jail_conf *conf);
int jail_preerr(struct jail_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* param.c: the table. */
struct jail_pdef {
	const char *name;
	enum jail_ptype type;
	int flags;
	int64_t min, max;     /* JAIL_PT_INT */
	const char *const *e; /* JAIL_PT_ENUM: values, NULL-terminated */
	const char *truev;    /* enum value meant by "name;" (or NULL) */
	const char *falsev;   /* enum value meant by "noname;" (or NULL) */
	/* extra check of one value; writes why on failure */
	int (*check)(const char *v, char *why, size_t len);
	const char *def; /* default, jail.conf text (or NULL) */
};
extern const struct jail_pdef jail_ptab[];
extern const int jail_nparams;

/* Indices of the parameters the library itself consults. */
enum {
	P_NAME,
	P_JID,
	P_PATH,
	P_HOSTNAME,
	P_DOMAINNAME,
	P_DEPEND,
	P_MOUNT,
	P_USERNS,
	P_UIDMAP,
	P_GIDMAP,
	P_NFIXED /* the rest are found by name */
};

int jail_param_bool(const char *v, int *b);
int jail_param_value(int p, const char *in, char **canon, int64_t *num,
    int64_t *hard, char *why, size_t len);
int jail_param_byname(const char *name, int *neg);
void jail_param_suggest(const char *name, char *buf, size_t len);

/* param.c: merging and resolving. */
void jail_pv_free(struct jail_pv *pv);
int jail_pv_override(struct jail *j, int p, char *canon, int64_t num,
    int64_t hard);
int jail_resolve_one(struct jail_conf *conf, struct jail *j);
void jail_check_all(struct jail_conf *conf);

/* check.c: value checks used by the table. */
int jail_check_name(const char *v, char *why, size_t len);
int jail_check_hostname(const char *v, char *why, size_t len);
int jail_check_ip4(const char *v, char *why, size_t len);
int jail_check_ip6(const char *v, char *why, size_t len);
int jail_check_ipaddr(const char *v, char *why, size_t len);
int jail_check_ifname(const char *v, char *why, size_t len);
int jail_check_idmap(const char *v, char *why, size_t len);
int jail_check_fstab(const char *v, char *why, size_t len);
int jail_check_cap(const char *v, char *why, size_t len);
int jail_check_cpulist(const char *v, char *why, size_t len);
int jail_check_seccomp(const char *v, char *why, size_t len);
int jail_check_template(const char *v, char *why, size_t len);
int jail_check_user(const char *v, char *why, size_t len);
int jail_check_cgpath(const char *v, char *why, size_t len);

/* path.c: lexical path handling. */
char *jail_path_clean(const char *path);
void jail_path_unoctal(char *s);
int jail_path_within(const char *root, const char *path);

struct jail_idmap {
	uint32_t inside, outside, count;
};
int jail_idmap_parse(const char *v, struct jail_idmap *m);

int jail_fstab_split(const char *line, char *f[6], char *buf, size_t len);

/* state.c: the record of a jail under STATEDIR/NAME/. */
struct jail_state {
	long jid;
	pid_t pid;          /* the holder, as the host sees it; 0: none */
	uint64_t starttime; /* of the holder, against PID reuse */
	int created;        /* the root tree was made by create */
	char path[4096];
	char template[256];
	char troot[4096]; /* the template's tree (overlay: the lower layer) */
	char build[128];  /* which template build the tree came from */
	char method[16];
	char hostname[72];
	char cgroup[4096]; /* jail_cg_save() of its cgroups; "": none */
	char uidmap[256];  /* its user namespace's maps, jail_idmaps_text() */
	char gidmap[256];  /* form; "": no user namespace */
};

int jail_state_lock(const char *statedir, const char *name,
    struct jail_error *err);
int jail_state_trylock(const char *statedir, const char *name);
int jail_state_read(const char *statedir, const char *name,
    struct jail_state *st, struct jail_error *err);
int jail_state_write(const char *statedir, const char *name,
    const struct jail_state *st, struct jail_error *err);
int jail_state_remove(const char *statedir, const char *name,
    struct jail_error *err);
int jail_state_alive(const struct jail_state *st);
int jail_created_write(const char *name, const struct jail_state *st,
    struct jail_error *err);
int jail_created_read(const char *jailpath, struct jail_state *st);
void jail_created_remove(const char *jailpath);
uint64_t jail_proc_starttime(pid_t pid);

/* rootfs.c: mounts inside the jail's root, resolved inside it. */
#define JAIL_ROOT_REAL 010000000 /* with S_IFDIR: a real directory path */
int jail_root_open(int rootfd, const char *rel, mode_t want,
    struct jail_error *err);
int jail_mount_at(int rootfd, const char *rel, mode_t want, const char *src,
    const char *type, unsigned long flags, const char *data,
    struct jail_error *err);
int jail_mount_line(int rootfd, const char *root, const char *line,
    struct jail_error *err);
int jail_mount_fstab(int rootfd, const char *root, const char *file,
    struct jail_error *err);

/* caps.c, seccomp.c: what a jail's processes may do. */
#define JAIL_SC_MOUNT  0x01 /* allow.mount: the mount system calls */
#define JAIL_SC_TIME   0x02 /* allow.settime, allow.adjtime */
#define JAIL_SC_SYSLOG 0x04 /* allow.read_msgbuf */
enum {
	JAIL_SECCOMP_NONE,
	JAIL_SECCOMP_DEFAULT,
	JAIL_SECCOMP_FILE
};

/* How a process entering a jail is confined. */
struct jail_confine {
	uint64_t caps; /* kept, a bit per capability */
	unsigned sc;   /* JAIL_SC_* */
	int nnp;       /* no_new_privs (unless allow.setuid) */
	int seccomp;   /* JAIL_SECCOMP_* */
	const char *seccomp_file;
	struct sock_filter *bpf; /* the filter built at start, or NULL */
	unsigned short bpflen;
};
void jail_caps_of(const struct jail *j, uint64_t *keep, unsigned *sc);
int jail_caps_bound(uint64_t keep);
int jail_caps_set(uint64_t keep);
int jail_seccomp_load(int mode, unsigned allow, const char *file,
    struct jail_error *err);
int jail_seccomp_export(int mode, unsigned allow, const char *file,
    const char *path, struct jail_error *err);
struct sock_filter *jail_seccomp_read(const char *path, unsigned short *len);
int jail_seccomp_shared(const char *statedir, unsigned allow, char *buf,
    size_t len, struct jail_error *err);

struct jail_cg;     /* cgroup.h */
struct jail_idmaps; /* userns.h */

/* ns.c: namespaces, the holder, entering a jail. */
struct jail_nsopts {
	const char *root;  /* the jail's path */
	const char *lower; /* overlay jails: the template tree, */
	const char *upper; /* the jail's own changes */
	const char *work;  /* and overlayfs's work directory */
	const char *hostname;
	const char *domainname;
	const char *const *mounts; /* "mount" lines */
	size_t nmounts;
	char **binds; /* host directories to bind read-only (host template) */
	size_t nbinds;
	const char *fstab;
	int procfs, devfs, sysfs, tmp, readonly;
	int newnet;
	int persist;
	int stop_timeout;
	int confine;    /* the holder confines itself (always, but in tests) */
	int cgfd;       /* > 0: clone into this cgroup v2 directory */
	const int *cgt; /* v1 `tasks` files: the holder joins them itself */
	int ncgt;
	const struct jail_idmaps *maps; /* a user namespace with these */
	int lowerfd; /* >= 0: the overlay's lower layer, idmapped, detached */
	int cgns;    /* 1: a cgroup namespace, unshared once in the cgroups */
	struct sock_filter *hbpf; /* the holder's filter, built, or NULL */
	unsigned short hbpflen;
};

/* limits.c: the rlimit.* parameters, for every process entering. */
struct jail_rlims {
	struct {
		int res;
		const char *name;
		struct rlimit rl;
	} v[16];
	int n;
};
void jail_rlimits_of(const struct jail *j, struct jail_rlims *r);
int jail_rlimits_apply(const struct jail_rlims *r, const char **which);
int jail_rlimits_check(const struct jail_rlims *r, int userns,
    struct jail_error *err);

/* user.c: a user as the jail's own passwd and group know it. */
#define JAIL_MAXGROUPS 64
struct jail_user {
	char name[256];
	uid_t uid;
	gid_t gid;
	gid_t groups[JAIL_MAXGROUPS];
	int ngroups;
	char home[1024];
	char shell[1024];
};
int jail_user_lookup(const char *spec, struct jail_user *u,
    struct jail_error *err);
int jail_user_lookup_host(const char *spec, struct jail_user *u,
    struct jail_error *err);

/* jail.c */
#define JAIL_START_HOLD 0x01
int jail_start_flags(struct jail *j, const struct jail_env *env, int flags,
    struct jail_state *out, struct jail_error *err);

struct jail_execopts {
	char *const *argv; /* NULL: the user's shell */
	char *const *env;  /* extra K=V, NULL-terminated, or NULL */
	const char *user;  /* NULL: root */
	const char *dir;   /* inside the jail; NULL: "/" (-l: home) */
	const char *term;  /* TERM to pass, or NULL */
	int login;         /* -l: a login shell's environment */
	int setsid;
	int outfd;   /* > 0: stdout and stderr go there */
	int timeout; /* seconds; 0: none */
	const struct jail_confine *confine; /* NULL: none (tests only) */
	int direct; /* the caller stays in the jail's namespaces after */
	int pty;    /* -t: the command on a new pty of the jail's */
	int ptyfd;  /* (internal) the pty's slave for the command */
	const struct jail_cg *cg;    /* the jail's cgroups, or NULL */
	const struct jail_rlims *rl; /* its rlimits, or NULL */
	int stubfd; /* (internal) the small exec program, or -1 */
	int userns; /* join the jail's user namespace too */
};

/* A holder being started. */
struct jail_nsh {
	pid_t pid;
	uint64_t start;
	int efd;  /* its word to us: 'M', 'R', 'A', or an error */
	int gofd; /* ours to it: 'c', 'g' */
};
int jail_ns_start(const struct jail_nsopts *o, struct jail_nsh *h,
    struct jail_error *err);
int jail_ns_small_holder(void);
int jail_ns_create(struct jail_nsh *h, struct jail_error *err);
void jail_ns_go(struct jail_nsh *h);
void jail_ns_abort(struct jail_nsh *h);
int jail_ns_release(struct jail_nsh *h, struct jail_error *err);
int jail_ns_pidfd(pid_t pid, uint64_t start, struct jail_error *err);
int jail_ns_signal(pid_t pid, uint64_t start, int sig, struct jail_error *err);
int jail_ns_stop(pid_t pid, uint64_t start, int timeout,
    struct jail_error *err);
int jail_ns_exec(pid_t pid, uint64_t start, const struct jail_execopts *x,
    int *status, struct jail_error *err);

#endif /* JAILP_H */
