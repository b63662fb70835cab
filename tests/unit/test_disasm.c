/*
 * tests/unit/test_disasm.c -- the disassembler (sim/disasm.c).
 *
 * The main property: disassembly is assembler input.  For every
 * instruction of sim/isa.def, many words with random fields are
 * disassembled at random addresses and assembled back at the same
 * address; the word must come back unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/asm.h"

/* A small deterministic generator (xorshift32): same words every run. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Assemble "ORG addr / text" and return the word at addr; fails the test
 * with the assembler's messages if it does not assemble. */
static uint32_t reassemble(const char *text, uint32_t addr)
{
	char src[256];
	snprintf(src, sizeof src, "         ORG   X'%08X'\n         %s\n", addr, text);
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef = open_memstream(&errs, &errlen);
	struct asm_options opt = { .errors = ef, .max_errors = 20 };
	struct sim_image img;
	int n = asm_string("rt.s", src, &opt, &img);
	fclose(ef);
	if (n != 0)
		fail_msg("'%s' at X'%08X' does not assemble:\n%s", text, addr, errs);
	free(errs);
	assert_int_equal(img.nseg, 1);
	assert_int_equal(img.seg[0].addr, addr);
	assert_int_equal(img.seg[0].len, 4);
	uint32_t w = sim_get32(img.seg[0].data);
	sim_image_free(&img);
	return w;
}

/* The bits each format leaves zero: a real instruction word has them 0. */
static uint32_t clean(uint32_t w)
{
	switch (vl32_isa[w >> 24].format) {
	case FMT_RR:  return w & 0xFFFF0000u;
	case FMT_RRR: return w & 0xFFFFF000u;
	case FMT_RI:  return w & 0xFFF0FFFFu;
	case FMT_S:   return w & 0xFF00FFFFu;
	case FMT_I:   return w & 0xFF00FFFFu;
	default:      return w;
	}
}

static void test_round_trip_whole_table(void **state)
{
	(void)state;
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		for (int k = 0; k < 60; k++) {
			uint32_t w = (uint32_t)in->opcode << 24 | (rng() & 0x00FFFFFFu);
			if (k == 0)
				w = (uint32_t)in->opcode << 24;   /* all fields zero */
			if (k == 1)
				w = (uint32_t)in->opcode << 24 | 0x00FFFFFFu;
			w = clean(w);
			uint32_t addr = (k < 3) ? 0x1000 : (rng() & 0xFFFFFFFCu);
			char buf[96];
			disasm(w, addr, buf, sizeof buf);
			uint32_t back = reassemble(buf, addr);
			if (back != w)
				fail_msg("%08X at X'%08X' -> '%s' -> %08X", w, addr, buf, back);
		}
	}
}

static void test_round_trip_data_words(void **state)
{
	(void)state;
	/* Undefined opcodes and reserved bits come out as DC and go back. */
	for (unsigned op = 0; op < 256; op++) {
		uint32_t w = op << 24 | 0x00123456u;
		char buf[96];
		disasm(w, 0x2000, buf, sizeof buf);
		if (!vl32_isa[op].mnemonic || clean(w) != w)
			assert_non_null(strstr(buf, "DC    X'"));
		assert_int_equal(reassemble(buf, 0x2000), w);
	}
}

static void test_known_text(void **state)
{
	(void)state;
	char buf[96];
	assert_string_equal(disasm(0x5812C008, 0, buf, sizeof buf), "L     R1,8(R2,R12)");
	assert_string_equal(disasm(0x5810C008, 0, buf, sizeof buf), "L     R1,8(R0,R12)");
	assert_string_equal(disasm(0x1A120000, 0, buf, sizeof buf), "AR    R1,R2");
	assert_string_equal(disasm(0x07FE0000, 0, buf, sizeof buf), "BR    R14");
	assert_string_equal(disasm(0x07300000 | 0x000E0000, 0, buf, sizeof buf), "BCR   3,R14");
	assert_string_equal(disasm(0x4780C004, 0, buf, sizeof buf), "BE    4(R0,R12)");
	/* Relative branches show an absolute target. */
	assert_string_equal(disasm(0xCA800010, 0x1000, buf, sizeof buf), "JE    X'00001040'");
	assert_string_equal(disasm(0xCA30FFFF, 0x1000, buf, sizeof buf), "BRC   3,X'00000FFC'");
	assert_string_equal(disasm(0xC210FFFF, 0, buf, sizeof buf), "AHI   R1,-1");
	assert_string_equal(disasm(0xC6508000, 0, buf, sizeof buf), "OHI   R5,X'8000'");
	assert_string_equal(disasm(0x89100004, 0, buf, sizeof buf), "SLL   R1,4");
	assert_string_equal(disasm(0x98250264, 0, buf, sizeof buf), "LM    R2,R5,612");
	assert_string_equal(disasm(0xACFCC010, 0, buf, sizeof buf), "STNSM 16(R12),X'FC'");
	assert_string_equal(disasm(0xA5000000, 0, buf, sizeof buf), "PTLB");
	assert_string_equal(disasm(0x0A000003, 0, buf, sizeof buf), "SVC   3");
	assert_string_equal(disasm(0xD2456000, 0, buf, sizeof buf), "MVC   R4,R5,R6");
	assert_string_equal(disasm(0xFF000000, 0, buf, sizeof buf), "DC    X'FF000000'");
}

/* The disassembler and assembler read three facts from the meaning
 * column of isa.def; if a new line breaks one of these conventions, this
 * test names it. */
static void test_table_conventions(void **state)
{
	(void)state;
	int relative = 0;
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		if (asm_insn_is_relative(in)) {
			relative++;
			assert_int_equal(in->format, FMT_RI);
			assert_non_null(strstr(in->meaning, "branch relative"));
		}
		if (in->format == FMT_S && !strstr(in->meaning, "EA"))
			assert_string_equal(in->mnemonic, "PTLB");  /* no operand */
	}
	assert_int_equal(relative, 3);  /* BRC, BRAS, BRCT */
	assert_true(asm_insn_is_relative(vl32_lookup("BRAS")));
	assert_false(asm_insn_is_relative(vl32_lookup("AHI")));
	assert_false(asm_insn_is_relative(NULL));
}

static void test_small_buffer(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'x', sizeof buf);
	disasm(0x5812C008, 0, buf, 6);
	assert_true(strlen(buf) < 6);   /* truncated, terminated */
	assert_int_equal(buf[7], 'x');  /* nothing written past len */
	disasm(0x5812C008, 0, buf, 1);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_whole_table),
		cmocka_unit_test(test_round_trip_data_words),
		cmocka_unit_test(test_known_text),
		cmocka_unit_test(test_table_conventions),
		cmocka_unit_test(test_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
