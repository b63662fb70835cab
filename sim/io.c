/*
 * sim/io.c -- the channel subsystem: SIO, TIO, HIO and I/O interruptions.
 *
 * How a request travels:
 *
 *   1. The program stores the address of its first CCW in the CAW (0x048)
 *      and issues SIO on a device address.  sim_io_sio() checks that the
 *      device exists (else CC 3), is idle (else CC 2) and has no status
 *      waiting to be presented (else CC 1 with that CSW).
 *   2. The channel runs the whole channel program at once (chan_run):
 *      fetch a CCW, give its command to the device, move the data through
 *      sim_chan_put/sim_chan_get, then follow command chaining to the next
 *      CCW.  Every CCW and data address is checked against this iosys's
 *      storage; a bad one ends the program with channel program check.
 *   3. SIO returns CC 0, but the device stays busy for as long as the work
 *      would take on the real device (a fixed cost per command plus a cost
 *      per byte, record or block: see sim_devtypes).  No host clock: the same
 *      program always finishes at the same cycle.
 *   4. When simulated time reaches that cycle, sim_io_advance() makes the
 *      ending status (channel end + device end, plus any errors) a pending
 *      I/O interruption, and the machine presents it when the CPU is
 *      enabled (sim_io_take_interrupt).
 *
 * Running the channel program at SIO time, rather than a CCW at a time as
 * the real channel did, keeps the simulator simple and deterministic; the
 * program can only tell the difference by changing its CCWs or data areas
 * while the device is still busy, which S/370 programs were told not to do.
 *
 * Where the brief (sim/io.h) is silent we follow S/370 practice:
 *   - A malformed CAW or first CCW (misaligned, outside storage, TIC, count
 *     0) is found before the device does anything: SIO gives CC 1 and a CSW
 *     with channel program check, and no interruption follows.  Any later
 *     error (including a unit check on the first command) is reported by
 *     the interruption, so a program has one place to look.
 *   - The CSW address is that of the last CCW used (or the one in error)
 *     plus 8, its residual count what was left of that CCW's count.
 *   - During data chaining the channel fetches the next CCW as soon as the
 *     count of the current one is exhausted.  A record that ends exactly at
 *     such a boundary therefore leaves the next CCW current, with its whole
 *     count as the residual, and incorrect length.
 *   - Incorrect length is not indicated when the command ended with unit
 *     check or unit exception (the status already says the data is short),
 *     nor for control commands, which move no data.
 *   - The command-chaining flag of the current CCW (where the data transfer
 *     ended) decides whether the next command runs.
 *   - The sense byte is reset when any command other than SENSE starts, so
 *     it always describes the last unit check.
 *   - HIO of a busy device ends the operation at once: its status becomes
 *     pending now.  (The data already moved at SIO time stays moved.)
 *     HIO of an idle device with status pending stores that CSW (CC 1).
 */
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dev.h"
#include "io.h"

/*
 * The device table.  Timing is in machine cycles: the base cost is paid
 * per command the device executes (a data-chained CCW continues the same
 * command, so it adds only its data), the unit cost per byte (console),
 * per card or line (unit record) or per 512-byte block (disk).  At a nominal
 * 1 MHz, a card reader at 10000 cycles a card reads 100 cards a second,
 * and a console at 20 cycles a byte types about 50000 characters a second:
 * slow enough that overlapping I/O with computation is visible, fast
 * enough that tests do not wait.
 */
const struct sim_devtype sim_devtypes[DEV_CLASS_COUNT] = {
	[DEV_CONSOLE] = { "console", "3215", DEV_CONSOLE, 0, 2000, 20,
			  "line-mode typewriter console: one line per READ or WRITE" },
	[DEV_READER] = { "reader", "2540R", DEV_READER, 80, 500, 10000,
			 "card reader: one 80-column card per READ" },
	[DEV_PUNCH] = { "punch", "2540P", DEV_PUNCH, 80, 500, 10000,
			"card punch: one 80-column card per WRITE" },
	[DEV_PRINTER] = { "printer", "1403", DEV_PRINTER, 132, 500, 8000,
			  "line printer: up to 132 characters per WRITE; X'8B' ejects a page" },
	[DEV_DISK] = { "disk", "FBA", DEV_DISK, DISK_BLOCK_SIZE, 3000, 1500,
		       "fixed-block disk: LOCATE a block, then READ or WRITE 512-byte blocks" },
};

/* Each class's command handler, beside the table it belongs to. */
static sim_dev_cmd_fn *const dev_cmd[DEV_CLASS_COUNT] = {
	[DEV_CONSOLE] = sim_dev_console_cmd,
	[DEV_READER] = sim_dev_reader_cmd,
	[DEV_PUNCH] = sim_dev_punch_cmd,
	[DEV_PRINTER] = sim_dev_printer_cmd,
	[DEV_DISK] = sim_dev_disk_cmd,
};

/* A device type by name ("disk") or model ("FBA"), any case. */
const struct sim_devtype *sim_devtype_find(const char *name)
{
	if (!name)
		return NULL;
	for (int i = 0; i < DEV_CLASS_COUNT; i++)
		if (strcasecmp(name, sim_devtypes[i].name) == 0 ||
		    strcasecmp(name, sim_devtypes[i].model) == 0)
			return &sim_devtypes[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Devices                                                             */

void sim_io_init(struct sim_iosys *io, struct sim_mem *mem)
{
	memset(io, 0, sizeof *io);
	io->mem = mem;
}

void sim_dev_close_backend(struct sim_dev *d)
{
	if (d->rec.close)
		d->rec.close(d->rec.ctx);
	memset(&d->rec, 0, sizeof d->rec);
	if (d->disk.fd >= 0)
		close(d->disk.fd);
	memset(&d->disk, 0, sizeof d->disk);
	d->disk.fd = -1;
}

void sim_io_destroy(struct sim_iosys *io)
{
	for (int i = 0; i < io->ndev; i++)
		sim_dev_close_backend(&io->dev[i]);
	io->ndev = 0;
}

struct sim_dev *sim_io_find(struct sim_iosys *io, uint16_t addr)
{
	for (int i = 0; i < io->ndev; i++)
		if (io->dev[i].addr == addr)
			return &io->dev[i];
	return NULL;
}

/*
 * Devices are kept in attach order; a detach closes the gap, so a struct
 * sim_dev pointer is only good until the next detach: look devices up by
 * address.
 */
struct sim_dev *sim_io_attach(struct sim_iosys *io, uint16_t addr,
			      enum sim_devclass cls, char *err, size_t errlen)
{
	if ((unsigned)cls >= DEV_CLASS_COUNT) {
		snprintf(err, errlen, "device %03X: unknown device class %d",
			 addr, (int)cls);
		return NULL;
	}
	if (sim_io_find(io, addr)) {
		snprintf(err, errlen, "device %03X is already attached", addr);
		return NULL;
	}
	if (io->ndev >= SIM_MAX_DEVS) {
		snprintf(err, errlen,
			 "device %03X: no room, %d devices already attached",
			 addr, SIM_MAX_DEVS);
		return NULL;
	}
	struct sim_dev *d = &io->dev[io->ndev++];
	memset(d, 0, sizeof *d);
	d->addr = addr;
	d->type = &sim_devtypes[cls];
	d->disk.fd = -1;
	return d;
}

int sim_io_detach(struct sim_iosys *io, uint16_t addr)
{
	struct sim_dev *d = sim_io_find(io, addr);
	if (!d)
		return -1;
	sim_dev_close_backend(d);
	int i = (int)(d - io->dev);
	memmove(&io->dev[i], &io->dev[i + 1],
		(size_t)(io->ndev - i - 1) * sizeof *d);
	io->ndev--;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The channel: CCWs and data transfer                                 */

/* Mark the channel program broken at CCW address addr. */
static void chan_program_check(struct sim_chan *ch, uint32_t addr)
{
	ch->chan_status |= CHAN_PROGRAM;
	ch->ccw_addr = addr;
	ch->count = 0;
	ch->done = 0;
}

/*
 * Fetch the CCW at addr into ch, following a TIC.  first: this is the CCW
 * the CAW (or a resumed program) designates, which may not be a TIC.  A
 * TIC may not point at another TIC either: that is the cheapest loop a
 * program can write, and S/370 forbade it.  Returns false (program check
 * recorded in ch) if the CCW cannot be used.  command: the CCW starts a
 * new command (command chaining); under data chaining the command stays
 * that of the CCW that started it, and only the flags, count and data
 * address change.
 */
static bool chan_fetch(struct sim_chan *ch, uint32_t addr, bool first,
		       bool command)
{
	bool after_tic = false;
	for (;;) {
		if (++ch->nfetch > SIM_IO_MAX_CCWS || (addr & 7) ||
		    !sim_mem_ok(ch->mem, addr, 8)) {
			chan_program_check(ch, addr);
			return false;
		}
		const uint8_t *p = ch->mem->base + addr;
		uint8_t cmd = p[0];
		if (cmd == CCW_CMD_TIC) {
			if (first || after_tic) {
				chan_program_check(ch, addr);
				return false;
			}
			after_tic = true;
			addr = sim_get32(p + 4);
			continue;
		}
		uint16_t count = sim_get16(p + 2);
		if (count == 0) {
			chan_program_check(ch, addr);
			return false;
		}
		ch->ccw_addr = addr;
		ch->flags = p[1];
		ch->count = count;
		ch->data = sim_get32(p + 4);
		ch->done = 0;
		ch->area_ok = false;
		if (command)
			ch->cmd = cmd;
		return true;
	}
}

/*
 * Make the current area usable for n more bytes, or report that the
 * transfer cannot continue.  When the count is used up and the CCW chains
 * data, move to the next CCW at once (see the file comment for why).
 * The whole area is checked once, the first time a byte goes through it:
 * a CCW that moves no data (CONTROL) never has its address looked at.
 */
static bool chan_area(struct sim_chan *ch, bool storing)
{
	if (ch->chan_status)
		return false;
	if (ch->done == ch->count)
		return false;
	if (!ch->area_ok) {
		if (storing && (ch->flags & CCW_FLAG_SKIP)) {
			/* Skipping touches no storage, so any address will do. */
		} else if (!sim_mem_ok(ch->mem, ch->data, ch->count)) {
			ch->chan_status |= CHAN_PROGRAM;
			return false;
		}
		ch->area_ok = true;
	}
	return true;
}

/* After moving bytes: if this CCW's count is exhausted and it chains
 * data, fetch the next one now. */
static void chan_next_data(struct sim_chan *ch)
{
	if (ch->done == ch->count && (ch->flags & CCW_FLAG_CD) &&
	    chan_fetch(ch, ch->ccw_addr + 8, false, false))
		ch->dev->stats.ccws++;
}

uint32_t sim_chan_put(struct sim_chan *ch, const uint8_t *buf, uint32_t n)
{
	uint32_t moved = 0;
	while (moved < n && chan_area(ch, true)) {
		uint32_t k = ch->count - ch->done;
		if (k > n - moved)
			k = n - moved;
		if (!(ch->flags & CCW_FLAG_SKIP)) {
			memcpy(ch->mem->base + ch->data + ch->done, buf + moved, k);
			ch->dev->stats.bytes_in += k;
		}
		ch->done += k;
		moved += k;
		chan_next_data(ch);
	}
	return moved;
}

uint32_t sim_chan_get(struct sim_chan *ch, uint8_t *buf, uint32_t n)
{
	uint32_t moved = 0;
	while (moved < n && chan_area(ch, false)) {
		uint32_t k = ch->count - ch->done;
		if (k > n - moved)
			k = n - moved;
		memcpy(buf + moved, ch->mem->base + ch->data + ch->done, k);
		ch->dev->stats.bytes_out += k;
		ch->done += k;
		moved += k;
		chan_next_data(ch);
	}
	return moved;
}

/* SENSE: the sense byte, then zeros for as long as the program asks;
 * reading it resets it. */
static void chan_sense(struct sim_dev *d, struct sim_chan *ch,
		       struct sim_dev_result *r)
{
	static const uint8_t zeros[256];
	uint8_t s = d->sense;
	sim_chan_put(ch, &s, 1);
	while (sim_chan_more(ch))
		sim_chan_put(ch, zeros, sizeof zeros);
	d->sense = 0;
	r->units = 0;
}

enum chan_end {
	CHAN_END_DONE,       /* program ended; status in *csw */
	CHAN_END_INITIAL,    /* rejected before the device did anything */
	CHAN_END_WAIT,       /* parked: console read waiting for a line */
};

/*
 * Run a channel program from the CCW at start.  initial: this is SIO, so
 * an error in the first CCW is reported as CC 1 (CHAN_END_INITIAL).
 * Adds the device time used to *cycles and leaves the ending status in
 * *csw.
 */
static enum chan_end chan_run(struct sim_iosys *io, struct sim_dev *d,
			      uint32_t start, bool initial, uint64_t *cycles,
			      struct sim_csw *csw)
{
	struct sim_chan ch = { .mem = io->mem, .dev = d };
	uint8_t unit = 0;
	uint32_t addr = start;
	bool first = true;

	for (;;) {
		if (!chan_fetch(&ch, addr, first, true)) {
			if (first && initial) {
				*csw = (struct sim_csw){ ch.ccw_addr + 8, 0,
							 ch.chan_status, 0 };
				return CHAN_END_INITIAL;
			}
			break;
		}
		first = false;

		/* SENSE and the no-op CONTROL mean the same on every device,
		 * so the channel does them; the rest is the device's. */
		struct sim_dev_result r = { 0 };
		if (ch.cmd == CCW_CMD_SENSE) {
			chan_sense(d, &ch, &r);
		} else {
			d->sense = 0;   /* a new command: old sense is stale */
			if (ch.cmd == CCW_CMD_CONTROL)
				r.immediate = true;
			else
				dev_cmd[d->type->cls](d, &ch, &r);
		}
		if (r.wait) {
			/* Nothing moved; rerun this CCW when a line comes. */
			d->wait_caw = ch.ccw_addr;
			*csw = (struct sim_csw){ ch.ccw_addr + 8, UNIT_CE | UNIT_DE,
						 0, ch.count };
			return CHAN_END_WAIT;
		}
		d->stats.ccws++;
		*cycles += d->type->base_cycles +
			   (uint64_t)r.units * d->type->cycles_per_unit;
		unit |= r.unit;

		/* Incorrect length: the device had more than the count
		 * allowed, or stopped with room (or data) left over. */
		bool length = !r.immediate && !r.unit && !ch.chan_status &&
			      (r.record_longer || ch.done < ch.count);
		if (length && !(ch.flags & CCW_FLAG_SLI))
			ch.chan_status |= CHAN_LENGTH;
		if (ch.chan_status || (unit & (UNIT_CHECK | UNIT_EXCEPTION)) ||
		    !(ch.flags & CCW_FLAG_CC))
			break;
		addr = ch.ccw_addr + 8;
	}
	*csw = (struct sim_csw){ ch.ccw_addr + 8, UNIT_CE | UNIT_DE | unit,
				 ch.chan_status, (uint16_t)(ch.count - ch.done) };
	if ((unit & UNIT_CHECK) || (ch.chan_status & ~CHAN_LENGTH))
		d->stats.errors++;
	return CHAN_END_DONE;
}

/* ------------------------------------------------------------------ */
/* The I/O instructions                                                */

/* Bring one device up to time now: an operation that has finished by
 * now has its status pending.  A console waiting for input never
 * finishes by itself. */
static void dev_settle(struct sim_dev *d, uint64_t now)
{
	if (d->busy && !d->waiting_input && d->done_at <= now) {
		d->busy = false;
		d->int_pending = true;
	}
}

/* What SIO and TIO look at first, in this order: no such device (cc 3),
 * busy (cc 2), status pending (cc 1: stored into *csw and cleared -- the
 * program must take the old status before starting new work).  -1: the
 * device, in *dp, is free. */
static int dev_test(struct sim_iosys *io, uint16_t addr, uint64_t now,
		    struct sim_csw *csw, struct sim_dev **dp)
{
	struct sim_dev *d = *dp = sim_io_find(io, addr);
	if (!d)
		return 3;
	dev_settle(d, now);
	if (d->busy)
		return 2;
	if (d->int_pending) {
		*csw = d->csw;
		d->int_pending = false;
		return 1;
	}
	return -1;
}

int sim_io_sio(struct sim_iosys *io, uint16_t addr, uint64_t now,
	       struct sim_csw *csw)
{
	struct sim_dev *d;
	int cc = dev_test(io, addr, now, csw, &d);
	if (cc >= 0)
		return cc;

	uint32_t caw = sim_get32(io->mem->base + LC_CAW);
	uint64_t cycles = 0;
	struct sim_csw end;
	switch (chan_run(io, d, caw, true, &cycles, &end)) {
	case CHAN_END_INITIAL:
		d->stats.errors++;
		*csw = end;
		return 1;
	case CHAN_END_WAIT:
		d->waiting_input = true;
		break;
	case CHAN_END_DONE:
		break;
	}
	d->stats.sio++;
	d->busy = true;
	d->done_at = now + cycles;
	d->csw = end;
	return 0;
}

int sim_io_tio(struct sim_iosys *io, uint16_t addr, uint64_t now,
	       struct sim_csw *csw)
{
	struct sim_dev *d;
	int cc = dev_test(io, addr, now, csw, &d);
	return cc < 0 ? 0 : cc;   /* free, and nothing to tell: cc 0 */
}

int sim_io_hio(struct sim_iosys *io, uint16_t addr, uint64_t now,
	       struct sim_csw *csw)
{
	struct sim_dev *d = sim_io_find(io, addr);
	if (!d)
		return 3;
	dev_settle(d, now);
	if (d->busy) {
		/* Halted: the ending status (prepared at SIO, or for a
		 * waiting console read "nothing read") is presented now. */
		d->busy = false;
		d->waiting_input = false;
		d->int_pending = true;
		return 2;
	}
	if (d->int_pending) {
		*csw = d->csw;
		d->int_pending = false;
		return 1;
	}
	return 0;
}

bool sim_io_advance(struct sim_iosys *io, uint64_t now)
{
	bool any = false;
	for (int i = 0; i < io->ndev; i++) {
		dev_settle(&io->dev[i], now);
		any |= io->dev[i].int_pending;
	}
	return any;
}

uint64_t sim_io_next_event(const struct sim_iosys *io)
{
	uint64_t t = UINT64_MAX;
	for (int i = 0; i < io->ndev; i++) {
		const struct sim_dev *d = &io->dev[i];
		if (d->busy && !d->waiting_input && d->done_at < t)
			t = d->done_at;
	}
	return t;
}

bool sim_io_take_interrupt(struct sim_iosys *io, uint16_t *addr,
			   struct sim_csw *csw)
{
	struct sim_dev *best = NULL;
	for (int i = 0; i < io->ndev; i++) {
		struct sim_dev *d = &io->dev[i];
		if (d->int_pending && (!best || d->addr < best->addr))
			best = d;
	}
	if (!best)
		return false;
	best->int_pending = false;
	*addr = best->addr;
	*csw = best->csw;
	return true;
}

/*
 * A line has arrived for a console that was parked in a READ.  The rest
 * of the channel program runs now, starting with that READ; the device
 * time starts when both the line is here and the CCWs before the READ
 * (a prompt, say) had finished.
 */
void sim_io_console_input(struct sim_iosys *io, uint16_t addr, uint64_t now)
{
	struct sim_dev *d = sim_io_find(io, addr);
	if (!d || !d->busy || !d->waiting_input)
		return;
	uint64_t start = d->done_at > now ? d->done_at : now;
	uint64_t cycles = 0;
	struct sim_csw end;
	if (chan_run(io, d, d->wait_caw, false, &cycles, &end) == CHAN_END_WAIT) {
		d->done_at = start + cycles;  /* still no line after all */
		d->csw = end;
		return;
	}
	d->waiting_input = false;
	d->done_at = start + cycles;
	d->csw = end;
}

void sim_csw_store(struct sim_mem *mem, const struct sim_csw *csw)
{
	if (!sim_mem_ok(mem, LC_CSW, 8))
		return;
	uint8_t *p = mem->base + LC_CSW;
	sim_put32(p, csw->ccw_addr);
	p[4] = csw->unit;
	p[5] = csw->channel;
	sim_put16(p + 6, csw->residual);
}
