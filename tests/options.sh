#!/bin/sh
# Every option: good values work; empty, huge, negative, non-numeric and unknown values
# give one line on stderr naming the option, and exit status 2.
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# bad ARGS...: must fail with status 2 and one stderr line that names the option (EXPECT)
bad() {
	expect=$1; shift
	"$IPCTOP" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$expect" "$TMPD/err" && [ ! -s "$TMPD/out" ]; then
		ok "rejects $* (exit 2: $(cat "$TMPD/err"))"
	else
		not_ok "rejects $* (exit $rc, $lines lines: $(cat "$TMPD/err"))"
	fi
}

for v in "" 0 -1 abc 1.5 99999999999999999999 1000000001 " 1" 1x; do
	bad "--iterations" -b -n "$v"
done
for v in "" 0 -1 abc 1e999 inf nan 86401 " 2" 2s; do
	bad "--delay" -b -d "$v"
done
bad "--format" -b --format=xml
bad "--format" -b --format=
bad "--only" -b --only=bogus
bad "--only" -b --only=
bad "--only" -b --only=sysv_msg,,posix_mq
bad "--columns" -b -o ""
bad "--columns" -b -o "id,"
bad "unknown column 'nosuch'" -b -o id,nosuch
bad "unknown column 'nosuch'" -b --sort=nosuch
bad "unknown column 'name'" -b --only=sysv_msg --sort=name
bad "--sort" -b --sort=
bad "column 'semaphores' has no order" -b --sort=semaphores
bad "unknown option '--frobnicate'" --frobnicate
bad "unknown option '-x'" -x
bad "needs a value" -b --delay
bad "unexpected argument 'extra'" -b extra

"$IPCTOP" --help >"$TMPD/help"
check "--help exits 0" [ $? -eq 0 ]
for opt in --batch --iterations --delay --format --json --only --columns --sort --reverse \
	--list-columns --remove --remove-stale --dry-run --readonly --no-color --help --version; do
	check "--help mentions $opt" grep -q -- "$opt" "$TMPD/help"
done
check "--version prints the version" sh -c "'$IPCTOP' --version | grep -Eq '^ipctop [0-9]+\.[0-9]+'"

"$IPCTOP" --list-columns >"$TMPD/cols"
for k in sysv_msg sysv_shm sysv_sem posix_mq posix_shm posix_sem; do
	check "--list-columns has kind $k" grep -q "^$k " "$TMPD/cols"
done
# every column listed can be used for sorting and selection
for col in $(awk '/^  / {print $1}' "$TMPD/cols" | sort -u); do
	[ "$col" = semaphores ] && continue
	"$IPCTOP" -b --sort="$col" -o "$col" >/dev/null 2>"$TMPD/err" || not_ok "column $col usable: $(cat "$TMPD/err")"
done
ok "every listed column but semaphores works with --sort and --columns"

# the man page documents every option and every column
man="$TESTS_SRCDIR/../man/ipctop.8"
for opt in batch iterations delay format json only columns sort reverse list-columns \
	remove remove-stale dry-run readonly no-color help version dbus-address; do
	# roff writes every hyphen of an option as \-
	check "man page documents --$opt" grep -qF -- "\\-\\-$(echo "$opt" | sed 's/-/\\-/g')" "$man"
done
for col in $(awk '/^  / {print $1}' "$TMPD/cols" | sort -u); do
	grep -qF -- "$col" "$man" || not_ok "man page documents column $col"
done
ok "man page documents every column"

"$IPCTOP" -b -n 2 -d 0.05 --only=sysv >"$TMPD/two"
check "-n 2 prints two snapshots" [ "$(grep -c '^ipctop ' "$TMPD/two")" -eq 2 ]
done_testing
