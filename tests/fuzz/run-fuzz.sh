#!/bin/sh
# Build the libFuzzer targets with clang and run each for a bounded time on a copy of
# its seed corpus (the corpus in the repository is never grown by this script).
#
# Usage: tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default: $FUZZ_SECONDS, else 60)
#   TARGET   sysvipc mqueue escape options proc diag gen dbus remove (default: all)
# Environment: CLANG (default clang), FUZZ_BUILDDIR (where config.h is; default the
# top source directory), FUZZ_KEEP=1 keeps the work directory (grown corpora, logs).
#
# Needs clang with libFuzzer (Debian: apt-get install clang libclang-rt-14-dev). Not
# part of make check: tests/fuzz_corpus.sh replays the seeds and saved crashes there.
# A crash or broken invariant is saved as tests/fuzz/crashes/TARGET/crash-*, which
# make check then replays (and fails on) until it is fixed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${FUZZ_BUILDDIR:-$top}
clang=${CLANG:-clang}
secs=${FUZZ_SECONDS:-60}
case ${1:-} in
[0-9]*) secs=$1; shift ;;
esac
targets=${*:-sysvipc mqueue escape options proc diag gen dbus remove}

case $secs in
'' | *[!0-9]*) echo "run-fuzz: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;;
esac
if ! command -v "$clang" >/dev/null 2>&1; then
	echo "run-fuzz: $clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
if [ ! -f "$builddir/config.h" ]; then
	echo "run-fuzz: no config.h in $builddir: run ./configure (or set FUZZ_BUILDDIR)" >&2
	exit 2
fi

# Only the pure parts of the program: no snapshot collectors, no terminal.
sources() {
	case $1 in
	sysvipc | mqueue) echo "parse.c xalloc.c" ;;
	escape) echo "escape.c strbuf.c xalloc.c" ;;
	options) echo "options.c columns.c util.c xalloc.c" ;;
	proc) echo "parse_proc.c parse.c xalloc.c" ;;
	diag) echo "parse_diag.c parse.c xalloc.c" ;;
	gen) echo "gen_spec.c" ;;
	dbus) echo "parse_dbus.c strbuf.c xalloc.c" ;;
	remove) echo "remove_spec.c columns.c util.c parse.c escape.c strbuf.c xalloc.c" ;;
	*) return 1 ;;
	esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/ipctop-fuzz.XXXXXX")
if [ "${FUZZ_KEEP:-0}" = 1 ]; then
	echo "run-fuzz: work directory $work (kept)"
else
	trap 'rm -rf "$work"' EXIT
	trap 'rm -rf "$work"; exit 1' INT TERM HUP
fi

CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
status=0
summary=""
for t in $targets; do
	if ! srcs=$(sources "$t"); then
		echo "run-fuzz: unknown target '$t' (sysvipc mqueue escape options proc diag gen dbus remove)" >&2
		exit 2
	fi
	files="$here/fuzz_$t.c"
	for s in $srcs; do
		files="$files $top/src/$s"
	done
	echo "run-fuzz: building fuzz_$t"
	# shellcheck disable=SC2086 # word splitting of the flag and file lists
	if ! "$clang" $CFLAGS -I "$top/src" -I "$builddir" -I "$here" $files -lm \
		-o "$work/fuzz_$t" 2>"$work/build_$t.log"; then
		cat "$work/build_$t.log" >&2
		echo "run-fuzz: cannot build fuzz_$t (is libclang-rt-14-dev installed?)" >&2
		exit 2
	fi

	mkdir -p "$work/corpus/$t" "$here/crashes/$t"
	cp "$here/corpus/$t"/* "$work/corpus/$t/"
	seeds=$(find "$work/corpus/$t" -type f | wc -l)
	before=$(find "$here/crashes/$t" -type f | wc -l)
	echo "run-fuzz: fuzz_$t for ${secs}s from $seeds seeds"
	(cd "$work" && ASAN_OPTIONS=detect_leaks=1 "./fuzz_$t" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$here/crashes/$t/" "$work/corpus/$t") >"$work/fuzz_$t.log" 2>&1
	rc=$?
	after=$(find "$here/crashes/$t" -type f | wc -l)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz_$t.log" | tail -n 1)
	# libFuzzer's own count (files it replaced by smaller ones are not counted twice)
	corpus=$(sed -n 's/.*[ \t]corp: \([0-9]*\)\/.*/\1/p' "$work/fuzz_$t.log" | tail -n 1)
	if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
		result="CRASH (exit $rc)"
		status=1
		# the report: from the first error line to the end
		awk '/invariant failed|runtime error|==ERROR|^INFO: a leak/ { p = 1 } p' \
			"$work/fuzz_$t.log" | head -n 80 | sed 's/^/    /'
		find "$here/crashes/$t" -type f -newer "$work/fuzz_$t" | sed 's/^/    saved: /'
	else
		result="no crash"
	fi
	rmdir "$here/crashes/$t" 2>/dev/null   # only if empty
	line=$(printf '%-8s %4ss  executions %-10s corpus %4s inputs (from %s seeds)  %s' \
		"$t" "$secs" "${execs:-?}" "${corpus:-?}" "$seeds" "$result")
	echo "run-fuzz: $line"
	summary="$summary$line
"
done
echo "---- run-fuzz summary"
printf '%s' "$summary"
[ $status -eq 0 ] || echo "crash inputs are in $here/crashes/ (make check replays them)"
exit $status
