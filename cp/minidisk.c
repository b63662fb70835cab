/*
 * cp/minidisk.c -- LINK and DETACH of minidisks, and who holds what.
 *
 * A LINK travels like this:
 *
 *   LINK MAINT 190 AS 190 RR   (or LOGON, for each MDISK and LINK statement)
 *     1. check the operands: user ids, addresses, the mode
 *     2. find the minidisk in the directory        -> HCPLNK107E if none
 *     3. count the OTHER users' links to it:
 *        readers and writers                        (cp_mdisk_count)
 *     4. apply the mode's rule (decide below)       -> HCPLNK104E refused,
 *                                                      HCPLNK101W forced R/O
 *     5. attach a disk device at the user's vaddr over the minidisk's
 *        extent of its image file, read-only unless granted write
 *     6. record the link in the table
 *
 * Step 6 comes last so that a refusal anywhere leaves nothing behind:
 * "changes nothing" is what a person who mistyped a LINK should get.
 *
 * Protection is real, not just bookkeeping: a read-only link opens the
 * image read-only (O_RDONLY) and the device rejects WRITE with a unit
 * check, so a guest cannot write a disk it holds R/O however it builds
 * its channel program; and the device never reaches beyond its extent
 * (sim/dev_disk.c), so a guest cannot reach a neighbour's minidisk on the
 * same image.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cp/minidisk.h"

void cp_mdisk_table_init(struct cp_mdisk_table *t, const struct cp_directory *dir)
{
	memset(t, 0, sizeof *t);
	t->dir = dir;
}

void cp_mdisk_table_free(struct cp_mdisk_table *t)
{
	for (int i = 0; i < t->next; i++)
		free(t->ext[i].holders);
	free(t->ext);
	memset(t, 0, sizeof *t);
}

static void upcase_id(char out[CP_USERID_MAX + 1], const char *s)
{
	size_t i = 0;
	for (; s[i] && i < CP_USERID_MAX; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = '\0';
}

static struct cp_mdisk_extent *find_ext(const struct cp_mdisk_table *t,
					const char *owner, uint16_t addr)
{
	for (int i = 0; i < t->next; i++)
		if (t->ext[i].addr == addr && !strcasecmp(t->ext[i].owner, owner))
			return &t->ext[i];
	return NULL;
}

const struct cp_mdisk_holder *cp_mdisk_find_link(const struct cp_mdisk_table *t,
						 const char *user, uint16_t vaddr,
						 const struct cp_mdisk_extent **ext_out)
{
	for (int i = 0; i < t->next; i++)
		for (int j = 0; j < t->ext[i].nholders; j++) {
			const struct cp_mdisk_holder *h = &t->ext[i].holders[j];
			if (h->vaddr == vaddr && !strcasecmp(h->user, user)) {
				if (ext_out)
					*ext_out = &t->ext[i];
				return h;
			}
		}
	return NULL;
}

void cp_mdisk_count(const struct cp_mdisk_table *t, const char *owner,
		    uint16_t addr, const char *user, int *readers, int *writers)
{
	*readers = *writers = 0;
	const struct cp_mdisk_extent *e = find_ext(t, owner, addr);
	for (int j = 0; e && j < e->nholders; j++) {
		if (user && !strcasecmp(e->holders[j].user, user))
			continue;
		if (e->holders[j].write)
			(*writers)++;
		else
			(*readers)++;
	}
}

/*
 * The sharing rule of each mode: given how many OTHER users hold the
 * minidisk read-only and read/write, grant write, grant read-only, or
 * refuse.  This function is the table at the top of minidisk.h.
 */
enum grant { REFUSE, GRANT_RO, GRANT_RW };

static enum grant decide(enum cp_link_mode m, int readers, int writers)
{
	switch (m) {
	case CP_LINK_R:  return writers ? REFUSE : GRANT_RO;
	case CP_LINK_RR: return GRANT_RO;
	case CP_LINK_W:  return readers || writers ? REFUSE : GRANT_RW;
	case CP_LINK_WR: return readers || writers ? GRANT_RO : GRANT_RW;
	case CP_LINK_M:  return writers ? REFUSE : GRANT_RW;
	case CP_LINK_MR: return writers ? GRANT_RO : GRANT_RW;
	case CP_LINK_MW: return GRANT_RW;
	default:         return REFUSE;
	}
}

/*
 * "R/W by ALICE", "R/W by 2 users; R/O by 1 user": what other users hold,
 * in VM/370's words, naming the writer when there is exactly one (the
 * person to go and ask).  A user is a writer if any of its links writes.
 * The rules above count links; people are counted here, on the message
 * path only, because one user may hold a minidisk at two addresses.
 */
static void describe_others(const struct cp_mdisk_extent *e, const char *user,
			    char *b, size_t n)
{
	int readers = 0, writers = 0;
	const char *writer = NULL;

	for (int j = 0; j < e->nholders; j++) {
		const char *who = e->holders[j].user;
		bool first = strcasecmp(who, user) != 0;
		for (int k = 0; k < j && first; k++)
			if (!strcasecmp(e->holders[k].user, who))
				first = false;
		if (!first)
			continue;
		bool writes = false;
		for (int k = j; k < e->nholders; k++)
			if (e->holders[k].write && !strcasecmp(e->holders[k].user, who))
				writes = true;
		if (writes) {
			writers++;
			writer = who;
		} else {
			readers++;
		}
	}
	size_t pos = 0;
	b[0] = '\0';
	if (writers == 1)
		pos += (size_t)snprintf(b, n, "R/W by %s", writer);
	else if (writers > 1)
		pos += (size_t)snprintf(b, n, "R/W by %d users", writers);
	if (readers && pos < n)
		snprintf(b + pos, n - pos, "%sR/O by %d user%s", pos ? "; " : "",
			 readers, readers == 1 ? "" : "s");
}

static struct cp_mdisk_extent *add_ext(struct cp_mdisk_table *t, const char *owner,
				       uint16_t addr, const struct cp_mdisk_def *def)
{
	if (t->next == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->ext = realloc(t->ext, (size_t)t->cap * sizeof *t->ext);
		if (!t->ext)
			abort();
	}
	struct cp_mdisk_extent *e = &t->ext[t->next++];
	memset(e, 0, sizeof *e);
	upcase_id(e->owner, owner);
	e->addr = addr;
	e->def = def;
	return e;
}

static void add_holder(struct cp_mdisk_extent *e, const char *user,
		       uint16_t vaddr, enum cp_link_mode m, bool write)
{
	if (e->nholders == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->holders = realloc(e->holders, (size_t)e->cap * sizeof *e->holders);
		if (!e->holders)
			abort();
	}
	struct cp_mdisk_holder *h = &e->holders[e->nholders++];
	upcase_id(h->user, user);
	h->vaddr = vaddr;
	h->mode = m;
	h->write = write;
}

/* Drop holder j of extent e; drop the extent when nobody holds it. */
static void remove_holder(struct cp_mdisk_table *t, struct cp_mdisk_extent *e, int j)
{
	memmove(&e->holders[j], &e->holders[j + 1],
		(size_t)(e->nholders - j - 1) * sizeof *e->holders);
	e->nholders--;
	if (e->nholders == 0) {
		free(e->holders);
		int i = (int)(e - t->ext);
		t->ext[i] = t->ext[--t->next];
	}
}

int cp_mdisk_link(struct cp_mdisk_table *t, const char *owner,
		  uint16_t owner_addr, const char *user, struct sim_iosys *io,
		  uint16_t vaddr, const char *mode, bool *readonly_out,
		  char *msg, size_t msglen)
{
	char err[256];
	enum cp_link_mode m;

	if (msglen)
		msg[0] = '\0';
	/* 1. Operands. */
	if (!cp_userid_valid(user)) {
		snprintf(msg, msglen, "HCPLNK020E Userid missing or invalid");
		return -EINVAL;
	}
	const struct cp_user_def *o = cp_userid_valid(owner)
		? cp_directory_find(t->dir, owner) : NULL;
	if (!o) {
		snprintf(msg, msglen, "HCPLNK113E %.8s not in CP directory",
			 owner ? owner : "");
		return -ENOENT;
	}
	if (owner_addr > CP_DEVADDR_MAX || vaddr > CP_DEVADDR_MAX) {
		snprintf(msg, msglen, "HCPLNK022E Invalid device address %X; "
			 "expected 000 to FFF",
			 owner_addr > CP_DEVADDR_MAX ? owner_addr : vaddr);
		return -EINVAL;
	}
	/* 2. The minidisk. */
	const struct cp_mdisk_def *def = cp_user_find_mdisk(o, owner_addr);
	if (!def) {
		snprintf(msg, msglen, "HCPLNK107E %s %03X not linked; not in CP "
			 "directory", o->id, owner_addr);
		return -ENOENT;
	}
	bool own = !strcasecmp(o->id, user);
	if (!mode || !*mode)
		m = own ? def->mode : CP_LINK_R;
	else if (!cp_link_mode_parse(mode, &m)) {
		snprintf(msg, msglen, "HCPLNK021E Invalid access mode %.8s; "
			 "expected R, RR, W, WR, M, MR or MW", mode);
		return -EINVAL;
	}
	if (cp_mdisk_find_link(t, user, vaddr, NULL) || (io && sim_io_find(io, vaddr))) {
		snprintf(msg, msglen, "HCPLNK122E %s %03X not linked; device %03X "
			 "already defined", o->id, owner_addr, vaddr);
		return -EEXIST;
	}

	/* 3 and 4. The sharing rule. */
	int readers, writers;
	cp_mdisk_count(t, o->id, owner_addr, user, &readers, &writers);
	struct cp_mdisk_extent *e = find_ext(t, o->id, owner_addr);
	char others[96] = "";
	if (e)
		describe_others(e, user, others, sizeof others);
	enum grant g = decide(m, readers, writers);
	if (g == REFUSE) {
		snprintf(msg, msglen, "HCPLNK104E %s %03X not linked; %s",
			 o->id, owner_addr, others);
		return -EBUSY;
	}
	bool write = g == GRANT_RW;
	/* A write link was asked for (W, M first letter) and only a read
	 * one given: say so, and why. */
	bool forced = !write && m != CP_LINK_R && m != CP_LINK_RR;

	/* 5. The device. */
	if (io) {
		struct sim_dev *d = sim_io_attach(io, vaddr, DEV_DISK, err, sizeof err);
		if (!d) {
			snprintf(msg, msglen, "HCPLNK109E %s %03X not linked; %s",
				 o->id, owner_addr, err);
			return -ENOSPC;
		}
		if (sim_disk_open(d, def->path, def->start, def->blocks, !write,
				  err, sizeof err) < 0) {
			sim_io_detach(io, vaddr);
			snprintf(msg, msglen, "HCPLNK108E %s %03X not linked; %s",
				 o->id, owner_addr, err);
			return -EIO;
		}
	}

	/* 6. Record it.  (find_ext again: e may be NULL.) */
	if (!e)
		e = add_ext(t, o->id, owner_addr, def);
	add_holder(e, user, vaddr, m, write);
	if (forced)
		snprintf(msg, msglen, "HCPLNK101W DASD %03X forced R/O; %s",
			 vaddr, others);
	if (readonly_out)
		*readonly_out = !write;
	return 0;
}

enum cp_mdisk_pw cp_mdisk_check_password(const struct cp_mdisk_def *def,
					 const char *owner, const char *user,
					 enum cp_link_mode m, const char *pw,
					 char *msg, size_t msglen)
{
	const char *need, *kind;

	if (msglen)
		msg[0] = '\0';
	if (owner && user && !strcasecmp(owner, user))
		return CP_MDISK_PW_OK;
	/* The first letter of the mode is the access asked for. */
	switch (m) {
	case CP_LINK_R: case CP_LINK_RR:
		need = def->readpw, kind = "read";
		break;
	case CP_LINK_W: case CP_LINK_WR:
		need = def->writepw, kind = "write";
		break;
	default:
		need = def->multipw, kind = "multi";
		break;
	}
	char id[CP_USERID_MAX + 1];
	upcase_id(id, owner ? owner : "");
	if (!need[0]) {
		snprintf(msg, msglen, "HCPLNK111E %s %03X not linked; no %s password",
			 id, def->addr, kind);
		return CP_MDISK_PW_NONE;
	}
	if (!strcmp(need, "ALL") || (pw && !strcasecmp(pw, need)))
		return CP_MDISK_PW_OK;
	snprintf(msg, msglen, "HCPLNK112E %s %03X not linked; %s password %s",
		 id, def->addr, kind, pw && *pw ? "incorrect" : "required");
	return CP_MDISK_PW_WRONG;
}

int cp_mdisk_detach(struct cp_mdisk_table *t, const char *user,
		    struct sim_iosys *io, uint16_t vaddr, char *msg, size_t msglen)
{
	for (int i = 0; user && i < t->next; i++) {
		struct cp_mdisk_extent *e = &t->ext[i];
		for (int j = 0; j < e->nholders; j++) {
			if (e->holders[j].vaddr != vaddr ||
			    strcasecmp(e->holders[j].user, user))
				continue;
			remove_holder(t, e, j);
			if (io)
				sim_io_detach(io, vaddr);
			snprintf(msg, msglen, "DASD %03X DETACHED", vaddr);
			return 0;
		}
	}
	snprintf(msg, msglen, "HCPDTA040E DASD %03X does not exist", vaddr);
	return -ENOENT;
}

void cp_mdisk_detach_user(struct cp_mdisk_table *t, const char *user)
{
	for (int i = 0; i < t->next; ) {
		struct cp_mdisk_extent *e = &t->ext[i];
		bool gone = false;
		for (int j = e->nholders - 1; j >= 0; j--)
			if (!strcasecmp(e->holders[j].user, user)) {
				/* The last holder takes the extent with it and
				 * moves another into slot i: look at i again. */
				if (e->nholders == 1)
					gone = true;
				remove_holder(t, e, j);
				if (gone)
					break;
			}
		if (!gone)
			i++;
	}
}

static void append_line(char *msg, size_t msglen, const char *line)
{
	size_t n = strnlen(msg, msglen);
	if (!*line || n + 1 >= msglen)
		return;
	snprintf(msg + n, msglen - n, "%s%s", n ? "\n" : "", line);
}

int cp_mdisk_logon(struct cp_mdisk_table *t, const struct cp_user_def *u,
		   struct sim_iosys *io, char *msg, size_t msglen)
{
	char one[256];
	int refused = 0;
	bool ro;

	if (msglen)
		msg[0] = '\0';
	/* Own minidisks first: the owner's MDISK mode applies to the owner
	 * exactly as a LINK mode, so a disk someone else holds R/W may come
	 * up forced R/O or not at all. */
	for (int i = 0; i < u->nmdisks; i++) {
		const struct cp_mdisk_def *m = &u->mdisks[i];
		if (cp_mdisk_link(t, u->id, m->addr, u->id, io, m->addr,
				  cp_link_mode_name(m->mode), &ro, one, sizeof one) < 0)
			refused++;
		append_line(msg, msglen, one);
	}
	for (int i = 0; i < u->nlinks; i++) {
		const struct cp_link_def *l = &u->links[i];
		if (cp_mdisk_link(t, l->user, l->addr, u->id, io, l->as,
				  cp_link_mode_name(l->mode), &ro, one, sizeof one) < 0)
			refused++;
		append_line(msg, msglen, one);
	}
	return refused;
}

size_t cp_mdisk_query_links(const struct cp_mdisk_table *t, const char *owner,
			    uint16_t addr, char *buf, size_t len)
{
	const struct cp_mdisk_extent *e = owner ? find_ext(t, owner, addr) : NULL;
	size_t pos = 0;
	char id[CP_USERID_MAX + 1];
	int n;

	upcase_id(id, owner ? owner : "");
	if (len)
		buf[0] = '\0';
	if (!e)
		return (size_t)snprintf(buf, len, "%s %03X not linked", id, addr);
	n = snprintf(buf, len, "%s %03X linked by", e->owner, e->addr);
	pos = n > 0 ? (size_t)n : 0;
	for (int j = 0; j < e->nholders; j++) {
		const struct cp_mdisk_holder *h = &e->holders[j];
		n = snprintf(pos < len ? buf + pos : NULL, pos < len ? len - pos : 0,
			     "%s %s %03X %s", j ? "," : "", h->user, h->vaddr,
			     h->write ? "R/W" : "R/O");
		pos += n > 0 ? (size_t)n : 0;
	}
	return pos;
}
