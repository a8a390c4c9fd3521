#!/bin/sh
# The traffic generator (--generate): every mechanism passes messages intact and counted;
# a rate limit holds; bad SPECs and options are refused by name; interrupting the
# generator at several moments, or killing a worker, leaves no object and no process;
# a SIGKILLed run's leftovers are shown stale and removed on request.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
command -v unshare >/dev/null || skip_all "unshare(1) not installed"
# the system's python starts faster than a version manager's shim (checks run in loops)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
GC="$PY $TESTS_SRCDIR/gen_check.py"
MECHS="pipe fifo unix-stream unix-dgram unix-seqpacket socketpair posix-mq sysv-msg posix-shm sysv-shm eventfd tcp"

# Generators this test started, killed on every way out (by pid, never by name); the one
# killed on purpose with its workers is cleaned up after.
GEN_PIDS=""
KILLED_GEN=""
gen_cleanup() {
	for p in $GEN_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "$KILLED_GEN" ] && "$IPCTOP" --generate-cleanup="$KILLED_GEN" >/dev/null 2>&1
	cleanup
}
trap gen_cleanup EXIT
trap 'gen_cleanup; exit 1' INT TERM HUP PIPE

# ---- every mechanism, both patterns ----
for pattern in stream pingpong; do
	"$IPCTOP" --generate all --pattern "$pattern" --duration 0.2 --msg-size 100 --format=json \
		>"$TMPD/$pattern.json" 2>"$TMPD/$pattern.err"
	rc=$?
	check "$pattern, all mechanisms: exit 0 (stderr: $(head -c 300 "$TMPD/$pattern.err"))" [ $rc -eq 0 ]
	run_tap $GC results "$TMPD/$pattern.json" "$pattern" $MECHS
done

# two pairs each, text output
"$IPCTOP" --generate pipe:2,sysv-msg:2,posix-shm:2 --duration 0.2 >"$TMPD/text.out" 2>&1
check "text output: exit 0" [ $? -eq 0 ]
check "text output: a header and three rows of two pairs" \
	[ "$(grep -c '^\(pipe\|sysv-msg\|posix-shm\) \+2 ' "$TMPD/text.out")" -eq 3 ]
check "text output: the latency columns" grep -q "LAT-MIN.*P50.*P99.*MAX" "$TMPD/text.out"

# a large message
"$IPCTOP" --generate pipe,unix-seqpacket,sysv-shm,tcp --msg-size 200000 --duration 0.2 --format=json \
	>"$TMPD/big.json" 2>"$TMPD/big.err"
check "200000-byte messages: exit 0 ($(head -c 200 "$TMPD/big.err"))" [ $? -eq 0 ]
run_tap $GC results "$TMPD/big.json" big pipe unix-seqpacket sysv-shm tcp

# ---- the rate limit: never more than rate x duration (+1), and some ----
"$IPCTOP" --generate pipe,posix-mq,eventfd --rate 200 --duration 0.5 --format=json >"$TMPD/rate.json"
run_tap $PY - "$TMPD/rate.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["generate"]["results"]:
    ok = 0 < r["sent"] <= 101 and r["sent"] == r["received"]
    print(("ok" if ok else "not ok") + " - --rate 200 for 0.5 s, %s: %d sent (1 to 101)" % (r["mechanism"], r["sent"]))
PY
run_tap $GC results "$TMPD/rate.json" rate pipe posix-mq eventfd

# ---- refused ----
refused() { # refused DESCRIPTION TEXT ARGS...
	desc=$1 text=$2; shift 2
	"$IPCTOP" "$@" >"$TMPD/ref.out" 2>"$TMPD/ref.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$text" "$TMPD/ref.err" && [ ! -s "$TMPD/ref.out" ]; then
		ok "refused: $desc"
	else
		not_ok "refused: $desc (exit $rc: $(cat "$TMPD/ref.err"))"
	fi
}
refused "unknown mechanism" "unknown mechanism 'pipes'" --generate pipe,pipes
refused "empty item" "item 2 of SPEC is empty" --generate "pipe,,tcp"
refused "pair count 0" "bad number of pairs in 'fifo:0'" --generate fifo:0
refused "pair count 33" "bad number of pairs in 'tcp:33'" --generate tcp:33
refused "a mechanism twice" "names 'pipe' a second time" --generate pipe,all
refused "empty SPEC" "empty SPEC" --generate ""
refused "--rate without --generate" "--rate needs --generate" --rate 10
refused "--msg-size too small" "invalid value for --msg-size: '8'" --generate pipe --msg-size 8
refused "--msg-size too large" "invalid value for --msg-size: '2000000'" --generate pipe --msg-size 2000000
refused "--pattern unknown" "invalid value for --pattern: 'burst'" --generate pipe --pattern burst
refused "--duration 0" "invalid value for --duration: '0'" --generate pipe --duration 0
refused "--rate 0" "invalid value for --rate: '0'" --generate pipe --rate 0
refused "--generate with --remove-stale" "--generate cannot be used with --remove-stale" --generate pipe --remove-stale
refused "--generate with --columns" "--columns cannot be used with --generate" --generate pipe -o name

# a limit hit is named
msgmax=$(cat /proc/sys/kernel/msgmax)
"$IPCTOP" --generate sysv-msg --msg-size $((msgmax + 1)) --duration 0.1 >"$TMPD/lim.out" 2>"$TMPD/lim.err"
rc=$?
check "a message larger than kernel.msgmax: exit 1, the limit named" \
	sh -c "[ $rc -eq 1 ] && grep -q 'limit: kernel.msgmax' '$TMPD/lim.err'"
left=$($GC leftovers $$)
check "nothing created before the limit was seen" [ -z "$left" ]
# a kernel refusal names the limit it means
prlimit --msgqueue=1000 "$IPCTOP" --generate posix-mq --duration 0.1 >"$TMPD/lim.out" 2>"$TMPD/lim.err"
rc=$?
check "RLIMIT_MSGQUEUE too small for a queue: exit 1, the limit named ($(cat "$TMPD/lim.err"))" \
	sh -c "[ $rc -eq 1 ] && grep -q 'limit hit: RLIMIT_MSGQUEUE' '$TMPD/lim.err'"
prlimit --nofile=6 "$IPCTOP" --generate pipe,tcp --duration 0.1 >"$TMPD/lim.out" 2>"$TMPD/lim.err"
rc=$?
check "RLIMIT_NOFILE too small: exit 1, the limit named ($(cat "$TMPD/lim.err"))" \
	sh -c "[ $rc -eq 1 ] && grep -q 'limit hit: RLIMIT_NOFILE' '$TMPD/lim.err'"

# ---- interrupted at several moments ----
# start_gen: a generator in the background; GEN is its pid. A background command of a
# shell without job control ignores SIGINT: env gives it back its default.
start_gen() {
	env --default-signal=INT,TERM,HUP "$IPCTOP" --generate all --duration 30 "$@" \
		>"$TMPD/int.out" 2>"$TMPD/int.err" &
	GEN=$!
	GEN_PIDS="$GEN_PIDS $GEN"
}
# wait_exec: until the generator's process is ipctop (env has exec'd it)
wait_exec() {
	i=0
	while [ "$(cat "/proc/$GEN/comm" 2>/dev/null)" != ipctop ] && [ $i -lt 500 ]; do
		i=$((i + 1)); sleep 0.01
	done
}
# workers GENPID: pid:starttime (field 22 of stat) of each child of the generator
workers() {
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
	[ -n "$kids" ] || return 0
	files=""
	for w in $kids; do files="$files /proc/$w/stat"; done
	# shellcheck disable=SC2086 # a list of paths
	cat $files 2>/dev/null | awk '{ pid = $1; sub(/.*\) /, ""); print pid ":" $20 }'
}
# wait_workers N: until the generator has N children (its workers); their pid:start in WORKERS
wait_workers() {
	i=0
	while :; do
		WORKERS=$(workers "$GEN")
		[ "$(echo "$WORKERS" | grep -c :)" -ge "$1" ] && return 0
		i=$((i + 1)); [ $i -lt 500 ] || return 1
		sleep 0.02
	done
}
wait_gone() { # the generator has exited (it is our child: wait)
	wait "$GEN" 2>/dev/null
}

for sig in INT TERM HUP; do
	for delay in 0 0.05 0.4; do
		start_gen
		WORKERS=""
		if [ "$delay" = 0.4 ]; then
			wait_workers 24 || not_ok "SIG$sig: the 24 workers started"
			sleep 0.1
		else
			wait_exec      # before it, the shell's child would ignore SIGINT
			sleep "$delay"
		fi
		kill -"$sig" "$GEN"
		wait_gone
		rc=$?
		left=$($GC leftovers "$GEN" $WORKERS)
		check "SIG$sig after ${delay}s: nothing left ($(echo $left))" [ -z "$left" ]
		# 128 + the signal: the generator dies of it, after cleaning up
		check "SIG$sig after ${delay}s: the generator died of the signal (exit $rc)" \
			[ "$rc" -eq $((128 + $(kill -l "$sig"))) ]
	done
done

# a worker killed: the run stops with an error naming it, and nothing is left
start_gen --pattern pingpong
wait_workers 24 || not_ok "the 24 workers started"
# the first worker still there (a SIGKILL to a pid that is gone would test nothing)
victim=""
for w in $(echo "$WORKERS" | sed 's/:.*//'); do
	kill -0 "$w" 2>/dev/null && { victim=$w; break; }
done
echo "# workers: $(echo $WORKERS); victim $victim"
kill -KILL "$victim"
wait_gone
rc=$?
left=$($GC leftovers "$GEN" $WORKERS)
check "a worker SIGKILLed: exit 1 ($rc)" [ $rc -eq 1 ]
check "a worker SIGKILLed: the error names it" grep -q "(pid $victim) killed by signal 9" "$TMPD/int.err"
check "a worker SIGKILLed: nothing left ($(echo $left))" [ -z "$left" ]

# the generator alone SIGKILLed: its workers notice (PR_SET_PDEATHSIG) and remove the objects
start_gen
wait_workers 24 || not_ok "the 24 workers started"
kill -KILL "$GEN"
wait_gone
i=0
while left=$($GC leftovers "$GEN" $WORKERS) && [ -n "$left" ] && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
check "the generator SIGKILLed: its workers removed everything ($(echo $left))" [ -z "$left" ]

# ---- a SIGKILLed run (generator and workers): stale, then removed on request ----
# Stopped first, the generator cannot clean up when its workers die; dead first, the
# workers cannot when it dies.
start_gen
KILLED_GEN=$GEN
wait_workers 24 || not_ok "the 24 workers started"
kill -STOP "$GEN"
kill -KILL $(echo "$WORKERS" | sed 's/:.*//')
kill -KILL "$GEN"
wait_gone
i=0
while [ -n "$(workers "$GEN")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
left=$($GC leftovers "$GEN")
check "killed with its workers: objects are left ($(echo "$left" | wc -l) of them)" [ -n "$left" ]
"$IPCTOP" --batch --format=json --only sysv,posix,unix >"$TMPD/stale.json" 2>/dev/null
run_tap $PY - "$TMPD/stale.json" "$GEN" <<'PY'
import json, sys
doc, gen = json.load(open(sys.argv[1])), int(sys.argv[2])
reason = "left by ipctop generator pid %d (not running)" % gen
mine = [o for o in doc["objects"]
        if ("ipctop-gen-%d-" % gen) in str(o.get("name", "")) or ("/tmp/ipctop-gen-%d/" % gen) in str(o.get("path", o.get("name", "")))
        or (o.get("key") is not None and (int(o["key"]) & 0xffffffff) & ~31 == 0xF0000000 | gen << 5)]
kinds = sorted(set(o["kind"] for o in mine))
print(("ok" if {"sysv_msg", "sysv_shm", "sysv_sem", "posix_mq", "posix_shm", "posix_sem"} <= set(kinds) else "not ok")
      + " - the leftovers are listed, of every SysV and POSIX kind: %s" % kinds)
bad = [(o["kind"], o.get("name"), o.get("stale")) for o in mine if reason not in str(o.get("stale"))]
print(("ok" if mine and not bad else "not ok") + " - each is stale: %r (not: %r)" % (reason, bad))
PY
"$IPCTOP" --generate-cleanup="$GEN" --dry-run >"$TMPD/dry.out" 2>&1
left2=$($GC leftovers "$GEN")
check "--generate-cleanup --dry-run lists them and removes nothing" \
	sh -c "grep -q 'would remove' '$TMPD/dry.out' && [ '$(echo "$left" | wc -l)' -eq '$(echo "$left2" | wc -l)' ]"
"$IPCTOP" --generate-cleanup="$GEN" >"$TMPD/clean.out" 2>"$TMPD/clean.err"
rc=$?
check "--generate-cleanup: exit 0 ($(head -c 300 "$TMPD/clean.err"))" [ $rc -eq 0 ]
check "--generate-cleanup: says what it removed" grep -q "^removed .*left by ipctop generator" "$TMPD/clean.out"
left=$($GC leftovers "$GEN")
check "--generate-cleanup: nothing left ($(echo $left))" [ -z "$left" ]

done_testing
