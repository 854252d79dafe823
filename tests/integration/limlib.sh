# Resource limits as a user sees them: shared by tests/integration/t_limits.sh
# (cgroup v1, on the host) and tests/vm/t_limits_v2.sh (cgroup v2, in the
# VM).  Sourced after lib.sh, never run.  Defines the helpers and one
# function per test (lim_pids, lim_mem, ...); the scripts call them.
#
# Each test has its own directory $T (jail.conf, state, template store,
# root trees copied from one busybox tree) and ends by checking that it
# left nothing behind: no holder, no process of its jails, no mount under
# $T, no state, no cgroup directory named after one of its jails.  Then,
# and on any exit, whatever is left is stopped, killed, unmounted and
# removed.  Jail names start with "jltest" and this shell's PID, so that
# their cgroups are ours and leakcheck.sh sees any that is left.
#
# Set before sourcing: LIM_VM=1 in the VM (fewer, smaller loops; v2 cases).
# shellcheck shell=sh
# Single quotes keep $ for the jail's shell (SC2016); the functions are
# also called through wait_for (SC2317); dash has ulimit -n and -H (SC3045).
# shellcheck disable=SC2016,SC2317,SC2013,SC2154,SC3045

# shellcheck source=harness.sh
. "$REPO/tests/integration/harness.sh"

need_jails
cd "$TMPD" || bail_out "cd $TMPD"

: "${LIM_VM:=0}"
# Long-running processes the jails start are "sleep $SLP": ours.
SLP=$((880000 + $$ % 10000))
# Jail names: $NP<test>, e.g. jltest1234p.
NP=jltest$$
# Seconds any one jailctl may take; the script's budget, below run.sh's.
JC_LIMIT=30
START_TIME=$(date +%s)
BUDGET=$((${JLTEST_TIMEOUT:-600} * 4 / 5))
BGPIDS=
# Cgroups the script made itself (v2 parents), removed on exit.
OWN_CG=
# The fork loops: how many processes a jail tries to start.
if [ "$LIM_VM" = 1 ]; then
	NFORK=30
else
	NFORK=60
fi

SNAP=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") ||
	bail_out "mktemp -d failed"
trap 'rm -rf "$TMPD" "$SNAP"' EXIT
sh "$REPO/tests/integration/leakcheck.sh" snapshot "$SNAP/host" ||
	bail_out "leakcheck.sh snapshot failed"

# --- helpers (as in t_lifecycle.sh) --------------------------------------

# our_holders DIR: running jail holders whose root or command line
# belongs to DIR (lib.sh's holder_of_dir), found with one ps.
our_holders() {
	ps -e -o pid=,stat=,comm= 2>/dev/null |
	    awk '$3 == "jail-holder" && $2 !~ /^[ZX]/ { print $1 }' |
	    while IFS= read -r _oh_p; do
		holder_of_dir "$_oh_p" "$1" && echo "$_oh_p"
	done
}

kill_ours() {
	for _ko_p in $BGPIDS; do
		kill -9 "$_ko_p" 2>/dev/null
	done
	procs_with "sleep $SLP" | while read -r _ko_p _; do
		case $_ko_p in
		'' | *[!0-9]*) ;;
		*) kill -9 "$_ko_p" 2>/dev/null ;;
		esac
	done
}

# cg_find NAME: the cgroup directories named NAME on the host (the jail's
# go under the caller's cgroup, a few levels down).
cg_find() {
	[ -n "$1" ] || return 0
	find /sys/fs/cgroup -maxdepth 7 -type d -name "$1" 2>/dev/null
}

# cg_rm NAME: the last resort for a jail's cgroups: kill, then rmdir.
cg_rm() {
	[ -n "$1" ] || return 0
	for _cr_d in $(cg_find "$1" | sort -r); do
		if [ -f "$_cr_d/cgroup.kill" ]; then
			echo 1 >"$_cr_d/cgroup.kill" 2>/dev/null
		else
			while read -r _cr_p; do
				kill -9 "$_cr_p" 2>/dev/null
			done <"$_cr_d/cgroup.procs"
		fi
		wait_for 3 sh -c "! grep -q . '$_cr_d/cgroup.procs'" \
		    2>/dev/null
		rmdir "$_cr_d" 2>/dev/null
	done
}

cleanup_all() {
	for _ca_d in "$TMPD"/*/; do
		[ -d "$_ca_d" ] && stop_all "${_ca_d%/}"
	done
	kill_ours
	# jail_reap scans /proc a few times (slow in the VM): only when needed
	if [ -n "$(our_holders "$TMPD")$(procs_with "$TMPD")" ]; then
		jail_reap "$TMPD"
	fi
	for _ca_n in $(cat "$TMPD"/*/.names 2>/dev/null); do
		cg_rm "$_ca_n"
	done
	for _ca_g in $OWN_CG; do
		rmdir "$_ca_g" 2>/dev/null
	done
	rm -rf --one-file-system "$TMPD" "$SNAP"
}
trap cleanup_all EXIT
trap 'exit 141' PIPE

# begin NAME: a fresh test directory $T with its CONF.
begin() {
	TN=$1
	T=$TMPD/$1
	CONF=$T/jail.conf
	mkdir -p "$T/state" "$T/templates" || bail_out "mkdir $T"
	: >"$CONF"
	: >"$T/.holders"
	: >"$T/.names"
	JAILCTL_TEMPLATES=$T/templates
	export JAILCTL_TEMPLATES
	diag "--- $TN (at $(($(date +%s) - START_TIME)) s)"
}

# finish: the test left nothing behind (checked), then it is cleaned up by
# force.
finish() {
	wait_for 3 no_leftovers
	nothing_left "$TN: nothing left behind (holder, processes, mounts, state, cgroups)"
	# jail_reap scans /proc a few times: only when something is left
	no_leftovers || reap_now
}

reap_now() {
	stop_all "$T"
	kill_ours
	jail_reap "$T"
	for _rn_n in $(cat "$T/.names"); do
		cg_rm "$_rn_n"
	done
}

# mkroot DIR: a copy of the busybox tree, with /rl.sh printing the
# shell's rlimits: "nofile-soft nofile-hard core-soft core-hard".
mkroot() {
	cp -a "$BB" "$1" || bail_out "cp -a $BB $1"
	printf '%s\n' 'echo "$(ulimit -n) $(ulimit -Hn) $(ulimit -c) $(ulimit -Hc)"' \
	    >"$1/rl.sh"
}

# block NAME [LINE...]: appends a jail block to $CONF, its root a fresh
# copy at $T/NAME; each LINE is a statement, with its ";".
block() {
	_bl_n=$1
	shift
	mkroot "$T/$_bl_n"
	echo "$_bl_n" >>"$T/.names"
	{
		printf '%s {\n' "$_bl_n"
		printf '\tpath = "%s";\n' "$T/$_bl_n"
		printf '\thost.hostname = "%s.jltest.test";\n' "$_bl_n"
		printf '\tstop.timeout = 2;\n'
		for _bl_l in "$@"; do
			printf '\t%s\n' "$_bl_l"
		done
		printf '}\n'
	} >>"$CONF"
}

# jc ARG...: jailctl with this test's configuration and state, bounded;
# sets rc, out, err.
jc() {
	run bounded "$JAILCTL" -f "$CONF" -s "$T/state" "$@"
	if [ "$rc" -eq 124 ]; then
		err="$err${err:+
}(jailctl timed out or was not run: $(limit) s left)"
	fi
}

# num_cmp A OP B DESC: a numeric comparison (test's -le, -ge, ...).
num_cmp() {
	case $1 in
	'' | *[!0-9]*)
		fail "$4" "not a number: \"$1\""
		return
		;;
	esac
	if test "$1" "$2" "$3"; then
		pass "$4"
	else
		fail "$4" "got $1, expected $2 $3"
	fi
}

# cg_dirs NAME: the directories of the jail's cgroups, from its state
# record ("cgroup=v1:ctl:/path v2:ctl,ctl:/path ...").
cg_dirs() {
	for _cd_e in $(st_get "$1" cgroup); do
		_cd_e=${_cd_e#*:}
		echo "${_cd_e#*:}"
	done
}

# stats_kv NAME: "jailctl stats NAME --json" into kv, as lines
# "memory.current=N" (null stays "null"); rc, out and err are jailctl's.
stats_kv() {
	jc stats "$1" --json
	printf '%s\n' "$out" >"$T/stats.json"
	kv=$(printf '%s\n' "$out" | awk '
		/"[a-z_]+": *\{/ { s = $1; gsub(/[":{ ]/, "", s); next }
		/^ *\}/ { s = ""; next }
		/"[a-z_]+": *[-0-9n]/ {
			k = $1; gsub(/[": ]/, "", k)
			v = $2; gsub(/[, ]/, "", v)
			print (s == "" ? "" : s ".") k "=" v
		}')
}

# stat_of KV KEY: a value from stats_kv's output.
stat_of() {
	printf '%s\n' "$1" | sed -n "s/^$2=//p"
}

# leftovers: what the current test has left on the host, a line each.
leftovers() {
	procs_with "$T/" | sed 's/^/process /'
	procs_with "sleep $SLP" | sed 's/^/process /'
	{
		sort -u "$T/.holders" | while IFS= read -r _lo_p; do
			is_holder "$_lo_p" && echo "$_lo_p"
		done
		our_holders "$T"
	} | sort -u | while IFS= read -r _lo_p; do
		echo "holder $_lo_p is still running"
	done
	for _lo_m in $(mounts_under "$T"); do
		echo "mount $_lo_m"
	done
	for _lo_s in "$T"/state/*; do
		[ -e "$_lo_s" ] && echo "state $_lo_s: $(tr '\n' ' ' \
		    2>/dev/null <"$_lo_s/state")"
	done
	for _lo_n in $(cat "$T/.names"); do
		cg_find "$_lo_n" | sed 's/^/cgroup /'
	done
}

# forkloop N: a jail's shell that starts N "sleep $SLP" and writes each
# PID to /forked; "all forked" when none was refused.
forkloop() {
	printf 'i=0; while [ $i -lt %s ]; do sleep %s >/dev/null 2>&1 & echo $! >>/forked; i=$((i + 1)); done; echo all forked' \
	    "$1" "$SLP"
}

# jail_sleeps: how many of our "sleep $SLP" run.
jail_sleeps() {
	procs_with "sleep $SLP" | grep -c .
}

# The busybox tree every jail is copied from.
BB=$TMPD/busybox
if ! sh "$REPO/templates/busybox/build" "$BB" >"$TMPD/bb.log" 2>&1; then
	bail_out "templates/busybox/build failed: $(cat "$TMPD/bb.log")"
fi

# --- pids.max: a fork bomb, bounded -------------------------------------

lim_pids() {
	begin pids
	j=${NP}p
	block "$j" 'persist;' 'pids.max = 20;'
	conf_ok
	jc start "$j"
	is_rc 0 "pids: start a jail with pids.max = 20"
	pid=$(holder_of "$j")

	# The cgroup namespace, and where the cgroups are.
	jc exec "$j" cat /proc/self/cgroup
	bad=$(printf '%s\n' "$out" | awk -F: '$3 != "/"')
	if [ "$rc" -eq 0 ] && [ -n "$out" ] && [ -z "$bad" ]; then
		pass "cgns: /proc/self/cgroup inside shows only \"/\" paths"
	else
		fail "cgns: /proc/self/cgroup inside shows only \"/\" paths" \
		    "rc $rc: $out" "$err"
	fi
	dirs=$(cg_dirs "$j")
	bad=
	for d in $dirs; do
		[ -d "$d" ] && [ "${d##*/}" = "$j" ] &&
		    grep -qx "$pid" "$d/cgroup.procs" ||
		    bad="$bad $d"
	done
	if [ -n "$dirs" ] && [ -z "$bad" ]; then
		pass "cgns: the jail's cgroups exist on the host, named after it, the holder in each"
	else
		fail "cgns: the jail's cgroups exist on the host, named after it, the holder in each" \
		    "state: $(st_get "$j" cgroup)" "bad: $bad"
	fi

	jc exec "$j" sh -c "$(forkloop "$NFORK")"
	like "$err" "can't fork" "pids: the fork bomb's forks are refused (\"can't fork\")"
	unlike "$out" 'all forked' "pids: not all $NFORK forks succeed"
	n=$(grep -c . "$T/$j/forked" 2>/dev/null)
	# exactly: jailctl waiting for the shell is not one of the jail's
	is "${n:-0}" 18 "pids: 18 sleeps started (20 - holder - shell)"
	num_cmp "$(jail_sleeps)" -le 18 "pids: the host sees at most 18 of the jail's sleeps"
	stats_kv "$j"
	is "$rc" 0 "pids: stats --json: exit 0"
	if [ "$LIM_VM" != 1 ]; then
		json_valid "$T/stats.json" "pids: stats --json is JSON"
	fi
	num_cmp "$(stat_of "$kv" pids.current)" -le 20 "pids: stats: pids.current <= 20"
	num_cmp "$(stat_of "$kv" pids.max_hit)" -ge 1 "pids: stats: pids.max_hit >= 1"
	jc stats "$j"
	like "$out" '^pids\.max_hit +[1-9]' "pids: stats (text) shows pids.max_hit"
	# The host forks as it likes meanwhile.
	run sh -c 'i=0; while [ $i -lt 30 ]; do sleep 0 & i=$((i + 1)); done; wait; echo ok'
	is_ro "0:ok" "pids: the host still forks (30 at once)"

	jc stop "$j"
	is_rc 0 "pids: stop"
	left=
	for d in $dirs; do
		[ -e "$d" ] && left="$left $d"
	done
	is "$left" "" "cgns: after stop the jail's cgroup directories are gone"
	is "$(jail_sleeps)" 0 "pids: after stop none of the jail's sleeps runs"

	# A one-off instance is limited too.
	jc exec "$j" sh -c "$(forkloop "$NFORK")"
	like "$err" "can't fork" "pids: in a one-off instance, forks are refused too"
	finish
}

# --- memory.max: an OOM kill stays inside -------------------------------

lim_mem() {
	begin mem
	j=${NP}m
	block "$j" 'persist;' 'memory.max = 32M;'
	conf_ok
	jc start "$j"
	is_rc 0 "mem: start a jail with memory.max = 32M"
	pid=$(holder_of "$j")
	# a host process, not counted as the jail's
	sleep $((SLP + 1)) >/dev/null 2>&1 &
	hostsleep=$!
	BGPIDS="$BGPIDS $hostsleep"
	jc exec "$j" sh -c "sleep $SLP >/dev/null 2>&1 &"
	is_rc 0 "mem: a sleep runs in the jail"
	# dd holds one 64M buffer, filled from /dev/zero: really allocated.
	jc exec "$j" dd if=/dev/zero of=/dev/null bs=64M count=1
	is_rc 137 "mem: a 64M allocation inside is OOM-killed: exec exits 137"
	if is_holder "$pid"; then
		pass "mem: the jail's holder still runs"
	else
		fail "mem: the jail's holder still runs" "pid \"$pid\""
	fi
	is "$(jail_sleeps)" 1 "mem: the sleep inside still runs"
	if ! proc_dead "$hostsleep"; then
		pass "mem: a host process is untouched"
	else
		fail "mem: a host process is untouched"
	fi
	stats_kv "$j"
	num_cmp "$(stat_of "$kv" memory.oom_kills)" -ge 1 "mem: stats: memory.oom_kills >= 1"
	num_cmp "$(stat_of "$kv" memory.peak)" -le 33554432 "mem: stats: memory.peak <= 32M"
	jc exec "$j" dd if=/dev/zero of=/dev/null bs=8M count=1
	is_rc 0 "mem: an 8M allocation inside works"
	jc exec "$j" cat /proc/1/comm
	is_ro "0:jail-holder" "mem: the jail still takes commands"
	jc stop "$j"
	is_rc 0 "mem: stop"
	kill -9 "$hostsleep" 2>/dev/null
	wait "$hostsleep" 2>/dev/null
	finish
}

# --- cpu.max: throttling --------------------------------------------------

now_us() {
	_nu=$(date +%s%N)
	echo $((_nu / 1000))
}

lim_cpu() {
	begin cpu
	j=${NP}c
	block "$j" 'persist;' 'cpu.max = 0.2;'
	conf_ok
	jc start "$j"
	is_rc 0 "cpu: start a jail with cpu.max = 0.2"
	holder_of "$j" >/dev/null
	stats_kv "$j"
	u0=$(stat_of "$kv" cpu.usage_usec)
	t0=$(stat_of "$kv" cpu.nr_throttled)
	w0=$(now_us)
	jc exec "$j" timeout 1 sh -c 'while :; do :; done'
	w1=$(now_us)
	diag "the busy loop: exit $rc, $(((w1 - w0) / 1000)) ms"
	stats_kv "$j"
	u1=$(stat_of "$kv" cpu.usage_usec)
	t1=$(stat_of "$kv" cpu.nr_throttled)
	num_cmp "${t1:-x}" -gt "${t0:-0}" "cpu: stats --json: nr_throttled grows ($t0 -> $t1)"
	num_cmp "$(stat_of "$kv" cpu.throttled_usec)" -gt 0 "cpu: stats --json: throttled_usec > 0"
	# 0.2 of a CPU over the wall time, and 0.15 s for the periods' edges
	max=$(((w1 - w0) / 5 + 150000))
	if [ -n "$u0" ] && [ -n "$u1" ]; then
		num_cmp $((u1 - u0)) -le "$max" "cpu: the loop got at most 0.2 CPU ($((u1 - u0)) us in $(((w1 - w0) / 1000)) ms)"
	else
		fail "cpu: the loop got at most 0.2 CPU" "usage_usec: \"$u0\" \"$u1\""
	fi
	jc stop "$j"
	is_rc 0 "cpu: stop"
	finish
}

# --- set: a running jail's limits ----------------------------------------

lim_set() {
	begin set
	j=${NP}s
	block "$j" 'persist;' 'pids.max = 50;' 'memory.max = 64M;'
	conf_ok
	cp "$CONF" "$T/conf.orig"
	jc set "$j" pids.max=5
	is_rc 1 "set: on a stopped jail: exit 1"
	like "$err" 'not running' "set: on a stopped jail: \"not running\""
	jc start "$j"
	is_rc 0 "set: start a jail with pids.max = 50"
	holder_of "$j" >/dev/null
	jc exec "$j" sh -c 'sleep 0 & sleep 0 & sleep 0 & sleep 0 & sleep 0 & sleep 0 & wait; echo ok'
	is_ro "0:ok" "set: six forks at once work under pids.max = 50"

	jc set "$j" pids.max=5
	is_rc 0 "set: pids.max=5 on the running jail"
	jc show "$j"
	like "$out" '^[[:space:]]*pids\.max = 5;$' "set: show prints pids.max = 5"
	jc exec "$j" sh -c "$(forkloop 10)"
	like "$err" "can't fork" "set: forks are refused at once after lowering pids.max"
	n=$(grep -c . "$T/$j/forked" 2>/dev/null)
	num_cmp "${n:-0}" -le 3 "set: at most 3 sleeps started (5 - holder - shell): $n"
	same_file "$CONF" "$T/conf.orig" "set: the config file is unchanged"

	jc set "$j" pids.max=banana
	is_rc 1 "set: pids.max=banana: exit 1"
	like "$err" '^jailctl: .*pids\.max' "set: the error names pids.max"
	jc set "$j" memory.max=8M pids.max=-3
	is_rc 1 "set: one valid, one invalid value: exit 1"
	jc show "$j"
	like "$out" '^[[:space:]]*pids\.max = 5;$' "set: after the refused sets, pids.max is still 5"
	like "$out" '^[[:space:]]*memory\.max = 64M;$' \
	    "set: nothing of a refused set is applied (memory.max still 64M)"
	jc set "$j" host.hostname=other.jltest.test
	is_rc 1 "set: a parameter that is no limit (host.hostname): exit 1"
	like "$err" '^jailctl: .*host\.hostname' "set: the error names host.hostname"
	jc exec "$j" hostname
	is_ro "0:$j.jltest.test" "set: the hostname is unchanged"
	jc set "$j" nosuch.param=1
	is_rc 1 "set: an unknown parameter: exit 1"

	# Kill the sleeps, raise the limit again: forks work.
	jc exec "$j" sh -c "kill \$(cat /forked) 2>/dev/null; :"
	jc set "$j" pids.max=50
	is_rc 0 "set: pids.max=50 again"
	jc exec "$j" sh -c 'sleep 0 & sleep 0 & sleep 0 & sleep 0 & sleep 0 & sleep 0 & wait; echo ok'
	is_ro "0:ok" "set: after raising pids.max, six forks at once work again"
	same_file "$CONF" "$T/conf.orig" "set: the config file is still unchanged"

	jc stop "$j"
	is_rc 0 "set: stop"
	jc show "$j"
	like "$out" '^[[:space:]]*pids\.max = 50;$' "set: stopped, show prints the file's pids.max again"
	jc stats "$j"
	is_rc 1 "stats: on a stopped jail: exit 1"
	like "$err" '^jailctl: .*not running' "stats: on a stopped jail: \"not running\""
	jc stats "$j" --json
	is_rc 1 "stats --json: on a stopped jail: exit 1"
	jc stats "${NP}nosuch"
	is_rc 1 "stats: on a jail not defined: exit 1"
	finish
}

# --- rlimits on every path -------------------------------------------------

lim_rlimit() {
	begin rlimit
	j=${NP}r
	block "$j" 'persist;' 'rlimit.nofile = 64:128;' 'rlimit.core = 0;' \
	    'exec.start = "sh /rl.sh >/rl.start";'
	conf_ok
	host_n="$(ulimit -n) $(ulimit -Hn)"
	jc start "$j"
	is_rc 0 "rlimit: start a jail with rlimit.nofile = 64:128, rlimit.core = 0"
	holder_of "$j" >/dev/null
	is "$(cat "$T/$j/rl.start" 2>&1)" "64 128 0 0" \
	    "rlimit: in exec.start: nofile 64, hard 128; core 0"
	jc exec "$j" sh /rl.sh
	is_ro "0:64 128 0 0" "rlimit: in exec: nofile 64, hard 128; core 0"
	jc exec -u nobody "$j" sh /rl.sh
	is_ro "0:64 128 0 0" "rlimit: in exec -u nobody: the same"
	is "$(ulimit -n) $(ulimit -Hn)" "$host_n" "rlimit: the host's own are unchanged"
	jc stop "$j"
	is_rc 0 "rlimit: stop"
	jc exec "$j" sh /rl.sh
	is_ro "0:64 128 0 0" "rlimit: in a one-off instance: the same"
	wait_for 2 no_leftovers
	nothing_left "rlimit: the one-off instance left nothing"

	if [ "$LIM_VM" = 1 ]; then
		finish
		return
	fi
	# Above the host's hard limit: root here cannot raise it.
	hi=$(($(ulimit -Hn) + 10000))
	block "${j}h" "rlimit.nofile = 64:$hi;"
	block "${j}i" 'persist;' "rlimit.nofile = 64:$hi;" \
	    'exec.start = "true";'
	block "${j}k" 'persist;' "rlimit.nofile = 64:$hi;"
	jc exec "${j}h" true
	is_rc 125 "rlimit: a hard nofile above the host's ($hi): exec exits 125"
	like "$err" '^jailctl: .*rlimit\.nofile' "rlimit: ... with an error naming rlimit.nofile"
	error_line "rlimit: ... and only \"jailctl: \" lines"
	jc start "${j}i"
	is_rc 1 "rlimit: the same with exec.start: start exits 1"
	like "$err" '^jailctl: .*rlimit\.nofile' "rlimit: ... naming rlimit.nofile"
	wait_for 2 no_leftovers
	nothing_left "rlimit: the failed start left nothing"
	jc start "${j}k"
	is_rc 1 "rlimit: the same without exec.start: start exits 1 too"
	like "$err" '^jailctl: .*rlimit\.nofile' "rlimit: ... naming rlimit.nofile"
	holder_of "${j}k" >/dev/null
	jc stop "${j}k"
	finish
}

# --- a start that fails after its cgroups were made ----------------------

lim_rollback() {
	begin rollback
	j=${NP}f
	block "${j}1" 'persist;' 'pids.max = 10;' \
	    "exec.prestart = \"find /sys/fs/cgroup -maxdepth 7 -type d -name ${j}1 >$T/pre; false\";"
	block "${j}2" 'persist;' 'pids.max = 10;' \
	    "exec.start = \"sleep $SLP >/dev/null 2>&1 & exit 3\";"
	conf_ok
	jc start "${j}1"
	is_rc 1 "rollback: a failing exec.prestart: start exits 1"
	if [ -s "$T/pre" ]; then
		pass "rollback: the jail's cgroups existed when exec.prestart ran"
	else
		fail "rollback: the jail's cgroups existed when exec.prestart ran" \
		    "none found then: this rollback does not test cgroups"
	fi
	is "$(cg_find "${j}1")" "" "rollback: after it, no cgroup of the jail is left"
	wait_for 2 no_leftovers
	nothing_left "rollback: the failed prestart left nothing"
	jc start "${j}2"
	is_rc 1 "rollback: a failing exec.start (a sleep left inside): start exits 1"
	wait_for 3 no_leftovers
	is "$(cg_find "${j}2")" "" "rollback: after it, no cgroup of the jail is left"
	is "$(jail_sleeps)" 0 "rollback: the sleep exec.start left is gone"
	finish
}

# --- a limit the host cannot enforce -------------------------------------

# lim_unenforceable PARAM DESC LINE...: a jail with LINE... fails to start,
# naming PARAM.
lim_unenforceable() {
	begin unenforceable
	_ue_p=$1
	_ue_d=$2
	shift 2
	j=${NP}u
	block "$j" 'persist;' "$@"
	conf_ok
	jc start "$j"
	is_rc 1 "unenforceable: $_ue_d: start exits 1"
	like "$err" "^jailctl: .*$(printf '%s' "$_ue_p" | sed 's/\./\\./g')" \
	    "unenforceable: the error names $_ue_p"
	wait_for 2 no_leftovers
	is "$(cg_find "$j")" "" "unenforceable: no cgroup is left"
	finish
}

# --- after all ----------------------------------------------------------

lim_end() {
	left=
	for h in $(our_holders "$TMPD"); do
		left="${left}holder $h
"
	done
	for m in $(mounts_under "$TMPD"); do
		left="${left}mount $m
"
	done
	for s in "$TMPD"/*/state/*; do
		[ -e "$s" ] && left="${left}state $s
"
	done
	for n in $(cat "$TMPD"/*/.names 2>/dev/null); do
		for d in $(cg_find "$n"); do
			left="${left}cgroup $d
"
		done
	done
	is "$left" "" "after all tests: no holder, mount, state or cgroup of ours"
	l=$(sh "$REPO/tests/integration/leakcheck.sh" compare "$SNAP/host" \
	    2>/dev/null | D=$TMPD N=$NP awk 'index($0, ENVIRON["D"]) ||
	    index($0, ENVIRON["N"]) || !/jl[t]est/')
	is "$l" "" "after all tests: leakcheck.sh finds nothing new on the host"
}

# lim_run FUNC...: runs each test while the budget lasts.
lim_run() {
	for _lr_t in "$@"; do
		if [ "$(limit)" -le 0 ]; then
			fail "${_lr_t#lim_}: not run: the script used up its ${BUDGET}s budget"
			continue
		fi
		"$_lr_t"
	done
}
