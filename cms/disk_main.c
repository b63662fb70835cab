/*
 * cms/disk_main.c -- `vmlab disk`: CMS minidisk images on the host.
 *
 *   vmlab disk create IMAGE BLOCKS        a new image of zero blocks
 *   vmlab disk format IMAGE LABEL         an empty CMS file system on it
 *   vmlab disk list IMAGE                 the label and the files
 *   vmlab disk put IMAGE HOSTFILE "FN FT" [--fixed N]
 *   vmlab disk get IMAGE "FN FT" HOSTFILE
 *   vmlab disk erase IMAGE "FN FT"
 *   vmlab disk sysfiles IMAGE             the system disk's files (help,
 *                                         samples: cms/sysfiles.h)
 *
 * This is how a teacher puts files on a student's 191 before class, and
 * how a student takes work home: the same format the CMS nucleus reads
 * (cms/FORMAT.md), through cms/mdisk.c.  Every change is written to a
 * temporary file and renamed into place, so an image is never left half
 * written.  Each error is one line on stderr, and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cms/mdisk.h"
#include "cms/sysfiles.h"
#include "cp/commands.h"
#include "sim/hostfile.h"
#include "sim/image.h"

/* A program (a `vmlab asm` image) is stored whole, as F records of 512
 * bytes, the last one padded with zeros: CMS's LOAD reads the file and
 * checks the image itself (cms/FORMAT.md, "Program files"). */
#define MODULE_LRECL CMS_BLOCK

static const char usage_text[] =
	"usage: vmlab disk create IMAGE BLOCKS\n"
	"       vmlab disk format IMAGE LABEL\n"
	"       vmlab disk list IMAGE\n"
	"       vmlab disk put IMAGE HOSTFILE \"FN FT\" [--fixed LRECL]\n"
	"       vmlab disk get IMAGE \"FN FT\" HOSTFILE\n"
	"       vmlab disk erase IMAGE \"FN FT\"\n"
	"       vmlab disk sysfiles IMAGE\n"
	"CMS minidisk images (512-byte blocks; format: cms/FORMAT.md).  put stores\n"
	"each line of HOSTFILE as a record: variable length (V), or with --fixed\n"
	"blank-padded to LRECL (F).  A program image (vmlab asm -o prog.img) is\n"
	"stored whole as F 512 records (file type MODULE, for CMS's LOAD and RUN).\n"
	"get writes one line per record, or a program image's bytes.  sysfiles puts\n"
	"the system disk's files on IMAGE (the HELPCMS files, SAMPLE EXEC, PROFILE\n"
	"SAMPLE, HELLO ASSEMBLE and MODULE), replacing older copies: how MAINT's\n"
	"190 (STATE/system.disk) is refreshed after an upgrade of vmlab.\n";

static int bad(const char *msg)
{
	fprintf(stderr, "vmlab disk: %s\n", msg);
	return 1;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 0xFFFFFFFFul || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* The length of the image at the start of buf (its header and segments),
 * or 0 if buf does not hold a whole one: `get` drops a MODULE's padding. */
static size_t image_length(const uint8_t *buf, size_t len)
{
	if (len < 16 || memcmp(buf, IMAGE_MAGIC, 4))
		return 0;
	size_t off = 16;
	for (unsigned i = 0, n = (unsigned)buf[6] << 8 | buf[7]; i < n; i++) {
		if (len - off < 8)
			return 0;
		uint32_t slen = (uint32_t)buf[off + 4] << 24 | (uint32_t)buf[off + 5] << 16 |
				(uint32_t)buf[off + 6] << 8 | buf[off + 7];
		off += 8;
		if (slen > len - off)
			return 0;
		off += slen;
	}
	return off;
}

/* True if text is a whole, valid program image (only then is it stored
 * as one: a text file that happens to start with "VL32" stays text). */
static int is_image(const char *text, size_t len)
{
	struct sim_image img;
	if (len < 4 || memcmp(text, IMAGE_MAGIC, 4) ||
	    sim_image_parse((const uint8_t *)text, len, &img, NULL, 0))
		return 0;
	sim_image_free(&img);
	return 1;
}

/* A program image as a record stream: F, 512-byte records, zero-padded.
 * The image is checked first, so a damaged one never reaches a disk. */
static int image_to_records(const char *path, const char *text, size_t len,
			    uint8_t **stream, uint32_t *bytes, uint32_t *records,
			    char *err, size_t errlen)
{
	struct sim_image img;
	char why[200];
	if (sim_image_parse((const uint8_t *)text, len, &img, why, sizeof why)) {
		snprintf(err, errlen, "%s: not a valid VL32 program image (%s); a MODULE "
			 "file holds a program: vmlab asm prog.s -I cms -o prog.img", path, why);
		return -1;
	}
	sim_image_free(&img);
	size_t padded = (len + MODULE_LRECL - 1) / MODULE_LRECL * MODULE_LRECL;
	*stream = calloc(padded ? padded : 1, 1);
	if (!*stream)
		abort();
	memcpy(*stream, text, len);
	*bytes = (uint32_t)padded;
	*records = (uint32_t)(padded / MODULE_LRECL);
	return 0;
}

static int read_host(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int rc = sim_file_read(path, (size_t)CMS_MAX_BLOCKS * CMS_BLOCK, text, len, err, errlen);
	if (rc == -EFBIG)
		snprintf(err, errlen, "%s: too big for a CMS disk", path);
	return rc ? -1 : 0;
}

/*
 * A running vmlab keeps every image a logged-on user has R/W open, with a
 * shared flock on it (sim/dev_disk.c), and writes blocks into that open
 * file.  A change made here goes to a new file renamed over the old
 * name: that user's CP would never see it, and would go on writing the
 * old, nameless file -- whatever CMS wrote until LOGOFF would be lost
 * without a word.  So put, erase, format and sysfiles take the lock
 * exclusively, and keep it (the descriptor stays open) until they exit.
 * Returns 0 (the image is not in use, or does not exist yet), or -1 with
 * the reason in err.
 */
static int lock_image(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;     /* a new image, or one the command itself reports */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
		snprintf(err, errlen, "%s: in use by a running vmlab (a user logged on with "
			 "it read/write): LOGOFF that user, or leave vmlab, first -- CP "
			 "would not see the change, and would go on writing the old image",
			 path);
		close(fd);
		return -1;
	}
	return 0;             /* fd stays open: the lock lasts until exit */
}

static int cmd_list(struct cms_disk *d)
{
	printf("LABEL  BLOCKS   USED   FREE FILES\n");
	printf("%-6s %6u %6u %6u %5d\n", d->label, d->blocks, d->used, d->blocks - d->used,
	       d->nfiles);
	if (!d->nfiles)
		return 0;
	printf("FILENAME FILETYPE FM FORMAT LRECL    RECS BLOCKS  FIRST\n");
	for (int i = 0; i < d->nslots; i++) {
		const struct cms_file *f = &d->files[i];
		if (f->fn[0])
			printf("%-8s %-8s A1 %c     %5u %7u %6u %6u\n", f->fn, f->ft, f->recfm,
			       f->lrecl, f->records, f->nblocks, f->first);
	}
	return 0;
}

int vmlab_disk_main(int argc, char **argv)
{
	char err[512];
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1];
	int nargs = argc - 2;
	char **a = argv + 2;
	if (!strcmp(verb, "create")) {
		uint32_t blocks;
		if (nargs != 2)
			return bad("create: expected IMAGE BLOCKS");
		if (parse_u32(a[1], &blocks))
			return bad("create: BLOCKS: expected a number of 512-byte blocks");
		if (cms_disk_create(a[0], blocks, err, sizeof err))
			return bad(err);
		return 0;
	}
	if ((!strcmp(verb, "format") || !strcmp(verb, "sysfiles") || !strcmp(verb, "put") ||
	     !strcmp(verb, "erase")) && nargs >= 1 && lock_image(a[0], err, sizeof err))
		return bad(err);
	if (!strcmp(verb, "format")) {
		if (nargs != 2)
			return bad("format: expected IMAGE LABEL");
		if (cms_disk_format(a[0], a[1], err, sizeof err))
			return bad(err);
		return 0;
	}
	if (!strcmp(verb, "sysfiles")) {
		if (nargs != 1)
			return bad("sysfiles: expected IMAGE");
		if (cms_sysdisk_fill(a[0], err, sizeof err))
			return bad(err);
		return 0;
	}
	int want = !strcmp(verb, "list") ? 1 : !strcmp(verb, "erase") ? 2
		 : !strcmp(verb, "get") ? 3 : !strcmp(verb, "put") ? 3 : -1;
	if (want < 0) {
		snprintf(err, sizeof err, "unknown command '%s'; expected create, format, "
			 "list, put, get, erase or sysfiles", verb);
		return bad(err);
	}
	char fixed_arg[32] = "";
	if (!strcmp(verb, "put") && nargs == 5 && !strcmp(a[3], "--fixed")) {
		snprintf(fixed_arg, sizeof fixed_arg, "%s", a[4]);
		nargs = 3;
	}
	if (nargs != want) {
		snprintf(err, sizeof err, "%s: wrong number of arguments (vmlab disk --help)", verb);
		return bad(err);
	}
	struct cms_disk d;
	if (cms_disk_open(&d, a[0], err, sizeof err))
		return bad(err);
	int rc = 0;
	char fn[CMS_NAME_LEN + 1], ft[CMS_NAME_LEN + 1];
	if (!strcmp(verb, "list")) {
		rc = cmd_list(&d);
	} else if (!strcmp(verb, "erase")) {
		if (cms_name_parse(a[1], fn, ft, err, sizeof err))
			rc = bad(err);
		else if (cms_disk_erase(&d, cms_disk_find(&d, fn, ft))) {
			snprintf(err, sizeof err, "%s: file %s %s not found", a[0], fn, ft);
			rc = bad(err);
		} else if (cms_disk_save(&d, a[0], err, sizeof err))
			rc = bad(err);
	} else if (!strcmp(verb, "get")) {
		int slot;
		char *text;
		size_t len;
		if (cms_name_parse(a[1], fn, ft, err, sizeof err))
			rc = bad(err);
		else if ((slot = cms_disk_find(&d, fn, ft)) < 0) {
			snprintf(err, sizeof err, "%s: file %s %s not found", a[0], fn, ft);
			rc = bad(err);
		} else if (d.files[slot].recfm == 'F' && d.files[slot].lrecl == MODULE_LRECL &&
			   image_length(cms_disk_data(&d, slot), d.files[slot].bytes)) {
			/* A program: its bytes, without the padding. */
			len = image_length(cms_disk_data(&d, slot), d.files[slot].bytes);
			text = malloc(len);
			if (!text)
				abort();
			memcpy(text, cms_disk_data(&d, slot), len);
		} else if (cms_records_to_text(&d.files[slot], cms_disk_data(&d, slot), &text,
					       &len, err, sizeof err))
			rc = bad(err);
		if (rc == 0) {
			FILE *f = !strcmp(a[2], "-") ? stdout : fopen(a[2], "wb");
			if (!f) {
				snprintf(err, sizeof err, "%s: cannot create: %s", a[2],
					 strerror(errno));
				rc = bad(err);
			} else {
				int w = fwrite(text, 1, len, f) != len;
				if ((f != stdout ? fclose(f) : fflush(f)) || w) {
					snprintf(err, sizeof err, "%s: write error", a[2]);
					rc = bad(err);
				}
			}
			free(text);
		}
	} else { /* put */
		uint32_t lrecl = 0, bytes, records, maxlen;
		char *text = NULL;
		size_t len;
		uint8_t *stream = NULL;
		char why[400];
		if (fixed_arg[0] && (parse_u32(fixed_arg, &lrecl) || lrecl < 1 ||
				     lrecl > CMS_LRECL_MAX))
			rc = bad("put: --fixed: expected a record length 1 to 65535");
		else if (cms_name_parse(a[2], fn, ft, err, sizeof err))
			rc = bad(err);
		else if (read_host(a[1], &text, &len, err, sizeof err))
			rc = bad(err);
		else if (is_image(text, len) || !strcmp(ft, "MODULE")) {
			/* A program image: binary, whole, F 512 (and for a
			 * MODULE that is not one, the reason why not). */
			if (lrecl) {
				snprintf(err, sizeof err, "put: a program image (or a MODULE) is "
					 "stored as F 512 records; --fixed does not apply");
				rc = bad(err);
			} else if (image_to_records(a[1], text, len, &stream, &bytes, &records,
						    err, sizeof err))
				rc = bad(err);
			else if (cms_disk_put(&d, fn, ft, 'F', MODULE_LRECL, records, stream,
					      bytes, why, sizeof why)) {
				snprintf(err, sizeof err, "%s: %s", a[0], why);
				rc = bad(err);
			} else if (cms_disk_save(&d, a[0], err, sizeof err))
				rc = bad(err);
		} else if (cms_text_to_records(text, len, lrecl ? 'F' : 'V', lrecl, &stream,
					     &bytes, &records, &maxlen, why, sizeof why)) {
			snprintf(err, sizeof err, "%s: %s", a[1], why);
			rc = bad(err);
		} else if (cms_disk_put(&d, fn, ft, lrecl ? 'F' : 'V', maxlen, records, stream,
					bytes, why, sizeof why)) {
			snprintf(err, sizeof err, "%s: %s", a[0], why);
			rc = bad(err);
		} else if (cms_disk_save(&d, a[0], err, sizeof err))
			rc = bad(err);
		free(text);
		free(stream);
	}
	cms_disk_close(&d);
	return rc;
}
