/*
 * cp/spool.c -- the CP spool (see spool.h for the picture and the API).
 *
 * How a card travels from BOB to ALICE:
 *
 *   1. BOB types SPOOL PUNCH TO ALICE: cp_spool_cmd_spool sets the `to`
 *      of BOB's punch device (struct cp_spool_dev).
 *   2. BOB's guest punches a card: the channel calls out_write() through
 *      the sim_rec_backend; the first card opens a spool file (it gets
 *      its spool id now) that hangs off the device, in no queue yet.
 *   3. BOB types CLOSE 00D (or logs off): output_close() delivers the
 *      file: it is put at the end of the system-wide file list with
 *      owner ALICE, queue RDR, and ALICE is told "RDR FILE ... SENT FROM".
 *   4. ALICE's guest reads its reader: rdr_read() picks the first file in
 *      her reader that it may read, hands out one record per call, and at
 *      the end answers -1 (unit exception) and purges the file.
 *
 * Everything CP-wide lives in struct cp_spool: the file list (in
 * processing order), the table of ids in use, and the spooled devices.
 * Nothing here reads the host clock or draws random numbers.
 */
#include "cp/spool.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/hostfile.h"

/* A virtual reader, punch or printer of one user (VM/370's VDEVBLOK plus
 * its spool options).  Owned by the spool while attached; freed by the
 * backend's close callback. */
struct cp_spool_dev {
	struct cp_spool *sp;      /* NULL once the spool is destroyed */
	char user[9];
	uint16_t addr;
	enum cp_spool_queue type;
	char cls;                 /* output: A-Z 0-9; reader: also '*' */
	bool cont, hold, keep;
	uint8_t copies;
	char to[9];               /* output: deliver to this user's reader;
				     "" = the owner's own PRT/PUN queue */
	/* Output: the open file, not yet in any queue.  Reader: the file
	 * being read (it stays in the list; its `reading` points back). */
	struct cp_spool_file *file;
	uint32_t pos;             /* reader: next record */
	struct cp_spool_dev *next;
};

struct cp_spool {
	struct cp_spool_config cfg;
	struct cp_spool_file **files;   /* processing order */
	int nfiles, capfiles;
	uint8_t used[CP_SPOOL_MAXID + 1];
	int nextid;
	uint64_t bytes;                 /* record bytes stored */
	struct cp_spool_dev *devs;
	/* Order keys: appended files count up, ORDERed ones count down. */
	int64_t minseq, maxseq;
	/* What the last save wrote, so the next writes only changes. */
	char saved_to[4096];            /* "" : nothing saved yet */
	int saved_nextid;
};

/* ------------------------------------------------------------------ */
/* Small helpers: messages, words, user ids                            */

static int msg(const struct cp_out *out, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write "HCPnnnE text" and return nnn: a command's return code is the
 * number of the message that ended it, as on VM/370. */
static int msg(const struct cp_out *out, int code, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	cp_printf(out, "HCP%03dE %s", code, text);
	return code;
}

static const char *const queue_names[] = { "RDR", "PRT", "PUN" };

const char *cp_spool_queue_name(enum cp_spool_queue q)
{
	return (unsigned)q < 3 ? queue_names[q] : "???";
}

/* Is word an abbreviation of full, at least min letters long?  VM/370
 * commands and operands may be shortened down to a fixed minimum. */
static bool abbrev(const char *word, const char *full, size_t min)
{
	size_t n = strlen(word);
	if (n < min || n > strlen(full))
		return false;
	return strncasecmp(word, full, n) == 0;
}

/* RDR/READER, PRT/PRINTER, PUN/PCH/PUNCH; -1 if none. */
static int parse_queue(const char *w)
{
	if (!strcasecmp(w, "RDR") || abbrev(w, "READER", 1))
		return CP_SPOOL_RDR;
	if (!strcasecmp(w, "PUN") || !strcasecmp(w, "PCH") || abbrev(w, "PUNCH", 2))
		return CP_SPOOL_PUN;
	if (!strcasecmp(w, "PRT") || abbrev(w, "PRINTER", 1))
		return CP_SPOOL_PRT;
	return -1;
}

/* A spool id: 1 to 4 decimal digits, 1..9999; -1 if not. */
static int parse_id(const char *w)
{
	size_t n = strlen(w);
	if (n < 1 || n > 4)
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)w[i]))
			return -1;
		v = v * 10 + (w[i] - '0');
	}
	return v >= 1 && v <= CP_SPOOL_MAXID ? v : -1;
}

/* A class: one of A-Z, 0-9 (and * where allowed); 0 if not. */
static char parse_class(const char *w, bool star_ok)
{
	if (strlen(w) != 1)
		return 0;
	char c = (char)toupper((unsigned char)w[0]);
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return c;
	if (c == '*' && star_ok)
		return c;
	return 0;
}

/* A user id as VM/370 spells it: 1-8 of A-Z 0-9 @ # $, folded to upper
 * case into out.  false if the word is not one. */
static bool userid_norm(const char *w, char out[9])
{
	size_t n = w ? strlen(w) : 0;
	if (n < 1 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!isalnum(c) && c != '@' && c != '#' && c != '$')
			return false;
		out[i] = (char)toupper(c);
	}
	out[n] = 0;
	return true;
}

/* A user named in a command: valid and in the directory.  "*" means the
 * actor.  0 or the message number (message written). */
static int check_user(struct cp_spool *sp, const char *actor, const char *w,
		      char out_id[9], const struct cp_out *out)
{
	if (w && !strcmp(w, "*")) {
		strcpy(out_id, actor);
		return 0;
	}
	if (!userid_norm(w, out_id))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (sp->cfg.user_exists && !sp->cfg.user_exists(sp->cfg.ctx, out_id))
		return msg(out, CP_SPOOL_ENOUSER, "%s NOT IN CP DIRECTORY", out_id);
	return 0;
}

/* Does anyone's queue hold a file of this user? */
static bool owns_files(const struct cp_spool *sp, const char *id);

/* A user whose files a command names (PURGE userid, QUERY RDR userid,
 * TRANSFER ... FROM userid, ORDER userid).  Like check_user, but class D
 * may also name a user who has left the directory and still owns files
 * (loaded from an older state folder): they must stay reachable. */
static int check_owner(struct cp_spool *sp, const char *actor, const char *w,
		       bool priv, char out_id[9], const struct cp_out *out)
{
	if (priv && w && userid_norm(w, out_id) && owns_files(sp, out_id))
		return 0;
	return check_user(sp, actor, w, out_id, out);
}

/* A file label word (NAME fn ft): 1-8 printable characters, upper case. */
static bool label_norm(const char *w, char out[9])
{
	size_t n = strlen(w);
	if (n < 1 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)w[i]))
			return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)toupper((unsigned char)w[i]);
	out[n] = 0;
	return true;
}

static uint64_t now_secs(struct cp_spool *sp)
{
	return sp->cfg.clock ? sp->cfg.clock(sp->cfg.ctx) : 0;
}

static void notify(struct cp_spool *sp, const char *user, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void notify(struct cp_spool *sp, const char *user, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	if (!sp->cfg.notify)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sp->cfg.notify(sp->cfg.ctx, user, line);
}

/* "0003", or "12K" for a big file, as VM/370 abbreviated record counts. */
static const char *recs_text(uint32_t n, char buf[16])
{
	if (n < 10000)
		snprintf(buf, 16, "%04u", n);
	else
		snprintf(buf, 16, "%03uK", n / 1000 > 999 ? 999 : n / 1000);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Files, ids and the list                                             */

static uint32_t max_records(const struct cp_spool *sp)
{
	return sp->cfg.max_records ? sp->cfg.max_records : CP_SPOOL_MAX_RECORDS;
}

static uint64_t max_bytes(const struct cp_spool *sp)
{
	return sp->cfg.max_bytes ? sp->cfg.max_bytes : CP_SPOOL_MAX_BYTES;
}

/* Take the next free id, counting on from the last one handed out and
 * wrapping from 9999 to 1, so that a purged file's id is not reused at
 * once (a user who just purged 0012 is not confused by a new 0012).
 * 0 if all 9999 are in use. */
static int id_take(struct cp_spool *sp)
{
	int id = sp->nextid;
	for (int n = 0; n < CP_SPOOL_MAXID; n++) {
		if (id < 1 || id > CP_SPOOL_MAXID)
			id = 1;
		if (!sp->used[id]) {
			sp->used[id] = 1;
			sp->nextid = id + 1 > CP_SPOOL_MAXID ? 1 : id + 1;
			return id;
		}
		id++;
	}
	return 0;
}

static struct cp_spool_file *file_new(struct cp_spool *sp)
{
	struct cp_spool_file *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->id = (uint16_t)id_take(sp);
	if (!f->id) {
		free(f);
		return NULL;
	}
	f->cls = 'A';
	f->copies = 1;
	return f;
}

static void file_free(struct cp_spool *sp, struct cp_spool_file *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->nrec; i++) {
		sp->bytes -= f->rec[i].len;
		free(f->rec[i].data);
	}
	free(f->rec);
	if (f->id >= 1 && f->id <= CP_SPOOL_MAXID)
		sp->used[f->id] = 0;
	free(f);
}

/* Append one record, trimmed of trailing blanks (a card is mostly
 * blanks; VM/370 compressed them too).  0, or -1 when a limit is hit. */
static int file_add_rec(struct cp_spool *sp, struct cp_spool_file *f,
			const uint8_t *data, uint32_t len)
{
	while (len > 0 && data[len - 1] == ' ')
		len--;
	if (len > 0xFFFF)
		len = 0xFFFF;
	if (f->nrec >= max_records(sp) || sp->bytes + len > max_bytes(sp))
		return -1;
	if (f->nrec == f->caprec) {
		uint32_t cap = f->caprec ? f->caprec * 2 : 16;
		struct cp_spool_rec *r = realloc(f->rec, cap * sizeof *r);
		if (!r)
			return -1;
		f->rec = r;
		f->caprec = cap;
	}
	uint8_t *d = NULL;
	if (len) {
		d = malloc(len);
		if (!d)
			return -1;
		memcpy(d, data, len);
	}
	f->rec[f->nrec].data = d;
	f->rec[f->nrec].len = (uint16_t)len;
	f->nrec++;
	sp->bytes += len;
	return 0;
}

static int list_index(const struct cp_spool *sp, const struct cp_spool_file *f)
{
	for (int i = 0; i < sp->nfiles; i++)
		if (sp->files[i] == f)
			return i;
	return -1;
}

static int list_append(struct cp_spool *sp, struct cp_spool_file *f)
{
	if (sp->nfiles == sp->capfiles) {
		int cap = sp->capfiles ? sp->capfiles * 2 : 64;
		struct cp_spool_file **t = realloc(sp->files, (size_t)cap * sizeof *t);
		if (!t)
			return -1;
		sp->files = t;
		sp->capfiles = cap;
	}
	sp->files[sp->nfiles++] = f;
	f->seq = ++sp->maxseq;
	f->dirty = true;
	return 0;
}

static void list_remove(struct cp_spool *sp, struct cp_spool_file *f)
{
	int i = list_index(sp, f);
	if (i < 0)
		return;
	memmove(&sp->files[i], &sp->files[i + 1],
		(size_t)(sp->nfiles - i - 1) * sizeof *sp->files);
	sp->nfiles--;
}

/* A file leaves the reader that was reading it (it is purged, moved or
 * closed): the reader starts afresh with its next read. */
static void file_unread(struct cp_spool_file *f)
{
	if (f->reading) {
		f->reading->file = NULL;
		f->reading->pos = 0;
		f->reading = NULL;
	}
}

/* Purge a file that is in the list. */
static void file_purge(struct cp_spool *sp, struct cp_spool_file *f)
{
	file_unread(f);
	list_remove(sp, f);
	file_free(sp, f);
}

static struct cp_spool_file *find_id(const struct cp_spool *sp, int id)
{
	for (int i = 0; i < sp->nfiles; i++)
		if (sp->files[i]->id == id)
			return sp->files[i];
	return NULL;
}

static bool owns_files(const struct cp_spool *sp, const char *id)
{
	for (int i = 0; i < sp->nfiles; i++)
		if (!strcmp(sp->files[i]->owner, id))
			return true;
	return false;
}

static const char *hold_text(const struct cp_spool_file *f)
{
	if (f->user_hold && f->sys_hold)
		return "USYS";
	if (f->sys_hold)
		return "SYS";
	return f->user_hold ? "USER" : "NONE";
}

/* ------------------------------------------------------------------ */
/* Create, destroy, inspect                                            */

struct cp_spool *cp_spool_create(const struct cp_spool_config *cfg)
{
	struct cp_spool *sp = calloc(1, sizeof *sp);
	if (!sp)
		return NULL;
	if (cfg)
		sp->cfg = *cfg;
	sp->nextid = 1;
	return sp;
}

void cp_spool_destroy(struct cp_spool *sp)
{
	if (!sp)
		return;
	/* Devices outlive the spool only until their backend is closed:
	 * cut them off so their callbacks touch nothing freed. */
	for (struct cp_spool_dev *d = sp->devs, *n; d; d = n) {
		n = d->next;
		if (d->type != CP_SPOOL_RDR)
			file_free(sp, d->file);
		d->file = NULL;
		d->sp = NULL;
		d->next = NULL;
	}
	for (int i = 0; i < sp->nfiles; i++)
		file_free(sp, sp->files[i]);
	free(sp->files);
	free(sp);
}

const struct cp_spool_file *cp_spool_find(const struct cp_spool *sp, int id)
{
	return find_id(sp, id);
}

int cp_spool_count(const struct cp_spool *sp)
{
	return sp->nfiles;
}

const struct cp_spool_file *cp_spool_at(const struct cp_spool *sp, int i)
{
	return i >= 0 && i < sp->nfiles ? sp->files[i] : NULL;
}

int cp_spool_next_id(const struct cp_spool *sp)
{
	return sp->nextid;
}

void cp_spool_set_next_id(struct cp_spool *sp, int id)
{
	sp->nextid = id >= 1 && id <= CP_SPOOL_MAXID ? id : 1;
}

int cp_spool_add(struct cp_spool *sp, const char *owner, enum cp_spool_queue q,
		 const char *origin, enum cp_spool_queue origtype, char cls,
		 const char *fn, const char *ft, int nrec,
		 const uint8_t *const *records, const uint16_t *lens,
		 const struct cp_out *out)
{
	char own[9], org[9], c;
	int rc;

	if (owner && !strcmp(owner, "*"))
		return -msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if ((rc = check_user(sp, "", owner, own, out)) != 0)
		return -rc;
	if (!origin || !userid_norm(origin, org))
		strcpy(org, own);
	c = cls ? parse_class((char[]){ cls, 0 }, false) : 'A';
	if (!c)
		return -msg(out, CP_SPOOL_ECLASS, "INVALID CLASS - %c", cls);
	struct cp_spool_file *f = file_new(sp);
	if (!f)
		return -msg(out, CP_SPOOL_EFULL, "SYSTEM SPOOL SPACE FULL");
	strcpy(f->owner, own);
	strcpy(f->origin, org);
	strcpy(f->dist, org);
	f->queue = q;
	f->origtype = origtype;
	f->cls = c;
	f->created = now_secs(sp);
	if (fn)
		label_norm(fn, f->fn);
	if (ft)
		label_norm(ft, f->ft);
	for (int i = 0; i < nrec; i++) {
		if (file_add_rec(sp, f, records[i], lens[i]) < 0) {
			file_free(sp, f);
			return -msg(out, CP_SPOOL_EFULL, "SYSTEM SPOOL SPACE FULL");
		}
	}
	if (list_append(sp, f) < 0) {
		file_free(sp, f);
		return -msg(out, CP_SPOOL_EFULL, "SYSTEM SPOOL SPACE FULL");
	}
	return f->id;
}

/* ------------------------------------------------------------------ */
/* The virtual reader                                                  */

/* May this reader read f now?  Its own reader queue, the reader's class
 * (or any, for class *), not held, not being read by another reader. */
static bool rdr_eligible(const struct cp_spool_dev *d, const struct cp_spool_file *f)
{
	return f->queue == CP_SPOOL_RDR && !strcmp(f->owner, d->user) &&
	       !f->user_hold && !f->sys_hold && !f->reading &&
	       (d->cls == '*' || d->cls == f->cls);
}

/* The reader is done with its file (end of file, or CLOSE).  A kept file
 * stays, but in user hold: without that it would be read again at once,
 * forever.  CHANGE RDR nnnn NOHOLD makes it readable again. */
static void rdr_finish(struct cp_spool *sp, struct cp_spool_dev *d, bool keep)
{
	struct cp_spool_file *f = d->file;
	if (!f)
		return;
	file_unread(f);
	if (keep || f->keep || d->keep || d->hold) {
		f->user_hold = true;
		f->dirty = true;
	} else
		file_purge(sp, f);
}

static int rdr_read(void *ctx, uint8_t *buf, uint32_t max)
{
	struct cp_spool_dev *d = ctx;
	struct cp_spool *sp = d->sp;
	bool ended_one = false;

	if (!sp)
		return -2;   /* the spool is gone: the hopper is empty */
	for (;;) {
		if (!d->file) {
			struct cp_spool_file *f = NULL;
			for (int i = 0; i < sp->nfiles && !f; i++)
				if (rdr_eligible(d, sp->files[i]))
					f = sp->files[i];
			if (!f)
				/* After a file (CONT): end of the deck.
				 * Nothing read yet: an empty hopper. */
				return ended_one ? -1 : -2;
			d->file = f;
			d->pos = 0;
			f->reading = d;
		}
		struct cp_spool_file *f = d->file;
		if (d->pos < f->nrec) {
			/* Give the card back its blanks: the record was
			 * stored trimmed, the reader reads 80 columns. */
			const struct cp_spool_rec *r = &f->rec[d->pos++];
			uint32_t n = r->len;
			if (n > max)
				n = max;
			if (n)
				memcpy(buf, r->data, n);
			uint32_t full = CP_SPOOL_CARD < max ? CP_SPOOL_CARD : max;
			if (n < full) {
				memset(buf + n, ' ', full - n);
				n = full;
			}
			return (int)n;
		}
		/* The end of this file. */
		rdr_finish(sp, d, false);
		if (!d->cont)
			return -1;
		ended_one = true;
	}
}

/* ------------------------------------------------------------------ */
/* The virtual punch and printer                                       */

static int out_write(void *ctx, const uint8_t *buf, uint32_t len)
{
	struct cp_spool_dev *d = ctx;
	struct cp_spool *sp = d->sp;

	if (!sp)
		return -1;
	if (!d->file) {
		/* The first record opens the file: this is when VM/370
		 * gave it its spool id, its class and its hold status. */
		struct cp_spool_file *f = file_new(sp);
		if (!f) {
			notify(sp, d->user, "HCP%03dE SYSTEM SPOOL SPACE FULL",
			       CP_SPOOL_EFULL);
			return -1;
		}
		strcpy(f->owner, d->user);
		strcpy(f->origin, d->user);
		strcpy(f->dist, d->user);
		f->queue = d->type;
		f->origtype = d->type;
		f->cls = d->cls;
		f->copies = d->copies;
		f->user_hold = d->hold;
		f->keep = d->keep;
		f->created = now_secs(sp);
		d->file = f;
	}
	uint32_t max = d->type == CP_SPOOL_PRT ? CP_SPOOL_LINE : CP_SPOOL_CARD;
	if (len > max)
		len = max;
	if (file_add_rec(sp, d->file, buf, len) < 0) {
		notify(sp, d->user, "HCP%03dE SYSTEM SPOOL SPACE FULL", CP_SPOOL_EFULL);
		return -1;
	}
	return (int)len;
}

/* Tell the previous and the new owner that a file moved (SPOOL TO at
 * CLOSE, TRANSFER).  Each line goes to `out` if the actor is that user,
 * else to the user by notify. */
static void tell_moved(struct cp_spool *sp, const char *actor,
		       const struct cp_spool_file *f, const char *from,
		       enum cp_spool_queue fromq, const struct cp_out *out)
{
	char recs[16];
	recs_text(f->nrec, recs);
	char tail[64];
	snprintf(tail, sizeof tail, "RECS %s CPY %03u %c %s %s", recs, f->copies,
		 f->cls, f->user_hold || f->sys_hold ? "HOLD" : "NOHOLD",
		 f->keep ? "KEEP" : "NOKEEP");
	char to_line[160], from_line[160];
	snprintf(to_line, sizeof to_line, "%s FILE %04u SENT TO %s %s AS %04u %s",
		 cp_spool_queue_name(fromq), f->id, f->owner,
		 cp_spool_queue_name(f->queue), f->id, tail);
	snprintf(from_line, sizeof from_line, "%s FILE %04u SENT FROM %s %s WAS %04u %s",
		 cp_spool_queue_name(f->queue), f->id, from,
		 cp_spool_queue_name(fromq), f->id, tail);

	if (!strcmp(from, actor))
		cp_printf(out, "%s", to_line);
	else
		notify(sp, from, "%s", to_line);
	if (strcmp(f->owner, from)) {
		if (!strcmp(f->owner, actor))
			cp_printf(out, "%s", from_line);
		else
			notify(sp, f->owner, "%s", from_line);
	}
	/* A class D operator moving other people's files hears it too. */
	if (strcmp(actor, from) && strcmp(actor, f->owner))
		cp_printf(out, "%s", to_line);
}

/* Close and deliver an output device's open file: to the reader of the
 * device's TO user, else to the owner's own printer or punch queue. */
static void output_close(struct cp_spool *sp, struct cp_spool_dev *d,
			 const char *fn, const char *ft, int hold, bool purge,
			 const struct cp_out *out)
{
	struct cp_spool_file *f = d->file;
	if (!f)
		return;   /* nothing written since the last CLOSE: no file */
	d->file = NULL;
	if (purge) {
		cp_printf(out, "%s FILE %04u PURGED", cp_spool_queue_name(d->type), f->id);
		file_free(sp, f);
		return;
	}
	if (fn) {
		strcpy(f->fn, fn);
		strcpy(f->ft, ft ? ft : "");
	}
	if (hold >= 0)
		f->user_hold = hold;
	if (d->to[0]) {
		strcpy(f->owner, d->to);
		f->queue = CP_SPOOL_RDR;
	}
	if (list_append(sp, f) < 0) {
		cp_printf(out, "HCP%03dE SYSTEM SPOOL SPACE FULL", CP_SPOOL_EFULL);
		file_free(sp, f);
		return;
	}
	if (d->to[0] && strcmp(d->to, d->user)) {
		tell_moved(sp, d->user, f, d->user, d->type, out);
	} else {
		cp_printf(out, "%s FILE %04u TO %s COPY %03u %s",
			  cp_spool_queue_name(d->type), f->id, f->owner, f->copies,
			  f->user_hold ? "HOLD" : "NOHOLD");
	}
}

/* The backend's close: the device is being detached (DETACH, LOGOFF,
 * the end of CP).  An open output file is delivered, as on VM/370; the
 * user hears about it through notify. */
static void notify_line(void *ctx, const char *text)
{
	struct cp_spool_dev *d = ctx;
	if (d->sp && d->sp->cfg.notify)
		d->sp->cfg.notify(d->sp->cfg.ctx, d->user, text);
}

static void dev_close(void *ctx)
{
	struct cp_spool_dev *d = ctx;
	struct cp_spool *sp = d->sp;
	if (sp) {
		struct cp_out o = { notify_line, d };
		if (d->type == CP_SPOOL_RDR) {
			/* A half-read file stays in the reader, to be
			 * read from the start next time. */
			if (d->file)
				file_unread(d->file);
		} else {
			output_close(sp, d, NULL, NULL, -1, false, &o);
		}
		for (struct cp_spool_dev **pp = &sp->devs; *pp; pp = &(*pp)->next) {
			if (*pp == d) {
				*pp = d->next;
				break;
			}
		}
	}
	free(d);
}

static struct cp_spool_dev *dev_find(struct cp_spool *sp, const char *user, int addr)
{
	for (struct cp_spool_dev *d = sp->devs; d; d = d->next)
		if (d->addr == addr && !strcmp(d->user, user))
			return d;
	return NULL;
}

int cp_spool_dev_attach(struct cp_spool *sp, const char *userid, uint16_t addr,
			enum cp_spool_queue type, char cls,
			struct sim_rec_backend *be, const struct cp_out *out)
{
	char user[9];
	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (dev_find(sp, user, addr))
		return msg(out, CP_SPOOL_EDEFINED, "VADDR %03X ALREADY DEFINED", addr);
	char c = type == CP_SPOOL_RDR ? '*' : 'A';
	if (cls) {
		c = parse_class((char[]){ cls, 0 }, type == CP_SPOOL_RDR);
		if (!c)
			return msg(out, CP_SPOOL_ECLASS, "INVALID CLASS - %c", cls);
	}
	struct cp_spool_dev *d = calloc(1, sizeof *d);
	if (!d)
		return msg(out, CP_SPOOL_EFULL, "SYSTEM SPOOL SPACE FULL");
	d->sp = sp;
	strcpy(d->user, user);
	d->addr = addr;
	d->type = type;
	d->cls = c;
	d->copies = 1;
	d->next = sp->devs;
	sp->devs = d;
	*be = (struct sim_rec_backend){
		.ctx = d,
		.read = type == CP_SPOOL_RDR ? rdr_read : NULL,
		.write = type == CP_SPOOL_RDR ? NULL : out_write,
		.close = dev_close,
	};
	return 0;
}

int cp_spool_dev_describe(struct cp_spool *sp, const char *userid,
			  uint16_t addr, const struct cp_out *out)
{
	char user[9];
	struct cp_spool_dev *d = userid_norm(userid, user) ? dev_find(sp, user, addr) : NULL;
	if (!d)
		return msg(out, CP_SPOOL_ENODEV, "DEVICE %03X DOES NOT EXIST", addr);
	if (d->type == CP_SPOOL_RDR)
		cp_printf(out, "RDR %03X CL %c %s %s %s", d->addr, d->cls,
			  d->cont ? "CONT" : "NOCONT", d->hold ? "HOLD" : "NOHOLD",
			  d->keep ? "KEEP" : "NOKEEP");
	else
		cp_printf(out, "%s %03X CL %c %s %s COPY %02u %s%s%s",
			  cp_spool_queue_name(d->type), d->addr, d->cls,
			  d->cont ? "CONT" : "NOCONT", d->hold ? "HOLD" : "NOHOLD",
			  d->copies, d->keep ? "KEEP" : "NOKEEP",
			  d->to[0] ? " TO " : "", d->to);
	return 0;
}

/* ------------------------------------------------------------------ */
/* SPOOL and CLOSE                                                     */

#define MAX_SEL_DEVS 32

/* The devices a SPOOL or CLOSE operand names: one address, or every
 * device of a type.  0 or a message number. */
static int resolve_devs(struct cp_spool *sp, const char *user, const char *w,
			struct cp_spool_dev **devs, int *ndev, const struct cp_out *out)
{
	*ndev = 0;
	int q = parse_queue(w);
	if (q >= 0) {
		for (struct cp_spool_dev *d = sp->devs; d; d = d->next)
			if (d->type == (enum cp_spool_queue)q && !strcmp(d->user, user) &&
			    *ndev < MAX_SEL_DEVS)
				devs[(*ndev)++] = d;
		if (!*ndev)
			return msg(out, CP_SPOOL_ENODEV, "DEVICE %s DOES NOT EXIST",
				   cp_spool_queue_name((enum cp_spool_queue)q));
		return 0;
	}
	size_t n = strlen(w);
	bool hex = n >= 1 && n <= 4;
	for (size_t i = 0; i < n && hex; i++)
		hex = isxdigit((unsigned char)w[i]);
	if (!hex)
		return msg(out, CP_SPOOL_EDEVTYPE, "INVALID DEVICE TYPE - %s", w);
	unsigned addr = (unsigned)strtoul(w, NULL, 16);
	struct cp_spool_dev *d = dev_find(sp, user, (int)addr);
	if (!d)
		return msg(out, CP_SPOOL_ENODEV, "DEVICE %03X DOES NOT EXIST", addr);
	devs[(*ndev)++] = d;
	return 0;
}

/* Set a tri-state option (unset -1, off 0, on 1); giving it twice, or
 * both ways, is a conflict. */
static int set_flag(int *flag, int v, const char *w, const struct cp_out *out)
{
	if (*flag >= 0)
		return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
	*flag = v;
	return 0;
}

/* COPY nn: 1..99. */
static int parse_copies(const char *w)
{
	size_t n = strlen(w);
	if (n < 1 || n > 2 || !isdigit((unsigned char)w[0]) ||
	    (n == 2 && !isdigit((unsigned char)w[1])))
		return -1;
	int v = atoi(w);
	return v >= 1 && v <= 99 ? v : -1;
}

/* The file options SPOOL and CHANGE share, spelled alike in both:
 * CLASS c, HOLD/NOHOLD, KEEP/NOKEEP, and COPY nn (not for a reader).
 * Each may be given once.  -1: argv[*i] is none of these; 0: it was one
 * (*i is at its last word); else the error code, after its message. */
struct file_opts {
	char cls;                /* 0: not given */
	int hold, keep;          /* -1: not given */
	int copies;              /* 0: not given */
};
#define FILE_OPTS_NONE { .cls = 0, .hold = -1, .keep = -1, .copies = 0 }

static int file_option(int argc, const char *const *argv, int *i, bool reader,
		       struct file_opts *o, const struct cp_out *out)
{
	const char *w = argv[*i];
	if (abbrev(w, "CLASS", 2)) {
		if (o->cls)
			return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
		if (*i + 1 >= argc)
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		if (!(o->cls = parse_class(argv[++*i], reader)))
			return msg(out, CP_SPOOL_ECLASS, "INVALID CLASS - %s", argv[*i]);
		return 0;
	}
	if (abbrev(w, "HOLD", 2))
		return set_flag(&o->hold, 1, w, out);
	if (abbrev(w, "NOHOLD", 3))
		return set_flag(&o->hold, 0, w, out);
	if (abbrev(w, "KEEP", 2))
		return set_flag(&o->keep, 1, w, out);
	if (abbrev(w, "NOKEEP", 3))
		return set_flag(&o->keep, 0, w, out);
	if (!reader && abbrev(w, "COPY", 2)) {
		if (o->copies)
			return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
		if (*i + 1 >= argc || (o->copies = parse_copies(argv[*i + 1])) < 0)
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		++*i;
		return 0;
	}
	return -1;
}

int cp_spool_cmd_spool(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9];
	struct cp_spool_dev *devs[MAX_SEL_DEVS];
	int ndev, rc;
	(void)priv;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	if ((rc = resolve_devs(sp, user, argv[0], devs, &ndev, out)) != 0)
		return rc;
	if (argc < 2)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");

	bool reader = devs[0]->type == CP_SPOOL_RDR;  /* all alike, or one */
	int cont = -1, to_set = -1, close = -1;
	struct file_opts o = FILE_OPTS_NONE;
	char to[9] = "";

	/* First check every option; only then change the devices. */
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if ((rc = file_option(argc, argv, &i, reader, &o, out)) >= 0) {
			if (rc)
				return rc;
		} else if (abbrev(w, "CONT", 3)) {
			if ((rc = set_flag(&cont, 1, w, out)))
				return rc;
		} else if (abbrev(w, "NOCONT", 3)) {
			if ((rc = set_flag(&cont, 0, w, out)))
				return rc;
		} else if (!reader && (!strcasecmp(w, "TO") || !strcasecmp(w, "OFF"))) {
			if (to_set >= 0)
				return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
			to_set = 1;
			if (!strcasecmp(w, "OFF")) {
				to[0] = 0;
			} else {
				if (i + 1 >= argc)
					return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
				if ((rc = check_user(sp, user, argv[++i], to, out)))
					return rc;
			}
		} else if (!reader && !strcasecmp(w, "CLOSE")) {
			if ((rc = set_flag(&close, 1, w, out)))
				return rc;
		} else {
			return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", w);
		}
	}
	for (int k = 0; k < ndev; k++) {
		struct cp_spool_dev *d = devs[k];
		if (o.cls)
			d->cls = o.cls;
		if (cont >= 0)
			d->cont = cont;
		if (o.hold >= 0)
			d->hold = o.hold;
		if (o.keep >= 0)
			d->keep = o.keep;
		if (o.copies)
			d->copies = (uint8_t)o.copies;
		if (to_set > 0)
			strcpy(d->to, to);
		if (close > 0)
			output_close(sp, d, NULL, NULL, -1, false, out);
	}
	return 0;
}

int cp_spool_close(struct cp_spool *sp, const char *userid, int addr,
		   const struct cp_out *out)
{
	char user[9];
	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (addr >= 0 && !dev_find(sp, user, addr))
		return msg(out, CP_SPOOL_ENODEV, "DEVICE %03X DOES NOT EXIST", addr);
	for (struct cp_spool_dev *d = sp->devs; d; d = d->next) {
		if (strcmp(d->user, user) || (addr >= 0 && d->addr != addr))
			continue;
		if (d->type == CP_SPOOL_RDR)
			rdr_finish(sp, d, false);
		else
			output_close(sp, d, NULL, NULL, -1, false, out);
	}
	return 0;
}

int cp_spool_cmd_close(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], fn[9] = "", ft[9] = "";
	struct cp_spool_dev *devs[MAX_SEL_DEVS];
	int ndev, rc, hold = -1, purge = -1;
	bool named = false;
	(void)priv;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1)
		return msg(out, CP_SPOOL_EVADDR, "VIRTUAL DEVICE ADDRESS MISSING OR INVALID");
	if ((rc = resolve_devs(sp, user, argv[0], devs, &ndev, out)) != 0)
		return rc;
	bool reader = devs[0]->type == CP_SPOOL_RDR;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (!reader && abbrev(w, "NAME", 2)) {
			if (named)
				return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
			named = true;
			if (i + 1 >= argc || !label_norm(argv[i + 1], fn))
				return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
			i++;
			/* The type is optional: take the next word unless
			 * it is one of CLOSE's own options. */
			if (i + 1 < argc && !abbrev(argv[i + 1], "HOLD", 2) &&
			    !abbrev(argv[i + 1], "NOHOLD", 3) &&
			    !abbrev(argv[i + 1], "PURGE", 2)) {
				if (!label_norm(argv[i + 1], ft))
					return msg(out, CP_SPOOL_EOPERAND,
						   "OPERAND MISSING OR INVALID");
				i++;
			}
		} else if (abbrev(w, "HOLD", 2)) {
			if ((rc = set_flag(&hold, 1, w, out)))
				return rc;
		} else if (abbrev(w, "NOHOLD", 3)) {
			if ((rc = set_flag(&hold, 0, w, out)))
				return rc;
		} else if (!reader && abbrev(w, "PURGE", 2)) {
			if ((rc = set_flag(&purge, 1, w, out)))
				return rc;
		} else {
			return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", w);
		}
	}
	if (purge > 0 && (named || hold >= 0))
		return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - PURGE");
	for (int k = 0; k < ndev; k++) {
		struct cp_spool_dev *d = devs[k];
		if (d->type == CP_SPOOL_RDR)
			rdr_finish(sp, d, hold > 0);
		else
			output_close(sp, d, named ? fn : NULL, named ? ft : NULL,
				     hold, purge > 0, out);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Selecting files: spoolid | CLASS c | ALL                            */

struct selector {
	int id;       /* > 0: this file */
	char cls;     /* != 0: files of this class */
	bool all;
};

/* Parse a selector at argv[*i]; 0 or a message number. */
static int parse_selector(int argc, const char *const *argv, int *i,
			  struct selector *s, const struct cp_out *out)
{
	memset(s, 0, sizeof *s);
	if (*i >= argc)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	const char *w = argv[*i];
	if (!strcasecmp(w, "ALL")) {
		s->all = true;
	} else if (abbrev(w, "CLASS", 2)) {
		if (*i + 1 >= argc)
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		if (!(s->cls = parse_class(argv[++*i], false)))
			return msg(out, CP_SPOOL_ECLASS, "INVALID CLASS - %s", argv[*i]);
	} else if ((s->id = parse_id(w)) < 0) {
		return msg(out, CP_SPOOL_ESPOOLID, "INVALID SPOOLID - %s", w);
	}
	++*i;
	return 0;
}

static bool sel_match(const struct selector *s, const struct cp_spool_file *f)
{
	return s->all || (s->cls && f->cls == s->cls) || (s->id && f->id == s->id);
}

/* Move a file to the end of the list, into owner's queue q. */
static void file_move(struct cp_spool *sp, struct cp_spool_file *f,
		      const char *owner, enum cp_spool_queue q)
{
	file_unread(f);
	list_remove(sp, f);
	strcpy(f->owner, owner);
	f->queue = q;
	sp->files[sp->nfiles++] = f;   /* the slot just freed: cannot fail */
	f->seq = ++sp->maxseq;
	f->dirty = true;
}

/* ------------------------------------------------------------------ */
/* TRANSFER                                                            */

int cp_spool_cmd_transfer(struct cp_spool *sp, const char *userid, bool priv,
			  int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], other[9];
	struct selector s;
	int i = 0, rc;
	enum cp_spool_queue q = CP_SPOOL_RDR, destq = CP_SPOOL_RDR;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (i < argc && parse_queue(argv[i]) >= 0)
		q = (enum cp_spool_queue)parse_queue(argv[i++]);
	if ((rc = parse_selector(argc, argv, &i, &s, out)))
		return rc;
	if (i >= argc)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	bool from;
	if (!strcasecmp(argv[i], "TO"))
		from = false;
	else if (!strcasecmp(argv[i], "FROM"))
		from = true;
	else
		return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", argv[i]);
	i++;
	if (i >= argc)
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if ((rc = check_owner(sp, user, argv[i++], priv && from, other, out)))
		return rc;
	if (!from && i < argc) {
		int dq = parse_queue(argv[i]);
		if (dq < 0)
			return msg(out, CP_SPOOL_EDEVTYPE, "INVALID DEVICE TYPE - %s", argv[i]);
		destq = (enum cp_spool_queue)dq;
		i++;
	}
	if (i < argc)
		return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", argv[i]);

	/*
	 * Which files.  TO: from the actor's own queue q; a class D user may
	 * name anybody's file by its id.  FROM: from other's queue q, the
	 * files the actor created (reclaiming what one sent by mistake);
	 * class D: any of them.  They land in the actor's reader.
	 */
	const char *src = from ? other : user;
	const char *dest = from ? user : other;
	if (from)
		destq = CP_SPOOL_RDR;
	if (s.id) {
		struct cp_spool_file *f = find_id(sp, s.id);
		if (!f || f->queue != q || (from && strcmp(f->owner, other)) ||
		    (!from && !priv && strcmp(f->owner, user)))
			return msg(out, CP_SPOOL_ENOFILE, "SPOOLID %04d DOES NOT EXIST", s.id);
		if (!priv && from && strcmp(f->origin, user))
			return msg(out, CP_SPOOL_EPRIVFILE,
				   "FILE %04d IS OWNED BY %s - CLASS D REQUIRED",
				   s.id, f->owner);
		char prev[9];
		strcpy(prev, f->owner);
		file_move(sp, f, dest, destq);
		tell_moved(sp, user, f, prev, q, out);
		return 0;
	}
	int moved = 0;
	/* Collect first, then move: moving reorders the list. */
	struct cp_spool_file **sel = malloc((size_t)(sp->nfiles + 1) * sizeof *sel);
	if (!sel)
		return msg(out, CP_SPOOL_EFULL, "SYSTEM SPOOL SPACE FULL");
	int nsel = 0;
	for (int k = 0; k < sp->nfiles; k++) {
		struct cp_spool_file *f = sp->files[k];
		if (f->queue == q && !strcmp(f->owner, src) && sel_match(&s, f) &&
		    (!from || priv || !strcmp(f->origin, user)))
			sel[nsel++] = f;
	}
	for (int k = 0; k < nsel; k++) {
		char prev[9];
		strcpy(prev, sel[k]->owner);
		file_move(sp, sel[k], dest, destq);
		tell_moved(sp, user, sel[k], prev, q, out);
		moved++;
	}
	free(sel);
	if (!moved)
		cp_printf(out, "NO %s FILES TRANSFERRED", cp_spool_queue_name(q));
	return 0;
}

/* ------------------------------------------------------------------ */
/* PURGE                                                               */

#define MAX_SELECTORS 64

int cp_spool_cmd_purge(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], target[9];
	struct selector sel[MAX_SELECTORS];
	int nsel = 0, i = 0, rc;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	strcpy(target, user);
	/* PURGE userid ...: the spooling operator's form. */
	if (parse_queue(argv[0]) < 0 && strcasecmp(argv[0], "ALL")) {
		if (argc < 2 || (parse_queue(argv[1]) < 0 && strcasecmp(argv[1], "ALL")))
			return msg(out, CP_SPOOL_EDEVTYPE, "INVALID DEVICE TYPE - %s",
				   argc < 2 ? argv[0] : argv[1]);
		if ((rc = check_owner(sp, user, argv[0], priv, target, out)))
			return rc;
		i = 1;
	}
	bool queues[3] = { false, false, false };
	const char *qword = argv[i];
	if (!strcasecmp(argv[i], "ALL")) {
		queues[0] = queues[1] = queues[2] = true;
	} else {
		queues[parse_queue(argv[i])] = true;
	}
	i++;
	if (strcmp(target, user) && !priv)
		return msg(out, CP_SPOOL_EPRIVQUEUE, "%s %s QUEUE - CLASS D REQUIRED",
			   target, queues[0] && queues[1] ? "ALL" :
			   cp_spool_queue_name(queues[0] ? CP_SPOOL_RDR :
					       queues[1] ? CP_SPOOL_PRT : CP_SPOOL_PUN));
	if (i >= argc) {
		/* "PURGE ALL": every file in every queue.  "PURGE RDR"
		 * alone is too easy a slip to mean everything. */
		if (!strcasecmp(qword, "ALL")) {
			sel[nsel++] = (struct selector){ .all = true };
		} else {
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		}
	}
	while (i < argc) {
		if (nsel == MAX_SELECTORS)
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		if ((rc = parse_selector(argc, argv, &i, &sel[nsel], out)))
			return rc;
		nsel++;
	}
	/* Every named file must exist in the queues named, before any is
	 * purged. */
	for (int k = 0; k < nsel; k++) {
		if (!sel[k].id)
			continue;
		struct cp_spool_file *f = find_id(sp, sel[k].id);
		if (!f || strcmp(f->owner, target) || !queues[f->queue])
			return msg(out, CP_SPOOL_ENOFILE, "SPOOLID %04d DOES NOT EXIST",
				   sel[k].id);
	}
	int purged = 0;
	for (int k = 0; k < sp->nfiles;) {
		struct cp_spool_file *f = sp->files[k];
		bool hit = false;
		if (!strcmp(f->owner, target) && queues[f->queue])
			for (int j = 0; j < nsel && !hit; j++)
				hit = sel_match(&sel[j], f);
		if (hit) {
			file_purge(sp, f);   /* the list closes up over k */
			purged++;
		} else {
			k++;
		}
	}
	if (!purged)
		cp_printf(out, "NO FILES PURGED");
	else
		cp_printf(out, "%04d FILE%s PURGED", purged, purged == 1 ? "" : "S");
	return 0;
}

/* ------------------------------------------------------------------ */
/* QUERY                                                               */

static void query_line(struct cp_spool *sp, const struct cp_spool_file *f,
		       bool system, bool all, const struct cp_out *out)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%-8s %04u %c %s %08u %03u %-4s",
			 system ? f->owner : f->origin, f->id, f->cls,
			 cp_spool_queue_name(f->origtype), f->nrec, f->copies,
			 hold_text(f));
	if (all) {
		/* gmtime_r is plain arithmetic on the simulated seconds
		 * given: it reads no clock. */
		time_t t = (time_t)f->created;
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		gmtime_r(&t, &tm);
		snprintf(line + n, sizeof line - (size_t)n,
			 " %02d/%02d %02d:%02d:%02d %-8s %-8s %-8s",
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			 f->fn, f->ft, f->dist);
	}
	size_t len = strlen(line);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = 0;
	(void)sp;
	cp_printf(out, "%s", line);
}

int cp_spool_cmd_query(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], target[9];
	int rc;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	strcpy(target, user);

	if (abbrev(argv[0], "FILES", 1)) {
		if (argc > 2)
			return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", argv[2]);
		if (argc == 2 && (rc = check_owner(sp, user, argv[1], priv, target, out)))
			return rc;
		if (strcmp(target, user) && !priv)
			return msg(out, CP_SPOOL_EPRIVQUEUE,
				   "%s FILES - CLASS D REQUIRED", target);
		int cnt[3] = { 0, 0, 0 };
		for (int k = 0; k < sp->nfiles; k++)
			if (!strcmp(sp->files[k]->owner, target))
				cnt[sp->files[k]->queue]++;
		char part[3][16];
		for (int q = 0; q < 3; q++) {
			if (cnt[q])
				snprintf(part[q], sizeof part[q], "%04d %s", cnt[q],
					 queue_names[q]);
			else
				snprintf(part[q], sizeof part[q], "NO %s", queue_names[q]);
		}
		cp_printf(out, "FILES: %s, %s, %s", part[0], part[1], part[2]);
		return 0;
	}

	int q = parse_queue(argv[0]);
	if (q < 0)
		return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", argv[0]);
	bool all = false, system = false, who = false;
	int only = 0;   /* a spoolid: just that file */
	for (int i = 1; i < argc; i++) {
		if (!only && parse_id(argv[i]) > 0) {
			/* As on VM/370, a number is a spoolid, not a user. */
			only = parse_id(argv[i]);
		} else if (!strcasecmp(argv[i], "ALL")) {
			if (all)
				return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - ALL");
			all = true;
		} else if (!who && !strcasecmp(argv[i], "SYSTEM")) {
			who = system = true;
		} else if (!who) {
			if ((rc = check_owner(sp, user, argv[i], priv, target, out)))
				return rc;
			who = true;
		} else {
			return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", argv[i]);
		}
	}
	if ((system || strcmp(target, user)) && !priv)
		return msg(out, CP_SPOOL_EPRIVQUEUE, "%s %s QUEUE - CLASS D REQUIRED",
			   system ? "SYSTEM" : target, queue_names[q]);

	bool any = false;
	for (int k = 0; k < sp->nfiles; k++) {
		const struct cp_spool_file *f = sp->files[k];
		if (f->queue != (enum cp_spool_queue)q ||
		    (!system && strcmp(f->owner, target)) || (only && f->id != only))
			continue;
		if (!any) {
			cp_printf(out, "%s FILE CLASS RECORDS  CPY HOLD%s",
				  system ? "OWNERID " : "ORIGINID",
				  all ? " DATE  TIME     NAME     TYPE     DIST" : "");
			any = true;
		}
		query_line(sp, f, system, all, out);
	}
	if (!any && only)
		return msg(out, CP_SPOOL_ENOFILE, "SPOOLID %04d DOES NOT EXIST", only);
	if (!any)
		cp_printf(out, "NO %s FILES", queue_names[q]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* ORDER and CHANGE                                                    */

int cp_spool_cmd_order(struct cp_spool *sp, const char *userid, bool priv,
		       int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], target[9];
	int i = 0, rc, ids[MAX_SELECTORS], nid = 0;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	strcpy(target, user);
	if (parse_queue(argv[0]) < 0 && argc >= 2 && parse_queue(argv[1]) >= 0) {
		if ((rc = check_owner(sp, user, argv[0], priv, target, out)))
			return rc;
		i = 1;
	}
	int q = parse_queue(argv[i]);
	if (q < 0)
		return msg(out, CP_SPOOL_EDEVTYPE, "INVALID DEVICE TYPE - %s", argv[i]);
	if (strcmp(target, user) && !priv)
		return msg(out, CP_SPOOL_EPRIVQUEUE, "%s %s QUEUE - CLASS D REQUIRED",
			   target, queue_names[q]);
	if (++i >= argc)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	for (; i < argc; i++) {
		int id = parse_id(argv[i]);
		if (id < 0)
			return msg(out, CP_SPOOL_ESPOOLID, "INVALID SPOOLID - %s", argv[i]);
		const struct cp_spool_file *f = find_id(sp, id);
		if (!f || f->queue != (enum cp_spool_queue)q || strcmp(f->owner, target))
			return msg(out, CP_SPOOL_ENOFILE, "SPOOLID %04d DOES NOT EXIST", id);
		for (int k = 0; k < nid; k++)
			if (ids[k] == id)
				return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s",
					   argv[i]);
		if (nid == MAX_SELECTORS)
			return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
		ids[nid++] = id;
	}
	/* Move each to the very front, last named first, so that they end
	 * up first in the order named.  Other users' queues are only
	 * shifted, never reordered among themselves. */
	for (int k = nid - 1; k >= 0; k--) {
		struct cp_spool_file *f = find_id(sp, ids[k]);
		int at = list_index(sp, f);
		assert(at >= 0 && "cp_spool_cmd_order: a checked file vanished");
		memmove(&sp->files[1], &sp->files[0], (size_t)at * sizeof *sp->files);
		sp->files[0] = f;
		f->seq = --sp->minseq;
		f->dirty = true;
	}
	cp_printf(out, "%04d FILE%s ORDERED", nid, nid == 1 ? "" : "S");
	return 0;
}

int cp_spool_cmd_change(struct cp_spool *sp, const char *userid, bool priv,
			int argc, const char *const *argv, const struct cp_out *out)
{
	char user[9], fn[9] = "", ft[9] = "";
	struct selector s;
	int i = 0, rc;
	struct file_opts o = FILE_OPTS_NONE;
	bool named = false;

	if (!userid_norm(userid, user))
		return msg(out, CP_SPOOL_EUSERID, "USERID MISSING OR INVALID");
	if (argc < 1 || parse_queue(argv[0]) < 0)
		return msg(out, CP_SPOOL_EDEVTYPE, "INVALID DEVICE TYPE - %s",
			   argc < 1 ? "" : argv[0]);
	enum cp_spool_queue q = (enum cp_spool_queue)parse_queue(argv[i++]);
	if ((rc = parse_selector(argc, argv, &i, &s, out)))
		return rc;
	if (i >= argc)
		return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
	for (; i < argc; i++) {
		const char *w = argv[i];
		if ((rc = file_option(argc, argv, &i, false, &o, out)) >= 0) {
			if (rc)
				return rc;
		} else if (abbrev(w, "NAME", 2)) {
			if (named)
				return msg(out, CP_SPOOL_ECONFLICT, "CONFLICTING OPTION - %s", w);
			named = true;
			if (i + 2 >= argc || !label_norm(argv[i + 1], fn) ||
			    !label_norm(argv[i + 2], ft))
				return msg(out, CP_SPOOL_EOPERAND, "OPERAND MISSING OR INVALID");
			i += 2;
		} else {
			return msg(out, CP_SPOOL_EOPTION, "INVALID OPTION - %s", w);
		}
	}
	if (s.id) {
		struct cp_spool_file *f = find_id(sp, s.id);
		if (!f || f->queue != q)
			return msg(out, CP_SPOOL_ENOFILE, "SPOOLID %04d DOES NOT EXIST", s.id);
		if (strcmp(f->owner, user) && !priv)
			return msg(out, CP_SPOOL_EPRIVFILE,
				   "FILE %04d IS OWNED BY %s - CLASS D REQUIRED",
				   s.id, f->owner);
	}
	int changed = 0;
	for (int k = 0; k < sp->nfiles; k++) {
		struct cp_spool_file *f = sp->files[k];
		if (f->queue != q || !sel_match(&s, f) ||
		    (!s.id && strcmp(f->owner, user)))
			continue;
		if (o.cls)
			f->cls = o.cls;
		/* The spooling operator holding someone else's file puts it
		 * in *system* hold, which its owner cannot release. */
		if (o.hold > 0 && priv && strcmp(f->owner, user))
			f->sys_hold = true;
		else if (o.hold > 0)
			f->user_hold = true;
		if (o.hold == 0) {
			f->user_hold = false;
			if (priv)
				f->sys_hold = false;
		}
		if (o.keep >= 0)
			f->keep = o.keep;
		if (o.copies)
			f->copies = (uint8_t)o.copies;
		if (named) {
			strcpy(f->fn, fn);
			strcpy(f->ft, ft);
		}
		f->dirty = true;
		changed++;
	}
	if (!changed)
		cp_printf(out, "NO FILES CHANGED");
	else
		cp_printf(out, "%04d FILE%s CHANGED", changed, changed == 1 ? "" : "S");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Saving and loading (format in spool.h)                              */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *t = realloc(b->p, cap);
		if (!t) {
			b->oom = true;
			return;
		}
		b->p = t;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* FNV-1a, 64 bits: tiny, and enough to notice a torn or edited file
 * (it is a check against accidents, not against an adversary). */
static uint64_t fnv1a(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Write data to dir/name whole or not at all (sim/hostfile.h): a reader,
 * or a restart after a kill, sees the whole old file or the whole new
 * one.  The folder is fsynced once after a whole save, not per file.
 * 0 or -errno. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t n)
{
	char path[4400];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return sim_file_write(path, data, n, SIM_FILE_REPLACE, NULL, 0);
}

static void encode_file(struct buf *b, const struct cp_spool_file *f)
{
	buf_printf(b, "VMLAB-SPOOL-FILE 1\n");
	buf_printf(b, "ID %u\nSEQ %lld\nOWNER %s\nQUEUE %s\nORIGIN %s\nORIGTYPE %s\n",
		   f->id, (long long)f->seq, f->owner, cp_spool_queue_name(f->queue), f->origin,
		   cp_spool_queue_name(f->origtype));
	buf_printf(b, "CLASS %c\nHOLD %s\nKEEP %d\nCOPY %u\nCREATED %llu\n", f->cls,
		   hold_text(f), f->keep ? 1 : 0, f->copies,
		   (unsigned long long)f->created);
	if (f->fn[0])
		buf_printf(b, "NAME %s%s%s\n", f->fn, f->ft[0] ? " " : "", f->ft);
	else
		buf_printf(b, "NAME\n");
	buf_printf(b, "DIST %s\nRECORDS %u\n", f->dist, f->nrec);
	for (uint32_t i = 0; i < f->nrec; i++) {
		buf_add(b, "|", 1);
		const uint8_t *d = f->rec[i].data;
		for (uint32_t j = 0; j < f->rec[i].len; j++) {
			if (d[j] >= 0x20 && d[j] <= 0x7E && d[j] != '\\')
				buf_add(b, &d[j], 1);
			else
				buf_printf(b, "\\x%02X", d[j]);
		}
		buf_add(b, "\n", 1);
	}
	uint64_t h = fnv1a(b->p, b->len);
	buf_printf(b, "END %u %016llx\n", f->nrec, (unsigned long long)h);
}

/* "0012.spf" -> 12; -1 for any other name. */
static int spf_id(const char *name)
{
	if (strlen(name) != 8 || strcmp(name + 4, ".spf"))
		return -1;
	char digits[5];
	memcpy(digits, name, 4);
	digits[4] = 0;
	return parse_id(digits);
}

static int state_error(const struct cp_out *out, const char *path, int err)
{
	return msg(out, CP_SPOOL_ESTATE, "SPOOL STATE %s: %s", path, strerror(-err));
}

int cp_spool_save(struct cp_spool *sp, const char *folder, const struct cp_out *out)
{
	char dir[4096], path[4400];
	int rc, first = 0;

	snprintf(dir, sizeof dir, "%s/spool", folder);
	if (mkdir(folder, 0755) < 0 && errno != EEXIST)
		return state_error(out, folder, -errno);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return state_error(out, dir, -errno);

	/* What is on disk now.  Reading the folder is cheap next to one
	 * fsync, and it makes the save right even if someone removed or
	 * moved a file behind our back. */
	uint8_t present[CP_SPOOL_MAXID + 1] = { 0 };
	bool have_state = false;
	DIR *dh = opendir(dir);
	if (!dh)
		return state_error(out, dir, -errno);
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		int id = spf_id(e->d_name);
		if (id > 0)
			present[id] = 1;
		else if (!strcmp(e->d_name, "STATE"))
			have_state = true;
	}
	closedir(dh);

	/* A folder we have not saved to yet gets everything. */
	bool all = strcmp(sp->saved_to, folder) != 0;
	for (int k = 0; k < sp->nfiles; k++) {
		struct cp_spool_file *f = sp->files[k];
		if (!all && !f->dirty && present[f->id])
			continue;
		struct buf b = { 0 };
		char name[16];
		encode_file(&b, f);
		snprintf(name, sizeof name, "%04u.spf", f->id);
		rc = b.oom ? -ENOMEM : write_atomic(dir, name, b.p, b.len);
		free(b.p);
		if (rc == 0) {
			f->dirty = false;
		} else {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			int m = state_error(out, path, rc);
			if (!first)
				first = m;
		}
	}
	if (all || !have_state || sp->saved_nextid != sp->nextid) {
		char state[64];
		int n = snprintf(state, sizeof state, "VMLAB-SPOOL 1\nNEXTID %d\n",
				 sp->nextid);
		if ((rc = write_atomic(dir, "STATE", state, (size_t)n)) < 0) {
			snprintf(path, sizeof path, "%s/STATE", dir);
			int m = state_error(out, path, rc);
			if (!first)
				first = m;
		} else {
			sp->saved_nextid = sp->nextid;
		}
	}
	sim_fsync_dir(dir);
	if (first) {
		sp->saved_to[0] = 0;   /* next time: everything again */
		return first;          /* keep the old files: something is wrong */
	}
	snprintf(sp->saved_to, sizeof sp->saved_to, "%s", folder);

	/* Only now, with every file safely written, remove the files of
	 * spool files that are gone (purged, or read and not kept), and
	 * the temporary files of a save that was killed half-way. */
	dh = opendir(dir);
	if (!dh)
		return state_error(out, dir, -errno);
	bool unlinked = false;
	while ((e = readdir(dh)) != NULL) {
		int id = spf_id(e->d_name);
		if ((id > 0 && !find_id(sp, id)) || sim_file_is_tmp(e->d_name)) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
			unlinked = true;
		}
	}
	closedir(dh);
	if (unlinked)
		sim_fsync_dir(dir);
	return 0;
}

/* A cursor over a file being parsed, line by line. */
struct rd {
	const char *p, *end;
	int line;
	char why[96];
};

/* The next line, without its newline, into *s / *n.  false at the end. */
static bool rd_line(struct rd *r, const char **s, size_t *n)
{
	if (r->p >= r->end)
		return false;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	if (!nl)
		return false;   /* every line of ours ends with a newline */
	*s = r->p;
	*n = (size_t)(nl - r->p);
	r->p = nl + 1;
	r->line++;
	return true;
}

/* The next line must be "KEY value" (value up to cap-1 bytes, possibly
 * empty when the line is just "KEY"). */
static bool rd_kv(struct rd *r, const char *key, char *val, size_t cap)
{
	const char *s;
	size_t n, k = strlen(key);
	if (!rd_line(r, &s, &n)) {
		snprintf(r->why, sizeof r->why, "ENDS BEFORE %s", key);
		return false;
	}
	if (n < k || memcmp(s, key, k) || (n > k && s[k] != ' ')) {
		snprintf(r->why, sizeof r->why, "LINE %d: %s EXPECTED", r->line, key);
		return false;
	}
	size_t vn = n > k ? n - k - 1 : 0;
	if (vn >= cap) {
		snprintf(r->why, sizeof r->why, "LINE %d: %s TOO LONG", r->line, key);
		return false;
	}
	memcpy(val, s + n - vn, vn);
	val[vn] = 0;
	return true;
}

static bool rd_num(struct rd *r, const char *key, unsigned long long max,
		   unsigned long long *v)
{
	char val[32], *endp;
	if (!rd_kv(r, key, val, sizeof val))
		return false;
	errno = 0;
	*v = strtoull(val, &endp, 10);
	if (!val[0] || *endp || errno || *v > max || !isdigit((unsigned char)val[0])) {
		snprintf(r->why, sizeof r->why, "LINE %d: BAD %s", r->line, key);
		return false;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)toupper((unsigned char)c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parse one saved file.  Returns the new file (not yet in the list, its
 * id not yet taken) or NULL with r->why set. */
static struct cp_spool_file *decode_file(struct cp_spool *sp, const char *data,
					 size_t n, int want_id, long long *seq,
					 struct rd *r)
{
	char val[64];
	unsigned long long v;
	struct cp_spool_file *f = NULL;
	uint8_t *rec = NULL;

	/* The checksum first: it covers everything before the END line. */
	if (n < 2 || data[n - 1] != '\n') {
		snprintf(r->why, sizeof r->why, "TRUNCATED");
		return NULL;
	}
	const char *last = data + n - 1;
	while (last > data && last[-1] != '\n')
		last--;
	unsigned endrecs;
	unsigned long long h;
	if (sscanf(last, "END %u %16llx\n", &endrecs, &h) != 2) {
		snprintf(r->why, sizeof r->why, "NO END LINE (TRUNCATED)");
		return NULL;
	}
	if (fnv1a(data, (size_t)(last - data)) != h) {
		snprintf(r->why, sizeof r->why, "CHECKSUM MISMATCH");
		return NULL;
	}
	r->p = data;
	r->end = last;
	r->line = 0;

	if (!rd_kv(r, "VMLAB-SPOOL-FILE", val, sizeof val) || strcmp(val, "1")) {
		if (!r->why[0])
			snprintf(r->why, sizeof r->why, "UNKNOWN FORMAT VERSION");
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(r->why, sizeof r->why, "OUT OF MEMORY");
		return NULL;
	}
	if (!rd_num(r, "ID", CP_SPOOL_MAXID, &v))
		goto bad;
	if ((int)v != want_id) {
		snprintf(r->why, sizeof r->why, "ID %llu IN FILE %04d", v, want_id);
		goto bad;
	}
	f->id = (uint16_t)v;
	if (!rd_kv(r, "SEQ", val, sizeof val))
		goto bad;
	{
		char *endp;
		errno = 0;
		long long sv = strtoll(val, &endp, 10);
		if (!val[0] || *endp || errno) {
			snprintf(r->why, sizeof r->why, "LINE %d: BAD SEQ", r->line);
			goto bad;
		}
		*seq = sv;
	}
	if (!rd_kv(r, "OWNER", val, sizeof val) || !userid_norm(val, f->owner))
		goto badfield;
	if (!rd_kv(r, "QUEUE", val, sizeof val) || parse_queue(val) < 0 || strlen(val) != 3)
		goto badfield;
	f->queue = (enum cp_spool_queue)parse_queue(val);
	if (!rd_kv(r, "ORIGIN", val, sizeof val) || !userid_norm(val, f->origin))
		goto badfield;
	if (!rd_kv(r, "ORIGTYPE", val, sizeof val) || parse_queue(val) < 0 || strlen(val) != 3)
		goto badfield;
	f->origtype = (enum cp_spool_queue)parse_queue(val);
	if (!rd_kv(r, "CLASS", val, sizeof val) || !(f->cls = parse_class(val, false)))
		goto badfield;
	if (!rd_kv(r, "HOLD", val, sizeof val))
		goto bad;
	if (!strcmp(val, "USER"))
		f->user_hold = true;
	else if (!strcmp(val, "SYS"))
		f->sys_hold = true;
	else if (!strcmp(val, "USYS"))
		f->user_hold = f->sys_hold = true;
	else if (strcmp(val, "NONE"))
		goto badfield;
	if (!rd_num(r, "KEEP", 1, &v))
		goto bad;
	f->keep = v;
	if (!rd_num(r, "COPY", 99, &v) || v < 1)
		goto badfield;
	f->copies = (uint8_t)v;
	if (!rd_num(r, "CREATED", UINT64_MAX, &v))
		goto bad;
	f->created = v;
	if (!rd_kv(r, "NAME", val, sizeof val))
		goto bad;
	if (val[0]) {
		char a[64] = "", b[64] = "";
		int k = sscanf(val, "%63s %63s", a, b);
		if (k < 1 || !label_norm(a, f->fn) || (k == 2 && !label_norm(b, f->ft)))
			goto badfield;
	}
	if (!rd_kv(r, "DIST", val, sizeof val) || !userid_norm(val, f->dist))
		goto badfield;
	if (!rd_num(r, "RECORDS", max_records(sp), &v))
		goto bad;
	if (v != endrecs) {
		snprintf(r->why, sizeof r->why, "RECORDS %llu BUT END %u", v, endrecs);
		goto bad;
	}
	uint32_t nrec = (uint32_t)v;
	rec = malloc(0x10000);
	if (!rec) {
		snprintf(r->why, sizeof r->why, "OUT OF MEMORY");
		goto bad;
	}
	for (uint32_t i = 0; i < nrec; i++) {
		const char *s;
		size_t len, out = 0;
		if (!rd_line(r, &s, &len)) {
			snprintf(r->why, sizeof r->why, "ONLY %u OF %u RECORDS", i, nrec);
			goto bad;
		}
		if (len < 1 || s[0] != '|') {
			snprintf(r->why, sizeof r->why, "LINE %d: RECORD EXPECTED", r->line);
			goto bad;
		}
		for (size_t j = 1; j < len; j++) {
			int c = (unsigned char)s[j];
			if (c == '\\') {
				if (j + 3 >= len + 0 || s[j + 1] != 'x' ||
				    hexval(s[j + 2]) < 0 || hexval(s[j + 3]) < 0) {
					snprintf(r->why, sizeof r->why,
						 "LINE %d: BAD ESCAPE", r->line);
					goto bad;
				}
				c = hexval(s[j + 2]) * 16 + hexval(s[j + 3]);
				j += 3;
			}
			if (out == 0xFFFF) {
				snprintf(r->why, sizeof r->why, "LINE %d: RECORD TOO LONG",
					 r->line);
				goto bad;
			}
			rec[out++] = (uint8_t)c;
		}
		if (file_add_rec(sp, f, rec, (uint32_t)out) < 0) {
			snprintf(r->why, sizeof r->why, "SYSTEM SPOOL SPACE FULL");
			goto bad;
		}
	}
	if (r->p != r->end) {
		snprintf(r->why, sizeof r->why, "LINE %d: EXTRA DATA", r->line + 1);
		goto bad;
	}
	free(rec);
	return f;
badfield:
	if (!r->why[0])
		snprintf(r->why, sizeof r->why, "LINE %d: BAD VALUE", r->line);
bad:
	free(rec);
	f->id = 0;       /* not taken: file_free must not release it */
	file_free(sp, f);
	return NULL;
}

/* Read a whole file; NULL with errno set. */
static char *slurp(const char *path, size_t *n)
{
	char *data;
	int rc = sim_file_read(path, SIZE_MAX, &data, n, NULL, 0);
	errno = -rc;
	return data;
}

/* Processing order: by order key, then (keys equal only when files
 * from two saves were loaded together) by id. */
static int cmp_seq(const void *a, const void *b)
{
	const struct cp_spool_file *x = *(struct cp_spool_file *const *)a;
	const struct cp_spool_file *y = *(struct cp_spool_file *const *)b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (int)x->id - (int)y->id;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A damaged file: say so, and move it aside (kept for the curious,
 * never read again). */
static int damaged(const struct cp_out *out, const char *dir, const char *name,
		   const char *why)
{
	char path[4400], aside[4500];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(aside, sizeof aside, "%s.damaged", path);
	rename(path, aside);
	return msg(out, CP_SPOOL_EDAMAGED, "SPOOL FILE %s DAMAGED: %s -- NOT LOADED",
		   path, why);
}

int cp_spool_load(struct cp_spool *sp, const char *folder, const struct cp_out *out)
{
	char dir[4096], path[4400];
	int first = 0, m;

	snprintf(dir, sizeof dir, "%s/spool", folder);
	DIR *dh = opendir(dir);
	if (!dh)
		return errno == ENOENT ? 0 : state_error(out, dir, -errno);

	/* Names first, sorted: directory order is up to the file system,
	 * and the messages (and ids) must come out the same every time. */
	char **names = NULL;
	int nnames = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (spf_id(e->d_name) < 0)
			continue;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 64;
			char **t = realloc(names, (size_t)cap * sizeof *t);
			if (!t)
				break;
			names = t;
		}
		if (!(names[nnames] = strdup(e->d_name)))
			break;
		nnames++;
	}
	closedir(dh);
	if (nnames)
		qsort(names, (size_t)nnames, sizeof *names, cmp_names);

	bool was_empty = sp->nfiles == 0;
	for (int i = 0; i < nnames; i++) {
		size_t n = 0;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char *data = slurp(path, &n);
		if (!data) {
			m = state_error(out, path, -errno);
			if (!first)
				first = m;
			continue;
		}
		struct rd r = { 0 };
		long long seq = 0;
		struct cp_spool_file *f = decode_file(sp, data, n, spf_id(names[i]), &seq, &r);
		free(data);
		if (!f) {
			m = damaged(out, dir, names[i], r.why);
			if (!first)
				first = m;
			continue;
		}
		if (sp->used[f->id] || list_append(sp, f) < 0) {
			m = msg(out, CP_SPOOL_EDAMAGED,
				"SPOOL FILE %s/%s DAMAGED: SPOOLID %04u IN USE -- NOT LOADED",
				dir, names[i], f->id);
			if (!first)
				first = m;
			f->id = 0;         /* not ours to release */
			file_free(sp, f);
			continue;
		}
		sp->used[f->id] = 1;
		/* Keep the saved order key (list_append gave a new one). */
		f->seq = seq;
		f->dirty = !was_empty;
		if (seq < sp->minseq)
			sp->minseq = seq;
		if (seq > sp->maxseq)
			sp->maxseq = seq;
	}
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (sp->nfiles > 1)
		qsort(sp->files, (size_t)sp->nfiles, sizeof *sp->files, cmp_seq);

	/* The id counter.  A missing or damaged STATE is not fatal: go on
	 * after the highest id loaded. */
	snprintf(path, sizeof path, "%s/STATE", dir);
	size_t n = 0;
	char *st = slurp(path, &n);
	int next = -1;
	if (st) {
		int v;
		if (sscanf(st, "VMLAB-SPOOL 1\nNEXTID %d\n", &v) == 1 && v >= 1 &&
		    v <= CP_SPOOL_MAXID)
			next = v;
		else {
			m = msg(out, CP_SPOOL_ESTATE, "SPOOL STATE %s: DAMAGED, IDS GO ON AFTER THE HIGHEST",
				path);
			if (!first)
				first = m;
		}
		free(st);
	}
	if (next < 0) {
		int hi = 0;
		for (int k = 0; k < sp->nfiles; k++)
			if (sp->files[k]->id > hi)
				hi = sp->files[k]->id;
		next = hi + 1 > CP_SPOOL_MAXID ? 1 : hi + 1;
	}
	sp->nextid = next;
	/* What is in memory is now what is in the folder (unless the spool
	 * had files of its own: then the next save writes everything). */
	if (was_empty && !first) {
		snprintf(sp->saved_to, sizeof sp->saved_to, "%s", folder);
		sp->saved_nextid = next;
	} else {
		sp->saved_to[0] = 0;
	}
	return first;
}
