/*
 * tests/unit/test_minidisk.c -- LINK, DETACH and the sharing rules
 * (cp/minidisk.c).
 *
 * The heart is test_mode_matrix: every access mode asked for, against
 * every kind of link other users already hold, checked against the table
 * in cp/minidisk.h.  The rest checks what a person sees (the HCP
 * messages), that a refused LINK changes nothing, LOGON and LOGOFF, and
 * that a granted link is a real disk device: a guest channel program
 * writes through a R/W link, reads through another user's R/O link, and
 * is rejected when it tries to write through the R/O one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp/directory.h"
#include "cp/minidisk.h"
#include "sim/io.h"
#include "sim/sim.h"

/* MAINT owns 190 (MR) and 191 (W); everyone else owns a 191. */
static const char dir_yaml[] =
	"users:\n"
	"  - id: MAINT\n    storage: 1M\n"
	"    mdisks:\n"
	"      - { addr: 190, file: pack.img, start: 0, blocks: 16, mode: MR }\n"
	"      - { addr: 191, file: pack.img, start: 16, blocks: 8, mode: W }\n"
	"  - id: ALICE\n    storage: 1M\n"
	"    mdisks: [ { addr: 191, file: alice.img, blocks: 8 } ]\n"
	"    links: [ { user: MAINT, addr: 190, as: 190, mode: RR } ]\n"
	"  - id: BOB\n    storage: 1M\n"
	"    mdisks: [ { addr: 191, file: bob.img, blocks: 8 } ]\n"
	"    links: [ { user: MAINT, addr: 190, as: 190, mode: RR } ]\n"
	"  - { id: CAROL, storage: 1M }\n"
	"  - { id: DAVE, storage: 1M }\n"
	"  - { id: ERIN, storage: 1M }\n";

struct fix {
	char tmp[128];
	struct cp_directory dir;
	struct cp_mdisk_table t;
	char msg[512];
	bool ro;
};
static struct fix *F;

static int setup(void **state)
{
	char err[256];
	F = calloc(1, sizeof *F);
	snprintf(F->tmp, sizeof F->tmp, "/tmp/vmlab_test_minidisk.XXXXXX");
	assert_non_null(mkdtemp(F->tmp));
	assert_int_equal(cp_directory_parse(dir_yaml, strlen(dir_yaml), "t.yaml",
					    F->tmp, &F->dir, err, sizeof err), 0);
	assert_int_equal(cp_directory_make_disks(&F->dir, err, sizeof err), 0);
	cp_mdisk_table_init(&F->t, &F->dir);
	*state = F;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_mdisk_table_free(&F->t);
	DIR *d = opendir(F->tmp);
	struct dirent *e;
	char p[400];
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof p, "%s/%s", F->tmp, e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(F->tmp);
	cp_directory_free(&F->dir);
	free(F);
	return 0;
}

/* LINK owner 191 as vaddr, bookkeeping only. */
static int link_(const char *owner, unsigned addr, const char *user,
		 unsigned vaddr, const char *mode)
{
	F->ro = false;
	return cp_mdisk_link(&F->t, owner, (uint16_t)addr, user, NULL,
			     (uint16_t)vaddr, mode, &F->ro, F->msg, sizeof F->msg);
}

static int holders(const char *owner, unsigned addr)
{
	int r, w;
	cp_mdisk_count(&F->t, owner, (uint16_t)addr, NULL, &r, &w);
	return r + w;
}

/* ------------------------------------------------------------------ */
/* The sharing rules                                                   */

enum { NONE, READER, WRITER, BOTH, NSTATES };
enum { NO, RO, RW };     /* the outcome */

/*
 * Outcome of each mode (rows) against what others hold (columns):
 * the table in cp/minidisk.h, written out once more by hand.
 */
static const struct {
	const char *mode;
	int result[NSTATES];
} matrix[] = {
	/*           nobody  readers writers both */
	{ "R",  { RO, RO, NO, NO } },
	{ "RR", { RO, RO, RO, RO } },
	{ "W",  { RW, NO, NO, NO } },
	{ "WR", { RW, RO, RO, RO } },
	{ "M",  { RW, RW, NO, NO } },
	{ "MR", { RW, RW, RO, RO } },
	{ "MW", { RW, RW, RW, RW } },
};

static void test_mode_matrix(void **state)
{
	(void)state;
	for (size_t m = 0; m < sizeof matrix / sizeof matrix[0]; m++)
		for (int s = 0; s < NSTATES; s++) {
			cp_mdisk_table_free(&F->t);
			cp_mdisk_table_init(&F->t, &F->dir);
			/* Others take MAINT 191: BOB reads (RR works always),
			 * CAROL writes (MW works always). */
			if (s == READER || s == BOTH)
				assert_int_equal(link_("MAINT", 0x191, "BOB", 0x200, "RR"), 0);
			if (s == WRITER || s == BOTH) {
				assert_int_equal(link_("MAINT", 0x191, "CAROL", 0x200, "MW"), 0);
				assert_false(F->ro);
			}
			int before = holders("MAINT", 0x191);
			int rc = link_("MAINT", 0x191, "ALICE", 0x291, matrix[m].mode);
			int want = matrix[m].result[s];
			if ((want == NO) != (rc != 0) ||
			    (want != NO && F->ro != (want == RO))) {
				print_error("mode %s, state %d: rc %d ro %d msg '%s'\n",
					    matrix[m].mode, s, rc, F->ro, F->msg);
				fail();
			}
			if (want == NO) {
				assert_int_equal(rc, -EBUSY);
				assert_non_null(strstr(F->msg, "HCPLNK104E MAINT 191 not linked; "));
				assert_int_equal(holders("MAINT", 0x191), before);
			} else {
				assert_int_equal(holders("MAINT", 0x191), before + 1);
				const struct cp_mdisk_holder *h =
					cp_mdisk_find_link(&F->t, "ALICE", 0x291, NULL);
				assert_non_null(h);
				assert_int_equal(h->write, want == RW);
			}
			/* A write mode that ended read-only is announced. */
			bool forced = want == RO && matrix[m].mode[0] != 'R';
			if (forced)
				assert_non_null(strstr(F->msg, "HCPLNK101W DASD 291 forced R/O; "));
			else if (want != NO)
				assert_string_equal(F->msg, "");
		}
}

/*
 * Every pair of modes: BOB links first with mode A (on a disk nobody
 * holds: always granted), then ALICE with mode B.  What ALICE gets
 * depends only on what BOB got, read-only or read/write -- not on the
 * mode he asked for.  Then BOB detaches and ALICE's link is unchanged
 * (a detach never upgrades or breaks anyone else's link).
 */
static void test_mode_pairs(void **state)
{
	(void)state;
	for (int a = 0; a < 7; a++)
		for (int b = 0; b < 7; b++) {
			cp_mdisk_table_free(&F->t);
			cp_mdisk_table_init(&F->t, &F->dir);
			assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291,
					       matrix[a].mode), 0);
			int got_a = F->ro ? RO : RW;
			assert_int_equal(got_a, matrix[a].result[NONE]);
			int want = matrix[b].result[got_a == RO ? READER : WRITER];
			int rc = link_("MAINT", 0x191, "ALICE", 0x291, matrix[b].mode);
			if ((want == NO) != (rc != 0) ||
			    (want != NO && F->ro != (want == RO))) {
				print_error("BOB %s then ALICE %s: rc %d ro %d msg '%s'\n",
					    matrix[a].mode, matrix[b].mode, rc, F->ro, F->msg);
				fail();
			}
			assert_int_equal(cp_mdisk_detach(&F->t, "BOB", NULL, 0x291,
							 F->msg, sizeof F->msg), 0);
			const struct cp_mdisk_holder *h =
				cp_mdisk_find_link(&F->t, "ALICE", 0x291, NULL);
			if (want == NO) {
				assert_null(h);
				assert_int_equal(F->t.next, 0);
			} else {
				assert_non_null(h);
				assert_int_equal(h->write, want == RW);
				assert_int_equal(holders("MAINT", 0x191), 1);
			}
		}
}

/* One user's own links never block each other. */
static void test_own_links_do_not_conflict(void **state)
{
	(void)state;
	assert_int_equal(link_("ALICE", 0x191, "ALICE", 0x191, "W"), 0);
	assert_false(F->ro);
	assert_int_equal(link_("ALICE", 0x191, "ALICE", 0x192, "W"), 0);
	assert_false(F->ro);
	/* ... but they do block others. */
	assert_int_equal(link_("ALICE", 0x191, "BOB", 0x291, "R"), -EBUSY);
	assert_string_equal(F->msg, "HCPLNK104E ALICE 191 not linked; R/W by ALICE");
}

static void test_default_modes(void **state)
{
	(void)state;
	/* Another user's minidisk: R. */
	assert_int_equal(link_("MAINT", 0x191, "ALICE", 0x291, NULL), 0);
	assert_true(F->ro);
	assert_int_equal(cp_mdisk_find_link(&F->t, "ALICE", 0x291, NULL)->mode, CP_LINK_R);
	/* One's own: the MDISK statement's mode (W), refused here because
	 * ALICE reads it. */
	assert_int_equal(link_("MAINT", 0x191, "MAINT", 0x191, ""), -EBUSY);
	assert_string_equal(F->msg, "HCPLNK104E MAINT 191 not linked; R/O by 1 user");
	/* MAINT 190 is MR: write, since nobody else writes. */
	assert_int_equal(link_("MAINT", 0x190, "MAINT", 0x190, NULL), 0);
	assert_false(F->ro);
}

static void test_messages(void **state)
{
	(void)state;
	assert_int_equal(link_("MAINT", 0x191, "ALICE", 0x291, "MW"), 0);
	assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291, "W"), -EBUSY);
	assert_string_equal(F->msg, "HCPLNK104E MAINT 191 not linked; R/W by ALICE");
	assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291, "MW"), 0);
	assert_int_equal(link_("MAINT", 0x191, "CAROL", 0x291, "RR"), 0);
	assert_int_equal(link_("MAINT", 0x191, "DAVE", 0x291, "RR"), 0);
	assert_int_equal(link_("MAINT", 0x191, "ERIN", 0x291, "M"), -EBUSY);
	assert_string_equal(F->msg,
		"HCPLNK104E MAINT 191 not linked; R/W by 2 users; R/O by 2 users");
	assert_int_equal(link_("MAINT", 0x191, "ERIN", 0x391, "wr"), 0);
	assert_true(F->ro);
	assert_string_equal(F->msg,
		"HCPLNK101W DASD 391 forced R/O; R/W by 2 users; R/O by 2 users");

	char q[256];
	size_t n = cp_mdisk_query_links(&F->t, "maint", 0x191, q, sizeof q);
	assert_int_equal(n, strlen(q));
	assert_string_equal(q, "MAINT 191 linked by ALICE 291 R/W, BOB 291 R/W, "
			       "CAROL 291 R/O, DAVE 291 R/O, ERIN 391 R/O");
	cp_mdisk_query_links(&F->t, "MAINT", 0x190, q, sizeof q);
	assert_string_equal(q, "MAINT 190 not linked");
	/* Truncation is safe and reports the full length. */
	char small[8];
	assert_int_equal(cp_mdisk_query_links(&F->t, "MAINT", 0x191, small,
					      sizeof small), n);
	assert_string_equal(small, "MAINT 1");
}

/* MDISK passwords: own disks need none, ALL needs none, others must match. */
static void test_passwords(void **state)
{
	(void)state;
	struct cp_mdisk_def d = { .addr = 0x191 };
	strcpy(d.readpw, "ALL");
	strcpy(d.writepw, "SECRET");
	char m[128];

	/* The owner never needs one, whatever the mode. */
	for (int i = 0; i < CP_LINK_MODE_COUNT; i++)
		assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "alice", i, NULL,
							 m, sizeof m), CP_MDISK_PW_OK);
	/* Read: ALL. */
	assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "BOB", CP_LINK_RR, NULL,
						 m, sizeof m), CP_MDISK_PW_OK);
	assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "BOB", CP_LINK_R, "x",
						 m, sizeof m), CP_MDISK_PW_OK);
	/* Write: the password, in any case. */
	assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "BOB", CP_LINK_WR, "secret",
						 m, sizeof m), CP_MDISK_PW_OK);
	assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "BOB", CP_LINK_W, "wrong",
						 m, sizeof m), CP_MDISK_PW_WRONG);
	assert_string_equal(m, "HCPLNK112E ALICE 191 not linked; write password incorrect");
	assert_int_equal(cp_mdisk_check_password(&d, "alice", "BOB", CP_LINK_W, NULL,
						 m, sizeof m), CP_MDISK_PW_WRONG);
	assert_string_equal(m, "HCPLNK112E ALICE 191 not linked; write password required");
	/* Multiple-write: none defined. */
	for (int i = CP_LINK_M; i <= CP_LINK_MW; i++) {
		assert_int_equal(cp_mdisk_check_password(&d, "ALICE", "BOB", i, "SECRET",
							 m, sizeof m), CP_MDISK_PW_NONE);
		assert_string_equal(m, "HCPLNK111E ALICE 191 not linked; no multi password");
	}
	/* No passwords at all. */
	struct cp_mdisk_def none = { .addr = 0x192 };
	assert_int_equal(cp_mdisk_check_password(&none, "ALICE", "BOB", CP_LINK_RR, "x",
						 m, sizeof m), CP_MDISK_PW_NONE);
	assert_string_equal(m, "HCPLNK111E ALICE 192 not linked; no read password");
}

/* Every refusal says why and leaves the table as it was. */
static void test_bad_operands(void **state)
{
	(void)state;
	assert_int_equal(link_("MAINT", 0x190, "ALICE", 0x190, "RR"), 0);
	struct {
		const char *owner; unsigned addr; const char *user;
		unsigned vaddr; const char *mode; int rc; const char *msg;
	} cases[] = {
		{ "NOBODY", 0x191, "ALICE", 0x300, "R", -ENOENT,
		  "HCPLNK113E NOBODY not in CP directory" },
		{ "TOO-LONG-ID", 0x191, "ALICE", 0x300, "R", -ENOENT,
		  "HCPLNK113E TOO-LONG not in CP directory" },
		{ NULL, 0x191, "ALICE", 0x300, "R", -ENOENT,
		  "HCPLNK113E  not in CP directory" },
		{ "MAINT", 0x195, "ALICE", 0x300, "R", -ENOENT,
		  "HCPLNK107E MAINT 195 not linked; not in CP directory" },
		{ "MAINT", 0x191, "ALICE", 0x300, "RW", -EINVAL,
		  "HCPLNK021E Invalid access mode RW; expected R, RR, W, WR, M, MR or MW" },
		{ "MAINT", 0x191, "ALICE", 0x190, "R", -EEXIST,
		  "HCPLNK122E MAINT 191 not linked; device 190 already defined" },
		{ "MAINT", 0x191, "ALICE", 0x1000, "R", -EINVAL,
		  "HCPLNK022E Invalid device address 1000; expected 000 to FFF" },
		{ "MAINT", 0x191, "BAD USER", 0x300, "R", -EINVAL,
		  "HCPLNK020E Userid missing or invalid" },
		{ "MAINT", 0x191, NULL, 0x300, "R", -EINVAL,
		  "HCPLNK020E Userid missing or invalid" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = link_(cases[i].owner, cases[i].addr, cases[i].user,
			       cases[i].vaddr, cases[i].mode);
		if (rc != cases[i].rc || strcmp(F->msg, cases[i].msg)) {
			print_error("case %zu: rc %d msg '%s'\n", i, rc, F->msg);
			fail();
		}
		assert_int_equal(F->t.next, 1);
		assert_int_equal(holders("MAINT", 0x190), 1);
		assert_int_equal(holders("MAINT", 0x191), 0);
	}
}

static void test_detach(void **state)
{
	(void)state;
	assert_int_equal(link_("MAINT", 0x191, "ALICE", 0x291, "W"), 0);
	assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291, "W"), -EBUSY);
	assert_int_equal(cp_mdisk_detach(&F->t, "alice", NULL, 0x291, F->msg,
					 sizeof F->msg), 0);
	assert_string_equal(F->msg, "DASD 291 DETACHED");
	assert_int_equal(F->t.next, 0);          /* nobody holds it: forgotten */
	assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291, "W"), 0);
	assert_int_equal(cp_mdisk_detach(&F->t, "ALICE", NULL, 0x291, F->msg,
					 sizeof F->msg), -ENOENT);
	assert_string_equal(F->msg, "HCPDTA040E DASD 291 does not exist");
	assert_int_equal(cp_mdisk_detach(&F->t, NULL, NULL, 0x291, F->msg,
					 sizeof F->msg), -ENOENT);
	assert_int_equal(holders("MAINT", 0x191), 1);
}

static void test_logon_logoff(void **state)
{
	(void)state;
	/* ALICE and BOB log on: own 191 R/W, MAINT 190 R/O. */
	const struct cp_user_def *alice = cp_directory_find(&F->dir, "ALICE");
	const struct cp_user_def *bob = cp_directory_find(&F->dir, "BOB");
	const struct cp_user_def *maint = cp_directory_find(&F->dir, "MAINT");
	assert_int_equal(cp_mdisk_logon(&F->t, alice, NULL, F->msg, sizeof F->msg), 0);
	assert_string_equal(F->msg, "");
	assert_int_equal(cp_mdisk_logon(&F->t, bob, NULL, F->msg, sizeof F->msg), 0);
	assert_true(cp_mdisk_find_link(&F->t, "ALICE", 0x191, NULL)->write);
	assert_false(cp_mdisk_find_link(&F->t, "ALICE", 0x190, NULL)->write);

	/* BOB grabs MAINT 191 for writing; then MAINT logs on: its 190
	 * (MR, only readers) is R/W, its 191 (W) is refused -- and the
	 * logon goes on. */
	assert_int_equal(link_("MAINT", 0x191, "BOB", 0x291, "MW"), 0);
	assert_int_equal(cp_mdisk_logon(&F->t, maint, NULL, F->msg, sizeof F->msg), 1);
	assert_string_equal(F->msg, "HCPLNK104E MAINT 191 not linked; R/W by BOB");
	assert_true(cp_mdisk_find_link(&F->t, "MAINT", 0x190, NULL)->write);
	assert_null(cp_mdisk_find_link(&F->t, "MAINT", 0x191, NULL));

	char q[256];
	cp_mdisk_query_links(&F->t, "MAINT", 0x190, q, sizeof q);
	assert_string_equal(q, "MAINT 190 linked by ALICE 190 R/O, BOB 190 R/O, "
			       "MAINT 190 R/W");

	/* BOB logs off: all three of his links go, the extents he alone
	 * held with them. */
	cp_mdisk_detach_user(&F->t, "bob");
	assert_null(cp_mdisk_find_link(&F->t, "BOB", 0x191, NULL));
	assert_null(cp_mdisk_find_link(&F->t, "BOB", 0x190, NULL));
	assert_int_equal(holders("MAINT", 0x191), 0);
	assert_int_equal(holders("MAINT", 0x190), 2);
	assert_int_equal(holders("BOB", 0x191), 0);
	cp_mdisk_detach_user(&F->t, "ALICE");
	cp_mdisk_detach_user(&F->t, "MAINT");
	assert_int_equal(F->t.next, 0);
	cp_mdisk_detach_user(&F->t, "NOBODY");   /* harmless */
}

/* ------------------------------------------------------------------ */
/* Links as devices                                                    */

#define MEMSIZE 0x10000u
#define PROG 0x1000u
#define BUF 0x2000u

struct guest {
	struct sim_mem mem;
	struct sim_iosys io;
};

static void guest_init(struct guest *g)
{
	assert_int_equal(sim_mem_init(&g->mem, MEMSIZE), 0);
	sim_io_init(&g->io, &g->mem);
}

static void guest_free(struct guest *g)
{
	sim_io_destroy(&g->io);
	sim_mem_free(&g->mem);
}

static void ccw(struct guest *g, uint32_t at, uint8_t cmd, uint8_t flags,
		uint16_t count, uint32_t data)
{
	uint8_t *p = g->mem.base + at;
	p[0] = cmd;
	p[1] = flags;
	sim_put16(p + 2, count);
	sim_put32(p + 4, data);
}

/* LOCATE block, then READ or WRITE 512 bytes at BUF; returns the unit
 * status of the ending interruption (or of the SIO). */
static uint8_t disk_io(struct guest *g, uint16_t dev, uint32_t block, bool write)
{
	struct sim_csw csw = { 0 };
	uint16_t a;
	sim_put32(g->mem.base + BUF - 8, block);
	ccw(g, PROG, CCW_CMD_LOCATE, CCW_FLAG_CC, 4, BUF - 8);
	ccw(g, PROG + 8, write ? CCW_CMD_WRITE : CCW_CMD_READ, 0, 512, BUF);
	sim_put32(g->mem.base + LC_CAW, PROG);
	int cc = sim_io_sio(&g->io, dev, 0, &csw);
	if (cc == 1)
		return csw.unit;
	assert_int_equal(cc, 0);
	sim_io_advance(&g->io, UINT64_MAX - 1);
	assert_true(sim_io_take_interrupt(&g->io, &a, &csw));
	return csw.unit;
}

static void test_links_are_devices(void **state)
{
	(void)state;
	struct guest maint, alice;
	guest_init(&maint);
	guest_init(&alice);

	/* MAINT links its 190 R/W, ALICE links it R/O. */
	assert_int_equal(cp_mdisk_link(&F->t, "MAINT", 0x190, "MAINT", &maint.io,
				       0x190, NULL, &F->ro, F->msg, sizeof F->msg), 0);
	assert_false(F->ro);
	assert_int_equal(cp_mdisk_link(&F->t, "MAINT", 0x190, "ALICE", &alice.io,
				       0x390, "RR", &F->ro, F->msg, sizeof F->msg), 0);
	assert_true(F->ro);
	struct sim_dev *d = sim_io_find(&alice.io, 0x390);
	assert_non_null(d);
	assert_int_equal(d->type->cls, DEV_DISK);
	assert_true(d->disk.readonly);
	assert_int_equal(d->disk.blocks, 16);
	assert_false(sim_io_find(&maint.io, 0x190)->disk.readonly);

	/* MAINT writes block 3; ALICE reads it back through her link. */
	memset(maint.mem.base + BUF, 0xC3, 512);
	assert_int_equal(disk_io(&maint, 0x190, 3, true), UNIT_CE | UNIT_DE);
	assert_int_equal(disk_io(&alice, 0x390, 3, false), UNIT_CE | UNIT_DE);
	assert_int_equal(alice.mem.base[BUF], 0xC3);
	assert_int_equal(alice.mem.base[BUF + 511], 0xC3);

	/* ALICE's link is read-only: a WRITE is rejected by the device. */
	assert_true(disk_io(&alice, 0x390, 3, true) & UNIT_CHECK);

	/* MAINT 191 shares the image file at block 16: MAINT 190's block
	 * 16 does not exist (the extent ends at 15), so a guest cannot
	 * reach the neighbour. */
	assert_true(disk_io(&maint, 0x190, 16, false) & UNIT_CHECK);
	assert_int_equal(cp_mdisk_link(&F->t, "MAINT", 0x191, "MAINT", &maint.io,
				       0x191, NULL, &F->ro, F->msg, sizeof F->msg), 0);
	assert_int_equal(sim_io_find(&maint.io, 0x191)->disk.offset, 16 * 512);

	/* The device address is now taken in ALICE's machine, whatever
	 * the device is. */
	assert_non_null(sim_io_attach(&alice.io, 0x009, DEV_CONSOLE, F->msg, sizeof F->msg));
	assert_int_equal(cp_mdisk_link(&F->t, "MAINT", 0x191, "ALICE", &alice.io,
				       0x009, "RR", &F->ro, F->msg, sizeof F->msg), -EEXIST);

	/* DETACH takes the device away. */
	assert_int_equal(cp_mdisk_detach(&F->t, "ALICE", &alice.io, 0x390, F->msg,
					 sizeof F->msg), 0);
	assert_null(sim_io_find(&alice.io, 0x390));
	assert_non_null(sim_io_find(&alice.io, 0x009));

	guest_free(&maint);
	guest_free(&alice);
}

static void test_link_missing_image(void **state)
{
	(void)state;
	struct guest g;
	guest_init(&g);
	char p[300];
	snprintf(p, sizeof p, "%s/bob.img", F->tmp);
	unlink(p);
	int rc = cp_mdisk_link(&F->t, "BOB", 0x191, "ALICE", &g.io, 0x291, "RR",
			       &F->ro, F->msg, sizeof F->msg);
	assert_int_equal(rc, -EIO);
	assert_non_null(strstr(F->msg, "HCPLNK108E BOB 191 not linked; disk image "));
	assert_non_null(strstr(F->msg, "No such file"));
	/* Nothing left behind: no device, no link. */
	assert_null(sim_io_find(&g.io, 0x291));
	assert_int_equal(F->t.next, 0);
	guest_free(&g);
}

static void test_logon_with_devices(void **state)
{
	(void)state;
	struct guest g;
	guest_init(&g);
	const struct cp_user_def *alice = cp_directory_find(&F->dir, "ALICE");
	assert_int_equal(cp_mdisk_logon(&F->t, alice, &g.io, F->msg, sizeof F->msg), 0);
	assert_int_equal(g.io.ndev, 2);
	assert_false(sim_io_find(&g.io, 0x191)->disk.readonly);
	assert_true(sim_io_find(&g.io, 0x190)->disk.readonly);
	guest_free(&g);
	cp_mdisk_detach_user(&F->t, "ALICE");
	assert_int_equal(F->t.next, 0);
}

/* Many users on one disk: the bookkeeping scales and stays exact. */
static void test_many_readers(void **state)
{
	(void)state;
	char id[16];
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "U%d", i);
		assert_int_equal(link_("MAINT", 0x190, id, 0x190, "RR"), 0);
	}
	assert_int_equal(link_("MAINT", 0x190, "MAINT", 0x190, "W"), -EBUSY);
	assert_string_equal(F->msg, "HCPLNK104E MAINT 190 not linked; R/O by 1000 users");
	for (int i = 0; i < 1000; i += 2) {
		snprintf(id, sizeof id, "U%d", i);
		cp_mdisk_detach_user(&F->t, id);
	}
	assert_int_equal(holders("MAINT", 0x190), 500);
	assert_int_equal(link_("MAINT", 0x190, "MAINT", 0x190, "M"), 0);
	assert_false(F->ro);
}

/*
 * Random LINK, DETACH and LOGOFF against a model kept here: a plain list
 * of (user, vaddr, disk, write), and the matrix for the rule.  After
 * every step the table must agree with the model: the same links, each
 * granted the same way, and nothing else.
 */
struct mlink { int user, vaddr, disk; bool write; int mode; };

static void test_random_against_model(void **state)
{
	(void)state;
	static const char *users[] = { "MAINT", "ALICE", "BOB", "CAROL", "DAVE" };
	static const struct { const char *owner; unsigned addr; } disks[] = {
		{ "MAINT", 0x190 }, { "MAINT", 0x191 }, { "ALICE", 0x191 },
	};
	struct mlink model[64];
	int n = 0;
	int seen[NSTATES][3] = { { 0 } };   /* outcomes met, by state */
	uint32_t r = 2024;   /* fixed seed */

	for (int step = 0; step < 20000; step++) {
		r ^= r << 13; r ^= r >> 17; r ^= r << 5;
		int u = (int)(r % 5), dk = (int)(r / 5 % 3), m = (int)(r / 15 % 7);
		int va = 0x300 + (int)(r / 105 % 4);
		int op = (int)(r / 420 % 10);
		if (op < 6) {                                   /* LINK */
			bool taken = false;
			int readers = 0, writers = 0;
			for (int i = 0; i < n; i++) {
				if (model[i].user == u && model[i].vaddr == va)
					taken = true;
				if (model[i].disk == dk && model[i].user != u)
					model[i].write ? writers++ : readers++;
			}
			int st = readers && writers ? BOTH : writers ? WRITER
				 : readers ? READER : NONE;
			int want = taken ? NO : matrix[m].result[st];
			if (!taken)
				seen[st][want]++;
			int rc = link_(disks[dk].owner, disks[dk].addr, users[u], (unsigned)va,
				       matrix[m].mode);
			assert_int_equal(rc != 0, want == NO);
			if (taken)
				assert_int_equal(rc, -EEXIST);
			if (!rc) {
				assert_int_equal(F->ro, want == RO);
				assert_true(n < 64);
				model[n++] = (struct mlink){ u, va, dk, want == RW, m };
			}
		} else if (op < 9) {                            /* DETACH */
			int found = -1;
			for (int i = 0; i < n; i++)
				if (model[i].user == u && model[i].vaddr == va)
					found = i;
			int rc = cp_mdisk_detach(&F->t, users[u], NULL, (uint16_t)va,
						 F->msg, sizeof F->msg);
			assert_int_equal(rc, found < 0 ? -ENOENT : 0);
			if (found >= 0)
				model[found] = model[--n];
		} else {                                        /* LOGOFF */
			cp_mdisk_detach_user(&F->t, users[u]);
			for (int i = 0; i < n; )
				if (model[i].user == u)
					model[i] = model[--n];
				else
					i++;
		}
		/* The table agrees with the model. */
		int total = 0;
		for (int dd = 0; dd < 3; dd++)
			total += holders(disks[dd].owner, disks[dd].addr);
		assert_int_equal(total, n);
		for (int i = 0; i < n; i++) {
			const struct cp_mdisk_extent *e = NULL;
			const struct cp_mdisk_holder *h = cp_mdisk_find_link(
				&F->t, users[model[i].user], (uint16_t)model[i].vaddr, &e);
			assert_non_null(h);
			assert_int_equal(h->write, model[i].write);
			assert_int_equal(e->addr, disks[model[i].disk].addr);
			assert_string_equal(e->owner, disks[model[i].disk].owner);
		}
	}
	/* The walk met every sharing state, and each outcome it allows. */
	for (int st = 0; st < NSTATES; st++)
		for (int o = 0; o < 3; o++)
			if (!(st == NONE && o == NO))
				assert_true(seen[st][o] > 10);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mode_matrix),
		T(test_mode_pairs),
		T(test_own_links_do_not_conflict),
		T(test_default_modes),
		T(test_messages),
		T(test_passwords),
		T(test_bad_operands),
		T(test_detach),
		T(test_logon_logoff),
		T(test_links_are_devices),
		T(test_link_missing_image),
		T(test_logon_with_devices),
		T(test_many_readers),
		T(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
