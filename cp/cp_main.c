/*
 * cp/cp_main.c -- `vmlab cp`: CP on a plain line interface.
 *
 * The same console as `vmlab` (cp/console.c: one session code for
 * scripts, pipes and people), without the automatic LOGON and IPL: a
 * script starts at the LOGON prompt, so its transcript shows every step.
 * Lines come from standard input, -c 'cmd; cmd' or a script file; input
 * lines are echoed when they do not come from a person at a terminal.
 */
#include "cp/commands.h"
#include "cp/console.h"

int vmlab_cp_main(int argc, char **argv)
{
	return cp_console_main(argc, argv, true);
}
