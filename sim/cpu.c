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
 *      the `cyc >= limit` test before the fetch, and otherwise only when
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

/* Base cycle cost of each opcode, from the table.  An undefined opcode
 * costs one cycle too, so that even a loop of operation exceptions moves
 * simulated time forward. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const uint16_t op_cycles[256] = {
	[0 ... 255] = 1,
#define VL32_INSN(m, op, fmt, cls, cyc, text) [op] = cyc,
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
	m->base = calloc(1, size);
	if (!m->base)
		return -ENOMEM;
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
	e->vpage_r = vpage;
	e->vpage_w = (pte & PTE_PROTECT) ? TLB_INVALID : vpage;
	return e->host + (ea & ~VL32_PAGE_MASK);
}

/*
 * The fast path: inlined into every handler.  The tag compare checks page
 * and natural alignment together, because a misaligned address has low
 * bits that no tag has.
 */
static inline __attribute__((always_inline)) uint8_t *
acc(struct sim_cpu *cpu, bool dat, uint32_t ea, uint32_t len, bool write, int *code)
{
	if (!dat) {
		if (likely(!(ea & (len - 1)) && ea <= cpu->mem.size - len))
			return cpu->mem.base + ea;
	} else {
		struct sim_tlb_entry *e = &cpu->tlb[(ea >> VL32_PAGE_SHIFT) % SIM_TLB_SIZE];
		uint32_t tag = write ? e->vpage_w : e->vpage_r;
		if (likely((ea & (VL32_PAGE_MASK | (len - 1))) == tag))
			return e->host + (ea & ~VL32_PAGE_MASK);
	}
	return acc_slow(cpu, ea, len, write, code);
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
		    uint32_t len, bool compare, uint32_t *cc)
{
	int code = 0;
	*cc = 0;
	if (len == 0)
		return 0;
	/* Probe both ends of both operands first. */
	if (!acc(cpu, dat, src, 1, false, &code) ||
	    !acc(cpu, dat, src + len - 1, 1, false, &code) ||
	    !acc(cpu, dat, dst, 1, !compare, &code) ||
	    !acc(cpu, dat, dst + len - 1, 1, !compare, &code))
		return code;
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

static inline uint32_t cc_arith(uint32_t r)
{
	return r == 0 ? 0 : ((int32_t)r < 0 ? 1 : 2);
}
static inline uint32_t cc_cmp_s(int32_t a, int32_t b)
{
	return a == b ? 0 : (a < b ? 1 : 2);
}
static inline uint32_t cc_cmp_u(uint32_t a, uint32_t b)
{
	return a == b ? 0 : (a < b ? 1 : 2);
}

struct sim_exit sim_run(struct sim_cpu *cpu, uint64_t budget)
{
	/* Dispatch table: one label per table line; every other opcode is
	 * an operation exception.  A table line with no handler below is a
	 * compile error ("label used but not defined"). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wpedantic"
	static void *const dispatch[256] = {
		[0 ... 255] = &&op_undefined,
#define VL32_INSN(m, op, fmt, cls, cyc, text) [op] = &&op_##m,
#include "isa.def"
#undef VL32_INSN
	};
#pragma GCC diagnostic pop

	struct sim_exit ex = { SIM_EXIT_BUDGET, 0, 0, 0, 0 };
	uint32_t *const R = cpu->gpr;
	uint64_t end = cpu->cycles + budget;
	if (end < cpu->cycles)
		end = UINT64_MAX;

	/* Hot state in locals; written back by SYNC() before any exit. */
	uint32_t pc, cc, insn = 0, iaddr = 0;
	uint64_t cyc, icount, limit = 0;
	bool dat;
	/* The current instruction page: fetches from it skip translation. */
	uint32_t fpage = TLB_INVALID;
	uint8_t *fhost = NULL;
	int code = 0;

#define LOAD_STATE()                                 \
	do {                                         \
		pc = cpu->psw_ia;                    \
		cc = cpu->cc;                        \
		cyc = cpu->cycles;                   \
		icount = cpu->instructions;          \
		dat = (cpu->psw_mask & PSW_T) != 0;  \
		fpage = TLB_INVALID;                 \
	} while (0)
#define SYNC()                                \
	do {                                  \
		cpu->psw_ia = pc;             \
		cpu->cc = cc;                 \
		cpu->cycles = cyc;            \
		cpu->instructions = icount;   \
	} while (0)
#define NEXT goto fetch
	/* Field extraction for the current instruction. */
#define F_R1 ((insn >> 20) & 15)
#define F_R2 ((insn >> 16) & 15)
#define F_R3RRR ((insn >> 12) & 15)
#define F_I16 (insn & 0xFFFF)
#define F_SI16 ((int32_t)(int16_t)(insn & 0xFFFF))
#define F_I8 ((insn >> 16) & 0xFF)
#define BASE(b) ((b) ? R[b] : 0)
#define EA_RX ((insn & 0xFFF) + BASE((insn >> 16) & 15) + BASE((insn >> 12) & 15))
#define EA_RS ((insn & 0xFFF) + BASE((insn >> 12) & 15))
	/* Program exceptions: suppress/complete (old PSW -> next) or
	 * nullify (old PSW -> this instruction). */
#define PGM(c)                       \
	do {                         \
		code = (c);          \
		goto program_check;  \
	} while (0)
#define ACCESS(ptr, addr, len, wr)                                   \
	do {                                                         \
		ptr = acc(cpu, dat, (addr), (len), (wr), &code);      \
		if (unlikely(!ptr)) {                                 \
			ex.ea = (addr);                               \
			goto program_check;                           \
		}                                                     \
	} while (0)
#define PRIVILEGED_ONLY()                                   \
	do {                                                \
		if (cpu->psw_mask & PSW_PROBLEM)            \
			PGM(PGM_PRIVILEGED);                \
	} while (0)
#define BRANCH(target)                                      \
	do {                                                \
		pc = (target);                              \
		NEXT;                                       \
	} while (0)
#define OVERFLOW_CHECK(ovf)                                         \
	do {                                                        \
		if (unlikely(ovf)) {                                \
			cc = 3;                                     \
			if (cpu->psw_mask & PSW_FPO)                \
				PGM(PGM_FIXED_OVERFLOW);            \
		}                                                   \
	} while (0)

	LOAD_STATE();

check:
	/*
	 * The one place where the world outside the fast path is consulted:
	 * on entry, when `limit` is reached, and after any instruction that
	 * changes masks, timers or the PSW.  Priority as on S/370:
	 * external before I/O; both before the wait state ends the run.
	 */
	SYNC();
	{
		uint32_t ext = sim_external_pending(cpu);
		if (ext) {
			ex.reason = SIM_EXIT_EXTERNAL;
			ex.code = ext;
			ex.addr = pc;
			return ex;
		}
	}
	if ((cpu->psw_mask & PSW_IO) && (cpu->pending & SIM_PEND_IO)) {
		ex.reason = SIM_EXIT_IO;
		ex.addr = pc;
		return ex;
	}
	if (cpu->psw_mask & PSW_WAIT) {
		ex.reason = SIM_EXIT_WAIT;
		ex.addr = pc;
		return ex;
	}
	if (cyc >= end) {
		ex.reason = SIM_EXIT_BUDGET;
		ex.addr = pc;
		return ex;
	}
	dat = (cpu->psw_mask & PSW_T) != 0;
	limit = end;
	{
		uint64_t t = sim_next_timer_event(cpu);
		if (t < limit)
			limit = t;
	}
	if (cpu->nbreaks) {
		/* Address stops: look at every boundary (slow, and only now). */
		if (cpu->skip_break_once) {
			cpu->skip_break_once = false;
		} else {
			for (int i = 0; i < cpu->nbreaks; i++)
				if (cpu->breaks[i] == pc) {
					cpu->skip_break_once = true;
					ex.reason = SIM_EXIT_BREAK;
					ex.addr = pc;
					return ex;
				}
		}
		limit = cyc + 1;
	}
	if (limit <= cyc)
		limit = cyc + 1; /* an enabled condition is due: next boundary */

fetch:
	if (unlikely(cyc >= limit))
		goto check;
	/* The tag check also rejects a misaligned pc (its low bits). */
	if (unlikely((pc & (VL32_PAGE_MASK | 3)) != fpage)) {
		fhost = acc(cpu, dat, pc, 4, false, &code);
		if (!fhost) {
			/* An exception on fetch is nullifying: nothing ran. */
			insn = 0;
			iaddr = pc;
			ex.ea = pc;
			goto fetch_check;
		}
		fhost -= pc & ~VL32_PAGE_MASK;
		fpage = pc & VL32_PAGE_MASK;
	}
	{
		uint32_t w;
		memcpy(&w, fhost + (pc & ~VL32_PAGE_MASK), 4);
		insn = __builtin_bswap32(w);
	}
	iaddr = pc;
	pc += 4;
	cyc += op_cycles[insn >> 24];
	icount++;
	goto *dispatch[insn >> 24];

	/* ---------------- register-register ---------------- */
op_LPR: {
	uint32_t v = R[F_R2];
	uint32_t r = (int32_t)v < 0 ? 0u - v : v;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(v == 0x80000000u);
	NEXT;
}
op_LNR: {
	uint32_t v = R[F_R2];
	uint32_t r = (int32_t)v > 0 ? 0u - v : v;
	R[F_R1] = r;
	cc = r ? 1 : 0;
	NEXT;
}
op_LTR: {
	uint32_t r = R[F_R2];
	R[F_R1] = r;
	cc = cc_arith(r);
	NEXT;
}
op_LCR: {
	uint32_t v = R[F_R2];
	uint32_t r = 0u - v;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(v == 0x80000000u);
	NEXT;
}
op_NR: {
	uint32_t r = R[F_R1] & R[F_R2];
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_CLR:
	cc = cc_cmp_u(R[F_R1], R[F_R2]);
	NEXT;
op_OR: {
	uint32_t r = R[F_R1] | R[F_R2];
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_XR: {
	uint32_t r = R[F_R1] ^ R[F_R2];
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_LR:
	R[F_R1] = R[F_R2];
	NEXT;
op_CR:
	cc = cc_cmp_s((int32_t)R[F_R1], (int32_t)R[F_R2]);
	NEXT;
op_AR: {
	uint32_t a = R[F_R1], b = R[F_R2], r = a + b;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(((a ^ r) & (b ^ r)) >> 31);
	NEXT;
}
op_SR: {
	uint32_t a = R[F_R1], b = R[F_R2], r = a - b;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(((a ^ b) & (a ^ r)) >> 31);
	NEXT;
}
op_MR: {
	unsigned r1 = F_R1;
	if (r1 & 1)
		PGM(PGM_SPECIFICATION);
	int64_t p = (int64_t)(int32_t)R[r1 + 1] * (int32_t)R[F_R2];
	R[r1] = (uint32_t)((uint64_t)p >> 32);
	R[r1 + 1] = (uint32_t)p;
	NEXT;
}
op_DR: {
	unsigned r1 = F_R1;
	if (r1 & 1)
		PGM(PGM_SPECIFICATION);
	int32_t n = (int32_t)R[r1 + 1], d = (int32_t)R[F_R2];
	if (d == 0 || (n == INT32_MIN && d == -1))
		PGM(PGM_FIXED_DIVIDE);
	R[r1 + 1] = (uint32_t)(n / d);
	R[r1] = (uint32_t)(n % d);
	NEXT;
}
op_ALR: {
	uint32_t a = R[F_R1], r = a + R[F_R2];
	R[F_R1] = r;
	cc = (r != 0) | ((r < a) << 1);
	NEXT;
}
op_SLR: {
	uint32_t a = R[F_R1], b = R[F_R2], r = a - b;
	R[F_R1] = r;
	cc = (r != 0) | ((a >= b) << 1);
	NEXT;
}
op_MSR:
	R[F_R1] = R[F_R1] * R[F_R2];
	NEXT;
op_DLR: {
	unsigned r1 = F_R1;
	if (r1 & 1)
		PGM(PGM_SPECIFICATION);
	uint32_t n = R[r1 + 1], d = R[F_R2];
	if (d == 0)
		PGM(PGM_FIXED_DIVIDE);
	R[r1 + 1] = n / d;
	R[r1] = n % d;
	NEXT;
}
op_BALR: {
	/* Read the target before R1 changes: BALR R14,R14 is legal. */
	unsigned r2 = F_R2;
	uint32_t t = R[r2];
	R[F_R1] = pc;
	if (r2)
		BRANCH(t);
	NEXT;
}
op_BCTR: {
	unsigned r1 = F_R1, r2 = F_R2;
	uint32_t t = R[r2];
	if (--R[r1] != 0 && r2)
		BRANCH(t);
	NEXT;
}
op_BCR:
	if (((F_R1 >> (3 - cc)) & 1) && F_R2)
		BRANCH(R[F_R2]);
	NEXT;

	/* ---------------- storage to storage ---------------- */
op_MVC:
op_CLC: {
	uint32_t len = R[F_R3RRR];
	uint32_t r;
	if (len > 4096)
		PGM(PGM_SPECIFICATION);
	cyc += len / 8;
	bool cmp = (insn >> 24) == OP_CLC;
	code = block_op(cpu, dat, R[F_R1], R[F_R2], len, cmp, &r);
	if (code) {
		ex.ea = R[F_R1];
		goto program_check;
	}
	if (cmp)
		cc = r;
	NEXT;
}

	/* ---------------- register-storage ---------------- */
op_STH: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 2, true);
	sim_put16(p, (uint16_t)R[F_R1]);
	NEXT;
}
op_LA:
	R[F_R1] = EA_RX;
	NEXT;
op_STC: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 1, true);
	*p = (uint8_t)R[F_R1];
	NEXT;
}
op_LLC: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 1, false);
	R[F_R1] = *p;
	NEXT;
}
op_BAL: {
	uint32_t t = EA_RX;
	R[F_R1] = pc;
	BRANCH(t);
}
op_BCT: {
	uint32_t t = EA_RX;
	if (--R[F_R1] != 0)
		BRANCH(t);
	NEXT;
}
op_BC:
	if ((F_R1 >> (3 - cc)) & 1)
		BRANCH(EA_RX);
	NEXT;
op_LH: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 2, false);
	R[F_R1] = (uint32_t)(int32_t)(int16_t)sim_get16(p);
	NEXT;
}
op_LLH: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 2, false);
	R[F_R1] = sim_get16(p);
	NEXT;
}
op_ST: {
	uint32_t ea = EA_RX;
	uint8_t *p;
	ACCESS(p, ea, 4, true);
	sim_put32(p, R[F_R1]);
	NEXT;
}
	/* The RX arithmetic and logical instructions share one shape:
	 * fetch the word operand, then combine. */
#define RX_OPERAND(v)                         \
	uint32_t v;                           \
	do {                                  \
		uint32_t ea_ = EA_RX;         \
		uint8_t *p_;                  \
		ACCESS(p_, ea_, 4, false);    \
		v = sim_get32(p_);            \
	} while (0)
op_N: {
	RX_OPERAND(v);
	uint32_t r = R[F_R1] & v;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_CL: {
	RX_OPERAND(v);
	cc = cc_cmp_u(R[F_R1], v);
	NEXT;
}
op_O: {
	RX_OPERAND(v);
	uint32_t r = R[F_R1] | v;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_X: {
	RX_OPERAND(v);
	uint32_t r = R[F_R1] ^ v;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_L: {
	RX_OPERAND(v);
	R[F_R1] = v;
	NEXT;
}
op_C: {
	RX_OPERAND(v);
	cc = cc_cmp_s((int32_t)R[F_R1], (int32_t)v);
	NEXT;
}
op_A: {
	RX_OPERAND(b);
	uint32_t a = R[F_R1], r = a + b;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(((a ^ r) & (b ^ r)) >> 31);
	NEXT;
}
op_S: {
	RX_OPERAND(b);
	uint32_t a = R[F_R1], r = a - b;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(((a ^ b) & (a ^ r)) >> 31);
	NEXT;
}
op_AL: {
	RX_OPERAND(b);
	uint32_t a = R[F_R1], r = a + b;
	R[F_R1] = r;
	cc = (r != 0) | ((r < a) << 1);
	NEXT;
}
op_SL: {
	RX_OPERAND(b);
	uint32_t a = R[F_R1], r = a - b;
	R[F_R1] = r;
	cc = (r != 0) | ((a >= b) << 1);
	NEXT;
}
op_MS: {
	RX_OPERAND(v);
	R[F_R1] = R[F_R1] * v;
	NEXT;
}

	/* ---------------- RS: index branches, shifts, multiple ---------------- */
op_BXH:
op_BXLE: {
	/* Read increment and limit before R1 changes (R1 may be R3|1). */
	unsigned r1 = F_R1, r3 = F_R2;
	int32_t inc = (int32_t)R[r3], lim = (int32_t)R[r3 | 1];
	uint32_t t = EA_RS;
	int32_t v = (int32_t)(R[r1] + (uint32_t)inc);
	R[r1] = (uint32_t)v;
	bool high = v > lim;
	if ((insn >> 24) == OP_BXH ? high : !high)
		BRANCH(t);
	NEXT;
}
op_SRL: {
	uint32_t n = EA_RS & 63;
	R[F_R1] = n > 31 ? 0 : R[F_R1] >> n;
	NEXT;
}
op_SLL: {
	uint32_t n = EA_RS & 63;
	R[F_R1] = n > 31 ? 0 : R[F_R1] << n;
	NEXT;
}
op_SRA: {
	uint32_t n = EA_RS & 63;
	int32_t v = (int32_t)R[F_R1];
	uint32_t r = (uint32_t)(n > 31 ? (v < 0 ? -1 : 0) : v >> n);
	R[F_R1] = r;
	cc = cc_arith(r);
	NEXT;
}
op_SLA: {
	/* The sign stays; overflow if any bit shifted out of the 31
	 * numeric bits differs from the sign. */
	uint32_t n = EA_RS & 63;
	uint32_t v = R[F_R1], sign = v & 0x80000000u, r;
	bool ovf;
	if (n > 31) {
		r = sign;
		ovf = v != 0 && v != 0xFFFFFFFFu;
	} else {
		int64_t w = (int64_t)(int32_t)v * ((int64_t)1 << n);
		ovf = w < INT32_MIN || w > INT32_MAX;
		r = ((uint32_t)w & 0x7FFFFFFFu) | sign;
	}
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(ovf);
	NEXT;
}
op_STM:
op_LM: {
	unsigned r1 = F_R1, r3 = F_R2;
	unsigned n = ((r3 - r1) & 15) + 1;
	uint32_t ea = EA_RS;
	bool store = (insn >> 24) == OP_STM;
	uint8_t *p;
	cyc += n;
	/* Probe both ends first so an exception leaves nothing half done. */
	ACCESS(p, ea, 4, store);
	ACCESS(p, ea + 4 * (n - 1), 4, store);
	for (unsigned i = 0; i < n; i++) {
		unsigned r = (r1 + i) & 15;
		ACCESS(p, ea + 4 * i, 4, store);
		if (store)
			sim_put32(p, R[r]);
		else
			R[r] = sim_get32(p);
	}
	NEXT;
}

	/* ---------------- register-immediate ---------------- */
op_LHI:
	R[F_R1] = (uint32_t)F_SI16;
	NEXT;
op_LUI:
	R[F_R1] = F_I16 << 16;
	NEXT;
op_AHI: {
	uint32_t a = R[F_R1], b = (uint32_t)F_SI16, r = a + b;
	R[F_R1] = r;
	cc = cc_arith(r);
	OVERFLOW_CHECK(((a ^ r) & (b ^ r)) >> 31);
	NEXT;
}
op_MHI:
	R[F_R1] = R[F_R1] * (uint32_t)F_SI16;
	NEXT;
op_CHI:
	cc = cc_cmp_s((int32_t)R[F_R1], F_SI16);
	NEXT;
op_CLHI:
	cc = cc_cmp_u(R[F_R1], F_I16);
	NEXT;
op_OHI: {
	uint32_t r = R[F_R1] | F_I16;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_NHI: {
	uint32_t r = R[F_R1] & F_I16;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_XHI: {
	uint32_t r = R[F_R1] ^ F_I16;
	R[F_R1] = r;
	cc = r != 0;
	NEXT;
}
op_BRC:
	if ((F_R1 >> (3 - cc)) & 1)
		BRANCH(iaddr + 4 * (uint32_t)F_SI16);
	NEXT;
op_BRAS:
	R[F_R1] = pc;
	BRANCH(iaddr + 4 * (uint32_t)F_SI16);
op_BRCT:
	if (--R[F_R1] != 0)
		BRANCH(iaddr + 4 * (uint32_t)F_SI16);
	NEXT;

	/* ---------------- interruptions and the clock ---------------- */
op_SVC:
	ex.reason = SIM_EXIT_SVC;
	ex.code = F_I16;
	goto insn_exit;
op_STCK: {
	uint32_t ea = EA_RS;
	uint8_t *p;
	if (ea & 7)
		PGM(PGM_SPECIFICATION);
	ACCESS(p, ea, 4, true);
	sim_put32(p, (uint32_t)(cyc >> 32));
	sim_put32(p + 4, (uint32_t)cyc);
	cc = 0;
	NEXT;
}

	/* ---------------- privileged: PSW and masks ---------------- */
op_SSM: {
	PRIVILEGED_ONLY();
	uint32_t ea = EA_RS;
	uint8_t *p;
	ACCESS(p, ea, 1, false);
	if (*p & ~(PSW_SYSMASK >> 24))
		PGM(PGM_SPECIFICATION);
	cpu->psw_mask = (cpu->psw_mask & ~PSW_SYSMASK) | ((uint32_t)*p << 24);
	goto changed;
}
op_LPSW: {
	PRIVILEGED_ONLY();
	uint32_t ea = EA_RS;
	uint8_t *p;
	if (ea & 7)
		PGM(PGM_SPECIFICATION);
	ACCESS(p, ea, 4, false);
	uint32_t w0 = sim_get32(p);
	ACCESS(p, ea + 4, 4, false);
	uint32_t w1 = sim_get32(p);
	SYNC();
	if (!sim_psw_load(cpu, w0, w1))
		PGM(PGM_SPECIFICATION);
	pc = cpu->psw_ia;
	cc = cpu->cc;
	goto changed;
}
op_STNSM:
op_STOSM: {
	PRIVILEGED_ONLY();
	uint32_t ea = EA_RS;
	uint8_t *p;
	uint32_t mask = cpu->psw_mask >> 24, imm = F_I8;
	uint32_t nm = (insn >> 24) == OP_STNSM ? (mask & imm) : (mask | imm);
	if (nm & ~(PSW_SYSMASK >> 24))
		PGM(PGM_SPECIFICATION);
	ACCESS(p, ea, 1, true);
	*p = (uint8_t)mask;
	cpu->psw_mask = (cpu->psw_mask & ~PSW_SYSMASK) | (nm << 24);
	goto changed;
}

	/* ---------------- privileged: control registers, DAT ---------------- */
op_LCTL:
op_STCTL: {
	PRIVILEGED_ONLY();
	unsigned r1 = F_R1, r3 = F_R2;
	unsigned n = ((r3 - r1) & 15) + 1;
	uint32_t ea = EA_RS;
	bool store = (insn >> 24) == OP_STCTL;
	uint8_t *p;
	ACCESS(p, ea, 4, store);
	ACCESS(p, ea + 4 * (n - 1), 4, store);
	for (unsigned i = 0; i < n; i++) {
		ACCESS(p, ea + 4 * i, 4, store);
		if (store)
			sim_put32(p, cpu->cr[(r1 + i) & 15]);
		else
			cpu->cr[(r1 + i) & 15] = sim_get32(p);
	}
	if (store)
		NEXT;
	/* New tables or new masks: forget every cached translation. */
	sim_tlb_purge(cpu);
	goto changed;
}
op_LRA: {
	PRIVILEGED_ONLY();
	uint32_t va = EA_RX, pte;
	int c = dat_walk(cpu, va, &pte);
	switch (c) {
	case 0:
		R[F_R1] = (pte & PTE_PFRA_MASK) | (va & ~VL32_PAGE_MASK);
		cc = 0;
		break;
	case PGM_SEGMENT_TRANS:
		cc = DAT_SX(va) > (cpu->cr[1] & CR1_STL_MASK) ? 3 : 1;
		break;
	case PGM_PAGE_TRANS:
		cc = 2;
		break;
	default: /* addressing, translation specification */
		ex.ea = va;
		PGM(c);
	}
	NEXT;
}
op_PTLB:
	PRIVILEGED_ONLY();
	sim_tlb_purge(cpu);
	goto changed;

	/* ---------------- privileged: timers, identification ---------------- */
op_SPT:
op_SCKC:
op_STPT:
op_STCKC:
op_STIDP: {
	PRIVILEGED_ONLY();
	uint32_t ea = EA_RS;
	unsigned op = insn >> 24;
	bool store = op != OP_SPT && op != OP_SCKC;
	uint8_t *hi, *lo;
	if (ea & 7)
		PGM(PGM_SPECIFICATION);
	ACCESS(hi, ea, 4, store);
	ACCESS(lo, ea + 4, 4, store);
	uint64_t v = 0;
	SYNC(); /* the timer is relative to the cycle count */
	switch (op) {
	case OP_SPT:
		sim_timer_set(cpu, (int64_t)((uint64_t)sim_get32(hi) << 32 | sim_get32(lo)));
		goto changed;
	case OP_SCKC:
		cpu->ckc = (uint64_t)sim_get32(hi) << 32 | sim_get32(lo);
		goto changed;
	case OP_STPT:
		v = (uint64_t)sim_timer_value(cpu);
		break;
	case OP_STCKC:
		v = cpu->ckc;
		break;
	default: /* STIDP */
		v = (uint64_t)cpu->cpuid_version << 56 |
		    (uint64_t)(cpu->cpuid_serial & 0xFFFFFF) << 32 |
		    (uint64_t)CPUID_MODEL << 16;
		break;
	}
	sim_put32(hi, (uint32_t)(v >> 32));
	sim_put32(lo, (uint32_t)v);
	NEXT;
}

	/* ---------------- privileged: leave the CPU ---------------- */
op_SIO:
op_TIO:
op_HIO:
	PRIVILEGED_ONLY();
	ex.reason = SIM_EXIT_IO_INSN;
	ex.ea = EA_RS;
	goto insn_exit;
op_DIAG:
	PRIVILEGED_ONLY();
	ex.reason = SIM_EXIT_DIAG;
	ex.ea = EA_RS;
	goto insn_exit;

op_undefined:
	PGM(PGM_OPERATION);

changed:
	/* Masks, PSW, timers or translation changed: the fetch page and the
	 * limit may be stale.  Resume through the check. */
	fpage = TLB_INVALID;
	SYNC();
	goto check;

insn_exit:
	/* An instruction the CPU does not finish by itself.  PSW -> next. */
	SYNC();
	ex.insn = insn;
	ex.addr = iaddr;
	return ex;

program_check:
	/* Nullifying exceptions point the old PSW back at the instruction;
	 * everything else (suppression, completion) at the next one. */
	if (code == PGM_SEGMENT_TRANS || code == PGM_PAGE_TRANS)
		pc = iaddr;
	SYNC();
	ex.reason = SIM_EXIT_PROGRAM;
	ex.code = (uint32_t)code;
	ex.insn = insn;
	ex.addr = iaddr;
	return ex;

fetch_check:
	/* The fetch failed: no instruction was executed or counted. */
	SYNC();
	ex.reason = SIM_EXIT_PROGRAM;
	ex.code = (uint32_t)code;
	ex.insn = 0;
	ex.addr = iaddr;
	return ex;
}
