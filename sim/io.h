/*
 * sim/io.h -- the channel subsystem and the devices.
 *
 * A program starts I/O with SIO: the channel reads the CAW at 0x048, then
 * runs the chain of CCWs it points to against the device, moving data
 * between storage and the device.  The channel program runs when SIO is
 * issued (so storage is read and written then), but the device stays busy
 * and its ending status (channel end + device end, with any errors) is
 * presented as an I/O interruption only when the operation completes in
 * simulated time.  Every delay is a fixed function of the work done, so
 * runs are deterministic.
 *
 * One struct sim_iosys is one set of devices over one storage.  The bare
 * machine has one over real storage; CP gives each virtual machine its own
 * over that guest's storage, with virtual-device backends (CP's console,
 * spool files, minidisk extents).  The channel checks every CCW and data
 * address against that storage: a bad one is a channel program check for
 * the program, never a host access out of bounds.
 *
 * Devices are declared in one table (sim_devtypes) that the console, the
 * directory and the tests address by name.
 */
#ifndef SIM_IO_H
#define SIM_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

enum sim_devclass {
	DEV_CONSOLE,  /* line-mode typewriter console (3215-like) */
	DEV_READER,   /* card reader: 80-byte records */
	DEV_PUNCH,    /* card punch: 80-byte records */
	DEV_PRINTER,  /* line printer: up to 132 bytes a line */
	DEV_DISK,     /* fixed-block disk, 512-byte blocks */
	DEV_CLASS_COUNT
};

struct sim_dev;

/*
 * Where a unit-record or console device gets and puts its records.  The
 * bare machine connects them to the terminal and host files; CP to its
 * terminal and spool.  read returns the record length (0..max), or -1 at
 * end of file (the device then presents unit exception).  A console read
 * with no input available yet returns -2: the device stays busy until
 * sim_io_console_input() is called (see there).
 */
struct sim_rec_backend {
	void *ctx;
	int (*read)(void *ctx, uint8_t *buf, uint32_t max);
	int (*write)(void *ctx, const uint8_t *buf, uint32_t len);
	void (*close)(void *ctx);
};

/* Where a disk's blocks live: a host image file (or an extent of one). */
struct sim_disk_backend {
	int fd;
	uint64_t offset;      /* byte offset of block 0 in the file */
	uint32_t blocks;      /* number of blocks */
	bool readonly;
};

struct sim_devtype {
	const char *name;         /* "console", "reader", "punch", "printer", "disk" */
	const char *model;        /* "3215", "2540R", "2540P", "1403", "FBA" */
	enum sim_devclass cls;
	uint32_t record;          /* natural record length (0: any) */
	uint32_t base_cycles;     /* time per CCW */
	uint32_t cycles_per_unit; /* plus time per byte (console) or block (disk) */
	const char *description;
};
extern const struct sim_devtype sim_devtypes[DEV_CLASS_COUNT];
const struct sim_devtype *sim_devtype_find(const char *name);

struct sim_dev_stats {
	uint64_t sio;        /* channel programs started */
	uint64_t ccws;       /* CCWs executed */
	uint64_t bytes_in;   /* device -> storage */
	uint64_t bytes_out;  /* storage -> device */
	uint64_t errors;     /* unit checks and channel errors */
};

struct sim_csw {
	uint32_t ccw_addr;   /* address of last CCW used + 8 */
	uint8_t unit;        /* UNIT_* */
	uint8_t channel;     /* CHAN_* */
	uint16_t residual;
};

struct sim_dev {
	uint16_t addr;                    /* device address, e.g. 0x009 */
	const struct sim_devtype *type;
	struct sim_rec_backend rec;       /* unit record and console */
	struct sim_disk_backend disk;     /* disk */
	uint32_t locate;                  /* disk: current block */
	uint8_t sense;                    /* sense byte 0 */

	bool busy;                        /* an operation is in progress */
	uint64_t done_at;                 /* ... and completes at this cycle */
	bool waiting_input;               /* console read waiting for a line */
	uint32_t wait_caw;                /* ... the channel program to resume */
	bool int_pending;                 /* ending status not yet presented */
	struct sim_csw csw;               /* the status to present */
	struct sim_dev_stats stats;
};

#define SIM_MAX_DEVS 32

struct sim_iosys {
	struct sim_mem *mem;     /* the storage channel programs address */
	int ndev;
	struct sim_dev dev[SIM_MAX_DEVS];
};

void sim_io_init(struct sim_iosys *io, struct sim_mem *mem);
/* Close every device's backend. */
void sim_io_destroy(struct sim_iosys *io);

/* Add a device; returns it, or NULL (and a message in err) if the address
 * is taken or the table is full.  Its backend is set by the caller.
 * dev[0..ndev) stays dense: a detach moves the devices after it, so keep
 * device addresses, not struct sim_dev pointers, across a detach. */
struct sim_dev *sim_io_attach(struct sim_iosys *io, uint16_t addr,
			      enum sim_devclass cls, char *err, size_t errlen);
int sim_io_detach(struct sim_iosys *io, uint16_t addr);
struct sim_dev *sim_io_find(struct sim_iosys *io, uint16_t addr);

/* Open a disk image file for a device: 0, or -1 with one clear line in
 * err (missing file, not a whole number of blocks, extent beyond the end).
 * nblocks 0: from first_block to the end of the file. */
int sim_disk_open(struct sim_dev *d, const char *path, uint64_t first_block,
		  uint32_t nblocks, bool readonly, char *err, size_t errlen);
/* Host-file backends for unit-record devices (reader: input file, lines
 * padded to 80 columns; punch/printer: output file, trailing blanks
 * trimmed).  0, or -1 with a message. */
int sim_rec_open_file(struct sim_dev *d, const char *path, bool output,
		      char *err, size_t errlen);
/* Console on a pair of stdio streams (the terminal, for vmlab run). */
void sim_rec_stdio(struct sim_dev *d, FILE *in, FILE *out);

/*
 * The I/O instructions.  now is the current cycle; the CAW is read from
 * storage by sim_io_sio.  Each returns the condition code; when it is 1
 * the CSW to store is in *csw.
 */
int sim_io_sio(struct sim_iosys *io, uint16_t addr, uint64_t now, struct sim_csw *csw);
int sim_io_tio(struct sim_iosys *io, uint16_t addr, uint64_t now, struct sim_csw *csw);
int sim_io_hio(struct sim_iosys *io, uint16_t addr, uint64_t now, struct sim_csw *csw);

/* Move every operation that completes at or before now to "interruption
 * pending".  Returns true if any device has an interruption pending. */
bool sim_io_advance(struct sim_iosys *io, uint64_t now);
/* The earliest completion time of a busy device, or UINT64_MAX. */
uint64_t sim_io_next_event(const struct sim_iosys *io);
/* Take the highest-priority (lowest address) pending interruption: its
 * device address and CSW.  false if none. */
bool sim_io_take_interrupt(struct sim_iosys *io, uint16_t *addr, struct sim_csw *csw);
/* A console read was waiting for input (backend read returned -2) and a
 * line is now available: rerun its channel program. */
void sim_io_console_input(struct sim_iosys *io, uint16_t addr, uint64_t now);

/* Store a CSW into low storage (0x040). */
void sim_csw_store(struct sim_mem *mem, const struct sim_csw *csw);

#endif
