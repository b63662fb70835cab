/*
 * cp/bench_main.c -- `vmlab bench`: the benchmarks on the bare machine
 * and under CP, side by side in one run.
 *
 * For every program in tests/bench:
 *   mode "bare"  the bare machine (sim/bench.c);
 *   mode "cp"    the same program as the only guest under trap-and-emulate,
 *                with ratio_to_bare = its speed relative to the bare run
 *                (host instructions when --callgrind, else wall time), and
 *                for the privileged loop, host instructions per emulated
 *                instruction.
 * Then one "cp" run with many guests (--guests N, default 1000), each
 * running the LOOP system: do they all progress, and what does a guest
 * instruction cost with N guests compared with one?
 * Last, mode "kvm": host-kvm's flat x86 guests on /dev/kvm (one per
 * processor mode, and the four contrast workloads), with their exits by
 * reason and wall time -- or one entry that says why they were skipped.
 *
 * Benchmarks print what they measured; they fail only if a program does
 * not finish correctly.  Targets are in the notes and README, not here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp/bench_cms.h"
#include "cp/commands.h"
#include "cp/cp.h"
#include "host-kvm/kvm.h"
#include "sim/bench.h"
#include "sim/run.h"

#define BENCH_DIR "tests/bench"
#define BENCH_MAX 64

static int cp_bench(const char *path, const char *name, bool callgrind, const char *self,
		    struct bench_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->mode = "cp";
	r->host_per_guest = r->host_per_emulated = r->ratio_to_bare = -1;
	r->guests = 1;
	struct sim_image img;
	if (run_load_program(path, &img, stderr))
		return -1;
	struct trap_vm *vm = malloc(sizeof *vm);
	char err[256], msg[256];
	int rc = -1;
	if (!vm || trap_vm_init(vm, MACHINE_DEFAULT_STORAGE)) {
		free(vm);
		sim_image_free(&img);
		return -1;
	}
	struct run_devices devs = { .console_out = stderr };
	if (run_attach_devices(&vm->io, &devs, stderr) ||
	    sim_image_place(&img, &vm->mem, err, sizeof err))
		goto out;
	trap_vm_start(vm, img.entry);
	double t0 = bench_now();
	int stop = trap_run_alone(vm, 1000000000, msg, sizeof msg);
	double t1 = bench_now();
	r->guest_instructions = vm->cpu.instructions;
	r->sim_cycles = vm->cpu.cycles;
	r->wall_seconds = t1 - t0;
	r->mips = r->wall_seconds > 0 ? (double)r->guest_instructions / r->wall_seconds / 1e6 : 0;
	r->emulated = vm->emulated;
	r->ok = stop == 0 && vm->cpu.psw_ia == 0;
	if (r->ok && callgrind) {
		uint64_t full = bench_callgrind_ir(self, "guest", path, NULL);
		uint64_t base = bench_callgrind_ir(self, "guest", path, "--load-only");
		if (full > base && base) {
			r->host_instructions = full - base;
			r->host_per_guest = (double)r->host_instructions / (double)r->guest_instructions;
			/* Per emulated instruction only where emulation is the
			 * work (privloop): elsewhere it would divide a compute
			 * loop's cost by one or two LPSWs. */
			if (r->emulated * 10 >= r->guest_instructions)
				r->host_per_emulated = (double)r->host_instructions / (double)r->emulated;
		}
	}
	rc = r->ok ? 0 : -1;
out:
	trap_vm_destroy(vm);
	free(vm);
	sim_image_free(&img);
	return rc;
}

static void null_line(void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
}

static uint64_t rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;
	if (f) {
		if (fscanf(f, "%lu %lu", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * n guests from a generated directory, each running LOOP, for the same
 * simulated time per guest.  Fills r; returns 0 if every guest made
 * progress.
 */
static int many_guests(int n, uint64_t cycles_per_guest, struct bench_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "guests-%d", n);
	r->mode = "cp";
	r->host_per_guest = r->host_per_emulated = r->ratio_to_bare = -1;
	r->guests = n;
	size_t cap = 128 + (size_t)n * 64;
	char *yaml = malloc(cap);
	if (!yaml)
		return -1;
	size_t len = (size_t)snprintf(yaml, cap, "system:\n  slice: 20000\nusers:\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(yaml + len, cap - len,
					"  - { id: U%05d, storage: 64K, class: G }\n", i);
	struct cp_directory dir;
	char err[512];
	if (cp_directory_parse(yaml, len, "(generated)", "/tmp", &dir, err, sizeof err)) {
		fprintf(stderr, "vmlab bench: %s\n", err);
		free(yaml);
		return -1;
	}
	free(yaml);
	struct cp_system *sys = calloc(1, sizeof *sys);
	cp_init(sys, &dir, "/tmp");
	struct cp_out quiet = { null_line, NULL };
	uint64_t rss0 = rss_bytes();
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "U%05d", i);
		struct cp_vm *vm = cp_logon(sys, id, NULL, &quiet, true);
		if (!vm || cp_ipl(vm, "LOOP", &quiet)) {
			fprintf(stderr, "vmlab bench: cannot start guest %s\n", id);
			cp_shutdown(sys);
			free(sys);
			return -1;
		}
	}
	uint64_t rss1 = rss_bytes();
	double t0 = bench_now();
	cp_dispatch(sys, sys->now + (uint64_t)n * cycles_per_guest);
	double t1 = bench_now();
	int progressed = 0;
	for (int i = 0; i < sys->nvms; i++) {
		r->guest_instructions += sys->vms[i]->g->cpu.instructions;
		progressed += sys->vms[i]->g->cpu.instructions > 0;
	}
	r->sim_cycles = sys->now;
	r->wall_seconds = t1 - t0;
	r->mips = r->wall_seconds > 0 ? (double)r->guest_instructions / r->wall_seconds / 1e6 : 0;
	/* What a guest costs beyond its storage: CP's and trap/'s records
	 * (exact), and what the process grew by, per guest (measured). */
	uint64_t grown = rss1 > rss0 ? (rss1 - rss0) / (uint64_t)n : 0;
	r->bytes_per_guest = sizeof(struct cp_vm) + sizeof(struct trap_vm);
	fprintf(stderr, "vmlab bench: %d guests: %d progressed; records %" PRIu64
			" bytes per guest beyond its storage; process grew %" PRIu64
			" bytes per guest (64K storage each, touched pages only)\n",
		n, progressed, r->bytes_per_guest, grown);
	r->ok = progressed == n;
	cp_shutdown(sys);
	free(sys);
	return r->ok ? 0 : -1;
}

/* Host instructions per guest instruction with n guests, measured the
 * way callgrind makes stable: two runs of different simulated length,
 * and the difference (so set-up -- logons, IPLs -- cancels out). */
static double guests_marginal_cost(const char *self, int n, uint64_t c1, uint64_t c2)
{
	char ns[16], s1[32], s2[32];
	snprintf(ns, sizeof ns, "%d", n);
	snprintf(s1, sizeof s1, "%" PRIu64, c1);
	snprintf(s2, sizeof s2, "%" PRIu64, c2);
	char *a1[] = { (char *)self, "bench", "--guests-run", ns, s1, NULL };
	char *a2[] = { (char *)self, "bench", "--guests-run", ns, s2, NULL };
	uint64_t ir1 = bench_callgrind_argv(a1), ir2 = bench_callgrind_argv(a2);
	struct bench_result r1, r2;
	if (!ir1 || !ir2 || ir2 <= ir1 || many_guests(n, c1, &r1) || many_guests(n, c2, &r2) ||
	    r2.guest_instructions <= r1.guest_instructions)
		return -1;
	return (double)(ir2 - ir1) / (double)(r2.guest_instructions - r1.guest_instructions);
}

/* ---- host-kvm: the x86 side, where /dev/kvm works ---------------------- */

/*
 * Exits are what host-kvm is about, so they are the figures: how many
 * reached vmlab (by KVM exit reason), how many the kernel handled
 * itself, and the run loop's wall time.  The mode guests run once; the
 * workloads KVM_BENCH_ITER iterations.  Where KVM cannot run them, one
 * entry says "skipped" and why: never a silently shorter list.
 */
#define KVM_BENCH_ITER 10000

static const struct {
	const char *guest, *mode;
	uint64_t iterations;  /* 0: a mode guest, one pass */
} kvm_bench_guests[] = {
	{ "real", "real", 0 }, { "prot", "prot", 0 }, { "paged", "paged", 0 },
	{ "long", "long", 0 }, { "compute", "long", KVM_BENCH_ITER },
	{ "console", "long", KVM_BENCH_ITER }, { "privops", "long", KVM_BENCH_ITER },
	{ "ptchange", "long", KVM_BENCH_ITER },
};
#define NKVM_BENCH (sizeof kvm_bench_guests / sizeof kvm_bench_guests[0])

/* Exit counts by KVM exit reason: port and MMIO exits by kind, the rest
 * carry their reason as the detail key (host-kvm/vm.c). */
static void kvm_json_reasons(const struct exit_stats *st)
{
	bool first = true;
	printf("{");
	if (st->count[EXK_IO_INSN]) {
		printf("\"IO\": %" PRIu64, st->count[EXK_IO_INSN]);
		first = false;
	}
	if (st->count[EXK_MMIO]) {
		printf("%s\"MMIO\": %" PRIu64, first ? "" : ", ", st->count[EXK_MMIO]);
		first = false;
	}
	for (int i = 0; i < EXIT_DETAIL_SLOTS; i++) {
		const struct exit_detail *d = &st->detail[i];
		if (!d->kind || d->kind == EXK_IO_INSN + 1 || d->kind == EXK_MMIO + 1)
			continue;
		printf("%s\"%s\": %" PRIu64, first ? "" : ", ", kvm_exit_name(d->key), d->count);
		first = false;
	}
	printf("}");
}

static void kvm_print_skipped(bool json, const char *name, const char *why, bool last)
{
	if (json)
		printf("  {\"name\": \"%s\", \"mode\": \"kvm\", \"skipped\": \"%s\"}%s\n", name, why,
		       last ? "" : ",");
	else
		printf("%-14s %-5s skipped: %s\n", name, "kvm", why);
}

/* Prints the entries (the last without a comma); returns failures. */
static int kvm_bench(bool json)
{
	char why[160];
	int failures = 0;
	if (kvm_probe(why, sizeof why) < 0) {
		char msg[256];
		snprintf(msg, sizeof msg, "no usable KVM here (%s); the nested harness "
			 "(make test-kvm) runs these guests", why);
		kvm_print_skipped(json, "kvm", msg, true);
		return 0;
	}
	bool pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	if (!json)
		printf("%-14s %-5s %-6s %10s %8s %10s %10s  %s\n", "x86 guest", "mode", "cpu",
		       "iterations", "wall s", "to vmlab", "in kernel", "exits to vmlab by reason");
	for (size_t i = 0; i < NKVM_BENCH; i++) {
		bool last = i + 1 == NKVM_BENCH;
		char name[32];
		snprintf(name, sizeof name, "kvm-%s", kvm_bench_guests[i].guest);
		if (pvm && !strcmp(kvm_bench_guests[i].mode, "paged")) {
			kvm_print_skipped(json, name, "kvm_pvm runs no 32-bit non-PAE paging "
					  "(CR0.PG is dropped); the nested harness runs it", last);
			continue;
		}
		struct exit_stats st;
		struct kvm_kstats ks;
		uint64_t wall_ns = 0;
		memset(&st, 0, sizeof st);
		memset(&ks, 0, sizeof ks);
		int r = kvm_workload_run_timed(kvm_bench_guests[i].guest,
					       kvm_bench_guests[i].iterations, NULL, &st, &ks,
					       &wall_ns);
		if (r == -ENOENT) {
			kvm_print_skipped(json, name, "the x86 guest is not built (make)", last);
			continue;
		}
		bool ok = r == KVM_STOP_HALT;
		failures += !ok;
		uint64_t to_vmlab = exit_stats_total(&st);
		uint64_t all = kvm_kstats_get(&ks, "exits");
		uint64_t in_kernel = all > to_vmlab ? all - to_vmlab : 0;
		const char *stop = r < 0 ? strerror(-r) : kvm_stop_name((enum kvm_stop)r);
		if (json) {
			printf("  {\"name\": \"%s\", \"mode\": \"kvm\", \"guest_mode\": \"%s\", "
			       "\"iterations\": %" PRIu64 ", \"wall_seconds\": %.6f, "
			       "\"exits_to_vmlab\": %" PRIu64 ", \"exits_in_kernel\": %" PRIu64
			       ", \"exits_by_reason\": ",
			       name, kvm_bench_guests[i].mode, kvm_bench_guests[i].iterations,
			       (double)wall_ns / 1e9, to_vmlab, in_kernel);
			kvm_json_reasons(&st);
			printf(", \"kernel_counters\": {");
			static const char *const shown[] = { "halt_exits", "io_exits", "mmio_exits",
							     "irq_exits", "insn_emulation" };
			for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
				printf("%s\"%s\": %" PRIu64, k ? ", " : "", shown[k],
				       kvm_kstats_get(&ks, shown[k]));
			printf("}, \"kvm\": \"%s\", \"stop\": \"%s\", \"ok\": %s}%s\n",
			       pvm ? "kvm_pvm" : "hardware assist", stop, ok ? "true" : "false",
			       last ? "" : ",");
		} else {
			printf("%-14s %-5s %-6s %10" PRIu64 " %8.3f %10" PRIu64 " %10" PRIu64 " ",
			       name, "kvm", kvm_bench_guests[i].mode, kvm_bench_guests[i].iterations,
			       (double)wall_ns / 1e9, to_vmlab, in_kernel);
			if (st.count[EXK_IO_INSN])
				printf(" IO %" PRIu64, st.count[EXK_IO_INSN]);
			for (int d = 0; d < EXIT_DETAIL_SLOTS; d++)
				if (st.detail[d].kind && st.detail[d].kind != EXK_IO_INSN + 1)
					printf(" %s %" PRIu64, kvm_exit_name(st.detail[d].key),
					       st.detail[d].count);
			printf("%s\n", ok ? "" : "  (FAILED)");
		}
	}
	if (!json && pvm)
		printf("(kvm_pvm: no VT-x/AMD-V here, the kernel emulates guest code: its "
		       "in-kernel counts are not hardware assist's)\n");
	return failures;
}

int vmlab_bench_main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--guests-run")) {
		/* Internal: one many-guests run, for the callgrind measurement. */
		struct bench_result r;
		return many_guests(atoi(argv[2]), strtoull(argv[3], NULL, 10), &r) ? 1 : 0;
	}
	bool json = false, callgrind = false, cp = true, kvm = true;
	int guests = 1000;
	const char *dir = BENCH_DIR;
	char *names[BENCH_MAX];
	int nnames = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--callgrind"))
			callgrind = true;
		else if (!strcmp(argv[i], "--bare"))
			cp = false;
		else if (!strcmp(argv[i], "--no-kvm"))
			kvm = false;
		else if (!strcmp(argv[i], "--guests") && i + 1 < argc)
			guests = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--help")) {
			printf("usage: vmlab bench [--json] [--callgrind] [--bare] [--guests N] [--dir DIR]\n"
			       "                   [--no-kvm] [NAME...]\n"
			       "Run the benchmarks in DIR (default tests/bench) on the bare machine and\n"
			       "under CP: guest instructions, simulated cycles, wall time, MIPS, speed\n"
			       "relative to bare; --callgrind adds host instructions per guest (and per\n"
			       "emulated) instruction, measured under valgrind.  Then N guests (default\n"
			       "1000) running at once.  --bare: the bare machine only.  Last, host-kvm's\n"
			       "x86 guests on /dev/kvm (mode \"kvm\": exits by reason, wall time), or an\n"
			       "entry saying why they were skipped; --no-kvm leaves them out.\n"
			       "A NAME is a program DIR/NAME.s; the built-in rows (cms-ipl, cms-list-500,\n"
			       "guests-N, kvm-...) always run, so naming one of them runs those alone.\n");
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "vmlab bench: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (nnames < BENCH_MAX)
			names[nnames++] = strdup(argv[i]);
	}
	/* A name of one of the built-in rows (cms-ipl, cms-list-500,
	 * guests-N, kvm-...) is no file in DIR: those rows run anyway (unless
	 * --bare, --guests 0 or --no-kvm), so `vmlab bench cms-ipl` asks for
	 * them alone instead of failing to open tests/bench/cms-ipl.s. */
	int kept = 0, given = nnames;
	for (int i = 0; i < nnames; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.s", dir, names[i]);
		if ((!strncmp(names[i], "cms-", 4) || !strncmp(names[i], "guests-", 7) ||
		     !strncmp(names[i], "kvm-", 4)) && access(path, F_OK) != 0)
			free(names[i]);
		else
			names[kept++] = names[i];
	}
	nnames = kept;
	if (nnames == 0 && given == 0) {
		nnames = bench_list(dir, names, BENCH_MAX);
		if (nnames < 0) {
			fprintf(stderr, "vmlab bench: cannot open %s (run from the source folder, "
					"or give --dir)\n", dir);
			return 2;
		}
	}
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	self[sl > 0 ? sl : 0] = 0;

	int failures = 0;
	bench_print_header(json);
	bool first = true;
	struct bench_result prev;
	for (int i = 0; i < nnames; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.s", dir, names[i]);
		struct bench_result bare, under;
		if (bench_bare_target.run(path, names[i], callgrind, self, &bare))
			failures++;
		if (!first)
			bench_print(&prev, json, false);
		prev = bare;
		first = false;
		if (!cp)
			continue;
		if (cp_bench(path, names[i], callgrind, self, &under))
			failures++;
		if (bare.host_instructions && under.host_instructions)
			under.ratio_to_bare = (double)bare.host_instructions / (double)under.host_instructions;
		else if (under.wall_seconds > 0 && bare.wall_seconds > 0)
			under.ratio_to_bare = (bare.wall_seconds / (double)bare.guest_instructions) /
					      (under.wall_seconds / (double)under.guest_instructions);
		bench_print(&prev, json, false);
		prev = under;
	}
	if (cp) {
		/* CMS: IPL to the first R;, LISTFILE of 500 files (cp/bench_cms.c). */
		struct bench_result cms[2];
		if (cp_bench_cms(cms))
			failures++;
		for (int k = 0; k < 2; k++) {
			if (!first)
				bench_print(&prev, json, false);
			prev = cms[k];
			first = false;
		}
	}
	if (cp && guests > 0) {
		/* One guest and then many, for the same simulated time each. */
		struct bench_result one, many;
		uint64_t per = 200000;
		if (many_guests(1, per * 50, &one))
			failures++;
		if (many_guests(guests, per, &many))
			failures++;
		if (callgrind) {
			double c1 = guests_marginal_cost(self, 1, 40000, 80000);
			double cn = guests_marginal_cost(self, guests, 20000, 40000);
			one.host_per_guest = c1;
			many.host_per_guest = cn;
			if (c1 > 0 && cn > 0)
				many.ratio_to_one = cn / c1;
		} else if (one.mips > 0 && many.mips > 0) {
			many.ratio_to_one = one.mips / many.mips; /* wall time: noisy */
		}
		if (many.ratio_to_one > 0)
			fprintf(stderr, "vmlab bench: host cost per guest instruction with %d guests "
					"is %.2fx that with one (%s)\n", guests, many.ratio_to_one,
				callgrind ? "callgrind" : "wall time");
		if (!first)
			bench_print(&prev, json, false);
		bench_print(&one, json, false);
		prev = many;
		first = false;
	}
	if (!first)
		bench_print(&prev, json, !kvm);
	if (kvm)
		failures += kvm_bench(json);
	if (json)
		printf("]\n");
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	return failures ? 1 : 0;
}
