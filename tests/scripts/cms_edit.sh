#!/bin/sh
# CMS EDIT (cms/edit.s) judged by what lands on the disk: the host tool
# `vmlab disk` reads back what EDIT wrote, and `disk list`, which refuses
# an inconsistent image (bitmap, extents, counts, record streams), says
# the disk is still sound after EDIT replaced files.
#   1. the golden session (tests/golden/cms_edit.vml): every file it
#      wrote, byte for byte (one by EDIT inside an EXEC, its subcommands
#      from the console); the read-only disks (S, and BOB's as B) untouched
#   2. SAVE twenty times over a growing file (FSWRITE's replace path)
#   3. three hundred lines typed in input mode, changed, filed
#   4. a directory with no free entry: FILE fails, EDIT stays
#   5. damaged V records: EDIT refuses the file; a damaged directory
#      entry: A is refused and FILE says so; CMS goes on in both
#   6. random damage to the A-disk under forty EDIT sessions
#   7. the cost of lengthening lines in a full buffer (instructions)
VMLAB=${VMLAB:-build/vmlab}
export VMLAB
dir=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
ok() { echo "PASS cms-edit-$1"; }
no() { echo "FAIL cms-edit-$1: $2"; }
# same NAME FILE TEXT: the file holds exactly TEXT (printf format)
same() {
	printf "$3" > "$dir/want"
	if cmp -s "$dir/want" "$2"; then ok "$1"; else no "$1" "got: $(head -c 300 "$2" | tr '\n' '|')"; fi
}
# session NAME: run $dir/NAME.vml on state $dir/NAME into $dir/NAME.out;
# fail if CMS stopped (a disabled wait) or the session did not end
session() {
	timeout 120 "$VMLAB" cp --state "$dir/$1" < "$dir/$1.vml" > "$dir/$1.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q 'DISABLED WAIT' "$dir/$1.out" ||
	   ! grep -q '^CONNECT=' "$dir/$1.out"; then
		no "$1-session" "status $rc: $(tail -3 "$dir/$1.out" | tr '\n' '|')"
		return 1
	fi
	return 0
}

# 1. the golden session
mkdir "$dir/gold"
sh tests/golden/cms_edit.setup "$dir/gold" > /dev/null || { no golden "setup failed"; exit 0; }
cp "$dir/gold/system.disk" "$dir/system.before"
cp "$dir/gold/BOB.191.disk" "$dir/bob.before"
cp tests/golden/cms_edit.vml "$dir/gold.vml"
if session gold; then
	a=$dir/gold/ALICE.191.disk
	if "$VMLAB" disk list "$a" > "$dir/list" 2> "$dir/err"; then
		ok golden-disk-consistent
	else
		no golden-disk-consistent "$(cat "$dir/err")"
	fi
	grep -q '^MEMO     TEXT     A1 V        24       6 ' "$dir/list" &&
	grep -q '^DECK     DATA     A1 F        80       3 ' "$dir/list" &&
	grep -q '^NOTES2   SCRIPT   A1 V        35       3 ' "$dir/list" &&
	! grep -q '^BIG ' "$dir/list" && ok golden-list || no golden-list "$(cat "$dir/list")"
	"$VMLAB" disk get "$a" "MEMO TEXT" "$dir/memo"
	same golden-memo "$dir/memo" 'A NEW_FIRST_LINE\nTHE FIRST_LINE\nTHE THIRD_LINE,_REPLACED\nFOURTH_LINE\nFIFTH_AND_LAST_LINE\nAPPENDED_AT_THE_END\n'
	"$VMLAB" disk get "$a" "NOTES SCRIPT" "$dir/notes"
	same golden-saved "$dir/notes" 'Mixed Case Is Kept In A SCRIPT File\nBUT NOT AFTER CASE U\n'
	"$VMLAB" disk get "$a" "NOTES2 SCRIPT" "$dir/notes2"
	same golden-filed-as "$dir/notes2" 'Mixed Case Is Kept In A SCRIPT File\nBUT NOT AFTER CASE U\nA REPLACEMENT, TYPED IN INPUT MODE\n'
	"$VMLAB" disk get "$a" "SYSTEM README" "$dir/readme"
	same golden-from-s-to-a "$dir/readme" "THE SYSTEM'S DISK (190), ACCESSED READ-ONLY AS S\n"
	"$VMLAB" disk get "$a" "HELLO TEXT" "$dir/hello"
	same golden-edit-in-exec "$dir/hello" "HELLO FROM ALICE, EDITED FROM AN EXEC,'S A-DISK\nA SECOND LINE\n \nTHE LAST LINE\n"
	"$VMLAB" disk get "$a" "DECK DATA" "$dir/deck"
	# F 80: every record 80 bytes, blank-padded; line 13 cut at column 80
	awk 'length($0) != 80 { bad = 1 } END { exit bad }' "$dir/deck" && ok golden-f80-padded ||
		no golden-f80-padded "$(awk '{ print length($0) }' "$dir/deck" | tr '\n' ' ')"
	sed 's/ *$//' "$dir/deck" > "$dir/deck.t"
	same golden-f80 "$dir/deck.t" 'CARD 11 OF A FIXED-LENGTH DECK\nCARD TWELVE OF A FIXED-LENGTH DECK\nCARD 13 OF A FIXED-LENGTH DECK, WITH MORE THAN EIGHTY CHARACTERS, SO CUT AT COLU\n'
	cmp -s "$dir/system.before" "$dir/gold/system.disk" && ok golden-s-untouched ||
		no golden-s-untouched "the read-only system disk changed"
	"$VMLAB" disk get "$a" "BOBNOTE TEXT" "$dir/bobnote"
	same golden-from-b-to-a "$dir/bobnote" "A NOTE ON BOB AND ALICE'S DISK\nSECOND LINE OF BOB AND ALICE'S NOTE\n"
	cmp -s "$dir/bob.before" "$dir/gold/BOB.191.disk" && ok golden-b-untouched ||
		no golden-b-untouched "BOB's disk, linked read-only, changed"
fi

# 2. SAVE over and over: each SAVE replaces the file with a longer one
#    (100-character lines: the file grows from 1 block to 4)
mkdir "$dir/rep"
"$VMLAB" disk create "$dir/rep/ALICE.191.disk" 1024 > /dev/null
"$VMLAB" disk format "$dir/rep/ALICE.191.disk" ALC191 > /dev/null
{
	printf 'LOGON ALICE\nIPL CMS\nEDIT GROW TEXT\n'
	i=1
	while [ $i -le 20 ]; do
		printf 'INPUT LINE %02d %s\nSAVE\n' $i "$(printf '%092d' 0 | tr 0 =)"
		i=$((i + 1))
	done
	printf 'QUIT\nLISTFILE\nLOGOFF\n'
} > "$dir/rep.vml"
if session rep; then
	if "$VMLAB" disk list "$dir/rep/ALICE.191.disk" > "$dir/list" 2> "$dir/err" &&
	   grep -q '^GROW     TEXT     A1 V       100      20      4 ' "$dir/list" &&
	   grep -q '^ALC191   1024     22   1002     1$' "$dir/list"; then
		ok replace-twenty-times
	else
		no replace-twenty-times "$(cat "$dir/err" "$dir/list")"
	fi
	grep -q '^DMSEDT' "$dir/rep.out" && no replace-messages "$(grep '^DMSEDT' "$dir/rep.out" | head -3)"
	"$VMLAB" disk get "$dir/rep/ALICE.191.disk" "GROW TEXT" "$dir/grow"
	awk 'BEGIN { for (i = 1; i <= 20; i++) { s = sprintf("LINE %02d ", i); while (length(s) < 100) s = s "="; print s } }' > "$dir/grow.want"
	cmp -s "$dir/grow" "$dir/grow.want" && ok replace-content || no replace-content "$(head -2 "$dir/grow")"
fi

# 3. three hundred lines in input mode, then CHANGE * G with VERIFY OFF
mkdir "$dir/many"
"$VMLAB" disk create "$dir/many/ALICE.191.disk" 1024 > /dev/null
"$VMLAB" disk format "$dir/many/ALICE.191.disk" ALC191 > /dev/null
{
	printf 'LOGON ALICE\nIPL CMS\nedit many lines\ninput\n'
	awk 'BEGIN { for (i = 1; i <= 300; i++) printf "line %03d of many: a b c\n", i }'
	printf '\nverify off\ntop\nc / /./ * g\ntop\nlocate /LINE.150/\nverify on\nt\nfile\nLOGOFF\n'
} > "$dir/many.vml"
if session many; then
	awk 'BEGIN { for (i = 1; i <= 300; i++) printf "LINE.%03d.OF.MANY:.A.B.C\n", i }' > "$dir/many.want"
	"$VMLAB" disk get "$dir/many/ALICE.191.disk" "MANY LINES" "$dir/many.got" 2> "$dir/err"
	cmp -s "$dir/many.want" "$dir/many.got" && ok input-300-lines || no input-300-lines "$(cat "$dir/err"; head -2 "$dir/many.got")"
	grep -q '^LINE.150.OF.MANY:.A.B.C$' "$dir/many.out" && ok lowercase-subcommands ||
		no lowercase-subcommands "$(tail -8 "$dir/many.out" | tr '\n' '|')"
fi

# 4. a full directory: 1024 blocks have 16 directory blocks, 128
#    entries, all taken.  FILE fails and EDIT stays; FILE under the name
#    of a file that is there replaces it in its own entry.
mkdir "$dir/dfull"
"$VMLAB" disk create "$dir/dfull/ALICE.191.disk" 1024 > /dev/null
"$VMLAB" disk format "$dir/dfull/ALICE.191.disk" ALC191 > /dev/null
printf 'X\n' > "$dir/x"
n=1
while [ $n -le 128 ]; do
	"$VMLAB" disk put "$dir/dfull/ALICE.191.disk" "$dir/x" "f$n data" > /dev/null
	n=$((n + 1))
done
printf 'LOGON ALICE\nIPL CMS\nEDIT NEW FILE\nI ONE LINE\nFILE\nFILE F1 DATA\nTYPE F1 DATA\nLOGOFF\n' > "$dir/dfull.vml"
if session dfull; then
	if grep -q '^DMSEDT105S Disk A(191) directory is full; the file was not written$' "$dir/dfull.out" &&
	   grep -q '^ONE LINE$' "$dir/dfull.out" &&
	   "$VMLAB" disk list "$dir/dfull/ALICE.191.disk" > /dev/null 2>&1; then
		ok directory-full
	else
		no directory-full "$(sed -n '/EDIT NEW/,$p' "$dir/dfull.out" | tr '\n' '|')"
	fi
fi

# 5. damaged V records: a length past the end, and one longer than EDIT
#    takes; and a directory entry claiming 16M blocks: ACCESS refuses
#    the disk, and EDIT's FILE says A is not there
mkdir "$dir/dmg"
"$VMLAB" disk create "$dir/dmg/ALICE.191.disk" 1024 > /dev/null
"$VMLAB" disk format "$dir/dmg/ALICE.191.disk" ALC191 > /dev/null
printf 'SHORT\nFILE\n' > "$dir/short"
"$VMLAB" disk put "$dir/dmg/ALICE.191.disk" "$dir/short" "bad text" > /dev/null
"$VMLAB" disk put "$dir/dmg/ALICE.191.disk" "$dir/short" "long text" > /dev/null
"$VMLAB" disk put "$dir/dmg/ALICE.191.disk" "$dir/short" "old text" > /dev/null
first() { "$VMLAB" disk list "$dir/dmg/ALICE.191.disk" | awk -v f="$1" '$1 == f { print $NF }'; }
b1=$(first BAD); b2=$(first LONG)
printf '\001\000' | dd of="$dir/dmg/ALICE.191.disk" bs=1 seek=$((b1 * 512)) conv=notrunc 2>/dev/null
printf '\377\377' | dd of="$dir/dmg/ALICE.191.disk" bs=1 seek=$((b2 * 512)) conv=notrunc 2>/dev/null
printf 'LOGON ALICE\nIPL CMS\nEDIT BAD TEXT\nEDIT LONG TEXT\nQ DISK\nLOGOFF\n' > "$dir/dmg.vml"
if session dmg; then
	if grep -A2 '^> EDIT BAD TEXT' "$dir/dmg.out" | grep -q '^DMSEDT104S' &&
	   grep -A2 '^> EDIT BAD TEXT' "$dir/dmg.out" | grep -q '^R(00100);' &&
	   grep -A2 '^> EDIT LONG TEXT' "$dir/dmg.out" | grep -q '^DMSEDT044E' &&
	   grep -q '^ALC191 191 A' "$dir/dmg.out"; then
		ok damaged-records
	else
		no damaged-records "$(sed -n '/EDIT BAD/,$p' "$dir/dmg.out" | tr '\n' '|')"
	fi
fi

mkdir "$dir/dmg2"
cp "$dir/dmg/ALICE.191.disk" "$dir/dmg2/"
# the directory is block 2 (1024 blocks: one bitmap block); OLD TEXT's
# entry is its third, the block count at offset 36
printf '\000\377\377\377' | dd of="$dir/dmg2/ALICE.191.disk" bs=1 seek=$((2 * 512 + 2 * 64 + 36)) conv=notrunc 2>/dev/null
printf 'LOGON ALICE\nIPL CMS\nEDIT OLD TEXT\nI X\nFILE\nFILE OLD TEXT S\nQQUIT\nQ DISK\nLOGOFF\n' > "$dir/dmg2.vml"
if session dmg2; then
	if grep -q '^DMSACC114S Disk A(191) has a damaged directory' "$dir/dmg2.out" &&
	   grep -A1 '^> FILE$' "$dir/dmg2.out" | grep -q '^DMSEDT069E Disk A not accessed' &&
	   grep -A1 '^> FILE OLD TEXT S' "$dir/dmg2.out" | grep -q '^DMSEDT037E Disk S(190) is read/only' &&
	   grep -A1 '^> QQUIT' "$dir/dmg2.out" | grep -q '^R;'; then
		ok damaged-directory
	else
		no damaged-directory "$(sed -n '/IPL CMS/,$p' "$dir/dmg2.out" | tr '\n' '|')"
	fi
fi

# 7. what editing a full buffer costs: a CHANGE that lengthens 100 lines
#    in the middle of BIG TEXT (1006 lines, 128K) moves the 64K after
#    each of them.  Measured as the difference of two sessions' INSTR=
#    (one without the CHANGE); through FILEBUF the moves take about
#    53000 instructions, two bytes at a time they took 35 million.
cost() {
	rm -rf "$dir/cost"
	mkdir "$dir/cost"
	sh tests/golden/cms_edit.setup "$dir/cost" > /dev/null 2>&1
	printf "LOGON ALICE\nIPL CMS\nEDIT BIG TEXT\nVERIFY OFF\nN 500\n$1T\nQQUIT\nLOGOFF\n" |
		"$VMLAB" cp --state "$dir/cost" > "$dir/cost.out" 2>&1
	sed -n 's/.*INSTR= //p' "$dir/cost.out"
}
base=$(cost '')
grow=$(cost 'C /BIG/LARGE/ 100\n')
if [ -n "$base" ] && [ -n "$grow" ] && [ $((grow - base)) -lt 200000 ] &&
   grep -q '^LARGE LINE 0599 \.' "$dir/cost.out" && ! grep -q DMSEDT "$dir/cost.out"; then
	ok "change-cost ($((grow - base)) instructions for 100 longer lines)"
else
	no change-cost "base ${base:-?}, with the CHANGE ${grow:-?} instructions: $(grep -e LINE -e DMS "$dir/cost.out" | head -3)"
fi

# 6. damaged disks: each session damages a few random bytes of ALICE's
#    label, bitmap, directory or first data blocks, then EDITs, changes
#    and FILEs files there.  CMS may refuse the disk or the file, but
#    must never stop (a program check in CMS is a disabled wait) or hang.
mkdir "$dir/good"
sh tests/golden/cms.setup "$dir/good" > /dev/null 2>&1 || { no damaged-disks "setup"; exit 0; }
session='LOGON ALICE
IPL CMS
EDIT HELLO TEXT
N
C /A/B/ * G
FILE
EDIT DECK DATA
B
I A NEW CARD
FILE
EDIT PROFILE EXEC
DEL
FILE NEWNAME EXEC
QQUIT
EDIT SYSTEM README
N
FILE
QQUIT
LISTFILE * * *
LOGOFF'
bad=0
runs=40
i=0
while [ $i -lt $runs ]; do
	i=$((i + 1))
	rm -rf "$dir/s"
	cp -r "$dir/good" "$dir/s"
	n=$((i % 4 + 1))
	while [ $n -gt 0 ]; do
		off=$(awk -v s="7$i$n" 'BEGIN { srand(s); print int(rand() * 512 * 24) }')
		val=$(awk -v s="$n$i" 'BEGIN { srand(s); printf "%03o", int(rand() * 256) }')
		printf "\\$val" | dd of="$dir/s/ALICE.191.disk" bs=1 seek="$off" conv=notrunc 2>/dev/null
		n=$((n - 1))
	done
	printf '%s\n' "$session" | timeout 60 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q 'DISABLED WAIT' "$dir/out" ||
	   ! grep -q '^CONNECT=' "$dir/out"; then
		echo "FAIL cms-edit-damaged-$i: status $rc: $(grep -m1 -e WAIT -e rror "$dir/out")"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] && ok "damaged-disks ($runs sessions)"
