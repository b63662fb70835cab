#!/bin/sh
# Determinism: the same program gives the same instruction trace, byte for
# byte (a hash over every instruction executed, its address and the
# registers after it), however busy the host is.  Two different programs
# must not give the same hash, or the hash would prove nothing.
VMLAB=${VMLAB:-build/vmlab}
for t in tests/arch/timer.s tests/arch/io_disk.s tests/arch/dat_basic.s; do
	name=$(basename "$t" .s)
	a=$("$VMLAB" run "$t" --trace-hash --quiet | grep '^trace hash')
	b=$("$VMLAB" run "$t" --trace-hash --quiet | grep '^trace hash')
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		echo "PASS determinism-$name"
	else
		echo "FAIL determinism-$name: '$a' then '$b'"
	fi
done
x=$("$VMLAB" run tests/arch/timer.s --trace-hash --quiet | grep '^trace hash')
y=$("$VMLAB" run tests/arch/io_disk.s --trace-hash --quiet | grep '^trace hash')
if [ "$x" != "$y" ]; then
	echo "PASS determinism-distinct"
else
	echo "FAIL determinism-distinct: two programs gave the same hash"
fi
