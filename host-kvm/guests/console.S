# host-kvm/guests/console.S -- workload: console output.
#
# One byte to the UART's transmit register per iteration (%rbx, default
# 1000), a newline every 64.  Each OUT is a port access no hardware can
# complete, so each one is an exit all the way out to vmlab's UART
# model: the costliest kind, and the reason real VMs use virtio rings
# that batch many bytes per exit.
	.code64
	.text
	.globl	_start
_start:
	testq	%rbx, %rbx
	jnz	1f
	movq	$1000, %rbx
1:	movq	%rbx, %r12
	xorl	%ecx, %ecx		# column
	movw	$0x3f8, %dx
loop:	movl	%ecx, %eax
	andl	$0x1f, %eax
	addb	$'@', %al		# @ABC...
	incl	%ecx
	cmpl	$64, %ecx
	jne	2f
	movb	$'\n', %al
	xorl	%ecx, %ecx
2:	outb	%al, %dx
	decq	%rbx
	jnz	loop
	movb	$'\n', %al
	outb	%al, %dx
	leaq	msg(%rip), %rsi
	call	puts
	movq	%r12, %rax
	call	puthex
	leaq	nl(%rip), %rsi
	call	puts
	hlt

	.include "lib64.inc"
msg:	.asciz	"console: iterations 0x"
nl:	.asciz	"\n"
