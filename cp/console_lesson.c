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
 *     LESSON SKIP   type this step's lines for me and go on
 *     LESSON STATUS where I am, and what I finished before
 *     LESSON RESET  start this lesson over (LESSON RESET name: forget it)
 *     LESSON END    back to your own session (which ran on meanwhile)
 *
 * Progress is saved in the state folder, in lessons.progress: one line
 * per user and lesson, "ALICE first 3" (the step to do next, 1-based),
 * with "done" after it once the lesson was finished.  The file is
 * rewritten whole, under a temporary name renamed into place, so a
 * crash leaves the old progress or the new, never half a file.
 * LESSON START of a lesson with saved progress resumes it: the lesson's
 * CP is new, so the engine first types the `do` lines of the steps
 * already done, silently -- simulated time makes that the same machine
 * state every time -- and then shows the step the student was at.
 *
 * The lessons folder is $VMLAB_LESSONS, else ./lessons, else lessons/
 * beside the vmlab binary (as `vmlab lesson` looks).
 */
#include "cp/console.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lessons/lesson.h"
#include "sim/hostfile.h"

struct con_lesson {
	struct lesson l;
	struct lesson_run r;
	struct cp_out tee;       /* the lesson's output, to our terminal */
	struct con_session *s;
	bool skip_echo;          /* the engine echoes a line we echoed */
	int question;            /* the question being asked; -1: none */
};

/* ------------------------------------------------------------------ */
/* Progress in the state folder                                        */

#define PROGRESS_FILE "lessons.progress"
#define PROGRESS_MAX 512          /* lines kept: users x lessons */

struct progress {
	char user[9];
	char lesson[41];
	int step;                 /* the step to do next, 1-based */
	bool done;                /* finished at least once */
};

/* Whose progress this terminal keeps: the user it is connected to, or
 * "-" before anyone logged on. */
static const char *progress_user(const struct con_session *s)
{
	return s->userid[0] ? s->userid : "-";
}

static bool progress_path(const struct con_session *s, char *buf, size_t len)
{
	if (!s->sys || !s->sys->state_dir[0])
		return false;   /* no state folder: progress is not kept */
	int n = snprintf(buf, len, "%s/%s", s->sys->state_dir, PROGRESS_FILE);
	return n > 0 && (size_t)n < len;
}

/* Read every line of the progress file (a missing file is no progress;
 * a malformed line is dropped, as a hand-edited file may have them). */
static int progress_read(const struct con_session *s, struct progress *p, int max)
{
	char path[PATH_MAX];
	if (!progress_path(s, path, sizeof path))
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[256];
	int n = 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char flag[8] = "";
		struct progress *q = &p[n];
		memset(q, 0, sizeof *q);
		if (line[0] == '#' ||
		    sscanf(line, "%8s %40s %d %7s", q->user, q->lesson, &q->step, flag) < 3 ||
		    q->step < 1 || q->step > 10000)
			continue;
		q->done = !strcmp(flag, "done");
		n++;
	}
	fclose(f);
	return n;
}

/* Write the whole file at once (sim/hostfile.h): a session killed
 * meanwhile leaves the old progress whole, never half a file. */
static int progress_write(const struct con_session *s, const struct progress *p, int n)
{
	char path[PATH_MAX];
	if (!progress_path(s, path, sizeof path))
		return 0;
	struct sim_file t;
	int rc = sim_file_begin(&t, path, NULL, 0);
	if (rc)
		return rc;
	FILE *f = t.f;
	fprintf(f, "# vmlab lesson progress: user, lesson, the step to do next, "
		   "\"done\" once finished\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "%s %s %d%s\n", p[i].user, p[i].lesson, p[i].step,
			p[i].done ? " done" : "");
	return sim_file_commit(&t, SIM_FILE_REPLACE | SIM_FILE_SYNC_DIR, NULL, 0);
}

/* The saved progress of this terminal's user in lesson id (false: none). */
static bool progress_get(const struct con_session *s, const char *id, struct progress *out)
{
	static struct progress p[PROGRESS_MAX];
	int n = progress_read(s, p, PROGRESS_MAX);
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].user, progress_user(s)) && !strcmp(p[i].lesson, id)) {
			*out = p[i];
			return true;
		}
	return false;
}

/* Set (step > 0) or forget (step 0) this user's progress in lesson id. */
static void progress_set(struct con_session *s, const char *id, int step, bool done)
{
	static struct progress p[PROGRESS_MAX];
	int n = progress_read(s, p, PROGRESS_MAX), k = -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].user, progress_user(s)) && !strcmp(p[i].lesson, id))
			k = i;
	if (step <= 0) {
		if (k < 0)
			return;
		memmove(&p[k], &p[k + 1], (size_t)(n - k - 1) * sizeof *p);
		n--;
	} else {
		if (k < 0) {
			if (n == PROGRESS_MAX)
				memmove(&p[0], &p[1], (size_t)(n - 1) * sizeof *p); /* the oldest goes */
			k = n < PROGRESS_MAX ? n++ : n - 1;
			memset(&p[k], 0, sizeof p[k]);
			snprintf(p[k].user, sizeof p[k].user, "%s", progress_user(s));
			snprintf(p[k].lesson, sizeof p[k].lesson, "%s", id);
		}
		p[k].step = step;
		p[k].done |= done;
	}
	int rc = progress_write(s, p, n);
	if (rc)
		cp_printf(&s->term, "HCPLES032W PROGRESS NOT SAVED IN %s: %s", s->sys->state_dir,
			  strerror(-rc));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

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
	/* Sorted, as `vmlab lesson list` shows them: first.yaml first. */
	qsort(names, (size_t)n, sizeof names[0], cmp_name);
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
	cp_printf(o, "--- (LESSON HINT for a hint, LESSON CHECK for what is missing, LESSON SKIP to see it done)");
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
		progress_set(cl->s, cl->l.id, cl->r.step + 1, false);
		show_step(cl);
		return;
	}
	/* Finished: the next START begins at step 1 again. */
	progress_set(cl->s, cl->l.id, 1, true);
	cp_printf(&cl->s->term, "LESSON %s DONE.%s%s", cl->l.id ? cl->l.id : "",
		  cl->l.finish ? " " : "", cl->l.finish ? cl->l.finish : "");
	con_lesson_end(cl->s);
}

/* The engine types the current step's `do` lines itself; quiet: the
 * terminal does not show them (a resume), else it does (SKIP). */
static void play_step(struct con_lesson *cl, bool quiet)
{
	const struct lesson_step *st = lesson_run_current(&cl->r);
	const struct cp_out *tee = cl->r.tee;
	if (quiet)
		cl->r.tee = NULL;
	for (int i = 0; st && i < st->ndo; i++)
		lesson_run_line(&cl->r, st->do_lines[i]);
	cl->r.tee = tee;
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

static int start(struct con_session *s, const char *name, bool fresh)
{
	char dirbuf[PATH_MAX], path[PATH_MAX + 80], err[512];
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			cp_printf(&s->term, "HCPLES026E LESSON NAME %s INVALID: LESSON lists them", name);
			return 26;
		}
	snprintf(path, sizeof path, "%s/%s.yaml", lesson_dir(dirbuf, sizeof dirbuf), name);
	if (access(path, F_OK) != 0) {
		/* A mistyped name: say so, not a file name the student never typed. */
		cp_printf(&s->term, "HCPLES027E NO LESSON %s: LESSON LIST LISTS THEM", name);
		return 27;
	}
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
	/* Saved progress: replay the steps done, then go on from there.  A
	 * lesson edited since may have fewer steps: resume at its last. */
	struct progress pr;
	int at = fresh || !progress_get(s, cl->l.id, &pr) ? 1 : pr.step;
	if (at > cl->l.nsteps)
		at = cl->l.nsteps;
	if (at > 1) {
		cp_printf(&s->term, "RESUMING AT STEP %d/%d: REPLAYING THE STEPS BEFORE IT "
			  "(LESSON RESET STARTS OVER)", at, cl->l.nsteps);
		while (cl->r.step < at - 1) {
			play_step(cl, true);
			lesson_run_next(&cl->r);
		}
	}
	progress_set(s, cl->l.id, at, false);
	show_step(cl);
	return 0;
}

/* LESSON: each lesson's name, level and title, and where this user is
 * in it; a lesson that does not load says why, and the list goes on. */
static void list(struct con_session *s)
{
	static char names[64][64];
	int k = con_lesson_names(names, 64);
	char dirbuf[PATH_MAX], path[PATH_MAX + 80], err[512];
	const char *dir = lesson_dir(dirbuf, sizeof dirbuf);
	cp_printf(&s->term, "LESSONS: %d%s", k, k ? "; LESSON START name" : "");
	for (int i = 0; i < k; i++) {
		struct lesson l;
		snprintf(path, sizeof path, "%s/%s.yaml", dir, names[i]);
		if (lesson_load(path, &l, err, sizeof err)) {
			cp_printf(&s->term, "  %-12s (DOES NOT LOAD: %s)", names[i], err);
			continue;
		}
		struct progress pr;
		char where[40] = "";
		if (progress_get(s, l.id, &pr))
			snprintf(where, sizeof where, pr.done && pr.step == 1 ? "  (DONE)" :
				 "  (AT STEP %d)", pr.step);
		cp_printf(&s->term, "  %-12s %-12s %s%s", names[i], l.level, l.title, where);
		lesson_free(&l);
	}
}

/* advance() asks a step's questions when cl->question is -1; past the
 * last one it goes on to the next step.  SKIP goes past them all. */
static int st_questions_done(const struct con_lesson *cl)
{
	const struct lesson_step *st = lesson_run_current(&cl->r);
	return st ? st->nquestions : 0;
}

/* LESSON STATUS: the lesson running, and what this user has saved. */
static void status(struct con_session *s)
{
	const struct con_lesson *cl = s->lesson;
	if (cl) {
		const struct lesson_step *st = lesson_run_current(&cl->r);
		cp_printf(&s->term, "LESSON %s STEP %d/%d: %s%s", cl->l.id, cl->r.step + 1,
			  cl->l.nsteps, st && st->title ? st->title : "",
			  cl->question >= 0 ? " (ANSWERING ITS QUESTIONS)" : "");
	} else {
		cp_printf(&s->term, "NO LESSON IS RUNNING");
	}
	static struct progress p[PROGRESS_MAX];
	int n = progress_read(s, p, PROGRESS_MAX), k = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(p[i].user, progress_user(s)))
			continue;
		if (!k++)
			cp_printf(&s->term, "SAVED FOR %s:", progress_user(s));
		if (p[i].done && p[i].step == 1)
			cp_printf(&s->term, "  %-14s DONE", p[i].lesson);
		else
			cp_printf(&s->term, "  %-14s AT STEP %d%s", p[i].lesson, p[i].step,
				  p[i].done ? " (DONE BEFORE)" : "");
	}
	if (!k)
		cp_printf(&s->term, "NO PROGRESS SAVED FOR %s", progress_user(s));
}

/* LESSON RESET [name]: forget the progress in name (or in the lesson
 * running), and start the running lesson over if it is that one. */
static int reset(struct con_session *s, const char *name)
{
	struct con_lesson *cl = s->lesson;
	if (!name && !cl) {
		cp_printf(&s->term, "HCPLES030E NO LESSON IS RUNNING: LESSON RESET name");
		return 30;
	}
	char id[64];
	snprintf(id, sizeof id, "%s", name ? name : cl->l.id);
	bool running = cl && !strcmp(cl->l.id, id);
	struct progress pr;
	if (!running && !progress_get(s, id, &pr)) {
		cp_printf(&s->term, "HCPLES033E NO PROGRESS SAVED FOR %s IN LESSON %s",
			  progress_user(s), id);
		return 33;
	}
	progress_set(s, id, 0, false);
	if (!running) {
		cp_printf(&s->term, "LESSON %s: PROGRESS FORGOTTEN", id);
		return 0;
	}
	/* The file name the lesson came from, before the run is freed. */
	char file[PATH_MAX];
	snprintf(file, sizeof file, "%s", cl->l.file);
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	char fname[64];
	snprintf(fname, sizeof fname, "%.*s", (int)strcspn(base, "."), base);
	con_lesson_end(s);
	cp_printf(&s->term, "LESSON %s STARTS OVER", id);
	return start(s, fname, true);
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
	if (n == 1 || (n == 2 && !strcasecmp(w[1], "LIST"))) {
		list(s);
		return true;
	}
	if (!strcasecmp(w[1], "START") && n == 3) {
		if (cl) {
			cp_printf(&s->term, "HCPLES029E A LESSON IS RUNNING: LESSON END FIRST");
			*rc = 29;
		} else {
			*rc = start(s, w[2], false);
		}
		return true;
	}
	if (!strcasecmp(w[1], "STATUS") && n == 2) {
		status(s);
		return true;
	}
	if (!strcasecmp(w[1], "RESET") && (n == 2 || n == 3)) {
		*rc = reset(s, n == 3 ? w[2] : NULL);
		return true;
	}
	if (!cl && n == 2 && (!strcasecmp(w[1], "HINT") || !strcasecmp(w[1], "CHECK") ||
			      !strcasecmp(w[1], "NEXT") || !strcasecmp(w[1], "END") ||
			      !strcasecmp(w[1], "SKIP"))) {
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
	} else if (n == 2 && !strcasecmp(w[1], "SKIP")) {
		if (cl->question >= 0) {
			/* Skipping the questions: the step itself was done. */
			cp_printf(&s->term, "QUESTIONS SKIPPED");
		} else {
			cp_printf(&s->term, "SKIPPING STEP %d: TYPING ITS LINES FOR YOU", cl->r.step + 1);
			play_step(cl, false);
		}
		cl->question = st_questions_done(cl);
		advance(cl);
	} else if (n == 2 && !strcasecmp(w[1], "END")) {
		con_lesson_end(s);
	} else {
		cp_printf(&s->term, "HCPLES020E SYNTAX: LESSON [LIST | START name | HINT | CHECK | NEXT | SKIP | "
			  "STATUS | RESET [name] | END]");
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
			char form[100];
			const char *why = lesson_question_form(q, line, form, sizeof form);
			if (why)
				cp_printf(&s->term, "%s", why);
			else
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
