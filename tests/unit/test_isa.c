/*
 * tests/unit/test_isa.c -- the instruction table and what expands from it:
 * the generated reference sim/ISA.md, the classifier's verdict, and CP's
 * emulation coverage of the privileged class.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/run.h"
#include "sim/sim.h"
#include "trap/trap.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

/* sim/ISA.md is generated from sim/isa.def; a stale copy misleads every
 * reader, so it is a test failure.  Fix: make isa-doc. */
static void test_isa_md_is_current(void **state)
{
	(void)state;
	char *gen = NULL;
	size_t genlen = 0;
	FILE *m = open_memstream(&gen, &genlen);
	isa_print_markdown(m);
	fclose(m);
	size_t len = 0;
	char *committed = read_file("sim/ISA.md", &len);
	assert_non_null(committed);
	if (len != genlen || memcmp(committed, gen, len) != 0)
		fail_msg("sim/ISA.md is stale: run `make isa-doc` and commit it");
	free(gen);
	free(committed);
}

static void test_table_is_consistent(void **state)
{
	(void)state;
	assert_true(vl32_isa_count > 60);
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		assert_ptr_equal(&vl32_isa[in->opcode], in);
		assert_true(in->cycles >= 1);
		assert_ptr_equal(vl32_lookup(in->mnemonic), in);
	}
	for (int i = 0; i < vl32_alias_count; i++)
		assert_non_null(vl32_isa[vl32_aliases[i].opcode].mnemonic);
	assert_null(vl32_lookup("NOSUCH"));
}

/* Popek and Goldberg's Theorem 1 for VL32: no sensitive instruction
 * escapes the privileged class. */
static void test_vl32_is_clean(void **state)
{
	(void)state;
	const char *bad[8];
	assert_int_equal(isa_unprivileged_sensitive(bad, 8), 0);
}

/* Every privileged instruction needs an emulator in CP, or a guest
 * executing it would get an operation exception it would not get on
 * the real machine (an equivalence failure). */
static void test_every_privileged_instruction_is_emulated(void **state)
{
	(void)state;
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		if (in->pgclass == PRIVILEGED && !trap_emulators[in->opcode])
			fail_msg("no CP emulation for privileged instruction %s", in->mnemonic);
		if (in->pgclass == INNOCUOUS && trap_emulators[in->opcode])
			fail_msg("%s is innocuous but has an emulator", in->mnemonic);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isa_md_is_current),
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_vl32_is_clean),
		cmocka_unit_test(test_every_privileged_instruction_is_emulated),
	};
	return cmocka_run_group_tests_name("isa", tests, NULL, NULL);
}
