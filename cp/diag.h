/*
 * cp/diag.h -- DIAGNOSE: the guest's call to the control program (the
 * services are listed, one line each, in cp/diag.def).
 */
#ifndef CP_DIAG_H
#define CP_DIAG_H

#include <stdint.h>

#include "trap/trap.h"

struct cp_diag_info {
	uint32_t code;
	const char *name;
	const char *doc;
};
extern const struct cp_diag_info cp_diag_table[];
extern const int cp_diag_count;

/* The trap_hooks.diag entry: CC, or -PGM_* for a program exception. */
int cp_diag(struct trap_vm *g, uint32_t code, unsigned rx, unsigned ry);

#endif
