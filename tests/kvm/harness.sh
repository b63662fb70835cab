#!/bin/sh
# tests/kvm/harness.sh -- KVM without /dev/kvm: a nested harness.
#
#   sh tests/kvm/harness.sh prepare      fetch and build what is needed
#   sh tests/kvm/harness.sh run          boot it and print the results
#   sh tests/kvm/harness.sh run debug-linux   only boot the Linux guest,
#                                        its console in harness.log
#   sh tests/kvm/harness.sh run bench-only    only the boot-time benchmark
#                                        (after prepare bench)
#
# QEMU's software emulator (TCG) can emulate AMD's SVM, nested paging
# included.  A Linux booted under `qemu-system-x86_64 -cpu qemu64,+svm`
# loads kvm-amd and offers a working /dev/kvm to the programs inside.
# This script builds that Linux's initramfs -- busybox, the kvm modules,
# a static vmlab, the test guests, a Linux guest kernel and initramfs,
# the damaged images and suite.sh -- boots it, and relays the PASS/FAIL
# lines that suite.sh prints on its serial console.
#
# The same Debian kernel serves as level 1 (under QEMU) and level 2
# (under vmlab).  Downloads are cached in tests/kvm/cache (git ignores it).
set -u
cd "$(dirname "$0")/../.."
CACHE=${KVM_CACHE:-tests/kvm/cache}
BUILD=${BUILD:-build}
STATIC=$BUILD/host-kvm/vmlab-static
GUESTDIR=$BUILD/host-kvm/guests
L1=$CACHE/l1root

say() { echo "harness: $*" >&2; }

need_packages() {
	missing=""
	command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
	[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -q '^insmod$' &&
		file_static /bin/busybox || missing="$missing busybox-static"
	command -v cpio >/dev/null 2>&1 || missing="$missing cpio"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "missing Debian packages:$missing (run: apt-get install$missing)"
		return 1
	fi
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq $missing >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  apt-get install -y -qq $missing >/dev/null 2>&1; } ||
		{ echo "apt-get install$missing failed"; return 1; }
}

# A dynamically linked busybox cannot run in an initramfs without libc.
file_static() { ! readelf -l "$1" 2>/dev/null | grep -q INTERP; }

# The newest Debian cloud kernel: small, and kvm/kvm-amd are modules.
fetch_kernel() {
	if ls $CACHE/linux/boot/vmlinuz-* >/dev/null 2>&1; then return 0; fi
	mkdir -p $CACHE
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
	fi
	[ -n "$pkg" ] || { echo "no linux-image-cloud-amd64 in apt's lists"; return 1; }
	say "downloading $pkg"
	( cd $CACHE && rm -f linux-image-*.deb &&
	  apt-get download -qq "$pkg" >/dev/null 2>&1 ) ||
		{ echo "apt-get download $pkg failed"; return 1; }
	rm -rf $CACHE/linux
	dpkg -x $CACHE/linux-image-*.deb $CACHE/linux ||
		{ echo "dpkg -x failed"; return 1; }
}

kernel_path() { ls $CACHE/linux/boot/vmlinuz-* | head -1; }
module_path() { find $CACHE/linux/lib/modules -name "$1.ko*" | head -1; }

cpio_of() { # cpio_of DIR OUT.cpio.gz
	( cd "$1" && find . | cpio -o -H newc 2>/dev/null ) | gzip -1 > "$2"
}

# The level-2 guest's initramfs: busybox and tests/kvm/guest-init.
guest_initrd() {
	d=$CACHE/l2root
	rm -rf $d && mkdir -p $d/bin $d/proc $d/sys $d/dev
	cp /bin/busybox $d/bin/busybox
	cp tests/kvm/guest-init $d/init && chmod +x $d/init
	cpio_of $d $CACHE/guest-initrd.cpio.gz
}

# Everything native runs need: kernel, guest initramfs, damaged images.
prepare_common() {
	need_packages || return 1
	fetch_kernel || return 1
	guest_initrd || return 1
	rm -rf $CACHE/damaged
	sh tests/kvm/mkdamaged.sh "$(kernel_path)" $CACHE/damaged ||
		{ echo "mkdamaged.sh failed"; return 1; }
}

# Copy a dynamically linked program and the libraries it needs.
copy_with_libs() { # copy_with_libs PROGRAM ROOT
	mkdir -p "$2$(dirname "$1")"
	cp "$1" "$2$1"
	ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[ \t]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		mkdir -p "$2$(dirname "$lib")"
		cp -L "$lib" "$2$lib"
	done
}

prepare_nested() { # prepare_nested [bench]
	prepare_common || return 1
	[ -x $STATIC ] || { echo "$STATIC is not built (make $STATIC)"; return 1; }
	rm -rf $L1
	mkdir -p $L1/bin $L1/proc $L1/sys $L1/dev $L1/tmp $L1/modules $L1/l2
	cp /bin/busybox $L1/bin/busybox
	cp $STATIC $L1/bin/vmlab
	# The whole vmlab too, if it linked statically: the console's KVM
	# BOOT and bench --json's kvm entries are tested with it.
	if [ -x $BUILD/host-kvm/vmlab-full-static ]; then
		cp $BUILD/host-kvm/vmlab-full-static $L1/bin/vmlab-full
		mkdir -p $L1/bench $L1/arch
		cp tests/bench/fib.s $L1/bench/ && cp tests/arch/lib.s $L1/arch/
	fi
	[ -x $BUILD/host-kvm/ptyrun ] && cp $BUILD/host-kvm/ptyrun $L1/bin/ptyrun
	cp -r $GUESTDIR $L1/guests
	rm -f $L1/guests/*.o
	for m in irqbypass kvm kvm-amd; do
		p=$(module_path $m)
		[ -n "$p" ] || { echo "no $m module in the kernel package"; return 1; }
		cp "$p" $L1/modules/
	done
	cp "$(kernel_path)" $L1/l2/vmlinuz
	cp $CACHE/guest-initrd.cpio.gz $L1/l2/initrd.cpio.gz
	cp -r $CACHE/damaged $L1/damaged
	cp tests/kvm/damaged.txt tests/kvm/suite.sh tests/kvm/bench.sh $L1/
	cp tests/kvm/harness-init $L1/init && chmod +x $L1/init
	if [ "${1:-}" = bench ]; then
		# QEMU itself, to boot the same guest with -accel kvm inside.
		copy_with_libs "$(command -v qemu-system-x86_64)" $L1
		mkdir -p $L1/usr/share/qemu $L1/usr/share/seabios
		cp /usr/share/seabios/bios-256k.bin $L1/usr/share/seabios/
		for f in linuxboot_dma.bin kvmvapic.bin; do
			cp /usr/share/qemu/$f $L1/usr/share/qemu/
		done
		ln -sf ../seabios/bios-256k.bin $L1/usr/share/qemu/bios-256k.bin
		touch $L1/bench
	fi
	cpio_of $L1 $CACHE/harness-initrd.cpio.gz
}

run_nested() { # run_nested [debug-linux]
	log=$CACHE/harness.log
	extra=""
	[ "${1:-}" = debug-linux ] && extra="vmlab.debug-linux vmlab.runs=${BENCH_RUNS:-1} ${BENCH_EXTRA:-}"
	[ "${1:-}" = bench-only ] && extra="vmlab.bench-only vmlab.runs=${BENCH_RUNS:-3} ${BENCH_EXTRA:-}"
	say "booting the level-1 Linux under qemu-system-x86_64 -cpu qemu64,+svm,+npt (TCG)"
	timeout ${HARNESS_TIMEOUT:-1500} qemu-system-x86_64 -accel tcg \
		-cpu qemu64,+svm,+npt -m 2048 -smp 1 -nographic -no-reboot \
		-kernel "$(kernel_path)" -initrd $CACHE/harness-initrd.cpio.gz \
		-append "console=ttyS0 quiet panic=-1 mitigations=off $extra" \
		</dev/null >$log 2>&1
	rc=$?
	# -a: the console log holds escape sequences that make grep call it
	# binary (and then print nothing but "binary file matches").
	clean=$CACHE/harness.txt
	tr -d '\r' < $log | tr -d '\000' > $clean
	grep -a -E '^(PASS|FAIL|SKIP|NOTE) |^    \| |^bench:|^harness:' $clean
	sed -n '/^exits to user space/,/^monitor rss/p' $clean
	if ! grep -a -q '^harness: done' $clean; then
		echo "FAIL nested-harness: the level-1 Linux did not finish (qemu status $rc); see $log"
		tail -20 $clean | sed 's/^/    | /'
		return 1
	fi
	if ! grep -a -q '^PASS nested-' $clean; then
		echo "FAIL nested-harness: no test passed inside; see $log"
		return 1
	fi
	echo "PASS nested-harness"
}

case "${1:-}" in
prepare) prepare_nested "${2:-}" ;;
prepare-common) prepare_common ;;
run) run_nested "${2:-}" ;;
*) echo "usage: $0 prepare [bench] | prepare-common | run" >&2; exit 2 ;;
esac
