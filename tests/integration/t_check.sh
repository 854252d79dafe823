#!/bin/sh
# "jailctl check": silence on a good file; on a bad one, every error as
# "jailctl: FILE:LINE: message" in line order, and exit 2; warnings for
# FreeBSD-only parameters; .include; and nothing written anywhere.

# The "$name" in printf formats is jail.conf's, not the shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TMPD" || bail_out "cd $TMPD"

# errlines FILE: the line numbers of the "jailctl: FILE:N: " lines of $err,
# on one line.
errlines() {
	printf '%s\n' "$err" | sed -n "s|^jailctl: $1:\([0-9][0-9]*\): .*|\1|p" |
	    tr '\n' ' ' | sed 's/ $//'
}

# --- a valid file -----------------------------------------------------

cat >"$TMPD/good.conf" <<'EOF'
# A valid file: globals, a wildcard block, variables, three jails.
$base = "/srv/jails";
path = "$base/$name";
exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
mount.devfs;
* {
	host.hostname = "$name.example.org";
	memory.max = 256M;
}
www {
	ip4.addr = 198.18.0.2;
	exec.start += "/usr/sbin/nginx";
	allow.nomount;
	rlimit.nofile = 1024:4096;
}
db {
	ip4.addr = 198.18.0.3;
	depend = www;
	pids.max = 200;
	cpu.max = 1.5;
}
/* a comment
   over lines */
cache { depend = db; ip6.addr = "2001:db8::3"; } // trailing comment
EOF

jailctl -f "$TMPD/good.conf" check
is "$rc" 0 "valid file: exit 0"
is "$out" "" "valid file: nothing on stdout"
is "$err" "" "valid file: nothing on stderr"

jailctl -f "$TMPD/good.conf" -v check
is "$rc" 0 "-v check: exit 0"
like "$out$err" '(^|[^0-9])3 jails' "-v check: reports 3 jails"

printf 'one { path = /srv/one; }\n' >"$TMPD/one.conf"
jailctl -f "$TMPD/one.conf" -v check
like "$out$err" '(^|[^0-9])1 jail([^s]|$)' "-v check: reports 1 jail"

jailctl -f "$TMPD/good.conf" -q check
is "$rc$out$err" "0" "-q check on a valid file: exit 0, silent"

# --- a file with one error of each kind, on known lines ----------------

cat >"$TMPD/errors.conf" <<'EOF'
# One error of each kind; the line numbers below are part of the test.
/* A comment
   over three lines
   that the line count must follow. */
path = "/srv/jails/$name";
$dom = example.org;

alpha {
	host.hostname = "alpha.$dom";
	memory.maxx = 64M;
	exec.start = "/bin/echo one
two";
	memory.max = 12Q;
}
beta {
	host.hostname = beta.example.org	# no ";" here
	pids.max = 10;
	exec.start = "echo $undefined";
}
gamma {
	depend = nosuch;
	path = "/srv/jails/alpha";
}
EOF
f=$TMPD/errors.conf

jailctl -f "$f" check
is "$rc" 2 "errors: exit 2"
is "$out" "" "errors: nothing on stdout"
is "$(errlines "$f")" "10 13 16 18 21 22" \
    "errors: one message per error, at lines 10 13 16 18 21 22, in order"
is "$(printf '%s\n' "$err" | grep -vc "^jailctl: $f:[0-9][0-9]*: ")" 0 \
    "errors: every line reads \"jailctl: FILE:LINE: message\""
has_line "$err" \
    "jailctl: $f:10: unknown parameter \"memory.maxx\"; did you mean \"memory.max\"?" \
    "errors: line 10, unknown parameter with \"did you mean\""
like "$err" "^jailctl: $f:13: \"memory\\.max\": .*\"12Q\".*size" \
    "errors: line 13, \"12Q\" is not a size"
like "$err" "^jailctl: $f:16: .*missing \";\"" \
    "errors: line 16, missing \";\""
like "$err" "^jailctl: $f:18: .*variable \"undefined\".*not defined" \
    "errors: line 18, undefined variable"
like "$err" "^jailctl: $f:21: jail \"gamma\": .*\"nosuch\".*not defined" \
    "errors: line 21, depends on an undefined jail"
like "$err" "^jailctl: $f:22: jail \"gamma\": same path as jail \"alpha\" \\($f:5\\)" \
    "errors: line 22, same path as alpha's (set at line 5)"

# The same file given by a relative name: the messages use that name.
jailctl -f errors.conf check
is "$(errlines errors.conf)" "10 13 16 18 21 22" \
    "errors, relative -f: FILE is the name given"

# show and list refuse a bad file as well, and print nothing on stdout.
jailctl -f "$f" show beta
is "$rc" 2 "errors: show exits 2"
is "$out" "" "errors: show prints no partial block"
is "$(errlines "$f")" "10 13 16 18 21 22" "errors: show reports them all"
jailctl -f "$f" list
is "$rc" 2 "errors: list exits 2"
is "$out" "" "errors: list prints no table"

# --- one error at a time: the line, and no follow-on messages ----------

# one_error DESC LINE ERE: the file $TMPD/e.conf has exactly one error, at
# LINE, whose message matches ERE.
one_error() {
	jailctl -f "$TMPD/e.conf" check
	if [ "$rc" -eq 2 ] && [ "$(errlines "$TMPD/e.conf")" = "$2" ] &&
	    printf '%s\n' "$err" | grep -Eq -- "^jailctl: $TMPD/e.conf:$2: $3"
	then
		pass "$1: exit 2, one message at line $2"
	else
		fail "$1: exit 2, one message at line $2" "exit: $rc" "$err" \
		    "expected: ^jailctl: $TMPD/e.conf:$2: $3"
	fi
}

printf 'x {\n\tpath = /srv/x;\n}\nexec.start = "echo\n\n' >"$TMPD/e.conf"
one_error "unterminated string" 4 '.*unterminated'

printf 'x {\n\tpath = /srv/x;\n\n' >"$TMPD/e.conf"
one_error "missing \"}\"" 1 '.*"\}"'

printf 'path = /srv/$name;\nx { }\n\n/* never closed\n}\n' >"$TMPD/e.conf"
one_error "unterminated comment" 4 '.*comment'

printf 'path = /srv/$name;\n\nx {\n\tpids.max += 5;\n}\n' >"$TMPD/e.conf"
one_error "\"+=\" on a single value" 4 '.*"pids\.max"'

printf 'path = /srv/$name;\nx {\n\tip4.addr = 198.18.0.300;\n}\n' >"$TMPD/e.conf"
one_error "bad IPv4 address" 3 '.*198\.18\.0\.300'

printf 'path = srv/$name;\nx { }\n' >"$TMPD/e.conf"
one_error "relative path" 1 '.*path'

printf 'x {\n\thost.hostname = x;\n}\n' >"$TMPD/e.conf"
one_error "no path" 1 '.*"path"'

printf 'path = /srv/$name;\na { depend = b; }\nb {\n\tdepend = a;\n}\n' \
    >"$TMPD/e.conf"
jailctl -f "$TMPD/e.conf" check
is "$rc" 2 "dependency loop: exit 2"
like "$err" "^jailctl: $TMPD/e.conf:[24]: .*loop" \
    "dependency loop: reported at a depend line"

# --- warnings ---------------------------------------------------------

cat >"$TMPD/warn.conf" <<'EOF'
path = "/srv/jails/$name";
old {
	securelevel = 3;
}
EOF
w=$TMPD/warn.conf
jailctl -f "$w" check
is "$rc" 0 "securelevel: exit 0"
is "$out" "" "securelevel: nothing on stdout"
like "$err" "^jailctl: $w:3: warning: .*securelevel" \
    "securelevel: \"jailctl: FILE:3: warning: ...\""
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "securelevel: one line"

jailctl -f "$w" -q check
is "$rc" 0 "-q securelevel: exit 0"
is "$err" "" "-q securelevel: the warning is suppressed"

# -q hides warnings, never errors; warnings stand in line order.
cat >"$TMPD/warnerr.conf" <<'EOF'
path = "/srv/jails/$name";
old {
	securelevel = 3;
	pids.max = -1;
	enforce_statfs = 1;
}
EOF
w=$TMPD/warnerr.conf
jailctl -f "$w" check
is "$rc" 2 "warning and error: exit 2"
is "$(errlines "$w")" "3 4 5" "warning and error: lines 3 4 5 in order"
jailctl -f "$w" -q check
is "$rc" 2 "-q warning and error: exit 2"
is "$(errlines "$w")" "4" "-q warning and error: only the error"
unlike "$err" 'warning:' "-q warning and error: no warning"

# --- .include ---------------------------------------------------------

mkdir -p "$TMPD/inc/conf.d/sub"
cat >"$TMPD/inc/main.conf" <<'EOF'
path = "/srv/jails/$name";
first { host.hostname = first.example.org; }
.include "conf.d/*.conf";
last { host.hostname = last.example.org; }
EOF
cat >"$TMPD/inc/conf.d/10-web.conf" <<'EOF'
web { ip4.addr = 198.18.0.5; }
EOF
cat >"$TMPD/inc/conf.d/20-db.conf" <<'EOF'
# relative to this file, not to main.conf or the current directory
.include "sub/extra.inc";
db { depend = web; }
EOF
cat >"$TMPD/inc/conf.d/sub/extra.inc" <<'EOF'
extra { pids.max = 50; }
EOF
printf 'this is { not ; a config\n' >"$TMPD/inc/conf.d/README"
m=$TMPD/inc/main.conf

jailctl -f "$m" check
is "$rc" 0 "include: exit 0"
is "$err" "" "include: no message"
jailctl -f "$m" -q list
is "$(printf '%s\n' "$out" | awk '{ print $2 }' | tr '\n' ' ')" \
    "first web extra db last " \
    "include: the jails in file order, included ones in place"

cd "$TMPD/inc/conf.d" || bail_out "cd"
jailctl -f ../main.conf -v check
is "$rc" 0 "include, relative -f from another directory: exit 0"
like "$out$err" '(^|[^0-9])5 jails' "include: -v check counts 5 jails"
cd / || bail_out "cd /"
jailctl -f "$m" -q list
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5 \
    "include: the same 5 jails from /"
cd "$TMPD" || bail_out "cd"

cat >"$TMPD/inc/conf.d/30-bad.conf" <<'EOF'
bad {
	# the error is on line 3 of this file
	pids.max = lots;
}
EOF
jailctl -f "$m" check
is "$rc" 2 "error in an included file: exit 2"
is "$(errlines "$TMPD/inc/conf.d/30-bad.conf")" 3 \
    "error in an included file: its name and line 3"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 \
    "error in an included file: one message"
like "$err" "^jailctl: $TMPD/inc/conf.d/30-bad.conf:3: .*lots" \
    "error in an included file: the message names the value"
rm "$TMPD/inc/conf.d/30-bad.conf"

printf 'path = "/srv/$name";\n\n.include "nothere.conf";\n' \
    >"$TMPD/inc/missing.conf"
jailctl -f "$TMPD/inc/missing.conf" check
is "$rc" 2 "include of a missing file: exit 2"
has_line "$err" \
    "jailctl: $TMPD/inc/missing.conf:3: $TMPD/inc/nothere.conf: No such file or directory" \
    "include of a missing file: at the .include line, with the cause"

mkdir "$TMPD/inc/empty.d"
printf 'path = "/srv/$name";\n.include "empty.d/*.conf";\nx { }\n' \
    >"$TMPD/inc/noglob.conf"
jailctl -f "$TMPD/inc/noglob.conf" check
is "$rc$err" 0 "include of a glob matching nothing: exit 0, silent"

printf 'path = "/srv/$name";\n.include "loop.conf";\n' >"$TMPD/inc/loop.conf"
jailctl -f "$TMPD/inc/loop.conf" check
is "$rc" 2 "a file including itself: exit 2"
like "$err" "^jailctl: $TMPD/inc/loop.conf:2: " \
    "a file including itself: reported at its .include line"

# --- nothing written: not the state directory, not anywhere ------------

tree() {
	find "$TMPD" -path "$TMPD/out" -prune -o -path "$TMPD/err" -prune \
	    -o -print | sort
}
mkdir "$TMPD/emptystate"
before=$(tree)
jailctl -f "$TMPD/errors.conf" -s "$TMPD/state" check
is "$rc" 2 "-s STATEDIR check with errors: exit 2"
jailctl -f "$TMPD/errors.conf" -s "$TMPD/emptystate" check
jailctl -f "$TMPD/errors.conf" -s "$TMPD/emptystate" list
jailctl -f "$TMPD/errors.conf" -s "$TMPD/emptystate" show alpha
JAILCTL_STATEDIR=$TMPD/envstate jailctl -f "$TMPD/errors.conf" check
jailctl -f "$TMPD/good.conf" -s "$TMPD/state" check
if [ -e "$TMPD/state" ] || [ -e "$TMPD/envstate" ]; then
	fail "a config error creates no state directory" \
	    "$(find "$TMPD/state" "$TMPD/envstate" 2>/dev/null)"
else
	pass "a config error creates no state directory"
fi
is "$(find "$TMPD/emptystate" -mindepth 1)" "" \
    "a config error leaves an existing state directory empty"
is "$(tree)" "$before" "check, list and show create no file at all"

done_testing
