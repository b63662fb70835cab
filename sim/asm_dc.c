/*
 * sim/asm_dc.c -- the DC and DS constants (sim/ASM.md, "Constants").
 * Pass 1 calls asm_dc for the size, pass 2 again for the bytes.
 */
#include "asm_int.h"

#include <string.h>

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
int asm_dc(struct assembler *a, struct asm_stmt *s, bool ds, uint32_t addr,
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

