#!/bin/sh
# Robustness: what a student types and what an instructor writes, at
# random and at the edges.  vmlab may refuse any of it, with a message,
# but never crash, hang or stop CMS.  Run under `make test SAN=1` too,
# where tests/run.sh counts any sanitizer report as a failure.
#   1. random lines typed at CMS's prompt (commands with odd operands,
#      EDIT and its input mode, printable junk, very long lines): CMS
#      answers every one and still answers R; at the end
#   1b. random CP commands from the command table, by several users:
#      CP answers each, and still answers at the end
#   2. `vmlab disk put` of odd host files: empty, blank lines only (many:
#      the record conversion must stay linear), CR LF, NULs, no final
#      newline, binary, damaged program images, a folder, too long a
#      line; the image stays consistent (`disk list`) and what was put
#      comes back (`disk get`)
#   3. lessons whose setup.files are random: `lesson check` and `lesson
#      auto` end with a file:line:col message or pass, nothing else
VMLAB=${VMLAB:-build/vmlab}
export VMLAB
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "PASS robust-$1"; }
no() { echo "FAIL robust-$1: $2"; }

# 1. random lines at CMS's prompt ------------------------------------
# gen.awk -v seed=N -v n=LINES: what a student might type
cat > "$dir/gen.awk" <<'EOF'
BEGIN {
	srand(seed);
	nc = split("LISTFILE TYPE ERASE QUERY CP STATE RENAME COPYFILE ACCESS FORMAT RELEASE SET PRINT PUNCH READCARD LOAD START RUN EXEC EDIT LISTF L T E Q EX PR PU READ REL ACC COPY REN ST ARGS HELP H SAMPLE", cmd, " ");
	na = split("* A B C S Z HELLO TEXT PROFILE EXEC ARGS 191 190 192 DISK DISKIO SIO DIAG ( ) = & &1 &TYPE &IF &GOTO -LOOP &EXIT &CONTROL OFF ON ALL REPLACE APPEND NEW 0 1 -1 99999999999 4294967296 2147483648 X'FF' A1 A0 S2 TOP BOTTOM NEXT UP LOCATE CHANGE DELETE INPUT FILE SAVE QUIT QQUIT VERIFY CASE M U HELP / /X/Y/ /// 80 F V LRECL RECFM", arg, " ");
	for (i = 0; i < n; i++) {
		r = rand();
		s = "";
		if (r < 0.55) {          # a command and up to five operands
			s = cmd[int(rand() * nc) + 1];
			k = int(rand() * 6);
			for (j = 0; j < k; j++) s = s " " arg[int(rand() * na) + 1];
		} else if (r < 0.75) {   # operands alone (in EDIT: subcommands)
			k = int(rand() * 12);
			for (j = 0; j < k; j++) s = s (j ? " " : "") arg[int(rand() * na) + 1];
		} else if (r < 0.9) {    # printable junk, now and then too long
			k = rand() < 0.2 ? int(rand() * 300) : int(rand() * 40);
			for (j = 0; j < k; j++) s = s sprintf("%c", 32 + int(rand() * 95));
		}                        # else an empty line (leaves input mode)
		print s;
	}
}
EOF
mkdir "$dir/base"
if ! sh tests/golden/cms_exec.setup "$dir/base" > /dev/null 2>&1; then
	no cms-random "disk setup failed"
else
	bad=0
	for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
		rm -rf "$dir/s" && cp -r "$dir/base" "$dir/s"
		{
			printf 'LOGON ALICE\nIPL CMS\n'
			awk -v seed=$seed -v n=60 -f "$dir/gen.awk"
			# out of EDIT, whatever mode it was left in
			printf '\nQQUIT\n\nQQUIT\n\nQQUIT\nQUERY DISK A\nLOGOFF\n'
		} > "$dir/in"
		timeout 300 "$VMLAB" cp --state "$dir/s" < "$dir/in" > "$dir/out" 2>&1
		rc=$?
		# the status is 1 when a CP command failed (random lines do)
		answered=$(awk '/^> QUERY DISK A$/ { m = 1; next } m && /^R[;(]/ { print "y"; exit }' "$dir/out")
		if [ $rc -gt 1 ] || grep -q 'DISABLED WAIT' "$dir/out" || [ "$answered" != y ]; then
			no cms-random "seed $seed: status $rc: $(tail -4 "$dir/out" | tr '\n' '|')"
			bad=1
		fi
	done
	[ $bad = 0 ] && ok "cms-random (12 sessions of 60 random lines)"
fi

# 1b. random CP commands -----------------------------------------------
# Every command in cp/cmdtab.def, whole or abbreviated, with operands
# drawn from what CP's commands take (users, addresses, link modes,
# ranges, spool classes, trace kinds), by several users in turn.
cmds=$(sed -n 's/^CP_COMMAND("\([A-Z]*\)".*/\1/p' cp/cmdtab.def | grep -v '^SHUTDOWN$' | tr '\n' ' ')
bad=0
for seed in 1 2 3 4 5 6 7 8; do
	rm -rf "$dir/c" && mkdir "$dir/c"
	awk -v seed=$seed -v cmds="$cmds" 'BEGIN {
		srand(seed);
		nc = split(cmds, cmd, " ");
		na = split("ALICE BOB CAROL MAINT OPERATOR * 191 190 192 19F 0 FFFF 10000 R W M RR MW TO AS PASS= PASS=X ALL OFF ON CMS DEMO HELLO LOOP PSW R0 R15 R0-R15 CR0 CR0-CR2 0-FFFFFFFF 100.10 I 400 X\047FF\047 2M 64K 16M 0K 99999999999 RDR PUN PRT 00C 00D 00E TIME DASD LINKS VIRTUAL NAMES USERS FILES SYSTEMS CLASS A Z CONT HOLD PURGE COPY 99 PRIV SVC PGM IO DAT INSTR END EXITS TIMELINE SLICE 7000 -1 ( ) , =", arg, " ");
		print "LOGON ALICE";
		for (i = 0; i < 150; i++) {
			r = rand();
			if (r < 0.05) { print "LOGON " arg[int(rand() * 5) + 1]; continue }
			if (r < 0.08) { print "IPL CMS"; continue }
			c = cmd[int(rand() * nc) + 1];
			if (rand() < 0.4) c = substr(c, 1, int(rand() * length(c)) + 1);
			k = int(rand() * 6);
			for (j = 0; j < k; j++) c = c " " arg[int(rand() * na) + 1];
			print c;
		}
		print "#CP"; print "QUERY NAMES";
	}' > "$dir/c.in"
	timeout 300 "$VMLAB" cp --state "$dir/c" < "$dir/c.in" > "$dir/c.out" 2>&1
	rc=$?
	answered=$(awk '/^> QUERY NAMES$/ { m = 1; next } m && !/^> / { print "y"; exit }' "$dir/c.out")
	if [ $rc -gt 1 ] || [ "$answered" != y ]; then
		no cp-random "seed $seed: status $rc: $(tail -4 "$dir/c.out" | tr '\n' '|')"
		bad=1
	fi
done
[ $bad = 0 ] && ok "cp-random (8 sessions of 150 random CP commands)"

# 2. disk put of odd files --------------------------------------------
disk=$dir/d.disk
"$VMLAB" disk create "$disk" 4096 > /dev/null && "$VMLAB" disk format "$disk" ODD > /dev/null ||
	no disk-setup "create/format failed"
# put NAME FILE WANT [--fixed N]: put FILE as "NAME DATA"; WANT is ok
# (it must be stored and come back as written, blank lines as one blank)
# or refused (a message and status 1); either way the image stays sound
put() {
	name=$1 file=$2 want=$3
	shift 3
	timeout 60 "$VMLAB" disk put "$disk" "$file" "$name data" "$@" > "$dir/put.out" 2>&1
	rc=$?
	if ! "$VMLAB" disk list "$disk" > /dev/null 2> "$dir/list.err"; then
		no "put-$name" "the image is damaged: $(cat "$dir/list.err")"
	elif [ "$want" = refused ]; then
		if [ $rc = 1 ] && grep -q '^vmlab disk: ' "$dir/put.out"; then
			ok "put-$name-refused"
		else
			no "put-$name-refused" "status $rc: $(head -c 300 "$dir/put.out")"
		fi
	elif [ $rc != 0 ]; then
		no "put-$name" "status $rc: $(head -c 300 "$dir/put.out")"
	elif ! "$VMLAB" disk get "$disk" "$name data" "$dir/got" 2> "$dir/get.err"; then
		no "put-$name" "get: $(cat "$dir/get.err")"
	elif ! cmp -s "$dir/got" "$want"; then
		no "put-$name" "came back different: $(head -c 100 "$dir/got" | od -c | head -2 | tr '\n' '|')"
	else
		ok "put-$name"
	fi
}
: > "$dir/empty"
put empty "$dir/empty" "$dir/empty"
# 200000 empty lines: one blank record each.  The conversion grew its
# buffer with a realloc per line; under AddressSanitizer (every realloc
# copies) this took many minutes.
awk 'BEGIN { for (i = 0; i < 200000; i++) print "" }' > "$dir/blank"
awk 'BEGIN { for (i = 0; i < 200000; i++) print " " }' > "$dir/blank.want"
put blank "$dir/blank" "$dir/blank.want"
printf 'ONE\r\nTWO\r\n' > "$dir/crlf"
printf 'ONE\nTWO\n' > "$dir/crlf.want"
put crlf "$dir/crlf" "$dir/crlf.want"
printf 'NO FINAL NEWLINE' > "$dir/nofinal"
printf 'NO FINAL NEWLINE\n' > "$dir/nofinal.want"
put nofinal "$dir/nofinal" "$dir/nofinal.want"
printf 'A\000B\nC\000\n' > "$dir/nul"
put nul "$dir/nul" "$dir/nul"
awk 'BEGIN { srand(3); for (i = 0; i < 3000; i++) printf "%c", int(rand() * 255) + 1; print "" }' |
	tr '\n' 'x' > "$dir/binary"
printf '\n' >> "$dir/binary"
put binary "$dir/binary" "$dir/binary"
awk 'BEGIN { s = "x"; while (length(s) < 65536) s = s s; print s }' > "$dir/wide"
put wide "$dir/wide" refused
printf 'SHORT\n' > "$dir/short"
put fixed0 "$dir/short" refused --fixed 0
put fixedbig "$dir/short" refused --fixed 65536
put folder "$dir/base" refused
put missing "$dir/no such file" refused
# a program image with damage at every tenth byte of its header and
# first segment: stored as a MODULE only when whole, refused otherwise
cat > "$dir/p.s" <<'EOF'
         ORG   X'C0000'
BEGIN    LA    R1,1
         LA    R2,2
         BR    R14
         END   BEGIN
EOF
if "$VMLAB" asm "$dir/p.s" -o "$dir/p.img" > /dev/null 2>&1; then
	size=$(wc -c < "$dir/p.img")
	bad=0
	for off in $(seq 0 3 $((size - 1))); do
		cp "$dir/p.img" "$dir/q.img"
		printf '\377' | dd of="$dir/q.img" bs=1 seek=$off conv=notrunc 2> /dev/null
		timeout 60 "$VMLAB" disk put "$disk" "$dir/q.img" "Q MODULE" > "$dir/put.out" 2>&1
		rc=$?
		if [ $rc -gt 1 ] || ! "$VMLAB" disk list "$disk" > /dev/null 2>&1; then
			no put-damaged-image "offset $off: status $rc: $(head -c 200 "$dir/put.out")"
			bad=1
		fi
		head -c $off "$dir/p.img" > "$dir/t.img"
		timeout 60 "$VMLAB" disk put "$disk" "$dir/t.img" "T MODULE" > "$dir/put.out" 2>&1
		rc=$?
		if [ $rc -gt 1 ]; then
			no put-truncated-image "$off bytes: status $rc: $(head -c 200 "$dir/put.out")"
			bad=1
		fi
	done
	[ $bad = 0 ] && ok "put-damaged-images ($size bytes, every third damaged, every cut)"
else
	no put-damaged-image "vmlab asm failed"
fi

# 3. lessons with random setup.files ----------------------------------
# Each file item is right with odds 2 in 3 for every key, so that some
# lessons load and are played (their files written) and the rest fail
# at one key or another.
cat > "$dir/lesson.awk" <<'EOF'
function pick(list,    n, a) {
	n = split(list, a, "|");
	return rand() < 0.67 ? a[1] : a[int(rand() * n) + 1];
}
function text(    r, s, k, j) {
	r = rand();
	if (r < 0.1) return "\"\"";
	if (r < 0.2) return "\"\\n\\n\\n\"";
	if (r < 0.3) return "\"A\\0B\"";
	if (r < 0.4) { s = ""; k = int(rand() * 3000); for (j = 0; j < k; j++) s = s "L" j "\\n"; return "\"" s "\""; }
	if (r < 0.5) { s = ""; k = int(rand() * 200); for (j = 0; j < k; j++) s = s "WIDE"; return "\"" s "\""; }
	if (r < 0.6) return "[a, b]";
	if (r < 0.7) return "\"caf\\u00e9\\tTAB\\r\\n\"";
	s = ""; k = int(rand() * 8) + 1;
	for (j = 0; j < k; j++) s = s "LINE " j " OF A FILE\\n";
	return "\"" s "\"";
}
BEGIN {
	srand(seed);
	printf "id: rnd%d\ntitle: random files\nversion: \"1\"\nlevel: beginner\nobjectives: [x]\n", seed;
	print "setup:";
	if (rand() < 0.2) print "  user: " pick("BOB|ALICE|MAINT");
	if (rand() < 0.2) print "  logon: false";
	print "  files:";
	n = int(rand() * 4) + 1;
	for (i = 0; i < n; i++) {
		print "    - disk: " pick("191|A|S|190|192|0|FFF|FFFF|\"-1\"|\" 191\"|z|\"\"|[191]");
		if (rand() < 0.5) print "      user: " pick("ALICE|BOB|MAINT|alice|TOOLONGNAME|X Y|~|{a: 1}");
		if (rand() < 0.95) print "      name: " pick("F" i " TEXT|A|A B C|a.b c|ABCDEFGHI TEXT|\"\"|\"$#@+ -_\"|\"A\\0B C\"");
		if (rand() < 0.4) print "      recfm: " pick("V|F|X|\"\"|f|[F]");
		if (rand() < 0.4) print "      lrecl: " pick("80|0|1|65535|65536|99999999999999|-1|abc|1.5");
		if (rand() < 0.95) print "      text: " text();
	}
	print "steps:\n  - id: s\n    title: t\n    text: t\n    do: [QUERY TIME]";
}
EOF
bad=0
loaded=0
for seed in $(seq 1 40); do
	awk -v seed=$seed -f "$dir/lesson.awk" > "$dir/l.yaml"
	timeout 60 "$VMLAB" lesson check "$dir/l.yaml" > "$dir/c.out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		loaded=$((loaded + 1))
	elif [ $rc != 1 ] || ! grep -q "l.yaml:[0-9]*:[0-9]*: " "$dir/c.out"; then
		no lesson-random-check "seed $seed: status $rc: $(head -c 300 "$dir/c.out")"
		bad=1
	fi
	timeout 300 "$VMLAB" lesson auto "$dir/l.yaml" > "$dir/a.out" 2>&1
	rc=$?
	if [ $rc -gt 1 ]; then
		no lesson-random-auto "seed $seed: status $rc: $(tail -c 300 "$dir/a.out")"
		bad=1
	fi
done
[ $bad = 0 ] && ok "lesson-random-files (40 lessons, $loaded loaded)"
[ $loaded -gt 0 ] && ok lesson-random-some-load || no lesson-random-some-load "none of 40 loaded: the generator only tests errors"
exit 0
