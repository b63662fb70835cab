/*
 * sim/asm_expr.c -- the assembler's view of one statement: its fields
 * (label, operation, operands), operands split at commas, expressions,
 * and the three operand kinds every format is built from: register,
 * immediate and address (with USING).  See sim/asm.c for the big picture.
 */
#include "asm_int.h"

#include <stdarg.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Splitting a statement                                               */

/* Split a line into label, opcode and operand field (see ASM.md). */
void asm_fields(struct asm_stmt *s)
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
int asm_split(const char *t, struct asm_span sp, struct asm_span *out, int max)
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


/* Evaluate span (off,len) of s completely.  undef_ok: an undefined symbol
 * gives EX_UNDEF silently; else it is an error. */
int asm_eval(struct assembler *a, struct asm_stmt *s, int off, int len,
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
int asm_eval_quiet(struct assembler *a, struct asm_stmt *s, int off, int len,
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
/* Operands                                                            */

/* A register operand: an expression 0..15. */
int asm_reg(struct assembler *a, struct asm_stmt *s, struct asm_span sp, unsigned *r)
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
int asm_imm(struct assembler *a, struct asm_stmt *s, struct asm_span sp, int bits, uint32_t *out)
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
int asm_addr(struct assembler *a, struct asm_stmt *s, struct asm_span sp, bool index_ok,
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

