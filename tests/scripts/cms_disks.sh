#!/bin/sh
# CMS's disks beyond A and S (cms/disk.s), checked on the host images:
#   1. SET DISKIO SIO does real work: COPYFILE, ERASE and TYPE through
#      channel programs; `vmlab disk` reads the results back
#   2. the same COPYFILE both ways: SIO costs more exits than DIAGNOSE,
#      makes no DIAGNOSE at all, and starts one channel program per request
#   3. two users in one session read the shared 190 while each writes
#      their own 191: the files end up on the right images
#   4. DISKPOOL: three 65536-block disks fill it, a fourth is refused
#      with the figures; RELEASE of the middle one slides the last one's
#      tables down, and that disk still reads and writes correctly;
#      FORMAT of pool disks
#   5. damaged disks accessed and used through channel programs
VMLAB=${VMLAB:-build/vmlab}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "PASS cms-disks-$1"; }
no() { echo "FAIL cms-disks-$1: $2"; }

# A fresh state folder with the disks of tests/golden/cmsdisk.setup and a
# 100-block F file BIG FILE on ALICE's 191.
fresh() {
	rm -rf "$dir/s"
	mkdir "$dir/s"
	VMLAB=$VMLAB sh tests/golden/cmsdisk.setup "$dir/s" >/dev/null || return 1
	awk 'BEGIN { for (i = 1; i <= 640; i++) printf "RECORD %04d OF A FILE OF ONE HUNDRED BLOCKS\n", i }' > "$dir/big.in"
	"$VMLAB" disk put "$dir/s/ALICE.191.disk" "$dir/big.in" "big file" --fixed 80 >/dev/null
	# what `disk get` gives back for it (F records keep their blanks)
	"$VMLAB" disk get "$dir/s/ALICE.191.disk" "BIG FILE" "$dir/big" 2>/dev/null
}

# 1. SIO doing real work
fresh || { no setup "cmsdisk.setup failed"; exit 0; }
printf '%s\n' 'LOGON ALICE' 'IPL CMS' 'SET DISKIO SIO' 'Q DISKIO' \
	'COPYFILE BIG FILE A BIG2 FILE A' 'COPYFILE HELLO TEXT A HELLO2 TEXT A' \
	'ERASE DATA* DATA A' 'TYPE HELLO2 TEXT' 'ACCESS 191 A' 'LISTFILE' 'LOGOFF' |
	"$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
"$VMLAB" disk get "$dir/s/ALICE.191.disk" "BIG2 FILE" "$dir/big2" 2>"$dir/err"
if grep -q '^DISKIO = SIO' "$dir/out" && cmp -s "$dir/big2" "$dir/big" &&
   "$VMLAB" disk list "$dir/s/ALICE.191.disk" > "$dir/list" 2>&1 &&
   grep -q '^HELLO2   TEXT ' "$dir/list" && ! grep -q '^DATA' "$dir/list" &&
   grep -q 'DMSERS731I 2 files erased from A(191)' "$dir/out" &&
   grep -qx 'HELLO FROM ALICE' "$dir/out" && grep -q '^BIG2     FILE     A1' "$dir/out"; then
	ok sio-work
else
	no sio-work "$(grep -e DMS -e DISKIO "$dir/out" | tr '\n' '|') $(cat "$dir/err" "$dir/list" | tr '\n' '|')"
fi

# 2. exits each way, from CP's INDICATE before and after the same COPYFILE
# field NAME FILE N: the number after NAME in the Nth INDICATE of FILE
field() {
	awk -v name="$1" -v n="$3" '
		/^SYSTEM TIME/ { k++; if (k == n && name == "TIME") print $3 }
		k == n && /^ALICE/ { for (i = 1; i < NF; i++) if ($i == name) print $(i + 1) }
		k == n && $1 == name { print $2 }
		k == n && /^ *I\/O 191/ && name == "SIO191" { print $5 }' "$2" | head -1
}
for mode in DIAG SIO; do
	fresh
	printf '%s\n' 'LOGON ALICE' 'IPL CMS' "SET DISKIO $mode" '#CP INDICATE' \
		'COPYFILE BIG FILE A BIG2 FILE A' '#CP INDICATE' 'LOGOFF' |
		"$VMLAB" cp --state "$dir/s" > "$dir/$mode" 2>&1
	"$VMLAB" disk get "$dir/s/ALICE.191.disk" "BIG2 FILE" "$dir/big2.$mode" 2>/dev/null
done
for mode in DIAG SIO; do
	f=$dir/$mode
	eval "x_$mode=\$((\$(field EXITS $f 2) - \$(field EXITS $f 1)))"
	eval "h_$mode=\$((\$(field hypercall $f 2) - \$(field hypercall $f 1)))"
	eval "s_$mode=\$((\$(field SIO191 $f 2) - \$(field SIO191 $f 1)))"
	eval "t_$mode=\$((\$(field TIME $f 2) - \$(field TIME $f 1)))"
done
echo "COPYFILE of a 100-block file: DIAG $x_DIAG exits ($h_DIAG DIAGNOSE, $s_DIAG SIO to 191), $t_DIAG cycles;" \
	"SIO $x_SIO exits ($h_SIO DIAGNOSE, $s_SIO SIO to 191), $t_SIO cycles"
# 5 requests: read the file, write it, directory, bitmap, label
if [ "$h_DIAG" = 5 ] && [ "$s_DIAG" = 0 ] && [ "$h_SIO" = 0 ] && [ "$s_SIO" = 5 ] &&
   [ "$x_SIO" -gt "$x_DIAG" ] && [ "$t_SIO" -gt "$t_DIAG" ] &&
   cmp -s "$dir/big2.DIAG" "$dir/big" && cmp -s "$dir/big2.SIO" "$dir/big"; then
	ok exits-diag-vs-sio
else
	no exits-diag-vs-sio "DIAG x=$x_DIAG h=$h_DIAG s=$s_DIAG, SIO x=$x_SIO h=$h_SIO s=$s_SIO"
fi

# 3. two users, one session: each writes their own 191, both read 190
fresh
printf '%s\n' 'LOGON ALICE' 'IPL CMS' 'COPYFILE SYSTEM README S ALICE COPY A' \
	'#CP SESSION BOB' 'IPL CMS' 'COPYFILE SYSTEM README S BOB COPY A' 'LISTFILE * COPY' \
	'#CP SESSION ALICE' 'COPYFILE HELLO TEXT A ALICE2 COPY' 'LISTFILE * COPY' \
	'ERASE SYSTEM README S' 'LOGOFF' '#CP SESSION BOB' 'LOGOFF' |
	"$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
"$VMLAB" disk list "$dir/s/ALICE.191.disk" > "$dir/la" 2>&1
"$VMLAB" disk list "$dir/s/BOB.191.disk" > "$dir/lb" 2>&1
"$VMLAB" disk get "$dir/s/BOB.191.disk" "BOB COPY" "$dir/bobcopy" 2>/dev/null
if grep -q '^ALICE    COPY ' "$dir/la" && grep -q '^ALICE2   COPY ' "$dir/la" &&
   ! grep -q '^BOB ' "$dir/la" && grep -q '^BOB      COPY ' "$dir/lb" &&
   ! grep -q '^ALICE' "$dir/lb" && [ "$(cat "$dir/bobcopy")" = "THE SYSTEM DISK" ] &&
   grep -q 'DMSERS037E Disk S(190) is read/only' "$dir/out" &&
   "$VMLAB" disk list "$dir/s/system.disk" | grep -q '^SYSTEM   README'; then
	ok two-users
else
	no two-users "$(cat "$dir/la" "$dir/lb" | tr '\n' '|') $(grep -e DMS -e HCP "$dir/out" | tr '\n' '|')"
fi

# 4. DISKPOOL full, and compaction on RELEASE
mkdir "$dir/p"
cat > "$dir/p/dir.yaml" <<'EOF'
system:
  name: VMLAB
users:
  - id: ALICE
    storage: 1M
    class: G
    ipl: CMS
    mdisks:
      - { addr: 191, file: ALICE.191.disk, start: 0, blocks: 1024, mode: W }
      - { addr: 201, file: big1.disk, start: 0, blocks: 65536, mode: W }
      - { addr: 202, file: big2.disk, start: 0, blocks: 65536, mode: W }
      - { addr: 203, file: big3.disk, start: 0, blocks: 65536, mode: W }
      - { addr: 204, file: big4.disk, start: 0, blocks: 65536, mode: W }
EOF
for i in 1 2 3 4; do
	"$VMLAB" disk create "$dir/p/big$i.disk" 65536 >/dev/null
	"$VMLAB" disk format "$dir/p/big$i.disk" BIG$i >/dev/null
	printf 'ON DISK %s\n' "$i" > "$dir/on"
	"$VMLAB" disk put "$dir/p/big$i.disk" "$dir/on" "disk$i text" >/dev/null
done
"$VMLAB" disk create "$dir/p/ALICE.191.disk" 1024 >/dev/null
"$VMLAB" disk format "$dir/p/ALICE.191.disk" ALC191 >/dev/null
printf '%s\n' 'LOGON ALICE' 'IPL CMS' 'ACCESS 201 B' 'ACCESS 202 C' 'ACCESS 203 D' \
	'ACCESS 204 E' 'RELEASE C' 'TYPE DISK3 TEXT D' 'COPYFILE DISK3 TEXT D NEW TEXT D' \
	'ACCESS 204 E' 'Q SEARCH' 'TYPE DISK1 TEXT' 'TYPE DISK4 TEXT' 'TYPE NEW TEXT D' \
	'RELEASE B' 'COPYFILE DISK4 TEXT E NEW4 TEXT E' 'LISTFILE * * *' \
	'FORMAT 202 C FMTC' 'COPYFILE DISK3 TEXT D ON TEXT C' 'RELEASE D' 'SET DISKIO SIO' \
	'FORMAT 201 B FMTB' 'COPYFILE DISK4 TEXT E ON TEXT B' 'Q SEARCH' 'LOGOFF' |
	"$VMLAB" cp --directory "$dir/p/dir.yaml" --state "$dir/p" > "$dir/out" 2>&1
if grep -q 'DMSACC110S Disk E(204) does not fit in storage: its tables need 81 blocks, DISKPOOL has 9 left; RELEASE a disk first' "$dir/out" &&
   [ "$(grep -c '^ON DISK [134]$' "$dir/out")" = 4 ] &&
   grep -q '^BIG4   204 E   R/W' "$dir/out" && grep -q '^NEW4     TEXT     E1' "$dir/out" &&
   "$VMLAB" disk list "$dir/p/big3.disk" | grep -q '^NEW      TEXT ' &&
   "$VMLAB" disk list "$dir/p/big4.disk" | grep -q '^NEW4     TEXT '; then
	ok pool
else
	no pool "$(grep -e DMS -e '^ON' -e '^BIG' "$dir/out" | tr '\n' '|')"
fi
# FORMAT of pool disks (the second through channel programs): a new
# label, one file, and the host tool accepts the image
if grep -q 'DMSFOR732I Disk C(202) formatted: 65536 blocks, label FMTC' "$dir/out" &&
   grep -q 'DMSFOR732I Disk B(201) formatted: 65536 blocks, label FMTB' "$dir/out" &&
   "$VMLAB" disk list "$dir/p/big2.disk" > "$dir/l2" 2>&1 &&
   grep -q '^FMTC  *65536 ' "$dir/l2" && grep -q '^ON       TEXT ' "$dir/l2" &&
   ! grep -q DISK2 "$dir/l2" &&
   "$VMLAB" disk list "$dir/p/big1.disk" > "$dir/l1" 2>&1 &&
   grep -q '^FMTB  *65536 ' "$dir/l1" && grep -q '^ON       TEXT ' "$dir/l1" &&
   grep -q '^FMTB   201 B   R/W' "$dir/out"; then
	ok format-pool
else
	no format-pool "$(grep -e DMSFOR -e FMT "$dir/out" | tr '\n' '|') $(cat "$dir/l2" "$dir/l1" | tr '\n' '|')"
fi

# 5. damaged disks through channel programs: ACCESS again with SET
#    DISKIO SIO, then every command that reads or writes; CMS may refuse
#    the disk or report errors, but never stops and vmlab never crashes
fresh
cp -r "$dir/s" "$dir/good"
session='LOGON ALICE
IPL CMS
SET DISKIO SIO
ACCESS 191 A
CP LINK BOB 191 AS 291 RR
ACCESS 291 B
LISTFILE * * *
TYPE HELLO TEXT
TYPE BIG FILE A
COPYFILE BIG FILE A BIG2 FILE A
COPYFILE BOBNOTE TEXT B = = A
RENAME PROFILE EXEC A P EXEC A
ERASE DATA* * A
ERASE HELLO TEXT
FORMAT 291 B
RELEASE B
Q DISK
LOGOFF'
bad=0
i=0
while [ $i -lt 16 ]; do
	i=$((i + 1))
	rm -rf "$dir/s"
	cp -r "$dir/good" "$dir/s"
	n=$((i % 3 + 1))
	while [ $n -gt 0 ]; do
		off=$(awk -v s="$i$n" 'BEGIN { srand(s + 7); print int(rand() * 512 * 24) }')
		val=$(awk -v s="$n$i" 'BEGIN { srand(s + 7); printf "%03o", int(rand() * 256) }')
		for img in ALICE.191.disk BOB.191.disk; do
			printf "\\$val" | dd of="$dir/s/$img" bs=1 seek="$off" conv=notrunc 2>/dev/null
		done
		n=$((n - 1))
	done
	printf '%s\n' "$session" | timeout 60 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q 'DISABLED WAIT' "$dir/out" || ! grep -q '^CONNECT=' "$dir/out"; then
		no "damaged-sio-$i" "status $rc: $(grep -m1 -e WAIT -e rror "$dir/out")"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] && ok "damaged-sio (16 sessions)"

# 6. an allocation bitmap (or label counts) that disagrees with the
#    directory is refused at ACCESS, at IPL and through channel programs
#    alike, as the host tool refuses it; the good disk (whose BIG FILE
#    starts off a byte boundary of the bitmap) is accessed.  ALICE's
#    1024-block 191: label 0, bitmap 1, directory 2..17, files from 18.
# poke NAME OFFSET OCTAL...: fresh disks, those bytes into ALICE's 191
poke() {
	name=$1 off=$2
	shift 2
	fresh
	for b in "$@"; do
		printf "\\$b" | dd of="$dir/s/ALICE.191.disk" bs=1 seek="$off" conv=notrunc 2>/dev/null
		off=$((off + 1))
	done
}
session='LOGON ALICE
IPL CMS
Q DISK
ACCESS 191 A
SET DISKIO SIO
ACCESS 191 B
Q DISK
LOGOFF'
fresh
printf '%s\n' "$session" | "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
if grep -q '^ALC191 191 A   R/W      512      6         123-12        901       1024$' "$dir/out" &&
   grep -q '^ALC191 191 B   R/W      512      6         123-12        901       1024$' "$dir/out" &&
   ! grep -q DMSACC "$dir/out" && ! grep -q '^R(' "$dir/out"; then
	ok bitmap-good
else
	no bitmap-good "$(grep -e DMS -e ALC191 -e 'R(' "$dir/out" | tr '\n' '|')"
fi
msg='DMSACC114S Disk A(191) has an allocation map that disagrees with its directory; not accessed (vmlab disk list on the host gives details)'
for c in all-used used-free past-end used-count files-count overlap; do
	case $c in
	all-used) # the acceptance repro: every bit of block 1 set
		fresh
		head -c 512 /dev/zero | tr '\0' '\377' |
			dd of="$dir/s/ALICE.191.disk" bs=512 seek=1 conv=notrunc 2>/dev/null ;;
	used-free) poke $c $((512 + 2)) 300 ;;	# blocks 18..23 (files) free
	past-end) poke $c $((512 + 511)) 001 ;;	# block 4095 of 1024 in use
	used-count) poke $c 44 000 000 000 144 ;;	# label: 100 blocks used
	files-count) poke $c 48 000 000 000 011 ;;	# label: 9 files
	overlap) poke $c $((2 * 512 + 64 + 32)) 000 000 000 022 ;; # file 2 at block 18, as file 1
	esac
	"$VMLAB" disk list "$dir/s/ALICE.191.disk" > "$dir/list" 2>&1 && { no "bitmap-$c" "the host tool accepts the disk"; continue; }
	printf '%s\n' "$session" | "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	if [ "$(grep -c "^$msg\$" "$dir/out")" = 2 ] &&
	   grep -q "^$(echo "$msg" | sed 's/A(191)/B(191)/')\$" "$dir/out" &&
	   [ "$(grep -c '^R(00101);$' "$dir/out")" = 2 ] && ! grep -q '^ALC191' "$dir/out" &&
	   grep -q '^CONNECT=' "$dir/out"; then
		ok "bitmap-$c"
	else
		no "bitmap-$c" "$(grep -e DMS -e ALC191 -e 'R(' "$dir/out" | tr '\n' '|') $(cat "$dir/list")"
	fi
done
