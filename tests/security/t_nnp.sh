#!/bin/sh
# no_new_privs in a jail, on the real kernel.
#
# Every process that enters a jail (exec into a running jail, a one-off
# exec, exec.start and exec.stop, what they leave running) has
# no_new_privs set unless the jail has allow.setuid.  So a set-user-ID
# root program run by nobody stays nobody, with no capability, and a
# program with file capabilities gets none; with allow.setuid the same
# program gets euid 0, but no capability beyond the jail's own set, and
# the seccomp filter stays.
#
# The set-user-ID program (probes/suid) only prints its ids and CapEff;
# the file-capability one is a copy of capprobe with
# cap_net_bind_service, and binds a port in the jail's own network.

# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

HAVE_SETCAP=
command -v setcap >/dev/null 2>&1 && HAVE_SETCAP=1

# suid_setup NAME: probes/suid set-user-ID root, and probes/fcap (capprobe
# with cap_net_bind_service in its file capabilities), in NAME's root.
suid_setup() {
	_ss_r=$(root_of "$1")/probes
	if ! { chown 0:0 "$_ss_r/suid" && chmod 4755 "$_ss_r/suid"; }; then
		bail_out "cannot make $_ss_r/suid set-user-ID root"
	fi
	if [ -n "$HAVE_SETCAP" ] && ! { cp "$_ss_r/capprobe" "$_ss_r/fcap" &&
	    setcap cap_net_bind_service+ep "$_ss_r/fcap"; }; then
		bail_out "setcap on $_ss_r/fcap failed"
	fi
}

rec="grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status"
hooks="exec.start = \"$rec >/nnp.start\", \"sleep $SLP >/dev/null 2>&1 &\";"
stophook="exec.stop = \"$rec >/nnp.stop\";"

defjail n_def 'persist;' "$hooks" "$stophook"
defjail n_one
defjail n_setuid 'persist;' 'allow.setuid;' "$hooks" "$stophook"
suid_setup n_def
suid_setup n_one
suid_setup n_setuid

conf_ok

# nnp_is EXPECTED DESC: the NoNewPrivs value in $out.
nnp_is() {
	_ni_g=$(status_field NoNewPrivs)
	if [ "$_ni_g" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "NoNewPrivs: got \"${_ni_g:-(no line)}\", expected $1" \
		    "output: $(printf '%s\n' "$out" | head -5)" \
		    "jailctl exit status $rc" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
	fi
}

# The probes are what the checks below assume.
m=$(stat -c '%a %u' "$(root_of n_def)/probes/suid" 2>&1)
is "$m" "4755 0" "setup: probes/suid is set-user-ID root in the jail's tree"

# --- default: no_new_privs everywhere ------------------------------------

jc start n_def
is_rc 0 "default: start n_def"
out=$(cat "$(root_of n_def)/nnp.start" 2>&1)
nnp_is 1 "default: exec.start runs with no_new_privs"
if wait_for 3 has_our_sleep; then
	p=$(our_sleep)
	is "$(host_status "$p" NoNewPrivs)" 1 \
	    "default: a process exec.start left running has no_new_privs (seen from the host)"
else
	fail "default: a process exec.start left running has no_new_privs (seen from the host)" \
	    "no \"sleep $SLP\" on the host"
fi
jc exec n_def grep NoNewPrivs /proc/self/status
nnp_is 1 "default: exec into the running jail: no_new_privs"
jc exec n_def grep NoNewPrivs /proc/1/status
nnp_is 1 "default: the holder (PID 1) has no_new_privs"
jc exec -t n_def grep NoNewPrivs /proc/self/status
out=$(printf '%s\n' "$out" | tr -d '\r')
nnp_is 1 "default: exec -t (on a pty of its own): no_new_privs"
jc exec -u nobody n_def grep NoNewPrivs /proc/self/status
nnp_is 1 "default: exec -u nobody: no_new_privs"
jc exec -u nobody n_def /probes/suid
is "$rc:$out" "0:suid: euid=65534 ruid=65534 capeff=$ZERO" \
    "default: a set-user-ID root program run by nobody stays nobody, no capability"
if [ -n "$HAVE_SETCAP" ]; then
	jc exec -u nobody n_def /probes/capprobe bind_low
	probe_is bind_low EACCES "default: nobody cannot bind a port below 1024 (control)"
	jc exec -u nobody n_def /probes/fcap bind_low
	probe_is bind_low EACCES \
	    "default: a program with file capabilities gives nobody none"
else
	skip "default: nobody cannot bind a port below 1024 (control)" "no setcap"
	skip "default: a program with file capabilities gives nobody none" "no setcap"
fi
jc stop n_def
is_rc 0 "default: stop n_def"
out=$(cat "$(root_of n_def)/nnp.stop" 2>&1)
nnp_is 1 "default: exec.stop runs with no_new_privs"

# A one-off instance.
jc exec n_one grep NoNewPrivs /proc/self/status
nnp_is 1 "default: a one-off exec: no_new_privs"
jc exec -u nobody n_one /probes/suid
is "$rc:$out" "0:suid: euid=65534 ruid=65534 capeff=$ZERO" \
    "default: one-off: the set-user-ID root program gives nobody nothing"

# --- allow.setuid: the switch works, and no more than the jail's set --------

jc start n_setuid
is_rc 0 "allow.setuid: start n_setuid"
out=$(cat "$(root_of n_setuid)/nnp.start" 2>&1)
nnp_is 0 "allow.setuid: exec.start runs without no_new_privs"
jc exec n_setuid grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
nnp_is 0 "allow.setuid: exec: no no_new_privs"
is "$(status_field Seccomp)" 2 \
    "allow.setuid: the seccomp filter stays (Seccomp: 2)"
jc exec -u nobody n_setuid /probes/suid
is "$rc:$out" "0:suid: euid=0 ruid=65534 capeff=$(hexmask "$BASE")" \
    "allow.setuid: the set-user-ID root program gives euid 0 and the jail's set, no more"
if [ -n "$HAVE_SETCAP" ]; then
	jc exec -u nobody n_setuid /probes/fcap bind_low
	probe_is bind_low ok \
	    "allow.setuid: a program with file capabilities gets them"
else
	skip "allow.setuid: a program with file capabilities gets them" "no setcap"
fi
jc stop n_setuid
is_rc 0 "allow.setuid: stop n_setuid"
out=$(cat "$(root_of n_setuid)/nnp.stop" 2>&1)
nnp_is 0 "allow.setuid: exec.stop runs without no_new_privs"

finish_all
