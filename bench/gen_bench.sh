#!/bin/bash
# bench/gen_bench.sh: ipctop --generate against stress-ng's stressors, one mechanism at a
# time, side by side. Not part of `make check`: it reports numbers, it does not fail on them.
#
# Usage: bench/gen_bench.sh
#
# Environment:
#   IPCTOP     ipctop to measure (default ./ipctop)
#   DURATION   seconds per run (default 5)
#   MSG        message size in bytes, for both where stress-ng has a size option (default 64)
#   ONLY       only these stressors, e.g. ONLY="msg fifo"
#   REPEAT     runs of each, alternating stress-ng and ipctop (default 3); the table shows
#              the medians, and the lowest and highest of the runs' ratios, since one
#              run of a pair of busy processes on a shared machine moves by 10-20%
#
# Pairs compared (stress-ng stressor, its size option / ipctop mechanism):
#   pipe      --pipe-data-size MSG      pipe
#   fifo      --fifo-data-size MSG      fifo        (1 reader)
#   mq        (its own message)         posix-mq
#   msg       --msg-bytes MSG           sysv-msg
#   sem-sysv  (semaphore operations)    sysv-shm    (a message through a ring, two semops a side)
#   sockpair  (its own sizes)           socketpair
#   eventfd   (8 bytes)                 eventfd     (8 bytes, acknowledged)
# stress-ng's figure is bogo ops/s (real time) from --metrics-brief (its YAML output);
# ipctop's is messages/s received, with MB/s and the latency percentiles stress-ng does
# not report. One stress-ng instance and one ipctop pair each, so both use two processes.
# Run as root (SysV and POSIX limits; stress-ng refuses some stressors otherwise).
set -u

ipctop=${IPCTOP:-./ipctop}
dur=${DURATION:-5}
msg=${MSG:-64}

command -v stress-ng >/dev/null || { echo "gen_bench: stress-ng not installed (bench/packages.txt)" >&2; exit 1; }
[ -x "$ipctop" ] || { echo "gen_bench: $ipctop not found (IPCTOP=...)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gen_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 1' INT TERM HUP

# stressor  ipctop mechanism  stress-ng options ("-": none)
pairs=(
	"pipe     pipe        --pipe-data-size=$msg"
	"fifo     fifo        --fifo-data-size=$msg --fifo-readers=1"
	"mq       posix-mq    -"
	"msg      sysv-msg    --msg-bytes=$msg"
	"sem-sysv sysv-shm    -"
	"sockpair socketpair  -"
	"eventfd  eventfd     -"
)
ONLY=${ONLY:-}

sng_rate() { # stressor opts -> bogo ops/s (real time)
	local s=$1 opts=$2
	[ "$opts" = - ] && opts=""
	# shellcheck disable=SC2086 # the options are words
	(cd "$work" && stress-ng --"$s" 1 $opts --timeout "${dur}s" --metrics-brief \
		--yaml "$work/$s.yaml" >"$work/$s.log" 2>&1) || { echo "failed"; return; }
	sed -n 's/^ *bogo-ops-per-second-real-time: *//p' "$work/$s.yaml" | head -n 1
}

reps=${REPEAT:-3}
case $reps in '' | *[!0-9]* | 0) echo "gen_bench: REPEAT must be a positive number, not '$reps'" >&2; exit 1 ;; esac
printf '%s-byte messages where a size applies, %s s each, median of %s runs, %s\n' "$msg" "$dur" "$reps" "$(uname -r)"
printf '%-9s %14s   %-11s %14s %9s %9s %9s %9s %13s %8s\n' "stress-ng" "bogo-ops/s" "ipctop" "msgs/s" "MB/s" \
	"lat-p50" "lat-p99" "ratio" "runs' ratios" "errors"
status=0
for line in "${pairs[@]}"; do
	read -r s mech opts <<<"$line"
	[ -z "$ONLY" ] || [[ " $ONLY " == *" $s "* ]] || continue
	srs=()
	for ((i = 1; i <= reps; i++)); do
		srs+=("$(sng_rate "$s" "$opts")")
		if ! "$ipctop" --generate "$mech" --msg-size "$msg" --duration "$dur" --format=json \
			>"$work/$mech.$i.json" 2>"$work/$mech.err"; then
			echo "gen_bench: ipctop --generate $mech failed: $(cat "$work/$mech.err")" >&2
			status=1
		fi
	done
	python3 - "$work" "$s" "$mech" "${srs[@]}" <<'PY'
import json, statistics, sys
work, s, mech, srs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = []
for i, sr in enumerate(srs, 1):
    try:
        r = json.load(open("%s/%s.%d.json" % (work, mech, i)))["generate"]["results"][0]
    except (OSError, ValueError, IndexError, KeyError):
        r = None
    try:
        sr = float(sr)
    except ValueError:
        sr = None
    runs.append((sr, r))
ok = [(sr, r) for sr, r in runs if sr and r]
if not ok:
    print("%-9s %14s   %-11s %14s" % (s, "failed" if not any(sr for sr, _ in runs) else "",
                                       mech, "failed"))
    sys.exit(0)
srm = statistics.median(sr for sr, _ in ok)
# the run whose rate is the median (lower median for an even count) gives MB/s and latency
by_rate = sorted((r for _, r in ok), key=lambda r: r["msgs_per_s"])
mid = by_rate[(len(by_rate) - 1) // 2]
im = statistics.median(r["msgs_per_s"] for r in by_rate)
ratios = [r["msgs_per_s"] / sr for sr, r in ok]
lat = mid["latency_ns"]
print("%-9s %14.0f   %-11s %14.0f %9.2f %8.1fus %8.1fus %8.2fx %13s %8d" % (
    s, srm, mech, im, mid["mb_per_s"], lat["p50"] / 1e3, lat["p99"] / 1e3, im / srm,
    "%.2f-%.2f" % (min(ratios), max(ratios)), sum(r["errors"] for _, r in ok)))
if len(ok) < len(runs):
    print("  (%d of %d runs failed and are left out)" % (len(runs) - len(ok), len(runs)))
PY
done
echo "ratio: median ipctop msgs/s over median stress-ng bogo-ops/s (target: at least 1.00x each)"
exit $status
