/*
 * tests/unit/test_cms_sysdisk.c -- the system disk's files and CMS's
 * help (cms/sysfiles.h, cms/sysdisk.c, cms/help/NAME.txt).
 *
 * Every command in CMDTAB (cms/cms.s and its INCLUDEs, read at build
 * time into cms_command_names) must have a help file, and the help file
 * must agree with CMDTAB: its syntax line names the command with the
 * shortest form CMS takes in capitals (LISTFile: LISTF).  A new command
 * without help, or a changed abbreviation, fails here.  Then: the help
 * fits through DIAGNOSE X'008' (CP's HELP under CMS answers through a
 * 4K buffer), the sample program assembles, and a disk filled by
 * cms_sysdisk_fill holds every file, replaces old copies, keeps others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cms/cmdnames.h"
#include "cms/mdisk.h"
#include "cms/sysfiles.h"
#include "sim/asm.h"

/* Line n (from 1) of text, without its newline, into buf. */
static const char *line_of(const char *text, int n, char *buf, size_t len)
{
	for (int i = 1; i < n && text; i++) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text)
		return NULL;
	size_t k = strcspn(text, "\n");
	if (k >= len)
		k = len - 1;
	memcpy(buf, text, k);
	buf[k] = 0;
	return buf;
}

static void test_every_command_has_help(void **state)
{
	(void)state;
	int n = 0;
	for (const struct cms_command_name *c = cms_command_names; c->name; c++, n++) {
		const char *t = cms_help_text(c->name);
		if (!t)
			fail_msg("CMS command %s (%s) has no help: add cms/help/%s.txt",
				 c->name, c->where, c->name);
		char l1[128], l3[128], want[64];
		/* Line 1: "NAME (CMS): what it does". */
		snprintf(want, sizeof want, "%s (CMS): ", c->name);
		assert_non_null(line_of(t, 1, l1, sizeof l1));
		if (strncmp(l1, want, strlen(want)))
			fail_msg("cms/help/%s.txt line 1 '%s': expected '%s...'", c->name, l1, want);
		/* Line 3: the syntax, "  LISTFile ...": the first min letters
		 * in capitals, the rest of the name in lower case. */
		assert_non_null(line_of(t, 3, l3, sizeof l3));
		const char *w = l3 + 2;
		size_t len = strcspn(w, " ");
		size_t caps = 0;
		while (caps < len && isupper((unsigned char)w[caps]))
			caps++;
		if (strncmp(l3, "  ", 2) || len != strlen(c->name) ||
		    strncasecmp(w, c->name, len) || caps != (size_t)c->min)
			fail_msg("cms/help/%s.txt line 3 '%s': expected the syntax, '  %.*s%s...' "
				 "(CMDTAB %s: shortest %d)", c->name, l3, c->min, c->name,
				 "(rest in lower case)", c->where, c->min);
		for (size_t i = caps; i < len; i++)
			if (!islower((unsigned char)w[i]))
				fail_msg("cms/help/%s.txt line 3: '%.*s' after the shortest "
					 "form must be lower case", c->name, (int)len, w);
		/* The sections a reader looks for. */
		assert_non_null(strstr(t, "\nExample:\n"));
		assert_non_null(strstr(t, "\nReturn codes:\n"));
		/* CP's HELP under CMS goes through a 4K response buffer. */
		assert_true(strlen(t) < 3000);
	}
	assert_true(n >= 20);
	/* And no help file for a command CMDTAB does not have. */
	for (const struct cms_sysfile *f = cms_sysfiles; f->fn; f++)
		if (!strcmp(f->ft, "HELPCMS") && !cms_command_find(f->fn))
			fail_msg("%s: %s is not a CMS command (not in CMDTAB)", f->source, f->fn);
}

static void test_program_assembles(void **state)
{
	(void)state;
	int programs = 0;
	for (const struct cms_sysfile *f = cms_sysfiles; f->fn; f++) {
		if (!f->asm_text)
			continue;
		struct sim_image img = { 0 };
		struct asm_options opt = { 0 };
		assert_int_equal(asm_string(f->source, f->asm_text, &opt, &img), 0);
		assert_int_equal(img.entry, 0xC0000);  /* cmslib.s's BEGIN */
		sim_image_free(&img);
		programs++;
	}
	assert_true(programs >= 1);
}

static void test_fill(void **state)
{
	(void)state;
	char dir[] = "/tmp/cmssysXXXXXX", path[64], err[300];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/system.disk", dir);
	assert_int_equal(cms_disk_create(path, 2048, err, sizeof err), 0);
	assert_int_equal(cms_disk_format(path, "MNT190", err, sizeof err), 0);
	/* MAINT's own file stays; an old LISTFILE HELPCMS is replaced. */
	struct cms_disk d;
	assert_int_equal(cms_disk_open(&d, path, err, sizeof err), 0);
	assert_int_equal(cms_disk_put(&d, "MINE", "TEXT", 'V', 2, 1, (const uint8_t *)"\0\2hi",
				      4, err, sizeof err), 0);
	assert_int_equal(cms_disk_put(&d, "LISTFILE", "HELPCMS", 'V', 3, 1,
				      (const uint8_t *)"\0\3old", 5, err, sizeof err), 0);
	assert_int_equal(cms_disk_save(&d, path, err, sizeof err), 0);
	cms_disk_close(&d);
	assert_int_equal(cms_sysdisk_fill(path, err, sizeof err), 0);
	assert_int_equal(cms_disk_open(&d, path, err, sizeof err), 0);
	int n = 0;
	for (const struct cms_sysfile *f = cms_sysfiles; f->fn; f++, n++) {
		int slot = cms_disk_find(&d, f->fn, f->ft);
		assert_true(slot >= 0);
		assert_int_equal(d.files[slot].recfm, 'V');
		if (f->asm_text) {
			slot = cms_disk_find(&d, f->fn, "MODULE");
			assert_true(slot >= 0);
			assert_int_equal(d.files[slot].recfm, 'F');
			assert_int_equal(d.files[slot].lrecl, 512);
			assert_memory_equal(cms_disk_data(&d, slot), "VL32", 4);
			n++;
		}
	}
	assert_true(cms_disk_find(&d, "MINE", "TEXT") >= 0);
	assert_int_equal(d.nfiles, n + 1);
	int slot = cms_disk_find(&d, "LISTFILE", "HELPCMS");
	char *text;
	size_t len;
	assert_int_equal(cms_records_to_text(&d.files[slot], cms_disk_data(&d, slot), &text,
					     &len, err, sizeof err), 0);
	assert_true(len > 100 && !strncmp(text, "LISTFILE (CMS): ", 16));
	free(text);
	cms_disk_close(&d);
	/* Not a CMS disk: refused with a message, nothing written. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a disk", f);
	fclose(f);
	err[0] = 0;
	assert_true(cms_sysdisk_fill(path, err, sizeof err) < 0);
	assert_true(err[0] != 0);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_has_help),
		cmocka_unit_test(test_program_assembles),
		cmocka_unit_test(test_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
