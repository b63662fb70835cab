/*
 * cms/cmdnames.c -- looking up a word in CMS's command table as CMS
 * itself does (cms/cmdnames.h; the table is generated from CMDTAB by
 * cms/cmdnames.awk).
 */
#include "cms/cmdnames.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

const struct cms_command_name *cms_command_find(const char *word)
{
	/* CMS's DISPATCH: a token longer than 8 is never a command; else
	 * the first entry it abbreviates, with at least the minimum. */
	size_t n = strlen(word);
	if (n == 0 || n > 8)
		return NULL;
	for (const struct cms_command_name *c = cms_command_names; c->name; c++)
		if (n >= (size_t)c->min && n <= strlen(c->name) && !strncasecmp(word, c->name, n))
			return c;
	return NULL;
}
