/*
 * lessons/lesson_expr.c -- the little language of lesson checks:
 * `ALICE.psw.problem == 0`, `ALICE.stats.exits.privileged >= 3`,
 * `users == 2 && BOB.running`.
 *
 * It is parsed once, when the lesson is loaded, into a tree; evaluating
 * the tree reads the machine state through one table of names
 * (lesson_user_fields below), so the checks, `vmlab lesson fields` and the
 * graded labs all agree on what a name means.  Parsing is recursive
 * descent, one function per precedence level; the depth is bounded so
 * that "((((((..." from a hostile file ends in an error, not a crash.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <fcntl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cms/mdisk.h"
#include "cp/yamlwalk.h"
#include "lessons/lesson.h"
#include "sim/vl32.h"

#define EXPR_MAX_DEPTH 64
#define EXPR_NAME_MAX 64          /* a plain name: USERID.field */
#define EXPR_LABEL_MAX 160        /* a call as written: ALICE.file("A B", "A").exists */
#define EXPR_STRING_MAX 80        /* a string argument */

/* ------------------------------------------------------------------ */
/* The names                                                           */

/* Field codes, in the order of lesson_user_fields[]. */
enum field {
	F_LOGGED_ON, F_RUNNING, F_STOPPED, F_WAITING, F_DISCONNECTED, F_IPLED,
	F_PSW_PROBLEM, F_PSW_WAIT, F_PSW_DAT, F_PSW_IO, F_PSW_EXT, F_PSW_CC, F_PSW_IA,
	F_PSW_WORD0, F_REG, F_CR, F_EXITS, F_EXITS_TOTAL, F_EMULATED, F_REFLECTED,
	F_INSTRUCTIONS, F_CYCLES, F_CP_CYCLES, F_SHADOW_FAULTS, F_SHADOW_REBUILDS,
	F_DISPATCHES, F_STORAGE, F_TRACE,
};

const struct lesson_field lesson_user_fields[] = {
	[F_LOGGED_ON] = { "logged_on", 0, "1 if the user is logged on (the only field that works when not)" },
	[F_RUNNING] = { "running", 0, "1 if the virtual machine is dispatchable" },
	[F_STOPPED] = { "stopped", 0, "1 if in CP READ (stopped, disabled wait, or never IPLed)" },
	[F_WAITING] = { "waiting", 0, "1 if in an enabled wait" },
	[F_DISCONNECTED] = { "disconnected", 0, "1 if running without a terminal" },
	[F_IPLED] = { "ipled", 0, "1 once an operating system was loaded" },
	[F_PSW_PROBLEM] = { "psw.problem", 0, "virtual PSW P bit: 1 problem state, 0 supervisor" },
	[F_PSW_WAIT] = { "psw.wait", 0, "virtual PSW W bit" },
	[F_PSW_DAT] = { "psw.dat", 0, "virtual PSW T bit: the guest's DAT is on" },
	[F_PSW_IO] = { "psw.io", 0, "virtual PSW I/O mask" },
	[F_PSW_EXT] = { "psw.ext", 0, "virtual PSW external mask" },
	[F_PSW_CC] = { "psw.cc", 0, "condition code 0..3" },
	[F_PSW_IA] = { "psw.ia", 0, "instruction address (PSW word 1)" },
	[F_PSW_WORD0] = { "psw.word0", 0, "virtual PSW word 0 as the guest sees it" },
	[F_REG] = { "reg.r", 16, "general register, reg.r0 .. reg.r15" },
	[F_CR] = { "cr.cr", 16, "virtual control register, cr.cr0 .. cr.cr15" },
	[F_EXITS] = { "stats.exits.", EXK_COUNT, "exits of one kind: stats.exits.privileged, .program, .svc, .io_insn, .hypercall, .external, .io_interrupt, .wait, .translation ..." },
	[F_EXITS_TOTAL] = { "stats.exits.total", 0, "all exits" },
	[F_EMULATED] = { "emulated", 0, "privileged instructions CP emulated" },
	[F_REFLECTED] = { "reflected", 0, "interruptions CP reflected into the guest" },
	[F_INSTRUCTIONS] = { "instructions", 0, "guest instructions executed" },
	[F_CYCLES] = { "cycles", 0, "the guest's own simulated cycles (virtual CPU time)" },
	[F_CP_CYCLES] = { "cp_cycles", 0, "simulated cycles CP spent on the guest" },
	[F_SHADOW_FAULTS] = { "shadow.faults", 0, "shadow-table misses CP filled in" },
	[F_SHADOW_REBUILDS] = { "shadow.rebuilds", 0, "shadow tables thrown away (PTLB, LCTL)" },
	[F_DISPATCHES] = { "dispatches", 0, "time slices the dispatcher gave the user" },
	[F_STORAGE] = { "storage", 0, "virtual storage size in bytes" },
	[F_TRACE] = { "trace", 0, "1 if any TRACE class is on" },
	{ NULL, 0, NULL },
};

enum sysname { S_USERS, S_NOW, S_DISPATCHES, S_SLICE };

const struct lesson_field lesson_system_names[] = {
	[S_USERS] = { "users", 0, "users logged on" },
	[S_NOW] = { "now", 0, "the system's simulated time, cycles" },
	[S_DISPATCHES] = { "dispatches", 0, "dispatches made so far" },
	[S_SLICE] = { "slice", 0, "the dispatcher's time slice, cycles" },
	{ NULL, 0, NULL },
};

/*
 * CMS state: USERID.file("FN FT", "MODE").field and USERID.disk("MODE").field
 * read the user's minidisk as it is on the host now, through cms/mdisk.c.
 * MODE is the letter CMS gives the disk at IPL -- A for 191, S for 190 --
 * or a device address of three hex digits ("192").
 */
enum ffield { FF_EXISTS, FF_RECORDS, FF_LRECL, FF_BYTES, FF_BLOCKS, FF_FIXED, FF_CONTAINS };

const struct lesson_field lesson_file_fields[] = {
	[FF_EXISTS] = { "exists", 0, "1 if the file is on that disk (0 also when the disk is missing or not a CMS disk)" },
	[FF_RECORDS] = { "records", 0, "number of records (lines)" },
	[FF_LRECL] = { "lrecl", 0, "logical record length: F every record's, V the longest allowed" },
	[FF_BYTES] = { "bytes", 0, "bytes of record data" },
	[FF_BLOCKS] = { "blocks", 0, "512-byte blocks the file takes" },
	[FF_FIXED] = { "fixed", 0, "the record format: 1 for F (fixed), 0 for V (variable)" },
	[FF_CONTAINS] = { "contains", 0, "contains(\"TEXT\"): 1 if some record holds TEXT (case matters)" },
	{ NULL, 0, NULL },
};

enum dfield { DF_FORMATTED, DF_FILES, DF_BLOCKS, DF_USED };

const struct lesson_field lesson_disk_fields[] = {
	[DF_FORMATTED] = { "formatted", 0, "1 if the disk is there and is a CMS disk (the only field that works when not)" },
	[DF_FILES] = { "files", 0, "files on the disk" },
	[DF_BLOCKS] = { "blocks", 0, "blocks on the disk" },
	[DF_USED] = { "used", 0, "blocks in use, the label, bitmap and directory included" },
	{ NULL, 0, NULL },
};

/* USERID.dev("ADDR").field: a virtual device's I/O counts, as INDICATE
 * USER shows them -- SIO are channel programs the guest started; the
 * CCWs and bytes include what CP moved for it (DIAGNOSE X'18'). */
enum vfield { VF_SIO, VF_CCWS, VF_BYTES_IN, VF_BYTES_OUT, VF_ERRORS };

const struct lesson_field lesson_dev_fields[] = {
	[VF_SIO] = { "sio", 0, "channel programs the guest started on it (SIO)" },
	[VF_CCWS] = { "ccws", 0, "CCWs executed, CP's for DIAGNOSE X'18' included" },
	[VF_BYTES_IN] = { "bytes_in", 0, "bytes from the device into storage" },
	[VF_BYTES_OUT] = { "bytes_out", 0, "bytes from storage to the device" },
	[VF_ERRORS] = { "errors", 0, "unit checks and channel errors" },
	{ NULL, 0, NULL },
};

/* An exit kind as a name: exit_kind_names with '-' as '_' ("io_insn"),
 * since '-' is minus in an expression. */
static void kind_name(int k, char *buf, size_t len)
{
	snprintf(buf, len, "%s", exit_kind_names[k]);
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* ------------------------------------------------------------------ */
/* The tree                                                            */

enum node_op {
	N_NUM, N_USER, N_SYS, N_FILE, N_DISK, N_DEV,
	N_START,     /* at_start(a): a's value when the step began */
	N_NOT, N_NEG,
	N_MUL, N_DIV, N_MOD, N_ADD, N_SUB,
	N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE,
	N_AND, N_OR,
};

struct lesson_expr {
	enum node_op op;
	int64_t num;                 /* N_NUM */
	char user[9];                /* N_USER */
	int field, index;            /* N_USER: enum field and its index;
					N_SYS: enum sysname; N_FILE: enum
					ffield; N_DISK: enum dfield */
	char fn[CMS_NAME_LEN + 1], ft[CMS_NAME_LEN + 1]; /* N_FILE */
	uint16_t addr;               /* N_FILE, N_DISK: the disk's address */
	char text[EXPR_STRING_MAX + 1]; /* N_FILE contains("text") */
	char name[EXPR_LABEL_MAX];   /* as written, for messages */
	/* N_START: the value of a when the step began (lesson_expr_snapshot),
	 * or why it had none then. */
	bool snapped;
	int64_t snap;
	char snap_err[120];
	struct lesson_expr *a, *b;
};

void lesson_expr_free(struct lesson_expr *e)
{
	if (!e)
		return;
	lesson_expr_free(e->a);
	lesson_expr_free(e->b);
	free(e);
}

/* ------------------------------------------------------------------ */
/* The parser                                                          */

struct parser {
	const char *text, *p;
	int depth;
	bool in_start;       /* inside at_start( ) */
	char *err;
	size_t errlen;
	bool failed;
};

static void perr(struct parser *ps, const char *at, const char *fmt, const char *arg)
{
	if (ps->failed)
		return;
	ps->failed = true;
	int n = snprintf(ps->err, ps->errlen, "col %d: ", (int)(at - ps->text) + 1);
	if (n >= 0 && (size_t)n < ps->errlen)
		snprintf(ps->err + n, ps->errlen - (size_t)n, fmt, arg);
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static struct lesson_expr *node(enum node_op op, struct lesson_expr *a, struct lesson_expr *b)
{
	struct lesson_expr *e = calloc(1, sizeof *e);
	if (!e)
		abort();
	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

/* The spelled-out user field ("psw.problem", "reg.r3", "stats.exits.svc")
 * nearest to f, into buf, or NULL if none is close. */
static const char *closest_field(const char *f, char *buf, size_t len)
{
	int best = 4;
	const char *found = NULL;
	char cand[64];
	for (int i = 0; lesson_user_fields[i].name; i++) {
		const struct lesson_field *lf = &lesson_user_fields[i];
		int n = lf->nindex ? lf->nindex : 1;
		for (int k = 0; k < n; k++) {
			if (i == F_EXITS) {
				char kn[32];
				kind_name(k, kn, sizeof kn);
				snprintf(cand, sizeof cand, "%s%s", lf->name, kn);
			} else if (lf->nindex) {
				snprintf(cand, sizeof cand, "%s%d", lf->name, k);
			} else {
				snprintf(cand, sizeof cand, "%s", lf->name);
			}
			int d = cp_edit_distance(f, cand);
			if (d < best) {
				best = d;
				snprintf(buf, len, "%s", cand);
				found = buf;
			}
		}
	}
	return found;
}

/* Resolve "field" (after "USER.") to a field code and index, or -1. */
static int resolve_field(const char *f, int *index)
{
	*index = 0;
	for (int i = 0; lesson_user_fields[i].name; i++) {
		const struct lesson_field *lf = &lesson_user_fields[i];
		size_t n = strlen(lf->name);
		if (!lf->nindex) {
			if (!strcmp(f, lf->name))
				return i;
			continue;
		}
		if (strncmp(f, lf->name, n))
			continue;
		const char *rest = f + n;
		if (i == F_EXITS) {
			char kn[32];
			for (int k = 0; k < EXK_COUNT; k++) {
				kind_name(k, kn, sizeof kn);
				if (!strcmp(rest, kn)) {
					*index = k;
					return i;
				}
			}
			continue; /* maybe stats.exits.total */
		}
		/* r0..r15: decimal, no leading zeros */
		if (!isdigit((unsigned char)rest[0]) || (rest[0] == '0' && rest[1]) ||
		    strlen(rest) > 2)
			continue;
		int k = atoi(rest);
		if (k >= lf->nindex)
			continue;
		*index = k;
		return i;
	}
	return -1;
}

static struct lesson_expr *parse_or(struct parser *ps);

/* A string argument: "text" or 'text', no escapes, one line; into buf. */
static bool parse_string(struct parser *ps, char *buf, size_t len, const char *what)
{
	skip_space(ps);
	const char *at = ps->p;
	char q = *at;
	if (q != '"' && q != '\'') {
		perr(ps, at, "expected %s in quotes", what);
		return false;
	}
	const char *end = strchr(at + 1, q);
	if (!end) {
		perr(ps, at, "%s", "a string without its closing quote");
		return false;
	}
	size_t n = (size_t)(end - at - 1);
	if (n >= len) {
		perr(ps, at, "%s", "a string longer than 80 characters");
		return false;
	}
	for (const char *c = at + 1; c < end; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
			perr(ps, c, "%s", "a string may hold printable ASCII only");
			return false;
		}
	memcpy(buf, at + 1, n);
	buf[n] = 0;
	ps->p = end + 1;
	return true;
}

static bool expect_char(struct parser *ps, char c, const char *what)
{
	skip_space(ps);
	if (*ps->p != c) {
		perr(ps, ps->p, "expected %s", what);
		return false;
	}
	ps->p++;
	return true;
}

/* A disk named as CMS names it after IPL (A: 191, S: 190) or by its
 * three-digit address; 0 if it is neither. */
static uint16_t disk_address(const char *mode)
{
	if (!strcasecmp(mode, "A"))
		return 0x191;
	if (!strcasecmp(mode, "S"))
		return 0x190;
	if (strlen(mode) != 3 || !isxdigit((unsigned char)mode[0]) ||
	    !isxdigit((unsigned char)mode[1]) || !isxdigit((unsigned char)mode[2]))
		return 0;
	return (uint16_t)strtoul(mode, NULL, 16);
}

/* A field name after the call's ')': letters and '_', into buf. */
static const char *call_field(struct parser *ps, char *buf, size_t len)
{
	skip_space(ps);
	const char *at = ps->p;
	if (*at != '.') {
		perr(ps, at, "%s", "expected '.' and a field after ')', e.g. .exists");
		return NULL;
	}
	ps->p++;
	const char *f = ps->p;
	while (isalpha((unsigned char)*ps->p) || *ps->p == '_')
		ps->p++;
	size_t n = (size_t)(ps->p - f);
	if (!n || n >= len) {
		perr(ps, f, "%s", "expected a field name after '.'");
		return NULL;
	}
	memcpy(buf, f, n);
	buf[n] = 0;
	return f;
}

static int field_index(const struct lesson_field *t, const char *name)
{
	for (int i = 0; t[i].name; i++)
		if (!strcmp(t[i].name, name))
			return i;
	return -1;
}

static void unknown_field(struct parser *ps, const char *at, const char *name,
			  const struct lesson_field *t, const char *what)
{
	const char *cands[16];
	int n = 0;
	for (int i = 0; t[i].name && n < 15; i++)
		cands[n++] = t[i].name;
	cands[n] = NULL;
	const char *near = cp_closest(name, cands);
	char msg[200];
	if (near)
		snprintf(msg, sizeof msg, "unknown %s field '%s'; did you mean '%s'?", what, name, near);
	else
		snprintf(msg, sizeof msg, "unknown %s field '%s' (vmlab lesson fields lists them)",
			 what, name);
	perr(ps, at, "%s", msg);
}

/*
 * USERID.file("FN FT", "MODE").field or USERID.disk("MODE").field, after
 * the name "USERID.file" (e->user set, ps->p at the '(').  The file id
 * and mode are checked here, at load time, as CMS would refuse them.
 */
static bool parse_call(struct parser *ps, const char *start, struct lesson_expr *e)
{
	const char *what = strchr(e->name, '.') + 1;
	bool file = !strcmp(what, "file"), dev = !strcmp(what, "dev");
	if (!file && !dev && strcmp(what, "disk")) {
		perr(ps, start + strlen(e->user) + 1, "%s",
		     "only file(\"FN FT\", \"MODE\"), disk(\"MODE\") and dev(\"ADDR\") take arguments");
		return false;
	}
	if (!expect_char(ps, '(', file ? "'(' after file: file(\"FN FT\", \"A\")" :
			 dev ? "'(' after dev: dev(\"191\")" : "'(' after disk: disk(\"A\")"))
		return false;
	char arg[EXPR_STRING_MAX + 1], mode[EXPR_STRING_MAX + 1], cerr[160];
	if (file) {
		skip_space(ps);
		const char *at = ps->p;
		if (!parse_string(ps, arg, sizeof arg, "the file's name and type (\"PROFILE EXEC\")"))
			return false;
		if (cms_name_parse(arg, e->fn, e->ft, cerr, sizeof cerr)) {
			perr(ps, at + 1, "%s", cerr);
			return false;
		}
		if (!expect_char(ps, ',', "',' and the disk's mode letter: file(\"FN FT\", \"A\")"))
			return false;
	}
	skip_space(ps);
	const char *mat = ps->p;
	if (!parse_string(ps, mode, sizeof mode, "the disk's mode letter (\"A\", \"S\") or address"))
		return false;
	for (char *c = mode; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (!(e->addr = disk_address(mode))) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s '%s': expected A (191), S (190) or a device address "
			 "like 192", dev ? "device" : "disk", mode);
		perr(ps, mat + 1, "%s", msg);
		return false;
	}
	if (!expect_char(ps, ')', "')'"))
		return false;
	char fname[32];
	const char *fat = call_field(ps, fname, sizeof fname);
	if (!fat)
		return false;
	e->op = file ? N_FILE : dev ? N_DEV : N_DISK;
	const struct lesson_field *table = file ? lesson_file_fields :
					   dev ? lesson_dev_fields : lesson_disk_fields;
	e->field = field_index(table, fname);
	if (e->field < 0) {
		unknown_field(ps, fat, fname, table, what);
		return false;
	}
	if (file && e->field == FF_CONTAINS) {
		if (!expect_char(ps, '(', "'(' after contains: contains(\"TEXT\")"))
			return false;
		skip_space(ps);
		const char *tat = ps->p;
		if (!parse_string(ps, e->text, sizeof e->text, "the text to look for"))
			return false;
		if (!e->text[0]) {
			perr(ps, tat, "%s", "contains(\"\") is always true: give some text");
			return false;
		}
		if (!expect_char(ps, ')', "')'"))
			return false;
	}
	/* The name messages show: normalised, so one check reads like another. */
	if (file && e->field == FF_CONTAINS)
		snprintf(e->name, sizeof e->name, "%s.file(\"%s %s\", \"%s\").contains(\"%s\")",
			 e->user, e->fn, e->ft, mode, e->text);
	else if (file)
		snprintf(e->name, sizeof e->name, "%s.file(\"%s %s\", \"%s\").%s", e->user, e->fn,
			 e->ft, mode, fname);
	else
		snprintf(e->name, sizeof e->name, "%s.%s(\"%s\").%s", e->user, what, mode, fname);
	return true;
}

static struct lesson_expr *parse_or(struct parser *ps);

/*
 * at_start(EXPR): EXPR's value when the step began, so that a check can
 * speak of what the step itself did -- `now - at_start(now)` is the
 * simulated time the step took, `ALICE.stats.exits.total -
 * at_start(ALICE.stats.exits.total)` its exits.  The engine takes the
 * snapshot (lesson_expr_snapshot) as the step starts.
 */
static struct lesson_expr *parse_at_start(struct parser *ps, const char *start)
{
	if (*ps->p != '(') {
		perr(ps, ps->p, "%s", "expected '(' after at_start: at_start(now)");
		return NULL;
	}
	if (ps->in_start) {
		perr(ps, start, "%s", "at_start inside at_start means nothing more");
		return NULL;
	}
	ps->p++;
	ps->in_start = true;
	ps->depth++;
	struct lesson_expr *a = ps->depth > EXPR_MAX_DEPTH ? NULL : parse_or(ps);
	if (ps->depth > EXPR_MAX_DEPTH)
		perr(ps, start, "%s", "expression nested too deeply");
	ps->depth--;
	ps->in_start = false;
	if (!a)
		return NULL;
	skip_space(ps);
	if (*ps->p != ')') {
		perr(ps, ps->p, "%s", "expected ')'");
		lesson_expr_free(a);
		return NULL;
	}
	ps->p++;
	struct lesson_expr *e = node(N_START, a, NULL);
	size_t n = (size_t)(ps->p - start);
	if (n >= sizeof e->name)
		n = sizeof e->name - 1;   /* a long one is shown cut short */
	memcpy(e->name, start, n);
	e->name[n] = 0;
	return e;
}

static struct lesson_expr *parse_name(struct parser *ps)
{
	const char *start = ps->p;
	while (isalnum((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '.' ||
	       *ps->p == '$' || *ps->p == '#' || *ps->p == '@')
		ps->p++;
	size_t n = (size_t)(ps->p - start);
	if (n >= EXPR_NAME_MAX) {
		perr(ps, start, "name longer than %s characters", "63");
		return NULL;
	}
	if (n == 8 && !strncmp(start, "at_start", 8)) {
		skip_space(ps);
		return parse_at_start(ps, start);
	}
	struct lesson_expr *e = node(N_SYS, NULL, NULL);
	memcpy(e->name, start, n);
	e->name[n] = 0;
	const char *dot = strchr(e->name, '.');
	if (!dot) {
		for (int i = 0; lesson_system_names[i].name; i++)
			if (!strcmp(e->name, lesson_system_names[i].name)) {
				e->field = i;
				return e;
			}
		char best[32] = "";
		for (int i = 0; lesson_system_names[i].name; i++)
			if (cp_edit_distance(e->name, lesson_system_names[i].name) <= 2)
				snprintf(best, sizeof best, "%s", lesson_system_names[i].name);
		if (best[0]) {
			char msg[256];
			snprintf(msg, sizeof msg, "unknown name '%s'; did you mean '%s'?", e->name, best);
			perr(ps, start, "%s", msg);
		} else {
			perr(ps, start, "unknown name '%s'; expected users, now, dispatches, slice "
			     "or USERID.field", e->name);
		}
		lesson_expr_free(e);
		return NULL;
	}
	/* USERID.field: a userid is 1-8 letters, digits, $ # @, in capitals
	 * as the directory has them (lower case would be a likely typo for a
	 * system name, so it is refused rather than silently upper-cased). */
	size_t ul = (size_t)(dot - e->name);
	bool ok = ul >= 1 && ul <= 8;
	for (size_t i = 0; i < ul && ok; i++)
		ok = isupper((unsigned char)e->name[i]) || isdigit((unsigned char)e->name[i]) ||
		     strchr("$#@", e->name[i]);
	if (!ok) {
		perr(ps, start, "'%s': a user is 1-8 capital letters or digits before the dot "
		     "(ALICE.psw.problem)", e->name);
		lesson_expr_free(e);
		return NULL;
	}
	e->op = N_USER;
	memcpy(e->user, e->name, ul);
	e->user[ul] = 0;
	if ((!strncmp(dot + 1, "file.", 5) || !strncmp(dot + 1, "disk.", 5) ||
	     !strncmp(dot + 1, "dev.", 4)) && *ps->p != '(') {
		int l = dot[1] == 'd' && dot[2] == 'e' ? 3 : 4;
		perr(ps, start + ul + 1 + l, "expected '(' after %s: file(\"FN FT\", \"A\"), disk(\"A\") "
		     "or dev(\"191\")", l == 3 ? "dev" : dot[1] == 'f' ? "file" : "disk");
		lesson_expr_free(e);
		return NULL;
	}
	if (*ps->p == '(' || !strcmp(dot + 1, "file") || !strcmp(dot + 1, "disk") ||
	    !strcmp(dot + 1, "dev")) {
		if (!parse_call(ps, start, e)) {
			lesson_expr_free(e);
			return NULL;
		}
		return e;
	}
	e->field = resolve_field(dot + 1, &e->index);
	if (e->field < 0) {
		char sug[64], msg[200];
		if (closest_field(dot + 1, sug, sizeof sug))
			snprintf(msg, sizeof msg, "unknown field '%s'; did you mean '%s'?", dot + 1, sug);
		else
			snprintf(msg, sizeof msg, "unknown field '%s' (vmlab lesson fields lists them)",
				 dot + 1);
		perr(ps, start + ul + 1, "%s", msg);
		lesson_expr_free(e);
		return NULL;
	}
	return e;
}

static struct lesson_expr *parse_primary(struct parser *ps)
{
	skip_space(ps);
	const char *at = ps->p;
	if (*at == '(') {
		if (++ps->depth > EXPR_MAX_DEPTH) {
			perr(ps, at, "%s", "expression nested too deeply");
			return NULL;
		}
		ps->p++;
		struct lesson_expr *e = parse_or(ps);
		ps->depth--;
		if (!e)
			return NULL;
		skip_space(ps);
		if (*ps->p != ')') {
			perr(ps, ps->p, "%s", "expected ')'");
			lesson_expr_free(e);
			return NULL;
		}
		ps->p++;
		return e;
	}
	if (isdigit((unsigned char)*at)) {
		char *end;
		errno = 0;
		uint64_t v = strtoull(at, &end, 0);  /* decimal or 0x hex (0 prefix: octal --
							 refused below) */
		if (at[0] == '0' && isdigit((unsigned char)at[1])) {
			perr(ps, at, "%s", "a number with a leading 0 (write 0x for hex)");
			return NULL;
		}
		if (*end == 'K' || *end == 'M') {
			v <<= *end == 'K' ? 10 : 20;
			end++;
		}
		if (v > INT64_MAX || isalnum((unsigned char)*end) || *end == '_') {
			perr(ps, at, "%s", "bad number");
			return NULL;
		}
		ps->p = end;
		struct lesson_expr *e = node(N_NUM, NULL, NULL);
		e->num = (int64_t)v;
		return e;
	}
	if (isalpha((unsigned char)*at) || *at == '$' || *at == '#' || *at == '@' || *at == '_')
		return parse_name(ps);
	if (!*at)
		perr(ps, at, "%s", "expression ends too soon: expected a number or a name");
	else
		perr(ps, at, "unexpected '%s': expected a number, a name or '('",
		     (char[]){ isprint((unsigned char)*at) ? *at : '?', 0 });
	return NULL;
}

static struct lesson_expr *parse_unary(struct parser *ps)
{
	skip_space(ps);
	if (*ps->p == '-' || *ps->p == '!') {
		enum node_op op = *ps->p == '-' ? N_NEG : N_NOT;
		const char *at = ps->p;
		if (++ps->depth > EXPR_MAX_DEPTH) {
			perr(ps, at, "%s", "expression nested too deeply");
			return NULL;
		}
		ps->p++;
		struct lesson_expr *a = parse_unary(ps);
		ps->depth--;
		return a ? node(op, a, NULL) : NULL;
	}
	return parse_primary(ps);
}

/* A binary level: operand parser and the operators it joins. */
struct binop {
	const char *tok;
	enum node_op op;
};

static struct lesson_expr *parse_level(struct parser *ps, const struct binop *ops,
				       struct lesson_expr *(*sub)(struct parser *),
				       bool chain)
{
	struct lesson_expr *a = sub(ps);
	while (a) {
		skip_space(ps);
		const struct binop *hit = NULL;
		for (const struct binop *o = ops; o->tok; o++)
			if (!strncmp(ps->p, o->tok, strlen(o->tok))) {
				hit = o;
				break;
			}
		if (!hit)
			return a;
		ps->p += strlen(hit->tok);
		struct lesson_expr *b = sub(ps);
		if (!b) {
			lesson_expr_free(a);
			return NULL;
		}
		a = node(hit->op, a, b);
		if (!chain) {  /* a < b < c means nothing useful: refuse it */
			skip_space(ps);
			for (const struct binop *o = ops; o->tok; o++)
				if (!strncmp(ps->p, o->tok, strlen(o->tok))) {
					perr(ps, ps->p, "%s", "comparisons do not chain; use &&");
					lesson_expr_free(a);
					return NULL;
				}
			return a;
		}
	}
	return NULL;
}

static struct lesson_expr *parse_product(struct parser *ps)
{
	static const struct binop ops[] = { { "*", N_MUL }, { "/", N_DIV }, { "%", N_MOD }, { 0 } };
	return parse_level(ps, ops, parse_unary, true);
}

static struct lesson_expr *parse_sum(struct parser *ps)
{
	static const struct binop ops[] = { { "+", N_ADD }, { "-", N_SUB }, { 0 } };
	return parse_level(ps, ops, parse_product, true);
}

static struct lesson_expr *parse_compare(struct parser *ps)
{
	/* Longer tokens first, so "<=" is not read as "<". */
	static const struct binop ops[] = { { "==", N_EQ }, { "!=", N_NE }, { "<=", N_LE },
					    { ">=", N_GE }, { "<", N_LT },  { ">", N_GT },
					    { 0 } };
	skip_space(ps);
	if (ps->p[0] == '=' && ps->p[1] != '=') {
		perr(ps, ps->p, "%s", "'=' is not a comparison; write '=='");
		return NULL;
	}
	struct lesson_expr *e = parse_level(ps, ops, parse_sum, false);
	skip_space(ps);
	if (e && ps->p[0] == '=' && ps->p[1] != '=') {
		perr(ps, ps->p, "%s", "'=' is not a comparison; write '=='");
		lesson_expr_free(e);
		return NULL;
	}
	return e;
}

static struct lesson_expr *parse_and(struct parser *ps)
{
	static const struct binop ops[] = { { "&&", N_AND }, { 0 } };
	return parse_level(ps, ops, parse_compare, true);
}

static struct lesson_expr *parse_or(struct parser *ps)
{
	static const struct binop ops[] = { { "||", N_OR }, { 0 } };
	return parse_level(ps, ops, parse_and, true);
}

struct lesson_expr *lesson_expr_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { .text = text, .p = text, .err = err, .errlen = errlen };
	if (errlen)
		err[0] = 0;
	struct lesson_expr *e = parse_or(&ps);
	if (e) {
		skip_space(&ps);
		if (*ps.p) {
			perr(&ps, ps.p, "unexpected '%s' after the expression",
			     (char[]){ isprint((unsigned char)*ps.p) ? *ps.p : '?', 0 });
			lesson_expr_free(e);
			return NULL;
		}
	}
	if (!e && !ps.failed)
		perr(&ps, ps.p, "%s", "not an expression");
	return e;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */

static int64_t bit(uint32_t w, uint32_t mask)
{
	return (w & mask) != 0;
}

static int user_value(const struct lesson_expr *e, struct cp_system *sys, int64_t *v,
		      char *err, size_t errlen)
{
	struct cp_vm *vm = cp_find(sys, e->user);
	if (e->field == F_LOGGED_ON) {
		*v = vm != NULL;
		return 0;
	}
	if (!vm) {
		snprintf(err, errlen, "%s is not logged on (in %s)", e->user, e->name);
		return -1;
	}
	struct trap_vm *g = vm->g;
	uint32_t w0 = trap_vpsw_word0(g);
	switch ((enum field)e->field) {
	case F_LOGGED_ON: *v = 1; break;
	case F_RUNNING: *v = vm->state == CPVM_RUNNING; break;
	case F_STOPPED: *v = vm->state == CPVM_STOPPED; break;
	case F_WAITING: *v = vm->state == CPVM_WAIT; break;
	case F_DISCONNECTED: *v = vm->disconnected; break;
	case F_IPLED: *v = vm->ipled; break;
	case F_PSW_PROBLEM: *v = bit(w0, PSW_PROBLEM); break;
	case F_PSW_WAIT: *v = bit(w0, PSW_WAIT); break;
	case F_PSW_DAT: *v = bit(w0, PSW_T); break;
	case F_PSW_IO: *v = bit(w0, PSW_IO); break;
	case F_PSW_EXT: *v = bit(w0, PSW_EXT); break;
	case F_PSW_CC: *v = (w0 & PSW_CC_MASK) >> PSW_CC_SHIFT; break;
	case F_PSW_IA: *v = g->cpu.psw_ia; break;
	case F_PSW_WORD0: *v = w0; break;
	case F_REG: *v = g->cpu.gpr[e->index]; break;
	case F_CR: *v = g->v.cr[e->index]; break;
	case F_EXITS: *v = (int64_t)g->stats.count[e->index]; break;
	case F_EXITS_TOTAL: *v = (int64_t)exit_stats_total(&g->stats); break;
	case F_EMULATED: *v = (int64_t)g->emulated; break;
	case F_REFLECTED: *v = (int64_t)g->reflected; break;
	case F_INSTRUCTIONS: *v = (int64_t)g->stats.instructions; break;
	case F_CYCLES: *v = (int64_t)g->stats.cycles; break;
	case F_CP_CYCLES: *v = (int64_t)g->cp_cycles; break;
	case F_SHADOW_FAULTS: *v = (int64_t)g->shadow.faults; break;
	case F_SHADOW_REBUILDS: *v = (int64_t)g->shadow.rebuilds; break;
	case F_DISPATCHES: *v = (int64_t)vm->dispatches; break;
	case F_STORAGE: *v = g->mem.size; break;
	case F_TRACE: *v = vm->trace != 0; break;
	}
	return 0;
}

/*
 * Read user's minidisk at addr as CMS would see it now: through the
 * device of the logged-on virtual machine (whatever LINK or DETACH did
 * to it), else through the directory (an own MDISK, or a LINK statement
 * to another user's).  0 with d parsed (cms_disk_close it), or -1 and
 * why.
 */
static int read_disk(struct cp_system *sys, const char *user, uint16_t addr, struct cms_disk *d,
		     char *err, size_t errlen)
{
	int fd = -1;
	bool close_fd = false;
	uint64_t offset = 0;
	uint32_t blocks = 0;
	struct cp_vm *vm = cp_find(sys, user);
	if (vm) {
		for (int i = 0; i < vm->g->io.ndev; i++) {
			const struct sim_dev *dev = &vm->g->io.dev[i];
			if (dev->addr == addr && dev->type->cls == DEV_DISK) {
				fd = dev->disk.fd;
				offset = dev->disk.offset;
				blocks = dev->disk.blocks;
			}
		}
		if (fd < 0) {
			snprintf(err, errlen, "%s has no disk %03X", user, addr);
			return -1;
		}
	} else {
		const struct cp_user_def *u = cp_directory_find(&sys->dir, user);
		if (!u) {
			snprintf(err, errlen, "%s is not in the directory", user);
			return -1;
		}
		const struct cp_mdisk_def *m = cp_user_find_mdisk(u, addr);
		for (int i = 0; !m && i < u->nlinks; i++)
			if (u->links[i].as == addr)
				m = cp_user_find_mdisk(cp_directory_find(&sys->dir, u->links[i].user),
						       u->links[i].addr);
		if (!m) {
			snprintf(err, errlen, "%s has no disk %03X in the directory", user, addr);
			return -1;
		}
		fd = open(m->path, O_RDONLY);
		if (fd < 0) {
			snprintf(err, errlen, "%s's %03X: %s: %s", user, addr, m->path, strerror(errno));
			return -1;
		}
		close_fd = true;
		offset = m->start * 512u;
		blocks = m->blocks;
	}
	if (blocks > CMS_MAX_BLOCKS)
		blocks = CMS_MAX_BLOCKS;   /* cms_disk_parse says why it is refused */
	size_t len = (size_t)blocks * CMS_BLOCK;
	uint8_t *img = malloc(len ? len : 1);
	if (!img)
		abort();
	ssize_t got = pread(fd, img, len, (off_t)offset);
	if (close_fd)
		close(fd);
	char why[200];
	int rc = 0;
	if (got != (ssize_t)len) {
		snprintf(err, errlen, "%s's %03X cannot be read", user, addr);
		rc = -1;
	} else if (cms_disk_parse(d, img, len, why, sizeof why)) {
		snprintf(err, errlen, "%s's %03X is not a CMS disk: %s", user, addr, why);
		rc = -1;
	}
	free(img);
	return rc;
}

static int file_value(const struct lesson_expr *e, struct cp_system *sys, int64_t *v, char *err,
		      size_t errlen)
{
	struct cms_disk d;
	if (read_disk(sys, e->user, e->addr, &d, err, errlen)) {
		if (e->field == FF_EXISTS) {   /* no disk, no file */
			*v = 0;
			return 0;
		}
		return -1;
	}
	int slot = cms_disk_find(&d, e->fn, e->ft);
	int rc = 0;
	if (slot < 0 && e->field != FF_EXISTS) {
		snprintf(err, errlen, "%s %s is not on %s's %03X", e->fn, e->ft, e->user, e->addr);
		rc = -1;
	} else {
		const struct cms_file *f = slot >= 0 ? &d.files[slot] : NULL;
		char *text = NULL;
		size_t tlen = 0;
		char why[200];
		switch ((enum ffield)e->field) {
		case FF_EXISTS: *v = f != NULL; break;
		case FF_RECORDS: *v = f->records; break;
		case FF_LRECL: *v = f->lrecl; break;
		case FF_BYTES: *v = f->bytes; break;
		case FF_BLOCKS: *v = f->nblocks; break;
		case FF_FIXED: *v = f->recfm == 'F'; break;
		case FF_CONTAINS:
			if (cms_records_to_text(f, cms_disk_data(&d, slot), &text, &tlen, why,
						sizeof why)) {
				snprintf(err, errlen, "%s %s on %s's %03X: %s", e->fn, e->ft, e->user,
					 e->addr, why);
				rc = -1;
			} else {
				/* memmem: the text may hold NULs from a binary file */
				*v = memmem(text, tlen, e->text, strlen(e->text)) != NULL;
			}
			free(text);
			break;
		}
	}
	cms_disk_close(&d);
	return rc;
}

static int disk_value(const struct lesson_expr *e, struct cp_system *sys, int64_t *v, char *err,
		      size_t errlen)
{
	struct cms_disk d;
	if (read_disk(sys, e->user, e->addr, &d, err, errlen)) {
		if (e->field == DF_FORMATTED) {
			*v = 0;
			return 0;
		}
		return -1;
	}
	switch ((enum dfield)e->field) {
	case DF_FORMATTED: *v = 1; break;
	case DF_FILES: *v = d.nfiles; break;
	case DF_BLOCKS: *v = d.blocks; break;
	case DF_USED: *v = d.used; break;
	}
	cms_disk_close(&d);
	return 0;
}

static int dev_value(const struct lesson_expr *e, struct cp_system *sys, int64_t *v, char *err,
		     size_t errlen)
{
	struct cp_vm *vm = cp_find(sys, e->user);
	if (!vm) {
		snprintf(err, errlen, "%s is not logged on (in %s)", e->user, e->name);
		return -1;
	}
	for (int i = 0; i < vm->g->io.ndev; i++) {
		const struct sim_dev *dev = &vm->g->io.dev[i];
		if (dev->addr != e->addr)
			continue;
		const struct sim_dev_stats *st = &dev->stats;
		switch ((enum vfield)e->field) {
		case VF_SIO: *v = (int64_t)st->sio; break;
		case VF_CCWS: *v = (int64_t)st->ccws; break;
		case VF_BYTES_IN: *v = (int64_t)st->bytes_in; break;
		case VF_BYTES_OUT: *v = (int64_t)st->bytes_out; break;
		case VF_ERRORS: *v = (int64_t)st->errors; break;
		}
		return 0;
	}
	snprintf(err, errlen, "%s has no device %03X", e->user, e->addr);
	return -1;
}

static int eval(const struct lesson_expr *e, struct cp_system *sys, int64_t *v, char *err,
		size_t errlen)
{
	int64_t a = 0, b = 0;
	switch (e->op) {
	case N_NUM:
		*v = e->num;
		return 0;
	case N_SYS:
		switch ((enum sysname)e->field) {
		case S_USERS: *v = sys->nvms; break;
		case S_NOW: *v = (int64_t)sys->now; break;
		case S_DISPATCHES: *v = (int64_t)sys->dispatches; break;
		case S_SLICE: *v = (int64_t)sys->slice; break;
		}
		return 0;
	case N_USER:
		return user_value(e, sys, v, err, errlen);
	case N_FILE:
		return file_value(e, sys, v, err, errlen);
	case N_DISK:
		return disk_value(e, sys, v, err, errlen);
	case N_DEV:
		return dev_value(e, sys, v, err, errlen);
	case N_START:
		if (e->snap_err[0]) {
			snprintf(err, errlen, "%s: when the step began, %s", e->name, e->snap_err);
			return -1;
		}
		if (!e->snapped) {
			snprintf(err, errlen, "%s: the step has not begun", e->name);
			return -1;
		}
		*v = e->snap;
		return 0;
	default:
		break;
	}
	if (eval(e->a, sys, &a, err, errlen))
		return -1;
	/* && and || short-circuit, so `BOB.logged_on && BOB.running` is
	 * safe when BOB is gone. */
	if (e->op == N_AND && !a) {
		*v = 0;
		return 0;
	}
	if (e->op == N_OR && a) {
		*v = 1;
		return 0;
	}
	if (e->b && eval(e->b, sys, &b, err, errlen))
		return -1;
	/* Unsigned arithmetic wraps instead of overflowing (no UB). */
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	switch (e->op) {
	case N_NOT: *v = !a; break;
	case N_NEG: *v = (int64_t)(0 - ua); break;
	case N_ADD: *v = (int64_t)(ua + ub); break;
	case N_SUB: *v = (int64_t)(ua - ub); break;
	case N_MUL: *v = (int64_t)(ua * ub); break;
	case N_DIV:
	case N_MOD:
		if (b == 0 || (a == INT64_MIN && b == -1)) {
			snprintf(err, errlen, "division by %s", b ? "-1 overflows" : "zero");
			return -1;
		}
		*v = e->op == N_DIV ? a / b : a % b;
		break;
	case N_EQ: *v = a == b; break;
	case N_NE: *v = a != b; break;
	case N_LT: *v = a < b; break;
	case N_LE: *v = a <= b; break;
	case N_GT: *v = a > b; break;
	case N_GE: *v = a >= b; break;
	case N_AND: *v = a && b; break;
	case N_OR: *v = a || b; break;
	default: *v = 0; break;
	}
	return 0;
}

int lesson_expr_eval(const struct lesson_expr *e, struct cp_system *sys, int64_t *value,
		     char *err, size_t errlen)
{
	if (errlen)
		err[0] = 0;
	return eval(e, sys, value, err, errlen);
}

/* Registers, control registers and PSW words read best in hex. */
static bool hexy(const struct lesson_expr *e)
{
	return e->op == N_USER && (e->field == F_REG || e->field == F_CR ||
				   e->field == F_PSW_WORD0 || e->field == F_PSW_IA);
}

static void explain(const struct lesson_expr *e, struct cp_system *sys, char *buf, size_t len,
		    size_t *pos)
{
	if (!e || *pos >= len)
		return;
	if (e->op == N_USER || e->op == N_SYS || e->op == N_FILE || e->op == N_DISK ||
	    e->op == N_DEV || e->op == N_START) {
		/* Each name once: "NAME = " at the start or after ", " (so
		 * that LICE.x is not taken for the tail of ALICE.x). */
		char key[EXPR_LABEL_MAX + 8];
		snprintf(key, sizeof key, ", %s = ", e->name);
		if (!strncmp(buf, key + 2, strlen(key + 2)) || strstr(buf, key))
			return;
		int64_t v;
		char err[96];
		int n;
		if (eval(e, sys, &v, err, sizeof err))
			n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? ", " : "", err);
		else if (v > 0xFFFF && hexy(e->op == N_START ? e->a : e))
			n = snprintf(buf + *pos, len - *pos, "%s%s = 0x%08" PRIX64, *pos ? ", " : "",
				     e->name, (uint64_t)v);
		else
			n = snprintf(buf + *pos, len - *pos, "%s%s = %" PRId64, *pos ? ", " : "",
				     e->name, v);
		if (n > 0)
			*pos += (size_t)n;
		if (*pos >= len)
			*pos = len - 1;
		return;
	}
	explain(e->a, sys, buf, len, pos);
	explain(e->b, sys, buf, len, pos);
}

void lesson_expr_explain(const struct lesson_expr *e, struct cp_system *sys, char *buf,
			 size_t len)
{
	if (!len)
		return;
	buf[0] = 0;
	size_t pos = 0;
	explain(e, sys, buf, len, &pos);
}

void lesson_expr_snapshot(struct lesson_expr *e, struct cp_system *sys)
{
	if (!e)
		return;
	if (e->op == N_START) {
		e->snap_err[0] = 0;
		e->snapped = eval(e->a, sys, &e->snap, e->snap_err, sizeof e->snap_err) == 0;
		if (e->snapped)
			e->snap_err[0] = 0;
		else if (!e->snap_err[0])
			snprintf(e->snap_err, sizeof e->snap_err, "no value");
		return;   /* at_start does not nest */
	}
	lesson_expr_snapshot(e->a, sys);
	lesson_expr_snapshot(e->b, sys);
}
