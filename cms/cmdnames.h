/*
 * cms/cmdnames.h -- the names of CMS's commands, for the console's Tab
 * completion.
 *
 * One source of truth: CMS dispatches a command through CMDTAB in its
 * own assembler source (cms/cms.s and the files it INCLUDEs), one line
 * per command --
 *
 *     CMDTAB   DC    CL8'LISTFILE',F'5',A(CMDLIST)
 *              DC    CL8'TYPE',F'1',A(CMDTYPE)
 *                        name      minimum   routine
 *                                  abbreviation
 *
 * -- and cms/cmdnames.awk reads those lines at build time into the
 * table below (build/cms/cms_cmdnames.c).  A command added to CMDTAB
 * completes at the terminal with no change anywhere else.
 */
#ifndef CMS_CMDNAMES_H
#define CMS_CMDNAMES_H

struct cms_command_name {
	const char *name;   /* upper case, 1 to 8 characters */
	int min;            /* shortest abbreviation CMS accepts */
	const char *where;  /* "cms/cms.s:1594": the CMDTAB line */
};

/* In CMDTAB's order (CMS takes the first match); ends with a NULL name. */
extern const struct cms_command_name cms_command_names[];

/* The command a word names, as CMS's DISPATCH finds it: the first entry
 * the word abbreviates (at most 8 characters, at least the minimum);
 * NULL if none -- CMS then hands the line to CP (implied CP). */
const struct cms_command_name *cms_command_find(const char *word);

#endif
