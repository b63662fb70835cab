#!/bin/sh
# tests/run.sh -- run every test and end with one line "N passed, N failed".
#
#   - cmocka unit tests: the binaries given as arguments (tests/unit/*.c);
#     their own summary lines are counted
#   - the VL32 architecture suite: vmlab archtest tests/arch/*.s, and
#     again bare vs under trap-and-emulate: vmlab equiv tests/arch/*.s
#   - script tests: tests/scripts/*.sh, each printing "PASS name" or
#     "FAIL name: why" lines
#
# BUILD is the build folder (build or build-san).
set -u
BUILD=${BUILD:-build}
VMLAB=$BUILD/vmlab
export VMLAB BUILD
passed=0
failed=0
broken=""
log=$(mktemp)
sandir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$sandir"' EXIT

# Under SAN=1 every sanitizer report goes to a file of its own, whoever
# ran the program: a script test that ignores vmlab's exit status or its
# stderr (many check only stdout) would otherwise pass over a heap
# overflow or a leak.  After each test any report is shown and counted
# as a failure of that test.
if [ "${SAN:-0}" = 1 ]; then
	ASAN_OPTIONS="log_path=$sandir/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	UBSAN_OPTIONS="log_path=$sandir/ubsan:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

count() { # count PASS/FAIL lines and cmocka summaries in $log
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	passed=$((passed + p + ${cp:-0}))
	failed=$((failed + f + ${cf:-0}))
}

run() { # run NAME CMD...: run a test program, show its output, count it
	name=$1; shift
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	before=$failed
	count
	for r in "$sandir"/*; do
		[ -f "$r" ] || continue
		cat "$r"
		echo "FAIL $name: sanitizer report ($(basename "$r"))"
		failed=$((failed + 1))
		rm -f "$r"
	done
	if [ $rc -ne 0 ] && [ $failed -eq $before ]; then
		# A crash or a non-zero exit that reported no failure is one.
		echo "FAIL $name: exited with status $rc"
		failed=$((failed + 1))
	fi
	[ $failed -ne $before ] && broken="$broken $name"
}

for t in "$@"; do
	run "$(basename "$t")" "$t"
done

if ls tests/arch/*.s >/dev/null 2>&1; then
	run archtest "$VMLAB" archtest tests/arch/*.s
	# Popek-Goldberg equivalence: the same tests as guests under CP.
	run equiv "$VMLAB" equiv tests/arch/*.s
fi

for s in tests/scripts/*.sh; do
	[ -f "$s" ] || continue
	run "$(basename "$s" .sh)" sh "$s"
done

echo
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
