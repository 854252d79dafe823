#!/bin/sh
# The initrd of the cgroup-v2 VM: busybox-static, the modules for 9p over
# virtio and overlayfs, and an /init that boots into the host's own root,
# read-only, under a tmpfs overlay.
#
#	sh tests/vm/initrd.sh [VMDIR]
#
# Writes VMDIR/initrd.gz (VMDIR default build/vm, where kernel.sh put the
# kernel and its modules), unless it is newer than this script, the kernel
# and busybox.  Prints its path.
#
# What the VM does (run.sh passes the kernel command line):
#  /init	proc, sys, devtmpfs; modprobe; the share "hostroot" (the
#		host's /, read-only) as the lower layer of an overlay whose
#		upper is a tmpfs; proc, sys, cgroup2 (nsdelegate) with
#		+memory +pids +cpu (+cpuset +io when there) in the root's
#		cgroup.subtree_control, dev, dev/pts, dev/shm, tmpfs on /tmp and
#		/run (not on the one that holds the repository, vmio/repo); the
#		share "vmio" (writable, a temporary directory of the host's) on
#		/run/vmtest/io; switch_root into the overlay.
#  init2	(PID 1 in the new root) runs vmio/cmd with /bin/sh, as root,
#		JLTEST_VM=1 in its environment, stdin /dev/null, stdout and
#		stderr on the second serial port (the host streams it); then
#		writes its status to vmio/status, prints
#		"VMTEST: exit=N" on the console, and powers off.  Anything that
#		goes wrong before prints "VMTEST: setup failed: ..." and powers
#		off with no status.
set -eu
export LC_ALL=C
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
vm=${1:-${VMDIR:-$repo/build/vm}}
out=$vm/initrd.gz

# The modules /init loads, and so the initrd holds (with what they need).
MODULES="virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev
	virtio_pci 9pnet 9pnet_virtio netfs fscache 9p overlay"

ver=$(sh "$repo/tests/vm/kernel.sh" "$vm")
bb=$(command -v busybox) || { echo "initrd.sh: no busybox" >&2; exit 1; }
self=$repo/tests/vm/initrd.sh
if [ -s "$out" ] &&
    [ -z "$(find "$self" "$bb" "$vm/version" -newer "$out")" ]; then
	echo "$out"
	exit 0
fi
if command -v ldd >/dev/null 2>&1 && ldd "$bb" >/dev/null 2>&1; then
	echo "initrd.sh: $bb is not static (install busybox-static)" >&2
	exit 1
fi

mods=$vm/lib/modules/$ver
tmp=$(mktemp -d "$vm/initrd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
r=$tmp/root

mkdir -p "$r/bin" "$r/dev" "$r/proc" "$r/sys" "$r/lower" "$r/rw" \
    "$r/newroot" "$r/io" "$r/lib/modules/$ver"
cp "$bb" "$r/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
done
ln -s bin "$r/sbin"

# Each module named, and what modules.dep says it needs; a built-in one
# is skipped.
for m in $MODULES; do
	line=$(awk -v m="$m" '{
		f = $1; sub(/:$/, "", f); n = f; sub(/.*\//, "", n)
		sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n)
		if (n == m) { print; exit }
	}' "$mods/modules.dep")
	if [ -z "$line" ]; then
		if grep -q "/$m\.ko" "$mods/modules.builtin" 2>/dev/null; then
			continue
		fi
		echo "initrd.sh: no module $m in $mods" >&2
		exit 1
	fi
	for f in $(echo "$line" | tr -d :); do
		mkdir -p "$r/lib/modules/$ver/$(dirname "$f")"
		cp "$mods/$f" "$r/lib/modules/$ver/$f"
	done
done
cp "$mods/modules.builtin" "$mods/modules.order" "$r/lib/modules/$ver/"
"$bb" depmod -b "$r" "$ver"

cat >"$r/init" <<'EOS'
#!/bin/sh
# Stage 1 (PID 1 in the initramfs): see tests/vm/initrd.sh.
export PATH=/bin
die() {
	echo "VMTEST: setup failed: $*"
	poweroff -f
	sleep 60
}
mount -t proc proc /proc || die "proc"
mount -t sysfs sysfs /sys || die "sysfs"
mount -t devtmpfs devtmpfs /dev || die "devtmpfs"
exec </dev/console >/dev/console 2>&1
for m in MODULES_HERE; do
	modprobe "$m" || die "modprobe $m"
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 \
    hostroot /lower || die "9p hostroot"
mount -t tmpfs -o mode=0755 tmpfs /rw || die "tmpfs upper"
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
    overlay /newroot || die "overlay"
n=/newroot
mount -t proc proc $n/proc || die "proc in the new root"
mount -t sysfs sysfs $n/sys || die "sysfs in the new root"
mount -t cgroup2 -o nsdelegate cgroup2 $n/sys/fs/cgroup || die "cgroup2"
c=
for k in cpuset cpu io memory pids; do
	grep -qw $k $n/sys/fs/cgroup/cgroup.controllers && c="$c +$k"
done
for k in $c; do
	echo $k >$n/sys/fs/cgroup/cgroup.subtree_control ||
	    die "cannot enable $k"
done
mount -t devtmpfs devtmpfs $n/dev || die "dev in the new root"
mkdir -p $n/dev/pts $n/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $n/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $n/dev/shm
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 \
    vmio /io || die "9p vmio"
# Fresh /tmp and /run, unless the repository lives there.
repo=$(cat /io/repo)
case $repo in
/tmp/*) ;;
*) mount -t tmpfs -o mode=1777 tmpfs $n/tmp || die "tmp" ;;
esac
case $repo in
/run/*) ;;
*) mount -t tmpfs -o mode=0755 tmpfs $n/run || die "run" ;;
esac
mkdir -p $n/run/vmtest/io
mount --move /io $n/run/vmtest/io || die "cannot move vmio"
cp /bin/busybox /init2 $n/run/vmtest/ || die "cannot copy init2"
hostname vmtest
ip link set lo up
exec switch_root $n /run/vmtest/busybox sh /run/vmtest/init2
die "switch_root"
EOS
sed -i "s/MODULES_HERE/$(echo "$MODULES" | tr '\n\t' '  ')/" "$r/init"

cat >"$r/init2" <<'EOS'
# Stage 2 (PID 1 in the overlay root): see tests/vm/initrd.sh.
b=/run/vmtest/busybox
io=/run/vmtest/io
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8 SHELL=/bin/sh JLTEST_VM=1
if [ -r $io/cmd ] && [ -c /dev/ttyS1 ]; then
	$b stty -F /dev/ttyS1 raw -echo
	$b setsid /bin/sh $io/cmd </dev/null >/dev/ttyS1 2>&1
	st=$?
	echo $st >$io/status.tmp && $b mv $io/status.tmp $io/status
	echo "VMTEST: exit=$st"
else
	echo "VMTEST: setup failed: no $io/cmd or no /dev/ttyS1"
fi
$b sync
$b umount $io
$b poweroff -f
EOS
chmod 755 "$r/init"

(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
    gzip -1 >"$tmp/initrd.gz"
mv "$tmp/initrd.gz" "$out"
echo "$out"
