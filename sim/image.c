/*
 * sim/image.c -- reading, writing and placing VL32 program images.
 *
 * The format is drawn in sim/image.h: a 16-byte header, then segments of
 * (load address, length, bytes).  An image file comes from outside the
 * program (a student's disk, a lesson bundle), so the parser trusts
 * nothing: every length is checked against what is left of the buffer
 * before it is used, and every problem ends in one line of text saying
 * what is wrong and where, never in a read past the end.
 */
#include "image.h"
#include "hostfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_HEADER_SIZE 16
#define IMAGE_SEGHDR_SIZE 8
/* A segment can never be larger than the 32-bit address space; files
 * bigger than this are refused before they are read into memory. */
#define IMAGE_MAX_FILE ((size_t)64 << 20)

static void image_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void image_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void sim_image_free(struct sim_image *img)
{
	if (!img)
		return;
	for (int i = 0; i < img->nseg && i < IMAGE_MAX_SEGMENTS; i++)
		free(img->seg[i].data);
	memset(img, 0, sizeof *img);
}

int sim_image_parse(const uint8_t *buf, size_t len, struct sim_image *img,
		    char *err, size_t errlen)
{
	memset(img, 0, sizeof *img);
	if (len < IMAGE_HEADER_SIZE) {
		image_err(err, errlen, "too short for an image header (%zu bytes, need %d)",
			  len, IMAGE_HEADER_SIZE);
		return -1;
	}
	if (memcmp(buf, IMAGE_MAGIC, 4) != 0) {
		image_err(err, errlen, "not a VL32 image (no \"VL32\" magic)");
		return -1;
	}
	unsigned version = sim_get16(buf + 4);
	unsigned nseg = sim_get16(buf + 6);
	uint32_t entry = sim_get32(buf + 8);
	uint32_t flags = sim_get32(buf + 12);
	if (version != IMAGE_VERSION) {
		image_err(err, errlen, "image version %u, this vmlab reads version %d",
			  version, IMAGE_VERSION);
		return -1;
	}
	if (nseg < 1 || nseg > IMAGE_MAX_SEGMENTS) {
		image_err(err, errlen, "segment count %u out of range 1..%d",
			  nseg, IMAGE_MAX_SEGMENTS);
		return -1;
	}
	if (flags != 0) {
		image_err(err, errlen, "reserved flags X'%08X' are not zero", flags);
		return -1;
	}
	img->entry = entry;

	size_t off = IMAGE_HEADER_SIZE;
	for (unsigned i = 0; i < nseg; i++) {
		/* "len - off" cannot underflow: off <= len is kept below. */
		if (len - off < IMAGE_SEGHDR_SIZE) {
			image_err(err, errlen,
				  "segment %u header truncated at offset %zu", i, off);
			goto fail;
		}
		uint32_t addr = sim_get32(buf + off);
		uint32_t slen = sim_get32(buf + off + 4);
		off += IMAGE_SEGHDR_SIZE;
		if (slen > len - off) {
			image_err(err, errlen,
				  "segment %u (address X'%08X') claims %u bytes, only %zu left",
				  i, addr, slen, len - off);
			goto fail;
		}
		if (slen > 0 && (uint64_t)addr + slen - 1 > UINT32_MAX) {
			image_err(err, errlen,
				  "segment %u (address X'%08X', %u bytes) wraps past 4 GiB",
				  i, addr, slen);
			goto fail;
		}
		uint8_t *data = malloc(slen ? slen : 1);
		if (!data) {
			image_err(err, errlen, "out of memory for segment %u (%u bytes)",
				  i, slen);
			goto fail;
		}
		memcpy(data, buf + off, slen);
		off += slen;
		img->seg[i] = (struct sim_segment){ addr, slen, data };
		img->nseg = (int)i + 1;
	}
	if (off != len) {
		image_err(err, errlen, "%zu bytes of garbage after the last segment",
			  len - off);
		goto fail;
	}
	return 0;
fail:
	sim_image_free(img);
	return -1;
}

/* Read a whole file, refusing anything absurdly large. */
static int image_slurp(const char *path, uint8_t **out, size_t *outlen,
		       char *err, size_t errlen)
{
	char *data;
	int rc = sim_file_read(path, IMAGE_MAX_FILE, &data, outlen, NULL, 0);
	if (rc == -EFBIG)
		image_err(err, errlen, "%s: larger than %zu MiB, not an image", path,
			  IMAGE_MAX_FILE >> 20);
	else if (rc)
		image_err(err, errlen, "%s: %s", path, strerror(-rc));
	*out = (uint8_t *)data;
	return rc ? -1 : 0;
}

int sim_image_read(const char *path, struct sim_image *img, char *err, size_t errlen)
{
	uint8_t *buf;
	size_t len;
	memset(img, 0, sizeof *img);
	if (image_slurp(path, &buf, &len, err, errlen) < 0)
		return -1;
	char why[200];
	int rc = sim_image_parse(buf, len, img, why, sizeof why);
	free(buf);
	if (rc < 0)
		image_err(err, errlen, "%s: %s", path, why);
	return rc;
}

int sim_image_write(const char *path, const struct sim_image *img, char *err, size_t errlen)
{
	if (img->nseg < 1 || img->nseg > IMAGE_MAX_SEGMENTS) {
		image_err(err, errlen, "%s: cannot write an image with %d segments (1..%d)",
			  path, img->nseg, IMAGE_MAX_SEGMENTS);
		return -1;
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		image_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	uint8_t hdr[IMAGE_HEADER_SIZE];
	memcpy(hdr, IMAGE_MAGIC, 4);
	sim_put16(hdr + 4, IMAGE_VERSION);
	sim_put16(hdr + 6, (uint16_t)img->nseg);
	sim_put32(hdr + 8, img->entry);
	sim_put32(hdr + 12, 0);
	int ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr;
	for (int i = 0; ok && i < img->nseg; i++) {
		uint8_t sh[IMAGE_SEGHDR_SIZE];
		sim_put32(sh, img->seg[i].addr);
		sim_put32(sh + 4, img->seg[i].len);
		ok = fwrite(sh, 1, sizeof sh, f) == sizeof sh &&
		     fwrite(img->seg[i].data, 1, img->seg[i].len, f) == img->seg[i].len;
	}
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		image_err(err, errlen, "%s: write failed: %s", path, strerror(errno));
		remove(path);
		return -1;
	}
	return 0;
}

int sim_image_place(const struct sim_image *img, struct sim_mem *mem,
		    char *err, size_t errlen)
{
	/* Check everything first so that a bad image changes nothing. */
	for (int i = 0; i < img->nseg; i++) {
		const struct sim_segment *s = &img->seg[i];
		if (!sim_mem_ok(mem, s->addr, s->len)) {
			image_err(err, errlen,
				  "segment at X'%08X' (%u bytes) does not fit in %u KiB of storage",
				  s->addr, s->len, mem->size >> 10);
			return -1;
		}
	}
	for (int i = 0; i < img->nseg; i++)
		if (img->seg[i].len)
			memcpy(mem->base + img->seg[i].addr, img->seg[i].data,
			       img->seg[i].len);
	return 0;
}

int sim_image_is_image(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char magic[4];
	int yes = fread(magic, 1, 4, f) == 4 && memcmp(magic, IMAGE_MAGIC, 4) == 0;
	fclose(f);
	return yes;
}
