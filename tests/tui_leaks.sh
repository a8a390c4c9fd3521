#!/bin/sh
# Leaks in the full-screen program: a scripted session inside tmux (refreshes every 0.2 s,
# every pane, drill-downs into objects and processes, search, filter, sort, the column
# chooser, the removal dialog cancelled, help, resizes), under valgrind: no definite
# leak and no memory error. Then without valgrind, the peak memory of a session three
# times as long is not larger than that of the short one (no growth with time).
# (The sanitizer build of make check runs the same sessions under LeakSanitizer.)
#
# It runs in PID, network and IPC namespaces of its own when it can: few processes and
# sockets, so snapshots are quick even under valgrind, and what other tests on the machine
# create or destroy meanwhile does not move the memory measured.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v tmux >/dev/null || skip_all "tmux not installed"

run_in_namespaces --pid --fork --mount-proc --net --ipc

KEY_PAUSE=${KEY_PAUSE:-0.15}    # between batches of keys (what is asserted does not depend on it)
. "$TESTS_SRCDIR/tui_lib.sh"
# under AddressSanitizer freed memory waits in a quarantine, which would look like growth
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
export ASAN_OPTIONS

P=$IPCTOP_TEST_PREFIX
start_objects a posix_shm_map:600:shm:4096:2 sysv_shm_attach:600:8192:2 pipe:10 socketpair:5 \
	eventfd:3 "posix_shm:600:x:$(printf 'evil\033[31mred' | od -An -tx1 | tr -d ' \n'):64" ||
	{ not_ok "the object helper starts"; done_testing; exit 1; }
ok "the helper made objects"

# one round of the session: every pane, drill-downs, search, filter, sort, dialogs, resize
round() {
	for p in 1 2 3 4 5 6 7 8 9 0 N M; do
		keys "$p" Down Enter Down Enter Escape Escape
	done
	keys 5 / ; type_text "${P}shm"; keys Enter Enter End Enter Escape Escape   # object, a holder's process
	keys '\' ; type_text "$P"; keys Enter '>' '>' I d n Escape
	keys c Escape
	keys F6 Escape
	keys P Enter Escape
	keys r '?' Down Escape
	keys Tab Tab BTab s s
	tui_resize 90 20
	keys 6 Enter Escape
	tui_resize 160 40
	keys 1
	sleep 0.5                      # a few refreshes with nothing pressed
}

# session NAME ROUNDS COMMAND...: run the program in tmux, ROUNDS rounds, then q; the
# peak memory (VmHWM, KiB) of the ipctop process lands in $TMPD/NAME.hwm
session() {
	name=$1 rounds=$2; shift 2
	tui_start 160 40 "$* -d 0.2"
	wait_screen "1 Pipes" 60 || return 1
	r=0
	while [ $r -lt "$rounds" ]; do
		round
		r=$((r + 1))
	done
	# the program itself: the youngest ipctop (or memcheck) process under the pane's shell
	prog=$(tui_pid)
	awk '/^VmHWM:/ { print $2 }' "/proc/$prog/status" >"$TMPD/$name.hwm" 2>/dev/null
	keys q
	wait_screen "ipctop-exited-[0-9]" 60     # (the digits grepped next)
	grep -o 'ipctop-exited-[0-9]*' "$TMPD/screen" | head -n 1 >"$TMPD/$name.exit"
	tui_stop
	return 0
}

if command -v valgrind >/dev/null && [ -z "$IPCTOP_NO_VALGRIND" ] &&
	! nm "$IPCTOP" 2>/dev/null | grep -q __asan_init; then
	KEY_PAUSE=0.3 session vg 1 valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --error-exitcode=99 \
		--suppressions="$TESTS_SRCDIR/valgrind.supp" --log-file="$TMPD/vg.log" "$IPCTOP"
	check "under valgrind: the session ran and q quit it" [ -s "$TMPD/vg.exit" ]
	check "under valgrind: exit status 0: no definite leak, no memory error ($(cat "$TMPD/vg.exit"))" \
		grep -qx 'ipctop-exited-0' "$TMPD/vg.exit"
	# (the log also has warnings about system calls valgrind does not know: not errors)
	errors='definitely lost in|Invalid (read|write|free)|uninitialised|Mismatched free|overlap|Syscall param'
	check "under valgrind: no error in valgrind's log" sh -c "! grep -Eq '$errors' '$TMPD/vg.log'"
	grep -E -A12 "$errors" "$TMPD/vg.log" | head -n 60 | sed 's/^/# /'
else
	ok "the session under valgrind # SKIP valgrind not installed, or a sanitizer build (LeakSanitizer checks it)"
fi

# AddressSanitizer keeps state for each thread a process ever started, and a snapshot
# starts reader threads and a UNIX dump thread on a machine of two CPUs or more: in the
# sanitizer build the program runs on one CPU here, where a snapshot starts none
# (LeakSanitizer checks the threaded runs of every other test for leaks exactly).
PIN=
if nm "$IPCTOP" 2>/dev/null | grep -q __asan_init; then
	PIN="taskset -c 0"
fi
session short 1 $PIN "$IPCTOP"
session long 3 $PIN "$IPCTOP"
short=$(cat "$TMPD/short.hwm" 2>/dev/null) long=$(cat "$TMPD/long.hwm" 2>/dev/null)
check "short and long sessions quit with status 0 (LeakSanitizer too, in a sanitizer build)" \
	sh -c "grep -qx ipctop-exited-0 '$TMPD/short.exit' && grep -qx ipctop-exited-0 '$TMPD/long.exit'"
check "peak memory measured ($short KiB after 1 round, $long KiB after 3)" test -n "$short" -a -n "$long"
# Each round takes some 20 snapshots and builds every pane and page: anything kept per
# snapshot or per page would add far more than 1 MiB over two more rounds.
check "no growth: the long session's peak is within 1 MiB of the short one's" \
	test "${long:-1}" -le $((${short:-0} + 1024))

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
