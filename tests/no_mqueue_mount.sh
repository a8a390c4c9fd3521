#!/bin/sh
# POSIX queues are listed whether or not /dev/mqueue is mounted: as root through a private
# mount nobody else sees; as an ordinary user the output says why they cannot be seen.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v unshare >/dev/null || skip_all "unshare(1) not installed"
command -v setpriv >/dev/null || skip_all "setpriv(1) not installed"

start_objects objs "posix_mq:0644:visible:3:32:2" ||
	{ not_ok "helper created the queue"; done_testing; exit 1; }
ok "helper created a queue"
name="ipctop-test-$$-visible"

# Run ipctop in a mount namespace of its own where /dev/mqueue is not an mqueue mount.
cat >"$TMPD/unmounted.sh" <<'SH'
if mountpoint -q /dev/mqueue 2>/dev/null; then umount -l /dev/mqueue || exit 99; fi
exec "$@"
SH
unmounted() { unshare -m --propagation private sh "$TMPD/unmounted.sh" "$@"; }

before=$(grep -c mqueue /proc/self/mountinfo)
unmounted "$IPCTOP" --batch --format=json --only=posix_mq >"$TMPD/root.json" 2>"$TMPD/root.err"
check "root, /dev/mqueue unmounted: exit 0" [ $? -eq 0 ]
check "root, /dev/mqueue unmounted: no error output" [ ! -s "$TMPD/root.err" ]
run_tap python3 - "$TMPD/root.json" "$name" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
q = [o for o in doc["objects"] if o.get("name") == sys.argv[2]]
print(("ok" if len(q) == 1 else "not ok") + " - root sees the queue through a private mount")
print(("ok" if q and q[0]["messages"] == 2 and q[0]["max_messages"] == 3 else "not ok") + " - with its attributes")
mq_notes = [n for n in doc["notes"] if "mqueue" in n["source"]]
print(("ok" if not mq_notes else "not ok") + " - and no note about the mqueue filesystem: %r" % mq_notes)
PY
after=$(grep -c mqueue /proc/self/mountinfo)
check "the host's mounts are not touched ($before mqueue mounts before, $after after)" [ "$before" -eq "$after" ]

chmod 755 "$TMPD"
unmounted setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$IPCTOP" --batch --format=json --only=posix_mq >"$TMPD/user.json" 2>"$TMPD/user.err"
check "ordinary user: exit 0" [ $? -eq 0 ]
run_tap python3 - "$TMPD/user.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
notes = [n for n in doc["notes"] if n["source"] == "/dev/mqueue"]
print(("ok" if notes and "root" in notes[0]["message"] else "not ok") + " - a note says POSIX queues need root: %r" % notes)
print(("ok" if not doc["objects"] else "not ok") + " - and no queue is invented")
PY
unmounted setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$IPCTOP" --batch --only=posix_mq >"$TMPD/user.txt" 2>&1
check "ordinary user: the text output carries the note" grep -q "^Note: /dev/mqueue: .*root" "$TMPD/user.txt"

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
