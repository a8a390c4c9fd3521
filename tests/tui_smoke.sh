#!/bin/sh
# The full-screen program inside tmux: it shows the tables, follows keys and restores the
# terminal on q and on SIGTERM.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
command -v tmux >/dev/null || skip_all "tmux not installed"

# a server per session: a new session on a server being killed can fail
n=0
sock="ipctop-test-$$-$n"
# the servers' sockets go in the test's own directory, removed with it
TMUX_TMPDIR=$TMPD
export TMUX_TMPDIR
tm() { tmux -L "$sock" -f /dev/null "$@"; }
stop_tmux() { tm kill-server >/dev/null 2>&1; n=$((n + 1)); sock="ipctop-test-$$-$n"; }
trap 'tm kill-server >/dev/null 2>&1; cleanup' EXIT

# wait_screen PATTERN: until the pane shows PATTERN (5 s at most)
wait_screen() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t t >"$TMPD/screen" 2>/dev/null && grep -q -- "$1" "$TMPD/screen" && return 0
		i=$((i + 1)); sleep 0.05
	done
	return 1
}

tm new-session -d -s t -x 100 -y 30 "'$IPCTOP' -d 0.2; echo ipctop-exited-\$?; sleep 30"
check "the header line is drawn" wait_screen "ipctop .* q:quit"
check "the tables are drawn" wait_screen "SysV message queues:"
tm send-keys -t t ' '
check "space pauses" wait_screen "\[paused\]"
tm send-keys -t t ' '
tm send-keys -t t q
check "q quits with status 0" wait_screen "ipctop-exited-0"
check "the terminal is back to normal (no alternate screen left)" \
	sh -c "[ \"\$(tmux -L '$sock' display -p -t t '#{alternate_on}')\" = 0 ]"
stop_tmux

tm new-session -d -s t -x 100 -y 30 "'$IPCTOP'; echo ipctop-exited-\$?; sleep 30"
wait_screen "SysV message queues:"
pid=$(pgrep -n -f "^$IPCTOP\$")
kill -TERM "$pid" 2>/dev/null
check "SIGTERM ends it cleanly" wait_screen "ipctop-exited-0"
check "and leaves the alternate screen" \
	sh -c "[ \"\$(tmux -L '$sock' display -p -t t '#{alternate_on}')\" = 0 ]"
stop_tmux

tm new-session -d -s t -x 20 -y 5 "'$IPCTOP'; echo ipctop-exited-\$?; sleep 30"
sleep 0.5
tm send-keys -t t q
check "a 20x5 terminal works too" wait_screen "ipctop-exited-0"
stop_tmux
done_testing
