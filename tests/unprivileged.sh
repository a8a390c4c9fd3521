#!/bin/sh
# Partial privilege: ipctop run as an ordinary user (nobody). Objects made by root (private
# and world-readable) and by nobody itself: nobody's own are reported exactly, holders
# included; root's are listed with what only their owner may read left unknown, and notes
# say what could not be read and why, in JSON, text and the full-screen program. Removal
# of root's objects is refused naming the object, the operation and the reason, and the
# objects are still there afterwards.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
. "$TESTS_SRCDIR/tui_lib.sh"
require_root
command -v setpriv >/dev/null || skip_all "setpriv(1) not installed"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nobody true || skip_all "setpriv cannot switch to uid 65534"
chmod 755 "$TMPD"
P=$IPCTOP_TEST_PREFIX

start_objects root \
	sysv_msg:0600:1:10 sysv_msg:0644:2:10 \
	sysv_sem:0600:1,2 sysv_sem:0644:3,4 \
	sysv_shm_attach:0600:4096:1 \
	posix_shm:0600:rshm:4096 posix_sem:0600:rsem:1 posix_sem:0644:rsemr:5 ||
	{ not_ok "the helper (root) made its objects"; done_testing; exit 1; }
ok "the helper made objects as root"

# nobody's objects: a second helper, run as nobody, its stdin held open on fd 8
mkfifo "$TMPD/nb.in"
nobody "$MKOBJ" -p "${P}nb-" sysv_msg:0600:2:10 sysv_sem:0600:7 sysv_shm_attach:0600:4096:2 \
	posix_shm_map:0600:nshm:4096:2 posix_sem_map:0600:nsem:3:1 pipe:10 \
	<"$TMPD/nb.in" >"$TMPD/nb.out" 2>"$TMPD/nb.err" &
nb_pid=$!
MKOBJ_PIDS="$MKOBJ_PIDS $nb_pid"
exec 8>"$TMPD/nb.in"
nb_ready() { grep -q '^READY' "$TMPD/nb.out" 2>/dev/null || ! kill -0 "$nb_pid" 2>/dev/null; }
wait_for nb_ready
grep -q '^READY' "$TMPD/nb.out" || { not_ok "the helper (nobody) made its objects: $(cat "$TMPD/nb.err")"; done_testing; exit 1; }
grep -v '^READY' "$TMPD/nb.out" >"$TMPD/nb.objs"
ok "the helper made objects as nobody"

# What nobody may not read, in the expectations: root's private objects' byte limit,
# semaphore values and holders are unknown (null), their holders not seen.
python3 - "$TMPD/root.objs" "$TMPD/root-as-nobody.objs" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    m = json.loads(line)
    e, private = m["expect"], m["expect"]["mode"] == "0600"
    if m["kind"] == "sysv_msg":
        if private:
            e["max_bytes"] = None
        else:
            m.setdefault("nonnull", []).append("max_bytes")
    elif m["kind"] == "sysv_sem" and private:
        e["semaphores"] = None
        e["ncnt"] = e["zcnt"] = None
    elif m["kind"] == "sysv_shm":
        e["holders"] = []           # attached by a root process nobody cannot read
        e.pop("stale", None)
    elif m["kind"] == "posix_sem" and private:
        e["value"] = e["waiters"] = None
    out.write(json.dumps(m) + "\n")
PY

nobody "$IPCTOP" --batch --format=json >"$TMPD/nobody.json" 2>"$TMPD/nobody.err"
check "JSON as nobody: exit 0" [ $? -eq 0 ]
check "JSON as nobody: nothing on stderr" [ ! -s "$TMPD/nobody.err" ]
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/nobody.json" "$TMPD/nb.objs"
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/nobody.json" "$TMPD/root-as-nobody.objs"

"$IPCTOP" --batch --format=json >"$TMPD/root.json" 2>"$TMPD/root.err"
run_tap python3 - "$TMPD/nobody.json" "$TMPD/root.json" "$P" <<'PY'
import json, re, sys
nb, root = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def tap(c, d): print(("ok - " if c else "not ok - ") + d)
def note(doc, source, pattern):
    for n in doc["notes"]:
        m = re.search(pattern, n["message"])
        if n["source"] == source and m:
            return int(m.group(1)) if m.groups() else True
    return None
checks = [
    ("/proc/sysvipc/msg", r"^(\d+) queues? not readable with msgctl\(IPC_STAT\): .*byte limit"),
    ("/proc/sysvipc/sem", r"^(\d+) sets? not readable with semctl\(IPC_STAT, GETALL\): .*values"),
    ("/dev/shm", r"^(\d+) named semaphores? not readable \(.*\): .*value"),
    ("/proc", r"^(\d+) process(?:es)? not readable: run as root"),
]
for source, pattern in checks:
    n = note(nb, source, pattern)
    # at least ours (others' objects may be there too: no exact count)
    tap(isinstance(n, int) and n >= 1, "nobody: a note from %s says how many could not be read and why (%r)" % (source, n))
    tap(note(root, source, pattern) is None, "root: no such note from %s" % source)
tap(isinstance(nb.get("processes_unreadable"), int) and nb["processes_unreadable"] >= 1,
    "nobody: processes_unreadable counts root's processes (%r)" % nb.get("processes_unreadable"))
# root's POSIX objects nobody holds: not judged stale, as what nobody cannot read might hold them
ours = [o for o in nb["objects"] if o["kind"] in ("posix_shm", "posix_sem") and sys.argv[3] + "r" in (o.get("name") or "")]
tap(len(ours) == 3 and all(o.get("stale") is None for o in ours),
    "nobody: root's unheld POSIX shm and semaphores are not judged stale (%r)" % [(o["name"], o.get("stale")) for o in ours])
PY

# text: the notes, and '-' where a value is unknown
rmsg_priv=$(python3 -c 'import json,sys; print([json.loads(l)["expect"]["id"] for l in open(sys.argv[1]) if "\"sysv_msg\"" in l][0])' "$TMPD/root.objs")
rmsg_pub=$(python3 -c 'import json,sys; print([json.loads(l)["expect"]["id"] for l in open(sys.argv[1]) if "\"sysv_msg\"" in l][1])' "$TMPD/root.objs")
nobody "$IPCTOP" --batch --only=sysv_msg,posix_sem -o id,owner,max_bytes >"$TMPD/nobody.txt" 2>&1
check "text as nobody: exit 0" [ $? -eq 0 ]
check "text: a note says queues could not be read with msgctl" grep -q '^Note: /proc/sysvipc/msg: [0-9]* queues\{0,1\} not readable with msgctl' "$TMPD/nobody.txt"
check "text: a note says named semaphores could not be read" grep -q '^Note: /dev/shm: [0-9]* named semaphores\{0,1\} not readable' "$TMPD/nobody.txt"
check "text: a note says processes could not be read" grep -q '^Note: /proc: [0-9]* process.* not readable: run as root' "$TMPD/nobody.txt"
check "text: root's private queue has an unknown byte limit (-)" grep -Eq "^ *$rmsg_priv +root +-\$" "$TMPD/nobody.txt"
check "text: root's world-readable queue has its byte limit" grep -Eq "^ *$rmsg_pub +root +[0-9]+\$" "$TMPD/nobody.txt"

# removal of root's objects: refused, naming the object, the operation and the reason
rshm=$(python3 -c 'import json,sys; print([json.loads(l)["expect"]["id"] for l in open(sys.argv[1]) if "\"sysv_shm\"" in l][0])' "$TMPD/root.objs")
rsem=$(python3 -c 'import json,sys; print([json.loads(l)["expect"]["id"] for l in open(sys.argv[1]) if "\"sysv_sem\"" in l][0])' "$TMPD/root.objs")
refused() { # refused SPEC EXPECT-DESC EXPECT-OP STILL-THERE-COMMAND...
	r_spec=$1 r_what=$2 r_op=$3; shift 3   # (check sets $desc)
	nobody "$IPCTOP" --remove "$r_spec" >"$TMPD/rm.out" 2>"$TMPD/rm.err"
	rc=$?
	msg=$(cat "$TMPD/rm.err")
	check "--remove $r_spec as nobody: exit 1 (got $rc)" [ $rc -eq 1 ]
	check "  one message naming the object, the operation and the reason: $msg" \
		sh -c "[ \$(wc -l <'$TMPD/rm.err') -eq 1 ] && grep -F -- '$r_what' '$TMPD/rm.err' | grep -F -- '$r_op' |
			grep -i 'permission denied' | grep -q 'you are uid 65534'"
	check "  and the object is still there" "$@"
}
in_sysvipc() { awk -v id="$2" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' "/proc/sysvipc/$1"; }
refused "sysv_msg:$rmsg_priv" "SysV message queue id $rmsg_priv" "IPC_RMID refused" in_sysvipc msg "$rmsg_priv"
refused "sysv_shm:$rshm" "SysV shared memory segment id $rshm" "IPC_RMID refused" in_sysvipc shm "$rshm"
refused "sysv_sem:$rsem" "SysV semaphore set id $rsem" "IPC_RMID refused" in_sysvipc sem "$rsem"
refused "posix_shm:${P}rshm" "POSIX shared memory /${P}rshm" "unlink refused" test -e "/dev/shm/${P}rshm"
refused "posix_sem:${P}rsem" "/${P}rsem" "unlink refused" test -e "/dev/shm/sem.${P}rsem"
nobody "$IPCTOP" --remove "sysv_msg:$rmsg_priv" --dry-run >"$TMPD/dry.out" 2>"$TMPD/dry.err"
check "--dry-run as nobody says the removal would be refused, and why: $(cat "$TMPD/dry.out" "$TMPD/dry.err")" \
	grep -q "SysV message queue id $rmsg_priv.*refused.*you are uid 65534" "$TMPD/dry.out" "$TMPD/dry.err"
check "  and the queue is still there" in_sysvipc msg "$rmsg_priv"
# nobody's own objects it may remove (a control: the refusals above are about permission)
nmsg=$(python3 -c 'import json,sys; print([json.loads(l)["expect"]["id"] for l in open(sys.argv[1]) if "\"sysv_msg\"" in l][0])' "$TMPD/nb.objs")
nobody "$IPCTOP" --remove "sysv_msg:$nmsg" >"$TMPD/rm.out" 2>"$TMPD/rm.err"
check "nobody removes its own queue: exit 0 ($(cat "$TMPD/rm.err"))" [ $? -eq 0 ]
check "  and it is gone" sh -c "! awk 'NR > 1 { print \$2 }' /proc/sysvipc/msg | grep -qx '$nmsg'"

# the full-screen program as nobody
if command -v tmux >/dev/null; then
	tui_start 200 60 "setpriv --reuid=65534 --regid=65534 --clear-groups $IPCTOP -d 0.5"
	check "TUI as nobody: the header counts the processes not readable" \
		wait_screen "not readable: [1-9][0-9]*  (run as root to see their holders)"
	check "  and says there are notes, where to read them" wait_screen "notes (first: .*): press ? to read them"
	keys '?'
	check "? lists what could not be read" wait_screen "What could not be read, and why"
	check "  the SysV queues refused to msgctl" wait_screen "/proc/sysvipc/msg  *[0-9]* queues\{0,1\} not readable with msgctl"
	check "  the processes not readable" wait_screen "/proc  *[0-9]* process.* not readable: run as root"
	keys Escape
	# root's attached segment: the dialog does not claim it has no holders, and 'y' is refused
	keys 6
	keys '\'
	type_text "$rshm"
	keys Enter
	check "pane 6 shows root's segment" wait_screen " $rshm "
	keys d
	check "d asks, naming the segment" wait_screen "SysV shared memory segment id $rshm"
	check "  holders not seen, not 'no holders'" wait_screen "no holders seen ([0-9]* process.* could not be read)"
	check "  and that the removal would be refused, and why" wait_screen "IPC_RMID would be refused: permission denied"
	keys y
	check "  y: the removal is refused" wait_screen "Removed 0, 1 failed"
	check "  naming the object, the operation and the reason" \
		wait_screen "SysV shared memory segment id $rshm.*IPC_RMID refused: permission denied"
	keys Enter
	check "Enter closes the report" wait_gone "1 failed"
	check "  the segment is still there" in_sysvipc shm "$rshm"
	keys Escape 5
	keys '\'
	type_text "${P}rshm"
	keys Enter d
	check "POSIX shm of root: d asks" wait_screen "POSIX shared memory /${P}rshm"
	keys y
	check "  y: refused" wait_screen "unlink refused: permission denied"
	keys Enter
	check "  and it is still there" test -e "/dev/shm/${P}rshm"
	keys Escape q
	check "q quits with status 0" wait_screen "ipctop-exited-0"
	tui_stop
else
	ok "the full-screen program as nobody # SKIP tmux not installed"
fi

exec 8>&-
stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
