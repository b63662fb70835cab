/*
 * tests/unit/test_cp.c -- the control program: logon rules, the command
 * interpreter (abbreviations, privilege classes, bad operands), the
 * dispatcher sharing the processor, DIAGNOSE services, and guests that
 * misbehave staying inside their own virtual machines.
 */
#include <setjmp.h>
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

struct fixture {
	struct cp_system sys;
	struct cp_outbuf out;
	char state[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	fixture_cp_start(&f->sys, f->state, sizeof f->state, "cp");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	cp_shutdown(&f->sys);
	cp_outbuf_free(&f->out);
	fixture_rm_state(f->state);
	free(f);
	return 0;
}

/* Run a command; return its code; the response is in f->out.text. */
static int run(struct fixture *f, struct cp_vm *vm, const char *line)
{
	cp_outbuf_free(&f->out);
	struct cp_out o = cp_outbuf_out(&f->out);
	return cp_execute(&f->sys, vm, line, &o);
}

static struct cp_vm *logon(struct fixture *f, const char *user)
{
	cp_outbuf_free(&f->out);
	struct cp_out o = cp_outbuf_out(&f->out);
	return cp_logon(&f->sys, user, NULL, &o, false);
}

static bool said(struct fixture *f, const char *text)
{
	return f->out.text && strstr(f->out.text, text);
}

static void test_logon_rules(void **state)
{
	struct fixture *f = *state;
	assert_int_not_equal(run(f, NULL, "LOGON NOBODY"), 0);
	assert_true(said(f, "NOBODY NOT IN CP DIRECTORY"));
	assert_int_not_equal(run(f, NULL, "QUERY NAMES"), 0);
	assert_true(said(f, "LOGON FIRST"));
	struct cp_vm *a = logon(f, "alice");
	assert_non_null(a);
	assert_string_equal(a->userid, "ALICE");
	assert_null(logon(f, "ALICE"));
	assert_true(said(f, "ALREADY LOGGED ON"));
	assert_int_equal(f->sys.nvms, 1);
	assert_int_equal(run(f, a, "LOG"), 0); /* LOG is LOGOFF, not LOGON */
	assert_int_equal(f->sys.nvms, 0);
}

static void test_abbreviations_and_unknown(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	assert_int_equal(run(f, a, "Q V"), 0);
	assert_true(said(f, "STORAGE = 1024K"));
	assert_true(said(f, "CONS 009"));
	assert_int_equal(run(f, a, "q stor"), 0);
	assert_true(said(f, "STORAGE = 1024K"));
	assert_int_not_equal(run(f, a, "QUERX"), 0);
	assert_true(said(f, "UNKNOWN CP COMMAND: QUERX; DID YOU MEAN QUERY"));
	/* DISPLAY's shortest form is D, DISCONN's DISC: so DIS is DISPLAY. */
	assert_int_equal(run(f, a, "DIS R1"), 0);
	assert_true(said(f, "R1  = "));
	/* Shorter than the minimum abbreviation is not the command. */
	assert_int_not_equal(run(f, a, "TRAN"), 0); /* TRANSFER needs TRANS */
	assert_int_not_equal(run(f, a, "EX"), 0);    /* EXPLAIN needs EXP */
	assert_true(said(f, "UNKNOWN CP COMMAND: EX"));
	assert_int_equal(run(f, a, "HELP QUERY"), 0);
	assert_true(said(f, "shortest: Q"));
}

static void test_privilege_classes(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE"); /* class G */
	assert_int_not_equal(run(f, a, "FORCE BOB"), 0);
	assert_true(said(f, "NEEDS PRIVILEGE CLASS A"));
	assert_int_not_equal(run(f, a, "AUTOLOG BOB"), 0);
	assert_int_equal(f->sys.nvms, 1);
	struct cp_vm *op = logon(f, "OPERATOR");
	assert_int_equal(run(f, op, "AUTOLOG BOB IPL DEMO"), 0);
	assert_non_null(cp_find(&f->sys, "BOB"));
	assert_int_equal(run(f, op, "FORCE BOB"), 0);
	assert_null(cp_find(&f->sys, "BOB"));
}

static void test_bad_operands_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	uint32_t r1 = a->g->cpu.gpr[1];
	assert_int_not_equal(run(f, a, "STORE R1 XYZ"), 0);
	assert_int_not_equal(run(f, a, "STORE R16 1"), 0);
	assert_int_equal(a->g->cpu.gpr[1], r1);
	assert_int_not_equal(run(f, a, "DEFINE STORAGE 3000"), 0); /* not whole pages */
	assert_int_not_equal(run(f, a, "DEFINE STORAGE 512M"), 0); /* above the maximum */
	assert_true(said(f, "EXCEEDS YOUR DIRECTORY MAXIMUM"));
	assert_int_equal(a->g->mem.size, 1024 * 1024);
	assert_int_not_equal(run(f, a, "IPL NOSUCH"), 0);
	assert_true(said(f, "SYSTEM NOSUCH DOES NOT EXIST"));
	assert_int_not_equal(run(f, a, "IPL 999"), 0);
	assert_true(said(f, "DEVICE 999 DOES NOT EXIST"));
	assert_int_not_equal(run(f, a, "D FFFFFF00-FFFFFFFF"), 0);
	assert_true(said(f, "NOT ADDRESSABLE"));
	assert_int_not_equal(run(f, a, "TRACE BOGUS"), 0);
	assert_int_equal(a->trace, 0);
}

static void test_store_display(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	assert_int_equal(run(f, a, "STORE R3 CAFE0001"), 0);
	assert_int_equal(a->g->cpu.gpr[3], 0xCAFE0001);
	assert_int_equal(run(f, a, "D R3"), 0);
	assert_true(said(f, "R3  = CAFE0001"));
	assert_int_equal(run(f, a, "STORE 1000 1A120000 07FE"), 0);
	assert_int_equal(run(f, a, "D I 1000.8"), 0);
	assert_true(said(f, "AR    R1,R2"));
	assert_int_equal(run(f, a, "D 1000.6"), 0);
	assert_true(said(f, "00001000  1A120000 07FE0000"));
}

/* Two guests run the demo at once; both finish; time is shared. */
static void test_dispatcher_shares_the_processor(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *op = logon(f, "OPERATOR");
	assert_int_equal(run(f, op, "AUTOLOG ALICE IPL DEMO"), 0);
	assert_int_equal(run(f, op, "AUTOLOG BOB IPL DEMO"), 0);
	cp_dispatch(&f->sys, 10000000);
	struct cp_vm *a = cp_find(&f->sys, "ALICE"), *b = cp_find(&f->sys, "BOB");
	assert_int_equal(a->state, CPVM_STOPPED); /* both reached the end */
	assert_int_equal(b->state, CPVM_STOPPED);
	assert_int_equal(a->g->cpu.psw_ia, 0);
	assert_int_equal(b->g->cpu.psw_ia, 0);
	/* Each was dispatched several times: they took turns. */
	assert_true(a->dispatches > 2 && b->dispatches > 2);
	/* Same program, same work, whatever the interleaving. */
	assert_int_equal(a->g->stats.instructions, b->g->stats.instructions);
	assert_true(f->sys.ntimeline > 4);
}

/* A guest program, assembled here, placed and started by hand. */
static void start_guest(struct cp_vm *vm, const char *src)
{
	struct sim_image img;
	struct asm_options opt = { .errors = stderr };
	assert_int_equal(asm_string("guest.s", src, &opt, &img), 0);
	char err[128];
	assert_int_equal(sim_image_place(&img, &vm->g->mem, err, sizeof err), 0);
	trap_vm_start(vm->g, img.entry);
	vm->ipled = true;
	vm->state = CPVM_RUNNING;
	sim_image_free(&img);
}

static void test_diagnose_services(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	start_guest(a,
		    "         ORG   0x400\n"
		    "START    LA    R2,CMD\n"
		    "         LHI   R4,CMDL\n"
		    "         LA    R3,RESP\n"
		    "         LHI   R5,200\n"
		    "         DIAG  R2,R4,8          ; CP QUERY STORAGE\n"
		    "         DIAG  R6,R7,0x60       ; storage size\n"
		    "         LA    R8,IDENT\n"
		    "         DIAG  R8,R9,0          ; who is there?\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "DONE     PSW   PSW_WAIT,0\n"
		    "CMD      DC    C'QUERY STORAGE'\n"
		    "CMDL     EQU   *-CMD\n"
		    "IDENT    DS    CL8\n"
		    "RESP     DS    CL200\n"
		    "         END   START\n");
	cp_dispatch(&f->sys, 1000000);
	struct trap_vm *g = a->g;
	assert_int_equal(g->cpu.gpr[4], 0);           /* CP's return code */
	assert_int_equal(g->cpu.gpr[6], 1024 * 1024);  /* DIAG 60 */
	uint32_t n = g->cpu.gpr[5];
	char resp[201] = "";
	assert_true(n > 0 && n <= 200);
	memcpy(resp, g->mem.base + g->cpu.gpr[3], n);
	assert_non_null(strstr(resp, "STORAGE = 1024K"));
	assert_memory_equal(g->mem.base + g->cpu.gpr[8], "VMLAB   ", 8);
	assert_true(g->stats.count[EXK_HYPERCALL] == 3);
}

/* A guest that attacks: stores beyond its storage, a channel program
 * pointing outside, a wild DIAGNOSE.  Each ends as the guest's own
 * exception; the neighbour's storage is untouched. */
static void test_guest_faults_stay_inside(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	struct cp_vm *b = logon(f, "BOB");
	memset(b->g->mem.base, 0x5A, b->g->mem.size);
	start_guest(a,
		    "         ORG   LC_PGM_NEW\n"
		    "         PSW   0,PGM\n"
		    "         ORG   0x400\n"
		    "START    LI    R1,0x00400000    ; beyond 1M\n"
		    "         ST    R1,0(,R1)        ; addressing exception\n"
		    "         LA    R2,CCW\n"
		    "         ST    R2,LC_CAW\n"
		    "         SIO   X'009'           ; CCW data beyond storage\n"
		    "         LA    R2,PARM\n"
		    "         DIAG  R2,R3,0x018      ; block I/O to a device that is not there\n"
		    "         DIAG  R2,R3,0x999      ; no such service\n"
		    "         LPSW  DONE\n"
		    "PGM      L     R9,LC_PGM_CODE\n"
		    "         AHI   R10,1            ; count program checks\n"
		    "         LPSW  LC_PGM_OLD\n"
		    "         DS    0D\n"
		    "DONE     PSW   PSW_WAIT,0\n"
		    "CCW      DC    X'01000050',A(0x7FFFFFF0)\n"
		    "PARM     DC    H'1911',H'1',F'0',F'1',F'4096'\n"
		    "         END   START\n");
	cp_dispatch(&f->sys, 2000000);
	struct trap_vm *g = a->g;
	assert_int_equal(g->cpu.gpr[10], 2);               /* addressing, then DIAG 999 */
	assert_int_equal(g->cpu.gpr[9], PGM_SPECIFICATION); /* the last one */
	assert_int_equal(g->cpu.gpr[3], 1);                /* DIAG 18: no such device */
	for (uint32_t i = 0; i < b->g->mem.size; i++)
		if (b->g->mem.base[i] != 0x5A)
			fail_msg("BOB's storage changed at %x", i);
}

/*
 * Shadow tables are CP's TLB for a guest (trap/shadow.c): switching DAT
 * off and on keeps them, as the real machine keeps its TLB; PTLB throws
 * them away.  The guest toggles DAT 100 times touching one code page and
 * one data page, purges, and toggles 10 times more: two shadow faults
 * before the purge and two after -- not two per round trip.
 */
static void test_shadow_kept_across_dat_toggle(void **state)
{
	struct fixture *f = *state;
	struct cp_vm *a = logon(f, "ALICE");
	start_guest(a,
		    "         ORG   0x400\n"
		    "START    LI    R1,0x11000       ; page table: identity, 256 pages\n"
		    "         LHI   R2,0\n"
		    "         LHI   R3,256\n"
		    "PT       ST    R2,0(,R1)\n"
		    "         AHI   R1,4\n"
		    "         AHI   R2,4096\n"
		    "         BRCT  R3,PT\n"
		    "         LI    R1,0x10000       ; segment 0 -> the page table\n"
		    "         LI    R2,0x11000\n"
		    "         ST    R2,0(,R1)\n"
		    "         LCTL  R1,R1,CR1\n"
		    "         LI    R4,0x80000\n"
		    "         LHI   R5,100\n"
		    "LOOP1    STOSM SYSM,X'04'       ; DAT on\n"
		    "         A     R6,0(,R4)\n"
		    "         STNSM SYSM,X'00'       ; DAT off\n"
		    "         BRCT  R5,LOOP1\n"
		    "         PTLB\n"
		    "         LHI   R5,10\n"
		    "LOOP2    STOSM SYSM,X'04'\n"
		    "         A     R6,0(,R4)\n"
		    "         STNSM SYSM,X'00'\n"
		    "         BRCT  R5,LOOP2\n"
		    "         LPSW  DONE\n"
		    "         DS    0D\n"
		    "DONE     PSW   PSW_WAIT,0\n"
		    "CR1      DC    A(0x10000)       ; segment 0 only\n"
		    "SYSM     DC    X'00'\n"
		    "         END   START\n");
	a->g->mem.base[0x80003] = 7;
	uint64_t rebuilds = a->g->shadow.rebuilds;
	cp_dispatch(&f->sys, 2000000);
	struct trap_vm *g = a->g;
	assert_int_equal(a->state, CPVM_STOPPED);
	assert_int_equal(g->cpu.psw_ia, 0);
	assert_int_equal(g->cpu.gpr[6], 110 * 7);  /* every read saw the page */
	assert_int_equal(g->shadow.faults, 4);
	assert_int_equal(g->stats.count[EXK_TRANSLATION], 4);
	/* thrown away twice: by the LCTL and by the PTLB, never by DAT */
	assert_int_equal(g->shadow.rebuilds - rebuilds, 2);
}

/* MDISK passwords: the right write password admits a write link that
 * the class rule alone would refuse; a wrong one is refused; none given
 * falls back to the class rule. */
static void test_link_passwords(void **state)
{
	(void)state;
	char dir_path[] = "/tmp/vmlab-test-cp-pw-XXXXXX";
	assert_non_null(mkdtemp(dir_path));
	static const char yaml[] =
		"users:\n"
		"  - id: OWNER\n"
		"    storage: 64K\n"
		"    mdisks:\n"
		"      - { addr: 191, file: owner.disk, blocks: 64, mode: W, readpw: ALL, writepw: SECRET }\n"
		"  - id: GUEST\n"
		"    storage: 64K\n";
	struct cp_directory dir;
	char err[512];
	if (cp_directory_parse(yaml, sizeof yaml - 1, "pw.yaml", dir_path, &dir, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(cp_directory_make_disks(&dir, err, sizeof err), 0);
	struct fixture *f = calloc(1, sizeof *f);
	assert_int_equal(cp_init(&f->sys, &dir, dir_path), 0);
	struct cp_vm *g = logon(f, "GUEST");
	assert_non_null(g);
	assert_int_not_equal(run(f, g, "LINK OWNER 191 AS 291 W WRONG"), 0);
	assert_null(sim_io_find(&g->g->io, 0x291));
	assert_int_not_equal(run(f, g, "LINK OWNER 191 AS 291 W"), 0); /* password needed */
	assert_null(sim_io_find(&g->g->io, 0x291));
	/* No multiple-write password defined: the class rule decides. */
	assert_int_not_equal(run(f, g, "LINK OWNER 191 AS 292 M"), 0);
	assert_true(said(f, "NEEDS CLASS B"));
	/* Reading needs no password here (readpw ALL). */
	assert_int_equal(run(f, g, "LINK OWNER 191 AS 293 RR"), 0);
	assert_int_equal(run(f, g, "LINK OWNER 191 AS 291 W SECRET"), 0);
	assert_true(said(f, "DASD 291 LINKED R/W"));
	assert_non_null(sim_io_find(&g->g->io, 0x291));
	cp_shutdown(&f->sys);
	cp_outbuf_free(&f->out);
	free(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir_path);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_logon_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abbreviations_and_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privilege_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_operands_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_display, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatcher_shares_the_processor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diagnose_services, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_faults_stay_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shadow_kept_across_dat_toggle, setup, teardown),
		cmocka_unit_test(test_link_passwords),
	};
	return cmocka_run_group_tests_name("cp", tests, NULL, NULL);
}
