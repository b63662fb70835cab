# host-kvm/guests/privops.S -- workload: privileged control operations.
#
# Per iteration (%rbx, default 10000): CPUID, read and rewrite CR0, CR3
# and CR4, read the TSC MSR, CLI/STI.  On VL32 every one of these is a
# privileged instruction and traps to CP.  With VT-x/AMD-V the
# hypervisor chooses: CPUID always exits, CR writes and MSR reads exit
# when KVM asked to intercept them, CLI/STI and CR3 reloads (with nested
# paging) never do -- and the exits that do happen are handled inside
# the kernel, so vmlab sees none of them.  `--stats` shows both counts.
	.code64
	.text
	.globl	_start
_start:
	testq	%rbx, %rbx
	jnz	1f
	movq	$10000, %rbx
1:	movq	%rbx, %r12		# the loop counter (CPUID clobbers rbx)
	movq	%rbx, %r14		# the count, for the report
loop:	xorl	%eax, %eax
	cpuid				# always intercepted
	movq	%cr0, %rax
	movq	%rax, %cr0
	movq	%cr3, %rax
	movq	%rax, %cr3		# flushes the guest's TLB
	movq	%cr4, %rax
	movq	%rax, %cr4
	movl	$0x10, %ecx		# IA32_TIME_STAMP_COUNTER
	rdmsr
	cli
	sti
	decq	%r12
	jnz	loop
	cli
	leaq	msg(%rip), %rsi
	call	puts
	movq	%r14, %rax
	call	puthex
	leaq	nl(%rip), %rsi
	call	puts
	hlt

	.include "lib64.inc"
msg:	.asciz	"privops: iterations 0x"
nl:	.asciz	"\n"
