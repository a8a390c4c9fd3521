#!/bin/sh
# The full-screen program's traffic generator, driven inside a detached tmux: g starts
# it from a prompt, the stress view shows each channel's rate and latency and the
# kernel's side of its objects, G stops it, q quits; nothing is left behind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v tmux >/dev/null || skip_all "tmux not installed"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

. "$TESTS_SRCDIR/tui_lib.sh"
IPCTOP_PID=""
# (the program ended first, then what it may have left)
trap 'tui_stop_all; [ -n "$IPCTOP_PID" ] && "$IPCTOP" --generate-cleanup="$IPCTOP_PID" >/dev/null 2>&1; cleanup' EXIT

children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
workers() { # pid:starttime of the children of $1
	for w in $(children "$1"); do
		sed 's/^\([0-9]*\) .*) \(.*\)$/\1 \2/' "/proc/$w/stat" 2>/dev/null | awk '{ print $1 ":" $21 }'
	done
}

tui_start 160 40 "$IPCTOP -d 0.5"
check "the full-screen program starts" wait_screen "ipctop .* every 0.5s"
IPCTOP_PID=$(tui_pid)
check "its pid is known ($IPCTOP_PID)" [ -n "$IPCTOP_PID" ]

keys g
check "g opens the generator's prompt" wait_screen "Generate: .*Enter: start"
tm send-keys -t t -N 80 BSpace
type_text "pipe,posix-mq:2,sysv-shm,unix-stream,eventfd --rate 5000 --duration 600"
keys Enter
check "the stress view opens" wait_screen "Traffic generator: 64-byte messages, stream, rate-limited, 600 s: running"
check "a row per mechanism, posix-mq with its 2 pairs" wait_screen "posix-mq  *2 "
# the rate shown settles near 5000 per pair: some traffic, not more than the limit allows
check "the live rate is shown (a sparkline after two refreshes)" \
	wait_screen "pipe  *1  *[1-9][0-9]* .*[▁▂▃▄▅▆▇█_.=+*#@-]"
check "the kernel's side: the pipe's fill against its capacity" wait_screen "pipe .*inode .* fill .* / [0-9]* bytes\|fill unknown"
check "the kernel's side: the POSIX queues' depth against their maximum" wait_screen "posix_mq .*/ipctop-gen-$IPCTOP_PID-posix-mq-1-fwd depth [0-9]* / [0-9]* messages"
check "the kernel's side: the SysV semaphores' waiters" wait_screen "sysv_sem .*waiters [0-9]* (ncnt)"
check "the kernel's side: the UNIX sockets' queues" wait_screen "unix .*receive queue [0-9]*, send queue"
twelve() { WORKERS=$(workers "$IPCTOP_PID"); [ "$(echo "$WORKERS" | grep -c :)" -eq 12 ]; }
check "the workers run: 12 of them" wait_for twelve
left=$($PY "$TESTS_SRCDIR/gen_check.py" leftovers "$IPCTOP_PID")
check "its objects exist while it runs" [ -n "$left" ]

keys G
check "G stops it" wait_screen "rate-limited, 600 s: stopped"
left=$($PY "$TESTS_SRCDIR/gen_check.py" leftovers "$IPCTOP_PID" $WORKERS)
check "stopped: no object and no worker left ($(echo $left))" [ -z "$left" ]

# again, and quit while it runs
keys g
keys Enter
check "g and Enter start it again with the same line" wait_screen "rate-limited, 600 s: running"
wait_for twelve
keys q
check "q quits" wait_screen "ipctop-exited-0"
left=$($PY "$TESTS_SRCDIR/gen_check.py" leftovers "$IPCTOP_PID" $WORKERS)
check "quit while running: no object and no worker left ($(echo $left))" [ -z "$left" ]
tui_stop
done_testing
