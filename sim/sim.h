/*
 * sim/sim.h -- the VL32 processor and its one seam: sim_run().
 *
 * sim_run(cpu, budget) executes instructions until something needs a
 * decision and returns an EXIT saying what.  It never decides policy:
 *
 *   - the bare machine (sim/machine.c) turns each exit into what real
 *     hardware does: an interruption through low storage, or the I/O
 *     instruction run against the channel and devices;
 *   - CP (trap/, cp/) runs a guest in problem state and handles each exit
 *     itself: emulate a privileged instruction on the guest's virtual
 *     machine, or reflect an interruption into the guest;
 *   - host-kvm has the same loop around ioctl(KVM_RUN).
 *
 * What sim_run does by itself is what no monitor needs to see: every
 * innocuous instruction, and in supervisor state the privileged
 * instructions that only touch the CPU (LPSW, SSM, LCTL, SPT, PTLB...).
 * I/O instructions and DIAGNOSE always exit, because the channel and the
 * control program are outside the CPU.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vl32.h"

/* ------------------------------------------------------------------ */
/* Instruction set: expanded from isa.def                              */

enum vl32_format { FMT_RR, FMT_RRR, FMT_RI, FMT_RX, FMT_RS, FMT_SI, FMT_S, FMT_I };
enum vl32_class { INNOCUOUS, PRIVILEGED, SENSITIVE };

enum vl32_opcode {
#define VL32_INSN(m, op, fmt, cls, cyc, text) OP_##m = op,
#include "isa.def"
#undef VL32_INSN
};

struct vl32_insn_info {
	const char *mnemonic;   /* NULL for an undefined opcode */
	uint8_t opcode;
	enum vl32_format format;
	enum vl32_class pgclass;
	uint16_t cycles;
	const char *meaning;
};

/* Indexed by opcode; entries with mnemonic == NULL are undefined. */
extern const struct vl32_insn_info vl32_isa[256];
/* The instructions in table order, and how many. */
extern const struct vl32_insn_info *const vl32_isa_list[];
extern const int vl32_isa_count;

struct vl32_alias {
	const char *name;
	const char *base;
	uint8_t opcode;
	uint8_t mask;
	const char *meaning;
};
extern const struct vl32_alias vl32_aliases[];
extern const int vl32_alias_count;

const struct vl32_insn_info *vl32_lookup(const char *mnemonic); /* case-insensitive */
const char *vl32_format_name(enum vl32_format f);
const char *vl32_class_name(enum vl32_class c);

/* ------------------------------------------------------------------ */
/* Storage                                                             */

/* A machine's real storage: size bytes at base (size a multiple of 4 KiB). */
struct sim_mem {
	uint8_t *base;
	uint32_t size;
};

int sim_mem_init(struct sim_mem *m, uint32_t size); /* 0 or -ENOMEM/-EINVAL */
void sim_mem_free(struct sim_mem *m);

/* Big-endian access to real storage; the caller checks bounds
 * (sim_mem_ok) first: these never do. */
static inline uint32_t sim_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}
static inline uint16_t sim_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline void sim_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
static inline void sim_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline bool sim_mem_ok(const struct sim_mem *m, uint32_t addr,
			      uint32_t len)
{
	return addr <= m->size && len <= m->size - addr;
}

/* ------------------------------------------------------------------ */
/* Exits: why sim_run returned                                         */

enum sim_exit_reason {
	SIM_EXIT_BUDGET,   /* the cycle budget is spent */
	SIM_EXIT_PROGRAM,  /* program-interruption condition; code = PGM_* */
	SIM_EXIT_SVC,      /* SVC; code = its number */
	SIM_EXIT_IO_INSN,  /* SIO/TIO/HIO in supervisor state; ea = operand */
	SIM_EXIT_DIAG,     /* DIAGNOSE in supervisor state */
	SIM_EXIT_EXTERNAL, /* an enabled external interruption; code = EXT_* */
	SIM_EXIT_IO,       /* an enabled I/O interruption is pending */
	SIM_EXIT_WAIT,     /* the PSW is in the wait state */
	SIM_EXIT_BREAK,    /* an address stop, before the instruction runs */
	SIM_EXIT_COUNT
};

extern const char *const sim_exit_names[SIM_EXIT_COUNT];

struct sim_exit {
	enum sim_exit_reason reason;
	uint32_t code;  /* interruption code (program, SVC, external) */
	uint32_t insn;  /* the instruction word, for instruction exits */
	uint32_t addr;  /* the instruction's (virtual) address */
	uint32_t ea;    /* its effective address; for a translation
			   exception, the virtual address that failed */
};

/*
 * On every instruction exit (PROGRAM, SVC, IO_INSN, DIAG) the PSW already
 * holds what an interruption would store as the old PSW: the address of
 * the next instruction, or for a nullifying exception (segment or page
 * translation) the address of the instruction itself.  A monitor that
 * emulates the instruction and resumes has nothing to adjust; one that
 * retries it sets psw_ia back to exit.addr.
 */

/* ------------------------------------------------------------------ */
/* The CPU                                                             */

#define SIM_TLB_SIZE 256 /* direct-mapped, by virtual page number */

struct sim_tlb_entry {
	uint32_t vpage_r;   /* virtual page | 1 when valid for fetch/read */
	uint32_t vpage_w;   /* virtual page | 1 when valid for store */
	uint8_t *host;      /* host address of the page frame */
};

#define SIM_MAX_BREAKS 16

struct sim_cpu {
	/* Architected state. */
	uint32_t gpr[16];
	uint32_t psw_mask;      /* PSW word 0, except the CC: see cc */
	uint32_t psw_ia;        /* PSW word 1 */
	uint32_t cc;            /* condition code 0..3, kept apart for speed */
	uint32_t cr[16];
	int64_t timer_base;     /* CPU timer = timer_base - cycles */
	uint64_t ckc;           /* clock comparator */
	uint8_t cpuid_version;  /* STIDP version byte */
	uint32_t cpuid_serial;

	/* Simulated time: the TOD clock is the cycle count. */
	uint64_t cycles;
	uint64_t instructions;

	/* Interruption conditions that come from outside the CPU.  Timer and
	 * clock-comparator conditions are computed from time instead. */
	uint32_t pending;       /* SIM_PEND_* */

	/* Storage: data accesses and instruction fetches go to mem; DAT
	 * tables are read from dat (normally the same storage; CP points it
	 * at its shadow tables so that a guest never sees or touches them). */
	struct sim_mem mem;
	struct sim_mem dat;
	struct sim_tlb_entry tlb[SIM_TLB_SIZE];
	bool tlb_dirty;         /* some entry is valid: a purge has work */

	/* Debugging: address stops.  While any is set, sim_run checks every
	 * instruction boundary (slower, and only then). */
	int nbreaks;
	uint32_t breaks[SIM_MAX_BREAKS];
	bool skip_break_once;   /* resume past the stop we just reported */
};

#define SIM_PEND_IO   0x1u  /* an I/O interruption is pending */
#define SIM_PEND_KEY  0x2u  /* the interrupt key was pressed */

/* Initialise a CPU over storage (reset state: supervisor, disabled,
 * DAT off, all registers zero, PSW address 0). */
void sim_cpu_init(struct sim_cpu *cpu, struct sim_mem mem);

/*
 * Run until an exit, or until budget cycles have been used (each
 * instruction costs at least one cycle, so a budget of 1 executes exactly
 * one instruction: single step).  Interruptions are exact: every exit
 * happens on an instruction boundary.
 */
struct sim_exit sim_run(struct sim_cpu *cpu, uint64_t budget);

/* PSW as its two architected words (CC merged into word 0). */
uint32_t sim_psw_word0(const struct sim_cpu *cpu);
/* Load a PSW; returns false (and changes nothing) if it is invalid. */
bool sim_psw_load(struct sim_cpu *cpu, uint32_t w0, uint32_t w1);

/* The interruption scheme: store the old PSW at old_off, the code at
 * code_off (if nonzero), and load the new PSW from new_off.  Returns
 * false if the new PSW is invalid (the CPU is then left in a disabled
 * wait with code 0xFFF, as a machine would stop). */
bool sim_interrupt(struct sim_cpu *cpu, uint32_t old_off, uint32_t new_off,
		   uint32_t code_off, uint32_t code);

/* CPU timer value now, and the time the timer interruption condition
 * begins. */
int64_t sim_timer_value(const struct sim_cpu *cpu);
void sim_timer_set(struct sim_cpu *cpu, int64_t value);
/* The earliest cycle at which an enabled external condition (timer,
 * clock comparator) arises, or UINT64_MAX. */
uint64_t sim_next_timer_event(const struct sim_cpu *cpu);
/* Which enabled external condition exists now (EXT_* code), or 0. */
uint32_t sim_external_pending(const struct sim_cpu *cpu);

/* Invalidate all cached translations (PTLB, LCTL, and a monitor that
 * changes the tables behind the CPU's back). */
void sim_tlb_purge(struct sim_cpu *cpu);

/*
 * Translate a virtual address as the CPU would (DAT on or off per the
 * PSW), checking storage bounds.  On success returns 0 and *real; else a
 * PGM_* code.  write: check page protection.  Does not fill the TLB.
 */
int sim_translate(struct sim_cpu *cpu, uint32_t va, bool write, uint32_t *real);
/* The table walk itself: segment and page tables read from `tables`
 * (anchored by cr1), frames checked against `frames`.  0 with the
 * page-table entry, or a PGM_* code. */
int sim_dat_walk(const struct sim_mem *tables, const struct sim_mem *frames,
		 uint32_t cr1, uint32_t va, uint32_t *pte);

/* Read/write guest storage through translation, for monitors and the
 * debugger: return 0 or a PGM_* code. */
int sim_vread(struct sim_cpu *cpu, uint32_t va, void *buf, uint32_t len);
int sim_vwrite(struct sim_cpu *cpu, uint32_t va, const void *buf, uint32_t len);

/* Decode helpers for monitors that emulate instructions. */
static inline unsigned vl32_op(uint32_t w) { return w >> 24; }
static inline unsigned vl32_r1(uint32_t w) { return (w >> 20) & 15; }
static inline unsigned vl32_r2(uint32_t w) { return (w >> 16) & 15; }
static inline unsigned vl32_r3(uint32_t w) { return (w >> 16) & 15; }    /* RS */
static inline unsigned vl32_r3rrr(uint32_t w) { return (w >> 12) & 15; } /* RRR */
static inline unsigned vl32_x2(uint32_t w) { return (w >> 16) & 15; }
static inline unsigned vl32_b2(uint32_t w) { return (w >> 12) & 15; }
static inline unsigned vl32_d2(uint32_t w) { return w & 0xFFF; }
static inline unsigned vl32_i8(uint32_t w) { return (w >> 16) & 0xFF; }
static inline unsigned vl32_i16(uint32_t w) { return w & 0xFFFF; }
/* Effective address of an RX/RS/SI/S-format instruction. */
uint32_t vl32_ea(const struct sim_cpu *cpu, uint32_t insn);

#endif
