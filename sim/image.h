/*
 * sim/image.h -- the VL32 program image: what `vmlab asm` writes and the
 * loader reads.
 *
 * File format (all integers big-endian):
 *
 *   offset  size  field
 *   0       4     magic "VL32"
 *   4       2     version, 1
 *   6       2     number of segments (1..256)
 *   8       4     entry address (where the loader points the PSW)
 *   12      4     flags, 0 (reserved)
 *   16      ...   segments, each:  4 load address, 4 length, then the bytes
 *
 * A segment is one contiguous run of assembled bytes; ORG gaps split the
 * program into segments.  The loader places each segment in storage and,
 * on the bare machine, starts the CPU in supervisor state, disabled, DAT
 * off, at the entry address.
 */
#ifndef SIM_IMAGE_H
#define SIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define IMAGE_MAGIC "VL32"
#define IMAGE_VERSION 1
#define IMAGE_MAX_SEGMENTS 256

struct sim_segment {
	uint32_t addr;
	uint32_t len;
	uint8_t *data;
};

struct sim_image {
	uint32_t entry;
	int nseg;
	struct sim_segment seg[IMAGE_MAX_SEGMENTS];
};

void sim_image_free(struct sim_image *img);
/* Read an image file: 0, or -1 with one line in err (path: what is wrong). */
int sim_image_read(const char *path, struct sim_image *img, char *err, size_t errlen);
/* Parse an image from a buffer (used by the reader and by fuzz tests). */
int sim_image_parse(const uint8_t *buf, size_t len, struct sim_image *img,
		    char *err, size_t errlen);
int sim_image_write(const char *path, const struct sim_image *img, char *err, size_t errlen);
/* Copy every segment into storage: 0, or -1 if a segment does not fit. */
int sim_image_place(const struct sim_image *img, struct sim_mem *mem,
		    char *err, size_t errlen);
/* True if path names an image file (starts with the magic). */
int sim_image_is_image(const char *path);

#endif
