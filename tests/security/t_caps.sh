#!/bin/sh
# Capabilities of the processes in a jail, on the real kernel.
#
# Root in a jail keeps a default set, CHOWN DAC_OVERRIDE FOWNER FSETID KILL
# SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT AUDIT_WRITE SETFCAP
# (00000000a00405fb), as its permitted, effective and bounding sets, with
# the inheritable and ambient sets empty; another user has none but the
# same bounding set; the holder (PID 1) keeps CAP_KILL alone.  That holds
# for exec into a running jail, a one-off exec, the hooks that run inside
# and the processes they leave running.  Each allow.* adds its capability,
# caps.keep adds, caps.drop removes, allow.noreserved_ports takes
# NET_BIND_SERVICE away.  The masks are exact; a jail never has more than
# the host's root (here without CAP_SYS_RESOURCE), so each is taken
# within the host's bounding set.  capprobe then shows that the sets
# mean what they say: raw sockets, mlock, the immutable flag, mknod,
# network configuration, sethostname, chroot, a low port.
#
# Harmless to the host even where a defence is missing: each act is on the
# jail's own network or UTS namespace, on a file of its own /tmp that is
# removed again, or sets what is already set.

# Single quotes keep $ for the jail's shell (SC2016).
# shellcheck disable=SC2016
# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

# --- the jails ------------------------------------------------------------

defjail cdef
defjail chook 'persist;' \
    'exec.start = "grep Cap /proc/self/status >/caps.start", "sleep '"$SLP"' >/dev/null 2>&1 &";' \
    'exec.stop = "grep Cap /proc/self/status >/caps.stop";'

# sets_case NAME ADD DROP STATEMENT...: a jail with these statements,
# whose root should have BASE with the capabilities ADD and without DROP
# (numbers, or ALL); recorded in $TMPD/cases for the checks below.
sets_case() {
	_sc_n=$1
	_sc_a=$2
	_sc_d=$3
	shift 3
	defjail "$_sc_n" "$@"
	printf '%s|%s|%s|%s\n' "$_sc_n" "$_sc_a" "$_sc_d" "$*" >>"$TMPD/cases"
}

: >"$TMPD/cases"
sets_case a_raw 13 '' 'allow.raw_sockets;'
sets_case a_mlock 14 '' 'allow.mlock;'
sets_case a_chflags 9 '' 'allow.chflags;'
sets_case a_sysvipc 15 '' 'allow.sysvipc;'
sets_case a_mount 21 '' 'allow.mount;'
sets_case a_mounttmp 21 '' 'allow.mount;' 'allow.mount.tmpfs;'
sets_case a_settime 25 '' 'allow.settime;'
sets_case a_adjtime 25 '' 'allow.adjtime;'
sets_case a_routing 12 '' 'allow.routing;'
sets_case a_msgbuf 34 '' 'allow.read_msgbuf;'
sets_case a_quotas 24 '' 'allow.quotas;'
sets_case a_debug 19 '' 'allow.unprivileged_proc_debug;'
sets_case a_noresv '' 10 'allow.noreserved_ports;'
sets_case a_resvf '' 10 'allow.reserved_ports = false;'
sets_case a_hostname '' '' 'allow.set_hostname = false;'
sets_case k_raw '13 19' '' 'caps.keep = "CAP_NET_RAW", "sys_ptrace";'
sets_case k_lower '12 27' '' 'caps.keep = "net_admin", "cap_mknod";'
sets_case k_sysadm 21 '' 'caps.keep = "sys_admin";'
sets_case d_some '' '0 5' 'caps.drop = "CAP_CHOWN", "kill";'
sets_case d_chroot '' 18 'caps.drop = "sys_chroot";'
sets_case d_all '' ALL 'caps.drop = "all";'
sets_case k_all ALL '' 'caps.keep = "all";'
sets_case kd_all ALL '21 13' 'caps.keep = "all";' \
    'caps.drop = "sys_admin", "net_raw";'
sets_case ad_raw 13 13 'allow.raw_sockets;' 'caps.drop = "net_raw";'

# expected_mask ADD DROP: BASE with ADD, without DROP ("ALL": every bit).
# shellcheck disable=SC2086 # ADD and DROP are lists of numbers
expected_mask() {
	case $1 in
	ALL) _em=-1 ;;
	*) _em=$((BASE | $(bits $1))) ;;
	esac
	case $2 in
	ALL) _em=0 ;;
	*) _em=$((_em & ~$(bits $2))) ;;
	esac
	echo "$_em"
}

conf_ok

# --- default: exec, another user, the holder ------------------------------

jc exec cdef grep Cap /proc/self/status
caps_is "$(root_caps "$BASE")" \
    "default: root's sets in a one-off exec are the default set"
jc exec -u nobody cdef grep Cap /proc/self/status
caps_is "$(user_caps "$BASE")" \
    "default: exec -u nobody: nothing permitted or effective, the same bounding set"
jc exec -t cdef grep Cap /proc/self/status
out=$(printf '%s\n' "$out" | tr -d '\r')
caps_is "$(root_caps "$BASE")" \
    "default: exec -t (on a pty of its own): the default set"
jc exec cdef grep -E '^Cap(Inh|Prm|Eff|Amb):' /proc/1/status
caps_is "Inh=$ZERO Prm=0000000000000020 Eff=0000000000000020 Amb=$ZERO" \
    "default: the holder (PID 1) keeps CAP_KILL alone (permitted and effective)"

# What the default set lets root do, and what not.
jc exec cdef /probes/capprobe raw_socket packet_socket mlock chattr mknod \
    netadmin sethostname chroot bind_low inh_sys_admin
probe_is raw_socket EPERM "default: no raw socket (CAP_NET_RAW)"
probe_is packet_socket EPERM "default: no packet socket (CAP_NET_RAW)"
probe_is mlock EPERM "default: no mlock past RLIMIT_MEMLOCK (CAP_IPC_LOCK)"
probe_is chattr EPERM "default: no immutable flag (CAP_LINUX_IMMUTABLE)"
probe_is mknod EPERM "default: no device node (CAP_MKNOD)"
probe_is netadmin EPERM "default: no network configuration (CAP_NET_ADMIN)"
probe_is sethostname EPERM "default: no sethostname (CAP_SYS_ADMIN)"
probe_is chroot ok "default: chroot works (CAP_SYS_CHROOT is kept)"
probe_is bind_low ok "default: a port below 1024 (CAP_NET_BIND_SERVICE is kept)"
probe_is inh_sys_admin EPERM \
    "default: CAP_SYS_ADMIN cannot be raised into the inheritable set"

# --- a running jail: exec.start, what it leaves running, exec, exec.stop --

jc start chook
is_rc 0 "hooks: start chook (exec.start records its capabilities)"
out=$(cat "$(root_of chook)/caps.start" 2>&1)
caps_is "$(root_caps "$BASE")" \
    "hooks: exec.start runs with the default set"
if wait_for 3 has_our_sleep; then
	p=$(our_sleep)
	out=$(grep Cap "/proc/$p/status" 2>&1)
	caps_is "$(root_caps "$BASE")" \
	    "hooks: a process exec.start left running has the default set (seen from the host)"
else
	fail "hooks: a process exec.start left running has the default set (seen from the host)" \
	    "no \"sleep $SLP\" on the host"
fi
hp=$(sed -n 's/^pid=//p' "$STATE/chook/state" 2>/dev/null)
if [ -n "$hp" ] && [ "$(cat "/proc/$hp/comm" 2>/dev/null)" = jail-holder ]; then
	out=$(grep -E '^Cap(Inh|Prm|Eff|Amb):' "/proc/$hp/status" 2>&1)
	caps_is "Inh=$ZERO Prm=0000000000000020 Eff=0000000000000020 Amb=$ZERO" \
	    "hooks: the running jail's holder keeps CAP_KILL alone (seen from the host)"
else
	fail "hooks: the running jail's holder keeps CAP_KILL alone (seen from the host)" \
	    "no holder: pid \"$hp\"" "$(cat "$STATE/chook/state" 2>&1)"
fi
jc exec chook grep Cap /proc/self/status
caps_is "$(root_caps "$BASE")" \
    "hooks: exec into the running jail: the default set"
jc exec -u nobody chook grep Cap /proc/self/status
caps_is "$(user_caps "$BASE")" \
    "hooks: exec -u nobody into the running jail: nothing but the bounding set"
jc stop chook
is_rc 0 "hooks: stop chook"
out=$(cat "$(root_of chook)/caps.stop" 2>&1)
caps_is "$(root_caps "$BASE")" \
    "hooks: exec.stop runs with the default set"

# --- allow.*, caps.keep, caps.drop: the exact sets ------------------------

# allow.quotas asks for CAP_SYS_RESOURCE, which root here lacks: either
# the jail has the default set (what it can have) or jailctl refuses to
# run anything (125, a "jailctl: " error); never more.  caps.keep = all
# means every capability root has.
while IFS='|' read -r n add drop st; do
	jc exec "$n" grep Cap /proc/self/status
	want=$(root_caps "$(expected_mask "$add" "$drop")")
	if [ "$n" = a_quotas ] && [ "$(bits 24)" -ne \
	    $(($(bits 24) & HOSTBND)) ] && [ "$rc" -eq 125 ] &&
	    [ -z "$out" ] && printf '%s\n' "$err" | grep -q '^jailctl: '; then
		pass "sets: $st (CAP_SYS_RESOURCE is not the host's: refused, $err)"
		continue
	fi
	caps_is "$want" "sets: $st"
done <"$TMPD/cases"

# --- and what they let root do --------------------------------------------

jc exec a_raw /probes/capprobe raw_socket packet_socket
probe_is raw_socket ok "allow.raw_sockets: a raw socket"
probe_is packet_socket ok "allow.raw_sockets: a packet socket"
jc exec ad_raw /probes/capprobe raw_socket
probe_is raw_socket EPERM \
    "allow.raw_sockets with caps.drop = net_raw: no raw socket (drop wins)"
jc exec a_mlock /probes/capprobe mlock
probe_is mlock ok "allow.mlock: mlock past RLIMIT_MEMLOCK"
jc exec a_chflags /probes/capprobe chattr
probe_is chattr ok "allow.chflags: the immutable flag, set and taken off"
jc exec a_routing /probes/capprobe netadmin
probe_is netadmin ok "allow.routing: network configuration (lo's MTU)"
jc exec k_lower /probes/capprobe netadmin mknod
probe_is netadmin ok "caps.keep = net_admin: network configuration"
probe_is mknod ok "caps.keep = cap_mknod: a device node (the null device, removed)"
jc exec a_noresv /probes/capprobe bind_low
probe_is bind_low EACCES "allow.noreserved_ports: no port below 1024"
jc exec k_sysadm /probes/capprobe sethostname
probe_is sethostname ok "caps.keep = sys_admin: sethostname (to the same name)"
jc exec d_chroot /probes/capprobe chroot
probe_is chroot EPERM "caps.drop = sys_chroot: no chroot"
jc exec d_all /probes/capprobe chroot bind_low
probe_is chroot EPERM "caps.drop = all: no chroot"
probe_is bind_low EACCES "caps.drop = all: no port below 1024"
jc exec -u nobody a_raw /probes/capprobe raw_socket
probe_is raw_socket EPERM \
    "allow.raw_sockets: another user than root still has no raw socket"

finish_all
