#!/bin/sh
# Runs a command in a small qemu VM (TCG) booted from Debian's kernel with
# cgroup v1 off (cgroup_no_v1=all): the real cgroup v2 the host lacks.
#
#	sh tests/vm/run.sh CMD [ARG...]
#
# One argument is a shell command line (sh -c); several are a command and
# its arguments.  It runs inside the VM as root, in the repository's
# directory, on the host's own / seen read-only through 9p under a tmpfs
# overlay: it sees the host's build, and nothing it writes reaches the
# host.  Its stdout and stderr are streamed here (both on stdout); the exit
# status is CMD's.  Besides:
#	124	the VM ran past VMTEST_TIMEOUT seconds (default 300)
#	125	the VM did not report a status (boot or setup failed; its
#		console is shown on stderr)
#	2	usage, or the kernel or initrd could not be made
#
# Environment: VMDIR (default build/vm: the kernel, modules and initrd,
# made once by kernel.sh and initrd.sh), VMTEST_TIMEOUT, VMTEST_MEM
# (MiB, default 1024), VMTEST_CPUS (default 2), TMPDIR.

export LC_ALL=C
repo=$(cd "$(dirname "$0")/../.." && pwd -P) || exit 2
vm=${VMDIR:-$repo/build/vm}
: "${VMTEST_TIMEOUT:=300}" "${VMTEST_MEM:=1024}" "${VMTEST_CPUS:=2}"

if [ $# -eq 0 ]; then
	echo "usage: run.sh CMD [ARG...]" >&2
	exit 2
fi
qemu=$(command -v qemu-system-x86_64) || {
	echo "run.sh: qemu-system-x86_64 missing (make deps)" >&2
	exit 2
}
# One maker of the cache at a time.
mkdir -p "$vm" || exit 2
initrd=$(flock "$vm/.lock" sh "$repo/tests/vm/initrd.sh" "$vm") || exit 2

d=$(mktemp -d "${TMPDIR:-/tmp}/vmtest.XXXXXX") || exit 2
qpid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	if [ -n "$qpid" ]; then
		kill "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
	fi
	rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The command, quoted for sh, run from the repository.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
mkdir "$d/io"
printf '%s\n' "$repo" >"$d/io/repo"
{
	printf 'cd %s || exit 125\n' "$(q "$repo")"
	if [ $# -eq 1 ]; then
		printf '%s\n' "$1"
	else
		printf 'exec'
		for a in "$@"; do
			printf ' %s' "$(q "$a")"
		done
		printf '\n'
	fi
} >"$d/io/cmd"

# The console (ttyS0) goes to a file; the command's output comes on the
# second serial port, straight to stdout.  qemu exits 0 whatever happens
# inside: the status is the one init2 wrote to the share.
timeout -k 10 "$VMTEST_TIMEOUT" "$qemu" -accel tcg -m "$VMTEST_MEM" \
    -smp "$VMTEST_CPUS" -nodefaults -no-user-config -display none \
    -no-reboot -kernel "$vm/vmlinux" -initrd "$initrd" \
    -append 'console=ttyS0 quiet panic=-1 cgroup_no_v1=all mitigations=off' \
    -serial "file:$d/console" -serial stdio \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$d/io,mount_tag=vmio,security_model=none" \
    </dev/null &
qpid=$!
wait "$qpid"
qst=$?
qpid=

if [ -s "$d/io/status" ]; then
	st=$(cat "$d/io/status")
	case $st in
	'' | *[!0-9]*) ;;
	*) exit "$st" ;;
	esac
fi
# No status file: the console's last word, else a failure of the VM.
st=$(sed -n 's/^VMTEST: exit=\([0-9][0-9]*\).*/\1/p' "$d/console" | tail -n 1)
if [ -n "$st" ]; then
	exit "$st"
fi
if [ "$qst" -eq 124 ] || [ "$qst" -eq 137 ]; then
	echo "run.sh: the VM ran past $VMTEST_TIMEOUT s; its console:" >&2
	sed 's/^/| /' "$d/console" | tail -n 40 >&2
	exit 124
fi
echo "run.sh: the VM reported no status (qemu: $qst); its console:" >&2
sed 's/^/| /' "$d/console" | tail -n 40 >&2
exit 125
