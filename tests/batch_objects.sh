#!/bin/sh
# One object of each kind in a real process; ipctop --batch --format=json must report
# each exactly, and nothing may be left behind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

start_objects objs \
	sysv_msg:0640:3:100 \
	sysv_msg:0600:0:0 \
	sysv_shm:0640:8192:2 \
	sysv_shm_private:0600:4096 \
	sysv_shm_rmid:0600:4096 \
	sysv_sem:0660:1,0,7 \
	posix_mq:0640:queue:4:64:3 \
	posix_mq:0600:empty:2:16:0 \
	posix_mq_notify:0600:notified:2:16:10 \
	posix_shm:0640:segment:12345 \
	posix_sem:0600:lock:5 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects"

"$IPCTOP" --batch --format=json >"$TMPD/out.json" 2>"$TMPD/err"
check "ipctop --batch --format=json exits 0" [ $? -eq 0 ]
check "ipctop wrote nothing on stderr" [ ! -s "$TMPD/err" ]
run_tap python3 "$TESTS_SRCDIR/check_json.py" schema "$TMPD/out.json"
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/out.json" "$TMPD/objs.objs"

# the usage against limits counts our objects
run_tap python3 - "$TMPD/out.json" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
# the limits are ipctop's IPC namespace's: so are the objects counted against them
own = os.stat("/proc/self/ns/ipc").st_ino
count = lambda k: sum(1 for o in doc["objects"] if o["kind"] == k and o.get("ipc_ns") in (None, own))
lim = doc["limits"]
def tap(ok, d): print(("ok - " if ok else "not ok - ") + d)
tap(lim["msgmni"]["used"] == count("sysv_msg"), "msgmni used = number of SysV queues")
tap(lim["shmmni"]["used"] == count("sysv_shm"), "shmmni used = number of SysV segments")
tap(lim["semmni"]["used"] == count("sysv_sem"), "semmni used = number of SysV sets")
tap(lim["semmns"]["used"] == sum(o["nsems"] for o in doc["objects"] if o["kind"] == "sysv_sem" and o.get("ipc_ns") in (None, own)), "semmns used = semaphores in all sets")
tap(lim["mq_queues_max"]["used"] == count("posix_mq"), "mq_queues_max used = number of POSIX queues")
PY

# text output has a section per kind and our objects in it
"$IPCTOP" --batch >"$TMPD/out.txt"
for title in "SysV message queues" "SysV shared memory segments" "SysV semaphore sets" \
	"POSIX message queues" "POSIX shared memory" "POSIX named semaphores"; do
	check "text has section '$title'" grep -q "^$title: [0-9]" "$TMPD/out.txt"
done
check "text lists the POSIX queue by name" grep -q " ipctop-test-$$-queue " "$TMPD/out.txt"

# --only limits the kinds; -n takes several snapshots
"$IPCTOP" --batch --format=json --only=posix_mq -n 2 -d 0.1 >"$TMPD/only.json"
run_tap python3 - "$TMPD/only.json" "$IPCTOP_TEST_PREFIX" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
dec, i, docs = json.JSONDecoder(), 0, []
while i < len(text.rstrip()):
    while text[i].isspace(): i += 1
    d, i = dec.raw_decode(text, i); docs.append(d)
def tap(ok, d): print(("ok - " if ok else "not ok - ") + d)
tap(len(docs) == 2, "-n 2 prints two documents (got %d)" % len(docs))
tap(all(o["kind"] == "posix_mq" for d in docs for o in d["objects"]), "--only=posix_mq shows only POSIX queues")
tap(sum(1 for o in docs[-1]["objects"] if o["name"].startswith(sys.argv[2])) == 3, "the three test queues are there")
PY

# --sort: messages, descending
"$IPCTOP" --batch --only=sysv_msg --sort=messages --reverse -o id,messages >"$TMPD/sorted.txt"
check "--sort=messages --reverse puts the fuller queue first" \
	sh -c "awk 'NR>1 && \$1 ~ /^[0-9]+\$/ {print \$2}' '$TMPD/sorted.txt' | sort -c -n -r"

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
