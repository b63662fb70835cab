/*
 * cms/sysdisk.c -- the system disk's files (cms/sysfiles.h).
 *
 * Text files are stored as V records, one line each (an empty line as
 * one blank, as CMS stores it), with the longest line as LRECL.  A
 * program is assembled here, from the source with its INCLUDEs inlined
 * at build time, by the same assembler as `vmlab asm`, and stored as
 * `vmlab disk put` stores an image: F 512 records (cms/FORMAT.md,
 * "Program files").  Assembling when the disk is made rather than at
 * build time keeps vmlab one program that needs no files beside it; the
 * result is the same bytes (tests/unit/test_cms_sysdisk.c checks the
 * program assembles, tests/scripts/cms_help.sh compares it with vmlab
 * asm's).
 */
#include "cms/sysfiles.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cms/mdisk.h"
#include "sim/asm.h"
#include "sim/image.h"

const char *cms_help_text(const char *name)
{
	for (const struct cms_sysfile *f = cms_sysfiles; f->fn; f++)
		if (!strcmp(f->ft, "HELPCMS") && !strcasecmp(f->fn, name))
			return f->text;
	return NULL;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* The image file's bytes (sim/image.h's format), padded with zeros to
 * whole 512-byte records.  NULL if out of memory. */
static uint8_t *image_bytes(const struct sim_image *img, uint32_t *len)
{
	size_t n = 16;
	for (int i = 0; i < img->nseg; i++)
		n += 8 + img->seg[i].len;
	size_t padded = (n + CMS_BLOCK - 1) / CMS_BLOCK * CMS_BLOCK;
	uint8_t *b = calloc(1, padded);
	if (!b)
		return NULL;
	memcpy(b, IMAGE_MAGIC, 4);
	b[4] = IMAGE_VERSION >> 8, b[5] = IMAGE_VERSION & 0xFF;
	b[6] = (uint8_t)(img->nseg >> 8), b[7] = (uint8_t)img->nseg;
	put32(b + 8, img->entry);
	size_t off = 16;
	for (int i = 0; i < img->nseg; i++) {
		put32(b + off, img->seg[i].addr);
		put32(b + off + 4, img->seg[i].len);
		memcpy(b + off + 8, img->seg[i].data, img->seg[i].len);
		off += 8 + img->seg[i].len;
	}
	*len = (uint32_t)padded;
	return b;
}

/* fn MODULE from the source of f. */
static int put_module(struct cms_disk *d, const struct cms_sysfile *f, char *err,
		      size_t errlen)
{
	struct sim_image img = { 0 };
	char name[64];
	snprintf(name, sizeof name, "%s", f->source);
	/* The errors go nowhere a user would look: the source is ours and a
	 * unit test assembles it; a failure here is reported by name. */
	FILE *quiet = fopen("/dev/null", "w");
	struct asm_options opt = { .errors = quiet ? quiet : stderr };
	int nerr = asm_string(name, f->asm_text, &opt, &img);
	if (quiet)
		fclose(quiet);
	if (nerr) {
		snprintf(err, errlen, "%s: %d assembler errors (vmlab asm %s -I cms shows them)",
			 f->source, nerr, f->source);
		return -EINVAL;
	}
	uint32_t len;
	uint8_t *b = image_bytes(&img, &len);
	sim_image_free(&img);
	if (!b) {
		snprintf(err, errlen, "%s: out of memory", f->source);
		return -ENOMEM;
	}
	int rc = cms_disk_put(d, f->fn, "MODULE", 'F', CMS_BLOCK, len / CMS_BLOCK, b, len,
			      err, errlen);
	free(b);
	return rc;
}

int cms_sysdisk_fill(const char *path, char *err, size_t errlen)
{
	struct cms_disk d;
	int rc = cms_disk_open(&d, path, err, errlen);
	if (rc)
		return rc;
	for (const struct cms_sysfile *f = cms_sysfiles; f->fn && !rc; f++) {
		uint8_t *stream = NULL;
		uint32_t bytes, records, maxlen;
		rc = cms_text_to_records(f->text, strlen(f->text), 'V', 0, &stream, &bytes,
					 &records, &maxlen, err, errlen);
		if (!rc)
			rc = cms_disk_put(&d, f->fn, f->ft, 'V', maxlen ? maxlen : 1, records,
					  stream, bytes, err, errlen);
		free(stream);
		if (!rc && f->asm_text)
			rc = put_module(&d, f, err, errlen);
	}
	if (!rc)
		rc = cms_disk_save(&d, path, err, errlen);
	cms_disk_close(&d);
	return rc;
}
