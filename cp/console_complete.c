/*
 * cp/console_complete.c -- Tab completion, read off the command table.
 *
 * The first word completes to a CP command name.  Operands complete from
 * the SAME line of cp/cmdtab.def that HELP prints: its syntax column is
 * read as a small grammar, so a new command, or a new operand written
 * into a syntax, completes with no change here:
 *
 *     "SET MSG ON|OFF | SET SLICE cycles"
 *          ^^^ ^^^^^^   ^^^^^^^^^^^^^^^^   " | " separates alternatives;
 *          keywords (upper case) complete as they are; after SET MSG
 *          only the first alternative still fits, so ON and OFF.
 *
 *     lower-case words are placeholders, completed from the live system:
 *       userid  -> the users in the directory
 *       vaddr   -> device addresses of your virtual machine
 *       system  -> the named systems IPL knows
 *       command -> CP command names
 *       lesson  -> the lessons in the lessons folder
 *       Rn, CRn -> R0..R15, CR0..CR15
 *     [x] is optional, {a|b} a choice, x... may repeat.
 *
 * While the guest has the terminal (it reads, or runs), a line goes to
 * the guest, not to CP: "#CP" completes first, CMS file names after a
 * command word; after "#CP" CP completion applies again.  When the guest
 * is CMS, the first word also completes to CMS's own commands -- read
 * at build time off CMDTAB in CMS's source (cms/cmdnames.h), so a new
 * CMS command completes without a change here -- and to CP's (CMS hands
 * a line it does not know to CP: implied CP), and to the names of EXEC
 * files (implied EXEC).  After a CMS command come file names ("fn ft
 * fm"), or what cms_syntax[] and cms_program[] below say; after CMS's
 * CP command, or an implied CP command, CP's completion.  Nothing here
 * touches the terminal: the unit tests call con_complete() directly.
 */
#define _GNU_SOURCE /* strverscmp */
#include "cp/console.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cms/cmdnames.h"
#include "cms/mdisk.h"

struct con_cmd {
	const char *name;
	int min;
	const char *syntax;
};

static const struct con_cmd cmds[] = {
#define CP_COMMAND(name, min, cls, fn, group, syntax, help, example) { name, min, syntax },
#include "cp/cmdtab.def"
#undef CP_COMMAND
};
#define NCMDS (int)(sizeof cmds / sizeof cmds[0])

/* A growing list of unique candidates that start with the typed word. */
struct list {
	char **v;
	size_t n, cap;
	const char *word;
};

static void add(struct list *l, const char *cand)
{
	size_t wl = strlen(l->word);
	if (strncasecmp(cand, l->word, wl))
		return;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], cand))
			return;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(cand);
	if (copy)
		l->v[l->n++] = copy;
}

void con_free_list(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

static int by_name(const void *a, const void *b)
{
	/* R2 before R10: numbers inside names sort as numbers */
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The command a word names: the longest minimum wins (LOG is LOGOFF),
 * as in the interpreter. */
static const struct con_cmd *lookup(const char *word)
{
	const struct con_cmd *best = NULL;
	size_t n = strlen(word);
	for (int i = 0; i < NCMDS; i++)
		if (n >= (size_t)cmds[i].min && n <= strlen(cmds[i].name) &&
		    !strncasecmp(word, cmds[i].name, n) && (!best || cmds[i].min > best->min))
			best = &cmds[i];
	return best;
}

/*
 * CMS commands whose operands are not file names, in the same grammar
 * as cmdtab.def's syntax column.  Only the operands live here; which
 * commands exist, and their abbreviations, come from CMDTAB.  A CMS
 * command not listed takes file names.  then_cp: CMS hands the operands
 * it does not know to CP (QUERY TIME is CP's), so CP's complete too.
 */
static const struct cms_syntax {
	struct con_cmd cmd;
	bool then_cp;
} cms_syntax[] = {
	{ { "ACCESS", 0, "ACCESS vaddr mode" }, false },
	{ { "FORMAT", 0, "FORMAT vaddr mode [label]" }, false },
	{ { "RELEASE", 0, "RELEASE vaddr|mode" }, false },
	{ { "QUERY", 0, "QUERY DISK|SEARCH|DISKIO" }, true },
	{ { "SET", 0, "SET DISKIO SIO|DIAG" }, false },
};

/* CMS commands whose first operand names a file of one type, given by
 * name alone: EXEC fn runs fn EXEC, LOAD fn and RUN fn load fn MODULE. */
static const struct {
	const char *name, *ft;
} cms_program[] = {
	{ "EXEC", "EXEC" },
	{ "LOAD", "MODULE" },
	{ "RUN", "MODULE" },
};

/* Is this guest CMS (IPLed by name), so CMS's commands apply? */
static bool guest_is_cms(const struct cp_vm *vm)
{
	return vm && !strcasecmp(vm->ipl_name, "CMS");
}

/* ------------------------------------------------------------------ */
/* Reading the syntax column                                           */

#define MAX_TOK 16

/* One token of an alternative, e.g. "[TO userid|*|OFF]" gives two:
 * "TO" (optional) and "userid|*|OFF" (optional). */
struct tok {
	char text[256];    /* options separated by '|', brackets removed */
	bool optional;
	bool repeats;      /* ended in "..." */
};

/* Split one alternative into tokens, dropping the command name. */
static int tokenize(const char *alt, size_t len, const char *name, struct tok *t)
{
	int n = 0;
	int depth = 0; /* inside [ ]: optional */
	size_t i = 0;
	while (i < len && n < MAX_TOK) {
		while (i < len && alt[i] == ' ')
			i++;
		if (i >= len)
			break;
		size_t start = i;
		while (i < len && alt[i] != ' ')
			i++;
		struct tok *k = &t[n];
		memset(k, 0, sizeof *k);
		k->optional = depth > 0 || alt[start] == '[';
		size_t o = 0;
		bool cut = false; /* "Rn[-Rm]": the part from '[' on is a detail */
		for (size_t j = start; j < i; j++) {
			char c = alt[j];
			if (c == '[' && j == start) {
				depth++;
				continue;
			}
			if (c == '[') {
				depth++;
				cut = true;
				continue;
			}
			if (c == ']') {
				depth--;
				continue;
			}
			if (c == '{' || c == '}')
				continue;
			if (c == '.' && j + 2 < i && alt[j + 1] == '.' && alt[j + 2] == '.') {
				k->repeats = true;
				break;
			}
			if (!cut && o + 1 < sizeof k->text)
				k->text[o++] = c;
		}
		if (depth < 0)
			depth = 0;
		k->text[o] = 0;
		if (n == 0 && !strcasecmp(k->text, name))
			continue; /* the command name itself */
		if (k->text[0])
			n++;
	}
	return n;
}

/* A keyword is written in capitals (PSW, RDR, I) or as --option. */
static bool is_keyword(const char *opt)
{
	if (!strncmp(opt, "--", 2))
		return opt[2] != 0;
	if (!isupper((unsigned char)opt[0]))
		return false;
	for (const char *p = opt; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p))
			return false;
	return true;
}

/* Does a typed word fit this token?  A placeholder takes anything; a
 * set of keywords takes an abbreviation of one. */
static bool fits(const struct tok *k, const char *word)
{
	char buf[sizeof k->text];
	snprintf(buf, sizeof buf, "%s", k->text);
	char *save = NULL;
	for (char *o = strtok_r(buf, "|", &save); o; o = strtok_r(NULL, "|", &save)) {
		if (!is_keyword(o))
			return true;
		if (!strncasecmp(o, word, strlen(word)))
			return true;
	}
	return false;
}

static void add_users(struct list *l, struct cp_system *sys)
{
	for (int i = 0; i < sys->dir.nusers; i++)
		add(l, sys->dir.users[i].id);
}

static void add_devices(struct list *l, struct cp_vm *vm)
{
	if (!vm)
		return;
	for (int i = 0; i < vm->g->io.ndev; i++) {
		char a[8];
		snprintf(a, sizeof a, "%03X", vm->g->io.dev[i].addr);
		add(l, a);
	}
}

/* The candidates one token offers. */
static void offer(struct list *l, const struct tok *k, struct cp_system *sys, struct cp_vm *vm)
{
	char buf[sizeof k->text];
	snprintf(buf, sizeof buf, "%s", k->text);
	char *save = NULL;
	for (char *o = strtok_r(buf, "|", &save); o; o = strtok_r(NULL, "|", &save)) {
		char name[16];
		if (is_keyword(o)) {
			add(l, o);
		} else if (!strcmp(o, "userid")) {
			add_users(l, sys);
		} else if (!strcmp(o, "vaddr")) {
			add_devices(l, vm);
		} else if (!strcmp(o, "system")) {
			for (const struct cp_named_system *ns = cp_named_systems; ns->name; ns++)
				add(l, ns->name);
		} else if (!strcmp(o, "command")) {
			for (int i = 0; i < NCMDS; i++)
				add(l, cmds[i].name);
		} else if (!strcmp(o, "lesson")) {
			char names[64][64];
			int n = con_lesson_names(names, 64);
			for (int i = 0; i < n; i++)
				add(l, names[i]);
		} else if (!strcmp(o, "Rn")) {
			for (int r = 0; r < 16; r++)
				snprintf(name, sizeof name, "R%d", r), add(l, name);
		} else if (!strcmp(o, "CRn")) {
			for (int r = 0; r < 16; r++)
				snprintf(name, sizeof name, "CR%d", r), add(l, name);
		}
	}
}

/*
 * CMS file names on the machine's disks, for lines that go to the guest:
 * the file name as the first operand, then its type, then the mode
 * letter -- "TYPE PROF<Tab>" gives "TYPE PROFILE EXEC A".  Each disk is
 * read as it is now through the device's own image file and checked by
 * cms/mdisk.c; a disk that is not a CMS disk offers nothing.  The mode
 * letters are the ones CMS gives at IPL: 191 is A, 190 is S.
 */
static void add_cms_files_of(struct list *l, struct cp_vm *vm, char **words, int nw,
			     const char *only_ft)
{
	for (int i = 0; i < vm->g->io.ndev; i++) {
		const struct sim_dev *dev = &vm->g->io.dev[i];
		if (dev->type->cls != DEV_DISK || dev->disk.fd < 0)
			continue;
		const char *mode = dev->addr == 0x191 ? "A" : dev->addr == 0x190 ? "S" : NULL;
		size_t len = (size_t)dev->disk.blocks * CMS_BLOCK;
		if (len > (size_t)CMS_MAX_BLOCKS * CMS_BLOCK)
			len = (size_t)CMS_MAX_BLOCKS * CMS_BLOCK;
		uint8_t *img = malloc(len ? len : 1);
		struct cms_disk d;
		char err[256];
		if (!img || pread(dev->disk.fd, img, len, (off_t)dev->disk.offset) != (ssize_t)len ||
		    cms_disk_parse(&d, img, len, err, sizeof err)) {
			free(img);
			continue;
		}
		for (int k = 0; k < d.nslots; k++) {
			const struct cms_file *f = &d.files[k];
			if (!f->fn[0])
				continue;
			if (only_ft) {
				/* "EXEC fn", "RUN fn": names of one type only */
				if (!strcasecmp(f->ft, only_ft))
					add(l, f->fn);
				continue;
			}
			if (nw == 1)
				add(l, f->fn);
			else if (nw == 2 && !strcasecmp(words[1], f->fn))
				add(l, f->ft);
			else if (nw == 3 && mode && !strcasecmp(words[1], f->fn) &&
				 !strcasecmp(words[2], f->ft))
				add(l, mode);
		}
		cms_disk_close(&d);
		free(img);
	}
}

static void add_cms_files(struct list *l, struct cp_vm *vm, char **words, int nw)
{
	add_cms_files_of(l, vm, words, nw, NULL);
}

/* Operand `pos` (1 = first operand) of cmd, given the words typed. */
static void complete_operand(struct list *l, const struct con_cmd *cmd, char **words, int pos,
			     struct cp_system *sys, struct cp_vm *vm)
{
	const char *syn = cmd->syntax;
	while (*syn) {
		const char *bar = strstr(syn, " | ");
		size_t len = bar ? (size_t)(bar - syn) : strlen(syn);
		struct tok t[MAX_TOK];
		int n = tokenize(syn, len, cmd->name, t);
		syn += len + (bar ? 3 : 0);
		/* Do the words typed so far fit this alternative? */
		bool ok = true;
		for (int j = 1; j < pos && ok; j++) {
			int ti = j - 1;
			if (ti >= n)
				ti = n > 0 && t[n - 1].repeats ? n - 1 : -1;
			ok = ti >= 0 && fits(&t[ti], words[j]);
		}
		if (!ok)
			continue;
		int ti = pos - 1;
		if (ti >= n) {
			if (n > 0 && t[n - 1].repeats)
				offer(l, &t[n - 1], sys, vm);
			continue;
		}
		/* An optional token may be left out: offer the next too. */
		for (; ti < n; ti++) {
			offer(l, &t[ti], sys, vm);
			if (!t[ti].optional)
				break;
		}
	}
}

/* A line for CP: a command name, then its operands. */
static void complete_cp(struct list *l, struct cp_system *sys, struct cp_vm *vm, char **words,
			int nw)
{
	if (nw == 0) {
		for (int i = 0; i < NCMDS; i++)
			add(l, cmds[i].name);
		add(l, "DIAL");
		return;
	}
	const struct con_cmd *cmd = lookup(words[0]);
	if (cmd)
		complete_operand(l, cmd, words, nw, sys, vm);
	else if (!strncasecmp(words[0], "DIAL", 4) && nw == 1)
		add_users(l, sys);
}

/*
 * A line for CMS, as CMS will read it: its first word is a CMS command
 * (CMDTAB), else a CP command (implied CP) -- so both complete there,
 * with "#CP".  Then: CMS's CP command takes a CP command line; a CP
 * command its operands; a CMS command file names, or its cms_syntax[].
 */
static void complete_cms(struct list *l, struct cp_system *sys, struct cp_vm *vm, char **words,
			 int nw)
{
	if (nw == 0) {
		add(l, "#CP");
		for (const struct cms_command_name *c = cms_command_names; c->name; c++)
			add(l, c->name);
		complete_cp(l, sys, vm, words, 0);
		/* "fn" alone runs fn EXEC when fn is no CMS command (implied
		 * EXEC), if this CMS has EXEC at all. */
		if (cms_command_find("EXEC"))
			add_cms_files_of(l, vm, words, 1, "EXEC");
		return;
	}
	const struct cms_command_name *c = cms_command_find(words[0]);
	if (c && !strcmp(c->name, "CP")) {
		complete_cp(l, sys, vm, words + 1, nw - 1);
		return;
	}
	if (!c && lookup(words[0])) {
		complete_cp(l, sys, vm, words, nw);
		return;
	}
	if (c)
		for (size_t i = 0; i < sizeof cms_program / sizeof cms_program[0]; i++)
			if (!strcmp(cms_program[i].name, c->name)) {
				if (nw == 1)
					add_cms_files_of(l, vm, words, nw, cms_program[i].ft);
				return;
			}
	if (c)
		for (size_t i = 0; i < sizeof cms_syntax / sizeof cms_syntax[0]; i++)
			if (!strcmp(cms_syntax[i].cmd.name, c->name)) {
				complete_operand(l, &cms_syntax[i].cmd, words, nw, sys, vm);
				if (cms_syntax[i].then_cp && lookup(words[0]))
					complete_cp(l, sys, vm, words, nw);
				return;
			}
	if (nw <= 3)
		add_cms_files(l, vm, words, nw);
}

char **con_complete(struct cp_system *sys, struct cp_vm *vm, const char *before,
		    const char *word)
{
	struct list l = { .word = word ? word : "" };
	char buf[CON_INPUT_MAX];
	snprintf(buf, sizeof buf, "%s", before ? before : "");
	char *words[MAX_TOK + 1];
	int nw = 0;
	char *save = NULL;
	for (char *w = strtok_r(buf, " \t", &save); w && nw < MAX_TOK;
	     w = strtok_r(NULL, " \t", &save))
		words[nw++] = w;
	bool hash_cp = nw > 0 && !strcasecmp(words[0], "#CP");
	if (hash_cp) {
		memmove(words, words + 1, sizeof words[0] * (size_t)(nw - 1));
		nw--;
	}
	/* The guest has the terminal: its lines are its business. */
	bool guest = vm && vm->ipled && vm->state != CPVM_STOPPED && !hash_cp;
	if (guest && guest_is_cms(vm)) {
		complete_cms(&l, sys, vm, words, nw);
	} else if (guest) {
		if (nw == 0)
			add(&l, "#CP");
		else if (nw <= 3)
			add_cms_files(&l, vm, words, nw);
	} else {
		complete_cp(&l, sys, vm, words, nw);
	}
	if (!l.v && !(l.v = calloc(1, sizeof *l.v)))
		return NULL;
	qsort(l.v, l.n, sizeof *l.v, by_name);
	l.v[l.n] = NULL;
	return l.v;
}
