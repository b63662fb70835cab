/*
 * cp/cp.c -- users, their virtual machines, and the dispatcher.
 *
 * A user's life: cp_logon() finds the directory entry, checks the
 * password, creates a guest (trap_vm) of the directory's storage size
 * and attaches its virtual devices: a console whose output goes to the
 * user's terminal and whose input comes from the lines the user types,
 * minidisks, and (when the spool exists) reader, punch and printer.  The
 * machine starts STOPPED, in CP READ: nothing runs until IPL.
 * cp_dispatch() then shares the one real processor among all machines
 * that can run, a time slice each, round robin.  cp_logoff() takes it all
 * down again.
 */
#include "cp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cp/diag.h"
#include "cp/vmdev.h"
#include "cp/spool.h"
#include "sim/asm.h"

/* ------------------------------------------------------------------ */
/* The virtual console: the guest's 3215 is the user's terminal          */

/* Where a line for vm's terminal goes: the terminal; while the user is
 * disconnected, whoever keeps it for the reconnect (vm->dsc), or
 * nowhere (NULL). */
static const struct cp_out *vm_out(const struct cp_vm *vm)
{
	if (!vm->disconnected)
		return &vm->term;
	return vm->dsc.line ? &vm->dsc : NULL;
}

/*
 * Console output: every line the guest writes appears on the user's
 * terminal.  A disconnected user's output goes to vm->dsc: the console
 * keeps the last lines and shows them at the reconnect
 * (cp/console_keep.c).
 */
static int console_write(void *ctx, const uint8_t *buf, uint32_t len)
{
	struct cp_vm *vm = ctx;
	char line[CP_LINE_MAX + 1];
	uint32_t n = len < CP_LINE_MAX ? len : CP_LINE_MAX;
	for (uint32_t i = 0; i < n; i++) {
		/* Only printable characters reach the terminal: a guest must
		 * not be able to send control sequences to the student's. */
		uint8_t c = buf[i];
		line[i] = (c >= 0x20 && c < 0x7F) ? (char)c : '.';
	}
	line[n] = 0;
	const struct cp_out *out = vm_out(vm);
	if (out)
		cp_printf(out, "%s", line);
	return (int)len;
}

/* Console input: the oldest line the user typed for the guest, or -2
 * ("none yet"): the device then waits, and the guest with it (VM READ). */
static int console_read(void *ctx, uint8_t *buf, uint32_t max)
{
	struct cp_vm *vm = ctx;
	if (vm->ninput == 0)
		return -2;
	size_t n = strlen(vm->input[0]);
	if (n > max)
		n = max;
	memcpy(buf, vm->input[0], n);
	memmove(vm->input[0], vm->input[1], sizeof vm->input[0] * (size_t)(vm->ninput - 1));
	vm->ninput--;
	return (int)n;
}

bool cp_vm_reading(const struct cp_vm *vm)
{
	struct sim_dev *d = sim_io_find(&vm->g->io, vm->console_addr);
	return d && d->waiting_input;
}

/* ------------------------------------------------------------------ */
/* Trace: CP tells the user what it did on the guest's behalf           */

static void trace_hook(struct trap_vm *g, const struct trap_event *ev)
{
	struct cp_vm *vm = g->owner;
	uint32_t cls;
	switch (ev->kind) {
	case EXK_PRIVILEGED:
		cls = CP_TRACE_PRIV;
		break;
	case EXK_SVC:
		cls = CP_TRACE_SVC;
		break;
	case EXK_TRANSLATION:
		cls = CP_TRACE_DAT;
		break;
	default:
		cls = CP_TRACE_PGM;
		break;
	}
	unsigned op = ev->insn >> 24;
	if (cls == CP_TRACE_PRIV && (op == OP_SIO || op == OP_TIO || op == OP_HIO))
		cls = CP_TRACE_IO;
	if (!(vm->trace & cls) || vm->disconnected)
		return;
	char text[64], what[128];
	disasm(ev->insn, ev->addr, text, sizeof text);
	cp_printf(&vm->term, "*** %08" PRIX32 " %-26s %s", ev->addr,
		  ev->insn || ev->kind != EXK_TRANSLATION ? text : "(fetch)",
		  trap_event_describe(ev, what, sizeof what));
}

/* Instruction and branch tracing (TRACE INSTR, TRACE BRANCH). */
static void step_hook(struct trap_vm *g, uint32_t addr, uint32_t insn)
{
	struct cp_vm *vm = g->owner;
	if (vm->disconnected)
		return;
	char text[64];
	disasm(insn, addr, text, sizeof text);
	if (vm->trace & CP_TRACE_INSTR) {
		cp_printf(&vm->term, "    %08" PRIX32 " %08" PRIX32 " %s", addr, insn, text);
		return;
	}
	switch (insn >> 24) {
	case OP_BC: case OP_BCR: case OP_BAL: case OP_BALR: case OP_BCT: case OP_BCTR:
	case OP_BXH: case OP_BXLE: case OP_BRC: case OP_BRAS: case OP_BRCT:
		if (g->cpu.psw_ia != addr + 4)
			cp_printf(&vm->term, " -> %08" PRIX32 " %-26s BRANCH TO %08" PRIX32, addr,
				  text, g->cpu.psw_ia);
		break;
	}
}

static const struct trap_hooks cp_hooks = {
	.diag = cp_diag,
	.trace = trace_hook,
	.step = step_hook,
};

/* ------------------------------------------------------------------ */
/* Logon and logoff                                                    */

/* The spool asks CP three things: does a user exist, tell a user
 * something, and what time it is (simulated: one cycle is a microsecond
 * of the machine's clock). */
static bool spool_user_exists(void *ctx, const char *userid)
{
	struct cp_system *sys = ctx;
	return cp_directory_find(&sys->dir, userid) != NULL;
}

static void spool_notify(void *ctx, const char *userid, const char *line)
{
	struct cp_vm *vm = cp_find(ctx, userid);
	const struct cp_out *out = vm ? vm_out(vm) : NULL;
	if (out)
		cp_printf(out, "%s", line);
}

static uint64_t spool_clock(void *ctx)
{
	struct cp_system *sys = ctx;
	return sys->now / 1000000;
}

int cp_init(struct cp_system *sys, struct cp_directory *dir, const char *state_dir)
{
	memset(sys, 0, sizeof *sys);
	sys->dir = *dir;
	memset(dir, 0, sizeof *dir);
	snprintf(sys->state_dir, sizeof sys->state_dir, "%s", state_dir ? state_dir : ".");
	sys->slice = sys->dir.slice ? sys->dir.slice : CP_DEFAULT_SLICE;
	sys->opcons = cp_stdout_out();
	struct cp_spool_config cfg = {
		.ctx = sys,
		.user_exists = spool_user_exists,
		.notify = spool_notify,
		.clock = spool_clock,
	};
	sys->spool = cp_spool_create(&cfg);
	cp_mdisk_table_init(&sys->mdisks, &sys->dir);
	if (!sys->spool)
		return -ENOMEM;
	/* Spool files outlive a session: they are kept in the state folder. */
	cp_spool_load(sys->spool, sys->state_dir, &sys->opcons);
	return 0;
}

void cp_shutdown(struct cp_system *sys)
{
	while (sys->nvms > 0)
		cp_logoff(sys->vms[sys->nvms - 1], NULL);
	if (sys->spool) {
		cp_spool_save(sys->spool, sys->state_dir, &sys->opcons);
		cp_spool_destroy(sys->spool);
	}
	sys->spool = NULL;
	cp_mdisk_table_free(&sys->mdisks);
	cp_directory_free(&sys->dir);
}

struct cp_vm *cp_find(struct cp_system *sys, const char *userid)
{
	for (int i = 0; i < sys->nvms; i++)
		if (!strcasecmp(sys->vms[i]->userid, userid))
			return sys->vms[i];
	return NULL;
}

/* Attach the directory's devices to a new guest; 0 or -1 (message). */
static int attach_devices(struct cp_vm *vm, const struct cp_out *out)
{
	const struct cp_user_def *u = vm->def;
	char err[512];
	struct sim_dev *d = sim_io_attach(&vm->g->io, u->console, DEV_CONSOLE, err, sizeof err);
	if (!d) {
		cp_printf(out, "HCPLGN050E %s", err);
		return -1;
	}
	d->rec = (struct sim_rec_backend){ vm, console_read, console_write, NULL };
	vm->console_addr = u->console;
	/* Reader, punch and printer are spooled: their records go to and
	 * come from spool files, never to a real device. */
	static const struct { enum sim_devclass cls; enum cp_spool_queue q; } ur[] = {
		{ DEV_READER, CP_SPOOL_RDR }, { DEV_PUNCH, CP_SPOOL_PUN }, { DEV_PRINTER, CP_SPOOL_PRT },
	};
	uint16_t addrs[3] = { u->reader, u->punch, u->printer };
	for (int i = 0; i < 3 && vm->sys->spool; i++) {
		d = sim_io_attach(&vm->g->io, addrs[i], ur[i].cls, err, sizeof err);
		if (!d) {
			cp_printf(out, "HCPLGN050E %s", err);
			return -1;
		}
		/* Class 0: the spool's default -- readers read every class (*),
		 * punches and printers write class A, as on VM/370. */
		if (cp_spool_dev_attach(vm->sys->spool, vm->userid, addrs[i], ur[i].q, 0,
					&d->rec, out))
			return -1;
	}
	/* The user's own minidisks, then the links the directory makes. */
	if (cp_vm_attach_disks(vm, out))
		return -1;
	return 0;
}

struct cp_vm *cp_logon(struct cp_system *sys, const char *userid, const char *password,
		       const struct cp_out *term, bool autolog)
{
	const struct cp_user_def *u = cp_directory_find(&sys->dir, userid);
	if (!u) {
		cp_printf(term, "HCPLGN053E %s NOT IN CP DIRECTORY", userid);
		return NULL;
	}
	if (cp_find(sys, u->id)) {
		cp_printf(term, "HCPLGN054E ALREADY LOGGED ON %s", u->id);
		return NULL;
	}
	if (!autolog && !cp_user_check_password(u, password ? password : "")) {
		cp_printf(term, "HCPLGN050E PASSWORD INCORRECT");
		return NULL;
	}
	if (sys->nvms >= CP_MAX_VMS) {
		cp_printf(term, "HCPLGN051E MAXIMUM USERS LOGGED ON");
		return NULL;
	}
	struct cp_vm *vm = calloc(1, sizeof *vm);
	struct trap_vm *g = calloc(1, sizeof *g);
	if (!vm || !g || trap_vm_init(g, u->storage)) {
		cp_printf(term, "HCPLGN052E NOT ENOUGH STORAGE FOR %s", u->id);
		free(vm);
		free(g);
		return NULL;
	}
	vm->sys = sys;
	snprintf(vm->userid, sizeof vm->userid, "%s", u->id);
	vm->def = u;
	vm->g = g;
	g->owner = vm;
	g->hooks = &cp_hooks;
	g->cpu.cpuid_serial = (uint32_t)(sys->nvms + 1);
	vm->term = *term;
	vm->autologged = autolog;
	vm->disconnected = autolog;
	vm->classes = 0;
	for (const char *k = u->classes; *k; k++)
		if (*k >= 'A' && *k <= 'G')
			vm->classes |= 1u << (*k - 'A');
	vm->state = CPVM_STOPPED;
	vm->logon_time = sys->now;
	if (attach_devices(vm, term)) {
		trap_vm_destroy(g);
		free(g);
		free(vm);
		return NULL;
	}
	sys->vms[sys->nvms++] = vm;
	if (!autolog) {
		cp_printf(term, "LOGON AT %" PRIu64 " (SIMULATED CYCLES)  %s, %" PRIu32 "K STORAGE",
			  sys->now, vm->userid, u->storage / 1024);
		/* What arrived while the user was away, as VM/370 said at logon. */
		const char *files[] = { "FILES" };
		cp_spool_cmd_query(sys->spool, vm->userid, false, 1, files, term);
	}
	return vm;
}

void cp_logoff(struct cp_vm *vm, const char *why)
{
	struct cp_system *sys = vm->sys;
	if (vm == sys->running) {
		/* The guest asked for this itself (DIAGNOSE 8 LOGOFF): its
		 * machine is inside trap_run, in the middle of emulating that
		 * very instruction.  Freeing it now would pull it out from
		 * under CP; have trap_run return, and the dispatcher finishes
		 * the job (cp_dispatch). */
		vm->logoff_pending = true;
		vm->logoff_why = why;
		vm->g->cp_call = true;
		return;
	}
	if (why && !vm->disconnected)
		cp_printf(&vm->term, "%s", why);
	if (!vm->disconnected)
		cp_printf(&vm->term, "CONNECT= %" PRIu64 " VIRTCPU= %" PRIu64 " INSTR= %" PRIu64,
			  sys->now - vm->logon_time, vm->g->stats.cycles, vm->g->stats.instructions);
	cp_vm_release_disks(vm);
	/* LOGOFF closes the spool files: punch and print output is
	 * delivered, as VM/370 did. */
	if (sys->spool) {
		struct cp_out none = { NULL, NULL };
		cp_spool_close(sys->spool, vm->userid, -1, vm->disconnected ? &none : &vm->term);
		cp_spool_save(sys->spool, sys->state_dir, &sys->opcons);
	}
	for (int i = 0; i < sys->nvms; i++)
		if (sys->vms[i] == vm) {
			memmove(&sys->vms[i], &sys->vms[i + 1],
				sizeof sys->vms[0] * (size_t)(sys->nvms - i - 1));
			sys->nvms--;
			break;
		}
	trap_vm_destroy(vm->g);
	free(vm->g);
	free(vm);
}

/* ------------------------------------------------------------------ */
/* Terminal input                                                      */

int cp_input(struct cp_vm *vm, const char *line)
{
	struct cp_system *sys = vm->sys;
	/* #CP reaches CP from anywhere, as on VM/370. */
	if (!strncasecmp(line, "#CP", 3) && (line[3] == ' ' || line[3] == 0)) {
		const char *cmd = line + 3;
		while (*cmd == ' ')
			cmd++;
		if (!*cmd) {
			vm->state = CPVM_STOPPED; /* #CP alone: into CP READ */
			return 0;
		}
		return cp_execute(sys, vm, cmd, &vm->term);
	}
	if (vm->state != CPVM_STOPPED && vm->ipled) {
		if (vm->ninput >= CP_INPUT_QUEUE) {
			cp_printf(&vm->term, "HCPTER160E INPUT QUEUE FULL; LINE IGNORED");
			return 1;
		}
		snprintf(vm->input[vm->ninput++], CP_LINE_MAX, "%s", line);
		/* If the console is waiting for this line, give it now. */
		if (cp_vm_reading(vm))
			sim_io_console_input(&vm->g->io, vm->console_addr, sys->now);
		if (vm->state == CPVM_WAIT)
			vm->state = CPVM_RUNNING;
		return 0;
	}
	return cp_execute(sys, vm, line, &vm->term);
}

/* ------------------------------------------------------------------ */
/* The dispatcher                                                      */

/* idx is where vm was when its slice began: a command it issued (FORCE)
 * may have moved the others since, so name it by vm. */
static void record_dispatch(struct cp_system *sys, int idx, const struct cp_vm *vm,
			    uint64_t start, enum trap_stop why, uint64_t exits, uint64_t io)
{
	struct cp_dispatch_rec *r = &sys->timeline[sys->ntimeline % CP_TIMELINE];
	r->start = start;
	r->end = sys->now;
	r->vm = (uint16_t)idx;
	snprintf(r->userid, sizeof r->userid, "%s", vm->userid);
	r->why = (uint8_t)why;
	r->exits = (uint32_t)exits;
	r->io = (uint32_t)io;
	sys->ntimeline++;
}

/* Can this machine run now?  A waiting one can once an interruption is
 * due for it; a reading one once its line is there. */
/*
 * A waiting machine's CPU timer runs on while other machines are
 * dispatched -- a CPU timer runs in the wait state too -- so before CP
 * looks at a waiting machine, it brings the machine's clock up to now.
 */
static void catch_up(struct cp_vm *vm, uint64_t now)
{
	if (vm->state == CPVM_WAIT && vm->g->cpu.cycles < now)
		trap_wait_until(vm->g, vm->g->cpu.cycles, now);
}

static bool runnable(struct cp_vm *vm, uint64_t now)
{
	catch_up(vm, now);
	if (vm->state == CPVM_RUNNING)
		return true;
	if (vm->state != CPVM_WAIT)
		return false;
	if (trap_next_event(vm->g, now) <= now)
		return true;
	if (vm->g->v.pending)
		return true;
	return false;
}

uint64_t cp_dispatch(struct cp_system *sys, uint64_t until)
{
	uint64_t made = 0;
	while (sys->now < until) {
		bool ran = false;
		for (int k = 0; k < sys->nvms; k++) {
			int i = (sys->next + k) % sys->nvms;
			struct cp_vm *vm = sys->vms[i];
			if (!runnable(vm, sys->now))
				continue;
			sys->next = (i + 1) % sys->nvms;
			uint64_t start = sys->now;
			uint64_t exits0 = exit_stats_total(&vm->g->stats);
			uint64_t io0 = vm->g->stats.count[EXK_IO_INSN];
			sys->running = vm;
			enum trap_stop why = trap_run(vm->g, sys->now, sys->slice);
			sys->running = NULL;
			sys->now = vm->g->cpu.cycles > sys->now ? vm->g->cpu.cycles : sys->now + 1;
			vm->dispatches++;
			sys->dispatches++;
			made++;
			record_dispatch(sys, i, vm, start, why,
					exit_stats_total(&vm->g->stats) - exits0,
					vm->g->stats.count[EXK_IO_INSN] - io0);
			ran = true;
			if (vm->logoff_pending) {
				cp_logoff(vm, vm->logoff_why);
				break;
			}
			/* A CP command the guest issued (DIAGNOSE 8: STOP, DEFINE
			 * STORAGE) may have stopped its machine: that stands. */
			bool stopped = vm->state == CPVM_STOPPED;
			switch (why) {
			case TRAP_SLICE_END:
			case TRAP_CP_CALL:
				if (!stopped)
					vm->state = CPVM_RUNNING;
				break;
			case TRAP_WAIT:
				if (!stopped)
					vm->state = CPVM_WAIT;
				break;
			case TRAP_DISABLED_WAIT:
				vm->state = CPVM_STOPPED;
				if (vm_out(vm))
					cp_printf(vm_out(vm), "HCPGIR450W CP ENTERED; DISABLED WAIT PSW "
						  "%08" PRIX32 " %08" PRIX32, trap_vpsw_word0(vm->g),
						  vm->g->cpu.psw_ia);
				break;
			case TRAP_ADDRESS_STOP:
				vm->state = CPVM_STOPPED;
				if (vm_out(vm))
					cp_printf(vm_out(vm), "ADSTOP AT %08" PRIX32, vm->g->cpu.psw_ia);
				break;
			}
			break; /* one slice at a time: round robin */
		}
		if (ran)
			continue;
		/* Everyone waits (or is stopped): jump to the next event. */
		uint64_t next = UINT64_MAX;
		for (int i = 0; i < sys->nvms; i++) {
			struct cp_vm *vm = sys->vms[i];
			if (vm->state != CPVM_WAIT)
				continue;
			catch_up(vm, sys->now);
			uint64_t t = trap_next_event(vm->g, sys->now);
			if (t < next)
				next = t;
		}
		if (next == UINT64_MAX || next >= until)
			break; /* only outside input can wake anyone */
		/* Time jumps; waiting guests' timers catch up when next looked at. */
		sys->now = next;
	}
	return made;
}

/* ------------------------------------------------------------------ */
/* IPL                                                                 */

static int ipl_image(struct cp_vm *vm, const struct sim_image *img, const struct cp_out *out)
{
	char err[256];
	trap_vm_reset(vm->g);
	/* IPL is a system reset for the devices too: an operation the old
	 * program left in flight (a console read above all: the terminal
	 * would still say VM READ) ends here, without status. */
	for (int i = 0; i < vm->g->io.ndev; i++) {
		struct sim_dev *d = &vm->g->io.dev[i];
		d->busy = false;
		d->waiting_input = false;
		d->int_pending = false;
	}
	vm->g->v.pending &= ~SIM_PEND_IO;
	vm->ninput = 0; /* lines typed for the old program */
	memset(vm->g->mem.base, 0, vm->g->mem.size);
	if (sim_image_place(img, &vm->g->mem, err, sizeof err)) {
		cp_printf(out, "HCPIPL103E IPL FAILED: %s", err);
		return 3;
	}
	trap_vm_start(vm->g, img->entry);
	vm->ipled = true;
	vm->state = CPVM_RUNNING;
	return 0;
}

int cp_ipl(struct cp_vm *vm, const char *what, const struct cp_out *out)
{
	for (const struct cp_named_system *ns = cp_named_systems; ns->name; ns++) {
		if (strcasecmp(ns->name, what))
			continue;
		struct sim_image img;
		struct asm_options opt = { .errors = stderr, .max_errors = 5 };
		if (asm_string(ns->name, ns->source(), &opt, &img)) {
			cp_printf(out, "HCPIPL104E SYSTEM %s DOES NOT ASSEMBLE", ns->name);
			return 3;
		}
		int rc = ipl_image(vm, &img, out);
		sim_image_free(&img);
		if (rc == 0)
			snprintf(vm->ipl_name, sizeof vm->ipl_name, "%s", ns->name);
		return rc;
	}
	/* A device address: the disk holds a program image from block 0. */
	char *end;
	unsigned long addr = strtoul(what, &end, 16);
	if (*end || end == what || addr > 0xFFF) {
		cp_printf(out, "HCPIPL105E SYSTEM %s DOES NOT EXIST", what);
		return 3;
	}
	struct sim_dev *d = sim_io_find(&vm->g->io, (uint16_t)addr);
	if (!d) {
		cp_printf(out, "HCPIPL040E DEVICE %03lX DOES NOT EXIST", addr);
		return 40;
	}
	if (d->type->cls != DEV_DISK || d->disk.fd < 0) {
		cp_printf(out, "HCPIPL106E DEVICE %03lX IS NOT AN IPL DEVICE", addr);
		return 3;
	}
	uint64_t bytes = (uint64_t)d->disk.blocks * DISK_BLOCK_SIZE;
	if (bytes > vm->g->mem.size)
		bytes = vm->g->mem.size;
	uint8_t *buf = malloc(bytes ? bytes : 1);
	ssize_t got = buf ? pread(d->disk.fd, buf, bytes, (off_t)d->disk.offset) : -1;
	struct sim_image img;
	char err[256];
	int rc = 3;
	if (got <= 0 || sim_image_parse(buf, (size_t)got, &img, err, sizeof err)) {
		cp_printf(out, "HCPIPL107E DEVICE %03lX HOLDS NO PROGRAM IMAGE", addr);
	} else {
		rc = ipl_image(vm, &img, out);
		sim_image_free(&img);
		if (rc == 0)
			snprintf(vm->ipl_name, sizeof vm->ipl_name, "%03lX", addr);
	}
	free(buf);
	return rc;
}
