#!/bin/sh
# "jailctl show" and "jailctl list": the block that reads back to the same
# jail, the JSON forms, and the table; on a file of tricky values and on the
# repository's jail.conf.example.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TMPD" || bail_out "cd $TMPD"

# Jails in a deliberate, unsorted order; values that need quoting and
# escaping; values that come from "*", from globals and from variables.
cat >"$TMPD/tricky.conf" <<'EOF'
$base = "/srv/jails";
$dom = example.org;
path = "$base/$name";
* {
	host.hostname = "$name.$dom";
	exec.start = "/bin/echo hello from $name";
}
zeta { }
tricky {
	exec.start += "printf '%s\n' \"double\" 'single' \\back\\slash";
	exec.start += 'a $dollar ${brace} in single quotes';
	exec.start += "semi; colon { brace } # hash // slashes /* c */";
	exec.start += "line1\nline2\ttab é ünïcode";
	exec.start += "  leading and trailing spaces  ";
	exec.stop = "";
	exec.prestart = x\ y;
	allow.nomount;
	allow.raw_sockets;
	nopersist;
	ip4.addr = 198.18.0.10, 198.18.0.11;
	mount = "/srv/shared /srv/jails/tricky/mnt nullfs ro 0 0";
	memory.max = 1.5G;
	pids.max = 64;
	cpu.max = 1.5;
	stop.timeout = 2m;
	host.domainname = "${name}.internal";
}
alpha {
	template = busybox;
	persist;
	path = "/srv/other place/alpha";
}
mid { ip4.addr = 198.18.0.20; ip6.addr = "2001:db8::20"; }
v6only { ip6.addr = "2001:db8::7", "2001:db8::8"; }
EOF
conf=$TMPD/tricky.conf
names="zeta tricky alpha mid v6only"

jailctl -f "$conf" check
is "$rc$out$err" 0 "tricky.conf: check exits 0, silently"

# --- show: the block --------------------------------------------------

# block_shape FILE DESC NAME: "NAME {", then "\tparam = value;" or
# "\tparam;" lines, then "}".
block_shape() {
	_bad=$(awk -v name="$3" '
		NR == 1 { if ($0 != name " {") print NR ": " $0; next }
		/^}$/ { last = NR; next }
		!/^\t[a-z][a-z0-9_.]*( = .*)?;$/ { print NR ": " $0 }
		END { if (last != NR) print "no closing \"}\" at the end" }
	' "$1")
	if [ -z "$_bad" ]; then
		pass "$2"
	else
		fail "$2" "$_bad"
	fi
}

jailctl -f "$conf" show tricky
cp "$TMPD/out" "$TMPD/tricky.show"
is "$rc" 0 "show tricky: exit 0"
is "$err" "" "show tricky: nothing on stderr"
block_shape "$TMPD/tricky.show" "show tricky: a \"tricky {\" block of \"name = value;\" lines" tricky
has_line "$out" '	allow.nomount;' "show tricky: \"allow.nomount;\""
has_line "$out" '	allow.raw_sockets;' "show tricky: \"allow.raw_sockets;\""
like "$out" '^	path = "?/srv/jails/tricky"?;$' \
    "show tricky: the path from the global and \$base"
like "$out" '^	host\.hostname = "?tricky\.example\.org"?;$' \
    "show tricky: the host name from \"*\" and \$name"
like "$out" '^	host\.domainname = "?tricky\.internal"?;$' \
    "show tricky: \${name} substituted"
like "$out" '^	ip4\.addr = "?198\.18\.0\.10"?, "?198\.18\.0\.11"?;$' \
    "show tricky: a list on one line"
is "$(grep -c '^	exec\.start' "$TMPD/tricky.show")" 1 \
    "show tricky: exec.start once, as a list"

# The round trip: every jail's block, written to a file, is a valid
# configuration that shows the same blocks and the same JSON again.
: >"$TMPD/rt.conf"
for n in $names; do
	"$JAILCTL" -f "$conf" show "$n" >>"$TMPD/rt.conf" 2>>"$TMPD/rt.err"
done
is "$(cat "$TMPD/rt.err")" "" "round trip: every jail shown without a message"
jailctl -f "$TMPD/rt.conf" check
is "$rc$out$err" 0 "round trip: the shown blocks check, silently"
for n in $names; do
	"$JAILCTL" -f "$conf" show "$n" >"$TMPD/a.show" 2>&1
	"$JAILCTL" -f "$TMPD/rt.conf" show "$n" >"$TMPD/b.show" 2>&1
	same_file "$TMPD/b.show" "$TMPD/a.show" \
	    "round trip: show $n reads back to the identical text"
	"$JAILCTL" -f "$conf" show "$n" --json >"$TMPD/a.json" 2>&1
	"$JAILCTL" -f "$TMPD/rt.conf" show "$n" --json >"$TMPD/b.json" 2>&1
	same_file "$TMPD/b.json" "$TMPD/a.json" \
	    "round trip: show $n --json is the same"
done
"$JAILCTL" -f "$conf" -q list >"$TMPD/a.list" 2>&1
"$JAILCTL" -f "$TMPD/rt.conf" -q list >"$TMPD/b.list" 2>&1
same_file "$TMPD/b.list" "$TMPD/a.list" "round trip: the same list"

# --- show --json --------------------------------------------------------

jailctl -f "$conf" show --json tricky
cp "$TMPD/out" "$TMPD/tricky1.json"
is "$rc" 0 "show --json tricky: exit 0"
jailctl -f "$conf" show tricky --json
cp "$TMPD/out" "$TMPD/tricky2.json"
is "$rc" 0 "show tricky --json: exit 0"
same_file "$TMPD/tricky2.json" "$TMPD/tricky1.json" \
    "show tricky --json and show --json tricky print the same"
json_valid "$TMPD/tricky1.json" "show --json tricky: valid JSON"

json_check "$TMPD/tricky1.json" "show --json tricky: the values, typed" <<'EOF'
assert isinstance(d, dict), type(d)
assert d["name"] == "tricky", d["name"]
assert d["path"] == "/srv/jails/tricky", d["path"]
assert d["host.hostname"] == "tricky.example.org", d["host.hostname"]
assert d["host.domainname"] == "tricky.internal", d["host.domainname"]
assert d["exec.start"] == [
    "/bin/echo hello from tricky",
    "printf '%s\n' \"double\" 'single' \\back\\slash",
    "a $dollar ${brace} in single quotes",
    "semi; colon { brace } # hash // slashes /* c */",
    "line1\nline2\ttab \u00e9 \u00fcn\u00efcode",
    "  leading and trailing spaces  ",
], d["exec.start"]
assert d["exec.stop"] == [""], d["exec.stop"]
assert d["exec.prestart"] == ["x y"], d["exec.prestart"]
assert d["ip4.addr"] == ["198.18.0.10", "198.18.0.11"], d["ip4.addr"]
assert d["mount"] == ["/srv/shared /srv/jails/tricky/mnt nullfs ro 0 0"], d["mount"]
EOF

json_check "$TMPD/tricky1.json" "show --json tricky: booleans are true/false" <<'EOF'
assert d["allow.mount"] is False, d["allow.mount"]
assert d["allow.raw_sockets"] is True, d["allow.raw_sockets"]
assert d["persist"] is False, d["persist"]
assert d["mount.devfs"] is True, d["mount.devfs"]
EOF

json_check "$TMPD/tricky1.json" "show --json tricky: sizes are integers of bytes" <<'EOF'
v = d["memory.max"]
assert type(v) is int and v == 1610612736, v
assert type(d["pids.max"]) is int and d["pids.max"] == 64, d["pids.max"]
assert type(d["stop.timeout"]) is int and d["stop.timeout"] == 120, d["stop.timeout"]
assert d["cpu.max"] == 1.5 and type(d["cpu.max"]) in (int, float), d["cpu.max"]
EOF

json_check "$TMPD/tricky1.json" "show --json tricky: lists are arrays, others not" <<'EOF'
for k in ("exec.start", "exec.stop", "ip4.addr", "mount"):
    assert isinstance(d[k], list), (k, d[k])
for k in ("path", "host.hostname", "name"):
    assert isinstance(d[k], str), (k, d[k])
EOF

jailctl -f "$conf" show --json alpha
cp "$TMPD/out" "$TMPD/alpha.json"
json_check "$TMPD/alpha.json" "show --json alpha: template, persist, path" <<'EOF'
assert d["template"] == "busybox", d.get("template")
assert d["persist"] is True, d["persist"]
assert d["path"] == "/srv/other place/alpha", d["path"]
EOF

jailctl -f "$conf" show --json nosuch
is "$rc" 1 "show --json nosuch: exit 1"
is "$out" "" "show --json nosuch: nothing on stdout"

# --- list -------------------------------------------------------------

jailctl -f "$conf" list
cp "$TMPD/out" "$TMPD/list.txt"
is "$rc" 0 "list: exit 0"
is "$err" "" "list: nothing on stderr"
is "$(head -n 1 "$TMPD/list.txt" | tr -s ' ')" \
    "JID NAME STATE PID HOSTNAME IP PATH" "list: the header"
is "$(awk 'NR > 1 { printf "%s ", $2 }' "$TMPD/list.txt")" "$names " \
    "list: one row per jail, in file order"
is "$(awk 'NR > 1 && ($1 != "-" || $3 != "stopped" || $4 != "-")' \
    "$TMPD/list.txt")" "" "list: every row \"- NAME stopped -\""
# HOSTNAME IP PATH of a few rows; the path is the rest of the line.
cols() {
	awk -v n="$1" 'NR > 1 && $2 == n {
		p = $0
		for (i = 1; i <= 6; i++)
			sub(/^[^ ]+ +/, "", p)
		print $5 "|" $6 "|" p
	}' "$TMPD/list.txt"
}
is "$(cols tricky)" "tricky.example.org|198.18.0.10|/srv/jails/tricky" \
    "list: tricky's host name, first IPv4 address, path"
is "$(cols zeta)" "zeta.example.org|-|/srv/jails/zeta" \
    "list: zeta has no address: \"-\""
is "$(cols v6only)" "v6only.example.org|2001:db8::7|/srv/jails/v6only" \
    "list: v6only shows its first IPv6 address"
is "$(cols alpha)" "alpha.example.org|-|/srv/other place/alpha" \
    "list: a path with a space, whole"
is "$(awk 'NR == 1 { h = index($0, "PATH") }
    NR > 1 && index($0, "/srv/") != h { print NR ": " $0 }' "$TMPD/list.txt")" \
    "" "list: the PATH column lines up with its header"

jailctl -f "$conf" -q list
is "$rc" 0 "-q list: exit 0"
unlike "$out" 'JID|HOSTNAME' "-q list: no header"
is "$(printf '%s\n' "$out" | awk '{ printf "%s ", $2 }')" "$names " \
    "-q list: just the rows, in file order"

jailctl -f "$conf" list --json
cp "$TMPD/out" "$TMPD/list.json"
is "$rc" 0 "list --json: exit 0"
json_valid "$TMPD/list.json" "list --json: valid JSON"
json_check "$TMPD/list.json" "list --json: {\"jails\": [...]}, every key" <<'EOF'
assert list(d.keys()) == ["jails"], list(d.keys())
js = d["jails"]
assert [j["name"] for j in js] == ["zeta", "tricky", "alpha", "mid", "v6only"], js
for j in js:
    for k in ("jid", "name", "state", "pid", "hostname", "ip4", "ip6",
              "path", "template"):
        assert k in j, (j["name"], k)
    assert j["jid"] is None, (j["name"], j["jid"])
    assert j["pid"] is None, (j["name"], j["pid"])
    assert j["state"] == "stopped", (j["name"], j["state"])
    assert isinstance(j["ip4"], list) and isinstance(j["ip6"], list), j
EOF
json_check "$TMPD/list.json" "list --json: the values" <<'EOF'
by = dict((j["name"], j) for j in d["jails"])
t = by["tricky"]
assert t["hostname"] == "tricky.example.org", t
assert t["ip4"] == ["198.18.0.10", "198.18.0.11"] and t["ip6"] == [], t
assert t["path"] == "/srv/jails/tricky" and t["template"] is None, t
assert by["alpha"]["template"] == "busybox", by["alpha"]
assert by["alpha"]["path"] == "/srv/other place/alpha", by["alpha"]
assert by["mid"]["ip4"] == ["198.18.0.20"], by["mid"]
assert by["mid"]["ip6"] == ["2001:db8::20"], by["mid"]
assert by["v6only"]["ip4"] == [], by["v6only"]
assert by["v6only"]["ip6"] == ["2001:db8::7", "2001:db8::8"], by["v6only"]
EOF

# A file with no jail at all.
cat >"$TMPD/empty.conf" <<'EOF'
# nothing but a global
path = "/srv/$name";
EOF
jailctl -f "$TMPD/empty.conf" list
is "$rc" 0 "list, no jails: exit 0"
is "$(printf '%s\n' "$out" | tr -s ' ')" "JID NAME STATE PID HOSTNAME IP PATH" \
    "list, no jails: the header alone"
jailctl -f "$TMPD/empty.conf" -q list
is "$rc$out" 0 "-q list, no jails: nothing"
jailctl -f "$TMPD/empty.conf" list --json
cp "$TMPD/out" "$TMPD/empty.json"
json_check "$TMPD/empty.json" "list --json, no jails: {\"jails\": []}" <<'EOF'
assert d == {"jails": []}, d
EOF

# --- the repository's example ------------------------------------------

example=$REPO/jail.conf.example
if [ ! -f "$example" ]; then
	skip "jail.conf.example: check, list, show" "jail.conf.example is not there yet"
else
	jailctl -f "$example" check
	is "$rc" 0 "example: check exits 0"
	is "$out" "" "example: check prints nothing on stdout"
	unlike "$err" "^jailctl: [^ ]+:[0-9]+: [^w]" "example: no error message"
	if [ -n "$err" ]; then
		diag "example: check says:" "$err"
	fi

	jailctl -q -f "$example" list
	exrows=$out
	jailctl -f "$example" list
	cp "$TMPD/out" "$TMPD/ex.list"
	is "$rc" 0 "example: list exits 0"
	is "$(sed -n '/^JID /p' "$TMPD/ex.list" | tr -s ' ')" \
	    "JID NAME STATE PID HOSTNAME IP PATH" "example: list header"
	exnames=$(printf '%s\n' "$exrows" | awk '{ print $2 }')
	if [ -n "$exnames" ]; then
		pass "example: defines jails ($(printf '%s' "$exnames" | tr '\n' ' '))"
	else
		fail "example: defines jails"
	fi
	is "$(printf '%s\n' "$exrows" | awk '$3 != "stopped"')" "" \
	    "example: every jail is listed as stopped"

	jailctl -f "$example" list --json
	cp "$TMPD/out" "$TMPD/ex.json"
	json_valid "$TMPD/ex.json" "example: list --json is valid JSON"

	# -q from here: a FreeBSD-only parameter in the example may warn.
	: >"$TMPD/ex-rt.conf"
	for n in $exnames; do
		jailctl -q -f "$example" show "$n"
		cp "$TMPD/out" "$TMPD/ex-$n.show"
		is "$rc$err" 0 "example: show $n exits 0, silently"
		block_shape "$TMPD/ex-$n.show" "example: show $n is a block" "$n"
		cat "$TMPD/ex-$n.show" >>"$TMPD/ex-rt.conf"
		jailctl -q -f "$example" show "$n" --json
		cp "$TMPD/out" "$TMPD/ex-$n.json"
		json_valid "$TMPD/ex-$n.json" "example: show $n --json is valid JSON"
	done
	jailctl -q -f "$TMPD/ex-rt.conf" check
	is "$rc$out$err" 0 "example round trip: the shown blocks check"
	for n in $exnames; do
		"$JAILCTL" -q -f "$TMPD/ex-rt.conf" show "$n" >"$TMPD/b.show" 2>&1
		same_file "$TMPD/b.show" "$TMPD/ex-$n.show" \
		    "example round trip: show $n reads back the same"
	done
fi

done_testing
