/*
 * host-kvm/kstats.c -- the exits the kernel kept to itself.
 *
 * Most VM exits never come back to the monitor: KVM handles HLT (with an
 * in-kernel interrupt controller), CPUID, most MSRs, the local APIC, the
 * PIC and PIT, interrupt windows and page faults in the kernel, and goes
 * straight back into the guest.  To see them we ask the kernel for its
 * own counters.  Since Linux 5.14, ioctl(KVM_GET_STATS_FD) on a vCPU
 * returns a file in a self-describing binary format:
 *
 *   +--------------------+  struct kvm_stats_header (at offset 0):
 *   | header             |    name_size, num_desc, id_offset,
 *   +--------------------+    desc_offset, data_offset
 *   | id string          |  e.g. "kvm-1234/vcpu-0"
 *   +--------------------+
 *   | descriptors        |  num_desc x (struct kvm_stats_desc + name):
 *   |                    |    flags (type/unit/base), exponent, size
 *   |                    |    (number of u64 values), offset into data
 *   +--------------------+
 *   | data               |  u64 values
 *   +--------------------+
 *
 * The names are the kernel's ("exits", "halt_exits", "io_exits", ...),
 * so the same code works on any kernel version.  We keep the single-value
 * counters and skip histograms.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host-kvm/kvm.h"

#define KSTATS_FILE_MAX (1u << 20)  /* a vCPU's file is a few KiB */

int kvm_kstats_open(int vcpu_fd)
{
	int fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);
	return fd < 0 ? -errno : fd;
}

int kvm_kstats_parse(const uint8_t *buf, size_t len, struct kvm_kstats *ks)
{
	struct kvm_stats_header h;
	memset(ks, 0, sizeof *ks);
	if (len < sizeof h)
		return -EINVAL;
	memcpy(&h, buf, sizeof h);
	size_t stride = sizeof(struct kvm_stats_desc) + (size_t)h.name_size;
	if (h.name_size == 0 || h.name_size > 256 || h.num_desc > 4096 ||
	    h.desc_offset > len || (size_t)h.num_desc * stride > len - h.desc_offset ||
	    h.data_offset > len)
		return -EINVAL;
	for (uint32_t i = 0; i < h.num_desc && ks->n < KVM_KSTATS_MAX; i++) {
		struct kvm_stats_desc d;
		const uint8_t *p = buf + h.desc_offset + i * stride;
		memcpy(&d, p, sizeof d);
		int type = d.flags & KVM_STATS_TYPE_MASK;
		if (d.size != 1 || type > KVM_STATS_TYPE_PEAK)
			continue;  /* a histogram */
		if (d.offset > len - h.data_offset ||
		    len - h.data_offset - d.offset < 8)
			return -EINVAL;
		const char *name = (const char *)p + sizeof d;
		size_t nl = strnlen(name, h.name_size);
		if (nl == h.name_size || nl >= sizeof ks->item[0].name)
			continue;  /* unterminated or too long for us */
		memcpy(ks->item[ks->n].name, name, nl + 1);
		memcpy(&ks->item[ks->n].value, buf + h.data_offset + d.offset, 8);
		ks->n++;
	}
	return 0;
}

int kvm_kstats_read(int fd, struct kvm_kstats *ks)
{
	struct kvm_stats_header h;
	memset(ks, 0, sizeof *ks);
	if (fd < 0)
		return -EBADF;
	if (pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
		return -EIO;
	/* The data block is last; its size is the largest offset + 8 over
	 * the descriptors, but reading generously and letting the kernel
	 * return less is simpler.  The file is small. */
	size_t want = (size_t)h.data_offset + 8192;
	if (want > KSTATS_FILE_MAX)
		return -EFBIG;
	uint8_t *buf = malloc(want);
	if (!buf)
		return -ENOMEM;
	ssize_t got = pread(fd, buf, want, 0);
	int r = got < 0 ? -errno : kvm_kstats_parse(buf, (size_t)got, ks);
	free(buf);
	return r;
}

uint64_t kvm_kstats_get(const struct kvm_kstats *ks, const char *name)
{
	for (int i = 0; i < ks->n; i++)
		if (!strcmp(ks->item[i].name, name))
			return ks->item[i].value;
	return 0;
}

/* What the counters a student is likely to meet mean. */
static const struct { const char *name, *what; } kstat_help[] = {
	{ "exits", "every exit from guest mode, for any reason" },
	{ "halt_exits", "HLT: the vCPU idles in the kernel" },
	{ "halt_wakeup", "woken from HLT by an interrupt" },
	{ "io_exits", "port I/O (PIT/PIC in kernel, the rest to us)" },
	{ "mmio_exits", "MMIO that came out to user space" },
	{ "irq_exits", "a host interrupt arrived while in the guest" },
	{ "irq_window_exits", "waited for the guest to accept an interrupt" },
	{ "nmi_window_exits", "waited for the guest to accept an NMI" },
	{ "signal_exits", "a signal for the monitor thread" },
	{ "request_irq_exits", "user space asked for an interrupt window" },
	{ "insn_emulation", "instructions KVM emulated in software" },
	{ "insn_emulation_fail", "instructions KVM could not emulate" },
	{ "hypercalls", "VMCALL/VMMCALL paravirtual calls" },
	{ "irq_injections", "interrupts injected into the guest" },
	{ "nmi_injections", "NMIs injected into the guest" },
	{ "pf_taken", "guest page faults seen by KVM" },
	{ "tlb_flush", "TLB flushes KVM requested" },
	{ "fpu_reload", "FPU state reloaded" },
	{ "host_state_reload", "host state restored on the way out" },
	{ "preemption_reported", "the vCPU thread was preempted" },
};

void kvm_kstats_print(FILE *f, const struct kvm_kstats *ks, uint64_t user_exits)
{
	if (!ks->n) {
		fprintf(f, "in-kernel counters: not available (KVM_GET_STATS_FD "
			   "needs Linux 5.14)\n");
		return;
	}
	fprintf(f, "in-kernel counters (KVM_GET_STATS_FD, vcpu 0):\n");
	for (size_t j = 0; j < sizeof kstat_help / sizeof kstat_help[0]; j++) {
		uint64_t v = kvm_kstats_get(ks, kstat_help[j].name);
		if (v)
			fprintf(f, "  %-20s %12" PRIu64 "  %s\n",
				kstat_help[j].name, v, kstat_help[j].what);
	}
	uint64_t all = kvm_kstats_get(ks, "exits");
	if (all >= user_exits)
		fprintf(f, "  %-20s %12" PRIu64 "  exits - exits to user space\n",
			"handled in kernel", all - user_exits);
}
