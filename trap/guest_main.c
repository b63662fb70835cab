/*
 * trap/guest_main.c -- `vmlab guest PROG`: run a program as the only
 * guest of trap-and-emulate, and say what it cost.
 *
 * The same program, the same devices, the same result as `vmlab run` --
 * that is the equivalence property -- but every sensitive instruction now
 * leaves the fast path and CP does it on the guest's behalf.  --stats
 * shows how often and why; the efficiency line is Popek and Goldberg's
 * third property in numbers.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cp/commands.h"
#include "sim/run.h"
#include "trap.h"

static const char *key_name(enum exit_kind kind, uint32_t key)
{
	static char buf[32];
	switch (kind) {
	case EXK_PRIVILEGED:
	case EXK_IO_INSN:
		return vl32_isa[key & 0xFF].mnemonic ? vl32_isa[key & 0xFF].mnemonic : "?";
	case EXK_IO_INT:
		snprintf(buf, sizeof buf, "dev %03" PRIX32, key);
		return buf;
	case EXK_TRANSLATION:
		return "shadow fault";
	default:
		snprintf(buf, sizeof buf, "code %04" PRIX32, key);
		return buf;
	}
}

int trap_guest_stats_print(FILE *f, struct trap_vm *vm)
{
	vm->stats.instructions = vm->cpu.instructions;
	exit_stats_print(f, &vm->stats, key_name);
	uint64_t in = vm->cpu.instructions;
	fprintf(f, "emulated %" PRIu64 ", reflected %" PRIu64 ", shadow faults %" PRIu64
		   ", CP time %" PRIu64 " cycles\n", vm->emulated, vm->reflected,
		vm->shadow.faults, vm->cp_cycles);
	if (in)
		fprintf(f, "efficiency: %.3f%% of guest instructions ran without CP\n",
			100.0 * (double)(in - (vm->emulated < in ? vm->emulated : in)) / (double)in);
	return 0;
}

int vmlab_guest_main(int argc, char **argv)
{
	const char *prog = NULL;
	bool stats = false, regs = false, quiet = false, load_only = false;
	uint64_t max = 100000000;
	struct run_devices devs = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--stats"))
			stats = true;
		else if (!strcmp(a, "--regs"))
			regs = true;
		else if (!strcmp(a, "--quiet"))
			quiet = true;
		else if (!strcmp(a, "--load-only"))
			load_only = true;
		else if (v && !strcmp(a, "--max-instructions")) {
			char *end;
			max = strtoull(v, &end, 0);
			if (*end || !*v) {
				fprintf(stderr, "vmlab guest: --max-instructions: '%s' is not a number\n", v);
				return 2;
			}
			i++;
		} else if (v && !strcmp(a, "--reader"))
			devs.reader = argv[++i];
		else if (v && !strcmp(a, "--punch"))
			devs.punch = argv[++i];
		else if (v && !strcmp(a, "--printer"))
			devs.printer = argv[++i];
		else if (v && !strcmp(a, "--disk"))
			devs.disk = argv[++i];
		else if (!strcmp(a, "--help")) {
			printf("usage: vmlab guest PROG.s|PROG.img [--stats] [--regs] [--max-instructions N]\n"
			       "       [--reader F] [--punch F] [--printer F] [--disk F] [--quiet]\n"
			       "Run a program as a guest under trap-and-emulate (a CP with one user):\n"
			       "the same devices and result as `vmlab run`, every sensitive instruction\n"
			       "emulated by CP.  --stats: exits by kind and instruction, efficiency.\n");
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "vmlab guest: unknown or incomplete option '%s'\n", a);
			return 2;
		} else if (!prog)
			prog = a;
		else {
			fprintf(stderr, "vmlab guest: one program only\n");
			return 2;
		}
	}
	if (!prog) {
		fprintf(stderr, "usage: vmlab guest PROG.s|PROG.img [OPTIONS] (--help)\n");
		return 2;
	}
	struct sim_image img;
	if (run_load_program(prog, &img, stderr))
		return 2;
	struct trap_vm *vm = malloc(sizeof *vm);
	char err[256];
	int rc = 2;
	if (!vm || trap_vm_init(vm, MACHINE_DEFAULT_STORAGE)) {
		fprintf(stderr, "vmlab guest: cannot create the virtual machine\n");
		free(vm);
		sim_image_free(&img);
		return 2;
	}
	if (run_attach_devices(&vm->io, &devs, stderr) ||
	    sim_image_place(&img, &vm->mem, err, sizeof err))
		goto out;
	if (load_only) {
		rc = 0;
		goto out;
	}
	trap_vm_start(vm, img.entry);
	char msg[256] = "";
	int r = trap_run_alone(vm, max, msg, sizeof msg);
	fflush(stdout);
	if (!quiet) {
		if (r == 0)
			fprintf(stderr, "vmlab: guest in disabled wait, code X'%03" PRIX32 "'", vm->cpu.psw_ia);
		else
			fprintf(stderr, "vmlab: guest stopped: %s;", msg);
		fprintf(stderr, " %" PRIu64 " instructions, %" PRIu64 " emulated by CP\n",
			vm->cpu.instructions, vm->emulated);
	}
	if (regs) {
		printf("PSW  %08" PRIX32 " %08" PRIX32 "\n", trap_vpsw_word0(vm), vm->cpu.psw_ia);
		for (int i = 0; i < 16; i += 4)
			printf("R%-2d  %08" PRIX32 " %08" PRIX32 " %08" PRIX32 " %08" PRIX32 "\n", i,
			       vm->cpu.gpr[i], vm->cpu.gpr[i + 1], vm->cpu.gpr[i + 2], vm->cpu.gpr[i + 3]);
	}
	if (stats)
		trap_guest_stats_print(stdout, vm);
	rc = (r == 0 && vm->cpu.psw_ia == 0) ? 0 : 1;
out:
	trap_vm_destroy(vm);
	free(vm);
	sim_image_free(&img);
	return rc;
}
