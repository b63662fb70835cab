# vmlab -- a virtualization laboratory.  See README.md.
#
#   make            build ./vmlab
#   make run        the console on the built-in default directory
#   make test       every test; ends with "N passed, N failed"
#   make test SAN=1 the same under AddressSanitizer + UBSan
#   make bench      the benchmarks (vmlab bench)
#
# Missing Debian packages are installed by tests/deps.sh (as root) or it
# prints the exact command to run.

CC      ?= cc
SAN     ?= 0
ifeq ($(SAN),1)
BUILD   := build-san
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
else
BUILD   := build
OPT     := -O2 -g
endif

# gnu11: the interpreter uses computed goto (see sim/cpu.c).
# -fno-pie: the interpreter's tables are then addressed directly (about
# 6% fewer host instructions per guest instruction, measured).
CFLAGS  := -std=gnu11 $(OPT) -fno-pie -Wall -Wextra -Wno-unused-parameter \
           -I. -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS := $(OPT) -no-pie $(EXTRA_LDFLAGS)
LIBS    := -lreadline -lyaml -lm
TESTLIBS := -lcmocka

# Every .c below these folders is part of vmlab; a helper or a new module
# needs no Makefile change.  The front door (main) is cp/vmlab.c; unit
# tests link everything but it.
SRCDIRS := sim trap cp cms host-kvm lessons
SRCS    := $(sort $(foreach d,$(SRCDIRS),$(wildcard $(d)/*.c)))
OBJS    := $(SRCS:%.c=$(BUILD)/%.o)
LIBOBJS := $(filter-out $(BUILD)/cp/vmlab.o,$(OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Parts with build steps of their own (x86 guests, assembled CMS) add
# rules in their folder's *.mk, included here, and append to GENERATED
# (files to build before the tests) or EXTRA_OBJS (generated objects to
# link into vmlab and the unit tests).
GENERATED :=
EXTRA_OBJS :=
-include $(wildcard host-kvm/*.mk cms/*.mk lessons/*.mk tests/*.mk)
OBJS    += $(EXTRA_OBJS)
LIBOBJS += $(EXTRA_OBJS)

VMLAB   := $(BUILD)/vmlab

.PHONY: all run test bench deps clean check-isa-doc test-kvm
all: deps $(VMLAB) vmlab $(GENERATED)

deps:
	@sh tests/deps.sh

vmlab: $(VMLAB)
	@if [ "$(SAN)" != 1 ]; then ln -sf $(VMLAB) vmlab; fi

$(VMLAB): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

# The interpreter ends every handler with its own dispatch; GCC must not
# merge those tails back into one (sim/cpu_exec.inc, NEXT).
$(BUILD)/sim/cpu.o: CFLAGS += -fno-crossjumping

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJS) $(LDFLAGS) $(LIBS) $(TESTLIBS)

run: all
	./$(VMLAB)

test: deps $(VMLAB) $(UNIT_BINS) $(GENERATED)
	@BUILD=$(BUILD) SAN=$(SAN) sh tests/run.sh $(UNIT_BINS)

bench: all
	./$(VMLAB) bench

# Regenerate the ISA reference from the table (a unit test fails when the
# committed sim/ISA.md is stale).
isa-doc: $(VMLAB)
	./$(VMLAB) isa --markdown > sim/ISA.md

clean:
	rm -rf build build-san vmlab

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
