#!/bin/sh
# Spool files outlive a session: what ALICE punches to BOB in one run of
# `vmlab cp` is in BOB's reader in the next run on the same state folder.
VMLAB=${VMLAB:-build/vmlab}
state=$(mktemp -d)
printf 'LOGON ALICE\nSPOOL PUN TO BOB\nIPL HELLO\nCLOSE PUN\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" > /dev/null 2>&1
out=$(printf 'LOGON BOB\nIPL CARDS\nLOGOFF\n' | "$VMLAB" cp --state "$state" 2>&1)
if echo "$out" | grep -q 'FILES: 0001 RDR' && echo "$out" | grep -q 'HELLO FROM A VL32 GUEST: CARD 1'; then
	echo "PASS cp-spool-persists"
else
	echo "FAIL cp-spool-persists: second session said:"
	echo "$out"
fi
rm -rf "$state"
