#!/bin/sh
# The jail lifecycle on the real kernel, as a user sees it: create, start,
# exec, stop, restart, destroy and list; hooks and their order, mount lines,
# rollback of a failed start, a jailctl killed half-way, and many jailctl
# processes on one jail at once.  Each test has its own directory $T (its
# jail.conf, its state in $T/state, its template store in $T/templates) and
# ends by checking that it left nothing behind: no holder, no process of
# its jails, no mount under $T, no state.  Then, and on any exit, whatever
# is left is stopped with jailctl, killed and unmounted.
#
# Root trees are copies of one busybox tree built once per run
# (templates/busybox/build).  Long-running processes the jails start are
# "sleep $SLP" or carry "jltest-$SLP" in their command line, so that the
# host can see whether they survived.

# Single quotes keep $ for the jail's shell (SC2016); the functions are
# also called through wait_for (SC2317); ls is for diagnostics (SC2012).
# shellcheck disable=SC2016,SC2317,SC2012
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=harness.sh
. "$(dirname "$0")/harness.sh"

need_jails

cd "$TMPD" || bail_out "cd $TMPD"

# A number of this run: sleeps of this length are ours.
SLP=$((860000 + $$ % 10000))
# Seconds any one jailctl may take before timeout(1) ends it: 30, and 10
# once two have timed out (a jailctl that hangs must not eat the run).
JC_LIMIT=30
NTIMEOUT=0
# The whole script's budget, below run.sh's JLTEST_TIMEOUT: past it, jailctl
# is not run any more (each call fails at once) and the script ends.
START_TIME=$(date +%s)
BUDGET=$((${JLTEST_TIMEOUT:-600} * 4 / 5))
# Background processes started here, killed by PID on exit.
BGPIDS=
# The host's state before the first test (leakcheck.sh), outside TMPD: a
# path holding "jltest" would make leakcheck see its own processes.
SNAP=$(mktemp -d "${TMPDIR:-/tmp}/jlleak.XXXXXX") ||
	bail_out "mktemp -d failed"
trap 'rm -rf "$TMPD" "$SNAP"' EXIT
sh "$REPO/tests/integration/leakcheck.sh" snapshot "$SNAP/host" ||
	bail_out "leakcheck.sh snapshot failed"

# --- helpers ------------------------------------------------------------

has_proc() {
	[ -n "$(procs_with "$1")" ]
}

# kill_ours: SIGKILL, by PID, to our long sleeps and marked processes.
kill_ours() {
	for _ko_p in $BGPIDS; do
		kill -9 "$_ko_p" 2>/dev/null
	done
	procs_with "sleep $SLP" | while read -r _ko_p _; do
		kill -9 "$_ko_p" 2>/dev/null
	done
	procs_with "jltest-$SLP" | while read -r _ko_p _; do
		kill -9 "$_ko_p" 2>/dev/null
	done
}

cleanup_all() {
	for _ca_d in "$TMPD"/*/; do
		[ -d "$_ca_d" ] && stop_all "${_ca_d%/}"
	done
	kill_ours
	jail_reap "$TMPD"
	rm -rf --one-file-system "$TMPD" "$SNAP"
}
trap cleanup_all EXIT

# begin NAME: a fresh test directory $T, with CONF, a host dir with a
# canary file, and a canary file outside any jail.
begin() {
	TN=$1
	T=$TMPD/$1
	CONF=$T/jail.conf
	mkdir -p "$T/state" "$T/templates" "$T/hostdir" ||
		bail_out "mkdir $T"
	: >"$CONF"
	: >"$T/.holders"
	echo "canary $TN" >"$T/canary"
	echo "host canary" >"$T/hostdir/canary"
	JAILCTL_TEMPLATES=$T/templates
	export JAILCTL_TEMPLATES
	diag "--- $TN"
}

# finish: the test left nothing behind (checked), then whatever it left is
# cleaned up by force.
finish() {
	wait_for 2 no_leftovers
	nothing_left "$TN: nothing left behind (holder, processes, mounts, state)"
	stop_all "$T"
	kill_ours
	jail_reap "$T"
}

# mkroot DIR: a copy of the busybox tree.
mkroot() {
	cp -a "$BB" "$1" || bail_out "cp -a $BB $1"
}

# block NAME PATH [LINE...]: appends a jail block to $CONF; each LINE is a
# statement, with its ";".
block() {
	_bl_n=$1
	_bl_p=$2
	shift 2
	{
		printf '%s {\n' "$_bl_n"
		printf '\tpath = "%s";\n' "$_bl_p"
		printf '\thost.hostname = "%s.jltest.test";\n' "$_bl_n"
		printf '\tstop.timeout = 2;\n'
		for _bl_l in "$@"; do
			printf '\t%s\n' "$_bl_l"
		done
		printf '}\n'
	} >>"$CONF"
}

# timed_out: counts a jailctl that timed out, and shortens the limit.
timed_out() {
	NTIMEOUT=$((NTIMEOUT + 1))
	err="$err${err:+
}(jailctl timed out or was not run: $(limit) s left)"
	if [ "$NTIMEOUT" -ge 2 ] && [ "$JC_LIMIT" -gt 10 ]; then
		JC_LIMIT=10
		diag "jailctl timed out $NTIMEOUT times: each call now gets 10 s"
	fi
}

# jc ARG...: jailctl with this test's configuration and state, bounded;
# sets rc, out, err.
jc() {
	run bounded "$JAILCTL" -f "$CONF" -s "$T/state" "$@"
	[ "$rc" -eq 124 ] && timed_out
}

# bg_jc ARG...: the same in the background, its PID in BG, its output in
# $T/bg.out and $T/bg.err.
bg_jc() {
	"$JAILCTL" -f "$CONF" -s "$T/state" "$@" </dev/null >"$T/bg.out" \
	    2>"$T/bg.err" &
	BG=$!
	BGPIDS="$BGPIDS $BG"
}

# list_state NAME: the STATE column of "jailctl list" for NAME; "(list
# failed)" or "(not listed)" otherwise.
list_state() {
	if ! _ls_o=$(bounded "$JAILCTL" -f "$CONF" -s "$T/state" \
	    list </dev/null 2>&1); then
		echo "(list failed: $_ls_o)"
		return
	fi
	printf '%s\n' "$_ls_o" | awk -v n="$1" '
		NR > 1 && $2 == n { s = $3 }
		END { print (s == "" ? "(not listed)" : s) }'
}

list_row() {
	bounded "$JAILCTL" -f "$CONF" -s "$T/state" list \
	    </dev/null 2>/dev/null | awk -v n="$1" 'NR > 1 && $2 == n'
}

not_holder() {
	! is_holder "$1"
}

no_mounts() {
	[ -z "$(mounts_under "$1")" ]
}

not_running() {
	[ "$(list_state "$1")" = stopped ]
}

# leftovers: what the current test has left on the host, a line each:
# processes whose command line names $T or one of our markers, holders
# seen during the test, mounts under $T, state entries.
leftovers() {
	procs_with "$T/" | sed 's/^/process /'
	procs_with "sleep $SLP" | sed 's/^/process /'
	procs_with "jltest-$SLP" | sed 's/^/process /'
	{
		sort -u "$T/.holders" | while IFS= read -r _lo_p; do
			is_holder "$_lo_p" && echo "$_lo_p"
		done
		holder_pids "$T"
	} | sort -u | while IFS= read -r _lo_p; do
		echo "holder $_lo_p is still running: $(awk '$5 == "/" {
		    print $4, $9, $10 }' "/proc/$_lo_p/mountinfo" 2>/dev/null)"
	done
	for _lo_m in $(mounts_under "$T"); do
		echo "mount $_lo_m"
	done
	for _lo_s in "$T"/state/*; do
		[ -e "$_lo_s" ] && echo "state $_lo_s: $(tr '\n' ' ' \
		    2>/dev/null <"$_lo_s/state")"
	done
}

# reap_now: between the cases of one test, as finish does.
reap_now() {
	stop_all "$T"
	kill_ours
	jail_reap "$T"
}

# The busybox tree every jail is copied from.
BB=$TMPD/busybox
if ! sh "$REPO/templates/busybox/build" "$BB" >"$TMPD/bb.log" 2>&1; then
	bail_out "templates/busybox/build failed: $(cat "$TMPD/bb.log")"
fi

# --- basic: isolation and exec ------------------------------------------

t_basic() {
	begin basic
	mkroot "$T/root"
	printf 'echo hi\n' >"$T/root/noexec.sh"
	chmod 0644 "$T/root/noexec.sh"
	# Two links out of the jail, if they were followed on the host.
	ln -s "../../../../../../../../../..$T/hostdir" "$T/root/escape"
	ln -s "$T/hostdir" "$T/root/escape2"
	block b1 "$T/root" 'persist;'
	conf_ok

	host_hn=$(hostname)
	jc start b1
	is_rc 0 "basic: start b1"
	is "$err" "" "basic: start b1 prints nothing on stderr"
	pid=$(holder_of b1)
	if wait_for 2 is_holder "$pid"; then
		pass "basic: the state names a running holder (comm jail-holder)"
	else
		fail "basic: the state names a running holder (comm jail-holder)" \
		    "pid \"$pid\", comm $(cat "/proc/$pid/comm" 2>&1)" \
		    "$(cat "$T/state/b1/state" 2>&1)"
	fi
	is "$(list_state b1)" running "basic: list shows b1 running"

	jc exec b1 hostname
	is_ro "0:b1.jltest.test" "basic: hostname inside is host.hostname"
	is "$(hostname)" "$host_hn" "basic: the host's hostname is unchanged"
	jc exec b1 cat /proc/1/comm
	is_ro "0:jail-holder" "basic: PID 1 inside is the holder"
	jc exec b1 sh -c 'ls -d /proc/[0-9]* | wc -l'
	n_in=$(printf '%s' "$out" | tr -d ' \n')
	n_host=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
	if [ "$rc" -eq 0 ] && [ "$n_in" -ge 1 ] 2>/dev/null &&
	    [ "$n_in" -le 4 ] && [ "$n_host" -gt 10 ]; then
		pass "basic: few processes inside ($n_in), many on the host ($n_host)"
	else
		fail "basic: few processes inside, many on the host" \
		    "inside (rc $rc): $out" "host: $n_host" "$err"
	fi
	# PID 1 is the holder, whose command line is that of the jailctl
	# that made it; any other process is the jail's own.
	jc exec b1 ps
	if [ "$rc" -eq 0 ]; then
		unlike "$(printf '%s\n' "$out" | awk '$1 != 1 && $1 != "PID"')" \
		    't_lifecycle|run\.sh|jailctl' \
		    "basic: ps inside shows no host process"
	else
		fail "basic: ps inside shows no host process" "rc $rc: $err"
	fi
	jc exec b1 cat /proc/net/dev
	is "$(printf '%s\n' "$out" | awk -F: 'NR > 2 { gsub(/ /, "", $1);
	    print $1 }')" lo "basic: a network stack of its own: only lo"
	jc exec b1 ip link show lo
	like "$out" '<([^>]*,)?UP[,>]' "basic: lo is up"
	jc exec b1 sh -c 'echo ok >/dev/null && echo ok'
	is_ro "0:ok" "basic: /dev/null works inside"

	jc exec b1 sh -c 'echo inside >/inside.txt; echo pwned >"$1";
	    echo pwned >/../../canary; :' sh "$T/canary"
	is "$(cat "$T/root/inside.txt" 2>&1)" inside \
	    "basic: a file written inside lands in path"
	is "$(cat "$T/canary")" "canary basic" \
	    "basic: a host file outside path is untouched"

	# Exit statuses.
	jc exec b1 true
	is_rc 0 "basic: exec true: 0"
	jc exec b1 sh -c 'exit 3'
	is_rc 3 "basic: exec sh -c 'exit 3': 3"
	jc exec b1 -- sh -c 'exit 4'
	is_rc 4 "basic: exec NAME -- CMD: 4"
	jc exec b1 nosuchcommand
	is_rc 127 "basic: exec of a command that does not exist: 127"
	jc exec b1 /no/such/file
	is_rc 127 "basic: exec of a path that does not exist: 127"
	jc exec b1 /noexec.sh
	is_rc 126 "basic: exec of a file that is not executable: 126"
	jc exec b1 sh -c 'kill -9 $$'
	is_rc 137 "basic: killed by SIGKILL: 137"
	jc exec b1 sh -c 'kill -TERM $$'
	is_rc 143 "basic: killed by SIGTERM: 143"
	jc exec b1 sh -c 'kill -INT $$'
	is_rc 130 "basic: killed by SIGINT: 130"
	jc exec nosuchjail true
	is_rc 125 "basic: exec on a jail not defined: 125"
	error_line "basic: exec on a jail not defined: a \"jailctl: \" error"

	# Standard streams.
	jc exec b1 echo hello
	is_ro "0:hello" "basic: the command's stdout comes through"
	printf 'line1\nline2\n' >"$T/in"
	run_in "$T/in" bounded "$JAILCTL" -f "$CONF" \
	    -s "$T/state" exec b1 cat
	is_ro "0:line1
line2" "basic: the command reads jailctl's stdin"
	jc exec b1 sh -c 'echo oops >&2; exit 0'
	is "$err" "oops" "basic: the command's stderr comes through"

	# Environment.
	JLTEST_SECRET=hunter2
	export JLTEST_SECRET
	jc exec -e FOO=bar -e 'SPACED=a b' b1 env
	unset JLTEST_SECRET
	is "$rc" 0 "basic: exec -e ... env: 0"
	has_line "$out" "FOO=bar" "basic: exec -e FOO=bar is in the environment"
	has_line "$out" "SPACED=a b" "basic: exec -e with a space in the value"
	unlike "$out" '^JLTEST_SECRET=' \
	    "basic: the host's environment does not reach the command"
	like "$out" '^PATH=/' "basic: PATH is set"
	bad=$(printf '%s\n' "$out" | sed -n 's/=.*//p' |
	    grep -Ev '^(PATH|HOME|USER|SHELL|TERM|FOO|SPACED)$')
	is "$bad" "" \
	    "basic: the environment is PATH HOME USER SHELL TERM and -e only"

	# A pty of its own (stdin is /dev/null here: nothing to relay).
	jc exec -t b1 sh -c 'tty; exit 7'
	is_rc 7 "basic: exec -t: the exit status passes through"
	like "$(printf '%s\n' "$out" | tr -d '\r')" '^/dev/pts/[0-9]+$' \
	    "basic: exec -t: the command runs on a new pty"

	# Descriptors: the host has 7 and 9 open.
	exec 7>"$T/fd7" 9<"$T/canary"
	jc exec b1 sh -c 'ls /proc/$$/fd; :'
	exec 7>&- 9<&-
	is "$rc:$(printf '%s\n' "$out" | tr '\n' ' ')" "0:0 1 2 " "basic: only fds 0, 1, 2 reach the command"

	# Working directory.
	jc exec -d /tmp b1 pwd
	is_ro "0:/tmp" "basic: exec -d /tmp"
	# ".." at the jail's root stays there, as at any root: inside
	jc exec -d /../.. b1 pwd
	is_ro "0:/" "basic: exec -d /../.. stays at the jail's own /"
	jc exec -d /escape b1 sh -c 'pwd; ls'
	is_rc 125 "basic: exec -d through a relative symlink out of the jail: 125"
	unlike "$out" canary "basic: ... and the command did not run in the host dir"
	jc exec -d /escape2 b1 sh -c 'pwd; ls'
	is_rc 125 "basic: exec -d through an absolute symlink to a host dir: 125"
	jc exec -d /no/such/dir b1 pwd
	is_rc 125 "basic: exec -d to a directory that does not exist: 125"

	# Restart: a new holder, the tree kept.
	jc restart b1
	is_rc 0 "basic: restart b1"
	pid2=$(holder_of b1)
	if is_holder "$pid2" && [ "$pid2" != "$pid" ] && ! is_holder "$pid"; then
		pass "basic: restart: a new holder, the old one gone"
	else
		fail "basic: restart: a new holder, the old one gone" \
		    "old $pid (holder: $(is_holder "$pid" && echo yes)), new $pid2"
	fi
	jc exec b1 cat /inside.txt
	is_ro "0:inside" "basic: restart: the jail's files are kept"

	jc stop b1
	is_rc 0 "basic: stop b1"
	is "$(list_state b1)" stopped "basic: list shows b1 stopped after stop"
	if is_holder "$pid2"; then
		fail "basic: stop: the holder is gone" "$pid2 still runs"
	else
		pass "basic: stop: the holder is gone"
	fi
	if [ -e "$T/state/b1" ]; then
		fail "basic: stop: no state left for a jail that create did not make" \
		    "$(ls -la "$T/state/b1")"
	else
		pass "basic: stop: no state left for a jail that create did not make"
	fi
	finish
}

# --- users: exec -u, -U, -l ---------------------------------------------

t_users() {
	begin users
	mkroot "$T/root"
	block u1 "$T/root" 'persist;'
	conf_ok
	jc start u1
	is_rc 0 "users: start u1"
	jc exec -U nobody u1 id -u
	is_ro "0:65534" "users: exec -U nobody: uid 65534"
	jc exec -U nobody u1 id -g
	is_ro "0:65534" "users: exec -U nobody: gid 65534"
	jc exec -u nobody u1 id -u
	is_ro "0:65534" "users: exec -u nobody: uid 65534"
	jc exec -U root u1 id -u
	is_ro "0:0" "users: exec -U root: uid 0"
	jc exec -U nosuchuser u1 true
	is_rc 125 "users: exec -U of a user the jail does not have: 125"
	jc exec -l u1 sh -c 'pwd; echo "$HOME $USER $SHELL"'
	is_ro "0:/root
/root root /bin/sh" "users: exec -l: in the user's home, HOME USER SHELL set"
	# The jail's /etc/passwd, a link out of the jail: not followed.
	printf 'evil:x:4242:4242::/:/bin/sh\n' >"$T/fakepasswd"
	mv "$T/root/etc/passwd" "$T/root/etc/passwd.real"
	ln -s "../../../../../../../../../..$T/fakepasswd" "$T/root/etc/passwd"
	jc exec -U evil u1 id -u
	is_rc 125 "users: exec -U: an /etc/passwd linking out of the jail is not read"
	unlike "$out" 4242 "users: ... and nothing ran as the host file's uid"
	rm -f "$T/root/etc/passwd"
	mv "$T/root/etc/passwd.real" "$T/root/etc/passwd"
	jc stop u1
	is_rc 0 "users: stop u1"
	finish
}

# --- hooks: order and environment ---------------------------------------

t_hooks() {
	begin hooks
	mkroot "$T/root"
	log=$T/root/hooks.log
	cat >"$T/hook.sh" <<EOF
echo "\$1 JNAME=\${JNAME-unset} JPATH=\${JPATH-unset} JID=\${JID-unset}" >>"$log"
EOF
	hk="sh $T/hook.sh"
	block h1 "$T/root" 'persist;' \
	    "exec.prepare = \"$hk prepare\";" \
	    "exec.prestart = \"$hk prestart\", \"$hk prestart2\";" \
	    "exec.created = \"$hk created\";" \
	    "exec.start = 'echo start \$(hostname) >>/hooks.log';" \
	    "exec.poststart = \"$hk poststart\";" \
	    "exec.prestop = \"$hk prestop\";" \
	    "exec.stop = 'echo stop \$(hostname) >>/hooks.log';" \
	    "exec.poststop = \"$hk poststop\";" \
	    "exec.release = \"$hk release\";"
	conf_ok
	jc start h1
	is_rc 0 "hooks: start h1"
	holder_of h1 >/dev/null
	is "$(awk '{ printf "%s ", $1 }' "$log" 2>&1)" \
	    "prepare prestart prestart2 created start poststart " \
	    "hooks: start runs prepare, prestart (both), created, start, poststart in order"
	has_line "$(cat "$log" 2>&1)" "start h1.jltest.test" \
	    "hooks: exec.start runs inside the jail (its hostname, its /)"
	bad=$(awk -v p="$T/root" '$1 != "start" && $1 != "stop" &&
	    ($2 != "JNAME=h1" || $3 != "JPATH=" p)' "$log" 2>&1)
	is "$bad" "" "hooks: JNAME and JPATH in the environment of every host hook"
	jid=$(list_row h1 | awk '{ print $1 }')
	hjid=$(awk '$1 == "created" { print $4 }' "$log" 2>/dev/null)
	case $jid in
	'' | *[!0-9]*)
		fail "hooks: JID in exec.created is the jail's JID (list)" \
		    "list shows JID \"$jid\"; exec.created had $hjid"
		;;
	*) is "$hjid" "JID=$jid" "hooks: JID in exec.created is the jail's JID (list)" ;;
	esac
	is "$(awk '$1 == "poststart" { print $4 }' "$log" 2>/dev/null)" \
	    "JID=$jid" "hooks: JID in exec.poststart"
	n=$(wc -l <"$log")
	jc stop h1
	is_rc 0 "hooks: stop h1"
	is "$(awk -v n="$n" 'NR > n { printf "%s ", $1 }' "$log" 2>&1)" \
	    "prestop stop poststop release " \
	    "hooks: stop runs prestop, stop (inside), poststop, release in order"
	is "$(awk '$1 == "prestop" { print $4 }' "$log" 2>/dev/null)" \
	    "JID=$jid" "hooks: JID in exec.prestop"

	# exec.system_user: host hooks as that user, read from the host's
	# /etc/passwd and /etc/group; a name not there is a clear error (a
	# static getpwnam once crashed jailctl on it: NSS loaded libc twice)
	nob=$(awk -F: '$1 == "nobody" { print $3 ":" $4 }' /etc/passwd)
	mkroot "$T/root2"
	mkroot "$T/root3"
	block h2 "$T/root2" 'persist;' 'exec.system_user = nobody;' \
	    "exec.prepare = 'echo sysuser \$(id -u):\$(id -g)';"
	block h3 "$T/root3" 'persist;' \
	    'exec.system_user = jltest-no-such-user;' \
	    "exec.prepare = 'echo never';"
	jc start h2
	is_rc 0 "hooks: start h2 (exec.system_user = nobody)"
	has_line "$out" "sysuser ${nob:-65534:65534}" \
	    "hooks: exec.system_user: exec.prepare runs as nobody ($nob)"
	jc stop h2
	is_rc 0 "hooks: stop h2"
	jc start h3
	is_rc 1 "hooks: exec.system_user of no such user: start fails (exit 1, no crash)"
	like "$err" 'exec.system_user: no user "jltest-no-such-user"' \
	    "hooks: exec.system_user of no such user: the error says so"
	unlike "$out" never "hooks: exec.system_user of no such user: no hook ran"
	finish
}

# --- hookfail: a failed start undoes itself -----------------------------

# fails NAME STEP DESC: start NAME fails naming STEP, and leaves nothing.
fails() {
	_t0=$(date +%s)
	jc start "$1"
	_t1=$(date +%s)
	is_rc 1 "hookfail: $3: start fails (exit 1)"
	like "$err" "^jailctl: start $1: $2" \
	    "hookfail: $3: the error names the step ($2)"
	error_line "hookfail: $3: one \"jailctl: \" error line"
	is "$(list_state "$1")" stopped "hookfail: $3: not running afterwards"
	wait_for 2 no_leftovers
	nothing_left "hookfail: $3: nothing left (process, holder, mount, state)"
	ELAPSED=$((_t1 - _t0))
	reap_now
}

t_hookfail() {
	begin hookfail
	mkdir -p "$T/outside" "$T/elsewhere"
	for n in fprepare fprestart fcreated fstart fpoststart fmount \
	    fsymlink fdst ftimeout fstimeout; do
		mkroot "$T/$n"
		mkdir -p "$T/$n/mnt" "$T/$n/mnt2"
	done
	ln -s "$T/outside" "$T/fsymlink/lnk"
	block fprepare "$T/fprepare" 'exec.prepare = "false";'
	block fprestart "$T/fprestart" 'exec.prestart = "false";'
	block fcreated "$T/fcreated" 'exec.created = "false";'
	block fstart "$T/fstart" "exec.start = \"sleep $SLP &\", \"false\";"
	block fpoststart "$T/fpoststart" 'persist;' \
	    "exec.start = \"sleep $SLP &\";" 'exec.poststart = "false";'
	block fmount "$T/fmount" 'persist;' \
	    "exec.prestart = \"touch $T/fmount.prestart\";" \
	    "mount = \"$T/hostdir $T/fmount/mnt nullfs ro 0 0\", \"$T/nonexistent $T/fmount/mnt2 nullfs ro 0 0\";"
	block fsymlink "$T/fsymlink" 'persist;' \
	    "mount = \"$T/hostdir $T/fsymlink/lnk nullfs ro 0 0\";"
	block ftimeout "$T/ftimeout" 'exec.timeout = 1;' \
	    "exec.prestart = \"sleep $SLP; true\";"
	block fstimeout "$T/fstimeout" 'persist;' 'exec.timeout = 1;' \
	    "exec.start = \"sleep $SLP\";"
	conf_ok

	fails fprepare exec.prepare "exec.prepare = false"
	fails fprestart exec.prestart "exec.prestart = false"
	fails fcreated exec.created "exec.created = false"
	fails fstart exec.start "exec.start = false (after a sleep &)"
	fails fpoststart exec.poststart "exec.poststart = false"
	fails fmount mount "a mount line with a missing source"
	if [ -e "$T/fmount.prestart" ]; then
		fail "hookfail: a bad mount line fails start before exec.prestart runs" \
		    "exec.prestart ran: mounts come before it"
	else
		pass "hookfail: a bad mount line fails start before exec.prestart runs"
	fi
	fails fsymlink mount "a mount target that is a symlink out of the jail"
	is "$(mounts_under "$T/outside")$(ls -A "$T/outside")" "" \
	    "hookfail: nothing mounted or written on the symlink's host target"
	# A target outside path: refused, by check (2) or by start (1).
	_conf=$CONF
	CONF=$T/dst.conf
	block fdst "$T/fdst" 'persist;' \
	    "mount = \"$T/hostdir $T/elsewhere nullfs ro 0 0\";"
	jc start fdst
	if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then
		pass "hookfail: a mount target outside path: start refused ($rc)"
	else
		fail "hookfail: a mount target outside path: start refused" \
		    "rc $rc: $err"
	fi
	like "$err" "^jailctl: .*mount" \
	    "hookfail: a mount target outside path: the error names the mount"
	is "$(mounts_under "$T/elsewhere")" "" \
	    "hookfail: nothing mounted on the target outside path"
	wait_for 2 no_leftovers
	nothing_left "hookfail: a mount target outside path: nothing left"
	reap_now
	CONF=$_conf
	fails ftimeout exec.prestart "exec.timeout = 1, exec.prestart sleeps"
	if [ "$ELAPSED" -le 6 ]; then
		pass "hookfail: exec.timeout ends the host hook in time (${ELAPSED}s)"
	else
		fail "hookfail: exec.timeout ends the host hook in time" \
		    "start took ${ELAPSED}s with exec.timeout = 1"
	fi
	fails fstimeout exec.start "exec.timeout = 1, exec.start sleeps"
	if [ "$ELAPSED" -le 6 ]; then
		pass "hookfail: exec.timeout ends the hook inside in time (${ELAPSED}s)"
	else
		fail "hookfail: exec.timeout ends the hook inside in time" \
		    "start took ${ELAPSED}s with exec.timeout = 1"
	fi
	finish
}

# --- stop: what stop kills; when a jail ends by itself ------------------

t_stop() {
	begin stop
	mkroot "$T/root"
	mkroot "$T/root1"
	mkroot "$T/root2"
	mkroot "$T/root3"
	mkdir -p "$T/root2/mnt"
	cat >"$T/root1/ignore.sh" <<'EOF'
trap '' TERM
while :; do sleep 1; done
EOF
	block daemon "$T/root" 'persist;' \
	    "exec.start = \"sh -c 'sleep $SLP &' &\";"
	block stubborn "$T/root1" 'persist;' 'stop.timeout = 1;' \
	    "exec.start = \"sh /ignore.sh jltest-$SLP &\";"
	block brief "$T/root2" 'exec.start = "sleep 2 &";' \
	    "mount = \"$T/hostdir $T/root2/mnt nullfs ro 0 0\";"
	block keep "$T/root3" 'persist;'
	conf_ok

	jc start daemon
	is_rc 0 "stop: start daemon (exec.start double-forks a sleep)"
	holder_of daemon >/dev/null
	if wait_for 3 has_proc "sleep $SLP"; then
		pass "stop: the daemon's sleep runs (seen from the host)"
		jc stop daemon
		is_rc 0 "stop: stop daemon"
		is "$(procs_with "sleep $SLP")" "" \
		    "stop: the double-forked sleep is gone when stop returns"
	else
		fail "stop: the daemon's sleep runs (seen from the host)"
		fail "stop: stop daemon" "not tried: the daemon did not run"
		fail "stop: the double-forked sleep is gone when stop returns" \
		    "not tried: the daemon did not run"
	fi

	jc start stubborn
	is_rc 0 "stop: start stubborn (a process that ignores SIGTERM)"
	holder_of stubborn >/dev/null
	if wait_for 3 has_proc "jltest-$SLP"; then
		pass "stop: the process ignoring SIGTERM runs"
	else
		fail "stop: the process ignoring SIGTERM runs" "$(list_row stubborn)"
	fi
	t0=$(date +%s)
	jc stop stubborn
	t1=$(date +%s)
	is_rc 0 "stop: stop stubborn"
	if [ "$rc" -eq 0 ] && [ $((t1 - t0)) -le 5 ]; then
		pass "stop: done within stop.timeout = 1 (and a margin): $((t1 - t0))s"
	else
		fail "stop: done within stop.timeout = 1 (and a margin)" \
		    "took $((t1 - t0))s"
	fi
	is "$(procs_with "jltest-$SLP")" "" \
	    "stop: the process ignoring SIGTERM is gone when stop returns"

	# Without persist, a jail ends with its last process; with persist,
	# it stays.
	jc start brief
	is_rc 0 "stop: start brief (no persist, exec.start leaves a 2 s sleep)"
	bpid=$(holder_of brief)
	jc start keep
	is_rc 0 "stop: start keep (persist, no process)"
	kpid=$(holder_of keep)
	is "$(list_state brief)" running "stop: brief runs while its sleep does"
	if is_holder "$bpid" && wait_for 10 not_running brief; then
		pass "stop: brief ends by itself after its sleep (list: not running)"
	else
		fail "stop: brief ends by itself after its sleep (list: not running)" \
		    "$(list_row brief)"
	fi
	wait_for 3 not_holder "$bpid"
	if is_holder "$bpid"; then
		fail "stop: brief's holder is gone" "$bpid still runs"
	else
		pass "stop: brief's holder is gone"
	fi
	wait_for 3 no_mounts "$T/root2"
	is "$(mounts_under "$T/root2")" "" \
	    "stop: brief is torn down: its mount line is unmounted"
	list_state brief >/dev/null
	if [ -e "$T/state/brief" ]; then
		fail "stop: brief is torn down: no state left (after a list)" \
		    "$(cat "$T/state/brief/state" 2>&1)"
	else
		pass "stop: brief is torn down: no state left (after a list)"
	fi
	is "$(list_state keep)" running "stop: keep (persist) still runs"
	if is_holder "$kpid"; then
		pass "stop: keep's holder still runs"
	else
		fail "stop: keep's holder still runs" "pid \"$kpid\""
	fi
	jc stop keep
	is_rc 0 "stop: stop keep"
	finish
}

# --- list: running jails ------------------------------------------------

t_list() {
	begin list
	mkroot "$T/root"
	block l1 "$T/root" 'persist;'
	block l2 "$T/root2" 'persist;'
	conf_ok
	jc start l1
	is_rc 0 "list: start l1"
	pid=$(holder_of l1)
	jid=$(st_get l1 jid)
	jc list
	is "$rc" 0 "list: exit 0"
	like "$out" '^JID +NAME +STATE +PID +HOSTNAME +IP +PATH$' "list: the header"
	is "$(printf '%s\n' "$out" | awk '$2 == "l1" { print $1, $3, $4, $5, $7 }')" \
	    "$jid running $pid l1.jltest.test $T/root" \
	    "list: l1: its JID, running, the holder PID (as in the state), hostname, path"
	is "$(printf '%s\n' "$out" | awk '$2 == "l2" { print $1, $3, $4 }')" \
	    "- stopped -" "list: l2: no JID, stopped, no PID"
	case $jid in
	'' | 0 | *[!0-9]*) fail "list: the JID is a positive number" "\"$jid\"" ;;
	*) pass "list: the JID is a positive number" ;;
	esac
	jc list --json
	printf '%s\n' "$out" >"$T/list.json"
	is "$rc" 0 "list --json: exit 0"
	json_check "$T/list.json" "list --json: l1 running with jid and pid, l2 stopped" <<EOF
j = {x["name"]: x for x in d["jails"]}
for k in ("jid", "name", "state", "pid", "hostname", "ip4", "ip6", "path", "template"):
    assert k in j["l1"], k
assert j["l1"]["state"] == "running", j["l1"]
assert j["l1"]["pid"] == int("$pid" or -1), j["l1"]
assert j["l1"]["jid"] == int("$jid" or -1), j["l1"]
assert j["l1"]["hostname"] == "l1.jltest.test", j["l1"]
assert j["l1"]["path"] == "$T/root", j["l1"]
assert j["l2"]["state"] == "stopped", j["l2"]
assert j["l2"]["pid"] is None, j["l2"]
EOF
	jc stop l1
	is_rc 0 "list: stop l1"
	jc list --json
	printf '%s\n' "$out" >"$T/list2.json"
	json_check "$T/list2.json" "list --json: l1 stopped after stop, pid null" <<'EOF'
j = {x["name"]: x for x in d["jails"]}
assert j["l1"]["state"] == "stopped", j["l1"]
assert j["l1"]["pid"] is None, j["l1"]
EOF
	finish
}

# --- create: copy and overlay; the template never written ---------------

t_create() {
	begin create
	cp -a "$BB" "$T/tmpl"
	mkdir -p "$T/jails"
	sum0=$(tree_sum "$T/tmpl")
	block ccopy "$T/jails/ccopy" 'persist;' 'create.method = copy;'
	block cstore "$T/jails/cstore" 'persist;' 'template = busybox;' \
	    'create.method = copy;'
	block cover "$T/jails/cover" 'persist;' "template = \"$T/tmpl\";" \
	    'create.method = overlay;'
	conf_ok

	# copy, the template an absolute path given with -t
	jc create ccopy -t "$T/tmpl"
	is_rc 0 "create: create ccopy -t /abs/tree (copy)"
	if cmp -s "$T/jails/ccopy/bin/busybox" "$T/tmpl/bin/busybox" &&
	    [ -L "$T/jails/ccopy/bin/sh" ]; then
		pass "create: ccopy's path holds the template's tree"
	else
		fail "create: ccopy's path holds the template's tree" \
		    "$(ls -la "$T/jails/ccopy" 2>&1 | head -5)"
	fi
	is "$(list_state ccopy)" stopped "create: list shows ccopy stopped"
	jc start ccopy
	is_rc 0 "create: start ccopy"
	holder_of ccopy >/dev/null
	jc exec ccopy sh -c 'echo new >/newfile; echo more >>/etc/hosts;
	    rm /etc/group'
	is_rc 0 "create: writes inside ccopy"
	is "$(cat "$T/jails/ccopy/newfile" 2>&1)" new \
	    "create: copy: a file written inside lands in path"
	is "$(tree_sum "$T/tmpl")" "$sum0" "create: copy: the template is unchanged"
	jc stop ccopy
	is_rc 0 "create: stop ccopy"
	jc destroy ccopy
	is_rc 0 "create: destroy ccopy"
	if [ -e "$T/jails/ccopy" ] || [ -L "$T/jails/ccopy" ]; then
		fail "create: destroy removes path" "$(ls -la "$T/jails/ccopy" | head -5)"
	else
		pass "create: destroy removes path"
	fi
	if [ -e "$T/state/ccopy" ]; then
		fail "create: destroy removes the state" "$(ls -la "$T/state/ccopy")"
	else
		pass "create: destroy removes the state"
	fi

	# template = busybox: built into $JAILCTL_TEMPLATES from the recipe
	JAILCTL_RECIPES=$REPO/templates
	export JAILCTL_RECIPES
	jc create cstore
	unset JAILCTL_RECIPES
	is_rc 0 "create: create cstore (template = busybox, store empty)"
	if [ -x "$T/templates/busybox/bin/busybox" ]; then
		pass "create: the template is built into \$JAILCTL_TEMPLATES/busybox"
	else
		fail "create: the template is built into \$JAILCTL_TEMPLATES/busybox" \
		    "$(find "$T/templates" -maxdepth 2 2>&1 | head -5)"
	fi
	if [ -x "$T/jails/cstore/bin/busybox" ]; then
		pass "create: cstore's path holds a busybox tree"
	else
		fail "create: cstore's path holds a busybox tree" \
		    "$(ls -la "$T/jails/cstore" 2>&1 | head -5)"
	fi
	jc start cstore
	is_rc 0 "create: start cstore"
	holder_of cstore >/dev/null
	jc exec cstore sh -c 'echo ok'
	is_ro "0:ok" "create: a command runs in cstore"
	jc list --json
	printf '%s\n' "$out" >"$T/list.json"
	json_check "$T/list.json" "create: list --json: cstore's template is busybox" <<'EOF'
j = {x["name"]: x for x in d["jails"]}
assert j["cstore"]["template"] == "busybox", j["cstore"]
EOF
	jc destroy cstore
	is_rc 0 "create: destroy cstore while it runs"
	if [ -e "$T/jails/cstore" ]; then
		fail "create: destroy removes path" "$(ls -la "$T/jails/cstore" | head -5)"
	else
		pass "create: destroy removes cstore's path"
	fi
	is "$(list_state cstore)" stopped \
	    "create: cstore not running after destroy"
	if [ -x "$T/templates/busybox/bin/busybox" ]; then
		pass "create: destroy leaves the template store alone"
	else
		fail "create: destroy leaves the template store alone"
	fi

	# overlay: a thin jail, the template never written
	jc create cover
	is_rc 0 "create: create cover (overlay)"
	is "$(tree_sum "$T/tmpl")" "$sum0" "create: overlay: template unchanged by create"
	jc start cover
	is_rc 0 "create: start cover"
	holder_of cover >/dev/null
	jc exec cover sh -c 'echo thin >/newfile; echo more >>/etc/hosts;
	    rm /etc/group; mkdir /newdir; rm /bin/vi'
	is_rc 0 "create: writes, deletes inside cover"
	is "$(tree_sum "$T/tmpl")" "$sum0" \
	    "create: overlay: the template is unchanged after writes inside"
	jc restart cover
	is_rc 0 "create: restart cover"
	holder_of cover >/dev/null
	jc exec cover sh -c 'cat /newfile; [ -e /etc/group ] || echo gone'
	is_ro "0:thin
gone" "create: overlay: the jail's changes survive a restart"
	jc destroy cover
	is_rc 0 "create: destroy cover"
	if [ -e "$T/jails/cover" ]; then
		fail "create: destroy removes cover's path" \
		    "$(ls -la "$T/jails/cover" | head -5)"
	else
		pass "create: destroy removes cover's path"
	fi
	is "$(tree_sum "$T/tmpl")" "$sum0" \
	    "create: overlay: the template is unchanged after destroy"
	finish
}

# --- destroy: never through links or mounts -----------------------------

t_destroy() {
	begin destroy
	cp -a "$BB" "$T/tmpl"
	mkdir -p "$T/jails" "$T/hostdir/sub" "$T/hostdir2"
	echo keep >"$T/hostdir/sub/file"
	echo keep2 >"$T/hostdir2/file"
	hsum=$(tree_sum "$T/hostdir")
	h2sum=$(tree_sum "$T/hostdir2")
	tm="template = \"$T/tmpl\";"
	block dsym "$T/jails/dsym" "$tm" 'create.method = copy;'
	block dbind "$T/jails/dbind" 'persist;' "$tm" 'create.method = copy;' \
	    "mount = \"$T/hostdir $T/jails/dbind/mnt nullfs ro 0 0\", \"$T/hostdir2 $T/jails/dbind/mnt2 nullfs rw 0 0\";"
	block dleft "$T/jails/dleft" "$tm" 'create.method = copy;'
	conf_ok

	jc create dsym
	is_rc 0 "destroy: create dsym"
	ln -s "$T/hostdir" "$T/jails/dsym/evil"
	ln -s "$T/hostdir/canary" "$T/jails/dsym/root/evilfile"
	ln -s "../../../../../../../../../..$T/hostdir" "$T/jails/dsym/tmp/evilrel"
	jc destroy dsym
	is_rc 0 "destroy: destroy dsym (symlinks to a host dir planted inside)"
	if [ -e "$T/jails/dsym" ] || [ -L "$T/jails/dsym" ]; then
		fail "destroy: dsym's path is removed" "$(ls -la "$T/jails/dsym" | head)"
	else
		pass "destroy: dsym's path is removed"
	fi
	is "$(tree_sum "$T/hostdir")" "$hsum" \
	    "destroy: symlinks are not followed (host dir and canary intact)"

	jc create dbind
	is_rc 0 "destroy: create dbind"
	mkdir -p "$T/jails/dbind/mnt" "$T/jails/dbind/mnt2"
	jc start dbind
	is_rc 0 "destroy: start dbind (ro and rw bind mount lines)"
	pid=$(holder_of dbind)
	jc exec dbind sh -c 'cat /mnt/canary /mnt2/file'
	is_ro "0:host canary
keep2" "destroy: dbind sees its bind mounts"
	jc destroy dbind
	diag "destroy dbind (running, with bind mounts): rc $rc: $err"
	is "$(tree_sum "$T/hostdir")" "$hsum" \
	    "destroy: nothing deleted through the ro bind mount line"
	is "$(tree_sum "$T/hostdir2")" "$h2sum" \
	    "destroy: nothing deleted through the rw bind mount line"
	if is_holder "$pid"; then
		fail "destroy: the running jail was stopped" "holder $pid runs"
	else
		pass "destroy: the running jail was stopped"
	fi
	is "$(mounts_under "$T")" "" "destroy: no mount left under the test dir"
	if [ "$rc" -eq 0 ] && [ -e "$T/jails/dbind" ]; then
		fail "destroy: dbind's path is removed (destroy said 0)"
	else
		pass "destroy: dbind's path is removed (or destroy refused)"
	fi

	# A mount under path that no mount line made (a crash, an admin).
	jc create dleft
	is_rc 0 "destroy: create dleft"
	mkdir -p "$T/jails/dleft/mnt2"
	mount --bind "$T/hostdir2" "$T/jails/dleft/mnt2"
	jc destroy dleft
	diag "destroy dleft (a foreign bind mount inside): rc $rc: $err"
	is "$(tree_sum "$T/hostdir2")" "$h2sum" \
	    "destroy: does not cross into a mount under path"
	for m in $(mounts_under "$T/jails/dleft"); do
		umount -l "$m"
	done
	if [ -e "$T/jails/dleft" ]; then
		jc destroy dleft
		is_rc 0 "destroy: once the mount is gone, destroy dleft works"
	fi
	finish
}

# --- mounts: mount lines, mount.fstab, sysfs, tmp -----------------------

t_mounts() {
	begin mounts
	mkroot "$T/root"
	mkdir -p "$T/root/mnt" "$T/root/mnt2" "$T/root/scratch" "$T/hostdir2"
	printf '%s %s nullfs rw 0 0\n' "$T/hostdir2" "$T/root/mnt2" >"$T/fstab"
	block m1 "$T/root" 'persist;' \
	    "mount = \"$T/hostdir $T/root/mnt nullfs ro 0 0\", \"tmpfs $T/root/scratch tmpfs rw,size=1m 0 0\";" \
	    "mount.fstab = \"$T/fstab\";" 'mount.sysfs;' 'mount.tmp;'
	conf_ok
	jc start m1
	is_rc 0 "mounts: start m1"
	holder_of m1 >/dev/null
	jc exec m1 cat /mnt/canary
	is_ro "0:host canary" \
	    "mounts: a nullfs mount line binds the host dir inside"
	jc exec m1 sh -c 'echo x >/mnt/new'
	if [ "$rc" -ne 0 ] && [ ! -e "$T/hostdir/new" ]; then
		pass "mounts: the ro bind is read-only inside (a write fails)"
	else
		fail "mounts: the ro bind is read-only inside (a write fails)" \
		    "rc $rc; $(ls "$T/hostdir")"
	fi
	jc exec m1 sh -c 'echo y >/mnt2/fromjail'
	is "$rc:$(cat "$T/hostdir2/fromjail" 2>&1)" "0:y" \
	    "mounts: a mount.fstab rw bind: a write inside reaches the host dir"
	jc exec m1 cat /proc/mounts
	like "$out" '^[^ ]+ /scratch tmpfs ' "mounts: a tmpfs mount line"
	like "$out" '^[^ ]+ /tmp tmpfs ' "mounts: mount.tmp: /tmp is a tmpfs"
	like "$out" '^[^ ]+ /sys sysfs ' "mounts: mount.sysfs: /sys"
	like "$out" '^[^ ]+ /proc proc ' "mounts: mount.procfs: /proc"
	jc stop m1
	is_rc 0 "mounts: stop m1"
	is "$(mounts_under "$T")" "" "mounts: after stop, nothing mounted under the test dir"
	is "$(cat "$T/hostdir/canary")" "host canary" "mounts: the host dir is intact"
	finish
}

# --- oneoff: exec on a jail that is not running -------------------------

t_oneoff() {
	begin oneoff
	mkroot "$T/root"
	mkdir -p "$T/root/mnt"
	block o1 "$T/root" "mount = \"$T/hostdir $T/root/mnt nullfs ro 0 0\";"
	conf_ok
	jc exec o1 sh -c 'hostname; cat /proc/1/comm; cat /mnt/canary'
	is_ro "0:o1.jltest.test
jail-holder
host canary" "oneoff: exec on a stopped jail runs CMD in a one-off instance"
	is "$(list_state o1)" stopped "oneoff: o1 is not running afterwards"
	wait_for 2 no_leftovers
	nothing_left "oneoff: nothing left after it (process, mount, state)"
	jc exec o1 sh -c 'exit 5'
	is_rc 5 "oneoff: the exit status passes through"
	_lim=$JC_LIMIT
	[ "$JC_LIMIT" -gt 15 ] && JC_LIMIT=15
	jc exec o1 sh -c "sleep $SLP >/dev/null 2>&1 & echo started"
	[ "$NTIMEOUT" -lt 2 ] && JC_LIMIT=$_lim
	is_ro "0:started" "oneoff: a command leaving a background process"
	wait_for 2 no_leftovers
	nothing_left "oneoff: ... is torn down with CMD: nothing left"
	finish
}

# --- kill9: jailctl killed in the middle --------------------------------

t_kill9() {
	begin kill9
	mkroot "$T/root"
	mkdir -p "$T/root/mnt" "$T/jails"
	cp -a "$BB" "$T/tmpl"
	mnt="mount = \"$T/hostdir $T/root/mnt nullfs ro 0 0\";"
	block k1 "$T/root" 'persist;' "exec.start = \"sleep $SLP\";" "$mnt"
	mkroot "$T/root2"
	mkdir -p "$T/root2/mnt"
	block k2 "$T/root2" 'persist;' 'exec.timeout = 3;' \
	    "exec.stop = \"sleep $SLP\";" \
	    "mount = \"$T/hostdir $T/root2/mnt nullfs ro 0 0\";"
	block k3 "$T/jails/k3" 'persist;' "template = \"$T/tmpl\";" \
	    'create.method = copy;' "exec.start = \"sleep $SLP\";"
	conf_ok

	bg_jc start k1
	sleep 1
	if kill -0 "$BG" 2>/dev/null; then
		pass "kill9: start k1 still runs after 1 s (in exec.start)"
	else
		fail "kill9: start k1 still runs after 1 s (in exec.start)" \
		    "$(cat "$T/bg.err")"
	fi
	holder_of k1 >/dev/null
	kill -9 "$BG" 2>/dev/null
	wait "$BG"
	jc stop k1
	diag "stop k1 after kill -9 of start: rc $rc: $err"
	wait_for 2 no_leftovers
	nothing_left "kill9: start killed, then stop: nothing left (holder, processes, mounts, state)"
	is "$(list_state k1)" stopped "kill9: k1 not running"
	reap_now

	jc start k2
	is_rc 0 "kill9: start k2"
	holder_of k2 >/dev/null
	bg_jc stop k2
	sleep 1
	if kill -0 "$BG" 2>/dev/null; then
		pass "kill9: stop k2 still runs after 1 s (in exec.stop)"
	else
		fail "kill9: stop k2 still runs after 1 s (in exec.stop)" \
		    "$(cat "$T/bg.err")"
	fi
	kill -9 "$BG" 2>/dev/null
	wait "$BG"
	jc stop k2
	diag "stop k2 after kill -9 of stop: rc $rc: $err"
	wait_for 2 no_leftovers
	nothing_left "kill9: stop killed, then stop: nothing left (holder, processes, mounts, state)"
	is "$(list_state k2)" stopped "kill9: k2 not running"
	reap_now

	jc create k3
	is_rc 0 "kill9: create k3"
	bg_jc start k3
	sleep 1
	holder_of k3 >/dev/null
	kill -9 "$BG" 2>/dev/null
	wait "$BG"
	jc destroy k3
	is_rc 0 "kill9: start k3 killed, then destroy k3"
	if [ -e "$T/jails/k3" ]; then
		fail "kill9: destroy removed k3's path" "$(ls -la "$T/jails/k3" | head)"
	else
		pass "kill9: destroy removed k3's path"
	fi
	finish
}

# --- concurrency: many jailctl on one jail ------------------------------

t_concurrency() {
	begin concurrency
	mkroot "$T/root"
	block cc "$T/root" 'persist;'
	conf_ok

	pids=
	i=0
	while [ "$i" -lt 8 ]; do
		(
			bounded "$JAILCTL" -f "$CONF" \
			    -s "$T/state" start cc >"$T/par.$i.out" \
			    2>"$T/par.$i.err"
			echo $? >"$T/par.$i.rc"
		) </dev/null >/dev/null 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	BGPIDS="$BGPIDS $pids"
	for p in $pids; do
		wait "$p"
	done
	holder_of cc >/dev/null
	nok=0
	nbusy=0
	other=
	i=0
	while [ "$i" -lt 8 ]; do
		r=$(cat "$T/par.$i.rc" 2>/dev/null)
		if [ "$r" = 0 ]; then
			nok=$((nok + 1))
		elif [ "$r" = 1 ] && grep -q 'already running' "$T/par.$i.err"; then
			nbusy=$((nbusy + 1))
		else
			other="$other start $i: rc $r: $(cat "$T/par.$i.err")
"
		fi
		i=$((i + 1))
	done
	is "$nok" 1 "concurrency: 8 parallel starts: exactly one succeeds"
	if [ "$nbusy" -eq 7 ]; then
		pass "concurrency: the other 7 fail with \"already running\""
	else
		fail "concurrency: the other 7 fail with \"already running\"" \
		    "$nbusy did" "$other"
	fi
	is "$(list_state cc)" running "concurrency: list shows cc running"
	cpid=$(st_get cc pid)
	wait_for 2 is_holder "$cpid"
	is "$( (holder_pids "$T"; dir_pids "$T") | sort -u | tr '\n' ' ')" \
	    "$cpid " "concurrency: one jail process on the host: the holder the state names"
	jc stop cc
	is_rc 0 "concurrency: stop cc"
	wait_for 2 no_leftovers
	is "$( (holder_pids "$T"; dir_pids "$T") | sort -u | tr '\n' ' ')" "" \
	    "concurrency: no holder after stop"

	# exec from many processes while the jail stops
	jc start cc
	is_rc 0 "concurrency: start cc again"
	holder_of cc >/dev/null
	pids=
	i=0
	while [ "$i" -lt 6 ]; do
		(
			bounded "$JAILCTL" -f "$CONF" \
			    -s "$T/state" exec cc sh -c 'sleep 2; echo done' \
			    >"$T/ex.$i.out" 2>"$T/ex.$i.err"
			echo $? >"$T/ex.$i.rc"
		) </dev/null >/dev/null 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	(
		k=0
		while [ "$k" -lt 10 ]; do
			bounded "$JAILCTL" -f "$CONF" \
			    -s "$T/state" exec cc true 2>>"$T/ex.t.err"
			echo $? >>"$T/ex.t.rc"
			k=$((k + 1))
		done
	) </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
	BGPIDS="$BGPIDS $pids"
	sleep 0.5
	jc stop cc
	is_rc 0 "concurrency: stop cc while execs run"
	for p in $pids; do
		wait "$p"
	done
	bad=
	for f in "$T"/ex.*.rc; do
		while IFS= read -r r; do
			case $r in
			0 | 125 | 137 | 143) ;;
			*) bad="$bad ${f##*/}: $r" ;;
			esac
		done <"$f"
	done
	is "$bad" "" \
	    "concurrency: every exec ends with its status, 125 or killed (137, 143)"
	wait_for 3 not_running cc
	is "$(list_state cc)" stopped "concurrency: cc stopped in the end"
	wait_for 3 no_leftovers
	nothing_left "concurrency: nothing left after racing exec and stop"
	jc start cc
	is_rc 0 "concurrency: cc starts again"
	holder_of cc >/dev/null
	jc stop cc
	is_rc 0 "concurrency: and stops"

	# 8 parallel stops of a running jail
	jc start cc
	is_rc 0 "concurrency: start cc for 8 parallel stops"
	holder_of cc >/dev/null
	pids=
	i=0
	while [ "$i" -lt 8 ]; do
		(
			bounded "$JAILCTL" -f "$CONF" -s "$T/state" stop cc \
			    >/dev/null 2>"$T/st.$i.err"
			echo $? >"$T/st.$i.rc"
		) </dev/null >/dev/null 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	BGPIDS="$BGPIDS $pids"
	for p in $pids; do
		wait "$p"
	done
	codes=$(cat "$T"/st.*.rc 2>/dev/null | sort | uniq -c | awk '{
		printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
	if cat "$T"/st.*.rc | grep -qx 0 &&
	    ! cat "$T"/st.*.rc | grep -qvx '[01]'; then
		pass "concurrency: 8 parallel stops: one or more succeed, none fails oddly ($codes)"
	else
		fail "concurrency: 8 parallel stops: one or more succeed, none fails oddly" \
		    "exit statuses: $codes" "$(cat "$T"/st.*.err)"
	fi
	wait_for 2 no_leftovers
	nothing_left "concurrency: nothing left after 8 parallel stops"

	# A storm: starts, stops and execs at once, five rounds; then a
	# stop leaves nothing.
	pids=
	for _ in 1 2 3 4 5; do
		for verb in start stop start exec stop exec; do
			if [ "$verb" = exec ]; then
				set -- exec cc true
			else
				set -- "$verb" cc
			fi
			(
				bounded "$JAILCTL" -f "$CONF" -s "$T/state" \
				    "$@" >/dev/null 2>>"$T/storm.err"
				echo "$* $?" >>"$T/storm.rc"
			) </dev/null >/dev/null 2>&1 &
			pids="$pids $!"
		done
		sleep 0.1
	done
	BGPIDS="$BGPIDS $pids"
	for p in $pids; do
		wait "$p"
	done
	# an exec's command killed by a concurrent stop (SIGTERM, or SIGKILL
	# after stop.timeout) is the command's status, not jailctl's death
	bad=$(awk '$NF == 124 || ($NF >= 128 &&
	    !($1 == "exec" && ($NF == 143 || $NF == 137)))' "$T/storm.rc")
	is "$bad" "" "concurrency: storm: no jailctl hung or died of a signal"
	st=$(list_state cc)
	case $st in
	running | stopped) pass "concurrency: storm: cc is running or stopped ($st)" ;;
	*) fail "concurrency: storm: cc is running or stopped" "$st" ;;
	esac
	if [ "$st" = running ]; then
		pid=$(holder_of cc)
		if is_holder "$pid"; then
			pass "concurrency: storm: running, and the state names a live holder"
		else
			fail "concurrency: storm: running, and the state names a live holder" \
			    "pid \"$pid\"" "$(cat "$T/state/cc/state" 2>&1)"
		fi
		is "$( (holder_pids "$T"; dir_pids "$T") | sort -u |
		    tr '\n' ' ')" "$pid " \
		    "concurrency: storm: one holder on the host, the one the state names"
	fi
	jc stop cc
	wait_for 2 no_leftovers
	nothing_left "concurrency: storm, then stop: nothing left"

	# A stop of the stopped jail racing a start, 30 rounds: the stop
	# must not remove the record the start writes (it once dropped its
	# lock first, leaving a holder nobody knew about).
	lost=
	r=0
	while [ "$r" -lt 30 ] && [ "$(limit)" -gt 10 ]; do
		bounded "$JAILCTL" -f "$CONF" -s "$T/state" stop cc \
		    >/dev/null 2>&1 &
		p1=$!
		bounded "$JAILCTL" -f "$CONF" -s "$T/state" start cc \
		    >/dev/null 2>&1 &
		p2=$!
		BGPIDS="$BGPIDS $p1 $p2"
		wait "$p1"
		wait "$p2"
		pid=$(holder_of cc)
		for h in $(holder_pids "$T"); do
			[ "$h" = "$pid" ] || lost="${lost}round $r: holder $h, record \"$pid\" "
		done
		jc stop cc
		r=$((r + 1))
	done
	if [ "$r" -lt 30 ]; then
		fail "concurrency: stop racing start: only $r of 30 rounds ran" \
		    "(the script's budget ran out)"
	fi
	is "$lost" "" "concurrency: stop racing start ($r rounds): every holder has its record"
	wait_for 2 no_leftovers
	nothing_left "concurrency: nothing left after stops racing starts"
	finish
}

# --- stale: records that lie ---------------------------------------------

t_stale() {
	begin stale
	mkroot "$T/root"
	block s1 "$T/root" 'persist;'
	conf_ok
	jc start s1
	is_rc 0 "stale: start s1"
	pid=$(holder_of s1)
	wait_for 2 is_holder "$pid"
	cp "$T/state/s1/state" "$T/saved.state"
	# The holder dies behind jailctl's back.
	kill -9 "$pid"
	wait_for 3 not_holder "$pid"
	# PID 1 here reaps orphans late: the dead holder may be a zombie.
	diag "the killed holder $pid: $(sed 's/^[^)]*) \(.\).*/state \1/' \
	    "/proc/$pid/stat" 2>&1)"
	is "$(list_state s1)" stopped "stale: holder killed: list shows s1 stopped"
	jc exec s1 sh -c 'cat /proc/1/comm'
	is_ro "0:jail-holder" "stale: exec runs (a one-off, or after reconciling)"
	jc start s1
	is_rc 0 "stale: start s1 again (not \"already running\")"
	holder_of s1 >/dev/null
	jc stop s1
	is_rc 0 "stale: stop s1"
	wait_for 2 no_leftovers
	nothing_left "stale: nothing left after the holder's death and a restart"

	# A record whose PID now belongs to another process (PIDs are
	# reused): that process is not the jail's, and stop must not touch it.
	sleep "$SLP" >/dev/null 2>&1 &
	other=$!
	BGPIDS="$BGPIDS $other"
	mkdir -p "$T/state/s1"
	sed "s/^pid=.*/pid=$other/" "$T/saved.state" >"$T/state/s1/state"
	is "$(list_state s1)" stopped \
	    "stale: a record naming a reused PID: list shows s1 stopped"
	jc stop s1
	if kill -0 "$other" 2>/dev/null && ! proc_dead "$other"; then
		pass "stale: stop leaves the process that reused the PID alone"
	else
		fail "stale: stop leaves the process that reused the PID alone" \
		    "stop: rc $rc: $err"
	fi
	jc start s1
	is_rc 0 "stale: start s1 over the stale record"
	holder_of s1 >/dev/null
	jc stop s1
	is_rc 0 "stale: stop s1"
	kill -9 "$other" 2>/dev/null
	wait "$other" 2>/dev/null
	wait_for 2 no_leftovers
	nothing_left "stale: nothing left"
	finish
}

# --- depend: start -a, stop -a ------------------------------------------

t_depend() {
	begin depend
	mkroot "$T/root"
	mkroot "$T/root2"
	# db first in the file: depend, not the file, gives the order.
	block db "$T/root2" 'persist;' 'depend = da;' \
	    "exec.prestart = \"echo start db >>$T/order\";" \
	    "exec.poststop = \"echo stop db >>$T/order\";"
	block da "$T/root" 'persist;' \
	    "exec.prestart = \"echo start da >>$T/order\";" \
	    "exec.poststop = \"echo stop da >>$T/order\";"
	conf_ok
	jc start -a
	is_rc 0 "depend: start -a"
	holder_of da >/dev/null
	holder_of db >/dev/null
	is "$(tr '\n' ' ' <"$T/order" 2>&1)" "start da start db " \
	    "depend: start -a starts da before db (db depends on da)"
	is "$(list_state da) $(list_state db)" "running running" \
	    "depend: both run"
	jc stop -a
	is_rc 0 "depend: stop -a"
	is "$(tr '\n' ' ' <"$T/order" 2>&1)" \
	    "start da start db stop db stop da " \
	    "depend: stop -a stops db before da"
	finish
}

for t in t_basic t_users t_hooks t_hookfail t_stop t_list t_create \
    t_destroy t_mounts t_oneoff t_kill9 t_concurrency t_stale t_depend; do
	if [ "$(limit)" -le 0 ]; then
		fail "${t#t_}: not run: the script used up its ${BUDGET}s budget" \
		    "(jailctl timed out $NTIMEOUT times)"
		continue
	fi
	"$t"
done

# --- after all: nothing of the script's left on the host ----------------

left=
for h in $(holder_pids "$TMPD"); do
	left="${left}holder $h: $(tr '\0' ' ' 2>/dev/null <"/proc/$h/cmdline")
"
done
for m in $(mounts_under "$TMPD"); do
	left="${left}mount $m
"
done
for s in "$TMPD"/*/state/*; do
	[ -e "$s" ] && left="${left}state $s
"
done
is "$left" "" "after all tests: no holder, no mount under the test dir, no state"
# Other runs' jltest.* processes and directories are theirs, not ours.
# (The directory goes to awk through the environment, and the pattern is
# bracketed: leakcheck would see "jltest" in awk's own command line.)
l=$(sh "$REPO/tests/integration/leakcheck.sh" compare "$SNAP/host" \
    2>/dev/null | D=$TMPD awk 'index($0, ENVIRON["D"]) || !/jl[t]est/')
is "$l" "" "after all tests: leakcheck.sh finds nothing new on the host"

done_testing
