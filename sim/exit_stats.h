/*
 * sim/exit_stats.h -- one way to count "the guest left the fast path".
 *
 * Every run loop in vmlab has the same shape: run the guest until
 * something needs a decision, decide, resume.  The bare VL32 machine,
 * CP's trap-and-emulate loop and host-kvm's KVM_RUN loop all count those
 * exits here, by kind and by a detail key (an opcode, an I/O port, a KVM
 * exit reason), so the console can put them side by side.
 */
#ifndef EXIT_STATS_H
#define EXIT_STATS_H

#include <stdint.h>
#include <stdio.h>

enum exit_kind {
	EXK_PRIVILEGED,  /* a privileged instruction emulated by the monitor */
	EXK_PROGRAM,     /* a program interruption (reflected or delivered) */
	EXK_SVC,         /* a supervisor call */
	EXK_IO_INSN,     /* an I/O instruction (SIO/TIO/HIO; x86 port I/O) */
	EXK_MMIO,        /* a memory-mapped I/O access (x86) */
	EXK_HYPERCALL,   /* DIAGNOSE; x86 hypercall */
	EXK_EXTERNAL,    /* external interruption: timer, clock comparator, key */
	EXK_IO_INT,      /* an I/O interruption delivered */
	EXK_WAIT,        /* wait state (VL32) / HLT (x86) */
	EXK_TRANSLATION, /* shadow-table fault, page fault handled by the monitor */
	EXK_BUDGET,      /* time slice or budget spent */
	EXK_SHUTDOWN,    /* the guest stopped: disabled wait, triple fault... */
	EXK_OTHER,
	EXK_COUNT
};

/* Printable name of each kind, e.g. "privileged". */
extern const char *const exit_kind_names[EXK_COUNT];

#define EXIT_DETAIL_SLOTS 128

struct exit_detail {
	uint32_t kind;  /* enum exit_kind + 1; 0 marks a free slot */
	uint32_t key;   /* opcode, port, exit reason: meaning set by the owner */
	uint64_t count;
};

struct exit_stats {
	uint64_t instructions;       /* guest instructions executed, if known */
	uint64_t cycles;             /* simulated cycles, 0 where not simulated */
	uint64_t count[EXK_COUNT];   /* exits by kind */
	uint64_t detail_overflow;    /* exits whose detail found no free slot */
	struct exit_detail detail[EXIT_DETAIL_SLOTS];
};

void exit_stats_reset(struct exit_stats *s);
/* Count one exit of this kind, with a detail key (0 if none). */
void exit_stats_add(struct exit_stats *s, enum exit_kind kind, uint32_t key);
uint64_t exit_stats_total(const struct exit_stats *s);
/* Detail count for (kind, key), 0 if never seen. */
uint64_t exit_stats_detail(const struct exit_stats *s, enum exit_kind kind,
			   uint32_t key);
/* Add every count of src into dst. */
void exit_stats_merge(struct exit_stats *dst, const struct exit_stats *src);

/*
 * Print the kinds with a non-zero count as a table, one per line, with
 * exits per thousand instructions when instructions are known.  name_key,
 * if not NULL, names a detail key for the detail lines.
 */
void exit_stats_print(FILE *f, const struct exit_stats *s,
		      const char *(*name_key)(enum exit_kind, uint32_t));

#endif
