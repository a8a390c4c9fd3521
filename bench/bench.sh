#!/bin/bash
# bench/bench.sh: time ipctop against lsfd, lsof, ss and lsipc on one large IPC workload
# per size. Not part of `make check`: it reports numbers and does not fail on targets.
#
# Usage: bench/bench.sh [PROCS:FDS ...]        default: 500:25 1000:25 2000:25
#
# Environment:
#   IPCTOP        ipctop to measure (default ./ipctop; copied first, so a rebuild
#                 during the run changes nothing)
#   CC            compiler for bench/workload.c and bench/measure.c (default cc)
#   SIZES         sizes when none are given as arguments, e.g. "1000:25 2000:25"
#   RUNS          timed runs per tool and size, the median is shown (default 3)
#   TOOL_TIMEOUT  seconds before one run of a tool is killed (default 600)
#   READY_TIMEOUT seconds to wait for the workload to exist (default 600)
#
# For each size it starts bench/workload (PROCS processes holding FDS descriptors each:
# pipes, socketpairs, UNIX connections, eventfds, FIFOs, SysV and POSIX objects), runs
# each tool once to warm the caches, then RUNS times in turn, output to /dev/null, and
# prints wall time, CPU time (user+sys) and peak RSS, measured by bench/measure.
# Then ratios, how ipctop's time scales with the size, and the targets.
#
# Exit status: 0 when every size was measured, 1 if the workload could not be built or
# brought up, a tool crashed or timed out, or something was left behind.
# Run it as root: the workload raises limits, and the tools see every process only as root.
set -u

srcdir=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-3}
tool_timeout=${TOOL_TIMEOUT:-600}
ready_timeout=${READY_TIMEOUT:-600}
ipctop_src=${IPCTOP:-./ipctop}
status=0
tmp=
wl_pid=
wl_pids=()      # every workload started, for the leftover check

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }

# ---- cleanup on every exit path ----

stop_workload() {
	[ -n "$wl_pid" ] || return 0
	exec 9>&-       # EOF on the workload's stdin: it removes everything and exits
	local i
	for ((i = 0; i < 300; i++)); do
		kill -0 "$wl_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$wl_pid" 2>/dev/null; then
		warn "workload $wl_pid did not stop on EOF; sending SIGTERM"
		kill -TERM "$wl_pid" 2>/dev/null
		sleep 5
		kill -KILL "$wl_pid" 2>/dev/null        # its guard removes the objects
	fi
	wait "$wl_pid" 2>/dev/null
	wl_pid=
}

# What a workload may have left: processes, SysV keys 0x1b0e0000-0x1b0effff, POSIX names
# and temp dirs "ipctop-bench-<pid>-". Prints one line per thing left.
leftovers() {
	local pid
	ps -eo pid=,stat=,comm= | awk '$2 !~ /^Z/ && $3 ~ /^ipcbench-/ { print "process " $1 " " $3 }'
	ipcs -q -m -s 2>/dev/null | awk 'tolower($1) ~ /^0x1b0e/ { print "SysV key " $1 " id " $2 }'
	for pid in "${wl_pids[@]}"; do
		ls -d /dev/shm/*"ipctop-bench-$pid-"* "${TMPDIR:-/tmp}/ipctop-bench-$pid-"* 2>/dev/null
		if mountpoint -q /dev/mqueue 2>/dev/null; then
			ls -d /dev/mqueue/"ipctop-bench-$pid-"* 2>/dev/null
		elif [ "$(id -u)" = 0 ] && [ -n "$tmp" ]; then
			# the queues exist without a mount: look through a private one
			mkdir -p "$tmp/mq"
			unshare -m sh -c 'mount -t mqueue none "$1" && ls -d "$1"/"ipctop-bench-$2-"*' \
				sh "$tmp/mq" "$pid" 2>/dev/null
		fi
	done
}

on_exit() {
	local rc=$? left
	trap - EXIT INT TERM HUP PIPE
	stop_workload
	if [ ${#wl_pids[@]} -gt 0 ]; then
		left=$(leftovers)
		if [ -n "$left" ]; then
			warn "left behind by the workload:"
			printf '%s\n' "$left" | sed 's/^/  /' >&2
			rc=1
		else
			say "Cleanup: no ipctop-bench process, SysV object, POSIX object or temp dir left."
		fi
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# ---- arguments, tools, build ----

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || read -r -a sizes <<<"${SIZES:-500:25 1000:25 2000:25}"
for s in "${sizes[@]}"; do
	if ! [[ $s =~ ^[1-9][0-9]*:[1-9][0-9]*$ ]]; then
		warn "bad size '$s': expected PROCS:FDS, e.g. 2000:25"
		exit 2
	fi
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
	warn "bad RUNS '$runs': expected a positive number"
	exit 2
fi
[ "$(id -u)" = 0 ] || warn "not root: the tools see only your own processes and the workload may hit limits"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipctop-bench.XXXXXX") || exit 1
cc=${CC:-cc}
for prog in workload measure; do
	if ! $cc -O2 -Wall -Wextra -o "$tmp/$prog" "$srcdir/$prog.c" -lrt 2>"$tmp/cc.err"; then
		warn "cannot build bench/$prog.c with $cc:"
		cat "$tmp/cc.err" >&2
		exit 1
	fi
done

if [ ! -x "$ipctop_src" ]; then
	warn "no ipctop at $ipctop_src: build it (make) or set IPCTOP"
	exit 1
fi
cp "$ipctop_src" "$tmp/ipctop" || exit 1
ipctop=$tmp/ipctop

# tool_set NAME: label and argv of one tool
tool_set() {
	case $1 in
	ipctop)      label="ipctop --batch";               argv=("$ipctop" --batch) ;;
	ipctop_json) label="ipctop --batch --format=json"; argv=("$ipctop" --batch --format=json) ;;
	lsfd)        label="lsfd";                         argv=(lsfd) ;;
	lsof)        label="lsof -n +E";                   argv=(lsof -n +E) ;;
	ss)          label="ss -xap";                      argv=(ss -xap) ;;
	lsipc)       label="lsipc";                        argv=(lsipc) ;;
	esac
}
declare -A pkg=([lsfd]=util-linux [lsipc]=util-linux [lsof]=lsof [ss]=iproute2)
active=()
missing=()
for name in ipctop ipctop_json lsfd lsof ss lsipc; do
	tool_set "$name"
	if command -v "${argv[0]}" >/dev/null 2>&1; then
		active+=("$name")
	else
		missing+=("${argv[0]} (Debian package ${pkg[$name]})")
	fi
done
[ ${#missing[@]} -eq 0 ] || warn "missing, skipped: ${missing[*]}; bench/packages.txt lists what the benchmark needs"

# ---- measuring ----

# median FILE AWK-EXPR: the median of the expression over the lines of FILE
median() {
	awk "{ print $2 }" "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run_tool NAME CMD...: one measured run, result line appended to $dir/NAME
run_tool() {
	local name=$1 res
	shift
	"$tmp/measure" -t "$tool_timeout" "$tmp/one" "$@" >/dev/null 2>"$tmp/$name.err" 9>&-
	res=$(cat "$tmp/one")
	case $res in
	"")
		warn "$name could not be run: $(head -n 1 "$tmp/$name.err")"
		status=1
		return ;;
	*" signal "*)
		warn "$name crashed (signal ${res##* }); its stderr:"
		tail -n 5 "$tmp/$name.err" >&2
		status=1 ;;
	*" timeout "*)
		warn "$name did not finish in $tool_timeout s; killed"
		status=1 ;;
	*" exit 0") ;;
	*)
		# lsof, for one, exits 1 when it could not read something: noted, still timed
		grep -q "^$name " "$dir/exitnotes" 2>/dev/null ||
			echo "$name ${res##* } $(head -n 1 "$tmp/$name.err")" >>"$dir/exitnotes" ;;
	esac
	echo "$res" >>"$dir/$name"
}

# Other work on the machine inflates wall times (CPU times much less): sample how busy
# the CPUs are for a second before measuring, and say so. (The load average would count
# the runs of the previous size.)
check_load() {
	local a b cores
	a=$(head -n 1 /proc/stat)
	sleep 1
	b=$(head -n 1 /proc/stat)
	cores=$(nproc)
	# fields after "cpu": user nice system idle iowait irq softirq steal ...
	printf '%s\n%s\n' "$a" "$b" | awk -v cores="$cores" '
		{ idle[NR] = $5 + $6; total[NR] = 0; for (i = 2; i <= 9; i++) total[NR] += $i }
		END {
			busy = (total[2] - total[1] - (idle[2] - idle[1])) / (total[2] - total[1] + 1e-9) * cores
			printf "other work before measuring: %.2f of %d CPUs busy\n", busy, cores
			if (busy >= 0.25)
				printf "bench: %.2f CPUs busy with other work: wall times will be inflated\n", busy > "/dev/stderr"
		}'
}

fmt_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a == a + 0) printf "%.1fx", a / b; else printf "-" }'; }

results=()      # "procs fds dir" per measured size

for s in "${sizes[@]}"; do
	p=${s%:*} f=${s#*:}
	dir=$tmp/$p-$f
	mkdir -p "$dir"
	say ""
	say "== $p processes x $f fds: starting the workload =="
	rm -f "$tmp/ctl"
	mkfifo "$tmp/ctl"
	"$tmp/workload" -p "$p" -f "$f" <"$tmp/ctl" >"$dir/ready" 2>"$dir/workload.err" &
	wl_pid=$!
	wl_pids+=("$wl_pid")
	exec 9>"$tmp/ctl"
	t0=$SECONDS
	while ! grep -q '^READY' "$dir/ready" 2>/dev/null; do
		if ! kill -0 "$wl_pid" 2>/dev/null || [ $((SECONDS - t0)) -ge "$ready_timeout" ]; then
			warn "the workload for $p x $f did not come up; its messages:"
			cat "$dir/workload.err" >&2
			stop_workload
			status=1
			continue 2
		fi
		sleep 0.1
	done
	read -r _ nprocs nfds <"$dir/ready"
	say "workload ready in $((SECONDS - t0)) s: $(sed 's/^workload: //' "$dir/workload.err")"
	check_load

	for name in "${active[@]}"; do
		tool_set "$name"
		"${argv[@]}" >/dev/null 2>&1 9>&-      # warm-up, not timed
	done
	for ((r = 1; r <= runs; r++)); do
		for name in "${active[@]}"; do
			tool_set "$name"
			run_tool "$name" "${argv[@]}"
		done
	done
	stop_workload

	say ""
	say "$nprocs processes, $nfds fds: median of $runs runs"
	printf '%-30s %9s %9s %9s %9s %11s  %s\n' tool "wall s" "cpu s" "user s" "sys s" "peak MiB" status
	for name in "${active[@]}"; do
		tool_set "$name"
		wall=$(median "$dir/$name" '$1')
		cpu=$(median "$dir/$name" '$2 + $3')
		usr=$(median "$dir/$name" '$2')
		sys=$(median "$dir/$name" '$3')
		rss=$(median "$dir/$name" '$4 / 1024')
		# the first run that did not exit 0, if any
		st=$(awk '$5 != "exit" || $6 != 0 { print $5, $6; exit }' "$dir/$name")
		echo "$wall $cpu $rss ${st:-ok}" >"$dir/$name.median"
		printf '%-30s %9.3f %9.3f %9.3f %9.3f %11.1f  %s\n' "$label" "$wall" "$cpu" "$usr" "$sys" "$rss" "${st:-ok}"
	done
	if [ -s "$dir/exitnotes" ]; then
		while read -r name code msg; do
			say "  note: $name exited with status $code${msg:+: $msg}"
		done <"$dir/exitnotes"
	fi
	if [ -f "$dir/ipctop.median" ]; then
		read -r iw ic _ <"$dir/ipctop.median"
		line="ratios (wall, cpu):"
		for other in lsfd lsof; do
			[ -f "$dir/$other.median" ] || continue
			read -r ow oc _ <"$dir/$other.median"
			line="$line  $other/ipctop $(fmt_ratio "$ow" "$iw"), $(fmt_ratio "$oc" "$ic")"
		done
		say "$line"
	fi
	results+=("$nprocs $nfds $dir")
done

[ ${#results[@]} -gt 0 ] || { warn "no size could be measured"; exit 1; }

# ---- across sizes ----

say ""
say "Wall time in seconds (median) by size:"
printf '%-30s' "tool"
for r in "${results[@]}"; do
	read -r np nf _ <<<"$r"
	printf ' %14s' "${np}p/${nf}fd"
done
printf '\n'
for name in "${active[@]}"; do
	tool_set "$name"
	printf '%-30s' "$label"
	for r in "${results[@]}"; do
		read -r _ _ d <<<"$r"
		read -r w _ <"$d/$name.median"
		printf ' %14.3f' "$w"
	done
	printf '\n'
done

read -r np0 nf0 d0 <<<"${results[0]}"
read -r np1 nf1 d1 <<<"${results[${#results[@]} - 1]}"
if [ ${#results[@]} -gt 1 ]; then
	say ""
	say "Scaling from ${np0}p/${nf0}fd to ${np1}p/${nf1}fd ($(fmt_ratio "$nf1" "$nf0") the fds; doubling the size should at most double the time):"
	for name in ipctop ipctop_json; do
		[ -f "$d0/$name.median" ] || continue
		read -r w0 c0 _ <"$d0/$name.median"
		read -r w1 c1 _ <"$d1/$name.median"
		verdict=
		for pair in "wall $w1 $w0" "cpu $c1 $c0"; do
			read -r what a b <<<"$pair"
			verdict="$verdict, $what $(fmt_ratio "$a" "$b") $(awk -v a="$a" -v b="$b" -v x="$nf1" -v y="$nf0" \
				'BEGIN { print (b > 0 && a / b <= x / y) ? "(at most linear)" : "(worse than linear)" }')"
		done
		say "  ${name/_json/ --format=json}: ${verdict#, }"
	done
fi

say ""
if [ "$np1" -ge 2000 ] && [ "$nf1" -ge 50000 ]; then
	say "Targets at ${np1}p/${nf1}fd (2000 processes and 50,000 fds or more):"
else
	say "Targets are for 2000 processes and 50,000 fds; the largest size measured is ${np1}p/${nf1}fd:"
fi
if [ -f "$d1/ipctop.median" ]; then
	read -r iw _ _ ist <"$d1/ipctop.median"
	[ "$ist" = ok ] || say "  (ipctop --batch did not always exit 0: $ist; the numbers below mean little)"
	for spec in "lsfd 4" "lsof 3"; do
		read -r other want <<<"$spec"
		if [ -f "$d1/$other.median" ]; then
			read -r ow _ <"$d1/$other.median"
			got=$(awk -v a="$ow" -v b="$iw" 'BEGIN { print (b > 0) ? a / b : 0 }')
			met=$(awk -v g="$got" -v w="$want" 'BEGIN { print (g >= w) ? "met" : "NOT met" }')
			say "  ipctop --batch ${want}x faster than $other: $(fmt_ratio "$ow" "$iw") ($met)"
		else
			say "  ipctop --batch ${want}x faster than $other: $other not installed"
		fi
	done
	for name in ipctop ipctop_json; do
		read -r _ _ rss _ <"$d1/$name.median"
		met=$(awk -v m="$rss" 'BEGIN { print (m < 32) ? "met" : "NOT met" }')
		say "  ${name/_json/ --format=json} peak RSS below 32 MiB: $(printf '%.1f' "$rss") MiB ($met)"
	done
fi
say "(reported, not enforced)"
exit $status
