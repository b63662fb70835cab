/*
 * sim/dev_unitrec.c -- the console and the unit-record devices (card
 * reader, card punch, line printer), and their host backends.
 *
 * A unit-record device thinks in records: one card (80 columns) or one
 * printed line (up to 132) per command.  It gets and puts records through
 * a struct sim_rec_backend, so the same device code serves the bare
 * machine (terminal, host files) and CP (its terminal, spool files).
 *
 * The record length is the device's, not the program's.  When the CCW
 * count differs the channel reports incorrect length (unless the CCW says
 * SLI): a short count truncates what is read, or punches a card padded
 * with blanks; a long count leaves a residual.
 *
 * Characters are ASCII (the assembler's C'...' constants are ASCII), so a
 * blank is 0x20.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "io.h"

#define CARD_COLUMNS 80
#define PRINT_COLUMNS 132

/* No backend, or the backend failed: on a real device the operator had to
 * do something (load cards, ready the printer). */
static void intervention(struct sim_dev *d, struct sim_dev_result *r)
{
	sim_dev_check(d, r, SENSE_INTERVENTION);
	r->immediate = true;
}

/*
 * Console (3215).  WRITE types the bytes as one line; the backend ends
 * the line.  READ takes one line typed by the operator; if none has been
 * typed yet the backend says -2 and the device waits (see
 * sim_io_console_input).
 */
void sim_dev_console_cmd(struct sim_dev *d, struct sim_chan *ch,
			 struct sim_dev_result *r)
{
	static uint8_t line[SIM_IO_LINE_MAX];
	uint32_t n;
	int rc;

	/* A static buffer: the channel runs one command at a time and the
	 * line is too big for every caller's stack. */
	switch (ch->cmd) {
	case CCW_CMD_WRITE:
		n = sim_chan_get(ch, line, sizeof line);
		if (ch->chan_status)
			return;            /* malformed area: type nothing */
		r->units = n;
		if (!d->rec.write) {
			intervention(d, r);
			return;
		}
		if (d->rec.write(d->rec.ctx, line, n) < 0)
			intervention(d, r);
		return;
	case CCW_CMD_READ:
		if (!d->rec.read) {
			intervention(d, r);
			return;
		}
		rc = d->rec.read(d->rec.ctx, line, sizeof line);
		if (rc == -2) {
			r->wait = true;
			return;
		}
		if (rc < 0) {
			r->unit |= UNIT_EXCEPTION;     /* end of file */
			return;
		}
		n = sim_chan_put(ch, line, (uint32_t)rc);
		r->units = n;
		if (n < (uint32_t)rc)
			r->record_longer = true;       /* line truncated */
		return;
	default:
		sim_dev_reject(d, r);
	}
}

/* Card reader (2540R): READ one card; short lines are blank-padded. */
void sim_dev_reader_cmd(struct sim_dev *d, struct sim_chan *ch,
			struct sim_dev_result *r)
{
	uint8_t card[CARD_COLUMNS];

	if (ch->cmd != CCW_CMD_READ) {
		sim_dev_reject(d, r);
		return;
	}
	if (!d->rec.read) {
		intervention(d, r);
		return;
	}
	int rc = d->rec.read(d->rec.ctx, card, sizeof card);
	if (rc == -2) {
		/* A reader has no "wait for the operator": an empty hopper
		 * is intervention required. */
		intervention(d, r);
		return;
	}
	if (rc < 0) {
		r->unit |= UNIT_EXCEPTION;  /* last card already read */
		return;
	}
	if (rc > CARD_COLUMNS)
		rc = CARD_COLUMNS;
	memset(card + rc, ' ', sizeof card - (size_t)rc);
	r->units = 1;
	if (sim_chan_put(ch, card, sizeof card) < sizeof card)
		r->record_longer = true;
}

/* Card punch (2540P): WRITE one card.  A count under 80 punches the
 * columns given and leaves the rest blank (incorrect length). */
void sim_dev_punch_cmd(struct sim_dev *d, struct sim_chan *ch,
		       struct sim_dev_result *r)
{
	uint8_t card[CARD_COLUMNS];

	if (ch->cmd != CCW_CMD_WRITE) {
		sim_dev_reject(d, r);
		return;
	}
	memset(card, ' ', sizeof card);
	uint32_t n = sim_chan_get(ch, card, sizeof card);
	if (ch->chan_status)
		return;
	if (n < sizeof card)
		r->record_longer = true;
	r->units = 1;
	if (!d->rec.write || d->rec.write(d->rec.ctx, card, sizeof card) < 0)
		intervention(d, r);
}

/* Printer (1403): WRITE one line of up to 132 characters; EJECT (X'8B')
 * skips to the top of the next page, written as a form feed. */
void sim_dev_printer_cmd(struct sim_dev *d, struct sim_chan *ch,
			 struct sim_dev_result *r)
{
	uint8_t line[PRINT_COLUMNS];
	static const uint8_t ff = '\f';
	uint32_t n;

	switch (ch->cmd) {
	case CCW_CMD_WRITE:
		n = sim_chan_get(ch, line, sizeof line);
		if (ch->chan_status)
			return;
		r->units = 1;
		if (!d->rec.write || d->rec.write(d->rec.ctx, line, n) < 0)
			intervention(d, r);
		return;
	case CCW_CMD_EJECT:
		r->immediate = true;
		r->units = 1;
		if (!d->rec.write || d->rec.write(d->rec.ctx, &ff, 1) < 0)
			intervention(d, r);
		return;
	default:
		sim_dev_reject(d, r);
	}
}

/* ------------------------------------------------------------------ */
/* Host backends                                                       */

/*
 * One context serves all three host backends: the console on two stdio
 * streams (not ours to close), a reader on an input file and a punch or
 * printer on an output file (ours).
 */
struct rec_file {
	FILE *in;
	FILE *out;
	bool own;      /* close the streams with the backend */
	bool trim;     /* drop trailing blanks of output records */
};

/* Read one line without its newline (or "\r\n"); a longer line than max
 * is cut and the rest of it skipped.  -1 at end of file. */
static int rec_file_read(void *ctx, uint8_t *buf, uint32_t max)
{
	struct rec_file *f = ctx;
	uint32_t n = 0, len = 0;   /* stored, and seen in the line */
	int c, prev = 0;
	bool any = false;

	if (!f->in)
		return -1;
	while ((c = getc(f->in)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (n < max)
			buf[n++] = (uint8_t)c;
		len++;
		prev = c;
	}
	if (!any)
		return -1;
	/* A DOS line end: drop the '\r' if it made it into the record. */
	if (prev == '\r' && len <= max)
		n--;
	return (int)n;
}

/*
 * Write one record as one line.  A record that is just a form feed (the
 * printer's page eject) is written bare, so the next line starts the new
 * page as in a classic listing.  Output files drop trailing blanks (and
 * NULs: columns of storage a program never set), as a spool file would.
 */
static int rec_file_write(void *ctx, const uint8_t *buf, uint32_t len)
{
	struct rec_file *f = ctx;

	if (!f->out)
		return -1;
	if (len == 1 && buf[0] == '\f') {
		if (putc('\f', f->out) == EOF)
			return -1;
	} else {
		if (f->trim)
			while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == 0))
				len--;
		if (fwrite(buf, 1, len, f->out) != len || putc('\n', f->out) == EOF)
			return -1;
	}
	/* Flushed per record: a crash or a reader of the file mid-run
	 * still sees everything written so far. */
	return fflush(f->out) == 0 ? (int)len : -1;
}

static void rec_file_close(void *ctx)
{
	struct rec_file *f = ctx;

	if (f->own) {
		if (f->in)
			fclose(f->in);
		if (f->out)
			fclose(f->out);
	}
	free(f);
}

static int rec_attach(struct sim_dev *d, FILE *in, FILE *out, bool own,
		      bool trim)
{
	struct rec_file *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*f = (struct rec_file){ in, out, own, trim };
	sim_dev_close_backend(d);
	d->rec = (struct sim_rec_backend){ f, rec_file_read, rec_file_write,
					   rec_file_close };
	return 0;
}

/* The console on the caller's streams (the terminal); they are not
 * closed when the device is. */
void sim_rec_stdio(struct sim_dev *d, FILE *in, FILE *out)
{
	if (rec_attach(d, in, out, false, false) < 0)
		sim_dev_close_backend(d);  /* out of memory: no backend */
}

int sim_rec_open_file(struct sim_dev *d, const char *path, bool output,
		      char *err, size_t errlen)
{
	const char *what = d->type ? d->type->name : "device";

	if (!d->type || d->type->cls == DEV_DISK) {
		snprintf(err, errlen, "%s file %s: a disk needs a disk image",
			 what, path);
		return -1;
	}
	if (d->type->cls == DEV_READER && output) {
		snprintf(err, errlen, "reader file %s: a reader only reads", path);
		return -1;
	}
	if ((d->type->cls == DEV_PUNCH || d->type->cls == DEV_PRINTER) && !output) {
		snprintf(err, errlen, "%s file %s: a %s only writes", what,
			 path, what);
		return -1;
	}
	FILE *fp = fopen(path, output ? "w" : "r");
	if (!fp) {
		snprintf(err, errlen, "%s file %s: %s", what, path,
			 strerror(errno));
		return -1;
	}
	if (rec_attach(d, output ? NULL : fp, output ? fp : NULL, true,
		       output) < 0) {
		fclose(fp);
		snprintf(err, errlen, "%s file %s: out of memory", what, path);
		return -1;
	}
	return 0;
}
