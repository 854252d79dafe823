#!/bin/sh
# Times "jailctl -f FILE check" (read, parse, resolve, every check) and
# "jailctl -f FILE list" on a generated file of N jails, against the target
# of 100 ms for the check.  hyperfine when installed (apt-get install
# hyperfine), else RUNS timed runs in a loop.
#
#	sh bench/parse.sh		(make bench)
#
# Environment: JAILCTL (default build/jailctl), JLBENCH_N (10000 jails),
# JLBENCH_RUNS (10), JLBENCH_TARGET_MS (100), JLBENCH_NO_HYPERFINE=1 (time
# with the loop even where hyperfine is installed).  Exit 1 when jailctl fails
# or the check's mean is over the target.

export LC_ALL=C
dir=$(cd "$(dirname "$0")" && pwd -P) || exit 1
repo=$(cd "$dir/.." && pwd -P) || exit 1
: "${JAILCTL:=$repo/build/jailctl}"
case $JAILCTL in
/*) ;;
*) JAILCTL=$(pwd -P)/$JAILCTL ;;
esac
n=${JLBENCH_N:-10000}
runs=${JLBENCH_RUNS:-10}
target=${JLBENCH_TARGET_MS:-100}

if [ ! -x "$JAILCTL" ]; then
	echo "parse.sh: $JAILCTL is not built (run make)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jlbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

conf=$tmp/jail.conf
sh "$dir/gen.sh" "$n" >"$conf" || exit 1
size=$(wc -c <"$conf" | tr -d ' ')
lines=$(wc -l <"$conf" | tr -d ' ')

# The file must be valid, or the time is that of an error path.
if ! msg=$("$JAILCTL" -f "$conf" -v check 2>&1); then
	echo "parse.sh: the generated file does not check:" >&2
	printf '%s\n' "$msg" | head -5 >&2
	exit 1
fi
got=$("$JAILCTL" -f "$conf" -q list | wc -l | tr -d ' ')
if [ "$got" -ne "$n" ]; then
	echo "parse.sh: list shows $got jails, not $n" >&2
	exit 1
fi

echo "jailctl: $JAILCTL"
echo "file: $n jails, $lines lines, $size bytes"

# now_ns: the time in nanoseconds (GNU date).
now_ns() {
	date +%s%N
}

# measure NAME CMD...: prints "NAME: mean X ms, min Y ms (R runs, TOOL)"
# and sets mean_ms.
measure() {
	name=$1
	shift
	if [ -z "$JLBENCH_NO_HYPERFINE" ] &&
	    command -v hyperfine >/dev/null 2>&1; then
		hyperfine --style none --shell none --warmup 2 --runs "$runs" \
		    --export-csv "$tmp/h.csv" "$*" >"$tmp/h.out" 2>&1 || {
			cat "$tmp/h.out" >&2
			exit 1
		}
		# command,mean,stddev,median,user,system,min,max (seconds);
		# counted from the end, as the command may hold commas.
		read -r mean_ms min_ms sd_ms <<EOF
$(awk -F, 'NR == 2 {
	printf "%.1f %.1f %.1f\n", $(NF - 6) * 1000, $(NF - 1) * 1000,
	    $(NF - 5) * 1000
}' "$tmp/h.csv")
EOF
		echo "$name: mean $mean_ms ms, min $min_ms ms, sd $sd_ms ms" \
		    "($runs runs, hyperfine)"
		return
	fi
	"$@" >/dev/null 2>&1 # warm the cache
	i=0
	: >"$tmp/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(now_ns)
		"$@" >/dev/null 2>&1 || {
			echo "parse.sh: $* failed" >&2
			exit 1
		}
		t1=$(now_ns)
		echo $((t1 - t0)) >>"$tmp/times"
		i=$((i + 1))
	done
	read -r mean_ms min_ms <<EOF
$(awk '
	NR == 1 || $1 < min { min = $1 }
	{ sum += $1 }
	END { printf "%.1f %.1f\n", sum / NR / 1e6, min / 1e6 }
' "$tmp/times")
EOF
	echo "$name: mean $mean_ms ms, min $min_ms ms ($runs runs, date +%s%N)"
}

measure "check" "$JAILCTL" -f "$conf" check
check_ms=$mean_ms
measure "list" "$JAILCTL" -f "$conf" -q list

if awk -v m="$check_ms" -v t="$target" 'BEGIN { exit !(m <= t) }'; then
	echo "check: within the ${target} ms target"
else
	echo "check: OVER the ${target} ms target (mean $check_ms ms)"
	exit 1
fi
