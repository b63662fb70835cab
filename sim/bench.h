/*
 * sim/bench.h -- benchmark runs: one program, one target (the bare
 * machine here; trap-and-emulate and many guests in cp/bench_main.c),
 * the figures `vmlab bench` prints.  Later issues add fields, never
 * rename the JSON ones.
 */
#ifndef SIM_BENCH_H
#define SIM_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct bench_result {
	char name[64];
	const char *mode;            /* "bare", "cp" */
	uint64_t guest_instructions;
	uint64_t sim_cycles;
	double wall_seconds;
	double mips;
	uint64_t host_instructions;  /* callgrind Ir beyond start-up, if measured */
	double host_per_guest;       /* < 0: not measured */
	double ratio_to_bare;        /* speed under CP / bare speed; < 0: n/a */
	double host_per_emulated;    /* < 0: n/a */
	uint64_t emulated;           /* instructions CP emulated */
	uint64_t bytes_per_guest;    /* host memory per guest beyond its storage */
	double ratio_to_one;         /* many guests: cost per guest instruction
					relative to one guest; 0: n/a */
	int guests;
	bool ok;
};

struct bench_target {
	const char *mode;
	/* Run the benchmark at path; with callgrind, rerun it under valgrind
	 * (self is this program) and fill the host-instruction fields. */
	int (*run)(const char *path, const char *name, bool callgrind, const char *self,
		   struct bench_result *r);
};

extern const struct bench_target bench_bare_target;

double bench_now(void);
/* valgrind --tool=callgrind self SUB PATH --quiet [EXTRA]: total Ir, 0 on failure. */
uint64_t bench_callgrind_ir(const char *self, const char *sub, const char *path,
			    const char *extra);
/* valgrind --tool=callgrind ARGV...: total Ir, 0 on failure. */
uint64_t bench_callgrind_argv(char *const argv[]);
/* The benchmark names (NAME.s) in dir, sorted; returns how many, -1 if no dir. */
int bench_list(const char *dir, char **names, int max);
void bench_print_header(bool json);
void bench_print(const struct bench_result *r, bool json, bool last);

#endif
