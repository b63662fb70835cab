/*
 * sim/asm.h -- the VL32 assembler and disassembler.
 * The source language is described in sim/ASM.md.
 */
#ifndef SIM_ASM_H
#define SIM_ASM_H

#include <stdbool.h>
#include <stdio.h>

#include "image.h"

#define ASM_MAX_INCLUDE_DIRS 8

struct asm_options {
	const char *include_dirs[ASM_MAX_INCLUDE_DIRS]; /* searched after the
							   including file's folder */
	int ninclude;
	FILE *listing;   /* if not NULL, write the listing here */
	FILE *errors;    /* diagnostics "file:line:col: error: ..." (stderr if NULL) */
	int max_errors;  /* stop after this many (default 20) */
};

/*
 * Assemble the file at path into img.  Returns the number of errors (0 on
 * success).  On error img is left empty.  Never crashes, whatever the
 * input: every problem is a diagnostic with file:line:col.
 */
int asm_file(const char *path, const struct asm_options *opt, struct sim_image *img);
/* Assemble source text held in memory; name is used in diagnostics. */
int asm_string(const char *name, const char *text, const struct asm_options *opt,
	       struct sim_image *img);

/*
 * Disassemble one instruction word at address addr into buf, e.g.
 * "L     R1,8(R0,R12)".  Undefined opcodes give "DC    X'...'".
 * Relative branches show their target address.  Returns buf.
 */
char *disasm(uint32_t insn, uint32_t addr, char *buf, size_t len);

/*
 * The predefined symbols: R0..R15 and every constant of sim/vl32.h under
 * its C name (`vmlab asm --symbols` prints them).  Table in sim/asm_syms.c.
 */
struct asm_symbol {
	const char *name;
	uint32_t value;
};
extern const struct asm_symbol asm_predefined[];
extern const int asm_predefined_count;

/* True for an RI instruction whose immediate is a relative branch offset
 * (BRC, BRAS, BRCT): the assembler and disassembler both need to know. */
bool asm_insn_is_relative(const struct vl32_insn_info *in);

#endif
