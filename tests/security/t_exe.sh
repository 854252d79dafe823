#!/bin/sh
# The /proc/self/exe class (runc's CVE-2019-5736), on the real kernel.
#
# A root user in a jail plants a "script" whose interpreter is
# /proc/self/exe and waits for the host to run it.  Had the kernel found a
# binary of the host's there (jailctl, which made the process), the jail
# would run it as one of its own processes and could open it through
# /proc/PID/exe and overwrite it.  Every way into a jail (exec into a
# running jail, a one-off instance, exec.start, an anonymous sandbox)
# makes its last exec from a small sealed memfd instead: the planted
# script reaches only that, which refuses to run ("not a program to run",
# 126), and jailctl's binary on the host is left as it was.  The jail's
# PID 1 (the holder) is that memfd too: its /proc/1/exe leads nowhere on
# the host and cannot be read from inside.

# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

plant() {
	printf '#!/proc/self/exe\n' >"$(root_of "$1")/evil" &&
	    chmod 755 "$(root_of "$1")/evil" ||
	    bail_out "cannot plant $(root_of "$1")/evil"
}

defjail x_run 'persist;'
defjail x_one
defjail x_hook 'persist;' 'exec.start = "/evil >/hook.out 2>&1; echo $? >/hook.rc";'
plant x_run
plant x_one
plant x_hook
conf_ok

SUM0=$(cksum <"$JAILCTL")

# evil_is DESC [SHELL]: the planted script ran the memfd (126), not
# jailctl; with SHELL, a shell of the jail's made the exec, and what the
# kernel found at /proc/self/exe was that shell's own binary (busybox:
# "applet not found").
evil_is() {
	case $out$err in
	*usage:* | *jailctl\ check*)
		fail "$1" "jailctl's own binary ran in the jail" \
		    "stdout: $(printf '%s\n' "$out" | head -3)" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
		;;
	*"not a program to run"*)
		is "$rc" 126 "$1"
		;;
	*"applet not found"*)
		if [ -n "$2" ]; then
			pass "$1"
		else
			fail "$1" "the jail's busybox ran, not the memfd"
		fi
		;;
	*)
		fail "$1" "exit status $rc" \
		    "stdout: $(printf '%s\n' "$out" | head -3)" \
		    "stderr: $(printf '%s\n' "$err" | head -3)"
		;;
	esac
}

jc start x_run
is_rc 0 "start x_run"
jc exec x_run /evil
evil_is "exec into a running jail: #!/proc/self/exe reaches the sealed memfd"
jc exec x_run sh -c '/evil'
evil_is "run by a shell of the jail's: its own binary, not the host's" shell
jc exec x_one /evil
evil_is "a one-off instance: the same"
jc start x_hook
is_rc 0 "start x_hook (exec.start runs /evil)"
out=$(cat "$(root_of x_hook)/hook.out" 2>&1)
err=
rc=$(cat "$(root_of x_hook)/hook.rc" 2>&1)
evil_is "exec.start (sh -c): the shell's binary, not the host's" shell

jc exec x_run sh -c 'cat /proc/1/comm; ls -l /proc/1/exe 2>&1; \
    cat /proc/1/exe >/dev/null 2>&1 && echo exe-readable'
case $out in
jail-holder*"Permission denied"*) pass "the holder: /proc/1/exe cannot be followed from inside" ;;
*) fail "the holder: /proc/1/exe cannot be followed from inside" "$out" "$err" ;;
esac
case $out in
*exe-readable*) fail "the holder's executable cannot be read from inside" "$out" ;;
*) pass "the holder's executable cannot be read from inside" ;;
esac
p=$(sed -n 's/^pid=//p' "$STATE/x_run/state")
case $(readlink "/proc/$p/exe" 2>&1) in
/memfd:jail-holder*) pass "the holder runs from a memfd, no file of the host's" ;;
*) fail "the holder runs from a memfd, no file of the host's" "$(readlink "/proc/$p/exe" 2>&1)" ;;
esac
grep -q '^Seccomp:[[:space:]]*2' "/proc/$p/status" &&
    grep -q '^CapEff:[[:space:]]*0000000000000020' "/proc/$p/status" &&
    grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$p/status"
is "$?" 0 "the holder: its own filter, CAP_KILL only, no_new_privs"

is "$(cksum <"$JAILCTL")" "$SUM0" "jailctl's binary on the host is unchanged"
jc stop x_run
is_rc 0 "stop x_run"
jc stop x_hook
is_rc 0 "stop x_hook"

finish_all
