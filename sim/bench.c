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

#include "cp/commands.h"
#include "run.h"

#define BENCH_DIR "tests/bench"
#define BENCH_MAX 64

struct bench_result {
	char name[64];
	const char *mode;
	uint64_t guest_instructions;
	uint64_t sim_cycles;
	double wall_seconds;
	double mips;
	double host_per_guest;  /* < 0: not measured */
	bool ok;
};

static double now_seconds(void)
{
	/* The host clock measures the simulator, never the simulation. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run `vmlab run PATH --quiet [extra]` under callgrind; return the total
 * host instructions (Ir), or 0 on failure. */
static uint64_t callgrind_ir(const char *self, const char *path, const char *extra)
{
	char out[] = "/tmp/vmlab-callgrind-XXXXXX";
	int fd = mkstemp(out);
	if (fd < 0)
		return 0;
	close(fd);
	char outopt[64];
	snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s", out);
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		if (extra)
			execlp("valgrind", "valgrind", "--tool=callgrind", outopt, self,
			       "run", path, "--quiet", extra, (char *)NULL);
		else
			execlp("valgrind", "valgrind", "--tool=callgrind", outopt, self,
			       "run", path, "--quiet", (char *)NULL);
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

static int run_bench(const char *path, const char *name, bool callgrind,
		     const char *self, struct bench_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->mode = "bare";
	r->host_per_guest = -1;
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
	double t0 = now_seconds();
	enum machine_stop why = sim_machine_run(&m, 0);
	double t1 = now_seconds();
	r->guest_instructions = m.cpu.instructions;
	r->sim_cycles = m.cpu.cycles;
	r->wall_seconds = t1 - t0;
	r->mips = r->wall_seconds > 0 ? (double)r->guest_instructions / r->wall_seconds / 1e6 : 0;
	r->ok = why == STOP_DISABLED_WAIT && m.cpu.psw_ia == 0;
	if (!r->ok)
		fprintf(stderr, "vmlab bench: %s did not finish correctly (%s, code X'%03" PRIX32 "')\n",
			name, machine_stop_names[why], m.cpu.psw_ia);
	if (r->ok && callgrind) {
		uint64_t full = callgrind_ir(self, path, NULL);
		uint64_t base = callgrind_ir(self, path, "--load-only");
		if (full && base && full > base && r->guest_instructions)
			r->host_per_guest = (double)(full - base) / (double)r->guest_instructions;
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vmlab_bench_main(int argc, char **argv)
{
	bool json = false, callgrind = false;
	const char *dir = BENCH_DIR;
	char *names[BENCH_MAX];
	int nnames = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--callgrind"))
			callgrind = true;
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--help")) {
			printf("usage: vmlab bench [--json] [--callgrind] [--dir DIR] [NAME...]\n"
			       "Run the benchmarks in DIR (default tests/bench): guest instructions,\n"
			       "simulated cycles, wall time, MIPS; --callgrind adds host instructions\n"
			       "per guest instruction, measured under valgrind.\n");
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "vmlab bench: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (nnames < BENCH_MAX)
			names[nnames++] = argv[i];
	}
	char *found[BENCH_MAX];
	int nfound = 0;
	if (nnames == 0) {
		DIR *d = opendir(dir);
		if (!d) {
			fprintf(stderr, "vmlab bench: cannot open %s: %s (run from the "
					"source folder, or give --dir)\n", dir, strerror(errno));
			return 2;
		}
		struct dirent *e;
		while ((e = readdir(d)) && nfound < BENCH_MAX) {
			size_t n = strlen(e->d_name);
			if (n > 2 && !strcmp(e->d_name + n - 2, ".s"))
				found[nfound++] = strndup(e->d_name, n - 2);
		}
		closedir(d);
		qsort(found, (size_t)nfound, sizeof found[0], cmp_str);
	} else {
		for (int i = 0; i < nnames; i++)
			found[nfound++] = strdup(names[i]);
	}
	/* For the callgrind reruns we need our own path. */
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	self[sl > 0 ? sl : 0] = 0;

	int failures = 0;
	if (json)
		printf("[\n");
	else
		printf("%-14s %-5s %14s %14s %9s %8s %10s\n", "benchmark", "mode",
		       "guest instr", "sim cycles", "wall s", "MIPS", "host/guest");
	for (int i = 0; i < nfound; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.s", dir, found[i]);
		struct bench_result r;
		if (run_bench(path, found[i], callgrind, self, &r))
			failures++;
		if (json) {
			printf("  {\"name\": \"%s\", \"mode\": \"%s\", \"guest_instructions\": %" PRIu64
			       ", \"sim_cycles\": %" PRIu64 ", \"wall_seconds\": %.6f, \"mips\": %.2f",
			       r.name, r.mode, r.guest_instructions, r.sim_cycles, r.wall_seconds,
			       r.mips);
			if (r.host_per_guest >= 0)
				printf(", \"host_instructions_per_guest_instruction\": %.2f",
				       r.host_per_guest);
			printf(", \"ok\": %s}%s\n", r.ok ? "true" : "false",
			       i + 1 < nfound ? "," : "");
		} else {
			printf("%-14s %-5s %14" PRIu64 " %14" PRIu64 " %9.3f %8.1f", r.name, r.mode,
			       r.guest_instructions, r.sim_cycles, r.wall_seconds, r.mips);
			if (r.host_per_guest >= 0)
				printf(" %10.2f", r.host_per_guest);
			printf("%s\n", r.ok ? "" : "  (FAILED)");
		}
		free(found[i]);
	}
	if (json)
		printf("]\n");
	return failures ? 1 : 0;
}
