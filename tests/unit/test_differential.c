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
 *   0x0000  low storage: new PSWs; program and SVC handlers at 0x200/0x300
 *           that log every interruption (code, old PSW, translation address,
 *           instruction) into a ring at 0x8000 and resume the program
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
 *
 * The privileged instructions are the ones a supervisor may run without
 * stopping the machine: SSM/STNSM/STOSM and LPSW to the next instruction
 * (masks stay effectively disabled: CR0 never enables a subclass and there
 * are no devices), LCTL/STCTL, SPT/STPT, SCKC/STCKC, STIDP, PTLB, LRA,
 * DIAGNOSE (CC 3 with nobody to call) and SIO/TIO/HIO to absent devices.
 * Exceptions come from undefined opcodes, misaligned operands, odd
 * register pairs, divides by zero, overflow with the mask on, invalid
 * system masks and PSWs, wild addresses, every kind of translation
 * exception, and privileged instructions in problem state.
 *
 * Only three things may legitimately differ, and they are kept out of the
 * comparison: clock and timer values (they differ by CP's own time), the
 * STIDP version byte, and nothing else.
 *
 * VMLAB_DIFF_COUNT=n runs n programs per test; VMLAB_DIFF_SEED=x runs the
 * one program of seed x (both hex or decimal) and keeps its listing.  Under
 * the sanitizers (SAN=1, set by make test) the default count is smaller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sim/asm.h"
#include "sim/machine.h"
#include "trap/trap.h"

/* ------------------------------------------------------------------ */
/* The storage map                                                     */

#define STOR      0x10000u
#define PGMH      0x0200u   /* program-interruption handler */
#define SVCH      0x0300u   /* SVC handler */
#define SAVE_PGM  0x01C0u   /* the handlers' register save areas */
#define SAVE_SVC  0x01C8u
#define LOGP      0x01D0u   /* next log entry */
#define PGMCNT    0x01D4u   /* program interruptions taken */
#define NOTP      0x01D8u   /* ~PSW_PROBLEM, for the SVC handler */
#define SVCCNT    0x01DCu   /* SVC interruptions taken */
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
#define CR1VAL    (SEGT | 1u)  /* segment table at 0xB000, segments 0-1 */
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
	bool problem;            /* generating a problem-state block */
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

/* One privileged op, safe in supervisor state. */
static void gen_privileged(struct gen *g)
{
	int d;
	switch (below(g, 16)) {
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
				v = CR1VAL;
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
		emit(g, e_s(PICK(ops), 0, below(g, 0x1000)));
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
		g->problem = true;
		gen_lpsw_next(g, true);
		gen_block(g, 2 + (int)below(g, 10));
		emit(g, e_ri(OP_SVC, 0, below(g, 0x10000)));
		g->problem = false;
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
	put32(g, LC_EXT_NEW, PSW_WAIT);
	put32(g, LC_EXT_NEW + 4, 0xE30);
	put32(g, LC_IO_NEW, PSW_WAIT);
	put32(g, LC_IO_NEW + 4, 0xE40);
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
static uint32_t gen_program(uint8_t *m, uint64_t seed, bool dat)
{
	struct gen g = { .s = seed * 0x9E3779B97F4A7C15ull | 1, .m = m, .pc = CODE,
			 .dat = dat };
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

struct final {
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
	uint64_t pgm_interrupts, svcs;
};

static void run_bare(const uint8_t *img, struct final *f, uint64_t *insns)
{
	struct sim_machine *m = malloc(sizeof *m);
	assert_non_null(m);
	assert_int_equal(sim_machine_init(m, STOR), 0);
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
	sim_machine_destroy(m);
	free(m);
}

static void run_cp(const uint8_t *img, struct final *f, struct totals *t)
{
	struct trap_vm *vm = malloc(sizeof *vm);
	assert_non_null(vm);
	assert_int_equal(trap_vm_init(vm, STOR), 0);
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
	trap_vm_destroy(vm);
	free(vm);
}

/* The listing of a failing program, for the person who must fix it. */
static void write_listing(uint64_t seed, bool dat, const uint8_t *img, uint32_t end,
			  const struct final *bare, const struct final *cp, const char *diff)
{
	char path[128];
	snprintf(path, sizeof path, "/tmp/vmlab-differential-%016llx%s.txt",
		 (unsigned long long)seed, dat ? "-dat" : "");
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "seed %016llx (%s): %s\n\n", (unsigned long long)seed,
		dat ? "DAT tables" : "DAT off", diff);
	for (int k = 0; k < 2; k++) {
		const struct final *s = k ? cp : bare;
		fprintf(f, "%s: PSW %08X %08X%s%s\n", k ? "under CP" : "bare", s->psw0, s->psw1,
			s->finished ? "" : "  -- ", s->msg);
		for (int r = 0; r < 16; r++)
			fprintf(f, "R%-2d %08X%s", r, s->gpr[r], r % 4 == 3 ? "\n" : "  ");
		fprintf(f, "interruption log (code, old PSW, translation address, insn):\n");
		uint32_t n = sim_get32(s->mem + PGMCNT) + sim_get32(s->mem + SVCCNT);
		for (uint32_t i = 0; i < n && i < 0x1000 / LOG_ENTRY; i++) {
			const uint8_t *e = s->mem + LOG + i * LOG_ENTRY;
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
	fprintf(f, "\nconstants (R11 = %04X):\n", CONST);
	for (uint32_t a = CONST; a < CONST + 0x1000; a += 16) {
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

/* Run one program both ways; false (after saying why) on a difference. */
static bool check_one(uint64_t seed, bool dat, struct totals *t, bool keep_listing)
{
	static uint8_t img[STOR];
	static uint8_t mem_bare[STOR], mem_cp[STOR];
	uint32_t end = gen_program(img, seed, dat);
	struct final bare = { .mem = mem_bare }, cp = { .mem = mem_cp };
	uint64_t insns = 0;
	run_bare(img, &bare, &insns);
	run_cp(img, &cp, t);
	t->programs++;
	t->instructions += insns;
	t->pgm_interrupts += sim_get32(mem_bare + PGMCNT);
	t->svcs += sim_get32(mem_bare + SVCCNT);
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
		bad = differs(&bare, &cp, diff, sizeof diff);
	}
	if (bad)
		fprintf(stderr, "seed %016llx (%s): %s\n", (unsigned long long)seed,
			dat ? "DAT tables" : "DAT off", diff);
	if (bad || keep_listing)
		write_listing(seed, dat, img, end, &bare, &cp, diff[0] ? diff : "same");
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

static void run_many(bool dat, uint64_t base)
{
	init_undefined();
	struct totals t = { 0 };
	const char *one = getenv("VMLAB_DIFF_SEED");
	if (one && *one) {
		assert_true(check_one(strtoull(one, NULL, 0), dat, &t, true));
		return;
	}
	unsigned long n = program_count();
	int failures = 0;
	clock_t c0 = clock();
	for (unsigned long i = 0; i < n && failures < 5; i++)
		if (!check_one(base + i, dat, &t, false))
			failures++;
	double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
	printf("%s: %llu programs, %llu instructions bare, %llu program and %llu SVC "
	       "interruptions; under CP %llu emulated, %llu reflected, %llu shadow faults "
	       "(%.2f s)\n",
	       dat ? "DAT tables" : "DAT off", (unsigned long long)t.programs,
	       (unsigned long long)t.instructions, (unsigned long long)t.pgm_interrupts,
	       (unsigned long long)t.svcs, (unsigned long long)t.emulated,
	       (unsigned long long)t.reflected, (unsigned long long)t.shadow_faults, secs);
	assert_int_equal(failures, 0);
	/* Not vacuous: the programs did trap, reflect and (with DAT) fault. */
	assert_true(t.emulated > 10 * t.programs);
	assert_true(t.pgm_interrupts > 2 * t.programs);
	assert_true(t.svcs > t.programs);
	if (dat)
		assert_true(t.shadow_faults > 5 * t.programs);
}

static void test_random_programs_dat_off(void **state)
{
	(void)state;
	run_many(false, 0x1000000);
}

static void test_random_programs_dat_on(void **state)
{
	(void)state;
	run_many(true, 0x2000000);
}

/* The generator is deterministic: the same seed, the same program. */
static void test_generator_is_deterministic(void **state)
{
	(void)state;
	init_undefined();
	static uint8_t a[STOR], b[STOR];
	uint32_t ea = gen_program(a, 12345, true);
	uint32_t eb = gen_program(b, 12345, true);
	assert_int_equal(ea, eb);
	assert_memory_equal(a, b, STOR);
	gen_program(b, 12346, true);
	assert_memory_not_equal(a, b, STOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generator_is_deterministic),
		cmocka_unit_test(test_random_programs_dat_off),
		cmocka_unit_test(test_random_programs_dat_on),
	};
	return cmocka_run_group_tests_name("differential", tests, NULL, NULL);
}
