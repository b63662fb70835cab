/*
 * cp/console.c -- the console session: `vmlab` and `vmlab cp`.
 *
 * A terminal on VM/370 was a 3215 (or a 3270 pretending to be one) on a
 * line to the machine.  Before LOGON, only CP listens.  After LOGON the
 * terminal belongs to one user's virtual machine, and each line goes to
 * one of two places:
 *
 *   - to the GUEST, when its virtual console has a read outstanding
 *     (VM READ) or it is running and will read later;
 *   - to CP, when the machine is stopped (CP READ), or when the line
 *     starts with #CP, from anywhere.
 *
 * cp_input() (cp.c) makes that choice; this file owns what a terminal
 * adds: which user it is connected to, the checks on a line before
 * anyone sees it, the attention key, SESSION to switch users, and
 * running the machines between lines.
 *
 * Scripts, -c and pipes run the same path without prompts: each input
 * line is echoed as "> line" so a transcript reads like a session, and
 * the output is the same on every machine (simulated time only).
 */
#include "cp/console.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Simulated cycles the machines may run per input line in a script:
 * generous, and bounded, so a guest that never waits cannot hang one. */
#define CON_CYCLES_PER_LINE 50000000ull

#define DEFAULT_USER "ALICE"

/* ------------------------------------------------------------------ */
/* Options                                                             */

static void usage(bool plain)
{
	if (plain) {
		printf("usage: vmlab cp [--directory FILE] [--state DIR] [--strict] [-c 'cmd; cmd'] [SCRIPT]\n"
		       "CP on a line interface: commands from standard input (or -c, or a script\n"
		       "file), one per line.  Start with LOGON ALICE; HELP lists the CP commands.\n"
		       "The state folder (default ~/.local/state/vmlab) holds the minidisks.\n");
		return;
	}
	printf("usage: vmlab [--directory FILE] [--state DIR] [--user ID] [--no-ipl]\n"
	       "             [--strict] [-c 'cmd; cmd'] [SCRIPT.vml]\n"
	       "The classroom console: logs ID (default ALICE) on to CP, IPLs CMS and\n"
	       "connects the terminal to it.\n"
	       "  --directory FILE  the user directory (default: the built-in one)\n"
	       "  --state DIR       minidisks, spool and history (default ~/.local/state/vmlab)\n"
	       "  --user ID         the user to log on\n"
	       "  --no-ipl          log on but IPL nothing (CP READ)\n"
	       "  -c 'cmd; cmd'     run these lines, then stop\n"
	       "  SCRIPT            run the lines of this file, then stop\n"
	       "  --strict          stop with status 1 at the first failed command (a CP\n"
	       "                    error, or CMS's ready message R(nnnnn);)\n"
	       "On a terminal: #CP cmd reaches CP from anywhere, Ctrl-C is the attention\n"
	       "key, Tab completes, Ctrl-R searches the history, HELP lists the commands.\n"
	       "`vmlab help` lists the other subcommands.\n");
}

int con_parse_args(int argc, char **argv, struct con_options *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--directory") && more)
			o->directory = argv[++i];
		else if (!strcmp(a, "--state") && more)
			o->state = argv[++i];
		else if (!strcmp(a, "--user") && more)
			o->user = argv[++i];
		else if (!strcmp(a, "-c") && more)
			o->commands = argv[++i];
		else if (!strcmp(a, "--no-ipl"))
			o->no_ipl = true;
		else if (!strcmp(a, "--strict"))
			o->strict = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		else if (a[0] != '-' && !o->script)
			o->script = a;
		else {
			snprintf(err, errlen, "unknown or incomplete option '%s' (--help lists them)", a);
			return -1;
		}
	}
	if (o->script && o->commands) {
		snprintf(err, errlen, "give either -c or a script file, not both");
		return -1;
	}
	if (o->user && (strlen(o->user) == 0 || strlen(o->user) > 8)) {
		snprintf(err, errlen, "--user %s: a user id has 1 to 8 characters", o->user);
		return -1;
	}
	return 0;
}

const char *con_default_state_dir(char *buf, size_t len)
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
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
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

/* ------------------------------------------------------------------ */
/* The session                                                         */

/* CMS's ready message after an error: "R(00028);", "R(-0003);". */
static bool cms_error_ready(const char *text)
{
	if (strncmp(text, "R(", 2))
		return false;
	const char *p = text + 2 + (text[2] == '-');
	size_t n = strspn(p, "0123456789");
	return n > 0 && !strcmp(p + n, ");");
}

static void term_line(void *ctx, const char *text)
{
	struct con_session *s = ctx;
	if (s->watch_ready && cms_error_ready(text))
		s->guest_failed = true;
	if (s->print)
		s->print(s, text);
	else
		puts(text);
}

struct cp_vm *con_connected(const struct con_session *s)
{
	struct cp_vm *vm = s->userid[0] ? cp_find(s->sys, s->userid) : NULL;
	return vm && !vm->disconnected ? vm : NULL;
}

enum con_state con_state(const struct con_session *s)
{
	const struct cp_vm *vm = con_connected(s);
	if (!vm)
		return CON_LOGON;
	if (vm->state == CPVM_STOPPED || !vm->ipled)
		return CON_CP_READ;
	/* VM READ: its console has a read outstanding (whether the guest
	 * waits for it or polls): the next line typed is the guest's. */
	if (cp_vm_reading(vm))
		return CON_VM_READ;
	return CON_RUNNING;
}

const char *con_state_name(enum con_state st)
{
	switch (st) {
	case CON_LOGON: return "LOGON";
	case CON_CP_READ: return "CP READ";
	case CON_VM_READ: return "VM READ";
	case CON_RUNNING: return "RUNNING";
	}
	return "?";
}

const char *con_check_line(const char *line, size_t len)
{
	/* Too long for CP or for the guest's console queue: refused whole
	 * rather than cut, so a guest never runs half a command. */
	_Static_assert(CON_LINE_MAX == 255, "the message below says 255");
	if (len > CON_LINE_MAX)
		return "HCPTER003E LINE TOO LONG (MORE THAN 255 CHARACTERS); IGNORED";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == 0)
			return "HCPTER004E LINE HOLDS A NUL BYTE; IGNORED";
		if (c >= 0x80)
			return "HCPTER005E LINE HOLDS NON-ASCII BYTES (A 3215 HAS NONE); IGNORED";
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return "HCPTER006E LINE HOLDS CONTROL CHARACTERS; IGNORED";
	}
	return NULL;
}

void con_run(struct con_session *s, uint64_t cycles)
{
	/* Whoever is (or may become) disconnected has a keeper for what
	 * the machine types meanwhile. */
	con_keep_sweep(s);
	cp_dispatch(s->sys, s->sys->now + cycles);
	/* Logged off, forced off or disconnected: back to the LOGON state. */
	if (s->userid[0] && !con_connected(s))
		s->userid[0] = 0;
}

/* The earliest timer event of a waiting machine (UINT64_MAX: none). */
static uint64_t next_event(struct cp_system *sys)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < sys->nvms; i++) {
		struct cp_vm *vm = sys->vms[i];
		if (vm->state != CPVM_WAIT)
			continue;
		uint64_t t = trap_next_event(vm->g, sys->now);
		if (t < next)
			next = t;
	}
	return next;
}

bool con_idle_turn(struct con_session *s, uint64_t chunk)
{
	uint64_t before = s->sys->dispatches;
	con_run(s, chunk);
	if (s->sys->dispatches != before)
		return true;
	/* Nobody ran.  If a waiting machine has a timer due later, time
	 * jumps there (simulated time costs nothing to skip).  Otherwise
	 * only the terminal can wake anyone -- a line for a guest in VM
	 * READ, a command, the attention key -- and the caller sleeps. */
	uint64_t t = next_event(s->sys);
	if (t != UINT64_MAX && t > s->sys->now) {
		con_run(s, t - s->sys->now + 1);
		return true;
	}
	return false;
}

bool con_attention(struct con_session *s)
{
	struct cp_vm *vm = con_connected(s);
	if (!vm || vm->state == CPVM_STOPPED)
		return false;
	/* VM/370's attention key: the machine stops where it is and CP
	 * reads the terminal.  BEGIN resumes it exactly there. */
	vm->state = CPVM_STOPPED;
	cp_printf(&s->term, "CP READ: %s STOPPED AT %08" PRIX32 " (BEGIN RESUMES)", vm->userid,
		  vm->g->cpu.psw_ia);
	return true;
}

/* Connect the terminal to vm; the user it leaves keeps running. */
static void connect_to(struct con_session *s, struct cp_vm *vm)
{
	struct cp_vm *old = con_connected(s);
	if (old && old != vm) {
		old->disconnected = true;
		cp_printf(&s->term, "%s DISCONNECTED; KEEPS RUNNING", old->userid);
	}
	vm->disconnected = false;
	vm->term = s->term;
	snprintf(s->userid, sizeof s->userid, "%s", vm->userid);
}

/* First word of line abbreviates name (at least min characters)? */
static bool first_word_is(const char *line, const char *name, size_t min, const char **rest)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strcspn(line, " \t");
	if (n < min || n > strlen(name) || strncasecmp(line, name, n))
		return false;
	*rest = line + n;
	return true;
}

bool con_session_command(struct con_session *s, const char *line, int *rc)
{
	const char *rest;
	bool logon = false;
	if (!first_word_is(line, "SESSION", 4, &rest) && !first_word_is(line, "DIAL", 4, &rest)) {
		/* LOGON of a disconnected user reconnects, as on VM/370.
		 * (LOG and LOGO are LOGOFF's abbreviations to CP, not LOGON's.) */
		if (con_connected(s) || !first_word_is(line, "LOGON", 1, &rest))
			return false;
		size_t w = (size_t)(rest - line) - strspn(line, " \t");
		if (w == 3 || w == 4)
			return false;
		logon = true;
	}
	char id[16] = "", pw[16] = "", extra[4] = "";
	int n = sscanf(rest, "%15s %15s %3s", id, pw, extra);
	if (logon) {
		struct cp_vm *vm = n >= 1 ? cp_find(s->sys, id) : NULL;
		if (!vm || !vm->disconnected)
			return false; /* an ordinary LOGON: CP's business */
	}
	if (n < 1 || n > 2) {
		cp_printf(&s->term, "HCPSES020E SYNTAX: SESSION userid [password]");
		*rc = 20;
		return true;
	}
	struct cp_vm *vm = cp_find(s->sys, id);
	if (vm) {
		if (vm == con_connected(s)) {
			cp_printf(&s->term, "ALREADY CONNECTED TO %s", vm->userid);
			*rc = 0;
			return true;
		}
		if (!cp_user_check_password(vm->def, n > 1 ? pw : "")) {
			cp_printf(&s->term, "HCPLGN050E PASSWORD INCORRECT");
			*rc = 50;
			return true;
		}
		connect_to(s, vm);
		cp_printf(&s->term, "RECONNECTED TO %s AT %" PRIu64 "; %s", vm->userid, s->sys->now,
			  con_state_name(con_state(s)));
		con_keep_show(s, vm);
		*rc = 0;
		return true;
	}
	/* Not logged on yet: log on, and this terminal is theirs. */
	struct cp_vm *old = con_connected(s);
	vm = cp_logon(s->sys, id, n > 1 ? pw : NULL, &s->term, false);
	if (!vm) {
		*rc = 53;
		return true;
	}
	if (old) {
		old->disconnected = true;
		cp_printf(&s->term, "%s DISCONNECTED; KEEPS RUNNING", old->userid);
	}
	connect_to(s, vm);
	*rc = 0;
	return true;
}

int con_session_line(struct con_session *s, const char *line)
{
	if (s->echo)
		cp_printf(&s->term, "> %s", line);
	struct cp_vm *vm = con_connected(s);
	int rc = 0;
	/* The console's own commands: at CP READ, with #CP, or logged off. */
	const char *cmd = line;
	bool to_cp = !vm || con_state(s) == CON_CP_READ;
	if (!strncasecmp(line, "#CP", 3) && (line[3] == ' ' || line[3] == 0)) {
		cmd = line + 3;
		to_cp = true;
	}
	if (con_lesson_command(s, cmd, &rc)) {
		/* LESSON ...: the console's, from any state */
	} else if (s->lesson) {
		rc = con_lesson_line(s, line);
	} else if (to_cp && con_session_command(s, cmd, &rc)) {
		/* handled */
	} else if (vm) {
		rc = cp_input(vm, line);
		s->watch_ready = true;
		s->guest_failed = false;
	} else {
		rc = cp_execute(s->sys, NULL, line, &s->term);
		/* A successful LOGON connects this terminal: the one user
		 * not disconnected is the one just logged on. */
		for (int i = 0; i < s->sys->nvms; i++)
			if (!s->sys->vms[i]->disconnected) {
				snprintf(s->userid, sizeof s->userid, "%s", s->sys->vms[i]->userid);
				break;
			}
	}
	if (rc) {
		s->failures++;
		if (s->strict)
			s->quit = true;
	}
	con_run(s, s->line_cycles ? s->line_cycles : CON_CYCLES_PER_LINE);
	/* Under --strict a CMS command that failed (R(nnnnn);) stops the
	 * script too, as a CP command's error does.  Without it the status
	 * stays CP's alone: scripts that try bad CMS commands on purpose
	 * want status 0 to mean "nothing crashed". */
	if (s->strict && s->watch_ready && s->guest_failed && !rc) {
		rc = 1;
		s->failures++;
		s->quit = true;
	}
	s->watch_ready = false;
	return rc;
}

int con_session_input(struct con_session *s, const char *line, size_t len)
{
	const char *why = con_check_line(line, len);
	if (why) {
		if (s->echo) {
			/* Echo what can be shown safely: printable ASCII only. */
			char shown[81];
			size_t k = 0;
			for (size_t i = 0; i < len && k < sizeof shown - 4; i++) {
				unsigned char c = (unsigned char)line[i];
				shown[k++] = (c >= 0x20 && c < 0x7F) ? (char)c : '.';
			}
			if (len > k)
				memcpy(shown + k, "...", 4), k += 3;
			shown[k] = 0;
			cp_printf(&s->term, "> %s", shown);
		}
		cp_printf(&s->term, "%s", why);
		s->failures++;
		if (s->strict)
			s->quit = true;
		return 3;
	}
	return con_session_line(s, line);
}

/* ------------------------------------------------------------------ */
/* The first IPL                                                       */

bool con_system_exists(const char *name)
{
	for (const struct cp_named_system *ns = cp_named_systems; ns->name; ns++)
		if (!strcasecmp(ns->name, name))
			return true;
	return false;
}

const char *con_default_ipl(const struct cp_user_def *u, char *buf, size_t len)
{
	if (u && u->has_ipl) {
		if (u->ipl_is_dev) {
			snprintf(buf, len, "%03X", u->ipl_dev);
			return buf;
		}
		if (con_system_exists(u->ipl_name)) {
			snprintf(buf, len, "%s", u->ipl_name);
			return buf;
		}
	}
	snprintf(buf, len, "%s", con_system_exists("CMS") ? "CMS" : "DEMO");
	return buf;
}

/* LOGON the default user and IPL its system, as `make run` promises. */
static void first_logon(struct con_session *s, const struct con_options *o)
{
	const char *id = o->user ? o->user : DEFAULT_USER;
	const struct cp_user_def *u = cp_directory_find(&s->sys->dir, id);
	if (!u) {
		cp_printf(&s->term, "HCPLGN053E %s NOT IN CP DIRECTORY; LOGON ANOTHER USER", id);
		return;
	}
	if (u->has_password) {
		/* No password on the command line (it would show in ps): the
		 * student types LOGON id password. */
		cp_printf(&s->term, "%s HAS A PASSWORD: TYPE LOGON %s password", u->id, u->id);
		return;
	}
	struct cp_vm *vm = cp_logon(s->sys, u->id, NULL, &s->term, false);
	if (!vm)
		return;
	snprintf(s->userid, sizeof s->userid, "%s", vm->userid);
	if (o->no_ipl) {
		cp_printf(&s->term, "CP READ: NO IPL (--no-ipl); TYPE IPL DEMO, OR HELP");
		return;
	}
	char what[16];
	con_default_ipl(u, what, sizeof what);
	if (u->has_ipl && !u->ipl_is_dev && strcasecmp(what, u->ipl_name))
		cp_printf(&s->term, "%s IS NOT INSTALLED YET: IPL %s", u->ipl_name, what);
	cp_printf(&s->term, "IPL %s", what);
	if (cp_ipl(vm, what, &s->term) == 0)
		con_run(s, CON_CYCLES_PER_LINE);
}

/* ------------------------------------------------------------------ */
/* Scripts and pipes                                                   */

static void run_commands(struct con_session *s, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		return;
	char *save = NULL;
	for (char *cmd = strtok_r(copy, ";", &save); cmd && !s->quit;
	     cmd = strtok_r(NULL, ";", &save)) {
		while (*cmd == ' ')
			cmd++;
		con_session_input(s, cmd, strlen(cmd));
	}
	free(copy);
}

/*
 * One line of input into buf (at most cap - 1 bytes kept, NUL bytes
 * and all).  *len is the line's whole length, which may be more than
 * was kept: the rest is read and thrown away, so a pipe of binary
 * garbage with no newline in it costs no more memory than one buffer.
 * False at the end of the input.
 */
static bool read_line(FILE *f, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 1 < cap)
			buf[n] = (char)c;
		n++;
	}
	if (c == EOF && n == 0)
		return false;
	size_t kept = n < cap - 1 ? n : cap - 1;
	if (n == kept && kept && buf[kept - 1] == '\r')
		kept--, n--;   /* a line from a DOS file */
	buf[kept] = 0;
	*len = n;
	return true;
}

FILE *con_script_input;

static void run_stream(struct con_session *s, FILE *f)
{
	static char line[CON_INPUT_MAX];
	size_t len;
	con_script_input = f;
	while (!s->quit && read_line(f, line, sizeof line, &len)) {
		/* A long line is refused whole (con_check_line says so);
		 * what was kept of it is all anyone looks at. */
		con_session_input(s, line, len < sizeof line ? len : sizeof line - 1);
	}
	con_script_input = NULL;
}

int cp_console_main(int argc, char **argv, bool plain)
{
	struct con_options o;
	char err[1024];
	int prc = con_parse_args(argc, argv, &o, err, sizeof err);
	const char *me = plain ? "vmlab cp" : "vmlab";
	if (prc == 1) {
		usage(plain);
		return 0;
	}
	if (prc < 0) {
		fprintf(stderr, "%s: %s\n", me, err);
		return 2;
	}
	o.plain = plain;
	char statebuf[1024];
	const char *state = o.state ? o.state : con_default_state_dir(statebuf, sizeof statebuf);
	if (make_dirs(state)) {
		fprintf(stderr, "%s: cannot create the state folder %s: %s\n", me, state,
			strerror(errno));
		return 2;
	}
	FILE *script = NULL;
	if (o.script && !(script = fopen(o.script, "r"))) {
		fprintf(stderr, "%s: cannot read %s: %s\n", me, o.script, strerror(errno));
		return 2;
	}
	struct cp_directory dir;
	int rc = o.directory ? cp_directory_load(o.directory, state, &dir, err, sizeof err)
			     : cp_directory_default(state, &dir, err, sizeof err);
	if (rc == 0)
		rc = cp_directory_make_disks(&dir, err, sizeof err);
	if (rc) {
		fprintf(stderr, "%s\n", err);
		if (script)
			fclose(script);
		return 2;
	}
	struct cp_system *sys = calloc(1, sizeof *sys);
	if (!sys) {
		if (script)
			fclose(script);
		return 2;
	}
	cp_init(sys, &dir, state);
	bool interactive = !o.commands && !script && isatty(0) && isatty(1);
	/* Lines on a pipe may come from a program that waits for each
	 * answer before it sends the next line (a driver, a FIFO held open):
	 * each line of output goes out as it is made, not when the buffer
	 * fills or vmlab exits.  Before the first output, as setvbuf wants. */
	if (!o.commands && !script && !interactive)
		setvbuf(stdout, NULL, _IOLBF, 0);
	struct con_session s = { .sys = sys, .echo = !interactive, .strict = o.strict };
	s.term = (struct cp_out){ term_line, &s };
	/* Colour only for a person at a terminal, and never with NO_COLOR
	 * (https://no-color.org: any value, even empty, turns it off). */
	bool color = interactive && !getenv("NO_COLOR");
	printf("VMLAB CONTROL PROGRAM, DIRECTORY %s, %d USERS DEFINED\n",
	       sys->dir.source ? sys->dir.source : "?", sys->dir.nusers);
	if (!plain)
		first_logon(&s, &o);
	if (o.commands)
		run_commands(&s, o.commands);
	else if (script)
		run_stream(&s, script);
	else if (interactive)
		con_interactive(&s, state, color);
	else
		run_stream(&s, stdin);
	if (script)
		fclose(script);
	con_lesson_end(&s);
	fflush(stdout);
	cp_shutdown(sys);
	con_keep_free(&s);
	free(sys);
	/* The status tells a script whether every line worked.  A person
	 * who mistyped once has not failed: `make run` must not end with
	 * "Error 1" for that. */
	return s.failures && (!interactive || o.strict) ? 1 : 0;
}
