/*
 * sim/run.h -- shared pieces of the bare-machine subcommands (run,
 * archtest, bench, the demo).
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "image.h"
#include "machine.h"

/* Host files behind the standard devices (NULL: terminal or nothing). */
struct run_devices {
	FILE *console_in, *console_out;
	const char *reader, *punch, *printer, *disk;
	bool disk_readonly;
};

/* Assemble PROG.s or read PROG.img; diagnostics to errs. 0 or -1. */
int run_load_program(const char *path, struct sim_image *img, FILE *errs);
/* Attach console 009, reader 00C, punch 00D, printer 00E, disk 100. */
int run_attach_devices(struct sim_iosys *io, const struct run_devices *d, FILE *errs);
/* "64K", "1M", "1048576": whole 4 KiB pages up to 256M.  0 or -1. */
int run_parse_size(const char *s, uint32_t *out);

/* The ISA reference (sim/ISA.md) and Theorem 1's verdict. */
void isa_print_markdown(FILE *f);
int isa_unprivileged_sensitive(const char **names, int max);

#endif
