#!/bin/sh
# IPC namespaces: a namespace of our own (unshare --ipc --mount, with its own /dev/shm)
# holds SysV objects and POSIX queues and shared memory with the SAME keys and names as
# objects this test makes on the host. ipctop shows both, each in its namespace with its
# own holders; --namespace picks one; --remove in a namespace removes that one only.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_SRCDIR/tui_lib.sh"
require_root
unshare --ipc --mount --fork true 2>/dev/null || skip_all "cannot make namespaces (unshare)"

# SysV keys of a range no other helper uses (those are 0x1b0cXXXX), the same in both
key=$(printf '0x1b0d%03x0' $(($$ & 0xfff)))
specs="sysv_msg:0600:2:10 sysv_shm:0600:4096:1 sysv_sem:0600:3,4 posix_mq:0600:q:4:16:1 posix_shm_map:0600:s:100:1 pipe:7"

# shellcheck disable=SC2086
start_objects host -k "$key" $specs || { not_ok "host objects made"; done_testing; exit 1; }
ok "host objects made"

mkfifo "$TMPD/ns.in"
# shellcheck disable=SC2016,SC2086
unshare --ipc --mount --kill-child=TERM sh -c \
	'mount -t tmpfs -o size=1m,mode=1777 tmpfs /dev/shm && exec "$0" "$@"' \
	"$MKOBJ" -p "$IPCTOP_TEST_PREFIX" -k "$key" $specs \
	<"$TMPD/ns.in" >"$TMPD/ns.out" 2>"$TMPD/ns.err" &
MKOBJ_PIDS="$MKOBJ_PIDS $!"
exec 8>"$TMPD/ns.in"
i=0
while ! grep -q '^READY' "$TMPD/ns.out" 2>/dev/null && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
nspid=$(sed -n 's/^READY \([0-9]*\)$/\1/p' "$TMPD/ns.out")
[ -n "$nspid" ] || { cat "$TMPD/ns.err" | sed 's/^/# /'; not_ok "namespace objects made"; done_testing; exit 1; }
ok "namespace objects made (helper $nspid)"
grep -v '^READY' "$TMPD/ns.out" >"$TMPD/ns.objs"

# the namespace's helper in a cgroup named as docker names a container's (cgroup v1
# cgroupfs driver: .../docker/ID), so ipctop can tell the container
# (its short id, the first 12 digits, is our pid in decimal: two runs of this test at
# once are two containers, and an id of digits alone must not be taken for an inode)
cid=$(printf '%012d' $$)$(printf '0123456789abcdef%.0s' 1 2 3 4 | cut -c1-52)
cgdir=
for root in /sys/fs/cgroup/pids /sys/fs/cgroup; do
	case $(stat -f -c %T "$root" 2>/dev/null) in cgroupfs|cgroup2fs) ;; *) continue ;; esac
	if mkdir -p "$root/ipctop-test-$$/docker/$cid" 2>/dev/null &&
		echo "$nspid" >"$root/ipctop-test-$$/docker/$cid/cgroup.procs" 2>/dev/null; then
		cgdir=$root/ipctop-test-$$
		break
	fi
	rmdir "$root/ipctop-test-$$/docker/$cid" "$root/ipctop-test-$$/docker" "$root/ipctop-test-$$" 2>/dev/null
done
second=
cg_cleanup() {
	[ -n "$second" ] && kill "$second" 2>/dev/null
	[ -n "$cgdir" ] || return 0
	# empty once the helper has exited
	i=0
	while ! rmdir "$cgdir/docker/$cid" 2>/dev/null && [ $i -lt 250 ]; do i=$((i + 1)); sleep 0.02; done
	rmdir "$cgdir/docker" "$cgdir" 2>/dev/null
}
trap 'cleanup; cg_cleanup' EXIT
container=
[ -n "$cgdir" ] && container=docker:$(echo "$cid" | cut -c1-12)
echo "# container: ${container:-none (no cgroup hierarchy to make one in)}"

host_ns=$(stat -L -c %i /proc/self/ns/ipc)
ns_ns=$(stat -L -c %i "/proc/$nspid/ns/ipc")
check "the helper is in another IPC namespace" [ "$host_ns" != "$ns_ns" ]

# check.py JSON NAME: each of our objects twice, once per namespace, with its holders
cat >"$TMPD/check.py" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
prefix, key, host_ns, ns_ns, host_pid, ns_pid, want, container = sys.argv[2:10]
# what each helper made, by namespace and kind: the values only msgctl and semctl give
# (a queue's byte limit, a set's values) are read in the namespace, and differ
made = {}
for where, path in (("host", sys.argv[10]), ("ns", sys.argv[11])):
    for line in open(path):
        m = json.loads(line)
        made[(where, m["kind"])] = m["expect"]
container = container or None
key, host_ns, ns_ns = int(key, 0), int(host_ns), int(ns_ns)
want = want.split(",")        # the namespaces expected: host, ns
def tap(ok, d): print(("ok - " if ok else "not ok - ") + d)
def ours(o):
    if o["kind"].startswith("sysv_"):
        return key <= o["key"] < key + 16
    return (o.get("name") or "").startswith(prefix)
objs = [o for o in doc["objects"] if ours(o)]
for kind in ("sysv_msg", "sysv_shm", "sysv_sem", "posix_mq", "posix_shm"):
    got = sorted((o["ipc_ns"] for o in objs if o["kind"] == kind), key=str)
    exp = sorted(([host_ns] if "host" in want else []) + ([ns_ns] if "ns" in want else []), key=str)
    tap(got == exp, "%s: one in each namespace asked for (%s), got %s" % (kind, ",".join(want), got))
    names = {(o.get("key"), o.get("name")) for o in objs if o["kind"] == kind}
    tap(len(names) <= 1, "%s: the same key or name in both" % kind)
    for o in objs:
        if o["kind"] != kind or "holders" not in o:
            continue
        pids = {h["pid"] for h in o["holders"]}
        mine, other = (host_pid, ns_pid) if o["ipc_ns"] == host_ns else (ns_pid, host_pid)
        where = "host" if o["ipc_ns"] == host_ns else "namespace"
        tap(int(mine) in pids and int(other) not in pids,
            "%s in the %s: held by its own helper %s only, holders %s" % (kind, where, mine, sorted(pids)))
    for o in objs:
        if o["kind"] == kind:
            exp = container if o["ipc_ns"] == ns_ns else None
            tap(o["container"] == exp, "%s: container %s" % (kind, exp))
    for o in objs:
        where = "host" if o["ipc_ns"] == host_ns else "ns"
        if o["kind"] != kind or kind not in ("sysv_msg", "sysv_sem"):
            continue
        e = made[(where, kind)]
        for f in ("max_bytes",) if kind == "sysv_msg" else ("semaphores", "ncnt", "zcnt"):
            tap(o.get(f) == e[f], "%s in the %s: %s %r (made %r)" % (kind, where, f, o.get(f), e[f]))
PY
"$IPCTOP" -J --only=sysv,posix >"$TMPD/all.json" 2>"$TMPD/err"
check "ipctop -J exits 0" [ $? -eq 0 ]
sed 's/^/# stderr: /' "$TMPD/err"
run_tap python3 "$TMPD/check.py" "$TMPD/all.json" "$IPCTOP_TEST_PREFIX" "$key" "$host_ns" "$ns_ns" "$host_pid" "$nspid" host,ns "$container" "$TMPD/host.objs" "$TMPD/ns.objs"

"$IPCTOP" -J --only=sysv,posix --namespace "$ns_ns" >"$TMPD/ns.json"
run_tap python3 "$TMPD/check.py" "$TMPD/ns.json" "$IPCTOP_TEST_PREFIX" "$key" "$host_ns" "$ns_ns" "$host_pid" "$nspid" ns "$container" "$TMPD/host.objs" "$TMPD/ns.objs"
"$IPCTOP" -J --only=sysv,posix --namespace own >"$TMPD/own.json"
run_tap python3 "$TMPD/check.py" "$TMPD/own.json" "$IPCTOP_TEST_PREFIX" "$key" "$host_ns" "$ns_ns" "$host_pid" "$nspid" host "$container" "$TMPD/host.objs" "$TMPD/ns.objs"

if [ -n "$container" ]; then
	"$IPCTOP" -J --only=sysv,posix --namespace "$(echo "$cid" | cut -c1-12)" >"$TMPD/cid.json"
	run_tap python3 "$TMPD/check.py" "$TMPD/cid.json" "$IPCTOP_TEST_PREFIX" "$key" "$host_ns" "$ns_ns" "$host_pid" "$nspid" ns "$container" "$TMPD/host.objs" "$TMPD/ns.objs"
	python3 -c 'import json, sys; [print("# cid.json note: %s: %s" % (n["source"], n["message"])) for n in json.load(open(sys.argv[1]))["notes"]]' "$TMPD/cid.json"
	# a second IPC namespace in the same container: the id names neither
	unshare --ipc sleep 60 &
	second=$!
	echo "$second" >"$cgdir/docker/$cid/cgroup.procs"
	"$IPCTOP" -J --only=sysv_msg --namespace "$(echo "$cid" | cut -c1-12)" >"$TMPD/two.json"
	check "a container with two IPC namespaces: --namespace ID says so and shows none of them" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
notes = [n["message"] for n in d["notes"] if "names 2 IPC namespaces" in n["message"]]
print("# %r" % notes)
sys.exit(0 if notes and not [o for o in d["objects"] if o["kind"] == "sysv_msg"] else 1)' "$TMPD/two.json"
	kill "$second"
	wait "$second" 2>/dev/null
	second=
fi

# Prometheus: the counts per namespace, and which container each is
"$IPCTOP" --format=prometheus --only=sysv,posix >"$TMPD/out.prom"
check "prometheus: SysV queues counted in the namespace" grep -q "^ipctop_objects{kind=\"sysv_msg\",namespace=\"$ns_ns\"} [1-9]" "$TMPD/out.prom"
check "prometheus: POSIX queues counted in the namespace" grep -q "^ipctop_objects{kind=\"posix_mq\",namespace=\"$ns_ns\"} [1-9]" "$TMPD/out.prom"
check "prometheus: the namespace and its container" grep -qx "ipctop_namespace_info{namespace=\"$ns_ns\",own=\"false\",container=\"$container\"} 1" "$TMPD/out.prom"
check "prometheus: ours" grep -qx "ipctop_namespace_info{namespace=\"$host_ns\",own=\"true\",container=\"\"} 1" "$TMPD/out.prom"

# the kinds that are not in a namespace are of their holders' (a pipe each helper made);
# --namespace keeps those a process of the namespace holds
cat >"$TMPD/pipes.py" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
host_objs, ns_objs, host_ns, ns_ns, container, only = sys.argv[2:8]
host_ns, ns_ns, container = int(host_ns), int(ns_ns), container or None
def pipe(path):
    return [json.loads(l)["expect"]["inode"] for l in open(path) if json.loads(l)["kind"] == "pipe"][0]
pipes = {o["inode"]: o for o in doc["objects"] if o["kind"] == "pipe"}
def tap(ok, d): print(("ok - " if ok else "not ok - ") + d)
for where, ino, ns, cont in (("host", pipe(host_objs), host_ns, None), ("ns", pipe(ns_objs), ns_ns, container)):
    o = pipes.get(ino)
    if only == "ns" and where == "host":
        tap(o is None, "%s: the host helper's pipe %d is not listed" % (only, ino))
        continue
    tap(o is not None and o["ipc_ns"] == ns and o["container"] == cont,
        "%s: the %s helper's pipe %d: namespace %s, container %s (ipctop: %s)" %
        (only, where, ino, ns, cont, o and (o["ipc_ns"], o["container"])))
if only == "ns":
    def pid_ns(pid):
        try: return os.stat("/proc/%d/ns/ipc" % pid).st_ino
        except OSError: return None
    bad = [o["inode"] for o in pipes.values() if not any(pid_ns(h["pid"]) == ns_ns for h in o["holders"])]
    tap(not bad, "%s: every pipe listed has a holder in the namespace (not: %s)" % (only, bad))
PY
"$IPCTOP" -J --only=pipe >"$TMPD/pipes.json"
run_tap python3 "$TMPD/pipes.py" "$TMPD/pipes.json" "$TMPD/host.objs" "$TMPD/ns.objs" "$host_ns" "$ns_ns" "$container" all
"$IPCTOP" -J --only=pipe --namespace "$ns_ns" >"$TMPD/nspipes.json"
run_tap python3 "$TMPD/pipes.py" "$TMPD/nspipes.json" "$TMPD/host.objs" "$TMPD/ns.objs" "$host_ns" "$ns_ns" "$container" ns

# a connection from the namespace to a listener of ours: --namespace keeps the client's
# socket and its peer, our accepted end (so the two agree with the full-screen i)
cat >"$TMPD/conn.py" <<'PY'
import os, socket, sys
path = sys.argv[2]
if sys.argv[1] == "server":
    l = socket.socket(socket.AF_UNIX); l.bind(path); l.listen(1)
    print("READY", os.fstat(l.fileno()).st_ino, flush=True)
    c, _ = l.accept()
    print("ACCEPTED", os.fstat(c.fileno()).st_ino, flush=True)
else:
    c = socket.socket(socket.AF_UNIX); c.connect(path)
    print("READY", os.fstat(c.fileno()).st_ino, flush=True)
sys.stdin.read()
PY
mkfifo "$TMPD/srv.in" "$TMPD/cli.in"
python3 "$TMPD/conn.py" server "$TMPD/conn.sock" <"$TMPD/srv.in" >"$TMPD/srv.out" &
srv=$!
exec 6>"$TMPD/srv.in"
i=0
while ! grep -q '^READY' "$TMPD/srv.out" && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
nsenter --ipc --target "$nspid" python3 "$TMPD/conn.py" client "$TMPD/conn.sock" <"$TMPD/cli.in" >"$TMPD/cli.out" &
cli=$!
exec 7>"$TMPD/cli.in"
i=0
while ! grep -q '^ACCEPTED' "$TMPD/srv.out" && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
listener=$(sed -n 's/^READY //p' "$TMPD/srv.out"); accepted=$(sed -n 's/^ACCEPTED //p' "$TMPD/srv.out")
client=$(sed -n 's/^READY //p' "$TMPD/cli.out")
"$IPCTOP" -J --only=unix --namespace "$ns_ns" >"$TMPD/conn.json"
check "--namespace: the namespace's client socket and its peer (ours, accepted) are listed, the listener not" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); listener, accepted, client = map(int, sys.argv[2:5])
u = {o["inode"]: o for o in d["objects"] if o["kind"] == "unix"}
print("# client %r accepted %r listener %r" % (client in u, accepted in u, listener in u))
ok = client in u and accepted in u and listener not in u
ok = ok and u[client]["peer_inode"] == accepted and u[client]["peer_holders"]
sys.exit(0 if ok else 1)' "$TMPD/conn.json" "$listener" "$accepted" "$client"
exec 6>&- 7>&-
wait $srv $cli 2>/dev/null

# text: the NS column tells them apart
"$IPCTOP" -b --only=posix_mq >"$TMPD/out.txt"
check "text: the NS column header" grep -q ' NS ' "$TMPD/out.txt"
check "text: the host queue with its namespace" grep -q " $host_ns .*${IPCTOP_TEST_PREFIX}q" "$TMPD/out.txt"
check "text: the namespace's queue with its namespace" grep -q " $ns_ns .*${IPCTOP_TEST_PREFIX}q" "$TMPD/out.txt"

# the full-screen view: the NS column, and i shows one namespace at a time
if command -v tmux >/dev/null; then
	ours_rows() { screen | grep -c "${IPCTOP_TEST_PREFIX}q"; }
	rows_are() { [ "$(ours_rows)" = "$1" ]; }
	tui_start 200 40 "$IPCTOP -d 0.5"
	wait_screen "1 Pipes"
	keys 3
	check "full screen: the POSIX queue of each namespace" wait_for rows_are 2
	check "full screen: the NS column" wait_screen " NS "
	# i steps through the namespaces in the order of their inodes, those of other tests'
	# processes too (they come and go): press it until ours is shown, waiting each time
	# for the next one (or "every") to be shown
	shown_ns() {
		screen | sed -n 's/.*Showing IPC namespace \([0-9]*\) only.*/\1/p
			s/.*Showing every IPC namespace.*/0/p; s/.*\[ns \([0-9]*\).*/\1/p' | head -n 1
	}
	moved_on() { shown=$(shown_ns); [ -n "$shown" ] && { [ "$shown" -gt "$1" ] || [ "$shown" -eq 0 ]; }; }
	shown=0 presses=0
	while [ $presses -lt 200 ]; do
		keys i
		presses=$((presses + 1))
		wait_for moved_on "$shown" || break
		[ "$shown" -ne 0 ] && [ "$shown" -lt "$ns_ns" ] || break
	done
	check "full screen: i reaches the namespace (at $shown after $presses presses)" [ "$shown" = "$ns_ns" ]
	check "full screen: then only its queue" wait_for rows_are 1
	# the status line shows it once the message is gone
	ns_mark() { screen | grep -qF "[ns $ns_ns${container:+ $container}]"; }
	check "full screen: the status line names the namespace and its container" wait_for ns_mark
	keys Escape
	check "full screen: Esc shows every namespace again" wait_for rows_are 2
	tui_stop
fi

# removal: ambiguous without --namespace; with it, that one only
keyd=$(printf '%d' "$key")
"$IPCTOP" --remove "sysv_msg:key:$key" >/dev/null 2>"$TMPD/err"
check "--remove of a key in two namespaces: refused" [ $? -eq 1 ]
check "--remove of a key in two namespaces: says why" grep -q "names 2 different objects" "$TMPD/err"
"$IPCTOP" --namespace "$ns_ns" --remove "sysv_msg:key:$key" "sysv_sem:key:$((keyd + 2))" \
	"sysv_shm:key:$((keyd + 1))" "posix_mq:${IPCTOP_TEST_PREFIX}q" "posix_shm:${IPCTOP_TEST_PREFIX}s" \
	>"$TMPD/rm.out" 2>"$TMPD/rm.err"
check "--namespace NS --remove: exit 0" [ $? -eq 0 ]
sed 's/^/# /' "$TMPD/rm.out" "$TMPD/rm.err"
check "--remove: five removed" [ "$(grep -c '^removed' "$TMPD/rm.out")" -eq 5 ]
check "--remove: each said to be in the namespace" [ "$(grep -c "in IPC namespace $ns_ns" "$TMPD/rm.out")" -eq 5 ]

# the kernel's own view, each namespace read from inside it
host_has() { grep -q "$1" "/proc/sysvipc/$2"; }
ns_has() { nsenter --ipc --target "$nspid" cat "/proc/sysvipc/$2" | grep -q "$1"; }
kpat=$(printf ' *%d ' "$key")
check "host SysV queue still there" host_has "^$kpat" msg
check "namespace SysV queue gone" sh -c "! nsenter --ipc --target $nspid cat /proc/sysvipc/msg | grep -q '^$kpat'"
check "namespace SysV set gone" sh -c "! nsenter --ipc --target $nspid cat /proc/sysvipc/sem | grep -q '^ *$((keyd + 2)) '"
check "host SysV set still there" host_has "^ *$((keyd + 2)) " sem
"$IPCTOP" -J --only=sysv,posix >"$TMPD/after.json"
# IPC_RMID of an attached segment makes its key IPC_PRIVATE: find ours by namespace and holder
check "after: the namespace's segment is marked for removal (still attached), the host's not" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); key = int(sys.argv[2], 0); host, ns = int(sys.argv[3]), int(sys.argv[4])
nspid = int(sys.argv[5])
segs = [o for o in d["objects"] if o["kind"] == "sysv_shm"]
hostseg = [o["marked_for_removal"] for o in segs if o["key"] == key + 1]
nsseg = [(o["marked_for_removal"], o["key"]) for o in segs
         if o["ipc_ns"] == ns and nspid in {h["pid"] for h in o["holders"]}]
sys.exit(0 if hostseg == [False] and nsseg == [(True, 0)] else 1)' "$TMPD/after.json" "$key" "$host_ns" "$ns_ns" "$nspid"

check "after: POSIX queue and shm only on the host" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); p = sys.argv[2]; host = int(sys.argv[3])
left = [(o["kind"], o["ipc_ns"]) for o in d["objects"] if o["kind"] in ("posix_mq", "posix_shm") and (o["name"] or "").startswith(p)]
sys.exit(0 if sorted(left) == [("posix_mq", host), ("posix_shm", host)] else 1)' "$TMPD/after.json" "$IPCTOP_TEST_PREFIX" "$host_ns"
check "host POSIX shm file still there" [ -e "/dev/shm/${IPCTOP_TEST_PREFIX}s" ]
check "namespace POSIX shm file gone" sh -c "! nsenter --mount --target $nspid test -e /dev/shm/${IPCTOP_TEST_PREFIX}s"

# ptys: a container has a devpts instance of its own, numbered from 0. A pty of ours and
# one of another instance with the same number are two objects, each with its holder.
cat >"$TMPD/pty.py" <<'PY'
import fcntl, os, struct, sys
ptmx = sys.argv[1]
want = int(sys.argv[2]) if len(sys.argv) > 2 else None
fds = []
while True:
    m = os.open(ptmx, os.O_RDWR | os.O_NOCTTY)
    fds.append(m)
    n = struct.unpack("I", fcntl.ioctl(m, 0x80045430, b"\0\0\0\0"))[0]   # TIOCGPTN
    if want is None or n >= want:
        break
fcntl.ioctl(m, 0x40045431, b"\0\0\0\0")   # TIOCSPTLCK 0: unlock the slave
s = os.open("/dev/pts/%d" % n, os.O_RDWR | os.O_NOCTTY)
print("READY", n, m, s, os.stat("/dev/pts/%d" % n).st_dev, flush=True)
sys.stdin.read()
PY
mkfifo "$TMPD/pty1.in" "$TMPD/pty2.in"
python3 "$TMPD/pty.py" /dev/ptmx <"$TMPD/pty1.in" >"$TMPD/pty1.out" &
pty1=$!
exec 6>"$TMPD/pty1.in"
i=0
while ! grep -q '^READY' "$TMPD/pty1.out" && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
read -r _ idx1 fd1 sfd1 dev1 <"$TMPD/pty1.out"
# shellcheck disable=SC2016
unshare --mount --kill-child=TERM sh -c 'mount -t devpts -o newinstance,ptmxmode=0666 ipctop-test /dev/pts &&
	exec python3 "$0" /dev/pts/ptmx "$1"' "$TMPD/pty.py" "$idx1" <"$TMPD/pty2.in" >"$TMPD/pty2.out" 2>"$TMPD/pty2.err" &
pty2=$!
exec 7>"$TMPD/pty2.in"
i=0
while ! grep -q '^READY' "$TMPD/pty2.out" && kill -0 $pty2 2>/dev/null && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
read -r _ idx2 fd2 sfd2 dev2 <"$TMPD/pty2.out"
pty2_pid=$(pgrep -P $pty2 python3 || echo $pty2)
if [ "${idx2:-}" = "$idx1" ]; then
	"$IPCTOP" -J --only=pty >"$TMPD/pty.json"
	# ours opened through /dev/ptmx (the devpts at pts beside it), the other through its
	# instance's own pts/ptmx; each process holds the master and the slave
	check "ptys of two devpts instances, both number $idx1: two objects, each with its own master and slave" python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1])); idx = int(sys.argv[2])
a = [(int(sys.argv[3]), int(sys.argv[4]), "master"), (int(sys.argv[3]), int(sys.argv[5]), "slave")]
b = [(int(sys.argv[6]), int(sys.argv[7]), "master"), (int(sys.argv[6]), int(sys.argv[8]), "slave")]
objs = [sorted((h["pid"], h["fd"], h["end"]) for h in o["holders"] if h["pid"] in (a[0][0], b[0][0]))
        for o in d["objects"] if o["kind"] == "pty" and o["index"] == idx]
objs = [x for x in objs if x]
print("# %r" % objs)
sys.exit(0 if sorted(objs) == sorted([a, b]) else 1)' \
		"$TMPD/pty.json" "$idx1" "$pty1" "$fd1" "$sfd1" "$pty2_pid" "$fd2" "$sfd2"
	check "  their devpts instances differ ($dev1, $dev2)" [ "$dev1" != "$dev2" ]
else
	sed 's/^/# /' "$TMPD/pty2.err"
	ok "ptys of two devpts instances # SKIP no pty numbered $idx1 in a new devpts instance (${idx2:-none})"
fi
exec 6>&- 7>&-
wait $pty1 $pty2 2>/dev/null

# Where ipctop could join a namespace but not return to its own (root of a user namespace,
# its IPC namespace owned by the machine's), a child reads the other namespace for it:
# the queue is listed, its byte limit (msgctl, in the namespace) unknown.
if unshare --user --map-root-user true 2>/dev/null; then
	ukey=$(printf '0x%x' $((keyd + 8)))
	mkfifo "$TMPD/u.in"
	# shellcheck disable=SC2016
	unshare --user --map-root-user sh -c '
		unshare --ipc "$0" -p "$1" -k "$2" sysv_msg:0600:1:10 <"$3/u.in" >"$3/u.out" 2>"$3/u.err" &
		exec 7>"$3/u.in"
		i=0
		while ! grep -q "^READY" "$3/u.out" 2>/dev/null && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.02; done
		"$4" -J --only=sysv_msg >"$3/u.json" 2>"$3/u.jerr"
		echo "exit $?" >"$3/u.rc"
		exec 7>&-
		wait' "$MKOBJ" "$IPCTOP_TEST_PREFIX" "$ukey" "$TMPD" "$IPCTOP"
	check "user namespace: ipctop exit 0, nothing on stderr ($(cat "$TMPD/u.jerr"))" \
		sh -c "grep -qx 'exit 0' '$TMPD/u.rc' && [ ! -s '$TMPD/u.jerr' ]"
	check "user namespace: the other namespace's queue is listed, byte limit unknown" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); key = int(sys.argv[2], 0); host = int(sys.argv[3])
q = [(o["messages"], o["max_bytes"], o["ipc_ns"] != host) for o in d["objects"] if o["key"] == key]
print("# %r" % q)
sys.exit(0 if q == [(1, None, True)] else 1)' "$TMPD/u.json" "$ukey" "$host_ns"
else
	ok "a user namespace # SKIP cannot unshare a user namespace"
fi

exec 8>&-
stop_objects
check "nothing of ours left on the host" [ -z "$(leftovers)" ]
done_testing
