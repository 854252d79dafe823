#!/bin/sh
# Runs every tests/integration/t_*.sh, in name order, each with sh, and
# totals their TAP.  A script prints "1..N" (first or last) and one "ok" or
# "not ok" line per check; it exits 0, 1 when a check failed, or 77 when it
# skips itself.  Counted as a failure besides its "not ok" lines: a script
# whose plan is missing or does not match the checks it printed, one that
# exits with another status (or 1 with no failed check), one that runs past
# JLTEST_TIMEOUT seconds (default 600), and anything the suite leaves
# behind on the host (leakcheck.sh).
#
#	sh tests/integration/run.sh [t_name.sh ...]
#
# Environment: JAILCTL (default build/jailctl), JLTEST_TIMEOUT, TMPDIR.
# The last line is "N passed, N failed[, N skipped]"; the exit status is 1
# when anything failed.

export LC_ALL=C
dir=$(cd "$(dirname "$0")" && pwd -P) || exit 1
repo=$(cd "$dir/../.." && pwd -P) || exit 1

: "${JAILCTL:=$repo/build/jailctl}"
case $JAILCTL in
/*) ;;
*/*) JAILCTL=$(pwd -P)/$JAILCTL ;;
esac
export JAILCTL
: "${JLTEST_TIMEOUT:=600}"

passed=0
failed=0
skipped=0

# The host's state before the first test; the directory is not named
# jltest.* so that it is not itself a leftover.
snap=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") || exit 1
trap 'rm -rf "$snap"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
if ! sh "$dir/leakcheck.sh" snapshot "$snap/suite"; then
	echo "run.sh: cannot take a snapshot of the host" >&2
	exit 1
fi

# The scripts named, else every t_*.sh (the glob sorts, in the C locale).
if [ $# -eq 0 ]; then
	set -- "$dir"/t_*.sh
fi

if command -v timeout >/dev/null 2>&1; then
	limit="timeout -k 10 $JLTEST_TIMEOUT"
else
	limit=
fi

for t in "$@"; do
	case $t in
	*/*) ;;
	*) t=$dir/$t ;;
	esac
	name=${t##*/}
	if [ ! -f "$t" ]; then
		failed=$((failed + 1))
		echo "not ok - $name: no such test script"
		continue
	fi
	echo "# $name"
	sh "$dir/leakcheck.sh" snapshot "$snap/one" >/dev/null 2>&1
	# The script's TAP is shown as it comes and kept to be counted; its
	# stderr is shown after it, as diagnostics.
	{
		$limit sh "$t" 2>"$snap/stderr" </dev/null
		echo $? >"$snap/status"
	} | tee "$snap/tap"
	st=$(cat "$snap/status")
	sed 's/^/# stderr: /' "$snap/stderr"
	# ok, not ok, skipped checks, the plan's N (or -1) and how many
	# plans there were.
	read -r p f s plan nplans <<EOF
$(awk '
		/^ok [0-9]+/ {
			if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++
			next
		}
		/^not ok [0-9]+/ {
			if ($0 ~ /# *[Tt][Oo][Dd][Oo]/) p++; else f++
			next
		}
		/^1\.\.[0-9]+/ { split($1, a, /\.\./); plan = a[2]; np++ }
		END { print p + 0, f + 0, s + 0, (np ? plan : -1), np + 0 }
	' "$snap/tap")
EOF
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$st" -eq 77 ]; then
		skipped=$((skipped + 1))
		echo "# $name: skipped"
	else
		bad=
		if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
			[ -n "$limit" ] &&
			    bad="timed out after $JLTEST_TIMEOUT s (status $st)"
		fi
		if [ -n "$bad" ]; then
			:
		elif [ "$st" -ne 0 ] && { [ "$st" -ne 1 ] || [ "$f" -eq 0 ]; }; then
			bad="exited with status $st"
		elif [ "$nplans" -ne 1 ]; then
			bad="printed $nplans plans, not one"
		elif [ "$plan" -ne $((p + f + s)) ]; then
			bad="planned $plan checks, ran $((p + f + s))"
		fi
		if [ -n "$bad" ]; then
			failed=$((failed + 1))
			echo "not ok - $name: $bad"
		fi
	fi
	if ! left=$(sh "$dir/leakcheck.sh" compare "$snap/one" 2>&1); then
		printf '%s\n' "$left" | sed "s/^/# after $name: /"
	fi
	rm -rf "$snap/one"
done

# After the last test: anything new on the host is a failure.
if left=$(sh "$dir/leakcheck.sh" compare "$snap/suite" 2>&1); then
	passed=$((passed + 1))
	echo "ok - the suite left nothing behind"
else
	failed=$((failed + 1))
	echo "not ok - the suite left something behind"
	printf '%s\n' "$left" | sed 's/^/# /'
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
