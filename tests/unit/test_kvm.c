/*
 * tests/unit/test_kvm.c -- host-kvm's parts that need no /dev/kvm:
 * the I/O bus, the 8250 UART, the bzImage checks and Linux layout, the
 * flat-mode tables, the KVM_GET_STATS_FD parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/kvm.h>

#include "host-kvm/kvm.h"

/* ---- the I/O bus ----------------------------------------------------- */

struct fake_dev {
	uint16_t last_off;
	int last_size;
	uint32_t last_val;
	int writes;
};

static uint32_t fake_read(void *o, uint16_t off, int size)
{
	(void)o; (void)size;
	return 0x12345600u | off;
}

static void fake_write(void *o, uint16_t off, int size, uint32_t val)
{
	struct fake_dev *d = o;
	d->last_off = off;
	d->last_size = size;
	d->last_val = val;
	d->writes++;
}

static void test_bus_ranges(void **state)
{
	(void)state;
	struct kvm_iobus bus = { 0 };
	struct fake_dev fd = { 0 };
	struct kvm_iodev d = { "fake", 0x100, 8, &fd, fake_read, fake_write };
	assert_int_equal(kvm_bus_register(&bus, &d), 0);
	/* Overlapping at either end is refused. */
	struct kvm_iodev o1 = { "o1", 0x107, 1, NULL, NULL, NULL };
	struct kvm_iodev o2 = { "o2", 0xf0, 0x11, NULL, NULL, NULL };
	struct kvm_iodev ok = { "ok", 0x108, 1, NULL, NULL, NULL };
	assert_int_equal(kvm_bus_register(&bus, &o1), -EBUSY);
	assert_int_equal(kvm_bus_register(&bus, &o2), -EBUSY);
	assert_int_equal(kvm_bus_register(&bus, &ok), 0);
	/* A range past port 0xffff, or empty, is invalid. */
	struct kvm_iodev wrap = { "wrap", 0xfffe, 4, NULL, NULL, NULL };
	struct kvm_iodev empty = { "empty", 0x200, 0, NULL, NULL, NULL };
	assert_int_equal(kvm_bus_register(&bus, &wrap), -EINVAL);
	assert_int_equal(kvm_bus_register(&bus, &empty), -EINVAL);

	assert_non_null(kvm_bus_find(&bus, 0x100));
	assert_non_null(kvm_bus_find(&bus, 0x107));
	assert_ptr_equal(kvm_bus_find(&bus, 0x108)->name, "ok");
	assert_null(kvm_bus_find(&bus, 0xff));
}

static void test_bus_access(void **state)
{
	(void)state;
	struct kvm_iobus bus = { 0 };
	struct fake_dev fd = { 0 };
	struct kvm_iodev d = { "fake", 0x100, 8, &fd, fake_read, fake_write };
	kvm_bus_register(&bus, &d);
	/* Reads are masked to the access width, offsets are relative. */
	assert_int_equal(kvm_bus_in(&bus, 0x103, 1), 0x03);
	assert_int_equal(kvm_bus_in(&bus, 0x103, 2), 0x5603);
	assert_int_equal(kvm_bus_in(&bus, 0x103, 4), 0x12345603);
	kvm_bus_out(&bus, 0x105, 2, 0xabcdef);
	assert_int_equal(fd.last_off, 5);
	assert_int_equal(fd.last_size, 2);
	assert_int_equal(fd.last_val, 0xcdef);
	/* Nobody there: all ones, counted; writes vanish. */
	assert_int_equal(kvm_bus_in(&bus, 0x300, 1), 0xff);
	assert_int_equal(kvm_bus_in(&bus, 0x300, 2), 0xffff);
	assert_int_equal(kvm_bus_in(&bus, 0x300, 4), 0xffffffffu);
	kvm_bus_out(&bus, 0x300, 4, 1);
	assert_int_equal(bus.unclaimed, 4);
	/* A width no instruction has never reaches a device. */
	int before = fd.writes;
	kvm_bus_out(&bus, 0x100, 3, 1);
	assert_int_equal(fd.writes, before);
	assert_int_equal(kvm_bus_in(&bus, 0x100, 8), 0xffffffffu);
}

static void test_bus_full(void **state)
{
	(void)state;
	struct kvm_iobus bus = { 0 };
	for (int i = 0; i < KVM_BUS_MAX; i++) {
		struct kvm_iodev d = { "d", (uint16_t)(0x1000 + i), 1, NULL, NULL,
				       NULL };
		assert_int_equal(kvm_bus_register(&bus, &d), 0);
	}
	struct kvm_iodev d = { "d", 0x2000, 1, NULL, NULL, NULL };
	assert_int_equal(kvm_bus_register(&bus, &d), -ENOSPC);
}

/* ---- the UART -------------------------------------------------------- */

struct uart_env {
	char out[256];
	int n_out, flushes, irq, irq_changes;
};

static void env_emit(void *ctx, int byte)
{
	struct uart_env *e = ctx;
	if (byte < 0)
		e->flushes++;
	else if (e->n_out < (int)sizeof e->out - 1)
		e->out[e->n_out++] = (char)byte;
}

static void env_irq(void *ctx, int level)
{
	struct uart_env *e = ctx;
	e->irq = level;
	e->irq_changes++;
}

static uint8_t uin(struct kvm_iodev *d, int off)
{
	return (uint8_t)d->read(d->opaque, (uint16_t)off, 1);
}

static void uout(struct kvm_iodev *d, int off, uint8_t v)
{
	d->write(d->opaque, (uint16_t)off, 1, v);
}

static void test_uart_transmit(void **state)
{
	(void)state;
	struct uart_env e = { 0 };
	struct kvm_uart u;
	kvm_uart_init(&u, env_emit, env_irq, &e);
	struct kvm_iodev d = kvm_uart_iodev(&u);
	assert_int_equal(d.base, 0x3f8);
	/* Polled output: LSR says empty, THR sends at once. */
	assert_true(uin(&d, 5) & 0x20);
	uout(&d, 0, 'h');
	uout(&d, 0, 'i');
	assert_int_equal(e.n_out, 2);
	assert_memory_equal(e.out, "hi", 2);
	assert_int_equal(e.irq, 0);  /* no interrupts enabled */
	/* IIR with nothing pending: bit 0 set. */
	assert_int_equal(uin(&d, 2) & 0x0f, 0x01);
	/* Enabling the THR-empty interrupt raises it at once... */
	uout(&d, 1, 0x02);
	assert_int_equal(e.irq, 1);
	assert_int_equal(uin(&d, 2) & 0x0f, 0x02);
	/* ...and reading IIR acknowledged it. */
	assert_int_equal(e.irq, 0);
	assert_int_equal(uin(&d, 2) & 0x0f, 0x01);
	/* The next byte sent makes THR empty again: a new edge. */
	uout(&d, 0, '!');
	assert_int_equal(e.irq, 1);
	/* Disabling the interrupt drops the line and flushes output. */
	uout(&d, 1, 0x00);
	assert_int_equal(e.irq, 0);
	assert_true(e.flushes >= 1);
	kvm_uart_destroy(&u);
}

static void test_uart_receive(void **state)
{
	(void)state;
	struct uart_env e = { 0 };
	struct kvm_uart u;
	kvm_uart_init(&u, env_emit, env_irq, &e);
	struct kvm_iodev d = kvm_uart_iodev(&u);
	/* No input before the driver asked for receive interrupts. */
	assert_false(kvm_uart_accepts_input(&u));
	uout(&d, 1, 0x0f);  /* a probe: IER without OUT2 */
	assert_false(kvm_uart_accepts_input(&u));
	uout(&d, 4, 0x08);  /* OUT2: the driver opened the port */
	uout(&d, 1, 0x01);  /* IER: received data */
	assert_true(kvm_uart_accepts_input(&u));
	assert_int_equal(kvm_uart_feed(&u, (const uint8_t *)"ab", 2), 2);
	assert_int_equal(e.irq, 1);
	assert_true(uin(&d, 5) & 0x01);  /* LSR: data ready */
	assert_int_equal(uin(&d, 2) & 0x0f, 0x04);
	assert_int_equal(uin(&d, 0), 'a');
	assert_int_equal(uin(&d, 0), 'b');
	assert_false(uin(&d, 5) & 0x01);
	assert_int_equal(e.irq, 0);
	/* Received data outranks THR empty. */
	uout(&d, 1, 0x03);
	kvm_uart_feed(&u, (const uint8_t *)"c", 1);
	assert_int_equal(uin(&d, 2) & 0x0f, 0x04);
	assert_int_equal(uin(&d, 0), 'c');
	assert_int_equal(uin(&d, 2) & 0x0f, 0x02);
	/* The FIFO holds KVM_UART_FIFO bytes; the rest waits with the host. */
	uint8_t many[100];
	memset(many, 'x', sizeof many);
	assert_int_equal(kvm_uart_feed(&u, many, 100), KVM_UART_FIFO);
	assert_false(kvm_uart_accepts_input(&u));
	/* Reading an empty receiver gives 0, not stale data. */
	for (int i = 0; i < KVM_UART_FIFO; i++)
		uin(&d, 0);
	assert_int_equal(uin(&d, 0), 0);
	kvm_uart_destroy(&u);
}

static void test_uart_registers(void **state)
{
	(void)state;
	struct uart_env e = { 0 };
	struct kvm_uart u;
	kvm_uart_init(&u, env_emit, NULL, &e);  /* no irqchip: no line */
	struct kvm_iodev d = kvm_uart_iodev(&u);
	/* Linux's probe: IER keeps only its low 4 bits. */
	uout(&d, 1, 0xff);
	assert_int_equal(uin(&d, 1), 0x0f);
	uout(&d, 1, 0);
	/* Divisor latch: offsets 0 and 1 become DLL and DLM. */
	uout(&d, 3, 0x83);
	uout(&d, 0, 0x01);
	uout(&d, 1, 0x00);
	assert_int_equal(uin(&d, 0), 0x01);
	assert_int_equal(e.n_out, 0);  /* not transmitted */
	uout(&d, 3, 0x03);
	/* Loopback: MCR outputs come back in MSR (the 0x90 check). */
	uout(&d, 4, 0x10 | 0x0a);
	assert_int_equal(uin(&d, 6) & 0xf0, 0x90);
	uout(&d, 0, 'z');               /* loops back to the receiver */
	assert_int_equal(e.n_out, 0);
	assert_int_equal(uin(&d, 0), 'z');
	uout(&d, 4, 0x08);
	/* FIFO enabled: IIR's top bits say 16550A. */
	uout(&d, 2, 0x07);
	assert_int_equal(uin(&d, 2) & 0xc0, 0xc0);
	/* Scratch register. */
	uout(&d, 7, 0x5a);
	assert_int_equal(uin(&d, 7), 0x5a);
	kvm_uart_destroy(&u);
}

/* ---- small devices --------------------------------------------------- */

static void test_ports(void **state)
{
	(void)state;
	struct uart_env e = { 0 };
	enum kvm_stop stop = KVM_STOP_NONE;
	struct kvm_ports p = { env_emit, &e, &stop, 0 };
	struct kvm_iobus bus = { 0 };
	struct kvm_iodev a = kvm_debugport_iodev(&p);
	struct kvm_iodev b = kvm_i8042_iodev(&p, 0);
	struct kvm_iodev c = kvm_i8042_iodev(&p, 1);
	assert_int_equal(kvm_bus_register(&bus, &a), 0);
	assert_int_equal(kvm_bus_register(&bus, &b), 0);
	assert_int_equal(kvm_bus_register(&bus, &c), 0);
	assert_int_equal(kvm_bus_in(&bus, 0xe9, 1), 0xe9);
	kvm_bus_out(&bus, 0xe9, 4, 0x41424344);  /* low byte only */
	assert_int_equal(e.n_out, 1);
	assert_int_equal(e.out[0], 'D');
	kvm_bus_out(&bus, 0x60, 1, 0xfe);  /* the data port does not reset */
	assert_int_equal(stop, KVM_STOP_NONE);
	assert_int_equal(kvm_bus_in(&bus, 0x64, 1) & 0x03, 0x01);  /* OBF, !IBF */
	assert_int_equal(kvm_bus_in(&bus, 0x60, 1), 0xff);
	kvm_bus_out(&bus, 0x64, 1, 0xfe);
	assert_int_equal(stop, KVM_STOP_RESET);
}

/* ---- bzImage --------------------------------------------------------- */

#define IMG_SETUP_SECTS 4
#define IMG_LEN (64 * 1024)

static void put16(uint8_t *p, size_t o, uint16_t v) { memcpy(p + o, &v, 2); }
static void put32(uint8_t *p, size_t o, uint32_t v) { memcpy(p + o, &v, 4); }

/* A minimal image with a protocol 2.15 header and a 64-bit entry. */
static uint8_t *make_image(void)
{
	uint8_t *img = calloc(1, IMG_LEN);
	size_t setup = (IMG_SETUP_SECTS + 1) * 512;
	img[0x1f1] = IMG_SETUP_SECTS;
	put32(img, 0x1f4, (uint32_t)((IMG_LEN - setup) / 16));
	put16(img, 0x1fe, 0xaa55);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a;  /* header ends at 0x26c */
	memcpy(img + 0x202, "HdrS", 4);
	put16(img, 0x206, 0x020f);
	img[0x211] = 0x01;  /* LOADED_HIGH */
	put32(img, 0x22c, 0x7fffffff);
	put16(img, 0x236, 0x0001);  /* XLF_KERNEL_64 */
	put32(img, 0x238, 2047);
	put32(img, 0x260, 1 << 20);  /* init_size 1 MiB */
	img[setup] = 0x90;  /* first byte of the "kernel" */
	return img;
}

static void expect_bad(uint8_t *img, size_t len, const char *text)
{
	struct kvm_bzimage bz;
	char err[256] = "";
	assert_int_equal(kvm_bzimage_parse(img, len, &bz, err, sizeof err),
			 -ENOEXEC);
	if (!strstr(err, text))
		fail_msg("error '%s' does not say '%s'", err, text);
}

static void test_bzimage_valid(void **state)
{
	(void)state;
	uint8_t *img = make_image();
	struct kvm_bzimage bz;
	char err[256];
	assert_int_equal(kvm_bzimage_parse(img, IMG_LEN, &bz, err, sizeof err), 0);
	assert_int_equal(bz.version, 0x020f);
	assert_int_equal(bz.setup_size, 5 * 512);
	assert_int_equal(bz.kernel_size, IMG_LEN - 5 * 512);
	assert_int_equal(bz.hdr_end, 0x26c);
	free(img);
}

static void test_bzimage_damaged(void **state)
{
	(void)state;
	uint8_t *img = make_image();
	expect_bad(img, 100, "too short");
	expect_bad(img, 0, "too short");

	img[0x1fe] = 0;
	expect_bad(img, IMG_LEN, "0xAA55");
	free(img);

	img = make_image();
	img[0x203] = 'X';
	expect_bad(img, IMG_LEN, "HdrS");
	free(img);

	img = make_image();
	put16(img, 0x206, 0x0204);
	expect_bad(img, IMG_LEN, "2.04 is too old");
	free(img);

	img = make_image();
	img[0x201] = 0xff;
	expect_bad(img, IMG_LEN, "setup header ends");
	img[0x201] = 0x10;
	expect_bad(img, IMG_LEN, "setup header ends");
	free(img);

	img = make_image();
	img[0x1f1] = 200;  /* 201 sectors > 64 KiB */
	expect_bad(img, IMG_LEN, "past the end");
	free(img);

	img = make_image();
	put32(img, 0x1f4, 0);
	expect_bad(img, IMG_LEN, "syssize");
	put32(img, 0x1f4, 0xffffffffu);  /* 64 GiB: the multiply must not wrap */
	expect_bad(img, IMG_LEN, "syssize");
	free(img);

	img = make_image();
	img[0x211] = 0;
	expect_bad(img, IMG_LEN, "zImage");
	free(img);

	img = make_image();
	put32(img, 0x260, 0);
	expect_bad(img, IMG_LEN, "init_size");
	free(img);
}

static void test_bzimage_setup_sects_zero(void **state)
{
	(void)state;
	uint8_t *img = make_image();
	struct kvm_bzimage bz;
	img[0x1f1] = 0;  /* means 4, the same as our image's */
	assert_int_equal(kvm_bzimage_parse(img, IMG_LEN, &bz, NULL, 0), 0);
	assert_int_equal(bz.setup_sects, 4);
	free(img);
}

static void test_linux_plan(void **state)
{
	(void)state;
	uint8_t *img = make_image();
	struct kvm_linux_layout lay;
	char err[256] = "";
	size_t mem = 64u << 20;
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 8192, "console=ttyS0",
					mem, &lay, err, sizeof err), 0);
	assert_int_equal(lay.kernel_addr, 0x100000);
	assert_int_equal(lay.kernel_end, 0x200000);
	assert_int_equal(lay.initrd_addr, mem - 8192);
	assert_true(lay.entry64);
	assert_int_equal(lay.entry, 0x100200);

	/* initrd_addr_max caps the initrd's end. */
	put32(img, 0x22c, 0x00ffffff);
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 8192, "", mem, &lay, err,
					sizeof err), 0);
	assert_int_equal(lay.initrd_addr, 0x1000000 - 8192);
	/* An initrd that would overlap the kernel. */
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 15u << 20, "", mem, &lay,
					err, sizeof err), -ENOEXEC);
	assert_non_null(strstr(err, "does not fit"));
	/* Bigger than memory itself, and a size that would wrap. */
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, SIZE_MAX, "", mem, &lay,
					err, sizeof err), -ENOEXEC);
	/* Not enough memory for init_size. */
	put32(img, 0x260, 0xf0000000u);
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 0, "", mem, &lay, err,
					sizeof err), -ENOEXEC);
	assert_non_null(strstr(err, "init_size"));
	put32(img, 0x260, 1 << 20);
	/* The command line against cmdline_size. */
	char *cl = malloc(3000);
	memset(cl, 'x', 2999);
	cl[2999] = 0;
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 0, cl, mem, &lay, err,
					sizeof err), -ENOEXEC);
	assert_non_null(strstr(err, "command line"));
	cl[2047] = 0;  /* exactly cmdline_size: fits */
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 0, cl, mem, &lay, err,
					sizeof err), 0);
	free(cl);
	/* An old kernel without the 64-bit entry starts at 1 MiB. */
	put16(img, 0x236, 0);
	assert_int_equal(kvm_linux_plan(img, IMG_LEN, 0, "", mem, &lay, err,
					sizeof err), 0);
	assert_false(lay.entry64);
	assert_int_equal(lay.entry, 0x100000);
	free(img);
}

static uint32_t get32(const uint8_t *p, size_t o)
{
	uint32_t v;
	memcpy(&v, p + o, 4);
	return v;
}

static uint64_t get64(const uint8_t *p, size_t o)
{
	uint64_t v;
	memcpy(&v, p + o, 8);
	return v;
}

static void test_linux_setup(void **state)
{
	(void)state;
	uint8_t *img = make_image();
	size_t mem_size = 32u << 20;
	uint8_t *mem = calloc(1, mem_size);
	uint8_t initrd[4096];
	memset(initrd, 0x77, sizeof initrd);
	struct kvm_linux_layout lay;
	struct kvm_sregs sr;
	struct kvm_regs regs;
	char err[256];
	memset(&sr, 0, sizeof sr);
	assert_int_equal(kvm_linux_setup(mem, mem_size, img, IMG_LEN, initrd,
					 sizeof initrd, "console=ttyS0", 1, &lay,
					 &sr, &regs, err, sizeof err), 0);
	const uint8_t *bp = mem + KVM_LINUX_ZEROPAGE;
	/* The header was copied, then a boot loader's fields filled in. */
	assert_memory_equal(bp + 0x202, "HdrS", 4);
	assert_int_equal(bp[0x210], 0xff);
	assert_int_equal(get32(bp, 0x228), KVM_LINUX_CMDLINE);
	assert_string_equal((const char *)mem + KVM_LINUX_CMDLINE, "console=ttyS0");
	assert_int_equal(get32(bp, 0x218), lay.initrd_addr);
	assert_int_equal(get32(bp, 0x21c), sizeof initrd);
	assert_int_equal(mem[lay.initrd_addr], 0x77);
	assert_int_equal(mem[KVM_LINUX_KERNEL], 0x90);
	/* e820: four entries, the last is RAM from 1 MiB to the end. */
	assert_int_equal(bp[0x1e8], 4);
	const uint8_t *e = bp + 0x2d0 + 3 * 20;
	assert_int_equal(get64(e, 0), 0x100000);
	assert_int_equal(get64(e, 8), mem_size - 0x100000);
	assert_int_equal(get32(e, 16), 1);
	/* 64-bit entry: paging on, rsi -> zero page, CS 0x10 is 64-bit. */
	assert_int_equal(regs.rip, 0x100200);
	assert_int_equal(regs.rsi, KVM_LINUX_ZEROPAGE);
	assert_int_equal(sr.cs.selector, 0x10);
	assert_int_equal(sr.cs.l, 1);
	assert_int_equal(sr.ds.selector, 0x18);
	assert_int_equal(sr.cr3, KVM_LINUX_PT);
	assert_true(sr.efer & 0x500);
	/* The identity map: 2 MiB page 5 maps physical 10 MiB. */
	uint64_t pd = get64(mem, KVM_LINUX_PT + 0x1000) & ~0xfffull;
	assert_int_equal(get64(mem, pd + 5 * 8) & ~0xfffull, 10u << 20);
	/* The zero page points at the RSDP, inside a reserved e820 range. */
	uint64_t rsdp = get64(bp, 0x070);
	assert_int_equal(rsdp, KVM_LINUX_ACPI);
	assert_memory_equal(mem + rsdp, "RSD PTR ", 8);
	e = bp + 0x2d0 + 2 * 20;
	assert_true(get64(e, 0) <= rsdp &&
		    rsdp + KVM_ACPI_SIZE <= get64(e, 0) + get64(e, 8));
	assert_int_equal(get32(e, 16), 2);
	/* Without ACPI: no pointer, no tables. */
	memset(mem, 0, mem_size);
	assert_int_equal(kvm_linux_setup(mem, mem_size, img, IMG_LEN, NULL, 0,
					 "console=ttyS0", 0, &lay, &sr, &regs,
					 err, sizeof err), 0);
	assert_int_equal(get64(bp, 0x070), 0);
	assert_int_equal(mem[KVM_LINUX_ACPI], 0);
	free(mem);
	free(img);
}

/* ---- ACPI tables -------------------------------------------------------- */

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Follow the tables as Linux does: RSDP -> XSDT (and RSDT) -> MADT,
 * checking every signature, length and checksum on the way. */
static void test_acpi_tables(void **state)
{
	(void)state;
	size_t mem_size = 1u << 20;
	uint8_t *mem = calloc(1, mem_size);
	assert_int_equal(kvm_acpi_write(mem, mem_size, 0xf0000), 0xf0000);
	const uint8_t *p = mem + 0xf0000;
	assert_memory_equal(p, "RSD PTR ", 8);
	assert_int_equal(sum8(p, 20), 0);       /* ACPI 1.0 checksum */
	assert_int_equal(p[15], 2);             /* revision: has an XSDT */
	assert_int_equal(get32(p, 20), 36);
	assert_int_equal(sum8(p, 36), 0);       /* extended checksum */

	uint64_t xsdt = get64(p, 24), rsdt = get32(p, 16);
	assert_true(xsdt < mem_size && rsdt < mem_size);
	assert_memory_equal(mem + xsdt, "XSDT", 4);
	assert_int_equal(get32(mem + xsdt, 4), 36 + 8);
	assert_int_equal(sum8(mem + xsdt, 44), 0);
	assert_memory_equal(mem + rsdt, "RSDT", 4);
	assert_int_equal(get32(mem + rsdt, 4), 36 + 4);
	assert_int_equal(sum8(mem + rsdt, 40), 0);

	uint64_t madt = get64(mem + xsdt, 36);
	assert_int_equal(get32(mem + rsdt, 36), madt);
	const uint8_t *t = mem + madt;
	assert_memory_equal(t, "APIC", 4);
	uint32_t len = get32(t, 4);
	assert_true(madt + len <= 0xf0000 + KVM_ACPI_SIZE);
	assert_int_equal(sum8(t, len), 0);
	assert_int_equal(get32(t, 36), 0xfee00000u);
	assert_int_equal(get32(t, 40) & 1, 1);  /* PCAT_COMPAT: PICs too */
	/* The entries: walk them by their lengths, as Linux does. */
	int lapic = 0, ioapic = 0, nmi = 0;
	for (uint32_t off = 44; off < len;) {
		const uint8_t *e = t + off;
		assert_true(e[1] >= 2 && off + e[1] <= len);
		if (e[0] == 0) {
			assert_int_equal(e[1], 8);
			assert_int_equal(e[3], 0);          /* APIC id 0 */
			assert_int_equal(get32(e, 4) & 1, 1);
			lapic++;
		} else if (e[0] == 1) {
			assert_int_equal(e[1], 12);
			assert_int_equal(get32(e, 4), 0xfec00000u);
			assert_int_equal(get32(e, 8), 0);   /* GSI base */
			ioapic++;
		} else if (e[0] == 4) {
			assert_int_equal(e[1], 6);
			assert_int_equal(e[5], 1);          /* LINT1 */
			nmi++;
		} else {
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
		off += e[1];
	}
	assert_int_equal(lapic, 1);
	assert_int_equal(ioapic, 1);
	assert_int_equal(nmi, 1);

	/* Bases that cannot hold the tables are refused. */
	assert_int_equal(kvm_acpi_write(mem, mem_size, 0xf0008), 0);
	assert_int_equal(kvm_acpi_write(mem, mem_size, mem_size - 0x100), 0);
	assert_int_equal(kvm_acpi_write(mem, mem_size, UINT64_MAX - 15), 0);
	free(mem);
}

/* ---- flat guests ----------------------------------------------------- */

static void test_flat_modes(void **state)
{
	(void)state;
	size_t mem_size = 1u << 20;
	uint8_t *mem = calloc(1, mem_size);
	uint8_t code[16] = { 0xf4 };
	struct kvm_sregs sr;
	struct kvm_regs regs;
	enum kvm_mode m;

	assert_int_equal(kvm_mode_parse("paged", &m), 0);
	assert_int_equal(m, KVM_MODE_PAGED);
	assert_int_equal(kvm_mode_parse("vm86", &m), -EINVAL);

	memset(&sr, 0, sizeof sr);
	assert_int_equal(kvm_flat_setup(mem, mem_size, code, sizeof code,
					KVM_MODE_REAL, 0, &sr, &regs), 0);
	assert_int_equal(sr.cs.base, 0x10000);
	assert_int_equal(sr.cs.selector, 0x1000);
	assert_int_equal(regs.rip, 0);
	assert_false(sr.cr0 & 1);
	assert_int_equal(mem[KVM_FLAT_LOAD], 0xf4);

	assert_int_equal(kvm_flat_setup(mem, mem_size, code, sizeof code,
					KVM_MODE_PAGED, 7, &sr, &regs), 0);
	assert_int_equal(regs.rbx, 7);
	assert_true(sr.cr0 & 0x80000001u);
	assert_int_equal(get32(mem, KVM_FLAT_PT + 4 * 3), (3u << 22) | 0x83);

	assert_int_equal(kvm_flat_setup(mem, mem_size, code, sizeof code,
					KVM_MODE_LONG, 0, &sr, &regs), 0);
	assert_int_equal(sr.cs.l, 1);
	assert_int_equal(sr.cs.db, 0);
	assert_int_equal(sr.efer & 0x500, 0x500);
	assert_int_equal(get64(mem, KVM_FLAT_PT) & ~0xfffull, KVM_FLAT_PT + 0x1000);
	/* The GDT's code descriptor at 0x10 has L set in long mode. */
	assert_int_equal(get64(mem, KVM_FLAT_GDT + 0x10), 0x00af9a000000ffffull);
	assert_int_equal(get64(mem, KVM_FLAT_GDT + 0x18), 0x00cf92000000ffffull);

	/* Too big for memory, or for a real-mode segment. */
	assert_int_equal(kvm_flat_setup(mem, mem_size, mem, mem_size,
					KVM_MODE_LONG, 0, &sr, &regs), -EFBIG);
	assert_int_equal(kvm_flat_setup(mem, mem_size, mem, 0x10001,
					KVM_MODE_REAL, 0, &sr, &regs), -EFBIG);
	assert_int_equal(kvm_flat_setup(mem, 0x8000, code, sizeof code,
					KVM_MODE_LONG, 0, &sr, &regs), -EFBIG);
	free(mem);
}

/* ---- KVM_GET_STATS_FD format ------------------------------------------ */

#define NAME_SIZE 48

static size_t make_stats(uint8_t *buf, size_t cap)
{
	struct kvm_stats_header h = {
		.name_size = NAME_SIZE, .num_desc = 3, .id_offset = 24,
		.desc_offset = 64,
	};
	size_t stride = sizeof(struct kvm_stats_desc) + NAME_SIZE;
	h.data_offset = (uint32_t)(h.desc_offset + 3 * stride);
	memset(buf, 0, cap);
	memcpy(buf, &h, sizeof h);
	const char *names[3] = { "exits", "halt_exits", "halt_poll_hist" };
	uint16_t sizes[3] = { 1, 1, 32 };
	uint32_t types[3] = { KVM_STATS_TYPE_CUMULATIVE, KVM_STATS_TYPE_CUMULATIVE,
			      KVM_STATS_TYPE_LOG_HIST };
	uint32_t offs[3] = { 0, 8, 16 };
	for (int i = 0; i < 3; i++) {
		struct kvm_stats_desc d = { .flags = types[i], .size = sizes[i],
					    .offset = offs[i] };
		uint8_t *p = buf + h.desc_offset + i * stride;
		memcpy(p, &d, sizeof d);
		strcpy((char *)p + sizeof d, names[i]);
	}
	uint64_t v0 = 12345, v1 = 67;
	memcpy(buf + h.data_offset, &v0, 8);
	memcpy(buf + h.data_offset + 8, &v1, 8);
	return h.data_offset + 16 + 32 * 8;
}

static void test_kstats_parse(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct kvm_kstats ks;
	size_t len = make_stats(buf, sizeof buf);
	assert_int_equal(kvm_kstats_parse(buf, len, &ks), 0);
	assert_int_equal(ks.n, 2);  /* the histogram is skipped */
	assert_int_equal(kvm_kstats_get(&ks, "exits"), 12345);
	assert_int_equal(kvm_kstats_get(&ks, "halt_exits"), 67);
	assert_int_equal(kvm_kstats_get(&ks, "nope"), 0);

	/* Truncated: descriptors or data past the end. */
	assert_int_equal(kvm_kstats_parse(buf, 100, &ks), -EINVAL);
	assert_int_equal(kvm_kstats_parse(buf, 10, &ks), -EINVAL);
	/* A descriptor pointing past the data. */
	struct kvm_stats_desc d;
	size_t stride = sizeof d + NAME_SIZE;
	memcpy(&d, buf + 64, sizeof d);
	d.offset = 100000;
	memcpy(buf + 64, &d, sizeof d);
	assert_int_equal(kvm_kstats_parse(buf, len, &ks), -EINVAL);
	/* An absurd name size. */
	len = make_stats(buf, sizeof buf);
	struct kvm_stats_header h;
	memcpy(&h, buf, sizeof h);
	h.name_size = 100000;
	memcpy(buf, &h, sizeof h);
	assert_int_equal(kvm_kstats_parse(buf, len, &ks), -EINVAL);
	(void)stride;
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(kvm_exit_name(KVM_EXIT_IO), "IO");
	assert_string_equal(kvm_exit_name(KVM_EXIT_SHUTDOWN), "SHUTDOWN");
	assert_string_equal(kvm_exit_name(9999), "?");
	assert_string_equal(kvm_exit_key_name(EXK_IO_INSN, 0x3f8), "0x3f8 com1 data");
	assert_string_equal(kvm_exit_key_name(EXK_IO_INSN, 0x300), "0x300");
	assert_string_equal(kvm_exit_key_name(EXK_MMIO, 0xfee00000), "0xfee00000");
	assert_string_equal(kvm_stop_name(KVM_STOP_RESET), "reset (i8042 reset line)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_ranges),
		cmocka_unit_test(test_bus_access),
		cmocka_unit_test(test_bus_full),
		cmocka_unit_test(test_uart_transmit),
		cmocka_unit_test(test_uart_receive),
		cmocka_unit_test(test_uart_registers),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_bzimage_valid),
		cmocka_unit_test(test_bzimage_damaged),
		cmocka_unit_test(test_bzimage_setup_sects_zero),
		cmocka_unit_test(test_linux_plan),
		cmocka_unit_test(test_linux_setup),
		cmocka_unit_test(test_acpi_tables),
		cmocka_unit_test(test_flat_modes),
		cmocka_unit_test(test_kstats_parse),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
