#!/bin/sh
# Programs that would hang a real machine stop the simulator with a
# message instead (bare machine), or stay inside the guest (under CP).
VMLAB=${VMLAB:-build/vmlab}
check() { # check NAME SUBCOMMAND PROGRAM EXPECTED-TEXT
	out=$(timeout 60 "$VMLAB" $2 "$3" 2>&1)
	rc=$?
	if [ $rc -ne 124 ] && echo "$out" | grep -q "$4"; then
		echo "PASS $1"
	else
		echo "FAIL $1: exit $rc, said: $out"
	fi
}
check bare-timer-storm run tests/progs/timer_storm.s "interruption loop"
check bare-pgm-loop run tests/progs/pgm_loop.s "program interruption loop"
check cp-timer-storm guest tests/progs/timer_storm.s "interruption loop under CP"
check cp-pgm-loop "guest --max-instructions 1000000" tests/progs/pgm_loop.s "did not finish"
