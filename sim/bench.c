/*
 * sim/bench.c -- `vmlab bench`: how fast the simulator runs real programs.
 *
 * Each benchmark is a program in tests/bench/NAME.s that does a known
 * amount of work, checks its own result and stops in a disabled wait with
 * code 0.  We report guest instructions, simulated cycles, host wall time
 * and MIPS; with --callgrind we rerun each under valgrind's callgrind and
 * report host instructions per guest instruction, which, unlike seconds,
 * is the same on a busy machine as on an idle one.  The start-up cost
 * (assembling, loading) is measured separately with --load-only and
 * subtracted.
 *
 * These are benchmarks, not tests: they print what they measured and
 * fail only if a program does not finish correctly.  Targets live in the
 * README and in the notes, not in assertions about time.
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"

#define BENCH_DIR "tests/bench"
#define BENCH_MAX 64

double bench_now(void)
{
	/* The host clock measures the simulator, never the simulation. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run `vmlab run PATH --quiet [extra]` under callgrind; return the total
 * host instructions (Ir), or 0 on failure. */
uint64_t bench_callgrind_argv(char *const argv[])
{
	char out[] = "/tmp/vmlab-callgrind-XXXXXX";
	int fd = mkstemp(out);
	if (fd < 0)
		return 0;
	close(fd);
	char outopt[64];
	snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s", out);
	char *args[32];
	int n = 0;
	args[n++] = "valgrind";
	args[n++] = "--tool=callgrind";
	args[n++] = outopt;
	for (int i = 0; argv[i] && n < 31; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execvp("valgrind", args);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 127) {
		unlink(out);
		return 0;
	}
	uint64_t ir = 0;
	FILE *f = fopen(out, "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		/* "summary: N" (or "totals: N") holds the total event count. */
		if (!strncmp(line, "summary:", 8) || !strncmp(line, "totals:", 7))
			ir = strtoull(strchr(line, ':') + 1, NULL, 10);
	}
	if (f)
		fclose(f);
	unlink(out);
	return ir;
}

uint64_t bench_callgrind_ir(const char *self, const char *sub, const char *path,
			    const char *extra)
{
	char *argv[] = { (char *)self, (char *)sub, (char *)path, "--quiet", (char *)extra, NULL };
	return bench_callgrind_argv(argv);
}

static int bare_bench(const char *path, const char *name, bool callgrind,
		      const char *self, struct bench_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->mode = "bare";
	r->host_per_guest = -1;
	r->host_per_emulated = -1;
	r->ratio_to_bare = -1;
	r->guests = 1;
	struct sim_image img;
	if (run_load_program(path, &img, stderr))
		return -1;
	struct sim_machine m;
	char err[512];
	if (sim_machine_init(&m, MACHINE_DEFAULT_STORAGE)) {
		sim_image_free(&img);
		return -1;
	}
	struct run_devices devs = { .console_out = stderr };
	int rc = -1;
	if (run_attach_devices(&m.io, &devs, stderr) ||
	    sim_machine_load(&m, &img, err, sizeof err))
		goto out;
	double t0 = bench_now();
	enum machine_stop why = sim_machine_run(&m, 0);
	double t1 = bench_now();
	r->guest_instructions = m.cpu.instructions;
	r->sim_cycles = m.cpu.cycles;
	r->wall_seconds = t1 - t0;
	r->mips = r->wall_seconds > 0 ? (double)r->guest_instructions / r->wall_seconds / 1e6 : 0;
	r->ok = why == STOP_DISABLED_WAIT && m.cpu.psw_ia == 0;
	if (!r->ok)
		fprintf(stderr, "vmlab bench: %s did not finish correctly (%s, code X'%03" PRIX32 "')\n",
			name, machine_stop_names[why], m.cpu.psw_ia);
	if (r->ok && callgrind) {
		uint64_t full = bench_callgrind_ir(self, "run", path, NULL);
		uint64_t base = bench_callgrind_ir(self, "run", path, "--load-only");
		if (full && base && full > base && r->guest_instructions) {
			r->host_instructions = full - base;
			r->host_per_guest = (double)(full - base) / (double)r->guest_instructions;
		}
		else
			fprintf(stderr, "vmlab bench: callgrind measurement of %s failed "
					"(is valgrind installed?)\n", name);
	}
	rc = r->ok ? 0 : -1;
out:
	sim_machine_destroy(&m);
	sim_image_free(&img);
	return rc;
}

const struct bench_target bench_bare_target = { "bare", bare_bench };

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bench_list(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 2 && !strcmp(e->d_name + len - 2, ".s"))
			names[n++] = strndup(e->d_name, len - 2);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	return n;
}

void bench_print(const struct bench_result *r, bool json, bool last)
{
	if (json) {
		printf("  {\"name\": \"%s\", \"mode\": \"%s\", \"guest_instructions\": %" PRIu64
		       ", \"sim_cycles\": %" PRIu64 ", \"wall_seconds\": %.6f, \"mips\": %.2f",
		       r->name, r->mode, r->guest_instructions, r->sim_cycles, r->wall_seconds,
		       r->mips);
		if (r->host_per_guest >= 0)
			printf(", \"host_instructions_per_guest_instruction\": %.2f", r->host_per_guest);
		if (r->ratio_to_bare >= 0)
			printf(", \"ratio_to_bare\": %.3f", r->ratio_to_bare);
		if (r->host_per_emulated >= 0)
			printf(", \"host_instructions_per_emulated_instruction\": %.1f",
			       r->host_per_emulated);
		if (strcmp(r->mode, "bare"))
			printf(", \"guests\": %d, \"emulated\": %" PRIu64, r->guests, r->emulated);
		if (r->bytes_per_guest)
			printf(", \"bytes_per_guest_beyond_storage\": %" PRIu64, r->bytes_per_guest);
		if (r->ratio_to_one > 0)
			printf(", \"cost_ratio_to_one_guest\": %.3f", r->ratio_to_one);
		printf(", \"ok\": %s}%s\n", r->ok ? "true" : "false", last ? "" : ",");
		return;
	}
	printf("%-14s %-5s %5d %13" PRIu64 " %13" PRIu64 " %8.3f %8.1f", r->name, r->mode,
	       r->guests, r->guest_instructions, r->sim_cycles, r->wall_seconds, r->mips);
	if (r->host_per_guest >= 0)
		printf(" %9.2f", r->host_per_guest);
	else
		printf(" %9s", "-");
	if (r->ratio_to_bare >= 0)
		printf(" %7.3f", r->ratio_to_bare);
	else
		printf(" %7s", "-");
	if (r->host_per_emulated >= 0)
		printf(" %9.1f", r->host_per_emulated);
	printf("%s\n", r->ok ? "" : "  (FAILED)");
}

void bench_print_header(bool json)
{
	if (json)
		printf("[\n");
	else
		printf("%-14s %-5s %5s %13s %13s %8s %8s %9s %7s %9s\n", "benchmark", "mode", "vms",
		       "guest instr", "sim cycles", "wall s", "MIPS", "host/gi", "vs bare",
		       "host/emu");
}
