# host-kvm/guests/compute.S -- workload: pure computation.
#
# A xorshift random-number loop, %rbx iterations (--arg, default ten
# million).  Nothing in it is sensitive, so under KVM the guest never
# leaves guest mode until the final report: the processor runs it at
# full speed.  Compare the VL32 side, where CP sees no trap either: the
# one case where trap-and-emulate and hardware assist agree.
	.code64
	.text
	.globl	_start
_start:
	testq	%rbx, %rbx
	jnz	1f
	movq	$10000000, %rbx
1:	movq	%rbx, %r12		# keep the count for the report
	movabsq	$0x9e3779b97f4a7c15, %rax
loop:	movq	%rax, %rdx		# xorshift64
	shlq	$13, %rdx
	xorq	%rdx, %rax
	movq	%rax, %rdx
	shrq	$7, %rdx
	xorq	%rdx, %rax
	movq	%rax, %rdx
	shlq	$17, %rdx
	xorq	%rdx, %rax
	decq	%rbx
	jnz	loop
	movq	%rax, %r13
	leaq	msg1(%rip), %rsi
	call	puts
	movq	%r12, %rax
	call	puthex
	leaq	msg2(%rip), %rsi
	call	puts
	movq	%r13, %rax
	call	puthex
	leaq	nl(%rip), %rsi
	call	puts
	hlt

	.include "lib64.inc"
msg1:	.asciz	"compute: iterations 0x"
msg2:	.asciz	" result 0x"
nl:	.asciz	"\n"
