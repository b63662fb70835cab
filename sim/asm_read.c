/*
 * sim/asm_read.c -- the assembler's reader: source files, INCLUDE, and
 * MACRO definitions and calls, turned into one flat list of statements
 * that remember where each line came from.  See sim/asm.c.
 */
#include "asm_int.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The reader: files, INCLUDE, macros                                  */

static void asm_read_line(struct assembler *a, const char *text, size_t len,
			  const struct asm_src *src, const int *colmap);

static struct asm_stmt *asm_new_stmt(struct assembler *a, const char *text, size_t len,
				     const struct asm_src *src, const int *colmap)
{
	if (a->nst == a->capst) {
		a->capst = a->capst ? a->capst * 2 : 256;
		a->st = asm_xrealloc(a->st, a->capst * sizeof *a->st);
	}
	struct asm_stmt *s = &a->st[a->nst++];
	memset(s, 0, sizeof *s);
	/* A NUL byte inside a line would end the C string early; a '?' in
	 * its place gets a diagnostic instead. */
	s->text = asm_xstrndup(text, len);
	for (size_t i = 0; i < len; i++)
		if (s->text[i] == 0)
			s->text[i] = '?';
	s->len = (int)len;
	s->src = *src;
	s->expanded = colmap != NULL;
	if (colmap) {
		s->colmap = asm_xrealloc(NULL, (len + 1) * sizeof *s->colmap);
		memcpy(s->colmap, colmap, (len + 1) * sizeof *s->colmap);
	}
	s->define_label = true;
	s->alias_mask = -1;
	asm_fields(s);
	return s;
}

static const char *const asm_directives[] = {
	"EQU", "ORG", "ALIGN", "DC", "DS", "USING", "DROP", "INCLUDE", "MACRO",
	"MEND", "END", "ENTRY", "LI", "PSW",
};

static bool asm_is_directive(const char *upper)
{
	for (size_t i = 0; i < sizeof asm_directives / sizeof asm_directives[0]; i++)
		if (!strcmp(asm_directives[i], upper))
			return true;
	return false;
}

static struct asm_macro *asm_macro_find(struct assembler *a, const char *upper)
{
	for (struct asm_macro *m = a->macros; m; m = m->next)
		if (!strcmp(m->name, upper))
			return m;
	return NULL;
}

void asm_macro_free(struct asm_macro *m)
{
	for (int i = 0; i < m->nparams; i++)
		free(m->params[i].def);
	free(m->params);
	for (int i = 0; i < m->nbody; i++)
		free(m->body[i].text);
	free(m->body);
	free(m);
}

/* A "&NAME" span at off: returns its length (0 if not a parameter). */
static int asm_param_len(const char *t, int off, int end)
{
	if (off >= end || t[off] != '&' || off + 1 >= end ||
	    !asm_sym_start((unsigned char)t[off + 1]))
		return 0;
	int i = off + 1;
	while (i < end && asm_sym_char((unsigned char)t[i]))
		i++;
	return i - off;
}

/* The prototype line: [&LABEL] NAME [&POS,...,&KEY=default,...] */
static void asm_macro_proto(struct assembler *a, struct asm_stmt *s)
{
	struct asm_macro *m = a->defining;
	if (s->op.len == 0) {
		asm_error(a, s, 0, "macro prototype expected: [&LABEL] NAME [&PARAM,...]");
		return;
	}
	if (!asm_span_name(s->text, s->op, m->name) || !asm_sym_start((unsigned char)m->name[0])) {
		asm_error(a, s, s->op.off, "bad macro name '%.*s'", s->op.len, s->text + s->op.off);
		m->name[0] = 0;
		return;
	}
	for (int i = 1; m->name[i]; i++)
		if (!asm_sym_char((unsigned char)m->name[i])) {
			asm_error(a, s, s->op.off + i, "bad character '%c' in macro name", m->name[i]);
			m->name[0] = 0;
			return;
		}
	if (asm_is_directive(m->name)) {
		asm_error(a, s, s->op.off, "%s is a directive and cannot be a macro name", m->name);
		m->name[0] = 0;
		return;
	}
	if (s->label.len) {
		int n = asm_param_len(s->text, s->label.off, s->label.off + s->label.len);
		if (n != s->label.len) {
			asm_error(a, s, s->label.off, "a prototype's label field must be a &PARAMETER");
		} else {
			asm_span_name(s->text, (struct asm_span){ s->label.off + 1, n - 1 }, m->label);
		}
	}
	struct asm_span ops[ASM_MAX_OPERANDS];
	int nops = asm_split(s->text, s->opnd, ops, ASM_MAX_OPERANDS);
	if (nops < 0) {
		asm_error(a, s, s->opnd.off, "more than %d macro parameters", ASM_MAX_OPERANDS);
		return;
	}
	m->params = asm_xrealloc(NULL, (size_t)(nops ? nops : 1) * sizeof *m->params);
	for (int i = 0; i < nops; i++) {
		const char *t = s->text;
		int off = ops[i].off, end = off + ops[i].len;
		int n = asm_param_len(t, off, end);
		if (n == 0 || n - 1 > ASM_MAX_SYMLEN || (off + n < end && t[off + n] != '=')) {
			asm_error(a, s, off, "macro parameter expected: &NAME or &NAME=default");
			continue;
		}
		struct asm_macparam *p = &m->params[m->nparams];
		memset(p, 0, sizeof *p);
		asm_span_name(t, (struct asm_span){ off + 1, n - 1 }, p->name);
		if (!strcmp(p->name, "SYSNDX") || !strcmp(p->name, m->label)) {
			asm_error(a, s, off, "parameter &%s is already defined", p->name);
			continue;
		}
		bool dup = false;
		for (int j = 0; j < m->nparams; j++)
			dup |= !strcmp(m->params[j].name, p->name);
		if (dup) {
			asm_error(a, s, off, "parameter &%s is already defined", p->name);
			continue;
		}
		if (off + n < end) {
			p->keyword = true;
			p->def = asm_xstrndup(t + off + n + 1, (size_t)(end - off - n - 1));
		}
		m->nparams++;
	}
}

/* Finish the macro being defined: it replaces any older one. */
static void asm_macro_finish(struct assembler *a)
{
	struct asm_macro *m = a->defining;
	a->defining = NULL;
	if (!m->name[0]) {
		asm_macro_free(m);
		return;
	}
	/* The old definition may be the very macro being expanded right
	 * now (a macro that redefines a macro): retire it, free it later. */
	for (struct asm_macro **pp = &a->macros; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, m->name)) {
			struct asm_macro *old = *pp;
			*pp = old->next;
			old->next = a->retired;
			a->retired = old;
			break;
		}
	m->next = a->macros;
	a->macros = m;
}

void asm_buf_add(struct asm_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = asm_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* The column map of a line being expanded: one body offset per byte. */
struct asm_map {
	int *v;
	size_t n, cap;
};

static void asm_map_add(struct asm_map *m, int col, int count)
{
	for (int k = 0; k < count; k++) {
		if (m->n == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 128;
			m->v = asm_xrealloc(m->v, m->cap * sizeof *m->v);
		}
		m->v[m->n++] = col;
	}
}

/* Expand a macro call s of macro m. */
static void asm_macro_call(struct assembler *a, struct asm_stmt *s, struct asm_macro *m)
{
	if (a->macro_depth >= ASM_MAX_MACRO_DEPTH) {
		asm_error(a, s, s->op.off, "macros nested deeper than %d (a macro calling itself?)",
			  ASM_MAX_MACRO_DEPTH);
		return;
	}
	/* Bind the operands: KEY=value for a keyword parameter, else the
	 * next positional one. */
	const char **val = asm_xrealloc(NULL, (size_t)(m->nparams + 1) * sizeof *val);
	int *vlen = asm_xrealloc(NULL, (size_t)(m->nparams + 1) * sizeof *vlen);
	for (int i = 0; i < m->nparams; i++) {
		val[i] = m->params[i].keyword ? m->params[i].def : "";
		vlen[i] = (int)strlen(val[i]);
	}
	struct asm_span ops[ASM_MAX_OPERANDS];
	int nops = asm_split(s->text, s->opnd, ops, ASM_MAX_OPERANDS);
	bool ok = true;
	if (nops < 0) {
		asm_error(a, s, s->opnd.off, "more than %d macro operands", ASM_MAX_OPERANDS);
		ok = false;
		nops = 0;
	}
	int pos = 0;
	for (int i = 0; i < nops; i++) {
		const char *t = s->text + ops[i].off;
		int n = 0;
		while (n < ops[i].len && asm_sym_char((unsigned char)t[n]))
			n++;
		if (n > 0 && n < ops[i].len && t[n] == '=' && asm_sym_start((unsigned char)t[0])) {
			char key[ASM_MAX_SYMLEN + 1];
			int k = -1;
			if (asm_span_name(s->text, (struct asm_span){ ops[i].off, n }, key))
				for (int j = 0; j < m->nparams; j++)
					if (m->params[j].keyword && !strcmp(m->params[j].name, key))
						k = j;
			if (k < 0) {
				asm_error(a, s, ops[i].off, "macro %s has no keyword parameter %.*s",
					  m->name, n, t);
				ok = false;
				continue;
			}
			val[k] = t + n + 1;
			vlen[k] = ops[i].len - n - 1;
			continue;
		}
		while (pos < m->nparams && m->params[pos].keyword)
			pos++;
		if (pos >= m->nparams) {
			asm_error(a, s, ops[i].off, "too many operands for macro %s", m->name);
			ok = false;
			break;
		}
		val[pos] = t;
		vlen[pos] = ops[i].len;
		pos++;
	}
	if (!ok) {
		free(val);
		free(vlen);
		return;
	}

	unsigned ndx = ++a->sysndx;
	char ndxs[16];
	snprintf(ndxs, sizeof ndxs, "%04u", ndx);
	char via[600];
	snprintf(via, sizeof via, "macro %s called at %s:%d", m->name, s->src.file, s->src.line);
	const char *viap = asm_pool_add(a, asm_xstrndup(via, strlen(via)));
	const char *clabel = s->text + s->label.off;
	int clabellen = s->label.len;
	if (m->label[0])
		s->define_label = false; /* the body defines it */

	a->macro_depth++;
	int inner = 0;  /* depth inside a macro definition within the body */
	for (int li = 0; li < m->nbody && !a->stop && !a->ended; li++) {
		const struct asm_macline *ml = &m->body[li];
		struct asm_buf b = { 0 };
		struct asm_map map = { 0 };
		asm_buf_add(&b, "", 0);
		const char *t = ml->text;
		int n = (int)strlen(t);
		bool bad = false;
		/* A MACRO ... MEND inside the body defines a macro when this
		 * one runs; its &PARAMETERS are its own, so its lines are
		 * passed on unsubstituted. */
		struct asm_stmt raw = { .text = (char *)t, .len = n };
		asm_fields(&raw);
		bool is_macro = asm_span_is(&raw, raw.op, "MACRO");
		bool is_mend = asm_span_is(&raw, raw.op, "MEND");
		bool verbatim = inner > 0 || is_macro;
		if (is_macro)
			inner++;
		else if (is_mend && inner > 0)
			inner--;
		for (int i = 0; i < n && verbatim; i++) {
			asm_buf_add(&b, t + i, 1);
			asm_map_add(&map, i, 1);
		}
		for (int i = verbatim ? n : 0; i < n;) {
			if (t[i] == '&' && i + 1 < n && t[i + 1] == '&') {
				asm_buf_add(&b, "&", 1);  /* && is a literal & */
				asm_map_add(&map, i, 1);
				i += 2;
				continue;
			}
			int plen = asm_param_len(t, i, n);
			if (plen == 0) {
				asm_buf_add(&b, t + i, 1);
				asm_map_add(&map, i, 1);
				i++;
				continue;
			}
			char name[ASM_MAX_SYMLEN + 1] = "";
			bool named = asm_span_name(t, (struct asm_span){ i + 1, plen - 1 }, name);
			const char *rep = NULL;
			int replen = 0;
			if (named && !strcmp(name, "SYSNDX")) {
				rep = ndxs;
				replen = (int)strlen(ndxs);
			} else if (named && m->label[0] && !strcmp(name, m->label)) {
				rep = clabel;
				replen = clabellen;
			} else if (named) {
				for (int j = 0; j < m->nparams; j++)
					if (!strcmp(m->params[j].name, name)) {
						rep = val[j];
						replen = vlen[j];
					}
			}
			if (!rep) {
				struct asm_src src = ml->src;
				src.via = viap;
				asm_error_at(a, &src, i + 1, "unknown macro parameter &%.*s",
					     plen - 1, t + i + 1);
				bad = true;
				break;
			}
			asm_buf_add(&b, rep, (size_t)replen);
			asm_map_add(&map, i, replen);
			i += plen;
			if (i < n && t[i] == '.')
				i++;  /* '.' ends a parameter name: &P.X */
		}
		if (!bad) {
			struct asm_src src = ml->src;
			src.via = viap;
			asm_map_add(&map, n, 1);  /* the end of the line */
			asm_read_line(a, b.p, b.n, &src, map.v);
		}
		free(b.p);
		free(map.v);
	}
	a->macro_depth--;
	free(val);
	free(vlen);
}


/* Read all of f into b (NUL-terminated): 0, -1 on a read error, -2 if
 * it is larger than any source file should be. */
int asm_slurp(FILE *f, struct asm_buf *b)
{
	char chunk[8192];
	size_t got;
	asm_buf_add(b, "", 0);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->n + got > ASM_MAX_SOURCE)
			return -2;
		asm_buf_add(b, chunk, got);
	}
	return ferror(f) ? -1 : 0;
}

/* Find and read an INCLUDEd file. */
static void asm_include(struct assembler *a, struct asm_stmt *s)
{
	const char *t = s->text + s->opnd.off;
	int n = s->opnd.len;
	if (n < 2 || t[0] != '\'' || t[n - 1] != '\'') {
		asm_error(a, s, s->opnd.len ? s->opnd.off : s->op.off,
			  "INCLUDE needs a quoted file name: INCLUDE 'file'");
		return;
	}
	char name[4096];
	if (n - 2 >= (int)sizeof name || n == 2) {
		asm_error(a, s, s->opnd.off, "bad INCLUDE file name");
		return;
	}
	memcpy(name, t + 1, (size_t)n - 2);
	name[n - 2] = 0;
	if (a->include_depth >= ASM_MAX_INCLUDE_DEPTH) {
		asm_error(a, s, s->opnd.off, "INCLUDE nested deeper than %d (a file including itself?)",
			  ASM_MAX_INCLUDE_DEPTH);
		return;
	}
	/* Candidates: an absolute name as is; else this file's folder, then
	 * each -I folder. */
	char path[8192];
	FILE *f = NULL;
	if (name[0] == '/') {
		snprintf(path, sizeof path, "%s", name);
		f = fopen(path, "rb");
	} else {
		const char *slash = strrchr(s->src.file, '/');
		if (slash)
			snprintf(path, sizeof path, "%.*s/%s", (int)(slash - s->src.file),
				 s->src.file, name);
		else
			snprintf(path, sizeof path, "%s", name);
		f = fopen(path, "rb");
		for (int i = 0; !f && i < a->opt->ninclude && i < ASM_MAX_INCLUDE_DIRS; i++) {
			if (!a->opt->include_dirs[i])
				continue;
			snprintf(path, sizeof path, "%s/%s", a->opt->include_dirs[i], name);
			f = fopen(path, "rb");
		}
	}
	if (!f) {
		asm_error(a, s, s->opnd.off, "cannot find INCLUDE file '%s'%s", name,
			  a->opt->ninclude ? "" : " (add -I DIR?)");
		return;
	}
	/* Only regular files: INCLUDE '/dev/zero' must not read forever. */
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		asm_error(a, s, s->opnd.off, "INCLUDE file '%s' is not a regular file", path);
		return;
	}
	struct asm_buf b = { 0 };
	int rc = asm_slurp(f, &b);
	fclose(f);
	if (rc < 0) {
		asm_error(a, s, s->opnd.off, "cannot read INCLUDE file '%s'%s", path,
			  rc == -2 ? ": larger than 16 MiB" : "");
		free(b.p);
		return;
	}
	a->include_depth++;
	asm_read_text(a, asm_pool_add(a, asm_xstrndup(path, strlen(path))), b.p, b.n);
	a->include_depth--;
	free(b.p);
}

/* One source line (from a file or a macro body). */
static void asm_read_line(struct assembler *a, const char *text, size_t len,
			  const struct asm_src *src, const int *colmap)
{
	if (a->ended || a->stop)
		return;
	if (a->nst >= ASM_MAX_STMTS) {
		a->cur_seq = a->nst;
		asm_error_at(a, src, 1, "more than %d statements (a runaway macro?)", ASM_MAX_STMTS);
		a->stop = true;
		return;
	}
	a->cur_seq = a->nst;
	struct asm_stmt *s = asm_new_stmt(a, text, len, src, colmap);
	char op[ASM_MAX_SYMLEN + 1] = "";
	bool opname = s->op.len && asm_span_name(s->text, s->op, op);

	if (a->defining) {
		/* Inside MACRO ... MEND: store the line, counting nested
		 * definitions so that an inner MEND does not end this one. */
		s->kind = K_LIST;
		s->define_label = false;
		if (a->want_proto) {
			a->want_proto = false;
			asm_macro_proto(a, s);
			return;
		}
		if (opname && !strcmp(op, "MACRO"))
			a->def_nest++;
		if (opname && !strcmp(op, "MEND")) {
			if (a->def_nest == 0) {
				asm_macro_finish(a);
				return;
			}
			a->def_nest--;
		}
		struct asm_macro *m = a->defining;
		if (m->nbody == m->capbody) {
			m->capbody = m->capbody ? m->capbody * 2 : 8;
			m->body = asm_xrealloc(m->body, (size_t)m->capbody * sizeof *m->body);
		}
		m->body[m->nbody++] = (struct asm_macline){ asm_xstrndup(s->text, (size_t)s->len), *src };
		return;
	}
	if (!opname) {
		if (s->op.len)
			s->kind = K_NONE; /* pass 1 reports the bad opcode */
		return;
	}
	if (!strcmp(op, "MACRO")) {
		s->kind = K_LIST;
		s->define_label = false;
		if (s->label.len || s->opnd.len)
			asm_error(a, s, s->label.len ? 0 : s->opnd.off,
				  "MACRO stands alone; the prototype goes on the next line");
		a->defining = asm_xrealloc(NULL, sizeof *a->defining);
		memset(a->defining, 0, sizeof *a->defining);
		a->defining->src = *src;
		a->macro_src = *src;
		a->want_proto = true;
		a->def_nest = 0;
		return;
	}
	if (!strcmp(op, "MEND")) {
		s->kind = K_LIST;
		asm_error(a, s, s->op.off, "MEND without MACRO");
		return;
	}
	if (!strcmp(op, "INCLUDE")) {
		s->kind = K_LIST;
		if (s->label.len)
			asm_error(a, s, 0, "INCLUDE takes no label");
		s->define_label = false;
		asm_include(a, s);
		return;
	}
	struct asm_macro *m = asm_macro_find(a, op);
	if (m) {
		s->kind = K_LIST;  /* label: see asm_macro_call */
		/* The call adds statements, which may move the array: s
		 * must not be used after it. */
		asm_macro_call(a, s, m);
		return;
	}
	if (!strcmp(op, "END"))
		a->ended = true;
	s->kind = K_NONE; /* classified by pass 1 */
}

void asm_read_text(struct assembler *a, const char *file, const char *text, size_t len)
{
	size_t i = 0;
	int line = 0;
	while (i < len && !a->ended && !a->stop) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		size_t e = j;
		if (e > i && text[e - 1] == '\r')
			e--;
		struct asm_src src = { file, ++line, NULL };
		asm_read_line(a, text + i, e - i, &src, NULL);
		i = j + 1;
	}
}

