/*
 * cp/vmlab.c -- the front door: `vmlab [SUBCOMMAND] [ARGS]`.
 *
 * One program, many subcommands, one table.  Each subcommand lives in the
 * module it belongs to and has the shape of a main(): argv[0] is the
 * subcommand's name.  `vmlab` alone, or with options or a script file
 * (`vmlab --user BOB`, `vmlab lab1.vml`), starts the classroom console
 * (cp/console.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp/commands.h"
#include "cp/console.h"

struct subcommand {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct subcommand subcommands[] = {
#define VMLAB_SUBCOMMAND(name, fn, usage, help) { name, fn, usage, help },
#include "cp/commands.def"
#undef VMLAB_SUBCOMMAND
};
#define NSUB (int)(sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *f)
{
	fprintf(f, "usage: vmlab [SUBCOMMAND] [ARGS...]\n\n");
	for (int i = 0; i < NSUB; i++) {
		/* A usage too long for its column gets the line to itself. */
		if (strlen(subcommands[i].usage) > 40)
			fprintf(f, "  vmlab %s\n  %-46s %s\n", subcommands[i].usage, "",
				subcommands[i].help);
		else
			fprintf(f, "  vmlab %-40s %s\n", subcommands[i].usage,
				subcommands[i].help);
	}
	fprintf(f, "\n`vmlab SUBCOMMAND --help` for more.  `vmlab` alone starts the "
		   "console\n(`vmlab --help-console` for its options).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cp_console_main(argc, argv, false);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		/* The console's options first: it is what `vmlab` runs. */
		char *help[] = { argv[0], "--help", NULL };
		cp_console_main(2, help, false);
		printf("\n");
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--help-console")) {
		char *help[] = { argv[0], "--help", NULL };
		return cp_console_main(2, help, false);
	}
	for (int i = 0; i < NSUB; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	/* Options, or a script file: the console. */
	if (argv[1][0] == '-' || access(argv[1], R_OK) == 0)
		return cp_console_main(argc, argv, false);
	fprintf(stderr, "vmlab: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
