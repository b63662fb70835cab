/*
 * sim/machine.c -- the bare-machine driver: what the hardware does with
 * each exit of sim_run().  See machine.h.
 */
#include "machine.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "asm.h"

const char *const machine_stop_names[] = {
	[STOP_NONE] = "running",
	[STOP_DISABLED_WAIT] = "disabled wait",
	[STOP_IDLE_WAIT] = "enabled wait with nothing pending",
	[STOP_MAX_INSTRUCTIONS] = "instruction limit reached",
	[STOP_ADDRESS] = "address stop",
	[STOP_BAD_NEW_PSW] = "invalid new PSW",
	[STOP_PGM_LOOP] = "program interruption loop (check the program new PSW)",
	[STOP_INT_LOOP] = "interruption loop: no instruction completes (check the new PSWs)",
};

/* A real machine whose program new PSW points at a bad instruction loops
 * forever, taking program interruptions.  That teaches nothing after the
 * first thousand, so the bare machine stops and says so. */
#define PGM_LOOP_LIMIT 1000

/* Simulated cycles an interruption costs (the PSW swap). */
#define INTERRUPT_CYCLES 10
/* How much to run between looks at the devices when nothing is due. */
#define RUN_CHUNK 1000000u

int sim_machine_init(struct sim_machine *m, uint32_t storage)
{
	memset(m, 0, sizeof *m);
	int rc = sim_mem_init(&m->mem, storage);
	if (rc)
		return rc;
	sim_cpu_init(&m->cpu, m->mem);
	sim_io_init(&m->io, &m->mem);
	exit_stats_reset(&m->stats);
	m->trace_hash = 0xcbf29ce484222325ull;
	return 0;
}

void sim_machine_destroy(struct sim_machine *m)
{
	sim_io_destroy(&m->io);
	sim_mem_free(&m->mem);
}

int sim_machine_load(struct sim_machine *m, const struct sim_image *img,
		     char *err, size_t errlen)
{
	if (sim_image_place(img, &m->mem, err, errlen))
		return -1;
	sim_psw_load(&m->cpu, 0, img->entry & ~3u);
	return 0;
}

/*
 * An enabled external or I/O condition whose new PSW is enabled for it
 * again (a timer interrupt handler that never resets the timer) takes
 * interruption after interruption and completes no instruction: a real
 * machine would hang.  Count such interruptions in a row; after
 * PGM_LOOP_LIMIT the bare machine stops and says why.
 */
static bool no_progress(struct sim_machine *m)
{
	if (m->cpu.instructions == m->int_last_icount) {
		if (++m->int_streak >= PGM_LOOP_LIMIT)
			return true;
	} else {
		m->int_streak = 0;
	}
	m->int_last_icount = m->cpu.instructions;
	return false;
}

/* Deliver an interruption; false if its new PSW was invalid. */
static bool interrupt(struct sim_machine *m, uint32_t old, uint32_t new,
		      uint32_t code_off, uint32_t code)
{
	m->cpu.cycles += INTERRUPT_CYCLES;
	return sim_interrupt(&m->cpu, old, new, code_off, code);
}

static void io_instruction(struct sim_machine *m, const struct sim_exit *ex)
{
	uint16_t dev = (uint16_t)(ex->ea & 0xFFFF);
	struct sim_csw csw;
	int cc;
	switch (vl32_op(ex->insn)) {
	case OP_SIO:
		cc = sim_io_sio(&m->io, dev, m->cpu.cycles, &csw);
		break;
	case OP_TIO:
		cc = sim_io_tio(&m->io, dev, m->cpu.cycles, &csw);
		break;
	default:
		cc = sim_io_hio(&m->io, dev, m->cpu.cycles, &csw);
		break;
	}
	if (cc == 1)
		sim_csw_store(&m->mem, &csw);
	m->cpu.cc = (uint32_t)cc;
	/* HIO may have ended an operation at once. */
	if (sim_io_advance(&m->io, m->cpu.cycles))
		m->cpu.pending |= SIM_PEND_IO;
}

static void io_interrupt(struct sim_machine *m)
{
	uint16_t dev;
	struct sim_csw csw;
	if (sim_io_take_interrupt(&m->io, &dev, &csw)) {
		sim_csw_store(&m->mem, &csw);
		interrupt(m, LC_IO_OLD, LC_IO_NEW, LC_IO_ADDR, dev);
		exit_stats_add(&m->stats, EXK_IO_INT, dev);
	}
	if (!sim_io_advance(&m->io, m->cpu.cycles))
		m->cpu.pending &= ~SIM_PEND_IO;
}

/* One trace line: address, word, disassembly, and what changed. */
static void trace_step(struct sim_machine *m, uint32_t addr, uint32_t insn,
		       const uint32_t before[16], uint32_t cc_before,
		       uint32_t w0_before)
{
	struct sim_cpu *c = &m->cpu;
	if (m->hashing) {
		/* FNV-1a over the address, the word and the registers after:
		 * any divergence between two runs changes the hash. */
		uint64_t h = m->trace_hash;
		uint32_t v[19] = { addr, insn, sim_psw_word0(c) };
		memcpy(v + 3, c->gpr, sizeof c->gpr);
		const uint8_t *b = (const uint8_t *)v;
		for (size_t i = 0; i < sizeof v; i++)
			h = (h ^ b[i]) * 0x100000001b3ull;
		m->trace_hash = h;
	}
	if (!m->trace)
		return;
	char text[64];
	disasm(insn, addr, text, sizeof text);
	fprintf(m->trace, "%08" PRIX32 "  %08" PRIX32 "  %-28s", addr, insn, text);
	for (int r = 0; r < 16; r++)
		if (c->gpr[r] != before[r])
			fprintf(m->trace, " R%d=%08" PRIX32, r, c->gpr[r]);
	if (c->cc != cc_before)
		fprintf(m->trace, " CC=%" PRIu32, c->cc);
	if (sim_psw_word0(c) != w0_before)
		fprintf(m->trace, " PSW=%08" PRIX32 " %08" PRIX32,
			sim_psw_word0(c), c->psw_ia);
	fputc('\n', m->trace);
}

enum machine_stop sim_machine_run(struct sim_machine *m, uint64_t max_instructions)
{
	struct sim_cpu *c = &m->cpu;
	bool step = m->trace || m->hashing;
	for (;;) {
		if (max_instructions && c->instructions >= max_instructions)
			return STOP_MAX_INSTRUCTIONS;
		/* Run until the next device event, at most a chunk; with an
		 * instruction limit, at most that many cycles (each instruction
		 * costs at least one, so we never overshoot). */
		uint64_t budget = RUN_CHUNK;
		uint64_t next_io = sim_io_next_event(&m->io);
		if (next_io != UINT64_MAX)
			budget = next_io > c->cycles ? next_io - c->cycles : 1;
		if (budget > RUN_CHUNK)
			budget = RUN_CHUNK;
		if (max_instructions && budget > max_instructions - c->instructions)
			budget = max_instructions - c->instructions;
		if (step)
			budget = 1;

		uint32_t before[16], cc_before = c->cc, w0 = sim_psw_word0(c);
		uint32_t addr = c->psw_ia, word = 0;
		uint64_t icount = c->instructions;
		if (step) {
			memcpy(before, c->gpr, sizeof before);
			/* Peek at the word for the trace (fetch may fail). */
			uint8_t b[4];
			if (sim_vread(c, addr, b, 4) == 0)
				word = sim_get32(b);
		}
		struct sim_exit ex = sim_run(c, budget);
		if (step && c->instructions != icount)
			trace_step(m, ex.reason == SIM_EXIT_BUDGET ? addr : ex.addr,
				   word, before, cc_before, w0);
		if (sim_io_advance(&m->io, c->cycles))
			c->pending |= SIM_PEND_IO;

		switch (ex.reason) {
		case SIM_EXIT_BUDGET:
			break;
		case SIM_EXIT_PROGRAM:
			exit_stats_add(&m->stats, EXK_PROGRAM, ex.code);
			if (c->instructions - m->pgm_last_icount <= 1) {
				if (++m->pgm_streak >= PGM_LOOP_LIMIT)
					return STOP_PGM_LOOP;
			} else {
				m->pgm_streak = 0;
			}
			m->pgm_last_icount = c->instructions;
			if (step && m->trace)
				fprintf(m->trace, "%08" PRIX32 "  program interruption code %02" PRIX32 "\n",
					ex.addr, ex.code);
			if (ex.code == PGM_SEGMENT_TRANS || ex.code == PGM_PAGE_TRANS ||
			    ex.code == PGM_PROTECTION || ex.code == PGM_ADDRESSING)
				sim_put32(m->mem.base + LC_TRANS_ADDR, ex.ea);
			sim_put32(m->mem.base + LC_PGM_INSN, ex.insn);
			if (!interrupt(m, LC_PGM_OLD, LC_PGM_NEW, LC_PGM_CODE, ex.code))
				return STOP_BAD_NEW_PSW;
			break;
		case SIM_EXIT_SVC:
			exit_stats_add(&m->stats, EXK_SVC, ex.code);
			if (!interrupt(m, LC_SVC_OLD, LC_SVC_NEW, LC_SVC_CODE, ex.code))
				return STOP_BAD_NEW_PSW;
			break;
		case SIM_EXIT_IO_INSN:
			exit_stats_add(&m->stats, EXK_IO_INSN, vl32_op(ex.insn));
			io_instruction(m, &ex);
			break;
		case SIM_EXIT_DIAG:
			/* No control program on the bare machine. */
			exit_stats_add(&m->stats, EXK_HYPERCALL, ex.ea & 0xFFFF);
			c->cc = 3;
			break;
		case SIM_EXIT_EXTERNAL:
			exit_stats_add(&m->stats, EXK_EXTERNAL, ex.code);
			if (no_progress(m))
				return STOP_INT_LOOP;
			if (ex.code == EXT_INTERRUPT_KEY)
				c->pending &= ~SIM_PEND_KEY;
			if (!interrupt(m, LC_EXT_OLD, LC_EXT_NEW, LC_EXT_CODE, ex.code))
				return STOP_BAD_NEW_PSW;
			break;
		case SIM_EXIT_IO:
			if (no_progress(m))
				return STOP_INT_LOOP;
			io_interrupt(m);
			if (c->psw_ia == 0xFFF && (c->psw_mask & PSW_WAIT) &&
			    !(c->psw_mask & (PSW_IO | PSW_EXT)))
				return STOP_BAD_NEW_PSW;
			break;
		case SIM_EXIT_WAIT: {
			if (!(c->psw_mask & (PSW_IO | PSW_EXT)))
				return STOP_DISABLED_WAIT;
			/* Enabled wait: time jumps to the next event that could
			 * end it.  Nothing runs meanwhile, so nothing else can
			 * happen first. */
			uint64_t t = UINT64_MAX;
			if (c->psw_mask & PSW_IO)
				t = sim_io_next_event(&m->io);
			uint64_t tt = sim_next_timer_event(c);
			if (tt < t)
				t = tt;
			if (t == UINT64_MAX)
				return STOP_IDLE_WAIT;
			exit_stats_add(&m->stats, EXK_WAIT, 0);
			if (t > c->cycles) {
				m->wait_cycles += t - c->cycles;
				c->cycles = t;
			}
			if (sim_io_advance(&m->io, c->cycles))
				c->pending |= SIM_PEND_IO;
			break;
		}
		case SIM_EXIT_BREAK:
			return STOP_ADDRESS;
		case SIM_EXIT_COUNT:
			break;
		}
	}
}

void sim_machine_print_state(FILE *f, const struct sim_machine *m)
{
	const struct sim_cpu *c = &m->cpu;
	fprintf(f, "PSW  %08" PRIX32 " %08" PRIX32 "   CC %" PRIu32 "%s%s%s\n",
		sim_psw_word0(c), c->psw_ia, c->cc,
		(c->psw_mask & PSW_PROBLEM) ? "  problem" : "  supervisor",
		(c->psw_mask & PSW_WAIT) ? " wait" : "",
		(c->psw_mask & PSW_T) ? " DAT" : "");
	for (int r = 0; r < 16; r += 4)
		fprintf(f, "R%-2d  %08" PRIX32 " %08" PRIX32 " %08" PRIX32 " %08" PRIX32 "\n",
			r, c->gpr[r], c->gpr[r + 1], c->gpr[r + 2], c->gpr[r + 3]);
	fprintf(f, "instructions %" PRIu64 "  cycles %" PRIu64 "  (wait %" PRIu64 ")\n",
		c->instructions, c->cycles, m->wait_cycles);
}

const char *sim_machine_key_name(enum exit_kind kind, uint32_t key)
{
	static char buf[32];
	switch (kind) {
	case EXK_IO_INSN:
		return vl32_isa[key & 0xFF].mnemonic ? vl32_isa[key & 0xFF].mnemonic : "?";
	case EXK_IO_INT:
		snprintf(buf, sizeof buf, "dev %03" PRIX32, key);
		return buf;
	case EXK_PROGRAM:
	case EXK_SVC:
	case EXK_EXTERNAL:
	case EXK_HYPERCALL:
		snprintf(buf, sizeof buf, "code %04" PRIX32, key);
		return buf;
	default:
		return "";
	}
}
