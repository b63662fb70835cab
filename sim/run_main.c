/*
 * sim/run_main.c -- the bare-machine subcommands: vmlab run, archtest,
 * isa, and the demo that `vmlab` runs until the console exists.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asm.h"
#include "cp/commands.h"
#include "machine.h"
#include "run.h"

/* ------------------------------------------------------------------ */
/* Loading a program: assemble a source, or read an image               */

int run_load_program(const char *path, struct sim_image *img, FILE *errs)
{
	char err[512];
	memset(img, 0, sizeof *img);
	if (sim_image_is_image(path) == 1) {
		if (sim_image_read(path, img, err, sizeof err)) {
			fprintf(errs, "vmlab: %s\n", err);
			return -1;
		}
		return 0;
	}
	struct asm_options opt = { .errors = errs, .max_errors = 20 };
	int nerr = asm_file(path, &opt, img);
	if (nerr) {
		fprintf(errs, "vmlab: %s: %d error%s\n", path, nerr, nerr == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Standard devices                                                     */

int run_attach_devices(struct sim_iosys *io, const struct run_devices *d,
		       FILE *errs)
{
	char err[512];
	struct sim_dev *dev;

	dev = sim_io_attach(io, MACHINE_CONSOLE, DEV_CONSOLE, err, sizeof err);
	if (!dev)
		goto fail;
	sim_rec_stdio(dev, d->console_in ? d->console_in : stdin,
		      d->console_out ? d->console_out : stdout);

	dev = sim_io_attach(io, MACHINE_READER, DEV_READER, err, sizeof err);
	if (!dev || sim_rec_open_file(dev, d->reader ? d->reader : "/dev/null",
				      false, err, sizeof err))
		goto fail;
	dev = sim_io_attach(io, MACHINE_PUNCH, DEV_PUNCH, err, sizeof err);
	if (!dev || sim_rec_open_file(dev, d->punch ? d->punch : "/dev/null",
				      true, err, sizeof err))
		goto fail;
	dev = sim_io_attach(io, MACHINE_PRINTER, DEV_PRINTER, err, sizeof err);
	if (!dev || sim_rec_open_file(dev, d->printer ? d->printer : "/dev/null",
				      true, err, sizeof err))
		goto fail;
	if (d->disk) {
		dev = sim_io_attach(io, MACHINE_DISK, DEV_DISK, err, sizeof err);
		if (!dev || sim_disk_open(dev, d->disk, 0, 0, d->disk_readonly,
					  err, sizeof err))
			goto fail;
	}
	return 0;
fail:
	fprintf(errs, "vmlab: %s\n", err);
	return -1;
}

/* ------------------------------------------------------------------ */
/* vmlab run                                                            */

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: vmlab run PROG.s|PROG.img [OPTIONS]\n"
		"Load a program and run it on the bare VL32 machine, console on the terminal.\n"
		"  --trace               print each instruction, its disassembly and what it changed\n"
		"  --max-instructions N  stop after N instructions\n"
		"  --regs                print the final PSW and registers\n"
		"  --stats               print the exits by kind\n"
		"  --storage N[K|M]      storage size (default 1M)\n"
		"  --reader FILE  --punch FILE  --printer FILE  --disk FILE [--disk-readonly]\n"
		"  --trace-hash          print a hash of every instruction executed and its\n"
		"                        effect (two runs of one program must print the same)\n"
		"  --quiet               no closing message\n"
		"  --load-only           assemble and load, run nothing (for measurements)\n"
		"Exit status: 0 when the program ends in a disabled wait with code 0,\n"
		"1 for any other stop, 2 for a usage or load error.\n");
}

int run_parse_size(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	if (*end || v == 0 || v > 256ull * 1024 * 1024 || v % VL32_PAGE_SIZE)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int vmlab_run_main(int argc, char **argv)
{
	const char *prog = NULL;
	struct run_devices devs = { 0 };
	uint64_t max = 0;
	uint32_t storage = MACHINE_DEFAULT_STORAGE;
	bool trace = false, regs = false, stats = false, quiet = false, load_only = false;
	bool hash = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--trace")) {
			trace = true;
		} else if (!strcmp(a, "--trace-hash")) {
			hash = true;
		} else if (!strcmp(a, "--regs")) {
			regs = true;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "--quiet")) {
			quiet = true;
		} else if (!strcmp(a, "--load-only")) {
			load_only = true;
		} else if (!strcmp(a, "--disk-readonly")) {
			devs.disk_readonly = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			run_usage(stdout);
			return 0;
		} else if (v && !strcmp(a, "--max-instructions")) {
			char *end;
			max = strtoull(v, &end, 0);
			if (*end || !*v) {
				fprintf(stderr, "vmlab run: --max-instructions: '%s' is not a number\n", v);
				return 2;
			}
			i++;
		} else if (v && !strcmp(a, "--storage")) {
			if (run_parse_size(v, &storage)) {
				fprintf(stderr, "vmlab run: --storage: '%s' is not a size in whole "
						"4K pages up to 256M\n", v);
				return 2;
			}
			i++;
		} else if (v && !strcmp(a, "--reader")) {
			devs.reader = argv[++i];
		} else if (v && !strcmp(a, "--punch")) {
			devs.punch = argv[++i];
		} else if (v && !strcmp(a, "--printer")) {
			devs.printer = argv[++i];
		} else if (v && !strcmp(a, "--disk")) {
			devs.disk = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "vmlab run: unknown or incomplete option '%s'\n", a);
			run_usage(stderr);
			return 2;
		} else if (!prog) {
			prog = a;
		} else {
			fprintf(stderr, "vmlab run: one program only ('%s' and '%s')\n", prog, a);
			return 2;
		}
	}
	if (!prog) {
		run_usage(stderr);
		return 2;
	}

	struct sim_image img;
	if (run_load_program(prog, &img, stderr))
		return 2;
	struct sim_machine m;
	char err[512];
	int rc = 2;
	if (sim_machine_init(&m, storage)) {
		fprintf(stderr, "vmlab run: cannot allocate %" PRIu32 " bytes of storage\n", storage);
		sim_image_free(&img);
		return 2;
	}
	if (run_attach_devices(&m.io, &devs, stderr))
		goto out;
	if (sim_machine_load(&m, &img, err, sizeof err)) {
		fprintf(stderr, "vmlab run: %s: %s\n", prog, err);
		goto out;
	}
	if (load_only) {
		rc = 0;
		goto out;
	}
	if (trace)
		m.trace = stdout;
	m.hashing = hash;
	enum machine_stop why = sim_machine_run(&m, max);
	fflush(stdout);
	if (hash)
		printf("trace hash %016" PRIX64 " over %" PRIu64 " instructions\n",
		       m.trace_hash, m.cpu.instructions);
	if (!quiet) {
		fprintf(stderr, "vmlab: %s", machine_stop_names[why]);
		if (why == STOP_DISABLED_WAIT)
			fprintf(stderr, ", code X'%03" PRIX32 "'", m.cpu.psw_ia);
		fprintf(stderr, " after %" PRIu64 " instructions, %" PRIu64 " cycles\n",
			m.cpu.instructions, m.cpu.cycles);
	}
	if (regs)
		sim_machine_print_state(stdout, &m);
	if (stats) {
		m.stats.instructions = m.cpu.instructions;
		m.stats.cycles = m.cpu.cycles;
		exit_stats_print(stdout, &m.stats, sim_machine_key_name);
	}
	rc = (why == STOP_DISABLED_WAIT && m.cpu.psw_ia == 0) ? 0 : 1;
out:
	sim_machine_destroy(&m);
	sim_image_free(&img);
	return rc;
}

/* ------------------------------------------------------------------ */
/* vmlab isa                                                            */

/* Theorem 1 of Popek and Goldberg (1974): a VMM may be constructed if
 * the sensitive instructions are a subset of the privileged ones.  The
 * table says which is which; count the ones that break the rule. */
int isa_unprivileged_sensitive(const char **names, int max)
{
	int n = 0;
	for (int i = 0; i < vl32_isa_count; i++)
		if (vl32_isa_list[i]->pgclass == SENSITIVE) {
			if (n < max)
				names[n] = vl32_isa_list[i]->mnemonic;
			n++;
		}
	return n;
}

static void isa_verdict(FILE *f)
{
	const char *bad[256];
	int nbad = isa_unprivileged_sensitive(bad, 256);
	int npriv = 0;
	for (int i = 0; i < vl32_isa_count; i++)
		npriv += vl32_isa_list[i]->pgclass == PRIVILEGED;
	fprintf(f, "%d instructions: %d innocuous, %d privileged (sensitive and trapping), "
		   "%d sensitive but unprivileged.\n",
		vl32_isa_count, vl32_isa_count - npriv - nbad, npriv, nbad);
	if (nbad == 0) {
		fprintf(f, "Every sensitive instruction is privileged, so by Popek and Goldberg's "
			   "Theorem 1 (1974)\na trap-and-emulate virtual machine monitor can be "
			   "built for VL32: CP runs each guest\nin problem state, and every "
			   "sensitive instruction traps to it.\n");
	} else {
		fprintf(f, "Sensitive but unprivileged:");
		for (int i = 0; i < nbad && i < 256; i++)
			fprintf(f, " %s", bad[i]);
		fprintf(f, "\nTheorem 1 does not hold: these execute silently in problem state, "
			   "so trap-and-emulate\nalone cannot virtualize this machine.\n");
	}
}

/* Table cells cannot hold a bare '|'. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void isa_print_markdown(FILE *f)
{
	fprintf(f, "# VL32 instruction set\n\n"
		   "Generated from `sim/isa.def` by `vmlab isa --markdown` (`make isa-doc`); "
		   "do not edit.\nA unit test fails when this file is stale. Formats, "
		   "condition codes and the\nPopek-Goldberg classes are explained at the top "
		   "of `sim/isa.def`; the\narchitected constants (PSW, low storage, DAT, CCW) "
		   "in `sim/vl32.h`; the\nassembler language in `sim/ASM.md`.\n\n");
	fprintf(f, "## Classification\n\n");
	isa_verdict(f);
	fprintf(f, "\n## Instructions\n\n"
		   "| mnemonic | opcode | format | class | cycles | meaning |\n"
		   "|---|---|---|---|---|---|\n");
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		fprintf(f, "| `%s` | `%02X` | %s | %s | %u | ", in->mnemonic,
			in->opcode, vl32_format_name(in->format),
			vl32_class_name(in->pgclass), in->cycles);
		md_cell(f, in->meaning);
		fprintf(f, " |\n");
	}
	fprintf(f, "\n## Extended mnemonics (assembler)\n\n"
		   "| name | means | meaning |\n|---|---|---|\n");
	for (int i = 0; i < vl32_alias_count; i++)
		fprintf(f, "| `%s` | `%s %u,...` | %s |\n", vl32_aliases[i].name,
			vl32_aliases[i].base, vl32_aliases[i].mask, vl32_aliases[i].meaning);
}

int vmlab_isa_main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--markdown")) {
		isa_print_markdown(stdout);
		return 0;
	}
	if (argc > 1) {
		bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr,
			"usage: vmlab isa [--markdown]\n"
			"The VL32 instruction table and each instruction's Popek-Goldberg class;\n"
			"--markdown writes it as sim/ISA.md.\n");
		return help ? 0 : 2;
	}
	printf("%-6s %-3s %-4s %-11s %4s  %s\n", "name", "op", "fmt", "class", "cyc", "meaning");
	for (int i = 0; i < vl32_isa_count; i++) {
		const struct vl32_insn_info *in = vl32_isa_list[i];
		printf("%-6s %02X  %-4s %-11s %4u  %s\n", in->mnemonic, in->opcode,
		       vl32_format_name(in->format), vl32_class_name(in->pgclass),
		       in->cycles, in->meaning);
	}
	printf("\n");
	isa_verdict(stdout);
	return 0;
}
