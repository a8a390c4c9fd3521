#!/bin/sh
# --format=prometheus: the Prometheus text exposition format, read back by a real parser
# (prometheus_client's), with the values of objects this test makes, hostile names too.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
require_root

# prometheus_client is a Debian package (python3-prometheus-client): the system python
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import prometheus_client.parser' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || skip_all "python3-prometheus-client is not installed (packages.txt)"

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
quote=$(hex 'q"uo\te')              # a double quote and a backslash
newline=$(hex "two
lines")
esc=$(printf 'esc\033[2J' | od -An -v -tx1 | tr -d ' \n')
bad=$(printf 'bad\377\376utf8\300\257' | od -An -v -tx1 | tr -d ' \n')
space=$(hex "with space} x=\"1\"")  # looks like the end of the labels

start_objects objs \
	sysv_msg:0640:3:100 \
	sysv_msg:0600:1:7 \
	"posix_mq:0600:x:$quote:4:64:2" \
	"posix_mq:0600:x:$newline:4:32:1" \
	"posix_mq:0600:x:$esc:2:16:1" \
	"posix_mq:0600:x:$bad:2:16:2" \
	"posix_mq:0600:x:$space:3:8:3" \
	"posix_mq:0600:empty:2:16:0" \
	posix_shm:0600:seg:12345 \
	unix_listen:lst:14 ||
	{ not_ok "helper created the objects"; done_testing; exit 1; }
ok "helper created the objects"

# every queue of ours must be listed whatever other tests queue meanwhile
"$IPCTOP" --batch --format=prometheus --metrics-top 100000 >"$TMPD/all.prom" 2>"$TMPD/err"
check "ipctop --format=prometheus exits 0" [ $? -eq 0 ]
check "nothing on stderr" [ ! -s "$TMPD/err" ]
run_tap "$PY" "$TESTS_SRCDIR/check_prom.py" format "$TMPD/all.prom"
run_tap "$PY" "$TESTS_SRCDIR/check_prom.py" objects "$TMPD/all.prom" "$TMPD/objs.objs"
check "no raw ESC... only inside a quoted label value" sh -c "! grep -v '^ipctop_queue' '$TMPD/all.prom' | grep -q \"\$(printf '\\033')\""
check "every line is a comment or a sample" sh -c "! grep -Ev '^(# (HELP|TYPE) ipctop_[a-z_]+ .+|ipctop_[a-z_]+(\\{.*\\})? [0-9.e+-]+)\$' '$TMPD/all.prom' | grep -q ."

# the default shows a few; 0 none
"$IPCTOP" --format=prometheus >"$TMPD/default.prom"
run_tap "$PY" "$TESTS_SRCDIR/check_prom.py" top "$TMPD/default.prom" 5
"$IPCTOP" --format=prometheus --metrics-top=0 >"$TMPD/none.prom"
check "--metrics-top=0: no queue sample" sh -c "! grep -q '^ipctop_queue_bytes' '$TMPD/none.prom'"
check "--metrics-top=0: still the totals" grep -q '^ipctop_objects{kind="posix_mq",namespace="[0-9]*"} [1-9]' "$TMPD/none.prom"

# --only: the other kinds are not counted (not collected)
"$IPCTOP" --format=prometheus --only=posix_mq >"$TMPD/only.prom"
check "--only=posix_mq counts posix_mq" grep -q '^ipctop_objects{kind="posix_mq"' "$TMPD/only.prom"
check "--only=posix_mq: no sysv_shm count" sh -c "! grep -q '^ipctop_objects{kind=\"sysv_shm\"' '$TMPD/only.prom'"

# -n: one exposition per snapshot, each complete
"$IPCTOP" --format=prometheus -n 2 -d 0.1 >"$TMPD/two.prom"
check "-n 2 writes two expositions" [ "$(grep -c '^# TYPE ipctop_objects gauge' "$TMPD/two.prom")" -eq 2 ]

# options that pick rows or columns make no sense for metrics
for args in "--pid 1" "--columns name" "--sort name" "--reverse"; do
	# shellcheck disable=SC2086
	"$IPCTOP" --format=prometheus $args >/dev/null 2>"$TMPD/e"
	check "--format=prometheus $args: usage error" [ $? -eq 2 ]
done
"$IPCTOP" --format=json --metrics-top 3 >/dev/null 2>"$TMPD/e"
check "--metrics-top without prometheus: usage error" [ $? -eq 2 ]
"$IPCTOP" --format=prometheus --metrics-top=-1 >/dev/null 2>"$TMPD/e"
check "--metrics-top=-1: usage error" [ $? -eq 2 ]

stop_objects
check "nothing of ours left behind" [ -z "$(leftovers)" ]
done_testing
