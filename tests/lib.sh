# Shared by the shell tests: TAP output, the object helper, cleanup on every exit path.
# Tests print "ok - ..." / "not ok - ..." lines and end with the plan.

tap_count=0
tap_failed=0
: "${IPCTOP:=./ipctop}" "${MKOBJ:=./tests/ipc_mkobj}" "${PEAKRSS:=./tests/peakrss}" "${TESTS_SRCDIR:=$(dirname "$0")}"
# Our objects' names start with this (a test run inside another sets its own)
: "${IPCTOP_TEST_PREFIX:=ipctop-test-$$-}"

ok() { tap_count=$((tap_count + 1)); printf 'ok %d - %s\n' "$tap_count" "$*"; }
not_ok() { tap_count=$((tap_count + 1)); tap_failed=$((tap_failed + 1)); printf 'not ok %d - %s\n' "$tap_count" "$*"; }
# An expected failure: DESCRIPTION ends in "# TODO reason"; does not fail the test.
todo() { tap_count=$((tap_count + 1)); printf 'not ok %d - %s\n' "$tap_count" "$*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
check() { # check DESCRIPTION COMMAND...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# Pass TAP lines from a sub-checker through, renumbering them.
tap_relay() {
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok - }" ;;
		"not ok "*"# TODO"*) todo "${line#not ok - }" ;;
		"not ok "*) not_ok "${line#not ok - }" ;;
		*) printf '# %s\n' "$line" ;;
		esac
	done
}
# run_tap CMD...: run a checker that prints TAP lines and relay them (no pipe: the
# counters must stay in this shell).
run_tap() {
	"$@" >"$TMPD/tap.out" 2>&1
	tap_relay <"$TMPD/tap.out"
}
done_testing() { echo "1..$tap_count"; [ "$tap_failed" -eq 0 ]; }

require_root() { [ "$(id -u)" -eq 0 ] || skip_all "needs root"; }

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/ipctop-test.XXXXXX")
# The sanitizer build's leak suppressions, where a test's processes of another user
# (setpriv, with TMPD made 755) can read them: the build directory may be private
# (CI builds in a mktemp -d), and LeakSanitizer fails the run that cannot read them.
case ${LSAN_OPTIONS:-} in
*suppressions=*)
	supp=${LSAN_OPTIONS#*suppressions=}
	supp=${supp%%:*}
	if cp "$supp" "$TMPD/lsan.supp" 2>/dev/null && chmod 644 "$TMPD/lsan.supp"; then
		LSAN_OPTIONS=$(printf '%s' "$LSAN_OPTIONS" | sed "s|suppressions=[^:]*|suppressions=$TMPD/lsan.supp|")
		export LSAN_OPTIONS
	fi
	;;
esac
MKOBJ_PIDS=""
# functions cleanup runs first (tui_lib.sh's tmux servers), each safe to run twice
CLEANUP_HOOKS=""
cleanup() {
	for h in $CLEANUP_HOOKS; do
		"$h"
	done
	for p in $MKOBJ_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $MKOBJ_PIDS; do
		wait "$p" 2>/dev/null
	done
	MKOBJ_PIDS=""
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM HUP PIPE

# start_objects NAME SPEC...: run the helper; its JSON lines land in $TMPD/NAME.objs.
# Returns when every object exists.
start_objects() {
	name=$1; shift
	mkfifo "$TMPD/$name.in"
	"$MKOBJ" -p "$IPCTOP_TEST_PREFIX" "$@" <"$TMPD/$name.in" >"$TMPD/$name.out" 2>"$TMPD/$name.err" &
	pid=$!
	MKOBJ_PIDS="$MKOBJ_PIDS $pid"
	exec 9>"$TMPD/$name.in"         # hold the helper's stdin open
	i=0
	while ! grep -q '^READY' "$TMPD/$name.out" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "# helper failed: $(cat "$TMPD/$name.err")"
			return 1
		fi
		i=$((i + 1)); [ $i -lt 500 ] || return 1
		sleep 0.02
	done
	grep -v '^READY' "$TMPD/$name.out" >"$TMPD/$name.objs"
	eval "${name}_pid=$pid"
}

# stop_objects: close the helper's stdin and wait until it has removed everything.
stop_objects() {
	exec 9>&-
	for p in $MKOBJ_PIDS; do
		wait "$p" 2>/dev/null
	done
	MKOBJ_PIDS=""
}

# leftovers: print anything of ours still on the system (should print nothing). Reads the
# kernel directly (/proc/sysvipc, /dev/shm, the mqueue filesystem), not through ipctop.
leftovers() {
	python3 "$TESTS_SRCDIR/check_json.py" leftovers "$IPCTOP_TEST_PREFIX" "$TMPD"/*.objs
}

# run_in_namespaces UNSHARE-FLAGS...: run this test again in namespaces of its own
# (unshare FLAGS), relay its checks renumbered, check that nothing of ours is left on
# the machine, and exit. Returns in that inner run (status 0), or when the namespaces
# cannot be made (status 1): the test then runs here.
run_in_namespaces() {
	[ -n "${IPCTOP_TEST_INNER:-}" ] && return 0
	unshare "$@" true 2>/dev/null || return 1
	IPCTOP_TEST_INNER=1 IPCTOP_TEST_PREFIX=$IPCTOP_TEST_PREFIX unshare "$@" sh "$0" >"$TMPD/ns.tap" 2>&1
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* - /\1ok - /p; s/^#/#/p' "$TMPD/ns.tap" >"$TMPD/ns.relay"
	tap_relay <"$TMPD/ns.relay"
	grep -q '^1\.\.0 # SKIP' "$TMPD/ns.tap" && { cat "$TMPD/ns.tap"; exit 0; }
	left=$(python3 "$TESTS_SRCDIR/check_json.py" leftovers "$IPCTOP_TEST_PREFIX" /dev/null)
	check "nothing of ours is left on the machine${left:+: $left}" [ -z "$left" ]
	done_testing
	exit
}
