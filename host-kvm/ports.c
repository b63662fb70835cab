/*
 * host-kvm/ports.c -- the two smallest devices.
 *
 * The debug port 0xE9 (from Bochs, also in QEMU): every byte written to
 * it appears on the console.  A test guest can print with one OUT
 * instruction, without a UART driver.  Reading it returns 0xE9, which is
 * how a guest can tell the port is there.
 *
 * The i8042 keyboard controller's reset line: writing command 0xFE to
 * port 0x64 pulses the processor's reset pin.  It is how a PC reboots
 * and how Linux's `reboot` ends a run here (there is no BIOS to reboot
 * into, so a reset stops the machine).  There is no keyboard: the status
 * register reads 0xFD, "output buffer full, input buffer empty".  A
 * probing driver then drains 16 bytes of 0xFF, decides the controller
 * is stuck and gives up at once, and the reboot code, which waits for
 * "input buffer empty" before it sends 0xFE, does not wait at all.
 * (Reading 0x00 would make the probe wait a second for a reply; 0xFF
 * would make the reboot spin 65536 times.)
 */
#include "host-kvm/kvm.h"

#define I8042_CMD_RESET 0xfe

static uint32_t debug_read(void *opaque, uint16_t off, int size)
{
	(void)opaque; (void)off; (void)size;
	return KVM_DEBUG_PORT;
}

static void debug_write(void *opaque, uint16_t off, int size, uint32_t val)
{
	struct kvm_ports *p = opaque;
	(void)off; (void)size;  /* only the low byte of a wider OUT counts */
	p->emit(p->ctx, (uint8_t)val);
	p->debug_bytes++;
}

struct kvm_iodev kvm_debugport_iodev(struct kvm_ports *p)
{
	struct kvm_iodev d = {
		.name = "debug", .base = KVM_DEBUG_PORT, .len = 1, .opaque = p,
		.read = debug_read, .write = debug_write,
	};
	return d;
}

/* Ports 0x60 (data) and 0x64 (status/command): 0x61..0x63 belong to
 * others (0x61 is the PIT's speaker gate, kept in the kernel). */
#define I8042_STATUS 0xfd  /* OBF set, IBF clear */

static uint32_t i8042_data_read(void *opaque, uint16_t off, int size)
{
	(void)opaque; (void)off; (void)size;
	return 0xff;
}

static uint32_t i8042_status_read(void *opaque, uint16_t off, int size)
{
	(void)opaque; (void)off; (void)size;
	return I8042_STATUS;
}

static void i8042_data_write(void *opaque, uint16_t off, int size, uint32_t val)
{
	(void)opaque; (void)off; (void)size; (void)val;  /* no keyboard */
}

static void i8042_cmd_write(void *opaque, uint16_t off, int size, uint32_t val)
{
	struct kvm_ports *p = opaque;
	(void)off; (void)size;
	if ((val & 0xff) == I8042_CMD_RESET && *p->stop == KVM_STOP_NONE)
		*p->stop = KVM_STOP_RESET;
}

struct kvm_iodev kvm_i8042_iodev(struct kvm_ports *p, int command_port)
{
	struct kvm_iodev d = {
		.name = command_port ? "i8042-cmd" : "i8042-data",
		.base = command_port ? 0x64 : 0x60, .len = 1, .opaque = p,
		.read = command_port ? i8042_status_read : i8042_data_read,
		.write = command_port ? i8042_cmd_write : i8042_data_write,
	};
	return d;
}
