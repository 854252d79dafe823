#!/bin/sh
# The command line as a user meets it: help, version, usage errors, jail
# names, where the configuration comes from, and the shape of every error.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TMPD" || bail_out "cd $TMPD"

cat >"$TMPD/good.conf" <<'EOF'
path = "/srv/jails/$name";
www { host.hostname = www.example.org; }
EOF
good=$TMPD/good.conf

# --- help and version -------------------------------------------------

for opt in --help -h; do
	jailctl $opt
	is "$rc" 0 "$opt: exit 0"
	is "$err" "" "$opt: nothing on stderr"
	for verb in check show list; do
		like "$out" "(^|[[:space:]])$verb([[:space:]]|\$)" \
		    "$opt: mentions the verb $verb"
	done
done
jailctl --help
like "$out" '^usage: jailctl ' "--help: starts with the usage line"

version=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$REPO/Makefile")
for opt in --version -V; do
	jailctl $opt
	is "$rc" 0 "$opt: exit 0"
	is "$out" "jailctl $version" "$opt: prints \"jailctl $version\""
	is "$err" "" "$opt: nothing on stderr"
done

# --- usage errors: exit 2, usage on stderr, nothing on stdout ---------

syn=$(synopsis)
like "$syn" '^usage: jailctl ' "the synopsis starts with \"usage: jailctl\""

jailctl
is "$rc" 2 "no verb: exit 2"
is "$out" "" "no verb: nothing on stdout"
is "$err" "$syn" "no verb: the usage on stderr"

jailctl frob
is "$rc" 2 "unknown verb: exit 2"
is "$out" "" "unknown verb: nothing on stdout"
like "$err" '^jailctl: unknown verb "frob"$' \
    "unknown verb: \"jailctl: unknown verb \\\"frob\\\"\""
stderr_prefixed "unknown verb: every stderr line is prefixed or usage"

# Options the tool does not know, global and per verb.
for args in "-Z check" "--bogus check" "-f" "-s" "list --bogus" \
    "show --bogus www" "check -x"; do
	# shellcheck disable=SC2086 # the words of args are the arguments
	jailctl -f "$good" $args
	is "$rc" 2 "bad option ($args): exit 2"
	is "$out" "" "bad option ($args): nothing on stdout"
	error_line "bad option ($args): a \"jailctl: \" error line, and usage"
done

# Too many or too few arguments.
for args in "check extra" "list extra" "show" "show www extra"; do
	# shellcheck disable=SC2086
	jailctl -f "$good" $args
	is "$rc" 2 "\"$args\": exit 2"
	is "$out" "" "\"$args\": nothing on stdout"
	stderr_prefixed "\"$args\": every stderr line is prefixed or usage"
done

# --- jail names -------------------------------------------------------

long64=$(printf '%064d' 0 | tr 0 a)
long63=${long64#a}
for name in "-x" "a/b" ".." "" "$long64" "a b" "www/../www"; do
	jailctl -f "$good" show "$name"
	is "$rc" 2 "show \"$name\": invalid name, exit 2"
	is "$out" "" "show \"$name\": nothing on stdout"
	error_line "show \"$name\": a \"jailctl: \" error line, and usage"
done

# After "--", a leading "-" is the name's, and the name is refused.
jailctl -f "$good" show -- -x
is "$rc" 2 "show -- -x: exit 2"
like "$err" '^jailctl: .*-x' "show -- -x: the error names \"-x\""
stderr_prefixed "show -- -x: every stderr line is prefixed"

# 63 bytes is a valid name; it is merely not defined.
jailctl -f "$good" show "$long63"
is "$rc" 1 "show <63-byte name>: valid but undefined, exit 1"

jailctl -f "$good" show nosuch
is "$rc" 1 "show nosuch: exit 1"
is "$out" "" "show nosuch: nothing on stdout"
like "$err" '^jailctl: nosuch: ' "show nosuch: \"jailctl: nosuch: ...\""
stderr_prefixed "show nosuch: every stderr line is prefixed"

jailctl -f "$good" show www
is "$rc" 0 "show www: exit 0"
like "$out" '^www \{$' "show www: prints the block"

# --- where the configuration comes from -------------------------------

for verb in check list "show www"; do
	# shellcheck disable=SC2086
	jailctl -f /nonexistent $verb
	is "$rc" 2 "-f /nonexistent $verb: exit 2"
	is "$out" "" "-f /nonexistent $verb: nothing on stdout"
	is "$err" "jailctl: /nonexistent: No such file or directory" \
	    "-f /nonexistent $verb: names the file and the cause"
done

mkdir "$TMPD/adir"
jailctl -f "$TMPD/adir" check
is "$rc" 2 "-f DIRECTORY check: exit 2"
is "$err" "jailctl: $TMPD/adir: Is a directory" \
    "-f DIRECTORY check: names the file and the cause"

cat >"$TMPD/env.conf" <<'EOF'
fromenv { path = /srv/fromenv; }
EOF
cat >"$TMPD/opt.conf" <<'EOF'
fromopt { path = /srv/fromopt; }
EOF

JAILCTL_CONF=$TMPD/env.conf jailctl -q list
is "$rc" 0 "JAILCTL_CONF list: exit 0"
like "$out" '^-[[:space:]]+fromenv[[:space:]]' "JAILCTL_CONF: its jails are listed"

JAILCTL_CONF=$TMPD/env.conf jailctl -f "$TMPD/opt.conf" -q list
is "$rc" 0 "JAILCTL_CONF and -f: exit 0"
like "$out" '^-[[:space:]]+fromopt[[:space:]]' "JAILCTL_CONF and -f: -f's jails"
unlike "$out" 'fromenv' "JAILCTL_CONF and -f: not the environment's"

JAILCTL_CONF=$TMPD/missing.conf jailctl check
is "$rc" 2 "JAILCTL_CONF=missing check: exit 2"
is "$err" "jailctl: $TMPD/missing.conf: No such file or directory" \
    "JAILCTL_CONF=missing check: names that file"

JAILCTL_CONF=$TMPD/missing.conf jailctl -f "$good" check
is "$rc" 0 "JAILCTL_CONF=missing -f good check: -f wins, exit 0"

# "-f -": standard input.
run_in "$TMPD/opt.conf" "$JAILCTL" -f - -q list
is "$rc" 0 "-f - list: exit 0"
like "$out" '^-[[:space:]]+fromopt[[:space:]]' "-f - list: reads the jails from stdin"

run_in "$TMPD/opt.conf" "$JAILCTL" -f - show fromopt
is "$rc" 0 "-f - show: exit 0"
has_line "$out" '	path = "/srv/fromopt";' "-f - show: the path from stdin"

printf 'x {\n\tpath = /srv/x;\n\tnosuchparam = 1;\n}\n' >"$TMPD/bad-stdin.conf"
run_in "$TMPD/bad-stdin.conf" "$JAILCTL" -f - check
is "$rc" 2 "-f - check with an error: exit 2"
like "$err" '^jailctl: [^:]+:3: unknown parameter "nosuchparam"' \
    "-f - check: the error at line 3 of stdin"
stderr_prefixed "-f - check: every stderr line is prefixed"

run_in /dev/null "$JAILCTL" -f - check
is "$rc" 0 "-f - check on an empty stdin: exit 0"
is "$err" "" "-f - check on an empty stdin: no message"

# Nothing above wrote outside the test's directory; the state directory
# is not even created by these read-only verbs.
if [ -e "$JAILCTL_STATEDIR" ]; then
	fail "read-only verbs create no state directory" \
	    "$(find "$JAILCTL_STATEDIR" | head)"
else
	pass "read-only verbs create no state directory"
fi

done_testing
