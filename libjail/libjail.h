/*
 * libjail: Linux jails described by a FreeBSD-style jail.conf.
 *
 * Every call returns 0 (or a pointer) on success and -1 (or NULL) on
 * failure, with the reason in the caller's struct jail_error.  The library
 * never prints and never exits.  It is for single-threaded callers: the
 * calls that start, enter or stop jails fork and clone, and keep a little
 * per-process state (the host's cgroup mounts, for a second).
 */
#ifndef LIBJAIL_H
#define LIBJAIL_H

#include <stddef.h>
#include <stdint.h>

#define JAIL_ERRMAX     512
#define JAIL_NAMEMAX    64        /* longest jail name, in bytes */
#define JAIL_UNLIMITED  INT64_MAX /* "max", "unlimited" */
#define LIBJAIL_VERSION "0.1.0"

struct jail_error {
	int code;              /* errno value, or 0 */
	char msg[JAIL_ERRMAX]; /* printable, no newline */
};

struct jail_conf; /* a parsed configuration: statements and jails */
struct jail;      /* one jail, its parameters resolved */

/* One diagnostic of a configuration: FILE:LINE: message. */
struct jail_diag {
	const char *file;
	int line;
	int warning; /* 1: reported, but does not fail the file */
	const char *msg;
};

/* Flags of jail_conf_new(). */
#define JAIL_CONF_NOINCLUDE 0x01 /* ".include" is an error (fuzzing) */

struct jail_conf *jail_conf_new(int flags);
void jail_conf_free(struct jail_conf *conf);

/*
 * Read a file ("-" is standard input) or a string into the configuration.
 * Errors in the text do not stop the reading: they are collected as
 * diagnostics, and the call returns -1 when any error was found.  err gets
 * a summary (the first error).
 */
int jail_conf_load(struct jail_conf *conf, const char *path,
    struct jail_error *err);
int jail_conf_load_string(struct jail_conf *conf, const char *name,
    const char *buf, size_t len, struct jail_error *err);

/*
 * Merge wildcard and global statements into every jail, substitute
 * variables, check every value against the parameter table and check the
 * jails against each other.  Returns -1 when the configuration holds any
 * error (including those found while loading).
 */
int jail_conf_resolve(struct jail_conf *conf, struct jail_error *err);

size_t jail_conf_ndiags(const struct jail_conf *conf);
const struct jail_diag *jail_conf_diag(const struct jail_conf *conf, size_t i);
size_t jail_conf_nerrors(const struct jail_conf *conf);

/* The jails, in the order the file first names them (after resolve). */
size_t jail_conf_njails(const struct jail_conf *conf);
struct jail *jail_conf_jail(const struct jail_conf *conf, size_t i);
struct jail *jail_conf_find(const struct jail_conf *conf, const char *name);

const char *jail_name(const struct jail *j);

/*
 * Jail names: letters, digits, '_' and '-', not starting with '-', at most
 * JAIL_NAMEMAX - 1 bytes.
 */
int jail_name_valid(const char *name, struct jail_error *err);

/*
 * The parameter table.  Parameters are numbered 0 .. jail_param_count()-1;
 * jail_param_lookup() returns -1 (and a suggestion in err) for an unknown
 * name.
 */
enum jail_ptype {
	JAIL_PT_STRING,
	JAIL_PT_BOOL,
	JAIL_PT_INT,
	JAIL_PT_SIZE,     /* bytes: 64M, 1.5G, max */
	JAIL_PT_DURATION, /* seconds: 10, 90s, 5m, 1h */
	JAIL_PT_ENUM,
	JAIL_PT_PATH,  /* absolute */
	JAIL_PT_CORES, /* decimal number of CPUs: 1.5, max */
	JAIL_PT_RLIMIT /* soft[:hard], unlimited */
};

#define JAIL_PF_LIST    0x01 /* takes a list of values; += appends */
#define JAIL_PF_LIVE    0x02 /* changeable on a running jail */
#define JAIL_PF_NOLINUX 0x04 /* FreeBSD only: accepted, warned, ignored */
#define JAIL_PF_MAX     0x08 /* also takes "max" / "unlimited" */
#define JAIL_PF_FIXED   0x10 /* set by the block name; cannot be redefined */

int jail_param_count(void);
int jail_param_lookup(const char *name, struct jail_error *err);
const char *jail_param_name(int p);
enum jail_ptype jail_param_type(int p);
int jail_param_flags(int p);

/*
 * Values of a resolved jail.  jail_get() gives the first (for lists) value
 * in canonical text, or NULL when the parameter is unset and has no default.
 * jail_get_list() gives all values.  jail_get_num() gives the number behind
 * a bool, int, size, duration, cores (in thousandths) or enum (its index),
 * JAIL_UNLIMITED for "max"; for rlimits the soft limit, and the hard one in
 * *hard.  jail_param_isset() tells whether the file set it (as opposed to a
 * default).
 */
const char *jail_get(const struct jail *j, int p);
size_t jail_get_list(const struct jail *j, int p, const char *const **vals);
int jail_get_num(const struct jail *j, int p, int64_t *num, int64_t *hard);
int jail_param_isset(const struct jail *j, int p);
int jail_param_hasvalue(const struct jail *j, int p);

/*
 * Write the resolved jail as jail.conf text that reads back to the same
 * jail: a block with one "name = value;" per line.  Returns a malloc'ed
 * string for the caller to free.
 */
char *jail_format(const struct jail *j, struct jail_error *err);

/* Quote a value for jail.conf; malloc'ed. */
char *jail_quote(const char *s);

/*
 * The lifecycle.  Each call takes the jail's lock in env->statedir for as
 * long as it changes the jail.
 */
struct jail_env {
	const char *statedir;  /* STATEDIR: /run/jail */
	const char *templates; /* the template store */
	const char *recipes;   /* template recipes: DIR/NAME/build */
};

struct jail_status {
	int running;
	int created;
	int pid; /* the holder, as the host sees it */
	long jid;
	char path[4096];    /* from the record */
	char hostname[72];  /* from the record */
	char template[256]; /* what create made the tree from */
	char build[128];    /* which build of the template */
	char method[16];    /* copy or overlay */
	char troot[4096];   /* the template's tree (overlay: lower layer) */
};

struct jail_execreq {
	char *const *argv; /* NULL: the user's shell */
	char *const *env;  /* extra K=V (NULL-terminated), or NULL */
	const char *user;  /* name, uid or uid:gid in the jail; NULL: root */
	const char *dir;   /* inside the jail, or NULL */
	const char *term;  /* TERM to pass on, or NULL */
	int login;         /* -l: clean login environment, start at home */
	int tty;           /* 0: the command runs in a session of its own */
	int pty;           /* -t: on a new pty, relayed to our terminal */
	int last;          /* the caller exits after: jail_exec() may leave it
	                      in the jail's namespaces (not its PID one),
	                      and saves a fork */
};

int jail_status(const struct jail *j, const struct jail_env *env,
    struct jail_status *st, struct jail_error *err);
int jail_status_byname(const char *name, const struct jail_env *env,
    struct jail_status *st, struct jail_error *err);
/* The names of the jails with a record in statedir (NULL-terminated). */
char **jail_state_names(const char *statedir, size_t *n);
int jail_start(struct jail *j, const struct jail_env *env,
    struct jail_error *err);
/*
 * Before starting several jails at once (in several processes): give each
 * jail without a jid parameter a distinct free JID now.
 */
void jail_assign_jids(struct jail *const *js, size_t n,
    const struct jail_env *env);
int jail_stop(struct jail *j, const struct jail_env *env,
    struct jail_error *err);

/*
 * A running jail's limits.  jail_stats(): what its cgroups account;
 * `have` says which fields the host's cgroups give (JAIL_STATS_*).
 * jail_set(): change limits ("memory.max=512M" each) of a running jail,
 * all checked before any is written; the configuration file stays as it
 * is.  jail_live_values(): for show, the values in force replace the
 * configuration's in j.
 */
#define JAIL_STATS_MEM      0x001
#define JAIL_STATS_MEMPEAK  0x002
#define JAIL_STATS_OOM      0x004
#define JAIL_STATS_PIDS     0x008
#define JAIL_STATS_PIDSMAX  0x010
#define JAIL_STATS_CPU      0x020
#define JAIL_STATS_THROTTLE 0x040
struct jail_stats {
	uint64_t mem_current, mem_peak; /* bytes */
	uint64_t oom_kills;             /* processes the OOM killer ended */
	uint64_t pids_current;          /* tasks */
	uint64_t pids_max_hit;          /* forks refused by pids.max */
	uint64_t cpu_usec, cpu_user_usec, cpu_system_usec;
	uint64_t nr_periods, nr_throttled, throttled_usec; /* cpu.max */
	unsigned have;
	char backend[8]; /* "v1", "v2" or "mixed" */
};
int jail_stats(const struct jail *j, const struct jail_env *env,
    struct jail_stats *s, struct jail_error *err);
int jail_set(const struct jail *j, const struct jail_env *env,
    char *const *assign, size_t n, struct jail_error *err);
int jail_live_values(struct jail *j, const struct jail_env *env,
    struct jail_error *err);
int jail_create(struct jail *j, const struct jail_env *env, const char *tmpl,
    struct jail_error *err);
int jail_destroy(struct jail *j, const struct jail_env *env,
    struct jail_error *err);
int jail_exec(struct jail *j, const struct jail_env *env,
    const struct jail_execreq *req, int *status, struct jail_error *err);

#endif /* LIBJAIL_H */
