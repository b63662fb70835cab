/*
 * cms/mdisk.h -- the CMS minidisk format on the host (cms/FORMAT.md).
 *
 * The CMS nucleus (cms/cms.s) reads and writes this format inside the
 * virtual machine through DIAGNOSE X'018'; this module does the same on
 * the host, for `vmlab disk` and the tests.  An image is small (at most
 * CMS_MAX_BLOCKS blocks), so the whole of it is read into memory, every
 * field is checked on the way in, changes are made in memory, and
 * cms_disk_save() writes the new image under a temporary name and
 * renames it into place: a reader sees the old disk or the new one,
 * never half of each.
 *
 * Errors: functions return 0 or a negative errno-style code and write
 * one line (what, where) into the caller's err buffer.
 */
#ifndef CMS_MDISK_H
#define CMS_MDISK_H

#include <stddef.h>
#include <stdint.h>

#define CMS_BLOCK 512u
#define CMS_MAGIC "VMLABCMS"          /* 8 bytes at the start of block 0 */
#define CMS_VERSION 1u
#define CMS_MIN_BLOCKS 8u
#define CMS_MAX_BLOCKS 65536u         /* 32 MiB: plenty for a classroom */
#define CMS_DIR_ENTRY 64u             /* bytes per directory entry (FST) */
#define CMS_DIR_PER_BLOCK (CMS_BLOCK / CMS_DIR_ENTRY)
#define CMS_DIR_MAX_BLOCKS 64u
#define CMS_LRECL_MAX 65535u
#define CMS_NAME_LEN 8u               /* fn and ft: up to 8 characters */
#define CMS_LABEL_LEN 6u              /* a volume label, as on CMS */

/* Offsets in the label block (block 0); every number is big-endian. */
enum {
	CMS_LBL_MAGIC = 0,     /* 8  "VMLABCMS" */
	CMS_LBL_VERSION = 8,   /* 4  1 */
	CMS_LBL_LABEL = 12,    /* 8  label, blank-padded (6 used) */
	CMS_LBL_BLOCKS = 20,   /* 4  blocks on the disk, label included */
	CMS_LBL_BMSTART = 24,  /* 4  first bitmap block (always 1) */
	CMS_LBL_BMBLOCKS = 28, /* 4  bitmap blocks: ceil(blocks / 4096) */
	CMS_LBL_DIRSTART = 32, /* 4  first directory block */
	CMS_LBL_DIRBLOCKS = 36,/* 4  directory blocks */
	CMS_LBL_DATASTART = 40,/* 4  first data block */
	CMS_LBL_USED = 44,     /* 4  blocks allocated (metadata included) */
	CMS_LBL_FILES = 48,    /* 4  files in the directory */
	CMS_LBL_END = 52,      /* the rest of the block is zero */
};

/* Offsets in a 64-byte directory entry (the file status table entry). */
enum {
	CMS_FST_FN = 0,        /* 8  file name, blank-padded; X'00': free */
	CMS_FST_FT = 8,        /* 8  file type, blank-padded */
	CMS_FST_RECFM = 16,    /* 1  'F' or 'V' */
	CMS_FST_FLAGS = 17,    /* 1  0 */
	CMS_FST_RSVD = 18,     /* 2  0 */
	CMS_FST_LRECL = 20,    /* 4  F: record length; V: longest allowed */
	CMS_FST_RECORDS = 24,  /* 4  number of records */
	CMS_FST_BYTES = 28,    /* 4  bytes of record data (the stream) */
	CMS_FST_FIRST = 32,    /* 4  first data block (0 if empty) */
	CMS_FST_NBLOCKS = 36,  /* 4  blocks, contiguous from FIRST */
	CMS_FST_END = 40,      /* the rest of the entry is zero */
};

struct cms_file {
	char fn[CMS_NAME_LEN + 1], ft[CMS_NAME_LEN + 1]; /* no padding */
	char recfm;            /* 'F' or 'V' */
	uint32_t lrecl, records, bytes, first, nblocks;
};

struct cms_disk {
	uint8_t *image;        /* the whole image, blocks * CMS_BLOCK bytes */
	uint32_t blocks;
	char label[CMS_LABEL_LEN + 1];
	uint32_t bm_start, bm_blocks, dir_start, dir_blocks, data_start;
	uint32_t used;         /* allocated blocks */
	int nslots;            /* directory entries: dir_blocks * 8 */
	int nfiles;
	struct cms_file *files; /* nslots entries; fn[0] == 0: free */
};

/* A new image of `blocks` zero blocks; refuses to replace a file. */
int cms_disk_create(const char *path, uint32_t blocks, char *err, size_t errlen);
/* Format the image at path (any content) with the given label. */
int cms_disk_format(const char *path, const char *label, char *err, size_t errlen);
/* The layout a disk of `blocks` blocks gets when formatted. */
void cms_disk_layout(uint32_t blocks, uint32_t *bm_blocks, uint32_t *dir_blocks);

/* Read and check a formatted image (from a file, or from memory). */
int cms_disk_open(struct cms_disk *d, const char *path, char *err, size_t errlen);
int cms_disk_parse(struct cms_disk *d, const uint8_t *image, size_t len,
		   char *err, size_t errlen);
/* Write the image back, atomically (temporary file, rename). */
int cms_disk_save(const struct cms_disk *d, const char *path, char *err, size_t errlen);
void cms_disk_close(struct cms_disk *d);

/* "fn ft" (any case, blanks around) -> upper-case fn and ft.  0 or -EINVAL. */
int cms_name_parse(const char *text, char fn[CMS_NAME_LEN + 1],
		   char ft[CMS_NAME_LEN + 1], char *err, size_t errlen);
/* The directory slot of a file, or -1. */
int cms_disk_find(const struct cms_disk *d, const char *fn, const char *ft);

/* Add (or replace) a file: `data` is its record stream (F: records of
 * lrecl bytes back to back; V: each record a 2-byte big-endian length
 * and its bytes). */
int cms_disk_put(struct cms_disk *d, const char *fn, const char *ft, char recfm,
		 uint32_t lrecl, uint32_t records, const uint8_t *data,
		 uint32_t bytes, char *err, size_t errlen);
/* A pointer to a file's record stream inside the image. */
const uint8_t *cms_disk_data(const struct cms_disk *d, int slot);
int cms_disk_erase(struct cms_disk *d, int slot);

/* Host text <-> record streams.  Lines end at '\n' (a '\r' before it is
 * dropped).  F: each line padded with blanks to lrecl (a longer line is
 * an error); V: each line one record, an empty line a single blank, as
 * CMS stores it.  The stream is malloc'd; the caller frees it. */
int cms_text_to_records(const char *text, size_t len, char recfm, uint32_t lrecl,
			uint8_t **stream, uint32_t *bytes, uint32_t *records,
			uint32_t *maxlen, char *err, size_t errlen);
/* Records -> text: one line per record (F: trailing blanks kept). */
int cms_records_to_text(const struct cms_file *f, const uint8_t *stream,
			char **text, size_t *len, char *err, size_t errlen);

#endif
