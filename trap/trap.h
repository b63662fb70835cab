/*
 * trap/trap.h -- trap-and-emulate: one guest virtual machine on the VL32
 * processor.
 *
 * This is the chapter on how CP-67 and VM/370 ran an operating system as
 * a guest.  The idea fits in three sentences:
 *
 *   1. CP runs the guest in PROBLEM state, always -- even while the guest
 *      believes it is in supervisor state.
 *   2. VL32 is clean (every sensitive instruction is privileged), so every
 *      instruction that could reveal or change the real machine's state
 *      traps: sim_run returns a privileged-operation program exit.
 *   3. CP then does, on the guest's VIRTUAL machine, what the instruction
 *      would have done on a real one, and resumes the guest after it.
 *
 * What the guest sees as its machine is split in two:
 *
 *   - the real CPU (struct sim_cpu) while the guest is dispatched holds
 *     everything that runs at full speed: general registers, condition
 *     code, instruction address, and the program mask;
 *   - the virtual CPU (struct trap_vcpu) holds what only CP may touch: the
 *     virtual PSW's masks and state bits (including the guest's OWN idea
 *     of problem state), virtual control registers, virtual timers,
 *     pending virtual interruptions and the virtual wait state.
 *
 *       guest believes            real CPU while dispatched
 *       --------------            -------------------------
 *       PSW P=0 (supervisor)      P=1 always
 *       PSW I/O, EXT masks        disabled: CP owns real interruptions
 *       PSW T (DAT) on            T on, through CP's SHADOW tables
 *       CR1 = its segment table   CR1 = the shadow segment table
 *       its storage at 0..size    a host buffer of exactly that size
 *
 * A request travels like this: the guest executes SSM; the real CPU is in
 * problem state, so sim_run exits with PGM_PRIVILEGED and the instruction;
 * trap_run() (run.c) sees that the VIRTUAL PSW says supervisor, so it
 * calls the SSM emulator (emulate.c), which reads the operand through the
 * guest's own translation, updates the virtual PSW, and resumes.  Had the
 * virtual PSW said problem state, the exception would instead be
 * REFLECTED (reflect.c): stored in the guest's own low storage exactly as
 * the real machine would, so the guest's supervisor handles it.
 */
#ifndef TRAP_H
#define TRAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/exit_stats.h"
#include "sim/io.h"
#include "sim/sim.h"

/* The virtual CPU: the part of the guest's machine that CP keeps. */
struct trap_vcpu {
	uint32_t psw_mask;   /* virtual PSW word 0, CC excepted (in cpu.cc) */
	uint32_t cr[16];     /* virtual control registers */
	int64_t timer;       /* virtual CPU timer: counts the guest's own cycles */
	uint64_t ckc;        /* virtual clock comparator (against the TOD) */
	uint32_t pending;    /* SIM_PEND_IO, SIM_PEND_KEY: virtual conditions */
};

/*
 * Shadow translation tables (CP-67's "shadow tables").  The real CPU can
 * walk only one level of tables, but a guest with DAT on has two levels
 * of mapping: guest virtual -> guest real (its tables, in its storage)
 * and guest real -> host (its storage buffer).  CP composes them into a
 * shadow segment table and shadow page tables, in storage the guest
 * cannot address, filled lazily: a shadow entry starts invalid, the real
 * CPU takes a translation exception, and CP looks at the guest's tables:
 * if the guest's own mapping is valid, CP copies it into the shadow and
 * retries the instruction (the guest never knows); if not, the exception
 * is the guest's own and is reflected to it.
 */
struct trap_shadow {
	struct sim_mem tables;   /* segment table at 0, page tables after it */
	uint32_t npt;            /* page tables allocated so far */
	uint32_t max_pt;         /* capacity in page tables */
	uint64_t faults;         /* shadow misses resolved by CP */
	uint64_t rebuilds;       /* invalidations (PTLB, LCTL, reset, pool full) */
};

/* One trap, as EXPLAIN narrates it. */
struct trap_event {
	uint32_t addr;        /* guest instruction address */
	uint32_t insn;        /* the instruction word */
	uint32_t code;        /* program-interruption code of the real exit */
	enum exit_kind kind;  /* how CP classified it */
	bool reflected;       /* true: passed to the guest; false: emulated */
	uint32_t psw_before;  /* virtual PSW word 0 before */
	uint32_t psw_after;   /* ... and after (word 0 with CC, word 1) */
	uint32_t ia_after;
	const char *action;   /* what CP did, in words (a constant: recording
				 a trap must cost next to nothing) */
};

/* "emulated: virtual PSW 00000000 00000404 CC 0" and the like, into buf. */
const char *trap_event_describe(const struct trap_event *ev, char *buf, size_t len);

struct trap_vm;

/* What trap/ cannot decide by itself and asks the control program. */
struct trap_hooks {
	/* DIAGNOSE function code with registers r1, r3: return the CC,
	 * or a negative PGM_* code to reflect as a program exception. */
	int (*diag)(struct trap_vm *vm, uint32_t code, unsigned r1, unsigned r3);
	/* One line per trap when tracing (NULL: none). */
	void (*trace)(struct trap_vm *vm, const struct trap_event *ev);
	/* While vm->stepping: called after every guest instruction, with
	 * its address and word (instruction and branch tracing). */
	void (*step)(struct trap_vm *vm, uint32_t addr, uint32_t insn);
};

/* Why trap_run returned. */
enum trap_stop {
	TRAP_SLICE_END,   /* the budget is spent; the guest can go on */
	TRAP_WAIT,        /* the guest is in an enabled virtual wait */
	TRAP_DISABLED_WAIT, /* the guest stopped: disabled wait (code in IA) */
	TRAP_ADDRESS_STOP,  /* a breakpoint */
	TRAP_CP_CALL,     /* a hook asked the control program to look now */
};

struct trap_vm {
	struct sim_mem mem;        /* the guest's storage */
	struct sim_cpu cpu;        /* the real CPU while dispatched */
	struct trap_vcpu v;        /* the virtual CPU */
	struct sim_iosys io;       /* virtual devices over the guest's storage */
	struct trap_shadow shadow;
	struct exit_stats stats;   /* exits by kind and by instruction */
	uint64_t emulated;         /* privileged instructions emulated */
	uint64_t reflected;        /* interruptions reflected into the guest */
	uint64_t cp_cycles;        /* simulated time CP spent on this guest */
	struct trap_event last;    /* the last trap (EXPLAIN) */
	bool has_last;
	bool cp_call;              /* a hook wants trap_run to return */
	bool stepping;             /* one instruction per sim_run: hooks->step */
	const struct trap_hooks *hooks;
	void *owner;               /* the control program's VM record */
};

/* Simulated cycles CP spends per event: what trap-and-emulate costs. */
#define TRAP_COST_EMULATE 200
#define TRAP_COST_REFLECT 150
#define TRAP_COST_SHADOW  300

/* Create a virtual machine with storage bytes (a multiple of 4 KiB).
 * 0 or a negative errno. */
int trap_vm_init(struct trap_vm *vm, uint32_t storage);
void trap_vm_destroy(struct trap_vm *vm);
/* Reset the virtual CPU to the state after a system reset (an IPL). */
void trap_vm_reset(struct trap_vm *vm);
/* Start the guest at addr, virtual PSW supervisor, disabled, DAT off. */
void trap_vm_start(struct trap_vm *vm, uint32_t addr);

/*
 * Run the guest for at most budget cycles of its own time, with `now`
 * the system's TOD.  Handles every exit by emulation or reflection.
 */
enum trap_stop trap_run(struct trap_vm *vm, uint64_t now, uint64_t budget);

/* The guest's PSW as the guest sees it (word 0 with CC, word 1). */
uint32_t trap_vpsw_word0(const struct trap_vm *vm);
/* Load a PSW into the virtual CPU (false if invalid). */
bool trap_vpsw_load(struct trap_vm *vm, uint32_t w0, uint32_t w1);
/* Make the real CPU's mask and translation match the virtual PSW. */
void trap_sync_real(struct trap_vm *vm);

/* Reflect an interruption into the guest: old PSW into its low storage,
 * new PSW from it (reflect.c). */
void trap_reflect(struct trap_vm *vm, uint32_t old_off, uint32_t new_off,
		  uint32_t code_off, uint32_t code);
void trap_reflect_program(struct trap_vm *vm, uint32_t code, uint32_t insn,
			  uint32_t trans_addr);
/* Deliver one pending virtual interruption if the guest is enabled for
 * it.  Returns true if one was delivered. */
bool trap_deliver_pending(struct trap_vm *vm, uint64_t now);
/* The earliest TOD at which a virtual external condition arises for an
 * enabled guest, given it runs from now on (UINT64_MAX: none). */
uint64_t trap_next_event(const struct trap_vm *vm, uint64_t now);

/* The guest waits from now until t: its CPU timer runs on meanwhile. */
void trap_wait_until(struct trap_vm *vm, uint64_t now, uint64_t t);

/* Translate a guest virtual address through the guest's own tables (or
 * none if its DAT is off): 0 and the guest real address, or a PGM_* code. */
int trap_guest_translate(struct trap_vm *vm, uint32_t va, bool write, uint32_t *gra);
/* Read/write guest virtual storage for emulation: 0 or a PGM_* code. */
int trap_guest_read(struct trap_vm *vm, uint32_t va, void *buf, uint32_t len);
int trap_guest_write(struct trap_vm *vm, uint32_t va, const void *buf, uint32_t len);

/* Shadow tables (shadow.c). */
int trap_shadow_init(struct trap_vm *vm);
void trap_shadow_free(struct trap_vm *vm);
void trap_shadow_invalidate(struct trap_vm *vm);
/* Resolve a real translation exception at va.  Returns 0 if the shadow
 * now maps it (retry), or the guest's own PGM_* code to reflect. */
int trap_shadow_fault(struct trap_vm *vm, uint32_t va, bool write);

/* Emulation (emulate.c): one function per privileged instruction. */
typedef void (*trap_emulator)(struct trap_vm *vm, const struct sim_exit *ex);
extern const trap_emulator trap_emulators[256];
/* Emulate the privileged instruction of ex (the guest is in virtual
 * supervisor state). */
void trap_emulate(struct trap_vm *vm, const struct sim_exit *ex);

/* Run a guest alone (no other guests, no dispatcher) until it stops in a
 * disabled wait: 0, or -1 with msg (used by `vmlab equiv`). */
int trap_run_alone(struct trap_vm *vm, uint64_t max_instructions, char *msg, size_t msglen);

/* Exits by kind and instruction, emulations, efficiency (vmlab guest). */
int trap_guest_stats_print(FILE *f, struct trap_vm *vm);

/* Explain the last trap in plain words (EXPLAIN). */
void trap_explain(FILE *f, const struct trap_vm *vm);

#endif
