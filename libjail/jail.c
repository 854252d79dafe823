/*
 * jail: the lifecycle.  start runs FreeBSD's order as an ordered list of
 * steps (exec.prepare, exec.prestart, create, exec.created, exec.start,
 * exec.poststart); when a step fails, the steps already done are undone
 * backwards and the error names the step.  Every verb that changes a jail
 * holds its lock; the state record is re-checked, never trusted.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sys/file.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "jailp.h"
#include "template.h"
#include "userns.h"

static int
pnum(const char *name)
{
	int p = jail_param_lookup(name, NULL);

	return p; /* the table always holds the names used here */
}

static int
getbool(const struct jail *j, const char *name)
{
	int64_t v = 0;

	jail_get_num(j, pnum(name), &v, NULL);
	return v != 0;
}

static int
filter_path(const struct jail_env *env, const struct jail *j, char *buf,
    size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s/filter.bpf", env->statedir,
	        jail_name(j)) >= len)
		return -1;
	return 0;
}

/*
 * How every process entering j is confined; with a running jail's
 * statedir, the filter built when it started.
 */
static void
confine_of(const struct jail *j, const struct jail_env *env,
    struct jail_confine *c)
{
	char path[PATH_MAX];

	const char *sc = jail_get(j, pnum("seccomp"));

	memset(c, 0, sizeof(*c));
	jail_caps_of(j, &c->caps, &c->sc);
	c->nnp = !getbool(j, "allow.setuid");
	if (sc == NULL || strcmp(sc, "default") == 0)
		c->seccomp = JAIL_SECCOMP_DEFAULT;
	else if (strcmp(sc, "none") == 0)
		c->seccomp = JAIL_SECCOMP_NONE;
	else {
		c->seccomp = JAIL_SECCOMP_FILE;
		c->seccomp_file = sc;
	}
	if (env != NULL && c->seccomp != JAIL_SECCOMP_NONE &&
	    filter_path(env, j, path, sizeof(path)) == 0)
		c->bpf = jail_seccomp_read(path, &c->bpflen);
}

static int
getint(const struct jail *j, const char *name, int def)
{
	int64_t v;

	if (jail_get_num(j, pnum(name), &v, NULL) == -1)
		return def;
	return (int)v;
}

/*
 * Run one exec.* command on the host with /bin/sh -c, with JID, JNAME and
 * JPATH in the environment (unless exec.clean), bounded by exec.timeout.
 */
static int
host_cmd(const struct jail *j, long jid, const char *cmd, int timeout,
    int logfd, int *status, struct jail_error *err)
{
	const char *suser = jail_get(j, pnum("exec.system_user"));
	struct jail_user u;
	char sjid[32];
	struct pollfd pfd;
	int pidfd = -1, rc, st, clean = getbool(j, "exec.clean"), i;
	pid_t pid;

	if (suser != NULL) {
		if (jail_user_lookup_host(suser, &u, err) == -1)
			return jail_preerr(err, "exec.system_user");
		/* the primary group among the groups, as initgroups(3) */
		for (i = 0; i < u.ngroups && u.groups[i] != u.gid; i++)
			;
		if (i == u.ngroups && u.ngroups < JAIL_MAXGROUPS)
			u.groups[u.ngroups++] = u.gid;
	}
	snprintf(sjid, sizeof(sjid), "%ld", jid);
	fflush(NULL);
	if ((pid = fork()) == -1)
		return jail_seterr(err, errno, "fork");
	if (pid == 0) {
		setpgid(0, 0); /* a timeout ends the hook and all it started */
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* and so does our death */
		if (logfd != -1 &&
		    (dup2(logfd, 1) == -1 || dup2(logfd, 2) == -1))
			_exit(125);
		if (suser != NULL &&
		    (setgroups((size_t)u.ngroups, u.groups) == -1 ||
		        setgid(u.gid) == -1 || setuid(u.uid) == -1))
			_exit(125);
		if (clean) {
			clearenv();
			setenv("PATH", "/bin:/usr/bin:/sbin:/usr/sbin", 1);
		} else {
			setenv("JID", sjid, 1);
			setenv("JNAME", jail_name(j), 1);
			setenv("JPATH", jail_get(j, P_PATH), 1);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (timeout > 0 &&
	    (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) != -1) {
		pfd.fd = pidfd;
		pfd.events = POLLIN;
		while ((rc = poll(&pfd, 1, timeout * 1000)) == -1 &&
		    errno == EINTR)
			;
		if (rc == 0) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			close(pidfd);
			return jail_seterr(err, 0,
			    "\"%s\": timed out after %d s", cmd, timeout);
		}
		close(pidfd);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return jail_seterr(err, errno, "wait");
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

/*
 * What every process entering a running jail takes on besides its
 * namespaces: the jail's cgroups (from its record, re-checked) and its
 * rlimits.  *cgp is NULL for a jail without cgroups.
 */
static int
entry_limits(const struct jail *j, const struct jail_state *st,
    struct jail_cg *cg, const struct jail_cg **cgp, struct jail_rlims *rl,
    struct jail_error *err)
{
	*cgp = NULL;
	jail_rlimits_of(j, rl);
	if (st->cgroup[0] == '\0')
		return 0;
	if (jail_cg_load_entry(cg, st->cgroup, err) == -1)
		return jail_preerr(err, "cgroup");
	*cgp = cg;
	return 0;
}

/*
 * One more jail's maps (from record o) among those in use; a map that
 * cannot be read is an error: its range might be anywhere.
 */
static int
add_used(struct jail_idused **used, size_t *n, const char *name,
    const struct jail_state *o, struct jail_error *err)
{
	struct jail_idused *nu;

	if ((nu = reallocarray(*used, *n + 1, sizeof(*nu))) == NULL)
		return jail_seterr(err, errno, "userns");
	*used = nu;
	memset(&nu[*n], 0, sizeof(*nu));
	if ((nu[*n].name = strdup(name)) == NULL)
		return jail_seterr(err, errno, "userns");
	(*n)++;
	if (jail_idmaps_scan(o->uidmap, o->gidmap, &nu[*n - 1].m) == -1)
		return jail_seterr(err, 0,
		    "userns: the maps recorded for jail \"%s\" are unreadable",
		    name);
	return 0;
}

/*
 * The user namespace maps of the jail: its record's when it has them (a
 * created jail keeps its range for good: its files are owned by it), else
 * its parameters'.  userns = auto picks the lowest free range of root's in
 * /etc/subuid; explicit maps must not overlap another jail's.  Both look
 * at every record under STATEDIR, under STATEDIR/.userns.lock, and the
 * choice is recorded (st written) before the lock goes.  *on = 0: none.
 */
static int
userns_maps(const struct jail *j, const struct jail_env *env,
    struct jail_state *st, struct jail_idmaps *m, int *on,
    struct jail_error *err)
{
	struct jail_idused *used = NULL;
	struct jail_state o;
	struct dirent *de;
	char lockpath[PATH_MAX];
	size_t nused = 0, i;
	int mode, lock, rc = -1;
	DIR *d;

	*on = 0;
	if (jail_idmaps_of(j, m, &mode, err) == -1)
		return -1;
	if (mode == JAIL_USERNS_NONE) {
		st->uidmap[0] = st->gidmap[0] = '\0';
		return 0;
	}
	if (mode == JAIL_USERNS_AUTO && st->uidmap[0] != '\0') {
		if (jail_idmaps_scan(st->uidmap, st->gidmap, m) == -1)
			return jail_seterr(err, 0,
			    "userns: the record's maps are unreadable");
		*on = 1;
		return 0;
	}
	if (mkdir(env->statedir, 0700) == -1 && errno != EEXIST)
		return jail_seterr(err, errno, "%s", env->statedir);
	snprintf(lockpath, sizeof(lockpath), "%s/.userns.lock", env->statedir);
	lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock == -1 || flock(lock, LOCK_EX) == -1) {
		jail_seterr(err, errno, "%s", lockpath);
		goto out;
	}
	if ((d = opendir(env->statedir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' ||
			    strcmp(de->d_name, jail_name(j)) == 0 ||
			    jail_name_valid(de->d_name, NULL) == -1 ||
			    jail_state_read(env->statedir, de->d_name, &o,
			        NULL) == -1 ||
			    o.uidmap[0] == '\0')
				continue;
			if (add_used(&used, &nused, de->d_name, &o, err) ==
			    -1) {
				closedir(d);
				goto out;
			}
		}
		closedir(d);
	}
	/*
	 * and the trees create made for the other jails of the file, whose
	 * records STATEDIR may have lost (a reboot empties /run)
	 */
	for (i = 0; j->conf != NULL && i < j->conf->njails; i++) {
		if (j->conf->jails[i] == j ||
		    jail_created_read(jail_get(j->conf->jails[i], P_PATH),
		        &o) == -1 ||
		    o.uidmap[0] == '\0')
			continue;
		if (add_used(&used, &nused, jail_name(j->conf->jails[i]), &o,
		        err) == -1)
			goto out;
	}
	if (mode == JAIL_USERNS_AUTO)
		rc = jail_userns_auto(jail_name(j), used, nused, m, err);
	else
		rc = jail_userns_check(jail_name(j), m, used, nused, err);
	if (rc == 0) {
		jail_idmaps_text(m, 0, st->uidmap, sizeof(st->uidmap));
		jail_idmaps_text(m, 1, st->gidmap, sizeof(st->gidmap));
		/* claimed before the lock goes */
		rc = jail_state_write(env->statedir, jail_name(j), st, err);
		*on = rc == 0;
	}
out:
	while (nused > 0)
		free((char *)used[--nused].name);
	free(used);
	if (lock != -1)
		close(lock);
	return rc;
}

/*
 * A new tree for a jail with a user namespace: a copy is shifted into the
 * jail's range (root inside owns what host root owned); a thin jail's own
 * layers belong to its root, the template is seen through an idmapped
 * mount at start.
 */
static int
userns_tree(const struct jail_state *st, int overlay,
    const struct jail_idmaps *m, struct jail_error *err)
{
	char layers[PATH_MAX], p[PATH_MAX + 8];
	uint32_t ru, rg;
	int fd, rc;

	if (!overlay) {
		fd = open(st->path,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1)
			return jail_seterr(err, errno, "%s", st->path);
		rc = jail_tree_shift(fd, m, err);
		close(fd);
		return rc == -1 ? jail_preerr(err, "userns") : 0;
	}
	if (jail_idmaps_host(m, 0, 0, &ru) == -1 ||
	    jail_idmaps_host(m, 1, 0, &rg) == -1)
		return jail_seterr(err, 0, "userns: the map has no root (0)");
	if (jail_tree_layers(st->path, layers, sizeof(layers)) == -1)
		return jail_seterr(err, errno, "%s", st->path);
	snprintf(p, sizeof(p), "%s/upper", layers);
	if (lchown(p, ru, rg) == -1)
		return jail_seterr(err, errno, "%s", p);
	snprintf(p, sizeof(p), "%s/work", layers);
	if (lchown(p, ru, rg) == -1)
		return jail_seterr(err, errno, "%s", p);
	return 0;
}

/* Run every command of one exec.* parameter, in order; any failure fails. */
static int
run_hook(const struct jail *j, const struct jail_env *env,
    const struct jail_state *st, const char *hook, int inside,
    struct jail_error *err)
{
	const char *const *cmds;
	struct jail_execopts x;
	struct jail_confine conf;
	struct jail_cg cg;
	const struct jail_cg *cgp = NULL;
	struct jail_rlims rl;
	const char *log;
	char *argv[4];
	size_t n, i;
	int status, rc = 0, logfd = -1, timeout = getint(j, "exec.timeout", 0);

	n = jail_get_list(j, pnum(hook), &cmds);
	if (n > 0 && (log = jail_get(j, pnum("exec.consolelog"))) != NULL &&
	    (logfd = open(log,
	         O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600)) ==
	        -1)
		return jail_seterr(err, errno, "exec.consolelog: %s", log);
	if (n > 0 && inside && entry_limits(j, st, &cg, &cgp, &rl, err) == -1) {
		if (logfd != -1)
			close(logfd);
		return jail_preerr(err, "%s", hook);
	}
	for (i = 0; i < n; i++) {
		if (inside) {
			argv[0] = "/bin/sh";
			argv[1] = "-c";
			argv[2] = (char *)cmds[i];
			argv[3] = NULL;
			memset(&x, 0, sizeof(x));
			confine_of(j, env, &conf);
			x.confine = &conf;
			x.argv = argv;
			x.user = jail_get(j, pnum("exec.jail_user"));
			x.setsid = 1;
			x.outfd = logfd;
			x.timeout = timeout;
			x.cg = cgp;
			x.rl = &rl;
			x.userns = st->uidmap[0] != '\0';
			rc = jail_ns_exec(st->pid, st->starttime, &x, &status,
			    err);
			free(conf.bpf);
			if (rc == -1) {
				jail_preerr(err, "%s", hook);
				break;
			}
		} else if (host_cmd(j, st->jid, cmds[i], timeout, logfd,
		               &status, err) == -1) {
			rc = jail_preerr(err, "%s", hook);
			break;
		}
		if (status != 0) {
			rc = jail_seterr(err, 0,
			    "%s: \"%s\" failed with status %d", hook, cmds[i],
			    status);
			break;
		}
	}
	if (logfd != -1)
		close(logfd);
	if (cgp != NULL)
		jail_cg_close(&cg);
	return rc;
}

/*
 * The JIDs the running jails under statedir hold.  The records are scanned
 * once per process: starting 100 jails in one call must not read 100
 * records 100 times.
 */
static unsigned char jids_used[4096];

static void
used_jids(const struct jail_env *env)
{
	static const char *scanned;
	struct jail_state st;
	struct dirent *de;
	DIR *d;

	if (scanned == env->statedir || (d = opendir(env->statedir)) == NULL)
		return;
	memset(jids_used, 0, sizeof(jids_used));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    jail_name_valid(de->d_name, NULL) == -1)
			continue;
		if (jail_state_read(env->statedir, de->d_name, &st, NULL) ==
		        0 &&
		    jail_state_alive(&st) && st.jid > 0 &&
		    st.jid < (long)sizeof(jids_used))
			jids_used[st.jid] = 1;
	}
	closedir(d);
	scanned = env->statedir;
}

/* The smallest JID that no running jail holds (nor one given out here). */
static long
free_jid(const struct jail_env *env, const struct jail *j)
{
	int64_t v;
	long jid;

	if (jail_get_num(j, P_JID, &v, NULL) == 0)
		return (long)v;
	if (j->jid_pre > 0)
		return j->jid_pre;
	used_jids(env);
	for (jid = 1; jid < (long)sizeof(jids_used) - 1 && jids_used[jid];
	     jid++)
		;
	jids_used[jid] = 1;
	return jid;
}

void
jail_assign_jids(struct jail *const *js, size_t n, const struct jail_env *env)
{
	size_t i;

	for (i = 0; i < n; i++)
		js[i]->jid_pre = free_jid(env, js[i]);
}

/*
 * The jail's record, and when STATEDIR does not know the jail as created
 * (emptied by a reboot), what create kept beside its tree.
 */
static int
load(const struct jail *j, const struct jail_env *env, struct jail_state *st,
    struct jail_error *err)
{
	struct jail_state c;

	if (jail_state_read(env->statedir, jail_name(j), st, err) == -1)
		return -1;
	if (!st->created && jail_created_read(jail_get(j, P_PATH), &c) == 0) {
		st->created = 1;
		strlcpy(st->path, c.path, sizeof(st->path));
		strlcpy(st->template, c.template, sizeof(st->template));
		strlcpy(st->troot, c.troot, sizeof(st->troot));
		strlcpy(st->build, c.build, sizeof(st->build));
		strlcpy(st->method, c.method, sizeof(st->method));
		strlcpy(st->uidmap, c.uidmap, sizeof(st->uidmap));
		strlcpy(st->gidmap, c.gidmap, sizeof(st->gidmap));
	}
	return 0;
}

/*
 * A record whose holder is gone (a jail without persist that ended with
 * its last process, or a crash) is put right when nobody holds the lock:
 * forgotten, or for a created jail kept without the holder.  Nothing of
 * the jail is left on the host to undo: its mounts were in its own mount
 * namespace.
 */
static int drop_cgroup(struct jail_state *, struct jail_error *);

static void
reconcile(const char *statedir, const char *name)
{
	struct jail_state st;
	int lock;

	if ((lock = jail_state_trylock(statedir, name)) == -1)
		return; /* someone is at it */
	if (jail_state_read(statedir, name, &st, NULL) == 0 && st.pid != 0 &&
	    !jail_state_alive(&st)) {
		st.pid = 0;
		st.starttime = 0;
		if (st.cgroup[0] != '\0')
			drop_cgroup(&st, NULL);
		if (st.created)
			jail_state_write(statedir, name, &st, NULL);
		else
			jail_state_remove(statedir, name, NULL);
	}
	close(lock);
}

/* The state of a jail by name: what its record says, checked. */
int
jail_status_byname(const char *name, const struct jail_env *env,
    struct jail_status *js, struct jail_error *err)
{
	struct jail_state st;

	memset(js, 0, sizeof(*js));
	if (jail_state_read(env->statedir, name, &st, err) == -1)
		return -1;
	if (st.pid != 0 && !jail_state_alive(&st))
		reconcile(env->statedir, name);
	js->created = st.created;
	strlcpy(js->path, st.path, sizeof(js->path));
	strlcpy(js->hostname, st.hostname, sizeof(js->hostname));
	strlcpy(js->template, st.template, sizeof(js->template));
	strlcpy(js->build, st.build, sizeof(js->build));
	strlcpy(js->method, st.method, sizeof(js->method));
	strlcpy(js->troot, st.troot, sizeof(js->troot));
	if (jail_state_alive(&st)) {
		js->running = 1;
		js->pid = st.pid;
		js->jid = st.jid;
	}
	return 0;
}

int
jail_status(const struct jail *j, const struct jail_env *env,
    struct jail_status *js, struct jail_error *err)
{
	struct jail_state st;

	if (jail_status_byname(jail_name(j), env, js, err) == -1)
		return -1;
	if (!js->created && load(j, env, &st, NULL) == 0 && st.created) {
		js->created = 1;
		strlcpy(js->template, st.template, sizeof(js->template));
		strlcpy(js->build, st.build, sizeof(js->build));
		strlcpy(js->method, st.method, sizeof(js->method));
		strlcpy(js->troot, st.troot, sizeof(js->troot));
	}
	return 0;
}

/*
 * The host directories a host template wants bound into the jail, from
 * TROOT/.jail-host-binds in the template store (not the jail's copy).
 */
static int
read_binds(const char *troot, char ***bindsp, size_t *np,
    struct jail_error *err)
{
	char path[PATH_MAX + 32], line[PATH_MAX], **b = NULL, **nb;
	size_t n = 0;
	FILE *f;

	*bindsp = NULL;
	*np = 0;
	if (troot[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s/.jail-host-binds", troot);
	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0
		                       : jail_seterr(err, errno, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '/')
			continue;
		if ((nb = reallocarray(b, n + 2, sizeof(*b))) == NULL)
			break;
		b = nb;
		if ((b[n] = strdup(line)) != NULL)
			b[++n] = NULL;
	}
	fclose(f);
	*bindsp = b;
	*np = n;
	return 0;
}

static void
free_binds(char **b)
{
	size_t i;

	for (i = 0; b != NULL && b[i] != NULL; i++)
		free(b[i]);
	free(b);
}

/*
 * Start a defined jail.  The steps run in FreeBSD's order; a failure undoes
 * what is done and names the step.
 */
int
jail_start(struct jail *j, const struct jail_env *env, struct jail_error *err)
{
	return jail_start_flags(j, env, 0, NULL, err);
}

/*
 * JAIL_START_HOLD: keep the jail (as with persist) for a caller that stops
 * it itself, as the one-off instance of exec does.
 */
int
jail_start_flags(struct jail *j, const struct jail_env *env, int flags,
    struct jail_state *out, struct jail_error *err)
{
	char layers[PATH_MAX], upper[PATH_MAX + 8], work[PATH_MAX + 8];
	struct jail_nsopts o;
	struct jail_state st;
	struct jail_error je;
	struct jail_nsh h = { .efd = -1, .gofd = -1 };
	struct jail_confine conf;
	struct jail_cg cg;
	struct jail_rlims rl;
	struct jail_idmaps um;
	char fpath[PATH_MAX], shared[PATH_MAX], lower[PATH_MAX + 8];
	int uon = 0, ufd = -1;
	int lock, rc = -1, vnet, have_cg = 0, cgt[JAIL_CG_MAXH], ncgt = 0;
	int64_t v;

	memset(&o, 0, sizeof(o));
	o.lowerfd = -1;
	o.cgfd = -1;
	if ((lock = jail_state_lock(env->statedir, jail_name(j), err)) == -1)
		return -1;
	if (load(j, env, &st, err) == -1)
		goto out;
	if (jail_state_alive(&st)) {
		jail_seterr(err, 0, "already running (pid %d)", (int)st.pid);
		err->code = EEXIST;
		goto out;
	}
	st.pid = 0;
	st.starttime = 0;
	strlcpy(st.path, jail_get(j, P_PATH), sizeof(st.path));
	st.jid = free_jid(env, j);
	if (userns_maps(j, env, &st, &um, &uon, err) == -1)
		goto out;
	if (run_hook(j, env, &st, "exec.prepare", 0, err) == -1)
		goto out;
	o.root = st.path;
	if (strcmp(st.method, "overlay") == 0) {
		if (jail_tree_layers(st.path, layers, sizeof(layers)) == -1) {
			jail_seterr(err, ENAMETOOLONG, "overlay: %s", st.path);
			goto release;
		}
		if (strpbrk(st.troot, ":,") != NULL ||
		    strpbrk(layers, ":,") != NULL) {
			/* overlayfs would read them as option separators */
			jail_seterr(err, EINVAL,
			    "overlay: \":\" or \",\" in %s or %s", st.troot,
			    layers);
			goto release;
		}
		snprintf(upper, sizeof(upper), "%s/upper", layers);
		snprintf(work, sizeof(work), "%s/work", layers);
		o.lower = st.troot;
		o.upper = upper;
		o.work = work;
		if (uon) {
			/*
			 * The template, owned by the host's ids, seen
			 * through the jail's map: an idmapped mount that
			 * the holder attaches at layers/lower.
			 */
			snprintf(lower, sizeof(lower), "%s/lower", layers);
			if ((mkdir(lower, 0700) == -1 && errno != EEXIST) ||
			    (ufd = jail_userns_open(&um, err)) == -1) {
				if (ufd == -1 && errno != 0)
					jail_seterr(err, errno, "%s", lower);
				goto release;
			}
			o.lowerfd = jail_idmap_mount_fd(st.troot, ufd, err);
			close(ufd);
			if (o.lowerfd == -1) {
				jail_preerr(err, "userns: template");
				goto release;
			}
			o.lower = lower;
		}
	}
	if (uon)
		o.maps = &um;
	o.hostname = jail_get(j, P_HOSTNAME);
	o.domainname = jail_get(j, P_DOMAINNAME);
	o.nmounts = jail_get_list(j, P_MOUNT, &o.mounts);
	o.fstab = jail_get(j, pnum("mount.fstab"));
	o.procfs = getbool(j, "mount.procfs");
	o.devfs = getbool(j, "mount.devfs");
	o.sysfs = getbool(j, "mount.sysfs");
	o.tmp = getbool(j, "mount.tmp");
	o.readonly = getbool(j, "read_only");
	vnet = jail_get_num(j, pnum("vnet"), &v, NULL) == 0 ? v == 0 : 1;
	o.newnet = vnet;
	o.persist = getbool(j, "persist") || (flags & JAIL_START_HOLD);
	o.stop_timeout = getint(j, "stop.timeout", 10);
	o.confine = 1;

	/*
	 * The filters, built before anything starts (a bad seccomp file
	 * fails here): the jail's, for every process that enters, and the
	 * holder's.  The default ones are shared between jails.
	 */
	confine_of(j, NULL, &conf);
	if (filter_path(env, j, fpath, sizeof(fpath)) == -1) {
		jail_seterr(err, ENAMETOOLONG, "%s", env->statedir);
		goto release;
	}
	if (conf.seccomp == JAIL_SECCOMP_DEFAULT) {
		if (jail_seccomp_shared(env->statedir, conf.sc, shared,
		        sizeof(shared), err) == -1)
			goto release;
		unlink(fpath);
		if (link(shared, fpath) == -1 &&
		    jail_seccomp_export(conf.seccomp, conf.sc, NULL, fpath,
		        err) == -1)
			goto release;
	} else if (jail_seccomp_export(conf.seccomp, conf.sc, conf.seccomp_file,
	               fpath, err) == -1)
		goto release;
	if (!jail_ns_small_holder() &&
	    jail_seccomp_shared(env->statedir, 0, shared, sizeof(shared),
	        NULL) == 0)
		o.hbpf = jail_seccomp_read(shared, &o.hbpflen);

	/* rlimits that no process entering could set fail the start now */
	jail_rlimits_of(j, &rl);
	if (jail_rlimits_check(&rl, uon, err) == -1) {
		free(o.hbpf);
		goto release;
	}

	/*
	 * The jail's cgroups, its limits written, before its first process:
	 * the holder is born in them (v2) or put there at once (v1), and
	 * all that enters later joins them.  A jail that sets no limit
	 * runs without when the host gives it none (no cgroup file system,
	 * no write access): there is nothing to enforce then.
	 */
	st.cgroup[0] = '\0';
	if (jail_cg_create(&cg, j, jail_name(j), err) == 0) {
		have_cg = 1;
		if ((size_t)jail_cg_save(&cg, st.cgroup, sizeof(st.cgroup)) >=
		    sizeof(st.cgroup)) {
			free(o.hbpf);
			jail_seterr(err, ENAMETOOLONG, "cgroup: path too long");
			goto release;
		}
		o.cgfd = jail_cg_v2fd(&cg);
		o.cgns = 1;
		/* the holder joins the v1 ones itself, at once */
		if ((ncgt = jail_cg_selffds(&cg, cgt, JAIL_CG_MAXH, err)) ==
		    -1) {
			ncgt = 0;
			free(o.hbpf);
			jail_preerr(err, "cgroup");
			goto release;
		}
		o.cgt = cgt;
		o.ncgt = ncgt;
	} else if (jail_cg_wanted(j)) {
		free(o.hbpf);
		jail_preerr(err, "cgroup");
		goto release;
	}

	/* mounts (in the jail's own mount namespace), then exec.prestart */
	if (read_binds(st.troot, &o.binds, &o.nbinds, err) == -1) {
		free(o.hbpf);
		goto release;
	}
	rc = jail_ns_start(&o, &h, err);
	free_binds(o.binds);
	free(o.hbpf);
	if (o.lowerfd != -1)
		close(o.lowerfd);
	o.lowerfd = -1;
	while (ncgt > 0)
		close(cgt[--ncgt]);
	if (rc == -1)
		goto release;
	rc = -1;
	if (run_hook(j, env, &st, "exec.prestart", 0, err) == -1) {
		jail_ns_abort(&h);
		goto release;
	}
	if (jail_ns_create(&h, err) == -1) {
		jail_preerr(err, "create");
		goto release;
	}
	st.pid = h.pid;
	st.starttime = h.start;
	if (o.hostname != NULL)
		strlcpy(st.hostname, o.hostname, sizeof(st.hostname));
	if (jail_state_write(env->statedir, jail_name(j), &st, err) == -1) {
		jail_ns_abort(&h); /* the holder sees no go and exits */
		st.pid = 0;
		goto release;
	}
	jail_ns_go(&h);
	if (run_hook(j, env, &st, "exec.created", 0, err) == -1 ||
	    run_hook(j, env, &st, "exec.start", 1, err) == -1)
		goto kill;
	/*
	 * Start is over: the jail outlives jailctl from here on, and one
	 * without persist ends with its last process.  A one-off instance
	 * (HOLD) is never released: it dies with its jailctl.
	 */
	if (!(flags & JAIL_START_HOLD) && jail_ns_release(&h, err) == -1)
		goto kill;
	if (run_hook(j, env, &st, "exec.poststart", 0, err) == -1)
		goto kill;
	if (out != NULL)
		*out = st;
	rc = 0;
	goto out;
kill:
	jail_ns_stop(st.pid, st.starttime, 0, NULL);
	st.pid = 0;
	st.starttime = 0;
	st.cgroup[0] = '\0'; /* removed below */
	jail_state_write(env->statedir, jail_name(j), &st, NULL);
release:
	/* exec.prepare ran: give exec.release its chance to undo it */
	run_hook(j, env, &st, "exec.release", 0, &je);
out:
	if (o.lowerfd != -1)
		close(o.lowerfd);
	if (h.efd != -1)
		close(h.efd);
	while (ncgt > 0)
		close(cgt[--ncgt]);
	if (have_cg) {
		if (rc == -1 && st.pid == 0)
			jail_cg_remove(&cg, NULL);
		jail_cg_close(&cg);
	}
	if (rc == -1 && st.created == 0 && st.pid == 0)
		jail_state_remove(env->statedir, jail_name(j), NULL);
	close(lock);
	return rc;
}

static int stop_holder(struct jail *, const struct jail_env *, pid_t, uint64_t,
    struct jail_error *);

/*
 * The jail is gone (its PID namespace with its holder): end what is left
 * in its cgroups and remove them.  The record forgets them even when that
 * fails, with the reason.
 */
static int
drop_cgroup(struct jail_state *st, struct jail_error *err)
{
	struct jail_cg cg;
	int rc = 0;

	if (jail_cg_load(&cg, st->cgroup, err) == -1)
		rc = jail_preerr(err, "cgroup");
	else {
		if (jail_cg_remove(&cg, err) == -1)
			rc = jail_preerr(err, "cgroup");
		jail_cg_close(&cg);
	}
	st->cgroup[0] = '\0';
	return rc;
}

int
jail_stop(struct jail *j, const struct jail_env *env, struct jail_error *err)
{
	return stop_holder(j, env, 0, 0, err);
}

/*
 * Stop the jail; with pid (and its start time) only if that holder is
 * still the one running it: a one-off instance that someone else stopped
 * meanwhile must not stop the jail that was started after it.
 */
static int
stop_holder(struct jail *j, const struct jail_env *env, pid_t pid,
    uint64_t start, struct jail_error *err)
{
	struct jail_state st;
	struct jail_error je;
	int lock, rc = 0;

	if ((lock = jail_state_lock(env->statedir, jail_name(j), err)) == -1)
		return -1;
	if (load(j, env, &st, err) == -1) {
		close(lock);
		return -1;
	}
	if (pid != 0 && (st.pid != pid || st.starttime != start)) {
		close(lock);
		return 0; /* ours is gone already, stopped by someone else */
	}
	if (!jail_state_alive(&st)) {
		if (st.pid != 0) /* a stale record: the holder died */
			goto clean;
		/* under the lock: a start may be waiting for it */
		if (!st.created)
			jail_state_remove(env->statedir, jail_name(j), NULL);
		close(lock);
		return jail_seterr(err, 0, "not running");
	}
	if (run_hook(j, env, &st, "exec.prestop", 0, err) == -1 ||
	    run_hook(j, env, &st, "exec.stop", 1, err) == -1)
		rc = -1; /* FreeBSD stops all the same */
	jail_ns_stop(st.pid, st.starttime, getint(j, "stop.timeout", 10), NULL);
clean:
	if (st.cgroup[0] != '\0' && drop_cgroup(&st, rc == 0 ? err : &je) == -1)
		rc = -1;
	if (run_hook(j, env, &st, "exec.poststop", 0, rc == 0 ? err : &je) ==
	    -1)
		rc = -1;
	if (run_hook(j, env, &st, "exec.release", 0, rc == 0 ? err : &je) == -1)
		rc = -1;
	st.pid = 0;
	st.starttime = 0;
	if (st.created)
		jail_state_write(env->statedir, jail_name(j), &st, NULL);
	else
		jail_state_remove(env->statedir, jail_name(j), NULL);
	close(lock);
	return rc;
}

/*
 * Run a command in the jail.  On a running jail it enters it; on a defined
 * jail that is not running it starts a one-off instance, runs the command
 * and stops the instance again, leaving nothing.
 */
int
jail_exec(struct jail *j, const struct jail_env *env,
    const struct jail_execreq *req, int *status, struct jail_error *err)
{
	struct jail_execopts x;
	struct jail_confine conf;
	struct jail_state st;
	struct jail_error je;
	struct jail_cg cg;
	struct jail_rlims rl;
	int oneoff = 0, rc;

	/* the running record is all entering needs */
	if (jail_state_read(env->statedir, jail_name(j), &st, err) == -1)
		return -1;
	if (!jail_state_alive(&st)) {
		/* the instance's own holder, whatever the record says later */
		if (jail_start_flags(j, env, JAIL_START_HOLD, &st, err) == -1)
			return -1;
		oneoff = 1;
	}
	memset(&x, 0, sizeof(x));
	if (entry_limits(j, &st, &cg, &x.cg, &rl, err) == -1) {
		rc = -1;
		goto done;
	}
	x.rl = &rl;
	x.userns = st.uidmap[0] != '\0';
	confine_of(j, env, &conf);
	x.confine = &conf;
	x.argv = req->argv;
	x.env = req->env;
	x.user = req->user;
	x.dir = req->dir;
	x.term = req->term;
	x.login = req->login;
	x.setsid = !req->tty;
	x.pty = req->pty;
	x.direct = req->last && !oneoff;
	rc = jail_ns_exec(st.pid, st.starttime, &x, status, err);
	free(conf.bpf);
	if (x.cg != NULL)
		jail_cg_close(&cg);
done:
	if (!oneoff)
		return rc;
	if (stop_holder(j, env, st.pid, st.starttime, &je) == -1 && rc == 0) {
		*err = je;
		return -1;
	}
	return rc;
}

/*
 * Build the jail's root tree at path from its template (tmpl overrides the
 * "template" parameter): a copy, or for create.method = overlay a thin
 * jail over the template.  The record says which template build it is.
 */
int
jail_create(struct jail *j, const struct jail_env *env, const char *tmpl,
    struct jail_error *err)
{
	struct jail_state st;
	struct jail_idmaps um;
	int uon = 0;
	struct stat sb;
	const char *method = jail_get(j, pnum("create.method"));
	int lock, rc = -1, overlay;

	if (tmpl == NULL && (tmpl = jail_get(j, pnum("template"))) == NULL)
		return jail_seterr(err, 0,
		    "no template: set \"template\" or give -t");
	overlay = method != NULL && strcmp(method, "overlay") == 0;
	if ((lock = jail_state_lock(env->statedir, jail_name(j), err)) == -1)
		return -1;
	if (load(j, env, &st, err) == -1)
		goto out;
	if (jail_state_alive(&st)) {
		jail_seterr(err, 0, "running; stop and destroy it first");
		goto out;
	}
	if (st.created && lstat(st.path, &sb) == 0) {
		jail_seterr(err, 0, "already created at %s", st.path);
		goto out;
	}
	memset(&st, 0, sizeof(st));
	strlcpy(st.path, jail_get(j, P_PATH), sizeof(st.path));
	strlcpy(st.template, tmpl, sizeof(st.template));
	strlcpy(st.method, overlay ? "overlay" : "copy", sizeof(st.method));
	if (jail_template_get(env->templates, env->recipes, tmpl, st.troot,
	        sizeof(st.troot), st.build, sizeof(st.build), err) == -1)
		goto out;
	if (userns_maps(j, env, &st, &um, &uon, err) == -1)
		goto out;
	if (jail_tree_create(st.troot, st.path, overlay, err) == -1) {
		jail_preerr(err, "%s", st.path);
		goto out;
	}
	if (uon && userns_tree(&st, overlay, &um, err) == -1) {
		jail_tree_remove(st.path, overlay, NULL);
		goto out;
	}
	st.created = 1;
	if (jail_created_write(jail_name(j), &st, err) == -1 ||
	    jail_state_write(env->statedir, jail_name(j), &st, err) == -1) {
		jail_created_remove(st.path);
		jail_tree_remove(st.path, overlay, NULL);
		st.created = 0;
		goto out;
	}
	rc = 0;
out:
	if (rc == -1 && !st.created)
		jail_state_remove(env->statedir, jail_name(j), NULL);
	close(lock);
	return rc;
}

/*
 * Stop the jail if it runs, remove the root tree that create made (never a
 * tree it did not make, never through a symlink or into a mount), then the
 * record.
 */
int
jail_destroy(struct jail *j, const struct jail_env *env, struct jail_error *err)
{
	struct jail_state st;
	struct jail_error je;
	int lock, rc = -1;

	if (load(j, env, &st, err) == -1)
		return -1;
	if ((jail_state_alive(&st) || st.pid != 0) &&
	    jail_stop(j, env, &je) == -1 && jail_state_alive(&st)) {
		*err = je;
		return -1;
	}
	if ((lock = jail_state_lock(env->statedir, jail_name(j), err)) == -1)
		return -1;
	if (load(j, env, &st, err) == -1)
		goto out;
	if (jail_state_alive(&st)) {
		jail_seterr(err, 0, "started again meanwhile");
		goto out;
	}
	if (!st.created) {
		jail_state_remove(env->statedir, jail_name(j), NULL);
		jail_seterr(err, 0,
		    "%s was not made by create and is left as it is",
		    jail_get(j, P_PATH));
		goto out;
	}
	if (jail_tree_remove(st.path, strcmp(st.method, "overlay") == 0, err) ==
	    -1)
		goto out; /* the record stays: destroy can be tried again */
	jail_created_remove(st.path);
	rc = jail_state_remove(env->statedir, jail_name(j), err);
out:
	close(lock);
	return rc;
}
