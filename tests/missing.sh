#!/bin/sh
# Missing pieces: /proc/sysvipc absent (a kernel without SysV IPC), unreadable or not in
# the expected format; sock_diag unavailable (socket(AF_NETLINK) refused by a seccomp
# filter); /dev/shm absent or unreadable; /proc/locks unreadable or malformed. Each in a
# private mount namespace: ipctop exits 0, a note names the source and says why, and the
# rest of the snapshot (our other objects) still comes out, in JSON and in text.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
unshare -m --propagation private true 2>/dev/null || skip_all "cannot make a mount namespace"
command -v setpriv >/dev/null || skip_all "setpriv(1) not installed"
: "${DENY_NETLINK:=$(dirname "$MKOBJ")/deny_netlink}"

start_objects objs posix_shm:0600:shm:4096 sysv_msg:0600:1:10 sysv_sem:0600:3 pipe:10 socketpair:5 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects"

mkdir "$TMPD/empty" "$TMPD/closed"
chmod 000 "$TMPD/closed"
: >"$TMPD/closed-file"
chmod 000 "$TMPD/closed-file"
printf 'this is not\nthe header you are looking for\n' >"$TMPD/garbage"
# a good header, then lines that are not records
head -n 1 /proc/sysvipc/msg >"$TMPD/badlines"
printf '  12 zz\n\001\002\003\n%s\n' "$(printf '%0300d' 7)" >>"$TMPD/badlines"
printf 'garbage line\n1: POSIX ADVISORY\n' >"$TMPD/badlocks"

# Root without the capabilities that override file permissions, so that a file or
# directory with mode 000 cannot be read
nodac="setpriv --bounding-set -dac_override,-dac_read_search --inh-caps -all"

# scenario NAME SETUP CHECKS... : run ipctop (JSON and text) in a mount namespace after
# the shell code SETUP; CHECKS (for check_missing below) say what must be there.
scenario() {
	name=$1 setup=$2; shift 2
	for fmt in json text; do
		if [ $fmt = json ]; then args="--batch --format=json"; else args="--batch"; fi
		# shellcheck disable=SC2086
		unshare -m --propagation private sh -c "$setup
exec \"\$@\"" sh $PRE "$IPCTOP" $args >"$TMPD/$name.$fmt" 2>"$TMPD/$name.$fmt.err"
		rc=$?
		check "$name ($fmt): exit 0 (got $rc)" [ $rc -eq 0 ]
		check "$name ($fmt): nothing on stderr" [ ! -s "$TMPD/$name.$fmt.err" ]
		[ -s "$TMPD/$name.$fmt.err" ] && sed 's/^/# /' "$TMPD/$name.$fmt.err" | head -n 5
	done
	run_tap python3 - "$TMPD/$name.json" "$TMPD/$name.text" "$TMPD/objs.objs" "$name" "$@" <<'PY'
import json, re, sys
jpath, tpath, objs, name, checks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def tap(c, d): print(("ok - " if c else "not ok - ") + "%s: %s" % (name, d))
try:
    doc = json.load(open(jpath))
except Exception as e:
    tap(False, "the JSON document is whole (%s)" % e)
    sys.exit(0)
text = open(tpath, encoding="utf-8", errors="replace").read()
made = [json.loads(l) for l in open(objs) if l.strip()]
def present(m):
    e = m["expect"]
    for o in doc["objects"]:
        if o["kind"] != m["kind"]:
            continue
        if "id" in e and o.get("id") == e["id"]:
            return True
        if "name_hex" in e and o.get("name") is not None and o["name"].encode() == bytes.fromhex(e["name_hex"]):
            return True
        if "inode" in e and o.get("inode") == e["inode"]:
            return True
    return False
for c in checks:
    what, _, arg = c.partition("=")
    if what == "note":          # note=SOURCE|REGEX: in JSON and in text
        source, _, rx = arg.partition("|")
        hits = [n for n in doc["notes"] if n["source"] == source and re.search(rx, n["message"])]
        tap(len(hits) == 1, "one note from %s matching %r (notes: %r)" % (source, rx, doc["notes"]))
        tap(re.search(r"^Note: " + re.escape(source) + ": .*" + rx.lstrip("^"), text, re.M) is not None,
            "the text output has that note")
    elif what == "nonote":      # nonote=REGEX: no note matches
        hits = [n for n in doc["notes"] if re.search(arg, n["source"] + ": " + n["message"])]
        tap(not hits, "no note matching %r (%r)" % (arg, hits))
    elif what in ("present", "absent"):  # present=KIND,KIND: our objects of these kinds are (not) there
        for kind in arg.split(","):
            ours = [m for m in made if m["kind"] == kind]
            seen = [present(m) for m in ours]
            if what == "present":
                tap(ours and all(seen), "our %d %s objects are reported" % (len(ours), kind))
            else:
                tap(ours and not any(seen), "our %s objects are not (invented)" % kind)
    elif what == "nokind":      # nokind=KIND: no object of that kind at all
        n = sum(o["kind"] == arg for o in doc["objects"])
        tap(n == 0, "no %s object at all (%d)" % (arg, n))
    elif what == "holders":     # holders=KIND: our objects of KIND have their holders
        for m in (m for m in made if m["kind"] == arg):
            o = [o for o in doc["objects"] if o["kind"] == arg and o.get("inode") == m["expect"].get("inode")]
            want = sorted((h["pid"], h["fd"]) for h in m["expect"].get("holders") or [])
            got = sorted((h["pid"], h["fd"]) for h in (o[0].get("holders") or [])) if o else None
            tap(got == want, "%s inode %s has its holders %r (ipctop: %r)" % (arg, m["expect"].get("inode"), want, got))
    elif what in ("limit-unknown", "used-unknown"):   # the limit, or its use, is null
        lim = doc["limits"].get(arg)
        key = "limit" if what == "limit-unknown" else "used"
        tap(lim is None or lim.get(key) is None, "limit %s: %s is not invented (%r)" % (arg, key, lim))
    else:
        tap(False, "unknown check %r" % c)
PY
}

PRE=""
scenario sysvipc-absent "mount --bind '$TMPD/empty' /proc/sysvipc" \
	"note=/proc/sysvipc/msg|^not present: this kernel has no SysV IPC" \
	"note=/proc/sysvipc/shm|^not present: this kernel has no SysV IPC" \
	"note=/proc/sysvipc/sem|^not present: this kernel has no SysV IPC" \
	absent=sysv_msg,sysv_sem present=posix_shm,pipe,unix holders=pipe \
	used-unknown=msgmni used-unknown=shmmni used-unknown=semmns

# no SysV IPC at all: neither /proc/sysvipc nor its sysctls
scenario no-sysv-kernel "mount --bind '$TMPD/empty' /proc/sysvipc && mount --bind '$TMPD/empty' /proc/sys/kernel" \
	"note=/proc/sysvipc/msg|^not present" "note=/proc/sysvipc/sem|^not present" \
	nokind=sysv_msg nokind=sysv_shm nokind=sysv_sem limit-unknown=msgmni limit-unknown=shmmni \
	used-unknown=msgmni \
	present=posix_shm,pipe,unix

PRE=$nodac
scenario sysvipc-unreadable "mount --bind '$TMPD/closed' /proc/sysvipc" \
	"note=/proc/sysvipc/msg|^cannot read: Permission denied" \
	"note=/proc/sysvipc/shm|^cannot read: Permission denied" \
	"note=/proc/sysvipc/sem|^cannot read: Permission denied" \
	absent=sysv_msg present=posix_shm,pipe,unix
PRE=""
scenario sysvipc-garbage "mount --bind '$TMPD/garbage' /proc/sysvipc/msg" \
	"note=/proc/sysvipc/msg|^unrecognised header line; file skipped" \
	absent=sysv_msg present=sysv_sem,posix_shm,pipe
scenario sysvipc-bad-lines "mount --bind '$TMPD/badlines' /proc/sysvipc/msg" \
	"note=/proc/sysvipc/msg|^3 malformed lines skipped" \
	absent=sysv_msg present=sysv_sem,posix_shm,pipe

# sock_diag refused: UNIX sockets from /proc/net/unix, and it is said
for err in EPROTONOSUPPORT EACCES; do
	"$DENY_NETLINK" "$err" true
	case $? in
	0) ;;
	77) ok "sock_diag refused with $err # SKIP seccomp not available here"; continue ;;
	*) not_ok "deny_netlink $err runs"; continue ;;
	esac
	case $err in EPROTONOSUPPORT) why="Protocol not supported" ;; *) why="Permission denied" ;; esac
	PRE="$DENY_NETLINK $err"
	scenario "no-sock_diag-$err" "true" \
		"note=sock_diag|^cannot dump UNIX sockets: $why: read /proc/net/unix instead" \
		"note=sock_diag|^cannot dump TCP and UDP sockets: $why" \
		"note=sock_diag|^cannot dump netlink sockets: $why" \
		present=unix,sysv_msg,posix_shm,pipe holders=unix holders=pipe
done

PRE=""
# ipctop's own /dev/shm is gone, but the other processes' mount namespace still has one:
# read through /proc/PID/root/dev/shm, so our segments are still found (namespaces)
scenario dev-shm-absent "mount -t tmpfs -o mode=755 ipctop-test /dev" \
	"note=/dev/shm|^cannot list /dev/shm: No such file or directory: POSIX shared memory and named semaphores cannot be seen" \
	present=posix_shm,sysv_msg,pipe,unix
PRE=$nodac
scenario dev-shm-unreadable "mount --bind '$TMPD/closed' /dev/shm" \
	"note=/dev/shm|^cannot list /dev/shm: Permission denied: POSIX shared memory" \
	present=posix_shm,sysv_msg,pipe,unix
scenario proc-locks-unreadable "mount --bind '$TMPD/closed-file' /proc/locks" \
	"note=/proc/locks|^cannot read: Permission denied" present=sysv_msg,posix_shm,pipe,unix
PRE=""
scenario proc-locks-malformed "mount --bind '$TMPD/badlocks' /proc/locks" \
	"note=/proc/locks|^2 malformed lines skipped" present=sysv_msg,posix_shm,pipe,unix

# everything missing at once
if "$DENY_NETLINK" EACCES true; then
	PRE="$nodac $DENY_NETLINK EACCES"
	scenario all-missing "mount --bind '$TMPD/empty' /proc/sysvipc && mount --bind '$TMPD/closed' /dev/shm &&
		mount --bind '$TMPD/closed-file' /proc/locks" \
		"note=/proc/sysvipc/shm|^not present" "note=/dev/shm|^cannot list" "note=/proc/locks|^cannot read" \
		"note=sock_diag|^cannot dump UNIX sockets" present=pipe,unix
fi

chmod 700 "$TMPD/closed" "$TMPD/closed-file"
stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
