/*
 * trap/equiv.c -- `vmlab equiv`: Popek and Goldberg's equivalence
 * property, tested.
 *
 * "A program running under the VMM should exhibit a behaviour essentially
 * identical to that demonstrated when running on an equivalent machine
 * directly, with the possible exception of differences caused by the
 * availability of system resources and differences caused by timing."
 *
 * So: run every architecture test twice -- on the bare machine, and as a
 * guest under trap-and-emulate, supervisor-state code and all -- and
 * compare not just pass/fail but the final architectural state: the
 * general registers, the PSW and a hash of all of storage.
 *
 * Two honest exceptions, each declared in the test's header:
 *   "* EQUIV: timing"  the test stores clock or timer values, which differ
 *                      by the time CP itself takes: compare pass/fail only;
 *   "* EQUIV: bare"    the test checks that it runs on a REAL machine
 *                      (STIDP version, DIAGNOSE without CP): not run.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cp/commands.h"
#include "sim/archtest.h"
#include "trap.h"

enum equiv_mode { EQUIV_FULL, EQUIV_TIMING, EQUIV_BARE };

static enum equiv_mode equiv_mode_of(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	enum equiv_mode m = EQUIV_FULL;
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "* EQUIV: timing", 15))
			m = EQUIV_TIMING;
		else if (!strncmp(line, "* EQUIV: bare", 13))
			m = EQUIV_BARE;
	}
	if (f)
		fclose(f);
	return m;
}

/*
 * Run a program as the only guest of a minimal CP: the same devices at
 * the same addresses, virtual this time; time advancing as the guest and
 * CP use it, and jumping ahead when the guest waits.
 */
int trap_run_alone(struct trap_vm *vm, uint64_t max_instructions, char *msg, size_t msglen)
{
	uint64_t now = 0;
	/* Slices in a row in which no instruction completed: a guest taking
	 * interruption after interruption (an enabled new PSW with its
	 * condition still there, a new PSW whose instruction cannot be
	 * fetched) would never reach max_instructions. */
	unsigned stuck = 0;
	for (;;) {
		if (vm->cpu.instructions >= max_instructions) {
			snprintf(msg, msglen, "did not finish in %" PRIu64 " instructions under CP",
				 max_instructions);
			return -1;
		}
		uint64_t before = vm->cpu.instructions;
		enum trap_stop why = trap_run(vm, now, 1000000);
		now = vm->cpu.cycles;
		switch (why) {
		case TRAP_SLICE_END:
		case TRAP_CP_CALL:
			stuck = vm->cpu.instructions == before ? stuck + 1 : 0;
			if (stuck >= 100) {
				snprintf(msg, msglen, "interruption loop under CP: no instruction "
					 "completes (check the new PSWs)");
				return -1;
			}
			break;
		case TRAP_WAIT: {
			uint64_t t = trap_next_event(vm, now);
			if (t == UINT64_MAX) {
				snprintf(msg, msglen, "enabled wait with nothing pending under CP");
				return -1;
			}
			trap_wait_until(vm, now, t);
			now = vm->cpu.cycles;
			break;
		}
		case TRAP_DISABLED_WAIT:
			return 0;
		case TRAP_ADDRESS_STOP:
			snprintf(msg, msglen, "address stop");
			return -1;
		}
	}
}

static int cp_target_run(void *ctx, const struct sim_image *img,
			 const struct run_devices *devs, struct arch_result *r)
{
	(void)ctx;
	struct trap_vm *vm = malloc(sizeof *vm);
	char err[512];
	if (!vm || trap_vm_init(vm, MACHINE_DEFAULT_STORAGE)) {
		free(vm);
		snprintf(r->msg, sizeof r->msg, "cannot create the virtual machine");
		return -1;
	}
	int rc = -1;
	if (run_attach_devices(&vm->io, devs, stdout) ||
	    sim_image_place(img, &vm->mem, err, sizeof err)) {
		snprintf(r->msg, sizeof r->msg, "cannot load the guest");
		goto out;
	}
	trap_vm_start(vm, img->entry);
	char msg[256] = "";
	r->finished = trap_run_alone(vm, ARCH_MAX_INSTRUCTIONS, msg, sizeof msg) == 0;
	if (!r->finished)
		snprintf(r->msg, sizeof r->msg, "%s", msg);
	archtest_capture(r, &vm->cpu, &vm->mem);
	r->psw0 = trap_vpsw_word0(vm); /* the guest's PSW, not the real one */
	rc = 0;
out:
	trap_vm_destroy(vm);
	free(vm);
	return rc;
}

const struct arch_target arch_cp_target = { "cp", cp_target_run, NULL };

/* Say how two final states differ, or return false if they do not. */
static bool state_differs(const struct arch_result *a, const struct arch_result *b,
			  char *msg, size_t len)
{
	for (int i = 0; i < 16; i++)
		if (a->gpr[i] != b->gpr[i]) {
			snprintf(msg, len, "R%d is %08" PRIX32 " bare, %08" PRIX32 " under CP",
				 i, a->gpr[i], b->gpr[i]);
			return true;
		}
	if (a->psw0 != b->psw0 || a->psw1 != b->psw1) {
		snprintf(msg, len, "PSW %08" PRIX32 " %08" PRIX32 " bare, %08" PRIX32 " %08" PRIX32
			 " under CP", a->psw0, a->psw1, b->psw0, b->psw1);
		return true;
	}
	if (a->storage_hash != b->storage_hash) {
		snprintf(msg, len, "storage differs (hash %016" PRIX64 " bare, %016" PRIX64
			 " under CP)", a->storage_hash, b->storage_hash);
		return true;
	}
	return false;
}

int vmlab_equiv_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: vmlab equiv TEST.s...\n"
			"Run each architecture test on the bare machine and as a guest under\n"
			"trap-and-emulate, and compare the final registers, PSW and storage\n"
			"(Popek and Goldberg's equivalence property).\n");
		return argc < 2 ? 2 : 0;
	}
	int pass = 0, fail = 0, skip = 0;
	for (int i = 1; i < argc; i++) {
		char name[256], msg[1200];
		archtest_name(argv[i], name, sizeof name);
		enum equiv_mode mode = equiv_mode_of(argv[i]);
		if (mode == EQUIV_BARE) {
			printf("SKIP equiv-%s: checks that it runs on the real machine\n", name);
			skip++;
			continue;
		}
		struct arch_result *bare = calloc(1, sizeof *bare);
		struct arch_result *cp = calloc(1, sizeof *cp);
		if (!bare || !cp) {
			free(bare);
			free(cp);
			return 2;
		}
		int rb = archtest_run_file(argv[i], &arch_bare_target, bare);
		int rc = archtest_run_file(argv[i], &arch_cp_target, cp);
		bool ok = false;
		if (rb != 0)
			snprintf(msg, sizeof msg, "fails on the bare machine: %s", bare->msg);
		else if (rc != 0)
			snprintf(msg, sizeof msg, "passes bare, fails under CP: %s", cp->msg);
		else if (mode == EQUIV_FULL && state_differs(bare, cp, msg, sizeof msg))
			;
		else
			ok = true;
		if (ok) {
			printf("PASS equiv-%s%s\n", name, mode == EQUIV_TIMING ? " (pass/fail only: timing)" : "");
			pass++;
		} else {
			printf("FAIL equiv-%s: %s\n", name, msg);
			fail++;
		}
		fflush(stdout);
		free(bare);
		free(cp);
	}
	printf("equiv: %d passed, %d failed, %d skipped\n", pass, fail, skip);
	return fail ? 1 : 0;
}
