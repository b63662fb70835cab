/*
 * sim/machine.h -- the bare VL32 machine: a CPU, its storage and its
 * devices, driven the way real hardware would drive them.
 *
 * The driver loop (sim_machine_run) calls sim_run and turns every exit
 * into what the hardware does: a program check, an SVC, an external or an
 * I/O interruption becomes the architected PSW swap through low storage;
 * an I/O instruction runs against the channel; DIAGNOSE finds no control
 * program (CC 3); a wait state lets simulated time jump to the next event.
 * CP (trap/, cp/) has a loop of the same shape that decides differently.
 */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exit_stats.h"
#include "image.h"
#include "io.h"
#include "sim.h"

/* The standard device addresses of the bare machine (tests/arch/README.md). */
#define MACHINE_CONSOLE 0x009
#define MACHINE_READER  0x00C
#define MACHINE_PUNCH   0x00D
#define MACHINE_PRINTER 0x00E
#define MACHINE_DISK    0x100

#define MACHINE_DEFAULT_STORAGE (1024u * 1024u)

enum machine_stop {
	STOP_NONE,
	STOP_DISABLED_WAIT,   /* the normal end: code = PSW address */
	STOP_IDLE_WAIT,       /* enabled wait with no event that could end it */
	STOP_MAX_INSTRUCTIONS,
	STOP_ADDRESS,         /* an address stop (breakpoint) */
	STOP_BAD_NEW_PSW,     /* an interruption loaded an invalid new PSW */
	STOP_PGM_LOOP,        /* program interruptions with no progress between */
	STOP_INT_LOOP,        /* external/I/O interruptions, no instruction between */
};

extern const char *const machine_stop_names[];

struct sim_machine {
	struct sim_mem mem;
	struct sim_cpu cpu;
	struct sim_iosys io;
	struct exit_stats stats;
	uint64_t wait_cycles;     /* simulated time spent in the wait state */
	FILE *trace;              /* if set, one line per instruction */
	uint64_t trace_hash;      /* FNV-1a over every executed instruction
				     and its effect, when hashing */
	bool hashing;
	uint32_t pgm_streak;      /* program interruptions in a row, each on the
				     first instruction after the previous one */
	uint64_t pgm_last_icount;
	uint32_t int_streak;      /* external/I/O interruptions with no
				     instruction completed in between */
	uint64_t int_last_icount;
};

/* Storage of size bytes and no devices.  0 or a negative errno. */
int sim_machine_init(struct sim_machine *m, uint32_t storage);
void sim_machine_destroy(struct sim_machine *m);

/* Place an image in storage and point the PSW at its entry (supervisor
 * state, disabled, DAT off), as an IPL would. */
int sim_machine_load(struct sim_machine *m, const struct sim_image *img,
		     char *err, size_t errlen);

/*
 * Run until the machine stops or max_instructions have run (0: no
 * limit).  Returns why it stopped.
 */
enum machine_stop sim_machine_run(struct sim_machine *m, uint64_t max_instructions);

/* Print the PSW and registers, e.g. for `vmlab run --regs`. */
void sim_machine_print_state(FILE *f, const struct sim_machine *m);

/* Name an exit detail key of the bare machine (for exit_stats_print). */
const char *sim_machine_key_name(enum exit_kind kind, uint32_t key);

#endif
