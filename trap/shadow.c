/*
 * trap/shadow.c -- shadow translation tables, filled on demand.
 *
 * The real CPU walks one segment table and one page table per address.
 * A guest with DAT on wants two mappings composed:
 *
 *     guest virtual --(guest's tables, in guest storage)--> guest real
 *     guest real    --(the guest's storage buffer)--------> host
 *
 * Here guest real addresses are offsets in the guest's own storage
 * buffer, which is the real CPU's storage while the guest runs, so the
 * composition is: shadow PTE = the guest's PTE, validated.  What makes
 * shadow tables necessary is WHERE they live: in CP's storage, which the
 * guest cannot address or change.  A guest that writes a wild address
 * into its own page table gets an addressing exception from CP's check,
 * never a mapping to someone else's storage.
 *
 *     shadow storage (CP-private)
 *     +--------------------+ 0
 *     | segment table      |   1024 entries, all invalid after a purge
 *     +--------------------+ 4K
 *     | page table 0       |   allocated when a segment is first used
 *     | page table 1 ...   |
 *     +--------------------+ (1 + max_pt) * 4K
 *
 * Filling is lazy.  After an invalidation every shadow entry is invalid;
 * the first access through a page takes a real translation exception;
 * CP walks the guest's tables: if the guest's own mapping is valid, it
 * copies it into the shadow and retries the instruction (a "shadow
 * fault", invisible to the guest); if not, the exception belongs to the
 * guest and is reflected.  This is why a guest page-table change costs
 * little at the moment of the store and more later: the store itself is
 * an ordinary instruction, but the PTLB the architecture requires after
 * it traps, throws the shadow away, and every page touched afterwards
 * faults once more.
 *
 * The shadow tables are, in effect, CP's TLB for this guest, and they
 * keep exactly the TLB's rules (sim/ISA.md, sim/cpu.c):
 *
 *   - thrown away when the guest's TLB would be purged: PTLB, any LCTL
 *     (the only way CR1, the guest's segment-table origin and length,
 *     can change -- so the shadow always belongs to the current CR1),
 *     and a reset (IPL, DEFINE STORAGE);
 *   - NOT thrown away when the guest switches DAT off and on (LPSW, SSM,
 *     STNSM/STOSM, an interruption's new PSW): the real machine keeps its
 *     TLB then, and a guest that takes each SVC with DAT off and returns
 *     to a DAT-on program with LPSW (CMS) finds its translations there;
 *   - NOT told of the guest's stores into its own tables: CP does not
 *     watch them.  A guest that changes a table entry and then purges
 *     sees the change; one that does not purge may see the old or the
 *     new translation for a while -- as on the real machine, whose TLB
 *     may or may not still hold the old one.  (CP's "TLB" is bigger than
 *     the real one, so it holds on to old entries longer; the
 *     architecture allows both.)
 *
 * What the shadow can never do is give the guest more than its own
 * tables once gave it: every shadow entry is a copy of an entry the
 * guest's tables held, for the current CR1, since the last purge; and
 * every frame address in it is checked against the guest's storage size
 * again each time the real CPU walks it (sim_dat_walk), so not even a
 * stale entry reaches outside the guest's storage.
 */
#include "trap.h"

#include <errno.h>
#include <string.h>

/* Page tables per VM before CP recycles them all (4 KiB each). */
#define SHADOW_MAX_PT 256

int trap_shadow_init(struct trap_vm *vm)
{
	struct trap_shadow *s = &vm->shadow;
	int rc = sim_mem_init(&s->tables, (1 + SHADOW_MAX_PT) * VL32_PAGE_SIZE);
	if (rc)
		return rc;
	s->max_pt = SHADOW_MAX_PT;
	trap_shadow_invalidate(vm);
	return 0;
}

void trap_shadow_free(struct trap_vm *vm)
{
	sim_mem_free(&vm->shadow.tables);
	vm->shadow.npt = 0;
}

void trap_shadow_invalidate(struct trap_vm *vm)
{
	struct trap_shadow *s = &vm->shadow;
	if (s->tables.base) {
		for (uint32_t i = 0; i < 1024; i++)
			sim_put32(s->tables.base + 4 * i, STE_INVALID);
		s->npt = 0;
		s->rebuilds++;
	}
	/* The real TLB may hold translations made from the old shadow. */
	sim_tlb_purge(&vm->cpu);
}

/* A fresh shadow page table, all entries invalid; its origin, or 0 if
 * the pool is exhausted. */
static uint32_t alloc_page_table(struct trap_shadow *s)
{
	if (s->npt >= s->max_pt)
		return 0;
	uint32_t origin = (1 + s->npt++) * VL32_PAGE_SIZE;
	for (uint32_t i = 0; i < 1024; i++)
		sim_put32(s->tables.base + origin + 4 * i, PTE_INVALID);
	return origin;
}

int trap_shadow_fault(struct trap_vm *vm, uint32_t va, bool write)
{
	struct trap_shadow *s = &vm->shadow;
	uint32_t gpte;
	/* 1. What does the guest's own translation say? */
	int code = sim_dat_walk(&vm->mem, &vm->mem, vm->v.cr[1], va, &gpte);
	if (code)
		return code; /* the guest's exception: reflect it */
	if (write && (gpte & PTE_PROTECT))
		return PGM_PROTECTION;
	if (!s->tables.base)
		return PGM_ADDRESSING; /* cannot happen: sync_real allocates */

	/* 2. Make the shadow say the same. */
	uint32_t ste_addr = DAT_SX(va) * 4;
	uint32_t ste = sim_get32(s->tables.base + ste_addr);
	if (ste & STE_INVALID) {
		uint32_t pto = alloc_page_table(s);
		if (!pto) {
			/* Pool exhausted: start over, as CP-67 reclaimed
			 * shadow tables; the pages in use will fault back. */
			trap_shadow_invalidate(vm);
			pto = alloc_page_table(s);
		}
		ste = pto;
		sim_put32(s->tables.base + ste_addr, ste);
	}
	uint32_t pte_addr = (ste & STE_PTO_MASK) + DAT_PX(va) * 4;
	sim_put32(s->tables.base + pte_addr, gpte & (PTE_PFRA_MASK | PTE_PROTECT));
	s->faults++;
	return 0;
}
