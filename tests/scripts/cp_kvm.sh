#!/bin/sh
# KVM RUN and KVM STATS at the CP console: an x86 guest on Linux KVM,
# its exits accounted; or, where KVM is not usable, a clear message.
VMLAB=${VMLAB:-build/vmlab}
state=$(mktemp -d)
out=$(printf 'LOGON ALICE\nKVM RUN privops 100\nKVM STATS\nKVM RUN nosuch\nLOGOFF\n' |
	"$VMLAB" cp --state "$state" 2>&1)
rm -rf "$state"
if echo "$out" | grep -q "HCPKVM041E KVM IS NOT USABLE HERE"; then
	echo "SKIP cp-kvm-run: no usable /dev/kvm (the nested harness tests KVM)"
elif echo "$out" | grep -q "X86 GUEST privops ENDED" &&
     echo "$out" | grep -q "in-kernel counters" && echo "$out" | grep -q "^io-insn"; then
	echo "PASS cp-kvm-run"
else
	echo "FAIL cp-kvm-run: $out"
fi
if echo "$out" | grep -q "HCPKVM040E NO BUILT-IN X86 GUEST nosuch"; then
	echo "PASS cp-kvm-unknown-guest"
else
	echo "FAIL cp-kvm-unknown-guest: $out"
fi
