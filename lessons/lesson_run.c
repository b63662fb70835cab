/*
 * lessons/lesson_run.c -- the lesson engine: a CP of the lesson's own,
 * driven one terminal line at a time, and the checks of each step.
 *
 * The engine types nothing a student could not type.  A line goes where a
 * terminal would send it (cp_input: the guest's console when it reads,
 * else CP; cp_execute before LOGON), then the dispatcher runs every
 * machine for the step's `run` cycles of simulated time.  Because time is
 * simulated, a lesson's output is the same on every run and every
 * computer, so its checks can be exact.
 *
 * The checks of a step see two things: the lines the terminal showed
 * during the step (expect.output / not_output), and the machine state
 * after it (expect.check expressions, lesson_expr.c).
 */
#define _GNU_SOURCE /* nftw's FTW_DEPTH, open_memstream */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lessons/lesson.h"
#include "sim/asm.h"

/* Simulated cycles the machines run after each typed line, unless the
 * step says `run:`.  Enough for DEMO from IPL to its end many times
 * over; a compute-bound guest (LOOP) takes all of it, which is what the
 * dispatcher lesson wants to show. */
#define LESSON_RUN_DEFAULT 5000000ull
/* A step's terminal output is kept up to this size (TRACE INSTR can
 * print without end); beyond it lines are dropped and a check says so. */
#define LESSON_OUTPUT_LIMIT (4u << 20)

/* ------------------------------------------------------------------ */
/* Questions                                                           */

/* s without leading/trailing blanks, runs of blanks as one, lower case. */
static void normalise(const char *s, char *buf, size_t len)
{
	size_t n = 0;
	bool space = false;
	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s && n + 1 < len; s++) {
		if (*s == ' ' || *s == '\t') {
			space = true;
			continue;
		}
		if (space && n + 2 < len)
			buf[n++] = ' ';
		space = false;
		buf[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	}
	buf[n] = 0;
}

/* The choice a normalised answer names (its letter, 1-based number or
 * text), or -1 if it names none. */
static int choice_pick(const struct lesson_question *q, const char *a)
{
	char b[256];
	int pick = -1;
	if (a[0] && a[1] == 0 && a[0] >= 'a' && a[0] - 'a' < q->nchoices)
		pick = a[0] - 'a';
	else if (a[0] >= '1' && a[0] <= '9' && (a[1] == 0 || (a[2] == 0 && a[1] >= '0' &&
							      a[1] <= '9')))
		pick = atoi(a) - 1;
	if (pick >= q->nchoices)
		pick = -1;
	for (int i = 0; pick < 0 && i < q->nchoices; i++) {
		normalise(q->choices[i], b, sizeof b);
		if (!strcmp(a, b))
			pick = i;
	}
	return pick;
}

/* A normalised numeric answer as a number: false if it is none. */
static bool answer_number(const char *a, double *v)
{
	char *end;
	*v = (a[0] == '0' && a[1] == 'x') ? (double)strtoull(a, &end, 16) : strtod(a, &end);
	return end != a && !*end && *v == *v;
}

const char *lesson_question_form(const struct lesson_question *q, const char *answer,
				 char *buf, size_t len)
{
	char a[256];
	double v;
	normalise(answer, a, sizeof a);
	switch (q->kind) {
	case LESSON_Q_CHOICE:
		if (choice_pick(q, a) >= 0)
			return NULL;
		snprintf(buf, len, "ANSWER WITH A LETTER, A TO %c (OR THE CHOICE'S NUMBER OR TEXT)",
			 'A' + q->nchoices - 1);
		return buf;
	case LESSON_Q_NUMBER:
		if (answer_number(a, &v))
			return NULL;
		snprintf(buf, len, "ANSWER WITH A NUMBER (DECIMAL, OR HEX AS 0x...)");
		return buf;
	case LESSON_Q_TEXT:
		if (a[0])
			return NULL;
		snprintf(buf, len, "ANSWER WITH A WORD OR TWO");
		return buf;
	}
	return NULL;
}

bool lesson_question_grade(const struct lesson_question *q, const char *answer)
{
	char a[256], b[256];
	normalise(answer, a, sizeof a);
	if (!a[0])
		return false;
	switch (q->kind) {
	case LESSON_Q_CHOICE:
		return choice_pick(q, a) == q->answer;
	case LESSON_Q_NUMBER: {
		double v;
		if (!answer_number(a, &v))
			return false;
		/* Inclusive, with room for decimal fractions binary floating
		 * point cannot hold exactly (99.89 - 99.88 > 0.01). */
		return fabs(v - q->number) <= q->tolerance + 1e-9 * fmax(1.0, fabs(q->number));
	}
	case LESSON_Q_TEXT:
		for (int i = 0; i < q->naccept; i++) {
			normalise(q->accept[i], b, sizeof b);
			if (!strcmp(a, b))
				return true;
		}
		return false;
	}
	return false;
}

const char *lesson_question_model_answer(const struct lesson_question *q, char *buf, size_t len)
{
	switch (q->kind) {
	case LESSON_Q_CHOICE: snprintf(buf, len, "%c", 'A' + q->answer); break;
	case LESSON_Q_NUMBER: snprintf(buf, len, "%.15g", q->number); break;
	case LESSON_Q_TEXT: snprintf(buf, len, "%s", q->accept[0]); break;
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* The terminal                                                        */

/* Every line any user's terminal shows comes here: into the step's
 * output, and to the tee (a person watching, `auto -v`). */
static void term_line(void *ctx, const char *text)
{
	struct lesson_run *r = ctx;
	struct cp_out ob = cp_outbuf_out(&r->out);
	ob.line(ob.ctx, text);
	if (r->tee)
		r->tee->line(r->tee->ctx, text);
}

static void clear_output(struct lesson_run *r)
{
	cp_outbuf_free(&r->out);
	r->out.limit = LESSON_OUTPUT_LIMIT;
}

static struct cp_vm *connected(struct lesson_run *r)
{
	struct cp_vm *vm = r->user[0] ? cp_find(r->sys, r->user) : NULL;
	return vm && !vm->disconnected ? vm : NULL;
}

static uint64_t step_cycles(const struct lesson_run *r)
{
	if (r->step < r->l->nsteps && r->l->steps[r->step].run)
		return r->l->steps[r->step].run;
	return LESSON_RUN_DEFAULT;
}

int lesson_run_line(struct lesson_run *r, const char *line)
{
	if (r->tee)
		cp_printf(r->tee, "> %s", line);
	struct cp_vm *vm = connected(r);
	int rc;
	if (vm) {
		rc = cp_input(vm, line);
	} else {
		r->user[0] = 0;
		rc = cp_execute(r->sys, NULL, line, &r->term);
		/* A LOGON connects this terminal to the user it created: the
		 * one whose terminal is ours. */
		for (int i = 0; i < r->sys->nvms; i++) {
			struct cp_vm *v = r->sys->vms[i];
			if (!v->disconnected && v->term.ctx == r) {
				snprintf(r->user, sizeof r->user, "%s", v->userid);
				break;
			}
		}
	}
	cp_dispatch(r->sys, r->sys->now + step_cycles(r));
	if (!connected(r))
		r->user[0] = 0;  /* logged off, forced off, disconnected */
	return rc;
}

/* The step begins: its at_start(...) values are taken now. */
static void snapshot_step(struct lesson_run *r)
{
	if (r->step >= r->l->nsteps)
		return;
	const struct lesson_step *st = &r->l->steps[r->step];
	for (int i = 0; i < st->nchecks; i++)
		lesson_expr_snapshot(st->checks[i].expr, r->sys);
	for (int i = 0; i < st->nquestions; i++)
		lesson_expr_snapshot(st->questions[i].value.expr, r->sys);
}

/* ------------------------------------------------------------------ */
/* Start and end                                                       */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void lesson_run_end(struct lesson_run *r)
{
	if (r->sys && r->own_sys) {
		cp_shutdown(r->sys);
		free(r->sys);
		/* The state folder was made by us (mkdtemp): remove it. */
		if (r->state[0])
			nftw(r->state, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	cp_outbuf_free(&r->out);
	memset(r, 0, sizeof *r);
}

/* Assemble the lesson's own program and start it in vm, as IPL would. */
static int load_program(struct lesson_run *r, struct cp_vm *vm, char *err, size_t errlen)
{
	const struct lesson_setup *s = &r->l->setup;
	char *diag = NULL;
	size_t dlen = 0;
	FILE *ef = open_memstream(&diag, &dlen);
	if (!ef)
		abort();
	/* Diagnostics name "FILE(program)" and the line within the block; the
	 * block starts on the line after `program: |`. */
	char name[600];
	snprintf(name, sizeof name, "%s:%d(program)", r->l->file, s->program_pos.line + 1);
	struct asm_options opt = { .errors = ef, .max_errors = 5 };
	struct sim_image img;
	int nerr = asm_string(name, s->program, &opt, &img);
	fclose(ef);
	if (nerr) {
		snprintf(err, errlen, "%s:%d:%d: setup.program does not assemble: %s",
			 r->l->file, s->program_pos.line, s->program_pos.col,
			 diag && diag[0] ? diag : "(no message)");
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = 0;
		free(diag);
		return -1;
	}
	free(diag);
	char perr[128];
	if (sim_image_place(&img, &vm->g->mem, perr, sizeof perr)) {
		snprintf(err, errlen, "%s:%d:%d: setup.program does not fit %s's storage: %s",
			 r->l->file, s->program_pos.line, s->program_pos.col, vm->userid, perr);
		sim_image_free(&img);
		return -1;
	}
	trap_vm_start(vm->g, img.entry);
	sim_image_free(&img);
	vm->ipled = true;
	/* Stopped: CP READ, at the entry point; the student's BEGIN starts it. */
	vm->state = s->start ? CPVM_RUNNING : CPVM_STOPPED;
	return 0;
}

int lesson_run_start(struct lesson_run *r, const struct lesson *l, const struct cp_out *tee,
		     char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->l = l;
	r->tee = tee;
	r->term = (struct cp_out){ term_line, r };
	clear_output(r);
	const char *tmp = getenv("TMPDIR");
	snprintf(r->state, sizeof r->state, "%s/vmlab-lesson-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->state)) {
		snprintf(err, errlen, "%s: cannot make a state folder: %s", r->state, strerror(errno));
		r->state[0] = 0;
		return -1;
	}
	r->sys = calloc(1, sizeof *r->sys);
	if (!r->sys)
		abort();
	r->own_sys = true;
	struct cp_directory dir;
	char derr[600];
	int drc = l->setup.directory ?
		  cp_directory_parse(l->setup.directory, strlen(l->setup.directory),
				     l->setup.directory_name, r->state, &dir, derr, sizeof derr) :
		  cp_directory_default(r->state, &dir, derr, sizeof derr);
	if (drc || cp_directory_make_disks(&dir, derr, sizeof derr)) {
		if (!drc)
			cp_directory_free(&dir);
		snprintf(err, errlen, "the user directory: %s", derr);
		free(r->sys);
		r->sys = NULL;
		nftw(r->state, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return -1;
	}
	/* The setup's files, onto the new disks before anyone links them. */
	if (lesson_setup_write_files(l, &dir, err, errlen)) {
		cp_directory_free(&dir);
		free(r->sys);
		r->sys = NULL;
		nftw(r->state, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return -1;
	}
	if (cp_init(r->sys, &dir, r->state)) {
		snprintf(err, errlen, "CP does not start in %s", r->state);
		free(r->sys);
		r->sys = NULL;
		nftw(r->state, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return -1;
	}
	/* Messages for the operator's console (CP's own notices) are part of
	 * what the lesson's terminal shows, not stray lines on stdout. */
	r->sys->opcons = r->term;
	const struct lesson_setup *s = &l->setup;
	if (s->slice)
		r->sys->slice = s->slice;

	/* The setup, typed as a student would. */
	char line[CP_LINE_MAX];
	if (!s->logon) {
		/* The student logs on in a step: the terminal starts as VM/370's
		 * did, with nobody connected. */
		clear_output(r);
		snapshot_step(r);
		return 0;
	}
	snprintf(line, sizeof line, "LOGON %s", s->user);
	lesson_run_line(r, line);
	struct cp_vm *vm = connected(r);
	if (!vm) {
		/* CP's first line says why (not in the directory...). */
		const char *why = r->out.text ? r->out.text : "";
		snprintf(err, errlen, "%s: setup: LOGON %s failed: %.*s", l->file, s->user,
			 (int)strcspn(why, "\n"), why);
		lesson_run_end(r);
		return -1;
	}
	if (s->storage) {
		snprintf(line, sizeof line, "DEFINE STORAGE %" PRIu32 "K", s->storage >> 10);
		if (lesson_run_line(r, line)) {
			snprintf(err, errlen, "%s: setup: %s failed", l->file, line);
			lesson_run_end(r);
			return -1;
		}
	}
	if (s->ipl) {
		snprintf(line, sizeof line, "IPL %s", s->ipl);
		if (lesson_run_line(r, line)) {
			snprintf(err, errlen, "%s: setup: %s failed", l->file, line);
			lesson_run_end(r);
			return -1;
		}
	}
	if (s->program && load_program(r, vm, err, errlen)) {
		lesson_run_end(r);
		return -1;
	}
	/* Setup output is not the first step's. */
	clear_output(r);
	snapshot_step(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

static bool pattern_seen(const struct lesson_pattern *p, const char *text)
{
	if (!text)
		return false;
	if (p->is_regex)
		return regexec(&p->re, text, 0, NULL, 0) == 0;
	return strstr(text, p->text) != NULL;
}

static void drop_line(void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
}

int lesson_run_verify(struct lesson_run *r, const struct cp_out *why)
{
	static const struct cp_out nowhere = { drop_line, NULL };
	if (!why)
		why = &nowhere;
	if (r->step >= r->l->nsteps)
		return 0;
	const struct lesson_step *st = &r->l->steps[r->step];
	const char *f = r->l->file;
	int unmet = 0;
	if (r->out.truncated)
		cp_printf(why, "%s: step %s: the output passed %u bytes; later lines were not "
			  "kept", f, st->id, LESSON_OUTPUT_LIMIT);
	for (int i = 0; i < st->noutput; i++) {
		const struct lesson_pattern *p = &st->output[i];
		if (!pattern_seen(p, r->out.text)) {
			cp_printf(why, "%s:%d:%d: step %s: expected output %s%s%s not seen", f,
				  p->pos.line, p->pos.col, st->id, p->is_regex ? "" : "'", p->text,
				  p->is_regex ? "" : "'");
			unmet++;
		}
	}
	for (int i = 0; i < st->nnot_output; i++) {
		const struct lesson_pattern *p = &st->not_output[i];
		if (pattern_seen(p, r->out.text)) {
			cp_printf(why, "%s:%d:%d: step %s: output %s%s%s should not appear, but did",
				  f, p->pos.line, p->pos.col, st->id, p->is_regex ? "" : "'", p->text,
				  p->is_regex ? "" : "'");
			unmet++;
		}
	}
	for (int i = 0; i < st->nchecks; i++) {
		const struct lesson_check *c = &st->checks[i];
		int64_t v;
		char err[200], vals[400];
		if (lesson_expr_eval(c->expr, r->sys, &v, err, sizeof err)) {
			cp_printf(why, "%s:%d:%d: step %s: check '%s' cannot be evaluated: %s", f,
				  c->pos.line, c->pos.col, st->id, c->text, err);
			unmet++;
		} else if (!v) {
			lesson_expr_explain(c->expr, r->sys, vals, sizeof vals);
			cp_printf(why, "%s:%d:%d: step %s: check '%s' is false (%s)", f, c->pos.line,
				  c->pos.col, st->id, c->text, vals);
			unmet++;
		}
	}
	return unmet;
}

const struct lesson_step *lesson_run_current(const struct lesson_run *r)
{
	return r->step < r->l->nsteps ? &r->l->steps[r->step] : NULL;
}

const char *lesson_run_hint(struct lesson_run *r)
{
	const struct lesson_step *st = lesson_run_current(r);
	if (!st || !st->nhints)
		return NULL;
	int i = r->hints_shown < st->nhints ? r->hints_shown++ : st->nhints - 1;
	return st->hints[i];
}

bool lesson_run_next(struct lesson_run *r)
{
	if (r->step < r->l->nsteps)
		r->step++;
	r->hints_shown = 0;
	clear_output(r);
	snapshot_step(r);
	return r->step < r->l->nsteps;
}

/* ------------------------------------------------------------------ */
/* Unattended play                                                     */

/* Collect `why` lines: the first one becomes the error, all go to log. */
struct why_ctx {
	const struct cp_out *log;
	char *first;
	size_t len;
};

static void why_line(void *ctx, const char *text)
{
	struct why_ctx *w = ctx;
	if (!w->first[0])
		snprintf(w->first, w->len, "%s", text);
	if (w->log)
		cp_printf(w->log, "    %s", text);
}

int lesson_auto(const struct lesson *l, const struct cp_out *log, bool verbose, char *err,
		size_t errlen)
{
	struct lesson_run r;
	err[0] = 0;
	if (lesson_run_start(&r, l, verbose ? log : NULL, err, errlen))
		return -1;
	struct why_ctx wc = { log, err, errlen };
	struct cp_out why = { why_line, &wc };
	int failed = 0;
	do {
		const struct lesson_step *st = &l->steps[r.step];
		if (log)
			cp_printf(log, "  step %d/%d %s: %s", r.step + 1, l->nsteps, st->id, st->title);
		for (int i = 0; i < st->ndo; i++)
			lesson_run_line(&r, st->do_lines[i]);
		int unmet = lesson_run_verify(&r, &why);
		for (int i = 0; i < st->nquestions; i++) {
			const struct lesson_question *q = &st->questions[i];
			char ans[256];
			lesson_question_model_answer(q, ans, sizeof ans);
			if (!lesson_question_grade(q, ans)) {
				/* The grader and the lesson disagree: say so. */
				cp_printf(&why, "%s:%d:%d: step %s: question's own answer '%s' is "
					  "graded wrong", l->file, q->pos.line, q->pos.col, st->id, ans);
				unmet++;
			}
			int64_t v;
			char verr[200];
			if (q->value.expr) {
				if (lesson_expr_eval(q->value.expr, r.sys, &v, verr, sizeof verr)) {
					cp_printf(&why, "%s:%d:%d: step %s: question value '%s': %s",
						  l->file, q->value.pos.line, q->value.pos.col, st->id,
						  q->value.text, verr);
					unmet++;
				} else if (fabs((double)v - q->number) > q->tolerance) {
					cp_printf(&why, "%s:%d:%d: step %s: the question's answer is %s but "
						  "the machine says %s = %" PRId64, l->file,
						  q->value.pos.line, q->value.pos.col, st->id, ans,
						  q->value.text, v);
					unmet++;
				}
			}
		}
		if (!unmet && verbose && log && st->explain)
			cp_printf(log, "  explain: %s", st->explain);
		if (unmet) {
			failed = 1;
			if (log && !verbose && r.out.text) {
				/* What the terminal showed: the evidence. */
				cp_printf(log, "    the terminal during step %s:", st->id);
				const char *p = r.out.text;
				int nlines = 0;
				while (*p && nlines < 40) {
					const char *nl = strchr(p, '\n');
					size_t n = nl ? (size_t)(nl - p) : strlen(p);
					cp_printf(log, "    | %.*s", (int)n, p);
					nlines++;
					p += n + (nl != NULL);
				}
				if (*p)
					cp_printf(log, "    | ...");
			}
			break;
		}
	} while (lesson_run_next(&r));
	if (!failed && verbose && log && l->finish)
		cp_printf(log, "  finish: %s", l->finish);
	lesson_run_end(&r);
	return failed ? -1 : 0;
}
