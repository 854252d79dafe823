#!/bin/sh
# Builds the security probes, static (a jail's busybox tree has no libc):
# each tests/security/probes/NAME.c becomes OUTDIR/NAME.
#
#	sh tests/security/build.sh OUTDIR
#
# Exit 0 when all are built, 77 when this host cannot build static
# programs (no cc, or no static libc), 1 when a probe does not compile.
# Environment: CC (default cc).

export LC_ALL=C
dir=$(cd "$(dirname "$0")" && pwd -P) || exit 1
out=${1:?usage: build.sh OUTDIR}
: "${CC:=cc}"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "build.sh: $CC: not found" >&2
	exit 77
fi
mkdir -p "$out" || exit 1
# Can this compiler link a static program at all?
printf 'int main(void) { return 0; }\n' >"$out/.static.c"
if ! "$CC" -static -o "$out/.static" "$out/.static.c" >"$out/.static.log" 2>&1
then
	echo "build.sh: $CC cannot link a static program:" >&2
	cat "$out/.static.log" >&2
	rm -f "$out/.static" "$out/.static.c" "$out/.static.log"
	exit 77
fi
rm -f "$out/.static" "$out/.static.c" "$out/.static.log"

rc=0
for src in "$dir"/probes/*.c; do
	name=${src##*/}
	name=${name%.c}
	if ! "$CC" -static -O2 -Wall -Wextra -I "$dir/probes" \
	    -o "$out/$name" "$src"; then
		echo "build.sh: $name.c does not compile" >&2
		rc=1
	fi
done
exit $rc
