#!/bin/sh
# Debian's kernel for the cgroup-v2 VM, fetched without installing it.
#
#	sh tests/vm/kernel.sh [VMDIR]
#
# VMDIR (default build/vm) gets, once, and is reused after:
#	vmlinux		the ELF kernel (boots ~3x faster than the bzImage
#			under TCG)
#	lib/modules/VERSION/	its modules, with a modules.dep (busybox
#			depmod: the package ships none)
#	version		VERSION
# Prints VMDIR's kernel version.  The package is the one linux-image-amd64
# depends on (apt-get download: nothing is installed, dpkg is not touched).
set -eu
export LC_ALL=C
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
vm=${1:-${VMDIR:-$repo/build/vm}}
mkdir -p "$vm"

if [ -s "$vm/vmlinux" ] && [ -s "$vm/version" ] &&
    [ -s "$vm/lib/modules/$(cat "$vm/version")/modules.dep" ]; then
	cat "$vm/version"
	exit 0
fi

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	echo "kernel.sh: linux-image-amd64 names no kernel package" \
	    "(apt-get update?)" >&2
	exit 1
fi

tmp=$(mktemp -d "$vm/kernel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# apt drops to the _apt user for downloads: let it write here.
chmod 755 "$tmp"
chown _apt "$tmp" 2>/dev/null || true
(cd "$tmp" && apt-get download -q "$pkg" >&2)
deb=$(ls "$tmp"/*.deb)
mkdir "$tmp/x"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" ./boot ./lib/modules

ver=$(ls "$tmp/x/lib/modules")
bz=$tmp/x/boot/vmlinuz-$ver
[ -f "$bz" ] || { echo "kernel.sh: no $bz in $deb" >&2; exit 1; }

# The bzImage holds the kernel as one xz stream: find its magic
# (FD 37 7A 58 5A 00) and decompress from there; xz stops at the end of
# the stream and complains of the trailing bytes, which is expected.
off=$(grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || { echo "kernel.sh: no xz stream in $bz" >&2; exit 1; }
tail -c +"$((off + 1))" "$bz" | xz -dc >"$tmp/vmlinux" 2>/dev/null || true
case $(od -A n -N 4 -t x1 "$tmp/vmlinux" 2>/dev/null | tr -d ' ') in
7f454c46) ;;
*) echo "kernel.sh: $bz did not give an ELF kernel" >&2; exit 1 ;;
esac

busybox depmod -b "$tmp/x" "$ver"
rm -rf "$vm/lib/modules/$ver" "$vm/vmlinux"
mkdir -p "$vm/lib/modules"
mv "$tmp/x/lib/modules/$ver" "$vm/lib/modules/$ver"
mv "$tmp/vmlinux" "$vm/vmlinux"
echo "$ver" >"$vm/version"
echo "$ver"
