#!/bin/sh
# The system disk's files (cms/sysfiles.h): a new state folder's 190 has
# them, an existing one is left alone until `vmlab disk sysfiles`
# refreshes it (MAINT's own files stay); each help file on the disk is
# cms/help/NAME.txt, and CP's HELP types the same text; HELLO MODULE is
# the same bytes as `vmlab asm -I cms` makes of HELLO ASSEMBLE; a bad
# help file stops the generator with file:line.
T=cms-help
VMLAB=${VMLAB:-build/vmlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $T-$1"; }
fail() { echo "FAIL $T-$1: $2"; }
files() { "$VMLAB" disk list "$1" 2>&1 | awk 'NR == 2 { print $5 }'; }

# 1. A new state folder: vmlab makes system.disk with every file.
mkdir "$tmp/new"
printf 'LOGON ALICE\nLOGOFF\n' | "$VMLAB" cp --state "$tmp/new" > /dev/null 2>&1
want=$(ls cms/help/*.txt cms/sysdisk/* | wc -l)
want=$((want + $(ls cms/sysdisk/*.ASSEMBLE | wc -l)))   # and their MODULEs
got=$(files "$tmp/new/system.disk")
if [ "$got" = "$want" ]; then pass new-disk; else fail new-disk "$got files on a new system.disk, expected $want"; fi
# ... and only the 190: ALICE's 191 is empty.
got=$(files "$tmp/new/ALICE.191.disk")
if [ "$got" = 0 ]; then pass a-disk-empty; else fail a-disk-empty "$got files on ALICE's new 191"; fi

# 2. Each help file on the disk is its source (an empty line comes back
# as one blank: CMS stores it so).
bad=""
for f in cms/help/*.txt; do
	n=$(basename "$f" .txt)
	"$VMLAB" disk get "$tmp/new/system.disk" "$n HELPCMS" "$tmp/got" 2> "$tmp/err" || { bad="$bad $n(get)"; continue; }
	sed 's/^ $//' "$tmp/got" | cmp -s - "$f" || bad="$bad $n"
done
if [ -z "$bad" ]; then pass files-are-sources; else fail files-are-sources "differ:$bad"; fi

# 3. CP's HELP of a CMS command types the same text (at CP READ too).
printf 'HELP COPYF\n' | "$VMLAB" cp --state "$tmp/new" 2>&1 |
	sed '1,2d; s/^ $//' > "$tmp/cphelp"
if cmp -s "$tmp/cphelp" cms/help/COPYFILE.txt; then pass cp-help-same
else fail cp-help-same "CP HELP COPYF: $(diff "$tmp/cphelp" cms/help/COPYFILE.txt | head -3)"; fi

# 4. HELLO MODULE is vmlab asm's image of HELLO ASSEMBLE, and the source
# on the disk is the one in cms/sysdisk.
"$VMLAB" asm cms/sysdisk/HELLO.ASSEMBLE -I cms -o "$tmp/hello.img" 2> "$tmp/err"
"$VMLAB" disk get "$tmp/new/system.disk" "HELLO MODULE" "$tmp/disk.img" 2>> "$tmp/err"
"$VMLAB" disk get "$tmp/new/system.disk" "HELLO ASSEMBLE" "$tmp/hello.s" 2>> "$tmp/err"
if cmp -s "$tmp/hello.img" "$tmp/disk.img" && cmp -s "$tmp/hello.s" cms/sysdisk/HELLO.ASSEMBLE; then
	pass module-is-vmlab-asm
else fail module-is-vmlab-asm "$(cmp "$tmp/hello.img" "$tmp/disk.img" 2>&1) $(head -2 "$tmp/err")"; fi

# 5. An existing system disk is left alone; vmlab disk sysfiles fills it
# and keeps MAINT's own files.
mkdir "$tmp/old"
"$VMLAB" disk create "$tmp/old/system.disk" 2048 && "$VMLAB" disk format "$tmp/old/system.disk" MNT190
echo "MAINT'S NOTES" > "$tmp/notes"
"$VMLAB" disk put "$tmp/old/system.disk" "$tmp/notes" "MAINT NOTES"
printf 'LOGON ALICE\nLOGOFF\n' | "$VMLAB" cp --state "$tmp/old" > /dev/null 2>&1
got=$(files "$tmp/old/system.disk")
if [ "$got" = 1 ]; then pass old-disk-kept; else fail old-disk-kept "$got files: vmlab changed an existing system.disk"; fi
"$VMLAB" disk sysfiles "$tmp/old/system.disk"
got=$(files "$tmp/old/system.disk")
"$VMLAB" disk get "$tmp/old/system.disk" "MAINT NOTES" "$tmp/n2" 2>/dev/null
if [ "$got" = $((want + 1)) ] && cmp -s "$tmp/notes" "$tmp/n2"; then pass sysfiles-refresh
else fail sysfiles-refresh "$got files after vmlab disk sysfiles, expected $((want + 1))"; fi
# twice: replaced, not doubled
"$VMLAB" disk sysfiles "$tmp/old/system.disk"
got=$(files "$tmp/old/system.disk")
if [ "$got" = $((want + 1)) ]; then pass sysfiles-twice; else fail sysfiles-twice "$got files"; fi
# not a CMS disk: an error, exit 1
echo junk > "$tmp/junk.disk"
if "$VMLAB" disk sysfiles "$tmp/junk.disk" 2> "$tmp/err"; then fail sysfiles-junk "accepted a file that is no disk"
elif grep -q "vmlab disk: .*junk.disk" "$tmp/err"; then pass sysfiles-junk
else fail sysfiles-junk "message: $(cat "$tmp/err")"; fi

# 6. The generator refuses a bad file with file:line.
mkdir -p "$tmp/g/help"
printf 'X (CMS): x\n\n  X\n\tTAB\n' > "$tmp/g/help/X.txt"
if awk -f cms/sysfiles.awk "$tmp/g/help/X.txt" > /dev/null 2> "$tmp/err"; then fail gen-tab "a tab accepted"
elif grep -q "X.txt:4: a tab" "$tmp/err"; then pass gen-tab; else fail gen-tab "$(cat "$tmp/err")"; fi
printf 'X (CMS): %080d\n' 0 > "$tmp/g/help/X.txt"
if awk -f cms/sysfiles.awk "$tmp/g/help/X.txt" > /dev/null 2> "$tmp/err"; then fail gen-long "a long line accepted"
elif grep -q "X.txt:1: line of 89 characters: at most 72" "$tmp/err"; then pass gen-long; else fail gen-long "$(cat "$tmp/err")"; fi
printf 'x\n' > "$tmp/g/help/lower.txt"
if awk -f cms/sysfiles.awk "$tmp/g/help/lower.txt" > /dev/null 2> "$tmp/err"; then fail gen-name "a lower-case name accepted"
elif grep -q "lower.txt:0: the name" "$tmp/err"; then pass gen-name; else fail gen-name "$(cat "$tmp/err")"; fi

# 7. A 190 too small for the files: vmlab still starts (the disk stays
# an empty CMS disk), and vmlab disk sysfiles says why.
mkdir "$tmp/tiny"
cat > "$tmp/tiny/dir.yaml" <<'YAML'
users:
  - id: MAINT
    storage: 1M
    class: G
    ipl: CMS
    mdisks:
      - { addr: 190, file: tiny.disk, start: 0, blocks: 16 }
      - { addr: 191, file: m.disk, start: 0, blocks: 100 }
YAML
out=$(printf 'LOGON MAINT\nIPL CMS\nQUERY DISK\n' |
      "$VMLAB" cp --directory "$tmp/tiny/dir.yaml" --state "$tmp/tiny" 2>&1)
got=$(files "$tmp/tiny/tiny.disk")
if [ "$got" = 0 ] && echo "$out" | grep -q '^MAI190 190 S   R/O  *512  *0 '; then pass tiny-disk
else fail tiny-disk "$got files; $(echo "$out" | tail -4)"; fi
if "$VMLAB" disk sysfiles "$tmp/tiny/tiny.disk" 2> "$tmp/err"; then fail tiny-sysfiles "no error"
elif grep -q "no 2 free blocks\|full" "$tmp/err"; then pass tiny-sysfiles
else fail tiny-sysfiles "$(cat "$tmp/err")"; fi
