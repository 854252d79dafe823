/*
 * state: a jail's record under STATEDIR/NAME/.  The record is a few
 * "key=value" lines ending in "end=1", written to a temporary file and
 * exchanged with the old one, so the path holds the old record or the new
 * one, never half of one (a reader that opened the old file re-reads: see
 * read_file()).  Verbs that change a jail hold an exclusive flock(2) on
 * the directory STATEDIR/NAME itself (a "lock" file of older versions is
 * removed with it).  A record is a claim, not a fact: the holder it names
 * is alive only if its PID still runs with the start time recorded (PIDs
 * are reused).
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"

static int
state_dir(const char *statedir, const char *name, char *buf, size_t len,
    struct jail_error *err)
{
	if (jail_name_valid(name, err) == -1)
		return -1;
	if ((size_t)snprintf(buf, len, "%s/%s", statedir, name) >= len)
		return jail_seterr(err, ENAMETOOLONG, "%s", statedir);
	return 0;
}

/* Is the open file fd still the one at path? */
static int
same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Spare record directories.  A stopped jail's record directory is not
 * removed but emptied and moved to STATEDIR/.spare/SLOT, for whichever jail
 * starts next: starting and stopping then make and free no inode.  That
 * matters on ext4 without a journal, whose allocator steps over every
 * inode freed in the last minutes one by one (on this kind of machine a
 * start took a millisecond more after a few thousand files went).  At
 * most SPARES of them, each holding two empty files; a slot is looked for
 * a few steps from a hash of the name, and when none is free the directory
 * goes as before.
 */
#define SPARES 128
#define PROBES 4

static unsigned
spare_hash(const char *name)
{
	unsigned h = 2166136261u;

	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h;
}

/*
 * STATEDIR/.spare, opened without following a link, if it is a directory
 * of ours that nobody else may write (made when create is set); -1
 * otherwise.
 */
static int
spare_dir(const char *statedir, int create)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/.spare", statedir) >=
	    sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create &&
	    (mkdir(path, 0700) == 0 || errno == EEXIST))
		fd =
		    open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Is slot in sfd what spare_put() leaves: our directory, its record empty? */
static int
spare_ok(int sfd, const char *slot)
{
	char path[32];
	struct stat sb;

	if (fstatat(sfd, slot, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077) != 0)
		return 0;
	snprintf(path, sizeof(path), "%s/state", slot);
	if (fstatat(sfd, path, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT;
	return S_ISREG(sb.st_mode) && sb.st_size == 0;
}

/* Move a spare directory to dir; 0 when dir is there now. */
static int
spare_take(const char *statedir, const char *name, const char *dir)
{
	char slot[16];
	unsigned h = spare_hash(name), k;
	int sfd, rc = -1;

	if ((sfd = spare_dir(statedir, 0)) == -1)
		return -1;
	for (k = 0; k < PROBES; k++) {
		snprintf(slot, sizeof(slot), "%u", (h + k) % SPARES);
		if (!spare_ok(sfd, slot))
			continue;
		if (renameat2(sfd, slot, AT_FDCWD, dir, RENAME_NOREPLACE) ==
		        0 ||
		    errno == EEXIST) {
			rc = 0;
			break;
		}
		if (errno != ENOENT)
			break;
	}
	close(sfd);
	return rc;
}

/* Move the emptied directory dir to a free slot; -1 when none is. */
static int
spare_put(const char *statedir, const char *name, const char *dir)
{
	char slot[16];
	unsigned h = spare_hash(name), k;
	int sfd, rc = -1;

	if ((sfd = spare_dir(statedir, 1)) == -1)
		return -1;
	for (k = 0; k < PROBES; k++) {
		snprintf(slot, sizeof(slot), "%u", (h + k) % SPARES);
		if (renameat2(AT_FDCWD, dir, sfd, slot, RENAME_NOREPLACE) ==
		    0) {
			rc = 0;
			break;
		}
		if (errno != EEXIST)
			break;
	}
	close(sfd);
	return rc;
}

/*
 * Take the jail's lock, creating STATEDIR and STATEDIR/NAME (mode 0700:
 * nothing in a jail has a reason to read them).  Returns the locked fd.
 */
int
jail_state_lock(const char *statedir, const char *name, struct jail_error *err)
{
	char dir[PATH_MAX];
	int fd;

	if (state_dir(statedir, name, dir, sizeof(dir), err) == -1)
		return -1;
	/*
	 * The lock is on the record's directory itself: no lock file to
	 * make (and delete) on each start and stop.
	 */
	for (;;) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd == -1) {
			if (errno != ENOENT)
				return jail_seterr(err, errno, "%s", dir);
			/* none yet (or it went meanwhile): a spare, or a new
			 * one */
			if (mkdir(statedir, 0700) == -1 && errno != EEXIST)
				return jail_seterr(err, errno, "%s", statedir);
			if (spare_take(statedir, name, dir) == -1 &&
			    mkdir(dir, 0700) == -1 && errno != EEXIST)
				return jail_seterr(err, errno, "%s", dir);
			continue;
		}
		while (flock(fd, LOCK_EX) == -1) {
			if (errno != EINTR) {
				jail_seterr(err, errno, "lock %s", dir);
				close(fd);
				return -1;
			}
		}
		/*
		 * Whoever held it may have removed the record, directory
		 * and all: a lock on a directory no longer at the path
		 * locks nothing, and a newcomer would lock the new one.
		 * Start again on the one that is there.
		 */
		if (same_file(fd, dir))
			return fd;
		close(fd);
	}
}

/*
 * The lock if nobody holds it, without waiting; -1 otherwise.  Creates
 * nothing: a jail without a record directory has nothing to put right.
 */
int
jail_state_trylock(const char *statedir, const char *name)
{
	char dir[PATH_MAX];
	int fd;

	if (jail_name_valid(name, NULL) == -1 ||
	    (size_t)snprintf(dir, sizeof(dir), "%s/%s", statedir, name) >=
	        sizeof(dir))
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1 || !same_file(fd, dir)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The start time of a process (clock ticks after boot), or 0. */
uint64_t
jail_proc_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* the command may hold spaces and ')': skip to the last ')' */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		return 0; /* ended, not yet reaped: not alive */
	for (field = 2; *p != '\0' && field < 22; p++)
		if (*p == ' ')
			field++;
	if (sscanf(p, "%llu", &v) != 1)
		return 0;
	return v;
}

int
jail_state_alive(const struct jail_state *st)
{
	return st->pid > 0 && st->starttime != 0 &&
	    jail_proc_starttime(st->pid) == st->starttime;
}

/*
 * One reading of a record file: 0, or 1 when what was read cannot be
 * trusted yet (another jail's record, or one without its last line).
 */
static int
read_once(const char *path, const char *name, struct jail_state *st,
    struct jail_error *err)
{
	char line[2 * PATH_MAX + 64], *v;
	int fd, lines = 0, end = 0, other = 0;
	FILE *f;

	memset(st, 0, sizeof(*st));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		return jail_seterr(err, errno, "%s", path);
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return jail_seterr(err, errno, "%s", path);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lines++;
		line[strcspn(line, "\n")] = '\0';
		if ((v = strchr(line, '=')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "name") == 0)
			other = name != NULL && strcmp(v, name) != 0;
		else if (strcmp(line, "end") == 0)
			end = 1;
		else if (strcmp(line, "pid") == 0)
			st->pid = (pid_t)strtol(v, NULL, 10);
		else if (strcmp(line, "starttime") == 0)
			st->starttime = strtoull(v, NULL, 10);
		else if (strcmp(line, "jid") == 0)
			st->jid = strtol(v, NULL, 10);
		else if (strcmp(line, "created") == 0)
			st->created = (int)strtol(v, NULL, 10);
		else if (strcmp(line, "path") == 0)
			strlcpy(st->path, v, sizeof(st->path));
		else if (strcmp(line, "template") == 0)
			strlcpy(st->template, v, sizeof(st->template));
		else if (strcmp(line, "troot") == 0)
			strlcpy(st->troot, v, sizeof(st->troot));
		else if (strcmp(line, "build") == 0)
			strlcpy(st->build, v, sizeof(st->build));
		else if (strcmp(line, "method") == 0)
			strlcpy(st->method, v, sizeof(st->method));
		else if (strcmp(line, "hostname") == 0)
			strlcpy(st->hostname, v, sizeof(st->hostname));
		else if (strcmp(line, "cgroup") == 0)
			strlcpy(st->cgroup, v, sizeof(st->cgroup));
		else if (strcmp(line, "uidmap") == 0)
			strlcpy(st->uidmap, v, sizeof(st->uidmap));
		else if (strcmp(line, "gidmap") == 0)
			strlcpy(st->gidmap, v, sizeof(st->gidmap));
	}
	fclose(f);
	if (other) {
		memset(st, 0, sizeof(*st));
		return 1;
	}
	return lines > 0 && !end;
}

/*
 * Read a record file; a missing or empty one reads as an empty record.
 * A reader holds no lock, and record files are reused (written in place
 * of the one before, emptied at stop, moved to another jail as a spare):
 * the descriptor it opened may meet the next write half done, or a record
 * of another name.  Such a reading is taken again from the path; one that
 * stays another jail's reads as empty, one that stays without the last
 * line (end=1; records of older versions) is taken as it is.
 */
static int
read_file(const char *path, const char *name, struct jail_state *st,
    struct jail_error *err)
{
	int rc, tries;

	for (tries = 0; tries < 5; tries++)
		if ((rc = read_once(path, name, st, err)) != 1)
			return rc;
	return 0;
}

/*
 * Write a record file atomically: a temporary file beside it, fsync,
 * rename.  With spare, the old record is exchanged with the new one and
 * kept as the next write's temporary file (no inode made or freed).
 */
static int
write_file(const char *path, const char *name, const struct jail_state *st,
    int sync, int spare, struct jail_error *err)
{
	char tmp[PATH_MAX + 16];
	FILE *f;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return jail_seterr(err, ENAMETOOLONG, "%s", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return jail_seterr(err, errno, "%s", tmp);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return jail_seterr(err, errno, "%s", tmp);
	}
	fprintf(f,
	    "name=%s\njid=%ld\npid=%d\nstarttime=%" PRIu64 "\ncreated=%d\n"
	    "path=%s\ntemplate=%s\ntroot=%s\nbuild=%s\nmethod=%s\n"
	    "hostname=%s\ncgroup=%s\nuidmap=%s\ngidmap=%s\nend=1\n",
	    name, st->jid, (int)st->pid, st->starttime, st->created, st->path,
	    st->template, st->troot, st->build, st->method, st->hostname,
	    st->cgroup, st->uidmap, st->gidmap);
	if (fflush(f) == EOF || (sync && fsync(fileno(f)) == -1)) {
		jail_seterr(err, errno, "%s", tmp);
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) == EOF ||
	    ((!spare ||
	         renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) ==
	             -1) &&
	        rename(tmp, path) == -1)) {
		jail_seterr(err, errno, "%s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Read the record; a missing one reads as an empty record.  Unknown keys
 * are skipped so that older tools read newer records.
 */
int
jail_state_read(const char *statedir, const char *name, struct jail_state *st,
    struct jail_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];

	memset(st, 0, sizeof(*st));
	if (state_dir(statedir, name, dir, sizeof(dir), err) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/state", dir);
	return read_file(path, name, st, err);
}

int
jail_state_write(const char *statedir, const char *name,
    const struct jail_state *st, struct jail_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];

	if (state_dir(statedir, name, dir, sizeof(dir), err) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/state", dir);
	/*
	 * No fsync: STATEDIR is volatile (a tmpfs, normally) and a record
	 * is re-checked against the running holder whenever it is read;
	 * the rename still makes every write all or nothing.
	 */
	return write_file(path, name, st, 0, 1, err);
}

/*
 * STATEDIR is usually on a tmpfs that a reboot empties, but a created
 * jail's tree stays: what create made is kept a second time beside the
 * tree, in DIR/.BASE.jail for path DIR/BASE (outside the jail's root, so
 * nothing in the jail can write it).
 */
static int
created_path(const char *jailpath, char *buf, size_t len)
{
	const char *slash = strrchr(jailpath, '/');

	if (slash == NULL || slash[1] == '\0')
		return -1;
	if ((size_t)snprintf(buf, len, "%.*s/.%s.jail", (int)(slash - jailpath),
	        jailpath, slash + 1) >= len)
		return -1;
	return 0;
}

int
jail_created_write(const char *name, const struct jail_state *st,
    struct jail_error *err)
{
	struct jail_state c;
	char path[PATH_MAX];

	if (created_path(st->path, path, sizeof(path)) == -1)
		return jail_seterr(err, ENAMETOOLONG, "%s", st->path);
	memset(&c, 0, sizeof(c));
	c.created = 1;
	strlcpy(c.path, st->path, sizeof(c.path));
	strlcpy(c.template, st->template, sizeof(c.template));
	strlcpy(c.troot, st->troot, sizeof(c.troot));
	strlcpy(c.build, st->build, sizeof(c.build));
	strlcpy(c.method, st->method, sizeof(c.method));
	strlcpy(c.uidmap, st->uidmap, sizeof(c.uidmap));
	strlcpy(c.gidmap, st->gidmap, sizeof(c.gidmap));
	return write_file(path, name, &c, 1, 0, err); /* outlives reboots */
}

/* What create made of the jail at jailpath, when STATEDIR forgot it. */
int
jail_created_read(const char *jailpath, struct jail_state *st)
{
	char path[PATH_MAX];

	if (created_path(jailpath, path, sizeof(path)) == -1 ||
	    read_file(path, NULL, st, NULL) == -1 || !st->created ||
	    strcmp(st->path, jailpath) != 0) {
		memset(st, 0, sizeof(*st));
		return -1;
	}
	return 0;
}

void
jail_created_remove(const char *jailpath)
{
	char path[PATH_MAX];

	if (created_path(jailpath, path, sizeof(path)) == 0)
		unlink(path);
}

/* Empty dir/file (without following a link); a missing one is empty. */
static int
empty_file(const char *dir, const char *file)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path,
	    O_WRONLY | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	close(fd);
	return 0;
}

/*
 * Forget the record: its directory is emptied and kept as a spare, or
 * removed.
 */
int
jail_state_remove(const char *statedir, const char *name,
    struct jail_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];

	if (state_dir(statedir, name, dir, sizeof(dir), err) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/filter.bpf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock", dir);
	unlink(path);
	/* emptied, the directory waits in .spare for the next start */
	if (empty_file(dir, "state.tmp") == 0 &&
	    empty_file(dir, "state") == 0 &&
	    spare_put(statedir, name, dir) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/state", dir);
	if (unlink(path) == -1 && errno != ENOENT)
		return jail_seterr(err, errno, "%s", path);
	snprintf(path, sizeof(path), "%s/state.tmp", dir);
	unlink(path);
	if (rmdir(dir) == -1 && errno != ENOENT)
		return jail_seterr(err, errno, "%s", dir);
	return 0;
}

/* The names of the records in statedir, sorted; the caller frees. */
char **
jail_state_names(const char *statedir, size_t *np)
{
	struct dirent **ents = NULL;
	char **names;
	int n, i, k = 0;

	*np = 0;
	n = scandir(statedir, &ents, NULL, alphasort);
	if (n < 0)
		n = 0;
	if ((names = calloc((size_t)n + 1, sizeof(*names))) == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		if (names != NULL && ents[i]->d_type == DT_DIR &&
		    jail_name_valid(ents[i]->d_name, NULL) == 0 &&
		    (names[k] = strdup(ents[i]->d_name)) != NULL)
			k++;
		free(ents[i]);
	}
	free(ents);
	*np = (size_t)k;
	return names;
}
