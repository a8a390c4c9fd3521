# The full-screen program driven inside a detached tmux, shared by the tests that read its
# screen; sourced after lib.sh. Each tui_start starts a tmux server of the test's own, its
# socket in $TMPD, and every server started is killed on every way out (lib.sh's cleanup
# runs tui_stop_all, whatever EXIT trap the test sets, as long as it calls cleanup).
#
#   tui_start WIDTH HEIGHT COMMAND  a new server, session "t" running the shell COMMAND;
#                                   the pane then prints ipctop-exited-STATUS and stays
#   tui_stop                        kill the current server
#   tui_pid                         the program's pid (the pane shell's newest child)
#   tm ARGS...                      tmux on the current server
#   screen                          the pane's text (TUI_JOIN=1: wrapped lines joined, -J)
#   wait_screen PATTERN [SECONDS]   until the screen shows PATTERN (grep -e; TUI_GREP=-F:
#                                   fixed text); $TMPD/screen then holds that screen
#   wait_gone PATTERN [SECONDS]     until it no longer shows PATTERN
#   wait_row TEXT [SECONDS]         until a row other than the filter's shows TEXT
#   wait_line N PATTERN [SECONDS]   until the screen's line N (from 1) shows PATTERN
#   wait_for COMMAND...             until COMMAND succeeds (TUI_WAIT seconds at most)
#   keys KEY... / type_text TEXT    send tmux key names / literal text, then pause KEY_PAUSE
#   tui_tell_size WIDTH HEIGHT      tell the program its terminal is WIDTH x HEIGHT, the
#                                   window keeping its size
#
# What a test asserts about the screen is waited for, each line on its own: a wait
# satisfied by one line may have caught a screen drawn only down to that line. A check
# that something is absent first waits for a line drawn after it (the status line is
# drawn last).
#
# A wait lasts TUI_WAIT seconds (30) unless told: under a sanitizer build on a busy machine
# the program can take many seconds to start or redraw. A wait that times out prints the
# screen as TAP comments.

: "${TUI_WAIT:=30}" "${TUI_JOIN:=}" "${TUI_GREP:=}" "${KEY_PAUSE:=0.2}"
unset TMUX                      # a test run from inside tmux starts servers of its own
TUI_N=0
TUI_SOCK=""
TUI_SOCKS=""

tm() { tmux -S "$TUI_SOCK" -f /dev/null "$@"; }
tui_start() {
	TUI_N=$((TUI_N + 1))
	TUI_SOCK=$TMPD/tmux-$TUI_N      # a server per session: the last one may still be ending
	TUI_SOCKS="$TUI_SOCKS $TUI_SOCK"
	tm new-session -d -s t -x "$1" -y "$2" "$3; echo ipctop-exited-\$?; exec sleep 600"
}
tui_stop() { [ -z "$TUI_SOCK" ] || tm kill-server >/dev/null 2>&1; }
tui_stop_all() {
	for s in $TUI_SOCKS; do
		tmux -S "$s" -f /dev/null kill-server >/dev/null 2>&1
	done
	TUI_SOCKS=""
}
CLEANUP_HOOKS="$CLEANUP_HOOKS tui_stop_all"

# wait_for COMMAND...: poll COMMAND until it succeeds, TUI_WAIT seconds at most
# (_tui_poll SECONDS COMMAND...: the same with a bound of its own)
_tui_poll() {
	_tui_end=$(($(date +%s) + $1)); shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$_tui_end" ] || return 1
		sleep 0.05
	done
}
wait_for() { _tui_poll "$TUI_WAIT" "$@"; }

screen() { tm capture-pane -p ${TUI_JOIN:+-J} -t t; }
_tui_shows() { screen >"$TMPD/screen" 2>/dev/null && grep -q $TUI_GREP -e "$1" "$TMPD/screen"; }
_tui_hides() { screen >"$TMPD/screen" 2>/dev/null && ! grep -q $TUI_GREP -e "$1" "$TMPD/screen"; }
_tui_row() { screen >"$TMPD/screen" 2>/dev/null && grep $TUI_GREP -e "$1" "$TMPD/screen" | grep -vq 'ilter'; }
_tui_line() { screen >"$TMPD/screen" 2>/dev/null && sed -n "$1p" "$TMPD/screen" | grep -q $TUI_GREP -e "$2"; }
# the screen as it is now, as TAP comments (its blank lines at the bottom left out)
_tui_dump() {
	echo "# the screen after $2 s, $1:"
	if screen >"$TMPD/screen" 2>"$TMPD/screen.err"; then
		awk '{ l[NR] = $0 } NF { last = NR } END { for (i = 1; i <= last; i++) print "# | " l[i] }' "$TMPD/screen"
	else
		sed 's/^/# (capture-pane failed) /' "$TMPD/screen.err"
	fi
}
wait_screen() {
	_tui_poll "${2:-$TUI_WAIT}" _tui_shows "$1" && return 0
	_tui_dump "waiting for $1" "${2:-$TUI_WAIT}"
	return 1
}
wait_gone() {
	_tui_poll "${2:-$TUI_WAIT}" _tui_hides "$1" && return 0
	_tui_dump "waiting for $1 to go" "${2:-$TUI_WAIT}"
	return 1
}
wait_row() {
	_tui_poll "${2:-$TUI_WAIT}" _tui_row "$1" && return 0
	_tui_dump "waiting for a row with $1" "${2:-$TUI_WAIT}"
	return 1
}
wait_line() {
	_tui_poll "${3:-$TUI_WAIT}" _tui_line "$1" "$2" && return 0
	_tui_dump "waiting for $2 on line $1" "${3:-$TUI_WAIT}"
	return 1
}

# (the pause lets the program read one batch of keys before the next arrives; what the
# tests assert is waited for, not timed)
keys() { tm send-keys -t t "$@"; sleep "$KEY_PAUSE"; }
type_text() { tm send-keys -t t -l "$1"; sleep "$KEY_PAUSE"; }

_tui_child() {
	_tui_pane=$(tm display -p -t t '#{pane_pid}') && [ -n "$_tui_pane" ] &&
		_tui_prog=$(pgrep -n -P "$_tui_pane")
}
tui_pid() { wait_for _tui_child && echo "$_tui_prog"; }

# tui_resize WIDTH HEIGHT: resize the window, and return once its terminal has that size
# (tmux may apply it a moment later; the program is told then, by SIGWINCH)
_tui_sized() { [ "$(stty -F "$_tui_tty" size 2>/dev/null)" = "$1 $2" ]; }
tui_resize() {
	tm resize-window -t t -x "$1" -y "$2" 2>/dev/null || tm resize-pane -t t -x "$1" -y "$2"
	_tui_tty=$(tm display -p -t t '#{pane_tty}')
	wait_for _tui_sized "$2" "$1"
}

# tui_tell_size WIDTH HEIGHT: set the size of the pane's terminal, not the window's: the
# program is told (the size and SIGWINCH) all a resize tells it, and what it draws past
# that size stays on the screen, where a window of that size would hide it
tui_tell_size() {
	_tui_tty=$(tm display -p -t t '#{pane_tty}')
	stty -F "$_tui_tty" cols "$1" rows "$2"
}
