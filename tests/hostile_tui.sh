#!/bin/sh
# Hostile names in the full-screen program, in every pane that shows a name or a path
# (FIFOs, UNIX sockets, POSIX queues, shared memory and semaphores, memfds, shared
# files, processes with a hostile command and command line), in the drill-down pages and
# in the removal dialog; and the same objects in batch text and JSON. The name carries a
# window-title sequence (OSC), a colour (SGR), a C1 control (CSI as U+009B), invalid
# UTF-8 and a newline. Every byte the program writes to the terminal is recorded (tmux
# pipe-pane): none of those sequences may be in it, the window title must not change,
# and the screen must show them escaped (\x1b, \x07, \xff, \n).
#
# It runs in PID, network and IPC namespaces of its own when it can, so the panes show
# only a few rows besides ours.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v tmux >/dev/null || skip_all "tmux not installed"

run_in_namespaces --pid --fork --mount-proc --net --ipc

. "$TESTS_SRCDIR/tui_lib.sh"
# shellcheck disable=SC2034 # (read by tui_lib.sh)
TUI_JOIN=1      # a name's escaped text may wrap: read wrapped lines joined
# shellcheck disable=SC2034
TUI_GREP=-F     # what the screen must show is fixed text, not a pattern
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null; cleanup' EXIT

P=$IPCTOP_TEST_PREFIX
# OSC 0 (window title), SGR red, C1 CSI (U+009B) + "2J", invalid UTF-8, a newline
raw='\033]0;PWNED\007\033[31mRED\302\2332J\377\376X\nY'
hex=$(printf "$raw" | od -An -v -tx1 | tr -d ' \n')
shown='\x1b]0;PWNED\x07\x1b[31mRED\xc2\x9b2J\xff\xfeX\nY'   # as the screen must show it
start_objects a "posix_mq_open:600:x:71$hex:1" "posix_shm:600:x:73$hex:4096" "posix_sem_map:600:x:65$hex:1:1" \
	"fifo:x:66$hex:1" "unix_listen:x:75$hex:1" "unix_listen:@x:61$hex:1" "memfd:x:6d$hex:4096" \
	"shared_file:x:67$hex:4096" ||
	{ not_ok "the helper made objects with hostile names"; done_testing; exit 1; }
ok "the helper made objects with hostile names"

# a process whose command (comm) and command line are hostile, holding a pipe of its
# own (nothing inherited: fd 9 keeps the helper alive and is closed for it)
cat >"$TMPD/holder.py" <<'PY'
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(15, b"c\x1b]0;PWNED\x07", 0, 0, 0)    # PR_SET_NAME
r, w = os.pipe()
open(sys.argv[1] + ".tmp", "w").write(str(os.getpid()))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
PY
python3 "$TMPD/holder.py" "$TMPD/holder.pid" "arg$(printf '\033]0;PWNED\007')" </dev/null >/dev/null 2>&1 9>&- &
wait_for test -s "$TMPD/holder.pid"
holder=$(cat "$TMPD/holder.pid" 2>/dev/null)
check "a process with a hostile command runs ($holder)" grep -q PWNED "/proc/$holder/comm"

# batch: JSON gives the exact bytes, text escapes them
"$IPCTOP" --batch --format=json >"$TMPD/out.json" 2>"$TMPD/err"
check "batch JSON: exit 0, nothing on stderr" [ $? -eq 0 ] && [ ! -s "$TMPD/err" ]
run_tap python3 "$TESTS_SRCDIR/check_json.py" compare "$TMPD/out.json" "$TMPD/a.objs"
python3 - "$TMPD/out.json" "$holder" >"$TMPD/comm.tap" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
print(("not ok" if b"\x1b" in raw or b"\x07" in raw else "ok") +
      " - batch JSON: no ESC or BEL byte in the file (they are written as \\u escapes)")
d = json.load(open(sys.argv[1]))
cs = {h["command"] for o in d["objects"] for h in o.get("holders") or [] if h.get("pid") == int(sys.argv[2])}
print(("ok" if cs == {"c\x1b]0;PWNED\x07"} else "not ok") +
      " - batch JSON: the hostile command comes back exactly (%r)" % cs)
PY
tap_relay <"$TMPD/comm.tap"
LC_ALL=C.UTF-8 "$IPCTOP" --batch >"$TMPD/out.txt" 2>&1
check "batch text: no ESC, BEL or C1 byte" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
sys.exit(b"\x1b" in b or b"\x07" in b or b"\xc2\x9b" in b or b"\xff" in b)' "$TMPD/out.txt"
for k in "${P}q" "${P}s" "${P}e" "${P}f" "${P}u" "@${P}a" "${P}m" "${P}g"; do
	check "batch text: $k... is shown escaped" grep -qF "$k$shown" "$TMPD/out.txt"
done
check "batch text: the hostile command is shown without its control characters" \
	grep -qF 'c\x1b]0;PWNED\x07' "$TMPD/out.txt"

# the full-screen program, every byte it writes recorded
tui_start 250 50 "LC_ALL=C.UTF-8 $IPCTOP -d 1"
tm pipe-pane -o -t t "cat >>'$TMPD/raw'"
title0=$(tm display -p -t t '#{pane_title}')
check "the program starts" wait_screen "1 Pipes"

# pane KEY, filter, what the row must show; then Enter: the page must show it whole
pane() {
	key=$1 filter=$2 want=$3 what=$4
	keys "$key" '\'
	type_text "$filter"
	keys Enter
	check "$what: the list shows its row" wait_row "$P"
	keys Enter
	check "$what: its page shows the name escaped" wait_screen "$want"
	keys Escape Escape
}
pane 3 "${P}q" "${P}q\\x1b]0;PWNED" "POSIX queue"
pane 5 "${P}s" "${P}s\\x1b]0;PWNED" "POSIX shm"
pane 7 "${P}e" "${P}e\\x1b]0;PWNED" "POSIX semaphore"
pane 1 "${P}f" "${P}f\\x1b]0;PWNED" "FIFO"
pane 2 "${P}u" "${P}u\\x1b]0;PWNED" "UNIX socket (path)"
pane 2 "@${P}a" "@${P}a\\x1b]0;PWNED" "UNIX socket (abstract)"
pane M "${P}m" "${P}m\\x1b]0;PWNED" "memfd"
pane M "${P}g" "${P}g\\x1b]0;PWNED" "shared file"
# the page shows the rest of the name: colour, C1, invalid UTF-8, newline all escaped
keys 5 '\'
type_text "${P}s"
keys Enter Enter
check "the page shows the whole name escaped" wait_screen "${P}s$shown"
keys Escape
# the removal dialog
keys d
check "the removal dialog shows the name escaped" wait_screen "${P}s\\x1b]0;PWNED\\x07\\x1b[31mRED"
keys n Escape
# the process: its row, its page, its command line
keys P '\'
type_text "$holder"
keys Enter
check "the processes pane shows the process" wait_screen " $holder "
keys Enter
check "the process page opens" wait_screen "Process $holder ("
check "its command escaped" wait_screen 'c\x1b]0;PWNED\x07'
check "and the command line escaped" wait_screen 'arg\x1b]0;PWNED\x07'
keys Escape Escape
keys '?' Escape q
check "q quits with status 0" wait_screen "ipctop-exited-0"
tm pipe-pane -t t
check "the window title did not change ($(tm display -p -t t '#{pane_title}'))" \
	[ "$(tm display -p -t t '#{pane_title}')" = "$title0" ]
check "the terminal got output (recorded)" test -s "$TMPD/raw"
check "no sequence from a name reached the terminal (OSC, SGR+RED, C1 CSI, invalid UTF-8)" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
bad = [s for s in (b"\x1b]0;PWNED", b"\x1b[31mRED", b"\xc2\x9b2J", b"\xff\xfeX", b"PWNED\x07") if s in b]
print("# found: %r" % bad) if bad else None
sys.exit(bool(bad))' "$TMPD/raw"
tui_stop

kill "$holder" 2>/dev/null
stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
