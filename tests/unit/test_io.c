/*
 * tests/unit/test_io.c -- the channel subsystem and the devices.
 *
 * Each test builds a small channel program in a 64 KiB storage, issues SIO
 * and checks what a VL32 program would see: the condition code, the CSW
 * (at SIO time or in the interruption), the data in storage or on the
 * device, and when the device becomes free in simulated time.  The
 * malformed programs (bad CAW, CCWs and data areas outside storage, TIC
 * loops) must end as channel program checks, never as a host crash or
 * hang: run this file under ASan to see that.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/dev.h"
#include "sim/io.h"

#define MEMSIZE 0x10000u
#define PROG 0x1000u   /* channel programs go here */
#define BUF 0x2000u    /* data areas here */

/* ------------------------------------------------------------------ */
/* Fixture: storage, an iosys, and a scripted record backend           */

struct fake {
	const char *lines[16];
	int nlines, next;
	bool waiting;         /* read returns -2 ("no line yet") */
	int reads;
	char out[8192];       /* every record written, each followed by '|' */
	size_t outlen;
	int writes;
	int closed;
	bool fail_write;
};

static int fake_read(void *ctx, uint8_t *buf, uint32_t max)
{
	struct fake *f = ctx;
	f->reads++;
	if (f->waiting)
		return -2;
	if (f->next >= f->nlines)
		return -1;
	const char *s = f->lines[f->next++];
	uint32_t n = (uint32_t)strlen(s);
	if (n > max)
		n = max;
	memcpy(buf, s, n);
	return (int)n;
}

static int fake_write(void *ctx, const uint8_t *buf, uint32_t len)
{
	struct fake *f = ctx;
	if (f->fail_write)
		return -1;
	f->writes++;
	memcpy(f->out + f->outlen, buf, len);
	f->outlen += len;
	f->out[f->outlen++] = '|';
	f->out[f->outlen] = 0;
	return (int)len;
}

static void fake_close(void *ctx)
{
	((struct fake *)ctx)->closed++;
}

struct fix {
	struct sim_mem mem;
	struct sim_iosys io;
	struct fake con, rdr, pun, prt;
	char err[256];
};

static struct fix *F;

static void use_fake(struct sim_dev *d, struct fake *f)
{
	d->rec = (struct sim_rec_backend){ f, fake_read, fake_write, fake_close };
}

static int setup(void **state)
{
	(void)state;
	F = calloc(1, sizeof *F);
	F->mem.size = MEMSIZE;
	F->mem.base = calloc(1, MEMSIZE);
	sim_io_init(&F->io, &F->mem);
	use_fake(sim_io_attach(&F->io, 0x009, DEV_CONSOLE, F->err, sizeof F->err), &F->con);
	use_fake(sim_io_attach(&F->io, 0x00C, DEV_READER, F->err, sizeof F->err), &F->rdr);
	use_fake(sim_io_attach(&F->io, 0x00D, DEV_PUNCH, F->err, sizeof F->err), &F->pun);
	use_fake(sim_io_attach(&F->io, 0x00E, DEV_PRINTER, F->err, sizeof F->err), &F->prt);
	*state = F;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sim_io_destroy(&F->io);
	free(F->mem.base);
	free(F);
	return 0;
}

static uint8_t *M(uint32_t a) { return F->mem.base + a; }

static void ccw(uint32_t at, uint8_t cmd, uint8_t flags, uint16_t count, uint32_t data)
{
	M(at)[0] = cmd;
	M(at)[1] = flags;
	sim_put16(M(at) + 2, count);
	sim_put32(M(at) + 4, data);
}

static void set_caw(uint32_t a) { sim_put32(M(LC_CAW), a); }

/* SIO at time 0 with the CAW at PROG; returns the CC. */
static int sio(uint16_t dev, struct sim_csw *csw)
{
	set_caw(PROG);
	return sim_io_sio(&F->io, dev, 0, csw);
}

/* Let the operation finish and take its interruption. */
static struct sim_csw finish(uint16_t dev)
{
	struct sim_csw csw = { 0 };
	uint16_t a = 0;
	sim_io_advance(&F->io, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(a, dev);
	return csw;
}

static struct sim_dev *dev(uint16_t a) { return sim_io_find(&F->io, a); }

/* ------------------------------------------------------------------ */
/* The device table and the device list                                */

static void test_devtypes(void **state)
{
	(void)state;
	assert_string_equal(sim_devtypes[DEV_CONSOLE].model, "3215");
	assert_string_equal(sim_devtypes[DEV_READER].model, "2540R");
	assert_string_equal(sim_devtypes[DEV_PUNCH].model, "2540P");
	assert_string_equal(sim_devtypes[DEV_PRINTER].model, "1403");
	assert_string_equal(sim_devtypes[DEV_DISK].model, "FBA");
	assert_int_equal(sim_devtypes[DEV_READER].record, 80);
	assert_int_equal(sim_devtypes[DEV_PRINTER].record, 132);
	assert_int_equal(sim_devtypes[DEV_DISK].record, DISK_BLOCK_SIZE);
	for (int i = 0; i < DEV_CLASS_COUNT; i++) {
		assert_int_equal(sim_devtypes[i].cls, i);
		assert_true(sim_devtypes[i].base_cycles > 0);
		assert_non_null(sim_devtypes[i].description);
	}
	assert_ptr_equal(sim_devtype_find("disk"), &sim_devtypes[DEV_DISK]);
	assert_ptr_equal(sim_devtype_find("PRINTER"), &sim_devtypes[DEV_PRINTER]);
	assert_ptr_equal(sim_devtype_find("2540r"), &sim_devtypes[DEV_READER]);
	assert_null(sim_devtype_find("tape"));
	assert_null(sim_devtype_find(NULL));
}

static void test_attach_detach(void **state)
{
	(void)state;
	struct sim_csw csw;
	assert_null(sim_io_attach(&F->io, 0x009, DEV_DISK, F->err, sizeof F->err));
	assert_non_null(strstr(F->err, "009"));
	assert_int_equal(sim_io_detach(&F->io, 0x00D), 0);
	assert_int_equal(F->pun.closed, 1);   /* backend closed on detach */
	assert_null(dev(0x00D));
	assert_int_equal(sim_io_detach(&F->io, 0x00D), -1);
	assert_int_equal(sim_io_sio(&F->io, 0x00D, 0, &csw), 3);
	assert_int_equal(sim_io_tio(&F->io, 0x00D, 0, &csw), 3);
	assert_int_equal(sim_io_hio(&F->io, 0x00D, 0, &csw), 3);
	/* The others are still found at their addresses. */
	assert_int_equal(dev(0x00E)->type->cls, DEV_PRINTER);
	assert_int_equal(dev(0x009)->type->cls, DEV_CONSOLE);

	/* Fill the table. */
	int n = F->io.ndev;
	for (int i = n; i < SIM_MAX_DEVS; i++)
		assert_non_null(sim_io_attach(&F->io, (uint16_t)(0x100 + i), DEV_PUNCH,
					      F->err, sizeof F->err));
	assert_null(sim_io_attach(&F->io, 0x300, DEV_PUNCH, F->err, sizeof F->err));
	assert_true(strlen(F->err) > 0);
}

static void test_destroy_closes(void **state)
{
	(void)state;
	sim_io_destroy(&F->io);
	assert_int_equal(F->con.closed, 1);
	assert_int_equal(F->rdr.closed, 1);
	assert_int_equal(F->prt.closed, 1);
	assert_int_equal(F->io.ndev, 0);
}

/* ------------------------------------------------------------------ */
/* SIO, the interruption, timing                                        */

static void test_console_write_and_timing(void **state)
{
	(void)state;
	struct sim_csw csw;
	memcpy(M(BUF), "HELLO", 5);
	ccw(PROG, CCW_CMD_WRITE, 0, 5, BUF);
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 1000, &csw), 0);
	assert_string_equal(F->con.out, "HELLO|");

	/* Busy for 2000 + 20 per byte, then the interruption. */
	uint64_t end = 1000 + 2000 + 5 * 20;
	assert_int_equal(sim_io_next_event(&F->io), end);
	assert_int_equal(sim_io_tio(&F->io, 0x009, end - 1, &csw), 2);
	assert_int_equal(sim_io_sio(&F->io, 0x009, end - 1, &csw), 2);
	assert_false(sim_io_advance(&F->io, end - 1));
	assert_true(sim_io_advance(&F->io, end));
	assert_int_equal(sim_io_next_event(&F->io), UINT64_MAX);

	uint16_t a;
	assert_true(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(a, 0x009);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 0);
	assert_false(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(sim_io_tio(&F->io, 0x009, end, &csw), 0);

	struct sim_dev_stats *st = &dev(0x009)->stats;
	assert_int_equal(st->sio, 1);
	assert_int_equal(st->ccws, 1);
	assert_int_equal(st->bytes_out, 5);
	assert_int_equal(st->errors, 0);
}

static void test_sio_with_pending_status(void **state)
{
	(void)state;
	struct sim_csw csw;
	ccw(PROG, CCW_CMD_WRITE, 0, 2, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	assert_true(sim_io_advance(&F->io, 1000000));
	/* Status pending: SIO stores it (CC 1), clears it, starts nothing. */
	memset(&csw, 0, sizeof csw);
	assert_int_equal(sio(0x009, &csw), 1);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	assert_int_equal(F->con.writes, 1);
	assert_false(sim_io_advance(&F->io, 1000000));
	/* Now it starts. */
	assert_int_equal(sio(0x009, &csw), 0);
	assert_int_equal(F->con.writes, 2);
	/* TIO also stores and clears pending status. */
	sim_io_advance(&F->io, UINT64_MAX - 1);
	assert_int_equal(sim_io_tio(&F->io, 0x009, 0, &csw), 1);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(sim_io_tio(&F->io, 0x009, 0, &csw), 0);
}

static void test_sio_settles_finished_operation(void **state)
{
	(void)state;
	/* No sim_io_advance between: SIO at a later time still sees that
	 * the first operation has ended and its status is pending. */
	struct sim_csw csw;
	ccw(PROG, CCW_CMD_WRITE, 0, 1, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 1000000, &csw), 1);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
}

static void test_interrupt_priority(void **state)
{
	(void)state;
	struct sim_csw csw;
	uint16_t a;
	memcpy(M(BUF), "X", 1);
	ccw(PROG, CCW_CMD_WRITE, 0, 1, BUF);
	assert_int_equal(sio(0x00E, &csw), 0);
	assert_int_equal(sio(0x009, &csw), 0);
	/* The printer (500 + 8000) ends before the console (2000 + 20). */
	assert_int_equal(sim_io_next_event(&F->io), 2020);
	assert_false(sim_io_advance(&F->io, 2019));
	assert_true(sim_io_advance(&F->io, 2020));
	assert_true(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(a, 0x009);
	assert_false(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(sim_io_next_event(&F->io), 8500);

	/* Both pending: the lower address comes first. */
	assert_int_equal(sio(0x009, &csw), 0);
	sim_io_advance(&F->io, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(a, 0x009);
	assert_true(sim_io_take_interrupt(&F->io, &a, &csw));
	assert_int_equal(a, 0x00E);
	assert_false(sim_io_take_interrupt(&F->io, &a, &csw));
}

static void test_csw_store(void **state)
{
	(void)state;
	struct sim_csw csw = { 0x12345678, UNIT_CE | UNIT_DE | UNIT_CHECK,
			       CHAN_LENGTH, 0xBEEF };
	sim_csw_store(&F->mem, &csw);
	static const uint8_t want[8] = { 0x12, 0x34, 0x56, 0x78, 0x0E, 0x40, 0xBE, 0xEF };
	assert_memory_equal(M(LC_CSW), want, 8);
}

static void test_timing_deterministic(void **state)
{
	(void)state;
	/* The same program from the same time ends at the same cycle with
	 * the same status, every time. */
	uint64_t ends[3];
	struct sim_csw csws[3];
	for (int i = 0; i < 3; i++) {
		struct sim_csw csw;
		F->rdr.next = 0;
		F->rdr.lines[0] = "CARD";
		F->rdr.nlines = 1;
		ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC, 80, BUF);
		ccw(PROG + 8, CCW_CMD_CONTROL, 0, 1, 0);
		set_caw(PROG);
		assert_int_equal(sim_io_sio(&F->io, 0x00C, 777, &csw), 0);
		ends[i] = sim_io_next_event(&F->io);
		csws[i] = finish(0x00C);
	}
	/* Two CCWs at 500 each, one card at 10000. */
	assert_int_equal(ends[0], 777 + 500 + 500 + 10000);
	for (int i = 1; i < 3; i++) {
		assert_int_equal(ends[i], ends[0]);
		assert_memory_equal(&csws[i], &csws[0], sizeof csws[0]);
	}
}

/* ------------------------------------------------------------------ */
/* Malformed channel programs                                          */

/* The SIO gives CC 1 with a program-check CSW and nothing else happens. */
static void expect_initial_check(uint32_t caw)
{
	struct sim_csw csw = { 0 };
	int writes = F->con.writes;
	set_caw(caw);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 0, &csw), 1);
	assert_int_equal(csw.channel, CHAN_PROGRAM);
	assert_int_equal(csw.unit, 0);
	assert_int_equal(F->con.writes, writes);
	assert_false(dev(0x009)->busy);
	assert_false(sim_io_advance(&F->io, UINT64_MAX - 1));
}

static void test_bad_caw(void **state)
{
	(void)state;
	ccw(PROG, CCW_CMD_WRITE, 0, 1, BUF);
	expect_initial_check(PROG + 4);           /* misaligned */
	assert_int_equal(dev(0x009)->stats.errors, 1);
	assert_int_equal(dev(0x009)->stats.sio, 0);
	expect_initial_check(MEMSIZE);            /* just past storage */
	expect_initial_check(MEMSIZE - 4);        /* misaligned at the end */
	expect_initial_check(0xFFFFFFF8u);        /* far away: no wrap */
}

static void test_bad_first_ccw(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* TIC as the first CCW. */
	ccw(PROG, CCW_CMD_TIC, 0, 0, PROG + 16);
	ccw(PROG + 16, CCW_CMD_WRITE, 0, 1, BUF);
	expect_initial_check(PROG);
	/* Count zero. */
	ccw(PROG, CCW_CMD_WRITE, 0, 0, BUF);
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 0, &csw), 1);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	assert_int_equal(csw.channel, CHAN_PROGRAM);
}

/* Run a console program expected to end in a channel program check
 * reported by the interruption; returns the CSW. */
static struct sim_csw expect_program_check(void)
{
	struct sim_csw csw;
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel & CHAN_PROGRAM, CHAN_PROGRAM);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	return csw;
}

static void test_ccw_outside_storage(void **state)
{
	(void)state;
	/* Command chaining off the end of storage. */
	uint32_t last = MEMSIZE - 8;
	ccw(last, CCW_CMD_WRITE, CCW_FLAG_CC, 1, BUF);
	set_caw(last);
	struct sim_csw csw;
	assert_int_equal(sim_io_sio(&F->io, 0x009, 0, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, CHAN_PROGRAM);
	assert_int_equal(csw.ccw_addr, MEMSIZE + 8);
	assert_int_equal(F->con.writes, 1);   /* the first CCW did run */

	/* TIC to outside storage, and to a misaligned CCW. */
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 1, BUF);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, 0x7FFFFFF0u);
	csw = expect_program_check();
	assert_int_equal(csw.ccw_addr, 0x7FFFFFF8u);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, BUF + 4);
	expect_program_check();
	assert_int_equal(dev(0x009)->stats.errors, 3);
}

static void test_data_area_outside_storage(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* Write from an area that runs past the end of storage. */
	ccw(PROG, CCW_CMD_WRITE, 0, 0x20, MEMSIZE - 0x10);
	csw = expect_program_check();
	assert_int_equal(F->con.writes, 0);
	/* Read into an area whose address + count wraps around 2^32. */
	F->con.lines[0] = "DATA";
	F->con.nlines = 1;
	ccw(PROG, CCW_CMD_READ, 0, 0x100, 0xFFFFFFF0u);
	csw = expect_program_check();
	assert_int_equal(csw.ccw_addr, PROG + 8);
	/* Disk-style: SENSE into a bad area. */
	ccw(PROG, CCW_CMD_SENSE, 0, 1, MEMSIZE);
	expect_program_check();
	/* The second area of a data chain is the bad one: the first part
	 * went to storage, the program check names the second CCW. */
	F->rdr.lines[0] = "ABCDEFGHIJ";
	F->rdr.nlines = 1;
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CD, 4, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 76, MEMSIZE - 8);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, CHAN_PROGRAM);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_memory_equal(M(BUF), "ABCD", 4);
}

static void test_tic_rules(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* TIC to TIC. */
	ccw(PROG, CCW_CMD_CONTROL, CCW_FLAG_CC, 1, 0);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, PROG + 16);
	ccw(PROG + 16, CCW_CMD_TIC, 0, 0, PROG);
	csw = expect_program_check();
	assert_int_equal(csw.ccw_addr, PROG + 24);

	/* A legal TIC: WRITE, TIC over a gap, WRITE. */
	memcpy(M(BUF), "AB", 2);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 1, BUF);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, PROG + 32);
	ccw(PROG + 32, CCW_CMD_WRITE, 0, 1, BUF + 1);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.ccw_addr, PROG + 40);
	assert_string_equal(F->con.out, "A|B|");
}

static void test_tic_loop_is_bounded(void **state)
{
	(void)state;
	/* CONTROL, TIC back to it, forever: the channel gives up after
	 * SIM_IO_MAX_CCWS fetches with a program check. */
	struct sim_csw csw;
	ccw(PROG, CCW_CMD_CONTROL, CCW_FLAG_CC, 1, 0);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, PROG);
	csw = expect_program_check();
	assert_true(dev(0x009)->stats.ccws <= SIM_IO_MAX_CCWS);
	assert_true(dev(0x009)->stats.ccws >= SIM_IO_MAX_CCWS / 2 - 1);

	/* A data-chain loop too (READ CD, TIC back). */
	F->con.lines[0] = "x";
	F->con.nlines = 1;
	ccw(PROG, CCW_CMD_SENSE, CCW_FLAG_CD, 1, BUF);
	ccw(PROG + 8, CCW_CMD_TIC, 0, 0, PROG);
	expect_program_check();

	/* A long but finite chain is fine. */
	uint32_t n = 100;
	for (uint32_t i = 0; i < n; i++)
		ccw(PROG + 8 * i, CCW_CMD_CONTROL, i + 1 < n ? CCW_FLAG_CC : 0, 1, 0);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.ccw_addr, PROG + 8 * n);
}

/* ------------------------------------------------------------------ */
/* Chaining, length, skip, sense                                       */

static void test_command_chaining(void **state)
{
	(void)state;
	struct sim_csw csw;
	memcpy(M(BUF), "ONETWO", 6);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 3, BUF);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 3, BUF + 3);
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 0, &csw), 0);
	assert_string_equal(F->con.out, "ONE|TWO|");
	/* Two CCWs, six bytes. */
	assert_int_equal(sim_io_next_event(&F->io), 2 * 2000 + 6 * 20);
	csw = finish(0x009);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_int_equal(dev(0x009)->stats.ccws, 2);
}

static void test_data_chaining_write(void **state)
{
	(void)state;
	/* One line gathered from three areas, with a TIC in the chain. */
	struct sim_csw csw;
	memcpy(M(BUF), "HEL", 3);
	memcpy(M(BUF + 0x100), "LO, ", 4);
	memcpy(M(BUF + 0x200), "WORLD", 5);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CD, 3, BUF);
	ccw(PROG + 8, CCW_CMD_READ /* ignored */, CCW_FLAG_CD, 4, BUF + 0x100);
	ccw(PROG + 16, CCW_CMD_TIC, 0, 0, PROG + 64);
	ccw(PROG + 64, CCW_CMD_WRITE, 0, 5, BUF + 0x200);
	assert_int_equal(sio(0x009, &csw), 0);
	assert_string_equal(F->con.out, "HELLO, WORLD|");
	assert_int_equal(dev(0x009)->stats.ccws, 3);     /* TIC not counted */
	/* One command: one base cost, plus 12 bytes. */
	assert_int_equal(sim_io_next_event(&F->io), 2000 + 12 * 20);
	csw = finish(0x009);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.ccw_addr, PROG + 72);
	assert_int_equal(csw.residual, 0);
}

static void test_data_chaining_read(void **state)
{
	(void)state;
	/* One 80-column card split over two areas. */
	struct sim_csw csw;
	char card[81];
	memset(card, 'A', 40);
	memset(card + 40, 'B', 40);
	card[80] = 0;
	F->rdr.lines[0] = card;
	F->rdr.lines[1] = card;
	F->rdr.lines[2] = card;
	F->rdr.nlines = 3;
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CD, 40, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 40, BUF + 0x100);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 0);
	assert_int_equal(M(BUF)[39], 'A');
	assert_int_equal(M(BUF + 0x100)[0], 'B');
	assert_int_equal(M(BUF + 0x100)[39], 'B');

	/* A data-chained CCW with count 0 is a program check. */
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CD, 40, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 0, BUF + 0x100);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, CHAN_PROGRAM);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_int_equal(csw.residual, 0);

	/* The card ends exactly where a CCW that chains data ends: the next
	 * CCW is current, its whole count left: incorrect length. */
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CD, 80, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 10, BUF + 0x100);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_int_equal(csw.residual, 10);
}

static void test_skip(void **state)
{
	(void)state;
	struct sim_csw csw;
	F->rdr.lines[0] = "SKIPPED";
	F->rdr.lines[1] = "KEPT";
	F->rdr.nlines = 2;
	memset(M(BUF), 0xEE, 80);
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_SKIP | CCW_FLAG_CC, 80, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 80, BUF + 0x100);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(M(BUF)[0], 0xEE);            /* nothing stored */
	assert_memory_equal(M(BUF + 0x100), "KEPT    ", 8);
	assert_int_equal(dev(0x00C)->stats.bytes_in, 80);

	/* Skip part of a card: data chaining with SKIP on the first area
	 * only stores columns 11-20. */
	F->rdr.next = 0;
	memset(M(BUF), 0xEE, 32);
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CD | CCW_FLAG_SKIP, 10, BUF);
	ccw(PROG + 8, CCW_CMD_READ, CCW_FLAG_CD, 10, BUF + 10);
	ccw(PROG + 16, CCW_CMD_READ, CCW_FLAG_SKIP, 60, 0);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(M(BUF)[9], 0xEE);
	assert_memory_equal(M(BUF + 10), "          ", 10);
	assert_int_equal(M(BUF)[20], 0xEE);

	/* Skipping never touches storage, so the address is not checked. */
	F->rdr.next = 0;
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_SKIP, 80, 0xFFFFFF00u);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, 0);
}

static void test_console_read_lengths(void **state)
{
	(void)state;
	struct sim_csw csw;
	F->con.lines[0] = "SHORT";
	F->con.lines[1] = "SHORT";
	F->con.lines[2] = "A LINE LONGER THAN TEN";
	F->con.lines[3] = "EXACT";
	F->con.nlines = 4;

	/* Shorter line: residual, incorrect length, chaining stops. */
	memset(M(BUF), '.', 16);
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC, 10, BUF);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 5, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.residual, 5);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	assert_memory_equal(M(BUF), "SHORT.....", 10);
	assert_int_equal(F->con.writes, 0);

	/* The same with SLI: no indication, and chaining goes on. */
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC | CCW_FLAG_SLI, 10, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_string_equal(F->con.out, "SHORT|");

	/* Longer line: truncated to the count, incorrect length. */
	ccw(PROG, CCW_CMD_READ, 0, 10, BUF + 0x100);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.residual, 0);
	assert_memory_equal(M(BUF + 0x100), "A LINE LON", 10);
	assert_int_equal(M(BUF + 0x100)[10], 0);

	/* Exactly the count: clean. */
	ccw(PROG, CCW_CMD_READ, 0, 5, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.channel, 0);

	/* End of file: unit exception, no incorrect length. */
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 5);
}

static void test_sense_and_reject(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* An unknown command: unit check, and the chain stops. */
	ccw(PROG, 0x77, CCW_FLAG_CC, 1, BUF);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 1, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	assert_int_equal(F->con.writes, 0);
	assert_int_equal(dev(0x009)->stats.errors, 1);

	/* SENSE with count 4: the sense byte, then zeros; then reset. */
	memset(M(BUF), 0xFF, 8);
	ccw(PROG, CCW_CMD_SENSE, CCW_FLAG_CC, 4, BUF);
	ccw(PROG + 8, CCW_CMD_SENSE, 0, 1, BUF + 4);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(csw.channel, 0);
	static const uint8_t want[6] = { SENSE_CMD_REJECT, 0, 0, 0, 0, 0xFF };
	assert_memory_equal(M(BUF), want, 6);

	/* Commands each device refuses. */
	static const struct { uint16_t dev; uint8_t cmd; } refuse[] = {
		{ 0x00C, CCW_CMD_WRITE }, { 0x00D, CCW_CMD_READ },
		{ 0x00E, CCW_CMD_READ }, { 0x009, CCW_CMD_EJECT },
		{ 0x009, CCW_CMD_LOCATE },
	};
	for (size_t i = 0; i < sizeof refuse / sizeof refuse[0]; i++) {
		ccw(PROG, refuse[i].cmd, 0, 80, BUF);
		assert_int_equal(sio(refuse[i].dev, &csw), 0);
		csw = finish(refuse[i].dev);
		assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
		assert_int_equal(csw.channel, 0);
		assert_int_equal(dev(refuse[i].dev)->sense, SENSE_CMD_REJECT);
	}

	/* Any other command resets stale sense. */
	ccw(PROG, CCW_CMD_CONTROL, 0, 1, 0);
	assert_int_equal(sio(0x00C, &csw), 0);
	finish(0x00C);
	assert_int_equal(dev(0x00C)->sense, 0);
}

static void test_control_noop(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* No data moves, the address is never checked, no incorrect length. */
	ccw(PROG, CCW_CMD_CONTROL, 0, 7, 0xFFFFFFF0u);
	assert_int_equal(sio(0x00E, &csw), 0);
	assert_int_equal(sim_io_next_event(&F->io), 500);
	csw = finish(0x00E);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 7);
	assert_int_equal(F->prt.writes, 0);
}

/* ------------------------------------------------------------------ */
/* Unit-record devices                                                  */

static void test_reader(void **state)
{
	(void)state;
	struct sim_csw csw;
	char longline[101];
	memset(longline, 'L', 100);
	longline[100] = 0;
	F->rdr.lines[0] = "HI";
	F->rdr.lines[1] = longline;
	F->rdr.nlines = 2;
	memset(M(BUF), 0, 0x200);
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC, 80, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 80, BUF + 0x100);
	assert_int_equal(sio(0x00C, &csw), 0);
	assert_int_equal(sim_io_next_event(&F->io), 2 * 500 + 2 * 10000);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, 0);
	assert_memory_equal(M(BUF), "HI  ", 4);
	assert_int_equal(M(BUF)[79], ' ');
	assert_int_equal(M(BUF)[80], 0);
	assert_int_equal(M(BUF + 0x100)[79], 'L');
	assert_int_equal(M(BUF + 0x100)[80], 0);

	/* Asking for fewer columns than a card: truncated, incorrect length. */
	F->rdr.next = 0;
	ccw(PROG, CCW_CMD_READ, 0, 10, BUF);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.channel, CHAN_LENGTH);

	/* Hopper empty: unit exception, nothing stored. */
	F->rdr.next = 2;
	memset(M(BUF), 0, 0x100);
	ccw(PROG, CCW_CMD_READ, 0, 80, BUF);
	assert_int_equal(sio(0x00C, &csw), 0);
	csw = finish(0x00C);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 80);
	assert_int_equal(M(BUF)[0], 0);
}

static void test_punch(void **state)
{
	(void)state;
	struct sim_csw csw;
	memset(M(BUF), ' ', 80);
	memcpy(M(BUF), "PUNCHED", 7);
	ccw(PROG, CCW_CMD_WRITE, 0, 80, BUF);
	assert_int_equal(sio(0x00D, &csw), 0);
	csw = finish(0x00D);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(F->pun.outlen, 81);   /* 80 columns + separator */
	assert_memory_equal(F->pun.out, "PUNCHED ", 8);

	/* Short count: the card is padded, incorrect length. */
	ccw(PROG, CCW_CMD_WRITE, 0, 3, BUF);
	assert_int_equal(sio(0x00D, &csw), 0);
	csw = finish(0x00D);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(F->pun.writes, 2);
	assert_int_equal(F->pun.outlen, 162);

	/* Long count: 80 columns punched, the rest left over. */
	ccw(PROG, CCW_CMD_WRITE, 0, 100, BUF);
	assert_int_equal(sio(0x00D, &csw), 0);
	csw = finish(0x00D);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.residual, 20);

	/* A backend that fails: intervention required. */
	F->pun.fail_write = true;
	ccw(PROG, CCW_CMD_WRITE, 0, 80, BUF);
	assert_int_equal(sio(0x00D, &csw), 0);
	csw = finish(0x00D);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(dev(0x00D)->sense, SENSE_INTERVENTION);
}

static void test_printer(void **state)
{
	(void)state;
	struct sim_csw csw;
	memset(M(BUF), 'P', 200);
	ccw(PROG, CCW_CMD_EJECT, CCW_FLAG_CC, 1, 0);
	ccw(PROG + 8, CCW_CMD_WRITE, CCW_FLAG_CC, 5, BUF);
	ccw(PROG + 16, CCW_CMD_WRITE, 0, 140, BUF);
	assert_int_equal(sio(0x00E, &csw), 0);
	csw = finish(0x00E);
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.residual, 8);
	assert_int_equal(F->prt.writes, 3);
	assert_memory_equal(F->prt.out, "\f|PPPPP|", 8);
	assert_int_equal(F->prt.outlen, 8 + 133);
}

static void test_no_backend(void **state)
{
	(void)state;
	struct sim_csw csw;
	struct sim_dev *d = sim_io_attach(&F->io, 0x01F, DEV_CONSOLE, F->err,
					  sizeof F->err);
	ccw(PROG, CCW_CMD_WRITE, 0, 1, BUF);
	assert_int_equal(sio(0x01F, &csw), 0);
	csw = finish(0x01F);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(d->sense, SENSE_INTERVENTION);
}

/* ------------------------------------------------------------------ */
/* Console waiting for input                                           */

static void test_console_wait_and_resume(void **state)
{
	(void)state;
	struct sim_csw csw;
	memcpy(M(BUF), "NAME?", 5);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 5, BUF);
	ccw(PROG + 8, CCW_CMD_READ, CCW_FLAG_SLI, 20, BUF + 0x100);
	F->con.waiting = true;
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 100, &csw), 0);
	assert_string_equal(F->con.out, "NAME?|");
	struct sim_dev *d = dev(0x009);
	assert_true(d->busy);
	assert_true(d->waiting_input);
	assert_int_equal(d->wait_caw, PROG + 8);

	/* It never completes on its own. */
	assert_int_equal(sim_io_next_event(&F->io), UINT64_MAX);
	assert_false(sim_io_advance(&F->io, UINT64_MAX - 1));
	assert_int_equal(sim_io_sio(&F->io, 0x009, 5000, &csw), 2);
	assert_int_equal(sim_io_tio(&F->io, 0x009, 5000, &csw), 2);

	/* Input for another device, or a call while not waiting: nothing. */
	sim_io_console_input(&F->io, 0x00C, 5000);
	assert_true(d->waiting_input);

	/* Still no line: stays parked. */
	sim_io_console_input(&F->io, 0x009, 6000);
	assert_true(d->waiting_input);

	/* The line arrives at 50000: the READ runs then, and the prompt is
	 * not typed again. */
	F->con.waiting = false;
	F->con.lines[0] = "ALICE";
	F->con.nlines = 1;
	sim_io_console_input(&F->io, 0x009, 50000);
	assert_false(d->waiting_input);
	assert_true(d->busy);
	assert_memory_equal(M(BUF + 0x100), "ALICE", 5);
	assert_string_equal(F->con.out, "NAME?|");
	assert_int_equal(sim_io_next_event(&F->io), 50000 + 2000 + 5 * 20);
	csw = finish(0x009);
	assert_int_equal(csw.ccw_addr, PROG + 16);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 15);
	assert_int_equal(d->stats.sio, 1);
	assert_int_equal(d->stats.ccws, 2);

	/* A line that comes "before" the prompt could have been typed
	 * waits for it: the READ starts when the WRITE would end. */
	F->con.waiting = true;
	F->con.next = 0;
	set_caw(PROG);
	assert_int_equal(sim_io_sio(&F->io, 0x009, 0, &csw), 0);
	F->con.waiting = false;
	sim_io_console_input(&F->io, 0x009, 10);
	assert_int_equal(sim_io_next_event(&F->io),
			 (2000 + 5 * 20) + (2000 + 5 * 20));
}

static void test_hio(void **state)
{
	(void)state;
	struct sim_csw csw;
	/* Idle: CC 0. */
	assert_int_equal(sim_io_hio(&F->io, 0x009, 0, &csw), 0);

	/* Busy: CC 2, and the status is pending at once. */
	ccw(PROG, CCW_CMD_WRITE, 0, 1, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	assert_int_equal(sim_io_hio(&F->io, 0x009, 1, &csw), 2);
	assert_true(sim_io_advance(&F->io, 1));
	/* Status pending: HIO stores it (CC 1) and clears it. */
	assert_int_equal(sim_io_hio(&F->io, 0x009, 1, &csw), 1);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_false(sim_io_advance(&F->io, 1));

	/* A console parked in a READ: halted, nothing read. */
	F->con.waiting = true;
	ccw(PROG, CCW_CMD_READ, 0, 20, BUF);
	assert_int_equal(sio(0x009, &csw), 0);
	assert_int_equal(sim_io_hio(&F->io, 0x009, 7, &csw), 2);
	assert_false(dev(0x009)->waiting_input);
	csw = finish(0x009);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(csw.residual, 20);
	assert_int_equal(csw.ccw_addr, PROG + 8);
	/* Input after the halt changes nothing. */
	F->con.waiting = false;
	F->con.lines[0] = "LATE";
	F->con.nlines = 1;
	sim_io_console_input(&F->io, 0x009, 10);
	assert_false(dev(0x009)->busy);
	assert_int_equal(F->con.next, 0);
}

/* ------------------------------------------------------------------ */
/* Disk                                                                */

static char img[64];

/* A disk image of nblocks whose block b is filled with byte 'a'+b. */
static void make_image(uint32_t nblocks, uint32_t extra)
{
	snprintf(img, sizeof img, "/tmp/test_io_%d.img", (int)getpid());
	FILE *f = fopen(img, "wb");
	assert_non_null(f);
	uint8_t blk[DISK_BLOCK_SIZE];
	for (uint32_t b = 0; b < nblocks; b++) {
		memset(blk, 'a' + (int)b, sizeof blk);
		assert_int_equal(fwrite(blk, 1, sizeof blk, f), sizeof blk);
	}
	for (uint32_t i = 0; i < extra; i++)
		fputc('x', f);
	fclose(f);
}

static uint8_t file_byte(uint64_t off)
{
	FILE *f = fopen(img, "rb");
	fseek(f, (long)off, SEEK_SET);
	int c = fgetc(f);
	fclose(f);
	return (uint8_t)c;
}

static struct sim_dev *disk(uint64_t first, uint32_t n, bool ro)
{
	struct sim_dev *d = sim_io_find(&F->io, 0x190);
	if (!d)
		d = sim_io_attach(&F->io, 0x190, DEV_DISK, F->err, sizeof F->err);
	assert_non_null(d);
	assert_int_equal(sim_disk_open(d, img, first, n, ro, F->err, sizeof F->err), 0);
	return d;
}

static void locate(uint32_t at, uint32_t blk, uint8_t flags)
{
	sim_put32(M(BUF + 0x800), blk);
	ccw(at, CCW_CMD_LOCATE, flags, 4, BUF + 0x800);
}

static struct sim_csw disk_run(void)
{
	struct sim_csw csw;
	assert_int_equal(sio(0x190, &csw), 0);
	return finish(0x190);
}

static void test_disk_read(void **state)
{
	(void)state;
	make_image(8, 0);
	struct sim_dev *d = disk(0, 0, true);
	assert_int_equal(d->disk.blocks, 8);

	/* LOCATE 3, READ 512. */
	locate(PROG, 3, CCW_FLAG_CC);
	ccw(PROG + 8, CCW_CMD_READ, 0, 512, BUF);
	set_caw(PROG);
	struct sim_csw csw;
	assert_int_equal(sim_io_sio(&F->io, 0x190, 0, &csw), 0);
	/* Two CCWs, one block. */
	assert_int_equal(sim_io_next_event(&F->io), 2 * 3000 + 1500);
	csw = finish(0x190);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(M(BUF)[0], 'd');
	assert_int_equal(M(BUF)[511], 'd');
	assert_int_equal(d->locate, 4);

	/* A count spanning blocks; a partial block still advances one. */
	ccw(PROG, CCW_CMD_READ, 0, 1024 + 100, BUF);
	csw = disk_run();
	assert_int_equal(csw.channel, 0);
	assert_int_equal(M(BUF)[0], 'e');
	assert_int_equal(M(BUF)[512], 'f');
	assert_int_equal(M(BUF)[1024 + 99], 'g');
	assert_int_equal(d->locate, 7);
	assert_int_equal(d->stats.bytes_in, 512 + 1124);

	/* Running off the end: unit exception, residual what did not fit. */
	ccw(PROG, CCW_CMD_READ, 0, 1024, BUF);
	csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 512);
	assert_int_equal(M(BUF)[0], 'h');

	/* Data chaining across a block boundary. */
	locate(PROG, 1, CCW_FLAG_CC);
	ccw(PROG + 8, CCW_CMD_READ, CCW_FLAG_CD, 500, BUF);
	ccw(PROG + 16, CCW_CMD_READ, 0, 24, BUF + 0x400);
	csw = disk_run();
	assert_int_equal(csw.channel, 0);
	assert_int_equal(M(BUF + 499)[0], 'b');
	assert_int_equal(M(BUF + 0x400)[11], 'b');
	assert_int_equal(M(BUF + 0x400)[12], 'c');
	assert_int_equal(d->locate, 3);
}

static void test_disk_locate_rules(void **state)
{
	(void)state;
	make_image(8, 0);
	struct sim_dev *d = disk(0, 0, false);
	struct sim_csw csw;

	/* Beyond the extent. */
	locate(PROG, 8, 0);
	csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(d->sense, SENSE_CMD_REJECT);
	locate(PROG, 0xFFFFFFFFu, 0);
	csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);

	/* Too short a block number. */
	ccw(PROG, CCW_CMD_LOCATE, 0, 2, BUF);
	csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);

	/* Longer than 4: incorrect length unless SLI. */
	locate(PROG, 7, 0);
	M(PROG + 3)[0] = 8;
	csw = disk_run();
	assert_int_equal(csw.channel, CHAN_LENGTH);
	assert_int_equal(csw.residual, 4);
	assert_int_equal(d->locate, 7);
	locate(PROG, 6, CCW_FLAG_SLI);
	M(PROG + 3)[0] = 8;
	csw = disk_run();
	assert_int_equal(csw.channel, 0);
	assert_int_equal(d->locate, 6);
}

static void test_disk_write(void **state)
{
	(void)state;
	make_image(8, 0);
	struct sim_dev *d = disk(2, 4, false);  /* file blocks 2..5 */
	struct sim_csw csw;

	/* Block 0 of the extent is block 2 of the file. */
	ccw(PROG, CCW_CMD_READ, 0, 512, BUF);
	csw = disk_run();
	assert_int_equal(M(BUF)[0], 'c');

	/* A partial block on write is zero-filled. */
	memset(M(BUF), 'W', 600);
	locate(PROG, 1, CCW_FLAG_CC);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 600, BUF);
	csw = disk_run();
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(file_byte(3 * 512), 'W');
	assert_int_equal(file_byte(4 * 512 + 87), 'W');
	assert_int_equal(file_byte(4 * 512 + 88), 0);
	assert_int_equal(file_byte(4 * 512 + 511), 0);
	assert_int_equal(file_byte(5 * 512), 'f');
	assert_int_equal(d->stats.bytes_out, 4 + 600);

	/* The extent ends at file block 5: block 6 is never touched. */
	locate(PROG, 3, CCW_FLAG_CC);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 1024, BUF);
	csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);
	assert_int_equal(csw.residual, 512);
	assert_int_equal(file_byte(5 * 512), 'W');
	assert_int_equal(file_byte(6 * 512), 'g');

	/* Write and read back through the channel. */
	memcpy(M(BUF), "ROUNDTRIP", 9);
	locate(PROG, 0, CCW_FLAG_CC);
	ccw(PROG + 8, CCW_CMD_WRITE, CCW_FLAG_CC, 9, BUF);
	locate(PROG + 16, 0, CCW_FLAG_CC);
	ccw(PROG + 24, CCW_CMD_READ, 0, 512, BUF + 0x400);
	csw = disk_run();
	assert_int_equal(csw.channel, 0);
	assert_memory_equal(M(BUF + 0x400), "ROUNDTRIP\0\0", 11);
}

static void test_disk_readonly(void **state)
{
	(void)state;
	make_image(4, 0);
	struct sim_dev *d = disk(0, 0, true);
	memset(M(BUF), 'W', 512);
	ccw(PROG, CCW_CMD_WRITE, 0, 512, BUF);
	struct sim_csw csw = disk_run();
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(csw.channel, 0);
	assert_int_equal(csw.residual, 512);
	assert_int_equal(d->sense, SENSE_CMD_REJECT);
	assert_int_equal(file_byte(0), 'a');
	assert_int_equal(d->locate, 0);
}

static void test_disk_open_errors(void **state)
{
	(void)state;
	struct sim_dev *d = sim_io_attach(&F->io, 0x191, DEV_DISK, F->err,
					  sizeof F->err);
	char want[128];

	assert_int_equal(sim_disk_open(d, "/tmp/no/such/test_io.img", 0, 0, true,
				       F->err, sizeof F->err), -1);
	assert_non_null(strstr(F->err, "disk image /tmp/no/such/test_io.img: "));
	assert_null(strchr(F->err, '\n'));

	make_image(4, 100);  /* 4 blocks and a ragged tail */
	assert_int_equal(sim_disk_open(d, img, 0, 0, true, F->err, sizeof F->err), -1);
	snprintf(want, sizeof want, "disk image %s: size 2148 ", img);
	assert_non_null(strstr(F->err, want));

	make_image(4, 0);
	assert_int_equal(sim_disk_open(d, img, 2, 3, true, F->err, sizeof F->err), -1);
	snprintf(want, sizeof want, "disk image %s: extent", img);
	assert_non_null(strstr(F->err, want));
	assert_int_equal(sim_disk_open(d, img, 5, 0, true, F->err, sizeof F->err), -1);
	assert_int_equal(sim_disk_open(d, img, 4, 0, true, F->err, sizeof F->err), -1);
	assert_int_equal(sim_disk_open(d, img, 2, 2, true, F->err, sizeof F->err), 0);

	/* Not a disk. */
	assert_int_equal(sim_disk_open(dev(0x009), img, 0, 0, true, F->err,
				       sizeof F->err), -1);

	/* A disk with no image: intervention required. */
	struct sim_dev *e = sim_io_attach(&F->io, 0x192, DEV_DISK, F->err,
					  sizeof F->err);
	ccw(PROG, CCW_CMD_READ, 0, 512, BUF);
	struct sim_csw csw;
	assert_int_equal(sio(0x192, &csw), 0);
	csw = finish(0x192);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_CHECK);
	assert_int_equal(e->sense, SENSE_INTERVENTION);

	/* The image is closed on detach (the fd is reused afterwards). */
	int fd = d->disk.fd;
	assert_true(fd >= 0);
	assert_int_equal(sim_io_detach(&F->io, 0x191), 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

/* ------------------------------------------------------------------ */
/* Host file backends                                                  */

static void test_file_backends(void **state)
{
	(void)state;
	char in[64], out[64];
	struct sim_csw csw;
	snprintf(in, sizeof in, "/tmp/test_io_%d.cards", (int)getpid());
	snprintf(out, sizeof out, "/tmp/test_io_%d.punch", (int)getpid());
	FILE *f = fopen(in, "w");
	fputs("FIRST CARD\r\nSECOND\n", f);
	fclose(f);

	struct sim_dev *r = dev(0x00C), *p = dev(0x00D);
	assert_int_equal(sim_rec_open_file(r, in, false, F->err, sizeof F->err), 0);
	assert_int_equal(F->rdr.closed, 1);   /* the old backend is closed */
	assert_int_equal(sim_rec_open_file(p, out, true, F->err, sizeof F->err), 0);

	/* Read two cards and punch them back; then end of file. */
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC, 80, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 80, BUF + 80);
	assert_int_equal(sio(0x00C, &csw), 0);
	assert_int_equal(finish(0x00C).channel, 0);
	assert_memory_equal(M(BUF), "FIRST CARD  ", 12);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 80, BUF);
	ccw(PROG + 8, CCW_CMD_WRITE, 0, 80, BUF + 80);
	assert_int_equal(sio(0x00D, &csw), 0);
	assert_int_equal(finish(0x00D).channel, 0);
	ccw(PROG, CCW_CMD_READ, 0, 80, BUF);
	assert_int_equal(sio(0x00C, &csw), 0);
	assert_int_equal(finish(0x00C).unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);

	/* Detaching closes (and so flushes) the punch file. */
	assert_int_equal(sim_io_detach(&F->io, 0x00D), 0);
	char got[256] = { 0 };
	f = fopen(out, "r");
	assert_int_equal(fread(got, 1, sizeof got - 1, f), 18);
	fclose(f);
	assert_string_equal(got, "FIRST CARD\nSECOND\n");

	/* Wrong directions and missing files are refused in one line. */
	assert_int_equal(sim_rec_open_file(r, out, true, F->err, sizeof F->err), -1);
	assert_int_equal(sim_rec_open_file(dev(0x00E), out, false, F->err,
					   sizeof F->err), -1);
	assert_int_equal(sim_rec_open_file(r, "/tmp/no/such/deck", false, F->err,
					   sizeof F->err), -1);
	assert_non_null(strstr(F->err, "/tmp/no/such/deck: "));

	/* A printer file: page ejects start lines with a form feed. */
	assert_int_equal(sim_rec_open_file(dev(0x00E), out, true, F->err,
					   sizeof F->err), 0);
	memcpy(M(BUF), "LINE 1    ", 10);
	ccw(PROG, CCW_CMD_WRITE, CCW_FLAG_CC, 10, BUF);
	ccw(PROG + 8, CCW_CMD_EJECT, CCW_FLAG_CC, 1, 0);
	ccw(PROG + 16, CCW_CMD_WRITE, 0, 4, BUF);
	assert_int_equal(sio(0x00E, &csw), 0);
	finish(0x00E);
	sim_io_destroy(&F->io);
	memset(got, 0, sizeof got);
	f = fopen(out, "r");
	assert_non_null(f);
	assert_true(fread(got, 1, sizeof got - 1, f) > 0);
	fclose(f);
	assert_string_equal(got, "LINE 1\n\fLINE\n");
	unlink(in);
	unlink(out);
}

static void test_reader_dos_line_ends(void **state)
{
	(void)state;
	char in[64];
	struct sim_csw csw;
	snprintf(in, sizeof in, "/tmp/test_io_%d.dos", (int)getpid());
	FILE *f = fopen(in, "w");
	for (int i = 0; i < 79; i++)
		fputc('Z', f);
	fputs("\r\n", f);
	for (int i = 0; i < 80; i++)
		fputc('Y', f);
	fputs("\r\n", f);
	fclose(f);
	assert_int_equal(sim_rec_open_file(dev(0x00C), in, false, F->err,
					   sizeof F->err), 0);
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC, 80, BUF);
	ccw(PROG + 8, CCW_CMD_READ, 0, 80, BUF + 80);
	assert_int_equal(sio(0x00C, &csw), 0);
	assert_int_equal(finish(0x00C).channel, 0);
	assert_int_equal(M(BUF)[78], 'Z');
	assert_int_equal(M(BUF)[79], ' ');      /* not the '\r' */
	assert_int_equal(M(BUF + 80)[79], 'Y');
	unlink(in);
}

static void test_stdio_console(void **state)
{
	(void)state;
	FILE *in = tmpfile(), *out = tmpfile();
	fputs("hello there\n", in);
	rewind(in);
	struct sim_dev *d = dev(0x009);
	sim_rec_stdio(d, in, out);
	assert_int_equal(F->con.closed, 1);

	struct sim_csw csw;
	ccw(PROG, CCW_CMD_READ, CCW_FLAG_CC | CCW_FLAG_SLI, 100, BUF);
	ccw(PROG + 8, CCW_CMD_WRITE, CCW_FLAG_CC, 5, BUF);
	ccw(PROG + 16, CCW_CMD_READ, 0, 100, BUF + 0x100);
	assert_int_equal(sio(0x009, &csw), 0);
	csw = finish(0x009);
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE | UNIT_EXCEPTION);
	assert_memory_equal(M(BUF), "hello there", 11);

	/* The console does not close the caller's streams. */
	sim_io_destroy(&F->io);
	rewind(out);
	char got[64] = { 0 };
	assert_true(fread(got, 1, sizeof got - 1, out) > 0);
	assert_string_equal(got, "hello\n");
	fclose(in);
	fclose(out);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_devtypes),
		T(test_attach_detach),
		T(test_destroy_closes),
		T(test_console_write_and_timing),
		T(test_sio_with_pending_status),
		T(test_sio_settles_finished_operation),
		T(test_interrupt_priority),
		T(test_csw_store),
		T(test_timing_deterministic),
		T(test_bad_caw),
		T(test_bad_first_ccw),
		T(test_ccw_outside_storage),
		T(test_data_area_outside_storage),
		T(test_tic_rules),
		T(test_tic_loop_is_bounded),
		T(test_command_chaining),
		T(test_data_chaining_write),
		T(test_data_chaining_read),
		T(test_skip),
		T(test_console_read_lengths),
		T(test_sense_and_reject),
		T(test_control_noop),
		T(test_reader),
		T(test_punch),
		T(test_printer),
		T(test_no_backend),
		T(test_console_wait_and_resume),
		T(test_hio),
		T(test_disk_read),
		T(test_disk_locate_rules),
		T(test_disk_write),
		T(test_disk_readonly),
		T(test_disk_open_errors),
		T(test_file_backends),
		T(test_reader_dos_line_ends),
		T(test_stdio_console),
	};
	int rc = cmocka_run_group_tests_name("io", tests, NULL, NULL);
	unlink(img);
	return rc;
}
