/*
 * trap/vm.c -- a guest virtual machine: its storage, its virtual PSW, and
 * access to its storage through its own address translation.
 */
#include "trap.h"

#include <errno.h>
#include <string.h>

int trap_vm_init(struct trap_vm *vm, uint32_t storage)
{
	memset(vm, 0, sizeof *vm);
	int rc = sim_mem_init(&vm->mem, storage);
	if (rc)
		return rc;
	sim_cpu_init(&vm->cpu, vm->mem);
	sim_io_init(&vm->io, &vm->mem);
	exit_stats_reset(&vm->stats);
	trap_vm_reset(vm);
	return 0;
}

void trap_vm_destroy(struct trap_vm *vm)
{
	sim_io_destroy(&vm->io);
	trap_shadow_free(vm);
	sim_mem_free(&vm->mem);
}

void trap_vm_reset(struct trap_vm *vm)
{
	memset(&vm->v, 0, sizeof vm->v);
	vm->v.timer = INT64_MAX;   /* not set: far in the future */
	vm->v.ckc = UINT64_MAX;
	memset(vm->cpu.gpr, 0, sizeof vm->cpu.gpr);
	vm->cpu.cc = 0;
	vm->cpu.psw_ia = 0;
	/* What the guest learns from STIDP: it is virtual (VM/370's X'FF'). */
	vm->cpu.cpuid_version = CPUID_VERSION_CP;
	trap_shadow_invalidate(vm);
	trap_sync_real(vm);
}

void trap_vm_start(struct trap_vm *vm, uint32_t addr)
{
	vm->v.psw_mask = 0;
	vm->cpu.psw_ia = addr & ~3u;
	trap_sync_real(vm);
}

uint32_t trap_vpsw_word0(const struct trap_vm *vm)
{
	return (vm->v.psw_mask & ~PSW_CC_MASK) | (vm->cpu.cc << PSW_CC_SHIFT);
}

bool trap_vpsw_load(struct trap_vm *vm, uint32_t w0, uint32_t w1)
{
	if ((w0 & ~PSW_VALID_BITS) || (w1 & 3))
		return false;
	vm->v.psw_mask = w0 & ~PSW_CC_MASK;
	vm->cpu.cc = (w0 & PSW_CC_MASK) >> PSW_CC_SHIFT;
	vm->cpu.psw_ia = w1;
	/* Switching DAT off or on does NOT touch the shadow tables: on the
	 * real machine it does not purge the TLB either (only PTLB and LCTL
	 * do), so the translations the guest made before stay usable when it
	 * turns DAT back on -- and the shadow tables are CP's TLB for this
	 * guest (shadow.c).  A guest that takes every SVC with DAT off and
	 * returns with LPSW (CMS) would otherwise refill a page of shadow on
	 * every call. */
	trap_sync_real(vm);
	return true;
}

/*
 * The real PSW while the guest runs: always problem state, never enabled
 * for real interruptions (CP owns those; it stops the guest by budget),
 * the guest's own program mask, and DAT on exactly when the guest has it
 * on -- but through the shadow tables, never the guest's.
 */
void trap_sync_real(struct trap_vm *vm)
{
	struct sim_cpu *c = &vm->cpu;
	uint32_t m = PSW_PROBLEM | (vm->v.psw_mask & PSW_FPO);
	if (vm->v.psw_mask & PSW_T) {
		m |= PSW_T;
		if (!vm->shadow.tables.base && trap_shadow_init(vm) != 0) {
			/* No storage for shadow tables: the guest cannot run
			 * with DAT on.  Leave T off; translation exceptions on
			 * every access will tell (trap_run reports it). */
			m &= ~PSW_T;
		}
		c->dat = vm->shadow.tables;
		c->cr[1] = (vm->v.cr[1] & CR1_STL_MASK); /* shadow STO is 0 */
	} else {
		c->dat = vm->mem;
		c->cr[1] = 0;
	}
	/* No purge of the real TLB when T changes: with T off the real CPU
	 * never looks at its TLB, and every entry in it was made from a shadow
	 * entry that is still there (the shadow only gains entries; whatever
	 * throws shadow entries away -- trap_shadow_invalidate -- purges the
	 * real TLB with them), so with T on again the entries are still
	 * right. */
	c->psw_mask = m;
	c->cr[0] = 0;
}

/* ------------------------------------------------------------------ */
/* The guest's storage, through the guest's own translation            */

int trap_guest_translate(struct trap_vm *vm, uint32_t va, bool write, uint32_t *gra)
{
	if (!(vm->v.psw_mask & PSW_T)) {
		if (!sim_mem_ok(&vm->mem, va, 1))
			return PGM_ADDRESSING;
		*gra = va;
		return 0;
	}
	/* The guest's tables live in the guest's storage and map to it. */
	uint32_t pte;
	int code = sim_dat_walk(&vm->mem, &vm->mem, vm->v.cr[1], va, &pte);
	if (code)
		return code;
	if (write && (pte & PTE_PROTECT))
		return PGM_PROTECTION;
	*gra = (pte & PTE_PFRA_MASK) | (va & ~VL32_PAGE_MASK);
	return 0;
}

/* Byte by byte through translation: emulated operands are at most a few
 * doublewords, and this way a page boundary needs no special case. */
int trap_guest_read(struct trap_vm *vm, uint32_t va, void *buf, uint32_t len)
{
	/* DAT off and in bounds: one copy (the common case). */
	if (!(vm->v.psw_mask & PSW_T) && sim_mem_ok(&vm->mem, va, len)) {
		memcpy(buf, vm->mem.base + va, len);
		return 0;
	}
	uint8_t *out = buf;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t gra;
		int code = trap_guest_translate(vm, va + i, false, &gra);
		if (code)
			return code;
		out[i] = vm->mem.base[gra];
	}
	return 0;
}

int trap_guest_write(struct trap_vm *vm, uint32_t va, const void *buf, uint32_t len)
{
	if (!(vm->v.psw_mask & PSW_T) && sim_mem_ok(&vm->mem, va, len)) {
		memcpy(vm->mem.base + va, buf, len);
		return 0;
	}
	/* Check every byte first so that a fault leaves storage unchanged. */
	uint32_t gra;
	for (uint32_t i = 0; i < len; i++) {
		int code = trap_guest_translate(vm, va + i, true, &gra);
		if (code)
			return code;
	}
	const uint8_t *in = buf;
	for (uint32_t i = 0; i < len; i++) {
		trap_guest_translate(vm, va + i, true, &gra);
		vm->mem.base[gra] = in[i];
	}
	return 0;
}
