#!/bin/sh
# --output FILE: each snapshot replaces FILE atomically (a temporary file in the same
# directory, fsync, rename), mode 0644, in every format and with -n; errors are clear
# and leave neither a temporary file nor a damaged FILE. The systemd units in contrib/.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import prometheus_client.parser' 2>/dev/null; then PY=$p; break; fi
done

out="$TMPD/dir/ipctop.prom"
mkdir "$TMPD/dir"
# no file but ours in the directory: no temporary file left behind
only_ours() { [ "$(ls -A "$TMPD/dir")" = "$1" ]; }

start_objects objs posix_mq:0600:q:4:64:2 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }

(umask 077 && "$IPCTOP" --format=prometheus --metrics-top 100000 --output "$out" >"$TMPD/stdout" 2>"$TMPD/err")
check "--output: exit 0" [ $? -eq 0 ]
check "--output: nothing on standard output or error" [ ! -s "$TMPD/stdout" -a ! -s "$TMPD/err" ]
check "--output: mode 0644 whatever the umask" [ "$(stat -c %a "$out")" = 644 ]
check "--output: no temporary file left" only_ours ipctop.prom
check "--output: our queue is in the file" grep -qF "queue=\"/${IPCTOP_TEST_PREFIX}q\"" "$out"
if [ -n "$PY" ]; then
	check "--output: the file parses as Prometheus text" "$PY" -c '
import sys
from prometheus_client.parser import text_string_to_metric_families as p
sys.exit(0 if len(list(p(open(sys.argv[1]).read()))) > 5 else 1)' "$out"
fi

# every format
"$IPCTOP" --json --output "$TMPD/dir/out.json" && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMPD/dir/out.json"
check "--json --output: one JSON document" [ $? -eq 0 ]
"$IPCTOP" --batch --only=posix_mq --output "$TMPD/dir/out.txt"
check "--batch --output: text" grep -q "${IPCTOP_TEST_PREFIX}q" "$TMPD/dir/out.txt"
rm -f "$TMPD/dir/out.json" "$TMPD/dir/out.txt"

# -n: each snapshot replaces the file; a reader meanwhile always sees a whole one
"$IPCTOP" --json --only=posix_mq -n 30 -d 0.05 --output "$TMPD/dir/loop.json" &
loop=$!
reads=0 bad=0
while kill -0 $loop 2>/dev/null; do
	# a whole document starts with "{" and ends with "}" and a newline
	if cp "$TMPD/dir/loop.json" "$TMPD/copy.json" 2>/dev/null; then
		{ [ "$(head -c 1 "$TMPD/copy.json")" = "{" ] && [ "$(tail -n 1 "$TMPD/copy.json")" = "}" ] &&
			[ "$(tail -c 1 "$TMPD/copy.json" | od -An -c | tr -d ' ')" = '\n' ]; } ||
			{ bad=$((bad + 1)); cp "$TMPD/copy.json" "$TMPD/bad.json"; }
		reads=$((reads + 1))
	fi
done
wait $loop
check "-n 30 --output: exit 0" [ $? -eq 0 ]
echo "# $reads reads of the file while it was being replaced"
check "-n 30 --output: every read saw one whole document ($reads reads)" [ $bad -eq 0 -a $reads -gt 0 ]
check "-n 30 --output: the file holds one snapshot, not 30" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMPD/dir/loop.json"
check "-n 30 --output: no temporary file left" only_ours "ipctop.prom
loop.json"
rm -f "$TMPD/dir/loop.json"
"$IPCTOP" --format=prometheus -n 2 -d 0.1 --output "$out"
check "prometheus -n 2 --output: one exposition in the file" [ "$(grep -c '^# TYPE ipctop_objects gauge' "$out")" -eq 1 ]

# errors: the file named, the operation and why; nothing left behind
"$IPCTOP" --format=prometheus --output "$TMPD/none/x.prom" 2>"$TMPD/err"
check "missing directory: exit 1" [ $? -eq 1 ]
check "missing directory: says which and why" grep -qF "cannot write $TMPD/none/x.prom: cannot create a temporary file in $TMPD/none: No such file or directory" "$TMPD/err"
mkdir "$TMPD/dir/sub.prom"
"$IPCTOP" --format=prometheus --output "$TMPD/dir/sub.prom" 2>"$TMPD/err"
check "a directory in the way: exit 1" [ $? -eq 1 ]
check "a directory in the way: rename named" grep -qF "cannot write $TMPD/dir/sub.prom: rename: Is a directory" "$TMPD/err"
check "a directory in the way: no temporary file left" only_ours "ipctop.prom
sub.prom"
rmdir "$TMPD/dir/sub.prom"
"$IPCTOP" --output "" 2>/dev/null
check "--output '': usage error" [ $? -eq 2 ]
"$IPCTOP" --remove posix_mq:x --output "$out" 2>/dev/null
check "--output with --remove: usage error" [ $? -eq 2 ]

# an unwritable directory, for an ordinary user
chmod 0755 "$TMPD" "$TMPD/dir"
setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCTOP" --only=sysv_msg --output "$TMPD/dir/user.prom" \
	--format=prometheus 2>"$TMPD/err"
check "unwritable directory: exit 1" [ $? -eq 1 ]
check "unwritable directory: Permission denied" grep -qF "cannot write $TMPD/dir/user.prom: cannot create a temporary file in $TMPD/dir: Permission denied" "$TMPD/err"

# a read-only filesystem and a full one (tmpfs in a mount namespace of our own): the old
# file stays as it was
if unshare --mount true 2>/dev/null; then
	mkdir "$TMPD/ro" "$TMPD/full"
	unshare --mount sh -c '
		mount -t tmpfs -o size=1m tmpfs "$1/ro" && echo old >"$1/ro/x.prom" &&
		mount -o remount,ro "$1/ro" &&
		{ "$2" --format=prometheus --output "$1/ro/x.prom" 2>"$1/ro.err"; echo $? >"$1/ro.rc"; } &&
		cat "$1/ro/x.prom" >"$1/ro.after"
		mount -t tmpfs -o size=4k tmpfs "$1/full" && echo old >"$1/full/x.json" &&
		{ "$2" --json --output "$1/full/x.json" 2>"$1/full.err"; echo $? >"$1/full.rc"; }
		cat "$1/full/x.json" >"$1/full.after"; ls -A "$1/full" >"$1/full.ls"' sh "$TMPD" "$IPCTOP"
	check "read-only filesystem: exit 1" [ "$(cat "$TMPD/ro.rc")" = 1 ]
	check "read-only filesystem: says so" grep -qF "cannot create a temporary file in $TMPD/ro: Read-only file system" "$TMPD/ro.err"
	check "read-only filesystem: the old file is intact" [ "$(cat "$TMPD/ro.after")" = old ]
	check "full filesystem: exit 1" [ "$(cat "$TMPD/full.rc")" = 1 ]
	check "full filesystem: write failed, No space left" grep -qF "cannot write $TMPD/full/x.json: write: No space left on device" "$TMPD/full.err"
	check "full filesystem: the old file is intact" [ "$(cat "$TMPD/full.after")" = old ]
	check "full filesystem: no temporary file left" [ "$(cat "$TMPD/full.ls")" = x.json ]
else
	ok "# SKIP no mount namespace here"
fi

# the systemd units: valid, and the service's command works (paths moved to ours)
src="$TESTS_SRCDIR/../contrib"
sed -e "s|/usr/bin/ipctop|$IPCTOP|" -e "s|/var/lib/prometheus/node-exporter|$TMPD/dir|g" \
	"$src/ipctop-textfile.service" >"$TMPD/ipctop-textfile.service"
cp "$src/ipctop-textfile.timer" "$TMPD/"
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify --man=no "$TMPD/ipctop-textfile.service" "$TMPD/ipctop-textfile.timer" >"$TMPD/verify" 2>&1
	check "systemd-analyze verify: the units are valid, no warning" [ $? -eq 0 -a ! -s "$TMPD/verify" ]
	sed 's/^/# /' "$TMPD/verify"
fi
rm -f "$out"
cmd=$(sed -n 's/^ExecStart=//p' "$TMPD/ipctop-textfile.service")
# shellcheck disable=SC2086
$cmd
check "the service's command writes ipctop.prom" grep -q '^ipctop_objects{kind="posix_mq"' "$TMPD/dir/ipctop.prom"
check "the timer runs it every minute" grep -qx 'OnUnitActiveSec=1min' "$TMPD/ipctop-textfile.timer"

stop_objects
done_testing
