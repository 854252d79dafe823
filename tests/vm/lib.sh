# Sourced first by every tests/vm/t_*.sh: on the host the script runs
# again, whole, inside the cgroup-v2 VM (tests/vm/run.sh, which exits with
# its status), and this shell is replaced; inside (JLTEST_VM=1) the script
# goes on.  Each script boots its own VM (about 3 s).
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/../integration/lib.sh"	# TAP helpers, TMPD
# shellcheck shell=sh

if [ "${JLTEST_VM:-}" != 1 ]; then
	exec sh "$(dirname "$0")/run.sh" sh \
	    "$(cd "$(dirname "$0")" && pwd -P)/${0##*/}"
fi
