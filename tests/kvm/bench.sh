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
i=0 vt=0 qt=0
while [ $i -lt $N ]; do
	t0=$(up)
	/bin/vmlab kvm boot $K --initrd $I --append "$A" --mem 256 --quiet \
		--timeout $T >/tmp/v.log 2>&1 </dev/null
	t1=$(up)
	[ $vmonly = 1 ] && echo "init reached" > /tmp/q.log ||
	timeout 120 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nographic -vga none -net none \
		-no-reboot -kernel $K -initrd $I -append "$A" >/tmp/q.log 2>&1 </dev/null
	t2=$(up)
	grep -q "init reached" /tmp/v.log ||
		{ echo "bench: vmlab run $i did not reach init:"; tail -5 /tmp/v.log | sed 's/^/bench:   /'; }
	grep -q "init reached" /tmp/q.log ||
		{ echo "bench: qemu run $i did not reach init:"; tail -5 /tmp/q.log | sed 's/^/bench:   /'; }
	echo "bench: run $i vmlab $((t1 - t0))0 ms, qemu $((t2 - t1))0 ms"
	vt=$((vt + t1 - t0)); qt=$((qt + t2 - t1))
	i=$((i + 1))
done
echo "bench: boot to init, mean of $N: vmlab $((vt * 10 / N)) ms, qemu -accel kvm $((qt * 10 / N)) ms, ratio $((vt * 100 / qt))/100"
/bin/vmlab kvm boot $K --initrd $I --append "$A" --mem 256 --stats --timeout 120 </dev/null 2>&1 |
	sed -n '/^exits to user space/,$p' | sed 's/^/bench: /'
