#!/bin/sh
# Resource limits on cgroup v1 (this host), as a user sees them: a fork
# bomb stopped by pids.max, a memory hog OOM-killed inside only, cpu.max
# throttling in stats, set on a running jail, rlimits on every path (exec,
# exec.start, one-off), the cgroup namespace, cgroups made and removed, a
# failed start that leaves none, a limit the host cannot enforce, stats on
# a stopped jail.  The tests are in limlib.sh, shared with the cgroup-v2
# run in the VM (tests/vm/t_limits_v2.sh).  Everything is bounded: tiny
# limits, counted loops, timeout(1) on every jailctl.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=limlib.sh
. "$REPO/tests/integration/limlib.sh"

# (Called through lim_run: SC2317.)
# shellcheck disable=SC2317
# This host's memory controller is v1: memory.swap.max (memsw) cannot be
# set without memory.max.
lim_swap() {
	lim_unenforceable memory.swap.max \
	    "memory.swap.max without memory.max on cgroup v1" \
	    'memory.swap.max = 16M;'
}

lim_run lim_pids lim_mem lim_cpu lim_set lim_rlimit lim_rollback lim_swap
lim_end
done_testing
