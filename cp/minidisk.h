/*
 * cp/minidisk.h -- minidisks shared between virtual machines: VM/370's
 * LINK rules.
 *
 * A minidisk (cp/directory.h, MDISK) is an extent of a disk image that
 * belongs to one user.  Any virtual machine may LINK it -- the owner at
 * LOGON through its MDISK statement, others with the LINK command or a
 * LINK statement -- and CP decides, from the access mode asked for and
 * the links that already exist, whether the link is given, read-only or
 * read/write:
 *
 *   mode   others have nothing   others read only    someone else writes
 *   ----   -------------------   ----------------    -------------------
 *   R      read-only             read-only           refused
 *   RR     read-only             read-only           read-only
 *   W      read/write            refused             refused
 *   WR     read/write            read-only (warn)    read-only (warn)
 *   M      read/write            read/write          refused
 *   MR     read/write            read/write          read-only (warn)
 *   MW     read/write            read/write          read/write
 *
 * "Others" means links held by other users: one user's links never
 * block each other (VM/370 counted the same way).  Why the rules exist:
 * a CMS minidisk has one file directory, cached in each virtual machine
 * that has it accessed.  Two writers each update their own cached copy
 * and the second one to write wins; the readers see a stale directory.
 * W keeps a minidisk to one writer and no readers; M and MW are for
 * programs that coordinate their updates themselves.
 *
 * The table tracks, for each minidisk (owner + address), who holds a link
 * and how.  A granted link becomes a disk device in the guest's I/O
 * system: sim_disk_open on the extent, read-only when the link is.
 */
#ifndef CP_MINIDISK_H
#define CP_MINIDISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp/directory.h"
#include "sim/io.h"

/* One link to a minidisk: who holds it, at which address, and how. */
struct cp_mdisk_holder {
	char user[CP_USERID_MAX + 1];
	uint16_t vaddr;            /* the holder's virtual address */
	enum cp_link_mode mode;    /* as asked */
	bool write;                /* as given */
};

/* One minidisk that someone holds a link to. */
struct cp_mdisk_extent {
	char owner[CP_USERID_MAX + 1];
	uint16_t addr;             /* in the owner's directory entry */
	const struct cp_mdisk_def *def;
	struct cp_mdisk_holder *holders;
	int nholders, cap;
};

struct cp_mdisk_table {
	const struct cp_directory *dir;   /* must outlive the table */
	struct cp_mdisk_extent *ext;
	int next, cap;
};

void cp_mdisk_table_init(struct cp_mdisk_table *t, const struct cp_directory *dir);
/* Forget every link (the guests' devices are the caller's). */
void cp_mdisk_table_free(struct cp_mdisk_table *t);

/*
 * LINK owner owner_addr AS vaddr mode, for user.
 *
 * mode: R, RR, W, WR, M, MR or MW (any case); NULL or "" for the default,
 * which is VM/370's: the MDISK statement's mode when linking one's own
 * minidisk, R for another user's.
 *
 * io: the user's virtual devices.  When not NULL the link is attached
 * there as a disk at vaddr over the minidisk's extent; NULL keeps the
 * bookkeeping only (what the sharing rules need, and their tests).
 *
 * Returns 0 when linked, with *readonly_out telling how; msg is then ""
 * or a warning ("HCPLNK101W DASD 190 forced R/O; ...").  Returns a
 * negative errno-style code when refused, with the reason in msg
 * (HCPxxxE); nothing has changed then.
 */
int cp_mdisk_link(struct cp_mdisk_table *t, const char *owner,
		  uint16_t owner_addr, const char *user, struct sim_iosys *io,
		  uint16_t vaddr, const char *mode, bool *readonly_out,
		  char *msg, size_t msglen);

/*
 * DETACH vaddr for user: drop the link, and the device from io when io
 * is not NULL.  0 with "DASD 191 DETACHED" in msg, or -ENOENT when user
 * has no minidisk link at vaddr (msg says so; the caller may then look
 * for another kind of device at that address).
 */
int cp_mdisk_detach(struct cp_mdisk_table *t, const char *user,
		    struct sim_iosys *io, uint16_t vaddr, char *msg, size_t msglen);

/* LOGOFF: drop every link user holds (its devices go with its iosys). */
void cp_mdisk_detach_user(struct cp_mdisk_table *t, const char *user);

/*
 * LOGON: link the user's own minidisks (MDISK statements, their modes)
 * and then its LINK statements, attaching each into io.  A link that is
 * refused does not stop the logon, as on VM/370: the messages, one a
 * line, are appended to msg.  Returns how many links were refused.
 */
int cp_mdisk_logon(struct cp_mdisk_table *t, const struct cp_user_def *u,
		   struct sim_iosys *io, char *msg, size_t msglen);

/*
 * VM/370's minidisk passwords (MDISK readpw, writepw, multipw in the
 * directory): may user link owner's minidisk def in mode m, giving
 * password pw (NULL or "": none given)?
 *
 *   - one's own minidisks need no password;
 *   - R and RR need the read password, W and WR the write password, M,
 *     MR and MW the multiple-write password;
 *   - a password of ALL lets everyone link that way without one.
 *
 * CP_MDISK_PW_NONE: the minidisk has no password for that access.  On
 * VM/370 nobody else could then link it that way; vmlab leaves the
 * decision to CP's policy (privilege classes), so msg holds the VM/370
 * refusal for CP to use or not.  CP_MDISK_PW_WRONG: refused, msg says so.
 * This is separate from cp_mdisk_link so that CP checks a password before
 * the sharing rules, as VM/370 did.
 */
enum cp_mdisk_pw {
	CP_MDISK_PW_OK,       /* own disk, ALL, or the right password */
	CP_MDISK_PW_NONE,     /* no password defined for this access */
	CP_MDISK_PW_WRONG,    /* a password is needed and pw is not it */
};
enum cp_mdisk_pw cp_mdisk_check_password(const struct cp_mdisk_def *def,
					 const char *owner, const char *user,
					 enum cp_link_mode m, const char *pw,
					 char *msg, size_t msglen);

/* The link user holds at vaddr, or NULL.  *ext_out (if not NULL) gets
 * the minidisk. */
const struct cp_mdisk_holder *cp_mdisk_find_link(const struct cp_mdisk_table *t,
						 const char *user, uint16_t vaddr,
						 const struct cp_mdisk_extent **ext_out);

/* Links (not people: one user may hold a minidisk at two addresses) to
 * a minidisk, read-only and read/write, by users other than user (NULL:
 * everyone).  These counts are what the sharing rules look at. */
void cp_mdisk_count(const struct cp_mdisk_table *t, const char *owner,
		    uint16_t addr, const char *user, int *readers, int *writers);

/*
 * QUERY LINKS owner addr: who holds the minidisk, one line:
 * "MAINT 190 linked by ALICE 190 R/O, MAINT 190 R/W".  Like snprintf:
 * returns the length the whole text needs.
 */
size_t cp_mdisk_query_links(const struct cp_mdisk_table *t, const char *owner,
			    uint16_t addr, char *buf, size_t len);

#endif
