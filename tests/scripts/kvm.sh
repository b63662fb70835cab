#!/bin/sh
# tests/scripts/kvm.sh -- host-kvm's tests, wherever they can run.
#
#   - a usable /dev/kvm here: the flat guests, statistics, seccomp and
#     damaged images natively; Linux too if the processor has VMX/SVM
#   - otherwise, or for Linux where the local KVM cannot boot it: the
#     nested harness (tests/kvm/harness.sh) under qemu-system-x86_64
#   - neither: SKIP lines that say why -- never a silent pass
#
# KVM_NESTED=auto|always|never overrides the choice of the harness.
# Prints PASS/FAIL/SKIP lines for tests/run.sh.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VMLAB=${VMLAB:-$BUILD/vmlab}
SAN=${SAN:-0}
CACHE=${KVM_CACHE:-tests/kvm/cache}
NESTED=${KVM_NESTED:-auto}

if [ ! -x "$VMLAB" ] || [ ! -f "$BUILD/host-kvm/guests/long.bin" ]; then
	echo "FAIL kvm-build: $VMLAB or the guests in $BUILD/host-kvm/guests are missing (run make)"
	exit 1
fi

# What kind of KVM is here?
native=0
probe=$($VMLAB kvm probe 2>&1) && native=1
hw=0
grep -qwE 'vmx|svm' /proc/cpuinfo && hw=1
kind="KVM with hardware assist"
[ $hw = 0 ] && kind="KVM without VMX/SVM"
[ -d /sys/module/kvm_pvm ] && kind="kvm_pvm (KVM without VMX/SVM: it emulates most guest code)"
echo "kvm: /dev/kvm here: $probe; $kind"

# `vmlab bench --json` reports the x86 guests here, or says why not:
# never a silently shorter list.
if [ $native = 0 ]; then
	# (Where KVM works, suite.sh checks the entries themselves.)
	bj=$($VMLAB bench --json --bare fib 2>/dev/null)
	if echo "$bj" | grep -q '"name": "kvm", "mode": "kvm", "skipped": "no usable KVM here'; then
		echo "PASS native-bench-json-skipped"
	else
		echo "FAIL native-bench-json-skipped: no kvm entry saying why in: $bj"
	fi
fi

# KVM BOOT at the CP console, where it cannot start: a clear message,
# and the script lines meant for the guest (up to #CP) are not run as CP
# commands; the #CP line's own command is.
cst=$(mktemp -d)
co=$(printf '%s\n' 'KVM BOOT' 'KVM BOOT /nonexistent/vmlinuz INITRD x MEM 64' \
	'echo for-the-guest' '#CP QUERY TIME' 'KVM BOOT k MEM 5' |
	$VMLAB --no-ipl --state "$cst" 2>&1)
rm -rf "$cst"
if echo "$co" | grep -q "HCPKVM020E SYNTAX: KVM BOOT kernel" &&
   echo "$co" | grep -q "HCPKVM041E LINUX NOT STARTED: /nonexistent/vmlinuz: No such file" &&
   echo "$co" | grep -q "HCPKVM042I 19 BYTES OF GUEST INPUT SKIPPED, UP TO #CP" &&
   ! echo "$co" | grep -q "UNKNOWN CP COMMAND" && echo "$co" | grep -q "^TIME IS" &&
   echo "$co" | grep -q "HCPKVM026E MEM 5 INVALID"; then
	echo "PASS console-kvm-boot-errors"
else
	echo "FAIL console-kvm-boot-errors: $co"
fi

# Kernel, guest initramfs and damaged images (needed by every path).
have_common=0
if prep=$(sh tests/kvm/harness.sh prepare-common 2>&1); then
	have_common=1
else
	echo "SKIP kvm-linux-files: $(echo "$prep" | tail -1)"
fi
KERNEL=$(ls $CACHE/linux/boot/vmlinuz-* 2>/dev/null | head -1)

linux_native=0
if [ $native = 1 ] && [ $hw = 1 ] && [ $have_common = 1 ]; then
	linux_native=1
fi
skip_paged=""
[ -d /sys/module/kvm_pvm ] &&
	skip_paged="kvm_pvm runs no 32-bit non-PAE paging (CR0.PG is dropped); the nested harness runs it"

if [ $native = 1 ]; then
	VMLAB=$VMLAB GUESTS=$BUILD/host-kvm/guests KERNEL="$KERNEL" \
	INITRD=$CACHE/guest-initrd.cpio.gz \
	DAMAGED=$([ $have_common = 1 ] && echo $CACHE/damaged) \
	DAMAGED_LIST=tests/kvm/damaged.txt TAG=native- FLAT=1 \
	LINUX=$linux_native SKIP_PAGED="$skip_paged" \
	VMLAB_FULL=$VMLAB BENCH_DIR=tests/bench sh tests/kvm/suite.sh
	[ $linux_native = 0 ] &&
		echo "SKIP native-linux-boot: $kind here cannot boot a stock kernel; the nested harness does"
else
	echo "SKIP native-kvm: $probe"
	# The damaged images need no KVM at all.
	[ $have_common = 1 ] &&
		VMLAB=$VMLAB GUESTS=$BUILD/host-kvm/guests KERNEL="$KERNEL" \
		DAMAGED=$CACHE/damaged DAMAGED_LIST=tests/kvm/damaged.txt \
		TAG=native- FLAT=0 LINUX=0 sh tests/kvm/suite.sh
fi

# The nested harness: when this machine cannot run everything itself.
want_nested=0
case $NESTED in
always) want_nested=1 ;;
never) ;;
*) [ $linux_native = 0 ] && want_nested=1 ;;
esac
if [ $want_nested = 0 ]; then
	[ $NESTED = never ] && echo "SKIP nested-harness: KVM_NESTED=never"
	exit 0
fi
if [ "$SAN" = 1 ]; then
	echo "SKIP nested-harness: SAN=1 (the static vmlab inside has no sanitizers; plain make test runs it)"
	exit 0
fi
if [ $have_common = 0 ]; then
	echo "SKIP nested-harness: no kernel to boot ($(echo "$prep" | tail -1))"
	exit 0
fi
if ! prep=$(sh tests/kvm/harness.sh prepare 2>&1); then
	echo "SKIP nested-harness: $(echo "$prep" | tail -1)"
	exit 0
fi
sh tests/kvm/harness.sh run
