#!/bin/sh
# exec --template: one command in a throwaway sandbox, as a developer or a
# CI job uses it (DESIGN.md: "milliseconds, exit status passed through,
# nothing left behind").  Each run makes an anonymous thin jail
# sandbox-XXXXXX in STATEDIR/.sandbox-XXXXXX over a template, runs the
# command and destroys it all; every run here is followed by a check that
# nothing is left: no STATEDIR entry but the shared seccomp filter cache
# (.filter-*.bpf), no sandbox-* record, no mount under the test directory,
# no holder, no new cgroup named sandbox-*, none of our sleeps.
#
# Everything is under $TMPD: the state (STATEDIR), the template store
# ($JAILCTL_TEMPLATES, the busybox template built into it with
# templates/busybox/build), a plain root tree for the absolute-path
# template, and the host directories bound in.  Nothing on the host is
# changed: --net host is only looked at.
#
# Checks of product bugs that are reported and not fixed yet print
# "not ok ... # TODO reason" (run.sh counts them, not as failures).

# Single quotes keep $ for the jail's shell (SC2016); the functions are
# also called through wait_for (SC2317).
# shellcheck disable=SC2016,SC2317
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=harness.sh
. "$(dirname "$0")/harness.sh"

need_jails
cd "$TMPD" || bail_out "cd $TMPD"

# Long-running processes the sandboxes start are "sleep $SLP": ours.
SLP=$((870000 + $$ % 10000))
S=$TMPD/state
JAILCTL_TEMPLATES=$TMPD/templates
export JAILCTL_TEMPLATES
# Seconds any one jailctl may take, and the script's budget (harness.sh's
# bounded and limit).
JC_LIMIT=30
START_TIME=$(date +%s)
BUDGET=$((${JLTEST_TIMEOUT:-600} * 4 / 5))
BGPIDS=

SNAP=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") ||
	bail_out "mktemp -d failed"
trap 'rm -rf "$TMPD" "$SNAP"' EXIT
sh "$REPO/tests/integration/leakcheck.sh" snapshot "$SNAP/host" ||
	bail_out "leakcheck.sh snapshot failed"

# --- helpers ------------------------------------------------------------

# cg_sbx: the host's cgroup directories named sandbox-* (a jail's go
# under the caller's cgroup, a few levels down).
cg_sbx() {
	find /sys/fs/cgroup -maxdepth 7 -type d -name 'sandbox-*' \
	    2>/dev/null | sort
}

kill_ours() {
	for _ko_p in $BGPIDS; do
		kill -9 "$_ko_p" 2>/dev/null
	done
	procs_with "sleep $SLP" | while read -r _ko_p _; do
		kill -9 "$_ko_p" 2>/dev/null
	done
}

# cg_rm: the last resort for sandbox cgroups this script made.
cg_rm() {
	cg_sbx | comm -13 "$TMPD/cg.base" - | sort -r | while read -r _cr_d; do
		if [ -f "$_cr_d/cgroup.kill" ]; then
			echo 1 >"$_cr_d/cgroup.kill" 2>/dev/null
		else
			while read -r _cr_p; do
				kill -9 "$_cr_p" 2>/dev/null
			done <"$_cr_d/cgroup.procs"
		fi
		sleep 0.2
		rmdir "$_cr_d" 2>/dev/null
	done
}

cleanup_all() {
	kill_ours
	jail_reap "$TMPD"
	[ -f "$TMPD/cg.base" ] && cg_rm
	rm -rf --one-file-system "$TMPD" "$SNAP"
}
trap cleanup_all EXIT

# jx ARG...: jailctl -s $S exec ARG..., bounded; sets rc, out, err.
jx() {
	run bounded "$JAILCTL" -s "$S" exec "$@"
	if [ "$rc" -eq 124 ]; then
		err="$err${err:+
}(jailctl timed out after $JC_LIMIT s)"
	fi
}

# sbx ARG...: exec --template busybox ARG...
sbx() {
	jx --template busybox "$@"
}

# leftovers: what the sandboxes left, a line each.
leftovers() {
	for _lo_e in "$S"/* "$S"/.[!.]*; do
		[ -e "$_lo_e" ] || [ -L "$_lo_e" ] || continue
		case ${_lo_e##*/} in
		.filter-*.bpf) continue ;; # the shared seccomp filter cache
		.spare)
			# emptied record directories kept for the next start:
			# nothing but empty files may be in them
			if [ -L "$_lo_e" ] || [ ! -d "$_lo_e" ]; then
				echo "state $_lo_e (not a directory)"
				continue
			fi
			find "$_lo_e" -mindepth 1 -maxdepth 1 ! -type d |
			    sed 's/^/state (not a spare directory) /'
			find "$_lo_e" -mindepth 2 ! \( -type f -size 0 \) |
			    sed 's/^/state (not an empty file) /'
			continue
			;;
		esac
		echo "state $_lo_e"
	done
	for _lo_m in $(mounts_under "$TMPD"); do
		echo "mount $_lo_m"
	done
	for _lo_h in $(holder_pids "$TMPD"); do
		echo "holder $_lo_h"
	done
	cg_sbx | comm -13 "$TMPD/cg.base" - | sed 's/^/cgroup /'
	procs_with "sleep $SLP" | sed 's/^/process /'
}

# left DESC: the check that nothing is left; then whatever is, is removed.
left() {
	wait_for 3 no_leftovers
	_nl=$(leftovers)
	if [ -z "$_nl" ]; then
		pass "$1: nothing left"
	else
		fail "$1: nothing left" "$_nl"
		kill_ours
		jail_reap "$TMPD"
		cg_rm
		rm -rf --one-file-system "$S"/sandbox-* "$S"/.sandbox-*
	fi
}

# ifaces: the interface names in /proc/net/dev text on stdin, one line.
ifaces() {
	awk -F: 'NR > 2 { gsub(/[ \t]/, "", $1); print $1 }' | sort |
	    tr '\n' ' '
}

# --- the template store, a plain tree, host directories -----------------

mkdir -p "$S" "$JAILCTL_TEMPLATES" "$TMPD/h" "$TMPD/hro" ||
	bail_out "mkdir"
if ! sh "$REPO/templates/busybox/build" "$JAILCTL_TEMPLATES/busybox" \
    >"$TMPD/bb.log" 2>&1; then
	bail_out "templates/busybox/build failed: $(cat "$TMPD/bb.log")"
fi
cp -a "$JAILCTL_TEMPLATES/busybox" "$TMPD/tree" || bail_out "cp -a"
# a link in the tree that leads out of it, if it were followed on the host
ln -s "$TMPD/h" "$TMPD/tree/outlink"
echo "host canary" >"$TMPD/hro/canary"
cg_sbx >"$TMPD/cg.base"
TSUM=$(tree_sum "$JAILCTL_TEMPLATES/busybox")
PSUM=$(tree_sum "$TMPD/tree")
HROSUM=$(tree_sum "$TMPD/hro")

# --- exit status --------------------------------------------------------

sbx -- /bin/true
is_rc 0 "status: /bin/true: 0"
left "status 0"
sbx -- sh -c 'exit 7'
is_rc 7 "status: exit 7: 7"
left "status 7"
sbx -- /nonexistent-cmd
is_rc 127 "status: a command not found: 127"
like "$err" '^jailctl: .*nonexistent-cmd.*not found' \
    "status: not found: a jailctl: line names the command"
left "status 127"
sbx -- /etc/passwd
is_rc 126 "status: a file that is not executable: 126"
left "status 126"
sbx -- sh -c 'kill -9 $$'
is_rc 137 "status: the command kills itself with SIGKILL: 128+9"
left "status 137"
sbx -- sh -c 'kill -TERM $$'
is_rc 143 "status: the command kills itself with SIGTERM: 128+15"
sbx -- sh -c 'echo out; echo err >&2; exit 3'
if [ "$rc:$out:$err" = "3:out:err" ]; then
	pass "status: stdout and stderr pass through as they are"
else
	fail "status: stdout and stderr pass through as they are" \
	    "rc $rc, out \"$out\", err \"$err\""
fi
echo "from stdin" >"$TMPD/in"
run_in "$TMPD/in" bounded "$JAILCTL" -s "$S" exec --template busybox -- cat
is_ro "0:from stdin" "status: stdin reaches the command"
left "stdio"

# --- identity, environment, directory, user -----------------------------

sbx -- hostname
is_ro "0:sandbox" "hostname: default \"sandbox\""
sbx --hostname ci-42.example -- hostname
is_ro "0:ci-42.example" "hostname: --hostname ci-42.example"
sbx -e FOO=bar -e BAZ='a b' -- sh -c 'echo "$FOO|$BAZ"'
is_ro "0:bar|a b" "-e K=V: in the command's environment"
sbx -d /etc -- pwd
is_ro "0:/etc" "-d /etc: the working directory"
sbx -u nobody -- id -u
is_ro "0:65534" "-u nobody: the command runs as the jail's nobody"
sbx -l -- sh -c 'echo "$PWD $HOME"'
is_ro "0:/root /root" "-l: a login environment, at home"
left "identity"

# --- writes inside go nowhere --------------------------------------------

sbx -- sh -c 'echo x >/newfile && echo y >>/etc/hosts && rm /bin/vi &&
    mkdir /newdir && echo z >/tmp/t && echo done'
is_ro "0:done" "writes: write, append, delete, mkdir inside: allowed"
sbx -- sh -c 'for f in /newfile /newdir /tmp/t; do [ -e $f ] && echo $f; done;
    [ -e /bin/vi ] || echo no-vi; grep -c . /etc/hosts'
is_ro "0:1" "writes: the next sandbox sees none of them"
is "$(tree_sum "$JAILCTL_TEMPLATES/busybox")" "$TSUM" \
    "writes: the template tree is unchanged (checksum of the listing and contents)"
if [ -e "$JAILCTL_TEMPLATES/busybox/newfile" ] || [ -e /newfile ] ||
    [ -e /newdir ]; then
	fail "writes: /newfile is nowhere on the host"
else
	pass "writes: /newfile is nowhere on the host"
fi
left "writes"

# --- --bind --------------------------------------------------------------

sbx --bind "$TMPD/h:/data" -- sh -c 'echo w >/data/w && cat /data/w'
is_ro "0:w" "bind: rw: written inside"
is "$(cat "$TMPD/h/w" 2>&1)" w "bind: rw: the write reaches the host directory"
left "bind rw"
sbx --bind "$TMPD/h:/a/b/c" -- sh -c 'cat /a/b/c/w'
is_ro "0:w" "bind: DST /a/b/c missing in the template: made"
[ -e "$JAILCTL_TEMPLATES/busybox/a" ]
ok $((!$?)) "bind: the mount point is not made in the template"
sbx --bind "$TMPD/hro:/ro:ro" -- sh -c 'cat /ro/canary; echo no >/ro/new'
if [ "$rc" -ne 0 ] && [ "$out" = "host canary" ]; then
	pass "bind: :ro: readable, and the write fails"
else
	fail "bind: :ro: readable, and the write fails" "rc $rc, out \"$out\"" \
	    "$err"
fi
like "$err" 'Read-only file system' "bind: :ro: the write fails with EROFS"
is "$(tree_sum "$TMPD/hro")" "$HROSUM" "bind: :ro: the host directory is unchanged"
left "bind ro"
# A DST inside another bind is looked up in that bind's SRC, a host
# directory, which jailctl does not write: it must be there.
sbx --bind "$TMPD/h:/data" --bind "$TMPD/hro:/data/ro:ro" -- true
is_rc 125 "bind: a DST inside another bind, missing in its SRC: 125"
like "$err" '^jailctl: .*/data/ro' "bind: ... the error names /data/ro"
[ -e "$TMPD/h/ro" ]
ok $((!$?)) "bind: ... and nothing is made in the host directory"
left "bind nested, missing"
mkdir "$TMPD/h/ro"
sbx --bind "$TMPD/h:/data" --bind "$TMPD/hro:/data/ro:ro" -- \
    sh -c 'cat /data/ro/canary /data/w'
is_ro "0:host canary
w" "bind: two binds, one inside the other (its mount point in the SRC)"
rmdir "$TMPD/h/ro"
left "bind nested"
# SRC and DST with a space: the path is a fine path
mkdir "$TMPD/a b"
echo spaced >"$TMPD/a b/f"
sbx --bind "$TMPD/a b:/da ta:ro" -- cat "/da ta/f"
if [ "$rc:$out" = "0:spaced" ]; then
	pass "bind: SRC and DST with a space"
else
	fail "bind: SRC and DST with a space" "rc $rc, out \"$out\"" "$err"
fi
left "bind with a space"

# DST through a symlink of the template: refused, exit 125, a clear error.
# busybox's /sbin is a link to bin (and so is the host's, on a merged /usr)
sbx --bind "$TMPD/h:/sbin/x" -- true
if [ "$rc" -eq 125 ] && printf '%s\n' "$err" | grep -q '^jailctl: .*/sbin/x'; then
	pass "bind: DST /sbin/x through the template's link /sbin: 125, error names it"
else
	fail "bind: DST /sbin/x through the template's link /sbin: 125, error names it" \
	    "rc $rc" "$err"
fi
left "bind through /sbin"
# busybox's /usr/bin is a link to ../bin; the host's /usr/bin a directory
sbx --bind "$TMPD/h:/usr/bin/x" -- sh -c 'ls /usr/bin | wc -l'
if [ "$rc" -eq 125 ] && printf '%s\n' "$err" | grep -q '^jailctl: .*/usr/bin/x'; then
	pass "bind: DST /usr/bin/x through the template's link /usr/bin: 125, error names it"
else
	fail "bind: DST /usr/bin/x through the template's link /usr/bin: 125, error names it" \
	    "rc $rc, out \"$out\" (entries in /usr/bin)" "$err"
fi
left "bind through /usr/bin"
# the plain tree's /outlink leads to a host directory
jx --template "$TMPD/tree" --bind "$TMPD/hro:/outlink/x:ro" -- true
if [ "$rc" -eq 125 ] && printf '%s\n' "$err" | grep -q '^jailctl: .*/outlink/x'; then
	pass "bind: DST /outlink/x through the tree's link to a host directory: 125"
else
	fail "bind: DST /outlink/x through the tree's link to a host directory: 125" \
	    "rc $rc" "$err"
fi
[ -e "$TMPD/h/x" ]
ok $((!$?)) "bind: nothing made through the link on the host"
left "bind through /outlink"
# the template's /bin is a directory (the host's may be a link)
sbx --bind "$TMPD/hro:/bin/x:ro" -- cat /bin/x/canary
if [ "$rc:$out" = "0:host canary" ]; then
	pass "bind: DST /bin/x, a directory of the template: works"
else
	fail "bind: DST /bin/x, a directory of the template: works" \
	    "rc $rc, out \"$out\"" "$err" \
	    "the host's /bin: $(ls -ld /bin 2>&1)"
fi
left "bind /bin/x"
sbx --bind "$TMPD/h:/data/../etc" -- true
is_rc 2 "bind: DST with \"..\" refused (exit 2)"
like "$err" '^jailctl: .*\.\.' "bind: \"..\": the error says so"
left "bind .."
sbx --bind "$TMPD/h:/etc/passwd" -- true
is_rc 125 "bind: DST a file of the template: 125"
left "bind on a file"
sbx --bind "$TMPD/nonexistent:/data" -- true
is_rc 125 "bind: SRC missing: 125"
like "$err" '^jailctl: .*nonexistent' "bind: SRC missing: the error names it"
left "bind SRC missing"

# --- limits ----------------------------------------------------------------

sbx --memory 32M -- sh -c 'x=a; while :; do x=$x$x; done'
is_rc 137 "memory: --memory 32M and a memory hog: 137 (SIGKILL, the OOM killer)"
left "memory"
sbx -- sh -c 'echo fine'
is_ro "0:fine" "memory: afterwards a sandbox runs as before (the host is fine)"
sbx --pids 10 -- sh -c "i=0; while [ \$i -lt 40 ]; do sleep $SLP & i=\$((i + 1)); done; echo all forked"
like "$err" "can't fork" "pids: --pids 10: the fork loop's forks are refused"
unlike "$out" 'all forked' "pids: --pids 10: not all 40 forks succeed"
left "pids (the sleeps are gone with the sandbox)"
# exactly n: the holder, the shell and true fit in 3; jailctl's own waiting
# process is not one of the sandbox's (it once was, and 3 failed)
sbx --pids 3 -- sh -c '/bin/true && echo three'
is_ro "0:three" "pids: --pids 3 holds the holder, sh and /bin/true"
sbx --pids 2 -- sh -c '/bin/true && echo two'
unlike "$out" 'two' "pids: --pids 2 does not: /bin/true is refused"
left "pids: exactly n"
sbx --cpus 0.2 -- sh -c 'echo ok'
is_ro "0:ok" "cpus: --cpus 0.2 accepted"
sbx --memory 64M --pids 50 --cpus 1.5 --net none --hostname x \
    --bind "$TMPD/hro:/ro:ro" -- cat /ro/canary
is_ro "0:host canary" "all flags at once"
left "limits"

# --- network ---------------------------------------------------------------

sbx --net none -- cat /proc/net/dev
is "$(printf '%s\n' "$out" | ifaces)" "lo " \
    "net: --net none: only lo in /proc/net/dev"
sbx -- cat /proc/net/dev
is "$(printf '%s\n' "$out" | ifaces)" "lo " "net: default: only lo"
sbx --net none -- ip link
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '^[0-9]*:')" -eq 1 ] &&
    printf '%s\n' "$out" | grep -q '^1: lo:'; then
	pass "net: --net none: ip link shows lo alone"
else
	fail "net: --net none: ip link shows lo alone" "rc $rc" "$out" "$err"
fi
sbx --net host -- cat /proc/net/dev
is "$(printf '%s\n' "$out" | ifaces)" "$(ifaces </proc/net/dev)" \
    "net: --net host: the host's interfaces"
left "net"

# --- bad values: exit 2, nothing left --------------------------------------

for a in "--memory 12X" "--pids 0" "--net bogus" "--cpus abc" \
    "--hostname a/b" "--bind rel:/x" "--bind /tmp:rel" "--bind /tmp" \
    "--bind /tmp:/x:rx" "--bind /tmp:/"; do
	# shellcheck disable=SC2086 # the flag and its value
	sbx $a -- true
	is_rc 2 "bad value: $a: exit 2"
	error_line "bad value: $a: a jailctl: line"
done
sbx --memory 12X -- true
like "$err" '^jailctl: --memory: ' "bad value: the error starts \"jailctl: --memory: \""
left "bad values"
jx --memory 32M -- true
is_rc 2 "--memory without --template: exit 2"
like "$err" '^jailctl: .*only with --template' \
    "--memory without --template: the error says so"
jx --net none -- true
is_rc 2 "--net without --template: exit 2"
jx --template busybox
is_rc 2 "--template and no command: exit 2"
jx --template nosuch-template -- true
is_rc 125 "--template nosuch-template: 125"
error_line "--template nosuch-template: a jailctl: line"
left "usage errors"

# --- a template given as an absolute path ---------------------------------

jx --template "$TMPD/tree" -- sh -c 'echo x >/newfile; rm /bin/vi; hostname'
is_ro "0:sandbox" "path template: a command runs over $TMPD/tree"
is "$(tree_sum "$TMPD/tree")" "$PSUM" "path template: the tree is not written"
jx --template "$TMPD/tree" -- sh -c '[ -e /newfile ] || echo absent'
is_ro "0:absent" "path template: the next run does not see the last one's file"
jx --template "$TMPD/nonexistent" -- true
is_rc 125 "path template: a missing tree: 125"
left "path template"

# --- the holder (PID 1) -----------------------------------------------------

sbx -- cat /proc/1/comm
is_ro "0:jail-holder" "holder: /proc/1/comm inside is jail-holder"
sbx -- ls -l /proc/1/exe
like "$err" 'Permission denied' "holder: ls -l /proc/1/exe inside: permission denied"
sbx -- readlink /proc/1/exe
if [ "$rc" -ne 0 ] && [ -z "$out" ]; then
	pass "holder: readlink /proc/1/exe inside fails"
else
	fail "holder: readlink /proc/1/exe inside fails" "rc $rc, out \"$out\""
fi
sbx -- cat /proc/1/exe
is "$rc" 1 "holder: its executable cannot be read inside"
sbx -- cat /proc/1/status
if [ "$rc" -eq 0 ]; then
	pass "holder: /proc/1/status is readable inside"
	has_line "$(printf '%s\n' "$out" | sed -n 's/^CapEff:[[:space:]]*//p')" \
	    0000000000000020 "holder: CapEff 0000000000000020 (CAP_KILL only)"
	has_line "$(printf '%s\n' "$out" | sed -n 's/^NoNewPrivs:[[:space:]]*//p')" \
	    1 "holder: NoNewPrivs 1"
	has_line "$(printf '%s\n' "$out" | sed -n 's/^Seccomp:[[:space:]]*//p')" \
	    2 "holder: Seccomp 2 (a filter)"
else
	pass "holder: /proc/1/status is not readable inside (rc $rc)"
fi

# --- SIGTERM to jailctl; what the host sees while it runs ------------------

"$JAILCTL" -s "$S" exec --template busybox --memory 32M --pids 10 \
    --cpus 0.2 -- sleep "$SLP" </dev/null >"$TMPD/bg.out" 2>"$TMPD/bg.err" &
bg=$!
BGPIDS="$BGPIDS $bg"
rec() {
	for _r in "$S"/sandbox-*/state; do
		[ -f "$_r" ] && grep -q '^pid=[1-9]' "$_r" && echo "$_r" &&
		    return 0
	done
	return 1
}
wait_for 10 rec >/dev/null
r=$(rec)
name=$(basename "$(dirname "$r")")
if [ -n "$r" ] && [ -d "$S/.$name/root" ]; then
	pass "running: the record STATEDIR/sandbox-X, the tree in STATEDIR/.sandbox-X/root"
else
	fail "running: the record STATEDIR/sandbox-X, the tree in STATEDIR/.sandbox-X/root" \
	    "$(ls -la "$S" 2>&1)"
fi
hp=$(sed -n 's/^pid=//p' "$r" 2>/dev/null)
case $(readlink "/proc/$hp/exe" 2>&1) in
/memfd:jail-holder*) pass "running: the holder's exe, seen from the host, is memfd:jail-holder" ;;
*) fail "running: the holder's exe, seen from the host, is memfd:jail-holder" \
    "pid $hp: $(readlink "/proc/$hp/exe" 2>&1)" ;;
esac
has_line "$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$hp/status" 2>&1)" \
    0000000000000020 "running: the holder's CapEff, from the host: CAP_KILL only"
has_line "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$hp/status" 2>&1)" \
    1 "running: the holder has no_new_privs"
# the limits in the jail's cgroups (v1 or v2 files)
cgd=$(find /sys/fs/cgroup -maxdepth 7 -type d -name "$name" 2>/dev/null)
mem='' pids='' cpu=''
for d in $cgd; do
	[ -f "$d/memory.max" ] && mem=$(cat "$d/memory.max")
	[ -f "$d/memory.limit_in_bytes" ] && mem=$(cat "$d/memory.limit_in_bytes")
	[ -f "$d/pids.max" ] && pids=$(cat "$d/pids.max")
	[ -f "$d/cpu.max" ] && cpu=$(cat "$d/cpu.max")
	[ -f "$d/cpu.cfs_quota_us" ] &&
	    cpu="$(cat "$d/cpu.cfs_quota_us") $(cat "$d/cpu.cfs_period_us")"
done
is "$mem" 33554432 "running: --memory 32M: the cgroup's memory limit is 33554432"
is "$pids" 10 "running: --pids 10: the cgroup's pids.max is 10"
case $cpu in
"20000 100000") pass "running: --cpus 0.2: 20000 of 100000 us" ;;
*) fail "running: --cpus 0.2: 20000 of 100000 us" "got \"$cpu\" in: $cgd" ;;
esac
kill -TERM "$bg"
gone() { proc_dead "$bg"; }
if wait_for 10 gone; then
	wait "$bg"
	st=$?
else
	kill -9 "$bg"
	wait "$bg"
	st="still running 10 s after SIGTERM"
fi
is "$st" 143 "SIGTERM to jailctl during sleep: exit 143"
left "SIGTERM"

# --- several at once ------------------------------------------------------

pl=
for i in 1 2 3 4; do
	bounded "$JAILCTL" -s "$S" exec --template busybox -- sh -c "exit $i" \
	    </dev/null >/dev/null 2>"$TMPD/p$i.err" &
	pl="$pl $!"
done
sts=
for p in $pl; do
	wait "$p"
	sts="$sts$? "
done
is "$sts" "1 2 3 4 " "concurrent: four sandboxes at once, each its own status"
left "concurrent"

# --- time -------------------------------------------------------------------

n=0 bad=0
t0=$(date +%s%N)
while [ $n -lt 20 ]; do
	bounded "$JAILCTL" -s "$S" exec --template busybox -- /bin/true \
	    </dev/null >/dev/null 2>&1 || bad=$((bad + 1))
	n=$((n + 1))
done
t1=$(date +%s%N)
is "$bad" 0 "time: 20 runs of exec --template busybox -- /bin/true: all 0"
diag "time: mean of 20 runs of exec --template busybox -- /bin/true: $(((t1 - t0) / 20 / 1000)) us"
left "time"

is "$(tree_sum "$JAILCTL_TEMPLATES/busybox")" "$TSUM" \
    "after all: the template tree is unchanged"

# --- after all: nothing of the script's left on the host --------------------

l=$(sh "$REPO/tests/integration/leakcheck.sh" compare "$SNAP/host" \
    2>/dev/null | D=$TMPD awk 'index($0, ENVIRON["D"]) || !/jl[t]est/')
is "$l" "" "after all tests: leakcheck.sh finds nothing new on the host"

done_testing
