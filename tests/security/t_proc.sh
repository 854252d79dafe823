#!/bin/sh
# /proc and /sys in a jail, on the real kernel.
#
# A jail's /proc belongs to its own PID namespace but still shows the
# host's kernel: /proc/sys sets host-wide values (core_pattern would run a
# program as the host's root), and some files leak kernel addresses or
# other jails' keys.  With default parameters those are read-only or
# hidden; /sys appears only with mount.sysfs, read-only, /sys/firmware
# hidden.  Every write attempted here would be refused by the defence; if
# it were missing, the value written is the one already there.

# shellcheck disable=SC2016 # the commands run in the jail, quoted for it
# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

defjail p_def 'persist;'
defjail p_sys 'persist;' 'mount.sysfs;'
conf_ok

jc start p_def
is_rc 0 "start p_def"

# the current value, written back: harmless even without the defence
jc exec p_def sh -c 'v=$(cat /proc/sys/kernel/core_pattern) &&
    printf "%s\n" "$v" > /proc/sys/kernel/core_pattern'
is_rc 1 "/proc/sys/kernel/core_pattern cannot be written"
like "$err" "Read-only file system" "... refused as a read-only file system"
jc exec p_def sh -c 'grep " /proc/sys " /proc/self/mountinfo'
like "$out" " ro," "/proc/sys is mounted read-only"
for f in irq bus fs; do
	jc exec p_def sh -c "[ ! -e /proc/$f ] || grep ' /proc/$f ' /proc/self/mountinfo"
	if [ -z "$out" ] || printf '%s\n' "$out" | grep -q ' ro,'; then
		pass "/proc/$f is read-only (or absent)"
	else
		fail "/proc/$f is read-only (or absent)" "$out"
	fi
done
for f in keys kallsyms timer_list sched_debug; do
	jc exec p_def sh -c "[ ! -e /proc/$f ] || wc -c < /proc/$f"
	if [ -z "$out" ] || [ "$out" = 0 ]; then
		pass "/proc/$f shows nothing"
	else
		fail "/proc/$f shows nothing" "$out bytes"
	fi
done
jc exec p_def sh -c '[ ! -e /proc/kcore ] || head -c 1 /proc/kcore | wc -c'
if [ -z "$out" ] || [ "$out" = 0 ]; then
	pass "/proc/kcore gives nothing"
else
	fail "/proc/kcore gives nothing" "$out"
fi
jc exec p_def sh -c 'ls -A /proc/acpi 2>/dev/null | wc -l'
is "$out" 0 "/proc/acpi is empty"
jc exec p_def sh -c 'ls -A /sys | wc -l'
is "$out" 0 "without mount.sysfs, /sys is empty"

jc start p_sys
is_rc 0 "start p_sys (mount.sysfs)"
jc exec p_sys sh -c 'grep " /sys " /proc/self/mountinfo'
like "$out" " ro," "mount.sysfs: /sys is read-only"
jc exec p_sys sh -c 'ls -A /sys/firmware | wc -l'
is "$out" 0 "mount.sysfs: /sys/firmware is empty"
jc exec p_sys sh -c 'ls /sys/class | wc -l'
if [ "${out:-0}" -gt 0 ]; then
	pass "mount.sysfs: the rest of /sys is there"
else
	fail "mount.sysfs: the rest of /sys is there" "$out"
fi

jc stop p_def p_sys
is_rc 0 "stop p_def p_sys"

finish_all
