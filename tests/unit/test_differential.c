/*
 * tests/unit/test_differential.c -- Popek and Goldberg's equivalence
 * property, by random programs.
 *
 * The architecture suite (vmlab equiv) checks equivalence on programs a
 * person wrote.  This file checks it on programs nobody wrote: a
 * deterministic generator (xorshift, fixed seeds) makes thousands of valid
 * VL32 programs that terminate, each is run twice -- on the bare machine
 * (struct sim_machine) and as a guest under trap-and-emulate (struct
 * trap_vm, trap_run_alone) -- and the final general registers, PSW and
 * storage must be the same.
 *
 * What a generated program looks like (64 KiB of storage):
 *
 *   0x0000  low storage: new PSWs; program, SVC and I/O handlers at 0x200,
 *           0x300, 0x380 that log every interruption (code, old PSW,
 *           translation address, instruction) into a ring at 0x8000 and
 *           resume the program
 *   0x1000  the program: a prologue (R11 = constants, R12 = data, random
 *           registers, CR1 when it uses DAT), then segments -- straight-line
 *           blocks with forward branches, counted loops (BRCT on R13),
 *           problem-state blocks (LPSW with P on ... SVC, whose handler
 *           returns in supervisor state), page-table remaps (ST + PTLB) --
 *           and an epilogue that ends in a disabled wait at address 0
 *   0x5000  constants the privileged instructions read (PSWs, CR images,
 *           timer values, system masks)
 *   0x6000  8 KiB of random data that loads, stores, MVC, STM... use
 *   0x8000  the interruption log
 *   0x9000  CLOCK: STCK and STPT results (timing: zeroed before comparing)
 *   0xA000  IDENT: STIDP results (version byte X'FF' under CP: masked)
 *   0xB000  segment table, 0xC000 page table: identity, except
 *           page E invalid, page F protected, page 0x10 beyond storage,
 *           0x11 malformed, 0x12 invalid, 0x13 an alias of the data page
 *           0x6000 (remapped by the program), 0x14 protected alias of 0x7000;
 *           segment 1 invalid, segments from 2 beyond the table length
 *   0xD000  channel programs (the "io" flavour)
 *
 * The privileged instructions are the ones a supervisor may run without
 * stopping the machine: SSM/STNSM/STOSM and LPSW to the next instruction
 * (masks are enabled only for what cannot come: no CR0 subclass outside
 * the external op below, no devices outside the "io" flavour),
 * LCTL/STCTL, SPT/STPT, SCKC/STCKC, STIDP, PTLB, LRA, DIAGNOSE (CC 3 with
 * nobody to call) and SIO/TIO/HIO to absent devices;
 * and external interruptions that are due the moment they are enabled
 * (clock comparator 0, a negative CPU timer), so that they come at the
 * same instruction on both machines; a handler at 0x400 logs them.
 * Exceptions come from undefined opcodes, misaligned operands, odd
 * register pairs, divides by zero, overflow with the mask on, invalid
 * system masks and PSWs, wild addresses, every kind of translation
 * exception, and privileged instructions in problem state.
 *
 * Three flavours: "real" (DAT off throughout), "dat" (tables built, DAT
 * switched on and off by SSM, STOSM/STNSM and LPSW), and "io": DAT as well,
 * plus a reader, punch, printer and disk on both machines and random
 * channel programs -- any command, flags and count, data in and out of
 * storage, TIC loops -- each followed by an enabled wait for its
 * interruption, which an I/O handler logs (device, CSW).  The devices'
 * output (cards punched, lines printed, the disk image) is compared too.
 *
 * Only two things may legitimately differ, and they are kept out of the
 * comparison: clock and timer values (they differ by CP's own time) and
 * the STIDP version byte.  Timing is also why a program waits for each
 * I/O interruption disabled until the wait: CP's emulation takes time, so
 * an operation may end sooner, counted in guest instructions, under CP.
 *
 * VMLAB_DIFF_COUNT=n runs n programs per flavour (a quarter of that for
 * "io"); VMLAB_DIFF_SEED=x runs the one program of seed x in each flavour
 * and keeps its listing in /tmp.  Under the sanitizers (SAN=1, set by
 * make test) the default count is a quarter.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/asm.h"
#include "sim/machine.h"
#include "trap/trap.h"

/* ------------------------------------------------------------------ */
/* The storage map                                                     */

#define STOR      0x10000u
#define PGMH      0x0200u   /* program-interruption handler */
#define SVCH      0x0300u   /* SVC handler */
#define IOH       0x0380u   /* I/O-interruption handler */
#define EXTH      0x0400u   /* external-interruption handler */
#define SAVE_PGM  0x01C0u   /* the handlers' register save areas */
#define SAVE_SVC  0x01C8u
#define LOGP      0x01D0u   /* next log entry */
#define PGMCNT    0x01D4u   /* program interruptions taken */
#define NOTP      0x01D8u   /* ~PSW_PROBLEM, for the SVC handler */
#define SVCCNT    0x01DCu   /* SVC interruptions taken */
#define IOCNT     0x01E0u   /* I/O interruptions taken */
#define NOTWIO    0x01E4u   /* ~(PSW_WAIT | PSW_IO), for the I/O handler */
#define SAVE_IO   0x01E8u
#define EXTCNT    0x01F0u   /* external interruptions taken */
#define NOTSUB    0x01F4u   /* CR0 without the subclass masks */
#define SAVE_EXT  0x01F8u
#define SAVE_CR0  0x01B8u
#define CODE      0x1000u
#define CODE_END  0x5000u
#define CONST     0x5000u
#define DATA      0x6000u
#define DATA_LEN  0x2000u
#define LOG       0x8000u
#define LOG_ENTRY 32u
#define CLOCK     0x9000u
#define IDENT     0xA000u
#define SEGT      0xB000u
#define PAGET     0xC000u
#define CCWAREA   0xD000u   /* channel programs, 64 bytes each */
#define CR1VAL    (SEGT | 1u)  /* segment table at 0xB000, segments 0-1 */
#define CR1VAL0   (SEGT | 0u)  /* ... or segment 0 alone */
#define ALIAS_PTE (PAGET + 0x13 * 4)

#define MAX_INSNS 2000000u

/* Registers the random instructions may change.  R11 (constants), R12
 * (data) and R13 (loop counter) are the program's own. */
static const unsigned work_regs[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15 };
#define NWORK (sizeof work_regs / sizeof work_regs[0])
/* Even registers whose pair (r, r+1) is all work registers. */
static const unsigned pair_regs[] = { 0, 2, 4, 6, 8, 14 };

/* ------------------------------------------------------------------ */
/* Instruction encoding (the formats of sim/isa.def)                    */

static uint32_t e_rr(unsigned op, unsigned r1, unsigned r2)
{
	return (uint32_t)op << 24 | (r1 & 15) << 20 | (r2 & 15) << 16;
}
static uint32_t e_rrr(unsigned op, unsigned r1, unsigned r2, unsigned r3)
{
	return e_rr(op, r1, r2) | (r3 & 15) << 12;
}
static uint32_t e_ri(unsigned op, unsigned r1, uint32_t i)
{
	return (uint32_t)op << 24 | (r1 & 15) << 20 | (i & 0xFFFF);
}
static uint32_t e_rx(unsigned op, unsigned r1, unsigned x, unsigned b, uint32_t d)
{
	return (uint32_t)op << 24 | (r1 & 15) << 20 | (x & 15) << 16 | (b & 15) << 12 |
	       (d & 0xFFF);
}
#define e_rs(op, r1, r3, b, d) e_rx(op, r1, r3, b, d)
static uint32_t e_si(unsigned op, unsigned i8, unsigned b, uint32_t d)
{
	return (uint32_t)op << 24 | (i8 & 0xFF) << 16 | (b & 15) << 12 | (d & 0xFFF);
}
static uint32_t e_s(unsigned op, unsigned b, uint32_t d)
{
	return (uint32_t)op << 24 | (b & 15) << 12 | (d & 0xFFF);
}

/* ------------------------------------------------------------------ */
/* The generator                                                       */

/* A forward branch waiting for its target's address. */
struct fixup {
	uint32_t at;       /* address of the word to patch */
	bool rel;          /* RI relative branch (else an LHI of the address) */
	int target;        /* op index within the block */
};

#define MAX_BLOCK 24

struct gen {
	uint64_t s;              /* xorshift64* state */
	uint8_t *m;              /* the image being built: STOR bytes */
	uint32_t pc;             /* next code address */
	uint32_t limit;          /* stop generating segments here */
	uint32_t cnext;          /* next free byte of the constant area */
	uint32_t clock_slot, ident_slot;
	bool dat;                /* the program has DAT tables and uses them */
	bool io;                 /* the machines have devices: channel programs */
	uint32_t ccw_slot;
	/* The block being generated. */
	uint32_t op_addr[MAX_BLOCK + 1];
	struct fixup fix[MAX_BLOCK];
	int nfix;
	int nops;
};

static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}
static uint32_t below(struct gen *g, uint32_t n) { return (uint32_t)(rnd(g) >> 32) % n; }
static bool chance(struct gen *g, unsigned pct) { return below(g, 100) < pct; }
static unsigned wreg(struct gen *g) { return work_regs[below(g, NWORK)]; }
/* A work register that can serve as a base (R0 cannot). */
static unsigned breg(struct gen *g)
{
	unsigned r;
	do
		r = wreg(g);
	while (r == 0);
	return r;
}

/* Values that find the corners: zero, signs, overflow edges, small. */
static uint32_t value(struct gen *g)
{
	static const uint32_t edge[] = { 0, 1, 2, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000,
					 0x80000001, 0xFFFF, 0x10000, 0x7FFF, 0xFFFF8000 };
	switch (below(g, 4)) {
	case 0: return edge[below(g, sizeof edge / sizeof edge[0])];
	case 1: return below(g, 64) - 32;
	default: return (uint32_t)rnd(g);
	}
}

static void put32(struct gen *g, uint32_t addr, uint32_t v) { sim_put32(g->m + addr, v); }

static void emit(struct gen *g, uint32_t w)
{
	/* The segment generator stops well before CODE_END; an op is at
	 * most a dozen words. */
	assert_true(g->pc < CODE_END);
	put32(g, g->pc, w);
	g->pc += 4;
}

/* Load any value in two words (the assembler's LI). */
static void emit_li(struct gen *g, unsigned r, uint32_t v)
{
	emit(g, e_ri(OP_LUI, r, v >> 16));
	emit(g, e_ri(OP_OHI, r, v & 0xFFFF));
}

/* Room in the constant area: displacement from R11 (aligned), or -1. */
static int const_alloc(struct gen *g, uint32_t len, uint32_t align)
{
	uint32_t at = (g->cnext + align - 1) & ~(align - 1);
	if (at + len > 0x1000)
		return -1;
	g->cnext = at + len;
	return (int)at;
}

/* A displacement into the data area from R12, aligned to `align`, with
 * `len` bytes of room; now and then misaligned (a specification check). */
static uint32_t data_disp(struct gen *g, uint32_t len, uint32_t align)
{
	uint32_t d = below(g, 0x1000 - len + 1) & ~(align - 1);
	if (align > 1 && chance(g, 4))
		d |= 1 + below(g, align - 1);
	return d & 0xFFF;
}

/* Forward branch bookkeeping: a target 1-4 ops ahead, within the block. */
static void fixup(struct gen *g, bool rel, int op)
{
	int t = op + 1 + (int)below(g, 4);
	g->fix[g->nfix++] = (struct fixup){ g->pc, rel, t > g->nops ? g->nops : t };
}

static void patch_block(struct gen *g)
{
	for (int i = 0; i < g->nfix; i++) {
		struct fixup *f = &g->fix[i];
		uint32_t target = g->op_addr[f->target];
		uint32_t w = sim_get32(g->m + f->at);
		if (f->rel)
			w = (w & 0xFFFF0000u) | (((target - f->at) / 4) & 0xFFFF);
		else
			w = (w & 0xFFFF0000u) | target; /* LHI Rt,target: < 0x8000 */
		put32(g, f->at, w);
	}
}

static const uint8_t op_rr[] = { OP_LPR, OP_LNR, OP_LTR, OP_LCR, OP_NR, OP_CLR, OP_OR, OP_XR,
				 OP_LR, OP_CR, OP_AR, OP_SR, OP_ALR, OP_SLR, OP_MSR };
static const uint8_t op_ri[] = { OP_LHI, OP_LUI, OP_AHI, OP_MHI, OP_CHI, OP_CLHI, OP_OHI,
				 OP_NHI, OP_XHI };
static const uint8_t op_load4[] = { OP_L, OP_N, OP_CL, OP_O, OP_X, OP_C, OP_A, OP_S,
				    OP_AL, OP_SL, OP_MS };
static uint8_t undefined_ops[256];
static int nundefined;

#define PICK(arr) (arr)[below(g, sizeof(arr) / sizeof((arr)[0]))]

/* A system mask a program may set: never enabled for anything that can
 * happen (CR0 enables no external subclass; there are no devices), DAT
 * only in programs with tables.  Now and then an invalid one. */
static uint8_t sysmask(struct gen *g, bool allow_bad)
{
	if (allow_bad && chance(g, 8))
		return (uint8_t)(0x80 >> below(g, 5)); /* bits 0-4: invalid */
	uint8_t m = (uint8_t)(below(g, 8) & (g->dat ? 7 : 3));
	return m;
}

/* A virtual address worth probing: the special pages, other segments,
 * beyond storage, the end of storage. */
static uint32_t probe_va(struct gen *g)
{
	static const uint32_t base[] = { 0xE000, 0xF000, 0x10000, 0x11000, 0x12000, 0x13000,
					 0x13000, 0x14000, 0x400000, 0x800000, 0xFFFFF000,
					 STOR - 0x1000, 0x6000, 0x7000 };
	return PICK(base) + (below(g, 0x1000) & ~3u);
}

/* LRA's addresses: probe_va, or anything. */
static uint32_t lra_va(struct gen *g)
{
	return chance(g, 70) ? probe_va(g) : (uint32_t)rnd(g);
}

/* One innocuous op. */
static void gen_innocuous(struct gen *g)
{
	unsigned r1 = wreg(g);
	switch (below(g, 14)) {
	case 0: case 1:
		emit(g, e_rr(PICK(op_rr), r1, below(g, 16)));
		break;
	case 2: { /* register pairs; an odd first register is a specification check */
		static const uint8_t ops[] = { OP_MR, OP_DR, OP_DLR };
		unsigned r = chance(g, 8) ? (PICK(pair_regs) + 1) : PICK(pair_regs);
		emit(g, e_rr(PICK(ops), r, below(g, 16)));
		break;
	}
	case 3: case 4:
		emit(g, e_ri(PICK(op_ri), r1, value(g)));
		break;
	case 5: case 6:
		emit(g, e_rx(PICK(op_load4), r1, 0, 12, data_disp(g, 4, 4)));
		break;
	case 7: {
		static const uint8_t ops[] = { OP_LH, OP_LLH, OP_LLC };
		unsigned op = PICK(ops);
		unsigned len = op == OP_LLC ? 1 : 2;
		emit(g, e_rx(op, r1, 0, 12, data_disp(g, len, len)));
		break;
	}
	case 8: {
		static const uint8_t ops[] = { OP_ST, OP_STH, OP_STC };
		unsigned op = PICK(ops);
		unsigned len = op == OP_ST ? 4 : op == OP_STH ? 2 : 1;
		emit(g, e_rx(op, below(g, 16), 0, 12, data_disp(g, len, len)));
		break;
	}
	case 9:
		emit(g, e_rx(OP_LA, r1, below(g, 16), below(g, 16), below(g, 0x1000)));
		break;
	case 10: {
		static const uint8_t ops[] = { OP_SRL, OP_SLL, OP_SRA, OP_SLA };
		emit(g, e_rs(PICK(ops), r1, 0, chance(g, 20) ? below(g, 16) : 0, below(g, 0x1000)));
		break;
	}
	case 11: { /* STM anything; LM never into R11-R13 */
		unsigned a = below(g, 16), n = 1 + below(g, 16);
		if (chance(g, 50)) {
			emit(g, e_rs(OP_STM, a, a + n - 1, 12, data_disp(g, 4 * n, 4)));
		} else {
			/* The sequence 14, 15, 0, ... 10 holds no program register. */
			static const unsigned seq[] = { 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
			unsigned s = below(g, 13), k = 1 + below(g, 13 - s);
			emit(g, e_rs(OP_LM, seq[s], seq[s + k - 1], 12, data_disp(g, 4 * k, 4)));
		}
		break;
	}
	case 12: { /* MVC / CLC within the data area (both pages) */
		unsigned ra = breg(g), rb, rl;
		do
			rb = breg(g);
		while (rb == ra);
		do
			rl = wreg(g);
		while (rl == ra || rl == rb);
		uint32_t len = chance(g, 5) ? 4097 + below(g, 100) : below(g, 300);
		uint32_t room = len > DATA_LEN ? DATA_LEN : DATA_LEN - len;
		/* below(room): the addresses stay under 0x8000, LHI's limit */
		emit(g, e_ri(OP_LHI, ra, DATA + below(g, room)));
		emit(g, e_ri(OP_LHI, rb, DATA + below(g, room)));
		emit(g, e_ri(OP_LHI, rl, len));
		emit(g, e_rrr(chance(g, 60) ? OP_MVC : OP_CLC, ra, rb, rl));
		break;
	}
	default: { /* STCK: into CLOCK, never read back */
		unsigned rt = breg(g);
		emit_li(g, rt, CLOCK + 8 * (g->clock_slot++ % 512));
		emit(g, e_s(OP_STCK, rt, 0));
		break;
	}
	}
}

/* One op that raises a program exception (or may: wild addresses are
 * fine bare with DAT off in page E or F). */
static void gen_exception(struct gen *g)
{
	unsigned r1 = wreg(g);
	switch (below(g, 5)) {
	case 0: /* an undefined opcode */
		emit(g, (uint32_t)undefined_ops[below(g, (uint32_t)nundefined)] << 24 |
				(uint32_t)(rnd(g) & 0xFFFFFF));
		break;
	case 1: case 2: case 3: { /* an access at a probe address */
		unsigned rt = breg(g);
		uint32_t va = probe_va(g);
		emit_li(g, rt, va);
		switch (below(g, 7)) {
		case 0: emit(g, e_rx(OP_L, r1 == rt ? 0 : r1, 0, rt, 0)); break;
		case 1: emit(g, e_rx(OP_ST, below(g, 16), 0, rt, 0)); break;
		case 2: emit(g, e_rx(OP_STC, below(g, 16), 0, rt, below(g, 4))); break;
		case 3: emit(g, e_rx(OP_LLC, r1 == rt ? 0 : r1, 0, rt, below(g, 4))); break;
		case 4: emit(g, e_rs(OP_STM, below(g, 16), below(g, 16), rt, 0)); break;
		default: { /* MVC / CLC with one operand at the probe */
			unsigned rb, rl;
			do
				rb = breg(g);
			while (rb == rt);
			do
				rl = wreg(g);
			while (rl == rt || rl == rb);
			emit(g, e_ri(OP_LHI, rb, DATA + below(g, 0x1000)));
			emit(g, e_ri(OP_LHI, rl, below(g, 200)));
			if (chance(g, 50))
				emit(g, e_rrr(OP_MVC, rt, rb, rl));
			else
				emit(g, e_rrr(chance(g, 50) ? OP_MVC : OP_CLC, rb, rt, rl));
			break;
		}
		}
		break;
	}
	default: /* SVC: the handler logs it and returns in supervisor state */
		emit(g, e_ri(OP_SVC, 0, value(g)));
		break;
	}
}

/* LPSW of a PSW that continues at the next instruction, with other masks,
 * CC and (in a problem-state block's header) P; sometimes an invalid one. */
static void gen_lpsw_next(struct gen *g, bool problem)
{
	int d = const_alloc(g, 8, 8);
	if (d < 0)
		return;
	uint32_t w0 = (uint32_t)sysmask(g, false) << 24 | below(g, 4) << PSW_CC_SHIFT;
	if (chance(g, 30))
		w0 |= PSW_FPO;
	if (chance(g, 20))
		w0 |= PSW_MCK;
	if (problem)
		w0 |= PSW_PROBLEM;
	uint32_t w1 = g->pc + 4;
	bool bad = !problem && chance(g, 6);
	if (bad) {
		switch (below(g, 3)) {
		case 0: w0 |= 0x80000000u; break;  /* a bit that must be zero */
		case 1: w1 |= 2; break;            /* an unaligned address */
		default: d += 4; break;            /* an unaligned operand */
		}
	}
	put32(g, CONST + ((uint32_t)d & ~7u), w0);
	put32(g, CONST + ((uint32_t)d & ~7u) + 4, w1);
	emit(g, e_s(OP_LPSW, 11, (uint32_t)d));
}

/*
 * An external interruption whose condition is already true when it is
 * enabled -- clock comparator 0 (the TOD is past it) or a negative CPU
 * timer -- so that it comes at the same instruction boundary on both
 * machines, whatever time CP takes: right after the LCTL that enables
 * the subclass, or the STOSM that enables the PSW, whichever is last.
 * The handler logs it and masks the subclasses off again.
 */
static void gen_external(struct gen *g)
{
	int t = const_alloc(g, 8, 8), c = const_alloc(g, 4, 4);
	if (t < 0 || c < 0)
		return;
	bool ckc = chance(g, 50);
	put32(g, CONST + (uint32_t)t, ckc ? 0 : 0xFFFFFFFF);
	put32(g, CONST + (uint32_t)t + 4, ckc ? 0 : -(uint32_t)(1 + below(g, 1000)));
	put32(g, CONST + (uint32_t)c, (value(g) & ~(CR0_CKC_MASK | CR0_TIMER_MASK | CR0_KEY_MASK)) |
				      (ckc ? CR0_CKC_MASK : CR0_TIMER_MASK));
	emit(g, e_s(ckc ? OP_SCKC : OP_SPT, 11, (uint32_t)t));
	emit(g, e_rs(OP_LCTL, 0, 0, 11, (uint32_t)c));
	emit(g, e_si(OP_STOSM, PSW_EXT >> 24, 12, data_disp(g, 1, 1)));
}

/* One privileged op, safe in supervisor state. */
static void gen_privileged(struct gen *g)
{
	int d;
	switch (below(g, 17)) {
	case 16: /* an external interruption that is due at once */
		gen_external(g);
		break;
	case 0: /* SSM */
		if ((d = const_alloc(g, 1, 1)) < 0)
			break;
		g->m[CONST + (uint32_t)d] = sysmask(g, true);
		emit(g, e_s(OP_SSM, 11, (uint32_t)d));
		break;
	case 1: /* STNSM: AND can only clear, so any immediate */
		emit(g, e_si(OP_STNSM, below(g, 256), 12, data_disp(g, 1, 1)));
		break;
	case 2: /* STOSM */
		emit(g, e_si(OP_STOSM, sysmask(g, true), 12, data_disp(g, 1, 1)));
		break;
	case 3: case 4: { /* LCTL: CR0 never enables a subclass, CR1 is the tables */
		unsigned r1 = below(g, 16), n = 1 + below(g, 16);
		if ((d = const_alloc(g, 4 * n, 4)) < 0)
			break;
		for (unsigned i = 0; i < n; i++) {
			unsigned cr = (r1 + i) & 15;
			uint32_t v = value(g);
			if (cr == 0)
				v &= ~(CR0_CKC_MASK | CR0_TIMER_MASK | CR0_KEY_MASK);
			else if (cr == 1 && g->dat)
				v = chance(g, 80) ? CR1VAL : CR1VAL0;
			put32(g, CONST + (uint32_t)d + 4 * i, v);
		}
		emit(g, e_rs(OP_LCTL, r1, r1 + n - 1, 11, (uint32_t)d + (chance(g, 4) ? 2 : 0)));
		break;
	}
	case 5: { /* STCTL */
		unsigned r1 = below(g, 16), n = 1 + below(g, 16);
		emit(g, e_rs(OP_STCTL, r1, r1 + n - 1, 12, data_disp(g, 4 * n, 4)));
		break;
	}
	case 6: case 7: { /* LRA */
		unsigned r1 = wreg(g), rt = breg(g);
		emit_li(g, rt, lra_va(g));
		emit(g, e_rx(OP_LRA, r1, 0, rt, 0));
		break;
	}
	case 8:
		emit(g, e_s(OP_PTLB, 0, 0));
		break;
	case 9: /* SPT, SCKC: a doubleword constant */
		if ((d = const_alloc(g, 8, 8)) < 0)
			break;
		put32(g, CONST + (uint32_t)d, chance(g, 50) ? value(g) : 0);
		put32(g, CONST + (uint32_t)d + 4, value(g));
		emit(g, e_s(chance(g, 50) ? OP_SPT : OP_SCKC, 11,
			    (uint32_t)d + (chance(g, 5) ? 4 : 0)));
		break;
	case 10: { /* STPT: a timer value, into CLOCK */
		unsigned rt = breg(g);
		emit_li(g, rt, CLOCK + 8 * (g->clock_slot++ % 512));
		emit(g, e_s(OP_STPT, rt, 0));
		break;
	}
	case 11: /* STCKC: the comparator is no clock; compared */
		emit(g, e_s(OP_STCKC, 12, data_disp(g, 8, 8)));
		break;
	case 12: { /* STIDP into IDENT */
		unsigned rt = breg(g);
		emit_li(g, rt, IDENT + 8 * (g->ident_slot++ % 512));
		emit(g, e_s(OP_STIDP, rt, 0));
		break;
	}
	case 13: /* DIAGNOSE with nobody to call: CC 3 both ways */
		emit(g, e_rs(OP_DIAG, below(g, 16), below(g, 16), 0, below(g, 0x1000)));
		break;
	case 14: { /* I/O to devices that are not there: CC 3 */
		static const uint8_t ops[] = { OP_SIO, OP_TIO, OP_HIO };
		emit(g, e_s(PICK(ops), 0, 0x200 + below(g, 0xE00)));
		break;
	}
	default:
		gen_lpsw_next(g, false);
		break;
	}
}

/* One forward branch op, its target 1-4 ops ahead in this block. */
static void gen_branch(struct gen *g, int op)
{
	unsigned r1 = wreg(g);
	switch (below(g, 10)) {
	case 0: case 1: case 2:
		fixup(g, true, op);
		emit(g, e_ri(OP_BRC, below(g, 16), 0));
		break;
	case 3:
		fixup(g, true, op);
		emit(g, e_ri(chance(g, 50) ? OP_BRAS : OP_BRCT, r1, 0));
		break;
	default: { /* through a register loaded with the target */
		unsigned rt = breg(g);
		fixup(g, false, op);
		emit(g, e_ri(OP_LHI, rt, 0));
		switch (below(g, 7)) {
		case 0: emit(g, e_rr(OP_BCR, below(g, 16), rt)); break;
		case 1: emit(g, e_rr(OP_BALR, r1, rt)); break;
		case 2: emit(g, e_rr(OP_BCTR, r1, chance(g, 70) ? rt : 0)); break;
		case 3: emit(g, e_rx(OP_BC, below(g, 16), 0, rt, 0)); break;
		case 4: emit(g, e_rx(chance(g, 50) ? OP_BAL : OP_BCT, r1, 0, rt, 0)); break;
		default:
			emit(g, e_rs(chance(g, 50) ? OP_BXH : OP_BXLE, r1, below(g, 16), rt, 0));
			break;
		}
		break;
	}
	}
}

/* Devices of the I/O flavour, and one address nobody has. */
static const uint16_t io_devs[] = { 0x00C, 0x00D, 0x00E, 0x100, 0x100, 0x123 };

/*
 * A channel program of 1-4 random CCWs -- any command, any flags, counts
 * from 0 to past a block, data in the data area or now and then outside
 * storage, TICs anywhere in the chain (loops included: the channel cuts
 * them off) -- started with SIO; on CC 0 the program waits, enabled for
 * I/O only, until the interruption, so that it comes at the same point
 * of the program on both machines whatever CP's own time.
 */
static void gen_io(struct gen *g)
{
	static const uint8_t cmds[] = { CCW_CMD_WRITE, CCW_CMD_WRITE, CCW_CMD_READ, CCW_CMD_READ,
					CCW_CMD_CONTROL, CCW_CMD_SENSE, CCW_CMD_TIC, CCW_CMD_LOCATE,
					CCW_CMD_LOCATE, CCW_CMD_EJECT, 0x00, 0x77 };
	static const uint16_t counts[] = { 0, 1, 4, 80, 132, 512, 513, 1024, 1536 };
	uint32_t at = CCWAREA + 64 * (g->ccw_slot++ % 64);
	unsigned n = 1 + below(g, 4);
	int wait = const_alloc(g, 8, 8);
	int blk = const_alloc(g, 4, 4);
	if (wait < 0 || blk < 0)
		return;
	static const uint32_t blocks[] = { 0, 1, 5, 31, 62, 63, 64, 65, 0xFFFFFFFF };
	put32(g, CONST + (uint32_t)blk, PICK(blocks));
	for (unsigned i = 0; i < n; i++) {
		uint32_t cmd = PICK(cmds), count = PICK(counts), flags = 0, data;
		if (chance(g, 30)) flags |= CCW_FLAG_CD;
		if (chance(g, 50) || i + 1 < n) flags |= chance(g, 85) ? CCW_FLAG_CC : 0;
		if (chance(g, 40)) flags |= CCW_FLAG_SLI;
		if (chance(g, 10)) flags |= CCW_FLAG_SKIP;
		if (cmd == CCW_CMD_LOCATE) {
			count = 4;
			data = CONST + (uint32_t)blk;
		} else if (cmd == CCW_CMD_TIC) {
			data = at + 8 * below(g, 4);
		} else if (chance(g, 5)) {
			data = STOR - below(g, 64);           /* runs off the end */
		} else {
			if (count > DATA_LEN)
				count = DATA_LEN;
			data = DATA + below(g, DATA_LEN - count + 1);
		}
		put32(g, at + 8 * i, cmd << 24 | flags << 16 | count);
		put32(g, at + 8 * i + 4, data);
	}
	unsigned rt = breg(g);
	/* Disabled for I/O until the wait: were the program enabled, the
	 * interruption would come as soon as the operation ends -- on the
	 * bare machine during the wait, under CP (whose emulation takes
	 * time) perhaps before it, and the program would then wait for
	 * nothing.  That is timing, not behaviour. */
	emit(g, e_si(OP_STNSM, (uint8_t)~(PSW_IO >> 24), 12, data_disp(g, 1, 1)));
	emit_li(g, rt, at);
	emit(g, e_rx(OP_ST, rt, 0, 0, LC_CAW));
	emit(g, e_s(OP_SIO, 0, PICK(io_devs)));
	emit(g, e_ri(OP_BRC, 7, 2));                  /* not started: no wait */
	put32(g, CONST + (uint32_t)wait, PSW_WAIT | PSW_IO);
	put32(g, CONST + (uint32_t)wait + 4, g->pc + 4);
	emit(g, e_s(OP_LPSW, 11, (uint32_t)wait));
}

/* A straight-line block of n ops with forward branches inside it. */
static void gen_block(struct gen *g, int n)
{
	if (n > MAX_BLOCK)
		n = MAX_BLOCK;
	g->nops = n;
	g->nfix = 0;
	for (int i = 0; i < n; i++) {
		g->op_addr[i] = g->pc;
		unsigned k = below(g, 100);
		if (k < 50)
			gen_innocuous(g);
		else if (k < 70)
			gen_privileged(g);
		else if (k < 82)
			gen_exception(g);
		else if (g->io && k < 90)
			gen_io(g);
		else
			gen_branch(g, i);
	}
	g->op_addr[n] = g->pc;
	patch_block(g);
}

/* Point the PTE of the alias page somewhere else, then PTLB as the
 * architecture requires (without it the TLB contents would decide). */
static void gen_remap(struct gen *g)
{
	static const uint32_t ptes[] = { 0x6000, 0x7000, 0xD000, 0x6000 | PTE_PROTECT,
					 PTE_INVALID, 0x6100, 0x00100000 };
	unsigned ra = breg(g), rb;
	do
		rb = breg(g);
	while (rb == ra);
	emit_li(g, ra, PICK(ptes));
	emit_li(g, rb, ALIAS_PTE);
	emit(g, e_rx(OP_ST, ra, 0, rb, 0));
	emit(g, e_s(OP_PTLB, 0, 0));
}

static void gen_segment(struct gen *g)
{
	unsigned k = below(g, 100);
	if (k < 45) {
		gen_block(g, 3 + (int)below(g, 18));
	} else if (k < 70) {
		/* A counted loop: R13 belongs to it alone. */
		emit(g, e_ri(OP_LHI, 13, 2 + below(g, 5)));
		uint32_t top = g->pc;
		gen_block(g, 2 + (int)below(g, 8));
		emit(g, e_ri(OP_BRCT, 13, (top - g->pc) / 4));
	} else if (k < 88) {
		/* Problem state until the SVC, whose handler returns in
		 * supervisor state; privileged ops inside are exceptions. */
		gen_lpsw_next(g, true);
		gen_block(g, 2 + (int)below(g, 10));
		emit(g, e_ri(OP_SVC, 0, below(g, 0x10000)));
	} else if (g->dat) {
		gen_remap(g);
	} else {
		gen_block(g, 2 + (int)below(g, 6));
	}
}

/* Low storage, handlers, tables, data: what every program starts with. */
static void gen_frame(struct gen *g)
{
	uint8_t *m = g->m;
	/* New PSWs: program and SVC go to the handlers; the classes that
	 * must not happen stop in a disabled wait that names them. */
	put32(g, LC_PGM_NEW, 0);
	put32(g, LC_PGM_NEW + 4, PGMH);
	put32(g, LC_SVC_NEW, 0);
	put32(g, LC_SVC_NEW + 4, SVCH);
	put32(g, LC_EXT_NEW, 0);
	put32(g, LC_EXT_NEW + 4, EXTH);
	put32(g, NOTSUB, ~(CR0_CKC_MASK | CR0_TIMER_MASK | CR0_KEY_MASK));
	put32(g, LC_IO_NEW, g->io ? 0 : PSW_WAIT);
	put32(g, LC_IO_NEW + 4, g->io ? IOH : 0xE40);
	put32(g, NOTWIO, ~(PSW_WAIT | PSW_IO));
	put32(g, LC_MCK_NEW, PSW_WAIT);
	put32(g, LC_MCK_NEW + 4, 0xE50);
	put32(g, LOGP, LOG);
	put32(g, NOTP, ~PSW_PROBLEM);

	/* The program-interruption handler: skip a nullified instruction
	 * (translation exceptions point AT it), log, count, resume. */
	uint32_t h[] = {
		e_rs(OP_STM, 10, 11, 0, SAVE_PGM),
		e_rx(OP_L, 10, 0, 0, LC_PGM_CODE),
		e_ri(OP_CHI, 10, PGM_SEGMENT_TRANS),
		e_ri(OP_BRC, 8, 3),                     /* -> skip */
		e_ri(OP_CHI, 10, PGM_PAGE_TRANS),
		e_ri(OP_BRC, 7, 4),                     /* -> log */
		e_rx(OP_L, 11, 0, 0, LC_PGM_OLD + 4),   /* skip: */
		e_ri(OP_AHI, 11, 4),
		e_rx(OP_ST, 11, 0, 0, LC_PGM_OLD + 4),
		e_rx(OP_L, 11, 0, 0, LOGP),             /* log: */
		e_rx(OP_ST, 10, 0, 11, 0),
		e_rx(OP_L, 10, 0, 0, LC_PGM_OLD),
		e_rx(OP_ST, 10, 0, 11, 4),
		e_rx(OP_L, 10, 0, 0, LC_PGM_OLD + 4),
		e_rx(OP_ST, 10, 0, 11, 8),
		e_rx(OP_L, 10, 0, 0, LC_TRANS_ADDR),
		e_rx(OP_ST, 10, 0, 11, 12),
		e_rx(OP_L, 10, 0, 0, LC_PGM_INSN),
		e_rx(OP_ST, 10, 0, 11, 16),
		e_ri(OP_AHI, 11, LOG_ENTRY),
		e_ri(OP_NHI, 11, 0x0FFF),
		e_ri(OP_OHI, 11, LOG),
		e_rx(OP_ST, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, PGMCNT),
		e_ri(OP_AHI, 10, 1),
		e_rx(OP_ST, 10, 0, 0, PGMCNT),
		e_rs(OP_LM, 10, 11, 0, SAVE_PGM),
		e_s(OP_LPSW, 0, LC_PGM_OLD),
	};
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		put32(g, PGMH + 4 * (uint32_t)i, h[i]);

	/* The SVC handler: back to supervisor state, log (instruction word
	 * X'FFFFFFFF' marks an SVC), count, resume. */
	uint32_t s[] = {
		e_rs(OP_STM, 10, 11, 0, SAVE_SVC),
		e_rx(OP_L, 10, 0, 0, LC_SVC_OLD),
		e_rx(OP_N, 10, 0, 0, NOTP),
		e_rx(OP_ST, 10, 0, 0, LC_SVC_OLD),
		e_rx(OP_L, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, LC_SVC_CODE),
		e_rx(OP_ST, 10, 0, 11, 0),
		e_rx(OP_L, 10, 0, 0, LC_SVC_OLD),
		e_rx(OP_ST, 10, 0, 11, 4),
		e_rx(OP_L, 10, 0, 0, LC_SVC_OLD + 4),
		e_rx(OP_ST, 10, 0, 11, 8),
		e_ri(OP_LHI, 10, 0xFFFF),
		e_rx(OP_ST, 10, 0, 11, 16),
		e_ri(OP_AHI, 11, LOG_ENTRY),
		e_ri(OP_NHI, 11, 0x0FFF),
		e_ri(OP_OHI, 11, LOG),
		e_rx(OP_ST, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, SVCCNT),
		e_ri(OP_AHI, 10, 1),
		e_rx(OP_ST, 10, 0, 0, SVCCNT),
		e_rs(OP_LM, 10, 11, 0, SAVE_SVC),
		e_s(OP_LPSW, 0, LC_SVC_OLD),
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		put32(g, SVCH + 4 * (uint32_t)i, s[i]);

	/* The I/O-interruption handler: log device and CSW (instruction
	 * word X'FFFFFFFE' marks I/O), count, and resume after the wait,
	 * no longer waiting or enabled. */
	uint32_t io[] = {
		e_rs(OP_STM, 10, 11, 0, SAVE_IO),
		e_rx(OP_L, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, LC_IO_ADDR),
		e_rx(OP_ST, 10, 0, 11, 0),
		e_rx(OP_L, 10, 0, 0, LC_CSW),
		e_rx(OP_ST, 10, 0, 11, 4),
		e_rx(OP_L, 10, 0, 0, LC_CSW + 4),
		e_rx(OP_ST, 10, 0, 11, 8),
		e_ri(OP_LHI, 10, 0xFFFE),
		e_rx(OP_ST, 10, 0, 11, 16),
		e_ri(OP_AHI, 11, LOG_ENTRY),
		e_ri(OP_NHI, 11, 0x0FFF),
		e_ri(OP_OHI, 11, LOG),
		e_rx(OP_ST, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, LC_IO_OLD),
		e_rx(OP_N, 10, 0, 0, NOTWIO),
		e_rx(OP_ST, 10, 0, 0, LC_IO_OLD),
		e_rx(OP_L, 10, 0, 0, IOCNT),
		e_ri(OP_AHI, 10, 1),
		e_rx(OP_ST, 10, 0, 0, IOCNT),
		e_rs(OP_LM, 10, 11, 0, SAVE_IO),
		e_s(OP_LPSW, 0, LC_IO_OLD),
	};
	for (size_t i = 0; i < sizeof io / sizeof io[0]; i++)
		put32(g, IOH + 4 * (uint32_t)i, io[i]);

	/* The external-interruption handler: log the code (instruction word
	 * X'FFFFFFFD' marks external), mask the subclasses in CR0 off --
	 * the conditions are levels and would come straight back -- count,
	 * resume. */
	uint32_t ext[] = {
		e_rs(OP_STM, 10, 11, 0, SAVE_EXT),
		e_rx(OP_L, 11, 0, 0, LOGP),
		e_rx(OP_L, 10, 0, 0, LC_EXT_CODE),
		e_rx(OP_ST, 10, 0, 11, 0),
		e_rx(OP_L, 10, 0, 0, LC_EXT_OLD),
		e_rx(OP_ST, 10, 0, 11, 4),
		e_rx(OP_L, 10, 0, 0, LC_EXT_OLD + 4),
		e_rx(OP_ST, 10, 0, 11, 8),
		e_ri(OP_LHI, 10, 0xFFFD),
		e_rx(OP_ST, 10, 0, 11, 16),
		e_ri(OP_AHI, 11, LOG_ENTRY),
		e_ri(OP_NHI, 11, 0x0FFF),
		e_ri(OP_OHI, 11, LOG),
		e_rx(OP_ST, 11, 0, 0, LOGP),
		e_rs(OP_STCTL, 0, 0, 0, SAVE_CR0),
		e_rx(OP_L, 10, 0, 0, SAVE_CR0),
		e_rx(OP_N, 10, 0, 0, NOTSUB),
		e_rx(OP_ST, 10, 0, 0, SAVE_CR0),
		e_rs(OP_LCTL, 0, 0, 0, SAVE_CR0),
		e_rx(OP_L, 10, 0, 0, EXTCNT),
		e_ri(OP_AHI, 10, 1),
		e_rx(OP_ST, 10, 0, 0, EXTCNT),
		e_rs(OP_LM, 10, 11, 0, SAVE_EXT),
		e_s(OP_LPSW, 0, LC_EXT_OLD),
	};
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		put32(g, EXTH + 4 * (uint32_t)i, ext[i]);

	/* DAT tables: identity, with one page of each kind of trouble. */
	put32(g, SEGT, PAGET);
	put32(g, SEGT + 4, STE_INVALID);
	for (uint32_t p = 0; p < 1024; p++) {
		uint32_t pte = PTE_INVALID;
		if (p < STOR / VL32_PAGE_SIZE)
			pte = p << VL32_PAGE_SHIFT;
		switch (p) {
		case 0xE: pte = PTE_INVALID; break;
		case 0xF: pte = 0xF000 | PTE_PROTECT; break;
		case 0x10: pte = 0x00100000; break;        /* beyond storage */
		case 0x11: pte = 0x11000 | 0x100; break;   /* a bit that must be 0 */
		case 0x13: pte = 0x6000; break;            /* alias of the data */
		case 0x14: pte = 0x7000 | PTE_PROTECT; break;
		}
		put32(g, PAGET + 4 * p, pte);
	}
	/* Random data, both pages. */
	for (uint32_t a = DATA; a < DATA + DATA_LEN; a += 4)
		put32(g, a, value(g));
	(void)m;
}

/* A whole program for seed; returns the address after its last word. */
static uint32_t gen_program(uint8_t *m, uint64_t seed, bool dat, bool io)
{
	struct gen g = { .s = seed * 0x9E3779B97F4A7C15ull | 1, .m = m, .pc = CODE,
			 .dat = dat, .io = io };
	memset(m, 0, STOR);
	rnd(&g);
	gen_frame(&g);
	/* The constant at R11+0: the final disabled wait, address 0. */
	g.cnext = 8;
	put32(&g, CONST, PSW_WAIT);
	put32(&g, CONST + 4, 0);

	emit(&g, e_ri(OP_LHI, 11, CONST));
	emit(&g, e_ri(OP_LHI, 12, DATA));
	emit(&g, e_ri(OP_LHI, 13, 0));
	for (size_t i = 0; i < NWORK; i++)
		emit_li(&g, work_regs[i], value(&g));
	if (dat) {
		int d = const_alloc(&g, 4, 4);
		put32(&g, CONST + (uint32_t)d, CR1VAL);
		emit(&g, e_rs(OP_LCTL, 1, 1, 11, (uint32_t)d));
		if (chance(&g, 60))
			emit(&g, e_si(OP_STOSM, PSW_T >> 24, 12, 0));
	}
	/* Segments until the program is as long as this seed wants. */
	g.limit = CODE + 0x200 + below(&g, 0x1800);
	while (g.pc < g.limit)
		gen_segment(&g);

	/* Epilogue: supervisor state (SVC), the CC into R0, stop. */
	emit(&g, e_ri(OP_SVC, 0, 0));
	emit(&g, e_ri(OP_LHI, 0, 0));
	emit(&g, e_ri(OP_BRC, 8, 6));
	emit(&g, e_ri(OP_LHI, 0, 1));
	emit(&g, e_ri(OP_BRC, 4, 4));
	emit(&g, e_ri(OP_LHI, 0, 2));
	emit(&g, e_ri(OP_BRC, 2, 2));
	emit(&g, e_ri(OP_LHI, 0, 3));
	emit(&g, e_s(OP_LPSW, 11, 0));
	return g.pc;
}

/* ------------------------------------------------------------------ */
/* Running and comparing                                               */

/*
 * The devices of the I/O flavour, one set per machine: reader 00C with
 * five cards, punch 00D and printer 00E into memory, disk 100 of 64
 * blocks in an unlinked temporary file, filled from the seed.  After the
 * run, what each machine's devices hold is compared too.
 */
#define DISK_BLOCKS 64u
struct recbuf {
	uint8_t data[1 << 15];
	size_t len;
	int cards;                 /* reader: cards read so far */
};
struct devset {
	struct recbuf rdr, pun, prt;
	uint8_t disk[DISK_BLOCKS * DISK_BLOCK_SIZE];
};

static int rec_write(void *ctx, const uint8_t *buf, uint32_t len)
{
	struct recbuf *b = ctx;
	for (uint32_t i = 0; i <= len && b->len < sizeof b->data; i++)
		b->data[b->len++] = i < len ? buf[i] : '\n';
	return (int)len;
}

static int rec_read(void *ctx, uint8_t *buf, uint32_t max)
{
	struct recbuf *b = ctx;
	if (b->cards >= 5)
		return -1; /* end of file: unit exception */
	char card[80];
	memset(card, ' ', sizeof card);
	memcpy(card, "CARD 0  VL32 DIFFERENTIAL", 25);
	card[5] = (char)('0' + b->cards++);
	uint32_t n = max < 80 ? max : 80;
	memcpy(buf, card, n);
	return (int)n;
}

static void attach_devices(struct sim_iosys *io, struct devset *ds, uint64_t seed)
{
	char err[256];
	memset(ds, 0, sizeof *ds);
	struct sim_dev *d = sim_io_attach(io, 0x00C, DEV_READER, err, sizeof err);
	assert_non_null(d);
	d->rec = (struct sim_rec_backend){ &ds->rdr, rec_read, NULL, NULL };
	d = sim_io_attach(io, 0x00D, DEV_PUNCH, err, sizeof err);
	assert_non_null(d);
	d->rec = (struct sim_rec_backend){ &ds->pun, NULL, rec_write, NULL };
	d = sim_io_attach(io, 0x00E, DEV_PRINTER, err, sizeof err);
	assert_non_null(d);
	d->rec = (struct sim_rec_backend){ &ds->prt, NULL, rec_write, NULL };
	d = sim_io_attach(io, 0x100, DEV_DISK, err, sizeof err);
	assert_non_null(d);
	char path[] = "/tmp/vmlab-differential-disk-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	uint64_t x = seed | 1;
	for (size_t i = 0; i < sizeof ds->disk; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		ds->disk[i] = (uint8_t)x;
	}
	assert_int_equal(write(fd, ds->disk, sizeof ds->disk), (ssize_t)sizeof ds->disk);
	close(fd);
	if (sim_disk_open(d, path, 0, 0, false, err, sizeof err))
		fail_msg("%s", err);
	unlink(path);
}

/* What the disk holds now. */
static void read_disk(struct sim_iosys *io, struct devset *ds)
{
	struct sim_dev *d = sim_io_find(io, 0x100);
	assert_non_null(d);
	assert_int_equal(pread(d->disk.fd, ds->disk, sizeof ds->disk, 0), (ssize_t)sizeof ds->disk);
}

struct final {
	struct devset *dev;        /* NULL: no devices */
	uint32_t gpr[16];
	uint32_t psw0, psw1;
	uint8_t *mem;
	bool finished;
	char msg[160];
};

/* Blank out what may legitimately differ: clock and timer values, the
 * STIDP version byte. */
static void mask_timing(uint8_t *mem)
{
	memset(mem + CLOCK, 0, 0x1000);
	for (uint32_t a = IDENT; a < IDENT + 0x1000; a += 8)
		mem[a] = 0;
}

struct totals {
	uint64_t programs, instructions, emulated, reflected, shadow_faults;
	uint64_t pgm_interrupts, svcs, io_interrupts, ext_interrupts;
	uint64_t record_bytes;     /* punched and printed, bare */
};

static void run_bare(const uint8_t *img, uint64_t seed, struct final *f, uint64_t *insns)
{
	struct sim_machine *m = malloc(sizeof *m);
	assert_non_null(m);
	assert_int_equal(sim_machine_init(m, STOR), 0);
	if (f->dev)
		attach_devices(&m->io, f->dev, seed);
	memcpy(m->mem.base, img, STOR);
	sim_psw_load(&m->cpu, 0, CODE);
	enum machine_stop why = sim_machine_run(m, MAX_INSNS);
	f->finished = why == STOP_DISABLED_WAIT;
	if (!f->finished)
		snprintf(f->msg, sizeof f->msg, "bare machine: %s", machine_stop_names[why]);
	memcpy(f->gpr, m->cpu.gpr, sizeof f->gpr);
	f->psw0 = sim_psw_word0(&m->cpu);
	f->psw1 = m->cpu.psw_ia;
	memcpy(f->mem, m->mem.base, STOR);
	*insns = m->cpu.instructions;
	if (f->dev)
		read_disk(&m->io, f->dev);
	sim_machine_destroy(m);
	free(m);
}

static void run_cp(const uint8_t *img, uint64_t seed, struct final *f, struct totals *t)
{
	struct trap_vm *vm = malloc(sizeof *vm);
	assert_non_null(vm);
	assert_int_equal(trap_vm_init(vm, STOR), 0);
	if (f->dev)
		attach_devices(&vm->io, f->dev, seed);
	memcpy(vm->mem.base, img, STOR);
	trap_vm_start(vm, CODE);
	char msg[128] = "";
	f->finished = trap_run_alone(vm, MAX_INSNS, msg, sizeof msg) == 0;
	if (!f->finished)
		snprintf(f->msg, sizeof f->msg, "under CP: %s", msg);
	memcpy(f->gpr, vm->cpu.gpr, sizeof f->gpr);
	f->psw0 = trap_vpsw_word0(vm);
	f->psw1 = vm->cpu.psw_ia;
	memcpy(f->mem, vm->mem.base, STOR);
	t->emulated += vm->emulated;
	t->reflected += vm->reflected;
	t->shadow_faults += vm->shadow.faults;
	if (f->dev)
		read_disk(&vm->io, f->dev);
	trap_vm_destroy(vm);
	free(vm);
}

/* The listing of a failing program, for the person who must fix it. */
static void write_listing(uint64_t seed, const char *flavour, const uint8_t *img, uint32_t end,
			  const struct final *bare, const struct final *cp, const char *diff)
{
	char path[128];
	snprintf(path, sizeof path, "/tmp/vmlab-differential-%016llx-%s.txt",
		 (unsigned long long)seed, flavour);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "seed %016llx (%s): %s\n\n", (unsigned long long)seed, flavour, diff);
	for (int k = 0; k < 2; k++) {
		const struct final *s = k ? cp : bare;
		fprintf(f, "%s: PSW %08X %08X%s%s\n", k ? "under CP" : "bare", s->psw0, s->psw1,
			s->finished ? "" : "  -- ", s->msg);
		for (int r = 0; r < 16; r++)
			fprintf(f, "R%-2d %08X%s", r, s->gpr[r], r % 4 == 3 ? "\n" : "  ");
		fprintf(f, "interruption log (code, old PSW, translation address, insn):\n");
		/* The ring, oldest entry first. */
		uint32_t n = sim_get32(s->mem + PGMCNT) + sim_get32(s->mem + SVCCNT) +
			     sim_get32(s->mem + IOCNT) + sim_get32(s->mem + EXTCNT);
		uint32_t slots = 0x1000 / LOG_ENTRY, first = n > slots ? n % slots : 0;
		for (uint32_t k = 0; k < n && k < slots; k++) {
			const uint8_t *e = s->mem + LOG + ((first + k) % slots) * LOG_ENTRY;
			fprintf(f, "  %04X  %08X %08X  %08X  %08X\n", sim_get32(e),
				sim_get32(e + 4), sim_get32(e + 8), sim_get32(e + 12),
				sim_get32(e + 16));
		}
		fputc('\n', f);
	}
	for (uint32_t a = CODE; a < end; a += 4) {
		char text[64];
		uint32_t w = sim_get32(img + a);
		fprintf(f, "%08X  %08X  %s\n", a, w, disasm(w, a, text, sizeof text));
	}
	fprintf(f, "\nconstants (R11 = %04X) and channel programs (%04X):\n", CONST, CCWAREA);
	for (uint32_t a = CONST; a < CCWAREA + 0x1000; a += 16) {
		if (a == CONST + 0x1000)
			a = CCWAREA;
		if (!memcmp(img + a, (uint8_t[16]){ 0 }, 16))
			continue;
		fprintf(f, "%08X  %08X %08X %08X %08X\n", a, sim_get32(img + a),
			sim_get32(img + a + 4), sim_get32(img + a + 8), sim_get32(img + a + 12));
	}
	fclose(f);
	fprintf(stderr, "  listing: %s\n", path);
}

/* Say how two final states differ; false if they do not. */
static bool differs(const struct final *a, const struct final *b, char *msg, size_t len)
{
	for (int r = 0; r < 16; r++)
		if (a->gpr[r] != b->gpr[r]) {
			snprintf(msg, len, "R%d is %08X bare, %08X under CP", r, a->gpr[r], b->gpr[r]);
			return true;
		}
	if (a->psw0 != b->psw0 || a->psw1 != b->psw1) {
		snprintf(msg, len, "PSW %08X %08X bare, %08X %08X under CP", a->psw0, a->psw1,
			 b->psw0, b->psw1);
		return true;
	}
	for (uint32_t i = 0; i < STOR; i++)
		if (a->mem[i] != b->mem[i]) {
			uint32_t w = i & ~3u;
			snprintf(msg, len, "storage at %08X: word %08X bare, %08X under CP", i,
				 sim_get32(a->mem + w), sim_get32(b->mem + w));
			return true;
		}
	return false;
}

/* Devices differ?  Say where. */
static bool devices_differ(const struct devset *a, const struct devset *b, char *msg, size_t len)
{
	static const char *const names[] = { "reader 00C", "punch 00D", "printer 00E" };
	const struct recbuf *ra[] = { &a->rdr, &a->pun, &a->prt }, *rb[] = { &b->rdr, &b->pun, &b->prt };
	for (int i = 0; i < 3; i++)
		if (ra[i]->len != rb[i]->len || ra[i]->cards != rb[i]->cards ||
		    memcmp(ra[i]->data, rb[i]->data, ra[i]->len)) {
			snprintf(msg, len, "%s: %zu bytes, %d cards bare; %zu, %d under CP", names[i],
				 ra[i]->len, ra[i]->cards, rb[i]->len, rb[i]->cards);
			return true;
		}
	for (size_t i = 0; i < sizeof a->disk; i++)
		if (a->disk[i] != b->disk[i]) {
			snprintf(msg, len, "disk 100 differs at byte %zu (block %zu)", i,
				 i / DISK_BLOCK_SIZE);
			return true;
		}
	return false;
}

struct flavour {
	const char *name;
	bool dat, io;
	uint64_t base;     /* first seed */
};

/* Run one program both ways; false (after saying why) on a difference. */
static bool check_one(uint64_t seed, const struct flavour *fl, struct totals *t,
		      bool keep_listing)
{
	static uint8_t img[STOR];
	static uint8_t mem_bare[STOR], mem_cp[STOR];
	static struct devset dev_bare, dev_cp;
	uint32_t end = gen_program(img, seed, fl->dat, fl->io);
	struct final bare = { .mem = mem_bare, .dev = fl->io ? &dev_bare : NULL };
	struct final cp = { .mem = mem_cp, .dev = fl->io ? &dev_cp : NULL };
	uint64_t insns = 0;
	run_bare(img, seed, &bare, &insns);
	run_cp(img, seed, &cp, t);
	t->programs++;
	t->instructions += insns;
	t->pgm_interrupts += sim_get32(mem_bare + PGMCNT);
	t->svcs += sim_get32(mem_bare + SVCCNT);
	t->io_interrupts += sim_get32(mem_bare + IOCNT);
	t->ext_interrupts += sim_get32(mem_bare + EXTCNT);
	if (fl->io)
		t->record_bytes += dev_bare.pun.len + dev_bare.prt.len;
	char diff[256] = "";
	bool bad = false;
	if (!bare.finished || bare.psw1 != 0) {
		/* The generator promises a program that ends at address 0. */
		snprintf(diff, sizeof diff, "the program did not end normally bare: %s PSW %08X %08X",
			 bare.msg, bare.psw0, bare.psw1);
		bad = true;
	} else if (!cp.finished) {
		snprintf(diff, sizeof diff, "%s", cp.msg);
		bad = true;
	} else {
		mask_timing(mem_bare);
		mask_timing(mem_cp);
		bad = differs(&bare, &cp, diff, sizeof diff) ||
		      (fl->io && devices_differ(&dev_bare, &dev_cp, diff, sizeof diff));
	}
	if (bad)
		fprintf(stderr, "seed %016llx (%s): %s\n", (unsigned long long)seed, fl->name, diff);
	if (bad || keep_listing)
		write_listing(seed, fl->name, img, end, &bare, &cp, diff[0] ? diff : "same");
	return !bad;
}

static void init_undefined(void)
{
	nundefined = 0;
	for (int op = 0; op < 256; op++)
		if (!vl32_isa[op].mnemonic)
			undefined_ops[nundefined++] = (uint8_t)op;
}

static unsigned long program_count(void)
{
	const char *n = getenv("VMLAB_DIFF_COUNT");
	if (n && *n)
		return strtoul(n, NULL, 0);
	const char *san = getenv("SAN");
	return san && !strcmp(san, "1") ? 1000 : 4000;
}

static void run_many(const struct flavour *fl, unsigned long divisor)
{
	init_undefined();
	struct totals t = { 0 };
	const char *one = getenv("VMLAB_DIFF_SEED");
	if (one && *one) {
		assert_true(check_one(strtoull(one, NULL, 0), fl, &t, true));
		return;
	}
	unsigned long n = program_count() / divisor;
	int failures = 0;
	clock_t c0 = clock();
	for (unsigned long i = 0; i < n && failures < 5; i++)
		if (!check_one(fl->base + i, fl, &t, false))
			failures++;
	double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
	printf("%s: %llu programs, %llu instructions bare, %llu program, %llu SVC, %llu external "
	       "and %llu I/O interruptions; under CP %llu emulated, %llu reflected, %llu shadow "
	       "faults (%.2f s)\n",
	       fl->name, (unsigned long long)t.programs, (unsigned long long)t.instructions,
	       (unsigned long long)t.pgm_interrupts, (unsigned long long)t.svcs,
	       (unsigned long long)t.ext_interrupts,
	       (unsigned long long)t.io_interrupts, (unsigned long long)t.emulated,
	       (unsigned long long)t.reflected, (unsigned long long)t.shadow_faults, secs);
	assert_int_equal(failures, 0);
	/* Not vacuous: the programs did trap, reflect and (with DAT) fault,
	 * and (with devices) took I/O interruptions. */
	assert_true(t.emulated > 10 * t.programs);
	assert_true(t.pgm_interrupts > 2 * t.programs);
	assert_true(t.svcs > t.programs);
	assert_true(t.ext_interrupts > t.programs / 2);
	if (fl->dat)
		assert_true(t.shadow_faults > 5 * t.programs);
	if (fl->io) {
		assert_true(t.io_interrupts > t.programs);
		assert_true(t.record_bytes > 100 * t.programs);
	}
}

static void test_random_programs_dat_off(void **state)
{
	(void)state;
	static const struct flavour fl = { "real", false, false, 0x1000000 };
	run_many(&fl, 1);
}

static void test_random_programs_dat_on(void **state)
{
	(void)state;
	static const struct flavour fl = { "dat", true, false, 0x2000000 };
	run_many(&fl, 1);
}

/* Channel programs: fewer, each run sets up devices and a disk file. */
static void test_random_programs_io(void **state)
{
	(void)state;
	static const struct flavour fl = { "io", true, true, 0x3000000 };
	run_many(&fl, 4);
}

/* The generator is deterministic: the same seed, the same program. */
static void test_generator_is_deterministic(void **state)
{
	(void)state;
	init_undefined();
	static uint8_t a[STOR], b[STOR];
	uint32_t ea = gen_program(a, 12345, true, true);
	uint32_t eb = gen_program(b, 12345, true, true);
	assert_int_equal(ea, eb);
	assert_memory_equal(a, b, STOR);
	gen_program(b, 12346, true, true);
	assert_memory_not_equal(a, b, STOR);
}

/* A hang must be a failure, not a stuck `make test`. */
static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_differential: no result within 300 s\n";
	ssize_t n = write(2, msg, sizeof msg - 1);
	(void)n;
	_exit(1);
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(300);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generator_is_deterministic),
		cmocka_unit_test(test_random_programs_dat_off),
		cmocka_unit_test(test_random_programs_dat_on),
		cmocka_unit_test(test_random_programs_io),
	};
	return cmocka_run_group_tests_name("differential", tests, NULL, NULL);
}
