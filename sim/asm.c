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
 * The files: this one (diagnostics, symbols, the passes, segments, the
 * listing, the entry points), asm_read.c (stage 1), asm_expr.c (fields,
 * expressions, operands), asm_dc.c (constants); their shared types are
 * in asm_int.h.
 *
 * Diagnostics are collected, sorted by statement, and printed at the end
 * as "file:line:col: error: message".  Nothing in here trusts its input:
 * every scan is bounded by the statement's length.
 */
#include "asm_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

void *asm_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "vmlab asm: out of memory\n");
		abort(); /* nothing sensible to do; no partial output exists */
	}
	return q;
}

char *asm_xstrndup(const char *s, size_t n)
{
	char *d = asm_xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Keep a string alive until the end of the assembly. */
const char *asm_pool_add(struct assembler *a, char *s)
{
	if (a->pool.n == a->pool.cap) {
		a->pool.cap = a->pool.cap ? a->pool.cap * 2 : 16;
		a->pool.s = asm_xrealloc(a->pool.s, a->pool.cap * sizeof *a->pool.s);
	}
	a->pool.s[a->pool.n++] = s;
	return s;
}

bool asm_span_is(const struct asm_stmt *s, struct asm_span sp, const char *word)
{
	size_t n = strlen(word);
	return sp.len == (int)n && strncasecmp(s->text + sp.off, word, n) == 0;
}

/* Copy a span to an upper-case NUL-terminated name; false if too long. */
bool asm_span_name(const char *text, struct asm_span sp, char *out)
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

void asm_verror(struct assembler *a, const struct asm_src *src, int col,
		       const char *fmt, va_list ap)
{
	if (a->ndiag >= ASM_MAX_DIAGS)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Quoted source text may be binary garbage: never send control
	 * bytes or broken UTF-8 to the user's terminal. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			*p = '?';
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

void asm_error_at(struct assembler *a, const struct asm_src *src, int col,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void asm_error_at(struct assembler *a, const struct asm_src *src, int col,
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
int asm_col(const struct asm_stmt *s, int off)
{
	if (off < 0)
		return 1;
	if (off > s->len)
		off = s->len;
	return s->colmap ? s->colmap[off] + 1 : off + 1;
}

/* An error in statement s at text offset off. */
void asm_error(struct assembler *a, const struct asm_stmt *s, int off,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void asm_error(struct assembler *a, const struct asm_stmt *s, int off,
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

struct asm_sym *asm_sym_find(struct assembler *a, const char *upper)
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
		struct asm_src src = { file, 1, NULL };
		asm_error_at(&a, &src, 1, "cannot open: %s", strerror(errno));
		return asm_finish(&a, img);
	}
	struct asm_buf b = { 0 };
	int rc = asm_slurp(f, &b);
	fclose(f);
	if (rc < 0) {
		struct asm_src src = { file, 1, NULL };
		asm_error_at(&a, &src, 1, "cannot read%s", rc == -2 ? ": larger than 16 MiB" : "");
		free(b.p);
		return asm_finish(&a, img);
	}
	asm_read_text(&a, file, b.p, b.n);
	free(b.p);
	return asm_finish(&a, img);
}

