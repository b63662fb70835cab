/*
 * cp/directory.h -- the CP user directory: who may log on, and with what
 * virtual machine.
 *
 * On VM/370 the directory was a deck of statements (USER, ACCOUNT, IPL,
 * CONSOLE, SPOOL, LINK, MDISK) compiled by the DIRECT program into a
 * disk area CP read at LOGON.  vmlab keeps the same information in one
 * YAML file, one mapping per user:
 *
 *   VM/370 statement              vmlab YAML
 *   ----------------              ----------
 *   USER ALICE pw 1M 4M G         id, password, storage, maxstorage, class
 *   IPL CMS                       ipl: CMS
 *   CONSOLE 009 3215              console: 009
 *   SPOOL 00C 2540 READER *       reader: 00C   (likewise punch, printer)
 *   LINK MAINT 190 190 RR         links: - {user: MAINT, addr: 190, as: 190, mode: RR}
 *   MDISK 191 3330 10 5 VOL W     mdisks: - {addr: 191, file: .., start: .., blocks: .., mode: W}
 *     RPW WPW MPW                   ... readpw: RPW, writepw: WPW, multipw: MPW
 *
 * A minidisk is an extent of a disk image file (a real volume on VM/370):
 * `blocks` 512-byte blocks starting at block `start`.  What happens when
 * several users use one minidisk at once is the business of
 * cp/minidisk.c; the directory only says what exists.
 *
 * Everything here is read-only once loaded: CP looks users up at LOGON and
 * LINK and never changes an entry (DEFINE changes the running virtual
 * machine, not the directory, exactly as on VM/370).
 */
#ifndef CP_DIRECTORY_H
#define CP_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CP_USERID_MAX 8          /* characters in a user id */
#define CP_PASSWORD_MAX 8        /* characters in a password */
#define CP_SYSNAME_MAX 8         /* characters in a named system (IPL CMS) */
#define CP_DEVADDR_MAX 0xFFFu    /* device addresses are 000..FFF */

#define CP_STORAGE_MIN (64u * 1024)          /* 64K */
#define CP_STORAGE_MAX (64u * 1024 * 1024)   /* 64M */
#define CP_PAGE_SIZE 4096u

/*
 * The link (access) modes of VM/370, for the MDISK statement (the owner's
 * own access at LOGON) and for LINK.  The first letter is the access
 * wanted, the second the one accepted instead if the first is refused.
 * cp/minidisk.c has the sharing rules.
 */
enum cp_link_mode {
	CP_LINK_R,    /* read-only, if nobody else writes */
	CP_LINK_RR,   /* read-only, always */
	CP_LINK_W,    /* write, if nobody else has any link */
	CP_LINK_WR,   /* write if nobody else has a link, else read-only */
	CP_LINK_M,    /* write ("multiple"), if nobody else writes */
	CP_LINK_MR,   /* write if nobody else writes, else read-only */
	CP_LINK_MW,   /* write, always (the users must coordinate) */
	CP_LINK_MODE_COUNT
};

/* "R", "RR", ...; "?" for a bad value. */
const char *cp_link_mode_name(enum cp_link_mode m);
/* Parse a mode (case-insensitive): true and *out, or false. */
bool cp_link_mode_parse(const char *s, enum cp_link_mode *out);

/* One MDISK statement: an extent of a host image file. */
struct cp_mdisk_def {
	uint16_t addr;          /* the owner's virtual address, e.g. 0x191 */
	char *file;             /* as written in the directory */
	char *path;             /* resolved: absolute, or state_dir/file */
	uint64_t start;         /* first block of the extent in the file */
	uint32_t blocks;        /* 512-byte blocks in the extent */
	enum cp_link_mode mode; /* the owner's access at LOGON */
	/* VM/370's minidisk passwords for other users' links: read (R,
	 * RR), write (W, WR), multiple-write (M, MR, MW).  Upper case; ""
	 * none; "ALL" lets everyone link that way without one.  See
	 * cp_mdisk_check_password. */
	char readpw[CP_PASSWORD_MAX + 1];
	char writepw[CP_PASSWORD_MAX + 1];
	char multipw[CP_PASSWORD_MAX + 1];
	int line, col;          /* where it was defined */
};

/* One LINK statement: at LOGON, link another user's minidisk. */
struct cp_link_def {
	char user[CP_USERID_MAX + 1];   /* owner of the minidisk */
	uint16_t addr;                  /* ... its address in the owner's entry */
	uint16_t as;                    /* our virtual address for it */
	enum cp_link_mode mode;
	int line, col;
};

/* One USER entry. */
struct cp_user_def {
	char id[CP_USERID_MAX + 1];           /* upper case */
	bool has_password;
	char password[CP_PASSWORD_MAX + 1];   /* upper case; "" if none */
	uint32_t storage;                     /* bytes at LOGON */
	uint32_t maxstorage;                  /* DEFINE STORAGE limit */
	char classes[8];                      /* privilege classes, e.g. "ABCDEG" */
	uint16_t console, reader, punch, printer;
	/* Default IPL: a named system (ipl_name) or a device (ipl_dev).
	 * Neither set: none configured. */
	bool has_ipl;
	bool ipl_is_dev;
	uint16_t ipl_dev;
	char ipl_name[CP_SYSNAME_MAX + 1];
	struct cp_mdisk_def *mdisks;
	int nmdisks;
	struct cp_link_def *links;
	int nlinks;
	int line, col;
};

struct cp_directory {
	char *source;          /* file loaded, or "(built-in)" */
	char *state_dir;       /* where relative image files live */
	char name[CP_SYSNAME_MAX + 1];   /* system name (default VMLAB) */
	uint64_t slice;        /* dispatcher time slice in cycles */
	struct cp_user_def *users;
	int nusers;
};

#define CP_DEFAULT_SLICE 20000u
#define CP_DEFAULT_SYSNAME "VMLAB"

/*
 * Load a directory from a YAML file.  Relative image names are taken
 * relative to state_dir (NULL or "": the current folder).  Returns 0, or
 * a negative errno-style code with one line in err:
 * "FILE:LINE:COL: what is wrong; what is expected".  On error *dir is
 * left empty (safe to free).  Image files are not created: see
 * cp_directory_make_disks.
 */
int cp_directory_load(const char *path, const char *state_dir,
		      struct cp_directory *dir, char *err, size_t errlen);
/* The same from a string in memory; name is used in messages. */
int cp_directory_parse(const char *text, size_t len, const char *name,
		       const char *state_dir, struct cp_directory *dir,
		       char *err, size_t errlen);

/*
 * The built-in directory, used when vmlab is given none:
 *
 *   OPERATOR  class ABCDEFG  1M
 *   MAINT     class ABCDEG   1M   owns 190 (system disk, 2048 blocks, RR
 *                                 for everyone) and IPLs CMS
 *   ALICE, BOB, CAROL  class G  1M  IPL CMS
 *
 * Everyone has a private 191 (1024 blocks, USERID.191.disk) and links
 * MAINT 190 as 190 read-only.  No passwords.  state_dir is created if
 * missing, and so are the image files (zero-filled).
 */
int cp_directory_default(const char *state_dir, struct cp_directory *dir,
			 char *err, size_t errlen);
/* The built-in directory is this YAML text: a worked example to copy. */
extern const char cp_directory_default_yaml[];

/*
 * Create every missing image file of the directory, zero-filled and large
 * enough for all extents on it.  Each is written under a temporary name
 * and renamed, so a crash never leaves a half-made image.  Existing files
 * are never touched.  0, or a negative errno with a message.
 */
int cp_directory_make_disks(const struct cp_directory *dir, char *err,
			    size_t errlen);

void cp_directory_free(struct cp_directory *dir);

/* A user by id, case-insensitive; NULL if none. */
const struct cp_user_def *cp_directory_find(const struct cp_directory *dir,
					    const char *userid);
/* A user's minidisk by address; NULL if none. */
const struct cp_mdisk_def *cp_user_find_mdisk(const struct cp_user_def *u,
					      uint16_t addr);
/* Does the user hold privilege class c (A-G)? */
bool cp_user_has_class(const struct cp_user_def *u, char c);
/* Does pw match (case-insensitive, as VM/370 folds to upper case)?  A
 * user without a password accepts any, including NULL. */
bool cp_user_check_password(const struct cp_user_def *u, const char *pw);
/* Is s a valid user id (1-8 of A-Z a-z 0-9 @ # $)? */
bool cp_userid_valid(const char *s);

/*
 * A user's entry as VM/370 directory statements (the password is never
 * shown), one statement a line:
 *
 *   USER ALICE NOPASS 1M 1M G
 *    IPL CMS
 *    CONSOLE 009
 *    ...
 *
 * Into buf like snprintf: returns the length the whole text needs.
 */
size_t cp_directory_format_user(const struct cp_user_def *u, char *buf,
				size_t len);
void cp_directory_print_user(FILE *f, const struct cp_user_def *u);

/* `vmlab directory FILE [USER...]` checks a directory and prints it;
 * `vmlab directory --default` prints the built-in one. */
int vmlab_directory_main(int argc, char **argv);

#endif
