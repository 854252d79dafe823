/*
 * userns: a jail's user namespace.  The maps (from jail.conf or chosen from
 * /etc/subuid and /etc/subgid), writing them for a process, a user
 * namespace fd for idmapped mounts, and the ownership shift of a copied
 * tree.  Private to libjail; ns.c and jail.c call it.
 *
 * Ids are "inside" (as the jail sees them) or "outside" (host ids, in the
 * user namespace of the caller, which is the initial one).  Host id 0 is
 * never an outside id of a jail.
 */
#ifndef USERNS_H
#define USERNS_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "jailp.h"

/*
 * Lines of one map.  The kernel takes 340 when the writer is privileged;
 * jails need one, a few at most.
 */
#define JAIL_IDMAP_MAX 5

/* The size of the range "userns = auto" gives a jail. */
#define JAIL_USERNS_AUTO_COUNT 65536

struct jail_idmaps {
	struct jail_idmap uid[JAIL_IDMAP_MAX], gid[JAIL_IDMAP_MAX];
	int nuid, ngid;
};

/* What a jail asks for; see jail_idmaps_of(). */
enum {
	JAIL_USERNS_NONE, /* no user namespace */
	JAIL_USERNS_MAP,  /* userns.uidmap / userns.gidmap */
	JAIL_USERNS_AUTO  /* userns = auto, without maps */
};

/*
 * Fill m from a resolved jail's userns.uidmap and userns.gidmap (a gidmap
 * that is not set is the uidmap) and put JAIL_USERNS_* in *mode.  m is
 * left with no lines for NONE and AUTO.  -1 (err filled, m and *mode
 * untouched) when a map has more than JAIL_IDMAP_MAX lines or a line does
 * not read, which resolve would have refused already.
 */
int jail_idmaps_of(const struct jail *j, struct jail_idmaps *m, int *mode,
    struct jail_error *err);

/*
 * The state record's form of one side of a map: lines "INSIDE OUTSIDE
 * COUNT" joined by ",", e.g. "0 165536 65536".  jail_idmaps_text() writes
 * m's uid (gid != 0: gid) lines into buf, "" for none; -1 when buf is too
 * small.  jail_idmaps_scan() reads the two texts back into m (NULL or "":
 * no lines); -1 when a line does not read or there are too many.
 */
/* The host id of id inside (gid: of the group map): -1 when unmapped. */
int jail_idmaps_host(const struct jail_idmaps *m, int gid, uint32_t inside,
    uint32_t *outside);

int jail_idmaps_text(const struct jail_idmaps *m, int gid, char *buf,
    size_t len);
int jail_idmaps_scan(const char *uidtext, const char *gidtext,
    struct jail_idmaps *m);

/* A range of host ids: start up to start + count - 1. */
struct jail_idrange {
	uint32_t start, count;
};

/*
 * Parse subuid(5)/subgid(5) text ("owner:start:count" lines, "#"
 * comments, blank lines) and keep the ranges whose owner is user or the
 * number uid (user may be NULL).  Lines that do not read, ranges of count 0
 * and ranges that pass 2^32 are skipped, as shadow's tools skip them.  At
 * most max ranges land in out; returns how many matched (which may be more
 * than max).
 */
size_t jail_subid_parse(const char *text, const char *user, uint32_t uid,
    struct jail_idrange *out, size_t max);

/*
 * Read a subid file: path, or when NULL $JAILCTL_SUBGID / $JAILCTL_SUBUID
 * (gid != 0 or not) or else /etc/subgid / /etc/subuid.  The path used is
 * copied to used (when not NULL; at least PATH_MAX bytes).  A missing file
 * has no ranges.  Returns the number of ranges kept (see
 * jail_subid_parse()), or -1 with err filled.
 */
int jail_subid_read(const char *path, int gid, const char *user, uint32_t uid,
    struct jail_idrange *out, size_t max, char *used, struct jail_error *err);

/*
 * The maps of another jail, as its state record (or its jail.conf maps)
 * has them; name is for messages.
 */
struct jail_idused {
	const char *name;
	struct jail_idmaps m;
};

/*
 * userns = auto: the lowest JAIL_USERNS_AUTO_COUNT host uids inside one of
 * the subuid ranges (and gids inside one of the subgid ranges) that no
 * map of used holds, never host id 0, mapped to inside ids 0 up.  The
 * ranges are root's, as the caller passes them; uid and gid are chosen
 * apart (when the two files agree, so do they).  The entries of used whose
 * name is name are skipped.  On success out gets one uid and one gid line.
 * -1 with err filled: "no range for root" when a list is empty, "no free
 * 65536-id range" when nothing fits; file names the lists in messages
 * (NULL: /etc/subuid and /etc/subgid).
 */
int jail_userns_pick(const char *name, const struct jail_idrange *subuid,
    size_t nsubuid, const struct jail_idrange *subgid, size_t nsubgid,
    const struct jail_idused *used, size_t nused, const char *const file[2],
    struct jail_idmaps *out, struct jail_error *err);

/*
 * jail_userns_pick() on the ranges of root ("root" or "0") read with
 * jail_subid_read() (so $JAILCTL_SUBUID and $JAILCTL_SUBGID apply).  The
 * caller holds a lock over reading the other jails' records, this call and
 * writing the result into the jail's record, or two jails may choose the
 * same range.
 */
int jail_userns_auto(const char *name, const struct jail_idused *used,
    size_t nused, struct jail_idmaps *out, struct jail_error *err);

/*
 * An explicit map against the other jails': -1 with err naming the other
 * jail when a uid (gid) line shares host ids with a uid (gid) line of
 * theirs, or when a line maps host id 0.  Entries of used named name are
 * skipped.
 */
int jail_userns_check(const char *name, const struct jail_idmaps *m,
    const struct jail_idused *used, size_t nused, struct jail_error *err);

/*
 * Write m into /proc/PID/uid_map and gid_map, each in one write(2) as the
 * kernel wants.  pid must already be in its new user namespace (cloned
 * with CLONE_NEWUSER or after unshare(2)), and the caller in the parent
 * namespace.  A caller with CAP_SETGID there (root) may write any gid map
 * and leaves /proc/PID/setgroups at "allow", so that login(1) and su(1)
 * inside can set groups; a caller without it may only map its own ids and
 * must write "deny" first, which this does then.  A map with no lines is
 * not written.  -1 with err filled; a map once written cannot be changed,
 * so the caller then kills pid.
 */
int jail_userns_write_maps(pid_t pid, const struct jail_idmaps *m,
    struct jail_error *err);

/*
 * An fd (O_CLOEXEC) of a new user namespace with the maps m, for
 * MOUNT_ATTR_IDMAP, without a jail running: a child unshares
 * CLONE_NEWUSER, the maps are written, its /proc/PID/ns/user is opened, and
 * the child is killed and reaped (the fd keeps the namespace).  -1 with err
 * filled.
 */
int jail_userns_open(const struct jail_idmaps *m, struct jail_error *err);

/*
 * A detached, idmapped copy of the mount at src (a directory; the mount
 * alone, not the mounts below it: those would each need to support
 * idmapping): open_tree(OPEN_TREE_CLONE) and mount_setattr(MOUNT_ATTR_IDMAP)
 * with userns_fd.  Through it a file that the file system says is owned by
 * id N is owned by what N inside userns_fd is on the host: with a map
 * "0 100000 65536", root's files of a template are 100000's, and root's in
 * the jail.  The caller move_mount(2)s the fd (MOVE_MOUNT_F_EMPTY_PATH)
 * and closes it.  -1 with err filled.
 */
int jail_idmap_mount_fd(const char *src, int userns_fd, struct jail_error *err);

/* How deep jail_tree_shift() goes before it gives up. */
#define JAIL_SHIFT_MAXDEPTH 256

/*
 * Shift the ownership of the tree at dirfd (the directory itself and what
 * is below it, on the same mount) from inside ids to the host ids m maps
 * them to: a copied template's root-owned files become the jail's root's.
 * Never follows a symlink (symlinks are chowned themselves) and never
 * enters another mount (an entry on another mount is left as it is).
 * Set-user-ID and set-group-ID bits that chown(2) clears are put back; a
 * file capability (security.capability) that chown(2) removes is written
 * back as a namespaced one (v3) whose root is the host id of inside 0, so
 * it works in the jail and nowhere else (and is dropped when 0 is not
 * mapped); the named users and groups of POSIX ACLs of directories and
 * files are shifted too.  A file with several links is shifted once.
 * -1 with err naming the path (relative to dirfd) when an id is not in
 * the map, the tree is deeper than JAIL_SHIFT_MAXDEPTH, or a call fails;
 * the tree is then part shifted and should be removed.
 */
int jail_tree_shift(int dirfd, const struct jail_idmaps *m,
    struct jail_error *err);

#endif /* USERNS_H */
