/*
 * cp/console_rl.c -- the console on a real terminal, over GNU readline.
 *
 * The machines keep running while the student types, as they did behind
 * a 3215: the loop below uses readline's callback interface, so it can
 * wait for a key and run the dispatcher in turn:
 *
 *     for (;;)
 *         key ready?        -> rl_callback_read_char()  (a whole line
 *                              calls line_done(): the session takes it)
 *         a machine can run -> con_idle_turn(): a short stretch of
 *                              cp_dispatch()
 *         nothing to do     -> sleep in poll() until a key comes
 *
 * "Nothing to do" includes a guest in VM READ: CMS at R; waits for a
 * line in an enabled wait and is not dispatched again until one comes,
 * so an idle console costs neither host CPU nor guest exits.
 *
 * Output that arrives while a half-typed line is on the screen first
 * clears that line, prints, and then redraws it with the prompt, so
 * nothing the student typed is lost or mixed into the guest's output.
 *
 * Ctrl-C does not end the program: SIGINT only sets a flag, and the loop
 * turns it into the attention key (con_attention).  Ctrl-D asks first.
 * The history lives in STATE/history, rewritten through a temporary
 * file and rename() so a killed session never leaves half a file.
 */
#include "cp/console.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

/* Simulated cycles per turn of the loop while a machine runs: small
 * enough that a key is answered at once, large enough to be efficient. */
#define CON_CHUNK 200000ull
#define CON_HISTORY_LINES 1000

struct con_ui {
	struct con_session *s;
	bool color;
	bool line_shown;   /* readline's prompt and line are on the screen */
	bool redraw;       /* output went over them: draw them again */
	bool asking;       /* "leave vmlab?" was asked */
	bool done;
	char histfile[1100];
	char prompt[160];
};

/* Readline's callbacks carry no context: the one console is here. */
static struct con_ui *the_ui;
static volatile sig_atomic_t attention, hangup;

static void on_sigint(int sig)
{
	(void)sig;
	attention = 1;
}

/* The terminal closed or someone asked us to end: leave the loop
 * cleanly, so the terminal is restored, the history written, and every
 * user logged off (which closes their spool files). */
static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

/* ANSI colours, and readline's markers around them (\001 \002: "these
 * bytes take no room on the screen", so the cursor lands right). */
#define RL_ESC(code) "\001\033[" code "m\002"

static const char *build_prompt(struct con_ui *ui)
{
	struct con_session *s = ui->s;
	enum con_state st = con_state(s);
	if (ui->asking) {
		snprintf(ui->prompt, sizeof ui->prompt,
			 "Leave vmlab? Every user is logged off. (y/N) ");
		return ui->prompt;
	}
	char lesson[96];
	if (con_lesson_prompt(s, lesson, sizeof lesson)) {
		snprintf(ui->prompt, sizeof ui->prompt, "%s%s%s ==> ", ui->color ? RL_ESC("1;35") : "",
			 lesson, ui->color ? RL_ESC("0") : "");
		return ui->prompt;
	}
	const char *colour = st == CON_CP_READ ? "1;33" : st == CON_VM_READ ? "1;32" :
			     st == CON_RUNNING ? "1;36" : "1";
	if (st == CON_LOGON)
		snprintf(ui->prompt, sizeof ui->prompt, "%s%s%s ==> ",
			 ui->color ? "\001\033[1m\002" : "", "LOGON",
			 ui->color ? RL_ESC("0") : "");
	else if (ui->color)
		snprintf(ui->prompt, sizeof ui->prompt, "%s \001\033[%sm\002%s" RL_ESC("0") " ==> ",
			 s->userid, colour, con_state_name(st));
	else
		snprintf(ui->prompt, sizeof ui->prompt, "%s %s ==> ", s->userid, con_state_name(st));
	return ui->prompt;
}

/* Every line any machine or CP writes to this terminal comes here. */
static void ui_print(struct con_session *s, const char *text)
{
	struct con_ui *ui = s->ui;
	if (ui->line_shown) {
		rl_clear_visible_line();
		ui->line_shown = false;
		ui->redraw = true;
	}
	/* CP's error messages (HCPxxxnnnE) in red: the eye finds them. */
	size_t n = strlen(text);
	bool error = ui->color && n >= 10 && !strncmp(text, "HCP", 3) && text[9] == 'E';
	if (error)
		printf("\033[31m%s\033[0m\n", text);
	else
		printf("%s\n", text);
	fflush(stdout);
}

/* Draw the prompt and line again if output went over them, with the
 * prompt the terminal's state calls for now. */
static void ui_refresh(struct con_ui *ui)
{
	char before[sizeof ui->prompt];
	snprintf(before, sizeof before, "%s", ui->prompt);
	build_prompt(ui);
	bool changed = strcmp(before, ui->prompt) != 0;
	if (changed)
		rl_set_prompt(ui->prompt);
	if (changed || ui->redraw)
		rl_forced_update_display();
	ui->redraw = false;
	ui->line_shown = true;
}

static void save_history(struct con_ui *ui)
{
	char tmp[1200];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", ui->histfile, (long)getpid());
	if (write_history(tmp) == 0) {
		if (rename(tmp, ui->histfile))
			unlink(tmp);
	} else {
		unlink(tmp);
	}
}

/* A line for the history: a password is never written down. */
static void remember(struct con_ui *ui, const char *line)
{
	char copy[CON_INPUT_MAX];
	snprintf(copy, sizeof copy, "%s", line);
	char *p = copy;
	while (*p == ' ')
		p++;
	if (!*p)
		return;
	if (!strncasecmp(p, "#CP ", 4))
		p += 4;
	while (*p == ' ')
		p++;
	size_t w = strcspn(p, " ");
	if ((w >= 1 && w <= 5 && !strncasecmp(p, "LOGON", w)) ||
	    (w >= 4 && w <= 7 && !strncasecmp(p, "SESSION", w)) ||
	    (w == 4 && !strncasecmp(p, "DIAL", 4))) {
		/* keep "LOGON userid", drop what follows */
		char *q = p + w;
		while (*q == ' ')
			q++;
		q += strcspn(q, " ");
		*q = 0;
	}
	HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (last && !strcmp(last->line, copy))
		return;
	add_history(copy);
	save_history(ui);
}

/* readline calls this with each whole line (NULL: Ctrl-D on an empty
 * line). */
static void line_done(char *line)
{
	struct con_ui *ui = the_ui;
	ui->line_shown = false;
	if (!line) {
		if (ui->asking) {
			printf("\n");
			ui->done = true;
			rl_callback_handler_remove(); /* no prompt again */
			return;
		}
		printf("\n");
		ui->asking = true;
		rl_set_prompt(build_prompt(ui));
		return;
	}
	if (ui->asking) {
		ui->asking = false;
		if (line[0] == 'y' || line[0] == 'Y')
			ui->done = true;
		else
			ui_print(ui->s, "STAYING.");
		free(line);
		if (ui->done)
			rl_callback_handler_remove();
		else
			rl_set_prompt(build_prompt(ui));
		return;
	}
	/* A refused line (control characters, too long) is not worth
	 * recalling: only lines the console accepts go into the history. */
	if (!con_check_line(line, strlen(line)))
		remember(ui, line);
	con_session_input(ui->s, line, strlen(line));
	free(line);
	rl_set_prompt(build_prompt(ui));
}

/* Tab: the session's completions in readline's format (the common
 * prefix first, then each candidate). */
static char **complete(const char *text, int start, int end)
{
	(void)end;
	struct con_ui *ui = the_ui;
	rl_attempted_completion_over = 1; /* never file names */
	char before[CON_INPUT_MAX];
	snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
	char **list = con_complete(ui->s->sys, con_connected(ui->s), before, text);
	if (!list)
		return NULL;
	size_t n = 0;
	while (list[n])
		n++;
	if (n == 0) {
		con_free_list(list);
		return NULL;
	}
	char **out = calloc(n + 2, sizeof *out);
	if (!out) {
		con_free_list(list);
		return NULL;
	}
	size_t common = strlen(list[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && list[i][k] && !strncasecmp(list[i] + k, list[0] + k, 1))
			k++;
		common = k;
	}
	if (n == 1) {
		out[0] = list[0];
	} else {
		out[0] = strndup(list[0], common);
		for (size_t i = 0; i < n; i++)
			out[i + 1] = list[i];
	}
	free(list); /* the strings now belong to readline */
	return out;
}

int con_interactive(struct con_session *s, const char *state_dir, bool color)
{
	struct con_ui ui = { .s = s, .color = color };
	the_ui = &ui;
	s->ui = &ui;
	s->print = ui_print;
	s->line_cycles = CON_CHUNK;
	snprintf(ui.histfile, sizeof ui.histfile, "%s/history", state_dir);

	/* Ctrl-C sets a flag, nothing more: the host never exits on it. */
	struct sigaction sa, old_int, old_hup, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGTERM, &sa, &old_term);
	rl_catch_signals = 0;

	rl_readline_name = "vmlab";
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t";
	rl_variable_bind("completion-ignore-case", "on");
	using_history();
	stifle_history(CON_HISTORY_LINES);
	read_history(ui.histfile); /* none yet on a first run: fine */

	printf("Type HELP for the commands; Tab completes; Ctrl-C stops the machine "
	       "(attention); Ctrl-D leaves.\n");
	rl_callback_handler_install(build_prompt(&ui), line_done);
	ui.line_shown = true;
	bool busy = true; /* a machine may be able to run */
	bool gone = false;
	while (!ui.done && !s->quit && !hangup) {
		if (attention) {
			attention = 0;
			/* Drop the half-typed line, as a shell does. */
			rl_replace_line("", 0);
			if (ui.line_shown) {
				rl_clear_visible_line();
				ui.line_shown = false;
			}
			ui.asking = false;
			if (!con_attention(s))
				ui_print(s, con_state(s) == CON_LOGON ? "ATTENTION: NOBODY LOGGED ON"
								   : "ATTENTION: ALREADY IN CP READ");
			ui.redraw = true;
			ui_refresh(&ui);
			continue;
		}
		struct pollfd p = { .fd = 0, .events = POLLIN };
		int r = poll(&p, 1, busy ? 0 : -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (r > 0) {
			if (p.revents & (POLLHUP | POLLERR | POLLNVAL) && !(p.revents & POLLIN)) {
				gone = true; /* the terminal went away */
				break;
			}
			rl_callback_read_char();
			busy = true;
		} else {
			busy = con_idle_turn(s, CON_CHUNK);
		}
		if (!ui.done)
			ui_refresh(&ui);
	}
	rl_callback_handler_remove();
	printf("\n");
	save_history(&ui);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	/* A closed terminal sends SIGHUP as well as the POLLHUP we saw, and
	 * the signal may come after the loop: ignore it from here on, so
	 * that the caller still logs everyone off and saves the spool
	 * instead of dying half way. */
	if (gone || hangup)
		sa.sa_handler = SIG_IGN, sigaction(SIGHUP, &sa, NULL);
	else
		sigaction(SIGHUP, &old_hup, NULL);
	s->print = NULL;
	s->ui = NULL;
	the_ui = NULL;
	return 0;
}
