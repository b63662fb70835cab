/*
 * cp/console_lesson.c -- a lesson at the console: LESSON START name.
 *
 * The lesson engine (lessons/lesson_run.c) gives a lesson a CP of its
 * own (a temporary state folder, the lesson's directory and setup), so
 * a lesson never touches the student's own disks or spool.  While one
 * runs, the terminal belongs to it:
 *
 *     line typed --> lesson_run_line()     (its guest or its CP, as on
 *                                           any terminal; output shown)
 *                --> lesson_run_verify()   step done?  then the step's
 *                                           questions, one answer a line,
 *                                           graded; then the next step
 *
 *     LESSON HINT   the next hint of this step, gentlest first
 *     LESSON CHECK  what this step still expects
 *     LESSON END    back to your own session (which ran on meanwhile)
 *
 * The lessons folder is $VMLAB_LESSONS, else ./lessons, else lessons/
 * beside the vmlab binary (as `vmlab lesson` looks).
 */
#include "cp/console.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lessons/lesson.h"

struct con_lesson {
	struct lesson l;
	struct lesson_run r;
	struct cp_out tee;       /* the lesson's output, to our terminal */
	struct con_session *s;
	bool skip_echo;          /* the engine echoes a line we echoed */
	int question;            /* the question being asked; -1: none */
};

int con_lesson_names(char names[][64], int max)
{
	char buf[PATH_MAX];
	DIR *d = opendir(lesson_dir(buf, sizeof buf));
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (l < 6 || l - 5 >= 64 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		snprintf(names[n++], 64, "%.*s", (int)(l - 5), e->d_name);
	}
	closedir(d);
	return n;
}

static void tee_line(void *ctx, const char *text)
{
	struct con_lesson *cl = ctx;
	if (cl->skip_echo && !strncmp(text, "> ", 2)) {
		cl->skip_echo = false; /* our session echoed it already */
		return;
	}
	cp_printf(&cl->s->term, "%s", text);
}

static void show_step(struct con_lesson *cl)
{
	const struct lesson_step *st = lesson_run_current(&cl->r);
	const struct cp_out *o = &cl->s->term;
	if (!st)
		return;
	cp_printf(o, "--- STEP %d/%d: %s", cl->r.step + 1, cl->l.nsteps, st->title ? st->title : "");
	if (st->text)
		cp_printf(o, "%s", st->text);
	cp_printf(o, "--- (LESSON HINT for a hint, LESSON CHECK for what is missing)");
}

static void ask(struct con_lesson *cl)
{
	const struct lesson_step *st = lesson_run_current(&cl->r);
	const struct lesson_question *q = &st->questions[cl->question];
	cp_printf(&cl->s->term, "QUESTION: %s", q->text);
	for (int i = 0; i < q->nchoices; i++)
		cp_printf(&cl->s->term, "  %c) %s", 'A' + i, q->choices[i]);
}

/* The step is done: its questions, or the next step, or the end. */
static void advance(struct con_lesson *cl)
{
	const struct lesson_step *st = lesson_run_current(&cl->r);
	if (st && cl->question < 0 && st->nquestions > 0) {
		cl->question = 0;
		ask(cl);
		return;
	}
	cl->question = -1;
	if (st && st->explain)
		cp_printf(&cl->s->term, "%s", st->explain);
	if (lesson_run_next(&cl->r)) {
		show_step(cl);
		return;
	}
	cp_printf(&cl->s->term, "LESSON %s DONE.%s%s", cl->l.id ? cl->l.id : "",
		  cl->l.finish ? " " : "", cl->l.finish ? cl->l.finish : "");
	con_lesson_end(cl->s);
}

void con_lesson_end(struct con_session *s)
{
	struct con_lesson *cl = s->lesson;
	if (!cl)
		return;
	lesson_run_end(&cl->r);
	lesson_free(&cl->l);
	free(cl);
	s->lesson = NULL;
	cp_printf(&s->term, "BACK TO YOUR SESSION%s%s", s->userid[0] ? ": " : "", s->userid);
}

static int start(struct con_session *s, const char *name)
{
	char dirbuf[PATH_MAX], path[PATH_MAX + 80], err[512];
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			cp_printf(&s->term, "HCPLES026E LESSON NAME %s INVALID: LESSON lists them", name);
			return 26;
		}
	snprintf(path, sizeof path, "%s/%s.yaml", lesson_dir(dirbuf, sizeof dirbuf), name);
	struct con_lesson *cl = calloc(1, sizeof *cl);
	if (!cl)
		return 1;
	if (lesson_load(path, &cl->l, err, sizeof err)) {
		cp_printf(&s->term, "HCPLES027E %s", err);
		free(cl);
		return 27;
	}
	cl->s = s;
	cl->question = -1;
	cl->tee = (struct cp_out){ tee_line, cl };
	s->lesson = cl;
	cp_printf(&s->term, "LESSON %s: %s (%d STEPS; LESSON END LEAVES IT)", cl->l.id ? cl->l.id : name,
		  cl->l.title ? cl->l.title : "", cl->l.nsteps);
	if (lesson_run_start(&cl->r, &cl->l, &cl->tee, err, sizeof err)) {
		cp_printf(&s->term, "HCPLES028E %s", err);
		lesson_free(&cl->l);
		free(cl);
		s->lesson = NULL;
		return 28;
	}
	show_step(cl);
	return 0;
}

bool con_lesson_command(struct con_session *s, const char *line, int *rc)
{
	char w[4][64] = { "", "", "", "" };
	int n = sscanf(line, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]);
	size_t l0 = strlen(w[0]);
	if (n < 1 || l0 < 3 || l0 > 6 || strncasecmp(w[0], "LESSON", l0))
		return false;
	struct con_lesson *cl = s->lesson;
	*rc = 0;
	if (n == 1) {
		char names[64][64];
		int k = con_lesson_names(names, 64);
		cp_printf(&s->term, "LESSONS: %d%s", k, k ? "; LESSON START name" : "");
		for (int i = 0; i < k; i++)
			cp_printf(&s->term, "  %s", names[i]);
		return true;
	}
	if (!strcasecmp(w[1], "START") && n == 3) {
		if (cl) {
			cp_printf(&s->term, "HCPLES029E A LESSON IS RUNNING: LESSON END FIRST");
			*rc = 29;
		} else {
			*rc = start(s, w[2]);
		}
		return true;
	}
	if (!cl && n == 2 && (!strcasecmp(w[1], "HINT") || !strcasecmp(w[1], "CHECK") ||
			      !strcasecmp(w[1], "NEXT") || !strcasecmp(w[1], "END"))) {
		cp_printf(&s->term, "HCPLES030E NO LESSON IS RUNNING: LESSON START name");
		*rc = 30;
		return true;
	}
	if (n == 2 && !strcasecmp(w[1], "HINT")) {
		const char *h = lesson_run_hint(&cl->r);
		cp_printf(&s->term, "HINT: %s", h ? h : "none for this step");
	} else if (n == 2 && !strcasecmp(w[1], "CHECK")) {
		if (lesson_run_verify(&cl->r, &s->term) == 0)
			cp_printf(&s->term, "THIS STEP IS DONE");
	} else if (n == 2 && !strcasecmp(w[1], "NEXT")) {
		if (cl->question >= 0) {
			cp_printf(&s->term, "ANSWER THE QUESTION FIRST");
		} else if (lesson_run_verify(&cl->r, &s->term) == 0) {
			advance(cl);
		} else {
			*rc = 31;
		}
	} else if (n == 2 && !strcasecmp(w[1], "END")) {
		con_lesson_end(s);
	} else {
		cp_printf(&s->term, "HCPLES020E SYNTAX: LESSON [START name | HINT | CHECK | NEXT | END]");
		*rc = 20;
	}
	return true;
}

int con_lesson_line(struct con_session *s, const char *line)
{
	struct con_lesson *cl = s->lesson;
	if (cl->question >= 0) {
		/* An answer to the step's question. */
		const struct lesson_step *st = lesson_run_current(&cl->r);
		const struct lesson_question *q = &st->questions[cl->question];
		if (!lesson_question_grade(q, line)) {
			cp_printf(&s->term, "NOT QUITE: TRY AGAIN (LESSON HINT helps)");
			return 1;
		}
		cp_printf(&s->term, "RIGHT.%s%s", q->explain ? " " : "", q->explain ? q->explain : "");
		if (++cl->question < st->nquestions)
			ask(cl);
		else
			advance(cl);
		return 0;
	}
	cl->skip_echo = true; /* echoed by the session, or on the screen */
	int rc = lesson_run_line(&cl->r, line);
	cl->skip_echo = false;
	if (lesson_run_verify(&cl->r, NULL) == 0)
		advance(cl);
	return rc;
}

const char *con_lesson_prompt(const struct con_session *s, char *buf, size_t len)
{
	const struct con_lesson *cl = s->lesson;
	if (!cl)
		return NULL;
	snprintf(buf, len, "LESSON %s STEP %d/%d%s", cl->l.id ? cl->l.id : "?", cl->r.step + 1,
		 cl->l.nsteps, cl->question >= 0 ? " QUESTION" : "");
	return buf;
}
