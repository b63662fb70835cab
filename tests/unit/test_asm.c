/*
 * tests/unit/test_asm.c -- the VL32 assembler (sim/asm.c, sim/ASM.md).
 *
 * Each test assembles a small source held in a string and checks the
 * bytes, the symbols' effects, or the exact diagnostics.  The last test
 * feeds thousands of random and mutated sources (fixed seed) and checks
 * that every one ends in an image or in well-formed error lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp/commands.h"
#include "sim/asm.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

struct result {
	int nerr;
	char *errs;          /* the diagnostics, one per line */
	char *listing;
	struct sim_image img;
};

static void assemble_opt(const char *src, struct result *r, const char *const *incdirs)
{
	size_t el = 0, ll = 0;
	memset(r, 0, sizeof *r);
	FILE *ef = open_memstream(&r->errs, &el);
	FILE *lf = open_memstream(&r->listing, &ll);
	struct asm_options opt = { .errors = ef, .listing = lf, .max_errors = 100 };
	for (int i = 0; incdirs && incdirs[i]; i++)
		opt.include_dirs[opt.ninclude++] = incdirs[i];
	r->nerr = asm_string("t.s", src, &opt, &r->img);
	fclose(ef);
	fclose(lf);
}

static void assemble(const char *src, struct result *r)
{
	assemble_opt(src, r, NULL);
}

static void done(struct result *r)
{
	free(r->errs);
	free(r->listing);
	sim_image_free(&r->img);
}

/* Assemble; fail with the messages unless it is clean. */
static void assemble_ok(const char *src, struct result *r)
{
	assemble(src, r);
	if (r->nerr)
		fail_msg("unexpected errors:\n%s", r->errs);
}

/* The byte at addr in the image (fails if no segment holds it). */
static uint8_t byte_at(const struct result *r, uint32_t addr)
{
	for (int i = 0; i < r->img.nseg; i++) {
		const struct sim_segment *s = &r->img.seg[i];
		if (addr >= s->addr && addr - s->addr < s->len)
			return s->data[addr - s->addr];
	}
	fail_msg("no byte assembled at X'%08X'", addr);
	return 0;
}

static uint32_t word_at(const struct result *r, uint32_t addr)
{
	return (uint32_t)byte_at(r, addr) << 24 | (uint32_t)byte_at(r, addr + 1) << 16 |
	       (uint32_t)byte_at(r, addr + 2) << 8 | byte_at(r, addr + 3);
}

/* One instruction statement at address 0 -> its word. */
static uint32_t one(const char *stmt)
{
	char src[512];
	snprintf(src, sizeof src, "         %s\n", stmt);
	struct result r;
	assemble(src, &r);
	if (r.nerr)
		fail_msg("'%s': %s", stmt, r.errs);
	uint32_t w = word_at(&r, 0);
	done(&r);
	return w;
}

/* Assemble and expect exactly this diagnostic as the first line. */
static void expect_error(const char *src, const char *first_line)
{
	struct result r;
	assemble(src, &r);
	assert_true(r.nerr > 0);
	size_t n = strlen(first_line);
	if (strncmp(r.errs, first_line, n) != 0 || (r.errs[n] != '\n'))
		fail_msg("expected\n  %s\ngot\n  %s", first_line, r.errs);
	assert_int_equal(r.img.nseg, 0);   /* no image on error */
	done(&r);
}

static void expect_bytes(const struct result *r, uint32_t addr, const char *hex);

/* ------------------------------------------------------------------ */
/* Formats                                                             */

static void test_formats(void **state)
{
	(void)state;
	assert_int_equal(one("AR    R1,R2"), 0x1A120000);
	assert_int_equal(one("BCR   15,R14"), 0x07FE0000);
	assert_int_equal(one("MVC   R4,R5,R6"), 0xD2456000);
	assert_int_equal(one("AHI   R1,-4"), 0xC210FFFC);
	assert_int_equal(one("LHI   R3,32767"), 0xC0307FFF);
	assert_int_equal(one("LUI   R3,X'FFFF'"), 0xC130FFFF);
	assert_int_equal(one("L     R1,8(R2,R12)"), 0x5812C008);
	assert_int_equal(one("L     R1,8(,R12)"), 0x5810C008);
	assert_int_equal(one("L     R1,8(R12)"), 0x5810C008);
	assert_int_equal(one("L     R1,4095"), 0x58100FFF);
	assert_int_equal(one("LM    R2,R5,16(R13)"), 0x9825D010);
	assert_int_equal(one("SLL   R1,4"), 0x89100004);
	assert_int_equal(one("SRA   R1,3(R2)"), 0x8A102003);
	assert_int_equal(one("STNSM 16(R12),X'FC'"), 0xACFCC010);
	assert_int_equal(one("LPSW  X'1F8'"), 0x820001F8);
	assert_int_equal(one("SIO   X'00C'"), 0x9C00000C);
	assert_int_equal(one("PTLB"), 0xA5000000);
	assert_int_equal(one("SVC   3"), 0x0A000003);
	assert_int_equal(one("DIAG  R2,R4,8"), 0x83240008);
	/* Case-insensitive mnemonics and registers; registers as numbers. */
	assert_int_equal(one("ar    r1,15"), 0x1A1F0000);
	/* A label may end with ':' and statements take comments. */
	struct result r;
	assemble_ok("X:       LR    R1,R2   ; copy\n* full-line comment\n; another\n"
		    "         J     X\n", &r);
	assert_int_equal(word_at(&r, 0), 0x18120000);
	assert_int_equal(word_at(&r, 4), 0xCAF0FFFF);
	done(&r);
}

static void test_extended_mnemonics_from_table(void **state)
{
	(void)state;
	/* Every VL32_ALIAS line: the alias is its base with the mask fixed. */
	for (int i = 0; i < vl32_alias_count; i++) {
		const struct vl32_alias *al = &vl32_aliases[i];
		const struct vl32_insn_info *in = &vl32_isa[al->opcode];
		char stmt[64];
		const char *opnd = in->format == FMT_RR ? "R14" : in->format == FMT_RI ? "*+8" : "8(R2,R12)";
		snprintf(stmt, sizeof stmt, "%s %s", al->name, opnd);
		uint32_t w = one(stmt);
		assert_int_equal(w >> 24, al->opcode);
		assert_int_equal(w >> 20 & 15, al->mask);
		if (in->format == FMT_RI)
			assert_int_equal(w & 0xFFFF, 2);
	}
}

static void test_relative_branches(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         ORG   X'1000'\n"
		    "TOP      BRC   8,X'00001040'\n"     /* numeric absolute target */
		    "         BRAS  R14,TOP\n"
		    "         BRCT  R3,NEXT\n"
		    "NEXT     JNE   TOP\n", &r);
	assert_int_equal(word_at(&r, 0x1000), 0xCA800010);
	assert_int_equal(word_at(&r, 0x1004), 0xCBE0FFFF);
	assert_int_equal(word_at(&r, 0x1008), 0xCC300001);
	assert_int_equal(word_at(&r, 0x100C), 0xCA70FFFD);
	done(&r);
	expect_error("         J     *+6\n",
		     "t.s:1:16: error: branch target X'00000006' is not a whole number of words away");
	expect_error("         J     *+X'20000'\n",
		     "t.s:1:16: error: branch target X'00020000' is too far (32768 words; limit -32768..32767)");
}

/* ------------------------------------------------------------------ */
/* Addresses and USING                                                 */

static void test_using(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         ORG   X'2000'\n"
		    "BASE     BALR  R12,0\n"
		    "         USING BASE,R12\n"
		    "         L     R1,DATA\n"        /* via R12 */
		    "         USING BASE+X'100',R11\n"
		    "         L     R2,DATA\n"        /* R11 gives the smaller d */
		    "         L     R3,X'10'\n"       /* 0..4095: base 0 always */
		    "         DROP  R11\n"
		    "         L     R4,DATA\n"
		    "         ORG   X'2200'\n"
		    "DATA     DC    F'7'\n", &r);
	assert_int_equal(word_at(&r, 0x2004), 0x5810C200);
	assert_int_equal(word_at(&r, 0x2008), 0x5820B100);
	assert_int_equal(word_at(&r, 0x200C), 0x58300010);
	assert_int_equal(word_at(&r, 0x2010), 0x5840C200);
	done(&r);
	/* USING with two registers covers 8 KiB. */
	assemble_ok("         ORG   X'3000'\n"
		    "         USING *,R11,R12\n"
		    "         L     R1,X'3000'+5000\n", &r);
	assert_int_equal(word_at(&r, 0x3000), 0x5810C000 | (5000 - 4096));
	done(&r);
	expect_error("         ORG   X'5000'\n         L     R1,*\n",
		     "t.s:2:19: error: address X'00005000' is not addressable; add USING");
	expect_error("         USING *,R12\n         DROP  R12\n         L     R1,X'5000'\n",
		     "t.s:3:19: error: address X'00005000' is not addressable; add USING");
	expect_error("         USING 0,R0\n",
		     "t.s:1:18: error: R0 cannot be a base register (0 means no base)");
	expect_error("         DROP  R5\n", "t.s:1:16: error: R5 is not in USING");
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */

static uint32_t value_of(const char *expr)
{
	char src[512];
	snprintf(src, sizeof src, "V        EQU   %s\n         DC    A(V)\n", expr);
	struct result r;
	assemble(src, &r);
	if (r.nerr)
		fail_msg("'%s': %s", expr, r.errs);
	uint32_t v = word_at(&r, 0);
	done(&r);
	return v;
}

static void test_expressions(void **state)
{
	(void)state;
	assert_int_equal(value_of("42"), 42);
	assert_int_equal(value_of("0x2A"), 42);
	assert_int_equal(value_of("X'2A'"), 42);
	assert_int_equal(value_of("B'101010'"), 42);
	assert_int_equal(value_of("C'A'"), 0x41);
	assert_int_equal(value_of("C'ABCD'"), 0x41424344);
	assert_int_equal(value_of("C''''"), 0x27);
	assert_int_equal(value_of("C' '"), 0x20);
	assert_int_equal(value_of("1+2*3"), 7);
	assert_int_equal(value_of("(1+2)*3"), 9);
	assert_int_equal(value_of("7/2"), 3);
	assert_int_equal(value_of("7%4"), 3);
	assert_int_equal(value_of("1<<4+1"), 32);     /* + binds tighter than << */
	assert_int_equal(value_of("X'F0'|X'0F'&X'3C'"), 0xFC);
	assert_int_equal(value_of("6^3"), 5);
	assert_int_equal(value_of("-1"), 0xFFFFFFFF);
	assert_int_equal(value_of("~0>>28"), 15);
	assert_int_equal(value_of("1<<40"), 0);
	assert_int_equal(value_of("4294967295+1"), 0);   /* 32-bit wraparound */
	assert_int_equal(value_of("- -5"), 5);
	assert_int_equal(value_of("PSW_IO|PSW_EXT"), PSW_IO | PSW_EXT);
	assert_int_equal(value_of("LC_PGM_NEW+4"), LC_PGM_NEW + 4);
	assert_int_equal(value_of("r15"), 15);
	/* '*' is the address of the statement. */
	struct result r;
	assemble_ok("         ORG   X'40'\nHERE     DC    A(*,*+4,HERE)\n", &r);
	assert_int_equal(word_at(&r, 0x40), 0x40);
	assert_int_equal(word_at(&r, 0x44), 0x44);
	assert_int_equal(word_at(&r, 0x48), 0x40);
	done(&r);
	expect_error("V        EQU   1/0\n", "t.s:1:17: error: division by zero");
	expect_error("V        EQU   4294967296\n", "t.s:1:16: error: number does not fit in 32 bits");
	expect_error("V        EQU   (1+2\n", "t.s:1:20: error: missing ')'");
	expect_error("V        EQU   C'ABCDE'\n", "t.s:1:16: error: C'...' term does not fit in 32 bits");
	expect_error("V        EQU   X'1G'\n", "t.s:1:19: error: bad hex digit 'G' in X'...'");
	expect_error("V        EQU   1 2\n", "t.s:1:18: error: unexpected '2' after expression");
}

static void test_equ_and_forward_references(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("LEN      EQU   END-START\n"
		    "TWICE    EQU   LEN*2\n"
		    "START    DC    A(LEN,TWICE,LATER)\n"
		    "END      DS    0F\n"
		    "LATER    EQU   X'99'\n", &r);
	assert_int_equal(word_at(&r, 0), 12);
	assert_int_equal(word_at(&r, 4), 24);
	assert_int_equal(word_at(&r, 8), 0x99);
	done(&r);
	expect_error("A        EQU   B\nB        EQU   A\n         DC    A(A)\n",
		     "t.s:1:16: error: EQU refers to itself (circular definition through 'B')");
	expect_error("A        EQU   NOWHERE\n", "t.s:1:16: error: undefined symbol 'NOWHERE'");
	expect_error("         EQU   1\n", "t.s:1:10: error: EQU needs a label: NAME EQU expression");
	expect_error("R1       EQU   1\n", "t.s:1:1: error: 'R1' is predefined and cannot be redefined");
	expect_error("X        DC    F'1'\nx        DC    F'2'\n",
		     "t.s:2:1: error: 'X' is already defined at t.s:1");
	/* An EQU defined above can size and place things below. */
	assemble_ok("N        EQU   3\nBASE     EQU   X'100'\n         ORG   BASE+N*4\n"
		    "         ALIGN N+1\nX        DS    (N)F\n         DC    CL(N)'A',A(X)\n", &r);
	assert_int_equal(r.img.seg[0].addr, 0x10C);
	expect_bytes(&r, 0x118, "412020000000010C");
	done(&r);
	/* ORG needs its value in pass 1. */
	expect_error("         ORG   LATER\nLATER    DC    F'1'\n",
		     "t.s:1:16: error: undefined symbol 'LATER'");
}

/* ------------------------------------------------------------------ */
/* Constants                                                           */

static void expect_bytes(const struct result *r, uint32_t addr, const char *hex)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		uint8_t got = byte_at(r, addr + (uint32_t)i);
		if (got != v)
			fail_msg("byte X'%08zX': expected %02X, got %02X (want %s)",
				 addr + i, v, got, hex);
	}
}

static void test_dc_types(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         DC    F'1,-2'\n"
		    "         DC    H'-1,65535,7'\n"
		    "         DC    C'AB''C'\n"
		    "         DC    X'ABC'\n"
		    "         DC    B'100000001'\n"
		    "         DC    A(X'01020304')\n"
		    "         DC    D'-2'\n"
		    "         DC    CL5'HI'\n"
		    "         DC    XL3'1'\n"
		    "         DC    BL2'1'\n"
		    "         DC    CL2'TOOLONG'\n"
		    "         DC    3C'AB'\n"
		    "         DC    2F'5',H'1'\n"
		    "         DC    X'00'\n"
		    "         DC    0F\n"
		    "AL       DC    C'Z'\n", &r);
	expect_bytes(&r, 0x00, "00000001FFFFFFFE");
	expect_bytes(&r, 0x08, "FFFFFFFF0007");
	expect_bytes(&r, 0x0E, "41422743");
	expect_bytes(&r, 0x12, "0ABC");
	expect_bytes(&r, 0x14, "0101");
	expect_bytes(&r, 0x16, "0000");        /* alignment padding for A */
	expect_bytes(&r, 0x18, "01020304");
	expect_bytes(&r, 0x20, "FFFFFFFFFFFFFFFE");
	expect_bytes(&r, 0x28, "4849202020");
	expect_bytes(&r, 0x2D, "000001");
	expect_bytes(&r, 0x30, "0001");
	expect_bytes(&r, 0x32, "544F");
	expect_bytes(&r, 0x34, "414241424142");
	expect_bytes(&r, 0x3C, "0000000500000005");
	expect_bytes(&r, 0x44, "0001");
	expect_bytes(&r, 0x46, "00");
	expect_bytes(&r, 0x48, "5A");          /* DC 0F aligned the label */
	done(&r);
}

static void test_ds(void **state)
{
	(void)state;
	/* AREA=4, TEXT=4+80=84, DBL=align8(164)=168, HALF=176, AFTER=180 */
	struct result q;
	assemble_ok("         DC    C'A'\n"
		    "AREA     DS    20F\n"
		    "TEXT     DS    CL80\n"
		    "         DS    0D\n"
		    "DBL      DS    D\n"
		    "HALF     DS    H,C\n"
		    "AFTER    DC    A(AREA,TEXT,DBL,HALF,AFTER)\n", &q);
	assert_int_equal(word_at(&q, 180), 4);
	assert_int_equal(word_at(&q, 184), 84);
	assert_int_equal(word_at(&q, 188), 168);
	assert_int_equal(word_at(&q, 192), 176);
	assert_int_equal(word_at(&q, 196), 180);
	assert_int_equal(byte_at(&q, 100), 0);   /* DS storage is zeros */
	done(&q);
}

static void test_dc_errors(void **state)
{
	(void)state;
	expect_error("         DC    F'1,X'\n", "t.s:1:20: error: bad digit 'X' in F constant (decimal integers only)");
	expect_error("         DC    H'70000'\n", "t.s:1:18: error: 70000 does not fit in a 2-byte H constant");
	expect_error("         DC    F'4294967296'\n", "t.s:1:18: error: 4294967296 does not fit in a 4-byte F constant");
	expect_error("         DC    Q'1'\n", "t.s:1:16: error: unknown constant type 'Q' (F H A X B C D)");
	expect_error("         DC    C'ABC\n", "t.s:1:17: error: unterminated quoted constant");
	expect_error("         DC    FL4'1'\n", "t.s:1:17: error: a length modifier is for C, X and B constants only");
	expect_error("         DC    F\n", "t.s:1:16: error: DC needs a value: e.g. F'0'");
	expect_error("         DC    X'12G'\n", "t.s:1:20: error: bad hex digit 'G'");
	expect_error("         DC    B'102'\n", "t.s:1:20: error: bad binary digit '2'");
	expect_error("         DC    C''\n", "t.s:1:17: error: empty constant");
	expect_error("         DC    A(UNDEF)\n", "t.s:1:18: error: undefined symbol 'UNDEF'");
	expect_error("         DC    100000000F'0'\n", "t.s:1:16: error: duplication factor too large");
	expect_error("         DC\n", "t.s:1:10: error: DC needs an operand: e.g. F'0', CL8' ', A(X)");
}

/* ------------------------------------------------------------------ */
/* Directives                                                          */

static void test_org_align_segments_entry(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         ORG   X'100'\n"
		    "A        DC    F'1'\n"
		    "         ORG   X'1000'\n"
		    "START    LR    R1,R2\n"
		    "         ALIGN 16\n"
		    "B        DC    X'FF'\n"
		    "         ORG   A\n"
		    "         DC    X'EE'\n"     /* overwrites the first byte of A */
		    "         ORG\n"             /* back to the highest address */
		    "C        DC    X'DD'\n"
		    "         END   START\n"
		    "         this line is ignored after END\n", &r);
	assert_int_equal(r.img.nseg, 2);
	assert_int_equal(r.img.seg[0].addr, 0x100);
	assert_int_equal(r.img.seg[0].len, 4);
	expect_bytes(&r, 0x100, "EE000001");
	assert_int_equal(r.img.seg[1].addr, 0x1000);
	expect_bytes(&r, 0x1000, "18120000000000000000000000000000FFDD");
	assert_int_equal(r.img.entry, 0x1000);
	done(&r);
	/* Default entry: the first instruction or constant; ENTRY sets it. */
	assemble_ok("X        EQU   5\n         ORG   X'300'\n         DS    F\n         DC    F'1'\n", &r);
	assert_int_equal(r.img.entry, 0x304);
	done(&r);
	assemble_ok("         LR    R1,R2\nE        LR    R1,R2\n         ENTRY E\n", &r);
	assert_int_equal(r.img.entry, 4);
	done(&r);
	expect_error("         ALIGN 3\n", "t.s:1:16: error: ALIGN 3: need a power of 2 up to 4096");
	expect_error("         ORG   X'FFFFFFFC'\n         DC    F'1,2'\n",
		     "t.s:2:10: error: location counter passes X'FFFFFFFF'");
}

static void test_li_and_psw(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         LI    R5,X'12345678'\n"
		    "         LI    R6,-1\n"
		    "         DC    X'01'\n"
		    "NEW      PSW   PSW_IO+PSW_EXT,TARGET\n"
		    "TARGET   DC    A(NEW)\n", &r);
	assert_int_equal(word_at(&r, 0), 0xC1501234);
	assert_int_equal(word_at(&r, 4), 0xC6505678);
	assert_int_equal(word_at(&r, 8), 0xC160FFFF);
	assert_int_equal(word_at(&r, 12), 0xC660FFFF);
	/* PSW is 8-aligned: 0x11 -> 0x18 */
	assert_int_equal(word_at(&r, 0x18), PSW_IO | PSW_EXT);
	assert_int_equal(word_at(&r, 0x1C), 0x20);
	assert_int_equal(word_at(&r, 0x20), 0x18);
	done(&r);
	/* Instructions are word-aligned too. */
	assemble_ok("         DC    X'01'\nI        LR    R1,R2\n         DC    A(I)\n", &r);
	assert_int_equal(word_at(&r, 8), 4);
	done(&r);
}

/* ------------------------------------------------------------------ */
/* Macros                                                              */

static void test_macros(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("         MACRO\n"
		    "&LABEL   SAVE  &FIRST,&LAST=R15\n"
		    "&LABEL   STM   &FIRST,&LAST,SAVEAREA\n"
		    "         MEND\n"
		    "         MACRO\n"
		    "         SPIN  &REG\n"
		    "LOOP&SYSNDX BRCT &REG,LOOP&SYSNDX\n"
		    "         MEND\n"
		    "         MACRO\n"
		    "         TWO   &A,&B\n"
		    "         SPIN  &A\n"
		    "         SPIN  &B\n"
		    "         DC    C'&A.X'\n"
		    "         MEND\n"
		    "HERE     SAVE  R14\n"           /* 0 */
		    "         SAVE  R2,LAST=R12\n"   /* 4 */
		    "         TWO   R3,R4\n"         /* 8, C, 10 (C'R3X') */
		    "         B     HERE\n"          /* 14 */
		    "         DC    A(LOOP0004,LOOP0005)\n" /* 18: SYSNDX 4 and 5 */
		    "SAVEAREA DS    16F\n", &r);     /* 20 */
	assert_int_equal(word_at(&r, 0x00), 0x90EF0020);
	assert_int_equal(word_at(&r, 0x04), 0x902C0020);
	assert_int_equal(word_at(&r, 0x08), 0xCC300000);
	assert_int_equal(word_at(&r, 0x0C), 0xCC400000);
	expect_bytes(&r, 0x10, "523358");
	assert_int_equal(word_at(&r, 0x14), 0x47F00000);
	assert_int_equal(word_at(&r, 0x18), 0x08);
	assert_int_equal(word_at(&r, 0x1C), 0x0C);
	/* The listing marks expanded lines with '+'. */
	assert_non_null(strstr(r.listing, "+ HERE   STM   R14,R15,SAVEAREA"));
	done(&r);
}

static void test_nested_definition(void **state)
{
	(void)state;
	/* A macro that defines a macro: the inner one's &Q is its own, and
	 * the outer one's &FIRST is substituted where the inner is called. */
	struct result r;
	assemble_ok("         MACRO\n"
		    "         OUTER &FIRST\n"
		    "         MACRO\n"
		    "         INNER &Q\n"
		    "         LR    &Q,&Q\n"
		    "         MEND\n"
		    "         INNER &FIRST\n"
		    "         DC    C'&&'\n"       /* && is one & */
		    "         MEND\n"
		    "         OUTER R3\n"
		    "         INNER R5\n", &r);     /* defined by OUTER */
	assert_int_equal(word_at(&r, 0), 0x18330000);
	assert_int_equal(byte_at(&r, 4), '&');
	assert_int_equal(word_at(&r, 8), 0x18550000);
	done(&r);
}

static void test_macro_errors(void **state)
{
	(void)state;
	expect_error("         MACRO\n         M     &A\n         LR    &B,R1\n         MEND\n"
		     "         M     R1\n",
		     "t.s:3:16: error: unknown macro parameter &B (in macro M called at t.s:5)");
	expect_error("         MACRO\n         M     &A\n         MEND\n         M     R1,R2\n",
		     "t.s:4:19: error: too many operands for macro M");
	expect_error("         MACRO\n         M     &A\n         MEND\n         M     Z=1\n",
		     "t.s:4:16: error: macro M has no keyword parameter Z");
	expect_error("         MACRO\n         M\n         M\n         MEND\n         M\n",
		     "t.s:3:10: error: macros nested deeper than 32 (a macro calling itself?) (in macro M called at t.s:3)");
	expect_error("         MACRO\n         M\n         LR    R1,R2\n",
		     "t.s:1:1: error: MACRO without MEND");
	expect_error("         MEND\n", "t.s:1:10: error: MEND without MACRO");
	expect_error("         MACRO\n         M     A\n         MEND\n",
		     "t.s:2:16: error: macro parameter expected: &NAME or &NAME=default");
	expect_error("         MACRO\n         DC    &A\n         MEND\n",
		     "t.s:2:10: error: DC is a directive and cannot be a macro name");
	/* The column is the one in the body line where the text came from:
	 * here &B at column 19, though R1+0 made the expanded line longer. */
	expect_error("         MACRO\n         M     &A,&B\n         AHI   &A,&B\n         MEND\n"
		     "         M     R1+0,70000\n",
		     "t.s:3:19: error: value 70000 does not fit in 16 bits (-32768..65535) (in macro M called at t.s:5)");
	/* An error inside an expansion names the body line and the call. */
	expect_error("         MACRO\n         M     &R\n         LR    &R,R1\n         MEND\n"
		     "         M     R99\n",
		     "t.s:3:16: error: undefined symbol 'R99' (in macro M called at t.s:5)");
}

/* ------------------------------------------------------------------ */
/* INCLUDE                                                             */

static char tmpdir[64];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* asm_file with its diagnostics captured in *errs (caller frees). */
static int asm_file_errs(const char *path, struct asm_options *opt, struct sim_image *img,
			 char **errs)
{
	size_t len = 0;
	*errs = NULL;
	opt->errors = open_memstream(errs, &len);
	int n = asm_file(path, opt, img);
	fclose(opt->errors);
	opt->errors = NULL;
	return n;
}

static void test_include(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/vmlab-asm-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	char sub[128], lib[128], mainpath[256];
	snprintf(sub, sizeof sub, "%s/src", tmpdir);
	snprintf(lib, sizeof lib, "%s/lib", tmpdir);
	mkdir(sub, 0700);
	mkdir(lib, 0700);
	/* Relative to the including file's folder first, then -I. */
	write_file(sub, "local.s", "LOCAL    DC    F'1'\n         INCLUDE 'macs.s'\n");
	write_file(lib, "macs.s", "         MACRO\n         INC   &R\n         AHI   &R,1\n         MEND\n");
	write_file(sub, "bad.s", "         LR    R1\n");
	write_file(sub, "main.s", "         INCLUDE 'local.s'\n         INC   R3\n         DC    A(LOCAL)\n");
	snprintf(mainpath, sizeof mainpath, "%s/main.s", sub);

	struct asm_options opt = { .max_errors = 20 };
	opt.include_dirs[opt.ninclude++] = lib;
	struct sim_image img;
	char *errs;
	int n = asm_file_errs(mainpath, &opt, &img, &errs);
	if (n)
		fail_msg("%s", errs);
	free(errs);
	assert_int_equal(img.nseg, 1);
	assert_int_equal(sim_get32(img.seg[0].data + 4), 0xC2300001);
	assert_int_equal(sim_get32(img.seg[0].data + 8), 0);
	sim_image_free(&img);

	/* Without -I the macro file is not found: the error names the line
	 * in the included file. */
	opt.ninclude = 0;
	char want[1024];
	snprintf(want, sizeof want,
		 "%s/local.s:2:18: error: cannot find INCLUDE file 'macs.s' (add -I DIR?)\n", sub);
	/* ...and then INC is an unknown operation: two errors. */
	assert_int_equal(asm_file_errs(mainpath, &opt, &img, &errs), 2);
	assert_int_equal(strncmp(errs, want, strlen(want)), 0);
	assert_non_null(strstr(errs, "main.s:2:10: error: unknown operation 'INC'\n"));
	free(errs);

	/* Errors in an included file carry its name. */
	write_file(sub, "main.s", "         INCLUDE 'bad.s'\n");
	snprintf(want, sizeof want, "%s/bad.s:1:16: error: LR takes r1,r2; found 1 operand\n", sub);
	assert_int_equal(asm_file_errs(mainpath, &opt, &img, &errs), 1);
	assert_string_equal(errs, want);
	free(errs);

	/* Devices and folders are not source files. */
	write_file(sub, "main.s", "         INCLUDE '/dev/zero'\n         INCLUDE '/tmp'\n");
	snprintf(want, sizeof want,
		 "%s:1:18: error: INCLUDE file '/dev/zero' is not a regular file\n"
		 "%s:2:18: error: INCLUDE file '/tmp' is not a regular file\n", mainpath, mainpath);
	assert_int_equal(asm_file_errs(mainpath, &opt, &img, &errs), 2);
	assert_string_equal(errs, want);
	free(errs);

	/* A file that includes itself stops at the nesting limit. */
	write_file(sub, "main.s", "         INCLUDE 'main.s'\n");
	assert_int_equal(asm_file_errs(mainpath, &opt, &img, &errs), 1);
	assert_non_null(strstr(errs, "main.s:1:18: error: INCLUDE nested deeper than 16"));
	free(errs);

	/* A source file that is not there. */
	assert_int_equal(asm_file_errs("/nonexistent/x.s", &opt, &img, &errs), 1);
	assert_string_equal(errs, "/nonexistent/x.s:1:1: error: cannot open: No such file or directory\n");
	free(errs);

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

static void test_error_positions(void **state)
{
	(void)state;
	expect_error("         FOO   R1\n", "t.s:1:10: error: unknown operation 'FOO'");
	expect_error("\tLR\tR1\n", "t.s:1:5: error: LR takes r1,r2; found 1 operand");
	expect_error("         LR    R1,R16\n", "t.s:1:19: error: undefined symbol 'R16'");
	expect_error("         LR    R1,16\n", "t.s:1:19: error: register 16 out of range: R0..R15");
	expect_error("         AHI   R1,65536\n", "t.s:1:19: error: value 65536 does not fit in 16 bits (-32768..65535)");
	expect_error("         STNSM 0,256\n", "t.s:1:18: error: value 256 does not fit in 8 bits (-128..255)");
	expect_error("         L     R1,4096(R2)\n", "t.s:1:19: error: displacement 4096 out of range 0..4095");
	expect_error("         LM    R1,R2,8(R3,R4)\n", "t.s:1:23: error: RS format has no index register: write d(b)");
	expect_error("         L     R1,8(R2\n", "t.s:1:23: error: expected ')' to close the registers opened at column 20");
	expect_error("         B     R1,X\n", "t.s:1:16: error: B takes d(x,b); found 2 operands");
	expect_error("         J\n", "t.s:1:10: error: J takes target; found 0 operands");
	expect_error("1BAD     LR    R1,R2\n", "t.s:1:1: error: bad label '1BAD': a label starts with a letter or _ @ $ #");
	expect_error("         LR    R1,R2\n         LR    R1,\n", "t.s:2:19: error: missing operand 2");
	expect_error("         SVC   X'10000'\n", "t.s:1:16: error: value 65536 does not fit in 16 bits (-32768..65535)");
	expect_error("         INCLUDE nofile\n", "t.s:1:18: error: INCLUDE needs a quoted file name: INCLUDE 'file'");
	/* Errors come out in source order, and all of them (up to the cap). */
	struct result r;
	assemble("         FOO\n         ORG   UNDEF\n         LR    R1\n         BAR\n", &r);
	assert_int_equal(r.nerr, 4);
	assert_string_equal(r.errs,
			    "t.s:1:10: error: unknown operation 'FOO'\n"
			    "t.s:2:16: error: undefined symbol 'UNDEF'\n"
			    "t.s:3:16: error: LR takes r1,r2; found 1 operand\n"
			    "t.s:4:10: error: unknown operation 'BAR'\n");
	done(&r);
	/* max_errors caps the printed lines. */
	char *errs = NULL;
	size_t el = 0;
	FILE *ef = open_memstream(&errs, &el);
	struct asm_options opt = { .errors = ef, .max_errors = 2 };
	struct sim_image img;
	assert_int_equal(asm_string("t.s", " A\n B\n C\n", &opt, &img), 3);
	fclose(ef);
	int lines = 0;
	for (char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2);
	free(errs);
}

/* ------------------------------------------------------------------ */
/* Predefined symbols and the listing                                  */

static void test_predefined_symbols(void **state)
{
	(void)state;
	/* Every #define of sim/vl32.h that is a plain constant is in the
	 * table, with the header's value. */
	FILE *f = fopen("sim/vl32.h", "r");
	if (!f)
		f = fopen("../../sim/vl32.h", "r");
	assert_non_null(f);
	char line[512];
	int checked = 0;
	while (fgets(line, sizeof line, f)) {
		char name[128];
		if (sscanf(line, "#define %127[A-Za-z0-9_]", name) != 1)
			continue;
		const char *after = strstr(line, name) + strlen(name);
		if (*after == '(' || !strcmp(name, "VL32_H"))
			continue;  /* function-like macro, include guard */
		int found = 0;
		for (int i = 0; i < asm_predefined_count; i++)
			found |= !strcmp(asm_predefined[i].name, name);
		if (!found)
			fail_msg("%s from sim/vl32.h is not predefined", name);
		checked++;
	}
	fclose(f);
	assert_true(checked > 50);
	assert_int_equal(value_of("PGM_PRIVILEGED"), PGM_PRIVILEGED);
	assert_int_equal(value_of("EXT_CPU_TIMER"), EXT_CPU_TIMER);
	assert_int_equal(value_of("CCW_FLAG_CC"), CCW_FLAG_CC);
	assert_int_equal(value_of("psw_wait"), PSW_WAIT);    /* case-insensitive */
}

static void test_listing(void **state)
{
	(void)state;
	struct result r;
	assemble_ok("* demo\n         ORG   X'200'\nSTART    LR    R1,R2\nK        EQU   7\n"
		    "         DC    F'1,2,3'\n", &r);
	assert_non_null(strstr(r.listing, "  00000200 18120000             3  START    LR    R1,R2\n"));
	assert_non_null(strstr(r.listing, "= 00000007                      4  K        EQU   7\n"));
	assert_non_null(strstr(r.listing, "0000000100000002"));   /* first 8 bytes only */
	assert_null(strstr(r.listing, "000000010000000200"));
	assert_non_null(strstr(r.listing, "START                            00000200  LABEL  t.s:3"));
	done(&r);
	/* Errors appear under their statement. */
	assemble("         LR    R1,R2\n         FOO\n         LR    R3,R4\n", &r);
	assert_non_null(strstr(r.listing, "FOO\n*** t.s:2:10: error: unknown operation 'FOO'\n"
					  "  00000004 18340000"));
	done(&r);
}

/* ------------------------------------------------------------------ */
/* The subcommands                                                     */

/* Run a subcommand's main with stdout and stderr captured into *out. */
static int run_cmd(int (*fn)(int, char **), char **out, int argc, ...)
{
	char *argv[16];
	va_list ap;
	va_start(ap, argc);
	for (int i = 0; i < argc && i < 15; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	char path[] = "/tmp/vmlab-cli-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	int rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	off_t len = lseek(fd, 0, SEEK_END);
	*out = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fd, *out, (size_t)len, 0), len);
	close(fd);
	unlink(path);
	return rc;
}

static void test_subcommands(void **state)
{
	(void)state;
	char dir[] = "/tmp/vmlab-asmcli-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char src[128], img[128], lst[128], bad[128];
	snprintf(src, sizeof src, "%s/prog.s", dir);
	snprintf(img, sizeof img, "%s/prog.img", dir);
	snprintf(lst, sizeof lst, "%s/prog.lst", dir);
	snprintf(bad, sizeof bad, "%s/bad.s", dir);
	FILE *f = fopen(src, "w");
	fputs("         ORG   X'200'\nSTART    LHI   R1,5\n         J     START\n"
	      "         DC    X'AABBCC'\n         END   START\n", f);
	fclose(f);
	f = fopen(bad, "w");
	fputs("         LR    R1\n", f);
	fclose(f);

	char *out;
	/* asm PROG.s -o PROG.img -l LIST */
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 6, "asm", src, "-o", img, "-l", lst), 0);
	free(out);
	struct sim_image im;
	char err[300];
	assert_int_equal(sim_image_read(img, &im, err, sizeof err), 0);
	assert_int_equal(im.entry, 0x200);
	assert_int_equal(im.nseg, 1);
	assert_int_equal(im.seg[0].len, 11);
	sim_image_free(&im);
	f = fopen(lst, "r");
	assert_non_null(f);
	fclose(f);

	/* disasm PROG.img: address, word, text; a short tail as DC. */
	assert_int_equal(run_cmd(vmlab_disasm_main, &out, 2, "disasm", img), 0);
	assert_non_null(strstr(out, "00000200  C0100005  LHI   R1,5   ; <- entry\n"));
	assert_non_null(strstr(out, "00000204  CAF0FFFF  J     X'00000200'\n"));
	assert_non_null(strstr(out, "00000208  AABBCC    DC    X'AABBCC'\n"));
	free(out);

	/* Errors: exit 1, the diagnostic, no image. */
	unlink(img);
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 4, "asm", bad, "-o", img), 1);
	char want[256];
	snprintf(want, sizeof want, "%s:1:16: error: LR takes r1,r2; found 1 operand\n", bad);
	assert_non_null(strstr(out, want));
	free(out);
	assert_int_equal(access(img, F_OK), -1);

	/* Usage errors: exit 2. */
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 1, "asm"), 2);
	free(out);
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 3, "asm", src, "-o"), 2);
	free(out);
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 3, "asm", src, "--bogus"), 2);
	free(out);
	assert_int_equal(run_cmd(vmlab_disasm_main, &out, 1, "disasm"), 2);
	free(out);
	/* A file that is not an image. */
	assert_int_equal(run_cmd(vmlab_disasm_main, &out, 2, "disasm", src), 1);
	assert_non_null(strstr(out, "not a VL32 image"));
	free(out);

	/* --symbols lists the registers and the constants of vl32.h. */
	assert_int_equal(run_cmd(vmlab_asm_main, &out, 2, "asm", "--symbols"), 0);
	assert_non_null(strstr(out, "R15                  X'0000000F'  15\n"));
	assert_non_null(strstr(out, "PSW_WAIT             X'00020000'"));
	assert_non_null(strstr(out, "LC_PGM_NEW           X'00000068'"));
	free(out);

	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------------------------ */
/* Robustness                                                          */

static uint32_t rs = 0xC0FFEE;
static uint32_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

/* Every diagnostic line must look like "t.s:N:N: error: ...". */
static void check_diag_format(const char *errs)
{
	for (const char *p = errs; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		unsigned l, c;
		char tail[8];
		if (sscanf(p, "t.s:%u:%u: %7s", &l, &c, tail) != 3 || strcmp(tail, "error:"))
			fail_msg("bad diagnostic: %.*s", (int)(nl - p), p);
		p = nl + 1;
	}
}

static void test_robustness(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"         ORG   X'200'\nSTART    BALR  R12,0\n         USING *,R12\n"
		"LOOP     L     R1,DATA(R2)\n         BRCT  R3,LOOP\n         LI    R4,X'ABCD1234'\n"
		"         DC    C'A''B',3XL2'F',A(START,*-4),H'-5',D'9',B'1010'\n"
		"DATA     DS    0D\n         PSW   PSW_WAIT,0\n",
		"         MACRO\n&L       M     &A,&K=R1\n&L       LR    &A,&K\nX&SYSNDX DC    C'&A.Z'\n"
		"         MEND\nY        M     R2,K=R3\n         M     R4\n",
		"A        EQU   B+4\nB        EQU   (1<<3)|X'F0'&~0^C'AB'%7/2-*\n         ALIGN 8\n"
		"         STNSM 4(R1),X'FC'\n         LM    R1,R3,8(R4)\n         END   A\n",
	};
	static const char alphabet[] =
		" \t,()'&*+-/%<>|^~;:=.0123456789ABCDEFXLRabcfhx_@$#\n";
	int images = 0;
	for (int round = 0; round < 4000; round++) {
		char src[1024];
		size_t n;
		if (round % 4 == 3) {
			/* Pure noise. */
			n = rnd() % 300;
			for (size_t i = 0; i < n; i++)
				src[i] = round % 8 == 7 ? (char)(1 + rnd() % 255)
							: alphabet[rnd() % (sizeof alphabet - 1)];
			src[n] = 0;
		} else {
			/* A valid program with a few bytes changed, cut or repeated. */
			const char *seed = seeds[round % 3];
			n = strlen(seed);
			memcpy(src, seed, n + 1);
			int edits = 1 + rnd() % 6;
			for (int e = 0; e < edits; e++) {
				size_t at = rnd() % n;
				switch (rnd() % 4) {
				case 0: src[at] = alphabet[rnd() % (sizeof alphabet - 1)]; break;
				case 1: src[at] = (char)(1 + rnd() % 255); break;
				case 2: memmove(src + at, src + at + 1, n - at); n--; break;
				case 3:
					if (n + 20 < sizeof src) {
						memmove(src + at + 10, src + at, n - at + 1);
						memmove(src + at, src + (rnd() % (n - 10)), 10);
						n += 10;
					}
					break;
				}
				if (n < 12)
					break;
			}
		}
		struct result r;
		assemble(src, &r);
		check_diag_format(r.errs);
		if (r.nerr == 0)
			images++;
		else
			assert_int_equal(r.img.nseg, 0);
		done(&r);
	}
	assert_true(images > 0);   /* some mutations are harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_extended_mnemonics_from_table),
		cmocka_unit_test(test_relative_branches),
		cmocka_unit_test(test_using),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_equ_and_forward_references),
		cmocka_unit_test(test_dc_types),
		cmocka_unit_test(test_ds),
		cmocka_unit_test(test_dc_errors),
		cmocka_unit_test(test_org_align_segments_entry),
		cmocka_unit_test(test_li_and_psw),
		cmocka_unit_test(test_macros),
		cmocka_unit_test(test_nested_definition),
		cmocka_unit_test(test_macro_errors),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_predefined_symbols),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_subcommands),
		cmocka_unit_test(test_robustness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
