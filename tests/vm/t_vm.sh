#!/bin/sh
# The cgroup-v2 stage, in the test VM (tests/vm/lib.sh reruns it there):
# the VM is what we claim (a cgroup2 root with memory, pids and cpu
# enabled, no v1 hierarchy, limits that bite), then the unit suites of
# VM_UNIT_SUITES on it.  TAP, like tests/integration, whose run.sh counts it
# on the host: a VM that fails to boot or report (run.sh exits 124 or 125,
# no plan) is a failure there.
#
#	make vm-check
#	sh tests/integration/run.sh tests/vm/t_vm.sh

# The sh -c scripts' $1 and $$ are theirs.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The Check suites (CK_RUN_SUITE names) that need a real cgroup v2; one
# whose tests/unit/check_NAME.c does not exist yet is skipped.
VM_UNIT_SUITES="cgroup"

# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"

cg=/sys/fs/cgroup
diag "kernel $(uname -r), $(nproc) CPUs, cmdline: $(cat /proc/cmdline)"

# --- the VM -----------------------------------------------------------

like "$(cat /proc/cmdline)" '(^| )cgroup_no_v1=all( |$)' \
    "booted with cgroup_no_v1=all"
is "$(stat -f -c %T $cg 2>&1)" cgroup2fs "$cg is cgroup2"
v1=$(awk '$9 == "cgroup" { print $5 }' /proc/self/mountinfo)
is "$v1" "" "no cgroup v1 hierarchy is mounted"
ctl=$(cat $cg/cgroup.subtree_control)
for c in memory pids cpu; do
	like "$ctl" "(^| )$c( |$)" "$c is enabled in the root's subtree_control"
done
like "$(awk '$5 == "/" { print $9 }' /proc/self/mountinfo)" '^overlay$' \
    "/ is the tmpfs overlay"
if ( : >/.jltest-vm-write ) 2>/dev/null && rm -f /.jltest-vm-write; then
	pass "/ is writable (the overlay's tmpfs)"
else
	fail "/ is writable (the overlay's tmpfs)"
fi

# A cgroup of our own under the root, removed at exit.
t=$cg/jltest.vm.$$
trap 'cleanup_cg; rm -rf "$TMPD"' EXIT
cleanup_cg() {
	for g in "$t"/*/ "$t"; do
		[ -d "$g" ] || continue
		[ -f "$g/cgroup.kill" ] && echo 1 >"$g/cgroup.kill" 2>/dev/null
		wait_for 10 sh -c "! grep -q . '$g/cgroup.procs'" 2>/dev/null
		rmdir "$g" 2>/dev/null
	done
}
mkdir "$t" || bail_out "mkdir $t"
echo "+memory +pids" >"$t/cgroup.subtree_control" ||
    bail_out "cannot enable memory and pids in $t"

# pids.max=5: a shell moved in forks sleepers until fork fails; with the
# shell itself that is 4 (20 tries at most; the sleepers die with the
# cgroup).
mkdir "$t/pids"
echo 5 >"$t/pids/pids.max"
timeout 60 sh -c '
	echo $$ >"$1/cgroup.procs" || exit 99
	i=0
	while [ $i -lt 20 ]; do
		sleep 60 &
		echo $! >>"$2"
		i=$((i + 1))
	done' sh "$t/pids" "$TMPD/forked" >"$TMPD/fork.out" 2>&1
n=$(grep -c . "$TMPD/forked" 2>/dev/null || echo 0)
if [ "$n" -ge 3 ] && [ "$n" -le 4 ]; then
	pass "pids.max=5 stops the forks at $n"
else
	fail "pids.max=5 stops the forks at 3 or 4" "forked: $n" \
	    "$(cat "$TMPD/fork.out")"
fi
like "$(cat "$t/pids/pids.events")" '^max [1-9]' \
    "pids.events counts the refused forks"
echo 1 >"$t/pids/cgroup.kill"
if wait_for 10 sh -c "! grep -q . '$t/pids/cgroup.procs'"; then
	pass "cgroup.kill empties the cgroup"
else
	fail "cgroup.kill empties the cgroup" "$(cat "$t/pids/cgroup.procs")"
fi

# memory.max=16M: a hog alone in it, that holds 64M (tail keeps a line
# that never ends), is OOM-killed, and only it.
mkdir "$t/mem"
echo 16M >"$t/mem/memory.max"
echo 0 >"$t/mem/memory.swap.max" 2>/dev/null
(
	head -c 67108864 /dev/zero | timeout 60 sh -c '
		echo $$ >"$1/cgroup.procs" || exit 99
		exec tail -n 1 >/dev/null' sh "$t/mem"
	echo "hog: $?"
) >"$TMPD/hog.out" 2>&1
like "$(cat "$TMPD/hog.out")" '^hog: 137$' "the memory hog is SIGKILLed"
like "$(cat "$t/mem/memory.events")" '^oom_kill [1-9]' \
    "memory.events counts the OOM kill"

cleanup_cg
if [ -d "$t" ]; then
	fail "the test cgroups are removed" "$(find "$t" -type d)"
else
	pass "the test cgroups are removed"
fi

# --- the cgroup module's unit suite -----------------------------------

for s in $VM_UNIT_SUITES; do
	if [ ! -f "$REPO/tests/unit/check_$s.c" ]; then
		skip "unit suite $s" "tests/unit/check_$s.c does not exist yet"
		continue
	fi
	if [ ! -x "$REPO/build/unit" ]; then
		fail "unit suite $s" "build/unit is not built (make build/unit)"
		continue
	fi
	out=$(cd "$REPO/tests/unit" && CK_RUN_SUITE=$s timeout 200 \
	    ../../build/unit 2>&1)
	rc=$?
	diag "$out"
	# Check runs nothing, and says 100%, for a suite it does not have.
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" |
	    grep -Eq '^100%: Checks: [1-9][0-9]*, Failures: 0, Errors: 0'; then
		pass "unit suite $s"
	else
		fail "unit suite $s" "status $rc (no checks run means" \
		    "build/unit has no suite named $s)"
	fi
done

done_testing
