# Shared by tests/security/t_*.sh: sourced, never run.
#
#	. "$(dirname "$0")/seclib.sh"
#
# Builds on tests/integration/lib.sh (REPO, JAILCTL, TMPD, TAP helpers,
# need_jails, jail_reap...) and adds what a security test needs: the probes
# (tests/security/build.sh, static, copied into every root as /probes/),
# a busybox tree, one jail.conf for the whole script ($CONF, state in
# $STATE), jails defined with defjail, jailctl bounded by timeout(1), and a
# cleanup that stops, kills and unmounts whatever the script left, then
# checks with leakcheck.sh that nothing is left on the host.
#
# Environment: JAILCTL, JLTEST_TIMEOUT, TMPDIR, CC.

# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"
# shellcheck source=../integration/harness.sh
. "$(dirname "$0")/../integration/harness.sh"

SECDIR=$REPO/tests/security

need_jails
command -v "${CC:-cc}" >/dev/null 2>&1 || skip_all "no C compiler (${CC:-cc})"

cd "$TMPD" || bail_out "cd $TMPD"

# Long-running processes the jails start are "sleep $SLP": ours.
SLP=$((870000 + $$ % 10000))
# Seconds any one jailctl may take; the script's budget, below run.sh's.
JC_LIMIT=30
START_TIME=$(date +%s)
BUDGET=$((${JLTEST_TIMEOUT:-600} * 4 / 5))
CONF=$TMPD/jail.conf
STATE=$TMPD/state
JAILCTL_TEMPLATES=$TMPD/templates
export JAILCTL_TEMPLATES
mkdir -p "$STATE" "$TMPD/templates" "$TMPD/roots" || bail_out "mkdir"
: >"$CONF"
HOST_HOSTNAME=$(hostname)

# The host's state before the first test, outside TMPD (a path holding
# "jltest" would make leakcheck see its own processes).
SNAP=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") ||
	bail_out "mktemp -d failed"
trap 'rm -rf "$TMPD" "$SNAP"' EXIT
sh "$REPO/tests/integration/leakcheck.sh" snapshot "$SNAP/host" ||
	bail_out "leakcheck.sh snapshot failed"

kill_ours() {
	procs_with "sleep $SLP" | while read -r _ko_p _; do
		kill -9 "$_ko_p" 2>/dev/null
	done
}

# stop_all: jailctl stop for every jail with a state entry.
stop_all() {
	for _sa_s in "$STATE"/*; do
		[ -d "$_sa_s" ] || continue
		timeout -k 2 10 "$JAILCTL" -f "$CONF" -s "$STATE" \
		    stop "${_sa_s##*/}" </dev/null >/dev/null 2>&1
	done
}

cleanup_all() {
	stop_all
	kill_ours
	jail_reap "$TMPD"
	# A probe that could not take the immutable flag off again.
	for _cl_f in "$TMPD"/roots/*/tmp/jltest-chattr; do
		[ -e "$_cl_f" ] && chattr -i "$_cl_f" 2>/dev/null
	done
	rm -rf --one-file-system "$TMPD" "$SNAP"
}
trap cleanup_all EXIT
# A reader that goes away (run.sh ... | head) must not skip the cleanup.
trap 'exit 141' PIPE

# jc ARG...: jailctl with the script's configuration and state, bounded;
# sets rc, out, err.  Two timeouts shorten the limit to 10 s.
NTIMEOUT=0
jc() {
	run bounded "$JAILCTL" -f "$CONF" -s "$STATE" "$@"
	if [ "$rc" -eq 124 ]; then
		NTIMEOUT=$((NTIMEOUT + 1))
		err="$err${err:+
}(jailctl timed out or was not run)"
		[ "$NTIMEOUT" -ge 2 ] && JC_LIMIT=10
	fi
}

# The probes, and the busybox tree every root is copied from.
PROBES=$TMPD/probes
sh "$SECDIR/build.sh" "$PROBES" >"$TMPD/build.log" 2>&1
case $? in
0) ;;
77) skip_all "cannot build static probes: $(tail -1 "$TMPD/build.log")" ;;
*) bail_out "tests/security/build.sh failed: $(cat "$TMPD/build.log")" ;;
esac
BB=$TMPD/busybox
if ! sh "$REPO/templates/busybox/build" "$BB" >"$TMPD/bb.log" 2>&1; then
	bail_out "templates/busybox/build failed: $(cat "$TMPD/bb.log")"
fi

# root_of NAME: the root tree of jail NAME.
root_of() {
	echo "$TMPD/roots/$1"
}

# defjail NAME [LINE...]: a root tree (busybox and /probes) and a block in
# $CONF; each LINE is a statement, with its ";".  Without "persist;" an
# exec on the jail runs in a one-off instance.
defjail() {
	_dj_n=$1
	_dj_r=$(root_of "$1")
	shift
	cp -a "$BB" "$_dj_r" || bail_out "cp -a $BB $_dj_r"
	cp -a "$PROBES" "$_dj_r/probes" || bail_out "cp $PROBES"
	{
		printf '%s {\n' "$_dj_n"
		printf '\tpath = "%s";\n' "$_dj_r"
		printf '\thost.hostname = "%s.jltest.test";\n' \
		    "$(echo "$_dj_n" | tr _ -)"
		printf '\tstop.timeout = 2;\n'
		for _dj_l in "$@"; do
			printf '\t%s\n' "$_dj_l"
		done
		printf '}\n'
	} >>"$CONF"
}

# conf_ok: the script's jail.conf checks (else its checks mean little).
conf_ok() {
	jc check
	if [ "$rc" -eq 0 ]; then
		pass "the test's jail.conf checks"
	else
		fail "the test's jail.conf checks" "$err" "$(cat "$CONF")"
	fi
}

# result NAME: what a probe printed for NAME in $out ("NAME: RESULT").
result() {
	printf '%s\n' "$out" | sed -n "s/^$1: //p" | head -1
}

# probe_is NAME EXPECTED DESC: the probe's line for NAME says EXPECTED.
probe_is() {
	_pi_g=$(result "$1")
	if [ "$_pi_g" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "$1: got \"${_pi_g:-(no line)}\", expected \"$2\"" \
		    "jailctl exit status $rc" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
	fi
}

# probe_not NAME UNEXPECTED DESC: the probe ran NAME (a line, not killed)
# and the result is not UNEXPECTED.
probe_not() {
	_pn_g=$(result "$1")
	case $_pn_g in
	"" | "$2" | killed* | unknown* | unsupported)
		fail "$3" "$1: got \"${_pn_g:-(no line)}\", expected anything but \"$2\"" \
		    "jailctl exit status $rc" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
		;;
	*) pass "$3 ($_pn_g)" ;;
	esac
}

# status_field FIELD: the value of FIELD in /proc/PID/status text in $out.
status_field() {
	printf '%s\n' "$out" | sed -n "s/^$1:[[:space:]]*//p" | head -1
}

# caps_str: the five capability sets in $out (grep Cap /proc/.../status)
# as one line, "Inh=... Prm=... Eff=... Bnd=... Amb=...".
caps_str() {
	printf '%s\n' "$out" | awk '/^Cap(Inh|Prm|Eff|Bnd|Amb):/ {
		n = substr($1, 4, 3)
		printf "%s%s=%s", sep, n, $2
		sep = " "
	}'
}

# caps_is EXPECTED DESC: caps_str is EXPECTED; shows jailctl's status and
# stderr otherwise.
caps_is() {
	_ci_g=$(caps_str)
	if [ "$_ci_g" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "got:      ${_ci_g:-(nothing)}" "expected: $1" \
		    "jailctl exit status $rc" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
	fi
}

# Masks.  HOSTBND: what the host's root may have at most (a jail cannot
# hold more: here CAP_SYS_RESOURCE is missing, see TESTING.md).
HOSTBND=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)
HOSTBND=$((0x$HOSTBND))
# The jail's default set: CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4,
# KILL 5, SETGID 6, SETUID 7, SETPCAP 8, NET_BIND_SERVICE 10,
# SYS_CHROOT 18, AUDIT_WRITE 29, SETFCAP 31.
BASE=0
for _b in 0 1 3 4 5 6 7 8 10 18 29 31; do
	BASE=$((BASE | (1 << _b)))
done
ZERO=0000000000000000

# Capability names by number (capabilities(7), libcap-ng's spelling).
CAPNAMES="chown dac_override dac_read_search fowner fsetid kill setgid setuid
setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw
ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace sys_pacct
sys_admin sys_boot sys_nice sys_resource sys_time sys_tty_config mknod lease
audit_write audit_control setfcap mac_override mac_admin syslog wake_alarm
block_suspend audit_read perfmon bpf checkpoint_restore"

# host_caps_keep: a caps.keep statement naming every capability the
# host's root has (a jail cannot be given the others).
host_caps_keep() {
	_hk_i=0
	_hk_l=
	for _hk_n in $CAPNAMES; do
		if [ $((HOSTBND & (1 << _hk_i))) -ne 0 ]; then
			_hk_l="$_hk_l${_hk_l:+, }\"$_hk_n\""
		fi
		_hk_i=$((_hk_i + 1))
	done
	echo "caps.keep = $_hk_l;"
}

# hexmask N: N as /proc/PID/status prints it, limited to HOSTBND.
hexmask() {
	printf '%016x' "$(($1 & HOSTBND))"
}

# bits N...: the mask with bits N set.
bits() {
	_bi_m=0
	for _bi_b in "$@"; do
		_bi_m=$((_bi_m | (1 << _bi_b)))
	done
	echo "$_bi_m"
}

# root_caps MASK: caps_str as root in a jail with bounding set MASK.
root_caps() {
	_rc_m=$(hexmask "$1")
	echo "Inh=$ZERO Prm=$_rc_m Eff=$_rc_m Bnd=$_rc_m Amb=$ZERO"
}

# user_caps MASK: caps_str for a user other than root.
user_caps() {
	echo "Inh=$ZERO Prm=$ZERO Eff=$ZERO Bnd=$(hexmask "$1") Amb=$ZERO"
}

# host_status PID FIELD: a field of a process's status, read on the host.
host_status() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null
}

# our_sleep: the PID of the first "sleep $SLP" on the host, if any.
our_sleep() {
	procs_with "sleep $SLP" | awk '{ print $1; exit }'
}

has_our_sleep() {
	[ -n "$(our_sleep)" ]
}

# finish_all: after the last check: nothing of the script's left on the
# host (holders, mounts, state, leakcheck.sh), the host's host name
# unchanged; then the plan.
finish_all() {
	stop_all
	kill_ours
	_fa_left=
	wait_for 3 _no_holders
	for _fa_h in $(holder_pids "$TMPD"); do
		_fa_left="${_fa_left}holder $_fa_h
"
	done
	for _fa_m in $(mounts_under "$TMPD"); do
		_fa_left="${_fa_left}mount $_fa_m
"
	done
	for _fa_s in "$STATE"/*; do
		[ -e "$_fa_s" ] && _fa_left="${_fa_left}state $_fa_s
"
	done
	is "$_fa_left" "" "after all: no holder, no mount under the test dir, no state"
	is "$(hostname)" "$HOST_HOSTNAME" "after all: the host's host name is unchanged"
	# Other runs' jltest.* processes and directories are theirs, and so
	# are holders of jails that are not under TMPD (a test or a benchmark
	# running beside this one): those lines are left out.
	_fa_l=$(sh "$REPO/tests/integration/leakcheck.sh" compare \
	    "$SNAP/host" 2>/dev/null | D=$TMPD awk 'index($0, ENVIRON["D"]) ||
	    !/jl[t]est/' | while IFS= read -r _fa_x; do
		case $_fa_x in
		"leftover process: "*" jail-holder")
			_fa_p=${_fa_x#leftover process: }
			_fa_p=${_fa_p%% *}
			holder_of_dir "$_fa_p" "$TMPD" || continue
			;;
		esac
		printf '%s\n' "$_fa_x"
	done)
	is "$_fa_l" "" "after all: leakcheck.sh finds nothing new on the host"
	done_testing
}

_no_holders() {
	[ -z "$(holder_pids "$TMPD")" ]
}
