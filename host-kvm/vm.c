/*
 * host-kvm/vm.c -- the virtual machine and its run loop.
 *
 * Everything KVM offers is an ioctl on one of three file descriptors:
 *
 *   /dev/kvm       the system: API version, supported CPUID, sizes
 *     KVM_CREATE_VM -> vm fd: memory slots, interrupt controller, PIT
 *       KVM_CREATE_VCPU -> vcpu fd: registers, KVM_RUN, statistics
 *
 * Guest memory is ordinary anonymous memory of this process, handed to
 * KVM with KVM_SET_USER_MEMORY_REGION: guest-physical address 0 is
 * m->mem[0].  The vCPU shares one page-sized struct kvm_run with the
 * kernel: after KVM_RUN returns it says why the guest stopped and holds
 * the data of the access that caused it.
 *
 * The run loop is the x86 twin of sim_run() and of CP's dispatcher:
 * enter the guest, take the exit, let a device answer, enter again.
 * Each exit that reaches us is counted in struct exit_stats, shared with
 * the VL32 side so the console can compare them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "host-kvm/kvm.h"

/* kvmtool's habit: a table indexed by exit reason, so a message can say
 * "SHUTDOWN" instead of "8". */
static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "EXCEPTION",
	[KVM_EXIT_IO] = "IO",
	[KVM_EXIT_HYPERCALL] = "HYPERCALL",
	[KVM_EXIT_DEBUG] = "DEBUG",
	[KVM_EXIT_HLT] = "HLT",
	[KVM_EXIT_MMIO] = "MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[KVM_EXIT_INTR] = "INTR",
	[KVM_EXIT_SET_TPR] = "SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
	[KVM_EXIT_NMI] = "NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
	[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
	[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
	[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
	[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
	[KVM_EXIT_NOTIFY] = "NOTIFY",
};

const char *kvm_exit_name(uint32_t reason)
{
	if (reason < sizeof exit_names / sizeof exit_names[0] &&
	    exit_names[reason])
		return exit_names[reason];
	return "?";
}

static const char *const stop_names[] = {
	[KVM_STOP_NONE] = "running",
	[KVM_STOP_HALT] = "halted (HLT)",
	[KVM_STOP_RESET] = "reset (i8042 reset line)",
	[KVM_STOP_SHUTDOWN] = "shutdown (triple fault)",
	[KVM_STOP_SYSTEM] = "system event",
	[KVM_STOP_TIMEOUT] = "timeout",
	[KVM_STOP_ATTENTION] = "stopped by attention (Ctrl-C)",
	[KVM_STOP_ERROR] = "error",
};

const char *kvm_stop_name(enum kvm_stop s)
{
	return (unsigned)s < sizeof stop_names / sizeof stop_names[0]
		       ? stop_names[s] : "?";
}

/* The PC's well-known ports, so the exit table says what Linux was
 * poking at while it booted. */
static const struct { uint16_t lo, hi; const char *name; } port_names[] = {
	{ 0x20, 0x21, "pic1" }, { 0x40, 0x43, "pit" },
	{ 0x60, 0x60, "i8042 data" }, { 0x61, 0x61, "speaker" },
	{ 0x64, 0x64, "i8042 cmd" }, { 0x70, 0x71, "rtc/cmos" },
	{ 0x80, 0x80, "post/delay" }, { 0x87, 0x8f, "dma page" },
	{ 0xa0, 0xa1, "pic2" }, { 0xe9, 0xe9, "debug" },
	{ 0x2e8, 0x2ef, "com4" }, { 0x2f8, 0x2ff, "com2" },
	{ 0x3e8, 0x3ef, "com3" }, { 0x3f8, 0x3f8, "com1 data" },
	{ 0x3f9, 0x3f9, "com1 ier" }, { 0x3fa, 0x3fa, "com1 iir/fcr" },
	{ 0x3fb, 0x3fb, "com1 lcr" }, { 0x3fc, 0x3fc, "com1 mcr" },
	{ 0x3fd, 0x3fd, "com1 lsr" }, { 0x3fe, 0x3fe, "com1 msr" },
	{ 0x3ff, 0x3ff, "com1 scr" }, { 0x4d0, 0x4d1, "elcr" },
	{ 0xcf8, 0xcff, "pci config" },
};

const char *kvm_exit_key_name(enum exit_kind kind, uint32_t key)
{
	static char buf[40];
	switch (kind) {
	case EXK_IO_INSN:
		for (size_t i = 0; i < sizeof port_names / sizeof port_names[0]; i++)
			if (key >= port_names[i].lo && key <= port_names[i].hi) {
				snprintf(buf, sizeof buf, "0x%03x %s", key,
					 port_names[i].name);
				return buf;
			}
		snprintf(buf, sizeof buf, "0x%03x", key);
		return buf;
	case EXK_MMIO:
		snprintf(buf, sizeof buf, "0x%08x", key);
		return buf;
	default:
		return kvm_exit_name(key);
	}
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- devices' hooks ------------------------------------------------- */

/* Guest console output: flushed at each newline and when the UART says
 * a burst is over (byte -1), so a shell prompt shows without a newline. */
static void machine_emit(void *ctx, int byte)
{
	struct kvm_machine *m = ctx;
	if (m->emit) {
		m->emit(m->emit_ctx, byte);
		return;
	}
	if (byte < 0) {
		fflush(m->out);
		return;
	}
	putc(byte, m->out);
	if (byte == '\n')
		fflush(m->out);
}

static void machine_set_irq(void *ctx, int level)
{
	struct kvm_machine *m = ctx;
	struct kvm_irq_level irq = { .irq = KVM_COM1_IRQ, .level = level };
	if (m->irqchip)
		ioctl(m->vm_fd, KVM_IRQ_LINE, &irq);
}

/* ---- setup ---------------------------------------------------------- */

/* Give the vCPU every CPUID feature KVM can virtualize on this host
 * (and KVM's own paravirtual leaves, which Linux uses for kvm-clock). */
static int setup_cpuid(struct kvm_machine *m)
{
	int nent = 64, r = -1;
	struct kvm_cpuid2 *c = NULL;
	for (;;) {
		free(c);
		c = calloc(1, sizeof *c + (size_t)nent * sizeof c->entries[0]);
		if (!c)
			return -ENOMEM;
		c->nent = (uint32_t)nent;
		r = ioctl(m->sys_fd, KVM_GET_SUPPORTED_CPUID, c);
		if (r == 0 || errno != E2BIG || nent >= 1024)
			break;
		nent *= 2;  /* the kernel says how big, by failing */
	}
	/* Two bits are left to us.  "A hypervisor is present" (leaf 1, ECX
	 * bit 31): without it Linux thinks it runs on bare metal and
	 * ignores KVM's paravirtual clock.  On AMD, "OS visible
	 * workarounds" (leaf 0x80000001, ECX bit 9): KVM then answers the
	 * OSVW MSRs with "erratum 400 is fixed" -- true, since HLT exits and
	 * a guest never enters C1E.  Without it Linux judges an old CPU
	 * model (QEMU's qemu64 is a family 15 K8) by its family, assumes
	 * its local APIC timer stops when idle, and idles on a broadcast
	 * timer: slower, and here it could hang the boot. */
	int amd = 0;
	for (uint32_t i = 0; r == 0 && i < c->nent; i++)
		if (c->entries[i].function == 0)
			amd = c->entries[i].ebx == 0x68747541;  /* "Auth"enticAMD */
	for (uint32_t i = 0; r == 0 && i < c->nent; i++) {
		if (c->entries[i].function == 1)
			c->entries[i].ecx |= 1u << 31;
		if (c->entries[i].function == 0x80000001 && amd)
			c->entries[i].ecx |= 1u << 9;
	}
	if (r == 0)
		r = ioctl(m->vcpu_fd, KVM_SET_CPUID2, c);
	r = r < 0 ? -errno : 0;
	free(c);
	return r;
}

/* errno-preserving message for a failed ioctl, then -errno */
static int sys_fail(const char *what)
{
	int e = errno;
	fprintf(stderr, "vmlab kvm: %s: %s\n", what, strerror(e));
	return -e;
}

int kvm_machine_create(struct kvm_machine *m, const struct kvm_options *o)
{
	int r;
	memset(m, 0, sizeof *m);
	m->sys_fd = m->vm_fd = m->vcpu_fd = m->stats_fd = m->statm_fd = -1;
	m->out = o->out ? o->out : stdout;
	m->input = o->input;
	m->input_ctx = o->input_ctx;
	m->emit = o->emit;
	m->emit_ctx = o->emit_ctx;

	m->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (m->sys_fd < 0) {
		r = -errno;
		if (!o->quiet)  /* the console and contrast say it their way */
			fprintf(stderr, "vmlab kvm: /dev/kvm: %s (is the kvm module "
				"loaded, and may you use it?)\n", strerror(-r));
		goto fail;
	}
	r = ioctl(m->sys_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION) {
		fprintf(stderr, "vmlab kvm: KVM API version %d, expected %d\n",
			r, KVM_API_VERSION);
		r = -ENOTSUP;
		goto fail;
	}
	m->vm_fd = ioctl(m->sys_fd, KVM_CREATE_VM, 0);
	if (m->vm_fd < 0) {
		r = sys_fail("KVM_CREATE_VM");
		goto fail;
	}

	/* Linux wants a PC: the in-kernel PIC, IOAPIC and local APIC, and
	 * the PIT as its timer.  Flat test guests get none, so that their
	 * HLT comes back to us and ends the run.  The TSS address is a
	 * 3-page hole Intel's real-mode support needs below 4 GiB. */
	if (o->linux_guest) {
		if (ioctl(m->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0) {
			r = sys_fail("KVM_SET_TSS_ADDR");
			goto fail;
		}
		if (ioctl(m->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
			r = sys_fail("KVM_CREATE_IRQCHIP");
			goto fail;
		}
		struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
		if (ioctl(m->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
			r = sys_fail("KVM_CREATE_PIT2");
			goto fail;
		}
		m->irqchip = 1;
	}

	/* Guest memory: reserved, not committed; pages appear as the guest
	 * touches them, which is why the RSS figure means something. */
	m->mem_size = o->mem_size;
	m->mem = mmap(NULL, m->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->mem == MAP_FAILED) {
		m->mem = NULL;
		r = sys_fail("guest memory");
		goto fail;
	}
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = m->mem_size,
		.userspace_addr = (uintptr_t)m->mem,
	};
	if (ioctl(m->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		r = sys_fail("KVM_SET_USER_MEMORY_REGION");
		goto fail;
	}

	m->vcpu_fd = ioctl(m->vm_fd, KVM_CREATE_VCPU, 0);
	if (m->vcpu_fd < 0) {
		r = sys_fail("KVM_CREATE_VCPU");
		goto fail;
	}
	int sz = ioctl(m->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run)) {
		r = sz < 0 ? sys_fail("KVM_GET_VCPU_MMAP_SIZE") : -EINVAL;
		goto fail;
	}
	m->run_size = (size_t)sz;
	m->run = mmap(NULL, m->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      m->vcpu_fd, 0);
	if (m->run == MAP_FAILED) {
		m->run = NULL;
		r = sys_fail("mmap kvm_run");
		goto fail;
	}
	r = setup_cpuid(m);
	if (r) {
		errno = -r;
		r = sys_fail("KVM_SET_CPUID2");
		goto fail;
	}

	/* Optional: counters and our own memory use.  Not fatal. */
	m->stats_fd = kvm_kstats_open(m->vcpu_fd);
	m->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	/* Devices on the I/O bus. */
	kvm_uart_init(&m->uart, machine_emit, machine_set_irq, m);
	m->ports.emit = machine_emit;
	m->ports.ctx = m;
	m->ports.stop = &m->stop;
	kvm_rtc_init(&m->rtc);
	struct kvm_iodev devs[] = {
		kvm_uart_iodev(&m->uart), kvm_debugport_iodev(&m->ports),
		kvm_i8042_iodev(&m->ports, 0), kvm_i8042_iodev(&m->ports, 1),
		kvm_rtc_iodev(&m->rtc),
	};
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++)
		if ((r = kvm_bus_register(&m->bus, &devs[i])) < 0) {
			fprintf(stderr, "vmlab kvm: device %s: %s\n",
				devs[i].name, strerror(-r));
			goto fail_uart;
		}
	return 0;

fail_uart:
	kvm_uart_destroy(&m->uart);
fail:
	if (m->statm_fd >= 0) close(m->statm_fd);
	if (m->stats_fd >= 0) close(m->stats_fd);
	if (m->run) munmap(m->run, m->run_size);
	if (m->vcpu_fd >= 0) close(m->vcpu_fd);
	if (m->mem) munmap(m->mem, m->mem_size);
	if (m->vm_fd >= 0) close(m->vm_fd);
	if (m->sys_fd >= 0) close(m->sys_fd);
	m->sys_fd = m->vm_fd = m->vcpu_fd = -1;
	m->run = NULL;
	m->mem = NULL;
	return r < 0 ? r : -EIO;
}

void kvm_machine_destroy(struct kvm_machine *m)
{
	if (m->input_running) {
		m->input_running = 0;  /* the thread polls this flag */
		kvm_uart_wake(&m->uart);
		pthread_join(m->input_thread, NULL);
	}
	fflush(m->out);
	kvm_uart_destroy(&m->uart);
	if (m->statm_fd >= 0) close(m->statm_fd);
	if (m->stats_fd >= 0) close(m->stats_fd);
	if (m->run) munmap(m->run, m->run_size);
	if (m->vcpu_fd >= 0) close(m->vcpu_fd);
	if (m->mem) munmap(m->mem, m->mem_size);
	if (m->vm_fd >= 0) close(m->vm_fd);
	if (m->sys_fd >= 0) close(m->sys_fd);
	memset(m, 0, sizeof *m);
}

int kvm_machine_set_regs(struct kvm_machine *m, struct kvm_sregs *sregs,
			 struct kvm_regs *regs)
{
	if (ioctl(m->vcpu_fd, KVM_SET_SREGS, sregs) < 0)
		return sys_fail("KVM_SET_SREGS");
	if (ioctl(m->vcpu_fd, KVM_SET_REGS, regs) < 0)
		return sys_fail("KVM_SET_REGS");
	return 0;
}

/* ---- host input ------------------------------------------------------ */

/*
 * Keystrokes for the guest come from a second thread: the vCPU thread
 * spends its time inside KVM_RUN and cannot also wait on stdin.  The
 * thread feeds the UART, whose interrupt line wakes the guest.
 */
static void *input_main(void *arg)
{
	struct kvm_machine *m = arg;
	uint8_t buf[64];
	int have = 0, off = 0;
	/* Sleep until the guest's driver opens the port.  A thread that
	 * wakes up now and then while the guest boots steals the CPU from
	 * the vCPU thread at random moments; under nested virtualization
	 * that was enough to upset a Linux guest's boot. */
	if (!kvm_uart_wait_input(&m->uart, -1))
		return NULL;
	while (m->input_running) {
		if (off < have) {
			if (kvm_uart_wait_input(&m->uart, 200))
				off += kvm_uart_feed(&m->uart, buf + off, have - off);
			continue;  /* (re-checking input_running at least 5 times a second) */
		}
		if (m->input) {
			int n = m->input(m->input_ctx, buf, (int)sizeof buf);
			if (n == 0)
				break;  /* end of input: the guest keeps running */
			if (n > 0) {
				have = n;
				off = 0;
			}
			continue;
		}
		struct pollfd p = { .fd = 0, .events = POLLIN };
		int r = poll(&p, 1, 200);
		if (r <= 0)
			continue;
		ssize_t n = read(0, buf, sizeof buf);
		if (n <= 0)
			break;  /* end of input: the guest keeps running */
		have = (int)n;
		off = 0;
	}
	return NULL;
}

static struct termios saved_tty;
static int tty_raw;

/* A terminal on stdin goes raw, so the guest's line discipline (not
 * ours) echoes and edits; ^C still stops vmlab. */
static void tty_enter_raw(void)
{
	struct termios t;
	if (!isatty(0) || tcgetattr(0, &saved_tty) < 0)
		return;
	t = saved_tty;
	t.c_lflag &= ~(unsigned)(ICANON | ECHO);
	t.c_iflag &= ~(unsigned)(ICRNL | IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(0, TCSANOW, &t) == 0)
		tty_raw = 1;
}

static void tty_leave_raw(void)
{
	if (tty_raw)
		tcsetattr(0, TCSANOW, &saved_tty);
	tty_raw = 0;
}

/* ---- the run loop ---------------------------------------------------- */

static volatile sig_atomic_t timed_out;
static struct kvm_run *volatile alarm_run;
static volatile sig_atomic_t attention_hit;

/* The console's attention key: like the alarm, it makes KVM_RUN return
 * (EINTR, or at once via immediate_exit) and the loop stops the guest. */
static void on_attention(int sig)
{
	(void)sig;
	attention_hit = 1;
	if (alarm_run)
		alarm_run->immediate_exit = 1;
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	/* Tell KVM not to enter the guest again if we are just about to:
	 * without this a signal arriving between our check of timed_out
	 * and the ioctl would be missed until the next exit. */
	if (alarm_run)
		alarm_run->immediate_exit = 1;
}

/*
 * A port access.  KVM has already decoded the instruction (IN, OUT, or
 * the string forms INS/OUTS with a REP count) and put the data in the
 * kvm_run page at data_offset: count items of size bytes.  Everything
 * here came from the guest, so it is checked before use.
 */
static int handle_io(struct kvm_machine *m)
{
	struct kvm_run *run = m->run;
	uint16_t port = run->io.port;
	int size = run->io.size;
	uint64_t count = run->io.count;
	uint64_t off = run->io.data_offset;
	exit_stats_add(&m->stats, EXK_IO_INSN, port);
	if ((size != 1 && size != 2 && size != 4) || count == 0 ||
	    off > m->run_size || count * (uint64_t)size > m->run_size - off) {
		fprintf(stderr, "vmlab kvm: bad I/O exit: port 0x%x size %d "
			"count %llu offset %llu\n", port, size,
			(unsigned long long)count, (unsigned long long)off);
		return -EINVAL;
	}
	uint8_t *data = (uint8_t *)run + off;
	for (uint64_t i = 0; i < count; i++) {
		uint32_t v = 0;
		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&v, data + i * size, (size_t)size);
			kvm_bus_out(&m->bus, port, size, v);
		} else {
			v = kvm_bus_in(&m->bus, port, size);
			memcpy(data + i * size, &v, (size_t)size);
		}
	}
	return 0;
}

/* A memory access outside guest RAM.  We register no MMIO devices (the
 * APICs are in the kernel), so reads float high and writes vanish, like
 * a PC bus with nothing there. */
static int handle_mmio(struct kvm_machine *m)
{
	struct kvm_run *run = m->run;
	uint64_t a = run->mmio.phys_addr;
	exit_stats_add(&m->stats, EXK_MMIO, a > 0xffffffffu ? 0xffffffffu
							     : (uint32_t)a);
	if (run->mmio.len > sizeof run->mmio.data) {
		fprintf(stderr, "vmlab kvm: bad MMIO exit: length %u\n",
			run->mmio.len);
		return -EINVAL;
	}
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, run->mmio.len);
	return 0;
}

static void report_regs(struct kvm_machine *m)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	if (ioctl(m->vcpu_fd, KVM_GET_REGS, &r) < 0 ||
	    ioctl(m->vcpu_fd, KVM_GET_SREGS, &s) < 0)
		return;
	fprintf(stderr, "vmlab kvm:   rip %#llx  rsp %#llx  cs %#x  cr0 %#llx"
		"  cr3 %#llx  efer %#llx\n", (unsigned long long)r.rip,
		(unsigned long long)r.rsp, s.cs.selector,
		(unsigned long long)s.cr0, (unsigned long long)s.cr3,
		(unsigned long long)s.efer);
}

enum kvm_stop kvm_machine_run(struct kvm_machine *m, const struct kvm_options *o)
{
	struct kvm_run *run = m->run;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct sigaction sa_int = { .sa_handler = on_attention }, old_int;
	sigset_t block;

	/* SIGALRM and SIGINT are for this thread only: the input thread
	 * blocks them, so the signal interrupts KVM_RUN here. */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	if (o->attention)
		sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	if (o->linux_guest && pthread_create(&m->input_thread, NULL,
					     input_main, m) == 0)
		m->input_running = 1;
	pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	if (m->input_running && !m->input)
		tty_enter_raw();

	timed_out = 0;
	attention_hit = 0;
	alarm_run = run;
	sigaction(SIGALRM, &sa, NULL);
	if (o->attention)
		sigaction(SIGINT, &sa_int, &old_int);
	if (o->timeout > 0)
		alarm((unsigned)o->timeout);

	/* From here on the monitor only needs a handful of system calls. */
	if (!o->no_seccomp) {
		int r = kvm_seccomp_install();
		if (r < 0) {
			fprintf(stderr, "vmlab kvm: seccomp: %s (use --no-seccomp "
				"to run without it)\n", strerror(-r));
			m->stop = KVM_STOP_ERROR;
			goto out;
		}
	}
	if (o->seccomp_selftest) {
		/* open() is not on the list: with the filter on, the SIGSYS
		 * handler reports it and the process ends here. */
		int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		fprintf(stderr, "vmlab kvm: seccomp self-test: open() %s\n",
			fd >= 0 ? "allowed" : "failed");
		if (fd >= 0)
			close(fd);
	}

	uint64_t t0 = now_ns();
	while (m->stop == KVM_STOP_NONE) {
		if (attention_hit) {
			m->stop = KVM_STOP_ATTENTION;
			break;
		}
		if (timed_out) {
			m->stop = KVM_STOP_TIMEOUT;
			fprintf(stderr, "vmlab kvm: timeout; the guest was at:\n");
			report_regs(m);
			break;
		}
		if (ioctl(m->vcpu_fd, KVM_RUN, 0) < 0) {
			/* A signal: not the guest's doing.  Count it and go
			 * round again (the loop checks the timeout). */
			if (errno == EINTR || errno == EAGAIN) {
				run->immediate_exit = 0;
				exit_stats_add(&m->stats, EXK_EXTERNAL,
					       KVM_EXIT_INTR);
				continue;
			}
			sys_fail("KVM_RUN");
			m->stop = KVM_STOP_ERROR;
			break;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (handle_io(m) < 0)
				m->stop = KVM_STOP_ERROR;
			break;
		case KVM_EXIT_MMIO:
			if (handle_mmio(m) < 0)
				m->stop = KVM_STOP_ERROR;
			break;
		case KVM_EXIT_HLT:
			/* Only without an in-kernel irqchip: nothing could
			 * ever wake the guest, so this is its way out. */
			exit_stats_add(&m->stats, EXK_WAIT, KVM_EXIT_HLT);
			m->stop = KVM_STOP_HALT;
			break;
		case KVM_EXIT_SHUTDOWN:
			/* A fault while delivering a fault while delivering
			 * a fault: the processor gives up.  On a PC this
			 * resets the machine. */
			exit_stats_add(&m->stats, EXK_SHUTDOWN, KVM_EXIT_SHUTDOWN);
			fprintf(stderr, "vmlab kvm: triple fault, the guest's "
				"last state:\n");
			report_regs(m);
			m->stop = KVM_STOP_SHUTDOWN;
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			exit_stats_add(&m->stats, EXK_SHUTDOWN,
				       KVM_EXIT_SYSTEM_EVENT);
			m->stop = run->system_event.type == KVM_SYSTEM_EVENT_RESET
					  ? KVM_STOP_RESET : KVM_STOP_SYSTEM;
			break;
		case KVM_EXIT_FAIL_ENTRY:
			exit_stats_add(&m->stats, EXK_OTHER, KVM_EXIT_FAIL_ENTRY);
			fprintf(stderr, "vmlab kvm: the processor refused to "
				"enter the guest (FAIL_ENTRY, hardware reason "
				"%#llx): an invalid guest state\n",
				(unsigned long long)run->fail_entry
					.hardware_entry_failure_reason);
			report_regs(m);
			m->stop = KVM_STOP_ERROR;
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			exit_stats_add(&m->stats, EXK_OTHER,
				       KVM_EXIT_INTERNAL_ERROR);
			fprintf(stderr, "vmlab kvm: KVM internal error, suberror "
				"%u%s\n", run->internal.suberror,
				run->internal.suberror ==
						KVM_INTERNAL_ERROR_EMULATION
					? " (KVM could not emulate an instruction)"
					: "");
			report_regs(m);
			m->stop = KVM_STOP_ERROR;
			break;
		default:
			exit_stats_add(&m->stats, EXK_OTHER, run->exit_reason);
			fprintf(stderr, "vmlab kvm: unexpected exit %s (%u)\n",
				kvm_exit_name(run->exit_reason), run->exit_reason);
			report_regs(m);
			m->stop = KVM_STOP_ERROR;
			break;
		}
	}
	m->wall_ns = now_ns() - t0;
out:
	alarm(0);
	if (o->attention)
		sigaction(SIGINT, &old_int, NULL);
	alarm_run = NULL;
	tty_leave_raw();
	fflush(m->out);
	return m->stop;
}

/* ---- measuring ------------------------------------------------------- */

void kvm_machine_measure(struct kvm_machine *m)
{
	if (m->stats_fd >= 0)
		kvm_kstats_read(m->stats_fd, &m->kstats);
	/* Resident set of the whole process, from /proc/self/statm (opened
	 * before seccomp), minus the guest pages that are resident (from
	 * mincore): what is left is the monitor's own cost. */
	char buf[128];
	unsigned long size, resident;
	long page = sysconf(_SC_PAGESIZE);
	ssize_t n = m->statm_fd >= 0 ? pread(m->statm_fd, buf, sizeof buf - 1, 0)
				     : -1;
	if (n <= 0)
		return;
	buf[n] = 0;
	if (sscanf(buf, "%lu %lu", &size, &resident) != 2)
		return;
	m->rss_kib = (uint64_t)resident * (uint64_t)page / 1024;
	size_t pages = m->mem_size / (size_t)page;
	unsigned char *vec = malloc(pages);
	if (vec && mincore(m->mem, m->mem_size, vec) == 0) {
		uint64_t in = 0;
		for (size_t i = 0; i < pages; i++)
			in += vec[i] & 1;
		m->guest_rss_kib = in * (uint64_t)page / 1024;
	}
	free(vec);
}

void kvm_machine_print_stats(struct kvm_machine *m, FILE *f)
{
	fprintf(f, "exits to user space (KVM_RUN returned to vmlab):\n");
	exit_stats_print(f, &m->stats, kvm_exit_key_name);
	if (m->bus.unclaimed)
		fprintf(f, "  (%llu accesses to ports no device claims)\n",
			(unsigned long long)m->bus.unclaimed);
	kvm_kstats_print(f, &m->kstats, exit_stats_total(&m->stats));
	fprintf(f, "run: %.3f s in the run loop, guest memory %zu MiB\n",
		(double)m->wall_ns / 1e9, m->mem_size >> 20);
	if (m->rss_kib)
		fprintf(f, "monitor rss: %llu KiB total, %llu KiB guest memory, "
			"%llu KiB monitor overhead\n",
			(unsigned long long)m->rss_kib,
			(unsigned long long)m->guest_rss_kib,
			(unsigned long long)(m->rss_kib > m->guest_rss_kib
						     ? m->rss_kib - m->guest_rss_kib
						     : 0));
}
