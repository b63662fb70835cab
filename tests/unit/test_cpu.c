/*
 * tests/unit/test_cpu.c -- the CPU and its exit seam, with hand-encoded
 * instructions (no assembler), so that a failure here points at sim/cpu.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/exit_stats.h"
#include "sim/sim.h"

/* Encoders, one per format (see the diagram in sim/isa.def). */
static uint32_t rr(unsigned op, unsigned r1, unsigned r2)
{
	return op << 24 | r1 << 20 | r2 << 16;
}
static uint32_t rrr(unsigned op, unsigned r1, unsigned r2, unsigned r3)
{
	return op << 24 | r1 << 20 | r2 << 16 | r3 << 12;
}
static uint32_t ri(unsigned op, unsigned r1, int i)
{
	return op << 24 | r1 << 20 | ((uint32_t)i & 0xFFFF);
}
static uint32_t rx(unsigned op, unsigned r1, unsigned x, unsigned b, unsigned d)
{
	return op << 24 | r1 << 20 | x << 16 | b << 12 | d;
}
static uint32_t s_(unsigned op, unsigned b, unsigned d)
{
	return op << 24 | b << 12 | d;
}

struct fixture {
	struct sim_mem mem;
	struct sim_cpu cpu;
};

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof f);
	assert_int_equal(sim_mem_init(&f.mem, 64 * 1024), 0);
	sim_cpu_init(&f.cpu, f.mem);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_mem_free(&f->mem);
	return 0;
}

/* Put instructions at addr and point the PSW there. */
static void program(struct fixture *f, uint32_t addr, const uint32_t *w, int n)
{
	for (int i = 0; i < n; i++)
		sim_put32(f->mem.base + addr + 4 * i, w[i]);
	f->cpu.psw_ia = addr;
}

static void test_arith_and_cc(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = {
		ri(OP_LHI, 1, 5), ri(OP_LHI, 2, -7), rr(OP_AR, 1, 2), /* -2: CC 1 */
	};
	program(f, 0x1000, p, 3);
	struct sim_exit ex = sim_run(&f->cpu, 3);
	assert_int_equal(ex.reason, SIM_EXIT_BUDGET);
	assert_int_equal(f->cpu.gpr[1], (uint32_t)-2);
	assert_int_equal(f->cpu.cc, 1);
	assert_int_equal(f->cpu.instructions, 3);
	assert_int_equal(f->cpu.psw_ia, 0x100C);
}

static void test_overflow_masked_and_enabled(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = { ri(OP_LUI, 1, 0x7FFF), ri(OP_OHI, 1, 0xFFFF), ri(OP_AHI, 1, 1) };
	program(f, 0x1000, p, 3);
	struct sim_exit ex = sim_run(&f->cpu, 3);
	assert_int_equal(f->cpu.cc, 3); /* masked: just CC 3 */
	assert_int_equal(ex.reason, SIM_EXIT_BUDGET);
	program(f, 0x1000, p, 3);
	f->cpu.psw_mask |= PSW_FPO;
	ex = sim_run(&f->cpu, 10);
	assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
	assert_int_equal(ex.code, PGM_FIXED_OVERFLOW);
	assert_int_equal(ex.addr, 0x1008);
	assert_int_equal(f->cpu.psw_ia, 0x100C); /* completed: PSW -> next */
}

static void test_privileged_in_problem_state_exits(void **state)
{
	struct fixture *f = *state;
	/* Every PRIVILEGED instruction of the table must trap in problem
	 * state, with the PSW pointing past it: CP depends on it. */
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		if (in->pgclass != PRIVILEGED)
			continue;
		uint32_t w = (uint32_t)in->opcode << 24 | 0x800; /* EA 0x800 */
		program(f, 0x2000, &w, 1);
		f->cpu.psw_mask = PSW_PROBLEM;
		struct sim_exit ex = sim_run(&f->cpu, 100);
		assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
		assert_int_equal(ex.code, PGM_PRIVILEGED);
		assert_int_equal(ex.insn, w);
		assert_int_equal(ex.addr, 0x2000);
		assert_int_equal(f->cpu.psw_ia, 0x2004);
	}
	/* ... and no innocuous one does. */
	uint32_t w = rr(OP_LR, 1, 2);
	program(f, 0x2000, &w, 1);
	f->cpu.psw_mask = PSW_PROBLEM;
	struct sim_exit ex = sim_run(&f->cpu, 1);
	assert_int_equal(ex.reason, SIM_EXIT_BUDGET);
}

static void test_io_and_diag_exit_in_supervisor(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = { s_(OP_SIO, 0, 0x009), rx(OP_DIAG, 1, 2, 0, 0x08) };
	program(f, 0x1000, p, 2);
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_IO_INSN);
	assert_int_equal(ex.ea, 0x009);
	assert_int_equal(f->cpu.psw_ia, 0x1004);
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_DIAG);
	assert_int_equal(ex.ea, 0x08);
}

static void test_svc_and_operation_exception(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = { 0x0A000042u, 0xFF000000u };
	program(f, 0x1000, p, 2);
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_SVC);
	assert_int_equal(ex.code, 0x42);
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
	assert_int_equal(ex.code, PGM_OPERATION);
}

static void test_addressing_and_alignment(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = { ri(OP_LUI, 2, 0x0010), rx(OP_L, 1, 0, 2, 0), /* 0x100000: beyond 64K */
			 rx(OP_L, 1, 0, 0, 0x802) };                  /* misaligned */
	program(f, 0x1000, p, 3);
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
	assert_int_equal(ex.code, PGM_ADDRESSING);
	assert_int_equal(ex.ea, 0x100000);
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_SPECIFICATION);
	/* A branch to beyond storage: the fetch fails, nothing counted. */
	uint32_t b[] = { ri(OP_LUI, 3, 0x7000), rr(OP_BCR, 15, 3) };
	program(f, 0x1000, b, 2);
	uint64_t n = f->cpu.instructions;
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_ADDRESSING);
	assert_int_equal(ex.addr, 0x70000000);
	assert_int_equal(f->cpu.psw_ia, 0x70000000);
	assert_int_equal(f->cpu.instructions, n + 2);
}

/* Identity-map the first 64 KiB, except page 5 (invalid) and page 6
 * (protected).  Tables at 0x8000 (segment) and 0x9000 (page). */
static void build_tables(struct fixture *f)
{
	uint8_t *m = f->mem.base;
	memset(m + 0x8000, 0, 0x2000);
	sim_put32(m + 0x8000, 0x9000); /* segment 0 -> page table */
	for (uint32_t pg = 0; pg < 16; pg++) {
		uint32_t pte = pg << 12;
		if (pg == 5)
			pte |= PTE_INVALID;
		if (pg == 6)
			pte |= PTE_PROTECT;
		sim_put32(m + 0x9000 + 4 * pg, pte);
	}
	for (uint32_t pg = 16; pg < 1024; pg++)
		sim_put32(m + 0x9000 + 4 * pg, PTE_INVALID);
	f->cpu.cr[1] = 0x8000 | 0; /* one segment */
	sim_tlb_purge(&f->cpu);
}

static void test_dat_translation_and_exceptions(void **state)
{
	struct fixture *f = *state;
	build_tables(f);
	sim_put32(f->mem.base + 0x3000, 0xCAFEF00D);
	uint32_t p[] = {
		rx(OP_L, 1, 0, 2, 0),  /* R2 = 0x3000: mapped */
		rx(OP_L, 1, 0, 3, 0),  /* R3 = 0x5000: page invalid */
	};
	program(f, 0x1000, p, 2);
	f->cpu.gpr[2] = 0x3000;
	f->cpu.gpr[3] = 0x5004;
	f->cpu.psw_mask = PSW_T;
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(f->cpu.gpr[1], 0xCAFEF00D);
	assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
	assert_int_equal(ex.code, PGM_PAGE_TRANS);
	assert_int_equal(ex.ea, 0x5004);
	assert_int_equal(f->cpu.psw_ia, 0x1004); /* nullified: points AT it */

	/* Store into the protected page. */
	uint32_t q = rx(OP_ST, 1, 0, 4, 0);
	program(f, 0x1000, &q, 1);
	f->cpu.gpr[4] = 0x6000;
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_PROTECTION);
	assert_int_equal(f->cpu.psw_ia, 0x1004);

	/* Beyond the segment-table length. */
	f->cpu.gpr[4] = 0x00400000;
	program(f, 0x1000, &q, 1);
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_SEGMENT_TRANS);

	/* Reserved bits in a PTE. */
	sim_put32(f->mem.base + 0x9000 + 4 * 7, 0x7000 | 0x100);
	f->cpu.gpr[4] = 0x7000;
	program(f, 0x1000, &q, 1);
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_TRANS_SPEC);
}

static void test_tlb_stale_until_purge(void **state)
{
	struct fixture *f = *state;
	build_tables(f);
	sim_put32(f->mem.base + 0x3000, 111);
	sim_put32(f->mem.base + 0x4000, 222);
	uint32_t p[] = { rx(OP_L, 1, 0, 2, 0), rx(OP_L, 1, 0, 2, 0), s_(OP_PTLB, 0, 0),
			 rx(OP_L, 1, 0, 2, 0) };
	program(f, 0x1000, p, 4);
	f->cpu.gpr[2] = 0x3000;
	f->cpu.psw_mask = PSW_T;
	sim_run(&f->cpu, 1);
	assert_int_equal(f->cpu.gpr[1], 111);
	/* Remap page 3 to frame 4 behind the CPU's back: the TLB keeps the
	 * old translation (architecturally allowed) until PTLB. */
	sim_put32(f->mem.base + 0x9000 + 12, 0x4000);
	sim_run(&f->cpu, 1);
	assert_int_equal(f->cpu.gpr[1], 111);
	sim_run(&f->cpu, 1);  /* PTLB */
	sim_run(&f->cpu, 20); /* through the check, then L */
	assert_int_equal(f->cpu.gpr[1], 222);
}

static void test_cpu_timer_interrupt_is_exact(void **state)
{
	struct fixture *f = *state;
	/* A loop of 1-cycle instructions; the timer expires after 100. */
	uint32_t p[] = { ri(OP_AHI, 1, 1), ri(OP_BRC, 15, -1) };
	program(f, 0x1000, p, 2);
	f->cpu.cr[0] = CR0_TIMER_MASK;
	f->cpu.psw_mask = PSW_EXT;
	sim_timer_set(&f->cpu, 100);
	struct sim_exit ex = sim_run(&f->cpu, 1000000);
	assert_int_equal(ex.reason, SIM_EXIT_EXTERNAL);
	assert_int_equal(ex.code, EXT_CPU_TIMER);
	assert_true(sim_timer_value(&f->cpu) < 0);
	/* Within one instruction of the deadline, never long after. */
	assert_true(f->cpu.cycles >= 101 && f->cpu.cycles <= 103);
	/* Disabled: the condition waits, the program runs on. */
	f->cpu.psw_mask = 0;
	ex = sim_run(&f->cpu, 1000);
	assert_int_equal(ex.reason, SIM_EXIT_BUDGET);
}

static void test_wait_and_breakpoint(void **state)
{
	struct fixture *f = *state;
	uint32_t p[] = { ri(OP_LHI, 1, 1), ri(OP_LHI, 1, 2), ri(OP_LHI, 1, 3) };
	program(f, 0x1000, p, 3);
	f->cpu.breaks[0] = 0x1008;
	f->cpu.nbreaks = 1;
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_BREAK);
	assert_int_equal(ex.addr, 0x1008);
	assert_int_equal(f->cpu.gpr[1], 2);
	ex = sim_run(&f->cpu, 1); /* resumes past the stop */
	assert_int_equal(f->cpu.gpr[1], 3);
	f->cpu.nbreaks = 0;
	assert_true(sim_psw_load(&f->cpu, PSW_WAIT, 0x124));
	ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_WAIT);
}

static void test_lpsw_rejects_invalid_psw(void **state)
{
	struct fixture *f = *state;
	sim_put32(f->mem.base + 0x800, 0x80000000u); /* reserved bit */
	sim_put32(f->mem.base + 0x804, 0x2000);
	uint32_t w = s_(OP_LPSW, 0, 0x800);
	program(f, 0x1000, &w, 1);
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.reason, SIM_EXIT_PROGRAM);
	assert_int_equal(ex.code, PGM_SPECIFICATION);
	assert_false(sim_psw_load(&f->cpu, 0, 0x1002)); /* odd address */
}

static void test_mvc_overlap_propagates(void **state)
{
	struct fixture *f = *state;
	uint8_t *m = f->mem.base;
	memset(m + 0x3000, 0xEE, 16);
	m[0x3000] = 0x5A;
	uint32_t p[] = { rrr(OP_MVC, 1, 2, 3) };
	program(f, 0x1000, p, 1);
	f->cpu.gpr[1] = 0x3001;
	f->cpu.gpr[2] = 0x3000;
	f->cpu.gpr[3] = 15;
	sim_run(&f->cpu, 100);
	for (int i = 0; i < 16; i++)
		assert_int_equal(m[0x3000 + i], 0x5A);
	f->cpu.gpr[3] = 4097;
	program(f, 0x1000, p, 1);
	struct sim_exit ex = sim_run(&f->cpu, 100);
	assert_int_equal(ex.code, PGM_SPECIFICATION);
}

/*
 * MVC and CLC against the architecture's definition, a byte at a time
 * left to right, for every length 0..70 and relative position -20..+20
 * of the operands (disjoint, overlapping either way, identical): the fast
 * loop copies and compares 8 and 16 bytes at a time and ends with an
 * overlapping last word, and must give the same bytes and CC for each.
 */
static void test_mvc_clc_match_byte_model(void **state)
{
	struct fixture *f = *state;
	uint8_t *m = f->mem.base;
	static uint8_t want[256];
	uint32_t x = 12345;
	for (uint32_t len = 0; len <= 70; len++)
		for (int delta = -20; delta <= 20; delta++) {
			uint32_t src = 0x3000 + 40, dst = (uint32_t)((int)src + delta);
			for (int i = 0; i < 256; i++) {
				x = x * 1103515245u + 12345u;
				m[0x3000 + i] = (uint8_t)(x >> 16);
			}
			memcpy(want, m + 0x3000, 256);
			for (uint32_t i = 0; i < len; i++)
				want[dst - 0x3000 + i] = want[src - 0x3000 + i];
			/* The SVC after it ends the run. */
			uint32_t p[] = { rrr(OP_MVC, 1, 2, 3), ri(OP_SVC, 0, 1) };
			program(f, 0x1000, p, 2);
			f->cpu.gpr[1] = dst;
			f->cpu.gpr[2] = src;
			f->cpu.gpr[3] = len;
			struct sim_exit ex = sim_run(&f->cpu, 1000);
			assert_int_equal(ex.reason, SIM_EXIT_SVC);
			assert_memory_equal(m + 0x3000, want, 256);
			/* CLC of two copies differing at one byte (or none). */
			for (uint32_t at = 0; at <= len; at += len / 3 + 1) {
				memcpy(m + 0x3100, m + 0x3000, len);
				memcpy(m + 0x3200, m + 0x3000, len);
				uint32_t cc_want = 0;
				if (at < len) {
					m[0x3200 + at] ^= (uint8_t)(1 + (at & 0x7F));
					cc_want = m[0x3100 + at] < m[0x3200 + at] ? 1 : 2;
				}
				uint32_t q[] = { rrr(OP_CLC, 1, 2, 3), ri(OP_SVC, 0, 1) };
				program(f, 0x1000, q, 2);
				f->cpu.gpr[1] = 0x3100;
				f->cpu.gpr[2] = 0x3200;
				f->cpu.cc = 3;
				ex = sim_run(&f->cpu, 1000);
				assert_int_equal(ex.reason, SIM_EXIT_SVC);
				assert_int_equal(f->cpu.cc, cc_want);
			}
		}
}

static void test_determinism(void **state)
{
	struct fixture *f = *state;
	/* The same program from the same state: the same state after, to the
	 * cycle. */
	uint32_t p[] = { ri(OP_LHI, 1, 1000), ri(OP_MHI, 2, 3), ri(OP_AHI, 2, 1),
			 ri(OP_BRCT, 1, -2), s_(OP_STCK, 0, 0x800) };
	uint32_t regs[2][16];
	uint64_t cyc[2];
	for (int run = 0; run < 2; run++) {
		sim_cpu_init(&f->cpu, f->mem);
		program(f, 0x1000, p, 5);
		sim_run(&f->cpu, 100000);
		memcpy(regs[run], f->cpu.gpr, sizeof regs[run]);
		cyc[run] = f->cpu.cycles;
	}
	assert_memory_equal(regs[0], regs[1], sizeof regs[0]);
	assert_int_equal(cyc[0], cyc[1]);
}

static void test_exit_stats(void **state)
{
	(void)state;
	struct exit_stats s, t;
	exit_stats_reset(&s);
	exit_stats_reset(&t);
	exit_stats_add(&s, EXK_SVC, 3);
	for (int i = 0; i < 300; i++)
		exit_stats_add(&s, EXK_PRIVILEGED, (uint32_t)(i % 200));
	assert_int_equal(s.count[EXK_PRIVILEGED], 300);
	assert_int_equal(exit_stats_total(&s), 301);
	assert_int_equal(exit_stats_detail(&s, EXK_SVC, 3), 1);
	assert_int_equal(exit_stats_detail(&s, EXK_SVC, 4), 0);
	/* More distinct keys than slots: counted, never lost. */
	assert_true(s.detail_overflow > 0);
	exit_stats_merge(&t, &s);
	assert_int_equal(exit_stats_total(&t), 301);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arith_and_cc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_masked_and_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privileged_in_problem_state_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_and_diag_exit_in_supervisor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_svc_and_operation_exception, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addressing_and_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dat_translation_and_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_stale_until_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_timer_interrupt_is_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_and_breakpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpsw_rejects_invalid_psw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mvc_overlap_propagates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mvc_clc_match_byte_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_determinism, setup, teardown),
		cmocka_unit_test(test_exit_stats),
	};
	return cmocka_run_group_tests_name("cpu", tests, NULL, NULL);
}
