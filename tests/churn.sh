#!/bin/sh
# Churn: processes and objects created and destroyed at a high rate while ipctop takes
# snapshots. No crash, nothing on stderr, every document whole, and no phantom: every
# object of ours that ipctop reports is one a helper made.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

prefix="ipctop-test-$$-"
rounds=40

# Two loops of short-lived helpers: each makes its objects, prints them, and removes
# them when its stdin ends a moment later.
churn() {
	i=0
	while [ $i -lt $rounds ]; do
		sleep 0.02 | "$MKOBJ" -p "$prefix$1-$i-" \
			posix_mq:0600:q:2:16:1 posix_shm:0600:s:4096 posix_sem:0600:l:1 \
			sysv_shm:0600:4096:1 sysv_msg:0600:1:10 sysv_sem:0600:1 \
			>>"$TMPD/made.$1" 2>>"$TMPD/churn.err"
		i=$((i + 1))
	done
}
churn a &
pa=$!
churn b &
pb=$!
MKOBJ_PIDS="$pa $pb"

"$IPCTOP" --batch --format=json -n 25 -d 0.05 >"$TMPD/out.json" 2>"$TMPD/err"
rc=$?
wait $pa $pb
MKOBJ_PIDS=""

check "ipctop exits 0 under churn" [ $rc -eq 0 ]
check "ipctop wrote nothing on stderr" [ ! -s "$TMPD/err" ]
[ -s "$TMPD/err" ] && sed 's/^/# /' "$TMPD/err" | head -n 5
check "the helpers ran cleanly" [ ! -s "$TMPD/churn.err" ]
cat "$TMPD"/made.* 2>/dev/null | grep -v '^READY' >"$TMPD/made.objs"

run_tap python3 - "$TMPD/out.json" "$TMPD/made.objs" "$prefix" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
dec, i, docs = json.JSONDecoder(), 0, []
ok = True
try:
    while i < len(text.rstrip()):
        while text[i].isspace():
            i += 1
        d, i = dec.raw_decode(text, i)
        docs.append(d)
except ValueError as e:
    ok = False
def tap(c, d): print(("ok - " if c else "not ok - ") + d)
tap(ok and len(docs) == 25, "25 whole JSON documents (got %d)" % len(docs))
made = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
names = {bytes.fromhex(m["expect"]["name_hex"]) for m in made if "name_hex" in m["expect"]}
keys = {m["expect"]["key"] for m in made if "key" in m["expect"]}
prefix = sys.argv[3].encode()
seen = phantoms = 0
for d in docs:
    for o in d["objects"]:
        n = o.get("name")
        if n is not None and prefix in n.encode():
            seen += 1
            if n.encode() not in names:
                phantoms += 1
                print("phantom: %s %r" % (o["kind"], n))
        elif o["kind"].startswith("sysv") and o.get("key", 0) in keys:
            seen += 1
tap(len(made) > 0, "the helpers made objects (%d)" % len(made))
tap(phantoms == 0, "no phantom among %d sightings of our objects" % seen)
bad = [o for d in docs for o in d["objects"] for h in o.get("holders") or [] if not isinstance(h.get("pid"), int)]
tap(not bad, "every holder has a pid")
PY

left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
