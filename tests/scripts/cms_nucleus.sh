#!/bin/sh
# The CMS nucleus (cms/cms.s) against disks it should refuse or survive:
#   - no CMS disk at all (a fresh 191): CMS says so and still answers R;
#   - damaged directories: each of many sessions damages a few random
#     bytes of ALICE's label, bitmap or directory, then runs LISTFILE,
#     TYPE, STATE, COPYFILE, RENAME and ERASE.  CMS may refuse the disk
#     or report errors, but must never stop (a program check in CMS is a
#     disabled wait), never hang, and vmlab never crash.
VMLAB=${VMLAB:-build/vmlab}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# 1. an unformatted 191: CMS says so, still answers R;, and FORMAT
#    makes a disk that the host tool accepts
# (a state folder's new disks are formatted for CMS: make a raw one first)
mkdir -p "$dir/fresh"
"$VMLAB" disk create "$dir/fresh/ALICE.191.disk" 1024 >/dev/null
printf 'LOGON ALICE\nIPL CMS\nLISTFILE\nFORMAT 191 A alc191\nQ DISK\nLOGOFF\n' |
	"$VMLAB" cp --state "$dir/fresh" > "$dir/out" 2>&1
if grep -q 'DMSACC113S Disk A(191) is not a CMS disk' "$dir/out" &&
   grep -q 'DMSLST002E File not found' "$dir/out" && grep -q '^R;' "$dir/out"; then
	echo "PASS cms-unformatted-191"
else
	echo "FAIL cms-unformatted-191: $(head -12 "$dir/out" | tr '\n' '|')"
fi
if grep -q 'DMSFOR732I Disk A(191) formatted: 1024 blocks, label ALC191' "$dir/out" &&
   grep -q '^ALC191 191 A   R/W      512      0          18-01       1006       1024$' "$dir/out" &&
   "$VMLAB" disk list "$dir/fresh/ALICE.191.disk" | grep -q '^ALC191   1024     18   1006     0$'; then
	echo "PASS cms-format-191"
else
	echo "FAIL cms-format-191: $(grep -e DMSFOR -e ALC191 "$dir/out" | tr '\n' '|')"
fi

# 2. damaged disks
mkdir "$dir/good"
VMLAB=$VMLAB sh tests/golden/cms.setup "$dir/good" || { echo "FAIL cms-damaged: setup"; exit 0; }
session='LOGON ALICE
IPL CMS
LISTFILE * * *
TYPE HELLO TEXT
TYPE DECK DATA
STATE PROFILE EXEC
COPYFILE DECK DATA A NEW DATA A
COPYFILE HELLO TEXT A NEW2 TEXT A
RENAME PROFILE EXEC A P EXEC A
ERASE DECK DATA
ERASE HELLO TEXT
Q DISK
LOGOFF'
bad=0
runs=60
i=0
while [ $i -lt $runs ]; do
	i=$((i + 1))
	rm -rf "$dir/s"
	cp -r "$dir/good" "$dir/s"
	# 1..4 bytes in blocks 0..19 (label, bitmap, directory, first data)
	n=$((i % 4 + 1))
	while [ $n -gt 0 ]; do
		off=$(awk -v s="$i$n" 'BEGIN { srand(s); print int(rand() * 512 * 20) }')
		val=$(awk -v s="$n$i" 'BEGIN { srand(s); printf "%03o", int(rand() * 256) }')
		printf "\\$val" | dd of="$dir/s/ALICE.191.disk" bs=1 seek="$off" conv=notrunc 2>/dev/null
		n=$((n - 1))
	done
	printf '%s\n' "$session" | timeout 60 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q 'DISABLED WAIT' "$dir/out" ||
	   ! grep -q '^CONNECT=' "$dir/out"; then
		echo "FAIL cms-damaged-$i: status $rc: $(grep -m1 -e WAIT -e rror "$dir/out")"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] && echo "PASS cms-damaged-disks ($runs sessions)"
