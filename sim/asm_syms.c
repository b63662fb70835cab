/*
 * sim/asm_syms.c -- the symbols every VL32 program starts with.
 *
 * R0..R15 name the general registers, and every constant of sim/vl32.h is
 * predefined under its C name, so a program writes `LPSW`-ready masks as
 * `PSW_IO+PSW_EXT` and low-storage slots as `LC_PGM_NEW` instead of magic
 * numbers.  Each entry refers to the C macro or enumerator itself: the
 * value has one source of truth, and a renamed constant here is a compile
 * error rather than a silent mismatch.  (A unit test checks that every
 * #define of vl32.h is listed.)  Function-like macros (DAT_SX, DAT_PX) are
 * not constants and are left out.
 */
#include "asm.h"

#include "vl32.h"

#define S(name) { #name, (uint32_t)(name) }

const struct asm_symbol asm_predefined[] = {
	/* General registers. */
	{ "R0", 0 }, { "R1", 1 }, { "R2", 2 }, { "R3", 3 },
	{ "R4", 4 }, { "R5", 5 }, { "R6", 6 }, { "R7", 7 },
	{ "R8", 8 }, { "R9", 9 }, { "R10", 10 }, { "R11", 11 },
	{ "R12", 12 }, { "R13", 13 }, { "R14", 14 }, { "R15", 15 },
	/* Constants of sim/vl32.h, in the order they appear there. */
	S(PSW_T),
	S(PSW_IO),
	S(PSW_EXT),
	S(PSW_SYSMASK),
	S(PSW_MCK),
	S(PSW_WAIT),
	S(PSW_PROBLEM),
	S(PSW_CC_SHIFT),
	S(PSW_CC_MASK),
	S(PSW_FPO),
	S(PSW_VALID_BITS),
	S(LC_RESTART_NEW),
	S(LC_RESTART_OLD),
	S(LC_EXT_OLD),
	S(LC_SVC_OLD),
	S(LC_PGM_OLD),
	S(LC_MCK_OLD),
	S(LC_IO_OLD),
	S(LC_CSW),
	S(LC_CAW),
	S(LC_EXT_NEW),
	S(LC_SVC_NEW),
	S(LC_PGM_NEW),
	S(LC_MCK_NEW),
	S(LC_IO_NEW),
	S(LC_EXT_CODE),
	S(LC_SVC_CODE),
	S(LC_PGM_CODE),
	S(LC_TRANS_ADDR),
	S(LC_IO_ADDR),
	S(LC_PGM_INSN),
	S(LC_FREE),
	S(PGM_OPERATION),
	S(PGM_PRIVILEGED),
	S(PGM_PROTECTION),
	S(PGM_ADDRESSING),
	S(PGM_SPECIFICATION),
	S(PGM_FIXED_OVERFLOW),
	S(PGM_FIXED_DIVIDE),
	S(PGM_SEGMENT_TRANS),
	S(PGM_PAGE_TRANS),
	S(PGM_TRANS_SPEC),
	S(EXT_INTERRUPT_KEY),
	S(EXT_CLOCK_COMP),
	S(EXT_CPU_TIMER),
	S(CR0_CKC_MASK),
	S(CR0_TIMER_MASK),
	S(CR0_KEY_MASK),
	S(CR1_STO_MASK),
	S(CR1_STL_MASK),
	S(VL32_PAGE_SHIFT),
	S(VL32_PAGE_SIZE),
	S(VL32_PAGE_MASK),
	S(STE_PTO_MASK),
	S(STE_INVALID),
	S(STE_VALID_BITS),
	S(STE_VALID_BITS),
	S(PTE_PFRA_MASK),
	S(PTE_INVALID),
	S(PTE_PROTECT),
	S(PTE_VALID_BITS),
	S(PTE_VALID_BITS),
	S(CCW_CMD_WRITE),
	S(CCW_CMD_READ),
	S(CCW_CMD_CONTROL),
	S(CCW_CMD_SENSE),
	S(CCW_CMD_TIC),
	S(CCW_CMD_LOCATE),
	S(CCW_CMD_EJECT),
	S(CCW_FLAG_CD),
	S(CCW_FLAG_CC),
	S(CCW_FLAG_SLI),
	S(CCW_FLAG_SKIP),
	S(UNIT_ATTENTION),
	S(UNIT_SM),
	S(UNIT_CUE),
	S(UNIT_BUSY),
	S(UNIT_CE),
	S(UNIT_DE),
	S(UNIT_CHECK),
	S(UNIT_EXCEPTION),
	S(CHAN_PCI),
	S(CHAN_LENGTH),
	S(CHAN_PROGRAM),
	S(CHAN_PROTECTION),
	S(CHAN_DATA),
	S(CHAN_CONTROL),
	S(CHAN_CHAINING),
	S(SENSE_CMD_REJECT),
	S(SENSE_INTERVENTION),
	S(SENSE_EQUIPMENT),
	S(SENSE_DATA_CHECK),
	S(CPUID_VERSION_BARE),
	S(CPUID_VERSION_CP),
	S(CPUID_MODEL),
	S(DISK_BLOCK_SIZE),
	S(ARCH_WAIT_PASS),
};

const int asm_predefined_count = sizeof asm_predefined / sizeof asm_predefined[0];

#undef S
