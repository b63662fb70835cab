#!/bin/sh
# vmlab contrast: the VL32 side's exits are exact (simulated, deterministic);
# the x86 side either ran under KVM or says why not -- never silently.
VMLAB=${VMLAB:-build/vmlab}
out=$("$VMLAB" contrast --iterations 1000 2>&1)
rc=$?
vl32() { # vl32 NAME WORKLOAD TEXT: the VL32 "by kind" line of WORKLOAD has TEXT
	line=$(echo "$out" | sed -n "/^workload $2:/,/^why:/p" | grep "by kind (VL32)")
	if echo "$line" | grep -q "$3"; then echo "PASS contrast-$1"; else echo "FAIL contrast-$1: '$line' lacks '$3'"; fi
}
if [ $rc -eq 0 ]; then echo "PASS contrast-runs"; else echo "FAIL contrast-runs: exit $rc"; fi
vl32 compute compute "privileged 1$"
vl32 console console "privileged 1001 io-insn 1000 io-interrupt 1000"
vl32 privops privops "privileged 6001"
vl32 ptchange ptchange "privileged 1003 translation 3001"
n=$(echo "$out" | grep -c "x86 side not run\|by kind (x86")
if [ "$n" -eq 4 ]; then echo "PASS contrast-x86-accounted"; else echo "FAIL contrast-x86-accounted: $n of 4"; fi
