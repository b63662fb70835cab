/*
 * sim/disasm.c -- one VL32 instruction word back into assembler text.
 *
 * The output is assembler input: for every word, assembling the text at
 * the same address gives the same word back (tests/unit/test_disasm.c
 * checks this over the whole table).  That rule decides the details:
 *
 *   - a relative branch shows its target as an absolute address,
 *     BRC 8,X'00001040', which the assembler turns back into the offset;
 *   - an address with no base and no index is a plain number 0..4095,
 *     which the assembler always encodes with base 0, whatever USING says;
 *   - a word with an undefined opcode, or with bits set that its format
 *     says must be zero, is shown as DC X'........' (with what it would
 *     have been in a comment), because no instruction statement encodes
 *     those bits.
 *
 * Like the assembler, it is driven by sim/isa.def: the format picks the
 * operand layout, and the VL32_ALIAS lines give the extended mnemonics
 * (BC 8,... is shown as BE ...).
 */
#include "asm.h"

#include <stdarg.h>
#include <string.h>

/* The bits a format leaves unused; they must be zero in an instruction. */
static uint32_t disasm_reserved(enum vl32_format f)
{
	switch (f) {
	case FMT_RR:  return 0x0000FFFFu;
	case FMT_RRR: return 0x00000FFFu;
	case FMT_RI:  return 0x000F0000u;
	case FMT_S:   return 0x00FF0000u;
	case FMT_I:   return 0x00FF0000u;
	default:      return 0;
	}
}

/* The extended mnemonic for (opcode, mask), or NULL.  The first one in
 * the table wins (BE rather than BZ). */
static const char *disasm_alias(unsigned op, unsigned mask)
{
	for (int i = 0; i < vl32_alias_count; i++)
		if (vl32_aliases[i].opcode == op && vl32_aliases[i].mask == mask)
			return vl32_aliases[i].name;
	return NULL;
}

/* Does this opcode's r1 field hold a branch mask?  Exactly those with
 * extended mnemonics do. */
static bool disasm_r1_is_mask(unsigned op)
{
	for (int i = 0; i < vl32_alias_count; i++)
		if (vl32_aliases[i].opcode == op)
			return true;
	return false;
}

/* A bounded appender: never writes past len, always NUL-terminates. */
struct disasm_out {
	char *buf;
	size_t len, n;
};

static void disasm_put(struct disasm_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void disasm_put(struct disasm_out *o, const char *fmt, ...)
{
	if (o->n >= o->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(o->buf + o->n, o->len - o->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n = o->n + (size_t)k < o->len ? o->n + (size_t)k : o->len - 1;
}

/* An RX address: d alone, or d(Rx,Rb) with both registers shown (R0
 * meaning "none"), so that a reader never wonders which one d(R5) is. */
static void disasm_addr(struct disasm_out *o, unsigned x, unsigned b, unsigned d)
{
	if (x == 0 && b == 0)
		disasm_put(o, "%u", d);
	else
		disasm_put(o, "%u(R%u,R%u)", d, x, b);
}

static void disasm_base(struct disasm_out *o, unsigned b, unsigned d)
{
	if (b == 0)
		disasm_put(o, "%u", d);
	else
		disasm_put(o, "%u(R%u)", d, b);
}

char *disasm(uint32_t insn, uint32_t addr, char *buf, size_t len)
{
	struct disasm_out o = { buf, len, 0 };
	if (!buf || len == 0)
		return buf;
	buf[0] = 0;
	unsigned op = vl32_op(insn);
	const struct vl32_insn_info *in = &vl32_isa[op];
	if (!in->mnemonic) {
		disasm_put(&o, "DC    X'%08X'", insn);
		return buf;
	}
	if (insn & disasm_reserved(in->format)) {
		disasm_put(&o, "DC    X'%08X'        ; %s with reserved bits set", insn,
			   in->mnemonic);
		return buf;
	}
	unsigned r1 = vl32_r1(insn);
	const char *name = in->mnemonic;
	bool mask = disasm_r1_is_mask(op);
	const char *alias = mask ? disasm_alias(op, r1) : NULL;
	if (alias)
		name = alias;
	disasm_put(&o, "%-6s", name);
	size_t mark = o.n;  /* where the operands start */

	/* Operand 1 is r1 (a register, or a mask) in these formats, unless
	 * an extended mnemonic already says it. */
	bool has_r1 = in->format == FMT_RR || in->format == FMT_RRR ||
		      in->format == FMT_RI || in->format == FMT_RX || in->format == FMT_RS;
	if (has_r1 && !alias) {
		if (mask)
			disasm_put(&o, "%u,", r1);
		else
			disasm_put(&o, "R%u,", r1);
	}
	switch (in->format) {
	case FMT_RR:
		disasm_put(&o, "R%u", vl32_r2(insn));
		break;
	case FMT_RRR:
		disasm_put(&o, "R%u,R%u", vl32_r2(insn), vl32_r3rrr(insn));
		break;
	case FMT_RI: {
		unsigned i = vl32_i16(insn);
		int32_t si = (int16_t)i;
		if (asm_insn_is_relative(in))
			disasm_put(&o, "X'%08X'", addr + (uint32_t)si * 4u);
		else if (strstr(in->meaning, "sext"))
			disasm_put(&o, "%d", si);
		else if (i <= 9)
			disasm_put(&o, "%u", i);
		else
			disasm_put(&o, "X'%04X'", i);
		break;
	}
	case FMT_RX: {
		unsigned x = vl32_x2(insn), b = vl32_b2(insn), d = vl32_d2(insn);
		disasm_addr(&o, x, b, d);
		break;
	}
	case FMT_RS: {
		unsigned r3 = vl32_r3(insn);
		/* r3 = 0 is what the two-operand form (shifts) assembles to. */
		if (r3)
			disasm_put(&o, "R%u,", r3);
		disasm_base(&o, vl32_b2(insn), vl32_d2(insn));
		break;
	}
	case FMT_SI:
		disasm_base(&o, vl32_b2(insn), vl32_d2(insn));
		disasm_put(&o, ",X'%02X'", vl32_i8(insn));
		break;
	case FMT_S:
		/* An S instruction whose meaning has no effective address
		 * (PTLB) is written without an operand. */
		if (!(strstr(in->meaning, "EA") == NULL && (insn & 0xFFFF) == 0))
			disasm_base(&o, vl32_b2(insn), vl32_d2(insn));
		break;
	case FMT_I:
		disasm_put(&o, "%u", vl32_i16(insn));
		break;
	}
	if (o.n == mark) {
		/* No operands: drop the padding after the mnemonic. */
		while (o.n > 0 && buf[o.n - 1] == ' ')
			buf[--o.n] = 0;
	}
	return buf;
}
