#!/bin/sh
# tests/kvm/bench.sh -- Linux boot time, host-kvm against QEMU -accel kvm.
#
# Run inside the harness's level-1 Linux, where both monitors see the
# same /dev/kvm: the same kernel, initramfs, memory and command line;
# the guest's init reboots as soon as it runs (vmlab.halt), so the time
# is "boot to init".  QEMU gets -no-reboot so a reboot ends it too.
# Times come from /proc/uptime (10 ms).
K=/l2/vmlinuz
I=/l2/initrd.cpio.gz
A="console=ttyS0 quiet reboot=k panic=-1 vmlab.halt"
# vmlab.extra=A,B on the harness's command line: more guest arguments
X=$(sed -n 's/.*vmlab.extra=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
[ -n "$X" ] && A="$A $X"
# vmlab.vmonly: time vmlab alone (looking for a rare hang)
grep -q vmlab.vmonly /proc/cmdline && vmonly=1 || vmonly=0
T=120; [ $vmonly = 1 ] && T=40
N=$(sed -n 's/.*vmlab.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
N=${N:-3}
export PATH=/bin:/usr/bin
up() { cut -d' ' -f1 /proc/uptime | tr -d .; }  # centiseconds
boot_vmlab() {
	/bin/vmlab kvm boot $K --initrd $I --append "$A" --mem 256 --quiet \
		--timeout $T >/tmp/v.log 2>&1 </dev/null
}
boot_qemu() {
	if [ $vmonly = 1 ]; then echo "init reached" > /tmp/q.log; return; fi
	timeout 120 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nographic \
		-vga none -net none -no-reboot -kernel $K -initrd $I -append "$A" \
		>/tmp/q.log 2>&1 </dev/null
}
# Pairs, in alternating order (the machine's load drifts); medians.
i=0 vl="" ql=""
while [ $i -lt $N ]; do
	if [ $((i % 2)) = 0 ]; then
		t0=$(up); boot_vmlab; t1=$(up); boot_qemu; t2=$(up)
		v=$((t1 - t0)) q=$((t2 - t1))
	else
		t0=$(up); boot_qemu; t1=$(up); boot_vmlab; t2=$(up)
		q=$((t1 - t0)) v=$((t2 - t1))
	fi
	grep -q "init reached" /tmp/v.log ||
		{ echo "bench: vmlab run $i did not reach init:"; tail -5 /tmp/v.log | sed 's/^/bench:   /'; }
	grep -q "init reached" /tmp/q.log ||
		{ echo "bench: qemu run $i did not reach init:"; tail -5 /tmp/q.log | sed 's/^/bench:   /'; }
	echo "bench: run $i vmlab ${v}0 ms, qemu ${q}0 ms"
	vl="$vl $v" ql="$ql $q"
	i=$((i + 1))
done
median() { echo $* | tr ' ' '\n' | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
vm=$(median $vl) qm=$(median $ql)
echo "bench: boot to init, median of $N: vmlab ${vm}0 ms, qemu -accel kvm ${qm}0 ms, ratio $((vm * 100 / qm))/100"
/bin/vmlab kvm boot $K --initrd $I --append "$A" --mem 256 --stats --timeout 120 </dev/null 2>&1 |
	sed -n '/^exits to user space/,$p' | sed 's/^/bench: /'

# The contrast workloads under hardware-assisted KVM, 1000 iterations
# each: exits to vmlab, and all exits as the kernel counts them.
export VMLAB_KVM_GUESTS=/guests
for w in compute console privops ptchange; do
	/bin/vmlab kvm run $w --arg 1000 --stats --timeout 120 </dev/null >/tmp/w.log 2>&1
	user=$(sed -n 's/^total  *\([0-9]*\).*/\1/p' /tmp/w.log)
	all=$(sed -n 's/^  exits  *\([0-9]*\).*/\1/p' /tmp/w.log)
	emu=$(sed -n 's/^  insn_emulation  *\([0-9]*\).*/\1/p' /tmp/w.log)
	echo "bench: workload $w x1000: exits to vmlab ${user:-?}, all exits ${all:-?}, emulated instructions ${emu:-0}"
done
