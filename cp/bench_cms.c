/*
 * cp/bench_cms.c -- `vmlab bench`'s CMS rows: what a CMS user waits for.
 *
 *   cms-ipl           IPL CMS to the first ready message: the guest
 *                     instructions and simulated time until CMS reads
 *                     its first command (it has typed "R;" then)
 *   cms-list-500  LISTFILE over an A-disk of 500 files: from the
 *                     line going in to CMS reading the next one
 *
 * The user BENCH is generated like many_guests' users: a 191 of 32768
 * blocks (the largest directory: 64 blocks, 512 entries) holding 500
 * one-record files, written on the host with cms/mdisk.c, and the
 * shared 190 with one file -- so the IPL figure is for an A-disk with a
 * full directory, the most ACCESS checks.  The disks live in a
 * temporary state folder, removed afterwards.  Everything is counted in
 * simulated time: the figures are the same on every host.
 */
#define _GNU_SOURCE /* nftw */
#include "cp/bench_cms.h"

#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cms/mdisk.h"
#include "cp/cp.h"

#define BENCH_CMS_FILES 500

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	remove(path);
	return 0;
}

/* Count the lines the guest types (LISTFILE's 500 are checked). */
struct bench_cms_term {
	unsigned lines;
	unsigned files; /* lines that look like "FILEnnn  BENCH    A1" */
};

static void bench_cms_line(void *ctx, const char *text)
{
	struct bench_cms_term *t = ctx;
	t->lines++;
	if (!strncmp(text, "FILE", 4) && strstr(text, " BENCH    A1"))
		t->files++;
}

static int make_disk(const char *path, uint32_t blocks, const char *label, int files,
		     char *err, size_t errlen)
{
	if (cms_disk_create(path, blocks, err, errlen) ||
	    cms_disk_format(path, label, err, errlen))
		return -1;
	struct cms_disk d;
	if (cms_disk_open(&d, path, err, errlen))
		return -1;
	int rc = 0;
	for (int i = 0; i < files && !rc; i++) {
		char fn[16], rec[80];
		snprintf(fn, sizeof fn, "FILE%03d", i);
		int n = snprintf(rec, sizeof rec, "  THIS IS FILE %03d", i);
		rec[0] = 0; /* a V record: 2-byte length, then the bytes */
		rec[1] = (char)(n - 2);
		rc = cms_disk_put(&d, fn, "BENCH", 'V', (uint32_t)(n - 2), 1, (uint8_t *)rec,
				  (uint32_t)n, err, errlen);
	}
	if (!rc)
		rc = cms_disk_save(&d, path, err, errlen);
	cms_disk_close(&d);
	return rc;
}

/* Run vm until its guest reads the console (or gives up after a budget
 * of simulated time: a CMS that never gets there fails the bench). */
static bool run_to_read(struct cp_system *sys, struct cp_vm *vm)
{
	for (int i = 0; i < 2000; i++) {
		cp_dispatch(sys, sys->now + 1000000);
		if (cp_vm_reading(vm))
			return true;
		if (vm->state == CPVM_STOPPED)
			return false;
	}
	return false;
}

static void fill(struct bench_result *r, const char *name, uint64_t instr, uint64_t cycles,
		 double wall, bool ok)
{
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->mode = "cp";
	r->host_per_guest = r->host_per_emulated = r->ratio_to_bare = -1;
	r->guests = 1;
	r->guest_instructions = instr;
	r->sim_cycles = cycles;
	r->wall_seconds = wall;
	r->mips = wall > 0 ? (double)instr / wall / 1e6 : 0;
	r->ok = ok;
}

int cp_bench_cms(struct bench_result out[2])
{
	fill(&out[0], "cms-ipl", 0, 0, 0, false);
	fill(&out[1], "cms-list-500", 0, 0, 0, false);
	char state[] = "/tmp/vmlab-bench-cms-XXXXXX", a[600], s[600], err[512];
	if (!mkdtemp(state)) {
		perror("vmlab bench: mkdtemp");
		return -1;
	}
	snprintf(a, sizeof a, "%s/BENCH.191.disk", state);
	snprintf(s, sizeof s, "%s/system.disk", state);
	int rc = -1;
	struct cp_system *sys = NULL;
	if (make_disk(a, 32768, "BEN191", BENCH_CMS_FILES, err, sizeof err) ||
	    make_disk(s, 2048, "MNT190", 1, err, sizeof err)) {
		fprintf(stderr, "vmlab bench: %s\n", err);
		goto out;
	}
	static const char yaml[] =
		"system:\n  slice: 20000\nusers:\n"
		"  - id: BENCH\n    storage: 1M\n    class: G\n    mdisks:\n"
		"      - { addr: 191, file: BENCH.191.disk, start: 0, blocks: 32768, mode: W }\n"
		"      - { addr: 190, file: system.disk, start: 0, blocks: 2048, mode: RR }\n";
	struct cp_directory dir;
	if (cp_directory_parse(yaml, sizeof yaml - 1, "(generated)", state, &dir, err,
			       sizeof err)) {
		fprintf(stderr, "vmlab bench: %s\n", err);
		goto out;
	}
	sys = calloc(1, sizeof *sys);
	if (!sys)
		goto out;
	cp_init(sys, &dir, state);
	struct bench_cms_term t = { 0, 0 };
	struct cp_out term = { bench_cms_line, &t };
	struct cp_vm *vm = cp_logon(sys, "BENCH", NULL, &term, false);
	if (!vm) {
		fprintf(stderr, "vmlab bench: cannot log on the CMS user\n");
		goto out;
	}
	/* IPL CMS to the first R; */
	uint64_t t0 = sys->now, i0 = vm->g->cpu.instructions;
	uint64_t x0 = exit_stats_total(&vm->g->stats), e0 = vm->g->emulated;
	double w0 = bench_now();
	bool ok = !cp_ipl(vm, "CMS", &term) && run_to_read(sys, vm);
	double w1 = bench_now();
	fill(&out[0], "cms-ipl", vm->g->cpu.instructions - i0, sys->now - t0, w1 - w0, ok);
	uint64_t x1 = exit_stats_total(&vm->g->stats), e1 = vm->g->emulated;
	out[0].emulated = e1 - e0;
	if (!ok) {
		fprintf(stderr, "vmlab bench: IPL CMS did not reach the ready message\n");
		goto out;
	}
	/* LISTFILE over 500 files */
	t.lines = t.files = 0;
	uint64_t t1 = sys->now, i1 = vm->g->cpu.instructions;
	cp_input(vm, "LISTFILE");
	w0 = bench_now();
	ok = run_to_read(sys, vm);
	w1 = bench_now();
	uint64_t x2 = exit_stats_total(&vm->g->stats);
	ok = ok && t.files == BENCH_CMS_FILES;
	fill(&out[1], "cms-list-500", vm->g->cpu.instructions - i1, sys->now - t1, w1 - w0,
	     ok);
	out[1].emulated = vm->g->emulated - e1;
	fprintf(stderr, "vmlab bench: CMS: IPL to R; %" PRIu64 " guest instructions, %" PRIu64
			" cycles, %" PRIu64 " exits (target: under 2,000,000 instructions); "
			"LISTFILE of %u files %" PRIu64 " instructions, %" PRIu64 " cycles, %" PRIu64
			" exits\n",
		out[0].guest_instructions, out[0].sim_cycles, x1 - x0, t.files,
		out[1].guest_instructions, out[1].sim_cycles, x2 - x1);
	if (!ok)
		fprintf(stderr, "vmlab bench: LISTFILE listed %u of %d files\n", t.files,
			BENCH_CMS_FILES);
	rc = ok ? 0 : -1;
out:
	if (sys) {
		cp_shutdown(sys);
		free(sys);
	}
	nftw(state, remove_one, 8, FTW_DEPTH | FTW_PHYS); /* the folder and what CP made */
	return rc;
}
