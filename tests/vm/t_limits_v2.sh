#!/bin/sh
# Resource limits on cgroup v2, in the test VM (tests/vm/lib.sh reruns
# this script there), through jailctl, as a user sees them: the checks of
# tests/integration/t_limits.sh (limlib.sh), with smaller loops.  Code
# runs 15-35x slower in the VM: only the essential checks.
#
#	make vm-check
#	sh tests/integration/run.sh tests/vm/t_limits_v2.sh

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"
# shellcheck disable=SC2034 # read by limlib.sh
LIM_VM=1
# shellcheck source=../integration/limlib.sh
. "$REPO/tests/integration/limlib.sh"

diag "kernel $(uname -r), $(stat -f -c %T /sys/fs/cgroup)"
[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
	bail_out "/sys/fs/cgroup is not cgroup2 (not in the VM?)"

# No v2 case of a limit the host cannot enforce: jailctl enables in the
# parent what the root offers, and the VM's root offers every controller
# (io and cpuset included).  t_limits.sh has the v1 case.
lim_run lim_pids lim_mem lim_cpu lim_set lim_rlimit lim_rollback
lim_end
done_testing
