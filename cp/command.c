/*
 * cp/command.c -- the CP command interpreter (table: cp/cmdtab.def).
 *
 * A line is split into words; the first names the command, matched by
 * minimum abbreviation as on VM/370 (Q for QUERY, D for DISPLAY); the
 * user's privilege classes must include one of the command's.  Each
 * handler validates its operands completely before it changes anything,
 * so a bad command says why and leaves the system as it was.
 */
#include "cp.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cms/cmdnames.h"
#include "cms/sysfiles.h"
#include "cp/console.h"
#include "cp/diag.h"
#include "host-kvm/kvm.h"
#include "cp/vmdev.h"
#include "cp/spool.h"
#include "sim/asm.h"

#define MAX_WORDS 16

struct cmd_ctx {
	struct cp_system *sys;
	struct cp_vm *vm;            /* NULL: not logged on */
	const struct cp_out *out;
	int argc;
	char *argv[MAX_WORDS];
};

typedef int (*cmd_fn)(struct cmd_ctx *c);
static int spool_call(struct cmd_ctx *c,
		      int (*fn)(struct cp_spool *, const char *, bool, int, const char *const *,
				const struct cp_out *));

#define CP_COMMAND(name, min, cls, fn, group, syntax, help, example) static int fn(struct cmd_ctx *c);
#include "cmdtab.def"
#undef CP_COMMAND

struct cp_command {
	const char *name;
	int min;
	uint32_t classes;
	cmd_fn fn;
	const char *group, *syntax, *help, *example;
};

static const struct cp_command commands[] = {
#define CP_COMMAND(name, min, cls, fn, group, syntax, help, example) \
	{ name, min, cls, fn, group, syntax, help, example },
#include "cmdtab.def"
#undef CP_COMMAND
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

/* Does word abbreviate name (at least min characters)? */
static bool abbrev(const char *word, const char *name, int min)
{
	size_t n = strlen(word);
	return n >= (size_t)min && n <= strlen(name) && !strncasecmp(word, name, n);
}

/* The command a word names: the matching entry with the longest
 * minimum (LOG is LOGOFF, not LOGON). */
static const struct cp_command *lookup(const char *word)
{
	const struct cp_command *best = NULL;
	for (int i = 0; i < NCOMMANDS; i++)
		if (abbrev(word, commands[i].name, commands[i].min) &&
		    (!best || commands[i].min > best->min))
			best = &commands[i];
	return best;
}

static void class_letters(uint32_t cls, char *buf)
{
	int n = 0;
	for (int i = 0; i < 7; i++)
		if (cls & (1u << i))
			buf[n++] = (char)('A' + i);
	buf[n] = 0;
}

int cp_execute(struct cp_system *sys, struct cp_vm *vm, const char *line,
	       const struct cp_out *out)
{
	char buf[CP_LINE_MAX];
	struct cmd_ctx c = { sys, vm, out, 0, { 0 } };
	if (strlen(line) >= sizeof buf) {
		cp_printf(out, "HCPCMD003E LINE TOO LONG (MORE THAN %d CHARACTERS)",
			  (int)sizeof buf - 1);
		return 3;
	}
	snprintf(buf, sizeof buf, "%s", line);
	for (char *w = strtok(buf, " \t"); w; w = strtok(NULL, " \t")) {
		if (c.argc == MAX_WORDS) {
			cp_printf(out, "HCPCMD004E TOO MANY OPERANDS");
			return 4;
		}
		c.argv[c.argc++] = w;
	}
	if (c.argc == 0)
		return 0;
	const struct cp_command *cmd = lookup(c.argv[0]);
	if (!cmd) {
		/* Say what it could have meant: commands starting alike. */
		char maybe[256] = "";
		size_t used = 0;
		for (int i = 0; i < NCOMMANDS; i++)
			if (!strncasecmp(c.argv[0], commands[i].name, 1) && used + 12 < sizeof maybe)
				used += (size_t)snprintf(maybe + used, sizeof maybe - used, " %s",
							 commands[i].name);
		cp_printf(out, "HCPCMD001E UNKNOWN CP COMMAND: %s%s%s", c.argv[0],
			  used ? "; DID YOU MEAN" : "", maybe);
		return 1;
	}
	if (!vm && cmd->fn != cmd_logon && cmd->fn != cmd_help) {
		cp_printf(out, "HCPCMD002E %s: YOU ARE NOT LOGGED ON; LOGON FIRST", cmd->name);
		return 2;
	}
	if (vm && !(vm->classes & cmd->classes)) {
		char need[8];
		class_letters(cmd->classes, need);
		cp_printf(out, "HCPCMD005E %s NEEDS PRIVILEGE CLASS %s", cmd->name, need);
		return 5;
	}
	return cmd->fn(&c);
}

/* ------------------------------------------------------------------ */
/* Operand helpers                                                     */

static bool parse_hex(const char *s, uint32_t *v)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 16);
	if (errno || *end || x > 0xFFFFFFFFull)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* Rn or R n: a register number 0-15. */
static bool parse_reg(const char *s, unsigned *r)
{
	if (toupper((unsigned char)s[0]) != 'R' && toupper((unsigned char)s[0]) != 'G')
		return false;
	char *end;
	long v = strtol(s + 1, &end, 10);
	if (*end || end == s + 1 || v < 0 || v > 15)
		return false;
	*r = (unsigned)v;
	return true;
}

static int need_ipl(struct cmd_ctx *c)
{
	if (!c->vm->ipled) {
		cp_printf(c->out, "HCPCMD010E YOUR VIRTUAL MACHINE HAS NOT BEEN IPLED");
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Session                                                             */

static int cmd_logon(struct cmd_ctx *c)
{
	if (c->vm) {
		cp_printf(c->out, "HCPLGN054E ALREADY LOGGED ON %s", c->vm->userid);
		return 54;
	}
	if (c->argc < 2) {
		cp_printf(c->out, "HCPLGN020E USERID MISSING; SYNTAX: LOGON userid [password]");
		return 20;
	}
	struct cp_vm *vm = cp_logon(c->sys, c->argv[1], c->argc > 2 ? c->argv[2] : NULL,
				    c->out, false);
	return vm ? 0 : 53;
}

static int cmd_logoff(struct cmd_ctx *c)
{
	cp_logoff(c->vm, NULL);
	return 0;
}

static int cmd_disconn(struct cmd_ctx *c)
{
	cp_printf(c->out, "DISCONNECT AT %" PRIu64 "; %s KEEPS RUNNING", c->sys->now, c->vm->userid);
	c->vm->disconnected = true;
	return 0;
}

static int cmd_autolog(struct cmd_ctx *c)
{
	if (c->argc < 2 || (c->argc > 2 && (c->argc != 4 || strcasecmp(c->argv[2], "IPL")))) {
		cp_printf(c->out, "HCPCMD020E SYNTAX: AUTOLOG userid [IPL system]");
		return 20;
	}
	struct cp_vm *vm = cp_logon(c->sys, c->argv[1], NULL, c->out, true);
	if (!vm)
		return 53;
	if (c->argc == 4 && cp_ipl(vm, c->argv[3], c->out)) {
		cp_logoff(vm, NULL);
		return 3;
	}
	cp_printf(c->out, "AUTOLOG %s: LOGGED ON, DISCONNECTED%s%s", vm->userid,
		  c->argc == 4 ? ", IPL " : "", c->argc == 4 ? c->argv[3] : "");
	return 0;
}

static int cmd_force(struct cmd_ctx *c)
{
	if (c->argc != 2) {
		cp_printf(c->out, "HCPCMD020E SYNTAX: FORCE userid");
		return 20;
	}
	struct cp_vm *vm = cp_find(c->sys, c->argv[1]);
	if (!vm) {
		cp_printf(c->out, "HCPCMD045E %s NOT LOGGED ON", c->argv[1]);
		return 45;
	}
	bool self = vm == c->vm;
	cp_logoff(vm, "HCPLGN041I FORCED OFF BY THE OPERATOR");
	if (!self)
		cp_printf(c->out, "USER %s FORCED OFF", c->argv[1]);
	return 0;
}

static int cmd_msg(struct cmd_ctx *c)
{
	if (c->argc < 3) {
		cp_printf(c->out, "HCPCMD020E SYNTAX: MSG userid|* text");
		return 20;
	}
	struct cp_vm *to = strcmp(c->argv[1], "*") ? cp_find(c->sys, c->argv[1]) : c->vm;
	if (!to) {
		cp_printf(c->out, "HCPMSG045E %s NOT LOGGED ON", c->argv[1]);
		return 45;
	}
	char text[CP_LINE_MAX] = "";
	size_t used = 0;
	for (int i = 2; i < c->argc; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s",
					 i > 2 ? " " : "", c->argv[i]);
	if (to->disconnected || (to->msg_off && to != c->vm)) {
		cp_printf(c->out, "HCPMSG057W %s NOT RECEIVING; %s", to->userid,
			  to->disconnected ? "DISCONNECTED" : "MSG OFF");
		return 57;
	}
	cp_printf(&to->term, "MSG FROM %s: %s", c->vm->userid, text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The machine                                                         */

static int cmd_ipl(struct cmd_ctx *c)
{
	if (c->argc != 2) {
		cp_printf(c->out, "HCPCMD020E SYNTAX: IPL system|vaddr");
		return 20;
	}
	return cp_ipl(c->vm, c->argv[1], c->out);
}

static int cmd_begin(struct cmd_ctx *c)
{
	if (need_ipl(c))
		return 1;
	if (c->argc > 1) {
		uint32_t a;
		if (!parse_hex(c->argv[1], &a) || (a & 3)) {
			cp_printf(c->out, "HCPCMD026E ADDRESS %s INVALID: A HEX WORD ADDRESS", c->argv[1]);
			return 26;
		}
		c->vm->g->cpu.psw_ia = a;
	}
	c->vm->state = CPVM_RUNNING;
	return 0;
}

static int cmd_stop(struct cmd_ctx *c)
{
	c->vm->state = CPVM_STOPPED;
	return 0;
}

static int cmd_define(struct cmd_ctx *c)
{
	uint32_t size = 0;
	if (c->argc == 3 && !abbrev(c->argv[1], "STORAGE", 4)) {
		/* DEFINE RDR|PUN|PRT vaddr: another spooled unit-record device. */
		static const struct { const char *name; int min; enum sim_devclass cls;
				      enum cp_spool_queue q; } ur[] = {
			{ "READER", 1, DEV_READER, CP_SPOOL_RDR }, { "RDR", 3, DEV_READER, CP_SPOOL_RDR },
			{ "PUNCH", 2, DEV_PUNCH, CP_SPOOL_PUN },   { "PUN", 3, DEV_PUNCH, CP_SPOOL_PUN },
			{ "PRINTER", 2, DEV_PRINTER, CP_SPOOL_PRT }, { "PRT", 3, DEV_PRINTER, CP_SPOOL_PRT },
		};
		uint32_t a;
		for (size_t k = 0; k < sizeof ur / sizeof ur[0]; k++) {
			if (!abbrev(c->argv[1], ur[k].name, ur[k].min))
				continue;
			if (!parse_hex(c->argv[2], &a) || a > 0xFFF) {
				cp_printf(c->out, "HCPDEF022E VIRTUAL DEVICE ADDRESS %s INVALID (000-FFF)",
					  c->argv[2]);
				return 22;
			}
			if (sim_io_find(&c->vm->g->io, (uint16_t)a)) {
				cp_printf(c->out, "HCPDEF036E VADDR %03" PRIX32 " ALREADY DEFINED", a);
				return 36;
			}
			char err[256];
			struct sim_dev *d = sim_io_attach(&c->vm->g->io, (uint16_t)a, ur[k].cls, err,
							  sizeof err);
			if (!d) {
				cp_printf(c->out, "HCPDEF037E %s", err);
				return 37;
			}
			int rc = cp_spool_dev_attach(c->sys->spool, c->vm->userid, (uint16_t)a, ur[k].q,
						     'A', &d->rec, c->out);
			if (rc) {
				sim_io_detach(&c->vm->g->io, (uint16_t)a);
				return rc;
			}
			cp_printf(c->out, "%s %03" PRIX32 " DEFINED", ur[k].name, a);
			return 0;
		}
	}
	if (c->argc != 3 || !abbrev(c->argv[1], "STORAGE", 4)) {
		cp_printf(c->out, "HCPCMD020E SYNTAX: DEFINE STORAGE nK|nM | DEFINE RDR|PUN|PRT vaddr");
		return 20;
	}
	char *end;
	unsigned long long v = strtoull(c->argv[2], &end, 10);
	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	if (*end || v == 0 || v % VL32_PAGE_SIZE) {
		cp_printf(c->out, "HCPDEF013E STORAGE %s INVALID: WHOLE 4K PAGES, E.G. 512K OR 2M",
			  c->argv[2]);
		return 13;
	}
	if (v > c->vm->def->maxstorage) {
		cp_printf(c->out, "HCPDEF014E STORAGE %s EXCEEDS YOUR DIRECTORY MAXIMUM OF %" PRIu32 "K",
			  c->argv[2], c->vm->def->maxstorage / 1024);
		return 14;
	}
	size = (uint32_t)v;
	struct sim_mem m;
	if (sim_mem_init(&m, size)) {
		cp_printf(c->out, "HCPDEF015E NOT ENOUGH REAL STORAGE");
		return 15;
	}
	/* A new storage size is a new machine: reset, as VM/370 did. */
	sim_mem_free(&c->vm->g->mem);
	c->vm->g->mem = m;
	c->vm->g->cpu.mem = m;
	c->vm->g->io.mem = &c->vm->g->mem;
	trap_vm_reset(c->vm->g);
	c->vm->ipled = false;
	c->vm->state = CPVM_STOPPED;
	cp_printf(c->out, "STORAGE = %" PRIu32 "K", size / 1024);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Debugging: DISPLAY, STORE, TRACE, EXPLAIN                            */

static int display_storage(struct cmd_ctx *c, const char *spec, bool insns)
{
	uint32_t from, to;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s", spec);
	char *sep = strpbrk(tmp, "-.");
	char kind = sep ? *sep : 0;
	if (sep)
		*sep = 0;
	if (!parse_hex(tmp, &from) || (sep && !parse_hex(sep + 1, &to))) {
		cp_printf(c->out, "HCPDSP026E OPERAND %s INVALID: addr, addr-addr or addr.len (hex)", spec);
		return 26;
	}
	if (!sep)
		to = from + (insns ? 4 : 16) - 1;
	else if (kind == '.')
		to = from + (to ? to : 1) - 1;
	if (to < from || to - from > 4095) {
		cp_printf(c->out, "HCPDSP027E RANGE %s INVALID: AT MOST 4096 BYTES, FROM <= TO", spec);
		return 27;
	}
	struct trap_vm *g = c->vm->g;
	if (insns) {
		for (uint32_t a = from & ~3u; a <= to; a += 4) {
			uint8_t b[4];
			char text[64];
			if (trap_guest_read(g, a, b, 4)) {
				cp_printf(c->out, "HCPDSP028E ADDRESS %08" PRIX32 " NOT ADDRESSABLE", a);
				return 28;
			}
			disasm(sim_get32(b), a, text, sizeof text);
			cp_printf(c->out, "%08" PRIX32 "  %08" PRIX32 "  %s", a, sim_get32(b), text);
		}
		return 0;
	}
	for (uint32_t a = from & ~15u; a <= to; a += 16) {
		char line[128];
		int n = snprintf(line, sizeof line, "%08" PRIX32 " ", a);
		char ascii[17] = "";
		for (int i = 0; i < 16; i++) {
			uint8_t b;
			if (trap_guest_read(g, a + (uint32_t)i, &b, 1)) {
				cp_printf(c->out, "HCPDSP028E ADDRESS %08" PRIX32 " NOT ADDRESSABLE",
					  a + (uint32_t)i);
				return 28;
			}
			n += snprintf(line + n, sizeof line - (size_t)n, "%s%02X", i % 4 ? "" : " ", b);
			ascii[i] = (b >= 0x20 && b < 0x7F) ? (char)b : '.';
		}
		ascii[16] = 0;
		cp_printf(c->out, "%s  *%s*", line, ascii);
	}
	return 0;
}

static int cmd_display(struct cmd_ctx *c)
{
	struct trap_vm *g = c->vm->g;
	if (c->argc == 1) {
		/* D alone: PSW and registers, the debugger's summary. */
		cp_printf(c->out, "PSW  %08" PRIX32 " %08" PRIX32, trap_vpsw_word0(g), g->cpu.psw_ia);
		for (int r = 0; r < 16; r += 4)
			cp_printf(c->out, "R%-2d  %08" PRIX32 " %08" PRIX32 " %08" PRIX32 " %08" PRIX32,
				  r, g->cpu.gpr[r], g->cpu.gpr[r + 1], g->cpu.gpr[r + 2],
				  g->cpu.gpr[r + 3]);
		return 0;
	}
	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];
		unsigned r1, r2;
		if (!strcasecmp(a, "PSW")) {
			uint32_t w0 = trap_vpsw_word0(g);
			cp_printf(c->out, "PSW = %08" PRIX32 " %08" PRIX32 "  (%s state%s%s%s%s, CC %u)",
				  w0, g->cpu.psw_ia, (w0 & PSW_PROBLEM) ? "problem" : "supervisor",
				  (w0 & PSW_T) ? ", DAT" : "", (w0 & PSW_IO) ? ", I/O enabled" : "",
				  (w0 & PSW_EXT) ? ", external enabled" : "",
				  (w0 & PSW_WAIT) ? ", WAIT" : "", (unsigned)g->cpu.cc);
		} else if (parse_reg(a, &r1) || (!strncasecmp(a, "R", 1) && strchr(a, '-'))) {
			char tmp[32];
			snprintf(tmp, sizeof tmp, "%s", a);
			char *dash = strchr(tmp, '-');
			if (dash)
				*dash = 0;
			if (!parse_reg(tmp, &r1) || (dash && !parse_reg(dash + 1, &r2)) ||
			    (dash && r2 < r1)) {
				cp_printf(c->out, "HCPDSP026E OPERAND %s INVALID: Rn or Rn-Rm (0-15)", a);
				return 26;
			}
			if (!dash)
				r2 = r1;
			for (unsigned r = r1; r <= r2; r++)
				cp_printf(c->out, "R%-2u = %08" PRIX32, r, g->cpu.gpr[r]);
		} else if (!strncasecmp(a, "CR", 2) && isdigit((unsigned char)a[2])) {
			/* CRn or CRn-CRm (or CRn-m), as for the general registers */
			char *end;
			long n = strtol(a + 2, &end, 10), m = n;
			if (*end == '-') {
				const char *b = end + 1;
				if (!strncasecmp(b, "CR", 2))
					b += 2;
				m = isdigit((unsigned char)*b) ? strtol(b, &end, 10) : -1;
			}
			if (*end || n < 0 || n > 15 || m < n || m > 15) {
				cp_printf(c->out, "HCPDSP026E OPERAND %s INVALID: CRn or CRn-CRm (0-15)", a);
				return 26;
			}
			for (long k = n; k <= m; k++)
				cp_printf(c->out, "CR%-2ld = %08" PRIX32, k, g->v.cr[k]);
		} else if (!strcasecmp(a, "I") && i + 1 < c->argc) {
			int rc = display_storage(c, c->argv[++i], true);
			if (rc)
				return rc;
		} else {
			int rc = display_storage(c, a, false);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int cmd_store(struct cmd_ctx *c)
{
	struct trap_vm *g = c->vm->g;
	unsigned r;
	uint32_t v, a, w0, w1;
	if (c->argc == 3 && parse_reg(c->argv[1], &r)) {
		if (!parse_hex(c->argv[2], &v)) {
			cp_printf(c->out, "HCPSTO026E VALUE %s INVALID: UP TO 8 HEX DIGITS", c->argv[2]);
			return 26;
		}
		g->cpu.gpr[r] = v;
		cp_printf(c->out, "R%u = %08" PRIX32, r, v);
		return 0;
	}
	if (c->argc == 3 && !strncasecmp(c->argv[1], "CR", 2) &&
	    isdigit((unsigned char)c->argv[1][2])) {
		char *end;
		long n = strtol(c->argv[1] + 2, &end, 10);
		if (*end || n < 0 || n > 15) {
			cp_printf(c->out, "HCPSTO026E OPERAND %s INVALID: CR0 TO CR15", c->argv[1]);
			return 26;
		}
		if (!parse_hex(c->argv[2], &v)) {
			cp_printf(c->out, "HCPSTO026E VALUE %s INVALID: UP TO 8 HEX DIGITS", c->argv[2]);
			return 26;
		}
		/* As the guest's own LCTL would: the shadow tables are CP's TLB
		 * for this guest, and a new CR1 (or CR0) must not translate
		 * through the old ones (trap/emulate.c, emu_lctl_stctl). */
		g->v.cr[n] = v;
		trap_shadow_invalidate(g);
		trap_sync_real(g);
		cp_printf(c->out, "CR%ld = %08" PRIX32, n, v);
		return 0;
	}
	if (c->argc == 4 && !strcasecmp(c->argv[1], "PSW")) {
		if (!parse_hex(c->argv[2], &w0) || !parse_hex(c->argv[3], &w1) ||
		    !trap_vpsw_load(g, w0, w1)) {
			cp_printf(c->out, "HCPSTO027E PSW %s %s INVALID (reserved bits, or an "
					  "address not a multiple of 4)", c->argv[2], c->argv[3]);
			return 27;
		}
		cp_printf(c->out, "PSW = %08" PRIX32 " %08" PRIX32, w0, w1);
		return 0;
	}
	if (c->argc >= 3 && parse_hex(c->argv[1], &a)) {
		uint8_t bytes[64];
		uint32_t n = 0;
		for (int i = 2; i < c->argc; i++) {
			size_t len = strlen(c->argv[i]);
			if (len % 2 || len > 8 || !parse_hex(c->argv[i], &v) || n + len / 2 > sizeof bytes) {
				cp_printf(c->out, "HCPSTO026E VALUE %s INVALID: 2, 4, 6 OR 8 HEX DIGITS",
					  c->argv[i]);
				return 26;
			}
			for (size_t k = len / 2; k-- > 0;)
				bytes[n++] = (uint8_t)(v >> (8 * k));
		}
		if (trap_guest_write(g, a, bytes, n)) {
			cp_printf(c->out, "HCPSTO028E ADDRESS %08" PRIX32 " NOT ADDRESSABLE", a);
			return 28;
		}
		cp_printf(c->out, "STORED %" PRIu32 " BYTES AT %08" PRIX32, n, a);
		return 0;
	}
	cp_printf(c->out, "HCPSTO020E SYNTAX: STORE Rn value | CRn value | PSW w0 w1 | addr value...");
	return 20;
}

static int cmd_trace(struct cmd_ctx *c)
{
	static const struct { const char *name; uint32_t bit; } classes[] = {
		{ "PRIV", CP_TRACE_PRIV }, { "SVC", CP_TRACE_SVC }, { "PGM", CP_TRACE_PGM },
		{ "IO", CP_TRACE_IO },     { "DAT", CP_TRACE_DAT }, { "INSTR", CP_TRACE_INSTR },
		{ "BRANCH", CP_TRACE_BRANCH }, { "ALL", CP_TRACE_ALL },
	};
	if (c->argc < 2) {
		cp_printf(c->out, "HCPTRC020E SYNTAX: TRACE {PRIV|SVC|PGM|IO|DAT|INSTR|BRANCH|ALL|END}...");
		return 20;
	}
	uint32_t set = 0;
	bool end = false;
	for (int i = 1; i < c->argc; i++) {
		bool found = false;
		if (!strcasecmp(c->argv[i], "END") || !strcasecmp(c->argv[i], "OFF")) {
			end = found = true;
		}
		for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++)
			if (!strcasecmp(c->argv[i], classes[k].name)) {
				set |= classes[k].bit;
				found = true;
			}
		if (!found) {
			cp_printf(c->out, "HCPTRC026E TRACE CLASS %s UNKNOWN: PRIV SVC PGM IO DAT INSTR BRANCH ALL END",
				  c->argv[i]);
			return 26;
		}
	}
	c->vm->trace = end ? 0 : (c->vm->trace | set);
	/* Instructions and branches are seen only by stepping the guest. */
	c->vm->g->stepping = (c->vm->trace & (CP_TRACE_INSTR | CP_TRACE_BRANCH)) != 0;
	cp_printf(c->out, "TRACE %s", c->vm->trace ? "STARTED" : "ENDED");
	return 0;
}

/*
 * ADSTOP: address stops, the debugger's breakpoints.  They live in the
 * guest's real CPU (sim_cpu.breaks): while any is set, sim_run looks at
 * every instruction boundary and returns SIM_EXIT_BREAK before the
 * instruction at a stop executes; trap_run passes that up as
 * TRAP_ADDRESS_STOP and the dispatcher puts the machine in CP READ.
 */
static int cmd_adstop(struct cmd_ctx *c)
{
	struct sim_cpu *cpu = &c->vm->g->cpu;
	uint32_t a;
	if (c->argc == 1) {
		if (!cpu->nbreaks) {
			cp_printf(c->out, "ADSTOP: NONE SET");
			return 0;
		}
		char line[256];
		int n = snprintf(line, sizeof line, "ADSTOP AT");
		for (int i = 0; i < cpu->nbreaks; i++)
			n += snprintf(line + n, sizeof line - (size_t)n, " %08" PRIX32, cpu->breaks[i]);
		cp_printf(c->out, "%s", line);
		return 0;
	}
	bool off = abbrev(c->argv[1], "OFF", 3);
	int first = off ? 2 : 1;
	/* Check every operand before changing anything. */
	for (int i = first; i < c->argc; i++)
		if (!parse_hex(c->argv[i], &a) || (a & 3)) {
			cp_printf(c->out, "HCPADS026E ADDRESS %s INVALID: A HEX WORD ADDRESS (MULTIPLE OF 4)",
				  c->argv[i]);
			return 26;
		}
	if (off && c->argc == 2) {
		cpu->nbreaks = 0;
		cp_printf(c->out, "ADSTOP OFF: ALL STOPS CLEARED");
		return 0;
	}
	for (int i = first; i < c->argc; i++) {
		parse_hex(c->argv[i], &a);
		int k = 0;
		while (k < cpu->nbreaks && cpu->breaks[k] != a)
			k++;
		if (off) {
			if (k == cpu->nbreaks) {
				cp_printf(c->out, "HCPADS027E NO ADSTOP AT %08" PRIX32, a);
				return 27;
			}
			cpu->breaks[k] = cpu->breaks[--cpu->nbreaks];
			cp_printf(c->out, "ADSTOP AT %08" PRIX32 " CLEARED", a);
		} else if (k == cpu->nbreaks) {
			if (cpu->nbreaks == SIM_MAX_BREAKS) {
				cp_printf(c->out, "HCPADS028E AT MOST %d ADSTOPS; CLEAR ONE WITH ADSTOP OFF addr",
					  SIM_MAX_BREAKS);
				return 28;
			}
			cpu->breaks[cpu->nbreaks++] = a;
			cp_printf(c->out, "ADSTOP SET AT %08" PRIX32, a);
		}
	}
	return 0;
}

/*
 * STEP [n]: run the stopped machine n instructions, one at a time.  A
 * budget of one cycle is exactly one instruction (sim.h); if it was a
 * privileged one, CP emulated it within that step, and the step says
 * what CP did.  The machine stays in CP READ afterwards.
 */
static int cmd_step(struct cmd_ctx *c)
{
	if (need_ipl(c))
		return 1;
	unsigned long n = 1;
	if (c->argc > 2 || (c->argc == 2 && (!(n = strtoul(c->argv[1], NULL, 10)) || n > 10000 ||
					     strspn(c->argv[1], "0123456789") != strlen(c->argv[1])))) {
		cp_printf(c->out, "HCPSTP026E SYNTAX: STEP [n], n FROM 1 TO 10000");
		return 26;
	}
	struct cp_vm *vm = c->vm;
	struct trap_vm *g = vm->g;
	if (trap_vpsw_word0(g) & PSW_WAIT) {
		cp_printf(c->out, "HCPSTP030E YOUR VIRTUAL MACHINE WAITS (PSW %08" PRIX32 " %08" PRIX32
				  "): NOTHING TO STEP; BEGIN, OR IPL", trap_vpsw_word0(g), g->cpu.psw_ia);
		return 30;
	}
	vm->state = CPVM_STOPPED;
	for (unsigned long i = 0; i < n; i++) {
		uint32_t ia = g->cpu.psw_ia;
		uint8_t b[4];
		char text[64] = "(not addressable)";
		if (!trap_guest_read(g, ia, b, 4))
			disasm(sim_get32(b), ia, text, sizeof text);
		uint64_t exits = exit_stats_total(&g->stats);
		/* The machine is "running" for CP's purposes while it steps:
		 * a DIAGNOSE 8 LOGOFF it issues is then only noted (cp.c),
		 * never carried out under the step's feet. */
		c->sys->running = vm;
		enum trap_stop why = trap_run(g, c->sys->now, 1);
		if (why == TRAP_ADDRESS_STOP && !vm->logoff_pending)
			why = trap_run(g, c->sys->now, 1); /* stopped before it: now past */
		c->sys->running = NULL;
		c->sys->now = g->cpu.cycles > c->sys->now ? g->cpu.cycles : c->sys->now + 1;
		if (vm->logoff_pending) {
			cp_printf(c->out, "%08" PRIX32 "  %s", ia, text);
			cp_logoff(vm, vm->logoff_why); /* vm is gone after this */
			return 0;
		}
		bool show = n <= 50 || i + 50 >= n;
		if (show)
			cp_printf(c->out, "%08" PRIX32 "  %-28s -> %08" PRIX32 " CC %u", ia, text,
				  g->cpu.psw_ia, (unsigned)g->cpu.cc);
		if (show && g->has_last && exit_stats_total(&g->stats) != exits) {
			char what[160];
			cp_printf(c->out, "          CP: %s",
				  trap_event_describe(&g->last, what, sizeof what));
		}
		if (why == TRAP_WAIT || why == TRAP_DISABLED_WAIT) {
			cp_printf(c->out, "%s WAIT PSW %08" PRIX32 " %08" PRIX32 "%s",
				  why == TRAP_WAIT ? "ENABLED" : "DISABLED", trap_vpsw_word0(g),
				  g->cpu.psw_ia, why == TRAP_WAIT ? "; BEGIN LETS IT WAIT FOR ITS "
								  "INTERRUPTION" : "");
			break;
		}
	}
	return 0;
}

/* LESSON belongs to the console too (cp/console_lesson.c): a lesson
 * takes over the terminal that asked for it. */
static int cmd_lesson(struct cmd_ctx *c)
{
	cp_printf(c->out, "HCPLES001E LESSON TAKES OVER A TERMINAL: TYPE IT AT THE VMLAB CONSOLE");
	return 1;
}

/* SESSION and DIAL belong to a terminal: the console acts on them
 * before CP sees the line (cp/console.c).  Here they arrive only from
 * places without a terminal to switch, such as DIAGNOSE 8. */
static int cmd_session(struct cmd_ctx *c)
{
	cp_printf(c->out, "HCPSES001E SESSION SWITCHES A TERMINAL: TYPE IT AT THE VMLAB CONSOLE");
	return 1;
}

static int cmd_explain(struct cmd_ctx *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return 1;
	trap_explain(f, c->vm->g);
	fclose(f);
	cp_printf(c->out, "%s", text);
	free(text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Information: QUERY, INDICATE, HELP                                   */

static const char *state_name(const struct cp_vm *vm)
{
	if (vm->state == CPVM_STOPPED)
		return "CP READ";
	if (vm->state == CPVM_WAIT)
		return cp_vm_reading(vm) ? "VM READ" : "WAIT";
	return "RUNNING";
}

static int cmd_query(struct cmd_ctx *c)
{
	struct cp_system *sys = c->sys;
	const char *what = c->argc > 1 ? c->argv[1] : "";
	if (abbrev(what, "NAMES", 1)) {
		char line[256] = "";
		size_t used = 0;
		for (int i = 0; i < sys->nvms; i++) {
			used += (size_t)snprintf(line + used, sizeof line - used, "%s%-8s - %s",
						 used ? " , " : "", sys->vms[i]->userid,
						 sys->vms[i]->disconnected ? "DSC" : "TERM");
			if (used > 60 || i + 1 == sys->nvms) {
				cp_printf(c->out, "%s", line);
				used = 0;
				line[0] = 0;
			}
		}
		return 0;
	}
	if (abbrev(what, "USERS", 1)) {
		int dsc = 0;
		for (int i = 0; i < sys->nvms; i++)
			dsc += sys->vms[i]->disconnected;
		cp_printf(c->out, "%5d USERS, %5d DIALED, %5d DISCONNECTED", sys->nvms - dsc, 0, dsc);
		if (c->vm->classes & (CP_CLASS_A | CP_CLASS_B | CP_CLASS_E))
			for (int i = 0; i < sys->nvms; i++) {
				struct cp_vm *v = sys->vms[i];
				cp_printf(c->out, "%-8s %-8s STORAGE %6" PRIu32 "K  INSTR %12" PRIu64
						  "  %s", v->userid, state_name(v), v->g->mem.size / 1024,
					  v->g->stats.instructions, v->disconnected ? "DSC" : "");
			}
		return 0;
	}
	if (abbrev(what, "VIRTUAL", 1)) {
		struct trap_vm *g = c->vm->g;
		cp_printf(c->out, "STORAGE = %" PRIu32 "K", g->mem.size / 1024);
		for (int i = 0; i < g->io.ndev; i++) {
			struct sim_dev *d = &g->io.dev[i];
			if (d->type->cls == DEV_DISK)
				cp_printf(c->out, "DASD %03X %-4s %6" PRIu32 " BLK %s", d->addr, d->type->model,
					  d->disk.blocks, d->disk.readonly ? "R/O" : "R/W");
			else
				cp_printf(c->out, "%-4s %03X %-5s %s", d->type->cls == DEV_CONSOLE ? "CONS" :
					  d->type->cls == DEV_READER ? "RDR" : d->type->cls == DEV_PUNCH ?
					  "PUN" : "PRT", d->addr, d->type->model,
					  d->busy ? "BUSY" : "READY");
		}
		return 0;
	}
	if (abbrev(what, "STORAGE", 3)) {
		cp_printf(c->out, "STORAGE = %" PRIu32 "K", c->vm->g->mem.size / 1024);
		return 0;
	}
	if (abbrev(what, "TIME", 1)) {
		cp_printf(c->out, "TIME IS %" PRIu64 " CYCLES (SIMULATED); CONNECT %" PRIu64
				  " VIRTCPU %" PRIu64 " CP %" PRIu64,
			  sys->now, sys->now - c->vm->logon_time, c->vm->g->stats.cycles,
			  c->vm->g->cp_cycles);
		return 0;
	}
	if (abbrev(what, "DASD", 2) || abbrev(what, "LINKS", 1))
		return cp_vm_query_dasd(c->vm, what, c->out);
	if (abbrev(what, "READER", 1) || abbrev(what, "RDR", 3) || abbrev(what, "PRINTER", 1) ||
	    abbrev(what, "PRT", 3) || abbrev(what, "PUNCH", 2) || abbrev(what, "PUN", 3) ||
	    abbrev(what, "FILES", 1))
		return spool_call(c, cp_spool_cmd_query);
	if (abbrev(what, "SYSTEMS", 3)) {
		for (const struct cp_named_system *ns = cp_named_systems; ns->name; ns++)
			cp_printf(c->out, "%-8s %s", ns->name, ns->description);
		return 0;
	}
	if (abbrev(what, "DIAG", 2)) {
		for (int i = 0; i < cp_diag_count; i++)
			cp_printf(c->out, "DIAG %03" PRIX32 " %-8s %s", cp_diag_table[i].code,
				  cp_diag_table[i].name, cp_diag_table[i].doc);
		return 0;
	}
	cp_printf(c->out, "HCPQRY026E QUERY %s UNKNOWN: NAMES USERS VIRTUAL STORAGE TIME DASD "
			  "LINKS READER PRINTER PUNCH FILES SYSTEMS DIAG", what);
	return 26;
}

static int indicate_one(struct cmd_ctx *c, struct cp_vm *v)
{
	struct trap_vm *g = v->g;
	uint64_t exits = exit_stats_total(&g->stats);
	uint64_t in = g->stats.instructions;
	/* Efficiency (Popek and Goldberg): the share of guest instructions
	 * that ran on the real processor without CP. */
	double direct = in ? 100.0 * (double)(in - (g->emulated < in ? g->emulated : in)) / (double)in : 100.0;
	cp_printf(c->out, "%-8s %-8s INSTR %12" PRIu64 " VIRTCPU %12" PRIu64 " CP %10" PRIu64
			  " EXITS %9" PRIu64 " DIRECT %6.2f%%",
		  v->userid, state_name(v), in, g->stats.cycles, g->cp_cycles, exits, direct);
	for (int k = 0; k < EXK_COUNT; k++)
		if (g->stats.count[k])
			cp_printf(c->out, "         %-12s %10" PRIu64 "  (%.3f per 1000 instructions)",
				  exit_kind_names[k], g->stats.count[k],
				  in ? 1000.0 * (double)g->stats.count[k] / (double)in : 0.0);
	for (int i = 0; i < g->io.ndev; i++) {
		const struct sim_dev *d = &g->io.dev[i];
		if (d->stats.sio || d->stats.ccws)
			cp_printf(c->out, "         I/O %03X %-5s SIO %6" PRIu64 " CCW %6" PRIu64
					  " IN %8" PRIu64 " OUT %8" PRIu64, d->addr, d->type->model,
				  d->stats.sio, d->stats.ccws, d->stats.bytes_in, d->stats.bytes_out);
	}
	return 0;
}

/*
 * INDICATE EXITS: one row per virtual machine, what made it leave the
 * fast path -- the same counters as INDICATE USER, side by side, so a
 * class can compare a compute-bound guest with one that traps.  Others'
 * rows need class A or E, as INDICATE USER does.
 */
static int indicate_exits(struct cmd_ctx *c)
{
	bool all = (c->vm->classes & (CP_CLASS_A | CP_CLASS_E)) != 0;
	cp_printf(c->out, "USERID   STATE     INSTRUCTIONS   EXITS   PRIV    SVC    PGM     IO"
			  "  IOINT  EXT   WAIT  DIRECT");
	for (int i = 0; i < c->sys->nvms; i++) {
		struct cp_vm *v = c->sys->vms[i];
		if (!all && v != c->vm)
			continue;
		const struct exit_stats *st = &v->g->stats;
		uint64_t in = st->instructions;
		uint64_t emu = v->g->emulated < in ? v->g->emulated : in;
		cp_printf(c->out, "%-8s %-8s %13" PRIu64 " %7" PRIu64 " %6" PRIu64 " %6" PRIu64
				  " %6" PRIu64 " %6" PRIu64 " %6" PRIu64 " %4" PRIu64 " %6" PRIu64
				  " %6.2f%%", v->userid, state_name(v), in, exit_stats_total(st),
			  st->count[EXK_PRIVILEGED], st->count[EXK_SVC], st->count[EXK_PROGRAM],
			  st->count[EXK_IO_INSN], st->count[EXK_IO_INT], st->count[EXK_EXTERNAL],
			  st->count[EXK_WAIT], in ? 100.0 * (double)(in - emu) / (double)in : 100.0);
	}
	if (!all && c->sys->nvms > 1)
		cp_printf(c->out, "(OTHER USERS' ROWS NEED CLASS A OR E)");
	return 0;
}

static int cmd_indicate(struct cmd_ctx *c)
{
	if (c->argc == 2 && abbrev(c->argv[1], "EXITS", 1))
		return indicate_exits(c);
	if (c->argc >= 2 && abbrev(c->argv[1], "TIMELINE", 1)) {
		/* INDICATE TIMELINE [n] [--svg file] (cp/console_timeline.c) */
		unsigned long n = 40;
		const char *svg = NULL;
		for (int i = 2; i < c->argc; i++) {
			char *end;
			if (!strcmp(c->argv[i], "--svg") && i + 1 < c->argc) {
				svg = c->argv[++i];
				continue;
			}
			n = strtoul(c->argv[i], &end, 10);
			if (*end || n == 0 || n > CP_TIMELINE) {
				cp_printf(c->out, "HCPIND020E SYNTAX: INDICATE TIMELINE [n] [--svg file], "
						  "n FROM 1 TO %d", CP_TIMELINE);
				return 20;
			}
		}
		int rc = cp_console_timeline(c->sys, (unsigned)n, c->out);
		if (rc == 0 && svg)
			rc = cp_console_timeline_svg(c->sys, (unsigned)n, svg, c->out);
		return rc;
	}
	if (c->argc == 3 && abbrev(c->argv[1], "USER", 1)) {
		struct cp_vm *v = cp_find(c->sys, c->argv[2]);
		if (!v) {
			cp_printf(c->out, "HCPIND045E %s NOT LOGGED ON", c->argv[2]);
			return 45;
		}
		if (v != c->vm && !(c->vm->classes & (CP_CLASS_A | CP_CLASS_E))) {
			cp_printf(c->out, "HCPIND005E INDICATE USER FOR OTHERS NEEDS CLASS A OR E");
			return 5;
		}
		return indicate_one(c, v);
	}
	if (c->argc > 1) {
		cp_printf(c->out, "HCPIND020E SYNTAX: INDICATE [USER userid] | INDICATE EXITS | INDICATE TIMELINE [n] [--svg file]");
		return 20;
	}
	cp_printf(c->out, "SYSTEM TIME %" PRIu64 " CYCLES, %d USERS, %" PRIu64 " DISPATCHES, SLICE %" PRIu64,
		  c->sys->now, c->sys->nvms, c->sys->dispatches, c->sys->slice);
	return indicate_one(c, c->vm);
}

static int cmd_set(struct cmd_ctx *c)
{
	if (c->argc == 3 && abbrev(c->argv[1], "MSG", 3)) {
		if (!strcasecmp(c->argv[2], "ON") || !strcasecmp(c->argv[2], "OFF")) {
			c->vm->msg_off = !strcasecmp(c->argv[2], "OFF");
			return 0;
		}
	} else if (c->argc == 3 && abbrev(c->argv[1], "SLICE", 2)) {
		if (!(c->vm->classes & CP_CLASS_A)) {
			cp_printf(c->out, "HCPSET005E SET SLICE NEEDS PRIVILEGE CLASS A");
			return 5;
		}
		char *end;
		unsigned long long v = strtoull(c->argv[2], &end, 10);
		if (*end || v < 100 || v > 100000000) {
			cp_printf(c->out, "HCPSET026E SLICE %s INVALID: 100 TO 100000000 CYCLES", c->argv[2]);
			return 26;
		}
		c->sys->slice = v;
		cp_printf(c->out, "SLICE = %llu CYCLES", v);
		return 0;
	}
	cp_printf(c->out, "HCPSET020E SYNTAX: SET MSG ON|OFF | SET SLICE cycles");
	return 20;
}

static int cmd_help(struct cmd_ctx *c)
{
	if (c->argc > 1) {
		const struct cp_command *cmd = lookup(c->argv[1]);
		if (!cmd) {
			const struct cms_command_name *cms = cms_command_find(c->argv[1]);
			if (cms) {
				/* CMS's own help file, the same text that CMS's
				 * HELP types from name HELPCMS on the S-disk
				 * (cms/help/NAME.txt, compiled in: cms/sysfiles.h). */
				const char *t = cms_help_text(cms->name);
				if (!t) {
					cp_printf(c->out, "%s IS A CMS COMMAND (SHORTEST: %.*s) WITH "
						  "NO HELP FILE", cms->name, cms->min, cms->name);
					return 0;
				}
				while (*t) {
					size_t n = strcspn(t, "\n");
					/* (an empty line as one blank, as CMS
					 * stores and types it) */
					cp_printf(c->out, "%.*s", n ? (int)n : 1, n ? t : " ");
					t += n + (t[n] == '\n');
				}
				return 0;
			}
			cp_printf(c->out, "HCPHLP001E NO HELP FOR %s: NOT A CP COMMAND", c->argv[1]);
			return 1;
		}
		char cls[8];
		class_letters(cmd->classes, cls);
		cp_printf(c->out, "%s -- %s", cmd->name, cmd->help);
		cp_printf(c->out, "  syntax:  %s", cmd->syntax);
		cp_printf(c->out, "  shortest: %.*s   classes: %s", cmd->min, cmd->name, cls);
		cp_printf(c->out, "  example: %s", cmd->example);
		return 0;
	}
	static const char *const groups[] = { "session", "machine", "debug", "info", "devices",
					       "spool", "operator" };
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		char line[256];
		int n = snprintf(line, sizeof line, "%-9s", groups[g]);
		for (int i = 0; i < NCOMMANDS; i++)
			if (!strcmp(commands[i].group, groups[g]))
				n += snprintf(line + n, sizeof line - (size_t)n, " %s", commands[i].name);
		cp_printf(c->out, "%s", line);
	}
	/* Under CMS, CMS's own commands too (read off CMDTAB in its source
	 * at build time), a short line each: CMS types this through its
	 * console, whose lines are 130 characters at most. */
	if (c->vm && !strcasecmp(c->vm->ipl_name, "CMS")) {
		char line[80];
		int n = snprintf(line, sizeof line, "%-9s", "cms");
		for (const struct cms_command_name *m = cms_command_names; m->name; m++) {
			if (n + 1 + (int)strlen(m->name) > 72) {
				cp_printf(c->out, "%s", line);
				n = snprintf(line, sizeof line, "%-9s", "");
			}
			n += snprintf(line + n, sizeof line - (size_t)n, " %s", m->name);
		}
		cp_printf(c->out, "%s", line);
	}
	cp_printf(c->out, "HELP command: syntax, shortest form and an example (for a CMS "
		  "command, its help file).");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Devices                                                             */

static int cmd_detach(struct cmd_ctx *c)
{
	uint32_t a;
	if (c->argc != 2 || !parse_hex(c->argv[1], &a) || a > 0xFFF) {
		cp_printf(c->out, "HCPDTA020E SYNTAX: DETACH vaddr (hex, 000-FFF)");
		return 20;
	}
	return cp_vm_detach(c->vm, (uint16_t)a, c->out);
}

static int cmd_link(struct cmd_ctx *c)
{
	/* VM/370's form: LINK [TO] userid vaddr1 [AS] vaddr2 [mode]
	 * [[PASS=]password]; the mode defaults to R, as there. */
	char *const *a = c->argv + 1;
	int n = c->argc - 1;
	uint32_t theirs, mine;
	if (n > 0 && !strcasecmp(a[0], "TO"))
		a++, n--;
	bool ok = n >= 3 && parse_hex(a[1], &theirs) && theirs <= 0xFFF;
	const char *user = ok ? a[0] : NULL;
	if (ok) {
		a += 2, n -= 2;
		if (n > 0 && !strcasecmp(a[0], "AS"))
			a++, n--;
		ok = n >= 1 && n <= 3 && parse_hex(a[0], &mine) && mine <= 0xFFF;
	}
	if (!ok) {
		cp_printf(c->out, "HCPLNK020E SYNTAX: LINK [TO] userid vaddr [AS] vaddr [mode] [[PASS=]password]");
		return 20;
	}
	const char *mode = n >= 2 ? a[1] : "R";
	const char *pw = n == 3 ? a[2] : NULL;
	if (pw && !strncasecmp(pw, "PASS=", 5))
		pw += 5;
	return cp_vm_link(c->vm, user, (uint16_t)theirs, (uint16_t)mine, mode, pw, c->out);
}

/* ------------------------------------------------------------------ */
/* Spool (cp/spool.c does the work; here: privileges and operands)     */

typedef int (*spool_fn)(struct cp_spool *, const char *, bool, int, const char *const *,
			const struct cp_out *);

static int spool_call(struct cmd_ctx *c, spool_fn fn)
{
	if (!c->sys->spool) {
		cp_printf(c->out, "HCPSPL001E THE SPOOL IS NOT AVAILABLE");
		return 1;
	}
	/* Class D is VM/370's spooling operator: may touch others' files. */
	bool priv = (c->vm->classes & CP_CLASS_D) != 0;
	int rc = fn(c->sys->spool, c->vm->userid, priv, c->argc - 1,
		    (const char *const *)c->argv + 1, c->out);
	/* Keep the spool on disk current: a save writes only what changed. */
	if (rc == 0)
		cp_spool_save(c->sys->spool, c->sys->state_dir, &c->sys->opcons);
	return rc;
}

static int cmd_spool(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_spool); }
static int cmd_close(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_close); }
static int cmd_transfer(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_transfer); }
static int cmd_purge(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_purge); }
static int cmd_order(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_order); }
static int cmd_change(struct cmd_ctx *c) { return spool_call(c, cp_spool_cmd_change); }

/* ------------------------------------------------------------------ */
/* KVM: the other model of virtualization, from the same console       */

/* The last x86 run's exit tables, for KVM STATS. */
static struct exit_stats kvm_last_stats;
static struct kvm_kstats kvm_last_kstats;
static char kvm_last_guest[16];

/*
 * KVM BOOT: Linux on KVM from the console.  On a terminal the keys go
 * straight to the guest's UART (raw: the guest echoes and edits) and
 * Ctrl-C, the attention key, stops the guest and gives CP READ back.  In
 * a script or a pipe the guest's keyboard is the lines that follow, up
 * to a line starting #CP (or the end of the input): read before the
 * guest starts, so a transcript is the same on every run however fast
 * the guest is; the #CP line's command, if any, runs when the guest has
 * stopped.  The guest's serial output is the terminal's; in a script it
 * goes through CP's output line by line, carriage returns dropped.
 */
#define KVM_SCRIPT_INPUT_MAX 65536
#define KVM_SCRIPT_TIMEOUT 300

struct kvm_lineout {
	const struct cp_out *out;
	char buf[CP_LINE_MAX];
	size_t n;
};

static void kvm_lineout_flush(struct kvm_lineout *lo)
{
	lo->buf[lo->n] = 0;
	cp_printf(lo->out, "%s", lo->buf);
	lo->n = 0;
}

/* The guest's output, a byte at a time (host-kvm's emit hook). */
static void kvm_lineout_emit(void *ctx, int byte)
{
	struct kvm_lineout *lo = ctx;
	if (byte < 0 || byte == '\r')
		return;  /* a burst's end: lines only, here */
	if (byte == '\n' || lo->n == sizeof lo->buf - 1) {
		kvm_lineout_flush(lo);
		if (byte == '\n')
			return;
	}
	lo->buf[lo->n++] = (char)byte;
}

/* A script's lines for the guest, up to a #CP line: read when the
 * guest is about to start (kvm_linux_boot's ready hook). */
struct kvm_script {
	const struct cp_out *out;
	char *lines;
	char *after;                /* the #CP line, without "#CP" */
	struct kvm_text_input text;
	bool done;
};

static void kvm_script_read(void *ctx)
{
	struct kvm_script *sc = ctx;
	if (!con_script_input || sc->done)
		return;
	sc->done = true;
	size_t cap = KVM_SCRIPT_INPUT_MAX, n = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;
	sc->lines = malloc(cap);
	while (sc->lines && (got = getline(&line, &lcap, con_script_input)) >= 0) {
		if (!strncasecmp(line, "#CP", 3) &&
		    (line[3] == ' ' || line[3] == '\n' || line[3] == '\r' || line[3] == 0)) {
			line[strcspn(line, "\r\n")] = 0;
			cp_printf(sc->out, "> %s", line);
			sc->after = strdup(line + 3);
			break;
		}
		if ((size_t)got >= cap - n) {
			cp_printf(sc->out, "HCPKVM027E MORE THAN %d BYTES OF GUEST INPUT; "
					   "THE REST IS CP'S", KVM_SCRIPT_INPUT_MAX);
			break;
		}
		memcpy(sc->lines + n, line, (size_t)got);
		n += (size_t)got;
	}
	free(line);
	sc->text.text = sc->lines;
	sc->text.len = sc->lines ? n : 0;
}

static int cmd_kvm_boot(struct cmd_ctx *c)
{
	const char *kernel = NULL, *initrd = NULL;
	char append[CP_LINE_MAX] = "console=ttyS0";
	uint64_t mib = 256, timeout = 0;
	bool have_timeout = false;
	/* KVM BOOT kernel [INITRD f] [MEM m] [TIMEOUT s] [APPEND text...] */
	for (int i = 2; i < c->argc; i++) {
		const char *w = c->argv[i];
		bool more = i + 1 < c->argc;
		char *end;
		if (!strcasecmp(w, "INITRD") && more) {
			initrd = c->argv[++i];
		} else if (!strcasecmp(w, "MEM") && more) {
			mib = strtoull(c->argv[++i], &end, 10);
			if (*end == 'M' || *end == 'm')
				end++;
			if (*end || mib < 16 || mib > 3072) {
				cp_printf(c->out, "HCPKVM026E MEM %s INVALID: 16 TO 3072 (MIB)", c->argv[i]);
				return 26;
			}
		} else if (!strcasecmp(w, "TIMEOUT") && more) {
			timeout = strtoull(c->argv[++i], &end, 10);
			if (*end || timeout > 86400) {
				cp_printf(c->out, "HCPKVM026E TIMEOUT %s INVALID: 0 TO 86400 (SECONDS)",
					  c->argv[i]);
				return 26;
			}
			have_timeout = true;
		} else if (!strcasecmp(w, "APPEND") && more) {
			/* The rest of the line, quotes optional. */
			size_t n = 0;
			append[0] = 0;
			for (i++; i < c->argc; i++)
				n += (size_t)snprintf(append + n, sizeof append - n, "%s%s",
						      n ? " " : "", c->argv[i]);
			n = strlen(append);
			if (n >= 2 && (append[0] == '\'' || append[0] == '"') &&
			    append[n - 1] == append[0]) {
				memmove(append, append + 1, n - 2);
				append[n - 2] = 0;
			}
		} else if (!kernel && i == 2) {
			kernel = w;
		} else {
			cp_printf(c->out, "HCPKVM020E SYNTAX: KVM BOOT kernel [INITRD file] [MEM mib] "
					  "[TIMEOUT s] [APPEND text]");
			return 20;
		}
	}
	if (!kernel) {
		cp_printf(c->out, "HCPKVM020E SYNTAX: KVM BOOT kernel [INITRD file] [MEM mib] "
				  "[TIMEOUT s] [APPEND text]");
		return 20;
	}

	/* The guest's keyboard and screen. */
	struct kvm_options o = { .out = stdout };
	struct kvm_script sc = { .out = c->out };
	bool terminal = !con_script_input && isatty(0);
	if (!terminal) {
		/* No one to type: the lines read above, or nothing at all. */
		o.input = kvm_text_input;
		o.input_ctx = &sc.text;
	}
	o.attention = terminal;
	o.timeout = (int)(have_timeout ? timeout : terminal ? 0 : KVM_SCRIPT_TIMEOUT);
	struct kvm_lineout lo = { .out = c->out };
	if (!terminal) {
		o.emit = kvm_lineout_emit;
		o.emit_ctx = &lo;
	}
	cp_printf(c->out, "LINUX ON KVM: %s, %" PRIu64 " MIB%s", kernel, mib,
		  terminal ? "; CTRL-C (ATTENTION) STOPS IT AND RETURNS TO CP READ" : "");
	fflush(stdout);

	struct kvm_boot_result *res = calloc(1, sizeof *res);
	char err[300] = "";
	int r = res ? kvm_linux_boot(kernel, initrd, append, mib, &o, kvm_script_read, &sc, res,
				     err, sizeof err)
		    : -ENOMEM;
	if (lo.n)
		kvm_lineout_flush(&lo);
	int rc = 0;
	if (r < 0) {
		if (!err[0])
			snprintf(err, sizeof err, "%s", strerror(-r));
		cp_printf(c->out, "HCPKVM041E LINUX NOT STARTED: %s", err);
		rc = 41;
		/* The lines meant for the guest are not CP commands. */
		if (con_script_input && !sc.done) {
			kvm_script_read(&sc);
			if (sc.text.len)
				cp_printf(c->out, "HCPKVM042I %zu BYTES OF GUEST INPUT SKIPPED, UP TO #CP",
					  sc.text.len);
		}
	} else {
		kvm_last_stats = res->stats;
		kvm_last_kstats = res->kstats;
		snprintf(kvm_last_guest, sizeof kvm_last_guest, "linux");
		cp_printf(c->out, "X86 LINUX GUEST ENDED (%s) AFTER %.1f S: %" PRIu64
				  " EXITS TO VMLAB, %" PRIu64 " IN ALL; MONITOR %" PRIu64
				  " KIB BEYOND GUEST MEMORY; KVM STATS FOR THE TABLE",
			  kvm_stop_name(res->stop), (double)res->wall_ns / 1e9,
			  exit_stats_total(&res->stats), kvm_kstats_get(&res->kstats, "exits"),
			  res->overhead_kib);
		if (res->stop == KVM_STOP_TIMEOUT)
			rc = 4;
		else if (res->stop != KVM_STOP_RESET && res->stop != KVM_STOP_HALT &&
			 res->stop != KVM_STOP_SYSTEM && res->stop != KVM_STOP_ATTENTION)
			rc = 3;
	}
	free(res);
	free(sc.lines);
	/* The #CP line that ended the guest's input: its command, now. */
	if (sc.after) {
		const char *cmd = sc.after + strspn(sc.after, " \t");
		if (*cmd)
			rc = cp_execute(c->sys, c->vm, cmd, c->out) ? rc ? rc : 1 : rc;
		free(sc.after);
	}
	return rc;
}

static int cmd_kvm(struct cmd_ctx *c)
{
	/* A guest could otherwise make CP spend real time on the host's
	 * KVM through DIAGNOSE 8; only a person at a terminal may. */
	if (c->sys->running) {
		cp_printf(c->out, "HCPKVM005E KVM IS FOR THE CONSOLE, NOT FOR A GUEST'S DIAGNOSE 8");
		return 5;
	}
	if (c->argc >= 2 && abbrev(c->argv[1], "STATS", 4) && c->argc == 2) {
		if (!kvm_last_guest[0]) {
			cp_printf(c->out, "HCPKVM002E NO X86 GUEST HAS RUN YET: KVM RUN OR KVM BOOT FIRST");
			return 2;
		}
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (!f)
			return 1;
		fprintf(f, "x86 guest %s: exits to vmlab (user space)\n", kvm_last_guest);
		exit_stats_print(f, &kvm_last_stats, NULL);
		kvm_kstats_print(f, &kvm_last_kstats, exit_stats_total(&kvm_last_stats));
		fclose(f);
		cp_printf(c->out, "%s", text);
		free(text);
		return 0;
	}
	if (c->argc >= 2 && abbrev(c->argv[1], "BOOT", 4))
		return cmd_kvm_boot(c);
	if (c->argc < 3 || c->argc > 4 || !abbrev(c->argv[1], "RUN", 3)) {
		cp_printf(c->out, "HCPKVM020E SYNTAX: KVM RUN guest [iterations] | KVM BOOT kernel "
				  "[INITRD file] [MEM mib] [TIMEOUT s] [APPEND text] | KVM STATS");
		return 20;
	}
	uint64_t n = 0;
	if (c->argc == 4) {
		char *end;
		n = strtoull(c->argv[3], &end, 10);
		if (*end || n == 0 || n > 10000000) {
			cp_printf(c->out, "HCPKVM026E ITERATIONS %s INVALID: 1 TO 10000000", c->argv[3]);
			return 26;
		}
	}
	char name[16];
	snprintf(name, sizeof name, "%s", c->argv[2]);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return 1;
	struct exit_stats st;
	struct kvm_kstats ks;
	memset(&st, 0, sizeof st);
	memset(&ks, 0, sizeof ks);
	int rc = kvm_workload_run(name, n, f, &st, &ks);
	fclose(f);
	if (text && *text)
		cp_printf(c->out, "%s", text);
	free(text);
	if (rc == -ENOENT) {
		cp_printf(c->out, "HCPKVM040E NO BUILT-IN X86 GUEST %s: real prot paged long compute "
				  "console privops ptchange", c->argv[2]);
		return 40;
	}
	if (rc < 0) {
		char why[160];
		if (kvm_probe(why, sizeof why) == 0)
			snprintf(why, sizeof why, "%s", strerror(-rc));
		cp_printf(c->out, "HCPKVM041E KVM IS NOT USABLE HERE (%s): run it inside the nested "
				  "harness, tests/kvm", why);
		return 41;
	}
	kvm_last_stats = st;
	kvm_last_kstats = ks;
	snprintf(kvm_last_guest, sizeof kvm_last_guest, "%s", name);
	cp_printf(c->out, "X86 GUEST %s ENDED (%s): %" PRIu64 " EXITS TO VMLAB, %" PRIu64
			  " IN ALL; KVM STATS FOR THE TABLE", name, kvm_stop_name((enum kvm_stop)rc),
		  exit_stats_total(&st), kvm_kstats_get(&ks, "exits"));
	return 0;
}
