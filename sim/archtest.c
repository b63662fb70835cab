/*
 * sim/archtest.c -- `vmlab archtest`: run the VL32 architecture suite.
 *
 * Each test (tests/arch/NAME.s) is a self-checking program that ends in a
 * disabled wait: code 0 passes, any other code names the failed check.
 * Companion files give console input (NAME.in), cards (NAME.rdr), and
 * the expected console, punch and printer output (NAME.con, NAME.pun,
 * NAME.prt).  Given more than one test, the runner also checks that every
 * instruction of the ISA table is named by some test's "* COVERS:" line.
 * The conventions are in tests/arch/README.md.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cp/commands.h"
#include "archtest.h"
#include "run.h"
#include "sim/hostfile.h"


#define ARCH_DISK_BLOCKS 64

/* A whole file, or NULL (no such file, or unreadable). */
static char *slurp(const char *path, size_t *len)
{
	char *data;
	sim_file_read(path, SIZE_MAX, &data, len, NULL, 0);
	return data;
}

/* Compare produced output with a golden file, if there is one.  Returns
 * 0 if equal or no golden file; else writes why into msg. */
static int compare_golden(const char *golden, const char *produced,
			  const char *what, char *msg, size_t msglen)
{
	size_t glen, plen;
	char *g = slurp(golden, &glen);
	if (!g)
		return 0;
	char *p = slurp(produced, &plen);
	int rc = 0;
	if (!p || glen != plen || memcmp(g, p, glen)) {
		/* Find the first differing line for the message. */
		size_t i = 0, line = 1;
		while (p && i < glen && i < plen && g[i] == p[i]) {
			if (g[i] == '\n')
				line++;
			i++;
		}
		snprintf(msg, msglen, "%s output differs from %s at line %zu", what,
			 golden, line);
		rc = -1;
	}
	free(g);
	free(p);
	return rc;
}

static void companion(char *out, size_t len, const char *test, const char *ext)
{
	size_t n = strlen(test);
	if (n > 2 && !strcmp(test + n - 2, ".s"))
		n -= 2;
	snprintf(out, len, "%.*s.%s", (int)n, test, ext);
}

const char *archtest_name(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(buf, len, "%s", b);
	char *dot = strrchr(buf, '.');
	if (dot && !strcmp(dot, ".s"))
		*dot = 0;
	return buf;
}

/*
 * The bare machine as an architecture-suite target: run the program on a
 * sim_machine with the standard devices and report its final state.
 */
static int bare_run(void *ctx, const struct sim_image *img,
		    const struct run_devices *devs, struct arch_result *r)
{
	(void)ctx;
	struct sim_machine m;
	char err[512];
	if (sim_machine_init(&m, MACHINE_DEFAULT_STORAGE)) {
		snprintf(r->msg, sizeof r->msg, "cannot set up the machine");
		return -1;
	}
	if (run_attach_devices(&m.io, devs, stdout) ||
	    sim_machine_load(&m, img, err, sizeof err)) {
		snprintf(r->msg, sizeof r->msg, "cannot load: %s", err);
		sim_machine_destroy(&m);
		return -1;
	}
	enum machine_stop why = sim_machine_run(&m, ARCH_MAX_INSTRUCTIONS);
	r->finished = why == STOP_DISABLED_WAIT;
	if (why == STOP_MAX_INSTRUCTIONS)
		snprintf(r->msg, sizeof r->msg, "did not finish in %u instructions",
			 ARCH_MAX_INSTRUCTIONS);
	else if (!r->finished)
		snprintf(r->msg, sizeof r->msg, "%s", machine_stop_names[why]);
	archtest_capture(r, &m.cpu, &m.mem);
	sim_machine_destroy(&m); /* closes the devices: files are flushed */
	return 0;
}

const struct arch_target arch_bare_target = { "bare", bare_run, NULL };

void archtest_capture(struct arch_result *r, const struct sim_cpu *cpu,
		      const struct sim_mem *mem)
{
	memcpy(r->gpr, cpu->gpr, sizeof r->gpr);
	r->psw0 = sim_psw_word0(cpu);
	r->psw1 = cpu->psw_ia;
	r->instructions = cpu->instructions;
	/* FNV-1a over all of storage: equal hashes, equal storage. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t i = 0; i < mem->size; i++)
		h = (h ^ mem->base[i]) * 0x100000001b3ull;
	r->storage_hash = h;
}

int archtest_run_file(const char *path, const struct arch_target *t,
		      struct arch_result *r)
{
	char tmpl[] = "/tmp/vmlab-arch-XXXXXX";
	char in[1024], rdr[1024], pun[1024], prt[1024], con[1024];
	char out_con[1100], out_pun[1100], out_prt[1100], disk[1100];
	memset(r, 0, sizeof *r);
	companion(in, sizeof in, path, "in");
	companion(rdr, sizeof rdr, path, "rdr");
	companion(pun, sizeof pun, path, "pun");
	companion(prt, sizeof prt, path, "prt");
	companion(con, sizeof con, path, "con");

	/* Assembly diagnostics go to a temporary file so that they can be
	 * shown with the failure rather than interleaved. */
	FILE *errs = tmpfile();
	struct sim_image img;
	if (run_load_program(path, &img, errs ? errs : stderr)) {
		size_t n = 0;
		n += (size_t)snprintf(r->msg, sizeof r->msg, "does not assemble\n");
		if (errs) {
			rewind(errs);
			n += fread(r->msg + n, 1, sizeof r->msg - n - 1, errs);
			r->msg[n] = 0;
			fclose(errs);
		}
		return -1;
	}
	if (errs)
		fclose(errs);

	if (!mkdtemp(tmpl)) {
		snprintf(r->msg, sizeof r->msg, "cannot make a temporary folder: %s",
			 strerror(errno));
		sim_image_free(&img);
		return -1;
	}
	snprintf(out_con, sizeof out_con, "%s/console", tmpl);
	snprintf(out_pun, sizeof out_pun, "%s/punch", tmpl);
	snprintf(out_prt, sizeof out_prt, "%s/printer", tmpl);
	snprintf(disk, sizeof disk, "%s/disk", tmpl);
	int rc = -1;
	FILE *cin = fopen(in, "r");
	if (!cin)
		cin = fopen("/dev/null", "r");
	FILE *cout = fopen(out_con, "w");
	FILE *dk = fopen(disk, "wb");
	if (dk) {
		static const uint8_t zero[ARCH_DISK_BLOCKS * DISK_BLOCK_SIZE];
		fwrite(zero, 1, sizeof zero, dk);
		fclose(dk);
	}
	struct run_devices devs = {
		.console_in = cin,
		.console_out = cout,
		.reader = access(rdr, R_OK) == 0 ? rdr : NULL,
		.punch = out_pun,
		.printer = out_prt,
		.disk = disk,
	};
	if (!cin || !cout) {
		snprintf(r->msg, sizeof r->msg, "cannot open the console files");
		goto cleanup;
	}
	if (t->run(t->ctx, &img, &devs, r))
		goto cleanup;
	fflush(cout);
	if (r->msg[0]) {
		/* the target said what went wrong */
	} else if (r->psw1 != ARCH_WAIT_PASS) {
		/* lib.s stops at 4 * the check number (tests/arch/README.md). */
		if (r->psw1 % 4 == 0 && r->psw1 < 0x10000)
			snprintf(r->msg, sizeof r->msg, "check %" PRIu32 " (disabled wait code X'%03"
				 PRIX32 "') after %" PRIu64 " instructions", r->psw1 / 4, r->psw1,
				 r->instructions);
		else
			snprintf(r->msg, sizeof r->msg, "disabled wait code X'%03" PRIX32
				 "' after %" PRIu64 " instructions", r->psw1, r->instructions);
	} else if (!compare_golden(con, out_con, "console", r->msg, sizeof r->msg) &&
		   !compare_golden(pun, out_pun, "punch", r->msg, sizeof r->msg) &&
		   !compare_golden(prt, out_prt, "printer", r->msg, sizeof r->msg)) {
		rc = 0;
	}
cleanup:
	if (cin)
		fclose(cin);
	if (cout)
		fclose(cout);
	unlink(out_con);
	unlink(out_pun);
	unlink(out_prt);
	unlink(disk);
	rmdir(tmpl);
	sim_image_free(&img);
	r->passed = rc == 0;
	return rc;
}

/* Run one test on the bare machine; print PASS or FAIL. */
static int run_one(const char *path)
{
	char name[256];
	struct arch_result r;
	archtest_name(path, name, sizeof name);
	int rc = archtest_run_file(path, &arch_bare_target, &r);
	if (rc == 0)
		printf("PASS %s\n", name);
	else
		printf("FAIL %s: %s\n", name, r.msg);
	fflush(stdout);
	return rc;
}

/* Mark each mnemonic named on a "* COVERS:" line of the file. */
static void scan_covers(const char *path, bool *covered)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "* COVERS:", 9))
			continue;
		for (char *tok = strtok(line + 9, " \t\r\n,"); tok;
		     tok = strtok(NULL, " \t\r\n,"))
			for (int i = 0; i < vl32_isa_count; i++)
				if (!strcasecmp(tok, vl32_isa_list[i]->mnemonic))
					covered[i] = true;
	}
	fclose(f);
}

int vmlab_archtest_main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: vmlab archtest TEST.s...\n"
			"Run architecture tests on the bare machine; print PASS or FAIL for each.\n"
			"With more than one test, also check that every instruction is covered.\n");
		return argc < 2 ? 2 : 0;
	}
	int pass = 0, fail = 0;
	bool covered[256] = { 0 };
	for (int i = 1; i < argc; i++) {
		if (run_one(argv[i]) == 0)
			pass++;
		else
			fail++;
		scan_covers(argv[i], covered);
	}
	if (argc > 2) {
		char missing[2048] = "";
		size_t used = 0;
		for (int i = 0; i < vl32_isa_count; i++)
			if (!covered[i] && used + 8 < sizeof missing)
				used += (size_t)snprintf(missing + used, sizeof missing - used,
							 " %s", vl32_isa_list[i]->mnemonic);
		if (used) {
			printf("FAIL coverage: no test covers%s\n", missing);
			fail++;
		} else {
			printf("PASS coverage (all %d instructions)\n", vl32_isa_count);
			pass++;
		}
	}
	printf("archtest: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
