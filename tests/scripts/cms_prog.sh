#!/bin/sh
# User programs under CMS (cms/svc.s, cms/cmslib.s): a student's program
# assembled with `vmlab asm -I cms`, put on a disk as a MODULE, run by
# CMS, and its output file checked byte for byte on the host.  Also the
# host tool's side: an image stored whole and given back whole, a text
# file or a damaged image refused as a MODULE.
VMLAB=${VMLAB:-build/vmlab}
dir=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
ok() { echo "PASS cms-prog-$1${2:+ $2}"; }
no() { echo "FAIL cms-prog-$1: $2"; }
state=$dir/state
mkdir "$state"
disk=$state/ALICE.191.disk

if "$VMLAB" asm tests/progs/cms/upper.s -I cms -o "$dir/upper.img" 2>"$dir/err"; then
	ok asm
else
	no asm "$(head -3 "$dir/err")"
	exit 0
fi
"$VMLAB" disk create "$disk" 1024 >/dev/null &&
	"$VMLAB" disk format "$disk" ALC191 >/dev/null || { no disk "cannot make a disk"; exit 0; }

# put stores the image as F 512 records; get gives back the same bytes
if "$VMLAB" disk put "$disk" "$dir/upper.img" "upper module" 2>"$dir/err" &&
   "$VMLAB" disk list "$disk" | awk '$1 == "UPPER" && $2 == "MODULE" && $4 == "F" && $5 == 512 { f = 1 } END { exit !f }'; then
	ok put-module
else
	no put-module "$(cat "$dir/err")"
fi
if "$VMLAB" disk get "$disk" "UPPER MODULE" "$dir/back.img" && cmp -s "$dir/upper.img" "$dir/back.img"; then
	ok get-module
else
	no get-module "the image read back differs"
fi
# a MODULE must be a program; a damaged image is refused whole
printf 'NOT A PROGRAM\n' > "$dir/text"
if "$VMLAB" disk put "$disk" "$dir/text" "text module" 2>"$dir/err"; then
	no put-text-module "accepted a text file as a MODULE"
elif [ "$(wc -l < "$dir/err")" = 1 ] && grep -q 'not a valid VL32 program image' "$dir/err"; then
	ok put-text-module
else
	no put-text-module "$(cat "$dir/err")"
fi
# a text file that merely starts with the magic stays text
printf 'VL32 is the machine\nsecond line\n' > "$dir/vtext"
if "$VMLAB" disk put "$disk" "$dir/vtext" "vl32 notes" 2>"$dir/err" &&
   "$VMLAB" disk get "$disk" "VL32 NOTES" "$dir/vback" && cmp -s "$dir/vtext" "$dir/vback"; then
	ok put-text-magic
else
	no put-text-magic "$(cat "$dir/err")"
fi
head -c 40 "$dir/upper.img" > "$dir/cut.img"
if "$VMLAB" disk put "$disk" "$dir/cut.img" "cut module" 2>"$dir/err"; then
	no put-damaged "accepted a truncated image"
elif grep -q 'not a valid VL32 program image' "$dir/err"; then
	ok put-damaged
else
	no put-damaged "$(cat "$dir/err")"
fi

# the program reads a file and writes a transformed one; the host reads it
printf 'Hello from Alice\nmixed Case, digits 123 and $#@\n\nlast line\n' > "$dir/hello"
"$VMLAB" disk put "$disk" "$dir/hello" "hello text"
printf 'LOGON ALICE\nIPL CMS\nRUN UPPER HELLO TEXT\nTYPE HELLO UPPER\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" > "$dir/session" 2>&1
if grep -q '^UPPER:      4 lines copied$' "$dir/session"; then
	ok run
else
	no run "$(grep -A3 'RUN UPPER' "$dir/session")"
fi
# CMS stores an empty line as one blank (cms/FORMAT.md)
printf 'HELLO FROM ALICE\nMIXED CASE, DIGITS 123 AND $#@\n \nLAST LINE\n' > "$dir/want"
if "$VMLAB" disk get "$disk" "HELLO UPPER" "$dir/got" 2>"$dir/err" && cmp -s "$dir/want" "$dir/got"; then
	ok output-file
else
	no output-file "$(cat "$dir/err"; diff "$dir/want" "$dir/got" 2>/dev/null | head -5)"
fi
# the file CMS wrote passes the host tool's full check of the disk
if "$VMLAB" disk list "$disk" |
   awk '$1 == "HELLO" && $2 == "UPPER" && $4 == "V" && $5 == 30 && $6 == 4 { f = 1 } END { exit !f }'; then
	ok output-entry
else
	no output-entry "$("$VMLAB" disk list "$disk" 2>&1 | tail -3)"
fi

# LOAD trusts nothing in a MODULE (a disk can be written by anyone):
# images damaged on the disk itself, past vmlab disk put's checks, are
# each refused with DMSLDR133E; then a good program still runs.  And a
# program making 3000 random system calls leaves CMS answering.
"$VMLAB" asm tests/progs/cms/chaos.s -I cms -o "$dir/chaos.img" 2>"$dir/err" ||
	no chaos-asm "$(head -3 "$dir/err")"
"$VMLAB" disk put "$disk" "$dir/chaos.img" "chaos module"
# offset in the image, then the bytes (octal, for any sh's printf)
set -- \
	6 '\000\000' 6 '\001\054' 12 '\000\000\000\001' 4 '\000\002' \
	8 '\000\014\000\002' 8 '\000\000\000\000' 16 '\000\000\000\000' \
	16 '\377\377\377\360' 20 '\377\377\377\360' 20 '\000\000\377\377' \
	16 '\000\015\360\000' 0 'VL33' 6 '\000\002' 20 '\000\000\000\000'
n=0
script="LOGON ALICE\nIPL CMS\n"
while [ $# -ge 2 ]; do
	n=$((n + 1))
	"$VMLAB" disk put "$disk" "$dir/upper.img" "bad$n module"
	first=$("$VMLAB" disk list "$disk" | awk -v f="BAD$n" '$1 == f && $2 == "MODULE" { print $8 }')
	printf "$2" | dd of="$disk" bs=1 seek=$((first * 512 + $1)) conv=notrunc 2>/dev/null
	script="${script}LOAD BAD$n\n"
	shift 2
done
printf "${script}RUN UPPER HELLO TEXT\nRUN CHAOS\nLISTFILE * UPPER\nLOGOFF\n" |
	"$VMLAB" cp --state "$state" > "$dir/session" 2>&1
refused=$(grep -c '^DMSLDR133E BAD[0-9]* MODULE A is not a program: ' "$dir/session")
if [ "$refused" = "$n" ] && [ "$(grep -c '^R(00032);$' "$dir/session")" = "$n" ]; then
	ok load-damaged
else
	no load-damaged "$refused of $n refused: $(grep -A1 '> LOAD BAD' "$dir/session" | grep -v '^>\|^DMSLDR133E\|^R(00032)' | head -3)"
fi
if grep -q '^UPPER:      4 lines copied$' "$dir/session" &&
   grep -q '^CHAOS: 3000 calls, CMS still answers$' "$dir/session" &&
   grep -A1 '^> LISTFILE \* UPPER' "$dir/session" | grep -q '^HELLO    UPPER    A1'; then
	ok after-damage
else
	no after-damage "$(tail -8 "$dir/session")"
fi
# what chaos wrote (an empty file) still passes the host's full check
if "$VMLAB" disk list "$disk" >/dev/null 2>"$dir/err"; then
	ok disk-consistent
else
	no disk-consistent "$(cat "$dir/err")"
fi

# a full disk: the output file cannot be saved at FSCLOSE; CMS says so,
# the program gets 13, the old file of that name is kept.  (A fresh
# disk, so that the free blocks are one run for the filler.)
rm -rf "$state"
mkdir "$state"
"$VMLAB" disk create "$disk" 1024 >/dev/null
"$VMLAB" disk format "$disk" ALC191
"$VMLAB" disk put "$disk" "$dir/upper.img" "upper module"
"$VMLAB" disk put "$disk" "$dir/hello" "hello text"
printf 'OLD\n' > "$dir/old"
"$VMLAB" disk put "$disk" "$dir/old" "hello upper"
free=$("$VMLAB" disk list "$disk" | awk 'NR == 2 { print $4 }')
awk -v n="$free" 'BEGIN { for (i = 0; i < n; i++) print "FILLER" }' > "$dir/filler"
"$VMLAB" disk put "$disk" "$dir/filler" "filler data" --fixed 512
printf 'LOGON ALICE\nIPL CMS\nRUN UPPER HELLO TEXT\nTYPE HELLO UPPER\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" > "$dir/session" 2>&1
if grep -q '^DMSSVC105S File HELLO UPPER A not saved: the disk is full$' "$dir/session" &&
   grep -q '^R(00013);$' "$dir/session" &&
   grep -A1 '^> TYPE HELLO UPPER' "$dir/session" | grep -q '^OLD$'; then
	ok disk-full
else
	no disk-full "$(sed -n '/RUN UPPER/,$p' "$dir/session" | head -12)"
fi

# program checks in CMS itself, one after another: each is reported and
# CMS goes on reading commands
script="LOGON ALICE\nIPL CMS\n"
for i in 1 2 3 4 5; do
	script="$script#CP STOP\n#CP STORE PSW 00000000 00000300\n#CP BEGIN\nSTATE HELLO TEXT\n"
done
printf "${script}LISTFILE HELLO\nLOGOFF\n" | "$VMLAB" cp --state "$state" > "$dir/session" 2>&1
if [ "$(grep -c '^DMSITP143T Operation exception occurred at 00300 in CMS itself; CMS goes on$' "$dir/session")" = 5 ] &&
   [ "$(grep -c '^R(00193);$' "$dir/session")" = 5 ] &&
   grep -A1 '^> LISTFILE HELLO' "$dir/session" | grep -q '^HELLO    TEXT     A1'; then
	ok cms-program-checks
else
	no cms-program-checks "$(tail -6 "$dir/session")"
fi

# files of any size are read through a 56K window: COUNT over a 282K V
# file, an 80K F file and others agrees with the host; a record longer
# than the window gives 25 after the records before it
"$VMLAB" asm tests/progs/cms/count.s -I cms -o "$dir/count.img" 2>"$dir/err" ||
	no count-asm "$(head -3 "$dir/err")"
rm -rf "$state"
mkdir "$state"
"$VMLAB" disk create "$disk" 1024 >/dev/null
"$VMLAB" disk format "$disk" ALC191
"$VMLAB" disk put "$disk" "$dir/count.img" "count module"
awk 'BEGIN { for (i = 1; i <= 5000; i++) { s = "line " i; for (j = 0; j < i % 97; j++) s = s "x"; print s } }' > "$dir/big"
"$VMLAB" disk put "$disk" "$dir/big" "big text"
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "CARD %d\n", i }' > "$dir/deck"
"$VMLAB" disk put "$disk" "$dir/deck" "deck data" --fixed 80
awk 'BEGIN { s = ""; for (i = 0; i < 60000; i++) s = s "y"; print "short"; print s; print "after" }' > "$dir/huge"
"$VMLAB" disk put "$disk" "$dir/huge" "huge text"
: > "$dir/empty"
"$VMLAB" disk put "$disk" "$dir/empty" "empty text"
printf 'LOGON ALICE\nIPL CMS\nRUN COUNT BIG TEXT\nRUN COUNT DECK DATA A\nRUN COUNT EMPTY TEXT\nRUN COUNT HUGE TEXT\nRUN COUNT NOSUCH TEXT\nLISTFILE\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" > "$dir/session" 2>&1
want_big=$(awk '{ n++; b += length($0) } END { printf "COUNT: %7d records, %9d bytes", n, b }' "$dir/big")
if grep -qx "$want_big" "$dir/session" &&
   grep -qx 'COUNT:    1000 records,     80000 bytes' "$dir/session" &&
   grep -qx 'COUNT:       0 records,         0 bytes' "$dir/session" &&
   [ "$(grep -c '^R(00025);$' "$dir/session")" = 1 ] &&
   [ "$(grep -c '^R(00028);$' "$dir/session")" = 1 ] &&
   grep -A1 '^> LISTFILE' "$dir/session" | grep -q '^COUNT    MODULE   A1'; then
	ok read-any-size
else
	no read-any-size "want '$want_big'; $(grep -A1 'RUN COUNT' "$dir/session" | head -12)"
fi

# What one SVC costs under CP: RUN SVCLOOP X makes 1000 SVCs that RUN
# SVCLOOP does not; CP's exit counts (INDICATE) around each give the
# difference.  A round trip is two exits -- the SVC reflected into CMS,
# CMS's LPSW back to the program emulated -- and no shadow fault: CMS
# takes the SVC with DAT off and the program's translations survive it,
# as they would in a real TLB (trap/shadow.c).
"$VMLAB" asm tests/progs/cms/svcloop.s -I cms -o "$dir/svcloop.img" 2>"$dir/err" ||
	no svcloop-asm "$(head -3 "$dir/err")"
"$VMLAB" disk put "$disk" "$dir/svcloop.img" "svcloop module"
printf 'LOGON ALICE\nIPL CMS\n#CP INDICATE\nRUN SVCLOOP\n#CP INDICATE\nRUN SVCLOOP X\n#CP INDICATE\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" > "$dir/session" 2>&1
# per INDICATE: total exits, then translation exits (0 if no such line)
awk '/^ALICE .* EXITS/ { if (n++) print e, t; e = $0; sub(/.* EXITS */, "", e); sub(/ .*/, "", e); t = 0 }
     /^ +translation / { t = $2 }
     END { if (n) print e, t }' "$dir/session" > "$dir/exits"
per=$(awk 'NR == 1 { e0 = $1; t0 = $2 } NR == 2 { e1 = $1; t1 = $2 } NR == 3 { e2 = $1; t2 = $2 }
	END { if (NR != 3) { print "none"; exit }
	      printf "%.3f %.3f", ((e2 - e1) - (e1 - e0)) / 1000, ((t2 - t1) - (t1 - t0)) / 1000 }' "$dir/exits")
if [ "$(grep -c '^R;$' "$dir/session")" -ge 3 ] && [ "$per" != none ] &&
   awk -v p="${per% *}" -v t="${per#* }" 'BEGIN { exit !(p >= 2 && p < 2.01 && t < 0.01) }'; then
	ok svc-cost "(${per% *} exits per SVC, ${per#* } shadow faults)"
else
	no svc-cost "per SVC: exits and shadow faults $per; INDICATE: $(tr '\n' ' ' < "$dir/exits")"
fi
