#!/bin/sh
# The CMS EXEC interpreter (cms/exec.s) beyond the golden session
# (tests/golden/cms_exec.vml):
#   - a loop without end stops after 100000 statements with DMSEXT072E,
#     and CMS goes on (it takes too many simulated cycles per input line
#     for a golden transcript to stay in step)
#   - guest instructions per EXEC statement, for a simple counting loop
#   - random EXEC files: CMS may refuse them, but never stops or hangs
VMLAB=${VMLAB:-build/vmlab}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
disk=$dir/s/ALICE.191.disk
mkdir "$dir/s"
"$VMLAB" disk create "$disk" 1024 >/dev/null &&
"$VMLAB" disk format "$disk" ALC191 >/dev/null || { echo "FAIL cms-exec: disk setup"; exit 0; }
put() { # put NAME: stdin becomes "NAME EXEC" on ALICE's 191
	cat > "$dir/f"
	"$VMLAB" disk put "$disk" "$dir/f" "$1 exec" >/dev/null
}
session() { # session LINES...: ALICE IPLs CMS and types the lines
	printf 'LOGON ALICE\nIPL CMS\n'
	for l in "$@"; do printf '%s\n' "$l"; done
	printf 'LOGOFF\n'
}

# 1. a loop without end
printf '* A LOOP WITHOUT END\n-AGAIN &GOTO -AGAIN\n' | put runaway
session RUNAWAY 'LISTFILE RUNAWAY EXEC' | timeout 120 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
if grep -q '^DMSEXT072E Error in EXEC file RUNAWAY, line 2 - more than 100000 statements run' "$dir/out" &&
   grep -q '^R(00806);$' "$dir/out" && grep -q '^RUNAWAY  EXEC     A1$' "$dir/out"; then
	echo "PASS cms-exec-runaway"
else
	echo "FAIL cms-exec-runaway: $(grep -e DMS -e 'R(' "$dir/out" | tr '\n' '|')"
fi

# 1b. a program check in CMS itself while an EXEC runs (CP STOP, a
#    PSW into nowhere, BEGIN) takes CMS back to its ready loop without
#    ending the EXEC: the next EXEC must still get all of EXECBUF (DEEP
#    nests as deep as before)
printf '&CONTROL OFF\n&D = &1 + 1\nDEEP &D\n&IF &RETCODE = 104 &TYPE DEEPEST: &1\n' | put deep
session 'DEEP 1' RUNAWAY '#CP STOP' '#CP STORE PSW 00000000 00000300' '#CP BEGIN' 'DEEP 1' |
	timeout 120 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
deepest=$(grep '^DEEPEST: ' "$dir/out" | uniq)
if grep -q 'in CMS itself; CMS goes on' "$dir/out" &&
   [ "$(grep -c '^DEEPEST: ' "$dir/out")" = 2 ] && [ "$(echo "$deepest" | wc -l)" = 1 ]; then
	echo "PASS cms-exec-after-program-check"
else
	echo "FAIL cms-exec-after-program-check: $(grep -e DMS -e DEEPEST "$dir/out" | tr '\n' '|')"
fi

# 2. instructions per statement: COUNT n runs 2 + 2n statements; two
#    sessions that differ only in n give the cost of 2 x 1000 of them
printf '&CONTROL OFF\n&I = 0\n-LOOP &I = &I + 1\n&IF &I < &1 &GOTO -LOOP\n&TYPE COUNTED TO &I\n' | put count
instr() {
	session "COUNT $1" | "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
	grep -q "^COUNTED TO $1\$" "$dir/out" || { echo "FAIL cms-exec-count: COUNT $1: $(tr '\n' '|' < "$dir/out")" >&2; echo 0; return; }
	sed -n 's/.*INSTR= \([0-9]*\).*/\1/p' "$dir/out"
}
a=$(instr 100)
b=$(instr 1100)
per=$(( (b - a) / 2000 ))
if [ "$a" -gt 0 ] && [ "$b" -gt "$a" ] && [ $per -lt 2000 ]; then
	echo "PASS cms-exec-speed: $per guest instructions per statement (-LOOP &I = &I + 1 / &IF &I < &1 &GOTO -LOOP)"
else
	echo "FAIL cms-exec-speed: $a and $b instructions, $per per statement"
fi

# 3. random EXEC files
awk 'BEGIN {
	srand(4);
	n = split("&TYPE &IF &GOTO -L1 -L2 &A &B = + - 1 -7 999999999 &1 &2 &0 TOP &SKIP &EXIT &ERROR &CONTROL ALL OFF ERROR &CONTINUE STATE X Y EXEC F1 F2 &RETCODE &INDEX EQ < > LE ¬= . * & && &&& &ZZZZZZZZZZ &ARGS &BEGTYPE &END MSG NOPACK &LENGTH &SUBSTR &CONCAT &DATATYPE &LOOP &LOOP 2 -L2 &I &I", w, " ");
	for (f = 1; f <= 60; f++) {
		file = "'"$dir"'/fuzz" f;
		lines = 1 + int(rand() * 12);
		for (l = 0; l < lines; l++) {
			k = int(rand() * 9);
			s = "";
			for (i = 0; i < k; i++) {
				if (rand() < 0.05)
					s = s sprintf("%c", 1 + int(rand() * 255));
				else
					s = s w[1 + int(rand() * n)];
				if (rand() < 0.9)
					s = s " ";
			}
			print s > file;
		}
		close(file);
	}
}'
cmds=""
f=1
while [ $f -le 60 ]; do
	put "f$f" < "$dir/fuzz$f"
	cmds="$cmds F$f ARG"
	f=$((f + 1))
done
# shellcheck disable=SC2086
session $cmds | timeout 300 "$VMLAB" cp --state "$dir/s" > "$dir/out" 2>&1
rc=$?
[ -n "${KEEP:-}" ] && cp "$dir/out" "$KEEP"   # KEEP=file: keep the transcript
if [ $rc -eq 0 ] && ! grep -q 'DISABLED WAIT' "$dir/out" && grep -q '^CONNECT=' "$dir/out"; then
	echo "PASS cms-exec-random (60 random EXEC files)"
else
	echo "FAIL cms-exec-random: status $rc: $(grep -m3 -e WAIT -e rror "$dir/out" | tr '\n' '|')"
fi
