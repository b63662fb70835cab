/*
 * sim/asm_main.c -- the `vmlab asm` and `vmlab disasm` subcommands.
 *
 *   vmlab asm PROG.s [-o PROG.img] [-l LIST] [-I DIR]...
 *   vmlab asm --symbols
 *   vmlab disasm PROG.img
 *
 * Exit status: 0 success, 1 assembly errors (or an unreadable image),
 * 2 usage.  argv[0] is the subcommand's name (see cp/vmlab.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp/commands.h"
#include "sim/asm.h"

static int asm_usage(FILE *f, int rc)
{
	fprintf(f,
		"usage: vmlab asm PROG.s [-o PROG.img] [-l LIST] [-I DIR]...\n"
		"       vmlab asm --symbols\n"
		"\n"
		"  -o FILE   write the program image here (default: PROG.img)\n"
		"  -l FILE   write a listing: addresses, code, source, symbols\n"
		"  -I DIR    look for INCLUDE files here too (up to %d)\n"
		"  --symbols print the predefined symbols and their values\n"
		"The language is described in sim/ASM.md.\n",
		ASM_MAX_INCLUDE_DIRS);
	return rc;
}

static void asm_print_symbols(void)
{
	for (int i = 0; i < asm_predefined_count; i++)
		printf("%-20s X'%08X'  %u\n", asm_predefined[i].name,
		       asm_predefined[i].value, asm_predefined[i].value);
}

/* PROG.s -> PROG.img (any extension replaced, or .img appended). */
static char *asm_default_output(const char *src)
{
	size_t n = strlen(src);
	const char *dot = strrchr(src, '.');
	const char *slash = strrchr(src, '/');
	if (dot && (!slash || dot > slash) && dot != src)
		n = (size_t)(dot - src);
	char *out = malloc(n + 5);
	if (!out)
		return NULL;
	memcpy(out, src, n);
	memcpy(out + n, ".img", 5);
	return out;
}

int vmlab_asm_main(int argc, char **argv)
{
	struct asm_options opt = { .max_errors = 20 };
	const char *src = NULL, *out = NULL, *list = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--symbols")) {
			asm_print_symbols();
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return asm_usage(stdout, 0);
		} else if (!strcmp(a, "-o") || !strcmp(a, "-l") || !strcmp(a, "-I")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "vmlab asm: %s needs an argument\n", a);
				return asm_usage(stderr, 2);
			}
			const char *v = argv[++i];
			if (a[1] == 'o') {
				out = v;
			} else if (a[1] == 'l') {
				list = v;
			} else {
				if (opt.ninclude == ASM_MAX_INCLUDE_DIRS) {
					fprintf(stderr, "vmlab asm: at most %d -I folders\n",
						ASM_MAX_INCLUDE_DIRS);
					return 2;
				}
				opt.include_dirs[opt.ninclude++] = v;
			}
		} else if (!strncmp(a, "-I", 2) && a[2]) {
			if (opt.ninclude == ASM_MAX_INCLUDE_DIRS) {
				fprintf(stderr, "vmlab asm: at most %d -I folders\n",
					ASM_MAX_INCLUDE_DIRS);
				return 2;
			}
			opt.include_dirs[opt.ninclude++] = a + 2;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "vmlab asm: unknown option '%s'\n", a);
			return asm_usage(stderr, 2);
		} else if (src) {
			fprintf(stderr, "vmlab asm: one source file at a time ('%s' and '%s')\n",
				src, a);
			return 2;
		} else {
			src = a;
		}
	}
	if (!src) {
		fprintf(stderr, "vmlab asm: no source file\n");
		return asm_usage(stderr, 2);
	}
	char *defout = NULL;
	if (!out) {
		defout = asm_default_output(src);
		if (!defout)
			return 1;
		out = defout;
	}
	FILE *lf = NULL;
	if (list) {
		lf = fopen(list, "w");
		if (!lf) {
			perror(list);
			free(defout);
			return 1;
		}
		opt.listing = lf;
	}
	struct sim_image img;
	int nerr = asm_file(src, &opt, &img);
	if (lf)
		fclose(lf);
	int rc = 0;
	if (nerr) {
		fprintf(stderr, "vmlab asm: %d error%s, no image written\n", nerr,
			nerr == 1 ? "" : "s");
		rc = 1;
	} else if (img.nseg == 0) {
		fprintf(stderr, "%s:1:1: error: the program assembles to no bytes; no image written\n",
			src);
		rc = 1;
	} else {
		char err[512];
		if (sim_image_write(out, &img, err, sizeof err) < 0) {
			fprintf(stderr, "vmlab asm: %s\n", err);
			rc = 1;
		}
	}
	sim_image_free(&img);
	free(defout);
	return rc;
}

int vmlab_disasm_main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		fprintf(help ? stdout : stderr, "usage: vmlab disasm PROG.img\n"
			"Prints each word of the image: address, hex, instruction.\n");
		return help ? 0 : 2;
	}
	struct sim_image img;
	char err[512];
	if (sim_image_read(argv[1], &img, err, sizeof err) < 0) {
		fprintf(stderr, "vmlab disasm: %s\n", err);
		return 1;
	}
	printf("* %s: %d segment%s, entry X'%08X'\n", argv[1], img.nseg,
	       img.nseg == 1 ? "" : "s", img.entry);
	for (int i = 0; i < img.nseg; i++) {
		const struct sim_segment *s = &img.seg[i];
		printf("* segment %d: X'%08X', %u bytes\n", i, s->addr, s->len);
		uint32_t k = 0;
		for (; k + 4 <= s->len; k += 4) {
			char buf[96];
			uint32_t w = sim_get32(s->data + k);
			uint32_t at = s->addr + k;
			printf("%08X  %08X  %s%s\n", at, w, disasm(w, at, buf, sizeof buf),
			       at == img.entry ? "   ; <- entry" : "");
		}
		if (k < s->len) {
			/* A tail shorter than a word is data. */
			printf("%08X  ", s->addr + k);
			for (uint32_t j = k; j < s->len; j++)
				printf("%02X", s->data[j]);
			printf("%*s  DC    X'", (int)(2 * (4 - (s->len - k))), "");
			for (uint32_t j = k; j < s->len; j++)
				printf("%02X", s->data[j]);
			printf("'\n");
		}
	}
	sim_image_free(&img);
	return 0;
}
