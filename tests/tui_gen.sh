#!/bin/sh
# The full-screen program's traffic generator, driven inside a detached tmux: g starts
# it from a prompt, the stress view shows each channel's rate and latency and the
# kernel's side of its objects, G stops it, q quits; nothing is left behind.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v tmux >/dev/null || skip_all "tmux not installed"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

sock="ipctop-tuigen-$$"
TMUX_TMPDIR=$TMPD
export TMUX_TMPDIR
tm() { tmux -L "$sock" -f /dev/null "$@"; }
IPCTOP_PID=""
trap 'tm kill-server >/dev/null 2>&1; [ -n "$IPCTOP_PID" ] && "$IPCTOP" --generate-cleanup="$IPCTOP_PID" >/dev/null 2>&1; cleanup' EXIT

screen() { tm capture-pane -p -t t; }
wait_screen() { # until the screen shows PATTERN (20 s at most)
	i=0
	while [ $i -lt 400 ]; do
		screen >"$TMPD/screen" 2>/dev/null && grep -q -- "$1" "$TMPD/screen" && return 0
		i=$((i + 1)); sleep 0.05
	done
	echo "# the screen, waiting for $1:"
	sed 's/^/#| /' "$TMPD/screen"
	return 1
}
keys() { tm send-keys -t t "$@"; sleep 0.2; }
type_text() { tm send-keys -t t -l "$1"; sleep 0.2; }
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
workers() { # pid:starttime of the children of $1
	for w in $(children "$1"); do
		sed 's/^\([0-9]*\) .*) \(.*\)$/\1 \2/' "/proc/$w/stat" 2>/dev/null | awk '{ print $1 ":" $21 }'
	done
}

tm new-session -d -s t -x 160 -y 40 "$IPCTOP -d 0.5; echo ipctop-exited-\$?; sleep 60"
check "the full-screen program starts" wait_screen "ipctop .* every 0.5s"
shell=$(tm display -p -t t '#{pane_pid}')
IPCTOP_PID=$(children "$shell" | awk '{ print $1 }')
check "its pid is known ($IPCTOP_PID)" [ -n "$IPCTOP_PID" ]

keys g
check "g opens the generator's prompt" wait_screen "Generate: .*Enter: start"
i=0
while [ $i -lt 80 ]; do tm send-keys -t t BSpace; i=$((i + 1)); done
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
WORKERS=$(workers "$IPCTOP_PID")
check "the workers run: 12 of them" [ "$(echo "$WORKERS" | grep -c :)" -eq 12 ]
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
sleep 0.5
WORKERS=$(workers "$IPCTOP_PID")
keys q
check "q quits" wait_screen "ipctop-exited-0"
left=$($PY "$TESTS_SRCDIR/gen_check.py" leftovers "$IPCTOP_PID" $WORKERS)
check "quit while running: no object and no worker left ($(echo $left))" [ -z "$left" ]
tm kill-server >/dev/null 2>&1
done_testing
