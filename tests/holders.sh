#!/bin/sh
# Who holds what: objects held by several real processes, by fd and by mapping, with
# their ends, peers and figures. ipctop's JSON must name exactly those holders; --pid
# shows one process's objects; the text output has a HOLDERS column; nothing is left.
# Staleness is judged again in a PID namespace of our own, where ipctop can read every
# process (elsewhere one unreadable process, say a container's init, rightly stops it).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

# holder_pids KIND ACCESS: pids other than the helper's holding a KIND object with ACCESS
holder_pids() {
	python3 - "$TMPD/objs.objs" "$objs_pid" "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for h in o["expect"].get("holders") or [] if o["kind"] == sys.argv[3] else []:
        if h["pid"] != int(sys.argv[2]) and h["access"] == sys.argv[4]:
            print(h["pid"])
PY
}

# every pid the helper named as a holder
all_holder_pids() {
	python3 -c '
import json, sys
print(" ".join(sorted({str(h["pid"]) for l in open(sys.argv[1]) for k in ("holders", "peer_holders")
                       for h in json.loads(l)["expect"].get(k) or []})))' "$TMPD/objs.objs"
}

# stop the helper: nothing of ours may remain, no holding process either
stop_and_check_gone() {
	pids=$(all_holder_pids)
	stop_objects
	left=$(leftovers)
	check "nothing left behind${left:+: $left}" [ -z "$left" ]
	alive=""
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && alive="$alive $p"
	done
	check "no holding process outlives the helper${alive:+:$alive}" [ -z "$alive" ]
}

if [ -n "$HOLDERS_STALE_RUN" ]; then
	# inside the PID namespace (see the end): stale objects, and held ones that are not
	start_objects objs \
		stale_mq:0600:stale \
		stale_shm:0600:4096 \
		stale_sockfile:stale.sock \
		posix_mq_open:0600:held:2 \
		posix_shm_map:0600:held:100:1 \
		posix_sem_map:0600:held:1:2 \
		sysv_shm_attach:0600:4096:1 ||
		{ not_ok "helper created the objects"; done_testing; exit 1; }
	ok "helper created stale and held objects"
	"$IPCTOP" --batch --format=json >"$TMPD/out.json" 2>"$TMPD/err"
	check "ipctop --batch --format=json exits 0" [ $? -eq 0 ]
	check "ipctop read every process" python3 -c '
import json, sys
sys.exit(json.load(open(sys.argv[1])).get("processes_unreadable") != 0)' "$TMPD/out.json"
	run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/out.json" "$TMPD/objs.objs"
	stop_and_check_gone
	done_testing
	exit
fi

start_objects objs \
	pipe:100 \
	fifo:fifo:2 \
	socketpair:123 \
	unix_listen:listener:3 \
	unix_listen:@abstract:2 \
	tcp_loopback:7 \
	udp_loopback:5 \
	netlink \
	inotify \
	flock:locked \
	signal_pending \
	eventfd:7 \
	eventfd:3:semaphore \
	signalfd:USR1,USR2 \
	shared_signalfd:WINCH \
	sysv_shm_attach:0640:10000:3 \
	posix_shm_map:0640:mapped:5000:3 \
	posix_sem_map:0600:mapped:2:3 \
	posix_mq_open:0640:opened:4 \
	stale_mq:0600:stale \
	stale_shm:0600:4096 \
	epoll \
	pty \
	memfd:memfd:10000 \
	shared_anon:20000 \
	shared_file:mapped:5000 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects and their holders"

"$IPCTOP" --batch --format=json >"$TMPD/out.json" 2>"$TMPD/err"
check "ipctop --batch --format=json exits 0" [ $? -eq 0 ]
check "ipctop wrote nothing on stderr" [ ! -s "$TMPD/err" ]
run_tap python3 - "$TMPD/out.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def tap(ok, d): print(("ok - " if ok else "not ok - ") + d)
objs = doc.get("objects", [])
# SysV queues and semaphore sets are never held by an fd or a mapping; a process's
# pending signals are the process's own
held = [o for o in objs if o.get("kind") not in ("sysv_msg", "sysv_sem", "signal")]
tap(not [o for o in held if not isinstance(o.get("holders"), list)], "every object but SysV queues and sets and signals has a holders list")
tap(not [o for o in objs if "stale" not in o], "every object has stale")
PY
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/out.json" "$TMPD/objs.objs"

# on one CPU the scan reads /proc and joins in one thread, one process after the other;
# on more a second thread reads ahead: both see exactly the same
if [ "$(nproc)" -gt 1 ]; then
	taskset -c 0 "$IPCTOP" --batch --format=json >"$TMPD/one_cpu.json" 2>"$TMPD/err"
	check "on one CPU: ipctop --batch --format=json exits 0" [ $? -eq 0 ]
	check "on one CPU: nothing on stderr" [ ! -s "$TMPD/err" ]
	run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/one_cpu.json" "$TMPD/objs.objs"
	# under an open-files limit too low for the readers' descriptors the scan reads in one
	# thread too (readers forced on at this limit lose holders to EMFILE: 5 checks fail)
	sh -c 'ulimit -n 32 && exec "$@"' sh "$IPCTOP" --batch --format=json \
		>"$TMPD/low_nofile.json" 2>"$TMPD/err"
	check "under ulimit -n 32: ipctop --batch --format=json exits 0" [ $? -eq 0 ]
	check "under ulimit -n 32: nothing on stderr" [ ! -s "$TMPD/err" ]
	run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/low_nofile.json" "$TMPD/objs.objs"
else
	tap_count=$((tap_count + 1))
	printf 'ok %d # SKIP one CPU only: the read-ahead thread is never used\n' "$tap_count"
fi

# one process's objects: the helper, the pipe's reader, the queue's read-only opener and
# the child with two unaccepted connections to the abstract listener
pipe_reader=$(holder_pids pipe r | head -n 1)
mq_reader=$(holder_pids posix_mq r | head -n 1)
client=$(holder_pids unix rw | tail -n 1)
"$IPCTOP" --batch --format=json --pid "$objs_pid" --pid "$pipe_reader" --pid "$mq_reader" \
	--pid "$client" >"$TMPD/pid.json" 2>"$TMPD/pid.err"
check "ipctop --pid exits 0" [ $? -eq 0 ]
run_tap python3 "$TESTS_SRCDIR/check_json.py" processes "$TMPD/pid.json" "$TMPD/objs.objs" -- \
	"$objs_pid" "$pipe_reader:exact" "$mq_reader:exact" "$client:exact"

# text: a HOLDERS column
"$IPCTOP" --batch >"$TMPD/out.txt" 2>&1
check "text --batch has a HOLDERS column" grep -qw HOLDERS "$TMPD/out.txt"

stop_and_check_gone

# staleness where every process is readable
if unshare --pid --fork --mount-proc true 2>/dev/null; then
	HOLDERS_STALE_RUN=1 IPCTOP_TEST_PREFIX="ipctop-test-$$-ns-" \
		unshare --pid --fork --mount-proc sh "$0" >"$TMPD/ns.tap" 2>&1
	rc=$?
	sed 's/^\(\(not \)\{0,1\}ok\) [0-9]* - /\1 - [pid namespace] /' "$TMPD/ns.tap" >"$TMPD/ns2.tap"
	tap_relay <"$TMPD/ns2.tap"
	check "the PID namespace run passed" [ $rc -eq 0 ]
else
	ok "staleness where every process is readable # SKIP cannot unshare a PID namespace"
fi
done_testing
