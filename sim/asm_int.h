/*
 * sim/asm_int.h -- the assembler's insides, shared by its files:
 *
 *   asm.c       diagnostics, symbols, pass 1 (layout), pass 2 (encoding),
 *               segments, listing, the entry points asm_file/asm_string
 *   asm_read.c  the reader: files, INCLUDE, MACRO definitions and calls
 *   asm_expr.c  statement fields, operand splitting, expressions, and the
 *               register / immediate / address operands
 *   asm_dc.c    the DC and DS constants
 *
 * Not an interface for anything outside the assembler: use sim/asm.h.
 */
#ifndef SIM_ASM_INT_H
#define SIM_ASM_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "asm.h"

#define ASM_MAX_SYMLEN     63
#define ASM_MAX_MACRO_DEPTH 32
#define ASM_MAX_INCLUDE_DEPTH 16
#define ASM_MAX_STMTS      250000   /* a runaway macro stops here */
#define ASM_MAX_DIAGS      10000    /* kept for sorting; max_errors printed */
#define ASM_MAX_CONST      (16u << 20) /* bytes one DC/DS may produce */
#define ASM_MAX_OPERANDS   64
#define ASM_MAX_SOURCE     (16u << 20) /* bytes in one source file */

/* ------------------------------------------------------------------ */
/* Data structures                                                     */

/* Where a statement came from.  file and via live in the string pool. */
struct asm_src {
	const char *file;
	int line;
	const char *via;  /* "macro NAME at file:line" for expanded lines */
};

enum asm_kind {
	K_NONE,   /* comment, blank, label only: no code */
	K_LIST,   /* only listed: MACRO bodies, INCLUDE, macro calls */
	K_INSN, K_LI, K_PSW, K_DC, K_DS, K_EQU, K_ORG, K_ALIGN,
	K_USING, K_DROP, K_ENTRY, K_END,
};

/* A text span inside a statement: offset and length. */
struct asm_span {
	int off, len;
};

struct asm_stmt {
	char *text;
	int len;
	struct asm_src src;
	struct asm_span label, op, opnd; /* label.len == 0: none */
	bool define_label;  /* false when a macro's body defines it instead */
	enum asm_kind kind;
	const struct vl32_insn_info *insn;
	int alias_mask;     /* -1, or the r1 an extended mnemonic fixes */
	bool bad;           /* pass 1 reported an error: skip in pass 2 */
	bool expanded;      /* came from a macro body (listing shows '+') */
	bool equ_done;      /* an EQU whose symbol is defined */
	int *colmap;        /* expanded line: text offset -> column in the
			       macro body line (len + 1 entries), else NULL */
	uint32_t addr, pad, size;
	uint8_t list[8];
	int nlist;
};

enum asm_symkind { SYM_PREDEF, SYM_LABEL, SYM_EQU };

struct asm_sym {
	struct asm_sym *next;
	char name[ASM_MAX_SYMLEN + 1]; /* upper case */
	uint32_t value;
	enum asm_symkind kind;
	struct asm_src src;
};

#define ASM_SYM_BUCKETS 1024

struct asm_macparam {
	char name[ASM_MAX_SYMLEN + 1];  /* without '&', upper case */
	bool keyword;
	char *def;                      /* keyword default */
};

struct asm_macline {
	char *text;
	struct asm_src src;
};

struct asm_macro {
	struct asm_macro *next;
	char name[ASM_MAX_SYMLEN + 1];
	char label[ASM_MAX_SYMLEN + 1];   /* the &LABEL parameter, or "" */
	struct asm_macparam *params;
	int nparams;
	struct asm_macline *body;
	int nbody, capbody;
	struct asm_src src;
};

struct asm_diag {
	long seq;       /* statement index it belongs to: sort key */
	long order;     /* tie break: the order of discovery */
	char *text;
};

/* One run of bytes emitted by pass 2, in emission order. */
struct asm_run {
	uint32_t addr;
	uint32_t len, cap;
	uint8_t *data;
	long order;
};

struct asm_pool {  /* strings that live as long as the assembly */
	char **s;
	int n, cap;
};

struct assembler {
	const struct asm_options *opt;
	struct asm_options defopt;

	struct asm_stmt *st;
	long nst, capst;
	bool ended;        /* END seen: later lines are ignored */
	bool stop;         /* too many statements: stop reading */

	/* Macro definition in progress. */
	struct asm_macro *defining;
	int def_nest;      /* MACRO lines inside the body being defined */
	bool want_proto;   /* the next line is the prototype */
	struct asm_src macro_src;
	struct asm_macro *macros;
	struct asm_macro *retired;  /* redefined: freed at the end */
	int macro_depth;
	unsigned sysndx;
	int include_depth;

	struct asm_sym *sym[ASM_SYM_BUCKETS];

	struct asm_diag *diag;
	long ndiag, capdiag;
	long cur_seq;

	/* Pass 2 state. */
	bool using_on[16];
	uint32_t using_base[16];
	bool have_entry, have_default_entry;
	uint32_t entry, default_entry;
	struct asm_run *run;
	long nrun, caprun;

	struct asm_pool pool;
};

/* Character classes by hand, not <ctype.h>: source bytes above 127 are
 * ordinary data here, and isalpha() of a negative char is undefined. */
static inline bool asm_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
static inline bool asm_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool asm_letter(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static inline bool asm_sym_start(int c) { return asm_letter(c) || c == '_' || c == '@' || c == '$' || c == '#'; }
static inline bool asm_sym_char(int c) { return asm_sym_start(c) || asm_digit(c); }
static inline int asm_upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static inline int asm_hexval(int c)
{
	if (asm_digit(c))
		return c - '0';
	c = asm_upper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Results of evaluating a whole span. */
enum { EX_OK = 0, EX_UNDEF = 1, EX_ERR = -1 };

/* asm.c: memory, strings, diagnostics, symbols. */
void *asm_xrealloc(void *p, size_t n);
char *asm_xstrndup(const char *s, size_t n);
const char *asm_pool_add(struct assembler *a, char *s);
bool asm_span_is(const struct asm_stmt *s, struct asm_span sp, const char *word);
bool asm_span_name(const char *text, struct asm_span sp, char *out);
int asm_col(const struct asm_stmt *s, int off);
void asm_verror(struct assembler *a, const struct asm_src *src, int col,
		const char *fmt, va_list ap);
void asm_error_at(struct assembler *a, const struct asm_src *src, int col,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void asm_error(struct assembler *a, const struct asm_stmt *s, int off,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct asm_sym *asm_sym_find(struct assembler *a, const char *upper);

/* asm_expr.c: fields, operands, expressions. */
void asm_fields(struct asm_stmt *s);
int asm_split(const char *t, struct asm_span sp, struct asm_span *out, int max);
int asm_eval(struct assembler *a, struct asm_stmt *s, int off, int len,
	     bool undef_ok, uint32_t *val);
int asm_eval_quiet(struct assembler *a, struct asm_stmt *s, int off, int len,
		   uint32_t *val, char *undef);
int asm_reg(struct assembler *a, struct asm_stmt *s, struct asm_span sp, unsigned *r);
int asm_imm(struct assembler *a, struct asm_stmt *s, struct asm_span sp, int bits,
	    uint32_t *out);
int asm_addr(struct assembler *a, struct asm_stmt *s, struct asm_span sp, bool index_ok,
	     unsigned *x, unsigned *b, unsigned *d);

/* Growable string (macro substitution, file contents). */
struct asm_buf {
	char *p;
	size_t n, cap;
};

/* asm_read.c: the reader. */
void asm_buf_add(struct asm_buf *b, const char *s, size_t n);
int asm_slurp(FILE *f, struct asm_buf *b);
void asm_read_text(struct assembler *a, const char *file, const char *text, size_t len);
void asm_macro_free(struct asm_macro *m);

/* asm_dc.c: lay out (out == NULL) or build a DC/DS statement. */
int asm_dc(struct assembler *a, struct asm_stmt *s, bool ds, uint32_t addr,
	   uint32_t *pad, uint32_t *size, uint8_t *out);

#endif
