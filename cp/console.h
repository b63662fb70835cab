/*
 * cp/console.h -- the classroom console: one terminal, like a 3215 on a
 * VM/370 line, connected to one logged-on user at a time.
 *
 * The pieces, from the keyboard inwards:
 *
 *     keyboard --readline--> con_session_line() --+--> LOGON/HELP (no user yet)
 *     (or a script, -c,                           +--> SESSION/DIAL (the console's own)
 *      or a pipe)                                 +--> cp_input(): the guest's console
 *                                                      when it reads, else CP
 *
 *     cp_dispatch() runs the machines between lines; everything any of
 *     them writes comes back through the session's struct cp_out.
 *
 * The session (which user the terminal is connected to, what the
 * terminal's state is, how a line is checked before anyone sees it) is
 * shared by `vmlab` (the console) and `vmlab cp` (the same thing without
 * the automatic LOGON and IPL), so scripts and people meet one program.
 * Completion (console_complete.c), the dispatcher's timeline
 * (console_timeline.c) and what a disconnected user's machine types
 * (console_keep.c) are separate files with no terminal in them, so the
 * unit tests drive them directly.
 */
#ifndef CP_CONSOLE_H
#define CP_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cp/cp.h"

/* Longest input line the console accepts: what CP and a guest's
 * console queue can hold (CP_LINE_MAX - 1, 255 characters).  Longer
 * lines are refused whole, with a message, wherever they were going. */
#define CON_LINE_MAX (CP_LINE_MAX - 1)
/* Buffers for the text around a line being typed (completion, history):
 * larger than any line accepted. */
#define CON_INPUT_MAX 4096

/* The terminal's state, as VM/370 showed it in the corner of the screen. */
enum con_state {
	CON_LOGON,    /* no user connected: only LOGON, HELP, SESSION */
	CON_CP_READ,  /* CP reads: the machine is stopped (or never IPLed) */
	CON_VM_READ,  /* the guest waits for a console line */
	CON_RUNNING,  /* the guest runs (or waits for something else) */
};

/* Command-line options of `vmlab` and `vmlab cp`. */
struct con_options {
	const char *directory;   /* --directory FILE (NULL: built-in) */
	const char *state;       /* --state DIR (NULL: default) */
	const char *user;        /* --user ID (default ALICE) */
	const char *commands;    /* -c 'cmd; cmd' */
	const char *script;      /* a script file */
	bool no_ipl;             /* --no-ipl */
	bool strict;             /* --strict: stop at the first failure */
	bool plain;              /* `vmlab cp`: no automatic LOGON or IPL */
};

/* Parse argv (argv[0] is the program or subcommand name).  Returns 0,
 * 1 when --help was given (usage printed to stdout), or -1 with a
 * one-line message in err. */
int con_parse_args(int argc, char **argv, struct con_options *o, char *err, size_t errlen);

struct con_lesson;

/* One terminal session. */
struct con_session {
	struct cp_system *sys;
	char userid[9];          /* the connected user; "" when none */
	struct cp_out term;      /* where this terminal's lines go */
	bool echo;               /* echo each input line ("> line") */
	bool strict;
	int failures;            /* commands that failed */
	bool quit;               /* the session should end (--strict failure) */
	/* A line went to the guest: watch its answer for CMS's ready
	 * message with a return code, R(nnnnn); -- the guest's way of
	 * saying the command failed (term_line sets guest_failed). */
	bool watch_ready, guest_failed;
	uint64_t line_cycles;    /* run the machines this long after each
				    line (0: a script's generous bound) */
	/* How a line reaches the screen (NULL: stdout).  The readline loop
	 * sets this to clear and redraw the line being typed around it. */
	void (*print)(struct con_session *s, const char *text);
	void *ui;                /* the front end's own state */
	struct con_lesson *lesson; /* a lesson has the terminal (or NULL) */
	struct con_keep *keeps;  /* disconnected users' output (console_keep.c) */
};

/* The user the terminal is connected to, or NULL. */
struct cp_vm *con_connected(const struct con_session *s);
/* The terminal's state, and its name ("CP READ"...). */
enum con_state con_state(const struct con_session *s);
const char *con_state_name(enum con_state st);

/*
 * Check one input line of len bytes before anything acts on it.
 * Returns NULL if it is fine, else why it is refused (a CP-style
 * message): too long, a NUL byte, control characters, non-ASCII bytes.
 */
const char *con_check_line(const char *line, size_t len);

/* Give one line to the session (echo, route, count a failure, run the
 * machines for a bounded stretch of simulated time).  Returns the code
 * of the command (0 for lines the guest took). */
int con_session_line(struct con_session *s, const char *line);
/* A line of len bytes straight from input: checked first. */
int con_session_input(struct con_session *s, const char *line, size_t len);

/* The console's own commands: SESSION userid (DIAL is the same):
 * connect this terminal to another user (logging them on if needed);
 * the user it leaves keeps running disconnected.  True if line was one. */
bool con_session_command(struct con_session *s, const char *line, int *rc);

/* The attention key (Ctrl-C): a running or reading machine stops and
 * the terminal is in CP READ.  Returns true if something changed. */
bool con_attention(struct con_session *s);

/* Run the machines for at most `cycles` of simulated time. */
void con_run(struct con_session *s, uint64_t cycles);

/*
 * One turn of the interactive loop while no key is waiting: run the
 * machines for up to `chunk` cycles (or up to the next timer of a
 * waiting machine).  True if a machine may run on (call again), false
 * if every machine waits for the terminal (a guest in VM READ, a
 * stopped machine): then sleep until a key comes.  An idle CMS at R;
 * is never dispatched here: no instructions, no exits, no host CPU.
 */
bool con_idle_turn(struct con_session *s, uint64_t chunk);

/* What `vmlab` IPLs for a user: the directory's default if it exists,
 * else CMS if it exists, else DEMO. */
const char *con_default_ipl(const struct cp_user_def *u, char *buf, size_t len);
bool con_system_exists(const char *name);

/* The state folder when none is given: $XDG_STATE_HOME/vmlab,
 * ~/.local/state/vmlab, or ./vmlab-state. */
const char *con_default_state_dir(char *buf, size_t len);

/* `vmlab` and `vmlab cp`: run the console.  Returns the exit status. */
int cp_console_main(int argc, char **argv, bool plain);
/* The script file or pipe the console is reading, while it reads one
 * (NULL on a terminal and for -c): KVM BOOT takes its guest's input
 * lines from there (cp/command.c). */
extern FILE *con_script_input;

/* ------------------------------------------------------------------ */
/* A disconnected user's output, kept for the reconnect (console_keep.c) */

/* Lines kept per user; older ones are dropped and counted. */
#define CON_KEEP_LINES 500

/* Give every logged-on machine a keeper (vm->dsc) and free those of
 * users gone.  con_run() calls it before each stretch of dispatching. */
void con_keep_sweep(struct con_session *s);
/* Show what vm typed while disconnected (then forget it): at the
 * reconnect.  Nothing if it typed nothing. */
void con_keep_show(struct con_session *s, struct cp_vm *vm);
/* Lines kept for vm now, and (if dropped) how many were dropped. */
unsigned con_keep_count(const struct cp_vm *vm, uint64_t *dropped);
/* Free every keeper: after cp_shutdown(), when no machine is left. */
void con_keep_free(struct con_session *s);

/* ------------------------------------------------------------------ */
/* Lessons at the console (console_lesson.c)                           */

/* LESSON [START name | HINT | CHECK | NEXT | END]: true if line was one. */
bool con_lesson_command(struct con_session *s, const char *line, int *rc);
/* A line while a lesson has the terminal (its machines, or an answer). */
int con_lesson_line(struct con_session *s, const char *line);
void con_lesson_end(struct con_session *s);
/* "LESSON trap STEP 2/4" for the prompt, or NULL when none runs. */
const char *con_lesson_prompt(const struct con_session *s, char *buf, size_t len);
/* The lessons' names (file names without .yaml); returns how many. */
int con_lesson_names(char names[][64], int max);

/* ------------------------------------------------------------------ */
/* Completion (console_complete.c): what could the word being typed be? */

/*
 * All completions of `word` given the text before it on the line (the
 * earlier words), for the connected user vm (may be NULL), sorted and
 * unique.  Returns a malloc'd NULL-terminated array of malloc'd
 * strings (free with con_free_list), possibly empty.
 */
char **con_complete(struct cp_system *sys, struct cp_vm *vm, const char *before,
		    const char *word);
void con_free_list(char **list);

/* The interactive loop over GNU readline (console_rl.c). */
int con_interactive(struct con_session *s, const char *state_dir, bool color);

/* ------------------------------------------------------------------ */
/* The dispatcher's timeline (console_timeline.c): INDICATE TIMELINE. */

/* A chart of the last n dispatches, one row per VM, to out. */
int cp_console_timeline(struct cp_system *sys, unsigned n, const struct cp_out *out);
/* The same chart as an SVG file at path (written atomically).  0 or -1
 * (message to out). */
int cp_console_timeline_svg(struct cp_system *sys, unsigned n, const char *path,
			    const struct cp_out *out);

#endif
