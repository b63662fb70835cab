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
#include "run.h"

#define ARCH_MAX_INSTRUCTIONS 10000000u
#define ARCH_DISK_BLOCKS 64

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = 0;
	*len = n;
	return buf;
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

static const char *base_name(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(buf, len, "%s", b);
	char *dot = strrchr(buf, '.');
	if (dot && !strcmp(dot, ".s"))
		*dot = 0;
	return buf;
}

/* Run one test; 0 pass, -1 fail (message printed). */
static int run_one(const char *path)
{
	char name[256], msg[1024] = "", tmpl[] = "/tmp/vmlab-arch-XXXXXX";
	char in[1024], rdr[1024], pun[1024], prt[1024], con[1024];
	char out_con[1100], out_pun[1100], out_prt[1100], disk[1100];
	base_name(path, name, sizeof name);
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
		printf("FAIL %s: does not assemble\n", name);
		if (errs) {
			rewind(errs);
			int ch;
			while ((ch = fgetc(errs)) != EOF)
				putchar(ch);
			fclose(errs);
		}
		return -1;
	}
	if (errs)
		fclose(errs);

	if (!mkdtemp(tmpl)) {
		printf("FAIL %s: cannot make a temporary folder: %s\n", name, strerror(errno));
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
	struct sim_machine m;
	char err[512];
	if (!cin || !cout || sim_machine_init(&m, MACHINE_DEFAULT_STORAGE)) {
		snprintf(msg, sizeof msg, "cannot set up the machine");
		goto cleanup_files;
	}
	if (run_attach_devices(&m, &devs, stdout) ||
	    sim_machine_load(&m, &img, err, sizeof err)) {
		snprintf(msg, sizeof msg, "cannot load: %s", err);
		goto cleanup;
	}
	enum machine_stop why = sim_machine_run(&m, ARCH_MAX_INSTRUCTIONS);
	/* Devices flush their files when closed. */
	sim_io_destroy(&m.io);
	sim_io_init(&m.io, &m.mem);
	fflush(cout);
	if (why == STOP_MAX_INSTRUCTIONS) {
		snprintf(msg, sizeof msg, "did not finish in %u instructions (PSW %08" PRIX32
			 " %08" PRIX32 ")", ARCH_MAX_INSTRUCTIONS,
			 sim_psw_word0(&m.cpu), m.cpu.psw_ia);
	} else if (why != STOP_DISABLED_WAIT) {
		snprintf(msg, sizeof msg, "%s at %08" PRIX32, machine_stop_names[why],
			 m.cpu.psw_ia);
	} else if (m.cpu.psw_ia != ARCH_WAIT_PASS) {
		snprintf(msg, sizeof msg, "check %" PRIu32 " (disabled wait code X'%03" PRIX32
			 "') after %" PRIu64 " instructions", m.cpu.psw_ia, m.cpu.psw_ia,
			 m.cpu.instructions);
	} else if (!compare_golden(con, out_con, "console", msg, sizeof msg) &&
		   !compare_golden(pun, out_pun, "punch", msg, sizeof msg) &&
		   !compare_golden(prt, out_prt, "printer", msg, sizeof msg)) {
		rc = 0;
	}
cleanup:
	sim_machine_destroy(&m);
cleanup_files:
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
	if (rc == 0)
		printf("PASS %s\n", name);
	else
		printf("FAIL %s: %s\n", name, msg);
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
