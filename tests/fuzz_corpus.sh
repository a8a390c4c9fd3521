#!/bin/sh
# The fuzz targets, built without libFuzzer (tests/fuzz/replay.c), over their seed
# corpus and any saved crash inputs: no crash, no leak, no broken invariant.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
: "${FUZZ_REPLAY_DIR:=./tests/fuzz}"

for t in sysvipc mqueue escape options proc diag gen dbus remove; do
	replay="$FUZZ_REPLAY_DIR/replay_$t"
	corpus="$TESTS_SRCDIR/fuzz/corpus/$t"
	crashes="$TESTS_SRCDIR/fuzz/crashes/$t"
	set -- "$corpus"
	[ -d "$crashes" ] && set -- "$@" "$crashes"
	"$replay" "$@" >"$TMPD/$t.out" 2>"$TMPD/$t.err"
	rc=$?
	n=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$TMPD/$t.out")
	if [ $rc -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		ok "fuzz target $t: $n inputs replayed"
	else
		# the last input named is the one that failed
		grep '^replay: ' "$TMPD/$t.err" | tail -n 1 | sed 's/^/# /'
		grep -E 'invariant failed|runtime error|ERROR' "$TMPD/$t.err" | head -n 5 | sed 's/^/# /'
		not_ok "fuzz target $t (exit $rc, ${n:-no} inputs replayed)"
	fi
done
done_testing
