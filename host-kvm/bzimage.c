/*
 * host-kvm/bzimage.c -- loading Linux through the x86 boot protocol.
 *
 * A bzImage is two programs glued together: a real-mode "setup" part
 * (a boot sector plus setup_sects sectors of 16-bit code that asks the
 * BIOS about the machine), then the protected-mode kernel, compressed,
 * which decompresses itself.  Between the two, at offset 0x1f1, sits the
 * setup header: the contract between the kernel and its boot loader
 * (Documentation/arch/x86/boot.rst).
 *
 * We are the boot loader, and there is no BIOS, so we skip the real-mode
 * part entirely and do what it would have done: fill in the "zero page"
 * (struct boot_params) with the setup header, a memory map (e820) and
 * where we put the command line and the initrd; then start the kernel at
 * its 64-bit entry point (load address + 0x200) with paging already on,
 * or its 32-bit one in flat protected mode for older kernels.
 *
 * Guest-physical layout for a Linux guest:
 *
 *   0x00500  GDT (code at 0x10, data at 0x18, as the protocol asks)
 *   0x07000  zero page (boot_params), rsi points here at entry
 *   0x09000  page tables: identity map of 4 GiB (long mode entry only)
 *   0x20000  kernel command line
 *   0x9fc00  end of low RAM; reserved up to 1 MiB (where a BIOS lives)
 *   0xf0000  ACPI tables (acpi.c), in that reserved area
 *   0x100000 the protected-mode kernel, then room to decompress
 *   top      the initrd, as high as the kernel allows
 *
 * Every field read from the image is checked before it is used: the
 * image is a file someone gave us, not part of the monitor.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <string.h>

#include "host-kvm/kvm.h"

/* Offsets of setup-header fields, the same in the file and in the zero
 * page (the header is copied to the zero page verbatim). */
enum {
	HDR_SETUP_SECTS = 0x1f1,   /* u8: 0 means 4 */
	HDR_SYSSIZE = 0x1f4,       /* u32: kernel size in 16-byte units */
	HDR_VID_MODE = 0x1fa,      /* u16 */
	HDR_BOOT_FLAG = 0x1fe,     /* u16: 0xAA55 */
	HDR_JUMP = 0x200,          /* jump over the header; its 2nd byte
				    * gives the header's end */
	HDR_MAGIC = 0x202,         /* "HdrS" */
	HDR_VERSION = 0x206,       /* u16: protocol version */
	HDR_TYPE_OF_LOADER = 0x210,
	HDR_LOADFLAGS = 0x211,
	HDR_RAMDISK_IMAGE = 0x218,
	HDR_RAMDISK_SIZE = 0x21c,
	HDR_HEAP_END_PTR = 0x224,
	HDR_CMD_LINE_PTR = 0x228,
	HDR_INITRD_ADDR_MAX = 0x22c,
	HDR_XLOADFLAGS = 0x236,
	HDR_CMDLINE_SIZE = 0x238,
	HDR_INIT_SIZE = 0x260,
	HDR_MIN_END = 0x264,       /* protocol 2.10 headers reach this far */
	HDR_MAX_END = 0x290,       /* where boot_params' next field begins */
};

/* Offsets of the zero page's own fields, outside the header. */
enum {
	BP_ACPI_RSDP_ADDR = 0x070, /* u64, protocol 2.14 (Linux 5.0) */
	BP_EXT_RAMDISK_IMAGE = 0x0c0,
	BP_EXT_RAMDISK_SIZE = 0x0c4,
	BP_EXT_CMD_LINE_PTR = 0x0c8,
	BP_E820_ENTRIES = 0x1e8,
	BP_E820_TABLE = 0x2d0,     /* 20-byte entries: addr, size, type */
	BP_SIZE = 0x1000,
};

#define HDRS_MAGIC 0x53726448u  /* "HdrS" little-endian */
#define LOADED_HIGH 0x01        /* kernel goes at 1 MiB (a bzImage) */
#define CAN_USE_HEAP 0x80
#define XLF_KERNEL_64 0x01      /* has the 64-bit entry at +0x200 */
#define E820_RAM 1
#define E820_RESERVED 2
#define MIN_VERSION 0x020a      /* 2.10: init_size, kernel 2.6.31 (2009) */

static uint8_t get8(const uint8_t *p, size_t off) { return p[off]; }
static uint16_t get16(const uint8_t *p, size_t off)
{
	uint16_t v; memcpy(&v, p + off, 2); return v;
}
static uint32_t get32(const uint8_t *p, size_t off)
{
	uint32_t v; memcpy(&v, p + off, 4); return v;
}
static void put16(uint8_t *p, size_t off, uint16_t v) { memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put64(uint8_t *p, size_t off, uint64_t v) { memcpy(p + off, &v, 8); }

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

int kvm_bzimage_parse(const uint8_t *img, size_t len, struct kvm_bzimage *bz,
		      char *err, size_t errlen)
{
	memset(bz, 0, sizeof *bz);
	if (len < HDR_MIN_END)
		return fail(err, errlen, "%zu bytes: too short for a bzImage "
			    "setup header", len);
	if (get16(img, HDR_BOOT_FLAG) != 0xaa55)
		return fail(err, errlen, "no boot sector signature 0xAA55 at "
			    "0x1fe: not a kernel image");
	if (get32(img, HDR_MAGIC) != HDRS_MAGIC)
		return fail(err, errlen, "no \"HdrS\" magic at 0x202: not a "
			    "bzImage (or a kernel older than 1.3.73)");
	bz->version = get16(img, HDR_VERSION);
	if (bz->version < MIN_VERSION)
		return fail(err, errlen, "boot protocol %u.%02u is too old "
			    "(need 2.10 or later)", bz->version >> 8,
			    bz->version & 0xff);

	/* The header's real length: the jump at 0x200 skips over it. */
	bz->hdr_end = 0x202 + (size_t)get8(img, HDR_JUMP + 1);
	if (bz->hdr_end < HDR_MIN_END || bz->hdr_end > HDR_MAX_END)
		return fail(err, errlen, "setup header ends at 0x%zx, outside "
			    "0x%x..0x%x", bz->hdr_end, HDR_MIN_END, HDR_MAX_END);

	/* setup_sects == 0 is an old convention for 4. */
	bz->setup_sects = get8(img, HDR_SETUP_SECTS);
	if (bz->setup_sects == 0)
		bz->setup_sects = 4;
	bz->setup_size = ((size_t)bz->setup_sects + 1) * 512;
	if (bz->setup_size >= len)
		return fail(err, errlen, "setup_sects %u puts the kernel at "
			    "%zu, past the end of the %zu-byte file",
			    bz->setup_sects, bz->setup_size, len);
	bz->kernel_size = len - bz->setup_size;
	uint64_t syssize = (uint64_t)get32(img, HDR_SYSSIZE) * 16;
	if (syssize == 0 || syssize > bz->kernel_size)
		return fail(err, errlen, "syssize says the kernel has %llu "
			    "bytes, the file holds %zu after the setup",
			    (unsigned long long)syssize, bz->kernel_size);

	bz->loadflags = get8(img, HDR_LOADFLAGS);
	if (!(bz->loadflags & LOADED_HIGH))
		return fail(err, errlen, "a zImage (loaded low): only bzImage "
			    "is supported");
	bz->xloadflags = bz->version >= 0x020c ? get16(img, HDR_XLOADFLAGS) : 0;
	bz->initrd_addr_max = get32(img, HDR_INITRD_ADDR_MAX);
	bz->cmdline_size = get32(img, HDR_CMDLINE_SIZE);
	bz->init_size = get32(img, HDR_INIT_SIZE);
	if (bz->init_size == 0)
		return fail(err, errlen, "init_size is 0");
	return 0;
}

/*
 * Decide where everything goes, checking what needs the guest's memory
 * size: does the kernel fit with room to decompress, does the initrd fit
 * above it and below initrd_addr_max, does the command line fit the
 * kernel's limit and our buffer.  Nothing is written: main.c calls this
 * before it opens /dev/kvm, so a bad image fails the same everywhere.
 */
int kvm_linux_plan(const uint8_t *img, size_t len, size_t initrd_len,
		   const char *cmdline, size_t mem_size,
		   struct kvm_linux_layout *lay, char *err, size_t errlen)
{
	struct kvm_bzimage bz;
	int r = kvm_bzimage_parse(img, len, &bz, err, errlen);
	if (r)
		return r;
	memset(lay, 0, sizeof *lay);

	/* The kernel at 1 MiB, and init_size bytes from there for the
	 * decompressor to work in. */
	uint64_t need = bz.init_size > bz.kernel_size ? bz.init_size
						       : bz.kernel_size;
	lay->kernel_addr = KVM_LINUX_KERNEL;
	lay->kernel_end = KVM_LINUX_KERNEL + need;
	if (lay->kernel_end > mem_size)
		return fail(err, errlen, "the kernel needs %llu KiB from 1 MiB "
			    "(init_size), the guest has %zu KiB",
			    (unsigned long long)need / 1024, mem_size / 1024);

	/* The initrd as high as allowed, page aligned, above the kernel. */
	if (initrd_len) {
		uint64_t top = (uint64_t)bz.initrd_addr_max + 1;
		if (top > mem_size)
			top = mem_size;
		if (initrd_len > top || ((top - initrd_len) & ~0xfffull) <
						lay->kernel_end)
			return fail(err, errlen, "the initrd (%zu KiB) does not "
				    "fit between the kernel's end (%llu KiB) and "
				    "%llu KiB: give the guest more memory",
				    initrd_len / 1024,
				    (unsigned long long)lay->kernel_end / 1024,
				    (unsigned long long)top / 1024);
		lay->initrd_addr = (top - initrd_len) & ~0xfffull;
		lay->initrd_size = initrd_len;
	}

	size_t cl = strlen(cmdline);
	if (cl > bz.cmdline_size || cl >= KVM_LINUX_CMDLINE_MAX)
		return fail(err, errlen, "command line of %zu bytes; the kernel "
			    "takes at most %u", cl,
			    bz.cmdline_size < KVM_LINUX_CMDLINE_MAX - 1
				    ? bz.cmdline_size
				    : KVM_LINUX_CMDLINE_MAX - 1);
	lay->entry64 = bz.version >= 0x020c && (bz.xloadflags & XLF_KERNEL_64);
	lay->entry = lay->kernel_addr + (lay->entry64 ? 0x200 : 0);
	return 0;
}

/* Place everything as planned and fill the zero page. */
int kvm_linux_setup(uint8_t *mem, size_t mem_size, const uint8_t *img,
		    size_t len, const uint8_t *initrd, size_t initrd_len,
		    const char *cmdline, int acpi, struct kvm_linux_layout *lay,
		    struct kvm_sregs *sregs, struct kvm_regs *regs, char *err,
		    size_t errlen)
{
	struct kvm_bzimage bz;
	int r = kvm_linux_plan(img, len, initrd_len, cmdline, mem_size, lay,
			       err, errlen);
	if (r)
		return r;
	kvm_bzimage_parse(img, len, &bz, NULL, 0);  /* succeeded just now */
	size_t cl = strlen(cmdline);

	/* Copy: kernel, initrd, command line (with its NUL). */
	memcpy(mem + lay->kernel_addr, img + bz.setup_size, bz.kernel_size);
	if (initrd_len)
		memcpy(mem + lay->initrd_addr, initrd, initrd_len);
	memcpy(mem + KVM_LINUX_CMDLINE, cmdline, cl + 1);

	/* The zero page: the header as the kernel wrote it, then what a
	 * boot loader is asked to fill in. */
	uint8_t *bp = mem + KVM_LINUX_ZEROPAGE;
	memset(bp, 0, BP_SIZE);
	memcpy(bp + HDR_SETUP_SECTS, img + HDR_SETUP_SECTS,
	       bz.hdr_end - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = 0xff;  /* "undefined" boot loader */
	bp[HDR_LOADFLAGS] |= CAN_USE_HEAP;
	put16(bp, HDR_HEAP_END_PTR, 0xfe00);
	put16(bp, HDR_VID_MODE, 0xffff);  /* "normal" */
	put32(bp, HDR_CMD_LINE_PTR, KVM_LINUX_CMDLINE);
	put32(bp, BP_EXT_CMD_LINE_PTR, 0);
	put32(bp, HDR_RAMDISK_IMAGE, (uint32_t)lay->initrd_addr);
	put32(bp, HDR_RAMDISK_SIZE, (uint32_t)lay->initrd_size);
	put32(bp, BP_EXT_RAMDISK_IMAGE, 0);
	put32(bp, BP_EXT_RAMDISK_SIZE, 0);

	/* The e820 memory map: what a BIOS would report. */
	static const struct { uint64_t addr, size; uint32_t type; } low[] = {
		{ 0, KVM_LINUX_EBDA, E820_RAM },
		{ KVM_LINUX_EBDA, 0xa0000 - KVM_LINUX_EBDA, E820_RESERVED },
		{ 0xf0000, 0x10000, E820_RESERVED },
	};
	int n = 0;
	for (; n < 3; n++) {
		uint8_t *e = bp + BP_E820_TABLE + 20 * n;
		put64(e, 0, low[n].addr);
		put64(e, 8, low[n].size);
		put32(e, 16, low[n].type);
	}
	uint8_t *e = bp + BP_E820_TABLE + 20 * n++;
	put64(e, 0, KVM_LINUX_KERNEL);
	put64(e, 8, mem_size - KVM_LINUX_KERNEL);
	put32(e, 16, E820_RAM);
	bp[BP_E820_ENTRIES] = (uint8_t)n;

	/* The ACPI tables, in the reserved area at 0xF0000 where a BIOS
	 * keeps them.  Kernels before 5.0 ignore the zero page's pointer
	 * and find the RSDP by scanning that area; newer ones take it. */
	if (acpi) {
		uint64_t rsdp = kvm_acpi_write(mem, mem_size, KVM_LINUX_ACPI);
		if (!rsdp)
			return fail(err, errlen, "no room for the ACPI tables");
		put64(bp, BP_ACPI_RSDP_ADDR, rsdp);
	}

	/* Registers at entry: flat segments from our GDT, rsi -> zero page.
	 * The 64-bit entry wants paging on with an identity map; the 32-bit
	 * one wants paging off. */
	kvm_x86_write_gdt(mem, KVM_LINUX_GDT, lay->entry64);
	if (lay->entry64)
		kvm_x86_write_pt_long(mem, KVM_LINUX_PT);
	kvm_x86_flat_sregs(sregs, lay->entry64 ? KVM_MODE_LONG : KVM_MODE_PROT,
			   KVM_LINUX_GDT, KVM_LINUX_PT);
	memset(regs, 0, sizeof *regs);
	regs->rflags = 0x2;
	regs->rsi = KVM_LINUX_ZEROPAGE;
	regs->rip = lay->entry;
	return 0;
}
