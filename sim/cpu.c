/*
 * sim/cpu.c -- the VL32 processor: the interpreter loop behind sim_run().
 *
 * How an instruction travels through this file:
 *
 *   1. sim_run() copies the hot state (instruction address, condition
 *      code, cycle and instruction counters) into locals, and computes
 *      `limit`: the cycle at which something outside the fast path may
 *      need attention (budget end, an enabled timer, an address stop).
 *   2. The fast loop fetches a word from the current instruction page,
 *      charges its cycles from the table, and jumps straight to the
 *      handler for its opcode (computed goto: one indirect jump per
 *      instruction instead of a bounds-checked switch; GCC and Clang both
 *      support it).  Handlers end with NEXT, which is the loop again.
 *   3. The loop leaves the fast path at exactly one place per instruction,
 *      the budget test (in the fast loop: "do all of this instruction's
 *      cycles fit before `limit`?", tested on the add that charges them;
 *      one that does not fit is run by the full loop), and otherwise only when
 *      a handler needs a decision: a program exception, an SVC, an I/O
 *      instruction, DIAGNOSE, or a change of PSW masks or timers (which
 *      moves `limit`).  That is why interruptions are exact: they are only
 *      ever taken between instructions.
 *   4. sim_run returns a struct sim_exit; the caller (bare machine, CP)
 *      decides what happens next.
 *
 * Storage accesses go through acc(): with DAT off a bounds check against
 * real storage; with DAT on a lookup in a small direct-mapped TLB whose
 * tags also encode alignment, so one compare checks "translated, right
 * page, naturally aligned" at once.  A miss walks the tables (tlb_fill).
 */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* A TLB tag that no address can match: real tags have bits 2-11 zero. */
#define TLB_INVALID 0x4u

const char *const sim_exit_names[SIM_EXIT_COUNT] = {
	[SIM_EXIT_BUDGET] = "budget",
	[SIM_EXIT_PROGRAM] = "program",
	[SIM_EXIT_SVC] = "svc",
	[SIM_EXIT_IO_INSN] = "io-instruction",
	[SIM_EXIT_DIAG] = "diagnose",
	[SIM_EXIT_EXTERNAL] = "external",
	[SIM_EXIT_IO] = "io-interrupt",
	[SIM_EXIT_WAIT] = "wait",
	[SIM_EXIT_BREAK] = "address-stop",
};

/*
 * What one instruction adds to the run loop's `tick` counter, by opcode.
 * The loop counts the cycles it may still run DOWN and the instructions
 * it ran UP, both in ONE 64-bit register:
 *
 *    tick = (cycles left) << TICK_SHIFT  +  instructions run
 *
 * so one add per instruction (of 1 - cycles<<TICK_SHIFT) advances both,
 * and "the cycles are used up" is one compare with a constant: tick is
 * below TICK(1) exactly when the cycles left are zero or negative.  The
 * instruction count in the low bits never reaches TICK(1) because the
 * loop looks outside at least every TICK_MAX_CYCLES cycles and every
 * instruction costs at least one cycle.  (One register instead of three
 * memory operands: about a fifth of the loop's host instructions.)  An
 * undefined opcode costs one cycle too, so that even a loop of operation
 * exceptions moves time.
 */
#define TICK_SHIFT 24
#define TICK_MAX_CYCLES (1u << (TICK_SHIFT - 1))
#define TICK(cycles) ((uint64_t)(cycles) << TICK_SHIFT)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const uint64_t op_tick[256] = {
	[0 ... 255] = 1 - TICK(1),
#define VL32_INSN(m, op, fmt, cls, cyc, text) [op] = 1 - TICK(cyc),
#include "isa.def"
#undef VL32_INSN
};
#pragma GCC diagnostic pop

/* ------------------------------------------------------------------ */
/* Storage and state helpers                                           */

int sim_mem_init(struct sim_mem *m, uint32_t size)
{
	m->base = NULL;
	m->size = 0;
	if (size == 0 || size % VL32_PAGE_SIZE)
		return -EINVAL;
	/* Page-aligned on the host as well, so that a host address tells
	 * by its low bits where a guest page ends: the fast loop's fetch
	 * relies on it (sim/cpu_exec.inc, NEXT). */
	m->base = aligned_alloc(VL32_PAGE_SIZE, size);
	if (!m->base)
		return -ENOMEM;
	memset(m->base, 0, size);
	m->size = size;
	return 0;
}

void sim_mem_free(struct sim_mem *m)
{
	free(m->base);
	m->base = NULL;
	m->size = 0;
}

void sim_tlb_purge(struct sim_cpu *cpu)
{
	/* A purge of an empty TLB is free: the common case for a guest with
	 * DAT off whose LCTL or PTLB CP emulates. */
	if (!cpu->tlb_dirty)
		return;
	cpu->tlb_dirty = false;
	for (int i = 0; i < SIM_TLB_SIZE; i++) {
		cpu->tlb[i].vpage_r = TLB_INVALID;
		cpu->tlb[i].vpage_w = TLB_INVALID;
		cpu->tlb[i].host = NULL;
	}
}

void sim_cpu_init(struct sim_cpu *cpu, struct sim_mem mem)
{
	memset(cpu, 0, sizeof *cpu);
	cpu->mem = mem;
	cpu->dat = mem;
	cpu->cpuid_version = CPUID_VERSION_BARE;
	cpu->cpuid_serial = 0x000001;
	/* A CPU timer that is not set is far in the future, not "now". */
	cpu->timer_base = INT64_MAX;
	cpu->ckc = UINT64_MAX;
	cpu->tlb_dirty = true; /* memset left zero tags: make them invalid */
	sim_tlb_purge(cpu);
}

uint32_t sim_psw_word0(const struct sim_cpu *cpu)
{
	return (cpu->psw_mask & ~PSW_CC_MASK) | (cpu->cc << PSW_CC_SHIFT);
}

bool sim_psw_load(struct sim_cpu *cpu, uint32_t w0, uint32_t w1)
{
	if ((w0 & ~PSW_VALID_BITS) || (w1 & 3))
		return false;
	cpu->psw_mask = w0 & ~PSW_CC_MASK;
	cpu->cc = (w0 & PSW_CC_MASK) >> PSW_CC_SHIFT;
	cpu->psw_ia = w1;
	return true;
}

bool sim_interrupt(struct sim_cpu *cpu, uint32_t old_off, uint32_t new_off,
		   uint32_t code_off, uint32_t code)
{
	uint8_t *m = cpu->mem.base;
	if (!sim_mem_ok(&cpu->mem, LC_FREE, 0))
		return false; /* storage smaller than low storage: cannot be */
	sim_put32(m + old_off, sim_psw_word0(cpu));
	sim_put32(m + old_off + 4, cpu->psw_ia);
	if (code_off)
		sim_put32(m + code_off, code);
	if (!sim_psw_load(cpu, sim_get32(m + new_off), sim_get32(m + new_off + 4))) {
		/* A bad new PSW would make the machine loop on specification
		 * exceptions forever; real machines of the era stopped.  So do
		 * we: a disabled wait that says why. */
		cpu->psw_mask = PSW_WAIT;
		cpu->cc = 0;
		cpu->psw_ia = 0xFFF;
		return false;
	}
	return true;
}

int64_t sim_timer_value(const struct sim_cpu *cpu)
{
	return (int64_t)((uint64_t)cpu->timer_base - cpu->cycles);
}

void sim_timer_set(struct sim_cpu *cpu, int64_t value)
{
	cpu->timer_base = (int64_t)((uint64_t)value + cpu->cycles);
}

/*
 * External conditions are levels, not events, as on S/370: the CPU-timer
 * condition exists while the timer is negative, the clock-comparator one
 * while the TOD clock is past the comparator.  A handler must reset the
 * timer (SPT) or the comparator (SCKC), or mask the subclass, to make the
 * condition go away.
 */
uint32_t sim_external_pending(const struct sim_cpu *cpu)
{
	if (!(cpu->psw_mask & PSW_EXT))
		return 0;
	if ((cpu->pending & SIM_PEND_KEY) && (cpu->cr[0] & CR0_KEY_MASK))
		return EXT_INTERRUPT_KEY;
	if ((cpu->cr[0] & CR0_CKC_MASK) && cpu->cycles > cpu->ckc)
		return EXT_CLOCK_COMP;
	if ((cpu->cr[0] & CR0_TIMER_MASK) && sim_timer_value(cpu) < 0)
		return EXT_CPU_TIMER;
	return 0;
}

uint64_t sim_next_timer_event(const struct sim_cpu *cpu)
{
	uint64_t t = UINT64_MAX;
	if (!(cpu->psw_mask & PSW_EXT))
		return t;
	if ((cpu->cr[0] & CR0_CKC_MASK) && cpu->ckc != UINT64_MAX)
		t = cpu->ckc + 1;
	if ((cpu->cr[0] & CR0_TIMER_MASK) && cpu->timer_base != INT64_MAX) {
		/* The timer goes negative one cycle after timer_base. */
		uint64_t when = (uint64_t)cpu->timer_base + 1;
		if (cpu->timer_base < 0)
			when = 0;
		if (when < t)
			t = when;
	}
	return t;
}

/* ------------------------------------------------------------------ */
/* Dynamic address translation                                         */

/*
 * Walk the segment and page tables for va.  The tables are read from
 * `tables` (normally real storage); the frame must lie in `frames`.
 * Returns 0 with the PTE in *pte_out, or a program-interruption code.
 * CP uses the same walk over a guest's own tables.
 */
int sim_dat_walk(const struct sim_mem *tables, const struct sim_mem *frames,
		 uint32_t cr1, uint32_t va, uint32_t *pte_out)
{
	uint32_t sx = DAT_SX(va);
	if (sx > (cr1 & CR1_STL_MASK))
		return PGM_SEGMENT_TRANS;
	uint32_t ste_addr = (cr1 & CR1_STO_MASK) + sx * 4;
	if (!sim_mem_ok(tables, ste_addr, 4))
		return PGM_ADDRESSING;
	uint32_t ste = sim_get32(tables->base + ste_addr);
	if (ste & ~STE_VALID_BITS)
		return PGM_TRANS_SPEC;
	if (ste & STE_INVALID)
		return PGM_SEGMENT_TRANS;
	uint32_t pte_addr = (ste & STE_PTO_MASK) + DAT_PX(va) * 4;
	if (!sim_mem_ok(tables, pte_addr, 4))
		return PGM_ADDRESSING;
	uint32_t pte = sim_get32(tables->base + pte_addr);
	if (pte & ~PTE_VALID_BITS)
		return PGM_TRANS_SPEC;
	if (pte & PTE_INVALID)
		return PGM_PAGE_TRANS;
	if (!sim_mem_ok(frames, pte & PTE_PFRA_MASK, VL32_PAGE_SIZE))
		return PGM_ADDRESSING;
	*pte_out = pte;
	return 0;
}

static inline int dat_walk(const struct sim_cpu *cpu, uint32_t va, uint32_t *pte_out)
{
	return sim_dat_walk(&cpu->dat, &cpu->mem, cpu->cr[1], va, pte_out);
}

int sim_translate(struct sim_cpu *cpu, uint32_t va, bool write, uint32_t *real)
{
	if (!(cpu->psw_mask & PSW_T)) {
		if (!sim_mem_ok(&cpu->mem, va, 1))
			return PGM_ADDRESSING;
		*real = va;
		return 0;
	}
	uint32_t pte;
	int code = dat_walk(cpu, va, &pte);
	if (code)
		return code;
	if (write && (pte & PTE_PROTECT))
		return PGM_PROTECTION;
	*real = (pte & PTE_PFRA_MASK) | (va & ~VL32_PAGE_MASK);
	return 0;
}

/*
 * The slow path of every storage access: check alignment, translate,
 * check bounds and protection, and (with DAT on) remember the translation
 * in the TLB so that the next access to this page is one compare.
 * Returns the host address, or NULL with *code set.
 */
static uint8_t *acc_slow(struct sim_cpu *cpu, uint32_t ea, uint32_t len,
			 bool write, int *code)
{
	if (ea & (len - 1)) {
		*code = PGM_SPECIFICATION;
		return NULL;
	}
	if (!(cpu->psw_mask & PSW_T)) {
		if (!sim_mem_ok(&cpu->mem, ea, len)) {
			*code = PGM_ADDRESSING;
			return NULL;
		}
		return cpu->mem.base + ea;
	}
	uint32_t pte;
	int c = dat_walk(cpu, ea, &pte);
	if (c) {
		*code = c;
		return NULL;
	}
	if (write && (pte & PTE_PROTECT)) {
		*code = PGM_PROTECTION;
		return NULL;
	}
	struct sim_tlb_entry *e = &cpu->tlb[(ea >> VL32_PAGE_SHIFT) % SIM_TLB_SIZE];
	uint32_t vpage = ea & VL32_PAGE_MASK;
	e->host = cpu->mem.base + (pte & PTE_PFRA_MASK);
	cpu->tlb_dirty = true;
	e->vpage_r = vpage;
	e->vpage_w = (pte & PTE_PROTECT) ? TLB_INVALID : vpage;
	return e->host + (ea & ~VL32_PAGE_MASK);
}

/*
 * The fast path of every storage access, inlined into every handler: with
 * DAT off a bounds check; with DAT on a TLB tag compare that checks page
 * and natural alignment together, because a misaligned address has low
 * bits that no tag has.  NULL means "not without a call": the fast loop
 * then hands the instruction to the full loop, which calls acc().
 */
static inline __attribute__((always_inline)) bool
acc_try(struct sim_cpu *cpu, bool dat, uint32_t ea, uint32_t len, bool write,
	uint8_t **p)
{
	/* Returns the verdict and the pointer apart, so that the caller
	 * branches on the compare itself rather than testing the pointer
	 * for NULL afterwards (which the compiler cannot prove away: two
	 * host instructions on every access). */
	if (!dat) {
		*p = cpu->mem.base + ea;
		return likely(!(ea & (len - 1)) && ea <= cpu->mem.size - len);
	}
	struct sim_tlb_entry *e = &cpu->tlb[(ea >> VL32_PAGE_SHIFT) % SIM_TLB_SIZE];
	uint32_t tag = write ? e->vpage_w : e->vpage_r;
	*p = e->host + (ea & ~VL32_PAGE_MASK);
	return likely((ea & (VL32_PAGE_MASK | (len - 1))) == tag);
}

static inline __attribute__((always_inline)) uint8_t *
acc_hit(struct sim_cpu *cpu, bool dat, uint32_t ea, uint32_t len, bool write)
{
	uint8_t *p;
	return acc_try(cpu, dat, ea, len, write, &p) ? p : NULL;
}

/* The full access: the fast path, else the slow one. */
static inline __attribute__((always_inline)) uint8_t *
acc(struct sim_cpu *cpu, bool dat, uint32_t ea, uint32_t len, bool write, int *code)
{
	uint8_t *p = acc_hit(cpu, dat, ea, len, write);
	return p ? p : acc_slow(cpu, ea, len, write, code);
}

int sim_vread(struct sim_cpu *cpu, uint32_t va, void *buf, uint32_t len)
{
	uint8_t *out = buf;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t real;
		int code = sim_translate(cpu, va + i, false, &real);
		if (code)
			return code;
		out[i] = cpu->mem.base[real];
	}
	return 0;
}

int sim_vwrite(struct sim_cpu *cpu, uint32_t va, const void *buf, uint32_t len)
{
	const uint8_t *in = buf;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t real;
		int code = sim_translate(cpu, va + i, true, &real);
		if (code)
			return code;
		cpu->mem.base[real] = in[i];
	}
	return 0;
}

uint32_t vl32_ea(const struct sim_cpu *cpu, uint32_t insn)
{
	unsigned x = vl32_x2(insn), b = vl32_b2(insn);
	uint32_t ea = vl32_d2(insn);
	if (vl32_isa[vl32_op(insn)].format == FMT_RX && x)
		ea += cpu->gpr[x];
	if (b)
		ea += cpu->gpr[b];
	return ea;
}

/*
 * Move or compare a block of up to 4096 bytes between two virtual
 * ranges.  Both ranges are translated completely before any byte moves,
 * so an exception leaves storage unchanged and the instruction can be
 * retried (4096 bytes span at most two pages: the first and last byte
 * name them).  The move goes left to right one byte at a time where the
 * ranges overlap, as S/370's MVC does (the classic "propagate a byte"
 * idiom relies on it).
 */
static int block_op(struct sim_cpu *cpu, bool dat, uint32_t dst, uint32_t src,
		    uint32_t len, bool compare, uint32_t *cc, uint32_t *fault)
{
	int code = 0;
	*cc = 0;
	if (len == 0)
		return 0;
	/* Probe both ends of both operands first; on an exception, *fault
	 * names the byte whose page failed (a monitor pages in that one). */
	const struct { uint32_t addr; bool write; } probe[4] = {
		{ dst, !compare }, { dst + len - 1, !compare },
		{ src, false }, { src + len - 1, false },
	};
	for (int i = 0; i < 4; i++)
		if (!acc(cpu, dat, probe[i].addr, 1, probe[i].write, &code)) {
			*fault = probe[i].addr;
			return code;
		}
	uint32_t done = 0;
	while (done < len) {
		uint32_t s = src + done, d = dst + done;
		uint32_t n = len - done;
		uint32_t sroom = VL32_PAGE_SIZE - (s & ~VL32_PAGE_MASK);
		uint32_t droom = VL32_PAGE_SIZE - (d & ~VL32_PAGE_MASK);
		if (!dat)
			sroom = droom = n; /* real storage is contiguous */
		if (n > sroom)
			n = sroom;
		if (n > droom)
			n = droom;
		uint8_t *sp = acc(cpu, dat, s, 1, false, &code);
		uint8_t *dp = acc(cpu, dat, d, 1, !compare, &code);
		if (!sp || !dp)
			return code; /* cannot happen after the probes */
		if (compare) {
			int r = memcmp(dp, sp, n);
			if (r) {
				*cc = r < 0 ? 1 : 2;
				return 0;
			}
		} else if (dp > sp && dp < sp + n) {
			for (uint32_t i = 0; i < n; i++)
				dp[i] = sp[i];
		} else {
			memmove(dp, sp, n);
		}
		done += n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The interpreter                                                     */

/* CC 0 zero, 1 negative, 2 positive -- branch-free (two set-on-condition
 * instructions), because every arithmetic instruction computes it. */
static inline uint32_t cc_arith(uint32_t r)
{
	return (uint32_t)(r != 0) + (uint32_t)((int32_t)r > 0);
}
/* CC 0 equal, 1 low, 2 high -- branch-free, like cc_arith. */
static inline uint32_t cc_cmp_s(int32_t a, int32_t b)
{
	return (uint32_t)(a != b) + (uint32_t)(a > b);
}
static inline uint32_t cc_cmp_u(uint32_t a, uint32_t b)
{
	return (uint32_t)(a != b) + (uint32_t)(a > b);
}

/* The fast loop: budget is the number of cycles it may run.  It is
 * compiled twice, for DAT off and DAT on: the mode cannot change inside
 * it (whatever changes the PSW leaves it), and with `dat` a constant
 * every storage access loses a test of a variable the compiler would
 * otherwise keep on the stack (three host instructions per access). */
static struct sim_exit run_fast_real(struct sim_cpu *cpu_arg, uint64_t budget)
{
#define FAST 1
#define FAST_DAT 0
#include "cpu_exec.inc"
#undef FAST_DAT
#undef FAST
}

static struct sim_exit run_fast_dat(struct sim_cpu *cpu_arg, uint64_t budget)
{
#define FAST 1
#define FAST_DAT 1
#include "cpu_exec.inc"
#undef FAST_DAT
#undef FAST
}

/* The full loop: every instruction, every check. */
static struct sim_exit run_full(struct sim_cpu *cpu_arg, uint64_t budget)
{
#define FAST 0
#include "cpu_exec.inc"
#undef FAST
}

/*
 * sim_run alternates the two loops: the fast loop runs the common
 * instructions until it meets one it must hand back, or the next event is
 * due; the full loop then takes one instruction with every check
 * (interruptions, wait, address stops, the budget).  Every decision is
 * made by the full loop, at an instruction boundary; the fast loop starts
 * first only when there is nothing for the full loop to decide -- which
 * is every time CP resumes a guest after emulating an instruction.
 */
static bool nothing_pending(const struct sim_cpu *cpu)
{
	return !cpu->nbreaks && !(cpu->psw_mask & PSW_WAIT) &&
	       !((cpu->psw_mask & PSW_IO) && (cpu->pending & SIM_PEND_IO)) &&
	       !sim_external_pending(cpu);
}

struct sim_exit sim_run(struct sim_cpu *cpu, uint64_t budget)
{
	uint64_t end = cpu->cycles + budget;
	if (end < cpu->cycles)
		end = UINT64_MAX;
	struct sim_exit ex;
	for (;;) {
		if (cpu->cycles < end && nothing_pending(cpu)) {
			uint64_t limit = end;
			uint64_t t = sim_next_timer_event(cpu);
			if (t < limit)
				limit = t;
			if (limit > cpu->cycles) {
				ex = (cpu->psw_mask & PSW_T)
					     ? run_fast_dat(cpu, limit - cpu->cycles)
					     : run_fast_real(cpu, limit - cpu->cycles);
				if (ex.reason != SIM_EXIT_COUNT)
					return ex;
			}
		}
		/* One instruction (none if the budget is spent: the full loop
		 * then only reports the budget, or a pending interruption). */
		ex = run_full(cpu, cpu->cycles < end ? 1 : 0);
		if (ex.reason != SIM_EXIT_BUDGET || cpu->cycles >= end)
			return ex;
	}
}
