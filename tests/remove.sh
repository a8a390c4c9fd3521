#!/bin/sh
# Removing objects. --remove of every removable kind: each is really gone from the kernel
# or the filesystem afterwards (an attached segment only marked, until its last detach),
# and nothing else is touched. Wrong specs, specs naming nothing, contradictory options
# and --readonly remove nothing. An ordinary user is refused by the kernel. Removals are
# logged to syslog. --remove-stale, in namespaces of our own (every process seen, the only
# objects ours), lists and then removes exactly the stale objects.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v unshare >/dev/null || skip_all "unshare(1) not installed"
command -v setpriv >/dev/null || skip_all "setpriv(1) not installed"

# spec_of KIND WHICH: the --remove spec of one of our objects: the WHICH-th of KIND
# (SysV), or the one named PREFIX+WHICH (POSIX, and the files of fifo and unix)
spec_of() {
	python3 - "$TMPD/objs.objs" "$IPCTOP_TEST_PREFIX" "$1" "$2" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pre, kind, which = sys.argv[2], sys.argv[3], sys.argv[4]
cands = [o["expect"] for o in objs if o["kind"] == kind]
if kind.startswith("sysv"):
    print("%s:%d" % (kind, cands[int(which) - 1]["id"]))
    sys.exit()
for e in cands:
    if kind in ("fifo", "unix"):
        p = bytes.fromhex(e.get("path_hex") or "").decode()
        if p.endswith("/" + pre + which) and not e.get("abstract"):
            print("%s:%s" % (kind, p))
            break
    elif bytes.fromhex(e["name_hex"]).decode() == pre + which:
        print("%s:/%s" % (kind, pre + which))
        break
PY
}

# present SPEC...: print those of the objects still there, reading the kernel and the
# filesystem directly; "SPEC (marked)" for a segment marked for removal
present() {
	python3 - "$TESTS_SRCDIR" "$@" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
import check_json
mq = None
for spec in sys.argv[2:]:
    kind, _, what = spec.partition(":")
    if kind.startswith("sysv_"):
        with open("/proc/sysvipc/" + kind[5:]) as f:
            next(f)
            for line in f:
                v = line.split()
                if int(v[1]) == int(what):
                    print(spec + (" (marked)" if kind == "sysv_shm" and int(v[2], 8) & 0o1000 else ""))
    elif kind == "posix_mq":
        if mq is None:
            mq = check_json.list_mqueue()
        if what.lstrip("/").encode() in mq:
            print(spec)
    elif kind in ("posix_shm", "posix_sem"):
        if os.path.lexists("/dev/shm/" + ("sem." if kind == "posix_sem" else "") + what.lstrip("/")):
            print(spec)
    elif os.path.lexists(what):
        print(spec)
PY
}

if [ -n "$REMOVE_STALE_RUN" ]; then
	# inside new PID, IPC and mount namespaces with a /dev/shm of their own (see the end):
	# every process is seen, and every SysV and POSIX object is ours
	start_objects objs \
		stale_mq:0600:stale \
		stale_shm:0600:4096 \
		posix_mq_open:0600:held:2 \
		sysv_shm_attach:0600:4096:1 \
		posix_shm_map:0600:mapped:100:1 \
		posix_sem_map:0600:semheld:1:2 ||
		{ not_ok "helper created the objects"; done_testing; exit 1; }
	ok "helper created stale and used objects"
	stale_shm=$(spec_of sysv_shm 1)
	stale="$stale_shm $(spec_of posix_mq stale)"
	used="$(spec_of posix_mq held) $(spec_of sysv_shm 2) $(spec_of posix_shm mapped) $(spec_of posix_sem semheld)"
	check "every object is there" [ "$(present $stale $used | wc -l)" -eq 6 ]

	"$IPCTOP" --remove-stale --dry-run >"$TMPD/out" 2>"$TMPD/err"
	check "--remove-stale --dry-run exits 0" [ $? -eq 0 ]
	sed 's/^/# /' "$TMPD/out" "$TMPD/err"
	check "--remove-stale --dry-run lists exactly the two stale objects" [ "$(wc -l <"$TMPD/out")" -eq 2 ]
	check "... the segment, why and since when" \
		grep -Eq "^would remove SysV shared memory segment id ${stale_shm#*:} key 0x[0-9a-f]{8}: stale: not attached; its creator and last user have exited, since [0-9]{4}-" "$TMPD/out"
	check "... the queue, why and since when" \
		grep -Eq "^would remove POSIX message queue /${IPCTOP_TEST_PREFIX}stale: stale: no process has it open, since [0-9]{4}-" "$TMPD/out"
	check "... and removes nothing" [ "$(present $stale $used | wc -l)" -eq 6 ]

	"$IPCTOP" --remove-stale >"$TMPD/out" 2>"$TMPD/err"
	check "--remove-stale exits 0" [ $? -eq 0 ]
	sed 's/^/# /' "$TMPD/out" "$TMPD/err"
	check "--remove-stale: one 'removed' line per stale object" [ "$(grep -c '^removed ' "$TMPD/out")" -eq 2 ]
	left=$(present $stale)
	check "the stale objects are gone${left:+: $left}" [ -z "$left" ]
	check "the used ones are left alone" [ "$(present $used | wc -l)" -eq 4 ]
	"$IPCTOP" --remove-stale >"$TMPD/out" 2>"$TMPD/err"
	check "--remove-stale once more: exit 0, nothing to do" [ $? -eq 0 -a ! -s "$TMPD/out" ]

	stop_objects
	left=$(leftovers)
	check "nothing left behind${left:+: $left}" [ -z "$left" ]
	done_testing
	exit
fi

start_objects objs \
	sysv_msg:0600:2:10 \
	sysv_shm:0600:4096:0 \
	sysv_shm_attach:0600:4096:2 \
	sysv_sem:0600:1,2 \
	posix_mq:0600:q:2:16:1 \
	posix_shm:0600:s:100 \
	posix_sem:0600:m:1 \
	fifo:f:1 \
	unix_listen:sock:1 \
	sysv_shm:0600:4096:0 \
	sysv_shm:0600:4096:0 \
	sysv_shm:0600:4096:0 \
	sysv_shm:0600:4096:0 \
	posix_shm:0600:keep:10 \
	posix_shm:0644:rootonly:10 \
	posix_shm:0600:logged:10 \
	posix_mq:0600:loggedq:2:16:0 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects"

msg=$(spec_of sysv_msg 1)
shm=$(spec_of sysv_shm 1)
attached=$(spec_of sysv_shm 2)
sem=$(spec_of sysv_sem 1)
mq=$(spec_of posix_mq q)
pshm=$(spec_of posix_shm s)
psem=$(spec_of posix_sem m)
fifo=$(spec_of fifo f)
sock=$(spec_of unix sock)
bykey=$(spec_of sysv_shm 3)
twice=$(spec_of sysv_shm 4)
rootshm=$(spec_of sysv_shm 5)
logshm=$(spec_of sysv_shm 6)
keep=$(spec_of posix_shm keep)
rootpshm=$(spec_of posix_shm rootonly)
logpshm=$(spec_of posix_shm logged)
logmq=$(spec_of posix_mq loggedq)
all="$msg $shm $attached $sem $mq $pshm $psem $fifo $sock"
others="$bykey $twice $rootshm $logshm $keep $rootpshm $logpshm $logmq"
echo "# removing: $all"
echo "# keeping: $others"
n_all=$(echo $all | wc -w)
n_others=$(echo $others | wc -w)
check "every object has a spec" [ "$n_all" -eq 9 -a "$n_others" -eq 8 ]
check "every object is there" [ "$(present $all $others | wc -l)" -eq $((n_all + n_others)) ]

# --dry-run: says what, removes nothing
"$IPCTOP" --remove $all --dry-run >"$TMPD/out" 2>"$TMPD/err"
check "--remove --dry-run exits 0" [ $? -eq 0 ]
check "--remove --dry-run: one line per object" [ "$(grep -c '^would remove ' "$TMPD/out")" -eq "$n_all" ]
check "--remove --dry-run: what removing an attached segment means" \
	grep -q "^would remove SysV shared memory segment id ${attached#*:} .*disappears at the last detach; 2 processes still have it attached" "$TMPD/out"
check "--remove --dry-run: nothing on stderr" [ ! -s "$TMPD/err" ]
check "--remove --dry-run removes nothing" [ "$(present $all | wc -l)" -eq "$n_all" ]

# --remove: one line each, and each is gone
"$IPCTOP" --remove $all >"$TMPD/out" 2>"$TMPD/err"
rc=$?
sed 's/^/# /' "$TMPD/out" "$TMPD/err"
check "--remove of every kind exits 0" [ $rc -eq 0 ]
check "--remove: nothing on stderr" [ ! -s "$TMPD/err" ]
check "--remove: one 'removed' line per object" [ "$(grep -c '^removed ' "$TMPD/out")" -eq "$n_all" ]
check "--remove: the SysV queue line names its id and key" \
	grep -Eq "^removed SysV message queue id ${msg#*:} key 0x[0-9a-f]{8}$" "$TMPD/out"
check "--remove: the POSIX queue line names it" grep -q "^removed POSIX message queue /${IPCTOP_TEST_PREFIX}q$" "$TMPD/out"
check "--remove: the attached segment goes at its last detach" \
	grep -q "^removed SysV shared memory segment id ${attached#*:} key .*: still attached, it goes at the last detach$" "$TMPD/out"
for s in $all; do
	[ "$s" = "$attached" ] && continue
	left=$(present "$s")
	check "$s is gone${left:+: $left}" [ -z "$left" ]
done
check "the attached segment is marked for removal, still there" [ "$(present "$attached")" = "$attached (marked)" ]
check "the other objects are untouched" [ "$(present $others | wc -l)" -eq "$n_others" ]

# again: they are gone, so nothing matches
"$IPCTOP" --remove "$msg" >"$TMPD/out" 2>"$TMPD/err"
check "--remove of an object that is gone exits 1" [ $? -eq 1 ]
check "... saying no such object" grep -q "^ipctop: --remove $msg: no such object" "$TMPD/err"
"$IPCTOP" --remove "$attached" >"$TMPD/out" 2>"$TMPD/err"
check "--remove of a segment already marked exits 1" [ $? -eq 1 ]
check "... saying it is already marked" grep -q "already marked for removal" "$TMPD/err"

# by key, by ipcrm's kind names, the same object twice
key=$(awk -v id="${bykey#*:}" '$2 == id { printf "0x%08x", $1 }' /proc/sysvipc/shm)
"$IPCTOP" --remove "sysv_shm:key:$key" >"$TMPD/out" 2>"$TMPD/err"
check "--remove sysv_shm:key:$key exits 0" [ $? -eq 0 ]
check "... and removes the segment with that key" [ -z "$(present "$bykey")" ]
"$IPCTOP" --remove "shm:${twice#*:}" "$twice" >"$TMPD/out" 2>"$TMPD/err"
check "--remove shm:ID sysv_shm:ID (the same segment twice) exits 0" [ $? -eq 0 ]
check "... removing it once" [ "$(grep -c '^removed ' "$TMPD/out")" -eq 1 -a -z "$(present "$twice")" ]

# wrong specs: exit 2, one line naming the spec, nothing removed
bad_spec() {
	expect=$1; shift
	"$IPCTOP" --remove "$@" "$keep" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$expect" "$TMPD/err" && [ ! -s "$TMPD/out" ] &&
		[ -n "$(present "$keep")" ]; then
		ok "rejects --remove '$*', removing nothing ($(cat "$TMPD/err"))"
	else
		not_ok "rejects --remove '$*' (exit $rc, $lines lines: $(cat "$TMPD/err"))"
	fi
}
bad_spec "'': empty" ""
bad_spec "'sysv_shm': no ':'" sysv_shm
bad_spec "unknown kind 'bogus'" bogus:1
bad_spec "invalid id 'abc'" sysv_shm:abc
bad_spec "invalid id '-5'" sysv_shm:-5
bad_spec "pipes have no name to remove" pipe:1
bad_spec "expected an absolute path" fifo:relative
bad_spec "abstract socket name" unix:@x
bad_spec "invalid key" sysv_shm:key:0xfffffffff

# a spec that names nothing: exit 1, and the others are not removed either
"$IPCTOP" --remove "$keep" "posix_shm:/${IPCTOP_TEST_PREFIX}nosuch" >"$TMPD/out" 2>"$TMPD/err"
check "a spec naming nothing: exit 1" [ $? -eq 1 ]
check "... naming the spec" grep -q "^ipctop: --remove posix_shm:/${IPCTOP_TEST_PREFIX}nosuch: no such object" "$TMPD/err"
check "... and nothing removed" [ -n "$(present "$keep")" -a ! -s "$TMPD/out" ]

# options that do not go with removal
bad_combo() {
	expect=$1; shift
	"$IPCTOP" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$expect" "$TMPD/err" && [ -n "$(present "$keep")" ]; then
		ok "rejects $* ($(cat "$TMPD/err"))"
	else
		not_ok "rejects $* (exit $rc: $(cat "$TMPD/err"))"
	fi
}
bad_combo "--json cannot be used with --remove" --remove "$keep" -J
bad_combo "--batch cannot be used with --remove" -b --remove "$keep"
bad_combo "--iterations cannot be used with --remove-stale" --remove-stale -n 2
bad_combo "--remove and --remove-stale cannot be used together" --remove "$keep" --remove-stale
bad_combo "--only cannot be used with --remove" --remove "$keep" --only=posix_shm
bad_combo "--dry-run needs --remove or --remove-stale" --dry-run
bad_combo "unexpected argument" "$keep"

"$IPCTOP" --readonly --remove "$keep" >"$TMPD/out" 2>"$TMPD/err"
check "--readonly --remove exits 1" [ $? -eq 1 ]
check "... saying --readonly forbids it" grep -q -- "--readonly forbids removing objects" "$TMPD/err"
check "... and removes nothing" [ -n "$(present "$keep")" ]
"$IPCTOP" --remove-stale --readonly --dry-run >"$TMPD/out" 2>"$TMPD/err"
check "--readonly --remove-stale exits 1" [ $? -eq 1 ]

# an ordinary user may not remove root's objects: the kernel says no, and we say why
setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCTOP" --remove "$rootshm" >"$TMPD/out" 2>"$TMPD/err"
check "an ordinary user removing root's segment: exit 1" [ $? -eq 1 ]
check "... told permission is denied, and whose it is" \
	grep -q "SysV shared memory segment id ${rootshm#*:} key .*: IPC_RMID refused: permission denied (owner uid 0, creator uid 0; you are uid 65534)" "$TMPD/err"
check "... and the segment is still there" [ -n "$(present "$rootshm")" ]
setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCTOP" --remove "$rootpshm" >"$TMPD/out" 2>"$TMPD/err"
check "an ordinary user removing root's POSIX shared memory: exit 1" [ $? -eq 1 ]
check "... told permission is denied" grep -q "unlink refused: permission denied (owner uid 0; you are uid 65534)" "$TMPD/err"
check "... and it is still there" [ -n "$(present "$rootpshm")" ]

# syslog: in a mount namespace of our own, /dev is a tmpfs with a /dev/log we listen on
# (and /dev/null, the real /dev/shm, and an mqueue mount on /dev/mqueue)
cat >"$TMPD/syslogd.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.settimeout(60)        # gone by itself should the test be killed
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
open(sys.argv[1] + ".ready", "w").close()
with open(sys.argv[1], "ab", buffering=0) as f:
    try:
        while True:
            f.write(s.recv(65536) + b"\n")
    except socket.timeout:
        pass
PY
cat >"$TMPD/logged.sh" <<'SH'
set -e
mkdir "$TMPD/dev"
mount --rbind /dev "$TMPD/dev"
mount -t tmpfs -o mode=755 tmpfs /dev
mkdir /dev/shm /dev/mqueue
touch /dev/null
mount --bind "$TMPD/dev/null" /dev/null
mount --rbind "$TMPD/dev/shm" /dev/shm
mount -t mqueue mqueue /dev/mqueue
set +e
python3 "$TMPD/syslogd.py" "$TMPD/syslog" &
daemon=$!
i=0
while [ ! -e "$TMPD/syslog.ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$IPCTOP" --remove "$@" >"$TMPD/logged.out" 2>"$TMPD/logged.err"
echo $? >"$TMPD/logged.rc"
setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCTOP" --remove "$ROOTSHM" >/dev/null 2>&1
sleep 0.2
kill $daemon
SH
had_log=$(ls -l /dev/log 2>&1)
TMPD=$TMPD IPCTOP=$IPCTOP ROOTSHM=$rootshm unshare -m --propagation private sh "$TMPD/logged.sh" \
	"$logshm" "$logpshm" "$logmq" >"$TMPD/logged.sh.out" 2>&1
sed 's/^/# /' "$TMPD/logged.sh.out" "$TMPD/logged.out" "$TMPD/logged.err" "$TMPD/syslog" 2>/dev/null
check "with /dev/mqueue mounted and a syslog daemon: exit 0" [ "$(cat "$TMPD/logged.rc" 2>/dev/null)" = 0 ]
check "... the three objects are gone" [ -z "$(present "$logshm" "$logpshm" "$logmq")" ]
check "... each removal is logged, as authpriv.notice, with the real user" \
	[ "$(grep -c "^<85>.*ipctop\[[0-9]*\]: uid 0 (root): removed " "$TMPD/syslog" 2>/dev/null)" -eq 3 ]
check "... naming the object" grep -q "removed SysV shared memory segment id ${logshm#*:} key 0x" "$TMPD/syslog"
check "... a POSIX queue by its name" grep -q "removed POSIX message queue /${IPCTOP_TEST_PREFIX}loggedq" "$TMPD/syslog"
check "... and a refusal is logged too, with the user and why" \
	grep -q "^<85>.*uid 65534 (nobody): refused to remove SysV shared memory segment id ${rootshm#*:} .*permission denied" "$TMPD/syslog"
check "the host's /dev/log is untouched" [ "$had_log" = "$(ls -l /dev/log 2>&1)" ]

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
check "the attached segment went at its last detach" [ -z "$(present "$attached")" ]

# --remove-stale where staleness can be judged: a PID namespace of our own, where every
# process is readable; with its own IPC namespace and /dev/shm, so that the only objects
# it can see, and remove, are the test's
if unshare --pid --fork --mount-proc --ipc true 2>/dev/null; then
	# in a PID namespace that shares the host's IPC namespace, POSIX objects are refused
	unshare --pid --fork --mount-proc "$IPCTOP" --remove-stale --dry-run --only=posix \
		>"$TMPD/out" 2>"$TMPD/err"
	check "sharing the host's IPC namespace from a PID namespace: exit 0" [ $? -eq 0 ]
	check "... and no POSIX object would be removed" [ ! -s "$TMPD/out" ]
	REMOVE_STALE_RUN=1 IPCTOP_TEST_PREFIX="ipctop-test-$$-ns-" \
		unshare --pid --fork --mount-proc --ipc \
		sh -c 'mount -t tmpfs -o mode=1777 tmpfs /dev/shm && exec sh "$0"' "$0" >"$TMPD/ns.tap" 2>&1
	rc=$?
	sed 's/^\(\(not \)\{0,1\}ok\) [0-9]* - /\1 - [namespaces] /' "$TMPD/ns.tap" >"$TMPD/ns2.tap"
	tap_relay <"$TMPD/ns2.tap"
	check "the --remove-stale run in namespaces of its own passed" [ $rc -eq 0 ]
else
	ok "--remove-stale # SKIP cannot unshare PID and IPC namespaces"
fi
done_testing
