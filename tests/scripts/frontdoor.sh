#!/bin/sh
# vmlab's front door: every subcommand that `vmlab help` lists answers
# `--help` with its usage and status 0 -- and does nothing else (the demo
# used to run instead) -- and `vmlab directory` without a FILE checks and
# prints the built-in directory, as `vmlab help` and the README say.
VMLAB=${VMLAB:-build/vmlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$VMLAB" help >"$tmp/help" 2>&1
names=$(sed -n 's/^  vmlab \([a-z]*\) .*/\1/p' "$tmp/help")
n=0
for s in $names; do
	n=$((n + 1))
	"$VMLAB" "$s" --help >"$tmp/out" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^usage: vmlab $s" "$tmp/out" &&
	   ! grep -q "^Hello from\|^LOGON AT" "$tmp/out"; then
		echo "PASS frontdoor-help-$s"
	else
		echo "FAIL frontdoor-help-$s: status $rc: $(head -1 "$tmp/out")"
	fi
done
if [ "$n" -ge 15 ]; then echo "PASS frontdoor-help-count: $n subcommands"
else echo "FAIL frontdoor-help-count: only $n subcommands in vmlab help"; fi

"$VMLAB" demo extra >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "takes no operands" "$tmp/out" && ! grep -q "^Hello from" "$tmp/out"; then
	echo "PASS frontdoor-demo-operand"
else echo "FAIL frontdoor-demo-operand: status $rc: $(head -1 "$tmp/out")"; fi

"$VMLAB" directory >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^\* (built-in): system VMLAB, .* 5 users" "$tmp/out" &&
   grep -q "^USER ALICE " "$tmp/out" && grep -q "^ LINK MAINT  *190 190 RR" "$tmp/out"; then
	echo "PASS frontdoor-directory-builtin"
else echo "FAIL frontdoor-directory-builtin: status $rc: $(head -1 "$tmp/out")"; fi
# ... and it is the same text --default prints, checked the same way a FILE is.
"$VMLAB" directory --default >"$tmp/dir.yaml" 2>&1
"$VMLAB" directory "$tmp/dir.yaml" | tail -n +2 >"$tmp/file"
tail -n +2 "$tmp/out" >"$tmp/builtin"
if cmp -s "$tmp/file" "$tmp/builtin"; then echo "PASS frontdoor-directory-same"
else echo "FAIL frontdoor-directory-same: $(diff "$tmp/file" "$tmp/builtin" | head -2)"; fi
