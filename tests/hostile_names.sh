#!/bin/sh
# Names with spaces, newlines, escape sequences, invalid UTF-8 and maximum length:
# JSON gives back the exact bytes, text never lets them break a line or reach the terminal.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
space=$(hex "with space")
newline=$(hex "two
lines")
esc=$(printf 'clear\033[2J\033]0;title\007' | od -An -v -tx1 | tr -d ' \n')
bad=$(printf 'bad\377\376utf8\300\257' | od -An -v -tx1 | tr -d ' \n')
utf8=$(hex "ünïcødé-名前")
bidi=$(printf 'rtl\342\200\256txt' | od -An -v -tx1 | tr -d ' \n')
prefix="ipctop-test-$$-"
# NAME_MAX is 255: fill it (the "sem." prefix of semaphores takes 4 of them)
long=$(printf "%0$((255 - ${#prefix}))d" 0 | tr 0 L)
longsem=$(printf "%0$((251 - ${#prefix}))d" 0 | tr 0 S)

start_objects objs \
	"posix_mq:0600:x:$space:2:16:1" \
	"posix_mq:0600:x:$newline:2:16:0" \
	"posix_mq:0600:$long:2:16:0" \
	"posix_shm:0600:x:$esc:10" \
	"posix_shm:0600:x:$bad:20" \
	"posix_shm:0600:x:$utf8:30" \
	"posix_shm:0600:x:$bidi:40" \
	"posix_sem:0600:x:$newline:1" \
	"posix_sem:0600:$longsem:2" ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects with hostile names"

"$IPCTOP" --batch --format=json >"$TMPD/out.json"
check "JSON exit 0" [ $? -eq 0 ]
check "JSON output is valid UTF-8 with no raw control bytes" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
b.decode("utf-8")
sys.exit(any(c < 0x20 and c not in (0x0a,) for c in b))' "$TMPD/out.json"
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/out.json" "$TMPD/objs.objs"

for loc in C.UTF-8 C; do
	LC_ALL=$loc "$IPCTOP" --batch --only=posix >"$TMPD/out.txt"
	check "[$loc] no ESC or BEL byte reaches the text output" sh -c "! grep -q \"\$(printf '[\\033\\007]')\" '$TMPD/out.txt'"
	check "[$loc] no line starts with the second half of a name" sh -c "! grep -q '^lines' '$TMPD/out.txt'"
	check "[$loc] the newline is shown as \\n" grep -qF "${prefix}two\\nlines" "$TMPD/out.txt"
	check "[$loc] ESC is shown as \\x1b" grep -qF "${prefix}clear\\x1b[2J\\x1b]0;title\\x07" "$TMPD/out.txt"
	check "[$loc] invalid UTF-8 is shown as \\xHH" grep -qF "${prefix}bad\\xff\\xfeutf8\\xc0\\xaf" "$TMPD/out.txt"
	check "[$loc] the bidi override is escaped" grep -qF "${prefix}rtl\\xe2\\x80\\xaetxt" "$TMPD/out.txt"
	check "[$loc] the longest names are shown whole" grep -qF "$prefix$long" "$TMPD/out.txt"
	check "[$loc] text output is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$TMPD/out.txt"
	# every line of a table has the same number of fields up to the name column
	check "[$loc] spaces in names stay inside one line" grep -qF "${prefix}with space" "$TMPD/out.txt"
done
LC_ALL=C.UTF-8 "$IPCTOP" --batch --only=posix_shm >"$TMPD/utf8.txt"
check "UTF-8 names pass through in a UTF-8 locale" grep -qF "${prefix}ünïcødé-名前" "$TMPD/utf8.txt"
LC_ALL=C "$IPCTOP" --batch --only=posix_shm >"$TMPD/c.txt"
check "UTF-8 names are escaped in the C locale" grep -qF "${prefix}\\xc3\\xbcn" "$TMPD/c.txt"

# the host name too can be any bytes (in a UTS namespace of our own)
if unshare -u true 2>/dev/null; then
	unshare -u python3 -c '
import socket, subprocess, sys
socket.sethostname(b"bad\xff\x1b[2Jhost")
sys.exit(subprocess.run([sys.argv[1], "--batch", "--format=json", "--only=sysv_msg"], stdout=open(sys.argv[2], "w")).returncode)
' "$IPCTOP" "$TMPD/host.json"
	check "a hostname that is not UTF-8 comes back exactly in hostname_hex" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (bytes.fromhex(d["hostname_hex"]) == b"bad\xff\x1b[2Jhost" and d["hostname"] == "bad\ufffd\x1b[2Jhost"))' "$TMPD/host.json"
	unshare -u python3 -c '
import socket, subprocess, sys
socket.sethostname(b"esc\x1b[2Jhost")
sys.exit(subprocess.run([sys.argv[1], "--batch", "--only=sysv_msg"], stdout=open(sys.argv[2], "w")).returncode)
' "$IPCTOP" "$TMPD/host.txt"
	check "the hostname is escaped in text" grep -qF 'esc\x1b[2Jhost' "$TMPD/host.txt"
fi

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
