/*
 * trap/reflect.c -- giving an interruption to the guest.
 *
 * When something happens that the guest's own supervisor must handle (a
 * program check in the guest's problem state, an SVC, an interruption
 * from a virtual device or timer), CP does to the guest's storage exactly
 * what the hardware does to real storage: store the current (virtual) PSW
 * as the old PSW of the class in the guest's low storage, store the
 * interruption code beside it, and load the new PSW from the guest's low
 * storage into the virtual PSW.  The guest cannot tell the difference --
 * that is the equivalence property.
 *
 * Low storage is addressed by REAL address, so this writes the guest's
 * storage directly, not through the guest's translation.
 */
#include "trap.h"

#include <string.h>

void trap_reflect(struct trap_vm *vm, uint32_t old_off, uint32_t new_off,
		  uint32_t code_off, uint32_t code)
{
	uint8_t *m = vm->mem.base;
	sim_put32(m + old_off, trap_vpsw_word0(vm));
	sim_put32(m + old_off + 4, vm->cpu.psw_ia);
	if (code_off)
		sim_put32(m + code_off, code);
	vm->reflected++;
	vm->cp_cycles += TRAP_COST_REFLECT;
	if (!trap_vpsw_load(vm, sim_get32(m + new_off), sim_get32(m + new_off + 4))) {
		/* An invalid new PSW: a real machine stops here (sim_interrupt
		 * does the same); so does the virtual one, in a disabled wait
		 * with code X'FFF', and CP says why when tracing. */
		vm->v.psw_mask = PSW_WAIT;
		vm->cpu.cc = 0;
		vm->cpu.psw_ia = 0xFFF;
		trap_sync_real(vm);
	}
}

void trap_reflect_program(struct trap_vm *vm, uint32_t code, uint32_t insn,
			  uint32_t trans_addr)
{
	uint8_t *m = vm->mem.base;
	if (code == PGM_SEGMENT_TRANS || code == PGM_PAGE_TRANS ||
	    code == PGM_PROTECTION || code == PGM_ADDRESSING)
		sim_put32(m + LC_TRANS_ADDR, trans_addr);
	sim_put32(m + LC_PGM_INSN, insn);
	trap_reflect(vm, LC_PGM_OLD, LC_PGM_NEW, LC_PGM_CODE, code);
}

/*
 * Virtual external conditions, as on the real machine (sim/cpu.c): levels,
 * not events.  The virtual CPU timer counts only the guest's own running
 * time; the clock comparator compares with the system's TOD.
 */
static uint32_t virtual_external(const struct trap_vm *vm, uint64_t now)
{
	const struct trap_vcpu *v = &vm->v;
	if (!(v->psw_mask & PSW_EXT))
		return 0;
	if ((v->pending & SIM_PEND_KEY) && (v->cr[0] & CR0_KEY_MASK))
		return EXT_INTERRUPT_KEY;
	if ((v->cr[0] & CR0_CKC_MASK) && now > v->ckc)
		return EXT_CLOCK_COMP;
	if ((v->cr[0] & CR0_TIMER_MASK) && v->timer < 0)
		return EXT_CPU_TIMER;
	return 0;
}

bool trap_deliver_pending(struct trap_vm *vm, uint64_t now)
{
	/* A guest disabled for both classes can be given nothing: say so
	 * cheaply (most calls).  Device completions are not lost meanwhile:
	 * the I/O instructions look at the devices' state themselves. */
	if (!(vm->v.psw_mask & (PSW_EXT | PSW_IO)))
		return false;
	uint32_t ext = virtual_external(vm, now);
	if (ext) {
		if (ext == EXT_INTERRUPT_KEY)
			vm->v.pending &= ~SIM_PEND_KEY;
		exit_stats_add(&vm->stats, EXK_EXTERNAL, ext);
		trap_reflect(vm, LC_EXT_OLD, LC_EXT_NEW, LC_EXT_CODE, ext);
		return true;
	}
	if (sim_io_advance(&vm->io, now))
		vm->v.pending |= SIM_PEND_IO;
	if ((vm->v.psw_mask & PSW_IO) && (vm->v.pending & SIM_PEND_IO)) {
		uint16_t dev;
		struct sim_csw csw;
		if (sim_io_take_interrupt(&vm->io, &dev, &csw)) {
			sim_csw_store(&vm->mem, &csw);
			exit_stats_add(&vm->stats, EXK_IO_INT, dev);
			trap_reflect(vm, LC_IO_OLD, LC_IO_NEW, LC_IO_ADDR, dev);
		}
		if (!sim_io_advance(&vm->io, now))
			vm->v.pending &= ~SIM_PEND_IO;
		return true;
	}
	return false;
}

uint64_t trap_next_event(const struct trap_vm *vm, uint64_t now)
{
	const struct trap_vcpu *v = &vm->v;
	uint64_t t = UINT64_MAX;
	if (v->psw_mask & PSW_IO) {
		uint64_t io = sim_io_next_event(&vm->io);
		if (io < t)
			t = io;
	}
	if (v->psw_mask & PSW_EXT) {
		if ((v->cr[0] & CR0_CKC_MASK) && v->ckc != UINT64_MAX && v->ckc + 1 < t)
			t = v->ckc + 1;
		/* The timer runs only while the guest runs: when it is due
		 * depends on dispatching, so the caller budgets for it. */
		if ((v->cr[0] & CR0_TIMER_MASK) && v->timer != INT64_MAX) {
			uint64_t due = v->timer < 0 ? now : now + (uint64_t)v->timer + 1;
			if (due < t)
				t = due;
		}
	}
	return t;
}

void trap_wait_until(struct trap_vm *vm, uint64_t now, uint64_t t)
{
	/* The CPU timer runs in the wait state too (on S/370 and here):
	 * waiting is time the guest's CPU spends, doing nothing. */
	if (t > now && vm->v.timer != INT64_MAX)
		vm->v.timer = (int64_t)((uint64_t)vm->v.timer - (t - now)); /* wraps, as in run.c */
	vm->cpu.cycles = t > now ? t : now;
}
