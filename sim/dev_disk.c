/*
 * sim/dev_disk.c -- the fixed-block (FBA) disk and its image files.
 *
 * The disk is an array of 512-byte blocks: an extent of a host image file
 * (block 0 at byte offset first_block * 512).  A program positions with
 * LOCATE and then moves any number of bytes with READ or WRITE:
 *
 *   LOCATE  data: a 4-byte big-endian block number (must be inside the
 *           extent, else unit check / command reject)
 *   READ    count bytes from the located block on; the position advances
 *           by every block touched (a count of 100 still uses one block)
 *   WRITE   the same, storage to disk; a partial last block is written
 *           with zeros after the data
 *
 * Running off the end of the extent stops the transfer there with unit
 * exception: the residual count says how much did not fit.  This is how a
 * minidisk stays inside its extent: CP hands a guest an extent of the
 * shared image, and no block number a guest can write reaches outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev.h"
#include "io.h"

/* Whole-block transfer at block blk of the extent; false on a host
 * error or a short transfer (the file changed under us). */
static bool disk_xfer(struct sim_dev *d, uint32_t blk, uint8_t *buf, bool write)
{
	off_t off = (off_t)(d->disk.offset + (uint64_t)blk * DISK_BLOCK_SIZE);
	size_t done = 0;

	while (done < DISK_BLOCK_SIZE) {
		ssize_t n = write
			? pwrite(d->disk.fd, buf + done, DISK_BLOCK_SIZE - done,
				 off + (off_t)done)
			: pread(d->disk.fd, buf + done, DISK_BLOCK_SIZE - done,
				off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

void sim_dev_disk_cmd(struct sim_dev *d, struct sim_chan *ch,
		      struct sim_dev_result *r)
{
	uint8_t blk[DISK_BLOCK_SIZE];
	uint32_t n;

	if (d->disk.fd < 0 && (ch->cmd == CCW_CMD_LOCATE ||
			       ch->cmd == CCW_CMD_READ ||
			       ch->cmd == CCW_CMD_WRITE)) {
		/* No image mounted: not ready. */
		sim_dev_check(d, r, SENSE_INTERVENTION);
		r->immediate = true;
		return;
	}
	switch (ch->cmd) {
	case CCW_CMD_LOCATE:
		n = sim_chan_get(ch, blk, 4);
		if (ch->chan_status)
			return;
		if (n < 4 || sim_get32(blk) >= d->disk.blocks) {
			sim_dev_check(d, r, SENSE_CMD_REJECT);
			return;
		}
		d->locate = sim_get32(blk);
		return;
	case CCW_CMD_READ:
		while (sim_chan_more(ch)) {
			if (d->locate >= d->disk.blocks) {
				r->unit |= UNIT_EXCEPTION;
				return;
			}
			if (!disk_xfer(d, d->locate, blk, false)) {
				sim_dev_check(d, r, SENSE_DATA_CHECK);
				return;
			}
			d->locate++;
			r->units++;
			sim_chan_put(ch, blk, sizeof blk);
		}
		return;
	case CCW_CMD_WRITE:
		if (d->disk.readonly) {
			sim_dev_check(d, r, SENSE_CMD_REJECT);
			r->immediate = true;
			return;
		}
		while (sim_chan_more(ch)) {
			if (d->locate >= d->disk.blocks) {
				r->unit |= UNIT_EXCEPTION;
				return;
			}
			memset(blk, 0, sizeof blk);
			sim_chan_get(ch, blk, sizeof blk);
			if (ch->chan_status)
				return;     /* never write a half-checked block */
			if (!disk_xfer(d, d->locate, blk, true)) {
				sim_dev_check(d, r, SENSE_EQUIPMENT);
				return;
			}
			d->locate++;
			r->units++;
		}
		return;
	default:
		sim_dev_reject(d, r);
	}
}

/*
 * Open an image for a disk device.  nblocks 0 means "from first_block to
 * the end of the file".  Every refusal is one line naming the file and
 * what is wrong with it, because a person typed that file name.
 */
int sim_disk_open(struct sim_dev *d, const char *path, uint64_t first_block,
		  uint32_t nblocks, bool readonly, char *err, size_t errlen)
{
	struct stat st;

	if (!d->type || d->type->cls != DEV_DISK) {
		snprintf(err, errlen, "disk image %s: device %03X is not a disk",
			 path, d->addr);
		return -1;
	}
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "disk image %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "disk image %s: not a regular file", path);
		close(fd);
		return -1;
	}
	uint64_t size = (uint64_t)st.st_size;
	if (size % DISK_BLOCK_SIZE != 0) {
		snprintf(err, errlen,
			 "disk image %s: size %llu is not a whole number of %u-byte blocks",
			 path, (unsigned long long)size, DISK_BLOCK_SIZE);
		close(fd);
		return -1;
	}
	uint64_t have = size / DISK_BLOCK_SIZE;
	if (nblocks == 0 && first_block < have && have - first_block <= UINT32_MAX)
		nblocks = (uint32_t)(have - first_block);
	if (nblocks == 0) {
		snprintf(err, errlen,
			 "disk image %s: no blocks at or after block %llu (the file has %llu)",
			 path, (unsigned long long)first_block,
			 (unsigned long long)have);
		close(fd);
		return -1;
	}
	if (first_block > have || nblocks > have - first_block) {
		snprintf(err, errlen,
			 "disk image %s: extent of %u blocks at block %llu goes beyond its end (%llu blocks)",
			 path, nblocks, (unsigned long long)first_block,
			 (unsigned long long)have);
		close(fd);
		return -1;
	}
	/* A shared lock while CP may write it: `vmlab disk put` and its kind
	 * take it exclusively and refuse while a user has the image R/W
	 * (cms/disk_main.c says why).  Advisory, and not needed to run: a
	 * file system without flock just goes without the warning. */
	if (!readonly)
		(void)flock(fd, LOCK_SH | LOCK_NB);
	sim_dev_close_backend(d);
	d->disk = (struct sim_disk_backend){
		.fd = fd,
		.offset = first_block * DISK_BLOCK_SIZE,
		.blocks = nblocks,
		.readonly = readonly,
	};
	d->locate = 0;
	return 0;
}
