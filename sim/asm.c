/*
 * sim/asm.c -- the VL32 assembler (the language is sim/ASM.md).
 *
 * How a source file travels through this file:
 *
 *   1. The READER (asm_read_*) turns files into a flat list of statements.
 *      It is the only stage that knows about files, INCLUDE and macros:
 *      an INCLUDE is read in place, a MACRO ... MEND block is stored, and
 *      a macro call is replaced by its body with the parameters
 *      substituted.  Every statement remembers the file and line it came
 *      from, so that any later error can say file:line:col.
 *
 *   2. PASS 1 (asm_pass1) walks the statements once and decides the
 *      layout: the address, alignment padding and size of each statement,
 *      and the value of every label and EQU.  Sizes never depend on
 *      symbol values that are not yet known (an instruction is always
 *      4 bytes, LI always 8), which is why two passes are enough.  EQUs
 *      that refer forward are settled after the walk.
 *
 *   3. PASS 2 (asm_pass2) walks the statements again with every symbol
 *      known, encodes instructions and constants at the addresses pass 1
 *      chose, and tracks USING.  A statement that already failed in pass
 *      1 is skipped, so that each mistake is reported once.
 *
 *   4. The emitted byte runs are merged into the segments of the program
 *      image (sim/image.h), and the listing is written.
 *
 * Instruction encoding is driven by sim/isa.def: the operand syntax is
 * chosen by the instruction's format, and extended mnemonics come from
 * the VL32_ALIAS lines.  Only the directives and the LI and PSW pseudo
 * operations are named in this file.
 *
 * Diagnostics are collected, sorted by statement, and printed at the end
 * as "file:line:col: error: message".  Nothing in here trusts its input:
 * every scan is bounded by the statement's length.
 */
#include "asm.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ASM_MAX_SYMLEN     63
#define ASM_MAX_MACRO_DEPTH 32
#define ASM_MAX_INCLUDE_DEPTH 16
#define ASM_MAX_STMTS      250000   /* a runaway macro stops here */
#define ASM_MAX_DIAGS      10000    /* kept for sorting; max_errors printed */
#define ASM_MAX_CONST      (16u << 20) /* bytes one DC/DS may produce */
#define ASM_MAX_OPERANDS   64

/* ------------------------------------------------------------------ */
/* Data structures                                                     */

/* Where a statement came from.  file and via live in the string pool. */
struct asm_src {
	const char *file;
	int line;
	const char *via;  /* "macro NAME at file:line" for expanded lines */
};

enum asm_kind {
	K_NONE,   /* comment, blank, label only: no code */
	K_LIST,   /* only listed: MACRO bodies, INCLUDE, macro calls */
	K_INSN, K_LI, K_PSW, K_DC, K_DS, K_EQU, K_ORG, K_ALIGN,
	K_USING, K_DROP, K_ENTRY, K_END,
};

/* A text span inside a statement: offset and length. */
struct asm_span {
	int off, len;
};

struct asm_stmt {
	char *text;
	int len;
	struct asm_src src;
	struct asm_span label, op, opnd; /* label.len == 0: none */
	bool define_label;  /* false when a macro's body defines it instead */
	enum asm_kind kind;
	const struct vl32_insn_info *insn;
	int alias_mask;     /* -1, or the r1 an extended mnemonic fixes */
	bool bad;           /* pass 1 reported an error: skip in pass 2 */
	bool expanded;      /* came from a macro body (listing shows '+') */
	bool equ_done;      /* an EQU whose symbol is defined */
	int *colmap;        /* expanded line: text offset -> column in the
			       macro body line (len + 1 entries), else NULL */
	uint32_t addr, pad, size;
	uint8_t list[8];
	int nlist;
};

enum asm_symkind { SYM_PREDEF, SYM_LABEL, SYM_EQU };

struct asm_sym {
	struct asm_sym *next;
	char name[ASM_MAX_SYMLEN + 1]; /* upper case */
	uint32_t value;
	enum asm_symkind kind;
	struct asm_src src;
};

#define ASM_SYM_BUCKETS 1024

struct asm_macparam {
	char name[ASM_MAX_SYMLEN + 1];  /* without '&', upper case */
	bool keyword;
	char *def;                      /* keyword default */
};

struct asm_macline {
	char *text;
	struct asm_src src;
};

struct asm_macro {
	struct asm_macro *next;
	char name[ASM_MAX_SYMLEN + 1];
	char label[ASM_MAX_SYMLEN + 1];   /* the &LABEL parameter, or "" */
	struct asm_macparam *params;
	int nparams;
	struct asm_macline *body;
	int nbody, capbody;
	struct asm_src src;
};

struct asm_diag {
	long seq;       /* statement index it belongs to: sort key */
	long order;     /* tie break: the order of discovery */
	char *text;
};

/* One run of bytes emitted by pass 2, in emission order. */
struct asm_run {
	uint32_t addr;
	uint32_t len, cap;
	uint8_t *data;
	long order;
};

struct asm_pool {  /* strings that live as long as the assembly */
	char **s;
	int n, cap;
};

struct assembler {
	const struct asm_options *opt;
	struct asm_options defopt;

	struct asm_stmt *st;
	long nst, capst;
	bool ended;        /* END seen: later lines are ignored */
	bool stop;         /* too many statements: stop reading */

	/* Macro definition in progress. */
	struct asm_macro *defining;
	int def_nest;      /* MACRO lines inside the body being defined */
	bool want_proto;   /* the next line is the prototype */
	struct asm_src macro_src;
	struct asm_macro *macros;
	struct asm_macro *retired;  /* redefined: freed at the end */
	int macro_depth;
	unsigned sysndx;
	int include_depth;

	struct asm_sym *sym[ASM_SYM_BUCKETS];

	struct asm_diag *diag;
	long ndiag, capdiag;
	long cur_seq;

	/* Pass 2 state. */
	bool using_on[16];
	uint32_t using_base[16];
	bool have_entry, have_default_entry;
	uint32_t entry, default_entry;
	struct asm_run *run;
	long nrun, caprun;

	struct asm_pool pool;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void *asm_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "vmlab asm: out of memory\n");
		abort(); /* nothing sensible to do; no partial output exists */
	}
	return q;
}

static char *asm_xstrndup(const char *s, size_t n)
{
	char *d = asm_xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Keep a string alive until the end of the assembly. */
static const char *asm_pool_add(struct assembler *a, char *s)
{
	if (a->pool.n == a->pool.cap) {
		a->pool.cap = a->pool.cap ? a->pool.cap * 2 : 16;
		a->pool.s = asm_xrealloc(a->pool.s, a->pool.cap * sizeof *a->pool.s);
	}
	a->pool.s[a->pool.n++] = s;
	return s;
}

/* Character classes by hand, not <ctype.h>: source bytes above 127 are
 * ordinary data here, and isalpha() of a negative char is undefined. */
static bool asm_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
static bool asm_digit(int c) { return c >= '0' && c <= '9'; }
static bool asm_letter(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool asm_sym_start(int c) { return asm_letter(c) || c == '_' || c == '@' || c == '$' || c == '#'; }
static bool asm_sym_char(int c) { return asm_sym_start(c) || asm_digit(c); }
static int asm_upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static int asm_hexval(int c)
{
	if (asm_digit(c))
		return c - '0';
	c = asm_upper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool asm_span_is(const struct asm_stmt *s, struct asm_span sp, const char *word)
{
	size_t n = strlen(word);
	return sp.len == (int)n && strncasecmp(s->text + sp.off, word, n) == 0;
}

/* Copy a span to an upper-case NUL-terminated name; false if too long. */
static bool asm_span_name(const char *text, struct asm_span sp, char *out)
{
	if (sp.len > ASM_MAX_SYMLEN)
		return false;
	for (int i = 0; i < sp.len; i++)
		out[i] = (char)asm_upper((unsigned char)text[sp.off + i]);
	out[sp.len] = 0;
	return true;
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

static void asm_verror(struct assembler *a, const struct asm_src *src, int col,
		       const char *fmt, va_list ap)
{
	if (a->ndiag >= ASM_MAX_DIAGS)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	char line[1024];
	if (src->via)
		snprintf(line, sizeof line, "%s:%d:%d: error: %s (in %s)",
			 src->file, src->line, col, msg, src->via);
	else
		snprintf(line, sizeof line, "%s:%d:%d: error: %s",
			 src->file, src->line, col, msg);
	if (a->ndiag == a->capdiag) {
		a->capdiag = a->capdiag ? a->capdiag * 2 : 16;
		a->diag = asm_xrealloc(a->diag, a->capdiag * sizeof *a->diag);
	}
	a->diag[a->ndiag] = (struct asm_diag){ a->cur_seq, a->ndiag,
					       asm_xstrndup(line, strlen(line)) };
	a->ndiag++;
}

static void asm_error_at(struct assembler *a, const struct asm_src *src, int col,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void asm_error_at(struct assembler *a, const struct asm_src *src, int col,
			 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	asm_verror(a, src, col, fmt, ap);
	va_end(ap);
}

/* The column a person sees for text offset off of statement s: off + 1
 * for a line of a file; for a line made by a macro expansion, the column
 * in the macro's body line where that text came from (a parameter's
 * value maps to the &PARAM it replaced). */
static int asm_col(const struct asm_stmt *s, int off)
{
	if (off < 0)
		return 1;
	if (off > s->len)
		off = s->len;
	return s->colmap ? s->colmap[off] + 1 : off + 1;
}

/* An error in statement s at text offset off. */
static void asm_error(struct assembler *a, const struct asm_stmt *s, int off,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void asm_error(struct assembler *a, const struct asm_stmt *s, int off,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	asm_verror(a, &s->src, asm_col(s, off), fmt, ap);
	va_end(ap);
}

static int asm_diag_cmp(const void *x, const void *y)
{
	const struct asm_diag *p = x, *q = y;
	if (p->seq != q->seq)
		return p->seq < q->seq ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* ------------------------------------------------------------------ */
/* Symbols                                                             */

static unsigned asm_hash(const char *upper)
{
	unsigned h = 2166136261u;  /* FNV-1a */
	for (; *upper; upper++)
		h = (h ^ (unsigned char)*upper) * 16777619u;
	return h % ASM_SYM_BUCKETS;
}

static struct asm_sym *asm_sym_find(struct assembler *a, const char *upper)
{
	for (struct asm_sym *s = a->sym[asm_hash(upper)]; s; s = s->next)
		if (!strcmp(s->name, upper))
			return s;
	return NULL;
}

static struct asm_sym *asm_sym_add(struct assembler *a, const char *upper, uint32_t v,
				   enum asm_symkind kind, const struct asm_src *src)
{
	struct asm_sym *s = asm_xrealloc(NULL, sizeof *s);
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", upper);
	s->value = v;
	s->kind = kind;
	if (src)
		s->src = *src;
	unsigned h = asm_hash(upper);
	s->next = a->sym[h];
	a->sym[h] = s;
	return s;
}

/* Define the label span sp of statement s; reports duplicates. */
static void asm_define(struct assembler *a, struct asm_stmt *s, struct asm_span sp,
		       uint32_t v, enum asm_symkind kind)
{
	char name[ASM_MAX_SYMLEN + 1];
	const char *t = s->text + sp.off;
	if (!asm_sym_start((unsigned char)t[0])) {
		asm_error(a, s, sp.off, "bad label '%.*s': a label starts with a letter or _ @ $ #",
			  sp.len, t);
		return;
	}
	for (int i = 1; i < sp.len; i++)
		if (!asm_sym_char((unsigned char)t[i])) {
			asm_error(a, s, sp.off + i, "bad character '%c' in label", t[i]);
			return;
		}
	if (!asm_span_name(s->text, sp, name)) {
		asm_error(a, s, sp.off, "label longer than %d characters", ASM_MAX_SYMLEN);
		return;
	}
	struct asm_sym *old = asm_sym_find(a, name);
	if (old && old->kind == SYM_PREDEF) {
		asm_error(a, s, sp.off, "'%s' is predefined and cannot be redefined", name);
		return;
	}
	if (old) {
		asm_error(a, s, sp.off, "'%s' is already defined at %s:%d", name,
			  old->src.file, old->src.line);
		return;
	}
	asm_sym_add(a, name, v, kind, &s->src);
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */

/*
 * A recursive-descent evaluator over one span of a statement.  Errors
 * are reported at the offending column unless the context is quiet;
 * an undefined symbol is either an error (pass 2) or just noted (pass 1,
 * where a forward reference is normal).
 */
struct asm_expr {
	struct assembler *a;
	struct asm_stmt *s;
	const char *t;
	int pos, end;
	uint32_t here;      /* value of '*' */
	bool undef_ok;      /* note undefined symbols instead of reporting */
	bool quiet;         /* report nothing (deferred EQU retries) */
	bool undef;         /* an undefined symbol was used */
	bool err;           /* an error was found (and reported unless quiet) */
	char undef_name[ASM_MAX_SYMLEN + 1]; /* the first undefined symbol */
	int depth;
};

static void ex_init(struct asm_expr *e, struct assembler *a, struct asm_stmt *s,
		    int off, int len, bool undef_ok)
{
	memset(e, 0, sizeof *e);
	e->a = a;
	e->s = s;
	e->t = s->text;
	e->pos = off;
	e->end = off + len;
	e->here = s->addr + s->pad;
	e->undef_ok = undef_ok;
}

static void ex_fail(struct asm_expr *e, int at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ex_fail(struct asm_expr *e, int at, const char *fmt, ...)
{
	if (e->err)
		return;  /* one error per expression is enough */
	e->err = true;
	if (e->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	asm_verror(e->a, &e->s->src, asm_col(e->s, at), fmt, ap);
	va_end(ap);
}

static int ex_peek(struct asm_expr *e)
{
	while (e->pos < e->end && asm_blank((unsigned char)e->t[e->pos]))
		e->pos++;
	return e->pos < e->end ? (unsigned char)e->t[e->pos] : 0;
}

static uint32_t ex_or(struct asm_expr *e);

/* X'hex', B'bin', C'chars' as a term; pos is at the letter. */
static uint32_t ex_quoted(struct asm_expr *e)
{
	int start = e->pos;
	int type = asm_upper((unsigned char)e->t[e->pos]);
	e->pos += 2;
	uint64_t v = 0;
	int n = 0;
	for (;;) {
		if (e->pos >= e->end) {
			ex_fail(e, start, "unterminated %c'...' constant", type);
			return 0;
		}
		int c = (unsigned char)e->t[e->pos];
		if (c == '\'') {
			if (type == 'C' && e->pos + 1 < e->end && e->t[e->pos + 1] == '\'') {
				e->pos++;  /* '' is one quote */
			} else {
				e->pos++;
				break;
			}
		}
		if (type == 'X') {
			int h = asm_hexval(c);
			if (h < 0) {
				ex_fail(e, e->pos, "bad hex digit '%c' in X'...'", c);
				return 0;
			}
			v = v << 4 | (unsigned)h;
		} else if (type == 'B') {
			if (c != '0' && c != '1') {
				ex_fail(e, e->pos, "bad binary digit '%c' in B'...'", c);
				return 0;
			}
			v = v << 1 | (unsigned)(c - '0');
		} else {
			v = v << 8 | (unsigned)c;
		}
		n++;
		e->pos++;
		if (v > UINT32_MAX || (type == 'C' && n > 4)) {
			ex_fail(e, start, "%c'...' term does not fit in 32 bits", type);
			return 0;
		}
	}
	if (n == 0)
		ex_fail(e, start, "empty %c'' term", type);
	return (uint32_t)v;
}

static uint32_t ex_primary(struct asm_expr *e)
{
	int c = ex_peek(e);
	int start = e->pos;
	if (c == 0) {
		ex_fail(e, start, "missing expression");
		return 0;
	}
	if (c == '(') {
		if (++e->depth > 64) {
			ex_fail(e, start, "expression nested too deeply");
			return 0;
		}
		e->pos++;
		uint32_t v = ex_or(e);
		if (ex_peek(e) != ')') {
			ex_fail(e, e->pos, "missing ')'");
			return 0;
		}
		e->pos++;
		e->depth--;
		return v;
	}
	if (c == '*') {
		e->pos++;
		return e->here;
	}
	if (asm_digit(c)) {
		uint64_t v = 0;
		int base = 10;
		if (c == '0' && e->pos + 1 < e->end && asm_upper((unsigned char)e->t[e->pos + 1]) == 'X') {
			base = 16;
			e->pos += 2;
			if (e->pos >= e->end || asm_hexval((unsigned char)e->t[e->pos]) < 0) {
				ex_fail(e, start, "0x needs hex digits");
				return 0;
			}
		}
		while (e->pos < e->end) {
			int d = asm_hexval((unsigned char)e->t[e->pos]);
			if (d < 0 || d >= base)
				break;
			v = v * (unsigned)base + (unsigned)d;
			if (v > UINT32_MAX) {
				ex_fail(e, start, "number does not fit in 32 bits");
				return 0;
			}
			e->pos++;
		}
		if (e->pos < e->end && asm_sym_char((unsigned char)e->t[e->pos])) {
			ex_fail(e, e->pos, "bad digit '%c' in number", e->t[e->pos]);
			return 0;
		}
		return (uint32_t)v;
	}
	int up = asm_upper(c);
	if ((up == 'X' || up == 'B' || up == 'C') && e->pos + 1 < e->end &&
	    e->t[e->pos + 1] == '\'')
		return ex_quoted(e);
	if (asm_sym_start(c)) {
		int n = 0;
		while (e->pos + n < e->end && asm_sym_char((unsigned char)e->t[e->pos + n]))
			n++;
		e->pos += n;
		char name[ASM_MAX_SYMLEN + 1];
		if (!asm_span_name(e->t, (struct asm_span){ start, n }, name)) {
			ex_fail(e, start, "symbol longer than %d characters", ASM_MAX_SYMLEN);
			return 0;
		}
		struct asm_sym *sym = asm_sym_find(e->a, name);
		if (sym)
			return sym->value;
		if (!e->undef)
			snprintf(e->undef_name, sizeof e->undef_name, "%s", name);
		e->undef = true;
		if (!e->undef_ok)
			ex_fail(e, start, "undefined symbol '%s'", name);
		return 0;
	}
	if (c == '\'')
		ex_fail(e, start, "unexpected quote: a quoted term is X'..', B'..' or C'..'");
	else
		ex_fail(e, start, "unexpected '%c' in expression", c);
	return 0;
}

static uint32_t ex_unary(struct asm_expr *e)
{
	int c = ex_peek(e);
	if (c == '-' || c == '~' || c == '+') {
		int start = e->pos;
		e->pos++;
		if (++e->depth > 64) {
			ex_fail(e, start, "expression nested too deeply");
			return 0;
		}
		uint32_t v = ex_unary(e);
		e->depth--;
		return c == '-' ? 0u - v : c == '~' ? ~v : v;
	}
	return ex_primary(e);
}

static uint32_t ex_mul(struct asm_expr *e)
{
	uint32_t v = ex_unary(e);
	for (;;) {
		int c = ex_peek(e);
		if (e->err || (c != '*' && c != '/' && c != '%'))
			return v;
		int at = e->pos++;
		uint32_t r = ex_unary(e);
		if (c == '*') {
			v *= r;
		} else if (r == 0) {
			if (!e->undef) /* 0 stood in for an undefined symbol */
				ex_fail(e, at, "division by zero");
			v = 0;
		} else {
			v = c == '/' ? v / r : v % r;
		}
	}
}

static uint32_t ex_add(struct asm_expr *e)
{
	uint32_t v = ex_mul(e);
	for (;;) {
		int c = ex_peek(e);
		if (e->err || (c != '+' && c != '-'))
			return v;
		e->pos++;
		uint32_t r = ex_mul(e);
		v = c == '+' ? v + r : v - r;
	}
}

static uint32_t ex_shift(struct asm_expr *e)
{
	uint32_t v = ex_add(e);
	for (;;) {
		int c = ex_peek(e);
		if (e->err || !((c == '<' || c == '>') && e->pos + 1 < e->end &&
				e->t[e->pos + 1] == c))
			return v;
		e->pos += 2;
		uint32_t r = ex_add(e);
		/* Shifting a 32-bit value by 32 or more is undefined in C;
		 * here it simply gives 0. */
		if (r >= 32)
			v = 0;
		else
			v = c == '<' ? v << r : v >> r;
	}
}

static uint32_t ex_and(struct asm_expr *e)
{
	uint32_t v = ex_shift(e);
	while (!e->err && ex_peek(e) == '&') {
		e->pos++;
		v &= ex_shift(e);
	}
	return v;
}

static uint32_t ex_xor(struct asm_expr *e)
{
	uint32_t v = ex_and(e);
	while (!e->err && ex_peek(e) == '^') {
		e->pos++;
		v ^= ex_and(e);
	}
	return v;
}

static uint32_t ex_or(struct asm_expr *e)
{
	uint32_t v = ex_xor(e);
	while (!e->err && ex_peek(e) == '|') {
		e->pos++;
		v |= ex_xor(e);
	}
	return v;
}

/* Results of evaluating a whole span. */
enum { EX_OK = 0, EX_UNDEF = 1, EX_ERR = -1 };

/* Evaluate span (off,len) of s completely.  undef_ok: an undefined symbol
 * gives EX_UNDEF silently; else it is an error. */
static int asm_eval(struct assembler *a, struct asm_stmt *s, int off, int len,
		    bool undef_ok, uint32_t *val)
{
	struct asm_expr e;
	ex_init(&e, a, s, off, len, undef_ok);
	*val = ex_or(&e);
	if (!e.err && ex_peek(&e) != 0)
		ex_fail(&e, e.pos, "unexpected '%c' after expression", e.t[e.pos]);
	if (e.err)
		return EX_ERR;
	return e.undef ? EX_UNDEF : EX_OK;
}

/* Like asm_eval but reports nothing at all (for retries); undef, if not
 * NULL, receives the first undefined symbol's name. */
static int asm_eval_quiet(struct assembler *a, struct asm_stmt *s, int off, int len,
			  uint32_t *val, char *undef)
{
	struct asm_expr e;
	ex_init(&e, a, s, off, len, true);
	e.quiet = true;
	*val = ex_or(&e);
	if (!e.err && ex_peek(&e) != 0)
		e.err = true;
	if (undef)
		strcpy(undef, e.undef_name);
	if (e.err)
		return EX_ERR;
	return e.undef ? EX_UNDEF : EX_OK;
}

/* ------------------------------------------------------------------ */
/* Splitting a statement                                               */

/* Split a line into label, opcode and operand field (see ASM.md). */
static void asm_fields(struct asm_stmt *s)
{
	const char *t = s->text;
	int n = s->len, i = 0;
	s->label = s->op = s->opnd = (struct asm_span){ 0, 0 };
	if (n == 0 || t[0] == '*' || t[0] == ';')
		return;
	if (!asm_blank((unsigned char)t[0])) {
		while (i < n && !asm_blank((unsigned char)t[i]) && t[i] != ';')
			i++;
		s->label = (struct asm_span){ 0, i };
		if (i > 1 && t[i - 1] == ':')
			s->label.len--;
	}
	while (i < n && asm_blank((unsigned char)t[i]))
		i++;
	if (i >= n || t[i] == ';')
		return;
	int o = i;
	while (i < n && !asm_blank((unsigned char)t[i]) && t[i] != ';')
		i++;
	s->op = (struct asm_span){ o, i - o };
	while (i < n && asm_blank((unsigned char)t[i]))
		i++;
	int start = i;
	bool q = false;
	while (i < n && (q || t[i] != ';')) {
		if (t[i] == '\'')
			q = !q;
		i++;
	}
	while (i > start && asm_blank((unsigned char)t[i - 1]))
		i--;
	s->opnd = (struct asm_span){ start, i - start };
}

/* Split span sp at top-level commas (outside quotes and parentheses).
 * Each operand is trimmed.  Returns the count, or -1 if more than max. */
static int asm_split(const char *t, struct asm_span sp, struct asm_span *out, int max)
{
	if (sp.len == 0)
		return 0;
	int n = 0, depth = 0, start = sp.off, end = sp.off + sp.len;
	bool q = false;
	for (int i = sp.off; i <= end; i++) {
		if (i < end) {
			char c = t[i];
			if (c == '\'')
				q = !q;
			if (q)
				continue;
			if (c == '(')
				depth++;
			else if (c == ')' && depth > 0)
				depth--;
			if (c != ',' || depth > 0)
				continue;
		}
		if (n == max)
			return -1;
		int a = start, b = i;
		while (a < b && asm_blank((unsigned char)t[a]))
			a++;
		while (b > a && asm_blank((unsigned char)t[b - 1]))
			b--;
		out[n++] = (struct asm_span){ a, b - a };
		start = i + 1;
	}
	return n;
}

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

static void asm_macro_free(struct asm_macro *m)
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

/* Growable string for macro substitution. */
struct asm_buf {
	char *p;
	size_t n, cap;
};

static void asm_buf_add(struct asm_buf *b, const char *s, size_t n)
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

static void asm_read_text(struct assembler *a, const char *file, const char *text, size_t len);

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
	struct asm_buf b = { 0 };
	char chunk[8192];
	size_t got;
	asm_buf_add(&b, "", 0);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		asm_buf_add(&b, chunk, got);
	bool rerr = ferror(f);
	fclose(f);
	if (rerr) {
		asm_error(a, s, s->opnd.off, "cannot read INCLUDE file '%s'", path);
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

static void asm_read_text(struct assembler *a, const char *file, const char *text, size_t len)
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

/* ------------------------------------------------------------------ */
/* Constants: DC and DS                                                */

/*
 * One DC/DS operand, parsed: [dup]type[Llen]'values' or [dup]A(exprs).
 * Pass 1 uses the sizes; pass 2 (DC only) the values.
 */
struct asm_dcop {
	uint32_t dup;
	int type;              /* F H A X B C D */
	bool has_len;
	uint32_t len;          /* bytes per value: the L modifier or natural */
	uint32_t nvals;        /* values per copy */
	int vals_off, vals_len; /* inside quotes or parentheses; -1 if none */
	uint32_t align;
};

static uint32_t asm_dc_unit(int type)
{
	switch (type) {
	case 'F': case 'A': return 4;
	case 'H': return 2;
	case 'D': return 8;
	default: return 1;
	}
}

/* Parse a decimal number or a (expression) for a duplication factor or
 * length; must be defined in pass 1. */
static int asm_dc_count(struct assembler *a, struct asm_stmt *s, int *pos, int end,
			uint32_t *out, const char *what)
{
	const char *t = s->text;
	int start = *pos;
	if (*pos < end && t[*pos] == '(') {
		int depth = 0, i = *pos;
		for (; i < end; i++) {
			if (t[i] == '(')
				depth++;
			else if (t[i] == ')' && --depth == 0)
				break;
		}
		if (i >= end) {
			asm_error(a, s, start, "missing ')' in %s", what);
			return -1;
		}
		int r = asm_eval(a, s, start + 1, i - start - 1, true, out);
		if (r == EX_UNDEF) {
			asm_error(a, s, start, "%s uses a symbol defined later; define it first", what);
			return -1;
		}
		if (r != EX_OK)
			return -1;
		*pos = i + 1;
		return 0;
	}
	uint64_t v = 0;
	while (*pos < end && asm_digit((unsigned char)t[*pos])) {
		v = v * 10 + (unsigned)(t[*pos] - '0');
		if (v > ASM_MAX_CONST) {
			asm_error(a, s, start, "%s too large", what);
			return -1;
		}
		(*pos)++;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Parse one operand's structure and count its values. */
static int asm_dc_parse(struct assembler *a, struct asm_stmt *s, struct asm_span sp,
			bool ds, struct asm_dcop *d)
{
	const char *t = s->text;
	int pos = sp.off, end = sp.off + sp.len;
	memset(d, 0, sizeof *d);
	d->dup = 1;
	d->vals_off = -1;
	if (sp.len == 0) {
		asm_error(a, s, sp.off, "missing constant: e.g. F'1', CL8'TEXT', A(LABEL)");
		return -1;
	}
	if (pos < end && (asm_digit((unsigned char)t[pos]) || t[pos] == '('))
		if (asm_dc_count(a, s, &pos, end, &d->dup, "duplication factor") < 0)
			return -1;
	if (pos >= end) {
		asm_error(a, s, sp.off, "missing constant type (F H A X B C D)");
		return -1;
	}
	d->type = asm_upper((unsigned char)t[pos]);
	if (!strchr("FHAXBCD", d->type) || d->type == 0) {
		asm_error(a, s, pos, "unknown constant type '%c' (F H A X B C D)", t[pos]);
		return -1;
	}
	pos++;
	d->len = asm_dc_unit(d->type);
	d->align = d->len;
	if (pos < end && asm_upper((unsigned char)t[pos]) == 'L') {
		if (!strchr("CXB", d->type)) {
			asm_error(a, s, pos, "a length modifier is for C, X and B constants only");
			return -1;
		}
		int lpos = ++pos;
		if (pos >= end || !(asm_digit((unsigned char)t[pos]) || t[pos] == '(')) {
			asm_error(a, s, lpos, "L needs a length: e.g. CL80'TEXT'");
			return -1;
		}
		if (asm_dc_count(a, s, &pos, end, &d->len, "length") < 0)
			return -1;
		if (d->len == 0 || d->len > 65535) {
			asm_error(a, s, lpos, "length %u out of range 1..65535", d->len);
			return -1;
		}
		d->has_len = true;
		d->align = 1;
	}
	if (d->type == 'A') {
		if (pos < end && t[pos] == '(') {
			if (t[end - 1] != ')') {
				asm_error(a, s, pos, "A constant: missing ')'");
				return -1;
			}
			d->vals_off = pos + 1;
			d->vals_len = end - 1 - pos - 1;
			struct asm_span vs[ASM_MAX_OPERANDS];
			int n = asm_split(t, (struct asm_span){ d->vals_off, d->vals_len }, vs,
					  ASM_MAX_OPERANDS);
			if (n < 0) {
				asm_error(a, s, pos, "more than %d values in one A constant", ASM_MAX_OPERANDS);
				return -1;
			}
			for (int i = 0; i < n; i++)
				if (vs[i].len == 0) {
					asm_error(a, s, vs[i].off, "missing expression in A(...)");
					return -1;
				}
			d->nvals = (uint32_t)n;
			pos = end;
		} else if (pos < end) {
			asm_error(a, s, pos, "A constant: expected A(expression,...)");
			return -1;
		}
	} else if (pos < end) {
		if (t[pos] != '\'') {
			asm_error(a, s, pos, "expected a quoted value after %c, e.g. %c'...'",
				  d->type, d->type);
			return -1;
		}
		/* Find the closing quote ('' is an embedded quote). */
		int i = pos + 1;
		for (;;) {
			if (i >= end) {
				asm_error(a, s, pos, "unterminated quoted constant");
				return -1;
			}
			if (t[i] == '\'') {
				if (i + 1 < end && t[i + 1] == '\'') {
					i += 2;
					continue;
				}
				break;
			}
			i++;
		}
		if (i + 1 != end) {
			asm_error(a, s, i + 1, "unexpected text after the constant's closing quote");
			return -1;
		}
		d->vals_off = pos + 1;
		d->vals_len = i - pos - 1;
		pos = end;
	}
	if (pos != end) {
		asm_error(a, s, pos, "unexpected '%c' in constant", t[pos]);
		return -1;
	}
	if (d->vals_off < 0) {
		/* DS needs no value; neither does DC 0F, which only aligns. */
		if (!ds && d->dup != 0) {
			asm_error(a, s, sp.off, "DC needs a value: e.g. %c%s", d->type,
				  d->type == 'A' ? "(LABEL)" : "'0'");
			return -1;
		}
		d->nvals = 1;
		return 0;
	}
	/* Count the values and check their syntax, so that pass 2 only has
	 * to convert them. */
	const char *v = t + d->vals_off;
	int vl = d->vals_len;
	if (d->type == 'A')
		return 0;
	if (vl == 0 && !d->has_len) {
		asm_error(a, s, d->vals_off - 1, "empty constant");
		return -1;
	}
	if (d->type == 'C') {
		uint32_t n = 0;
		for (int k = 0; k < vl; k++, n++)
			if (v[k] == '\'')
				k++;
		if (!d->has_len)
			d->len = n;
		d->nvals = 1;
	} else if (d->type == 'X' || d->type == 'B') {
		int per = d->type == 'X' ? 2 : 8;
		for (int k = 0; k < vl; k++) {
			bool ok = d->type == 'X' ? asm_hexval((unsigned char)v[k]) >= 0
						 : (v[k] == '0' || v[k] == '1');
			if (!ok) {
				asm_error(a, s, d->vals_off + k, "bad %s digit '%c'",
					  d->type == 'X' ? "hex" : "binary", v[k]);
				return -1;
			}
		}
		if (!d->has_len)
			d->len = (uint32_t)(vl + per - 1) / (uint32_t)per;
		d->nvals = 1;
	} else { /* F H D: signed or unsigned decimal integers */
		struct asm_span vs[ASM_MAX_OPERANDS];
		int n = asm_split(t, (struct asm_span){ d->vals_off, d->vals_len }, vs, ASM_MAX_OPERANDS);
		if (n < 0) {
			asm_error(a, s, d->vals_off, "more than %d values in one constant", ASM_MAX_OPERANDS);
			return -1;
		}
		for (int k = 0; k < n; k++) {
			const char *p = t + vs[k].off;
			int m = vs[k].len, j = 0;
			bool neg = false;
			if (j < m && (p[j] == '-' || p[j] == '+'))
				neg = p[j++] == '-';
			if (j == m) {
				asm_error(a, s, vs[k].off, "missing number in %c constant", d->type);
				return -1;
			}
			uint64_t x = 0;
			bool big = false;
			for (; j < m; j++) {
				if (!asm_digit((unsigned char)p[j])) {
					asm_error(a, s, vs[k].off + j,
						  "bad digit '%c' in %c constant (decimal integers only)",
						  p[j], d->type);
					return -1;
				}
				unsigned dig = (unsigned)(p[j] - '0');
				if (x > (UINT64_MAX - dig) / 10)
					big = true;
				else
					x = x * 10 + dig;
			}
			/* Signed or unsigned range of the unit size. */
			uint64_t lim = d->type == 'H' ? 0xFFFFu : d->type == 'F' ? 0xFFFFFFFFu : UINT64_MAX;
			uint64_t nlim = d->type == 'H' ? 0x8000u : d->type == 'F' ? 0x80000000u
								   : (uint64_t)1 << 63;
			if (big || (neg ? x > nlim : x > lim)) {
				asm_error(a, s, vs[k].off, "%.*s does not fit in a %u-byte %c constant",
					  m, p, asm_dc_unit(d->type), d->type);
				return -1;
			}
		}
		d->nvals = (uint32_t)n;
	}
	return 0;
}

/* Convert the values of a parsed F, H or D item number k. */
static uint64_t asm_dc_number(const char *p, int m)
{
	int j = 0;
	bool neg = false;
	if (j < m && (p[j] == '-' || p[j] == '+'))
		neg = p[j++] == '-';
	uint64_t x = 0;
	for (; j < m; j++)
		x = x * 10 + (unsigned)(p[j] - '0');
	return neg ? 0 - x : x;
}

/* Store v big-endian in n bytes (n <= 8). */
static void asm_put_be(uint8_t *p, uint64_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/*
 * Lay out (out == NULL) or build (out != NULL, pass 2, DC) a DC/DS
 * statement starting at addr.  *pad is the alignment of the first
 * operand (the label's address is addr + pad); *size the rest.
 */
static int asm_dc(struct assembler *a, struct asm_stmt *s, bool ds, uint32_t addr,
		  uint32_t *pad, uint32_t *size, uint8_t *out)
{
	struct asm_span ops[ASM_MAX_OPERANDS];
	int nops = asm_split(s->text, s->opnd, ops, ASM_MAX_OPERANDS);
	if (nops <= 0) {
		asm_error(a, s, nops < 0 ? s->opnd.off : s->op.off,
			  nops < 0 ? "too many operands" : "%s needs an operand: e.g. F'0', CL8' ', A(X)",
			  ds ? "DS" : "DC");
		return -1;
	}
	uint64_t at = addr;    /* current address */
	uint64_t first = 0;
	for (int i = 0; i < nops; i++) {
		struct asm_dcop d;
		if (asm_dc_parse(a, s, ops[i], ds, &d) < 0)
			return -1;
		uint64_t aligned = (at + d.align - 1) / d.align * d.align;
		if (i == 0)
			first = aligned;
		uint64_t one = (uint64_t)d.len * d.nvals;
		uint64_t total = one * d.dup;
		if (aligned - addr + total > ASM_MAX_CONST) {
			asm_error(a, s, ops[i].off, "constant larger than %u bytes", ASM_MAX_CONST);
			return -1;
		}
		if (out && !ds && total) {
			uint8_t *p = out + (aligned - addr);
			const char *t = s->text + d.vals_off;
			int vl = d.vals_len;
			/* Build one copy, then duplicate it. */
			if (d.type == 'C') {
				uint32_t k = 0;
				for (int j = 0; j < vl && k < d.len; j++, k++) {
					if (t[j] == '\'')
						j++;
					p[k] = (uint8_t)t[j];
				}
				for (; k < d.len; k++)
					p[k] = ' ';
			} else if (d.type == 'X' || d.type == 'B') {
				/* Right-aligned, as numbers: an explicit length pads
				 * or truncates on the left (X'1' in XL2 is 00 01). */
				int bits = d.type == 'X' ? 4 : 1;
				memset(p, 0, d.len);
				uint64_t bit = 0;
				for (int j = vl - 1; j >= 0; j--) {
					unsigned dv = d.type == 'X' ? (unsigned)asm_hexval((unsigned char)t[j])
								    : (unsigned)(t[j] - '0');
					for (int b = 0; b < bits; b++, bit++) {
						uint64_t byte = bit / 8;
						if ((dv >> b & 1) && byte < d.len)
							p[d.len - 1 - byte] |= (uint8_t)(1u << (bit % 8));
					}
				}
			} else if (d.type == 'A') {
				struct asm_span vs[ASM_MAX_OPERANDS];
				int n = asm_split(s->text, (struct asm_span){ d.vals_off, d.vals_len },
						  vs, ASM_MAX_OPERANDS);
				for (int j = 0; j < n; j++) {
					uint32_t v;
					if (asm_eval(a, s, vs[j].off, vs[j].len, false, &v) != EX_OK)
						return -1;
					asm_put_be(p + 4 * j, v, 4);
				}
			} else {
				struct asm_span vs[ASM_MAX_OPERANDS];
				int n = asm_split(s->text, (struct asm_span){ d.vals_off, d.vals_len },
						  vs, ASM_MAX_OPERANDS);
				for (int j = 0; j < n; j++)
					asm_put_be(p + d.len * (uint32_t)j,
						   asm_dc_number(s->text + vs[j].off, vs[j].len), d.len);
			}
			for (uint32_t c = 1; c < d.dup; c++)
				memcpy(p + c * one, p, one);
		}
		at = aligned + total;
	}
	*pad = (uint32_t)(first - addr);
	*size = (uint32_t)(at - first);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pass 1: layout                                                      */

enum { ALIGN_INSN = 4, ALIGN_PSW = 8 };

/* Decide what statement s is. */
static void asm_classify(struct assembler *a, struct asm_stmt *s)
{
	char op[ASM_MAX_SYMLEN + 1];
	if (s->op.len == 0)
		return;
	if (!asm_span_name(s->text, s->op, op)) {
		asm_error(a, s, s->op.off, "unknown operation '%.*s'", s->op.len, s->text + s->op.off);
		s->bad = true;
		return;
	}
	static const struct { const char *name; enum asm_kind kind; } dirs[] = {
		{ "EQU", K_EQU }, { "ORG", K_ORG }, { "ALIGN", K_ALIGN }, { "DC", K_DC },
		{ "DS", K_DS }, { "USING", K_USING }, { "DROP", K_DROP },
		{ "END", K_END }, { "ENTRY", K_ENTRY }, { "LI", K_LI }, { "PSW", K_PSW },
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (!strcmp(op, dirs[i].name)) {
			s->kind = dirs[i].kind;
			return;
		}
	const struct vl32_insn_info *in = vl32_lookup(op);
	if (in) {
		s->kind = K_INSN;
		s->insn = in;
		return;
	}
	for (int i = 0; i < vl32_alias_count; i++)
		if (!strcasecmp(vl32_aliases[i].name, op)) {
			s->kind = K_INSN;
			s->insn = &vl32_isa[vl32_aliases[i].opcode];
			s->alias_mask = vl32_aliases[i].mask;
			return;
		}
	asm_error(a, s, s->op.off, "unknown operation '%.*s'", s->op.len, s->text + s->op.off);
	s->bad = true;
}

/* Evaluate an operand that must be known in pass 1 (ORG, ALIGN). */
static int asm_eval_now(struct assembler *a, struct asm_stmt *s, struct asm_span sp,
			const char *what, uint32_t *v)
{
	if (sp.len == 0) {
		asm_error(a, s, sp.off ? sp.off : s->op.off, "%s needs an operand", what);
		return -1;
	}
	int r = asm_eval(a, s, sp.off, sp.len, true, v);
	if (r == EX_UNDEF) {
		/* Report which symbol: evaluate again, this time strictly. */
		asm_eval(a, s, sp.off, sp.len, false, v);
		return -1;
	}
	return r == EX_OK ? 0 : -1;
}

static void asm_pass1(struct assembler *a)
{
	uint64_t loc = 0;
	uint32_t highest = 0;
	for (long i = 0; i < a->nst; i++) {
		struct asm_stmt *s = &a->st[i];
		a->cur_seq = i;
		if (s->kind == K_NONE)
			asm_classify(a, s);
		s->addr = (uint32_t)loc;
		uint32_t align = 1;
		bool label_before = false;  /* ORG: the label is the old address */
		switch (s->kind) {
		case K_NONE:
		case K_LIST:
		case K_USING:
		case K_DROP:
		case K_ENTRY:
		case K_END:
			break;
		case K_INSN:
			align = ALIGN_INSN;
			s->size = 4;
			break;
		case K_LI:
			align = ALIGN_INSN;
			s->size = 8;
			break;
		case K_PSW:
			align = ALIGN_PSW;
			s->size = 8;
			break;
		case K_DC:
		case K_DS:
			if (asm_dc(a, s, s->kind == K_DS, (uint32_t)loc, &s->pad, &s->size, NULL) < 0) {
				s->bad = true;
				s->pad = s->size = 0;
			}
			break;
		case K_EQU: {
			/* Defined now if its symbols are known, so that ORG,
			 * ALIGN and DS further down can use it; otherwise
			 * settled in asm_pass1_equ once every label is known. */
			uint32_t v;
			if (!s->label.len) {
				asm_error(a, s, s->op.off, "EQU needs a label: NAME EQU expression");
				s->bad = true;
			} else if (s->opnd.len &&
				   asm_eval_quiet(a, s, s->opnd.off, s->opnd.len, &v, NULL) == EX_OK) {
				asm_define(a, s, s->label, v, SYM_EQU);
				s->equ_done = true;
				s->addr = v;  /* the listing shows the value */
			}
			break;
		}
		case K_ORG: {
			uint32_t v;
			label_before = true;
			if (s->opnd.len == 0) {
				loc = highest;  /* ORG alone: back to the highest address */
				break;
			}
			if (asm_eval_now(a, s, s->opnd, "ORG", &v) < 0) {
				s->bad = true;
				break;
			}
			loc = v;
			break;
		}
		case K_ALIGN: {
			uint32_t v;
			if (asm_eval_now(a, s, s->opnd, "ALIGN", &v) < 0) {
				s->bad = true;
				break;
			}
			if (v == 0 || (v & (v - 1)) || v > 4096) {
				asm_error(a, s, s->opnd.off, "ALIGN %u: need a power of 2 up to 4096", v);
				s->bad = true;
				break;
			}
			s->pad = (uint32_t)((loc + v - 1) / v * v - loc);
			break;
		}
		}
		if (align > 1)
			s->pad = (uint32_t)((loc + align - 1) / align * align - loc);
		if (s->label.len && s->define_label && s->kind != K_EQU)
			asm_define(a, s, s->label,
				   label_before ? s->addr : (uint32_t)(loc + s->pad), SYM_LABEL);
		if (s->kind != K_ORG)
			loc += (uint64_t)s->pad + s->size;
		if (loc > (uint64_t)UINT32_MAX + 1) {
			asm_error(a, s, s->op.off, "location counter passes X'FFFFFFFF'");
			s->bad = true;
			s->pad = s->size = 0;
			loc = s->addr;
		}
		if (loc > highest)
			highest = loc > UINT32_MAX ? UINT32_MAX : (uint32_t)loc;
	}
}

/* Is name the label of an EQU not yet settled? */
static bool asm_pending_equ(struct assembler *a, const char *name)
{
	for (long i = 0; i < a->nst; i++) {
		struct asm_stmt *s = &a->st[i];
		char lab[ASM_MAX_SYMLEN + 1];
		if (s->kind == K_EQU && !s->bad && !s->equ_done &&
		    asm_span_name(s->text, s->label, lab) && !strcmp(lab, name))
			return true;
	}
	return false;
}

/* EQUs, in rounds: each round defines those whose symbols are all known,
 * until none is left or no progress is made (undefined or circular). */
static void asm_pass1_equ(struct assembler *a)
{
	bool progress = true;
	while (progress) {
		progress = false;
		for (long i = 0; i < a->nst; i++) {
			struct asm_stmt *s = &a->st[i];
			if (s->kind != K_EQU || s->bad || s->equ_done)
				continue;
			uint32_t v;
			int r = asm_eval_quiet(a, s, s->opnd.off, s->opnd.len, &v, NULL);
			if (r == EX_OK && s->opnd.len) {
				a->cur_seq = i;
				asm_define(a, s, s->label, v, SYM_EQU);
				s->equ_done = true;
				s->addr = v;  /* the listing shows the value */
				progress = true;
			}
		}
	}
	for (long i = 0; i < a->nst; i++) {
		struct asm_stmt *s = &a->st[i];
		if (s->kind != K_EQU || s->bad)
			continue;
		if (s->equ_done)
			continue;
		a->cur_seq = i;
		uint32_t v;
		char undef[ASM_MAX_SYMLEN + 1] = "";
		s->bad = true;
		if (s->opnd.len == 0) {
			asm_error(a, s, s->op.off, "EQU needs an expression");
			continue;
		}
		/* Still undefined: either a name defined nowhere, or one
		 * that is itself a pending EQU (a cycle). */
		if (asm_eval_quiet(a, s, s->opnd.off, s->opnd.len, &v, undef) == EX_UNDEF &&
		    asm_pending_equ(a, undef))
			asm_error(a, s, s->opnd.off,
				  "EQU refers to itself (circular definition through '%s')", undef);
		else
			asm_eval(a, s, s->opnd.off, s->opnd.len, false, &v);
	}
}

/* ------------------------------------------------------------------ */
/* Pass 2: encoding                                                    */

static void asm_emit(struct assembler *a, struct asm_stmt *s, uint32_t addr,
		     const uint8_t *b, uint32_t n)
{
	if (n == 0)
		return;
	for (uint32_t i = 0; i < n && s->nlist < 8; i++)
		s->list[s->nlist++] = b[i];
	struct asm_run *r = a->nrun ? &a->run[a->nrun - 1] : NULL;
	if (!r || (uint64_t)r->addr + r->len != addr) {
		if (a->nrun == a->caprun) {
			a->caprun = a->caprun ? a->caprun * 2 : 16;
			a->run = asm_xrealloc(a->run, (size_t)a->caprun * sizeof *a->run);
		}
		r = &a->run[a->nrun];
		*r = (struct asm_run){ addr, 0, 0, NULL, a->nrun };
		a->nrun++;
	}
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2;
		r->data = asm_xrealloc(r->data, r->cap);
	}
	memcpy(r->data + r->len, b, n);
	r->len += n;
}

/* Emit the alignment padding of s as zeros. */
static void asm_emit_pad(struct assembler *a, struct asm_stmt *s)
{
	static const uint8_t zeros[8];
	if (s->pad <= 8) {
		asm_emit(a, s, s->addr, zeros, s->pad);
	} else {
		uint8_t *z = calloc(1, s->pad);
		if (!z)
			abort();
		asm_emit(a, s, s->addr, z, s->pad);
		free(z);
	}
	s->nlist = 0;  /* the listing shows the content, not the padding */
}

/* A register operand: an expression 0..15. */
static int asm_reg(struct assembler *a, struct asm_stmt *s, struct asm_span sp, unsigned *r)
{
	uint32_t v;
	if (sp.len == 0) {
		asm_error(a, s, sp.off, "missing register");
		return -1;
	}
	if (asm_eval(a, s, sp.off, sp.len, false, &v) != EX_OK)
		return -1;
	if (v > 15) {
		asm_error(a, s, sp.off, "register %u out of range: R0..R15", v);
		return -1;
	}
	*r = v;
	return 0;
}

/* An immediate operand: accepts the signed or the unsigned range of bits. */
static int asm_imm(struct assembler *a, struct asm_stmt *s, struct asm_span sp, int bits, uint32_t *out)
{
	uint32_t v;
	if (sp.len == 0) {
		asm_error(a, s, sp.off, "missing immediate value");
		return -1;
	}
	if (asm_eval(a, s, sp.off, sp.len, false, &v) != EX_OK)
		return -1;
	uint32_t umax = (1u << bits) - 1;
	uint32_t smin = 0u - (1u << (bits - 1));
	if (v > umax && v < smin) {
		asm_error(a, s, sp.off, "value %d does not fit in %d bits (%d..%u)",
			  (int32_t)v, bits, -(int)(1u << (bits - 1)), umax);
		return -1;
	}
	*out = v & umax;
	return 0;
}

/*
 * An address operand: d(x,b), d(,b), d(b), or a plain expression resolved
 * through USING.  RS, SI and S formats have no index (index_ok false).
 */
static int asm_addr(struct assembler *a, struct asm_stmt *s, struct asm_span sp, bool index_ok,
		    unsigned *x, unsigned *b, unsigned *d)
{
	*x = *b = *d = 0;
	if (sp.len == 0) {
		asm_error(a, s, sp.off, "missing address");
		return -1;
	}
	struct asm_expr e;
	ex_init(&e, a, s, sp.off, sp.len, false);
	uint32_t v = ex_or(&e);
	if (e.err)
		return -1;
	int c = ex_peek(&e);
	if (c == '(') {
		/* Explicit registers: v is the displacement. */
		int open = e.pos++;
		unsigned r1 = 0, r2 = 0;
		bool two = false, first_empty = false;
		if (ex_peek(&e) == ',') {
			first_empty = true;
		} else {
			uint32_t t = ex_or(&e);
			if (e.err)
				return -1;
			r1 = t;
		}
		if (ex_peek(&e) == ',') {
			e.pos++;
			two = true;
			r2 = ex_or(&e);
			if (e.err)
				return -1;
		}
		if (ex_peek(&e) != ')') {
			asm_error(a, s, e.pos, "expected ')' to close the registers opened at column %d",
				  open + 1);
			return -1;
		}
		e.pos++;
		if (ex_peek(&e) != 0) {
			asm_error(a, s, e.pos, "unexpected '%c' after address", e.t[e.pos]);
			return -1;
		}
		if (first_empty && !two) {
			asm_error(a, s, open, "missing register in ()");
			return -1;
		}
		if (r1 > 15 || r2 > 15) {
			asm_error(a, s, open + 1, "register out of range: R0..R15");
			return -1;
		}
		if (v > 4095) {
			asm_error(a, s, sp.off, "displacement %u out of range 0..4095", v);
			return -1;
		}
		if (two && !index_ok) {
			if (r1 != 0 || !first_empty) {
				asm_error(a, s, open, "%s format has no index register: write d(b)",
					  vl32_format_name(s->insn ? s->insn->format : FMT_S));
				return -1;
			}
		}
		if (two) {
			*x = r1;
			*b = r2;
		} else {
			*b = r1;
		}
		*d = v;
		return 0;
	}
	if (c != 0) {
		asm_error(a, s, e.pos, "unexpected '%c' in address", c);
		return -1;
	}
	if (v <= 4095) {
		*d = v;
		return 0;
	}
	/* Through USING: the base giving the smallest displacement wins. */
	int best = -1;
	uint32_t bestd = 0;
	for (int r = 1; r < 16; r++) {
		if (!a->using_on[r])
			continue;
		uint32_t diff = v - a->using_base[r];
		if (diff <= 4095 && (best < 0 || diff < bestd)) {
			best = r;
			bestd = diff;
		}
	}
	if (best < 0) {
		asm_error(a, s, sp.off, "address X'%08X' is not addressable; add USING", v);
		return -1;
	}
	*b = (unsigned)best;
	*d = bestd;
	return 0;
}

/* Encode instruction s: operand syntax by format (see ASM.md). */
static int asm_insn(struct assembler *a, struct asm_stmt *s, uint32_t *word)
{
	const struct vl32_insn_info *in = s->insn;
	struct asm_span ops[ASM_MAX_OPERANDS];
	int n = asm_split(s->text, s->opnd, ops, ASM_MAX_OPERANDS);
	if (n < 0) {
		asm_error(a, s, s->opnd.off, "too many operands");
		return -1;
	}
	/* An extended mnemonic supplies the first operand (the mask). */
	struct asm_span all[ASM_MAX_OPERANDS + 1];
	int nall = 0;
	bool fixed = s->alias_mask >= 0;
	if (fixed)
		all[nall++] = (struct asm_span){ -1, 0 };
	for (int i = 0; i < n; i++)
		all[nall++] = ops[i];
	static const char *const syntax[] = {
		[FMT_RR] = "r1,r2", [FMT_RRR] = "r1,r2,r3", [FMT_RI] = "r1,imm",
		[FMT_RX] = "r1,d(x,b)", [FMT_RS] = "r1,r3,d(b) or r1,d(b)",
		[FMT_SI] = "d(b),imm8", [FMT_S] = "d(b)", [FMT_I] = "imm16",
	};
	int want_min, want_max;
	switch (in->format) {
	case FMT_RR: case FMT_RI: case FMT_RX: case FMT_SI: want_min = want_max = 2; break;
	case FMT_RRR: want_min = want_max = 3; break;
	case FMT_RS: want_min = 2; want_max = 3; break;
	case FMT_S: want_min = 0; want_max = 1; break;
	default: want_min = want_max = 1; break;
	}
	if (nall < want_min || nall > want_max) {
		int shown = fixed ? nall - 1 : nall;
		const char *syn = asm_insn_is_relative(in) ? "r1,target" : syntax[in->format];
		if (fixed) {
			const char *comma = strchr(syn, ',');
			syn = comma ? comma + 1 : syn;
		}
		asm_error(a, s, s->opnd.len ? s->opnd.off : s->op.off,
			  "%.*s takes %s; found %d operand%s", s->op.len, s->text + s->op.off,
			  syn, shown, shown == 1 ? "" : "s");
		return -1;
	}
	for (int i = 0; i < nall; i++)
		if (all[i].off >= 0 && all[i].len == 0) {
			asm_error(a, s, all[i].off, "missing operand %d", i + 1);
			return -1;
		}
	uint32_t w = (uint32_t)in->opcode << 24;
	unsigned r1 = 0, r2 = 0, r3 = 0, x = 0, b = 0, d = 0;
	uint32_t imm;
	/* Operand 1 is r1 for RR, RRR, RI, RX, RS. */
	if (in->format == FMT_RR || in->format == FMT_RRR || in->format == FMT_RI ||
	    in->format == FMT_RX || in->format == FMT_RS) {
		if (fixed)
			r1 = (unsigned)s->alias_mask;
		else if (asm_reg(a, s, all[0], &r1) < 0)
			return -1;
		w |= r1 << 20;
	}
	switch (in->format) {
	case FMT_RR:
		if (asm_reg(a, s, all[1], &r2) < 0)
			return -1;
		w |= r2 << 16;
		break;
	case FMT_RRR:
		if (asm_reg(a, s, all[1], &r2) < 0 || asm_reg(a, s, all[2], &r3) < 0)
			return -1;
		w |= r2 << 16 | r3 << 12;
		break;
	case FMT_RI:
		if (asm_insn_is_relative(in)) {
			/* Relative branch: the operand is the target address
			 * (a label, or any expression, e.g. X'00001040'). */
			uint32_t target;
			if (asm_eval(a, s, all[1].off, all[1].len, false, &target) != EX_OK)
				return -1;
			uint32_t here = s->addr + s->pad;
			int64_t diff = (int32_t)(target - here);
			if (diff % 4) {
				asm_error(a, s, all[1].off,
					  "branch target X'%08X' is not a whole number of words away", target);
				return -1;
			}
			if (diff / 4 < -32768 || diff / 4 > 32767) {
				asm_error(a, s, all[1].off,
					  "branch target X'%08X' is too far (%lld words; limit -32768..32767)",
					  target, (long long)(diff / 4));
				return -1;
			}
			w |= (uint32_t)(diff / 4) & 0xFFFF;
		} else {
			if (asm_imm(a, s, all[1], 16, &imm) < 0)
				return -1;
			w |= imm;
		}
		break;
	case FMT_RX:
		if (asm_addr(a, s, all[1], true, &x, &b, &d) < 0)
			return -1;
		w |= x << 16 | b << 12 | d;
		break;
	case FMT_RS: {
		struct asm_span ad = all[nall - 1];
		if (nall == 3 && asm_reg(a, s, all[1], &r3) < 0)
			return -1;
		if (asm_addr(a, s, ad, false, &x, &b, &d) < 0)
			return -1;
		w |= r3 << 16 | b << 12 | d;
		break;
	}
	case FMT_SI:
		if (asm_addr(a, s, all[0], false, &x, &b, &d) < 0 ||
		    asm_imm(a, s, all[1], 8, &imm) < 0)
			return -1;
		w |= imm << 16 | b << 12 | d;
		break;
	case FMT_S:
		if (nall == 1 && asm_addr(a, s, all[0], false, &x, &b, &d) < 0)
			return -1;
		w |= b << 12 | d;
		break;
	case FMT_I:
		if (asm_imm(a, s, all[0], 16, &imm) < 0)
			return -1;
		w |= imm;
		break;
	}
	*word = w;
	return 0;
}

bool asm_insn_is_relative(const struct vl32_insn_info *in)
{
	/* The table's meaning column says "branch relative" for exactly the
	 * RI branches; reading it keeps isa.def the one source of truth. */
	return in && in->format == FMT_RI && in->meaning &&
	       strstr(in->meaning, "relative") != NULL;
}

static void asm_using(struct assembler *a, struct asm_stmt *s)
{
	struct asm_span ops[17];
	int n = asm_split(s->text, s->opnd, ops, 17);
	if (n < 2) {
		asm_error(a, s, s->opnd.len ? s->opnd.off : s->op.off,
			  "USING takes an address and a register: USING *,R12");
		return;
	}
	uint32_t base;
	if (ops[0].len == 0) {
		asm_error(a, s, ops[0].off, "missing USING address");
		return;
	}
	if (asm_eval(a, s, ops[0].off, ops[0].len, false, &base) != EX_OK)
		return;
	/* USING X,R11,R12: R12 covers the 4 KiB after R11's. */
	for (int i = 1; i < n; i++) {
		unsigned r;
		if (asm_reg(a, s, ops[i], &r) < 0)
			return;
		if (r == 0) {
			asm_error(a, s, ops[i].off, "R0 cannot be a base register (0 means no base)");
			return;
		}
		a->using_on[r] = true;
		a->using_base[r] = base + 4096u * (uint32_t)(i - 1);
	}
}

static void asm_drop(struct assembler *a, struct asm_stmt *s)
{
	struct asm_span ops[17];
	int n = asm_split(s->text, s->opnd, ops, 17);
	if (n < 0) {
		asm_error(a, s, s->opnd.off, "too many registers");
		return;
	}
	if (n == 0) {
		memset(a->using_on, 0, sizeof a->using_on); /* DROP alone: all */
		return;
	}
	for (int i = 0; i < n; i++) {
		unsigned r;
		if (asm_reg(a, s, ops[i], &r) < 0)
			return;
		if (!a->using_on[r]) {
			asm_error(a, s, ops[i].off, "R%u is not in USING", r);
			return;
		}
		a->using_on[r] = false;
	}
}

static void asm_pass2(struct assembler *a)
{
	memset(a->using_on, 0, sizeof a->using_on);
	for (long i = 0; i < a->nst; i++) {
		struct asm_stmt *s = &a->st[i];
		a->cur_seq = i;
		if (s->bad)
			continue;
		uint32_t here = s->addr + s->pad;
		uint8_t buf[8];
		bool code = false;  /* does this count for the default entry? */
		switch (s->kind) {
		case K_INSN: {
			uint32_t w;
			asm_emit_pad(a, s);
			if (asm_insn(a, s, &w) < 0)
				break;
			sim_put32(buf, w);
			asm_emit(a, s, here, buf, 4);
			code = true;
			break;
		}
		case K_LI: {
			struct asm_span ops[3];
			int n = asm_split(s->text, s->opnd, ops, 3);
			unsigned r;
			uint32_t v;
			asm_emit_pad(a, s);
			if (n != 2) {
				asm_error(a, s, s->opnd.len ? s->opnd.off : s->op.off,
					  "LI takes r1,value");
				break;
			}
			if (asm_reg(a, s, ops[0], &r) < 0)
				break;
			if (ops[1].len == 0) {
				asm_error(a, s, ops[1].off, "missing value");
				break;
			}
			if (asm_eval(a, s, ops[1].off, ops[1].len, false, &v) != EX_OK)
				break;
			/* Always two words, so that pass 1 knew the size
			 * before the value: LUI sets the high half and clears
			 * the low one, OHI ors in the low half. */
			sim_put32(buf, (uint32_t)OP_LUI << 24 | r << 20 | v >> 16);
			sim_put32(buf + 4, (uint32_t)OP_OHI << 24 | r << 20 | (v & 0xFFFF));
			asm_emit(a, s, here, buf, 8);
			code = true;
			break;
		}
		case K_PSW: {
			struct asm_span ops[3];
			int n = asm_split(s->text, s->opnd, ops, 3);
			uint32_t w0, w1;
			asm_emit_pad(a, s);
			if (n != 2 || ops[0].len == 0 || ops[1].len == 0) {
				asm_error(a, s, s->opnd.len ? s->opnd.off : s->op.off,
					  "PSW takes word0,address");
				break;
			}
			if (asm_eval(a, s, ops[0].off, ops[0].len, false, &w0) != EX_OK ||
			    asm_eval(a, s, ops[1].off, ops[1].len, false, &w1) != EX_OK)
				break;
			sim_put32(buf, w0);
			sim_put32(buf + 4, w1);
			asm_emit(a, s, here, buf, 8);
			code = true;
			break;
		}
		case K_DC:
		case K_DS: {
			uint32_t total = s->pad + s->size, pad, size;
			uint8_t *out = calloc(1, total ? total : 1);
			if (!out)
				abort();
			if (s->kind == K_DC &&
			    asm_dc(a, s, false, s->addr, &pad, &size, out) < 0) {
				free(out);
				break;
			}
			asm_emit(a, s, s->addr, out, total);
			/* The listing shows the content, not the padding. */
			s->nlist = 0;
			for (uint32_t k = s->pad; k < total && s->nlist < 8; k++)
				s->list[s->nlist++] = out[k];
			free(out);
			code = s->kind == K_DC && s->size > 0;
			break;
		}
		case K_ALIGN:
			asm_emit_pad(a, s);
			break;
		case K_USING:
			asm_using(a, s);
			break;
		case K_DROP:
			asm_drop(a, s);
			break;
		case K_ENTRY:
		case K_END: {
			uint32_t v;
			if (s->opnd.len == 0) {
				if (s->kind == K_ENTRY)
					asm_error(a, s, s->op.off, "ENTRY needs an address");
				break;
			}
			if (asm_eval(a, s, s->opnd.off, s->opnd.len, false, &v) == EX_OK) {
				a->entry = v;
				a->have_entry = true;
			}
			break;
		}
		default:
			break;
		}
		if (code && !a->have_default_entry) {
			a->have_default_entry = true;
			a->default_entry = here;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Segments and the listing                                            */

static int asm_run_cmp(const void *x, const void *y)
{
	const struct asm_run *p = x, *q = y;
	if (p->addr != q->addr)
		return p->addr < q->addr ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

static int asm_run_order_cmp(const void *x, const void *y)
{
	const struct asm_run *p = x, *q = y;
	return p->order < q->order ? -1 : p->order > q->order;
}

/*
 * Merge the emitted runs into image segments: runs that touch or overlap
 * become one segment; where ORG made two runs overlap, the one assembled
 * later wins, as it would if the bytes were stored in order.
 */
static void asm_segments(struct assembler *a, struct sim_image *img)
{
	long n = 0;
	for (long i = 0; i < a->nrun; i++)
		if (a->run[i].len)
			a->run[n++] = a->run[i];
	for (long i = n; i < a->nrun; i++)
		free(a->run[i].data);
	a->nrun = n;
	if (n)
		qsort(a->run, (size_t)n, sizeof *a->run, asm_run_cmp);
	for (long i = 0; i < n;) {
		uint64_t start = a->run[i].addr, end = start + a->run[i].len;
		long j = i + 1;
		while (j < n && a->run[j].addr <= end) {
			uint64_t e = (uint64_t)a->run[j].addr + a->run[j].len;
			if (e > end)
				end = e;
			j++;
		}
		if (img->nseg == IMAGE_MAX_SEGMENTS) {
			a->cur_seq = a->nst;
			struct asm_src src = { a->nst ? a->st[a->nst - 1].src.file : "?",
					       a->nst ? a->st[a->nst - 1].src.line : 1, NULL };
			asm_error_at(a, &src, 1, "program has more than %d separate pieces (ORG gaps)",
				     IMAGE_MAX_SEGMENTS);
			return;
		}
		uint8_t *data = asm_xrealloc(NULL, (size_t)(end - start));
		/* Apply the runs of this group in emission order. */
		qsort(a->run + i, (size_t)(j - i), sizeof *a->run, asm_run_order_cmp);
		for (long m = i; m < j; m++)
			memcpy(data + (a->run[m].addr - start), a->run[m].data, a->run[m].len);
		img->seg[img->nseg++] = (struct sim_segment){ (uint32_t)start,
							       (uint32_t)(end - start), data };
		i = j;
	}
}

static int asm_sym_cmp(const void *x, const void *y)
{
	const struct asm_sym *const *p = x, *const *q = y;
	return strcmp((*p)->name, (*q)->name);
}

static void asm_listing(struct assembler *a, FILE *f)
{
	fprintf(f, "  ADDR    CODE              LINE  SOURCE\n");
	long d = 0;  /* the diagnostics are sorted by statement */
	for (long i = 0; i < a->nst; i++) {
		struct asm_stmt *s = &a->st[i];
		char addr[12] = "", hex[20] = "";
		bool has_addr = s->kind != K_LIST && !(s->kind == K_NONE && !s->label.len);
		if (has_addr)
			snprintf(addr, sizeof addr, "%08X", s->kind == K_EQU ? s->addr : s->addr + s->pad);
		for (int k = 0; k < s->nlist; k++)
			snprintf(hex + 2 * k, sizeof hex - 2 * (size_t)k, "%02X", s->list[k]);
		fprintf(f, "%c %-8s %-16s %5d%c %s\n", s->kind == K_EQU && has_addr ? '=' : ' ',
			addr, hex, s->src.line, s->expanded ? '+' : ' ', s->text);
		/* Each error right under the statement it is about. */
		for (; d < a->ndiag && a->diag[d].seq <= i; d++)
			fprintf(f, "*** %s\n", a->diag[d].text);
	}
	for (; d < a->ndiag; d++)
		fprintf(f, "*** %s\n", a->diag[d].text);
	/* The symbol table, sorted by name. */
	long n = 0;
	for (int h = 0; h < ASM_SYM_BUCKETS; h++)
		for (struct asm_sym *s = a->sym[h]; s; s = s->next)
			n += s->kind != SYM_PREDEF;
	struct asm_sym **v = asm_xrealloc(NULL, (size_t)(n ? n : 1) * sizeof *v);
	n = 0;
	for (int h = 0; h < ASM_SYM_BUCKETS; h++)
		for (struct asm_sym *s = a->sym[h]; s; s = s->next)
			if (s->kind != SYM_PREDEF)
				v[n++] = s;
	qsort(v, (size_t)n, sizeof *v, asm_sym_cmp);
	fprintf(f, "\nSYMBOL                           VALUE     KIND   DEFINED\n");
	for (long i = 0; i < n; i++)
		fprintf(f, "%-32s %08X  %-5s  %s:%d\n", v[i]->name, v[i]->value,
			v[i]->kind == SYM_EQU ? "EQU" : "LABEL", v[i]->src.file, v[i]->src.line);
	free(v);
}

/* ------------------------------------------------------------------ */
/* The entry points                                                    */

static void asm_init(struct assembler *a, const struct asm_options *opt)
{
	memset(a, 0, sizeof *a);
	if (!opt) {
		a->defopt.max_errors = 20;
		opt = &a->defopt;
	}
	a->opt = opt;
	for (int i = 0; i < asm_predefined_count; i++)
		asm_sym_add(a, asm_predefined[i].name, asm_predefined[i].value, SYM_PREDEF, NULL);
}

static void asm_fini(struct assembler *a)
{
	for (long i = 0; i < a->nst; i++) {
		free(a->st[i].text);
		free(a->st[i].colmap);
	}
	free(a->st);
	while (a->macros) {
		struct asm_macro *m = a->macros;
		a->macros = m->next;
		asm_macro_free(m);
	}
	while (a->retired) {
		struct asm_macro *m = a->retired;
		a->retired = m->next;
		asm_macro_free(m);
	}
	if (a->defining)
		asm_macro_free(a->defining);
	for (int h = 0; h < ASM_SYM_BUCKETS; h++)
		while (a->sym[h]) {
			struct asm_sym *s = a->sym[h];
			a->sym[h] = s->next;
			free(s);
		}
	for (long i = 0; i < a->ndiag; i++)
		free(a->diag[i].text);
	free(a->diag);
	for (long i = 0; i < a->nrun; i++)
		free(a->run[i].data);
	free(a->run);
	for (int i = 0; i < a->pool.n; i++)
		free(a->pool.s[i]);
	free(a->pool.s);
}

/* Assemble what the reader has collected; print diagnostics. */
static int asm_finish(struct assembler *a, struct sim_image *img)
{
	if (a->defining) {
		a->cur_seq = a->nst;
		asm_error_at(a, &a->macro_src, 1, "MACRO without MEND");
	}
	asm_pass1(a);
	asm_pass1_equ(a);
	asm_pass2(a);
	if (a->ndiag == 0)
		asm_segments(a, img);
	img->entry = a->have_entry ? a->entry : a->have_default_entry ? a->default_entry : 0;
	if (a->ndiag)
		qsort(a->diag, (size_t)a->ndiag, sizeof *a->diag, asm_diag_cmp);
	if (a->opt->listing)
		asm_listing(a, a->opt->listing);

	FILE *ef = a->opt->errors ? a->opt->errors : stderr;
	int max = a->opt->max_errors > 0 ? a->opt->max_errors : 20;
	for (long i = 0; i < a->ndiag && i < max; i++)
		fprintf(ef, "%s\n", a->diag[i].text);
	int nerr = a->ndiag > INT_MAX ? INT_MAX : (int)a->ndiag;
	if (nerr)
		sim_image_free(img);
	asm_fini(a);
	return nerr;
}

int asm_string(const char *name, const char *text, const struct asm_options *opt,
	       struct sim_image *img)
{
	struct assembler a;
	memset(img, 0, sizeof *img);
	asm_init(&a, opt);
	const char *file = asm_pool_add(&a, asm_xstrndup(name, strlen(name)));
	asm_read_text(&a, file, text, strlen(text));
	return asm_finish(&a, img);
}

int asm_file(const char *path, const struct asm_options *opt, struct sim_image *img)
{
	struct assembler a;
	memset(img, 0, sizeof *img);
	asm_init(&a, opt);
	const char *file = asm_pool_add(&a, asm_xstrndup(path, strlen(path)));
	FILE *f = fopen(path, "rb");
	if (!f) {
		struct asm_src src = { file, 0, NULL };
		asm_error_at(&a, &src, 0, "cannot open: %s", strerror(errno));
		return asm_finish(&a, img);
	}
	struct asm_buf b = { 0 };
	char chunk[8192];
	size_t got;
	asm_buf_add(&b, "", 0);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		asm_buf_add(&b, chunk, got);
	fclose(f);
	asm_read_text(&a, file, b.p, b.n);
	free(b.p);
	return asm_finish(&a, img);
}
