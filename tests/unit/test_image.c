/*
 * tests/unit/test_image.c -- the program image format (sim/image.c).
 *
 * Write/read round trip, placement into storage, and the parser's
 * robustness: every truncation of a valid image and thousands of garbled
 * ones must give an error line (or a valid image), never a crash or a
 * read out of bounds (run under ASan: make test SAN=1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/image.h"

/* A valid two-segment image: header + (0x200, 8 bytes) + (0x1000, 3 bytes). */
static size_t make_image(uint8_t *b)
{
	size_t n = 0;
	memcpy(b, "VL32", 4);
	sim_put16(b + 4, 1);
	sim_put16(b + 6, 2);
	sim_put32(b + 8, 0x200);
	sim_put32(b + 12, 0);
	n = 16;
	sim_put32(b + n, 0x200);
	sim_put32(b + n + 4, 8);
	n += 8;
	for (int i = 0; i < 8; i++)
		b[n++] = (uint8_t)(0x10 + i);
	sim_put32(b + n, 0x1000);
	sim_put32(b + n + 4, 3);
	n += 8;
	b[n++] = 0xAA;
	b[n++] = 0xBB;
	b[n++] = 0xCC;
	return n;
}

static void test_parse_valid(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = make_image(b);
	struct sim_image img;
	char err[200] = "";
	assert_int_equal(sim_image_parse(b, n, &img, err, sizeof err), 0);
	assert_int_equal(img.entry, 0x200);
	assert_int_equal(img.nseg, 2);
	assert_int_equal(img.seg[0].addr, 0x200);
	assert_int_equal(img.seg[0].len, 8);
	assert_int_equal(img.seg[0].data[7], 0x17);
	assert_int_equal(img.seg[1].addr, 0x1000);
	assert_int_equal(img.seg[1].len, 3);
	assert_int_equal(img.seg[1].data[2], 0xCC);
	sim_image_free(&img);
	assert_int_equal(img.nseg, 0);
}

/* Each specific defect gives its own message. */
static void expect_error(uint8_t *b, size_t n, const char *needle)
{
	struct sim_image img;
	char err[200] = "";
	assert_int_equal(sim_image_parse(b, n, &img, err, sizeof err), -1);
	if (!strstr(err, needle))
		fail_msg("expected '%s' in '%s'", needle, err);
	assert_null(strchr(err, '\n'));  /* one line */
	assert_int_equal(img.nseg, 0);
}

static void test_parse_defects(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = make_image(b);
	expect_error(b, 10, "too short");
	b[0] = 'X';
	expect_error(b, n, "magic");
	n = make_image(b);
	sim_put16(b + 4, 2);
	expect_error(b, n, "version 2");
	n = make_image(b);
	sim_put16(b + 6, 0);
	expect_error(b, n, "segment count 0");
	sim_put16(b + 6, 257);
	expect_error(b, n, "segment count 257");
	n = make_image(b);
	sim_put32(b + 12, 1);
	expect_error(b, n, "reserved flags");
	n = make_image(b);
	sim_put32(b + 16 + 4, 0xFFFFFFF0u);       /* first segment: huge length */
	expect_error(b, n, "claims 4294967280 bytes");
	n = make_image(b);
	sim_put32(b + 32, 0xFFFFFFFFu);           /* second segment wraps */
	expect_error(b, n, "wraps");
	n = make_image(b);
	b[n] = 0;
	expect_error(b, n + 1, "garbage");
	n = make_image(b);
	sim_put16(b + 6, 3);                       /* a segment that is not there */
	expect_error(b, n, "segment 2 header truncated");
}

static void test_every_truncation(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = make_image(b);
	for (size_t len = 0; len < n; len++) {
		/* Copy into an exact-size heap block so ASan sees any overread. */
		uint8_t *p = malloc(len ? len : 1);
		memcpy(p, b, len);
		struct sim_image img;
		char err[200];
		assert_int_equal(sim_image_parse(p, len, &img, err, sizeof err), -1);
		free(p);
	}
}

static void test_garbled(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = make_image(b);
	uint32_t x = 777;
	int ok = 0;
	for (int round = 0; round < 5000; round++) {
		uint8_t *p = malloc(n);
		memcpy(p, b, n);
		int flips = 1 + round % 4;
		for (int f = 0; f < flips; f++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p[x % n] = (uint8_t)(x >> 8);
		}
		size_t len = round % 7 == 0 ? x % (n + 1) : n;
		struct sim_image img;
		char err[200] = "";
		int rc = sim_image_parse(p, len, &img, err, sizeof err);
		if (rc == 0) {
			ok++;
			/* A parse that succeeds describes only bytes it had. */
			size_t total = 16;
			for (int i = 0; i < img.nseg; i++)
				total += 8 + img.seg[i].len;
			assert_int_equal(total, len);
			sim_image_free(&img);
		} else {
			assert_true(err[0] != 0);
		}
		free(p);
	}
	assert_true(ok > 0);  /* some flips only hit data bytes */
}

static void test_write_read_place(void **state)
{
	(void)state;
	uint8_t b[128];
	size_t n = make_image(b);
	struct sim_image img, back;
	char err[300];
	assert_int_equal(sim_image_parse(b, n, &img, err, sizeof err), 0);
	char path[] = "/tmp/vmlab-test-imageXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sim_image_write(path, &img, err, sizeof err), 0);
	assert_true(sim_image_is_image(path));
	assert_int_equal(sim_image_read(path, &back, err, sizeof err), 0);
	assert_int_equal(back.nseg, 2);
	assert_int_equal(back.entry, 0x200);
	assert_memory_equal(back.seg[1].data, img.seg[1].data, 3);

	/* Placement copies the bytes; a segment beyond storage is refused
	 * before anything is copied. */
	uint8_t storage[8192] = { 0 };
	struct sim_mem mem = { storage, sizeof storage };
	assert_int_equal(sim_image_place(&back, &mem, err, sizeof err), 0);
	assert_int_equal(storage[0x200], 0x10);
	assert_int_equal(storage[0x1002], 0xCC);
	memset(storage, 0, sizeof storage);
	back.seg[1].addr = 8190;
	assert_int_equal(sim_image_place(&back, &mem, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not fit"));
	assert_int_equal(storage[0x200], 0);

	/* A file that is not an image. */
	FILE *f = fopen(path, "w");
	fputs("hello", f);
	fclose(f);
	assert_false(sim_image_is_image(path));
	sim_image_free(&img);
	assert_int_equal(sim_image_read(path, &img, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	remove(path);
	assert_int_equal(sim_image_read(path, &img, err, sizeof err), -1);
	assert_false(sim_image_is_image(path));
	sim_image_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_defects),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_write_read_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
