#!/bin/sh
# vmlab disk: CMS minidisk images on the host (cms/disk_main.c).
# Round trips of V and F files, replace, erase, and one-line errors for
# bad arguments, missing files and a damaged image.
VMLAB=${VMLAB:-build/vmlab}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
img=$dir/a.disk
ok() { echo "PASS cms-disk-$1"; }
no() { echo "FAIL cms-disk-$1: $2"; }
# check NAME EXPECTED-STATUS CMD...: the status, and one line on stderr if it failed
check() {
	name=$1; want=$2; shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		no "$name" "status $rc, expected $want: $(head -1 "$dir/err")"
	elif [ "$want" != 0 ] && [ "$(wc -l < "$dir/err")" != 1 ]; then
		no "$name" "expected one line on stderr, got: $(cat "$dir/err")"
	else
		ok "$name"
	fi
}

check create 0 "$VMLAB" disk create "$img" 200
check create-exists 1 "$VMLAB" disk create "$img" 200
check create-bad-size 1 "$VMLAB" disk create "$dir/b.disk" 3
check list-unformatted 1 "$VMLAB" disk list "$img"
check format 0 "$VMLAB" disk format "$img" ALC191
check format-bad-label 1 "$VMLAB" disk format "$img" "TOO LONG"

printf 'first line\n\n  indented line\nlast line without newline' > "$dir/v.txt"
check put-v 0 "$VMLAB" disk put "$img" "$dir/v.txt" "notes text"
check get-v 0 "$VMLAB" disk get "$img" "NOTES TEXT" "$dir/v.out"
if [ "$(cat "$dir/v.out")" = "$(printf 'first line\n \n  indented line\nlast line without newline')" ]; then
	ok round-trip-v
else
	no round-trip-v "got: $(cat "$dir/v.out")"
fi

awk 'BEGIN { for (i = 1; i <= 300; i++) printf "CARD %04d\n", i }' > "$dir/deck"
check put-f 0 "$VMLAB" disk put "$img" "$dir/deck" "deck data" --fixed 80
"$VMLAB" disk get "$img" "deck data" - | sed 's/ *$//' > "$dir/deck.out"
if cmp -s "$dir/deck" "$dir/deck.out"; then ok round-trip-f; else no round-trip-f "the deck differs"; fi
"$VMLAB" disk list "$img" > "$dir/list"
if grep -q '^DECK     DATA     A1 F        80     300     47' "$dir/list" &&
   grep -q '^NOTES    TEXT     A1 V' "$dir/list"; then
	ok list
else
	no list "$(cat "$dir/list")"
fi
check put-f-too-long 1 "$VMLAB" disk put "$img" "$dir/v.txt" "x y" --fixed 5
check put-bad-name 1 "$VMLAB" disk put "$img" "$dir/v.txt" "toolongname x"
check put-no-host-file 1 "$VMLAB" disk put "$img" "$dir/nothing" "x y"
check put-no-room 1 "$VMLAB" disk put "$img" "$dir/deck" "big deck" --fixed 300
check get-missing 1 "$VMLAB" disk get "$img" "NO SUCH" "$dir/x"
# replacing keeps one entry
check put-replace 0 "$VMLAB" disk put "$img" "$dir/v.txt" "deck data"
n=$("$VMLAB" disk list "$img" | grep -c '^DECK ')
[ "$n" = 1 ] && ok replace-one-entry || no replace-one-entry "$n DECK entries"
check erase 0 "$VMLAB" disk erase "$img" "deck data"
check erase-again 1 "$VMLAB" disk erase "$img" "deck data"
check bad-verb 1 "$VMLAB" disk frobnicate "$img"

# a damaged directory entry: refused with the reason
cp "$img" "$dir/bad.disk"
printf 'Q' | dd of="$dir/bad.disk" bs=1 seek=$((2 * 512 + 16)) conv=notrunc 2>/dev/null
check damaged 1 "$VMLAB" disk list "$dir/bad.disk"
grep -q "record format" "$dir/err" && ok damaged-says-why || no damaged-says-why "$(cat "$dir/err")"
# a failed put leaves the image byte for byte as it was
cp "$img" "$dir/before"
"$VMLAB" disk put "$img" "$dir/deck" "big deck" --fixed 1000 2>/dev/null
cmp -s "$img" "$dir/before" && ok failed-put-unchanged || no failed-put-unchanged "image changed"
ls "$dir" | grep -q tmp && no no-temp-files "$(ls "$dir")" || ok no-temp-files
