#!/bin/sh
# CMS PRINT, PUNCH and READCARD (cms/unitrec.s) checked from the host:
# what reached the spool (CP's saved spool files, state/spool/*.spf),
# what came back from the reader (vmlab disk get), and how many exits
# CP took per line printed and per card punched.  The session itself,
# with its messages, is the golden tests/golden/cms_ur.vml.
VMLAB=${VMLAB:-build/vmlab}
export VMLAB
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sh tests/golden/cms_ur.setup "$dir" > /dev/null || { echo "FAIL cms-ur: setup"; exit 0; }

# The records of spool file ID (an .spf file: one "|record" line each).
records() {
	sed -n '/^RECORDS /,/^END /p' "$dir/spool/$1.spf" | sed -n 's/^|//p'
}

# 1. ALICE prints three files and punches one to BOB, who reads it.
printf '%s\n' 'LOGON ALICE' 'IPL CMS' 'PRINT HELLO TEXT' 'PRINT REPORT LISTING (CC' \
	'PRINT WIDE TEXT' 'SPOOL PUNCH TO BOB' 'PUNCH DECK DATA' 'LOGOFF' \
	'LOGON BOB' 'IPL CMS' 'READCARD *' 'LOGOFF' |
	"$VMLAB" cp --state "$dir" > "$dir/out" 2>&1
printf 'HELLO FROM ALICE'"'"'S A-DISK\nA SECOND LINE\n\nTHE LAST LINE\n' > "$dir/want"
if records 0001 | cmp -s - "$dir/want"; then
	echo "PASS cms-ur-print-lines"
else
	echo "FAIL cms-ur-print-lines: $(records 0001 | tr '\n' '|')"
fi
# CC: '1' is a page eject (a form feed record), '0' one blank line
# before, '-' two; column 1 itself is not printed
printf '%s\n' '\x0C' 'MONTHLY REPORT' 'PAGE HEADER DONE' '' 'AFTER ONE BLANK LINE' '' '' \
	'AFTER TWO BLANK LINES' 'OVERPRINT (PRINTS AS A NEW LINE)' '' 'LAST LINE' > "$dir/want"
if records 0002 | cmp -s - "$dir/want"; then
	echo "PASS cms-ur-print-cc"
else
	echo "FAIL cms-ur-print-cc: $(records 0002 | tr '\n' '|')"
fi
# a 300-character line: 132 + 132 + 36 on three printer lines
wide=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "%010d", i }')
printf '%s\n' SHORT "$(echo "$wide" | cut -c1-132)" "$(echo "$wide" | cut -c133-264)" \
	"$(echo "$wide" | cut -c265-300)" END > "$dir/want"
if records 0003 | cmp -s - "$dir/want" && grep -q '^DMSPRT226I 1 record' "$dir/out"; then
	echo "PASS cms-ur-print-split"
else
	echo "FAIL cms-ur-print-split: $(records 0003 | tr '\n' '|')"
fi
# the deck went to BOB's reader and was read: no spool file is left,
# and his DECK DATA is ALICE's, card for card
if [ ! -e "$dir/spool/0004.spf" ] && grep -q 'DMSRDC738I File DECK DATA A created: 12 cards' "$dir/out" &&
   "$VMLAB" disk get "$dir/ALICE.191.disk" "DECK DATA" "$dir/a.deck" > /dev/null &&
   "$VMLAB" disk get "$dir/BOB.191.disk" "DECK DATA" "$dir/b.deck" > /dev/null &&
   cmp -s "$dir/a.deck" "$dir/b.deck" && [ "$(wc -l < "$dir/b.deck")" -eq 12 ]; then
	echo "PASS cms-ur-round-trip"
else
	echo "FAIL cms-ur-round-trip: $(grep DMS "$dir/out" | tr '\n' '|')"
fi

# 2. The header card, column by column (VM/370's PUNCH format), kept in
# the punch queue this time.
printf '%s\n' 'LOGON ALICE' 'IPL CMS' 'PUNCH HELLO TEXT' 'LOGOFF' |
	"$VMLAB" cp --state "$dir" > "$dir/out" 2>&1
if [ "$(records 0005 | head -1)" = ':READ  HELLO    TEXT     A1 ALC191' ] &&
   [ "$(records 0005 | sed -n 2p)" = "HELLO FROM ALICE'S A-DISK" ]; then
	echo "PASS cms-ur-punch-header"
else
	echo "FAIL cms-ur-punch-header: $(records 0005 | head -2 | tr '\n' '|')"
fi

# 3. Exits: CP's count of this virtual machine's exits (INDICATE) before
# and after printing 640 lines and then 10, and punching 640 cards and
# then 10.  The difference, divided by 630, is what one more record
# costs: with 64 CCWs chained per SIO, about 3/64 exits.
awk 'BEGIN { for (i = 1; i <= 640; i++) printf "LINE %04d\n", i }' > "$dir/big"
awk 'BEGIN { for (i = 1; i <= 10; i++) printf "LINE %04d\n", i }' > "$dir/small"
"$VMLAB" disk put "$dir/ALICE.191.disk" "$dir/big" "big file" > /dev/null
"$VMLAB" disk put "$dir/ALICE.191.disk" "$dir/small" "small file" > /dev/null
printf '%s\n' 'LOGON ALICE' 'IPL CMS' '#CP INDICATE' 'PRINT BIG FILE' '#CP INDICATE' \
	'PRINT SMALL FILE' '#CP INDICATE' 'PUNCH BIG FILE' '#CP INDICATE' 'PUNCH SMALL FILE' \
	'#CP INDICATE' 'LOGOFF' |
	"$VMLAB" cp --state "$dir" > "$dir/out" 2>&1
grep '^ALICE .* EXITS' "$dir/out" | sed 's/.* EXITS *\([0-9]*\).*/\1/' > "$dir/exits"
per=$(awk 'NR == 1 { a = $1 } NR == 2 { b = $1 } NR == 3 { c = $1 } NR == 4 { d = $1 } NR == 5 { e = $1 }
	END { if (NR != 5) { print "none"; exit }
	      printf "%.3f %.3f", ((b - a) - (c - b)) / 630, ((d - c) - (e - d)) / 630 }' "$dir/exits")
prt=${per% *}
pun=${per#* }
if [ "$per" != none ] && awk -v p="$prt" -v q="$pun" 'BEGIN { exit !(p < 0.1 && q < 0.1 && p > 0 && q > 0) }'; then
	echo "PASS cms-ur-exits ($prt exits per line printed, $pun per card punched)"
else
	echo "FAIL cms-ur-exits: per line/card: $per; INDICATE said: $(tr '\n' ' ' < "$dir/exits")"
fi

# 4. Damaged disks: PRINT, PUNCH and READCARD over a directory with a
# few random bytes changed may fail, but never stop CMS (a program
# check in CMS is a disabled wait), never hang, never crash vmlab.
mkdir "$dir/good"
sh tests/golden/cms_ur.setup "$dir/good" > /dev/null || { echo "FAIL cms-ur-damaged: setup"; exit 0; }
session='LOGON ALICE
IPL CMS
PRINT HELLO TEXT
PRINT REPORT LISTING (CC
PRINT WIDE TEXT
PUNCH DECK DATA
SPOOL PUNCH TO *
PUNCH HELLO TEXT
PUNCH DECK DATA
READCARD *
READCARD NEW DECK
READCARD * (REPLACE
LOGOFF'
bad=0
runs=30
i=0
while [ $i -lt $runs ]; do
	i=$((i + 1))
	rm -rf "$dir/s"
	cp -r "$dir/good" "$dir/s"
	n=$((i % 4 + 1))
	while [ $n -gt 0 ]; do
		# a byte in blocks 0..22: label, bitmap, directory, the files
		off=$(awk -v s="$i$n" 'BEGIN { srand(s); print int(rand() * 512 * 23) }')
		val=$(awk -v s="$n$i" 'BEGIN { srand(s); printf "%03o", int(rand() * 256) }')
		printf "\\$val" | dd of="$dir/s/ALICE.191.disk" bs=1 seek="$off" conv=notrunc 2>/dev/null
		n=$((n - 1))
	done
	printf '%s\n' "$session" | timeout 60 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	rc=$?
	cp "$dir/out" "$dir/out.$i"
	if [ $rc -ne 0 ] || grep -q 'DISABLED WAIT' "$dir/out" || ! grep -q '^CONNECT=' "$dir/out"; then
		echo "FAIL cms-ur-damaged-$i: status $rc: $(grep -m1 -e WAIT -e rror "$dir/out")"
		bad=$((bad + 1))
	fi
done
# (and the commands did run: most sessions print and read something)
ok=$(grep -l -e '^PRT FILE' "$dir"/out.* | wc -l)
rd=$(grep -l -e '^DMSRDC738I' "$dir"/out.* | wc -l)
if [ $bad -eq 0 ] && [ "$ok" -gt $((runs / 2)) ] && [ "$rd" -gt $((runs / 2)) ]; then
	echo "PASS cms-ur-damaged-disks ($runs sessions, $ok printed, $rd read cards)"
elif [ $bad -eq 0 ]; then
	echo "FAIL cms-ur-damaged-disks: only $ok of $runs sessions printed, $rd read cards"
fi
