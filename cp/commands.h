/* cp/commands.h -- the subcommands of cp/commands.def. */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

#define VMLAB_SUBCOMMAND(name, fn, usage, help) int fn(int argc, char **argv);
#include "commands.def"
#undef VMLAB_SUBCOMMAND

int vmlab_demo_main(int argc, char **argv);

#endif
