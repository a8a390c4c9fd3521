#!/bin/sh
# Many snapshots in one run: memory does not grow with the number of snapshots. (The
# sanitizer build of make check also runs this under LeakSanitizer, which fails on
# any leak at exit.)
#
# The peak of a run depends on the biggest snapshot in it, so other tests' processes and
# objects coming and going would show as growth: the runs happen in namespaces of their
# own (PID with its own /proc, IPC, network, and a private /dev/shm), where the only
# processes and objects are this test's.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root
if ! run_in_namespaces --pid --fork --mount-proc --ipc --net; then
	echo "# cannot unshare PID, IPC and network namespaces: measuring among the machine's processes"
elif ! mount -t tmpfs -o size=64m,mode=1777 ipctop-leaks /dev/shm; then
	not_ok "a private /dev/shm in the test's mount namespace"
	done_testing
	exit 1
fi
# under AddressSanitizer freed memory waits in a quarantine, which would look like growth
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
export ASAN_OPTIONS

# a little of everything, so every collector and the holder scan allocate
start_objects objs sysv_shm_attach:0600:8192:2 posix_mq_open:0600:q:2 pipe:10 \
	socketpair:5 eventfd:3 signalfd:USR1 posix_sem_map:0600:s:1:2 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects"

# AddressSanitizer keeps state for each thread a process ever started, and a snapshot
# starts reader threads and a UNIX dump thread on a machine of two CPUs or more: in the
# sanitizer build the program runs on one CPU here, where a snapshot starts none
# (LeakSanitizer checks the threaded runs of every other test for leaks exactly).
PIN=
if nm "$IPCTOP" 2>/dev/null | grep -q __asan_init; then
	PIN="taskset -c 0"
fi

# peak resident memory of one ipctop run of N snapshots, in KiB
peak() {
	"$PEAKRSS" $PIN "$IPCTOP" --batch --format="$2" -n "$1" -d 0.001 2>"$TMPD/err" &&
		[ ! -s "$TMPD/err" ]
}

for fmt in text json; do
	few=$(peak 10 $fmt) && many=$(peak 400 $fmt)
	check "$fmt: 10 and 400 snapshots run cleanly" test -n "$few" -a -n "$many"
	# Alone in its namespaces the peak moves by some tens of KiB (up to 600 under
	# AddressSanitizer, whose allocator keeps more); forgetting
	# to free one process's strings would add several KiB a snapshot, 2 MiB or more
	# here. LeakSanitizer (the sanitizer build) catches smaller leaks exactly.
	check "$fmt: peak memory of 400 snapshots within 1 MiB of 10 ($few KiB, $many KiB)" \
		test "${many:-1}" -le $((${few:-0} + 1024))
done

stop_objects
left=$(leftovers)
check "nothing left behind${left:+: $left}" [ -z "$left" ]
done_testing
