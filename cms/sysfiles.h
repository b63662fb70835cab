/*
 * cms/sysfiles.h -- what the system disk holds when vmlab makes it.
 *
 * The system disk is MAINT's 190, which every CMS accesses as S,
 * read-only.  On VM/370 it held CMS's commands, its HELP files and a
 * few samples; here the commands are in the nucleus, and the disk gets:
 *
 *   name HELPCMS      one per CMS command, from cms/help/NAME.txt: what
 *                     CMS's HELP name types.  CP's HELP name shows the
 *                     same text, compiled in (one source of truth).
 *   SAMPLE EXEC       a tour of the EXEC language  (cms/sysdisk/...)
 *   PROFILE SAMPLE    a model PROFILE EXEC to COPYFILE to A
 *   HELLO ASSEMBLE    a first program, and HELLO MODULE assembled from
 *                     it (the same bytes as vmlab asm -I cms makes)
 *
 * cms/sysfiles.awk turns those files into the table below at build
 * time; cms_sysdisk_fill() writes them onto a disk image: when
 * cp/directory.c makes a new 190 image, and for `vmlab disk sysfiles`.
 */
#ifndef CMS_SYSFILES_H
#define CMS_SYSFILES_H

#include <stddef.h>

struct cms_sysfile {
	const char *fn, *ft;    /* upper case: "LISTFILE", "HELPCMS" */
	const char *text;       /* its lines, each ended by '\n' */
	const char *asm_text;   /* ASSEMBLE: the source with its INCLUDEs
				   inlined, for the MODULE; else NULL */
	const char *source;     /* where it came from: "cms/help/TYPE.txt" */
};

/* Generated (build/cms/cms_sysfiles.c); ends with a NULL fn. */
extern const struct cms_sysfile cms_sysfiles[];

/* The help text of the CMS command `name` (CMDTAB's full name, any
 * case), or NULL if it has none. */
const char *cms_help_text(const char *name);

/* Put every system file on the formatted CMS disk image at path,
 * replacing files of those names (others stay), then save it.  0, or a
 * negative errno-style code with one line in err. */
int cms_sysdisk_fill(const char *path, char *err, size_t errlen);

#endif
