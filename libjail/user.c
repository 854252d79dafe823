/*
 * user: a user of the jail, read from the jail's own /etc/passwd and
 * /etc/group.  Called after entering the jail's mount namespace, so "/" is
 * the jail's root; the files are still opened with RESOLVE_IN_ROOT and
 * without magic links, and parsed here: getpwnam(3) could load NSS modules
 * from the jail's tree into jailctl.  exec.system_user, a user of the
 * host, is read the same way from the host's files: jailctl is linked
 * statically, and a static getpwnam(3) that loads an NSS module (systemd's,
 * for a name not in the files) brings in a second C library and crashes.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"

/*
 * The jail's file (host = 0: path resolved in the root the process is in,
 * "/" being the jail's), or the host's own (host = 1).
 */
static FILE *
open_in_root(const char *path, int host)
{
	struct open_how how;
	struct stat sb;
	FILE *f;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	how.resolve = host ? 0 : RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	return f;
}

/* Split a passwd/group line into n fields at ':'. */
static int
fields(char *line, char **f, int n)
{
	int i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < n - 1; i++) {
		f[i] = line;
		if ((line = strchr(line, ':')) == NULL)
			return -1;
		*line++ = '\0';
	}
	f[n - 1] = line;
	return 0;
}

static int
numeric(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *v < 0xffffffffUL;
}

/*
 * spec is a user name, a uid, or uid:gid.  A name must be in the jail's
 * passwd; a number need not be (then home is "/" and shell /bin/sh).
 * Supplementary groups come from the jail's group file.
 */
static int
lookup(const char *spec, struct jail_user *u, int host, struct jail_error *err)
{
	char line[4096], *f[7], *colon, *m, *save;
	unsigned long uid = 0, gid = 0, v;
	int byid, found = 0, hasgid = 0;
	FILE *fp;

	memset(u, 0, sizeof(*u));
	strlcpy(u->name, spec, sizeof(u->name));
	strlcpy(u->home, "/", sizeof(u->home));
	strlcpy(u->shell, "/bin/sh", sizeof(u->shell));
	if ((colon = strchr(u->name, ':')) != NULL) {
		*colon = '\0';
		if (!numeric(colon + 1, &gid))
			return jail_seterr(err, EINVAL, "bad group in %s",
			    spec);
		hasgid = 1;
	}
	byid = numeric(u->name, &uid);
	if ((fp = open_in_root("/etc/passwd", host)) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			if (fields(line, f, 7) == -1 || !numeric(f[2], &v))
				continue;
			if (byid ? v != uid : strcmp(f[0], u->name) != 0)
				continue;
			uid = v;
			if (!hasgid && !numeric(f[3], &gid))
				continue;
			strlcpy(u->name, f[0], sizeof(u->name));
			strlcpy(u->home, *f[5] ? f[5] : "/", sizeof(u->home));
			if (*f[6])
				strlcpy(u->shell, f[6], sizeof(u->shell));
			found = 1;
			break;
		}
		fclose(fp);
	}
	if (!found && !byid)
		return jail_seterr(err, 0, "no user \"%s\" %s", u->name,
		    host ? "in the host's /etc/passwd" : "in the jail");
	if (!found && !hasgid)
		gid = uid;
	u->uid = (uid_t)uid;
	u->gid = (gid_t)gid;
	if (found && (fp = open_in_root("/etc/group", host)) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL &&
		    u->ngroups < JAIL_MAXGROUPS) {
			if (fields(line, f, 4) == -1 || !numeric(f[2], &v))
				continue;
			save = NULL;
			for (m = strtok_r(f[3], ",", &save); m != NULL;
			     m = strtok_r(NULL, ",", &save))
				if (strcmp(m, u->name) == 0)
					u->groups[u->ngroups++] = (gid_t)v;
		}
		fclose(fp);
	}
	return 0;
}

int
jail_user_lookup(const char *spec, struct jail_user *u, struct jail_error *err)
{
	return lookup(spec, u, 0, err);
}

/* A user of the host, from its /etc/passwd and /etc/group (no NSS). */
int
jail_user_lookup_host(const char *spec, struct jail_user *u,
    struct jail_error *err)
{
	return lookup(spec, u, 1, err);
}
