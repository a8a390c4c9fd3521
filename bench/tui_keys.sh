#!/bin/bash
# bench/tui_keys.sh: how fast the full-screen program answers keys while it collects.
# Not part of `make check`: it reports numbers, it does not pass or fail on them.
#
# Usage: bench/tui_keys.sh [PROCS:FDS]      default 2000:25
#
# Starts bench/workload (as bench.sh does), runs ipctop on a pseudo-terminal of its own
# with -d 0.1, so a collection is nearly always running, then switches panes KEYS times
# (40 by default) and measures, for each key, the time from writing it to the terminal
# until ipctop has written the new pane's column header.
# Prints how long one collection takes, then the median, 95th percentile and maximum of
# the key latencies. The target is 50 ms while a collection runs.
# Environment: IPCTOP (default ./ipctop), CC (default cc), KEYS (default 40).
# Run it as root, from the directory holding ipctop. Everything it starts is stopped and
# the workload removes what it made.
set -u
srcdir=$(cd "$(dirname "$0")" && pwd)
size=${1:-2000:25}
keys=${KEYS:-40}
ipctop=$(realpath "${IPCTOP:-./ipctop}")
p=${size%%:*}
f=${size##*:}
case $p$f in '' | *[!0-9]*) echo "tui_keys: size must be PROCS:FDS, not '$size'" >&2; exit 2 ;; esac

tmp=$(mktemp -d /tmp/ipctop-tuikeys.XXXXXX)
wl_pid=
cleanup() {
	exec 9>&- 2>/dev/null
	[ -n "$wl_pid" ] && { wait "$wl_pid" 2>/dev/null || kill "$wl_pid" 2>/dev/null; }
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"${CC:-cc}" -O2 -o "$tmp/workload" "$srcdir/workload.c" || exit 1
mkfifo "$tmp/ctl"
"$tmp/workload" -p "$p" -f "$f" <"$tmp/ctl" >"$tmp/ready" 2>"$tmp/workload.err" &
wl_pid=$!
exec 9>"$tmp/ctl"
for _ in $(seq 600); do
	grep -q READY "$tmp/ready" 2>/dev/null && break
	kill -0 "$wl_pid" 2>/dev/null || break      # it gave up
	sleep 0.5
done
grep -q READY "$tmp/ready" || { echo "tui_keys: the workload did not come up" >&2; cat "$tmp/workload.err" >&2; exit 1; }

start=$(date +%s%N)
"$ipctop" -b --only=all >/dev/null
end=$(date +%s%N)
awk -v ns=$((end - start)) -v p="$p" -v f="$f" \
	'BEGIN { printf "one batch snapshot of %s processes x %s fds: %.3f s\n", p, f, ns / 1e9 }'

# ipctop on a pseudo-terminal of our own (no tmux in the measured path): write a key,
# read the screen updates until the new pane's column header has been drawn
python3 - "$ipctop" "$keys" <<'PY'
import os, pty, select, signal, struct, sys, termios, fcntl, time, random

ipctop, nkeys = sys.argv[1], int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.environ["LINES"], os.environ["COLUMNS"] = "40", "160"
    os.execv(ipctop, [ipctop, "-d", "0.1"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))

def read_until(pattern, limit):
    buf, end = b"", time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return None
            buf += data
            if pattern in buf:
                return buf
    return None

try:
    if read_until(b"Pipes", 30) is None:
        sys.exit("tui_keys: ipctop did not start")
    time.sleep(2)                       # the first snapshots
    while select.select([fd], [], [], 0)[0]:
        os.read(fd, 65536)
    # pane key and a column header only that pane draws
    panes = [(b"4", b"LSPID"), (b"P", b"OBJS"), (b"1", b"CAPACITY")]
    lat = []
    for i in range(nkeys):
        key, want = panes[i % len(panes)]
        while select.select([fd], [], [], 0)[0]:    # drain refreshes
            os.read(fd, 65536)
        t0 = time.monotonic()
        os.write(fd, key)
        out = read_until(want, 5)
        t1 = time.monotonic()
        if out is None:
            print("tui_keys: no answer to %r in 5 s" % key, file=sys.stderr)
            continue
        lat.append((t1 - t0) * 1000)
        time.sleep(random.uniform(0.05, 0.5))
    lat.sort()
    n = len(lat)
    if n:
        print("keys answered: %d of %d, with a collection running nearly all the time "
              "(-d 0.1, a snapshot taking longer than that)" % (n, nkeys))
        print("latency from the key to the new pane's header on the terminal: median %.1f ms, "
              "p95 %.1f ms, max %.1f ms (target: 50 ms)"
              % (lat[(n - 1) // 2], lat[min(n - 1, (n * 95 + 99) // 100 - 1)], lat[-1]))
finally:
    os.write(fd, b"q")
    time.sleep(0.5)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
PY
