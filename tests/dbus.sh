#!/bin/sh
# D-Bus: a private bus of the test's own (dbus-daemon with its own config, in a temp
# dir), two clients owning and queueing for well-known names; ipctop must report both
# names, their owners' pids and their sockets (in the D-Bus objects and in the UNIX
# sockets), the activatable name not running, the match rules; a bus whose daemon is
# stopped (SIGSTOP) must not hold ipctop up; a bus of another user is read as that
# user; the full-screen D-Bus pane shows the names.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_SRCDIR/tui_lib.sh"
require_root
command -v dbus-daemon >/dev/null || skip_all "dbus-daemon not installed"
[ -x "${DBUS_CLIENT:-}" ] || skip_all "ipctop built without D-Bus support (no tests/dbus_client)"
$IPCTOP -J --only=dbus >"$TMPD/probe.json" 2>&1 || skip_all "ipctop --only=dbus failed"
grep -q '"supported": true' "$TMPD/probe.json" || skip_all "ipctop built without D-Bus support"

skip_one() { tap_count=$((tap_count + 1)); printf 'ok %d # SKIP %s\n' "$tap_count" "$*"; }

DAEMONS=""
CLIENTS=""
dbus_cleanup() {
	for p in $CLIENTS $DAEMONS; do
		kill -CONT "$p" 2>/dev/null
		kill -TERM "$p" 2>/dev/null
	done
	for p in $CLIENTS; do
		wait "$p" 2>/dev/null
	done
	CLIENTS=""
	DAEMONS=""
	cleanup
}
trap dbus_cleanup EXIT
trap 'dbus_cleanup; exit 1' INT TERM HUP PIPE

# start_bus DIR [SETPRIV-ARGS...]: a dbus-daemon listening on DIR/bus; its pid in $bus_pid
start_bus() {
	dir=$1; shift
	mkdir -p "$dir/services"
	cat >"$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
	printf '[D-BUS Service]\nName=org.ipctop.Test.Activatable%s\nExec=/bin/false\n' "$$" \
		>"$dir/services/org.ipctop.Test.Activatable$$.service"
	"$@" dbus-daemon --config-file="$dir/bus.conf" --fork --print-address=1 --print-pid=1 \
		>"$dir/daemon.out" 2>"$dir/daemon.err" || { sed 's/^/# /' "$dir/daemon.err"; return 1; }
	bus_pid=$(sed -n 2p "$dir/daemon.out")
	DAEMONS="$DAEMONS $bus_pid"
	[ -S "$dir/bus" ]
}

# start_client NAME ADDRESS BUSNAME...: its unique name, pid and socket inode in
# $NAME_unique, $NAME_pid, $NAME_inode ($AS: a command prefix, e.g. setpriv ...)
start_client() {
	cname=$1; caddr=$2; shift 2
	mkfifo "$TMPD/$cname.in"
	$AS "$DBUS_CLIENT" "$caddr" "$@" <"$TMPD/$cname.in" >"$TMPD/$cname.out" 2>"$TMPD/$cname.err" &
	cpid=$!
	CLIENTS="$CLIENTS $cpid"
	eval "exec ${fdn}>\"\$TMPD/\$cname.in\""    # hold its stdin open
	fdn=$((fdn + 1))
	i=0
	while ! grep -q '^READY' "$TMPD/$cname.out" 2>/dev/null; do
		if ! kill -0 "$cpid" 2>/dev/null; then
			sed 's/^/# /' "$TMPD/$cname.err"
			return 1
		fi
		i=$((i + 1)); [ $i -lt 500 ] || return 1
		sleep 0.02
	done
	read -r _ u p ino <"$TMPD/$cname.out"
	eval "${cname}_unique=\$u ${cname}_pid=\$p ${cname}_inode=\$ino"
}
fdn=5
AS=""

NA=org.ipctop.Test.A$$
NB=org.ipctop.Test.B$$
start_bus "$TMPD/b1" || { not_ok "the private bus starts"; done_testing; exit 1; }
daemon1=$bus_pid
addr="unix:path=$TMPD/b1/bus"
ok "the private bus starts (pid $daemon1)"
start_client a "$addr" "$NA" || { not_ok "client a starts"; done_testing; exit 1; }
start_client b "$addr" "$NB" "$NA" || { not_ok "client b starts"; done_testing; exit 1; }
ok "two clients: a $a_unique (pid $a_pid) owns $NA; b $b_unique (pid $b_pid) owns $NB, queues for $NA"

# jcheck DESCRIPTION PYTHON-EXPRESSION: over the JSON document d (bus b1: bus, its
# connections by unique name: c, UNIX sockets by inode: u). The connections of b1 are those
# whose daemon end is a socket b1's daemon holds: a bus of a test running beside this one
# has the same label (session:0) and unique names like ours, and another test's ipctop may
# be on b1 for a moment, so what is checked is our clients, not the whole list.
jcheck() {
	desc=$1; expr=$2
	if python3 - "$TMPD/out.json" "$TMPD/b1/bus" "$a_unique" "$b_unique" "$daemon1" <<EOF 2>"$TMPD/py.err"
import json, sys
d = json.load(open(sys.argv[1]))
path, ua, ub, daemon = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
bus = [x for x in d["dbus"]["buses"] if x.get("path") == path]
b = bus[0] if len(bus) == 1 else {}
u = {o["inode"]: o for o in d["objects"] if o["kind"] == "unix"}
held = {i for i, o in u.items() if daemon in [h["pid"] for h in o.get("holders") or []]}
c = {o["unique_name"]: o for o in d["objects"] if o["kind"] == "dbus" and o["bus"] == b.get("bus")
     and b.get("reached") and o.get("daemon_socket_inode") in held}
sys.exit(0 if ($expr) else 1)
EOF
	then ok "$desc"; else not_ok "$desc"; sed 's/^/# /' "$TMPD/py.err"; fi
}

$IPCTOP -J --only=dbus,unix >"$TMPD/out.json" 2>"$TMPD/err" &
json_pid=$!
wait "$json_pid"
check "ipctop -J --only=dbus,unix succeeds" [ $? -eq 0 ]
jcheck "the bus is found through its daemon's listening socket and read" \
	"b.get('reached') is True and b['daemons'][0]['pid'] == $daemon1 and b['daemons'][0]['command'] == 'dbus-daemon' and b['bus'] == 'session:0'"
jcheck "connection a: its name, pid, command, user" \
	"c[ua]['names'] == ['$NA'] and c[ua]['pid'] == $a_pid and c[ua]['command'] == 'dbus_client' and c[ua]['uid'] == 0"
jcheck "connection b: its name, the name it queues for, its pid" \
	"c[ub]['names'] == ['$NB'] and c[ub]['queued'] == ['$NA'] and c[ub]['pid'] == $b_pid"
jcheck "each connection is joined to its own socket, held by its client" \
	"c[ua]['socket_inode'] == $a_inode and c[ub]['socket_inode'] == $b_inode and [h['pid'] for h in c[ua]['holders']] == [$a_pid]"
jcheck "the daemon's end of each socket is its peer, held by the daemon" \
	"all(u[c[x]['daemon_socket_inode']]['peer_inode'] == c[x]['socket_inode'] and u[c[x]['daemon_socket_inode']]['holders'][0]['pid'] == $daemon1 for x in (ua, ub))"
jcheck "the UNIX sockets carry the bus name of their connection (both ends)" \
	"u[$a_inode]['dbus'] == ua + ' $NA' and u[$b_inode]['dbus'] == ub + ' $NB' and u[c[ua]['daemon_socket_inode']]['dbus'] == ua + ' $NA'"
jcheck "the activatable name that is not running is listed" \
	"b['activatable'] == ['org.ipctop.Test.Activatable$$']"
jcheck "statistics: the match rule of each client, counted and listed" \
	"b['stats'] is True and c[ua]['match_rules'] == 1 and c[ua]['match_rule_list'] == [\"type='signal',interface='org.ipctop.Test'\"]"
jcheck "ipctop's own connection is not listed (none of pid $json_pid, on any bus)" \
	"all(o['pid'] != $json_pid for o in d['objects'] if o['kind'] == 'dbus') and {ua, ub} <= set(c)"

# the same in batch text
$IPCTOP -b --only=dbus >"$TMPD/out.txt" 2>&1
check "text: the bus and its connections" grep -q "^  session:0  $addr  daemon $daemon1(dbus-daemon)" "$TMPD/out.txt"
check "text: a's row has its pid and name" grep -Eq "^session:0 +$a_unique +$a_pid dbus_client .* $NA" "$TMPD/out.txt"
check "text: b's row has its name and the queued one" grep -Eq "^session:0 +$b_unique +$b_pid dbus_client .* $NB +$NA\$" "$TMPD/out.txt"
check "text: activatable names" grep -q "activatable, not running: 1 org.ipctop.Test.Activatable$$" "$TMPD/out.txt"

# --dbus-address: a bus named by its address
$IPCTOP -J --only=dbus --dbus-address="$addr" >"$TMPD/addr.json" 2>&1
check "--dbus-address reads the bus at that address too" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = [x for x in d["dbus"]["buses"] if x["bus"] == sys.argv[2]]
c = [o for o in d["objects"] if o["kind"] == "dbus" and o["bus"] == sys.argv[2]]
# (another ipctop, of a test running beside this one, may be on the bus for a moment)
sys.exit(0 if len(b) == 1 and b[0]["reached"] and set(sys.argv[3:5]) <= set(o["unique_name"] for o in c) else 1)' \
	"$TMPD/addr.json" "$addr" "$a_unique" "$b_unique" || grep -A3 "\"notes\"" "$TMPD/addr.json" | sed "s/^/# /"
$IPCTOP -b --only=dbus --dbus-address= >/dev/null 2>"$TMPD/err"
check "--dbus-address with an empty value is refused (exit 2)" [ $? -eq 2 ]

# a bus of another user: read as that user (root's EXTERNAL authentication is refused)
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	nuid=$(id -u nobody); ngid=$(id -g nobody)
	mkdir -p "$TMPD/b2" && chown nobody "$TMPD/b2" && chmod 755 "$TMPD"
	if start_bus "$TMPD/b2" setpriv --reuid="$nuid" --regid="$ngid" --clear-groups; then
		daemon2=$bus_pid
		addr2="unix:path=$TMPD/b2/bus"
		NC=org.ipctop.Test.C$$
		AS="setpriv --reuid=$nuid --regid=$ngid --clear-groups"
		start_client c "$addr2" "$NC" || not_ok "client c starts as uid $nuid"
		AS=""
		$IPCTOP -J --only=dbus >"$TMPD/other.json" 2>&1
		check "a bus of uid $nuid is read as that user: its client's name and pid" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = [x for x in d["dbus"]["buses"] if x.get("path") == sys.argv[2]]
ok = len(b) == 1 and b[0]["reached"] and b[0]["read_as_owner"] and b[0]["bus"] == "session:" + sys.argv[3] and b[0]["daemons"][0]["pid"] == int(sys.argv[4])
# (a bus of uid N of a test running beside this one has the same label and unique names
# like ours: the client is the connection of that unique name and pid)
c = [o for o in d["objects"] if o["kind"] == "dbus" and o["bus"] == "session:" + sys.argv[3] and o["unique_name"] == sys.argv[5]
     and o["pid"] == int(sys.argv[7])]
ok = ok and len(c) == 1 and c[0]["names"] == [sys.argv[6]] and c[0]["uid"] == int(sys.argv[3])
sys.exit(0 if ok else 1)' "$TMPD/other.json" "$TMPD/b2/bus" "$nuid" "$daemon2" "${c_unique:-}" "$NC" "${c_pid:-0}"
	else
		not_ok "a dbus-daemon runs as nobody"
	fi
else
	skip_one "no setpriv or no user nobody"
fi

# a stopped daemon: ipctop answers anyway, and says why the bus is not read
kill -STOP "$daemon1"
timeout 60 $IPCTOP -J --only=dbus >"$TMPD/stopped.json" 2>&1
rc=$?
kill -CONT "$daemon1"
check "a stopped daemon does not hold ipctop up (exit $rc)" [ $rc -eq 0 ]
check "... and its bus is reported not read, with the reason" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = [x for x in d["dbus"]["buses"] if x.get("path") == sys.argv[2]]
sys.exit(0 if len(b) == 1 and not b[0]["reached"] and "no answer" in b[0]["error"] else 1)' \
	"$TMPD/stopped.json" "$TMPD/b1/bus"
check "... and a note says so" grep -q "\"source\": \"D-Bus\", \"message\": \"session:0 ($addr): no answer" "$TMPD/stopped.json"

# the full-screen program: the D-Bus pane lists both names
if command -v tmux >/dev/null; then
	tui_start 200 40 "$IPCTOP -d 0.5 --only=dbus,unix"
	check "the tab bar has the D-Bus pane" wait_screen "B D-Bus"
	keys B
	check "the D-Bus pane shows a's name" wait_screen "$a_unique .*$NA"
	check "the D-Bus pane shows b's name and its queue" wait_screen "$b_unique .*$NB"
	keys / "$NB" Enter
	keys Enter
	check "drill-down: b's page names its process" wait_screen "process .*$b_pid (dbus_client)"
	check "drill-down: b's page lists the name it queues for" wait_screen "queued for .*$NA"
	keys Escape
	keys 2 '\'
	type_text "$NA"
	keys Enter
	check "the UNIX pane filtered by a's name shows its socket with the bus name" \
		wait_screen "$a_inode .*$a_unique $NA"
	keys q
	tui_stop
else
	skip_one "tmux not installed"
fi

dbus_cleanup
trap - EXIT
for p in $daemon1 ${daemon2:-}; do
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 250 ]; do i=$((i + 1)); sleep 0.02; done
	check "daemon $p is gone" sh -c "! kill -0 $p 2>/dev/null"
done
done_testing
