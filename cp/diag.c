/*
 * cp/diag.c -- DIAGNOSE services (table: cp/diag.def).
 *
 * DIAGNOSE is privileged, so a guest's DIAG traps like any other
 * privileged instruction; trap/emulate.c then calls cp_diag().  Where the
 * bare machine answers CC 3 ("no control program here"), CP offers
 * services: this is paravirtualization, 1972 style.  CMS does its disk
 * I/O through DIAGNOSE rather than channel programs because one trap per
 * request is far cheaper than CCW translation.
 *
 * Every guest address is checked through trap_guest_read/write: a bad
 * one is the guest's addressing (or translation) exception, never a host
 * access.
 */
#include "diag.h"

#include <string.h>
#include <unistd.h>

#include "cp/cp.h"

static int diag_identify(struct trap_vm *g, unsigned rx, unsigned ry)
{
	if (trap_guest_write(g, g->cpu.gpr[rx], "VMLAB   ", 8))
		return -PGM_ADDRESSING;
	g->cpu.gpr[ry] = 1;
	return 0;
}

static int diag_storsize(struct trap_vm *g, unsigned rx, unsigned ry)
{
	(void)ry;
	g->cpu.gpr[rx] = g->mem.size;
	return 0;
}

static int diag_cpcmd(struct trap_vm *g, unsigned rx, unsigned ry)
{
	struct cp_vm *vm = g->owner;
	uint32_t len = g->cpu.gpr[ry];
	char cmd[CP_LINE_MAX];
	if (len >= sizeof cmd)
		return -PGM_SPECIFICATION;
	if (trap_guest_read(g, g->cpu.gpr[rx], cmd, len))
		return -PGM_ADDRESSING;
	/* The command comes from the guest, and CP echoes parts of it to
	 * terminals ("UNKNOWN CP COMMAND: ...", MSG text to another user).
	 * As with console output, nothing but printable characters may get
	 * through: a guest must not send control sequences to anyone's
	 * terminal.  (A NUL would also cut the command short unseen.) */
	for (uint32_t i = 0; i < len; i++)
		if ((uint8_t)cmd[i] < 0x20 || (uint8_t)cmd[i] >= 0x7F)
			cmd[i] = '.';
	cmd[len] = 0;
	uint32_t buf = g->cpu.gpr[(rx + 1) & 15], cap = g->cpu.gpr[(ry + 1) & 15];
	struct cp_outbuf ob = { .limit = cap ? cap + 1 : 1 };
	struct cp_out out = cp_outbuf_out(&ob);
	int rc = vm ? cp_execute(vm->sys, vm, cmd, cap ? &out : &vm->term) : 3;
	/* A command that stopped the machine under the running guest (STOP,
	 * DEFINE STORAGE) ends the slice here: not one more instruction.
	 * (LOGOFF asks for the same itself: see cp_logoff.) */
	if (vm && vm->state == CPVM_STOPPED)
		g->cp_call = true;
	int cc = 0;
	uint32_t n = 0;
	if (cap) {
		n = ob.len < cap ? (uint32_t)ob.len : cap;
		if (n && trap_guest_write(g, buf, ob.text, n)) {
			cp_outbuf_free(&ob);
			return -PGM_ADDRESSING;
		}
		cc = ob.truncated || ob.len > cap;
	}
	cp_outbuf_free(&ob);
	g->cpu.gpr[ry] = (uint32_t)rc;
	g->cpu.gpr[(ry + 1) & 15] = n;
	return cc;
}

static int diag_blockio(struct trap_vm *g, unsigned rx, unsigned ry)
{
	uint8_t p[16];
	if (trap_guest_read(g, g->cpu.gpr[rx], p, sizeof p))
		return -PGM_ADDRESSING;
	uint16_t dev = sim_get16(p), op = sim_get16(p + 2);
	uint32_t block = sim_get32(p + 4), count = sim_get32(p + 8), buffer = sim_get32(p + 12);
	uint32_t *err = &g->cpu.gpr[ry];
	struct sim_dev *d = sim_io_find(&g->io, dev);
	if (!d) {
		*err = 1;
		return 1;
	}
	if (d->type->cls != DEV_DISK || d->disk.fd < 0) {
		*err = 2;
		return 1;
	}
	if (op == 3) {
		/* QUERY: what a guest cannot learn by reading -- the extent's
		 * size and whether CP linked it read-only (CMS's ACCESS marks
		 * such a disk R/O instead of failing at the first write). */
		sim_put32(p + 4, d->disk.readonly ? 1 : 0);
		sim_put32(p + 8, d->disk.blocks);
		if (trap_guest_write(g, g->cpu.gpr[rx], p, sizeof p))
			return -PGM_ADDRESSING;
		*err = 0;
		return 0;
	}
	if (block > d->disk.blocks || count > d->disk.blocks - block || count > 256) {
		*err = 3;
		return 1;
	}
	if ((op != 1 && op != 2) || (op == 2 && d->disk.readonly)) {
		*err = op == 2 ? 4 : 5;
		return 1;
	}
	uint8_t blk[DISK_BLOCK_SIZE];
	for (uint32_t i = 0; i < count; i++) {
		off_t at = (off_t)(d->disk.offset + (uint64_t)(block + i) * DISK_BLOCK_SIZE);
		uint32_t va = buffer + i * DISK_BLOCK_SIZE;
		if (op == 1) {
			if (pread(d->disk.fd, blk, sizeof blk, at) != (ssize_t)sizeof blk)
				memset(blk, 0, sizeof blk);
			if (trap_guest_write(g, va, blk, sizeof blk)) {
				*err = 5;
				return 1;
			}
		} else {
			if (trap_guest_read(g, va, blk, sizeof blk)) {
				*err = 5;
				return 1;
			}
			if (pwrite(d->disk.fd, blk, sizeof blk, at) != (ssize_t)sizeof blk) {
				*err = 3;
				return 1;
			}
		}
	}
	d->stats.ccws++; /* counted as one request per block group */
	if (op == 1)
		d->stats.bytes_in += (uint64_t)count * DISK_BLOCK_SIZE;
	else
		d->stats.bytes_out += (uint64_t)count * DISK_BLOCK_SIZE;
	*err = 0;
	return 0;
}

const struct cp_diag_info cp_diag_table[] = {
#define CP_DIAG(code, name, fn, doc) { code, name, doc },
#include "diag.def"
#undef CP_DIAG
};
const int cp_diag_count = sizeof cp_diag_table / sizeof cp_diag_table[0];

int cp_diag(struct trap_vm *g, uint32_t code, unsigned rx, unsigned ry)
{
	switch (code) {
#define CP_DIAG(c, name, fn, doc) \
	case c:                   \
		return fn(g, rx, ry);
#include "diag.def"
#undef CP_DIAG
	}
	return -PGM_SPECIFICATION;
}
