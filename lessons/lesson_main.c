/*
 * lessons/lesson_main.c -- `vmlab lesson`: list, show, check and play
 * lessons from the command line.
 *
 *   vmlab lesson list [DIR]          id, level, title of every lesson
 *   vmlab lesson show ID|FILE        what a student reads (no answers)
 *   vmlab lesson check FILE...       load and check; exit 1 on any error
 *   vmlab lesson auto [-v] FILE...   play unattended: PASS/FAIL per lesson
 *   vmlab lesson auto [-v] --all     ... every lesson in the lessons folder
 *   vmlab lesson fields              the names check expressions may use
 *   vmlab lesson script ID|FILE      what a student types at the console to
 *                                    do the whole lesson (LESSON START, every
 *                                    step's lines, every answer)
 *
 * The lessons folder is $VMLAB_LESSONS, else ./lessons, else lessons/
 * beside the vmlab binary (or one level up: build/vmlab).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp/commands.h"
#include "lessons/lesson.h"

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the lessons are: $VMLAB_LESSONS, ./lessons, or beside the
 * executable (build/vmlab -> ./lessons).  The console uses it too. */
const char *lesson_dir(char *buf, size_t len)
{
	const char *env = getenv("VMLAB_LESSONS");
	if (env && *env)
		return env;
	if (is_dir("lessons"))
		return "lessons";
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		for (int up = 0; up < 2; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = 0;
			int k = snprintf(buf, len, "%.*s/lessons", (int)(len - 9), exe);
			if (k > 0 && (size_t)k < len && is_dir(buf))
				return buf;
		}
	}
	return "lessons";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir, sorted, as malloc'd paths; count in *n. */
static char **lesson_files(const char *dir, int *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **v = NULL;
	int cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(v, (size_t)cap * sizeof *v);
			if (!v)
				abort();
		}
		size_t pl = strlen(dir) + l + 2;
		v[*n] = malloc(pl);
		if (!v[*n])
			abort();
		snprintf(v[*n], pl, "%s/%s", dir, e->d_name);
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, (size_t)*n, sizeof *v, cmp_str);
	return v;
}

static void free_files(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int cmd_list(int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *dir = argc > 0 ? argv[0] : lesson_dir(buf, sizeof buf);
	int n, bad = 0;
	char **files = lesson_files(dir, &n);
	if (!n) {
		fprintf(stderr, "vmlab lesson: no lessons (*.yaml) in %s\n", dir);
		free_files(files, n);
		return 1;
	}
	printf("%-14s %-13s %-5s %s\n", "id", "level", "steps", "title");
	for (int i = 0; i < n; i++) {
		struct lesson l;
		char err[512];
		if (lesson_load(files[i], &l, err, sizeof err)) {
			printf("%-14s %s\n", "(broken)", err);
			bad = 1;
			continue;
		}
		printf("%-14s %-13s %-5d %s\n", l.id, l.level, l.nsteps, l.title);
		lesson_free(&l);
	}
	free_files(files, n);
	return bad;
}

/* Find a lesson by id in the lessons folder, or take arg as a path. */
static int load_by_name(const char *arg, struct lesson *l, char *err, size_t errlen)
{
	if (strchr(arg, '/') || strstr(arg, ".yaml"))
		return lesson_load(arg, l, err, errlen);
	char buf[PATH_MAX];
	const char *dir = lesson_dir(buf, sizeof buf);
	int n;
	char **files = lesson_files(dir, &n);
	int rc = -1;
	snprintf(err, errlen, "no lesson with id '%s' in %s (vmlab lesson list)", arg, dir);
	for (int i = 0; i < n && rc; i++) {
		char e2[512];
		if (lesson_load(files[i], l, e2, sizeof e2))
			continue;
		if (!strcmp(l->id, arg))
			rc = 0;
		else
			lesson_free(l);
	}
	free_files(files, n);
	return rc;
}

/* The one lesson `show` or `script` names: 0, or the exit status (2:
 * usage, 1: not loaded) once it has said why. */
static int load_arg(int argc, char **argv, const char *verb, struct lesson *l)
{
	if (argc != 1) {
		fprintf(stderr, "usage: vmlab lesson %s ID|FILE\n", verb);
		return 2;
	}
	char err[512];
	if (load_by_name(argv[0], l, err, sizeof err)) {
		fprintf(stderr, "vmlab lesson: %s\n", err);
		return 1;
	}
	return 0;
}

static void print_block(const char *indent, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		printf("%s%.*s\n", n ? indent : "", (int)n, text);
		text += n + (nl != NULL);
	}
}

static int cmd_show(int argc, char **argv)
{
	struct lesson l;
	int rc = load_arg(argc, argv, "show", &l);
	if (rc)
		return rc;
	printf("%s -- %s (version %s, %s)\n\n", l.id, l.title, l.version, l.level);
	printf("Objectives:\n");
	for (int i = 0; i < l.nobjectives; i++)
		printf("  - %s\n", l.objectives[i]);
	if (l.nprereqs) {
		printf("Before this lesson:");
		for (int i = 0; i < l.nprereqs; i++)
			printf(" %s", l.prereqs[i]);
		printf("\n");
	}
	if (l.setup.logon)
		printf("Setup: LOGON %s%s%s%s\n", l.setup.user, l.setup.ipl ? ", IPL " : "",
		       l.setup.ipl ? l.setup.ipl : "",
		       l.setup.program ? ", the lesson's own program loaded" : "");
	else
		printf("Setup: nobody logged on; you type LOGON\n");
	for (int i = 0; i < l.setup.nfiles; i++) {
		const struct lesson_file *f = &l.setup.files[i];
		printf("       %s %s on %s's %03X (RECFM %c, LRECL %u, %u records)\n", f->fn, f->ft,
		       f->user, f->addr, f->recfm, f->lrecl, f->records);
	}
	for (int i = 0; i < l.nsteps; i++) {
		const struct lesson_step *st = &l.steps[i];
		printf("\nStep %d: %s\n", i + 1, st->title);
		print_block("  ", st->text);
		for (int j = 0; j < st->ndo; j++)
			printf("    %s\n", st->do_lines[j]);
		if (st->nhints)
			printf("  (%d hint%s)\n", st->nhints, st->nhints > 1 ? "s" : "");
		for (int j = 0; j < st->nquestions; j++) {
			const struct lesson_question *q = &st->questions[j];
			printf("  Q%d. %s\n", j + 1, q->text);
			for (int k = 0; k < q->nchoices; k++)
				printf("      %c) %s\n", 'A' + k, q->choices[k]);
		}
	}
	if (l.finish) {
		printf("\n");
		print_block("", l.finish);
	}
	lesson_free(&l);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, "usage: vmlab lesson check FILE...\n");
		return 2;
	}
	int bad = 0;
	for (int i = 0; i < argc; i++) {
		struct lesson l;
		char err[512];
		if (lesson_load(argv[i], &l, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			bad = 1;
			continue;
		}
		int checks = 0, patterns = 0, questions = 0;
		for (int s = 0; s < l.nsteps; s++) {
			checks += l.steps[s].nchecks;
			patterns += l.steps[s].noutput + l.steps[s].nnot_output;
			questions += l.steps[s].nquestions;
		}
		printf("%s: ok: %s, %d steps, %d checks, %d output patterns, %d questions\n",
		       argv[i], l.id, l.nsteps, checks, patterns, questions);
		lesson_free(&l);
	}
	return bad;
}

static void stdout_line(void *ctx, const char *text)
{
	(void)ctx;
	printf("%s\n", text);
}

static int cmd_auto(int argc, char **argv)
{
	bool verbose = false, all = false;
	char **files = NULL;
	int nfiles = 0, nargs = 0;
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		abort();
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[i], "--all"))
			all = true;
		else
			args[nargs++] = argv[i];
	}
	if (all) {
		char buf[PATH_MAX];
		const char *dir = lesson_dir(buf, sizeof buf);
		files = lesson_files(dir, &nfiles);
		if (!nfiles) {
			fprintf(stderr, "vmlab lesson: no lessons (*.yaml) in %s\n", dir);
			free(args);
			return 1;
		}
	}
	if (!all && !nargs) {
		fprintf(stderr, "usage: vmlab lesson auto [-v] FILE...|--all\n");
		free(args);
		return 2;
	}
	struct cp_out log = { stdout_line, NULL };
	int failed = 0;
	int total = all ? nfiles : nargs;
	for (int i = 0; i < total; i++) {
		const char *path = all ? files[i] : args[i];
		struct lesson l;
		char err[1024];
		if (lesson_load(path, &l, err, sizeof err)) {
			printf("FAIL lesson %s: %s\n", path, err);
			failed++;
			continue;
		}
		printf("lesson %s (%s): %d steps\n", l.id, path, l.nsteps);
		fflush(stdout);
		if (lesson_auto(&l, &log, verbose, err, sizeof err)) {
			printf("FAIL lesson %s: %s\n", l.id, err);
			failed++;
		} else {
			printf("PASS lesson %s\n", l.id);
		}
		fflush(stdout);
		lesson_free(&l);
	}
	free_files(files, nfiles);
	free(args);
	return failed ? 1 : 0;
}

/*
 * The lines a student who knows every answer types at the console:
 * `vmlab lesson script first | vmlab cp` plays the lesson through the
 * console's own path (LESSON START, lines checked as they run, questions
 * asked and graded), where `auto` drives the engine directly.
 */
static int cmd_script(int argc, char **argv)
{
	struct lesson l;
	int rc = load_arg(argc, argv, "script", &l);
	if (rc)
		return rc;
	/* LESSON START takes the file's name, which may differ from the id. */
	const char *base = strrchr(l.file, '/');
	base = base ? base + 1 : l.file;
	printf("LESSON START %.*s\n", (int)strcspn(base, "."), base);
	for (int i = 0; i < l.nsteps; i++) {
		const struct lesson_step *st = &l.steps[i];
		for (int j = 0; j < st->ndo; j++)
			printf("%s\n", st->do_lines[j]);
		if (!st->ndo)
			printf("LESSON NEXT\n");  /* nothing to type: the student asks */
		for (int j = 0; j < st->nquestions; j++) {
			char ans[256];
			printf("%s\n", lesson_question_model_answer(&st->questions[j], ans, sizeof ans));
		}
	}
	lesson_free(&l);
	return 0;
}

static int cmd_fields(void)
{
	printf("System-wide names:\n");
	for (int i = 0; lesson_system_names[i].name; i++)
		printf("  %-22s %s\n", lesson_system_names[i].name, lesson_system_names[i].help);
	printf("Per user, as USERID.field (ALICE.psw.problem):\n");
	for (int i = 0; lesson_user_fields[i].name; i++) {
		const struct lesson_field *f = &lesson_user_fields[i];
		char name[40];
		if (f->nindex && f->name[strlen(f->name) - 1] == '.')
			snprintf(name, sizeof name, "%sKIND", f->name);
		else if (f->nindex)
			snprintf(name, sizeof name, "%sN", f->name);
		else
			snprintf(name, sizeof name, "%s", f->name);
		printf("  %-22s %s\n", name, f->help);
	}
	printf("CMS files, as USERID.file(\"FN FT\", \"MODE\").field -- MODE A (191), S (190) or an\n"
	       "address like \"192\"; read from the minidisk as it is now:\n");
	for (int i = 0; lesson_file_fields[i].name; i++)
		printf("  %-22s %s\n", lesson_file_fields[i].name, lesson_file_fields[i].help);
	printf("CMS disks, as USERID.disk(\"MODE\").field:\n");
	for (int i = 0; lesson_disk_fields[i].name; i++)
		printf("  %-22s %s\n", lesson_disk_fields[i].name, lesson_disk_fields[i].help);
	printf("Virtual devices, as USERID.dev(\"ADDR\").field (ADDR: 009, 191...; logged on only):\n");
	for (int i = 0; lesson_dev_fields[i].name; i++)
		printf("  %-22s %s\n", lesson_dev_fields[i].name, lesson_dev_fields[i].help);
	printf("Operators: ! - * / %% + - == != < <= > >= && || ( ); numbers: 42, 0x2A, 4K, 1M\n");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vmlab lesson list [DIR]\n"
		   "       vmlab lesson show ID|FILE\n"
		   "       vmlab lesson check FILE...\n"
		   "       vmlab lesson auto [-v] FILE...|--all\n"
		   "       vmlab lesson fields\n"
		   "       vmlab lesson script ID|FILE\n");
}

int vmlab_lesson_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(sub, "show"))
		return cmd_show(argc - 2, argv + 2);
	if (!strcmp(sub, "check"))
		return cmd_check(argc - 2, argv + 2);
	if (!strcmp(sub, "auto"))
		return cmd_auto(argc - 2, argv + 2);
	if (!strcmp(sub, "--all"))
		return cmd_auto(argc - 1, argv + 1);
	if (!strcmp(sub, "fields"))
		return cmd_fields();
	if (!strcmp(sub, "script"))
		return cmd_script(argc - 2, argv + 2);
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "vmlab lesson: unknown subcommand '%s'\n", sub);
	usage(stderr);
	return 2;
}
