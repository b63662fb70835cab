/*
 * host-kvm/seccomp.c -- the monitor drops its privileges before the guest.
 *
 * A monitor is the part of the hypervisor a malicious guest attacks: it
 * parses everything the guest sends (port writes, descriptor rings, ...).
 * If a bug there let the guest take over this process, the attacker
 * should find it can do almost nothing.  So, as Firecracker does, once
 * setup is over (files opened, memory mapped, vCPU created) we install a
 * seccomp filter: a small BPF program the kernel runs on every system
 * call this process makes, allowing only the calls the run loop needs.
 * ioctl is checked further by its request number: KVM_RUN yes,
 * KVM_CREATE_VM or KVM_SET_USER_MEMORY_REGION no.
 *
 * A call outside the list raises SIGSYS; our handler names the call and
 * stops.  `vmlab kvm ... --no-seccomp` runs without the filter, to debug.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "host-kvm/kvm.h"

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer's leak checker needs ptrace and clone at exit, which
 * the allowlist (rightly) forbids: sanitizer builds run without it. */
int kvm_seccomp_install(void)
{
	static int said;
	if (!said++)
		fprintf(stderr, "vmlab kvm: seccomp left off in a sanitizer "
			"build\n");
	return 0;
}
#else
/* The system calls of the run loop, the input thread, stdio, malloc and
 * the final report.  Each line says who needs it. */
static const int allowed_syscalls[] = {
	SYS_read, SYS_write, SYS_pread64,  /* console, statistics files */
	SYS_poll, SYS_ppoll,               /* the input thread's wait */
	SYS_futex,                         /* the UART lock, pthread_join */
	SYS_brk, SYS_mmap, SYS_munmap, SYS_madvise, SYS_mremap, /* malloc */
	SYS_mincore,                       /* counting resident guest pages */
	SYS_close, SYS_fstat, SYS_newfstatat, SYS_lseek, /* stdio, teardown */
	SYS_clock_gettime, SYS_clock_nanosleep, SYS_nanosleep, SYS_time,
	SYS_alarm, SYS_rt_sigreturn, SYS_rt_sigprocmask, /* --timeout */
	SYS_getpid, SYS_gettid, SYS_tgkill, /* abort() on a broken assert */
	SYS_sched_yield, SYS_rseq, SYS_set_robust_list,
	SYS_exit, SYS_exit_group,
};

/* The ioctls: running the vCPU, raising the UART's interrupt line,
 * reading registers for an error report, the terminal mode. */
static const unsigned long allowed_ioctls[] = {
	KVM_RUN, KVM_IRQ_LINE, KVM_GET_REGS, KVM_GET_SREGS,
	TCGETS, TCSETS, TCSETSW, TCSETSF,
};

#define NSYS (sizeof allowed_syscalls / sizeof allowed_syscalls[0])
#define NIOC (sizeof allowed_ioctls / sizeof allowed_ioctls[0])

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	/* Only async-signal-safe calls here: format by hand. */
	char msg[96] = "vmlab kvm: seccomp blocked system call ";
	size_t n = strlen(msg);
	int nr = si->si_syscall;
	char digits[12];
	int d = 0;
	do {
		digits[d++] = (char)('0' + nr % 10);
		nr /= 10;
	} while (nr && d < 11);
	while (d)
		msg[n++] = digits[--d];
	const char *tail = " (rerun with --no-seccomp to debug)\n";
	memcpy(msg + n, tail, strlen(tail));
	n += strlen(tail);
	if (write(2, msg, n) < 0) { /* nothing more we can do */ }
	_exit(70);
}

int kvm_seccomp_install(void)
{
	struct sock_filter f[10 + NSYS + NIOC];  /* the count of lines below */
	unsigned n = 0;
	/* Jumps are relative: jt/jf count instructions to skip. */
#define STMT(code, k) (f[n++] = (struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) \
	(f[n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf))

	/* 1. The right ABI: a 32-bit or x32 call would have other numbers. */
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* 2. The plain allowlist. */
	for (unsigned i = 0; i < NSYS; i++)
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)allowed_syscalls[i],
		     (uint8_t)(NSYS - i + 1), 0);  /* to "allow" below */
	/* 3. ioctl: look at the request number (its low 32 bits). */
	JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 1, 0);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);  /* target of step 2 */
	STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]));
	for (unsigned i = 0; i < NIOC; i++)
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)allowed_ioctls[i],
		     (uint8_t)(NIOC - i), 0);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#undef STMT
#undef JUMP

	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	sigaction(SIGSYS, &sa, NULL);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	/* Required to filter without CAP_SYS_ADMIN, and a good idea anyway:
	 * nothing we exec could gain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* TSYNC: the input thread, started before, gets the filter too. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
		return -errno;
	return 0;
}
#endif
