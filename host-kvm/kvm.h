/*
 * host-kvm/kvm.h -- a minimal virtual machine monitor on Linux KVM.
 *
 * Where CP runs a VL32 guest by trapping and emulating every sensitive
 * instruction, the x86 processor (VT-x or AMD-V) runs the guest itself
 * and leaves guest mode only for the few events the hypervisor asked to
 * see.  Linux KVM handles most of those in the kernel; the rest come back
 * to this program as the return of ioctl(KVM_RUN).  The monitor is the
 * loop around that ioctl, the same shape as sim_run() and CP:
 *
 *     setup: /dev/kvm -> VM -> guest memory -> vCPU -> registers
 *     loop:  KVM_RUN -> exit reason -> device on the I/O bus -> KVM_RUN
 *
 * The files, in reading order:
 *   vm.c       the VM, its memory, the vCPU, the run loop, exit names
 *   modes.c    flat guests in real, protected, paged and long mode
 *   bzimage.c  Linux through the x86 boot protocol (zero page, e820)
 *   bus.c      the I/O port bus: registered ranges, nothing else
 *   serial.c   the 8250 UART on COM1
 *   ports.c    the small devices: debug port 0xE9, i8042 reset line
 *   rtc.c      the CMOS real-time clock Linux reads at boot
 *   acpi.c     the ACPI tables (MADT) that route Linux's interrupts
 *   kstats.c   the kernel's own exit counters (KVM_GET_STATS_FD)
 *   seccomp.c  the system-call allowlist the monitor drops to
 *   main.c     `vmlab kvm run|boot`
 *
 * Names: kvm_ everywhere, struct names chosen not to clash with
 * <linux/kvm.h> (which owns struct kvm_run, kvm_regs, kvm_sregs, ...).
 */
#ifndef HOST_KVM_KVM_H
#define HOST_KVM_KVM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/exit_stats.h"

/* ---- the I/O bus (bus.c) ------------------------------------------ */

/*
 * A device claims a range of I/O ports.  Every port access the guest
 * makes arrives here with a port, a width (1, 2 or 4 bytes) and a
 * direction; nothing the guest chooses is trusted before this point.
 */
struct kvm_iodev {
	const char *name;
	uint16_t base;   /* first port */
	uint16_t len;    /* number of ports */
	void *opaque;    /* the device's own state */
	/* offset = port - base; size is 1, 2 or 4 */
	uint32_t (*read)(void *opaque, uint16_t offset, int size);
	void (*write)(void *opaque, uint16_t offset, int size, uint32_t val);
};

#define KVM_BUS_MAX 16

struct kvm_iobus {
	int n;
	struct kvm_iodev dev[KVM_BUS_MAX];
	uint64_t unclaimed;  /* accesses that hit no device */
};

/* Register a device; -EBUSY if it overlaps one, -ENOSPC if full. */
int kvm_bus_register(struct kvm_iobus *bus, const struct kvm_iodev *dev);
const struct kvm_iodev *kvm_bus_find(const struct kvm_iobus *bus,
				     uint16_t port);
/* One access.  Unclaimed reads return all ones, as on a real ISA bus
 * where nobody drives the data lines. */
uint32_t kvm_bus_in(struct kvm_iobus *bus, uint16_t port, int size);
void kvm_bus_out(struct kvm_iobus *bus, uint16_t port, int size,
		 uint32_t val);

/* ---- the 8250 UART (serial.c) --------------------------------------- */

#define KVM_COM1_BASE 0x3f8
#define KVM_COM1_IRQ 4
#define KVM_UART_FIFO 64

struct kvm_uart {
	pthread_mutex_t lock;  /* the vCPU thread and the input thread */
	pthread_cond_t room;   /* signalled when the guest can take input */
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	int thre_pending;      /* "transmitter empty" interrupt not yet seen */
	int rx_enabled_once;   /* the guest driver has asked for rx interrupts */
	int woken;             /* kvm_uart_wake: waiters give up */
	uint8_t rx[KVM_UART_FIFO];
	int rx_head, rx_count;
	int irq_level;         /* the level last sent to the interrupt line */
	/* where output goes (a byte, or -1 for "flush now") and how the
	 * IRQ line is driven; tests pass their own.  set_irq may be NULL
	 * for guests without an interrupt controller. */
	void (*emit)(void *ctx, int byte);
	void (*set_irq)(void *ctx, int level);
	void *ctx;
	uint64_t tx_bytes, rx_bytes;
};

void kvm_uart_init(struct kvm_uart *u, void (*emit)(void *, int),
		   void (*set_irq)(void *, int), void *ctx);
void kvm_uart_destroy(struct kvm_uart *u);
/* The bus device for COM1 (opaque = the uart). */
struct kvm_iodev kvm_uart_iodev(struct kvm_uart *u);
/* Host input: queue bytes for the guest.  Returns how many fitted. */
int kvm_uart_feed(struct kvm_uart *u, const uint8_t *buf, int len);
/* Non-zero once the guest is ready for input (see serial.c). */
int kvm_uart_accepts_input(struct kvm_uart *u);
/* Wait up to ms milliseconds (ms < 0: until kvm_uart_wake) for the
 * guest to be ready for input; non-zero if it is. */
int kvm_uart_wait_input(struct kvm_uart *u, int ms);
void kvm_uart_wake(struct kvm_uart *u);

/* ---- small devices (ports.c) ---------------------------------------- */

#define KVM_DEBUG_PORT 0xe9   /* Bochs/QEMU debug console: out = a char */

enum kvm_stop {
	KVM_STOP_NONE,
	KVM_STOP_HALT,      /* HLT with nothing to wake the guest */
	KVM_STOP_RESET,     /* the guest pulled the reset line (i8042 0xFE) */
	KVM_STOP_SHUTDOWN,  /* triple fault: no handler for a fault */
	KVM_STOP_SYSTEM,    /* KVM_EXIT_SYSTEM_EVENT */
	KVM_STOP_TIMEOUT,   /* --timeout expired */
	KVM_STOP_ATTENTION, /* Ctrl-C at the console (kvm_options.attention) */
	KVM_STOP_ERROR,     /* the monitor could not go on */
};

struct kvm_ports {
	void (*emit)(void *ctx, int byte);
	void *ctx;
	enum kvm_stop *stop;    /* where a reset request is posted */
	uint64_t debug_bytes;
};

struct kvm_iodev kvm_debugport_iodev(struct kvm_ports *p);
/* The data port 0x60, or the command port 0x64 where 0xFE resets. */
struct kvm_iodev kvm_i8042_iodev(struct kvm_ports *p, int command_port);

/* ---- the real-time clock (rtc.c) ----------------------------------- */

struct kvm_rtc {
	uint8_t index;      /* register selected through port 0x70 */
	uint8_t ram[128];   /* status registers and CMOS RAM */
};

void kvm_rtc_init(struct kvm_rtc *r);
struct kvm_iodev kvm_rtc_iodev(struct kvm_rtc *r);

/* ---- in-kernel counters (kstats.c) ---------------------------------- */

#define KVM_KSTATS_MAX 96

/*
 * The exits KVM handled without coming back to us (HLT with an in-kernel
 * irqchip, CPUID, MSRs, interrupt windows, ...), as counted by the kernel
 * itself.  Kept next to struct exit_stats: these never reach the run loop.
 */
struct kvm_kstats {
	int n;
	struct {
		char name[48];
		uint64_t value;
	} item[KVM_KSTATS_MAX];
};

/* Open the vCPU's binary statistics file; returns an fd or -errno. */
int kvm_kstats_open(int vcpu_fd);
/* Read every cumulative counter into ks; 0 or -errno. */
int kvm_kstats_read(int stats_fd, struct kvm_kstats *ks);
/* Parse a statistics file image already in memory (tests use this). */
int kvm_kstats_parse(const uint8_t *buf, size_t len, struct kvm_kstats *ks);
uint64_t kvm_kstats_get(const struct kvm_kstats *ks, const char *name);
void kvm_kstats_print(FILE *f, const struct kvm_kstats *ks,
		      uint64_t user_exits);

/* ---- guest memory layout for flat guests (modes.c) ------------------ */

/*
 *   0x00000 +------------------+  real-mode IVT (unused)
 *   0x01000 | GDT              |
 *   0x02000 | page tables      |  paged: 1 page directory (4 MiB pages)
 *           |                  |  long:  PML4, PDPT, 4 PDs (2 MiB pages)
 *   0x08000 | stack            |  grows down from 0x10000
 *   0x10000 +------------------+  the guest image, entry at its start
 *           | image            |  (real mode: CS=0x1000, IP=0)
 *           +------------------+  ... up to the end of guest memory
 */
#define KVM_FLAT_GDT 0x1000
#define KVM_FLAT_PT 0x2000
#define KVM_FLAT_STACK 0x10000
#define KVM_FLAT_LOAD 0x10000

enum kvm_mode { KVM_MODE_REAL, KVM_MODE_PROT, KVM_MODE_PAGED, KVM_MODE_LONG };

extern const char *const kvm_mode_names[4];
int kvm_mode_parse(const char *s, enum kvm_mode *mode);

struct kvm_sregs;
struct kvm_regs;
/*
 * Copy a flat image into guest memory and set up the tables and
 * registers for mode.  -EFBIG if it does not fit.  arg goes in rbx.
 */
int kvm_flat_setup(uint8_t *mem, size_t mem_size, const uint8_t *img,
		   size_t img_len, enum kvm_mode mode, uint64_t arg,
		   struct kvm_sregs *sregs, struct kvm_regs *regs);
/* The pieces, shared with the Linux loader: a GDT with code at 0x10 and
 * data at 0x18; 4 GiB identity page tables for long mode (6 pages from
 * base); the segment and control registers for a flat guest. */
void kvm_x86_write_gdt(uint8_t *mem, uint64_t addr, int code64);
void kvm_x86_write_pt_long(uint8_t *mem, uint64_t base);
void kvm_x86_flat_sregs(struct kvm_sregs *sr, enum kvm_mode mode,
			uint64_t gdt, uint64_t pt);

/* ---- Linux boot protocol (bzimage.c) -------------------------------- */

/* The fields of the setup header we use, validated (see bzimage.c). */
struct kvm_bzimage {
	uint16_t version;        /* boot protocol, e.g. 0x020f */
	unsigned setup_sects;    /* 512-byte sectors of real-mode setup */
	size_t setup_size;       /* (setup_sects + 1) * 512 */
	size_t kernel_size;      /* the protected-mode kernel */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;   /* longest command line, NUL excluded */
	uint32_t init_size;      /* memory the kernel needs to decompress */
	size_t hdr_end;          /* end of the setup header in the file */
};

/* Where things go in guest-physical memory for a Linux guest. */
#define KVM_LINUX_GDT 0x500
#define KVM_LINUX_ZEROPAGE 0x7000
#define KVM_LINUX_PT 0x9000      /* PML4, PDPT, then 4 PDs: to 0xefff */
#define KVM_LINUX_CMDLINE 0x20000
#define KVM_LINUX_CMDLINE_MAX 0x10000
#define KVM_LINUX_KERNEL 0x100000
#define KVM_LINUX_EBDA 0x9fc00   /* end of low RAM in our e820 map */
#define KVM_LINUX_ACPI 0xf0000   /* ACPI tables, in the reserved BIOS area */

struct kvm_linux_layout {
	uint64_t kernel_addr, kernel_end;  /* end includes init_size */
	uint64_t initrd_addr, initrd_size;
	uint64_t entry;                    /* guest-physical rip */
	int entry64;                       /* 64-bit entry point used */
};

/* Validate a bzImage held in memory.  0, or -EINVAL/-ENOEXEC with a
 * one-line reason in err. */
int kvm_bzimage_parse(const uint8_t *img, size_t len, struct kvm_bzimage *bz,
		      char *err, size_t errlen);
/* Check that kernel, initrd and command line fit mem_size and say where
 * each goes; writes nothing.  0 or -ENOEXEC with the reason in err. */
int kvm_linux_plan(const uint8_t *img, size_t len, size_t initrd_len,
		   const char *cmdline, size_t mem_size,
		   struct kvm_linux_layout *lay, char *err, size_t errlen);
/* Lay out kernel, initrd, command line, zero page and page tables in guest
 * memory, and set the registers for the 64-bit (or 32-bit) entry.  With
 * acpi, also the ACPI tables (acpi.c), their address in the zero page. */
int kvm_linux_setup(uint8_t *mem, size_t mem_size, const uint8_t *img,
		    size_t len, const uint8_t *initrd, size_t initrd_len,
		    const char *cmdline, int acpi, struct kvm_linux_layout *lay,
		    struct kvm_sregs *sregs, struct kvm_regs *regs, char *err,
		    size_t errlen);

/* ---- ACPI tables (acpi.c) -------------------------------------------- */

#define KVM_LAPIC_ADDR 0xfee00000u   /* where KVM's local APIC answers */
#define KVM_IOAPIC_ADDR 0xfec00000u  /* and its I/O APIC */
#define KVM_IOAPIC_ID 0              /* the id KVM's I/O APIC resets to */
#define KVM_ACPI_SIZE 0x200          /* bytes the tables take */

/* Write RSDP, XSDT, RSDT and MADT at base (16-byte aligned, below 4 GiB,
 * KVM_ACPI_SIZE bytes inside mem).  Returns the RSDP's address, or 0 if
 * base is unusable. */
uint64_t kvm_acpi_write(uint8_t *mem, size_t mem_size, uint64_t base);
/* The byte that makes a table's bytes sum to zero. */
uint8_t kvm_acpi_checksum(const uint8_t *p, size_t len);

/* ---- the machine (vm.c) --------------------------------------------- */

struct kvm_options {
	enum kvm_mode mode;
	uint64_t mem_size;       /* bytes */
	uint64_t arg;            /* flat guests: rbx at entry */
	int linux_guest;         /* in-kernel irqchip + PIT, Linux devices */
	int no_acpi;             /* Linux: no ACPI tables (virtual wire) */
	int no_seccomp;
	int seccomp_selftest;    /* try a forbidden call after the drop */
	int stats;               /* print the table at the end */
	int timeout;             /* seconds, 0 = none */
	int quiet;               /* no banner lines on stderr */
	FILE *out;               /* guest console output */
	/* Or, if set, each byte of it (-1: "a burst ended, show it now"). */
	void (*emit)(void *ctx, int byte);
	void *emit_ctx;
	/* Linux guests: where their keyboard is.  NULL: standard input,
	 * raw if it is a terminal.  Else called on the input thread for up
	 * to len bytes: returns how many, 0 at the end of input, or -1 for
	 * "nothing yet" (it should wait at most ~200 ms before saying so). */
	int (*input)(void *ctx, uint8_t *buf, int len);
	void *input_ctx;
	int attention;           /* SIGINT (Ctrl-C) stops the guest, not us */
};

struct kvm_machine {
	int sys_fd, vm_fd, vcpu_fd, stats_fd, statm_fd;
	struct kvm_run *run;     /* shared with the kernel, one per vCPU */
	size_t run_size;
	uint8_t *mem;            /* guest-physical 0 .. mem_size */
	size_t mem_size;
	struct kvm_iobus bus;
	struct kvm_uart uart;
	struct kvm_ports ports;
	struct kvm_rtc rtc;
	enum kvm_stop stop;
	int irqchip;             /* in-kernel PIC/IOAPIC/LAPIC/PIT */
	FILE *out;
	struct exit_stats stats; /* exits that reached user space */
	struct kvm_kstats kstats;
	uint64_t wall_ns;        /* time spent in the run loop */
	uint64_t rss_kib, guest_rss_kib;  /* measured at the end */
	pthread_t input_thread;
	_Atomic int input_running;  /* the input thread runs while set */
	int (*input)(void *ctx, uint8_t *buf, int len);  /* kvm_options' */
	void *input_ctx;
	void (*emit)(void *ctx, int byte);               /* kvm_options' */
	void *emit_ctx;
};

int kvm_machine_create(struct kvm_machine *m, const struct kvm_options *o);
void kvm_machine_destroy(struct kvm_machine *m);
int kvm_machine_set_regs(struct kvm_machine *m, struct kvm_sregs *sregs,
			 struct kvm_regs *regs);
/* Run until the guest stops; returns the reason. */
enum kvm_stop kvm_machine_run(struct kvm_machine *m, const struct kvm_options *o);
/* Fill kstats and the RSS figures (after the run). */
void kvm_machine_measure(struct kvm_machine *m);
void kvm_machine_print_stats(struct kvm_machine *m, FILE *f);

const char *kvm_exit_name(uint32_t reason);
const char *kvm_stop_name(enum kvm_stop s);
/* Names detail keys for exit_stats_print: "0x3f8 com1" and so on. */
const char *kvm_exit_key_name(enum exit_kind kind, uint32_t key);

/* ---- seccomp (seccomp.c) -------------------------------------------- */

/* Drop to the allowlist for all threads; 0 or -errno. */
int kvm_seccomp_install(void);

/* ---- helpers (main.c) ------------------------------------------------ */

/* Run a built-in guest (compute, console, privops, ptchange, ...) here,
 * iterations in rbx, without seccomp; its counters into st and ks (may
 * be NULL).  Returns an enum kvm_stop, or -errno.  For `vmlab contrast`. */
int kvm_workload_run(const char *name, uint64_t iterations, FILE *out,
		     struct exit_stats *st, struct kvm_kstats *ks);
/* The same, and the time spent in the run loop (guest set-up excluded). */
int kvm_workload_run_timed(const char *name, uint64_t iterations, FILE *out,
			   struct exit_stats *st, struct kvm_kstats *ks,
			   uint64_t *wall_ns);
/* Is /dev/kvm usable here?  0, or -errno with the reason in why. */
int kvm_probe(char *why, size_t len);

/*
 * Boot Linux in this process, for the console's KVM BOOT: read and check
 * the files, make the machine, call ready (if not NULL: everything
 * checked, the guest about to start), run it until it stops (o->input,
 * o->attention, o->timeout and o->out as given; never seccomp, since
 * the caller goes on).  0 with the outcome in *res, or -errno with the
 * reason in err (a file, a damaged image, no usable KVM).
 */
struct kvm_boot_result {
	enum kvm_stop stop;
	struct exit_stats stats;
	struct kvm_kstats kstats;
	uint64_t wall_ns;
	uint64_t overhead_kib;     /* monitor rss beyond guest memory */
};
int kvm_linux_boot(const char *kernel, const char *initrd, const char *append,
		   uint64_t mem_mib, struct kvm_options *o,
		   void (*ready)(void *ctx), void *ready_ctx,
		   struct kvm_boot_result *res, char *err, size_t errlen);
/* An input source (kvm_options.input) that types a text, then ends. */
struct kvm_text_input {
	const char *text;
	size_t len, off;
};
int kvm_text_input(void *ctx, uint8_t *buf, int len);

/* Read a whole file; *buf is malloc'd.  0 or -errno. */
int kvm_read_file(const char *path, uint8_t **buf, size_t *len,
		  size_t max_len);

#endif
