/*
 * trap/run.c -- the trap-and-emulate loop for one guest.
 *
 * The same shape as the bare machine's loop (sim/machine.c) and
 * host-kvm's loop around KVM_RUN: run the guest until it exits, decide,
 * resume.  What differs is the decision.  Here every exit is one of:
 *
 *   privileged operation, guest in virtual supervisor state
 *        -> EMULATE it on the virtual machine (emulate.c)
 *   translation exception while the guest has DAT on
 *        -> a SHADOW FAULT if the guest's own tables map the page
 *           (shadow.c: fill, retry, the guest never knows), else
 *           reflect the guest's own exception
 *   any other program exception, or privileged operation in virtual
 *   problem state, or SVC
 *        -> REFLECT it into the guest (reflect.c)
 *   budget spent
 *        -> deliver a virtual interruption now due, or give the CPU
 *           back to the dispatcher
 *
 * The loop counts every exit in vm->stats, so the console can say how
 * often this guest left the fast path and why.
 */
#include "trap.h"

#include <inttypes.h>
#include <string.h>

static void record(struct trap_vm *vm, const struct sim_exit *ex,
		   enum exit_kind kind, bool reflected, uint32_t psw_before,
		   const char *action)
{
	struct trap_event *e = &vm->last;
	e->addr = ex->addr;
	e->insn = ex->insn;
	e->code = ex->code;
	e->kind = kind;
	e->reflected = reflected;
	e->psw_before = psw_before;
	e->psw_after = trap_vpsw_word0(vm);
	e->ia_after = vm->cpu.psw_ia;
	e->action = action;
	vm->has_last = true;
	if (vm->hooks && vm->hooks->trace)
		vm->hooks->trace(vm, e);
}

/* One exit: emulate, resolve or reflect. */
static void handle_program(struct trap_vm *vm, const struct sim_exit *ex)
{
	uint32_t before = trap_vpsw_word0(vm);
	unsigned op = vl32_op(ex->insn);

	if (ex->code == PGM_PRIVILEGED && !(vm->v.psw_mask & PSW_PROBLEM)) {
		/* The guest's supervisor was entitled to it: do it for it. */
		if (op != OP_SIO && op != OP_TIO && op != OP_HIO && op != OP_DIAG)
			exit_stats_add(&vm->stats, EXK_PRIVILEGED, op);
		trap_emulate(vm, ex);
		record(vm, ex, EXK_PRIVILEGED, false, before, "emulated");
		return;
	}
	if ((ex->code == PGM_SEGMENT_TRANS || ex->code == PGM_PAGE_TRANS) &&
	    (vm->v.psw_mask & PSW_T)) {
		/* Did the shadow miss, or does the guest itself say no?  A
		 * store (or a fetch) is retried the same way either way; we
		 * only need the protection answer for a store, and the retry
		 * takes a protection exception if it applies. */
		int code = trap_shadow_fault(vm, ex->ea, false);
		vm->cp_cycles += TRAP_COST_SHADOW;
		if (code == 0) {
			exit_stats_add(&vm->stats, EXK_TRANSLATION, 0);
			record(vm, ex, EXK_TRANSLATION, false, before,
			       "shadow table entry filled; instruction retried");
			return; /* PSW still points at the instruction: retry */
		}
		/* The real exit was nullifying (PSW at the instruction); the
		 * guest's own exception may not be: addressing and
		 * translation-specification point past the instruction, as
		 * the bare machine would -- unless it was the fetch itself
		 * that failed (no instruction word). */
		bool fetch = ex->insn == 0 && ex->ea == ex->addr;
		if (code != PGM_SEGMENT_TRANS && code != PGM_PAGE_TRANS && !fetch)
			vm->cpu.psw_ia = ex->addr + 4;
		exit_stats_add(&vm->stats, EXK_PROGRAM, (uint32_t)code);
		trap_reflect_program(vm, (uint32_t)code, ex->insn, ex->ea);
		record(vm, ex, EXK_PROGRAM, true, before,
		       "guest translation exception reflected");
		return;
	}
	/* Everything else is the guest's business. */
	exit_stats_add(&vm->stats, EXK_PROGRAM, ex->code);
	trap_reflect_program(vm, ex->code, ex->insn, ex->ea);
	record(vm, ex, EXK_PROGRAM, true, before,
	       "program interruption reflected to the guest");
}

enum trap_stop trap_run(struct trap_vm *vm, uint64_t now, uint64_t budget)
{
	struct sim_cpu *c = &vm->cpu;
	/* The guest's TOD is the system's: STCK is innocuous and reads it. */
	c->cycles = now;
	uint64_t end = now + budget;
	uint64_t cp_before = vm->cp_cycles;
	vm->cp_call = false;

	for (;;) {
		/* Virtual interruptions first, at an instruction boundary.
		 * Each costs CP time (charged to the clock after the next
		 * exit, below).  A guest whose new PSW is itself enabled for
		 * a condition that persists (a negative CPU timer, a passed
		 * clock comparator) takes interruption after interruption
		 * without running a single instruction -- the real machine
		 * loops the same way -- so once CP's time for them fills the
		 * slice, charge it and end the slice, or CP would never get
		 * the processor back. */
		while (trap_deliver_pending(vm, c->cycles)) {
			if (c->cycles + (vm->cp_cycles - cp_before) >= end) {
				c->cycles += vm->cp_cycles - cp_before;
				return TRAP_SLICE_END;
			}
		}
		if (vm->v.psw_mask & PSW_WAIT)
			return (vm->v.psw_mask & (PSW_IO | PSW_EXT)) ? TRAP_WAIT
								     : TRAP_DISABLED_WAIT;
		if (c->cycles >= end)
			return TRAP_SLICE_END;

		/* Run until the slice ends or a virtual timer comes due. */
		uint64_t limit = end;
		uint64_t t = trap_next_event(vm, c->cycles);
		if (t < limit)
			limit = t > c->cycles ? t : c->cycles + 1;
		uint64_t start = c->cycles;
		uint64_t icount = c->instructions;
		uint32_t step_addr = c->psw_ia, step_word = 0;
		if (vm->stepping) {
			/* Instruction tracing: one instruction at a time, and
			 * the word it was, read before it runs (it may change
			 * itself). */
			uint8_t w[4];
			if (trap_guest_read(vm, step_addr, w, 4) == 0)
				step_word = sim_get32(w);
			limit = c->cycles + 1;
		}
		struct sim_exit ex = sim_run(c, limit - c->cycles);
		if (vm->stepping && c->instructions != icount && vm->hooks && vm->hooks->step)
			vm->hooks->step(vm, step_addr, step_word);
		uint64_t used = c->cycles - start;
		/* The virtual CPU timer counts the guest's own cycles only.
		 * It wraps as the real one does (sim_timer_value): a guest
		 * may set it to -2^63 and let it run, and signed overflow
		 * would be undefined behaviour in CP. */
		if (vm->v.timer != INT64_MAX)
			vm->v.timer = (int64_t)((uint64_t)vm->v.timer - used);
		vm->stats.instructions += c->instructions - icount;
		vm->stats.cycles += used;

		switch (ex.reason) {
		case SIM_EXIT_BUDGET:
			break;
		case SIM_EXIT_PROGRAM:
			handle_program(vm, &ex);
			break;
		case SIM_EXIT_SVC: {
			uint32_t before = trap_vpsw_word0(vm);
			exit_stats_add(&vm->stats, EXK_SVC, ex.code);
			trap_reflect(vm, LC_SVC_OLD, LC_SVC_NEW, LC_SVC_CODE, ex.code);
			record(vm, &ex, EXK_SVC, true, before,
			       "supervisor call reflected to the guest");
			break;
		}
		case SIM_EXIT_BREAK:
			return TRAP_ADDRESS_STOP;
		default:
			/* The real CPU runs the guest in problem state and
			 * disabled, so no other exit can happen; if it does,
			 * stop the guest rather than guess. */
			vm->v.psw_mask = PSW_WAIT;
			c->psw_ia = 0xFFE;
			trap_sync_real(vm);
			return TRAP_DISABLED_WAIT;
		}
		/* Time passes while CP works: the system's clock (and so the
		 * guest's TOD) advances by CP's cost, the guest's CPU timer
		 * does not -- it measures the guest's own time only. */
		if (vm->cp_cycles != cp_before) {
			c->cycles += vm->cp_cycles - cp_before;
			cp_before = vm->cp_cycles;
		}
		if (vm->cp_call)
			return TRAP_CP_CALL;
	}
}

const char *trap_event_describe(const struct trap_event *ev, char *buf, size_t len)
{
	if (ev->kind == EXK_PRIVILEGED)
		snprintf(buf, len, "%s: virtual PSW %08" PRIX32 " %08" PRIX32 " CC %" PRIu32,
			 ev->action, ev->psw_after, ev->ia_after,
			 (ev->psw_after & PSW_CC_MASK) >> PSW_CC_SHIFT);
	else
		snprintf(buf, len, "%s", ev->action);
	return buf;
}

static const char *pgm_name(uint32_t code)
{
	switch (code) {
	case PGM_OPERATION: return "operation exception";
	case PGM_PRIVILEGED: return "privileged-operation exception";
	case PGM_PROTECTION: return "protection exception";
	case PGM_ADDRESSING: return "addressing exception";
	case PGM_SPECIFICATION: return "specification exception";
	case PGM_FIXED_OVERFLOW: return "fixed-point-overflow exception";
	case PGM_FIXED_DIVIDE: return "fixed-point-divide exception";
	case PGM_SEGMENT_TRANS: return "segment-translation exception";
	case PGM_PAGE_TRANS: return "page-translation exception";
	case PGM_TRANS_SPEC: return "translation-specification exception";
	}
	return "program exception";
}

void trap_explain(FILE *f, const struct trap_vm *vm)
{
	if (!vm->has_last) {
		fprintf(f, "No trap yet: the guest has not left the fast path.\n");
		return;
	}
	const struct trap_event *e = &vm->last;
	char what[128];
	const struct vl32_insn_info *in = &vl32_isa[e->insn >> 24];
	const char *name = in->mnemonic ? in->mnemonic : "(undefined)";
	bool vsuper = !(e->psw_before & PSW_PROBLEM);
	fprintf(f, "At %08" PRIX32 " the guest executed %s (%08" PRIX32 ")", e->addr,
		name, e->insn);
	fprintf(f, " believing itself in %s state.\n", vsuper ? "supervisor" : "problem");
	switch (e->kind) {
	case EXK_PRIVILEGED:
		fprintf(f, "%s is privileged (%s).\n"
			   "CP runs every guest in real problem state, so the real CPU refused it\n"
			   "with a privileged-operation exception and control passed to CP.  The\n"
			   "guest's VIRTUAL PSW said supervisor state, so CP did what %s does, on the\n"
			   "virtual machine instead of the real one, and resumed the guest after it:\n"
			   "%s.\n",
			name, in->meaning ? in->meaning : "", name,
			trap_event_describe(e, what, sizeof what));
		break;
	case EXK_TRANSLATION:
		fprintf(f, "The guest has DAT on, and the real CPU translates through CP's\n"
			   "shadow tables.  The shadow had no entry for this page yet, so the\n"
			   "real CPU raised a %s.  CP walked the guest's own tables, found a\n"
			   "valid mapping, copied it into the shadow table and retried the\n"
			   "instruction.  The guest saw nothing.\n", pgm_name(e->code));
		break;
	case EXK_SVC:
		fprintf(f, "SVC always interrupts.  CP reflected the supervisor call into the\n"
			   "guest: it stored the virtual PSW as the SVC old PSW in the guest's\n"
			   "low storage and loaded the guest's SVC new PSW, as hardware would.\n");
		break;
	default:
		fprintf(f, "The real CPU raised a %s.  %s, so CP reflected it: the\n"
			   "virtual PSW went to the guest's program old PSW and the guest's\n"
			   "program new PSW was loaded, exactly as a real machine would.\n",
			pgm_name(e->code),
			e->code == PGM_PRIVILEGED ? "The guest was in virtual problem state, "
						    "so it had no right to the instruction"
						  : "The exception is the guest's own");
		break;
	}
	/* Word 0 (masks, state, CC) alone may not change -- an SVC keeps it --
	 * so say where the guest goes on too, the second word after. */
	fprintf(f, "Virtual PSW word 0 before %08" PRIX32 ", after %08" PRIX32
		   "; the guest goes on at %08" PRIX32 ".\n",
		e->psw_before, e->psw_after, e->ia_after);
}
