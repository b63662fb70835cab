/*
 * cms/mdisk.c -- the CMS minidisk format on the host (see cms/FORMAT.md
 * for the layout, cms/mdisk.h for the interface).
 *
 * The rule of this file: nothing read from an image is trusted.  The
 * label is checked against the layout its block count implies, every
 * directory entry against the label, every file's extent against the
 * disk and against every other file, and the allocation bitmap against
 * the bitmap rebuilt from the directory.  A damaged image is an error
 * message naming the first thing that is wrong, never a crash.
 */
#include "cms/mdisk.h"
#include "sim/hostfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* The characters CMS allows in a file name, type or label. */
static bool name_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '$' || c == '#' || c == '@' || c == '+' || c == '-' || c == '_';
}

/* A blank-padded field of n bytes -> a C string; false unless it is
 * 1..n name characters followed only by blanks. */
static bool field_name(const uint8_t *p, unsigned n, char *out)
{
	unsigned len = 0;
	while (len < n && p[len] != ' ')
		len++;
	if (len == 0)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (i < len ? !name_char(p[i]) : p[i] != ' ')
			return false;
	}
	memcpy(out, p, len);
	out[len] = 0;
	return true;
}

static void pad_name(uint8_t *p, const char *s, unsigned n)
{
	memset(p, ' ', n);
	memcpy(p, s, strlen(s));
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

void cms_disk_layout(uint32_t blocks, uint32_t *bm_blocks, uint32_t *dir_blocks)
{
	/* One bit per block; one directory block (8 files) per 64 blocks of
	 * disk, between 1 and CMS_DIR_MAX_BLOCKS. */
	*bm_blocks = (blocks + CMS_BLOCK * 8 - 1) / (CMS_BLOCK * 8);
	uint32_t dir = blocks / 64;
	*dir_blocks = dir < 1 ? 1 : dir > CMS_DIR_MAX_BLOCKS ? CMS_DIR_MAX_BLOCKS : dir;
}

static bool bit_get(const uint8_t *bm, uint32_t b)
{
	return bm[b >> 3] & (0x80u >> (b & 7));
}

static void bit_set(uint8_t *bm, uint32_t b, bool on)
{
	if (on)
		bm[b >> 3] |= (uint8_t)(0x80u >> (b & 7));
	else
		bm[b >> 3] &= (uint8_t)~(0x80u >> (b & 7));
}

/* ------------------------------------------------------------------ */
/* Files on the host                                                   */

/* Read a whole image file (a multiple of the block size, not too big). */
static int read_image(const char *path, uint8_t **image, size_t *len,
		      char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(err, errlen, -errno, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, -EINVAL, "%s: not a regular file", path);
	}
	if (st.st_size % CMS_BLOCK || st.st_size < (off_t)CMS_MIN_BLOCKS * CMS_BLOCK ||
	    st.st_size > (off_t)CMS_MAX_BLOCKS * CMS_BLOCK) {
		close(fd);
		return fail(err, errlen, -EINVAL,
			    "%s: %lld bytes; expected %u to %u blocks of %u bytes", path,
			    (long long)st.st_size, CMS_MIN_BLOCKS, CMS_MAX_BLOCKS, CMS_BLOCK);
	}
	size_t n = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(n);
	if (!buf)
		abort();
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			free(buf);
			return fail(err, errlen, -e, "%s: read error: %s", path, strerror(e));
		}
		got += (size_t)r;
	}
	close(fd);
	*image = buf;
	*len = n;
	return 0;
}

int cms_disk_create(const char *path, uint32_t blocks, char *err, size_t errlen)
{
	if (blocks < CMS_MIN_BLOCKS || blocks > CMS_MAX_BLOCKS)
		return fail(err, errlen, -EINVAL, "%s: %u blocks; expected %u to %u",
			    path, blocks, CMS_MIN_BLOCKS, CMS_MAX_BLOCKS);
	uint8_t *zero = calloc(blocks, CMS_BLOCK);
	if (!zero)
		abort();
	/* A student's disk: once vmlab says done, the name survives a crash
	 * too (SIM_FILE_SYNC_DIR), not only the bytes. */
	int rc = sim_file_write(path, zero, (size_t)blocks * CMS_BLOCK,
				SIM_FILE_CREATE | SIM_FILE_SYNC_DIR, err, errlen);
	free(zero);
	return rc;
}

/* Lay a fresh, empty file system over image (blocks blocks). */
static void format_image(uint8_t *image, uint32_t blocks, const char *label)
{
	uint32_t bm, dir;
	cms_disk_layout(blocks, &bm, &dir);
	uint32_t data = 1 + bm + dir;
	memset(image, 0, (size_t)data * CMS_BLOCK);
	memcpy(image + CMS_LBL_MAGIC, CMS_MAGIC, 8);
	put32(image + CMS_LBL_VERSION, CMS_VERSION);
	pad_name(image + CMS_LBL_LABEL, label, 8);
	put32(image + CMS_LBL_BLOCKS, blocks);
	put32(image + CMS_LBL_BMSTART, 1);
	put32(image + CMS_LBL_BMBLOCKS, bm);
	put32(image + CMS_LBL_DIRSTART, 1 + bm);
	put32(image + CMS_LBL_DIRBLOCKS, dir);
	put32(image + CMS_LBL_DATASTART, data);
	put32(image + CMS_LBL_USED, data);
	put32(image + CMS_LBL_FILES, 0);
	for (uint32_t b = 0; b < data; b++)
		bit_set(image + CMS_BLOCK, b, true);
}

int cms_disk_format(const char *path, const char *label, char *err, size_t errlen)
{
	size_t n = strlen(label);
	char up[CMS_LABEL_LEN + 1];
	if (n < 1 || n > CMS_LABEL_LEN)
		return fail(err, errlen, -EINVAL, "label '%s': expected 1 to %u characters",
			    label, CMS_LABEL_LEN);
	for (size_t i = 0; i <= n; i++) {
		up[i] = (char)(label[i] >= 'a' && label[i] <= 'z' ? label[i] - 32 : label[i]);
		if (i < n && !name_char((unsigned char)up[i]))
			return fail(err, errlen, -EINVAL,
				    "label '%s': expected letters, digits and $#@+-_", label);
	}
	uint8_t *image;
	size_t len;
	int rc = read_image(path, &image, &len, err, errlen);
	if (rc)
		return rc;
	format_image(image, (uint32_t)(len / CMS_BLOCK), up);
	rc = sim_file_write(path, image, len, SIM_FILE_REPLACE | SIM_FILE_SYNC_DIR, err, errlen);
	free(image);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading and checking                                                */

/* Walk a V stream: records of 1..lrecl bytes, each behind its length. */
static int check_v(const uint8_t *s, uint32_t bytes, uint32_t records, uint32_t lrecl)
{
	uint32_t pos = 0, n = 0;
	while (pos < bytes) {
		if (bytes - pos < 2)
			return -1;
		uint32_t l = (uint32_t)s[pos] << 8 | s[pos + 1];
		if (l == 0 || l > lrecl || l > bytes - pos - 2)
			return -1;
		pos += 2 + l;
		n++;
	}
	return n == records ? 0 : -1;
}

void cms_disk_close(struct cms_disk *d)
{
	free(d->image);
	free(d->files);
	memset(d, 0, sizeof *d);
}

#define BAD(...) do { rc = fail(err, errlen, -EINVAL, __VA_ARGS__); goto out; } while (0)

int cms_disk_parse(struct cms_disk *d, const uint8_t *src, size_t len,
		   char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	if (len % CMS_BLOCK || len < CMS_MIN_BLOCKS * CMS_BLOCK ||
	    len > (size_t)CMS_MAX_BLOCKS * CMS_BLOCK)
		return fail(err, errlen, -EINVAL, "%zu bytes; expected %u to %u blocks of %u",
			    len, CMS_MIN_BLOCKS, CMS_MAX_BLOCKS, CMS_BLOCK);
	int rc = 0;
	uint8_t *mine = NULL;
	d->image = malloc(len);
	if (!d->image)
		abort();
	memcpy(d->image, src, len);
	const uint8_t *l = d->image;
	d->blocks = (uint32_t)(len / CMS_BLOCK);
	if (memcmp(l + CMS_LBL_MAGIC, CMS_MAGIC, 8))
		BAD("label block: no '%s' magic: not a CMS disk (vmlab disk format)", CMS_MAGIC);
	if (get32(l + CMS_LBL_VERSION) != CMS_VERSION)
		BAD("label block: version %u; expected %u", get32(l + CMS_LBL_VERSION), CMS_VERSION);
	char lab[9];
	if (!field_name(l + CMS_LBL_LABEL, 8, lab) || strlen(lab) > CMS_LABEL_LEN)
		BAD("label block: bad label field");
	strcpy(d->label, lab);
	if (get32(l + CMS_LBL_BLOCKS) != d->blocks)
		BAD("label block: %u blocks, but the image has %u",
		    get32(l + CMS_LBL_BLOCKS), d->blocks);
	uint32_t bm, dir;
	cms_disk_layout(d->blocks, &bm, &dir);
	d->bm_start = get32(l + CMS_LBL_BMSTART);
	d->bm_blocks = get32(l + CMS_LBL_BMBLOCKS);
	d->dir_start = get32(l + CMS_LBL_DIRSTART);
	d->dir_blocks = get32(l + CMS_LBL_DIRBLOCKS);
	d->data_start = get32(l + CMS_LBL_DATASTART);
	if (d->bm_start != 1 || d->bm_blocks != bm || d->dir_start != 1 + bm ||
	    d->dir_blocks != dir || d->data_start != 1 + bm + dir)
		BAD("label block: layout %u/%u/%u/%u/%u; expected 1/%u/%u/%u/%u for %u blocks",
		    d->bm_start, d->bm_blocks, d->dir_start, d->dir_blocks, d->data_start,
		    bm, 1 + bm, dir, 1 + bm + dir, d->blocks);
	if (!all_zero(l + CMS_LBL_END, CMS_BLOCK - CMS_LBL_END))
		BAD("label block: bytes after offset %u are not zero", CMS_LBL_END);

	/* The directory, and the bitmap it implies. */
	mine = calloc(1, (size_t)bm * CMS_BLOCK);
	if (!mine)
		abort();
	for (uint32_t b = 0; b < d->data_start; b++)
		bit_set(mine, b, true);
	d->nslots = (int)(dir * CMS_DIR_PER_BLOCK);
	d->files = calloc((size_t)d->nslots, sizeof *d->files);
	if (!d->files)
		abort();
	uint32_t used = d->data_start;
	for (int i = 0; i < d->nslots; i++) {
		const uint8_t *e = d->image + (size_t)d->dir_start * CMS_BLOCK +
				   (size_t)i * CMS_DIR_ENTRY;
		struct cms_file *f = &d->files[i];
		if (e[CMS_FST_FN] == 0) {
			if (!all_zero(e, CMS_DIR_ENTRY))
				BAD("directory entry %d: free but not zero", i + 1);
			continue;
		}
		if (!field_name(e + CMS_FST_FN, 8, f->fn) || !field_name(e + CMS_FST_FT, 8, f->ft))
			BAD("directory entry %d: bad file name or type", i + 1);
		f->recfm = (char)e[CMS_FST_RECFM];
		f->lrecl = get32(e + CMS_FST_LRECL);
		f->records = get32(e + CMS_FST_RECORDS);
		f->bytes = get32(e + CMS_FST_BYTES);
		f->first = get32(e + CMS_FST_FIRST);
		f->nblocks = get32(e + CMS_FST_NBLOCKS);
		const char *name = f->fn, *type = f->ft;
		if (f->recfm != 'F' && f->recfm != 'V')
			BAD("file %s %s: record format X'%02X'; expected F or V", name, type,
			    (unsigned)(uint8_t)f->recfm);
		if (e[CMS_FST_FLAGS] || e[CMS_FST_RSVD] || e[CMS_FST_RSVD + 1] ||
		    !all_zero(e + CMS_FST_END, CMS_DIR_ENTRY - CMS_FST_END))
			BAD("file %s %s: reserved fields are not zero", name, type);
		if (f->lrecl < 1 || f->lrecl > CMS_LRECL_MAX)
			BAD("file %s %s: LRECL %u; expected 1 to %u", name, type, f->lrecl,
			    CMS_LRECL_MAX);
		if (f->recfm == 'F' && (uint64_t)f->lrecl * f->records != f->bytes)
			BAD("file %s %s: %u records of %u bytes, but %u bytes", name, type,
			    f->records, f->lrecl, f->bytes);
		if (f->nblocks != (f->bytes + CMS_BLOCK - 1) / CMS_BLOCK ||
		    (uint64_t)f->bytes + CMS_BLOCK - 1 > UINT32_MAX)
			BAD("file %s %s: %u blocks for %u bytes", name, type, f->nblocks, f->bytes);
		if (f->nblocks == 0 ? f->first != 0
				    : f->first < d->data_start || f->first >= d->blocks ||
					      f->nblocks > d->blocks - f->first)
			BAD("file %s %s: blocks %u..+%u outside the data area %u..%u", name,
			    type, f->first, f->nblocks, d->data_start, d->blocks - 1);
		for (uint32_t b = f->first; b < f->first + f->nblocks; b++) {
			if (bit_get(mine, b))
				BAD("file %s %s: block %u is also another file's", name, type, b);
			bit_set(mine, b, true);
		}
		used += f->nblocks;
		if (f->recfm == 'V' &&
		    check_v(d->image + (size_t)f->first * CMS_BLOCK, f->bytes, f->records, f->lrecl))
			BAD("file %s %s: the variable-length records do not add up", name, type);
		for (int j = 0; j < i; j++)
			if (d->files[j].fn[0] && !strcmp(d->files[j].fn, f->fn) &&
			    !strcmp(d->files[j].ft, f->ft))
				BAD("file %s %s: in the directory twice", name, type);
		d->nfiles++;
	}
	if (memcmp(mine, d->image + CMS_BLOCK, (size_t)bm * CMS_BLOCK))
		BAD("allocation bitmap disagrees with the directory");
	d->used = used;
	if (get32(l + CMS_LBL_USED) != used)
		BAD("label block: %u blocks used, but the directory has %u",
		    get32(l + CMS_LBL_USED), used);
	if (get32(l + CMS_LBL_FILES) != (uint32_t)d->nfiles)
		BAD("label block: %u files, but the directory has %d",
		    get32(l + CMS_LBL_FILES), d->nfiles);
out:
	free(mine);
	if (rc)
		cms_disk_close(d);
	return rc;
}

int cms_disk_open(struct cms_disk *d, const char *path, char *err, size_t errlen)
{
	uint8_t *image;
	size_t len;
	memset(d, 0, sizeof *d);
	int rc = read_image(path, &image, &len, err, errlen);
	if (rc)
		return rc;
	char why[200];
	rc = cms_disk_parse(d, image, len, why, sizeof why);
	free(image);
	if (rc)
		fail(err, errlen, rc, "%s: %s", path, why);
	return rc;
}

int cms_disk_save(const struct cms_disk *d, const char *path, char *err, size_t errlen)
{
	return sim_file_write(path, d->image, (size_t)d->blocks * CMS_BLOCK,
			      SIM_FILE_REPLACE | SIM_FILE_SYNC_DIR, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

int cms_name_parse(const char *text, char fn[CMS_NAME_LEN + 1],
		   char ft[CMS_NAME_LEN + 1], char *err, size_t errlen)
{
	char *out[2] = { fn, ft };
	const char *p = text;
	for (int k = 0; k < 2; k++) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t n = 0;
		while (*p && *p != ' ' && *p != '\t') {
			int c = (unsigned char)*p++;
			if (c >= 'a' && c <= 'z')
				c -= 32;
			if (!name_char(c) || n == CMS_NAME_LEN)
				return fail(err, errlen, -EINVAL,
					    "'%s': expected 'FN FT', each 1 to 8 of A-Z 0-9 $#@+-_", text);
			out[k][n++] = (char)c;
		}
		out[k][n] = 0;
		if (n == 0)
			return fail(err, errlen, -EINVAL, "'%s': expected 'FN FT'", text);
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return fail(err, errlen, -EINVAL, "'%s': expected 'FN FT' and nothing more", text);
	return 0;
}

int cms_disk_find(const struct cms_disk *d, const char *fn, const char *ft)
{
	for (int i = 0; i < d->nslots; i++)
		if (d->files[i].fn[0] && !strcmp(d->files[i].fn, fn) && !strcmp(d->files[i].ft, ft))
			return i;
	return -1;
}

const uint8_t *cms_disk_data(const struct cms_disk *d, int slot)
{
	return d->image + (size_t)d->files[slot].first * CMS_BLOCK;
}

static uint8_t *slot_entry(struct cms_disk *d, int slot)
{
	return d->image + (size_t)d->dir_start * CMS_BLOCK + (size_t)slot * CMS_DIR_ENTRY;
}

static void update_label(struct cms_disk *d)
{
	put32(d->image + CMS_LBL_USED, d->used);
	put32(d->image + CMS_LBL_FILES, (uint32_t)d->nfiles);
}

int cms_disk_erase(struct cms_disk *d, int slot)
{
	if (slot < 0 || slot >= d->nslots || !d->files[slot].fn[0])
		return -ENOENT;
	struct cms_file *f = &d->files[slot];
	for (uint32_t b = f->first; b < f->first + f->nblocks; b++)
		bit_set(d->image + CMS_BLOCK, b, false);
	memset(d->image + (size_t)f->first * CMS_BLOCK, 0, (size_t)f->nblocks * CMS_BLOCK);
	d->used -= f->nblocks;
	d->nfiles--;
	memset(slot_entry(d, slot), 0, CMS_DIR_ENTRY);
	memset(f, 0, sizeof *f);
	update_label(d);
	return 0;
}

int cms_disk_put(struct cms_disk *d, const char *fn, const char *ft, char recfm,
		 uint32_t lrecl, uint32_t records, const uint8_t *data,
		 uint32_t bytes, char *err, size_t errlen)
{
	char name[40];
	snprintf(name, sizeof name, "%s %s", fn, ft);
	uint8_t chk[CMS_NAME_LEN];
	char tmp[CMS_NAME_LEN + 1];
	if (strlen(fn) > 8 || strlen(ft) > 8)
		return fail(err, errlen, -EINVAL, "'%s': bad file name or type", name);
	pad_name(chk, fn, 8);
	bool ok = field_name(chk, 8, tmp);
	pad_name(chk, ft, 8);
	if (!ok || !field_name(chk, 8, tmp))
		return fail(err, errlen, -EINVAL, "'%s': bad file name or type", name);
	if ((recfm != 'F' && recfm != 'V') || lrecl < 1 || lrecl > CMS_LRECL_MAX ||
	    (recfm == 'F' && (uint64_t)lrecl * records != bytes) ||
	    (recfm == 'V' && check_v(data, bytes, records, lrecl)))
		return fail(err, errlen, -EINVAL, "%s: inconsistent records", name);
	if ((uint64_t)bytes + CMS_BLOCK - 1 > UINT32_MAX)
		return fail(err, errlen, -EFBIG, "%s: too big", name);
	uint32_t need = (bytes + CMS_BLOCK - 1) / CMS_BLOCK;

	/* Replacing a file frees its blocks first; keep a copy of the disk
	 * so that a failure leaves it as it was. */
	struct cms_disk save = *d;
	size_t isz = (size_t)d->blocks * CMS_BLOCK;
	uint8_t *old_image = malloc(isz);
	struct cms_file *old_files = malloc((size_t)d->nslots * sizeof *d->files);
	if (!old_image || !old_files)
		abort();
	memcpy(old_image, d->image, isz);
	memcpy(old_files, d->files, (size_t)d->nslots * sizeof *d->files);
	int slot = cms_disk_find(d, fn, ft);
	if (slot >= 0)
		cms_disk_erase(d, slot);
	else
		for (slot = 0; slot < d->nslots && d->files[slot].fn[0]; slot++)
			;
	int rc = 0;
	uint32_t first = 0;
	if (slot >= d->nslots) {
		rc = fail(err, errlen, -ENOSPC, "%s: the directory is full (%d files)", name,
			  d->nslots);
		goto out;
	}
	if (need) {
		/* First fit: a file is one contiguous extent (cms/FORMAT.md). */
		uint32_t run = 0;
		for (uint32_t b = d->data_start; b < d->blocks; b++) {
			run = bit_get(d->image + CMS_BLOCK, b) ? 0 : run + 1;
			if (run == need) {
				first = b + 1 - need;
				break;
			}
		}
		if (!first) {
			rc = fail(err, errlen, -ENOSPC,
				  "%s: no %u free blocks in a row on the disk", name, need);
			goto out;
		}
	}
	for (uint32_t b = first; b < first + need; b++)
		bit_set(d->image + CMS_BLOCK, b, true);
	memset(d->image + (size_t)first * CMS_BLOCK, 0, (size_t)need * CMS_BLOCK);
	if (bytes)
		memcpy(d->image + (size_t)first * CMS_BLOCK, data, bytes);
	uint8_t *e = slot_entry(d, slot);
	memset(e, 0, CMS_DIR_ENTRY);
	pad_name(e + CMS_FST_FN, fn, 8);
	pad_name(e + CMS_FST_FT, ft, 8);
	e[CMS_FST_RECFM] = (uint8_t)recfm;
	put32(e + CMS_FST_LRECL, lrecl);
	put32(e + CMS_FST_RECORDS, records);
	put32(e + CMS_FST_BYTES, bytes);
	put32(e + CMS_FST_FIRST, first);
	put32(e + CMS_FST_NBLOCKS, need);
	struct cms_file *f = &d->files[slot];
	snprintf(f->fn, sizeof f->fn, "%s", fn);
	snprintf(f->ft, sizeof f->ft, "%s", ft);
	f->recfm = recfm;
	f->lrecl = lrecl;
	f->records = records;
	f->bytes = bytes;
	f->first = first;
	f->nblocks = need;
	d->used += need;
	d->nfiles++;
	update_label(d);
out:
	if (rc) {
		memcpy(d->image, old_image, isz);
		memcpy(d->files, old_files, (size_t)d->nslots * sizeof *d->files);
		d->used = save.used;
		d->nfiles = save.nfiles;
	}
	free(old_image);
	free(old_files);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Text and records                                                    */

int cms_text_to_records(const char *text, size_t len, char recfm, uint32_t lrecl,
			uint8_t **stream, uint32_t *bytes, uint32_t *records,
			uint32_t *maxlen, char *err, size_t errlen)
{
	if (recfm != 'F' && recfm != 'V')
		return fail(err, errlen, -EINVAL, "record format %c; expected F or V", recfm);
	if (recfm == 'F' && (lrecl < 1 || lrecl > CMS_LRECL_MAX))
		return fail(err, errlen, -EINVAL, "LRECL %u; expected 1 to %u", lrecl,
			    CMS_LRECL_MAX);
	size_t cap = 64, n = 0;
	uint8_t *s = malloc(cap);
	if (!s)
		abort();
	uint32_t nrec = 0, longest = 0;
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		if (l && text[pos + l - 1] == '\r')
			l--;
		size_t rl = recfm == 'F' ? lrecl : (l ? l : 1);
		if (l > (recfm == 'F' ? lrecl : CMS_LRECL_MAX)) {
			free(s);
			return fail(err, errlen, -EINVAL, "line %d: %zu characters; longer than %u",
				    line, l, recfm == 'F' ? lrecl : CMS_LRECL_MAX);
		}
		size_t want = n + rl + 2;
		if (want > (size_t)CMS_MAX_BLOCKS * CMS_BLOCK) {
			free(s);
			return fail(err, errlen, -EFBIG, "line %d: the file is too big for a disk",
				    line);
		}
		/* Grow only when it must: a realloc for every line made a
		 * file of many short lines quadratic wherever realloc copies
		 * (AddressSanitizer's always does: 95,000 empty lines took
		 * minutes). */
		if (cap < want) {
			while (cap < want)
				cap *= 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		if (recfm == 'V') {
			s[n++] = (uint8_t)(rl >> 8);
			s[n++] = (uint8_t)rl;
		}
		memset(s + n, ' ', rl);
		memcpy(s + n, text + pos, l);
		n += rl;
		if (rl > longest)
			longest = (uint32_t)rl;
		nrec++;
		pos = nl ? end + 1 : len;
	}
	*stream = s;
	*bytes = (uint32_t)n;
	*records = nrec;
	*maxlen = recfm == 'F' ? lrecl : (longest ? longest : 1);
	return 0;
}

int cms_records_to_text(const struct cms_file *f, const uint8_t *s,
			char **text, size_t *len, char *err, size_t errlen)
{
	size_t cap = (size_t)f->bytes + f->records + 1, n = 0;
	char *t = malloc(cap);
	if (!t)
		abort();
	uint32_t pos = 0;
	for (uint32_t r = 0; r < f->records; r++) {
		uint32_t l = f->lrecl;
		if (f->recfm == 'V') {
			if (f->bytes - pos < 2)
				goto bad;
			l = (uint32_t)s[pos] << 8 | s[pos + 1];
			pos += 2;
		}
		if (l > f->bytes - pos)
			goto bad;
		memcpy(t + n, s + pos, l);
		n += l;
		t[n++] = '\n';
		pos += l;
	}
	t[n] = 0;
	*text = t;
	*len = n;
	return 0;
bad:
	free(t);
	return fail(err, errlen, -EINVAL, "%s %s: records run past the file's end", f->fn, f->ft);
}
