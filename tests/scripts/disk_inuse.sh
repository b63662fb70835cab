#!/bin/sh
# vmlab disk put/erase/format while a running vmlab has the image open
# read/write (a user logged on): refused with the reason.  It used to
# succeed -- a new file renamed over the name -- while CP went on writing
# the old one, so the put was invisible and everything CMS wrote until
# LOGOFF was lost without a word.  After LOGOFF the same put works.
VMLAB=${VMLAB:-build/vmlab}
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
st=$tmp/state
printf 'hello\n' >"$tmp/hello.txt"

# ALICE logged on, CMS at R;, kept there by a FIFO held open.
mkfifo "$tmp/in"
"$VMLAB" --state "$st" <"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
exec 3>"$tmp/in"
echo 'COPYFILE SAMPLE EXEC S KEEP EXEC A' >&3
echo 'LISTFILE * * A' >&3
i=0
while ! grep -q '^KEEP  *EXEC' "$tmp/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

img=$st/ALICE.191.disk
"$VMLAB" disk put "$img" "$tmp/hello.txt" "HELLO TEXT" >"$tmp/put" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "in use by a running vmlab" "$tmp/put"; then
	echo "PASS disk-inuse-put-refused"
else echo "FAIL disk-inuse-put-refused: status $rc: $(cat "$tmp/put")"; fi
"$VMLAB" disk erase "$img" "KEEP EXEC" >"$tmp/erase" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "in use" "$tmp/erase"; then echo "PASS disk-inuse-erase-refused"
else echo "FAIL disk-inuse-erase-refused: status $rc: $(cat "$tmp/erase")"; fi
# Reading is fine while in use.
if "$VMLAB" disk list "$img" >"$tmp/list" 2>&1; then echo "PASS disk-inuse-list"
else echo "FAIL disk-inuse-list: $(cat "$tmp/list")"; fi
# BOB is not logged on: his disk is free.
if "$VMLAB" disk put "$st/BOB.191.disk" "$tmp/hello.txt" "HELLO TEXT" >"$tmp/bob" 2>&1; then
	echo "PASS disk-inuse-other-free"
else echo "FAIL disk-inuse-other-free: $(cat "$tmp/bob")"; fi

echo LOGOFF >&3
exec 3>&-
wait "$pid"
pid=
# After LOGOFF: what CMS wrote is there, and the put works.
if "$VMLAB" disk put "$img" "$tmp/hello.txt" "HELLO TEXT" >"$tmp/put2" 2>&1 &&
   "$VMLAB" disk list "$img" >"$tmp/list2" 2>&1 &&
   grep -q '^KEEP  *EXEC' "$tmp/list2" && grep -q '^HELLO  *TEXT' "$tmp/list2"; then
	echo "PASS disk-inuse-after-logoff"
else echo "FAIL disk-inuse-after-logoff: $(cat "$tmp/put2" "$tmp/list2")"; fi
