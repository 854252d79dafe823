#!/bin/sh
# User namespaces, on the real kernel.
#
# A jail with userns.uidmap / userns.gidmap or "userns = auto" runs in a
# user namespace of its own: root inside is an unprivileged id outside.
# Checked here: the map inside and the ids its processes and files have
# on the host; a copied tree shifted into the range (a set-user-ID root
# file of the template becomes the mapped root's, so it grants nothing
# outside); a thin (overlay) jail over an idmapped template that stays
# unchanged; a plain tree (not made by create) keeps host ownership,
# shows host root as 65534, and its host-root set-user-ID file gives
# nothing even with allow.setuid; nested user namespaces refused; the
# jail's capabilities reach nothing owned by host root (a read-write
# nullfs of a host directory); "userns = auto" choosing disjoint ranges,
# recording them, failing cleanly when none is free and reusing a range
# after destroy; explicit maps with host id 0 or overlapping another
# jail's refused by check and at start; exec -u nobody; nothing left.
#
# The id ranges come from a subuid file of the test's own
# (JAILCTL_SUBUID, JAILCTL_SUBGID): /etc/subuid is never read or written.
# Explicit maps use ids above that file's range.

# shellcheck source=seclib.sh
. "$(dirname "$0")/seclib.sh"

# A thin jail's holder mounts its overlay as the mapped root: the
# directories above its layers must let "other" search them (mktemp -d
# made TMPD 0700).  A bind of path works below 0700: see u_closed below.
chmod 711 "$TMPD" || bail_out "chmod 711 $TMPD"

# Two 65536-id ranges for "userns = auto": a third jail finds none.
R1=1065536
R2=$((R1 + 65536))
SUBID=$TMPD/subid
echo "root:$R1:131072" >"$SUBID"
JAILCTL_SUBUID=$SUBID
JAILCTL_SUBGID=$SUBID
export JAILCTL_SUBUID JAILCTL_SUBGID
# Explicit maps, outside the subid range.
P1=2000000
P2=2100000
P3=2200000

# The template store: busybox, the probes, probes/suid set-user-ID root.
TPL=$TMPD/templates/busybox
cp -a "$BB" "$TPL" || bail_out "cp -a $BB $TPL"
cp -a "$PROBES" "$TPL/probes" || bail_out "cp $PROBES $TPL"
{ chown 0:0 "$TPL/probes/suid" && chmod 4755 "$TPL/probes/suid"; } ||
	bail_out "cannot make $TPL/probes/suid set-user-ID root"

# tree_sig DIR: every entry's path, type, owner, mode, size and, for
# files, content checksum: changes when anything in DIR does.
tree_sig() {
	(cd "$1" && find . -printf '%p %y %U:%G %m %s %l\n' | sort &&
	    find . -type f -exec md5sum {} + | sort) | md5sum | cut -d' ' -f1
}
TPLSIG0=$(tree_sig "$TPL")

# A host directory owned by host root, bound read-write into u_copy.
HOSTRW=$TMPD/hostrw
mkdir -p "$HOSTRW" && chmod 755 "$HOSTRW"
echo host >"$HOSTRW/rootfile" && chmod 644 "$HOSTRW/rootfile"
echo secret >"$HOSTRW/secret" && chmod 600 "$HOSTRW/secret"
HOSTRWSIG=$(tree_sig "$HOSTRW")

JD=$TMPD/jails
mkdir -p "$JD"

# blk NAME LINE...: a jail block in $CONF whose path is $JD/NAME (made
# by create, not by defjail).
blk() {
	_bl_n=$1
	shift
	{
		printf '%s {\n' "$_bl_n"
		printf '\tpath = "%s";\n' "$JD/$_bl_n"
		printf '\thost.hostname = "%s.jltest.test";\n' \
		    "$(echo "$_bl_n" | tr _ -)"
		printf '\tstop.timeout = 2;\n'
		for _bl_l in "$@"; do
			printf '\t%s\n' "$_bl_l"
		done
		printf '}\n'
	} >>"$CONF"
}

blk u_copy 'persist;' 'template = busybox;' 'create.method = copy;' \
    'userns = auto;' \
    "mount = \"$HOSTRW $JD/u_copy/mnt nullfs rw 0 0\";" \
    "exec.start = \"cat /proc/self/uid_map >/hook.map\", \"sleep $SLP >/dev/null 2>&1 &\";"
blk u_thin 'persist;' 'template = busybox;' 'create.method = overlay;' \
    'userns = auto;'
blk u_third 'template = busybox;' 'create.method = copy;' 'userns = auto;'
defjail u_plain 'persist;' 'allow.setuid;' \
    "userns.uidmap = \"0 $P1 65536\";" "userns.gidmap = \"0 $P1 65536\";"
# A tree below a directory that only host root may search.
{ mkdir -p "$TMPD/closed" && chmod 700 "$TMPD/closed" &&
    cp -a "$BB" "$TMPD/closed/root"; } || bail_out "cp -a $BB $TMPD/closed/root"
cat >>"$CONF" <<EOF
u_closed {
	path = "$TMPD/closed/root";
	host.hostname = "u-closed.jltest.test";
	stop.timeout = 2;
	userns.uidmap = "0 $P3 65536";
	userns.gidmap = "0 $P3 65536";
}
EOF
defjail u_one "userns.uidmap = \"0 $P2 65536\";" \
    "userns.gidmap = \"0 $P2 65536\";"

conf_ok

# ids_in LO COUNT: "PID NAME STATE UID" of each host process, zombies
# left out, whose real or effective uid is in LO .. LO+COUNT-1.
ids_in() {
	for _ii_f in /proc/[0-9]*/status; do
		awk -v lo="$1" -v n="$2" -v f="$_ii_f" '
		/^Name:/ { name = $2 }
		/^State:/ { st = $2 }
		/^Uid:/ {
			if (($2 >= lo && $2 < lo + n) || ($3 >= lo && $3 < lo + n))
				u = $2
		}
		END {
			if (u != "" && st != "Z" && st != "X") {
				sub(/^\/proc\//, "", f)
				sub(/\/status$/, "", f)
				print f, name, st, u
			}
		}' "$_ii_f" 2>/dev/null
	done
}

# no_jail_ids: no process of any of the test's ranges is left.
# shellcheck disable=SC2317 # called through wait_for
no_jail_ids() {
	[ -z "$(ids_in "$R1" 131072; ids_in "$P1" 65536; ids_in "$P2" 65536)" ]
}

# denied DESC: the command jc ran failed with EACCES or EPERM.
denied() {
	if [ "$rc" -ne 0 ] && printf '%s\n' "$err" |
	    grep -Eqi 'permission denied|not permitted'; then
		pass "$1"
	else
		fail "$1" "exit status $rc" "stdout: $out" "stderr: $err"
	fi
}

# --- create: auto ranges, disjoint, recorded; the copy shifted ------------

jc create u_copy
is_rc 0 "auto: create u_copy (copy)"
jc create u_thin
is_rc 0 "auto: create u_thin (overlay)"
is "$(sed -n 's/^uidmap=//p' "$STATE/u_copy/state" 2>&1)" "0 $R1 65536" \
    "auto: u_copy's state records uidmap=0 $R1 65536 (the lowest free range)"
is "$(sed -n 's/^gidmap=//p' "$STATE/u_copy/state" 2>&1)" "0 $R1 65536" \
    "auto: u_copy's state records gidmap=0 $R1 65536"
is "$(sed -n 's/^uidmap=//p' "$STATE/u_thin/state" 2>&1)" "0 $R2 65536" \
    "auto: u_thin's state records the next, disjoint range (0 $R2 65536)"
is "$(sed -n 's/^gidmap=//p' "$STATE/u_thin/state" 2>&1)" "0 $R2 65536" \
    "auto: u_thin's state records gidmap=0 $R2 65536"
is "$(grep -E '^(uid|gid)map=' "$JD/.u_copy.jail" 2>&1)" "uidmap=0 $R1 65536
gidmap=0 $R1 65536" "auto: the created record beside the tree has the maps"

is "$(stat -c '%u:%g' "$JD/u_copy" "$JD/u_copy/bin/busybox" \
    "$JD/u_copy/etc/passwd" 2>&1 | sort -u)" "$R1:$R1" \
    "copy: the tree is shifted: host root's files are $R1's (ls -n)"
n=$(find "$JD/u_copy" \( ! -uid "$R1" -o ! -gid "$R1" \) 2>/dev/null |
    head -5)
is "$n" "" "copy: no file of the copy is left outside the range"
is "$(stat -c '%a %u %g' "$JD/u_copy/probes/suid" 2>&1)" "4755 $R1 $R1" \
    "copy: the template's set-user-ID root file is the mapped root's, bit kept"
is "$(stat -c '%u:%g' "$TPL/bin/busybox" "$TPL/probes/suid" 2>&1 |
    sort -u)" "0:0" "copy: the template itself still belongs to host root"
# Run on the host by nobody, it gives the mapped root, not root.
if command -v setpriv >/dev/null 2>&1; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$JD/u_copy/probes/suid"
	is "$rc:$out" "0:suid: euid=$R1 ruid=65534 capeff=$ZERO" \
	    "copy: on the host the shifted set-user-ID file gives euid $R1, no capability"
else
	skip "copy: on the host the shifted set-user-ID file gives euid $R1, no capability" \
	    "no setpriv"
fi

# --- no free range; the range reused after destroy ------------------------

jc create u_third
is "$rc" 1 "auto: a third jail when both ranges are taken: exit 1"
has_line "$err" \
    "jailctl: create u_third: userns = auto: no free 65536-id range in $SUBID for root" \
    "auto: ... with the message"
left=
for f in "$JD/u_third" "$JD/.u_third.jail" "$JD/.u_third.overlay" \
    "$STATE/u_third"; do
	[ -e "$f" ] && left="$left $f"
done
is "$left" "" "auto: ... and nothing left (no tree, record or state)"

# --- the copied jail running ----------------------------------------------

jc start u_copy
is_rc 0 "copy: start u_copy"
jc exec u_copy sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
is "$rc:$(printf '%s\n' "$out" | tr -s ' \t' ' ' | sed 's/^ //')" "0:0
0
0 $R1 65536
0 $R1 65536" "copy: root inside is uid 0; uid_map and gid_map show 0 $R1 65536"
is "$(tr -s ' \t' ' ' <"$JD/u_copy/hook.map" 2>&1 | sed 's/^ //')" \
    "0 $R1 65536" "copy: exec.start runs in the user namespace"
is "$(stat -c '%u:%g' "$JD/u_copy/hook.map" 2>&1)" "$R1:$R1" \
    "copy: the file exec.start wrote is $R1's on the host"
if wait_for 3 has_our_sleep; then
	p=$(our_sleep)
	is "$(host_status "$p" Uid | tr -s ' \t' ' ')" "$R1 $R1 $R1 $R1" \
	    "copy: a process the jail left running is uid $R1 on the host"
else
	fail "copy: a process the jail left running is uid $R1 on the host" \
	    "no \"sleep $SLP\" on the host"
fi
h=$(sed -n 's/^pid=//p' "$STATE/u_copy/state")
is "$(host_status "$h" Uid | tr -s ' \t' ' ')" "$R1 $R1 $R1 $R1" \
    "copy: the holder is uid $R1 on the host"
jc exec u_copy sh -c 'echo new >/newfile; mkdir /newdir'
is_rc 0 "copy: root inside writes its tree"
is "$(stat -c '%u:%g' "$JD/u_copy/newfile" "$JD/u_copy/newdir" 2>&1 |
    sort -u)" "$R1:$R1" "copy: a file made inside is owned by $R1 on the host"
jc exec u_copy stat -c '%u:%g %a' /probes/suid /etc/passwd
is "$rc:$out" "0:0:0 4755
0:0 644" "copy: inside, the shifted files are root's"

jc exec u_copy grep Cap /proc/self/status
caps_is "$(root_caps "$BASE")" \
    "copy: root inside has the jail's default set (in its namespace)"

# Nested user namespaces.
jc exec u_copy unshare -U true
denied "nested: unshare -U is refused"
jc exec u_copy unshare -Ur true
denied "nested: unshare -Ur is refused"
jc exec -u nobody u_copy unshare -Ur true
denied "nested: unshare -Ur is refused to nobody too"
jc exec u_copy /probes/sysprobe unshare_user clone_user
probe_is unshare_user EPERM "nested: unshare(CLONE_NEWUSER) fails EPERM"
probe_is clone_user EPERM "nested: clone(CLONE_NEWUSER) fails EPERM"

# Capabilities inside reach nothing that host root owns.
jc exec u_copy stat -c '%u:%g' /mnt/rootfile
is "$rc:$out" "0:65534:65534" \
    "hostrw: a host root file bound into the jail shows as 65534"
jc exec u_copy sh -c 'echo x >>/mnt/rootfile'
denied "hostrw: root inside cannot write a host root 0644 file (CAP_DAC_OVERRIDE is the namespace's)"
jc exec u_copy cat /mnt/secret
denied "hostrw: root inside cannot read a host root 0600 file"
jc exec u_copy touch /mnt/newfile
denied "hostrw: root inside cannot create a file in a host root 0755 directory"
jc exec u_copy chmod 666 /mnt/rootfile
denied "hostrw: root inside cannot chmod a host root file (CAP_FOWNER)"
jc exec u_copy chown 0:0 /mnt/rootfile
denied "hostrw: root inside cannot chown a host root file (CAP_CHOWN)"
is "$(tree_sig "$HOSTRW")" "$HOSTRWSIG" "hostrw: the host directory is unchanged"
# The control: the same capability works on the jail's own files.
jc exec u_copy sh -c 'echo a >/f0; chmod 0 /f0; echo b >>/f0; cat /f0'
is "$rc:$out" "0:a
b" "hostrw control: CAP_DAC_OVERRIDE works on the jail's own mode-0 file"

# exec -u nobody: ids from the jail's passwd, nobody's id mapped.
jc exec -u nobody u_copy sh -c 'id; touch /tmp/bynobody'
is "$rc:$out" "0:uid=65534(nobody) gid=65534(nogroup)" \
    "copy: exec -u nobody runs as nobody (the jail's passwd)"
if [ "$rc:$out" != "0:uid=65534(nobody) gid=65534(nogroup)" ]; then
	diag "stderr: $err"
fi
is "$(stat -c '%u:%g' "$JD/u_copy/tmp/bynobody" 2>&1)" \
    "$((R1 + 65534)):$((R1 + 65534))" \
    "copy: nobody's file is $((R1 + 65534)) on the host"
jc exec -u nobody u_copy /probes/suid
is "$rc:$out" "0:suid: euid=65534 ruid=65534 capeff=$ZERO" \
    "copy: the template's set-user-ID file gives nobody nothing (no_new_privs)"

# --- the thin jail: an idmapped template ----------------------------------

is "$(stat -c '%u:%g' "$JD/.u_thin.overlay/upper" \
    "$JD/.u_thin.overlay/work" 2>&1 | sort -u)" "$R2:$R2" \
    "overlay: the upper and work layers belong to the mapped root"
is "$(tree_sig "$TPL")" "$TPLSIG0" "overlay: template unchanged by create"
jc start u_thin
is_rc 0 "overlay: start u_thin"
jc exec u_thin sh -c 'cat /proc/self/uid_map; stat -c "%u:%g %a" /bin/busybox /etc/passwd /probes/suid /'
is "$rc:$(printf '%s\n' "$out" | tr -s ' \t' ' ' | sed 's/^ //')" "0:0 $R2 65536
0:0 755
0:0 644
0:0 4755
0:0 755" "overlay: inside, the template's files appear owned by 0"
jc exec u_thin sh -c 'echo thin >/newfile; echo more >>/etc/hosts; mkdir /newdir'
is_rc 0 "overlay: root inside writes, and changes a template file"
is "$(stat -c '%u:%g' "$JD/.u_thin.overlay/upper/newfile" \
    "$JD/.u_thin.overlay/upper/newdir" \
    "$JD/.u_thin.overlay/upper/etc/hosts" 2>&1 | sort -u)" "$R2:$R2" \
    "overlay: new and copied-up files land in the upper layer owned by $R2"
is "$(tree_sig "$TPL")" "$TPLSIG0" \
    "overlay: the template is unchanged after writes inside"
is "$(stat -c '%u:%g' "$TPL" "$TPL/etc/hosts" 2>&1 | sort -u)" "0:0" \
    "overlay: the template still belongs to host root"
jc exec -u nobody u_thin id
is "$rc:$out" "0:uid=65534(nobody) gid=65534(nogroup)" \
    "overlay: exec -u nobody works"
# The idmapped lower layer is the jail's: not a mount on the host.
is "$(mounts_under "$TMPD")" "" \
    "overlay: no mount of the jail (idmapped lower layer included) on the host"

# --- a plain tree (not created): host ownership kept ----------------------

PR=$(root_of u_plain)
chown 0:0 "$PR/probes/suid" && chmod 4755 "$PR/probes/suid"
cp -p "$PR/probes/suid" "$PR/probes/suid_mapped" &&
    chown "$P1:$P1" "$PR/probes/suid_mapped" &&
    chmod 4755 "$PR/probes/suid_mapped"
PRSIG=$(cd "$PR" && find . -path ./probes/suid_mapped -prune -o \
    -printf '%p %U:%G %m\n' | sort | md5sum)
jc start u_plain
is_rc 0 "plain: start u_plain (explicit maps)"
jc exec u_plain sh -c 'id -u; cat /proc/self/uid_map'
is "$rc:$(printf '%s\n' "$out" | tr -s ' \t' ' ' | sed 's/^ //')" "0:0
0 $P1 65536" "plain: root inside, uid_map 0 $P1 65536"
jc exec u_plain stat -c '%u:%g %a' /probes/suid /bin/busybox
is "$rc:$out" "0:65534:65534 4755
65534:65534 755" "plain: host root's files show as 65534 inside"
jc exec -u nobody u_plain /probes/suid
is "$rc:$out" "0:suid: euid=65534 ruid=65534 capeff=$ZERO" \
    "plain: a host-root set-user-ID file gives nobody nothing, even with allow.setuid"
jc exec -u nobody u_plain /probes/suid_mapped
is "$rc:$out" "0:suid: euid=0 ruid=65534 capeff=$(hexmask "$BASE")" \
    "plain control: one owned by the jail's root gives euid 0 with allow.setuid"
jc exec u_plain sh -c 'echo x >>/etc/hosts'
denied "plain: root inside cannot write the tree's host-root files"
is "$(cd "$PR" && find . -path ./probes/suid_mapped -prune -o \
    -printf '%p %U:%G %m\n' | sort | md5sum)" "$PRSIG" \
    "plain: the tree's ownership is unchanged (nothing shifted)"

# An explicit map overlapping a running jail's: refused at start.
CLASH=$TMPD/clash.conf
cat >"$CLASH" <<EOF
u_clash {
	path = "$PR";
	userns.uidmap = "0 $((P1 + 1000)) 65536";
	userns.gidmap = "0 $((P1 + 1000)) 65536";
}
EOF
run bounded "$JAILCTL" -f "$CLASH" -s "$STATE" start u_clash
if [ "$rc" -ne 0 ] && printf '%s\n' "$err" | grep -q 'overlaps.*u_plain'; then
	pass "explicit: a map overlapping a running jail's is refused at start, naming it"
else
	fail "explicit: a map overlapping a running jail's is refused at start" \
	    "exit status $rc" "stderr: $err"
	[ "$rc" -eq 0 ] && bounded "$JAILCTL" -f "$CLASH" -s "$STATE" \
	    stop u_clash </dev/null >/dev/null 2>&1
fi
if [ -e "$STATE/u_clash" ]; then
	fail "explicit: ... and leaves no state" "$(ls -la "$STATE/u_clash")"
else
	pass "explicit: ... and leaves no state"
fi

# A one-off instance joins its user namespace.
jc exec u_one sh -c 'cat /proc/self/uid_map; echo one >/tmp/oneoff'
is "$rc:$(printf '%s\n' "$out" | tr -s ' \t' ' ' | sed 's/^ //')" \
    "0:0 $P2 65536" "one-off: exec in a one-off instance has the jail's map"
is "$(stat -c '%u:%g' "$(root_of u_one)/tmp/oneoff" 2>&1)" "$P2:$P2" \
    "one-off: the file it made is $P2's on the host"

# A path below a 0700 directory of host root's: the mapped root could not
# search it; the holder binds path before it becomes the mapped root.
jc exec u_closed true
is_rc 0 "closed: a jail whose path is below a 0700 directory runs"

# --- check: maps with host 0, overlapping maps ------------------------------

BAD=$TMPD/bad.conf
cat >"$BAD" <<EOF
b_root {
	path = "$TMPD/b_root";
	userns.uidmap = "0 0 65536";
	userns.gidmap = "0 3000000 65536";
}
b_root1 {
	path = "$TMPD/b_root1";
	userns.uidmap = "0 3100000 1000", "1000 0 1";
	userns.gidmap = "0 3100000 1000";
}
b_a {
	path = "$TMPD/b_a";
	userns.uidmap = "0 4000000 65536";
	userns.gidmap = "0 4000000 65536";
}
b_b {
	path = "$TMPD/b_b";
	userns.uidmap = "0 4060000 65536";
	userns.gidmap = "0 5000000 65536";
}
EOF
run bounded "$JAILCTL" -f "$BAD" -s "$STATE" check
is "$rc" 2 "check: maps with host id 0 or overlapping: exit 2"
like "$err" "^jailctl: $BAD:3: .*maps host id 0" \
    "check: \"0 0 65536\" refused with FILE:LINE"
like "$err" "^jailctl: $BAD:8: .*\"1000 0 1\" maps host id 0" \
    "check: a line mapping host 0 at inside 1000 refused with FILE:LINE"
like "$err" "^jailctl: $BAD:18: .*overlaps the map of jail \"b_a\"" \
    "check: an overlapping uid map refused with FILE:LINE"
unlike "$err" "^jailctl: $BAD:(13|14|19):" \
    "check: the maps that are fine are not blamed"

# --- stop, destroy: the range free again; nothing left --------------------

jc stop u_copy u_thin u_plain
is_rc 0 "stop: u_copy, u_thin, u_plain"
wait_for 3 _no_holders
wait_for 3 no_jail_ids
is "$(ids_in "$R1" 131072; ids_in "$P1" 65536; ids_in "$P2" 65536)" "" \
    "stop: no process left with a jail's host ids"
is "$(mounts_under "$TMPD")" "" "stop: no mount left under the test dir"
jc destroy u_copy
is_rc 0 "destroy: u_copy"
jc create u_third
is_rc 0 "auto: after destroy, u_third gets a range"
is "$(sed -n 's/^uidmap=//p' "$STATE/u_third/state" 2>&1)" "0 $R1 65536" \
    "auto: ... u_copy's, free again"
jc destroy u_third u_thin
is_rc 0 "destroy: u_third, u_thin"
is "$(tree_sig "$TPL")" "$TPLSIG0" "overlay: the template is unchanged after destroy"
left=
for f in "$JD"/* "$JD"/.[!.]* "$STATE"/*; do
	[ -e "$f" ] && left="$left $f"
done
is "$left" "" "destroy: no tree, record, layer or state left"

finish_all
