/*
 * host-kvm/acpi.c -- the ACPI tables that tell Linux how interrupts flow.
 *
 * A PC's firmware describes the interrupt hardware to the OS.  Without
 * any description Linux assumes the oldest PC it can: a local APIC in
 * "virtual wire" mode with the 8259 PIC's output on its LINT0 pin, every
 * device interrupt arriving as an ExtINT that the processor must fetch
 * from the PIC.  Under KVM that path is the least used and, nested under
 * QEMU's emulated SVM, it lost interrupts now and then (the guest idled
 * forever; see README.md).  Given tables, Linux programs the I/O APIC
 * instead: each ISA interrupt is a message with its own vector, the path
 * every modern PC and QEMU's own guests take.
 *
 * There are two such descriptions: Intel's MultiProcessor table (what
 * kvmtool writes) and ACPI's MADT.  Debian's cloud kernel is built
 * without the MP-table parser (CONFIG_X86_MPPARSE is off), so we write
 * the ACPI tables, the fewest that say it (ACPI 6.x, chapter 5):
 *
 *   RSDP  "RSD PTR "  where to find the rest; Linux gets its address
 *                     in the zero page and also finds it by scanning
 *                     0xE0000-0xFFFFF on 16-byte boundaries
 *   XSDT  "XSDT"      the list of tables, 64-bit pointers
 *   RSDT  "RSDT"      the same list, 32-bit pointers (ACPI 1.0 readers)
 *   MADT  "APIC"      one local APIC (the vCPU), one I/O APIC at
 *                     0xFEC00000 with its interrupts from 0, and the
 *                     local APICs' LINT1 wired to NMI
 *
 * No FADT and no DSDT: there is no ACPI hardware to describe (power
 * button, PM timer, sleep states), so Linux's ACPI interpreter finds
 * nothing to load and switches itself off ("ACPI: Unable to enable
 * ACPI", "Interpreter disabled") -- after the boot code has read the
 * MADT, which is all we want from it.
 *
 * No interrupt source overrides either: KVM's default routing sends ISA
 * interrupt N to I/O APIC pin N (the PIT's IRQ 0 to pin 0), which is
 * what the MADT means when it says nothing.  (QEMU routes IRQ 0 to pin 2
 * and says so with an override; a table must match the routing.)
 */
#include <string.h>

#include "host-kvm/kvm.h"

#define OEM_ID "VMLAB "        /* 6 bytes */
#define OEM_TABLE "VMLABKVM"   /* 8 bytes */

/* An ACPI table checksum: all bytes of the table add up to 0 mod 256. */
uint8_t kvm_acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;
	while (len--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)-sum;
}

static void put8(uint8_t *p, size_t off, uint8_t v) { p[off] = v; }
static void put16(uint8_t *p, size_t off, uint16_t v) { memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put64(uint8_t *p, size_t off, uint64_t v) { memcpy(p + off, &v, 8); }

/* The 36-byte header every table but the RSDP starts with.  The length
 * and checksum are filled in by finish() once the body is written. */
enum {
	SDT_SIGNATURE = 0, SDT_LENGTH = 4, SDT_REVISION = 8, SDT_CHECKSUM = 9,
	SDT_OEMID = 10, SDT_OEM_TABLE = 16, SDT_OEM_REVISION = 24,
	SDT_CREATOR = 28, SDT_CREATOR_REVISION = 32, SDT_SIZE = 36,
};

static void header(uint8_t *t, const char sig[4], uint8_t revision)
{
	memcpy(t + SDT_SIGNATURE, sig, 4);
	put8(t, SDT_REVISION, revision);
	memcpy(t + SDT_OEMID, OEM_ID, 6);
	memcpy(t + SDT_OEM_TABLE, OEM_TABLE, 8);
	put32(t, SDT_OEM_REVISION, 1);
	memcpy(t + SDT_CREATOR, "VMLB", 4);
	put32(t, SDT_CREATOR_REVISION, 1);
}

static size_t finish(uint8_t *t, size_t len)
{
	put32(t, SDT_LENGTH, (uint32_t)len);
	t[SDT_CHECKSUM] = 0;
	t[SDT_CHECKSUM] = kvm_acpi_checksum(t, len);
	return len;
}

/* MADT entry types and the fields we use. */
enum {
	MADT_LAPIC = 0,       /* processor local APIC, 8 bytes */
	MADT_IOAPIC = 1,      /* I/O APIC, 12 bytes */
	MADT_LAPIC_NMI = 4,   /* which LINT pin carries NMI, 6 bytes */
	MADT_PCAT_COMPAT = 1, /* flags: there are also two 8259 PICs */
	LAPIC_ENABLED = 1,
};

static size_t write_madt(uint8_t *t)
{
	header(t, "APIC", 3);
	put32(t, 36, KVM_LAPIC_ADDR);   /* every local APIC, at one address */
	/* The PICs exist too: Linux masks them before it uses the I/O
	 * APIC, rather than leave them to fire ExtINTs. */
	put32(t, 40, MADT_PCAT_COMPAT);
	size_t n = 44;

	uint8_t *e = t + n;             /* our one vCPU: ACPI id 0, APIC id 0 */
	put8(e, 0, MADT_LAPIC);
	put8(e, 1, 8);
	put8(e, 2, 0);
	put8(e, 3, 0);
	put32(e, 4, LAPIC_ENABLED);
	n += 8;

	e = t + n;                      /* KVM's I/O APIC: id 0, pins = GSI 0.. */
	put8(e, 0, MADT_IOAPIC);
	put8(e, 1, 12);
	put8(e, 2, KVM_IOAPIC_ID);
	put8(e, 3, 0);
	put32(e, 4, KVM_IOAPIC_ADDR);
	put32(e, 8, 0);
	n += 12;

	e = t + n;                      /* LINT1 is NMI on every processor */
	put8(e, 0, MADT_LAPIC_NMI);
	put8(e, 1, 6);
	put8(e, 2, 0xff);               /* 0xFF: all processors */
	put16(e, 3, 0);                 /* polarity, trigger: as the bus says */
	put8(e, 5, 1);                  /* LINT1 */
	n += 6;
	return finish(t, n);
}

/* The RSDP, version 2: 36 bytes, two checksums (the first 20 bytes,
 * for ACPI 1.0 readers, then all 36). */
enum {
	RSDP_CHECKSUM = 8, RSDP_OEMID = 9, RSDP_REVISION = 15, RSDP_RSDT = 16,
	RSDP_LENGTH = 20, RSDP_XSDT = 24, RSDP_EXT_CHECKSUM = 32,
	RSDP_SIZE = 36,
};

/* Offsets of the tables inside the area, each 16-byte aligned. */
enum {
	AT_RSDP = 0x000, AT_XSDT = 0x040, AT_RSDT = 0x080, AT_MADT = 0x100,
};

uint64_t kvm_acpi_write(uint8_t *mem, size_t mem_size, uint64_t base)
{
	if (base & 15 || base > mem_size || mem_size - base < KVM_ACPI_SIZE ||
	    base + KVM_ACPI_SIZE > 0x100000000ull)
		return 0;
	uint8_t *a = mem + base;
	memset(a, 0, KVM_ACPI_SIZE);

	size_t madt_len = write_madt(a + AT_MADT);
	if (AT_MADT + madt_len > KVM_ACPI_SIZE)
		return 0;  /* cannot happen: the MADT is 70 bytes */

	uint8_t *x = a + AT_XSDT;
	header(x, "XSDT", 1);
	put64(x, SDT_SIZE, base + AT_MADT);
	finish(x, SDT_SIZE + 8);

	uint8_t *r = a + AT_RSDT;
	header(r, "RSDT", 1);
	put32(r, SDT_SIZE, (uint32_t)(base + AT_MADT));
	finish(r, SDT_SIZE + 4);

	uint8_t *p = a + AT_RSDP;
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + RSDP_OEMID, OEM_ID, 6);
	put8(p, RSDP_REVISION, 2);
	put32(p, RSDP_RSDT, (uint32_t)(base + AT_RSDT));
	put32(p, RSDP_LENGTH, RSDP_SIZE);
	put64(p, RSDP_XSDT, base + AT_XSDT);
	p[RSDP_CHECKSUM] = kvm_acpi_checksum(p, 20);
	p[RSDP_EXT_CHECKSUM] = kvm_acpi_checksum(p, RSDP_SIZE);
	return base + AT_RSDP;
}
