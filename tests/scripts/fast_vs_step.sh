#!/bin/sh
# The interpreter has a fast loop and a full one (sim/cpu_exec.inc);
# --trace runs every instruction through the full loop, one at a time.
# Simulated time must not depend on which loop ran an instruction: an
# instruction the fast loop hands over half way (a TLB miss, an
# exception) must be charged once, not once per loop.  So every
# architecture test must end after the same instructions AND cycles
# either way.
VMLAB=${VMLAB:-build/vmlab}
for f in tests/arch/*.s; do
	case $f in */lib.s) continue ;; esac
	name=$(basename "$f" .s)
	fast=$("$VMLAB" run "$f" </dev/null 2>&1 | grep -o "after [0-9]* instructions, [0-9]* cycles")
	step=$("$VMLAB" run --trace "$f" </dev/null 2>&1 | grep -o "after [0-9]* instructions, [0-9]* cycles")
	if [ -n "$fast" ] && [ "$fast" = "$step" ]; then
		echo "PASS fast-vs-step-$name"
	else
		echo "FAIL fast-vs-step-$name: fast '$fast', single-stepped '$step'"
	fi
done
