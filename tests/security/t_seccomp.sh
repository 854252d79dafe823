#!/bin/sh
# The default seccomp filter of a jail, on the real kernel.
#
# Refused with EPERM: keyctl, add_key, request_key, kexec_load,
# kexec_file_load, init_module, finit_module, delete_module, bpf,
# perf_event_open, open_by_handle_at, the mount family (mount, umount2,
# fsopen, fsmount, fsconfig, fspick, move_mount, open_tree, mount_setattr)
# unless allow.mount, swapon, swapoff, reboot, acct, the clock setters
# (settimeofday, clock_settime, clock_adjtime, adjtimex) unless
# allow.settime or allow.adjtime, iopl, ioperm, syslog unless
# allow.read_msgbuf, unshare and clone with CLONE_NEWUSER, ioctl TIOCSTI
# and TIOCLINUX (on the low 32 bits of the command); clone3 with ENOSYS, so
# that glibc falls back to clone.  The same through the i386 and x32 ABIs.
# seccomp = none takes the filter away.
#
# Each call is made by probes/sysprobe (or abi32) with arguments that are
# harmless even unfiltered and with every capability (see sysprobe.c): a
# jail with every capability the host has and the filter shows that the filter alone
# refuses them; the same with seccomp = none shows what the kernel itself
# says, never EPERM.

# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

DENIED="keyctl add_key request_key kexec_load kexec_file_load init_module
finit_module delete_module bpf perf_event_open open_by_handle_at mount umount2
fsopen fsmount fsconfig fspick move_mount open_tree mount_setattr swapon
swapoff reboot acct settimeofday clock_settime clock_adjtime adjtimex iopl
ioperm syslog unshare_user unshare_user_mixed clone_user tiocsti tiocsti_hi
tioclinux tioclinux_hi"
MOUNTS="mount umount2 fsopen fsmount fsconfig fspick move_mount open_tree
mount_setattr"
CLOCKS="settimeofday clock_settime clock_adjtime adjtimex"
# Refused by the filter, and by nothing else for root with the default
# set: with seccomp = none these are not EPERM (kernel 6.x).
NOCAP="keyctl add_key request_key mount umount2 fsconfig open_tree
mount_setattr clock_settime clock_adjtime adjtimex unshare_user
unshare_user_mixed clone_user tiocsti tiocsti_hi tioclinux tioclinux_hi"
ABI_DENIED="i386_keyctl i386_unshare_user i386_mount i386_tiocsti
i386_reboot i386_settimeofday x32_keyctl x32_unshare_user x32_mount"

# Does this kernel run i386 programs (int $0x80)?  Asked on the host.
case $("$PROBES/abi32" i386_getpid 2>&1) in
"i386_getpid: ok") I386=1 ;;
*) I386= ;;
esac
HAVE_UNSHARE=
"$BB/bin/busybox" --list 2>/dev/null | grep -qx unshare && HAVE_UNSHARE=1

defjail s_def
# Every capability the host's root has ("all" is t_caps.sh's business).
KEEPALL=$(host_caps_keep)
defjail s_capsall "$KEEPALL"
defjail s_none 'seccomp = none;'
defjail s_none_all 'seccomp = none;' "$KEEPALL"
defjail s_mount 'persist;' 'allow.mount;' 'allow.mount.tmpfs;'
defjail s_settime 'allow.settime;'
defjail s_adjtime 'allow.adjtime;'
defjail s_msgbuf 'allow.read_msgbuf;'
defjail s_hook 'persist;' \
    'exec.start = "/probes/sysprobe keyctl unshare_user clone3 >/sc.start", "sleep '"$SLP"' >/dev/null 2>&1 &";' \
    'exec.stop = "/probes/sysprobe keyctl unshare_user >/sc.stop";'

conf_ok

# all_denied WHO: every call of DENIED refused with EPERM, clone3 with
# ENOSYS, and what must keep working works.
all_denied() {
	for p in $DENIED; do
		probe_is "$p" EPERM "$1: $p refused (EPERM)"
	done
	probe_is clone3 ENOSYS "$1: clone3 refused with ENOSYS"
	probe_is getpid ok "$1: getpid works"
	probe_is clone_plain ok "$1: clone without CLONE_NEWUSER works"
	probe_is tcgets ENOTTY "$1: other ioctls pass (TCGETS: ENOTTY)"
	probe_is thread ok "$1: pthread_create works (glibc falls back to clone)"
	probe_is spawn ok "$1: posix_spawn works"
}

# abi_denied WHO: the same through the i386 and x32 ABIs.
abi_denied() {
	if [ -z "$I386" ]; then
		skip "$1: i386 getpid works" "this kernel runs no i386 code"
	else
		probe_is i386_getpid ok "$1: i386 getpid works"
	fi
	for p in $ABI_DENIED; do
		case $p in
		i386_*)
			if [ -z "$I386" ]; then
				skip "$1: $p refused (EPERM)" \
				    "this kernel runs no i386 code"
				continue
			fi
			;;
		esac
		probe_is "$p" EPERM "$1: $p refused (EPERM)"
	done
}

# --- the default filter ---------------------------------------------------

jc exec s_def grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
is "$(status_field Seccomp)" 2 "default: a filter is on (Seccomp: 2)"
jc exec s_def grep -E '^Seccomp:' /proc/1/status
is "$(status_field Seccomp)" 2 \
    "default: the holder (PID 1) is filtered too (Seccomp: 2)"
jc exec -t s_def /probes/sysprobe keyctl
out=$(printf '%s\n' "$out" | tr -d '\r')
probe_is keyctl EPERM "default: exec -t (on a pty of its own): keyctl refused"
jc exec s_def /probes/sysprobe all
all_denied default
jc exec s_def /probes/abi32 all
abi_denied default
if [ -n "$HAVE_UNSHARE" ]; then
	jc exec s_def unshare -U true
	if [ "$rc" -ne 0 ] && printf '%s\n' "$err" |
	    grep -qi 'not permitted'; then
		pass "default: busybox unshare -U is refused"
	else
		fail "default: busybox unshare -U is refused" "rc $rc" "$err"
	fi
	jc exec -u nobody s_def unshare -U true
	if [ "$rc" -ne 0 ] && printf '%s\n' "$err" |
	    grep -qi 'not permitted'; then
		pass "default: busybox unshare -U is refused to nobody too"
	else
		fail "default: busybox unshare -U is refused to nobody too" \
		    "rc $rc" "$err"
	fi
else
	skip "default: busybox unshare -U is refused" "no unshare applet"
	skip "default: busybox unshare -U is refused to nobody too" \
	    "no unshare applet"
fi

# --- the filter alone: every capability, still refused ---------------------

# (caps.keep holds sys_admin, and no allow.mount: the mount family stays
# refused; only allow.mount lets it through.)
jc exec s_capsall /probes/sysprobe all
all_denied "every capability, no allow.mount"
jc exec s_capsall /probes/abi32 all
abi_denied "every capability, no allow.mount"

# --- seccomp = none -------------------------------------------------------

jc exec s_none grep -E '^Seccomp:' /proc/self/status
is "$(status_field Seccomp)" 0 "seccomp = none: no filter (Seccomp: 0)"
jc exec s_none /probes/sysprobe keyctl clone3
probe_is keyctl ok "seccomp = none: keyctl(KEYCTL_GET_KEYRING_ID) succeeds"
probe_not clone3 ENOSYS "seccomp = none: clone3 reaches the kernel"
# shellcheck disable=SC2086 # a list of names
jc exec s_none /probes/sysprobe $NOCAP
for p in $NOCAP; do
	probe_not "$p" EPERM "seccomp = none: $p is not refused"
done
if [ -n "$HAVE_UNSHARE" ]; then
	jc exec s_none unshare -U true
	is_rc 0 "seccomp = none: busybox unshare -U works"
else
	skip "seccomp = none: busybox unshare -U works" "no unshare applet"
fi
# With every capability too: nothing is EPERM, so the EPERMs above were
# the filter's, and the arguments were harmless.
jc exec s_none_all /probes/sysprobe all
for p in $DENIED; do
	probe_not "$p" EPERM "seccomp = none, every capability: $p is not refused"
done
if [ -n "$I386" ]; then
	jc exec s_none_all /probes/abi32 i386_keyctl
	probe_is i386_keyctl ok "seccomp = none: i386 keyctl succeeds"
else
	skip "seccomp = none: i386 keyctl succeeds" "this kernel runs no i386 code"
fi

# --- allow.mount: the mount family, and a tmpfs inside --------------------

jc exec s_mount /probes/sysprobe all
for p in $MOUNTS; do
	probe_not "$p" EPERM "allow.mount: $p is allowed"
done
for p in keyctl bpf swapon reboot unshare_user clone_user; do
	probe_is "$p" EPERM "allow.mount: $p still refused (EPERM)"
done
jc start s_mount
is_rc 0 "allow.mount: start s_mount"
jc exec s_mount sh -c \
    'mount -t tmpfs jltest-tmpfs /mnt && grep " /mnt " /proc/mounts'
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^jltest-tmpfs /mnt tmpfs '; then
	pass "allow.mount: a tmpfs mounts inside the jail"
else
	fail "allow.mount: a tmpfs mounts inside the jail" "rc $rc" "$out" "$err"
fi
if grep -q 'jltest-tmpfs' /proc/self/mountinfo; then
	fail "allow.mount: the jail's tmpfs is not on the host" \
	    "$(grep jltest-tmpfs /proc/self/mountinfo)"
else
	pass "allow.mount: the jail's tmpfs is not on the host"
fi
jc exec s_mount umount /mnt
is_rc 0 "allow.mount: and unmounts"
jc stop s_mount
is_rc 0 "allow.mount: stop s_mount"

# --- allow.settime, allow.adjtime, allow.read_msgbuf ----------------------

# The clocks are only read or set to nothing (settimeofday(NULL, NULL)),
# and CLOCK_MONOTONIC cannot be set (EINVAL, not EPERM).
for j in s_settime:allow.settime s_adjtime:allow.adjtime; do
	# shellcheck disable=SC2086 # a list of names
	jc exec "${j%%:*}" /probes/sysprobe $CLOCKS keyctl
	for p in $CLOCKS; do
		probe_not "$p" EPERM "${j#*:}: $p is allowed"
	done
	probe_is keyctl EPERM "${j#*:}: keyctl still refused (EPERM)"
done
jc exec s_msgbuf /probes/sysprobe syslog keyctl
probe_is syslog ok "allow.read_msgbuf: syslog (the buffer's size) works"
probe_is keyctl EPERM "allow.read_msgbuf: keyctl still refused (EPERM)"
jc exec s_msgbuf sh -c 'dmesg >/dev/null'
is_rc 0 "allow.read_msgbuf: dmesg works"
jc exec s_def sh -c 'dmesg >/dev/null'
if [ "$rc" -ne 0 ]; then
	pass "default: dmesg fails"
else
	fail "default: dmesg fails" "it exited 0"
fi

# --- hooks and exec into a running jail -----------------------------------

jc start s_hook
is_rc 0 "hooks: start s_hook"
out=$(cat "$(root_of s_hook)/sc.start" 2>&1)
probe_is keyctl EPERM "hooks: exec.start: keyctl refused"
probe_is unshare_user EPERM "hooks: exec.start: unshare(CLONE_NEWUSER) refused"
probe_is clone3 ENOSYS "hooks: exec.start: clone3 ENOSYS"
if wait_for 3 has_our_sleep; then
	is "$(host_status "$(our_sleep)" Seccomp)" 2 \
	    "hooks: a process exec.start left running is filtered (seen from the host)"
else
	fail "hooks: a process exec.start left running is filtered (seen from the host)" \
	    "no \"sleep $SLP\" on the host"
fi
jc exec s_hook /probes/sysprobe keyctl unshare_user tiocsti_hi
probe_is keyctl EPERM "hooks: exec into the running jail: keyctl refused"
probe_is unshare_user EPERM \
    "hooks: exec into the running jail: unshare(CLONE_NEWUSER) refused"
probe_is tiocsti_hi EPERM \
    "hooks: exec into the running jail: TIOCSTI with high bits refused"
jc exec -u nobody s_hook /probes/sysprobe keyctl unshare_user
probe_is keyctl EPERM "hooks: exec -u nobody: keyctl refused"
probe_is unshare_user EPERM "hooks: exec -u nobody: unshare(CLONE_NEWUSER) refused"
jc stop s_hook
is_rc 0 "hooks: stop s_hook"
out=$(cat "$(root_of s_hook)/sc.stop" 2>&1)
probe_is keyctl EPERM "hooks: exec.stop: keyctl refused"
probe_is unshare_user EPERM "hooks: exec.stop: unshare(CLONE_NEWUSER) refused"

finish_all
