/*
 * cp/cp_main.c -- `vmlab cp`: CP on a plain line interface.
 *
 * Lines come from standard input (or -c 'cmd; cmd'); each goes to CP or,
 * once a user is logged on and the guest reads its console, to the
 * guest -- exactly what a terminal on a 3215 line would do.  After each
 * line the dispatcher runs the virtual machines until every one of them
 * waits for something only a person can give (a console line), or a
 * generous bound on simulated time per line is reached.
 *
 * The readline console with history, completion and the debugger's
 * conveniences is a separate layer (the classroom console); this one is
 * what scripts and tests drive.  Input lines are echoed when standard
 * input is not a terminal, so a transcript reads like a session.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp/commands.h"
#include "cp/cp.h"

/* Simulated cycles the machines may run per input line at most. */
#define CP_CYCLES_PER_LINE 50000000ull

static void term_line(void *ctx, const char *text)
{
	(void)ctx;
	puts(text);
}

static const char *default_state_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, len, "%s/vmlab", xdg);
	else if (home && *home)
		snprintf(buf, len, "%s/.local/state/vmlab", home);
	else
		snprintf(buf, len, "vmlab-state");
	return buf;
}

static int make_dirs(const char *path)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* The session: which user this terminal is connected to. */
struct session {
	struct cp_system *sys;
	char userid[9];          /* "" when not logged on */
	struct cp_out term;
	bool echo;
	int failures;
};

static struct cp_vm *connected(struct session *s)
{
	return s->userid[0] ? cp_find(s->sys, s->userid) : NULL;
}

static void run_machines(struct session *s)
{
	cp_dispatch(s->sys, s->sys->now + CP_CYCLES_PER_LINE);
}

static void one_line(struct session *s, const char *line)
{
	if (s->echo)
		printf("> %s\n", line);
	struct cp_vm *vm = connected(s);
	int rc;
	if (vm) {
		rc = cp_input(vm, line);
	} else {
		rc = cp_execute(s->sys, NULL, line, &s->term);
		/* A successful LOGON connects this terminal. */
		for (int i = 0; i < s->sys->nvms; i++)
			if (!s->sys->vms[i]->disconnected && !s->sys->vms[i]->autologged) {
				snprintf(s->userid, sizeof s->userid, "%s", s->sys->vms[i]->userid);
				break;
			}
	}
	if (rc)
		s->failures++;
	run_machines(s);
	vm = connected(s);
	if (s->userid[0] && (!vm || vm->disconnected))
		s->userid[0] = 0; /* logged off or disconnected: back to LOGON */
}

int vmlab_cp_main(int argc, char **argv)
{
	const char *dirfile = NULL, *state = NULL, *script = NULL;
	char statebuf[1024];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--directory") && i + 1 < argc)
			dirfile = argv[++i];
		else if (!strcmp(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			script = argv[++i];
		else if (!strcmp(argv[i], "--help")) {
			printf("usage: vmlab cp [--directory FILE] [--state DIR] [-c 'cmd; cmd']\n"
			       "CP on a line interface: commands from standard input (or -c), one per\n"
			       "line.  Start with LOGON ALICE; HELP lists the CP commands.\n"
			       "The state folder (default ~/.local/state/vmlab) holds the minidisks.\n");
			return 0;
		} else {
			fprintf(stderr, "vmlab cp: unknown or incomplete option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!state)
		state = default_state_dir(statebuf, sizeof statebuf);
	if (make_dirs(state)) {
		fprintf(stderr, "vmlab cp: cannot create the state folder %s: %s\n", state,
			strerror(errno));
		return 2;
	}
	struct cp_directory dir;
	char err[1024];
	int rc = dirfile ? cp_directory_load(dirfile, state, &dir, err, sizeof err)
			 : cp_directory_default(state, &dir, err, sizeof err);
	if (rc == 0)
		rc = cp_directory_make_disks(&dir, err, sizeof err);
	if (rc) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	struct cp_system *sys = calloc(1, sizeof *sys);
	if (!sys)
		return 2;
	cp_init(sys, &dir, state);
	struct session s = { sys, "", { term_line, NULL }, !isatty(0) || script, 0 };
	printf("VMLAB CONTROL PROGRAM, DIRECTORY %s, %d USERS DEFINED\n",
	       sys->dir.source ? sys->dir.source : "?", sys->dir.nusers);
	if (script) {
		char *copy = strdup(script);
		for (char *cmd = strtok(copy, ";"); cmd; cmd = strtok(NULL, ";")) {
			while (*cmd == ' ')
				cmd++;
			one_line(&s, cmd);
		}
		free(copy);
	} else {
		char line[4096];
		while (fgets(line, sizeof line, stdin)) {
			size_t n = strcspn(line, "\r\n");
			if (line[n] == 0 && n == sizeof line - 1) {
				/* An overlong line: say so, skip the rest of it. */
				int ch;
				while ((ch = getchar()) != EOF && ch != '\n')
					;
				printf("HCPTER003E LINE TOO LONG; IGNORED\n");
				s.failures++;
				continue;
			}
			line[n] = 0;
			one_line(&s, line);
		}
	}
	cp_shutdown(sys);
	free(sys);
	return s.failures ? 1 : 0;
}
