#!/bin/sh
# tests/kvm/suite.sh -- the host-kvm tests, one PASS/FAIL line each.
#
# Runs the same way on a machine with /dev/kvm and inside the nested
# harness (busybox sh, no other tools), so it is plain POSIX sh.
#   VMLAB    the vmlab binary (`vmlab kvm ...`)
#   GUESTS   the folder of built-in guests (*.bin)
#   DAMAGED  the folder of damaged images, DAMAGED_LIST their table
#   KERNEL, INITRD  a bzImage and an initramfs for the Linux boot
#   TAG      prefix of each test name ("native-", "nested-")
#   FLAT=1   run the flat-guest tests;  LINUX=1  boot Linux
#   SECCOMP  "" or "--no-seccomp"
#   SKIP_PAGED  a reason not to run the 32-bit paging guest
#   LINUX_APPEND  more kernel arguments for the Linux guest
#   VMLAB_FULL  the whole vmlab (console, bench), or "": those tests SKIP
#   BENCH_DIR   where tests/bench/fib.s is, for `vmlab bench`
set -u
: "${TAG:=}" "${FLAT:=1}" "${LINUX:=0}" "${SECCOMP:=}" "${DAMAGED:=}"
export VMLAB_KVM_GUESTS="$GUESTS"
out=${TMPDIR:-/tmp}/vmlab-kvm-suite.$$
trap 'rm -f "$out"' EXIT

pass() { echo "PASS $TAG$1"; }
fail() {
	echo "FAIL $TAG$1: $2"
	sed -n '1,40p' "$out" | sed 's/^/    | /'
}

# expect NAME STATUS TEXT CMD...: run CMD, want exit STATUS and TEXT in
# its output (stdout and stderr together).
expect() {
	name=$1 want=$2 text=$3
	shift 3
	"$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit status $rc, wanted $want"
	elif ! grep -qF -- "$text" "$out"; then
		fail "$name" "no '$text' in the output"
	else
		pass "$name"
	fi
}

# count KIND-OR-DETAIL: the number after a --stats line's name in $out
stat() { sed -n "s/^ *$1  *\([0-9][0-9]*\).*/\1/p" "$out" | head -1; }

if [ "$FLAT" = 1 ]; then
	expect mode-real 0 "real mode: ok" $VMLAB kvm run real $SECCOMP --timeout 30
	expect mode-prot 0 "protected mode: ok" $VMLAB kvm run prot $SECCOMP --timeout 30
	if [ -n "${SKIP_PAGED:-}" ]; then
		echo "SKIP ${TAG}mode-paged: $SKIP_PAGED"
	else
		expect mode-paged 0 "paged mode: ok" $VMLAB kvm run paged $SECCOMP --timeout 30
	fi
	expect mode-long 0 "long mode: ok" $VMLAB kvm run long $SECCOMP --timeout 30
	expect triple-fault 3 "shutdown (triple fault)" $VMLAB kvm run triple $SECCOMP --timeout 30
	expect bad-port-io 0 "badio: ok" $VMLAB kvm run badio $SECCOMP --timeout 30
	expect workload-compute 0 "compute: iterations 0x00000000000003e8" \
		$VMLAB kvm run compute --arg 1000 $SECCOMP --timeout 60
	expect workload-privops 0 "privops: iterations 0x00000000000003e8" \
		$VMLAB kvm run privops --arg 1000 $SECCOMP --timeout 60
	expect workload-ptchange 0 "iterations 0x00000000000003e8 mismatches 0x0000000000000000" \
		$VMLAB kvm run ptchange --arg 1000 $SECCOMP --timeout 60

	# The console workload: 200 bytes plus a newline through COM1's data
	# port, each one exit to user space, counted by port.
	expect workload-console 0 "console: iterations 0x00000000000000c8" \
		$VMLAB kvm run console --arg 200 --stats $SECCOMP --timeout 60
	n=$(stat "0x3f8 com1 data")
	if [ "${n:-0}" = 201 ]; then pass stats-port-count
	else fail stats-port-count "com1 data exits: '${n:-none}', wanted 201"; fi
	n=$(stat "HLT")
	if [ "${n:-0}" = 1 ]; then pass stats-hlt
	else fail stats-hlt "HLT exits: '${n:-none}', wanted 1"; fi
	if grep -q "in-kernel counters (KVM_GET_STATS_FD" "$out" &&
	   [ "$(stat exits)" -ge 201 ] 2>/dev/null; then pass stats-kernel
	else fail stats-kernel "no in-kernel 'exits' counter >= 201"; fi

	# seccomp: the filter is really on (a forbidden call is caught),
	# and --no-seccomp really turns it off.
	if $VMLAB kvm run long --seccomp-selftest 2>&1 | grep -q "seccomp left off"; then
		echo "SKIP ${TAG}seccomp-blocks: this vmlab is a sanitizer build, without seccomp"
	elif [ -z "$SECCOMP" ]; then
		expect seccomp-blocks 70 "seccomp blocked system call" \
			$VMLAB kvm run long --seccomp-selftest --timeout 30
		expect seccomp-off 0 "seccomp self-test: open() allowed" \
			$VMLAB kvm run long --seccomp-selftest --no-seccomp --timeout 30
	fi
	expect timeout 4 "guest timeout" $VMLAB kvm run compute --arg 100000000000 \
		$SECCOMP --timeout 1
	expect no-such-guest 1 "no guest file or built-in guest" $VMLAB kvm run nosuch
	expect flat-needs-mode 2 "say which mode" $VMLAB kvm run "$GUESTS/long.bin"
	head -c 70000 /dev/zero > "$out.big"
	expect flat-too-big 1 "do not fit" $VMLAB kvm run "$out.big" --mode real
	rm -f "$out.big"
fi

# Damaged images: a clear one-line error and exit status 1, never a
# crash.  No KVM needed: images are checked before /dev/kvm is opened.
if [ -n "$DAMAGED" ] && [ -f "$DAMAGED_LIST" ]; then
	grep -v '^#' "$DAMAGED_LIST" | while IFS='|' read -r name st text; do
		[ -n "$name" ] || continue
		expect "damaged-$name" "$st" "$text" \
			$VMLAB kvm boot "$DAMAGED/$name.img" --mem 32
	done
	expect damaged-check-sects-zero 0 "setup 4 sectors" \
		$VMLAB kvm check "$DAMAGED/setup-sects-zero.img"
	long=$(head -c 5000 /dev/zero | tr '\0' 'x')
	expect cmdline-too-long 1 "command line of 5000 bytes" \
		$VMLAB kvm boot "$KERNEL" --append "$long"
	expect initrd-too-big 1 "does not fit between the kernel" \
		$VMLAB kvm boot "$KERNEL" --initrd "$KERNEL" --mem 64
fi

# Linux: boot Debian's kernel to its init, then type a command at the
# guest's shell through the UART and reboot it.
if [ "$LINUX" = 1 ]; then
	name=linux-boot
	boot_linux() {
		printf 'echo hel""lo-$((6*7))\nreboot -f\n' |
			$VMLAB kvm boot "$KERNEL" --initrd "$INITRD" \
				--append "console=ttyS0 quiet reboot=k panic=-1 ${LINUX_APPEND:-}" \
				--mem 256 --stats $SECCOMP \
				--timeout ${LINUX_TIMEOUT:-120} >"$out" 2>&1
	}
	boot_linux
	rc=$?
	if [ $rc != 0 ]; then fail $name "exit status $rc"
	elif ! grep -q "vmlab-guest: init reached" "$out"; then
		fail $name "the guest's init never ran"
	else pass $name; fi
	# Linux found the I/O APIC in vmlab's ACPI tables (host-kvm/acpi.c).
	if grep -q "serial irq:.*IO-APIC" "$out"; then pass linux-ioapic
	else fail linux-ioapic "the console's IRQ 4 is not on the I/O APIC: $(grep 'serial irq' "$out")"; fi
	if grep -q "^hello-42" "$out"; then pass linux-shell-command
	else fail linux-shell-command "no 'hello-42' from the guest shell"; fi
	if grep -q "guest reset (i8042 reset line)" "$out"; then pass linux-reboot
	else fail linux-reboot "the guest did not end with a reset"; fi
	n=$(stat "0x3f8 com1 data")
	if [ "${n:-0}" -gt 100 ] 2>/dev/null; then pass linux-stats
	else fail linux-stats "com1 data exits: '${n:-none}'"; fi
	# The boot's exit table, for the record.
	sed -n '/^exits to user space/,$p' "$out"
	echo "linux boot: $(grep -c . "$out") lines of output"
fi

# The whole vmlab: bench --json's x86 entries, and KVM BOOT at the CP
# console with its keyboard from a script (the lines up to #CP).
if [ -n "${VMLAB_FULL:-}" ] && [ "$FLAT" = 1 ]; then
	expect bench-json 0 '"name": "kvm-console", "mode": "kvm"' \
		$VMLAB_FULL bench --json --bare --dir "${BENCH_DIR:-tests/bench}" fib
	if grep -q '"name": "kvm-console", "mode": "kvm", "guest_mode": "long", "iterations": 10000, .*"exits_to_vmlab": 1[0-9][0-9][0-9][0-9], .*"ok": true' "$out" &&
	   grep -q '"name": "kvm-paged", .*\("ok": true\|"skipped"\)' "$out" &&
	   ! grep -q '"ok": false' "$out"; then pass bench-json-kvm
	else fail bench-json-kvm "no kvm-console entry with 10000+ exits, or a run failed"; fi
	# For the record (in the harness's log, not the test output).
	grep '"mode": "kvm"' "$out" | sed 's/^ */bench-json: /'
	# vmlab contrast with both columns: each of the four workloads ran
	# as an x86 guest too (a "by kind (x86)" line, no "not run").
	expect contrast-both 0 "workload ptchange:" $VMLAB_FULL contrast --iterations 1000 all
	if [ "$(grep -c 'by kind (x86' "$out")" = 4 ] && ! grep -q "x86 side not run" "$out"; then
		pass contrast-both-sides
	else fail contrast-both-sides "$(grep -c 'by kind (x86' "$out") of 4 workloads ran under KVM"; fi
	sed 's/^/contrast: /' "$out"
elif [ "$FLAT" = 1 ]; then
	echo "SKIP ${TAG}bench-json: no static build of the whole vmlab (see build/host-kvm/vmlab-full-static.log)"
fi
if [ -n "${VMLAB_FULL:-}" ] && [ "$LINUX" = 1 ]; then
	st=${TMPDIR:-/tmp}/vmlab-kvm-state.$$
	printf '%s\n' \
		"KVM BOOT $KERNEL INITRD $INITRD TIMEOUT 120 APPEND 'console=ttyS0 quiet reboot=k panic=-1'" \
		'echo hel""lo-$((6*7))' 'reboot -f' '#CP KVM STATS' 'QUERY TIME' |
		$VMLAB_FULL --no-ipl --state "$st" >"$out" 2>&1
	rm -rf "$st"
	if grep -q "^hello-42" "$out"; then pass console-kvm-boot
	else fail console-kvm-boot "no 'hello-42' from the guest's shell at the CP console"; fi
	if grep -q "X86 LINUX GUEST ENDED (reset (i8042 reset line))" "$out" &&
	   grep -q "in-kernel counters" "$out" && grep -q "^TIME IS" "$out"; then
		pass console-kvm-boot-back-to-cp
	else fail console-kvm-boot-back-to-cp "no reset, KVM STATS table or QUERY TIME answer after the guest"; fi
	sed -n '1,/^in-kernel counters/p' "$out" | sed 's/^/console: /'
	# On a terminal: the keys go to the guest, Ctrl-C is the attention
	# key (the guest stops, CP reads again).  ptyrun is a tiny expect.
	if command -v ptyrun >/dev/null 2>&1; then
		ptyrun -t 120 'wait:==> ' \
			"send:KVM BOOT $KERNEL INITRD $INITRD APPEND 'console=ttyS0 quiet panic=-1'\\r" \
			'wait:shell ready' 'send:echo hel""lo-$((6*7))\r' 'wait:hello-42' \
			'intr' 'wait:stopped by attention' 'send:QUERY TIME\r' 'wait:TIME IS' \
			-- $VMLAB_FULL --no-ipl --state "$st" >"$out" 2>&1
		rc=$?
		rm -rf "$st"
		if [ $rc = 0 ] && grep -q "X86 LINUX GUEST ENDED (stopped by attention (Ctrl-C))" "$out"; then
			pass console-kvm-boot-terminal
		else fail console-kvm-boot-terminal "ptyrun status $rc; $(grep ptyrun: "$out")"; fi
	else
		echo "SKIP ${TAG}console-kvm-boot-terminal: no ptyrun (tests/kvm/ptyrun.c) here"
	fi
elif [ "$LINUX" = 1 ]; then
	echo "SKIP ${TAG}console-kvm-boot: no static build of the whole vmlab"
fi
exit 0
