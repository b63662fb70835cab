#!/bin/sh
# The generator of CMS's command names for Tab completion
# (cms/cmdnames.awk): it reads CMDTAB wherever its lines are --
# continued through an INCLUDE, or a second table CMDTAB2 in a module
# file -- and nothing else; a malformed entry or a missing table stops
# the build with file:line:column.  And the table built into vmlab is
# the real CMDTAB.
T=console-cmsnames
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $T-$1"; }
fail() { echo "FAIL $T-$1: $2"; }
gen() { awk -f cms/cmdnames.awk "$1" > "$tmp/out.c" 2> "$tmp/err"; }
names() { sed -n 's/^	{ "\([^"]*\)", \([0-9]*\), .*/\1 \2/p' "$tmp/out.c" | tr '\n' ' '; }

mkdir -p "$tmp/src/mods"
cat > "$tmp/src/nuc.s" <<'EOF'
* A nucleus whose table goes on in an INCLUDEd file.
QTAB     DC    CL8'DISK',F'1',A(QDISK)          ; not a command
CMDTAB   DC    CL8'LISTFILE',F'5',A(CMDLIST)
         DC    CL8'TYPE',F'1',A(CMDTYPE)
* (a comment inside the table)

         INCLUDE 'more.s'
         DC    F'0'
OTHER    DC    CL8'NOTCMD',F'1',A(X)
         INCLUDE 'mods/edit.s'
EOF
cat > "$tmp/src/more.s" <<'EOF'
         DC    CL8'EXEC',F'2',A(CMDEXEC),CL8'PRINT',F'2',A(CMDPRT)
EOF
cat > "$tmp/src/mods/edit.s" <<'EOF'
CMDTAB2  DS    0F
         DC    CL8'EDIT',F'1',A(CMDEDIT)
         DC    F'0'
EOF
if gen "$tmp/src/nuc.s"; then
	got=$(names)
	want="LISTFILE 5 TYPE 1 EXEC 2 PRINT 2 EDIT 1 "
	if [ "$got" = "$want" ]; then
		pass split-tables
	else
		fail split-tables "got '$got', wanted '$want'"
	fi
	if grep -q '"EDIT", 1, "'"$tmp"'/src/mods/edit.s:2"' "$tmp/out.c"; then
		pass where
	else
		fail where "EDIT's line is not named: $(grep EDIT "$tmp/out.c")"
	fi
else
	fail split-tables "the generator failed: $(cat "$tmp/err")"
fi

# A name CMS could not match, a bad minimum, no table at all.
printf "CMDTAB   DC    CL8'LISTFILES',F'5',A(X)\n" > "$tmp/long.s"
if gen "$tmp/long.s"; then
	fail long-name "accepted a 9-character name"
elif grep -q "long.s:1:[0-9]*: CMDTAB name 'LISTFILES'" "$tmp/err"; then
	pass long-name
else
	fail long-name "message: $(cat "$tmp/err")"
fi
printf "CMDTAB   DC    CL8'TYPE',F'0',A(X)\n" > "$tmp/min.s"
if ! gen "$tmp/min.s" && grep -q "min.s:1:[0-9]*: CMDTAB TYPE: minimum" "$tmp/err"; then
	pass bad-minimum
else
	fail bad-minimum "message: $(cat "$tmp/err")"
fi
printf "         DC    F'0'\n" > "$tmp/none.s"
if ! gen "$tmp/none.s" && grep -q "no CMDTAB entry" "$tmp/err"; then
	pass no-table
else
	fail no-table "message: $(cat "$tmp/err")"
fi

# The real source: every CMDTAB line of cms/cms.s is in the table.
if gen cms/cms.s; then
	want=$(awk '/^CMDTAB/ { t = 1 } t && /CL8/ { print } t && !/CL8/ && !/^\*/ && NF { t = 0 }' cms/cms.s |
	       grep -o "CL8'[^']*'" | sed "s/CL8'\(.*\)'/\1/" | tr '\n' ' ')
	got=$(names | awk '{ for (i = 1; i <= NF; i += 2) printf "%s ", $i }')
	case "$got" in
	"$want"*) pass real-cmdtab ;;
	*) fail real-cmdtab "got '$got', cms/cms.s has '$want'" ;;
	esac
else
	fail real-cmdtab "$(cat "$tmp/err")"
fi
