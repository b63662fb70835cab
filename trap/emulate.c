/*
 * trap/emulate.c -- doing a privileged instruction on the guest's behalf.
 *
 * Each function here is called after the real CPU refused the
 * instruction (privileged-operation exception, because the guest always
 * runs in real problem state) AND the virtual PSW says the guest is in
 * supervisor state, so the guest was entitled to it.  The function does
 * to the VIRTUAL machine what the hardware would have done to the real
 * one, then returns; the instruction address already points past the
 * instruction (sim_run left it there), so the guest simply goes on.
 *
 * Operands are guest virtual addresses: they are read and written
 * through the guest's own translation (trap_guest_read/write), and any
 * exception that raises is the guest's, reflected exactly as the machine
 * would raise it.
 *
 * The table at the bottom maps every PRIVILEGED opcode of sim/isa.def to
 * its emulator; a unit test fails if one is missing.
 */
#include "trap.h"

#include <string.h>

/* Reflect a program exception raised while emulating ex.  Nullifying
 * exceptions point the old PSW back at the instruction. */
static void fail(struct trap_vm *vm, const struct sim_exit *ex, int code,
		 uint32_t addr)
{
	if (code == PGM_SEGMENT_TRANS || code == PGM_PAGE_TRANS)
		vm->cpu.psw_ia = ex->addr;
	exit_stats_add(&vm->stats, EXK_PROGRAM, (uint32_t)code);
	trap_reflect_program(vm, (uint32_t)code, ex->insn, addr);
}

static uint32_t ea_of(const struct trap_vm *vm, const struct sim_exit *ex)
{
	return vl32_ea(&vm->cpu, ex->insn);
}

/* Read/write a big-endian doubleword operand, 8-aligned. */
static int read_dw(struct trap_vm *vm, uint32_t ea, uint64_t *v)
{
	uint8_t b[8];
	if (ea & 7)
		return PGM_SPECIFICATION;
	int code = trap_guest_read(vm, ea, b, 8);
	if (code)
		return code;
	*v = (uint64_t)sim_get32(b) << 32 | sim_get32(b + 4);
	return 0;
}

static int write_dw(struct trap_vm *vm, uint32_t ea, uint64_t v)
{
	uint8_t b[8];
	if (ea & 7)
		return PGM_SPECIFICATION;
	sim_put32(b, (uint32_t)(v >> 32));
	sim_put32(b + 4, (uint32_t)v);
	return trap_guest_write(vm, ea, b, 8);
}

static void emu_ssm(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t ea = ea_of(vm, ex);
	uint8_t b;
	int code = trap_guest_read(vm, ea, &b, 1);
	if (!code && (b & ~(PSW_SYSMASK >> 24)))
		code = PGM_SPECIFICATION;
	if (code)
		return fail(vm, ex, code, ea);
	/* DAT on or off keeps the shadow tables, as the real machine keeps
	 * its TLB (trap_vpsw_load says why). */
	vm->v.psw_mask = (vm->v.psw_mask & ~PSW_SYSMASK) | ((uint32_t)b << 24);
	trap_sync_real(vm);
}

static void emu_lpsw(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t ea = ea_of(vm, ex);
	uint64_t psw;
	int code = read_dw(vm, ea, &psw);
	if (code)
		return fail(vm, ex, code, ea);
	if (!trap_vpsw_load(vm, (uint32_t)(psw >> 32), (uint32_t)psw))
		return fail(vm, ex, PGM_SPECIFICATION, ea);
}

static void emu_stnsm_stosm(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t ea = ea_of(vm, ex);
	uint8_t mask = (uint8_t)(vm->v.psw_mask >> 24);
	uint32_t imm = vl32_i8(ex->insn);
	uint32_t nm = vl32_op(ex->insn) == OP_STNSM ? (mask & imm) : (mask | imm);
	if (nm & ~(PSW_SYSMASK >> 24))
		return fail(vm, ex, PGM_SPECIFICATION, ea);
	int code = trap_guest_write(vm, ea, &mask, 1);
	if (code)
		return fail(vm, ex, code, ea);
	vm->v.psw_mask = (vm->v.psw_mask & ~PSW_SYSMASK) | (nm << 24);
	trap_sync_real(vm); /* the shadow stays, as in SSM */
}

static void emu_lctl_stctl(struct trap_vm *vm, const struct sim_exit *ex)
{
	unsigned r1 = vl32_r1(ex->insn), r3 = vl32_r3(ex->insn);
	unsigned n = ((r3 - r1) & 15) + 1;
	uint32_t ea = ea_of(vm, ex);
	uint8_t buf[64];
	if (ea & 3)
		return fail(vm, ex, PGM_SPECIFICATION, ea);
	if (vl32_op(ex->insn) == OP_STCTL) {
		for (unsigned i = 0; i < n; i++)
			sim_put32(buf + 4 * i, vm->v.cr[(r1 + i) & 15]);
		int code = trap_guest_write(vm, ea, buf, 4 * n);
		if (code)
			fail(vm, ex, code, ea);
		return;
	}
	int code = trap_guest_read(vm, ea, buf, 4 * n);
	if (code)
		return fail(vm, ex, code, ea);
	for (unsigned i = 0; i < n; i++)
		vm->v.cr[(r1 + i) & 15] = sim_get32(buf + 4 * i);
	/* A control-register load purges the TLB on the real machine --
	 * any control register, not only CR1 (sim/ISA.md: LCTL "purges the
	 * TLB"), so a guest may change its tables and then rely on, say, an
	 * LCTL of CR0 to make the change seen.  The shadow tables are CP's
	 * TLB for this guest, so they go too.  This is also what keys the
	 * shadow to the guest's CR1: CR1 changes only here (or at a reset),
	 * so the shadow always translates through the current one. */
	trap_shadow_invalidate(vm);
	trap_sync_real(vm);
}

static void emu_lra(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t va = ea_of(vm, ex), pte;
	int code = sim_dat_walk(&vm->mem, &vm->mem, vm->v.cr[1], va, &pte);
	switch (code) {
	case 0:
		vm->cpu.gpr[vl32_r1(ex->insn)] =
			(pte & PTE_PFRA_MASK) | (va & ~VL32_PAGE_MASK);
		vm->cpu.cc = 0;
		break;
	case PGM_SEGMENT_TRANS:
		vm->cpu.cc = DAT_SX(va) > (vm->v.cr[1] & CR1_STL_MASK) ? 3 : 1;
		break;
	case PGM_PAGE_TRANS:
		vm->cpu.cc = 2;
		break;
	default:
		fail(vm, ex, code, va);
	}
}

/* The purge the architecture requires after a guest changes its tables:
 * CP's shadow (its TLB for this guest) is thrown away, and refilled from
 * the changed tables as the guest touches its pages again. */
static void emu_ptlb(struct trap_vm *vm, const struct sim_exit *ex)
{
	(void)ex;
	trap_shadow_invalidate(vm);
}

static void emu_timers(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t ea = ea_of(vm, ex);
	uint64_t v = 0;
	int code = 0;
	switch (vl32_op(ex->insn)) {
	case OP_SPT:
		code = read_dw(vm, ea, &v);
		if (!code)
			vm->v.timer = (int64_t)v;
		break;
	case OP_SCKC:
		code = read_dw(vm, ea, &v);
		if (!code)
			vm->v.ckc = v;
		break;
	case OP_STPT:
		code = write_dw(vm, ea, (uint64_t)vm->v.timer);
		break;
	case OP_STCKC:
		code = write_dw(vm, ea, vm->v.ckc);
		break;
	default: /* STIDP: the guest learns it runs under CP */
		code = write_dw(vm, ea, (uint64_t)CPUID_VERSION_CP << 56 |
					    (uint64_t)(vm->cpu.cpuid_serial & 0xFFFFFF) << 32 |
					    (uint64_t)CPUID_MODEL << 16);
		break;
	}
	if (code)
		fail(vm, ex, code, ea);
}

/*
 * The I/O instructions run against the guest's VIRTUAL devices: the same
 * channel engine as the bare machine's, over the guest's storage, so
 * every CCW and data address is checked against the guest's storage size
 * (a bad one is a channel program check in the guest's CSW, never a host
 * access).  Guest channel programs hold guest REAL addresses, as real
 * channel programs hold real ones; the channel engine translates them to
 * host addresses in this guest's buffer.
 */
static void emu_io(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint16_t dev = (uint16_t)(ea_of(vm, ex) & 0xFFFF);
	uint64_t now = vm->cpu.cycles;
	struct sim_csw csw;
	int cc;
	switch (vl32_op(ex->insn)) {
	case OP_SIO:
		cc = sim_io_sio(&vm->io, dev, now, &csw);
		break;
	case OP_TIO:
		cc = sim_io_tio(&vm->io, dev, now, &csw);
		break;
	default:
		cc = sim_io_hio(&vm->io, dev, now, &csw);
		break;
	}
	if (cc == 1)
		sim_csw_store(&vm->mem, &csw);
	vm->cpu.cc = (uint32_t)cc;
	exit_stats_add(&vm->stats, EXK_IO_INSN, vl32_op(ex->insn));
	if (sim_io_advance(&vm->io, now))
		vm->v.pending |= SIM_PEND_IO;
}

static void emu_diag(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t code = ea_of(vm, ex) & 0xFFFF;
	exit_stats_add(&vm->stats, EXK_HYPERCALL, code);
	if (!vm->hooks || !vm->hooks->diag) {
		vm->cpu.cc = 3; /* nobody to call: as on the bare machine */
		return;
	}
	int rc = vm->hooks->diag(vm, code, vl32_r1(ex->insn), vl32_r3(ex->insn));
	if (rc < 0)
		fail(vm, ex, -rc, 0);
	else
		vm->cpu.cc = (uint32_t)rc & 3;
}

const trap_emulator trap_emulators[256] = {
	[OP_SSM] = emu_ssm,
	[OP_LPSW] = emu_lpsw,
	[OP_STNSM] = emu_stnsm_stosm,
	[OP_STOSM] = emu_stnsm_stosm,
	[OP_LCTL] = emu_lctl_stctl,
	[OP_STCTL] = emu_lctl_stctl,
	[OP_LRA] = emu_lra,
	[OP_PTLB] = emu_ptlb,
	[OP_SPT] = emu_timers,
	[OP_STPT] = emu_timers,
	[OP_SCKC] = emu_timers,
	[OP_STCKC] = emu_timers,
	[OP_STIDP] = emu_timers,
	[OP_SIO] = emu_io,
	[OP_TIO] = emu_io,
	[OP_HIO] = emu_io,
	[OP_DIAG] = emu_diag,
};

void trap_emulate(struct trap_vm *vm, const struct sim_exit *ex)
{
	trap_emulator fn = trap_emulators[vl32_op(ex->insn)];
	vm->emulated++;
	vm->cp_cycles += TRAP_COST_EMULATE;
	if (!fn) {
		/* A privileged instruction CP does not know: the guest gets
		 * the operation exception a machine without it would give. */
		fail(vm, ex, PGM_OPERATION, 0);
		return;
	}
	fn(vm, ex);
}
