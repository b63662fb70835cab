/*
 * host-kvm/bus.c -- the I/O port bus.
 *
 * An x86 IN or OUT names a 16-bit port.  KVM hands every port access it
 * does not handle itself (the PIC and PIT are in the kernel) to the run
 * loop, which asks the bus who owns the port.  The bus is a short list of
 * ranges: a handful of devices make a linear search the clearest choice.
 * A port nobody claims reads as all ones, which is what the ISA bus gives
 * a probing driver when no card answers -- Linux probes a lot of ports
 * while booting, and "nothing here" must be a normal answer, not an error.
 */
#include <errno.h>

#include "host-kvm/kvm.h"

int kvm_bus_register(struct kvm_iobus *bus, const struct kvm_iodev *dev)
{
	if (dev->len == 0 || (uint32_t)dev->base + dev->len > 0x10000)
		return -EINVAL;
	for (int i = 0; i < bus->n; i++) {
		const struct kvm_iodev *d = &bus->dev[i];
		if (dev->base < d->base + d->len && d->base < dev->base + dev->len)
			return -EBUSY;
	}
	if (bus->n == KVM_BUS_MAX)
		return -ENOSPC;
	bus->dev[bus->n++] = *dev;
	return 0;
}

const struct kvm_iodev *kvm_bus_find(const struct kvm_iobus *bus,
				     uint16_t port)
{
	for (int i = 0; i < bus->n; i++) {
		const struct kvm_iodev *d = &bus->dev[i];
		if (port >= d->base && port - d->base < d->len)
			return d;
	}
	return NULL;
}

static uint32_t ones(int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

uint32_t kvm_bus_in(struct kvm_iobus *bus, uint16_t port, int size)
{
	const struct kvm_iodev *d = kvm_bus_find(bus, port);
	if (size != 1 && size != 2 && size != 4)
		return 0xffffffffu;
	if (!d || !d->read) {
		bus->unclaimed++;
		return ones(size);
	}
	return d->read(d->opaque, (uint16_t)(port - d->base), size) & ones(size);
}

void kvm_bus_out(struct kvm_iobus *bus, uint16_t port, int size, uint32_t val)
{
	const struct kvm_iodev *d = kvm_bus_find(bus, port);
	if (size != 1 && size != 2 && size != 4)
		return;
	if (!d || !d->write) {
		bus->unclaimed++;
		return;
	}
	d->write(d->opaque, (uint16_t)(port - d->base), size, val & ones(size));
}
