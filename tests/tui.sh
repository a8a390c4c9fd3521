#!/bin/sh
# The full-screen program, driven inside a detached tmux against real objects: panes,
# sorting, search, filter, drill-down with live figures, removal through the dialog (and
# its refusal when the object changed), hostile names, inotify, resizing, tiny
# terminals, and the terminal restored on every way out.
#
# It runs in a PID namespace of its own when it can: there every process is readable, so
# ipctop judges staleness (on this kind of machine pid 1 refuses even root).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v tmux >/dev/null || skip_all "tmux not installed"

run_in_namespaces --pid --fork --mount-proc
in_ns=${IPCTOP_TEST_INNER:+1}

. "$TESTS_SRCDIR/tui_lib.sh"
trap 'rm -f /dev/shm/"$IPCTOP_TEST_PREFIX"*; cleanup' EXIT

# wait_screen, matching either case
wait_screen_i() { TUI_GREP=-i; wait_screen "$@"; _ws=$?; TUI_GREP=; return $_ws; }
# the column header line of the list (the line after the tab bar)
header_line() { screen | grep -m1 -E '^ +(KIND|NAME|KEY|ID|INODE|PID)'; }
start_tui() { # start_tui WIDTH HEIGHT ARGS...
	w=$1; h=$2; shift 2
	tui_start "$w" "$h" "$IPCTOP $*"
}
alt_off() { [ "$(tm display -p -t t '#{alternate_on}')" = 0 ]; }

P=$IPCTOP_TEST_PREFIX
start_objects a posix_mq_open:600:q1:2 posix_shm:600:shm1:4096 posix_shm:600:shm2:8192 \
	"posix_shm:600:x:$(printf 'evil\033[31mred\nline' | od -An -tx1 | tr -d ' \n'):4096" \
	stale_shm:600:4096 || { not_ok "the object helper starts"; done_testing; exit 1; }
# the stale segment's id and key (the key, unique to this run, is what the filter is given:
# an id's digits can be part of another segment's id, key or pid, of a test beside this one)
set -- $(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["kind"] == "sysv_shm": print(o["expect"]["id"], "0x%08x" % o["expect"]["key"])' "$TMPD/a.objs")
stale_id=$1 stale_key=$2

start_tui 160 40 -d 0.5
check "the header is drawn" wait_screen "ipctop .* every 0.5s"
check "the tab bar names every pane" wait_screen "1 Pipes 2 UNIX 3 POSIX mq .* P Procs"
check "limits are drawn as meters" wait_screen "msg\[.*%\]"
check "the status line lists the function keys" wait_screen "F1Help.*F10Quit"

# panes
keys 5
check "5 shows POSIX shared memory, with our objects" wait_screen "${P}shm1"
check "and the other one" wait_screen "${P}shm2"
keys Tab
check "Tab moves on to SysV shared memory" wait_screen "KEY .*NATTCH"
keys BTab
check "Shift-Tab comes back" wait_screen "${P}shm1"

# sorting
marker_moved() { after=$(header_line); [ "$before" != "$after" ] && echo "$after" | grep -q '[A-Z]\^'; }
marker_down() { header_line | grep -q '[A-Z]v'; }
before=$(header_line)
keys '>'
check "> sorts by the next column (the header's marker moved)" wait_for marker_moved
keys I
check "I inverts the order (the marker points down)" wait_for marker_down
keys '<' I

# filter: only matching rows
keys '\'
type_text "${P}shm2"
check "the filter prompt shows what is typed" wait_screen "Filter: ${P}shm2"
check "filtering hides the rows that do not match" wait_gone "${P}shm1"
check "and keeps the one that does" wait_row "${P}shm2 "     # (not the prompt's line)
keys Enter
check "the filter stays in force, named on the status line" wait_screen "filter: ${P}shm2"
keys Escape
check "Esc clears the filter" wait_screen "${P}shm1"

# search moves the selection; Enter opens what it found
keys /
type_text "${P}shm2"
keys Enter Enter
check "search finds the object and Enter opens it" wait_screen "POSIX shared memory  /${P}shm2"
check "the page lists every field" wait_screen "size_bytes .*8192"
check "and its holders (none: the helper closed it)" wait_screen "Holders (0)"
keys Escape
check "Esc goes back to the list" wait_screen "${P}shm1"

# a hostile name never reaches the terminal raw
check "a name with an escape sequence is shown escaped" wait_screen "${P}evil\\\\x1b\[31mred"
keys '\'
type_text "evil"
keys Enter d
check "the removal dialog shows the name escaped too" wait_screen "Remove 1 object?"
check "  (escaped in the dialog)" wait_screen 'evil\\x1b\[31mred\\nline'
keys n
check "n cancels: the object is still there" \
	sh -c "ls /dev/shm | grep -q '^${P}evil'"
keys Escape

# drill into a queue; its holders and message count change when someone sends
keys 3
wait_screen "${P}q1"
keys '\'
type_text "${P}q1"
keys Enter Enter
check "the queue's page opens" wait_screen "POSIX message queues  /${P}q1"
check "with its two holders" wait_screen "Holders (2)"
check "and no message" wait_screen "messages  *0$"
mkfifo "$TMPD/sender.in"
python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mq_open.restype = ctypes.c_int
q = libc.mq_open(("/" + sys.argv[1]).encode(), os.O_WRONLY)
if q < 0: sys.exit("mq_open: " + os.strerror(ctypes.get_errno()))
if libc.mq_send(q, b"hello", 5, 0) < 0: sys.exit("mq_send: " + os.strerror(ctypes.get_errno()))
print("sent", flush=True)
sys.stdin.read()     # hold the queue open until told to go
' "${P}q1" <"$TMPD/sender.in" >"$TMPD/sender.out" 2>&1 &
sender=$!
exec 8>"$TMPD/sender.in"
check "the page shows the new message without a key pressed" wait_screen "messages  *1$"
check "and the sender as a third holder" wait_screen "Holders (3)"
check "with its pid" wait_screen " $sender .*fd [0-9]"
exec 8>&-
wait "$sender"
check "when the sender exits, two holders again" wait_screen "Holders (2)"
# from a holder, Enter opens its process; Esc comes back
keys End Enter
check "Enter on a holder opens that process" wait_screen "^Process [0-9]* (ipc_mkobj"
check "which lists what it holds" wait_screen "Holds ("
keys Escape
check "Esc returns to the queue" wait_screen "POSIX message queues  /${P}q1"
keys Escape Escape
check "Esc in the list clears the filter" wait_gone "filter: ${P}q1"

# the processes pane
keys P
check "P shows the processes pane" wait_screen "PID.*USER.*OBJS"
check "with the helper in it" wait_screen "ipc_mkobj"

# removal through the dialog: a stale SysV segment
if [ -n "$in_ns" ]; then
	keys 6 s
	check "s shows only stale objects: the helper's stale segment" wait_screen "^!0x[0-9a-f]* *$stale_id "
	keys '\'
	type_text "$stale_key"
	keys Enter d
	# (y only to a dialog about our segment alone: the filter may match a stale object of
	# a test running beside this one, which is not ours to remove)
	# (its title, the count and its last line, all read from one screen: a screen caught
	# while the terminal is being written to can show the last line and not the rest)
	dialog_is_ours() {
		screen >"$TMPD/screen" 2>/dev/null &&
			grep -q "SysV shared memory segment id $stale_id" "$TMPD/screen" &&
			grep -q "Remove 1 object?" "$TMPD/screen" &&
			grep -q "y: remove   n, Esc: cancel\|Down: [0-9]* more lines" "$TMPD/screen"
	}
	ours=
	wait_for dialog_is_ours && ours=1
	[ -n "$ours" ] || sed 's/^/# | /' "$TMPD/screen"
	check "d asks, naming the segment (only it)" [ -n "$ours" ]
	check "and saying what removal means" wait_screen "The segment and its data are destroyed now"
	if [ -n "$ours" ]; then keys y; else keys n; fi
	check "y removes it: the status line says so" wait_screen "Removed 1 object"
	check "the segment is gone from the kernel" \
		sh -c "! awk 'NR > 1 { print \$2 }' /proc/sysvipc/shm | grep -qx '$stale_id'"
	keys Escape s
else
	ok "removal of a stale segment through the dialog # SKIP no PID namespace: staleness is not judged here"
fi

# an object that changed since the snapshot is refused, and left alone
: >"/dev/shm/${P}chg"
keys 5
wait_screen "${P}chg"
keys '\'
type_text "${P}chg"
keys Enter p
wait_screen "\[paused\]"   # the snapshot keeps the old file
rm -f "/dev/shm/${P}chg"
echo new >"/dev/shm/${P}chg"
keys d
wait_screen "Remove 1 object?"
keys y
check "removing an object whose identity changed is refused" wait_screen "1 failed"
check "saying why" wait_screen_i "changed\|inode"
keys Enter
check "Enter closes the report" wait_gone "1 failed"
check "the new object is left alone" test -s "/dev/shm/${P}chg"
rm -f "/dev/shm/${P}chg"
keys p Escape
check "p resumes the refresh" wait_gone "\[paused\]"
check "Esc clears the filter" wait_gone "filter: ${P}chg"

# keys typed ahead never answer the removal question, and 'y' waits until every
# object to remove has been on the screen
for i in 1 2 3 4 5 6; do : >"/dev/shm/${P}many$i"; done
keys 5
wait_screen "${P}many6"
keys '\'
type_text "${P}many"
keys Enter
keys t t t t t t
tm send-keys -t t d y
sleep 0.5      # (time for a 'y' to act, were it taken: what must not happen cannot be polled)
check "d and y typed together: the dialog still asks" wait_screen "Remove 6 objects?"
check "  and nothing is removed" test -e "/dev/shm/${P}many1"
keys n
tui_resize 160 14
keys d
check "a dialog too long for the window says there is more" wait_screen "Down: [0-9]* more lines"
keys y
check "  y before the end was shown removes nothing" test -e "/dev/shm/${P}many6"
keys NPage NPage NPage NPage NPage
check "  scrolled to the end, it offers y" wait_screen "y: remove"
keys y
check "  then y removes all six" wait_screen "Removed 6 objects"
check "  and they are gone" sh -c "! ls /dev/shm | grep -q '^${P}many'"
tui_resize 160 40
keys Escape

# a process whose user has no name: its number is shown, nothing breaks
# (its pid written on a descriptor opened here: uid 54321 may not write in $TMPD)
# shellcheck disable=SC2016
setpriv --reuid=54321 --regid=54321 --clear-groups sh -c 'echo $$ >&3; exec sleep 600 3>&-' \
	</dev/null 3>"$TMPD/nameless.pid" | sleep 600 &
nameless_reader=$!
wait_for grep -q '^[0-9][0-9]*$' "$TMPD/nameless.pid"
nameless=$(cat "$TMPD/nameless.pid")
keys P r
keys '\'
type_text "54321"
keys Enter
check "the processes pane shows a nameless user's number" wait_screen " 54321 .*sleep"
keys Enter
check "and the process's page opens" wait_screen "^Process $nameless (sleep"
check "  with its command line, read by the collector" wait_screen "command line  *sleep 600"
keys Escape Escape 5
kill "$nameless" "$nameless_reader" 2>/dev/null
wait "$nameless_reader" 2>/dev/null

# help
keys '?'
check "? shows every key" wait_screen "q, F10"
keys Escape
check "Esc leaves the help" wait_gone "q, F10"

# resize: follows it and degrades. The window stays 160x40 and only its terminal is made
# 70x12 (a resize tells the program no more): what it drew past column 70 or row 12 would
# stay on the screen, where a 70x12 window would hide it (capture-pane cuts at the width)
tui_tell_size 70 12
check "after a resize to 70x12 the status line is drawn on row 12" wait_line 12 "F1Help.*F10Quit"
check "after a resize to 70x12 the tab bar still shows the pane" wait_screen "5 POSIX shm"
# (the status line is drawn last: a screen that shows it on row 12 is drawn whole)
wait_line 12 "F1Help.*F10Quit"
# (in characters: a line drawing or a meter may be more than a byte)
widest() { python3 -c 'import sys; print(max([len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8", errors="replace")] + [0]))' "$TMPD/screen"; }
lowest() { awk 'NF { n = NR } END { print n + 0 }' "$TMPD/screen"; }
check "and nothing is drawn past 70 columns (widest line: $(widest))" [ "$(widest)" -le 70 ]
check "nor below row 12 (lowest line: $(lowest))" [ "$(lowest)" -le 12 ]

keys q
check "q quits with status 0" wait_screen "ipctop-exited-0"
check "and the terminal is back to normal (alternate screen left)" alt_off
tui_stop

# inotify: a new /dev/shm object appears at once, though the timer is 600 s away
start_tui 120 30 -d 600
wait_screen "1 Pipes"
keys 5 '\'
type_text "$P"
keys Enter    # (only this run's objects: other runs' could push ours off the screen)
wait_screen "${P}shm1"
: >"/dev/shm/${P}ino"
check "a new POSIX shm object appears through inotify, before the timer" wait_screen "${P}ino"
rm -f "/dev/shm/${P}ino"
check "and goes when it is unlinked" wait_gone "${P}ino"
keys q
wait_screen "ipctop-exited-0"
tui_stop

# --readonly: no removal
start_tui 100 30 --readonly
wait_screen "1 Pipes"
keys 5 d
check "--readonly refuses removal, saying why" wait_screen "disabled.*--readonly"
keys q
tui_stop

# monochrome: no colour escape sequences reach the terminal (and without it, some do)
has_colour() {
	tm capture-pane -p -e -t t | python3 -c '
import re, sys
sys.exit(0 if re.search(r"\x1b\[(?:[0-9]+;)*(?:3[0-7]|4[0-7]|38|48)(?:;[0-9]+)*m", sys.stdin.read()) else 1)'
}
no_colour() { ! has_colour; }
for how in "" "-C" "NO_COLOR=1"; do
	case $how in
	NO_COLOR=1) tui_start 100 30 "NO_COLOR=1 $IPCTOP" ;;
	*) start_tui 100 30 $how ;;
	esac
	wait_screen "F10Quit"     # the last line of the first frame
	if [ -z "$how" ]; then
		check "in colour by default" wait_for has_colour
	else
		check "monochrome with $how: no colours" no_colour
	fi
	tui_stop
done

# every way out restores the terminal
for sig in TERM HUP INT; do
	start_tui 100 30
	wait_screen "1 Pipes"
	pid=$(tui_pid)
	kill -"$sig" "$pid" 2>/dev/null
	check "SIG$sig ends it cleanly" wait_screen "ipctop-exited-0"
	check "SIG$sig leaves the alternate screen" alt_off
	tui_stop
done

start_tui 20 5
wait_screen "F1Help"
keys q
check "a 20x5 terminal works too" wait_screen "ipctop-exited-0"
tui_stop

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
