#!/bin/sh
# Lifecycle benchmarks: jailctl beside the tools users would pick instead,
# all on one busybox root tree built for the run (/bin/true in it):
#
#  1. exec: "jailctl exec b /bin/true" against "nsenter -a -r -w -t HOLDER
#     /bin/true" into the same running jail, interleaved; target <= 1.2x.
#  2. start+stop of a persistent jail against "lxc-start -d" + "lxc-stop -k"
#     of an LXC container on the same root tree (the issue's 15.3 ms when LXC
#     is not installed or does not work here); target <= 0.5x.  With LXC,
#     "lxc-attach -- /bin/true" is timed too, for reference.
#  3. "jailctl start j1 .. j100" + "jailctl stop j1 .. j100" (one call each)
#     against 100 idle "unshare --fork --kill-child=KILL --pid --mount-proc
#     --mount --uts --ipc --net sleep 1000" started (until all 100 run
#     sleep); target <= 1.5x.
#  4. host memory of an idle jail, 100 running: its holder's Pss plus the
#     kernel's growth (Slab, KernelStack, PageTables, Percpu of /proc/meminfo)
#     per jail, the median of the rounds; target <= 400 kB.  The fall of
#     MemAvailable is printed beside it, as a (noisy) cross-check.
#
#	sh bench/lifecycle.sh		(as root)
#
# Phases 1 and 2 read a jail.conf of that one jail, 3 and 4 one of 100 jails
# on hard-link copies of the tree.  A holder that dies right after start is
# caught (its fate from /proc) and the phase is reported as not measured:
# timing a start whose jail is gone would flatter it.  hyperfine when
# installed (apt-get install hyperfine), else timed loops with date +%s%N
# (the loop's own cost, timed alongside, is subtracted).
#
# Environment: JAILCTL (default build/jailctl), JLBENCH_EXEC_N (200),
# JLBENCH_CYCLES (50), JLBENCH_JAILS (100), JLBENCH_ROUNDS (3, for phases 3
# and 4), JLBENCH_NO_HYPERFINE=1, JLBENCH_NO_LXC=1, JLBENCH_TIMEOUT (900:
# seconds for the whole run).  Exit 0 when every target is met, 1 when one
# is missed, 2 when something could not be measured (and none was missed).
#
# Everything lives in one mktemp directory; on exit the script stops every
# jail it started, kills what is left of its holders, unshare processes and
# LXC container (and LXC's cgroups and lock directory), and removes it.

export LC_ALL=C
dir=$(cd "$(dirname "$0")" && pwd -P) || exit 2
repo=$(cd "$dir/.." && pwd -P) || exit 2
: "${JAILCTL:=$repo/build/jailctl}"
case $JAILCTL in
/*) ;;
*) JAILCTL=$(pwd -P)/$JAILCTL ;;
esac
exec_n=${JLBENCH_EXEC_N:-200}
cycles=${JLBENCH_CYCLES:-50}
njails=${JLBENCH_JAILS:-100}
rounds=${JLBENCH_ROUNDS:-3}
limit=${JLBENCH_TIMEOUT:-900}

# The issue's figures, measured on this kind of machine.
REF_NSENTER=2.0
REF_LXC_ATTACH=6.4
REF_LXC=15.3
REF_UNSHARE100=220
# Targets.
T_EXEC=1.2
T_CYCLE=0.5
T_MANY=1.5
T_MEM=400

for v in "$exec_n" "$cycles" "$njails" "$rounds" "$limit"; do
	case $v in
	'' | *[!0-9]* | 0)
		echo "lifecycle.sh: JLBENCH_* counts are positive integers" >&2
		exit 2
		;;
	esac
done

die2() {
	echo "lifecycle.sh: $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || die2 "run as root (namespaces, pivot_root)"
[ -x "$JAILCTL" ] || die2 "$JAILCTL is not built (run make)"
for t in nsenter unshare pgrep pkill timeout busybox; do
	command -v "$t" >/dev/null 2>&1 || die2 "$t is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jltest.bench.XXXXXX") || exit 2
confb=$tmp/b.conf
confm=$tmp/many.conf
conf=$confb
state=$tmp/state
root=$tmp/root
lxcp=$tmp/lxc
cname=jlbench$$
lxc_used=
pivots=$(echo /sys/fs/cgroup/*/lxc.pivot)
runlxc=
[ -d /run/lxc ] || runlxc=/run/lxc
cgdir=
upids=
wdpid=

# The directory's name goes into hyperfine command lines, jail.conf and
# LXC's configuration unquoted.
case $tmp in
*[!A-Za-z0-9._/-]*)
	rmdir "$tmp"
	die2 "TMPDIR must be a plain path ([A-Za-z0-9._/-])"
	;;
esac

# shellcheck disable=SC2317 # ours and cleanup run from the EXIT trap
# Our processes: those whose command line names the temporary directory
# (jailctl and hyperfine runs, the LXC monitor, a holder not yet renamed),
# and the jail holders whose root is a tree in it (a holder blanks its
# command line; the directory's random name is in its mountinfo whatever
# file system /tmp is).
ours() {
	pgrep -f -- "$tmp/" 2>/dev/null
	for p in $(pgrep -x jail-holder 2>/dev/null); do
		D="/${tmp##*/}/" awk '$5 == "/" && index($0, ENVIRON["D"]) {
			f = 1
		} END { exit !f }' "/proc/$p/mountinfo" 2>/dev/null && echo "$p"
	done
}

# shellcheck disable=SC2317
cleanup() {
	trap '' INT TERM HUP
	if [ -n "$wdpid" ]; then
		kill "$wdpid" 2>/dev/null
		wait "$wdpid" 2>/dev/null
	fi
	# unshare holders: the sleeps (PID 1 of their namespaces), then unshare
	for p in $upids; do
		kids=$(pgrep -P "$p" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$kids" ] && kill -KILL $kids 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	for p in $upids; do
		wait "$p" 2>/dev/null
	done
	# jails still recorded: stop them, b and then the others in one call
	if [ -d "$state" ]; then
		names=
		for d in "$state"/*/state; do
			[ -f "$d" ] || continue
			d=${d%/state}
			d=${d##*/}
			if [ "$d" = b ]; then
				timeout 60 "$JAILCTL" -f "$confb" -s "$state" \
				    stop b >/dev/null 2>&1
			else
				names="$names $d"
			fi
		done
		if [ -n "$names" ]; then
			# shellcheck disable=SC2086
			timeout 60 "$JAILCTL" -f "$confm" -s "$state" stop $names \
			    >/dev/null 2>&1
		fi
	fi
	if [ -n "$lxc_used" ]; then
		timeout 20 lxc-stop -P "$lxcp" -n "$cname" -k >/dev/null 2>&1
	fi
	# whatever is left: holders, a hung jailctl, the LXC monitor
	left=$(ours)
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null
		i=0
		while [ -n "$(ours)" ] && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	if [ -n "$lxc_used" ]; then
		for d in /sys/fs/cgroup/*/lxc.payload."$cname" \
		    /sys/fs/cgroup/*/lxc.monitor."$cname"; do
			[ -d "$d" ] && find "$d" -depth -type d \
			    -exec rmdir {} + 2>/dev/null
		done
		# and the lxc.pivot cgroups lxc-stop makes, if new and empty
		for d in /sys/fs/cgroup/*/lxc.pivot; do
			[ -d "$d" ] || continue
			case " $pivots " in
			*" $d "*) ;;
			*) rmdir "$d" 2>/dev/null ;;
			esac
		done
		# lxc keeps a lock directory named after the lxcpath
		rm -rf "/run/lxc/lock$lxcp"
		d=/run/lxc/lock$tmp
		while [ "$d" != /run/lxc/lock ] && rmdir "$d" 2>/dev/null; do
			d=${d%/*}
		done
		# and /run/lxc itself when this run made it
		[ -n "$runlxc" ] && rmdir /run/lxc/lock /run/lxc 2>/dev/null
	fi
	# the memory cgroup: empty once its last task is gone, a moment later
	i=0
	while [ -n "$cgdir" ] && [ -d "$cgdir" ] && ! rmdir "$cgdir" 2>/dev/null &&
	    [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# no mount should be under $tmp; never rm -rf across one
	mnts=$(awk -v p="$tmp/" 'index($5, p) == 1 { print $5 }' \
	    /proc/self/mountinfo | sort -r)
	for m in $mnts; do
		umount -l "$m" 2>/dev/null
	done
	if awk -v p="$tmp/" 'index($5, p) == 1 { f = 1 } END { exit !f }' \
	    /proc/self/mountinfo; then
		echo "lifecycle.sh: mounts left under $tmp; not removed" >&2
	else
		rm -rf "$tmp"
	fi
	left=$(ours)
	[ -n "$left" ] &&
	    echo "lifecycle.sh: processes left:" "$left" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Watchdog: past JLBENCH_TIMEOUT seconds, mark the run and end our children
# (a hung jailctl or hyperfine); the script then gives up and cleans up.
(
	trap 'kill "$s" 2>/dev/null; exit 0' TERM
	sleep "$limit" &
	s=$!
	wait "$s"
	: >"$tmp/timedout"
	echo "lifecycle.sh: over $limit s; giving up" >&2
	pkill -TERM -P $$
) &
wdpid=$!

timedout() {
	[ -e "$tmp/timedout" ]
}

# ---- results -----------------------------------------------------------

missed=0
unmeasured=0
: >"$tmp/rows"
: >"$tmp/notes"

# row MEASURE OURS COMPARED RATIO TARGET RESULT
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tmp/rows"
}

# na MEASURE REASON
na() {
	row "$1" "-" "-" "-" "-" "not measured: $2"
	unmeasured=1
	echo "  not measured: $2"
}

# note TEXT: printed under the table.
note() {
	echo "$*" >>"$tmp/notes"
}

# calc FORMAT EXPR [A [B [C]]]: EXPR of the variables a, b, c, evaluated
# by awk and printed with FORMAT.
calc() {
	awk -v a="$3" -v b="$4" -v c="$5" "BEGIN { printf \"$1\", $2 }"
}

# judge OK: sets res to ok, or to MISSED (and records it) unless OK is 1.
judge() {
	if [ "$1" = 1 ]; then
		res=ok
	else
		res=MISSED
		missed=1
	fi
}

now_ns() {
	date +%s%N
}

jc() {
	"$JAILCTL" -f "$conf" -s "$state" "$@"
}

holder_pid() {
	sed -n 's/^pid=//p' "$state/$1/state" 2>/dev/null
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -n "$1" ] && read -r st 2>/dev/null <"/proc/$1/stat" || return 1
	case ${st##*) } in
	Z* | X*) return 1 ;;
	esac
	return 0
}

# fate PID: what became of a holder that is not running.
fate() {
	if [ -z "$1" ] || ! read -r st 2>/dev/null <"/proc/$1/stat"; then
		echo "gone"
		return
	fi
	case ${st##*) } in
	Z* | X*) ;;
	*)
		echo "running"
		return
		;;
	esac
	ec=${st##* } # exit_code, the last field: a wait status
	if [ $((ec & 127)) -ne 0 ]; then
		echo "killed by signal $((ec & 127))"
	else
		echo "exited with $((ec >> 8))"
	fi
}

# start_live NAME: starts NAME and checks that its holder still runs a
# tenth of a second later; else sets why, stops NAME and fails.
start_live() {
	if ! msg=$(timeout 30 "$JAILCTL" -f "$conf" -s "$state" start "$1" 2>&1)
	then
		why="jailctl start $1: $msg"
		return 1
	fi
	sleep 0.1
	p=$(holder_pid "$1")
	alive "$p" && return 0
	why="its holder (pid ${p:-?}) died after start: $(fate "$p")"
	timeout 30 "$JAILCTL" -f "$conf" -s "$state" stop "$1" >/dev/null 2>&1
	return 1
}

stop_quiet() {
	# shellcheck disable=SC2086
	timeout 120 "$JAILCTL" -f "$conf" -s "$state" stop $1 >/dev/null 2>&1
}

# dead_holders NAMES: sets d to how many of NAMES have no live holder, and
# why to the fate of the first.
dead_holders() {
	d=0
	why=
	for j in $1; do
		p=$(holder_pid "$j")
		alive "$p" && continue
		d=$((d + 1))
		[ -z "$why" ] && why="$j: $(fate "$p")"
	done
}

# meminfo: "MemAvailable Slab KernelStack PageTables Percpu" in kB.
meminfo() {
	awk '
	$1 == "MemAvailable:" { a = $2 }
	$1 == "Slab:" { s = $2 }
	$1 == "KernelStack:" { k = $2 }
	$1 == "PageTables:" { p = $2 }
	$1 == "Percpu:" { c = $2 }
	END { print a + 0, s + 0, k + 0, p + 0, c + 0 }
	' /proc/meminfo
}

# settle: wait (at most 10 s) until Slab moves by no more than 512 kB in
# half a second: freed namespaces go back to the kernel asynchronously.
settle() {
	i=0
	prev=$(awk '$1 == "Slab:" { print $2 }' /proc/meminfo)
	while [ "$i" -lt 20 ]; do
		sleep 0.5
		cur=$(awk '$1 == "Slab:" { print $2 }' /proc/meminfo)
		d=$((cur - prev))
		[ "$d" -lt 0 ] && d=$((-d))
		[ "$d" -le 512 ] && [ "$i" -ge 1 ] && return 0
		prev=$cur
		i=$((i + 1))
	done
}

# pss PID...: their total Pss in kB.
pss() {
	for p in "$@"; do
		echo "/proc/$p/smaps_rollup"
	done >"$tmp/pss.list"
	# shellcheck disable=SC2046
	awk '$1 == "Pss:" { s += $2 } END { print s + 0 }' \
	    $(cat "$tmp/pss.list") 2>/dev/null
}

use_hf=
if [ -z "$JLBENCH_NO_HYPERFINE" ] && command -v hyperfine >/dev/null 2>&1; then
	use_hf=1
fi

# pair RUNS SLICES WARMUP SHELL CMD_A CMD_B: times two commands RUNS times
# each, interleaved in SLICES slices (A B, then B A, ...), and sets
# a_mean a_min b_mean b_min in ms and how.  SHELL none: the commands run
# without a shell (hyperfine -N; split into words in the loop); else
# through that shell (hyperfine subtracts its start-up).
pair() {
	p_runs=$1
	p_slices=$2
	p_warm=$3
	p_shell=$4
	p_a=$5
	p_b=$6
	if [ -n "$use_hf" ]; then
		pair_hf
	else
		pair_loop
	fi
}

pair_hf() {
	per=$(((p_runs + p_slices - 1) / p_slices))
	[ "$per" -lt 2 ] && per=2
	if [ "$p_shell" = none ]; then
		sopt=-N
	else
		sopt=--shell=$p_shell
	fi
	: >"$tmp/hf.all"
	s=1
	while [ "$s" -le "$p_slices" ]; do
		timedout && return 1
		if [ $((s % 2)) -eq 1 ]; then
			set -- "$p_a" "$p_b"
		else
			set -- "$p_b" "$p_a"
		fi
		hyperfine --style none "$sopt" --warmup "$p_warm" \
		    --runs "$per" --export-csv "$tmp/hf.csv" "$@" \
		    >"$tmp/hf.out" 2>&1 || {
			tail -n 3 "$tmp/hf.out" | sed 's/^/    /' >&2
			return 1
		}
		# command,mean,stddev,median,user,system,min,max (seconds),
		# counted from the end as a command may hold commas
		awk -F, -v odd=$((s % 2)) 'NR > 1 {
			w = ((NR == 2) == (odd == 1)) ? "A" : "B"
			print w, $(NF - 6), $(NF - 1)
		}' "$tmp/hf.csv" >>"$tmp/hf.all"
		s=$((s + 1))
	done
	read -r a_mean a_min b_mean b_min <<EOF
$(awk '
	{ n[$1]++; sum[$1] += $2 }
	!($1 in min) || $3 < min[$1] { min[$1] = $3 }
	END {
		printf "%.3f %.3f %.3f %.3f\n", sum["A"] / n["A"] * 1000,
		    min["A"] * 1000, sum["B"] / n["B"] * 1000, min["B"] * 1000
	}' "$tmp/hf.all")
EOF
	how="hyperfine, $p_slices interleaved slices of $per runs"
}

run_cmd() {
	if [ "$p_shell" = none ]; then
		# shellcheck disable=SC2086
		$1 >/dev/null 2>&1
	else
		"$p_shell" -c "$1" >/dev/null 2>&1
	fi
}

pair_loop() {
	w=0
	while [ "$w" -lt "$p_warm" ]; do
		run_cmd "$p_a" || return 1
		run_cmd "$p_b" || return 1
		w=$((w + 1))
	done
	: >"$tmp/loop.all"
	i=0
	while [ "$i" -lt "$p_runs" ]; do
		timedout && return 1
		# A B, then B A, and each time the cost of the timing itself
		if [ $((i % 2)) -eq 0 ]; then
			t0=$(now_ns)
			run_cmd "$p_a" || return 1
			t1=$(now_ns)
			run_cmd "$p_b" || return 1
			t2=$(now_ns)
			echo "A $((t1 - t0))" >>"$tmp/loop.all"
			echo "B $((t2 - t1))" >>"$tmp/loop.all"
		else
			t0=$(now_ns)
			run_cmd "$p_b" || return 1
			t1=$(now_ns)
			run_cmd "$p_a" || return 1
			t2=$(now_ns)
			echo "B $((t1 - t0))" >>"$tmp/loop.all"
			echo "A $((t2 - t1))" >>"$tmp/loop.all"
		fi
		t0=$(now_ns)
		t1=$(now_ns)
		echo "Z $((t1 - t0))" >>"$tmp/loop.all"
		i=$((i + 1))
	done
	read -r a_mean a_min b_mean b_min z_mean <<EOF
$(awk '
	{ n[$1]++; sum[$1] += $2 }
	!($1 in min) || $2 < min[$1] { min[$1] = $2 }
	END {
		z = sum["Z"] / n["Z"]
		printf "%.3f %.3f %.3f %.3f %.3f\n",
		    (sum["A"] / n["A"] - z) / 1e6, (min["A"] - z) / 1e6,
		    (sum["B"] / n["B"] - z) / 1e6, (min["B"] - z) / 1e6, z / 1e6
	}' "$tmp/loop.all")
EOF
	how="date +%s%N loop, interleaved, $z_mean ms of timing cost subtracted"
}

# unshare_up N [WRAPPER]: starts N idle unshare holders (WRAPPER: a command
# that execs its arguments) and returns when every one runs sleep (fails
# after 60 s); sets upids, spids.
unshare_up() {
	upids=
	i=0
	while [ "$i" -lt "$1" ]; do
		# shellcheck disable=SC2086
		$2 unshare --fork --kill-child=KILL --pid --mount-proc --mount \
		    --uts --ipc --net sleep 1000 </dev/null >/dev/null 2>&1 &
		upids="$upids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	plist=$(echo $upids | tr ' ' ,)
	deadline=$(($(date +%s) + 60))
	while :; do
		spids=$(pgrep -x sleep -P "$plist")
		[ "$(echo "$spids" | wc -w)" -ge "$1" ] && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
	done
}

# unshare_down: kills the sleeps (each unshare then exits) and waits.
unshare_down() {
	# shellcheck disable=SC2086
	[ -n "$spids" ] && kill -KILL $spids 2>/dev/null
	# shellcheck disable=SC2086
	[ -n "$upids" ] && kill -KILL $upids 2>/dev/null
	for p in $upids; do
		wait "$p" 2>/dev/null
	done
	upids=
	spids=
}

# ---- setup ---------------------------------------------------------------

echo "jailctl: $JAILCTL"
if command -v git >/dev/null 2>&1 &&
    rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null); then
	[ -n "$(git -C "$repo" status --porcelain -- libjail jailctl \
	    2>/dev/null)" ] && rev="$rev, with uncommitted C changes"
	echo "repository: $repo at $rev"
fi
echo "machine: $(uname -r), $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: $(nsenter --version 2>&1 | head -n 1)," \
    "$(if [ -n "$use_hf" ]; then hyperfine --version; else echo 'no hyperfine'; fi)"

sh "$repo/templates/busybox/build" "$root" >"$tmp/build.log" 2>&1 || {
	cat "$tmp/build.log" >&2
	die2 "could not build the busybox root tree"
}
mkdir -p "$tmp/j" "$state"
# phases 1 and 2 with a jail.conf of one jail, 3 and 4 with one of njails
echo "b { path = \"$root\"; persist; }" >"$confb"
{
	i=1
	while [ "$i" -le "$njails" ]; do
		echo "j$i { path = \"$tmp/j/$i\"; persist; }"
		i=$((i + 1))
	done
} >"$confm"
# each jail its own tree: hard-link copies of the busybox one
i=1
while [ "$i" -le "$njails" ]; do
	cp -al "$root" "$tmp/j/$i" || die2 "cp -al failed"
	i=$((i + 1))
done
for c in "$confb" "$confm"; do
	if ! msg=$(timeout 60 "$JAILCTL" -f "$c" check 2>&1); then
		printf '%s\n' "$msg" | head -n 5 >&2
		die2 "the generated $c does not check"
	fi
done
jnames=$(awk -v n="$njails" 'BEGIN { for (i = 1; i <= n; i++) printf "j%d ", i }')
echo "root: busybox tree in $root, $njails hard-link copies"

# ---- 1. exec -------------------------------------------------------------

M="exec /bin/true (ms/op)"
echo
echo "1. $M, $exec_n runs each"
# a jail whose holder lives: a few tries, each failure noted
ok=
tries=0
while [ "$tries" -lt 5 ] && [ -z "$ok" ]; do
	tries=$((tries + 1))
	if start_live b; then
		ok=1
	else
		echo "  start b, try $tries: $why"
		case $why in
		"jailctl start"*) break ;;
		esac
	fi
done
hpid=$(holder_pid b)
if [ "$tries" -gt 1 ]; then
	note "holders died right after start: b ran at try $tries" \
	    "of 5 (the last failure: $why)"
fi
if [ -z "$ok" ]; then
	na "$M" "no running jail after $tries starts: $why"
elif ! msg=$(timeout 30 "$JAILCTL" -f "$conf" -s "$state" exec b /bin/true 2>&1)
then
	na "$M" "jailctl exec b /bin/true: $msg"
elif ! msg=$(timeout 30 nsenter -a -r -w -t "$hpid" /bin/true 2>&1); then
	na "$M" "nsenter -a -r -w -t $hpid /bin/true: $msg"
elif ! pair "$exec_n" 10 5 none \
    "$JAILCTL -f $conf -s $state exec b /bin/true" \
    "nsenter -a -r -w -t $hpid /bin/true"; then
	na "$M" "a timed run failed"
else
	r=$(calc %.4f 'a / b' "$a_mean" "$b_mean")
	echo "  jailctl exec: mean $a_mean ms, min $a_min ms"
	echo "  nsenter -a:   mean $b_mean ms, min $b_min ms ($how)"
	judge "$(calc %d 'a <= b' "$r" "$T_EXEC")"
	row "$M" "$a_mean" "$b_mean nsenter -a" "$(calc %.2f a "$r")" \
	    "<= ${T_EXEC}x" "$res"
fi
[ -f "$state/b/state" ] && stop_quiet b
timedout && exit 2

# ---- 2. start + stop -----------------------------------------------------

M="start+stop (ms/cycle)"
echo
echo "2. $M of a persistent busybox jail, $cycles runs each"
lxc_ok=
lxc_why=
lxc_cycle=
if [ -n "$JLBENCH_NO_LXC" ]; then
	lxc_why="JLBENCH_NO_LXC is set"
elif ! command -v lxc-start >/dev/null 2>&1 ||
    ! command -v lxc-stop >/dev/null 2>&1; then
	lxc_why="lxc is not installed (apt-get install lxc)"
else
	mkdir -p "$lxcp/$cname"
	cat >"$lxcp/$cname/config" <<EOF
# the jail's work: new namespaces, no network but lo, proc, a /dev
lxc.uts.name = $cname
lxc.rootfs.path = dir:$root
lxc.init.cmd = /bin/sleep 1000
lxc.net.0.type = empty
lxc.mount.auto = proc:rw
lxc.apparmor.profile = unconfined
lxc.log.file = $lxcp/$cname/log
lxc.log.level = ERROR
EOF
	lxc_used=1
	if timeout 30 lxc-start -P "$lxcp" -n "$cname" -d \
	    >"$tmp/lxc.err" 2>&1 &&
	    timeout 30 lxc-stop -P "$lxcp" -n "$cname" -k \
	    >>"$tmp/lxc.err" 2>&1; then
		lxc_ok=1
	else
		lxc_why="lxc-start/lxc-stop failed here: $(cat "$tmp/lxc.err" \
		    "$lxcp/$cname/log" 2>/dev/null | tail -n 1)"
		timeout 30 lxc-stop -P "$lxcp" -n "$cname" -k >/dev/null 2>&1
	fi
fi
if [ -n "$lxc_ok" ]; then
	lxc_cmp=lxc
else
	echo "  no LXC: $lxc_why; the issue's $REF_LXC ms stands in"
	note "lxc: $lxc_why; start+stop compared with the issue's $REF_LXC ms"
	lxc_cmp="lxc (issue)"
fi
cyc_j="$JAILCTL -f $conf -s $state start b && $JAILCTL -f $conf -s $state stop b"
cyc_l="lxc-start -P $lxcp -n $cname -d && lxc-stop -P $lxcp -n $cname -k"
[ -n "$lxc_ok" ] || cyc_l=true
# A start whose holder dies at once would time a cheaper stop: probe first.
dead=0
i=0
while [ "$i" -lt 10 ]; do
	if ! start_live b; then
		case $why in
		"jailctl start"*) break ;;
		esac
		dead=$((dead + 1))
		dwhy=$why
	elif ! msg=$(timeout 30 "$JAILCTL" -f "$conf" -s "$state" stop b 2>&1)
	then
		why="jailctl stop b: $msg"
		break
	fi
	i=$((i + 1))
done
if [ "$i" -lt 10 ]; then
	na "$M" "$why"
elif [ "$dead" -gt 0 ]; then
	na "$M" "the holder died after $dead of 10 starts ($dwhy)"
elif ! pair "$cycles" 5 2 sh "$cyc_j" "$cyc_l"; then
	na "$M" "a timed run failed"
else
	[ -n "$lxc_ok" ] || b_mean=$REF_LXC
	r=$(calc %.4f 'a / b' "$a_mean" "$b_mean")
	echo "  jailctl start+stop: mean $a_mean ms, min $a_min ms"
	[ -n "$lxc_ok" ] &&
	    echo "  lxc-start -d + lxc-stop -k: mean $b_mean ms, min $b_min ms"
	echo "  ($how)"
	judge "$(calc %d 'a <= b' "$r" "$T_CYCLE")"
	row "$M" "$a_mean" "$b_mean $lxc_cmp" "$(calc %.2f a "$r")" \
	    "<= ${T_CYCLE}x" "$res"
	lxc_cycle=$b_mean
fi
[ -f "$state/b/state" ] && stop_quiet b
# LXC alone, when the jail could not be timed
if [ -n "$lxc_ok" ] && [ -z "$lxc_cycle" ] && ! timedout &&
    pair "$cycles" 5 2 sh "$cyc_l" true; then
	echo "  lxc-start -d + lxc-stop -k alone: mean $a_mean ms," \
	    "min $a_min ms ($how)"
fi

# lxc-attach for reference (no target), beside jailctl exec: the issue's
# 6.4 ms.
if [ -n "$lxc_ok" ] && command -v lxc-attach >/dev/null 2>&1 &&
    ! timedout; then
	if ! timeout 30 lxc-start -P "$lxcp" -n "$cname" -d >/dev/null 2>&1 ||
	    ! timeout 30 lxc-attach -P "$lxcp" -n "$cname" -- /bin/true \
	    >/dev/null 2>&1; then
		echo "  lxc-attach: not measured (lxc-start or lxc-attach failed)"
	elif ! start_live b; then
		echo "  lxc-attach: not measured beside jailctl exec: $why"
	elif pair 50 2 3 none "$JAILCTL -f $conf -s $state exec b /bin/true" \
	    "lxc-attach -P $lxcp -n $cname -- /bin/true"; then
		echo "  for reference, lxc-attach -- /bin/true: mean $b_mean ms," \
		    "jailctl exec beside it $a_mean ms ($how)"
		row "exec beside lxc-attach (ms/op)" "$a_mean" \
		    "$b_mean lxc-attach" \
		    "$(calc %.2f 'a / b' "$a_mean" "$b_mean")" "-" "info"
	else
		echo "  lxc-attach: not measured (a timed run failed)"
	fi
	timeout 30 lxc-stop -P "$lxcp" -n "$cname" -k >/dev/null 2>&1
	[ -f "$state/b/state" ] && stop_quiet b
fi
timedout && exit 2

# ---- 3. 100 jails ----------------------------------------------------------

M="$njails jails start+stop (ms)"
conf=$confm
echo
echo "3. $M, $rounds rounds, beside $njails idle unshare holders"
: >"$tmp/many"
many_err=
r=1
while [ "$r" -le "$rounds" ]; do
	timedout && exit 2
	if [ -z "$many_err" ]; then
		settle
		t0=$(now_ns)
		# shellcheck disable=SC2086
		jc start $jnames >/dev/null 2>"$tmp/start.err"
		rc=$?
		t1=$(now_ns)
		sleep 0.1
		dead_holders "$jnames"
		if [ "$rc" -ne 0 ] || [ "$d" -ne 0 ]; then
			many_err="jailctl start of $njails: exit $rc, $d holders"
			many_err="$many_err not running ($why)"
			[ -s "$tmp/start.err" ] &&
			    many_err="$many_err: $(head -n 1 "$tmp/start.err")"
		fi
		t2=$(now_ns)
		# shellcheck disable=SC2086
		jc stop $jnames >/dev/null 2>"$tmp/stop.err"
		rc=$?
		t3=$(now_ns)
		if [ -z "$many_err" ] && [ "$rc" -ne 0 ]; then
			many_err="jailctl stop of $njails: exit $rc:"
			many_err="$many_err $(head -n 1 "$tmp/stop.err")"
		fi
		echo "J $((t1 - t0)) $((t3 - t2))" >>"$tmp/many"
		# a failed round leaves nothing running
		[ -n "$many_err" ] && stop_quiet "$jnames"
	fi
	settle
	t0=$(now_ns)
	if ! unshare_up "$njails"; then
		unshare_down
		many_err="${many_err:-unshare: not all $njails running after 60 s}"
		break
	fi
	t1=$(now_ns)
	unshare_down
	t2=$(now_ns)
	echo "U $((t1 - t0)) $((t2 - t1))" >>"$tmp/many"
	r=$((r + 1))
done
read -r js jt us ut <<EOF
$(awk '{ n[$1]++; a[$1] += $2; b[$1] += $3 }
END {
	printf "%.1f %.1f %.1f %.1f\n", n["J"] ? a["J"] / n["J"] / 1e6 : -1,
	    n["J"] ? b["J"] / n["J"] / 1e6 : -1,
	    n["U"] ? a["U"] / n["U"] / 1e6 : -1,
	    n["U"] ? b["U"] / n["U"] / 1e6 : -1
}' "$tmp/many")
EOF
[ "$us" != -1.0 ] &&
    echo "  unshare: all $njails running after $us ms (killed in $ut ms;" \
	"the issue: $REF_UNSHARE100 ms for 100)"
if [ -n "$many_err" ]; then
	na "$M" "$many_err"
else
	jall=$(calc %.1f 'a + b' "$js" "$jt")
	r=$(calc %.4f 'a / b' "$jall" "$us")
	echo "  jailctl start: $js ms, stop: $jt ms, together $jall ms"
	judge "$(calc %d 'a <= b' "$r" "$T_MANY")"
	row "$M" "$jall" "$us unshare start" "$(calc %.2f a "$r")" \
	    "<= ${T_MANY}x" "$res"
fi
timedout && exit 2

# ---- 4. memory -----------------------------------------------------------

# mem_jails: one sample of njails running jails; appends "J total pss
# kernel slab kstack ptables percpu avail" (kB per jail) to $tmp/mem, or
# sets mem_err.
mem_jails() {
	settle
	read -r a0 s0 k0 p0 c0 <<EOF
$(meminfo)
EOF
	# shellcheck disable=SC2086
	if ! msg=$(timeout 120 $cgwrap "$JAILCTL" -f "$conf" -s "$state" \
	    start $jnames 2>&1); then
		mem_err="jailctl start of $njails: $msg"
		stop_quiet "$jnames"
		return 1
	fi
	sleep 0.1
	dead_holders "$jnames"
	if [ "$d" -ne 0 ]; then
		mem_err="$d of $njails holders not running after start ($why)"
		stop_quiet "$jnames"
		return 1
	fi
	settle
	read -r a1 s1 k1 p1 c1 <<EOF
$(meminfo)
EOF
	hpids=
	for j in $jnames; do
		hpids="$hpids $(holder_pid "$j")"
	done
	# shellcheck disable=SC2086
	u=$(pss $hpids)
	cg=$(memcg)
	stop_quiet "$jnames"
	echo "J $u $s0 $s1 $k0 $k1 $p0 $p1 $c0 $c1 $a0 $a1 $cg" >>"$tmp/mem"
}

# mem_unshare: the same for njails idle unshare holders (unshare and its
# sleep both count).
mem_unshare() {
	settle
	read -r a0 s0 k0 p0 c0 <<EOF
$(meminfo)
EOF
	if ! unshare_up "$njails" "$cgwrap"; then
		unshare_down
		return 1
	fi
	settle
	read -r a1 s1 k1 p1 c1 <<EOF
$(meminfo)
EOF
	# shellcheck disable=SC2086
	u=$(pss $upids $spids)
	cg=$(memcg)
	unshare_down
	echo "U $u $s0 $s1 $k0 $k1 $p0 $p1 $c0 $c1 $a0 $a1 $cg" >>"$tmp/mem"
}

# mem_median KIND: "total pss kernel slab kstack ptables percpu avail
# memcg memcg-kmem min-total max-total samples", kB per holder, the sample
# of median total.
mem_median() {
	awk -v k="$1" -v n="$njails" '$1 == k {
		t = ($2 + ($4 - $3) + ($6 - $5) + ($8 - $7) + ($10 - $9)) / n
		printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %s %s\n", t,
		    $2 / n, t - $2 / n, ($4 - $3) / n, ($6 - $5) / n,
		    ($8 - $7) / n, ($10 - $9) / n, ($11 - $12) / n,
		    $13 == "-" ? "-" : sprintf("%.0f", $13 / n),
		    $14 == "-" ? "-" : sprintf("%.0f", $14 / n)
	}' "$tmp/mem" | sort -n >"$tmp/mem.$1"
	awk '{ t[NR] = $0; v[NR] = $1 }
	END {
		if (NR == 0) exit
		print t[int((NR + 1) / 2)], v[1], v[NR], NR
	}' "$tmp/mem.$1"
}

# A memory cgroup (v1) of our own under the caller's, for the holders of one
# sample at a time: what is charged to it is theirs alone.
cgwrap=
memcg() {
	echo "- -"
}
b=$(awk -F: '$2 == "memory" { print $3; exit }' /proc/self/cgroup)
b=${b%/}
if [ -f "/sys/fs/cgroup/memory$b/memory.kmem.usage_in_bytes" ] &&
    mkdir "/sys/fs/cgroup/memory$b/jlbench.$$" 2>/dev/null; then
	cgdir=/sys/fs/cgroup/memory$b/jlbench.$$
	printf '#!/bin/sh\necho $$ >"%s/cgroup.procs" || exit 125\nexec "$@"\n' \
	    "$cgdir" >"$tmp/cgwrap"
	chmod +x "$tmp/cgwrap"
	cgwrap=$tmp/cgwrap
	# memcg: kB charged, and of them kernel memory
	memcg() {
		cat "$cgdir/memory.usage_in_bytes" \
		    "$cgdir/memory.kmem.usage_in_bytes" |
		    awk '{ v[NR] = $1 } END { printf "%.0f %.0f\n", v[1] / 1024,
			v[2] / 1024 }'
	}
fi

M="idle holder (kB/jail)"
mrounds=$rounds
echo
echo "4. host memory of an idle holder, $njails running, median of $mrounds"
: >"$tmp/mem"
mem_err=
r=1
while [ "$r" -le "$mrounds" ]; do
	timedout && exit 2
	[ -z "$mem_err" ] && mem_jails
	mem_unshare
	r=$((r + 1))
done
jtot=
read -r jtot ju jk js jks jpt jpc jav jcg jcgk jlo jhi jn <<EOF
$(mem_median J)
EOF
read -r utot uu uk us uks upt upc uav ucg ucgk ulo uhi un <<EOF
$(mem_median U)
EOF
if [ -n "$jtot" ]; then
	echo "  jailctl: $jtot kB/jail (of $jn: $jlo to $jhi):" \
	    "holder Pss $ju kB + kernel $jk kB (Slab $js, KernelStack $jks," \
	    "PageTables $jpt, Percpu $jpc)"
	echo "    cross-checks: MemAvailable fell by $jav kB/jail (noisy);" \
	    "memory cgroup charge $jcg kB/jail, of it kernel $jcgk kB"
fi
ucmp=-
uratio=-
if [ -n "$utot" ]; then
	echo "  unshare: $utot kB/holder (of $un: $ulo to $uhi): Pss of" \
	    "unshare + sleep $uu kB + kernel $uk kB (Slab $us, KernelStack" \
	    "$uks, PageTables $upt, Percpu $upc)"
	echo "    cross-checks: MemAvailable fell by $uav kB/holder;" \
	    "memory cgroup charge $ucg kB/holder, of it kernel $ucgk kB"
	ucmp="$utot unshare"
	[ -n "$jtot" ] && uratio=$(calc %.2f 'a / b' "$jtot" "$utot")
else
	echo "  unshare: not all $njails running after 60 s"
fi
if [ -n "$mem_err" ]; then
	na "$M" "$mem_err"
elif [ -n "$jtot" ]; then
	judge "$(calc %d 'a <= b' "$jtot" "$T_MEM")"
	row "$M" "$jtot" "$ucmp" "$uratio" "<= $T_MEM kB" "$res"
fi

# ---- table ---------------------------------------------------------------

echo
awk -F '\t' '
BEGIN {
	h[1] = "measure"; h[2] = "jailctl"; h[3] = "compared with (same run)"
	h[4] = "ratio"; h[5] = "target"; h[6] = "result"
	for (i = 1; i <= 6; i++) w[i] = length(h[i])
}
{
	for (i = 1; i <= 6; i++) {
		c[NR, i] = $i
		if (i < 6 && length($i) > w[i]) w[i] = length($i)
	}
}
END {
	for (r = 0; r <= NR; r++) {
		line = ""
		for (i = 1; i <= 6; i++) {
			v = r == 0 ? h[i] : c[r, i]
			line = line sprintf(i < 6 ? "%-" w[i] "s  " : "%s", v)
		}
		print line
	}
}' "$tmp/rows"
echo "the issue's figures: nsenter -a $REF_NSENTER ms, lxc-attach" \
    "$REF_LXC_ATTACH ms, lxc-start -d + lxc-stop -k $REF_LXC ms," \
    "100 unshare holders started $REF_UNSHARE100 ms"
cat "$tmp/notes"

if [ "$missed" -ne 0 ]; then
	exit 1
elif [ "$unmeasured" -ne 0 ]; then
	exit 2
fi
exit 0
