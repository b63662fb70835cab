/*
 * tests/unit/test_lesson.c -- the lesson module: the check expression
 * language (precedence, names, errors with columns), the loader (every
 * error a file:line:col line, unknown keys with "did you mean"), the
 * question grader, the engine driven step by step as the console will,
 * and a robustness loop: thousands of damaged lessons, none of which may
 * crash the loader or come back without a located message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <unistd.h>

#include "cp/console.h"
#include "lessons/lesson.h"

/* ------------------------------------------------------------------ */
/* A CP to evaluate against                                           */

struct fixture {
	struct lesson_run run;
	struct lesson l;
};

/* A small but complete lesson: the engine's own fixture. */
static const char good_lesson[] =
	"id: unit\n"
	"title: Unit test lesson\n"
	"version: \"1\"\n"
	"level: beginner\n"
	"objectives: [test the engine]\n"
	"setup:\n"
	"  user: ALICE\n"
	"  start: false\n"
	"  program: |\n"
	"    * set R2, two privileged instructions, stop\n"
	"             LHI   R2,X'10'\n"
	"             SSM   MASK\n"
	"             LPSW  DONE\n"
	"    DONE     PSW   PSW_WAIT,0\n"
	"    MASK     DC    X'00'\n"
	"steps:\n"
	"  - id: look\n"
	"    title: Look\n"
	"    text: Display R2 before it runs.\n"
	"    do: [DISPLAY R2]\n"
	"    expect:\n"
	"      output: ['R2  = ', '/R2 += 0+$/']\n"
	"      not_output: [DOES NOT EXIST]\n"
	"      check: [ALICE.stopped, ALICE.reg.r2 == 0, users == 1]\n"
	"  - id: run\n"
	"    title: Run it\n"
	"    text: Trace and begin.\n"
	"    do: [TRACE PRIV, BEGIN]\n"
	"    expect:\n"
	"      output: ['SSM']\n"
	"      check:\n"
	"        - ALICE.reg.r2 == 0x10\n"
	"        - ALICE.stats.exits.privileged == 2\n"
	"        - ALICE.psw.wait && !ALICE.psw.problem\n"
	"    hints: [BEGIN starts it]\n"
	"    questions:\n"
	"      - question: Privileged exits?\n"
	"        answer: 2\n"
	"        value: ALICE.emulated\n"
	"      - question: Which one is privileged?\n"
	"        choices: [LHI, SSM]\n"
	"        answer: B\n"
	"      - question: Name the instruction that loads the PSW.\n"
	"        accept: [LPSW, load PSW]\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[512];
	if (lesson_load_string("unit.yaml", good_lesson, strlen(good_lesson), &f->l, err,
			       sizeof err)) {
		fprintf(stderr, "%s\n", err);
		free(f);
		return -1;
	}
	if (lesson_run_start(&f->run, &f->l, NULL, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		lesson_free(&f->l);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lesson_run_end(&f->run);
	lesson_free(&f->l);
	free(f);
	return 0;
}

/* Evaluate text against the fixture's CP; the test fails on an error. */
static int64_t eval(struct fixture *f, const char *text)
{
	char err[256];
	struct lesson_expr *e = lesson_expr_parse(text, err, sizeof err);
	if (!e)
		fail_msg("'%s' does not parse: %s", text, err);
	int64_t v = -12345;
	if (lesson_expr_eval(e, f->run.sys, &v, err, sizeof err))
		fail_msg("'%s' does not evaluate: %s", text, err);
	lesson_expr_free(e);
	return v;
}

/* ------------------------------------------------------------------ */
/* The expression language                                             */

static void test_expr_arithmetic(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(eval(f, "1 + 2 * 3"), 7);
	assert_int_equal(eval(f, "(1 + 2) * 3"), 9);
	assert_int_equal(eval(f, "10 - 4 - 3"), 3);      /* left to right */
	assert_int_equal(eval(f, "17 / 5 + 17 % 5"), 5);
	assert_int_equal(eval(f, "-3 + 5"), 2);
	assert_int_equal(eval(f, "0x10 == 16"), 1);
	assert_int_equal(eval(f, "4K"), 4096);
	assert_int_equal(eval(f, "1M == 1048576"), 1);
	assert_int_equal(eval(f, "1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2"), 1);
	assert_int_equal(eval(f, "1 == 2 || 2 == 2"), 1);
	assert_int_equal(eval(f, "!0 && !!5"), 1);
	assert_int_equal(eval(f, "!(1 + 1 == 2)"), 0);
	assert_int_equal(eval(f, "1 + 1 == 2 && 3"), 1);  /* == binds tighter than && */
}

static void test_expr_machine_state(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(eval(f, "users"), 1);
	assert_int_equal(eval(f, "ALICE.logged_on"), 1);
	assert_int_equal(eval(f, "BOB.logged_on"), 0);  /* works for anyone */
	assert_int_equal(eval(f, "ALICE.psw.ia"), 0);   /* the program's entry */
	assert_int_equal(eval(f, "ALICE.psw.problem"), 0);
	assert_int_equal(eval(f, "ALICE.stopped"), 1);
	assert_int_equal(eval(f, "ALICE.storage"), 1024 * 1024);
	/* Registers as the console's STORE leaves them. */
	assert_int_equal(lesson_run_line(&f->run, "STORE R5 CAFE0001"), 0);
	assert_int_equal(eval(f, "ALICE.reg.r5 == 0xCAFE0001"), 1);
	assert_int_equal(eval(f, "ALICE.reg.r5"), 0xCAFE0001);  /* unsigned */
	assert_int_equal(eval(f, "ALICE.stats.exits.total"), 0);
	assert_int_equal(eval(f, "slice > 0 && now >= 0"), 1);

	/* A user who is not logged on: an error that says so, except when
	 * && has already decided. */
	char err[256];
	int64_t v;
	struct lesson_expr *e = lesson_expr_parse("BOB.running", err, sizeof err);
	assert_non_null(e);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "BOB is not logged on"));
	lesson_expr_free(e);
	assert_int_equal(eval(f, "BOB.logged_on && BOB.running"), 0);
	e = lesson_expr_parse("1 / (users - 1)", err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "division by zero"));
	lesson_expr_free(e);

	/* explain names every value a check used, once each. */
	char buf[256];
	e = lesson_expr_parse("ALICE.reg.r5 == 1 || ALICE.reg.r5 == users", err, sizeof err);
	lesson_expr_explain(e, f->run.sys, buf, sizeof buf);
	assert_string_equal(buf, "ALICE.reg.r5 = 0xCAFE0001, users = 1");
	lesson_expr_free(e);
	e = lesson_expr_parse("ALICE.ipled + LICE.ipled + ALICE.ipled", err, sizeof err);
	lesson_expr_explain(e, f->run.sys, buf, sizeof buf);
	assert_string_equal(buf, "ALICE.ipled = 1, LICE is not logged on (in LICE.ipled)");
	lesson_expr_free(e);

	/* at_start(x): x as it was when the step began (the snapshot). */
	e = lesson_expr_parse("ALICE.reg.r5 - at_start(ALICE.reg.r5)", err, sizeof err);
	assert_non_null(e);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "at_start(ALICE.reg.r5): the step has not begun");
	lesson_expr_snapshot(e, f->run.sys);
	assert_int_equal(lesson_run_line(&f->run, "STORE R5 CAFE0011"), 0);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), 0);
	assert_int_equal(v, 0x10);
	lesson_expr_explain(e, f->run.sys, buf, sizeof buf);
	assert_string_equal(buf, "ALICE.reg.r5 = 0xCAFE0011, at_start(ALICE.reg.r5) = 0xCAFE0001");
	lesson_expr_free(e);
	e = lesson_expr_parse("BOB.logged_on && at_start(BOB.cycles) == 0", err, sizeof err);
	lesson_expr_snapshot(e, f->run.sys);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), 0);
	assert_int_equal(v, 0);
	lesson_expr_free(e);
	e = lesson_expr_parse("at_start(BOB.cycles)", err, sizeof err);
	lesson_expr_snapshot(e, f->run.sys);
	assert_int_equal(lesson_expr_eval(e, f->run.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "at_start(BOB.cycles): when the step began, BOB is not logged on "
				 "(in BOB.cycles)");
	lesson_expr_free(e);
}

static void test_expr_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "ALICE.psw.problme == 0", "col 7: unknown field 'psw.problme'; did you mean 'psw.problem'?" },
		{ "usres == 1", "col 1: unknown name 'usres'; did you mean 'users'?" },
		{ "ALICE.reg.r16", "col 7: unknown field 'reg.r16'" },
		{ "ALICE.stats.exits.privilged > 0", "did you mean 'stats.exits.privileged'?" },
		{ "alice.psw.problem == 0", "col 1: 'alice.psw.problem': a user is 1-8 capital letters" },
		{ "ALICE.psw.problem = 0", "col 19: '=' is not a comparison; write '=='" },
		{ "1 < 2 < 3", "col 7: comparisons do not chain" },
		{ "((1)", "col 5: expected ')'" },
		{ "", "col 1: expression ends too soon" },
		{ "1 +", "col 4: expression ends too soon" },
		{ "012", "col 1: a number with a leading 0" },
		{ "1 2", "col 3: unexpected '2' after the expression" },
		{ "99999999999999999999", "col 1: bad number" },
		{ "3 ? 1", "col 3: unexpected '?'" },
		{ "TOOLONGID.running", "a user is 1-8 capital letters" },
		/* CMS files and disks: the file id and the disk checked as CMS would */
		{ "ALICE.file(\"PROFILE\", \"A\").exists", "col 13: 'PROFILE': expected 'FN FT'" },
		{ "ALICE.file(\"PROFILE EXEC\", \"Q\").exists",
		  "col 29: disk 'Q': expected A (191), S (190) or a device address" },
		{ "ALICE.file(\"PROFILE EXEC\", \"A\").exist", "col 33: unknown file field 'exist'; did you mean 'exists'?" },
		{ "ALICE.file(\"PROFILE EXEC\", \"A\")", "col 32: expected '.' and a field after ')'" },
		{ "ALICE.file(\"PROFILE EXEC\").exists", "col 26: expected ',' and the disk's mode letter" },
		{ "ALICE.file(\"PROFILE EXEC, \"A\").exists", "col 13: 'PROFILE EXEC, ': expected 'FN FT'" },
		{ "ALICE.file(\"PROFILE EXEC", "col 12: a string without its closing quote" },
		{ "ALICE.file(PROFILE EXEC, A).exists", "col 12: expected the file's name and type" },
		{ "ALICE.file.exists", "col 11: expected '(' after file" },
		{ "ALICE.disk(\"A\").fils", "unknown disk field 'fils'; did you mean 'files'?" },
		{ "ALICE.reg(\"A\").x", "col 7: only file(\"FN FT\", \"MODE\"), disk(\"MODE\") and dev(\"ADDR\") take arguments" },
		{ "ALICE.dev(\"ZZZ\").sio", "col 12: device 'ZZZ': expected A (191), S (190) or a device address" },
		{ "ALICE.dev(\"191\").sios", "col 18: unknown dev field 'sios'; did you mean 'sio'?" },
		{ "ALICE.dev.sio", "col 10: expected '(' after dev" },
		{ "at_start now", "col 10: expected '(' after at_start" },
		{ "at_start(1 + at_start(now))", "col 14: at_start inside at_start" },
		{ "at_start(now", "col 13: expected ')'" },
		{ "at_start()", "col 10: unexpected ')'" },
		{ "ALICE.file(\"A B\", \"A\").contains(\"\")", "contains(\"\") is always true" },
		{ "ALICE.file(\"A B\", \"A\").contains", "expected '(' after contains" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256];
		struct lesson_expr *e = lesson_expr_parse(bad[i].text, err, sizeof err);
		if (e)
			fail_msg("'%s' parsed; expected: %s", bad[i].text, bad[i].msg);
		if (!strstr(err, bad[i].msg))
			fail_msg("'%s': got \"%s\", expected \"%s\"", bad[i].text, err, bad[i].msg);
	}
	/* Nesting is bounded, not a stack overflow. */
	char deep[4000];
	memset(deep, '(', sizeof deep - 1);
	deep[sizeof deep - 1] = 0;
	char err[256];
	assert_null(lesson_expr_parse(deep, err, sizeof err));
	assert_non_null(strstr(err, "nested too deeply"));
	memset(deep, '!', sizeof deep - 1);
	assert_null(lesson_expr_parse(deep, err, sizeof err));
	assert_non_null(strstr(err, "nested too deeply"));
	/* Every field of the table parses under a user name. */
	static const char *const ok[] = {
		"ALICE.stats.exits.io_insn", "ALICE.stats.exits.io_interrupt", "ALICE.cr.cr15",
		"ALICE.reg.r0", "ALICE.shadow.rebuilds", "OPERATOR.cp_cycles", "$X#@9.ipled",
		"ALICE.file(\"profile exec\", \"a\").exists", "BOB.file( 'X Y' , 'S' ).records > 0",
		"ALICE.disk(\"192\").formatted", "ALICE.file(\"A B\", \"A\").contains(\"HELLO, WORLD\")",
		"now - at_start(now) > 0", "at_start(ALICE.dev(\"191\").sio + 1) * 2",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct lesson_expr *e = lesson_expr_parse(ok[i], err, sizeof err);
		if (!e)
			fail_msg("'%s': %s", ok[i], err);
		lesson_expr_free(e);
	}
	assert_null(lesson_expr_parse("ALICE.reg.r01", err, sizeof err));
}

/* ------------------------------------------------------------------ */
/* The loader                                                          */

/* The head of a valid lesson; tests append a step or replace keys. */
#define HEAD "id: x\ntitle: X\nversion: \"1\"\nlevel: beginner\nobjectives: [o]\n"
#define STEP "steps:\n  - id: s\n    title: S\n    text: T\n"

static void test_loader_errors(void **state)
{
	(void)state;
	static const struct {
		const char *yaml, *msg;
	} bad[] = {
		{ HEAD "titel: Y\n" STEP, "t.yaml:6:1: unknown key 'titel' in the lesson; did you mean 'title'?" },
		{ HEAD, "t.yaml:1:1: the lesson has no 'steps' (required)" },
		{ "id: x\n" STEP, "has no 'title' (required)" },
		{ HEAD "steps: []\n", "t.yaml:6:8: steps is empty" },
		{ HEAD STEP "    exepct: [x]\n", "t.yaml:10:5: unknown key 'exepct' in a step; did you mean 'expect'?" },
		{ HEAD STEP "    expect:\n      check: [ALICE.psw.problme == 0]\n",
		  "t.yaml:11:21: check 'ALICE.psw.problme == 0': unknown field 'psw.problme'; did you mean 'psw.problem'?" },
		{ HEAD STEP "    expect:\n      check:\n        - \"users = 1\"\n",
		  "t.yaml:12:18: check 'users = 1': '=' is not a comparison" },
		{ HEAD STEP "    expect:\n      output: ['/a(b/']\n", "t.yaml:11:16: expect.output: bad regular expression /a(b/" },
		{ HEAD STEP "    expect:\n      output:\n        - emulated: virtual PSW\n",
		  "t.yaml:12:11: expect.output is a mapping; expected a single value (a ': ' inside a value" },
		{ HEAD STEP "    questions:\n      - question: Q\n        choices: [a, b]\n        answer: C\n",
		  "t.yaml:13:17: answer 'C' is not one of the choices' letters A..B" },
		{ HEAD STEP "    questions:\n      - question: Q\n        answer: many\n",
		  "t.yaml:12:17: answer 'many' is not a number" },
		{ HEAD STEP "    questions:\n      - question: Q\n",
		  "t.yaml:11:9: a question needs choices+answer" },
		{ HEAD STEP "    questions:\n      - question: Q\n        accept: [a]\n        value: users\n",
		  "value is for numeric questions only" },
		{ HEAD STEP "    questions:\n      - question: Q\n        answer: 1\n        value: usres\n",
		  "t.yaml:13:16: value 'usres': unknown name 'usres'; did you mean 'users'?" },
		{ HEAD STEP "  - id: s\n    title: S2\n    text: T\n", "t.yaml:10:5: step id 's' used twice (first at line 7)" },
		{ "id: x\ntitle: X\nversion: \"1\"\nlevel: beginer\nobjectives: [o]\n" STEP,
		  "t.yaml:4:8: level 'beginer' is not beginner, intermediate or advanced; did you mean 'beginner'?" },
		{ HEAD "setup:\n  ipl: NOSUCH\n" STEP, "t.yaml:7:8: setup.ipl 'NOSUCH' is not a named system" },
		{ HEAD "setup:\n  user: alice\n" STEP, "t.yaml:7:9: setup.user 'alice' is not a userid" },
		{ HEAD "setup:\n  storage: 3000\n" STEP, "t.yaml:7:12: setup.storage '3000' is not a number from 65536" },
		{ HEAD "setup:\n  ipl: DEMO\n  program: x\n" STEP, "setup has both ipl and program" },
		{ HEAD STEP "    do: [\"" "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789\"]\n",
		  "longer than a terminal line" },
		{ HEAD STEP "    run: -5\n", "t.yaml:10:10: run '-5' is not a number" },
		{ HEAD STEP "    do: [\"Q\\tN\"]\n", "t.yaml:10:9: do: line 1 is longer than a terminal line (255) or holds a character" },
		{ HEAD STEP "    do: [\"Q N\", \"caf\u00e9\"]\n", "do: line 2 is longer" },
		{ "id: x\n  title: [\n", "t.yaml:2:" },
		{ "", "t.yaml:1:1: the file is empty" },
		{ "- a\n- b\n", "t.yaml:1:1: the lesson is a list; expected a mapping" },
		{ HEAD STEP "---\nid: y\n", "t.yaml:11:1: a second YAML document" },
		{ HEAD STEP "    text: again\n", "t.yaml:10:5: 'text' given twice in a step (first at line 9)" },
		{ "id: \"a\\0b\"\n", "t.yaml:1:5: id contains a NUL character" },
		{ HEAD "id2: x\n" STEP, "unknown key 'id2' in the lesson; did you mean 'id'?" },
		{ HEAD "zzzzzz: 1\n" STEP, "unknown key 'zzzzzz' in the lesson; expected one of: id, title" },
		/* An inline directory is checked by CP's parser, at the lesson's lines. */
		{ HEAD "setup:\n  directory:\n    users:\n      - id: DAVE\n        storag: 2M\n" STEP,
		  "t.yaml:10:9: unknown key 'storag' in a user; did you mean 'storage'?" },
		{ HEAD "setup:\n  directory: [a]\n" STEP, "t.yaml:7:14: setup.directory is a list" },
		{ HEAD "setup:\n  directory: nosuch.yaml\n" STEP,
		  "t.yaml:7:14: setup.directory 'nosuch.yaml': No such file" },
		/* Nobody logged on: nothing to IPL or load into. */
		{ HEAD "setup:\n  logon: false\n  ipl: DEMO\n" STEP,
		  "t.yaml:7:10: setup.logon is false: nobody is logged on to take ipl" },
		{ HEAD "setup:\n  logon: maybe\n" STEP, "t.yaml:7:10: setup.logon is 'maybe'; expected true or false" },
		/* setup.files: everything but the space on the disk, at load */
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: PROFILE, text: x }\n" STEP,
		  "t.yaml:8:26: name 'PROFILE': expected 'FN FT'" },
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: A B }\n" STEP,
		  "t.yaml:8:7: a setup file has no 'text' (required)" },
		{ HEAD "setup:\n  files:\n    - { disk: 1X1, name: A B, text: x }\n" STEP,
		  "t.yaml:8:15: disk '1X1': expected an address (191) or a mode letter" },
		/* strtoul alone took these: -1 became FFFF, " 191" was 191 */
		{ HEAD "setup:\n  files:\n    - { disk: \"-1\", name: A B, text: x }\n" STEP,
		  "t.yaml:8:15: disk '-1': expected an address (191) or a mode letter" },
		{ HEAD "setup:\n  files:\n    - { disk: \" 191\", name: A B, text: x }\n" STEP,
		  "t.yaml:8:15: disk ' 191': expected an address (191) or a mode letter" },
		{ HEAD "setup:\n  files:\n    - { disk: \"+19\", name: A B, text: x }\n" STEP,
		  "t.yaml:8:15: disk '+19': expected an address (191) or a mode letter" },
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: A B, recfm: U, text: x }\n" STEP,
		  "t.yaml:8:38: recfm 'U': expected F (fixed) or V (variable)" },
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: A B, recfm: F, lrecl: 4, text: toolong }\n" STEP,
		  "t.yaml:8:57: text: line 1: 7 characters; longer than 4" },
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: A B, lrecl: 3, text: abcd }\n" STEP,
		  "t.yaml:8:38: lrecl 3 is shorter than the longest line (4)" },
		{ HEAD "setup:\n  files:\n    - { user: DAVE, disk: 191, name: A B, text: x }\n" STEP,
		  "t.yaml:8:7: setup.files: DAVE is not in the directory" },
		{ HEAD "setup:\n  files:\n    - { disk: 192, name: A B, text: x }\n" STEP,
		  "t.yaml:8:7: setup.files: ALICE has no disk 192 in the directory (an MDISK or a LINK)" },
		{ HEAD "setup:\n  files:\n    - { disk: A, name: A B, text: x }\n    - { disk: 191, name: a b, text: y }\n" STEP,
		  "t.yaml:9:7: A B on the same disk twice (first at line 8)" },
		{ HEAD "setup:\n  files:\n    - { disk: 191, name: A B, text: x, mode: A }\n" STEP,
		  "unknown key 'mode' in a setup file" },
		/* ... with the lesson's own directory, wherever it comes */
		{ HEAD "setup:\n  user: DAVE\n  files:\n    - { disk: 191, name: A B, text: x }\n"
		  "  directory:\n    users:\n      - { id: DAVE, storage: 1M }\n" STEP,
		  "t.yaml:9:7: setup.files: DAVE has no disk 191 in the directory" },
		/* A recursive alias is a list inside itself, not a step. */
		{ HEAD "steps: &a [*a]\n", "t.yaml:6:8: a step is a list; expected a mapping" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct lesson l;
		char err[512];
		if (!lesson_load_string("t.yaml", bad[i].yaml, strlen(bad[i].yaml), &l, err,
					sizeof err)) {
			lesson_free(&l);
			fail_msg("case %zu loaded; expected: %s", i, bad[i].msg);
		}
		if (!strstr(err, bad[i].msg))
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, err, bad[i].msg);
	}
}

static void test_loader_reads_everything(void **state)
{
	struct fixture *f = *state;
	const struct lesson *l = &f->l;
	assert_string_equal(l->id, "unit");
	assert_string_equal(l->setup.user, "ALICE");
	assert_false(l->setup.start);
	assert_int_equal(l->nsteps, 2);
	const struct lesson_step *s = &l->steps[1];
	assert_int_equal(s->ndo, 2);
	assert_string_equal(s->do_lines[1], "BEGIN");
	assert_int_equal(s->nchecks, 3);
	assert_int_equal(s->checks[1].pos.line, 33);
	assert_int_equal(s->checks[1].pos.col, 11);
	assert_int_equal(s->nquestions, 3);
	assert_int_equal(s->questions[0].kind, LESSON_Q_NUMBER);
	assert_int_equal(s->questions[1].kind, LESSON_Q_CHOICE);
	assert_int_equal(s->questions[1].answer, 1);
	assert_int_equal(s->questions[2].kind, LESSON_Q_TEXT);
	assert_true(l->steps[0].output[1].is_regex);
	/* A file that is not there says so, with its name. */
	struct lesson l2;
	char err[256];
	assert_int_equal(lesson_load("/nonexistent/x.yaml", &l2, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/x.yaml: No such file"));
}

/* A lesson with its own directory: the CP it starts has those users. */
static void test_inline_directory(void **state)
{
	(void)state;
	static const char y[] =
		HEAD
		"setup:\n"
		"  user: DAVE\n"
		"  directory:\n"
		"    system: { name: LAB, slice: 7000 }\n"
		"    users:\n"
		"      - id: DAVE\n"
		"        storage: 2M\n"
		"        class: G\n"
		STEP
		"    do: [QUERY VIRTUAL]\n"
		"    expect:\n"
		"      output: [STORAGE = 2048K]\n"
		"      check: [DAVE.storage == 2M, slice == 7000, users == 1]\n";
	struct lesson l;
	char err[512];
	assert_int_equal(lesson_load_string("d.yaml", y, strlen(y), &l, err, sizeof err), 0);
	if (lesson_auto(&l, NULL, false, err, sizeof err))
		fail_msg("%s", err);
	/* ALICE is not in this directory. */
	free(l.setup.user);
	l.setup.user = strdup("ALICE");
	assert_int_equal(lesson_auto(&l, NULL, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "setup: LOGON ALICE failed"));
	lesson_free(&l);
}

/* Aliases repeating one long value: refused, not gigabytes. */
static void test_loader_alias_bomb(void **state)
{
	(void)state;
	size_t big = 60000;
	char *y = malloc(big + 20000);
	size_t n = (size_t)sprintf(y, HEAD STEP "    hints: [&a '");
	memset(y + n, 'x', big);
	n += big;
	n += (size_t)sprintf(y + n, "'");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(y + n, ", *a");
	n += (size_t)sprintf(y + n, "]\n");
	struct lesson l;
	char err[512];
	assert_int_equal(lesson_load_string("t.yaml", y, n, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "the lesson's text adds up to more than"));
	free(y);
}

/* ------------------------------------------------------------------ */
/* Questions                                                           */

static void test_grading(void **state)
{
	struct fixture *f = *state;
	const struct lesson_question *num = &f->l.steps[1].questions[0];
	const struct lesson_question *mc = &f->l.steps[1].questions[1];
	const struct lesson_question *txt = &f->l.steps[1].questions[2];
	assert_true(lesson_question_grade(mc, "B"));
	assert_true(lesson_question_grade(mc, " b "));
	assert_true(lesson_question_grade(mc, "2"));
	assert_true(lesson_question_grade(mc, "ssm"));
	assert_false(lesson_question_grade(mc, "A"));
	assert_false(lesson_question_grade(mc, "C"));
	assert_false(lesson_question_grade(mc, "3"));
	assert_false(lesson_question_grade(mc, ""));
	assert_true(lesson_question_grade(num, "2"));
	assert_true(lesson_question_grade(num, "2.0"));
	assert_true(lesson_question_grade(num, "0x2"));
	assert_false(lesson_question_grade(num, "3"));
	assert_false(lesson_question_grade(num, "two"));
	assert_false(lesson_question_grade(num, "2x"));
	assert_true(lesson_question_grade(txt, "lpsw"));
	assert_true(lesson_question_grade(txt, "  Load   psw "));
	assert_false(lesson_question_grade(txt, "LPS"));
	/* Tolerance is inclusive. */
	struct lesson_question q = { .kind = LESSON_Q_NUMBER, .number = 99.88, .tolerance = 0.01 };
	assert_true(lesson_question_grade(&q, "99.89"));
	assert_true(lesson_question_grade(&q, "99.875"));
	assert_false(lesson_question_grade(&q, "99.9"));
	char buf[64];
	assert_string_equal(lesson_question_model_answer(mc, buf, sizeof buf), "B");
	assert_string_equal(lesson_question_model_answer(txt, buf, sizeof buf), "LPSW");
	assert_string_equal(lesson_question_model_answer(num, buf, sizeof buf), "2");
	/* A wrong answer of the right form gets NOT QUITE; one that names
	 * no choice, or no number, is told what an answer looks like. */
	char form[100];
	assert_null(lesson_question_form(mc, "A", form, sizeof form));
	assert_null(lesson_question_form(mc, "2", form, sizeof form));
	assert_non_null(lesson_question_form(mc, "3", form, sizeof form)); /* 2 choices */
	assert_null(lesson_question_form(mc, "ssm", form, sizeof form));
	assert_non_null(lesson_question_form(mc, "QUERY VIRTUAL", form, sizeof form));
	assert_non_null(strstr(form, "A TO"));
	assert_non_null(lesson_question_form(mc, "99", form, sizeof form));
	assert_null(lesson_question_form(num, "3", form, sizeof form));
	assert_non_null(lesson_question_form(num, "INDICATE", form, sizeof form));
	assert_non_null(strstr(form, "NUMBER"));
	assert_null(lesson_question_form(txt, "LPS", form, sizeof form));
	assert_non_null(lesson_question_form(txt, "  ", form, sizeof form));
}

/* ------------------------------------------------------------------ */
/* The engine, step by step (as the console will drive it)            */

struct collect {
	char text[4096];
	int n;
};

static void collect_line(void *ctx, const char *text)
{
	struct collect *c = ctx;
	size_t len = strlen(c->text);
	snprintf(c->text + len, sizeof c->text - len, "%s\n", text);
	c->n++;
}

static void test_engine_step_by_step(void **state)
{
	struct fixture *f = *state;
	struct lesson_run *r = &f->run;
	struct collect why = { "", 0 };
	struct cp_out w = { collect_line, &why };
	/* Nothing typed yet: the output patterns of step 1 are unmet, the
	 * state checks already hold. */
	assert_int_equal(r->step, 0);
	assert_int_equal(lesson_run_verify(r, &w), 2);
	assert_non_null(strstr(why.text, "unit.yaml:22:16: step look: expected output 'R2  = ' not seen"));
	assert_non_null(strstr(why.text, "step look: expected output /R2 += 0+$/ not seen"));
	assert_null(lesson_run_hint(r));  /* step 1 has none */
	lesson_run_line(r, "DISPLAY R2");
	why.text[0] = 0;
	assert_int_equal(lesson_run_verify(r, &w), 0);
	assert_int_equal(lesson_run_verify(r, NULL), 0);
	assert_true(lesson_run_next(r));
	assert_string_equal(lesson_run_current(r)->id, "run");
	assert_string_equal(lesson_run_hint(r), "BEGIN starts it");
	assert_string_equal(lesson_run_hint(r), "BEGIN starts it"); /* the last repeats */
	/* Step 2 before its lines: the checks fail with the values seen. */
	why.text[0] = 0;
	assert_int_equal(lesson_run_verify(r, &w), 4);
	assert_non_null(strstr(why.text, "check 'ALICE.reg.r2 == 0x10' is false (ALICE.reg.r2 = 0)"));
	lesson_run_line(r, "TRACE PRIV");
	lesson_run_line(r, "BEGIN");
	why.text[0] = 0;
	assert_int_equal(lesson_run_verify(r, &w), 0);
	assert_non_null(strstr(r->out.text, "SSM"));
	assert_false(lesson_run_next(r));
	assert_int_equal(r->step, 2);
	assert_null(lesson_run_current(r));
	assert_int_equal(lesson_run_verify(r, NULL), 0);
}

static void test_auto(void **state)
{
	struct fixture *f = *state;
	struct collect log = { "", 0 };
	struct cp_out o = { collect_line, &log };
	char err[512];
	assert_int_equal(lesson_auto(&f->l, &o, false, err, sizeof err), 0);
	assert_non_null(strstr(log.text, "step 2/2 run: Run it"));
	/* The same lesson with a wrong expectation fails at its line. */
	char *bad = strdup(good_lesson);
	char *p = strstr(bad, "privileged == 2");
	p[strlen("privileged == ")] = '3';
	struct lesson l;
	assert_int_equal(lesson_load_string("bad.yaml", bad, strlen(bad), &l, err, sizeof err), 0);
	assert_int_equal(lesson_auto(&l, NULL, false, err, sizeof err), -1);
	assert_string_equal(err, "bad.yaml:33:11: step run: check 'ALICE.stats.exits.privileged "
				 "== 3' is false (ALICE.stats.exits.privileged = 2)");
	lesson_free(&l);
	/* A program that does not assemble: located, and nothing leaks. */
	strcpy(bad, good_lesson);
	p = strstr(bad, "LHI   R2,X'10'");
	memcpy(p, "LHX", 3);
	assert_int_equal(lesson_load_string("bad.yaml", bad, strlen(bad), &l, err, sizeof err), 0);
	assert_int_equal(lesson_auto(&l, NULL, false, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad.yaml:9:12: setup.program does not assemble: "));
	lesson_free(&l);
	free(bad);
}

/* CMS state in checks: files the setup wrote, files CMS wrote, read
 * from the minidisks as they are (cms/mdisk.c). */
static const char files_lesson[] =
	"id: files\n"
	"title: Files\n"
	"version: \"1\"\n"
	"level: beginner\n"
	"objectives: [files]\n"
	"setup:\n"
	"  files:\n"
	"    - disk: 191\n"
	"      name: PROFILE EXEC\n"
	"      text: |\n"
	"        &TRACE ALL\n"
	"        CP QUERY TIME\n"
	"    - { user: BOB, disk: A, name: DECK DATA, recfm: F, text: \"CARD 1\\nCARD 2\\n\" }\n"
	"    - { disk: S, name: SYSTEM README, text: \"THE S-DISK\\n\" }\n"
	"steps:\n"
	"  - id: copy\n"
	"    title: Copy\n"
	"    text: COPYFILE\n"
	"    do: [IPL CMS, COPYFILE PROFILE EXEC A OLD EXEC A]\n"
	"    expect:\n"
	"      check:\n"
	"        - ALICE.file(\"OLD EXEC\", \"A\").contains(\"QUERY TIME\")\n"
	"        - ALICE.disk(\"A\").files - at_start(ALICE.disk(\"A\").files) == 1\n";

static void test_cms_files(void **state)
{
	(void)state;
	struct lesson l;
	struct lesson_run r;
	char err[512];
	if (lesson_load_string("files.yaml", files_lesson, strlen(files_lesson), &l, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(l.setup.nfiles, 3);
	assert_string_equal(l.setup.files[1].user, "BOB");
	assert_int_equal(l.setup.files[1].addr, 0x191);
	assert_int_equal(l.setup.files[2].addr, 0x190);
	if (lesson_run_start(&r, &l, NULL, err, sizeof err))
		fail_msg("%s", err);
	struct fixture f = { .run = r };
	/* Before IPL: the setup's files, through ALICE's devices... */
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").exists"), 1);
	assert_int_equal(eval(&f, "ALICE.file(\"profile exec\", \"191\").records"), 2);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").lrecl"), 13);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").fixed"), 0);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").bytes"), 2 + 10 + 2 + 13);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").blocks"), 1);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").contains(\"&TRACE\")"), 1);
	assert_int_equal(eval(&f, "ALICE.file(\"PROFILE EXEC\", \"A\").contains(\"&trace\")"), 0);
	assert_int_equal(eval(&f, "ALICE.file(\"NOSUCH EXEC\", \"A\").exists"), 0);
	assert_int_equal(eval(&f, "ALICE.file(\"SYSTEM README\", \"S\").exists"), 1);
	assert_int_equal(eval(&f, "ALICE.file(\"SYSTEM README\", \"A\").exists"), 0);
	assert_int_equal(eval(&f, "ALICE.disk(\"A\").files"), 1);
	assert_int_equal(eval(&f, "ALICE.disk(\"A\").blocks"), 1024);
	assert_int_equal(eval(&f, "ALICE.disk(\"S\").formatted"), 1);
	/* ... a disk ALICE does not have ... */
	assert_int_equal(eval(&f, "ALICE.disk(\"192\").formatted"), 0);
	assert_int_equal(eval(&f, "ALICE.file(\"A B\", \"192\").exists"), 0);
	/* ... and through the directory for users not logged on. */
	assert_int_equal(eval(&f, "BOB.file(\"DECK DATA\", \"A\").fixed"), 1);
	assert_int_equal(eval(&f, "BOB.file(\"DECK DATA\", \"A\").lrecl"), 80);
	assert_int_equal(eval(&f, "BOB.file(\"DECK DATA\", \"A\").records"), 2);
	assert_int_equal(eval(&f, "MAINT.file(\"SYSTEM README\", \"190\").exists"), 1);
	assert_int_equal(eval(&f, "CAROL.disk(\"A\").files"), 0);
	/* Errors say which file and whose disk. */
	int64_t v;
	struct lesson_expr *e = lesson_expr_parse("ALICE.file(\"NOSUCH EXEC\", \"A\").records",
						  err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, r.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "NOSUCH EXEC is not on ALICE's 191");
	lesson_expr_free(e);
	e = lesson_expr_parse("ALICE.disk(\"192\").files", err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, r.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "ALICE has no disk 192");
	lesson_expr_free(e);
	e = lesson_expr_parse("DAVE.disk(\"A\").files", err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, r.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "DAVE is not in the directory");
	lesson_expr_free(e);
	/* explain shows the normalised name and the value. */
	char buf[256];
	e = lesson_expr_parse("ALICE.file('profile exec', 'a').records == 3", err, sizeof err);
	lesson_expr_explain(e, r.sys, buf, sizeof buf);
	assert_string_equal(buf, "ALICE.file(\"PROFILE EXEC\", \"A\").records = 2");
	lesson_expr_free(e);
	/* What CMS writes is seen at once: the step's check is unmet until
	 * COPYFILE ran. */
	assert_int_equal(lesson_run_verify(&r, NULL), 2);
	lesson_run_line(&r, "IPL CMS");
	lesson_run_line(&r, "COPYFILE PROFILE EXEC A OLD EXEC A");
	assert_int_equal(lesson_run_verify(&r, NULL), 0);
	assert_int_equal(eval(&f, "ALICE.disk(\"A\").files"), 2);
	/* The devices' counts: CMS reads its disks through DIAGNOSE X'18'
	 * (no SIO on 191, but CP's CCWs and bytes are counted there), and
	 * types through channel programs on its console. */
	assert_int_equal(eval(&f, "ALICE.dev(\"191\").sio"), 0);
	assert_int_equal(eval(&f, "ALICE.dev(\"A\").ccws > 0 && ALICE.dev(\"191\").bytes_in > 0"), 1);
	assert_int_equal(eval(&f, "ALICE.dev(\"191\").bytes_out > 0"), 1);   /* COPYFILE wrote */
	assert_int_equal(eval(&f, "ALICE.dev(\"009\").sio > 0 && ALICE.dev(\"009\").errors == 0"), 1);
	e = lesson_expr_parse("ALICE.dev(\"192\").sio", err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, r.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "ALICE has no device 192");
	lesson_expr_free(e);
	e = lesson_expr_parse("BOB.dev(\"191\").sio", err, sizeof err);
	assert_int_equal(lesson_expr_eval(e, r.sys, &v, err, sizeof err), -1);
	assert_string_equal(err, "BOB is not logged on (in BOB.dev(\"191\").sio)");
	lesson_expr_free(e);
	lesson_run_end(&r);
	lesson_free(&l);

	/* A file that does not fit its disk: known only when it is written,
	 * and said at its line. */
	char big[8192];
	snprintf(big, sizeof big,
		 HEAD "setup:\n  user: DAVE\n  directory:\n    users:\n      - id: DAVE\n"
		 "        storage: 1M\n        mdisks:\n          - { addr: 191, file: D.disk, start: 0, blocks: 8 }\n"
		 "  files:\n    - disk: 191\n      name: BIG FILE\n      text: \"%0*d\"\n" STEP,
		 3000, 0);
	if (lesson_load_string("big.yaml", big, strlen(big), &l, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(lesson_run_start(&r, &l, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "big.yaml:15:7: setup.files: BIG FILE on DAVE's 191: "));
	lesson_free(&l);
}

/* ------------------------------------------------------------------ */
/* At the console: progress saved in the state folder                  */

/* Three steps; step 2's check holds only if step 1's line was typed in
 * this lesson's CP -- so a resume must replay it. */
static const char console_lesson[] =
	"id: unit\n"
	"title: Console unit lesson\n"
	"version: \"1\"\n"
	"level: beginner\n"
	"objectives: [resume]\n"
	"setup:\n"
	"  start: false\n"
	"  program: |\n"
	"    * nothing but a stop\n"
	"    DONE     LPSW  WAIT\n"
	"             ALIGN 8\n"
	"    WAIT     PSW   PSW_WAIT,0\n"
	"steps:\n"
	"  - id: set\n"
	"    title: Set R5\n"
	"    text: Store into R5.\n"
	"    do: [STORE R5 CAFE]\n"
	"    expect:\n"
	"      check: [ALICE.reg.r5 == 0xCAFE]\n"
	"  - id: show\n"
	"    title: Show R5\n"
	"    text: Display it.\n"
	"    do: [DISPLAY R5]\n"
	"    expect:\n"
	"      output: ['/R5 += 0000CAFE/']\n"
	"      check: [ALICE.reg.r5 == 0xCAFE]\n"
	"  - id: ask\n"
	"    title: Ask\n"
	"    text: A question.\n"
	"    do: [QUERY TIME]\n"
	"    expect:\n"
	"      output: [TIME IS]\n"
	"    questions:\n"
	"      - question: Which register?\n"
	"        answer: 5\n";

struct console {
	struct cp_system sys;
	struct con_session s;
	struct cp_outbuf out;
};

static void console_open(struct console *c, const char *state)
{
	memset(c, 0, sizeof *c);
	struct cp_directory dir;
	char err[512];
	assert_int_equal(cp_directory_default(state, &dir, err, sizeof err), 0);
	assert_int_equal(cp_init(&c->sys, &dir, state), 0);
	c->s.sys = &c->sys;
	c->s.term = cp_outbuf_out(&c->out);
	c->s.line_cycles = 100000;
}

static void console_close(struct console *c)
{
	con_lesson_end(&c->s);
	con_keep_free(&c->s);
	cp_shutdown(&c->sys);
	cp_outbuf_free(&c->out);
}

/* Type a line; what the terminal showed for it is c->out.text. */
static int con_type(struct console *c, const char *line)
{
	cp_outbuf_free(&c->out);
	memset(&c->out, 0, sizeof c->out);
	return con_session_input(&c->s, line, strlen(line));
}

static bool con_said(struct console *c, const char *text)
{
	return c->out.text && strstr(c->out.text, text);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The progress file, or "" if there is none. */
static const char *progress(const char *state, char *buf, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/lessons.progress", state);
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(buf, 1, len - 1, f);
		buf[n] = 0;
		fclose(f);
	}
	return buf;
}

static void test_console_progress(void **state)
{
	(void)state;
	char root[] = "/tmp/vmlab-test-lesson-XXXXXX", st[128], dir[128], path[256], buf[1024];
	assert_non_null(mkdtemp(root));
	snprintf(st, sizeof st, "%s/state", root);
	snprintf(dir, sizeof dir, "%s/lessons", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/unit.yaml", dir);
	write_file(path, console_lesson);
	snprintf(path, sizeof path, "%s/broken.yaml", dir);
	write_file(path, "id: broken\ntitle: [\n");
	setenv("VMLAB_LESSONS", dir, 1);

	struct console c;
	console_open(&c, st);
	assert_int_equal(con_type(&c, "LOGON ALICE"), 0);
	/* A broken lesson: its error, and the console goes on. */
	assert_int_not_equal(con_type(&c, "LESSON START broken"), 0);
	assert_true(con_said(&c, "HCPLES027E ") && con_said(&c, "broken.yaml:3:1: "));
	assert_null(c.s.lesson);
	assert_int_equal(con_type(&c, "LESSON STATUS"), 0);
	assert_true(con_said(&c, "NO LESSON IS RUNNING") && con_said(&c, "NO PROGRESS SAVED FOR ALICE"));
	/* Starting saves step 1; doing step 1 saves step 2. */
	assert_int_equal(con_type(&c, "LESSON START unit"), 0);
	assert_true(con_said(&c, "STEP 1/3: Set R5"));
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 1\n"));
	assert_int_equal(con_type(&c, "STORE R5 CAFE"), 0);
	assert_true(con_said(&c, "STEP 2/3: Show R5"));
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 2\n"));
	assert_int_equal(con_type(&c, "LESSON STATUS"), 0);
	assert_true(con_said(&c, "LESSON unit STEP 2/3: Show R5") && con_said(&c, "unit           AT STEP 2"));
	/* LESSON lists them, sorted, with where this user is; a broken one
	 * says why and the list goes on. */
	assert_int_equal(con_type(&c, "LESSON"), 0);
	assert_true(con_said(&c, "LESSONS: 2"));
	assert_true(con_said(&c, "  broken       (DOES NOT LOAD: "));
	assert_true(con_said(&c, "  unit         beginner     Console unit lesson  (AT STEP 2)"));
	assert_true(strstr(c.out.text, "broken") < strstr(c.out.text, "unit "));
	/* The console ends (the machines with it)... */
	console_close(&c);

	/* ... and a new one on the same state folder resumes at step 2, with
	 * step 1 replayed: R5 holds CAFE in the lesson's new CP. */
	console_open(&c, st);
	assert_int_equal(con_type(&c, "LOGON ALICE"), 0);
	assert_int_equal(con_type(&c, "LESSON START unit"), 0);
	assert_true(con_said(&c, "RESUMING AT STEP 2/3"));
	assert_true(con_said(&c, "STEP 2/3: Show R5"));
	assert_false(con_said(&c, "> STORE R5 CAFE"));  /* replayed quietly */
	assert_int_equal(con_type(&c, "DISPLAY R5"), 0);
	assert_true(con_said(&c, "0000CAFE"));
	assert_true(con_said(&c, "STEP 3/3: Ask"));
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 3\n"));
	/* SKIP types the step's lines, skips its questions: done. */
	assert_int_equal(con_type(&c, "LESSON SKIP"), 0);
	assert_true(con_said(&c, "SKIPPING STEP 3") && con_said(&c, "TIME IS"));
	assert_true(con_said(&c, "LESSON unit DONE"));
	assert_null(c.s.lesson);
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 1 done\n"));
	assert_int_equal(con_type(&c, "LESSON STATUS"), 0);
	assert_true(con_said(&c, "unit           DONE"));
	/* A finished lesson starts at step 1 again, remembered as done. */
	assert_int_equal(con_type(&c, "LESSON START unit"), 0);
	assert_false(con_said(&c, "RESUMING"));
	assert_int_equal(con_type(&c, "STORE R5 CAFE"), 0);
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 2 done\n"));
	/* RESET starts the running lesson over and forgets the progress... */
	assert_int_equal(con_type(&c, "LESSON RESET"), 0);
	assert_true(con_said(&c, "LESSON unit STARTS OVER") && con_said(&c, "STEP 1/3"));
	assert_non_null(strstr(progress(st, buf, sizeof buf), "\nALICE unit 1\n"));
	assert_int_equal(con_type(&c, "LESSON END"), 0);
	/* ... and RESET name forgets a lesson that is not running. */
	assert_int_equal(con_type(&c, "LESSON RESET unit"), 0);
	assert_true(con_said(&c, "PROGRESS FORGOTTEN"));
	assert_null(strstr(progress(st, buf, sizeof buf), "ALICE unit"));
	assert_int_not_equal(con_type(&c, "LESSON RESET unit"), 0);
	assert_true(con_said(&c, "HCPLES033E NO PROGRESS SAVED FOR ALICE IN LESSON unit"));
	assert_int_not_equal(con_type(&c, "LESSON RESET"), 0);
	assert_int_not_equal(con_type(&c, "LESSON SKIP"), 0);
	/* Another user's progress is theirs; a damaged file is read for what
	 * it holds; a step past the lesson's end resumes at its last step;
	 * the rewrite keeps BOB's line and drops the garbage. */
	snprintf(path, sizeof path, "%s/lessons.progress", st);
	write_file(path, "garbage\nBOB unit 2\nALICE unit -4\n\x01\x02\nALICE unit 99\n");
	assert_int_equal(con_type(&c, "LESSON START unit"), 0);
	assert_true(con_said(&c, "RESUMING AT STEP 3/3"));
	assert_true(con_said(&c, "STEP 3/3: Ask"));
	progress(st, buf, sizeof buf);
	assert_non_null(strstr(buf, "\nBOB unit 2\n"));
	assert_non_null(strstr(buf, "\nALICE unit 3\n"));
	assert_null(strstr(buf, "garbage"));
	console_close(&c);
	/* Written under a temporary name and renamed: none is left over. */
	snprintf(path, sizeof path, "ls -a %s | grep -c tmp", st);
	FILE *p = popen(path, "r");
	assert_non_null(p);
	assert_non_null(fgets(buf, sizeof buf, p));
	pclose(p);
	assert_string_equal(buf, "0\n");
	unsetenv("VMLAB_LESSONS");
	snprintf(path, sizeof path, "rm -rf %s", root);
	assert_int_equal(system(path), 0);
}

/* ------------------------------------------------------------------ */
/* Robustness: damaged lessons                                         */

/* A located message: "name:LINE:COL: text". */
static bool located(const char *err, const char *name)
{
	size_t n = strlen(name);
	int line = 0, col = 0, used = 0;
	if (strncmp(err, name, n) || err[n] != ':')
		return false;
	if (sscanf(err + n, ":%d:%d: %n", &line, &col, &used) != 2 || !used)
		return false;
	return line >= 1 && col >= 1 && err[n + (size_t)used] != 0;
}

/* Damage base in iters ways (every prefix first, then random edits):
 * each must load or be refused with a located message; the first
 * max_plays that load are played too. */
static void fuzz(const char *base, int iters, int max_plays, int *loaded, int *refused)
{
	size_t len = strlen(base);
	char *buf = malloc(len + 64);
	unsigned seed = 12345;
	/* Fragments that tend to hit the parser's corners. */
	static const char *const junk[] = {
		"\"", "'", ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "\t", "\n",
		"---\n", "|", ">", "#", "%YAML 1.1\n", "\\0", "\xff\xfe", "((((", "==", "0x",
		"ALICE.", "/(/", "? ", "\xc3", "~", "file(", "\", \"", ").", "191", "recfm: F\n",
	};
	for (int iter = 0; iter < iters; iter++) {
		size_t n;
		if (iter < (int)len) {
			/* Every prefix of the file. */
			n = (size_t)iter;
			memcpy(buf, base, n);
		} else {
			memcpy(buf, base, len);
			n = len;
			int edits = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
			for (int e = 0; e < edits; e++) {
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % n;
				seed = seed * 1103515245u + 12345u;
				switch ((seed >> 16) % 3) {
				case 0: /* flip a byte */
					buf[at] = (char)(seed >> 3);
					break;
				case 1: { /* insert a fragment */
					const char *j = junk[(seed >> 5) % (sizeof junk / sizeof junk[0])];
					size_t jl = strlen(j);
					if (n + jl > len + 60)
						break;
					memmove(buf + at + jl, buf + at, n - at);
					memcpy(buf + at, j, jl);
					n += jl;
					break;
				}
				default: /* delete a few bytes */ {
					size_t k = 1 + (seed >> 20) % 8;
					if (at + k > n)
						k = n - at;
					memmove(buf + at, buf + at + k, n - at - k);
					n -= k;
				}
				}
			}
		}
		struct lesson l;
		char err[512];
		if (lesson_load_string("fuzz.yaml", buf, n, &l, err, sizeof err) == 0) {
			/* What loads must also play without harm (pass or fail);
			 * a few dozen are enough and keep the test quick. */
			if ((*loaded)++ < max_plays && lesson_auto(&l, NULL, false, err, sizeof err))
				assert_true(err[0] != 0);
			lesson_free(&l);
		} else {
			(*refused)++;
			if (!located(err, "fuzz.yaml"))
				fail_msg("iteration %d: message without file:line:col: %s", iter, err);
		}
	}
	free(buf);
}

static void test_robustness(void **state)
{
	(void)state;
	int loaded = 0, refused = 0;
	fuzz(good_lesson, 3000, 40, &loaded, &refused);
	/* The loop tested both outcomes. */
	assert_true(loaded > 10);
	assert_true(refused > 1000);
	/* The same for setup.files and file() checks (fewer plays: each
	 * IPLs CMS). */
	loaded = refused = 0;
	fuzz(files_lesson, 2000, 8, &loaded, &refused);
	assert_true(loaded > 10);
	assert_true(refused > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expr_arithmetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expr_machine_state, setup, teardown),
		cmocka_unit_test(test_expr_errors),
		cmocka_unit_test(test_loader_errors),
		cmocka_unit_test(test_loader_alias_bomb),
		cmocka_unit_test(test_inline_directory),
		cmocka_unit_test_setup_teardown(test_loader_reads_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_step_by_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto, setup, teardown),
		cmocka_unit_test(test_cms_files),
		cmocka_unit_test(test_console_progress),
		cmocka_unit_test(test_robustness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
