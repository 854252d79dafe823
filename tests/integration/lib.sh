# Shared helpers for the integration tests: sourced, never run.
#
#	. "$(dirname "$0")/lib.sh"
#
# Sets REPO (the top of the tree), JAILCTL (absolute path of the binary)
# and TMPD (this test's own directory, removed on exit), and points
# JAILCTL_CONF and JAILCTL_STATEDIR inside TMPD so that no test reads
# /etc/jail.conf or writes /run/jail by accident.
#
# TAP: every check prints "ok N - desc" or "not ok N - desc" (with "# "
# diagnostics after it); done_testing prints the plan "1..N" at the end
# and exits 0, or 1 when a check failed.  A script that dies half-way thus
# prints no plan, and the runner counts that as a failure.

REPO=$(cd "$(dirname "$0")/../.." && pwd -P) || exit 1
export REPO

# The binary: $JAILCTL, else build/jailctl; made absolute, as the tests
# change directory.
: "${JAILCTL:=$REPO/build/jailctl}"
case $JAILCTL in
/*) ;;
*/*) JAILCTL=$(pwd -P)/$JAILCTL ;;
*) JAILCTL=$(command -v "$JAILCTL") || JAILCTL=/nonexistent/jailctl ;;
esac
export JAILCTL

tap_n=0
tap_failed=0

# skip_all REASON: the whole script is skipped (exit 77).
skip_all() {
	echo "1..0 # SKIP $*"
	exit 77
}

# bail_out REASON: the script cannot go on; no plan, so the runner fails it.
bail_out() {
	echo "Bail out! $*"
	exit 1
}

if [ ! -x "$JAILCTL" ]; then
	skip_all "$JAILCTL is not built (run make)"
fi

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/jltest.XXXXXX") ||
	bail_out "mktemp -d failed"
export TMPD
trap 'rm -rf "$TMPD"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

JAILCTL_CONF=$TMPD/jail.conf
JAILCTL_STATEDIR=$TMPD/state
export JAILCTL_CONF JAILCTL_STATEDIR

# diag LINE...: TAP diagnostics, one "# " line per line of each argument.
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

# fail DESC [DIAG...]
fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	if [ $# -gt 0 ]; then
		diag "$@"
	fi
}

# skip DESC REASON: a check that cannot run here.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# ok STATUS DESC: passes when STATUS is 0 (ok $? "desc").
ok() {
	if [ "$1" -eq 0 ]; then
		pass "$2"
	else
		fail "$2"
	fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:" "$1" "expected:" "$2"
	fi
}

# like GOT ERE DESC: some line of GOT matches the extended regexp.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3" "got:" "$1" "expected a line matching:" "$2"
	fi
}

# unlike GOT ERE DESC: no line of GOT matches.
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3" "got:" "$1" "expected no line matching:" "$2"
	else
		pass "$3"
	fi
}

# has_line GOT LINE DESC: GOT holds LINE exactly, as a whole line.
has_line() {
	if printf '%s\n' "$1" | grep -Fxq -- "$2"; then
		pass "$3"
	else
		fail "$3" "got:" "$1" "expected the line:" "$2"
	fi
}

# same_file GOT EXPECTED DESC: byte-identical files, a diff otherwise.
same_file() {
	if cmp -s "$1" "$2"; then
		pass "$3"
	else
		fail "$3" "$(diff -u "$2" "$1" 2>&1 | head -40)"
	fi
}

# run CMD...: runs CMD with stdin from /dev/null (unless redirected by the
# caller with run_in), and sets rc, out (stdout) and err (stderr).  Both
# streams are also kept in $TMPD/out and $TMPD/err.
run() {
	run_in /dev/null "$@"
}

# run_in FILE CMD...: as run, with stdin from FILE.
# shellcheck disable=SC2034 # rc, out and err are for the caller
run_in() {
	_in=$1
	shift
	"$@" <"$_in" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	out=$(cat "$TMPD/out")
	err=$(cat "$TMPD/err")
}

# jailctl ARG...: run "$JAILCTL" ARG...
jailctl() {
	run "$JAILCTL" "$@"
}

# synopsis: the usage text, as --help prints it before its first blank line.
synopsis() {
	"$JAILCTL" --help </dev/null 2>/dev/null | sed '/^$/q' | sed '/^$/d'
}

# stderr_prefixed DESC: every line of $err is either a "jailctl: " line or a
# line of the usage synopsis (which BSD style starts with "usage: ").
stderr_prefixed() {
	_syn=$(synopsis)
	_bad=$(printf '%s\n' "$err" | while IFS= read -r _l; do
		case $_l in
		"") ;;
		"jailctl: "*) ;;
		*)
			if ! printf '%s\n' "$_syn" | grep -Fxq -- "$_l"; then
				printf '%s\n' "$_l"
			fi
			;;
		esac
	done)
	if [ -z "$_bad" ]; then
		pass "$1"
	else
		fail "$1" "lines not starting with \"jailctl: \":" "$_bad"
	fi
}

# error_line DESC: $err holds at least one "jailctl: " line, and every
# other line is one of the usage synopsis.
error_line() {
	if printf '%s\n' "$err" | grep -q '^jailctl: '; then
		stderr_prefixed "$1"
	else
		fail "$1" "no line starting with \"jailctl: \" in:" "$err"
	fi
}

# have_python: python3 that can read JSON.
have_python() {
	command -v python3 >/dev/null 2>&1 &&
		python3 -c 'import json' >/dev/null 2>&1
}

# json_valid FILE DESC: FILE parses as JSON (python3 -m json.tool).
json_valid() {
	if ! have_python; then
		skip "$2" "python3 is not installed"
	elif _o=$(python3 -m json.tool "$1" 2>&1 >/dev/null); then
		pass "$2"
	else
		fail "$2" "$_o" "$(head -20 "$1")"
	fi
}

# json_check FILE DESC <<'EOF' ... EOF: runs the Python statements on
# standard input with the JSON of FILE in "d"; the check passes when no
# assert fails.  Skipped without python3.
json_check() {
	cat >"$TMPD/check.py"
	if ! have_python; then
		skip "$2" "python3 is not installed"
		return
	fi
	if _o=$(python3 -c '
import json, sys, traceback
try:
    d = json.load(open(sys.argv[1]))
except ValueError as e:
    print("not JSON: %s" % e)
    sys.exit(1)
code = open(sys.argv[2]).read()
try:
    exec(compile(code, "check", "exec"), {"d": d})
except AssertionError as e:
    tb = traceback.extract_tb(sys.exc_info()[2])[-1]
    print("assertion failed, line %d: %s" % (tb.lineno,
        code.splitlines()[tb.lineno - 1].strip()))
    if e.args:
        print("values: %r" % (e.args[0],))
    sys.exit(1)
' "$1" "$TMPD/check.py" 2>&1); then
		pass "$2"
	else
		fail "$2" "$_o"
	fi
}

# done_testing: the plan, and the exit status.
done_testing() {
	echo "1..$tap_n"
	if [ "$tap_failed" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

# --- jails: helpers for the scripts that start real jails ---------------

# need_jails: skips the whole script unless it runs as root with a static
# busybox to build root trees from (a dynamic one would not run inside).
need_jails() {
	[ "$(id -u)" -eq 0 ] || skip_all "not root"
	_bb=$(command -v busybox) || skip_all "busybox-static is not installed"
	if command -v ldd >/dev/null 2>&1 && ldd "$_bb" >/dev/null 2>&1; then
		skip_all "$_bb is not static (install busybox-static)"
	fi
	command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) is missing"
}

# wait_for SECONDS CMD...: runs CMD every 0.1 s until it succeeds (status
# 0), or gives up after SECONDS (status 1).
wait_for() {
	_wf_n=$(($1 * 10))
	shift
	while ! "$@"; do
		_wf_n=$((_wf_n - 1))
		[ "$_wf_n" -gt 0 ] || return 1
		sleep 0.1
	done
	return 0
}

# mounts_under DIR: the host's mount points at or below DIR, deepest first
# (DIR must be written as /proc/self/mountinfo writes it: no spaces).
mounts_under() {
	awk -v d="$1" '{
		if ($5 == d || index($5, d "/") == 1)
			print $5
	}' /proc/self/mountinfo | sort -r
}

# holder_of_dir PID DIR: the process's command line or environment
# mentions DIR, or its root is a mount whose line mentions DIR (a holder
# may rewrite its command line and clear its environment; its root stays
# a bind of path, or an overlay whose layers are under DIR).
holder_of_dir() {
	case $(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") in
	*"$2"*) return 0 ;;
	esac
	case $(tr '\0' ' ' 2>/dev/null <"/proc/$1/environ") in
	*"$2"*) return 0 ;;
	esac
	D=$2 awk '$5 == "/" && index($0, ENVIRON["D"]) { f = 1 }
	    END { exit !f }' "/proc/$1/mountinfo" 2>/dev/null
}

# holder_pids DIR: the PIDs of running jail holders (comm "jail-holder",
# not zombies) that a state file under DIR names (DIR/state/*/state,
# DIR/*/state/*/state), or that holder_of_dir finds for DIR.
holder_pids() {
	{
		for _hp_f in "$1"/state/*/state "$1"/*/state/*/state; do
			[ -f "$_hp_f" ] && sed -n 's/^pid=//p' "$_hp_f"
		done
		for _hp_f in /proc/[0-9]*/comm; do
			[ "$(cat "$_hp_f" 2>/dev/null)" = jail-holder ] || continue
			_hp_p=${_hp_f#/proc/}
			_hp_p=${_hp_p%/comm}
			holder_of_dir "$_hp_p" "$1" && echo "$_hp_p"
		done
	} | sort -u | while IFS= read -r _hp_p; do
		case $_hp_p in
		'' | 0 | *[!0-9]*) continue ;;
		esac
		[ "$(cat "/proc/$_hp_p/comm" 2>/dev/null)" = jail-holder ] ||
			continue
		case $(sed 's/.*) //' "/proc/$_hp_p/stat" 2>/dev/null) in
		'' | Z* | X*) ;;
		*) echo "$_hp_p" ;;
		esac
	done
}

# dir_pids DIR: the PIDs of processes (not zombies) whose command line
# mentions DIR: a jailctl working there, or a holder not yet renamed.
dir_pids() {
	for _dp_f in /proc/[0-9]*/cmdline; do
		case $(tr '\0' ' ' 2>/dev/null <"$_dp_f") in
		*"$1"*)
			_dp_p=${_dp_f#/proc/}
			_dp_p=${_dp_p%/cmdline}
			[ "$_dp_p" = "$$" ] && continue
			case $(sed 's/.*) //' "/proc/$_dp_p/stat" 2>/dev/null) in
			'' | Z* | X*) ;;
			*) echo "$_dp_p" ;;
			esac
			;;
		esac
	done
}

_jr_none() {
	[ -z "$(holder_pids "$_jr_dir")" ]
}

# jail_reap DIR: the last resort after a test that started jails under
# DIR.  For each process of holder_pids and dir_pids: SIGKILL to every
# process in its PID namespace (never when that namespace is ours), then
# to it; then a lazy unmount of everything at or below DIR.  Stop the
# jails with jailctl first: this only catches what that left.
jail_reap() {
	_jr_self=$(readlink /proc/self/ns/pid)
	for _jr_h in $( (holder_pids "$1"; dir_pids "$1") | sort -u); do
		_jr_ns=$(readlink "/proc/$_jr_h/ns/pid" 2>/dev/null) || continue
		if [ "$_jr_ns" != "$_jr_self" ]; then
			for _jr_q in /proc/[0-9]*; do
				_jr_q=${_jr_q#/proc/}
				[ "$(readlink "/proc/$_jr_q/ns/pid" 2>/dev/null)" = \
				    "$_jr_ns" ] && kill -9 "$_jr_q" 2>/dev/null
			done
		fi
		kill -9 "$_jr_h" 2>/dev/null
	done
	# The kernel takes a moment to empty a PID namespace.
	_jr_dir=$1
	wait_for 5 _jr_none
	for _jr_m in $(mounts_under "$1"); do
		umount -l "$_jr_m" 2>/dev/null
	done
	return 0
}
