/*
 * tests/unit/test_adversarial.c -- Popek and Goldberg's resource-control
 * property: guests that try to escape, each under CP with neighbours.
 *
 * Every test logs on three users of the built-in directory:
 *
 *   ALICE  the attacker: a guest program, assembled here, that tries one
 *          way out (storage beyond its size, wild page tables, a segment
 *          table outside storage, a thousand segments to exhaust CP's
 *          shadow tables, channel programs that point outside, loop or
 *          rewrite themselves, other users' devices, DIAGNOSE with bad
 *          parameters or with CP commands that pull her machine out from
 *          under her, SIO storms, interruption loops and storms);
 *   BOB    an innocent guest that counts in a register forever, so that
 *          its share of the processor can be measured;
 *   CAROL  a stopped machine holding a known pattern in all its storage.
 *
 * What must hold after each attack (resource control, DESIGN.md invariant
 * 3): the attack ended as something the guest can see -- a program
 * interruption reflected into its own low storage, a condition code, a
 * CSW with channel program check, a DIAGNOSE return code -- or as a CP
 * message, never as a host crash (the sanitizer build runs this file
 * too); BOB's and CAROL's storage hashes are unchanged; cp_dispatch
 * returned; BOB got its fair share of the processor meanwhile; and
 * afterwards CAROL can still run a program to completion and CP answers
 * her command.
 *
 * The attacker logs what happened to it: R10 counts program
 * interruptions, and their codes are stored from X'E00' on.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp/cp.h"
#include "sim/asm.h"
#include "tests/unit/cp_fixture.h"

#define PGMLOG 0xE00u

struct fixture {
	struct cp_system sys;
	struct cp_outbuf out;              /* responses to commands we issue */
	struct cp_outbuf aterm, bterm, cterm; /* the three users' terminals */
	struct cp_outbuf oterm;            /* OPERATOR's, when a test needs him */
	struct cp_vm *alice, *bob, *carol;
	uint64_t bob_hash, carol_hash;
	char state[64];
};

/* FNV-1a over a guest's whole storage. */
static uint64_t storage_hash(const struct trap_vm *g)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t i = 0; i < g->mem.size; i++)
		h = (h ^ g->mem.base[i]) * 0x100000001b3ull;
	return h;
}

static struct cp_vm *logon(struct fixture *f, const char *user, struct cp_outbuf *term)
{
	struct cp_out o = cp_outbuf_out(term);
	struct cp_vm *vm = cp_logon(&f->sys, user, NULL, &o, false);
	assert_non_null(vm);
	return vm;
}

/* Assemble a guest program, place it and make the machine runnable. */
static void start_guest(struct cp_vm *vm, const char *src)
{
	struct sim_image img;
	struct asm_options opt = { .errors = stderr };
	assert_int_equal(asm_string("guest.s", src, &opt, &img), 0);
	char err[128];
	memset(vm->g->mem.base, 0, vm->g->mem.size);
	assert_int_equal(sim_image_place(&img, &vm->g->mem, err, sizeof err), 0);
	trap_vm_reset(vm->g);
	trap_vm_start(vm->g, img.entry);
	vm->ipled = true;
	vm->state = CPVM_RUNNING;
	sim_image_free(&img);
}

/* BOB: count in R5 forever; touches no storage. */
static const char innocent_src[] =
	"         ORG   0x400\n"
	"START    AHI   R5,1\n"
	"         J     START\n"
	"         END   START\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	fixture_cp_start(&f->sys, f->state, sizeof f->state, "adv");
	f->alice = logon(f, "ALICE", &f->aterm);
	f->bob = logon(f, "BOB", &f->bterm);
	f->carol = logon(f, "CAROL", &f->cterm);
	start_guest(f->bob, innocent_src);
	/* CAROL holds a pattern that no one else may change. */
	for (uint32_t i = 0; i < f->carol->g->mem.size; i++)
		f->carol->g->mem.base[i] = (uint8_t)(i * 131 + 7);
	f->bob_hash = storage_hash(f->bob->g);
	f->carol_hash = storage_hash(f->carol->g);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	cp_shutdown(&f->sys);
	cp_outbuf_free(&f->out);
	cp_outbuf_free(&f->aterm);
	cp_outbuf_free(&f->bterm);
	cp_outbuf_free(&f->cterm);
	cp_outbuf_free(&f->oterm);
	fixture_rm_state(f->state);
	free(f);
	return 0;
}

/* Run a command for vm; its return code; the response in f->out. */
static int run(struct fixture *f, struct cp_vm *vm, const char *line)
{
	cp_outbuf_free(&f->out);
	struct cp_out o = cp_outbuf_out(&f->out);
	return cp_execute(&f->sys, vm, line, &o);
}

/*
 * Dispatch for `cycles` of simulated time with the attacker running.
 * cp_dispatch must return (BOB always can run, so it runs to `until`),
 * and BOB must have had a fair share: with two runnable machines, round
 * robin gives each about half; a quarter is the floor we insist on.
 */
static void dispatch_fairly(struct fixture *f, uint64_t cycles)
{
	uint64_t bob0 = f->bob->g->stats.cycles, r5 = f->bob->g->cpu.gpr[5];
	uint64_t until = f->sys.now + cycles;
	cp_dispatch(&f->sys, until);
	assert_true(f->sys.now >= until);
	uint64_t got = f->bob->g->stats.cycles - bob0;
	if (got < cycles / 4)
		fail_msg("BOB had %llu of %llu cycles while ALICE attacked",
			 (unsigned long long)got, (unsigned long long)cycles);
	assert_true(f->bob->g->cpu.gpr[5] != r5); /* and really counted */
	assert_int_equal(f->bob->state, CPVM_RUNNING);
}

/* The neighbours are untouched and CP still works for everyone. */
static void check_contained(struct fixture *f)
{
	assert_true(storage_hash(f->bob->g) == f->bob_hash);
	assert_true(storage_hash(f->carol->g) == f->carol_hash);
	/* CAROL runs a program to completion ... */
	start_guest(f->carol,
		    "         ORG   0x400\n"
		    "START    LHI   R1,10\n"
		    "         LHI   R2,0\n"
		    "LOOP     AR    R2,R1\n"
		    "         BRCT  R1,LOOP\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "DONE     PSW   PSW_WAIT,0\n"
		    "         END   START\n");
	cp_dispatch(&f->sys, f->sys.now + 2000000);
	assert_int_equal(f->carol->state, CPVM_STOPPED);
	assert_int_equal(f->carol->g->cpu.gpr[2], 55);
	assert_int_equal(f->carol->g->cpu.psw_ia, 0);
	/* ... and CP answers her. */
	assert_int_equal(run(f, f->carol, "QUERY NAMES"), 0);
	assert_non_null(strstr(f->out.text, "BOB"));
	assert_non_null(strstr(f->out.text, "CAROL"));
}

/* The attacker's frame: a program-check handler that counts in R10, logs
 * codes at X'E00' and resumes -- or stops at DONE if the old PSW points
 * beyond her storage (a failed instruction fetch: resuming would only
 * fail again); I/O through DOIO (R1 = device, CAW set; R15 :=
 * SIO CC, and for CC 0 it waits for the interruption: CSW at LC_CSW). */
#define ATTACK_HEAD                                   \
	"         ORG   LC_PGM_NEW\n"                 \
	"         PSW   0,PGM\n"                      \
	"         ORG   LC_IO_NEW\n"                  \
	"         PSW   0,IODONE\n"                   \
	"         ORG   0x400\n"
#define ATTACK_TAIL                                   \
	"PGM      STM   R8,R9,PGMSAVE\n"              \
	"         L     R9,LC_PGM_CODE\n"             \
	"         LR    R8,R10\n"                     \
	"         NHI   R8,127\n"                     \
	"         SLL   R8,2\n"                       \
	"         ST    R9,0xE00(R8)\n"               \
	"         AHI   R10,1\n"                      \
	"         L     R8,LC_PGM_OLD+4\n"            \
	"         CL    R8,TOP\n"                     \
	"         BRC   10,PGMSTOP\n"                 \
	"         LM    R8,R9,PGMSAVE\n"              \
	"         LPSW  LC_PGM_OLD\n"                 \
	"PGMSTOP  LPSW  DONE\n"                       \
	"TOP      DC    A(0x100000)\n"                \
	"DOIO     SIO   0(R1)\n"                      \
	"         BRC   8,DOIO0\n"                    \
	"         BRC   4,DOIO1\n"                    \
	"         BRC   2,DOIO2\n"                    \
	"         LHI   R15,3\n"                      \
	"         BR    R14\n"                        \
	"DOIO1    LHI   R15,1\n"                      \
	"         BR    R14\n"                        \
	"DOIO2    LHI   R15,2\n"                      \
	"         BR    R14\n"                        \
	"DOIO0    LPSW  IOWAIT\n"                     \
	"IODONE   LHI   R15,0\n"                      \
	"         BR    R14\n"                        \
	"         DS    0D\n"                         \
	"IOWAIT   PSW   PSW_WAIT|PSW_IO,0\n"          \
	"DONE     PSW   PSW_WAIT,0\n"                 \
	"PGMSAVE  DS    2F\n"                         \
	"         END   START\n"

static uint32_t pgm_code(struct cp_vm *vm, unsigned i)
{
	return sim_get32(vm->g->mem.base + PGMLOG + 4 * i);
}

/* Run the attack until ALICE stops; she must end at DONE (address 0). */
static void attack_to_completion(struct fixture *f, uint64_t cycles)
{
	dispatch_fairly(f, cycles);
	struct trap_vm *g = f->alice->g;
	if (f->alice->state != CPVM_STOPPED || g->cpu.psw_ia != 0)
		fail_msg("ALICE did not finish: state %d, PSW %08X %08X, R10 %u, terminal:\n%s",
			 f->alice->state, trap_vpsw_word0(g), g->cpu.psw_ia, g->cpu.gpr[10],
			 f->aterm.text ? f->aterm.text : "");
	/* CP said so, on ALICE's terminal only. */
	assert_non_null(strstr(f->aterm.text, "DISABLED WAIT"));
	assert_null(f->bterm.text ? strstr(f->bterm.text, "DISABLED WAIT") : NULL);
}

/* ------------------------------------------------------------------ */

/* Stores and fetches at and beyond the end of her 1 MiB, multi-word
 * operands that straddle it, and huge addresses: each an addressing
 * exception, and the part of an operand that was inside is not stored. */
static void test_storage_beyond_size(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LI    R1,0x00100000    ; exactly her size\n"
		    "         ST    R1,0(,R1)\n"
		    "         L     R2,0(,R1)\n"
		    "         LI    R1,0xFFFFFFFC\n"
		    "         ST    R1,0(,R1)\n"
		    "         LI    R1,0x000FFFF8\n"
		    "         STM   R0,R15,0(R1)     ; straddles the end\n"
		    "         LI    R3,0x000FFF00\n"
		    "         LA    R4,0x400\n"
		    "         LHI   R5,0x200\n"
		    "         MVC   R3,R4,R5         ; destination straddles\n"
		    "         MVC   R4,R3,R5         ; source straddles\n"
		    "         LI    R1,0x7FFFFFF0\n"
		    "         LLC   R2,0(,R1)\n"
		    "         LI    R1,0x00200000\n"
		    "         BR    R1               ; fetch beyond storage\n"
		    "         LPSW  DONE\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[10], 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(pgm_code(f->alice, i), PGM_ADDRESSING);
	/* Nothing of the straddling STM or MVC landed inside. */
	assert_int_equal(sim_get32(g->mem.base + 0xFFFF8), 0);
	assert_int_equal(sim_get32(g->mem.base + 0xFFFFC), 0);
	assert_int_equal(sim_get32(g->mem.base + 0xFFF00), 0);
	check_contained(f);
}

/* Her own page tables name frames beyond her storage and at huge
 * addresses, page-table origins outside her storage: every use is her
 * own addressing exception, through the shadow tables and through LRA. */
static void test_page_tables_pointing_outside(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LI    R6,0x10000       ; segment table\n"
		    "         LI    R7,0x11000       ; page table for segment 0\n"
		    "         ST    R7,0(,R6)\n"
		    "         LI    R1,0xFFFFF000    ; segment 1: page table far away\n"
		    "         ST    R1,4(,R6)\n"
		    "         LI    R1,0x000FF000    ; segment 2: page table in the last page\n"
		    "         ST    R1,8(,R6)\n"
		    "         LI    R1,0x00100000    ; segment 3: page table just beyond\n"
		    "         ST    R1,12(,R6)\n"
		    "* page table: pages 0-15 identity, 16 just beyond, 17 huge, 18 wraps\n"
		    "         LHI   R1,0\n"
		    "         LHI   R2,16\n"
		    "IDENT    ST    R1,0(,R7)\n"
		    "         AHI   R7,4\n"
		    "         AHI   R1,4096\n"
		    "         BRCT  R2,IDENT\n"
		    "         LI    R1,0x00100000\n"
		    "         ST    R1,0(,R7)\n"
		    "         LI    R1,0xFFFFF000\n"
		    "         ST    R1,4(,R7)\n"
		    "         LI    R1,0xFFFFF002    ; protected, still outside\n"
		    "         ST    R1,8(,R7)\n"
		    "* the last page's entries point beyond storage too\n"
		    "         LI    R7,0x000FF000\n"
		    "         LI    R1,0x7FFFF000\n"
		    "         ST    R1,0(,R7)\n"
		    "         LCTL  R1,R1,CR1\n"
		    "         STOSM SYSM,X'04'       ; DAT on\n"
		    "         LI    R1,0x10000\n"
		    "         L     R2,0(,R1)        ; page 16: addressing\n"
		    "         LI    R1,0x11000\n"
		    "         ST    R2,0(,R1)        ; page 17: addressing\n"
		    "         LI    R1,0x12000\n"
		    "         ST    R2,0(,R1)        ; page 18: addressing\n"
		    "         LI    R1,0x00400000\n"
		    "         L     R2,0(,R1)        ; segment 1: addressing\n"
		    "         LI    R1,0x00800000\n"
		    "         L     R2,0(,R1)        ; segment 2, page 0: addressing\n"
		    "         LI    R1,0x00C00000\n"
		    "         ST    R2,0(,R1)        ; segment 3: addressing\n"
		    "         LI    R3,0x10000\n"
		    "         LA    R4,0x400\n"
		    "         LHI   R5,16\n"
		    "         MVC   R3,R4,R5         ; MVC into page 16: addressing\n"
		    "         LI    R1,0x11000\n"
		    "         LRA   R2,0(,R1)        ; LRA: addressing too\n"
		    "         LI    R1,0x00400000\n"
		    "         LRA   R2,0(,R1)\n"
		    "         STNSM SYSM,X'00'       ; DAT off\n"
		    "         LPSW  DONE\n"
		    "CR1      DC    A(0x10000|3)\n"
		    "SYSM     DC    X'00'\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[10], 9);
	for (unsigned i = 0; i < 9; i++)
		assert_int_equal(pgm_code(f->alice, i), PGM_ADDRESSING);
	check_contained(f);
}

/* CR1 names a segment table beyond her storage: LRA raises addressing;
 * turning DAT on makes the very next instruction fetch fail the same way
 * (the handler then gives up and stops). */
static void test_segment_table_outside(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice,
		    "         ORG   LC_PGM_NEW\n"
		    "         PSW   0,PGM\n"
		    "         ORG   0x400\n"
		    "START    LCTL  R1,R1,CR1\n"
		    "         LRA   R2,0             ; addressing\n"
		    "         LCTL  R1,R1,CR1B\n"
		    "         LRA   R2,0             ; addressing\n"
		    "         SSM   DATON            ; DAT on: the next fetch fails\n"
		    "         LPSW  DONE\n"
		    "PGM      L     R9,LC_PGM_CODE\n"
		    "         LR    R8,R10\n"
		    "         SLL   R8,2\n"
		    "         ST    R9,0xE00(R8)\n"
		    "         AHI   R10,1\n"
		    "         CHI   R10,3\n"
		    "         BRC   4,BACK\n"
		    "         LPSW  DONE             ; the fetch: stop with DAT off\n"
		    "BACK     LPSW  LC_PGM_OLD\n"
		    "         DS    0D\n"
		    "DONE     PSW   PSW_WAIT,0\n"
		    "CR1      DC    A(0x7FFFF000|1023)\n"
		    "CR1B     DC    A(0xFFFFF000)\n"
		    "DATON    DC    X'04'\n"
		    "         END   START\n");
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[10], 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pgm_code(f->alice, i), PGM_ADDRESSING);
	/* The fetch exception: the old PSW has DAT on and points at the
	 * instruction that could not be fetched. */
	uint32_t old0 = sim_get32(g->mem.base + LC_PGM_OLD);
	uint32_t old1 = sim_get32(g->mem.base + LC_PGM_OLD + 4);
	assert_true(old0 & PSW_T);
	assert_int_equal(old1, 0x400 + 5 * 4);
	check_contained(f);
}

/*
 * A stale translation is still only her own storage.  CP keeps its
 * shadow tables while she switches DAT off and on (as the real machine
 * keeps its TLB), so she tries to profit: she uses page X'80' (frame
 * X'30'), turns DAT off, points the page far outside her storage WITHOUT
 * a purge, and turns DAT on again.  The architecture lets her see the
 * old translation or the new one; CP's shadow still has the old one, her
 * own frame -- nothing more.  After PTLB the new entry is all there is,
 * and it is an addressing exception, load and store alike.
 */
static void test_stale_translation_after_dat_off(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LI    R6,0x10000       ; segment table\n"
		    "         LI    R7,0x11000       ; page table\n"
		    "         ST    R7,0(,R6)\n"
		    "         LHI   R1,0\n"
		    "         LHI   R2,16            ; pages 0-15 identity\n"
		    "IDENT    ST    R1,0(,R7)\n"
		    "         AHI   R7,4\n"
		    "         AHI   R1,4096\n"
		    "         BRCT  R2,IDENT\n"
		    "         LI    R7,0x11000+4*0x80\n"
		    "         LI    R1,0x30000       ; page X'80' -> frame X'30'\n"
		    "         ST    R1,0(,R7)\n"
		    "         LI    R2,0x600DF00D\n"
		    "         ST    R2,0(,R1)\n"
		    "         LCTL  R1,R1,CR1\n"
		    "         LI    R8,0x80000\n"
		    "         STOSM SYSM,X'04'       ; DAT on: the shadow learns X'80'\n"
		    "         L     R2,0(,R8)\n"
		    "         ST    R2,4(,R8)\n"
		    "         STNSM SYSM,X'00'       ; DAT off\n"
		    "         LI    R1,0x7FFFF000    ; X'80' -> far outside, no PTLB\n"
		    "         ST    R1,0(,R7)\n"
		    "         STOSM SYSM,X'04'\n"
		    "         L     R3,0(,R8)        ; old or new: either is allowed\n"
		    "         ST    R3,8(,R8)\n"
		    "         STNSM SYSM,X'00'\n"
		    "         PTLB\n"
		    "         STOSM SYSM,X'04'\n"
		    "         L     R4,0(,R8)        ; now only the new: addressing\n"
		    "         ST    R2,12(,R8)       ; addressing\n"
		    "         STNSM SYSM,X'00'\n"
		    "         LPSW  DONE\n"
		    "CR1      DC    A(0x10000)\n"
		    "SYSM     DC    X'00'\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	/* CP's shadow kept the old translation: her own frame X'30' */
	assert_int_equal(g->cpu.gpr[3], 0x600DF00D);
	assert_int_equal(sim_get32(g->mem.base + 0x30008), 0x600DF00D);
	/* after the purge: two addressing exceptions, nothing loaded or
	 * stored anywhere */
	assert_int_equal(g->cpu.gpr[10], 2);
	assert_int_equal(pgm_code(f->alice, 0), PGM_ADDRESSING);
	assert_int_equal(pgm_code(f->alice, 1), PGM_ADDRESSING);
	assert_int_equal(g->cpu.gpr[4], 0);
	assert_int_equal(sim_get32(g->mem.base + 0x3000C), 0);
	check_contained(f);
}

/* Shadow tables on demand: her 1024 segments all map, through one page
 * table, to her first megabyte, and she reads through every one of them,
 * twice.  CP's shadow pool (SHADOW_MAX_PT page tables) cannot hold 1024:
 * it must recycle, stay within its bound, and still give right answers. */
static void test_shadow_table_thrash(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LI    R6,0x20000       ; segment table\n"
		    "         LI    R7,0x21000       ; the one page table\n"
		    "         LHI   R2,1024\n"
		    "STES     ST    R7,0(,R6)\n"
		    "         AHI   R6,4\n"
		    "         BRCT  R2,STES\n"
		    "         LHI   R1,0\n"
		    "         LHI   R2,256\n"
		    "PTES     ST    R1,0(,R7)\n"
		    "         AHI   R7,4\n"
		    "         AHI   R1,4096\n"
		    "         BRCT  R2,PTES\n"
		    "         LHI   R1,7\n"
		    "         ST    R1,0xF00\n"
		    "         LCTL  R1,R1,CR1\n"
		    "         STOSM SYSM,X'04'       ; DAT on\n"
		    "         LHI   R5,0\n"
		    "         LHI   R8,2\n"
		    "PASS     LHI   R4,0\n"
		    "         LUI   R6,0x0040        ; one segment\n"
		    "         LHI   R2,1024\n"
		    "SEGS     A     R5,0xF00(,R4)    ; the word at real F00, via segment i\n"
		    "         AR    R4,R6\n"
		    "         BRCT  R2,SEGS\n"
		    "         BRCT  R8,PASS\n"
		    "         STNSM SYSM,X'00'\n"
		    "         LPSW  DONE\n"
		    "CR1      DC    A(0x20000|1023)\n"
		    "SYSM     DC    X'00'\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 40000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[10], 0);
	assert_int_equal(g->cpu.gpr[5], 2 * 1024 * 7);
	assert_true(g->shadow.faults >= 2048);
	assert_true(g->shadow.npt <= g->shadow.max_pt);
	assert_true(g->shadow.rebuilds > 2); /* the pool was recycled */
	check_contained(f);
}

/* Channel programs whose CAW, CCWs or data lie outside her storage --
 * far away, straddling the end, wrapping at 4G, a CCW fetched from just
 * beyond -- each a channel program check in the CSW (SIO CC 1, or the
 * interruption), never a host access. */
static void test_ccw_addresses_outside(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LHI   R1,X'009'\n"
		    "         LA    R2,RES\n"
		    "         LA    R3,CCWS\n"
		    "         LHI   R4,5\n"
		    "NEXT     ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         ST    R15,0(,R2)       ; SIO CC\n"
		    "         L     R5,LC_CSW+4\n"
		    "         ST    R5,4(,R2)        ; CSW status\n"
		    "         AHI   R2,8\n"
		    "         AHI   R3,8\n"
		    "         BRCT  R4,NEXT\n"
		    "* the CAW itself outside storage, and misaligned\n"
		    "         LI    R3,0x00FFFFF8\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         ST    R15,0(,R2)\n"
		    "         L     R5,LC_CSW+4\n"
		    "         ST    R5,4(,R2)\n"
		    "         LA    R3,CCWS+4\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         ST    R15,8(,R2)\n"
		    "         L     R5,LC_CSW+4\n"
		    "         ST    R5,12(,R2)\n"
		    "* a data-chained CCW in the last doubleword: the next is outside\n"
		    "         LI    R3,0x000FFFF8\n"
		    "         LM    R6,R7,LASTCCW\n"
		    "         STM   R6,R7,0(R3)\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         ST    R15,16(,R2)\n"
		    "         L     R5,LC_CSW+4\n"
		    "         ST    R5,20(,R2)\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "CCWS     DC    X'01000050',A(0x7FFFFFF0)  ; write from far away\n"
		    "         DC    X'01000050',A(0x000FFFF0)  ; write straddling the end\n"
		    "         DC    X'04000001',A(0x00100000)  ; sense into just beyond\n"
		    "         DC    X'0100FFFF',A(0x000F0002)  ; 64K from near the end\n"
		    "         DC    X'02000050',A(0xFFFFFFF0)  ; read a line to the top of 4G\n"
		    "LASTCCW  DC    X'01800004',A(0x400)       ; data chaining onward\n"
		    "RES      DS    16F\n"
		    ATTACK_TAIL);
	/* The console READ waits for a line; type one for it, to be
	 * stored at 0xFFFFFFF0. */
	dispatch_fairly(f, 2000000);
	assert_true(cp_vm_reading(f->alice));
	assert_int_equal(cp_input(f->alice, "INTO THE VOID"), 0);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	/* Each of the eight attempts: SIO CC 1 (CSW stored) or CC 0 and an
	 * interruption, and either way channel program check. */
	uint32_t base = g->cpu.gpr[2] - 40; /* R2 is past the 5 CCW results */
	for (int i = 0; i < 8; i++) {
		uint32_t cc = sim_get32(g->mem.base + base + 8 * (uint32_t)i);
		uint32_t st = sim_get32(g->mem.base + base + 8 * (uint32_t)i + 4);
		if (cc > 1 || !((st >> 16) & CHAN_PROGRAM))
			fail_msg("attempt %d: SIO CC %u, CSW status %08X", i, cc, st);
	}
	assert_int_equal(g->cpu.gpr[10], 0); /* no program checks: I/O errors are CSWs */
	check_contained(f);
}

/* Channel programs that never end by themselves: a TIC to itself, a
 * command chain that TICs back, a TIC to a TIC.  The channel cuts each
 * off with a program check. */
static void test_ccw_tic_loops(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LHI   R1,X'009'\n"
		    "         LA    R2,RES\n"
		    "         LA    R3,P1\n"
		    "         BRAS  R13,ONE\n"
		    "         LA    R3,P2\n"
		    "         BRAS  R13,ONE\n"
		    "         LA    R3,P3\n"
		    "         BRAS  R13,ONE\n"
		    "         LPSW  DONE\n"
		    "ONE      ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         ST    R15,0(,R2)\n"
		    "         L     R5,LC_CSW+4\n"
		    "         ST    R5,4(,R2)\n"
		    "         AHI   R2,8\n"
		    "         BR    R13\n"
		    "         DS    0D\n"
		    "P1       DC    X'08000000',A(P1)          ; first CCW a TIC to itself\n"
		    "P2       DC    X'03400001',A(0)           ; NOP, chained\n"
		    "         DC    X'08000000',A(P2)          ; ... TIC back: forever\n"
		    "P3       DC    X'03400001',A(0)\n"
		    "P3T      DC    X'08000000',A(P3T)         ; TIC to itself mid-chain\n"
		    "RES      DS    6F\n"
		    ATTACK_TAIL);
	/* 4096 CCWs at 2000 cycles each keep her console busy a while. */
	attack_to_completion(f, 30000000);
	struct trap_vm *g = f->alice->g;
	uint32_t base = g->cpu.gpr[2] - 24;
	for (int i = 0; i < 3; i++) {
		uint32_t cc = sim_get32(g->mem.base + base + 8 * (uint32_t)i);
		uint32_t st = sim_get32(g->mem.base + base + 8 * (uint32_t)i + 4);
		if (cc > 1 || !((st >> 16) & CHAN_PROGRAM))
			fail_msg("program %d: SIO CC %u, CSW status %08X", i + 1, cc, st);
	}
	check_contained(f);
}

/* A channel program that rewrites itself while it runs: a disk READ whose
 * data area covers the CCWs after it brings in, from her own minidisk,
 * new CCWs -- a TIC loop in one block, a write from beyond storage in
 * another.  The channel runs what it finds and still contains it. */
static void test_self_modifying_channel_program(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LHI   R1,X'191'\n"
		    "* write the evil CCWs to blocks 5 and 6 of her 191\n"
		    "         LA    R3,WRITE\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R11,R15\n"
		    "         L     R12,LC_CSW+4\n"
		    "* read block 5 over the rest of the running program\n"
		    "         LHI   R3,5\n"
		    "         ST    R3,BLK\n"
		    "         LA    R3,SELF\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R6,R15\n"
		    "         L     R7,LC_CSW+4\n"
		    "* restore the chain and read block 6 over it\n"
		    "         LM    R2,R3,NOPCCW\n"
		    "         STM   R2,R3,TAIL\n"
		    "         LHI   R3,6\n"
		    "         ST    R3,BLK\n"
		    "         LA    R3,SELF\n"
		    "         ST    R3,LC_CAW\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R8,R15\n"
		    "         L     R9,LC_CSW+4\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "WRITE    DC    X'63400004',A(BLKW)        ; LOCATE block 5\n"
		    "         DC    X'01000400',A(EVIL)        ; WRITE blocks 5 and 6\n"
		    "SELF     DC    X'63400004',A(BLK)         ; LOCATE\n"
		    "         DC    X'02400200',A(TAIL)        ; READ 512 over TAIL...\n"
		    "TAIL     DC    X'03000001',A(0)           ; ... which was a NOP\n"
		    "         DS    XL512\n"
		    "NOPCCW   DC    X'03000001',A(0)\n"
		    "BLK      DC    F'5'\n"
		    "BLKW     DC    F'5'\n"
		    "         DS    0D\n"
		    "* block 5: a NOP chained to a TIC back to it (at TAIL's address)\n"
		    "EVIL     DC    X'03400001',A(0)\n"
		    "         DC    X'08000000',A(TAIL)\n"
		    "         DS    XL(512-16)\n"
		    "* block 6: a WRITE from beyond her storage\n"
		    "         DC    X'01000050',A(0x00FFFF00)\n"
		    "         DS    XL(512-8)\n"
		    "BLOCKEND DS    0F\n"
		    ATTACK_TAIL);
	/* The TIC loop runs 4096 CCWs at the disk's 3000 cycles each. */
	attack_to_completion(f, 40000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[11], 0);         /* the write worked */
	assert_int_equal(g->cpu.gpr[12] >> 24, UNIT_CE | UNIT_DE);
	/* Block 5's loop and block 6's wild write: both channel program
	 * checks, reported in the CSW of a started operation. */
	if (g->cpu.gpr[6] > 1 || !((g->cpu.gpr[7] >> 16) & CHAN_PROGRAM))
		fail_msg("TIC loop read in: SIO CC %u, CSW %08X", g->cpu.gpr[6], g->cpu.gpr[7]);
	if (g->cpu.gpr[8] > 1 || !((g->cpu.gpr[9] >> 16) & CHAN_PROGRAM))
		fail_msg("wild CCW read in: SIO CC %u, CSW %08X", g->cpu.gpr[8], g->cpu.gpr[9]);
	check_contained(f);
}

/* Devices belong to one virtual machine: with her printer detached,
 * ALICE's SIO to 00E is not operational even though BOB has a 00E; so is
 * her SIO to 00F, a printer only BOB has, and to an address nobody has.
 * Her own console still works. */
static void test_devices_are_per_vm(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(run(f, f->alice, "DETACH 00E"), 0);
	assert_null(sim_io_find(&f->alice->g->io, 0x00E));
	assert_non_null(sim_io_find(&f->bob->g->io, 0x00E));
	/* And BOB has a printer at 00F that only he has. */
	assert_int_equal(run(f, f->bob, "DEFINE PRT 00F"), 0);
	assert_non_null(sim_io_find(&f->bob->g->io, 0x00F));
	start_guest(f->alice, ATTACK_HEAD
		    "START    LA    R3,PRT\n"
		    "         ST    R3,LC_CAW\n"
		    "         LHI   R1,X'00E'\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R6,R15           ; SIO 00E\n"
		    "         TIO   X'00E'\n"
		    "         BRC   1,TIO3\n"
		    "         LHI   R7,99\n"
		    "         J     HIO\n"
		    "TIO3     LHI   R7,3\n"
		    "HIO      HIO   X'00E'\n"
		    "         BRC   1,HIO3\n"
		    "         LHI   R8,99\n"
		    "         J     OTHER\n"
		    "HIO3     LHI   R8,3\n"
		    "OTHER    LHI   R1,X'555'\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R9,R15           ; SIO 555\n"
		    "         LA    R3,PRT\n"
		    "         ST    R3,LC_CAW\n"
		    "         LHI   R1,X'00F'\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R12,R15          ; SIO 00F: BOB's alone\n"
		    "         LA    R3,CON\n"
		    "         ST    R3,LC_CAW\n"
		    "         LHI   R1,X'009'\n"
		    "         BRAS  R14,DOIO\n"
		    "         LR    R11,R15          ; her own console\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "PRT      DC    X'01000005',A(TEXT)\n"
		    "CON      DC    X'01000005',A(TEXT)\n"
		    "TEXT     DC    C'PWNED'\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(g->cpu.gpr[6], 3);
	assert_int_equal(g->cpu.gpr[7], 3);
	assert_int_equal(g->cpu.gpr[8], 3);
	assert_int_equal(g->cpu.gpr[9], 3);
	assert_int_equal(g->cpu.gpr[12], 3);
	assert_int_equal(g->cpu.gpr[11], 0);
	assert_non_null(strstr(f->aterm.text, "PWNED"));      /* her console */
	assert_null(f->bterm.text ? strstr(f->bterm.text, "PWNED") : NULL);
	assert_int_equal(sim_io_find(&f->bob->g->io, 0x00E)->stats.sio, 0);
	assert_int_equal(sim_io_find(&f->bob->g->io, 0x00F)->stats.sio, 0);
	check_contained(f);
}

/* DIAGNOSE with bad codes and bad parameters: each is her program
 * exception or an error return code, never a host access. */
static void test_diagnose_bad_parameters(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LA    R2,CMD\n"
		    "         LUI   R4,0x8000        ; DIAG 8: a 2^31-byte command\n"
		    "         DIAG  R2,R4,8\n"
		    "         LI    R2,0x7FFFFF00    ; DIAG 8: the command far away\n"
		    "         LHI   R4,11\n"
		    "         DIAG  R2,R4,8\n"
		    "         LA    R2,CMD           ; response buffer far away\n"
		    "         LHI   R4,11\n"
		    "         LI    R3,0xFFFFFF00\n"
		    "         LHI   R5,200\n"
		    "         DIAG  R2,R4,8\n"
		    "         LI    R3,0x000FFFF8    ; huge buffer straddling the end\n"
		    "         LHI   R5,-1\n"
		    "         DIAG  R2,R4,8\n"
		    "         LI    R2,0x00100000    ; DIAG 0: store beyond storage\n"
		    "         DIAG  R2,R3,0\n"
		    "         LI    R2,0x00100000    ; DIAG 18: parameter list outside\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         DIAG  R2,R3,0xFFF      ; no such function\n"
		    "         DIAG  R2,R3,0x123\n"
		    "* DIAG 18 errors that are return codes, not exceptions\n"
		    "         LA    R2,P1\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC\n"
		    "         LA    R2,P2\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC+4\n"
		    "         LA    R2,P3\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC+8\n"
		    "         LA    R2,P4\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC+12\n"
		    "         LA    R2,P5\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC+16\n"
		    "         LA    R2,P6\n"
		    "         DIAG  R2,R3,0x18\n"
		    "         ST    R3,RC+20\n"
		    "* a command of garbage: CP's message, in her buffer\n"
		    "         LA    R2,JUNK\n"
		    "         LHI   R4,8\n"
		    "         LA    R3,RESP\n"
		    "         LHI   R5,100\n"
		    "         DIAG  R2,R4,8\n"
		    "         LR    R11,R4           ; CP's return code\n"
		    "         LHI   R4,8             ; the same, response to her terminal\n"
		    "         LHI   R5,0\n"
		    "         DIAG  R2,R4,8\n"
		    "         LPSW  DONE\n"
		    "CMD      DC    C'QUERY NAMES'\n"
		    "JUNK     DC    X'FF1B5B324A0A0700'        ; ESC [2J, newline, bell\n"
		    "         ALIGN 4\n"
		    "P1       DC    H'1365',H'1',F'0',F'1',A(BUF)   ; no device\n"
		    "P2       DC    H'9',H'1',F'0',F'1',A(BUF)   ; not a disk\n"
		    "P3       DC    H'401',H'1',F'1023',F'2',A(BUF) ; beyond the extent\n"
		    "P4       DC    H'401',H'1',F'0',F'-1',A(BUF)   ; 2^32-1 blocks\n"
		    "P5       DC    H'401',H'1',F'0',F'1',A(0x000FFF00) ; buffer straddles\n"
		    "P6       DC    H'400',H'2',F'0',F'1',A(BUF)   ; write a read-only link\n"
		    "RC       DS    6F\n"
		    "RESP     DS    CL100\n"
		    "BUF      DS    CL512\n"
		    ATTACK_TAIL);
	attack_to_completion(f, 4000000);
	struct trap_vm *g = f->alice->g;
	static const uint32_t want[] = { PGM_SPECIFICATION, PGM_ADDRESSING, PGM_ADDRESSING,
					 PGM_ADDRESSING, PGM_ADDRESSING, PGM_ADDRESSING,
					 PGM_SPECIFICATION, PGM_SPECIFICATION };
	assert_int_equal(g->cpu.gpr[10], 8);
	for (unsigned i = 0; i < 8; i++)
		if (pgm_code(f->alice, i) != want[i])
			fail_msg("exception %u: code %X, expected %X", i, pgm_code(f->alice, i), want[i]);
	assert_true(g->cpu.gpr[11] != 0); /* the junk command was refused */
	/* ... and CP's message about it carries no control characters to
	 * her terminal: a guest may not drive the student's terminal. */
	for (const char *p = f->aterm.text; p && *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("control character %02X on ALICE's terminal", (unsigned char)*p);
	check_contained(f);
}

/* Thousands of SIOs in a loop, to her console (mostly busy: CC 2), to an
 * address nobody has, and TIO/HIO between: CP keeps BOB running. */
static void test_sio_storm(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LA    R3,CON\n"
		    "         ST    R3,LC_CAW\n"
		    "         LHI   R4,5000\n"
		    "STORM    SIO   X'009'\n"
		    "         SIO   X'777'\n"
		    "         TIO   X'009'\n"
		    "         HIO   X'00C'\n"
		    "         BRCT  R4,STORM\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "CON      DC    X'01000001',A(TEXT)\n"
		    "TEXT     DC    C'*'\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	dispatch_fairly(f, 20000000);
	assert_int_equal(f->alice->state, CPVM_STOPPED);
	assert_int_equal(f->alice->g->cpu.psw_ia, 0);
	assert_true(f->alice->g->stats.count[EXK_IO_INSN] >= 20000);
	check_contained(f);
}

/* A program new PSW that points at an invalid instruction: a program
 * interruption loop that never ends.  CP reflects each one, ends her
 * slices on time and keeps dispatching BOB; she stays stoppable. */
static void test_program_interruption_loop(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice,
		    "         ORG   LC_PGM_NEW\n"
		    "         PSW   0,BAD\n"
		    "         ORG   0x400\n"
		    "START    DC    X'00000000'      ; operation exception\n"
		    "BAD      DC    X'FF000000'      ; ... and again, forever\n"
		    "         END   START\n");
	dispatch_fairly(f, 4000000);
	assert_int_equal(f->alice->state, CPVM_RUNNING);
	assert_true(f->alice->g->reflected > 1000);
	assert_int_equal(sim_get32(f->alice->g->mem.base + LC_PGM_CODE), PGM_OPERATION);
	assert_int_equal(run(f, f->alice, "STOP"), 0);
	assert_int_equal(f->alice->state, CPVM_STOPPED);
	check_contained(f);
}

/* A program new PSW pointing beyond her storage: the fetch fails, which
 * is a program interruption, whose new PSW points beyond her storage...
 * No instruction ever runs; CP's own time still ends her slices. */
static void test_program_new_psw_outside_storage(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice,
		    "         ORG   LC_PGM_NEW\n"
		    "         PSW   0,0x7FFFFFF0\n"
		    "         ORG   0x400\n"
		    "START    DC    X'00000000'      ; operation exception\n"
		    "         END   START\n");
	dispatch_fairly(f, 4000000);
	assert_int_equal(f->alice->state, CPVM_RUNNING);
	assert_true(f->alice->g->reflected > 1000);
	assert_int_equal(sim_get32(f->alice->g->mem.base + LC_PGM_CODE), PGM_ADDRESSING);
	assert_int_equal(sim_get32(f->alice->g->mem.base + LC_PGM_OLD + 4), 0x7FFFFFF0);
	check_contained(f);
}

/* The CPU timer set to a few cycles, re-armed by the external handler every
 * time: an interruption after every instruction or two, forever. */
static void test_timer_interrupt_storm(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice,
		    "         ORG   LC_EXT_NEW\n"
		    "         PSW   0,EXT\n"
		    "         ORG   0x400\n"
		    "START    LCTL  R0,R0,CR0\n"
		    "         SPT   ONE\n"
		    "         SSM   EXTON\n"
		    "LOOP     AHI   R5,1\n"
		    "         J     LOOP\n"
		    "EXT      AHI   R6,1\n"
		    "         SPT   ONE              ; 30 cycles: a few AHIs between\n"
		    "         LPSW  LC_EXT_OLD\n"
		    "         DS    0D\n"
		    "ONE      DC    D'30'\n"
		    "CR0      DC    A(CR0_TIMER_MASK)\n"
		    "EXTON    DC    X'01'\n"
		    "         END   START\n");
	dispatch_fairly(f, 4000000);
	assert_int_equal(f->alice->state, CPVM_RUNNING);
	assert_true(f->alice->g->cpu.gpr[6] > 1000); /* interruptions taken */
	assert_true(f->alice->g->cpu.gpr[5] > 1000); /* and progress between */
	check_contained(f);
}

/*
 * The worst storm: the external new PSW is itself enabled, and the timer
 * stays negative, so an interruption is due again at once, before a
 * single instruction -- on the bare machine an endless loop of PSW swaps.
 * Under CP it must still cost time and end the slice.
 */
static void test_enabled_new_psw_storm(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice,
		    "         ORG   LC_EXT_NEW\n"
		    "         PSW   PSW_EXT,EXT\n"
		    "         ORG   0x400\n"
		    "START    LCTL  R0,R0,CR0\n"
		    "         SPT   ONE\n"
		    "         SSM   EXTON\n"
		    "EXT      J     EXT\n"
		    "         DS    0D\n"
		    "ONE      DC    D'1'\n"
		    "CR0      DC    A(CR0_TIMER_MASK)\n"
		    "EXTON    DC    X'01'\n"
		    "         END   START\n");
	dispatch_fairly(f, 4000000);
	assert_int_equal(f->alice->state, CPVM_RUNNING);
	assert_true(f->alice->g->reflected > 1000);
	check_contained(f);
}

/*
 * DIAGNOSE 8 with commands that pull the machine out from under the very
 * instruction that asked.  LOGOFF: CP must log her off without touching
 * the freed machine afterwards (it once freed it inside trap_run: a
 * use-after-free that AddressSanitizer caught here).
 */
static void test_diagnose_logoff_self(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LA    R2,CMD\n"
		    "         LHI   R4,CMDL\n"
		    "         LA    R3,RESP\n"
		    "         LHI   R5,100\n"
		    "         DIAG  R2,R4,8\n"
		    "         LPSW  DONE\n"
		    "CMD      DC    C'LOGOFF'\n"
		    "CMDL     EQU   *-CMD\n"
		    "RESP     DS    CL100\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	dispatch_fairly(f, 2000000);
	f->alice = NULL;
	assert_null(cp_find(&f->sys, "ALICE"));
	assert_non_null(strstr(f->aterm.text, "CONNECT="));
	dispatch_fairly(f, 1000000);
	check_contained(f);
}

/* DEFINE STORAGE from her own program: a new, reset machine, which
 * stays stopped (it once ran on from address 0 in the new storage,
 * because the dispatcher overwrote the state the command set). */
static void test_diagnose_define_storage(void **state)
{
	struct fixture *f = *state;
	start_guest(f->alice, ATTACK_HEAD
		    "START    LA    R2,CMD\n"
		    "         LHI   R4,CMDL\n"
		    "         LA    R3,RESP\n"
		    "         LHI   R5,100\n"
		    "         DIAG  R2,R4,8\n"
		    "         LPSW  DONE\n"
		    "CMD      DC    C'DEFINE STORAGE 512K'\n"
		    "CMDL     EQU   *-CMD\n"
		    "RESP     DS    CL100\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	dispatch_fairly(f, 2000000);
	struct trap_vm *g = f->alice->g;
	assert_int_equal(f->alice->state, CPVM_STOPPED);
	assert_int_equal(g->mem.size, 512 * 1024);
	assert_true(g->stats.instructions < 100); /* nothing ran after it */
	assert_int_equal(run(f, f->alice, "QUERY STORAGE"), 0);
	assert_non_null(strstr(f->out.text, "512K"));
	check_contained(f);
}

/* The operator's guest forces another user off, then itself: the machine
 * table shifts under the dispatcher mid-slice, and the self-FORCE must
 * wait until the slice is over. */
static void test_diagnose_force(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *op = logon(f, "OPERATOR", &f->oterm);
	start_guest(op, ATTACK_HEAD
		    "START    LA    R2,CMD1\n"
		    "         LHI   R4,CMD1L\n"
		    "         LA    R3,RESP\n"
		    "         LHI   R5,100\n"
		    "         DIAG  R2,R4,8\n"
		    "         LR    R6,R4            ; FORCE ALICE: return code\n"
		    "         LA    R2,CMD2\n"
		    "         LHI   R4,CMD2L\n"
		    "         DIAG  R2,R4,8\n"
		    "         LPSW  DONE\n"
		    "CMD1     DC    C'FORCE ALICE'\n"
		    "CMD1L    EQU   *-CMD1\n"
		    "CMD2     DC    C'FORCE OPERATOR'\n"
		    "CMD2L    EQU   *-CMD2\n"
		    "RESP     DS    CL100\n"
		    "         ALIGN 4\n"
		    ATTACK_TAIL);
	/* Her machine runs too: she is forced in the middle of it. */
	start_guest(f->alice, innocent_src);
	dispatch_fairly(f, 2000000);
	assert_null(cp_find(&f->sys, "ALICE"));
	assert_null(cp_find(&f->sys, "OPERATOR"));
	f->alice = NULL;
	assert_non_null(strstr(f->oterm.text, "FORCED OFF"));
	/* The timeline names each slice's machine right. */
	unsigned n = f->sys.ntimeline < CP_TIMELINE ? f->sys.ntimeline : CP_TIMELINE;
	for (unsigned i = 0; i < n; i++) {
		const char *u = f->sys.timeline[i].userid;
		assert_true(!strcmp(u, "ALICE") || !strcmp(u, "BOB") || !strcmp(u, "CAROL") ||
			    !strcmp(u, "OPERATOR"));
	}
	dispatch_fairly(f, 1000000);
	check_contained(f);
}

/* A hang must be a failure, not a stuck `make test`. */
static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_adversarial: CP did not return within 120 s\n";
	ssize_t n = write(2, msg, sizeof msg - 1);
	(void)n;
	_exit(1);
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(120);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_storage_beyond_size),
		T(test_page_tables_pointing_outside),
		T(test_segment_table_outside),
		T(test_shadow_table_thrash),
		T(test_stale_translation_after_dat_off),
		T(test_ccw_addresses_outside),
		T(test_ccw_tic_loops),
		T(test_self_modifying_channel_program),
		T(test_devices_are_per_vm),
		T(test_diagnose_bad_parameters),
		T(test_sio_storm),
		T(test_program_interruption_loop),
		T(test_timer_interrupt_storm),
		T(test_enabled_new_psw_storm),
		T(test_program_new_psw_outside_storage),
		T(test_diagnose_logoff_self),
		T(test_diagnose_define_storage),
		T(test_diagnose_force),
	};
	return cmocka_run_group_tests_name("adversarial", tests, NULL, NULL);
}
