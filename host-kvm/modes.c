/*
 * host-kvm/modes.c -- starting a guest in each x86 operating mode.
 *
 * A real PC starts in 16-bit real mode and its firmware and boot loader
 * climb, one mode at a time, to wherever the OS wants to be.  A virtual
 * machine monitor can skip the climb: KVM lets us write the segment
 * registers (with their hidden base/limit/attribute parts), the control
 * registers and EFER directly, so the first guest instruction already
 * runs in the final mode.  The monitor only has to put in guest memory
 * the tables those registers point to -- the GDT, and for paging the
 * page tables -- because the processor will read them from there.
 *
 *   real   CR0.PE=0: segment:offset, 64 KiB segments, no tables at all
 *   prot   CR0.PE=1: flat 4 GiB segments from the GDT, no paging
 *   paged  + CR0.PG, CR4.PSE: one page directory of 4 MiB pages
 *   long   + CR4.PAE, EFER.LME/LMA, 64-bit code segment: four levels
 *          (PML4 -> PDPT -> PD of 2 MiB pages)
 *
 * All page tables here map virtual = physical for the first 4 GiB
 * ("identity mapping"), which is what the boot protocols expect.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>

#include "host-kvm/kvm.h"

const char *const kvm_mode_names[4] = {
	[KVM_MODE_REAL] = "real", [KVM_MODE_PROT] = "prot",
	[KVM_MODE_PAGED] = "paged", [KVM_MODE_LONG] = "long",
};

int kvm_mode_parse(const char *s, enum kvm_mode *mode)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, kvm_mode_names[i])) {
			*mode = (enum kvm_mode)i;
			return 0;
		}
	return -EINVAL;
}

#define CR0_PE 0x1u
#define CR0_ET 0x10u
#define CR0_WP 0x10000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x10u
#define CR4_PAE 0x20u
#define EFER_LME 0x100u
#define EFER_LMA 0x400u
#define PTE_P 0x1u
#define PTE_RW 0x2u
#define PTE_PS 0x80u  /* "this entry maps a large page" */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/*
 * A GDT descriptor: base and limit scattered over 8 bytes for
 * compatibility with the 80286.  access: present, DPL, type;
 * flags: granularity (limit in 4 KiB units), 32-bit (D) or 64-bit (L).
 */
static uint64_t gdt_entry(uint8_t access, uint8_t flags)
{
	uint32_t base = 0, limit = 0xfffff;
	return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)(limit >> 16) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}

/*
 * The GDT the Linux boot protocol asks for, used by every guest here:
 *   0x00 null, 0x08 unused, 0x10 code (64-bit if code64), 0x18 data.
 */
void kvm_x86_write_gdt(uint8_t *mem, uint64_t addr, int code64)
{
	uint8_t *g = mem + addr;
	memset(g, 0, 32);
	put64(g + 0x10, gdt_entry(0x9a, code64 ? 0xa : 0xc));
	put64(g + 0x18, gdt_entry(0x92, 0xc));
}

/* Identity-map 4 GiB for long mode with 2 MiB pages: PML4 at base,
 * PDPT at base+4K, four page directories at base+8K..base+24K. */
void kvm_x86_write_pt_long(uint8_t *mem, uint64_t base)
{
	uint64_t pml4 = base, pdpt = base + 0x1000, pd = base + 0x2000;
	memset(mem + base, 0, 6 * 0x1000);
	put64(mem + pml4, pdpt | PTE_P | PTE_RW);
	for (uint64_t i = 0; i < 4; i++) {
		put64(mem + pdpt + 8 * i, (pd + i * 0x1000) | PTE_P | PTE_RW);
		for (uint64_t j = 0; j < 512; j++)
			put64(mem + pd + i * 0x1000 + 8 * j,
			      ((i * 512 + j) << 21) | PTE_P | PTE_RW | PTE_PS);
	}
}

/* Identity-map 4 GiB for 32-bit paging with 4 MiB pages (CR4.PSE). */
static void write_pt_32(uint8_t *mem, uint64_t base)
{
	for (uint32_t i = 0; i < 1024; i++)
		put32(mem + base + 4 * i, (i << 22) | PTE_P | PTE_RW | PTE_PS);
}

static void flat_segment(struct kvm_segment *s, uint16_t sel, int code,
			 int code64)
{
	memset(s, 0, sizeof *s);
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = code ? 0xb : 0x3;  /* execute/read, or read/write; accessed */
	s->present = 1;
	s->s = 1;                    /* code or data, not a system segment */
	s->g = 1;
	s->l = code && code64;
	s->db = !s->l;               /* L and D are never both set */
}

/* Segment, control registers and EFER for a flat protected, paged or
 * long mode guest whose GDT is at gdt and page tables at pt. */
void kvm_x86_flat_sregs(struct kvm_sregs *sr, enum kvm_mode mode,
			uint64_t gdt, uint64_t pt)
{
	int code64 = mode == KVM_MODE_LONG;
	flat_segment(&sr->cs, 0x10, 1, code64);
	flat_segment(&sr->ds, 0x18, 0, 0);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->gdt.base = gdt;
	sr->gdt.limit = 32 - 1;
	sr->cr0 = CR0_PE | CR0_ET;
	sr->cr4 = 0;
	sr->efer = 0;
	if (mode == KVM_MODE_PAGED) {
		sr->cr3 = pt;
		sr->cr4 = CR4_PSE;
		sr->cr0 |= CR0_PG | CR0_WP;
	} else if (mode == KVM_MODE_LONG) {
		sr->cr3 = pt;
		sr->cr4 = CR4_PAE;
		sr->efer = EFER_LME | EFER_LMA;
		sr->cr0 |= CR0_PG | CR0_WP;
	}
}

static void real_segment(struct kvm_segment *s, uint16_t sel, int code)
{
	memset(s, 0, sizeof *s);
	s->selector = sel;
	s->base = (uint64_t)sel << 4;  /* real mode: base = selector * 16 */
	s->limit = 0xffff;
	s->type = code ? 0xb : 0x3;
	s->present = 1;
	s->s = 1;
}

int kvm_flat_setup(uint8_t *mem, size_t mem_size, const uint8_t *img,
		   size_t img_len, enum kvm_mode mode, uint64_t arg,
		   struct kvm_sregs *sregs, struct kvm_regs *regs)
{
	if (mem_size < KVM_FLAT_LOAD || img_len > mem_size - KVM_FLAT_LOAD)
		return -EFBIG;
	/* Real mode reaches only 1 MiB (64 KiB from CS=0x1000 for code). */
	if (mode == KVM_MODE_REAL && img_len > 0x10000)
		return -EFBIG;
	memcpy(mem + KVM_FLAT_LOAD, img, img_len);

	memset(regs, 0, sizeof *regs);
	regs->rflags = 0x2;  /* bit 1 is always one; interrupts off */
	regs->rbx = arg;
	if (mode == KVM_MODE_REAL) {
		uint16_t seg = KVM_FLAT_LOAD >> 4;
		real_segment(&sregs->cs, seg, 1);
		real_segment(&sregs->ds, seg, 0);
		sregs->es = sregs->fs = sregs->gs = sregs->ss = sregs->ds;
		sregs->cr0 = CR0_ET;
		sregs->cr4 = 0;
		sregs->efer = 0;
		regs->rip = 0;
		regs->rsp = 0xfff0;  /* top of the 64 KiB segment */
		return 0;
	}
	kvm_x86_write_gdt(mem, KVM_FLAT_GDT, mode == KVM_MODE_LONG);
	if (mode == KVM_MODE_PAGED)
		write_pt_32(mem, KVM_FLAT_PT);
	else if (mode == KVM_MODE_LONG)
		kvm_x86_write_pt_long(mem, KVM_FLAT_PT);
	kvm_x86_flat_sregs(sregs, mode, KVM_FLAT_GDT, KVM_FLAT_PT);
	regs->rip = KVM_FLAT_LOAD;
	regs->rsp = KVM_FLAT_STACK;
	return 0;
}
