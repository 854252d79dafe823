#!/bin/sh
# What a test run may leave behind on the host, before and after.
#
#	sh leakcheck.sh snapshot DIR	record the host's state in DIR
#	sh leakcheck.sh compare DIR	list what is new since; exit 1 if any
#
# Looked at: mounts (/proc/self/mountinfo), named network namespaces
# (ip netns list), cgroup directories named *jail* or *jltest* (under
# /sys/fs/cgroup/*/, three levels deep, and as deep under this process's own
# cgroups), processes whose command line holds "jltest", and directories
# ${TMPDIR:-/tmp}/jltest.*.  Only what appeared since the snapshot counts, so
# the host's own mounts, or a stale directory of an earlier run, do not.
# compare prints one line per leftover, "leftover KIND: WHAT", and touches
# nothing: the leftovers stay for whoever investigates.
#
# DIR must not itself be named jltest.* (it would count as a leftover).

PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH
export LC_ALL=C

usage() {
	echo "usage: leakcheck.sh snapshot|compare DIR" >&2
	exit 2
}

# Mounts as "mount-point root fstype source": the mount id changes when
# something is remounted, the place and the thing mounted do not.
mounts() {
	awk '{
		for (i = 7; i <= NF && $i != "-"; i++)
			;
		print $5, $4, $(i + 1), $(i + 2)
	}' /proc/self/mountinfo | sort
}

netns() {
	if command -v ip >/dev/null 2>&1; then
		ip netns list 2>/dev/null | awk '{ print $1 }' | sort
	fi
}

cgroups() {
	{
		for d in /sys/fs/cgroup/*/; do
			[ -d "$d" ] || continue
			find "$d" -maxdepth 3 -type d \
			    \( -name '*jail*' -o -name '*jltest*' \) \
			    2>/dev/null
		done
		# Jails' cgroups go under the caller's own, which may be deep.
		sed -n 's/^[^:]*:[^:]*:\(\/..*\)$/\1/p' /proc/self/cgroup |
		    while IFS= read -r cg; do
			for d in /sys/fs/cgroup/*/; do
				[ -d "$d$cg" ] || continue
				find "$d$cg" -mindepth 1 -maxdepth 3 -type d \
				    \( -name '*jail*' -o -name '*jltest*' \) \
				    2>/dev/null
			done
		done
	} | sed 's|//*|/|g' | sort -u
}

# "PID command line" of every process whose command line holds the test
# prefix, and of every jail holder (only new ones count as leftovers).  The
# brackets keep grep itself out.
procs() {
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		[ "$pid" = "$$" ] && continue
		# the process may be gone by now: then it is no leftover
		cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
		comm=$({ cat "/proc/$pid/comm"; } 2>/dev/null) || continue
		# ended and waiting for its parent (init) to reap it: gone
		state=$({ sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' \
		    "/proc/$pid/status"; } 2>/dev/null)
		[ "$state" = Z ] && continue
		case $cmd in
		*jltest*) printf '%s %s\n' "$pid" "$cmd" ;;
		*)
			# a jail's holder blanks its command line: by name
			[ "$comm" = jail-holder ] &&
			    printf '%s jail-holder\n' "$pid"
			;;
		esac
	done | grep -e 'jl[t]est' -e 'jail-h[o]lder' | sort
}

tmpdirs() {
	for d in "${TMPDIR:-/tmp}"/jltest.*; do
		[ -e "$d" ] && printf '%s\n' "$d"
	done | sort
}

KINDS="mounts netns cgroups procs tmpdirs"

snapshot() {
	mkdir -p "$1" || exit 2
	for k in $KINDS; do
		"$k" >"$1/$k" || exit 2
	done
}

label() {
	case $1 in
	mounts) echo "mount" ;;
	netns) echo "network namespace" ;;
	cgroups) echo "cgroup" ;;
	procs) echo "process" ;;
	tmpdirs) echo "temporary directory" ;;
	esac
}

compare() {
	for k in $KINDS; do
		[ -f "$1/$k" ] || {
			echo "leakcheck: $1/$k: no snapshot" >&2
			exit 2
		}
	done
	now=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") || exit 2
	snapshot "$now"
	found=0
	for k in $KINDS; do
		# comm: what is in the new list and not in the old (multisets:
		# a second mount on the same place counts).
		new=$(comm -13 "$1/$k" "$now/$k")
		[ -n "$new" ] || continue
		found=1
		what=$(label "$k")
		printf '%s\n' "$new" | while IFS= read -r l; do
			printf 'leftover %s: %s\n' "$what" "$l"
		done
	done
	rm -rf "$now"
	return $found
}

[ $# -eq 2 ] || usage
case $1 in
snapshot) snapshot "$2" ;;
compare) compare "$2" ;;
*) usage ;;
esac
