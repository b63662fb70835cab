#!/bin/sh
# The console (`vmlab` with no subcommand) in script mode:
#   - tests/golden/console/NAME.vml run as `vmlab --no-ipl NAME.vml` on a
#     fresh state folder must print NAME.out (simulated time only, so the
#     transcript is the same on every machine; --no-ipl keeps it the same
#     before and after CMS exists).  UPDATE=1 accepts a deliberate change:
#     read the diff.
#   - -c, a pipe on standard input, --strict, bad input, and the first IPL
#     (CMS once it exists, DEMO until then).
VMLAB=${VMLAB:-build/vmlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS console-$1"; }
fail() { echo "FAIL console-$1: $2"; }

for in in tests/golden/console/*.vml; do
	name=$(basename "$in" .vml)
	want=tests/golden/console/$name.out
	rm -rf "$tmp/s"
	"$VMLAB" --state "$tmp/s" --no-ipl "$in" > "$tmp/got" 2>&1
	[ "${UPDATE:-}" = 1 ] && cp "$tmp/got" "$want"
	if cmp -s "$tmp/got" "$want"; then
		pass "golden-$name"
	else
		fail "golden-$name" "output differs from $want:"
		diff "$want" "$tmp/got" | head -20
	fi
done

# -c and a pipe run the same lines the same way.
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" --no-ipl -c 'QUERY NAMES; QUERY STORAGE' > "$tmp/c" 2>&1
rm -rf "$tmp/s"
printf 'QUERY NAMES\nQUERY STORAGE\n' | "$VMLAB" --state "$tmp/s" --no-ipl > "$tmp/p" 2>&1
if cmp -s "$tmp/c" "$tmp/p" && grep -q '^> QUERY STORAGE$' "$tmp/p" &&
   grep -q '^STORAGE = 1024K$' "$tmp/p"; then
	pass "c-equals-pipe"
else
	fail "c-equals-pipe" "-c and standard input differ or lack the echo"
	diff "$tmp/c" "$tmp/p" | head
fi
# No colour when piped, even with a TERM that has it.
if grep -q "$(printf '\033')" "$tmp/p"; then
	fail "no-colour" "escape sequences in piped output"
else
	pass "no-colour"
fi

# The first IPL: CMS if the named system exists, else DEMO.
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" -c 'QUERY SYSTEMS' > "$tmp/o" 2>&1
if grep -q '^CMS      ' "$tmp/o"; then want="IPL CMS"; else want="IPL DEMO"; fi
if grep -q "^$want\$" "$tmp/o" && grep -q 'LOGON AT 0 .*ALICE' "$tmp/o"; then
	pass "first-ipl"
else
	fail "first-ipl" "expected LOGON ALICE and '$want' in: $(head -8 "$tmp/o")"
fi
# --user and --no-ipl
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" --user bob --no-ipl -c 'QUERY NAMES' > "$tmp/o" 2>&1
if grep -q 'BOB      - TERM' "$tmp/o" && ! grep -q '^IPL ' "$tmp/o"; then
	pass "user-no-ipl"
else
	fail "user-no-ipl" "$(cat "$tmp/o")"
fi

# --strict stops at the first failed command, with status 1.
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" --no-ipl --strict -c 'QUERY NAMES; QUERX; QUERY TIME' > "$tmp/o" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q HCPCMD001E "$tmp/o" && ! grep -q 'TIME IS' "$tmp/o"; then
	pass "strict"
else
	fail "strict" "status $rc, output: $(cat "$tmp/o")"
fi
# Without --strict every line runs; the status still says something failed.
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" --no-ipl -c 'QUERX; QUERY TIME' > "$tmp/o" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'TIME IS' "$tmp/o"; then pass "not-strict"; else fail "not-strict" "status $rc"; fi
# The same for a CMS command: its R(nnnnn); is a failure, R; is not.
rm -rf "$tmp/s"
"$VMLAB" --state "$tmp/s" --strict -c 'QUERY DISK; NOSUCH; QUERY TIME' > "$tmp/o" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q DMSINT003E "$tmp/o" && ! grep -q 'TIME IS' "$tmp/o"; then
	pass "strict-cms"
else
	fail "strict-cms" "status $rc, output: $(tail -3 "$tmp/o")"
fi
"$VMLAB" --state "$tmp/s" --strict -c 'QUERY DISK; LISTFILE * * S; QUERY TIME' > "$tmp/o" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'TIME IS' "$tmp/o"; then pass "strict-cms-ok"
else fail "strict-cms-ok" "status $rc, output: $(tail -3 "$tmp/o")"; fi

# Bad input on a pipe: binary garbage, control characters, NUL bytes, an
# overlong line: a message each, and the console keeps going.
rm -rf "$tmp/s"
{
	printf 'QUERY NAMES\n'
	head -c 3000 /dev/urandom | tr -d '\n'; printf '\n'
	printf '\033[2J\033]0;owned\007\n'
	printf 'Q\000N\n'
	head -c 9000 /dev/zero | tr '\0' 'Q'; printf '\n'
	printf '\377\376\375\n'
	printf 'QUERY TIME\n'
} | timeout 60 "$VMLAB" --state "$tmp/s" --no-ipl > "$tmp/o" 2>&1
rc=$?
n=$(grep -c 'HCPTER00[3-6]E' "$tmp/o")
if [ $rc -eq 1 ] && [ "$n" -ge 5 ] && grep -q 'TIME IS' "$tmp/o" &&
   ! grep -q "$(printf '\033')" "$tmp/o"; then
	pass "bad-input"
else
	fail "bad-input" "status $rc, $n messages: $(tail -5 "$tmp/o")"
fi

# A line with no end: 400 MB of one line on a pipe, under a 300 MB
# address-space limit.  It is refused and the console reads on -- it
# never holds more of a line than it could accept.  (AddressSanitizer
# reserves terabytes of address space: no limit in that build.)
rm -rf "$tmp/s"
vlimit=300000
[ "${SAN:-0}" = 1 ] && vlimit=unlimited
{
	printf 'QUERY NAMES\n'
	head -c 400000000 /dev/zero | tr '\0' 'Q'
	printf '\nQUERY TIME\n'
} | (ulimit -v $vlimit; timeout 120 "$VMLAB" --state "$tmp/s" --no-ipl) > "$tmp/o" 2>&1
if grep -q 'HCPTER003E LINE TOO LONG' "$tmp/o" && grep -q 'TIME IS' "$tmp/o"; then
	pass "endless-line"
else
	fail "endless-line" "$(tail -3 "$tmp/o" | cut -c1-100)"
fi

# Lines for the guest are checked too, and commands of another
# privilege class are refused with a message: the console goes on.
# (At CMS's VM READ once CMS exists: the long line is the guest's.)
rm -rf "$tmp/s"
guest=DEMO
"$VMLAB" cp --state "$tmp/s" -c 'LOGON OPERATOR; QUERY SYSTEMS' 2>/dev/null |
	grep -q '^CMS      ' && guest=CMS
rm -rf "$tmp/s"
{
	printf 'IPL %s\n' "$guest"
	head -c 300 /dev/zero | tr '\0' 'C'; printf '\n'
	printf '#CP FORCE BOB\n'
	printf '#CP SET SLICE 5000\n'
	printf '#CP QUERY TIME\n'
} | timeout 60 "$VMLAB" --state "$tmp/s" --no-ipl > "$tmp/o" 2>&1
if grep -q 'HCPTER003E LINE TOO LONG' "$tmp/o" && ! grep -q '^CCCC' "$tmp/o" &&
   grep -q 'HCPCMD005E FORCE NEEDS PRIVILEGE CLASS A' "$tmp/o" &&
   grep -q 'HCPSET005E SET SLICE NEEDS PRIVILEGE CLASS A' "$tmp/o" &&
   grep -q 'TIME IS' "$tmp/o"; then
	pass "guest-line-and-class"
else
	fail "guest-line-and-class" "$(tail -8 "$tmp/o" | cut -c1-100)"
fi

# `vmlab cp` is the same console without the automatic LOGON.
rm -rf "$tmp/s"
"$VMLAB" cp --state "$tmp/s" -c 'QUERY NAMES' > "$tmp/o" 2>&1
if grep -q 'NOT LOGGED ON' "$tmp/o" && ! grep -q 'LOGON AT' "$tmp/o"; then
	pass "cp-plain"
else
	fail "cp-plain" "$(cat "$tmp/o")"
fi
# A script file for a subcommand-less vmlab, and a missing one.
if "$VMLAB" --state "$tmp/s" /nonexistent/x.vml > "$tmp/o" 2>&1; then
	fail "missing-script" "status 0"
else
	pass "missing-script"
fi
