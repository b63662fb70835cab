/*
 * tests/unit/test_cms_mdisk.c -- the CMS minidisk format on the host
 * (cms/mdisk.c, layout in cms/FORMAT.md).
 *
 * Round trips (format, put, reopen, get), the directory's limits (full
 * directory, no contiguous space, replacing a file), text <-> records,
 * and the robustness loop: thousands of images, each a good one with a
 * few random bytes changed in its metadata or data blocks, must either
 * open cleanly -- and then be self-consistent -- or be refused with a
 * message; never crash (the loop runs under ASan/UBSan in make test SAN=1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cms/mdisk.h"

static char tmpdir[64];

static const char *path_of(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return p;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cmsmdXXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd);
}

/* A formatted disk with two files, returned open. */
static void make_disk(struct cms_disk *d, const char *name, uint32_t blocks)
{
	char err[256];
	const char *p = path_of(name);
	unlink(p);
	assert_int_equal(cms_disk_create(p, blocks, err, sizeof err), 0);
	assert_int_equal(cms_disk_format(p, "alc191", err, sizeof err), 0);
	assert_int_equal(cms_disk_open(d, p, err, sizeof err), 0);
	const char text[] = "LINE ONE\nLINE TWO\n\nLAST LINE";
	uint8_t *s;
	uint32_t bytes, recs, maxlen;
	assert_int_equal(cms_text_to_records(text, strlen(text), 'V', 0, &s, &bytes, &recs,
					     &maxlen, err, sizeof err), 0);
	assert_int_equal(recs, 4);
	assert_int_equal(maxlen, 9);
	assert_int_equal(bytes, 8 + 8 + 1 + 9 + 4 * 2);
	assert_int_equal(cms_disk_put(d, "PROFILE", "EXEC", 'V', maxlen, recs, s, bytes, err,
				      sizeof err), 0);
	free(s);
	uint8_t big[80 * 20];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)('A' + i % 26);
	assert_int_equal(cms_disk_put(d, "DECK", "DATA", 'F', 80, 20, big, sizeof big, err,
				      sizeof err), 0);
	assert_int_equal(cms_disk_save(d, p, err, sizeof err), 0);
}

static void test_format_layout(void **state)
{
	(void)state;
	char err[256];
	struct cms_disk d;
	const char *p = path_of("fmt.disk");
	assert_int_equal(cms_disk_create(p, 1024, err, sizeof err), 0);
	/* create never replaces a file */
	assert_int_not_equal(cms_disk_create(p, 1024, err, sizeof err), 0);
	assert_non_null(strstr(err, "exists"));
	/* an unformatted image is refused, saying why */
	assert_int_not_equal(cms_disk_open(&d, p, err, sizeof err), 0);
	assert_non_null(strstr(err, "not a CMS disk"));
	assert_int_not_equal(cms_disk_format(p, "TOOLONGX", err, sizeof err), 0);
	assert_int_not_equal(cms_disk_format(p, "a b", err, sizeof err), 0);
	assert_int_equal(cms_disk_format(p, "alc191", err, sizeof err), 0);
	assert_int_equal(cms_disk_open(&d, p, err, sizeof err), 0);
	assert_string_equal(d.label, "ALC191");
	assert_int_equal(d.blocks, 1024);
	assert_int_equal(d.bm_start, 1);
	assert_int_equal(d.bm_blocks, 1);
	assert_int_equal(d.dir_start, 2);
	assert_int_equal(d.dir_blocks, 16);
	assert_int_equal(d.data_start, 18);
	assert_int_equal(d.used, 18);
	assert_int_equal(d.nfiles, 0);
	assert_int_equal(d.nslots, 128);
	/* the bytes, as the nucleus sees them */
	assert_memory_equal(d.image, "VMLABCMS", 8);
	assert_memory_equal(d.image + 12, "ALC191  ", 8);
	assert_int_equal(d.image[512], 0xFF);   /* blocks 0..7 */
	assert_int_equal(d.image[513], 0xFF);   /* 8..15 */
	assert_int_equal(d.image[514], 0xC0);   /* 16, 17 */
	cms_disk_close(&d);
	uint32_t bm, dir;
	cms_disk_layout(8, &bm, &dir);
	assert_int_equal(bm, 1);
	assert_int_equal(dir, 1);
	cms_disk_layout(65536, &bm, &dir);
	assert_int_equal(bm, 16);
	assert_int_equal(dir, 64);
	assert_int_not_equal(cms_disk_create(path_of("small"), 7, err, sizeof err), 0);
	assert_int_not_equal(cms_disk_create(path_of("big"), 65537, err, sizeof err), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	char err[256];
	struct cms_disk d;
	make_disk(&d, "rt.disk", 256);
	cms_disk_close(&d);
	assert_int_equal(cms_disk_open(&d, path_of("rt.disk"), err, sizeof err), 0);
	assert_int_equal(d.nfiles, 2);
	int s = cms_disk_find(&d, "PROFILE", "EXEC");
	assert_true(s >= 0);
	assert_int_equal(d.files[s].recfm, 'V');
	assert_int_equal(d.files[s].records, 4);
	char *text;
	size_t len;
	assert_int_equal(cms_records_to_text(&d.files[s], cms_disk_data(&d, s), &text, &len,
					     err, sizeof err), 0);
	/* an empty line comes back as one blank, as CMS stores it */
	assert_string_equal(text, "LINE ONE\nLINE TWO\n \nLAST LINE\n");
	free(text);
	s = cms_disk_find(&d, "DECK", "DATA");
	assert_int_equal(d.files[s].nblocks, 4);  /* 1600 bytes */
	assert_int_equal(cms_disk_data(&d, s)[1599], 'A' + 1599 % 26);
	assert_int_equal(cms_disk_find(&d, "NO", "SUCH"), -1);
	/* replace, erase, and the space comes back */
	uint32_t used = d.used;
	uint8_t one[3] = { 0, 1, 'X' };
	assert_int_equal(cms_disk_put(&d, "DECK", "DATA", 'V', 1, 1, one, 3, err, sizeof err), 0);
	assert_int_equal(d.used, used - 3);
	assert_int_equal(d.nfiles, 2);
	assert_int_equal(cms_disk_erase(&d, cms_disk_find(&d, "DECK", "DATA")), 0);
	assert_int_equal(cms_disk_erase(&d, cms_disk_find(&d, "DECK", "DATA")), -ENOENT);
	assert_int_equal(d.used, used - 4);
	/* an empty file has no blocks */
	assert_int_equal(cms_disk_put(&d, "EMPTY", "FILE", 'V', 1, 0, NULL, 0, err, sizeof err), 0);
	assert_int_equal(cms_disk_save(&d, path_of("rt.disk"), err, sizeof err), 0);
	cms_disk_close(&d);
	assert_int_equal(cms_disk_open(&d, path_of("rt.disk"), err, sizeof err), 0);
	assert_int_equal(d.files[cms_disk_find(&d, "EMPTY", "FILE")].first, 0);
	assert_int_equal(d.nfiles, 2);
	cms_disk_close(&d);
}

static void test_limits(void **state)
{
	(void)state;
	char err[256], fn[9], ft[9];
	struct cms_disk d;
	make_disk(&d, "lim.disk", 64);   /* 1 directory block: 8 files */
	uint8_t rec[3] = { 0, 1, 'Z' };
	for (int i = 0; i < 6; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "F%d", i);
		assert_int_equal(cms_disk_put(&d, nm, "X", 'V', 1, 1, rec, 3, err, sizeof err), 0);
	}
	assert_int_not_equal(cms_disk_put(&d, "NINTH", "X", 'V', 1, 1, rec, 3, err, sizeof err), 0);
	assert_non_null(strstr(err, "directory is full"));
	/* a failed put changes nothing */
	assert_int_equal(d.nfiles, 8);
	cms_disk_erase(&d, cms_disk_find(&d, "F0", "X"));
	size_t huge = 64 * 512;
	uint8_t *h = calloc(1, huge);
	assert_int_not_equal(cms_disk_put(&d, "HUGE", "X", 'F', 512, 64, h, (uint32_t)huge, err,
					  sizeof err), 0);
	assert_non_null(strstr(err, "free blocks"));
	free(h);
	/* inconsistent records are refused */
	uint8_t badv[3] = { 0, 5, 'Z' };
	assert_int_not_equal(cms_disk_put(&d, "B", "X", 'V', 5, 1, badv, 3, err, sizeof err), 0);
	assert_int_not_equal(cms_disk_put(&d, "B", "X", 'F', 2, 2, rec, 3, err, sizeof err), 0);
	assert_int_not_equal(cms_disk_put(&d, "b", "X", 'V', 1, 1, rec, 3, err, sizeof err), 0);
	assert_int_not_equal(cms_disk_put(&d, "TOOLONGNAME", "X", 'V', 1, 1, rec, 3, err, sizeof err), 0);
	cms_disk_close(&d);
	/* names */
	assert_int_equal(cms_name_parse("  profile   exec ", fn, ft, err, sizeof err), 0);
	assert_string_equal(fn, "PROFILE");
	assert_string_equal(ft, "EXEC");
	assert_int_not_equal(cms_name_parse("ONE", fn, ft, err, sizeof err), 0);
	assert_int_not_equal(cms_name_parse("A B C", fn, ft, err, sizeof err), 0);
	assert_int_not_equal(cms_name_parse("NINECHARS X", fn, ft, err, sizeof err), 0);
	assert_int_not_equal(cms_name_parse("A.B X", fn, ft, err, sizeof err), 0);
	/* text to fixed records */
	uint8_t *s;
	uint32_t bytes, recs, maxlen;
	assert_int_equal(cms_text_to_records("AB\r\nC\n", 6, 'F', 4, &s, &bytes, &recs, &maxlen,
					     err, sizeof err), 0);
	assert_int_equal(bytes, 8);
	assert_memory_equal(s, "AB  C   ", 8);
	free(s);
	assert_int_not_equal(cms_text_to_records("ABCDE\n", 6, 'F', 4, &s, &bytes, &recs,
						 &maxlen, err, sizeof err), 0);
	assert_non_null(strstr(err, "line 1"));
}

/* Damage a good image in random ways: every outcome must be a clean
 * refusal or a disk that is consistent enough to use. */
static void test_damaged_images(void **state)
{
	(void)state;
	char err[256];
	struct cms_disk good;
	make_disk(&good, "dmg.disk", 64);
	size_t len = (size_t)good.blocks * CMS_BLOCK;
	uint8_t *img = malloc(len);
	srand(12345);
	int refused = 0, opened = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(img, good.image, len);
		int changes = 1 + rand() % 4;
		for (int c = 0; c < changes; c++) {
			/* mostly the metadata blocks (label, bitmap, directory)
			 * and the first data blocks, where the V records are */
			size_t at = (size_t)rand() % (CMS_BLOCK * 8);
			switch (rand() % 4) {
			case 0: img[at] = (uint8_t)rand(); break;
			case 1: img[at] ^= (uint8_t)(1u << (rand() % 8)); break;
			case 2: img[at & ~3u] = 0xFF; break;
			default: img[at] = 0; break;
			}
		}
		struct cms_disk d;
		err[0] = 0;
		if (cms_disk_parse(&d, img, len, err, sizeof err)) {
			assert_true(strlen(err) > 0);
			refused++;
			continue;
		}
		opened++;
		/* an accepted disk is usable: every file reads back, and a
		 * put and an erase keep it valid */
		for (int i = 0; i < d.nslots; i++) {
			if (!d.files[i].fn[0])
				continue;
			char *text;
			size_t tl;
			assert_int_equal(cms_records_to_text(&d.files[i], cms_disk_data(&d, i),
							     &text, &tl, err, sizeof err), 0);
			free(text);
		}
		uint8_t rec[4] = { 0, 2, 'O', 'K' };
		int rc = cms_disk_put(&d, "NEW", "FILE", 'V', 2, 1, rec, 4, err, sizeof err);
		if (rc == 0) {
			struct cms_disk again;
			assert_int_equal(cms_disk_parse(&again, d.image, len, err, sizeof err), 0);
			assert_int_equal(cms_disk_erase(&again, cms_disk_find(&again, "NEW", "FILE")), 0);
			cms_disk_close(&again);
		}
		cms_disk_close(&d);
	}
	/* the loop exercised both outcomes */
	assert_true(refused > 1000);
	assert_true(opened > 100);
	/* short, odd-sized and zero images */
	struct cms_disk d;
	assert_int_not_equal(cms_disk_parse(&d, img, 100, err, sizeof err), 0);
	assert_int_not_equal(cms_disk_parse(&d, img, 512 * 4, err, sizeof err), 0);
	memset(img, 0, len);
	assert_int_not_equal(cms_disk_parse(&d, img, len, err, sizeof err), 0);
	free(img);
	cms_disk_close(&good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_damaged_images),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
