/*
 * cp/vmlab.c -- the front door: `vmlab [SUBCOMMAND] [ARGS]`.
 *
 * One program, many subcommands, one table.  Each subcommand lives in the
 * module it belongs to and has the shape of a main(): argv[0] is the
 * subcommand's name.  `vmlab` alone will start the console (issue: the
 * classroom console); until then it runs the demo program on the bare
 * machine.
 */
#include <stdio.h>
#include <string.h>

#include "cp/commands.h"

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
	for (int i = 0; i < NSUB; i++)
		fprintf(f, "  vmlab %-40s %s\n", subcommands[i].usage,
			subcommands[i].help);
	fprintf(f, "\n`vmlab SUBCOMMAND --help` for more.  vmlab alone runs the "
		   "demo program.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return vmlab_demo_main(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (int i = 0; i < NSUB; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "vmlab: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
