/*
 * lessons/lesson.h -- YAML lessons: the format in memory, the expression
 * language of their checks, and the engine that plays them.
 *
 * A lesson travels like this:
 *
 *     lessons/trap.yaml --lesson_load()--> struct lesson   (every error is
 *                                          file:line:col; every check
 *                                          expression is parsed here, so a
 *                                          typo fails at load, not in class)
 *
 *     struct lesson --lesson_run_start()--> a CP of its own (temp state
 *                                           folder, built-in directory),
 *                                           the setup user logged on, a
 *                                           named system or the lesson's
 *                                           own program loaded
 *
 *     for each step:  lesson_run_line() for each line the student types
 *                     (the same cp_input/cp_execute + cp_dispatch a
 *                     terminal uses), then lesson_run_verify(): output
 *                     patterns and state expressions; questions are graded
 *                     with lesson_question_grade(); lesson_run_next().
 *
 * `vmlab lesson auto` is that loop with the lesson's own `do` lines and
 * first accepted answers; the console (LESSON START/HINT/NEXT) will be the
 * same loop with a person typing.  The expression language (lesson_expr_*)
 * is its own small module because graded labs reuse it.
 */
#ifndef LESSON_H
#define LESSON_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp/cp.h"

/* ------------------------------------------------------------------ */
/* The expression language (lesson_expr.c)                             */

/*
 * Grammar (C precedence, integers only, 64-bit signed):
 *
 *     expr    := or
 *     or      := and ( '||' and )*
 *     and     := compare ( '&&' compare )*
 *     compare := sum ( ('=='|'!='|'<'|'<='|'>'|'>=') sum )?
 *     sum     := product ( ('+'|'-') product )*
 *     product := unary ( ('*'|'/'|'%') unary )*
 *     unary   := ('-'|'!') unary | primary
 *     primary := NUMBER | NAME | 'at_start' '(' expr ')' | '(' expr ')'
 *
 * NUMBER is decimal, 0x hex, or with a K/M suffix (1024, 1048576).
 * NAME is either a system-wide name (users, now, dispatches, slice) or
 * USERID.field, e.g. ALICE.psw.problem -- the tables of fields are
 * lesson_user_fields[] and the others below, and `vmlab lesson fields`
 * prints them -- or CMS state read from a minidisk:
 *
 *     USERID.file("FN FT", "MODE").field     exists, records, lrecl, ...
 *     USERID.file("FN FT", "MODE").contains("TEXT")
 *     USERID.disk("MODE").field              formatted, files, ...
 *     USERID.dev("ADDR").field               sio, ccws, bytes_in, ...
 *
 * MODE is A (the 191 disk), S (190) or a three-digit device address.
 * at_start(expr) is expr's value when the current step began.
 */
struct lesson_expr;

/* Parse text.  NULL on error, with "col N: what" in err (the column is
 * 1-based within text, so a loader can add it to the YAML position). */
struct lesson_expr *lesson_expr_parse(const char *text, char *err, size_t errlen);
void lesson_expr_free(struct lesson_expr *e);

/*
 * Evaluate against a running CP.  0 and *value, or -1 with err (a user
 * the expression names is not logged on, a division by zero).
 */
int lesson_expr_eval(const struct lesson_expr *e, struct cp_system *sys, int64_t *value,
		     char *err, size_t errlen);

/* Take the values of e's at_start(...) parts now (the engine calls it
 * as each step begins). */
void lesson_expr_snapshot(struct lesson_expr *e, struct cp_system *sys);

/* "ALICE.stats.exits.privileged = 16, users = 1": the value of every
 * name in e, for a message that says why a check failed. */
void lesson_expr_explain(const struct lesson_expr *e, struct cp_system *sys, char *buf,
			 size_t len);

/* One field a USERID.field name may use, as a table (SIMH's REG). */
struct lesson_field {
	const char *name;    /* "psw.problem", "reg.r" (indexed: r0..r15) */
	int nindex;          /* 0: plain; else index 0..nindex-1 follows */
	const char *help;
};
/* The table, terminated by a NULL name; and the system-wide names. */
extern const struct lesson_field lesson_user_fields[];
extern const struct lesson_field lesson_system_names[];
/* The fields of USERID.file("FN FT", "A").field and USERID.disk("A").field. */
extern const struct lesson_field lesson_file_fields[];
extern const struct lesson_field lesson_disk_fields[];
/* ... and of USERID.dev("ADDR").field: a device's I/O counts. */
extern const struct lesson_field lesson_dev_fields[];

/* ------------------------------------------------------------------ */
/* The lesson, as loaded (lesson_load.c)                               */

struct lesson_pos {
	int line, col;       /* 1-based, in the lesson file */
};

/* An output pattern: text to find as is, or /regex/ (POSIX extended). */
struct lesson_pattern {
	char *text;
	bool is_regex;
	regex_t re;
	struct lesson_pos pos;
};

struct lesson_check {
	char *text;
	struct lesson_expr *expr;
	struct lesson_pos pos;
};

enum lesson_qkind {
	LESSON_Q_CHOICE,     /* choices + answer (an index) */
	LESSON_Q_NUMBER,     /* answer (a number) +- tolerance */
	LESSON_Q_TEXT,       /* accept: answers, compared case-blind, spaces squeezed */
};

struct lesson_question {
	char *text;
	enum lesson_qkind kind;
	char **choices;
	int nchoices;
	int answer;          /* LESSON_Q_CHOICE: index into choices */
	double number, tolerance;
	char **accept;
	int naccept;
	char *explain;       /* shown after the answer */
	/* LESSON_Q_NUMBER: an expression the answer must agree with (auto
	 * checks it, so a lesson's answer cannot drift from the machine). */
	struct lesson_check value;
	struct lesson_pos pos;
};

struct lesson_step {
	char *id, *title, *text, *explain;
	char **do_lines;     /* what the student types, in order */
	int ndo;
	uint64_t run;        /* simulated cycles to run after each line */
	struct lesson_pattern *output, *not_output;
	int noutput, nnot_output;
	struct lesson_check *checks;
	int nchecks;
	char **hints;        /* tiered: gentle first, the answer last */
	int nhints;
	struct lesson_question *questions;
	int nquestions;
	struct lesson_pos pos;
};

/* A CMS file the setup writes onto a minidisk before the lesson starts. */
struct lesson_file {
	char user[9];        /* whose disk (default: setup.user) */
	uint16_t addr;       /* the disk's address in that user's machine */
	char fn[9], ft[9];
	char recfm;          /* 'F' or 'V' */
	uint32_t lrecl, records, bytes;
	uint8_t *data;       /* the record stream (cms/mdisk.h) */
	struct lesson_pos pos;
};

struct lesson_setup {
	char *user;          /* logged on at the start (default ALICE) */
	char *ipl;           /* a named system to IPL, or NULL */
	char *program;       /* VL32 source to load and start, or NULL */
	struct lesson_pos program_pos;
	uint32_t storage;    /* DEFINE STORAGE before loading (0: directory's) */
	uint64_t slice;      /* the dispatcher's time slice (0: directory's) */
	bool start;          /* program: start it (true) or leave it stopped */
	bool logon;          /* log `user` on (true); false: nobody is, and
				the first step teaches LOGON */
	struct lesson_pos logon_pos;
	/* The user directory: NULL for the built-in one; else YAML text in
	 * cp/directory.c's format -- a file the lesson names, or the lesson's
	 * own inline mapping padded so that line:col in its messages are the
	 * lesson file's.  directory_name is what messages call it. */
	char *directory;
	char *directory_name;
	/* Files written onto the lesson's fresh minidisks (cms/mdisk.c)
	 * before CP starts: checked at load, written by lesson_run_start. */
	struct lesson_file *files;
	int nfiles;
	struct lesson_pos files_pos;
};

struct lesson {
	char *file;
	char *id, *title, *version, *level, *finish;
	char **objectives, **prereqs;
	int nobjectives, nprereqs;
	struct lesson_setup setup;
	struct lesson_step *steps;
	int nsteps;
};

/* Load and check a lesson file: 0, or -1 with one "file:line:col: what"
 * line in err. */
int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen);
/* The same from text in memory; name is used in messages. */
int lesson_load_string(const char *name, const char *text, size_t len, struct lesson *l,
		       char *err, size_t errlen);
void lesson_free(struct lesson *l);
/* Write the setup's files onto the disks of dir (a fresh state folder's,
 * before CP starts): 0, or -1 with "file:line:col: why" (the disk is not
 * a CMS disk, the file does not fit). */
int lesson_setup_write_files(const struct lesson *l, const struct cp_directory *dir, char *err,
			     size_t errlen);

/* Grade one answer: true if right.  Text answers ignore case and runs of
 * spaces; numbers accept decimal or 0x hex; choices accept the letter
 * (A, B...), the 1-based number or the choice's text. */
bool lesson_question_grade(const struct lesson_question *q, const char *answer);
/* NULL if answer has the question's form (a choice's letter, number or
 * text; a number; some text), else what a well-formed answer looks like,
 * into buf: the console says that instead of a bare NOT QUITE. */
const char *lesson_question_form(const struct lesson_question *q, const char *answer,
				 char *buf, size_t len);
/* The answer auto mode gives (the correct one), into buf. */
const char *lesson_question_model_answer(const struct lesson_question *q, char *buf,
					 size_t len);

/* ------------------------------------------------------------------ */
/* The engine (lesson_run.c)                                           */

struct lesson_run {
	const struct lesson *l;
	struct cp_system *sys;
	bool own_sys;              /* sys and its state folder are ours */
	char state[128];
	int step;                  /* the current step (nsteps: finished) */
	char user[9];              /* the user this terminal is connected to */
	struct cp_outbuf out;      /* the terminal's output during this step */
	struct cp_out term;        /* what the users' terminals write to */
	const struct cp_out *tee;  /* also show every line here (or NULL) */
	int hints_shown;           /* of the current step (lesson_run_hint) */
};

/*
 * Start a lesson: a fresh CP on the built-in directory in a temporary
 * state folder, then the setup.  Setup output goes to tee.  0, or -1 with
 * err (the run is cleaned up).
 */
int lesson_run_start(struct lesson_run *r, const struct lesson *l, const struct cp_out *tee,
		     char *err, size_t errlen);
/* One line typed at the terminal during the current step: to the
 * connected user's guest or CP, as on a real terminal; then the machines
 * run for the step's `run` cycles.  Returns CP's code. */
int lesson_run_line(struct lesson_run *r, const char *line);
/*
 * Check the current step's expectations against its output and the
 * machine state.  Returns the number unmet; each is one line to why
 * (NULL: just count -- a console can call this after every command to
 * see whether the step is done).
 */
int lesson_run_verify(struct lesson_run *r, const struct cp_out *why);
/* The current step, or NULL when the lesson is finished. */
const struct lesson_step *lesson_run_current(const struct lesson_run *r);
/* The next hint of the current step, gentlest first; the last one is
 * repeated once all were shown; NULL if the step has none. */
const char *lesson_run_hint(struct lesson_run *r);
/* Go to the next step (its output starts empty).  False when done. */
bool lesson_run_next(struct lesson_run *r);
void lesson_run_end(struct lesson_run *r);

/*
 * Play a whole lesson unattended: every step's lines, every check, every
 * question answered with its model answer and graded.  Progress to log
 * (one line per step; the terminal too when verbose).  0 if all passed,
 * else -1 with the first failure in err.
 */
int lesson_auto(const struct lesson *l, const struct cp_out *log, bool verbose, char *err,
		size_t errlen);

/* `vmlab lesson ...` (lesson_main.c). */
int vmlab_lesson_main(int argc, char **argv);

/* The folder the shipped lessons are read from (buf may be used). */
const char *lesson_dir(char *buf, size_t len);

#endif
