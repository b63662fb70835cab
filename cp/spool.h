/*
 * cp/spool.h -- the CP spool: virtual card readers, punches and printers,
 * and the spool files that flow between users.
 *
 * A guest never owns a real card reader or printer.  CP gives it virtual
 * unit-record devices whose records go to and come from *spool files*
 * kept by CP (VM/370 kept them on DASD, we keep them in host memory and
 * save them in the state folder):
 *
 *    guest PUNCH 00D --write--> open file --CLOSE--> ALICE's reader queue
 *          (SPOOL PUNCH TO ALICE)                     |
 *                                                     v
 *    ALICE's READER 00C <--read-- first eligible file in her reader
 *          (unit exception at the end; the file is then purged)
 *
 * Every user has three queues: READER (files to be read by her virtual
 * reader), PRINTER and PUNCH (output waiting for a real printer or punch,
 * which vmlab has not got: it stays there for QUERY, TRANSFER, PURGE).
 * A queue is not a separate list: each file records its owner and the
 * queue it is on, and the files are kept in one system-wide list in
 * processing order.  ORDER moves files to the front of that list.
 *
 * Spool ids are system wide, 1..9999, handed out in turn, wrapping, and
 * skipping ids in use, as VM/370 did.  A file keeps its id when it moves
 * between queues (SPOOL ... TO, TRANSFER), so both users can talk about
 * "file 0012".
 *
 * Commands.  Each cp_spool_cmd_* function is one CP command: the caller
 * (the command table) passes the acting user, whether that user holds
 * the spooling operator's privilege (class D), and the operands already
 * split into words -- argv holds the operands only, not the command name.
 * Responses and errors go to out.  Each returns 0, or the number of the
 * HCP message it wrote, which is what VM/370 gave as the command's return
 * code (so "HCP042E SPOOLID 0012 DOES NOT EXIST" returns 42).  A command
 * that fails changes nothing: every operand is checked before anything is
 * touched.
 *
 * The messages (CP_SPOOL_E* below; the text after the code is fixed):
 *
 *   HCP003E INVALID OPTION - word        unknown or misplaced option
 *   HCP006E INVALID DEVICE TYPE - word   not RDR/PRT/PUN or an address
 *   HCP008E INVALID SPOOLID - word       not a number 1..9999
 *   HCP013E CONFLICTING OPTION - word    option given twice or clashing
 *   HCP020E USERID MISSING OR INVALID
 *   HCP022E VIRTUAL DEVICE ADDRESS MISSING OR INVALID
 *   HCP024E INVALID CLASS - word         not A-Z or 0-9 (reader: also *)
 *   HCP026E OPERAND MISSING OR INVALID
 *   HCP036E VADDR vaddr ALREADY DEFINED  (cp_spool_dev_attach)
 *   HCP040E DEVICE vaddr DOES NOT EXIST  no such spooled device
 *   HCP042E SPOOLID nnnn DOES NOT EXIST  (in the queue the command names)
 *   HCP046E FILE nnnn IS OWNED BY user - CLASS D REQUIRED
 *   HCP047E user RDR|PRT|PUN QUEUE - CLASS D REQUIRED
 *   HCP053E user NOT IN CP DIRECTORY
 *   HCP050E SYSTEM SPOOL SPACE FULL      no id or no room left
 *   HCP054E SPOOL FILE path DAMAGED: why -- NOT LOADED  (cp_spool_load)
 *   HCP055E SPOOL STATE path: why        (cp_spool_save / cp_spool_load)
 *
 * Time.  DATE and TIME in QUERY are simulated: the caller's clock
 * callback returns seconds on the CP's simulated clock (e.g. a fixed IPL
 * date plus the cycle count divided by the cycle rate).  The host clock
 * is never read, so the same session prints the same table.
 */
#ifndef CP_SPOOL_H
#define CP_SPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "cp/out.h"
#include "sim/io.h"

/* Message numbers: a failing command writes "HCPnnnE ..." and returns nnn. */
enum {
	CP_SPOOL_EOPTION = 3,     /* INVALID OPTION */
	CP_SPOOL_EDEVTYPE = 6,    /* INVALID DEVICE TYPE */
	CP_SPOOL_ESPOOLID = 8,    /* INVALID SPOOLID */
	CP_SPOOL_ECONFLICT = 13,  /* CONFLICTING OPTION */
	CP_SPOOL_EUSERID = 20,    /* USERID MISSING OR INVALID */
	CP_SPOOL_EVADDR = 22,     /* VIRTUAL DEVICE ADDRESS MISSING OR INVALID */
	CP_SPOOL_ECLASS = 24,     /* INVALID CLASS */
	CP_SPOOL_EOPERAND = 26,   /* OPERAND MISSING OR INVALID */
	CP_SPOOL_EDEFINED = 36,   /* VADDR vaddr ALREADY DEFINED */
	CP_SPOOL_ENODEV = 40,     /* DEVICE vaddr DOES NOT EXIST */
	CP_SPOOL_ENOFILE = 42,    /* SPOOLID nnnn DOES NOT EXIST */
	CP_SPOOL_EPRIVFILE = 46,  /* FILE nnnn IS OWNED BY ... CLASS D REQUIRED */
	CP_SPOOL_EPRIVQUEUE = 47, /* user's queue: CLASS D REQUIRED */
	CP_SPOOL_EFULL = 50,      /* SYSTEM SPOOL SPACE FULL */
	CP_SPOOL_ENOUSER = 53,    /* user NOT IN CP DIRECTORY */
	CP_SPOOL_EDAMAGED = 54,   /* a saved spool file is damaged */
	CP_SPOOL_ESTATE = 55,     /* the state folder cannot be read/written */
};

/* The three queues, and the device types files come from. */
enum cp_spool_queue {
	CP_SPOOL_RDR,   /* reader */
	CP_SPOOL_PRT,   /* printer */
	CP_SPOOL_PUN,   /* punch */
};

#define CP_SPOOL_MAXID 9999
#define CP_SPOOL_CARD 80        /* a card's columns */
#define CP_SPOOL_LINE 132       /* a print line's columns */
/* Default limits (resource control: a guest that punches forever must
 * not eat the host).  cp_spool_config can set others. */
#define CP_SPOOL_MAX_RECORDS 100000u        /* records in one file */
#define CP_SPOOL_MAX_BYTES (64u << 20)      /* stored bytes, whole system */

/* What the spool needs from CP; every member may be 0/NULL. */
struct cp_spool_config {
	void *ctx;
	/* Is this (upper-case) user in the directory?  NULL: everyone is. */
	bool (*user_exists)(void *ctx, const char *userid);
	/* Tell a user something (a file arrived in her reader).  The user
	 * may be logged off: then CP may drop the line.  NULL: dropped. */
	void (*notify)(void *ctx, const char *userid, const char *line);
	/* Simulated seconds (see "Time" above).  NULL: always 0. */
	uint64_t (*clock)(void *ctx);
	uint32_t max_records;   /* 0: CP_SPOOL_MAX_RECORDS */
	uint64_t max_bytes;     /* 0: CP_SPOOL_MAX_BYTES */
};

struct cp_spool;

/* One spool file, as QUERY and the tests see it (read-only for callers). */
struct cp_spool_rec {
	uint8_t *data;      /* trailing blanks trimmed */
	uint16_t len;
};
struct cp_spool_file {
	uint16_t id;                 /* 1..9999 */
	char owner[9];               /* whose queue it is on */
	enum cp_spool_queue queue;   /* which of the owner's queues */
	char origin[9];              /* who created it */
	enum cp_spool_queue origtype;/* the device type that created it */
	char cls;                    /* A-Z, 0-9 */
	bool user_hold;              /* HOLD by its owner (SPOOL/CHANGE) */
	bool sys_hold;               /* HOLD by the spooling operator */
	bool keep;                   /* stays in the reader after reading */
	uint8_t copies;              /* 1..99 */
	uint64_t created;            /* simulated seconds */
	char fn[9], ft[9];           /* NAME label, "" if none */
	char dist[9];                /* distribution code (the origin) */
	uint32_t nrec, caprec;
	struct cp_spool_rec *rec;
	struct cp_spool_dev *reading;/* the reader reading it, or NULL */
	int64_t seq;                 /* processing order: the list is sorted
					by it (saved, so order survives) */
	bool dirty;                  /* changed since the last save */
};

/* Create and destroy the spool.  Destroy frees every file; devices still
 * attached are cut off (their backend then fails every operation, and
 * their close callback only frees them), so detach devices first. */
struct cp_spool *cp_spool_create(const struct cp_spool_config *cfg);
void cp_spool_destroy(struct cp_spool *sp);

/*
 * Virtual unit-record devices.  The lead's DEFINE/LOGON calls attach for
 * each reader, punch and printer of a user, then puts *be into the
 * guest's struct sim_dev (sim_io_attach; dev->rec = *be).  cls is the
 * device's initial class from the directory (0: A for output, * for a
 * reader).  When the device is detached (sim_io_detach/sim_io_destroy
 * call be->close) an open output file is closed and delivered, as
 * DETACH and LOGOFF do on VM/370.  Returns 0, or a message number (with
 * the message in out: a bad class, the address already spooled).
 *
 * The backends:
 *   reader:  read returns the next record of the file being read; the
 *            first read picks the first file in the user's reader that
 *            matches the reader's class and is not held.  At the end of
 *            the file it returns -1 (the device presents unit exception)
 *            and the file is purged, unless the file or the reader is
 *            KEEP or HOLD: then it stays, in user hold.  With CONT the
 *            reader goes straight on into the next file and returns -1
 *            only when there is none.  No file at all: -2 (the device
 *            presents intervention required: an empty hopper).
 *   punch, printer: write appends one record to the device's open file
 *            (opened, and given its id, by the first record); -1 when
 *            the spool is full (intervention required).  The file is
 *            delivered by CLOSE (cp_spool_cmd_close or cp_spool_close).
 */
int cp_spool_dev_attach(struct cp_spool *sp, const char *userid, uint16_t addr,
			enum cp_spool_queue type, char cls,
			struct sim_rec_backend *be, const struct cp_out *out);

/* Close the open file of one device (CLOSE vaddr), or of all the user's
 * devices when addr is -1 (LOGOFF).  Output files are delivered; a
 * reader's file is purged unless kept.  out gets the VM/370 responses.
 * Returns 0 or a message number. */
int cp_spool_close(struct cp_spool *sp, const char *userid, int addr,
		   const struct cp_out *out);

/* One line describing a device's spool options, for QUERY VIRTUAL:
 * "PUN 00D CL A NOCONT NOHOLD COPY 01 NOKEEP TO ALICE".  0 or ENODEV. */
int cp_spool_dev_describe(struct cp_spool *sp, const char *userid,
			  uint16_t addr, const struct cp_out *out);

/*
 * The commands (see the top of this file for the conventions).
 *
 *  SPOOL {vaddr|READER|RDR|PRINTER|PRT|PUNCH|PUN|PCH} option...
 *        CLASS c | CONT | NOCONT | HOLD | NOHOLD | KEEP | NOKEEP |
 *        COPY nn | TO userid | TO * | OFF | CLOSE
 *        (TO, OFF, COPY: output devices only; CLASS * only for a reader;
 *        CLOSE closes the file after the other options are set)
 *  CLOSE vaddr|dev [NAME fn [ft]] [HOLD|NOHOLD] [PURGE]
 *  TRANSFER [RDR|PRT|PUN] {spoolid|CLASS c|ALL} TO userid|* [RDR|PRT|PUN]
 *  TRANSFER [RDR|PRT|PUN] {spoolid|CLASS c|ALL} FROM userid
 *        TO: from the actor's queue (or, class D, any file by spoolid)
 *        to userid's queue (default: reader).  FROM: reclaim, into the
 *        actor's reader, files in userid's queue that the actor created
 *        (class D: any of them).
 *  PURGE [userid] {RDR|PRT|PUN|ALL} {spoolid...|CLASS c|ALL}
 *        (userid other than one's own: class D)
 *  QUERY {READER|RDR|PRINTER|PRT|PUNCH|PUN} [userid|*|SYSTEM] [spoolid] [ALL]
 *        (userid other than one's own, or SYSTEM: class D)
 *  QUERY FILES
 *  ORDER {RDR|PRT|PUN} spoolid...   the named files first, in that order
 *  CHANGE {RDR|PRT|PUN} {spoolid|CLASS c|ALL} option...
 *        CLASS c | HOLD | NOHOLD | KEEP | NOKEEP | COPY nn | NAME fn ft
 *        (CLASS c and ALL: the actor's own files.  Class D may name any
 *        file by id; its HOLD on another user's file is a system hold,
 *        which only class D NOHOLD releases.)
 */
int cp_spool_cmd_spool(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out);
int cp_spool_cmd_close(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out);
int cp_spool_cmd_transfer(struct cp_spool *sp, const char *userid, bool priv,
			  int argc, const char *const *argv, const struct cp_out *out);
int cp_spool_cmd_purge(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out);
/* argv[0] is READER/PRINTER/PUNCH/FILES (the QUERY subcommand). */
int cp_spool_cmd_query(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out);
int cp_spool_cmd_order(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out);
int cp_spool_cmd_change(struct cp_spool *sp, const char *userid, bool priv,
			int argc, const char *const *argv, const struct cp_out *out);

/*
 * Put a file straight into a user's queue (the host side: vmlab's
 * "card deck" for a lesson, CMS DIAGNOSE services, tests).  records are
 * nrec byte strings of lengths lens[]; fn/ft may be NULL.  Returns the
 * new spool id (1..9999), or minus a message number (message in out):
 * -CP_SPOOL_EFULL, -CP_SPOOL_EUSERID, -CP_SPOOL_ENOUSER, -CP_SPOOL_ECLASS.
 */
int cp_spool_add(struct cp_spool *sp, const char *owner, enum cp_spool_queue q,
		 const char *origin, enum cp_spool_queue origtype, char cls,
		 const char *fn, const char *ft, int nrec,
		 const uint8_t *const *records, const uint16_t *lens,
		 const struct cp_out *out);

/* Look a file up by id (NULL if none); iterate in processing order. */
const struct cp_spool_file *cp_spool_find(const struct cp_spool *sp, int id);
int cp_spool_count(const struct cp_spool *sp);
const struct cp_spool_file *cp_spool_at(const struct cp_spool *sp, int i);
/* The id the next file will get (for tests and QUERY). */
int cp_spool_next_id(const struct cp_spool *sp);
void cp_spool_set_next_id(struct cp_spool *sp, int id);

/*
 * Persistence, in folder/spool/ (created if missing):
 *
 *   STATE        "VMLAB-SPOOL 1" then "NEXTID n"
 *   nnnn.spf     one file per spool file, text:
 *       VMLAB-SPOOL-FILE 1
 *       ID 12
 *       SEQ 40                 processing order (ORDER makes it < 0)
 *       OWNER ALICE
 *       QUEUE RDR              RDR | PRT | PUN
 *       ORIGIN BOB
 *       ORIGTYPE PUN
 *       CLASS A
 *       HOLD NONE              NONE | USER | SYS | USYS
 *       KEEP 0
 *       COPY 1
 *       CREATED 1234           simulated seconds
 *       NAME PROFILE EXEC      or "NAME" alone for none
 *       DIST BOB
 *       RECORDS 2
 *       |first card            one line per record after a '|':
 *       |second\x0Ccard        bytes outside ' '..'~' and '\' as \xHH
 *       END 2 0123456789abcdef FNV-1a 64 of every byte before "END"
 *
 * A save writes only what changed since the last save to the same
 * folder (so CP can afford to save after every spool command), and the
 * first save to a folder writes everything.
 *
 * Every file is written to a temporary name, fsynced and renamed over the
 * old one, then the folder is fsynced: a session killed at any moment
 * leaves each spool file whole, old or new.  (A file purged just before
 * the kill may come back; none is ever half-written.)  Files of the
 * folder that are no longer in the spool, and temporary files a killed
 * save left, are removed after the writes.  Output files still open on a
 * punch or printer are not saved (close them first: LOGOFF does); a
 * reader's place in a half-read file is not saved either (it is read
 * again from the start).
 *
 * cp_spool_load adds the saved files to the spool (normally empty).  A
 * damaged file (bad header, wrong count, checksum mismatch, an id
 * already in use) is reported with HCP054E, renamed to nnnn.spf.damaged
 * so that it is kept for inspection but not read again, and skipped;
 * every other file loads.  Both return 0, or a message number (the first
 * failure); load returns 0 if the folder has no spool yet.
 */
int cp_spool_save(struct cp_spool *sp, const char *folder, const struct cp_out *out);
int cp_spool_load(struct cp_spool *sp, const char *folder, const struct cp_out *out);

/* "RDR", "PRT", "PUN". */
const char *cp_spool_queue_name(enum cp_spool_queue q);

#endif
