# host-kvm/kvm.mk -- the x86 guests and `make test-kvm`.
#
# Each guest in host-kvm/guests/*.S is assembled with GNU as and linked
# to a flat binary at the address the monitor loads it (0x10000; the
# real-mode guest runs at CS=0x1000, IP=0 so it links at 0).  The
# binaries land next to the vmlab executable, in $(BUILD)/host-kvm/guests,
# where `vmlab kvm run NAME` finds them.

# This file is included before the main Makefile names its first target:
# keep `make` alone meaning `make all`.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif

KVM_GUESTS := real prot paged long compute console privops ptchange triple badio
KVM_GUEST_BINS := $(KVM_GUESTS:%=$(BUILD)/host-kvm/guests/%.bin)
GENERATED += $(KVM_GUEST_BINS)
.SECONDARY: $(KVM_GUESTS:%=$(BUILD)/host-kvm/guests/%.o)

$(BUILD)/host-kvm/guests/%.o: host-kvm/guests/%.S host-kvm/guests/lib64.inc
	@mkdir -p $(dir $@)
	as --64 -I host-kvm/guests -o $@ $<

$(BUILD)/host-kvm/guests/%.bin: KVM_LINK = 0x10000
$(BUILD)/host-kvm/guests/real.bin: KVM_LINK = 0
$(BUILD)/host-kvm/guests/%.bin: $(BUILD)/host-kvm/guests/%.o
	ld -m elf_x86_64 -static -nostdlib -Ttext=$(KVM_LINK) \
		--oformat=binary -o $@ $<

# The same monitor, linked statically and without the rest of vmlab, to
# run inside the nested harness's initramfs (never with sanitizers).
KVM_STATIC := $(BUILD)/host-kvm/vmlab-static
GENERATED += $(KVM_STATIC)
KVM_STATIC_SRCS := $(wildcard host-kvm/*.c) sim/exit_stats.c tests/kvm/standalone.c
$(KVM_STATIC): $(KVM_STATIC_SRCS) $(wildcard host-kvm/*.h) sim/exit_stats.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -I. -static \
		-o $@ $(KVM_STATIC_SRCS)

# The whole vmlab, static, for the nested harness's console and bench
# tests (KVM BOOT at the CP console; bench --json's kvm entries).  It
# needs the static readline, ncurses and libyaml of the -dev packages; if
# it cannot be linked the harness says SKIP for those tests, so a failure
# here only leaves a note.  Not with sanitizers (they do not link
# statically).
ifneq ($(SAN),1)
KVM_FULL_STATIC := $(BUILD)/host-kvm/vmlab-full-static
GENERATED += $(KVM_FULL_STATIC)
$(KVM_FULL_STATIC): $(BUILD)/vmlab
	@mkdir -p $(dir $@)
	@$(CC) -static $(LDFLAGS) -o $@ $(OBJS) -lreadline -ltinfo -lyaml -lm \
		>$@.log 2>&1 || { rm -f $@; echo "no static vmlab (see $@.log):" \
		"the harness skips its console tests"; }

# A pseudo-terminal driver (a tiny `expect`) for the console tests on a
# terminal inside the harness, where busybox has neither script nor expect.
KVM_PTYRUN := $(BUILD)/host-kvm/ptyrun
GENERATED += $(KVM_PTYRUN)
$(KVM_PTYRUN): tests/kvm/ptyrun.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -static -o $@ $<
endif

# The KVM tests alone: natively where /dev/kvm works, else inside the
# nested harness, else SKIP with the reason.
test-kvm: $(BUILD)/vmlab $(KVM_GUEST_BINS) $(KVM_STATIC) $(KVM_FULL_STATIC) $(KVM_PTYRUN)
	@BUILD=$(BUILD) VMLAB=$(BUILD)/vmlab SAN=$(SAN) sh tests/scripts/kvm.sh
