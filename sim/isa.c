/*
 * sim/isa.c -- the instruction table, expanded from isa.def, and the
 * Popek-Goldberg classifier.
 */
#include "sim.h"

#include <strings.h>

const struct vl32_insn_info vl32_isa[256] = {
#define VL32_INSN(m, op, fmt, cls, cyc, text) \
	[op] = { #m, op, FMT_##fmt, cls, cyc, text },
#include "isa.def"
#undef VL32_INSN
};

const struct vl32_insn_info *const vl32_isa_list[] = {
#define VL32_INSN(m, op, fmt, cls, cyc, text) &vl32_isa[op],
#include "isa.def"
#undef VL32_INSN
};
const int vl32_isa_count = sizeof vl32_isa_list / sizeof vl32_isa_list[0];

/* Two lines of the table with one opcode would silently shadow each other
 * in vl32_isa[]; the enum below makes that a compile error instead
 * (duplicate case values). */
static inline void isa_opcodes_are_unique(int op)
{
	switch (op) {
#define VL32_INSN(m, op, fmt, cls, cyc, text) case op:
#include "isa.def"
#undef VL32_INSN
		break;
	}
}

#define VL32_ALIAS(name, base, mask, text) { #name, #base, OP_##base, mask, text },
#define VL32_INSN(m, op, fmt, cls, cyc, text)
const struct vl32_alias vl32_aliases[] = {
#include "isa.def"
};
#undef VL32_INSN
#undef VL32_ALIAS
const int vl32_alias_count = sizeof vl32_aliases / sizeof vl32_aliases[0];

const struct vl32_insn_info *vl32_lookup(const char *mnemonic)
{
	(void)isa_opcodes_are_unique;
	for (int i = 0; i < vl32_isa_count; i++)
		if (strcasecmp(vl32_isa_list[i]->mnemonic, mnemonic) == 0)
			return vl32_isa_list[i];
	return NULL;
}

const char *vl32_format_name(enum vl32_format f)
{
	static const char *const names[] = { "RR", "RRR", "RI", "RX", "RS", "SI", "S", "I" };
	return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

const char *vl32_class_name(enum vl32_class c)
{
	switch (c) {
	case INNOCUOUS: return "innocuous";
	case PRIVILEGED: return "privileged";
	case SENSITIVE: return "sensitive";
	}
	return "?";
}
