# The harness pieces the jail suites share (t_lifecycle.sh, limlib.sh,
# seclib.sh, t_sandbox.sh):
# bounded jailctl runs, checks of exit statuses and the test's own
# configuration, the state record, holders, and what a test left behind.
# Sourced after lib.sh; the suite sets CONF, T, TN, BUDGET, START_TIME,
# JC_LIMIT and defines jc, leftovers and the like before calling these.

# bounded CMD...: CMD under timeout(1) with the current limit; status 124
# at once when the budget is spent.
bounded() {
	_bo_l=$(limit)
	[ "$_bo_l" -gt 0 ] || return 124
	timeout -k 5 "$_bo_l" "$@"
}

# conf_ok: the test's own configuration is valid (else its checks mean
# little).
conf_ok() {
	jc check
	if [ "$rc" -eq 0 ]; then
		pass "$TN: the test's jail.conf checks"
	else
		fail "$TN: the test's jail.conf checks" "$err" "$(cat "$CONF")"
	fi
}

# holder_of NAME: the holder PID the state names (and remembered, so that
# finish checks that it is gone).
holder_of() {
	_ho_p=$(st_get "$1" pid)
	[ -n "$_ho_p" ] && echo "$_ho_p" >>"$T/.holders"
	echo "$_ho_p"
}

# is_holder PID: PID runs (a zombie does not), and is a jail holder.
is_holder() {
	case $1 in
	'' | 0 | *[!0-9]*) return 1 ;;
	esac
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = jail-holder ] &&
		! proc_dead "$1"
}

# is_rc STATUS DESC: $rc is STATUS; shows out and err otherwise.
is_rc() {
	if [ "$rc" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "exit status $rc, expected $1" \
		    "stdout: $(printf '%s\n' "$out" | head -5)" \
		    "stderr: $(printf '%s\n' "$err" | head -5)"
	fi
}

# is_ro EXPECTED DESC: "$rc:$out" is EXPECTED; shows err otherwise.
is_ro() {
	if [ "$rc:$out" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "got:" "$rc:$out" "expected:" "$1" \
		    "stderr: $(printf '%s\n' "$err" | head -5)"
	fi
}

# limit: seconds the next jailctl may take (0: the budget is spent).
limit() {
	_li_r=$((BUDGET - ($(date +%s) - START_TIME)))
	if [ "$_li_r" -le 0 ]; then
		echo 0
	elif [ "$_li_r" -lt "$JC_LIMIT" ]; then
		echo "$_li_r"
	else
		echo "$JC_LIMIT"
	fi
}

no_leftovers() {
	[ -z "$(leftovers)" ]
}

nothing_left() {
	_nl=$(leftovers)
	if [ -z "$_nl" ]; then
		pass "$1"
	else
		fail "$1" "$_nl"
	fi
}

# proc_dead PID: PID is gone, or a zombie.
proc_dead() {
	_pd_s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
	case $_pd_s in
	'' | Z* | X*) return 0 ;;
	esac
	return 1
}

# procs_with STRING: "PID command line" of each running process (not a
# zombie) whose command line holds STRING.  Never for an empty STRING: it
# would match every process, and kill_ours would kill them.
procs_with() {
	[ -n "$1" ] || return 0
	ps -e -ww -o pid=,stat=,args= 2>/dev/null | S=$1 awk '
		ENVIRON["S"] != "" && $2 !~ /^[ZX]/ && index($0, ENVIRON["S"]) {
			p = $1; $1 = ""; $2 = ""; sub(/^ +/, ""); print p, $0
		}'
}

# todo STATUS DESC REASON [DIAG...]: a check of a product bug that is
# reported and not fixed yet: "not ok ... # TODO" (counted by run.sh, not
# failed) while it fails.
todo() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2 # TODO $3"
	else
		echo "not ok $tap_n - $2 # TODO $3"
		shift 3
		[ $# -gt 0 ] && diag "$@"
	fi
}

# tree_sum DIR: changes when anything under DIR changes (names, types,
# modes, sizes, times, owners, links, contents).
tree_sum() {
	{
		find "$1" -exec stat -c '%N %f %s %Y %u %g %h' {} + | sort
		find "$1" -type f -exec cksum {} + | sort
	} 2>&1 | cksum
}

# st_get NAME KEY: a value of the jail's state record.
st_get() {
	sed -n "s/^$2=//p" "$T/state/$1/state" 2>/dev/null
}

# stop_all DIR: jailctl stop for every jail with a state entry under DIR.
stop_all() {
	for _sa_s in "$1"/state/*; do
		[ -d "$_sa_s" ] || continue
		timeout -k 2 10 "$JAILCTL" -f "$1/jail.conf" -s "$1/state" \
		    stop "${_sa_s##*/}" </dev/null >/dev/null 2>&1
	done
}
