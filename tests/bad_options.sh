#!/bin/sh
# Bad options, every one of them: the options are read from `ipctop --help`, so options
# added later are tried too. Each option that takes a value is given empty, huge,
# negative, non-numeric, unknown and hostile (escape sequences, invalid UTF-8) values,
# as --opt=VALUE and as --opt VALUE (and -o VALUE for its short form), and twice; each
# option that takes none is given a value. Then unknown options, and repeated options
# that are valid. Every refusal: exit status 2 (the usage convention of options.sh),
# nothing on standard output, one line on standard error naming the option (and the
# value, escaped), no raw control byte, no crash (the sanitizer build runs this too).
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

"$IPCTOP" --help >"$TMPD/help" 2>&1 || { not_ok "--help works"; done_testing; exit 1; }
# " -n, --iterations N   ..." / "     --format FORMAT ..." / " -b, --batch  ...":
# short form (or -), long name, metavar (or -)
sed -n 's/^ \{1,\}\(-[A-Za-z]\)\{0,1\},\{0,1\} *--\([a-z][a-z-]*\)\( [A-Z][A-Z.]*\)\{0,1\}  .*/\1 \2 \3/p' "$TMPD/help" |
	awk '{ if (NF == 3) print $1, $2, $3; else if (NF == 2 && $1 ~ /^-/) print $1, $2, "-"; else if (NF == 2) print "-", $1, $2; else print "-", $1, "-" }' \
	>"$TMPD/opts"
n=$(wc -l <"$TMPD/opts")
check "--help lists options ($n found)" [ "$n" -ge 15 ]
check "  including one taking a value (--iterations) and one not (--batch)" \
	sh -c "grep -q '^-n iterations N\$' '$TMPD/opts' && grep -q '^-b batch -\$' '$TMPD/opts'"

esc=$(printf 'esc\033[2J\033]0;t\007')
badutf=$(printf 'bad\377\300utf8')
long=$(printf '%05000d' 9 | tr 0 9)   # 5000 nines

# refused LABEL NAME VALUE-SHOWN ARGS...: exit 2, no stdout, one stderr line naming
# --NAME (or its short form) and VALUE-SHOWN when not empty, no raw control byte
refused() {
	r_label=$1 r_name=$2 r_shown=$3; shift 3   # (the caller's variables stay)
	"$IPCTOP" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	lines=$(wc -l <"$TMPD/err")
	why=""
	[ $rc -eq 2 ] || why="exit $rc"
	[ ! -s "$TMPD/out" ] || why="$why, output on stdout"
	[ "$lines" -eq 1 ] || why="$why, $lines lines on stderr"
	grep -q -- "$r_name" "$TMPD/err" || why="$why, does not name $r_name"
	[ -z "$r_shown" ] || grep -qF -- "$r_shown" "$TMPD/err" || why="$why, does not show the value"
	! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TMPD/err" || why="$why, raw control bytes"
	if [ -z "$why" ]; then
		ok "$r_label: $(head -c 200 "$TMPD/err")"
	else
		not_ok "$r_label:$why: $(head -c 300 "$TMPD/err" | od -c | head -n 5 | tr -s ' \n' ' ')"
	fi
}

while read -r short name meta; do
	case $name in help | version) continue ;; esac
	if [ "$meta" = - ]; then
		refused "--$name=x (takes no value)" "--$name" "" "--$name=x"
		continue
	fi
	if [ "$name" = namespace ]; then
		# an inode or a container's id or name: only what cannot be one is refused
		refused "--namespace=''" "--namespace" "" "--namespace="
		refused "--namespace='1 2'" "--namespace" "1 2" "--namespace=1 2"
		refused "--namespace=',,,'" "--namespace" ",,," "--namespace=,,,"
		refused "--namespace with an escape sequence" "--namespace" 'esc\x1b[2J\x1b]0;t\x07' "--namespace=$esc"
		refused "--namespace with invalid UTF-8" "--namespace" 'bad\xff\xc0utf8' "--namespace=$badutf"
		refused "--namespace too long" "--namespace" "99999" "--namespace=$long"
		"$IPCTOP" -b -n 1 --only=sysv_msg --namespace=no-such-container >/dev/null 2>"$TMPD/err"
		rc=$?
		check "--namespace naming no namespace in use: exit 0, and a note says so ($rc)" \
			[ $rc -eq 0 ]
		continue
	fi
	if [ "$name" = output ]; then
		# any name is a file name: only what cannot be written is refused
		refused "--output=''" "--output" "" "--output="
		"$IPCTOP" -b -n 1 --output="$TMPD/no/such/dir/f" >/dev/null 2>"$TMPD/err"
		rc=$?
		check "--output in a missing directory: exit 1, names it ($(head -c 200 "$TMPD/err"))" \
			sh -c "[ $rc -eq 1 ] && grep -q 'no/such/dir' '$TMPD/err'"
		continue
	fi
	# (value, how it must appear in the message; "" for the empty value)
	ctx=
	set -- "" 99999999999999999999 -1 -99999999999999999999 abc 0 "1e999" "nan" "1 2" ",,,"
	if [ "$name" = metrics-top ]; then
		# 0 (no top rows) is valid there, and the option needs its format
		ctx=--format=prometheus
		set -- "" 99999999999999999999 -1 -99999999999999999999 abc "1e999" "nan" "1 2" ",,,"
	fi
	for v in "$@" "$long"; do
		shown=$v
		[ ${#v} -gt 100 ] && shown=99999
		refused "--$name='$(echo "$v" | cut -c1-30)'" "--$name" "$shown" $ctx "--$name=$v"
		case $v in -*) ;; *) refused "--$name '$(echo "$v" | cut -c1-30)' (separate)" "--$name" "$shown" $ctx "--$name" "$v" ;; esac
	done
	refused "--$name with an escape sequence" "--$name" 'esc\x1b[2J\x1b]0;t\x07' "--$name=$esc"
	refused "--$name with invalid UTF-8" "--$name" 'bad\xff\xc0utf8' "--$name=$badutf"
	refused "--$name given twice, badly" "--$name" "abc" "--$name=abc" "--$name=abc"
	refused "--$name without its value" "$name" "" "--$name"
	if [ "$short" != - ]; then
		refused "$short abc" "$short\|--$name" "" "$short" "abc"
		refused "$short without its value" "$short" "" "$short"
	fi
done <"$TMPD/opts"

# unknown options
for u in --frobnicate --frobnicate=1 -x -Z "--$esc" "-$(printf '\001')" ---batch; do
	refused "unknown option $(echo "$u" | od -An -c | tr -s ' ' | head -c 40)" "unknown option" "" "$u"
done
refused "an abbreviation that fits several options" "ambiguous option '--re': --reverse, --remove" "" --re
refused "an abbreviation given a value it does not take" "option '--batch' takes no value" "" --bat=1
refused "an unexpected argument" "unexpected argument" "stray" -b stray
refused "an unexpected hostile argument" "unexpected argument" 'esc\x1b[2J' -b "$esc"

# repeated options that are valid: the last value counts, nothing breaks
"$IPCTOP" -b -b -n 1 -n 1 -d 1 -d 1 --only=sysv_msg --only=sysv_msg -o id -o key,id -s id -s key \
	-r -r --format=text --format=json -C -C >"$TMPD/rep.json" 2>"$TMPD/rep.err"
check "valid options given twice: exit 0 ($(cat "$TMPD/rep.err"))" [ $? -eq 0 ]
check "  the last --format counts (JSON)" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMPD/rep.json"
# a queue of the test's own, so the table (and its header) is there
if start_objects objs sysv_msg:0600:0:0; then
	"$IPCTOP" -b --only=sysv_msg -o id -o key >"$TMPD/rep.txt" 2>&1
	check "  the last --columns counts" sh -c "grep -q '^ *KEY *\$' '$TMPD/rep.txt' && ! grep -q '^ *ID *\$' '$TMPD/rep.txt'"
	stop_objects
else
	not_ok "helper created a SysV queue"
fi
"$IPCTOP" -b --only=sysv_msg -p 1 -p 1 -p "$$" >/dev/null 2>"$TMPD/rep.err"
check "--pid repeated (the same pid twice): exit 0 ($(cat "$TMPD/rep.err"))" [ $? -eq 0 ]
done_testing
