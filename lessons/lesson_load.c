/*
 * lessons/lesson_load.c -- read a lesson file (YAML, through libyaml's
 * document API) into a struct lesson, refusing anything doubtful.
 *
 * An instructor's typo should cost seconds, not a class: every error names
 * file:line:col, unknown keys get a "did you mean", check expressions are
 * parsed here (their column inside the YAML value is added to the node's
 * position), output regexes are compiled here, and the first error ends
 * the load.  The walk only follows the schema, so a file of any shape --
 * anchors, aliases, deep nesting, binary garbage -- ends as one message.
 * FORMAT.md is the reference for the format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "cms/mdisk.h"
#include "cp/yamlwalk.h"
#include "sim/hostfile.h"
#include "lessons/lesson.h"

#define LESSON_FILE_MAX (1 << 20)   /* lessons are prose, not data */
#define LESSON_LIST_MAX 200         /* items in any one list */
/* All the text a lesson may hold once read.  YAML aliases let a small
 * file name one big value many times (`hints: [*a, *a, *a...]`); this cap
 * keeps a hostile file from making the loader allocate gigabytes. */
#define LESSON_TEXT_MAX (4u << 20)

struct walk {
	struct cp_yaml y;        /* file name, document, the first error */
	size_t text_bytes;       /* copied so far: at most LESSON_TEXT_MAX */
	const char *buf;         /* the file's text (inline directories) */
	size_t len;
};

#define fail(w, nd, ...) cp_yaml_fail(&(w)->y, (nd), __VA_ARGS__)
#define scalar(w, n, what) cp_yaml_scalar(&(w)->y, (n), (what))

static struct lesson_pos pos_of(const yaml_node_t *n)
{
	return (struct lesson_pos){ CP_YAML_LINE(n), CP_YAML_COL(n) };
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static char *text(struct walk *w, yaml_node_t *n, const char *what)
{
	const char *s = scalar(w, n, what);
	if (s && !*s) {
		fail(w, n, "%s is empty", what);
		return NULL;
	}
	if (s && (w->text_bytes += strlen(s)) > LESSON_TEXT_MAX) {
		fail(w, n, "the lesson's text adds up to more than %u bytes here (aliases "
		     "repeating a long value?)", LESSON_TEXT_MAX);
		return NULL;
	}
	return s ? xstrdup(s) : NULL;
}

/* Items of a sequence node (which must be one), at most LESSON_LIST_MAX:
 * a malloc'd array in *out (NULL for none), and how many. */
static int seq_items(struct walk *w, yaml_node_t *n, const char *what, yaml_node_t ***out)
{
	*out = NULL;
	struct cp_yaml_seq s;
	int len = cp_yaml_seq_begin(&w->y, &s, n, what, "");
	if (len > LESSON_LIST_MAX) {
		fail(w, n, "%s has %d items; at most %d", what, len, LESSON_LIST_MAX);
		return 0;
	}
	if (!len)
		return 0;
	*out = calloc((size_t)len, sizeof **out);
	if (!*out)
		abort();
	int k = 0;
	for (yaml_node_t *it; (it = cp_yaml_seq_next(&w->y, &s)) != NULL; )
		(*out)[k++] = it;
	return k;
}

/*
 * A list of scalars (a single value counts as a list of one): a
 * malloc'd array of strings, count in *count.
 */
static char **text_list(struct walk *w, yaml_node_t *n, const char *what, int *count)
{
	*count = 0;
	if (n->type == YAML_SCALAR_NODE) {
		char *s = text(w, n, what);
		if (!s)
			return NULL;
		char **v = malloc(sizeof *v);
		if (!v)
			abort();
		v[0] = s;
		*count = 1;
		return v;
	}
	yaml_node_t **items;
	int len = seq_items(w, n, what, &items);
	if (w->y.failed)
		return NULL;
	char **v = calloc((size_t)len + 1, sizeof *v);
	if (!v)
		abort();
	for (int i = 0; i < len && !w->y.failed; i++) {
		char *s = text(w, items[i], what);
		if (s)
			v[(*count)++] = s;
	}
	free(items);
	return v;
}

/* Walk a mapping whose keys come from known[] (NULL-terminated, at most
 * 16): fn(w, key index, key node, value node, ctx) per pair.  Unknown or
 * repeated keys are errors (cp/yamlwalk.h); required keys (a bit per
 * index) must be present. */
typedef void pair_fn(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx);

static void walk_mapping(struct walk *w, yaml_node_t *map, const char *what,
			 const char *const *known, unsigned required, pair_fn *fn, void *ctx)
{
	struct cp_yaml_map m;
	int key;
	yaml_node_t *k, *v;
	cp_yaml_map_begin(&w->y, &m, map, what, known, required);
	while (cp_yaml_map_next(&w->y, &m, &key, &k, &v))
		fn(w, key, k, v, ctx);
}

/* An unsigned number with an optional K/M suffix, in [lo, hi]. */
static bool number(struct walk *w, yaml_node_t *n, const char *what, uint64_t lo, uint64_t hi,
		   uint64_t *out)
{
	const char *s = scalar(w, n, what);
	if (!s)
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (end != s && (*end == 'K' || *end == 'M')) {
		unsigned shift = *end == 'K' ? 10 : 20;
		if (v > (UINT64_MAX >> shift))
			errno = ERANGE;
		v <<= shift;
		end++;
	}
	if (end == s || *end || errno || s[0] == '-' || v < lo || v > hi) {
		fail(w, n, "%s '%s' is not a number from %llu to %llu", what, cp_yaml_show(&w->y, s),
		     (unsigned long long)lo, (unsigned long long)hi);
		return false;
	}
	*out = v;
	return true;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */

static const char *const setup_keys[] = { "user", "ipl", "program", "storage", "slice", "start",
					  "directory", "logon", "files", NULL };

static bool userid_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') && !(s[i] >= '0' && s[i] <= '9') &&
		    !strchr("$#@", s[i]))
			return false;
	return true;
}

static bool named_system_ok(const char *name)
{
	for (const struct cp_named_system *ns = cp_named_systems; ns->name; ns++)
		if (!strcasecmp(ns->name, name))
			return true;
	return false;
}

/* true/false (or yes/no) into *out; false on error. */
static bool boolean(struct walk *w, yaml_node_t *v, const char *what, bool *out)
{
	const char *t = scalar(w, v, what);
	if (!t)
		return false;
	if (!strcmp(t, "true") || !strcmp(t, "yes"))
		*out = true;
	else if (!strcmp(t, "false") || !strcmp(t, "no"))
		*out = false;
	else {
		fail(w, v, "%s is '%s'; expected true or false", what, cp_yaml_show(&w->y, t));
		return false;
	}
	return true;
}

/* Read a whole (small) file into a malloc'd string: 0, or -1 and why. */
static int slurp(const char *path, char **out, size_t *len, char *why, size_t whylen)
{
	int rc = sim_file_read(path, LESSON_FILE_MAX, out, len, NULL, 0);
	if (rc == -EFBIG)
		snprintf(why, whylen, "larger than %d bytes", LESSON_FILE_MAX);
	else if (rc)
		snprintf(why, whylen, "%s", strerror(-rc));
	return rc ? -1 : 0;
}

/*
 * setup.directory: a file name (relative to the lesson's folder) or an
 * inline mapping.  Either way the text is checked by CP's own directory
 * parser now, so a typo in it is a load error too.
 */
static void setup_directory(struct walk *w, yaml_node_t *v, struct lesson_setup *s)
{
	char derr[600];
	size_t len = 0;
	if (v->type == YAML_SCALAR_NODE) {
		const char *name = scalar(w, v, "setup.directory");
		if (!name || !*name) {
			if (name)
				fail(w, v, "setup.directory is empty");
			return;
		}
		/* Relative to the folder of the lesson file. */
		const char *slash = strrchr(w->y.name, '/');
		int dl = slash && name[0] != '/' ? (int)(slash - w->y.name) + 1 : 0;
		size_t pl = (size_t)dl + strlen(name) + 1;
		s->directory_name = malloc(pl);
		if (!s->directory_name)
			abort();
		snprintf(s->directory_name, pl, "%.*s%s", dl, w->y.name, name);
		char why[128];
		if (slurp(s->directory_name, &s->directory, &len, why, sizeof why)) {
			fail(w, v, "setup.directory '%s': %s", s->directory_name, why);
			return;
		}
	} else if (v->type == YAML_MAPPING_NODE) {
		/* The mapping's own text, with as many newlines and blanks in
		 * front as put it at its line and column: CP's messages about
		 * it then name the lesson file's lines. */
		size_t from = v->start_mark.index, to = v->end_mark.index;
		if (to > w->len || from > to) {
			fail(w, v, "setup.directory: cannot find its text");
			return;
		}
		size_t pad = v->start_mark.line + v->start_mark.column;
		len = pad + (to - from);
		s->directory = malloc(len + 1);
		if (!s->directory)
			abort();
		memset(s->directory, '\n', v->start_mark.line);
		memset(s->directory + v->start_mark.line, ' ', v->start_mark.column);
		memcpy(s->directory + pad, w->buf + from, to - from);
		s->directory[len] = 0;
		s->directory_name = xstrdup(w->y.name);
	} else {
		fail(w, v, "setup.directory is %s; expected a file name or a directory mapping "
		     "(users: ...)", cp_yaml_kind(v));
		return;
	}
	struct cp_directory dir;
	if (cp_directory_parse(s->directory, len, s->directory_name, NULL, &dir, derr,
			       sizeof derr)) {
		/* CP's message is already "file:line:col: what". */
		if (!w->y.failed) {
			w->y.failed = true;
			snprintf(w->y.err, w->y.errlen, "%s", derr);
		}
		return;
	}
	cp_directory_free(&dir);
}

/*
 * setup.files: each item a CMS file for a minidisk.  What can be checked
 * without the disks is checked here (the name, the records, the user and
 * the disk in the directory: lesson_check_files); whether it fits is
 * known when lesson_run_start writes it.
 */
static const char *const file_keys[] = { "user", "disk", "name", "recfm", "lrecl", "text", NULL };

struct fctx {
	struct lesson_file *f;
	yaml_node_t *recfm, *lrecl, *text;
};

static void file_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct fctx *c = ctx;
	struct lesson_file *f = c->f;
	char cerr[160];
	const char *t;
	switch (key) {
	case 0:
		if ((t = scalar(w, v, "user")) && !userid_ok(t))
			fail(w, v, "user '%s' is not a userid (1-8 capitals or digits)",
			     cp_yaml_show(&w->y, t));
		else if (t)
			snprintf(f->user, sizeof f->user, "%s", t);
		break;
	case 1:
		if (!(t = scalar(w, v, "disk")))
			break;
		if (!strcasecmp(t, "A"))
			f->addr = 0x191;
		else if (!strcasecmp(t, "S"))
			f->addr = 0x190;
		else {
			/* 1-3 hex digits and nothing else: strtoul alone
			 * would take " 191", "+19" or "-1" (as FFFF...). */
			size_t nd = strspn(t, "0123456789abcdefABCDEF");
			unsigned long a = strtoul(t, NULL, 16);
			if (!*t || t[nd] || nd > 3 || a == 0)
				fail(w, v, "disk '%s': expected an address (191) or a mode letter (A, S)",
				     cp_yaml_show(&w->y, t));
			f->addr = (uint16_t)a;
		}
		break;
	case 2:
		if ((t = scalar(w, v, "name")) && cms_name_parse(t, f->fn, f->ft, cerr, sizeof cerr))
			fail(w, v, "name %s", cerr);
		break;
	case 3: c->recfm = v; break;
	case 4: c->lrecl = v; break;
	case 5: c->text = v; break;
	}
	(void)k;
}

static void setup_files(struct walk *w, yaml_node_t *v, struct lesson_setup *s)
{
	yaml_node_t **items;
	s->files_pos = pos_of(v);
	int n = seq_items(w, v, "setup.files", &items);
	s->files = calloc((size_t)n + 1, sizeof *s->files);
	if (!s->files)
		abort();
	for (int i = 0; i < n && !w->y.failed; i++) {
		struct lesson_file *f = &s->files[s->nfiles++];
		struct fctx c = { .f = f };
		f->pos = pos_of(items[i]);
		/* disk, name and text required */
		walk_mapping(w, items[i], "a setup file", file_keys, (1u << 1) | (1u << 2) | (1u << 5),
			     file_pair, &c);
		if (w->y.failed)
			break;
		uint64_t lrecl = 0;
		const char *t;
		f->recfm = 'V';
		if (c.recfm && (t = scalar(w, c.recfm, "recfm"))) {
			if (strcmp(t, "F") && strcmp(t, "V"))
				fail(w, c.recfm, "recfm '%s': expected F (fixed) or V (variable)",
				     cp_yaml_show(&w->y, t));
			f->recfm = t[0];
		}
		if (c.lrecl)
			number(w, c.lrecl, "lrecl", 1, CMS_LRECL_MAX, &lrecl);
		else if (f->recfm == 'F')
			lrecl = 80;      /* a card */
		/* Plain text, so a file of zero records cannot be written here:
		 * that takes an empty-looking text, which text() refuses. */
		const char *body = w->y.failed ? NULL : scalar(w, c.text, "text");
		if (!body)
			break;
		uint32_t maxlen;
		char why[200];
		if (cms_text_to_records(body, strlen(body), f->recfm, (uint32_t)lrecl, &f->data,
					&f->bytes, &f->records, &maxlen, why, sizeof why)) {
			fail(w, c.text, "text: %s", why);
			break;
		}
		if (f->recfm == 'F')
			f->lrecl = (uint32_t)lrecl;
		else if (lrecl && lrecl < maxlen)
			fail(w, c.lrecl, "lrecl %u is shorter than the longest line (%u)",
			     (unsigned)lrecl, maxlen);
		else
			f->lrecl = lrecl ? (uint32_t)lrecl : maxlen;
		for (int j = 0; j < i && !w->y.failed; j++) {
			const struct lesson_file *o = &s->files[j];
			if (f->addr == o->addr && !strcmp(f->fn, o->fn) && !strcmp(f->ft, o->ft) &&
			    !strcmp(f->user, o->user))
				fail(w, items[i], "%s %s on the same disk twice (first at line %d)",
				     f->fn, f->ft, o->pos.line);
		}
	}
	free(items);
}

/* The directory entry of a setup file's disk: its owner's MDISK (the
 * user's own, or the one a LINK statement names), or NULL. */
static const struct cp_mdisk_def *file_mdisk(const struct cp_directory *dir,
					     const struct lesson_file *f)
{
	const struct cp_user_def *u = cp_directory_find(dir, f->user);
	const struct cp_mdisk_def *m = cp_user_find_mdisk(u, f->addr);
	for (int i = 0; u && !m && i < u->nlinks; i++)
		if (u->links[i].as == f->addr)
			m = cp_user_find_mdisk(cp_directory_find(dir, u->links[i].user),
					       u->links[i].addr);
	return m;
}

/* After the whole setup is read (its directory may come after files):
 * every file's user and disk are in the directory the lesson runs on. */
static void check_files(struct walk *w, struct lesson_setup *s)
{
	if (!s->nfiles)
		return;
	struct cp_directory dir;
	char derr[600];
	const char *text = s->directory ? s->directory : cp_directory_default_yaml;
	if (cp_directory_parse(text, strlen(text), s->directory ? s->directory_name : "(built-in)",
			       NULL, &dir, derr, sizeof derr)) {
		cp_yaml_fail_at(&w->y, s->files_pos.line, s->files_pos.col, "setup.files: the directory: %s", derr);
		return;
	}
	for (int i = 0; i < s->nfiles && !w->y.failed; i++) {
		struct lesson_file *f = &s->files[i];
		if (!f->user[0])
			snprintf(f->user, sizeof f->user, "%s", s->user ? s->user : "ALICE");
		if (!cp_directory_find(&dir, f->user))
			cp_yaml_fail_at(&w->y, f->pos.line, f->pos.col, "setup.files: %s is not in the directory",
				f->user);
		else if (!file_mdisk(&dir, f))
			cp_yaml_fail_at(&w->y, f->pos.line, f->pos.col, "setup.files: %s has no disk %03X in the "
				"directory (an MDISK or a LINK)", f->user, f->addr);
	}
	cp_directory_free(&dir);
}

int lesson_setup_write_files(const struct lesson *l, const struct cp_directory *dir, char *err,
			     size_t errlen)
{
	for (int i = 0; i < l->setup.nfiles; i++) {
		const struct lesson_file *f = &l->setup.files[i];
		const struct cp_mdisk_def *m = file_mdisk(dir, f);
		char why[300];
		int rc = -1;
		struct cms_disk d;
		memset(&d, 0, sizeof d);
		size_t len = m ? (size_t)m->blocks * CMS_BLOCK : 0;
		uint8_t *img = NULL;
		int fd = m ? open(m->path, O_RDWR) : -1;
		if (fd < 0) {
			snprintf(why, sizeof why, "%s", m ? strerror(errno) : "no such disk");
		} else if (m->blocks > CMS_MAX_BLOCKS) {
			snprintf(why, sizeof why, "%u blocks: larger than a CMS disk", m->blocks);
		} else if (!(img = malloc(len)) || pread(fd, img, len, (off_t)(m->start * 512u)) !=
							   (ssize_t)len) {
			snprintf(why, sizeof why, "cannot read its %u blocks", m->blocks);
		} else if (cms_disk_parse(&d, img, len, why, sizeof why)) {
			/* why says it: not a CMS disk (an image the lesson's
			 * directory shares between minidisks is not formatted) */
		} else if (cms_disk_put(&d, f->fn, f->ft, f->recfm, f->lrecl, f->records, f->data,
					f->bytes, why, sizeof why)) {
			cms_disk_close(&d);
		} else {
			if (pwrite(fd, d.image, len, (off_t)(m->start * 512u)) != (ssize_t)len)
				snprintf(why, sizeof why, "cannot write it: %s", strerror(errno));
			else
				rc = 0;
			cms_disk_close(&d);
		}
		free(img);
		if (fd >= 0)
			close(fd);
		if (rc) {
			snprintf(err, errlen, "%s:%d:%d: setup.files: %s %s on %s's %03X: %s", l->file,
				 f->pos.line, f->pos.col, f->fn, f->ft, f->user, f->addr, why);
			return -1;
		}
	}
	return 0;
}

static void setup_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct lesson_setup *s = ctx;
	uint64_t n;
	switch (key) {
	case 0:
		if ((s->user = text(w, v, "setup.user")) && !userid_ok(s->user))
			fail(w, v, "setup.user '%s' is not a userid (1-8 capitals or digits)",
			     cp_yaml_show(&w->y, s->user));
		break;
	case 1:
		if ((s->ipl = text(w, v, "setup.ipl")) && !named_system_ok(s->ipl))
			fail(w, v, "setup.ipl '%s' is not a named system (QUERY SYSTEMS lists them)",
			     cp_yaml_show(&w->y, s->ipl));
		break;
	case 2:
		s->program = text(w, v, "setup.program");
		s->program_pos = pos_of(v);
		break;
	case 3:
		if (number(w, v, "setup.storage", 64 << 10, 16 << 20, &n)) {
			if (n % 4096)
				fail(w, v, "setup.storage must be whole 4K pages");
			s->storage = (uint32_t)n;
		}
		break;
	case 4:
		if (number(w, v, "setup.slice", 1000, 100000000, &n))
			s->slice = n;
		break;
	case 5:
		boolean(w, v, "setup.start", &s->start);
		break;
	case 6:
		setup_directory(w, v, s);
		break;
	case 7:
		s->logon_pos = pos_of(v);
		boolean(w, v, "setup.logon", &s->logon);
		break;
	case 8:
		setup_files(w, v, s);
		break;
	}
	(void)k;
}

/* ------------------------------------------------------------------ */
/* steps                                                               */

static void pattern_list(struct walk *w, yaml_node_t *n, const char *what,
			 struct lesson_pattern **out, int *count)
{
	int len;
	char **t = text_list(w, n, what, &len);
	*out = calloc((size_t)len + 1, sizeof **out);
	if (!*out)
		abort();
	*count = 0;
	/* Items keep the list's position: a lone value or one per line. */
	yaml_node_t **items = NULL;
	int nitems = n->type == YAML_SEQUENCE_NODE && !w->y.failed ? seq_items(w, n, what, &items) : 0;
	for (int i = 0; i < len; i++) {
		struct lesson_pattern *p = &(*out)[i];
		p->text = t[i];
		p->pos = pos_of(i < nitems ? items[i] : n);
		size_t l = strlen(p->text);
		(*count)++;
		if (w->y.failed)
			continue;
		if (l >= 2 && p->text[0] == '/' && p->text[l - 1] == '/') {
			/* /regex/: POSIX extended, compiled now so a bad one fails
			 * at load time. */
			char re[512];
			snprintf(re, sizeof re, "%.*s", (int)(l - 2), p->text + 1);
			int rc = regcomp(&p->re, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
			if (rc) {
				char msg[128];
				regerror(rc, &p->re, msg, sizeof msg);
				cp_yaml_fail_at(&w->y, p->pos.line, p->pos.col, "%s: bad regular expression %s: %s",
					what, p->text, msg);
				regfree(&p->re);
				continue;
			}
			p->is_regex = true;
		}
	}
	free(items);
	free(t);
}

/* Parse one expression node into c; errors point into the value when
 * the YAML columns allow (a plain or quoted one-line scalar). */
static void parse_check(struct walk *w, yaml_node_t *at, const char *what, struct lesson_check *c)
{
	c->pos = pos_of(at);
	if (!c->text) {
		if (!(c->text = text(w, at, what)))
			return;
	}
	char err[256];
	c->expr = lesson_expr_parse(c->text, err, sizeof err);
	if (c->expr)
		return;
	int col = 0, used = 0;
	sscanf(err, "col %d: %n", &col, &used);
	bool plain = at->type == YAML_SCALAR_NODE &&
		     at->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	int quote = at->type == YAML_SCALAR_NODE &&
		    (at->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		     at->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	if (col > 0 && used > 0 && (plain || quote))
		cp_yaml_fail_at(&w->y, c->pos.line, c->pos.col + quote + col - 1, "%s '%s': %s", what, c->text,
			err + used);
	else
		cp_yaml_fail_at(&w->y, c->pos.line, c->pos.col, "%s '%s': %s", what, c->text, err);
}

static void check_list(struct walk *w, yaml_node_t *n, struct lesson_step *st)
{
	int len;
	char **t = text_list(w, n, "expect.check", &len);
	yaml_node_t **items = NULL;
	int nitems = n->type == YAML_SEQUENCE_NODE && !w->y.failed ?
		     seq_items(w, n, "expect.check", &items) : 0;
	st->checks = calloc((size_t)len + 1, sizeof *st->checks);
	if (!st->checks)
		abort();
	for (int i = 0; i < len; i++) {
		struct lesson_check *c = &st->checks[st->nchecks++];
		c->text = t[i];
		if (!w->y.failed)
			parse_check(w, i < nitems ? items[i] : n, "check", c);
		else
			c->pos = pos_of(n);
	}
	free(items);
	free(t);
}

static const char *const expect_keys[] = { "output", "not_output", "check", NULL };

static void expect_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct lesson_step *st = ctx;
	switch (key) {
	case 0: pattern_list(w, v, "expect.output", &st->output, &st->noutput); break;
	case 1: pattern_list(w, v, "expect.not_output", &st->not_output, &st->nnot_output); break;
	case 2: check_list(w, v, st); break;
	}
	(void)k;
}

static const char *const question_keys[] = { "question", "choices", "answer", "tolerance",
					     "accept", "explain", "value", NULL };

struct qctx {
	struct lesson_question *q;
	yaml_node_t *answer, *tolerance, *value;
	bool has_choices, has_accept;
};

static void question_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct qctx *c = ctx;
	struct lesson_question *q = c->q;
	switch (key) {
	case 0: q->text = text(w, v, "question"); break;
	case 1:
		q->choices = text_list(w, v, "choices", &q->nchoices);
		c->has_choices = true;
		if (!w->y.failed && (q->nchoices < 2 || q->nchoices > 26))
			fail(w, v, "choices has %d items; expected 2 to 26", q->nchoices);
		break;
	case 2: c->answer = v; break;
	case 3: c->tolerance = v; break;
	case 4:
		q->accept = text_list(w, v, "accept", &q->naccept);
		c->has_accept = true;
		if (!w->y.failed && !q->naccept)
			fail(w, v, "accept is empty; give at least one answer");
		break;
	case 5: q->explain = text(w, v, "explain"); break;
	case 6:
		c->value = v;
		parse_check(w, v, "value", &q->value);
		break;
	}
	(void)k;
}

/* After the keys are read: which kind of question, and is it whole? */
static void question_finish(struct walk *w, yaml_node_t *qn, struct qctx *c)
{
	struct lesson_question *q = c->q;
	if (c->value && (c->has_choices || c->has_accept)) {
		fail(w, c->value, "value is for numeric questions only");
		return;
	}
	if (c->has_choices + c->has_accept > 1) {
		fail(w, qn, "a question has choices or accept, not both");
		return;
	}
	if (c->has_choices) {
		q->kind = LESSON_Q_CHOICE;
		if (!c->answer) {
			fail(w, qn, "a multiple-choice question needs 'answer' (a letter: A, B...)");
			return;
		}
		const char *a = scalar(w, c->answer, "answer");
		if (!a)
			return;
		if (strlen(a) != 1 || a[0] < 'A' || a[0] - 'A' >= q->nchoices) {
			fail(w, c->answer, "answer '%s' is not one of the choices' letters A..%c",
			     cp_yaml_show(&w->y, a), 'A' + q->nchoices - 1);
			return;
		}
		q->answer = a[0] - 'A';
		if (c->tolerance)
			fail(w, c->tolerance, "tolerance is for numeric questions only");
	} else if (c->has_accept) {
		q->kind = LESSON_Q_TEXT;
		if (c->answer)
			fail(w, c->answer, "a short-text question lists its answers in 'accept', "
			     "not 'answer'");
		else if (c->tolerance)
			fail(w, c->tolerance, "tolerance is for numeric questions only");
	} else {
		q->kind = LESSON_Q_NUMBER;
		if (!c->answer) {
			fail(w, qn, "a question needs choices+answer (multiple choice), answer "
			     "(numeric) or accept (short text)");
			return;
		}
		const char *a = scalar(w, c->answer, "answer");
		if (!a)
			return;
		char *end;
		q->number = strtod(a, &end);
		if (end == a || *end || q->number != q->number) {
			fail(w, c->answer, "answer '%s' is not a number (a numeric question; use "
			     "accept: for text)", cp_yaml_show(&w->y, a));
			return;
		}
		if (c->tolerance) {
			const char *t = scalar(w, c->tolerance, "tolerance");
			if (!t)
				return;
			q->tolerance = strtod(t, &end);
			if (end == t || *end || !(q->tolerance >= 0))
				fail(w, c->tolerance, "tolerance '%s' is not a number >= 0",
				     cp_yaml_show(&w->y, t));
		}
	}
}

static const char *const step_keys[] = { "id", "title", "text", "do", "run", "expect",
					 "hints", "questions", "explain", NULL };

static void step_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct lesson_step *st = ctx;
	uint64_t n;
	yaml_node_t **items;
	int nq;
	switch (key) {
	case 0: st->id = text(w, v, "step id"); break;
	case 1: st->title = text(w, v, "step title"); break;
	case 2: st->text = text(w, v, "step text"); break;
	case 3:
		st->do_lines = text_list(w, v, "do", &st->ndo);
		for (int i = 0; i < st->ndo && !w->y.failed; i++) {
			/* What a 3215 could send: printable ASCII, one line. */
			const unsigned char *c = (const unsigned char *)st->do_lines[i];
			bool ok = strlen(st->do_lines[i]) < CP_LINE_MAX;
			for (; *c && ok; c++)
				ok = *c >= 0x20 && *c < 0x7f;
			if (!ok)
				fail(w, v, "do: line %d is longer than a terminal line (%d) or holds "
				     "a character a terminal cannot send (control, non-ASCII)",
				     i + 1, CP_LINE_MAX - 1);
		}
		break;
	case 4:
		if (number(w, v, "run", 0, 1000000000, &n))
			st->run = n;
		break;
	case 5: walk_mapping(w, v, "expect", expect_keys, 0, expect_pair, st); break;
	case 6: st->hints = text_list(w, v, "hints", &st->nhints); break;
	case 7:
		nq = seq_items(w, v, "questions", &items);
		st->questions = calloc((size_t)nq + 1, sizeof *st->questions);
		if (!st->questions)
			abort();
		for (int i = 0; i < nq && !w->y.failed; i++) {
			struct qctx c = { .q = &st->questions[st->nquestions++] };
			c.q->pos = pos_of(items[i]);
			walk_mapping(w, items[i], "a question", question_keys, 1u << 0, question_pair,
				     &c);
			if (!w->y.failed)
				question_finish(w, items[i], &c);
		}
		free(items);
		break;
	case 8: st->explain = text(w, v, "step explain"); break;
	}
	(void)k;
}

/* ------------------------------------------------------------------ */
/* The lesson                                                          */

static const char *const lesson_keys[] = { "id", "title", "version", "level", "objectives",
					   "prereqs", "setup", "steps", "finish", NULL };
static const char *const levels[] = { "beginner", "intermediate", "advanced", NULL };

static bool id_ok(const char *s)
{
	if (!*s || strlen(s) > 40)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static void lesson_pair(struct walk *w, int key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct lesson *l = ctx;
	yaml_node_t **items;
	int n;
	switch (key) {
	case 0:
		if ((l->id = text(w, v, "id")) && !id_ok(l->id))
			fail(w, v, "id '%s': use lower-case letters, digits, '-' and '_' "
			     "(at most 40)", cp_yaml_show(&w->y, l->id));
		break;
	case 1: l->title = text(w, v, "title"); break;
	case 2: l->version = text(w, v, "version"); break;
	case 3:
		if ((l->level = text(w, v, "level"))) {
			bool ok = false;
			for (int i = 0; levels[i]; i++)
				ok |= !strcmp(l->level, levels[i]);
			if (!ok) {
				const char *near = cp_closest(l->level, levels);
				fail(w, v, "level '%s' is not beginner, intermediate or advanced%s%s%s",
				     cp_yaml_show(&w->y, l->level), near ? "; did you mean '" : "",
				     near ? near : "", near ? "'?" : "");
			}
		}
		break;
	case 4: l->objectives = text_list(w, v, "objectives", &l->nobjectives); break;
	case 5: l->prereqs = text_list(w, v, "prereqs", &l->nprereqs); break;
	case 6: walk_mapping(w, v, "setup", setup_keys, 0, setup_pair, &l->setup); break;
	case 7:
		n = seq_items(w, v, "steps", &items);
		if (!w->y.failed && !n)
			fail(w, v, "steps is empty; a lesson has at least one step");
		l->steps = calloc((size_t)n + 1, sizeof *l->steps);
		if (!l->steps)
			abort();
		for (int i = 0; i < n && !w->y.failed; i++) {
			struct lesson_step *st = &l->steps[l->nsteps++];
			st->pos = pos_of(items[i]);
			/* id, title, text required */
			walk_mapping(w, items[i], "a step", step_keys, 0x7, step_pair, st);
			for (int j = 0; j < i && !w->y.failed; j++)
				if (st->id && l->steps[j].id && !strcmp(st->id, l->steps[j].id))
					fail(w, items[i], "step id '%s' used twice (first at line %d)",
					     cp_yaml_show(&w->y, st->id), l->steps[j].pos.line);
		}
		free(items);
		break;
	case 8: l->finish = text(w, v, "finish"); break;
	}
	(void)k;
}

int lesson_load_string(const char *name, const char *buf, size_t len, struct lesson *l,
		       char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	l->file = xstrdup(name);
	l->setup.start = true;
	l->setup.logon = true;
	struct walk w = { .y = { .name = name, .err = err, .errlen = errlen }, .buf = buf, .len = len };
	if (errlen)
		err[0] = 0;

	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		cp_yaml_fail_at(&w.y, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
			"YAML: %s%s%s", parser.problem ? parser.problem : "cannot read",
			parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		lesson_free(l);
		return -1;
	}
	w.y.doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root)
		cp_yaml_fail_at(&w.y, 1, 1, "the file is empty; a lesson starts with 'id:'");
	else
		walk_mapping(&w, root, "the lesson", lesson_keys,
			     /* id, title, version, level, objectives, steps */
			     (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 7),
			     lesson_pair, l);
	/* A second document in the same file is a mistake, not a lesson. */
	if (!w.y.failed) {
		yaml_document_t more;
		if (yaml_parser_load(&parser, &more)) {
			yaml_node_t *r2 = yaml_document_get_root_node(&more);
			if (r2)
				fail(&w, r2, "a second YAML document ('---'); one lesson per file");
			yaml_document_delete(&more);
		}
	}
	if (!w.y.failed && l->setup.ipl && l->setup.program)
		cp_yaml_fail_at(&w.y, l->setup.program_pos.line, l->setup.program_pos.col,
			"setup has both ipl and program; choose one");
	/* Without a LOGON there is no machine to prepare. */
	if (!w.y.failed && !l->setup.logon && (l->setup.ipl || l->setup.program || l->setup.storage))
		cp_yaml_fail_at(&w.y, l->setup.logon_pos.line, l->setup.logon_pos.col,
			"setup.logon is false: nobody is logged on to take ipl, program or storage");
	if (!w.y.failed) {
		if (!l->setup.user)
			l->setup.user = xstrdup("ALICE");
		check_files(&w, &l->setup);
	}
	if (!w.y.failed && !l->nobjectives)
		cp_yaml_fail_at(&w.y, 1, 1, "objectives is empty; say what the student will learn");
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (w.y.failed) {
		lesson_free(l);
		return -1;
	}
	if (!l->setup.user)
		l->setup.user = xstrdup("ALICE");
	return 0;
}

int lesson_load(const char *path, struct lesson *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	char *buf;
	size_t n;
	int rc = sim_file_read(path, LESSON_FILE_MAX, &buf, &n, NULL, 0);
	if (rc == -EFBIG)
		snprintf(err, errlen, "%s: larger than %d bytes; is it a lesson?", path,
			 LESSON_FILE_MAX);
	else if (rc)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	if (rc)
		return -1;
	rc = lesson_load_string(path, buf, n, l, err, errlen);
	free(buf);
	return rc;
}

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_patterns(struct lesson_pattern *p, int n)
{
	for (int i = 0; i < n; i++) {
		free(p[i].text);
		if (p[i].is_regex)
			regfree(&p[i].re);
	}
	free(p);
}

void lesson_free(struct lesson *l)
{
	free(l->file);
	free(l->id);
	free(l->title);
	free(l->version);
	free(l->level);
	free(l->finish);
	free_list(l->objectives, l->nobjectives);
	free_list(l->prereqs, l->nprereqs);
	free(l->setup.user);
	free(l->setup.ipl);
	free(l->setup.program);
	free(l->setup.directory);
	free(l->setup.directory_name);
	for (int i = 0; i < l->setup.nfiles; i++)
		free(l->setup.files[i].data);
	free(l->setup.files);
	for (int i = 0; i < l->nsteps; i++) {
		struct lesson_step *st = &l->steps[i];
		free(st->id);
		free(st->title);
		free(st->text);
		free(st->explain);
		free_list(st->do_lines, st->ndo);
		free_patterns(st->output, st->noutput);
		free_patterns(st->not_output, st->nnot_output);
		for (int j = 0; j < st->nchecks; j++) {
			free(st->checks[j].text);
			lesson_expr_free(st->checks[j].expr);
		}
		free(st->checks);
		free_list(st->hints, st->nhints);
		for (int j = 0; j < st->nquestions; j++) {
			struct lesson_question *q = &st->questions[j];
			free(q->text);
			free_list(q->choices, q->nchoices);
			free_list(q->accept, q->naccept);
			free(q->explain);
			free(q->value.text);
			lesson_expr_free(q->value.expr);
		}
		free(st->questions);
	}
	free(l->steps);
	memset(l, 0, sizeof *l);
}
