#!/bin/sh
# tests/kvm/mkdamaged.sh KERNEL OUTDIR -- make the damaged kernel images.
#
# Each image is the first 64 KiB of a real bzImage (its syssize patched
# to fit, so the undamaged one is valid) with one thing broken.
# damaged.txt beside this script lists each with the message vmlab must
# give for it.
set -eu
kernel=$1
out=$2
mkdir -p "$out"
base=$out/base.img
head -c 65536 "$kernel" > "$base"

# poke FILE OFFSET BYTE...: overwrite bytes (decimal values) at OFFSET.
poke() {
	f=$1; off=$2; shift 2
	s=""
	for b in "$@"; do s="$s$(printf '\\%03o' "$b")"; done
	printf "$s" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
# le32 FILE OFFSET VALUE
le32() {
	poke "$1" "$2" $(($3 & 255)) $((($3 >> 8) & 255)) \
		$((($3 >> 16) & 255)) $((($3 >> 24) & 255))
}
byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

setup_sects=$(byte "$base" $((0x1f1)))
[ "$setup_sects" = 0 ] && setup_sects=4
kernel_bytes=$((65536 - (setup_sects + 1) * 512))
le32 "$base" $((0x1f4)) $((kernel_bytes / 16))   # syssize

mk() { cp "$base" "$out/$1.img"; }
mk valid
mk no-bootflag;      poke "$out/no-bootflag.img" $((0x1fe)) 0 0
mk no-hdrs;          poke "$out/no-hdrs.img" $((0x202)) 88 88 88 88
mk old-protocol;     poke "$out/old-protocol.img" $((0x206)) 1 2
mk header-end;       poke "$out/header-end.img" $((0x201)) 255
mk setup-past-end;   poke "$out/setup-past-end.img" $((0x1f1)) 200
mk setup-sects-zero; poke "$out/setup-sects-zero.img" $((0x1f1)) 0
mk syssize-zero;     le32 "$out/syssize-zero.img" $((0x1f4)) 0
mk syssize-huge;     le32 "$out/syssize-huge.img" $((0x1f4)) 0x10000000
mk zimage;           poke "$out/zimage.img" $((0x211)) 0
mk init-size-zero;   le32 "$out/init-size-zero.img" $((0x260)) 0
mk init-size-huge;   le32 "$out/init-size-huge.img" $((0x260)) 0xf0000000
head -c 600 "$base" > "$out/truncated.img"
: > "$out/empty.img"
head -c 4096 /dev/zero > "$out/zeros.img"
rm -f "$base"
