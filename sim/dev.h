/*
 * sim/dev.h -- between the channel (sim/io.c) and the devices (sim/dev_*.c).
 *
 * Not part of the public interface (that is sim/io.h).  The channel fetches
 * CCWs and hands one command at a time to the device.  The device never
 * sees storage addresses: it moves bytes through the channel with
 * sim_chan_put (device -> storage, a read) and sim_chan_get (storage ->
 * device, a write), and the channel walks the data areas, follows data
 * chaining and checks every address.  That split is the whole point of a
 * channel: the device knows records, the channel knows storage.
 *
 *            CCW chain in storage          struct sim_chan           device
 *   CAW -> | READ  CD  40  A1 |  ---->   current CCW, bytes   <--- put(80 bytes)
 *          | READ      40  A2 |          done in its area
 *
 * Here one card of 80 bytes lands 40 in A1 and 40 in A2: the device made
 * one put() call and never knew the record was split.
 */
#ifndef SIM_DEV_H
#define SIM_DEV_H

#include "io.h"

/*
 * A channel program may fetch at most this many CCWs (TICs and data-
 * chained CCWs included).  A real channel would loop forever on
 * "TIC *-8"; ours runs the whole program when SIO is issued, so an
 * unbounded loop would hang the host.  Past the limit the program ends
 * with a channel program check.
 */
#define SIM_IO_MAX_CCWS 4096

/* The longest console line the channel passes in either direction. */
#define SIM_IO_LINE_MAX 65535

/* The channel's state while one command runs. */
struct sim_chan {
	struct sim_mem *mem;
	struct sim_dev *dev;
	uint32_t ccw_addr;   /* address of the current CCW (not a TIC) */
	uint8_t cmd;         /* command of the CCW that started the command */
	uint8_t flags;       /* flags of the current CCW */
	uint16_t count;      /* count of the current CCW */
	uint32_t data;       /* data address of the current CCW */
	uint32_t done;       /* bytes moved through the current CCW's area */
	bool area_ok;        /* the current area has been checked */
	uint8_t chan_status; /* CHAN_PROGRAM once something was malformed */
	unsigned nfetch;     /* CCWs fetched so far by this channel program */
};

/* Device -> storage.  Returns how many of the n bytes the channel took:
 * fewer when the data areas (data chaining included) are full or one of
 * them was malformed (ch->chan_status is then set). */
uint32_t sim_chan_put(struct sim_chan *ch, const uint8_t *buf, uint32_t n);
/* Storage -> device: up to n bytes into buf; returns how many. */
uint32_t sim_chan_get(struct sim_chan *ch, uint8_t *buf, uint32_t n);

/* Can the transfer go on: room (read) or data (write) left?  After a
 * CCW's count runs out with chain-data set the channel has already moved
 * to the next CCW, so "done < count" is the whole test. */
static inline bool sim_chan_more(const struct sim_chan *ch)
{
	return ch->chan_status == 0 && ch->done < ch->count;
}

/* What a device reports about one command. */
struct sim_dev_result {
	uint8_t unit;        /* UNIT_CHECK and/or UNIT_EXCEPTION */
	bool immediate;      /* moved no data by design (control): never
				incorrect length */
	bool record_longer;  /* the record was longer than the channel
				program allowed (truncated, or a write
				padded): incorrect length */
	bool wait;           /* console read with no line yet: park */
	uint32_t units;      /* bytes, records or blocks: for timing */
};

/* Run one command (never SENSE or CONTROL, which the channel does for
 * every device).  An unknown command must be rejected with
 * sim_dev_reject. */
typedef void sim_dev_cmd_fn(struct sim_dev *d, struct sim_chan *ch,
			    struct sim_dev_result *r);

sim_dev_cmd_fn sim_dev_console_cmd;
sim_dev_cmd_fn sim_dev_reader_cmd;
sim_dev_cmd_fn sim_dev_punch_cmd;
sim_dev_cmd_fn sim_dev_printer_cmd;
sim_dev_cmd_fn sim_dev_disk_cmd;

/* Unit check with the given sense byte. */
static inline void sim_dev_check(struct sim_dev *d, struct sim_dev_result *r,
				 uint8_t sense)
{
	d->sense = sense;
	r->unit |= UNIT_CHECK;
}

/* Command reject: the device does not know this command. */
static inline void sim_dev_reject(struct sim_dev *d, struct sim_dev_result *r)
{
	sim_dev_check(d, r, SENSE_CMD_REJECT);
	r->immediate = true;
}

/* Close whatever backend a device has (record or disk). */
void sim_dev_close_backend(struct sim_dev *d);

#endif
