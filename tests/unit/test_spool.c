/*
 * tests/unit/test_spool.c -- the CP spool (cp/spool.c).
 *
 * The story each test tells is one a VM/370 user would recognise: BOB
 * spools his punch to ALICE, punches a deck and closes it; ALICE's
 * reader reads it card by card until the unit exception, and the file is
 * gone.  Around that: classes, HOLD, KEEP, CONT, TRANSFER, PURGE, QUERY
 * tables, id wrapping, the class D checks, saving and loading (and a
 * damaged file that must not take the others with it), and every error
 * message with its return code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp/out.h"
#include "cp/spool.h"
#include "sim/dev.h"
#include "sim/io.h"

/* ------------------------------------------------------------------ */
/* Fixture: a spool over a tiny directory, collected output            */

static const char *const users[] = { "ALICE", "BOB", "CAROL", "OPERATOR" };

struct fix {
	struct cp_spool *sp;
	struct cp_outbuf ob;      /* the acting user's responses */
	struct cp_out out;
	char notes[8192];         /* notify: "USER: line\n" ... */
	uint64_t secs;            /* the simulated clock */
	uint32_t max_records;
	char dir[64];             /* a state folder, when a test needs one */
};

static struct fix *F;

static bool fx_user_exists(void *ctx, const char *id)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof users / sizeof *users; i++)
		if (!strcmp(users[i], id))
			return true;
	return false;
}

static void fx_notify(void *ctx, const char *user, const char *line)
{
	struct fix *f = ctx;
	size_t n = strlen(f->notes);
	snprintf(f->notes + n, sizeof f->notes - n, "%s: %s\n", user, line);
}

static uint64_t fx_clock(void *ctx)
{
	return ((struct fix *)ctx)->secs;
}

static struct cp_spool *make_spool(uint32_t max_records)
{
	struct cp_spool_config cfg = {
		.ctx = F, .user_exists = fx_user_exists, .notify = fx_notify,
		.clock = fx_clock, .max_records = max_records,
	};
	return cp_spool_create(&cfg);
}

static int setup(void **state)
{
	F = calloc(1, sizeof *F);
	/* 2026-11-25 15:49:28 on the simulated clock (UTC seconds). */
	F->secs = 1795621768ull;
	F->sp = make_spool(0);
	F->out = cp_outbuf_out(&F->ob);
	*state = F;
	return 0;
}

static void rm_tree(const char *dir)
{
	char sub[128], path[512];
	snprintf(sub, sizeof sub, "%s/spool", dir);
	DIR *d = opendir(sub);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
				continue;
			snprintf(path, sizeof path, "%s/%s", sub, e->d_name);
			unlink(path);
		}
		closedir(d);
		rmdir(sub);
	}
	rmdir(dir);
}

static int teardown(void **state)
{
	(void)state;
	cp_spool_destroy(F->sp);
	cp_outbuf_free(&F->ob);
	if (F->dir[0])
		rm_tree(F->dir);
	free(F);
	return 0;
}

static void clear(void)
{
	cp_outbuf_free(&F->ob);
	F->notes[0] = 0;
}

/* What the acting user saw ("" if nothing). */
static const char *said(void)
{
	return F->ob.text ? F->ob.text : "";
}

typedef int (*cmd_fn)(struct cp_spool *, const char *, bool, int,
		      const char *const *, const struct cp_out *);

/* Run one command: cmd(cp_spool_cmd_purge, "BOB", false, "RDR 12").
 * The operands are split at blanks, as the command table would. */
static int cmd(cmd_fn fn, const char *user, bool priv, const char *operands)
{
	char copy[256];
	const char *argv[32];
	int argc = 0;
	snprintf(copy, sizeof copy, "%s", operands);
	for (char *t = strtok(copy, " "); t && argc < 32; t = strtok(NULL, " "))
		argv[argc++] = t;
	clear();
	return fn(F->sp, user, priv, argc, argv, &F->out);
}

/* A card: text padded with blanks to 80 columns. */
static void card(uint8_t c[80], const char *text)
{
	memset(c, ' ', 80);
	memcpy(c, text, strlen(text));
}

static void punch(struct sim_rec_backend *be, const char *text)
{
	uint8_t c[80];
	card(c, text);
	assert_int_equal(be->write(be->ctx, c, 80), 80);
}

/* Read one card: its text with the trailing blanks trimmed, or NULL at
 * end of file (-1), or "(empty)" for an empty hopper (-2). */
static const char *read_card(struct sim_rec_backend *be)
{
	static char text[81];
	uint8_t c[80];
	int n = be->read(be->ctx, c, 80);
	if (n == -1)
		return NULL;
	if (n == -2)
		return "(empty)";
	assert_int_equal(n, 80);   /* the blanks come back */
	memcpy(text, c, 80);
	int len = 80;
	while (len > 0 && text[len - 1] == ' ')
		len--;
	text[len] = 0;
	return text;
}

/* Add a reader file for owner from origin, class cls, with n cards. */
static int add_cards(const char *owner, const char *origin, char cls, int n)
{
	uint8_t store[8][80];
	const uint8_t *recs[8];
	uint16_t lens[8];
	for (int i = 0; i < n; i++) {
		char t[32];
		snprintf(t, sizeof t, "%s %c CARD %d", origin, cls, i + 1);
		card(store[i], t);
		recs[i] = store[i];
		lens[i] = 80;
	}
	clear();
	int id = cp_spool_add(F->sp, owner, CP_SPOOL_RDR, origin, CP_SPOOL_PUN, cls,
			      NULL, NULL, n, recs, lens, &F->out);
	assert_true(id > 0);
	return id;
}

/* The ids in user's queue q, in order, as "12 13 ". */
static const char *ids_in(const char *user, enum cp_spool_queue q)
{
	static char s[256];
	s[0] = 0;
	for (int i = 0; i < cp_spool_count(F->sp); i++) {
		const struct cp_spool_file *f = cp_spool_at(F->sp, i);
		if (f->queue == q && !strcmp(f->owner, user)) {
			size_t n = strlen(s);
			snprintf(s + n, sizeof s - n, "%d ", f->id);
		}
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Punch to a reader and read it back                                  */

static void test_punch_to_reader(void **state)
{
	(void)state;
	struct sim_rec_backend pun, rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "bob", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "PUNCH TO ALICE"), 0);
	assert_string_equal(said(), "");   /* SPOOL is silent when it works */

	punch(&pun, "//HELLO JOB");
	punch(&pun, "  DC C'A\\B'");
	punch(&pun, "");
	/* Not delivered before CLOSE: ALICE's hopper is empty. */
	assert_string_equal(read_card(&rdr), "(empty)");
	assert_int_equal(cp_spool_count(F->sp), 0);

	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "00D"), 0);
	assert_string_equal(said(),
		"PUN FILE 0001 SENT TO ALICE RDR AS 0001 RECS 0003 CPY 001 A NOHOLD NOKEEP\n");
	assert_string_equal(F->notes,
		"ALICE: RDR FILE 0001 SENT FROM BOB PUN WAS 0001 RECS 0003 CPY 001 A NOHOLD NOKEEP\n");
	const struct cp_spool_file *f = cp_spool_find(F->sp, 1);
	assert_non_null(f);
	assert_string_equal(f->owner, "ALICE");
	assert_string_equal(f->origin, "BOB");
	assert_int_equal(f->queue, CP_SPOOL_RDR);
	assert_int_equal(f->origtype, CP_SPOOL_PUN);
	assert_int_equal(f->nrec, 3);
	assert_int_equal(f->rec[0].len, 11);   /* stored trimmed */
	assert_int_equal(f->rec[2].len, 0);

	/* BOB's reader does not see ALICE's file. */
	struct sim_rec_backend bobrdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00C, CP_SPOOL_RDR, 0, &bobrdr,
					     &F->out), 0);
	assert_string_equal(read_card(&bobrdr), "(empty)");

	assert_string_equal(read_card(&rdr), "//HELLO JOB");
	assert_string_equal(read_card(&rdr), "  DC C'A\\B'");
	assert_string_equal(read_card(&rdr), "");
	assert_null(read_card(&rdr));                 /* end of file */
	assert_null(cp_spool_find(F->sp, 1));         /* ... and purged */
	assert_string_equal(read_card(&rdr), "(empty)");

	/* The next file gets the next id. */
	punch(&pun, "SECOND");
	assert_int_equal(cp_spool_close(F->sp, "BOB", 0x00D, &F->out), 0);
	assert_non_null(cp_spool_find(F->sp, 2));

	pun.close(pun.ctx);
	rdr.close(rdr.ctx);
	bobrdr.close(bobrdr.ctx);
}

/* The same trip through the real 2540 devices and channel programs: the
 * guest sees the unit exception in the CSW after the last card. */
#define MEMSIZE 0x10000u
static void test_through_the_channel(void **state)
{
	(void)state;
	struct sim_mem mem = { .size = MEMSIZE };
	mem.base = calloc(1, MEMSIZE);
	struct sim_iosys bob, alice;
	char err[128];
	sim_io_init(&bob, &mem);
	sim_io_init(&alice, &mem);
	struct sim_dev *d = sim_io_attach(&bob, 0x00D, DEV_PUNCH, err, sizeof err);
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 0, &d->rec,
					     &F->out), 0);
	d = sim_io_attach(&alice, 0x00C, DEV_READER, err, sizeof err);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &d->rec,
					     &F->out), 0);
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "00D TO ALICE"), 0);

	/* CCW at 0x1000: WRITE 80 bytes from 0x2000.  CAW at LC_CAW. */
	uint8_t *m = mem.base;
	struct sim_csw csw;
	uint16_t a;
	m[0x1000] = CCW_CMD_WRITE;
	sim_put16(m + 0x1002, 80);
	sim_put32(m + 0x1004, 0x2000);
	sim_put32(m + LC_CAW, 0x1000);
	memset(m + 0x2000, ' ', 80);
	memcpy(m + 0x2000, "PUNCHED BY A CHANNEL PROGRAM", 28);
	assert_int_equal(sim_io_sio(&bob, 0x00D, 0, &csw), 0);
	sim_io_advance(&bob, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&bob, &a, &csw));
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "PUN"), 0);

	/* ALICE: READ 80 bytes into 0x3000. */
	m[0x1000] = CCW_CMD_READ;
	sim_put32(m + 0x1004, 0x3000);
	assert_int_equal(sim_io_sio(&alice, 0x00C, 10, &csw), 0);
	sim_io_advance(&alice, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&alice, &a, &csw));
	assert_int_equal(csw.unit, UNIT_CE | UNIT_DE);
	assert_memory_equal(m + 0x3000, m + 0x2000, 80);
	/* The next read: no more cards, unit exception. */
	assert_int_equal(sim_io_sio(&alice, 0x00C, 1000000, &csw), 0);
	sim_io_advance(&alice, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&alice, &a, &csw));
	assert_true(csw.unit & UNIT_EXCEPTION);
	assert_int_equal(cp_spool_count(F->sp), 0);
	/* And then the hopper is empty: intervention required. */
	int cc = sim_io_sio(&alice, 0x00C, 2000000, &csw);
	if (cc == 0) {   /* status at once or as an interruption */
		sim_io_advance(&alice, UINT64_MAX - 1);
		assert_true(sim_io_take_interrupt(&alice, &a, &csw));
	} else {
		assert_int_equal(cc, 1);
	}
	assert_true(csw.unit & UNIT_CHECK);

	sim_io_destroy(&bob);     /* closes the backends */
	sim_io_destroy(&alice);
	free(mem.base);
}

/* ------------------------------------------------------------------ */
/* Reader selection: class, HOLD, KEEP, CONT                            */

static void test_reader_class(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 'B', &rdr,
					     &F->out), 0);
	int a = add_cards("ALICE", "BOB", 'A', 1);
	int b = add_cards("ALICE", "CAROL", 'B', 1);
	/* Class B reader: skips the class A file, which came first. */
	assert_string_equal(read_card(&rdr), "CAROL B CARD 1");
	assert_null(read_card(&rdr));
	assert_null(cp_spool_find(F->sp, b));
	assert_string_equal(read_card(&rdr), "(empty)");
	/* Class *: anything. */
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "RDR CLASS *"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_null(read_card(&rdr));
	assert_null(cp_spool_find(F->sp, a));
	rdr.close(rdr.ctx);
}

static void test_hold(void **state)
{
	(void)state;
	struct sim_rec_backend rdr, prt;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00E, CP_SPOOL_PRT, 0, &prt,
					     &F->out), 0);
	/* Output spooled with HOLD arrives held. */
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "PRT TO * HOLD"), 0);
	prt.write(prt.ctx, (const uint8_t *)"LINE", 4);
	assert_int_equal(cmd(cp_spool_cmd_close, "ALICE", false, "00E"), 0);
	assert_string_equal(said(), "PRT FILE 0001 TO ALICE COPY 001 HOLD\n");
	const struct cp_spool_file *f = cp_spool_find(F->sp, 1);
	assert_true(f->user_hold);
	assert_int_equal(f->queue, CP_SPOOL_RDR);
	assert_string_equal(read_card(&rdr), "(empty)");   /* held: skipped */

	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "RDR"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"ALICE    0001 A PRT 00000001 001 USER\n");

	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR 1 NOHOLD"), 0);
	assert_string_equal(said(), "0001 FILE CHANGED\n");
	assert_string_equal(read_card(&rdr), "LINE");
	assert_null(read_card(&rdr));
	assert_null(cp_spool_find(F->sp, 1));

	/* CLOSE HOLD overrides the device for one file. */
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "00E NOHOLD"), 0);
	prt.write(prt.ctx, (const uint8_t *)"X", 1);
	assert_int_equal(cmd(cp_spool_cmd_close, "ALICE", false, "00E HOLD"), 0);
	assert_true(cp_spool_find(F->sp, 2)->user_hold);
	rdr.close(rdr.ctx);
	prt.close(prt.ctx);
}

static void test_keep(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	int id = add_cards("ALICE", "BOB", 'A', 2);
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "00C KEEP"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_string_equal(read_card(&rdr), "BOB A CARD 2");
	assert_null(read_card(&rdr));
	/* Kept, and held so it is not read again at once. */
	const struct cp_spool_file *f = cp_spool_find(F->sp, id);
	assert_non_null(f);
	assert_true(f->user_hold);
	assert_string_equal(read_card(&rdr), "(empty)");
	/* Released, it reads again from the first card. */
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR ALL NOHOLD"), 0);
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "RDR NOKEEP"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	/* CLOSE in the middle: purged (NOKEEP). */
	assert_int_equal(cmd(cp_spool_cmd_close, "ALICE", false, "00C"), 0);
	assert_null(cp_spool_find(F->sp, id));

	/* CLOSE HOLD in the middle: kept, held, read again from the start. */
	id = add_cards("ALICE", "BOB", 'A', 2);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_int_equal(cmd(cp_spool_cmd_close, "ALICE", false, "RDR HOLD"), 0);
	assert_true(cp_spool_find(F->sp, id)->user_hold);
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR ALL NOHOLD"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR ALL"), 0);
	assert_string_equal(read_card(&rdr), "(empty)");

	/* A file marked KEEP is kept whatever the reader says. */
	id = add_cards("ALICE", "BOB", 'A', 1);
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR 3 KEEP"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_null(read_card(&rdr));
	assert_non_null(cp_spool_find(F->sp, id));
	rdr.close(rdr.ctx);
}

static void test_cont(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	add_cards("ALICE", "BOB", 'A', 1);
	add_cards("ALICE", "CAROL", 'A', 2);
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "RDR CONT"), 0);
	/* One deck: no unit exception between the files. */
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_string_equal(read_card(&rdr), "CAROL A CARD 1");
	assert_string_equal(read_card(&rdr), "CAROL A CARD 2");
	assert_null(read_card(&rdr));
	assert_int_equal(cp_spool_count(F->sp), 0);
	rdr.close(rdr.ctx);
}

/* ------------------------------------------------------------------ */
/* Printer output, QUERY, NAME, detach                                 */

static void test_printer_queue_and_query(void **state)
{
	(void)state;
	struct sim_rec_backend prt, pun;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00E, CP_SPOOL_PRT, 0, &prt,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 'P', &pun,
					     &F->out), 0);
	uint8_t line[140];
	memset(line, 'X', sizeof line);
	assert_int_equal(prt.write(prt.ctx, line, 140), 132);  /* a print line: 132 */
	prt.write(prt.ctx, (const uint8_t *)"\f", 1);
	F->secs += 3661;
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "PRINTER NAME prog listing"), 0);
	assert_string_equal(said(), "PRT FILE 0001 TO BOB COPY 001 NOHOLD\n");
	const struct cp_spool_file *f = cp_spool_find(F->sp, 1);
	assert_int_equal(f->queue, CP_SPOOL_PRT);
	assert_int_equal(f->rec[0].len, 132);
	assert_string_equal(f->fn, "PROG");
	assert_string_equal(f->ft, "LISTING");

	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "PUN COPY 3"), 0);
	punch(&pun, "CARD");
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "00D NAME DECK"), 0);

	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "PRINTER"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0001 A PRT 00000002 001 NONE\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "PRT ALL"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME     TYPE     DIST\n"
		"BOB      0001 A PRT 00000002 001 NONE 11/25 15:49:28 PROG     LISTING  BOB\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "PUN ALL"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME     TYPE     DIST\n"
		"BOB      0002 P PUN 00000001 003 NONE 11/25 16:50:29 DECK              BOB\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "READER"), 0);
	assert_string_equal(said(), "NO RDR FILES\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "PUN 2"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0002 P PUN 00000001 003 NONE\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "PUN 1"), CP_SPOOL_ENOFILE);
	assert_string_equal(said(), "HCP042E SPOOLID 0001 DOES NOT EXIST\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "FILES"), 0);
	assert_string_equal(said(), "FILES: NO RDR, 0001 PRT, 0001 PUN\n");

	/* Other people's queues: class D only. */
	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "PRT BOB"),
			 CP_SPOOL_EPRIVQUEUE);
	assert_string_equal(said(), "HCP047E BOB PRT QUEUE - CLASS D REQUIRED\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "PRT SYSTEM"),
			 CP_SPOOL_EPRIVQUEUE);
	assert_string_equal(said(), "HCP047E SYSTEM PRT QUEUE - CLASS D REQUIRED\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "OPERATOR", true, "PRT SYSTEM"), 0);
	assert_string_equal(said(),
		"OWNERID  FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0001 A PRT 00000002 001 NONE\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "OPERATOR", true, "PUN BOB"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0002 P PUN 00000001 003 NONE\n");

	/* The device's options, for QUERY VIRTUAL. */
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "00D TO ALICE CLASS Q HOLD"), 0);
	clear();
	assert_int_equal(cp_spool_dev_describe(F->sp, "BOB", 0x00D, &F->out), 0);
	assert_string_equal(said(), "PUN 00D CL Q NOCONT HOLD COPY 03 NOKEEP TO ALICE\n");

	/* Detaching the punch (DETACH, LOGOFF) closes and delivers. */
	punch(&pun, "LAST");
	clear();
	pun.close(pun.ctx);
	assert_string_equal(F->notes,
		"BOB: PUN FILE 0003 SENT TO ALICE RDR AS 0003 RECS 0001 CPY 003 Q HOLD NOKEEP\n"
		"ALICE: RDR FILE 0003 SENT FROM BOB PUN WAS 0003 RECS 0001 CPY 003 Q HOLD NOKEEP\n");
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "3 ");
	clear();
	assert_int_equal(cp_spool_dev_describe(F->sp, "BOB", 0x00D, &F->out), CP_SPOOL_ENODEV);
	assert_string_equal(said(), "HCP040E DEVICE 00D DOES NOT EXIST\n");

	/* CLOSE PURGE throws the open file away. */
	prt.write(prt.ctx, (const uint8_t *)"GONE", 4);
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "00E PURGE"), 0);
	assert_string_equal(said(), "PRT FILE 0004 PURGED\n");
	assert_null(cp_spool_find(F->sp, 4));
	/* CLOSE with nothing open: nothing happens. */
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "00E"), 0);
	assert_string_equal(said(), "");
	prt.close(prt.ctx);
}

/* ------------------------------------------------------------------ */
/* TRANSFER                                                            */

static void test_transfer(void **state)
{
	(void)state;
	int a1 = add_cards("ALICE", "BOB", 'A', 1);
	int a2 = add_cards("ALICE", "BOB", 'B', 2);
	int a3 = add_cards("ALICE", "CAROL", 'B', 1);
	int c1 = add_cards("CAROL", "CAROL", 'A', 1);

	/* By id: into BOB's reader; both told. */
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "RDR 1 TO BOB"), 0);
	assert_string_equal(said(),
		"RDR FILE 0001 SENT TO BOB RDR AS 0001 RECS 0001 CPY 001 A NOHOLD NOKEEP\n");
	assert_string_equal(F->notes,
		"BOB: RDR FILE 0001 SENT FROM ALICE RDR WAS 0001 RECS 0001 CPY 001 A NOHOLD NOKEEP\n");
	assert_string_equal(ids_in("BOB", CP_SPOOL_RDR), "1 ");
	(void)a1;

	/* By class: both class B files go to CAROL, in order. */
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "CLASS B TO CAROL"), 0);
	assert_string_equal(ids_in("CAROL", CP_SPOOL_RDR), "4 2 3 ");
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "ALL TO CAROL"), 0);
	assert_string_equal(said(), "NO RDR FILES TRANSFERRED\n");

	/* To one's own punch queue. */
	assert_int_equal(cmd(cp_spool_cmd_transfer, "CAROL", false, "RDR 4 TO * PUN"), 0);
	assert_string_equal(said(),
		"RDR FILE 0004 SENT TO CAROL PUN AS 0004 RECS 0001 CPY 001 A NOHOLD NOKEEP\n");
	assert_string_equal(ids_in("CAROL", CP_SPOOL_PUN), "4 ");
	(void)c1;

	/* Another user's file by id: class D required. */
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "RDR 2 TO ALICE"),
			 CP_SPOOL_ENOFILE);
	assert_string_equal(said(), "HCP042E SPOOLID 0002 DOES NOT EXIST\n");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "OPERATOR", true, "RDR 2 TO ALICE"), 0);
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "2 ");
	/* The operator hears it too, and both users are told. */
	assert_string_equal(said(),
		"RDR FILE 0002 SENT TO ALICE RDR AS 0002 RECS 0002 CPY 001 B NOHOLD NOKEEP\n");
	assert_non_null(strstr(F->notes, "CAROL: RDR FILE 0002 SENT TO ALICE"));
	assert_non_null(strstr(F->notes, "ALICE: RDR FILE 0002 SENT FROM CAROL"));

	/* FROM: BOB reclaims what he sent; ALICE may not take CAROL's file
	 * back from CAROL's reader, since she did not create it. */
	assert_int_equal(cmd(cp_spool_cmd_transfer, "BOB", false, "RDR ALL FROM ALICE"), 0);
	assert_string_equal(ids_in("BOB", CP_SPOOL_RDR), "1 2 ");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "RDR 3 FROM CAROL"),
			 CP_SPOOL_EPRIVFILE);
	assert_string_equal(said(), "HCP046E FILE 0003 IS OWNED BY CAROL - CLASS D REQUIRED\n");
	assert_string_equal(ids_in("CAROL", CP_SPOOL_RDR), "3 ");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "CAROL", false, "RDR 3 FROM ALICE"),
			 CP_SPOOL_ENOFILE);
	assert_int_equal(cmd(cp_spool_cmd_transfer, "OPERATOR", true, "RDR 3 FROM CAROL"), 0);
	assert_string_equal(ids_in("OPERATOR", CP_SPOOL_RDR), "3 ");
	(void)a2;
	(void)a3;
}

/* A transfer takes the file away from a reader that was reading it. */
static void test_transfer_while_reading(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	add_cards("ALICE", "BOB", 'A', 2);
	add_cards("ALICE", "BOB", 'A', 1);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "ALICE", false, "RDR 1 TO BOB"), 0);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");   /* file 2 */
	assert_null(read_card(&rdr));
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "");
	assert_string_equal(ids_in("BOB", CP_SPOOL_RDR), "1 ");
	assert_int_equal(cp_spool_find(F->sp, 1)->nrec, 2);
	rdr.close(rdr.ctx);
}

/* ------------------------------------------------------------------ */
/* PURGE                                                               */

static void test_purge(void **state)
{
	(void)state;
	add_cards("ALICE", "BOB", 'A', 1);   /* 1 */
	add_cards("ALICE", "BOB", 'B', 1);   /* 2 */
	add_cards("ALICE", "BOB", 'B', 1);   /* 3 */
	add_cards("ALICE", "BOB", 'C', 1);   /* 4 */
	add_cards("ALICE", "BOB", 'D', 1);   /* 5 */
	add_cards("BOB", "BOB", 'A', 1);     /* 6 */

	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR 1"), 0);
	assert_string_equal(said(), "0001 FILE PURGED\n");
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "READER CLASS B"), 0);
	assert_string_equal(said(), "0002 FILES PURGED\n");
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "4 5 ");

	/* One bad id among good ones: nothing is purged. */
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR 4 6"), CP_SPOOL_ENOFILE);
	assert_string_equal(said(), "HCP042E SPOOLID 0006 DOES NOT EXIST\n");
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "4 5 ");
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "PRT 4"), CP_SPOOL_ENOFILE);

	/* Another user's queue: class D. */
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "BOB RDR ALL"),
			 CP_SPOOL_EPRIVQUEUE);
	assert_string_equal(said(), "HCP047E BOB RDR QUEUE - CLASS D REQUIRED\n");
	assert_string_equal(ids_in("BOB", CP_SPOOL_RDR), "6 ");
	assert_int_equal(cmd(cp_spool_cmd_purge, "OPERATOR", true, "BOB RDR ALL"), 0);
	assert_string_equal(said(), "0001 FILE PURGED\n");
	assert_string_equal(ids_in("BOB", CP_SPOOL_RDR), "");

	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR 4 CLASS D"), 0);
	assert_string_equal(said(), "0002 FILES PURGED\n");
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR ALL"), 0);
	assert_string_equal(said(), "NO FILES PURGED\n");

	/* PURGE ALL: every queue. */
	add_cards("ALICE", "BOB", 'A', 1);
	struct sim_rec_backend prt;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00E, CP_SPOOL_PRT, 0, &prt,
					     &F->out), 0);
	prt.write(prt.ctx, (const uint8_t *)"P", 1);
	assert_int_equal(cp_spool_close(F->sp, "ALICE", -1, &F->out), 0);
	assert_int_equal(cp_spool_count(F->sp), 2);
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "ALL"), 0);
	assert_string_equal(said(), "0002 FILES PURGED\n");
	assert_int_equal(cp_spool_count(F->sp), 0);
	prt.close(prt.ctx);
}

/* ------------------------------------------------------------------ */
/* ORDER                                                               */

static void test_order(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	add_cards("ALICE", "BOB", 'A', 1);
	add_cards("BOB", "BOB", 'A', 1);
	add_cards("ALICE", "CAROL", 'A', 1);
	add_cards("ALICE", "OPERATOR", 'A', 1);
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 4 3"), 0);
	assert_string_equal(said(), "0002 FILES ORDERED\n");
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "4 3 1 ");
	assert_string_equal(read_card(&rdr), "OPERATOR A CARD 1");
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 2"), CP_SPOOL_ENOFILE);
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 3 3"), CP_SPOOL_ECONFLICT);
	assert_string_equal(said(), "HCP013E CONFLICTING OPTION - 3\n");
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "BOB RDR 2"),
			 CP_SPOOL_EPRIVQUEUE);
	assert_int_equal(cmd(cp_spool_cmd_order, "OPERATOR", true, "BOB RDR 2"), 0);
	rdr.close(rdr.ctx);
}

/* ------------------------------------------------------------------ */
/* Spool ids                                                           */

static void test_id_wrapping(void **state)
{
	(void)state;
	cp_spool_set_next_id(F->sp, 9998);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 9998);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 9999);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 1);
	/* 2 is in use: skipped after the next wrap. */
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 2);
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR 1 9999"), 0);
	cp_spool_set_next_id(F->sp, 9998);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 9999);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 1);
	assert_int_equal(add_cards("ALICE", "BOB", 'A', 0), 3);
	assert_int_equal(cp_spool_next_id(F->sp), 4);

	/* All 9999 in use: the spool is full, and says so. */
	while (cp_spool_count(F->sp) < 9999)
		add_cards("BOB", "BOB", 'A', 0);
	assert_int_equal(cp_spool_count(F->sp), 9999);
	clear();
	assert_int_equal(cp_spool_add(F->sp, "BOB", CP_SPOOL_RDR, "BOB", CP_SPOOL_PUN, 'A',
				      NULL, NULL, 0, NULL, NULL, &F->out), -CP_SPOOL_EFULL);
	assert_string_equal(said(), "HCP050E SYSTEM SPOOL SPACE FULL\n");
	/* A punch cannot open a file either: intervention required. */
	struct sim_rec_backend pun;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	uint8_t c[80];
	card(c, "X");
	assert_int_equal(pun.write(pun.ctx, c, 80), -1);
	assert_string_equal(F->notes, "BOB: HCP050E SYSTEM SPOOL SPACE FULL\n");
	pun.close(pun.ctx);
}

/* A guest that punches forever meets the per-file record limit. */
static void test_record_limit(void **state)
{
	(void)state;
	cp_spool_destroy(F->sp);
	F->sp = make_spool(3);
	struct sim_rec_backend pun;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	uint8_t c[80];
	card(c, "X");
	for (int i = 0; i < 3; i++)
		assert_int_equal(pun.write(pun.ctx, c, 80), 80);
	assert_int_equal(pun.write(pun.ctx, c, 80), -1);
	assert_int_equal(cmd(cp_spool_cmd_close, "BOB", false, "00D"), 0);
	assert_int_equal(cp_spool_find(F->sp, 1)->nrec, 3);
	pun.close(pun.ctx);

	/* And the whole spool has a byte budget (trimmed bytes count). */
	cp_spool_destroy(F->sp);
	struct cp_spool_config cfg = { .ctx = F, .notify = fx_notify, .max_bytes = 100 };
	F->sp = cp_spool_create(&cfg);
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00E, CP_SPOOL_PRT, 0, &pun,
					     &F->out), 0);
	uint8_t line[60];
	memset(line, 'L', sizeof line);
	assert_int_equal(pun.write(pun.ctx, line, 60), 60);
	assert_int_equal(pun.write(pun.ctx, line, 40), 40);   /* exactly 100 */
	assert_int_equal(pun.write(pun.ctx, line, 1), -1);
	uint8_t blanks[80];
	memset(blanks, ' ', sizeof blanks);
	assert_int_equal(pun.write(pun.ctx, blanks, 80), 80);  /* stores nothing */
	assert_int_equal(cp_spool_close(F->sp, "BOB", 0x00E, &F->out), 0);
	assert_int_equal(cp_spool_find(F->sp, 1)->nrec, 3);
	/* Purging gives the room back. */
	assert_int_equal(cmd(cp_spool_cmd_purge, "BOB", false, "PRT ALL"), 0);
	assert_int_equal(pun.write(pun.ctx, line, 60), 60);
	pun.close(pun.ctx);
}

/* Destroying the spool before the devices are detached must not leave
 * their callbacks pointing into freed memory. */
static void test_destroy_before_detach(void **state)
{
	(void)state;
	struct sim_rec_backend pun, rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	punch(&pun, "OPEN");
	add_cards("BOB", "BOB", 'A', 1);
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");
	cp_spool_destroy(F->sp);
	F->sp = make_spool(0);
	uint8_t c[80];
	assert_int_equal(pun.write(pun.ctx, c, 80), -1);
	assert_int_equal(rdr.read(rdr.ctx, c, 80), -2);
	pun.close(pun.ctx);
	rdr.close(rdr.ctx);
}

/* ------------------------------------------------------------------ */
/* Saving and loading                                                  */

static void make_dir(void)
{
	snprintf(F->dir, sizeof F->dir, "/tmp/vmlab-spool-XXXXXX");
	assert_non_null(mkdtemp(F->dir));
}

static void test_save_load(void **state)
{
	(void)state;
	make_dir();
	add_cards("ALICE", "BOB", 'A', 3);                         /* 1 */
	static const uint8_t odd[] = { 'A', '\\', 0x00, '|', 0x0C, 0xFF, ' ', 'Z' };
	const uint8_t *recs[2] = { odd, (const uint8_t *)"" };
	uint16_t lens[2] = { sizeof odd, 0 };
	clear();
	F->secs += 100;
	assert_int_equal(cp_spool_add(F->sp, "CAROL", CP_SPOOL_PRT, "CAROL", CP_SPOOL_PRT,
				      'Z', "weird", "bytes", 2, recs, lens, &F->out), 2);
	add_cards("ALICE", "CAROL", 'B', 1);                       /* 3 */
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR 3 HOLD KEEP COPY 7"), 0);
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 3"), 0);
	cp_spool_set_next_id(F->sp, 42);

	clear();
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	assert_string_equal(said(), "");

	/* The saved form is text a student can read. */
	char path[128];
	snprintf(path, sizeof path, "%s/spool/0002.spf", F->dir);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	char text[2048];
	size_t n = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[n] = 0;
	assert_non_null(strstr(text, "OWNER CAROL\nQUEUE PRT\n"));
	assert_non_null(strstr(text, "NAME WEIRD BYTES\n"));
	assert_non_null(strstr(text, "|A\\x5C\\x00|\\x0C\\xFF Z\n|\n"));

	struct cp_spool *old = F->sp;
	F->sp = make_spool(0);
	clear();
	assert_int_equal(cp_spool_load(F->sp, F->dir, &F->out), 0);
	assert_string_equal(said(), "");
	assert_int_equal(cp_spool_count(F->sp), 3);
	assert_int_equal(cp_spool_next_id(F->sp), 42);
	for (int i = 0; i < 3; i++) {
		const struct cp_spool_file *a = cp_spool_at(old, i), *b = cp_spool_at(F->sp, i);
		assert_int_equal(a->id, b->id);     /* same order, same ids */
		assert_string_equal(a->owner, b->owner);
		assert_string_equal(a->origin, b->origin);
		assert_int_equal(a->queue, b->queue);
		assert_int_equal(a->origtype, b->origtype);
		assert_int_equal(a->cls, b->cls);
		assert_int_equal(a->user_hold, b->user_hold);
		assert_int_equal(a->keep, b->keep);
		assert_int_equal(a->copies, b->copies);
		assert_int_equal(a->created, b->created);
		assert_string_equal(a->fn, b->fn);
		assert_string_equal(a->ft, b->ft);
		assert_string_equal(a->dist, b->dist);
		assert_int_equal(a->nrec, b->nrec);
		for (uint32_t r = 0; r < a->nrec; r++) {
			assert_int_equal(a->rec[r].len, b->rec[r].len);
			if (a->rec[r].len)
				assert_memory_equal(a->rec[r].data, b->rec[r].data,
						    a->rec[r].len);
		}
	}
	assert_int_equal(cp_spool_at(F->sp, 0)->id, 3);
	assert_int_equal(cp_spool_find(F->sp, 3)->copies, 7);
	cp_spool_destroy(old);

	/* Save again after a purge: the purged file's .spf goes away, and
	 * no temporary file is left behind. */
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "RDR 1"), 0);
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	snprintf(path, sizeof path, "%s/spool/0001.spf", F->dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/spool", F->dir);
	DIR *d = opendir(path);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			assert_true(!e->d_name[1] || !strcmp(e->d_name, ".."));
		else
			files++;
	}
	closedir(d);
	assert_int_equal(files, 3);   /* STATE, 0002.spf, 0003.spf */

	/* No spool saved yet: nothing to load, no complaint. */
	struct cp_spool *empty = make_spool(0);
	clear();
	assert_int_equal(cp_spool_load(empty, "/tmp/vmlab-no-such-folder", &F->out), 0);
	assert_string_equal(said(), "");
	cp_spool_destroy(empty);
}

static ino_t inode_of(const char *name)
{
	char path[128];
	struct stat st;
	snprintf(path, sizeof path, "%s/spool/%s", F->dir, name);
	if (stat(path, &st) < 0)
		return 0;
	return st.st_ino;
}

/* A save writes only what changed (each write is a new file renamed into
 * place, so a changed file has a new inode), and the order survives. */
static void test_save_incremental(void **state)
{
	(void)state;
	make_dir();
	add_cards("ALICE", "BOB", 'A', 1);   /* 1 */
	add_cards("ALICE", "BOB", 'A', 1);   /* 2 */
	add_cards("ALICE", "BOB", 'A', 1);   /* 3 */
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	ino_t i1 = inode_of("0001.spf"), i2 = inode_of("0002.spf"), i3 = inode_of("0003.spf");
	ino_t ist = inode_of("STATE");
	assert_true(i1 && i2 && i3 && ist);

	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 3 2"), 0);
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	assert_true(inode_of("0001.spf") == i1);   /* untouched */
	assert_true(inode_of("0002.spf") != i2);
	assert_true(inode_of("0003.spf") != i3);
	assert_true(inode_of("STATE") == ist);     /* no new id since */
	i2 = inode_of("0002.spf");

	/* A file removed behind CP's back is written again. */
	char path[128];
	snprintf(path, sizeof path, "%s/spool/0001.spf", F->dir);
	assert_int_equal(unlink(path), 0);
	add_cards("ALICE", "BOB", 'A', 1);   /* 4: a new id, a new STATE */
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	assert_true(inode_of("0001.spf") != 0);
	assert_true(inode_of("0002.spf") == i2);
	assert_true(inode_of("STATE") != ist);

	/* The order, ORDER included, comes back. */
	struct cp_spool *sp2 = make_spool(0);
	assert_int_equal(cp_spool_load(sp2, F->dir, &F->out), 0);
	struct cp_spool *keep = F->sp;
	F->sp = sp2;
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "3 2 1 4 ");
	/* Loaded files are clean: saving at once writes nothing. */
	i1 = inode_of("0001.spf");
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	assert_true(inode_of("0001.spf") == i1);
	/* ... and new files still go after the loaded ones. */
	add_cards("ALICE", "BOB", 'A', 1);
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "3 2 1 4 5 ");
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 5"), 0);
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	struct cp_spool *sp3 = make_spool(0);
	assert_int_equal(cp_spool_load(sp3, F->dir, &F->out), 0);
	F->sp = sp3;
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "5 3 2 1 4 ");
	cp_spool_destroy(sp2);
	cp_spool_destroy(keep);
}

/* Overwrite part of a saved file. */
static void damage(const char *name, long at, const char *bytes)
{
	char path[128];
	snprintf(path, sizeof path, "%s/spool/%s", F->dir, name);
	FILE *fp = fopen(path, "r+");
	assert_non_null(fp);
	fseek(fp, at, at < 0 ? SEEK_END : SEEK_SET);
	fwrite(bytes, 1, strlen(bytes), fp);
	fclose(fp);
}

static void truncate_file(const char *name, long len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/spool/%s", F->dir, name);
	assert_int_equal(truncate(path, len), 0);
}

static void test_load_damaged(void **state)
{
	(void)state;
	make_dir();
	for (int i = 0; i < 6; i++)
		add_cards("ALICE", "BOB", 'A', 2);
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);

	damage("0002.spf", 120, "X");        /* a flipped byte */
	truncate_file("0003.spf", 19);       /* torn after its first line */
	truncate_file("0005.spf", 60);       /* torn mid-line */
	damage("0004.spf", 0, "JUNK");       /* not ours at all */
	damage("STATE", 0, "garbage");

	struct cp_spool *sp2 = make_spool(0);
	clear();
	int rc = cp_spool_load(sp2, F->dir, &F->out);
	assert_int_equal(rc, CP_SPOOL_EDAMAGED);
	char want[1024];
	snprintf(want, sizeof want,
		 "HCP054E SPOOL FILE %s/spool/0002.spf DAMAGED: CHECKSUM MISMATCH -- NOT LOADED\n"
		 "HCP054E SPOOL FILE %s/spool/0003.spf DAMAGED: NO END LINE (TRUNCATED) -- NOT LOADED\n"
		 "HCP054E SPOOL FILE %s/spool/0004.spf DAMAGED: CHECKSUM MISMATCH -- NOT LOADED\n"
		 "HCP054E SPOOL FILE %s/spool/0005.spf DAMAGED: TRUNCATED -- NOT LOADED\n"
		 "HCP055E SPOOL STATE %s/spool/STATE: DAMAGED, IDS GO ON AFTER THE HIGHEST\n",
		 F->dir, F->dir, F->dir, F->dir, F->dir);
	assert_string_equal(said(), want);
	/* The others are all there, and the damaged ones are kept aside. */
	assert_int_equal(cp_spool_count(sp2), 2);
	assert_non_null(cp_spool_find(sp2, 1));
	assert_non_null(cp_spool_find(sp2, 6));
	assert_int_equal(cp_spool_find(sp2, 6)->nrec, 2);
	assert_int_equal(cp_spool_next_id(sp2), 7);
	char path[128];
	snprintf(path, sizeof path, "%s/spool/0002.spf.damaged", F->dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/spool/0002.spf", F->dir);
	assert_int_equal(access(path, F_OK), -1);

	/* Loading again: the damaged files are no longer read. */
	struct cp_spool *sp3 = make_spool(0);
	cp_spool_destroy(sp2);
	assert_int_equal(cp_spool_save(sp3, F->dir, &F->out), 0);   /* nothing to save */
	clear();
	/* ... the empty save removed 0001 and 0006 (they are not in sp3): */
	assert_int_equal(cp_spool_load(sp3, F->dir, &F->out), 0);
	assert_int_equal(cp_spool_count(sp3), 0);
	cp_spool_destroy(sp3);

	/* Loading into a spool that already has that id. */
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	struct cp_spool *sp4 = make_spool(0);
	add_cards("ALICE", "BOB", 'A', 1);   /* into F->sp: id 7 */
	clear();
	assert_int_equal(cp_spool_add(sp4, "BOB", CP_SPOOL_RDR, "BOB", CP_SPOOL_PUN, 'A',
				      NULL, NULL, 0, NULL, NULL, &F->out), 1);
	assert_int_equal(cp_spool_load(sp4, F->dir, &F->out), CP_SPOOL_EDAMAGED);
	snprintf(want, sizeof want,
		 "HCP054E SPOOL FILE %s/spool/0001.spf DAMAGED: SPOOLID 0001 IN USE -- NOT LOADED\n",
		 F->dir);
	assert_string_equal(said(), want);
	assert_int_equal(cp_spool_count(sp4), 6);
	cp_spool_destroy(sp4);
}

/* Write a hand-made spool file: body, then the END line with a correct
 * FNV-1a 64 checksum, so that the loader gets past the checksum and must
 * find what is wrong inside. */
static void write_spf(const char *name, const char *body, unsigned endrecs)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *p = body; *p; p++) {
		h ^= (uint8_t)*p;
		h *= 0x100000001b3ull;
	}
	char path[128];
	snprintf(path, sizeof path, "%s/spool/%s", F->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%sEND %u %016llx\n", body, endrecs, (unsigned long long)h);
	fclose(fp);
}

#define HDR(id, rest) "VMLAB-SPOOL-FILE 1\nID " id "\nSEQ 0\nOWNER ALICE\n" rest
#define MID "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS A\nHOLD NONE\nKEEP 0\n" \
	"COPY 1\nCREATED 5\nNAME\nDIST BOB\n"

static void test_load_each_damage(void **state)
{
	(void)state;
	static const struct { const char *body; unsigned endrecs; const char *why; } cases[] = {
		{ HDR("1", MID "RECORDS 1\n|A\n"), 1, NULL },   /* a good one */
		{ "VMLAB-SPOOL-FILE 2\n", 0, "UNKNOWN FORMAT VERSION" },
		{ "SOMETHING ELSE\n", 0, "LINE 1: VMLAB-SPOOL-FILE EXPECTED" },
		{ HDR("77", MID "RECORDS 0\n"), 0, "ID 77 IN FILE 0004" },
		{ HDR("5", "QUEUE TAPE\n"), 0, "LINE 5: BAD VALUE" },
		{ HDR("6", "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS a1\n"), 0,
		  "LINE 8: BAD VALUE" },
		{ HDR("7", "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS A\nHOLD MAYBE\n"), 0,
		  "LINE 9: BAD VALUE" },
		{ HDR("8", "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS A\nHOLD NONE\nKEEP 2\n"),
		  0, "LINE 10: BAD KEEP" },
		{ HDR("9", "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS A\nHOLD NONE\nKEEP 0\n"
		      "COPY 0\n"), 0, "LINE 11: BAD VALUE" },
		{ HDR("10", MID "RECORDS 2\n|A\n"), 2, "ONLY 1 OF 2 RECORDS" },
		{ HDR("11", MID "RECORDS 1\n|A\n"), 2, "RECORDS 1 BUT END 2" },
		{ HDR("12", MID "RECORDS 1\nA\n"), 1, "LINE 16: RECORD EXPECTED" },
		{ HDR("13", MID "RECORDS 1\n|A\\x4\n"), 1, "LINE 16: BAD ESCAPE" },
		{ HDR("14", MID "RECORDS 1\n|A\nMORE\n"), 1, "LINE 17: EXTRA DATA" },
		{ HDR("15", "QUEUE RDR\nORIGIN BOB\nORIGTYPE PUN\nCLASS A\nHOLD NONE\nKEEP 0\n"
		      "COPY 1\nCREATED 5\nNAME TOOLONGNAME\n"), 0, "LINE 13: BAD VALUE" },
		{ HDR("16", "QUEUE RDR\n"), 0, "ENDS BEFORE ORIGIN" },
	};
	make_dir();
	char sub[128];
	snprintf(sub, sizeof sub, "%s/spool", F->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	/* A save killed before its rename leaves a temporary file: loading
	 * ignores it, the next save removes it. */
	write_spf(".0002.spf.tmp", "half", 0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[16];
		snprintf(name, sizeof name, "%04zu.spf", i + 1);
		write_spf(name, cases[i].body, cases[i].endrecs);
	}
	clear();
	assert_int_equal(cp_spool_load(F->sp, F->dir, &F->out), CP_SPOOL_EDAMAGED);
	/* One message a damaged file, in file-name order. */
	const char *p = said();
	for (size_t i = 1; i < sizeof cases / sizeof *cases; i++) {
		char want[256];
		snprintf(want, sizeof want, "HCP054E SPOOL FILE %s/spool/%04zu.spf DAMAGED: %s"
			 " -- NOT LOADED\n", F->dir, i + 1,
			 cases[i].why);
		if (strncmp(p, want, strlen(want)))
			fail_msg("case %zu: got \"%.*s\" want \"%s\"", i,
				 (int)strcspn(p, "\n"), p, want);
		p += strlen(want);
	}
	assert_string_equal(p, "");
	assert_int_equal(cp_spool_count(F->sp), 1);
	assert_int_equal(cp_spool_find(F->sp, 1)->created, 5);
	assert_int_equal(cp_spool_next_id(F->sp), 2);   /* no STATE: after the highest */

	char path[160];
	snprintf(path, sizeof path, "%s/.0002.spf.tmp", sub);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(cp_spool_save(F->sp, F->dir, &F->out), 0);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/0002.spf.damaged", sub);
	assert_int_equal(access(path, F_OK), 0);   /* kept aside, untouched */
}

/* A user who left the directory but still owns files (from an older
 * state folder): the spooling operator can still see and purge them. */
static void test_orphaned_owner(void **state)
{
	(void)state;
	make_dir();
	char sub[128];
	snprintf(sub, sizeof sub, "%s/spool", F->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_spf("0001.spf", "VMLAB-SPOOL-FILE 1\nID 1\nSEQ 0\nOWNER GHOST\n" MID
		  "RECORDS 0\n", 0);
	write_spf("0002.spf", "VMLAB-SPOOL-FILE 1\nID 2\nSEQ 1\nOWNER GHOST\n" MID
		  "RECORDS 0\n", 0);
	assert_int_equal(cp_spool_load(F->sp, F->dir, &F->out), 0);
	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "RDR GHOST"),
			 CP_SPOOL_ENOUSER);
	assert_int_equal(cmd(cp_spool_cmd_query, "OPERATOR", true, "RDR GHOST"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0001 A PUN 00000000 001 NONE\n"
		"BOB      0002 A PUN 00000000 001 NONE\n");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "OPERATOR", true, "RDR 1 FROM GHOST"), 0);
	assert_string_equal(ids_in("OPERATOR", CP_SPOOL_RDR), "1 ");
	assert_int_equal(cmd(cp_spool_cmd_transfer, "OPERATOR", true, "RDR 1 TO GHOST"),
			 CP_SPOOL_ENOUSER);   /* but nothing new goes to GHOST */
	assert_int_equal(cmd(cp_spool_cmd_purge, "ALICE", false, "GHOST RDR ALL"),
			 CP_SPOOL_ENOUSER);
	assert_int_equal(cmd(cp_spool_cmd_purge, "OPERATOR", true, "GHOST RDR ALL"), 0);
	assert_string_equal(said(), "0001 FILE PURGED\n");
	assert_int_equal(cp_spool_count(F->sp), 1);
}

static void test_save_error(void **state)
{
	(void)state;
	add_cards("ALICE", "BOB", 'A', 1);
	clear();
	assert_int_equal(cp_spool_save(F->sp, "/proc/no/such/place", &F->out),
			 CP_SPOOL_ESTATE);
	assert_non_null(strstr(said(), "HCP055E SPOOL STATE /proc/no/such/place: "));
}

/* ------------------------------------------------------------------ */
/* Every error message                                                 */

struct errcase {
	cmd_fn fn;
	const char *user;
	bool priv;
	const char *operands;
	int rc;
	const char *text;
};

static void test_error_messages(void **state)
{
	(void)state;
	struct sim_rec_backend rdr, pun, prt;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00E, CP_SPOOL_PRT, 0, &prt,
					     &F->out), 0);
	add_cards("ALICE", "BOB", 'A', 1);     /* 1, ALICE's */
	add_cards("BOB", "BOB", 'A', 1);       /* 2, BOB's */

	static const struct errcase cases[] = {
		/* SPOOL */
		{ cp_spool_cmd_spool, "ALICE", 0, "", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "TAPE CLASS A", 6, "HCP006E INVALID DEVICE TYPE - TAPE" },
		{ cp_spool_cmd_spool, "ALICE", 0, "00F CLASS A", 40, "HCP040E DEVICE 00F DOES NOT EXIST" },
		{ cp_spool_cmd_spool, "BOB", 0, "PRT CLASS A", 40, "HCP040E DEVICE PRT DOES NOT EXIST" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CLASS", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CLASS *", 24, "HCP024E INVALID CLASS - *" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CLASS AB", 24, "HCP024E INVALID CLASS - AB" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CLASS A CLASS B", 13, "HCP013E CONFLICTING OPTION - CLASS" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN HOLD NOHOLD", 13, "HCP013E CONFLICTING OPTION - NOHOLD" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CONT NOCONT", 13, "HCP013E CONFLICTING OPTION - NOCONT" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN KEEP NOKEEP", 13, "HCP013E CONFLICTING OPTION - NOKEEP" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN TO", 20, "HCP020E USERID MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN TO TOOLONGNAME", 20, "HCP020E USERID MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN TO ZED", 53, "HCP053E ZED NOT IN CP DIRECTORY" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN TO BOB OFF", 13, "HCP013E CONFLICTING OPTION - OFF" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN COPY 0", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN COPY 2 COPY 3", 13, "HCP013E CONFLICTING OPTION - COPY" },
		{ cp_spool_cmd_spool, "ALICE", 0, "RDR TO BOB", 3, "HCP003E INVALID OPTION - TO" },
		{ cp_spool_cmd_spool, "ALICE", 0, "RDR COPY 2", 3, "HCP003E INVALID OPTION - COPY" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN FAST", 3, "HCP003E INVALID OPTION - FAST" },
		{ cp_spool_cmd_spool, "ALICE", 0, "PUN CLOSE CLOSE", 13, "HCP013E CONFLICTING OPTION - CLOSE" },
		{ cp_spool_cmd_spool, "bad id!", 0, "PUN HOLD", 20, "HCP020E USERID MISSING OR INVALID" },
		/* CLOSE */
		{ cp_spool_cmd_close, "ALICE", 0, "", 22, "HCP022E VIRTUAL DEVICE ADDRESS MISSING OR INVALID" },
		{ cp_spool_cmd_close, "ALICE", 0, "123", 40, "HCP040E DEVICE 123 DOES NOT EXIST" },
		{ cp_spool_cmd_close, "ALICE", 0, "XYZZY", 6, "HCP006E INVALID DEVICE TYPE - XYZZY" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D NAME", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D NAME LONGERTHAN8", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D NAME A B NAME C D", 13, "HCP013E CONFLICTING OPTION - NAME" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D PURGE HOLD", 13, "HCP013E CONFLICTING OPTION - PURGE" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D HOLD HOLD", 13, "HCP013E CONFLICTING OPTION - HOLD" },
		{ cp_spool_cmd_close, "ALICE", 0, "00C NAME A B", 3, "HCP003E INVALID OPTION - NAME" },
		{ cp_spool_cmd_close, "ALICE", 0, "00D SOON", 3, "HCP003E INVALID OPTION - SOON" },
		/* TRANSFER */
		{ cp_spool_cmd_transfer, "ALICE", 0, "", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 0 TO BOB", 8, "HCP008E INVALID SPOOLID - 0" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 10000 TO BOB", 8, "HCP008E INVALID SPOOLID - 10000" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR X1 TO BOB", 8, "HCP008E INVALID SPOOLID - X1" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR CLASS TO BOB", 24, "HCP024E INVALID CLASS - TO" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR CLASS", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1 AT BOB", 3, "HCP003E INVALID OPTION - AT" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1 TO", 20, "HCP020E USERID MISSING OR INVALID" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1 TO NOBODY", 53, "HCP053E NOBODY NOT IN CP DIRECTORY" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1 TO BOB TAPE", 6, "HCP006E INVALID DEVICE TYPE - TAPE" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 1 TO BOB RDR EXTRA", 3, "HCP003E INVALID OPTION - EXTRA" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 9 TO BOB", 42, "HCP042E SPOOLID 0009 DOES NOT EXIST" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "PRT 1 TO BOB", 42, "HCP042E SPOOLID 0001 DOES NOT EXIST" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 2 TO CAROL", 42, "HCP042E SPOOLID 0002 DOES NOT EXIST" },
		{ cp_spool_cmd_transfer, "ALICE", 0, "RDR 2 FROM BOB", 46, "HCP046E FILE 0002 IS OWNED BY BOB - CLASS D REQUIRED" },
		/* PURGE */
		{ cp_spool_cmd_purge, "ALICE", 0, "", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_purge, "ALICE", 0, "RDR", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_purge, "ALICE", 0, "TAPE 1", 6, "HCP006E INVALID DEVICE TYPE - 1" },
		{ cp_spool_cmd_purge, "ALICE", 0, "TAPE", 6, "HCP006E INVALID DEVICE TYPE - TAPE" },
		{ cp_spool_cmd_purge, "ALICE", 0, "NOBODY RDR ALL", 53, "HCP053E NOBODY NOT IN CP DIRECTORY" },
		{ cp_spool_cmd_purge, "ALICE", 0, "BOB RDR 2", 47, "HCP047E BOB RDR QUEUE - CLASS D REQUIRED" },
		{ cp_spool_cmd_purge, "ALICE", 0, "RDR 99999", 8, "HCP008E INVALID SPOOLID - 99999" },
		{ cp_spool_cmd_purge, "ALICE", 0, "RDR CLASS ?", 24, "HCP024E INVALID CLASS - ?" },
		{ cp_spool_cmd_purge, "ALICE", 0, "RDR 2", 42, "HCP042E SPOOLID 0002 DOES NOT EXIST" },
		{ cp_spool_cmd_purge, "OPERATOR", 1, "RDR 2", 42, "HCP042E SPOOLID 0002 DOES NOT EXIST" },
		/* QUERY */
		{ cp_spool_cmd_query, "ALICE", 0, "", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_query, "ALICE", 0, "TAPES", 3, "HCP003E INVALID OPTION - TAPES" },
		{ cp_spool_cmd_query, "ALICE", 0, "RDR ALL ALL", 13, "HCP013E CONFLICTING OPTION - ALL" },
		{ cp_spool_cmd_query, "ALICE", 0, "RDR * BOB", 3, "HCP003E INVALID OPTION - BOB" },
		{ cp_spool_cmd_query, "ALICE", 0, "RDR NOBODY", 53, "HCP053E NOBODY NOT IN CP DIRECTORY" },
		{ cp_spool_cmd_query, "ALICE", 0, "RDR BOB", 47, "HCP047E BOB RDR QUEUE - CLASS D REQUIRED" },
		{ cp_spool_cmd_query, "ALICE", 0, "FILES BOB", 47, "HCP047E BOB FILES - CLASS D REQUIRED" },
		{ cp_spool_cmd_query, "ALICE", 0, "FILES BOB X", 3, "HCP003E INVALID OPTION - X" },
		/* ORDER */
		{ cp_spool_cmd_order, "ALICE", 0, "", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_order, "ALICE", 0, "TAPE 1", 6, "HCP006E INVALID DEVICE TYPE - TAPE" },
		{ cp_spool_cmd_order, "ALICE", 0, "RDR", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_order, "ALICE", 0, "RDR ONE", 8, "HCP008E INVALID SPOOLID - ONE" },
		{ cp_spool_cmd_order, "ALICE", 0, "NOBODY RDR 1", 53, "HCP053E NOBODY NOT IN CP DIRECTORY" },
		/* CHANGE */
		{ cp_spool_cmd_change, "ALICE", 0, "", 6, "HCP006E INVALID DEVICE TYPE - " },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 CLASS !", 24, "HCP024E INVALID CLASS - !" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 CLASS A CLASS B", 13, "HCP013E CONFLICTING OPTION - CLASS" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 COPY 100", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 NAME A", 26, "HCP026E OPERAND MISSING OR INVALID" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 COLOUR RED", 3, "HCP003E INVALID OPTION - COLOUR" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 1 HOLD NOHOLD", 13, "HCP013E CONFLICTING OPTION - NOHOLD" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 7 HOLD", 42, "HCP042E SPOOLID 0007 DOES NOT EXIST" },
		{ cp_spool_cmd_change, "ALICE", 0, "RDR 2 HOLD", 46, "HCP046E FILE 0002 IS OWNED BY BOB - CLASS D REQUIRED" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct errcase *c = &cases[i];
		int rc = cmd(c->fn, c->user, c->priv, c->operands);
		char want[160];
		snprintf(want, sizeof want, "%s\n", c->text);
		if (rc != c->rc || strcmp(said(), want))
			fail_msg("case %zu \"%s\": rc %d, said \"%s\"; want %d \"%s\"", i,
				 c->operands, rc, said(), c->rc, c->text);
	}
	/* ... and none of them changed anything. */
	assert_int_equal(cp_spool_count(F->sp), 2);
	const struct cp_spool_file *f = cp_spool_find(F->sp, 1);
	assert_string_equal(f->owner, "ALICE");
	assert_int_equal(f->cls, 'A');
	assert_false(f->user_hold);
	assert_string_equal(cp_spool_find(F->sp, 2)->owner, "BOB");
	clear();
	assert_int_equal(cp_spool_dev_describe(F->sp, "ALICE", 0x00D, &F->out), 0);
	assert_string_equal(said(), "PUN 00D CL A NOCONT NOHOLD COPY 01 NOKEEP\n");

	/* Attaching: a class, an address twice, a bad user. */
	struct sim_rec_backend x;
	clear();
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &x,
					     &F->out), CP_SPOOL_EDEFINED);
	assert_string_equal(said(), "HCP036E VADDR 00C ALREADY DEFINED\n");
	clear();
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x01D, CP_SPOOL_PUN, '*', &x,
					     &F->out), CP_SPOOL_ECLASS);
	assert_string_equal(said(), "HCP024E INVALID CLASS - *\n");
	clear();
	assert_int_equal(cp_spool_dev_attach(F->sp, "", 0x01D, CP_SPOOL_PUN, 0, &x,
					     &F->out), CP_SPOOL_EUSERID);
	clear();
	assert_int_equal(cp_spool_close(F->sp, "ALICE", 0x123, &F->out), CP_SPOOL_ENODEV);
	assert_string_equal(said(), "HCP040E DEVICE 123 DOES NOT EXIST\n");
	clear();
	assert_int_equal(cp_spool_add(F->sp, "NOBODY", CP_SPOOL_RDR, NULL, CP_SPOOL_PUN, 'A',
				      NULL, NULL, 0, NULL, NULL, &F->out), -CP_SPOOL_ENOUSER);
	assert_string_equal(said(), "HCP053E NOBODY NOT IN CP DIRECTORY\n");
	clear();
	assert_int_equal(cp_spool_add(F->sp, "BOB", CP_SPOOL_RDR, NULL, CP_SPOOL_PUN, '%',
				      NULL, NULL, 0, NULL, NULL, &F->out), -CP_SPOOL_ECLASS);
	assert_string_equal(said(), "HCP024E INVALID CLASS - %\n");

	rdr.close(rdr.ctx);
	pun.close(pun.ctx);
	prt.close(prt.ctx);
}

static void test_change(void **state)
{
	(void)state;
	struct sim_rec_backend rdr;
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	add_cards("ALICE", "BOB", 'A', 1);   /* 1 */
	add_cards("ALICE", "BOB", 'A', 1);   /* 2 */
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false,
			     "RDR CLASS A CLASS C NAME MY DECK"), 0);
	assert_string_equal(said(), "0002 FILES CHANGED\n");
	assert_int_equal(cp_spool_find(F->sp, 2)->cls, 'C');
	assert_string_equal(cp_spool_find(F->sp, 2)->fn, "MY");
	assert_string_equal(cp_spool_find(F->sp, 2)->ft, "DECK");
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR CLASS A HOLD"), 0);
	assert_string_equal(said(), "NO FILES CHANGED\n");

	/* The operator holds file 1: a system hold ALICE cannot release. */
	assert_int_equal(cmd(cp_spool_cmd_change, "OPERATOR", true, "RDR 1 HOLD"), 0);
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR 1 HOLD"), 0);
	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "RDR"), 0);
	assert_string_equal(said(),
		"ORIGINID FILE CLASS RECORDS  CPY HOLD\n"
		"BOB      0001 C PUN 00000001 001 USYS\n"
		"BOB      0002 C PUN 00000001 001 NONE\n");
	assert_int_equal(cmd(cp_spool_cmd_change, "ALICE", false, "RDR ALL NOHOLD"), 0);
	assert_int_equal(cmd(cp_spool_cmd_query, "ALICE", false, "RDR"), 0);
	assert_non_null(strstr(said(), "BOB      0001 C PUN 00000001 001 SYS\n"));
	assert_int_equal(cmd(cp_spool_cmd_spool, "ALICE", false, "RDR CLASS C CONT"), 0);
	clear();
	assert_int_equal(cp_spool_dev_describe(F->sp, "ALICE", 0x00C, &F->out), 0);
	assert_string_equal(said(), "RDR 00C CL C CONT NOHOLD NOKEEP\n");
	assert_string_equal(read_card(&rdr), "BOB A CARD 1");   /* file 2 */
	assert_null(read_card(&rdr));
	assert_int_equal(cmd(cp_spool_cmd_change, "OPERATOR", true, "RDR 1 NOHOLD"), 0);

	/* The reader is detached half-way: the file stays, whole. */
	add_cards("ALICE", "CAROL", 'C', 2);   /* 3 */
	assert_int_equal(cmd(cp_spool_cmd_order, "ALICE", false, "RDR 3"), 0);
	assert_string_equal(read_card(&rdr), "CAROL C CARD 1");
	rdr.close(rdr.ctx);
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "3 1 ");
	assert_null(cp_spool_find(F->sp, 3)->reading);
	assert_int_equal(cp_spool_dev_attach(F->sp, "ALICE", 0x00C, CP_SPOOL_RDR, 0, &rdr,
					     &F->out), 0);
	assert_string_equal(read_card(&rdr), "CAROL C CARD 1");
	assert_int_equal(cp_spool_close(F->sp, "ALICE", -1, &F->out), 0);   /* LOGOFF */
	assert_string_equal(ids_in("ALICE", CP_SPOOL_RDR), "1 ");
	rdr.close(rdr.ctx);

	/* A big file: the record count is shown in thousands. */
	static const uint8_t blank[1] = { ' ' };
	const uint8_t **recs = calloc(12345, sizeof *recs);
	uint16_t *lens = calloc(12345, sizeof *lens);
	for (int i = 0; i < 12345; i++) {
		recs[i] = blank;
		lens[i] = 1;
	}
	clear();
	int id = cp_spool_add(F->sp, "BOB", CP_SPOOL_PUN, "BOB", CP_SPOOL_PUN, 'A', NULL,
			      NULL, 12345, recs, lens, &F->out);
	free(recs);
	free(lens);
	assert_int_equal(id, 4);
	assert_int_equal(cmd(cp_spool_cmd_transfer, "BOB", false, "PUN 4 TO ALICE"), 0);
	assert_string_equal(said(),
		"PUN FILE 0004 SENT TO ALICE RDR AS 0004 RECS 012K CPY 001 A NOHOLD NOKEEP\n");
	/* The operator purges all of ALICE's files. */
	assert_int_equal(cmd(cp_spool_cmd_purge, "OPERATOR", true, "ALICE ALL"), 0);
	assert_string_equal(said(), "0002 FILES PURGED\n");
	assert_int_equal(cp_spool_count(F->sp), 0);
}

/* Abbreviations as VM/370 allows them, and lower case. */
static void test_abbreviations(void **state)
{
	(void)state;
	struct sim_rec_backend pun;
	assert_int_equal(cp_spool_dev_attach(F->sp, "BOB", 0x00D, CP_SPOOL_PUN, 0, &pun,
					     &F->out), 0);
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "pu cl c ho to alice"), 0);
	clear();
	cp_spool_dev_describe(F->sp, "BOB", 0x00D, &F->out);
	assert_string_equal(said(), "PUN 00D CL C NOCONT HOLD COPY 01 NOKEEP TO ALICE\n");
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "PCH OFF NOHO"), 0);
	clear();
	cp_spool_dev_describe(F->sp, "BOB", 0x00D, &F->out);
	assert_string_equal(said(), "PUN 00D CL C NOCONT NOHOLD COPY 01 NOKEEP\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "r"), 0);
	assert_string_equal(said(), "NO RDR FILES\n");
	assert_int_equal(cmd(cp_spool_cmd_query, "BOB", false, "p"), 0);
	assert_string_equal(said(), "NO PRT FILES\n");
	assert_int_equal(cmd(cp_spool_cmd_spool, "BOB", false, "d close"), 0);
	pun.close(pun.ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_punch_to_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_through_the_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_class, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cont, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printer_queue_and_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transfer_while_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_wrapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_before_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_each_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphaned_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abbreviations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
