/*
 * tests/unit/test_console.c -- the classroom console without a terminal:
 * option parsing, the checks on an input line, the terminal's state
 * machine (LOGON -> CP READ -> RUNNING/VM READ -> attention -> CP READ),
 * SESSION between users, completion read off the command table, the
 * debugger's ADSTOP and STEP, and the dispatcher's timeline.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cms/cmdnames.h"
#include "cms/mdisk.h"
#include "cp/console.h"
#include "sim/asm.h"
#include "tests/unit/cp_fixture.h"

struct fixture {
	struct cp_system sys;
	struct con_session s;
	struct cp_outbuf out;
	char state[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	fixture_cp_start(&f->sys, f->state, sizeof f->state, "console");
	f->s.sys = &f->sys;
	f->s.term = cp_outbuf_out(&f->out);
	f->s.line_cycles = 2000000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	cp_shutdown(&f->sys);
	con_keep_free(&f->s);
	cp_outbuf_free(&f->out);
	fixture_rm_state(f->state);
	free(f);
	return 0;
}

/* Type a line; the terminal's output since the last line is f->out. */
static int type(struct fixture *f, const char *line)
{
	cp_outbuf_free(&f->out);
	memset(&f->out, 0, sizeof f->out);
	return con_session_input(&f->s, line, strlen(line));
}

static bool said(struct fixture *f, const char *text)
{
	return f->out.text && strstr(f->out.text, text);
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static void test_args(void **state)
{
	(void)state;
	struct con_options o;
	char err[256];
	char *a1[] = { "vmlab", "--state", "/tmp/x", "--user", "BOB", "--no-ipl", "--strict",
		       "-c", "Q N; Q T", NULL };
	assert_int_equal(con_parse_args(9, a1, &o, err, sizeof err), 0);
	assert_string_equal(o.state, "/tmp/x");
	assert_string_equal(o.user, "BOB");
	assert_true(o.no_ipl && o.strict);
	assert_string_equal(o.commands, "Q N; Q T");
	char *a2[] = { "vmlab", "lab1.vml", NULL };
	assert_int_equal(con_parse_args(2, a2, &o, err, sizeof err), 0);
	assert_string_equal(o.script, "lab1.vml");
	char *a3[] = { "vmlab", "--bogus", NULL };
	assert_int_equal(con_parse_args(2, a3, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "--bogus"));
	char *a4[] = { "vmlab", "--state", NULL }; /* incomplete */
	assert_int_equal(con_parse_args(2, a4, &o, err, sizeof err), -1);
	char *a5[] = { "vmlab", "-c", "Q N", "x.vml", NULL }; /* both */
	assert_int_equal(con_parse_args(4, a5, &o, err, sizeof err), -1);
	char *a6[] = { "vmlab", "--user", "TOOLONGUSER", NULL };
	assert_int_equal(con_parse_args(3, a6, &o, err, sizeof err), -1);
	char *a7[] = { "vmlab", "--help", NULL };
	assert_int_equal(con_parse_args(2, a7, &o, err, sizeof err), 1);
}

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

static void test_check_line(void **state)
{
	(void)state;
	assert_null(con_check_line("QUERY NAMES", 11));
	assert_null(con_check_line("MSG BOB\thi", 10));
	assert_non_null(strstr(con_check_line("A\0B", 3), "NUL"));
	assert_non_null(strstr(con_check_line("\033[2J", 4), "CONTROL"));
	assert_non_null(strstr(con_check_line("caf\xc3\xa9", 5), "NON-ASCII"));
	char *big = malloc(CON_INPUT_MAX + 10);
	memset(big, 'A', CON_INPUT_MAX + 10);
	assert_non_null(strstr(con_check_line(big, CON_INPUT_MAX + 10), "TOO LONG"));
	free(big);
}

static void test_garbage_keeps_running(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	/* Binary garbage, a lone escape, an overlong CP line: each gets a
	 * message and the session goes on. */
	char garbage[64];
	for (int i = 0; i < 64; i++)
		garbage[i] = (char)(i * 37 + 1);
	assert_int_not_equal(con_session_input(&f->s, garbage, sizeof garbage), 0);
	assert_int_not_equal(type(f, "\033"), 0);
	assert_true(said(f, "HCPTER006E"));
	char long_line[600];
	memset(long_line, 'Q', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = 0;
	assert_int_not_equal(type(f, long_line), 0);
	assert_true(said(f, "TOO LONG"));
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	assert_true(said(f, "ALICE"));
	assert_int_equal(f->s.failures, 3);
}

static void test_strict(void **state)
{
	struct fixture *f = *state;
	f->s.strict = true;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_false(f->s.quit);
	assert_int_not_equal(type(f, "QUERX"), 0);
	assert_true(f->s.quit);
}

/* ------------------------------------------------------------------ */
/* The terminal's states                                               */

static void test_states(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(con_state(&f->s), CON_LOGON);
	assert_string_equal(con_state_name(CON_LOGON), "LOGON");
	/* Not logged on: only LOGON and HELP. */
	assert_int_not_equal(type(f, "QUERY VIRTUAL"), 0);
	assert_true(said(f, "LOGON FIRST"));
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	assert_string_equal(f->s.userid, "ALICE");
	/* A guest that never waits: RUNNING; the attention key stops it. */
	assert_int_equal(type(f, "IPL LOOP"), 0);
	assert_int_equal(con_state(&f->s), CON_RUNNING);
	assert_string_equal(con_state_name(CON_RUNNING), "RUNNING");
	assert_true(con_attention(&f->s));
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	assert_false(con_attention(&f->s)); /* already there */
	/* A line at CP READ goes to CP... */
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	assert_true(said(f, "ALICE"));
	/* ...and BEGIN gives the terminal back to the guest. */
	assert_int_equal(type(f, "BEGIN"), 0);
	assert_int_equal(con_state(&f->s), CON_RUNNING);
	/* While it runs, a line is the guest's; #CP reaches CP. */
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	assert_false(said(f, "ALICE    - TERM"));
	assert_int_equal(type(f, "#CP QUERY NAMES"), 0);
	assert_true(said(f, "ALICE    - TERM"));
	/* #CP alone is the attention key typed as a line. */
	assert_int_equal(type(f, "#CP"), 0);
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	assert_int_equal(type(f, "LOGOFF"), 0);
	assert_int_equal(con_state(&f->s), CON_LOGON);
	assert_string_equal(f->s.userid, "");
}

/* Load a program into the connected user's machine, stopped. */
static void load(struct fixture *f, const char *src)
{
	struct cp_vm *vm = con_connected(&f->s);
	struct sim_image img;
	struct asm_options opt = { .errors = stderr };
	assert_int_equal(asm_string("t.s", src, &opt, &img), 0);
	char err[128];
	assert_int_equal(sim_image_place(&img, &vm->g->mem, err, sizeof err), 0);
	trap_vm_reset(vm->g);
	trap_vm_start(vm->g, img.entry);
	sim_image_free(&img);
	vm->ipled = true;
	vm->state = CPVM_STOPPED;
}

/* A guest that reads its console: VM READ; the line typed is its. */
static const char reader_src[] =
	"         ORG   LC_IO_NEW\n"
	"         PSW   0,IOH\n"
	"         ORG   0x400\n"
	"START    LA    R2,RD\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'009'\n"
	"         LPSW  WAITPSW\n"
	"IOH      LPSW  DONEPSW\n"
	"         DS    0D\n"
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"
	"DONEPSW  PSW   PSW_WAIT,0\n"
	"RD       DC    X'02',X'20',H'80',A(BUF)   ; read, SLI\n"
	"BUF      DS    CL80\n"
	"         END   START\n";

static void test_vm_read(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	load(f, reader_src);
	assert_int_equal(type(f, "BEGIN"), 0);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	assert_string_equal(con_state_name(CON_VM_READ), "VM READ");
	/* The line goes to the guest, which then ends: CP READ. */
	assert_int_equal(type(f, "HELLO GUEST"), 0);
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	struct cp_vm *vm = con_connected(&f->s);
	assert_non_null(memmem(vm->g->mem.base + 0x400, 0x100, "HELLO GUEST", 11));
	/* IPL while the read is outstanding: the new system is not
	 * reading (an IPL resets the devices). */
	load(f, reader_src);
	assert_int_equal(type(f, "BEGIN"), 0);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	assert_int_equal(type(f, "#CP IPL LOOP"), 0);
	assert_int_equal(con_state(&f->s), CON_RUNNING);
}

/*
 * An idle console costs nothing: CMS at R; waits for a line in an
 * enabled wait (VM READ), and the interactive loop's idle turns must
 * not dispatch it -- not one instruction, not one exit -- and must say
 * "sleep until a key".  (A session once saw TRACE PRIV flood with LPSW
 * at the terminal after CMS: the end of this test is what that was.)
 */
static uint64_t exits_of(const struct cp_vm *vm)
{
	return exit_stats_total(&vm->g->stats);
}

static void test_idle_costs_nothing(void **state)
{
	struct fixture *f = *state;
	/* CMS is built into vmlab (cms/cms.mk): its absence is a failure,
	 * not a reason to skip. */
	assert_true(con_system_exists("CMS"));
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "IPL CMS"), 0);
	assert_true(said(f, "R;"));
	struct cp_vm *alice = con_connected(&f->s);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	uint64_t exits = exits_of(alice), insns = alice->g->stats.instructions;
	uint64_t disp = alice->dispatches, now = f->sys.now;
	for (int i = 0; i < 1000; i++)
		assert_false(con_idle_turn(&f->s, 200000));
	assert_int_equal(exits_of(alice), exits);
	assert_int_equal(alice->g->stats.instructions, insns);
	assert_int_equal(alice->dispatches, disp);
	assert_int_equal(f->sys.now, now);
	/* One command costs a few exits (one enabled-wait LPSW per console
	 * I/O), then CMS waits again and idling is free again. */
	uint64_t priv = alice->g->stats.count[EXK_PRIVILEGED];
	assert_int_equal(type(f, "LISTFILE"), 0);
	assert_true(said(f, "R"));
	for (int i = 0; i < 100 && con_idle_turn(&f->s, 200000); i++)
		;
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	uint64_t lpsw = alice->g->stats.count[EXK_PRIVILEGED] - priv;
	assert_true(lpsw >= 1 && lpsw <= 4);
	exits = exits_of(alice);
	for (int i = 0; i < 1000; i++)
		assert_false(con_idle_turn(&f->s, 200000));
	assert_int_equal(exits_of(alice), exits);
	/* The same with CMS's disk I/O through channel programs (an I/O
	 * interruption per block, where DIAGNOSE X'18' has none). */
	assert_int_equal(type(f, "SET DISKIO SIO"), 0);
	assert_int_equal(type(f, "LISTFILE * * S"), 0);
	for (int i = 0; i < 100 && con_idle_turn(&f->s, 200000); i++)
		;
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	exits = exits_of(alice);
	for (int i = 0; i < 1000; i++)
		assert_false(con_idle_turn(&f->s, 200000));
	assert_int_equal(exits_of(alice), exits);
	/* Another machine computing away keeps the loop busy, and still
	 * ALICE in VM READ is never dispatched. */
	assert_int_equal(type(f, "#CP SESSION BOB"), 0);
	assert_int_equal(type(f, "IPL LOOP"), 0);
	assert_int_equal(type(f, "#CP SESSION ALICE"), 0);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	disp = alice->dispatches;
	struct cp_vm *bob = cp_find(&f->sys, "BOB");
	assert_non_null(bob);
	uint64_t bob_insns = bob->g->stats.instructions;
	for (int i = 0; i < 50; i++)
		assert_true(con_idle_turn(&f->s, 200000));
	assert_true(bob->g->stats.instructions > bob_insns);
	assert_int_equal(alice->dispatches, disp);
	assert_int_equal(exits_of(alice), exits);
	/* What the flood was: IPL DEMO from CMS's VM READ left CMS's read
	 * outstanding on the 3215, DEMO's first write found it busy, and
	 * DEMO's retry loop (an LPSW each time) spun for ever.  IPL resets
	 * the devices now: DEMO types its lines with a handful of LPSWs. */
	uint64_t priv0 = alice->g->stats.count[EXK_PRIVILEGED];
	assert_int_equal(type(f, "#CP IPL DEMO"), 0);
	assert_true(said(f, "Hello from the bare VL32 machine."));
	assert_true(said(f, "DISABLED WAIT"));
	assert_true(alice->g->stats.count[EXK_PRIVILEGED] - priv0 < 40);
}

/* Bad input for a guest in VM READ, and commands of another privilege
 * class: a message each, and the terminal's state is as before. */
static void test_bad_input_at_vm_read(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	/* Another class's commands, from CP READ and with #CP. */
	assert_int_not_equal(type(f, "FORCE BOB"), 0);
	assert_true(said(f, "HCPCMD005E FORCE NEEDS PRIVILEGE CLASS A"));
	load(f, reader_src);
	assert_int_equal(type(f, "BEGIN"), 0);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	assert_int_not_equal(type(f, "#CP AUTOLOG BOB"), 0);
	assert_true(said(f, "NEEDS PRIVILEGE CLASS"));
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	/* One character too many for the guest's console: refused whole,
	 * the guest still reads; control characters and non-ASCII too. */
	char line[CON_LINE_MAX + 2];
	memset(line, 'G', sizeof line - 1);
	line[sizeof line - 1] = 0;
	assert_int_not_equal(type(f, line), 0);
	assert_true(said(f, "HCPTER003E LINE TOO LONG (MORE THAN 255"));
	assert_int_not_equal(type(f, "LIST\001FILE"), 0);
	assert_true(said(f, "HCPTER006E"));
	assert_int_not_equal(type(f, "TYPE caf\xc3\xa9"), 0);
	assert_true(said(f, "HCPTER005E"));
	struct cp_vm *vm = con_connected(&f->s);
	assert_int_equal(vm->ninput, 0);
	assert_int_equal(con_state(&f->s), CON_VM_READ);
	/* The longest line allowed reaches it whole. */
	line[CON_LINE_MAX] = 0;
	assert_int_equal(type(f, line), 0);
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	assert_int_equal(f->s.failures, 5);
}

static void test_session_switch(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "IPL LOOP"), 0);
	/* #CP SESSION from a running guest: BOB is logged on, ALICE runs on. */
	assert_int_equal(type(f, "#CP SESSION BOB"), 0);
	assert_true(said(f, "ALICE DISCONNECTED"));
	assert_string_equal(f->s.userid, "BOB");
	struct cp_vm *alice = cp_find(&f->sys, "ALICE");
	assert_non_null(alice);
	assert_true(alice->disconnected);
	uint64_t before = alice->g->stats.instructions;
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	assert_true(said(f, "ALICE    - DSC"));
	assert_true(alice->g->stats.instructions > before); /* still running */
	/* And back: DIAL is the same command. */
	assert_int_equal(type(f, "DIAL ALICE"), 0);
	assert_true(said(f, "RECONNECTED TO ALICE"));
	assert_string_equal(f->s.userid, "ALICE");
	assert_false(alice->disconnected);
	assert_true(cp_find(&f->sys, "BOB")->disconnected);
	/* Bad operands and unknown users get a message. */
	assert_int_not_equal(type(f, "#CP SESSION"), 0);
	assert_true(said(f, "SYNTAX"));
	assert_int_not_equal(type(f, "#CP SESSION NOBODY"), 0);
	assert_true(said(f, "NOT IN CP DIRECTORY"));
	/* DISCONN, then LOGON reconnects rather than refusing. */
	assert_int_equal(type(f, "#CP DISCONN"), 0);
	assert_int_equal(con_state(&f->s), CON_LOGON);
	assert_int_not_equal(type(f, "LOG ALICE"), 0); /* LOG is LOGOFF */
	assert_int_equal(con_state(&f->s), CON_LOGON);
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_true(said(f, "RECONNECTED TO ALICE"));
	/* From a guest (DIAGNOSE 8) SESSION cannot switch anything. */
	struct cp_outbuf ob = { 0 };
	struct cp_out o = cp_outbuf_out(&ob);
	assert_int_not_equal(cp_execute(&f->sys, alice, "SESSION BOB", &o), 0);
	assert_non_null(strstr(ob.text, "CONSOLE"));
	cp_outbuf_free(&ob);
}

/* A guest that types %d lines, then waits for ever (enabled). */
static const char typer_fmt[] =
	"         ORG   LC_IO_NEW\n"
	"         PSW   0,IOH\n"
	"         ORG   0x400\n"
	"START    LHI   R3,%d\n"
	"LOOP     LA    R2,WR\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'009'\n"
	"         LPSW  WAITPSW\n"
	"IOH      AHI   R3,-1\n"
	"         LTR   R3,R3\n"
	"         JNZ   LOOP\n"
	"         LPSW  WAITPSW\n"
	"         DS    0D\n"
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"
	"WR       DC    X'01',X'20',H'11',A(TEXT)\n"
	"TEXT     DC    C'TYPED LINE.'\n"
	"         END   START\n";

static void load_typer(struct fixture *f, int n)
{
	char src[sizeof typer_fmt + 16];
	snprintf(src, sizeof src, typer_fmt, n);
	load(f, src);
}

static int lines_saying(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/*
 * A disconnected user's machine runs on and types; the terminal shows
 * nothing of it then, and everything (the last CON_KEEP_LINES lines, and
 * how many were dropped) at the reconnect.
 */
static void test_keep_disconnected_output(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "#CP SESSION BOB"), 0);
	load_typer(f, 600);
	assert_int_equal(type(f, "SESSION ALICE"), 0);
	struct cp_vm *bob = cp_find(&f->sys, "BOB");
	assert_true(bob->disconnected);
	bob->state = CPVM_RUNNING; /* as BEGIN would, but from here */
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	con_run(&f->s, 50000000);
	assert_false(said(f, "TYPED LINE"));
	uint64_t dropped = 0;
	assert_int_equal(con_keep_count(bob, &dropped), CON_KEEP_LINES);
	assert_int_equal(dropped, 600 - CON_KEEP_LINES);
	assert_int_equal(bob->g->stats.count[EXK_IO_INT], 600);
	/* The reconnect shows them, once. */
	assert_int_equal(type(f, "SESSION BOB"), 0);
	assert_true(said(f, "RECONNECTED TO BOB"));
	assert_true(said(f, "600 LINES FOR BOB WHILE DISCONNECTED"));
	assert_true(said(f, "100 LINES DROPPED (THE LAST 500 ARE KEPT)"));
	assert_int_equal(lines_saying(f->out.text, "TYPED LINE."), CON_KEEP_LINES);
	assert_true(said(f, "END OF BOB'S KEPT LINES"));
	assert_int_equal(con_keep_count(bob, NULL), 0);
	assert_int_equal(type(f, "SESSION ALICE"), 0);
	assert_int_equal(type(f, "SESSION BOB"), 0);
	assert_false(said(f, "WHILE DISCONNECTED")); /* nothing new */
	/* A few lines, none dropped; DISCONN and LOGON is a reconnect too. */
	load_typer(f, 3);
	assert_int_equal(type(f, "DISCONN"), 0);
	bob->state = CPVM_RUNNING;
	con_run(&f->s, 50000000);
	assert_int_equal(con_keep_count(bob, &dropped), 3);
	assert_int_equal(dropped, 0);
	assert_int_equal(type(f, "LOGON BOB"), 0);
	assert_true(said(f, "3 LINES FOR BOB WHILE DISCONNECTED"));
	assert_false(said(f, "DROPPED"));
	assert_int_equal(lines_saying(f->out.text, "TYPED LINE."), 3);
	/* A disconnected user logged off takes the kept lines along (the
	 * sanitizer build would see a leak). */
	load_typer(f, 3);
	assert_int_equal(type(f, "SESSION ALICE"), 0);
	bob->state = CPVM_RUNNING;
	con_run(&f->s, 50000000);
	assert_int_equal(con_keep_count(bob, NULL), 3);
	cp_logoff(bob, NULL);
	con_run(&f->s, 1000);
	assert_int_equal(type(f, "SESSION BOB"), 0); /* a new logon: nothing kept */
	assert_false(said(f, "WHILE DISCONNECTED"));
}

static void test_default_ipl(void **state)
{
	struct fixture *f = *state;
	char buf[16];
	const struct cp_user_def *alice = cp_directory_find(&f->sys.dir, "ALICE");
	/* ALICE's directory entry says IPL CMS: CMS once it exists, DEMO
	 * until then. */
	const char *want = con_system_exists("CMS") ? "CMS" : "DEMO";
	assert_string_equal(con_default_ipl(alice, buf, sizeof buf), want);
	assert_string_equal(con_default_ipl(NULL, buf, sizeof buf), want);
	assert_true(con_system_exists("DEMO"));
	assert_true(con_system_exists("demo"));
	assert_false(con_system_exists("NOSUCH"));
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */

static bool has(char **list, const char *w)
{
	for (char **p = list; *p; p++)
		if (!strcmp(*p, w))
			return true;
	return false;
}

static int count(char **list)
{
	int n = 0;
	while (list[n])
		n++;
	return n;
}

static void test_complete_commands(void **state)
{
	struct fixture *f = *state;
	char **l = con_complete(&f->sys, NULL, "", "QU");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "QUERY");
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "", "lo"); /* any case */
	assert_int_equal(count(l), 2);
	assert_string_equal(l[0], "LOGOFF"); /* sorted */
	assert_string_equal(l[1], "LOGON");
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "", "");
	assert_true(has(l, "ADSTOP") && has(l, "STEP") && has(l, "INDICATE") && has(l, "SESSION"));
	assert_true(count(l) > 25);
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "", "ZZ");
	assert_int_equal(count(l), 0);
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "HELP ", "TR");
	assert_int_equal(count(l), 2); /* TRACE, TRANSFER */
	con_free_list(l);
}

static void test_complete_operands(void **state)
{
	struct fixture *f = *state;
	char **l = con_complete(&f->sys, NULL, "QUERY ", "VI");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "VIRTUAL");
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "Q ", "");
	assert_true(has(l, "NAMES") && has(l, "SYSTEMS") && has(l, "DIAG"));
	con_free_list(l);
	/* TRACE classes repeat: after PRIV, the others still complete. */
	l = con_complete(&f->sys, NULL, "TRACE PRIV ", "");
	assert_true(has(l, "SVC") && has(l, "IO") && has(l, "END"));
	con_free_list(l);
	/* SET MSG: only the MSG alternative fits. */
	l = con_complete(&f->sys, NULL, "SET MSG ", "");
	assert_int_equal(count(l), 2);
	assert_true(has(l, "ON") && has(l, "OFF"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "SET ", "");
	assert_true(has(l, "MSG") && has(l, "SLICE"));
	con_free_list(l);
	/* Named systems, user ids, registers. */
	l = con_complete(&f->sys, NULL, "IPL ", "");
	assert_true(has(l, "DEMO") && has(l, "LOOP") && has(l, "HELLO"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "LOGON ", "");
	assert_true(has(l, "ALICE") && has(l, "BOB") && has(l, "OPERATOR"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "SESS ", "CA");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "CAROL");
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "DISPLAY ", "R1");
	assert_int_equal(count(l), 7); /* R1, R10..R15 */
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "D ", "");
	assert_true(has(l, "PSW") && has(l, "CR0") && has(l, "R15") && has(l, "I"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "INDICATE ", "");
	assert_true(has(l, "USER") && has(l, "TIMELINE") && has(l, "EXITS"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "IND TIMELINE ", "");
	assert_true(has(l, "--svg"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "ADSTOP ", "");
	assert_true(has(l, "OFF"));
	con_free_list(l);
	/* No completion where the syntax has no more operands. */
	l = con_complete(&f->sys, NULL, "QUERY NAMES ", "");
	assert_int_equal(count(l), 0);
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "NOSUCH ", "");
	assert_int_equal(count(l), 0);
	con_free_list(l);
}

static void test_complete_devices_and_guest(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	struct cp_vm *vm = con_connected(&f->s);
	char **l = con_complete(&f->sys, vm, "DETACH ", "");
	assert_true(has(l, "009") && has(l, "191") && has(l, "190") && has(l, "00C"));
	con_free_list(l);
	l = con_complete(&f->sys, vm, "DETACH ", "19");
	assert_int_equal(count(l), 2);
	con_free_list(l);
	/* While the guest runs, lines are its own: only #CP completes... */
	assert_int_equal(type(f, "IPL LOOP"), 0);
	l = con_complete(&f->sys, vm, "", "");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "#CP");
	con_free_list(l);
	/* ...and after #CP, CP's commands again. */
	l = con_complete(&f->sys, vm, "#CP ", "BEG");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "BEGIN");
	con_free_list(l);
	l = con_complete(&f->sys, vm, "#CP Q ", "V");
	assert_int_equal(count(l), 1);
	con_free_list(l);
}

/* A lesson takes the terminal and gives it back (the content of the
 * lessons is theirs to test: here only the console's part). */
static void test_lesson(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "LESSON"), 0);
	assert_true(said(f, "  trap"));
	assert_int_not_equal(type(f, "LESSON HINT"), 0);
	assert_true(said(f, "NO LESSON IS RUNNING"));
	assert_int_not_equal(type(f, "LESSON START ../../etc/passwd"), 0);
	assert_int_not_equal(type(f, "LESSON START nosuch"), 0);
	assert_null(f->s.lesson);
	assert_int_equal(type(f, "LESSON START trap"), 0);
	assert_non_null(f->s.lesson);
	assert_true(said(f, "STEP 1/"));
	char buf[96];
	assert_non_null(con_lesson_prompt(&f->s, buf, sizeof buf));
	assert_non_null(strstr(buf, "LESSON trap STEP 1/"));
	assert_int_not_equal(type(f, "LESSON START trap"), 0); /* one at a time */
	assert_int_equal(type(f, "LESSON HINT"), 0);
	assert_true(said(f, "HINT: "));
	/* Lines now go to the lesson's own CP: its ALICE, not ours. */
	assert_int_equal(type(f, "QUERY TIME"), 0);
	assert_int_equal(type(f, "LESSON END"), 0);
	assert_true(said(f, "BACK TO YOUR SESSION: ALICE"));
	assert_null(f->s.lesson);
	assert_null(con_lesson_prompt(&f->s, buf, sizeof buf));
	assert_int_equal(type(f, "QUERY NAMES"), 0);
	assert_true(said(f, "ALICE    - TERM"));
	/* Completion: the subcommands, then the lesson names. */
	char **l = con_complete(&f->sys, NULL, "LESSON ", "");
	assert_true(has(l, "START") && has(l, "HINT") && has(l, "END"));
	con_free_list(l);
	l = con_complete(&f->sys, NULL, "LESSON START ", "tr");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "trap");
	con_free_list(l);
	/* From a guest (DIAGNOSE 8) a lesson cannot take anything over. */
	struct cp_outbuf ob = { 0 };
	struct cp_out o = cp_outbuf_out(&ob);
	assert_int_not_equal(cp_execute(&f->sys, con_connected(&f->s), "LESSON START trap", &o), 0);
	cp_outbuf_free(&ob);
}

/* CMS file names complete from the disks themselves (cms/mdisk.c). */
static void test_complete_cms_files(void **state)
{
	struct fixture *f = *state;
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/ALICE.191.disk", f->state);
	assert_int_equal(cms_disk_format(path, "ALICE", err, sizeof err), 0);
	struct cms_disk d;
	assert_int_equal(cms_disk_open(&d, path, err, sizeof err), 0);
	static const uint8_t rec[80] = "HELLO";
	assert_int_equal(cms_disk_put(&d, "PROFILE", "EXEC", 'F', 80, 1, rec, 80, err, sizeof err), 0);
	assert_int_equal(cms_disk_put(&d, "PROG", "ASSEMBLE", 'F', 80, 1, rec, 80, err, sizeof err), 0);
	assert_int_equal(cms_disk_put(&d, "PROG", "TEXT", 'F', 80, 1, rec, 80, err, sizeof err), 0);
	assert_int_equal(cms_disk_save(&d, path, err, sizeof err), 0);
	cms_disk_close(&d);
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "IPL LOOP"), 0); /* the guest has the terminal */
	struct cp_vm *vm = con_connected(&f->s);
	char **l = con_complete(&f->sys, vm, "TYPE ", "PRO");
	assert_int_equal(count(l), 2);
	assert_string_equal(l[0], "PROFILE");
	assert_string_equal(l[1], "PROG");
	con_free_list(l);
	l = con_complete(&f->sys, vm, "TYPE prog ", "");
	assert_int_equal(count(l), 2);
	assert_true(has(l, "ASSEMBLE") && has(l, "TEXT"));
	con_free_list(l);
	l = con_complete(&f->sys, vm, "TYPE PROG TEXT ", "");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "A");
	con_free_list(l);
	l = con_complete(&f->sys, vm, "TYPE NOSUCH ", "");
	assert_int_equal(count(l), 0);
	con_free_list(l);
}

/*
 * At CMS's VM READ the first word completes to CMS's commands -- the
 * table generated from CMDTAB in CMS's source -- and to CP's (implied
 * CP); CMS's CP command and implied CP commands take CP's completion;
 * other CMS commands take file names.
 */
const char *cms_source(void);

static void test_complete_cms_commands(void **state)
{
	struct fixture *f = *state;
	/* CMS is built into vmlab (cms/cms.mk): its absence is a failure,
	 * not a reason to skip. */
	assert_true(con_system_exists("CMS"));
	/* The generated table is CMDTAB: every name is one of its lines,
	 * with CMS's own minimum abbreviations. */
	int n = 0;
	const char *src = cms_source();
	for (const struct cms_command_name *c = cms_command_names; c->name; c++, n++) {
		char pat[32];
		snprintf(pat, sizeof pat, "CL8'%s',F'%d'", c->name, c->min);
		if (!strstr(src, pat))
			fail_msg("%s (from %s) is not in CMS's source as %s", c->name, c->where, pat);
	}
	assert_true(n >= 10);
	bool listfile = false;
	for (const struct cms_command_name *c = cms_command_names; c->name; c++)
		if (!strcmp(c->name, "LISTFILE"))
			listfile = c->min == 5;
	assert_true(listfile);

	char path[128], err[256];
	snprintf(path, sizeof path, "%s/ALICE.191.disk", f->state);
	assert_int_equal(cms_disk_format(path, "ALICE", err, sizeof err), 0);
	struct cms_disk d;
	assert_int_equal(cms_disk_open(&d, path, err, sizeof err), 0);
	static const uint8_t rec[80] = "HELLO";
	assert_int_equal(cms_disk_put(&d, "PROFILE", "EXEC", 'F', 80, 1, rec, 80, err, sizeof err), 0);
	assert_int_equal(cms_disk_put(&d, "PRIMES", "MODULE", 'F', 80, 1, rec, 80, err, sizeof err), 0);
	assert_int_equal(cms_disk_save(&d, path, err, sizeof err), 0);
	cms_disk_close(&d);
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_equal(type(f, "IPL CMS"), 0);
	struct cp_vm *vm = con_connected(&f->s);
	assert_int_equal(con_state(&f->s), CON_VM_READ);

	char **l = con_complete(&f->sys, vm, "", "");
	assert_true(has(l, "#CP") && has(l, "LISTFILE") && has(l, "COPYFILE"));
	assert_true(has(l, "INDICATE") && has(l, "LOGOFF")); /* implied CP */
	con_free_list(l);
	l = con_complete(&f->sys, vm, "", "LIST");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "LISTFILE");
	con_free_list(l);
	/* CMS's QUERY first, as in CMS's DISPATCH; what it does not know
	 * it hands to CP, so CP's operands complete too. */
	l = con_complete(&f->sys, vm, "Q ", "");
	assert_true(has(l, "DISK") && has(l, "SEARCH") && has(l, "TIME"));
	con_free_list(l);
	l = con_complete(&f->sys, vm, "Q ", "DI");
	assert_true(has(l, "DISK") && has(l, "DISKIO"));
	con_free_list(l);
	l = con_complete(&f->sys, vm, "SET DISKIO ", "");
	assert_int_equal(count(l), 2);
	assert_true(has(l, "SIO") && has(l, "DIAG"));
	con_free_list(l);
	/* CP cmd, and an implied CP command: CP's completion. */
	l = con_complete(&f->sys, vm, "CP ", "QU");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "QUERY");
	con_free_list(l);
	l = con_complete(&f->sys, vm, "CP QUERY ", "SYST");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "SYSTEMS");
	con_free_list(l);
	l = con_complete(&f->sys, vm, "IND ", "TI");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "TIMELINE");
	con_free_list(l);
	/* File commands take file names; ACCESS a device address. */
	/* (PRINT: PRINT HELPCMS on the system disk, S, which vmlab made
	 * with its help files: cms/sysfiles.h) */
	l = con_complete(&f->sys, vm, "TYPE ", "PR");
	assert_int_equal(count(l), 3);
	assert_true(has(l, "PROFILE") && has(l, "PRIMES") && has(l, "PRINT"));
	con_free_list(l);
	/* EXEC, LOAD and RUN take a name of their file type; a name alone
	 * is an EXEC (implied EXEC). */
	if (cms_command_find("EXEC")) {
		l = con_complete(&f->sys, vm, "EXEC ", "PR");
		assert_int_equal(count(l), 1);
		assert_string_equal(l[0], "PROFILE");
		con_free_list(l);
		l = con_complete(&f->sys, vm, "", "PR");
		assert_true(has(l, "PROFILE") && !has(l, "PRIMES"));
		con_free_list(l);
	}
	if (cms_command_find("RUN")) {
		l = con_complete(&f->sys, vm, "RUN ", "PR");
		assert_int_equal(count(l), 1);
		assert_string_equal(l[0], "PRIMES");
		con_free_list(l);
	}
	l = con_complete(&f->sys, vm, "ACC ", "19");
	assert_true(has(l, "190") && has(l, "191"));
	con_free_list(l);
	/* CP's HELP, under CMS, names CMS's commands too, and CP's HELP of
	 * one of them types its help file (cms/help/COPYFILE.txt, what
	 * CMS's HELP types from COPYFILE HELPCMS S), shortest form in
	 * capitals. */
	assert_int_equal(type(f, "#CP HELP"), 0);
	assert_true(said(f, "\ncms       LISTFILE TYPE"));
	assert_int_equal(type(f, "#CP HELP COPYF"), 0);
	assert_true(said(f, "COPYFILE (CMS): copy a file"));
	assert_true(said(f, "\n  COPYfile fn ft fm fn2 ft2 [fm2]"));
	/* Another guest than CMS: no CMS commands. */
	assert_int_equal(type(f, "#CP IPL LOOP"), 0);
	assert_int_equal(type(f, "#CP HELP"), 0);
	assert_false(said(f, "LISTFILE"));
	l = con_complete(&f->sys, vm, "", "");
	assert_int_equal(count(l), 1);
	assert_string_equal(l[0], "#CP");
	con_free_list(l);
}

/* ------------------------------------------------------------------ */
/* The debugger and the timeline                                       */

static void test_adstop_step(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	assert_int_not_equal(type(f, "STEP"), 0); /* not IPLed */
	assert_int_not_equal(type(f, "ADSTOP 403"), 0); /* not a word address */
	assert_true(said(f, "MULTIPLE OF 4"));
	assert_int_equal(type(f, "ADSTOP 408"), 0);
	assert_int_equal(type(f, "IPL DEMO"), 0);
	assert_true(said(f, "ADSTOP AT 00000408"));
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	struct cp_vm *vm = con_connected(&f->s);
	assert_int_equal(vm->g->cpu.psw_ia, 0x408);
	/* One step executes the SVC there: CP reflects it to the guest. */
	assert_int_equal(type(f, "STEP"), 0);
	assert_true(said(f, "SVC"));
	assert_true(said(f, "reflected"));
	assert_int_not_equal(vm->g->cpu.psw_ia, 0x408);
	uint64_t n0 = vm->g->stats.instructions;
	assert_int_equal(type(f, "STEP 5"), 0);
	assert_int_equal(vm->g->stats.instructions - n0, 5);
	assert_int_equal(con_state(&f->s), CON_CP_READ);
	assert_int_not_equal(type(f, "STEP 0"), 0);
	assert_int_not_equal(type(f, "STEP 5x"), 0);
	assert_int_equal(type(f, "ADSTOP"), 0);
	assert_true(said(f, "ADSTOP AT 00000408"));
	assert_int_not_equal(type(f, "ADSTOP OFF 500"), 0);
	assert_int_equal(type(f, "ADSTOP OFF 408"), 0);
	assert_int_equal(vm->g->cpu.nbreaks, 0);
	/* BEGIN runs the demo to its end. */
	assert_int_equal(type(f, "BEGIN"), 0);
	assert_true(said(f, "168"));
}

/* A guest that logs itself off with DIAGNOSE 8 while being stepped:
 * the step ends, the user is logged off afterwards, nothing is used
 * after it is freed (the ASan build checks). */
static void test_step_into_own_logoff(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON ALICE"), 0);
	struct cp_vm *vm = con_connected(&f->s);
	static const char src[] =
		"         ORG   0x400\n"
		"START    LA    R2,CMD\n"
		"         LHI   R4,CMDL\n"
		"         LA    R3,RESP\n"
		"         LHI   R5,100\n"
		"         DIAG  R2,R4,8\n"
		"         LPSW  DONE\n"
		"         DS    0D\n"
		"DONE     PSW   PSW_WAIT,0\n"
		"CMD      DC    C'LOGOFF'\n"
		"CMDL     EQU   *-CMD\n"
		"RESP     DS    CL100\n"
		"         END   START\n";
	struct sim_image img;
	struct asm_options opt = { .errors = stderr };
	assert_int_equal(asm_string("self.s", src, &opt, &img), 0);
	char err[128];
	assert_int_equal(sim_image_place(&img, &vm->g->mem, err, sizeof err), 0);
	trap_vm_reset(vm->g);
	trap_vm_start(vm->g, img.entry);
	sim_image_free(&img);
	vm->ipled = true;
	vm->state = CPVM_STOPPED;
	assert_int_equal(type(f, "STEP 10"), 0);
	assert_true(said(f, "CONNECT="));
	assert_null(cp_find(&f->sys, "ALICE"));
	assert_int_equal(con_state(&f->s), CON_LOGON);
}

static void test_timeline(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(type(f, "LOGON OPERATOR"), 0);
	assert_int_equal(type(f, "INDICATE TIMELINE"), 0);
	assert_true(said(f, "NO DISPATCHES"));
	assert_int_equal(type(f, "AUTOLOG BOB IPL LOOP"), 0);
	assert_int_equal(type(f, "AUTOLOG ALICE IPL DEMO"), 0);
	assert_int_equal(type(f, "IND TIMELINE 200"), 0);
	assert_true(said(f, "LAST 200 OF"));
	assert_true(said(f, "BOB      |"));
	assert_true(said(f, "ALICE    |"));
	assert_true(said(f, "X")); /* the demo's disabled wait */
	/* INDICATE EXITS: one row per machine for the operator (class A). */
	assert_int_equal(type(f, "IND EXITS"), 0);
	assert_true(said(f, "USERID   STATE"));
	assert_true(said(f, "\nBOB      RUNNING"));
	assert_true(said(f, "\nALICE    CP READ"));
	assert_true(said(f, "\nOPERATOR "));
	/* A class G user sees only its own row. */
	assert_int_equal(type(f, "SESSION ALICE"), 0);
	assert_int_equal(type(f, "IND EXITS"), 0);
	assert_true(said(f, "\nALICE    CP READ"));
	assert_false(said(f, "\nBOB "));
	assert_true(said(f, "NEED CLASS A OR E"));
	assert_int_equal(type(f, "SESSION OPERATOR"), 0);
	assert_int_not_equal(type(f, "IND TIMELINE 0"), 0);
	assert_int_not_equal(type(f, "IND TIMELINE 99999"), 0);
	/* The SVG goes to the state folder, under a plain name only. */
	assert_int_not_equal(type(f, "IND TIMELINE --svg ../evil.svg"), 0);
	assert_int_not_equal(type(f, "IND TIMELINE --svg notsvg.txt"), 0);
	assert_int_equal(type(f, "IND TIMELINE 20 --svg t.svg"), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/t.svg", f->state);
	FILE *svg = fopen(path, "r");
	assert_non_null(svg);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, svg);
	buf[n] = 0;
	fclose(svg);
	assert_non_null(strstr(buf, "<svg"));
	assert_non_null(strstr(buf, ">BOB<"));
	assert_non_null(strstr(buf, "</svg>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_check_line),
		cmocka_unit_test_setup_teardown(test_garbage_keeps_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_costs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_at_vm_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_disconnected_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_ipl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lesson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_operands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_devices_and_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_cms_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_cms_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adstop_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_into_own_logoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeline, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
