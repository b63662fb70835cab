/*
 * sim/archtest.h -- running one architecture-suite test on a target: the
 * bare machine here, a guest under CP in trap/equiv.c.  The suite's
 * conventions are in tests/arch/README.md.
 */
#ifndef SIM_ARCHTEST_H
#define SIM_ARCHTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "run.h"

#define ARCH_MAX_INSTRUCTIONS 10000000u

/* The final architectural state of one run. */
struct arch_result {
	bool passed;          /* ended in a disabled wait with code 0, outputs right */
	bool finished;        /* ended in a disabled wait at all */
	uint32_t gpr[16];
	uint32_t psw0, psw1;  /* final PSW */
	uint64_t instructions;
	uint64_t storage_hash;
	char msg[1024];       /* why it failed */
};

struct arch_target {
	const char *name;
	/* Run img with the standard devices; fill r (archtest_capture) and,
	 * if it did not end in a disabled wait, r->msg.  0, or -1 if it could
	 * not run at all (r->msg says why). */
	int (*run)(void *ctx, const struct sim_image *img,
		   const struct run_devices *devs, struct arch_result *r);
	void *ctx;
};

extern const struct arch_target arch_bare_target;

/* Assemble the test, set up its companion files, run it on t, compare
 * the outputs.  0 if it passed; else r->msg says why. */
int archtest_run_file(const char *path, const struct arch_target *t,
		      struct arch_result *r);
/* Record registers, PSW and a hash of storage into r. */
void archtest_capture(struct arch_result *r, const struct sim_cpu *cpu,
		      const struct sim_mem *mem);
/* "tests/arch/ar.s" -> "ar". */
const char *archtest_name(const char *path, char *buf, size_t len);

#endif
